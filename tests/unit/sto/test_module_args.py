# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""storage_network_info's own input checks (bad input: a clear message, never a traceback)."""

from __future__ import absolute_import, division, print_function

import json

import pytest

from ansible_collections.scs.secure_connections.plugins.modules import storage_network_info


def run_module(monkeypatch, capsys, args):
    from ansible.module_utils import basic
    monkeypatch.setattr(basic, '_ANSIBLE_ARGS', json.dumps({'ANSIBLE_MODULE_ARGS': args}).encode())
    monkeypatch.setattr(basic, '_ANSIBLE_PROFILE', 'legacy')
    monkeypatch.setattr(storage_network_info, 'gather', lambda **kw: {'called_with': sorted(kw)})
    with pytest.raises(SystemExit):
        storage_network_info.main()
    return json.loads(capsys.readouterr().out)


@pytest.mark.parametrize('args,failed,fragment', [
    ({'traffic_interfaces': {'api': 'eth0', 'tunnel': 'eth1', 'management': 'eth0', 'external': 'eth3', 'migration': '',
                             'storage': 'eth2', 'cluster': 'eth4'}}, False, None),
    ({'traffic_interfaces': {'api': 'eth0', 'tenant': 'eth1'}}, True, 'unknown traffic class(es) tenant: use management, api,'),
    ({'traffic_addresses': {'replication': '10.0.0.1'}}, True, 'unknown traffic class(es) replication'),
    ({'timeout': 0}, True, 'timeout must be a positive number of seconds'),
    ({'ovs_vsctl_command': []}, True, 'ovs_vsctl_command and ovn_nbctl_command must not be empty'),
    ({'route_source': 'bgp'}, True, 'value of route_source must be one of'),
])
def test_arguments(monkeypatch, capsys, args, failed, fragment):
    out = run_module(monkeypatch, capsys, args)
    assert bool(out.get('failed')) is failed, out
    if fragment:
        assert fragment in out['msg']
    else:
        assert out['changed'] is False and 'traffic_interfaces' in out['called_with']
