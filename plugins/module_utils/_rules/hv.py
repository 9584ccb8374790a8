# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Rules of the hypervisor channel (scs-0125-hv-*): libvirt exposure, client certificates,
SSH-local libvirt, encrypted live migration.

Evidence used, per host:

* ``hv.libvirt``: the ``libvirt_tls_info`` result (daemons with effective settings, observed
  listeners, TLS material, qemu.conf migration TLS, SSH keys);
* ``hv.tls.endpoints``: TLS probes of the libvirt TLS listeners (judged by the tls-mozilla rule,
  not here);
* ``discovery.services[*].libvirt``: nova's ``[libvirt] live_migration_*`` options.

Decisions worth knowing (docs/channel-hv.md explains them):

* A plain-TCP libvirt socket on a non-loopback address fails ``scs-0125-hv-libvirt-exposure`` with
  ``auth_tcp = "none"`` (unauthenticated and unprotected) and ALSO with ``auth_tcp = "sasl"``: the
  catalog calls SASL over plain TCP "only a warning", and a failed SHOULD NOT control is exactly
  that - a warning that never breaks the conformance verdict (only MUST failures do). The message
  says that SASL authenticates but is not a secure channel, so the two cases stay distinguishable.
* A TLS socket fails exposure when ``tls_no_verify_certificate = 1`` leaves it unauthenticated
  (``auth_tls = "none"``); with ``auth_tls = "sasl"`` the socket is authenticated and encrypted,
  so exposure passes and the client-cert control reports the missing verification.
* What a listener really does wins over what its file says: an observed socket is judged even if
  the config disables it (the file changed, the daemon was not restarted), and an auth type
  answered by the listener itself (``tcp_auth_probes``) wins over ``auth_tcp``. A transport the
  config enables but nobody listens on is judged too ("will listen after a restart").
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import fnmatch

from ansible_collections.scs.secure_connections.plugins.module_utils._core.netaddr import hostport as endpoint, is_loopback
from ansible_collections.scs.secure_connections.plugins.module_utils._core.settings import describe_setting
from ansible_collections.scs.secure_connections.plugins.module_utils._core.words import OSLO, parse_bool
from ansible_collections.scs.secure_connections.plugins.module_utils._rules.common import broken_input

MIGRATION = 'scs-0125-hv-migration-encrypted'
EXPOSURE = 'scs-0125-hv-libvirt-exposure'
CLIENT_CERT = 'scs-0125-hv-libvirt-client-cert'
SSH_LOCAL = 'scs-0125-hv-libvirt-ssh-local'

KOLLA_DIR = '/etc/kolla/nova-libvirt'


# ----------------------------------------------------------------------------------------------
# helpers (pure, unit-tested)

def to_bool(value):
    """A nova BoolOpt as oslo.config reads it: True / False / None (unset, or a word oslo.config rejects)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return bool(value)
    return parse_bool(value, OSLO, invalid=None)


def to_int(value):
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


def setting_text(settings, name):
    """``auth_tcp = "none" (/etc/libvirt/libvirtd.conf line 7)`` from an effective settings dict."""
    return describe_setting(name, (settings or {}).get(name) or {})


def catch_all(pattern):
    """True when a tls_allowed_dn_list glob admits any subject (``*``, ``*CN=*`` ...)."""
    samples = ('C=ZZ,O=Nobody Inc,CN=random-host-%d.invalid', 'CN=x%d', 'O=%d')
    return all(fnmatch.fnmatchcase(s % n, str(pattern)) for n, s in enumerate(samples))


def setting_value(settings, name):
    return ((settings or {}).get(name) or {}).get('value')


def migration_transport(nova):
    """``{scheme, source, user, uri}`` of nova's live migration connection from its [libvirt] options."""
    nova = nova or {}
    uri = nova.get('live_migration_uri')
    if uri:
        head = str(uri).split('://', 1)[0].lower()
        scheme = head.split('+', 1)[1] if '+' in head else 'tcp'
        user = None
        rest = str(uri).split('://', 1)[1] if '://' in str(uri) else ''
        netloc = rest.split('/', 1)[0]
        if '@' in netloc:
            user = netloc.split('@', 1)[0] or None
        return {'scheme': scheme, 'source': 'live_migration_uri = %s (deprecated option; it overrides live_migration_scheme)' % uri,
                'user': user, 'uri': uri}
    scheme = nova.get('live_migration_scheme')
    if scheme:
        return {'scheme': str(scheme).lower(), 'source': 'live_migration_scheme = %s' % scheme, 'user': None, 'uri': None}
    return {'scheme': 'tcp', 'source': 'live_migration_scheme unset: nova uses qemu+tcp://<dest>/system', 'user': None, 'uri': None}


def nova_libvirt(ctx, host):
    """``(options, service entry)`` of this host's nova-compute [libvirt] section, or ``(None, None)``."""
    services = [s for s in (ctx.evidence(host, 'discovery', {}).get('services') or [])
                if isinstance(s, dict) and s.get('service') == 'nova' and isinstance(s.get('libvirt'), dict)]
    if not services:
        return None, None

    def rank(service):
        component = str(service.get('component') or '')
        files = ' '.join(str(f) for f in service.get('files') or [])
        values = [v for v in service['libvirt'].values() if v not in (None, '')]
        return (0 if 'compute' in component or 'nova-compute' in files else 1, 0 if values else 1)

    services.sort(key=rank)
    return services[0]['libvirt'], services[0]


def libvirt_evidence(ctx, host):
    """``(libvirt_tls_info result, error message)``."""
    hv = ctx.evidence(host, 'hv', {})
    lv = hv.get('libvirt') if isinstance(hv, dict) else None
    if not isinstance(lv, dict):
        return None, 'the hv channel was gathered on %s but holds no libvirt_tls_info result' % host
    if lv.get('failed') or 'present' not in lv:
        return None, 'libvirt_tls_info failed on %s: %s' % (host, lv.get('msg') or 'no result')
    return lv, None


def _daemon_of(lv, name, config):
    for daemon in lv.get('daemons') or []:
        if daemon.get('name') == name and daemon.get('config_file') == config:
            return daemon
    return None


def sockets(lv):
    """Every libvirt network socket of a host: observed ones, then configured ones nobody listens on.

    Each: ``{endpoint, address, port, transport, daemon, observed, loopback, auth_observed, pid, note}``.
    """
    out = []
    seen = set()
    for item in lv.get('listeners') or []:
        daemon = _daemon_of(lv, item.get('daemon'), item.get('daemon_config'))
        key = (id(daemon), item.get('transport'), item.get('port'))
        seen.add(key)
        out.append({'endpoint': item.get('endpoint') or endpoint(item.get('address'), item.get('port')), 'address': item.get('address'),
                    'port': item.get('port'), 'transport': item.get('transport'), 'daemon': daemon, 'observed': True,
                    'loopback': bool(item.get('loopback')), 'auth_observed': item.get('auth_observed'), 'pid': item.get('pid'),
                    'process': item.get('process'), 'container': item.get('container'), 'note': None})
    for daemon in lv.get('daemons') or []:
        for transport in daemon.get('transports') or []:
            if not transport.get('enabled'):
                continue
            for bind in transport.get('binds') or []:
                if (id(daemon), transport.get('transport'), bind.get('port')) in seen:
                    continue  # observed: what listens wins over what the file says
                key = (id(daemon), transport.get('transport'), bind.get('port'), bind.get('address'))
                if key in seen:
                    continue
                seen.add(key)
                if daemon.get('config_error'):
                    note = 'assumed from libvirt defaults because %s cannot be read' % daemon.get('config_file')
                elif daemon.get('mode') == 'socket_activation':
                    note = 'enabled socket unit, no socket observed (systemd not running, or the unit is stopped)'
                elif daemon.get('running'):
                    note = 'configured but not listening now (the daemon was started before the change?): it will listen after a restart'
                else:
                    note = 'configured; the daemon is not running now, it will listen when started'
                out.append({'endpoint': endpoint(bind.get('address'), bind.get('port')), 'address': bind.get('address'),
                            'port': bind.get('port'), 'transport': transport.get('transport'), 'daemon': daemon, 'observed': False,
                            'loopback': is_loopback(bind.get('address')), 'auth_observed': None, 'pid': None,
                            'process': None, 'container': None, 'note': note})
    return out


def unknown_transports(lv, transport=None):
    """``[(daemon, transport entry)]`` whose serving is unknown (an enabled socket unit whose unit file is not in the tree)."""
    return [(daemon, entry) for daemon in lv.get('daemons') or [] for entry in daemon.get('transports') or []
            if entry.get('enabled') is None and entry.get('via') == 'socket_activation'
            and (transport is None or entry.get('transport') == transport)]


def _unknown_findings(ctx, control, host, lv, transport=None):
    """``not_assessed`` for each transport whose socket unit was enabled but could not be read."""
    return [ctx.finding(control, 'not_assessed', '%s on %s: %s; read the unit file (or audit the live host) to assess it' % (
        daemon.get('name') or 'libvirt', host, entry.get('reason')), host=host,
        evidence={'daemon': daemon.get('name'), 'transport': entry.get('transport'), 'unresolved_units': daemon.get('unresolved_units')})
        for daemon, entry in unknown_transports(lv, transport)]


def _who(sock):
    """``libvirtd pid 2211 in nova_libvirt, /etc/kolla/nova-libvirt/libvirtd.conf``."""
    parts = []
    daemon = sock.get('daemon')
    name = (daemon or {}).get('name') or sock.get('process') or 'unknown process'
    if sock.get('pid'):
        name = '%s pid %s' % (sock.get('process') or name, sock['pid'])
    if sock.get('container'):
        name += ' in container %s' % sock['container']
    parts.append(name)
    if daemon and daemon.get('config_file'):
        parts.append(daemon['config_file'])
    return ', '.join(parts)


def _state(sock):
    return 'listening' if sock['observed'] else sock.get('note') or 'configured'


def _layout(lv, daemon=None):
    if daemon and daemon.get('layout') == 'kolla':
        return 'kolla'
    return lv.get('layout') or 'distro'


def _sock_evidence(sock):
    daemon = sock.get('daemon') or {}
    settings = daemon.get('settings') or {}
    return {'socket': sock['endpoint'], 'transport': sock['transport'], 'observed': sock['observed'], 'loopback': sock['loopback'],
            'daemon': daemon.get('name'), 'config_file': daemon.get('config_file'), 'mode': daemon.get('mode'),
            'listen_flag': daemon.get('listen_flag'), 'pid': sock.get('pid'), 'container': sock.get('container'),
            'auth_tcp': setting_value(settings, 'auth_tcp'), 'auth_tls': setting_value(settings, 'auth_tls'),
            'tls_no_verify_certificate': setting_value(settings, 'tls_no_verify_certificate'),
            'tls_allowed_dn_list': setting_value(settings, 'tls_allowed_dn_list'), 'auth_observed': sock.get('auth_observed'),
            'note': sock.get('note')}


def _not_present(ctx, control_id, host, lv):
    return ctx.finding(control_id, 'not_applicable', '%s: %s' % (host, lv.get('reason') or 'no libvirt on this node (libvirt_tls_info found none)'),
                       host=host, evidence={'present': False, 'reason': lv.get('reason')},
                       absence='libvirt_tls_info looked for libvirt on %s and found none: %s' % (host, lv.get('reason') or 'no libvirt'))


def _unreadable(daemon):
    return daemon and daemon.get('config_error')


# ----------------------------------------------------------------------------------------------
# remediation text

def _exposure_fix(lv, sock):
    daemon = sock.get('daemon') or {}
    conf = daemon.get('config_file') or '/etc/libvirt/libvirtd.conf'
    layout = _layout(lv, daemon)
    if sock['transport'] == 'tls':
        fix = 'In %s remove tls_no_verify_certificate (or set it to 0) and set tls_allowed_dn_list to the compute nodes\' client subjects; restart %s.' % (
            conf, daemon.get('name') or 'libvirtd')
        if layout == 'kolla':
            fix += ' kolla-ansible: put the override in /etc/kolla/config/nova/libvirtd.conf and run kolla-ansible reconfigure.'
        return fix
    if daemon.get('mode') == 'socket_activation':
        unit = '%s-tcp.socket' % (daemon.get('name') or 'libvirtd')
        return ('Disable the plain TCP socket: systemctl disable --now %s and use %s-tls.socket with client certificates, '
                'or restrict it to loopback with a drop-in [Socket] ListenStream= / ListenStream=127.0.0.1:%s.' % (
                    unit, daemon.get('name') or 'libvirtd', sock['port']))
    if layout == 'kolla':
        return ('kolla-ansible: set libvirt_tls: "yes" in /etc/kolla/globals.yml (TLS with client certificates instead of plain TCP) '
                'and run kolla-ansible reconfigure; never libvirt_enable_sasl: "no" with libvirt_tls: "no".')
    return ('In %s set listen_tcp = 0 and serve TLS instead (listen_tls = 1 with client certificates), or bind the TCP socket to '
            'loopback with listen_addr = "127.0.0.1" and migrate over SSH; never auth_tcp = "none" on a network address. Restart %s.' % (
                conf, daemon.get('name') or 'libvirtd'))


# ----------------------------------------------------------------------------------------------
# scs-0125-hv-libvirt-exposure

def rule_exposure(ctx):
    findings = []
    for host in ctx.channel_hosts('hv'):
        lv, error = libvirt_evidence(ctx, host)
        if error:
            findings.append(ctx.finding(EXPOSURE, 'error', error, host=host))
            continue
        if not lv.get('present'):
            findings.append(_not_present(ctx, EXPOSURE, host, lv))
            continue
        socks = sockets(lv)
        for daemon in lv.get('daemons') or []:
            if _unreadable(daemon) and not any(s['daemon'] is daemon for s in socks):
                findings.append(ctx.finding(
                    EXPOSURE, 'error', 'cannot read %s on %s (%s): whether its sockets are authenticated (auth_tcp, auth_tls, '
                    'tls_no_verify_certificate, listen_addr) is unknown' % (daemon.get('config_file'), host, daemon['config_error']),
                    host=host, file=daemon.get('config_file'), evidence={'daemon': daemon.get('name'), 'error': daemon['config_error']}))
        if not socks and not lv.get('daemons'):
            findings.append(ctx.finding(EXPOSURE, 'error', 'libvirt is present on %s but the libvirt_tls_info result names no libvirt daemon: '
                                        'which TCP/TLS sockets it serves is unknown' % host, host=host))
            continue
        unknown = _unknown_findings(ctx, EXPOSURE, host, lv)
        findings.extend(unknown)
        if not socks and unknown:
            continue
        if not socks:
            modes = '; '.join('%s (%s): %s' % (d.get('name'), d.get('config_file'), (d.get('listen_flag') or {}).get('source') or d.get('mode'))
                              for d in lv.get('daemons') or [])
            if lv.get('listeners_observed'):
                message = ('libvirt on %s listens on no TCP port (UNIX socket only): no daemon has --listen or an enabled TCP/TLS socket unit '
                           '[%s], and no libvirt socket is in /proc/net/tcp' % (host, modes))
            else:
                message = ('libvirt on %s is configured to listen on no TCP port (UNIX socket only) [%s]; /proc/net/tcp could not be read, '
                           'so the running sockets were not seen' % (host, modes))
            if not any(_unreadable(d) for d in lv.get('daemons') or []):
                evidence = {'daemons': [d.get('name') for d in lv.get('daemons') or []], 'listeners_observed': lv.get('listeners_observed')}
                findings.append(ctx.finding(EXPOSURE, 'pass', message, host=host, evidence=evidence))
            continue
        for sock in socks:
            findings.append(_exposure_finding(ctx, host, lv, sock))
    return findings


def _exposure_finding(ctx, host, lv, sock):
    daemon = sock.get('daemon') or {}
    settings = daemon.get('settings') or {}
    kind = {'tls': 'TLS', 'tcp': 'plain TCP'}.get(sock['transport'], 'libvirt')
    where = '%s socket %s (%s; %s)' % (kind, sock['endpoint'], _who(sock), _state(sock))
    evidence = _sock_evidence(sock)
    conf = daemon.get('config_file')
    if sock['loopback']:
        return ctx.finding(EXPOSURE, 'pass', 'libvirt %s on %s is bound to loopback only: not reachable from the network' % (where, host),
                           host=host, endpoint=sock['endpoint'], file=conf, setting='listen_addr', evidence=evidence)
    if sock['transport'] == 'tcp':
        auth = sock.get('auth_observed')
        if auth:
            auth_text = 'the listener itself answered that it demands %s (REMOTE_PROC_AUTH_LIST); the file says %s' % (
                '/'.join(auth), setting_text(settings, 'auth_tcp'))
            auth = 'none' if 'none' in auth else auth[0]
        elif _unreadable(daemon):
            return ctx.finding(EXPOSURE, 'error', 'libvirt %s on %s is reachable from the network, and its config %s cannot be read (%s): '
                               'auth_tcp is unknown' % (where, host, conf, daemon['config_error']),
                               host=host, endpoint=sock['endpoint'], file=conf, setting='auth_tcp', evidence=evidence)
        else:
            auth = setting_value(settings, 'auth_tcp') or 'sasl'
            auth_text = setting_text(settings, 'auth_tcp')
        if auth == 'none':
            return ctx.finding(EXPOSURE, 'fail', 'libvirt %s on %s is reachable from the network without authentication and without encryption '
                               '(%s): anyone who reaches this port controls every VM on the host (OSSN-0007)' % (where, host, auth_text),
                               host=host, endpoint=sock['endpoint'], file=conf, setting='auth_tcp', evidence=evidence,
                               remediation=_exposure_fix(lv, sock))
        if auth == 'sasl':
            mech = (lv.get('sasl') or {}).get('mech_list')
            return ctx.finding(EXPOSURE, 'fail', 'libvirt %s on %s is reachable from the network over plain TCP with SASL authentication (%s%s): '
                               'SASL authenticates, but it is not a secure channel - the username/password mechanisms are not considered '
                               'cryptographically secure and the connection is not TLS (SHOULD NOT: reported as a warning)' % (
                                   where, host, auth_text, ', SASL mech_list = %s' % ' '.join(mech) if mech else ''),
                               host=host, endpoint=sock['endpoint'], file=conf, setting='listen_tcp', evidence=dict(evidence, sasl_mech_list=mech),
                               remediation=_exposure_fix(lv, sock))
        return ctx.finding(EXPOSURE, 'fail', 'libvirt %s on %s is reachable from the network over plain TCP with %s: not a protected channel' % (
            where, host, auth_text), host=host, endpoint=sock['endpoint'], file=conf, setting='auth_tcp', evidence=evidence,
            remediation=_exposure_fix(lv, sock))
    if sock['transport'] == 'tls':
        if not daemon or not isinstance(daemon.get('settings'), dict):
            return ctx.finding(EXPOSURE, 'not_assessed', 'libvirt %s on %s is reachable from the network, and no daemon configuration (settings) '
                               'was matched to it: whether client certificates are verified (tls_no_verify_certificate, auth_tls) is not '
                               'known; the defaults are no evidence of the running configuration' % (where, host),
                               host=host, endpoint=sock['endpoint'], setting='tls_no_verify_certificate', evidence=evidence)
        if _unreadable(daemon):
            return ctx.finding(EXPOSURE, 'error', 'libvirt %s on %s is reachable from the network, and its config %s cannot be read (%s): '
                               'whether client certificates are verified is unknown' % (where, host, conf, daemon['config_error']),
                               host=host, endpoint=sock['endpoint'], file=conf, setting='tls_no_verify_certificate', evidence=evidence)
        no_verify = bool(to_int(setting_value(settings, 'tls_no_verify_certificate')))
        auth_tls = setting_value(settings, 'auth_tls') or 'none'
        if no_verify and auth_tls == 'none':
            return ctx.finding(EXPOSURE, 'fail', 'libvirt %s on %s is reachable from the network and authenticates nobody: %s turns client '
                               'certificate verification off and %s - any TLS client can drive the hypervisor' % (
                                   where, host, setting_text(settings, 'tls_no_verify_certificate'), setting_text(settings, 'auth_tls')),
                               host=host, endpoint=sock['endpoint'], file=conf, setting='tls_no_verify_certificate', evidence=evidence,
                               remediation=_exposure_fix(lv, sock))
        if no_verify:
            return ctx.finding(EXPOSURE, 'pass', 'libvirt %s on %s is encrypted (TLS) and authenticated by SASL (%s) although %s; '
                               'see scs-0125-hv-libvirt-client-cert' % (where, host, setting_text(settings, 'auth_tls'),
                                                                        setting_text(settings, 'tls_no_verify_certificate')),
                               host=host, endpoint=sock['endpoint'], file=conf, setting='auth_tls', evidence=evidence)
        return ctx.finding(EXPOSURE, 'pass', 'libvirt %s on %s is encrypted (TLS) and verifies client certificates (%s, %s)' % (
            where, host, setting_text(settings, 'tls_no_verify_certificate'), setting_text(settings, 'auth_tls')),
            host=host, endpoint=sock['endpoint'], file=conf, setting='tls_no_verify_certificate', evidence=evidence)
    return ctx.finding(EXPOSURE, 'manual', 'a socket of %s on %s (%s) is reachable from the network and its transport (TCP or TLS) could '
                       'not be told from the configuration: is it authenticated and encrypted?' % (_who(sock), host, sock['endpoint']),
                       host=host, endpoint=sock['endpoint'], file=conf, evidence=evidence)


# ----------------------------------------------------------------------------------------------
# scs-0125-hv-libvirt-client-cert

def _client_identity(lv):
    cert = (lv.get('client_certificates') or {}).get('cert') or {}
    return cert


def rule_client_cert(ctx):
    findings = []
    identities = {}
    for host in ctx.channel_hosts('hv'):
        lv, _error = libvirt_evidence(ctx, host)
        if lv and lv.get('present'):
            cert = _client_identity(lv)
            if cert.get('readable') and cert.get('libvirt_dn'):
                identities[host] = cert
    for host in ctx.channel_hosts('hv'):
        lv, error = libvirt_evidence(ctx, host)
        if error:
            findings.append(ctx.finding(CLIENT_CERT, 'error', error, host=host))
            continue
        if not lv.get('present'):
            findings.append(_not_present(ctx, CLIENT_CERT, host, lv))
            continue
        tls_socks = [s for s in sockets(lv) if s['transport'] == 'tls']
        if not tls_socks:
            unreadable = [d for d in lv.get('daemons') or [] if _unreadable(d)]
            if unreadable:
                findings.append(ctx.finding(CLIENT_CERT, 'error', 'cannot read %s on %s (%s): whether libvirt serves TLS is unknown' % (
                    unreadable[0].get('config_file'), host, unreadable[0]['config_error']), host=host, file=unreadable[0].get('config_file')))
                continue
            unknown = _unknown_findings(ctx, CLIENT_CERT, host, lv, 'tls')
            if unknown:
                findings.extend(unknown)
                continue
            findings.append(ctx.finding(CLIENT_CERT, 'not_applicable', 'libvirt on %s serves no TLS socket (no listen_tls with --listen, no '
                                        'enabled TLS socket unit, none in /proc/net/tcp): client certificates do not apply; '
                                        'see scs-0125-hv-libvirt-exposure and scs-0125-hv-libvirt-ssh-local' % host, host=host,
                                        absence='libvirt_tls_info read the libvirt configuration of %s: no TLS socket configured, enabled '
                                                'or listening' % host))
            continue
        findings.extend(_server_side(ctx, host, lv, tls_socks, identities))
        if all(_unreadable(s['daemon']) and not s['observed'] for s in tls_socks):
            continue  # whether TLS is served at all is unknown: the error above says why
        findings.extend(_client_side(ctx, host, lv, identities))
    return findings


def _server_side(ctx, host, lv, tls_socks, identities):
    findings = []
    by_daemon = []
    for sock in tls_socks:
        if not any(sock['daemon'] is d for d, _s in by_daemon):
            by_daemon.append((sock['daemon'], [s for s in tls_socks if s['daemon'] is sock['daemon']]))
    for daemon, socks in by_daemon:
        daemon = daemon or {}
        settings = daemon.get('settings') or {}
        conf = daemon.get('config_file')
        names = ', '.join(s['endpoint'] for s in socks)
        evidence = {'sockets': names, 'config_file': conf, 'tls_no_verify_certificate': setting_value(settings, 'tls_no_verify_certificate'),
                    'tls_allowed_dn_list': setting_value(settings, 'tls_allowed_dn_list'), 'auth_tls': setting_value(settings, 'auth_tls')}
        if _unreadable(daemon):
            findings.append(ctx.finding(CLIENT_CERT, 'error', 'libvirt TLS socket %s on %s: its config %s cannot be read (%s)' % (
                names, host, conf, daemon['config_error']), host=host, endpoint=socks[0]['endpoint'], file=conf, evidence=evidence))
            continue
        ca = (daemon.get('certificates') or {}).get('ca') or {}
        ca_name = ca.get('subject') or setting_value(settings, 'ca_file') or 'configured ca_file'
        problems = []
        if to_int(setting_value(settings, 'tls_no_verify_certificate')):
            problems.append(('tls_no_verify_certificate', '%s: libvirt does not verify client certificates at all' % setting_text(
                settings, 'tls_no_verify_certificate'),
                'Remove tls_no_verify_certificate from %s (default 0) and give every compute node its own client certificate.' % conf))
        allowed = setting_value(settings, 'tls_allowed_dn_list')
        if isinstance(allowed, str):
            allowed = [allowed]
        if not allowed:
            problems.append(('tls_allowed_dn_list', '%s: every client certificate issued by the CA (%s) is accepted - any holder of any '
                             'certificate from that CA can drive this hypervisor' % (setting_text(settings, 'tls_allowed_dn_list'), ca_name),
                             'Set tls_allowed_dn_list in %s to the subjects of the compute nodes\' client certificates '
                             '(virt-pki-query-dn clientcert.pem shows the exact form), e.g. ["O=Example,CN=compute1.example", ...].' % conf))
        elif any(catch_all(p) for p in allowed):
            problems.append(('tls_allowed_dn_list', '%s matches every subject: it restricts nothing' % setting_text(settings, 'tls_allowed_dn_list'),
                             'List the compute nodes\' client certificate subjects in tls_allowed_dn_list of %s instead of a catch-all pattern.' % conf))
        for setting, message, fix in problems:
            if _layout(lv, daemon) == 'kolla':
                fix += (' kolla-ansible: per-host certificates in /etc/kolla/config/nova/nova-libvirt/<hostname>/ and the override in '
                        '/etc/kolla/config/nova/libvirtd.conf, then kolla-ansible reconfigure.')
            findings.append(ctx.finding(CLIENT_CERT, 'fail', 'libvirt TLS socket %s on %s: %s' % (names, host, message), host=host,
                                        endpoint=socks[0]['endpoint'], file=conf, setting=setting, evidence=evidence, remediation=fix))
        if not problems:
            admitted = dict((h, any(fnmatch.fnmatchcase(c['libvirt_dn'], p) for p in allowed)) for h, c in identities.items() if h != host)
            refused = sorted(h for h, ok in admitted.items() if not ok)
            note = ''
            if refused:
                note = ('; note: the client certificates of %s are not in this list, so live migration from them to %s will be refused'
                        % (', '.join(refused), host))
            evidence['peers_admitted'] = admitted
            findings.append(ctx.finding(CLIENT_CERT, 'pass', 'libvirt TLS socket %s on %s verifies client certificates (%s) and admits only '
                                        'the subjects in tls_allowed_dn_list (%s)%s' % (
                                            names, host, setting_text(settings, 'tls_no_verify_certificate'), ', '.join(allowed), note),
                                        host=host, endpoint=socks[0]['endpoint'], file=conf, setting='tls_allowed_dn_list', evidence=evidence))
    return findings


def _client_side(ctx, host, lv, identities):
    cert = _client_identity(lv)
    path = cert.get('file') or cert.get('path') or '/etc/pki/libvirt/clientcert.pem'
    if not cert.get('present'):
        return [ctx.finding(CLIENT_CERT, 'fail', '%s has no libvirt client certificate (%s: %s): it has no identity of its own to present '
                            'to the other compute nodes\' libvirt over TLS' % (host, path, cert.get('error') or 'missing'),
                            host=host, file=path, setting='clientcert.pem',
                            remediation='Issue a client certificate for %s (its own subject, extendedKeyUsage clientAuth) and install it as %s '
                                        'with its key next to it.' % (host, path))]
    if not cert.get('readable') or not cert.get('libvirt_dn'):
        return [ctx.finding(CLIENT_CERT, 'error', 'the libvirt client certificate of %s (%s) cannot be used as evidence: %s' % (
            host, path, cert.get('error') or 'no subject'), host=host, file=path)]
    dn = cert['libvirt_dn']
    same = sorted(h for h, c in identities.items() if h != host and c.get('libvirt_dn') == dn)
    evidence = {'client_certificate': path, 'libvirt_dn': dn, 'sha256': cert.get('sha256'), 'not_after': cert.get('not_after'),
                'shared_with': same}
    if same:
        identical = sorted(h for h in same if identities[h].get('sha256') == cert.get('sha256'))
        detail = ' (the very same certificate file on %s)' % ', '.join(identical) if identical else ''
        return [ctx.finding(CLIENT_CERT, 'fail', 'the libvirt client certificate of %s (%s) has the subject "%s", which %s also present%s%s: '
                            'the compute nodes cannot be told apart, so no libvirt can admit one node and refuse another' % (
                                host, path, dn, ', '.join(same), 's' if len(same) == 1 else '', detail),
                            host=host, file=path, setting='clientcert.pem', evidence=evidence,
                            remediation='Issue one client certificate per compute node with its own subject (e.g. CN=<hostname>) and list '
                                        'those subjects in tls_allowed_dn_list.')]
    notes = []
    ekus = cert.get('extended_key_usage')
    if ekus is not None and 'clientAuth' not in ekus:
        notes.append('its extendedKeyUsage lacks clientAuth, which libvirt checks')
    if cert.get('expired'):
        notes.append('it expired on %s' % cert.get('not_after'))
    message = '%s presents its own libvirt client certificate subject "%s" (%s), unique among the %d compute node(s) audited' % (
        host, dn, path, len(identities) or 1)
    if notes:
        message += '; note: ' + '; '.join(notes)
    return [ctx.finding(CLIENT_CERT, 'pass', message, host=host, file=path, evidence=evidence)]


# ----------------------------------------------------------------------------------------------
# scs-0125-hv-libvirt-ssh-local

SSH_QUESTION = ('Which SSH user does live migration log in as on %s (user %s by the configuration), and is every key in that user\'s '
                'authorized_keys restricted (restrict,command="..." or an sshd ForceCommand) so that the key of one compute node '
                'cannot open a shell on another?')


def _key_files(lv, user, kolla):
    ssh = lv.get('ssh') or {}
    files = []
    for item in ssh.get('users') or []:
        if item.get('user') == user:
            files.extend(item.get('files') or [])
    if kolla and user == 'nova' and ssh.get('kolla_nova_ssh'):
        files.extend(ssh['kolla_nova_ssh'].get('files') or [])
    return files


def _force_command(lv, user):
    for sshd in (lv.get('ssh') or {}).get('sshd') or []:
        per_user = sshd.get('force_command_users') or {}
        if user in per_user:
            return per_user[user], sshd.get('file')
        if '*' in per_user:
            return per_user['*'], sshd.get('file')
        if sshd.get('force_command'):
            return sshd['force_command'], sshd.get('file')
    return None, None


def _ssh_key_finding(ctx, host, lv, user, transport):
    kolla = lv.get('layout') == 'kolla'
    files = _key_files(lv, user, kolla)
    force, force_file = _force_command(lv, user)
    readable = [f for f in files if f.get('readable')]
    unreadable = [f for f in files if f.get('present') and not f.get('readable')]
    keys = [(f['file'], k) for f in readable for k in f.get('keys') or []]
    evidence = {'user': user, 'files': [f.get('file') for f in files], 'force_command': force, 'force_command_file': force_file,
                'keys': [{'file': p, 'fingerprint': k.get('fingerprint'), 'comment': k.get('comment'), 'options': k.get('options')} for p, k in keys]}
    question = SSH_QUESTION % (host, user)
    if force:
        return ctx.finding(SSH_LOCAL, 'pass', 'SSH logins of %s on %s are restricted by ForceCommand %s (%s); review that the command allows '
                           'only what live migration needs' % (user, host, force, force_file), host=host, account=user, file=force_file,
                           setting='ForceCommand', evidence=evidence)
    if unreadable:
        return ctx.finding(SSH_LOCAL, 'error', 'cannot read %s on %s (%s): the SSH keys of %s cannot be checked. %s' % (
            unreadable[0]['file'], host, unreadable[0].get('error'), user, question), host=host, account=user, file=unreadable[0]['file'],
            evidence=evidence)
    if not keys:
        return ctx.finding(SSH_LOCAL, 'manual', 'no authorized key of %s was found on %s (looked in %s). %s' % (
            user, host, ', '.join(f.get('file') for f in files) or 'no home directory', question), host=host, account=user, evidence=evidence)
    open_keys = [(p, k) for p, k in keys if not k.get('command')]
    if open_keys:
        path, key = open_keys[0]
        names = ', '.join('%s (%s, %s line %s)' % (k.get('fingerprint'), k.get('comment') or 'no comment', p, k.get('line')) for p, k in open_keys)
        return ctx.finding(SSH_LOCAL, 'fail', 'live migration on %s uses SSH (%s) and %d key(s) of %s have no command= restriction, so they open an '
                           'unrestricted shell as %s: %s' % (host, transport['source'], len(open_keys), user, user, names),
                           host=host, account=user, file=path, setting='authorized_keys', evidence=evidence,
                           remediation='Prefix each migration key in %s with restrict,command="<wrapper that allows only the migration '
                                       'commands>" (and from="<compute network>"), or set ForceCommand in a "Match User %s" block of '
                                       'sshd_config.' % (path, user))
    return ctx.finding(SSH_LOCAL, 'pass', 'every authorized key of %s on %s has a forced command (%s); review that the command allows only what '
                       'live migration needs' % (user, host, '; '.join(sorted(set(k['command'] for _p, k in keys)))),
                       host=host, account=user, file=keys[0][0], setting='authorized_keys', evidence=evidence)


def rule_ssh_local(ctx):
    findings = []
    for host in ctx.channel_hosts('hv'):
        lv, error = libvirt_evidence(ctx, host)
        if error:
            findings.append(ctx.finding(SSH_LOCAL, 'error', error, host=host))
            continue
        if not lv.get('present'):
            findings.append(_not_present(ctx, SSH_LOCAL, host, lv))
            continue
        nova, service = nova_libvirt(ctx, host)
        if nova is None:
            findings.append(ctx.finding(SSH_LOCAL, 'manual', 'discovery found no nova-compute [libvirt] configuration on %s, so it is unknown '
                                        'whether live migration uses SSH. Does it? If so: does libvirt listen on loopback only, and are the '
                                        'migration SSH keys restricted?' % host, host=host))
            continue
        broken = broken_input(ctx, SSH_LOCAL, host, [service], 'nova\'s [libvirt] configuration (the live migration transport)',
                              service='nova')
        if broken:
            findings.append(broken)
            continue
        transport = migration_transport(nova)
        nova_file = (service.get('files') or [None])[0]
        if transport['scheme'] != 'ssh':
            findings.append(ctx.finding(SSH_LOCAL, 'not_applicable', 'live migration on %s does not use SSH (%s, %s); the TLS variant is assessed by '
                                        'scs-0125-hv-libvirt-client-cert' % (host, transport['source'], nova_file), host=host,
                                        file=nova_file, setting='live_migration_scheme', evidence={'scheme': transport['scheme']},
                                        absence=('%s, read whole: %s' % (nova_file, transport['source']))
                                        if 'live_migration_scheme' in nova and 'live_migration_uri' in nova else None))
            continue
        socks = sockets(lv)
        exposed = [s for s in socks if not s['loopback']]
        for sock in exposed:
            daemon = sock.get('daemon') or {}
            conf = daemon.get('config_file')
            findings.append(ctx.finding(
                SSH_LOCAL, 'fail', 'live migration on %s uses SSH (%s), but libvirt also listens on the network: %s socket %s (%s; %s)' % (
                    host, transport['source'], sock['transport'], sock['endpoint'], _who(sock), _state(sock)),
                host=host, endpoint=sock['endpoint'], file=conf, setting='listen_addr', evidence=_sock_evidence(sock),
                remediation=('In %s set listen_addr = "127.0.0.1" (or drop --listen: migration over SSH uses the UNIX socket) and restart '
                             'libvirtd.' % conf) if daemon.get('mode') != 'socket_activation' else
                ('Disable the %s socket unit or restrict it with a drop-in ListenStream=127.0.0.1:%s.' % (sock['transport'], sock['port']))))
        unknown = _unknown_findings(ctx, SSH_LOCAL, host, lv)
        findings.extend(unknown)
        if not exposed and not unknown:
            findings.append(ctx.finding(SSH_LOCAL, 'pass', 'live migration on %s uses SSH (%s) and libvirt listens on no network address (%s)' % (
                host, transport['source'], ', '.join(s['endpoint'] for s in socks) + ' on loopback' if socks else 'UNIX socket only'),
                host=host, setting='listen_addr', evidence={'sockets': [s['endpoint'] for s in socks]}))
        user = transport['user'] or ('nova' if lv.get('layout') == 'kolla' else 'root')
        findings.append(_ssh_key_finding(ctx, host, lv, user, transport))
    return findings


# ----------------------------------------------------------------------------------------------
# scs-0125-hv-migration-encrypted

def _migration_fix(lv, nova_file):
    if lv.get('layout') == 'kolla':
        return ('kolla-ansible: libvirt_tls: "yes" in /etc/kolla/globals.yml with the certificates in /etc/kolla/config/nova/nova-libvirt/, '
                'and [libvirt] live_migration_with_native_tls = true in /etc/kolla/config/nova/nova-compute.conf; kolla-ansible reconfigure.')
    return ('Set [libvirt] live_migration_with_native_tls = true in %s and install the QEMU TLS material (ca-cert.pem, server-cert.pem, '
            'server-key.pem, client-cert.pem, client-key.pem) in /etc/pki/qemu with default_tls_x509_verify = 1 in qemu.conf on every '
            'compute node.' % (nova_file or 'nova.conf'))


def _qemu_problems(lv):
    """Problems of the QEMU migration TLS material, ``[(setting, message, status, file)]`` (empty when usable
    with verification on)."""
    qemu = lv.get('qemu') or {}
    migration = qemu.get('migration') or {}
    conf = qemu.get('config_file')
    problems = []
    if qemu.get('config_error'):
        return [(None, 'cannot read %s: %s' % (conf, qemu['config_error']), 'error', conf)]
    cert_dir = (migration.get('cert_dir') or {})
    directory = cert_dir.get('value')
    dir_setting = cert_dir.get('setting') or 'default_tls_x509_cert_dir'
    where = '%s (%s)' % (directory, 'set by %s' % dir_setting if cert_dir.get('source') == 'file' else 'libvirt default')
    files = migration.get('files') or {}
    for name in ('ca-cert.pem', 'server-cert.pem', 'server-key.pem', 'client-cert.pem', 'client-key.pem'):
        info = files.get(name) or {}
        host_file = info.get('file') or '%s/%s' % (directory, name)
        if not info.get('present'):
            problems.append((dir_setting, '%s is missing from the migration certificate directory %s (%s)' % (name, where, host_file), 'fail', host_file))
        elif info.get('error'):
            problems.append((dir_setting, '%s in %s cannot be used: %s' % (name, where, info['error']), 'error', host_file))
        elif info.get('expired'):
            problems.append((dir_setting, '%s (%s) expired on %s: TLS migrations will fail' % (name, host_file, info.get('not_after')), 'fail', host_file))
        elif info.get('not_yet_valid'):
            problems.append((dir_setting, '%s (%s) is not valid before %s' % (name, host_file, info.get('not_before')), 'fail', host_file))
    verify = migration.get('verify') or {}
    if verify.get('value') is False:
        problems.append((verify.get('setting') or 'migrate_tls_x509_verify', '%s = 0 in %s%s: the destination QEMU accepts migration streams '
                         'from any TLS client without checking its certificate' % (
                             verify.get('setting'), conf, ' line %s' % verify['line'] if verify.get('line') else ''), 'fail', conf))
    return problems


def rule_migration(ctx):
    findings = []
    for host in ctx.channel_hosts('hv'):
        lv, error = libvirt_evidence(ctx, host)
        if error:
            findings.append(ctx.finding(MIGRATION, 'error', error, host=host))
            continue
        if not lv.get('present'):
            findings.append(_not_present(ctx, MIGRATION, host, lv))
            continue
        nova, service = nova_libvirt(ctx, host)
        if nova is None:
            findings.append(ctx.finding(MIGRATION, 'manual', 'libvirt runs on %s but discovery found no nova-compute [libvirt] configuration, so '
                                        'the live migration settings are unknown: is live migration to and from this host encrypted '
                                        '(live_migration_with_native_tls)?' % host, host=host))
            continue
        findings.append(broken_input(ctx, MIGRATION, host, [service], 'nova\'s [libvirt] configuration (the live migration settings)',
                                     service='nova') or _migration_finding(ctx, host, lv, nova, service))
    return findings


def _migration_finding(ctx, host, lv, nova, service):
    nova_file = (service.get('files') or [None])[0]
    native = to_bool(nova.get('live_migration_with_native_tls'))
    tunnelled = to_bool(nova.get('live_migration_tunnelled'))
    transport = migration_transport(nova)
    qemu = lv.get('qemu') or {}
    force = ((qemu.get('migration') or {}).get('force') or {}).get('value')
    evidence = {'nova_file': nova_file, 'live_migration_with_native_tls': nova.get('live_migration_with_native_tls'),
                'live_migration_tunnelled': nova.get('live_migration_tunnelled'), 'live_migration_scheme': nova.get('live_migration_scheme'),
                'live_migration_uri': nova.get('live_migration_uri'), 'live_migration_inbound_addr': nova.get('live_migration_inbound_addr'),
                'scheme': transport['scheme'], 'qemu_config': qemu.get('config_file'),
                'migration_cert_dir': ((qemu.get('migration') or {}).get('cert_dir') or {}).get('value'),
                'migrate_tls_x509_verify': ((qemu.get('migration') or {}).get('verify') or {}).get('value'), 'migrate_tls_force': force}
    if native:
        if tunnelled:
            return ctx.finding(MIGRATION, 'fail', 'nova on %s sets both live_migration_with_native_tls = true and live_migration_tunnelled = true '
                               '(%s): the two are mutually exclusive (nova refuses such migrations) and tunnelling is deprecated' % (host, nova_file),
                               host=host, file=nova_file, setting='live_migration_tunnelled', evidence=evidence,
                               remediation='Remove live_migration_tunnelled from [libvirt] in %s (keep live_migration_with_native_tls = true).' % (
                                   nova_file or 'nova.conf'))
        problems = _qemu_problems(lv)
        if problems:
            status = 'fail' if any(p[2] == 'fail' for p in problems) else 'error'
            first = next(p for p in problems if p[2] == status)
            evidence['problems'] = [p[1] for p in problems]
            return ctx.finding(MIGRATION, status, 'nova on %s asks for QEMU-native TLS (live_migration_with_native_tls = true, %s), but the QEMU '
                               'migration TLS material is not usable: %s' % (host, nova_file, '; '.join(p[1] for p in problems)),
                               host=host, file=first[3], setting=first[0], evidence=evidence,
                               remediation=_migration_fix(lv, nova_file) if status == 'fail' else None)
        note = ''
        if transport['scheme'] not in ('tls',):
            note = ('; the libvirt control connection itself uses %s (%s) - qemu+tls (live_migration_scheme = tls) would also protect it'
                    % (transport['scheme'], transport['source']))
        return ctx.finding(MIGRATION, 'pass', 'live migration from/to %s is encrypted with QEMU-native TLS: live_migration_with_native_tls = true '
                           '(%s), certificates in %s, client certificate verification on%s' % (
                               host, nova_file, evidence['migration_cert_dir'], note),
                           host=host, file=nova_file, setting='live_migration_with_native_tls', evidence=evidence)
    if tunnelled:
        if transport['scheme'] in ('tls', 'ssh'):
            return ctx.finding(MIGRATION, 'pass', 'live migration from/to %s is tunnelled through the libvirt connection (live_migration_tunnelled = '
                               'true, %s), which is encrypted by %s; note: tunnelling is deprecated, cannot migrate non-shared disks and costs '
                               'CPU - prefer live_migration_with_native_tls' % (host, transport['source'], transport['scheme'].upper()),
                               host=host, file=nova_file, setting='live_migration_tunnelled', evidence=evidence)
        return ctx.finding(MIGRATION, 'fail', 'live migration from/to %s is tunnelled through the libvirt connection (live_migration_tunnelled = '
                           'true), but that connection is plain %s (%s): guest memory crosses the network unencrypted' % (
                               host, transport['scheme'].upper(), transport['source']),
                           host=host, file=nova_file, setting='live_migration_with_native_tls', evidence=evidence,
                           remediation=_migration_fix(lv, nova_file))
    why = 'live_migration_with_native_tls is %s' % ('false' if native is False else 'not set (default false)')
    if transport['scheme'] == 'tls':
        reason = ('%s and %s: TLS protects only the libvirt control connection - QEMU sends guest memory and device state over a '
                  'separate, direct TCP connection in plaintext' % (why, transport['source']))
    elif transport['scheme'] == 'ssh':
        reason = ('%s and %s: SSH carries only the libvirt control connection - without native TLS or tunnelling QEMU sends guest memory '
                  'over a separate, direct TCP connection in plaintext' % (why, transport['source']))
    else:
        reason = '%s and %s: the libvirt connection and the QEMU migration stream are plain TCP' % (why, transport['source'])
    if force:
        reason += ('; qemu.conf migrate_tls_force = 1 makes libvirt refuse these non-TLS migrations, so live migration fails instead of '
                   'leaking memory')
    return ctx.finding(MIGRATION, 'fail', 'live migration from/to %s is not encrypted: %s (%s)' % (host, reason, nova_file),
                       host=host, file=nova_file, setting='live_migration_with_native_tls', evidence=evidence,
                       remediation=_migration_fix(lv, nova_file))


RULES = {
    MIGRATION: rule_migration,
    EXPOSURE: rule_exposure,
    CLIENT_CERT: rule_client_cert,
    SSH_LOCAL: rule_ssh_local,
}
