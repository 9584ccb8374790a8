# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Neutron API extension list (``GET /v2.0/extensions``) as evidence for VPNaaS."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

# Extension aliases neutron-vpnaas registers (the API itself, and its later additions).
VPNAAS_ALIASES = ('vpnaas', 'vpn-endpoint-groups', 'vpn-flavors', 'vpnaas-flavors')

EMPTY_RESULT = {
    'status': 'error', 'error': None, 'endpoint': None, 'auth_url': None, 'region_name': None,
    'extensions': [], 'aliases': [], 'vpnaas': None, 'vpnaas_aliases': [],
}


def _attr(obj, name):
    value = getattr(obj, name, None)
    if value is None and isinstance(obj, dict):
        value = obj.get(name)
    return value


def collect_extensions(conn):
    """Read the extension list through an openstacksdk connection ``conn``."""
    result = dict(EMPTY_RESULT)
    items = []
    for ext in conn.network.extensions():
        items.append({'alias': _attr(ext, 'alias'), 'name': _attr(ext, 'name'), 'updated_at': _attr(ext, 'updated_at')})
    items.sort(key=lambda e: e['alias'] or '')
    aliases = [e['alias'] for e in items if e['alias']]
    found = [a for a in aliases if a in VPNAAS_ALIASES]
    try:
        endpoint = conn.network.get_endpoint()
    except Exception:  # pylint: disable=broad-except
        # the endpoint is informative only
        endpoint = None
    try:
        auth_url = (conn.config.config.get('auth') or {}).get('auth_url')
        region = conn.config.get_region_name() if hasattr(conn.config, 'get_region_name') else conn.config.config.get('region_name')
    except Exception:  # pylint: disable=broad-except
        auth_url, region = None, None
    result.update({
        'status': 'ok', 'error': None, 'endpoint': endpoint if isinstance(endpoint, str) else None,
        'auth_url': auth_url if isinstance(auth_url, str) else None, 'region_name': region if isinstance(region, str) else None,
        'extensions': items, 'aliases': aliases, 'vpnaas': 'vpnaas' in found, 'vpnaas_aliases': found,
    })
    return result
