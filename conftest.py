# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Make ``ansible_collections.scs.secure_connections`` and ``lab`` importable from a plain clone."""

from __future__ import absolute_import, division, print_function

import os
import sys

REPO = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, REPO)

from lab.paths import collections_root  # noqa: E402  pylint: disable=wrong-import-position

sys.path.insert(0, collections_root())
