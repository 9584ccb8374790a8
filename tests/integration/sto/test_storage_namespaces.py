# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Storage separation, replication network and encryption on real network namespaces.

Each node is a network namespace whose "NICs" are veth pairs plugged into per-segment bridges of a
switch namespace (10.99.x.y only, nothing leaves the namespaces). The real gatherer reads each node
through its ``netns`` option; the real rules judge. No Ceph cluster can run here: the monitor
"exists" as an address in a server namespace, and Ceph settings come from ceph.conf files read
with ``ceph-conf``.
"""

from __future__ import absolute_import, division, print_function

import pytest

from ansible_collections.scs.secure_connections.plugins.module_utils._core.evaluator import evaluate
from ansible_collections.scs.secure_connections.plugins.module_utils._gather import storage as _storage
from ansible_collections.scs.secure_connections.plugins.module_utils._rules import sto as sto_rules
from lab.module import ansible_module
from lab.netns import tcp_reachable, wg_keypair


def gather(**kwargs):
    """storage_network_info's gatherer, its tools run by a real AnsibleModule."""
    return _storage.gather(module=ansible_module(), **kwargs)


SECURE = """[global]
fsid = 6b8f7c1e-8a47-4d1b-9d0e-2d7b1f2b6c11
mon_host = [v2:{mon}:3300/0,v1:{mon}:6789/0]
public_network = {public}
{cluster}
ms_cluster_mode = secure
ms_service_mode = secure
ms_client_mode = secure
ms_mon_cluster_mode = secure
ms_mon_service_mode = secure
ms_mon_client_mode = secure
"""

DEFAULT_MODES = """[global]
fsid = 6b8f7c1e-8a47-4d1b-9d0e-2d7b1f2b6c11
mon_host = [v2:{mon}:3300/0,v1:{mon}:6789/0]
public_network = {public}
{cluster}
"""


def ceph_conf(template=SECURE, mon='10.99.1.10', public='10.99.1.0/24', cluster='10.99.2.0/24'):
    return template.format(mon=mon, public=public, cluster='cluster_network = %s' % cluster if cluster else '')


def statuses(findings, control):
    return [f['status'] for f in findings if f['control_id'] == control]


def messages(findings, control):
    return ' | '.join(f['message'] for f in findings if f['control_id'] == control)


def judge(results):
    """Evidence of several nodes (storage_network_info results) through the one evaluator."""
    evidence = dict((host, {'channels': ['sto', 'net'], 'sto': res, 'net': {'network': res}}) for host, res in results.items())
    return evaluate(evidence)


def base_node(lab, sw, name, index):
    """mgmt/API NIC eth0 with the default route, tunnel NIC eth1, external NIC eth3 (no address)."""
    node = lab.node(name)
    node.nic('eth0', sw, 'mgmt', '10.99.0.%d/24' % index)
    node.nic('eth1', sw, 'tunnel', '10.99.3.%d/24' % index)
    node.nic('eth3', sw, 'external')
    node.route('default', via='10.99.0.1')
    return node


TRAFFIC = {'management': 'eth0', 'api': 'eth0', 'tunnel': 'eth1', 'external': 'eth3'}


@pytest.fixture
def mon(netlab):
    """The switch and a "monitor" namespace holding 10.99.1.10 on the storage segment."""
    sw = netlab.switch()
    server = netlab.node('mon')
    server.nic('eth0', sw, 'storage', '10.99.1.10/24')
    return sw, server


def test_separated_storage_nic_passes(netlab, mon, tmp_path, tree):
    sw, _server = mon
    node = base_node(netlab, sw, 'compute1', 11)
    node.nic('eth2', sw, 'storage', '10.99.1.11/24')
    root = tree(tmp_path / 'compute1', {'/etc/kolla/nova-compute/ceph.conf': ceph_conf(cluster=None),
                                        '/etc/kolla/nova-compute/nova.conf': '[libvirt]\nimages_type = rbd\nimages_rbd_ceph_conf = /etc/ceph/ceph.conf\n'})
    res = gather(root=root, netns=node.name, traffic_interfaces=TRAFFIC)
    assert res['errors'] == [] and res['route_source'] == 'ip'
    mons = [t for t in res['storage_targets'] if t['kind'] == 'ceph-mon']
    assert [(t['address'], t['interface'], t['nics']) for t in mons] == [('10.99.1.10', 'eth2', ['eth2'])] * 2
    findings = judge({'compute1': res})
    assert statuses(findings, sto_rules.FRONTEND) == ['pass', 'manual'], messages(findings, sto_rules.FRONTEND)
    assert statuses(findings, sto_rules.REPLICATION) == ['not_applicable']      # a client: no OSD here
    assert statuses(findings, sto_rules.ENCRYPTION) == ['pass']                 # every ms_*_mode = secure
    table = [f for f in findings if f['control_id'] == sto_rules.FRONTEND][0]['evidence']['table_text']
    assert 'storage -> eth2 -> eth2' in table and 'API -> eth0 -> eth0' in table and 'tunnel -> eth1 -> eth1' in table
    assert 'external (provider) -> eth3 -> eth3' in table and 'default route -> eth0 -> eth0' in table


def test_storage_macvlan_on_api_nic_fails(netlab, mon, tmp_path, tree):
    sw, _server = mon
    node = base_node(netlab, sw, 'compute2', 12)
    node.macvlan('stor0', 'eth0', '10.99.1.12/24')      # storage address stacked on the management/API NIC
    root = tree(tmp_path / 'compute2', {'/etc/ceph/ceph.conf': ceph_conf(DEFAULT_MODES, cluster=None)})
    res = gather(root=root, netns=node.name, traffic_interfaces=TRAFFIC)
    target = [t for t in res['storage_targets'] if t['kind'] == 'ceph-mon'][0]
    assert target['interface'] == 'stor0' and target['nics'] == ['eth0'] and target['chain'][0] == 'stor0 (macvlan over eth0)'
    findings = judge({'compute2': res})
    assert statuses(findings, sto_rules.FRONTEND) == ['fail']
    assert 'eth0 with API (eth0)' in messages(findings, sto_rules.FRONTEND)
    assert statuses(findings, sto_rules.ENCRYPTION) == ['fail']                 # Ceph defaults: crc allowed
    assert 'ms_client_mode = crc secure' in messages(findings, sto_rules.ENCRYPTION)


def test_storage_bridge_resolves_to_its_port(netlab, mon, tmp_path, tree):
    sw, _server = mon
    node = base_node(netlab, sw, 'compute3', 13)
    node.nic('eth2', sw, 'storage')
    node.bridge('br-stor', ['eth2'], '10.99.1.13/24')
    root = tree(tmp_path / 'compute3', {'/etc/ceph/ceph.conf': ceph_conf(cluster=None)})
    res = gather(root=root, netns=node.name, traffic_interfaces=TRAFFIC)
    target = [t for t in res['storage_targets'] if t['kind'] == 'ceph-mon'][0]
    assert (target['interface'], target['nics'], target['chain'][0]) == ('br-stor', ['eth2'], 'br-stor (bridge over eth2)')
    assert statuses(judge({'compute3': res}), sto_rules.FRONTEND) == ['pass', 'manual']


def test_storage_vlan_shared_with_api_fails(netlab, mon, tmp_path, tree, need_kind):
    need_kind('vlan')
    sw, _server = mon
    node = base_node(netlab, sw, 'compute4', 14)
    node.vlan('eth0.30', 'eth0', 30, '10.99.1.14/24')
    root = tree(tmp_path / 'compute4', {'/etc/ceph/ceph.conf': ceph_conf(cluster=None)})
    res = gather(root=root, netns=node.name, traffic_interfaces=TRAFFIC)
    target = [t for t in res['storage_targets'] if t['kind'] == 'ceph-mon'][0]
    assert target['chain'][0] == 'eth0.30 (vlan 30 over eth0)' and target['nics'] == ['eth0']
    assert statuses(judge({'compute4': res}), sto_rules.FRONTEND) == ['fail']


def test_storage_bond_of_two_nics_passes(netlab, mon, tmp_path, tree, need_kind):
    need_kind('bond')
    sw, _server = mon
    node = base_node(netlab, sw, 'compute5', 15)
    node.nic('eth2', sw, 'storage')
    node.nic('eth4', sw, 'storage')
    node.bond('bond0', ['eth2', 'eth4'], '10.99.1.15/24')
    root = tree(tmp_path / 'compute5', {'/etc/ceph/ceph.conf': ceph_conf(cluster=None)})
    res = gather(root=root, netns=node.name, traffic_interfaces=TRAFFIC)
    target = [t for t in res['storage_targets'] if t['kind'] == 'ceph-mon'][0]
    assert target['interface'] == 'bond0' and sorted(target['nics']) == ['eth2', 'eth4']
    assert statuses(judge({'compute5': res}), sto_rules.FRONTEND) == ['pass', 'manual']


def osd_node(lab, sw, name, index, cluster_on_public_nic=False):
    node = base_node(lab, sw, name, index)
    node.nic('eth2', sw, 'storage', '10.99.1.%d/24' % index)
    if cluster_on_public_nic:
        node.macvlan('clu0', 'eth2', '10.99.2.%d/24' % index)
    else:
        node.nic('eth4', sw, 'cluster', '10.99.2.%d/24' % index)
    return node


@pytest.mark.parametrize('cluster_on_public_nic,cluster,expected,fragment', [
    (False, '10.99.2.0/24', ['pass', 'manual'], 'leaves through eth4 on NIC(s) eth4'),
    (True, '10.99.2.0/24', ['fail'], 'eth2 with storage (eth2)'),
    (False, None, ['fail'], 'cluster_network is not set'),
    (False, '10.99.1.0/25', ['fail'], 'overlaps public_network 10.99.1.0/24'),
], ids=['own-nic', 'macvlan-on-public-nic', 'unset', 'overlapping'])
def test_osd_replication_network(netlab, mon, tmp_path, tree, cluster_on_public_nic, cluster, expected, fragment):
    sw, _server = mon
    node = osd_node(netlab, sw, 'osd1', 21, cluster_on_public_nic)
    root = tree(tmp_path / 'osd1', {'/etc/ceph/ceph.conf': ceph_conf(cluster=cluster), '/var/lib/ceph/osd/ceph-0/': ''})
    res = gather(root=root, netns=node.name, traffic_interfaces=TRAFFIC)
    assert res['ceph_daemons'] == {'osd': ['ceph-0']}
    findings = judge({'osd1': res})
    assert statuses(findings, sto_rules.REPLICATION) == expected, messages(findings, sto_rules.REPLICATION)
    assert fragment in messages(findings, sto_rules.REPLICATION)


def test_node_without_storage_is_not_applicable(netlab, tmp_path, tree):
    sw = netlab.switch()
    node = base_node(netlab, sw, 'net1', 31)
    root = tree(tmp_path / 'net1', {'/etc/neutron/neutron.conf': '[DEFAULT]\ncore_plugin = ml2\n'})
    res = gather(root=root, netns=node.name, traffic_interfaces=TRAFFIC)
    findings = judge({'net1': res})
    for control in (sto_rules.FRONTEND, sto_rules.REPLICATION, sto_rules.ENCRYPTION):
        assert statuses(findings, control) == ['not_applicable'], (control, messages(findings, control))
    assert 'no storage traffic on this host' in messages(findings, sto_rules.FRONTEND)


def test_iscsi_target_served_by_cinder_volume(netlab, tmp_path, tree):
    """cinder-volume serving LVM/iSCSI on 10.99.1.41: the served address is storage traffic, iSCSI is never encrypted."""
    sw = netlab.switch()
    node = base_node(netlab, sw, 'cinder1', 41)
    node.nic('eth2', sw, 'storage', '10.99.1.41/24')
    root = tree(tmp_path / 'cinder1', {'/etc/kolla/cinder-volume/cinder.conf': (
        '[DEFAULT]\nenabled_backends = lvm-1\n[lvm-1]\nvolume_driver = cinder.volume.drivers.lvm.LVMVolumeDriver\n'
        'target_ip_address = 10.99.1.41\n')})
    res = gather(root=root, netns=node.name, traffic_interfaces=TRAFFIC)
    target = res['storage_targets'][0]
    assert (target['kind'], target['interface'], target['local'], target['method']) == ('iscsi', 'eth2', True, 'local address')
    findings = judge({'cinder1': res})
    assert statuses(findings, sto_rules.FRONTEND) == ['pass', 'manual']
    assert statuses(findings, sto_rules.ENCRYPTION) == ['fail'] and 'iSCSI has no transport encryption' in messages(findings, sto_rules.ENCRYPTION)


def wireguard_pair(lab, sw, need_tools):
    """Storage server and client joined by wireguard-go over their storage NICs; Ceph runs on the WireGuard addresses."""
    need_tools('wireguard-go', 'wg')
    server = lab.node('stosrv')
    server.nic('eth2', sw, 'storage', '10.99.1.50/24')
    client = base_node(lab, sw, 'compute6', 16)
    client.nic('eth2', sw, 'storage', '10.99.1.16/24')
    s_priv, s_pub = wg_keypair()
    c_priv, c_pub = wg_keypair()
    s_wg = server.wireguard('wgs', '10.99.5.1/24', 51820, s_priv)
    c_wg = client.wireguard('wgc', '10.99.5.16/24', 51821, c_priv)
    server.wg_peer(s_wg, c_pub, '10.99.5.16/32', '10.99.1.16:51821')
    client.wg_peer(c_wg, s_pub, '10.99.5.0/24', '10.99.1.50:51820')
    return server, client, c_wg


def test_storage_over_wireguard(netlab, tmp_path, tree, need_tools):
    sw = netlab.switch()
    server, client, c_wg = wireguard_pair(netlab, sw, need_tools)
    need_tools('socat')
    assert tcp_reachable(client, server, '10.99.5.1'), 'the WireGuard tunnel does not carry traffic'
    # Ceph defaults (crc allowed) - but every storage path runs through WireGuard
    root = tree(tmp_path / 'compute6', {'/etc/ceph/ceph.conf': ceph_conf(DEFAULT_MODES, mon='10.99.5.1', public='10.99.5.0/24', cluster=None)})
    res = gather(root=root, netns=client.name, traffic_interfaces=TRAFFIC)
    wg_if = [i for i in res['interfaces'] if i['name'] == c_wg][0]
    assert wg_if['kind'] == 'wireguard' and wg_if['wireguard_source'] == 'userspace (wg show interfaces)'
    target = [t for t in res['storage_targets'] if t['kind'] == 'ceph-mon'][0]
    assert target['interface'] == c_wg and target['wireguard'] == [c_wg] and target['nics'] == ['eth2']
    findings = judge({'compute6': res})
    assert statuses(findings, sto_rules.ENCRYPTION) == ['pass'] and 'routed through WireGuard' in messages(findings, sto_rules.ENCRYPTION)
    assert statuses(findings, sto_rules.FRONTEND) == ['pass', 'manual']        # the encrypted packets leave through eth2 only


def test_proc_fallback_agrees_with_ip(netlab, mon, tmp_path, tree):
    """The /proc longest-prefix match gives the kernel's own answer (ip route get) on a real namespace."""
    sw, _server = mon
    node = base_node(netlab, sw, 'compute7', 17)
    node.nic('eth2', sw, 'storage', '10.99.1.17/24', 'fd99:1::17/64')
    node.nic('eth4', sw, 'remote', '10.99.8.17/24')
    node.route('10.99.9.0/24', via='10.99.8.1')
    node.route('10.99.9.128/25', via='10.99.1.1')
    node.route('fd99:9::/48', via='fd99:1::1')
    node.ip('route', 'add', 'unreachable', '10.99.66.0/24')
    conf = ceph_conf(mon='10.99.1.10', cluster=None).replace(
        'mon_host = [v2:10.99.1.10:3300/0,v1:10.99.1.10:6789/0]',
        'mon_host = 10.99.1.10, 10.99.9.5, 10.99.9.200, [fd99:1::10]:3300, [fd99:9::5]:3300, 10.99.66.1, 192.0.2.1')
    root = tree(tmp_path / 'compute7', {'/etc/ceph/ceph.conf': conf})
    by_ip = gather(root=root, netns=node.name, route_source='ip')
    by_proc = gather(root=root, netns=node.name, route_source='proc')
    assert by_proc['route_source'] == 'proc'
    pairs = [((a['address'], a.get('interface'), a.get('gateway'), bool(a.get('error'))),
              (b['address'], b.get('interface'), b.get('gateway'), bool(b.get('error'))))
             for a, b in zip(by_ip['storage_targets'], by_proc['storage_targets'])]
    assert len(pairs) == 8
    for kernel, fallback in pairs:
        assert kernel == fallback
    assert dict((a, i) for (a, i, _g, _e), _f in pairs) == {
        '10.99.1.10': 'eth2', '10.99.9.5': 'eth4', '10.99.9.200': 'eth2', 'fd99:1::10': 'eth2', 'fd99:9::5': 'eth2',
        '10.99.66.1': None, '192.0.2.1': 'eth0', '10.99.1.1': 'eth2'}


def test_missing_ip_is_named(netlab, tmp_path, tree):
    """Without ip the namespace cannot be entered: the result and the findings name the tool."""
    sw = netlab.switch()
    node = base_node(netlab, sw, 'compute8', 18)
    root = tree(tmp_path / 'compute8', {'/etc/ceph/ceph.conf': ceph_conf(cluster=None)})
    real = __import__('shutil').which

    def no_ip(tool):
        return None if tool == 'ip' else real(tool)
    res = gather(root=root, netns=node.name, which=no_ip)
    assert res['errors'] == [{'component': 'network', 'message': 'ip (iproute2) is not installed: it is needed to read network namespace %s' % node.name}]
    findings = judge({'compute8': res})
    assert statuses(findings, sto_rules.FRONTEND) == ['error']
    assert 'ip (iproute2) is not installed' in messages(findings, sto_rules.FRONTEND)
    # what the configuration decides without the network: a Ceph client without OSD is no replication node, and Ceph's
    # "secure" modes encrypt whatever the route
    assert res['configuration_read'] is True
    assert statuses(findings, sto_rules.REPLICATION) == ['not_applicable']
    assert 'no Ceph OSD on this host' in messages(findings, sto_rules.REPLICATION)
    assert statuses(findings, sto_rules.ENCRYPTION) == ['pass']
    assert 'Ceph msgr2 secure mode' in messages(findings, sto_rules.ENCRYPTION)
    # with crc allowed, only the route (WireGuard?) could tell, and it could not be read: error, naming the tool
    root = tree(tmp_path / 'compute8-crc', {'/etc/ceph/ceph.conf': ceph_conf(template=DEFAULT_MODES, cluster=None)})
    findings = judge({'compute8': gather(root=root, netns=node.name, which=no_ip)})
    assert statuses(findings, sto_rules.ENCRYPTION) == ['error']
    assert 'ip (iproute2) is not installed' in messages(findings, sto_rules.ENCRYPTION)


def test_missing_ceph_conf_tool_is_named(netlab, mon, tmp_path, tree):
    sw, _server = mon
    node = base_node(netlab, sw, 'compute9', 19)
    node.nic('eth2', sw, 'storage', '10.99.1.19/24')
    root = tree(tmp_path / 'compute9', {'/etc/ceph/ceph.conf': ceph_conf(cluster=None)})
    real = __import__('shutil').which

    def no_ceph(tool):
        return None if tool == 'ceph-conf' else (real(tool) or ('/usr/sbin/ip' if tool == 'ip' else None))
    res = gather(root=root, netns=node.name, which=no_ceph)
    assert res['ceph'][0]['parser'] == 'parse_ceph_conf'
    assert any('ceph-conf (ceph-common) is not installed' in n for n in res['notes'])
    assert statuses(judge({'compute9': res}), sto_rules.ENCRYPTION) == ['pass']   # same verdict from the fallback parser
