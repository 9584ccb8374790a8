# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Neutron overlay tunnel encryption and VPNaaS configuration on real namespaces and OVSDB servers.

Tunnel endpoints live in network namespaces joined by ``wireguard-go`` (a real, working tunnel);
OVS/OVN state lives in real ``ovsdb-server`` instances (Open_vSwitch and OVN_Northbound schemas)
written with ``ovs-vsctl --no-wait`` / ``ovn-nbctl`` exactly as the agents would. No Neutron server
can run here: VPNaaS is read from neutron.conf files (the API extension list is covered with a
mocked SDK in tests/unit/net).
"""

from __future__ import absolute_import, division, print_function

import pytest

from ansible_collections.scs.secure_connections.plugins.module_utils._core.evaluator import evaluate
from ansible_collections.scs.secure_connections.plugins.module_utils._gather import storage as _storage
from ansible_collections.scs.secure_connections.plugins.module_utils._rules import net as net_rules
from lab import ovsdb
from lab.module import ansible_module
from lab.netns import tcp_reachable, wg_keypair


def gather(**kwargs):
    """storage_network_info's gatherer, its tools run by a real AnsibleModule."""
    return _storage.gather(module=ansible_module(), **kwargs)


OVS_AGENT = '[agent]\ntunnel_types = vxlan\n[ovs]\nlocal_ip = {ip}\n'


def judge(results):
    return evaluate(dict((h, {'channels': ['net'], 'net': {'network': r}}) for h, r in results.items()))


def findings_of(findings, control):
    return [(f['status'], f['target'].get('host'), f['message']) for f in findings if f['control_id'] == control]


@pytest.fixture
def wg_mesh(netlab, need_tools):
    """Two nodes with underlay NIC eth1 (10.99.3.x) and a wireguard-go device (10.99.6.x) between them."""
    need_tools('wireguard-go', 'wg', 'socat')
    sw = netlab.switch()
    nodes, keys = [], []
    for index in (1, 2):
        node = netlab.node('net%d' % index)
        node.nic('eth0', sw, 'mgmt', '10.99.0.%d/24' % index)
        node.nic('eth1', sw, 'tunnel', '10.99.3.%d/24' % index)
        keys.append(wg_keypair())
        node.wg = node.wireguard('wgt', '10.99.6.%d/24' % index, 51830 + index, keys[-1][0])
        nodes.append(node)
    for index, node in enumerate(nodes):
        other = 1 - index
        node.wg_peer(node.wg, keys[other][1], '10.99.6.%d/32' % (other + 1), '10.99.3.%d:%d' % (other + 1, 51831 + other))
    assert tcp_reachable(nodes[0], nodes[1], '10.99.6.2'), 'the WireGuard tunnel does not carry traffic'
    return sw, nodes


def test_tunnel_endpoint_on_wireguard_passes_plain_fails(netlab, wg_mesh, tmp_path, tree):
    sw, (n1, _n2) = wg_mesh
    n3 = netlab.node('net3')
    n3.nic('eth1', sw, 'tunnel', '10.99.3.3/24')
    r1 = gather(root=tree(tmp_path / 'n1', {'/etc/neutron/plugins/ml2/openvswitch_agent.ini': OVS_AGENT.format(ip='10.99.6.1')}), netns=n1.name)
    r3 = gather(root=tree(tmp_path / 'n3', {'/etc/neutron/plugins/ml2/openvswitch_agent.ini': OVS_AGENT.format(ip='10.99.3.3')}), netns=n3.name)
    ep = r1['neutron']['tunnel_endpoints'][0]
    assert (ep['address'], ep['interface'], ep['wireguard'], ep['nics']) == ('10.99.6.1', n1.wg, [n1.wg], ['eth1'])
    found = findings_of(judge({'net1': r1, 'net3': r3}), net_rules.TUNNEL)
    assert [(s, h) for s, h, _m in found] == [('pass', 'net1'), ('fail', 'net3')], found
    assert 'sits on WireGuard device %s' % n1.wg in found[0][2]
    assert 'on eth1, not a WireGuard device' in found[1][2]


def test_tunnel_peers_routed_through_wireguard(netlab, wg_mesh, tmp_path, tree):
    """Endpoint on a plain NIC, but the OVS tunnel ports' peers are reached through WireGuard: pass;
    one peer reached in the clear: fail. Tunnel ports come from a real Open_vSwitch database."""
    if ovsdb.missing('vswitch'):
        pytest.skip('cannot run an Open_vSwitch database: missing %s' % ', '.join(ovsdb.missing('vswitch')))
    _sw, (n1, _n2) = wg_mesh
    db = ovsdb.OvsDb('vswitch', tmp=str(tmp_path))
    try:
        db.ctl('--no-wait', 'add-br', 'br-tun', '--', 'add-port', 'br-tun', 'vxlan-0a630602', '--', 'set', 'Interface', 'vxlan-0a630602',
               'type=vxlan', 'options:remote_ip=10.99.6.2', 'options:local_ip=10.99.3.1')
        root = tree(tmp_path / 'n1', {'/etc/neutron/plugins/ml2/openvswitch_agent.ini': OVS_AGENT.format(ip='10.99.3.1')})
        res = gather(root=root, netns=n1.name, ovs_vsctl_command=db.command())
        assert [(p['address'], p['interface']) for p in res['neutron']['tunnel_peers']] == [('10.99.6.2', n1.wg)]
        found = findings_of(judge({'net1': res}), net_rules.TUNNEL)
        assert found[0][0] == 'pass' and 'every one of the 1 tunnel peers is routed through WireGuard' in found[0][2]
        db.ctl('--no-wait', 'add-port', 'br-tun', 'vxlan-0a630309', '--', 'set', 'Interface', 'vxlan-0a630309', 'type=vxlan',
               'options:remote_ip=10.99.3.9')
        res = gather(root=root, netns=n1.name, ovs_vsctl_command=db.command())
        found = findings_of(judge({'net1': res}), net_rules.TUNNEL)
        assert found[0][0] == 'fail' and 'tunnel peers routed without WireGuard: 10.99.3.9 via eth1' in found[0][2]
    finally:
        db.stop()


@pytest.fixture
def ovn(tmp_path):
    for kind in ('vswitch', 'ovn_nb'):
        if ovsdb.missing(kind):
            pytest.skip('cannot run the %s database: missing %s' % (kind, ', '.join(ovsdb.missing(kind))))
    (tmp_path / 'vs').mkdir()
    (tmp_path / 'nb').mkdir()
    vs = ovsdb.OvsDb('vswitch', tmp=str(tmp_path / 'vs'))
    try:
        nb = ovsdb.OvsDb('ovn_nb', tmp=str(tmp_path / 'nb'))
    except Exception:
        vs.stop()
        raise
    try:
        yield vs, nb
    finally:
        nb.stop()
        vs.stop()


ML2_OVN = '[ml2]\nmechanism_drivers = ovn\ntenant_network_types = geneve\n'


@pytest.mark.parametrize('ipsec,nbctl,expected,fragment', [
    ('true', True, 'pass', 'OVN IPsec is enabled (NB_Global ipsec=true, read on chassis1)'),
    ('false', True, 'fail', 'OVN IPsec is disabled (NB_Global ipsec=false'),
    ('true', False, 'manual', 'ovn-nbctl-absent is not installed'),
], ids=['ipsec-on', 'ipsec-off', 'no-ovn-nbctl'])
def test_ovn_encap_and_ipsec(netlab, ovn, tmp_path, tree, ipsec, nbctl, expected, fragment):
    vs, nb = ovn
    sw = netlab.switch()
    node = netlab.node('chassis1')
    node.nic('eth1', sw, 'tunnel', '10.99.3.7/24')
    vs.ctl('--no-wait', 'set', 'Open_vSwitch', '.', 'external_ids:ovn-encap-ip=10.99.3.7', 'external_ids:ovn-encap-type=geneve')
    nb.ctl('set', 'NB_Global', '.', 'ipsec=%s' % ipsec)
    root = tree(tmp_path / 'chassis1', {'/etc/kolla/neutron-server/ml2_conf.ini': ML2_OVN})
    res = gather(root=root, netns=node.name, ovs_vsctl_command=vs.command(),
                 ovn_nbctl_command=['ovn-nbctl'] if nbctl else ['ovn-nbctl-absent'], ovn_nb_db=nb.remote)
    assert res['neutron']['ovs']['ovn_encap_ip'] == '10.99.3.7'
    assert res['neutron']['tunnel_endpoints'][0]['interface'] == 'eth1'
    found = findings_of(judge({'chassis1': res}), net_rules.TUNNEL)
    assert [s for s, _h, _m in found] == [expected], found
    assert fragment in found[0][2]


def test_ovn_without_ovs_vsctl_is_an_error(netlab, tmp_path, tree):
    sw = netlab.switch()
    node = netlab.node('chassis2')
    node.nic('eth1', sw, 'tunnel', '10.99.3.8/24')
    res = gather(root=tree(tmp_path / 'c2', {'/etc/neutron/plugins/ml2/ml2_conf.ini': ML2_OVN}), netns=node.name,
                 ovs_vsctl_command=['ovs-vsctl-absent'])
    assert 'ovs-vsctl-absent is not installed: OVN encapsulation address and OVS tunnel ports cannot be read' in res['notes']
    found = findings_of(judge({'chassis2': res}), net_rules.TUNNEL)
    assert found[0][0] == 'error' and 'ovs-vsctl-absent is not installed' in found[0][2]


@pytest.mark.parametrize('plugins,expected', [('router,vpnaas', 'pass'), ('router,qos', 'fail')])
def test_vpnaas_from_neutron_server_config(netlab, tmp_path, tree, plugins, expected):
    sw = netlab.switch()
    node = netlab.node('ctl1')
    node.nic('eth0', sw, 'mgmt', '10.99.0.5/24')
    root = tree(tmp_path / 'ctl1', {'/etc/kolla/neutron-server/neutron.conf': (
        '[DEFAULT]\ncore_plugin = ml2\nservice_plugins = %s\n[database]\nconnection = mysql+pymysql://neutron:db-secret@10.99.0.5/neutron\n'
        % plugins)})
    res = gather(root=root, netns=node.name)
    assert 'db-secret' not in repr(res)
    found = findings_of(judge({'ctl1': res}), net_rules.VPNAAS)
    assert [(s, h) for s, h, _m in found] == [(expected, 'ctl1')], found


def test_vlan_only_is_not_applicable(netlab, tmp_path, tree):
    sw = netlab.switch()
    node = netlab.node('compute1')
    node.nic('eth1', sw, 'tunnel', '10.99.3.11/24')
    root = tree(tmp_path / 'c1', {'/etc/neutron/plugins/ml2/ml2_conf.ini': '[ml2]\ntenant_network_types = vlan\n',
                                  '/etc/neutron/plugins/ml2/openvswitch_agent.ini': '[agent]\ntunnel_types =\n'})
    found = findings_of(judge({'compute1': gather(root=root, netns=node.name)}), net_rules.TUNNEL)
    assert found[0][0] == 'not_applicable' and 'no overlay tunnels configured' in found[0][2]
