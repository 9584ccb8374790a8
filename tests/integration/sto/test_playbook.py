# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""storage_network_info through ansible-playbook, and the audit role's sto/net task files, on a real namespace.

The inventory carries kolla-ansible's own variable names (network_interface, api_interface,
tunnel_interface, neutron_external_interface, storage_interface); the role maps them to the traffic
classes. Discovery evidence is given as the discovery module would record it (that module is
another engineer's and tested there).
"""

from __future__ import absolute_import, division, print_function

import json
import os
import subprocess
import sys

from ansible_collections.scs.secure_connections.plugins.module_utils._core.evaluator import evaluate
from ansible_collections.scs.secure_connections.plugins.module_utils._rules import net as net_rules
from ansible_collections.scs.secure_connections.plugins.module_utils._rules import sto as sto_rules
from lab.paths import REPO, collections_root

CEPH = """[global]
fsid = 6b8f7c1e-8a47-4d1b-9d0e-2d7b1f2b6c11
mon_host = [v2:10.99.1.10:3300/0,v1:10.99.1.10:6789/0]
public_network = 10.99.1.0/24
"""


def playbook(tmp_path, text, extra=()):
    path = tmp_path / 'play.yml'
    path.write_text(text)
    bindir = os.path.dirname(sys.executable)
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=collections_root(), ANSIBLE_CONFIG=os.path.join(REPO, 'ansible.cfg'), ANSIBLE_NOCOLOR='1',
               ANSIBLE_PYTHON_INTERPRETER=sys.executable, ANSIBLE_LOCAL_TEMP=str(tmp_path / 'ansible-tmp'))
    argv = [os.path.join(bindir, 'ansible-playbook'), '-i', 'localhost,', '-c', 'local', str(path)] + list(extra)
    proc = subprocess.run(argv, env=env, cwd=str(tmp_path), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=300,
                          universal_newlines=True, check=False)
    return proc.returncode, proc.stdout


def shared_node(netlab):
    """A compute node whose storage address is a macvlan on the API NIC (must fail separation)."""
    sw = netlab.switch()
    mon = netlab.node('mon')
    mon.nic('eth0', sw, 'storage', '10.99.1.10/24')
    node = netlab.node('compute1')
    node.nic('eth0', sw, 'mgmt', '10.99.0.11/24')
    node.nic('eth1', sw, 'tunnel', '10.99.3.11/24')
    node.nic('eth3', sw, 'external')
    node.macvlan('stor0', 'eth0', '10.99.1.11/24')
    node.route('default', via='10.99.0.1')
    return node


def test_module_via_ansible_playbook(netlab, tmp_path, tree):
    node = shared_node(netlab)
    root = tree(tmp_path / 'root', {'/etc/ceph/ceph.conf': CEPH})
    out = tmp_path / 'result.json'
    play = """
- hosts: localhost
  gather_facts: false
  tasks:
    - name: STO | Gather
      scs.secure_connections.storage_network_info:
        netns: %s
        root: %s
        traffic_interfaces: {management: eth0, api: eth0, tunnel: eth1, external: eth3, migration: ""}
      register: res
    - name: save
      ansible.builtin.copy:
        content: "{{ res | to_json }}"
        dest: %s
      check_mode: false
""" % (node.name, root, out)
    rc, text = playbook(tmp_path, play)
    assert rc == 0, text
    res = json.loads(out.read_text())
    assert res['changed'] is False and res['netns'] == node.name
    findings = evaluate({'compute1': {'channels': ['sto'], 'sto': res}})
    front = [f for f in findings if f['control_id'] == sto_rules.FRONTEND]
    assert [f['status'] for f in front] == ['fail'], front
    assert 'stor0' in front[0]['message'] and 'eth0 with API (eth0)' in front[0]['message']
    rc, text = playbook(tmp_path, play, ['--check'])                    # read-only: runs the same in check mode
    assert rc == 0 and 'changed=0' in text, text


def test_audit_role_channels(netlab, tmp_path, tree):
    node = shared_node(netlab)
    node.nic('eth2', netlab.switch('sw2'), 'storage')   # an unused NIC, so storage_interface differs from what routes say
    root = tree(tmp_path / 'root', {
        '/etc/kolla/nova-compute/nova.conf': ('[libvirt]\nimages_type = rbd\nimages_rbd_ceph_conf = /etc/ceph/ceph.conf\n'
                                              'live_migration_inbound_addr = 10.99.3.11\n'),
        '/etc/kolla/nova-compute/ceph.conf': CEPH,
        '/etc/kolla/neutron-openvswitch-agent/openvswitch_agent.ini': '[agent]\ntunnel_types = vxlan\n[ovs]\nlocal_ip = 10.99.3.11\n',
        '/etc/kolla/neutron-openvswitch-agent/neutron.conf': '[DEFAULT]\nservice_plugins = router\n',
    })
    out = tmp_path / 'evidence.json'
    discovery = {
        'root': root, 'layouts': [{'name': 'kolla', 'evidence': ['/etc/kolla']}], 'listeners': [], 'errors': [], 'infrastructure': {},
        'services': [
            {'service': 'nova', 'component': 'nova-compute', 'layout': 'kolla', 'files': ['/etc/kolla/nova-compute/nova.conf'],
             'libvirt': {'live_migration_inbound_addr': '10.99.3.11'}},
            {'service': 'neutron', 'component': 'neutron-openvswitch-agent', 'layout': 'kolla', 'libvirt': {},
             'files': ['/etc/kolla/neutron-openvswitch-agent/neutron.conf', '/etc/kolla/neutron-openvswitch-agent/openvswitch_agent.ini']},
        ],
    }
    play = """
- hosts: localhost
  gather_facts: false
  vars:
    network_interface: eth0
    api_interface: eth0
    tunnel_interface: eth1
    neutron_external_interface: eth3
    storage_interface: eth2
    audit_root: %(root)s
    audit_sto_netns: %(ns)s
    audit_evidence: {channels: [], discovery: %(discovery)s}
  tasks:
    - name: storage channel
      ansible.builtin.include_role:
        name: scs.secure_connections.audit
        tasks_from: channel_sto.yml
    - name: neutron channel
      ansible.builtin.include_role:
        name: scs.secure_connections.audit
        tasks_from: channel_net.yml
    - name: save
      ansible.builtin.copy:
        content: "{{ audit_evidence | to_json }}"
        dest: %(out)s
      check_mode: false
""" % {'root': root, 'ns': node.name, 'discovery': json.dumps(discovery), 'out': out}
    rc, text = playbook(tmp_path, play)
    assert rc == 0, text
    evidence = json.loads(out.read_text())
    assert evidence['channels'] == ['sto', 'net']
    sto = evidence['sto']
    assert 'invocation' not in sto and 'changed' not in sto
    classes = sorted(set((r['class'], r['interface'], r['source']) for r in sto['traffic']))
    assert ('migration', 'eth1', 'declared') in classes            # from discovery's live_migration_inbound_addr
    assert ('storage', 'eth2', 'declared') in classes and ('storage', 'stor0', 'observed') in classes
    assert ('external', 'eth3', 'declared') in classes and ('tunnel', 'eth1', 'observed') in classes
    findings = evaluate({'compute1': evidence})
    by = dict((c, [f['status'] for f in findings if f['control_id'] == c]) for c in
              (sto_rules.FRONTEND, sto_rules.REPLICATION, sto_rules.ENCRYPTION, net_rules.VPNAAS, net_rules.TUNNEL))
    assert by == {sto_rules.FRONTEND: ['fail'], sto_rules.REPLICATION: ['not_applicable'], sto_rules.ENCRYPTION: ['fail'],
                  net_rules.VPNAAS: ['not_applicable'], net_rules.TUNNEL: ['fail']}, by


def test_full_audit_playbook_with_attestation(netlab, tmp_path, tree):
    """The audit playbook end to end (real discovery, the sto and net channels, the report), then the same
    run with the operator's attestation answering the switch-level question of one host."""
    sw = netlab.switch()
    node = netlab.node('c1')
    node.nic('eth0', sw, 'mgmt', '10.99.0.11/24')
    node.nic('eth1', sw, 'tunnel', '10.99.3.11/24')
    node.nic('eth2', sw, 'storage', '10.99.1.11/24')
    node.route('default', via='10.99.0.1')
    root = tree(tmp_path / 'root', {
        '/etc/kolla/nova-compute/nova.conf': ('[libvirt]\nimages_type = rbd\nimages_rbd_ceph_conf = /etc/ceph/ceph.conf\n'
                                              'live_migration_inbound_addr = 10.99.3.11\n'),
        '/etc/kolla/nova-compute/ceph.conf': CEPH + 'ms_client_mode = secure\nms_mon_client_mode = secure\n',
        '/etc/kolla/neutron-openvswitch-agent/openvswitch_agent.ini': '[agent]\ntunnel_types = vxlan\n[ovs]\nlocal_ip = 10.99.3.11\n',
        '/etc/kolla/neutron-openvswitch-agent/neutron.conf': '[DEFAULT]\nservice_plugins = router\n',
    })

    def audit(attestations):
        out = tmp_path / ('out-%d' % len(attestations))
        inventory = tmp_path / 'inventory.json'
        inventory.write_text(json.dumps({'all': {
            'hosts': {'c1': {'ansible_connection': 'local', 'ansible_python_interpreter': sys.executable, 'audit_root': root,
                             'audit_sto_netns': node.name, 'network_interface': 'eth0', 'api_interface': 'eth0', 'tunnel_interface': 'eth1'}},
            'vars': {'audit_channels': ['sto', 'net'], 'report_output_dir': str(out), 'report_formats': ['json', 'scs'],
                     'report_attestations': attestations}}}))
        bindir = os.path.dirname(sys.executable)
        env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=collections_root(), ANSIBLE_CONFIG=os.path.join(REPO, 'ansible.cfg'), ANSIBLE_NOCOLOR='1',
                   ANSIBLE_LOCAL_TEMP=str(tmp_path / 'ansible-tmp'))
        proc = subprocess.run([os.path.join(bindir, 'ansible-playbook'), '-i', str(inventory), 'scs.secure_connections.audit'], env=env,
                              cwd=str(tmp_path), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=300, universal_newlines=True, check=False)
        assert proc.returncode == 0, proc.stdout
        report = json.loads((out / 'scs-0125-report.json').read_text())
        return dict((c['id'], c['status']) for c in report['controls'])

    status = audit([])
    assert (status[sto_rules.FRONTEND], status[sto_rules.REPLICATION], status[sto_rules.ENCRYPTION]) == ('manual', 'not_applicable', 'pass')
    assert (status[net_rules.VPNAAS], status[net_rules.TUNNEL]) == ('not_applicable', 'fail')
    status = audit([{'control_id': sto_rules.FRONTEND, 'host': 'c1', 'status': 'pass', 'by': 'network team',
                     'message': 'eth2 of c1 is cabled to the storage switches sw-sto-1/2, no other VLANs (ticket NET-42)'}])
    assert status[sto_rules.FRONTEND] == 'pass'
