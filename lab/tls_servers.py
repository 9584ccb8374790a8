# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A corpus of REAL TLS servers on 127.0.0.1 (nginx, haproxy, openssl s_server, Python ``ssl``) plus
hostile/non-TLS endpoints, each with a recorded expectation against Mozilla's intermediate profile (5.7).

    with start_corpus('/tmp/x') as corpus:                 # everything (about 18 endpoints)
        for server in corpus.servers:
            print(server.name, server.port, server.expected, server.reason)
        corpus.ca_file                                     # the lab CA every member's certificate chains to
    with start_corpus('/tmp/y', names=['nginx-rsa', 'haproxy-weak']) as corpus:   # a subset (demo)
        ...

PKI is generated at start (``lab.pki.CA``); every process is started with the real binary in
``workdir`` and stopped by PID (``lab.proc``).  The catalog of members is ``MEMBERS``; ``docs/tls-corpus.md``
explains each one.  The slow part is ``openssl dhparam 1024`` (0.1 s to 5 s, random): it runs in the
background while the keys are generated and is cached as ``<workdir>/cache/dh1024.pem``.

The module is also the entry point of the small Python servers of the corpus (run as
``python -m lab.tls_servers _serve KIND PORT [ARGS]``); that mode is internal.
"""

from __future__ import absolute_import, division, print_function

import os
import random
import shutil
import socket
import subprocess
import sys
import threading
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

HOST = '127.0.0.1'
SERVER_NAME = 'localhost'

# Mozilla server side TLS 5.7, intermediate (https://ssl-config.mozilla.org/guidelines/5.7.json)
MOZ_CIPHERS = ('ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:'
               'ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384:'
               'DHE-RSA-CHACHA20-POLY1305')
# the same without DHE: for s_server members whose only defect must be something else (s_server turns on
# automatic DH parameters sized like the certificate key, so DHE with an RSA-1024 key would be 1024-bit DH)
MOZ_ECDHE_CIPHERS = ('ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:'
                     'ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305')
MOZ_CIPHERSUITES = 'TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256'
MOZ_GROUPS = 'X25519:P-256:P-384'
# TLS 1.0 cannot negotiate AEAD suites: a server that really speaks TLS 1.0/1.1 needs CBC suites (and, with
# OpenSSL 3, security level 0, because TLS < 1.2 signs with MD5+SHA-1)
TLS10_CIPHERS = MOZ_CIPHERS + ':ECDHE-ECDSA-AES128-SHA:ECDHE-RSA-AES128-SHA:ECDHE-RSA-AES256-SHA:@SECLEVEL=0'
CBC_CIPHERS = 'ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-SHA256:ECDHE-RSA-AES256-SHA384:AES128-GCM-SHA256:AES256-SHA256:AES128-SHA'
# (Debian's OpenSSL 3 has neither 3DES nor RC4 any more: CBC with SHA-1 MAC, static RSA and Camellia are what is left)
WEAK_CIPHERS = 'ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-SHA:AES128-SHA:AES256-SHA:CAMELLIA256-SHA'

# Deterministic non-TLS bytes for the "garbage" member: the first byte (0x99) is no TLS record type
_RNG = random.Random(125)
GARBAGE = bytes([0x99] + [_RNG.getrandbits(8) for dummy in range(255)])


class Member(object):
    """One corpus member as catalogued (what it is, what a Mozilla-intermediate checker must say and why)."""

    def __init__(self, name, kind, expected, reason, start, cert=None, sslyze_issues=(), error_kind=None):
        self.name = name
        self.kind = kind                      # nginx | haproxy | openssl | python | hostile
        self.expected = expected              # compliant | non_compliant | error
        self.reason = reason
        self.start = start                    # name of the _Starter method
        self.cert = cert                      # dict of CA.issue() keyword arguments, or None
        self.sslyze_issues = frozenset(sslyze_issues)   # the issue keys sslyze 6.3's Mozilla checker reports
        self.error_kind = error_kind          # for expected == 'error': the contract's error kind
        self.sslyze_can_scan = kind != 'hostile'


_RSA = dict(key_type='rsa', key_size=2048)
MEMBERS = [
    Member('nginx-rsa', 'nginx', 'compliant',
           "nginx 1.22, Mozilla's generated intermediate config (TLS 1.2+1.3, the 9 intermediate suites, ffdhe2048 DH "
           'parameters, no server cipher order) plus ssl_ecdh_curve X25519:prime256v1:secp384r1; RSA-2048 certificate, '
           'SHA-256, 90 days, under the lab CA', 'nginx_good', cert=_RSA),
    Member('nginx-ecdsa', 'nginx', 'compliant',
           'as nginx-rsa with an ECDSA P-256 certificate (so only the ECDHE-ECDSA suites can be negotiated)', 'nginx_good',
           cert=dict(key_type='ec', curve='secp256r1')),
    Member('nginx-tls10', 'nginx', 'non_compliant',
           'TLS 1.0 and 1.1 enabled (ssl_protocols TLSv1 TLSv1.1 TLSv1.2 TLSv1.3); TLS 1.0 needs CBC suites, so '
           'ECDHE-*-AES*-SHA (CBC, SHA-1 MAC) are accepted too: fails tls_versions and ciphers', 'nginx_tls10',
           cert=_RSA, sslyze_issues=('tls_versions', 'ciphers')),
    Member('nginx-cbc', 'nginx', 'non_compliant',
           'TLS 1.2+1.3 only but CBC suites (ECDHE-RSA-AES128-SHA256, -AES256-SHA384) and static-RSA key exchange '
           '(AES128-GCM-SHA256, AES256-SHA256, AES128-SHA): fails ciphers', 'nginx_cbc',
           cert=_RSA, sslyze_issues=('ciphers',)),
    Member('haproxy-good', 'haproxy', 'compliant',
           "haproxy 2.6 as Mozilla's generated config (ssl-dh-param-file ffdhe2048) with ssl-min-ver TLSv1.2, the "
           'intermediate ciphers and ciphersuites and curves X25519:P-256:P-384 on the bind line; RSA-2048 certificate '
           'under the lab CA', 'haproxy_good', cert=_RSA),
    Member('haproxy-weak', 'haproxy', 'non_compliant',
           'haproxy 2.6 with TLS 1.2+1.3 but weak TLS 1.2 suites: ECDHE-RSA-AES128-SHA (CBC, SHA-1 MAC), static RSA '
           '(AES128-SHA, AES256-SHA, no forward secrecy) and Camellia (CAMELLIA256-SHA): fails ciphers', 'haproxy_weak',
           cert=_RSA, sslyze_issues=('ciphers',)),
    Member('openssl-dh1024', 'openssl', 'non_compliant',
           'openssl s_server with the intermediate suites (DHE included) and a 1024-bit DH group made by '
           '`openssl dhparam 1024`: fails dh_param_size (< 2048)', 'sserver_dh1024',
           cert=_RSA, sslyze_issues=('dh_param_size',)),
    Member('openssl-rsa1024', 'openssl', 'non_compliant',
           'openssl s_server, otherwise intermediate, with an RSA-1024 certificate under the lab CA: fails rsa_key_size '
           '(< 2048); path validation still succeeds (the WebPKI verifier of `cryptography` accepts RSA-1024)', 'sserver',
           cert=dict(key_type='rsa', key_size=1024), sslyze_issues=('rsa_key_size',)),
    Member('openssl-800days', 'openssl', 'non_compliant',
           'openssl s_server, otherwise intermediate, with a certificate valid for 800 days: fails '
           'maximum_certificate_lifespan (> 366)', 'sserver',
           cert=dict(_RSA, days=800), sslyze_issues=('maximum_certificate_lifespan',)),
    Member('openssl-sha1', 'openssl', 'non_compliant',
           'openssl s_server, otherwise intermediate, with a leaf signed with SHA-1 (sha1WithRSAEncryption) by the lab '
           'CA: fails certificate_signatures; path validation fails too (SHA-1 is rejected)', 'sserver',
           cert=dict(_RSA, hash_name='sha1'), sslyze_issues=('certificate_signatures', 'certificate_path_validation')),
    Member('openssl-p521', 'openssl', 'non_compliant',
           'openssl s_server, otherwise intermediate, with an ECDSA P-521 certificate: fails certificate_curves '
           '(only prime256v1 and secp384r1 are allowed)', 'sserver',
           cert=dict(key_type='ec', curve='secp521r1'), sslyze_issues=('certificate_curves',)),
    Member('openssl-expired', 'openssl', 'non_compliant',
           'openssl s_server, otherwise intermediate, with a certificate that expired 310 days ago (90-day lifespan): '
           'no Mozilla JSON key covers expiry, but a valid trusted certificate is a precondition (sslyze: '
           'certificate_path_validation)', 'sserver',
           cert=dict(_RSA, valid_from_days=-400), sslyze_issues=('certificate_path_validation',)),
    Member('openssl-selfsigned', 'openssl', 'non_compliant',
           'openssl s_server, otherwise intermediate, with a self-signed certificate not under the lab CA: path '
           'validation fails (sslyze: certificate_path_validation)', 'sserver',
           cert=dict(_RSA, self_signed=True), sslyze_issues=('certificate_path_validation',)),
    Member('python-default', 'python', 'non_compliant',
           "Python 3 `ssl` server with its defaults (ssl.create_default_context(Purpose.CLIENT_AUTH)): TLS 1.2 minimum "
           "but Debian's Python uses OpenSSL's DEFAULT suites (CBC, SHA-1 MAC, static RSA: TLS_RSA_WITH_AES_128_CBC_SHA ...) "
           "and OpenSSL 3's default groups (X448, P-521, FFDHE): fails ciphers and tls_curves", 'python_default',
           cert=_RSA, sslyze_issues=('ciphers', 'tls_curves')),
    Member('closed-port', 'hostile', 'error',
           'nothing listens on the port: the connection is refused', 'closed', error_kind='refused'),
    Member('silent', 'hostile', 'error',
           'accepts TCP connections and never sends a byte: the scan must end with a timeout, within the timeout given',
           'silent', error_kind='timeout'),
    Member('garbage', 'hostile', 'error',
           'answers every connection with 256 fixed random bytes (first byte 0x99, no TLS record type) and closes',
           'garbage', error_kind='not_tls'),
    Member('plain-http', 'hostile', 'error',
           'nginx serving plain HTTP (no TLS) on the port: answers a ClientHello with "HTTP/1.1 400 Bad Request"',
           'nginx_plain', error_kind='plaintext'),
]
MEMBER_NAMES = [m.name for m in MEMBERS]


class Server(object):
    """A running corpus member: the catalogue entry plus where it listens and how it was started."""

    def __init__(self, member, port, workdir, cert=None, process=None):
        self.member = member
        self.name = member.name
        self.kind = member.kind
        self.expected = member.expected
        self.reason = member.reason
        self.sslyze_can_scan = member.sslyze_can_scan
        self.sslyze_issues = member.sslyze_issues
        self.error_kind = member.error_kind
        self.host = HOST
        self.port = port
        self.server_name = SERVER_NAME
        self.starttls = 'none'
        self.workdir = workdir
        self.cert = cert                  # lab.pki.Leaf, or None
        self.process = process            # lab.proc.Process, or None (closed port)

    @property
    def pid(self):
        return self.process.pid if self.process else None

    def endpoint(self):
        """The endpoint as ``scan_endpoints`` / ``tls_endpoint_info`` take it."""
        return dict(host=self.host, port=self.port, server_name=self.server_name, starttls=self.starttls, label=self.name)

    def __repr__(self):
        return '<Server %s %s:%s %s>' % (self.name, self.host, self.port, self.expected)


class Corpus(object):
    """The running corpus (a context manager); ``stop()`` ends every process by PID."""

    def __init__(self, workdir, stack, ca_file, servers, timings):
        self.workdir = workdir
        self._stack = stack
        self.ca_file = ca_file
        self.servers = servers
        self.timings = timings            # seconds per start phase, for the curious (and the docs)

    def server(self, name):
        for server in self.servers:
            if server.name == name:
                return server
        raise KeyError(name)

    def endpoints(self, names=None):
        return [s.endpoint() for s in self.servers if names is None or s.name in names]

    def stop(self):
        self._stack.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


def _webpki_leaf(ca, leaf):
    """Add the Authority/Subject Key Identifiers ``lab.pki`` leaves lack (the WebPKI verifier sslyze uses
    -- cryptography's -- rejects a leaf without AKI), re-signing with the CA in place; no-op when present."""
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.serialization import load_pem_private_key
    with open(leaf.cert, 'rb') as handle:
        cert = x509.load_pem_x509_certificate(handle.read())
    if cert.issuer != ca.name:
        return
    try:
        cert.extensions.get_extension_for_class(x509.AuthorityKeyIdentifier)
        return
    except x509.ExtensionNotFound:
        pass
    with open(leaf.key, 'rb') as handle:
        key = load_pem_private_key(handle.read(), None)
    builder = (x509.CertificateBuilder().subject_name(cert.subject).issuer_name(cert.issuer).public_key(cert.public_key())
               .serial_number(cert.serial_number).not_valid_before(cert.not_valid_before_utc).not_valid_after(cert.not_valid_after_utc))
    for ext in cert.extensions:
        builder = builder.add_extension(ext.value, ext.critical)
    ca_key = ca._key  # pylint: disable=protected-access
    builder = builder.add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    builder = builder.add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
    new = builder.sign(ca_key, cert.signature_hash_algorithm)
    cert_pem = new.public_bytes(serialization.Encoding.PEM)
    with open(ca.cert, 'rb') as handle:
        ca_pem = handle.read()
    with open(leaf.key, 'rb') as handle:
        key_pem = handle.read()
    for path, data in ((leaf.cert, cert_pem), (leaf.chain, cert_pem + ca_pem), (leaf.bundle, key_pem + cert_pem + ca_pem)):
        with open(path, 'wb') as handle:
            handle.write(data)


def _sha1_leaf(ca, leaf, directory):
    """Re-issue ``leaf`` (same key, SANs, 90 days) signed with SHA-1 by the lab CA, with the ``openssl`` CLI:
    ``cryptography`` >= 45 refuses to sign certificates with SHA-1 (so ``ca.issue(hash_name='sha1')`` fails)."""
    from cryptography import x509
    with open(leaf.cert, 'rb') as handle:
        cert = x509.load_pem_x509_certificate(handle.read())
    sans = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    san = ','.join(['DNS:%s' % n for n in sans.get_values_for_type(x509.DNSName)] + ['IP:%s' % n for n in sans.get_values_for_type(x509.IPAddress)])
    ext = os.path.join(directory, leaf.name + '.ext.cnf')
    csr = os.path.join(directory, leaf.name + '.csr')
    with open(ext, 'w') as handle:
        handle.write('[v3]\nbasicConstraints = critical,CA:FALSE\nsubjectAltName = %s\nextendedKeyUsage = serverAuth\n'
                     'subjectKeyIdentifier = hash\nauthorityKeyIdentifier = keyid\n' % san)
    openssl = _need('openssl')
    run = dict(stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=30)
    subprocess.run([openssl, 'req', '-new', '-key', leaf.key, '-subj', '/O=SCS Lab/CN=%s' % leaf.name, '-out', csr], check=True, **run)
    subprocess.run([openssl, 'x509', '-req', '-in', csr, '-CA', ca.cert, '-CAkey', ca.key, '-CAcreateserial', '-sha1', '-days', '90',
                    '-extfile', ext, '-extensions', 'v3', '-out', leaf.cert], check=True, **run)
    with open(leaf.cert, 'rb') as handle:
        cert_pem = handle.read()
    with open(ca.cert, 'rb') as handle:
        ca_pem = handle.read()
    with open(leaf.key, 'rb') as handle:
        key_pem = handle.read()
    for path, data in ((leaf.chain, cert_pem + ca_pem), (leaf.bundle, key_pem + cert_pem + ca_pem)):
        with open(path, 'wb') as handle:
            handle.write(data)


def _need(binary):
    path = shutil.which(binary) or next((p for p in ('/usr/sbin/' + binary, '/usr/bin/' + binary) if os.path.exists(p)), None)
    if not path:
        from lab.proc import LabError
        raise LabError('%s is not installed (Debian package: %s)' % (binary, {'nginx': 'nginx-light'}.get(binary, binary)))
    return path


class _Starter(object):
    """Writes each member's configuration and starts its process."""

    def __init__(self, workdir, stack, ca, leaves, dh1024, ffdhe2048):
        self.workdir, self.stack, self.ca, self.leaves = workdir, stack, ca, leaves
        self.dh1024, self.ffdhe2048 = dh1024, ffdhe2048

    def _dir(self, member):
        path = os.path.join(self.workdir, 'srv', member.name)
        os.makedirs(path, exist_ok=True)
        return path

    def _process(self, member, argv, env=None):
        from lab.proc import Process
        log = os.path.join(self.workdir, 'logs', member.name + '.log')
        return self.stack.add(Process(member.name, argv, log, cwd=self._dir(member), env=env))

    # nginx ------------------------------------------------------------------------------------------
    def _nginx(self, member, port, server_block):
        directory = self._dir(member)
        temps = ''.join('    %s_temp_path %s;\n' % (t, os.path.join(directory, t)) for t in ('client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'))
        conf = (
            ('user root;\n' if os.geteuid() == 0 else '')
            + 'daemon off;\nmaster_process on;\nworker_processes 1;\n'
            + 'pid %s;\nerror_log %s warn;\n' % (os.path.join(directory, 'nginx.pid'), os.path.join(directory, 'error.log'))
            + 'events { worker_connections 512; }\n'
            + 'http {\n    access_log off;\n' + temps
            + '    server {\n        listen %s:%d%s;\n        server_name %s;\n' % (HOST, port, '' if member.start == 'nginx_plain' else ' ssl', SERVER_NAME)
            + server_block
            + '        location / { return 200 "ok\\n"; }\n    }\n}\n')
        path = os.path.join(directory, 'nginx.conf')
        with open(path, 'w') as handle:
            handle.write(conf)
        return self._process(member, [_need('nginx'), '-p', directory, '-c', path, '-e', os.path.join(directory, 'error.log')])

    def _nginx_tls(self, member, port, protocols, ciphers, dhparam=True):
        leaf = self.leaves[member.name]
        block = (
            '        ssl_certificate %s;\n        ssl_certificate_key %s;\n' % (leaf.chain, leaf.key)
            + '        ssl_session_timeout 1d;\n        ssl_session_cache shared:MozSSL:1m;\n        ssl_session_tickets off;\n'
            + ('        ssl_dhparam %s;\n' % self.ffdhe2048 if dhparam else '')
            + '        ssl_protocols %s;\n        ssl_ciphers %s;\n' % (protocols, ciphers)
            + '        ssl_prefer_server_ciphers off;\n        ssl_ecdh_curve X25519:prime256v1:secp384r1;\n'
            + '        add_header Strict-Transport-Security "max-age=63072000" always;\n')
        return self._nginx(member, port, block)

    def nginx_good(self, member, port):
        return self._nginx_tls(member, port, 'TLSv1.2 TLSv1.3', MOZ_CIPHERS)

    def nginx_tls10(self, member, port):
        return self._nginx_tls(member, port, 'TLSv1 TLSv1.1 TLSv1.2 TLSv1.3', TLS10_CIPHERS)

    def nginx_cbc(self, member, port):
        return self._nginx_tls(member, port, 'TLSv1.2 TLSv1.3', CBC_CIPHERS, dhparam=False)

    def nginx_plain(self, member, port):
        return self._nginx(member, port, '')

    # haproxy ----------------------------------------------------------------------------------------
    def _haproxy(self, member, port, ciphers, dhparam=False):
        directory = self._dir(member)
        leaf = self.leaves[member.name]
        cfg = (
            'global\n    maxconn 512\n%s\n'
            'defaults\n    mode http\n    timeout connect 5s\n    timeout client 10s\n    timeout server 10s\n\n'
            'frontend fe_tls\n'
            '    bind %s:%d ssl crt %s ssl-min-ver TLSv1.2 ciphers %s ciphersuites %s curves %s\n'
            '    http-after-response set-header Strict-Transport-Security "max-age=63072000"\n'
            '    http-request return status 200 content-type text/plain string "ok"\n'
        ) % ('    ssl-dh-param-file %s\n' % self.ffdhe2048 if dhparam else '', HOST, port, leaf.bundle, ciphers, MOZ_CIPHERSUITES, MOZ_GROUPS)
        path = os.path.join(directory, 'haproxy.cfg')
        with open(path, 'w') as handle:
            handle.write(cfg)
        return self._process(member, [_need('haproxy'), '-db', '-f', path])

    def haproxy_good(self, member, port):
        return self._haproxy(member, port, MOZ_CIPHERS, dhparam=True)

    def haproxy_weak(self, member, port):
        return self._haproxy(member, port, WEAK_CIPHERS)

    # openssl s_server -------------------------------------------------------------------------------
    def _sserver(self, member, port, ciphers, extra=()):
        leaf = self.leaves[member.name]
        argv = [_need('openssl'), 's_server', '-accept', '%s:%d' % (HOST, port), '-www',
                '-cert', leaf.cert, '-key', leaf.key, '-min_protocol', 'TLSv1.2',
                '-cipher', ciphers, '-ciphersuites', MOZ_CIPHERSUITES, '-groups', MOZ_GROUPS]
        if not member.cert.get('self_signed'):
            argv += ['-cert_chain', self.ca.cert]
        return self._process(member, argv + list(extra), env=dict(os.environ, LC_ALL='C'))

    def sserver(self, member, port):
        # OpenSSL 3 refuses to load an RSA-1024 or a SHA-1-signed certificate above security level 0
        weak = member.cert.get('key_size', 2048) < 2048 or member.cert.get('hash_name') == 'sha1'
        return self._sserver(member, port, MOZ_ECDHE_CIPHERS + (':@SECLEVEL=0' if weak else ''))

    def sserver_dh1024(self, member, port):
        # security level 1 (80 bits) is the highest that still allows a 1024-bit DH group
        return self._sserver(member, port, MOZ_CIPHERS + ':@SECLEVEL=1', ['-dhparam', self.dh1024()])

    # Python servers ---------------------------------------------------------------------------------
    def _python(self, member, args):
        env = dict(os.environ, PYTHONPATH=os.pathsep.join([REPO] + [p for p in [os.environ.get('PYTHONPATH')] if p]))
        return self._process(member, [sys.executable, '-m', 'lab.tls_servers', '_serve'] + [str(a) for a in args], env=env)

    def python_default(self, member, port):
        leaf = self.leaves[member.name]
        return self._python(member, ['python-default', port, leaf.chain, leaf.key])

    def silent(self, member, port):
        return self._python(member, ['silent', port])

    def garbage(self, member, port):
        return self._python(member, ['garbage', port])

    def closed(self, member, port):
        # bound but never listening: the kernel answers RST (refused), and no other program can take the port
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind((HOST, port))
        self.stack.callback(sock.close)
        return None


def _select(names):
    if names is None:
        return list(MEMBERS)
    unknown = [n for n in names if n not in MEMBER_NAMES]
    if unknown:
        raise ValueError('unknown corpus member(s) %s; known: %s' % (', '.join(unknown), ', '.join(MEMBER_NAMES)))
    return [m for m in MEMBERS if m.name in names]


def start_corpus(workdir, names=None, ready_timeout=20.0):
    """Start the corpus (or the members in ``names``) in ``workdir``; return a running ``Corpus``."""
    from lab.pki import CA
    from lab.proc import LabError, Stack, free_port, wait_port

    members = _select(names)
    timings = {}
    started = time.monotonic()
    for sub in ('logs', 'srv', 'cache'):
        os.makedirs(os.path.join(workdir, sub), exist_ok=True)
    stack = Stack()
    try:
        # 1. the slow part first, in the background: 1024-bit DH parameters (cached per workdir)
        dh_path = os.path.join(workdir, 'cache', 'dh1024.pem')
        dh_proc = None
        if any(m.start == 'sserver_dh1024' for m in members) and not os.path.exists(dh_path):
            dh_proc = subprocess.Popen([_need('openssl'), 'dhparam', '-out', dh_path + '.tmp', '1024'],
                                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
            stack.callback(lambda: dh_proc.poll() is None and dh_proc.kill())

        def dh1024():
            if dh_proc is not None and not os.path.exists(dh_path):
                begin = time.monotonic()
                try:
                    dummy, err = dh_proc.communicate(timeout=120)
                except subprocess.TimeoutExpired:
                    dh_proc.kill()
                    raise LabError('openssl dhparam 1024 did not finish within 120 s')
                if dh_proc.returncode != 0:
                    raise LabError('openssl dhparam 1024 failed: %s' % err.decode('utf-8', 'replace'))
                os.rename(dh_path + '.tmp', dh_path)
                timings['dh1024_wait'] = round(time.monotonic() - begin, 3)
            return dh_path

        # 2. PKI
        begin = time.monotonic()
        ca = CA(os.path.join(workdir, 'pki'))
        leaves = {}
        for member in members:
            if member.cert is not None:
                args = dict(member.cert)
                sha1 = args.pop('hash_name', None) == 'sha1'
                leaves[member.name] = ca.issue(member.name, **args)
                if sha1:
                    _sha1_leaf(ca, leaves[member.name], os.path.join(workdir, 'pki'))
                else:
                    _webpki_leaf(ca, leaves[member.name])
        ffdhe2048 = None
        if any(m.start in ('nginx_good', 'haproxy_good') for m in members):
            # RFC 7919 ffdhe2048, what Mozilla's generated config downloads (no generation needed)
            ffdhe2048 = os.path.join(workdir, 'pki', 'ffdhe2048.pem')
            subprocess.run([_need('openssl'), 'genpkey', '-genparam', '-algorithm', 'DH', '-pkeyopt', 'group:ffdhe2048',
                            '-out', ffdhe2048], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=30)
        timings['pki'] = round(time.monotonic() - begin, 3)

        # 3. processes (the DH member last, so the others start while dhparam runs)
        begin = time.monotonic()
        starter = _Starter(workdir, stack, ca, leaves, dh1024, ffdhe2048)
        servers, taken = [], set()
        for member in sorted(members, key=lambda m: m.start == 'sserver_dh1024'):
            port = free_port(HOST)
            while port in taken:            # free_port() may hand out a port again before its server bound it
                port = free_port(HOST)
            taken.add(port)
            process = getattr(starter, member.start)(member, port)
            servers.append(Server(member, port, workdir, cert=leaves.get(member.name), process=process))
        for server in servers:
            if server.process is not None:
                wait_port(HOST, server.port, timeout=ready_timeout, proc=server.process.popen, name=server.name, log=server.process.log)
        timings['processes'] = round(time.monotonic() - begin, 3)
        timings['total'] = round(time.monotonic() - started, 3)
        order = {m.name: i for i, m in enumerate(MEMBERS)}
        servers.sort(key=lambda s: order[s.name])
        return Corpus(workdir, stack, ca.cert, servers, timings)
    except BaseException:
        stack.close()
        raise


# --- the reference scanner: sslyze's Mozilla checker (for the parity test and the benchmark) ---------

def sslyze_version():
    try:
        from importlib.metadata import version
        return version('sslyze')
    except Exception:  # pylint: disable=broad-except
        return None


def sslyze_mozilla(endpoints, ca_file=None, level='intermediate', timeout=5, concurrent_scans=None, per_server_connections=None):
    """Run sslyze (6.2+) and its Mozilla checker on ``endpoints`` (dicts as ``Server.endpoint()``).

    Returns one dict per endpoint, in order: ``{verdict: compliant | non_compliant | error, issues: {criterion: text},
    error: text or None, seconds: None}``.  ``ca_file`` is passed as sslyze's ``custom_ca_file`` (an extra trust store
    next to its bundled ones).  sslyze 6.1 and older name the module ``mozilla_config_checker`` and wrongly fail P-256:
    they are refused here.
    """
    from sslyze import (CertificateInfoExtraArgument, Scanner, ScanCommandsExtraArguments, ServerNetworkConfiguration,
                        ServerNetworkLocation, ServerScanRequest, ServerScanStatusEnum)
    from sslyze.mozilla_tls_profile.tls_config_checker import (SCAN_COMMANDS_NEEDED_BY_MOZILLA_CHECKER, MozillaTlsConfiguration,
                                                               ServerNotCompliantWithTlsConfiguration, ServerScanResultIncomplete,
                                                               TlsConfigurationEnum, check_server_against_tls_configuration)
    from pathlib import Path

    config = MozillaTlsConfiguration.get(TlsConfigurationEnum(level))
    extra = ScanCommandsExtraArguments(certificate_info=CertificateInfoExtraArgument(custom_ca_file=Path(ca_file))) if ca_file else None
    requests = []
    for ep in endpoints:
        kwargs = dict(server_location=ServerNetworkLocation(hostname=ep.get('server_name') or ep['host'], port=ep['port'], ip_address=ep['host']),
                      network_configuration=ServerNetworkConfiguration(tls_server_name_indication=ep.get('server_name') or ep['host'],
                                                                       network_timeout=int(timeout), network_max_retries=1),
                      scan_commands=set(SCAN_COMMANDS_NEEDED_BY_MOZILLA_CHECKER))
        if extra is not None:
            kwargs['scan_commands_extra_arguments'] = extra
        requests.append(ServerScanRequest(**kwargs))
    scanner = Scanner(concurrent_server_scans_limit=concurrent_scans, per_server_concurrent_connections_limit=per_server_connections)
    scanner.queue_scans(requests)
    by_uuid = {}
    for result in scanner.get_results():
        by_uuid[result.uuid] = result
    out = []
    for request in requests:
        result = by_uuid.get(request.uuid)
        entry = dict(verdict='error', issues={}, error=None)
        if result is None:
            entry['error'] = 'no result'
        elif result.scan_status != ServerScanStatusEnum.COMPLETED:
            trace = result.connectivity_error_trace
            entry['error'] = '%s: %s' % (result.connectivity_status.name, ''.join(trace.format_exception_only()).strip() if trace else '')
        else:
            try:
                check_server_against_tls_configuration(result, config)
                entry['verdict'] = 'compliant'
            except ServerNotCompliantWithTlsConfiguration as exc:
                entry['verdict'] = 'non_compliant'
                entry['issues'] = dict(exc.issues)
            except ServerScanResultIncomplete as exc:
                entry['error'] = 'incomplete: %s' % exc
        out.append(entry)
    return out


# --- the corpus's own small servers (python -m lab.tls_servers _serve KIND PORT ...) -----------------

def _listen(port):
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((HOST, port))
    sock.listen(128)
    return sock


def _serve_forever(sock, handler):
    while True:
        conn, dummy = sock.accept()
        thread = threading.Thread(target=handler, args=(conn,))
        thread.daemon = True
        thread.start()


def _python_default(conn, ctx):
    try:
        conn.settimeout(10)
        tls = ctx.wrap_socket(conn, server_side=True)
        try:
            tls.recv(4096)
            tls.sendall(b'HTTP/1.1 200 OK\r\nContent-Length: 3\r\nConnection: close\r\n\r\nok\n')
        finally:
            tls.close()
    except (OSError, ValueError):
        pass
    finally:
        conn.close()


def _silent(conn, held=[]):  # pylint: disable=dangerous-default-value
    held.append(conn)               # keep it open, never send; the process's end closes it


def _garbage(conn):
    try:
        conn.settimeout(2)
        try:
            conn.recv(4096)         # let the ClientHello arrive, then answer nonsense
        except OSError:
            pass
        conn.sendall(GARBAGE)
        conn.shutdown(socket.SHUT_WR)
        time.sleep(0.2)
    except OSError:
        pass
    finally:
        conn.close()


def _serve(argv):
    kind, port = argv[0], int(argv[1])
    sock = _listen(port)
    if kind == 'python-default':
        import ssl
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ctx.load_cert_chain(argv[2], argv[3])
        _serve_forever(sock, lambda conn: _python_default(conn, ctx))
    elif kind == 'silent':
        _serve_forever(sock, _silent)
    elif kind == 'garbage':
        _serve_forever(sock, _garbage)
    else:
        raise SystemExit('unknown kind %s' % kind)


if __name__ == '__main__':
    if len(sys.argv) >= 3 and sys.argv[1] == '_serve':
        _serve(sys.argv[2:])
    else:
        raise SystemExit('internal entry point: python -m lab.tls_servers _serve KIND PORT [ARGS]; use start_corpus() from Python')
