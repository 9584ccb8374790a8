# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filters turning discovered listeners into TLS probe endpoints."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.errors import AnsibleFilterError

from ansible_collections.scs.secure_connections.plugins.module_utils._gather import tls_targets
from ansible_collections.scs.secure_connections.plugins.plugin_utils import evidence


def listener_endpoint(listener):
    """A discovered listener ``{address, port, process, ...}`` as a probe endpoint.

    Wildcard binds are probed on loopback of the same family; the label names the owning process.
    """
    if not isinstance(listener, dict) or 'port' not in listener:
        raise AnsibleFilterError('listener_endpoint expects a listener mapping with "address" and "port", got %r' % (listener,))
    return tls_targets.listener_endpoint(listener)


def unique_endpoints(endpoints):
    """Drop repeated ``host:port:starttls`` entries, keeping the first (declared ones come first)."""
    return tls_targets.unique_endpoints(evidence.mappings(endpoints, 'unique_endpoints endpoints', ('host', 'port')))


def configured_endpoints(listeners, node_address=None):
    """Discovery's ``configured_listeners`` as endpoints probed from another host (loopback ones dropped, wildcard ones
    on ``node_address``)."""
    listeners = evidence.mappings(listeners, 'configured_endpoints configured listeners', ('port',))
    return tls_targets.configured_endpoints(listeners, node_address or None)


def host_netns_listeners(listeners):
    """The discovered listeners of the host's own network namespace (the only ones probed on the host's addresses)."""
    return tls_targets.listener_probe_split(listeners)[0]


def other_netns_listeners(listeners):
    """The discovered listeners in other network namespaces, as ``{address, port, netns, process, container, reason}``:
    reported as not probed, never probed in the host's namespace."""
    return evidence.other_netns_listeners(listeners)


class FilterModule(object):
    def filters(self):
        return {'listener_endpoint': listener_endpoint, 'unique_endpoints': unique_endpoints, 'configured_endpoints': configured_endpoints,
                'host_netns_listeners': host_netns_listeners, 'other_netns_listeners': other_netns_listeners}
