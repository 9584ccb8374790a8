# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The status semantics, enforced in one place (docs/report.md "Statuses of a finding"): a ``not_applicable``
without evidence of absence is ``not_assessed``; only ``pass`` and evidenced ``not_applicable`` are PASS in the
SCS lines; a host that was not audited is an ``error`` for every selected control and the verdict incomplete."""

from __future__ import absolute_import, division, print_function

import pytest

from ansible_collections.scs.secure_connections.plugins.module_utils._core.evaluator import RuleContext, evaluate
from ansible_collections.scs.secure_connections.plugins.module_utils._core.findings import enforce_semantics, evidenced, scs_result
from ansible_collections.scs.secure_connections.plugins.module_utils._core.render import render_scs
from ansible_collections.scs.secure_connections.plugins.module_utils._core.report import build_report
from ansible_collections.scs.secure_connections.plugins.module_utils._rules.common import broken_input, discovery_absence, input_errors

TLS = 'scs-0125-tls-mozilla'
RUN = {'started': '2026-01-01T00:00:00Z', 'finished': '2026-01-01T00:01:00Z'}


def _tls_rule(status, **kwargs):
    def rule(ctx):
        return [ctx.finding(TLS, status, 'no TLS here', host='n1', **kwargs)]
    return rule


def _tls_findings(rule, evidence=None):
    return [f for f in evaluate(evidence or {'n1': {'channels': ['tls']}}, rules={TLS: rule}) if f['control_id'] == TLS]


def test_not_applicable_without_evidence_of_absence_becomes_not_assessed():
    [finding] = _tls_findings(_tls_rule('not_applicable'))
    assert finding['status'] == 'not_assessed'
    assert 'without evidence of absence' in finding['message'] and 'no TLS here' in finding['message']
    assert finding['evidence']['claimed_status'] == 'not_applicable'


@pytest.mark.parametrize('absence', ['', [], None, [None, '']])
def test_empty_evidence_of_absence_is_no_evidence(absence):
    [finding] = _tls_findings(_tls_rule('not_applicable', evidence={'absence': absence}))
    assert finding['status'] == 'not_assessed'


def test_not_applicable_with_evidence_of_absence_stays_and_carries_it():
    [finding] = _tls_findings(_tls_rule('not_applicable', absence='the sockets were read from /proc: none'))
    assert finding['status'] == 'not_applicable'
    assert finding['evidence']['absence'] == 'the sockets were read from /proc: none'


def test_other_statuses_are_left_alone():
    for status in ('pass', 'fail', 'error', 'manual', 'not_assessed'):
        finding = {'status': status, 'message': 'm', 'evidence': {}}
        assert enforce_semantics(finding) is finding
    assert evidenced({'status': 'not_applicable', 'source': 'attestation', 'evidence': {}}), 'an operator attestation is evidence'


def test_scs_line_pass_only_for_pass_and_evidenced_not_applicable():
    bare = {'status': 'not_applicable', 'message': 'm', 'evidence': {}}
    backed = dict(bare, evidence={'absence': 'x'})
    assert scs_result('pass') == 'PASS'
    assert scs_result('not_applicable', [backed]) == 'PASS'
    assert scs_result('not_applicable', [backed, bare]) == 'ABORT'
    for status in ('error', 'not_assessed', 'manual'):
        assert scs_result(status) == 'ABORT'
    assert scs_result('fail') == 'FAIL'


def test_render_scs_aborts_an_unevidenced_not_applicable_in_a_report():
    report = build_report(_tls_findings(_tls_rule('not_applicable', absence='read /proc: no socket')), dict(RUN))
    assert '%s: PASS\n' % TLS in render_scs(report)
    # a report made elsewhere (older version, by hand) whose not_applicable carries no evidence of absence
    for finding in report['findings']:
        if finding['control_id'] == TLS:
            finding['evidence'].pop('absence')
    assert '%s: ABORT\n' % TLS in render_scs(report)


def test_host_not_audited_is_error_and_verdict_incomplete():
    evidence = {'n1': {'channels': ['tls']}, 'n2': {'channels': [], 'audit_status': {'audited': False, 'reason': 'UNREACHABLE: ssh refused'}}}
    findings = evaluate(evidence, rules={TLS: _tls_rule('pass')}, options={'channels': ['tls']})
    tls = [f for f in findings if f['control_id'] == TLS]
    assert sorted((f['target']['host'], f['status']) for f in tls) == [('n1', 'pass'), ('n2', 'error')]
    assert 'host n2 was not audited: UNREACHABLE: ssh refused' in [f['message'] for f in tls if f['status'] == 'error'][0]
    report = build_report(findings, dict(RUN), evidence_by_host=evidence)
    assert report['verdict'] == 'incomplete'
    assert [n['audited'] for n in report['nodes'] if n['host'] == 'n2'] == [False]


SERVICE = {'service': 'nova', 'files': ['/etc/nova/nova.conf'], 'errors': [], 'database_urls': [], 'transport_urls': [], 'api_clients': []}
DISCOVERY = {'root': '/', 'services': [SERVICE], 'infrastructure': {'mysql': [], 'kafka': []}, 'errors': []}


def _ctx(discovery):
    return RuleContext({'n1': {'channels': ['mq'], 'discovery': discovery}})


def test_broken_input_is_one_error_finding_naming_the_files():
    service = {'service': 'nova', 'errors': [{'file': '/etc/nova/nova.conf', 'message': 'permission denied', 'kind': 'unreadable'},
                                             {'file': '/etc/nova/nova.conf.d', 'message': 'x', 'kind': 'unreadable_dir'}]}
    finding = broken_input(_ctx(DISCOVERY), 'scs-0125-mq-client-tls', 'n1', [service], 'the nova configuration', service='nova')
    assert finding['status'] == 'error' and finding['target']['file'] == '/etc/nova/nova.conf'
    assert 'permission denied' in finding['message'] and len(finding['evidence']['input_errors']) == 2
    assert broken_input(_ctx(DISCOVERY), 'scs-0125-mq-client-tls', 'n1', [DISCOVERY['services'][0]], 'x') is None


def test_listener_notes_are_no_input_errors_but_unkinded_errors_are():
    assert input_errors({'errors': [{'file': None, 'message': 'listeners not gathered', 'kind': 'listeners'}]}) == []
    assert len(input_errors({'errors': [{'file': '/x', 'message': 'old evidence without a kind'}]})) == 1


def test_discovery_absence_needs_a_clean_read():
    assert 'no kafka' in discovery_absence(_ctx(DISCOVERY), 'n1', 'no kafka')
    broken = dict(DISCOVERY, infrastructure={'mysql': [{'file': '/etc/mysql/my.cnf', 'errors': [
        {'file': '/etc/mysql/conf.d/a.cnf', 'message': 'include loop (a -> b -> a); not read again', 'kind': 'include_loop'}]}]})
    assert discovery_absence(_ctx(broken), 'n1', 'no kafka') is None
    assert discovery_absence(_ctx(dict(DISCOVERY, errors=[{'file': '/x', 'message': 'root /x does not exist', 'kind': 'root'}])), 'n1', 'x') is None
    assert discovery_absence(RuleContext({'n1': {'channels': ['mq']}}), 'n1', 'x') is None, 'no discovery, no evidence'
    # an incomplete result (a key every discovery result has is missing) is no clean read
    assert discovery_absence(_ctx(dict((k, v) for k, v in DISCOVERY.items() if k != 'services')), 'n1', 'x') is None
    assert discovery_absence(_ctx(dict(DISCOVERY, services=[dict((k, v) for k, v in SERVICE.items() if k != 'transport_urls')])), 'n1', 'x') is None
    assert discovery_absence(_ctx(DISCOVERY), 'n1', 'no kafka', needs=('kafka',))
    assert discovery_absence(_ctx(DISCOVERY), 'n1', 'no rabbitmq', needs=('rabbitmq',)) is None, 'rabbitmq files were not gathered'


def test_the_audit_role_marks_a_host_audited_only_at_the_end():
    """roles/audit registers the gather call's result as the host's evidence: audited only when no step still records on
    the host; otherwise "not audited: did not finish" with the pending steps, which the last step's record clears, so a
    host whose audit stops half-way (a fatal task, unreachable after discovery) is reported as not audited."""
    import os
    import yaml
    from lab.paths import REPO
    from ansible_collections.scs.secure_connections.plugins.plugin_utils.evidence import UNFINISHED, record_host, with_channel
    with open(os.path.join(REPO, 'roles', 'audit', 'tasks', 'main.yml')) as handle:
        tasks = yaml.safe_load(handle)
    gather = [t for t in tasks if 'scs.secure_connections.host_evidence_info' in t][0]
    assert gather['register'] == 'audit_evidence' and 'record' in gather['scs.secure_connections.host_evidence_info']
    assert 'failed_when' not in gather and 'ignore_unreachable' not in gather, 'a failure is a result of the action, not hidden'
    assert not [t for t in tasks if 'ansible.builtin.set_fact' in t], 'no set_fact over the evidence per host'
    assert tasks[-1]['loop'] == '{{ audit_evidence.audit_status.pending | default([]) }}'
    result = {'evidence': {'channels': [], 'discovery': {'root': '/', 'errors': [], 'listeners_source': '/proc',
                                                         'listeners': [{'address': '0.0.0.0', 'port': 443, 'process': 'nginx'}]}},
              'delegated_probes': [], 'node_channels': ['db']}
    evidence = record_host(result, ['tls', 'db'], 'n1')
    assert evidence['audit_status'] == {'audited': False, 'reason': UNFINISHED, 'pending': ['tls']}
    assert 'did not finish' in UNFINISHED
    assert with_channel(evidence, 'tls', {'endpoints': []})['audit_status'] == {'audited': True}


@pytest.mark.parametrize('result,words', [
    ({'unreachable': True, 'msg': 'Failed to connect to the host via ssh: Connection refused'}, 'unreachable: Failed to connect'),
    ({'failed': True, 'msg': 'The module failed to execute correctly', 'module_stderr': '/bin/sh: 1: /nonexistent/python: not found\n',
      'rc': 127}, '/nonexistent/python: not found'),
    ({'root': '/x', 'errors': [{'file': '/x', 'message': 'root /x does not exist or is not a directory', 'kind': 'root'}]},
     'audit_root cannot be audited: root /x does not exist'),
    ({'changed': False}, 'discovery failed: no reason given'),
    ({'failed': True, 'msg': 'host_evidence_info failed: boom'}, 'discovery failed: host_evidence_info failed: boom'),
    ({'evidence': {'discovery': {'root': '/x', 'errors': [{'file': '/x', 'message': 'root /x does not exist', 'kind': 'root'}]}},
      'node_channels': ['db']}, 'audit_root cannot be audited: root /x does not exist'),
    ({'evidence': {'discovery': {'root': '/', 'errors': []}}, 'node_channels': ['db']}, ''),
    ({'root': '/', 'errors': [{'file': None, 'message': 'listeners not gathered', 'kind': 'listeners'}]}, ''),
])
def test_audit_failure_names_the_cause(result, words):
    from ansible_collections.scs.secure_connections.plugins.filter.evidence import audit_failure
    text = audit_failure(result)
    assert (words in text) if words else text == ''
