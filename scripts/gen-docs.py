# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Regenerate docs/controls.md from the control catalog (tests fail when it is stale)."""

from __future__ import absolute_import, division, print_function

import os
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, REPO)

from lab.paths import collections_root  # noqa: E402  pylint: disable=wrong-import-position

sys.path.insert(0, collections_root())

from ansible_collections.scs.secure_connections.plugins.module_utils._core.catalog import load_catalog  # noqa: E402
from ansible_collections.scs.secure_connections.plugins.module_utils._core.render import render_control_table  # noqa: E402

if __name__ == '__main__':
    with open(os.path.join(REPO, 'docs', 'controls.md'), 'w') as handle:
        handle.write(render_control_table(load_catalog()))
    print('docs/controls.md written')
