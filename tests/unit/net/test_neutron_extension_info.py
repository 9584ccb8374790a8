# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""neutron_extension_info with a mocked openstacksdk connection.

MOCK: no Neutron server can run in this environment (no registry carries a runnable Neutron with
its agents here), so the SDK's ``network.extensions()`` is replaced by a stand-in returning the
objects openstacksdk returns (``openstack.network.v2.extension.Extension``).
"""

from __future__ import absolute_import, division, print_function

import json

import pytest
from openstack.network.v2.extension import Extension

from ansible_collections.scs.secure_connections.plugins.module_utils._gather import neutron as _neutron
from ansible_collections.scs.secure_connections.plugins.module_utils._gather import openstack as _openstack
from ansible_collections.scs.secure_connections.plugins.modules import neutron_extension_info


class FakeConfig(object):
    config = {'auth': {'auth_url': 'https://api.example:5000/v3', 'password': 'pw-secret'}, 'region_name': 'RegionOne'}

    def get_region_name(self, *_a):
        return 'RegionOne'


class FakeNetwork(object):
    def __init__(self, aliases, error=None):
        self.aliases, self.error = aliases, error

    def extensions(self):
        if self.error:
            raise self.error
        return [Extension(alias=a, name=a.upper(), updated_at='2013-01-01T00:00:00-00:00') for a in self.aliases]

    def get_endpoint(self):
        return 'https://api.example:9696'


class FakeConn(object):
    def __init__(self, aliases, error=None):
        self.network = FakeNetwork(aliases, error)
        self.config = FakeConfig()
        self.session = None

    def close(self):
        pass


@pytest.mark.parametrize('aliases,vpnaas,found', [
    (['router', 'vpnaas', 'vpn-endpoint-groups', 'qos'], True, ['vpn-endpoint-groups', 'vpnaas']),
    (['router', 'qos'], False, []),
    ([], False, []),
])
def test_collect_extensions(aliases, vpnaas, found):
    result = _neutron.collect_extensions(FakeConn(aliases))
    assert result['status'] == 'ok' and result['vpnaas'] is vpnaas and result['vpnaas_aliases'] == found
    assert result['aliases'] == sorted(aliases)
    assert result['endpoint'] == 'https://api.example:9696' and result['auth_url'] == 'https://api.example:5000/v3'
    assert set(result) == set(_neutron.EMPTY_RESULT)


def _run_module(monkeypatch, capsys, conn, args):
    from ansible.module_utils import basic
    from ansible.module_utils.common.text.converters import to_bytes
    monkeypatch.setattr(basic, '_ANSIBLE_ARGS', to_bytes(json.dumps({'ANSIBLE_MODULE_ARGS': args})))
    monkeypatch.setattr(basic, '_ANSIBLE_PROFILE', 'legacy')
    monkeypatch.setattr(_openstack, 'openstack', type('sdk', (), {'connect': staticmethod(lambda **_kw: conn)}))
    with pytest.raises(SystemExit):
        neutron_extension_info.main()
    return json.loads(capsys.readouterr().out)


def test_module_ok(monkeypatch, capsys):
    out = _run_module(monkeypatch, capsys, FakeConn(['vpnaas']), {'auth': {'auth_url': 'https://api.example:5000/v3', 'password': 'pw-secret'}})
    assert out['changed'] is False and out['status'] == 'ok' and out['vpnaas'] is True
    assert 'pw-secret' not in json.dumps(out)


def test_module_error_does_not_fail(monkeypatch, capsys):
    from keystoneauth1 import exceptions as ksa
    conn = FakeConn([], error=ksa.Unauthorized('The request you have made requires authentication. (HTTP 401)'))
    out = _run_module(monkeypatch, capsys, conn, {'cloud': 'prod'})
    assert out['status'] == 'error' and out['error']['kind'] == 'auth' and out.get('failed') is not True
    assert out['vpnaas'] is None and out['extensions'] == []


def test_return_documents_every_key():
    import yaml
    assert set(yaml.safe_load(neutron_extension_info.RETURN)) == set(_neutron.EMPTY_RESULT)
