# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Real network namespaces for the storage / Neutron tests (lab.netns), always torn down."""

from __future__ import absolute_import, division, print_function

import os

import pytest

from lab.netns import NetLab, can_create_netns, kernel_supports, missing_tools


@pytest.fixture
def netlab():
    missing = missing_tools('ip')
    if missing:
        pytest.skip('%s not installed: network namespaces cannot be built' % ', '.join(missing))
    ok, reason = can_create_netns()
    if not ok:
        pytest.skip(reason)
    lab = NetLab()
    try:
        yield lab
    finally:
        lab.close()
        leftovers = [n for n in os.listdir('/run/netns') if n.startswith(lab.prefix)] if os.path.isdir('/run/netns') else []
        assert not leftovers, 'namespaces left behind: %s' % leftovers


@pytest.fixture
def need_kind():
    """``need_kind('vlan')`` skips the test with the kernel's own refusal when it cannot build that link kind."""
    def check(kind):
        ok, reason = kernel_supports(kind)
        if not ok:
            pytest.skip(reason)
    return check


@pytest.fixture
def need_tools():
    def check(*tools):
        missing = missing_tools(*tools)
        if missing:
            pytest.skip('%s not installed' % ', '.join(missing))
    return check


def write_tree(root, files):
    """Write ``{logical path: text}`` under ``root``; a path ending in / is a directory."""
    for path, text in files.items():
        full = os.path.join(str(root), path.lstrip('/'))
        if path.endswith('/'):
            os.makedirs(full, exist_ok=True)
            continue
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, 'w') as handle:
            handle.write(text)
    return str(root)


@pytest.fixture
def tree():
    return write_tree
