# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Interface -> NIC resolution from sysfs trees (VLAN, bond, bridge, macvlan, veth, WireGuard) and from ip -j -d link.

The sysfs trees are built in a temp dir exactly as the kernel lays them out (lower_* links, brif/,
bonding/slaves, master, device). Real devices of these kinds are built in namespaces by
tests/integration/sto where the kernel allows it.
"""

from __future__ import absolute_import, division, print_function

import pytest

from ansible_collections.scs.secure_connections.plugins.module_utils._gather import netinfo as ni


ROUTE = ('Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n'
         'eth0\t00000000\t0100630A\t0003\t0\t0\t0\t00000000\t0\t0\t0\n'
         'eth2\t0001630A\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n')

# A storage node: bond0 over eth2+eth3 carries VLAN 30 (storage); br-ex over eth1.100 (external);
# macvlan mv0 over eth0; a veth (container-style) NIC; a kernel and a userspace WireGuard device;
# a bridge without ports; two devices pointing at each other (must not loop).
SPEC = {
    'lo': {'type': 772},
    'eth0': {'device': True, 'driver': 'virtio_net'},
    'eth1': {'device': True, 'master': None},
    'eth1.100': {'devtype': 'vlan', 'lower': ['eth1'], 'master': 'br-ex'},
    'br-ex': {'devtype': 'bridge', 'brif': ['eth1.100']},
    'eth2': {'device': True, 'master': 'bond0'},
    'eth3': {'device': True, 'master': 'bond0'},
    'bond0': {'devtype': None, 'slaves': ['eth2', 'eth3']},
    'bond0.30': {'devtype': 'vlan', 'lower': ['bond0']},
    'mv0': {'lower': ['eth0']},
    'veth7': {'iflink': 99},
    'wg0': {'devtype': 'wireguard', 'type': 65534},
    'wgu1': {'tun': True, 'type': 65534},
    'br-empty': {'devtype': 'bridge', 'brif': []},
    'wgname': {'device': True},    # listed by wg show (a socket of another namespace) but a NIC here
    'loopa': {'lower': ['loopb']},
    'loopb': {'lower': ['loopa']},
}


@pytest.fixture
def view(tmp_path, sysfs, procfs, fake_runner):
    sysfs(tmp_path / 'sys', SPEC)
    procfs(tmp_path / 'proc', route=ROUTE)
    runner = fake_runner(tools={'wg': '/usr/bin/wg'}, outputs={
        ('wg', 'show', 'interfaces'): 'wg0 wgu1 wg-elsewhere wgname\n',
        ('wg', 'show', 'wg0', 'endpoints'): 'cHVibGljLWtleS0x=\t10.99.1.20:51820\nb3RoZXI=\t(none)\n',
        ('wg', 'show', 'wgu1', 'endpoints'): '',
    })
    return ni.NetView(runner, sys_path=str(tmp_path / 'sys'), proc_path=str(tmp_path / 'proc'))


RESOLVE_CASES = [
    # interface, nics, physical_nics, virtual_nics, wireguard, first hop
    ('bond0.30', ['eth2', 'eth3'], ['eth2', 'eth3'], [], [], 'bond0.30 (vlan over bond0)'),
    ('bond0', ['eth2', 'eth3'], ['eth2', 'eth3'], [], [], 'bond0 (bond over eth2, eth3)'),
    ('br-ex', ['eth1'], ['eth1'], [], [], 'br-ex (bridge over eth1.100)'),
    ('eth1.100', ['eth1'], ['eth1'], [], [], 'eth1.100 (vlan over eth1)'),
    ('mv0', ['eth0'], ['eth0'], [], [], 'mv0 (stacked over eth0)'),
    ('eth0', ['eth0'], ['eth0'], [], [], 'eth0 (physical)'),
    ('veth7', ['veth7'], [], ['veth7'], [], 'veth7 (virtual, no lower device)'),
    ('wg0', ['eth2'], ['eth2'], [], ['wg0'], 'wg0 (WireGuard, encrypted UDP to peers via eth2)'),
    ('wgu1', ['wgu1'], [], ['wgu1'], ['wgu1'], 'wgu1 (WireGuard, no peer endpoint route known)'),
    ('br-empty', ['br-empty'], [], ['br-empty'], [], 'br-empty (bridge, no lower device)'),
    ('lo', ['lo'], [], ['lo'], [], 'lo (loopback, no lower device)'),
]


@pytest.mark.parametrize('name,nics,physical,virtual,wg,hop', RESOLVE_CASES)
def test_resolve(view, name, nics, physical, virtual, wg, hop):
    res = view.resolve(name)
    assert res['exists']
    assert res['nics'] == nics
    assert res['physical_nics'] == physical
    assert res['virtual_nics'] == virtual
    assert res['wireguard'] == wg
    assert res['chain'][0] == hop


def test_kinds(view):
    kinds = dict((i['name'], i['kind']) for i in view.interface_summary())
    assert kinds == {
        'lo': 'loopback', 'eth0': 'physical', 'eth1': 'physical', 'eth1.100': 'vlan', 'br-ex': 'bridge', 'eth2': 'physical',
        'eth3': 'physical', 'bond0': 'bond', 'bond0.30': 'vlan', 'mv0': 'stacked', 'veth7': 'virtual', 'wg0': 'wireguard',
        'wgu1': 'wireguard', 'br-empty': 'bridge', 'loopa': 'stacked', 'loopb': 'stacked', 'wgname': 'physical'}
    items = dict((i['name'], i) for i in view.interface_summary())
    assert items['wg0']['wireguard_source'] == 'kernel'
    assert items['wgu1']['wireguard_source'] == 'userspace (wg show interfaces)'
    assert items['eth0']['driver'] == 'virtio_net'
    assert items['bond0']['members'] == ['eth2', 'eth3']
    assert items['br-ex']['members'] == ['eth1.100']
    assert 'wg-elsewhere' not in items   # a wireguard-go socket of another namespace is not an interface here


def test_loop_terminates(view):
    res = view.resolve('loopa')
    assert res['chain'][:2] == ['loopa (stacked over loopb)', 'loopb (stacked over loopa)']


def test_missing_interface(view):
    res = view.resolve('eth9')
    assert not res['exists'] and res['nics'] == [] and res['chain'] == ['eth9 (not present on this node)']


def test_proc_fallback_notes(view):
    assert view.route_source == 'proc'
    assert any('ip (iproute2) is not installed' in n for n in view.notes)
    assert view.route('10.99.1.7') == {'address': '10.99.1.7', 'interface': 'eth2', 'gateway': None, 'prefix': '10.99.1.0/24',
                                       'method': '/proc/net longest-prefix match'}
    assert view.default_interfaces() == ['eth0']


def test_wg_missing_is_named(tmp_path, sysfs, procfs, fake_runner):
    sysfs(tmp_path / 'sys', {'wgu1': {'tun': True, 'type': 65534}})
    procfs(tmp_path / 'proc')
    v = ni.NetView(fake_runner(tools={}), sys_path=str(tmp_path / 'sys'), proc_path=str(tmp_path / 'proc'))
    assert v.interfaces['wgu1']['kind'] == 'tun' and not v.interfaces['wgu1']['wireguard']
    assert any(n.startswith('wg (wireguard-tools) is not installed') for n in v.notes)


def test_ip_required_for_netns(fake_runner):
    with pytest.raises(ni.NetInfoError, match=r'ip \(iproute2\) is not installed: it is needed to read network namespace ns1'):
        ni.NetView(fake_runner(tools={}, netns='ns1'))


def test_route_source_ip_without_ip(fake_runner):
    with pytest.raises(ni.NetInfoError, match=r'route_source=ip but ip \(iproute2\) is not installed'):
        ni.NetView(fake_runner(tools={}), route_source='ip', snap={'interfaces': {}, 'proc': {}})


IP_LINKS = [
    {'ifname': 'lo', 'link_type': 'loopback'},
    {'ifname': 'eth2', 'linkinfo': {'info_slave_kind': 'bond'}, 'master': 'bond0'},
    {'ifname': 'eth3', 'linkinfo': {'info_slave_kind': 'bond'}, 'master': 'bond0'},
    {'ifname': 'bond0', 'linkinfo': {'info_kind': 'bond', 'info_data': {'mode': '802.3ad'}}},
    {'ifname': 'storage', 'link': 'bond0', 'linkinfo': {'info_kind': 'vlan', 'info_data': {'protocol': '802.1Q', 'id': 30}}},
    {'ifname': 'veth0', 'linkinfo': {'info_kind': 'veth'}},
    {'ifname': 'wg-go', 'linkinfo': {'info_kind': 'tun', 'info_data': {'type': 'tun'}}},
]
IP_ADDRS = [
    {'ifname': 'storage', 'addr_info': [{'family': 'inet', 'local': '10.99.1.5', 'prefixlen': 24},
                                        {'family': 'inet6', 'local': 'fd99:1::5', 'prefixlen': 64}]},
    {'ifname': 'veth0', 'addr_info': [{'family': 'inet', 'local': '10.99.0.5', 'prefixlen': 24}]},
]


def test_ip_json_source(tmp_path, sysfs, fake_runner):
    """With ip: kinds, VLAN ids, parents and addresses come from ip -j; sysfs adds the bus devices."""
    sysfs(tmp_path / 'sys', {'lo': {'type': 772}, 'eth2': {'device': True}, 'eth3': {'device': True}, 'bond0': {},
                             'storage': {}, 'veth0': {}, 'wg-go': {'tun': True}})
    runner = fake_runner(tools={'ip': '/usr/sbin/ip', 'wg': '/usr/bin/wg'}, outputs={
        ('ip', '-j', '-d', 'link', 'show'): IP_LINKS,
        ('ip', '-j', 'addr', 'show'): IP_ADDRS,
        ('wg', 'show', 'interfaces'): 'wg-go\n',
        ('ip', '-j', 'route', 'get', '10.99.0.9'): [{'dst': '10.99.0.9', 'dev': 'veth0', 'prefsrc': '10.99.0.5'}],
        ('ip', '-j', 'route', 'get', '192.0.2.1'): (2, '', 'RTNETLINK answers: Network is unreachable\n'),
    })
    v = ni.NetView(runner, snap=ni.snapshot(str(tmp_path / 'sys'), str(tmp_path / 'proc')))
    assert v.route_source == 'ip'
    items = v.interfaces
    assert items['storage']['kind'] == 'vlan' and items['storage']['vlan_id'] == 30 and items['storage']['lower'] == ['bond0']
    assert items['bond0']['members'] == ['eth2', 'eth3']
    assert items['veth0']['kind'] == 'veth'
    assert items['wg-go']['kind'] == 'wireguard'
    res = v.resolve('storage')
    assert res['nics'] == ['eth2', 'eth3'] and res['chain'][0] == 'storage (vlan 30 over bond0)'
    assert v.owner('fd99:1::5') == 'storage' and v.owner('10.99.9.9') is None
    assert v.in_network(['10.99.1.0/24', 'fd99:1::/64']) == {'storage': ['10.99.1.5', 'fd99:1::5']}
    assert v.route('10.99.1.5')['method'] == 'local address'
    assert v.route('10.99.0.9')['interface'] == 'veth0'
    assert 'Network is unreachable' in v.route('192.0.2.1')['error']
    assert v.route('not-an-ip')['error'] == 'not-an-ip is not an IP address'
