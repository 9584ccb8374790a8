# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fake sysfs trees and a scripted command runner for the storage/network unit tests."""

from __future__ import absolute_import, division, print_function

import json
import os

import pytest


def make_sysfs(root, spec):
    """Build ``root/class/net/<if>/...`` like the kernel's sysfs from ``{name: attrs}``.

    attrs: type (int), ifindex, iflink, devtype, device (bool), driver, lower [names],
    brif [names] (makes a bridge), slaves [names] (makes a bond), master, tun (bool), operstate.
    """
    base = os.path.join(str(root), 'class', 'net')
    os.makedirs(base)
    for index, (name, attrs) in enumerate(sorted(spec.items()), 2):
        d = os.path.join(base, name)
        os.makedirs(d)

        def write(fname, value, d=d):
            with open(os.path.join(d, fname), 'w') as handle:
                handle.write('%s\n' % value)

        write('type', attrs.get('type', 1))
        write('ifindex', attrs.get('ifindex', index))
        write('iflink', attrs.get('iflink', attrs.get('ifindex', index)))
        write('operstate', attrs.get('operstate', 'up'))
        write('address', '52:54:00:00:00:%02x' % index)
        uevent = 'INTERFACE=%s\nIFINDEX=%s\n' % (name, index)
        if attrs.get('devtype'):
            uevent += 'DEVTYPE=%s\n' % attrs['devtype']
        write('uevent', uevent)
        if attrs.get('device'):
            dev = os.path.join(str(root), 'devices', 'pci0000:00', name)
            drv = os.path.join(str(root), 'bus', 'pci', 'drivers', attrs.get('driver', 'e1000e'))
            os.makedirs(dev)
            if not os.path.isdir(drv):
                os.makedirs(drv)
            # relative, as the kernel makes them (sysfs is read confined to its tree)
            os.symlink(os.path.relpath(drv, dev), os.path.join(dev, 'driver'))
            os.symlink(os.path.relpath(dev, d), os.path.join(d, 'device'))
        for lower in attrs.get('lower', []):
            os.symlink('../%s' % lower, os.path.join(d, 'lower_%s' % lower))
        if 'brif' in attrs:
            os.makedirs(os.path.join(d, 'bridge'))
            os.makedirs(os.path.join(d, 'brif'))
            for port in attrs['brif']:
                os.symlink('../../%s/brport' % port, os.path.join(d, 'brif', port))
                os.symlink('../%s' % port, os.path.join(d, 'lower_%s' % port))
        if 'slaves' in attrs:
            os.makedirs(os.path.join(d, 'bonding'))
            with open(os.path.join(d, 'bonding', 'slaves'), 'w') as handle:
                handle.write(' '.join(attrs['slaves']) + '\n')
            for slave in attrs['slaves']:
                os.symlink('../%s' % slave, os.path.join(d, 'lower_%s' % slave))
        if attrs.get('master'):
            os.symlink('../%s' % attrs['master'], os.path.join(d, 'master'))
        if attrs.get('tun'):
            write('tun_flags', '0x1001')
    return str(root)


def make_proc(root, route='', ipv6_route='', if_inet6=''):
    d = os.path.join(str(root), 'net')
    os.makedirs(d)
    for name, text in (('route', route), ('ipv6_route', ipv6_route), ('if_inet6', if_inet6)):
        with open(os.path.join(d, name), 'w') as handle:
            handle.write(text)
    return str(root)


class FakeRunner(object):
    """Stands in for _gather/runner.Runner: ``tools`` maps tool -> path (None = not installed),
    ``outputs`` maps (tool, args...) -> (rc, stdout, stderr) or a JSON-able object (rc 0)."""

    def __init__(self, tools=None, outputs=None, netns=None):
        self.tools = tools or {}
        self.outputs = outputs or {}
        self.netns = netns
        self.calls = []

    def which(self, tool):
        return self.tools.get(tool)

    def run(self, tool, args, in_netns=True, env=None):
        from ansible_collections.scs.secure_connections.plugins.module_utils._gather.netinfo import NetInfoError
        if self.tools.get(tool) is None:
            raise NetInfoError('%s is not installed (not found in PATH)' % tool)
        key = (tool,) + tuple(args)
        self.calls.append(key)
        out = self.outputs.get(key)
        if out is None:
            return 1, '', 'no scripted output for %s' % ' '.join(key)
        if isinstance(out, tuple):
            return out
        return 0, out if isinstance(out, str) else json.dumps(out), ''


@pytest.fixture
def fake_runner():
    return FakeRunner


@pytest.fixture
def sysfs():
    return make_sysfs


@pytest.fixture
def procfs():
    return make_proc
