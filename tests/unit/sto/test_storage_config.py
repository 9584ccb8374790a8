# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Storage targets from configuration: ceph.conf (collection parser path), Cinder/Nova/Glance, Neutron.

``ceph-conf`` itself is exercised in tests/integration/sto/test_ceph_conf.py; here the module runs
as on a node without ceph-common (the fallback parser plus Ceph's defaults).
"""

from __future__ import absolute_import, division, print_function

import os
import socket

import pytest
import yaml

from ansible_collections.scs.secure_connections.plugins.module_utils._gather import storage as st, storage_observed as observed
from ansible_collections.scs.secure_connections.plugins.modules import storage_network_info

FIXTURES = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), 'fixtures', 'ceph')


@pytest.mark.parametrize('value,expected', [
    ('10.0.0.1,10.0.0.2:6789', [{'host': '10.0.0.1', 'port': None, 'protocol': 'any'}, {'host': '10.0.0.2', 'port': 6789, 'protocol': 'v1'}]),
    ('[v2:10.0.0.1:3300/0,v1:10.0.0.1:6789/0] [v2:10.0.0.2:3300/0,v1:10.0.0.2:6789/0]',
     [{'host': '10.0.0.1', 'port': 3300, 'protocol': 'v2'}, {'host': '10.0.0.1', 'port': 6789, 'protocol': 'v1'},
      {'host': '10.0.0.2', 'port': 3300, 'protocol': 'v2'}, {'host': '10.0.0.2', 'port': 6789, 'protocol': 'v1'}]),
    ('[fd00::1]:3300 mon-a.example:6789',
     [{'host': 'fd00::1', 'port': 3300, 'protocol': 'v2'}, {'host': 'mon-a.example', 'port': 6789, 'protocol': 'v1'}]),
    ('v2:10.0.0.1:3300, v2:10.0.0.2:3300', [{'host': '10.0.0.1', 'port': 3300, 'protocol': 'v2'}, {'host': '10.0.0.2', 'port': 3300, 'protocol': 'v2'}]),
    ('', []),
])
def test_parse_mon_host(value, expected):
    assert st.parse_mon_host(value) == expected


@pytest.mark.parametrize('value,expected', [
    ('10.99.1.0/24, fd99:1::/64', ['10.99.1.0/24', 'fd99:1::/64']), ('10.99.1.7/24', ['10.99.1.0/24']), ('garbage', ['garbage']), ('', []),
])
def test_split_networks(value, expected):
    assert st.split_networks(value) == expected


@pytest.mark.parametrize('text,expected', [
    ('# comment\n10.99.1.30:/srv/cinder\n\n[fd99:1::30]:/export -o vers=4.2,sec=krb5p\nnas.example:/vol1 -o  nfsvers=3\n',
     [{'host': '10.99.1.30', 'export': '/srv/cinder', 'options': None},
      {'host': 'fd99:1::30', 'export': '/export', 'options': 'vers=4.2,sec=krb5p'},
      {'host': 'nas.example', 'export': '/vol1', 'options': 'nfsvers=3'}]),
    ('', []),
])
def test_parse_nfs_shares(text, expected):
    assert st.parse_nfs_shares(text) == expected


class NoTools(object):
    """A node without ceph-conf (and without any other tool): the collection parser is used."""
    netns = None

    def which(self, tool):
        return None


# file, entity, option, effective value (Ceph's defaults where the file says nothing)
CEPH_CASES = [
    ('/ceph-ansible-client.conf', 'client.libvirt', 'ms_client_mode', 'crc secure'),
    ('/ceph-ansible-client.conf', 'osd.0', 'cluster_network', '10.99.2.0/24'),
    ('/cephadm-minimal.conf', 'client.admin', 'public_network', ''),
    ('/cephadm-minimal.conf', 'osd.0', 'ms_mon_client_mode', 'secure crc'),
    ('/secure-everywhere.conf', 'client.cinder', 'ms_client_mode', 'secure'),
    ('/secure-everywhere.conf', 'osd.0', 'ms_bind_msgr1', 'false'),
    ('/mixed-modes.conf', 'osd.3', 'ms_cluster_mode', 'crc'),            # entity section beats [osd]
    ('/mixed-modes.conf', 'osd.3', 'ms_service_mode', 'crc secure'),     # [osd]
    ('/mixed-modes.conf', 'client.nova', 'ms_client_mode', 'crc'),
    ('/mixed-modes.conf', 'client.nova', 'ms_mon_client_mode', 'secure'),
    ('/mixed-modes.conf', 'client.nova', 'public_network', '10.99.1.0/24, fd99:1::/64'),
    ('/legacy-v1.conf', 'client.admin', 'ms_bind_msgr2', 'false'),
]


@pytest.mark.parametrize('path,entity,option,value', CEPH_CASES)
def test_ceph_conf_fallback_values(path, entity, option, value):
    conf = st.read_ceph_conf(FIXTURES, path, NoTools(), daemons={})
    assert conf['parser'] == 'parse_ceph_conf'
    assert 'ceph-conf is not installed' in conf['parser_note']
    assert conf['entities'][entity][option] == value


@pytest.mark.parametrize('path,mons,public,cluster', [
    ('/ceph-ansible-client.conf', 6, ['10.99.1.0/24'], ['10.99.2.0/24']),
    ('/cephadm-minimal.conf', 4, [], []),
    ('/secure-everywhere.conf', 2, ['10.99.1.0/24'], ['10.99.2.0/24']),
    ('/same-networks.conf', 1, ['10.99.1.0/24'], ['10.99.1.0/25']),
])
def test_ceph_conf_networks(path, mons, public, cluster):
    conf = st.read_ceph_conf(FIXTURES, path, NoTools(), daemons={})
    assert (len(conf['mons']), conf['public_network'], conf['cluster_network']) == (mons, public, cluster)


def test_ceph_conf_broken_and_missing():
    broken = st.read_ceph_conf(FIXTURES, '/broken.conf', NoTools())
    assert any('invalid section header' in e['message'] for e in broken['errors'])
    assert broken['mons'] == []
    missing = st.read_ceph_conf(FIXTURES, '/nope.conf', NoTools())
    assert missing['errors'] == [{'file': '/nope.conf', 'message': 'no such file'}] and missing['entities'] == {}


def test_ceph_entities_follow_sections_and_daemons():
    conf = st.read_ceph_conf(FIXTURES, '/mixed-modes.conf', NoTools(), daemons={'mon': ['a']})
    assert sorted(conf['entities']) == ['client.nova', 'mon.a', 'osd.3']


def _write(root, path, text):
    full = os.path.join(str(root), path.lstrip('/'))
    if not os.path.isdir(os.path.dirname(full)):
        os.makedirs(os.path.dirname(full))
    with open(full, 'w') as handle:
        handle.write(text)


CINDER = """[DEFAULT]
my_ip = 10.99.0.21
enabled_backends = lvm-1,nfs-1,rbd-1,lvm-2
transport_url = rabbit://openstack:s3cret@10.99.0.5:5672//

[lvm-1]
volume_driver = cinder.volume.drivers.lvm.LVMVolumeDriver
target_ip_address = 10.99.1.21
target_secondary_ip_addresses = 10.99.1.22, 10.99.1.23
target_port = 3261

[lvm-2]
volume_driver = cinder.volume.drivers.lvm.LVMVolumeDriver

[nfs-1]
volume_driver = cinder.volume.drivers.nfs.NfsDriver
nfs_shares_config = /etc/cinder/nfs_shares
nfs_mount_options = vers=4.2

[rbd-1]
volume_driver = cinder.volume.drivers.rbd.RBDDriver
rbd_ceph_conf = /etc/ceph/ceph.conf

[backup]
backup_ceph_conf = /etc/ceph/backup.conf
"""


def test_scan_openstack_configs(tmp_path):
    root = tmp_path
    _write(root, '/etc/kolla/cinder-volume/cinder.conf', CINDER)
    _write(root, '/etc/kolla/cinder-volume/nfs_shares', '10.99.1.30:/srv/cinder\n10.99.1.31:/srv/c2 -o sec=krb5p\n')
    _write(root, '/etc/kolla/cinder-volume/ceph.conf', '[global]\nmon_host = 10.99.1.10\n')
    _write(root, '/etc/kolla/nova-compute/nova.conf', '[libvirt]\nimages_type = rbd\nimages_rbd_ceph_conf = /etc/ceph/ceph.conf\n')
    _write(root, '/etc/kolla/nova-compute/ceph.conf', '[global]\nmon_host = 10.99.1.10\n')
    _write(root, '/etc/glance/glance-api.conf', '[rbd]\nrbd_store_ceph_conf = /etc/ceph/ceph.conf\n')
    _write(root, '/etc/kolla/neutron-server/neutron.conf', '[DEFAULT]\ncore_plugin = ml2\nservice_plugins = router, vpnaas\n')
    _write(root, '/etc/kolla/neutron-openvswitch-agent/neutron.conf', '[DEFAULT]\nservice_plugins = router\n')
    _write(root, '/etc/kolla/neutron-openvswitch-agent/openvswitch_agent.ini',
           '[agent]\ntunnel_types = vxlan\n[ovs]\nlocal_ip = 10.99.3.21\n')
    _write(root, '/etc/neutron/plugins/ml2/linuxbridge_agent.ini', '[vxlan]\nenable_vxlan = false\nlocal_ip = 10.99.3.99\n')
    _write(root, '/etc/kolla/neutron-server/ml2_conf.ini', '[ml2]\nmechanism_drivers = openvswitch,l2population\ntenant_network_types = vxlan\n')
    files = st.discover_files(str(root), st.DEFAULT_CONFIG_GLOBS)
    scan = st.scan_openstack_configs(str(root), files)
    targets = [(t['kind'], t['host'], t['port'], t['option']) for t in scan['targets']]
    assert targets == [
        ('iscsi', '10.99.1.21', 3261, 'target_ip_address'),
        ('iscsi', '10.99.1.22', 3260, 'target_secondary_ip_addresses'),
        ('iscsi', '10.99.1.23', 3260, 'target_secondary_ip_addresses'),
        ('iscsi', '10.99.0.21', 3260, 'target_ip_address (unset: defaults to [DEFAULT] my_ip)'),
        ('nfs', '10.99.1.30', 2049, 'nfs_shares_config (/srv/cinder)'),
        ('nfs', '10.99.1.31', 2049, 'nfs_shares_config (/srv/c2)'),
    ]
    nfs = [t for t in scan['targets'] if t['kind'] == 'nfs']
    assert nfs[0]['file'] == '/etc/kolla/cinder-volume/nfs_shares' and nfs[0]['mount_options'] == 'vers=4.2'
    assert nfs[1]['mount_options'] == 'sec=krb5p'
    refs = sorted((r['path'], r['origin'].split(' ', 1)[1]) for r in scan['ceph_refs'])
    assert refs == [
        ('/etc/ceph/backup.conf', '[backup] backup_ceph_conf'),                 # not found anywhere: kept as named
        ('/etc/ceph/ceph.conf', '[rbd] rbd_store_ceph_conf'),                   # glance outside kolla: path as named
        ('/etc/kolla/cinder-volume/ceph.conf', '[rbd-1] rbd_ceph_conf'),        # kolla container path mapped
        ('/etc/kolla/nova-compute/ceph.conf', '[libvirt] images_rbd_ceph_conf'),
    ]
    neutron = scan['neutron']
    assert [(e['file'].split('/')[3], e['server'], e['vpnaas']) for e in neutron['service_plugins']] == [
        ('neutron-openvswitch-agent', False, False), ('neutron-server', True, True)]
    assert neutron['local_ips'] == [{'address': '10.99.3.21', 'origin': '/etc/kolla/neutron-openvswitch-agent/openvswitch_agent.ini [ovs] local_ip'}]
    assert neutron['mechanism_drivers'] == ['l2population', 'openvswitch']
    assert {'file': '/etc/kolla/neutron-openvswitch-agent/openvswitch_agent.ini', 'setting': '[agent] tunnel_types', 'value': ['vxlan']} \
        in neutron['tunnel_types']
    assert 's3cret' not in repr(scan)


def test_lvm_without_address_is_an_error(tmp_path):
    _write(tmp_path, '/etc/cinder/cinder.conf', '[lvm]\nvolume_driver = cinder.volume.drivers.lvm.LVMVolumeDriver\n')
    scan = st.scan_openstack_configs(str(tmp_path), ['/etc/cinder/cinder.conf'])
    assert scan['targets'] == [] and 'primary address' in scan['errors'][0]['message']


def test_missing_nfs_shares_file(tmp_path):
    _write(tmp_path, '/etc/cinder/cinder.conf', '[nfs]\nnfs_shares_config = /etc/cinder/nfs_shares\n')
    scan = st.scan_openstack_configs(str(tmp_path), ['/etc/cinder/cinder.conf'])
    assert scan['errors'] == [{'file': '/etc/cinder/nfs_shares', 'message': 'nfs_shares_config of /etc/cinder/cinder.conf [nfs]: no such file'}]


@pytest.mark.parametrize('dirs,expected', [
    (['/var/lib/ceph/osd/ceph-0', '/var/lib/ceph/osd/ceph-7', '/var/lib/ceph/mon/ceph-a'], {'osd': ['ceph-0', 'ceph-7'], 'mon': ['ceph-a']}),
    (['/var/lib/ceph/0f4a9e2a-5a3e-11ee-9f1b-525400b5a1c2/osd.3', '/var/lib/ceph/0f4a9e2a-5a3e-11ee-9f1b-525400b5a1c2/crash'], {'osd': ['3']}),
    ([], {}),
])
def test_ceph_daemons(tmp_path, dirs, expected):
    for d in dirs:
        os.makedirs(os.path.join(str(tmp_path), d.lstrip('/')))
    assert st.ceph_daemons(str(tmp_path)) == expected


def test_resolve_host(monkeypatch):
    assert observed.resolve_host('10.99.1.1') == (['10.99.1.1'], None)
    assert observed.resolve_host('[fd99::1]') == (['fd99::1'], None)

    def refuse(*_args, **_kw):
        raise socket.gaierror(-2, 'Name or service not known')
    monkeypatch.setattr(socket, 'getaddrinfo', refuse)     # no DNS traffic from the tests
    assert observed.resolve_host('mon-a.example') == ([], 'name mon-a.example does not resolve: [Errno -2] Name or service not known')

    def hang(*_args, **_kw):
        import time
        time.sleep(2)
    monkeypatch.setattr(socket, 'getaddrinfo', hang)
    assert observed.resolve_host('slow.example', timeout=0.2) == ([], 'name slow.example did not resolve within 0.2s')


@pytest.mark.parametrize('rc,out,expected', [
    (0, '"10.99.3.5"\n', '10.99.3.5'),
    (0, '\n', None),
])
def test_gather_ovs(fake_runner, rc, out, expected):
    listing = {'headings': ['name', 'type', 'options'], 'data': [
        ['ovn-abc-0', 'geneve', ['map', [['csum', 'true'], ['key', 'flow'], ['remote_ip', '10.99.3.6']]]],
        ['vxlan-0a63', 'vxlan', ['map', [['local_ip', '10.99.3.5'], ['remote_ip', '10.99.3.7']]]],
        ['br-int', 'internal', ['map', []]],
    ]}
    runner = fake_runner(tools={'ovs-vsctl': '/usr/bin/ovs-vsctl'}, outputs={
        ('ovs-vsctl', '--timeout=5', '--if-exists', 'get', 'Open_vSwitch', '.', 'external_ids:ovn-encap-ip'): (rc, out, ''),
        ('ovs-vsctl', '--timeout=5', '--if-exists', 'get', 'Open_vSwitch', '.', 'external_ids:ovn-encap-type'): (0, 'geneve\n', ''),
        ('ovs-vsctl', '--timeout=5', '--format=json', '--columns=name,type,options', 'list', 'Interface'): listing,
    })
    ovs = observed.gather_ovs(runner, ['ovs-vsctl'])
    assert ovs['ovn_encap_ip'] == expected and ovs['ovn_encap_type'] == 'geneve'
    assert [(p['name'], p['remote_ip']) for p in ovs['tunnel_ports']] == [('ovn-abc-0', '10.99.3.6'), ('vxlan-0a63', '10.99.3.7')]


def test_ovs_and_ovn_tools_missing_are_named(fake_runner):
    runner = fake_runner(tools={})
    assert observed.gather_ovs(runner, ['ovs-vsctl'])['errors'] == [
        'ovs-vsctl is not installed: OVN encapsulation address and OVS tunnel ports cannot be read']
    assert observed.gather_ovn_ipsec(runner, ['ovn-nbctl'])['error'] == \
        'ovn-nbctl is not installed: OVN IPsec (NB_Global ipsec) is not assessable on this node'


@pytest.mark.parametrize('out,expected', [('true\n', True), ('false\n', False), ('"maybe"\n', None)])
def test_ovn_ipsec(fake_runner, out, expected):
    runner = fake_runner(tools={'docker': '/usr/bin/docker'}, outputs={
        ('docker', 'exec', 'ovn_northd', 'ovn-nbctl', '--timeout=5', '--db=tcp:10.99.0.5:6641', 'get', 'NB_Global', '.', 'ipsec'): out})
    res = observed.gather_ovn_ipsec(runner, ['docker', 'exec', 'ovn_northd', 'ovn-nbctl'], db='tcp:10.99.0.5:6641')
    assert res['ipsec'] is expected


def test_gather_return_contract(tmp_path, sysfs, procfs, fake_runner, monkeypatch):
    """Every key gather() returns is documented in the module's RETURN, and vice versa."""
    sysfs(tmp_path / 'sys', {'lo': {'type': 772}, 'eth0': {'device': True}})
    procfs(tmp_path / 'proc', route='Iface\tDestination\tGateway\tFlags\tRefCnt\tUse\tMetric\tMask\tMTU\tWindow\tIRTT\n')
    runner = fake_runner(tools={})
    monkeypatch.setattr(st, 'Runner', lambda **_kw: runner)
    result = st.gather(root=str(tmp_path), sys_path=str(tmp_path / 'sys'), proc_path=str(tmp_path / 'proc'),
                       traffic_interfaces={'api': 'eth0', 'tunnel': 'eth9'})
    documented = set(yaml.safe_load(storage_network_info.RETURN))
    assert set(result) == documented
    assert [(r['class'], r['interface'], r['exists']) for r in result['traffic']] == [('api', 'eth0', True), ('tunnel', 'eth9', False)]
    assert {'component': 'traffic', 'message': 'traffic_interfaces.tunnel: interface eth9 does not exist on this node'} in result['errors']
    assert result['route_source'] == 'proc'
    assert any('ip (iproute2) is not installed' in n for n in result['notes'])
