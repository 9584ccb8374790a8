# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Report building, schema validation and every output format from the one renderer."""

from __future__ import absolute_import, division, print_function

import json
import xml.etree.ElementTree as ET

import pytest

from ansible_collections.scs.secure_connections.plugins.module_utils._core.catalog import load_catalog, load_schema
from ansible_collections.scs.secure_connections.plugins.module_utils._core.evaluator import evaluate
from ansible_collections.scs.secure_connections.plugins.module_utils._core.render import RENDERERS, render_summary_lines
from ansible_collections.scs.secure_connections.plugins.module_utils._core.report import (
    ReportError,
    attestation_findings,
    build_report,
    inline_refs,
    merge_attestations,
    validate_report,
)

TLS = 'scs-0125-tls-mozilla'
STO = 'scs-0125-sto-frontend-network'
RUN = {'collection': 'scs.secure_connections', 'collection_version': '0.1.0', 'standard': 'scs-0125-v1',
       'mozilla': {'guidelines_version': 5.7, 'level': 'intermediate'}, 'hosts': ['n1'], 'channels': ['tls'],
       'started': '2026-11-22T10:00:00Z', 'finished': '2026-11-22T10:00:05Z'}


def _tls_rule(ctx):
    return [
        ctx.finding(TLS, 'pass', 'compliant', host='n1', endpoint='127.0.0.1:443'),
        ctx.finding(TLS, 'fail', 'TLSv1.0 accepted <script>alert(1)</script>', host='n1', endpoint='127.0.0.1:8443',
                    evidence={'url': 'https://admin:hunter2@x/'}, remediation='ssl_protocols TLSv1.2 TLSv1.3;'),
    ]


def _sto_rule(ctx):
    return [ctx.finding(STO, 'manual', 'is the storage switch separate?', host='n1')]


@pytest.fixture
def report():
    discovery = {'layouts': [{'name': 'kolla'}], 'listeners': [{'port': 1}], 'services': [{'service': 'nova', 'component': 'nova-api'}]}
    evidence = {'n1': {'channels': ['tls', 'sto'], 'discovery': discovery},
                'n2': {'channels': [], 'audit_status': {'audited': False, 'reason': 'unreachable'}}}
    findings = evaluate(evidence, rules={TLS: _tls_rule, STO: _sto_rule})
    return build_report(findings, dict(RUN), evidence_by_host=evidence)


def test_report_validates_and_says_non_conformant(report):
    assert validate_report(report) == []
    assert report['verdict'] == 'non_conformant'
    assert report['summary']['must_failed'] == [TLS]
    assert [c['id'] for c in report['controls']] == [c['id'] for c in load_catalog()['controls']]
    assert 'hunter2' not in json.dumps(report)


def test_schema_catches_a_broken_report(report):
    report['verdict'] = 'maybe'
    del report['findings'][0]['message']
    problems = validate_report(report)
    assert any(p.startswith('verdict') for p in problems)
    assert any('message' in p for p in problems)


def test_unknown_control_in_findings_is_named():
    with pytest.raises(ReportError, match='unknown control id'):
        build_report([{'control_id': 'scs-0125-made-up', 'status': 'pass'}], dict(RUN))


def test_junit_parses_with_a_standard_parser(report, tmp_path):
    junitparser = pytest.importorskip('junitparser')
    path = tmp_path / 'r.xml'
    path.write_text(RENDERERS['junit'](report))
    xml = junitparser.JUnitXml.fromfile(str(path))
    suites = dict((s.name, s) for s in xml)
    assert len(suites) == 22
    tls = suites[TLS]
    assert (tls.tests, tls.failures, tls.errors) == (3, 1, 1), "pass, fail, and the error for the unaudited host n2"
    names = [c.name for c in tls]
    assert 'scs-0125-tls-mozilla | n1 / 127.0.0.1:8443' in names
    failing = [c for c in tls if c.name.endswith('8443')][0]
    assert isinstance(failing.result[0], junitparser.Failure)
    sto = suites[STO]
    assert (sto.skipped, sto.errors) == (1, 1)
    not_assessed = suites['scs-0125-db-server-tls']
    assert not_assessed.skipped == 1


def test_scs_lines(report):
    lines = RENDERERS['scs'](report).splitlines()
    assert len(lines) == 22
    assert '%s: FAIL' % TLS in lines
    assert '%s: ABORT' % STO in lines
    assert 'scs-0125-db-server-tls: ABORT' in lines


def test_html_is_self_contained_escaped_and_verdict_first(report):
    page = RENDERERS['html'](report)
    assert page.index('NON CONFORMANT') < page.index('<h2>Summary</h2>') < page.index('<h2>Controls</h2>')
    assert '<script>' not in page and '&lt;script&gt;' in page
    assert 'http://' not in page.split('<main>')[0], 'no external resources in <head>'
    assert '<link' not in page and 'src=' not in page
    assert 'ssl_protocols TLSv1.2 TLSv1.3;' in page
    assert 'hunter2' not in page


def test_nodes_section_says_what_was_found(report):
    assert report['nodes'][0] == {'host': 'n1', 'audited': True, 'channels': ['tls', 'sto'], 'layouts': ['kolla'],
                                  'services': ['nova (nova-api)'], 'listeners': 1, 'tls_endpoints': 0}
    assert report['nodes'][1]['audited'] is False and report['nodes'][1]['reason'] == 'unreachable'
    assert '<h2>Nodes</h2>' in RENDERERS['html'](report)
    assert '| n1 | yes | kolla | nova (nova-api) | tls, sto | 1 | 0 |' in RENDERERS['markdown'](report)


def test_markdown_and_summary(report):
    text = RENDERERS['markdown'](report)
    assert '**Verdict: NON CONFORMANT**' in text
    assert '| n1 / 127.0.0.1:8443 | FAIL |' in text
    lines = render_summary_lines(report)
    assert lines[-1].startswith('VERDICT: NON_CONFORMANT')
    assert len(lines) == 25  # header, 22 controls, TARGETS (findings by status, not assessed included), VERDICT
    assert lines[-2].startswith('TARGETS: 1 pass, 1 fail') and 'not assessed' in lines[-2]


def test_json_round_trip(report):
    assert json.loads(RENDERERS['json'](report)) == report


def test_attestation_replaces_manual_finding():
    findings = evaluate({'n1': {'channels': ['sto']}}, rules={STO: _sto_rule})
    attested = attestation_findings([{'control_id': STO, 'status': 'pass', 'host': 'n1', 'message': 'storage on own switches', 'by': 'J. Doe'}])
    merged = merge_attestations(findings, attested)
    sto = [f for f in merged if f['control_id'] == STO]
    assert [(f['status'], f.get('source')) for f in sto] == [('pass', 'attestation')]
    assert 'J. Doe' in sto[0]['message']


@pytest.mark.parametrize('item,problem', [
    ({'control_id': 'scs-0125-nope', 'status': 'pass', 'message': 'x'}, 'unknown control id'),
    ({'control_id': STO, 'status': 'maybe', 'message': 'x'}, 'status must be one of'),
    ({'control_id': STO, 'status': 'pass'}, 'needs a message'),
    ('text', 'must be a mapping'),
])
def test_bad_attestations_are_named(item, problem):
    with pytest.raises(ReportError, match=problem):
        attestation_findings([item])


def test_conformant_and_incomplete_reports():
    def all_pass(ctx):
        return [ctx.finding(TLS, 'pass', 'ok', host='n1')]
    report = build_report(evaluate({'n1': {'channels': ['tls']}}, rules={TLS: all_pass}), dict(RUN))
    assert report['verdict'] == 'incomplete', 'other MUST controls were not assessed'
    assert 'not assessed' in report['verdict_reason']
    root = ET.fromstring(RENDERERS['junit'](report).split('\n', 1)[1])
    assert root.get('failures') == '0'


def test_inlined_references_validate_as_the_schema_does(report):
    schema = load_schema()
    inlined = inline_refs(schema)
    assert '$ref' not in json.dumps(dict((k, v) for k, v in inlined.items() if k != 'definitions'))
    assert inlined['properties']['findings']['items']['properties']['status'] == schema['definitions']['status']
    cyclic = {'definitions': {'node': {'type': 'object', 'properties': {'next': {'$ref': '#/definitions/node'}}}},
              'properties': {'head': {'$ref': '#/definitions/node'}}}
    assert inline_refs(cyclic)['properties']['head']['properties']['next'] == {'$ref': '#/definitions/node'}
    report['findings'][0]['status'] = 'maybe'
    report['findings'][0]['target']['rack'] = 'r1'
    report['controls'][0]['counts']['pass'] = -1
    assert validate_report(report) == validate_report(report, schema=inlined) != []
    import jsonschema  # pylint: disable=import-outside-toplevel
    assert validate_report(report) == ['%s: %s' % ('/'.join(str(p) for p in err.absolute_path) or '(root)', err.message) for err in sorted(
        jsonschema.Draft7Validator(schema).iter_errors(report), key=lambda e: list(e.absolute_path))]
