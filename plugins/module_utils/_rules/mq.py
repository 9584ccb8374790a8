# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Rules of the ``mq`` channel: RabbitMQ broker and client TLS, Kafka listeners and clients.

Evidence used (see docs/architecture.md and docs/channel-mq.md):

* ``mq`` per host: ``{'brokers': [rabbitmq_tls_info results], 'tls': {'endpoints': [tls_endpoint_info
  results for the AMQPS and management TLS ports]}, 'addresses': [IPs of the host]}``;
* ``discovery`` per host: ``services[*].transport_urls`` / ``.rabbit`` / ``.kafka`` and
  ``infrastructure.rabbitmq`` / ``infrastructure.kafka`` (parsed ``server.properties``).

Decisions:

* A broker's TLS is judged on the live listeners when the node answered, else on its configuration.
  "An SSL listener exists" and "its TLS passes Mozilla" are separate findings per listener; a TLS
  listener that was not probed is ``not_assessed``, never ``pass``.
* A plain AMQP listener on a non-loopback address is reported with the evidence of its use: live
  connections on that port (fail when a client uses it), else the services' configuration (fail when
  a service's transport URL names this broker - see :func:`host_identities` - on that port without
  TLS), else ``manual``. An open but unused plain listener passes with the advice to close it, unless
  the rule option ``mq_plain_listener: fail`` makes it fail.
* A plain HTTP management listener reachable from the network fails: the management API takes the
  broker accounts' passwords in clear (rule option ``mq_plain_management``: fail, manual, report).
* Client TLS follows oslo.messaging: a transport URL's query options override the
  ``[oslo_messaging_rabbit]`` options of the same name (``ConfigOptsProxy``); the obsolete option
  names (``rabbit_use_ssl``, ``kombu_ssl_*``) are recognised but a client whose TLS rests only on
  them fails, as current oslo.messaging releases ignore them. ``ssl`` without ``ssl_ca_file`` passes
  with a note (the certificate is then checked against the system trust store by current py-amqp)
  unless the rule option ``mq_require_ca_file: true``.
* Live connections, where gathered, override the configuration: a service with a plain live
  connection fails even if its configuration says TLS; TLS live connections of a service whose
  configuration looks plain pass, and the finding says that the configuration was overridden.
  Live connections of clients that match no discovered service configuration get their own findings.
* AMQP 1.0 (``amqp://``) clients are judged on ``[oslo_messaging_amqp]`` as the driver decides; a
  Qpid broker is ``not_assessed``. ZeroMQ clients are ``manual`` (no TLS at all).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress

from ansible_collections.scs.secure_connections.plugins.module_utils._core.words import OSLO, parse_bool
from ansible_collections.scs.secure_connections.plugins.module_utils._core.netaddr import hostport, is_loopback as _is_loopback, is_wildcard as _is_wildcard
from ansible_collections.scs.secure_connections.plugins.module_utils._rules.common import broken_input, discovery_absence, input_errors, judge_probe

BROKER = 'scs-0125-mq-broker-tls'
CLIENT = 'scs-0125-mq-client-tls'
KAFKA_LISTENER = 'scs-0125-mq-kafka-listener-tls'
KAFKA_CLIENT = 'scs-0125-mq-kafka-client-tls'

RABBIT_DEFAULT_PORT = 5672
KAFKA_DEFAULT_PORT = 9092

# the [oslo_messaging_rabbit] TLS options (current names; discovery resolves the obsolete ones and
# says which were used: ``rabbit.deprecated``, ``transport_urls[*].obsolete_rabbit_options``)
RABBIT_OPTIONS = ('ssl', 'ssl_ca_file', 'ssl_cert_file', 'ssl_key_file', 'ssl_version', 'ssl_enforce_fips_mode')
WEAK_SSL_VERSIONS = ('sslv2', 'sslv3', 'tlsv1', 'tlsv1_1')
KAFKA_OPTIONS = ('security_protocol', 'ssl_cafile', 'ssl_client_cert_file', 'ssl_client_key_file', 'sasl_mechanism')
TLS_KAFKA_PROTOCOLS = ('SSL', 'SASL_SSL')
UNVERIFIED = ('ssl_version = %s without ssl_ca_file: py-amqp then builds a context whose verify_mode is CERT_NONE and loads no CA, so the '
              'broker certificate is not verified at all')


# --------------------------------------------------------------------------------------------
# small helpers


def oslo_bool(value):
    """oslo.config ``Boolean`` (true/1/on/yes, false/0/off/no): True/False, None when unset, ``'invalid'`` otherwise."""
    return parse_bool(value, OSLO, invalid='invalid')


def url_option(query, name):
    """The value oslo.messaging sees for transport URL option ``name``, or None when the URL does not set it.

    ``TransportURL.parse`` reads the query with ``parse_qs`` (blank values dropped) and joins repeated values with
    ``','``: ``?ssl=0&ssl=1`` is ``'0,1'``, which the option's type then rejects; ``?ssl=`` leaves the group's value.
    """
    value = query.get(name)
    values = value if isinstance(value, list) else [value]
    values = [str(v) for v in values if v not in (None, '')]
    return ','.join(values) if values else None


def _url_setting(query, name):
    """``(value, source)`` of transport URL option ``name`` (:func:`url_option`), or None when the URL does not set it."""
    value = url_option(query, name)
    return None if value is None else (value, 'transport_url ?%s=' % name)


def _hostport(host, port):
    return hostport(host or '*', port)


def _scheme_driver(scheme):
    scheme = (scheme or '').lower()
    if scheme.startswith('kafka'):
        return 'kafka'
    if scheme.startswith(('rabbit', 'pika', 'kombu')):
        return 'rabbit'
    if scheme.startswith(('amqp', 'qpid')):
        return 'amqp1'
    if scheme in ('fake', 'noop'):
        return 'fake'
    return scheme or None


def _service_label(service):
    return service.get('component') or service.get('service') or 'unknown service'


def _setting_name(url):
    section = url.get('section') or 'DEFAULT'
    return '[%s] %s' % (section, url.get('option') or 'transport_url')


def _services(ctx):
    """``[(host, service)]`` of every host's discovery evidence, but for services whose configuration could not be
    read whole (those get an ``error`` from :func:`_broken_clients`, never a verdict from the rest)."""
    out = []
    for host in ctx.hosts:
        disco = ctx.evidence(host, 'discovery', {}) or {}
        for service in disco.get('services') or []:
            if isinstance(service, dict) and not input_errors(service):
                out.append((host, service))
    return out


def _broken_clients(ctx, control_id):
    """An ``error`` finding per service whose configuration (transport URLs, [oslo_messaging_*]) could not be read whole."""
    out = []
    for host in ctx.hosts:
        for service in (ctx.evidence(host, 'discovery', {}) or {}).get('services') or []:
            if isinstance(service, dict):
                label = _service_label(service)
                broken = broken_input(ctx, control_id, host, [service], 'the configuration of %s (its transport URL and '
                                      '[oslo_messaging_*] options)' % label, service=label)
                if broken:
                    out.append(broken)
    return out


def _cloud_absence(ctx, what, needs=()):
    """Evidence that a messaging system is absent from the whole audit: every audited host's discovery read its
    tree whole, with the infrastructure kinds ``needs`` gathered (common.discovery_absence), else None."""
    texts = [discovery_absence(ctx, host, what, needs) for host in ctx.hosts]
    if not texts or not all(texts):
        return None
    return 'discovery read every audited host (%s) without read errors: %s' % (', '.join(ctx.hosts), what)


def _urls(service, driver):
    return [u for u in service.get('transport_urls') or [] if isinstance(u, dict) and _scheme_driver(u.get('scheme')) == driver]


def _brokers(ctx):
    """``[(host, broker)]`` for every recorded rabbitmq_tls_info result that found a broker or failed (once per evaluation)."""
    return ctx.memo('mq brokers', lambda: _gathered_brokers(ctx))


def _gathered_brokers(ctx):
    out = []
    for host in ctx.channel_hosts('mq'):
        mq = ctx.evidence(host, 'mq', {}) or {}
        for broker in mq.get('brokers') or []:
            if not isinstance(broker, dict):
                continue
            if broker.get('failed') or broker.get('present'):
                out.append((host, broker))
    return out


def _mq_endpoints(ctx, host):
    mq = ctx.evidence(host, 'mq', {}) or {}
    return [e for e in ((mq.get('tls') or {}).get('endpoints') or []) if isinstance(e, dict)]


def _infrastructure(ctx, kind):
    out = []
    for host in ctx.hosts:
        disco = ctx.evidence(host, 'discovery', {}) or {}
        for item in (disco.get('infrastructure') or {}).get(kind) or []:
            if isinstance(item, dict):
                out.append((host, item))
    return out


# --------------------------------------------------------------------------------------------
# client-side option precedence (oslo.messaging)


def rabbit_group_values(rabbit):
    """``{option: (value, source)}`` of an ``[oslo_messaging_rabbit]`` dict and the obsolete names used.

    ``rabbit`` is discovery's normalised group: current names, ``sources`` (where each was set) and
    ``deprecated`` (``{name: {option, section, file}}`` for options set under an obsolete name).
    Returns ``(values, obsolete)`` where ``obsolete`` lists ``(old, new, value)``.
    """
    rabbit = rabbit if isinstance(rabbit, dict) else {}
    values = {}
    obsolete = []
    sources = rabbit.get('sources') if isinstance(rabbit.get('sources'), dict) else {}
    deprecated = rabbit.get('deprecated') if isinstance(rabbit.get('deprecated'), dict) else {}
    for new in RABBIT_OPTIONS:
        if rabbit.get(new) in (None, ''):
            continue
        source = sources.get(new) or '[oslo_messaging_rabbit] %s' % new
        old = (deprecated.get(new) or {}).get('option')
        if old and old != new:
            obsolete.append((old, new, rabbit.get(new)))
            source = 'obsolete option %s (%s)' % (old, sources[new]) if sources.get(new) else 'obsolete option %s' % old
        values[new] = (rabbit.get(new), source)
    return values, obsolete


def effective_rabbit(url, rabbit):
    """Effective TLS settings of one rabbit transport URL (URL query over group options).

    Returns ``{ssl, ssl_source, ca_file, ca_source, cert_file, key_file, ssl_version, ports,
    obsolete: [...], invalid: [...], relies_on_obsolete}``.
    """
    query = url.get('query') or {}
    values, obsolete = rabbit_group_values(rabbit)
    invalid = []
    eff = {}
    for new in RABBIT_OPTIONS:
        from_url = _url_setting(query, new)
        if from_url is not None:
            eff[new] = from_url
        elif new in values:
            eff[new] = values[new]
    for item in url.get('obsolete_rabbit_options') or []:
        invalid.append('transport_url option %s is an obsolete name (use %s); oslo.messaging rejects unknown URL options' % (
            item.get('option'), item.get('current')))
    ssl_raw, ssl_source = eff.get('ssl', (None, 'default (off)'))
    ssl = oslo_bool(ssl_raw)
    if ssl == 'invalid':
        invalid.append('ssl = %r is not a boolean (the service would refuse to start)' % ssl_raw)
    ca_file, ca_source = eff.get('ssl_ca_file', (None, None))
    version = eff.get('ssl_version', (None, None))[0]
    ports = []
    for item in url.get('hosts') or []:
        port = item.get('port') if isinstance(item, dict) else None
        ports.append(port if isinstance(port, int) else RABBIT_DEFAULT_PORT)
    relies = bool(ssl is True and ssl_source.startswith('obsolete'))
    # oslo.messaging hands py-amqp ca_certs and cert_reqs=CERT_REQUIRED only with ssl_ca_file; py-amqp's
    # SSLContext(<ssl_version>) then keeps verify_mode CERT_NONE and loads no CA (py-amqp 5.4, oslo.messaging 18.3)
    unverified = bool(ssl is True and version and not ca_file)
    used_obsolete = [o for o in obsolete if eff.get(o[1], (None, ''))[1].startswith('obsolete')]
    return {
        'ssl': ssl is True, 'ssl_raw': ssl_raw, 'ssl_source': ssl_source,
        'ca_file': ca_file or None, 'ca_source': ca_source,
        'cert_file': eff.get('ssl_cert_file', (None, None))[0] or None,
        'key_file': eff.get('ssl_key_file', (None, None))[0] or None,
        'ssl_version': version or None,
        'ports': ports or [RABBIT_DEFAULT_PORT],
        'hosts': [h.get('host') for h in url.get('hosts') or [] if isinstance(h, dict)],
        'obsolete': ['%s (now %s)' % (old, new) for old, new, _v in used_obsolete],
        'invalid': invalid,
        'relies_on_obsolete': relies,
        'unverified': unverified,
    }


def effective_kafka(url, kafka):
    """Effective ``[oslo_messaging_kafka]`` security settings of one kafka transport URL."""
    query = url.get('query') or {}
    kafka = kafka if isinstance(kafka, dict) else {}
    eff = {}
    for name in KAFKA_OPTIONS:
        from_url = _url_setting(query, name)
        if from_url is not None:
            eff[name] = from_url
        elif kafka.get(name) not in (None, ''):
            eff[name] = (kafka.get(name), '[oslo_messaging_kafka] %s' % name)
    protocol, source = eff.get('security_protocol', ('PLAINTEXT', 'default (PLAINTEXT)'))
    ports = []
    for item in url.get('hosts') or []:
        port = item.get('port') if isinstance(item, dict) else None
        ports.append(port if isinstance(port, int) else KAFKA_DEFAULT_PORT)
    return {
        'security_protocol': str(protocol).strip().upper() if protocol else 'PLAINTEXT',
        'security_protocol_source': source,
        'ssl_cafile': eff.get('ssl_cafile', (None, None))[0] or None,
        'ssl_cafile_source': eff.get('ssl_cafile', (None, None))[1],
        'ports': ports or [KAFKA_DEFAULT_PORT],
    }


# --------------------------------------------------------------------------------------------
# live connections


def _identity(name):
    """Normalised host name or address for comparisons (lower case, no brackets)."""
    return str(name).strip().strip('[]').lower() if name not in (None, '') else None


def host_identities(ctx):
    """``{name or address: set(audited hosts)}``: what each audited host is known as.

    The inventory name, an IP-named host, the host's own addresses (``mq.addresses``, recorded only
    for a live root), the non-loopback non-wildcard addresses of its listening sockets (discovery)
    and of its RabbitMQ listeners, and the host part of its RabbitMQ node name (``rabbit@ctl1``).
    Computed once per evaluation (the rules read it for every broker and URL).
    """
    return ctx.memo('mq host identities', lambda: _host_identities(ctx))


def _host_identities(ctx):
    out = {}

    def claim(name, host):
        key = _identity(name)
        if key and not _is_loopback(key) and not _is_wildcard(key):
            out.setdefault(key, set()).add(host)

    for host in ctx.hosts:
        claim(host, host)
        mq = ctx.evidence(host, 'mq', {}) or {}
        for address in mq.get('addresses') or []:
            claim(address, host)
        disco = ctx.evidence(host, 'discovery', {}) or {}
        for listener in disco.get('listeners') or []:
            if isinstance(listener, dict):
                claim(listener.get('address'), host)
        for broker in mq.get('brokers') or []:
            if not isinstance(broker, dict) or not broker.get('present'):
                continue
            for listener in _broker_listeners(broker):
                claim(listener.get('address'), host)
            node = str(broker.get('node') or '')
            if '@' in node:
                claim(node.split('@', 1)[1], host)
    return out


def _host_addresses(ctx):
    """``{ip: host}`` for addresses that belong to exactly one audited host (see :func:`host_identities`)."""
    out = {}
    for name, hosts in host_identities(ctx).items():
        try:
            ipaddress.ip_address(name.split('%', 1)[0])
        except ValueError:
            continue
        if len(hosts) == 1:
            out[name] = next(iter(hosts))
    return out


def url_targets(identities, service_host, url):
    """``[(host or None, port, owners)]`` of a rabbit transport URL: each broker address it names,
    the port (5672 when absent) and the audited hosts known by that address (the service's own
    host for a loopback address; an empty set when no audited host is known by it)."""
    out = []
    for item in url.get('hosts') or []:
        if not isinstance(item, dict):
            continue
        name = item.get('host')
        port = item.get('port') if isinstance(item.get('port'), int) else RABBIT_DEFAULT_PORT
        if _is_loopback(name):
            owners = set([service_host])
        else:
            owners = set(identities.get(_identity(name), ())) if _identity(name) else set()
        out.append((name, port, owners))
    return out


def live_connections(ctx):
    """``(connections, status)``: every live connection with ``broker_host`` and ``client_host``
    (the audited host the peer address belongs to, or None), and per broker the gathering status."""
    addresses = _host_addresses(ctx)
    conns = []
    status = []
    for host, broker in _brokers(ctx):
        live = broker.get('live') or {}
        cinfo = live.get('connections') or {}
        state = cinfo.get('status') if live.get('status') == 'ok' else 'skipped' if live.get('status') == 'skipped' else 'error'
        status.append({'host': host, 'node': broker.get('node'), 'status': state,
                       'error': cinfo.get('error') or live.get('error'), 'truncated': cinfo.get('truncated')})
        if live.get('status') != 'ok' or cinfo.get('status') != 'ok':
            continue
        for conn in cinfo.get('items') or []:
            if not isinstance(conn, dict):
                continue
            item = dict(conn)
            item['broker_host'] = host
            peer = conn.get('peer_host')
            item['client_host'] = host if _is_loopback(peer) else addresses.get(_identity(peer)) if peer else None
            conns.append(item)
    return conns, status


def _conn_text(conns, limit=6):
    groups = {}
    for conn in conns:
        key = (conn.get('component') or conn.get('process') or 'unknown client', conn.get('peer_host'))
        groups[key] = groups.get(key, 0) + 1
    parts = ['%s from %s (%d)' % (client, peer, count) for (client, peer), count in sorted(groups.items(), key=lambda kv: (kv[0][0], kv[0][1] or ''))]
    if len(parts) > limit:
        parts = parts[:limit] + ['... %d more' % (len(parts) - limit)]
    return ', '.join(parts)


def _conn_evidence(conns, limit=20):
    keys = ('name', 'user', 'peer_host', 'port', 'ssl', 'ssl_protocol', 'connection_name', 'component', 'service', 'broker_host', 'client_host')
    return [dict((k, c.get(k)) for k in keys) for c in conns[:limit]]


# --------------------------------------------------------------------------------------------
# broker rule


def _broker_listeners(broker):
    return [l for l in broker.get('listeners') or [] if isinstance(l, dict)]


def _mozilla_failures(verdict):
    return [item.get('message') or item.get('criterion') or 'criterion failed' for item in verdict['failed']]


def _endpoint_findings(ctx, host, endpoint, listener_desc):
    target = _hostport(endpoint.get('host'), endpoint.get('port'))
    label = endpoint.get('label') or listener_desc
    verdict = judge_probe(ctx, endpoint)
    ev = {'endpoint': dict((k, endpoint.get(k)) for k in ('host', 'port', 'server_name', 'label', 'status', 'error', 'protocols')),
          'mozilla': {'compliant': verdict['mozilla'].get('compliant'), 'level': verdict['level'],
                      'failures': _mozilla_failures(verdict)}}
    if not verdict['scanned']:
        err = verdict['error']
        kind = err.get('kind')
        if verdict['not_tls']:
            return ctx.finding(BROKER, 'fail', '%s (%s) does not speak TLS: %s' % (label, target, err.get('message') or kind),
                               host=host, endpoint=target, evidence=ev,
                               remediation='serve this port with TLS (listeners.ssl.* / management.ssl.*) or close it')
        return ctx.finding(BROKER, 'error', 'the TLS of %s (%s) could not be scanned: %s' % (label, target, err.get('message') or kind or 'unknown error'),
                           host=host, endpoint=target, evidence=ev)
    level = verdict['level']
    if verdict['status'] == 'pass':
        return ctx.finding(BROKER, 'pass', '%s (%s) serves TLS that passes the Mozilla %s check' % (label, target, level),
                           host=host, endpoint=target, evidence=ev)
    if verdict['status'] == 'fail':
        failures = _mozilla_failures(verdict)
        return ctx.finding(BROKER, 'fail', '%s (%s) serves TLS that fails the Mozilla %s check: %s' % (
            label, target, level, '; '.join(failures[:5])), host=host, endpoint=target, evidence=ev,
            remediation='restrict ssl_options.versions (tlsv1.2, tlsv1.3), ssl_options.ciphers and the curves (advanced.config eccs) '
                        'to the Mozilla %s lists; use an RSA >= 2048 or ECDSA P-256/P-384 certificate' % level)
    open_items = [i.get('message') or i.get('criterion') for i in verdict['undetermined']]
    if open_items:
        ev['mozilla']['undetermined'] = open_items
        return ctx.finding(BROKER, 'error', '%s (%s) was scanned but the Mozilla %s verdict is undetermined: %s' % (
            label, target, level, '; '.join(str(m) for m in open_items[:4])), host=host, endpoint=target, evidence=ev)
    return ctx.finding(BROKER, 'error', '%s (%s) was scanned but no Mozilla verdict was recorded' % (label, target),
                       host=host, endpoint=target, evidence=ev)


def _peer_verification_text(ssl_options):
    verify = ssl_options.get('verify')
    fail = ssl_options.get('fail_if_no_peer_cert')
    if verify == 'verify_peer' and fail is True:
        return 'client certificates required (verify_peer, fail_if_no_peer_cert = true)'
    if verify == 'verify_peer':
        return 'client certificates verified when sent, not required (verify_peer, fail_if_no_peer_cert = false)'
    if verify in (None, 'verify_none'):
        return 'clients are not asked for certificates (ssl_options.verify = %s; allowed, authentication is by password)' % (verify or 'verify_none (default)')
    return 'ssl_options.verify = %s' % verify


def _plain_port_brokers(ctx, port):
    """Audited broker hosts with a plain AMQP listener on ``port`` that is reachable from the network."""
    return ctx.memo(('mq plain port brokers', port), lambda: _plain_brokers_on(ctx, port))


def _plain_brokers_on(ctx, port):
    out = set()
    for host, broker in _brokers(ctx):
        for listener in _broker_listeners(broker):
            if listener.get('protocol') == 'amqp' and listener.get('port') == port and not listener.get('loopback'):
                out.add(host)
    return out


def service_configs_for_listener(ctx, host, port):
    """Which services' configuration targets the plain AMQP listener ``port`` of the broker on ``host``.

    A transport URL counts when one of its broker addresses is ``host`` (by name or address, see
    :func:`host_identities`) with that port. An address no audited host is known by (a VIP, a DNS
    name) counts when ``host`` is the only audited broker with a plain listener on that port, and is
    ``unresolved`` otherwise. Each service and host is named once, with the purposes of its URLs.
    Returns ``{'plain': [...], 'plain_attributed': [...], 'plain_unresolved': [...], 'tls': [...]}``
    of ``'<service> on <host> (<purposes>)'`` texts.
    """
    try:
        entries = _rabbit_url_targets(ctx).get(port, [])
    except TypeError:  # a port that is no number (unhashable) is no URL's port
        entries = []
    sole = bool(entries) and _plain_port_brokers(ctx, port) == set([host])
    groups = {}
    for svc_host, label, purpose, ssl, targets in entries:
        kind = None
        for url_port, owners in targets:
            if url_port != port:
                continue
            if host in owners:
                kind = 'tls' if ssl else 'plain'
                break
            if not owners and kind is None:
                kind = 'tls' if ssl else ('plain_attributed' if sole else 'plain_unresolved')
        if kind is None:
            continue
        groups.setdefault((kind, label, svc_host), set()).add(purpose)
    out = {'plain': [], 'plain_attributed': [], 'plain_unresolved': [], 'tls': []}
    for (kind, label, svc_host), purposes in sorted(groups.items()):
        out[kind].append('%s on %s (%s)' % (label, svc_host, ', '.join(sorted(purposes))))
    return out


def _rabbit_url_targets(ctx):
    """``{port: [(service host, service label, purpose, effective ssl, [(port, owners)])]}``: every service's rabbit
    transport URL under each port it names, in the order of :func:`_services`, with its :func:`url_targets`; once per
    evaluation, for :func:`service_configs_for_listener` of every broker."""
    def build():
        identities = host_identities(ctx)
        out = {}
        for svc_host, service in _services(ctx):
            for url in _urls(service, 'rabbit'):
                targets = [(url_port, owners) for _name, url_port, owners in url_targets(identities, svc_host, url)]
                entry = (svc_host, _service_label(service), url.get('purpose') or 'rpc', effective_rabbit(url, service.get('rabbit'))['ssl'],
                         targets)
                for port in sorted(set(p for p, _o in targets), key=str):
                    out.setdefault(port, []).append(entry)
        return out
    return ctx.memo('mq rabbit url targets', build)


MANAGEMENT_POLICIES = ('fail', 'manual', 'report')


def _plain_management_finding(ctx, host, where, ev, remediation):
    """A plain HTTP management listener reachable from the network.

    The management API authenticates with the broker's own accounts (HTTP basic auth), the same
    users and passwords the OpenStack services use for AMQP: over plain HTTP they cross the network
    in clear, which undoes the TLS of the message queue. Rule option ``mq_plain_management``:
    ``fail`` (default), ``manual`` (the operator decides and attests) or ``report`` (pass, reported).
    """
    policy = (ctx.options or {}).get('mq_plain_management', 'fail')
    if policy not in MANAGEMENT_POLICIES:
        return ctx.finding(BROKER, 'error', 'rule option mq_plain_management = %r is not one of %s' % (policy, ', '.join(MANAGEMENT_POLICIES)),
                           host=host, endpoint=where, setting='management.tcp')
    ev = dict(ev, management_policy=policy)
    text = ('plain HTTP management listener %s is reachable from the network: the management API takes the broker accounts\' '
            'passwords (HTTP basic auth, the same accounts the services use for AMQP) in clear' % where)
    status = {'fail': 'fail', 'manual': 'manual', 'report': 'pass'}[policy]
    if policy == 'report':
        text = 'reported: ' + text + ' (passes under mq_plain_management: report)'
    elif policy == 'manual':
        text += ' - needs the operator\'s decision (mq_plain_management: manual)'
    return ctx.finding(BROKER, status, text, host=host, endpoint=where, setting='management.tcp', evidence=ev, remediation=remediation)


def _plain_listener_finding(ctx, host, broker, listener, all_conns, conn_status_ok):
    policy = (ctx.options or {}).get('mq_plain_listener', 'report')
    where = _hostport(listener.get('address') or '*', listener.get('port'))
    protocol = listener.get('protocol')
    ev = {'listener': listener, 'policy': policy}
    remediation = ('rabbitmq.conf: listeners.tcp = none (kolla-ansible: rabbitmq_enable_tls: "yes"); keep a plain listener on loopback only if needed'
                   if protocol == 'amqp' else 'management.tcp.* off, management.ssl.* on (or bind the HTTP listener to loopback)')
    if listener.get('loopback'):
        return ctx.finding(BROKER, 'pass', 'plain %s listener %s is bound to loopback only (not reachable from the network)' % (protocol, where),
                           host=host, endpoint=where, setting='listeners.tcp', evidence=ev)
    if protocol != 'amqp':
        return _plain_management_finding(ctx, host, where, ev, remediation)
    port = listener.get('port')
    if conn_status_ok:
        on_port = [c for c in all_conns if c.get('broker_host') == host and c.get('port') == port and not c.get('ssl')]
        remote = [c for c in on_port if not c.get('peer_loopback')]
        ev['plain_connections'] = _conn_evidence(on_port)
        if remote:
            return ctx.finding(BROKER, 'fail', 'plain AMQP listener %s is enabled and used: %d plain connection(s) from the network: %s' % (
                where, len(remote), _conn_text(remote)), host=host, endpoint=where, setting='listeners.tcp', evidence=ev,
                remediation='move these clients to TLS (see %s), then close the listener: %s' % (CLIENT, remediation))
        if on_port:
            status = 'fail' if policy == 'fail' else 'pass'
            return ctx.finding(BROKER, status, 'plain AMQP listener %s is open on the network but only used over loopback (%s)' % (
                where, _conn_text(on_port)), host=host, endpoint=where, setting='listeners.tcp', evidence=ev, remediation=remediation)
        status = 'fail' if policy == 'fail' else 'pass'
        return ctx.finding(BROKER, status, 'reported: plain AMQP listener %s is open on the network but no client uses it '
                           '(live connections: none on this port)%s' % (where, '; fails under mq_plain_listener: fail' if status == 'fail' else ''),
                           host=host, endpoint=where, setting='listeners.tcp', evidence=ev, remediation=remediation)
    cfg = service_configs_for_listener(ctx, host, port)
    ev['services_plain'] = cfg['plain'] + cfg['plain_attributed']
    ev['services_plain_unresolved'] = cfg['plain_unresolved']
    ev['services_tls'] = cfg['tls']
    fix = 'move these services to TLS (see %s), then close the listener: %s' % (CLIENT, remediation)
    if ev['services_plain']:
        text = ', '.join(ev['services_plain'][:8])
        if cfg['plain_attributed'] and not cfg['plain']:
            text += (' - their broker address is not known as any audited host\'s; this is the only audited broker with a plain '
                     'listener on port %s' % port)
        return ctx.finding(BROKER, 'fail', 'plain AMQP listener %s is enabled and, by configuration, used: %s (live connections not gathered)' % (
            where, text), host=host, endpoint=where, setting='listeners.tcp', evidence=ev, remediation=fix)
    if cfg['plain_unresolved']:
        return ctx.finding(BROKER, 'manual', 'plain AMQP listener %s is open on the network and may be used: %s target port %s without TLS at an '
                           'address no audited host is known by, and several audited brokers listen there in plain (live connections not '
                           'gathered; gather them, or add the address to the broker host\'s facts)' % (
                               where, ', '.join(cfg['plain_unresolved'][:8]), port),
                           host=host, endpoint=where, setting='listeners.tcp', evidence=ev, remediation=fix)
    if any(_urls(s, 'rabbit') for _h, s in _services(ctx)):
        status = 'fail' if policy == 'fail' else 'pass'
        return ctx.finding(BROKER, status, 'reported: plain AMQP listener %s is open on the network; the evidence points to it being unused '
                           '(no service configuration targets it with plain AMQP; live connections not gathered)' % where,
                           host=host, endpoint=where, setting='listeners.tcp', evidence=ev, remediation=remediation)
    return ctx.finding(BROKER, 'manual', 'plain AMQP listener %s is open on the network; whether it is used cannot be told: no live connections '
                       'and no service configuration were gathered' % where, host=host, endpoint=where, setting='listeners.tcp', evidence=ev,
                       remediation=remediation)


def rule_broker_tls(ctx):
    return _merge_applicability(_rabbit_broker_findings(ctx), _amqp1_broker_findings(ctx))


def _merge_applicability(rabbit, others):
    """RabbitMQ's findings plus those of the other AMQP drivers; RabbitMQ's "not in use" only when nothing else is."""
    if others and all(f['status'] == 'not_applicable' for f in rabbit):
        return others
    return rabbit + others


def _rabbit_broker_findings(ctx):
    findings = []
    brokers = _brokers(ctx)
    rabbit_clients = [(h, s) for h, s in _services(ctx) if _urls(s, 'rabbit')]
    infra = _infrastructure(ctx, 'rabbitmq')
    if not brokers:
        broken = [(h, e) for h, i in infra for e in input_errors(i)]
        if broken:
            # the broker's configuration exists but could not be read whole: never "not used" or "not audited" from the rest
            return [ctx.finding(BROKER, 'error', 'RabbitMQ configuration could not be read: %s' % '; '.join(
                '%s: %s: %s' % (h, e.get('file'), e.get('message')) for h, e in broken[:5]), host=broken[0][0], file=broken[0][1].get('file'),
                evidence={'input_errors': [e for _h, e in broken[:20]]},
                remediation='repair the RabbitMQ configuration (or make it readable by the audit), then audit again')]
        if rabbit_clients or infra:
            hosts = sorted(set(str(x.get('host')) for _h, s in rabbit_clients for u in _urls(s, 'rabbit') for x in u.get('hosts') or []
                               if isinstance(x, dict) and x.get('host')))
            reason = ('services use RabbitMQ (%s) but no audited host in the mq stage runs a RabbitMQ node: add the broker hosts to the audit'
                      % (', '.join(hosts[:6]) or 'transport_url without host')) if rabbit_clients else 'no broker evidence was gathered'
            if infra:
                reason += ('; discovery found RabbitMQ configuration on %s, where rabbitmq_tls_info did not run (audit_mq_gather, or the mq '
                           'stage was skipped)' % ', '.join(sorted(set(h for h, _i in infra))))
            return [ctx.finding(BROKER, 'not_assessed', reason)]
        return [ctx.finding(BROKER, 'not_applicable', 'RabbitMQ is not in use: no RabbitMQ node on the audited hosts (%s) and no service uses a rabbit:// '
                            'transport URL' % ', '.join(ctx.channel_hosts('mq')),
                            absence=_cloud_absence(ctx, 'no RabbitMQ configuration, no rabbit:// transport URL; rabbitmq_tls_info found '
                                                   'no node', ('rabbitmq',)))]
    all_conns, _status = live_connections(ctx)
    for host, broker in brokers:
        findings.extend(_broker_findings(ctx, host, broker, all_conns))
    return findings


def _broker_findings(ctx, host, broker, all_conns):
    findings = []
    node = broker.get('node') or 'rabbitmq'
    if broker.get('failed'):
        return [ctx.finding(BROKER, 'error', 'rabbitmq_tls_info failed on this host: %s' % (broker.get('msg') or 'no message'), host=host)]
    config = broker.get('config') or {}
    live = broker.get('live') or {}
    findings.extend(_broker_state_findings(ctx, host, node, config, live))
    listeners = _broker_listeners(broker)
    source = broker.get('listeners_source')
    if source != 'live' and config.get('errors') and findings:
        return findings  # judged from a configuration that could not be read whole: its errors only, never a verdict
    if not listeners and source is None:
        if not findings:
            findings.append(ctx.finding(BROKER, 'error', 'neither the configuration nor the live node of %s gave any listener' % node, host=host))
        return findings
    ssl_options = config.get('ssl_options') or {}
    ssl_listeners = [l for l in listeners if l.get('protocol') == 'amqp/ssl']
    https_listeners = [l for l in listeners if l.get('protocol') == 'https']
    plain_listeners = [l for l in listeners if l.get('protocol') in ('amqp', 'http')]
    src_text = 'live node' if source == 'live' else 'configuration (live state not available)' if live.get('status') == 'error' else 'configuration'
    if source != 'live' and config.get('defaults'):
        src_text = 'configuration: %s' % config['defaults']
    check = broker.get('amqp_check') or {}
    shown = ('cacertfile', 'certfile', 'keyfile', 'verify', 'fail_if_no_peer_cert', 'versions', 'ciphers')
    ev_common = {'node': node, 'listeners_source': source, 'listeners': listeners,
                 'ssl_options': dict((k, ssl_options.get(k)) for k in shown if k in ssl_options),
                 'peer_verification': _peer_verification_text(ssl_options)}
    if not ssl_listeners:
        findings.append(ctx.finding(BROKER, 'fail', 'RabbitMQ node %s has no AMQPS (amqp/ssl) listener (from the %s): TLS is not enabled' % (node, src_text),
                                    host=host, setting='listeners.ssl', evidence=ev_common,
                                    remediation='rabbitmq.conf: listeners.ssl.default = 5671 with ssl_options.cacertfile/certfile/keyfile '
                                                '(kolla-ansible: rabbitmq_enable_tls: "yes")'))
    else:
        where = ', '.join(_hostport(l.get('address') or '*', l.get('port')) for l in ssl_listeners)
        msg = 'RabbitMQ node %s has TLS enabled: AMQPS listener %s (from the %s); %s' % (node, where, src_text, ev_common['peer_verification'])
        if check.get('status') == 'ok':
            server = check.get('server') or {}
            msg += '; AMQP over TLS proven on %s (%s %s, %s)' % (
                _hostport(check.get('host'), check.get('port')), server.get('product') or 'AMQP server', server.get('version') or '',
                check.get('tls_version'))
        findings.append(ctx.finding(BROKER, 'pass', msg, host=host, endpoint=where, setting='listeners.ssl', evidence=ev_common))
    findings.extend(_amqp_check_findings(ctx, host, check))
    findings.extend(_listener_tls_findings(ctx, host, ssl_listeners + https_listeners, live))
    # plain listeners: enabled, and used?
    conn_ok = (live.get('status') == 'ok' and (live.get('connections') or {}).get('status') == 'ok')
    for listener in plain_listeners:
        findings.append(_plain_listener_finding(ctx, host, broker, listener, all_conns, conn_ok))
    return findings


def _broker_state_findings(ctx, host, node, config, live):
    """Errors of a broker's configuration files and of its live state."""
    findings = []
    for err in config.get('errors') or []:
        line = ' line %s' % err['line'] if err.get('line') else ''
        findings.append(ctx.finding(BROKER, 'error', 'RabbitMQ configuration %s%s cannot be used: %s (RabbitMQ refuses to start with a malformed '
                                    'configuration; the TLS settings in it are unknown)' % (err.get('file'), line, err.get('message')),
                                    host=host, file=err.get('file'), setting=('line %s' % err['line']) if err.get('line') else None,
                                    evidence={'error': err}, remediation='fix the file so that RabbitMQ can parse it'))
    if live.get('status') == 'error':
        err = live.get('error') or {}
        findings.append(ctx.finding(BROKER, 'error', 'live state of node %s not available (%s): %s%s' % (
            node, err.get('kind'), err.get('message'), '; judged from the configuration' if config.get('found') else ''),
            host=host, setting='live', evidence={'live_error': err},
            remediation={'node_down': 'start the node or audit with live: false to rely on the configuration',
                         'permission': 'run the audit as root/rabbitmq or set audit_mq_cli_env HOME to the directory with the node\'s .erlang.cookie',
                         'cli_missing': 'install the RabbitMQ CLI tools or set audit_mq_container for a containerised node',
                         'timeout': 'raise audit_mq_cli_timeout'}.get(err.get('kind'))))
    return findings


def _amqp_check_findings(ctx, host, check):
    """The AMQP-over-TLS check: a failed login, a failed check."""
    findings = []
    login = check.get('login') or {}
    if check.get('status') == 'ok' and login.get('status') == 'error':
        err = login.get('error') or {}
        findings.append(ctx.finding(BROKER, 'error', 'AMQP check of %s: TLS and AMQP answered, but the login as %s failed (%s): %s' % (
            _hostport(check.get('host'), check.get('port')), login.get('user'), err.get('kind'), err.get('message')),
            host=host, endpoint=_hostport(check.get('host'), check.get('port')), setting='amqp_check', evidence={'amqp_check': check},
            remediation='check audit_mq_amqp_user / audit_mq_amqp_password (or drop them: the TLS + AMQP proof needs no login)'))
    if check.get('status') == 'error':
        err = check.get('error') or {}
        findings.append(ctx.finding(BROKER, 'fail' if err.get('kind') in ('not_tls', 'not_amqp', 'protocol') else 'error',
                                    'AMQP check of %s failed (%s): %s' % (_hostport(check.get('host'), check.get('port')), err.get('kind'), err.get('message')),
                                    host=host, endpoint=_hostport(check.get('host'), check.get('port')), setting='amqp_check',
                                    evidence={'amqp_check': check}))
    return findings


def _listener_tls_findings(ctx, host, tls_listeners, live):
    """The TLS quality of every TLS listener (AMQPS and management HTTPS), from the probes; probes of no listener too."""
    findings = []
    # TLS quality of every TLS listener (AMQPS + management HTTPS), from the probes
    endpoints = _mq_endpoints(ctx, host)
    used = set()
    for listener in tls_listeners:
        desc = '%s listener' % ('AMQPS' if listener.get('protocol') == 'amqp/ssl' else 'management HTTPS')
        probes = [e for e in endpoints if e.get('port') == listener.get('port')]
        if not probes:
            where = _hostport(listener.get('address') or '*', listener.get('port'))
            why = ''
            remedy = 'enable audit_mq_tls_probe (or add the port to audit_mq_tls_endpoints)'
            if live.get('status') == 'skipped' and live.get('snapshot') is True:
                # a snapshot: the configured TLS listener is a "configured, not probed" target of scs-0125-tls-mozilla
                # (discovery's configured_listeners); whether TLS is enabled is decided from the configuration here
                continue
            if live.get('status') == 'skipped':
                why = (' (the node was not asked live - a configuration snapshot or audit_mq_live: false - and the listeners of a '
                       'configuration are never probed, as its addresses may name other machines)')
                remedy = 'audit the broker host itself with a live root, or add its address and port to audit_mq_tls_endpoints'
            findings.append(ctx.finding(BROKER, 'not_assessed', 'the TLS of the %s %s was not probed%s: its Mozilla compliance is unknown' % (
                desc, where, why), host=host, endpoint=where, evidence={'listener': listener}, remediation=remedy))
            continue
        for probe in probes:
            used.add(id(probe))
            findings.append(_endpoint_findings(ctx, host, probe, desc))
    for probe in endpoints:
        if id(probe) not in used:
            findings.append(_endpoint_findings(ctx, host, probe, 'TLS endpoint'))
    return findings


# --------------------------------------------------------------------------------------------
# client rule (rabbit)


def _broker_ports(ctx, hosts=None):
    """``(ssl_ports, plain_ports)`` of the audited brokers (only those on ``hosts`` when given); once per evaluation and
    set of hosts."""
    return ctx.memo(('mq broker ports', None if hosts is None else frozenset(hosts)), lambda: _listener_ports(ctx, hosts))


def _listener_ports(ctx, hosts):
    ssl_ports, plain_ports = set(), set()
    for host, broker in _brokers(ctx):
        if hosts is not None and host not in hosts:
            continue
        for listener in _broker_listeners(broker):
            if listener.get('protocol') == 'amqp/ssl' and isinstance(listener.get('port'), int):
                ssl_ports.add(listener['port'])
            elif listener.get('protocol') == 'amqp' and isinstance(listener.get('port'), int):
                plain_ports.add(listener['port'])
    return ssl_ports, plain_ports


def _url_broker_ports(ctx, identities, svc_host, url):
    """The listener ports to compare a URL's ports with: those of the audited brokers the URL names
    when every address in it is known, else those of all audited brokers."""
    broker_hosts = ctx.memo('mq broker hosts', lambda: frozenset(h for h, _b in _brokers(ctx)))
    named = set()
    for _name, _port, owners in url_targets(identities, svc_host, url):
        hit = owners & broker_hosts
        if not hit:
            return _broker_ports(ctx)
        named |= hit
    return _broker_ports(ctx, named) if named else _broker_ports(ctx)


def _config_verdict(ctx, eff, ssl_ports, plain_ports):
    """``(status, reasons, notes)`` of one URL's configuration."""
    reasons, notes = [], []
    require_ca = bool((ctx.options or {}).get('mq_require_ca_file', False))
    if eff['invalid']:
        reasons.extend(eff['invalid'])
    if not eff['ssl']:
        reasons.append('TLS is off (ssl from %s%s)' % (eff['ssl_source'], ' = %s' % eff['ssl_raw'] if eff['ssl_raw'] not in (None, '') else ''))
    elif eff['relies_on_obsolete']:
        reasons.append('TLS is switched on only by the %s, which current oslo.messaging releases ignore' % eff['ssl_source'])
    if eff['ssl']:
        if eff.get('unverified'):
            reasons.append(UNVERIFIED % eff['ssl_version'])
        elif not eff['ca_file']:
            text = ('no ssl_ca_file: the broker certificate is checked only against the system trust store (py-amqp >= 5) '
                    'or not at all (older py-amqp)')
            (reasons if require_ca else notes).append(text)
        else:
            notes.append('CA %s (from %s)' % (eff['ca_file'], eff['ca_source']))
        if eff['ssl_version'] and str(eff['ssl_version']).lower() in WEAK_SSL_VERSIONS:
            reasons.append('ssl_version = %s pins an obsolete protocol version' % eff['ssl_version'])
        if ssl_ports or plain_ports:
            for port in eff['ports']:
                if port in plain_ports and port not in ssl_ports:
                    reasons.append('port %s is the broker\'s plain AMQP listener, not its TLS listener (%s): the configuration is inconsistent' % (
                        port, ', '.join(str(p) for p in sorted(ssl_ports)) or 'none'))
                elif ssl_ports and port not in ssl_ports:
                    notes.append('port %s is not a TLS listener port of the audited brokers (%s)' % (port, ', '.join(str(p) for p in sorted(ssl_ports))))
        else:
            notes.append('no broker listener evidence to compare the port %s with' % ', '.join(str(p) for p in eff['ports']))
    else:
        for port in eff['ports']:
            if port in ssl_ports and port not in plain_ports:
                notes.append('port %s is a TLS listener of the broker: plain AMQP to it cannot work (is this configuration in use?)' % port)
    if eff['obsolete']:
        notes.append('obsolete option names: %s' % ', '.join(eff['obsolete']))
    notes.append('oslo.messaging does not check the broker host name against its certificate (py-amqp is given no server_hostname)')
    return ('fail' if reasons else 'pass'), reasons, notes


def _match_live(conns, host, service, component_hosts):
    """Live connections of one discovered service on one host.

    By component (``nova-compute``: kolla's container directory is the process name); when no
    connection carries the component (no component, or an OpenStack-Ansible container name), by
    project (``nova``). The peer must map to ``host``; a peer that maps to no audited host is
    accepted only when the component runs on one audited host.
    """
    comp = service.get('component')
    svc = service.get('service')
    by_component = bool(comp) and any(c.get('component') == comp for c in conns)
    out = []
    for conn in conns:
        if by_component and conn.get('component') != comp:
            continue
        if not by_component and (not svc or conn.get('service') != svc):
            continue
        if conn.get('client_host') == host:
            out.append(conn)
        elif conn.get('client_host') is None and len(component_hosts.get(comp or svc, ())) == 1:
            out.append(conn)
    return out


def rule_client_tls(ctx):
    return _broken_clients(ctx, CLIENT) + _merge_applicability(_rabbit_client_findings(ctx), _amqp1_client_findings(ctx) + _zmq_client_findings(ctx))


def _rabbit_client_findings(ctx):
    findings = []
    services = _services(ctx)
    rabbit_services = [(h, s) for h, s in services if _urls(s, 'rabbit')]
    brokers = _brokers(ctx)
    conns, conn_status = live_connections(ctx)
    gathered = [s for s in conn_status if s['status'] == 'ok']
    not_gathered = [s for s in conn_status if s['status'] != 'ok']
    if not rabbit_services and not conns:
        if brokers:
            return [ctx.finding(CLIENT, 'not_assessed', 'a RabbitMQ broker runs on %s but no OpenStack service configuration with a rabbit:// transport URL '
                                'was discovered and no live connection was gathered' % ', '.join(sorted(set(h for h, _b in brokers))))]
        return [ctx.finding(CLIENT, 'not_applicable', 'RabbitMQ is not in use: no service uses a rabbit:// transport URL and no RabbitMQ node was found',
                            absence=_cloud_absence(ctx, 'no rabbit:// transport URL, no RabbitMQ node'))]
    identities = host_identities(ctx)
    component_hosts = {}
    for host, service in rabbit_services:
        component_hosts.setdefault(service.get('component') or service.get('service'), set()).add(host)
    live_note = ('live connections gathered on %s' % ', '.join(sorted(set(s['host'] for s in gathered)))) if gathered else (
        'live connections not gathered (%s)' % '; '.join('%s: %s' % (s['host'], (s.get('error') or {}).get('kind') or s['status']) for s in not_gathered)
        if not_gathered else 'live connections not gathered (no broker node audited)')
    consumed = set()
    for host, service in rabbit_services:
        label = _service_label(service)
        matched = _match_live(conns, host, service, component_hosts) if gathered else []
        for conn in matched:
            consumed.add(id(conn))
        for url in _urls(service, 'rabbit'):
            eff = effective_rabbit(url, service.get('rabbit'))
            ssl_ports, plain_ports = _url_broker_ports(ctx, identities, host, url)
            status, reasons, notes = _config_verdict(ctx, eff, ssl_ports, plain_ports)
            purpose = url.get('purpose') or ('notifications' if 'notification' in (url.get('section') or '') else 'rpc')
            ev = {'transport_url': url.get('url'), 'purpose': purpose, 'effective': eff, 'config_verdict': status,
                  'config_reasons': reasons, 'notes': notes, 'live': live_note}
            setting = _setting_name(url)
            config_text = '%s transport (%s in %s): %s' % (purpose, setting, url.get('file') or '?',
                                                           ('TLS configured (ssl from %s)' % eff['ssl_source']) if status == 'pass' else '; '.join(reasons))
            url_conns = [c for c in matched if c.get('port') in eff['ports']] or matched
            if url_conns:
                plain = [c for c in url_conns if not c.get('ssl')]
                tls = [c for c in url_conns if c.get('ssl')]
                ev['live_connections'] = _conn_evidence(url_conns)
                if plain:
                    msg = '%s: live connections are plain (%d plain, %d TLS: %s)%s; %s' % (
                        label, len(plain), len(tls), _conn_text(plain),
                        ' although the configuration says TLS - live evidence overrides the configuration' if status == 'pass' else '', config_text)
                    findings.append(ctx.finding(CLIENT, 'fail', msg, host=host, service=label, file=url.get('file'), setting=setting, evidence=ev,
                                                remediation=_client_remediation(eff)))
                    continue
                msg = '%s: all %d live connection(s) use TLS (%s)' % (label, len(tls), ', '.join(sorted(set(c.get('ssl_protocol') or '?' for c in tls))))
                if eff.get('unverified'):  # a live connection shows encryption, never that the client checked the broker
                    findings.append(ctx.finding(CLIENT, 'fail', '%s, but %s' % (msg, UNVERIFIED % eff['ssl_version']), host=host, service=label,
                                                file=url.get('file'), setting=setting, evidence=ev, remediation=_client_remediation(eff)))
                    continue
                if status != 'pass':
                    msg += ('; the configuration looks plain (%s) - live evidence overrides it (a file not read, a TLS proxy, '
                            'or a stale file?)' % '; '.join(reasons))
                else:
                    msg += '; %s' % config_text
                findings.append(ctx.finding(CLIENT, 'pass', msg, host=host, service=label, file=url.get('file'), setting=setting, evidence=ev))
                continue
            msg = '%s: %s; %s' % (label, config_text, live_note if not gathered else 'no live connection of this service was seen at the audited brokers')
            if status == 'pass' and notes:
                msg += ' (%s)' % notes[0]
            findings.append(ctx.finding(CLIENT, status, msg, host=host, service=label, file=url.get('file'), setting=setting, evidence=ev,
                                        remediation=_client_remediation(eff) if status == 'fail' else None))
    findings.extend(_unexplained_conn_findings(ctx, conns, consumed, conn_status))
    return findings


def _unexplained_conn_findings(ctx, conns, consumed, conn_status):
    """Live connections nobody's configuration explains (grouped by client, peer, broker and TLS), and truncated lists."""
    findings = []
    groups = {}
    for conn in conns:
        if id(conn) in consumed:
            continue
        if conn.get('connection_name', '') and str(conn.get('connection_name')).startswith('scs-secure-connections-audit'):
            continue
        client = conn.get('component') or conn.get('process') or conn.get('client_product') or 'unknown client'
        key = (client, conn.get('peer_host'), conn.get('broker_host'), bool(conn.get('ssl')))
        groups.setdefault(key, []).append(conn)
    for (client, peer, broker_host, is_tls), items in sorted(groups.items(), key=lambda kv: (kv[0][0], kv[0][1] or '', kv[0][2], kv[0][3])):
        host = items[0].get('client_host') or broker_host
        ev = {'live_connections': _conn_evidence(items), 'matched_service_config': False}
        if is_tls:
            findings.append(ctx.finding(CLIENT, 'pass', 'live: %d TLS connection(s) of %s from %s to the broker on %s (no matching service configuration '
                                        'was discovered)' % (len(items), client, peer, broker_host), host=host, service=client, endpoint=peer, evidence=ev))
        else:
            findings.append(ctx.finding(CLIENT, 'fail', 'live: %d plain AMQP connection(s) of %s from %s to the broker on %s (no matching service '
                                        'configuration was discovered)' % (len(items), client, peer, broker_host), host=host, service=client, endpoint=peer,
                                        evidence=ev, remediation='find the client (connection name %s) and configure it for TLS' % (
                                            items[0].get('connection_name') or '?')))
    for status in conn_status:
        if status.get('truncated'):
            findings.append(ctx.finding(CLIENT, 'error', 'the connection list of the broker on %s was truncated (max_connections): not every client '
                                        'was judged' % status['host'], host=status['host']))
    return findings


def _client_remediation(eff):
    parts = []
    if not eff['ssl'] or eff['relies_on_obsolete']:
        parts.append('[oslo_messaging_rabbit] ssl = true (or ?ssl=1 in transport_url)')
    if not eff['ca_file']:
        parts.append('[oslo_messaging_rabbit] ssl_ca_file = <CA bundle>%s' % (' (or remove ssl_version)' if eff.get('unverified') else ''))
    if any('port' in r for r in eff['invalid']):
        parts.append('transport_url port = the broker\'s TLS port (5671)')
    parts.append('transport_url = rabbit://<user>:<password>@<host>:5671/ (kolla-ansible: om_enable_rabbitmq_tls: "yes")')
    return '; '.join(parts)


# --------------------------------------------------------------------------------------------
# AMQP 1.0 (Qpid) and ZeroMQ clients

AMQP1_URL_OPTIONS = ('ssl', 'ssl_ca_file', 'ssl_cert_file', 'ssl_key_file', 'ssl_verify_vhost')
AMQP1_NOTE = 'the AMQP 1.0 driver is deprecated and no longer shipped by current oslo.messaging releases'


def effective_amqp1(url, group):
    """Effective TLS settings of one ``amqp://`` transport URL (AMQP 1.0 driver, ``[oslo_messaging_amqp]``).

    As the driver's controller does: TLS is used when ``ssl`` is true or ``ssl_ca_file`` or
    ``ssl_cert_file`` is set; the server certificate is checked against ``ssl_ca_file`` (else the
    system CA bundle) and its name against the broker host name, or the virtual host with
    ``ssl_verify_vhost``. URL query options override the group's.
    """
    group = group if isinstance(group, dict) else {}
    sources = group.get('sources') if isinstance(group.get('sources'), dict) else {}
    query = url.get('query') or {}
    eff = {}
    for name in AMQP1_URL_OPTIONS:
        from_url = _url_setting(query, name)
        if from_url is not None:
            eff[name] = from_url
        elif group.get(name) not in (None, ''):
            eff[name] = (group.get(name), sources.get(name) or '[oslo_messaging_amqp] %s' % name)
    invalid = []
    ssl = oslo_bool(eff.get('ssl', (None, None))[0])
    if ssl == 'invalid':
        invalid.append('ssl = %r is not a boolean (the service would refuse to start)' % eff['ssl'][0])
    vhost = oslo_bool(eff.get('ssl_verify_vhost', (None, None))[0])
    ca_file = eff.get('ssl_ca_file', (None, None))[0] or None
    cert_file = eff.get('ssl_cert_file', (None, None))[0] or None
    if ssl is True:
        tls, source = True, eff['ssl'][1]
    elif ca_file:
        tls, source = True, eff['ssl_ca_file'][1]
    elif cert_file:
        tls, source = True, eff['ssl_cert_file'][1]
    else:
        tls, source = False, eff.get('ssl', (None, 'default (off)'))[1]
    return {'tls': tls, 'tls_source': source, 'ca_file': ca_file, 'cert_file': cert_file, 'verify_vhost': vhost is True,
            'invalid': invalid, 'hosts': [_hostport(h.get('host'), h.get('port') or RABBIT_DEFAULT_PORT)
                                          for h in url.get('hosts') or [] if isinstance(h, dict)]}


def _amqp1_users(ctx):
    return [(h, s) for h, s in _services(ctx) if _urls(s, 'amqp1')]


def _amqp1_client_findings(ctx):
    findings = []
    for host, service in _amqp1_users(ctx):
        label = _service_label(service)
        for url in _urls(service, 'amqp1'):
            eff = effective_amqp1(url, service.get('amqp1'))
            setting = _setting_name(url)
            purpose = url.get('purpose') or 'rpc'
            ev = {'transport_url': url.get('url'), 'purpose': purpose, 'driver': 'amqp1', 'effective': eff}
            head = '%s: %s transport over AMQP 1.0 (%s in %s) to %s' % (label, purpose, setting, url.get('file') or '?',
                                                                        ', '.join(eff['hosts']) or '?')
            if eff['invalid'] or not eff['tls']:
                reasons = list(eff['invalid'])
                if not eff['tls']:
                    reasons.append('TLS is off (neither ssl, ssl_ca_file nor ssl_cert_file is set; from %s)' % eff['tls_source'])
                findings.append(ctx.finding(CLIENT, 'fail', '%s: %s (%s)' % (head, '; '.join(reasons), AMQP1_NOTE), host=host, service=label,
                                            file=url.get('file'), setting=setting, evidence=ev,
                                            remediation='[oslo_messaging_amqp] ssl = true and ssl_ca_file = <CA bundle> (or move to the '
                                                        'RabbitMQ driver with TLS)'))
                continue
            trust = 'CA %s' % eff['ca_file'] if eff['ca_file'] else 'the system CA bundle (no ssl_ca_file)'
            name = 'the virtual host name (ssl_verify_vhost)' if eff['verify_vhost'] else 'the broker host name'
            findings.append(ctx.finding(CLIENT, 'pass', '%s: TLS on (from %s); the certificate is checked against %s and %s (%s)' % (
                head, eff['tls_source'], trust, name, AMQP1_NOTE), host=host, service=label, file=url.get('file'), setting=setting, evidence=ev))
    return findings


def _amqp1_broker_findings(ctx):
    targets = {}
    for host, service in _amqp1_users(ctx):
        for url in _urls(service, 'amqp1'):
            for target in effective_amqp1(url, service.get('amqp1'))['hosts'] or ['?']:
                targets.setdefault(target, set()).add('%s on %s' % (_service_label(service), host))
    if not targets:
        return []
    return [ctx.finding(BROKER, 'not_assessed', 'services use the AMQP 1.0 driver (amqp://) with the broker or router at %s (%s): Qpid brokers '
                        'and routers are not audited by this collection; check their TLS listener by hand (qpidd: ssl-port, '
                        'require-encryption; qdrouterd: a listener with sslProfile and requireSsl)' % (
                            target, ', '.join(sorted(users)[:8])), endpoint=target, evidence={'clients': sorted(users)})
            for target, users in sorted(targets.items())]


def _zmq_client_findings(ctx):
    findings = []
    for host, service in _services(ctx):
        label = _service_label(service)
        for url in _urls(service, 'zmq'):
            findings.append(ctx.finding(CLIENT, 'manual', '%s: %s transport uses ZeroMQ (%s in %s), which has no TLS: the standard expects '
                                        'WireGuard or CIPSO underneath (the ZeroMQ driver was removed in oslo.messaging 9.0)' % (
                                            label, url.get('purpose') or 'rpc', _setting_name(url), url.get('file') or '?'),
                                        host=host, service=label, file=url.get('file'), setting=_setting_name(url),
                                        evidence={'transport_url': url.get('url'), 'driver': 'zmq'},
                                        remediation='move to the RabbitMQ driver with TLS, or show the WireGuard/CIPSO protection and attest'))
    return findings


# --------------------------------------------------------------------------------------------
# Kafka


def _kafka_users(ctx):
    return [(h, s) for h, s in _services(ctx) if _urls(s, 'kafka')]


def _listener_ssl_material(parsed, name):
    ssl = dict(parsed.get('ssl') or {})
    ssl.update((parsed.get('listener_ssl') or {}).get(name) or {})
    keystore = ssl.get('ssl.keystore.location') or (ssl.get('ssl.keystore.type', '').upper() == 'PEM' and ssl.get('ssl.keystore.certificate.chain'))
    return bool(keystore), ssl


def kafka_broker_verdicts(parsed):
    """``[(status, message, setting)]`` for one parsed server.properties."""
    out = []
    props = parsed.get('properties') or {}
    listeners = parsed.get('listeners') or []
    if not props.get('listeners'):
        listeners = [{'name': 'PLAINTEXT', 'host': None, 'port': KAFKA_DEFAULT_PORT, 'security_protocol': 'PLAINTEXT', 'protocol_source': 'default',
                      'raw': 'PLAINTEXT://:9092 (Kafka default)'}]
    controller = set(n.upper() for n in parsed.get('controller_listener_names') or [])
    for listener in listeners:
        name = listener.get('name')
        proto = listener.get('security_protocol')
        where = listener.get('raw') or '%s://%s:%s' % (name, listener.get('host') or '', listener.get('port'))
        role = ' (controller listener)' if name in controller else ''
        if listener.get('error'):
            out.append(('error', 'listener %s cannot be parsed: %s' % (where, listener['error']), 'listeners'))
            continue
        if proto is None:
            out.append(('error', 'listener %s has no security protocol: %s is missing from listener.security.protocol.map (the broker refuses to start)'
                        % (where, name), 'listener.security.protocol.map'))
            continue
        if proto in TLS_KAFKA_PROTOCOLS:
            has_key, ssl = _listener_ssl_material(parsed, name)
            if not has_key:
                out.append(('fail', 'listener %s%s uses %s but has no key material (ssl.keystore.location or a PEM keystore)' % (where, role, proto),
                            'ssl.keystore.location'))
                continue
            notes = []
            protocols = ssl.get('ssl.enabled.protocols')
            if protocols and any(p.strip() in ('TLSv1', 'TLSv1.1', 'SSLv3') for p in protocols.split(',')):
                notes.append('ssl.enabled.protocols allows %s' % protocols)
            if ssl.get('ssl.endpoint.identification.algorithm', None) == '':
                notes.append('ssl.endpoint.identification.algorithm is empty: host name verification of broker connections is off')
            client_auth = ssl.get('ssl.client.auth') or 'none'
            notes.append('ssl.client.auth = %s' % client_auth)
            out.append(('pass', 'listener %s%s uses %s%s' % (where, role, proto, ' (%s)' % '; '.join(notes) if notes else ''), 'listeners'))
        elif _is_loopback(listener.get('host')):
            out.append(('pass', 'listener %s%s is %s but bound to loopback only' % (where, role, proto), 'listeners'))
        else:
            out.append(('fail', 'listener %s%s accepts %s (unencrypted) on %s' % (
                where, role, proto, 'every interface' if _is_wildcard(listener.get('host')) else listener.get('host')), 'listeners'))
    # inter-broker
    ib_name = parsed.get('inter_broker_listener_name')
    ib_proto = parsed.get('security_inter_broker_protocol')
    if ib_name:
        match = [l for l in listeners if l.get('name') == str(ib_name).upper()]
        proto = match[0].get('security_protocol') if match else None
        if not match:
            out.append(('error', 'inter.broker.listener.name = %s names no listener' % ib_name, 'inter.broker.listener.name'))
        elif proto in TLS_KAFKA_PROTOCOLS:
            out.append(('pass', 'inter-broker traffic uses listener %s (%s)' % (ib_name, proto), 'inter.broker.listener.name'))
        else:
            out.append(('fail', 'inter-broker traffic uses listener %s (%s, unencrypted)' % (ib_name, proto), 'inter.broker.listener.name'))
    else:
        proto = (ib_proto or 'PLAINTEXT').upper()
        if proto in TLS_KAFKA_PROTOCOLS:
            out.append(('pass', 'inter-broker protocol %s' % proto, 'security.inter.broker.protocol'))
        else:
            out.append(('fail', 'inter-broker protocol %s%s (unencrypted)' % (proto, '' if ib_proto else ' (Kafka default)'), 'security.inter.broker.protocol'))
    return out


def rule_kafka_listener_tls(ctx):
    findings = []
    infra = _infrastructure(ctx, 'kafka')
    users = _kafka_users(ctx)
    if not infra:
        if users:
            hosts = sorted(set(str(x.get('host')) for _h, s in users for u in _urls(s, 'kafka') for x in u.get('hosts') or [] if isinstance(x, dict)))
            return [ctx.finding(KAFKA_LISTENER, 'not_assessed', 'services use Kafka (%s) but no Kafka server.properties was found on the audited hosts: '
                                'add the Kafka brokers to the audit' % (', '.join(hosts[:6]) or '?'))]
        return [ctx.finding(KAFKA_LISTENER, 'not_applicable', 'Apache Kafka is not in use: no server.properties on the audited hosts and no service uses '
                            'a kafka:// transport URL', absence=_cloud_absence(ctx, 'no Kafka server.properties, no kafka:// transport URL', ('kafka',)))]
    for host, item in infra:
        path = item.get('file')
        parsed = item.get('parsed') if isinstance(item.get('parsed'), dict) else item
        errors = list(item.get('errors') or [])
        if item.get('error'):
            errors.append({'message': item['error']})
        if errors and not parsed.get('properties'):
            findings.append(ctx.finding(KAFKA_LISTENER, 'error', 'Kafka configuration %s could not be read: %s' % (
                path, '; '.join(str(e.get('message')) for e in errors if isinstance(e, dict))), host=host, file=path, evidence={'errors': errors}))
            continue
        for err in errors:
            if isinstance(err, dict):
                findings.append(ctx.finding(KAFKA_LISTENER, 'error', 'Kafka configuration %s line %s: %s' % (path, err.get('line'), err.get('message')),
                                            host=host, file=path, evidence={'error': err}))
        ev = {'listeners': parsed.get('listeners'), 'listener_security_protocol_map': parsed.get('listener_security_protocol_map'),
              'security_inter_broker_protocol': parsed.get('security_inter_broker_protocol'),
              'inter_broker_listener_name': parsed.get('inter_broker_listener_name'),
              'ssl': dict((k, v) for k, v in (parsed.get('ssl') or {}).items() if 'password' not in k)}
        for status, message, setting in kafka_broker_verdicts(parsed):
            findings.append(ctx.finding(KAFKA_LISTENER, status, 'Kafka %s: %s' % (path, message), host=host, file=path, setting=setting, evidence=ev,
                                        remediation=None if status == 'pass' else
                                        'server.properties: listeners=SSL://<addr>:9093 (or SASL_SSL), listener.security.protocol.map, '
                                        'ssl.keystore.location / ssl.truststore.location, security.inter.broker.protocol=SSL '
                                        '(or inter.broker.listener.name=<SSL listener>)'))
    return findings


def rule_kafka_client_tls(ctx):
    findings = []
    users = _kafka_users(ctx)
    if not users:
        infra = _infrastructure(ctx, 'kafka')
        if infra:
            return [ctx.finding(KAFKA_CLIENT, 'not_applicable', 'a Kafka broker is configured on %s but no OpenStack service uses a kafka:// transport URL'
                                % ', '.join(sorted(set(h for h, _i in infra))),
                                absence=_cloud_absence(ctx, 'no kafka:// transport URL'))] + _broken_clients(ctx, KAFKA_CLIENT)
        return [ctx.finding(KAFKA_CLIENT, 'not_applicable', 'Apache Kafka is not in use: no service uses a kafka:// transport URL',
                            absence=_cloud_absence(ctx, 'no kafka:// transport URL'))] + _broken_clients(ctx, KAFKA_CLIENT)
    for host, service in users:
        label = _service_label(service)
        for url in _urls(service, 'kafka'):
            eff = effective_kafka(url, service.get('kafka'))
            setting = _setting_name(url)
            purpose = url.get('purpose') or 'notifications'
            ev = {'transport_url': url.get('url'), 'purpose': purpose, 'effective': eff}
            proto = eff['security_protocol']
            if proto not in TLS_KAFKA_PROTOCOLS:
                findings.append(ctx.finding(KAFKA_CLIENT, 'fail', '%s: %s transport to Kafka uses security_protocol %s (from %s): unencrypted' % (
                    label, purpose, proto, eff['security_protocol_source']), host=host, service=label, file=url.get('file'), setting=setting, evidence=ev,
                    remediation='[oslo_messaging_kafka] security_protocol = SSL (or SASL_SSL), ssl_cafile = <CA>'))
            elif not eff['ssl_cafile']:
                findings.append(ctx.finding(KAFKA_CLIENT, 'fail', '%s: %s transport to Kafka uses %s but no ssl_cafile (the standard asks for the CA '
                                            'that verifies the broker)' % (label, purpose, proto), host=host, service=label, file=url.get('file'),
                                            setting=setting, evidence=ev, remediation='[oslo_messaging_kafka] ssl_cafile = <CA bundle>'))
            else:
                findings.append(ctx.finding(KAFKA_CLIENT, 'pass', '%s: %s transport to Kafka uses %s with CA %s (from %s)' % (
                    label, purpose, proto, eff['ssl_cafile'], eff['ssl_cafile_source']), host=host, service=label, file=url.get('file'),
                    setting=setting, evidence=ev))
    return findings


RULES = {
    BROKER: rule_broker_tls,
    CLIENT: rule_client_tls,
    KAFKA_LISTENER: rule_kafka_listener_tls,
    KAFKA_CLIENT: rule_kafka_client_tls,
}
