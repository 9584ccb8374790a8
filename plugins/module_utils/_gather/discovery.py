# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Node discovery for ``openstack_config_info``: layouts, services and their settings,
infrastructure configuration files and listening sockets, as evidence (never a verdict).

The result shape is the ``discovery`` contract of docs/architecture.md; the keys added here are
documented in docs/discovery.md. Every secret is masked before :func:`discover` returns: the
parsers mask what they recognise and collect the raw values, and a last
:func:`_secrets.mask_secrets` pass replaces any of those values wherever they still appear.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import re

from ansible_collections.scs.secure_connections.plugins.module_utils._core.secrets import MASK, mask_secrets
from ansible_collections.scs.secure_connections.plugins.module_utils._core.rootfs import (
    DEFAULT_MAX_FILE_SIZE, ReadError, exists, glob_paths, host_path, isdir, lexists, read_text, resolve,
)
from ansible_collections.scs.secure_connections.plugins.module_utils._parsers.oslo import (
    looks_like_db_url, looks_like_transport_url, oslo_lookup, parse_db_url, parse_oslo_config, parse_transport_url,
    to_bool, to_list,
)
from ansible_collections.scs.secure_connections.plugins.module_utils._gather.layout import (
    detect_layouts, discover_services, host_path_for, lxc_containers, neutron_role,
)
from ansible_collections.scs.secure_connections.plugins.module_utils._parsers.libvirt import (
    parse_default_libvirtd, parse_libvirt_conf, parse_socket_listen, parse_systemd_unit,
)
from ansible_collections.scs.secure_connections.plugins.module_utils._parsers.ceph import parse_ceph_conf
from ansible_collections.scs.secure_connections.plugins.module_utils._core.optional import OptionalLibrary
from ansible_collections.scs.secure_connections.plugins.module_utils._gather.listeners import read_listeners
from ansible_collections.scs.secure_connections.plugins.module_utils._gather.certificates import gather_certificates
from ansible_collections.scs.secure_connections.plugins.module_utils._gather.tls_targets import configured_listeners

GATHER_CHOICES = ('layout', 'services', 'infrastructure', 'listeners')
INFRA_KINDS = ('mysql', 'rabbitmq', 'libvirt', 'qemu', 'ceph', 'kafka', 'haproxy', 'nginx', 'proxysql')
# PyYAML (about 20 ms of imports) only for kolla's proxysql.yaml: OptionalLibrary imports it on first use
PYYAML = OptionalLibrary('PyYAML', 'yaml')
MIN_SECRET_LENGTH = 6
MAX_VALUE_LENGTH = 8192

# --------------------------------------------------------------------------- services

# [oslo_messaging_rabbit] options and their deprecated names (oslo.messaging); the one table of them:
# the rules read the facts derived from it (``rabbit.deprecated``, ``transport_urls[*].obsolete_rabbit_options``)
RABBIT_OPTIONS = (
    ('ssl', 'bool', (('oslo_messaging_rabbit', 'rabbit_use_ssl'), ('DEFAULT', 'rabbit_use_ssl'))),
    ('ssl_ca_file', 'str', (('oslo_messaging_rabbit', 'kombu_ssl_ca_certs'), ('DEFAULT', 'kombu_ssl_ca_certs'))),
    ('ssl_cert_file', 'str', (('oslo_messaging_rabbit', 'kombu_ssl_certfile'), ('DEFAULT', 'kombu_ssl_certfile'))),
    ('ssl_key_file', 'str', (('oslo_messaging_rabbit', 'kombu_ssl_keyfile'), ('DEFAULT', 'kombu_ssl_keyfile'))),
    ('ssl_version', 'str', (('oslo_messaging_rabbit', 'kombu_ssl_version'), ('DEFAULT', 'kombu_ssl_version'))),
    ('ssl_enforce_fips_mode', 'bool', ()),
    ('rabbit_hosts', 'list', (('DEFAULT', 'rabbit_hosts'),)),
    ('rabbit_host', 'str', (('DEFAULT', 'rabbit_host'),)),
    ('rabbit_port', 'str', (('DEFAULT', 'rabbit_port'),)),
)
KAFKA_OPTIONS = (
    ('security_protocol', 'str'), ('ssl_cafile', 'str'), ('ssl_client_cert_file', 'str'), ('ssl_client_key_file', 'str'),
    ('ssl_client_key_password', 'str'), ('sasl_mechanism', 'str'), ('kafka_default_host', 'str'), ('kafka_default_port', 'str'),
)
# [oslo_messaging_amqp] (AMQP 1.0 driver) TLS options; the group was once called [amqp1]
AMQP1_OPTIONS = (
    ('ssl', 'bool'), ('ssl_ca_file', 'str'), ('ssl_cert_file', 'str'), ('ssl_key_file', 'str'), ('ssl_verify_vhost', 'bool'),
    ('allow_insecure_clients', 'bool'), ('sasl_mechanisms', 'str'),
)
LIBVIRT_OPTIONS = (
    ('live_migration_with_native_tls', 'bool'), ('live_migration_scheme', 'str'), ('live_migration_uri', 'str'),
    ('live_migration_tunnelled', 'bool'), ('live_migration_inbound_addr', 'str'), ('connection_uri', 'str'),
    ('virt_type', 'str'), ('live_migration_permit_post_copy', 'bool'), ('live_migration_permit_auto_converge', 'bool'),
    ('live_migration_timeout_action', 'str'),
)
# options whose http(s) value is not a URL the service itself calls
_NOT_CLIENT_URL = frozenset((
    'novncproxy_base_url', 'html5proxy_base_url', 'base_url', 'public_endpoint', 'admin_endpoint', 'heat_metadata_server_url',
    'heat_waitcondition_server_url', 'heat_watch_server_url', 'allowed_origin', 'connection_string', 'transport_url',
    'connection', 'slave_connection', 'backend_url', 'mksproxy_base_url', 'public_url', 'external_url',
    'api_base_uri', 'host_href',   # a service's own advertised URL (designate, octavia, barbican), not one it calls
))
_NOT_CLIENT_SECTIONS = frozenset(('vnc', 'spice', 'serial_console', 'mks', 'cors', 'oslo_policy', 'wsgi', 'profiler', 'coordination',
                                  'oslo_messaging_notifications', 'cache'))
_URLISH_OPTION = re.compile(r'(url|uri|endpoint|api_servers|_servers)$')


def _typed(value, kind):
    if kind == 'bool':
        return to_bool(value)
    if kind == 'list':
        return to_list(value)
    return value


def _where(found, path):
    if found is None:
        return None
    return '[%s] %s in %s' % (found[0], found[1], path)


def _rabbit(conf):
    """The ``[oslo_messaging_rabbit]`` options under their current names, with ``sources`` (where each was
    set, in words) and ``deprecated``: ``{name: {option, section, file}}`` for each one set under a
    deprecated name or section (as oslo.config accepts them); {} when nothing is set."""
    section = conf['sections'].get('oslo_messaging_rabbit')
    out = {}
    sources = {}
    deprecated_used = {}
    any_set = section is not None
    for name, kind, deprecated in RABBIT_OPTIONS:
        value, found, path = oslo_lookup(conf, 'oslo_messaging_rabbit', name, deprecated)
        if found is not None:
            any_set = True
            sources[name] = _where(found, path)
            if found != ('oslo_messaging_rabbit', name):
                deprecated_used[name] = {'option': found[1], 'section': found[0], 'file': path}
        out[name] = _typed(value, kind) if found is not None else None
    if not any_set:
        return {}
    for name, value in (section or {}).items():
        if name not in out:
            out[name] = value
    out['sources'] = sources
    out['deprecated'] = deprecated_used
    return out


# obsolete [oslo_messaging_rabbit] names -> current name (oslo.messaging rejects them as transport_url options)
OBSOLETE_RABBIT_NAMES = dict((old, name) for name, _kind, deprecated in RABBIT_OPTIONS for _section, old in deprecated if old != name)


def obsolete_rabbit_options(url):
    """``[{option, current}]``: query options of a transport URL named with an obsolete rabbit option name."""
    return [{'option': key, 'current': OBSOLETE_RABBIT_NAMES[key]} for key in sorted(url.get('query') or {})
            if key in OBSOLETE_RABBIT_NAMES]


def _kafka(conf):
    section = conf['sections'].get('oslo_messaging_kafka')
    if section is None:
        return {}
    out = {}
    for name, kind in KAFKA_OPTIONS:
        out[name] = _typed(section.get(name), kind)
    for name, value in section.items():
        if name not in out:
            out[name] = value
    return out


def _amqp1(conf):
    """The ``[oslo_messaging_amqp]`` TLS options (deprecated group ``[amqp1]``) with ``sources``; {} when unset."""
    out = {}
    sources = {}
    for name, kind in AMQP1_OPTIONS:
        value, found, path = oslo_lookup(conf, 'oslo_messaging_amqp', name, (('amqp1', name),))
        if found is not None:
            sources[name] = _where(found, path)
            out[name] = _typed(value, kind)
    if not sources:
        return {}
    out['sources'] = sources
    return out


def _libvirt(conf, service):
    if service != 'nova':
        return {}
    section = conf['sections'].get('libvirt', {})
    out = {}
    for name, kind in LIBVIRT_OPTIONS:
        out[name] = _typed(section.get(name), kind)
    out['file'] = conf['origins'].get('libvirt', {}).get('live_migration_with_native_tls') or (
        conf['origins'].get('libvirt') and list(conf['origins']['libvirt'].values())[-1]) or None
    out['section_present'] = 'libvirt' in conf['sections']
    return out


def _api_clients(conf):
    out = []
    for section, options in conf['sections'].items():
        if section in _NOT_CLIENT_SECTIONS or section.startswith('oslo_messaging'):
            continue
        origins = conf['origins'].get(section, {})
        insecure = to_bool(options.get('insecure')) if 'insecure' in options else None
        cafile = options.get('cafile')
        has_url = False
        for option, value in options.items():
            if option in _NOT_CLIENT_URL or not _URLISH_OPTION.search(option) or not isinstance(value, str):
                continue
            for item in re.split(r'[,\s]+', value):
                match = re.match(r'^([a-zA-Z][a-zA-Z0-9+.\-]*)://', item)
                if not match or match.group(1).lower() not in ('http', 'https'):
                    continue
                has_url = True
                out.append({'file': origins.get(option), 'section': section, 'option': option, 'url': item,
                            'scheme': match.group(1).lower(), 'insecure': insecure, 'cafile': cafile,
                            'interface': options.get('valid_interfaces') or options.get('interface') or options.get('os_interface')})
        if not has_url and ('insecure' in options or 'cafile' in options) and section != 'DEFAULT':
            out.append({'file': origins.get('insecure') or origins.get('cafile'), 'section': section, 'option': None, 'url': None,
                        'scheme': None, 'insecure': insecure, 'cafile': cafile,
                        'interface': options.get('valid_interfaces') or options.get('interface')})
    return out


def _referenced_files(svc, entry, root):
    refs = []

    def add(path, where):
        if not isinstance(path, str) or not path.startswith('/'):
            return
        host, exists = host_path_for(svc, path, root)
        refs.append({'path': path, 'where': where, 'host_path': host, 'exists': exists})

    for db in entry['database_urls']:
        for key in ('ssl_ca', 'ssl_cert', 'ssl_key', 'ssl_capath', 'sslrootcert', 'sslcert', 'sslkey'):
            value = db['query'].get(key)
            add(value, '[%s] %s ?%s' % (db['section'], db['option'], key))
    for key in ('ssl_ca_file', 'ssl_cert_file', 'ssl_key_file'):
        add(entry['rabbit'].get(key), '[oslo_messaging_rabbit] %s' % key)
    for key in ('ssl_cafile', 'ssl_client_cert_file', 'ssl_client_key_file'):
        add(entry['kafka'].get(key), '[oslo_messaging_kafka] %s' % key)
    for key in ('ssl_ca_file', 'ssl_cert_file', 'ssl_key_file'):
        add(entry['amqp1'].get(key), '[oslo_messaging_amqp] %s' % key)
    seen = set()
    for client in entry['api_clients']:
        if client['cafile'] and (client['section'], client['cafile']) not in seen:
            seen.add((client['section'], client['cafile']))
            add(client['cafile'], '[%s] cafile' % client['section'])
    return refs


def error_kind(message, default):
    """The kind of a discovery error (the rules' ``_rules/common.INPUT_ERROR_KINDS``): ``unreadable`` (the file
    could not be read: permission, dangling link, size limit), ``undecodable`` (not UTF-8, NUL bytes),
    ``include_loop``, ``parse`` (a line the parser could not take), ``unreadable_dir``."""
    text = str(message or '')
    if 'include loop' in text:
        return 'include_loop'
    if 'not valid UTF-8' in text or 'NUL bytes' in text:
        return 'undecodable'
    return default


def _unreadable_dir(root, path):
    """An error entry when the directory ``path`` exists under ``root`` but cannot be listed, else None."""
    try:
        os.listdir(host_path(root, resolve(root, path)))
    except (OSError, ReadError, ValueError) as exc:
        return {'file': path, 'message': 'directory cannot be listed (%s): files in it were not read'
                % (getattr(exc, 'strerror', None) or exc), 'kind': 'unreadable_dir'}
    return None


def _service_sources(root, svc, max_size):
    """``(sources, errors)``: ``(display path, text)`` of the files a service reads, in oslo order.

    Files of an LXC container are read with the container's rootfs as root (its absolute
    symbolic links point into the container), and shown with the rootfs prefix.
    """
    tree = svc.get('tree') or ''
    sub_root = host_path(root, tree) if tree else root
    paths = [p[len(tree):] for p in svc['files']]
    unreadable_dirs = []
    for directory in svc['config_dirs']:
        inner = directory[len(tree):]
        if not isdir(sub_root, inner):
            continue
        unreadable = _unreadable_dir(sub_root, inner)
        if unreadable:
            unreadable['file'] = tree + unreadable['file']
            unreadable_dirs.append(unreadable)
            continue
        paths.extend(p for p in glob_paths(sub_root, inner.rstrip('/') + '/*.conf') if p not in paths)
    sources, errors = [], unreadable_dirs
    for path in paths:
        try:
            text, warning = read_text(sub_root, path, max_size=max_size)
        except ReadError as exc:
            errors.append({'file': tree + path, 'line': None, 'message': str(exc), 'kind': 'unreadable'})
            continue
        if warning:
            errors.append({'file': tree + path, 'line': None, 'message': warning, 'kind': 'undecodable'})
        sources.append((tree + path, text))
    return sources, errors


def unused_database_reason(entry):
    """Why the process that reads this service entry's files never opens their database connections, on positive
    evidence of what the process is; None when it may (or nothing says). Neutron agents talk to neutron-server over
    RPC: the ``[database]`` kolla renders into every neutron container's neutron.conf is not theirs to use."""
    role = entry.get('neutron_role') or {}
    if entry.get('service') == 'neutron' and role.get('role') == 'agent':
        return 'a neutron agent (%s) talks to neutron-server over RPC and never uses a database connection' % role.get('evidence')
    return None


def _set_aside_unused_database_urls(entry):
    """Move the database URLs of a process that never uses them (:func:`unused_database_reason`) from ``database_urls``
    to ``unused_database_urls`` (each with ``unused``: the reason): no database rule judges them."""
    reason = unused_database_reason(entry) if entry['database_urls'] else None
    if reason:
        entry['unused_database_urls'] = [dict(url, unused=reason) for url in entry['database_urls']]
        entry['database_urls'] = []


def gather_service(root, svc, max_size=DEFAULT_MAX_FILE_SIZE, secrets=None):
    """Parse one service descriptor from :func:`_layout.discover_services` into its evidence entry."""
    sources, read_errors = _service_sources(root, svc, max_size)
    conf = parse_oslo_config(sources, secrets=secrets)
    errors = [{'file': e['file'], 'message': ('line %s: %s' % (e['line'], e['message'])) if e.get('line') else e['message'],
               'kind': e.get('kind') or error_kind(e['message'], 'parse')}
              for e in read_errors + conf['errors']]
    entry = {
        'service': svc['service'], 'component': svc['component'], 'layout': svc['layout'],
        'files': conf['files'], 'errors': errors,
        'container': svc.get('container'), 'config_dirs': svc['config_dirs'], 'venvs': svc.get('venvs', []),
        'database_urls': [], 'transport_urls': [], 'rabbit': {}, 'kafka': {}, 'amqp1': {}, 'api_clients': [], 'libvirt': {},
    }
    if svc.get('kolla'):
        entry['kolla'] = {'config_json': svc['kolla']['config_json'], 'command': svc['kolla']['command'],
                          'override_files': svc['kolla']['override_files']}
    if svc.get('units'):
        entry['units'] = svc['units']
    if svc['service'] == 'neutron' and svc['files']:
        entry['neutron_role'] = neutron_role(root, svc['files'][0])
    for section, options in conf['sections'].items():
        origins = conf['origins'].get(section, {})
        for option, value in options.items():
            if not isinstance(value, str):
                continue
            if looks_like_db_url(value):
                url = parse_db_url(value, secrets)
                url.update({'file': origins.get(option), 'section': section, 'option': option})
                entry['database_urls'].append(url)
            elif option == 'transport_url' or looks_like_transport_url(value):
                if not value.strip():
                    continue
                url = parse_transport_url(value, secrets)
                url.update({'file': origins.get(option), 'section': section, 'option': option,
                            'purpose': 'notifications' if section == 'oslo_messaging_notifications' else 'rpc'})
                url['obsolete_rabbit_options'] = obsolete_rabbit_options(url)
                entry['transport_urls'].append(url)
    notif = conf['sections'].get('oslo_messaging_notifications', {})
    drivers = [d for v in conf['multi'].get('oslo_messaging_notifications', {}).get('driver', []) for d in to_list(v)]
    if notif or drivers:
        entry['notifications'] = {'drivers': drivers, 'transport_url_set': bool(notif.get('transport_url')),
                                  'uses_rpc_transport': bool(drivers) and drivers != ['noop'] and not notif.get('transport_url')}
    _set_aside_unused_database_urls(entry)
    entry['rabbit'] = _rabbit(conf)
    entry['kafka'] = _kafka(conf)
    entry['amqp1'] = _amqp1(conf)
    entry['api_clients'] = _api_clients(conf)
    entry['libvirt'] = _libvirt(conf, svc['service'])
    entry['referenced_files'] = _referenced_files(svc, entry, root)
    return entry


# --------------------------------------------------------------------------- infrastructure


def _trees(root):
    """``[(sub_root, prefix, container)]``: the tree itself and each readable LXC container rootfs."""
    return [(root, '', None)] + [(host_path(root, c['rootfs']), c['rootfs'], c['name']) for c in lxc_containers(root)]


def _prefixed(obj, prefix):
    """``obj`` with every ``file``/``files`` path (and my.cnf include paths and origins) shown under ``prefix``."""
    if not prefix:
        return obj

    def fix(value):
        return prefix + value if isinstance(value, str) and value.startswith('/') else value

    def walk(value, key=None):
        if isinstance(value, dict):
            out = {}
            for k, v in value.items():
                if k in ('file', 'files') or (key == 'includes' and k == 'path'):
                    out[k] = [fix(x) for x in v] if isinstance(v, list) else fix(v)
                elif k == 'origins':
                    out[k] = dict((g, dict((o, fix(w)) for o, w in opts.items())) for g, opts in v.items())
                else:
                    out[k] = walk(v, k)
            return out
        if isinstance(value, list):
            return [walk(v, key) for v in value]
        return value

    return walk(obj)


def _err_list(errors, default_file):
    out = []
    for err in errors:
        message = err.get('message')
        if err.get('line') is not None:
            message = 'line %s: %s' % (err['line'], message)
        out.append({'file': err.get('file') or default_file, 'message': message,
                    'kind': err.get('kind') or error_kind(message, 'parse' if err.get('line') is not None else 'unreadable')})
    return out


def _read(root, path, max_size, errors):
    try:
        text, warning = read_text(root, path, max_size=max_size)
    except ReadError as exc:
        errors.append({'file': path, 'message': str(exc), 'kind': 'unreadable'})
        return None
    if warning:
        errors.append({'file': path, 'message': warning, 'kind': 'undecodable'})
    return text


def _contained(path, parse, arg, empty=''):
    """``parse(arg)`` for one file; should the parser fail (a bug: parsers return their errors),
    the result of ``parse(empty)`` with one error naming the file, so one file's failure stays
    that file's and never costs the host's other evidence. The exception's text is not shown:
    it may quote the file, secrets included."""
    try:
        return parse(arg)
    except Exception as exc:  # pylint: disable=broad-except
        message = 'internal error parsing this file (%s); its settings are not in the evidence' % type(exc).__name__
    try:
        shape = parse(empty)
    except Exception:  # pylint: disable=broad-except
        shape = {}
    shape['errors'] = [{'file': path, 'message': message, 'kind': 'internal'}]
    return shape


def _parse_file(root, path, max_size, errors, files, parse):
    """``parse(text)`` of one file, or None when it cannot be read; the file into ``files``, its problems into ``errors``."""
    text = _read(root, path, max_size, errors)
    if text is None:
        return None
    files.append(path)
    parsed = _contained(path, parse, text)
    errors.extend(_err_list(parsed['errors'], path))
    return parsed


def _kolla_component(path):
    match = re.match(r'^/etc/kolla/(?:config/)?([^/]+)/', path)
    return match.group(1) if match else None


def _places(root, host_dirs, kolla_dirs=()):
    """``[(sub_root, prefix, container, directory)]``: ``host_dirs`` in the tree and in every LXC
    rootfs, then ``kolla_dirs`` (only in the tree itself)."""
    out = []
    for sub_root, prefix, container in _trees(root):
        for directory in host_dirs:
            out.append((sub_root, prefix, container, directory))
    for directory in kolla_dirs:
        out.append((root, '', None, directory))
    return out


def _entry(parsed, sub_root, prefix, container, path, errors=None):
    """Common keys of an infrastructure entry; paths shown under the LXC prefix."""
    parsed = dict(parsed)
    parsed['errors'] = (errors or []) + _err_list(parsed.get('errors', []), path)
    parsed.setdefault('file', path)
    parsed = _prefixed(parsed, prefix)
    parsed['container'] = container
    parsed['component'] = _kolla_component(path) if not prefix else None
    return parsed


def _mysql(root, max_size, secrets):
    out = []
    for sub_root, prefix, container, directory in _places(root, ('/etc',), ('/etc/kolla/mariadb',)):
        if directory == '/etc':
            paths = [p for p in ('/etc/mysql/my.cnf', '/etc/my.cnf', '/etc/mysql/mariadb.cnf') if lexists(sub_root, p)][:1]
        else:
            paths = glob_paths(sub_root, directory + '/*.cnf')
        for path in paths:
            # the option-file parser (about 16 KB of source to compile) only where an option file exists
            from ansible_collections.scs.secure_connections.plugins.module_utils._parsers.mycnf import parse_mycnf  # pylint: disable=import-outside-toplevel
            parsed = _contained(path, lambda p: parse_mycnf(p, root=sub_root, max_size=max_size, secrets=secrets), path, _NO_FILE)
            parsed['file'] = path
            parsed.pop('entries', None)
            out.append(_entry(parsed, sub_root, prefix, container, path))
    return out


def _rabbitmq(root, max_size, secrets):
    out = []
    for sub_root, prefix, container, base in _places(root, ('/etc/rabbitmq',), ('/etc/kolla/rabbitmq',)):
        if not isdir(sub_root, base):
            continue
        # the RabbitMQ parsers (about 26 KB of source to compile) only where RabbitMQ's configuration directory exists
        from ansible_collections.scs.secure_connections.plugins.module_utils._parsers.rabbitmq import (  # pylint: disable=import-outside-toplevel
            merge_rabbit_summaries, parse_erlang_config, parse_rabbitmq_conf)
        errors, files, settings, classic, env = [], [], {}, {}, {}
        conf_files = [p for p in (base + '/rabbitmq.conf',) if lexists(sub_root, p)] + glob_paths(sub_root, base + '/conf.d/*.conf')
        for path in conf_files:
            parsed = _parse_file(sub_root, path, max_size, errors, files, lambda text: parse_rabbitmq_conf(text, secrets))
            if parsed is not None:
                settings.update(parsed['settings'])
        summary = parse_rabbitmq_conf('\n'.join('%s = %s' % kv for kv in settings.items()))['rabbit'] if settings else None
        for name in ('rabbitmq.config', 'advanced.config'):
            path = base + '/' + name
            if not lexists(sub_root, path):
                continue
            parsed = _parse_file(sub_root, path, max_size, errors, files, lambda text: parse_erlang_config(text, secrets))
            if parsed is None:
                continue
            classic[name] = {'apps': parsed['apps']}
            summary = merge_rabbit_summaries(summary, parsed['rabbit'])
        path = base + '/rabbitmq-env.conf'
        if lexists(sub_root, path):
            text = _read(sub_root, path, max_size, errors)
            if text is not None:
                files.append(path)
                parsed = _contained(path, parse_default_libvirtd, text)
                env = parsed['variables']
                errors.extend(e for e in parsed['errors'] if e.get('file'))  # shell syntax is not ours to judge; a parser failure is
        if not files and not errors:
            continue
        entry = {'file': files[0] if files else base, 'files': files, 'settings': settings, 'classic': classic, 'env': env,
                 'rabbit': summary or merge_rabbit_summaries(None, None)}
        out.append(_entry(entry, sub_root, prefix, container, base + '/', errors))
    return out


_LIBVIRT_SOCKETS = ('libvirtd-tls.socket', 'libvirtd-tcp.socket', 'virtproxyd-tls.socket', 'virtproxyd-tcp.socket',
                    'libvirtd.socket', 'virtproxyd.socket')


def _libvirt_and_qemu(root, max_size, secrets):
    libvirt, qemu = [], []
    for sub_root, prefix, container, base in _places(root, ('/etc/libvirt',), ('/etc/kolla/nova-libvirt',)):
        for name in ('libvirtd.conf', 'virtproxyd.conf', 'qemu.conf'):
            path = base + '/' + name
            if not lexists(sub_root, path):
                continue
            errors = []
            text = _read(sub_root, path, max_size, errors)
            parsed = _contained(path, lambda t: parse_libvirt_conf(t, secrets), text) if text is not None else {'settings': {}, 'lines': {}, 'errors': []}
            entry = {'file': path, 'settings': parsed['settings'], 'lines': parsed['lines'], 'errors': parsed['errors']}
            if name == 'qemu.conf':
                qemu.append(_entry(entry, sub_root, prefix, container, path, errors))
            else:
                entry.update({'kind': 'daemon_config', 'daemon': name[:-len('.conf')]})
                libvirt.append(_entry(entry, sub_root, prefix, container, path, errors))
    for sub_root, prefix, container in _trees(root):
        for unit in _LIBVIRT_SOCKETS:
            paths, seen = [], set()
            for directory in ('/usr/lib/systemd/system', '/lib/systemd/system', '/etc/systemd/system'):
                path = directory + '/' + unit
                if not lexists(sub_root, path):
                    continue
                try:
                    real = resolve(sub_root, path)
                except ReadError:
                    real = path
                if real in seen:  # /lib -> /usr/lib on merged-/usr systems
                    continue
                seen.add(real)
                paths.append(path)
            dropins = glob_paths(sub_root, '/etc/systemd/system/%s.d/*.conf' % unit)
            if not paths and not dropins:
                continue
            errors = []
            # the unit file in the directory that wins (/etc over /lib), drop-ins appended in name order
            text = (_read(sub_root, paths[-1], max_size, errors) or '') if paths else ''
            for dropin in dropins:
                text += '\n' + (_read(sub_root, dropin, max_size, errors) or '')
            parsed = _contained(_main_path(paths, dropins), _socket_unit, text)
            wants = glob_paths(sub_root, '/etc/systemd/system/*.wants/%s' % unit)
            main = paths[-1] if paths else dropins[0]
            entry = {'kind': 'socket_unit', 'unit': unit, 'file': main, 'files': paths + dropins,
                     'listen': parsed['listen'],
                     'enabled': bool(wants), 'enabled_by': [prefix + w for w in wants], 'errors': parsed['errors']}
            libvirt.append(_entry(entry, sub_root, prefix, container, main, errors))
        for path in ('/etc/default/libvirtd', '/etc/sysconfig/libvirtd', '/etc/default/virtproxyd'):
            if not lexists(sub_root, path):
                continue
            errors = []
            parsed = _contained(path, parse_default_libvirtd, _read(sub_root, path, max_size, errors) or '')
            entry = {'kind': 'defaults', 'file': path, 'daemon': 'virtproxyd' if path.endswith('virtproxyd') else 'libvirtd',
                     'args': parsed['args'], 'listen': parsed['listen'], 'variables': parsed['variables'], 'errors': parsed['errors']}
            libvirt.append(_entry(entry, sub_root, prefix, container, path, errors))
    return libvirt, qemu


_NO_FILE = '/nonexistent/file'  # the path-taking parsers' empty result: the shape of a missing file


def _main_path(paths, dropins):
    return paths[-1] if paths else dropins[0]


def _socket_unit(text):
    """A systemd socket unit with its ``ListenStream`` values parsed."""
    parsed = parse_systemd_unit(text)
    parsed['listen'] = [parse_socket_listen(v) for v in parsed['listen_stream']]
    return parsed


def _simple(root, max_size, places, parser, secrets):
    """Parse every file ``(sub_root, prefix, container, path)`` with ``parser(text, secrets)``."""
    out = []
    for sub_root, prefix, container, path in places:
        if not lexists(sub_root, path):
            continue
        errors = []
        text = _read(sub_root, path, max_size, errors)
        parsed = _contained(path, lambda t: parser(t, secrets), text or '')
        parsed['file'] = path
        out.append(_entry(parsed, sub_root, prefix, container, path, errors))
    return out


def _ceph(root, max_size, secrets):
    places = []
    for sub_root, prefix, container in _trees(root):
        places += [(sub_root, prefix, container, p) for p in glob_paths(sub_root, '/etc/ceph/*.conf')]
    places += [(root, '', None, p) for p in glob_paths(root, '/etc/kolla/*/ceph.conf') + glob_paths(root, '/etc/kolla/config/*/ceph.conf')]
    return _simple(root, max_size, places, parse_ceph_conf, secrets)


_KAFKA_PATHS = ('/etc/kafka/server.properties', '/etc/kafka/kraft/server.properties', '/opt/kafka/config/server.properties',
                '/opt/kafka/config/kraft/server.properties', '/usr/local/kafka/config/server.properties')


def _server_properties(text, secrets):
    """A Kafka ``server.properties``; its parser (about 8 KB of source to compile) only for a file that exists."""
    # pylint: disable-next=import-outside-toplevel
    from ansible_collections.scs.secure_connections.plugins.module_utils._parsers.kafka import parse_server_properties
    return parse_server_properties(text, secrets)


def _kafka_files(root, max_size, secrets):
    places = []
    for sub_root, prefix, container in _trees(root):
        places += [(sub_root, prefix, container, p) for p in _KAFKA_PATHS]
    places.append((root, '', None, '/etc/kolla/kafka/kafka.server.properties'))
    return _simple(root, max_size, places, _server_properties, secrets)


def _haproxy(root, max_size, secrets):
    out = []
    for sub_root, prefix, container, base in _places(root, ('/etc/haproxy',), ('/etc/kolla/haproxy',)):
        main = base + '/haproxy.cfg'
        paths = ([main] if lexists(sub_root, main) else []) + glob_paths(sub_root, base + '/conf.d/*.cfg') + \
            glob_paths(sub_root, base + '/services.d/*.cfg')
        if not paths:
            continue
        # the haproxy/nginx parsers (about 26 KB of source to compile) only where their configuration exists
        from ansible_collections.scs.secure_connections.plugins.module_utils._parsers.proxy import parse_haproxy_cfg  # pylint: disable=import-outside-toplevel
        errors = []
        merged = {'file': main, 'files': [], 'global': {}, 'defaults': [], 'frontends': [], 'backends': [], 'errors': []}
        for path in paths:
            parsed = _parse_file(sub_root, path, max_size, errors, merged['files'],
                                 lambda text, path=path: parse_haproxy_cfg(text, source=path, secrets=secrets))
            if parsed is None:
                continue
            merged['global'].update(parsed['global'])
            for key in ('defaults', 'frontends', 'backends'):
                merged[key].extend(parsed[key])
        out.append(_entry(merged, sub_root, prefix, container, main, errors))
    return out


def _nginx(root, max_size, secrets):
    out = []
    places = [(sub_root, prefix, container, '/etc/nginx/nginx.conf') for sub_root, prefix, container in _trees(root)]
    places += [(root, '', None, p) for p in glob_paths(root, '/etc/kolla/*/nginx.conf')]
    for sub_root, prefix, container, path in places:
        if not lexists(sub_root, path):
            continue
        from ansible_collections.scs.secure_connections.plugins.module_utils._parsers.proxy import parse_nginx_conf  # pylint: disable=import-outside-toplevel
        parsed = _contained(path, lambda p: parse_nginx_conf(p, root=sub_root, max_size=max_size, secrets=secrets), path, _NO_FILE)
        parsed['file'] = path
        out.append(_entry(parsed, sub_root, prefix, container, path))
    return out


def _kolla_provided(root, component, dest):
    """True when kolla's ``config.json`` of ``component`` copies a file to ``dest`` in the container, False when it does
    not, None without a readable config.json."""
    try:
        data = json.loads(read_text(root, '/etc/kolla/%s/config.json' % component, max_size=1024 * 1024)[0])
    except (ReadError, ValueError):
        return None
    files = data.get('config_files') if isinstance(data, dict) else None
    return any(isinstance(f, dict) and f.get('dest') == dest for f in files or [])


def _proxysql(root, max_size, secrets):
    """ProxySQL: ``/etc/proxysql.cnf`` (host and LXC trees) and kolla's ``/etc/kolla/proxysql/proxysql.yaml``."""
    out = []
    places = [(sub_root, prefix, container, '/etc/proxysql.cnf', 'cnf') for sub_root, prefix, container in _trees(root)]
    places.append((root, '', None, '/etc/kolla/proxysql/proxysql.yaml', 'yaml'))
    for sub_root, prefix, container, path, fmt in places:
        if not lexists(sub_root, path):
            continue
        # its parser (about 10 KB of source to compile) only where ProxySQL's configuration exists
        from ansible_collections.scs.secure_connections.plugins.module_utils._parsers.proxysql import parse_proxysql  # pylint: disable=import-outside-toplevel
        errors, files = [], []
        parsed = _parse_file(sub_root, path, max_size, errors, files,
                             lambda text, fmt=fmt: parse_proxysql(text, fmt=fmt, yaml_module=PYYAML.modules[0], secrets=secrets))
        if parsed is None:
            parsed = {'format': fmt, 'config': {}, 'frontend': {}, 'backend': {}, 'errors': []}
        else:
            errors = [e for e in errors if e not in _err_list(parsed['errors'], path)]
        cert = (parsed.get('frontend') or {}).get('certificate') or {}
        if fmt == 'yaml' and cert:
            # kolla copies its certificate over the one ProxySQL would generate (database_enable_tls_internal)
            parsed['frontend']['certificate_provided'] = _kolla_provided(root, 'proxysql', cert.get('cert'))
            parsed['frontend']['certificate_source'] = '/etc/kolla/proxysql/config.json'
        elif cert:
            parsed['frontend']['certificate_provided'] = exists(sub_root, cert.get('cert')) or None
            parsed['frontend']['certificate_source'] = cert.get('cert')
        out.append(_entry(parsed, sub_root, prefix, container, path, errors))
    return out


def gather_infrastructure(root, max_size=DEFAULT_MAX_FILE_SIZE, secrets=None):
    """Every infrastructure config file found, parsed: ``{kind: [entries]}`` for INFRA_KINDS."""
    libvirt, qemu = _libvirt_and_qemu(root, max_size, secrets)
    return {
        'mysql': _mysql(root, max_size, secrets),
        'rabbitmq': _rabbitmq(root, max_size, secrets),
        'libvirt': libvirt,
        'qemu': qemu,
        'ceph': _ceph(root, max_size, secrets),
        'kafka': _kafka_files(root, max_size, secrets),
        'haproxy': _haproxy(root, max_size, secrets),
        'nginx': _nginx(root, max_size, secrets),
        'proxysql': _proxysql(root, max_size, secrets),
    }


# --------------------------------------------------------------------------- entry point


def discover(root='/', gather=None, services=None, proc_path=None, max_file_size=DEFAULT_MAX_FILE_SIZE, certificates=True):
    """Run discovery and return the (masked) ``openstack_config_info`` result without ``changed``.

    ``certificates``: True (the defaults) or keyword arguments of ``_gather/certificates.gather_certificates`` for
    the certificate inventory's files under ``certificates``; None or False for none."""
    gather = list(gather or GATHER_CHOICES)
    root = os.path.abspath(root or '/')
    secrets = set()
    result = {'root': root, 'gathered': gather, 'layouts': [], 'services': [], 'infrastructure': dict((k, []) for k in INFRA_KINDS),
              'listeners': [], 'listeners_source': None, 'configured_listeners': [], 'errors': []}
    if not os.path.isdir(root):
        result['errors'].append({'file': root, 'message': 'root %s does not exist or is not a directory' % root, 'kind': 'root'})
        return result
    if 'layout' in gather:
        result['layouts'] = detect_layouts(root)
    if 'services' in gather:
        descriptors, errors = discover_services(root, only=services)
        result['errors'].extend(dict(e, kind=e.get('kind') or error_kind(e.get('message'), 'unreadable')) for e in errors)
        for svc in descriptors:
            try:
                result['services'].append(gather_service(root, svc, max_file_size, secrets))
            except Exception as exc:  # pylint: disable=broad-except
                # a parser bug must not lose the other services' evidence
                result['errors'].append({'file': svc['files'][0] if svc['files'] else None,
                                         'message': 'internal error parsing %s: %s: %s' % (svc['service'], type(exc).__name__, exc),
                                         'kind': 'internal'})
    if 'infrastructure' in gather:
        result['infrastructure'] = gather_infrastructure(root, max_file_size, secrets)
        result['configured_listeners'] = configured_listeners(result['infrastructure'])
    if 'listeners' in gather:
        if proc_path is None:
            proc_path = '/proc' if root == '/' else (os.path.join(root, 'proc') if os.path.isdir(os.path.join(root, 'proc', 'net')) else None)
        if proc_path is None:
            result['listeners_source'] = None
            result['errors'].append({'file': None, 'message': 'listeners not gathered: root is %s (not /) and no proc_path was given; '
                                                              'the live sockets of this machine would not describe that tree' % root,
                                     'kind': 'listeners'})
        else:
            result['listeners_source'] = proc_path
            gathered = read_listeners(proc_path, root=root)
            result['listeners'] = gathered['listeners']
            result['errors'].extend(dict(e, kind='listeners') for e in gathered['errors'])
    if certificates:
        result['certificates'] = gather_certificates(root, **(certificates if isinstance(certificates, dict) else {}))
    extra = sorted((s for s in secrets if isinstance(s, str) and len(s) >= MIN_SECRET_LENGTH and s != MASK), key=len, reverse=True)
    return mask_secrets(_clip(result), extra_values=extra)


def _clip(obj, limit=MAX_VALUE_LENGTH):
    """Strings longer than ``limit`` shortened with a note: evidence stays readable and the
    final masking pass never has to scan megabytes of one value."""
    if isinstance(obj, dict):
        return dict((k, _clip(v, limit)) for k, v in obj.items())
    if isinstance(obj, list):
        return [_clip(v, limit) for v in obj]
    if isinstance(obj, str) and len(obj) > limit:
        return '%s ... [%d more characters not shown]' % (obj[:limit], len(obj) - limit)
    return obj
