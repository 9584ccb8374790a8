# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Builders of hand-written mq / discovery evidence for the rule tests (shapes per docs/architecture.md)."""

from __future__ import absolute_import, division, print_function

from ansible_collections.scs.secure_connections.plugins.module_utils._core.evaluator import RuleContext
from ansible_collections.scs.secure_connections.plugins.module_utils._gather.discovery import obsolete_rabbit_options
from ansible_collections.scs.secure_connections.plugins.module_utils._rules.mq import RULES
from ansible_collections.scs.secure_connections.tests.unit.tls import tls_samples


def listener(protocol, port, address='10.0.0.11', source='live'):
    loop = address in ('127.0.0.1', '::1')
    return {'protocol': protocol, 'address': address, 'port': port, 'loopback': loop,
            'all_interfaces': address in (None, '0.0.0.0', '::', '[::]'), 'source': source}


def conn(component, peer, port, ssl, service=None, name=None):
    return {'name': '%s:40000 -> 10.0.0.11:%s' % (peer, port), 'user': 'openstack', 'peer_host': peer, 'port': port, 'ssl': ssl,
            'ssl_protocol': 'tlsv1.3' if ssl else None, 'connection_name': name or ('%s:7:uuid' % component if component else None),
            'component': component, 'service': service or (component.split('-')[0] if component else None),
            'process': component, 'peer_loopback': peer.startswith('127.')}


def broker(listeners, conns=None, live_status='ok', conn_status='ok', live_error=None, config=None, node='rabbit@ctl1', check=None,
           source=None, present=True, failed=False):
    if source is None:
        source = 'live' if live_status == 'ok' else ('config' if (config or {}).get('found', True) else None)
    out = {
        'present': present, 'node': node,
        'config': dict({'found': True, 'errors': [], 'ssl_options': {'verify': 'verify_none'}, 'listeners': listeners}, **(config or {})),
        'live': {'status': live_status, 'error': live_error, 'listeners': listeners if live_status == 'ok' else [],
                 'connections': {'status': conn_status if live_status == 'ok' else 'skipped', 'error': None, 'items': conns or [],
                                 'truncated': False}},
        'listeners': listeners, 'listeners_source': source,
        'amqp_check': check or {'status': 'skipped', 'error': None},
    }
    if failed:
        out = {'failed': True, 'msg': 'boom'}
    return out


def endpoint(port, compliant=True, status='ok', host='10.0.0.11', error=None, changes=None):
    """A probe result of a broker port: observed data judged by the rules (``compliant=None``: ROBOT not tested)."""
    label = 'rabbitmq %s' % port
    if status != 'ok':
        return tls_samples.probe_error(host, port, label, error['kind'], error['message'], server_name='ctl1')
    if changes is None:
        changes = tls_samples.ROBOT_NOT_TESTED if compliant is None else {}
    return tls_samples.probe(host, port, label, changes, server_name='ctl1')


def url(host='10.0.0.11', port=5671, purpose='rpc', query=None, scheme='rabbit', section=None, file='/etc/kolla/nova-compute/nova.conf'):
    section = section or ('oslo_messaging_notifications' if purpose == 'notifications' else 'DEFAULT')
    hosts = [{'host': host, 'port': port, 'user': 'openstack'}]
    q = '&'.join('%s=%s' % kv for kv in (query or {}).items())
    out = {'file': file, 'section': section, 'option': 'transport_url', 'purpose': purpose,
           'url': '%s://openstack:********@%s%s/%s' % (scheme, host, ':%s' % port if port else '', '?' + q if q else ''),
           'scheme': scheme, 'hosts': hosts, 'virtual_host': '', 'query': dict(query or {})}
    out['obsolete_rabbit_options'] = obsolete_rabbit_options(out)   # as discovery records it
    return out


def service(component, urls, rabbit=None, kafka=None, name=None):
    return {'service': name or (component.split('-')[0] if component else None), 'component': component, 'layout': 'kolla',
            'files': [], 'errors': [], 'transport_urls': urls, 'rabbit': rabbit or {}, 'kafka': kafka or {}}


def host(channels=('mq',), brokers=None, endpoints=None, services=None, addresses=None, kafka=None, rabbitmq=None):
    ev = {'channels': list(channels),
          'discovery': {'services': services or [], 'infrastructure': {'kafka': kafka or [], 'rabbitmq': rabbitmq or []}, 'listeners': []}}
    if 'mq' in channels:
        ev['mq'] = {'brokers': brokers or [], 'tls': {'endpoints': endpoints or []}, 'addresses': addresses or []}
    return ev


def run(control, evidence, options=None):
    ctx = RuleContext(evidence, options=options or {})
    return RULES[control](ctx)


def statuses(findings):
    return sorted(f['status'] for f in findings)
