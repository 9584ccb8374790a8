# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Probes the one gather call hands back (audit_mq_probe_delegate_to names another host), end to end through the
audit role and real ansible-playbook: the host stays pending until the delegated probe is recorded, the probe runs
from the named host against a real loopback TLS server (certificate from a lab CA), and its result lands in the
channel's tls evidence of the audited host, which the report then counts as audited."""

from __future__ import absolute_import, division, print_function

import json
import os
import ssl
import sys

from scale_helpers import write_inventory

from lab.paths import REPO
from lab.peers import Peer
from lab.pki import CA

PLAY = """
- ansible.builtin.import_playbook: scs.secure_connections.audit

- hosts: node-a
  gather_facts: false
  tasks:
    - ansible.builtin.copy:
        content: "{{ (['node-a'] | scs.secure_connections.collect_evidence(hostvars)) | to_json }}"
        dest: "{{ out }}/evidence.json"
      delegate_to: localhost
"""


def _tls_server(cert, key):
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(cert, key)

    def handshake(_peer, conn):
        conn.settimeout(3)
        with context.wrap_socket(conn, server_side=True) as tls:
            tls.recv(1)

    return Peer('tls-delegated', handshake, lifetime=300.0)


def test_a_probe_delegated_to_another_host_is_recorded_in_the_audited_host(runner, tmp_path):
    ca = CA(str(tmp_path / 'pki'))
    leaf = ca.issue('broker', sans=('localhost', '127.0.0.1'))
    server = _tls_server(leaf.cert, leaf.key)
    trees = os.path.join(REPO, 'tests', 'fixtures', 'trees')
    local = {'ansible_connection': 'local', 'ansible_python_interpreter': sys.executable}
    hosts = {'node-a': dict(local, audit_root=os.path.join(trees, 'kolla'), audit_mq_probe_delegate_to='prober',
                            audit_mq_tls_ca_files=[ca.cert], audit_mq_tls_endpoints=[{'host': '127.0.0.1', 'port': server.port}]),
             'prober': dict(local, audit_root=os.path.join(trees, 'distro'))}
    out = tmp_path / 'out'
    out.mkdir()
    try:
        rc, log = runner.playbook(PLAY, extra_vars={'out': str(out), 'report_output_dir': str(out), 'audit_channels': ['mq']},
                                  inventory=write_inventory(tmp_path / 'hosts.yml', hosts, control='node-a'))
    finally:
        server.stop()
    assert rc == 0, log[-3000:]
    assert 'node-a -> prober' in log and 'mq from prober' in log, 'the probe ran from the named host'
    assert server.connections > 0
    evidence = json.loads((out / 'evidence.json').read_text())['node-a']
    assert evidence['audit_status'] == {'audited': True}, 'the delegated step took itself off pending'
    probed = [e for e in evidence['mq']['tls']['endpoints'] if e.get('port') == server.port]
    assert len(probed) == 1 and probed[0]['status'] == 'ok' and probed[0]['error'] is None, probed
    assert probed[0]['protocols']['TLSv1.2'] and probed[0]['certificates'][0]['subject'] == 'CN=broker,O=SCS Lab'
    report = json.loads((out / 'scs-0125-report.json').read_text())
    assert dict((n['host'], n['audited']) for n in report['nodes']) == {'node-a': True, 'prober': True}
