# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The API channel end to end against a real Keystone: keystone_catalog_info (through module_utils,
as a module, and through ansible-playbook), the real TLS probe of every catalog endpoint, and the
scs-0125-api-* rules with the verdict each endpoint must get (lab.keystone.mixed_catalog)."""

from __future__ import absolute_import, division, print_function

import json
import os

import pytest

from keystone_helpers import run_module, run_playbook
from lab.paths import REPO

from ansible_collections.scs.secure_connections.plugins.module_utils._core.evaluator import evaluate
from ansible_collections.scs.secure_connections.plugins.module_utils._gather.keystone import collect_catalog
from ansible_collections.scs.secure_connections.plugins.module_utils._gather.openstack import classify_error
from ansible_collections.scs.secure_connections.plugins.module_utils._rules.api import INTERNAL, PUBLIC

CONTROL_OF = {'public': PUBLIC, 'internal': INTERNAL, 'admin': INTERNAL}


def probe(catalog, ca_file):
    """The real TLS probe (tls_endpoint_info's engine) of the catalog's probe targets."""
    from ansible_collections.scs.secure_connections.plugins.module_utils._tls.scan import scan_endpoints
    targets = catalog['probe_targets']
    internal = []
    for target in targets['internal'] + targets['admin']:
        if target not in internal:
            internal.append(target)
    return scan_endpoints(targets['public'] + internal, {'ca_files': [ca_file], 'timeout': 5})


def api_findings(catalog, tls_results, ignore):
    evidence = {'probe1': {'channels': ['api'], 'api': {
        'catalog': catalog, 'tls': {'endpoints': tls_results}, 'ignore': ignore,
        'interfaces': ['public', 'internal', 'admin'], 'admin_policy': 'internal',
        'probe': {'public_from': 'localhost', 'internal_from': 'probe1'}}}}
    return [f for f in evaluate(evidence) if f['control_id'] in (PUBLIC, INTERNAL)]


def check_expected(findings, rows, project_id=None):
    """Exactly one finding per catalog endpoint, with the expected status and reason.

    A token catalog has URL templates substituted (``$(project_id)s`` -> the token's project).
    """
    by_key = {}
    for finding in findings:
        key = (finding['evidence'].get('url'), finding['evidence'].get('interface'), finding['evidence'].get('region'))
        assert key not in by_key, 'two findings for %s' % (key,)
        by_key[key] = finding
    problems = []
    for row in rows:
        url = row['url'].replace('$(project_id)s', project_id) if project_id else row['url']
        finding = by_key.get((url, row['interface'], row['region']))
        if finding is None:
            problems.append('no finding for %s %s' % (row['interface'], row['url']))
            continue
        if finding['control_id'] != CONTROL_OF[row['interface']]:
            problems.append('%s %s under %s' % (row['interface'], row['url'], finding['control_id']))
        if finding['status'] != row['expect'] or row['why'] not in finding['message']:
            problems.append('%s %s: expected %s (%s), got %s: %s' % (row['interface'], row['url'], row['expect'], row['why'],
                                                                     finding['status'], finding['message']))
    assert not problems, '\n'.join(problems)
    return by_key


def test_catalog_through_module_utils(keystone_lab):
    lab = keystone_lab
    conn = lab.ks.connect()
    try:
        out = collect_catalog(conn, ignore=lab.ignore, classify=classify_error)
    finally:
        conn.close()
    assert out['status'] == 'ok' and out['source'] == 'admin_api'
    by_key = dict(((e['url'], e['interface'], e['region']), e) for e in out['endpoints'])
    assert len(out['endpoints']) == len(lab.rows)
    for row in lab.rows:
        entry = by_key[(row['url'], row['interface'], row['region'])]
        assert entry['service_type'] == row['service_type'] and entry['enabled'] is row['enabled']
        assert entry['id'] == row['id']
    row = [r for r in lab.rows if r['service_type'] == 'volumev3' and r['interface'] == 'public'][0]
    cinder = by_key[(row['url'], 'public', row['region'])]
    assert cinder['port'] is None and 'invalid port' in cinder['parse_error']
    assert [i['match'] for i in out['ignored']] == [lab.ignore[0]['endpoint']]
    public_ports = sorted(t['port'] for t in out['probe_targets']['public'])
    assert public_ports == sorted([lab.fe.good, lab.fe.weak])  # http, malformed and ignored ones are not probed
    assert all(t['server_name'] == 'localhost' for t in out['probe_targets']['public'])


def test_module_admin_catalog_real_probe_and_rules(keystone_lab):
    lab = keystone_lab
    catalog, raw = run_module({'cloud': lab.ks.cloud(), 'ignore': lab.ignore})
    assert catalog['status'] == 'ok', catalog['error']
    assert catalog['source'] == 'admin_api' and 'complete catalog' in catalog['source_reason']
    assert catalog['changed'] is False
    assert catalog['invocation']['module_args']['cloud']['auth']['username'] == 'admin'  # non-secret values stay readable
    assert catalog['summary']['by_interface'] == {'public': 7, 'internal': 6, 'admin': 2}
    lab.assert_no_secret(raw, 'module output')
    results = probe(catalog, lab.ks.ca_file)
    findings = api_findings(catalog, results, lab.ignore)
    by_key = check_expected(findings, lab.rows)
    lab.assert_no_secret(json.dumps(findings), 'findings')
    # the disabled endpoint is judged and said to be disabled
    disabled = [r for r in lab.rows if not r['enabled']][0]
    assert 'disabled in Keystone' in by_key[(disabled['url'], disabled['interface'], disabled['region'])]['message']


def test_module_member_uses_token_catalog(keystone_lab):
    lab = keystone_lab
    cloud = lab.ks.cloud(username='auditor', password=lab.member_password, project_name='audit')
    catalog, raw = run_module({'cloud': cloud, 'ignore': lab.ignore})
    assert catalog['status'] == 'ok', catalog['error']
    assert catalog['source'] == 'token_catalog'
    assert 'forbidden' in catalog['source_reason'] and 'omits disabled endpoints' in catalog['source_reason']
    lab.assert_no_secret(raw, 'module output')
    present = [r for r in lab.rows if r['enabled']]
    assert len(catalog['endpoints']) == len(present)  # the disabled endpoint is not in a token catalog
    findings = api_findings(catalog, probe(catalog, lab.ks.ca_file), lab.ignore)
    check_expected(findings, present, project_id=catalog['identity']['project_id'])
    assert any(catalog['identity']['project_id'] in e['url'] for e in catalog['endpoints'])


def test_module_system_reader_lists_the_complete_catalog(keystone_lab):
    """Least privilege: a system-scoped reader may list every endpoint without any admin role."""
    lab = keystone_lab
    auth = {'auth_url': lab.ks.auth_url, 'username': 'catalog-reader', 'password': lab.reader_password,
            'user_domain_name': 'Default', 'system_scope': 'all'}
    catalog, raw = run_module({'auth': auth, 'ca_cert': lab.ks.ca_file, 'ignore': lab.ignore})
    assert catalog['status'] == 'ok', catalog['error']
    assert catalog['source'] == 'admin_api'
    assert len(catalog['endpoints']) == len(lab.rows)
    assert catalog['invocation']['module_args']['auth']['username'] == 'catalog-reader'
    assert catalog['invocation']['module_args']['auth']['password'] == 'VALUE_SPECIFIED_IN_NO_LOG_PARAMETER'
    lab.assert_no_secret(raw, 'module output')


def _error_cases(lab):
    closed = 'https://127.0.0.1:%d/v3' % lab.closed_port
    return {
        'wrong credentials': ({'cloud': lab.ks.cloud(password=lab.wrong_password)}, 'auth', 'requires authentication'),
        'keystone unreachable': ({'cloud': lab.ks.cloud(auth_url=closed)}, 'unreachable', 'Connection refused'),
        'tls verification failed': ({'cloud': lab.ks.cloud(cacert=False)}, 'tls', 'CERTIFICATE_VERIFY_FAILED'),
        'cloud not in clouds.yaml': ({'cloud': 'no-such-cloud'}, 'config', 'no-such-cloud'),
    }


@pytest.mark.parametrize('case', ['wrong credentials', 'keystone unreachable', 'tls verification failed', 'cloud not in clouds.yaml'])
def test_catalog_errors_give_error_findings(keystone_lab, case):
    lab = keystone_lab
    args, kind, text = _error_cases(lab)[case]
    catalog, raw = run_module(args, env={'OS_CLIENT_CONFIG_FILE': lab.clouds_yaml})
    assert catalog['status'] == 'error' and catalog['changed'] is False
    assert catalog['error']['kind'] == kind, catalog['error']
    assert text in catalog['error']['message']
    assert catalog['endpoints'] == [] and catalog['source'] is None
    lab.assert_no_secret(raw, 'module output (%s)' % case)
    findings = api_findings(catalog, [], [])
    assert sorted(f['control_id'] for f in findings) == sorted([PUBLIC, INTERNAL])
    for finding in findings:
        assert finding['status'] == 'error'
        assert 'Keystone catalog could not be read' in finding['message'] and '(%s)' % kind in finding['message']
        assert text in finding['message']
    lab.assert_no_secret(json.dumps(findings), 'findings (%s)' % case)


PLAY_MODULE = '''
- hosts: localhost
  gather_facts: false
  tasks:
    - name: catalog through a clouds.yaml entry
      scs.secure_connections.keystone_catalog_info:
        cloud: lab
        ignore: "{{ lab_ignore }}"
      register: good

    - name: catalog with inline auth and a wrong password
      scs.secure_connections.keystone_catalog_info:
        auth: "{{ lab_wrong_auth }}"
        ca_cert: "{{ lab_ca }}"
      register: bad

    - name: catalog in check mode with the member's credentials
      scs.secure_connections.keystone_catalog_info:
        auth: "{{ lab_member_auth }}"
        cacert: "{{ lab_ca }}"
        catalog_source: token_catalog
      check_mode: true
      register: member

    - name: save the results
      ansible.builtin.copy:
        content: "{{ {'good': good, 'bad': bad, 'member': member} | to_json }}"
        dest: "{{ lab_out }}"
        mode: "0600"
'''


def test_module_through_ansible_playbook(keystone_lab, tmp_path):
    lab = keystone_lab
    auth = lab.ks.cloud()['auth']
    member_auth = dict(auth, username='auditor', password=lab.member_password, project_name='audit')
    out = tmp_path / 'out.json'
    rc, output = run_playbook(tmp_path, PLAY_MODULE, env={'OS_CLIENT_CONFIG_FILE': lab.clouds_yaml}, extra_vars={
        'lab_ignore': lab.ignore, 'lab_wrong_auth': dict(auth, password=lab.wrong_password), 'lab_ca': lab.ks.ca_file,
        'lab_member_auth': member_auth, 'lab_out': str(out)})
    assert rc == 0, output[-4000:]
    results = json.loads(out.read_text())
    assert results['good']['status'] == 'ok' and results['good']['source'] == 'admin_api'
    assert len(results['good']['endpoints']) == len(lab.rows)
    assert results['good']['ignored'][0]['reason'] == lab.ignore[0]['reason']
    # the word "admin" (user name and interface) and Keystone's URL survive Ansible's no_log masking
    assert 'admin' in [e['interface'] for e in results['good']['endpoints']]
    assert results['bad']['status'] == 'error' and results['bad']['error']['kind'] == 'auth'
    assert results['bad']['identity']['auth_url'] == lab.ks.auth_url
    assert results['member']['status'] == 'ok' and results['member']['source'] == 'token_catalog'
    assert 'admin' in [e['interface'] for e in results['member']['endpoints']]
    # -vvv output: module arguments and results of every task
    lab.assert_no_secret(output, 'ansible-playbook -vvv output')
    lab.assert_no_secret(out.read_text(), 'registered results')


PLAY_ROLE = '''
- hosts: all
  gather_facts: false
  tasks:
    - name: start with empty evidence
      ansible.builtin.set_fact:
        audit_evidence: {channels: []}

    - name: the API channel of the audit role
      ansible.builtin.include_role:
        name: scs.secure_connections.audit
        tasks_from: channel_api.yml

    - name: save the evidence of every host
      ansible.builtin.copy:
        content: "{{ audit_evidence | to_json }}"
        dest: "{{ lab_out }}/{{ inventory_hostname }}.json"
        mode: "0600"
'''

INVENTORY = '''
[compute]
cmp1 ansible_connection=local
[control]
ctl1 ansible_connection=local
ctl2 ansible_connection=local
'''


def test_audit_role_channel_api(keystone_lab, tmp_path):
    """Three hosts (both "nodes" are this machine): the catalog is read once, internal endpoints are probed
    from the first control host, public ones from the controller, and only ctl1 holds the evidence."""
    if not os.path.exists(os.path.join(REPO, 'plugins', 'modules', 'tls_endpoint_info.py')):
        pytest.skip('the tls_endpoint_info module is not in this clone yet')
    lab = keystone_lab
    inventory = tmp_path / 'inventory.ini'
    inventory.write_text(INVENTORY)
    rc, output = run_playbook(tmp_path, PLAY_ROLE, env={'OS_CLIENT_CONFIG_FILE': lab.clouds_yaml}, inventory=str(inventory),
                              extra_vars={'audit_api_cloud': 'lab', 'audit_api_ignore': lab.ignore,
                                          'audit_api_tls_ca_files': [lab.ks.ca_file], 'lab_out': str(tmp_path)})
    assert rc == 0, output[-4000:]
    assert output.count('TASK [scs.secure_connections.audit : API | Read the Keystone service catalog]') == 1
    assert output.count('"source": "admin_api"') >= 1
    evidence = dict((host, json.loads((tmp_path / ('%s.json' % host)).read_text())) for host in ('cmp1', 'ctl1', 'ctl2'))
    assert evidence['cmp1'] == {'channels': []} and evidence['ctl2'] == {'channels': []}
    assert evidence['ctl1']['channels'] == ['api']
    api = evidence['ctl1']['api']
    assert api['catalog']['status'] == 'ok' and 'invocation' not in api['catalog']
    assert api['probe']['catalog_from'] == 'ctl1'
    assert api['probe']['public_from'] == 'localhost' and api['probe']['internal_from'] == 'ctl1'
    assert api['probe']['public_error'] is None and api['probe']['internal_error'] is None
    labels = sorted(r['label'] for r in api['tls']['endpoints'])
    # public: good + weak listener; internal + admin, deduplicated by host:port: good, weak, closed port
    assert labels == ['api-internal'] * 3 + ['api-public'] * 2
    findings = [f for f in evaluate(evidence) if f['control_id'] in (PUBLIC, INTERNAL)]
    assert set(f['target']['host'] for f in findings) == {'ctl1'}
    check_expected(findings, lab.rows)
    lab.assert_no_secret(output, 'ansible-playbook -vvv output')
    for host in evidence:
        lab.assert_no_secret(json.dumps(evidence[host]), 'recorded evidence of %s' % host)
