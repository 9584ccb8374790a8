# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Rules of the API channel: Keystone catalog endpoints on TLS, and services as verifying API clients.

Evidence (host fact ``audit_evidence.api`` of the probe host, see docs/channel-api.md)::

    catalog:    keystone_catalog_info result (status, error, source, endpoints[...]); each endpoint with its
                parsed URL (scheme, host, port, parse_error), its ignore match (ignored) and probe
                position (probe_position: public | internal, probe_label)
    tls:        {endpoints: [tls_endpoint_info results]}  label api-public / api-internal
    ignore:     [{endpoint: URL | host:port | host, reason}]   (matched by keystone_catalog_info: ``ignored``)
    interfaces: [public, internal, admin]      interfaces audited (default all three)
    admin_policy: internal | informational     how admin endpoints are judged (default internal)
    probe:      {catalog_from, public_from, internal_from: <host>, public_error, internal_error: <probe task failure or null>}

One finding per catalog endpoint: public endpoints under scs-0125-api-public-tls, internal and
admin endpoints under scs-0125-api-internal-tls.

* ``pass``: registered as https:// and the listener passes the Mozilla check (judged by
  ``_rules/common.judge_probe`` at the report's level, like every channel's probes).
* ``fail``: registered with another scheme (http://), or https:// but the listener does not speak
  TLS or fails the Mozilla check (the failing criteria are named).
* ``error``: the URL does not parse, or the listener could not be scanned (refused, timeout, ...:
  the reason is named), or the catalog entry lacks the fields keystone_catalog_info parses (the
  rule does not parse URLs itself). Never silently skipped.
* ``not_applicable``: the endpoint matches an ignore entry (its reason is shown).
* ``not_assessed``: the interface is not in ``interfaces``.

Admin endpoints: scs-0125 names only public and internal endpoints. With ``admin_policy:
internal`` (default) an admin endpoint is judged like an internal one: in practice it is served on
the internal network, and it carries the most privileged requests. With ``informational`` its
observation is reported as ``not_applicable`` (the status it would have had stays in the message
and the evidence), so it never decides the control.

The Keystone catalog could not be read (wrong credentials, Keystone unreachable, TLS verification
failed): one ``error`` finding for each of the two MUST controls, naming the problem.

scs-0125-api-client-verify (ADVISORY) judges the discovery evidence of every host
(``services[*].api_clients``): each URL a service uses to reach another API must be https:// and
its section must not set ``insecure = true``. One finding per host, service, file and option.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.scs.secure_connections.plugins.module_utils._core.netaddr import hostport
from ansible_collections.scs.secure_connections.plugins.module_utils._core.secrets import mask_url
from ansible_collections.scs.secure_connections.plugins.module_utils._core.words import OSLO, parse_bool
from ansible_collections.scs.secure_connections.plugins.module_utils._rules.common import broken_input, discovery_absence, judge_probe

PUBLIC = 'scs-0125-api-public-tls'
INTERNAL = 'scs-0125-api-internal-tls'
CLIENT = 'scs-0125-api-client-verify'

INTERFACES = ('public', 'internal', 'admin')
CONTROL_OF_INTERFACE = {'public': PUBLIC, 'internal': INTERNAL, 'admin': INTERNAL}
ADMIN_POLICIES = ('internal', 'informational')
# what keystone_catalog_info parses into each endpoint entry; the rule never parses a URL itself
PARSED_FIELDS = ('scheme', 'host', 'port', 'parse_error', 'ignored', 'probe_position', 'probe_label')
CLIENT_EVIDENCE_KEYS = ('file', 'section', 'option', 'url', 'scheme', 'insecure', 'cafile', 'interface')


def _api_hosts(ctx):
    return [h for h in ctx.channel_hosts('api') if isinstance(ctx.evidence(h, 'api'), dict)]


def _index_tls(results):
    """``{(host, port, label): result}`` and ``{(host, port): result}`` from tls_endpoint_info results."""
    by_label, by_listener = {}, {}
    for item in results or []:
        if not isinstance(item, dict):
            continue
        try:
            key = (str(item.get('host') or '').lower().strip('[]'), int(item.get('port')))
        except (TypeError, ValueError):
            continue
        by_label.setdefault(key + (item.get('label'),), item)
        by_listener.setdefault(key, item)
    return by_label, by_listener


def _failing_criteria(items):
    parts = []
    for item in items:
        text = str(item.get('criterion') or 'unnamed criterion')
        if item.get('message'):
            text += ' (%s)' % item['message']
        parts.append(text)
    return parts


def _where(entry):
    return 'interface %s, region %s' % (entry.get('interface'), entry.get('region') or '-')


def _service(entry):
    name, stype = entry.get('service_name'), entry.get('service_type')
    if name and stype and name != stype:
        return '%s (%s)' % (name, stype)
    return name or stype or entry.get('service_id') or 'unknown service'


def judge_endpoint(ctx, entry, tls_by_label, tls_by_listener, interfaces, probe_from):
    """``(status, message, remediation, evidence)`` for one catalog endpoint (admin policy not applied)."""
    url = mask_url(entry.get('url'))
    interface = entry.get('interface')
    evidence = {'url': url, 'interface': interface, 'region': entry.get('region'), 'service_type': entry.get('service_type'),
                'service_name': entry.get('service_name'), 'endpoint_id': entry.get('id'), 'enabled': entry.get('enabled')}
    disabled = ' (endpoint disabled in Keystone, still registered)' if entry.get('enabled') is False else ''
    missing = [k for k in PARSED_FIELDS if k not in entry]
    if missing:
        return ('error', 'the catalog entry lacks %s: the rule judges what keystone_catalog_info parsed and does not parse '
                'URLs itself' % ', '.join(missing), 'gather the catalog again with keystone_catalog_info of this collection version',
                evidence)
    hit = entry.get('ignored')
    if hit:
        evidence['ignored'] = hit
        evidence['absence'] = 'excluded by the operator: audit_api_ignore entry "%s" (%s)' % (hit['endpoint'], hit['reason'])
        return ('not_applicable', 'ignored by audit_api_ignore entry "%s": %s' % (hit['endpoint'], hit['reason']), None, evidence)
    if interface not in interfaces:
        return ('not_assessed', 'interface %s is not audited (audit_api_interfaces: %s)' % (interface, ', '.join(interfaces) or 'none'),
                None, evidence)
    parsed = entry
    scheme = parsed.get('scheme')
    endpoint_id = entry.get('id') or '<endpoint id>'
    if scheme and scheme != 'https':
        extra = '; the URL also does not parse: %s' % parsed['parse_error'] if parsed.get('parse_error') else ''
        return ('fail', 'registered as %s:// instead of https://: the API is reached without TLS%s%s' % (scheme, extra, disabled),
                'serve the API behind a TLS frontend and register it as https: openstack endpoint set --url https://%s %s'
                % (_after_scheme(url), endpoint_id), evidence)
    if parsed.get('parse_error'):
        return ('error', 'the catalog URL does not parse: %s%s' % (parsed['parse_error'], disabled),
                'correct the URL: openstack endpoint set --url https://<host>:<port><path> %s' % endpoint_id, evidence)
    listener = hostport(parsed['host'], parsed['port'])
    evidence['listener'] = listener
    group = parsed.get('probe_position') or 'internal'
    key = (str(parsed['host']).lower(), parsed['port'])
    result = tls_by_label.get(key + (parsed.get('probe_label'),)) or tls_by_listener.get(key)
    where = ' from %s' % probe_from[group] if probe_from.get(group) else ''
    if result is None:
        failure = probe_from.get(group + '_error')
        failure = ' (the probe task failed: %s)' % failure if failure else ''
        return ('error', 'no TLS probe result for %s%s: the listener behind this https endpoint was not scanned%s%s'
                % (listener, where, failure, disabled), 'run the audit API channel again and check the "api | Probe" tasks', evidence)
    verdict = judge_probe(ctx, result)
    evidence['tls'] = {'status': result.get('status'), 'error': result.get('error'), 'probed_from': probe_from.get(group),
                       'mozilla': _mozilla_summary(verdict)}
    if not verdict['scanned']:
        error = verdict['error']
        kind, message = error.get('kind') or 'unknown', error.get('message') or 'no reason given by the probe'
        if verdict['not_tls']:
            return ('fail', 'registered as https:// but the listener %s does not speak TLS (%s: %s)%s' % (listener, kind, message, disabled),
                    'terminate TLS at %s (TLS frontend such as haproxy/nginx with the Mozilla intermediate configuration)' % listener,
                    evidence)
        return ('error', 'the TLS listener %s could not be scanned%s (%s: %s)%s' % (listener, where, kind, message, disabled),
                'make %s reachable from the probe host, or list it in audit_api_ignore with a reason' % listener, evidence)
    version = verdict['version']
    profile = 'Mozilla %s%s' % (verdict['level'], ' (guidelines %s)' % version if version else '')
    if verdict['status'] == 'pass':
        return ('pass', 'https:// and the listener %s passes %s%s' % (listener, profile, disabled), None, evidence)
    if verdict['status'] == 'fail':
        failing = _failing_criteria(verdict['failed'])
        return ('fail', 'registered as https:// but the listener %s fails %s: %s%s' % (listener, profile, '; '.join(failing), disabled),
                'configure the TLS frontend at %s for %s (protocols, cipher suites, groups, certificate)' % (listener, profile),
                evidence)
    return ('error', 'the listener %s was scanned but the probe gave no Mozilla verdict%s' % (listener, disabled),
            'check the tls_endpoint_info result of %s' % listener, evidence)


def _after_scheme(url):
    return url.split('://', 1)[1] if isinstance(url, str) and '://' in url else '<host>:<port>/<path>'


def _mozilla_summary(verdict):
    mozilla = verdict['mozilla']
    return {'compliant': mozilla.get('compliant'), 'level': verdict['level'], 'guidelines_version': verdict['version'],
            'failing': _failing_criteria(verdict['failed'])}


def _catalog_problem(catalog):
    """A message when the catalog evidence is unusable, else None."""
    if not isinstance(catalog, dict) or not catalog:
        return 'no Keystone catalog was gathered (keystone_catalog_info did not run or returned nothing)'
    if catalog.get('status') != 'ok':
        error = catalog.get('error') or {}
        auth_url = (catalog.get('identity') or {}).get('auth_url')
        at = ' at %s' % mask_url(auth_url) if auth_url else ''
        return 'the Keystone catalog could not be read%s (%s): %s' % (
            at, error.get('kind') or 'unknown', error.get('message') or 'no reason recorded')
    return None


def _endpoint_rule(control_id):
    def rule(ctx):
        findings = []
        for host in _api_hosts(ctx):
            api = ctx.evidence(host, 'api')
            catalog = api.get('catalog')
            problem = _catalog_problem(catalog)
            if problem:
                findings.append(ctx.finding(control_id, 'error', problem, host=host,
                                            endpoint=(((catalog or {}).get('identity') or {}).get('auth_url')),
                                            evidence={'error': (catalog or {}).get('error')},
                                            remediation='check the audit_api_cloud / audit_api_auth credentials, the '
                                                        'Keystone URL and audit_api_ca_cert, then run the audit again'))
                continue
            findings.extend(_endpoint_findings(ctx, control_id, host, api, catalog))
        return findings
    return rule


def _endpoint_findings(ctx, control_id, host, api, catalog):
    interfaces = [i for i in (api.get('interfaces') or INTERFACES) if i in INTERFACES]
    policy = api.get('admin_policy') or 'internal'
    if policy not in ADMIN_POLICIES:
        policy = 'internal'
    probe_from = api.get('probe') or {}
    probe_from = {'public': probe_from.get('public_from'), 'internal': probe_from.get('internal_from'),
                  'public_error': probe_from.get('public_error'), 'internal_error': probe_from.get('internal_error')}
    tls_by_label, tls_by_listener = _index_tls(((api.get('tls') or {}).get('endpoints')))
    mine = [e for e in catalog.get('endpoints') or [] if CONTROL_OF_INTERFACE.get(e.get('interface')) == control_id]
    source = catalog.get('source') or 'unknown source'
    if not isinstance(catalog.get('endpoints'), list):
        return [ctx.finding(control_id, 'error', 'the Keystone catalog result (%s) holds no endpoint list: the catalog was not read '
                            'whole' % source, host=host, evidence={'source': source})]
    if not mine:
        wanted = 'public' if control_id == PUBLIC else 'internal or admin'
        return [ctx.finding(control_id, 'not_applicable', 'the Keystone catalog (%s) lists no %s endpoint' % (source, wanted),
                            host=host, evidence={'source': source, 'source_reason': catalog.get('source_reason')},
                            absence='the Keystone catalog (%s) was read and lists no %s endpoint' % (source, wanted))]
    findings = []
    for entry in mine:
        status, message, remediation, evidence = judge_endpoint(ctx, entry, tls_by_label, tls_by_listener, interfaces, probe_from)
        evidence['catalog_source'] = source
        if entry.get('interface') == 'admin' and policy == 'informational' and status not in ('not_applicable', 'not_assessed'):
            evidence['status_as_internal'] = status
            message = ('admin interface, reported for information (audit_api_admin_policy: informational; scs-0125 names '
                       'public and internal endpoints only); as an internal endpoint it would be %s: %s' % (status, message))
            status, remediation = 'not_applicable', None
            evidence['absence'] = ('operator policy audit_api_admin_policy: informational (the standard names public and internal '
                                   'endpoints only)')
        message = '%s %s endpoint (%s): %s' % (_service(entry), entry.get('interface'), entry.get('region') or 'no region', message)
        findings.append(ctx.finding(control_id, status, message, host=host, endpoint=mask_url(entry.get('url')),
                                    service=_service(entry), evidence=evidence, remediation=remediation))
    return findings


# ------------------------------------------------------------------------------------------
# scs-0125-api-client-verify

def _truthy(value):
    """``insecure`` as oslo.config reads it: true only for its true words (a word it rejects is not true)."""
    return parse_bool(value, OSLO, invalid=False) is True if isinstance(value, (bool, str)) else False


def _client_setting(client):
    section = client.get('section') or '?'
    return '[%s] %s' % (section, client['option']) if client.get('option') else '[%s]' % section


def judge_client(client):
    """``(status, message, remediation)`` for one api_clients entry of the discovery evidence.

    An entry without URL is a client section that takes its endpoint from the Keystone catalog
    (``valid_interfaces``): the endpoint itself is judged by the catalog controls, here only the
    certificate verification of the section counts.
    """
    url = mask_url(client.get('url'))
    section = client.get('section') or '?'
    setting = _client_setting(client)
    scheme = (client.get('scheme') or '').lower() or None
    insecure = _truthy(client.get('insecure'))
    trust = 'cafile %s' % client['cafile'] if client.get('cafile') else 'the system CA bundle (no cafile set)'
    if not url:
        interface = client.get('interface')
        via = 'the Keystone catalog%s' % (' (interface %s)' % interface if interface else '')
        if insecure:
            return ('fail', '%s takes its endpoint from %s with insecure = true: certificate verification is disabled'
                    % (setting, via), 'set [%s] insecure = false and cafile = <CA bundle>' % section)
        return ('pass', '%s takes its endpoint from %s (judged by scs-0125-api-public-tls / -internal-tls) and verifies '
                'certificates with %s' % (setting, via, trust), None)
    if scheme is None:
        return ('error', '%s = %s: the scheme cannot be determined (expected https://...)' % (setting, url),
                'set %s to an https:// URL' % setting)
    problems, fixes = [], []
    if scheme != 'https':
        problems.append('uses %s:// instead of https://' % scheme)
        fixes.append('set %s to the https:// endpoint' % setting)
    if insecure:
        problems.append('[%s] insecure = true disables certificate verification' % section)
        fixes.append('set [%s] insecure = false and cafile = <CA bundle>' % section)
    if problems:
        return ('fail', '%s = %s %s' % (setting, url, ' and '.join(problems)), '; '.join(fixes))
    return ('pass', '%s = %s uses https:// and verifies certificates with %s' % (setting, url, trust), None)


def rule_client_verify(ctx):
    findings = []
    seen_discovery = False
    for host in ctx.hosts:
        discovery = ctx.evidence(host, 'discovery')
        if not isinstance(discovery, dict):
            continue
        seen_discovery = True
        services = [s for s in discovery.get('services') or [] if isinstance(s, dict)]
        host_findings = []
        for service in services:
            name = service.get('service') or 'unknown'
            if service.get('component') and service.get('component') != name:
                name = '%s (%s)' % (name, service['component'])
            broken = broken_input(ctx, CLIENT, host, [service], 'the configuration of %s (its API client settings)' % name, service=name)
            if broken:
                host_findings.append(broken)
                continue
            for client in service.get('api_clients') or []:
                if not isinstance(client, dict):
                    continue
                status, message, remediation = judge_client(client)
                host_findings.append(ctx.finding(
                    CLIENT, status, '%s: %s' % (name, message), host=host, service=name, file=client.get('file'),
                    setting=_client_setting(client),
                    endpoint=mask_url(client.get('url')),
                    evidence=dict((k, client.get(k)) for k in CLIENT_EVIDENCE_KEYS),
                    remediation=remediation))
        if not host_findings:
            reason = ('no OpenStack service configuration was found on this host' if not services else
                      'the service configuration files on this host set no URL of another API (%s)'
                      % ', '.join(sorted(set(str(s.get('service')) for s in services))))
            host_findings.append(ctx.finding(CLIENT, 'not_applicable', reason, host=host, absence=discovery_absence(ctx, host, reason)))
        findings.extend(host_findings)
    if not seen_discovery:
        findings.append(ctx.finding(CLIENT, 'not_assessed', 'discovery (openstack_config_info) was not gathered on any host: '
                                    'the API client settings of the services are unknown'))
    return findings


RULES = {
    PUBLIC: _endpoint_rule(PUBLIC),
    INTERNAL: _endpoint_rule(INTERNAL),
    CLIENT: rule_client_verify,
}
