# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Real RabbitMQ nodes for the mq integration tests, started once per session and in parallel.

    tls     AMQPS only (listeners.tcp = none), Mozilla intermediate ciphers and curves, HTTPS management
    mixed   AMQPS + plain AMQP, Erlang's default TLS offer (fails Mozilla: CBC suites, small curves)
    plain   plain AMQP only
    net     AMQPS + plain AMQP + plain HTTP management on 10.99.0.11 in a network namespace ("ctl"), with clients connecting
            from another namespace ("cmp", 10.99.0.21) over a veth "switch": a plain listener on a
            non-loopback address that is really used from the network (needs root for ip netns)

Real pika clients stay connected for the whole session, with oslo.messaging-style connection names
(``<process>:<pid>:<uuid>``) so the broker's connection list attributes them to services.
"""

from __future__ import absolute_import, division, print_function

import os
import shutil
import ssl
import tempfile

import pika
import pytest

from lab import rabbitmq as labmq
from lab.netns import NetLab, can_create_netns
from lab.pki import CA
from mqint import NET_BROKER, NET_CLIENT

REASON = labmq.available()

# client connections held open: node -> [(connection_name, tls)]
CLIENTS = {
    'tls': [('nova-conductor:1101:6a1e0c9e', True)],
    'mixed': [('nova-conductor:2201:0b3f', True), ('nova-compute:2202:9c2d', False), ('cinder-volume:2203:77aa', False)],
    'plain': [('nova-compute:3301:5e1f', False)],
    'net': [('nova-compute:4401:1d2c', False), ('neutron-openvswitch-agent:4402:8e9f', True)],
}


class Lab(object):
    def __init__(self, base, ca, nodes, netns=None, netns_reason=None):
        self.base, self.ca, self.nodes = base, ca, nodes
        self.netns = netns or {}            # 'ctl' / 'cmp' -> ip netns name
        self.netns_reason = netns_reason    # why there is no "net" node
        self.connections = []

    def connect(self, key, connection_name, tls):
        node = self.nodes[key]
        if key == 'net':
            return labmq.in_netns(self.netns['cmp'], self._connect, node, NET_BROKER, connection_name, tls)
        return self._connect(node, '127.0.0.1', connection_name, tls)

    def _connect(self, node, address, connection_name, tls):
        creds = pika.PlainCredentials(node.user, node.password)
        ssl_options = None
        port = node.amqp_port
        if tls:
            ctx = ssl.create_default_context(cafile=node.ca_file)
            ssl_options = pika.SSLOptions(ctx, 'localhost')
            port = node.amqps_port
        params = pika.ConnectionParameters(address, port, '/', creds, ssl_options=ssl_options, heartbeat=0,
                                           blocked_connection_timeout=10, socket_timeout=10, connection_attempts=3, retry_delay=1,
                                           client_properties={'connection_name': connection_name, 'product': 'scs-lab-client'})
        conn = pika.BlockingConnection(params)
        self.connections.append(conn)
        return conn

    def close(self):
        for conn in self.connections:
            try:
                conn.close()
            except Exception:  # pylint: disable=broad-except
                pass


@pytest.fixture(scope='session')
def mq_lab():
    if REASON:
        pytest.skip('RabbitMQ cannot run here: %s' % REASON)
    base = tempfile.mkdtemp(prefix='scs-mq-')
    ca = CA(os.path.join(base, 'pki'))
    specs = {
        'tls': dict(tls=True, plain=False, management=True, ciphers=labmq.MOZILLA_INTERMEDIATE_CIPHERS + labmq.TLS13_SUITES,
                    eccs=labmq.MOZILLA_CURVES),
        'mixed': dict(tls=True, plain=True),
        'plain': dict(tls=False, plain=True),
    }
    net, netns, reason = None, {}, None
    ok, reason = can_create_netns()
    if ok:
        net = NetLab()
        switch = net.switch()
        for short, address in (('ctl', NET_BROKER), ('cmp', NET_CLIENT)):
            ns = net.node(short)
            ns.nic('eth0', switch, 'mgmt', '%s/24' % address)
            netns[short] = ns.name
        # plain HTTP management on the network address: the broker accounts' passwords in clear
        specs['net'] = dict(tls=True, plain=True, host=NET_BROKER, netns=netns['ctl'], management=True, management_tls=False,
                            ciphers=labmq.MOZILLA_INTERMEDIATE_CIPHERS + labmq.TLS13_SUITES, eccs=labmq.MOZILLA_CURVES)
    nodes = {}
    try:
        nodes = labmq.start_many(base, specs, ca=ca)
        lab = Lab(base, ca, nodes, netns, reason)
        try:
            for key, clients in CLIENTS.items():
                if key in nodes:
                    for name, tls in clients:
                        lab.connect(key, name, tls)
            yield lab
        finally:
            lab.close()
    finally:
        labmq.stop_many(nodes.values())
        if net is not None:
            net.close()
        shutil.rmtree(base, ignore_errors=True)
