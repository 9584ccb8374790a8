# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Listeners in another network namespace (as LXC containers have) are found too.

A real network namespace is created with iproute2, a listener started inside it, and
read_listeners('/proc') must report it, owned by that process, with a netns other than 'host'.
"""

from __future__ import absolute_import, division, print_function

import os
import shutil
import subprocess
import sys
import time
import uuid

import pytest

from ansible_collections.scs.secure_connections.plugins.module_utils._gather.listeners import read_listeners

LISTENER = ("import socket, sys, time\n"
            "s = socket.socket(); s.bind(('127.0.0.1', 0)); s.listen(1)\n"
            "print(s.getsockname()[1], flush=True)\n"
            "time.sleep(60)\n")


@pytest.fixture
def netns():
    if shutil.which('ip') is None:
        pytest.skip('iproute2 (ip) is not installed')
    if os.geteuid() != 0:
        pytest.skip('creating a network namespace needs root')
    name = 'scs-disc-%s' % uuid.uuid4().hex[:8]
    subprocess.run(['ip', 'netns', 'add', name], check=True, timeout=30)
    try:
        subprocess.run(['ip', '-n', name, 'link', 'set', 'lo', 'up'], check=True, timeout=30)
        yield name
    finally:
        subprocess.run(['ip', 'netns', 'delete', name], check=False, timeout=30)


def test_listener_in_other_namespace(netns):
    proc = subprocess.Popen(['ip', 'netns', 'exec', netns, sys.executable, '-c', LISTENER], stdout=subprocess.PIPE)
    try:
        port = int(proc.stdout.readline().decode().strip())
        deadline = time.monotonic() + 10
        found = []
        while time.monotonic() < deadline and not found:
            found = [l for l in read_listeners('/proc')['listeners'] if l['port'] == port and l['netns'] != 'host']
            time.sleep(0.1)
        assert len(found) == 1, 'listener on 127.0.0.1:%d in namespace %s not found' % (port, netns)
        assert found[0]['address'] == '127.0.0.1'
        assert found[0]['netns'].startswith('net:[')
        assert found[0]['pid'] == proc.pid                    # 'ip netns exec' execs the command in place
        # the host namespace has no such listener
        assert not [l for l in read_listeners('/proc', namespaces=False)['listeners'] if l['port'] == port and l['address'] == '127.0.0.1'
                    and l['pid'] == proc.pid]
    finally:
        proc.kill()
        proc.wait(10)
