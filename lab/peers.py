# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A zoo of misbehaving loopback peers: what a module must survive, in bounded time.

    with peers.start('tls-trickle') as peer:      # a thread serving 127.0.0.1:<peer.port>
        scan_endpoint({'host': peer.host, 'port': peer.port}, {'timeout': 1})

Every peer is a thread listening on a port of its own (bound to port 0: no collisions between
parallel runs); every connection gets its own thread; everything stops by itself after
``lifetime`` seconds (default 120) or when the ``with`` block ends. Peers are deliberately hostile:
silent, trickling (one byte every ``interval`` seconds, for ever), resetting, garbage, oversized
and truncated TLS records, alert-only, HelloRetryRequest loops and HRRs naming a group the client
never offered, fake MySQL (error packet as greeting, hang after the greeting), fake AMQP
(Connection.Close with an error, hang mid-handshake), fake HTTP for Keystone/Neutron (error
statuses on version discovery or authentication, trickling headers, an endless body) and fake
libvirt RPC (an error reply, a hang). ``KINDS`` lists them; tests/integration/peers/ asserts
what every module says about each one and how long it may take.
"""

from __future__ import absolute_import, division, print_function

import json
import os
import socket
import struct
import threading
import time

HOST = '127.0.0.1'
HRR_RANDOM = bytes.fromhex('CF21AD74E59A6111BE1D8C021E65B891C2A211167ABB8C5E079E09E2C8A8339C')
UNOFFERED_GROUP = 0x4A4A     # a code point no client offers (GREASE-like)


class Peer(object):
    """A listening socket on 127.0.0.1 served by ``handler(peer, conn)`` in one thread per connection."""

    def __init__(self, kind, handler, lifetime=120.0, interval=0.2, **options):
        self.kind, self.handler, self.interval, self.options = kind, handler, interval, options
        self.host = HOST
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind((HOST, 0))
        self.sock.listen(64)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.stop_at = time.monotonic() + lifetime
        self.stopped = threading.Event()
        self.connections = 0
        self.requests = []           # what the peer read first on each connection (for the tests)
        self._thread = threading.Thread(target=self._serve, name='peer-%s' % kind)
        self._thread.daemon = True
        self._thread.start()

    def running(self):
        return not self.stopped.is_set() and time.monotonic() < self.stop_at

    def _serve(self):
        while self.running():
            try:
                conn, _addr = self.sock.accept()
            except socket.timeout:
                continue
            except OSError:
                break
            self.connections += 1
            worker = threading.Thread(target=self._handle, args=(conn,), name='peer-%s-conn' % self.kind)
            worker.daemon = True
            worker.start()
        self.sock.close()

    def _handle(self, conn):
        try:
            conn.settimeout(1.0)
            self.handler(self, conn)
        except (OSError, ValueError, struct.error):
            pass
        finally:
            try:
                conn.close()
            except OSError:
                pass

    # helpers for handlers ------------------------------------------------------------------
    def wait(self, seconds=None):
        """Sleep ``seconds`` (default: until the peer stops); False once the peer is stopping."""
        end = self.stop_at if seconds is None else min(self.stop_at, time.monotonic() + seconds)
        while time.monotonic() < end and not self.stopped.is_set():
            self.stopped.wait(min(0.1, max(0.0, end - time.monotonic())))
        return self.running()

    def trickle(self, conn, data, forever=b''):
        """Send ``data`` one byte every ``interval`` seconds, then ``forever`` repeated the same way."""
        stream = iter(data)
        while self.running():
            byte = next(stream, None)
            if byte is None:
                if not forever:
                    return
                stream = iter(forever)
                continue
            conn.sendall(bytes([byte]))
            if not self.wait(self.interval):
                return

    def stop(self):
        self.stopped.set()
        self._thread.join(5)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


def read_some(conn, size=65536):
    try:
        return conn.recv(size)
    except socket.timeout:
        return b''


def read_record(conn):
    """One whole TLS record (type, payload) or None."""
    head = _read_exact(conn, 5)
    if head is None:
        return None
    payload = _read_exact(conn, struct.unpack('!H', head[3:5])[0])
    return (head[0], payload) if payload is not None else None


def _read_exact(conn, size):
    data = b''
    while len(data) < size:
        try:
            chunk = conn.recv(size - len(data))
        except socket.timeout:
            return None
        if not chunk:
            return None
        data += chunk
    return data


def reset(conn):
    """Close with a TCP RST (SO_LINGER 0)."""
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0))
    conn.close()


# ---------------------------------------------------------------------------------------------
# TLS peers

def _client_hello(payload):
    """(session_id, suites, groups, shared groups) of a ClientHello handshake message, best effort."""
    from ansible_collections.scs.secure_connections.plugins.module_utils._tls import wire  # pylint: disable=import-outside-toplevel
    hello = wire.parse_client_hello(payload[4:4 + int.from_bytes(payload[1:4], 'big')])
    return hello['session_id'], hello['cipher_suites'], hello['groups'], [g for g, _pub in hello['key_shares']]


def server_hello(session_id, suite, extensions, random=None):
    """A ServerHello (or, with HRR_RANDOM, a HelloRetryRequest) record."""
    body = b'\x03\x03' + (random or os.urandom(32)) + bytes([len(session_id)]) + session_id + struct.pack('!HB', suite, 0)
    body += struct.pack('!H', len(extensions)) + extensions
    msg = b'\x02' + struct.pack('!I', len(body))[1:] + body
    return b'\x16\x03\x03' + struct.pack('!H', len(msg)) + msg


def hrr(session_id, suite, group):
    exts = struct.pack('!HHH', 43, 2, 0x0304) + struct.pack('!HHH', 51, 2, group)
    return server_hello(session_id, suite, exts, HRR_RANDOM)


def _tls13_suite(suites):
    return next((s for s in suites if s in (0x1301, 0x1302, 0x1303)), 0x1301)


def tls_silent(peer, conn):
    read_some(conn)
    peer.wait()


def tls_trickle(peer, conn):
    """A record header announcing a long handshake record, then one byte every interval, for ever."""
    read_some(conn)
    peer.trickle(conn, b'\x16\x03\x03\x40\x00', forever=b'\x02\x00')


def tls_reset(peer, conn):
    read_some(conn)
    reset(conn)


def tls_close(peer, conn):
    """Close at once, without reading: FIN or RST depending on whether the ClientHello arrived first (a race)."""


def tls_garbage(peer, conn):
    read_some(conn)
    conn.sendall(bytes(range(0x99, 0xFF)) * 4)
    peer.wait(0.5)


def tls_oversized(peer, conn):
    read_some(conn)
    conn.sendall(b'\x16\x03\x03\xff\xff' + b'\x02' * 4096)
    peer.wait(0.5)


def tls_truncated(peer, conn):
    """The first 40 bytes of a ServerHello record, then a clean close."""
    record = read_record(conn)
    if record is None:
        return
    session_id, suites, _groups, _shared = _client_hello(record[1])
    conn.sendall(server_hello(session_id, suites[-1] if suites else 0x002F, b'')[:40])


def tls_alert(peer, conn):
    read_some(conn)
    conn.sendall(b'\x15\x03\x03\x00\x02\x02\x28')   # fatal handshake_failure
    peer.wait(0.5)


def tls_hrr_loop(peer, conn):
    """A HelloRetryRequest for every ClientHello, the second one of a connection included."""
    while peer.running():
        record = read_record(conn)
        if record is not None and record[0] == 20:
            continue          # the client's middlebox-compatibility ChangeCipherSpec before its second hello
        if record is None or record[0] != 22:
            return
        session_id, suites, groups, shared = _client_hello(record[1])
        wanted = next((g for g in groups if g not in shared), groups[0] if groups else 29)
        conn.sendall(hrr(session_id, _tls13_suite(suites), wanted))


def tls_hrr_unoffered(peer, conn):
    """A HelloRetryRequest naming a group no ClientHello offers (RFC 8446 4.1.4: the client aborts)."""
    record = read_record(conn)
    if record is None:
        return
    session_id, suites, _groups, _shared = _client_hello(record[1])
    conn.sendall(hrr(session_id, _tls13_suite(suites), UNOFFERED_GROUP))
    peer.wait(1.0)


def tls_stall(peer, conn):
    """A real TLS server (``peer.options['context']``, a server ssl.SSLContext) that never answers the
    ClientHellos ``peer.options['stall'](hello)`` selects (``hello``: wire.parse_client_hello's dict):
    a scan that meets it has probes that time out in the middle."""
    from ansible_collections.scs.secure_connections.plugins.module_utils._tls import wire  # pylint: disable=import-outside-toplevel
    data = b''
    while peer.running():
        try:
            data = conn.recv(65536, socket.MSG_PEEK)
        except socket.timeout:
            return
        if not data or (len(data) >= 5 and len(data) >= 5 + struct.unpack('!H', data[3:5])[0]):
            break
        peer.wait(0.01)
    try:
        hello = wire.parse_client_hello(data[9:9 + int.from_bytes(data[6:9], 'big')])
    except ValueError:
        hello = None
    if hello is not None and peer.options['stall'](hello):
        peer.requests.append('stalled')
        peer.wait()
        return
    tls = peer.options['context'].wrap_socket(conn, server_side=True)
    try:
        tls.recv(4096)
    finally:
        tls.close()


def smtp_trickle(peer, conn):
    """An SMTP greeting that never ends (for STARTTLS probes): one byte every interval."""
    peer.trickle(conn, b'220-peer zoo ESMTP\r\n', forever=b'220-still greeting\r\n')


# ---------------------------------------------------------------------------------------------
# MySQL, AMQP, libvirt RPC

def mysql_packet(seq, payload):
    return struct.pack('<I', len(payload))[:3] + bytes([seq]) + payload


def mysql_greeting():
    caps = 0x0800 | 0x0200 | 0x8000 | 0x0001 | 0x0008     # SSL, PROTOCOL_41, SECURE_CONNECTION, LONG_PASSWORD, CONNECT_WITH_DB
    body = b'\x0a' + b'8.0.0-peer-zoo\x00' + struct.pack('<I', 7) + b'abcdefgh\x00' + struct.pack('<H', caps & 0xFFFF)
    body += bytes([45]) + struct.pack('<H', 2) + struct.pack('<H', (caps >> 16) | 0x0008) + bytes([21]) + b'\x00' * 10
    body += b'ijklmnopqrst\x00' + b'mysql_native_password\x00'
    return mysql_packet(0, body)


def mysql_error_greeting(peer, conn):
    conn.sendall(mysql_packet(0, b'\xff' + struct.pack('<H', 1040) + b'Too many connections'))
    peer.wait(0.5)


def mysql_hang(peer, conn):
    conn.sendall(mysql_greeting())
    peer.wait()


def mysql_trickle(peer, conn):
    peer.trickle(conn, mysql_greeting())
    peer.wait()


def amqp_frame(payload):
    return struct.pack('>BHI', 1, 0, len(payload)) + payload + b'\xce'


def amqp_close(peer, conn):
    """Connection.Close (530 NOT_ALLOWED) instead of Connection.Start."""
    read_some(conn)
    text = b'NOT_ALLOWED - peer zoo refuses every connection'
    conn.sendall(amqp_frame(struct.pack('>HHH', 10, 50, 530) + bytes([len(text)]) + text + struct.pack('>HH', 0, 0)))
    peer.wait(0.5)


def amqp_hang(peer, conn):
    """Half a Connection.Start frame, then nothing."""
    read_some(conn)
    conn.sendall(struct.pack('>BHI', 1, 0, 400) + struct.pack('>HH', 10, 10))
    peer.wait()


def amqp_trickle(peer, conn):
    read_some(conn)
    peer.trickle(conn, struct.pack('>BHI', 1, 0, 60000), forever=b'\x00')


def libvirt_error(peer, conn):
    """A REMOTE_PROC_AUTH_LIST reply with status REMOTE_ERROR and a remote_error body."""
    request = read_some(conn)
    serial = struct.unpack('>I', request[20:24])[0] if len(request) >= 24 else 1
    text = b'authentication unavailable: peer zoo'
    padded = text + b'\x00' * (-len(text) % 4)
    body = struct.pack('>iiI', 1, 7, 1) + struct.pack('>I', len(text)) + padded + struct.pack('>i', 2)
    head = struct.pack('>IIiiIi', 0x20008086, 1, 66, 1, serial, 1)
    conn.sendall(struct.pack('>I', 4 + len(head) + len(body)) + head + body)
    peer.wait(0.5)


def libvirt_hang(peer, conn):
    read_some(conn)
    peer.wait()


def libvirt_trickle(peer, conn):
    """A length word announcing 60000 bytes, then one byte every interval."""
    read_some(conn)
    peer.trickle(conn, struct.pack('>I', 60000), forever=b'\x00')


# ---------------------------------------------------------------------------------------------
# HTTP (Keystone and Neutron)

def _read_http_request(conn):
    data = b''
    while b'\r\n\r\n' not in data and len(data) < 65536:
        chunk = read_some(conn, 4096)
        if not chunk:
            return None, None, b''
        data += chunk
    head, _sep, body = data.partition(b'\r\n\r\n')
    lines = head.decode('latin-1').split('\r\n')
    method, path = (lines[0].split(' ') + ['', ''])[:2]
    length = 0
    for line in lines[1:]:
        if line.lower().startswith('content-length:'):
            length = int(line.split(':', 1)[1].strip() or 0)
    while len(body) < length:
        chunk = read_some(conn, 4096)
        if not chunk:
            break
        body += chunk
    return method, path, body


def http_response(status, body=b'', headers=None, reason=None):
    reasons = {200: 'OK', 201: 'Created', 300: 'Multiple Choices', 401: 'Unauthorized', 404: 'Not Found', 500: 'Internal Server Error'}
    head = 'HTTP/1.1 %d %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\nConnection: close\r\n' % (
        status, reason or reasons.get(status, 'Status'), len(body))
    for name, value in (headers or {}).items():
        head += '%s: %s\r\n' % (name, value)
    return head.encode('latin-1') + b'\r\n' + body


def _version_document(peer):
    base = 'http://%s:%s/v3/' % (peer.host, peer.port)
    return json.dumps({'version': {'id': 'v3.14', 'status': 'stable', 'updated': '2020-04-07T00:00:00Z',
                                   'links': [{'rel': 'self', 'href': base}],
                                   'media-types': [{'base': 'application/json', 'type': 'application/vnd.openstack.identity-v3+json'}]}}).encode()


def _token(peer, network_url):
    catalog = []
    if network_url:
        catalog.append({'type': 'network', 'name': 'neutron', 'id': 'n1',
                        'endpoints': [{'id': 'e%d' % i, 'interface': iface, 'region': 'RegionOne', 'region_id': 'RegionOne',
                                       'url': network_url} for i, iface in enumerate(('public', 'internal'))]})
    catalog.append({'type': 'identity', 'name': 'keystone', 'id': 'k1',
                    'endpoints': [{'id': 'k%d' % i, 'interface': iface, 'region': 'RegionOne', 'region_id': 'RegionOne',
                                   'url': 'http://%s:%s/v3' % (peer.host, peer.port)} for i, iface in enumerate(('public', 'internal'))]})
    token = {'methods': ['password'], 'expires_at': '2099-01-01T00:00:00.000000Z', 'issued_at': '2026-01-01T00:00:00.000000Z',
             'user': {'id': 'u1', 'name': 'admin', 'domain': {'id': 'default', 'name': 'Default'}},
             'project': {'id': 'p1', 'name': 'admin', 'domain': {'id': 'default', 'name': 'Default'}},
             'roles': [{'id': 'r1', 'name': 'reader'}], 'catalog': catalog}
    return json.dumps({'token': token}).encode()


def keystone(peer, conn):
    """A fake Keystone; ``peer.options['fail']``: where it misbehaves (discovery-500, discovery-404, auth-401,
    auth-500, headers-trickle, body-endless, network-500, network-trickle) ; ``network`` (a URL) adds a
    network endpoint to the catalog."""
    method, path, _body = _read_http_request(conn)
    if method is None:
        return
    peer.requests.append('%s %s' % (method, path))
    fail = peer.options.get('fail')
    if fail == 'headers-trickle':
        peer.trickle(conn, b'HTTP/1.1 200 OK\r\n', forever=b'X-Peer-Zoo: trickle\r\n')
        return
    if fail == 'body-endless':
        conn.sendall(b'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000000\r\n\r\n{"version": ')
        peer.trickle(conn, b'', forever=b' ')
        return
    if path.rstrip('/').endswith('/v3') and method == 'GET':
        status = {'discovery-500': 500, 'discovery-404': 404}.get(fail)
        conn.sendall(http_response(status, b'{"error": {"message": "peer zoo"}}') if status else http_response(200, _version_document(peer)))
    elif path.endswith('/auth/tokens') and method == 'POST':
        status = {'auth-401': 401, 'auth-500': 500}.get(fail)
        if status:
            conn.sendall(http_response(status, b'{"error": {"code": %d, "message": "peer zoo", "title": "Error"}}' % status))
        else:
            conn.sendall(http_response(201, _token(peer, peer.options.get('network')), {'X-Subject-Token': 'gAAAApeerzootoken'}))
    else:
        conn.sendall(http_response(404, b'{"error": {"message": "not here"}}'))


def neutron(peer, conn):
    """A fake Neutron API; ``peer.options['fail']``: 500 or trickle on every request."""
    method, path, _body = _read_http_request(conn)
    if method is None:
        return
    peer.requests.append('%s %s' % (method, path))
    if peer.options.get('fail') == 'network-trickle':
        peer.trickle(conn, b'HTTP/1.1 200 OK\r\n', forever=b'X-Peer-Zoo: trickle\r\n')
        return
    conn.sendall(http_response(500, b'{"NeutronError": {"message": "peer zoo", "type": "HTTPInternalServerError"}}'))


KINDS = {
    'tls-silent': tls_silent, 'tls-trickle': tls_trickle, 'tls-reset': tls_reset, 'tls-close': tls_close, 'tls-garbage': tls_garbage,
    'tls-oversized': tls_oversized, 'tls-truncated': tls_truncated, 'tls-alert': tls_alert, 'tls-hrr-loop': tls_hrr_loop,
    'tls-hrr-unoffered': tls_hrr_unoffered, 'tls-stall': tls_stall,
    'smtp-trickle': smtp_trickle,
    'mysql-error-greeting': mysql_error_greeting, 'mysql-hang': mysql_hang, 'mysql-trickle': mysql_trickle,
    'amqp-close': amqp_close, 'amqp-hang': amqp_hang, 'amqp-trickle': amqp_trickle,
    'libvirt-error': libvirt_error, 'libvirt-hang': libvirt_hang, 'libvirt-trickle': libvirt_trickle,
    'keystone': keystone, 'neutron': neutron,
}


def start(kind, lifetime=120.0, interval=0.2, **options):
    """A running peer of ``kind`` (one of KINDS); use it as a context manager."""
    return Peer(kind, KINDS[kind], lifetime=lifetime, interval=interval, **options)
