# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Keystone service catalog: every service and endpoint, each URL parsed, and what to probe.

Two sources:

* ``admin_api``: ``GET /v3/services`` and ``GET /v3/endpoints`` (needs a role allowed to list
  endpoints, usually ``admin``). Complete: disabled endpoints and every region are included.
* ``token_catalog``: the catalog in the token the credentials obtained. Any user has one, but it
  omits disabled endpoints and services and, with endpoint filtering (OS-EP-FILTER), endpoints
  not associated with the token's project.

``catalog_source: auto`` tries the admin API and falls back to the token catalog, saying why.
Each endpoint entry carries what the API rules need, parsed here once: the URL parts
(``scheme``, ``host``, ``port``, ``path``, ``parse_error``), the matching ignore entry
(``ignored``) and where it is probed from (``probe_position``, ``probe_label``).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress
import re

from urllib.parse import urlsplit

from ansible_collections.scs.secure_connections.plugins.module_utils._core.secrets import mask_url

INTERFACES = ('public', 'internal', 'admin')
# which probe position reaches an interface: public endpoints are probed from outside (the
# controller), internal and admin endpoints from a host inside the cloud network.
INTERFACE_GROUP = {'public': 'public', 'internal': 'internal', 'admin': 'internal'}
PROBE_LABELS = {'public': 'api-public', 'internal': 'api-internal'}
DEFAULT_PORTS = {'https': 443, 'http': 80}
SOURCES = ('auto', 'admin_api', 'token_catalog')

_SCHEME = re.compile(r'^([A-Za-z][A-Za-z0-9+.\-]*):')


def url_scheme(url):
    """The lower-case scheme of ``url`` (``https``, ``http``, ...) or None."""
    match = _SCHEME.match(url) if isinstance(url, str) else None
    return match.group(1).lower() if match else None


def is_ip(host):
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        return False


def parse_endpoint_url(url):
    """``{scheme, host, port, path, parse_error}`` for a catalog URL; ``parse_error`` names the reason."""
    out = {'scheme': url_scheme(url), 'host': None, 'port': None, 'path': None, 'parse_error': None}

    def bad(reason):
        out['parse_error'] = reason
        return out

    if not isinstance(url, str) or not url.strip():
        return bad('the URL is empty')
    if any(ch.isspace() for ch in url):
        return bad('the URL contains white space')
    scheme = out['scheme']
    if scheme is None:
        return bad('the URL has no scheme (expected https://host[:port]/path)')
    if scheme not in DEFAULT_PORTS:
        return bad("unsupported scheme '%s' (an API endpoint is http:// or https://)" % scheme)
    if not url[len(scheme) + 1:].startswith('//'):
        return bad("no '//' after '%s:' (expected %s://host[:port]/path)" % (scheme, scheme))
    try:
        parts = urlsplit(url)
    except ValueError as exc:
        return bad('the URL does not parse: %s' % exc)
    try:
        host = parts.hostname
    except ValueError as exc:
        return bad('the host does not parse: %s' % exc)
    if not host:
        return bad('the URL has no host name')
    out['host'] = host.lower()
    out['path'] = parts.path or '/'
    try:
        port = parts.port
    except ValueError as exc:
        return bad('invalid port: %s' % exc)
    if port == 0:
        return bad('invalid port: 0')
    out['port'] = port if port is not None else DEFAULT_PORTS[scheme]
    return out


def host_port(host, port):
    """``host:port`` with IPv6 addresses in brackets."""
    if host and ':' in host:
        return '[%s]:%s' % (host, port)
    return '%s:%s' % (host, port)


def _split_host_port(text):
    """``(host, port or None)`` of ``host``, ``host:port``, ``[v6]`` or ``[v6]:port``; port None if absent."""
    text = text.strip()
    if text.startswith('['):
        host, _sep, rest = text[1:].partition(']')
        port = rest[1:] if rest.startswith(':') else None
    elif text.count(':') == 1:
        host, port = text.split(':')
    else:  # a bare host name or a bare IPv6 address
        host, port = text, None
    try:
        port = int(port) if port not in (None, '') else None
    except ValueError:
        port = -1  # never matches
    return host.lower(), port


def _norm_url(url):
    """``url`` with scheme and authority in lower case and no trailing ``/``."""
    head, sep, rest = url.strip().partition('://')
    authority, slash, path = rest.partition('/')
    return ('%s%s%s%s%s' % (head.lower(), sep, authority.lower(), slash, path)).rstrip('/')


def normalise_ignore(entries):
    """``[{endpoint, reason}]`` from the ignore list (strings allowed; a missing reason is said so)."""
    out = []
    for entry in entries or []:
        if isinstance(entry, str):
            entry = {'endpoint': entry}
        if not isinstance(entry, dict):
            continue
        target = entry.get('endpoint') or entry.get('url') or entry.get('host_port')
        if not target:
            continue
        reason = entry.get('reason') or 'no reason given in the ignore list'
        out.append({'endpoint': str(target).strip(), 'reason': str(reason)})
    return out


def match_ignore(endpoint, entries):
    """The ignore entry matching a catalog ``endpoint`` (a dict with url/host/port), or None.

    An entry's ``endpoint`` is a URL (matches that URL and URLs below it: path prefix at a ``/``
    boundary; scheme and host case-insensitive), ``host:port`` (every URL on that listener;
    the port defaults to the scheme's), or a bare ``host`` (every port).
    """
    url = endpoint.get('url') or ''
    host = (endpoint.get('host') or '').lower()
    port = endpoint.get('port')
    for entry in normalise_ignore(entries):
        target = entry['endpoint']
        if '://' in target:
            want, have = _norm_url(target), _norm_url(url)
            if have == want or have.startswith(want + '/'):
                return entry
            continue
        want_host, want_port = _split_host_port(target)
        if host and want_host == host and (want_port is None or want_port == port):
            return entry
    return None


def _endpoint_entry(endpoint_id, service, interface, region, url, enabled):
    parsed = parse_endpoint_url(url)
    entry = {
        'id': endpoint_id,
        'service_id': service.get('id'),
        'service_name': service.get('name'),
        'service_type': service.get('type'),
        'service_enabled': service.get('enabled'),
        'interface': interface,
        'region': region,
        'url': mask_url(url) if isinstance(url, str) else url,
        'enabled': enabled,
        'probe_position': INTERFACE_GROUP.get(interface),
        'probe_label': PROBE_LABELS.get(INTERFACE_GROUP.get(interface)),
        'ignored': None,
    }
    entry.update(parsed)
    return entry


def mark_ignored(endpoints, ignore):
    """Set ``ignored`` of every endpoint entry to its matching ignore entry (or None); the list of ignored ones."""
    ignored = []
    for entry in endpoints:
        hit = match_ignore(entry, ignore)
        entry['ignored'] = hit
        if hit:
            ignored.append({'url': entry['url'], 'interface': entry['interface'], 'match': hit['endpoint'],
                            'reason': hit['reason']})
    return ignored


def _sort_key(entry):
    interface = entry.get('interface')
    order = INTERFACES.index(interface) if interface in INTERFACES else len(INTERFACES)
    return (entry.get('service_type') or '', entry.get('service_name') or '', order, entry.get('region') or '',
            entry.get('url') or '')


def from_token_catalog(catalog):
    """``(services, endpoints)`` from a token's catalog (keystoneauth's ``service_catalog.catalog``)."""
    services, endpoints = [], []
    for item in catalog or []:
        service = {'id': item.get('id'), 'name': item.get('name'), 'type': item.get('type'), 'enabled': True}
        services.append(service)
        for ep in item.get('endpoints') or []:
            region = ep.get('region_id') or ep.get('region')
            endpoints.append(_endpoint_entry(ep.get('id'), service, ep.get('interface'), region, ep.get('url'), True))
    services.sort(key=lambda s: (s.get('type') or '', s.get('name') or ''))
    endpoints.sort(key=_sort_key)
    return services, endpoints


def from_admin_api(services, endpoints):
    """``(services, endpoints)`` from ``identity.services()`` / ``identity.endpoints()`` resources or dicts."""
    def get(obj, *names):
        for name in names:
            value = obj.get(name) if isinstance(obj, dict) else getattr(obj, name, None)
            if value is not None:
                return value
        return None

    out_services = []
    by_id = {}
    for svc in services or []:
        service = {'id': get(svc, 'id'), 'name': get(svc, 'name'), 'type': get(svc, 'type'),
                   'enabled': get(svc, 'is_enabled', 'enabled')}
        out_services.append(service)
        by_id[service['id']] = service
    out_endpoints = []
    for ep in endpoints or []:
        service_id = get(ep, 'service_id')
        service = by_id.get(service_id) or {'id': service_id, 'name': None, 'type': None, 'enabled': None}
        out_endpoints.append(_endpoint_entry(get(ep, 'id'), service, get(ep, 'interface'), get(ep, 'region_id', 'region'),
                                             get(ep, 'url'), get(ep, 'is_enabled', 'enabled')))
    out_services.sort(key=lambda s: (s.get('type') or '', s.get('name') or ''))
    out_endpoints.sort(key=_sort_key)
    return out_services, out_endpoints


def probe_targets(endpoints, ignore=None):
    """TLS probe targets per interface: ``{public: [...], internal: [...], admin: [...]}``.

    Only https URLs that parse and are not ignored are probed (an http URL fails on its scheme
    alone; a URL that does not parse cannot be probed); each list is deduplicated by host:port.
    Each target is ``{host, port, server_name, label}`` as ``tls_endpoint_info`` takes it;
    ``server_name`` (SNI) is the URL's host name, or null for an IP address; ``label`` is
    ``api-public`` for public targets (probed from outside the cloud) and ``api-internal`` for
    internal and admin ones (probed from a host inside the cloud network), so a listener shared by
    internal and admin endpoints is one target after ``(internal + admin) | unique``.
    """
    out = dict((interface, []) for interface in INTERFACES)
    seen = dict((interface, set()) for interface in INTERFACES)
    for entry in endpoints:
        interface = entry.get('interface')
        if interface not in INTERFACES or entry.get('scheme') != 'https' or entry.get('parse_error'):
            continue
        if match_ignore(entry, ignore):
            continue
        key = (entry['host'], entry['port'])
        if key in seen[interface]:
            continue
        seen[interface].add(key)
        out[interface].append({'host': entry['host'], 'port': entry['port'],
                               'server_name': None if is_ip(entry['host']) else entry['host'],
                               'label': PROBE_LABELS[INTERFACE_GROUP[interface]]})
    return out


def summarise(endpoints):
    by_interface, by_scheme = {}, {}
    for entry in endpoints:
        by_interface[entry.get('interface')] = by_interface.get(entry.get('interface'), 0) + 1
        scheme = 'unparsable' if entry.get('parse_error') and entry.get('scheme') not in DEFAULT_PORTS else entry.get('scheme')
        by_scheme[scheme] = by_scheme.get(scheme, 0) + 1
    return {'endpoints': len(endpoints), 'by_interface': by_interface, 'by_scheme': by_scheme,
            'parse_errors': sum(1 for e in endpoints if e.get('parse_error'))}


EMPTY_RESULT = {
    'status': 'error', 'error': None, 'source': None, 'source_reason': None, 'identity': {},
    'services': [], 'endpoints': [], 'probe_targets': {'public': [], 'internal': [], 'admin': []}, 'ignored': [],
    'summary': {'endpoints': 0, 'by_interface': {}, 'by_scheme': {}, 'parse_errors': 0},
}


def collect_catalog(conn, source='auto', ignore=None, classify=None):
    """The module result for an openstacksdk connection (raises on authentication problems)."""
    if source not in SOURCES:
        raise ValueError('catalog_source must be one of %s' % ', '.join(SOURCES))
    token_catalog = conn.service_catalog  # authenticates: wrong credentials / TLS problems raise here
    identity = {}
    try:
        auth = conn.config.config.get('auth') or {}
        identity = {'auth_url': mask_url(auth.get('auth_url')), 'user_id': conn.current_user_id,
                    'project_id': conn.current_project_id, 'region_name': conn.config.get_region_name() or None,
                    'interface': conn.config.get_interface()}
    # identity details are informative only
    except Exception:  # pylint: disable=broad-except
        pass
    services = endpoints = None
    reason = None
    used = 'token_catalog'
    if source in ('auto', 'admin_api'):
        try:
            admin_services = list(conn.identity.services())
            admin_endpoints = list(conn.identity.endpoints())
            services, endpoints = from_admin_api(admin_services, admin_endpoints)
            used = 'admin_api'
            reason = ('the credentials may list services and endpoints through the Identity API '
                      '(GET /v3/services, /v3/endpoints): the complete catalog, disabled endpoints and every region included')
        except Exception as exc:  # pylint: disable=broad-except
            if source == 'admin_api':
                raise
            problem = classify(exc) if classify else {'kind': 'error', 'message': str(exc)}
            reason = ('the Identity API endpoint list could not be read (%s: %s); the catalog in the token is used '
                      'instead: it omits disabled endpoints and services and, with endpoint filtering, endpoints not '
                      'associated with the project' % (problem['kind'], problem['message']))
    if endpoints is None:
        services, endpoints = from_token_catalog(token_catalog)
        if reason is None:
            reason = ('catalog_source is token_catalog: the catalog in the token is used (it omits disabled endpoints '
                      'and services and, with endpoint filtering, endpoints not associated with the project)')
    entries = normalise_ignore(ignore)
    ignored = mark_ignored(endpoints, entries)
    return {
        'status': 'ok',
        'error': None,
        'source': used,
        'source_reason': reason,
        'identity': identity,
        'services': services,
        'endpoints': endpoints,
        'probe_targets': probe_targets(endpoints, entries),
        'ignored': ignored,
        'summary': summarise(endpoints),
    }
