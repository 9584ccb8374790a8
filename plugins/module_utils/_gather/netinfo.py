# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A node's network as the kernel sees it: interfaces, addresses, routes, and the NICs under them.

Three questions, answered read-only:

* **which interface would the kernel use for address A?** ``ip -j route get A`` when ``ip`` exists
  (it honours policy routing); otherwise longest-prefix match over ``/proc/net/route`` and
  ``/proc/net/ipv6_route`` (main table only: policy rules are invisible there, and the result says
  which method was used);
* **which physical NICs are under interface I?** resolved through VLANs, macvlans, bonds and bridges
  from sysfs (``lower_*``, ``brif/``, ``bonding/slaves``, ``master``, ``device``, ``type``,
  ``uevent``) completed by ``ip -j -d link``; a WireGuard device resolves to the NICs that carry its
  encrypted UDP packets (the route to its peers' endpoints);
* **is a WireGuard device on the way?** kernel WireGuard (``DEVTYPE=wireguard`` / kind
  ``wireguard``) or a userspace one (``wireguard-go``: a ``tun`` device listed by
  ``wg show interfaces``).

A node may be a named network namespace (``netns``): ``ip`` commands then run with ``-n NS`` and the
sysfs/procfs snapshot is taken by a child Python process started with ``ip netns exec NS`` (which
mounts the namespace's own ``/sys``), so both views describe the same namespace.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress
import json
import os
import posixpath
import socket
import struct
import sys

from ansible_collections.scs.secure_connections.plugins.module_utils._core import rootfs as _rootfs
from ansible_collections.scs.secure_connections.plugins.module_utils._gather.runner import NetInfoError

# /proc/net/route (IPv4) and /proc/net/ipv6_route flags
RTF_UP = 0x0001
RTF_GATEWAY = 0x0002
RTF_REJECT = 0x0200
RTF6_LOCAL = 0x80000000
RTF6_CACHE = 0x01000000

ARPHRD_LOOPBACK = 772


# --------------------------------------------------------------------------------------------
# sysfs / procfs snapshot (runs in this process, or in a child inside the network namespace)

# Every read goes through the root-confined reader with sys_path (or proc_path) as the tree: a
# link never leads out of it, a FIFO or device is never opened, nothing is read unbounded.

def _read(tree, path):
    try:
        return _rootfs.read_text(tree, path, max_size=1024 * 1024)[0].strip()
    except _rootfs.ReadError:
        return None


def _listdir(tree, path):
    return _rootfs.listdir(tree, path) if _rootfs.isdir(tree, path) else None


def _link_name(tree, path):
    try:
        return posixpath.basename(_rootfs.readlink(tree, path))
    except _rootfs.ReadError:
        return None


def _ioctl_ipv4(name):
    """Primary IPv4 address/prefix of ``name`` by ioctl (the no-``ip`` fallback), or None."""
    try:
        import fcntl  # pylint: disable=import-outside-toplevel
    except ImportError:  # pragma: no cover (not POSIX)
        return None
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        packed = struct.pack('256s', name[:15].encode('utf-8'))
        try:
            addr = socket.inet_ntoa(fcntl.ioctl(sock.fileno(), 0x8915, packed)[20:24])  # SIOCGIFADDR
            mask = socket.inet_ntoa(fcntl.ioctl(sock.fileno(), 0x891b, packed)[20:24])  # SIOCGIFNETMASK
        except (IOError, OSError):
            return None
        return '%s/%s' % (addr, ipaddress.IPv4Network('0.0.0.0/%s' % mask).prefixlen)
    finally:
        sock.close()


def snapshot(sys_path='/sys', proc_path='/proc', ioctl=None):
    """Raw sysfs/procfs facts of every interface, plus the routing tables' text.

    Pure reading, JSON-serialisable, no judgement. ``ioctl`` adds each interface's primary IPv4
    address (SIOCGIFADDR); by default only when ``sys_path`` is ``/sys``, i.e. describes the
    running kernel (a copied sysfs tree must not pick up this machine's addresses).
    """
    if ioctl is None:
        ioctl = os.path.realpath(sys_path) == '/sys'
    result = {'sys_path': sys_path, 'proc_path': proc_path, 'interfaces': {}, 'proc': {}, 'errors': []}
    base = '/class/net'
    names = _listdir(sys_path, base)
    if names is None:
        result['errors'].append({'component': 'sysfs', 'message': 'cannot list %s' % os.path.join(sys_path, 'class', 'net')})
        names = []
    for name in names:
        d = posixpath.join(base, name)
        entries = _listdir(sys_path, d) or []
        uevent = {}
        for line in (_read(sys_path, posixpath.join(d, 'uevent')) or '').splitlines():
            if '=' in line:
                key, value = line.split('=', 1)
                uevent[key] = value
        slaves = _read(sys_path, posixpath.join(d, 'bonding', 'slaves'))
        device = posixpath.join(d, 'device')
        item = {
            'type': _int(_read(sys_path, posixpath.join(d, 'type'))),
            'ifindex': _int(_read(sys_path, posixpath.join(d, 'ifindex'))),
            'iflink': _int(_read(sys_path, posixpath.join(d, 'iflink'))),
            'operstate': _read(sys_path, posixpath.join(d, 'operstate')),
            'address': _read(sys_path, posixpath.join(d, 'address')),
            'devtype': uevent.get('DEVTYPE'),
            'device': _rootfs.exists(sys_path, device),
            'driver': _link_name(sys_path, posixpath.join(device, 'driver')) if _rootfs.exists(sys_path, device) else None,
            'master': _link_name(sys_path, posixpath.join(d, 'master')),
            'lower': [e[len('lower_'):] for e in entries if e.startswith('lower_')],
            'upper': [e[len('upper_'):] for e in entries if e.startswith('upper_')],
            'brif': _listdir(sys_path, posixpath.join(d, 'brif')) if 'bridge' in entries or 'brif' in entries else None,
            'bond_slaves': slaves.split() if slaves is not None else None,
            'bonding': 'bonding' in entries,
            'bridge': 'bridge' in entries,
            'tun': 'tun_flags' in entries,
            'ipv4': None,
        }
        if ioctl:
            item['ipv4'] = _ioctl_ipv4(name)
        result['interfaces'][name] = item
    for key, rel in (('route', 'net/route'), ('ipv6_route', 'net/ipv6_route'), ('if_inet6', 'net/if_inet6')):
        text = _read(proc_path, '/' + rel)
        result['proc'][key] = text
        if text is None and key != 'if_inet6':
            result['errors'].append({'component': 'procfs', 'message': 'cannot read %s' % os.path.join(proc_path, rel)})
    return result


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


_SNAPSHOT_CHILD = (
    'import json, sys\n'
    'from ansible_collections.scs.secure_connections.plugins.module_utils._gather.netinfo import snapshot\n'
    'json.dump(snapshot(sys.argv[1], sys.argv[2]), sys.stdout)\n'
)


def snapshot_in(runner, sys_path='/sys', proc_path='/proc'):
    """``snapshot()`` of the runner's network namespace (this process when there is none)."""
    if not runner.netns:
        return snapshot(sys_path, proc_path)
    argv = runner.argv('ip', ['netns', 'exec', runner.netns, sys.executable or 'python3', '-c', _SNAPSHOT_CHILD, sys_path, proc_path],
                       in_netns=False)
    env = {'PYTHONPATH': os.pathsep.join(p for p in sys.path if p)}
    rc, out, err = runner.run_argv(argv, env=env)
    if rc != 0:
        raise NetInfoError('cannot read sysfs/procfs inside network namespace %s: %s' % (runner.netns, (err or out).strip()[:500]))
    try:
        return json.loads(out)
    except ValueError as exc:
        raise NetInfoError('unreadable snapshot from network namespace %s: %s' % (runner.netns, exc))


# --------------------------------------------------------------------------------------------
# routing tables from procfs (the fallback when ip is absent)

def _hex_ipv4(text):
    return ipaddress.IPv4Address(struct.pack('<I', int(text, 16)))


def parse_proc_route(text):
    """Routes of ``/proc/net/route`` (main table, IPv4) as dicts."""
    routes = []
    for line in (text or '').splitlines()[1:]:
        fields = line.split()
        if len(fields) < 8:
            continue
        try:
            dest, gateway, flags, metric, mask = _hex_ipv4(fields[1]), _hex_ipv4(fields[2]), int(fields[3], 16), int(fields[6]), _hex_ipv4(fields[7])
            network = ipaddress.IPv4Network('%s/%s' % (dest, mask), strict=False)
        except ValueError:
            continue
        if not flags & RTF_UP:
            continue
        routes.append({
            'network': network, 'interface': None if fields[0] == '*' else fields[0], 'metric': metric,
            'gateway': str(gateway) if flags & RTF_GATEWAY else None, 'reject': bool(flags & RTF_REJECT),
        })
    return routes


def parse_proc_ipv6_route(text):
    """Routes of ``/proc/net/ipv6_route`` (IPv6) as dicts; cache entries are skipped."""
    routes = []
    for line in (text or '').splitlines():
        fields = line.split()
        if len(fields) < 10:
            continue
        try:
            dest = ipaddress.IPv6Address(bytes(bytearray.fromhex(fields[0])))
            network = ipaddress.IPv6Network('%s/%d' % (dest, int(fields[1], 16)), strict=False)
            nexthop = ipaddress.IPv6Address(bytes(bytearray.fromhex(fields[4])))
            metric, flags = int(fields[5], 16), int(fields[8], 16)
        except ValueError:
            continue
        if flags & RTF6_CACHE or not (flags & RTF_UP or flags & RTF_REJECT):
            continue  # the kernel lists its unreachable routes without RTF_UP
        if flags & RTF6_LOCAL or fields[9] == 'lo' and not flags & RTF_REJECT:
            continue  # local table entries: handled by address ownership, not routing
        routes.append({
            'network': network, 'interface': fields[9], 'metric': metric,
            'gateway': str(nexthop) if flags & RTF_GATEWAY else None, 'reject': bool(flags & RTF_REJECT),
        })
    return routes


def lookup_routes(routes, address):
    """Longest-prefix match, lowest metric on ties: ``{interface, gateway, prefix}`` or ``{error}``."""
    addr = ipaddress.ip_address(address)
    best = None
    for route in routes:
        net = route['network']
        if net.version != addr.version or addr not in net:
            continue
        key = (net.prefixlen, -route['metric'])
        if best is None or key > best[0]:
            best = (key, route)
    if best is None:
        return {'error': 'no route to %s in the main routing table' % address}
    route = best[1]
    if route['reject']:
        return {'error': '%s is unreachable (reject route %s)' % (address, route['network'])}
    return {'interface': route['interface'], 'gateway': route['gateway'], 'prefix': str(route['network'])}


def parse_if_inet6(text):
    """``{interface: [address/prefix, ...]}`` from ``/proc/net/if_inet6``."""
    out = {}
    for line in (text or '').splitlines():
        fields = line.split()
        if len(fields) < 6:
            continue
        try:
            addr = ipaddress.IPv6Address(bytes(bytearray.fromhex(fields[0])))
            prefix = int(fields[2], 16)
        except ValueError:
            continue
        out.setdefault(fields[5], []).append('%s/%d' % (addr, prefix))
    return out


# --------------------------------------------------------------------------------------------
# the node view

class NetView(object):
    """Interfaces, addresses and route lookups of one node (or network namespace).

    ``route_source``: ``auto`` (``ip`` when installed, else procfs), ``ip`` or ``proc``.
    ``notes`` says what was used and what was missing; ``errors`` lists what failed.
    """

    def __init__(self, runner, sys_path='/sys', proc_path='/proc', route_source='auto', snap=None, ovs_command=None):
        self.runner = runner
        self.ovs_command = list(ovs_command or ['ovs-vsctl'])
        self._ovs_cache = {}
        self.notes = []
        self.errors = []
        self.tools = {}
        for tool in ('ip', 'wg'):
            self.tools[tool] = runner.which(tool)
        if runner.netns and self.tools['ip'] is None:
            raise NetInfoError('ip (iproute2) is not installed: it is needed to read network namespace %s' % runner.netns)
        if route_source == 'ip' and self.tools['ip'] is None:
            raise NetInfoError('route_source=ip but ip (iproute2) is not installed')
        if route_source == 'auto':
            route_source = 'ip' if self.tools['ip'] else 'proc'
            if route_source == 'proc':
                self.notes.append('ip (iproute2) is not installed: routes come from /proc/net/route and /proc/net/ipv6_route '
                                  '(main table only, policy routing rules not considered), IPv4 addresses from SIOCGIFADDR '
                                  '(primary address only), interface kinds from sysfs only')
        self.route_source = route_source
        self.snap = snap if snap is not None else snapshot_in(runner, sys_path, proc_path)
        self.errors.extend(self.snap.get('errors') or [])
        self.ip_links = self._ip_json(['-d', 'link', 'show']) if self.tools['ip'] else None
        self.ip_addrs = self._ip_json(['addr', 'show']) if self.tools['ip'] else None
        self._proc_routes = None
        self._route_cache = {}
        self.wg_userspace = self._wg_interfaces()
        self.interfaces = self._build_interfaces()

    # ---- raw sources

    def _ip_json(self, args):
        try:
            rc, out, err = self.runner.run('ip', ['-j'] + args)
        except NetInfoError as exc:
            self.errors.append({'component': 'ip', 'message': str(exc)})
            return None
        if rc != 0:
            self.errors.append({'component': 'ip', 'message': 'ip -j %s failed: %s' % (' '.join(args), err.strip()[:300])})
            return None
        try:
            return json.loads(out or '[]')
        except ValueError as exc:
            self.errors.append({'component': 'ip', 'message': 'ip -j %s gave unreadable JSON: %s' % (' '.join(args), exc)})
            return None

    def _wg_interfaces(self):
        """Names ``wg show interfaces`` lists (kernel and userspace); None when ``wg`` is absent."""
        if self.tools.get('wg') is None:
            self.notes.append('wg (wireguard-tools) is not installed: userspace WireGuard devices (wireguard-go) cannot be '
                              'recognised, only kernel WireGuard devices')
            return None
        try:
            rc, out, err = self.runner.run('wg', ['show', 'interfaces'])
        except NetInfoError as exc:
            self.errors.append({'component': 'wg', 'message': str(exc)})
            return None
        if rc != 0:
            self.errors.append({'component': 'wg', 'message': 'wg show interfaces failed: %s' % err.strip()[:300]})
            return None
        return out.split()

    def wg_endpoints(self, name):
        """Peer endpoint addresses of WireGuard device ``name`` (``wg show NAME endpoints``)."""
        if self.tools.get('wg') is None:
            return []
        try:
            rc, out, err = self.runner.run('wg', ['show', name, 'endpoints'])
        except NetInfoError:
            return []
        if rc != 0:
            return []
        endpoints = []
        for line in out.splitlines():
            fields = line.split()
            if len(fields) == 2 and fields[1] != '(none)':
                host = fields[1].rsplit(':', 1)[0].strip('[]')
                try:
                    endpoints.append(str(ipaddress.ip_address(host)))
                except ValueError:
                    continue
        return endpoints

    # ---- interfaces

    def _build_interfaces(self):
        sys_ifaces = self.snap.get('interfaces') or {}
        links = dict((l.get('ifname'), l) for l in (self.ip_links or []) if l.get('ifname'))
        addrs = dict((a.get('ifname'), a) for a in (self.ip_addrs or []) if a.get('ifname'))
        v6 = parse_if_inet6((self.snap.get('proc') or {}).get('if_inet6'))
        names = sorted(set(sys_ifaces) | set(links))
        out = {}
        for name in names:
            s = sys_ifaces.get(name) or {}
            link = links.get(name) or {}
            info = link.get('linkinfo') or {}
            kind_ip = info.get('info_kind')
            item = {
                'name': name,
                'kind': None,
                'physical': bool(s.get('device')),
                'driver': s.get('driver'),
                'operstate': s.get('operstate') or link.get('operstate'),
                'mac': s.get('address') or link.get('address'),
                'addresses': [],
                'master': s.get('master') or link.get('master'),
                'lower': [],
                'members': [],
                'vlan_id': (info.get('info_data') or {}).get('id') if kind_ip == 'vlan' else None,
                'wireguard': False,
                'wireguard_source': None,
            }
            # addresses
            if name in addrs:
                for a in addrs[name].get('addr_info') or []:
                    if a.get('local') is not None and a.get('prefixlen') is not None:
                        item['addresses'].append('%s/%s' % (a['local'], a['prefixlen']))
            else:
                if s.get('ipv4'):
                    item['addresses'].append(s['ipv4'])
                item['addresses'].extend(v6.get(name, []))
            # kind
            item['kind'] = self._kind(s, kind_ip)
            # stacking
            lower = list(s.get('lower') or [])
            if not lower and link.get('link') and item['kind'] in ('vlan', 'macvlan', 'macvtap', 'ipvlan', 'ipvtap'):
                lower = [link['link']]
            if item['kind'] == 'bridge':
                item['members'] = list(s.get('brif') if s.get('brif') is not None else lower)
                lower = list(item['members'])
            elif item['kind'] in ('bond', 'team'):
                item['members'] = list(s.get('bond_slaves') if s.get('bond_slaves') is not None else lower)
                lower = list(item['members'])
            item['lower'] = lower
            # WireGuard
            if item['kind'] == 'wireguard':
                item['wireguard'], item['wireguard_source'] = True, 'kernel'
            elif self.wg_userspace and name in self.wg_userspace and (item['kind'] == 'tun' or s.get('tun')):
                # wireguard-go's socket directory is shared by all namespaces: only a tun device here is one
                item['wireguard'], item['wireguard_source'] = True, 'userspace (wg show interfaces)'
                item['kind'] = 'wireguard'
            out[name] = item
        # bridge/bond members known only through their "master" link (no brif/ in a snapshot)
        for name, item in out.items():
            master = item.get('master')
            if master in out and out[master]['kind'] in ('bridge', 'bond', 'team') and name not in out[master]['members']:
                out[master]['members'].append(name)
                out[master]['lower'].append(name)
        return out

    @staticmethod
    def _kind(s, kind_ip):
        if kind_ip:
            return {'bond_slave': 'bond'}.get(kind_ip, kind_ip)
        if s.get('devtype') in ('wireguard', 'vlan', 'bridge', 'bond', 'macvlan', 'vxlan', 'geneve', 'wlan', 'team'):
            return s['devtype']
        if s.get('bridge') or s.get('brif') is not None:
            return 'bridge'
        if s.get('bonding') or s.get('bond_slaves') is not None:
            return 'bond'
        if s.get('type') == ARPHRD_LOOPBACK:
            return 'loopback'
        if s.get('device'):
            return 'physical'
        if s.get('tun'):
            return 'tun'
        if s.get('lower'):
            return 'stacked'
        return 'virtual'

    def owner(self, address):
        """Interface holding ``address`` as one of its own addresses, or None."""
        addr = ipaddress.ip_address(address)
        for name, item in sorted(self.interfaces.items()):
            for cidr in item['addresses']:
                try:
                    if ipaddress.ip_interface(cidr).ip == addr:
                        return name
                except ValueError:
                    continue
        return None

    def in_network(self, networks):
        """Interfaces with an address inside one of ``networks`` (CIDR strings): ``{name: [addresses]}``."""
        nets = []
        for net in networks:
            try:
                nets.append(ipaddress.ip_network(net, strict=False))
            except ValueError:
                continue
        found = {}
        for name, item in sorted(self.interfaces.items()):
            for cidr in item['addresses']:
                try:
                    ip = ipaddress.ip_interface(cidr).ip
                except ValueError:
                    continue
                if any(ip.version == n.version and ip in n for n in nets):
                    found.setdefault(name, []).append(str(ip))
        return found

    # ---- routes

    def route(self, address):
        """Which interface the kernel uses for ``address``: a dict with ``interface`` or ``error``."""
        if address in self._route_cache:
            return self._route_cache[address]
        try:
            ipaddress.ip_address(address)
        except ValueError:
            return {'address': address, 'error': '%s is not an IP address' % address, 'method': None}
        own = self.owner(address)
        if own is not None:
            result = {'address': address, 'interface': own, 'gateway': None, 'local': True, 'method': 'local address'}
        elif self.route_source == 'ip':
            result = self._route_ip(address)
        else:
            result = self._route_proc(address)
        self._route_cache[address] = result
        return result

    def _route_ip(self, address):
        try:
            rc, out, err = self.runner.run('ip', ['-j', 'route', 'get', address])
        except NetInfoError as exc:
            return {'address': address, 'error': str(exc), 'method': 'ip route get'}
        if rc != 0:
            return {'address': address, 'error': 'ip route get %s: %s' % (address, (err or out).strip()[:300]), 'method': 'ip route get'}
        try:
            data = json.loads(out)[0]
        except (ValueError, IndexError, KeyError) as exc:
            return {'address': address, 'error': 'ip route get %s gave unreadable output: %s' % (address, exc), 'method': 'ip route get'}
        if data.get('type') in ('unreachable', 'prohibit', 'blackhole'):
            return {'address': address, 'error': '%s is %s' % (address, data['type']), 'method': 'ip route get'}
        return {'address': address, 'interface': data.get('dev'), 'gateway': data.get('gateway'), 'source': data.get('prefsrc'),
                'local': data.get('type') == 'local', 'method': 'ip route get'}

    def _route_proc(self, address):
        if self._proc_routes is None:
            proc = self.snap.get('proc') or {}
            self._proc_routes = parse_proc_route(proc.get('route')) + parse_proc_ipv6_route(proc.get('ipv6_route'))
        found = lookup_routes(self._proc_routes, address)
        found.update({'address': address, 'method': '/proc/net longest-prefix match'})
        return found

    def default_interfaces(self):
        """Interfaces carrying the default routes (IPv4 and IPv6)."""
        out = []
        for probe in ('0.0.0.0', '::'):
            if self.route_source == 'ip':
                try:
                    rc, text, _err = self.runner.run('ip', ['-j', '-4' if probe == '0.0.0.0' else '-6', 'route', 'show', 'default'])
                    data = json.loads(text) if rc == 0 and text.strip() else []
                except (NetInfoError, ValueError):
                    data = []
                for r in data:
                    if r.get('dev') and r.get('type') not in ('unreachable', 'prohibit', 'blackhole') and r['dev'] not in out:
                        out.append(r['dev'])
            else:
                if self._proc_routes is None:
                    self._route_proc('127.0.0.1')
                for r in self._proc_routes:
                    if r['network'].prefixlen == 0 and str(r['network'].network_address) == probe and not r['reject'] \
                            and r['interface'] and r['interface'] != 'lo' and r['interface'] not in out:
                        out.append(r['interface'])
        return out

    # ---- resolution to NICs

    def resolve(self, name, _seen=None, _depth=0):
        """Resolve ``name`` down to the lowest devices under it.

        Returns ``{interface, exists, chain: [hop strings], nics: [lowest device names],
        physical_nics: [those with a bus device], virtual_nics: [lowest virtual devices],
        wireguard: [WireGuard devices on the way]}``.
        """
        seen = _seen if _seen is not None else set()
        res = {'interface': name, 'exists': name in self.interfaces, 'chain': [], 'nics': [], 'physical_nics': [], 'virtual_nics': [],
               'wireguard': []}
        if name not in self.interfaces:
            res['chain'].append('%s (not present on this node)' % name)
            return res
        if name in seen or _depth > 12:
            return res
        seen.add(name)
        item = self.interfaces[name]
        kind = item['kind']
        below = []
        if kind == 'wireguard':
            res['wireguard'].append(name)
            for endpoint in self.wg_endpoints(name):
                r = self.route(endpoint)
                if r.get('interface') and r['interface'] != name:
                    below.append(r['interface'])
            hop = '%s (WireGuard%s)' % (name, ', encrypted UDP to peers via %s' % ', '.join(sorted(set(below))) if below else ', no peer endpoint route known')
        elif kind == 'openvswitch' and not item['lower'] and name != 'ovs-system':
            below = self.ovs_ports(name)
            if below is None:
                hop = '%s (Open vSwitch, ports unknown: %s not installed)' % (name, self.ovs_command[0])
                below = []
            else:
                hop = '%s (Open vSwitch bridge/port over %s)' % (name, ', '.join(below) if below else 'no NIC port')
        elif item['lower']:
            below = list(item['lower'])
            detail = kind
            if item.get('vlan_id') is not None:
                detail = 'vlan %s' % item['vlan_id']
            hop = '%s (%s over %s)' % (name, detail, ', '.join(below))
        else:
            hop = '%s (%s%s)' % (name, kind, '' if kind == 'physical' else ', no lower device')
        res['chain'].append(hop)
        if not below:
            res['nics'].append(name)
            (res['physical_nics'] if item['physical'] else res['virtual_nics']).append(name)
            return res
        for lower in below:
            sub = self.resolve(lower, seen, _depth + 1)
            for key in ('chain', 'nics', 'physical_nics', 'virtual_nics', 'wireguard'):
                for value in sub[key]:
                    if value not in res[key]:
                        res[key].append(value)
        return res

    def ovs_ports(self, name):
        """Non-OVS interfaces attached to the Open vSwitch bridge that ``name`` belongs to (None: no ovs-vsctl)."""
        if name in self._ovs_cache:
            return self._ovs_cache[name]
        tool = self.ovs_command[0]
        if self.runner.which(tool) is None:
            self._ovs_cache[name] = None
            return None
        ports = []
        try:
            rc, out, _err = self.runner.run(tool, self.ovs_command[1:] + ['--timeout=5', 'iface-to-br', name], in_netns=False)
            bridge = out.strip() if rc == 0 and out.strip() else name
            rc, out, _err = self.runner.run(tool, self.ovs_command[1:] + ['--timeout=5', 'list-ifaces', bridge], in_netns=False)
            if rc == 0:
                ports = [p for p in out.split() if p in self.interfaces and self.interfaces[p]['kind'] != 'openvswitch']
        except NetInfoError as exc:
            self.errors.append({'component': 'ovs', 'message': str(exc)})
        self._ovs_cache[name] = ports
        return ports

    def interface_summary(self):
        """The interfaces as returned to the caller (no routing data)."""
        return [dict(self.interfaces[n]) for n in sorted(self.interfaces)]


def resolve_address(view, address):
    """Route lookup for ``address`` plus NIC resolution of the egress interface."""
    route = view.route(address)
    out = dict(route)
    if route.get('interface'):
        res = view.resolve(route['interface'])
        out.update({'chain': res['chain'], 'nics': res['nics'], 'physical_nics': res['physical_nics'],
                    'virtual_nics': res['virtual_nics'], 'wireguard': res['wireguard']})
    return out
