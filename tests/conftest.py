# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fixtures shared by the unit and the integration tests."""

from __future__ import absolute_import, division, print_function

import pytest

from lab.module import ansible_module as _ansible_module


@pytest.fixture(scope='session')
def ansible_module():
    """A real ``AnsibleModule``: gatherers called directly run their tools with its ``run_command``."""
    return _ansible_module()
