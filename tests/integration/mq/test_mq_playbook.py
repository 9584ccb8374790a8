# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The REAL module and the audit role's mq stage through ansible-playbook, against the lab nodes.

One playbook run: rabbitmq_tls_info on the "mixed" node (normal and check mode, AMQP check with a
password), then the audit role's channel_mq.yml (include_role tasks_from) on the "tls" node, whose
recorded evidence is evaluated by the mq rules. The run is verbose (-vvv) so that a password
leaking into a task result, an invocation or a log line would show up in the output.
"""

from __future__ import absolute_import, division, print_function

import json
import os
import subprocess
import sys

import pytest
import yaml

from ansible_collections.scs.secure_connections.plugins.module_utils._core.evaluator import RuleContext
from ansible_collections.scs.secure_connections.plugins.module_utils._rules.mq import BROKER, RULES
from lab.paths import collections_root

VENV_BIN = os.path.dirname(sys.executable)

PLAYBOOK = """
- name: rabbitmq_tls_info on a real node
  hosts: localhost
  gather_facts: false
  vars_files: [vars.yml]
  tasks:
    - name: gather (mixed node)
      scs.secure_connections.rabbitmq_tls_info:
        config_files: "{{ mixed.config_files }}"
        cli_env: "{{ mixed.cli_env }}"
        amqp_check:
          host: 127.0.0.1
          port: "{{ mixed.amqps_port }}"
          ca_file: "{{ ca_file }}"
          server_name: localhost
          user: "{{ mixed.user }}"
          password: "{{ mixed.password }}"
      register: module_result

    - name: gather in check mode
      scs.secure_connections.rabbitmq_tls_info:
        config_files: "{{ mixed.config_files }}"
        cli_env: "{{ mixed.cli_env }}"
        list_connections: false
      check_mode: true
      register: check_result

    - name: the audit role's mq stage (tls node)
      ansible.builtin.include_role:
        name: scs.secure_connections.audit
        tasks_from: channel_mq.yml
      vars:
        audit_evidence: {channels: [], discovery: {}}
        audit_mq_gather: always
        audit_mq_config_files: "{{ tls.config_files }}"
        audit_mq_cli_env: "{{ tls.cli_env }}"
        audit_mq_tls_ca_files: ["{{ ca_file }}"]
        audit_mq_tls_server_name: localhost
        audit_mq_amqp_check: {host: 127.0.0.1, port: "{{ tls.amqps_port }}", ca_file: "{{ ca_file }}", server_name: localhost}
        audit_mq_amqp_user: "{{ tls.user }}"
        audit_mq_amqp_password: "{{ tls.password }}"

    - name: write results
      ansible.builtin.copy:
        content: "{{ {'module': module_result, 'check': check_result, 'evidence': audit_evidence} | to_json }}"
        dest: "{{ out }}"
        mode: "0600"
"""


def _node_vars(node):
    return {'config_files': [node.conf_file, node.advanced_file, node.cli_env['RABBITMQ_ENABLED_PLUGINS_FILE']],
            'cli_env': dict(node.cli_env), 'amqps_port': node.amqps_port, 'user': node.user, 'password': node.password}


@pytest.fixture(scope='module')
def played(mq_lab, tmp_path_factory):
    ansible = os.path.join(VENV_BIN, 'ansible-playbook')
    if not os.path.exists(ansible):
        pytest.skip('ansible-playbook not found next to %s' % sys.executable)
    tmp = tmp_path_factory.mktemp('mq-playbook')
    out = tmp / 'results.json'
    (tmp / 'playbook.yml').write_text(PLAYBOOK)
    (tmp / 'vars.yml').write_text(yaml.safe_dump({'mixed': _node_vars(mq_lab.nodes['mixed']), 'tls': _node_vars(mq_lab.nodes['tls']),
                                                  'ca_file': mq_lab.ca.cert, 'out': str(out)}))
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=collections_root(), ANSIBLE_LOCALHOST_WARNING='0', ANSIBLE_INVENTORY_UNPARSED_WARNING='0',
               ANSIBLE_NOCOLOR='1', ANSIBLE_RETRY_FILES_ENABLED='0', ANSIBLE_PYTHON_INTERPRETER=sys.executable, LC_ALL='C.UTF-8')
    proc = subprocess.run([ansible, '-vvv', '-i', 'localhost,', '-c', 'local', 'playbook.yml'], env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, timeout=300, cwd=str(tmp), check=False)
    output = proc.stdout.decode('utf-8', 'replace') + proc.stderr.decode('utf-8', 'replace')
    assert proc.returncode == 0, output[-5000:]
    with open(str(out)) as handle:
        raw = handle.read()
    return {'results': json.loads(raw), 'output': output, 'raw': raw}


def test_module_result_through_ansible(mq_lab, played):
    result = played['results']['module']
    assert result['changed'] is False and result['present'] is True
    assert result['live']['status'] == 'ok'
    assert result['amqp_check']['status'] == 'ok' and result['amqp_check']['login']['status'] == 'ok'
    by = dict((c['client'], c) for c in result['live']['connections']['summary']['clients'])
    assert by['nova-compute']['plain'] == 1 and by['nova-conductor']['tls'] == 1
    assert played['results']['check']['changed'] is False and played['results']['check']['live']['connections']['status'] == 'skipped'


def test_audit_role_mq_stage_records_evidence(played):
    evidence = played['results']['evidence']
    assert 'mq' in evidence['channels']
    mq = evidence['mq']
    assert len(mq['brokers']) == 1 and 'invocation' not in mq['brokers'][0]
    assert sorted(e['label'] for e in mq['tls']['endpoints']) == ['rabbitmq amqps', 'rabbitmq management https']
    assert all(e['status'] == 'ok' for e in mq['tls']['endpoints'])
    findings = RULES[BROKER](RuleContext({'tls-node': evidence}))
    statuses = [f['status'] for f in findings]
    assert 'fail' not in statuses and statuses.count('pass') >= 1, [(f['status'], f['message']) for f in findings]


def test_no_password_in_ansible_output(mq_lab, played):
    for node in mq_lab.nodes.values():
        assert node.password not in played['output']
        assert node.password not in played['raw']
    assert 'VALUE_SPECIFIED_IN_NO_LOG_PARAMETER' in played['output']   # the module's no_log option was masked
