# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The libvirt side of the hypervisor channel, as observed on a compute node (``libvirt_tls_info``).

What is gathered (nothing is judged here; ``_rules_hv.py`` judges):

* every libvirt daemon that can serve the remote protocol: monolithic ``libvirtd``, modular
  ``virtproxyd``, kolla's ``nova_libvirt`` container (``/etc/kolla/nova-libvirt``) and any
  running daemon started with ``--config FILE``;
* its **effective** settings: the value from the config file where the key is set, libvirt's
  built-in default where it is absent or commented out (each value says which, and the line);
* whether it listens at all: ``--listen`` on the running process (``/proc/<pid>/cmdline``), in
  ``/etc/default/libvirtd`` / ``/etc/sysconfig/libvirtd`` (``LIBVIRTD_ARGS``, ``VIRTPROXYD_ARGS``)
  or kolla's ``config.json`` command; or systemd socket activation (``libvirtd-tcp.socket`` ...
  enabled): then addresses and ports come from the units' ``ListenStream``, not from the file;
* the TCP sockets really listening (``/proc/net/tcp{,6}``) on the daemon's ports, and optionally
  what authentication a plain-TCP listener demands (libvirt RPC ``REMOTE_PROC_AUTH_LIST``);
* the TLS material (server, CA, this node's client certificate) and ``qemu.conf``'s migration TLS
  settings with the files of the effective certificate directory;
* SSH: ``authorized_keys`` of the users live migration may log in as, with their options
  (``command=``, ``restrict``, ``from=``), and ``ForceCommand`` in ``sshd_config``;
* SASL: ``mech_list`` of ``/etc/sasl2/libvirt.conf``.

Parsing of the file formats is ``_libvirt_conf.py``'s; listeners come from ``_listeners.py``;
files are read below ``root`` with ``_rootfs.py``.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import hashlib
import json
import os
import posixpath
import re
import shlex
import stat

from ansible_collections.scs.secure_connections.plugins.module_utils._parsers.libvirt import (
    parse_default_libvirtd,
    parse_libvirt_conf,
    parse_socket_listen,
    parse_systemd_unit,
)
from ansible_collections.scs.secure_connections.plugins.module_utils._gather.listeners import container_from_cgroup, read_listeners
from ansible_collections.scs.secure_connections.plugins.module_utils._core.rootfs import (
    ReadError, host_path, is_snapshot_root, read_bytes, read_text, readlink, resolve,
)
from ansible_collections.scs.secure_connections.plugins.module_utils._core.secrets import mask_url
from ansible_collections.scs.secure_connections.plugins.module_utils._core.settings import describe_setting
from ansible_collections.scs.secure_connections.plugins.module_utils._core.netaddr import hostport as endpoint, is_loopback, is_wildcard
from ansible_collections.scs.secure_connections.plugins.module_utils._core.optional import OptionalLibrary

CRYPTOGRAPHY = OptionalLibrary('cryptography', 'cryptography.x509', 'cryptography.x509.oid')
_cx509, _oid = CRYPTOGRAPHY.deferred()   # imported on first use

# libvirtd.conf / virtproxyd.conf built-in defaults (libvirt 9, src/remote/libvirtd.conf.in and
# src/remote/remote_daemon_config.c). listen_tls / listen_tcp only matter with --listen;
# listen_addr None = all interfaces (libvirt binds 0.0.0.0 and ::).
DAEMON_DEFAULTS = {
    'listen_tls': 1,
    'listen_tcp': 0,
    'listen_addr': None,
    'tls_port': '16514',
    'tcp_port': '16509',
    'auth_tcp': 'sasl',
    'auth_tls': 'none',
    'tcp_min_ssf': 56,
    'tls_no_verify_certificate': 0,
    'tls_no_sanity_certificate': 0,
    'tls_allowed_dn_list': None,
    'sasl_allowed_username_list': None,
    'tls_priority': None,
    'key_file': '/etc/pki/libvirt/private/serverkey.pem',
    'cert_file': '/etc/pki/libvirt/servercert.pem',
    'ca_file': '/etc/pki/CA/cacert.pem',
    'crl_file': None,
    'unix_sock_dir': '/run/libvirt',
}

# qemu.conf (src/qemu/qemu_conf.c): the migration certificate directory is
# migrate_tls_x509_cert_dir, else /etc/pki/libvirt-migrate if it exists, else
# default_tls_x509_cert_dir; migrate_tls_x509_verify defaults to default_tls_x509_verify when
# that is set, else to 1.
QEMU_DEFAULTS = {
    'default_tls_x509_cert_dir': '/etc/pki/qemu',
    'default_tls_x509_verify': None,
    'migrate_tls_x509_cert_dir': None,
    'migrate_tls_x509_verify': None,
    'migrate_tls_force': 0,
    'migration_address': None,
}
QEMU_MIGRATE_SPECIFIC_DIR = '/etc/pki/libvirt-migrate'
QEMU_TLS_FILES = (('ca-cert.pem', 'ca'), ('server-cert.pem', 'cert'), ('server-key.pem', 'key'),
                  ('client-cert.pem', 'cert'), ('client-key.pem', 'key'))

# The certificates this node presents when it connects to another libvirt as a client (root's
# default pkipath; the source libvirtd uses them for peer-to-peer qemu+tls live migration).
CLIENT_CERT = '/etc/pki/libvirt/clientcert.pem'
CLIENT_KEY = '/etc/pki/libvirt/private/clientkey.pem'
CLIENT_CA = '/etc/pki/CA/cacert.pem'

KOLLA_DIR = '/etc/kolla/nova-libvirt'
KOLLA_CONFIG_FILES = '/var/lib/kolla/config_files'
# Where kolla's nova-libvirt.json.j2 puts the files of /etc/kolla/nova-libvirt in the container
# (used when config.json is missing or unreadable).
KOLLA_FALLBACK_FILES = {
    '/etc/libvirt/libvirtd.conf': 'libvirtd.conf',
    '/etc/libvirt/qemu.conf': 'qemu.conf',
    '/etc/sasl2/libvirt.conf': 'sasl.conf',
    '/etc/pki/libvirt/private/serverkey.pem': 'serverkey.pem',
    '/etc/pki/libvirt/servercert.pem': 'servercert.pem',
    '/etc/pki/libvirt/private/clientkey.pem': 'clientkey.pem',
    '/etc/pki/libvirt/clientcert.pem': 'clientcert.pem',
    '/etc/pki/CA/cacert.pem': 'cacert.pem',
    '/etc/pki/qemu/server-key.pem': 'serverkey.pem',
    '/etc/pki/qemu/server-cert.pem': 'servercert.pem',
    '/etc/pki/qemu/client-key.pem': 'clientkey.pem',
    '/etc/pki/qemu/client-cert.pem': 'clientcert.pem',
    '/etc/pki/qemu/ca-cert.pem': 'cacert.pem',
}
KOLLA_NOVA_SSH_DIR = '/etc/kolla/nova-ssh'
# kolla images' start scripts named as config.json "command", and the libvirtd command line they exec
# (kolla docker/nova/nova-libvirt/kolla_nova_libvirt_start.sh: "exec /usr/sbin/libvirtd --listen",
# the command of kolla-ansible's nova-libvirt.json.j2 since 2024.2; older releases name libvirtd itself).
KOLLA_START_SCRIPTS = {'kolla_nova_libvirt_start': ['/usr/sbin/libvirtd', '--listen']}

SYSTEMD_DIRS = ('/etc/systemd/system', '/run/systemd/system', '/usr/local/lib/systemd/system', '/lib/systemd/system', '/usr/lib/systemd/system')
DAEMONS = {
    'libvirtd': {'config': '/etc/libvirt/libvirtd.conf', 'args_files': ('/etc/default/libvirtd', '/etc/sysconfig/libvirtd'),
                 'args_var': 'LIBVIRTD_ARGS', 'units': {'tcp': 'libvirtd-tcp.socket', 'tls': 'libvirtd-tls.socket'}},
    'virtproxyd': {'config': '/etc/libvirt/virtproxyd.conf', 'args_files': ('/etc/default/virtproxyd', '/etc/sysconfig/virtproxyd'),
                   'args_var': 'VIRTPROXYD_ARGS', 'units': {'tcp': 'virtproxyd-tcp.socket', 'tls': 'virtproxyd-tls.socket'}},
}
BINARIES = ('/usr/sbin/libvirtd', '/usr/sbin/virtproxyd', '/usr/local/sbin/libvirtd')
SASL_CONF = '/etc/sasl2/libvirt.conf'
SSHD_CONFIG = '/etc/ssh/sshd_config'


# --------------------------------------------------------------------------------------------
# small helpers
# --------------------------------------------------------------------------------------------

def _int(value):
    """libvirt config integer (``1``, ``"1"``) or None."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        try:
            return int(value.strip())
        except ValueError:
            return None
    return None


def has_listen_flag(args):
    """``--listen`` / ``-l`` (also inside combined short options like ``-dl``)."""
    for arg in args or []:
        if arg in ('--listen', '-l'):
            return True
        if arg.startswith('-') and not arg.startswith('--') and 'l' in arg[1:] and not arg[1:].isdigit():
            return True
    return False


def config_flag(args):
    """The value of ``--config X`` / ``--config=X`` / ``-f X`` in ``args``, or None."""
    args = list(args or [])
    for index, arg in enumerate(args):
        if arg in ('--config', '-f') and index + 1 < len(args):
            return args[index + 1]
        if arg.startswith('--config='):
            return arg.split('=', 1)[1]
    return None


def libvirt_dn(cert):
    """The subject as libvirt compares it with ``tls_allowed_dn_list`` (``virt-pki-query-dn``):
    the RDNs in certificate order, ``O=Example,CN=compute1`` (the reverse of RFC 4514's string)."""
    return ','.join(rdn.rfc4514_string() for rdn in cert.subject.rdns)


class Context(object):
    """Where to read from, and the errors collected on the way."""

    def __init__(self, root='/', proc_path='/proc'):
        self.root = root or '/'
        self.proc_path = proc_path or '/proc'
        self.errors = []

    def error(self, path, message):
        entry = {'file': path, 'message': message}
        if entry not in self.errors:
            self.errors.append(entry)

    def exists(self, path):
        try:
            return os.path.lexists(host_path(self.root, resolve(self.root, path)))
        except ReadError:
            return True  # a link loop exists, reading it will say so

    def lexists(self, path):
        return os.path.lexists(host_path(self.root, path))

    def isdir(self, path):
        try:
            return os.path.isdir(host_path(self.root, resolve(self.root, path)))
        except ReadError:
            return False

    def listdir(self, path):
        try:
            return sorted(os.listdir(host_path(self.root, resolve(self.root, path))))
        except (OSError, ReadError, ValueError):
            return []

    def text(self, path, required=False):
        """Text of ``path`` or None; an unreadable existing file (or a required missing one) is an error."""
        try:
            text, warning = read_text(self.root, path)
        except ReadError as exc:
            if required or exc.message != 'no such file':
                self.error(path, exc.message)
            return None
        if warning:
            self.error(path, warning)
        return text

    def link_target(self, path):
        try:
            return readlink(self.root, path)
        except ReadError:
            return None


# --------------------------------------------------------------------------------------------
# effective settings
# --------------------------------------------------------------------------------------------

def effective_settings(parsed, defaults, config_file):
    """``{key: {value, source: file|default, file, line}}`` for every key of ``defaults`` plus every
    key the file sets. ``parsed`` is ``parse_libvirt_conf()``'s result, or None (file absent)."""
    settings = (parsed or {}).get('settings', {})
    lines = (parsed or {}).get('lines', {})
    out = {}
    for key in sorted(set(defaults) | set(settings)):
        if key in settings:
            out[key] = {'value': settings[key], 'source': 'file', 'file': config_file, 'line': lines.get(key)}
        else:
            out[key] = {'value': defaults.get(key), 'source': 'default', 'file': None, 'line': None}
    return out


# --------------------------------------------------------------------------------------------
# processes
# --------------------------------------------------------------------------------------------

def _read_proc(proc_path, path, limit=1024 * 1024):
    """Bytes of ``path`` inside ``proc_path`` through the root-confined reader (a FIFO or a link
    out of a fixture ``proc_path`` is never opened); ``OSError`` when it cannot be read."""
    try:
        return read_bytes(proc_path, path, max_size=limit)
    except ReadError as exc:
        raise OSError(str(exc))


def find_processes(ctx):
    """Running ``libvirtd`` / ``virtproxyd`` processes: ``[{pid, name, args, listen, config, container}]``."""
    procs = []
    try:
        pids = sorted(int(d) for d in os.listdir(ctx.proc_path) if re.match(r'^[0-9]{1,12}$', d))
    except OSError as exc:
        ctx.error(ctx.proc_path, 'cannot list processes: %s' % (exc.strerror or exc))
        return procs
    for pid in pids:
        try:
            raw = _read_proc(ctx.proc_path, '/%d/cmdline' % pid)
        except OSError:
            continue
        args = [a.decode('utf-8', 'replace') for a in raw.split(b'\0') if a]
        if not args:
            continue
        name = posixpath.basename(args[0])
        if name not in ('libvirtd', 'virtproxyd'):
            continue
        try:
            container = container_from_cgroup(_read_proc(ctx.proc_path, '/%d/cgroup' % pid).decode('utf-8', 'replace'))
        except OSError:
            container = None
        procs.append({
            'pid': pid, 'name': name, 'args': [mask_url(a) for a in args], 'listen': has_listen_flag(args[1:]),
            'config': config_flag(args[1:]), 'container': ('%s:%s' % (container['engine'], container['id'][:12])) if container else None,
        })
    return procs


# --------------------------------------------------------------------------------------------
# kolla
# --------------------------------------------------------------------------------------------

def kolla_file_map(ctx):
    """``(map container path -> host path, command or None, config.json path or None)`` for nova-libvirt."""
    mapping = dict((dest, posixpath.join(KOLLA_DIR, name)) for dest, name in KOLLA_FALLBACK_FILES.items())
    path = posixpath.join(KOLLA_DIR, 'config.json')
    text = ctx.text(path)
    if text is None:
        return mapping, None, None
    try:
        data = json.loads(text)
    except ValueError as exc:
        ctx.error(path, 'not valid JSON: %s' % exc)
        return mapping, None, None
    if not isinstance(data, dict):
        ctx.error(path, 'not a JSON object')
        return mapping, None, None
    for item in data.get('config_files') or []:
        if not isinstance(item, dict):
            continue
        source, dest = item.get('source'), item.get('dest')
        if isinstance(source, str) and isinstance(dest, str) and source.startswith(KOLLA_CONFIG_FILES + '/'):
            mapping[dest] = posixpath.join(KOLLA_DIR, source[len(KOLLA_CONFIG_FILES) + 1:])
    command = data.get('command') if isinstance(data.get('command'), str) else None
    return mapping, command, path


# --------------------------------------------------------------------------------------------
# systemd socket units
# --------------------------------------------------------------------------------------------

def socket_unit(ctx, unit):
    """State of a systemd unit under ``root``: file, drop-ins, enabled (a ``*.wants`` link), masked,
    and the effective ``ListenStream`` list."""
    info = {'unit': unit, 'file': None, 'dropins': [], 'enabled': False, 'enabled_by': [], 'masked': False, 'listen_stream': [], 'errors': []}
    for directory in SYSTEMD_DIRS:
        path = posixpath.join(directory, unit)
        if ctx.lexists(path):
            if ctx.link_target(path) == '/dev/null':
                info['masked'] = True
                info['file'] = path
                break
            if ctx.exists(path):
                info['file'] = path
                break
    dropins = {}
    for directory in reversed(SYSTEMD_DIRS):
        for name in ctx.listdir(posixpath.join(directory, unit + '.d')):
            if name.endswith('.conf'):
                dropins[name] = posixpath.join(directory, unit + '.d', name)
    info['dropins'] = [dropins[n] for n in sorted(dropins)]
    if ctx.isdir('/etc/systemd/system'):
        for wants in ctx.listdir('/etc/systemd/system'):
            if wants.endswith(('.wants', '.requires')) and ctx.lexists(posixpath.join('/etc/systemd/system', wants, unit)):
                info['enabled'] = True
                info['enabled_by'].append(posixpath.join('/etc/systemd/system', wants, unit))
    if info['file'] is None or info['masked']:
        return info
    texts = []
    for path in [info['file']] + info['dropins']:
        text = ctx.text(path)
        if text is not None:
            texts.append(text)
    parsed = parse_systemd_unit('\n'.join(texts))
    info['errors'] = parsed['errors']
    info['listen_stream'] = parsed['listen_stream']
    return info


# --------------------------------------------------------------------------------------------
# certificates and keys
# --------------------------------------------------------------------------------------------

def _ekus(cert):
    try:
        ext = cert.extensions.get_extension_for_class(_cx509.ExtendedKeyUsage).value
    except (_cx509.ExtensionNotFound, ValueError):
        return None
    names = []
    for oid in ext:
        if oid == _oid.ExtendedKeyUsageOID.SERVER_AUTH:
            names.append('serverAuth')
        elif oid == _oid.ExtendedKeyUsageOID.CLIENT_AUTH:
            names.append('clientAuth')
        else:
            names.append(getattr(oid, '_name', None) or oid.dotted_string)
    return names


def _issued_by(cert, ca_cert):
    if ca_cert is None:
        return None
    if cert.issuer != ca_cert.subject:
        return False
    verify = getattr(cert, 'verify_directly_issued_by', None)
    if verify is None:
        return True
    try:
        verify(ca_cert)
        return True
    except Exception:  # pylint: disable=broad-except
        return False  # InvalidSignature, TypeError, ValueError: not issued by that CA


def load_certificate(ctx, logical, host_file=None, ca_cert=None):
    """``(info, cert object or None)`` for the PEM certificate at ``logical`` (read at ``host_file``)."""
    host_file = host_file or logical
    info = {'path': logical, 'file': host_file, 'present': False, 'readable': False, 'error': None}
    try:
        data = read_bytes(ctx.root, host_file)
    except ReadError as exc:
        if exc.message != 'no such file':
            info['present'] = True
            ctx.error(host_file, exc.message)
        info['error'] = exc.message
        return info, None
    info['present'] = True
    info['readable'] = True
    try:
        cert = _cx509.load_pem_x509_certificate(data)
    except ValueError as exc:
        info['error'] = 'not a PEM certificate: %s' % exc
        ctx.error(host_file, info['error'])
        return info, None
    # pylint: disable=import-outside-toplevel
    from cryptography.hazmat.primitives import serialization
    # _tls/x509 (about 23 KB of source to compile) only for a certificate that was read: a snapshot may hold none
    from ansible_collections.scs.secure_connections.plugins.module_utils._tls.x509 import describe
    details = describe(cert.public_bytes(serialization.Encoding.DER))
    for key in ('subject', 'issuer', 'serial', 'not_before', 'not_after', 'expired', 'not_yet_valid', 'days_left',
                'key_type', 'key_size', 'curve', 'signature_algorithm', 'sans', 'is_ca', 'self_signed', 'sha256'):
        info[key] = details.get(key)
    try:
        info['libvirt_dn'] = libvirt_dn(cert)
    except ValueError:
        info['libvirt_dn'] = None
    info['extended_key_usage'] = _ekus(cert)
    info['issued_by_ca'] = _issued_by(cert, ca_cert)
    return info, cert


def key_file_info(ctx, logical, host_file=None):
    """Presence and permissions of a private key file (its content is never read)."""
    host_file = host_file or logical
    info = {'path': logical, 'file': host_file, 'present': False, 'mode': None, 'world_readable': None, 'error': None}
    try:
        real = host_path(ctx.root, resolve(ctx.root, host_file))
        st = os.stat(real)
    except ReadError as exc:
        info['error'] = exc.message
        ctx.error(host_file, exc.message)
        return info
    except OSError as exc:
        info['error'] = 'no such file' if not os.path.lexists(host_path(ctx.root, host_file)) else (exc.strerror or str(exc))
        if info['error'] != 'no such file':
            ctx.error(host_file, info['error'])
        return info
    if not stat.S_ISREG(st.st_mode):
        info['present'] = True
        info['error'] = 'not a regular file'
        ctx.error(host_file, info['error'])
        return info
    info['present'] = True
    info['mode'] = '%04o' % stat.S_IMODE(st.st_mode)
    info['world_readable'] = bool(st.st_mode & stat.S_IROTH)
    return info


def certificate_set(ctx, paths, mapper):
    """``{role: info}`` for ``paths = {role: (logical path, 'cert'|'key'|'ca')}``; CA first so certs
    can be checked against it."""
    out = {}
    ca_obj = None
    for role, (logical, kind) in sorted(paths.items(), key=lambda kv: kv[1][1] != 'ca'):
        if logical is None:
            out[role] = None
            continue
        if kind == 'key':
            out[role] = key_file_info(ctx, logical, mapper(logical))
            continue
        info, cert = load_certificate(ctx, logical, mapper(logical), ca_cert=None if kind == 'ca' else ca_obj)
        if kind == 'ca':
            ca_obj = cert
        out[role] = info
    return out


# --------------------------------------------------------------------------------------------
# daemons
# --------------------------------------------------------------------------------------------

def _args_file_listen(ctx, files, variable):
    """``(listen, source)`` from the first existing /etc/default or /etc/sysconfig file."""
    for path in files:
        text = ctx.text(path)
        if text is None:
            continue
        parsed = parse_default_libvirtd(text)
        for err in parsed['errors']:
            ctx.error(path, 'line %s: %s' % (err['line'], err['message']))
        if variable == 'LIBVIRTD_ARGS':
            args, listen = parsed['args'], parsed['listen']
        else:
            try:
                args = shlex.split(parsed['variables'].get(variable, ''))
            except ValueError:
                args = parsed['variables'].get(variable, '').split()
            listen = has_listen_flag(args)
        if variable in parsed['variables'] or (variable == 'LIBVIRTD_ARGS' and 'libvirtd_opts' in parsed['variables']):
            return listen, '%s %s=%s' % (path, variable, json.dumps(' '.join(args)))
        return False, '%s exists but does not set %s (--listen not given)' % (path, variable)
    return None, None


def _transport_binds_listen(settings, transport):
    addr = settings['listen_addr']['value']
    port = _int(settings['%s_port' % transport]['value'])
    if addr in (None, ''):
        return [{'address': '0.0.0.0', 'port': port}, {'address': '::', 'port': port}]
    return [{'address': addr, 'port': port}]


def _transport_binds_units(unit):
    binds = []
    for value in unit['listen_stream']:
        parsed = parse_socket_listen(value)
        if parsed.get('port') is None:
            continue
        if parsed.get('address') is None:
            binds.append({'address': '::', 'port': parsed['port']})  # systemd: dual-stack, all interfaces
        else:
            binds.append({'address': parsed['address'], 'port': parsed['port']})
    return binds


def _read_config(ctx, entry, path):
    """A libvirt configuration file parsed (None when absent or unreadable); ``config_present`` and
    ``config_error`` into ``entry``, every problem into the context's errors."""
    try:
        text, warning = read_text(ctx.root, path)
    except ReadError as exc:
        if exc.message != 'no such file':
            entry['config_present'] = True
            entry['config_error'] = exc.message
            ctx.error(path, exc.message)
        return None
    entry['config_present'] = True
    if warning:
        ctx.error(path, warning)
    parsed = parse_libvirt_conf(text)
    for err in parsed['errors']:
        ctx.error(path, 'line %s: %s' % (err['line'], err['message']))
    return parsed


def _listen_mode(daemon, procs, args_info, units):
    """How the daemon is told to listen on the network: ``listen_flag``, ``socket_units`` and ``mode`` into ``daemon``.

    Returns ``(listen_source, active_units)``.
    """
    listen, listen_source = None, None
    if procs:
        listen = any(p['listen'] for p in procs)
        listen_source = '/proc/%s/cmdline: %s' % (procs[0]['pid'], ' '.join(procs[0]['args']))
    elif args_info[0] is not None:
        listen, listen_source = args_info
    daemon['listen_flag'] = {'value': bool(listen), 'source': listen_source or 'no running daemon and no arguments file (/etc/default, /etc/sysconfig)'}
    active_units = [u for u in units if u['enabled'] and not u['masked'] and u['file']]
    # enabled (a *.wants link) but its unit file is not in the tree (a snapshot of /etc without /usr/lib):
    # whether and where it listens is unknown, never "no socket"
    daemon['unresolved_units'] = [u['unit'] for u in units if u['enabled'] and not u['masked'] and not u['file']]
    daemon['socket_units'] = units
    if listen:
        daemon['mode'] = 'listen'
    elif active_units or daemon['unresolved_units']:
        daemon['mode'] = 'socket_activation'
    else:
        daemon['mode'] = 'off'
    return listen_source, active_units


def _transport(transport, mode, settings, listen_source, active_units, unresolved=()):
    """Whether the daemon serves ``transport`` (tcp or tls), where, and why."""
    auth_key = 'auth_%s' % transport
    entry = {'transport': transport, 'enabled': False, 'via': mode, 'binds': [], 'reason': None,
             'auth': settings[auth_key]['value'], 'auth_setting': describe_setting(auth_key, settings[auth_key])}
    if mode == 'listen':
        flag = settings['listen_%s' % transport]
        entry['enabled'] = bool(_int(flag['value']))
        entry['reason'] = '--listen (%s) and %s' % (listen_source, describe_setting('listen_%s' % transport, flag))
        if entry['enabled']:
            entry['binds'] = _transport_binds_listen(settings, transport)
            entry['reason'] += '; %s, %s' % (describe_setting('listen_addr', settings['listen_addr']),
                                             describe_setting('%s_port' % transport, settings['%s_port' % transport]))
    elif mode == 'socket_activation':
        unit = next((u for u in active_units if u['unit'].endswith('-%s.socket' % transport)), None)
        if unit:
            entry['enabled'] = True
            entry['binds'] = _transport_binds_units(unit)
            entry['reason'] = 'systemd socket %s enabled (%s) with ListenStream=%s (%s); listen_%s, listen_addr and %s_port are ignored' % (
                unit['unit'], ', '.join(unit['enabled_by']), ' '.join(unit['listen_stream']) or 'none',
                ', '.join([unit['file']] + unit['dropins']), transport, transport)
        elif any(name.endswith('-%s.socket' % transport) for name in unresolved):
            entry['enabled'] = None
            entry['reason'] = ('systemd socket %s is enabled but its unit file is in none of %s under the audited root: whether and '
                               'where it listens is unknown' % (next(n for n in unresolved if n.endswith('-%s.socket' % transport)),
                                                                ', '.join(SYSTEMD_DIRS)))
        else:
            entry['reason'] = 'socket activation without an enabled %s socket unit' % transport
    else:
        entry['reason'] = 'the daemon is not told to listen on the network (no --listen: %s; no enabled %s socket unit)' % (
            listen_source or 'no running daemon, no arguments file', transport)
    return entry


def build_daemon(ctx, name, layout, config_file, config_host_file, procs, args_info, units, mapper):
    """One daemon entry (see the module's RETURN documentation)."""
    daemon = {
        'name': name, 'layout': layout, 'config_file': config_host_file, 'config_path': config_file, 'config_present': False, 'config_error': None,
        'config_errors': [], 'running': bool(procs), 'pids': [p['pid'] for p in procs],
        'container': next((p['container'] for p in procs if p['container']), None),
        'args': procs[0]['args'] if procs else None,
    }
    parsed = _read_config(ctx, daemon, config_host_file) if config_host_file else None
    if parsed is not None:
        daemon['config_errors'] = parsed['errors']
    settings = effective_settings(parsed, DAEMON_DEFAULTS, config_host_file)
    daemon['settings'] = settings
    listen_source, active_units = _listen_mode(daemon, procs, args_info, units)
    unresolved = daemon['unresolved_units']
    daemon['transports'] = [_transport(t, daemon['mode'], settings, listen_source, active_units, unresolved) for t in ('tcp', 'tls')]

    # server TLS material
    cert_paths = {
        'ca': (settings['ca_file']['value'], 'ca'),
        'server_cert': (settings['cert_file']['value'], 'cert'),
        'server_key': (settings['key_file']['value'], 'key'),
    }
    daemon['certificates'] = certificate_set(ctx, cert_paths, mapper)
    return daemon


def _mapper(kolla_map):
    """Logical path as a daemon sees it -> file on the node (kolla: the file in /etc/kolla/nova-libvirt)."""
    def mapper(path):
        return kolla_map.get(path, path) if kolla_map else path
    return mapper


def _kolla_command_listen(command, config_json):
    """``(listen flag, source)`` of kolla's config.json ``command``: libvirtd's own arguments, or those of the libvirtd
    command line a kolla start script execs (``KOLLA_START_SCRIPTS``)."""
    try:
        args = shlex.split(command)
    except ValueError:
        args = command.split()
    script = posixpath.basename(args[0]) if args else ''
    if script in KOLLA_START_SCRIPTS:
        execs = KOLLA_START_SCRIPTS[script]
        return has_listen_flag(execs[1:]), '%s command %s (the kolla image\'s start script execs %s)' % (
            config_json, json.dumps(command), ' '.join(execs))
    return has_listen_flag(args[1:]), '%s command %s' % (config_json, json.dumps(command))


def find_daemons(ctx, procs):
    """Every libvirt daemon configured or running under ``root``."""
    daemons = []
    used = set()
    kolla_present = ctx.exists(posixpath.join(KOLLA_DIR, 'libvirtd.conf')) or ctx.exists(posixpath.join(KOLLA_DIR, 'config.json'))
    kolla_map = None
    if kolla_present:
        kolla_map, command, config_json = kolla_file_map(ctx)
        kprocs = [p for p in procs if p['container'] or (p['config'] is None and not ctx.exists(DAEMONS[p['name']]['config']))]
        used.update(p['pid'] for p in kprocs)
        args_info = (None, None)
        if command is not None:
            args_info = _kolla_command_listen(command, config_json)
        mapper = _mapper(kolla_map)
        daemons.append(build_daemon(ctx, 'libvirtd', 'kolla', '/etc/libvirt/libvirtd.conf',
                                    kolla_map.get('/etc/libvirt/libvirtd.conf', posixpath.join(KOLLA_DIR, 'libvirtd.conf')),
                                    kprocs, args_info, [], mapper))
    for name, spec in sorted(DAEMONS.items()):
        dprocs = [p for p in procs if p['pid'] not in used and p['name'] == name and p['config'] in (None, spec['config'])]
        units = [socket_unit(ctx, spec['units'][t]) for t in ('tcp', 'tls')]
        has_units = any(u['file'] or u['enabled'] for u in units)
        if not (dprocs or ctx.exists(spec['config']) or has_units):
            continue
        used.update(p['pid'] for p in dprocs)
        args_info = _args_file_listen(ctx, spec['args_files'], spec['args_var'])
        daemons.append(build_daemon(ctx, name, 'distro', spec['config'], spec['config'], dprocs, args_info, units, _mapper(None)))
    # daemons started with --config somewhere else (test labs, custom deployments)
    by_config = {}
    for proc in procs:
        if proc['pid'] in used:
            continue
        by_config.setdefault((proc['name'], proc['config']), []).append(proc)
    for (name, config), dprocs in sorted(by_config.items(), key=lambda kv: (kv[0][0], kv[0][1] or '')):
        config = config or DAEMONS[name]['config']
        daemons.append(build_daemon(ctx, name, 'custom', config, config, dprocs, (None, None), [], _mapper(None)))
    return daemons, kolla_map


# --------------------------------------------------------------------------------------------
# listeners (the authentication a plain TCP listener demands: _gather/libvirt_probe)
# --------------------------------------------------------------------------------------------

def _port_transport(daemon, port, configured):
    """The transport of ``daemon`` on ``port``: from its enabled binds, or (``configured``) from
    its tcp_port / tls_port settings."""
    for entry in daemon['transports']:
        if any(b['port'] == port for b in entry['binds']):
            return entry['transport']
    if configured:
        settings = daemon['settings']
        if _int(settings['tcp_port']['value']) == port:
            return 'tcp'
        if _int(settings['tls_port']['value']) == port:
            return 'tls'
    return None


def _attribute_listeners(ctx, daemons):
    """Observed listening sockets that belong to libvirt, each with its daemon and transport."""
    result = read_listeners(ctx.proc_path, ctx.root)
    rows, errors = result.get('listeners') or [], result.get('errors') or []
    for err in errors:
        ctx.error(err.get('file'), err.get('message'))
    observed = []
    for row in rows:
        port = row['port']
        owner = next((d for d in daemons if row.get('pid') is not None and row['pid'] in d['pids']), None)
        transport = None
        if owner is not None:
            transport = _port_transport(owner, port, True) or {16509: 'tcp', 16514: 'tls'}.get(port, 'unknown')
        else:
            # systemd holds socket-activated sockets; an unreadable owner may still be libvirt
            maybe_libvirt = row.get('process') in (None, 'libvirtd', 'virtproxyd', 'systemd', 'init')
            for daemon in daemons:
                transport = _port_transport(daemon, port, maybe_libvirt and row.get('process') != 'systemd')
                if transport and (maybe_libvirt or daemon['running']):
                    owner = daemon
                    break
                transport = None
            if owner is None and row.get('process') in ('libvirtd', 'virtproxyd'):
                transport = {16509: 'tcp', 16514: 'tls'}.get(port, 'unknown')
        if owner is None and transport is None:
            continue
        address = row.get('ipv4_mapped') or row['address']
        observed.append({
            'address': row['address'], 'port': port, 'family': row.get('family'), 'endpoint': endpoint(row['address'], port),
            'pid': row.get('pid'), 'process': row.get('process'), 'container': row.get('container'), 'netns': row.get('netns'),
            'transport': transport, 'daemon': owner['name'] if owner else None,
            'daemon_config': owner['config_file'] if owner else None,
            'loopback': is_loopback(address), 'wildcard': is_wildcard(row['address']), 'auth_observed': None,
        })
    host_tcp_ok = not any(str(e.get('file', '')).endswith('/net/tcp') for e in errors)
    return observed, host_tcp_ok


# --------------------------------------------------------------------------------------------
# qemu.conf: migration TLS
# --------------------------------------------------------------------------------------------

def gather_qemu(ctx, kolla_map):
    mapper = _mapper(kolla_map)
    config_file = mapper('/etc/libvirt/qemu.conf')
    qemu = {'config_file': config_file, 'config_present': False, 'config_error': None}
    parsed = _read_config(ctx, qemu, config_file)
    settings = effective_settings(parsed, QEMU_DEFAULTS, config_file)
    keep = set(QEMU_DEFAULTS) | set(k for k in settings if 'tls' in k)
    qemu['settings'] = dict((k, v) for k, v in settings.items() if k in keep)
    # effective migration certificate directory and verification
    cert_dir = settings['migrate_tls_x509_cert_dir']
    if cert_dir['value']:
        migration_dir = {'value': cert_dir['value'], 'source': 'file', 'setting': 'migrate_tls_x509_cert_dir', 'file': config_file, 'line': cert_dir['line']}
    elif not kolla_map and ctx.isdir(QEMU_MIGRATE_SPECIFIC_DIR):
        migration_dir = {'value': QEMU_MIGRATE_SPECIFIC_DIR, 'source': 'default', 'setting': None, 'file': None, 'line': None,
                         'note': '%s exists, libvirt uses it when migrate_tls_x509_cert_dir is not set' % QEMU_MIGRATE_SPECIFIC_DIR}
    else:
        base = settings['default_tls_x509_cert_dir']
        migration_dir = {'value': base['value'], 'source': base['source'], 'setting': 'default_tls_x509_cert_dir',
                         'file': base['file'], 'line': base['line']}
    verify = settings['migrate_tls_x509_verify']
    if verify['source'] == 'file':
        migration_verify = {'value': bool(_int(verify['value'])), 'source': 'file', 'setting': 'migrate_tls_x509_verify',
                            'file': config_file, 'line': verify['line']}
    elif settings['default_tls_x509_verify']['source'] == 'file':
        base = settings['default_tls_x509_verify']
        migration_verify = {'value': bool(_int(base['value'])), 'source': 'file', 'setting': 'default_tls_x509_verify',
                            'file': config_file, 'line': base['line']}
    else:
        migration_verify = {'value': True, 'source': 'default', 'setting': 'migrate_tls_x509_verify', 'file': None, 'line': None}
    force = settings['migrate_tls_force']
    qemu['migration'] = {
        'cert_dir': migration_dir,
        'verify': migration_verify,
        'force': {'value': bool(_int(force['value'])), 'source': force['source'], 'file': force['file'], 'line': force['line']},
    }
    paths = {}
    for name, kind in QEMU_TLS_FILES:
        paths[name] = (posixpath.join(migration_dir['value'], name), kind)
    qemu['migration']['files'] = certificate_set(ctx, paths, mapper)
    return qemu


# --------------------------------------------------------------------------------------------
# SSH: authorized_keys and sshd ForceCommand
# --------------------------------------------------------------------------------------------

_KEY_TYPES = re.compile(r'^(ssh-(rsa|dss|ed25519)|ecdsa-sha2-nistp(256|384|521)|sk-(ssh-ed25519|ecdsa-sha2-nistp256)@openssh\.com)(-cert-v01@openssh\.com)?$')


def _split_options(text):
    """authorized_keys options ``a,b="x,y",c`` -> ``[('a', None), ('b', 'x,y'), ...]``."""
    options = []
    name, value, in_quotes, buf, have_eq = '', None, False, '', False
    index = 0
    while index < len(text):
        char = text[index]
        if in_quotes:
            if char == '\\' and index + 1 < len(text) and text[index + 1] == '"':
                buf += '"'
                index += 2
                continue
            if char == '"':
                in_quotes = False
            else:
                buf += char
        elif char == '"':
            in_quotes = True
        elif char == '=' and not have_eq:
            name, buf, have_eq = buf, '', True
        elif char == ',':
            options.append((name, buf) if have_eq else (buf, None))
            name, buf, have_eq = '', '', False
        else:
            buf += char
        index += 1
    if buf or have_eq:
        options.append((name, buf) if have_eq else (buf, None))
    return [(n.strip().lower(), v) for n, v in options if n.strip()]


def parse_authorized_keys(text):
    """Keys of an ``authorized_keys`` text: ``[{line, type, comment, fingerprint, options, command, from, restrict}]``
    (the key material itself is not returned, only its SHA256 fingerprint)."""
    keys = []
    errors = []
    for lineno, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith('#'):
            continue
        # options come first unless the line starts with the key type
        options_text = ''
        rest = line
        first = line.split(None, 1)[0]
        if not _KEY_TYPES.match(first):
            in_quotes = False
            cut = None
            for index, char in enumerate(line):
                if char == '"':
                    in_quotes = not in_quotes
                elif char in ' \t' and not in_quotes:
                    cut = index
                    break
            if cut is None:
                errors.append({'line': lineno, 'message': 'no key after the options'})
                continue
            options_text, rest = line[:cut], line[cut:].strip()
        parts = rest.split(None, 2)
        if len(parts) < 2 or not _KEY_TYPES.match(parts[0]):
            errors.append({'line': lineno, 'message': 'not a public key line (unknown key type %r)' % parts[0][:40]})
            continue
        try:
            blob = base64.b64decode(parts[1].encode('ascii'), validate=True)
            fingerprint = 'SHA256:' + base64.b64encode(hashlib.sha256(blob).digest()).decode('ascii').rstrip('=')
        except (ValueError, UnicodeEncodeError):
            fingerprint = None
        options = _split_options(options_text)
        names = [n for n, _v in options]
        keys.append({
            'line': lineno, 'type': parts[0], 'comment': parts[2] if len(parts) > 2 else None, 'fingerprint': fingerprint,
            'options': [n if v is None else '%s="%s"' % (n, v) for n, v in options],
            'command': next((v for n, v in options if n == 'command'), None),
            'from': next((v for n, v in options if n == 'from'), None),
            'restrict': 'restrict' in names,
        })
    return keys, errors


def _passwd(ctx):
    users = {}
    text = ctx.text('/etc/passwd')
    for line in (text or '').splitlines():
        fields = line.split(':')
        if len(fields) >= 7:
            users[fields[0]] = {'home': fields[5], 'shell': fields[6]}
    return users


def parse_sshd_force_commands(text):
    """``(global ForceCommand, {user: ForceCommand}, AuthorizedKeysFile list)`` from an sshd_config text
    (``Match User a,b`` blocks; other Match criteria are reported as not evaluated)."""
    global_cmd, per_user, keys_files, unevaluated = None, {}, None, []
    match_users = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith('#'):
            continue
        parts = line.split(None, 1)
        key = parts[0].lower()
        value = parts[1].strip() if len(parts) > 1 else ''
        if key == 'match':
            words = value.split()
            match_users = None
            if len(words) == 2 and words[0].lower() == 'user':
                match_users = words[1].split(',')
            elif words and words[0].lower() == 'all':
                match_users = ['*']
            else:
                match_users = []
                unevaluated.append(value)
            continue
        if key == 'forcecommand':
            if match_users is None:
                global_cmd = global_cmd or value
            else:
                for user in match_users:
                    per_user.setdefault(user, value)
        elif key == 'authorizedkeysfile' and match_users is None and keys_files is None:
            keys_files = value.split()
    return global_cmd, per_user, keys_files, unevaluated


def gather_ssh(ctx, users, kolla_present):
    ssh = {'users': [], 'sshd': [], 'kolla_nova_ssh': None}
    passwd = _passwd(ctx)
    sshd_paths = [SSHD_CONFIG] + ['/etc/ssh/sshd_config.d/%s' % n for n in ctx.listdir('/etc/ssh/sshd_config.d') if n.endswith('.conf')]
    if kolla_present and ctx.exists(posixpath.join(KOLLA_NOVA_SSH_DIR, 'sshd_config')):
        sshd_paths.append(posixpath.join(KOLLA_NOVA_SSH_DIR, 'sshd_config'))
    keys_files = None
    for path in sshd_paths:
        text = ctx.text(path)
        if text is None:
            continue
        global_cmd, per_user, files, unevaluated = parse_sshd_force_commands(text)
        keys_files = keys_files or files
        ssh['sshd'].append({'file': path, 'force_command': global_cmd, 'force_command_users': per_user,
                            'authorized_keys_file': files, 'match_not_evaluated': unevaluated})
    patterns = keys_files or ['.ssh/authorized_keys', '.ssh/authorized_keys2']
    for user in users:
        entry = passwd.get(user)
        home = entry['home'] if entry else ('/root' if user == 'root' else None)
        item = {'user': user, 'home': home, 'shell': entry['shell'] if entry else None, 'known_user': bool(entry), 'files': []}
        if home:
            for pattern in patterns:
                path = pattern.replace('%h', home).replace('%u', user).replace('%%', '%')
                if not path.startswith('/'):
                    path = posixpath.join(home, path)
                item['files'].append(_authorized_keys_file(ctx, path))
        ssh['users'].append(item)
    if kolla_present and ctx.isdir(KOLLA_NOVA_SSH_DIR):
        # kolla's nova_ssh container: user nova, authorized_keys made from id_rsa.pub
        files = [_authorized_keys_file(ctx, posixpath.join(KOLLA_NOVA_SSH_DIR, n)) for n in ('authorized_keys', 'id_rsa.pub')
                 if ctx.exists(posixpath.join(KOLLA_NOVA_SSH_DIR, n))]
        ssh['kolla_nova_ssh'] = {'user': 'nova', 'files': files}
    return ssh


def _authorized_keys_file(ctx, path):
    info = {'file': path, 'present': False, 'readable': False, 'error': None, 'keys': [], 'parse_errors': []}
    try:
        text, _warning = read_text(ctx.root, path)
    except ReadError as exc:
        info['error'] = exc.message
        if exc.message != 'no such file':
            info['present'] = True
            ctx.error(path, exc.message)
        return info
    info['present'] = info['readable'] = True
    info['keys'], info['parse_errors'] = parse_authorized_keys(text)
    return info


def gather_sasl(ctx, kolla_map):
    path = kolla_map.get(SASL_CONF, SASL_CONF) if kolla_map else SASL_CONF
    text = ctx.text(path)
    if text is None:
        return {'file': path, 'present': ctx.exists(path), 'mech_list': None}
    mech = None
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith('#') or ':' not in stripped:
            continue
        key, _sep, value = stripped.partition(':')
        if key.strip() == 'mech_list':
            mech = value.split()
    return {'file': path, 'present': True, 'mech_list': mech}


# --------------------------------------------------------------------------------------------
# the module's result
# --------------------------------------------------------------------------------------------

def _live_proc(proc_path):
    try:
        return os.path.realpath(proc_path) == '/proc'
    except (OSError, ValueError):
        return False


def gather(root='/', proc_path='/proc', probe=True, timeout=3.0, ssh_users=('nova', 'root'), client_pki_path=None):
    """Everything ``libvirt_tls_info`` returns (see its RETURN documentation).

    For a snapshot (``root`` not ``/``) this machine's ``/proc`` is never read in its place: ``<root>/proc`` is (as the
    audit role passes it), so no process or socket of the auditing host is taken for the snapshot's.
    """
    if is_snapshot_root(root) and _live_proc(proc_path or '/proc'):
        proc_path = os.path.join(root, 'proc')
    ctx = Context(root, proc_path)
    result = {'root': ctx.root, 'proc_path': ctx.proc_path, 'present': False, 'reason': None, 'daemons': [], 'listeners': [],
              'listeners_observed': False, 'tcp_auth_probes': [], 'client_certificates': {}, 'qemu': {}, 'sasl': {}, 'ssh': {},
              'errors': ctx.errors}
    procs = find_processes(ctx)
    daemons, kolla_map = find_daemons(ctx, procs)
    binaries = [b for b in BINARIES if ctx.exists(b)]
    if not daemons:
        result['reason'] = ('no libvirt on this node: no %s, no libvirtd/virtproxyd process in %s, no libvirtd/virtproxyd socket unit%s' % (
            ', '.join(sorted([posixpath.join(KOLLA_DIR, 'libvirtd.conf')] + [d['config'] for d in DAEMONS.values()])),
            ctx.proc_path, (' (binaries found: %s, but nothing configured)' % ', '.join(binaries)) if binaries else ''))
        result['binaries'] = binaries
        return result
    result['present'] = True
    result['binaries'] = binaries
    result['layout'] = 'kolla' if kolla_map is not None else ('openstack_ansible' if ctx.isdir('/openstack/venvs') else 'distro')
    result['daemons'] = daemons
    listeners, observed = _attribute_listeners(ctx, daemons)
    result['listeners'] = listeners
    result['listeners_observed'] = observed
    if probe and _live_proc(ctx.proc_path):
        # the probe (_gather/libvirt_probe) only on a live node: a snapshot is never probed
        # pylint: disable-next=import-outside-toplevel
        from ansible_collections.scs.secure_connections.plugins.module_utils._gather.libvirt_probe import probe_tcp_auth
        result['tcp_auth_probes'] = probe_tcp_auth(listeners, timeout)
    mapper = _mapper(kolla_map)
    if client_pki_path:
        client_paths = {'ca': (posixpath.join(client_pki_path, 'cacert.pem'), 'ca'), 'cert': (posixpath.join(client_pki_path, 'clientcert.pem'), 'cert'),
                        'key': (posixpath.join(client_pki_path, 'clientkey.pem'), 'key')}
    else:
        client_paths = {'ca': (CLIENT_CA, 'ca'), 'cert': (CLIENT_CERT, 'cert'), 'key': (CLIENT_KEY, 'key')}
    result['client_certificates'] = certificate_set(ctx, client_paths, mapper)
    result['qemu'] = gather_qemu(ctx, kolla_map)
    result['sasl'] = gather_sasl(ctx, kolla_map)
    result['ssh'] = gather_ssh(ctx, list(ssh_users), kolla_map is not None)
    return result
