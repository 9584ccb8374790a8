# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Record ``sto-snapshot-*.yml``: the real ``storage_network_info`` gatherer (``_gather/storage.gather``) over small
configuration snapshots without their node's ``sys/`` and ``proc/`` (a developer tool, not run by the tests).

    .venv/bin/python tests/controls/_shared/record_sto_snapshots.py

Each tree below is written to a temp dir, gathered as a snapshot (nothing runs, the network is not observable) and
written with the temp root replaced by ``/srv/snap``. Scenarios reference them with ``$shared: sto-snapshot-<name>``
(the ``sto`` evidence, or ``net.network``).
"""

from __future__ import absolute_import, division, print_function

import os
import sys
import tempfile

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, '..', '..', '..'))
sys.path.insert(0, REPO)
from lab.paths import collections_root  # noqa: E402
sys.path.insert(0, collections_root())
from ansible_collections.scs.secure_connections.plugins.module_utils._gather import storage  # noqa: E402

SERVER = '[DEFAULT]\ncore_plugin = ml2\nservice_plugins = router\n[database]\nconnection = mysql+pymysql://neutron:x@10.0.0.10/neutron\n'
OVS_AGENT = '[agent]\ntunnel_types = vxlan\n[ovs]\nlocal_ip = 10.99.3.1\n'
CEPH = '[global]\nmon_host = 10.99.1.10\npublic_network = 10.99.1.0/24\n%s'
SECURE = ''.join('%s = secure\n' % o for o in ('ms_cluster_mode', 'ms_service_mode', 'ms_client_mode', 'ms_mon_cluster_mode',
                                               'ms_mon_service_mode', 'ms_mon_client_mode'))
TREES = {
    # a controller without storage: neutron-server and its ML2 configuration (VXLAN, this node terminates no tunnel)
    'controller': {
        '/etc/neutron/neutron.conf': SERVER,
        '/etc/neutron/plugins/ml2/ml2_conf.ini': '[ml2]\ntype_drivers = flat,vxlan\ntenant_network_types = vxlan\n'
                                                 'mechanism_drivers = openvswitch\n',
        '/lib/systemd/system/neutron-server.service': '[Service]\nExecStart=/usr/bin/neutron-server\n',
    },
    # a compute node: OVS agent with a tunnel endpoint, Ceph client (RBD) with Ceph's default msgr2 modes
    'compute': {
        '/etc/neutron/plugins/ml2/openvswitch_agent.ini': OVS_AGENT,
        '/etc/ceph/ceph.conf': CEPH % '',
        '/etc/nova/nova.conf': '[libvirt]\nimages_type = rbd\nimages_rbd_ceph_conf = /etc/ceph/ceph.conf\n',
    },
    # a Ceph client whose every msgr2 mode is "secure": encrypted by the protocol, whatever the route
    'compute-secure': {'/etc/ceph/ceph.conf': CEPH % SECURE},
    # an OVN chassis: ML2/OVN, the tunnel endpoint (ovn-encap-ip) is in the OVS database, not in a file
    'ovn-chassis': {
        '/etc/neutron/plugins/ml2/ml2_conf.ini': '[ml2]\ntenant_network_types = geneve\nmechanism_drivers = ovn\n',
        '/etc/openvswitch/conf.db': 'OVSDB JSON 0 0\n',
    },
    # a Ceph OSD node whose ceph.conf has no cluster_network
    'osd-no-cluster-network': {'/etc/ceph/ceph.conf': CEPH % '', '/var/lib/ceph/osd/ceph-0/whoami': '0\n'},
    # a Ceph OSD node with a cluster_network of its own
    'osd-cluster-network': {'/etc/ceph/ceph.conf': CEPH % 'cluster_network = 10.99.2.0/24\n', '/var/lib/ceph/osd/ceph-0/whoami': '0\n'},
    # Cinder's NFS backend whose shares file is missing: the storage the node uses cannot be read
    'nfs-shares-missing': {
        '/etc/cinder/cinder.conf': '[DEFAULT]\nenabled_backends = nfs\n[nfs]\nvolume_driver = cinder.volume.drivers.nfs.NfsDriver\n'
                                   'nfs_shares_config = /etc/cinder/nfs_shares\n',
    },
}


class _Dumper(yaml.SafeDumper):
    """Lists indented under their key (yamllint's default "indentation" rule)."""

    def increase_indent(self, flow=False, indentless=False):
        return super(_Dumper, self).increase_indent(flow, False)


def _replace(value, old, new):
    if isinstance(value, dict):
        return dict((k, _replace(v, old, new)) for k, v in value.items())
    if isinstance(value, list):
        return [_replace(v, old, new) for v in value]
    return value.replace(old, new) if isinstance(value, str) else value


def record(name, files):
    with tempfile.TemporaryDirectory() as root:
        for path, text in files.items():
            full = os.path.join(root, path.lstrip('/'))
            os.makedirs(os.path.dirname(full), exist_ok=True)
            with open(full, 'w') as handle:
                handle.write(text)
        result = storage.gather(root=root)
        result = _replace(result, root, '/srv/snap')
    head = '# storage_network_info over a configuration snapshot "%s" without sys/ and proc/ (recorded by record_sto_snapshots.py;\n' \
           '# files: %s)\n' % (name, ', '.join(sorted(files)))
    with open(os.path.join(HERE, 'sto-snapshot-%s.yml' % name), 'w') as handle:
        handle.write(head + yaml.dump(result, Dumper=_Dumper, sort_keys=True, width=140, default_flow_style=False))


def main():
    for name, files in sorted(TREES.items()):
        record(name, files)


if __name__ == '__main__':
    main()
