# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A missing library reads as "install X on host Y", not as a credentials problem."""

from __future__ import absolute_import, division, print_function

import json
import socket
import sys

import pytest

from ansible_collections.scs.secure_connections.plugins.module_utils._core.requires import missing_library
from ansible_collections.scs.secure_connections.plugins.module_utils._gather import mysql as _mysql
from ansible_collections.scs.secure_connections.plugins.module_utils._gather import openstack as _openstack
from ansible_collections.scs.secure_connections.plugins.modules import keystone_catalog_info


def test_message_names_library_host_python_and_command():
    err = missing_library('openstacksdk', alternative='run the module on a host that has it')
    assert err['kind'] == 'missing_library'
    host = socket.gethostname()
    assert 'openstacksdk is not installed on host %s' % host in err['message']
    assert '%s -m pip install openstacksdk' % sys.executable in err['message']
    assert 'python3-openstacksdk' in err['message'] and err['message'].endswith('run the module on a host that has it')


def test_keystone_module_without_openstacksdk_reports_what_to_install(monkeypatch, capsys):
    from ansible.module_utils import basic
    from ansible.module_utils.common.text.converters import to_bytes
    monkeypatch.setattr(basic, '_ANSIBLE_ARGS', to_bytes(json.dumps({'ANSIBLE_MODULE_ARGS': {'cloud': 'prod'}})))
    monkeypatch.setattr(basic, '_ANSIBLE_PROFILE', 'legacy')
    monkeypatch.setattr(_openstack, 'HAS_OPENSTACKSDK', False)
    with pytest.raises(SystemExit):
        keystone_catalog_info.main()
    out = json.loads(capsys.readouterr().out)
    assert not out.get('failed') and out['status'] == 'error'
    assert out['error']['kind'] == 'missing_library' and 'install it on' in out['error']['message']
    assert 'credential' not in out['error']['message']


def test_mysql_without_pymysql_says_where_to_install(monkeypatch):
    monkeypatch.setattr(_mysql, 'HAS_PYMYSQL', False)
    with pytest.raises(_mysql.MySQLAccessError) as info:
        _mysql.PyMySQLBackend({'login_host': 'localhost'}).connect()
    assert info.value.kind == 'client'
    assert 'PyMySQL is not installed on host %s' % socket.gethostname() in str(info.value)
    assert 'option container' in str(info.value)
