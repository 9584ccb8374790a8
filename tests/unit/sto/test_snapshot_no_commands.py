# -*- coding: utf-8 -*-
"""A snapshot root (not /, no netns) never runs a command nor reads this machine's /sys or /proc on its behalf."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.scs.secure_connections.plugins.module_utils._gather import netinfo, storage as st

OVS_AGENT = '[agent]\ntunnel_types = vxlan\n[ovs]\nlocal_ip = 10.99.3.1\n'
ROUTE_HEADER = 'Iface\tDestination\tGateway\tFlags\tRefCnt\tUse\tMetric\tMask\tMTU\tWindow\tIRTT\n'


class NoCommands(object):
    """A module whose run_command fails the test: nothing may be executed for a snapshot."""

    calls = []

    def run_command(self, argv, **_kw):
        self.calls.append(argv)
        raise AssertionError('a command ran for a snapshot: %r' % (argv,))

    def get_bin_path(self, tool, *args, **kw):
        raise AssertionError('a tool was looked up for a snapshot: %s' % tool)


def write(root, path, text):
    full = root / path.lstrip('/')
    full.parent.mkdir(parents=True, exist_ok=True)
    full.write_text(text)


def test_snapshot_without_sys_and_proc_reads_nothing_live(tmp_path):
    write(tmp_path, '/etc/neutron/plugins/ml2/openvswitch_agent.ini', OVS_AGENT)
    module = NoCommands()
    result = st.gather(root=str(tmp_path), which=lambda tool: '/usr/bin/' + tool, module=module)
    assert module.calls == []
    assert result['route_source'] is None and result['interfaces'] == []
    message = ' '.join(e['message'] for e in result['errors'] if e['component'] == 'network')
    assert 'is a snapshot without' in message and "auditing host's are never read" in message
    assert all(path is None for path in result['tools'].values())


def test_snapshot_with_its_own_sys_and_proc(tmp_path, sysfs, procfs):
    write(tmp_path, '/etc/neutron/plugins/ml2/openvswitch_agent.ini', OVS_AGENT)
    sysfs(tmp_path / 'sys', {'lo': {'type': 772}, 'eth1': {'device': True}})
    procfs(tmp_path / 'proc', route=ROUTE_HEADER)
    module = NoCommands()
    result = st.gather(root=str(tmp_path), which=lambda tool: '/usr/bin/' + tool, module=module)
    assert module.calls == []
    assert result['route_source'] == 'proc'
    assert sorted(i['name'] for i in result['interfaces']) == ['eth1', 'lo']
    ovs = result['neutron']['ovs']
    assert ovs['available'] is False and 'is a snapshot: ovs-vsctl is not run' in ovs['errors'][0]
    assert any('no command (ip, wg, ceph-conf, ovs-vsctl, ovn-nbctl) runs on the auditing host' in n for n in result['notes'])


def test_netns_is_live_not_a_snapshot():
    assert st.is_snapshot('/srv/snap') is True
    assert st.is_snapshot('/srv/snap', netns='node1') is False
    assert st.is_snapshot('/') is False


CEPH = '[global]\nmon_host = 10.99.1.10\npublic_network = 10.99.1.0/24\n'
SERVER = '[DEFAULT]\ncore_plugin = ml2\nservice_plugins = router,vpnaas\n'


def test_snapshot_without_sys_and_proc_still_reads_the_configuration(tmp_path):
    """The configuration scan does not depend on the network view: Ceph, Cinder and Neutron settings are read, the
    targets and tunnel endpoints listed unrouted with the reason, and no tool asked."""
    write(tmp_path, '/etc/neutron/plugins/ml2/openvswitch_agent.ini', OVS_AGENT)
    write(tmp_path, '/etc/neutron/neutron.conf', SERVER)
    write(tmp_path, '/etc/ceph/ceph.conf', CEPH)
    write(tmp_path, '/etc/cinder/cinder.conf', '[nfs]\nnas_host = 10.99.1.50\n')
    module = NoCommands()
    result = st.gather(root=str(tmp_path), which=lambda tool: '/usr/bin/' + tool, module=module)
    assert module.calls == []
    assert result['route_source'] is None and result['traffic'] == [] and result['configuration_read'] is True
    assert [e['kind'] for e in result['errors'] if e['component'] == 'network'] == ['not_observable']
    assert sorted(f['file'] for f in result['config_files']) == [
        '/etc/cinder/cinder.conf', '/etc/neutron/neutron.conf', '/etc/neutron/plugins/ml2/openvswitch_agent.ini']
    assert [c['file'] for c in result['ceph']] == ['/etc/ceph/ceph.conf'] and result['ceph'][0]['entities']
    kinds = sorted((t['kind'], t['host']) for t in result['storage_targets'])
    assert kinds == [('ceph-mon', '10.99.1.10'), ('ceph-public-network', '10.99.1.1'), ('nfs', '10.99.1.50')]
    assert all(t['routed'] is False and 'not observable' in t['not_routed'] and not t.get('interface') for t in result['storage_targets'])
    neutron = result['neutron']
    assert [(e['file'], e['vpnaas']) for e in neutron['service_plugins']] == [('/etc/neutron/neutron.conf', True)]
    assert [(e['address'], e['routed']) for e in neutron['tunnel_endpoints']] == [('10.99.3.1', False)]
    assert neutron['tunnel_peers'] == [] and neutron['ovs']['available'] is False and neutron['ovs']['chassis_files'] == []
    assert neutron['ovn_ipsec']['ipsec'] is None and neutron['ovn_ipsec']['error'].startswith('not queried')


def test_snapshot_names_ovs_chassis_files(tmp_path):
    write(tmp_path, '/etc/neutron/plugins/ml2/ml2_conf.ini', '[ml2]\nmechanism_drivers = ovn\n')
    write(tmp_path, '/etc/openvswitch/conf.db', 'OVSDB JSON 0 0\n')
    result = st.gather(root=str(tmp_path), module=NoCommands())
    assert result['neutron']['ovs']['chassis_files'] == ['/etc/openvswitch/conf.db']
    assert result['neutron']['mechanism_drivers'] == ['ovn']


def test_live_network_failure_keeps_the_configuration(tmp_path, monkeypatch):
    """A live node whose network view cannot be built (NetView raises): the configuration is read all the same, the
    network error has no not_observable kind (the rules give error, not not_assessed)."""
    write(tmp_path, '/etc/neutron/neutron.conf', SERVER)

    def broken(*_args, **_kwargs):
        raise netinfo.NetInfoError('ip: cannot read routes')

    monkeypatch.setattr(netinfo, 'NetView', broken)   # storage imports it when the network is observable
    monkeypatch.setattr(st, 'is_snapshot', lambda root, netns=None: False)
    result = st.gather(root=str(tmp_path), which=lambda tool: None, module=NoCommands())
    assert result['route_source'] is None and result['configuration_read'] is True
    assert [e for e in result['errors'] if e['component'] == 'network'] == [{'component': 'network', 'message': 'ip: cannot read routes'}]
    assert result['neutron']['service_plugins'][0]['vpnaas'] is True


def test_cinder_backends_of_a_node_without_cinder_volume_are_inert(tmp_path):
    """Debian's cinder-common ships cinder.conf with an LVM backend; without cinder-volume among the node's services
    nothing serves it: no iSCSI target, a note says why. With cinder-volume (or no service known at all) it is one."""
    write(tmp_path, '/etc/cinder/cinder.conf', '[DEFAULT]\nenabled_backends = lvm\nmy_ip = 10.0.0.5\n[lvm]\n'
                                               'volume_driver = cinder.volume.drivers.lvm.LVMVolumeDriver\n')
    result = st.gather(root=str(tmp_path), module=NoCommands())
    assert [t['host'] for t in result['storage_targets']] == ['10.0.0.5']   # no service unit at all: nothing says
    write(tmp_path, '/lib/systemd/system/nova-compute.service', '[Service]\nExecStart=/usr/bin/nova-compute\n')
    result = st.gather(root=str(tmp_path), module=NoCommands())
    assert result['storage_targets'] == []
    assert any('cinder-volume does not read it' in n for n in result['notes'])
    assert [f['inert'] for f in result['config_files'] if f.get('inert')][0].startswith('cinder-volume does not read it (')
    write(tmp_path, '/etc/init.d/cinder-volume', '#!/bin/sh\n')
    result = st.gather(root=str(tmp_path), module=NoCommands())
    assert [t['host'] for t in result['storage_targets']] == ['10.0.0.5']


def test_kolla_cinder_api_directory_is_not_cinder_volume(tmp_path):
    from ansible_collections.scs.secure_connections.plugins.module_utils._gather.layout import cinder_volume_role
    write(tmp_path, '/etc/kolla/cinder-api/cinder.conf', '[lvm]\n')
    write(tmp_path, '/etc/kolla/cinder-volume/cinder.conf', '[lvm]\n')
    assert cinder_volume_role(str(tmp_path), '/etc/kolla/cinder-api/cinder.conf')['volume'] is False
    assert cinder_volume_role(str(tmp_path), '/etc/kolla/cinder-volume/cinder.conf')['volume'] is True
