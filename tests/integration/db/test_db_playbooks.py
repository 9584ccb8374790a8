# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The real module and the real channel task file through ansible-playbook, against real MariaDB."""

from __future__ import absolute_import, division, print_function

import copy
import json
import os
import subprocess
import sys

import pytest

from lab.paths import REPO, collections_root

from ansible_collections.scs.secure_connections.plugins.module_utils._rules import db as rules
from ansible_collections.scs.secure_connections.plugins.module_utils._core.evaluator import evaluate


def ansible_playbook(tmp_path, playbook, inventory='localhost,', extra_vars=None, verbosity='-vv'):
    play = tmp_path / 'play.yml'
    play.write_text(playbook)
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=collections_root(), ANSIBLE_CONFIG=os.path.join(REPO, 'ansible.cfg'),
               ANSIBLE_NOCOLOR='1', ANSIBLE_FORCE_COLOR='0', ANSIBLE_PYTHON_INTERPRETER=sys.executable,
               ANSIBLE_LOCAL_TEMP=str(tmp_path / 'ansible-tmp'))
    argv = [os.path.join(os.path.dirname(sys.executable), 'ansible-playbook'), '-i', inventory, '-c', 'local', str(play), verbosity]
    if extra_vars:
        argv += ['-e', json.dumps(extra_vars)]
    proc = subprocess.run(argv, env=env, cwd=str(tmp_path), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=300,
                          universal_newlines=True, check=False)
    return proc.returncode, proc.stdout


MODULE_PLAY = '''
- hosts: localhost
  gather_facts: false
  vars:
    common: &common
      login_host: 127.0.0.1
      login_user: scs_audit
      connect_timeout: 2
  tasks:
    - name: TLS server, audit login with SELECT on mysql.global_priv
      scs.secure_connections.mysql_tls_info:
        <<: *common
        login_port: "{{ tls_port }}"
        login_password: "{{ audit_pw }}"
        service_accounts: [{user: nova, service: nova}, {user: nova_api, service: nova}]
        label: lab-tls
      register: r_ok
    - name: Wrong password
      scs.secure_connections.mysql_tls_info:
        <<: *common
        login_port: "{{ tls_port }}"
        login_password: "wrong-{{ audit_pw }}"
      register: r_wrong
    - name: Login without SELECT on mysql.*
      scs.secure_connections.mysql_tls_info:
        <<: *common
        login_user: scs_audit_min
        login_port: "{{ tls_port }}"
        login_password: "{{ audit_min_pw }}"
      register: r_min
    - name: Server down
      scs.secure_connections.mysql_tls_info:
        <<: *common
        login_port: "{{ down_port }}"
        login_password: "{{ audit_pw }}"
      register: r_down
    - name: Not a MySQL server (HTTP)
      scs.secure_connections.mysql_tls_info:
        <<: *common
        login_port: "{{ http_port }}"
        login_password: "{{ audit_pw }}"
      register: r_http
    - name: Check mode gives the same
      scs.secure_connections.mysql_tls_info:
        <<: *common
        login_port: "{{ tls_port }}"
        login_password: "{{ audit_pw }}"
      check_mode: true
      register: r_check
    - name: Save
      ansible.builtin.copy:
        content: "{{ {'ok': r_ok, 'wrong': r_wrong, 'min': r_min, 'down': r_down, 'http': r_http, 'check': r_check} | to_nice_json }}"
        dest: "{{ out }}"
        mode: "0600"
'''


def test_module_through_ansible_playbook(tmp_path, db_tls, down_port, http_port):
    out = tmp_path / 'results.json'
    rc, output = ansible_playbook(tmp_path, MODULE_PLAY, extra_vars={
        'tls_port': db_tls.db.port, 'audit_pw': db_tls.audit_password, 'audit_min_pw': db_tls.audit_min_password,
        'down_port': down_port, 'http_port': http_port, 'out': str(out)})
    assert rc == 0, output
    results = json.loads(out.read_text())
    for secret in db_tls.secrets():
        assert secret not in output, 'a password appeared in the ansible-playbook output'
        assert secret not in out.read_text(), 'a password appeared in a registered result'
    ok = results['ok']
    assert ok['status'] == 'ok' and ok['changed'] is False and ok['label'] == 'lab-tls'
    assert ok['have_ssl'] == 'YES' and ok['session']['tls'] is True
    assert [(s['user'], s['found']) for s in ok['service_accounts']] == [('nova', True), ('nova_api', True)]
    assert (results['wrong']['status'], results['wrong']['error']['kind']) == ('error', 'auth')
    assert results['wrong']['failed'] is False        # an unreachable server is a result, not a failed task
    assert results['min']['status'] == 'ok' and results['min']['accounts'] is None
    assert results['min']['unreadable'][0]['what'] == 'accounts'
    assert (results['down']['status'], results['down']['error']['kind']) == ('error', 'refused')
    assert (results['http']['status'], results['http']['error']['kind']) == ('error', 'not_mysql')
    assert results['check']['status'] == 'ok' and results['check']['changed'] is False


CHANNEL_PLAY = '''
- hosts: all
  gather_facts: false
  tasks:
    - name: Run the db channel of the audit role
      ansible.builtin.include_role:
        name: scs.secure_connections.audit
        tasks_from: channel_db.yml
    - name: Save the evidence
      ansible.builtin.copy:
        content: "{{ audit_evidence | to_nice_json }}"
        dest: "{{ out_dir }}/{{ inventory_hostname }}.json"
        mode: "0600"
'''


def _discovery(db, ca_path, missing_ca):
    def url(user, query, section='database'):
        return {'file': '/etc/nova/nova.conf', 'section': section, 'option': 'connection', 'driver': 'pymysql', 'dialect': 'mysql',
                'url': 'mysql+pymysql://%s:********@127.0.0.1:%s/%s' % (user, db.port, user), 'user': user, 'host': '127.0.0.1',
                'port': db.port, 'database': user, 'query': query}
    return {'root': '/', 'layouts': [{'name': 'distro', 'evidence': []}], 'listeners': [], 'infrastructure': {'mysql': []}, 'errors': [],
            'services': [{'service': 'nova', 'component': None, 'layout': 'distro', 'files': ['/etc/nova/nova.conf'], 'errors': [],
                          'transport_urls': [], 'api_clients': [],
                          'database_urls': [url('nova', {}), url('nova_api', {'ssl_ca': ca_path}, 'api_database')]},
                         {'service': 'placement', 'component': None, 'layout': 'distro', 'files': ['/etc/placement/placement.conf'],
                          'errors': [], 'transport_urls': [], 'api_clients': [],
                          'database_urls': [url('placement', {'ssl_ca': missing_ca}, 'placement_database')]}]}


def test_channel_task_file_through_ansible_playbook(tmp_path, db_tls, db_plain, down_port):
    """channel_db.yml on two hosts: a database host with three servers (TLS, plain, down) and a
    compute host that only checks the CA files of its URLs; the evidence is judged by the rules."""
    if not os.path.exists(os.path.join(REPO, 'plugins', 'modules', 'tls_endpoint_info.py')):
        pytest.fail('channel_db.yml calls scs.secure_connections.tls_endpoint_info, which is missing')
    missing_ca = str(tmp_path / 'no-such-ca.pem')
    disc = _discovery(db_tls.db, db_tls.db.ca, missing_ca)
    inventory = tmp_path / 'inventory.json'
    inventory.write_text(json.dumps({'all': {'hosts': {
        'ctl1': {'ansible_connection': 'local', 'audit_evidence': {'channels': [], 'discovery': disc},
                 'audit_db_servers': [{'login_host': '127.0.0.1', 'login_port': db_tls.db.port, 'label': 'ctl1/tls'},
                                      {'login_host': '127.0.0.1', 'login_port': db_plain.db.port, 'label': 'ctl1/plain',
                                       'login_password': db_plain.audit_password},
                                      {'login_host': '127.0.0.1', 'login_port': down_port, 'label': 'ctl1/down'}]},
        'cmp1': {'ansible_connection': 'local', 'audit_evidence': {'channels': [], 'discovery': disc}}}}}))
    out_dir = tmp_path / 'evidence'
    out_dir.mkdir()
    rc, output = ansible_playbook(tmp_path, CHANNEL_PLAY, inventory=str(inventory), verbosity='-v', extra_vars={
        'out_dir': str(out_dir), 'audit_db_login_user': 'scs_audit', 'audit_db_login_password': db_tls.audit_password,
        'audit_db_connect_timeout': 3, 'audit_tls_ca_files': [db_tls.db.ca]})
    assert rc == 0, output[-6000:]
    (tmp_path / "output.txt").write_text(output)
    for secret in db_tls.secrets() + db_plain.secrets():
        assert secret not in output
    by_host = dict((h, json.loads((out_dir / ('%s.json' % h)).read_text())) for h in ('ctl1', 'cmp1'))
    ctl, cmp_ = by_host['ctl1']['db'], by_host['cmp1']['db']
    assert by_host['ctl1']['channels'] == ['db']
    assert ctl['query'] == {'enabled': True, 'reason': 'audit_db_servers is set'}
    assert [(s['label'], s['status']) for s in ctl['servers']] == [('ctl1/tls', 'ok'), ('ctl1/plain', 'ok'), ('ctl1/down', 'error')]
    assert ctl['servers'][2]['error']['kind'] == 'refused'
    assert not any(k in ctl['servers'][0] for k in ('item', 'invocation', 'changed', 'failed', 'audit_db_index', 'ansible_index_var'))
    probes = dict((e['label'], e) for e in ctl['tls']['endpoints'])
    assert probes['ctl1/tls']['starttls'] == 'mysql' and probes['ctl1/tls']['mozilla']['compliant'] is True
    assert probes['ctl1/plain']['status'] == 'error' and probes['ctl1/plain']['error']['kind'] == 'plaintext'
    assert probes['ctl1/down']['status'] == 'error'
    assert cmp_['query']['enabled'] is False and 'not in group control/mariadb' in cmp_['query']['reason']
    assert cmp_['servers'] == [] and cmp_['tls']['endpoints'] == []
    files = dict((f['path'], f) for f in cmp_['client_ca_files'])
    assert files[db_tls.db.ca]['exists'] is True and files[db_tls.db.ca]['is_file'] is True
    assert files[missing_ca]['exists'] is False

    for secret in db_tls.secrets() + db_plain.secrets():
        assert secret not in json.dumps(by_host)
    findings = [f for f in evaluate(copy.deepcopy(by_host)) if f['channel'] == 'db']

    def pick(control, **target):
        return sorted(f['status'] for f in findings if f['control_id'] == control and all(f['target'].get(k) == v for k, v in target.items()))

    assert pick(rules.SERVER_TLS, endpoint='ctl1/tls') == ['pass']
    assert pick(rules.SERVER_TLS, endpoint='ctl1/plain') == ['fail']
    assert pick(rules.SERVER_TLS, endpoint='ctl1/down') == ['error']
    assert pick(rules.SERVER_TLS, host='cmp1') == ['not_applicable']
    assert pick(rules.CLIENT_TLS, host='cmp1', setting='[database] connection') == ['fail']             # no ssl_ca
    assert pick(rules.CLIENT_TLS, host='cmp1', setting='[api_database] connection') == ['pass']         # ssl_ca exists
    assert pick(rules.CLIENT_TLS, host='cmp1', setting='[placement_database] connection') == ['fail']   # ssl_ca missing
    assert pick(rules.REQUIRE_SSL, endpoint='ctl1/tls', account="'nova'@'%'") == ['fail']
    assert pick(rules.REQUIRE_SSL, endpoint='ctl1/tls', account="'nova_api'@'%'") == ['pass']
    assert pick(rules.REQUIRE_SSL, endpoint='ctl1/down') == ['error']
    assert pick(rules.REPLICATION_TLS, endpoint='ctl1/tls') == ['not_applicable']
