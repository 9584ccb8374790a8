# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Overall deadlines for network operations: the one helper every gatherer uses.

A per-read timeout does not bound a peer that trickles one byte at a time. Every network
operation of the collection therefore runs against a :class:`Deadline` (an absolute end on the
monotonic clock): sockets get ``settimeout(remaining)`` before every operation, name resolution
runs inside the deadline, and library calls that own their sockets (openstacksdk/keystoneauth,
PyMySQL, pika) run in a daemon thread joined with the deadline (:func:`call`), after their own
connect/read timeouts were set. :class:`DeadlineExceeded` is a ``socket.timeout``, so code that
already handles timeouts handles it.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import socket
import threading
import time


class DeadlineExceeded(socket.timeout):
    """The overall deadline of an operation has passed."""


class Deadline(object):
    """An absolute end: ``Deadline(30, 'Keystone discovery')``; ``remaining()``, ``timeout(cap)``."""

    def __init__(self, seconds, what='the operation'):
        self.total = max(0.0, float(seconds))
        self.what = what
        self.end = time.monotonic() + self.total

    def remaining(self):
        return self.end - time.monotonic()

    def expired(self):
        return self.remaining() <= 0

    def message(self):
        return '%s did not finish within its overall deadline of %.1f s' % (self.what, self.total)

    def timeout(self, cap=None):
        """Seconds left (at most ``cap``); raises DeadlineExceeded when none are left."""
        left = self.remaining()
        if left <= 0:
            raise DeadlineExceeded(self.message())
        return min(left, cap) if cap else left

    def settimeout(self, sock, cap=None):
        """``sock.settimeout`` with what is left; call it before every send/recv."""
        sock.settimeout(self.timeout(cap))
        return sock

    def sub(self, seconds, what=None):
        """A nested deadline: ``seconds`` from now, never later than this one."""
        inner = Deadline(min(seconds, max(0.0, self.remaining())), what or self.what)
        return inner


def recv(sock, deadline, size=65536, cap=None):
    """One ``recv`` bounded by the deadline (and by ``cap`` seconds)."""
    deadline.settimeout(sock, cap)
    return sock.recv(size)


def recv_until(sock, deadline, done, limit=65536, cap=None):
    """Read until ``done(bytes)`` is true, at most ``limit`` bytes, within the deadline.

    Returns the bytes read; raises DeadlineExceeded, EOFError on a closed connection before
    ``done``, ValueError past ``limit``. Linear in the input (a bytearray, no re-copying)."""
    buf = bytearray()
    while not done(buf):
        chunk = recv(sock, deadline, min(65536, limit + 1 - len(buf)), cap)
        if not chunk:
            raise EOFError('connection closed after %d bytes' % len(buf))
        buf += chunk
        if len(buf) > limit:
            raise ValueError('more than %d bytes' % limit)
    return bytes(buf)


def call(fn, deadline, *args, **kwargs):
    """``fn(*args, **kwargs)`` in a daemon thread, waited for until the deadline.

    Returns its result or raises its exception; raises DeadlineExceeded if it has not finished
    in time (the thread is abandoned: it is a daemon and ends with the process, the library's own
    socket timeouts end it sooner)."""
    box = {}

    def run():
        try:
            box['result'] = fn(*args, **kwargs)
        except BaseException as exc:  # pylint: disable=broad-except
            box['error'] = exc

    worker = threading.Thread(target=run, name='deadline-call')
    worker.daemon = True
    worker.start()
    worker.join(max(0.0, deadline.remaining()))
    if worker.is_alive():
        raise DeadlineExceeded(deadline.message())
    if 'error' in box:
        raise box['error']
    return box.get('result')


def resolve(host, port, deadline, family=0, cap=None):
    """``getaddrinfo(host, port, family, SOCK_STREAM)`` within the deadline (a resolver that hangs
    cannot hold the caller). Raises socket.gaierror, UnicodeError or DeadlineExceeded."""
    limit = Deadline(deadline.timeout(cap), 'name resolution of %s' % host)
    return call(socket.getaddrinfo, limit, host, port, family, socket.SOCK_STREAM)


def connect(host, port, deadline, cap=None):
    """A TCP connection within the deadline (name resolution included); the socket's timeout is
    set to what is left (at most ``cap``)."""
    infos = resolve(host, port, deadline, cap=cap)
    error = None
    for family, stype, proto, _canon, addr in infos:
        sock = socket.socket(family, stype, proto)
        try:
            deadline.settimeout(sock, cap)
            sock.connect(addr)
            deadline.settimeout(sock, cap)
            return sock
        except OSError as exc:
            sock.close()
            error = exc
            if isinstance(exc, socket.timeout):
                break
    raise error if error is not None else OSError('no address for %s' % host)
