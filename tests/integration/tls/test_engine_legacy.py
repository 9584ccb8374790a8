# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The engine against a scripted legacy TLS stack (a MOCK, see test_engine_lab.py: SSLv2/SSLv3, compression,
Heartbleed, CCS injection and ROBOT oracles cannot run with Debian 12's OpenSSL 3). Every vulnerable
behaviour is also switched off once, so each probe must tell the two apart."""

from __future__ import absolute_import, division, print_function

import json
import time

import pytest

from test_engine_lab import Lab

pytest.importorskip('ansible_collections.scs.secure_connections.plugins.module_utils._tls.scan')
ENGINE = pytest.importorskip('judged')   # the engine's results as tls_endpoint_info returns them (with the mozilla block)
pytest.importorskip('cryptography')

VULNERABLE = dict(sslv2=True, min_version=0x0300, suites=[0xC013, 0x0033, 0x002F, 0x000A, 0x0005, 0x0003, 0x0002], compression=True,
                  secure_renegotiation=False, ems=False, fallback_scsv=False, heartbleed=True, ccs_injection=True, robot_oracle=True,
                  dh_bits=1024)
PATCHED = dict(min_version=0x0301, max_version=0x0303, suites=[0xC02F, 0xC013, 0x0033, 0x002F], dh_bits=2048)
PATCHED_OLD = dict(PATCHED, suites=[0xC02F, 0xC013, 0x002F])
SILENT = dict(min_version=0x0303, suites=[0xC02F], silent_after=1)


@pytest.fixture(scope='module')
def legacy(tmp_path_factory):
    lab = Lab(str(tmp_path_factory.mktemp('legacy')))
    try:
        leaf = lab.pki.issue('legacy')
        servers = (('vulnerable', VULNERABLE), ('patched', PATCHED), ('patched-old', PATCHED_OLD), ('silent', SILENT),
                   ('silent-deadline', SILENT))
        ports = dict((name, lab.python(name, 'legacy', json.dumps(cfg), leaf.cert, leaf.key)) for name, cfg in servers)
        lab.ports = ports
        yield lab
    finally:
        lab.stop()


def _scan(lab, name, **options):
    opts = dict(timeout=2, ca_files=[lab.pki.cert])
    opts.update(options)
    return ENGINE.scan_endpoint({'host': '127.0.0.1', 'port': lab.ports[name], 'server_name': 'localhost', 'label': name}, opts)


def test_vulnerable_stack(legacy):
    r = _scan(legacy, 'vulnerable')
    assert r['status'] == 'ok', r['error']
    assert r['protocols'] == {'SSLv2': True, 'SSLv3': True, 'TLSv1.0': True, 'TLSv1.1': True, 'TLSv1.2': True, 'TLSv1.3': False}
    assert r['cipher_suites']['SSLv2'] == ['SSL_CK_RC4_128_WITH_MD5', 'SSL_CK_DES_192_EDE3_CBC_WITH_MD5']
    # at SSLv3 the ECDHE suite is refused (no supported_groups in an extension-less hello)
    assert r['cipher_suites']['SSLv3'] == ['TLS_RSA_WITH_NULL_SHA', 'TLS_RSA_EXPORT_WITH_RC4_40_MD5', 'TLS_RSA_WITH_RC4_128_SHA',
                                           'TLS_RSA_WITH_3DES_EDE_CBC_SHA', 'TLS_RSA_WITH_AES_128_CBC_SHA', 'TLS_DHE_RSA_WITH_AES_128_CBC_SHA']
    assert 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA' in r['cipher_suites']['TLSv1.2'] and len(r['cipher_suites']['TLSv1.2']) == 7
    assert r['dh_min_bits'] == 1024 and r['groups'] == ['prime256v1']
    sec = r['security']
    assert (sec['compression'], sec['secure_renegotiation'], sec['extended_master_secret'], sec['fallback_scsv']) == (True, False, False, False)
    assert (sec['heartbleed'], sec['ccs_injection'], sec['robot']) == (True, True, True), sec['notes']
    failed = set(i['criterion'] for i in r['mozilla']['criteria'] if i['result'] == 'fail')
    assert failed >= {'tls_versions', 'ciphers', 'dh_param_size', 'tls_vulnerability_compression', 'tls_vulnerability_renegotiation',
                      'tls_vulnerability_extended_master_secret', 'tls_vulnerability_fallback_scsv', 'tls_vulnerability_heartbleed',
                      'tls_vulnerability_ccs_injection', 'tls_vulnerability_robot'}
    assert r['mozilla']['compliant'] is False


def test_patched_stack(legacy):
    r = _scan(legacy, 'patched')
    assert r['status'] == 'ok', r['error']
    assert [v for v, on in r['protocols'].items() if on] == ['TLSv1.0', 'TLSv1.1', 'TLSv1.2']
    assert r['cipher_suites']['TLSv1.0'] == ['TLS_RSA_WITH_AES_128_CBC_SHA', 'TLS_DHE_RSA_WITH_AES_128_CBC_SHA', 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA']
    assert r['dh_min_bits'] == 2048
    sec = r['security']
    assert (sec['compression'], sec['secure_renegotiation'], sec['extended_master_secret'], sec['fallback_scsv']) == (False, True, True, True)
    assert (sec['heartbleed'], sec['ccs_injection'], sec['robot']) == (False, False, False), sec['notes']
    assert 'no oracle' in sec['notes']['robot']
    failed = set(i['criterion'] for i in r['mozilla']['criteria'] if i['result'] == 'fail')
    assert failed == {'tls_versions', 'ciphers'}
    # judged against "old", TLS 1.0 is allowed but TLS_DHE_RSA_WITH_AES_128_CBC_SHA is not in its list ...
    old = _scan(legacy, 'patched', level='old')
    assert [i['message'] for i in old['mozilla']['criteria'] if i['result'] == 'fail'] == [
        'TLS <= 1.2 cipher suites TLS_DHE_RSA_WITH_AES_128_CBC_SHA accepted; the old profile allows only ' +
        ', '.join(ENGINE.GUIDELINES['configurations']['old']['ciphers']['iana'])]
    # ... and without that suite the server follows "old"
    old = _scan(legacy, 'patched-old', level='old')
    assert old['mozilla']['compliant'] is True, [i for i in old['mozilla']['criteria'] if i['result'] != 'pass']


def test_server_that_stops_answering(legacy):
    """Answers the first ClientHello, then never again: a timeout error, not a "not TLS" verdict."""
    begin = time.monotonic()
    r = _scan(legacy, 'silent', timeout=1)
    assert time.monotonic() - begin < 3
    assert r['status'] == 'error' and r['error']['kind'] == 'timeout', r['error']
    assert 'then stopped answering' in r['error']['message']
    assert r['mozilla']['compliant'] is None


def test_endpoint_deadline(legacy):
    """The whole-endpoint deadline bounds the scan even when each operation has a longer timeout."""
    begin = time.monotonic()
    r = _scan(legacy, 'silent-deadline', timeout=5, endpoint_timeout=1)
    assert time.monotonic() - begin < 2.5
    assert r['status'] == 'error' and r['error']['kind'] == 'timeout', r['error']
    assert 'exceeded its deadline of 1 s' in r['error']['message']
