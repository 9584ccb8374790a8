# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The part of storage_network_info (:mod:`_gather.storage`) that needs the node's network view (:mod:`_gather.netinfo`):
every storage target and tunnel endpoint routed and resolved to its NICs, the OVS/OVN state from ``ovs-vsctl`` and
``ovn-nbctl``, and the traffic table (traffic class -> interface -> NICs).

Apart from the configuration reading because a snapshot without its own ``sys/`` and ``proc/`` has no network to observe:
:func:`_gather.storage.gather` imports this module only where the network is observable (docs/scale.md).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import re
import socket
import threading

from ansible_collections.scs.secure_connections.plugins.module_utils._gather import netinfo as _netinfo
from ansible_collections.scs.secure_connections.plugins.module_utils._gather.runner import NetInfoError
from ansible_collections.scs.secure_connections.plugins.module_utils._gather.storage import _absent, _ip
from ansible_collections.scs.secure_connections.plugins.module_utils._core.words import LITERAL, parse_bool

RESOLVE_TIMEOUT = 5.0


def resolve_host(name, timeout=RESOLVE_TIMEOUT):
    """IP addresses of ``name`` (an IP literal is returned as is); bounded by ``timeout``."""
    literal = _ip(name)
    if literal:
        return [literal], None
    box = {}

    def work():
        try:
            box['infos'] = socket.getaddrinfo(name, None, 0, socket.SOCK_STREAM)
        except (socket.gaierror, OSError, UnicodeError) as exc:
            box['error'] = str(exc)

    worker = threading.Thread(target=work)
    worker.daemon = True
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        return [], 'name %s did not resolve within %ss' % (name, timeout)
    if 'error' in box:
        return [], 'name %s does not resolve: %s' % (name, box['error'])
    out = []
    for info in box.get('infos') or []:
        addr = info[4][0]
        if addr not in out:
            out.append(addr)
    return out, None


def _as_list(value):
    if value in (None, ''):
        return []
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value if v not in (None, '')]
    return [v.strip() for v in str(value).split(',') if v.strip()]


def network_view(runner, sys_path, proc_path, route_source, ovs_vsctl_command, result):
    """The node's interfaces and routes (``NetView``) into ``result``; None when they cannot be read (the reason in ``errors``)."""
    try:
        view = _netinfo.NetView(runner, sys_path=sys_path, proc_path=proc_path, route_source=route_source,
                                ovs_command=ovs_vsctl_command)
    except NetInfoError as exc:
        result['errors'].append({'component': 'network', 'message': str(exc)})
        return None
    result['route_source'] = view.route_source
    result['notes'].extend(view.notes)
    result['errors'].extend(view.errors)
    result['interfaces'] = view.interface_summary()
    result['default_route_interfaces'] = view.default_interfaces()
    return view


def _ovs_json_rows(text):
    data = json.loads(text)
    heads = data.get('headings') or []
    rows = []
    for row in data.get('data') or []:
        item = {}
        for head, cell in zip(heads, row):
            item[head] = _ovs_value(cell)
        rows.append(item)
    return rows


def _ovs_value(cell):
    if isinstance(cell, list) and len(cell) == 2 and cell[0] == 'map':
        return dict((k, _ovs_value(v)) for k, v in cell[1])
    if isinstance(cell, list) and len(cell) == 2 and cell[0] == 'set':
        return [_ovs_value(v) for v in cell[1]]
    if isinstance(cell, list) and len(cell) == 2 and cell[0] == 'uuid':
        return cell[1]
    return cell


def _command(runner, command, args):
    """Run ``command`` (a list: tool + fixed args, e.g. ``['docker', 'exec', 'ovs', 'ovs-vsctl']``)."""
    tool = command[0]
    return runner.run(tool, list(command[1:]) + list(args), in_netns=False)


def gather_ovs(runner, command, timeout=5):
    """OVN encapsulation address/type and the OVS tunnel ports' remote IPs."""
    out = {'tool': ' '.join(command), 'available': runner.which(command[0]) is not None, 'ovn_encap_ip': None,
           'ovn_encap_type': None, 'tunnel_ports': [], 'errors': []}
    if not out['available']:
        out['errors'].append('%s: OVN encapsulation address and OVS tunnel ports cannot be read' % _absent(runner, command[0]))
        return out
    for key in ('ovn-encap-ip', 'ovn-encap-type'):
        try:
            rc, text, err = _command(runner, command, ['--timeout=%d' % timeout, '--if-exists', 'get', 'Open_vSwitch', '.',
                                                       'external_ids:%s' % key])
        except NetInfoError as exc:
            out['errors'].append(str(exc))
            return out
        if rc != 0:
            out['errors'].append('ovs-vsctl get external_ids:%s failed: %s' % (key, err.strip()[:300]))
            return out
        value = text.strip().strip('"') or None
        out['ovn_encap_ip' if key == 'ovn-encap-ip' else 'ovn_encap_type'] = value
    try:
        rc, text, err = _command(runner, command, ['--timeout=%d' % timeout, '--format=json', '--columns=name,type,options', 'list', 'Interface'])
        rows = _ovs_json_rows(text) if rc == 0 else []
        if rc != 0:
            out['errors'].append('ovs-vsctl list Interface failed: %s' % err.strip()[:300])
    except (NetInfoError, ValueError) as exc:
        out['errors'].append('ovs-vsctl list Interface: %s' % exc)
        rows = []
    for row in rows:
        if row.get('type') in ('vxlan', 'geneve', 'gre', 'stt'):
            opts = row.get('options') or {}
            out['tunnel_ports'].append({'name': row.get('name'), 'type': row['type'], 'remote_ip': opts.get('remote_ip'),
                                        'local_ip': opts.get('local_ip')})
    return out


def gather_ovn_ipsec(runner, command, db=None, timeout=5):
    """``NB_Global ipsec`` (True/False) or None with the reason."""
    out = {'tool': ' '.join(command), 'available': runner.which(command[0]) is not None, 'ipsec': None, 'error': None}
    if not out['available']:
        out['error'] = '%s: OVN IPsec (NB_Global ipsec) is not assessable on this node' % _absent(runner, command[0])
        return out
    args = ['--timeout=%d' % timeout]
    if db:
        args.append('--db=%s' % db)
    try:
        rc, text, err = _command(runner, command, args + ['get', 'NB_Global', '.', 'ipsec'])
    except NetInfoError as exc:
        out['error'] = str(exc)
        return out
    if rc != 0:
        out['error'] = 'ovn-nbctl get NB_Global . ipsec failed: %s' % (err or text).strip()[:300]
        return out
    value = text.strip().strip('"').lower()
    out['ipsec'] = parse_bool(value, LITERAL, invalid=None)
    if out['ipsec'] is None:
        out['error'] = 'unexpected NB_Global ipsec value %r' % value
    return out


def _row(view, cls, interface, origin, source):
    res = view.resolve(interface)  # origin becomes the first of the row's ``origins``
    return {'class': cls, 'interface': interface, 'origin': origin, 'source': source, 'exists': res['exists'],
            'chain': res['chain'], 'nics': res['nics'], 'physical_nics': res['physical_nics'], 'virtual_nics': res['virtual_nics'],
            'wireguard': res['wireguard']}


def _target_label(t):
    return '%s %s%s (%s%s)' % (t['kind'], t['host'], ':%s' % t['port'] if t.get('port') else '', t['file'],
                               ' [%s] %s' % (t['section'], t['option']) if t.get('section') else ' %s' % t.get('option', ''))


def _routed(view, base, address):
    """``base`` with the route to ``address`` and the NICs it leaves by."""
    entry = dict(base)
    entry.update(_netinfo.resolve_address(view, address))
    entry['address'] = address
    return entry


def _route_targets(view, targets):
    """Each storage target per address it resolves to, with its route (or why it has none)."""
    out = []
    for target in targets:
        addrs, error = resolve_host(target['host'])
        if error:
            out.append(dict(target, address=None, error=error))
            continue
        out.extend(_routed(view, target, addr) for addr in addrs)
    return out


def _gather_neutron(runner, view, neutron, ovs_vsctl_command, ovn_nbctl_command, ovn_nb_db):
    """``neutron`` (from the configuration scan) completed with OVS/OVN state, tunnel endpoints and peers."""
    ovs = gather_ovs(runner, list(ovs_vsctl_command or ['ovs-vsctl']))
    neutron['ovs'] = ovs
    neutron['ovn_ipsec'] = gather_ovn_ipsec(runner, list(ovn_nbctl_command or ['ovn-nbctl']), db=ovn_nb_db) if ovs.get('ovn_encap_ip') \
        or 'ovn' in neutron['mechanism_drivers'] or ovn_nb_db else \
        {'tool': ' '.join(ovn_nbctl_command or ['ovn-nbctl']), 'available': runner.which((ovn_nbctl_command or ['ovn-nbctl'])[0]) is not None,
         'ipsec': None, 'error': 'not queried: no OVN on this node (no ovn-encap-ip, no ovn mechanism driver, no ovn_nb_db)'}
    endpoints = list(neutron['local_ips'])
    if ovs.get('ovn_encap_ip'):
        for addr in re.split(r'[,\s]+', ovs['ovn_encap_ip']):
            if addr:
                endpoints.append({'address': addr, 'origin': 'ovs-vsctl Open_vSwitch external_ids:ovn-encap-ip'})
    neutron['tunnel_endpoints'] = [_routed(view, endpoint, endpoint['address']) for endpoint in endpoints]
    neutron['tunnel_peers'] = []
    for port in ovs['tunnel_ports']:
        remote = port.get('remote_ip')
        if not remote or remote == 'flow' or not _ip(remote):
            continue
        neutron['tunnel_peers'].append(_routed(view, {'port': port['name'], 'type': port['type']}, remote))
    return neutron


def _declared_rows(view, traffic_interfaces, traffic_addresses, errors):
    """Traffic rows the user declared, by interface name or by an address an interface holds."""
    rows = []
    for cls, value in sorted((traffic_interfaces or {}).items()):
        for name in _as_list(value):
            rows.append(_row(view, cls, name, 'traffic_interfaces.%s' % cls, 'declared'))
    for cls, value in sorted((traffic_addresses or {}).items()):
        for addr in _as_list(value):
            ips, error = resolve_host(addr)
            if error:
                errors.append({'component': 'traffic', 'message': 'traffic_addresses.%s: %s' % (cls, error)})
                continue
            for ip in ips:
                owner = view.owner(ip)
                if owner is None:
                    errors.append({'component': 'traffic', 'message': 'traffic_addresses.%s: no interface on this node holds %s' % (cls, ip)})
                    continue
                rows.append(_row(view, cls, owner, 'traffic_addresses.%s = %s' % (cls, ip), 'declared'))
    return rows


def _observed_rows(view, result):
    """Traffic rows seen on the node: default route, tunnel endpoints, routes to storage, Ceph networks."""
    rows = []
    for name in result['default_route_interfaces']:
        rows.append(_row(view, 'default', name, 'default route', 'observed'))
    for endpoint in result['neutron']['tunnel_endpoints']:
        if endpoint.get('interface'):
            rows.append(_row(view, 'tunnel', endpoint['interface'], 'tunnel endpoint %s (%s)' % (endpoint['address'], endpoint['origin']), 'observed'))
    for target in result['storage_targets']:
        if target.get('interface'):
            rows.append(_row(view, 'storage', target['interface'], 'route to %s' % _target_label(target), 'observed'))
    for conf in result['ceph']:
        for cls, option in (('storage', 'public_network'), ('cluster', 'cluster_network')):
            for name, addrs in sorted(view.in_network(conf[option]).items()):
                origin = 'holds %s in %s %s (%s)' % (', '.join(addrs), option, ', '.join(conf[option]), conf['file'])
                rows.append(_row(view, cls, name, origin, 'observed'))
    return rows


def _merge_rows(rows, result):
    """One ``traffic`` row per (class, interface, source), with every origin; a missing interface is an error."""
    merged = {}
    for row in rows:
        key = (row['class'], row['interface'], row['source'])
        if key in merged:
            if row['origin'] not in merged[key]['origins']:
                merged[key]['origins'].append(row['origin'])
            continue
        row['origins'] = [row.pop('origin')]
        merged[key] = row
        result['traffic'].append(row)
        if not row['exists']:
            result['errors'].append({'component': 'traffic', 'message': '%s: interface %s does not exist on this node' % (row['origins'][0], row['interface'])})


def observe(result, runner, view, targets, neutron, traffic_interfaces, traffic_addresses, ovs_vsctl_command, ovn_nbctl_command,
            ovn_nb_db):
    """``result`` of :func:`_gather.storage.gather` completed with what the node's network ``view`` shows: the routes of the
    storage ``targets``, Neutron's OVS/OVN state and tunnels (``neutron`` from the configuration scan), the traffic table."""
    result['storage_targets'] = _route_targets(view, targets)
    neutron = result['neutron'] = _gather_neutron(runner, view, neutron, ovs_vsctl_command, ovn_nbctl_command, ovn_nb_db)

    # traffic classes -> interfaces -> NICs
    rows = _declared_rows(view, traffic_interfaces, traffic_addresses, result['errors']) + _observed_rows(view, result)
    _merge_rows(rows, result)
    if neutron['files'] or neutron['local_ips']:
        if not neutron['ovs']['available']:
            result['notes'].extend(neutron['ovs']['errors'])
        else:
            result['errors'].extend({'component': 'ovs', 'message': m} for m in neutron['ovs']['errors'])
    return result
