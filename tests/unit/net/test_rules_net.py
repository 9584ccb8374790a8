# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The net rules (VPNaaS, tunnel encryption) over hand-built evidence."""

from __future__ import absolute_import, division, print_function

import pytest

from ansible_collections.scs.secure_connections.plugins.module_utils._core.evaluator import RuleContext
from ansible_collections.scs.secure_connections.plugins.module_utils._rules import net as rules


def network(service_plugins=(), files=('/etc/neutron/neutron.conf',), endpoints=(), peers=(), tunnel_types=None, mech=(),
            ovs=None, ipsec=None, ipsec_error='not queried: no OVN on this node'):
    return {
        'route_source': 'ip', 'errors': [],
        'neutron': {
            'files': list(files), 'service_plugins': list(service_plugins), 'mechanism_drivers': list(mech),
            'tunnel_types': tunnel_types if tunnel_types is not None else [
                {'file': '/etc/neutron/plugins/ml2/openvswitch_agent.ini', 'setting': '[agent] tunnel_types', 'value': ['vxlan']}],
            'tunnel_endpoints': list(endpoints), 'tunnel_peers': list(peers),
            'ovs': ovs or {'tool': 'ovs-vsctl', 'available': True, 'ovn_encap_ip': None, 'tunnel_ports': [], 'errors': []},
            'ovn_ipsec': {'tool': 'ovn-nbctl', 'available': ipsec is not None, 'ipsec': ipsec, 'error': None if ipsec is not None else ipsec_error},
        },
    }


def plugins(entries, server=True, path='/etc/kolla/neutron-server/neutron.conf'):
    return {'file': path, 'server': server, 'set': entries is not None, 'plugins': list(entries or []),
            'vpnaas': any('vpnaas' in p for p in entries or [])}


def ext(aliases, status='ok', endpoint='https://api.example:9696'):
    if status != 'ok':
        return {'status': 'error', 'error': {'kind': 'auth', 'message': 'HTTP 401'}, 'endpoint': None, 'auth_url': 'https://api.example:5000/v3'}
    return {'status': 'ok', 'error': None, 'endpoint': endpoint, 'aliases': list(aliases), 'vpnaas': 'vpnaas' in aliases,
            'vpnaas_aliases': [a for a in aliases if a.startswith('vpn')]}


def endpoint(addr='10.99.3.2', iface='eth2', wg=(), local=True, origin='/etc/neutron/plugins/ml2/openvswitch_agent.ini [ovs] local_ip', **kw):
    e = {'address': addr, 'origin': origin, 'interface': iface, 'local': local, 'wireguard': list(wg), 'nics': [iface]}
    e.update(kw)
    return e


def run(rule, hosts):
    ctx = RuleContext(dict((h, {'channels': ['net'], 'net': ev}) for h, ev in hosts.items()))
    return [(f['status'], f['target'].get('host'), f['message']) for f in rule(ctx)]


VPN_CASES = [
    ('API lists vpnaas', {'c1': {'network': network(), 'extensions': ext(['router', 'vpnaas', 'vpn-endpoint-groups'])}},
     [('pass', 'c1', 'lists the VPNaaS extension (vpnaas, vpn-endpoint-groups)')]),
    ('API without vpnaas', {'c1': {'network': network(), 'extensions': ext(['router', 'qos'])}},
     [('fail', 'c1', 'does not list the VPNaaS extension (vpnaas) among its 2 extensions')]),
    ('same API from two hosts is judged once',
     {'c1': {'network': network(), 'extensions': ext(['vpnaas'])}, 'c2': {'network': network(), 'extensions': ext(['vpnaas'])}},
     [('pass', 'c1', 'lists the VPNaaS'), ('not_applicable', 'c2', 'no neutron-server configuration on this host')]),
    ('server config enables vpnaas', {'c1': {'network': network([plugins(['router', 'vpnaas'])])}},
     [('pass', 'c1', 'enables the VPNaaS service plugin ([DEFAULT] service_plugins = router,vpnaas)')]),
    ('server config with the class path', {'c1': {'network': network([plugins(['neutron_vpnaas.services.vpn.plugin.VPNDriverPlugin'])])}},
     [('pass', 'c1', 'enables the VPNaaS service plugin')]),
    ('server config without vpnaas', {'c1': {'network': network([plugins(['router'])])}},
     [('fail', 'c1', 'does not enable VPNaaS ([DEFAULT] service_plugins = router)')]),
    ('server config, service_plugins unset', {'c1': {'network': network([plugins(None)])}},
     [('fail', 'c1', 'service_plugins = (unset)')]),
    ('agent-only host', {'n1': {'network': network([plugins(None, server=False)])}},
     [('not_applicable', 'n1', 'no neutron-server configuration on this host (agent configuration only')]),
    ('agent copy of neutron.conf is not judged', {'n1': {'network': network([plugins(['router'], server=False, path='/etc/neutron/neutron.conf')])}},
     [('not_applicable', 'n1', 'service_plugins in agent copies of neutron.conf, not judged: /etc/neutron/neutron.conf: router')]),
    ('API error, no config', {'c1': {'network': network(files=()), 'extensions': ext([], status='error')}},
     [('error', 'c1', 'could not be read from https://api.example:5000/v3: auth: HTTP 401')]),
    ('API error, config answers', {'c1': {'network': network([plugins(['vpnaas'])]), 'extensions': ext([], status='error')}},
     [('pass', 'c1', 'enables the VPNaaS service plugin')]),
    ('no neutron evidence', {'c1': {}}, [('error', 'c1', 'no Neutron evidence recorded')]),
    # files of one neutron-server are merged: kolla's neutron_vpnaas.conf does not set service_plugins
    ('server files merged, vpnaas in neutron.conf',
     {'c1': {'network': network([plugins(['router', 'vpnaas']),
                                 plugins(None, path='/etc/kolla/neutron-server/neutron_vpnaas.conf')])}},
     [('pass', 'c1', '/etc/kolla/neutron-server/neutron.conf (read with /etc/kolla/neutron-server/neutron_vpnaas.conf) enables')]),
    ('server files merged, the last one setting service_plugins wins',
     {'c1': {'network': network([plugins(['router', 'vpnaas']),
                                 plugins(['router'], path='/etc/kolla/neutron-server/neutron_override.conf')])}},
     [('fail', 'c1', 'neutron_override.conf (read with /etc/kolla/neutron-server/neutron.conf) does not enable VPNaaS')]),
    ('server files merged, none sets service_plugins',
     {'c1': {'network': network([plugins(None), plugins(None, path='/etc/kolla/neutron-server/neutron_vpnaas.conf')])}},
     [('fail', 'c1', 'service_plugins = (unset)')]),
    ('two servers in two directories are judged apart',
     {'c1': {'network': network([plugins(['vpnaas']), plugins(['router'], path='/etc/neutron/neutron.conf')])}},
     [('pass', 'c1', '/etc/kolla/neutron-server/neutron.conf enables'), ('fail', 'c1', '/etc/neutron/neutron.conf does not enable')]),
]


@pytest.mark.parametrize('title,hosts,expected', VPN_CASES, ids=[c[0] for c in VPN_CASES])
def test_vpnaas(title, hosts, expected):
    found = run(rules.rule_vpnaas, hosts)
    assert [(s, h) for s, h, _m in found] == [(s, h) for s, h, _m in expected], found
    for (_s, _h, fragment), (_s2, _h2, message) in zip(expected, found):
        assert fragment in message, (fragment, message)


OVN_OVS = {'tool': 'ovs-vsctl', 'available': True, 'ovn_encap_ip': '10.99.3.2', 'tunnel_ports': [], 'errors': []}
OVN_EP = endpoint(origin='ovs-vsctl Open_vSwitch external_ids:ovn-encap-ip')

TUNNEL_CASES = [
    ('endpoint on WireGuard', {'n1': {'network': network(endpoints=[endpoint(iface='wg0', wg=['wg0'], nics=['eth2'])])}},
     [('pass', 'n1', 'sits on WireGuard device wg0')]),
    ('endpoint on a plain NIC', {'n1': {'network': network(endpoints=[endpoint()])}},
     [('fail', 'n1', 'is not encrypted: on eth2, not a WireGuard device')]),
    ('every peer routed through WireGuard',
     {'n1': {'network': network(endpoints=[endpoint()], peers=[{'address': '10.99.6.3', 'interface': 'wg0', 'wireguard': ['wg0']}])}},
     [('pass', 'n1', 'every one of the 1 tunnel peers is routed through WireGuard (wg0)')]),
    ('one peer in the clear',
     {'n1': {'network': network(endpoints=[endpoint()], peers=[{'address': '10.99.6.3', 'interface': 'wg0', 'wireguard': ['wg0']},
                                                               {'address': '10.99.3.9', 'interface': 'eth2', 'wireguard': []}])}},
     [('fail', 'n1', 'tunnel peers routed without WireGuard: 10.99.3.9 via eth2')]),
    ('OVN IPsec on (read on the controller)',
     {'ctl': {'network': network(mech=['ovn'], ipsec=True, ovs=dict(OVN_OVS, ovn_encap_ip=None), tunnel_types=[])},
      'n1': {'network': network(endpoints=[OVN_EP], mech=['ovn'], ovs=OVN_OVS)}},
     [('not_applicable', 'ctl', 'no tunnel endpoint on this host'), ('pass', 'n1', 'OVN IPsec is enabled (NB_Global ipsec=true, read on ctl)')]),
    ('OVN IPsec off', {'n1': {'network': network(endpoints=[OVN_EP], mech=['ovn'], ovs=OVN_OVS, ipsec=False)}},
     [('fail', 'n1', 'OVN IPsec is disabled (NB_Global ipsec=false, read on n1)')]),
    ('OVN IPsec unknown', {'n1': {'network': network(endpoints=[OVN_EP], mech=['ovn'], ovs=OVN_OVS,
                                                     ipsec_error='ovn-nbctl is not installed: OVN IPsec (NB_Global ipsec) is not assessable')}},
     [('manual', 'n1', 'n1: ovn-nbctl is not installed')]),
    ('OVN, ovs-vsctl missing', {'n1': {'network': network(mech=['ovn'], ovs={'tool': 'ovs-vsctl', 'available': False, 'ovn_encap_ip': None})}},
     [('error', 'n1', 'Neutron uses OVN here but ovs-vsctl is not installed')]),
    ('VLAN only', {'n1': {'network': network(tunnel_types=[{'file': 'ml2_conf.ini', 'setting': '[ml2] tenant_network_types', 'value': ['vlan']}])}},
     [('not_applicable', 'n1', 'no overlay tunnels configured (ml2_conf.ini [ml2] tenant_network_types = vlan)')]),
    ('no neutron', {'n1': {'network': network(files=(), tunnel_types=[])}}, [('not_applicable', 'n1', 'no Neutron on this host')]),
    ('local_ip not on this host', {'n1': {'network': network(endpoints=[endpoint(local=False, iface='eth0')])}},
     [('error', 'n1', 'is not an address of this host (the kernel routes it via eth0)')]),
    ('network unreadable', {'n1': {'network': {'route_source': None, 'errors': [{'component': 'network', 'message': 'no such netns'}]}}},
     [('error', 'n1', 'could not be read: no such netns')]),
]


@pytest.mark.parametrize('title,hosts,expected', TUNNEL_CASES, ids=[c[0] for c in TUNNEL_CASES])
def test_tunnel(title, hosts, expected):
    found = run(rules.rule_tunnel, hosts)
    assert [(s, h) for s, h, _m in found] == [(s, h) for s, h, _m in expected], found
    for (_s, _h, fragment), (_s2, _h2, message) in zip(expected, found):
        assert fragment in message, (fragment, message)
