# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The distro-node planner: clients before servers, refusals with reasons, URL edits that never show a password."""

from __future__ import absolute_import, division, print_function

import copy
import json
import re

import pytest

from kolla_reports import distro_report

from ansible_collections.scs.secure_connections.plugins.module_utils._remediate import host as h
from ansible_collections.scs.secure_connections.plugins.module_utils._remediate.kolla import RemediationError

DBC, MQC, MQB = 'scs-0125-db-client-tls', 'scs-0125-mq-client-tls', 'scs-0125-mq-broker-tls'
READY = {'db_ca_file': '/etc/mysql/ssl/ca.pem', 'mq_ca_file': '/etc/ssl/certs/cloud-ca.pem', 'assume_db_server_tls': True,
         'assume_broker_tls': True}


@pytest.fixture(scope='module')
def report():
    return distro_report()


def test_client_changes_refused_until_the_servers_tls_is_known(report):
    result = h.plan_host(report, 'ctl1', options={'db_ca_file': '/etc/mysql/ssl/ca.pem', 'mq_ca_file': '/etc/ssl/certs/cloud-ca.pem'})
    assert result['ini_changes'] == [] and result['edits'] == []
    messages = ' | '.join(r['message'] for r in result['refused'])
    assert 'the audit did not see the database server speak TLS (scs-0125-db-server-tls is pass from the option files)' in messages
    assert 'the audit did not see the RabbitMQ broker offer TLS' in messages


def test_plan_with_the_servers_vouched_for(report):
    result = h.plan_host(report, 'ctl1', options=READY)
    assert result['selected_controls'][:2] == [DBC, MQC]
    # the Kafka controls (MUST too) are not automated: listed as manual with the catalog's distro hint
    assert 'scs-0125-mq-kafka-listener-tls' in [m['control_id'] for m in result['manual']]
    ini = [(c['path'], c['section'], c['option'], c['value']) for c in result['ini_changes']]
    assert ('/etc/neutron/neutron.conf', 'oslo_messaging_rabbit', 'ssl', 'true') in ini
    assert ('/etc/cinder/cinder.conf', 'oslo_messaging_rabbit', 'ssl_ca_file', '/etc/ssl/certs/cloud-ca.pem') in ini
    edits = dict(((e['path'], e['description'].split(':')[1].strip()), e) for e in result['edits'])
    assert any(p == '/etc/nova/nova.conf' for p, _d in edits)
    assert any('fill the empty ssl_ca' in d for p, d in edits if p == '/etc/neutron/neutron.conf')
    assert 'FIXTUREPW' not in json.dumps(result), 'no password in the plan'
    assert result['restart'] == ['cinder', 'neutron', 'nova']


@pytest.mark.parametrize('line,expected', [
    ('connection = mysql+pymysql://nova:pw@10.0.0.31/nova', 'connection = mysql+pymysql://nova:pw@10.0.0.31/nova?ssl_ca=/ca.pem'),
    ('connection = mysql+pymysql://nova:pw@db/nova?charset=utf8', 'connection = mysql+pymysql://nova:pw@db/nova?charset=utf8&ssl_ca=/ca.pem'),
    ('connection = mysql+pymysql://n:pw@db/n?ssl_ca=&charset=utf8', 'connection = mysql+pymysql://n:pw@db/n?ssl_ca=/ca.pem&charset=utf8'),
    ('connection = mysql+pymysql://n:pw@db/n?ssl_ca=/other.pem', 'connection = mysql+pymysql://n:pw@db/n?ssl_ca=/other.pem'),
    ('#connection = mysql+pymysql://n:pw@db/n', '#connection = mysql+pymysql://n:pw@db/n'),
])
def test_url_edits_are_right_and_idempotent(report, line, expected):
    target = {'host': 'n', 'file': '/f', 'setting': '[database] connection', 'service': 's'}
    findings = [{'control_id': DBC, 'status': 'fail', 'message': msg, 'target': target}
                for msg in ('[database] connection of s: no ssl_ca in the URL', '[database] connection of s: ssl_ca is empty')]
    findings.append({'control_id': 'scs-0125-db-server-tls', 'status': 'pass', 'message': 'ok', 'target': {'host': 'db'}})
    result = h.plan_host(findings, 'n', options={'db_ca_file': '/ca.pem'})

    def apply(text):
        for edit in result['edits']:
            text = re.sub(edit['regexp'], edit['replace'], text)
        return text
    assert apply(line + '\n') == expected + '\n'
    assert apply(apply(line + '\n')) == expected + '\n'


def test_transport_url_port_moves_to_tls_only_for_rabbit_5672(report):
    result = h.plan_host(report, 'ctl1', options=READY)
    edit = [e for e in result['edits'] if e['path'] == '/etc/neutron/neutron.conf' and 'transport_url' in e['description']][0]
    text = ('transport_url = rabbit://u:p@10.0.0.31:5672,u:p@10.0.0.32:5672/\n#transport_url = rabbit://u:p@h:5672/\n'
            'connection = mysql+pymysql://u:p@h:5672/x\n')
    once = re.sub(edit['regexp'], edit['replace'], text)
    assert once.splitlines()[0] == 'transport_url = rabbit://u:p@10.0.0.31:5671,u:p@10.0.0.32:5672/' or \
        once.splitlines()[0] == 'transport_url = rabbit://u:p@10.0.0.31:5671,u:p@10.0.0.32:5671/'
    assert once.splitlines()[1:] == text.splitlines()[1:], 'comments and other URLs untouched'


def test_plain_listener_is_closed_only_after_every_client(report):
    broker = {'control_id': MQB, 'status': 'fail', 'message': 'plain AMQP listener 10.0.0.31:5672 used by neutron',
              'target': {'host': 'ctl1', 'endpoint': '10.0.0.31:5672', 'setting': 'listeners.tcp'}}
    failing = copy.deepcopy(report)
    failing['findings'].append(broker)
    result = h.plan_host(failing, 'ctl1', options=READY)
    refused = [r for r in result['refused'] if r['control_id'] == MQB]
    assert refused and 'would cut off clients that still use plain AMQP: cinder' in refused[0]['message']
    assert 'listeners.tcp' not in [c['option'] for c in result['ini_changes']]
    # once every client passes, the listener is closed
    for finding in failing['findings']:
        if finding['control_id'] == MQC:
            finding['status'] = 'pass'
    result = h.plan_host(failing, 'ctl1', options=READY)
    assert ('/etc/rabbitmq/rabbitmq.conf', None, 'listeners.tcp', 'none') in \
        [(c['path'], c['section'], c['option'], c['value']) for c in result['ini_changes']]


def test_bad_input(report):
    bad = dict(report, schema_version='2.0')
    with pytest.raises(RemediationError, match='not supported'):
        h.plan_host(bad, 'ctl1')
    with pytest.raises(RemediationError, match='unknown control ids'):
        h.plan_host(report, 'ctl1', controls=['nope'])


def test_require_ssl_waits_for_the_url_changes_of_the_same_run(report):
    failing = copy.deepcopy(report)
    failing['findings'].append({'control_id': 'scs-0125-db-require-ssl', 'status': 'fail', 'message': "'nova'@'%' REQUIRE NONE",
                                'target': {'host': 'ctl1', 'account': "'nova'@'%'", 'endpoint': 'ctl1/mariadb'}})
    result = h.plan_host(failing, 'ctl1', controls=[DBC, 'scs-0125-db-require-ssl'], options=READY)
    assert result['accounts'] == [] and result['edits']
    assert 'REQUIRE SSL would lock out services that do not connect with TLS yet' in result['refused'][-1]['message']
    for finding in failing['findings']:
        if finding['control_id'] == DBC:
            finding['status'] = 'pass'
    result = h.plan_host(failing, 'ctl1', controls=[DBC, 'scs-0125-db-require-ssl'], options=READY)
    assert result['accounts'] == [{'user': 'nova', 'host': '%', 'server': 'ctl1/mariadb', 'controls': ['scs-0125-db-require-ssl']}]


def _broker_findings(client_status='fail'):
    return [{'control_id': MQB, 'status': 'fail', 'message': 'RabbitMQ node rabbit@mq1 has no AMQPS (amqp/ssl) listener',
             'target': {'host': 'mq1', 'setting': 'listeners.ssl'}},
            {'control_id': MQB, 'status': 'fail', 'message': 'plain AMQP listener 0.0.0.0:5672 is enabled and used',
             'target': {'host': 'mq1', 'setting': 'listeners.tcp', 'endpoint': '0.0.0.0:5672'}},
            {'control_id': MQC, 'status': client_status, 'message': 'x', 'target': {
                'host': 'ctl1', 'service': 'nova', 'setting': '[oslo_messaging_rabbit] ssl'}}]


def test_broker_tls_listener_needs_certificate_files():
    result = h.plan_host(_broker_findings(), 'mq1')
    assert result['ini_changes'] == []
    manual = ' | '.join(m['message'] for m in result['manual'])
    assert '/etc/rabbitmq/ssl/server-cert.pem, /etc/rabbitmq/ssl/server-key.pem, /etc/rabbitmq/ssl/ca.pem' in manual
    assert 'remediate_host_mq_server_cert' in manual
    files = {'mq_server_cert': '/etc/rabbitmq/c.pem', 'mq_server_key': '/etc/rabbitmq/k.pem', 'mq_server_ca': '/etc/rabbitmq/ca.pem',
             'rabbitmq_tls_listener': '127.0.0.1:5671'}
    result = h.plan_host(_broker_findings(), 'mq1', options=files)
    ini = dict((c['option'], c['value']) for c in result['ini_changes'])
    assert ini.pop('ssl_options.ciphers.1') == 'TLS_AES_128_GCM_SHA256' and ini.pop('ssl_options.ciphers.4') == 'ECDHE-ECDSA-AES128-GCM-SHA256'
    assert sorted(k for k in ini if k.startswith('ssl_options.ciphers.')) == ['ssl_options.ciphers.%d' % n for n in (10, 11, 12, 2, 3, 5, 6, 7, 8, 9)]
    ini = dict((k, v) for k, v in ini.items() if not k.startswith('ssl_options.ciphers.') and 'honor' not in k)
    assert ini == {'listeners.ssl.default': '127.0.0.1:5671', 'ssl_options.cacertfile': '/etc/rabbitmq/ca.pem',
                   'ssl_options.certfile': '/etc/rabbitmq/c.pem', 'ssl_options.keyfile': '/etc/rabbitmq/k.pem',
                   'ssl_options.verify': 'verify_peer', 'ssl_options.fail_if_no_peer_cert': 'false',
                   'ssl_options.versions.1': 'tlsv1.3', 'ssl_options.versions.2': 'tlsv1.2'}
    assert 'listeners.tcp = none would cut off clients that still use plain AMQP: nova' in ' | '.join(r['message'] for r in result['refused'])
    # every client passes, but the TLS listener is new in this run: the plain one still stays
    result = h.plan_host(_broker_findings('pass'), 'mq1', options=files)
    assert 'the TLS listener or the clients change in this same run' in ' | '.join(r['message'] for r in result['refused'])


def _db_findings(client_status='fail', server_status='fail'):
    return [{'control_id': 'scs-0125-db-server-tls', 'status': server_status, 'message': 'db1/mariadb: TLS is off (have_ssl = DISABLED)',
             'target': {'host': 'db1', 'endpoint': '127.0.0.1:3306', 'setting': 'have_ssl'}},
            {'control_id': DBC, 'status': client_status, 'message': 'x', 'target': {
                'host': 'ctl1', 'service': 'nova', 'setting': '[database] connection'}},
            {'control_id': 'scs-0125-db-require-ssl', 'status': 'fail', 'message': 'REQUIRE NONE',
             'target': {'host': 'db1', 'account': "'nova'@'%'"}}]


def test_mariadb_server_tls_and_require_secure_transport():
    result = h.plan_host(_db_findings(), 'db1', options={'mysql_server_conf': '/etc/my.cnf'})
    assert result['ini_changes'] == [] and '/etc/my.cnf [mysqld] ssl_cert, ssl_key, ssl_ca' in result['manual'][0]['message']
    files = {'db_server_cert': '/etc/mysql/ssl/c.pem', 'db_server_key': '/etc/mysql/ssl/k.pem', 'db_server_ca': '/etc/mysql/ssl/ca.pem',
             'mysql_server_conf': '/etc/my.cnf', 'mysql_server_section': 'mariadbd', 'require_secure_transport': True}
    result = h.plan_host(_db_findings(), 'db1', levels=['MUST', 'SHOULD'], options=files)
    ini = dict((c['option'], (c['path'], c['section'], c['value'])) for c in result['ini_changes'])
    assert ini.pop('ssl_cipher')[2].startswith('ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:')
    assert ini == {'ssl_cert': ('/etc/my.cnf', 'mariadbd', '/etc/mysql/ssl/c.pem'), 'ssl_key': ('/etc/my.cnf', 'mariadbd', '/etc/mysql/ssl/k.pem'),
                   'ssl_ca': ('/etc/my.cnf', 'mariadbd', '/etc/mysql/ssl/ca.pem'), 'tls_version': ('/etc/my.cnf', 'mariadbd', 'TLSv1.2,TLSv1.3')}
    assert 'require_secure_transport = ON would lock out' in ' | '.join(r['message'] for r in result['refused'])
    result = h.plan_host(_db_findings('pass', 'pass'), 'db1', levels=['MUST', 'SHOULD'], options=files)
    assert [(c['option'], c['value']) for c in result['ini_changes']] == [('require_secure_transport', 'ON')]
    assert [a['user'] for a in result['accounts']] == ['nova']


def test_server_certificates_from_the_operator_ca():
    ca = {'ca_cert': '/ctl/ca.pem', 'ca_key': '/ctl/ca.key', 'mysql_server_conf': '/etc/my.cnf', 'cert_sans': ['db.example']}
    result = h.plan_host(_db_findings(), 'db1', options=ca)
    [cert] = result['certificates']
    assert (cert['service'], cert['purpose'], cert['cert'], cert['key'], cert['ca']) == (
        'mariadb', 'server', '/etc/mysql/ssl/server-cert.pem', '/etc/mysql/ssl/server-key.pem', '/etc/mysql/ssl/ca.pem')
    assert cert['subject_alt_name'] == ['DNS:db1', 'DNS:db.example', 'IP:127.0.0.1']
    assert ('ssl_cert', '/etc/mysql/ssl/server-cert.pem') in [(c['option'], c['value']) for c in result['ini_changes']]
    # the operator's own files win; half of them is not enough to issue
    result = h.plan_host(_db_findings(), 'db1', options=dict(ca, db_server_cert='/x.pem'))
    assert result['certificates'] == [] and result['ini_changes'] == []
    result = h.plan_host(_broker_findings(), 'mq1', options=ca)
    assert [c['service'] for c in result['certificates']] == ['rabbitmq']


def test_openstack_ansible_layout_writes_osa_variables(report):
    findings = _db_findings() + _broker_findings()
    result = h.plan_host(findings, 'db1', levels=['MUST', 'SHOULD'], options={'layout': 'osa'})
    variables = dict((v['key'], (v['value'], v['controls'])) for v in result['osa']['variables'])
    assert variables['galera_use_ssl'] == (True, ['scs-0125-db-client-tls', 'scs-0125-db-server-tls'])
    assert variables['rabbitmq_port_bindings'][0] == {'ssl_listeners': {'0.0.0.0': 5671}, 'tcp_listeners': {'0.0.0.0': 5672}}
    assert variables['rabbitmq_use_ssl'][0] is True, 'the TLS listener planned in the same run comes first (rabbitmq_server playbook)'
    assert 'galera_require_secure_transport' not in variables and 'listeners.tcp' not in json.dumps(variables)
    refused = ' | '.join(r['message'] for r in result['refused'])
    assert 'galera_require_secure_transport: true would lock out' in refused and 'closing the plain AMQP listener' in refused
    assert result['osa']['commands'][:2] == ['openstack-ansible openstack.osa.galera_server', 'openstack-ansible openstack.osa.rabbitmq_server']
    assert 'openstack-ansible openstack.osa.nova' in result['osa']['commands']
    assert result['ini_changes'] == [] and result['accounts'] == [] and result['certificates'] == []
    # every client passes: the plain listener closes and TLS is required
    result = h.plan_host(_db_findings('pass', 'pass')[1:] + _broker_findings('pass')[1:], 'db1', levels=['MUST', 'SHOULD'],
                         options={'layout': 'osa'})
    variables = dict((v['key'], v['value']) for v in result['osa']['variables'])
    assert variables == {'galera_require_secure_transport': True, 'rabbitmq_port_bindings': {'ssl_listeners': {'0.0.0.0': 5671}},
                         'rabbitmq_additional_config': {'listeners.tcp': 'none'}}


def test_osa_block_round_trip_and_damage():
    from ansible_collections.scs.secure_connections.plugins.module_utils._remediate import host_osa as o
    block = o.render_block({'galera_use_ssl': {'value': True, 'controls': {'scs-0125-db-server-tls'}},
                            'rabbitmq_port_bindings': {'value': o.TLS_ONLY, 'controls': {'scs-0125-mq-broker-tls'}}})
    text = 'foo: 1\n%s\n%s\n%s\nbar: 2\n' % (o.BEGIN_MARKER, block, o.END_MARKER)
    outside, entries = o.split_block(text)
    assert outside == 'foo: 1\nbar: 2' and entries['rabbitmq_port_bindings']['value'] == o.TLS_ONLY
    with pytest.raises(RemediationError):
        o.split_block(text.replace(o.END_MARKER, ''))
    with pytest.raises(RemediationError):
        o.split_block(text.replace('bar: 2', '').replace(o.END_MARKER, 'nova_x: 1\n' + o.END_MARKER))


@pytest.mark.parametrize('endpoint,host', [('10.0.0.5:3306', '10.0.0.5'), ('[fd00::5]:5671', 'fd00::5'), ('db.example:3306', 'db.example'),
                                           ('db1/mariadb', None), ('', None)])
def test_endpoint_host_gives_addresses_only(endpoint, host):
    from ansible_collections.scs.secure_connections.plugins.module_utils._remediate.host_certs import endpoint_host
    assert endpoint_host(endpoint) == host


def test_osa_user_variables_block_damaged_or_foreign_is_an_error():
    from ansible_collections.scs.secure_connections.plugins.module_utils._remediate import host_osa  # pylint: disable=import-outside-toplevel
    begin, end = host_osa.BEGIN_MARKER, host_osa.END_MARKER
    outside, entries = host_osa.split_block('a: 1\n%s\nrabbitmq_use_ssl: true  # scs-0125-mq-broker-tls\n%s\nb: 2\n' % (begin, end))
    assert outside == 'a: 1\nb: 2' and entries == {'rabbitmq_use_ssl': {'value': True, 'controls': {'scs-0125-mq-broker-tls'}}}
    with pytest.raises(RemediationError, match='user_variables.yml has 2 .* the managed block is damaged'):
        host_osa.split_block('%s\n%s\n%s\n' % (begin, begin, end))
    with pytest.raises(RemediationError, match='not written by this role'):
        host_osa.split_block('%s\nmy_own: x\n%s\n' % (begin, end))
