# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Property-based fuzzing of what the controller does with a node's answer (a hostile or broken node can return any
JSON): the record of the host_evidence_info action, the delegated probes it rebuilds and the report's reading of the
registered evidence end in a result or in an AnsibleError naming the problem, never in another exception (which
Ansible would show with a traceback)."""

from __future__ import absolute_import, division, print_function

import json

from hypothesis import HealthCheck, given, settings, strategies as st

from ansible.errors import AnsibleError

from ansible_collections.scs.secure_connections.plugins.action.conformance_report import _evidence, merge_bundles
from ansible_collections.scs.secure_connections.plugins.module_utils._core.evaluator import EvidenceError, evaluate, validate_evidence
from ansible_collections.scs.secure_connections.plugins.module_utils._core.report import ReportError
from ansible_collections.scs.secure_connections.plugins.plugin_utils.evidence import (
    collect_evidence,
    record_host,
    trusted_delegated_probes,
    with_channel,
    with_delegated_probes,
)

KEYS = ['evidence', 'discovery', 'listeners', 'configured_listeners', 'listeners_source', 'delegated_probes', 'node_channels',
        'channels', 'root', 'errors', 'kind', 'message', 'port', 'address', 'netns', 'host', 'endpoints', 'channel', 'failed',
        'msg', 'unreachable', 'module_stderr', 'net', 'db', 'mq', 'hv', 'tls', 'audit_status', 'pending', 'skipped', 'results',
        'item', 'probe_delegate_to', 'probe_local', 'source', 'starttls']
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-2, 70000), st.sampled_from(['/proc', '/proc/', '', 'db', 'tls', '0.0.0.0', '::',
                                                                                      'root', 'x' * 300]), st.text(max_size=8))
JSON = st.recursive(SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=5),
                                                     st.dictionaries(st.sampled_from(KEYS), inner, max_size=6)), max_leaves=40)
ITEMS = st.lists(st.one_of(st.dictionaries(st.sampled_from(KEYS), JSON, max_size=6), JSON), max_size=5)
# shaped like a real answer, so the deep paths (tls targets, pending steps, delegated probes) are reached
SHAPED = st.fixed_dictionaries({
    'evidence': st.fixed_dictionaries({
        'channels': JSON,
        'discovery': st.fixed_dictionaries({'root': st.sampled_from(['/', '/srv/snap']), 'errors': ITEMS,
                                            'listeners_source': st.sampled_from(['/proc', '/proc/', '/srv/snap/proc', None]),
                                            'listeners': ITEMS, 'configured_listeners': ITEMS}),
        'net': JSON, 'db': JSON}),
    'delegated_probes': st.one_of(ITEMS, JSON), 'node_channels': st.one_of(st.lists(st.sampled_from(['db', 'tls', 'xyz'])), JSON)})
ANSWER = st.one_of(SHAPED, JSON)
CHANNELS = st.lists(st.sampled_from(['tls', 'api', 'db', 'mq', 'hv', 'net', 'sto', 'xyz']), max_size=8, unique=True)


@given(ANSWER, CHANNELS, JSON, JSON)
def test_a_node_s_answer_never_crashes_the_record(result, channels, net_extensions, tls_options):
    tls = {'probe_from': tls_options} if isinstance(tls_options, str) else {}
    # a node's answer, whatever it is, is a host audited or not audited with the reason: never an exception
    evidence = record_host(result, channels, 'n1', net_extensions, tls)
    json.dumps(evidence, default=str)
    status = evidence['audit_status']
    assert isinstance(status, dict) and isinstance(status.get('audited'), bool)
    for step in status.get('pending') or []:
        try:
            evidence = with_channel(evidence, step, {}) if step != 'delegated' else with_delegated_probes(evidence, {})
        except AnsibleError:
            return
    assert evidence['audit_status'].get('audited') is True or not status.get('pending')
    assert collect_evidence(['n1'], {'n1': {'audit_evidence': evidence}})['n1']['audit_status'] == evidence['audit_status']


@given(st.one_of(ITEMS, JSON), JSON)
def test_delegated_probes_are_rebuilt_from_the_task_whatever_the_node_says(probes, options):
    out, warnings = trusted_delegated_probes(probes, options if isinstance(options, dict) else {}, 'intermediate')
    for probe in out:
        opts = options[probe['channel']]
        assert probe['delegate_to'] == opts['probe_delegate_to'] and probe['level'] == 'intermediate'
        assert all(isinstance(e, dict) and set(e) <= {'host', 'port', 'server_name', 'starttls', 'label', 'source'} for e in probe['endpoints'])
    assert all(isinstance(w, str) for w in warnings)


@given(st.dictionaries(st.sampled_from(['a', 'b']), JSON, max_size=2))
def test_the_report_reads_any_registered_value(hostvars):
    hosts = dict((h, {'audit_evidence': v}) for h, v in hostvars.items())
    try:
        out = collect_evidence(sorted(hosts), hosts)
    except AnsibleError:
        return
    assert sorted(out) == sorted(hosts)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.one_of(st.fixed_dictionaries({'kind': st.just('scs-0125-evidence-bundle'), 'schema_version': st.just(1),
                                        'host': st.sampled_from(['h1', 'h2', '', '../x']), 'evidence': ANSWER}), JSON),
       st.one_of(st.none(), st.dictionaries(st.sampled_from(['h1', 'h2']), st.dictionaries(st.sampled_from(KEYS), JSON))))
def test_the_report_reads_any_bundle_file(tmp_path, bundle, evidence):
    """Any JSON in a bundle file gives merged evidence the evaluator reads, or a ReportError naming the file."""
    path = tmp_path / 'bundle.json'
    path.write_text(json.dumps(bundle))
    try:
        validate_evidence(evidence or {})
    except EvidenceError:
        evidence = None  # the run's own evidence is the role's record (shaped by the action); a bundle is anyone's file
    try:
        merged = merge_bundles(_evidence(evidence), [str(path)])
    except ReportError:
        return
    validate_evidence(merged)
    evaluate(merged)
