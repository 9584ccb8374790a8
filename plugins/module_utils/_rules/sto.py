# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Rules of the ``sto`` channel: dedicated storage NICs, a dedicated replication network, encryption.

Evidence: ``audit_evidence.sto`` = the ``storage_network_info`` result of the host.

Decisions (documented in docs/channel-sto-net.md):

* NIC separation is judged on the *lowest* devices under each interface (physical NICs, or the
  lowest virtual device where there is no bus device, e.g. a veth in a container) after resolving
  VLANs, macvlans, bonds, bridges and WireGuard (whose encrypted packets leave through the NICs
  routing to its peers).
* The other traffic classes are the operator's declared interfaces (management, api, tunnel,
  external, migration), the observed tunnel endpoint and the default route.
* What no machine can see - whether those NICs are cabled to physically separate switches - is
  asked as a separate ``manual`` finding per host when the NIC check passes. An operator
  attestation for the control (``conformance_report`` ``attestations``) replaces it.
* ``sto-encryption`` (MAY) gives ``pass`` when every storage path is encrypted and ``fail`` when
  one is not: the MAY level makes the result informational in the verdict.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress

from ansible_collections.scs.secure_connections.plugins.module_utils._rules.common import not_observable

FRONTEND = 'scs-0125-sto-frontend-network'
REPLICATION = 'scs-0125-sto-replication-network'
ENCRYPTION = 'scs-0125-sto-encryption'

OTHER_CLASSES = ('management', 'api', 'tunnel', 'external', 'migration', 'default')
CLASS_LABELS = {
    'management': 'management', 'api': 'API', 'tunnel': 'tunnel', 'external': 'external (provider)',
    'migration': 'live migration', 'default': 'default route', 'storage': 'storage', 'cluster': 'replication',
}


# --------------------------------------------------------------------------------------------
# helpers shared by the rules

def fatal_status(ev):
    """The status of a host whose network could not be read (see :func:`fatal_error`)."""
    return 'not_assessed' if not_observable(ev) else 'error'


def _readable_hosts(ctx, control_id, findings):
    """``(host, evidence, problem)`` of every host of the sto channel whose storage configuration was read; ``problem``
    says why its network view is missing (None when it could be read: interfaces, routes, traffic table). Each other
    host gets its finding (``error``, or ``not_assessed`` when its network is not observable) into ``findings``."""
    for host in ctx.channel_hosts('sto'):
        ev = ctx.evidence(host, 'sto', {})
        problem = fatal_error(ev)
        if problem and not configuration_read(ev):
            findings.append(ctx.finding(control_id, fatal_status(ev), problem, host=host))
            continue
        yield host, ev, problem


def configuration_read(ev):
    """True when the storage/Neutron configuration scan ran (``storage_network_info`` reads it even where the network
    is not observable): what the files decide is decided from it."""
    return isinstance(ev, dict) and not ev.get('failed') and ev.get('configuration_read') is True


def fatal_error(ev):
    """The message of an error that left no network view (None when the evidence is usable)."""
    if not isinstance(ev, dict) or not ev:
        return 'no storage_network_info result recorded for this host'
    if ev.get('failed'):
        return 'storage_network_info failed: %s' % (ev.get('msg') or 'no message')
    if ev.get('route_source') is None:
        msgs = [e.get('message') for e in ev.get('errors') or [] if e.get('component') == 'network']
        return 'the network of this host could not be read: %s' % ('; '.join(m for m in msgs if m) or 'unknown reason')
    return None


def table(ev):
    """The traffic table for the evidence: class -> interface -> NICs (one row each)."""
    out = []
    for row in ev.get('traffic') or []:
        out.append({
            'class': row.get('class'), 'interface': row.get('interface'), 'source': row.get('source'),
            'nics': row.get('nics') or [], 'physical_nics': row.get('physical_nics') or [],
            'wireguard': row.get('wireguard') or [], 'origins': row.get('origins') or [],
            'chain': row.get('chain') or [],
        })
    return out


def table_text(rows):
    """``class -> interface -> NICs`` lines for messages and reports."""
    lines = []
    for row in rows:
        nics = ', '.join(row['nics']) or '?'
        wg = ' via WireGuard %s' % ', '.join(row['wireguard']) if row['wireguard'] else ''
        lines.append('%s -> %s%s -> %s' % (CLASS_LABELS.get(row['class'], row['class']), row['interface'], wg, nics))
    return lines


def _rows(rows, cls, source=None):
    return [r for r in rows if r['class'] == cls and (source is None or r['source'] == source)]


def _nics(rows):
    out = []
    for row in rows:
        for nic in row['nics']:
            if nic not in out:
                out.append(nic)
    return out


def _virtual(ev, nics):
    """NICs among ``nics`` that have no bus device (veth, tun, ...)."""
    kinds = dict((i.get('name'), i) for i in ev.get('interfaces') or [])
    return [n for n in nics if n in kinds and not kinds[n].get('physical')]


def _missing_declared(rows):
    return ['%s (%s)' % (r['interface'], CLASS_LABELS.get(r['class'], r['class'])) for r in rows
            if r['source'] == 'declared' and not r['nics']]


def _overlaps(nics, rows, classes):
    """``{label: [shared NICs]}`` of the rows of ``classes`` sharing a NIC with ``nics``."""
    shared = {}
    for row in rows:
        if row['class'] not in classes:
            continue
        common = [n for n in row['nics'] if n in nics]
        if common:
            label = '%s (%s)' % (CLASS_LABELS.get(row['class'], row['class']), row['interface'])
            shared.setdefault(label, [])
            for nic in common:
                if nic not in shared[label]:
                    shared[label].append(nic)
    return shared


def _describe_shared(shared):
    return '; '.join('%s with %s' % (', '.join(nics), label) for label, nics in sorted(shared.items()))


def switch_question(ctx, control_id, host, what, nics, rows):
    """The manual finding asking what no machine can see."""
    return ctx.finding(
        control_id, 'manual',
        'switch-level separation cannot be seen from the host: are NIC(s) %s of %s (%s) cabled to a physically separate '
        'network - own switches, or switch ports carrying no other traffic class - and not to a switch shared with the '
        'management, API, tunnel or external networks? Answer with an attestation for %s (host %s).'
        % (', '.join(nics), host, what, control_id, host),
        host=host, setting='switch-level separation',
        evidence={'question': 'physically separate switching for %s' % what, 'nics': nics, 'table': rows},
        remediation='connect the %s NICs to dedicated switches (or dedicated ports/VLAN-free links) and attest it in the report' % what)


def _no_storage_reason(ev):
    files = [f.get('file') for f in ev.get('config_files') or []]
    inert = ['%s: no iSCSI/NFS target derived from its backends: %s' % (f.get('file'), f['inert'])
             for f in ev.get('config_files') or [] if f.get('inert')]
    read = ' (read: %s)' % ', '.join(files) if files else ' (no OpenStack configuration found)'
    return ('no storage traffic on this host: no Ceph configuration (mon_host / public_network) and no iSCSI or NFS target '
            'in the Cinder/Nova/Glance configuration%s%s' % (read, '; %s' % '; '.join(inert) if inert else ''))


def _unreadable_storage(ev):
    """Errors that mean storage configuration exists but could not be read, or could not be read whole (a Cinder, Nova
    or Glance file that names the storage backends)."""
    msgs = []
    for conf in ev.get('ceph') or []:
        if not conf.get('entities'):
            msgs.extend('%s: %s' % (e.get('file'), e.get('message')) for e in conf.get('errors') or [])
    storage_files = set(f.get('file') for f in ev.get('config_files') or [] if f.get('service') in ('cinder', 'nova', 'glance'))
    for err in ev.get('errors') or []:
        if err.get('component') == 'config' and ('nfs_shares_config' in (err.get('message') or '') or err.get('file') in storage_files):
            msgs.append('%s: %s' % (err.get('file'), err.get('message')))
    return msgs


def _storage_configured(ev):
    """The storage paths the configuration names (targets, and Ceph configurations that could be read)."""
    confs = [str(c.get('file')) for c in ev.get('ceph') or [] if c.get('entities')]
    return ['%s %s (%s)' % (t.get('kind'), t.get('host'), t.get('file')) for t in ev.get('storage_targets') or []] + confs


def _without_network(ctx, control_id, host, ev, problem, what):
    """The finding of a host whose storage is configured (``what``) but whose network could not be read."""
    return ctx.finding(control_id, fatal_status(ev), '%s, but %s needs the interfaces and routes of this host, which could not be '
                       'read: %s' % (what, control_id, problem), host=host, evidence={'configured': _storage_configured(ev)})


# --------------------------------------------------------------------------------------------
# scs-0125-sto-frontend-network

def rule_frontend(ctx):
    findings = []
    for host, ev, problem in _readable_hosts(ctx, FRONTEND, findings):
        rows = table(ev)
        storage = _rows(rows, 'storage', 'observed')
        if not storage:
            unreadable = _unreadable_storage(ev)
            unrouted = [t for t in ev.get('storage_targets') or [] if t.get('error')]
            configured = _storage_configured(ev)
            if unreadable:
                findings.append(ctx.finding(FRONTEND, 'error', 'storage configuration could not be read or resolved: %s' % '; '.join(unreadable), host=host,
                                            evidence={'errors': unreadable}))
            elif unrouted:
                findings.append(ctx.finding(FRONTEND, 'error', 'no storage address could be routed: %s' % '; '.join(
                    '%s: %s' % (t.get('host'), t.get('error')) for t in unrouted), host=host, evidence={'targets': unrouted}))
            elif problem and configured:
                findings.append(_without_network(ctx, FRONTEND, host, ev, problem, 'storage is configured (%s)' % '; '.join(configured)))
            else:
                findings.append(ctx.finding(FRONTEND, 'not_applicable', _no_storage_reason(ev), host=host, absence=_no_storage_reason(ev)))
            continue
        storage_nics = _nics(storage)
        shared = _overlaps(storage_nics, rows, OTHER_CLASSES)
        known = [r for r in rows if r['class'] in OTHER_CLASSES and r['nics']]
        missing = _missing_declared(rows)
        virtual = _virtual(ev, storage_nics)
        evidence = {'table': rows, 'storage_nics': storage_nics, 'shared': shared, 'virtual_nics': virtual,
                    'table_text': table_text(rows)}
        where = ', '.join(sorted(set(r['interface'] for r in storage)))
        if shared:
            findings.append(ctx.finding(
                FRONTEND, 'fail',
                'storage traffic (interface %s) leaves through NIC(s) %s shared with other traffic: %s'
                % (where, ', '.join(storage_nics), _describe_shared(shared)),
                host=host, evidence=evidence,
                remediation='move storage to NICs of its own: kolla-ansible storage_interface on a NIC not under '
                            'network_interface/api_interface/tunnel_interface/neutron_external_interface; ceph.conf public_network on that network'))
            continue
        if missing:
            findings.append(ctx.finding(
                FRONTEND, 'error',
                'declared interface(s) %s do not exist on this host: the traffic class map (audit_sto_traffic_interfaces) is wrong, '
                'separation cannot be judged' % ', '.join(missing), host=host, evidence=evidence))
            continue
        if not known:
            findings.append(ctx.finding(
                FRONTEND, 'manual',
                'storage traffic uses NIC(s) %s (interface %s), but no other traffic class is known on this host (no default route, no '
                'declared management/API/tunnel/external interface): which NICs carry API, tunnel and external traffic? Set '
                'audit_sto_traffic_interfaces (kolla-ansible network_interface, api_interface, tunnel_interface, '
                'neutron_external_interface).' % (', '.join(storage_nics), where), host=host, evidence=evidence))
            continue
        note = ''
        if virtual:
            note = ' Note: %s %s no bus device (virtual NIC, e.g. veth of a VM or container): separation holds on this host only.' % (
                ', '.join(virtual), 'has' if len(virtual) == 1 else 'have')
        others = ', '.join('%s %s' % (CLASS_LABELS.get(r['class'], r['class']), '/'.join(r['nics'])) for r in known)
        findings.append(ctx.finding(
            FRONTEND, 'pass',
            'storage traffic (interface %s) leaves through NIC(s) %s that no other traffic class uses (%s).%s'
            % (where, ', '.join(storage_nics), others, note), host=host, evidence=evidence))
        findings.append(switch_question(ctx, FRONTEND, host, 'storage frontend', storage_nics, rows))
    return findings


# --------------------------------------------------------------------------------------------
# scs-0125-sto-replication-network

def _osd_node(ctx, host, ev):
    """``(is_osd, reason)``."""
    daemons = ev.get('ceph_daemons') or {}
    if daemons.get('osd'):
        return True, 'Ceph OSD data directories: %s' % ', '.join(daemons['osd'])
    discovery = ctx.evidence(host, 'discovery', {}) or {}
    procs = sorted(set(l.get('process') for l in discovery.get('listeners') or [] if (l.get('process') or '').startswith('ceph-osd')))
    if procs:
        return True, 'listening process(es) %s' % ', '.join(procs)
    if ev.get('storage_node') is True:
        return True, 'inventory says storage node (audit_sto_storage_node)'
    return False, None


def _networks_overlap(a, b):
    for x in a:
        for y in b:
            try:
                nx, ny = ipaddress.ip_network(x, strict=False), ipaddress.ip_network(y, strict=False)
            except ValueError:
                if x == y:
                    return x, y
                continue
            if nx.version == ny.version and nx.overlaps(ny):
                return x, y
    return None


def rule_replication(ctx):
    findings = []
    for host, ev, problem in _readable_hosts(ctx, REPLICATION, findings):
        confs = [c for c in ev.get('ceph') or [] if c.get('entities')]
        is_osd, why = _osd_node(ctx, host, ev)
        if not is_osd:
            reason = ('no Ceph OSD on this host (no OSD data directory under /var/lib/ceph, no ceph-osd listener, not marked as storage '
                      'node): replication traffic runs between storage nodes only')
            if not confs and not ev.get('ceph'):
                reason = 'no Ceph on this host (no ceph.conf, no OSD): replication traffic runs between storage nodes only'
            findings.append(ctx.finding(REPLICATION, 'not_applicable', reason, host=host, absence='%s (%s)' % (reason, why or 'no OSD evidence')))
            continue
        if not confs:
            unreadable = _unreadable_storage(ev)
            findings.append(ctx.finding(REPLICATION, 'error', 'Ceph OSD node (%s) but no readable ceph.conf%s' % (
                why, ': %s' % '; '.join(unreadable) if unreadable else ''), host=host))
            continue
        rows = table(ev)
        for conf in confs:
            findings.extend(_replication_for_conf(ctx, host, ev, conf, rows, why, problem))
    return findings


def _replication_for_conf(ctx, host, ev, conf, rows, why, problem=None):
    public, cluster, path = conf.get('public_network') or [], conf.get('cluster_network') or [], conf.get('file')
    remediation = 'ceph.conf [global] cluster_network = <dedicated subnet> on NICs of its own (kolla-ansible cluster_interface)'
    base = {'public_network': public, 'cluster_network': cluster, 'osd_evidence': why, 'table': rows, 'table_text': table_text(rows)}
    if not cluster:
        return [ctx.finding(
            REPLICATION, 'fail',
            'cluster_network is not set in %s: OSD replication shares the public (client) network%s. (If the cluster keeps it in the '
            'monitors\' configuration database - cephadm - check "ceph config get osd cluster_network" and attest.)'
            % (path, ' %s' % ', '.join(public) if public else ''), host=host, file=path, setting='cluster_network', evidence=base,
            remediation=remediation)]
    same = _networks_overlap(cluster, public)
    if same:
        return [ctx.finding(
            REPLICATION, 'fail', 'cluster_network %s overlaps public_network %s in %s: replication is not on a network of its own'
            % (same[0], same[1], path), host=host, file=path, setting='cluster_network', evidence=base, remediation=remediation)]
    if problem:
        return [_without_network(ctx, REPLICATION, host, ev, problem, 'Ceph OSD node (%s) with cluster_network %s distinct from '
                                 'public_network %s in %s' % (why, ', '.join(cluster), ', '.join(public) or '(unset)', path))]
    cluster_rows = [r for r in _rows(rows, 'cluster', 'observed') if any(path in o for o in r['origins'])]
    if not cluster_rows:
        return [ctx.finding(
            REPLICATION, 'fail', 'no interface of this host holds an address in cluster_network %s (%s): OSDs cannot use the replication '
            'network here' % (', '.join(cluster), path), host=host, file=path, setting='cluster_network', evidence=base,
            remediation='give this OSD node an address in cluster_network on its replication NIC (kolla-ansible cluster_interface)')]
    cluster_nics = _nics(cluster_rows)
    shared = _overlaps(cluster_nics, rows, OTHER_CLASSES + ('storage',))
    base.update({'cluster_nics': cluster_nics, 'shared': shared})
    where = ', '.join(r['interface'] for r in cluster_rows)
    if shared:
        return [ctx.finding(
            REPLICATION, 'fail', 'replication traffic (cluster_network %s on %s) leaves through NIC(s) %s shared with other traffic: %s'
            % (', '.join(cluster), where, ', '.join(cluster_nics), _describe_shared(shared)), host=host, file=path,
            setting='cluster_network', evidence=base, remediation=remediation)]
    return [
        ctx.finding(REPLICATION, 'pass',
                    'replication traffic (cluster_network %s, distinct from public_network %s) leaves through %s on NIC(s) %s that no '
                    'other traffic class uses' % (', '.join(cluster), ', '.join(public) or '(unset)', where, ', '.join(cluster_nics)),
                    host=host, file=path, setting='cluster_network', evidence=base),
        switch_question(ctx, REPLICATION, host, 'storage replication', cluster_nics, rows),
    ]


# --------------------------------------------------------------------------------------------
# scs-0125-sto-encryption

def _modes(value):
    return [m for m in (value or '').replace(',', ' ').replace(';', ' ').lower().split() if m]


def _mode_problems(entities, options):
    """``[(entity, option, value)]`` where the option allows anything but ``secure``."""
    out = []
    for entity, values in sorted(entities.items()):
        for option in options:
            modes = _modes(values.get(option))
            if modes != ['secure']:
                out.append((entity, option, values.get(option)))
    return out


def _ceph_encryption(conf, roles):
    """``(encrypted, details)`` for one Ceph configuration and the roles this host plays in it.

    ``roles``: ``client`` (talks to monitors and OSDs), ``service`` (an OSD serving clients),
    ``cluster`` (OSD replication and daemon-to-daemon traffic).
    """
    entities = conf.get('entities') or {}
    clients = dict((k, v) for k, v in entities.items() if k.startswith('client.'))
    osds = dict((k, v) for k, v in entities.items() if k.startswith('osd.'))
    mons = dict((k, v) for k, v in entities.items() if k.startswith('mon.'))
    problems = []
    if 'client' in roles:
        problems += _mode_problems(clients, ('ms_client_mode', 'ms_mon_client_mode'))
    if 'service' in roles:
        problems += _mode_problems(osds, ('ms_service_mode', 'ms_mon_client_mode'))
        problems += _mode_problems(mons, ('ms_mon_service_mode',))
    if 'cluster' in roles:
        problems += _mode_problems(osds, ('ms_cluster_mode',))
        problems += _mode_problems(mons, ('ms_mon_cluster_mode',))
    details = []
    if problems:
        details.append('; '.join('%s %s = %s' % (e, o, v or '(unset)') for e, o, v in problems)
                       + ' (only "secure" alone guarantees encryption; "crc" lets the connection run unencrypted)')
    mon_protos = set(m.get('protocol') for m in conf.get('mons') or [])
    if 'client' in roles and mon_protos and mon_protos <= {'v1'}:
        details.append('mon_host lists msgr v1 addresses only: msgr1 has no encryption at all')
    no_v2 = sorted(e for e, v in entities.items() if str(v.get('ms_bind_msgr2', 'true')).lower() in ('false', '0', 'no', 'off'))
    if no_v2:
        details.append('ms_bind_msgr2 = false (%s): daemons speak msgr1 only, which has no encryption' % ', '.join(no_v2))
    return not details, details


def _target_encrypted(target, confs_by_file, is_osd):
    """``(encrypted, how)`` for one storage target (frontend path)."""
    if target.get('wireguard'):
        return True, 'routed through WireGuard %s' % ', '.join(target['wireguard'])
    kind = target.get('kind')
    if kind in ('ceph-mon', 'ceph-public-network'):
        conf = confs_by_file.get(target.get('file'))
        if conf is None:
            return False, 'Ceph configuration %s not readable' % target.get('file')
        ok, details = _ceph_encryption(conf, ('client', 'service') if is_osd else ('client',))
        return ok, 'Ceph msgr2 secure mode' if ok else '; '.join(details)
    if kind == 'nfs':
        opts = (target.get('mount_options') or '').replace(' ', '')
        if 'sec=krb5p' in opts:
            return True, 'NFS with Kerberos privacy (sec=krb5p)'
        return False, 'NFS without sec=krb5p mount option (plain NFS is not encrypted)'
    if kind == 'iscsi':
        return False, 'iSCSI has no transport encryption and no WireGuard device is on the path'
    return False, 'unknown storage protocol %s' % kind


def _encryption_paths(ctx, host, ev, confs, targets):
    """Every storage path of the host with whether it is encrypted (``encrypted`` True/False) and how."""
    is_osd, _why = _osd_node(ctx, host, ev)
    by_file = dict((c.get('file'), c) for c in confs)
    items = []
    for target in targets:
        ok, how = _target_encrypted(target, by_file, is_osd)
        label = '%s %s%s' % (target.get('kind'), target.get('host'), ':%s' % target['port'] if target.get('port') else '')
        items.append({'path': 'frontend', 'target': label,
                      'file': target.get('file'), 'interface': target.get('interface'), 'encrypted': ok, 'how': how})
    if is_osd:
        cluster_rows = _rows(table(ev), 'cluster', 'observed')
        for conf in confs:
            rows = [r for r in cluster_rows if any(conf.get('file') in o for o in r['origins'])]
            if rows and all(r['wireguard'] for r in rows):
                ok, how = True, 'cluster_network on WireGuard %s' % ', '.join(sorted(set(w for r in rows for w in r['wireguard'])))
            else:
                ok, details = _ceph_encryption(conf, ('cluster',))
                how = 'Ceph msgr2 secure mode' if ok else '; '.join(details)
            items.append({'path': 'replication', 'target': 'replication (%s)' % conf.get('file'), 'file': conf.get('file'),
                          'interface': ', '.join(r['interface'] for r in rows) or None, 'encrypted': ok, 'how': how})
    return items


def rule_encryption(ctx):
    findings = []
    for host, ev, problem in _readable_hosts(ctx, ENCRYPTION, findings):
        confs = [c for c in ev.get('ceph') or [] if c.get('entities')]
        targets = ev.get('storage_targets') or []
        if not targets and not confs:
            unreadable = _unreadable_storage(ev)
            if unreadable:
                findings.append(ctx.finding(ENCRYPTION, 'error', 'storage configuration could not be read or resolved: %s' % '; '.join(unreadable), host=host))
            else:
                findings.append(ctx.finding(ENCRYPTION, 'not_applicable', _no_storage_reason(ev), host=host, absence=_no_storage_reason(ev)))
            continue
        items = _encryption_paths(ctx, host, ev, confs, targets)
        if not items:
            findings.append(ctx.finding(ENCRYPTION, 'not_assessed', 'Ceph configuration was found (%s) but no storage path was derived from '
                                        'it (no storage target, not an OSD node): nothing shows how storage traffic leaves this host'
                                        % ', '.join(str(c.get('file')) for c in confs), host=host))
            continue
        plain = [i for i in items if not i['encrypted']]
        evidence = {'paths': items}
        if plain and problem:
            # not encrypted by the protocol's own means; a generic tunnel (WireGuard) on the route is not observable here
            findings.append(_without_network(ctx, ENCRYPTION, host, ev, problem, 'storage traffic is not encrypted by the protocol on '
                                             'every path (%s): whether it is carried through WireGuard' % '; '.join(
                                                 '%s: %s' % (i['target'], i['how']) for i in _dedupe(plain))))
        elif plain:
            findings.append(ctx.finding(
                ENCRYPTION, 'fail', 'storage traffic is not encrypted on every path: %s' % '; '.join(
                    '%s: %s' % (i['target'], i['how']) for i in _dedupe(plain)),
                host=host, evidence=evidence,
                remediation='ceph.conf [global] ms_cluster_mode = secure, ms_service_mode = secure, ms_client_mode = secure, '
                            'ms_mon_cluster_mode = secure, ms_mon_service_mode = secure, ms_mon_client_mode = secure; '
                            'or carry iSCSI/NFS/Ceph over WireGuard'))
        else:
            findings.append(ctx.finding(
                ENCRYPTION, 'pass', 'storage traffic is encrypted on every path: %s' % '; '.join(
                    '%s: %s' % (i['target'], i['how']) for i in _dedupe(items)), host=host, evidence=evidence))
    return findings


def _dedupe(items):
    out, seen = [], set()
    for item in items:
        key = (item['target'], item['how'])
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out


RULES = {
    FRONTEND: rule_frontend,
    REPLICATION: rule_replication,
    ENCRYPTION: rule_encryption,
}
