# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""libvirt_tls_info's gatherer on the compute-node fixture trees (kolla, OpenStack-Ansible, Debian,
RHEL, modular daemons, no libvirt, unreadable files): daemons, listen mode, transports, sockets,
certificates, qemu.conf, SSH keys."""

from __future__ import absolute_import, division, print_function

import json
import os
import subprocess
import sys

import pytest

from lab.paths import collections_root

# tree -> expected: (daemon layout, mode, listen source fragment, enabled transports with binds, observed sockets)
DAEMONS = {
    'kolla-compute1': ('kolla', 'listen', '/proc/2211/cmdline', {'tls': ['10.0.0.11:16514']}, ['10.0.0.11:16514 tls']),
    'kolla-sasl': ('kolla', 'listen', '/proc/2300/cmdline', {'tcp': ['10.0.0.13:16509']}, ['10.0.0.13:16509 tcp']),
    'osa-compute': ('distro', 'socket_activation', 'LIBVIRTD_ARGS', {'tls': ['10.0.0.21:16514']}, ['10.0.0.21:16514 tls']),
    'debian-ssh-local': ('distro', 'listen', '/proc/4000/cmdline', {'tcp': ['127.0.0.1:16509']}, ['127.0.0.1:16509 tcp']),
    'debian-ssh-open': ('distro', 'listen', '/proc/4100/cmdline', {'tcp': ['0.0.0.0:16509', '[::]:16509']},
                        ['0.0.0.0:16509 tcp', '[::]:16509 tcp']),
    'rhel-defaults': ('distro', 'listen', '/etc/sysconfig/libvirtd LIBVIRTD_ARGS', {'tls': ['0.0.0.0:16514', '[::]:16514']}, []),
    'virtproxyd-tcp': ('distro', 'socket_activation', 'no running daemon', {'tcp': ['[::]:16509']}, ['[::]:16509 tcp']),
    'unreadable': ('distro', 'listen', '/proc/4900/cmdline', {'tls': ['0.0.0.0:16514', '[::]:16514']}, ['0.0.0.0:16509 tcp']),
}


def _main_daemon(result):
    daemons = [d for d in result['daemons'] if d['mode'] != 'off'] or result['daemons']
    return daemons[0]


@pytest.mark.parametrize('tree', sorted(DAEMONS))
def test_daemon_mode_transports_and_sockets(hv_trees, tree):
    layout, mode, source, transports, observed = DAEMONS[tree]
    result = hv_trees.libvirt(tree)
    assert result['present'] is True
    daemon = _main_daemon(result)
    assert daemon['layout'] == layout
    assert daemon['mode'] == mode
    if mode == 'listen':
        assert source in daemon['listen_flag']['source']
    enabled = dict((t['transport'], [('[%s]' % b['address'] if ':' in b['address'] else b['address']) + ':%d' % b['port'] for b in t['binds']])
                   for t in daemon['transports'] if t['enabled'])
    assert enabled == transports
    assert sorted('%s %s' % (s['endpoint'], s['transport']) for s in result['listeners']) == sorted(observed)
    assert result['listeners_observed'] is True


# (tree, key, value, source, line)
SETTINGS = [
    ('kolla-compute1', 'tls_allowed_dn_list', ['O=SCS Lab,CN=compute1.lab.example', 'O=SCS Lab,CN=compute2.lab.example'], 'file', 8),
    ('kolla-compute1', 'tls_no_verify_certificate', 0, 'default', None),
    ('kolla-compute1', 'auth_tls', 'none', 'default', None),
    ('kolla-sasl', 'auth_tcp', 'sasl', 'file', 3),
    ('osa-compute', 'tls_no_verify_certificate', 1, 'file', 11),
    ('osa-compute', 'listen_tls', 1, 'file', 2),
    ('debian-ssh-local', 'listen_tls', 0, 'file', 3),
    ('debian-ssh-local', 'auth_tcp', 'sasl', 'default', None),
    ('debian-ssh-open', 'listen_addr', None, 'default', None),
    ('rhel-defaults', 'listen_tls', 1, 'default', None),
    ('rhel-defaults', 'listen_tcp', 0, 'default', None),
    ('rhel-defaults', 'tls_no_verify_certificate', 0, 'default', None),
    ('virtproxyd-tcp', 'auth_tcp', 'none', 'file', 3),
]


@pytest.mark.parametrize('tree, key, value, source, line', SETTINGS, ids=['%s-%s' % (c[0], c[1]) for c in SETTINGS])
def test_effective_settings_of_trees(hv_trees, tree, key, value, source, line):
    entry = _main_daemon(hv_trees.libvirt(tree))['settings'][key]
    assert (entry['value'], entry['source'], entry['line']) == (value, source, line)


def test_kolla_files_map_to_the_kolla_directory(hv_trees):
    result = hv_trees.libvirt('kolla-compute1')
    daemon = _main_daemon(result)
    assert daemon['config_file'] == '/etc/kolla/nova-libvirt/libvirtd.conf'
    assert daemon['config_path'] == '/etc/libvirt/libvirtd.conf'
    assert daemon['container'].startswith('docker:')
    assert result['listeners'][0]['container'] == 'nova_libvirt'
    certs = daemon['certificates']
    assert certs['server_cert']['file'] == '/etc/kolla/nova-libvirt/servercert.pem'
    assert certs['server_cert']['subject'] == 'CN=compute1.lab.example,O=SCS Lab'
    assert certs['server_cert']['issued_by_ca'] is True
    assert certs['server_key']['present'] is True and certs['server_key']['mode'] == '0600'
    client = result['client_certificates']['cert']
    assert client['file'] == '/etc/kolla/nova-libvirt/clientcert.pem'
    assert client['libvirt_dn'] == 'O=SCS Lab,CN=compute1.lab.example'
    assert client['extended_key_usage'] == ['clientAuth']
    files = result['qemu']['migration']['files']
    assert files['server-cert.pem']['file'] == '/etc/kolla/nova-libvirt/servercert.pem'
    assert files['ca-cert.pem']['present'] and files['client-key.pem']['present']
    assert result['qemu']['config_file'] == '/etc/kolla/nova-libvirt/qemu.conf'
    assert result['layout'] == 'kolla'


def test_socket_activation_dropin_replaces_listen_stream(hv_trees):
    daemon = _main_daemon(hv_trees.libvirt('osa-compute'))
    tls = [u for u in daemon['socket_units'] if u['unit'] == 'libvirtd-tls.socket'][0]
    assert tls['enabled'] and tls['listen_stream'] == ['10.0.0.21:16514']
    assert tls['dropins'] == ['/etc/systemd/system/libvirtd-tls.socket.d/override.conf']
    tcp = [u for u in daemon['socket_units'] if u['unit'] == 'libvirtd-tcp.socket'][0]
    assert not tcp['enabled']
    assert 'ignored' in [t for t in daemon['transports'] if t['transport'] == 'tls'][0]['reason']
    assert hv_trees.libvirt('osa-compute')['layout'] == 'openstack_ansible'


def test_sasl_and_ssh_evidence(hv_trees):
    assert hv_trees.libvirt('kolla-sasl')['sasl']['mech_list'] == ['scram-sha-256']
    ssh = hv_trees.libvirt('debian-ssh-local')['ssh']
    root = [u for u in ssh['users'] if u['user'] == 'root'][0]
    keys = root['files'][0]['keys']
    assert len(keys) == 2 and all(k['restrict'] and k['command'] == '/usr/local/sbin/nova-migration-wrapper' for k in keys)
    nova = [u for u in ssh['users'] if u['user'] == 'nova'][0]
    assert nova['home'] == '/var/lib/nova' and nova['files'][0]['present'] is False


def test_no_libvirt(hv_trees):
    result = hv_trees.libvirt('controller')
    assert result['present'] is False
    assert 'no libvirt on this node' in result['reason']
    assert result['daemons'] == [] and result['errors'] == []


def test_unreadable_files_are_errors_with_reason(hv_trees):
    result = hv_trees.libvirt('unreadable')
    errors = dict((e['file'], e['message']) for e in result['errors'])
    assert errors['/etc/libvirt/libvirtd.conf'] == 'is a directory, not a file'
    assert errors['/etc/libvirt/qemu.conf'] == 'is a directory, not a file'
    daemon = _main_daemon(result)
    assert daemon['config_error'] == 'is a directory, not a file'
    assert result['qemu']['config_error'] == 'is a directory, not a file'


def test_missing_proc_is_an_error_not_a_crash(hv_trees, tmp_path):
    from ansible_collections.scs.secure_connections.plugins.module_utils._gather import libvirt as _libvirt
    result = _libvirt.gather(root=hv_trees.roots['debian-ssh-open'], proc_path=str(tmp_path / 'no-proc'), probe=False)
    assert result['present'] is True
    assert result['listeners'] == [] and result['listeners_observed'] is False
    assert any('cannot' in e['message'] for e in result['errors'])


def test_secrets_are_not_returned(hv_trees):
    text = json.dumps(hv_trees.libvirt('kolla-compute1'))
    assert 'PRIVATE KEY' not in text
    assert 'fixture-secret' not in text


def test_module_return_contract(hv_trees):
    """Run the module file like Ansible does; every top-level key it returns is documented in RETURN."""
    import yaml
    module = os.path.join(os.path.dirname(__file__), '..', '..', '..', 'plugins', 'modules', 'libvirt_tls_info.py')
    args = {'ANSIBLE_MODULE_ARGS': {'root': hv_trees.roots['kolla-compute1'], 'proc_path': hv_trees.roots['kolla-compute1'] + '/proc',
                                    'probe': False, '_ansible_check_mode': True}}
    args_file = os.path.join(hv_trees.base, 'args.json')
    with open(args_file, 'w') as handle:
        json.dump(args, handle)
    env = dict(os.environ, PYTHONPATH=collections_root())
    proc = subprocess.run([sys.executable, module, args_file], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, timeout=60, check=False)
    assert proc.returncode == 0, proc.stderr.decode()
    result = json.loads(proc.stdout.decode())
    assert result['changed'] is False and result['present'] is True
    namespace = {}
    with open(module) as handle:
        source = handle.read()
    exec(compile(source.split('from ansible.module_utils.basic')[0], module, 'exec'), namespace)  # docs only
    documented = set(yaml.safe_load(namespace['RETURN']))
    returned = set(k for k in result if k not in ('changed', 'invocation'))
    assert returned == documented
