# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""RabbitMQ TLS evidence: configuration files, the live node (CLI tools) and an AMQP handshake.

Used by the ``rabbitmq_tls_info`` module. Three independent sources, each reported with its own
status so a rule can say which one it relied on (``live`` and ``amqp_check`` in :mod:`_gather.rabbitmq_live`, imported
only when they run):

* ``config``: ``rabbitmq.conf`` (+ ``conf.d/*.conf``), classic ``rabbitmq.config`` and
  ``advanced.config`` under ``root``, parsed with :mod:`._rabbitmq_conf` (the discovery parsers),
  merged the way RabbitMQ does (``advanced.config`` wins), with RabbitMQ's defaults applied
  (no ``listeners.tcp`` key = AMQP on 5672 on every interface, no TLS listener);
* ``live``: ``rabbitmq-diagnostics -q listeners --formatter json`` and ``rabbitmqctl -q
  list_connections --formatter json <columns>`` run with ``LC_ALL=C``, a timeout and the
  caller's environment (``HOME`` for the Erlang cookie, ``RABBITMQ_NODENAME``, ``ERL_EPMD_PORT``
  ...), optionally inside a container (``docker``/``podman exec``). Failures are classified as
  ``node_down``, ``permission`` (cookie mismatch, not root/rabbitmq), ``cli_missing``, ``timeout``,
  ``unsupported`` or ``cli_error``, with the tool's own diagnostics condensed into the message;
* ``amqp_check``: a TLS handshake with the operator's CA followed by the AMQP 0-9-1 protocol
  header, which makes the broker answer with ``Connection.Start`` (product, version): proof that
  the TLS port serves AMQP, without any credentials. With credentials (optional) ``pika`` also
  logs in over the same TLS settings.

No secret leaves this module: configuration secrets are masked by the parsers and collected in a
``secrets`` set; :func:`gather` runs :func:`_secrets.mask_secrets` over the whole result with
those values and the AMQP password.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import re

from ansible_collections.scs.secure_connections.plugins.module_utils._core.rootfs import (
    ReadError, exists, glob_paths, is_snapshot_root, isfile, lexists, read_text,
)
from ansible_collections.scs.secure_connections.plugins.module_utils._core.secrets import mask_secrets, split_lines
from ansible_collections.scs.secure_connections.plugins.module_utils._core.netaddr import is_loopback, is_wildcard

# --------------------------------------------------------------------------- constants

DEFAULT_CONFIG_DIRS = ('/etc/rabbitmq', '/etc/kolla/rabbitmq')
DEFAULT_AMQP_PORT = 5672
DEFAULT_MANAGEMENT_PORT = 15672
# files of the rabbitmq-server package (its service unit or init script): the broker is installed on this node
PACKAGE_EVIDENCE = ('/lib/systemd/system/rabbitmq-server.service', '/usr/lib/systemd/system/rabbitmq-server.service',
                    '/etc/systemd/system/rabbitmq-server.service', '/etc/init.d/rabbitmq-server')

# --------------------------------------------------------------------------- configuration


def _env_file_settings(text):
    """``KEY=VALUE`` pairs of a ``rabbitmq-env.conf`` (shell syntax, simple assignments only)."""
    out = {}
    for line in split_lines(text):
        line = line.strip()
        if not line or line.startswith('#'):
            continue
        if line.startswith('export '):
            line = line[7:].strip()
        key, sep, value = line.partition('=')
        if not sep or not re.match(r'^[A-Z_][A-Z0-9_]*$', key.strip()):
            continue
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in '"\'':
            value = value[1:-1]
        key = key.strip()
        if key.startswith('RABBITMQ_'):
            key = key[len('RABBITMQ_'):]
        out[key] = value
    return out


def _config_kind(path):
    base = os.path.basename(path)
    if base == 'advanced.config':
        return 'advanced'
    if base.endswith('.config'):
        return 'classic'
    if base == 'rabbitmq-env.conf':
        return 'env'
    if base == 'enabled_plugins':
        return 'plugins'
    return 'conf'


def discover_config_files(root, config_dirs=DEFAULT_CONFIG_DIRS):
    """``(files, other_dirs)``: the config files of the first directory holding any, and the
    other directories that also hold RabbitMQ configuration (reported, not merged)."""
    chosen = []
    others = []
    for directory in config_dirs:
        found = []
        for name in ('rabbitmq-env.conf', 'rabbitmq.conf'):
            path = directory.rstrip('/') + '/' + name
            if isfile(root, path):
                found.append(path)
        found.extend(glob_paths(root, directory.rstrip('/') + '/conf.d/*.conf'))
        for name in ('rabbitmq.config', 'advanced.config', 'enabled_plugins'):
            path = directory.rstrip('/') + '/' + name
            if isfile(root, path):
                found.append(path)
        if not [f for f in found if _config_kind(f) in ('conf', 'classic', 'advanced')]:
            continue
        if not chosen:
            chosen = found
        else:
            others.append(directory)
    return chosen, others


def package_evidence(root='/'):
    """On a snapshot ``root`` (not this machine's ``/``): the file that shows the rabbitmq-server package is installed there
    (its unit or init script), or None. A live node is asked instead: its running listeners say what it does."""
    if not is_snapshot_root(root):
        return None
    return next((path for path in PACKAGE_EVIDENCE if exists(root, path)), None)


def _package_defaults(root, result):
    """No configuration file anywhere in a snapshot: where the rabbitmq-server package is installed the node runs on
    RabbitMQ's defaults (``defaults`` says so and why); the files to read are then only its environment and plugin files."""
    evidence = package_evidence(root)
    if not evidence:
        return []
    for name in ('rabbitmq.conf', 'rabbitmq.config', 'advanced.config'):
        path = '/etc/rabbitmq/' + name
        if lexists(root, path):   # there, but not a readable file (a dangling link ...): never the defaults
            try:
                read_text(root, path)
            except ReadError as exc:
                result['errors'].append({'file': path, 'line': None, 'message': str(exc)})
    result['defaults'] = ('rabbitmq-server is installed (%s) with no rabbitmq.conf, rabbitmq.config or advanced.config: the node runs on '
                          'RabbitMQ\'s defaults' % evidence)
    return [p for p in ('/etc/rabbitmq/rabbitmq-env.conf', '/etc/rabbitmq/enabled_plugins') if isfile(root, p)]


def _env_referenced_files(root, env, env_file):
    """Config files an env file points at (``CONFIG_FILE`` may lack its extension)."""
    out = []
    notes = []
    for key in ('CONFIG_FILE', 'CONFIG_FILES', 'ADVANCED_CONFIG_FILE', 'ENABLED_PLUGINS_FILE'):
        value = env.get(key)
        if not value or '$' in value:
            continue
        candidates = [value]
        if key == 'CONFIG_FILE' and not value.endswith(('.conf', '.config')):
            candidates = [value + '.conf', value + '.config']
        hit = [c for c in candidates if isfile(root, c)]
        if hit:
            out.append(hit[0])
        else:
            notes.append('%s sets %s=%s, not found under the audited root (a path inside a container?)' % (env_file, key, value))
    return out, notes


def read_config(root='/', config_files=None, secrets=None):
    """Read and merge the RabbitMQ configuration; see the module's RETURN ``config``."""
    result = {'files': [], 'errors': [], 'notes': [], 'found': False, 'other_config_dirs': [],
              'env': {}, 'plugins': None, 'summary': None, 'defaults': None}
    if config_files:
        files = list(config_files)
    else:
        files, others = discover_config_files(root)
        result['other_config_dirs'] = others
        if not files:
            files = _package_defaults(root, result)
    # env files first: they may point at more files
    for path in list(files):
        if _config_kind(path) != 'env':
            continue
        try:
            text, _warning = read_text(root, path)
        except ReadError as exc:
            result['errors'].append({'file': path, 'line': None, 'message': str(exc)})
            continue
        env = _env_file_settings(text)
        result['env'] = dict((k, v) for k, v in env.items() if k in (
            'NODENAME', 'NODE_IP_ADDRESS', 'NODE_PORT', 'DIST_PORT', 'CONFIG_FILE', 'CONFIG_FILES', 'ADVANCED_CONFIG_FILE',
            'ENABLED_PLUGINS_FILE', 'ERL_EPMD_PORT', 'ERL_EPMD_ADDRESS', 'USE_LONGNAME'))
        extra, notes = _env_referenced_files(root, env, path)
        result['notes'].extend(notes)
        for item in extra:
            if item not in files:
                files.append(item)
    summaries = {'conf': None, 'classic': None, 'advanced': None}
    # the parsers (about 26 KB of source to compile) only for a broker: a compute node asks package_evidence alone
    from ansible_collections.scs.secure_connections.plugins.module_utils._parsers.rabbitmq import (  # pylint: disable=import-outside-toplevel
        merge_rabbit_summaries, parse_erlang_config, parse_rabbitmq_conf)
    for path in files:
        kind = _config_kind(path)
        entry = {'file': path, 'format': kind, 'errors': []}
        if kind == 'env':
            result['files'].append(entry)
            continue
        try:
            text, warning = read_text(root, path)
        except ReadError as exc:
            entry['errors'].append({'line': None, 'message': str(exc)})
            result['errors'].append({'file': path, 'line': None, 'message': str(exc)})
            result['files'].append(entry)
            continue
        if warning:
            entry['errors'].append({'line': None, 'message': warning})
            result['errors'].append({'file': path, 'line': None, 'message': warning})
        if kind == 'plugins':
            result['plugins'] = _parse_enabled_plugins(text, path, result['errors'])
            result['files'].append(entry)
            continue
        result['found'] = True
        if kind == 'conf':
            parsed = parse_rabbitmq_conf(text, secrets=secrets)
        else:
            parsed = parse_erlang_config(text, secrets=secrets)
        for err in parsed.get('errors') or []:
            item = {'file': path, 'line': err.get('line'), 'message': err.get('message')}
            if err.get('column') is not None:
                item['column'] = err['column']
            entry['errors'].append(dict((k, v) for k, v in item.items() if k != 'file'))
            result['errors'].append(item)
        slot = 'conf' if kind == 'conf' else kind
        summaries[slot] = (merge_rabbit_summaries(summaries[slot], parsed['rabbit'], replace_ssl_options=False)
                           if summaries[slot] else parsed['rabbit'])
        result['files'].append(entry)
    merged = None
    for slot in ('conf', 'classic', 'advanced'):
        if summaries[slot] is not None:
            merged = merge_rabbit_summaries(merged, summaries[slot]) if merged else summaries[slot]
    result['summary'] = merged
    if result['defaults'] and not result['errors']:
        result['found'] = True   # a broker on defaults (listeners and TLS as RabbitMQ has them without a configuration)
    result.update(_effective_config(merged, result['env'], result['plugins'], result['found']))
    return result


def _parse_enabled_plugins(text, path, errors):
    from ansible_collections.scs.secure_connections.plugins.module_utils._parsers.rabbitmq import (  # pylint: disable=import-outside-toplevel
        ErlangParseError, parse_erlang_terms)
    try:
        terms = parse_erlang_terms(text)
    except (ErlangParseError, RecursionError) as exc:
        errors.append({'file': path, 'line': getattr(exc, 'line', None), 'message': 'enabled_plugins: %s' % exc})
        return None
    if not terms or not isinstance(terms[0], list):
        errors.append({'file': path, 'line': None, 'message': 'enabled_plugins is not a list of plugin names'})
        return None
    return sorted(str(p) for p in terms[0])


def _listener_entries(items, protocol, source):
    out = []
    for item in items or []:
        address = item.get('address')
        port = item.get('port')
        out.append({'protocol': protocol, 'address': address if address not in ('', None) else None,
                    'port': port if isinstance(port, int) else None, 'port_raw': None if isinstance(port, int) else port,
                    'loopback': is_loopback(address), 'all_interfaces': is_wildcard(address), 'source': source})
    return out


def _effective_config(summary, env, plugins, found):
    """Listeners and TLS settings as the node would run them (RabbitMQ defaults applied)."""
    if not found:
        return {'listeners': [], 'ssl_options': {}, 'management': {}, 'tcp_listeners_disabled': None}
    summary = summary or {}
    listeners = []
    tcp = (summary.get('listeners') or {}).get('tcp')
    ssl_items = (summary.get('listeners') or {}).get('ssl')
    if tcp is None:
        port = env.get('NODE_PORT')
        address = env.get('NODE_IP_ADDRESS') or None
        listeners.extend(_listener_entries([{'address': address, 'port': int(port) if port and port.isdigit() else DEFAULT_AMQP_PORT}],
                                           'amqp', 'default'))
    else:
        listeners.extend(_listener_entries(tcp, 'amqp', 'config'))
    listeners.extend(_listener_entries(ssl_items, 'amqp/ssl', 'config'))
    management = {}
    mgmt = summary.get('management') or {}
    mgmt_enabled = None if plugins is None else 'rabbitmq_management' in plugins
    for kind, protocol in (('tcp', 'http'), ('ssl', 'https')):
        block = mgmt.get(kind)
        if block:
            management[kind] = dict((k, v) for k, v in block.items() if k != 'password')
            if mgmt_enabled is not False:
                listeners.extend(_listener_entries([{'address': block.get('ip'), 'port': block.get('port')}], protocol, 'config'))
    if mgmt_enabled and not mgmt.get('tcp') and not mgmt.get('ssl'):
        listeners.extend(_listener_entries([{'address': None, 'port': DEFAULT_MANAGEMENT_PORT}], 'http', 'default'))
    management['plugin_enabled'] = mgmt_enabled
    return {'listeners': listeners, 'ssl_options': summary.get('ssl_options') or {}, 'management': management,
            'tcp_listeners_disabled': tcp == []}


# --------------------------------------------------------------------------- everything


def effective_listeners(config, live):
    """Live listeners when the node answered, else the configuration's.

    ``rabbitmq-diagnostics listeners`` shows the management (HTTP/HTTPS) listener as ``[::]``
    even when it is bound to one address; the configured address is taken for such a listener
    when the configuration names one for the same port.
    """
    if live and live.get('status') == 'ok':
        configured = dict(((c.get('protocol'), c.get('port')), c) for c in (config or {}).get('listeners') or [] if c.get('address'))
        out = []
        for item in live.get('listeners') or []:
            item = dict(item)
            conf = configured.get((item.get('protocol'), item.get('port')))
            if item.get('protocol') in ('http', 'https') and item.get('all_interfaces') and conf:
                item['address_reported'] = item.get('address')
                item['address'] = conf['address']
                item['loopback'] = conf['loopback']
                item['all_interfaces'] = conf['all_interfaces']
                item['note'] = 'the CLI reports %s for the management listener; the configured address is used' % item['address_reported']
            out.append(item)
        return out, 'live'
    if config and config.get('found'):
        return [dict(item) for item in config.get('listeners') or []], 'config'
    return [], None


def gather(params, pika_available=True, module=None):
    """The module result (without ``changed``) for ``params`` (the module's options); ``module`` runs the CLI tools."""
    secrets = set()
    root = params.get('root') or '/'
    config = read_config(root, params.get('config_files'), secrets=secrets)
    config.pop('summary', None)
    snapshot = is_snapshot_root(root)
    # the CLI and the AMQP check (_gather/rabbitmq_live, about 25 KB of source to compile) are imported only when they
    # run: a snapshot needs neither (docs/scale.md)
    # pylint: disable=import-outside-toplevel
    if params.get('live', True) and not snapshot:
        from ansible_collections.scs.secure_connections.plugins.module_utils._gather.rabbitmq_live import gather_live
        live = gather_live(cli_env=params.get('cli_env'), cli_path=params.get('cli_path'), container=params.get('container'),
                           engine=params.get('container_engine') or 'auto', timeout=params.get('cli_timeout') or 30,
                           node=params.get('node'), list_connections=params.get('list_connections', True),
                           max_connections=params.get('max_connections') or 10000, module=module)
    else:
        # a snapshot's broker is not the auditing host's: its CLI tools never run on the snapshot's behalf
        live = {'status': 'skipped', 'error': None, 'node': None, 'listeners': [], 'tool': None, 'container': params.get('container'),
                'snapshot': snapshot,
                'reason': 'root %s is a snapshot: the CLI tools are not run on the auditing host' % root if snapshot else 'live is false',
                'connections': {'status': 'skipped', 'error': None, 'items': [], 'summary': None, 'truncated': False, 'columns': []}}
    listeners, source = effective_listeners(config, live)
    check_params = params.get('amqp_check')
    if check_params:
        from ansible_collections.scs.secure_connections.plugins.module_utils._gather.rabbitmq_live import amqp_handshake, amqp_login
        check = amqp_handshake(check_params['host'], check_params['port'], tls=check_params.get('tls', True),
                               ca_file=check_params.get('ca_file'), server_name=check_params.get('server_name'),
                               verify=check_params.get('verify', True), check_hostname=check_params.get('check_hostname', True),
                               cert_file=check_params.get('cert_file'), key_file=check_params.get('key_file'),
                               timeout=check_params.get('timeout') or 10)
        password = check_params.get('password')
        if password:
            secrets.add(password)
        if check_params.get('user') and password is not None:
            if check['status'] != 'ok':
                check['login'] = {'status': 'skipped', 'error': None, 'user': check_params['user'], 'vhost': check_params.get('vhost') or '/'}
            elif not pika_available:
                check['login'] = {'status': 'error', 'user': check_params['user'], 'vhost': check_params.get('vhost') or '/',
                                  'error': {'kind': 'internal', 'message': 'the pika library is needed for the login check'}}
            else:
                check['login'] = amqp_login(check, check_params['user'], password, vhost=check_params.get('vhost') or '/',
                                            tls=check_params.get('tls', True), ca_file=check_params.get('ca_file'),
                                            server_name=check_params.get('server_name'), verify=check_params.get('verify', True),
                                            check_hostname=check_params.get('check_hostname', True),
                                            cert_file=check_params.get('cert_file'), key_file=check_params.get('key_file'),
                                            timeout=check_params.get('timeout') or 10)
        else:
            check['login'] = None
    else:
        check = {'status': 'skipped', 'error': None}
    present = bool(config.get('found')) or live.get('status') == 'ok' or (live.get('error') or {}).get('kind') == 'permission'
    result = {
        'present': present,
        'root': root,
        'node': live.get('node') or params.get('node') or (params.get('cli_env') or {}).get('RABBITMQ_NODENAME') or config.get('env', {}).get('NODENAME'),
        'config': config,
        'live': live,
        'listeners': listeners,
        'listeners_source': source,
        'amqp_check': check,
        'cli_env_keys': sorted((params.get('cli_env') or {}).keys()),
    }
    return mask_secrets(result, extra_values=sorted(secrets))
