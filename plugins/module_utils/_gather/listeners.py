# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Listening TCP sockets from ``/proc/net/tcp`` and ``/proc/net/tcp6``, no external tool needed.

* rows in state ``0A`` (LISTEN); addresses decoded from the kernel's hex (host byte order per
  32-bit word), IPv6 included, IPv4-mapped IPv6 addresses (``::ffff:a.b.c.d``) flagged;
* the owning process from ``/proc/<pid>/fd/*`` links ``socket:[inode]`` where readable (root
  sees all; others see their own processes), its name from ``/proc/<pid>/comm`` (the command
  line is never read: it may carry passwords);
* the container from ``/proc/<pid>/cgroup`` when it names docker, podman/libpod, LXC or
  containerd, with the container's name looked up in docker's / podman's state under
  ``root`` where readable;
* other network namespaces (LXC containers have their own) are read through one process of
  each (``/proc/<pid>/net/tcp``), so their listeners are found too; each entry says which
  namespace it belongs to (``netns``: ``host`` for the reader's own).

``proc_path`` may point at a fixture tree with the same layout (``net/tcp``, ``<pid>/fd``,
``<pid>/comm``, ``<pid>/cgroup``) for tests. Every read goes through ``_core/rootfs`` with
``proc_path`` (or ``root``) as the tree: a link in it never leads out of it, and a FIFO, device
or socket is never opened.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress
import json
import re
import sys

from ansible_collections.scs.secure_connections.plugins.module_utils._core import rootfs

LISTEN = '0A'
_HEX = re.compile(r'^[0-9A-Fa-f]+$')


def decode_address(hex_addr, byteorder=None):
    """Kernel hex ``0100007F`` -> ``127.0.0.1``; 32 hex digits -> IPv6 text. ``ValueError`` if malformed."""
    byteorder = byteorder or sys.byteorder
    if not _HEX.match(hex_addr or '') or len(hex_addr) not in (8, 32):
        raise ValueError('malformed address %r' % hex_addr)
    raw = bytes.fromhex(hex_addr)
    if byteorder == 'little':
        raw = b''.join(raw[i:i + 4][::-1] for i in range(0, len(raw), 4))
    if len(raw) == 4:
        return str(ipaddress.IPv4Address(raw))
    ip6 = ipaddress.IPv6Address(raw)
    if ip6.ipv4_mapped is not None:
        # the same text on every Python version (3.13 changed str() of mapped addresses)
        return '::ffff:%s' % ip6.ipv4_mapped
    return str(ip6)


def parse_proc_net_tcp(text, family='inet', byteorder=None):
    """Rows of one ``/proc/net/tcp[6]`` text in LISTEN state.

    Returns ``(rows, errors)``; a row is ``{address, port, family, inode, uid, ipv4_mapped}``.
    """
    rows = []
    errors = []
    for lineno, line in enumerate(text.splitlines(), 1):
        fields = line.split()
        if not fields or fields[0] == 'sl':
            continue
        if len(fields) < 10 or ':' not in fields[1]:
            errors.append({'line': lineno, 'message': 'malformed row (ignored)'})
            continue
        if fields[3] != LISTEN:
            continue
        addr_hex, _sep, port_hex = fields[1].partition(':')
        try:
            address = decode_address(addr_hex, byteorder)
            port = int(port_hex, 16)
            inode = int(fields[9])
            uid = int(fields[7])
        except ValueError as exc:
            errors.append({'line': lineno, 'message': 'malformed row (ignored): %s' % exc})
            continue
        mapped = None
        if ':' in address:
            ip6 = ipaddress.IPv6Address(address)
            if ip6.ipv4_mapped is not None:
                mapped = str(ip6.ipv4_mapped)
        rows.append({'address': address, 'port': port, 'family': family, 'inode': inode, 'uid': uid, 'ipv4_mapped': mapped})
    return rows, errors[:50]


_CGROUP_PATTERNS = (
    ('docker', re.compile(r'docker[-/]([0-9a-f]{12,64})(?:\.scope)?')),
    ('podman', re.compile(r'libpod-(?:conmon-)?([0-9a-f]{12,64})(?:\.scope)?')),
    ('containerd', re.compile(r'cri-containerd-([0-9a-f]{12,64})(?:\.scope)?')),
    ('lxc', re.compile(r'lxc\.payload[./]([^/\s]+)')),
    ('lxc', re.compile(r'/lxc/([^/\s]+)')),
    ('lxc', re.compile(r'machine-lxc\\x2d([^/\s]+?)\.scope')),
)


def container_from_cgroup(text):
    """``{'engine', 'id'}`` of the container a ``/proc/<pid>/cgroup`` text names, or ``None``."""
    for line in (text or '').splitlines():
        path = line.split(':', 2)[-1]
        for engine, pattern in _CGROUP_PATTERNS:
            match = pattern.search(path)
            if match:
                return {'engine': engine, 'id': match.group(1)}
    return None


class ContainerNames(object):
    """Container id -> name from docker's and podman's state files under ``root`` (cached)."""

    def __init__(self, root='/'):
        self.root = root
        self._podman = None
        self._cache = {}

    def name(self, engine, cid):
        key = (engine, cid)
        if key in self._cache:
            return self._cache[key]
        name = None
        if engine == 'lxc':
            name = cid
        elif engine == 'docker':
            name = self._docker(cid)
        elif engine == 'podman':
            name = self._podman_name(cid)
        self._cache[key] = name
        return name

    def _docker(self, cid):
        base = '/var/lib/docker/containers'
        candidates = [d for d in rootfs.listdir(self.root, base) if d.startswith(cid) or cid.startswith(d)]
        for cand in candidates:
            try:
                data = json.loads(rootfs.read_text(self.root, '%s/%s/config.v2.json' % (base, cand), 4 * 1024 * 1024)[0])
                return str(data.get('Name', '')).lstrip('/') or None
            except (rootfs.ReadError, ValueError, AttributeError, RecursionError):
                continue
        return None

    def _podman_name(self, cid):
        if self._podman is None:
            self._podman = {}
            for path in ('/var/lib/containers/storage/overlay-containers/containers.json',
                         '/run/containers/storage/overlay-containers/containers.json'):
                try:
                    data = json.loads(rootfs.read_text(self.root, path, 16 * 1024 * 1024)[0])
                except (rootfs.ReadError, ValueError, RecursionError):
                    continue
                for item in data if isinstance(data, list) else []:
                    if isinstance(item, dict) and item.get('id') and item.get('names'):
                        self._podman[item['id']] = item['names'][0]
        for full, name in self._podman.items():
            if full.startswith(cid) or cid.startswith(full):
                return name
        return None


def _read(proc_path, path, limit=16 * 1024 * 1024):
    """Text of ``path`` (logical, inside ``proc_path``); :class:`rootfs.ReadError` otherwise."""
    return rootfs.read_text(proc_path, path, max_size=limit)[0]


def _pids(proc_path):
    return sorted(int(d) for d in rootfs.listdir(proc_path, '/') if re.match(r'^[0-9]{1,12}$', d))


def socket_owners(proc_path, inodes):
    """``{inode: pid}`` for the socket inodes wanted, from ``<proc>/<pid>/fd/*`` links (first pid wins)."""
    owners = {}
    wanted = set(inodes)
    if not wanted:
        return owners
    for pid in _pids(proc_path):
        fd_dir = '/%d/fd' % pid
        for fd in rootfs.listdir(proc_path, fd_dir):
            try:
                target = rootfs.readlink(proc_path, '%s/%s' % (fd_dir, fd))
            except rootfs.ReadError:
                continue
            match = re.match(r'^socket:\[([0-9]{1,20})\]$', target)
            if match:
                inode = int(match.group(1))
                if inode in wanted and inode not in owners:
                    owners[inode] = pid
        if len(owners) == len(wanted):
            break
    return owners


def _namespaces(proc_path):
    """``(own_ns, {ns: pid})``: the reader's network namespace and one pid per other namespace."""
    try:
        own = rootfs.readlink(proc_path, '/self/ns/net')
    except rootfs.ReadError:
        own = None
    others = {}
    if own is None:
        return own, others
    for pid in _pids(proc_path):
        try:
            ns = rootfs.readlink(proc_path, '/%d/ns/net' % pid)
        except rootfs.ReadError:
            continue
        if ns != own and ns not in others:
            others[ns] = pid
    return own, others


def read_listeners(proc_path='/proc', root='/', namespaces=True):
    """Every listening TCP socket visible through ``proc_path``.

    Returns ``{'listeners': [...], 'errors': [{'file', 'message'}]}``; each listener is::

        {address, port, family: inet|inet6, ipv4_mapped, process, pid, container,
         container_engine, container_id, uid, inode, netns}

    ``process``/``pid`` are ``None`` when the owner is not readable; ``container`` is the
    container's name (or ``<engine>:<id>`` when the name is unknown), ``None`` for host
    processes. Sorted by namespace, port, address.
    """
    errors = []
    listeners = []
    sources = [('host', '/net')]
    if namespaces:
        _own, others = _namespaces(proc_path)
        for ns, pid in sorted(others.items(), key=lambda kv: kv[1]):
            sources.append((ns, '/%d/net' % pid))
    seen = set()
    for netns, net_dir in sources:
        for name, family in (('tcp', 'inet'), ('tcp6', 'inet6')):
            path = proc_path.rstrip('/') + net_dir + '/' + name
            try:
                text = _read(proc_path, net_dir + '/' + name)
            except rootfs.ReadError as exc:
                if netns == 'host' and name == 'tcp':
                    errors.append({'file': path, 'message': 'cannot read: %s' % exc})
                continue
            rows, row_errors = parse_proc_net_tcp(text, family)
            for err in row_errors:
                errors.append({'file': path, 'message': 'line %s: %s' % (err['line'], err['message'])})
            for row in rows:
                key = (row['inode'], row['address'], row['port']) if row['inode'] else (netns, row['address'], row['port'], family)
                if key in seen:
                    continue
                seen.add(key)
                row['netns'] = netns
                listeners.append(row)
    owners = socket_owners(proc_path, [r['inode'] for r in listeners if r['inode']])
    names = ContainerNames(root)
    for row in listeners:
        pid = owners.get(row['inode'])
        row['pid'] = pid
        row['process'] = None
        row['container'] = None
        row['container_engine'] = None
        row['container_id'] = None
        if pid is None:
            continue
        try:
            row['process'] = _read(proc_path, '/%d/comm' % pid, 4096).strip() or None
        except rootfs.ReadError:
            pass
        try:
            container = container_from_cgroup(_read(proc_path, '/%d/cgroup' % pid, 65536))
        except rootfs.ReadError:
            container = None
        if container:
            row['container_engine'] = container['engine']
            row['container_id'] = container['id']
            name = names.name(container['engine'], container['id'])
            row['container'] = name or '%s:%s' % (container['engine'], container['id'][:12])
    listeners.sort(key=lambda r: (r['netns'] != 'host', str(r['netns']), r['port'], r['address']))
    return {'listeners': listeners, 'errors': errors}
