# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The prober's reading is linear and bounded; HelloRetryRequest helpers; undetermined checks in the judge;
the overall-deadline helper of _core."""

from __future__ import absolute_import, division, print_function

import socket
import struct
import threading
import time

import pytest

from ansible_collections.scs.secure_connections.plugins.module_utils._core import deadline as _deadline
from ansible_collections.scs.secure_connections.plugins.module_utils._core import mozilla as _mozilla
from ansible_collections.scs.secure_connections.plugins.module_utils._core.mozilla_data import GUIDELINES
from ansible_collections.scs.secure_connections.plugins.module_utils._tls import scan
from ansible_collections.scs.secure_connections.plugins.module_utils._tls import wire as w


class _Target(object):
    """What Conn needs of a Target, on one end of a socketpair (a real socket, no server needed)."""

    def __init__(self, sock, timeout=5.0):
        self.sock, self.timeout, self.conn_timeout = sock, timeout, 2 * timeout
        self.local = threading.local()

    def connect(self):
        return self.sock

    def op_timeout(self):
        return self.timeout


def _one_byte_flight(cert_size):
    """A TLS 1.2 server flight (ServerHello, Certificate of ``cert_size`` bytes, ServerHelloDone), every
    handshake byte in a record of its own."""
    sh = b'\x03\x03' + b'\x11' * 32 + b'\x00' + struct.pack('!HB', 0x002F, 0) + b'\x00\x00'
    cert = b'\x30' * cert_size
    cert_body = struct.pack('!I', len(cert) + 3)[1:] + struct.pack('!I', len(cert))[1:] + cert
    stream = w.handshake(w.HT_SERVER_HELLO, sh) + w.handshake(w.HT_CERTIFICATE, cert_body) + w.handshake(w.HT_SERVER_HELLO_DONE, b'')
    return b''.join(w.record(w.CT_HANDSHAKE, w.TLS12, stream[i:i + 1]) for i in range(len(stream)))


def _read_flight(data):
    left, right = socket.socketpair()
    sender = threading.Thread(target=lambda: (right.sendall(data), right.shutdown(socket.SHUT_WR)))
    sender.start()
    try:
        conn = scan.Conn(_Target(left))
        begin = time.monotonic()
        reply = scan._read_answer(conn, 'flight', None, None, None)  # pylint: disable=protected-access
        return reply, time.monotonic() - begin
    finally:
        sender.join()
        left.close()
        right.close()


def test_one_byte_records_cost_linear_time():
    """Before: every record re-copied the whole buffer (quadratic); 4x the bytes must cost well under 16x the time."""
    small, t_small = _read_flight(_one_byte_flight(15000))
    large, t_large = _read_flight(_one_byte_flight(60000))
    assert small.hello_done and large.hello_done and len(large.certs[0]) == 60000
    assert t_large < max(8 * t_small, 0.5), (t_small, t_large)


def test_oversized_record_is_named():
    left, right = socket.socketpair()
    try:
        right.sendall(b'\x16\x03\x03\xff\xff' + b'\x00' * 100)
        conn = scan.Conn(_Target(left))
        with pytest.raises(scan._Oversized) as info:  # pylint: disable=protected-access
            conn.record()
        assert '65535 bytes' in str(info.value)
    finally:
        left.close()
        right.close()


def test_dummy_key_shares():
    """The shares that answer an HRR: generators (private key 1) of the right size for every confirmable group."""
    assert w.dummy_key_share(29) == b'\x09' + b'\x00' * 31
    assert len(w.dummy_key_share(30)) == 56
    assert [len(w.dummy_key_share(g)) for g in (23, 24, 25)] == [65, 97, 133]
    assert w.dummy_key_share(256)[-1:] == b'\x02' and len(w.dummy_key_share(256)) == 256
    assert len(w.dummy_key_share(0x11EC)) == 1184 + 32 and len(w.dummy_key_share(0x0202)) == 1568
    assert w.dummy_key_share(1) is None   # sect163k1: no share, the HRR cannot be confirmed


def test_dummy_points_are_on_their_curves():
    ec = pytest.importorskip('cryptography.hazmat.primitives.asymmetric.ec')
    for group, curve in ((23, ec.SECP256R1()), (24, ec.SECP384R1()), (25, ec.SECP521R1()), (31, ec.BrainpoolP256R1())):
        ec.EllipticCurvePublicKey.from_encoded_point(curve, w.dummy_key_share(group))


def test_message_hash():
    import hashlib
    msg = b'\x01\x00\x00\x02ab'
    assert w.message_hash('sha256', msg) == b'\xfe\x00\x00\x20' + hashlib.sha256(msg).digest()


def test_undetermined_check_makes_dependent_criteria_open():
    result = {'status': 'ok', 'protocols': {'TLSv1.2': True, 'TLSv1.3': True}, 'cipher_suites': {'TLSv1.2': [], 'TLSv1.3': []},
              'groups': [], 'certificates': [], 'certificate_deployments': [], 'security': {}}
    base = _mozilla.evaluate(result, GUIDELINES, 'intermediate')
    before = dict((i['criterion'], i['result']) for i in base['criteria'])
    assert before['tls_versions'] == 'pass' and before['tls_curves'] == 'pass'
    result['undetermined'] = [{'check': 'groups', 'reason': 'timeout: no answer within 1.0 s'}]
    after = dict((i['criterion'], i) for i in _mozilla.evaluate(result, GUIDELINES, 'intermediate')['criteria'])
    assert after['tls_curves']['result'] == 'info' and 'could not be determined' in after['tls_curves']['message']
    assert after['tls_versions']['result'] == 'pass'
    assert 'tls_curves' in [i['criterion'] for i in _mozilla.undetermined({'criteria': list(after.values())})]


def test_deadline_helper():
    limit = _deadline.Deadline(0.2, 'the test')
    assert 0 < limit.timeout(cap=0.1) <= 0.1
    time.sleep(0.25)
    with pytest.raises(_deadline.DeadlineExceeded) as info:
        limit.timeout()
    assert isinstance(info.value, socket.timeout) and 'overall deadline of 0.2 s' in str(info.value)
    assert _deadline.call(lambda x: x + 1, _deadline.Deadline(1), 1) == 2
    begin = time.monotonic()
    with pytest.raises(_deadline.DeadlineExceeded):
        _deadline.call(time.sleep, _deadline.Deadline(0.2), 5)
    assert time.monotonic() - begin < 1.0
    with pytest.raises(ZeroDivisionError):
        _deadline.call(lambda: 1 // 0, _deadline.Deadline(1))


def test_recv_until_trickle_is_bounded():
    left, right = socket.socketpair()
    stop = threading.Event()

    def trickle():
        while not stop.is_set():
            try:
                right.sendall(b'x')
            except OSError:
                return
            time.sleep(0.02)

    sender = threading.Thread(target=trickle)
    sender.start()
    try:
        begin = time.monotonic()
        with pytest.raises(socket.timeout):
            _deadline.recv_until(left, _deadline.Deadline(0.5), lambda b: b'\n' in b)
        assert time.monotonic() - begin < 1.0
    finally:
        stop.set()
        sender.join()
        left.close()
        right.close()


def test_hanging_resolver_is_bounded(monkeypatch):
    """Name resolution runs inside the timeout. A mock: a resolver that hangs cannot be made here, so getaddrinfo sleeps."""
    real = socket.getaddrinfo

    def slow(host, *args, **kwargs):
        if host == 'slow.example':
            time.sleep(3)
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, 'getaddrinfo', slow)
    begin = time.monotonic()
    result = scan.scan_endpoint({'host': 'slow.example', 'port': 443}, {'timeout': 0.5})
    assert time.monotonic() - begin < 1.5
    assert result['status'] == 'error' and result['error']['kind'] == 'dns' and 'within 0.5 s' in result['error']['message'], result
