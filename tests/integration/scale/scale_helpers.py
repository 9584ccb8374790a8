# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Inventories of nodes over the real fixture trees (tests/fixtures/trees), as benchmarks/scale.py builds them."""

from __future__ import absolute_import, division, print_function

import os
import sys

import yaml

from lab.paths import REPO

TREES = ('kolla', 'osa', 'distro')


def node_hosts(count):
    """``count`` hosts, round robin over the fixture trees, local connection, the test's Python."""
    return dict(('node-%02d' % i, {'audit_root': os.path.join(REPO, 'tests', 'fixtures', 'trees', TREES[i % len(TREES)]),
                                   'ansible_connection': 'local', 'ansible_python_interpreter': sys.executable})
                for i in range(count))


def write_inventory(path, hosts, control='node-00'):
    inventory = {'all': {'hosts': hosts, 'children': {'control': {'hosts': {control: {}}}}}}
    path.write_text(yaml.safe_dump(inventory))
    return str(path)
