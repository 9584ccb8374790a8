# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Rule of the TLS channel: scs-0125-tls-mozilla (every server-side TLS listener follows Mozilla's profile).

Evidence (see docs/architecture.md and docs/tls.md):

* ``tls.endpoints`` of every host where the ``tls`` channel was gathered;
* the TLS probes other channels made on those hosts: ``api.tls.endpoints``, ``db.tls.endpoints``,
  ``mq.tls.endpoints``, ``hv.tls.endpoints``.

Endpoints are deduplicated by host:port:starttls over all hosts (the first host in name order that
has a scanned result keeps it). Every endpoint is judged by ``_rules/common.judge_probe`` (the one
judge of all channels' probes) at ``ctx.options['mozilla_guidelines']`` (a guidelines dict, default
the shipped 5.7) and ``ctx.options['mozilla_level']`` (default ``intermediate``), so a report can be
judged against another profile without probing again; the node's own ``mozilla`` block is not read.

One finding per endpoint: ``pass``; ``fail`` naming every failing criterion and what to change;
``error`` when the endpoint could not be scanned (refused, timeout, plaintext, ...) or a criterion
could not be determined. A host where TLS was gathered but no endpoint was found gets one
``not_applicable`` finding ("no TLS listener found").
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.scs.secure_connections.plugins.module_utils._core.mozilla import profile
from ansible_collections.scs.secure_connections.plugins.module_utils._core.netaddr import hostport, is_loopback, is_wildcard
from ansible_collections.scs.secure_connections.plugins.module_utils._rules.common import broken_input, judge_probe, mozilla_profile

CONTROL = 'scs-0125-tls-mozilla'
OTHER_CHANNELS = ('api', 'db', 'mq', 'hv')
CERT_FIELDS = ('subject', 'issuer', 'key_type', 'key_size', 'curve', 'signature_algorithm', 'not_after', 'lifespan_days')

# What to change, per failing criterion ({level} and the profile values are filled in).
REMEDIATION = {
    'tls_versions': 'allow only {tls_versions} (nginx: ssl_protocols {tls_versions_sp}; haproxy: ssl-min-ver {min_version}; '
                    'apache: SSLProtocol -all {apache_versions})',
    'ciphersuites': 'offer only the TLS 1.3 suites {ciphersuites} (nginx/openssl: ssl_conf_command Ciphersuites {ciphersuites_colon}; '
                    'haproxy: ssl-default-bind-ciphersuites)',
    'ciphers': 'offer only the TLS 1.2 suites of the {level} profile: {openssl_ciphers} (nginx: ssl_ciphers; haproxy: '
               'ssl-default-bind-ciphers; apache: SSLCipherSuite)',
    'tls_curves': 'restrict the key exchange groups to {tls_curves} (nginx: ssl_ecdh_curve {curves_colon}; haproxy: curves; '
                  'apache: SSLOpenSSLConfCmd Curves)',
    'ecdh_param_size': 'use ECDH groups of at least {ecdh_param_size} bits ({tls_curves})',
    'dh_param_size': 'use DH parameters of at least {dh_param_size} bits (e.g. the RFC 7919 ffdhe2048 group: nginx ssl_dhparam, '
                     'haproxy ssl-dh-param-file) or drop the DHE suites',
    'certificate_types': 'use a certificate with a {certificate_types} key',
    'certificate_curves': 'use an ECDSA certificate on {certificate_curves}',
    'rsa_key_size': 'use an RSA key of at least {rsa_key_size} bits (or ECDSA P-256)',
    'maximum_certificate_lifespan': 'issue certificates valid for at most {maximum_certificate_lifespan} days '
                                    '({recommended_certificate_lifespan} recommended)',
    'certificate_signatures': 'have the certificate signed with {certificate_signatures}',
    'certificate_path_validation': 'serve a certificate chain that validates against the CA the clients trust (send the '
                                   'intermediates; pass the private CA with ca_files when auditing)',
    'certificate_hostname': 'issue the certificate with a subjectAltName for the name clients use',
    'certificate_expiry': 'renew the certificate',
    'tls_vulnerability_compression': 'disable TLS compression',
    'tls_vulnerability_renegotiation': 'upgrade the TLS library so it supports RFC 5746 secure renegotiation',
    'tls_vulnerability_fallback_scsv': 'upgrade the TLS library so it honours TLS_FALLBACK_SCSV (RFC 7507), or disable versions below TLS 1.2',
    'tls_vulnerability_extended_master_secret': 'enable the extended master secret extension (RFC 7627) or TLS 1.3',
    'tls_vulnerability_heartbleed': 'upgrade OpenSSL (Heartbleed, CVE-2014-0160) and replace the keys',
    'tls_vulnerability_ccs_injection': 'upgrade OpenSSL (CCS injection, CVE-2014-0224)',
    'tls_vulnerability_robot': 'disable the static RSA key exchange suites (TLS_RSA_WITH_*) and upgrade the TLS library (ROBOT)',
}


def _endpoint_key(ep):
    try:
        port = int(ep.get('port'))
    except (TypeError, ValueError):
        port = ep.get('port')
    return '%s:%s:%s' % (str(ep.get('host') or '').lower().strip('[]'), port, ep.get('starttls') or 'none')


def _endpoint_name(ep):
    name = hostport(ep.get('host') or '?', ep.get('port'))
    if (ep.get('starttls') or 'none') != 'none':
        name += ' (STARTTLS %s)' % ep['starttls']
    return name


def _collect(ctx):
    """{host: [endpoint results]} of the tls hosts, and the deduplicated [(host, endpoint, channel)]."""
    per_host = {}
    chosen = {}
    order = []
    for host in ctx.channel_hosts('tls'):
        found = []
        tls = ctx.evidence(host, 'tls', {}) or {}
        for ep in tls.get('endpoints') or []:
            found.append((ep, 'tls'))
        for channel in OTHER_CHANNELS:
            block = ctx.evidence(host, channel, {}) or {}
            if not isinstance(block, dict):
                continue
            for ep in (block.get('tls') or {}).get('endpoints') or []:
                found.append((ep, channel))
        found = [(ep, ch) for ep, ch in found if isinstance(ep, dict)]
        per_host[host] = found
        for ep, channel in found:
            key = _endpoint_key(ep)
            if key not in chosen:
                chosen[key] = (host, ep, channel)
                order.append(key)
            elif chosen[key][1].get('status') != 'ok' and ep.get('status') == 'ok':
                chosen[key] = (host, ep, channel)
    return per_host, [chosen[k] for k in order]


def _remediation_values(conf, level):
    versions = [v if v != 'TLSv1' else 'TLSv1.0' for v in conf.get('tls_versions') or []]
    curves = list(conf.get('tls_curves') or [])
    return {
        'level': level,
        'tls_versions': ', '.join(versions),
        'tls_versions_sp': ' '.join(v.replace('TLSv1.0', 'TLSv1') for v in versions),
        'min_version': versions[0] if versions else 'TLSv1.2',
        'apache_versions': ' '.join('+' + v.replace('TLSv1.0', 'TLSv1') for v in versions),
        'ciphersuites': ', '.join(conf.get('ciphersuites') or []),
        'ciphersuites_colon': ':'.join(conf.get('ciphersuites') or []),
        'openssl_ciphers': ':'.join((conf.get('ciphers') or {}).get('openssl') or []) or 'none (TLS 1.3 only)',
        'tls_curves': ', '.join(curves),
        'curves_colon': ':'.join(curves),
        'ecdh_param_size': conf.get('ecdh_param_size'),
        'dh_param_size': conf.get('dh_param_size') or 2048,
        'certificate_types': ' or '.join(conf.get('certificate_types') or []),
        'certificate_curves': ' or '.join(conf.get('certificate_curves') or []),
        'rsa_key_size': conf.get('rsa_key_size') or 2048,
        'maximum_certificate_lifespan': conf.get('maximum_certificate_lifespan'),
        'recommended_certificate_lifespan': conf.get('recommended_certificate_lifespan'),
        'certificate_signatures': ' or '.join(conf.get('certificate_signatures') or []),
    }


def remediation_for(items, conf, level):
    """One sentence per failing criterion: what to change."""
    values = _remediation_values(conf, level)
    out = []
    for item in items:
        template = REMEDIATION.get(item['criterion'])
        if template:
            out.append(template.format(**values))
    return '; '.join(out) or None


def _evidence(ep, verdict, channel):
    certs = ep.get('certificates') or []
    leaf = certs[0] if certs else {}
    return {
        'probed_by': channel,
        'label': ep.get('label'),
        'server_name': ep.get('server_name'),
        'protocols': [v for v, on in (ep.get('protocols') or {}).items() if on],
        'cipher_suites': ep.get('cipher_suites'),
        'groups': ep.get('groups'),
        'dh_min_bits': ep.get('dh_min_bits'),
        'ecdh_min_bits': ep.get('ecdh_min_bits'),
        'certificate': dict((k, leaf.get(k)) for k in CERT_FIELDS) if leaf else None,
        'guidelines_version': verdict['version'],
        'level': verdict['level'],
        'failed': [dict((k, i.get(k)) for k in ('criterion', 'expected', 'observed', 'message')) for i in verdict['failed']],
    }


def _probed_as(item, found):
    """True when a configured listener ``item`` was probed on its host (same port, and its address, or any address of
    the node for a wildcard/loopback bind)."""
    address = str(item.get('address') or '').strip('[]').lower()
    for ep, _channel in found:
        try:
            same_port = int(ep.get('port')) == int(item.get('port'))
        except (TypeError, ValueError):
            same_port = False
        if not same_port:
            continue
        names = (str(ep.get('host') or '').strip('[]').lower(), str(ep.get('bind_address') or '').strip('[]').lower())
        if is_wildcard(address) or is_loopback(address) or address in names:
            return True
    return False


def _unprobed(ctx, host, found):
    """not_assessed findings for the TLS listeners the files configure that nothing probed, and for listeners of other
    network namespaces (never probed on the host's addresses, never judged by another socket)."""
    out = []
    discovery = ctx.evidence(host, 'discovery', {}) or {}
    tls = ctx.evidence(host, 'tls', {}) or {}
    where_from = 'a snapshot (audit_root %s)' % discovery.get('root') if discovery.get('root') not in (None, '/') else 'the files'
    for item in discovery.get('configured_listeners') or []:
        if not isinstance(item, dict) or _probed_as(item, found):
            continue
        name = hostport(item.get('address') or '*', item.get('port'))
        at = '%s:%s' % (item.get('file'), item['line']) if item.get('line') else item.get('file')
        out.append(ctx.finding(
            CONTROL, 'not_assessed', '%s (%s in %s): configured, not probed; read from %s' % (name, item.get('what'), at, where_from),
            host=host, endpoint=name, file=item.get('file'), service=item.get('source'),
            evidence={'configured': dict((k, item.get(k)) for k in ('source', 'address', 'port', 'starttls', 'container', 'component'))},
            remediation='probe it: audit the live host (audit_root /), or set audit_tls_probe_from to a host that reaches it '
                        '(audit_tls_node_address for wildcard binds), or declare it in audit_tls_endpoints'))
    for item in tls.get('not_probed') or []:
        if not isinstance(item, dict):
            continue
        name = hostport(item.get('address') or '*', item.get('port'))
        out.append(ctx.finding(
            CONTROL, 'not_assessed', '%s [%s]: %s' % (name, item.get('process') or item.get('container') or 'listener',
                                                      item.get('reason') or 'not probed'),
            host=host, endpoint=name, evidence={'netns': item.get('netns'), 'process': item.get('process')},
            remediation='probe it from inside its network namespace (ip netns exec %s ...) or declare a reachable address in '
                        'audit_tls_endpoints' % item.get('netns')))
    return out


def _broken_frontends(ctx, host):
    """An ``error`` finding when the TLS frontend configuration (haproxy, nginx) of ``host`` could not be read whole:
    what it configures (and so what is in scope) is then unknown; else None."""
    discovery = ctx.evidence(host, 'discovery') or {}
    frontends = [e for kind in ('haproxy', 'nginx') for e in (discovery.get('infrastructure') or {}).get(kind) or [] if isinstance(e, dict)]
    return broken_input(ctx, CONTROL, host, frontends, 'the TLS frontend configuration (haproxy, nginx)')


def _nothing_probed(ctx, host):
    """``not_applicable`` when the live sockets of ``host`` were read and it listens on no TCP port at all (the only
    positive evidence that it serves no TLS); else ``not_assessed``: nothing was probed, which shows nothing."""
    discovery = ctx.evidence(host, 'discovery') or {}
    listeners = discovery.get('listeners') or []
    if discovery.get('listeners_source') and not listeners and not discovery.get('failed'):
        return ctx.finding(CONTROL, 'not_applicable', 'no TLS listener on %s: it listens on no TCP port (%s)' % (host, discovery['listeners_source']),
                           host=host, evidence={'endpoints': 0, 'listeners': 0},
                           absence='the listening sockets of %s were read from %s: none' % (host, discovery['listeners_source']))
    why = ('%d listening socket(s) found by discovery, none probed' % len(listeners) if listeners else
           'its listening sockets were not read (%s)' % ('a snapshot root: no live sockets' if not discovery.get('listeners_source') else 'none'))
    return ctx.finding(CONTROL, 'not_assessed', 'no TLS listener of %s was probed: %s. Probe its listeners (audit_tls_discover_listeners, '
                       'audit_tls_endpoints) from a host that reaches them to assess it' % (host, why), host=host,
                       evidence={'endpoints': 0, 'listeners': len(listeners)})


def rule_tls_mozilla(ctx):
    guidelines, level = mozilla_profile(ctx)
    conf = profile(guidelines, level)
    version = guidelines.get('version')
    findings = []
    per_host, endpoints = _collect(ctx)
    for host in sorted(per_host):
        broken = None if per_host[host] else _broken_frontends(ctx, host)
        if broken:
            findings.append(broken)
            continue
        unprobed = _unprobed(ctx, host, per_host[host])
        findings.extend(unprobed)
        if not per_host[host] and not unprobed:
            findings.append(_nothing_probed(ctx, host))
    for host, ep, channel in endpoints:
        name = _endpoint_name(ep)
        label = ' [%s]' % ep['label'] if ep.get('label') else ''
        verdict = judge_probe(ctx, ep)
        if not verdict['scanned']:
            error = verdict['error']
            if ep.get('source') == 'discovered' and verdict['not_tls']:
                # A listener found on the node that answers in plaintext or another protocol is not a
                # TLS listener in scope of this control; its own channel's controls judge the plaintext.
                findings.append(ctx.finding(
                    CONTROL, 'not_applicable', '%s%s found listening does not speak TLS: %s (%s)' % (
                        name, label, error.get('message') or 'no reason recorded', error.get('kind')),
                    host=host, endpoint=name, evidence={'probed_by': channel, 'label': ep.get('label'), 'source': 'discovered', 'error': error},
                    absence='probed by the %s channel: the listener answered, not in TLS (%s)' % (channel, error.get('kind'))))
                continue
            findings.append(ctx.finding(
                CONTROL, 'error', '%s%s could not be scanned: %s (%s)' % (name, label, error.get('message') or 'no reason recorded',
                                                                          error.get('kind') or 'unknown'),
                host=host, endpoint=name, evidence={'probed_by': channel, 'label': ep.get('label'), 'error': error},
                remediation='make the listener reachable from the auditing host and speak TLS on it, or remove it from the audit '
                            'with the reason'))
            continue
        evidence = _evidence(ep, verdict, channel)
        bad = verdict['failed']
        if verdict['status'] == 'pass':
            findings.append(ctx.finding(CONTROL, 'pass', '%s%s follows Mozilla %s (guidelines %s)' % (name, label, level, version),
                                        host=host, endpoint=name, evidence=evidence))
        elif verdict['status'] == 'fail':
            words = '; '.join(i['message'] for i in bad)
            findings.append(ctx.finding(
                CONTROL, 'fail', '%s%s does not follow Mozilla %s (guidelines %s): %s' % (name, label, level, version, words),
                host=host, endpoint=name, evidence=evidence, remediation=remediation_for(bad, conf, level)))
        else:
            unknown = verdict['undetermined']
            findings.append(ctx.finding(
                CONTROL, 'error', '%s%s: no verdict, some criteria could not be determined: %s' % (
                    name, label, '; '.join('%s: %s' % (i['criterion'], i['message']) for i in unknown) or 'unknown'),
                host=host, endpoint=name, evidence=evidence,
                remediation='re-run the probe from a host that can complete the handshake (client certificate, python cryptography)'))
    return findings


RULES = {CONTROL: rule_tls_mozilla}
