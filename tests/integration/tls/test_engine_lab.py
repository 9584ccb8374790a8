# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Servers for the engine tests (test_engine_*.py); this module holds no test.

* ``Pki``: a throw-away CA and leaves with AKI/SKI (what the WebPKI verifier wants), made at setup.
* ``Lab``: starts ``openssl s_server`` and nginx processes on 127.0.0.1, stopped by PID.
* ``python test_engine_lab.py serve KIND PORT ...`` runs the small Python servers:
  STARTTLS servers (smtp, imap, pop3, ftp, xmpp, ldap, postgres; real TLS with the ``ssl`` module
  after the real clear-text exchange) and ``legacy``: a scripted pre-2015 TLS stack.

The ``legacy`` server is a MOCK, on purpose: SSLv2, SSLv3, TLS compression, servers without secure
renegotiation or extended master secret, Heartbleed, CCS injection and a ROBOT oracle cannot exist
with Debian 12's OpenSSL 3 (nothing here can build the old OpenSSL releases). It answers ClientHellos
with hand-built ServerHello flights (its certificate and RSA key are generated at setup) and reacts to
the probes the way the vulnerable implementations did; every behaviour is switched by a flag, so each
check is tested both ways.
"""

from __future__ import absolute_import, division, print_function

import datetime
import ipaddress
import json
import os
import shutil
import socket
import ssl
import struct
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, '..', '..', '..'))
if REPO not in sys.path:
    sys.path.insert(0, REPO)
from lab.paths import collections_root  # noqa: E402  pylint: disable=wrong-import-position

if collections_root() not in sys.path:
    sys.path.insert(0, collections_root())

HOST = '127.0.0.1'
MOZ_CIPHERS = ('ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:'
               'ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384:'
               'DHE-RSA-CHACHA20-POLY1305')
MOZ_SUITES = 'TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256'
MOZ_GROUPS = 'X25519:P-256:P-384'
# openssl s_server arguments for Mozilla intermediate
INTERMEDIATE_ARGS = ['-min_protocol', 'TLSv1.2', '-cipher', MOZ_CIPHERS, '-ciphersuites', MOZ_SUITES, '-groups', MOZ_GROUPS]


def which(name):
    return shutil.which(name) or (os.path.exists('/usr/sbin/' + name) and '/usr/sbin/' + name) or None


# --------------------------------------------------------------------------------------------
# PKI
# --------------------------------------------------------------------------------------------

class Leaf(object):
    def __init__(self, cert, key, chain, der):
        self.cert, self.key, self.chain, self.der = cert, key, chain, der


class Pki(object):
    """A CA in ``directory``; ``issue()`` writes PEM files and returns their paths."""

    def __init__(self, directory):
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import rsa
        from cryptography.x509.oid import NameOID
        self.directory = directory
        os.makedirs(directory, exist_ok=True)
        now = datetime.datetime.now(datetime.timezone.utc)
        self._key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, 'Engine Test CA')])
        self._cert = (x509.CertificateBuilder().subject_name(self.name).issuer_name(self.name).public_key(self._key.public_key())
                      .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(days=1))
                      .not_valid_after(now + datetime.timedelta(days=3650))
                      .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
                      .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
                      .add_extension(x509.SubjectKeyIdentifier.from_public_key(self._key.public_key()), critical=False)
                      .sign(self._key, hashes.SHA256()))
        self.cert = os.path.join(directory, 'ca.pem')
        with open(self.cert, 'wb') as handle:
            handle.write(self._cert.public_bytes(serialization.Encoding.PEM))

    def issue(self, name, key_type='rsa', key_size=2048, curve='secp256r1', days=90, sans=('localhost', '127.0.0.1'), client=False):
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import ec, rsa
        from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
        if key_type == 'rsa':
            key = rsa.generate_private_key(public_exponent=65537, key_size=key_size)
        else:
            key = ec.generate_private_key({'secp256r1': ec.SECP256R1, 'secp384r1': ec.SECP384R1, 'secp521r1': ec.SECP521R1}[curve]())
        now = datetime.datetime.now(datetime.timezone.utc)
        names = []
        for san in sans:
            try:
                names.append(x509.IPAddress(ipaddress.ip_address(san)))
            except ValueError:
                names.append(x509.DNSName(san))
        cert = (x509.CertificateBuilder().subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)]))
                .issuer_name(self.name).public_key(key.public_key()).serial_number(x509.random_serial_number())
                .not_valid_before(now - datetime.timedelta(days=1)).not_valid_after(now - datetime.timedelta(days=1) + datetime.timedelta(days=days))
                .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
                .add_extension(x509.SubjectAlternativeName(names), critical=False)
                .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH if client else ExtendedKeyUsageOID.SERVER_AUTH]),
                               critical=False)
                .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
                .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(self._key.public_key()), critical=False)
                .sign(self._key, hashes.SHA256()))
        base = os.path.join(self.directory, name)
        pem = cert.public_bytes(serialization.Encoding.PEM)
        ca_pem = self._cert.public_bytes(serialization.Encoding.PEM)
        with open(base + '.pem', 'wb') as handle:
            handle.write(pem)
        with open(base + '.chain.pem', 'wb') as handle:
            handle.write(pem + ca_pem)
        with open(base + '.key', 'wb') as handle:
            handle.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
                                           serialization.NoEncryption()))
        os.chmod(base + '.key', 0o600)
        return Leaf(base + '.pem', base + '.key', base + '.chain.pem', cert.public_bytes(serialization.Encoding.DER))

    def ocsp_response(self, leaf, path):
        """A DER OCSP response 'good' for ``leaf``, signed by the CA (for -status_file / stapling)."""
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.x509 import ocsp
        cert = x509.load_der_x509_certificate(leaf.der)
        now = datetime.datetime.now(datetime.timezone.utc)
        builder = ocsp.OCSPResponseBuilder().add_response(
            cert=cert, issuer=self._cert, algorithm=hashes.SHA256(), cert_status=ocsp.OCSPCertStatus.GOOD, this_update=now,
            next_update=now + datetime.timedelta(days=1), revocation_time=None, revocation_reason=None,
        ).responder_id(ocsp.OCSPResponderEncoding.HASH, self._cert)
        with open(path, 'wb') as handle:
            handle.write(builder.sign(self._key, hashes.SHA256()).public_bytes(serialization.Encoding.DER))
        return path


# The 1024-bit MODP group of RFC 2409 (Oakley group 2): a well-known safe prime, so a server with
# weak DH needs no slow ``openssl dhparam 1024`` at setup.
OAKLEY_GROUP_2 = int(
    'FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD'
    'EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED'
    'EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE65381FFFFFFFFFFFFFFFF', 16)


def dh1024_file(path):
    """PEM (PKCS#3) DH parameters of OAKLEY_GROUP_2, generator 2."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import dh
    params = dh.DHParameterNumbers(OAKLEY_GROUP_2, 2).parameters()
    with open(path, 'wb') as handle:
        handle.write(params.parameter_bytes(serialization.Encoding.PEM, serialization.ParameterFormat.PKCS3))
    return path


# --------------------------------------------------------------------------------------------
# Processes
# --------------------------------------------------------------------------------------------

class Lab(object):
    """Processes started in ``workdir``; ``stop()`` ends them by PID (lab.proc)."""

    def __init__(self, workdir):
        from lab.proc import Stack
        self.workdir = workdir
        self.stack = Stack()
        self.pki = Pki(os.path.join(workdir, 'pki'))

    def _start(self, name, argv, env=None):
        from lab.proc import Process, free_port, wait_port
        port = free_port(HOST)
        argv = [a.replace('{port}', str(port)) for a in argv]
        log = os.path.join(self.workdir, name + '.log')
        proc = self.stack.add(Process(name, argv, log, cwd=self.workdir, env=env))
        wait_port(HOST, port, timeout=20, proc=proc.popen, name=name, log=log)
        return port

    def s_server(self, name, leaf, args=(), env=None):
        argv = [which('openssl'), 's_server', '-accept', '%s:{port}' % HOST, '-www', '-quiet', '-cert', leaf.cert, '-key', leaf.key,
                '-cert_chain', self.pki.cert] + list(args)
        return self._start(name, argv, env=dict(os.environ, LC_ALL='C', **(env or {})))

    def nginx(self, name, server_block, ssl=True):
        conf_dir = os.path.join(self.workdir, name)
        os.makedirs(conf_dir, exist_ok=True)
        conf = os.path.join(conf_dir, 'nginx.conf')
        from lab.proc import free_port
        port = free_port(HOST)
        temp = ''.join('%s_temp_path %s;\n' % (t, os.path.join(conf_dir, t)) for t in ('client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'))
        with open(conf, 'w') as handle:
            handle.write('daemon off;\nmaster_process off;\nworker_processes 1;\npid %s;\nerror_log %s warn;\nevents { worker_connections 256; }\n'
                         'http {\naccess_log off;\n%sserver {\nlisten %s:%d%s;\nserver_name localhost;\n%s\nlocation / { return 200 "ok\\n"; }\n}\n}\n'
                         % (os.path.join(conf_dir, 'nginx.pid'), os.path.join(conf_dir, 'error.log'), temp, HOST, port, ' ssl' if ssl else '',
                            server_block))
        from lab.proc import Process, wait_port
        log = os.path.join(self.workdir, name + '.log')
        proc = self.stack.add(Process(name, [which('nginx'), '-c', conf, '-p', conf_dir], log, cwd=conf_dir))
        wait_port(HOST, port, timeout=20, proc=proc.popen, name=name, log=log)
        return port

    def python(self, name, kind, *args):
        argv = [sys.executable, os.path.abspath(__file__), 'serve', kind, '{port}'] + [str(a) for a in args]
        return self._start(name, argv, env=dict(os.environ, PYTHONPATH=REPO))

    def stop(self):
        self.stack.close()


# --------------------------------------------------------------------------------------------
# Python servers
# --------------------------------------------------------------------------------------------

def _read_line(conn, buf=b''):
    while b'\n' not in buf:
        chunk = conn.recv(4096)
        if not chunk:
            raise EOFError()
        buf += chunk
    line, rest = buf.split(b'\n', 1)
    return line, rest


def _tls(conn, ctx):
    try:
        tls = ctx.wrap_socket(conn, server_side=True)
        tls.recv(1)
        tls.close()
    except (OSError, ssl.SSLError, ValueError):
        pass


def _starttls_handler(kind, ctx, offer=True):
    def handle(conn):
        conn.settimeout(5)
        try:
            if kind == 'smtp':
                conn.sendall(b'220 mail.test ESMTP\r\n')
                line, rest = _read_line(conn)
                if not line.upper().startswith(b'EHLO'):
                    return
                conn.sendall(b'250-mail.test\r\n250-SIZE 1000\r\n' + (b'250-STARTTLS\r\n' if offer else b'') + b'250 HELP\r\n')
                line, rest = _read_line(conn, rest)
                if line.strip().upper() != b'STARTTLS' or not offer:
                    conn.sendall(b'502 no\r\n')
                    return
                conn.sendall(b'220 go ahead\r\n')
            elif kind == 'imap':
                conn.sendall(b'* OK [CAPABILITY IMAP4rev1 STARTTLS] ready\r\n')
                line, _rest = _read_line(conn)
                tag = line.split(b' ', 1)[0]
                conn.sendall(tag + b' OK Begin TLS negotiation now\r\n')
            elif kind == 'pop3':
                conn.sendall(b'+OK POP3 ready\r\n')
                line, _rest = _read_line(conn)
                conn.sendall(b'+OK Begin TLS\r\n' if line.strip() == b'STLS' else b'-ERR\r\n')
            elif kind == 'ftp':
                conn.sendall(b'220-Welcome\r\n220 FTP ready\r\n')
                line, _rest = _read_line(conn)
                conn.sendall(b'234 AUTH TLS OK\r\n' if line.strip() == b'AUTH TLS' else b'500 no\r\n')
            elif kind == 'xmpp':
                data = b''
                while b'<stream:stream' not in data or not data.rstrip().endswith(b'>'):
                    data += conn.recv(4096)
                conn.sendall(b"<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' "
                             b"id='1' from='localhost' version='1.0'><stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'>"
                             b"<required/></starttls></stream:features>")
                data = b''
                while b'starttls' not in data:
                    data += conn.recv(4096)
                conn.sendall(b"<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>")
            elif kind == 'ldap':
                data = conn.recv(4096)
                if b'1.3.6.1.4.1.1466.20037' not in data:
                    return
                # LDAPMessage {messageID 1, ExtendedResponse {resultCode success, matchedDN "", diagnosticMessage ""}}
                conn.sendall(bytes.fromhex('300c02010178070a010004000400'))
            elif kind == 'postgres':
                data = conn.recv(8)
                if data != struct.pack('!II', 8, 80877103):
                    return
                conn.sendall(b'S' if offer else b'N')
                if not offer:
                    return
            _tls(conn, ctx)
        except (OSError, EOFError):
            pass
        finally:
            conn.close()
    return handle


def _serve_forever(port, handler):
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((HOST, port))
    sock.listen(128)
    while True:
        conn, _addr = sock.accept()
        thread = threading.Thread(target=handler, args=(conn,))
        thread.daemon = True
        thread.start()


# ---- the scripted legacy TLS stack (a mock, see the module docstring) ----------------------------

LEGACY_DEFAULTS = {
    'min_version': 0x0300, 'max_version': 0x0303, 'sslv2': False, 'suites': [0xC013, 0x0033, 0x002F, 0x000A],
    'compression': False, 'secure_renegotiation': True, 'ems': True, 'fallback_scsv': True, 'heartbleed': False,
    'ccs_injection': False, 'robot_oracle': False, 'dh_bits': 2048, 'silent_after': None,
}


def _recv_exact_record(conn, buf):
    while len(buf) < 5 or len(buf) < 5 + struct.unpack('!H', buf[3:5])[0]:
        chunk = conn.recv(65536)
        if not chunk:
            raise EOFError()
        buf += chunk
    length = struct.unpack('!H', buf[3:5])[0]
    return (buf[0], buf[5:5 + length]), buf[5 + length:]


def _legacy_handler(cfg, cert_der, rsa_numbers, counter):
    from ansible_collections.scs.secure_connections.plugins.module_utils._tls import wire as w

    def alert(conn, version, code):
        conn.sendall(w.alert_record(version, 2, code))

    def handle(conn):
        conn.settimeout(5)
        try:
            first = conn.recv(65536)
            if not first:
                return
            if cfg['silent_after'] is not None:
                if len(counter) >= cfg['silent_after']:
                    time.sleep(30)      # answered enough ClientHellos: from now on, silence
                    return
                counter.append(1)
            if first[0] & 0x80 and len(first) > 2 and first[2] == 1:       # SSLv2 CLIENT-HELLO
                if cfg['sslv2']:
                    specs = b'\x01\x00\x80\x07\x00\xc0'
                    msg = struct.pack('!BBBHHHH', 4, 0, 1, 2, len(cert_der), len(specs), 16) + cert_der + specs + b'\x11' * 16
                    conn.sendall(struct.pack('!H', 0x8000 | len(msg)) + msg)
                return
            (ctype, payload), rest = _recv_exact_record(conn, first)
            if ctype != 22 or payload[0] != 1:
                return
            ch = w.parse_client_hello(payload[4:])
            rv = ch['legacy_version']
            if rv < cfg['min_version']:
                return alert(conn, cfg['min_version'], 70)
            version = min(rv, cfg['max_version'])
            if w.SCSV_FALLBACK in ch['cipher_suites'] and version < cfg['max_version'] and cfg['fallback_scsv']:
                return alert(conn, version, 86)
            choice = None
            for code in ch['cipher_suites']:
                suite = w.CIPHER_SUITES.get(code)
                if code in cfg['suites'] and suite and not (suite.tls12_only and version < 0x0303):
                    choice = suite
                    break
            if choice is None:
                return alert(conn, version, 40)
            if choice.kex_class == 'ecdhe' and 23 not in ch['groups']:
                return alert(conn, version, 40)
            exts = b''
            if cfg['secure_renegotiation'] and (0xFF01 in ch['extensions'] or 0x00FF in ch['cipher_suites']):
                exts += b'\xff\x01\x00\x01\x00'
            if cfg['ems'] and 23 in ch['extensions']:
                exts += b'\x00\x17\x00\x00'
            if cfg['heartbleed'] and 15 in ch['extensions']:
                exts += b'\x00\x0f\x00\x01\x01'
            compression = 1 if cfg['compression'] and 1 in ch['compression_methods'] else 0
            body = struct.pack('!H', version) + os.urandom(32) + b'\x20' + os.urandom(32) + struct.pack('!HB', choice.code, compression)
            if exts:
                body += struct.pack('!H', len(exts)) + exts
            flight = w.handshake(2, body)
            certs = struct.pack('!I', len(cert_der))[1:] + cert_der
            flight += w.handshake(11, struct.pack('!I', len(certs))[1:] + certs)
            sig = (b'\x04\x01' if version >= 0x0303 else b'') + b'\x00\x80' + os.urandom(128)
            if choice.kex_class == 'ecdhe':
                flight += w.handshake(12, b'\x03\x00\x17\x41\x04' + os.urandom(64) + sig)
            elif choice.kex_class == 'dhe':
                plen = cfg['dh_bits'] // 8
                flight += w.handshake(12, struct.pack('!H', plen) + b'\xff' * plen + b'\x00\x01\x02' + struct.pack('!H', plen) + os.urandom(plen) + sig)
            flight += w.handshake(14, b'')
            conn.sendall(w.record(22, version, flight))
            ccs_seen = False
            buf = rest
            while True:
                (ctype, payload), buf = _recv_exact_record(conn, buf)
                if ctype == 24 and cfg['heartbleed'] and payload[:1] == b'\x01':
                    length = struct.unpack('!H', payload[1:3])[0]
                    conn.sendall(w.record(24, version, b'\x02' + struct.pack('!H', length) + payload[3:3 + length] + os.urandom(16)))
                elif ctype == 24:
                    continue                        # patched: requests without padding are dropped silently
                elif ctype == 20 and not ccs_seen:
                    ccs_seen = True
                    if not cfg['ccs_injection']:
                        return alert(conn, version, 10)
                elif ctype == 23:
                    return alert(conn, version, 20 if cfg['ccs_injection'] else 10)
                elif ctype == 22 and payload[:1] == b'\x10':
                    answer = _robot_answer(cfg, payload, rsa_numbers, version)
                    (_t, _p), buf = _recv_exact_record(conn, buf)      # ChangeCipherSpec
                    (_t, _p), buf = _recv_exact_record(conn, buf)      # Finished
                    if answer is None:
                        return
                    return alert(conn, version, answer)
        except (OSError, EOFError, ValueError):
            pass
        finally:
            conn.close()
    return handle


def _robot_answer(cfg, payload, rsa_numbers, version):
    """Alert code (or None = close) for a ClientKeyExchange: an oracle answers differently per padding error."""
    n, d = rsa_numbers
    size = (n.bit_length() + 7) // 8
    body = payload[4:]
    cipher = body if version == 0x0300 else body[2:]
    block = pow(int.from_bytes(cipher, 'big'), d, n).to_bytes(size, 'big')
    if not cfg['robot_oracle']:
        return 20
    if block[:2] != b'\x00\x02':
        return 51
    if b'\x00' not in block[2:]:
        return None
    if block.index(b'\x00', 2) != size - 49:
        return 47
    return 20


def serve(argv):
    kind, port = argv[0], int(argv[1])
    if kind == 'legacy':
        from cryptography.hazmat.primitives.serialization import load_pem_private_key
        cfg = dict(LEGACY_DEFAULTS)
        cfg.update(json.loads(argv[2]))
        with open(argv[3], 'rb') as handle:
            from cryptography import x509
            from cryptography.hazmat.primitives import serialization
            cert_der = x509.load_pem_x509_certificate(handle.read()).public_bytes(serialization.Encoding.DER)
        with open(argv[4], 'rb') as handle:
            key = load_pem_private_key(handle.read(), None)
        nums = key.private_numbers()
        _serve_forever(port, _legacy_handler(cfg, cert_der, (nums.public_numbers.n, nums.d), []))
    offer = not kind.endswith('-nostarttls')
    kind = kind.replace('-nostarttls', '')
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(argv[2], argv[3])
    _serve_forever(port, _starttls_handler(kind, ctx, offer=offer))


if __name__ == '__main__':
    if len(sys.argv) >= 4 and sys.argv[1] == 'serve':
        serve(sys.argv[2:])
    else:
        raise SystemExit('usage: test_engine_lab.py serve KIND PORT ARGS... (started by the engine tests)')
