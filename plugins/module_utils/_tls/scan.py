# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The TLS prober: what a server accepts, found with hand-built ClientHellos.

Public API (other parts of the collection and the lab depend on it, keep it stable)::

    scan_endpoint(endpoint, options) -> dict       # one endpoint result
    scan_endpoints(endpoints, options) -> list     # concurrent (options['concurrency'], default 16), input order

``endpoint``: ``{host, port, server_name?, starttls?, label?}``; ``options``: ``{timeout, ca_files,
client_cert, client_key, concurrency, check_hsts}``. The result shape is the "tls_endpoint_info
endpoint result" of docs/architecture.md (without its ``mozilla`` block: this library observes, it
does not judge; ``_core/mozilla.evaluate`` does); docs/tls.md explains every probe.

How an endpoint is scanned (every connection is short: it ends as soon as the answer is read):

0. one "browser-like" ClientHello (TLS 1.3 .. 1.0, all suites, GREASE) classifies the port
   (refused / timeout / plaintext / not TLS / TLS) and yields the default certificate chain;
1. per version SSLv2 .. TLS 1.3 one ClientHello with every suite of that version; where the version
   is accepted, suites are enumerated by elimination (offer, read the choice, remove, repeat) in
   independent partitions by key exchange (ECDHE-ECDSA, other ECDHE, DHE, RSA, rest) that run in
   parallel; TLS 1.3 suites and groups are read from HelloRetryRequests (empty key_share), which
   costs the server no signature; TLS 1.2 curves by elimination with ECDHE-only hellos;
2. fallback SCSV, Heartbleed, CCS injection (only where TLS <= 1.2 is spoken), the TLS 1.3
   certificate (the encrypted flight is decrypted with the handshake keys), HSTS;
3. server cipher order (one hello with two accepted suites swapped) and ROBOT (only where static
   RSA key exchange is accepted).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress
import itertools
import os
import re
import socket
import struct
import threading
import time

from ansible_collections.scs.secure_connections.plugins.module_utils._core import deadline as _deadline
from ansible_collections.scs.secure_connections.plugins.module_utils._tls import wire
from ansible_collections.scs.secure_connections.plugins.module_utils._tls import x509 as _x509


def _lazy_ssl():
    """The ssl module, imported only for the few real handshakes (it costs memory every scan would pay)."""
    import ssl  # pylint: disable=import-outside-toplevel
    return ssl


STARTTLS_KINDS = ('none', 'mysql', 'postgres', 'smtp', 'imap', 'pop3', 'ftp', 'ldap', 'xmpp')
ERROR_KINDS = ('refused', 'timeout', 'not_tls', 'plaintext', 'dns', 'protocol', 'internal')

DEFAULT_OPTIONS = {
    'timeout': 5.0,
    'ca_files': [],
    'client_cert': None,
    'client_key': None,
    'concurrency': 16,
    'check_hsts': False,
    # Not part of the documented API: connections in flight per endpoint, and the whole-endpoint
    # deadline (default: 8 x timeout, at least 20 s).
    'parallelism': 6,
    'endpoint_timeout': None,
}

_MAX_READ = 512 * 1024  # never buffer more than this from one connection


class ScanError(Exception):
    """The endpoint could not be scanned; ``kind`` is one of ERROR_KINDS."""

    def __init__(self, kind, message):
        super(ScanError, self).__init__(message)
        self.kind, self.message = kind, message


class _Eof(Exception):
    """The peer closed or reset the connection (one reason: which of the two arrives is a race)."""


class _Timeout(Exception):
    """No (complete) answer within the operation timeout or the handshake / connection deadline."""


class _ConnDeadline(ScanError):
    """One connection exceeded its deadline (a ScanError while connecting, a _Timeout after)."""


class _Oversized(Exception):
    """A record header announces more than TLS allows (2^14 + 2048 bytes)."""

    def __init__(self, length):
        super(_Oversized, self).__init__('a TLS record of %d bytes (more than the 18432 bytes TLS allows)' % length)
        self.length = length


class _NotTls(Exception):
    """The peer answered with something that is not TLS."""

    def __init__(self, data):
        super(_NotTls, self).__init__('not TLS')
        self.data = data


def _is_ip(host):
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        return False


def describe_plaintext(data):
    """(kind, message) for a non-TLS answer: 'plaintext' for a recognised clear-text protocol, else 'not_tls'."""
    head = data[:200]
    if head.startswith(b'HTTP/'):
        line = head.split(b'\r\n', 1)[0].decode('latin-1')
        return 'plaintext', 'the port answers plain HTTP ("%s"), not TLS' % line
    if len(head) >= 5 and head[3] == 0 and head[4] == 10 and int.from_bytes(head[:3], 'little') + 4 >= len(head[:5]):
        version = head[5:].split(b'\x00', 1)[0].decode('latin-1', 'replace')
        return 'plaintext', 'the port answers with a MySQL server greeting (server %s), not TLS; use starttls: mysql' % version
    if len(head) >= 5 and head[3] == 0 and head[4] == 0xFF:
        msg = head[7:].decode('latin-1', 'replace').strip()
        return 'plaintext', 'the port answers with a MySQL error packet ("%s"), not TLS' % msg
    if head.startswith(b'AMQP'):
        return 'plaintext', 'the port speaks plain AMQP (protocol header %r), not TLS' % head[:8]
    if len(head) >= 6 and head[:1] == b'E' and head[5:6] == b'S' and int.from_bytes(head[1:5], 'big') < 4096:
        text = head[6:].split(b'\x00', 1)[0].decode('latin-1', 'replace')
        return 'plaintext', 'the port answers with a PostgreSQL error (%s), not TLS; use starttls: postgres' % text
    text = head.split(b'\n', 1)[0].rstrip(b'\r')
    if text and all(32 <= b < 127 or b == 9 for b in text):
        line = text.decode('ascii')
        for prefix, proto in (('SSH-', 'SSH'), ('220', 'SMTP/FTP'), ('* OK', 'IMAP'), ('+OK', 'POP3'), ('<?xml', 'XMPP')):
            if line.startswith(prefix):
                return 'plaintext', 'the port answers %s in clear text ("%s"), not TLS' % (proto, line[:120])
        return 'plaintext', 'the port answers clear text ("%s"), not TLS' % line[:120]
    return 'not_tls', 'the answer is not TLS (first bytes: %s)' % head[:16].hex()


class Target(object):
    """One endpoint: address resolved once, deadline, connection counter, STARTTLS preamble."""

    def __init__(self, endpoint, options):
        if not isinstance(endpoint, dict):
            raise ScanError('internal', 'endpoint must be a mapping with host and port, got %r' % (endpoint,))
        self.host = str(endpoint.get('host') or '').strip()
        if not self.host:
            raise ScanError('internal', 'invalid endpoint: no host given (%r)' % (endpoint,))
        try:
            self.port = int(endpoint.get('port'))
            if not 0 < self.port < 65536:
                raise ValueError()
        except (TypeError, ValueError):
            raise ScanError('internal', 'endpoint %s has an invalid port %r' % (self.host, endpoint.get('port')))
        self.starttls = endpoint.get('starttls') or 'none'
        if self.starttls not in STARTTLS_KINDS:
            raise ScanError('internal', 'unknown starttls %r (one of %s)' % (self.starttls, ', '.join(STARTTLS_KINDS)))
        sni = endpoint.get('server_name')
        if sni is None:
            sni = None if _is_ip(self.host.strip('[]')) else self.host
        self.server_name = str(sni) if sni else None
        if self.server_name:
            try:
                self.server_name.encode('idna')
            except UnicodeError as exc:
                raise ScanError('internal', 'invalid server_name %r: %s' % (self.server_name, exc))
        self.timeout = float(options.get('timeout') or 5.0)
        # per connection (TCP connect, STARTTLS, the handshake(s), the attack follow-ups): 2 x timeout;
        # per handshake (ClientHello sent .. answer read): timeout; per socket operation: timeout
        self.conn_timeout = 2 * self.timeout
        self.local = threading.local()
        total = options.get('endpoint_timeout') or max(20.0, 8 * self.timeout)
        self.deadline = time.monotonic() + float(total)
        self.total = float(total)
        self._counter = itertools.count(1)
        self.connections = 0
        self.addr = None
        self.family = None

    def resolve(self):
        """The address, resolved within min(timeout, what is left of the endpoint deadline)."""
        host = self.host.strip('[]')
        try:
            infos = _deadline.resolve(host, self.port, _deadline.Deadline(self.op_timeout(), 'name resolution of %s' % host))
        except _deadline.DeadlineExceeded:
            raise ScanError('dns', 'cannot resolve %s: no answer from the resolver within %.1f s' % (host, self.timeout))
        except socket.gaierror as exc:
            raise ScanError('dns', 'cannot resolve %s: %s' % (host, exc.strerror or exc))
        except UnicodeError as exc:
            raise ScanError('dns', 'invalid host name %r: %s' % (host, exc))
        if not infos:
            raise ScanError('dns', 'cannot resolve %s: no address' % host)
        self.family, _t, _p, _c, self.addr = infos[0]

    def op_timeout(self):
        """Seconds for the next socket operation: timeout, cut to the endpoint deadline (ScanError when
        passed) and to the deadline of this thread's connection (ScanError timeout when passed)."""
        now = time.monotonic()
        left = self.deadline - now
        if left <= 0:
            raise ScanError('timeout', 'the scan of %s:%s exceeded its deadline of %.0f s' % (self.host, self.port, self.total))
        conn_end = getattr(self.local, 'conn_deadline', None)
        if conn_end is not None:
            if conn_end - now <= 0:
                raise _ConnDeadline('timeout', 'a connection to %s:%s exceeded its deadline of %.1f s (the peer answers too slowly)' % (
                    self.host, self.port, self.conn_timeout))
            left = min(left, conn_end - now)
        return min(self.timeout, left)

    def connect(self):
        """A connected socket, STARTTLS done; raises ScanError for refused/timeout/unreachable.
        Starts the per-connection deadline of this thread (``self.local.conn_deadline``)."""
        self.connections = next(self._counter)
        self.local.conn_deadline = time.monotonic() + self.conn_timeout
        sock = socket.socket(self.family, socket.SOCK_STREAM)
        try:
            sock.settimeout(self.op_timeout())
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            try:
                sock.connect(self.addr)
            except ConnectionRefusedError:
                raise ScanError('refused', 'connection refused by %s:%s' % (self.host, self.port))
            except socket.timeout:
                raise ScanError('timeout', 'no TCP connection to %s:%s within %.1f s' % (self.host, self.port, self.timeout))
            except OSError as exc:
                raise ScanError('refused', 'cannot connect to %s:%s: %s' % (self.host, self.port, exc.strerror or exc))
            if self.starttls != 'none':
                _starttls(sock, self)
            return sock
        except BaseException:
            sock.close()
            raise


# --------------------------------------------------------------------------------------------
# STARTTLS preambles
# --------------------------------------------------------------------------------------------

def _recv_some(sock, target, what):
    sock.settimeout(target.op_timeout())
    try:
        data = sock.recv(65536)
    except socket.timeout:
        target.op_timeout()   # the connection or endpoint deadline, if that is what cut the wait short
        raise ScanError('timeout', 'no %s from %s:%s within %.1f s' % (what, target.host, target.port, target.timeout))
    except OSError as exc:
        raise ScanError('protocol', 'connection to %s:%s failed while waiting for %s: %s' % (target.host, target.port, what, exc))
    if not data:
        raise ScanError('protocol', '%s:%s closed the connection while waiting for %s' % (target.host, target.port, what))
    return data


def _recv_until(sock, target, done, what, limit=65536):
    buf = bytearray()
    while not done(bytes(buf)):   # bounded by the connection's deadline and ``limit``
        buf += _recv_some(sock, target, what)
        if len(buf) > limit:
            raise ScanError('protocol', '%s from %s:%s is too long' % (what, target.host, target.port))
    return bytes(buf)


def _lines_done(final):
    """A predicate: the buffer holds a complete line matching ``final`` (a compiled regex)."""
    def done(buf):
        if not buf.endswith(b'\n'):
            return False
        return any(final.match(line) for line in buf.decode('latin-1').splitlines())
    return done


# Line protocols: (name, last line of the greeting, of an answer, the STARTTLS verb and line, an accepting answer)
_LINE_STARTTLS = {
    'smtp': ('SMTP', r'^\d{3} ', r'^\d{3} ', 'STARTTLS', b'STARTTLS\r\n', r'\A220'),
    'imap': ('IMAP', r'^\* ', r'^a001 ', 'STARTTLS', b'a001 STARTTLS\r\n', r'(?m)^a001 OK'),
    'pop3': ('POP3', r'^[+-]', r'^[+-]', 'STLS', b'STLS\r\n', r'\A\+OK'),
    'ftp': ('FTP', r'^\d{3} ', r'^\d{3} ', 'AUTH TLS', b'AUTH TLS\r\n', r'\A234'),
}


def _line_answer(sock, target, last_line, what):
    """The text of a line protocol's answer, read up to its last line (``last_line``, a regex)."""
    return _recv_until(sock, target, _lines_done(re.compile(last_line)), what).decode('latin-1')


def _line_starttls(sock, target, who, protocol, greeting, last_line, verb, command, accepted):
    """Greeting, (SMTP: EHLO), the STARTTLS command and its answer on a line protocol."""
    _line_answer(sock, target, greeting, '%s greeting' % protocol)
    if protocol == 'SMTP':
        sock.sendall(b'EHLO scs-secure-connections\r\n')
        if 'STARTTLS' not in _line_answer(sock, target, last_line, 'SMTP EHLO answer').upper():
            raise ScanError('plaintext', 'SMTP server %s does not offer STARTTLS' % who)
    sock.sendall(command)
    answer = _line_answer(sock, target, last_line, '%s %s answer' % (protocol, verb))
    if not re.search(accepted, answer):
        raise ScanError('plaintext', '%s server %s refused %s: %s' % (protocol, who, verb, answer.strip()[:120]))


def _starttls(sock, target):
    kind = target.starttls
    who = '%s:%s' % (target.host, target.port)
    name = target.server_name or target.host
    if kind == 'mysql':
        head = _recv_until(sock, target, lambda b: len(b) >= 4 and len(b) >= 4 + int.from_bytes(b[:3], 'little'), 'MySQL greeting')
        payload = head[4:4 + int.from_bytes(head[:3], 'little')]
        if payload[:1] == b'\xff':
            raise ScanError('protocol', 'MySQL server %s refused the connection: %s' % (who, payload[3:].decode('utf-8', 'replace')))
        if payload[:1] != b'\x0a':
            kind_, msg = describe_plaintext(head)
            raise ScanError('not_tls' if kind_ == 'not_tls' else 'protocol', 'no MySQL greeting from %s: %s' % (who, msg))
        version = payload[1:].split(b'\x00', 1)[0]
        rest = payload[2 + len(version):]
        caps = struct.unpack('<H', rest[13:15])[0] if len(rest) >= 15 else 0
        if len(rest) >= 20:
            caps |= struct.unpack('<H', rest[18:20])[0] << 16
        if not caps & 0x0800:
            raise ScanError('plaintext', 'MySQL server %s (%s) does not offer TLS (no CLIENT_SSL capability)' % (who, version.decode('latin-1')))
        flags = 0x0800 | 0x0200 | 0x8000 | 0x0001 | 0x00080000
        body = struct.pack('<IIB', flags, 16777216, 45) + b'\x00' * 23
        sock.sendall(struct.pack('<I', len(body))[:3] + b'\x01' + body)
    elif kind == 'postgres':
        sock.sendall(struct.pack('!II', 8, 80877103))
        answer = _recv_some(sock, target, 'PostgreSQL SSLRequest answer')
        if answer[:1] == b'N':
            raise ScanError('plaintext', 'PostgreSQL server %s does not accept TLS (answered N to SSLRequest)' % who)
        if answer[:1] != b'S':
            raise ScanError('protocol', 'unexpected answer to the PostgreSQL SSLRequest from %s: %r' % (who, answer[:40]))
    elif kind in _LINE_STARTTLS:
        _line_starttls(sock, target, who, *_LINE_STARTTLS[kind])
    elif kind == 'ldap':
        oid = b'1.3.6.1.4.1.1466.20037'
        ext = b'\x80' + bytes([len(oid)]) + oid
        op = b'\x77' + bytes([len(ext)]) + ext
        msg = b'\x02\x01\x01' + op
        sock.sendall(b'\x30' + bytes([len(msg)]) + msg)
        answer = _recv_until(sock, target, lambda b: len(b) >= 2 and len(b) >= _ber_total(b), 'LDAP StartTLS answer')
        code = _ldap_result_code(answer)
        if code != 0:
            raise ScanError('plaintext', 'LDAP server %s refused StartTLS (result code %s)' % (who, code))
    elif kind == 'xmpp':
        sock.sendall(("<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' "
                      "to='%s' version='1.0'>" % name).encode('utf-8'))
        feats = _recv_until(sock, target, lambda b: b'</stream:features>' in b or b'</stream:stream>' in b, 'XMPP stream features')
        if b'urn:ietf:params:xml:ns:xmpp-tls' not in feats:
            raise ScanError('plaintext', 'XMPP server %s does not offer STARTTLS' % who)
        sock.sendall(b"<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>")
        answer = _recv_until(sock, target, lambda b: b'proceed' in b or b'failure' in b, 'XMPP STARTTLS answer')
        if b'proceed' not in answer:
            raise ScanError('plaintext', 'XMPP server %s refused STARTTLS' % who)


def _ber_total(buf):
    if len(buf) < 2:
        return 1 << 30
    length = buf[1]
    if length & 0x80:
        count = length & 0x7F
        if len(buf) < 2 + count:
            return 1 << 30
        return 2 + count + int.from_bytes(buf[2:2 + count], 'big')
    return 2 + length


def _ldap_result_code(buf):
    """resultCode of an LDAP ExtendedResponse (APPLICATION 24), or None."""
    pos = buf.find(b'\x78')
    while pos != -1:
        enum = buf.find(b'\x0a\x01', pos)
        if enum != -1 and enum + 2 < len(buf):
            return buf[enum + 2]
        pos = buf.find(b'\x78', pos + 1)
    return None


# --------------------------------------------------------------------------------------------
# One ClientHello, one answer
# --------------------------------------------------------------------------------------------

class Reply(object):
    """What the server answered to one ClientHello."""

    __slots__ = ('kind', 'sh', 'version', 'suite', 'alert', 'certs', 'ocsp', 'ske', 'cert_request', 'hello_done',
                 'detail', 'data', 'tls13_group', 'decrypted', 'raw', 'retried_group', 'hrr_violation')

    def __init__(self, kind, detail=None):
        self.kind = kind          # hello | hrr | alert | eof | truncated | timeout | not_tls | malformed
        self.detail = detail
        self.sh = None
        self.version = None
        self.suite = None
        self.alert = None
        self.certs = None
        self.ocsp = None
        self.ske = None
        self.cert_request = False
        self.hello_done = False
        self.data = b''
        self.tls13_group = None
        self.decrypted = False
        self.raw = b''
        self.retried_group = None     # the group a HelloRetryRequest asked for, when this answers the second hello
        self.hrr_violation = False

    def __repr__(self):
        return 'Reply(%s, %s, %s)' % (self.kind, self.sh and self.sh['version_name'], self.sh and self.sh['cipher_suite_name'])


class Conn(object):
    """A connection reading TLS records within the endpoint's timeouts and deadlines.

    Every read waits at most ``timeout``; a handshake (``begin_handshake`` .. answer read) at most
    ``timeout`` in all; the connection at most ``2 x timeout``; all within the endpoint deadline.
    Received bytes go to one bytearray read from an offset: 1-byte records cost linear time."""

    def __init__(self, target):
        self.target = target
        self.sock = target.connect()
        self.buf = bytearray()
        self.pos = 0
        self.total = 0
        self.hs_end = None
        self.answered = 0     # bytes of the current answer's records (not counting ChangeCipherSpec)

    def close(self):
        self.target.local.conn_deadline = None
        try:
            self.sock.close()
        except OSError:
            pass

    def begin_handshake(self):
        self.hs_end = time.monotonic() + self.target.timeout
        self.answered = 0

    def cut_short(self):
        """True if the current answer had begun (a record, or part of one) when the connection ended."""
        return bool(self.answered) or len(self.buf) > self.pos

    def op_timeout(self, timeout=None):
        try:
            left = self.target.op_timeout()
        except _ConnDeadline:
            raise _Timeout()
        if self.hs_end is not None:
            left = min(left, self.hs_end - time.monotonic())
            if left <= 0:
                raise _Timeout()
        return min(timeout, left) if timeout else left

    def send(self, data):
        self.sock.settimeout(self.op_timeout())
        try:
            self.sock.sendall(data)
        except socket.timeout:
            raise _Timeout()
        except OSError:
            raise _Eof()

    def pending(self):
        """The bytes received and not yet consumed."""
        return bytes(self.buf[self.pos:])

    def fill(self, timeout=None):
        self.sock.settimeout(self.op_timeout(timeout))
        try:
            data = self.sock.recv(65536)
        except socket.timeout:
            raise _Timeout()
        except OSError:   # ECONNRESET and EPIPE read as a close: which one arrives is a race
            raise _Eof()
        if not data:
            raise _Eof()
        self.total += len(data)
        if self.total > _MAX_READ:
            raise wire.WireError('the server sent more than %d bytes during the handshake' % _MAX_READ)
        if self.pos > 65536 and self.pos * 2 > len(self.buf):
            del self.buf[:self.pos]
            self.pos = 0
        self.buf += data

    def record(self, timeout=None):
        """The next TLS record (type, version, payload)."""
        while True:
            avail = len(self.buf) - self.pos
            if avail:
                head = bytes(self.buf[self.pos:self.pos + 2])
                if not wire.looks_like_tls(head if avail >= 2 else head + b'\x03'):
                    raise _NotTls(self.pending())
            if avail >= 5:
                length = struct.unpack('!H', bytes(self.buf[self.pos + 3:self.pos + 5]))[0]
                if length > 18432:
                    raise _Oversized(length)
                if avail >= 5 + length:
                    start = self.pos + 5
                    rec = (self.buf[self.pos], struct.unpack('!H', bytes(self.buf[self.pos + 1:self.pos + 3]))[0],
                           bytes(self.buf[start:start + length]))
                    self.pos = start + length
                    if rec[0] != wire.CT_CCS:
                        self.answered += 5 + length
                    return rec
            self.fill(timeout)


class Retry(object):
    """How to answer a HelloRetryRequest (RFC 8446 4.1.4) on the same connection.

    ``offered``: the groups of supported_groups; ``shared``: the groups a key share was sent for;
    ``build(group, cookie_ext) -> (record, message, key_shares) or None``: the second ClientHello,
    the first one with one key share for ``group`` (and the cookie echoed), or None when no key
    share can be made for that group."""

    def __init__(self, offered, shared, build):
        self.offered, self.shared, self.build = list(offered or []), list(shared or []), build


def _second_hello(suites, fixed, group, cookie_ext):
    """The ClientHello answering an HRR for ``group``: the first one with one key share (a real one
    where we can compute a secret, to decrypt the flight; else the group's generator) and the cookie."""
    share = None
    if group in wire.KeyShare.SUPPORTED and _x509.HAS_CRYPTOGRAPHY:
        try:
            share = wire.KeyShare(group)
        except Exception:  # pylint: disable=broad-except
            share = None
    public = share.public if share is not None else wire.dummy_key_share(group)
    if public is None:
        return None
    args = dict(fixed)
    args['extra_extensions'] = args.get('extra_extensions', b'') + cookie_ext
    args['record_version'] = wire.TLS12   # RFC 8446 5.1: 0x0303 for every record but an initial ClientHello
    rec, msg = wire.client_hello(wire.TLS12, suites, key_shares=[(group, public)], **args)
    return rec, msg, [share] if share is not None else []


def _exchange(target, hello_record, want='hello', hello_msg=None, key_shares=None, after_hello=None, retry=None):
    """Send one ClientHello and read the answer.

    ``want``: 'hello' stops after the ServerHello; 'flight' reads the TLS <= 1.2 flight up to
    ServerHelloDone (Certificate, CertificateStatus, ServerKeyExchange) or, for TLS 1.3 with a key
    share we hold, decrypts the flight up to the Certificate. ``after_hello(conn, reply)`` is called
    with the connection still open once the flight is read (for the attack probes). ``retry`` (a
    :class:`Retry`): a HelloRetryRequest is answered with a second ClientHello and the reply is the
    answer to that one; without it the reply is the HRR itself (kind 'hrr').

    Reply kinds: hello, hrr, alert, eof (closed or reset before any byte), truncated (closed in the
    middle of the answer), timeout, not_tls, malformed (oversized record, broken message, an HRR
    the RFC says to abort on).
    """
    conn = Conn(target)
    try:
        try:
            conn.begin_handshake()
            conn.send(hello_record)
            reply = _read_answer(conn, want, hello_msg, key_shares, after_hello)
            if reply.kind == 'hrr' and retry is not None:
                reply = _answer_hrr(conn, reply, retry, want, hello_msg, after_hello)
            return reply
        except _Timeout:
            if conn.total:
                return Reply('timeout', 'no complete answer within the handshake deadline of %.1f s (%d bytes received: the peer '
                                        'answers too slowly)' % (target.timeout, conn.total))
            return Reply('timeout', 'no answer within %.1f s' % target.timeout)
        except _Eof:
            if conn.cut_short():
                return Reply('truncated', 'the connection was closed in the middle of the answer, after %d bytes' % conn.total)
            return Reply('eof', 'connection closed or reset')
        except _NotTls as exc:
            reply = Reply('not_tls')
            reply.data = exc.data
            return reply
        except _Oversized as exc:
            return Reply('malformed', str(exc))
        except wire.WireError as exc:
            return Reply('malformed', str(exc))
    finally:
        conn.close()


def _hrr_violation(message):
    reply = Reply('malformed', message + ' (RFC 8446 4.1.4: the client aborts)')
    reply.hrr_violation = True
    return reply


def _answer_hrr(conn, hrr, retry, want, hello_msg, after_hello):
    """The second ClientHello after a HelloRetryRequest, on the same connection; its answer."""
    group = hrr.tls13_group
    name = wire.group_name(group) if group is not None else 'none'
    if group is None or group not in retry.offered:
        return _hrr_violation('the HelloRetryRequest names group %s, which the ClientHello did not offer' % name)
    if group in retry.shared:
        return _hrr_violation('the HelloRetryRequest names group %s, for which the ClientHello already sent a key share' % name)
    cookie = hrr.sh['extensions'].get(wire.EXT_COOKIE)
    built = retry.build(group, wire.ext_raw(wire.EXT_COOKIE, cookie) if cookie is not None else b'')
    if built is None:
        hrr.detail = 'no key share can be made for %s: the HelloRetryRequest could not be answered' % name
        return hrr
    record, msg, shares = built
    params = wire.tls13_suite_hash(hrr.suite)
    transcript = None
    if params is not None and hello_msg is not None:
        transcript = wire.message_hash(params, hello_msg) + hrr.raw + msg
    conn.begin_handshake()
    # RFC 8446 D.4: in middlebox compatibility mode (we send a session id) the client's dummy
    # ChangeCipherSpec goes before its second flight; Erlang/OTP insists on it
    conn.send(wire.record(wire.CT_CCS, wire.TLS12, b'\x01') + record)
    reply = _read_answer(conn, want, transcript, shares, after_hello, after_hrr=True)
    reply.retried_group = group
    if reply.kind == 'hrr':
        return _hrr_violation('a second HelloRetryRequest in the same handshake')
    if reply.kind == 'hello' and (reply.suite != hrr.suite or reply.tls13_group != group or reply.version != wire.TLS13):
        return _hrr_violation('the ServerHello after the HelloRetryRequest differs from it (suite %s, group %s)' % (
            wire.suite_name(reply.suite), wire.group_name(reply.tls13_group) if reply.tls13_group is not None else 'none'))
    return reply


def _take_messages(hs_buf):
    """The complete handshake messages at the start of ``hs_buf`` (a bytearray, consumed): [(type, body, raw)]."""
    out = []
    while len(hs_buf) >= 4:
        length = int.from_bytes(bytes(hs_buf[1:4]), 'big')
        if len(hs_buf) < 4 + length:
            break
        raw = bytes(hs_buf[:4 + length])
        del hs_buf[:4 + length]
        out.append((raw[0], raw[4:], raw))
    return out


def _read_answer(conn, want, hello_msg, key_shares, after_hello, after_hrr=False):
    hs_buf = bytearray()
    reply = None
    while True:
        try:
            ctype, _version, payload = conn.record()
        except (_Eof, _Timeout):
            if reply is not None:
                reply.detail = 'connection ended during the server flight'
                return reply
            raise
        if ctype == wire.CT_ALERT:
            alert = wire.parse_alert(payload)
            if reply is not None:
                reply.detail = 'alert %s during the server flight' % alert['description']
                return reply
            out = Reply('alert', alert['description'])
            out.alert = alert
            return out
        if ctype == wire.CT_HANDSHAKE:
            hs_buf += payload
            for msg_type, body, raw in _take_messages(hs_buf):
                if reply is None:
                    reply = _server_hello(msg_type, body, raw)
                    if reply.kind == 'hrr' or want == 'hello':
                        return reply
                    if reply.version == wire.TLS13:
                        return _read_tls13_flight(conn, reply, hello_msg, raw, key_shares, hs_buf)
                    continue
                if _flight_message(conn, reply, msg_type, body, after_hello):
                    return reply
            continue
        if ctype == wire.CT_CCS and reply is None:
            if after_hrr:
                continue   # RFC 8446 D.4: the middlebox-compatibility CCS may follow the HRR
            raise wire.WireError('ChangeCipherSpec before ServerHello')
        if reply is None:
            raise wire.WireError('record type %d before ServerHello' % ctype)


def _server_hello(msg_type, body, raw):
    if msg_type != wire.HT_SERVER_HELLO:
        raise wire.WireError('expected ServerHello, got handshake message %d' % msg_type)
    sh = wire.parse_server_hello(body)
    reply = Reply('hrr' if sh['hello_retry_request'] else 'hello')
    reply.sh, reply.version, reply.suite, reply.raw = sh, sh['version'], sh['cipher_suite'], raw
    if reply.kind == 'hrr' or reply.version == wire.TLS13:
        reply.tls13_group = sh['key_share_group']
    return reply


def _flight_message(conn, reply, msg_type, body, after_hello):
    """One TLS <= 1.2 server flight message into ``reply``; True at ServerHelloDone (flight complete)."""
    if msg_type == wire.HT_CERTIFICATE:
        reply.certs = wire.parse_certificate(body)['certificates']
    elif msg_type == wire.HT_CERTIFICATE_STATUS:
        reply.ocsp = wire.parse_certificate_status(body)
    elif msg_type == wire.HT_SERVER_KEY_EXCHANGE:
        reply.ske = wire.parse_server_key_exchange(body, reply.suite)
    elif msg_type == wire.HT_CERTIFICATE_REQUEST:
        reply.cert_request = True
    elif msg_type == wire.HT_SERVER_HELLO_DONE:
        reply.hello_done = True
        if after_hello is not None:
            conn.begin_handshake()   # the follow-up exchange of an attack probe gets its own deadline
            after_hello(conn, reply)
        return True
    return False


def _read_tls13_flight(conn, reply, hello_msg, sh_raw, key_shares, hs_buf):
    share = None
    for candidate in key_shares or []:
        if candidate.group == reply.tls13_group:
            share = candidate
    peer = reply.sh.get('key_share')
    if share is None or not peer or reply.suite not in wire._TLS13_SUITE_PARAMS:  # pylint: disable=protected-access
        reply.detail = 'TLS 1.3 flight not decrypted (no matching key share or unsupported suite)'
        return reply
    try:
        secret = share.exchange(peer)
    except Exception as exc:  # pylint: disable=broad-except
        reply.detail = 'TLS 1.3 key exchange failed: %s' % exc
        return reply
    if hello_msg is None:
        reply.detail = 'TLS 1.3 flight not decrypted (no transcript)'
        return reply
    key, iv, _hash = wire.tls13_server_handshake_keys(reply.suite, secret, hello_msg + sh_raw)
    dec = wire.Tls13Decryptor(reply.suite, key, iv)
    inner = bytearray()
    while True:
        try:
            ctype, version, payload = conn.record()
        except (_Eof, _Timeout):
            reply.detail = 'connection ended before the TLS 1.3 Certificate'
            return reply
        if ctype == wire.CT_CCS:
            continue
        if ctype == wire.CT_ALERT:
            reply.detail = 'alert %s before the TLS 1.3 Certificate' % wire.parse_alert(payload)['description']
            return reply
        if ctype != wire.CT_APPDATA:
            raise wire.WireError('unexpected clear-text record type %d in the TLS 1.3 flight' % ctype)
        header = struct.pack('!BHH', ctype, version, len(payload))
        try:
            inner_type, plain = dec.decrypt(header, payload)
        # InvalidTag and friends
        except Exception as exc:  # pylint: disable=broad-except
            reply.detail = 'TLS 1.3 flight could not be decrypted: %s' % (type(exc).__name__)
            return reply
        if inner_type != wire.CT_HANDSHAKE:
            continue
        inner += plain
        for msg_type, body, _raw in _take_messages(inner):
            if msg_type == wire.HT_CERTIFICATE_REQUEST:
                reply.cert_request = True
            elif msg_type == wire.HT_CERTIFICATE:
                parsed = wire.parse_certificate(body, tls13=True)
                reply.certs, reply.ocsp, reply.decrypted = parsed['certificates'], parsed['ocsp'], True
                return reply


# --------------------------------------------------------------------------------------------
# The scanner
# --------------------------------------------------------------------------------------------

_PARTITIONS = (
    ('ECDHE-ECDSA', lambda s: s.kex_class == 'ecdhe' and s.auth == 'ecdsa'),
    ('ECDHE', lambda s: s.kex_class == 'ecdhe' and s.auth != 'ecdsa'),
    ('DHE', lambda s: s.kex_class == 'dhe'),
    ('RSA', lambda s: s.kex_class == 'rsa'),
    ('other', lambda s: s.kex_class == 'other'),
)

# Offer order of the default hello: what a current client offers first, then everything else.
_DEFAULT_FIRST = [0x1301, 0x1302, 0x1303, 0xC02B, 0xC02F, 0xC02C, 0xC030, 0xCCA9, 0xCCA8, 0x009E, 0x009F, 0xCCAA,
                  0xC009, 0xC013, 0xC00A, 0xC014, 0x009C, 0x009D, 0x002F, 0x0035]

_GCM_RSA = [0x009C, 0x009D]  # what sslyze's ROBOT check tries first at TLS 1.2 (AES128-GCM-SHA256:AES256-GCM-SHA384)


class _Task(object):
    """One submitted call: its result or exception once ``done`` is set."""

    __slots__ = ('fn', 'args', 'done', 'result', 'error')

    def __init__(self, fn, args):
        self.fn, self.args = fn, args
        self.done = threading.Event()
        self.result = self.error = None

    def run(self):
        try:
            self.result = self.fn(*self.args)
        except BaseException as exc:  # pylint: disable=broad-except
            self.error = exc
        self.done.set()

    def get(self):
        self.done.wait()
        if self.error is not None:
            raise self.error
        return self.result


class TaskGroup(object):
    """A bounded pool of threads where tasks may add tasks; join() waits for all of them.

    (A few lines instead of concurrent.futures, whose import alone costs about 1 MB of memory
    through logging: the benchmark target is half of sslyze's peak memory.)
    """

    def __init__(self, workers):
        self._workers = max(1, workers)
        self._queue = []
        self._tasks = []
        self._threads = []
        self._idle = 0
        self._closed = False
        self._cond = threading.Condition()

    def submit(self, fn, *args):
        task = _Task(fn, args)
        with self._cond:
            self._tasks.append(task)
            self._queue.append(task)
            if self._idle > 0:
                self._idle -= 1          # that idle thread is now reserved for this task
                self._cond.notify()
            elif len(self._threads) < self._workers:
                thread = threading.Thread(target=self._work, name='tls-probe')
                thread.daemon = True
                self._threads.append(thread)
                thread.start()
        return task

    def _work(self):
        while True:
            with self._cond:
                while not self._queue and not self._closed:
                    self._idle += 1
                    self._cond.wait()
                if not self._queue:
                    return
                task = self._queue.pop(0)
            task.run()

    @staticmethod
    def wait(tasks):
        for task in tasks:
            task.done.wait()
        for task in tasks:
            task.get()

    def join(self):
        while True:
            with self._cond:
                pending = [t for t in self._tasks if not t.done.is_set()]
            if not pending:
                break
            for task in pending:
                task.done.wait()
        with self._cond:
            tasks = list(self._tasks)
        for task in tasks:
            task.get()

    def close(self):
        """Stop: queued tasks are dropped (after an error nobody waits for them), running ones end."""
        with self._cond:
            self._closed = True
            del self._queue[:]
            self._cond.notify_all()
        for thread in self._threads:
            thread.join()


class Scanner(object):
    """All probes for one endpoint; results are collected under ``self.lock``."""

    def __init__(self, target, options):
        self.t = target
        self.options = options
        self.lock = threading.Lock()
        self.accepted = {}          # version code -> [suite codes]
        self.version_replies = {}   # version code -> first Reply at that version
        self.groups13 = []
        self.groups12 = []
        self.dh_bits = []
        self.ecdh_bits = []
        self.chains = []            # [(source, [DER], ocsp)]
        self.alerts = []
        self.eofs = 0
        self.timeouts = 0
        self.replies_by_version = {}
        self.sslv2 = None
        self.cert_request = False
        self.security = {}
        self.notes = {}
        self.server_order = None
        self.rsa_leaf = None
        self.hsts = None
        self.default_reply = None
        self.tls13_default = False
        self.undetermined = {}      # check -> why it could not be completed
        self.malformed = []         # details of answers that broke the protocol

    # -------------------------------------------------------------- helpers
    def hello(self, version, suites, groups=None, sigalgs=None, key_shares=None, tls13=False, want='hello', sni=True, **kw):
        """Build, send, read. TLS 1.3 hellos offer only TLS 1.3 unless ``tls13`` is a list of versions.

        A HelloRetryRequest to a TLS 1.3 hello is answered on the same connection (RFC 8446 4.1.4):
        the reply is the answer to the second hello (kind 'hello' only if the server completed its
        ServerHello for the group it asked for); ``check`` names what a timeout leaves undetermined."""
        shares = None
        retry = None
        after = kw.pop('after_hello_cb', None)
        source = kw.pop('source', None)
        check = kw.pop('check', None)
        if tls13:
            versions = tls13 if isinstance(tls13, list) else [wire.TLS13]
            shares = key_shares if key_shares is not None else []
            offered = groups if groups is not None else wire.ALL_GROUPS
            fixed = dict(server_name=self.t.server_name if sni else None, groups=offered, sigalgs=sigalgs, tls13_versions=versions,
                         random=os.urandom(32), session_id=os.urandom(32))
            fixed.update(kw)
            rec, msg = wire.client_hello(wire.TLS12, suites, key_shares=[(s.group, s.public) for s in shares], **fixed)
            retry = Retry(offered, [s.group for s in shares], lambda group, cookie: _second_hello(suites, fixed, group, cookie))
        else:
            plain_ssl3 = version == wire.SSL3
            kw.setdefault('compression', (1, 0))   # offer DEFLATE: a server that picks it has TLS compression
            rec, msg = wire.client_hello(version, suites, server_name=(self.t.server_name if sni and not plain_ssl3 else None),
                                         groups=(groups if groups is not None else wire.TLS12_GROUPS_OFFER) if not plain_ssl3 else None,
                                         sigalgs=sigalgs, extensions=not plain_ssl3, **kw)
        reply = _exchange(self.t, rec, want=want, hello_msg=msg, key_shares=shares, after_hello=after, retry=retry)
        self._note_reply(reply, source)
        if check and reply.kind in ('timeout', 'truncated') or (check and reply.hrr_violation):
            self.undetermine(check, reply)
        return reply

    def undetermine(self, check, reply):
        """Record that ``check`` could not be completed (a timeout or a cut answer is not a refusal)."""
        with self.lock:
            self.undetermined.setdefault(check, '%s: %s' % (reply.kind, reply.detail or reply.kind))

    def _note_reply(self, reply, source=None):
        with self.lock:
            if reply.kind == 'alert':
                self.alerts.append(reply.alert['description'])
            elif reply.kind == 'eof':
                self.eofs += 1
            elif reply.kind == 'timeout':
                self.timeouts += 1
            elif reply.kind in ('malformed', 'truncated'):
                self.malformed.append(reply.detail or reply.kind)
            if reply.kind == 'hello' and reply.version:
                self.replies_by_version.setdefault(reply.version, []).append(reply)
                if reply.cert_request:
                    self.cert_request = True
            if reply.ske:
                if reply.ske['kind'] == 'dh' and reply.ske.get('bits'):
                    self.dh_bits.append(reply.ske['bits'])
                elif reply.ske['kind'] == 'ecdh' and reply.ske.get('bits'):
                    self.ecdh_bits.append(reply.ske['bits'])
            if reply.certs:
                source = source or '%s %s' % (wire.VERSION_NAMES.get(reply.version, '?'), self._auth_of(reply))
                leafs = [c[1][0] for c in self.chains]
                if reply.certs[0] not in leafs:
                    self.chains.append((source, reply.certs, reply.ocsp))
                elif reply.ocsp:
                    for i, (src, certs, ocsp) in enumerate(self.chains):
                        if certs[0] == reply.certs[0] and not ocsp:
                            self.chains[i] = (src, certs, reply.ocsp)
                if reply.suite in wire.CIPHER_SUITES and wire.CIPHER_SUITES[reply.suite].kex_class == 'rsa' and self.rsa_leaf is None:
                    self.rsa_leaf = reply.certs[0]

    @staticmethod
    def _auth_of(reply):
        if reply.version == wire.TLS13:
            return 'default'
        suite = wire.CIPHER_SUITES.get(reply.suite)
        return suite.kex if suite else 'unknown'

    def record_version(self, version, reply):
        with self.lock:
            self.version_replies[version] = reply
            self.accepted.setdefault(version, [])
            if reply.suite not in self.accepted[version]:
                self.accepted[version].append(reply.suite)

    def add_suite(self, version, suite):
        with self.lock:
            if suite not in self.accepted[version]:
                self.accepted[version].append(suite)

    # -------------------------------------------------------------- phase 0
    def default_handshake(self):
        shares = []
        if _x509.HAS_CRYPTOGRAPHY:
            try:
                shares = [wire.KeyShare(29), wire.KeyShare(23)]
            # a cryptography without X25519
            except Exception:  # pylint: disable=broad-except
                shares = []
        suites = _DEFAULT_FIRST + [c for c in wire.TLS13_SUITES + wire.LEGACY_SUITES if c not in _DEFAULT_FIRST]
        reply = self.hello(wire.TLS12, suites, tls13=[wire.TLS13, wire.TLS12, wire.TLS11, wire.TLS10], key_shares=shares,
                           want='flight', grease=True)
        self.default_reply = reply
        if reply.kind == 'hello' and reply.version == wire.TLS13 and reply.certs:
            self.tls13_default = True
        return reply

    # -------------------------------------------------------------- phase 1
    def probe_version(self, tg, version):
        if version == wire.TLS13:
            reply = self.hello(wire.TLS12, wire.TLS13_SUITES, tls13=True, check='protocols')
            if reply.kind == 'hrr':
                self.undetermine('protocols', reply)
            if reply.kind != 'hello' or reply.version != wire.TLS13:
                return
            self.record_version(version, reply)
            tg.submit(self.enumerate_tls13_suites, [c for c in wire.TLS13_SUITES if c != reply.suite])
            if not self.tls13_default:
                tg.submit(self.tls13_certificate, reply.tls13_group, None, 'TLSv1.3 default')
            return
        suites = wire.suites_for_version(version)
        reply = self.hello(version, suites, want='flight', check='protocols')
        if reply.kind != 'hello' or reply.version != version or reply.suite not in suites:
            return
        self.record_version(version, reply)
        for _name, member in _PARTITIONS:
            part = [c for c in suites if member(wire.CIPHER_SUITES[c]) and c != reply.suite]
            if part:
                tg.submit(self.enumerate_suites, version, part)

    def enumerate_suites(self, version, remaining):
        remaining = list(remaining)
        while remaining:
            reply = self.hello(version, remaining, want='flight', check='cipher_suites')
            if reply.kind != 'hello' or reply.version != version or reply.suite not in remaining:
                return
            self.add_suite(version, reply.suite)
            remaining.remove(reply.suite)

    def enumerate_tls13_suites(self, remaining):
        remaining = list(remaining)
        while remaining:
            reply = self.hello(wire.TLS12, remaining, tls13=True, check='cipher_suites')
            if reply.kind == 'hrr':
                self.undetermine('cipher_suites', reply)
            if reply.kind != 'hello' or reply.version != wire.TLS13 or reply.suite not in remaining:
                return
            self.add_suite(wire.TLS13, reply.suite)
            remaining.remove(reply.suite)

    def enumerate_groups13(self):
        """TLS 1.3 groups: offer ``remaining`` without key shares; the HelloRetryRequest names the
        server's choice, which counts only when the second hello with that key share gets a ServerHello."""
        remaining = list(wire.ALL_GROUPS)
        while remaining:
            reply = self.hello(wire.TLS12, wire.TLS13_SUITES, groups=remaining, tls13=True, check='groups')
            group = reply.retried_group if reply.retried_group is not None else (reply.tls13_group if reply.kind == 'hrr' else None)
            if group is None or group not in remaining:
                return
            if reply.kind == 'hello':
                with self.lock:
                    self.groups13.append(group)
            else:
                # asked for by the HRR, but not confirmed (no key share possible, or our share was refused)
                self.undetermine('groups', reply)
            remaining.remove(group)

    def enumerate_groups12(self, ecdsa):
        """TLS <= 1.2 curves by elimination with ECDHE-only hellos.

        Two chains: suites authenticated by RSA (and the other non-ECDSA ECDHE suites), and ECDHE-ECDSA.
        In TLS 1.2 the client's supported_groups also bind the curve of an ECDSA certificate, so
        the ECDSA chain keeps that curve at the end of every offer once it is known (otherwise a
        P-256 certificate would end the elimination as soon as P-256 is removed).
        """
        suites = [c for c in wire.suites_for_version(wire.TLS12) if wire.CIPHER_SUITES[c].kex_class == 'ecdhe'
                  and (wire.CIPHER_SUITES[c].auth == 'ecdsa') == ecdsa]
        remaining = list(wire.TLS12_GROUPS_OFFER)
        found = []
        keep = None
        while remaining:
            offer = remaining + ([keep] if keep is not None and keep not in remaining else [])
            reply = self.hello(wire.TLS12, suites, groups=offer, want='flight', check='groups')
            if reply.kind != 'hello' or not reply.ske or reply.ske.get('kind') != 'ecdh':
                break
            group = reply.ske.get('group')
            if group is None:
                with self.lock:
                    self.notes['groups'] = 'the server uses explicit curve parameters (%s)' % reply.ske.get('group_name')
                break
            if ecdsa and keep is None and reply.certs:
                curve = (_x509.describe(reply.certs[0]).get('curve') or '')
                keep = wire.GROUPS_BY_NAME.get(curve)
            if group in found or group not in remaining:
                break
            found.append(group)
            remaining.remove(group)
        with self.lock:
            for group in found:
                if group not in self.groups12:
                    self.groups12.append(group)

    def probe_sslv2(self):
        try:
            conn = Conn(self.t)
        except ScanError:
            raise
        try:
            conn.begin_handshake()
            conn.send(wire.sslv2_client_hello())
            while True:
                head = bytes(conn.buf[:3])
                if wire.looks_like_tls(head[:2]) or (head[:1] and head[0] in (21, 22)):
                    return
                total = wire.sslv2_record_length(head)
                if total is not None and len(conn.buf) >= total:
                    if not wire.looks_like_sslv2(head):
                        return
                    hello = wire.parse_sslv2_server_hello(bytes(conn.buf))
                    if hello and 'cipher_specs' in hello:
                        with self.lock:
                            self.sslv2 = hello
                    return
                conn.fill()
        except _Timeout:
            self.undetermine('protocols', Reply('timeout', 'no complete answer to the SSLv2 CLIENT-HELLO'))
        except (_Eof, wire.WireError):
            return
        finally:
            conn.close()

    # -------------------------------------------------------------- TLS 1.3 certificate
    def tls13_certificate(self, group, sigalgs, source):
        if not _x509.HAS_CRYPTOGRAPHY:
            return self._ssl_module_chain(source)
        groups = [group] if group in wire.KeyShare.SUPPORTED else [29, 23]
        try:
            shares = [wire.KeyShare(g) for g in groups]
        except Exception:  # pylint: disable=broad-except
            return self._ssl_module_chain(source)
        # only groups we can compute a secret for: the server must pick one of them (or refuse)
        computable = [g for g in wire.ALL_GROUPS if g in wire.KeyShare.SUPPORTED]
        reply = self.hello(wire.TLS12, wire.TLS13_SUITES, tls13=True, groups=computable, key_shares=shares, sigalgs=sigalgs, want='flight',
                           source=source, check='certificates')
        if reply.kind == 'hello' and reply.certs:
            return
        if reply.kind == 'hello' or reply.kind == 'hrr':
            if sigalgs is None:
                self._ssl_module_chain(source)

    def _ssl_module_chain(self, source):
        """Fallback: one real TLS 1.3 handshake with the ssl module, unverified, to read the chain."""
        ssl = _lazy_ssl()
        ctx = _client_context(self.options, verify=False)
        try:
            ctx.minimum_version = ssl.TLSVersion.TLSv1_3
        except (AttributeError, ValueError):
            return
        try:
            sock = self.t.connect()
        except ScanError:
            return

        def handshake():
            with ctx.wrap_socket(sock, server_hostname=self.t.server_name) as tls:
                return _peer_chain(tls)

        try:
            sock.settimeout(self.t.op_timeout())
            chain = _bounded_ssl(self.t, handshake)
        except (OSError, ssl.SSLError, ValueError, _ConnDeadline):   # a DeadlineExceeded is an OSError
            return
        finally:
            sock.close()
        if chain:
            with self.lock:
                if chain[0] not in [c[1][0] for c in self.chains]:
                    self.chains.append((source, chain, None))
                if len(chain) == 1:
                    self.notes['certificate_chain'] = ('TLS 1.3 chain read with the ssl module: only the leaf is available '
                                                       'before Python 3.13 (install python cryptography for the full chain)')

    # -------------------------------------------------------------- phase 2
    def highest_legacy(self):
        versions = [v for v in (wire.TLS12, wire.TLS11, wire.TLS10, wire.SSL3) if self.accepted.get(v)]
        return versions[0] if versions else None

    def probe_fallback_scsv(self):
        supports13 = bool(self.accepted.get(wire.TLS13))
        base = wire.TLS12 if supports13 else self.highest_legacy()
        if base is None:
            self.security['fallback_scsv'] = True
            self.notes['fallback_scsv'] = 'no TLS <= 1.2: nothing to downgrade to'
            return
        if base == wire.SSL3:
            self.security['fallback_scsv'] = 'not_tested'
            self.notes['fallback_scsv'] = 'the highest version is SSLv3: there is no lower version to fall back to'
            return
        lower = {wire.TLS12: wire.TLS11, wire.TLS11: wire.TLS10, wire.TLS10: wire.SSL3}[base]
        suites = wire.suites_for_version(lower) + [wire.SCSV_FALLBACK]
        reply = self.hello(lower, suites, check='fallback_scsv')
        if reply.kind in ('timeout', 'truncated'):
            self.security['fallback_scsv'] = 'not_tested'
            self.notes['fallback_scsv'] = 'the %s hello carrying TLS_FALLBACK_SCSV got no complete answer (%s)' % (
                wire.VERSION_NAMES[lower], reply.detail or reply.kind)
        elif reply.kind == 'hello':
            self.security['fallback_scsv'] = False
            self.notes['fallback_scsv'] = 'a %s hello carrying TLS_FALLBACK_SCSV was accepted although the server speaks %s' % (
                wire.VERSION_NAMES[lower], wire.VERSION_NAMES[base])
        else:
            self.security['fallback_scsv'] = True
            self.notes['fallback_scsv'] = 'a %s hello carrying TLS_FALLBACK_SCSV was refused (%s)' % (
                wire.VERSION_NAMES[lower], reply.alert['description'] if reply.alert else reply.kind)

    def probe_heartbleed(self):
        version = self.highest_legacy()
        if version is None:
            self.security['heartbleed'] = False
            self.notes['heartbleed'] = 'no TLS <= 1.2 (heartbeats before the handshake end cannot exist in TLS 1.3 only servers)'
            return
        suites = wire.suites_for_version(version)
        found = {}

        def read_heartbeats(conn, reply):
            # Modern servers answer the heartbeat record with an alert at once; patched heartbeat
            # implementations drop it silently, so do not wait long.
            deadline = time.monotonic() + min(self.t.timeout, 1.0)
            while time.monotonic() < deadline:
                try:
                    ctype, _v, payload = conn.record(timeout=max(0.05, deadline - time.monotonic()))
                except (_Eof, _Timeout, _NotTls):
                    return
                if ctype == wire.CT_HEARTBEAT and payload[:1] == b'\x02' and b'\x01' * 10 in payload:
                    found['vulnerable'] = True
                    return
                if ctype == wire.CT_ALERT:
                    return

        rec_version = wire.SSL3 if version == wire.SSL3 else version
        # Two heartbeat requests without the 16 bytes of padding RFC 6520 requires: patched
        # implementations drop them, Heartbleed-era OpenSSL answers (the method of Mozilla's 2014
        # safe test, also used by sslyze). Nothing beyond what we sent can be echoed back.
        beat = (wire.heartbeat_record(rec_version, b'\x01' + struct.pack('!H', 16381) + b'\x01' * 16381) +
                wire.heartbeat_record(rec_version, b'\x01' + struct.pack('!H', 3) + b'\x01\x00\x00'))
        rec, msg = wire.client_hello(version, suites, server_name=self.t.server_name, groups=wire.TLS12_GROUPS_OFFER,
                                     heartbeat=True, extensions=version != wire.SSL3)
        reply = _exchange(self.t, rec + beat, want='flight', hello_msg=msg, after_hello=read_heartbeats)
        if reply.kind in ('alert', 'eof') and self.accepted.get(version):
            # The server completes plain handshakes at this version but aborted this one when a
            # heartbeat arrived before the handshake ended (Erlang/OTP does so): it refused to
            # process the early heartbeat, which is exactly what a Heartbleed-era OpenSSL did not do.
            self.security['heartbleed'] = False
            self.notes['heartbleed'] = ('the server aborted the handshake (%s) when sent a heartbeat before the handshake '
                                        'completed; it does not process early heartbeats' % (reply.detail or reply.kind))
            return
        if reply.kind != 'hello' or not reply.hello_done:
            self.security['heartbleed'] = 'not_tested'
            self.notes['heartbleed'] = 'the handshake did not reach ServerHelloDone (%s)' % (reply.detail or reply.kind)
            return
        self.security['heartbleed'] = bool(found.get('vulnerable'))
        self.notes['heartbleed'] = ('the server answered a heartbeat sent before the handshake completed (Heartbleed-era OpenSSL)'
                                    if self.security['heartbleed'] else
                                    'heartbeat requests sent before the handshake completed were not answered')

    def probe_ccs_injection(self):
        version = self.highest_legacy()
        if version is None:
            self.security['ccs_injection'] = False
            self.notes['ccs_injection'] = 'no TLS <= 1.2 (early ChangeCipherSpec does not apply to TLS 1.3 only servers)'
            return
        found = {}

        def early_ccs(conn, reply):
            rv = wire.SSL3 if version == wire.SSL3 else version
            try:
                conn.send(wire.record(wire.CT_CCS, rv, b'\x01') + wire.record(wire.CT_APPDATA, rv, b'\x00\x00'))
                ctype, _v, payload = conn.record()
            except (_Eof, _Timeout, _NotTls):
                found['answer'] = 'closed'
                return
            if ctype == wire.CT_ALERT and len(payload) >= 2:
                found['answer'] = 'alert %d' % payload[1]
                found['vulnerable'] = payload[1] == 20
            else:
                found['answer'] = 'record %d' % ctype

        reply = self.hello(version, wire.suites_for_version(version), want='flight', after_hello_cb=early_ccs)
        if reply.kind != 'hello' or not reply.hello_done:
            self.security['ccs_injection'] = 'not_tested'
            self.notes['ccs_injection'] = 'the handshake did not reach ServerHelloDone (%s)' % (reply.detail or reply.kind)
            return
        self.security['ccs_injection'] = bool(found.get('vulnerable'))
        self.notes['ccs_injection'] = ('the server tried to decrypt a record after an early ChangeCipherSpec (bad_record_mac)'
                                       if self.security['ccs_injection'] else
                                       'an early ChangeCipherSpec was rejected (%s)' % found.get('answer', 'no answer'))

    # -------------------------------------------------------------- phase 3
    def probe_server_order(self):
        version = self.highest_legacy()
        candidates = [v for v in (version, wire.TLS13) if v and len(self.accepted.get(v, [])) >= 2]
        if not candidates:
            self.notes['server_cipher_order'] = 'fewer than two cipher suites accepted per version: order cannot be observed'
            return
        version = candidates[0]
        first = self.version_replies[version].suite
        other = [c for c in self.accepted[version] if c != first][0]
        if version == wire.TLS13:
            reply = self.hello(wire.TLS12, [other, first], tls13=True)
        else:
            reply = self.hello(version, [other, first])
        if reply.kind in ('hello', 'hrr') and reply.suite in (first, other):
            self.server_order = reply.suite == first
            self.notes['server_cipher_order'] = 'observed at %s with %s and %s' % (
                wire.VERSION_NAMES[version], wire.suite_name(first), wire.suite_name(other))

    def probe_robot(self):
        version = self.highest_legacy()
        rsa_suites = [c for c in self.accepted.get(version, []) if wire.CIPHER_SUITES[c].kex_class == 'rsa'] if version else []
        if not rsa_suites:
            self.security['robot'] = False
            self.notes['robot'] = 'no RSA key exchange cipher suite is accepted: not vulnerable'
            return
        leaf = self.rsa_leaf
        numbers = _x509.rsa_public_numbers(leaf) if leaf else None
        if numbers is None:
            self.security['robot'] = 'not_tested'
            self.notes['robot'] = 'the RSA key of the certificate could not be read'
            return
        gcm = [c for c in _GCM_RSA if c in rsa_suites]
        suites = gcm if (version == wire.TLS12 and gcm) else rsa_suites
        responses = self._robot_round(version, suites, numbers)
        cut = [r for r in responses if r.startswith(('no handshake (timeout', 'no handshake (truncated'))]
        if cut:
            self.security['robot'] = 'not_tested'
            self.notes['robot'] = 'a ROBOT handshake got no complete answer (%s): the oracle cannot be judged' % cut[0]
            return
        verdict = _robot_verdict(responses)
        if verdict in ('strong', 'weak'):
            again = _robot_verdict(self._robot_round(version, suites, numbers))
            if again != verdict:
                verdict = 'inconsistent'
        if verdict == 'none' and self.cert_request and re.match(r'alert (40|41|42|46|116) ', responses[0]):
            self.security['robot'] = 'not_tested'
            self.notes['robot'] = ('the server requires a client certificate and stops the handshake before the RSA key exchange '
                                   '(%s): the ROBOT oracle cannot be reached' % responses[0])
            return
        self.security['robot'] = verdict == 'strong'
        self.notes['robot'] = {
            'strong': 'VULNERABLE: strong Bleichenbacher oracle (different answers to differently broken RSA padding)',
            'weak': 'weak oracle only (sslyze: VULNERABLE_WEAK_ORACLE, not a Mozilla failure)',
            'none': 'no oracle: the same answer to every padding variant (%s)' % responses[0],
            'inconsistent': 'inconsistent answers between two rounds (sslyze: UNKNOWN_INCONSISTENT_RESULTS)',
        }[verdict]

    def _robot_round(self, version, suites, numbers):
        modulus, exponent = numbers
        out = []
        for payload in range(5):
            out.append(self._robot_once(version, suites, modulus, exponent, payload))
        return out

    def _robot_once(self, version, suites, modulus, exponent, payload):
        answer = {}
        rv = wire.SSL3 if version == wire.SSL3 else version

        def send_cke(conn, reply):
            cke = _robot_cke(payload, version, modulus, exponent)
            if reply.cert_request:  # an empty client Certificate: enough where client certificates are optional
                cke = wire.handshake(wire.HT_CERTIFICATE, b'\x00\x00\x00') + cke
            try:
                conn.send(wire.record(wire.CT_HANDSHAKE, rv, cke) + wire.record(wire.CT_CCS, rv, b'\x01') +
                          wire.record(wire.CT_HANDSHAKE, rv, _ROBOT_FINISHED))
                ctype, _v, data = conn.record()
                if ctype == wire.CT_ALERT and len(data) >= 2:
                    answer['r'] = 'alert %d %d' % (data[1], data[0])
                else:
                    answer['r'] = 'record %d' % ctype
            except _Eof:
                answer['r'] = 'closed'
            except _Timeout:
                answer['r'] = 'timeout'
            except _NotTls:
                answer['r'] = 'garbage'

        reply = self.hello(version, suites, want='flight', after_hello_cb=send_cke)
        return answer.get('r', 'no handshake (%s)' % reply.kind)

    # -------------------------------------------------------------- HSTS
    def probe_hsts(self):
        ssl = _lazy_ssl()
        ctx = _client_context(self.options, verify=False)
        try:
            sock = self.t.connect()
        except ScanError as exc:
            self.hsts = {'error': exc.message}
            return
        host = self.t.server_name or self.t.host
        request = ('GET / HTTP/1.1\r\nHost: %s\r\nUser-Agent: scs-secure-connections\r\nAccept: */*\r\nConnection: close\r\n\r\n'
                   % (host if self.t.port == 443 else '%s:%s' % (host, self.t.port))).encode('ascii', 'replace')

        def request_head():
            with ctx.wrap_socket(sock, server_hostname=self.t.server_name) as tls:
                tls.sendall(request)
                data = bytearray()
                while b'\r\n\r\n' not in data and len(data) < 65536:
                    chunk = tls.recv(8192)
                    if not chunk:
                        break
                    data += chunk
                return bytes(data)

        try:
            sock.settimeout(self.t.op_timeout())
            data = _bounded_ssl(self.t, request_head)
        except _deadline.DeadlineExceeded:
            self.hsts = {'error': 'HTTPS request did not complete within the connection deadline of %.1f s' % self.t.conn_timeout}
            return
        except (OSError, ssl.SSLError, ValueError, ScanError) as exc:
            self.hsts = {'error': 'HTTPS request failed: %s' % exc}
            return
        finally:
            sock.close()
        self.hsts = parse_hsts(data)


_ROBOT_PMS = bytes.fromhex('aa112233445566778899112233445566778899112233445566778899112233445566778899112233445566778899')
# The Finished record of the ROBOT proof of concept (it never matches the transcript; like sslyze we send it anyway)
_ROBOT_FINISHED = bytes.fromhex(
    '005091a3b6aaa2b64d126e5583b04c113259c4efa48e40a19b8e5f2542c3b1d30f8d80b7582b72f08b21dfcbff09d4b281676a0fb40'
    'd48c20c4f388617ff5c00808a96fbfe9bb6cc631101a6ba6b6bc696f0')[2:]


def _robot_cke(payload, version, modulus, exponent):
    """ClientKeyExchange with a PKCS#1 v1.5 block that is valid (0) or broken in one of four ways (1..4)."""
    size = (modulus.bit_length() + 7) // 8
    pad_len = size - 48 - 3
    padding = (b'\xab\xcd' * (pad_len // 2 + 1))[:pad_len]
    ver = struct.pack('!H', version)
    blocks = {
        0: b'\x00\x02' + padding + b'\x00' + ver + _ROBOT_PMS,
        1: b'\x41\x17' + padding + b'\x00' + ver + _ROBOT_PMS,
        2: b'\x00\x02' + padding + b'\x11' + _ROBOT_PMS + b'\x00\x11',
        3: b'\x00\x02' + padding + b'\x11\x11\x11' + _ROBOT_PMS,
        4: b'\x00\x02' + padding + b'\x00\x02\x02' + _ROBOT_PMS,
    }
    block = blocks[payload]
    cipher = pow(int.from_bytes(block, 'big'), exponent, modulus).to_bytes(size, 'big')
    body = cipher if version == wire.SSL3 else struct.pack('!H', len(cipher)) + cipher
    return wire.handshake(wire.HT_CLIENT_KEY_EXCHANGE, body)


def _robot_verdict(responses):
    """'none' | 'weak' | 'strong' from the five answers (valid, wrong first bytes, wrong 00 position, no 00, wrong version)."""
    if len(set(responses)) == 1:
        return 'none'
    if responses[1] == responses[2] == responses[3]:
        return 'weak'
    return 'strong'


def parse_hsts(data):
    """The Strict-Transport-Security header of an HTTP response head."""
    head = data.split(b'\r\n\r\n', 1)[0].decode('latin-1')
    lines = head.split('\r\n')
    status = None
    match = re.match(r'HTTP/\d(?:\.\d)?\s+(\d{3})', lines[0]) if lines else None
    if match:
        status = int(match.group(1))
    else:
        return {'error': 'the HTTPS answer is not HTTP (%r)' % lines[0][:60] if lines else 'empty HTTPS answer'}
    header = None
    for line in lines[1:]:
        if ':' in line:
            name, value = line.split(':', 1)
            if name.strip().lower() == 'strict-transport-security':
                header = value.strip()
                break
    out = {'status_code': status, 'header': header, 'max_age': None, 'include_subdomains': False, 'preload': False}
    if header:
        for part in header.split(';'):
            part = part.strip()
            low = part.lower()
            if low.startswith('max-age'):
                try:
                    out['max_age'] = int(part.split('=', 1)[1].strip().strip('"'))
                except (IndexError, ValueError):
                    out['max_age'] = None
            elif low == 'includesubdomains':
                out['include_subdomains'] = True
            elif low == 'preload':
                out['preload'] = True
    return out


def _bounded_ssl(target, fn):
    """``fn()`` (a handshake of the ``ssl`` module, which has per-operation timeouts only) within what is left
    of this thread's connection deadline: a daemon thread joined with it; the caller closes the socket."""
    end = target.deadline
    conn_end = getattr(target.local, 'conn_deadline', None)
    if conn_end is not None:
        end = min(end, conn_end)
    return _deadline.call(fn, _deadline.Deadline(max(0.0, end - time.monotonic()), 'an ssl module handshake'))


def _client_context(options, verify):
    """An ssl client context for the few real handshakes (HSTS, chain fallback, validation fallback)."""
    ssl = _lazy_ssl()
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    if verify:
        ctx.check_hostname = True
        ctx.verify_mode = ssl.CERT_REQUIRED
        ctx.load_default_certs()
        for path in options.get('ca_files') or []:
            ctx.load_verify_locations(cafile=path)
    else:
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
        try:
            ctx.set_ciphers('ALL:@SECLEVEL=0')
        except ssl.SSLError:
            pass
    if options.get('client_cert'):
        ctx.load_cert_chain(options['client_cert'], options.get('client_key') or None)
    return ctx


def _peer_chain(tls):
    """DER chain of an ssl socket: full chain on Python >= 3.13, else only the leaf."""
    ssl = _lazy_ssl()
    for holder in (tls, getattr(tls, '_sslobj', None)):
        getter = getattr(holder, 'get_unverified_chain', None)
        if getter is None:
            continue
        try:
            chain = getter()
        except (ssl.SSLError, ValueError, AttributeError):
            continue
        if chain:
            out = []
            for item in chain:
                if isinstance(item, bytes):
                    out.append(item)
                elif hasattr(item, 'public_bytes'):
                    out.append(item.public_bytes(ssl._ssl.ENCODING_DER))  # pylint: disable=protected-access
            if out:
                return out
    leaf = tls.getpeercert(binary_form=True)
    return [leaf] if leaf else []


def _ssl_validate(target, options):
    """Validation by a verifying handshake (used when cryptography has no x509 verifier)."""
    ssl = _lazy_ssl()
    ctx = _client_context(options, verify=True)
    name = target.server_name or target.host
    try:
        sock = target.connect()
    except ScanError as exc:
        return {'trusted': None, 'hostname_match': None, 'error': 'validation handshake failed: %s' % exc.message}

    def handshake():
        with ctx.wrap_socket(sock, server_hostname=name):
            return {'trusted': True, 'hostname_match': True, 'error': None, 'method': 'ssl module handshake'}

    try:
        sock.settimeout(target.op_timeout())
        return _bounded_ssl(target, handshake)
    except ssl.SSLCertVerificationError as exc:
        message = exc.verify_message or str(exc)
        hostname = 'hostname mismatch' in message.lower() or "doesn't match" in str(exc)
        return {'trusted': None if hostname else False, 'hostname_match': False if hostname else None,
                'error': 'certificate verification failed: %s' % message, 'method': 'ssl module handshake'}
    except (OSError, ssl.SSLError, ValueError, ScanError) as exc:   # a DeadlineExceeded is an OSError
        return {'trusted': None, 'hostname_match': None, 'error': 'validation handshake failed: %s' % exc, 'method': 'ssl module handshake'}
    finally:
        sock.close()


# --------------------------------------------------------------------------------------------
# Putting it together
# --------------------------------------------------------------------------------------------

def _empty_result(endpoint, options):
    endpoint = endpoint if isinstance(endpoint, dict) else {}
    host = endpoint.get('host')
    sni = endpoint.get('server_name')
    if sni is None and host and not _is_ip(str(host).strip('[]')):
        sni = host
    result = {
        'host': host, 'port': endpoint.get('port'), 'server_name': sni or None, 'starttls': endpoint.get('starttls') or 'none',
        'label': endpoint.get('label'), 'status': 'ok', 'error': None,
        'protocols': None, 'cipher_suites': None, 'groups': None, 'groups_by_version': None, 'dh_min_bits': None,
        'ecdh_min_bits': None, 'server_cipher_order': None, 'certificates': [], 'certificate_deployments': [],
        'certificate_validation': None, 'client_certificate_requested': None, 'security': None, 'ocsp_stapling': None,
        'notes': {}, 'undetermined': [], 'connections': 0, 'duration_ms': None,
    }
    if options.get('check_hsts'):
        result['hsts'] = None
    if 'source' in endpoint:
        result['source'] = endpoint['source']
    return result


def _options(options):
    out = dict(DEFAULT_OPTIONS)
    out.update(dict((k, v) for k, v in (options or {}).items() if v is not None))
    return out


def scan_endpoint(endpoint, options=None):
    """Scan one endpoint; never raises for network or server problems (they become status error)."""
    started = time.monotonic()
    opts = _options(options)
    result = _empty_result(endpoint, opts)
    target = None
    try:
        target = Target(endpoint, opts)
        result['server_name'] = target.server_name
        result['starttls'] = target.starttls
        target.resolve()
        _run(target, opts, result)
    except ScanError as exc:
        result['status'] = 'error'
        result['error'] = {'kind': exc.kind, 'message': exc.message}
    # one odd server must not abort a run of 200
    except Exception as exc:  # pylint: disable=broad-except
        result['status'] = 'error'
        result['error'] = {'kind': 'internal', 'message': 'unexpected %s while scanning: %s' % (type(exc).__name__, exc)}
    result['connections'] = target.connections if target else 0
    result['duration_ms'] = int(round((time.monotonic() - started) * 1000))
    return result


def scan_endpoints(endpoints, options=None):
    """Scan many endpoints concurrently (``options['concurrency']``, default 16); results in input order."""
    opts = _options(options)
    endpoints = list(endpoints or [])
    if not endpoints:
        return []
    workers = max(1, min(int(opts.get('concurrency') or 16), len(endpoints)))
    if workers == 1:
        return [scan_endpoint(ep, opts) for ep in endpoints]
    pool = TaskGroup(workers)
    try:
        tasks = [pool.submit(scan_endpoint, ep, opts) for ep in endpoints]
        return [task.get() for task in tasks]
    finally:
        pool.close()


def _classify_first(reply, target):
    """Raise ScanError for answers that end the scan right away."""
    who = '%s:%s' % (target.host, target.port)
    if reply.kind == 'timeout':
        target.op_timeout()   # the deadline, if that is what cut the wait short
        if reply.detail and 'bytes received' in reply.detail:
            raise ScanError('timeout', '%s: the answer to a TLS ClientHello did not complete: %s' % (who, reply.detail))
        raise ScanError('timeout', 'no answer to a TLS ClientHello from %s within %.1f s (silent or not TLS)' % (who, target.timeout))
    if reply.kind == 'truncated':
        raise ScanError('protocol', '%s: the answer to a TLS ClientHello was cut short: %s' % (who, reply.detail))
    if reply.kind == 'not_tls':
        kind, message = describe_plaintext(reply.data)
        if kind == 'not_tls' and target.starttls != 'none':
            message += ' (after the %s STARTTLS exchange)' % target.starttls
        raise ScanError(kind, '%s: %s' % (who, message))


def _run(target, opts, result):
    sc = Scanner(target, opts)
    first = sc.default_handshake()
    _classify_first(first, target)
    tg = TaskGroup(int(opts.get('parallelism') or 6))
    try:
        version_futures = [tg.submit(sc.probe_version, tg, v) for v in (wire.TLS13, wire.TLS12, wire.TLS11, wire.TLS10, wire.SSL3)]
        version_futures.append(tg.submit(sc.probe_sslv2))
        tg.submit(sc.enumerate_groups13)
        tg.submit(sc.enumerate_groups12, False)
        tg.submit(sc.enumerate_groups12, True)
        if opts.get('check_hsts') and target.starttls == 'none':
            tg.submit(sc.probe_hsts)
        tg.wait(version_futures)
        if not sc.accepted and not sc.sslv2:
            tg.join()
            target.op_timeout()   # raises if the whole-endpoint deadline has passed
            if sc.timeouts and first.kind == 'hello':
                raise ScanError('timeout', '%s:%s answered the first ClientHello, then stopped answering (%d probes timed out after %.1f s)' % (
                    target.host, target.port, sc.timeouts, target.timeout))
            if first.kind == 'malformed' or sc.malformed:
                raise ScanError('protocol', 'TLS server at %s:%s broke the protocol: %s' % (
                    target.host, target.port, first.detail if first.kind == 'malformed' else sc.malformed[0]))
            if sc.alerts:
                raise ScanError('protocol', 'TLS server at %s:%s accepted no ClientHello (answers: %s); no protocol version or cipher '
                                            'suite in common, or the server needs another server name (SNI sent: %s)' % (
                                                target.host, target.port, ', '.join(sorted(set(sc.alerts))), target.server_name or 'none'))
            kind, message = ('not_tls', 'the server closed every connection without a TLS answer')
            if first.kind == 'eof':
                message = '%s:%s closed or reset the connection without answering the TLS ClientHello (not TLS?)' % (
                    target.host, target.port)
            raise ScanError(kind, message)
        tg.submit(sc.probe_fallback_scsv)
        tg.submit(sc.probe_heartbleed)
        tg.submit(sc.probe_ccs_injection)
        only13 = bool(sc.accepted.get(wire.TLS13)) and sc.highest_legacy() is None
        if only13:
            group = sc.version_replies[wire.TLS13].tls13_group
            tg.submit(sc.tls13_certificate, group, wire.SIGALGS_RSA, 'TLSv1.3 RSA')
            tg.submit(sc.tls13_certificate, group, wire.SIGALGS_NON_RSA, 'TLSv1.3 ECDSA/EdDSA')
        tg.join()
        tg.submit(sc.probe_server_order)
        tg.submit(sc.probe_robot)
        tg.join()
    finally:
        tg.close()
    _assemble(sc, target, opts, result)


def _assemble(sc, target, opts, result):
    """The endpoint result from what the probes of ``sc`` saw."""
    legacy = _assemble_protocols(sc, result)
    result['security'] = _assemble_security(sc, legacy)
    result['notes'] = dict((k, v) for k, v in sc.notes.items() if k not in result['security'])
    # what the scan could not complete (timeouts, cut answers, HRRs it could not confirm): the judge
    # gives ``error`` for every criterion that depends on one of these checks
    result['undetermined'] = [{'check': k, 'reason': v} for k, v in sorted(sc.undetermined.items())]
    _assemble_certificates(sc, target, opts, result)
    if 'hsts' in result:
        result['hsts'] = sc.hsts if sc.hsts is not None else (
            {'error': 'not an HTTPS endpoint (starttls %s)' % target.starttls} if target.starttls != 'none' else None)


def _assemble_protocols(sc, result):
    """Protocols, cipher suites, groups, key sizes and cipher order into ``result``; the highest legacy version."""
    protocols = dict((name, False) for name in wire.VERSION_ORDER)
    suites = {}
    for version, codes in sc.accepted.items():
        name = wire.VERSION_NAMES[version]
        protocols[name] = True
        order = wire.TLS13_SUITES if version == wire.TLS13 else wire.LEGACY_SUITES
        suites[name] = [wire.suite_name(c) for c in sorted(codes, key=lambda c: order.index(c) if c in order else 1 << 20)]
    if sc.sslv2:
        protocols['SSLv2'] = True
        suites['SSLv2'] = list(sc.sslv2['cipher_specs'])
        if sc.sslv2.get('certificate'):
            sc.chains.append(('SSLv2', [sc.sslv2['certificate']], None))
    result['protocols'] = protocols
    result['cipher_suites'] = suites
    g13 = [wire.group_name(g) for g in sc.groups13]
    g12 = [wire.group_name(g) for g in sc.groups12]
    result['groups_by_version'] = {}
    if sc.accepted.get(wire.TLS13):
        result['groups_by_version']['TLSv1.3'] = g13
    legacy = sc.highest_legacy()
    if legacy:
        result['groups_by_version'][wire.VERSION_NAMES[legacy] if legacy else 'TLSv1.2'] = g12
    result['groups'] = g13 + [g for g in g12 if g not in g13]
    dh_bits = list(sc.dh_bits) + [wire.GROUPS[g][2] for g in sc.groups13 if wire.GROUPS.get(g, (0, ''))[1] == 'ff']
    ec_bits = list(sc.ecdh_bits) + [wire.GROUPS[g][2] for g in sc.groups13 + sc.groups12
                                    if wire.GROUPS.get(g, (0, ''))[1] in ('ec', 'hybrid') and wire.GROUPS[g][2]]
    result['dh_min_bits'] = min(dh_bits) if dh_bits else None
    result['ecdh_min_bits'] = min(ec_bits) if ec_bits else None
    result['server_cipher_order'] = sc.server_order
    result['client_certificate_requested'] = sc.cert_request
    return legacy


def _assemble_security(sc, legacy):
    """Security properties (sslyze semantics, see docs/tls.md); their notes taken from ``sc.notes``."""
    security = dict(sc.security)
    supports13 = bool(sc.accepted.get(wire.TLS13))
    legacy_replies = sc.replies_by_version.get(legacy, []) if legacy else []
    all_legacy = [r for v, rs in sc.replies_by_version.items() if v != wire.TLS13 for r in rs]
    security['compression'] = any(r.sh['compression'] != 0 for r in all_legacy)
    if legacy_replies:
        security['secure_renegotiation'] = all(r.sh['secure_renegotiation'] for r in legacy_replies)
        ems = all(r.sh['extended_master_secret'] for r in legacy_replies)
    else:
        security['secure_renegotiation'] = True
        sc.notes.setdefault('secure_renegotiation', 'TLS 1.3 only: there is no renegotiation')
        ems = None
    if supports13:
        security['extended_master_secret'] = True
        if ems is False:
            sc.notes['extended_master_secret'] = 'TLS 1.3 is supported (counts as EMS, like sslyze); the %s handshakes lack EMS' % (
                wire.VERSION_NAMES[legacy])
        else:
            sc.notes['extended_master_secret'] = 'TLS 1.3 is supported (the key schedule binds the transcript)'
    else:
        security['extended_master_secret'] = bool(ems)
    for key in ('compression', 'secure_renegotiation', 'fallback_scsv', 'extended_master_secret', 'heartbleed', 'ccs_injection', 'robot'):
        security.setdefault(key, 'not_tested')
        if security[key] == 'not_tested':
            sc.notes.setdefault(key, 'not tested')
    security['notes'] = dict((k, v) for k, v in sc.notes.items() if k in security)
    return security


def _assemble_certificates(sc, target, opts, result):
    """Every distinct leaf the server showed, the default one first, each chain validated."""
    chains = list(sc.chains)
    if sc.default_reply is not None and sc.default_reply.certs:
        chains.sort(key=lambda c: 0 if c[1][0] == sc.default_reply.certs[0] else 1)
    deployments = []
    subject_name = target.server_name or target.host.strip('[]')
    for source, ders, ocsp in chains:
        described = [_x509.describe(d) for d in ders]
        validation = _x509.validate(ders, subject_name, tuple(opts.get('ca_files') or ()))
        if validation is None:
            validation = _ssl_validate(target, opts)
            if validation.get('hostname_match') is None and described and described[0].get('sans') is not None:
                validation['hostname_match'] = _x509.match_hostname(described[0]['sans'], subject_name)
            if validation.get('trusted') is None and not _x509.HAS_CRYPTOGRAPHY:
                validation['error'] = (validation.get('error') or '') + ' (python cryptography not installed)'
        deployments.append({'source': source, 'certificates': described, 'validation': validation,
                            'ocsp_stapled': bool(ocsp), 'ocsp_status': _x509.ocsp_summary(ocsp)})
    result['certificate_deployments'] = deployments
    if deployments:
        result['certificates'] = deployments[0]['certificates']
        result['certificate_validation'] = deployments[0]['validation']
        result['ocsp_stapling'] = any(d['ocsp_stapled'] for d in deployments)
    else:
        result['certificate_validation'] = {'trusted': False, 'hostname_match': False, 'error': 'no certificate was received'}
        result['ocsp_stapling'] = False
