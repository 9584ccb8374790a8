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


# --------------------------------------------------------------------------- configured listeners (files)


def _int_port(value, default=None):
    try:
        port = int(str(value).strip())
    except (TypeError, ValueError):
        return default
    return port if 0 < port < 65536 else default


def _configured(source, address, port, entry, file=None, line=None, starttls='none', what=None):
    return {'source': source, 'address': address or None, 'port': port, 'starttls': starttls, 'file': file or entry.get('file'),
            'line': line, 'container': entry.get('container'), 'component': entry.get('component'), 'what': what or source}


def _haproxy_listeners(entry):
    out = []
    for frontend in entry.get('frontends') or []:
        for bind in frontend.get('binds') or []:
            if not bind.get('ssl'):
                continue
            for addr in bind.get('addresses') or []:
                port = _int_port(addr.get('port'))
                if port and not addr.get('path'):
                    out.append(_configured('haproxy', addr.get('address'), port, entry, frontend.get('file'), bind.get('line'),
                                           what='haproxy %s %s ssl' % (frontend.get('type') or 'frontend', frontend.get('name'))))
    return out


def _nginx_listeners(entry):
    out = []
    for server in entry.get('servers') or []:
        for listen in server.get('listen') or []:
            port = _int_port(listen.get('port'))
            if listen.get('ssl') and port and not listen.get('path'):
                names = ' '.join(server.get('server_name') or []) or 'server'
                out.append(_configured('nginx', listen.get('address'), port, entry, server.get('file'), server.get('line'),
                                       what='nginx %s listen %s' % (names, listen.get('raw') or port)))
    return out


def _rabbitmq_listeners(entry):
    rabbit = entry.get('rabbit') or {}
    out = []
    for listener in (rabbit.get('listeners') or {}).get('ssl') or []:
        port = _int_port(listener.get('port'))
        if port:
            out.append(_configured('rabbitmq', listener.get('address'), port, entry, what='rabbitmq listeners.ssl'))
    mgmt = (rabbit.get('management') or {}).get('ssl')
    if isinstance(mgmt, dict):
        port = _int_port(mgmt.get('port'), 15671)
        out.append(_configured('rabbitmq', mgmt.get('ip'), port, entry, what='rabbitmq management.ssl'))
    return out


def _mysql_listeners(entry):
    server = entry.get('server') or {}
    if not (server.get('ssl_cert') and server.get('ssl_key')) and str(server.get('ssl')).lower() not in ('true', 'on', '1'):
        return []
    if server.get('skip_networking') not in (None, False) and str(server.get('skip_networking')).lower() not in ('0', 'off', 'false'):
        return []
    port = _int_port(server.get('port'), 3306)
    address = server.get('bind_address')
    address = None if address in (None, True, '*') else str(address).split(',', 1)[0].strip()
    return [_configured('mariadb', address, port, entry, starttls='mysql', what='mariadb server ssl (%s)' % (
        'ssl_cert/ssl_key' if server.get('ssl_cert') else 'ssl'))]


def _libvirt_listeners(entries):
    """libvirt's TLS socket: an enabled ``*-tls.socket`` unit, or ``listen_tls`` with ``--listen`` (kolla: its start script)."""
    out = []
    for entry in entries or []:
        if entry.get('kind') == 'socket_unit' and str(entry.get('unit') or '').endswith('-tls.socket') and entry.get('enabled'):
            for listen in entry.get('listen') or []:
                port = _int_port(listen.get('port'))
                if port:
                    out.append(_configured('libvirt', listen.get('address'), port, entry, what='libvirt %s' % entry['unit']))
        elif entry.get('kind') == 'daemon_config' and entry.get('component') == 'nova-libvirt':
            settings = entry.get('settings') or {}
            if str(settings.get('listen_tls', 1)) not in ('0',):
                out.append(_configured('libvirt', settings.get('listen_addr'), _int_port(settings.get('tls_port'), 16514), entry,
                                       line=(entry.get('lines') or {}).get('listen_tls'),
                                       what='libvirt listen_tls (kolla nova_libvirt runs libvirtd --listen)'))
    return out


def _proxysql_listeners(entry):
    frontend = entry.get('frontend') or {}
    if not frontend.get('ssl'):
        return []
    return [_configured('proxysql', listener.get('address'), listener['port'], entry, starttls='mysql',
                        what='proxysql mysql-have_ssl frontend') for listener in frontend.get('listeners') or [] if listener.get('port')]


def configured_listeners(infrastructure):
    """The TLS listeners the infrastructure files configure: ``[{source, address, port, starttls, file, line, container,
    component, what}]`` (``address`` None = every address). They are targets whether or not anything probes them."""
    infrastructure = infrastructure or {}
    out = []
    for entry in infrastructure.get('haproxy') or []:
        out += _haproxy_listeners(entry)
    for entry in infrastructure.get('nginx') or []:
        out += _nginx_listeners(entry)
    for entry in infrastructure.get('rabbitmq') or []:
        out += _rabbitmq_listeners(entry)
    for entry in infrastructure.get('mysql') or []:
        out += _mysql_listeners(entry)
    for entry in infrastructure.get('proxysql') or []:
        out += _proxysql_listeners(entry)
    out += _libvirt_listeners(infrastructure.get('libvirt'))
    seen, unique = set(), []
    for item in out:
        key = (item['source'], str(item['address']).lower(), item['port'], item.get('container'))
        if key not in seen:
            seen.add(key)
            unique.append(item)
    return unique


def configured_endpoints(listeners, node_address=None):
    """Configured listeners as probe endpoints from another host (``audit_tls_probe_from``): loopback ones are skipped,
    wildcard ones go to ``node_address`` (skipped without one)."""
    out = []
    for item in listeners or []:
        host = remote_host(item.get('address') or '0.0.0.0', False, node_address)
        if host:
            out.append({'host': host, 'port': int(item['port']), 'starttls': item.get('starttls') or 'none', 'source': 'configured',
                        'label': item.get('what') or item.get('source')})
    return unique_endpoints(out)


def listener_probe_split(listeners):
    """(probed here, not probed) for discovered listeners: a listener in another network namespace than the host's is
    never probed on the host's addresses (something else, or nothing, listens there)."""
    here, elsewhere = [], []
    for listener in listeners or []:
        netns = listener.get('netns') or 'host'
        (here if netns == 'host' else elsewhere).append(listener)
    return here, elsewhere
