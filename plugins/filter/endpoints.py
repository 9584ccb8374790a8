# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filters turning discovered listeners into TLS probe endpoints."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.errors import AnsibleFilterError

from ansible_collections.scs.secure_connections.plugins.module_utils._core.netaddr import probe_host


def listener_endpoint(listener):
    """A discovered listener ``{address, port, process, ...}`` as a probe endpoint.

    Wildcard binds are probed on loopback of the same family; the label names the owning process.
    """
    if not isinstance(listener, dict) or 'port' not in listener:
        raise AnsibleFilterError('listener_endpoint expects a listener mapping with "address" and "port", got %r' % (listener,))
    address = str(listener.get('address') or '')
    host = probe_host(address)
    label = '%s:%s' % (listener.get('process') or listener.get('container') or 'listener', listener['port'])
    return {'host': host, 'port': int(listener['port']), 'starttls': 'none', 'label': label, 'source': 'discovered',
            'bind_address': address}


def unique_endpoints(endpoints):
    """Drop repeated ``host:port:starttls`` entries, keeping the first (declared ones come first)."""
    seen, out = set(), []
    for endpoint in endpoints or []:
        if not isinstance(endpoint, dict) or 'host' not in endpoint or 'port' not in endpoint:
            raise AnsibleFilterError('unique_endpoints expects endpoint mappings with "host" and "port", got %r' % (endpoint,))
        key = (str(endpoint['host']).lower(), int(endpoint['port']), endpoint.get('starttls') or 'none')
        if key not in seen:
            seen.add(key)
            out.append(endpoint)
    return out


class FilterModule(object):
    def filters(self):
        return {'listener_endpoint': listener_endpoint, 'unique_endpoints': unique_endpoints}
