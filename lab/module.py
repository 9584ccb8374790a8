# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A real ``AnsibleModule`` for tests that call gatherers directly: the gatherers run their tools
with the module's ``run_command`` (``plugins/module_utils/_core/command.py``), as in a module run."""

from __future__ import absolute_import, division, print_function

_MODULE = []


def ansible_module():
    """The process' ``AnsibleModule`` (no options; created once)."""
    if not _MODULE:
        from ansible.module_utils.basic import AnsibleModule  # pylint: disable=import-outside-toplevel
        from ansible.module_utils.testing import patch_module_args  # pylint: disable=import-outside-toplevel
        with patch_module_args({}):
            _MODULE.append(AnsibleModule(argument_spec={}, supports_check_mode=True))
    return _MODULE[0]
