# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""_tls_wire: registries, ClientHello builders and the parsers, on byte samples recorded from real servers.

data/samples.json was recorded with data/record_samples.py from nginx, openssl s_server, a Python ssl
server and MariaDB of the lab; its ``expect`` blocks were written from the servers' configurations.
The SSLv2 SERVER-HELLO cases are built here by hand from the SSLv2 specification: no SSLv2 server can
run on this platform (OpenSSL 3 has no SSLv2).
"""

from __future__ import absolute_import, division, print_function

import hashlib
import hmac
import json
import os
import struct

import pytest

from ansible_collections.scs.secure_connections.plugins.module_utils._tls import wire as w

HERE = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(HERE, 'data', 'samples.json')) as _handle:
    SAMPLES = json.load(_handle)
TLS_SAMPLES = sorted(k for k, v in SAMPLES.items() if v['expect']['kind'] in ('hello', 'hrr', 'alert'))


def _messages(data):
    records, rest = w.parse_records(data)
    handshake = b''.join(payload for ctype, _v, payload in records if ctype == w.CT_HANDSHAKE)
    msgs, left = w.split_handshake(handshake)
    return records, rest, msgs, left


# --------------------------------------------------------------------------------------------
# Registries
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize('code,name,openssl,kex_class,auth,tls12_only,tls13', [
    (0xC02F, 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'ECDHE-RSA-AES128-GCM-SHA256', 'ecdhe', 'rsa', True, False),
    (0xC02B, 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256', 'ECDHE-ECDSA-AES128-GCM-SHA256', 'ecdhe', 'ecdsa', True, False),
    (0xCCA8, 'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256', 'ECDHE-RSA-CHACHA20-POLY1305', 'ecdhe', 'rsa', True, False),
    (0x009E, 'TLS_DHE_RSA_WITH_AES_128_GCM_SHA256', 'DHE-RSA-AES128-GCM-SHA256', 'dhe', 'rsa', True, False),
    (0x0033, 'TLS_DHE_RSA_WITH_AES_128_CBC_SHA', 'DHE-RSA-AES128-SHA', 'dhe', 'rsa', False, False),
    (0x002F, 'TLS_RSA_WITH_AES_128_CBC_SHA', 'AES128-SHA', 'rsa', 'rsa', False, False),
    (0x000A, 'TLS_RSA_WITH_3DES_EDE_CBC_SHA', 'DES-CBC3-SHA', 'rsa', 'rsa', False, False),
    (0x0005, 'TLS_RSA_WITH_RC4_128_SHA', 'RC4-SHA', 'rsa', 'rsa', False, False),
    (0x0003, 'TLS_RSA_EXPORT_WITH_RC4_40_MD5', 'EXP-RC4-MD5', 'rsa', 'rsa', False, False),
    (0x0002, 'TLS_RSA_WITH_NULL_SHA', 'NULL-SHA', 'rsa', 'rsa', False, False),
    (0x0018, 'TLS_DH_anon_WITH_RC4_128_MD5', 'ADH-RC4-MD5', 'dhe', 'anon', False, False),
    (0xC018, 'TLS_ECDH_anon_WITH_AES_128_CBC_SHA', 'AECDH-AES128-SHA', 'ecdhe', 'anon', False, False),
    (0xC004, 'TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA', 'ECDH-ECDSA-AES128-SHA', 'other', 'ecdsa', False, False),
    (0x008C, 'TLS_PSK_WITH_AES_128_CBC_SHA', 'PSK-AES128-CBC-SHA', 'other', 'psk', False, False),
    (0x1301, 'TLS_AES_128_GCM_SHA256', 'TLS_AES_128_GCM_SHA256', 'tls13', None, False, True),
    (0x1305, 'TLS_AES_128_CCM_8_SHA256', 'TLS_AES_128_CCM_8_SHA256', 'tls13', None, False, True),
])
def test_cipher_suite_registry(code, name, openssl, kex_class, auth, tls12_only, tls13):
    suite = w.CIPHER_SUITES[code]
    assert (suite.name, suite.openssl_name, suite.kex_class, suite.auth, suite.tls12_only, suite.tls13) == (
        name, openssl, kex_class, auth, tls12_only, tls13)
    assert w.SUITES_BY_NAME[name] is suite


def test_registry_covers_mozilla_names_and_has_no_scsv():
    guidelines = json.load(open(os.path.join(HERE, '..', '..', '..', 'plugins', 'module_utils', 'data', 'mozilla-server-side-tls-5.7.json')))
    for conf in guidelines['configurations'].values():
        for name in conf['ciphers']['iana'] + conf['ciphersuites']:
            assert name in w.SUITES_BY_NAME, name
        for name, ossl in zip(conf['ciphers']['iana'], conf['ciphers']['openssl']):
            # the two lists are parallel in the JSON for these profiles
            assert ossl in [s.openssl_name for s in w.CIPHER_SUITES.values()], ossl
        for curve in conf['tls_curves']:
            assert curve in w.GROUPS_BY_NAME, curve
    assert w.SCSV_FALLBACK not in w.CIPHER_SUITES and w.SCSV_EMPTY_RENEGOTIATION_INFO not in w.CIPHER_SUITES
    assert len(w.CIPHER_SUITES) > 330


@pytest.mark.parametrize('version,must,must_not', [
    (w.TLS10, [0x002F, 0x0005, 0x000A, 0xC013], [0xC02F, 0x009C, 0x003C, 0x1301]),
    (w.TLS12, [0x002F, 0xC02F, 0x009C, 0x003C, 0xCCA8], [0x1301, 0x1302]),
    (w.TLS13, [0x1301, 0x1302, 0x1303, 0x1304, 0x1305], [0xC02F, 0x002F]),
])
def test_suites_for_version(version, must, must_not):
    offer = w.suites_for_version(version)
    assert all(c in offer for c in must)
    assert not any(c in offer for c in must_not)


GROUP_CASES = [(29, 'X25519', 256), (23, 'prime256v1', 256), (24, 'secp384r1', 384), (30, 'X448', 448), (21, 'secp224r1', 224),
               (256, 'ffdhe2048', 2048), (0x11EC, 'X25519MLKEM768', 256)]


@pytest.mark.parametrize('code,name,bits', GROUP_CASES)
def test_group_registry(code, name, bits):
    assert w.group_name(code) == name and w.GROUPS[code][2] == bits and w.GROUPS_BY_NAME[name] == code


# --------------------------------------------------------------------------------------------
# Builders (checked with the parser and by hand-computed lengths)
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize('kwargs,checks', [
    (dict(version=w.TLS12, suites=[0xC02F, 0x009E], server_name='api.example.net', groups=[29, 23]),
     dict(legacy_version=w.TLS12, cipher_suites=[0xC02F, 0x009E], server_name='api.example.net', groups=[29, 23], supported_versions=[],
          record_version=w.TLS10, ext_present=[0, 5, 10, 11, 13, 23, 0xFF01], ext_absent=[43, 51, 15])),
    (dict(version=w.TLS12, suites=w.TLS13_SUITES, tls13_versions=[w.TLS13], key_shares=[], groups=[29]),
     dict(legacy_version=w.TLS12, supported_versions=[w.TLS13], key_shares=[], server_name=None, ext_present=[43, 45, 51], session_id_len=32)),
    (dict(version=w.TLS12, suites=[0x1301], tls13_versions=[w.TLS13, w.TLS12], key_shares=[(29, b'\x01' * 32)]),
     dict(supported_versions=[w.TLS13, w.TLS12], key_shares=[(29, b'\x01' * 32)])),
    (dict(version=w.SSL3, suites=[0x002F], extensions=False),
     dict(legacy_version=w.SSL3, record_version=w.SSL3, cipher_suites=[0x002F, w.SCSV_EMPTY_RENEGOTIATION_INFO], no_extensions=True)),
    (dict(version=w.TLS10, suites=[0x002F], heartbeat=True, compression=(1, 0)),
     dict(legacy_version=w.TLS10, compression_methods=[1, 0], ext_present=[15], ext_absent=[13])),
    (dict(version=w.TLS12, suites=[0xC02F], grease=True),
     dict(cipher_suites=[w.GREASE, 0xC02F], ext_present=[w.GREASE])),
])
def test_client_hello_builder(kwargs, checks):
    rec, msg = w.client_hello(**kwargs)
    assert rec[0] == w.CT_HANDSHAKE and struct.unpack('!H', rec[3:5])[0] == len(rec) - 5 == len(msg)
    assert struct.unpack('!H', rec[1:3])[0] == checks.pop('record_version', w.TLS10 if kwargs['version'] != w.SSL3 else w.SSL3)
    assert msg[0] == w.HT_CLIENT_HELLO and struct.unpack('!I', b'\x00' + msg[1:4])[0] == len(msg) - 4
    if checks.pop('no_extensions', False):
        # version(2) random(32) sid(1+0) suites(2+n) compression(1+1): nothing after
        assert len(msg) - 4 == 2 + 32 + 1 + 2 + 2 * len(w.parse_client_hello(msg[4:])['cipher_suites']) + 2
    parsed = w.parse_client_hello(msg[4:])
    for key in ('ext_present', 'ext_absent', 'session_id_len'):
        checks.setdefault(key, None)
    present, absent, sid = checks.pop('ext_present'), checks.pop('ext_absent'), checks.pop('session_id_len')
    for key, value in checks.items():
        assert parsed[key] == value, key
    for ext in present or []:
        assert ext in parsed['extensions'], ext
    for ext in absent or []:
        assert ext not in parsed['extensions'], ext
    if sid is not None:
        assert len(parsed['session_id']) == sid


def test_sslv2_client_hello():
    data = w.sslv2_client_hello(challenge=b'\x07' * 16)
    length = ((data[0] & 0x7F) << 8) | data[1]
    assert data[0] & 0x80 and length == len(data) - 2
    assert data[2] == 1 and struct.unpack('!H', data[3:5])[0] == w.SSL2
    specs_len, sid_len, chal_len = struct.unpack('!HHH', data[5:11])
    assert (specs_len, sid_len, chal_len) == (3 * len(w.SSL2_CIPHER_SPECS), 0, 16)
    assert data[-16:] == b'\x07' * 16


# --------------------------------------------------------------------------------------------
# Parsers on the recorded samples
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize('name', TLS_SAMPLES)
def test_recorded_server_answers(name):
    sample = SAMPLES[name]
    expect = sample['expect']
    data = bytes.fromhex(sample['server_bytes'])
    assert w.looks_like_tls(data)
    records, rest, msgs, left = _messages(data)
    assert rest == b'' and left == b''
    if expect['kind'] == 'alert':
        assert [r[0] for r in records] == [w.CT_ALERT]
        alert = w.parse_alert(records[0][2])
        assert (alert['description'], alert['level']) == (expect['alert'], expect['level'])
        return
    assert [m[0] for m in msgs] == expect['messages']
    sh = w.parse_server_hello(msgs[0][1])
    assert sh['version_name'] == expect['version'] and sh['cipher_suite_name'] == expect['suite']
    assert sh['hello_retry_request'] is (expect['kind'] == 'hrr')
    if expect['kind'] == 'hrr':
        assert w.group_name(sh['key_share_group']) == expect['group'] and sh['key_share'] is None
        return
    assert sh['compression'] == 0
    assert sh['secure_renegotiation'] is expect['secure_renegotiation']
    assert sh['extended_master_secret'] is expect['extended_master_secret']
    by_type = dict((m[0], m[1]) for m in msgs)
    chain = w.parse_certificate(by_type[w.HT_CERTIFICATE])['certificates']
    assert len(chain) == expect['chain_length'] and all(c[:1] == b'\x30' for c in chain)
    ske = w.parse_server_key_exchange(by_type[w.HT_SERVER_KEY_EXCHANGE], sh['cipher_suite']) if w.HT_SERVER_KEY_EXCHANGE in by_type else None
    if expect['ske'] is None:
        assert ske is None
    else:
        for key, value in expect['ske'].items():
            assert ske[key] == value, key
    from ansible_collections.scs.secure_connections.plugins.module_utils._tls.x509 import describe
    assert describe(chain[0])['key_type'] == expect['leaf_key_type']


@pytest.mark.parametrize('name', TLS_SAMPLES)
def test_recorded_client_hellos_parse(name):
    msg = bytes.fromhex(SAMPLES[name]['client_hello'])[5:]
    parsed = w.parse_client_hello(msg[4:])
    assert parsed['random'] == bytes(range(32))
    assert parsed['server_name'] == 'localhost'


@pytest.mark.parametrize('name', [n for n in TLS_SAMPLES if SAMPLES[n]['expect']['kind'] == 'hello'])
def test_records_arrive_in_any_split(name):
    """The parsers must not care how the bytes were cut by TCP: feed them one byte at a time."""
    data = bytes.fromhex(SAMPLES[name]['server_bytes'])
    buf, records = b'', []
    for i in range(len(data)):
        buf += data[i:i + 1]
        got, buf = w.parse_records(buf)
        records.extend(got)
    assert buf == b'' and len(records) == len(w.parse_records(data)[0])


@pytest.mark.parametrize('mutate,error', [
    (lambda d: d[:-1], None),                       # incomplete record: waits for more, no error
    (lambda d: b'\x99' + d[1:], 'not a TLS record'),
    (lambda d: d[:1] + b'\x07' + d[2:], 'not a TLS record'),
    (lambda d: d[:3] + b'\xff\xff' + d[5:], 'too long'),
])
def test_record_errors(mutate, error):
    data = mutate(bytes.fromhex(SAMPLES['tls12_ecdhe_rsa']['server_bytes']))
    if error is None:
        records, rest = w.parse_records(data)
        assert rest and len(records) == 3
    else:
        with pytest.raises(w.WireError, match=error):
            w.parse_records(data)


@pytest.mark.parametrize('body,error', [
    (b'', 'truncated ServerHello'),
    (b'\x03\x03' + b'\x00' * 10, 'truncated ServerHello'),
    (b'\x03\x03' + b'\x00' * 32 + b'\x20' + b'\x00' * 5, 'truncated ServerHello'),
    (b'\x03\x03' + b'\x00' * 32 + b'\x00' + b'\xc0\x2f\x00' + b'\x00\x10\xff\x01', 'truncated ServerHello'),
    (b'\x03\x03' + b'\x00' * 32 + b'\x00' + b'\xc0\x2f\x00' + b'\x00\x04\xff\x01\x00\x05', 'truncated extensions'),
])
def test_server_hello_truncated(body, error):
    with pytest.raises(w.WireError, match=error):
        w.parse_server_hello(body)


def test_server_hello_without_extensions_and_with_compression():
    """SSLv3 / TLS 1.0 servers may send no extension block at all; compression method 1 is DEFLATE."""
    body = struct.pack('!H', w.SSL3) + b'\x11' * 32 + b'\x00' + struct.pack('!H', 0x000A) + b'\x01'
    sh = w.parse_server_hello(body)
    assert (sh['version_name'], sh['cipher_suite_name'], sh['compression']) == ('SSLv3', 'TLS_RSA_WITH_3DES_EDE_CBC_SHA', 1)
    assert sh['secure_renegotiation'] is False and sh['extended_master_secret'] is False and sh['extensions'] == {}


def test_tls13_certificate_message_with_ocsp():
    """TLS 1.3 Certificate: request context, entries with extensions; status_request on the leaf is the staple."""
    leaf, ca = b'\x30\x03\x01\x01\xff', b'\x30\x03\x01\x01\x00'
    ocsp = b'\x30\x82\x00\x01\x00'
    status = b'\x01' + struct.pack('!I', len(ocsp))[1:] + ocsp
    entry1 = struct.pack('!I', len(leaf))[1:] + leaf + struct.pack('!H', 4 + len(status)) + struct.pack('!HH', 5, len(status)) + status
    entry2 = struct.pack('!I', len(ca))[1:] + ca + b'\x00\x00'
    entries = entry1 + entry2
    body = b'\x00' + struct.pack('!I', len(entries))[1:] + entries
    parsed = w.parse_certificate(body, tls13=True)
    assert parsed == {'certificates': [leaf, ca], 'ocsp': ocsp}
    with pytest.raises(w.WireError):
        w.parse_certificate(body[:-3], tls13=True)


def test_certificate_status():
    ocsp = b'\x30\x05\x0a\x01\x00\xa0\x00'
    assert w.parse_certificate_status(b'\x01' + struct.pack('!I', len(ocsp))[1:] + ocsp) == ocsp
    assert w.parse_certificate_status(b'\x02\x00\x00\x00') is None


@pytest.mark.parametrize('suite,body,expect', [
    # DHE: p of 2048 bits (top bit set), g = 2, Ys, then the signature (ignored)
    (0x009E, struct.pack('!H', 256) + b'\xff' * 256 + b'\x00\x01\x02' + b'\x00\x01\x05' + b'\x04\x01\x00\x00', {'kind': 'dh', 'bits': 2048, 'generator': 2}),
    (0x0033, struct.pack('!H', 128) + b'\x80' + b'\x00' * 127 + b'\x00\x01\x05' + b'\x00\x01\x05', {'kind': 'dh', 'bits': 1024}),
    (0xC02F, b'\x03\x00\x1d\x20' + b'\x09' * 32 + b'\x04\x01\x00\x00', {'kind': 'ecdh', 'group': 29, 'group_name': 'X25519', 'bits': 256}),
    (0xC02B, b'\x03\x00\x18\x61' + b'\x04' * 97, {'kind': 'ecdh', 'group_name': 'secp384r1', 'bits': 384}),
    (0xC013, b'\x01\x1c' + b'\xff' * 28, {'kind': 'ecdh', 'group': None, 'group_name': 'explicit_prime', 'bits': 224}),
    (0xC037, b'\x00\x02hi' + b'\x03\x00\x17\x41' + b'\x04' * 65, {'kind': 'ecdh', 'group_name': 'prime256v1'}),   # ECDHE_PSK: hint first
    (0x0014, b'\x00\x40' + b'\xc0' + b'\x00' * 63 + b'\x00\x01\x02' + b'\x00\x01\x05', {'kind': 'dh', 'bits': 512}),   # DHE export
    (0x0062, b'\x00\x40' + b'\xc0' + b'\x00' * 63 + b'\x00\x03\x01\x00\x01', {'kind': 'rsa', 'bits': 512}),     # RSA_EXPORT1024: ephemeral RSA
    (0x002F, b'', None),
])
def test_server_key_exchange(suite, body, expect):
    out = w.parse_server_key_exchange(body, suite)
    if expect is None:
        assert out is None
    else:
        for key, value in expect.items():
            assert out[key] == value, key


@pytest.mark.parametrize('payload,expect', [
    (b'\x02\x28', {'level': 'fatal', 'description': 'handshake_failure', 'code': 40}),
    (b'\x01\x00', {'level': 'warning', 'description': 'close_notify', 'code': 0}),
    (b'\x02\x56', {'level': 'fatal', 'description': 'inappropriate_fallback', 'code': 86}),
    (b'\x02\xfe', {'level': 'fatal', 'description': 'alert_254', 'code': 254}),
])
def test_alerts(payload, expect):
    assert w.parse_alert(payload) == expect


def _sslv2_server_hello(specs, cert=b'\x30\x01\x00', version=w.SSL2, msg_type=4):
    spec_bytes = b''.join(struct.pack('!I', s)[1:] for s in specs)
    conn_id = b'\x42' * 16
    msg = struct.pack('!BBBHHHH', msg_type, 0, 1, version, len(cert), len(spec_bytes), len(conn_id)) + cert + spec_bytes + conn_id
    return struct.pack('!H', 0x8000 | len(msg)) + msg


@pytest.mark.parametrize('data,expect', [
    (_sslv2_server_hello([0x010080, 0x0700C0]),
     {'version': w.SSL2, 'cipher_specs': ['SSL_CK_RC4_128_WITH_MD5', 'SSL_CK_DES_192_EDE3_CBC_WITH_MD5'], 'certificate': b'\x30\x01\x00'}),
    (_sslv2_server_hello([0x020080, 0x123456], cert=b''), {'cipher_specs': ['SSL_CK_RC4_128_EXPORT40_WITH_MD5', 'SSL_CK_UNKNOWN_0x123456'],
                                                           'certificate': None}),
    (b'\x80\x03\x00\x00\x01', {'error': 1}),       # SSLv2 ERROR message: no cipher
    (_sslv2_server_hello([], msg_type=9), None),   # not a SERVER-HELLO
])
def test_sslv2_server_hello(data, expect):
    assert w.looks_like_sslv2(data) is (data[2] in (0, 4))
    assert w.sslv2_record_length(data) == len(data)
    out = w.parse_sslv2_server_hello(data)
    if expect is None:
        assert out is None
    else:
        for key, value in expect.items():
            assert out[key] == value


def test_sslv2_truncated():
    data = _sslv2_server_hello([0x010080])
    assert w.sslv2_record_length(data[:2]) is None
    with pytest.raises(w.WireError):
        w.parse_sslv2_server_hello(data[:-3])


# --------------------------------------------------------------------------------------------
# TLS 1.3 key schedule pieces
# --------------------------------------------------------------------------------------------

def test_hkdf_rfc5869_case1():
    ikm, salt, info = b'\x0b' * 22, bytes(range(13)), bytes(range(0xf0, 0xfa))
    prk = w.hkdf_extract('sha256', salt, ikm)
    assert prk.hex() == '077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5'
    okm = w.hkdf_expand('sha256', prk, info, 42)
    assert okm.hex() == '3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865'


@pytest.mark.parametrize('hash_name,length', [('sha256', 32), ('sha384', 48), ('sha256', 77)])
def test_hkdf_expand_matches_cryptography(hash_name, length):
    hkdf = pytest.importorskip('cryptography.hazmat.primitives.kdf.hkdf')
    from cryptography.hazmat.primitives import hashes
    prk = hmac.new(b'salt', b'secret', hash_name).digest()
    algo = {'sha256': hashes.SHA256(), 'sha384': hashes.SHA384()}[hash_name]
    assert w.hkdf_expand(hash_name, prk, b'info', length) == hkdf.HKDFExpand(algo, length, b'info').derive(prk)


def test_hkdf_expand_label_layout():
    secret = hashlib.sha256(b'x').digest()
    label = struct.pack('!H', 16) + bytes([len(b'tls13 key')]) + b'tls13 key' + b'\x00'
    assert w.hkdf_expand_label('sha256', secret, b'key', b'', 16) == w.hkdf_expand('sha256', secret, label, 16)


@pytest.mark.parametrize('suite', [0x1301, 0x1302, 0x1303, 0x1304, 0x1305])
def test_tls13_decryptor_roundtrip(suite):
    """Seal a record as a TLS 1.3 server would (cryptography's AEAD), open it with Tls13Decryptor."""
    aead = pytest.importorskip('cryptography.hazmat.primitives.ciphers.aead')
    key, iv, _h = w.tls13_server_handshake_keys(suite, b'\x01' * 32, b'transcript')
    sealer = {0x1301: lambda: aead.AESGCM(key), 0x1302: lambda: aead.AESGCM(key), 0x1303: lambda: aead.ChaCha20Poly1305(key),
              0x1304: lambda: aead.AESCCM(key), 0x1305: lambda: aead.AESCCM(key, tag_length=8)}[suite]()
    dec = w.Tls13Decryptor(suite, key, iv)
    for seq, inner in enumerate([b'\x08\x00\x00\x00' + b'\x16', b'\x0b\x00\x00\x00' + b'\x16' + b'\x00' * 7]):
        nonce = bytes(a ^ b for a, b in zip(iv, seq.to_bytes(12, 'big')))
        length = len(inner) + (8 if suite == 0x1305 else 16)
        header = struct.pack('!BHH', 23, 0x0303, length)
        sealed = sealer.encrypt(nonce, inner, header)
        assert dec.decrypt(header, sealed) == (0x16, inner.rstrip(b'\x00')[:-1])
    with pytest.raises(Exception):
        dec.decrypt(header, sealed)   # sequence number moved on: authentication fails


def test_unsupported_tls13_suite_is_an_error():
    with pytest.raises(w.WireError):
        w.tls13_server_handshake_keys(0x00C6, b'\x00' * 32, b'')


@pytest.mark.parametrize('group', [29, 30, 23, 24, 25])
def test_key_share_exchange(group):
    pytest.importorskip('cryptography')
    a, b = w.KeyShare(group), w.KeyShare(group)
    assert a.exchange(b.public) == b.exchange(a.public)
    assert len(a.public) in (32, 56, 65, 97, 133)
