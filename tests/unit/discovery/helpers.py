# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Shared helpers for the discovery unit tests: fixture paths, tree builders, truncation."""

from __future__ import absolute_import, division, print_function

import json
import os

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
TREES = os.path.join(REPO, 'tests', 'fixtures', 'trees')


def tree(name):
    return os.path.join(TREES, name)


def fixture_text(layout, path):
    """Text of a file of a fixture tree (symbolic links followed inside the tree)."""
    from ansible_collections.scs.secure_connections.plugins.module_utils._core.rootfs import read_text
    return read_text(tree(layout), path)[0]


def build(root, files):
    """Create ``files`` ({logical path: str | bytes | ('symlink', target) | ('dir',)}) under ``root``."""
    for path, content in files.items():
        real = os.path.join(str(root), path.lstrip('/'))
        parent = os.path.dirname(real)
        if not os.path.isdir(parent):
            os.makedirs(parent)
        if isinstance(content, tuple) and content[0] == 'symlink':
            os.symlink(content[1], real)
        elif isinstance(content, tuple) and content[0] == 'dir':
            os.makedirs(real)
        elif isinstance(content, bytes):
            with open(real, 'wb') as handle:
                handle.write(content)
        else:
            with open(real, 'w') as handle:
                handle.write(content)
    return str(root)


def truncations(text, count=40):
    """Prefixes of ``text`` cut at ``count`` evenly spread places (and inside the last line)."""
    if not text:
        return ['']
    step = max(1, len(text) // count)
    cuts = list(range(0, len(text), step)) + [len(text) - 1, len(text) - 2]
    return [text[:c] for c in sorted(set(c for c in cuts if c >= 0))]


def dumps(obj):
    """JSON of a result: proves it is serialisable (what Ansible will do with it)."""
    return json.dumps(obj, sort_keys=True)
