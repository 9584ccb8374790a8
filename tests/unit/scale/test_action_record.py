# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The host_evidence_info action plugin without a host: the module call is replaced by a recorded result (the real
module runs in tests/integration/scale and tests/integration/spine/test_hosts_not_audited.py)."""

from __future__ import absolute_import, division, print_function

from unittest import mock

import pytest

from ansible.errors import AnsibleActionFail, AnsibleConnectionFailure

from ansible_collections.scs.secure_connections.plugins.action.host_evidence_info import ActionModule

DISCOVERY = {'root': '/srv/snap', 'errors': [], 'listeners_source': '/srv/snap/proc', 'listeners': []}
GATHERED = {'evidence': {'channels': ['db'], 'discovery': DISCOVERY, 'db': {'servers': []}}, 'delegated_probes': [],
            'node_channels': ['db', 'mq', 'hv', 'net', 'sto'], 'changed': False, 'warnings': ['a module warning']}


def _run(args, module_result):
    task = mock.MagicMock(args=args, async_val=0, check_mode=False, diff=False)
    connection = mock.MagicMock()
    connection._shell.tmpdir = None  # pylint: disable=protected-access
    action = ActionModule(task, connection, mock.MagicMock(check_mode=False), mock.MagicMock(), mock.MagicMock(), mock.MagicMock())
    calls = []

    def execute(module_name, module_args, task_vars):
        calls.append((module_name, dict(module_args)))
        if isinstance(module_result, Exception):
            raise module_result
        return dict(module_result)
    with mock.patch.object(action, '_execute_module', side_effect=execute), mock.patch.object(action, '_remove_tmp_path'):
        return action.run(task_vars={}), calls


def test_without_record_the_module_runs_as_any_module():
    result, calls = _run({'root': '/srv/snap', 'channels': ['db']}, GATHERED)
    assert calls == [('scs.secure_connections.host_evidence_info', {'root': '/srv/snap', 'channels': ['db']})]
    assert result['evidence'] == GATHERED['evidence'] and 'audit_status' not in result


def test_with_record_the_result_is_the_host_s_evidence_and_the_module_gets_the_plan():
    args = {'root': '/srv/snap', 'channels': ['all'], 'skip_controls': ['scs-0125-tls-mozilla'],
            'record': {'host': 'n1', 'run_tags': ['all'], 'skip_tags': ['api']}}
    result, calls = _run(args, GATHERED)
    sent = calls[0][1]
    assert 'record' not in sent, 'the record option never reaches the host'
    assert sent['channels'] == ['tls', 'db', 'mq', 'hv', 'net', 'sto'], 'all, from the catalog, without the skipped tag'
    assert sent['skip_controls'] == ['scs-0125-tls-mozilla']
    assert result['audit_status'] == {'audited': True} and result['changed'] is False
    assert result['tls'] == {'endpoints': [], 'probed_from': 'n1', 'not_probed': []}, 'tls skipped: recorded here'
    assert result['warnings'] == ['a module warning']
    assert _run(dict(args, channels=[]), GATHERED)[1][0][1]['channels'] == [], 'an empty list plans no channel'


def test_an_unreachable_host_is_a_result_with_the_cause():
    result, _calls = _run({'record': {'host': 'n1'}}, AnsibleConnectionFailure('ssh: connect to host 10.0.0.9 port 22: No route to host'))
    assert result['audit_status'] == {'audited': False, 'reason': 'unreachable: ssh: connect to host 10.0.0.9 port 22: No route to host'}
    assert result['channels'] == [] and not result.get('failed')


@pytest.mark.parametrize('args,message', [
    ({'channels': ['tls', 'dbx'], 'record': {'host': 'n1'}}, 'unknown channel'),
    ({'skip_controls': ['scs-0125-nope'], 'record': {'host': 'n1'}}, 'unknown control id'),
    ({'record': {'run_tags': ['all']}}, 'host'),
    ({'record': {'host': 'n1', 'tls': {'exclude_ports': ['x']}}}, 'exclude_ports'),
])
def test_a_wrong_plan_or_record_stops_with_the_reason(args, message):
    with pytest.raises(AnsibleActionFail, match=message):
        _run(args, GATHERED)


def test_a_node_cannot_choose_where_a_delegated_probe_runs_or_with_which_files():
    hostile = dict(GATHERED, delegated_probes=[
        {'channel': 'db', 'delegate_to': 'db-primary', 'endpoints': [{'host': '10.0.0.1', 'port': 3306, 'starttls': 'mysql', 'x': 1}],
         'ca_files': ['/etc/shadow'], 'client_cert': '/root/.ssh/id_rsa', 'client_key': '/root/.ssh/id_rsa', 'timeout': 9999, 'level': 'old'},
        {'channel': 'mq', 'delegate_to': 'anywhere', 'endpoints': [{'host': '10.0.0.2', 'port': 5671}]},
        {'channel': 'db', 'delegate_to': 'bastion', 'endpoints': [{'host': '10.0.0.3', 'port': p} for p in range(1, 600)]},
        'garbage'])
    args = {'channels': ['db', 'mq'], 'level': 'intermediate', 'record': {'host': 'n1'},
            'db': {'probe_local': False, 'probe_delegate_to': 'bastion', 'probe_ca_files': ['/etc/ssl/ca.pem'], 'probe_timeout': 5},
            'mq': {'probe_local': True, 'probe_delegate_to': ''}}
    result, _calls = _run(args, hostile)
    probes = result['audit_status']['delegated_probes']
    assert [p['delegate_to'] for p in probes] == ['bastion', 'bastion'], 'only the host the task names'
    assert probes[0] == {'channel': 'db', 'delegate_to': 'bastion', 'endpoints': [{'host': '10.0.0.1', 'port': 3306, 'starttls': 'mysql'}],
                         'ca_files': ['/etc/ssl/ca.pem'], 'client_cert': '', 'client_key': '', 'timeout': 5, 'level': 'intermediate'}
    assert len(probes[1]['endpoints']) == 512
    warnings = '\n'.join(result['warnings'])
    assert "channel 'mq'" in warnings and 'channel None' in warnings and '599 endpoints' in warnings


def test_the_gathered_evidence_reaches_the_callbacks_censored_unless_asked_for():
    args = {'root': '/srv/snap', 'channels': ['db'], 'record': {'host': 'n1'}}
    result, _calls = _run(args, GATHERED)
    assert result['_ansible_no_log'] is True, 'audited: the evidence is in the registered result, not in every callback event'
    assert result['db'] == {'servers': []} and result['audit_status'] == {'audited': True}
    shown, _calls = _run(dict(args, record={'host': 'n1', 'show_evidence': True}), GATHERED)
    assert '_ansible_no_log' not in shown and shown['db'] == result['db']
    pending, _calls = _run(dict(args, channels=['tls', 'db'], record={'host': 'n1', 'tls': {'declared': [{'host': 'h', 'port': 443}]}}), GATHERED)
    assert pending['audit_status']['pending'] == ['tls'] and pending['_ansible_no_log'] is True
    unreachable, _calls = _run(args, AnsibleConnectionFailure('ssh: connect to host 10.0.0.9 port 22: No route to host'))
    assert '_ansible_no_log' not in unreachable, 'a host that could not be audited is shown with its cause'
