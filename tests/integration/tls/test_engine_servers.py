# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The engine in detail against real openssl s_server and nginx processes started here.

What the corpus parity test (test_parity_sslyze.py) does not look at: the exact lists (versions,
suites, groups), TLS 1.3 certificates read from the decrypted flight, several certificate
deployments, mutual TLS, OCSP stapling, server cipher order, extended master secret, TLS 1.0/1.1 with
TLS_FALLBACK_SCSV, a server that accepts no ClientHello, and sslyze's verdict on these servers.
"""

from __future__ import absolute_import, division, print_function

import hashlib
import os

import pytest

from test_engine_lab import INTERMEDIATE_ARGS as INTERMEDIATE, MOZ_CIPHERS, MOZ_GROUPS, MOZ_SUITES, Lab, dh1024_file, which

pytest.importorskip('ansible_collections.scs.secure_connections.plugins.module_utils._tls.scan')
ENGINE = pytest.importorskip('judged')   # the engine's results as tls_endpoint_info returns them (with the mozilla block)
pytest.importorskip('cryptography')

RSA_TLS12 = ['TLS_DHE_RSA_WITH_AES_128_GCM_SHA256', 'TLS_DHE_RSA_WITH_AES_256_GCM_SHA384', 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
             'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384', 'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256', 'TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256']
TLS13 = ['TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256']


@pytest.fixture(scope='module')
def lab(tmp_path_factory):
    if not which('openssl'):
        pytest.skip('needs the openssl binary (Debian package openssl)')
    lab = Lab(str(tmp_path_factory.mktemp('engine-servers')))
    try:
        pki = lab.pki
        rsa, ecdsa = pki.issue('rsa'), pki.issue('ecdsa', key_type='ec')
        weak = pki.issue('weak', key_size=1024, days=800)
        lab.leaves = {'rsa': rsa, 'ecdsa': ecdsa, 'weak': weak}
        dh1024 = dh1024_file(os.path.join(lab.workdir, 'dh1024.pem'))
        ocsp = pki.ocsp_response(rsa, os.path.join(lab.workdir, 'ocsp.der'))
        noems = os.path.join(lab.workdir, 'noems.cnf')
        with open(noems, 'w') as handle:
            handle.write('openssl_conf = init\n[init]\nssl_conf = ssl\n[ssl]\nsystem_default = sd\n[sd]\nOptions = -ExtendedMasterSecret\n')
        ports = {
            'intermediate': lab.s_server('intermediate', rsa, INTERMEDIATE),
            'serverpref': lab.s_server('serverpref', rsa, INTERMEDIATE + ['-serverpref']),
            'tls13-dual': lab.s_server('tls13-dual', rsa, ['-tls1_3', '-ciphersuites', MOZ_SUITES, '-groups', MOZ_GROUPS,
                                                           '-dcert', ecdsa.cert, '-dkey', ecdsa.key]),
            'mtls': lab.s_server('mtls', rsa, INTERMEDIATE + ['-Verify', '1', '-verifyCAfile', pki.cert]),
            'ocsp13': lab.s_server('ocsp13', rsa, INTERMEDIATE + ['-status_file', ocsp]),
            'ocsp12': lab.s_server('ocsp12', rsa, INTERMEDIATE + ['-no_tls1_3', '-status_file', ocsp]),
            'noems': lab.s_server('noems', rsa, INTERMEDIATE + ['-no_tls1_3'], env={'OPENSSL_CONF': noems}),
            'tls10': lab.s_server('tls10', rsa, ['-min_protocol', 'TLSv1', '-cipher', MOZ_CIPHERS + ':ECDHE-RSA-AES128-SHA:@SECLEVEL=0',
                                                 '-ciphersuites', MOZ_SUITES, '-groups', MOZ_GROUPS]),
            'dh1024': lab.s_server('dh1024', rsa, ['-min_protocol', 'TLSv1.2', '-cipher', MOZ_CIPHERS + ':@SECLEVEL=1', '-ciphersuites',
                                                   MOZ_SUITES, '-groups', MOZ_GROUPS, '-dhparam', dh1024]),
            'weakcert': lab.s_server('weakcert', weak, ['-min_protocol', 'TLSv1.2', '-cipher', MOZ_CIPHERS.replace('DHE-RSA', 'XX') + ':@SECLEVEL=0',
                                                        '-ciphersuites', MOZ_SUITES, '-groups', MOZ_GROUPS]),
            'sni-fatal': lab.s_server('sni-fatal', rsa, INTERMEDIATE + ['-servername', 'only.example.net', '-servername_fatal',
                                                                        '-cert2', rsa.cert, '-key2', rsa.key]),
        }
        if which('nginx'):
            ports['plain-http'] = lab.nginx('plain-http', '', ssl=False)
            ports['nginx-dual'] = lab.nginx('nginx-dual', '\n'.join([
                'ssl_certificate %s;' % ecdsa.chain, 'ssl_certificate_key %s;' % ecdsa.key,
                'ssl_certificate %s;' % rsa.chain, 'ssl_certificate_key %s;' % rsa.key,
                'ssl_protocols TLSv1.2 TLSv1.3;', 'ssl_ciphers %s;' % MOZ_CIPHERS, 'ssl_ecdh_curve %s;' % MOZ_GROUPS.replace('P-256', 'prime256v1')
                .replace('P-384', 'secp384r1'), 'ssl_prefer_server_ciphers off;',
                'add_header Strict-Transport-Security "max-age=63072000" always;']))
        lab.ports = ports
        lab.results = {}
        yield lab
    finally:
        lab.stop()


def scan(lab, name, **options):
    key = (name, repr(sorted(options.items())))
    if key not in lab.results:
        opts = dict(timeout=3, ca_files=[lab.pki.cert])
        opts.update(options)
        lab.results[key] = ENGINE.scan_endpoint({'host': '127.0.0.1', 'port': lab.ports[name], 'server_name': 'localhost', 'label': name}, opts)
    return lab.results[key]


def failed(result):
    return sorted(i['criterion'] for i in result['mozilla']['criteria'] if i['result'] == 'fail')


def sha256(leaf):
    return hashlib.sha256(leaf.der).hexdigest()


def test_intermediate_server_passes_with_exact_lists(lab):
    r = scan(lab, 'intermediate')
    assert r['status'] == 'ok', r['error']
    assert [v for v, on in r['protocols'].items() if on] == ['TLSv1.2', 'TLSv1.3']
    assert sorted(r['cipher_suites']['TLSv1.2']) == sorted(RSA_TLS12)
    assert r['cipher_suites']['TLSv1.3'] == TLS13
    assert r['groups'] == ['X25519', 'prime256v1', 'secp384r1']
    assert r['groups_by_version'] == {'TLSv1.3': ['X25519', 'prime256v1', 'secp384r1'], 'TLSv1.2': ['X25519', 'prime256v1', 'secp384r1']}
    assert (r['dh_min_bits'], r['ecdh_min_bits']) == (2048, 256)
    assert r['server_cipher_order'] is False
    # the TLS 1.3 certificate comes from the decrypted server flight: byte for byte the server's certificate
    assert r['certificate_deployments'][0]['source'] == 'TLSv1.3 default'
    assert r['certificates'][0]['sha256'] == sha256(lab.leaves['rsa']) and len(r['certificates']) == 2
    leaf = r['certificates'][0]
    assert (leaf['key_type'], leaf['key_size'], leaf['signature_algorithm'], leaf['lifespan_days']) == ('rsa', 2048, 'sha256WithRSAEncryption', 90)
    assert r['certificate_validation'] == dict(r['certificate_validation'], trusted=True, hostname_match=True, error=None)
    assert r['security'] == dict(r['security'], compression=False, secure_renegotiation=True, fallback_scsv=True, extended_master_secret=True,
                                 heartbleed=False, ccs_injection=False, robot=False)
    assert r['client_certificate_requested'] is False and r['ocsp_stapling'] is False
    assert failed(r) == [] and r['mozilla']['compliant'] is True
    assert r['connections'] < 45, r['connections']


def test_private_ca_is_needed(lab):
    r = scan(lab, 'intermediate', ca_files=[])
    assert r['certificate_validation']['trusted'] is False
    assert failed(r) == ['certificate_path_validation']


def test_wrong_server_name(lab):
    r = ENGINE.scan_endpoint({'host': '127.0.0.1', 'port': lab.ports['intermediate'], 'server_name': 'api.example.net'},
                             dict(timeout=3, ca_files=[lab.pki.cert]))
    assert r['certificate_validation']['trusted'] is True and r['certificate_validation']['hostname_match'] is False
    assert failed(r) == ['certificate_hostname']


def test_ip_address_without_sni(lab):
    r = ENGINE.scan_endpoint({'host': '127.0.0.1', 'port': lab.ports['intermediate']}, dict(timeout=3, ca_files=[lab.pki.cert]))
    assert r['server_name'] is None and r['mozilla']['compliant'] is True   # the certificate has IP:127.0.0.1


def test_server_cipher_order(lab):
    assert scan(lab, 'serverpref')['server_cipher_order'] is True
    item = [i for i in scan(lab, 'serverpref')['mozilla']['criteria'] if i['criterion'] == 'server_preferred_order'][0]
    assert item['result'] == 'info' and 'enforces its own cipher order' in item['message']
    assert scan(lab, 'serverpref')['mozilla']['compliant'] is True


def test_tls13_only_with_two_certificates(lab):
    r = scan(lab, 'tls13-dual')
    assert [v for v, on in r['protocols'].items() if on] == ['TLSv1.3']
    leafs = sorted(d['certificates'][0]['sha256'] for d in r['certificate_deployments'])
    assert leafs == sorted([sha256(lab.leaves['rsa']), sha256(lab.leaves['ecdsa'])])
    assert r['security']['extended_master_secret'] is True and r['security']['fallback_scsv'] is True
    assert r['dh_min_bits'] is None and r['mozilla']['compliant'] is True


def test_mutual_tls_server_is_scanned_without_a_client_certificate(lab):
    r = scan(lab, 'mtls')
    assert r['status'] == 'ok' and r['client_certificate_requested'] is True
    assert r['certificates'][0]['sha256'] == sha256(lab.leaves['rsa'])
    assert r['mozilla']['compliant'] is True


@pytest.mark.parametrize('name,source', [('ocsp13', 'TLSv1.3 default'), ('ocsp12', 'TLSv1.2')])
def test_ocsp_stapling(lab, name, source):
    r = scan(lab, name)
    assert r['ocsp_stapling'] is True
    dep = r['certificate_deployments'][0]
    assert dep['source'].startswith(source) and dep['ocsp_stapled'] is True and dep['ocsp_status'] == 'successful/good'
    assert [i['result'] for i in r['mozilla']['criteria'] if i['criterion'] == 'ocsp_staple'] == ['info']
    assert scan(lab, 'intermediate')['ocsp_stapling'] is False


def test_server_without_extended_master_secret_fails(lab):
    r = scan(lab, 'noems')
    assert [v for v, on in r['protocols'].items() if on] == ['TLSv1.2']
    assert r['security']['extended_master_secret'] is False
    assert failed(r) == ['tls_vulnerability_extended_master_secret']


def test_tls10_server_with_fallback_scsv(lab):
    r = scan(lab, 'tls10')
    assert [v for v, on in r['protocols'].items() if on] == ['TLSv1.0', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3']
    assert r['cipher_suites']['TLSv1.0'] == ['TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA']
    assert r['security']['fallback_scsv'] is True and 'inappropriate_fallback' in r['security']['notes']['fallback_scsv']
    assert failed(r) == ['ciphers', 'tls_versions']


def test_server_that_accepts_no_hello_is_a_protocol_error(lab):
    r = scan(lab, 'sni-fatal')
    assert r['status'] == 'error' and r['error']['kind'] == 'protocol', r['error']
    assert 'unrecognized_name' in r['error']['message'] and r['mozilla']['compliant'] is None
    # with the server name it wants, it is scanned
    ok = ENGINE.scan_endpoint({'host': '127.0.0.1', 'port': lab.ports['sni-fatal'], 'server_name': 'only.example.net'},
                              dict(timeout=3, ca_files=[lab.pki.cert]))
    assert ok['status'] == 'ok' and failed(ok) == ['certificate_hostname']


def test_nginx_with_rsa_and_ecdsa_certificates(lab):
    if 'nginx-dual' not in lab.ports:
        pytest.skip('needs nginx (Debian package nginx-light)')
    r = scan(lab, 'nginx-dual', check_hsts=True)
    # nginx 1.22 without ssl_dhparam has no DHE: the ECDHE suites of both certificate types
    assert sorted(r['cipher_suites']['TLSv1.2']) == sorted([s for s in RSA_TLS12 if 'DHE_RSA' not in s or 'ECDHE' in s] + [
        'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256', 'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384', 'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256'])
    assert r['dh_min_bits'] is None
    types = sorted(d['certificates'][0]['key_type'] for d in r['certificate_deployments'])
    assert types == ['ecdsa', 'rsa']
    assert r['hsts'] == dict(r['hsts'], status_code=200, max_age=63072000)
    assert r['mozilla']['compliant'] is True


def test_1024_bit_dh_fails(lab):
    r = scan(lab, 'dh1024')
    assert r['dh_min_bits'] == 1024 and failed(r) == ['dh_param_size']
    assert sorted(r['cipher_suites']['TLSv1.2']) == sorted(RSA_TLS12)


def test_rsa_1024_certificate_valid_for_800_days_fails(lab):
    r = scan(lab, 'weakcert')
    leaf = r['certificates'][0]
    assert (leaf['key_size'], leaf['lifespan_days']) == (1024, 800)
    assert failed(r) == ['maximum_certificate_lifespan', 'rsa_key_size']
    assert r['dh_min_bits'] is None    # no DHE offered: a 1024-bit key would mean 1024-bit automatic DH


def test_plain_http_is_not_tls(lab):
    if 'plain-http' not in lab.ports:
        pytest.skip('needs nginx (Debian package nginx-light)')
    r = scan(lab, 'plain-http')
    assert r['status'] == 'error' and r['error']['kind'] == 'plaintext' and 'HTTP/1.1 400 Bad Request' in r['error']['message']
    assert r['connections'] == 1


def test_same_verdicts_as_sslyze(lab):
    pytest.importorskip('sslyze')
    from lab.tls_servers import sslyze_mozilla
    names = ['intermediate', 'tls13-dual', 'noems', 'tls10', 'ocsp12', 'dh1024', 'weakcert']
    theirs = sslyze_mozilla([{'host': '127.0.0.1', 'port': lab.ports[n], 'server_name': 'localhost'} for n in names], ca_file=lab.pki.cert,
                            timeout=3)
    for name, their in zip(names, theirs):
        ours = scan(lab, name)
        assert their['error'] is None, (name, their)
        assert ours['mozilla']['compliant'] is (their['verdict'] == 'compliant'), (name, their, failed(ours))
        assert set(failed(ours)) == set(their['issues']), (name, their['issues'], failed(ours))
