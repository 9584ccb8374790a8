# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The kolla remediation planner on reports the evaluator made from the fixture trees."""

from __future__ import absolute_import, division, print_function

import copy
import os

import pytest
import yaml

from kolla_reports import KOLLA_DIR, evidence_for, report_for, sasl_compute

from ansible_collections.scs.secure_connections.plugins.module_utils._remediate import kolla as k
from ansible_collections.scs.secure_connections.plugins.filter.remediation import kolla_remediation_plan
from ansible.errors import AnsibleFilterError

DBC, MQC = 'scs-0125-db-client-tls', 'scs-0125-mq-client-tls'
HVM, HVX, REQ = 'scs-0125-hv-migration-encrypted', 'scs-0125-hv-libvirt-exposure', 'scs-0125-db-require-ssl'
LIBVIRT_CERTS = ['config/nova/nova-libvirt/%s' % n for n in ('cacert.pem', 'servercert.pem', 'serverkey.pem', 'clientcert.pem', 'clientkey.pem')]


@pytest.fixture(scope='module')
def report():
    return report_for(evidence_for())


@pytest.fixture(scope='module')
def hv_report(tmp_path_factory):
    return report_for(evidence_for(compute_root=sasl_compute(tmp_path_factory.mktemp('hv'))))


@pytest.fixture
def globals_text():
    with open(os.path.join(KOLLA_DIR, 'globals.yml')) as handle:
        return handle.read()


def plan(report, globals_text, **kw):
    split = yaml.safe_load(k.split_managed_block(globals_text)[0])
    return k.plan_remediation(report, split, k.split_managed_block(globals_text)[1], kw.pop('release', '2024.2'), **kw)


def with_block(globals_text, result):
    return '%s\n%s\n%s\n%s\n' % (globals_text.rstrip('\n'), k.BEGIN_MARKER, result['globals_block'], k.END_MARKER)


def test_must_plan_of_the_fixture(report, globals_text):
    result = plan(report, globals_text)
    assert result['selected_controls'] == [DBC, MQC]
    # the release has no global for these URLs: overrides in kolla's layout, templated with kolla's own variables
    ini = dict(((c['path'], c['section'], c['option']), c) for c in result['ini_changes'])
    assert sorted(ini) == [('config/neutron.conf', 'database', 'connection'),
                           ('config/nova/nova-api.conf', 'database', 'connection'),
                           ('config/octavia.conf', 'task_flow', 'persistence_connection')]
    nova = ini[('config/nova/nova-api.conf', 'database', 'connection')]
    assert nova['value'] == ('mysql+pymysql://{{ nova_cell0_database_user }}:{{ nova_cell0_database_password }}'
                             '@{{ nova_cell0_database_address }}/{{ nova_cell0_database_name }}?ssl_ca={{ openstack_cacert }}')
    assert nova['controls'] == [DBC]
    # only openstack_cacert is missing from globals.yml; the keys set already are reported, not repeated
    assert [(c['key'], c['value'], c['controls']) for c in result['globals_changes']] == \
        [('openstack_cacert', '/etc/ssl/certs/ca-certificates.crt', [DBC])]
    assert 'openstack_cacert: "/etc/ssl/certs/ca-certificates.crt"  # scs-0125-db-client-tls' in result['globals_block']
    already = set(c['key'] for c in result['already_set'])
    assert already == {'database_enable_tls_internal', 'database_enable_tls_backend', 'kolla_copy_ca_into_containers'}
    assert result['conflicts'] == [] and result['refused'] == []
    assert result['commands'] == ['kolla-ansible reconfigure -i <inventory> -t loadbalancer,neutron,nova,octavia']


def test_intent_vs_reality(report, globals_text):
    intent = dict((i['key'], i) for i in plan(report, globals_text)['intent'])
    assert 'globals ask for RabbitMQ TLS (rabbitmq_enable_tls) but services use plain AMQP (glance-api' in intent['rabbitmq_enable_tls']['message']
    assert 'reconfigure was not run or failed' in intent['rabbitmq_enable_tls']['message']
    assert intent['rabbitmq_enable_tls']['reconfigure_tags'] == ['glance']
    assert 'only adds ssl_ca for keystone' in intent['database_enable_tls_internal']['message']
    # with internal TLS asked for, the http internal URLs the audit saw are named as a reconfigure problem
    asked = globals_text.replace('kolla_enable_tls_internal: "no"', 'kolla_enable_tls_internal: "yes"')
    intent = dict((i['key'], i) for i in plan(report, asked)['intent'])
    assert intent['kolla_enable_tls_internal']['message'].startswith(
        'globals ask for internal TLS (kolla_enable_tls_internal) but internal endpoints are http (')


def test_second_plan_over_the_written_block_changes_nothing(report, globals_text):
    first = plan(report, globals_text)
    second = plan(report, with_block(globals_text, first))
    assert second['globals_block'] == first['globals_block']
    assert second['globals_changes'] == []
    # the ini changes are still planned (ini_file is idempotent itself); they add no new tags once written
    assert k.parse_block(second['globals_block'])['openstack_cacert']['controls'] == [DBC]


def test_block_keeps_earlier_fixes_when_the_audit_passes(report, globals_text):
    first = plan(report, globals_text)
    passed = copy.deepcopy(report)
    for finding in passed['findings']:
        if finding['status'] == 'fail':
            finding['status'] = 'pass'
    again = plan(passed, with_block(globals_text, first))
    assert again['globals_block'] == first['globals_block'] and again['commands'] == []


def test_a_key_set_outside_the_block_is_reported_not_overridden(report, globals_text):
    other = globals_text.replace('database_enable_tls_internal: "yes"', 'database_enable_tls_internal: "no"')
    result = plan(report, other)
    conflict = [c for c in result['conflicts'] if c['key'] == 'database_enable_tls_internal']
    assert conflict and 'Not overridden' in conflict[0]['message']
    assert 'database_enable_tls_internal' not in result['globals_block']


def test_an_override_already_setting_the_url_differently_is_a_conflict(report, globals_text):
    files = {'config/neutron.conf': '[database]\nconnection = mysql+pymysql://neutron:pw-in-clear-123@db/neutron\n'}
    result = kolla_remediation_plan(report, globals_text, config_files=files)
    assert 'config/neutron.conf' not in [c['path'] for c in result['ini_changes']]
    conflict = [c for c in result['conflicts'] if c['key'].startswith('config/neutron.conf')][0]
    assert 'pw-in-clear-123' not in str(conflict), 'a password in an override file must not leave the plan'


def test_should_controls_are_opt_in(hv_report, globals_text):
    result = plan(hv_report, globals_text)
    assert HVM not in result['selected_controls']
    skipped = dict((s['control_id'], s['level']) for s in result['skipped_controls'] if s['control_id'] in (HVM, HVX))
    assert skipped == {HVM: 'SHOULD', HVX: 'SHOULD NOT'}


def test_libvirt_tls_is_refused_without_certificates(hv_report, globals_text):
    result = plan(hv_report, globals_text, controls=[HVM, HVX])
    assert result['globals_changes'] == [] and result['ini_changes'] == []
    assert any('libvirt_tls would make kolla copy libvirt TLS files that are not there' in r['message'] for r in result['refused'])


def test_native_tls_needs_the_operator_to_confirm_qemu_material(hv_report, globals_text):
    # the fixture's globals.yml says libvirt_tls: "no" itself: reported, not overridden
    result = plan(hv_report, globals_text, controls=[HVM], present_files=LIBVIRT_CERTS)
    assert [c['key'] for c in result['conflicts']] == ['libvirt_tls'] and result['globals_changes'] == []
    globals_text = globals_text.replace('libvirt_tls: "no"\n', '')
    result = plan(hv_report, globals_text, controls=[HVM], present_files=LIBVIRT_CERTS)
    assert [(c['key'], c['value']) for c in result['globals_changes']] == [('libvirt_tls', 'yes')]
    assert result['ini_changes'] == []
    assert 'no default_tls_x509_* options' in result['refused'][0]['message']
    ready = plan(hv_report, globals_text, controls=[HVM], present_files=LIBVIRT_CERTS, options={'qemu_tls_ready': True})
    assert [(c['path'], c['section'], c['option'], c['value']) for c in ready['ini_changes']] == \
        [('config/nova/nova-compute.conf', 'libvirt', 'live_migration_with_native_tls', 'true')]
    assert ready['commands'] == ['kolla-ansible reconfigure -i <inventory> -t nova']


def test_require_ssl_is_ordered_after_the_clients(report, globals_text):
    # the fixture's report has no db-require-ssl failure (no server queried): force one from the catalog's shape
    failing = copy.deepcopy(report)
    failing['findings'].append(dict(failing['findings'][0], control_id=REQ, status='fail', level='SHOULD', channel='db',
                                    message='nova REQUIRE NONE', target={'host': 'kolla1'}))
    result = plan(failing, globals_text, controls=[DBC, REQ])
    assert [r['control_id'] for r in result['refused']] == [REQ]
    assert 'would cut off the services that still connect without TLS' in result['refused'][0]['message']
    assert 'config/galera.cnf' not in [c['path'] for c in result['ini_changes']]


def test_mq_tls_off_in_globals_needs_broker_certificates(report, globals_text):
    off = globals_text.replace('rabbitmq_enable_tls: "yes"', 'rabbitmq_enable_tls: "no"')
    assert 'rabbitmq_enable_tls' not in [c['key'] for c in plan(report, off)['conflicts']]
    result = plan(report, off.replace('rabbitmq_enable_tls: "no"\n', ''))
    assert 'rabbitmq-cert.pem' in result['refused'][0]['message']
    ready = plan(report, off.replace('rabbitmq_enable_tls: "no"\n', ''),
                 present_files=['certificates/rabbitmq-cert.pem', 'certificates/rabbitmq-key.pem'])
    assert ('rabbitmq_enable_tls', 'yes') in [(c['key'], c['value']) for c in ready['globals_changes']]
    assert {'rabbitmq', 'glance', 'nova', 'neutron', 'keystone', 'octavia'} <= set(ready['reconfigure_tags'])


@pytest.mark.parametrize('mutate,message', [
    (lambda r: r.update(schema_version='2.0'), "report schema_version '2.0' is not supported"),
    (lambda r: r.update(kind='something-else'), 'not an scs-0125 conformance report'),
    (lambda r: r.update(findings=[{'status': 'fail'}]), 'malformed finding'),
])
def test_bad_reports_fail_clearly(report, globals_text, mutate, message):
    bad = copy.deepcopy(report)
    mutate(bad)
    with pytest.raises(k.RemediationError, match=message):
        plan(bad, globals_text)


def test_bad_globals_and_release_fail_clearly(report, globals_text):
    with pytest.raises(AnsibleFilterError, match='globals.yml is not valid YAML'):
        kolla_remediation_plan(report, 'kolla_enable_tls_internal: "yes\n  : [')
    with pytest.raises(AnsibleFilterError, match='damaged'):
        kolla_remediation_plan(report, globals_text + k.BEGIN_MARKER + '\n')
    with pytest.raises(AnsibleFilterError, match="release '2023.1' is not one this role was verified against"):
        kolla_remediation_plan(report, globals_text, release='2023.1')
    with pytest.raises(AnsibleFilterError, match='unknown control ids'):
        kolla_remediation_plan(report, globals_text, controls=['scs-0125-nope'])


def test_haproxy_legacy_settings_become_intermediate(report, globals_text):
    failing = copy.deepcopy(report)
    failing['findings'].append(dict(failing['findings'][0], control_id='scs-0125-tls-mozilla', status='fail', level='MUST', channel='tls',
                                    message='TLSv1.0 accepted', target={'host': 'kolla1', 'endpoint': '10.0.0.10:443'}))
    result = plan(failing, globals_text + 'kolla_haproxy_ssl_settings: "legacy"\n')
    assert [c['key'] for c in result['conflicts']] == ['kolla_haproxy_ssl_settings']
    result = plan(failing, globals_text)
    assert 'kolla_haproxy_ssl_settings' not in result['globals_block'], 'the release default "modern" already passes'


@pytest.mark.parametrize('release,expected', [('2024.2', 'no'), ('2025.1', 'yes')])
def test_release_defaults_decide_what_is_already_asked_for(release, expected):
    # kolla-ansible 19.4.0: database_enable_tls_internal follows kolla_enable_tls_backend; 20.6.0: kolla_enable_tls_internal
    values = k.effective_globals(k.RELEASES[release], {'kolla_enable_tls_internal': 'yes'}, {})
    assert values['database_enable_tls_internal'] == expected
    assert values['kolla_enable_tls_external'] == 'yes', 'follows internal TLS when there is one VIP'
    assert k.effective_globals(k.RELEASES[release], {'kolla_enable_tls_internal': '{{ x }}'}, {})['kolla_enable_tls_internal'] is None
