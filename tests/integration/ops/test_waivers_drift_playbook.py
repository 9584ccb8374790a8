# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Waivers and drift end to end: the audit playbook (audit and report roles, real ansible-playbook)
against real TLS servers of lab.tls_servers, twice; the second run with waivers and the first run's
report as report_previous."""

from __future__ import absolute_import, division, print_function

import json
import os
import sys

import yaml

from keystone_helpers import run_playbook

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), 'spine'))
# the TLS server corpus of the audit playbook tests (nginx-rsa, nginx-tls10, haproxy-good, haproxy-weak), reused
from test_audit_playbook import corpus  # noqa: E402,F401  pylint: disable=wrong-import-position,unused-import

TLS = 'scs-0125-tls-mozilla'
PLAY = '- ansible.builtin.import_playbook: scs.secure_connections.audit\n'


def _inventory(tmp_path, corpus, names, name):
    tree = tmp_path / 'tree'
    tree.mkdir(exist_ok=True)
    hosts = {'node-a': {'ansible_connection': 'local', 'audit_root': str(tree), 'audit_tls_ca_files': [corpus.ca_file],
                        'audit_tls_discover_listeners': False, 'audit_tls_timeout': 3,
                        'audit_tls_endpoints': [corpus.server(n).endpoint() for n in names]}}
    path = tmp_path / name
    path.write_text(yaml.safe_dump({'all': {'hosts': hosts, 'vars': {'audit_channels': ['tls']}}}))
    return str(path)


def _tls(report):
    return dict((f['target']['endpoint'].split(':')[-1], f) for f in report['findings'] if f['control_id'] == TLS and 'endpoint' in f['target'])


def test_waivers_and_drift_through_the_playbook(corpus, tmp_path):
    rsa, weak, good = (str(corpus.server(n).port) for n in ('nginx-rsa', 'nginx-tls10', 'haproxy-good'))
    # run 1: nginx-rsa passes, nginx-tls10 fails, no waivers
    first = tmp_path / 'run1'
    rc, log = run_playbook(tmp_path, PLAY, extra_vars={'report_output_dir': str(first)},
                           inventory=_inventory(tmp_path, corpus, ['nginx-rsa', 'nginx-tls10'], 'inv1.yml'))
    assert rc == 0, log[-3000:]
    before = json.loads((first / 'scs-0125-report.json').read_text())
    assert dict((p, f['status']) for p, f in _tls(before).items()) == {rsa: 'pass', weak: 'fail'}
    assert 'waivers' not in before and 'drift' not in before
    # certificate expiry, default window 30 days: the lab's certificates are fresh
    assert before['certificate_expiry']['window_days'] == 30
    assert [(c['target']['endpoint'].split(':')[-1], c['state']) for c in before['certificate_expiry']['certificates']
            if c['state'] != 'valid'] == [] and len(before['certificate_expiry']['certificates']) == 2
    assert before['summary']['certificates'] == {'valid': 2, 'expiring': 0, 'expired': 0}

    # run 2: nginx-rsa gone, haproxy-good new; the weak server waived (file), an expired and an unmatched waiver inline;
    # report_fail_on_must does not fail the play on a waived MUST failure
    waivers_file = tmp_path / 'waivers.yml'
    waivers_file.write_text(yaml.safe_dump({'waivers': [
        {'control_id': TLS, 'target': '*:%s' % weak, 'reason': 'TLS 1.0 client of the billing system until 2027-Q1',
         'owner': 'billing-ops@example.com', 'expires': '2099-03-31'}]}))
    extra = {'report_output_dir': str(tmp_path / 'run2'), 'report_previous': str(first), 'report_waivers_file': str(waivers_file),
             'report_fail_on_must': True, 'report_certificate_warning_days': 36500,
             'report_waivers': [{'control_id': TLS, 'target': 'node-z', 'reason': 'old host', 'owner': 'ops', 'expires': '2099-01-01'},
                                {'control_id': 'scs-0125-db-require-ssl', 'reason': 'long gone', 'owner': 'dba', 'expires': '2020-01-01'}]}
    rc, log = run_playbook(tmp_path, PLAY, extra_vars=extra, inventory=_inventory(tmp_path, corpus, ['nginx-tls10', 'haproxy-good'], 'inv2.yml'))
    assert rc == 0, log[-3000:]
    report = json.loads((tmp_path / 'run2' / 'scs-0125-report.json').read_text())
    findings = _tls(report)
    assert findings[weak]['status'] == 'fail' and findings[weak]['waiver']['state'] == 'active'
    assert findings[good]['status'] == 'pass'
    row = [r for r in report['controls'] if r['id'] == TLS][0]
    assert row['status'] == 'waived' and row['scs_result'] == 'FAIL' and row['counts']['waived'] == 1
    assert report['verdict'] == 'non_conformant' and report['summary']['must_failed'] == [] and report['summary']['must_waived'] == [TLS]
    assert [(w['control_id'], w['state']) for w in report['waivers']] == [
        (TLS, 'unmatched'), ('scs-0125-db-require-ssl', 'expired'), (TLS, 'active')]
    assert '%s: FAIL' % TLS in (tmp_path / 'run2' / 'scs-0125-results.txt').read_text()
    assert 'WAIVERS: 1 active, 1 expired, 1 unmatched' in log
    # a 100-year warning window: both probed certificates are expiring, a warning on each listener, statuses unchanged
    assert report['summary']['certificates'] == {'valid': 0, 'expiring': 2, 'expired': 0}
    assert all('within the 36500-day warning window' in f['warnings'][0] for f in findings.values())
    assert 'CERTIFICATES: 2 expiring within 36500 days, 0 expired (of 2 probed)' in log
    # drift against run 1
    drift = report['drift']
    assert [t['endpoint'].split(':')[-1] for t in drift['new_targets']] == [good]
    assert [t['endpoint'].split(':')[-1] for t in drift['vanished_targets']] == [rsa]
    assert drift['new_failures'] == [] and drift['fixed'] == [] and drift['counts']['still_failing'] == 1
    assert drift['previous']['finished'] == before['run']['finished']
    assert 'CHANGES since the previous report: 0 new failure(s), 0 fixed, 1 new target(s), 1 vanished' in log
    html = (tmp_path / 'run2' / 'scs-0125-report.html').read_text()
    assert 'id="drift"' in html and 'vanished target' in html and 'id="waivers"' in html and 'billing-ops@example.com' in html


def test_expired_waiver_fails_the_gate_and_a_broken_previous_report_is_an_error(corpus, tmp_path):
    weak = str(corpus.server('nginx-tls10').port)
    inventory = _inventory(tmp_path, corpus, ['nginx-tls10'], 'inv.yml')
    extra = {'report_output_dir': str(tmp_path / 'r'), 'report_fail_on_must': True,
             'report_waivers': [{'control_id': TLS, 'target': '*:%s' % weak, 'reason': 'r', 'owner': 'o', 'expires': '2020-01-01'}]}
    rc, log = run_playbook(tmp_path, PLAY, extra_vars=extra, inventory=inventory)
    assert rc != 0 and 'scs-0125-v1 non-conformant' in log
    report = json.loads((tmp_path / 'r' / 'scs-0125-report.json').read_text())
    assert report['summary']['must_failed'] == [TLS] and report['waivers'][0]['state'] == 'expired'
    broken = tmp_path / 'broken.json'
    broken.write_text('{"kind": "scs-0125-conformance-report", "findings": [')
    rc, log = run_playbook(tmp_path, PLAY, extra_vars={'report_output_dir': str(tmp_path / 'r2'), 'report_previous': str(broken)},
                           inventory=inventory)
    assert rc != 0 and 'cannot read the previous report' in log
    assert not (tmp_path / 'r2' / 'scs-0125-report.json').exists()
