# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""_tls_scan pieces that need no server: answer classification, HSTS parsing, ROBOT payloads and verdicts, input errors."""

from __future__ import absolute_import, division, print_function

import json
import os

import pytest

from ansible_collections.scs.secure_connections.plugins.module_utils._core import mozilla as _mozilla
from ansible_collections.scs.secure_connections.plugins.module_utils._core.mozilla_data import GUIDELINES
from ansible_collections.scs.secure_connections.plugins.module_utils._tls import scan
from ansible_collections.scs.secure_connections.plugins.module_utils._tls import wire as w

HERE = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(HERE, 'data', 'samples.json')) as _handle:
    SAMPLES = json.load(_handle)


@pytest.mark.parametrize('data,kind,words', [
    (b'HTTP/1.1 400 Bad Request\r\nServer: nginx\r\n\r\n', 'plaintext', 'plain HTTP ("HTTP/1.1 400 Bad Request")'),
    (bytes.fromhex(SAMPLES['mysql_greeting']['server_bytes']), 'plaintext', 'MySQL server greeting (server 5.5.5-10.11'),
    (b'\x17\x00\x00\x00\xffj\x04Host blocked', 'plaintext', 'MySQL error packet'),
    (b'SSH-2.0-OpenSSH_9.2p1 Debian\r\n', 'plaintext', 'SSH in clear text'),
    (b'220 mail.example.net ESMTP Postfix\r\n', 'plaintext', 'SMTP/FTP in clear text'),
    (b'* OK [CAPABILITY IMAP4rev1] Dovecot ready.\r\n', 'plaintext', 'IMAP'),
    (b'+OK POP3 ready\r\n', 'plaintext', 'POP3'),
    (b'AMQP\x00\x00\x09\x01', 'plaintext', 'plain AMQP'),
    (b'E\x00\x00\x00\x5aSFATAL\x00VFATAL\x00C0A000\x00Munsupported frontend protocol\x00\x00', 'plaintext', 'PostgreSQL error (FATAL)'),
    (b'hello there\n', 'plaintext', 'clear text ("hello there")'),
    (bytes([0x99, 0xe6, 0x3e, 0x38]) + b'\x00' * 20, 'not_tls', 'first bytes: 99e63e38'),
])
def test_describe_plaintext(data, kind, words):
    got_kind, message = scan.describe_plaintext(data)
    assert got_kind == kind and words in message, message


@pytest.mark.parametrize('data,expect', [
    (b'HTTP/1.1 200 OK\r\nStrict-Transport-Security: max-age=63072000; includeSubDomains; preload\r\n\r\nbody',
     {'status_code': 200, 'max_age': 63072000, 'include_subdomains': True, 'preload': True}),
    (b'HTTP/1.1 301 Moved\r\nstrict-transport-security:max-age="300"\r\n\r\n', {'status_code': 301, 'max_age': 300, 'include_subdomains': False}),
    (b'HTTP/1.0 200 OK\r\nServer: x\r\n\r\n', {'status_code': 200, 'header': None, 'max_age': None}),
    (b'HTTP/1.1 200 OK\r\nStrict-Transport-Security: max-age=abc\r\n\r\n', {'max_age': None, 'header': 'max-age=abc'}),
    (b'\x15\x03\x03\x00\x02\x02\x28', {'error': 'the HTTPS answer is not HTTP'}),
])
def test_parse_hsts(data, expect):
    out = scan.parse_hsts(data)
    for key, value in expect.items():
        if key == 'error':
            assert value in out['error']
        else:
            assert out[key] == value, key


@pytest.mark.parametrize('responses,verdict', [
    (['alert 20 2'] * 5, 'none'),
    (['alert 20 2', 'alert 51 2', 'alert 51 2', 'alert 51 2', 'alert 20 2'], 'weak'),
    (['alert 20 2', 'alert 51 2', 'closed', 'alert 51 2', 'alert 20 2'], 'strong'),
    (['timeout', 'alert 40 2', 'alert 40 2', 'alert 40 2', 'alert 40 2'], 'weak'),
])
def test_robot_verdict(responses, verdict):
    assert scan._robot_verdict(responses) == verdict  # pylint: disable=protected-access


@pytest.mark.parametrize('payload,prefix,ok_padding', [(0, b'\x00\x02', True), (1, b'\x41\x17', False), (2, b'\x00\x02', False),
                                                       (3, b'\x00\x02', False), (4, b'\x00\x02', True)])
@pytest.mark.parametrize('version', [w.TLS12, w.SSL3])
def test_robot_client_key_exchange(payload, prefix, ok_padding, version):
    """Decrypt the ClientKeyExchange with the private key: the PKCS#1 block is the intended variant."""
    rsa = pytest.importorskip('cryptography.hazmat.primitives.asymmetric.rsa')
    key = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    nums = key.private_numbers()
    msg = scan._robot_cke(payload, version, nums.public_numbers.n, nums.public_numbers.e)  # pylint: disable=protected-access
    assert msg[0] == w.HT_CLIENT_KEY_EXCHANGE
    body = msg[4:]
    cipher = body if version == w.SSL3 else body[2:]
    assert len(cipher) == 128 and (version == w.SSL3 or int.from_bytes(body[:2], 'big') == 128)
    block = pow(int.from_bytes(cipher, 'big'), nums.d, nums.public_numbers.n).to_bytes(128, 'big')
    assert block[:2] == prefix
    pms = block[-48:]
    if payload in (0, 4):
        assert block[-49] == 0 and pms[:2] == (version.to_bytes(2, 'big') if payload == 0 else b'\x02\x02')
    assert (block[:2] == b'\x00\x02' and block[-49] == 0 and b'\x00' not in block[2:-49]) is ok_padding


@pytest.mark.parametrize('data,code', [
    (bytes.fromhex('300c02010178070a010004000400'), 0),
    (bytes.fromhex('300c02010178070a013404000400'), 0x34),
    (b'\x30\x03\x02\x01\x01', None),
])
def test_ldap_result_code(data, code):
    assert scan._ldap_result_code(data) == code  # pylint: disable=protected-access
    assert scan._ber_total(data) == len(data)  # pylint: disable=protected-access


def _no_dns(host, *args, **kwargs):
    """No name is resolved in unit tests (no traffic leaves the machine): every lookup fails like NXDOMAIN."""
    raise scan.socket.gaierror(-2, 'Name or service not known')


@pytest.mark.parametrize('endpoint,kind,words', [
    ({'port': 443}, 'internal', 'no host'),
    ({'host': 'x', 'port': 'https'}, 'internal', 'invalid port'),
    ({'host': 'x', 'port': 70000}, 'internal', 'invalid port'),
    ({'host': 'x', 'port': 443, 'starttls': 'gopher'}, 'internal', "unknown starttls 'gopher'"),
    ({'host': '10.0.0.1', 'port': 443, 'server_name': 'a..b'}, 'internal', "invalid server_name 'a..b'"),
    ('127.0.0.1:443', 'internal', 'must be a mapping'),
    ({'host': 'no-such-host.invalid', 'port': 443}, 'dns', 'cannot resolve no-such-host.invalid'),
])
def test_bad_endpoints_are_error_results(endpoint, kind, words, monkeypatch):
    monkeypatch.setattr(scan.socket, 'getaddrinfo', _no_dns)
    result = scan.scan_endpoint(endpoint, {'timeout': 1})
    assert result['status'] == 'error' and result['error']['kind'] == kind and words in result['error']['message']
    # the prober observes, it does not judge; the one judge gives an unscanned endpoint no verdict
    assert 'mozilla' not in result
    assert _mozilla.evaluate(result, GUIDELINES)['compliant'] is None


def test_results_in_input_order_and_labels_pass_through(monkeypatch):
    monkeypatch.setattr(scan.socket, 'getaddrinfo', _no_dns)
    eps = [{'host': 'h%d.invalid' % i, 'port': 443, 'label': 'l%d' % i, 'source': 'declared'} for i in range(5)]
    results = scan.scan_endpoints(eps, {'timeout': 1, 'concurrency': 3})
    assert [r['label'] for r in results] == ['l0', 'l1', 'l2', 'l3', 'l4'] and all(r['source'] == 'declared' for r in results)
    assert scan.scan_endpoints([], {}) == []


@pytest.mark.parametrize('endpoint,sni', [
    ({'host': 'api.example.net', 'port': 443}, 'api.example.net'),
    ({'host': '10.0.0.1', 'port': 443}, None),
    ({'host': '10.0.0.1', 'port': 443, 'server_name': 'api.example.net'}, 'api.example.net'),
    ({'host': 'api.example.net', 'port': 443, 'server_name': ''}, None),
    ({'host': '[2001:db8::1]', 'port': 443}, None),
])
def test_server_name_default(endpoint, sni):
    assert scan.Target(endpoint, {'timeout': 1}).server_name == sni


def test_the_prober_does_not_judge(monkeypatch):
    # level and guidelines are options of the judge (_core/mozilla), not of the prober: ignored here,
    # and no result carries a verdict (an unknown level is refused by the judge: test_mozilla.py)
    monkeypatch.setattr(scan.socket, 'getaddrinfo', _no_dns)
    result = scan.scan_endpoint({'host': 'x.invalid', 'port': 1}, {'level': 'paranoid', 'guidelines': GUIDELINES})
    assert result['status'] == 'error' and 'mozilla' not in result
