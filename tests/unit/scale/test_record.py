# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The record of the host_evidence_info action (plugins/plugin_utils/evidence.record_host): the host's evidence, a host
that cannot be audited, the steps still pending on the host, and how the report reads the registered evidence."""

from __future__ import absolute_import, division, print_function

import pytest

from ansible_collections.scs.secure_connections.plugins.plugin_utils.evidence import (
    UNFINISHED,
    collect_evidence,
    host_record,
    record_host,
    settle,
    with_channel,
    with_delegated_probes,
)

DISCOVERY = {'root': '/srv/snap', 'errors': [], 'listeners_source': '/srv/snap/proc', 'listeners': []}
PROBE = {'channel': 'db', 'delegate_to': 'bastion', 'endpoints': [{'host': '10.0.0.1', 'port': 3306, 'starttls': 'mysql'}],
         'ca_files': [], 'client_cert': None, 'client_key': None, 'timeout': 5, 'level': 'intermediate'}


def _result(**extra):
    evidence = {'channels': ['db', 'net'], 'discovery': DISCOVERY, 'db': {'servers': []}, 'net': {'extensions': None}}
    return dict({'evidence': evidence, 'delegated_probes': [], 'node_channels': ['db', 'net'], 'changed': False}, **extra)


def test_a_host_with_nothing_pending_is_audited_with_the_run_s_neutron_extensions():
    evidence = record_host(_result(), ['db', 'net'], 'n1', {'changed': False, 'failed': False, 'extensions': ['vpnaas']})
    assert evidence['audit_status'] == {'audited': True}
    assert evidence['net']['extensions'] == {'extensions': ['vpnaas']}
    assert record_host(_result(), ['net'], 'n1', {'skipped': True, 'changed': False})['net']['extensions'] is None


@pytest.mark.parametrize('result,cause', [
    ({'unreachable': True, 'msg': 'Failed to connect to the host via ssh: Connection refused'}, 'unreachable: Failed to connect'),
    ({'failed': True, 'msg': 'MODULE FAILURE', 'module_stderr': '/usr/bin/python3: not found'}, 'python3: not found'),
    (_result(evidence={'discovery': {'root': '/x', 'errors': [{'kind': 'root', 'message': 'root /x does not exist'}]}}),
     'audit_root cannot be audited'),
])
def test_a_host_that_cannot_be_audited_is_recorded_with_the_cause(result, cause):
    evidence = record_host(result, ['tls', 'db'], 'n1')
    assert evidence['channels'] == [] and evidence['audit_status']['audited'] is False
    assert cause in evidence['audit_status']['reason'] and 'pending' not in evidence['audit_status']


def test_delegated_probes_and_tls_stay_pending_until_both_are_recorded():
    live = dict(DISCOVERY, listeners_source='/proc', listeners=[{'address': '127.0.0.1', 'port': 443}])
    result = _result(delegated_probes=[PROBE])
    result['evidence']['discovery'] = live
    evidence = record_host(result, ['tls', 'db'], 'n1')
    assert evidence['audit_status'] == {'audited': False, 'reason': UNFINISHED, 'pending': ['delegated', 'tls'],
                                        'delegated_probes': [PROBE]}
    probes = {'results': [{'item': PROBE, 'endpoints': [{'host': '10.0.0.1', 'port': 3306, 'verdict': 'pass'}]}]}
    after = with_delegated_probes(evidence, probes)
    assert after['db']['tls'] == {'endpoints': probes['results'][0]['endpoints'], 'error': None, 'probed': True}
    assert after['audit_status'] == {'audited': False, 'reason': UNFINISHED, 'pending': ['tls']}, 'the probe list goes with its step'
    assert with_channel(after, 'tls', {'endpoints': []})['audit_status'] == {'audited': True}
    # the other order: tls first, then the delegated probes
    assert with_delegated_probes(with_channel(evidence, 'tls', {}), probes)['audit_status'] == {'audited': True}
    assert evidence['audit_status']['pending'] == ['delegated', 'tls'], 'records copy, never change their input'


def test_settle_leaves_evidence_without_the_step_alone():
    evidence = {'channels': [], 'audit_status': {'audited': True}}
    assert settle(evidence, 'tls') is evidence
    assert with_channel({'channels': []}, 'api', {})['channels'] == ['api']


def test_the_report_reads_the_registered_evidence_without_ansible_s_keys():
    registered = dict(record_host(_result(), ['db'], 'n1'), changed=False, failed=False, warnings=['w'], _ansible_no_log=False,
                      changed_when_result=False)
    assert sorted(host_record(registered)) == ['audit_status', 'channels', 'db', 'discovery', 'net']
    hosts = {'n1': {'audit_evidence': registered},
             'n2': {'audit_evidence': {'failed': True, 'msg': 'host_evidence_info: unknown channel(s) dbx', 'changed': False}},
             'n3': {'audit_evidence': {'skipped': True, 'skip_reason': 'Conditional result was False', 'changed': False}},
             'n4': {}}
    out = collect_evidence(['n1', 'n2', 'n3', 'n4'], hosts)
    assert out['n1']['audit_status'] == {'audited': True}
    assert out['n2']['audit_status'] == {'audited': False, 'reason': 'the audit task failed on this host: host_evidence_info: unknown channel(s) dbx'}
    assert out['n3']['audit_status']['audited'] is False and 'skipped' in out['n3']['audit_status']['reason']
    assert out['n4']['audit_status']['audited'] is False and out['n4']['channels'] == []


def test_a_planned_channel_the_module_does_not_gather_is_pending_until_its_task_file_records_it():
    # a channel added by the recipe of docs/architecture.md ("How to add a channel") runs its tasks/channel_<name>.yml
    evidence = record_host(_result(), ['tls', 'api', 'db', 'xyz'], 'n1')
    assert evidence['audit_status']['pending'] == ['xyz'], 'tls folded (nothing to probe), api once per run'
    assert with_channel(evidence, 'xyz', {})['audit_status'] == {'audited': True}


def test_a_malformed_answer_is_a_host_not_audited_not_a_report_that_cannot_be_written():
    for evidence, words in (({'channels': [['db']], 'discovery': DISCOVERY}, '"channels" must be a list of channel names'),
                            ({'channels': [], 'discovery': DISCOVERY, 'db': 'x'}, '"db" must be a mapping')):
        out = record_host({'evidence': evidence, 'delegated_probes': []}, ['db'], 'n1')
        assert out['audit_status']['audited'] is False and 'malformed evidence' in out['audit_status']['reason'], out
        assert words in out['audit_status']['reason']
    out = record_host(_result(node_channels='db'), ['db'], 'n1')
    assert '"node_channels" must be a list' in out['audit_status']['reason']
    out = record_host(_result(delegated_probes=7), ['db'], 'n1')
    assert '"delegated_probes" must be a list' in out['audit_status']['reason']
    bad = _result()
    bad['evidence']['discovery'] = dict(DISCOVERY, listeners_source='/proc', listeners=['x' * 5000])
    out = record_host(bad, ['tls', 'db'], 'n1')
    assert out['audit_status']['audited'] is False and 'listeners expects mappings' in out['audit_status']['reason']
    assert len(out['audit_status']['reason']) < 400, 'the reason is bounded, whatever the node sent'
