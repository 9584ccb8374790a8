# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Real libvirtd daemons (lab/libvirt.py) for the hypervisor channel (the playbook runner is in hvint.py)."""

from __future__ import absolute_import, division, print_function

import pytest

from lab.proc import Stack


def _missing():
    from lab.libvirt import libvirtd_binary, virsh_binary
    missing = []
    if not libvirtd_binary():
        missing.append('libvirtd (Debian: libvirt-daemon libvirt-daemon-system-sysv)')
    if not virsh_binary():
        missing.append('virsh (Debian: libvirt-clients)')
    return missing


@pytest.fixture
def libvirtd(tmp_path):
    """``libvirtd(mode, netns=False, **kw)`` starts a real daemon in its own temp dir; all are stopped by PID at the end."""
    missing = _missing()
    if missing:
        pytest.skip('real libvirtd tests need %s' % ', '.join(missing))
    from lab.libvirt import namespaces_available, start_libvirtd
    stack = Stack()
    count = [0]

    def start(mode, netns=False, **kwargs):
        if netns and not namespaces_available():
            pytest.skip('a private network namespace needs unshare/nsenter as root (CAP_SYS_ADMIN)')
        count[0] += 1
        return stack.add(start_libvirtd(str(tmp_path / ('lv%d-%s' % (count[0], mode))), mode=mode, netns=netns, **kwargs))

    try:
        yield start
    finally:
        stack.close()
