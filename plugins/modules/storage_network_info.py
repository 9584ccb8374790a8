#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: storage_network_info
short_description: Which NICs carry a node's storage, replication, tunnel, API and external traffic
version_added: 0.1.0
description:
  - Read-only gatherer for the C(sto) and C(net) channels of scs-0125-v1. It never judges; the
    collection's evaluator does.
  - Finds the storage addresses the node talks to or serves - Ceph C(mon_host), C(public_network),
    C(cluster_network) and the messenger modes C(ms_cluster_mode), C(ms_service_mode),
    C(ms_client_mode) from every C(ceph.conf); iSCSI targets (C(target_ip_address),
    C(iscsi_ip_address), the secondary lists, the LVM C(my_ip) default) and NFS shares
    (C(nfs_shares_config) file contents, C(nas_host)) from Cinder; Ceph configs named by Nova
    C([libvirt] images_rbd_ceph_conf), Glance C(rbd_store_ceph_conf) and Cinder C(rbd_ceph_conf).
  - Routes every address the way the kernel would (C(ip -j route get), or longest-prefix match over
    C(/proc/net/route) and C(/proc/net/ipv6_route) when C(ip) is missing) and resolves the egress
    interface down to the NICs under it through VLANs, macvlans, bonds, Linux and Open vSwitch
    bridges; a WireGuard device (kernel, or C(wireguard-go) recognised with C(wg show interfaces))
    resolves to the NICs carrying its encrypted packets.
  - Resolves the interfaces the operator declares per traffic class (kolla-ansible's
    C(network_interface), C(api_interface), C(tunnel_interface), C(neutron_external_interface),
    C(migration_interface), C(storage_interface), C(cluster_interface)) the same way, so the result
    holds one table - traffic class, interface, NICs - per node.
  - For Neutron it reads C([DEFAULT] service_plugins), tunnel endpoints (C([ovs] local_ip),
    C([vxlan] local_ip), OVN C(external_ids:ovn-encap-ip)), the OVS tunnel ports' remote IPs and OVN
    C(NB_Global ipsec).
  - Missing tools never stop the module; C(notes) and C(errors) name them (C(ip) missing - procfs
    fallback; C(ceph-conf) missing - collection parser; C(wg) missing - userspace WireGuard not
    recognised; C(ovs-vsctl) / C(ovn-nbctl) missing - OVN facts not assessable).
author:
  - scs.secure_connections contributors (@SovereignCloudStack)
options:
  root:
    description:
      - Root of the file tree the configuration files are read from (a snapshot works too).
      - For a root other than C(/) without O(netns) (a snapshot) no command (C(ip), C(wg), C(ceph-conf), C(ovs-vsctl),
        C(ovn-nbctl)) runs on the auditing host on its behalf, and interfaces and routes come only from the snapshot's
        own C(sys/) and C(proc/) (O(sys_path)/O(proc_path) left at their defaults); without them the network is not
        gathered and RV(errors) says why. With O(netns) the live namespace named is read (see O(sys_path), O(netns)).
    type: path
    default: /
  sys_path:
    description: Mount point of sysfs to read interfaces from.
    type: path
    default: /sys
  proc_path:
    description: Mount point of procfs to read routing tables from (fallback when C(ip) is missing).
    type: path
    default: /proc
  netns:
    description:
      - Named network namespace (C(ip netns)) whose interfaces and routes are read instead of the
        node's own. C(ip) commands then run with C(-n NETNS); sysfs and procfs are read by a child
        process started with C(ip netns exec NETNS).
    type: str
  route_source:
    description:
      - How egress interfaces are found. V(auto) uses C(ip route get) when C(ip) is installed
        (policy routing included), else the procfs routing tables. V(proc) forces the procfs
        longest-prefix match (main table only).
    type: str
    choices: [auto, ip, proc]
    default: auto
  traffic_interfaces:
    description:
      - Interface name (or list of names) per traffic class, usually the kolla-ansible inventory
        variables. Keys - V(management) (C(network_interface)), V(api) (C(api_interface)),
        V(tunnel) (C(tunnel_interface)), V(external) (C(neutron_external_interface)), V(migration)
        (C(migration_interface)), V(storage) (C(storage_interface)), V(cluster) (C(cluster_interface)).
        Empty values are ignored.
    type: dict
    default: {}
  traffic_addresses:
    description:
      - Address (or list) per traffic class; the interface holding the address is used (for example
        C(migration) from Nova's C(live_migration_inbound_addr)).
    type: dict
    default: {}
  config_files:
    description:
      - OpenStack configuration files (logical paths under O(root)) to read, usually the C(files) of
        discovery's Cinder, Nova, Glance and Neutron services, in addition to the well-known paths of
        the distribution and kolla-ansible layouts (C(/etc/{cinder,nova,glance,neutron}/...),
        C(/etc/neutron/plugins/ml2/*.ini), C(/etc/kolla/*/{cinder,nova,glance-api,neutron}.conf),
        C(/etc/kolla/*/{ml2_conf,openvswitch_agent,linuxbridge_agent}.ini)), which are always searched.
    type: list
    elements: path
    default: []
  ceph_conf_files:
    description:
      - Ceph configuration files to read in addition to C(/etc/ceph/*.conf),
        C(/etc/kolla/*/ceph*.conf) and those the OpenStack files reference.
    type: list
    elements: path
    default: []
  storage_node:
    description:
      - Whether the operator's inventory says this node is a storage (Ceph OSD) node. Recorded for
        the evaluator; OSD data directories under C(/var/lib/ceph) are detected anyway.
    type: bool
  ovs_vsctl_command:
    description: Command to run C(ovs-vsctl) (for example V([docker, exec, openvswitch_vswitchd, ovs-vsctl])).
    type: list
    elements: str
    default: [ovs-vsctl]
  ovn_nbctl_command:
    description: Command to run C(ovn-nbctl) (for example V([docker, exec, ovn_northd, ovn-nbctl])).
    type: list
    elements: str
    default: [ovn-nbctl]
  ovn_nb_db:
    description: OVN northbound database for C(ovn-nbctl --db) (for example V(tcp:10.0.0.10:6641)).
    type: str
  timeout:
    description: Timeout in seconds for every command the module runs.
    type: int
    default: 10
extends_documentation_fragment:
  - scs.secure_connections.attributes
attributes:
  check_mode:
    details: The module only reads.
notes:
  - Needs root to read C(/etc/ceph) and the Neutron/Cinder configuration, and for C(wg show).
  - What no machine can see - whether the NICs are cabled to physically separate switches - is left
    to the auditor; the evaluator asks that question as a C(manual) finding.
seealso:
  - name: scs-0125-v1 Secure Connections
    description: The standard whose storage and Neutron sections this module gathers evidence for.
    link: https://docs.scs.community/standards/scs-0125-v1-secure-connections
  - name: Ceph network configuration reference
    description: public_network, cluster_network and the messenger v2 modes.
    link: https://docs.ceph.com/en/latest/rados/configuration/network-config-ref/
"""

EXAMPLES = r"""
- name: Storage paths and traffic classes of this node (kolla-ansible inventory variables)
  scs.secure_connections.storage_network_info:
    traffic_interfaces:
      management: "{{ network_interface | default('') }}"
      api: "{{ api_interface | default('') }}"
      tunnel: "{{ tunnel_interface | default('') }}"
      external: "{{ neutron_external_interface | default('') }}"
      storage: "{{ storage_interface | default('') }}"
      cluster: "{{ cluster_interface | default('') }}"
  become: true
  register: sto

- name: Read a network namespace (as the integration tests do)
  scs.secure_connections.storage_network_info:
    netns: storage-node-1
    root: /srv/snapshots/storage-node-1
  register: ns

- name: Kolla runs Open vSwitch and OVN in containers
  scs.secure_connections.storage_network_info:
    ovs_vsctl_command: [docker, exec, openvswitch_vswitchd, ovs-vsctl]
    ovn_nbctl_command: [docker, exec, ovn_northd, ovn-nbctl]
  become: true
  register: net
"""

RETURN = r"""
root:
  description: The O(root) the files were read from.
  returned: always
  type: str
  sample: /
netns:
  description: The network namespace read, or null for the node's own.
  returned: always
  type: str
  sample: null
route_source:
  description: How routes were looked up - C(ip) or C(proc); null when the network could not be read.
  returned: always
  type: str
  sample: ip
tools:
  description: Path of each tool the module uses, null when not installed.
  returned: always
  type: dict
  sample: {"ip": "/usr/sbin/ip", "wg": "/usr/bin/wg", "ceph-conf": null}
notes:
  description: What was used in place of a missing tool, and other limits of this result.
  returned: always
  type: list
  elements: str
  sample: ["ceph-conf (ceph-common) is not installed: Ceph configuration parsed with the collection parser (_ceph_conf.parse_ceph_conf) and Ceph defaults"]
errors:
  description: What could not be read or resolved; each with C(component) (and C(file) where one is concerned) and C(message).
  returned: always
  type: list
  elements: dict
  sample: [{"component": "traffic", "message": "traffic_interfaces.api: interface eth9 does not exist on this node"}]
interfaces:
  description:
    - Every interface with C(name), C(kind) (physical, veth, vlan, macvlan, bond, bridge, openvswitch,
      wireguard, tun, loopback, ...), C(physical) (has a bus device), C(driver), C(operstate), C(mac),
      C(addresses) (CIDR), C(master), C(lower), C(members), C(vlan_id), C(wireguard), C(wireguard_source).
  returned: always
  type: list
  elements: dict
  sample: [{"name": "bond0.30", "kind": "vlan", "physical": false, "addresses": ["10.99.1.2/24"], "lower": ["bond0"], "vlan_id": 30,
            "master": null, "members": [], "wireguard": false, "wireguard_source": null, "driver": null, "operstate": "UP", "mac": "52:54:00:12:34:56"}]
default_route_interfaces:
  description: Interfaces carrying the default routes.
  returned: always
  type: list
  elements: str
  sample: [eth0]
ceph:
  description:
    - One entry per Ceph configuration file - C(file), C(origin), C(parser) (C(ceph-conf) or
      C(parse_ceph_conf)), C(parser_note), C(sections), C(entities) (effective values of mon_host,
      public/cluster_network and the ms_*_mode options per entity such as C(client.cinder) and
      C(osd.0)), C(mon_host), C(mons) (C(host), C(port), C(protocol) v1/v2/any), C(public_network),
      C(cluster_network), C(errors).
  returned: always
  type: list
  elements: dict
  sample: [{"file": "/etc/ceph/ceph.conf", "parser": "ceph-conf", "public_network": ["10.99.1.0/24"], "cluster_network": ["10.99.2.0/24"],
            "entities": {"client.admin": {"ms_client_mode": "secure"}, "osd.0": {"ms_cluster_mode": "secure", "ms_service_mode": "secure"}},
            "mons": [{"host": "10.99.1.10", "port": 3300, "protocol": "v2"}]}]
ceph_daemons:
  description: Ceph daemons with a data directory on this node, by type.
  returned: always
  type: dict
  sample: {"osd": ["ceph-0", "ceph-1"]}
storage_node:
  description: The O(storage_node) option as given.
  returned: always
  type: bool
  sample: null
storage_targets:
  description:
    - Every storage address with its source (C(kind) ceph-mon, ceph-public-network, iscsi, nfs;
      C(host), C(port), C(role) client/served, C(service), C(file), C(section), C(option),
      C(mount_options) for NFS), its route (C(address), C(interface), C(gateway), C(local), C(method)
      or C(error)) and the NICs under the interface (C(chain), C(nics), C(physical_nics),
      C(virtual_nics), C(wireguard)).
    - Where the network could not be read (a snapshot without its node's C(sys/) and C(proc/)) the targets are listed
      as configured, unrouted - C(routed) false and C(not_routed) the reason.
  returned: always
  type: list
  elements: dict
  sample: [{"kind": "ceph-mon", "host": "10.99.1.10", "port": 3300, "address": "10.99.1.10", "interface": "bond0.30",
            "chain": ["bond0.30 (vlan 30 over bond0)", "bond0 (bond over eth2, eth3)", "eth2 (physical)", "eth3 (physical)"],
            "nics": ["eth2", "eth3"], "physical_nics": ["eth2", "eth3"], "virtual_nics": [], "wireguard": [], "method": "ip route get"}]
traffic:
  description:
    - The table traffic class -> interface -> NICs. One row per class and interface with C(class)
      (management, api, tunnel, external, migration, storage, cluster, default), C(interface),
      C(origins) (why this row exists - option, route to a storage address, address in a Ceph
      network), C(source) (C(declared) by the operator or C(observed) from routes and configuration),
      C(exists), C(chain), C(nics), C(physical_nics), C(virtual_nics), C(wireguard).
  returned: always
  type: list
  elements: dict
  sample: [{"class": "storage", "interface": "bond0.30", "origins": ["route to ceph-mon 10.99.1.10:3300 (/etc/ceph/ceph.conf mon_host)"],
            "source": "observed", "exists": true, "chain": ["bond0.30 (vlan 30 over bond0)"], "nics": ["eth2", "eth3"],
            "physical_nics": ["eth2", "eth3"], "virtual_nics": [], "wireguard": []}]
neutron:
  description:
    - Neutron facts - C(files), C(service_plugins) (per neutron.conf - C(file), C(server), C(server_evidence) (kolla
      container directory, service units), C(set), C(plugins), C(vpnaas)), C(tunnel_types), C(mechanism_drivers), C(local_ips),
      C(tunnel_endpoints) and C(tunnel_peers) (routed and resolved like storage targets), C(ovs)
      (C(available), C(ovn_encap_ip), C(ovn_encap_type), C(tunnel_ports), C(errors)) and C(ovn_ipsec)
      (C(available), C(ipsec) true/false/null, C(error)).
    - Where the network could not be read, C(tunnel_endpoints) are unrouted (C(routed) false, C(not_routed)), no OVS/OVN
      tool is asked, and C(ovs.chassis_files) lists the OVN/OVS chassis files of the tree (whose tunnel endpoint lives in
      the OVS database).
  returned: always
  type: dict
  sample: {"service_plugins": [{"file": "/etc/neutron/neutron.conf", "server": true, "set": true, "plugins": ["router", "vpnaas"], "vpnaas": true}],
           "tunnel_endpoints": [{"address": "10.99.3.2", "origin": "/etc/neutron/plugins/ml2/openvswitch_agent.ini [ovs] local_ip",
                                 "interface": "wg-tun", "wireguard": ["wg-tun"]}],
           "ovn_ipsec": {"available": false, "ipsec": null, "error": "ovn-nbctl is not installed"}}
config_files:
  description:
    - OpenStack configuration files read, with the service each belongs to; C(inert) on a cinder.conf whose backends
      name no storage target because cinder-volume does not read it on this node (with the evidence).
  returned: always
  type: list
  elements: dict
  sample: [{"file": "/etc/kolla/cinder-volume/cinder.conf", "service": "cinder"}]
configuration_read:
  description:
    - True when the configuration scan ran (C(config_files), C(ceph), C(ceph_daemons), C(neutron) settings). It runs even
      where the interfaces and routes could not be read (C(route_source) null), so what the files decide is decided.
  returned: always
  type: bool
  sample: true
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.scs.secure_connections.plugins.module_utils._core.sanitize import clean
from ansible_collections.scs.secure_connections.plugins.module_utils._core.secrets import mask_secrets
from ansible_collections.scs.secure_connections.plugins.module_utils._gather.storage import TRAFFIC_CLASSES, gather
from ansible_collections.scs.secure_connections.plugins.module_utils._gather.specs import STO_SPEC as ARGUMENT_SPEC


def main():
    module = AnsibleModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    p = module.params
    if p['timeout'] <= 0:
        module.fail_json(msg='timeout must be a positive number of seconds, got %s' % p['timeout'])
    unknown = sorted((set(p['traffic_interfaces']) | set(p['traffic_addresses'])) - set(TRAFFIC_CLASSES))
    if unknown:
        module.fail_json(msg='unknown traffic class(es) %s: use %s' % (', '.join(unknown), ', '.join(TRAFFIC_CLASSES)))
    if not p['ovs_vsctl_command'] or not p['ovn_nbctl_command']:
        module.fail_json(msg='ovs_vsctl_command and ovn_nbctl_command must not be empty')
    result = gather(
        root=p['root'], sys_path=p['sys_path'], proc_path=p['proc_path'], netns=p['netns'],
        which=module.get_bin_path, route_source=p['route_source'],
        traffic_interfaces=p['traffic_interfaces'], traffic_addresses=p['traffic_addresses'],
        config_files=p['config_files'], ceph_conf_files=p['ceph_conf_files'], storage_node=p['storage_node'],
        ovs_vsctl_command=p['ovs_vsctl_command'], ovn_nbctl_command=p['ovn_nbctl_command'], ovn_nb_db=p['ovn_nb_db'],
        timeout=p['timeout'], module=module,
    )
    module.exit_json(changed=False, **clean(mask_secrets(result)))


if __name__ == '__main__':
    main()
