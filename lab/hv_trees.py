# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Compute-node file trees for the hypervisor channel (``tests/fixtures/hv/<name>``), completed
with TLS material made at setup (no key is ever committed).

    ca = CA('/tmp/x/pki')
    root = prepare('kolla-compute1', '/tmp/x/compute1', ca)                 # its own client certificate
    root2 = prepare('kolla-compute2', '/tmp/x/compute2', ca, client_name='compute1')   # shares compute1's subject
    gather(root=root, proc_path=root + '/proc')

Trees (docs/channel-hv.md has the table of what each must give):

=====================  =========================================================================================
``kolla-compute1/2``   kolla, libvirt_tls: TLS on 10.0.0.1x:16514 with tls_allowed_dn_list, native TLS migration
``kolla-sasl``         kolla, plain TCP 10.0.0.13:16509 with auth_tcp = "sasl" (libvirt_enable_sasl)
``osa-compute``        OpenStack-Ansible, libvirtd-tls.socket (drop-in ListenStream=10.0.0.21:16514),
                       tls_no_verify_certificate = 1, live_migration_scheme = tls without native TLS
``debian-ssh-local``   Debian, --listen in /etc/default/libvirtd, TCP on 127.0.0.1 only, SSH migration with
                       native TLS, restricted authorized_keys
``debian-ssh-open``    Debian, TCP on all interfaces with the default auth_tcp (sasl), SSH migration without
                       native TLS, unrestricted authorized_keys
``rhel-defaults``      RHEL-like, shipped libvirtd.conf (everything commented), --listen in /etc/sysconfig,
                       daemon not running, native TLS asked but /etc/pki/qemu missing
``virtproxyd-tcp``     modular daemons, virtproxyd-tcp.socket enabled, auth_tcp = "none"
``controller``         no libvirt at all
``unreadable``         libvirtd.conf and qemu.conf are directories
=====================  =========================================================================================
"""

from __future__ import absolute_import, division, print_function

import os
import shutil

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(REPO, 'tests', 'fixtures', 'hv')
TREES = ('kolla-compute1', 'kolla-compute2', 'kolla-sasl', 'osa-compute', 'debian-ssh-local', 'debian-ssh-open',
         'rhel-defaults', 'virtproxyd-tcp', 'controller', 'unreadable')
ORG = 'SCS Lab'
DOMAIN = 'lab.example'

KOLLA_DIR = 'etc/kolla/nova-libvirt'
# tree -> {relative path: what} with what in ca, server_cert, server_key, client_cert, client_key
MATERIAL = {
    'kolla-compute1': {KOLLA_DIR + '/cacert.pem': 'ca', KOLLA_DIR + '/servercert.pem': 'server_cert', KOLLA_DIR + '/serverkey.pem': 'server_key',
                       KOLLA_DIR + '/clientcert.pem': 'client_cert', KOLLA_DIR + '/clientkey.pem': 'client_key'},
    'kolla-compute2': {KOLLA_DIR + '/cacert.pem': 'ca', KOLLA_DIR + '/servercert.pem': 'server_cert', KOLLA_DIR + '/serverkey.pem': 'server_key',
                       KOLLA_DIR + '/clientcert.pem': 'client_cert', KOLLA_DIR + '/clientkey.pem': 'client_key'},
    'osa-compute': {'etc/pki/CA/cacert.pem': 'ca', 'etc/pki/libvirt/servercert.pem': 'server_cert',
                    'etc/pki/libvirt/private/serverkey.pem': 'server_key', 'etc/pki/libvirt/clientcert.pem': 'client_cert',
                    'etc/pki/libvirt/private/clientkey.pem': 'client_key'},
    'debian-ssh-local': {'etc/pki/qemu/ca-cert.pem': 'ca', 'etc/pki/qemu/server-cert.pem': 'server_cert', 'etc/pki/qemu/server-key.pem': 'server_key',
                         'etc/pki/qemu/client-cert.pem': 'client_cert', 'etc/pki/qemu/client-key.pem': 'client_key'},
}
HOSTNAMES = {'kolla-compute1': 'compute1', 'kolla-compute2': 'compute2', 'osa-compute': 'compute21', 'debian-ssh-local': 'compute5'}


def _socket_links(dest):
    """Make ``proc/<pid>/fd/<fd> -> socket:[<inode>]`` from ``proc/fd-sockets`` (such dangling links
    cannot be committed: ansible-test sanity refuses broken symbolic links)."""
    manifest = os.path.join(dest, 'proc', 'fd-sockets')
    if not os.path.exists(manifest):
        return
    with open(manifest) as handle:
        for line in handle:
            fields = line.split()
            if len(fields) != 3 or line.startswith('#'):
                continue
            pid, fd, inode = fields
            fd_dir = os.path.join(dest, 'proc', pid, 'fd')
            os.makedirs(fd_dir, exist_ok=True)
            os.symlink('socket:[%s]' % inode, os.path.join(fd_dir, fd))


def client_subject_cn(name):
    return '%s.%s' % (name, DOMAIN)


def prepare(tree, dest, ca=None, client_name=None, expired_client=False):
    """Copy fixture ``tree`` to ``dest`` and install TLS material issued by ``ca`` (a ``lab.pki.CA``).

    ``client_name``: whose client certificate subject to use (default: the tree's own host), so two
    trees can share one identity. Returns ``dest``.
    """
    source = os.path.join(FIXTURES, tree)
    if not os.path.isdir(source):
        raise ValueError('no hv fixture tree %r in %s' % (tree, FIXTURES))
    if os.path.exists(dest):
        shutil.rmtree(dest)
    shutil.copytree(source, dest, symlinks=True)
    _socket_links(dest)
    material = MATERIAL.get(tree)
    if not material:
        return dest
    if ca is None:
        raise ValueError('tree %s needs a CA for its TLS material' % tree)
    host = HOSTNAMES[tree]
    server = ca.issue('%s-server' % host, sans=(host, '%s.%s' % (host, DOMAIN)), common_name='%s.%s' % (host, DOMAIN), org=ORG)
    who = client_name or host
    client = ca.issue('%s-client-%s' % (host, who), sans=None, server=False, client=True, common_name=client_subject_cn(who), org=ORG,
                      days=1 if expired_client else 90, valid_from_days=-30 if expired_client else -1)
    files = {'ca': ca.cert, 'server_cert': server.cert, 'server_key': server.key, 'client_cert': client.cert, 'client_key': client.key}
    for rel, what in material.items():
        target = os.path.join(dest, rel)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        shutil.copy(files[what], target)
        os.chmod(target, 0o600 if what.endswith('_key') else 0o644)
    return dest


def gather_tree(root, probe=False, **kwargs):
    """``libvirt_tls_info``'s result for a prepared tree (its own ``proc/``)."""
    from ansible_collections.scs.secure_connections.plugins.module_utils._gather import libvirt as _libvirt  # pylint: disable=import-outside-toplevel
    return _libvirt.gather(root=root, proc_path=os.path.join(root, 'proc'), probe=probe, **kwargs)


def discover_tree(root):
    """``openstack_config_info``'s result for a prepared tree (nova's [libvirt] options)."""
    from ansible_collections.scs.secure_connections.plugins.module_utils._gather.discovery import discover  # pylint: disable=import-outside-toplevel
    return discover(root=root, proc_path=os.path.join(root, 'proc'))


def host_evidence(libvirt, discovery=None, endpoints=()):
    """One host's ``audit_evidence`` with the hv channel gathered, as the audit role records it."""
    evidence = {'channels': ['hv'], 'hv': {'libvirt': libvirt, 'tls': {'endpoints': list(endpoints)}}}
    if discovery is not None:
        evidence['discovery'] = discovery
    return evidence
