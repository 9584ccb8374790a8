# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The hypervisor controls against REAL libvirtd daemons (lab/libvirt.py).

Each scenario starts ``libvirtd --listen --config <tmp>/libvirtd.conf``, proves what the daemon
really does with a real client (virsh, a TLS handshake with and without a client certificate, the
libvirt RPC auth list), gathers with ``libvirt_tls_info``'s code on this machine's live ``/proc``
and judges with the rules. "Exposed" daemons run in a private network namespace of their own, bound
to 0.0.0.0 there: to the audit that is a listener on all interfaces, yet nothing outside the
namespace can reach it.

Not testable with a real daemon here: live migration itself (two QEMU hosts). The migration
control reads only files (nova.conf, qemu.conf, the QEMU certificate directory); its pass and fail
scenarios run on the fixture trees (tests/unit/hv) and in test_hv_playbook.py.
"""

from __future__ import absolute_import, division, print_function

import os

import pytest

from ansible_collections.scs.secure_connections.plugins.module_utils._gather import libvirt as _libvirt
from ansible_collections.scs.secure_connections.plugins.module_utils._core.evaluator import evaluate
from ansible_collections.scs.secure_connections.plugins.module_utils._rules.hv import CLIENT_CERT, EXPOSURE, RULES, SSH_LOCAL
from lab.hv_trees import host_evidence

HOST = 'lab-node'


def _nova_discovery(scheme):
    """Discovery evidence of a compute node whose nova migrates with ``scheme`` (only nova's [libvirt] matters here)."""
    return {'services': [{'service': 'nova', 'component': None, 'layout': 'distro', 'files': ['/etc/nova/nova.conf'],
                          'libvirt': {'live_migration_scheme': scheme, 'live_migration_with_native_tls': None, 'live_migration_uri': None,
                                      'live_migration_tunnelled': None, 'live_migration_inbound_addr': None}}]}


def _judge(daemon, scheme='tls', client=None):
    """Gather on this machine (live /proc) and judge; returns (gathered, findings about this daemon's socket)."""
    pki = daemon.pkipath(client) if client else None
    gathered = _libvirt.gather(root='/', proc_path='/proc', probe=True, timeout=3, client_pki_path=pki)
    mine = [item for item in gathered['listeners'] if item['pid'] == daemon.pid]
    assert mine, 'the gatherer did not see the lab daemon %s on port %s: %s' % (daemon.pid, daemon.port, gathered['listeners'])
    findings = evaluate({HOST: host_evidence(gathered, _nova_discovery(scheme))}, rules=RULES)
    endpoint = mine[0]['endpoint']
    return gathered, mine[0], [f for f in findings if f['target'].get('endpoint') == endpoint], findings


def _status(findings, control):
    return [(f['status'], f['target'].get('setting')) for f in findings if f['control_id'] == control]


def test_tcp_without_auth_on_the_network_fails(libvirtd):
    daemon = libvirtd('tcp-none', netns=True)
    # the real daemon: no authentication at all, any client drives the hypervisor
    assert daemon.auth_list() == ['none']
    assert daemon.virsh('list').returncode == 0
    gathered, sock, findings, _all = _judge(daemon, scheme='ssh')
    assert sock['wildcard'] and not sock['loopback'] and sock['transport'] == 'tcp' and sock['netns'] != 'host'
    assert _status(findings, EXPOSURE) == [('fail', 'auth_tcp')]
    exposure = [f for f in findings if f['control_id'] == EXPOSURE][0]
    assert 'auth_tcp = "none" (%s line' % daemon.conf in exposure['message']
    assert exposure['target']['file'] == daemon.conf and exposure['target']['host'] == HOST
    # SSH migration with libvirt on the network: the SSH-local variant fails on the same socket
    assert _status(findings, SSH_LOCAL) == [('fail', 'listen_addr')]
    daemon_entry = [d for d in gathered['daemons'] if daemon.pid in d['pids']][0]
    assert daemon_entry['settings']['auth_tcp'] == {'value': 'none', 'source': 'file', 'file': daemon.conf, 'line': 9}
    assert daemon_entry['listen_flag']['value'] is True and '/proc/%d/cmdline' % daemon.pid in daemon_entry['listen_flag']['source']


def test_tcp_with_sasl_on_the_network_fails_as_not_a_secure_channel(libvirtd):
    daemon = libvirtd('tcp-sasl', netns=True)
    assert daemon.auth_list() == ['sasl']
    refused = daemon.virsh('list')
    assert refused.returncode != 0 and 'authentication failed' in refused.stderr
    _gathered, _sock, findings, _all = _judge(daemon)
    assert _status(findings, EXPOSURE) == [('fail', 'listen_tcp')]
    assert 'SASL authenticates, but it is not a secure channel' in findings[0]['message']


def test_tcp_on_loopback_passes_and_the_listener_is_asked(libvirtd):
    daemon = libvirtd('tcp-none')
    gathered, sock, findings, _all = _judge(daemon, scheme='ssh')
    assert sock['loopback'] and sock['netns'] == 'host'
    # the gatherer asked the running listener itself which authentication it demands
    assert sock['auth_observed'] == ['none']
    assert [p for p in gathered['tcp_auth_probes'] if p['endpoint'] == sock['endpoint']][0]['auth'] == ['none']
    assert _status(findings, EXPOSURE) == [('pass', 'listen_addr')]
    assert _status(findings, SSH_LOCAL) == []      # loopback sockets: no per-socket SSH-local failure


def test_tls_verifying_on_the_network_passes_exposure(libvirtd):
    daemon = libvirtd('tls-verify', netns=True)
    assert daemon.tls_session(None) == 'closed'          # no client certificate: libvirt hangs up
    assert daemon.tls_session('compute1') == 'accepted'
    _gathered, sock, findings, _all = _judge(daemon)
    assert sock['transport'] == 'tls' and sock['wildcard']
    assert _status(findings, EXPOSURE) == [('pass', 'tls_no_verify_certificate')]
    # verified, but any certificate of the CA is accepted: the client-cert control fails on tls_allowed_dn_list
    assert _status(findings, CLIENT_CERT) == [('fail', 'tls_allowed_dn_list')]
    assert daemon.tls_session('compute2') == 'accepted'   # ... which the real daemon confirms


def test_tls_without_verification_on_the_network_fails(libvirtd):
    daemon = libvirtd('tls-noverify', netns=True)
    assert daemon.tls_session(None) == 'accepted'          # anyone, without any certificate
    _gathered, _sock, findings, _all = _judge(daemon)
    assert _status(findings, EXPOSURE) == [('fail', 'tls_no_verify_certificate')]
    assert sorted(_status(findings, CLIENT_CERT)) == [('fail', 'tls_allowed_dn_list'), ('fail', 'tls_no_verify_certificate')]
    virsh = daemon.virsh('list', client=None)
    assert virsh.returncode == 0, virsh.stderr                # the real client gets in without a certificate


def test_tls_with_allowed_dn_list_passes_client_cert(libvirtd):
    daemon = libvirtd('tls-dn', allowed=('compute1',))
    assert daemon.tls_session('compute1') == 'accepted'
    assert daemon.tls_session('compute2') == 'closed'        # a certificate of the same CA, but not on the list
    assert daemon.tls_session(None) == 'closed'
    assert daemon.virsh('list', client='compute1').returncode == 0
    assert daemon.virsh('list', client='compute2').returncode != 0
    gathered, _sock, findings, everything = _judge(daemon, client='compute1')
    assert _status(findings, CLIENT_CERT) == [('pass', 'tls_allowed_dn_list')]
    assert _status(findings, EXPOSURE) == [('pass', 'listen_addr')]       # on loopback
    # this node's own identity (client_pki_path = the compute1 pkipath): one subject, unique
    identity = [f for f in everything if f['control_id'] == CLIENT_CERT and not f['target'].get('endpoint')]
    assert [f['status'] for f in identity] == ['pass']
    assert gathered['client_certificates']['cert']['libvirt_dn'] == 'O=SCS Lab,CN=compute1.lab.example'
    assert os.path.dirname(identity[0]['target']['file']) == daemon.pkipath('compute1')


@pytest.mark.parametrize('mode', ['tcp-none', 'tls-verify'])
def test_stopped_daemon_leaves_no_observed_socket(libvirtd, mode):
    daemon = libvirtd(mode)
    pid, port = daemon.pid, daemon.port
    daemon.stop()
    gathered = _libvirt.gather(root='/', proc_path='/proc', probe=False)
    assert not [item for item in gathered['listeners'] if item['pid'] == pid or item['port'] == port]


@pytest.mark.parametrize('priority, compliant_criteria', [
    (None, {'tls_versions': 'fail', 'ciphers': 'fail', 'ciphersuites': 'fail', 'tls_curves': 'fail'}),
    ('mozilla', {'tls_versions': 'pass', 'ciphers': 'pass', 'ciphersuites': 'pass', 'tls_curves': 'pass'}),
])
def test_libvirt_tls_listener_against_mozilla(libvirtd, priority, compliant_criteria):
    """What the TLS engine finds on libvirt's TLS port: GnuTLS's default priority fails Mozilla
    intermediate; the tls_priority of docs/channel-hv.md fixes the protocol, suite and group criteria."""
    from ansible_collections.scs.secure_connections.tests.integration.tls.judged import scan_endpoint
    from lab.libvirt import MOZILLA_INTERMEDIATE_PRIORITY
    extra = ['tls_priority = "%s"' % MOZILLA_INTERMEDIATE_PRIORITY] if priority else []
    daemon = libvirtd('tls-verify', extra=extra)
    result = scan_endpoint({'host': '127.0.0.1', 'port': daemon.port, 'label': 'libvirt'}, {'ca_files': [daemon.ca.cert], 'timeout': 10})
    assert result['status'] == 'ok', result['error']       # libvirt completes the handshake without a client certificate
    items = dict((i['criterion'], i['result']) for i in result['mozilla']['criteria'])
    assert dict((k, items.get(k)) for k in compliant_criteria) == compliant_criteria, result['mozilla']['criteria']
    assert daemon.tls_session('compute1') == 'accepted'      # the priority string does not lock out libvirt's own clients
