# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The certificate inventory end to end: the audit playbook (real ansible-playbook, audit and report roles) on a
kolla-like tree with the lab PKI's certificate files, probing two real TLS servers on loopback (Python's ssl
module): one serves the certificate of its file, the other an older certificate while its file already holds the
renewed one. The report joins files and served certificates by fingerprint; no private key leaves the node."""

from __future__ import absolute_import, division, print_function

import json
import os
import shutil
import ssl
import sys

import yaml

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), 'api'))
from keystone_helpers import run_playbook  # noqa: E402  pylint: disable=wrong-import-position

from lab.peers import Peer  # noqa: E402  pylint: disable=wrong-import-position
from lab.pki import CA  # noqa: E402  pylint: disable=wrong-import-position

PLAY = '- ansible.builtin.import_playbook: scs.secure_connections.audit\n'


def _tls_server(cert, key):
    """A loopback peer (lab.peers.Peer) that completes TLS handshakes with one certificate until stopped."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(cert, key)

    def handshake(_peer, conn):  # a failed handshake (ssl.SSLError, an OSError) ends the connection in Peer
        conn.settimeout(3)
        with context.wrap_socket(conn, server_side=True) as tls:
            tls.recv(1)

    return Peer('tls-%s' % os.path.basename(cert), handshake, lifetime=600.0)


def _put(root, path, source, mode=0o644):
    full = os.path.join(str(root), path.lstrip('/'))
    os.makedirs(os.path.dirname(full), exist_ok=True)
    shutil.copyfile(source, full)
    os.chmod(full, mode)


def test_inventory_through_the_playbook(tmp_path):
    ca = CA(str(tmp_path / 'pki'))
    api = ca.issue('api', sans=('localhost', '127.0.0.1'))
    old = ca.issue('libvirt-old', sans=('localhost', '127.0.0.1'), common_name='libvirt')
    new = ca.issue('libvirt-new', sans=('localhost', '127.0.0.1'), common_name='libvirt')
    tree = tmp_path / 'tree'
    _put(tree, '/etc/kolla/certificates/haproxy.pem', api.bundle, 0o600)
    _put(tree, '/etc/kolla/certificates/ca/root.crt', ca.cert)
    _put(tree, '/etc/pki/libvirt/servercert.pem', new.cert)
    _put(tree, '/etc/pki/libvirt/private/serverkey.pem', new.key, 0o600)
    servers = [_tls_server(api.cert, api.key), _tls_server(old.cert, old.key)]
    try:
        hosts = {'node-a': {'ansible_connection': 'local', 'audit_root': str(tree), 'audit_tls_ca_files': [ca.cert],
                            'audit_tls_discover_listeners': False, 'audit_tls_timeout': 3,
                            'audit_tls_endpoints': [{'host': '127.0.0.1', 'port': s.port, 'label': label}
                                                    for s, label in zip(servers, ('haproxy', 'libvirtd'))]}}
        inventory = tmp_path / 'inventory.yml'
        inventory.write_text(yaml.safe_dump({'all': {'hosts': hosts, 'vars': {'audit_channels': ['tls']}}}))
        rc, log = run_playbook(tmp_path, PLAY, extra_vars={'report_output_dir': str(tmp_path / 'out')}, inventory=str(inventory))
    finally:
        for server in servers:
            server.stop()
    assert rc == 0, log[-3000:]
    report = json.loads((tmp_path / 'out' / 'scs-0125-report.json').read_text())
    inv = report['certificate_inventory']
    by_label = dict((c['served'][0]['label'], c) for c in inv['certificates'] if c['served'])
    assert by_label['haproxy']['file_match'] == 'same'
    assert by_label['haproxy']['files'] == [{'host': 'node-a', 'path': '/etc/kolla/certificates/haproxy.pem', 'deployment': 'kolla'}]
    assert by_label['libvirtd']['file_match'] == 'differs'
    assert [d['path'] for d in by_label['libvirtd']['differs_from']] == ['/etc/pki/libvirt/servercert.pem']
    assert by_label['libvirtd']['subject'] == 'CN=libvirt,O=SCS Lab' and by_label['libvirtd']['sans'] == ['localhost', '127.0.0.1']
    assert sorted(k['path'] for k in inv['key_files']) == ['/etc/kolla/certificates/haproxy.pem', '/etc/pki/libvirt/private/serverkey.pem']
    assert inv['counts']['same'] == 1 and inv['counts']['differs'] == 1 and inv['counts']['world_readable_keys'] == 0
    # no private key material anywhere: not in the report, not in the play's -vvv output
    for key in (api.key, new.key):
        lines = [line for line in open(key).read().splitlines() if line and not line.startswith('-----')]
        assert not any(line in log for line in lines)
        assert not any(line in (tmp_path / 'out' / 'scs-0125-report.json').read_text() for line in lines)
    page = (tmp_path / 'out' / 'scs-0125-report.html').read_text()
    assert 'Certificate inventory' in page and 'DIFFERS' in page and '/etc/pki/libvirt/servercert.pem' in page
    assert 'CERTIFICATE FILES: 1 served certificate(s) differ from the file for the same names, 0 private key file(s)' in log
    assert 'TARGETS: ' in log and 'not assessed' in log
