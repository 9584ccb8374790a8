# -*- coding: utf-8 -*-
"""A snapshot root (not /, no netns) never runs a command nor reads this machine's /sys or /proc on its behalf."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.scs.secure_connections.plugins.module_utils._gather import storage as st

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
