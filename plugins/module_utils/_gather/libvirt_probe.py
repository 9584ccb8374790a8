# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The authentication probe of libvirt_tls_info: which authentication each observed plain-TCP libvirt listener
demands (libvirt RPC ``REMOTE_PROC_AUTH_LIST``, one short bounded connection each, no authentication attempted).

Apart from :mod:`_gather.libvirt` because only a live node is probed: ``gather`` imports this module when it
probes, a snapshot never does (docs/scale.md, imports on first use).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import socket
import ssl
import struct

from ansible_collections.scs.secure_connections.plugins.module_utils._core import deadline as _deadline
from ansible_collections.scs.secure_connections.plugins.module_utils._core.netaddr import hostport as endpoint, is_wildcard

# libvirt remote protocol (src/remote/remote_protocol.x)
REMOTE_PROGRAM = 0x20008086
REMOTE_PROC_AUTH_LIST = 66
AUTH_TYPES = {0: 'none', 1: 'sasl', 2: 'polkit'}


def rpc_auth_list(host, port, timeout=3.0):
    """``(auth types, error)`` a plain-TCP libvirt listener demands (``REMOTE_PROC_AUTH_LIST``).

    Bounded: the whole probe (connect, request, answer) within ``timeout`` seconds overall, the
    answer at most 64 KiB (a peer trickling bytes cannot hold it longer)."""
    packet = struct.pack('>IIiiIi', REMOTE_PROGRAM, 1, REMOTE_PROC_AUTH_LIST, 0, 1, 0)
    packet = struct.pack('>I', 4 + len(packet)) + packet
    where = endpoint(host, port)
    limit = _deadline.Deadline(timeout, 'the libvirt authentication probe of %s' % where)
    try:
        sock = _deadline.connect(host, port, limit)
    except (OSError, UnicodeError) as exc:   # DeadlineExceeded and socket.timeout included
        return None, 'cannot connect to %s: %s' % (where, exc)
    try:
        limit.settimeout(sock)
        sock.sendall(packet)
        data = _deadline.recv_until(sock, limit, lambda b: len(b) >= 4 and len(b) >= struct.unpack('>I', bytes(b[:4]))[0])
    except socket.timeout:   # DeadlineExceeded included
        return None, 'no complete answer from %s within %.1f s overall (the peer is silent or trickles)' % (where, timeout)
    except EOFError:
        return None, 'connection closed by %s without an answer (not a libvirt RPC listener, or TLS)' % where
    except ValueError:
        return None, 'answer of %s too long for an auth list' % where
    except (OSError, ssl.SSLError) as exc:
        return None, 'no answer from %s: %s' % (where, exc)
    finally:
        sock.close()
    return _auth_list_answer(data, where)


def _auth_list_answer(data, where):
    """``(auth types, error)`` from a REMOTE_PROC_AUTH_LIST reply (or its remote_error)."""
    try:
        length = struct.unpack('>I', data[:4])[0]
        prog, _vers, _proc, _type, _serial, status = struct.unpack('>IIiiIi', data[4:28])
        body = data[28:length]
        if prog == REMOTE_PROGRAM and status == 1:
            return None, 'libvirt RPC error from %s: %s' % (where, _remote_error_message(body))
        if prog != REMOTE_PROGRAM or status != 0:
            return None, 'unexpected libvirt answer from %s (program %x, status %d)' % (where, prog, status)
        count = struct.unpack('>I', body[:4])[0]
        values = struct.unpack('>%di' % count, body[4:4 + 4 * count])
    except struct.error as exc:
        return None, 'malformed answer from %s: %s' % (where, exc)
    return [AUTH_TYPES.get(v, str(v)) for v in values], None


def _remote_error_message(body):
    """The message of an XDR remote_error (code, domain, optional message string, ...), best effort."""
    try:
        code, _domain, present = struct.unpack('>iiI', body[:12])
        if not present:
            return 'error code %d' % code
        size = struct.unpack('>I', body[12:16])[0]
        text = body[16:16 + min(size, 1024)].decode('utf-8', 'replace')
        return '%s (code %d)' % (' '.join(text.split()), code)
    except struct.error:
        return 'unreadable remote_error'


def probe_tcp_auth(listeners, timeout):
    """Ask every observed plain-TCP libvirt listener which authentication it demands."""
    probes = []
    done = set()
    for item in listeners:
        if item['transport'] != 'tcp':
            continue
        if item.get('netns') not in (None, 'host'):
            probes.append({'endpoint': item['endpoint'], 'connected_to': None, 'auth': None,
                           'error': 'listener in network namespace %s, not probed from the host namespace' % item['netns']})
            continue
        addr = item['address']
        if is_wildcard(addr):
            addr = '::1' if item.get('family') == 'inet6' and addr == '::' else '127.0.0.1'
        key = (addr, item['port'])
        if key in done:
            continue
        done.add(key)
        auth, error = rpc_auth_list(addr, item['port'], timeout)
        probes.append({'endpoint': item['endpoint'], 'connected_to': endpoint(addr, item['port']), 'auth': auth, 'error': error})
        item['auth_observed'] = auth
    return probes
