# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The real audit playbook over two planted trees (kolla and distro, tests/unit/secrets/planted.py:
a unique secret in every secret-bearing setting of every format the collection reads), at -vvv.

Every output is searched for every planted secret: Ansible's stdout/stderr at -vvv (module
arguments and results), every registered result and host variable (dumped by a play after the
audit), every report format and the JSON evidence. No live service is needed: the gatherers read
the trees; probes that would need a peer are switched off or fail fast on loopback.
"""

from __future__ import absolute_import, division, print_function

import json
import os
import subprocess
import sys

import pytest
import yaml

from lab.paths import REPO, collections_root

sys.path.insert(0, os.path.join(REPO, 'tests', 'unit', 'secrets'))
from planted import leaks, plant  # noqa: E402  pylint: disable=wrong-import-position

PLAYBOOK = """
- name: The audit
  ansible.builtin.import_playbook: scs.secure_connections.audit

- name: Dump every host variable and registered result
  hosts: all
  gather_facts: false
  tasks:
    - name: Write hostvars
      ansible.builtin.copy:
        content: "{{ hostvars[inventory_hostname] | to_json }}"
        dest: "{{ dump_dir }}/hostvars-{{ inventory_hostname }}.json"
        mode: "0600"
      delegate_to: localhost
"""


@pytest.fixture(scope='module')
def audited(tmp_path_factory):
    tmp = tmp_path_factory.mktemp('planted')
    tokens, hosts = {}, {}
    for layout in ('kolla', 'distro'):
        root = tmp / layout
        root.mkdir()
        tokens.update(plant(str(root), layout, seed=len(layout)))
        hosts['node-' + layout] = {'ansible_connection': 'local', 'audit_root': str(root), 'audit_tls_discover_listeners': False,
                                   'audit_mq_live': False, 'audit_mq_tls_probe': False, 'audit_db_query': 'never',
                                   'audit_db_tls_probe': False, 'audit_hv_probe_auth': False, 'audit_hv_tls_probe': False}
    # secrets the operator gives the audit (role variables): hidden from the log (module arguments at
    # -vvv), the registered results and the reports; hostvars hold them as given, so the dump is
    # searched without these variables
    given = dict(('PLNTGIVEN%dx%s' % (i, os.urandom(4).hex()), what) for i, what in enumerate(
        ('RABBITMQ_ERLANG_COOKIE in audit_mq_cli_env', '-setcookie in audit_mq_cli_env', 'audit_db_login_password',
         'audit_mq_amqp_password', 'audit_api_auth password')))
    g = sorted(given, key=lambda t: int(t[9:t.index('x')]))
    hosts['node-kolla'].update(audit_mq_cli_env={'RABBITMQ_ERLANG_COOKIE': g[0], 'RABBITMQ_CTL_ERL_ARGS': '-setcookie %s' % g[1]},
                               audit_db_login_password=g[2], audit_db_login_user='audit', audit_mq_amqp_user='audit',
                               audit_mq_amqp_password=g[3],
                               audit_api_auth={'auth_url': 'https://127.0.0.1:9/v3', 'username': 'audit', 'password': g[4],
                                               'project_name': 'admin', 'user_domain_name': 'Default', 'project_domain_name': 'Default'})
    tokens.update(given)
    inventory = tmp / 'inventory.yml'
    inventory.write_text(yaml.safe_dump({'all': {'hosts': hosts}}))
    out = tmp / 'report'
    dump = tmp / 'dump'
    dump.mkdir()
    playbook = tmp / 'play.yml'
    playbook.write_text(PLAYBOOK)
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=collections_root(), ANSIBLE_CONFIG=os.path.join(REPO, 'ansible.cfg'),
               ANSIBLE_NOCOLOR='1', ANSIBLE_PYTHON_INTERPRETER=sys.executable, ANSIBLE_LOCAL_TEMP=str(tmp / 'ansible-tmp'))
    argv = [os.path.join(os.path.dirname(sys.executable), 'ansible-playbook'), '-vvv', '-i', str(inventory), str(playbook),
            '-e', json.dumps({'report_output_dir': str(out), 'dump_dir': str(dump)})]
    proc = subprocess.run(argv, env=env, cwd=str(tmp), stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=900, check=False)
    rc, log = proc.returncode, (proc.stdout + b'\n' + proc.stderr).decode('utf-8', 'surrogateescape')
    return {'rc': rc, 'log': log, 'tokens': tokens, 'out': out, 'dump': dump, 'given': sorted(set(hosts['node-kolla']) - set(hosts['node-distro']))}


def _outputs(audited):
    yield 'ansible-playbook -vvv output', audited['log']
    for directory in (audited['out'], audited['dump']):
        for name in sorted(os.listdir(str(directory))):
            with open(os.path.join(str(directory), name), encoding='utf-8', errors='surrogateescape') as handle:
                text = handle.read()
            if name.startswith('hostvars-'):
                hostvars = json.loads(text)
                for key in audited['given']:
                    hostvars.pop(key, None)
                text = json.dumps(hostvars)
            yield name, text


def test_the_audit_ran_and_wrote_every_output(audited):
    assert audited['rc'] == 0, audited['log'][-4000:]
    names = os.listdir(str(audited['out']))
    for fmt in ('json', 'junit.xml', '.md', '.html', 'results.txt'):
        assert any(fmt in n for n in names), (fmt, names)
    hostvars = json.loads((audited['dump'] / 'hostvars-node-kolla.json').read_text())
    discovery = hostvars['audit_evidence']['discovery']
    assert discovery['infrastructure']['rabbitmq'] and discovery['infrastructure']['kafka'], 'the planted files were read'
    report = json.loads((audited['out'] / 'scs-0125-report.json').read_text())
    assert sorted(n['host'] for n in report['nodes']) == ['node-distro', 'node-kolla']


def test_no_planted_secret_in_any_output(audited):
    found = dict((name, leaks(text, audited['tokens'])) for name, text in _outputs(audited))
    assert dict((k, v) for k, v in found.items() if v) == {}
