# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""tls_endpoint_info (the prober) against the TLS peers of the zoo: status, reason, time bound."""

from __future__ import absolute_import, division, print_function

import re
import ssl
import time

import pytest

from conftest import MARGIN
from lab import peers, pki

from ansible_collections.scs.secure_connections.plugins.module_utils._rules.common import judge_probe
from ansible_collections.scs.secure_connections.plugins.module_utils._tls.scan import scan_endpoint

TIMEOUT = 1.0
# in-process scans: the handshake / connection deadlines plus scheduling on a loaded machine
BOUND = 2 * TIMEOUT + 2.0

CASES = [
    # peer, error kind, words of the reason
    ('tls-silent', 'timeout', 'no answer to a TLS ClientHello'),
    ('tls-trickle', 'timeout', 'did not complete: no complete answer within the handshake deadline'),
    ('tls-reset', 'not_tls', 'closed or reset the connection without answering'),
    ('tls-close', 'not_tls', 'closed or reset the connection without answering'),
    ('tls-garbage', 'not_tls', 'the answer is not TLS'),
    ('tls-oversized', 'protocol', 'a TLS record of 65535 bytes (more than the 18432 bytes TLS allows)'),
    ('tls-truncated', 'protocol', 'was cut short: the connection was closed in the middle of the answer'),
    ('tls-alert', 'protocol', 'accepted no ClientHello (answers: handshake_failure)'),
    ('tls-hrr-loop', 'protocol', 'a second HelloRetryRequest in the same handshake'),
    ('tls-hrr-unoffered', 'protocol', 'names group unknown_0x4A4A, which the ClientHello did not offer'),
]


class _Ctx(object):
    options = {}


def _scan(peer, **options):
    opts = dict(timeout=TIMEOUT)
    opts.update(options)
    begin = time.monotonic()
    result = scan_endpoint({'host': peer.host, 'port': peer.port, 'server_name': 'localhost'}, opts)
    return result, time.monotonic() - begin


@pytest.mark.parametrize('kind,error_kind,words', CASES, ids=[c[0] for c in CASES])
def test_tls_peer(kind, error_kind, words):
    with peers.start(kind, interval=0.05) as peer:
        result, elapsed = _scan(peer)
    assert elapsed < BOUND, '%s took %.1f s' % (kind, elapsed)
    assert result['status'] == 'error', result
    assert result['error']['kind'] == error_kind and words in result['error']['message'], result['error']
    verdict = judge_probe(_Ctx(), result)
    assert verdict['status'] == 'error' and verdict['mozilla']['compliant'] is None


@pytest.mark.parametrize('kind', ['tls-reset', 'tls-close'])
def test_reason_of_a_closing_peer_does_not_depend_on_a_race(kind):
    """Whether the peer's FIN or RST arrives first (or our send fails first), the reason is one."""
    messages = set()
    with peers.start(kind) as peer:
        for dummy in range(6):
            result, _elapsed = _scan(peer)
            messages.add((result['error']['kind'], re.sub(r':\d+', ':PORT', result['error']['message'])))
    assert len(messages) == 1, messages


def test_trickle_uses_the_handshake_deadline_not_the_endpoint_deadline():
    """Before: a trickling peer held the first hello for the whole endpoint deadline (8 x timeout)."""
    with peers.start('tls-trickle', interval=0.05) as peer:
        result, elapsed = _scan(peer, timeout=2.0)
    assert 2.0 <= elapsed < 2.0 + 2.0, elapsed
    assert result['error']['kind'] == 'timeout' and 'bytes received' in result['error']['message']


def test_starttls_trickle_uses_the_connection_deadline():
    """A STARTTLS greeting that never ends: bounded by the per-connection deadline (2 x timeout)."""
    with peers.start('smtp-trickle', interval=0.05) as peer:
        begin = time.monotonic()
        result = scan_endpoint({'host': peer.host, 'port': peer.port, 'starttls': 'smtp'}, {'timeout': TIMEOUT})
        elapsed = time.monotonic() - begin
    assert 2 * TIMEOUT <= elapsed < 2 * TIMEOUT + 2.0, elapsed
    assert result['error']['kind'] == 'timeout' and 'exceeded its deadline of 2.0 s' in result['error']['message'], result['error']


def test_unresolvable_name_within_the_timeout():
    begin = time.monotonic()
    result = scan_endpoint({'host': 'peer-zoo.invalid', 'port': 443}, {'timeout': TIMEOUT})
    assert time.monotonic() - begin < TIMEOUT + 2.0
    assert result['status'] == 'error' and result['error']['kind'] == 'dns', result['error']


@pytest.fixture(scope='module')
def tls_context(tmp_path_factory):
    """A Mozilla-intermediate Python ssl server context (lab PKI)."""
    ca = pki.CA(str(tmp_path_factory.mktemp('peer-pki')))
    leaf = ca.issue('peer-zoo')
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(leaf.bundle, leaf.key)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    ctx.set_ciphers('ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-CHACHA20-POLY1305')
    ctx.set_ecdh_curve('prime256v1')
    return ctx, ca.cert


STALLS = [
    # which ClientHellos the server never answers, what the scan must then call undetermined
    ('fallback', lambda h: 0x5600 in h['cipher_suites'], ['fallback_scsv'], 'tls_vulnerability_fallback_scsv'),
    ('tls12-version-probe', lambda h: len(h['cipher_suites']) > 200 and not h['supported_versions'], ['protocols'], 'tls_versions'),
    # (the TLS 1.3 version probe offers every group without key shares too)
    ('tls13-no-key-share', lambda h: bool(h['supported_versions']) and len(h['groups']) > 20 and not h['key_shares'],
     ['groups', 'protocols'], 'tls_curves'),
]


def test_stall_control_is_compliant(tls_context):
    """The same server without stalls passes: the errors below come from the stalls alone."""
    ctx, ca_file = tls_context
    with peers.start('tls-stall', context=ctx, stall=lambda h: False) as peer:
        result, _elapsed = _scan(peer, ca_files=[ca_file])
    assert result['status'] == 'ok' and result['undetermined'] == []
    assert judge_probe(_Ctx(), result)['status'] == 'pass', judge_probe(_Ctx(), result)['failed']


@pytest.mark.parametrize('name,stall,checks,criterion', STALLS, ids=[s[0] for s in STALLS])
def test_timeouts_mid_scan_are_undetermined_not_guessed(tls_context, name, stall, checks, criterion):
    """Before: a timed-out fallback probe read as fallback_scsv: true, a timed-out version probe as "not accepted"."""
    ctx, ca_file = tls_context
    with peers.start('tls-stall', context=ctx, stall=stall) as peer:
        result, elapsed = _scan(peer, ca_files=[ca_file])
        assert 'stalled' in peer.requests
    assert elapsed < 8 * TIMEOUT + MARGIN
    assert result['status'] == 'ok'
    assert sorted(u['check'] for u in result['undetermined']) == checks, result['undetermined']
    assert all('timeout' in u['reason'] for u in result['undetermined'])
    if name == 'fallback':
        assert result['security']['fallback_scsv'] == 'not_tested'
    verdict = judge_probe(_Ctx(), result)
    assert verdict['status'] == 'error', verdict
    assert criterion in [i['criterion'] for i in verdict['undetermined']]


def test_module_bounds_and_per_entry_errors(module):
    """tls_endpoint_info: a bad entry (not a mapping, no host) is an error for that entry only; a trickling and a
    silent peer are bounded by the per-handshake deadline, not the endpoint deadline."""
    with peers.start('tls-trickle', interval=0.05) as trickle, peers.start('tls-silent') as silent:
        run = module('tls_endpoint_info', {
            'endpoints': ['not a mapping', {'port': 443}, {'host': trickle.host, 'port': trickle.port},
                          {'host': silent.host, 'port': silent.port, 'label': 'silent'}], 'timeout': TIMEOUT})
    endpoints = run.result['endpoints']
    assert not run.result.get('failed'), run.result
    assert [e['status'] for e in endpoints] == ['error'] * 4
    assert [e['error']['kind'] for e in endpoints] == ['internal', 'internal', 'timeout', 'timeout']
    assert 'must be a mapping' in endpoints[0]['error']['message'] and 'no host' in endpoints[1]['error']['message']
    assert endpoints[3]['label'] == 'silent' and endpoints[3]['mozilla']['compliant'] is None
    # documented bound: endpoints run concurrently, each within 8 x timeout; these end within 2 x timeout
    assert run.elapsed < 2 * TIMEOUT + MARGIN, run.elapsed
