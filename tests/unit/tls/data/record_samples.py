# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Record the byte samples of ``samples.json`` from real servers (a developer tool, not run by the tests).

    python tests/unit/tls/data/record_samples.py

Starts a few members of the lab TLS corpus (lab/tls_servers.py: nginx, openssl s_server, Python ssl)
and a MariaDB (lab/mariadb.py), sends each one fixed ClientHellos built with ``_tls_wire`` and
stores what the server sent back, as hex. Only public material is recorded (ServerHello flights,
certificates of a throw-away CA, alerts, a MySQL greeting); no key is stored. The expectations in
``samples.json`` (``expect``) were written by hand from the servers' configurations.
"""

from __future__ import absolute_import, division, print_function

import json
import os
import socket
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, '..', '..', '..', '..'))
sys.path.insert(0, REPO)
from lab.paths import collections_root  # noqa: E402
sys.path.insert(0, collections_root())
from ansible_collections.scs.secure_connections.plugins.module_utils._tls import wire as w  # noqa: E402

RANDOM = bytes(range(32))


def _raw(port, data, until=1.0, pre=None):
    sock = socket.create_connection(('127.0.0.1', port), timeout=3)
    out = b''
    try:
        if pre is not None:
            out = pre(sock)
        if data:
            sock.sendall(data)
        sock.settimeout(0.3)
        end = time.monotonic() + until
        while time.monotonic() < end:
            try:
                chunk = sock.recv(65536)
            except socket.timeout:
                break
            if not chunk:
                break
            out += chunk
    finally:
        sock.close()
    return out


def main():
    from lab.tls_servers import start_corpus
    from lab.mariadb import start_mariadb
    samples = json.load(open(os.path.join(HERE, 'samples.json'))) if os.path.exists(os.path.join(HERE, 'samples.json')) else {}
    work = tempfile.mkdtemp(prefix='tls-samples-')
    names = ['nginx-rsa', 'nginx-ecdsa', 'nginx-tls10', 'openssl-dh1024', 'python-default']
    with start_corpus(os.path.join(work, 'corpus'), names=names) as corpus:
        port = dict((s.name, s.port) for s in corpus.servers)
        hellos = {
            'tls12_ecdhe_rsa': ('nginx-rsa', w.client_hello(w.TLS12, [0xC02F], server_name='localhost', groups=[23], random=RANDOM)),
            'tls12_ecdhe_ecdsa': ('nginx-ecdsa', w.client_hello(w.TLS12, [0xC02B], server_name='localhost', groups=[23], random=RANDOM)),
            'tls12_dhe_1024': ('openssl-dh1024', w.client_hello(w.TLS12, [0x009E], server_name='localhost', random=RANDOM)),
            'tls12_static_rsa': ('python-default', w.client_hello(w.TLS12, [0x002F], server_name='localhost', random=RANDOM)),
            'tls10_cbc': ('nginx-tls10', w.client_hello(w.TLS10, [0xC013], server_name='localhost', groups=[23], random=RANDOM)),
            'tls13_hrr': ('nginx-rsa', w.client_hello(w.TLS12, [0x1302, 0x1301], server_name='localhost', groups=[24, 23], key_shares=[],
                                                      tls13_versions=[w.TLS13], random=RANDOM, session_id=bytes(32))),
            'alert_protocol_version': ('nginx-rsa', w.client_hello(w.TLS10, w.suites_for_version(w.TLS10), server_name='localhost', random=RANDOM)),
            'alert_inappropriate_fallback': ('nginx-tls10', w.client_hello(
                w.TLS11, w.suites_for_version(w.TLS11) + [w.SCSV_FALLBACK], server_name='localhost', groups=[23], random=RANDOM)),
            'alert_handshake_failure': ('nginx-rsa', w.client_hello(w.TLS12, [0x000A], server_name='localhost', random=RANDOM)),
        }
        for name, (member, (rec, _msg)) in sorted(hellos.items()):
            data = _raw(port[member], rec)
            entry = samples.setdefault(name, {})
            entry.update(server=member, client_hello=rec.hex(), server_bytes=data.hex())
            print(name, member, len(data))
    db = start_mariadb(os.path.join(work, 'db'), tls=True)
    try:
        greeting = _raw(db.port, b'', until=0.5)
        samples.setdefault('mysql_greeting', {}).update(server='mariadb', client_hello='', server_bytes=greeting.hex())
    finally:
        db.stop()
    with open(os.path.join(HERE, 'samples.json'), 'w') as handle:
        json.dump(samples, handle, indent=1, sort_keys=True)
        handle.write('\n')


if __name__ == '__main__':
    main()
