# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The certificate files of a deployment: kolla (``/etc/kolla``: ``certificates/``, ``config/`` overrides and the
service directories the certificates are copied to), OpenStack-Ansible's PKI (``/etc/openstack_deploy/pki``),
``/etc/ssl/certs`` and ``/etc/ssl/private`` (OSA installs service certificates there; the system trust store's
links and bundles are left out), haproxy and libvirt/QEMU's ``pki`` paths.

Every file is read through ``_core/rootfs`` (inside ``root``), bounded (``max_files``, ``max_file_size``, at most
``MAX_CERTS_PER_FILE`` certificates of one file), and its certificates described with ``_tls/x509.describe``
(subject, SANs, issuer, validity, SHA-256 fingerprint). Private keys are never read into the evidence: a ``*.key``
file is only stat'ed; a PEM file holding a key next to certificates says so (``private_key: true``), with its
permission bits, nothing of the key. The report joins these files with the certificates the probes saw.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import binascii
import os
import re
import stat

from ansible_collections.scs.secure_connections.plugins.module_utils._core import rootfs

# (directory, depth below it, deployment)
DEFAULT_PATHS = (
    ('/etc/kolla', 4, 'kolla'),  # config/nova/nova-libvirt/servercert.pem is four levels down
    ('/etc/openstack_deploy/pki', 4, 'openstack_ansible'),
    ('/etc/ssl/certs', 1, 'ssl'),
    ('/etc/ssl/private', 1, 'ssl'),
    ('/etc/haproxy', 2, 'haproxy'),
    ('/etc/pki/libvirt', 2, 'libvirt'),
    ('/etc/pki/CA', 1, 'libvirt'),
    ('/etc/pki/qemu', 2, 'libvirt'),
    ('/etc/pki/libvirt-vnc', 1, 'libvirt'),
    ('/etc/pki/libvirt-spice', 1, 'libvirt'),
)
SUFFIXES = ('.pem', '.crt', '.cert', '.cer')
KEY_SUFFIXES = ('.key',)
# the system trust store: not the deployment's certificates
SKIP_NAMES = ('ca-certificates.crt', 'ca-bundle.crt', 'ca-bundle.trust.crt', 'tls-ca-bundle.pem')
DEFAULT_MAX_FILES = 200
DEFAULT_MAX_FILE_SIZE = 256 * 1024
MAX_CERTS_PER_FILE = 20
CERT_KEYS = ('sha256', 'subject', 'issuer', 'sans', 'serial', 'not_before', 'not_after', 'is_ca', 'self_signed', 'key_type', 'key_size')
PEM_CERT = re.compile(r'-----BEGIN (?:X509 |TRUSTED )?CERTIFICATE-----(.*?)-----END (?:X509 |TRUSTED )?CERTIFICATE-----', re.S)
PEM_KEY = re.compile(r'-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----')


def _candidates(root, directory, depth, seen):
    """Logical paths of certificate and key files under ``directory`` (sorted, links inside the tree followed)."""
    out = []
    for name in rootfs.listdir(root, directory):
        path = directory.rstrip('/') + '/' + name
        if directory.rstrip('/') == '/etc/ssl/certs' and (os.path.islink(rootfs.host_path(root, path)) or name in SKIP_NAMES):
            continue
        if rootfs.isdir(root, path):
            if depth > 1:
                out.extend(_candidates(root, path, depth - 1, seen))
        elif name.lower().endswith(SUFFIXES + KEY_SUFFIXES) and name not in SKIP_NAMES:
            try:
                real = rootfs.real_path(root, path)
            except rootfs.ReadError:
                real = path
            if real not in seen:
                seen.add(real)
                out.append(path)
    return out


def _mode(root, path):
    """``{mode, owner_uid, group_readable, world_readable}`` of the file, or ``{}``."""
    try:
        st = os.stat(rootfs.real_path(root, path))
    except (OSError, rootfs.ReadError, ValueError):
        return {}
    return {'mode': '%04o' % stat.S_IMODE(st.st_mode), 'owner_uid': st.st_uid,
            'group_readable': bool(st.st_mode & stat.S_IRGRP), 'world_readable': bool(st.st_mode & stat.S_IROTH)}


def _certificates(data):
    """DER certificates of a PEM (or one DER) file's bytes: ``(ders, more)``; ``more`` = blocks left out."""
    text = data.decode('ascii', 'replace')
    blocks = PEM_CERT.findall(text)
    if not blocks and data[:1] == b'\x30':
        return [data], 0
    ders = []
    for block in blocks[:MAX_CERTS_PER_FILE]:
        try:
            ders.append(base64.b64decode(''.join(block.split()), validate=True))
        except (binascii.Error, ValueError):
            continue
    return ders, max(0, len(blocks) - MAX_CERTS_PER_FILE)


def describe_file(root, path, deployment, max_file_size=DEFAULT_MAX_FILE_SIZE):
    """One file's entry: path, deployment, permissions, its certificates or ``private_key`` (a key is never read)."""
    entry = dict({'path': path, 'deployment': deployment, 'certificates': [], 'private_key': False, 'error': None}, **_mode(root, path))
    if path.lower().endswith(KEY_SUFFIXES):
        entry['private_key'] = True
        return entry
    try:
        data = rootfs.read_bytes(root, path, max_size=max_file_size)
    except rootfs.ReadError as exc:
        entry['error'] = str(exc)
        return entry
    entry['private_key'] = bool(PEM_KEY.search(data.decode('ascii', 'replace')))
    ders, more = _certificates(data)
    if ders:
        # _tls/x509 (about 23 KB of source to compile) only for a file holding certificates: a snapshot may have none
        from ansible_collections.scs.secure_connections.plugins.module_utils._tls.x509 import describe  # pylint: disable=import-outside-toplevel
        entry['certificates'] = [dict((k, info.get(k)) for k in CERT_KEYS) for info in map(describe, ders)]
    if more:
        entry['error'] = '%d more certificates in this file not described (at most %d per file)' % (more, MAX_CERTS_PER_FILE)
    elif not ders and not entry['private_key']:
        entry['error'] = 'no certificate found in the file'
    del data
    return entry


def gather_certificates(root='/', paths=None, max_files=DEFAULT_MAX_FILES, max_file_size=DEFAULT_MAX_FILE_SIZE):
    """``{files: [...], truncated: bool, searched: [dirs]}`` for the deployment's certificate directories.

    ``paths``: directories to search instead of the defaults (each with depth 3, deployment ``custom``)."""
    locations = [(p, 3, 'custom') for p in paths] if paths else list(DEFAULT_PATHS)
    seen, found = set(), []
    for directory, depth, deployment in locations:
        if rootfs.isdir(root, directory):
            found.extend((path, deployment) for path in _candidates(root, directory, depth, seen))
    files = [describe_file(root, path, deployment, max_file_size) for path, deployment in found[:max_files]]
    return {'searched': [d for d, _depth, _dep in locations], 'files': files, 'truncated': len(found) > max_files,
            'max_files': max_files}
