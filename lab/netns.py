# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Real networks in network namespaces: nodes, switches, NICs, VLANs, bonds, bridges, WireGuard.

Every name carries a per-run prefix, every namespace is deleted (and every ``wireguard-go`` stopped
by PID) when the :class:`NetLab` closes. Traffic never leaves the namespaces: "NICs" are veth pairs
whose far ends sit in a switch namespace, one Linux bridge per network segment; addresses are
``10.99.x.y`` / ``fd99::`` inside those namespaces only.

Usage::

    with NetLab() as lab:
        sw = lab.switch()
        node = lab.node('compute1')
        node.nic('eth0', sw, 'mgmt', '10.99.0.11/24')
        node.route('default', via='10.99.0.1')
        ...
        lab.netns_name(node)   # -> 'scs1a2b3c-compute1' for the module's ``netns`` option

Kernel support differs between machines (this one refuses ``vlan`` and ``bond``): call
:func:`kernel_supports` first and skip with its reason.
"""

from __future__ import absolute_import, division, print_function

import os
import shutil
import subprocess
import tempfile
import time
import uuid

from lab.proc import LabError, Process, Stack

_SUPPORT = {}


def _run(argv, check=True, timeout=20, env=None):
    full_env = dict(os.environ, LC_ALL='C')
    full_env.update(env or {})
    proc = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, timeout=timeout, env=full_env,
                          check=False)
    out, err = proc.stdout.decode('utf-8', 'replace'), proc.stderr.decode('utf-8', 'replace')
    if check and proc.returncode != 0:
        raise LabError('%s failed (%s): %s' % (' '.join(argv), proc.returncode, (err or out).strip()))
    return proc.returncode, out, err


def missing_tools(*tools):
    """Names of the tools in ``tools`` that are not installed."""
    return [t for t in tools if shutil.which(t) is None and not os.path.exists(os.path.join('/usr/sbin', t))]


def can_create_netns():
    """``(True, None)`` or ``(False, reason)``: root and ``ip netns`` working here."""
    if 'netns' in _SUPPORT:
        return _SUPPORT['netns']
    if missing_tools('ip'):
        _SUPPORT['netns'] = (False, 'ip (iproute2) is not installed')
        return _SUPPORT['netns']
    name = 'scsprobe-%s' % uuid.uuid4().hex[:8]
    rc, out, err = _run(['ip', 'netns', 'add', name], check=False)
    if rc != 0:
        _SUPPORT['netns'] = (False, 'cannot create network namespaces here (needs root and CAP_SYS_ADMIN): %s' % (err or out).strip())
    else:
        _run(['ip', 'netns', 'del', name], check=False)
        _SUPPORT['netns'] = (True, None)
    return _SUPPORT['netns']


def kernel_supports(kind):
    """``(True, None)`` or ``(False, reason)``: can this kernel create a link of ``kind`` in a netns?

    ``kind``: veth, bridge, macvlan, vlan, bond, wireguard (kernel module).
    """
    if kind in _SUPPORT:
        return _SUPPORT[kind]
    ok, reason = can_create_netns()
    if not ok:
        return ok, reason
    name = 'scsprobe-%s' % uuid.uuid4().hex[:8]
    _run(['ip', 'netns', 'add', name])
    try:
        _run(['ip', '-n', name, 'link', 'add', 'p0', 'type', 'veth', 'peer', 'name', 'p1'])
        argv = {
            'veth': None,
            'bridge': ['link', 'add', 'k0', 'type', 'bridge'],
            'macvlan': ['link', 'add', 'link', 'p0', 'name', 'k0', 'type', 'macvlan'],
            'vlan': ['link', 'add', 'link', 'p0', 'name', 'k0', 'type', 'vlan', 'id', '10'],
            'bond': ['link', 'add', 'k0', 'type', 'bond'],
            'wireguard': ['link', 'add', 'k0', 'type', 'wireguard'],
        }[kind]
        if argv is None:
            result = (True, None)
        else:
            rc, out, err = _run(['ip', '-n', name] + argv, check=False)
            result = (True, None) if rc == 0 else (False, 'this kernel refuses "ip link add type %s" in a network namespace: %s' % (kind, (err or out).strip()))
    finally:
        _run(['ip', 'netns', 'del', name], check=False)
    _SUPPORT[kind] = result
    return result


class Namespace(object):
    """One network namespace (a node or a switch)."""

    def __init__(self, lab, short):
        self.lab = lab
        self.short = short
        self.name = '%s-%s' % (lab.prefix, short)
        _run(['ip', 'netns', 'add', self.name])
        lab.stack.callback(self.delete)
        self.ip('link', 'set', 'lo', 'up')

    def ip(self, *args, **kw):
        return _run(['ip', '-n', self.name] + [str(a) for a in args], **kw)

    def run(self, *argv, **kw):
        return _run(['ip', 'netns', 'exec', self.name] + [str(a) for a in argv], **kw)

    def delete(self):
        _run(['ip', 'netns', 'del', self.name], check=False)


class Switch(Namespace):
    """A namespace with one Linux bridge per network segment."""

    def __init__(self, lab, short='sw'):
        super(Switch, self).__init__(lab, short)
        self.segments = {}
        self._ports = 0

    def segment(self, name):
        if name not in self.segments:
            br = 'br%d' % len(self.segments)
            self.ip('link', 'add', br, 'type', 'bridge')
            self.ip('link', 'set', br, 'up')
            self.segments[name] = br
        return self.segments[name]

    def port_name(self):
        self._ports += 1
        return 'p%d' % self._ports


class Node(Namespace):
    """A namespace playing an OpenStack/Ceph node, with helpers to build its interfaces."""

    def nic(self, name, switch, segment, *addresses):
        """A "physical" NIC: veth ``name`` here, its peer on ``switch``'s ``segment`` bridge."""
        peer = switch.port_name()
        self.ip('link', 'add', name, 'type', 'veth', 'peer', 'name', peer, 'netns', switch.name)
        switch.ip('link', 'set', peer, 'master', switch.segment(segment))
        switch.ip('link', 'set', peer, 'up')
        self.up(name, *addresses)
        return name

    def up(self, name, *addresses):
        for addr in addresses:
            self.ip('addr', 'add', addr, 'dev', name, *(['nodad'] if ':' in addr else []))
        self.ip('link', 'set', name, 'up')
        return name

    def vlan(self, name, parent, vlan_id, *addresses):
        self.ip('link', 'add', 'link', parent, 'name', name, 'type', 'vlan', 'id', vlan_id)
        return self.up(name, *addresses)

    def macvlan(self, name, parent, *addresses):
        self.ip('link', 'add', 'link', parent, 'name', name, 'type', 'macvlan', 'mode', 'bridge')
        return self.up(name, *addresses)

    def bond(self, name, slaves, *addresses):
        self.ip('link', 'add', name, 'type', 'bond', 'mode', 'active-backup')
        for slave in slaves:
            self.ip('link', 'set', slave, 'down')
            self.ip('link', 'set', slave, 'master', name)
            self.ip('link', 'set', slave, 'up')
        return self.up(name, *addresses)

    def bridge(self, name, ports, *addresses):
        self.ip('link', 'add', name, 'type', 'bridge')
        for port in ports:
            self.ip('link', 'set', port, 'master', name)
        return self.up(name, *addresses)

    def route(self, dest, via=None, dev=None):
        args = ['route', 'add', dest]
        if via:
            args += ['via', via]
        if dev:
            args += ['dev', dev]
        self.ip(*args)

    def wireguard(self, short, address, listen_port, private_key):
        """A userspace WireGuard device (``wireguard-go -f``) named uniquely for this run."""
        name = self.lab.unique_ifname(short)
        log = os.path.join(self.lab.tmp, '%s.log' % name)
        env = dict(os.environ, WG_PROCESS_FOREGROUND='1', LOG_LEVEL='error')
        proc = Process('wireguard-go %s' % name, ['ip', 'netns', 'exec', self.name, 'wireguard-go', '-f', name], log, env=env)
        self.lab.stack.add(proc)
        self.lab.stack.callback(lambda: _unlink_quiet('/var/run/wireguard/%s.sock' % name))
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.ip('link', 'show', name, check=False)[0] == 0 and os.path.exists('/var/run/wireguard/%s.sock' % name):
                break
            if not proc.alive():
                raise LabError('wireguard-go exited early; see %s' % log)
            time.sleep(0.05)
        else:
            raise LabError('wireguard-go did not create %s within 10s; see %s' % (name, log))
        keyfile = os.path.join(self.lab.tmp, '%s.key' % name)
        with open(keyfile, 'w') as handle:
            handle.write(private_key + '\n')
        os.chmod(keyfile, 0o600)
        self.run('wg', 'set', name, 'listen-port', listen_port, 'private-key', keyfile)
        self.up(name, address)
        return name

    def wg_peer(self, name, public_key, allowed_ips, endpoint=None):
        args = ['wg', 'set', name, 'peer', public_key, 'allowed-ips', allowed_ips]
        if endpoint:
            args += ['endpoint', endpoint, 'persistent-keepalive', '1']
        self.run(*args)


def _unlink_quiet(path):
    try:
        os.unlink(path)
    except OSError:
        pass


def wg_keypair():
    """``(private, public)`` WireGuard keys made with ``wg genkey`` / ``wg pubkey`` (throw-away)."""
    _rc, private, _err = _run(['wg', 'genkey'])
    proc = subprocess.run(['wg', 'pubkey'], input=private.encode(), stdout=subprocess.PIPE, check=True, timeout=10)
    return private.strip(), proc.stdout.decode().strip()


class NetLab(object):
    """A set of namespaces and processes torn down together (use as a context manager)."""

    def __init__(self):
        ok, reason = can_create_netns()
        if not ok:
            raise LabError(reason)
        self.prefix = 'scs%s' % uuid.uuid4().hex[:6]
        self.stack = Stack()
        self.tmp = tempfile.mkdtemp(prefix='%s-' % self.prefix)
        self.stack.callback(lambda: shutil.rmtree(self.tmp, ignore_errors=True))
        self._ifnames = 0

    def unique_ifname(self, short):
        """A name unique on this machine (<= 15 characters), for devices with global side effects."""
        self._ifnames += 1
        return ('%s%s%d' % (short[:4], self.prefix[3:], self._ifnames))[:15]

    def switch(self, short='sw'):
        return Switch(self, short)

    def node(self, short):
        return Node(self, short)

    def close(self):
        self.stack.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def tcp_reachable(client, server, address, port=7777, timeout=5.0):
    """True when ``client`` can open TCP to ``address:port`` where ``server`` runs a listener (socat)."""
    log = os.path.join(client.lab.tmp, 'socat-%s.log' % port)
    listener = Process('socat listener', ['ip', 'netns', 'exec', server.name, 'socat', '-T', '5',
                                          'TCP-LISTEN:%d,bind=%s,reuseaddr' % (port, address), 'SYSTEM:echo ok'], log)
    try:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            rc, out, _err = client.run('socat', '-T', '2', 'STDIO', 'TCP:%s:%d,connect-timeout=1' % (address, port), check=False, timeout=10)
            if rc == 0 and 'ok' in out:
                return True
            time.sleep(0.2)
        return False
    finally:
        listener.stop()
