# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Storage and Neutron overlay traffic of one node: which addresses it talks to, over which NICs.

Sources (all read-only, under ``root``):

* Ceph: every client/daemon ``ceph.conf`` found (``/etc/ceph/*.conf``, kolla's
  ``/etc/kolla/<service>/ceph*.conf``, files named by discovery or by ``rbd_ceph_conf`` /
  ``images_rbd_ceph_conf`` / ``rbd_store_ceph_conf`` / ``backup_ceph_conf``). Values come from
  ``ceph-conf -c FILE --name ENTITY -D --format json`` (Ceph's own parser, defaults included) or,
  when ``ceph-conf`` is absent or refuses the file, from ``_ceph_conf.parse_ceph_conf`` plus the
  documented defaults; ``parser`` says which.
* Cinder / Nova / Glance oslo.config files: iSCSI targets (``target_ip_address``,
  ``iscsi_ip_address``, the secondary lists, LVM's ``my_ip`` default), NFS shares
  (``nfs_shares_config`` file contents, ``nas_host``), referenced Ceph configs.
* Neutron: ``[DEFAULT] service_plugins``, ``[ovs] local_ip`` / ``[vxlan] local_ip``,
  ``[agent] tunnel_types``; OVN ``external_ids:ovn-encap-ip`` and the OVS tunnel ports' remote IPs
  from ``ovs-vsctl``; ``NB_Global ipsec`` from ``ovn-nbctl``.

Every address is routed with :mod:`_netinfo` and resolved to its NICs (:mod:`_gather.storage_observed`, only where
the node's network is observable); the traffic classes the operator declares (``traffic_interfaces`` / ``traffic_addresses``) are resolved the same way, so
the evidence holds one table: traffic class -> interface -> NICs.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress
import json
import os
import re

from ansible_collections.scs.secure_connections.plugins.module_utils._gather.runner import NetInfoError, Runner, SnapshotRunner
from ansible_collections.scs.secure_connections.plugins.module_utils._gather.layout import cinder_volume_role, neutron_role
from ansible_collections.scs.secure_connections.plugins.module_utils._parsers.oslo import parse_oslo_config, to_list
from ansible_collections.scs.secure_connections.plugins.module_utils._core.rootfs import (
    ReadError, exists, glob_paths, host_path, is_snapshot_root, isdir, listdir, read_text,
)

from ansible_collections.scs.secure_connections.plugins.module_utils._parsers.ceph import parse_ceph_conf, parse_mon_host as _split_mon_host
from ansible_collections.scs.secure_connections.plugins.module_utils._core.words import OSLO, parse_bool

TRAFFIC_CLASSES = ('management', 'api', 'tunnel', 'external', 'migration', 'storage', 'cluster')


CEPH_OPTIONS = (
    'mon_host', 'mon_dns_srv_name', 'public_network', 'cluster_network', 'public_addr', 'cluster_addr',
    'ms_cluster_mode', 'ms_service_mode', 'ms_client_mode', 'ms_mon_cluster_mode', 'ms_mon_service_mode',
    'ms_mon_client_mode', 'ms_bind_msgr1', 'ms_bind_msgr2',
)
# Ceph's defaults (Pacific..Squid) for the options above, used when ceph-conf is not available.
CEPH_DEFAULTS = {
    'mon_host': '', 'mon_dns_srv_name': 'ceph-mon', 'public_network': '', 'cluster_network': '',
    'public_addr': '-', 'cluster_addr': '-',
    'ms_cluster_mode': 'crc secure', 'ms_service_mode': 'crc secure', 'ms_client_mode': 'crc secure',
    'ms_mon_cluster_mode': 'secure crc', 'ms_mon_service_mode': 'secure crc', 'ms_mon_client_mode': 'secure crc',
    'ms_bind_msgr1': 'true', 'ms_bind_msgr2': 'true',
}
CEPH_MON_PORTS = {'v2': 3300, 'v1': 6789}

DEFAULT_CEPH_GLOBS = ('/etc/ceph/*.conf', '/etc/kolla/*/ceph*.conf')
DEFAULT_CONFIG_GLOBS = (
    '/etc/cinder/cinder.conf', '/etc/nova/nova.conf', '/etc/glance/glance-api.conf', '/etc/neutron/neutron.conf',
    '/etc/neutron/plugins/ml2/*.ini', '/etc/neutron/*.ini',
    '/etc/kolla/*/cinder.conf', '/etc/kolla/*/nova.conf', '/etc/kolla/*/glance-api.conf', '/etc/kolla/*/neutron.conf',
    '/etc/kolla/*/ml2_conf.ini', '/etc/kolla/*/openvswitch_agent.ini', '/etc/kolla/*/linuxbridge_agent.ini',
)
CINDER_CEPH_OPTIONS = ('rbd_ceph_conf', 'backup_ceph_conf')
ISCSI_OPTIONS = ('target_ip_address', 'iscsi_ip_address')
ISCSI_LIST_OPTIONS = ('target_secondary_ip_addresses', 'iscsi_secondary_ip_addresses')
VPNAAS_PLUGINS = re.compile(r'^(vpnaas|ovn-vpnaas)$|neutron_vpnaas', re.I)
# files of an OVN/OVS chassis whose tunnel endpoint (external_ids:ovn-encap-ip) lives in the OVS database, not in a file
# read here: on a node whose network is not observable, they leave the tunnel question open
OVS_CHASSIS_PATHS = ('/etc/kolla/ovn-controller', '/etc/openvswitch/conf.db', '/var/lib/openvswitch/conf.db')


# --------------------------------------------------------------------------------------------
# small helpers

def _ip(text):
    try:
        return str(ipaddress.ip_address(text.strip().strip('[]')))
    except (ValueError, AttributeError):
        return None


def ceph_key(name):
    """Ceph treats ``mon host``, ``mon_host`` and ``mon-host`` alike."""
    return re.sub(r'[\s\-]+', '_', name.strip()).lower()


def split_networks(value):
    out = []
    for item in re.split(r'[,;\s]+', (value or '').strip()):
        if not item:
            continue
        try:
            out.append(str(ipaddress.ip_network(item, strict=False)))
        except ValueError:
            out.append(item)
    return out


def parse_mon_host(value):
    """Monitor addresses of a ``mon_host`` value, flat: ``[{host, port, protocol}]``.

    Accepts everything ``_ceph_conf.parse_mon_host`` does (``10.0.0.1,10.0.0.2:6789``,
    ``[v2:10.0.0.1:3300/0,v1:10.0.0.1:6789/0] [v2:...]``, ``[fd00::1]:6789``, host names).
    ``protocol`` is ``v1``, ``v2`` or ``any`` (no type and no well-known port: Ceph then tries
    msgr2 on 3300 and msgr1 on 6789).
    """
    out = []
    for mon in _split_mon_host(value or ''):
        for addr in mon.get('addrs') or []:
            proto, port = addr.get('type') or 'any', addr.get('port')
            if proto == 'any' and port is not None:
                proto = 'v2' if port == CEPH_MON_PORTS['v2'] else ('v1' if port == CEPH_MON_PORTS['v1'] else 'any')
            if addr.get('host'):
                out.append({'host': addr['host'], 'port': port, 'protocol': proto})
    return out


def map_container_path(root, path, referring_file):
    """A path named inside a config file, found on the node.

    kolla-ansible copies ``/etc/kolla/<service>/<name>`` into the container as
    ``/etc/<project>/<name>`` or ``/etc/ceph/<name>``: when ``path`` does not exist under ``root`` and
    the referring file lives in ``/etc/kolla/<service>/``, that directory is tried too.
    """
    if exists(root, path):
        return path
    if referring_file:
        directory = os.path.dirname(referring_file)
        if directory.startswith('/etc/kolla/'):
            candidate = os.path.join(directory, os.path.basename(path))
            if exists(root, candidate):
                return candidate
    return path


# --------------------------------------------------------------------------------------------
# Ceph configuration

def _ceph_conf_sections(result):
    """``{section: {option: value}}`` from ``parse_ceph_conf``'s result (keys normalised)."""
    sections = result.get('sections') if isinstance(result, dict) else None
    out = {}
    for section, options in (sections or {}).items():
        for key, value in (options or {}).items():
            if isinstance(value, list):
                value = value[-1] if value else ''
            out.setdefault(section.strip(), {})[ceph_key(key)] = value
    return out


def ceph_effective(sections, entity):
    """Effective value of every option in CEPH_OPTIONS for ``entity`` (``client.cinder``, ``osd.0``)."""
    etype = entity.split('.', 1)[0]
    order = [entity, etype, 'global']
    out = {}
    for option in CEPH_OPTIONS:
        value = None
        for section in order:
            if option in sections.get(section, {}):
                value = sections[section][option]
                break
        out[option] = CEPH_DEFAULTS[option] if value is None else value
    return out


def _entities(section_names, daemons):
    """The entities whose view of the file matters: every client section (or client.admin), the
    OSD view (``osd.N`` section or ``osd.0``) and, where present, a monitor."""
    clients = [s for s in section_names if s.startswith('client.')] or ['client.admin']
    osds = [s for s in section_names if re.match(r'^osd\.\d+$', s)] or ['osd.0']
    ents = clients + osds[:1]
    if 'mon' in daemons:
        mons = [s for s in section_names if s.startswith('mon.')] or ['mon.a']
        ents.append(mons[0])
    return ents


def read_ceph_conf(root, path, runner, daemons=(), origin=None):
    """One Ceph configuration file as evidence."""
    item = {'file': path, 'origin': origin or 'search', 'parser': None, 'parser_note': None, 'sections': [],
            'entities': {}, 'mon_host': None, 'mons': [], 'public_network': [], 'cluster_network': [], 'errors': []}
    try:
        text, warning = read_text(root, path)
    except ReadError as exc:
        item['errors'].append({'file': path, 'message': str(exc)})
        return item
    if warning:
        item['errors'].append({'file': path, 'message': warning})
    ceph_conf = runner.which('ceph-conf')
    via_tool = None
    if ceph_conf:
        via_tool = _read_with_ceph_conf(runner, host_path(root, path), daemons, item)
    if via_tool is None:
        try:
            parsed = parse_ceph_conf(text)
        except Exception as exc:  # pylint: disable=broad-except
            # a parser bug must not hide the other files
            item['errors'].append({'file': path, 'message': 'cannot parse: %s' % exc})
            return item
        for err in (parsed.get('errors') or []) if isinstance(parsed, dict) else []:
            if isinstance(err, dict):
                msg = err.get('message') or str(err)
                if err.get('line'):
                    msg = 'line %s: %s' % (err['line'], msg)
            else:
                msg = str(err)
            item['errors'].append({'file': path, 'message': msg})
        sections = _ceph_conf_sections(parsed)
        item['parser'] = 'parse_ceph_conf'
        note = _absent(runner, 'ceph-conf') if not ceph_conf else 'ceph-conf refused the file (%s)' % item.pop('_tool_error', 'error')
        item['parser_note'] = '%s: parsed with the collection parser (_ceph_conf.parse_ceph_conf) and Ceph Pacific defaults' % note
        item['sections'] = sorted(sections)
        for entity in _entities(item['sections'], daemons):
            item['entities'][entity] = ceph_effective(sections, entity)
    item.pop('_tool_error', None)
    first = item['entities'][sorted(item['entities'])[0]] if item['entities'] else {}
    client = next((v for k, v in sorted(item['entities'].items()) if k.startswith('client.')), first)
    item['mon_host'] = client.get('mon_host') or None
    item['mons'] = parse_mon_host(client.get('mon_host'))
    osd = next((v for k, v in sorted(item['entities'].items()) if k.startswith('osd.')), first)
    item['public_network'] = split_networks(osd.get('public_network'))
    item['cluster_network'] = split_networks(osd.get('cluster_network'))
    return item


def _read_with_ceph_conf(runner, real_path, daemons, item):
    """Fill ``item`` using ceph-conf; None when ceph-conf refused the file."""
    try:
        rc, out, err = runner.run('ceph-conf', ['-c', real_path, '-L'], in_netns=False)
    except NetInfoError as exc:
        item['_tool_error'] = str(exc)
        return None
    if rc != 0:
        item['_tool_error'] = (err or out).strip().splitlines()[-1][:300] if (err or out).strip() else 'exit code %s' % rc
        return None
    item['sections'] = sorted(s.strip() for s in out.splitlines() if s.strip())
    for entity in _entities(item['sections'], daemons):
        try:
            rc, out, err = runner.run('ceph-conf', ['-c', real_path, '--name', entity, '-D', '--format', 'json'], in_netns=False)
            data = json.loads(out) if rc == 0 else None
        except (NetInfoError, ValueError) as exc:
            data, err = None, str(exc)
        if not isinstance(data, dict):
            item['_tool_error'] = 'ceph-conf --name %s -D failed: %s' % (entity, (err or '').strip()[:300])
            return None
        item['entities'][entity] = dict((o, data.get(o, CEPH_DEFAULTS[o])) for o in CEPH_OPTIONS)
    item['parser'] = 'ceph-conf'
    item['parser_note'] = 'effective values from ceph-conf -D (Ceph defaults included)'
    return True


def ceph_daemons(root):
    """Ceph daemons with data directories on this node: ``{'osd': [ids], 'mon': [...], ...}``.

    Package/ceph-ansible layout ``/var/lib/ceph/<type>/<cluster>-<id>`` and cephadm layout
    ``/var/lib/ceph/<fsid>/<type>.<id>``.
    """
    found = {}
    for dtype in ('osd', 'mon', 'mgr', 'mds', 'radosgw'):
        for name in listdir(root, '/var/lib/ceph/%s' % dtype):
            if isdir(root, '/var/lib/ceph/%s/%s' % (dtype, name)):
                found.setdefault('rgw' if dtype == 'radosgw' else dtype, []).append(name)
    for fsid in listdir(root, '/var/lib/ceph'):
        if not re.match(r'^[0-9a-f]{8}-[0-9a-f]{4}-', fsid):
            continue
        for name in listdir(root, '/var/lib/ceph/%s' % fsid):
            m = re.match(r'^(osd|mon|mgr|mds|rgw)\.(.+)$', name)
            if m:
                found.setdefault(m.group(1), []).append(m.group(2))
    return found


# --------------------------------------------------------------------------------------------
# OpenStack configuration

def service_of(path):
    """The service a configuration file belongs to, by its name (``cinder.conf``, ``ml2_conf.ini``, ...), or None."""
    base = os.path.basename(path)
    if base in ('ml2_conf.ini', 'openvswitch_agent.ini', 'linuxbridge_agent.ini', 'ovn_agent.ini', 'sriov_agent.ini'):
        return 'neutron'
    return next((name for name in ('cinder', 'nova', 'glance', 'neutron') if base.startswith(name)), None)


def parse_nfs_shares(text):
    """``host:/export [-o options]`` lines -> ``[{host, export, options}]``."""
    out = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith('#'):
            continue
        fields = line.split()
        share = fields[0]
        options = None
        if len(fields) > 1:
            options = ' '.join(fields[1:])
            if options.startswith('-o'):
                options = options[2:].strip()
        if share.startswith('['):
            end = share.find(']')
            host, export = share[1:end], share[end + 2:] if end > 0 else ''
        elif ':' in share:
            host, export = share.split(':', 1)
        else:
            host, export = share, ''
        out.append({'host': host, 'export': export, 'options': options})
    return out


def _opt(conf, section, option):
    return (conf['sections'].get(section) or {}).get(option)


def scan_openstack_configs(root, files):
    """Storage targets, referenced Ceph configs and Neutron settings in OpenStack config files."""
    targets, ceph_refs, errors, parsed_files, notes = [], [], [], [], []
    neutron = {'files': [], 'servers': [], 'service_plugins': [], 'tunnel_types': [], 'mechanism_drivers': [],
               'local_ips': [], 'errors': []}
    for path in files:
        service = service_of(path)
        if service is None:
            continue
        conf = parse_oslo_config([path], root=root)
        for err in conf['errors']:
            errors.append({'file': err.get('file') or path, 'message': ('line %s: ' % err['line'] if err.get('line') else '') + err['message']})
        if not conf['files']:
            continue
        parsed_files.append({'file': path, 'service': service})
        if service == 'cinder':
            _scan_cinder(root, path, conf, targets, ceph_refs, errors, notes, parsed_files[-1])
        elif service == 'nova':
            value = _opt(conf, 'libvirt', 'images_rbd_ceph_conf')
            if value and (_opt(conf, 'libvirt', 'images_type') or '').lower() == 'rbd':
                ceph_refs.append({'path': map_container_path(root, value, path), 'origin': '%s [libvirt] images_rbd_ceph_conf' % path})
            elif value:
                ceph_refs.append({'path': map_container_path(root, value, path),
                                  'origin': '%s [libvirt] images_rbd_ceph_conf (images_type is not rbd)' % path})
        elif service == 'glance':
            for section in sorted(conf['sections']):
                value = _opt(conf, section, 'rbd_store_ceph_conf')
                if value:
                    ceph_refs.append({'path': map_container_path(root, value, path), 'origin': '%s [%s] rbd_store_ceph_conf' % (path, section)})
        elif service == 'neutron':
            _scan_neutron(root, path, conf, neutron)
    return {'targets': targets, 'ceph_refs': ceph_refs, 'errors': errors, 'files': parsed_files, 'neutron': neutron, 'notes': notes}


def _scan_cinder(root, path, conf, targets, ceph_refs, errors, notes, entry):
    """The storage a cinder.conf names; its iSCSI/NFS targets only where cinder-volume may read it (not on a node whose
    services positively include no cinder-volume: there the backend sections are inert, and ``entry``, the file's
    ``config_files`` entry, says so in ``inert``)."""
    my_ip = _opt(conf, 'DEFAULT', 'my_ip')
    volume = cinder_volume_role(root, path)
    if volume['volume'] is False:
        entry['inert'] = 'cinder-volume does not read it (%s)' % volume['evidence']
        notes.append('%s: no iSCSI/NFS target derived from its backends: %s' % (path, entry['inert']))
    for section in sorted(conf['sections']):
        opts = conf['sections'][section]
        where = '%s [%s]' % (path, section)
        for option in CINDER_CEPH_OPTIONS:
            if opts.get(option):
                ceph_refs.append({'path': map_container_path(root, opts[option], path), 'origin': '%s %s' % (where, option)})
        if volume['volume'] is False:
            continue
        driver = (opts.get('volume_driver') or '').lower()
        found_iscsi = False
        for option in ISCSI_OPTIONS:
            if opts.get(option):
                found_iscsi = True
                targets.append({'kind': 'iscsi', 'host': opts[option], 'port': _int(opts.get('target_port') or opts.get('iscsi_port')) or 3260,
                                'role': 'served', 'service': 'cinder', 'file': path, 'section': section, 'option': option})
        for option in ISCSI_LIST_OPTIONS:
            for value in to_list(opts.get(option)) or []:
                found_iscsi = True
                targets.append({'kind': 'iscsi', 'host': value, 'port': 3260, 'role': 'served', 'service': 'cinder', 'file': path,
                                'section': section, 'option': option})
        if 'lvm' in driver and not found_iscsi:
            if my_ip:
                targets.append({'kind': 'iscsi', 'host': my_ip, 'port': 3260, 'role': 'served', 'service': 'cinder', 'file': path,
                                'section': section, 'option': 'target_ip_address (unset: defaults to [DEFAULT] my_ip)'})
            else:
                errors.append({'file': path, 'message': '[%s] LVM backend without target_ip_address and without [DEFAULT] my_ip: '
                                                        'the iSCSI target listens on the host\'s primary address, not known here' % section})
        mount_options = opts.get('nfs_mount_options')
        if opts.get('nfs_shares_config'):
            shares_path = map_container_path(root, opts['nfs_shares_config'], path)
            try:
                text, _warning = read_text(root, shares_path)
            except ReadError as exc:
                errors.append({'file': shares_path, 'message': 'nfs_shares_config of %s: %s' % (where, exc)})
                text = ''
            for share in parse_nfs_shares(text):
                targets.append({'kind': 'nfs', 'host': share['host'], 'port': 2049, 'role': 'client', 'service': 'cinder',
                                'file': shares_path, 'section': section, 'option': 'nfs_shares_config (%s)' % share['export'],
                                'mount_options': share['options'] or mount_options})
        if opts.get('nas_host'):
            targets.append({'kind': 'nfs', 'host': opts['nas_host'], 'port': 2049, 'role': 'client', 'service': 'cinder', 'file': path,
                            'section': section, 'option': 'nas_host', 'mount_options': opts.get('nas_mount_options') or mount_options})


def _scan_neutron(root, path, conf, neutron):
    neutron['files'].append(path)
    plugins = _opt(conf, 'DEFAULT', 'service_plugins')
    core = _opt(conf, 'DEFAULT', 'core_plugin')
    role = neutron_role(root, path)
    if role['role'] is not None:
        is_server, evidence = role['role'] == 'server', role['evidence']
    else:
        # no container directory and no service unit says: the settings only neutron-server uses
        is_server = bool(core) or bool((conf['sections'].get('database') or {}).get('connection'))
        evidence = '%s; %s' % (role['evidence'], 'core_plugin / [database] connection set' if is_server else 'no server settings')
    if os.path.basename(path).startswith('neutron') and (plugins is not None or is_server):
        items = to_list(plugins) or []
        neutron['service_plugins'].append({
            'file': path, 'server': is_server, 'server_evidence': evidence, 'set': plugins is not None, 'plugins': items,
            'vpnaas': any(VPNAAS_PLUGINS.search(p) for p in items)})
    for section, option in (('agent', 'tunnel_types'), ('ml2', 'tenant_network_types'), ('ml2', 'type_drivers')):
        value = _opt(conf, section, option)
        if value is not None:
            neutron['tunnel_types'].append({'file': path, 'setting': '[%s] %s' % (section, option), 'value': to_list(value)})
    value = _opt(conf, 'ml2', 'mechanism_drivers')
    if value is not None:
        neutron['mechanism_drivers'] = sorted(set(neutron['mechanism_drivers']) | set(to_list(value)))
    for section in ('ovs', 'vxlan'):
        value = _opt(conf, section, 'local_ip')
        if value:
            if section == 'vxlan' and parse_bool(_opt(conf, 'vxlan', 'enable_vxlan') or 'true', OSLO) is False:
                continue
            neutron['local_ips'].append({'address': value, 'origin': '%s [%s] local_ip' % (path, section)})


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def discover_files(root, globs):
    out = []
    for pattern in globs:
        for path in glob_paths(root, pattern):
            if path not in out:
                out.append(path)
    return out


# --------------------------------------------------------------------------------------------
# a tool that is not there (ceph-conf here; ovs-vsctl and ovn-nbctl in _gather/storage_observed)

def _absent(runner, tool):
    """Why ``tool`` is not available: a snapshot never runs it, else it is not installed."""
    if getattr(runner, 'snapshot', False):
        return runner.why(tool)
    return '%s is not installed' % tool


# --------------------------------------------------------------------------------------------
# the whole picture

def _ceph_files(root, ceph_conf_files, ceph_refs):
    """The Ceph configuration files to read: given ones, found ones, then the ones OpenStack configs name."""
    files = []
    for path in list(ceph_conf_files or []) + discover_files(root, DEFAULT_CEPH_GLOBS):
        if path not in [c['path'] for c in files]:
            files.append({'path': path, 'origin': 'ceph_conf_files' if path in (ceph_conf_files or []) else 'search'})
    for ref in ceph_refs:
        if ref['path'] not in [c['path'] for c in files]:
            files.append({'path': ref['path'], 'origin': ref['origin']})
    return files


def _ceph_conf_targets(conf, result):
    """The monitors and public networks one Ceph configuration makes clients talk to."""
    targets = []
    if not conf['mons'] and not conf['public_network']:
        result['errors'].append({'component': 'ceph', 'file': conf['file'],
                                 'message': 'neither mon_host nor public_network set: the monitors are found by DNS SRV '
                                            'records (mon_dns_srv_name), which this module does not resolve'})
    for mon in conf['mons']:
        targets.append({'kind': 'ceph-mon', 'host': mon['host'], 'port': mon['port'], 'protocol': mon['protocol'], 'role': 'client',
                        'service': 'ceph', 'file': conf['file'], 'section': None, 'option': 'mon_host'})
    for net in conf['public_network']:
        try:
            network = ipaddress.ip_network(net, strict=False)
        except ValueError:
            result['errors'].append({'component': 'ceph', 'file': conf['file'], 'message': 'public_network %r is not a network' % net})
            continue
        probe = network.network_address + 1 if network.num_addresses > 2 else network.network_address
        targets.append({'kind': 'ceph-public-network', 'host': str(probe), 'port': None, 'network': str(network), 'role': 'client',
                        'service': 'ceph', 'file': conf['file'], 'section': None,
                        'option': 'public_network (OSDs and monitors live here; probe %s)' % probe})
    return targets


def _gather_ceph(root, runner, ceph_conf_files, ceph_refs, result):
    """Read every Ceph configuration into ``result`` (``ceph_daemons``, ``ceph``); the storage targets they name."""
    daemons = ceph_daemons(root)
    result['ceph_daemons'] = daemons
    ceph_files = _ceph_files(root, ceph_conf_files, ceph_refs)
    if ceph_files and not runner.which('ceph-conf') and not getattr(runner, 'snapshot', False):
        result['notes'].append('ceph-conf (ceph-common) is not installed: Ceph configuration parsed with the collection parser '
                               '(_ceph_conf.parse_ceph_conf) and Ceph defaults')
    targets = []
    for entry in ceph_files:
        conf = read_ceph_conf(root, entry['path'], runner, daemons=daemons, origin=entry['origin'])
        result['ceph'].append(conf)
        result['errors'].extend({'component': 'ceph', 'file': e['file'], 'message': e['message']} for e in conf['errors'])
        if conf['entities']:
            targets.extend(_ceph_conf_targets(conf, result))
    return targets


def is_snapshot(root, netns=None):
    """True for a ``root`` that is not this machine's ``/`` (a configuration snapshot, a fixture tree) and no ``netns``.

    A named network namespace is a live namespace of this machine, asked for explicitly: its tools run (``ip -n``, ...).
    """
    return not netns and is_snapshot_root(root)


def _runner_and_paths(root, sys_path, proc_path, netns, which, timeout, module, result):
    """``(runner, sys_path, proc_path, observable)``; for a snapshot no command runs and neither this machine's ``/sys``
    nor ``/proc`` is read in its place: the snapshot's own ``sys/`` and ``proc/`` are (``observable`` False, with the
    reason in ``errors`` as kind ``not_observable``, when it has none; its configuration is read all the same)."""
    if not is_snapshot(root, netns):
        return Runner(which=which, netns=netns, timeout=timeout, module=module), sys_path, proc_path, True
    runner = SnapshotRunner(root, timeout=timeout, module=module)
    result['notes'].append('root %s is a snapshot: no command (ip, wg, ceph-conf, ovs-vsctl, ovn-nbctl) runs on the auditing host '
                           'on its behalf; interfaces and routes only from the snapshot\'s own sys/ and proc/' % root)
    if sys_path in (None, '/sys'):
        sys_path = os.path.join(root, 'sys')
    if proc_path in (None, '/proc'):
        proc_path = os.path.join(root, 'proc')
    missing = [p for p in (os.path.join(sys_path, 'class', 'net'), os.path.join(proc_path, 'net', 'route')) if not os.path.exists(p)]
    if missing:
        result['errors'].append({'component': 'network', 'kind': 'not_observable',
                                 'message': 'root %s is a snapshot without %s: the interfaces and routes of its '
                                 'node are not observable, and the auditing host\'s are never read in their place' % (
                                     root, ' or '.join(missing))})
        return runner, sys_path, proc_path, False
    return runner, sys_path, proc_path, True


def scan_configuration(root, runner, config_files, ceph_conf_files, result):
    """The configuration part of the evidence, which needs no network view: every OpenStack and Ceph configuration
    file (``config_files``, ``ceph``, ``ceph_daemons``, Neutron's settings); ``(storage targets, neutron)``, unrouted."""
    files = list(config_files or [])
    for path in discover_files(root, DEFAULT_CONFIG_GLOBS):   # discovery may not list agent .ini files
        if path not in files:
            files.append(path)
    scan = scan_openstack_configs(root, files)
    result['config_files'] = scan['files']
    result['errors'].extend({'component': 'config', 'file': e['file'], 'message': e['message']} for e in scan['errors'])
    result['notes'].extend(scan['notes'])
    targets = _gather_ceph(root, runner, ceph_conf_files, scan['ceph_refs'], result) + scan['targets']
    result['configuration_read'] = True
    return targets, scan['neutron']


def _unobserved(result, targets, neutron, reason):
    """The configuration without a network view: storage targets and tunnel endpoints as configured, not routed
    (``routed`` False, ``error`` None, ``not_routed`` the reason); no OVS/OVN tool is asked."""
    result['storage_targets'] = [dict(t, address=_ip(str(t.get('host') or '')), routed=False, not_routed=reason) for t in targets]
    neutron['ovs'] = {'tool': None, 'available': False, 'ovn_encap_ip': None, 'ovn_encap_type': None, 'tunnel_ports': [],
                      'errors': [reason], 'chassis_files': [p for p in OVS_CHASSIS_PATHS if exists(result['root'], p)]}
    neutron['ovn_ipsec'] = {'tool': None, 'available': False, 'ipsec': None, 'error': 'not queried: %s' % reason}
    neutron['tunnel_endpoints'] = [dict(e, routed=False, not_routed=reason) for e in neutron['local_ips']]
    neutron['tunnel_peers'] = []
    result['neutron'] = neutron
    return result


def _observed_part():
    """:mod:`_gather.storage_observed`: what needs the node's network view (routes, NICs, OVS/OVN, the traffic table; with
    :mod:`_gather.netinfo` about 45 KB of source to compile), imported only where that network is observable: a
    snapshot without its own sys/ and proc/ reads its configuration alone (docs/scale.md)."""
    # pylint: disable-next=import-outside-toplevel
    from ansible_collections.scs.secure_connections.plugins.module_utils._gather import storage_observed
    return storage_observed


def gather(root='/', sys_path='/sys', proc_path='/proc', netns=None, which=None, route_source='auto',
           traffic_interfaces=None, traffic_addresses=None, config_files=None, ceph_conf_files=None,
           storage_node=None, ovs_vsctl_command=None, ovn_nbctl_command=None, ovn_nb_db=None, timeout=10, module=None):
    """Everything ``storage_network_info`` returns (see its RETURN documentation); ``module`` runs the tools.

    The configuration is always read; what needs the node's interfaces and routes (routing, traffic table, OVS/OVN
    state) only where they can be observed (``route_source`` None otherwise, the reason in ``errors``)."""
    result = {
        'root': root, 'netns': netns, 'route_source': None, 'tools': {}, 'notes': [], 'errors': [],
        'interfaces': [], 'default_route_interfaces': [], 'ceph': [], 'ceph_daemons': {}, 'storage_node': storage_node,
        'storage_targets': [], 'traffic': [], 'neutron': {}, 'config_files': [], 'configuration_read': False,
    }
    runner, sys_path, proc_path, observable = _runner_and_paths(root, sys_path, proc_path, netns, which, timeout, module, result)
    for tool in ('ip', 'wg', 'ceph-conf'):
        result['tools'][tool] = runner.which(tool)
    observed = _observed_part() if observable else None
    view = observed.network_view(runner, sys_path, proc_path, route_source, ovs_vsctl_command, result) if observable else None
    targets, neutron = scan_configuration(root, runner, config_files, ceph_conf_files, result)
    if view is None:
        return _unobserved(result, targets, neutron, '; '.join(e['message'] for e in result['errors'] if e.get('component') == 'network')
                           or 'the network of this node could not be read')
    return observed.observe(result, runner, view, targets, neutron, traffic_interfaces, traffic_addresses, ovs_vsctl_command,
                            ovn_nbctl_command, ovn_nb_db)
