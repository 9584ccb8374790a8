# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one optional-import helper: modules when the library is there, None and the traceback when not."""

from __future__ import absolute_import, division, print_function

import json

import pytest

from ansible.module_utils.basic import missing_required_lib

from ansible_collections.scs.secure_connections.plugins.module_utils._core.optional import OptionalLibrary


class _Failed(Exception):
    pass


class _Module(object):
    """Stands in for AnsibleModule.fail_json, whose exit would end the test process."""

    def fail_json(self, **kwargs):
        raise _Failed(kwargs)


def test_found_library_gives_its_modules():
    lib = OptionalLibrary('json', 'json', 'json.decoder')
    assert lib.found and lib.error is None
    assert lib.modules[0] is json and lib.modules[1].JSONDecodeError is json.JSONDecodeError
    lib.fail_json_if_missing(_Module())  # nothing to say


def test_missing_library_gives_none_for_every_module_and_the_traceback():
    lib = OptionalLibrary('PyNoSuch', 'json', 'scs_no_such_library_here')
    assert not lib.found and lib.modules == (None, None)
    assert 'ModuleNotFoundError' in lib.error and 'scs_no_such_library_here' in lib.error
    with pytest.raises(_Failed) as failed:
        lib.fail_json_if_missing(_Module(), reason='for the live check')
    assert failed.value.args[0] == {'msg': missing_required_lib('PyNoSuch', reason='for the live check'), 'exception': lib.error}
    assert 'PyNoSuch' in failed.value.args[0]['msg']
