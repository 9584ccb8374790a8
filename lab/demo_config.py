# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the demo lab is made of (lab/demo.py starts it, tests/integration/spine/test_demo.py checks
the report against it).

Three local "nodes" (``ansible_connection: local``), in kolla-ansible's inventory groups:

==========  ==============================  ======================================================================
node        file tree it is audited from    real services audited there
==========  ==============================  ======================================================================
control-1   tests/fixtures/trees/kolla      TLS servers (nginx); MariaDB (db stage, audit_db_servers + STARTTLS
                                            probe); Keystone with a mixed catalog (api stage, probe host)
network-1   ``/`` (this machine, live)      TLS servers (haproxy); RabbitMQ with an AMQPS and a plain listener and
                                            pika clients on both (mq stage, live CLI through audit_mq_cli_env)
compute-1   tests/fixtures/trees/distro     TLS server (openssl); libvirtd: a TLS listener (client certificates
            (hv: ``/`` and ``/proc``)       checked against tls_allowed_dn_list, Mozilla priority) and a TCP
                                            listener without authentication on 0.0.0.0 in a private network
                                            namespace (hv stage)
==========  ==============================  ======================================================================

Why network-1 reads ``/``: the mq stage asks a running node only when ``audit_root`` is ``/``
(``channel_mq.yml``: ``live: audit_mq_live and audit_root in ['/', '']``), and the live connection
list is the point of the RabbitMQ part. Its discovery therefore describes this machine (no
OpenStack services), and its hv stage reads an empty tree (a network node has no hypervisor).
compute-1 keeps its fixture tree for discovery (nova's migration settings) and reads libvirt from
the live ``/`` and ``/proc`` (``audit_hv_root``/``audit_hv_proc_path``), where the lab's libvirtd runs.
"""

from __future__ import absolute_import, division, print_function

# The TLS corpus members each node fronts (lab/tls_servers.py has the expected verdict of each).
TLS_SERVERS = {
    'control-1': ['nginx-rsa', 'nginx-ecdsa', 'nginx-tls10'],
    'network-1': ['haproxy-good', 'haproxy-weak'],
    'compute-1': ['openssl-800days'],
}

# node -> inventory groups, fixture tree ('' = the live machine)
NODES = {
    'control-1': {'groups': ['control'], 'tree': 'kolla', 'tls': TLS_SERVERS['control-1']},
    'network-1': {'groups': ['network', 'rabbitmq'], 'tree': '', 'tls': TLS_SERVERS['network-1']},
    'compute-1': {'groups': ['compute'], 'tree': 'distro', 'tls': TLS_SERVERS['compute-1']},
}

# Real services: name -> the channel it feeds, the node it is audited from, what it is.
SERVICES = {
    'tls-corpus': {'channel': 'tls', 'node': None, 'what': 'nginx, haproxy and openssl s_server TLS listeners'},
    'mariadb': {'channel': 'db', 'node': 'control-1', 'what': 'MariaDB with TLS tuned to Mozilla intermediate, service accounts'},
    'rabbitmq': {'channel': 'mq', 'node': 'network-1', 'what': 'RabbitMQ with AMQPS (Mozilla ciphers/curves) and plain AMQP, pika clients'},
    'keystone': {'channel': 'api', 'node': 'control-1', 'what': 'Keystone behind nginx frontends, mixed service catalog'},
    'libvirt': {'channel': 'hv', 'node': 'compute-1', 'what': 'libvirtd over TLS (verified, DN list) and over TCP without auth'},
}
SERVICE_ORDER = ('tls-corpus', 'mariadb', 'rabbitmq', 'keystone', 'libvirt')

# Channels on fixture trees only (no real Ceph / Neutron here). Their stages are read-only
# (files under audit_root, `ip -j link/addr/route get`, ovs-vsctl/ovn-nbctl when installed); the
# Neutron API extension query is turned off (the lab's Keystone has no Neutron behind it).
FIXTURE_CHANNELS = ['net', 'sto']

# MariaDB: the audit's own login, and the label of the server in the report.
DB_LABEL = 'control-1/lab-mariadb'
DB_AUDIT_USER = 'scs_audit'
# MariaDB service accounts: lab.mariadb.SERVICE_ACCOUNTS (user, REQUIRE clause); every one of these
# users also appears in a database URL of the fixture trees, which makes it a service account.

# RabbitMQ clients held open during the audit: (oslo.messaging-style connection name, over TLS).
MQ_CLIENTS = (
    ('nova-conductor:4242:5f0e1d2c-demo', True),
    ('nova-compute:4243:7a9b3c4d-demo', False),
)

# libvirtd daemons on compute-1: key -> start_libvirtd keyword arguments (tls_priority added by the demo).
LIBVIRT_DAEMONS = {
    'libvirt-tls': {'mode': 'tls-dn', 'allowed': ('compute1',), 'mozilla': True},
    'libvirt-tcp': {'mode': 'tcp-none', 'netns': True},
}
# This node's own libvirt client identity (a client certificate issued by the lab CA for it).
LIBVIRT_CLIENT = 'compute1'

# Services the user may leave out (--without).
OPTIONAL = ('mariadb', 'rabbitmq', 'keystone', 'libvirt')

MANIFEST = 'demo-lab.json'
