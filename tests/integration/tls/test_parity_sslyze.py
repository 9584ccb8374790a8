# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Parity with sslyze's Mozilla checker on the real TLS corpus (lab/tls_servers.py).

* sslyze (6.2+, the installed version is printed in the header and in every message) must reproduce the verdict and
  the exact failing criteria catalogued for every member it can scan -- this proves the corpus, and runs without
  our engine;
* our engine (``plugins/module_utils/_tls/scan.py``: ``scan_endpoints``) must give the same ``mozilla.compliant`` as
  sslyze for every scannable member, fail the same criteria, give the catalogued verdict for every member (hostile
  ones: ``status: error`` with the catalogued ``error.kind``), and end each hostile scan within its timeout.

The engine tests are skipped only while the engine module does not exist (ModuleNotFoundError for that very module);
any other import error fails them.
"""

from __future__ import absolute_import, division, print_function

import importlib
import time

import pytest

from lab.tls_servers import MEMBERS, sslyze_mozilla, sslyze_version

ENGINE = 'ansible_collections.scs.secure_connections.plugins.module_utils._tls.scan'
TIMEOUT = 3                      # seconds, given to both tools
SCANNABLE = [m.name for m in MEMBERS if m.sslyze_can_scan]
HOSTILE = [m.name for m in MEMBERS if not m.sslyze_can_scan]

# sslyze's issue key -> the criterion names our engine may use for the same check
ALIASES = {
    'certificate_path_validation': ('certificate_path_validation', 'certificate_trust', 'certificate_validation',
                                    'certificate_chain', 'certificate_verification', 'certificate_validity', 'certificate_expiry',
                                    'certificate_expired', 'certificate_hostname'),
    'tls_curves': ('tls_curves', 'groups'),
}


def _engine():
    try:
        importlib.import_module(ENGINE)
        return importlib.import_module('judged')   # the engine's results with the mozilla block, as tls_endpoint_info returns them
    except ModuleNotFoundError as exc:
        if exc.name == ENGINE:
            pytest.skip('our TLS engine (%s) does not exist yet' % ENGINE.rsplit('.', 1)[-1])
        raise


def _sslyze_label():
    return 'sslyze %s' % (sslyze_version() or '?')


@pytest.fixture(scope='module')
def sslyze_results(tls_corpus):
    pytest.importorskip('sslyze', reason='sslyze (pip install sslyze>=6.2) is the reference of this parity test')
    try:
        importlib.import_module('sslyze.mozilla_tls_profile.tls_config_checker')
    except ImportError:
        pytest.skip('%s has no tls_config_checker (6.1 and older: renamed module and the P-256 naming bug)' % _sslyze_label())
    servers = [tls_corpus.server(n) for n in SCANNABLE]
    begin = time.monotonic()
    results = sslyze_mozilla([s.endpoint() for s in servers], ca_file=tls_corpus.ca_file, timeout=TIMEOUT)
    print('\n%s: %d endpoints in %.1f s' % (_sslyze_label(), len(servers), time.monotonic() - begin))
    return dict(zip(SCANNABLE, results))


@pytest.fixture(scope='module')
def engine_results(tls_corpus):
    engine = _engine()
    options = dict(timeout=TIMEOUT, ca_files=[tls_corpus.ca_file], level='intermediate', concurrency=8)
    begin = time.monotonic()
    results = engine.scan_endpoints(tls_corpus.endpoints(), options)
    elapsed = time.monotonic() - begin
    print('\nour engine: %d endpoints in %.1f s' % (len(results), elapsed))
    assert len(results) == len(tls_corpus.servers)
    by_label = {r.get('label'): r for r in results}
    if set(by_label) != set(s.name for s in tls_corpus.servers):   # labels not passed through: fall back to the order
        by_label = {s.name: r for s, r in zip(tls_corpus.servers, results)}
    return by_label


def _failed(result):
    return {i.get('criterion'): i for i in ((result.get('mozilla') or {}).get('criteria') or []) if i.get('result') == 'fail'}


def _explain(name, ours, theirs):
    """One line per criterion where the tools differ: server, criterion, ours vs sslyze."""
    lines = []
    failed = _failed(ours)
    for key, text in sorted(theirs['issues'].items()):
        match = [c for c in ALIASES.get(key, (key,)) if c in failed]
        if not match:
            lines.append('%s: %s: ours does not fail it | %s fails it: %s' % (name, key, _sslyze_label(), text))
    known = set(c for k in theirs['issues'] for c in ALIASES.get(k, (k,)))
    for criterion, item in sorted(failed.items()):
        if criterion not in known:
            lines.append('%s: %s: ours fails it (expected %r, observed %r: %s) | %s does not' % (
                name, criterion, item.get('expected'), item.get('observed'), item.get('message'), _sslyze_label()))
    if ours.get('status') != 'ok':
        lines.append('%s: ours could not scan it: %r' % (name, ours.get('error')))
    if theirs['error']:
        lines.append('%s: %s could not scan it: %s' % (name, _sslyze_label(), theirs['error']))
    return '\n'.join(lines)


# -- the corpus as sslyze sees it (no engine needed) ------------------------------------------------------

@pytest.mark.parametrize('name', SCANNABLE)
def test_sslyze_reproduces_the_catalogue(tls_corpus, sslyze_results, name):
    server, theirs = tls_corpus.server(name), sslyze_results[name]
    assert theirs['error'] is None, '%s could not scan %s: %s' % (_sslyze_label(), name, theirs['error'])
    assert theirs['verdict'] == server.expected, '%s says %s for %s (%s): %s' % (
        _sslyze_label(), theirs['verdict'], name, server.reason, theirs['issues'])
    assert set(theirs['issues']) == set(server.sslyze_issues), '%s: %s' % (_sslyze_label(), theirs['issues'])


# -- our engine against sslyze and against the catalogue -------------------------------------------------

@pytest.mark.parametrize('name', SCANNABLE)
def test_engine_verdict_equals_sslyze(sslyze_results, engine_results, name):
    ours, theirs = engine_results[name], sslyze_results[name]
    expected = {'compliant': True, 'non_compliant': False}.get(theirs['verdict'])
    observed = (ours.get('mozilla') or {}).get('compliant')
    assert observed == expected, 'verdict differs: ours %r, %s %r\n%s' % (observed, _sslyze_label(), expected, _explain(name, ours, theirs))


@pytest.mark.parametrize('name', SCANNABLE)
def test_engine_fails_the_same_criteria(sslyze_results, engine_results, name):
    text = _explain(name, engine_results[name], sslyze_results[name])
    assert not text, 'criteria differ:\n' + text


@pytest.mark.parametrize('name', [m.name for m in MEMBERS])
def test_engine_gives_the_catalogued_verdict(tls_corpus, engine_results, name):
    server, ours = tls_corpus.server(name), engine_results[name]
    mozilla = ours.get('mozilla') or {}
    if server.expected == 'error':
        assert ours.get('status') == 'error', ours
        assert (ours.get('error') or {}).get('kind') == server.error_kind, '%s (%s): %r' % (name, server.reason, ours.get('error'))
        assert (ours.get('error') or {}).get('message')
        assert mozilla.get('compliant') is None
    else:
        assert ours.get('status') == 'ok' and not ours.get('error'), ours.get('error')
        assert mozilla.get('compliant') is (server.expected == 'compliant'), '%s (%s): %s' % (
            name, server.reason, [(i.get('criterion'), i.get('message')) for i in _failed(ours).values()])


@pytest.mark.parametrize('name', HOSTILE)
def test_engine_hostile_endpoint_ends_within_its_timeout(tls_corpus, name):
    engine = _engine()
    server = tls_corpus.server(name)
    timeout = 2
    begin = time.monotonic()
    options = dict(timeout=timeout, ca_files=[tls_corpus.ca_file], level='intermediate', concurrency=4)
    results = engine.scan_endpoints([server.endpoint()], options)
    elapsed = time.monotonic() - begin
    assert len(results) == 1 and results[0].get('status') == 'error', results
    assert results[0]['error'].get('kind') == server.error_kind, results[0]['error']
    assert elapsed <= timeout + 1.0, '%s took %.1f s with timeout %s s' % (name, elapsed, timeout)
