# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The API channel's real-Keystone lab (tests/integration/api/conftest.py: Keystone over HTTPS with a
private CA behind real nginx TLS frontends, lab.keystone's mixed catalog, a project member), reused
as it is for the ops tests."""

from __future__ import absolute_import, division, print_function

import importlib.util
import os
import sys

API_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), 'api')
if API_DIR not in sys.path:
    sys.path.insert(0, API_DIR)
_SPEC = importlib.util.spec_from_file_location('api_channel_conftest', os.path.join(API_DIR, 'conftest.py'))
_API = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(_API)

keystone_lab = _API.keystone_lab
