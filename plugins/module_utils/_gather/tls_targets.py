# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""TLS probe targets (for tls_endpoint_info) from the listeners a gatherer observed.

One place turns a listener into an endpoint to probe: wildcard binds on loopback of the same
family when the probe runs on the node (``_core.netaddr.probe_host``), or on the node's address
when it runs elsewhere; repeated ``host:port:starttls`` dropped, the first kept.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.scs.secure_connections.plugins.module_utils._core.netaddr import is_loopback, is_wildcard, probe_host

RABBITMQ_TLS_PROTOCOLS = {'amqp/ssl': 'rabbitmq amqps', 'https': 'rabbitmq management https'}


def endpoint_key(endpoint):
    return (str(endpoint['host']).lower(), int(endpoint['port']), endpoint.get('starttls') or 'none')


def unique_endpoints(endpoints):
    """Drop repeated ``host:port:starttls`` entries, keeping the first (declared ones come first)."""
    seen, out = set(), []
    for endpoint in endpoints or []:
        key = endpoint_key(endpoint)
        if key not in seen:
            seen.add(key)
            out.append(endpoint)
    return out


def listener_endpoint(listener):
    """A listener discovery found ``{address, port, process, container}`` as an endpoint probed on the node."""
    address = str(listener.get('address') or '')
    label = '%s:%s' % (listener.get('process') or listener.get('container') or 'listener', listener['port'])
    return {'host': probe_host(address), 'port': int(listener['port']), 'starttls': 'none', 'label': label, 'source': 'discovered',
            'bind_address': address}


def remote_host(address, local, node_address):
    """The host to probe a listener on ``address`` on: from the node itself (``local``), else from elsewhere.

    From elsewhere a loopback listener cannot be reached (None) and a wildcard one is probed on
    ``node_address`` (None when that is empty).
    """
    if local:
        return probe_host(address)
    if is_loopback(address):
        return None
    if is_wildcard(address):
        return node_address or None
    return probe_host(address)


def libvirt_probe_targets(listeners, host_label, local=True, node_address=None):
    """Probes of libvirt's TLS listeners in the host's network namespace, one per host:port."""
    out = []
    for listener in listeners or []:
        if listener.get('transport') != 'tls' or (listener.get('netns') or 'host') != 'host':
            continue
        host = remote_host(listener.get('address'), local, node_address)
        if host:
            out.append({'host': host, 'port': int(listener['port']), 'label': 'libvirt %s %s' % (host_label, listener.get('endpoint')),
                        'source': 'hv'})
    return unique_endpoints(out)


def rabbitmq_probe_targets(listeners, probe_host_override=None, node_address=None, server_name=None):
    """Probes of RabbitMQ's AMQPS and management HTTPS listeners.

    ``probe_host_override`` replaces every listener's address; else a wildcard bind is probed on
    ``node_address`` (the probe may run elsewhere), any other on its address.
    """
    out = []
    for listener in listeners or []:
        label = RABBITMQ_TLS_PROTOCOLS.get(listener.get('protocol'))
        port = listener.get('port')
        if not label or not isinstance(port, int) or isinstance(port, bool):
            continue
        host = probe_host_override or probe_host(listener.get('address'), node_address)
        endpoint = {'host': host, 'port': port, 'label': label}
        if server_name:
            endpoint['server_name'] = server_name
        out.append(endpoint)
    return out
