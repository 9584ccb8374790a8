# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The sto rules over hand-built evidence (the shapes storage_network_info returns)."""

from __future__ import absolute_import, division, print_function

import pytest

from ansible_collections.scs.secure_connections.plugins.module_utils._core.evaluator import RuleContext, evaluate
from ansible_collections.scs.secure_connections.plugins.module_utils._rules import sto as rules

SECURE = dict((o, 'secure') for o in ('ms_cluster_mode', 'ms_service_mode', 'ms_client_mode', 'ms_mon_cluster_mode',
                                      'ms_mon_service_mode', 'ms_mon_client_mode'))
DEFAULTS = {'ms_cluster_mode': 'crc secure', 'ms_service_mode': 'crc secure', 'ms_client_mode': 'crc secure',
            'ms_mon_cluster_mode': 'secure crc', 'ms_mon_service_mode': 'secure crc', 'ms_mon_client_mode': 'secure crc',
            'ms_bind_msgr2': 'true'}
CONF = '/etc/ceph/ceph.conf'


def row(cls, iface, nics, source='observed', wg=(), origin=None):
    return {'class': cls, 'interface': iface, 'source': source, 'nics': list(nics), 'physical_nics': list(nics), 'virtual_nics': [],
            'wireguard': list(wg), 'chain': [], 'exists': bool(nics), 'origins': [origin or '%s %s' % (cls, iface)]}


def ceph(modes=None, client_modes=None, osd_modes=None, public=('10.99.1.0/24',), cluster=('10.99.2.0/24',), mons=('v2', 'v1'), path=CONF):
    base = dict(DEFAULTS)
    base.update(modes or {})
    client, osd = dict(base), dict(base)
    client.update(client_modes or {})
    osd.update(osd_modes or {})
    return {'file': path, 'entities': {'client.admin': client, 'osd.0': osd}, 'public_network': list(public), 'cluster_network': list(cluster),
            'mons': [{'host': '10.99.1.10', 'port': 3300 if p == 'v2' else 6789, 'protocol': p} for p in mons], 'errors': []}


def target(kind='ceph-mon', host='10.99.1.10', port=3300, iface='eth1', wg=(), **kw):
    t = {'kind': kind, 'host': host, 'port': port, 'address': host, 'interface': iface, 'file': kw.pop('file', CONF), 'wireguard': list(wg),
         'nics': [iface] if iface else [], 'method': 'ip route get'}
    t.update(kw)
    return t


def sto(rows=(), targets=(), confs=(), daemons=None, storage_node=None, errors=(), route_source='ip', virtual=()):
    interfaces = [{'name': n, 'physical': n not in virtual} for n in ('eth0', 'eth1', 'eth2', 'eth3', 'wg0', 'veth1')]
    return {'route_source': route_source, 'traffic': list(rows), 'storage_targets': list(targets), 'ceph': list(confs),
            'ceph_daemons': daemons or {}, 'storage_node': storage_node, 'errors': list(errors), 'interfaces': interfaces,
            'config_files': [{'file': '/etc/kolla/nova-compute/nova.conf', 'service': 'nova'}]}


def run(rule, ev, discovery=None):
    host_ev = {'channels': ['sto'], 'sto': ev}
    if discovery is not None:
        host_ev['discovery'] = discovery
    ctx = RuleContext({'node1': host_ev})
    return [(f['status'], f['message']) for f in rule(ctx)]


SEPARATED = [row('storage', 'eth1', ['eth1']), row('api', 'eth0', ['eth0'], 'declared'), row('default', 'eth0', ['eth0'])]

FRONTEND_CASES = [
    ('separated NICs: pass plus the switch question',
     sto(SEPARATED, [target()], [ceph()]), ['pass', 'manual'], ['no other traffic class uses (API eth0, default route eth0)', 'switch-level separation']),
    ('storage macvlan over the API NIC',
     sto([row('storage', 'stor0', ['eth0']), row('api', 'eth0', ['eth0'], 'declared')], [target(iface='stor0')], [ceph()]),
     ['fail'], ['NIC(s) eth0 shared with other traffic: eth0 with API (eth0)']),
    ('storage VLAN on a bond shared with the tunnel VLAN',
     sto([row('storage', 'bond0.30', ['eth2', 'eth3']), row('tunnel', 'bond0.40', ['eth2', 'eth3'], 'declared'), row('default', 'eth0', ['eth0'])],
         [target(iface='bond0.30')], [ceph()]),
     ['fail'], ['eth2, eth3 with tunnel (bond0.40)']),
    ('storage reached through the default route',
     sto([row('storage', 'eth0', ['eth0']), row('default', 'eth0', ['eth0'])], [target(iface='eth0')], [ceph()]),
     ['fail'], ['eth0 with default route (eth0)']),
    ('storage through WireGuard, underlay on its own NIC',
     sto([row('storage', 'wg0', ['eth2'], wg=['wg0']), row('api', 'eth0', ['eth0'], 'declared'), row('external', 'eth3', ['eth3'], 'declared')],
         [target(iface='wg0', wg=['wg0'])], [ceph()]),
     ['pass', 'manual'], ['leaves through NIC(s) eth2', 'eth2 of node1']),
    ('no storage at all', sto([row('default', 'eth0', ['eth0'])]), ['not_applicable'], ['no storage traffic on this host']),
    ('a cinder.conf cinder-volume does not read names the reason', dict(sto([row('default', 'eth0', ['eth0'])]), config_files=[
        {'file': '/etc/cinder/cinder.conf', 'service': 'cinder', 'inert': 'cinder-volume does not read it (no cinder-volume unit)'}]),
     ['not_applicable'], ['(read: /etc/cinder/cinder.conf); /etc/cinder/cinder.conf: no iSCSI/NFS target derived from its backends: '
                          'cinder-volume does not read it (no cinder-volume unit)']),
    ('storage known, nothing else known', sto([row('storage', 'eth1', ['eth1'])], [target()], [ceph()]), ['manual'],
     ['no other traffic class is known']),
    ('declared interface missing', sto(SEPARATED + [row('tunnel', 'eth9', [], 'declared')], [target()], [ceph()]), ['error'],
     ['eth9 (tunnel) do not exist']),
    ('a fail is not hidden by a missing declared interface',
     sto([row('storage', 'eth0', ['eth0']), row('api', 'eth0', ['eth0'], 'declared'), row('tunnel', 'eth9', [], 'declared')],
         [target(iface='eth0')], [ceph()]), ['fail'], ['eth0 with API (eth0)']),
    ('network unreadable', dict(sto(), route_source=None, errors=[{'component': 'network', 'message': 'cannot enter netns x'}]), ['error'],
     ['could not be read: cannot enter netns x']),
    ('ceph.conf unreadable', sto([row('default', 'eth0', ['eth0'])], confs=[{'file': CONF, 'entities': {}, 'errors': [
        {'file': CONF, 'message': 'permission denied'}]}]), ['error'], ['/etc/ceph/ceph.conf: permission denied']),
    ('storage targets not routable', sto([row('default', 'eth0', ['eth0'])], [target(iface=None, error='10.99.1.10 is unreachable')], []),
     ['error'], ['no storage address could be routed: 10.99.1.10: 10.99.1.10 is unreachable']),
    ('virtual NICs are named', sto([row('storage', 'veth1', ['veth1']), row('default', 'eth0', ['eth0'])], [target(iface='veth1')], [ceph()],
                                   virtual=['veth1']), ['pass', 'manual'], ['veth1 has no bus device']),
    ('module failed', {'failed': True, 'msg': 'unknown traffic class(es) foo'}, ['error'], ['storage_network_info failed: unknown traffic class']),
]


@pytest.mark.parametrize('title,ev,statuses,fragments', FRONTEND_CASES, ids=[c[0] for c in FRONTEND_CASES])
def test_frontend(title, ev, statuses, fragments):
    found = run(rules.rule_frontend, ev)
    assert [s for s, _m in found] == statuses, found
    for fragment, (_s, message) in zip(fragments, found):
        assert fragment in message, (fragment, message)


OSD = {'osd': ['ceph-0']}
REPL_ROWS = [row('storage', 'eth1', ['eth1'], origin='holds 10.99.1.21 in public_network 10.99.1.0/24 (%s)' % CONF),
             row('cluster', 'eth2', ['eth2'], origin='holds 10.99.2.21 in cluster_network 10.99.2.0/24 (%s)' % CONF),
             row('api', 'eth0', ['eth0'], 'declared'), row('default', 'eth0', ['eth0'])]

REPLICATION_CASES = [
    ('own replication NIC', sto(REPL_ROWS, [target()], [ceph()], OSD), None, ['pass', 'manual'],
     ['cluster_network 10.99.2.0/24, distinct from public_network 10.99.1.0/24) leaves through eth2']),
    ('cluster_network unset', sto(REPL_ROWS[:1] + REPL_ROWS[2:], [target()], [ceph(cluster=())], OSD), None, ['fail'],
     ['cluster_network is not set in /etc/ceph/ceph.conf']),
    ('cluster inside public', sto(REPL_ROWS, [target()], [ceph(cluster=('10.99.1.0/25',))], OSD), None, ['fail'],
     ['cluster_network 10.99.1.0/25 overlaps public_network 10.99.1.0/24']),
    ('cluster on the public NIC (macvlan)',
     sto([REPL_ROWS[0], row('cluster', 'clu0', ['eth1'], origin='holds x in cluster_network y (%s)' % CONF)] + REPL_ROWS[2:], [target()],
         [ceph()], OSD), None, ['fail'], ['eth1 with storage (eth1)']),
    ('no address in cluster_network', sto(REPL_ROWS[:1] + REPL_ROWS[2:], [target()], [ceph()], OSD), None, ['fail'],
     ['no interface of this host holds an address in cluster_network']),
    ('client only', sto(REPL_ROWS, [target()], [ceph()]), None, ['not_applicable'], ['no Ceph OSD on this host']),
    ('no ceph', sto([row('default', 'eth0', ['eth0'])]), None, ['not_applicable'], ['no Ceph on this host']),
    ('inventory says storage node', sto(REPL_ROWS, [target()], [ceph()], storage_node=True), None, ['pass', 'manual'], ['leaves through eth2']),
    ('ceph-osd listener seen by discovery', sto(REPL_ROWS, [target()], [ceph(cluster=())]),
     {'listeners': [{'address': '10.99.1.21', 'port': 6800, 'process': 'ceph-osd'}]}, ['fail'], ['cluster_network is not set']),
    ('OSD without readable ceph.conf', sto(REPL_ROWS, confs=[{'file': CONF, 'entities': {}, 'errors': [{'file': CONF, 'message': 'no such file'}]}],
                                           daemons=OSD), None, ['error'], ['no readable ceph.conf: /etc/ceph/ceph.conf: no such file']),
]


@pytest.mark.parametrize('title,ev,discovery,statuses,fragments', REPLICATION_CASES, ids=[c[0] for c in REPLICATION_CASES])
def test_replication(title, ev, discovery, statuses, fragments):
    found = run(rules.rule_replication, ev, discovery)
    assert [s for s, _m in found] == statuses, found
    for fragment, (_s, message) in zip(fragments, found):
        assert fragment in message, (fragment, message)


ENCRYPTION_CASES = [
    ('client, secure everywhere', sto(SEPARATED, [target()], [ceph(SECURE)]), ['pass'], ['ceph-mon 10.99.1.10:3300: Ceph msgr2 secure mode']),
    ('client, Ceph defaults', sto(SEPARATED, [target()], [ceph()]), ['fail'],
     ['client.admin ms_client_mode = crc secure; client.admin ms_mon_client_mode = secure crc']),
    ('client over WireGuard, crc modes', sto(SEPARATED, [target(iface='wg0', wg=['wg0'])], [ceph()]), ['pass'], ['routed through WireGuard wg0']),
    ('v1-only monitors', sto(SEPARATED, [target(port=6789)], [ceph(SECURE, mons=('v1',))]), ['fail'], ['msgr v1 addresses only']),
    ('msgr2 unbound', sto(SEPARATED, [target()], [ceph(dict(SECURE, ms_bind_msgr2='false'))]), ['fail'], ['ms_bind_msgr2 = false']),
    ('iSCSI without WireGuard', sto(SEPARATED, [target('iscsi', '10.99.1.21', 3260, file='/etc/cinder/cinder.conf')]), ['fail'],
     ['iSCSI has no transport encryption']),
    ('NFS with krb5p', sto(SEPARATED, [target('nfs', '10.99.1.30', 2049, file='/etc/cinder/nfs_shares', mount_options='vers=4.2,sec=krb5p')]),
     ['pass'], ['Kerberos privacy']),
    ('NFS plain', sto(SEPARATED, [target('nfs', '10.99.1.30', 2049, file='/etc/cinder/nfs_shares', mount_options=None)]), ['fail'],
     ['without sec=krb5p']),
    ('OSD: secure service, replication on WireGuard',
     sto([REPL_ROWS[0], row('cluster', 'wg0', ['eth2'], wg=['wg0'], origin='holds x in cluster_network (%s)' % CONF)] + REPL_ROWS[2:],
         [target()], [ceph(SECURE, osd_modes={'ms_cluster_mode': 'crc'})], OSD), ['pass'], ['cluster_network on WireGuard wg0']),
    ('OSD: replication crc', sto(REPL_ROWS, [target()], [ceph(SECURE, osd_modes={'ms_cluster_mode': 'crc'})], OSD), ['fail'],
     ['replication (/etc/ceph/ceph.conf): osd.0 ms_cluster_mode = crc']),
    ('no storage', sto([row('default', 'eth0', ['eth0'])]), ['not_applicable'], ['no storage traffic']),
]


@pytest.mark.parametrize('title,ev,statuses,fragments', ENCRYPTION_CASES, ids=[c[0] for c in ENCRYPTION_CASES])
def test_encryption(title, ev, statuses, fragments):
    found = run(rules.rule_encryption, ev)
    assert [s for s, _m in found] == statuses, found
    for fragment, (_s, message) in zip(fragments, found):
        assert fragment in message, (fragment, message)


def test_evidence_carries_the_table():
    ctx = RuleContext({'node1': {'channels': ['sto'], 'sto': sto(SEPARATED, [target()], [ceph()])}})
    finding = rules.rule_frontend(ctx)[0]
    assert finding['evidence']['table_text'] == ['storage -> eth1 -> eth1', 'API -> eth0 -> eth0', 'default route -> eth0 -> eth0']
    assert finding['target'] == {'host': 'node1'}


def test_through_the_evaluator():
    """The rules are found by the one evaluator and every sto control gets findings."""
    findings = evaluate({'node1': {'channels': ['sto'], 'sto': sto(SEPARATED, [target()], [ceph(SECURE)])}})
    statuses = dict((c, sorted(f['status'] for f in findings if f['control_id'] == c)) for c in rules.RULES)
    assert statuses == {rules.FRONTEND: ['manual', 'pass'], rules.REPLICATION: ['not_applicable'], rules.ENCRYPTION: ['pass']}
