# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The module's main(): argument handling and the exit JSON (in-process, no Ansible run)."""

from __future__ import absolute_import, division, print_function

import json

import pytest

from ansible.module_utils.testing import patch_module_args

from ansible_collections.scs.secure_connections.plugins.modules import openstack_config_info

from .helpers import tree


def _run(capsys, args):
    with patch_module_args(args):
        with pytest.raises(SystemExit) as exc:
            openstack_config_info.main()
    return exc.value.code, json.loads(capsys.readouterr().out)


def test_main_on_fixture_tree(capsys):
    code, out = _run(capsys, {'root': tree('distro'), 'gather': ['layout', 'services'], 'services': ['nova'],
                              '_ansible_check_mode': True})
    assert code == 0
    assert out['changed'] is False
    assert [l['name'] for l in out['layouts']] == ['distro']
    assert [s['service'] for s in out['services']] == ['nova']
    assert 'FIXTUREPW' not in json.dumps(out)


@pytest.mark.parametrize('args, message', [
    ({'max_file_size': 0}, 'max_file_size must be a positive number of bytes, got 0'),
    ({'gather': ['everything']}, 'value of gather must be one or more of'),
])
def test_main_rejects_bad_arguments(capsys, args, message):
    code, out = _run(capsys, args)
    assert code == 1 and out['failed'] is True
    assert message in out['msg']
