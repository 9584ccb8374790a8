# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Each corpus member really behaves as catalogued, shown with independent tools (``openssl s_client``,
raw sockets, ``cryptography`` on the certificate the server actually sends) -- not with our engine.

The client side runs ``openssl s_client`` at ``@SECLEVEL=0`` wherever a refusal is expected, so a refusal comes from
the server (an alert), never from the client's own security level.
"""

from __future__ import absolute_import, division, print_function

import os
import re
import socket
import subprocess
import time

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from lab.tls_servers import GARBAGE, MEMBER_NAMES, MEMBERS

LOW = 'DEFAULT:@SECLEVEL=0'


class SClient(object):
    def __init__(self, argv, proc):
        self.argv = argv
        self.rc = proc.returncode
        self.out = proc.stdout.decode('utf-8', 'replace')
        # "New, <version of the suite>, Cipher is X"; the negotiated version is in the SSL-Session block, which TLS 1.3
        # prints only once a session ticket arrived
        match = re.search(r'^New, (\S+), Cipher is (\S+)', self.out, re.M)
        self.cipher = match.group(2) if match else None
        session = re.search(r'^\s+Protocol\s*: (\S+)', self.out, re.M)
        self.protocol = session.group(1) if session else (match.group(1).rstrip(',') if match else None)
        match = re.search(r'Server Temp Key: (.+)', self.out)
        self.temp_key = match.group(1).strip() if match else None
        match = re.search(r'Verify return code: (\d+) \((.*)\)', self.out)
        self.verify = (int(match.group(1)), match.group(2)) if match else None
        pems = re.findall(r'-----BEGIN CERTIFICATE-----.+?-----END CERTIFICATE-----', self.out, re.S)
        self.leaf = x509.load_pem_x509_certificate(pems[0].encode('ascii')) if pems else None

    @property
    def connected(self):
        return self.rc == 0 and self.cipher not in (None, '(NONE)')

    def __repr__(self):
        return 'openssl %s -> rc=%s %s %s\n%s' % (' '.join(self.argv[1:]), self.rc, self.protocol, self.cipher, self.out[-1500:])


def s_client(server, *args, **kw):
    argv = ['openssl', 's_client', '-connect', '%s:%d' % (server.host, server.port), '-servername', server.server_name]
    if kw.get('ca'):
        argv += ['-CAfile', kw['ca'], '-verify_hostname', server.server_name]
    argv += list(args)
    proc = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=15,
                          env=dict(os.environ, LC_ALL='C'), check=False)
    return SClient(argv, proc)


# (member, what, s_client arguments, connects?, check on the result or None)
HANDSHAKES = [
    ('nginx-rsa', 'TLS 1.3', ['-tls1_3'], True, lambda r: r.protocol == 'TLSv1.3'),
    ('nginx-rsa', 'TLS 1.2 ECDHE-RSA-AES128-GCM', ['-tls1_2', '-cipher', 'ECDHE-RSA-AES128-GCM-SHA256'], True, None),
    ('nginx-rsa', 'DHE with the 2048-bit ffdhe2048 group', ['-tls1_2', '-cipher', 'DHE-RSA-AES128-GCM-SHA256'], True,
     lambda r: r.temp_key == 'DH, 2048 bits'),
    ('nginx-rsa', 'no TLS 1.0', ['-tls1', '-cipher', LOW], False, None),
    ('nginx-rsa', 'no TLS 1.1', ['-tls1_1', '-cipher', LOW], False, None),
    ('nginx-rsa', 'no CBC suite', ['-tls1_2', '-cipher', 'ECDHE-RSA-AES128-SHA256:ECDHE-RSA-AES128-SHA:' + LOW], False, None),
    ('nginx-rsa', 'no static RSA', ['-tls1_2', '-cipher', 'AES128-GCM-SHA256:' + LOW], False, None),
    ('nginx-rsa', 'no X448 (TLS 1.3)', ['-tls1_3', '-groups', 'X448'], False, None),
    ('nginx-rsa', 'no P-521 (TLS 1.2)', ['-tls1_2', '-cipher', 'ECDHE-RSA-AES128-GCM-SHA256', '-groups', 'P-521'], False, None),
    ('nginx-rsa', 'P-384 accepted', ['-tls1_3', '-groups', 'P-384'], True, lambda r: 'ECDH, secp384r1' in (r.temp_key or '')),
    ('nginx-ecdsa', 'TLS 1.3', ['-tls1_3'], True, None),
    ('nginx-ecdsa', 'ECDHE-ECDSA suite', ['-tls1_2', '-cipher', 'ECDHE-ECDSA-AES256-GCM-SHA384'], True, None),
    ('nginx-ecdsa', 'no TLS 1.1', ['-tls1_1', '-cipher', LOW], False, None),
    ('nginx-tls10', 'TLS 1.0 with a CBC suite', ['-tls1', '-cipher', LOW], True,
     lambda r: r.protocol == 'TLSv1' and r.cipher.endswith('-SHA')),
    ('nginx-tls10', 'TLS 1.1', ['-tls1_1', '-cipher', LOW], True, lambda r: r.protocol == 'TLSv1.1'),
    ('nginx-tls10', 'TLS 1.3 too', ['-tls1_3'], True, None),
    ('nginx-cbc', 'static RSA AES128-SHA', ['-tls1_2', '-cipher', 'AES128-SHA'], True, lambda r: r.cipher == 'AES128-SHA'),
    ('nginx-cbc', 'CBC ECDHE-RSA-AES128-SHA256', ['-tls1_2', '-cipher', 'ECDHE-RSA-AES128-SHA256'], True, None),
    ('nginx-cbc', 'no TLS 1.1', ['-tls1_1', '-cipher', LOW], False, None),
    ('haproxy-good', 'TLS 1.3', ['-tls1_3'], True, None),
    ('haproxy-good', 'DHE with the 2048-bit group', ['-tls1_2', '-cipher', 'DHE-RSA-AES128-GCM-SHA256'], True,
     lambda r: r.temp_key == 'DH, 2048 bits'),
    ('haproxy-good', 'no TLS 1.1', ['-tls1_1', '-cipher', LOW], False, None),
    ('haproxy-good', 'no CBC / static RSA', ['-tls1_2', '-cipher', 'AES128-SHA:ECDHE-RSA-AES128-SHA:' + LOW], False, None),
    ('haproxy-good', 'no X448 (TLS 1.3)', ['-tls1_3', '-groups', 'X448'], False, None),
    ('haproxy-weak', 'static RSA AES256-SHA', ['-tls1_2', '-cipher', 'AES256-SHA'], True, None),
    ('haproxy-weak', 'Camellia', ['-tls1_2', '-cipher', 'CAMELLIA256-SHA'], True, None),
    ('haproxy-weak', 'CBC ECDHE-RSA-AES128-SHA', ['-tls1_2', '-cipher', 'ECDHE-RSA-AES128-SHA'], True, None),
    ('haproxy-weak', 'no TLS 1.1', ['-tls1_1', '-cipher', LOW], False, None),
    ('openssl-dh1024', 'DHE with a 1024-bit group', ['-tls1_2', '-cipher', 'DHE-RSA-AES128-GCM-SHA256:@SECLEVEL=0'], True,
     lambda r: r.temp_key == 'DH, 1024 bits'),
    ('openssl-dh1024', 'refused by a default (level 2) OpenSSL 3 client', ['-tls1_2', '-cipher', 'DHE-RSA-AES128-GCM-SHA256'], False,
     lambda r: 'dh key too small' in r.out),
    ('openssl-dh1024', 'no TLS 1.1', ['-tls1_1', '-cipher', LOW], False, None),
    ('openssl-rsa1024', 'TLS 1.2 ECDHE', ['-tls1_2', '-cipher', 'ECDHE-RSA-AES128-GCM-SHA256:@SECLEVEL=0'], True, None),
    ('openssl-rsa1024', 'no DHE', ['-tls1_2', '-cipher', 'DHE-RSA-AES128-GCM-SHA256:@SECLEVEL=0'], False, None),
    ('openssl-800days', 'TLS 1.3', ['-tls1_3'], True, None),
    ('openssl-p521', 'ECDHE-ECDSA', ['-tls1_2', '-cipher', 'ECDHE-ECDSA-AES128-GCM-SHA256'], True, None),
    ('openssl-p521', 'no X448 (TLS 1.3)', ['-tls1_3', '-groups', 'X448'], False, None),
    ('openssl-sha1', 'no TLS 1.1', ['-tls1_1', '-cipher', LOW], False, None),
    ('python-default', 'CBC with SHA-1 MAC', ['-tls1_2', '-cipher', 'ECDHE-RSA-AES128-SHA'], True, None),
    ('python-default', 'static RSA', ['-tls1_2', '-cipher', 'AES128-GCM-SHA256'], True, None),
    ('python-default', 'X448 (TLS 1.3)', ['-tls1_3', '-groups', 'X448'], True, lambda r: 'X448' in (r.temp_key or '')),
    ('python-default', 'P-521 (TLS 1.2)', ['-tls1_2', '-cipher', 'ECDHE-RSA-AES128-GCM-SHA256', '-groups', 'P-521'], True,
     lambda r: 'secp521r1' in (r.temp_key or '')),
    ('python-default', 'no TLS 1.1', ['-tls1_1', '-cipher', LOW], False, None),
]


@pytest.mark.parametrize('name, what, args, connects, check', HANDSHAKES, ids=['%s: %s' % (h[0], h[1]) for h in HANDSHAKES])
def test_handshake(tls_corpus, name, what, args, connects, check):
    result = s_client(tls_corpus.server(name), *args)
    assert result.connected == connects, result
    if not connects and check is None:
        # the server said no (an alert), the client did not give up by itself
        assert re.search(r'(tlsv1|sslv3) alert ', result.out), result
    if check is not None:
        assert check(result), result


def _key(cert):
    key = cert.public_key()
    if isinstance(key, rsa.RSAPublicKey):
        return 'rsa', key.key_size
    if isinstance(key, ec.EllipticCurvePublicKey):
        return 'ec', key.curve.name
    return type(key).__name__, None


# (member, key, signature hash, lifespan days, verify code with the lab CA, extra s_client args)
CERTIFICATES = [
    ('nginx-rsa', ('rsa', 2048), 'sha256', 90, 0, []),
    ('nginx-ecdsa', ('ec', 'secp256r1'), 'sha256', 90, 0, []),
    ('haproxy-good', ('rsa', 2048), 'sha256', 90, 0, []),
    ('openssl-rsa1024', ('rsa', 1024), 'sha256', 90, 0, ['-cipher', 'DEFAULT:@SECLEVEL=0']),
    ('openssl-800days', ('rsa', 2048), 'sha256', 800, 0, []),
    # under the lab CA: verifies at level 0; refused at the default level (68: CA signature digest algorithm too weak)
    ('openssl-sha1', ('rsa', 2048), 'sha1', 90, 0, ['-cipher', 'DEFAULT:@SECLEVEL=0']),
    ('openssl-sha1', ('rsa', 2048), 'sha1', 90, 68, []),
    ('openssl-p521', ('ec', 'secp521r1'), 'sha256', 90, 0, []),
    ('openssl-expired', ('rsa', 2048), 'sha256', 90, 10, []),        # 10: certificate has expired
    ('openssl-selfsigned', ('rsa', 2048), 'sha256', 90, 18, []),     # 18: self-signed certificate
    ('python-default', ('rsa', 2048), 'sha256', 90, 0, []),
]


@pytest.mark.parametrize('name, key, hash_name, days, verify, args', CERTIFICATES,
                         ids=['%s-verify%d' % (c[0], c[4]) for c in CERTIFICATES])
def test_certificate(tls_corpus, name, key, hash_name, days, verify, args):
    server = tls_corpus.server(name)
    result = s_client(server, '-showcerts', *args, ca=tls_corpus.ca_file)
    assert result.leaf is not None, result
    assert _key(result.leaf) == key
    assert result.leaf.signature_hash_algorithm.name == hash_name
    assert (result.leaf.not_valid_after_utc - result.leaf.not_valid_before_utc).days == days
    assert result.verify is not None and result.verify[0] == verify, result
    if name == 'openssl-expired':
        assert result.leaf.not_valid_after_utc.timestamp() < time.time()
    if name == 'openssl-selfsigned':
        assert result.leaf.issuer == result.leaf.subject


def test_closed_port_refuses(tls_corpus):
    server = tls_corpus.server('closed-port')
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection((server.host, server.port), timeout=2).close()


def _exchange(server, data=b'\x16\x03\x01\x00\x04ABCD', timeout=3.0):
    """Connect, send ``data``, return everything read until EOF (or what arrived before ``timeout``)."""
    sock = socket.create_connection((server.host, server.port), timeout=timeout)
    received = b''
    try:
        sock.sendall(data)
        while True:
            chunk = sock.recv(4096)
            if not chunk:
                return received
            received += chunk
    finally:
        sock.close()


def test_silent_never_answers(tls_corpus):
    begin = time.monotonic()
    with pytest.raises(socket.timeout):
        _exchange(tls_corpus.server('silent'), timeout=1.5)
    assert time.monotonic() - begin >= 1.4


def test_garbage_sends_garbage(tls_corpus):
    server = tls_corpus.server('garbage')
    data = _exchange(server)
    assert data == GARBAGE
    assert data[0] not in (20, 21, 22, 23, 24)           # no TLS record content type
    assert not data.startswith(b'HTTP/')
    result = s_client(server, '-tls1_2')
    assert not result.connected
    assert re.search(r'wrong version number|packet length too long|record layer failure|unexpected eof', result.out), result


def test_plain_http_answers_in_clear(tls_corpus):
    server = tls_corpus.server('plain-http')
    data = _exchange(server)
    assert data.startswith(b'HTTP/1.1 400 Bad Request'), data[:200]
    result = s_client(server, '-tls1_2')
    assert not result.connected
    assert re.search(r'wrong version number|packet length too long|http request', result.out, re.I), result


EXES = {'nginx': 'nginx', 'haproxy': 'haproxy', 'openssl': 'openssl', 'python': 'python'}


@pytest.mark.parametrize('name', MEMBER_NAMES)
def test_member_is_the_real_binary(tls_corpus, name):
    server = tls_corpus.server(name)
    assert server.host == '127.0.0.1' and server.server_name == 'localhost' and server.starttls == 'none'
    assert server.expected in ('compliant', 'non_compliant', 'error') and server.reason
    if name == 'closed-port':
        assert server.process is None
        return
    assert server.process.alive()
    exe = os.path.basename(os.readlink('/proc/%d/exe' % server.pid))
    if server.kind == 'hostile':
        assert exe.startswith('python') or exe == 'nginx'
    else:
        assert exe.startswith(EXES[server.kind]), exe


def test_catalog_is_consistent():
    for member in MEMBERS:
        assert (member.expected == 'error') == (member.kind == 'hostile') == (member.error_kind is not None), member.name
        assert (member.expected == 'non_compliant') == bool(member.sslyze_issues), member.name
        assert member.sslyze_can_scan == (member.kind != 'hostile')


def test_start_is_fast_and_subset_capable(tls_corpus, tmp_path):
    # the whole corpus started in the session fixture; the budget is ~10 s on 2 cores
    assert tls_corpus.start_seconds < 15, tls_corpus.timings
    from lab.tls_servers import start_corpus
    with start_corpus(str(tmp_path), names=['nginx-rsa', 'haproxy-weak']) as corpus:
        assert [s.name for s in corpus.servers] == ['nginx-rsa', 'haproxy-weak']
        assert s_client(corpus.server('nginx-rsa'), '-tls1_3', ca=corpus.ca_file).verify == (0, 'ok')
        pids = [s.pid for s in corpus.servers]
    for pid in pids:
        assert not os.path.exists('/proc/%d' % pid)
    with pytest.raises(ValueError):
        start_corpus(str(tmp_path / 'x'), names=['no-such-member'])
