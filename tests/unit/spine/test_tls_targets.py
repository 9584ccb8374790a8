# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""TLS probe targets from observed listeners: libvirt, RabbitMQ, discovery (wildcards, loopback, remote probes)."""

from __future__ import absolute_import, division, print_function

import pytest

from ansible_collections.scs.secure_connections.plugins.module_utils._gather import tls_targets as t


def lv(address, port=16514, transport='tls', netns='host', endpoint=None):
    return {'address': address, 'port': port, 'transport': transport, 'netns': netns, 'endpoint': endpoint or '%s:%s' % (address, port)}


@pytest.mark.parametrize('listener, local, node, host', [
    (lv('0.0.0.0'), True, None, '127.0.0.1'), (lv('::'), True, None, '::1'), (lv('*'), True, None, '127.0.0.1'),
    (lv(''), True, None, '127.0.0.1'), (lv('127.0.0.1'), True, None, '127.0.0.1'), (lv('10.0.0.5'), True, None, '10.0.0.5'),
    (lv('0.0.0.0'), False, '192.0.2.7', '192.0.2.7'), (lv('::'), False, 'cmp1.example', 'cmp1.example'),
    (lv('0.0.0.0'), False, '', None), (lv('127.0.0.1'), False, '192.0.2.7', None), (lv('::1'), False, '192.0.2.7', None),
    (lv('10.0.0.5'), False, '192.0.2.7', '10.0.0.5'),
    (lv('0.0.0.0', transport='tcp'), True, None, None), (lv('0.0.0.0', netns='qrouter-1'), True, None, None),
])
def test_libvirt_probe_targets(listener, local, node, host):
    out = t.libvirt_probe_targets([listener], 'cmp1', local=local, node_address=node)
    assert [e['host'] for e in out] == ([host] if host else [])
    for endpoint in out:
        assert endpoint['label'] == 'libvirt cmp1 %s' % listener['endpoint'] and endpoint['source'] == 'hv'


def test_libvirt_probe_targets_once_per_host_and_port():
    out = t.libvirt_probe_targets([lv('0.0.0.0'), lv('127.0.0.1'), lv('::')], 'cmp1')
    assert [(e['host'], e['port']) for e in out] == [('127.0.0.1', 16514), ('::1', 16514)]


@pytest.mark.parametrize('listener, override, node, host', [
    ({'protocol': 'amqp/ssl', 'port': 5671, 'address': '0.0.0.0'}, '', 'ctl1', 'ctl1'),
    ({'protocol': 'amqp/ssl', 'port': 5671, 'address': '[::]'}, '', 'ctl1', 'ctl1'),
    ({'protocol': 'amqp/ssl', 'port': 5671, 'address': None}, '', 'ctl1', 'ctl1'),
    ({'protocol': 'amqp/ssl', 'port': 5671, 'address': '*'}, '', '', '127.0.0.1'),
    ({'protocol': 'https', 'port': 15671, 'address': '::'}, '', '', '::1'),
    ({'protocol': 'https', 'port': 15671, 'address': '10.0.0.5'}, '', 'ctl1', '10.0.0.5'),
    ({'protocol': 'https', 'port': 15671, 'address': '10.0.0.5'}, 'vip.example', 'ctl1', 'vip.example'),
    ({'protocol': 'amqp', 'port': 5672, 'address': '0.0.0.0'}, '', 'ctl1', None),
    ({'protocol': 'amqp/ssl', 'port': '5671', 'address': '0.0.0.0'}, '', 'ctl1', None),
])
def test_rabbitmq_probe_targets(listener, override, node, host):
    out = t.rabbitmq_probe_targets([listener], override, node, server_name='rabbit.example')
    assert [e['host'] for e in out] == ([host] if host else [])
    for endpoint in out:
        assert endpoint['label'] in ('rabbitmq amqps', 'rabbitmq management https') and endpoint['server_name'] == 'rabbit.example'


@pytest.mark.parametrize('listener, host', [
    ({'address': '0.0.0.0', 'port': 443, 'process': 'nginx'}, '127.0.0.1'),
    ({'address': '::', 'port': 443, 'process': 'nginx'}, '::1'),
    ({'address': '*', 'port': 443}, '127.0.0.1'),
    ({'address': '', 'port': 443}, '127.0.0.1'),
    ({'address': '::ffff:10.0.0.5', 'port': 3306, 'container': 'mariadb'}, '10.0.0.5'),
])
def test_listener_endpoint_and_unique(listener, host):
    endpoint = t.listener_endpoint(listener)
    assert endpoint['host'] == host
    mysql = dict(endpoint, starttls='mysql')
    assert t.unique_endpoints([endpoint, dict(endpoint, label='again'), mysql]) == [endpoint, mysql]


def test_listeners_of_other_namespaces_are_never_probed_on_the_host():
    """A qrouter- namespace's haproxy on 9697 and a host listener on the same port: only the host's is probed."""
    from ansible_collections.scs.secure_connections.plugins.filter import endpoints as f
    listeners = [{'address': '0.0.0.0', 'port': 9697, 'netns': 'qrouter-5f1c', 'process': 'haproxy', 'container': None},
                 {'address': '0.0.0.0', 'port': 9697, 'netns': 'host', 'process': 'nginx', 'container': None}]
    here = f.host_netns_listeners(listeners)
    assert [l['process'] for l in here] == ['nginx']
    assert [f.listener_endpoint(l)['host'] for l in here] == ['127.0.0.1']
    assert f.other_netns_listeners(listeners) == [{'address': '0.0.0.0', 'port': 9697, 'netns': 'qrouter-5f1c', 'process': 'haproxy',
                                                   'container': None, 'reason': 'in network namespace qrouter-5f1c: not probed'}]


@pytest.mark.parametrize('address, node, host', [('192.0.2.10', None, '192.0.2.10'), (None, '10.0.0.11', '10.0.0.11'),
                                                 (None, None, None), ('127.0.0.1', '10.0.0.11', None), ('::', 'fd00::11', 'fd00::11')])
def test_configured_endpoints_from_another_host(address, node, host):
    item = {'source': 'haproxy', 'address': address, 'port': 443, 'starttls': 'none', 'what': 'haproxy frontend x ssl'}
    out = t.configured_endpoints([item], node)
    assert [e['host'] for e in out] == ([host] if host else [])
    for endpoint in out:
        assert endpoint['source'] == 'configured' and endpoint['label'] == 'haproxy frontend x ssl'


def test_configured_listeners_of_the_osa_fixture_tree():
    import os
    from ansible_collections.scs.secure_connections.plugins.module_utils._gather import discovery as di
    tree = os.path.join(os.path.dirname(__file__), '..', '..', 'fixtures', 'trees', 'osa')
    got = di.discover(tree, gather=['infrastructure'])['configured_listeners']
    assert ('haproxy', 'cloud.example.org', 5000) in [(c['source'], c['address'], c['port']) for c in got]
    assert ('rabbitmq', '172.29.238.211', 5671) in [(c['source'], c['address'], c['port']) for c in got]
    assert all(c['port'] != 16509 for c in got), 'libvirt plain TCP is not a TLS listener'
