# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The libvirt part of the distro-node planner, on reports the collection makes from the hv fixture trees.

Trees (lab/hv_trees.py): debian-ssh-open (TCP on all interfaces, SSH migration), osa-compute (TLS socket unit,
tls_no_verify_certificate = 1, scheme tls, own client certificate), virtproxyd-tcp (socket unit, auth_tcp none,
qemu+tcp URI), kolla-sasl (kolla-rendered files), rhel-defaults (native TLS asked, /etc/pki/qemu missing, no client cert).
"""

from __future__ import absolute_import, division, print_function

import pytest

from kolla_reports import hv_report

from ansible_collections.scs.secure_connections.plugins.module_utils._remediate import host as h

ALL = ['scs-0125-hv-libvirt-exposure', 'scs-0125-hv-libvirt-client-cert', 'scs-0125-hv-libvirt-ssh-local', 'scs-0125-hv-migration-encrypted']


@pytest.fixture(scope='module')
def report(tmp_path_factory):
    return hv_report(tmp_path_factory.mktemp('hv'))[0]


def _ini(result):
    return [(c['path'], c['section'], c['option'], c['value']) for c in result['ini_changes']]


def _text(result, key):
    return ' | '.join(r['message'] for r in result[key])


def test_ssh_migration_node_closes_the_tcp_socket(report):
    result = h.plan_host(report, 'debian-ssh-open', controls=ALL)
    assert ('/etc/libvirt/libvirtd.conf', None, 'listen_tcp', '0') in _ini(result)
    assert not any(o == 'listen_tls' for _p, _s, o, _v in _ini(result)), 'SSH migration needs no TLS socket'
    change = [c for c in result['ini_changes'] if c['option'] == 'listen_tcp'][0]
    assert change['controls'] == ['scs-0125-hv-libvirt-exposure', 'scs-0125-hv-libvirt-ssh-local']
    assert 'authorized_keys' in _text(result, 'manual') or 'restrict,command' in _text(result, 'manual')
    assert 'libvirtd' in result['restart']


def test_tcp_migration_refuses_to_close_tcp(report):
    result = h.plan_host(report, 'virtproxyd-tcp', controls=ALL, options={'systemd': True, 'libvirt_tls_ready': True})
    assert result['units'] == [] and not any(c['path'].endswith('virtproxyd.conf') for c in result['ini_changes'])
    assert 'live_migration_uri = qemu+tcp://%s/system' in _text(result, 'refused')


def test_unset_scheme_is_switched_to_tls_first_then_tcp_is_closed(report):
    findings = [dict(f) for f in report['findings'] if f['target'].get('host') == 'virtproxyd-tcp']
    for f in findings:
        if f['control_id'] == 'scs-0125-hv-migration-encrypted':
            f['evidence'] = dict(f['evidence'], live_migration_uri=None)
    result = h.plan_host(findings, 'virtproxyd-tcp', controls=ALL)
    assert 'set remediate_host_libvirt_tls_ready: true' in _text(result, 'refused') and result['ini_changes'] == []
    result = h.plan_host(findings, 'virtproxyd-tcp', controls=ALL, options={'libvirt_tls_ready': True, 'live_migration_inbound_addr': 'c9.example'})
    assert ('/etc/nova/nova.conf', 'libvirt', 'live_migration_scheme', 'tls') in _ini(result)
    assert ('/etc/nova/nova.conf', 'libvirt', 'live_migration_inbound_addr', 'c9.example') in _ini(result)
    assert 'stays open in this run' in _text(result, 'refused') and result['units'] == []
    # re-audited with nova on qemu+tls: the TCP socket unit goes, the TLS one comes, auth_tcp none is replaced
    for f in findings:
        if f['control_id'] == 'scs-0125-hv-migration-encrypted':
            f['evidence'] = dict(f['evidence'], scheme='tls', live_migration_scheme='tls')
    result = h.plan_host(findings, 'virtproxyd-tcp', controls=ALL, options={'systemd': True})
    assert [(u['name'], u['enabled'], u['state']) for u in result['units']] == [
        ('virtproxyd-tcp.socket', False, 'stopped'), ('virtproxyd-tls.socket', True, 'started')]
    assert ('/etc/libvirt/virtproxyd.conf', None, 'auth_tcp', '"sasl"') in _ini(result)
    without = h.plan_host(findings, 'virtproxyd-tcp', controls=ALL, options={'systemd': False})
    assert without['units'] == [] and 'systemctl disable --now virtproxyd-tcp.socket' in _text(without, 'manual')


def test_client_verification_waits_for_every_client_certificate(report):
    # osa-compute is an OpenStack-Ansible node: its distro-file behaviour is asked for with layout distro
    result = h.plan_host(report, 'osa-compute', controls=ALL, options={'layout': 'distro'})
    assert 'tls_no_verify_certificate = 0 in /etc/libvirt/libvirtd.conf would cut off compute nodes without a client certificate ' \
           'of their own: rhel-defaults' in _text(result, 'refused')
    assert 'O=SCS Lab,CN=compute21.lab.example (osa-compute)' in _text(result, 'manual'), 'the subjects the audit saw are named'
    only_osa = [f for f in report['findings'] if f['target'].get('host') == 'osa-compute']
    result = h.plan_host(only_osa, 'osa-compute', controls=ALL, options={'layout': 'distro', 'libvirt_allowed_dns': ['O=SCS Lab,CN=compute1*']})
    assert ('/etc/libvirt/libvirtd.conf', None, 'tls_no_verify_certificate', '0') in _ini(result)
    assert 'would refuse the client certificates of osa-compute' in _text(result, 'refused')
    options = {'layout': 'distro', 'libvirt_allowed_dns': ['O=SCS Lab,CN=compute*.lab.example']}
    result = h.plan_host(only_osa, 'osa-compute', controls=ALL, options=options)
    assert ('/etc/libvirt/libvirtd.conf', None, 'tls_allowed_dn_list', '["O=SCS Lab,CN=compute*.lab.example"]') in _ini(result)
    # the TLS socket nova migrates over stays
    assert not any(o == 'listen_tls' for _p, _s, o, _v in _ini(result)) and result['units'] == []


def test_kolla_rendered_files_are_left_to_remediate_kolla(report):
    result = h.plan_host(report, 'kolla-sasl', controls=ALL, options={'qemu_tls_ready': True, 'libvirt_tls_ready': True})
    assert result['ini_changes'] == [] and result['units'] == []
    assert 'use the remediate_kolla role' in _text(result, 'manual')


def test_native_tls_needs_qemu_material_and_missing_material_is_manual(report):
    result = h.plan_host(report, 'debian-ssh-open', controls=ALL)
    assert 'needs QEMU TLS material' in _text(result, 'refused')
    result = h.plan_host(report, 'debian-ssh-open', controls=ALL, options={'qemu_tls_ready': True})
    assert ('/etc/nova/nova.conf', 'libvirt', 'live_migration_with_native_tls', 'true') in _ini(result)
    result = h.plan_host(report, 'rhel-defaults', controls=ALL, options={'qemu_tls_ready': True})
    assert not any(c['path'].startswith('/etc/pki') for c in result['ini_changes']), 'never an INI edit of a certificate file'
    assert 'ca-cert.pem is missing' in _text(result, 'manual')
    assert 'rhel-defaults has no libvirt client certificate' in _text(result, 'manual')


def test_hv_controls_below_must_are_opt_in(report):
    result = h.plan_host(report, 'debian-ssh-open')
    assert result['ini_changes'] == [] and set(s['control_id'] for s in result['skipped_controls']) == {ALL[0], ALL[2], ALL[3]}


CA = {'ca_cert': '/ctl/ca.pem', 'ca_key': '/ctl/ca.key'}


def test_certificates_only_from_an_operator_ca(report):
    result = h.plan_host(report, 'rhel-defaults', controls=ALL)
    assert result['certificates'] == [], 'never a certificate without the operator\'s CA'
    result = h.plan_host(report, 'rhel-defaults', controls=ALL, options=dict(CA, cert_organization='SCS Lab'))
    issued = dict(((c['service'], c['purpose']), c) for c in result['certificates'])
    assert sorted(issued) == [('libvirt', 'client'), ('qemu', 'client'), ('qemu', 'server')]
    client = issued[('libvirt', 'client')]
    wanted = ('/etc/pki/libvirt/clientcert.pem', '/etc/pki/libvirt/private/clientkey.pem', '/etc/pki/CA/cacert.pem')
    assert (client['cert'], client['key'], client['ca']) == wanted
    assert client['common_name'] == 'rhel-defaults' and client['extended_key_usage'] == ['clientAuth'] and client['organization'] == 'SCS Lab'
    assert issued[('qemu', 'server')]['cert'] == '/etc/pki/qemu/server-cert.pem'
    assert issued[('qemu', 'server')]['subject_alt_name'] == ['DNS:rhel-defaults']
    assert 'has no libvirt client certificate' not in _text(result, 'manual')
    assert 'ca-cert.pem is missing' not in _text(result, 'manual')


def test_nova_switched_to_tls_gets_libvirt_identities(report):
    findings = [dict(f) for f in report['findings'] if f['target'].get('host') == 'virtproxyd-tcp']
    for f in findings:
        if f['control_id'] == 'scs-0125-hv-migration-encrypted':
            f['evidence'] = dict(f['evidence'], live_migration_uri=None)
    result = h.plan_host(findings, 'virtproxyd-tcp', controls=ALL,
                         options=dict(CA, libvirt_tls_ready=True, live_migration_inbound_addr='10.0.0.9', cert_sans=['c9.example']))
    issued = dict(((c['service'], c['purpose']), c) for c in result['certificates'])
    assert issued[('libvirt', 'server')]['subject_alt_name'] == ['DNS:virtproxyd-tcp', 'DNS:c9.example', 'IP:10.0.0.9']
    assert issued[('libvirt', 'client')]['cert'] == '/etc/pki/libvirt/clientcert.pem'


def test_openstack_ansible_node_gets_user_variables_not_file_edits(report):
    result = h.plan_host(report, 'osa-compute', controls=ALL, options={'qemu_tls_ready': True})
    assert result['layout'] == 'osa' and result['ini_changes'] == [] and result['units'] == [] and result['certificates'] == []
    variables = dict((v['key'], v['value']) for v in result['osa']['variables'])
    assert variables == {'nova_libvirtd_listen_tls': 1}, variables
    assert 'os_nova\'s libvirtd.conf.j2 has no variable for tls_no_verify_certificate' in _text(result, 'manual')
    assert result['osa']['commands'] == ['openstack-ansible openstack.osa.nova']
    assert 'nova_libvirtd_listen_tls: 1  # scs-0125-hv-migration-encrypted' in result['osa']['block']
    # a distro node of the same report stays a distro node
    assert h.plan_host(report, 'debian-ssh-open', controls=ALL)['layout'] == 'distro'
    # the operator's own setting is never overridden
    result = h.plan_host(report, 'osa-compute', controls=ALL, options={'user_variables': {'outside': {'nova_libvirtd_listen_tls': 0}}})
    assert result['osa']['variables'] == [] and 'user_variables.yml sets nova_libvirtd_listen_tls: 0' in result['osa']['conflicts'][0]['message']
