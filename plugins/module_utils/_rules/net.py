# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Rules of the ``net`` channel: VPNaaS offered, Neutron overlay tunnels encrypted (both MAY).

Evidence: ``audit_evidence.net`` = ``{'network': <storage_network_info result>,
'extensions': <neutron_extension_info result, or absent>}``.

Both controls are MAY: the rules give ``pass`` when the measure is in place and ``fail`` when it is
not; the level makes a ``fail`` informational in the verdict (docs/channel-sto-net.md).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.scs.secure_connections.plugins.module_utils._rules.common import not_observable

VPNAAS = 'scs-0125-vpn-vpnaas'
TUNNEL = 'scs-0125-net-tunnel-encryption'

TUNNEL_TYPES = ('vxlan', 'geneve', 'gre', 'stt')


def _net(ctx, host):
    ev = ctx.evidence(host, 'net', {}) or {}
    return ev.get('network') or {}, ev.get('extensions')


# --------------------------------------------------------------------------------------------
# scs-0125-vpn-vpnaas

def server_plugin_settings(entries):
    """The effective ``service_plugins`` of each neutron-server, from the per-file entries.

    The files of one directory (``/etc/neutron``, kolla's ``/etc/kolla/neutron-server``) are read
    by the same neutron-server, which merges them like oslo.config: the last file (in the given
    order) that sets the option wins, and a file that does not set it is not judged on its own.
    An agent's copy of neutron.conf does not decide which service plugins the server loads.
    Returns ``[{file, files, set, plugins, vpnaas}]`` in first-seen directory order.
    """
    groups = {}
    order = []
    for entry in entries:
        if not isinstance(entry, dict) or not entry.get('server') or not entry.get('file'):
            continue
        directory = str(entry['file']).rsplit('/', 1)[0]
        if directory not in groups:
            groups[directory] = []
            order.append(directory)
        groups[directory].append(entry)
    out = []
    for directory in order:
        items = groups[directory]
        setting = [e for e in items if e.get('set')]
        chosen = setting[-1] if setting else items[0]
        out.append({'file': chosen['file'], 'files': [e['file'] for e in items], 'set': bool(setting),
                    'plugins': list(chosen.get('plugins') or []) if setting else [], 'vpnaas': bool(setting and chosen.get('vpnaas'))})
    return out


def rule_vpnaas(ctx):
    findings = []
    api_ok, api_errors, seen = [], [], set()
    for host in ctx.channel_hosts('net'):
        _network, ext = _net(ctx, host)
        if not isinstance(ext, dict) or not ext:
            continue
        key = ext.get('endpoint') or ext.get('auth_url') or 'network API'
        if ext.get('status') == 'ok':
            if key not in seen:
                seen.add(key)
                api_ok.append((host, key, ext))
        else:
            err = ext.get('error') or {}
            message = err.get('message') if isinstance(err, dict) else str(err)
            kind = '%s: ' % err.get('kind') if isinstance(err, dict) and err.get('kind') else ''
            api_errors.append((host, key, '%s%s' % (kind, message or ext.get('msg') or 'unknown error')))
    for host, key, ext in api_ok:
        evidence = {'endpoint': ext.get('endpoint'), 'aliases': ext.get('aliases') or [], 'vpnaas_aliases': ext.get('vpnaas_aliases') or []}
        if ext.get('vpnaas'):
            findings.append(ctx.finding(VPNAAS, 'pass', 'the Neutron API at %s lists the VPNaaS extension (%s)' % (
                key, ', '.join(ext.get('vpnaas_aliases') or ['vpnaas'])), host=host, endpoint=key, evidence=evidence))
        else:
            findings.append(ctx.finding(VPNAAS, 'fail', 'the Neutron API at %s does not list the VPNaaS extension (vpnaas) among its %d '
                                        'extensions' % (key, len(ext.get('aliases') or [])), host=host, endpoint=key, evidence=evidence,
                                        remediation='enable_neutron_vpnaas: "yes" (kolla-ansible) or service_plugins = ...,vpnaas'))
    config_findings = []
    for host in ctx.channel_hosts('net'):
        network, _ext = _net(ctx, host)
        neutron = network.get('neutron') or {}
        for entry in server_plugin_settings(neutron.get('service_plugins') or []):
            evidence = {'file': entry['file'], 'files': entry['files'], 'service_plugins': entry['plugins'], 'server': True}
            where = entry['file'] if len(entry['files']) == 1 else '%s (read with %s)' % (
                entry['file'], ', '.join(f for f in entry['files'] if f != entry['file']))
            if entry['vpnaas']:
                config_findings.append(ctx.finding(VPNAAS, 'pass', '%s enables the VPNaaS service plugin ([DEFAULT] service_plugins = %s)' % (
                    where, ','.join(entry['plugins'])), host=host, file=entry['file'], setting='service_plugins', evidence=evidence))
            else:
                config_findings.append(ctx.finding(
                    VPNAAS, 'fail', '%s does not enable VPNaaS ([DEFAULT] service_plugins = %s)' % (
                        where, ','.join(entry['plugins']) if entry['set'] else '(unset)'),
                    host=host, file=entry['file'], setting='service_plugins', evidence=evidence,
                    remediation='neutron.conf [DEFAULT] service_plugins = ...,vpnaas (kolla-ansible: enable_neutron_vpnaas: "yes")'))
    findings.extend(config_findings)
    if not api_ok:
        for host, key, message in api_errors:
            if config_findings:
                continue  # the configuration answered; the API failure is in the evidence
            findings.append(ctx.finding(VPNAAS, 'error', 'the Neutron API extension list could not be read from %s: %s' % (key, message),
                                        host=host, endpoint=key))
    covered = set(f['target'].get('host') for f in findings)
    for host in ctx.channel_hosts('net'):
        if host in covered:
            continue
        network, ext = _net(ctx, host)
        if not network and not ext:
            findings.append(ctx.finding(VPNAAS, 'error', 'no Neutron evidence recorded for this host', host=host))
            continue
        neutron = network.get('neutron') or {}
        files = neutron.get('files') or []
        agent_plugins = ['%s: %s' % (e.get('file'), ','.join(e.get('plugins') or [])) for e in neutron.get('service_plugins') or [] if e.get('set')]
        reason = ('no neutron-server configuration on this host (%s) and no Neutron API queried from it%s' % (
            'agent configuration only: %s' % ', '.join(files) if files else 'no Neutron configuration found',
            '; service_plugins in agent copies of neutron.conf, not judged: %s' % '; '.join(agent_plugins) if agent_plugins else ''))
        findings.append(ctx.finding(VPNAAS, 'not_applicable', reason, host=host,
                                    absence=('storage_network_info read the Neutron configuration of %s: %s' % (host, reason))
                                    # only a Neutron scan that ran (it lists the files it read) is evidence of absence
                                    if isinstance(network.get('neutron'), dict) and 'files' in network['neutron'] else None))
    return findings


# --------------------------------------------------------------------------------------------
# scs-0125-net-tunnel-encryption

def _cloud_ipsec(ctx):
    """``(value, host, errors)``: NB_Global ipsec as read on any host (True/False) or None."""
    value, where, errors = None, None, []
    for host in ctx.channel_hosts('net'):
        network, _ext = _net(ctx, host)
        ovn = (network.get('neutron') or {}).get('ovn_ipsec') or {}
        if ovn.get('ipsec') is True:
            return True, host, errors
        if ovn.get('ipsec') is False:
            value, where = False, host
        elif ovn.get('error') and not ovn['error'].startswith('not queried'):
            errors.append('%s: %s' % (host, ovn['error']))
    return value, where, errors


def _tunnels_configured(neutron):
    """``(configured, reason)`` from tunnel_types / tenant_network_types."""
    entries = neutron.get('tunnel_types') or []
    if not entries:
        return None, None
    types = set()
    for entry in entries:
        if entry.get('setting', '').endswith('type_drivers'):
            continue
        types.update(v.lower() for v in entry.get('value') or [])
    if types & set(TUNNEL_TYPES):
        return True, ', '.join(sorted(types & set(TUNNEL_TYPES)))
    settings = ', '.join('%s %s = %s' % (e.get('file'), e.get('setting'), ','.join(e.get('value') or []) or '(empty)')
                         for e in entries if not e.get('setting', '').endswith('type_drivers'))
    return (False, settings) if settings else (None, None)


def rule_tunnel(ctx):
    findings = []
    ipsec, ipsec_host, ipsec_errors = _cloud_ipsec(ctx)
    for host in ctx.channel_hosts('net'):
        network, _ext = _net(ctx, host)
        if not network:
            findings.append(ctx.finding(TUNNEL, 'error', 'no storage_network_info result recorded for this host (net channel)', host=host))
            continue
        if network.get('failed') or network.get('route_source') is None:
            if not network.get('failed') and network.get('configuration_read') is True and isinstance(network.get('neutron'), dict):
                findings.append(_tunnel_unobserved(ctx, host, network))
                continue
            msgs = [e.get('message') for e in network.get('errors') or [] if e.get('component') == 'network']
            status = 'not_assessed' if not network.get('failed') and not_observable(network) else 'error'
            findings.append(ctx.finding(TUNNEL, status, 'the network of this host could not be read: %s' % (
                network.get('msg') or '; '.join(m for m in msgs if m) or 'unknown reason'), host=host))
            continue
        if not isinstance(network.get('neutron'), dict):
            findings.append(ctx.finding(TUNNEL, 'error', 'the storage_network_info result of this host holds no Neutron section: '
                                        'the tunnel configuration was not read', host=host))
            continue
        neutron = network['neutron']
        ovs = neutron.get('ovs') or {}
        endpoints = neutron.get('tunnel_endpoints') or []
        configured, types = _tunnels_configured(neutron)
        ovn = 'ovn' in (neutron.get('mechanism_drivers') or []) or bool(ovs.get('ovn_encap_ip'))
        if configured is False and not ovs.get('ovn_encap_ip'):
            findings.append(ctx.finding(TUNNEL, 'not_applicable', 'no overlay tunnels configured (%s): VLAN/flat networks only' % types, host=host,
                                        absence='Neutron configuration read: tunnel types %s' % types))
            continue
        if not endpoints:
            if ovn and not ovs.get('available'):
                findings.append(ctx.finding(
                    TUNNEL, 'error', 'Neutron uses OVN here but %s is not installed: the tunnel endpoint (external_ids:ovn-encap-ip) cannot be read; '
                    'set audit_net_ovs_vsctl_command (e.g. [docker, exec, openvswitch_vswitchd, ovs-vsctl])' % (ovs.get('tool') or 'ovs-vsctl'),
                    host=host, evidence={'ovs': ovs}))
            elif neutron.get('files'):
                findings.append(ctx.finding(TUNNEL, 'not_applicable', 'no tunnel endpoint on this host (no [ovs]/[vxlan] local_ip, no ovn-encap-ip): '
                                            'it terminates no overlay tunnel', host=host,
                                            absence=('Neutron configuration read (%s): no local_ip, no ovn-encap-ip' % ', '.join(neutron['files']))
                                            if 'tunnel_endpoints' in neutron else None))
            else:
                findings.append(ctx.finding(TUNNEL, 'not_applicable', 'no Neutron on this host (no Neutron configuration, no OVN chassis)', host=host,
                                            absence='storage_network_info found no Neutron configuration and no OVN chassis'))
            continue
        peers = neutron.get('tunnel_peers') or []
        for endpoint in endpoints:
            findings.append(_tunnel_finding(ctx, host, endpoint, peers, ovn, ipsec, ipsec_host, ipsec_errors))
    return findings


def _tunnel_unobserved(ctx, host, network):
    """What the Neutron configuration decides on a host whose network (interfaces, routes, OVS) could not be read:
    no tunnel configured or no tunnel endpoint -> not_applicable; a configured endpoint (or an OVN chassis, whose
    endpoint lives in the OVS database) -> not_assessed (error when the network read failed), naming what is missing."""
    neutron = network['neutron']
    problem = '; '.join(e.get('message') for e in network.get('errors') or [] if e.get('component') == 'network' and e.get('message'))
    status = 'not_assessed' if not_observable(network) else 'error'
    configured, types = _tunnels_configured(neutron)
    endpoints = neutron.get('tunnel_endpoints') or []
    chassis = ((neutron.get('ovs') or {}).get('chassis_files') or [])
    files = neutron.get('files') or []
    if configured is False:
        return ctx.finding(TUNNEL, 'not_applicable', 'no overlay tunnels configured (%s): VLAN/flat networks only' % types, host=host,
                           absence='Neutron configuration read: tunnel types %s' % types)
    if endpoints:
        return ctx.finding(TUNNEL, status, 'tunnel endpoint(s) %s configured: whether the overlay is encrypted (WireGuard on the route, '
                           'OVN IPsec) needs the interfaces and routes of this host, which could not be read: %s' % (
                               ', '.join('%s (%s)' % (e.get('address'), e.get('origin')) for e in endpoints), problem or 'unknown reason'),
                           host=host, evidence={'tunnel_endpoints': endpoints})
    if 'ovn' in (neutron.get('mechanism_drivers') or []) or chassis:
        return ctx.finding(TUNNEL, status, 'OVN/OVS chassis (%s): its tunnel endpoint (external_ids:ovn-encap-ip) is in the OVS database, '
                           'which was not read: %s' % (', '.join(chassis) or 'ml2 mechanism_drivers has ovn', problem or 'unknown reason'),
                           host=host)
    if files:
        return ctx.finding(TUNNEL, 'not_applicable', 'no tunnel endpoint on this host (no [ovs]/[vxlan] local_ip, no OVN chassis): it '
                           'terminates no overlay tunnel', host=host,
                           absence='Neutron configuration read (%s): no local_ip, no OVN mechanism driver, no OVN chassis files' % ', '.join(files))
    return ctx.finding(TUNNEL, 'not_applicable', 'no Neutron on this host (no Neutron configuration, no OVN chassis files)', host=host,
                       absence='storage_network_info read the configuration: no Neutron file and none of %s' % 'OVN/OVS chassis files')


def _tunnel_finding(ctx, host, endpoint, peers, ovn, ipsec, ipsec_host, ipsec_errors):
    addr = endpoint.get('address')
    evidence = {'endpoint': endpoint, 'peers': peers, 'ovn': ovn, 'ovn_ipsec': ipsec, 'ovn_ipsec_read_on': ipsec_host}
    label = 'tunnel endpoint %s (%s)' % (addr, endpoint.get('origin'))
    if endpoint.get('error'):
        return ctx.finding(TUNNEL, 'error', '%s: %s' % (label, endpoint['error']), host=host, endpoint=addr, evidence=evidence)
    if not endpoint.get('local'):
        return ctx.finding(TUNNEL, 'error', '%s is not an address of this host (the kernel routes it via %s): the agent cannot use it'
                           % (label, endpoint.get('interface')), host=host, endpoint=addr, evidence=evidence)
    iface = endpoint.get('interface')
    if endpoint.get('wireguard'):
        return ctx.finding(TUNNEL, 'pass', '%s sits on WireGuard device %s: overlay packets to other nodes are encrypted (underlay NIC(s) %s)'
                           % (label, ', '.join(endpoint['wireguard']), ', '.join(endpoint.get('nics') or []) or '?'),
                           host=host, endpoint=addr, evidence=evidence)
    if peers:
        plain = [p for p in peers if not p.get('wireguard')]
        if not plain:
            return ctx.finding(TUNNEL, 'pass', '%s is on %s, but every one of the %d tunnel peers is routed through WireGuard (%s)' % (
                label, iface, len(peers), ', '.join(sorted(set(w for p in peers for w in p['wireguard'])))),
                host=host, endpoint=addr, evidence=evidence)
    else:
        plain = []
    if ovn and ipsec is True:
        return ctx.finding(TUNNEL, 'pass', '%s: OVN IPsec is enabled (NB_Global ipsec=true, read on %s)' % (label, ipsec_host),
                           host=host, endpoint=addr, evidence=evidence)
    if ovn and ipsec is None:
        return ctx.finding(
            TUNNEL, 'manual', '%s is on %s (not WireGuard) and OVN IPsec could not be read (%s): is OVN IPsec enabled? Run '
            '"ovn-nbctl get NB_Global . ipsec" on a host with access to the northbound DB (or set audit_net_ovn_nbctl_command / '
            'audit_net_ovn_nb_db) and attest.' % (label, iface, '; '.join(ipsec_errors) or 'ovn-nbctl not available on any audited host'),
            host=host, endpoint=addr, evidence=evidence)
    why = 'on %s, not a WireGuard device' % iface
    if plain:
        why += '; tunnel peers routed without WireGuard: %s' % ', '.join('%s via %s' % (p.get('address'), p.get('interface')) for p in plain)
    if ovn and ipsec is False:
        why += '; OVN IPsec is disabled (NB_Global ipsec=false, read on %s)' % ipsec_host
    return ctx.finding(TUNNEL, 'fail', '%s is not encrypted: %s' % (label, why), host=host, endpoint=addr, evidence=evidence,
                       remediation='put the tunnel_interface address on a WireGuard device, or ovn-nbctl set NB_Global . ipsec=true')


RULES = {
    VPNAAS: rule_vpnaas,
    TUNNEL: rule_tunnel,
}
