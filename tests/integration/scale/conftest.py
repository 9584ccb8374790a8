# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The runner of the scale tests (the spine tests' ansible-playbook runner)."""

from __future__ import absolute_import, division, print_function

import importlib.util
import os

import pytest

# the spine tests' ansible-playbook runner (its conftest), loaded by path: both files are named conftest
_SPINE_CONFTEST = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), 'spine', 'conftest.py')
_SPEC = importlib.util.spec_from_file_location('scs_spine_conftest', _SPINE_CONFTEST)
_SPINE = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(_SPINE)
Runner = _SPINE.Runner


@pytest.fixture
def runner(tmp_path):
    return Runner(tmp_path)
