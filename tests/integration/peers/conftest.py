# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The peer zoo (lab/peers.py): every module that talks to the network, against misbehaving peers.

The peers are mocks by necessity: no real server trickles, resets or loops HelloRetryRequests on
purpose. Modules run as Ansible runs them (own Python process, JSON arguments); each test asserts
the status, the reason and the time bound (with margin for a loaded 2-core machine)."""

from __future__ import absolute_import, division, print_function

import json
import os
import subprocess
import sys
import time

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
if REPO not in sys.path:
    sys.path.insert(0, REPO)

from lab.paths import collections_root  # noqa: E402

# what a loaded machine may add to a bound (process start, imports, scheduling)
MARGIN = 6.0


class ModuleRun(object):
    def __init__(self, result, elapsed, stderr):
        self.result, self.elapsed, self.stderr = result, elapsed, stderr


def run_module(tmp_path, name, args, limit=120):
    """``scs.secure_connections.<name>`` in its own process; the parsed result and the wall time."""
    path = os.path.join(str(tmp_path), 'args-%s.json' % name)
    with open(path, 'w') as handle:
        json.dump({'ANSIBLE_MODULE_ARGS': args}, handle)
    env = dict(os.environ, PYTHONPATH=collections_root())
    begin = time.monotonic()
    proc = subprocess.run([sys.executable, '-m', 'ansible_collections.scs.secure_connections.plugins.modules.%s' % name, path],
                          capture_output=True, text=True, timeout=limit, env=env, check=False)
    elapsed = time.monotonic() - begin
    try:
        result = json.loads(proc.stdout)
    except ValueError:
        raise AssertionError('%s printed no JSON: %s %s' % (name, proc.stdout[-2000:], proc.stderr[-2000:]))
    return ModuleRun(result, elapsed, proc.stderr)


@pytest.fixture
def module(tmp_path):
    return lambda name, args, limit=120: run_module(tmp_path, name, args, limit)
