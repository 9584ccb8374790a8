# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The evaluator mechanism: not gathered -> not_assessed, broken rules -> error, never a silent pass."""

from __future__ import absolute_import, division, print_function

import pytest

from ansible_collections.scs.secure_connections.plugins.module_utils._core.catalog import load_catalog
from ansible_collections.scs.secure_connections.plugins.module_utils._core.evaluator import EvidenceError, evaluate, load_rules

TLS = 'scs-0125-tls-mozilla'


def _by_control(findings):
    out = {}
    for f in findings:
        out.setdefault(f['control_id'], []).append(f)
    return out


def test_nothing_gathered_means_every_control_not_assessed():
    findings = evaluate({'n1': {'channels': []}}, rules={})
    assert len(findings) == 22
    assert all(f['status'] == 'not_assessed' for f in findings)
    assert 'not gathered' in findings[0]['message']


def test_gathered_channel_without_rule_is_not_assessed_never_pass():
    findings = _by_control(evaluate({'n1': {'channels': ['tls']}}, rules={}))
    assert [f['status'] for f in findings[TLS]] == ['not_assessed']
    assert 'no rule' in findings[TLS][0]['message']


def test_rule_results_are_used():
    def rule(ctx):
        return [ctx.finding(TLS, 'pass', 'ok', host=h, endpoint='127.0.0.1:1') for h in ctx.channel_hosts('tls')]
    findings = _by_control(evaluate({'a': {'channels': ['tls']}, 'b': {'channels': []}}, rules={TLS: rule}))
    assert [(f['status'], f['target']['host']) for f in findings[TLS]] == [('pass', 'a')]


@pytest.mark.parametrize('rule,expected_status,words', [
    (lambda ctx: 1 / 0, 'error', 'ZeroDivisionError'),
    (lambda ctx: [{'control_id': TLS, 'status': 'great'}], 'error', 'malformed finding'),
    (lambda ctx: [{'control_id': 'scs-0125-db-server-tls', 'status': 'pass'}], 'error', 'malformed finding'),
    (lambda ctx: [], 'not_assessed', 'nothing to assess'),
    (lambda ctx: None, 'not_assessed', 'nothing to assess'),
])
def test_misbehaving_rules_never_pass(rule, expected_status, words):
    findings = _by_control(evaluate({'n1': {'channels': ['tls']}}, rules={TLS: rule}))
    assert [f['status'] for f in findings[TLS]] == [expected_status]
    assert words in findings[TLS][0]['message']


def test_host_not_audited_is_an_error_for_every_selected_channel():
    evidence = {'ok': {'channels': ['tls']}, 'down': {'channels': [], 'audit_status': {'audited': False, 'reason': 'unreachable'}}}
    findings = _by_control(evaluate(evidence, options={'channels': ['tls', 'db']}, rules={}))
    assert any(f['status'] == 'error' and f['target']['host'] == 'down' and 'unreachable' in f['message'] for f in findings[TLS])
    assert any(f['status'] == 'error' for f in findings['scs-0125-db-server-tls'])
    assert all(f['status'] == 'not_assessed' for f in findings['scs-0125-mq-broker-tls'])


@pytest.mark.parametrize('evidence,problem', [
    ([], 'mapping of host name'),
    ({'n1': 'x'}, 'evidence of host n1 must be a mapping'),
    ({'n1': {'channels': 'tls'}}, 'list of channel names'),
    ({'n1': {'channels': [], 'tls': ['x']}}, '"tls" must be a mapping'),
])
def test_malformed_evidence_is_named(evidence, problem):
    with pytest.raises(EvidenceError, match=problem):
        evaluate(evidence, rules={})


def test_every_shipped_rule_belongs_to_a_catalog_control():
    ids = set(c['id'] for c in load_catalog()['controls'])
    assert set(load_rules()) <= ids
