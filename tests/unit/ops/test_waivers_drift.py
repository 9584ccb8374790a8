# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Waivers (accepted risks) and drift (changes since a previous report) in the report and every format."""

from __future__ import absolute_import, division, print_function

import copy
import json
import xml.etree.ElementTree as ET

import pytest

from ansible_collections.scs.secure_connections.plugins.module_utils._core.evaluator import evaluate
from ansible_collections.scs.secure_connections.plugins.module_utils._core.render import RENDERERS, render_summary_lines
from ansible_collections.scs.secure_connections.plugins.module_utils._core.report import (
    ReportError,
    build_report,
    load_previous_report,
    load_waivers_file,
    normalise_waivers,
    validate_report,
)

TLS = 'scs-0125-tls-mozilla'
DB = 'scs-0125-db-require-ssl'
RUN = {'collection': 'scs.secure_connections', 'collection_version': '0.1.0', 'standard': 'scs-0125-v1',
       'mozilla': {'guidelines_version': 5.7, 'level': 'intermediate'}, 'hosts': ['n1', 'n2'], 'channels': ['tls', 'db'],
       'started': '2026-11-22T10:00:00Z', 'finished': '2026-11-22T10:00:05Z'}


def _findings(tls_results, db_status='pass'):
    """tls_results: {(host, endpoint): status}; one db finding on n1."""
    def tls_rule(ctx):
        return [ctx.finding(TLS, status, 'probe said %s' % status, host=host, endpoint=endpoint)
                for (host, endpoint), status in sorted(tls_results.items())]

    def db_rule(ctx):
        return [ctx.finding(DB, db_status, 'require_secure_transport %s' % db_status, host='n1', service='mariadb')]
    evidence = {'n1': {'channels': ['tls', 'db']}, 'n2': {'channels': ['tls']}}
    return evaluate(evidence, rules={TLS: tls_rule, DB: db_rule}), evidence


def _report(tls_results, waivers=None, previous=None, db_status='pass'):
    findings, evidence = _findings(tls_results, db_status)
    report = build_report(findings, dict(RUN), evidence_by_host=evidence, waivers=normalise_waivers(waivers) if waivers is not None else None,
                          previous=previous)
    assert validate_report(report) == []
    return report


def _row(report, cid):
    return [r for r in report['controls'] if r['id'] == cid][0]


BASE = {('n1', '10.0.0.1:443'): 'pass', ('n1', '10.0.0.1:8443'): 'fail', ('n2', '10.0.0.2:5671'): 'fail'}


def test_active_waiver_waives_a_failure_but_the_verdict_stays_honest():
    waivers = [{'control_id': TLS, 'target': 'n1 / 10.0.0.1:8443', 'reason': 'legacy client until migration', 'owner': 'ops@example.com',
                'expires': '2026-12-31'},
               {'control_id': TLS, 'target': 'n2', 'reason': 'broker replaced in Q1', 'owner': 'mq team', 'expires': '2027-03-31'}]
    report = _report(BASE, waivers)
    row = _row(report, TLS)
    assert row['status'] == 'waived' and row['scs_result'] == 'FAIL'  # not pass: SCS knows no waivers
    assert row['counts']['waived'] == 2 and row['counts']['fail'] == 0 and row['counts']['pass'] == 1
    assert report['summary']['must_failed'] == [] and report['summary']['must_waived'] == [TLS]
    assert report['verdict'] == 'non_conformant' and 'active waiver' in report['verdict_reason']
    assert report['summary']['waivers'] == {'active': 2, 'expired': 0, 'unmatched': 0}
    assert report['summary']['findings_by_status']['waived'] == 2 and report['summary']['findings_by_status']['fail'] == 0
    waived = [f for f in report['findings'] if f.get('waiver')]
    assert [f['status'] for f in waived] == ['fail', 'fail'] and all(f['waiver']['state'] == 'active' for f in waived)
    assert RENDERERS['scs'](report).count('%s: FAIL' % TLS) == 1
    html = RENDERERS['html'](report)
    assert 'WAIVED' in html and 'legacy client until migration' in html and 'id="waivers"' in html
    assert 'WAIVED' in RENDERERS['markdown'](report)
    junit = ET.fromstring(RENDERERS['junit'](report).split('\n', 1)[1])
    suite = [s for s in junit if s.get('name') == TLS][0]
    assert suite.get('failures') == '0' and suite.get('skipped') == '2'
    assert 'WAIVERS: 2 active, 0 expired, 0 unmatched' in render_summary_lines(report)


def test_partly_waived_control_still_fails():
    report = _report(BASE, [{'control_id': TLS, 'target': 'n2', 'reason': 'r', 'owner': 'o', 'expires': '2027-01-01'}])
    row = _row(report, TLS)
    assert row['status'] == 'fail' and row['counts'] == dict(row['counts'], fail=1, waived=1)
    assert report['summary']['must_failed'] == [TLS] and report['summary']['must_waived'] == []


def test_expired_waiver_turns_back_into_a_failure_and_is_reported():
    report = _report(BASE, [{'control_id': TLS, 'target': '*', 'reason': 'r', 'owner': 'o', 'expires': '2026-11-21'}])
    row = _row(report, TLS)
    assert row['status'] == 'fail' and row['counts']['fail'] == 2 and row['counts']['waived'] == 0
    assert report['waivers'][0]['state'] == 'expired' and report['waivers'][0]['matched'] == 2
    assert all(f['waiver']['state'] == 'expired' for f in report['findings'] if f['control_id'] == TLS and f['status'] == 'fail')
    assert 'EXPIRED on 2026-11-21' in RENDERERS['html'](report)
    # the expiry day itself still counts as valid
    assert _row(_report(BASE, [{'control_id': TLS, 'reason': 'r', 'owner': 'o', 'expires': '2026-11-22'}]), TLS)['status'] == 'waived'


def test_unmatched_waiver_is_reported_and_passes_are_never_touched():
    report = _report(BASE, [{'control_id': TLS, 'target': 'n1 / 10.0.0.1:443', 'reason': 'r', 'owner': 'o', 'expires': '2027-01-01'},
                            {'control_id': DB, 'reason': 'r', 'owner': 'o', 'expires': '2027-01-01'}])
    assert [w['state'] for w in report['waivers']] == ['unmatched', 'unmatched']
    assert report['summary']['waivers'] == {'active': 0, 'expired': 0, 'unmatched': 2}
    assert not [f for f in report['findings'] if f.get('waiver')]


@pytest.mark.parametrize('item,problem', [
    ({'control_id': 'scs-0125-nope', 'reason': 'r', 'owner': 'o', 'expires': '2027-01-01'}, "unknown control id 'scs-0125-nope'"),
    ({'control_id': TLS, 'owner': 'o', 'expires': '2027-01-01'}, 'needs a reason'),
    ({'control_id': TLS, 'reason': 'r', 'expires': '2027-01-01'}, 'needs a owner'),
    ({'control_id': TLS, 'reason': 'r', 'owner': 'o'}, 'needs an expiry date'),
    ({'control_id': TLS, 'reason': 'r', 'owner': 'o', 'expires': 'next year'}, 'expires must be a date'),
    ({'control_id': TLS, 'reason': 'r', 'owner': 'o', 'expires': '2027-01-01', 'host': 'x'}, 'unknown key(s) host'),
    ('just text', 'must be a mapping'),
])
def test_bad_waivers_are_named(item, problem):
    with pytest.raises(ReportError) as err:
        normalise_waivers([item])
    assert problem in str(err.value)


def test_waivers_file(tmp_path):
    path = tmp_path / 'waivers.yml'
    path.write_text('waivers:\n  - control_id: %s\n    target: "n2*"\n    reason: r\n    owner: o\n    expires: 2027-01-01\n' % TLS)
    assert normalise_waivers(load_waivers_file(str(path)))[0]['expires'] == '2027-01-01'
    path.write_text('control_id: x\n')
    with pytest.raises(ReportError, match='must hold a list'):
        load_waivers_file(str(path))
    with pytest.raises(ReportError, match='cannot read the waivers file'):
        load_waivers_file(str(tmp_path / 'missing.yml'))


def test_drift_new_failures_fixed_and_targets(tmp_path):
    previous = _report(BASE)
    now = {('n1', '10.0.0.1:443'): 'fail',      # new failure
           ('n1', '10.0.0.1:8443'): 'pass',     # fixed
           ('n2', '10.0.0.2:5671'): 'fail',     # still failing
           ('n3', '10.0.0.3:443'): 'pass'}      # new target
    prev_path = tmp_path / 'scs-0125-report.json'
    prev_path.write_text(json.dumps(previous))
    report = _report(now, previous=load_previous_report(str(tmp_path)), db_status='fail')
    drift = report['drift']
    assert [(d['control_id'], d['target'], d['previous_status']) for d in drift['new_failures']] == [
        (TLS, {'host': 'n1', 'endpoint': '10.0.0.1:443'}, 'pass'), (DB, {'host': 'n1', 'service': 'mariadb'}, 'pass')]
    assert [(d['target']['endpoint'], d['status']) for d in drift['fixed']] == [('10.0.0.1:8443', 'pass')]
    assert drift['new_targets'] == [{'host': 'n3', 'endpoint': '10.0.0.3:443'}]
    assert drift['vanished_targets'] == []
    assert drift['counts'] == {'new_failures': 2, 'fixed': 1, 'still_failing': 1, 'new_targets': 1, 'vanished_targets': 0,
                               'controls_changed': 1}
    assert drift['controls_changed'] == [{'id': DB, 'from': 'pass', 'to': 'fail'}]
    assert drift['verdict'] == {'from': 'non_conformant', 'to': 'non_conformant'}
    html = RENDERERS['html'](report)
    assert 'id="drift"' in html and 'new failure' in html and 'fixed' in html and 'new target' in html
    assert html.index('id="drift"') < html.index('<h2>Summary</h2>')  # changes first
    assert '## Changes since the previous report' in RENDERERS['markdown'](report)
    assert any(line.startswith('CHANGES since the previous report: 2 new failure(s), 1 fixed') for line in render_summary_lines(report))


def test_drift_vanished_target_and_no_change():
    previous = _report(BASE)
    gone = dict(BASE)
    gone.pop(('n2', '10.0.0.2:5671'))
    report = _report(gone, previous=copy.deepcopy(previous))
    assert report['drift']['vanished_targets'] == [{'host': 'n2', 'endpoint': '10.0.0.2:5671'}]
    assert report['drift']['fixed'] == []  # vanished is not fixed
    same = _report(BASE, previous=copy.deepcopy(previous))
    assert same['drift']['counts'] == dict(dict.fromkeys(same['drift']['counts'], 0), still_failing=2)
    assert 'No change.' in RENDERERS['html'](same)


@pytest.mark.parametrize('text', ['{"kind": "something-else"}', '{"kind": "scs-0125-conformance-report", "schema_version": "1.1", "controls": []}',
                                  '{"kind": "scs-0125-conformance-report", "schema_version": "2.0", "controls": [], "findings": []}', '{not json'])
def test_partial_or_foreign_previous_report_is_an_error(tmp_path, text):
    path = tmp_path / 'old.json'
    path.write_text(text)
    with pytest.raises(ReportError, match='previous report'):
        load_previous_report(str(path))


def test_report_without_waivers_or_previous_has_neither_key():
    report = _report(BASE)
    assert 'waivers' not in report and 'drift' not in report and 'waivers' not in report['summary']
    assert report['schema_version'] == '1.1'


def _cert_report(not_afters, window=30, finished='2026-11-22T10:00:05Z'):
    def tls_rule(ctx):
        return [ctx.finding(TLS, 'fail' if when < finished else 'pass', 'probe', host='n1', endpoint='10.0.0.1:%d' % port,
                            evidence={'certificate': {'subject': 'CN=svc%d' % port, 'issuer': 'CN=ca', 'not_after': when}})
                for port, when in not_afters.items()] + [ctx.finding(TLS, 'error', 'refused', host='n2', endpoint='10.0.0.2:443')]
    evidence = {'n1': {'channels': ['tls']}, 'n2': {'channels': ['tls']}}
    findings = evaluate(evidence, rules={TLS: tls_rule})
    report = build_report(findings, dict(RUN, finished=finished), evidence_by_host=evidence, certificate_warning_days=window)
    assert validate_report(report) == []
    return report


def test_certificate_expiry_window():
    report = _cert_report({443: '2027-06-01T00:00:00Z', 8443: '2026-12-10T00:00:00Z', 9443: '2026-11-01T00:00:00Z',
                           5000: '2026-12-22T10:00:05Z'})
    states = dict((c['target']['endpoint'], (c['state'], c['days_left'])) for c in report['certificate_expiry']['certificates'])
    assert states == {'10.0.0.1:443': ('valid', 190), '10.0.0.1:8443': ('expiring', 17), '10.0.0.1:9443': ('expired', -22),
                      '10.0.0.1:5000': ('expiring', 30)}  # exactly 30 days left is inside the window
    assert report['summary']['certificates'] == {'valid': 1, 'expiring': 2, 'expired': 1}
    by_port = dict((f['target'].get('endpoint'), f) for f in report['findings'])
    assert by_port['10.0.0.1:8443']['status'] == 'pass' and 'within the 30-day warning window' in by_port['10.0.0.1:8443']['warnings'][0]
    assert 'warnings' not in by_port['10.0.0.1:443']
    assert by_port['10.0.0.1:9443']['status'] == 'fail' and 'expired on 2026-11-01' in by_port['10.0.0.1:9443']['warnings'][0]
    assert report['certificate_expiry']['certificates'][0]['target']['endpoint'] == '10.0.0.1:9443'  # soonest first
    html = RENDERERS['html'](report)
    assert 'id="certificates"' in html and 'EXPIRING' in html and '&#9888;' in html
    assert 'CERTIFICATES: 2 expiring within 30 days, 1 expired (of 4 probed)' in render_summary_lines(report)
    assert 'WARNING: the certificate (CN=svc8443)' in RENDERERS['markdown'](report)
    # a wider window warns earlier; window 0 only about expired ones
    assert _cert_report({443: '2027-06-01T00:00:00Z'}, window=365)['summary']['certificates'] == {'valid': 0, 'expiring': 1, 'expired': 0}
    assert _cert_report({8443: '2026-12-10T00:00:00Z'}, window=0)['summary']['certificates'] == {'valid': 1, 'expiring': 0, 'expired': 0}
    with pytest.raises(ReportError, match='0 or more'):
        _cert_report({}, window=-1)


def test_failures_first_and_triage_by_fix():
    results = {('n1', '10.0.0.1:443'): 'pass', ('n1', '10.0.0.1:8443'): 'fail', ('n2', '10.0.0.2:5671'): 'fail', ('n2', '10.0.0.2:443'): 'pass'}
    report = _report(results, waivers=[{'control_id': TLS, 'target': 'n2', 'reason': 'r', 'owner': 'o', 'expires': '2099-01-01'}],
                     db_status='fail')
    html = RENDERERS['html'](report)
    section = html[html.index('<section class="control must" id="%s">' % TLS):]
    section = section[:section.index('</section>')]
    assert section.index('10.0.0.1:8443') < section.index('10.0.0.2:5671') < section.index('10.0.0.1:443')  # fail, waived, pass
    # triage: unwaived failures of MUST first, then the SHOULD one; waived ones are not in it
    assert '<h2 id="triage">What to fix first</h2>' in html and html.index('id="triage"') < html.index('<h2>Summary</h2>')
    triage = html[html.index('id="triage"'):html.index('<h2>Summary</h2>')]
    assert triage.index(TLS) < triage.index(DB) and '10.0.0.2:5671' not in triage
    md = RENDERERS['markdown'](report)
    assert '## What to fix first' in md and '| `%s` | MUST |' % TLS in md
