# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The guidelines embedded for remote nodes (_mozilla_data.py) equal the shipped JSON file."""

from __future__ import absolute_import, division, print_function

import json

from ansible_collections.scs.secure_connections.plugins.module_utils._core.catalog import MOZILLA_FILE, load_mozilla_guidelines
from ansible_collections.scs.secure_connections.plugins.module_utils._core.mozilla_data import GUIDELINES


def test_embedded_guidelines_equal_the_json_file():
    with open(MOZILLA_FILE) as handle:
        assert GUIDELINES == json.load(handle)
    assert GUIDELINES == load_mozilla_guidelines()


def test_embedded_guidelines_are_5_7_with_three_levels():
    assert GUIDELINES['version'] == 5.7
    assert sorted(GUIDELINES['configurations']) == ['intermediate', 'modern', 'old']
