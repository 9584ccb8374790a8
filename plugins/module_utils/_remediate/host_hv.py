# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The libvirt part of the distro-node planner (remediate_host): libvirtd.conf, socket units, nova's migration settings.

Clients before servers, as for the broker: libvirt's plain TCP socket is only closed when nova on the
node does not migrate over it (``live_migration_scheme`` ssh or tls, no ``qemu+tcp`` URI); client
certificate verification is only switched on when every audited compute node presents a client
certificate of its own, and ``tls_allowed_dn_list`` only written when it admits every audited
compute node. Nodes whose libvirt runs from kolla-ansible's rendered files are left to remediate_kolla.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import fnmatch
import json

from ansible_collections.scs.secure_connections.plugins.module_utils._remediate import host_certs as certs

MIGRATION = 'scs-0125-hv-migration-encrypted'
EXPOSURE = 'scs-0125-hv-libvirt-exposure'
CLIENT_CERT = 'scs-0125-hv-libvirt-client-cert'
SSH_LOCAL = 'scs-0125-hv-libvirt-ssh-local'
QEMU_FILES = ('ca-cert.pem', 'server-cert.pem', 'server-key.pem', 'client-cert.pem', 'client-key.pem')


def _target(finding):
    return finding.get('target') or {}


def _evidence(finding):
    return finding.get('evidence') or {}


def nova_transport(findings, host):
    """nova's live-migration settings on ``host`` as the hv-migration-encrypted finding recorded them, or None."""
    for finding in findings:
        if finding.get('control_id') == MIGRATION and _target(finding).get('host') == host and 'scheme' in _evidence(finding):
            return _evidence(finding)
    return None


def _kolla(plan, cid, path):
    if path and str(path).startswith('/etc/kolla/'):
        plan.note_manual(cid, '%s is rendered by kolla-ansible (it overwrites edits): use the remediate_kolla role' % path)
        return True
    return False


def _unit(plan, cid, unit, enable, why):
    if plan.options.get('systemd'):
        entry = plan.units.setdefault(unit, {'name': unit, 'enabled': enable, 'state': 'started' if enable else 'stopped',
                                             'controls': set(), 'reason': why})
        entry['controls'].add(cid)
    else:
        plan.note_manual(cid, 'systemctl %s --now %s (%s); no systemd was seen on this node, so the role does not do it'
                         % ('enable' if enable else 'disable', unit, why))


def _switch_nova_to_tls(plan, cid, nova):
    """nova migrates over qemu+tcp: move it to qemu+tls when the operator vouches for libvirt TLS on every compute node."""
    nova_file = nova.get('nova_file')
    if nova.get('live_migration_uri'):
        plan.refuse(cid, 'nova on %s migrates with live_migration_uri = %s (%s), a plain qemu+tcp connection: closing libvirt\'s TCP '
                         'socket would break live migration. Remove the deprecated live_migration_uri by hand, set '
                         'live_migration_scheme = tls, then run this again' % (plan.host, nova.get('live_migration_uri'), nova_file))
        return
    if not plan.options.get('libvirt_tls_ready'):
        plan.refuse(cid, 'nova on %s migrates over qemu+tcp (live_migration_scheme %s, %s): closing libvirt\'s TCP socket would break live '
                         'migration. Serve libvirt TLS with certificates on every compute node, then set '
                         'remediate_host_libvirt_tls_ready: true (nova is switched to live_migration_scheme = tls first)'
                    % (plan.host, nova.get('live_migration_scheme') or 'unset', nova_file))
        return
    plan.ini_set(cid, nova_file, 'libvirt', 'live_migration_scheme', 'tls', 'nova migrates over qemu+tls', 'nova-compute')
    _libvirt_identity(plan, cid)
    inbound = plan.options.get('live_migration_inbound_addr')
    if inbound:
        plan.ini_set(cid, nova_file, 'libvirt', 'live_migration_inbound_addr', inbound,
                     'the name in this node\'s libvirt server certificate', 'nova-compute')
    plan.refuse(cid, 'libvirt\'s TCP socket on %s stays open in this run: nova is switched to live_migration_scheme = tls now. Restart '
                     'nova-compute on every compute node, re-audit, then run this again' % plan.host)


def _libvirt_identity(plan, cid, conf=None, daemon='libvirtd'):
    """This node's libvirt server and client certificate from the operator's CA (missing files only), when a CA is given;
    libvirtd.conf names the server's files where they are not libvirt's defaults."""
    if certs.has_ca(plan):
        inbound = plan.options.get('live_migration_inbound_addr')
        server = certs.files_for(plan, 'libvirt_server', certs.LIBVIRT_SERVER)
        certs.issue(plan, cid, 'libvirt', 'server', server, [inbound] if inbound else ())
        certs.issue(plan, cid, 'libvirt', 'client', certs.files_for(plan, 'libvirt_client', certs.LIBVIRT_CLIENT))
        for option, key in (('cert_file', 'cert'), ('key_file', 'key'), ('ca_file', 'ca')):
            if conf and server[key] != certs.LIBVIRT_SERVER[key]:
                plan.ini_set(cid, conf, None, option, json.dumps(server[key]), 'the issued server certificate', daemon)


def _close(plan, cid, finding, findings):
    """Close a plain TCP (or, under SSH migration, any network) libvirt socket of the node."""
    ev = _evidence(finding)
    conf = ev.get('config_file') or _target(finding).get('file')
    daemon, transport = ev.get('daemon') or 'libvirtd', ev.get('transport')
    if not conf or transport not in ('tcp', 'tls') or _kolla(plan, cid, conf):
        if conf and not str(conf).startswith('/etc/kolla/'):
            plan.note_manual(cid, '%s socket %s of %s: transport unknown, close it by hand' % (daemon, ev.get('socket'), conf))
        return
    nova = nova_transport(findings, plan.host)
    if nova is None:
        plan.refuse(cid, 'nova\'s live migration transport on %s was not audited (no %s finding with nova\'s [libvirt] options): closing '
                         'libvirt\'s %s socket could break live migration' % (plan.host, MIGRATION, transport))
        return
    if transport == 'tcp' and nova.get('scheme') == 'tcp':
        _switch_nova_to_tls(plan, cid, nova)
        return
    if transport == 'tls' and nova.get('scheme') == 'tls':
        return  # nova needs this socket; its protection is the client-cert fixes
    why = 'nova migrates over %s, not over this %s socket' % (nova.get('scheme'), transport)
    if ev.get('mode') == 'socket_activation':
        _unit(plan, cid, '%s-%s.socket' % (daemon, transport), False, why)
        if nova.get('scheme') == 'tls' and transport == 'tcp':
            _unit(plan, cid, '%s-tls.socket' % daemon, True, 'nova migrates over qemu+tls')
    else:
        plan.ini_set(cid, conf, None, 'listen_%s' % transport, '0', why, daemon)
        if nova.get('scheme') == 'tls' and transport == 'tcp':
            plan.ini_set(cid, conf, None, 'listen_tls', '1', 'nova migrates over qemu+tls', daemon)
    if nova.get('scheme') == 'tls' and transport == 'tcp':
        _libvirt_identity(plan, cid, conf, daemon)
    if transport == 'tcp' and ev.get('auth_tcp') == 'none':
        plan.ini_set(cid, conf, None, 'auth_tcp', '"sasl"', 'never an unauthenticated TCP socket, should it be opened again', daemon)


def _identities(findings):
    """``(subjects by host, hosts without an own client certificate)`` from the client-cert findings."""
    subjects, missing = {}, []
    for finding in findings:
        if finding.get('control_id') != CLIENT_CERT:
            continue
        ev, host = _evidence(finding), _target(finding).get('host')
        if finding.get('status') == 'pass' and ev.get('libvirt_dn'):
            subjects[host] = ev['libvirt_dn']
        elif _target(finding).get('setting') == 'clientcert.pem':
            missing.append(host)
    return subjects, sorted(set(missing))


def _verify(plan, cid, finding, findings):
    conf = _target(finding).get('file')
    if not conf or _kolla(plan, cid, conf):
        return
    subjects, missing = _identities(findings)
    if missing or not subjects:
        plan.refuse(cid, 'tls_no_verify_certificate = 0 in %s would cut off compute nodes without a client certificate of their own: %s. '
                         'Give each its own client certificate first (remediate_host_ca_cert/ca_key issue them), re-audit, then run '
                         'this again' % (conf, ', '.join(missing) or 'no compute node\'s client certificate was audited'))
        return
    plan.ini_set(cid, conf, None, 'tls_no_verify_certificate', '0', 'libvirt verifies client certificates', 'libvirtd')


def _allowed(plan, cid, finding, findings):
    conf = _target(finding).get('file')
    if not conf or _kolla(plan, cid, conf):
        return
    subjects, _missing = _identities(findings)
    wanted = [str(d) for d in plan.options.get('libvirt_allowed_dns') or []]
    if not wanted:
        plan.note_manual(cid, 'set remediate_host_libvirt_allowed_dns to the compute nodes\' client certificate subjects for '
                              'tls_allowed_dn_list in %s; the audit saw: %s' % (conf, '; '.join(
                                  '%s (%s)' % (s, h) for h, s in sorted(subjects.items())) or 'no client certificate'))
        return
    shut_out = sorted(h for h, s in subjects.items() if not any(fnmatch.fnmatchcase(s, p) for p in wanted))
    if shut_out:
        plan.refuse(cid, 'tls_allowed_dn_list %s in %s would refuse the client certificates of %s (%s): add them to '
                         'remediate_host_libvirt_allowed_dns' % (wanted, conf, ', '.join(shut_out),
                                                                 '; '.join(subjects[h] for h in shut_out)))
        return
    plan.ini_set(cid, conf, None, 'tls_allowed_dn_list', json.dumps(wanted), 'only these client subjects drive libvirt', 'libvirtd')


def hv_exposure(plan, cid, failing, findings):
    for finding in failing:
        setting = _target(finding).get('setting')
        if _evidence(finding).get('transport') == 'tls' and setting == 'tls_no_verify_certificate':
            _verify(plan, cid, finding, findings)
        else:
            _close(plan, cid, finding, findings)


def hv_client_cert(plan, cid, failing, findings):
    for finding in failing:
        setting = _target(finding).get('setting')
        if setting == 'tls_no_verify_certificate':
            _verify(plan, cid, finding, findings)
        elif setting == 'tls_allowed_dn_list':
            _allowed(plan, cid, finding, findings)
        elif setting == 'clientcert.pem' and not plan.client_cert_planned(cid, finding):
            plan.note_manual(cid, '%s: %s; give %s its own client certificate (CN=<its name>, extendedKeyUsage clientAuth) as %s and its key '
                                  'as %s, or set remediate_host_ca_cert/remediate_host_ca_key to issue it'
                             % (plan.host, finding.get('message'), plan.host, _target(finding).get('file'),
                                '/etc/pki/libvirt/private/clientkey.pem'))


def hv_ssh_local(plan, cid, failing, findings):
    for finding in failing:
        if _target(finding).get('setting') == 'listen_addr':
            _close(plan, cid, finding, findings)
        else:
            plan.note_manual(cid, '%s: %s' % (plan.host, finding.get('remediation') or finding.get('message')))


def hv_migration(plan, cid, failing, findings):
    for finding in failing:
        target, ev = _target(finding), _evidence(finding)
        path = ev.get('nova_file') or target.get('file')
        if _kolla(plan, cid, path):
            continue
        missing = 'is missing from the migration certificate directory' in (finding.get('message') or '')
        if target.get('setting') != 'live_migration_with_native_tls':
            if not (missing and plan.qemu_certs_planned(cid, ev.get('migration_cert_dir'))):
                plan.note_manual(cid, '%s: %s. %s' % (plan.host, finding.get('message'), finding.get('remediation') or ''))
            continue
        issued = plan.qemu_certs_planned(cid, ev.get('migration_cert_dir'))
        if not plan.options.get('qemu_tls_ready'):
            plan.refuse(cid, '[libvirt] live_migration_with_native_tls = true needs QEMU TLS material (default_tls_x509_cert_dir, '
                             'default /etc/pki/qemu: %s) on every compute node%s; set remediate_host_qemu_tls_ready: true once it is '
                             'there%s' % (', '.join(QEMU_FILES), ' (this node\'s is issued in this run)' if issued else '',
                                          '' if issued else ', or remediate_host_ca_cert/remediate_host_ca_key to issue it'))
            continue
        plan.ini_set(cid, path, 'libvirt', 'live_migration_with_native_tls', 'true', 'guest memory travels over QEMU native TLS',
                     'nova-compute')
