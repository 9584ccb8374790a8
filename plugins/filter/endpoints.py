# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filters turning discovered listeners into TLS probe endpoints."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.errors import AnsibleFilterError

from ansible_collections.scs.secure_connections.plugins.module_utils._gather import tls_targets


def listener_endpoint(listener):
    """A discovered listener ``{address, port, process, ...}`` as a probe endpoint.

    Wildcard binds are probed on loopback of the same family; the label names the owning process.
    """
    if not isinstance(listener, dict) or 'port' not in listener:
        raise AnsibleFilterError('listener_endpoint expects a listener mapping with "address" and "port", got %r' % (listener,))
    return tls_targets.listener_endpoint(listener)


def unique_endpoints(endpoints):
    """Drop repeated ``host:port:starttls`` entries, keeping the first (declared ones come first)."""
    for endpoint in endpoints or []:
        if not isinstance(endpoint, dict) or 'host' not in endpoint or 'port' not in endpoint:
            raise AnsibleFilterError('unique_endpoints expects endpoint mappings with "host" and "port", got %r' % (endpoint,))
    return tls_targets.unique_endpoints(endpoints)


class FilterModule(object):
    def filters(self):
        return {'listener_endpoint': listener_endpoint, 'unique_endpoints': unique_endpoints}
