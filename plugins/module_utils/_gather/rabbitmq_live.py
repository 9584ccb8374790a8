# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""RabbitMQ evidence from the running broker, for :mod:`_gather.rabbitmq` (rabbitmq_tls_info, host_evidence_info): its
``live`` source (the CLI tools ``rabbitmq-diagnostics`` and ``rabbitmqctl``) and the ``amqp_check`` (a TLS handshake
with the AMQP 0-9-1 protocol header, optionally a login with pika). See :mod:`_gather.rabbitmq` for the whole.

Apart from the configuration reading because a snapshot needs none of it: :func:`_gather.rabbitmq.gather` imports
this module (about 25 KB of source to compile) only when the CLI runs or an AMQP check is asked for (docs/scale.md).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress
import json
import os
import re
import shutil
import socket
import ssl
import struct

from ansible_collections.scs.secure_connections.plugins.module_utils._core import command as _command
from ansible_collections.scs.secure_connections.plugins.module_utils._core import deadline as _deadline
from ansible_collections.scs.secure_connections.plugins.module_utils._core.netaddr import is_loopback, is_wildcard
from ansible_collections.scs.secure_connections.plugins.module_utils._core.words import LITERAL, parse_bool

CLI_DIRS = ('/usr/sbin', '/usr/lib/rabbitmq/bin', '/usr/local/sbin', '/opt/rabbitmq/sbin', '/usr/bin')
# The Debian/RPM wrappers in /usr/sbin switch to the rabbitmq user and reset HOME: with a
# caller-supplied HOME (a lab node, a non-default install) the real scripts must be run.
REAL_CLI_DIR = '/usr/lib/rabbitmq/bin'

CONNECTION_COLUMNS = ('name', 'user', 'vhost', 'peer_host', 'peer_port', 'host', 'port', 'ssl', 'ssl_protocol',
                      'ssl_cipher', 'protocol', 'auth_mechanism', 'peer_cert_subject', 'state', 'client_properties')
# Supported by every RabbitMQ since 3.x; used when the full set is refused.
CONNECTION_COLUMNS_MINIMAL = ('name', 'user', 'peer_host', 'peer_port', 'port', 'ssl', 'protocol', 'client_properties')

ERROR_KINDS = ('node_down', 'permission', 'cli_missing', 'timeout', 'unsupported', 'cli_error')

# Processes whose name says nothing about the OpenStack service (WSGI containers, interpreters).
GENERIC_PROCESSES = frozenset(('apache2', 'httpd', 'uwsgi', 'mod_wsgi', 'gunicorn', 'python', 'python3', 'python2',
                               'wsgi', 'eventlet'))

AMQP_0_9_1_HEADER = b'AMQP\x00\x00\x09\x01'


# --------------------------------------------------------------------------- helpers


def format_address(value):
    """RabbitMQ CLI addresses: ``[127,0,0,1]`` / 8-tuple / string -> text."""
    if isinstance(value, list) and len(value) == 4 and all(isinstance(p, int) for p in value):
        return '.'.join(str(p) for p in value)
    if isinstance(value, list) and len(value) == 8 and all(isinstance(p, int) for p in value):
        return str(ipaddress.IPv6Address(b''.join(struct.pack('>H', p & 0xffff) for p in value)))
    if value is None:
        return None
    return str(value)


def _shorten(text, limit=600):
    text = (text or '').strip()
    return text if len(text) <= limit else text[:limit - 3] + '...'


# --------------------------------------------------------------------------- CLI


class CliResult(object):
    def __init__(self, ok, stdout='', stderr='', rc=None, error=None, argv=None):
        self.ok, self.stdout, self.stderr, self.rc, self.error, self.argv = ok, stdout, stderr, rc, error, argv


def find_tool(tool, cli_path=None, cli_env=None):
    """Path of ``tool`` or None (see module docs for the search order)."""
    if cli_path:
        path = os.path.join(cli_path, tool)
        return path if os.access(path, os.X_OK) else None
    candidates = []
    if cli_env and cli_env.get('HOME'):
        candidates.append(os.path.join(REAL_CLI_DIR, tool))
    found = shutil.which(tool)
    if found:
        candidates.append(found)
    candidates.extend(os.path.join(d, tool) for d in CLI_DIRS)
    for path in candidates:
        if os.path.isfile(path) and os.access(path, os.X_OK):
            return path
    return None


def container_engine(requested='auto'):
    return _command.container_engine(requested, which=shutil.which)


def classify_cli_failure(rc, stdout, stderr, node=None, epmd_port=None):
    """``{kind, message}`` for a failed CLI call, the tool's diagnostics condensed."""
    text = '%s\n%s' % (stderr or '', stdout or '')
    low = text.lower()
    details = _diagnostic_lines(text)
    if 'only root or rabbitmq' in low:
        kind, summary = 'permission', 'the RabbitMQ CLI tools must run as root or as the rabbitmq user'
    elif 'erlang distribution failed' in low or 'invalid challenge reply' in low or 'authentication failed (rejected by the remote node)' in low:
        kind, summary = 'permission', ('the node refused the CLI tool: Erlang cookie mismatch (the CLI reads $HOME/.erlang.cookie; '
                                       'run as root/rabbitmq or set cli_env HOME to the directory holding the node\'s cookie)')
    elif 'eacces' in low and 'cookie' in low:
        kind, summary = 'permission', 'the CLI tool cannot read the Erlang cookie file (permission denied)'
    elif 'not running at all' in low or 'nodedown' in low or 'unable to connect to epmd' in low or 'econnrefused' in low:
        kind, summary = 'node_down', 'the RabbitMQ node %sis not running or not reachable' % ('%s ' % node if node else '')
    elif 'nodistribution' in low or (rc == 78 and 'distribution failed' in low):
        kind, summary = 'node_down', ('no Erlang port mapper (epmd) answers on this host%s, so no RabbitMQ node runs here%s' % (
            ' (ERL_EPMD_PORT %s)' % epmd_port if epmd_port else '', ' (node %s)' % node if node else ''))
        return {'kind': kind, 'message': _shorten(summary)}
    elif rc == 69:
        kind, summary = 'node_down', 'the RabbitMQ node %sis unavailable' % ('%s ' % node if node else '')
    elif rc == 77:
        kind, summary = 'permission', 'the CLI tool was refused access (exit code 77)'
    elif rc == 75 or 'timed out' in low:
        kind, summary = 'timeout', 'the CLI tool timed out waiting for the node'
    elif rc == 64 and ('not supported' in low or 'invalid' in low or 'unknown' in low):
        kind, summary = 'unsupported', 'the CLI tool rejected the command or its arguments (older RabbitMQ?)'
    else:
        kind, summary = 'cli_error', 'the CLI tool failed with exit code %s' % rc
    first = ''
    for line in (stderr or stdout or '').splitlines():
        if line.strip():
            first = line.strip()
            break
    message = summary
    if details:
        message += ': ' + '; '.join(details)
    elif first:
        message += ': ' + first
    return {'kind': kind, 'message': _shorten(message)}


def _diagnostic_lines(text):
    """The ``* ...`` lines of the DIAGNOSTICS block, minus suggestions and the cookie hash."""
    out = []
    in_diag = False
    for line in text.splitlines():
        if line.strip() == 'DIAGNOSTICS':
            in_diag = True
            continue
        if not in_diag:
            continue
        if line.strip().startswith('Current node details'):
            break
        item = line.strip()
        if item.startswith('* ') and 'suggestion' not in item and 'cookie hash' not in item.lower():
            out.append(item[2:].strip())
        elif item.startswith('Error') and not out:
            out.append(item)
    return out[:4]


def _with_no_epmd_start(env_vars):
    """Add ``-start_epmd false`` to ``ERL_FLAGS``: a CLI call against a stopped node must not
    leave an ``epmd`` daemon behind (the Erlang runtime starts one by default)."""
    out = dict(env_vars)
    flags = out.get('ERL_FLAGS', os.environ.get('ERL_FLAGS', ''))
    if '-start_epmd' not in flags:
        out['ERL_FLAGS'] = ('%s -start_epmd false' % flags).strip()
    return out


def run_cli(tool, args, cli_env=None, cli_path=None, container=None, engine='auto', timeout=30, node=None, module=None):
    """Run a RabbitMQ CLI tool with ``module`` (``_core.command``); a :class:`CliResult` (``error`` = ``{kind, message}`` on failure)."""
    env_vars = dict((str(k), str(v)) for k, v in (cli_env or {}).items())
    full_args = list(args)
    if node:
        full_args = ['-n', node] + full_args
    if container:
        engine_path = container_engine(engine)
        if not engine_path:
            return CliResult(False, error={'kind': 'cli_missing', 'message': 'no container engine (%s) found to reach container %s' % (
                engine if engine != 'auto' else 'docker or podman', container)})
        argv = _command.container_argv(engine_path, container, [tool] + full_args, env=_with_no_epmd_start(env_vars))
        env = None
    else:
        path = find_tool(tool, cli_path, env_vars)
        if not path:
            where = cli_path or ', '.join(('PATH',) + CLI_DIRS)
            return CliResult(False, error={'kind': 'cli_missing', 'message': '%s not found (looked in %s); is RabbitMQ installed on this host, '
                                                                             'or does it run in a container (option container)?' % (tool, where)})
        argv = [path] + full_args
        env = _with_no_epmd_start(env_vars)
    res = _command.run(module, argv, env=env, timeout=timeout)
    if res.error:
        return CliResult(False, error={'kind': 'cli_missing', 'message': res.error}, argv=argv)
    if res.timed_out:
        return CliResult(False, error={'kind': 'timeout', 'message': '%s %s did not finish within %s s (cli_timeout)' % (
            tool, ' '.join(args[:2]), timeout)}, argv=argv)
    out, err, rc = res.stdout, res.stderr, res.rc
    if res.truncated:
        return CliResult(False, out, err, rc, {'kind': 'cli_error', 'message': '%s %s printed more than %d bytes' % (
            tool, ' '.join(args[:2]), _command.MAX_OUTPUT)}, argv)
    if rc != 0:
        if container and rc in (125, 126, 127) and ('no such container' in err.lower() or 'is not running' in err.lower()
                                                    or 'executable file not found' in err.lower() or 'not found' in err.lower()):
            return CliResult(False, out, err, rc, {'kind': 'cli_missing', 'message': _shorten(
                'cannot run %s in container %s: %s' % (tool, container, err.strip().splitlines()[-1] if err.strip() else 'exit %s' % rc))},
                argv)
        return CliResult(False, out, err, rc, classify_cli_failure(rc, out, err, node or env_vars.get('RABBITMQ_NODENAME'),
                                                                   env_vars.get('ERL_EPMD_PORT')), argv)
    return CliResult(True, out, err, 0, argv=argv)


def _json_output(text):
    """Parse the CLI's JSON (one document, or one per line for streaming formatters)."""
    text = (text or '').strip()
    if not text:
        return None
    try:
        return json.loads(text)
    except ValueError:
        pass
    items = []
    for line in text.splitlines():
        line = line.strip().lstrip(',')
        if line in ('', '[', ']'):
            continue
        items.append(json.loads(line))
    return items


def _client_properties(value):
    """client_properties as a dict: the CLI gives ``[[name, type, value], ...]``."""
    if isinstance(value, dict):
        return value
    out = {}
    if isinstance(value, list):
        for item in value:
            if isinstance(item, list) and len(item) == 3:
                name, kind, val = item
                if kind == 'table':
                    val = _client_properties(val)
                out[str(name)] = val
            elif isinstance(item, list) and len(item) == 2:
                out[str(item[0])] = item[1]
    return out


def attribute_connection(connection_name):
    """``{process, pid, component, service}`` from an oslo.messaging connection name.

    oslo.messaging names its connections ``<basename(argv[0])>:<pid>:<uuid>`` (``nova-compute:
    7:0f4b...``). ``component`` is the process name when it names an OpenStack service
    (``nova-compute``), ``service`` its project (``nova``); WSGI containers (``apache2``,
    ``uwsgi``) give only ``process``.
    """
    out = {'process': None, 'pid': None, 'component': None, 'service': None}
    if not connection_name or not isinstance(connection_name, str):
        return out
    parts = connection_name.split(':')
    process = os.path.basename(parts[0].strip())
    if process.endswith('.py'):
        process = process[:-3]
    out['process'] = process or None
    if len(parts) > 1 and parts[1].strip().isdigit():
        out['pid'] = int(parts[1].strip())
    if process and process.lower() not in GENERIC_PROCESSES and re.match(r'^[a-z][a-z0-9_]*(-[a-z0-9_]+)*$', process):
        out['component'] = process
        out['service'] = process.split('-')[0]
    return out


def normalize_connection(raw):
    props = _client_properties(raw.get('client_properties'))
    name = props.get('connection_name')
    out = {
        'name': raw.get('name'),
        'user': raw.get('user'),
        'vhost': raw.get('vhost'),
        'peer_host': format_address(raw.get('peer_host')),
        'peer_port': raw.get('peer_port'),
        'host': format_address(raw.get('host')),
        'port': raw.get('port'),
        'ssl': parse_bool(raw.get('ssl'), LITERAL) is True,
        'ssl_protocol': raw.get('ssl_protocol') or None,
        'ssl_cipher': raw.get('ssl_cipher') or None,
        'protocol': _protocol_text(raw.get('protocol')),
        'auth_mechanism': raw.get('auth_mechanism'),
        'peer_cert_subject': raw.get('peer_cert_subject') or None,
        'state': raw.get('state'),
        'connection_name': name if isinstance(name, str) else None,
        'client_product': props.get('product') if isinstance(props.get('product'), str) else None,
        'client_platform': props.get('platform') if isinstance(props.get('platform'), str) else None,
    }
    out.update(attribute_connection(out['connection_name']))
    if out['port'] is None and isinstance(out['name'], str) and '->' in out['name']:
        tail = out['name'].split('->')[-1].strip()
        port = tail.rpartition(':')[2]
        out['port'] = int(port) if port.isdigit() else None
    out['peer_loopback'] = is_loopback(out['peer_host'])
    return out


def _protocol_text(value):
    if isinstance(value, list):
        return '.'.join(str(p) for p in value) if all(isinstance(p, int) for p in value) else ' '.join(str(p) for p in value)
    return value


def connection_summary(connections):
    """``{total, tls, plain, clients: [{client, service, component, peer_host, tls, plain}]}``."""
    groups = {}
    for conn in connections:
        client = conn.get('component') or conn.get('process') or conn.get('client_product') or 'unknown'
        key = (client, conn.get('peer_host'))
        group = groups.setdefault(key, {'client': client, 'service': conn.get('service'), 'component': conn.get('component'),
                                        'process': conn.get('process'), 'peer_host': conn.get('peer_host'), 'users': [],
                                        'tls': 0, 'plain': 0, 'ports': []})
        group['tls' if conn.get('ssl') else 'plain'] += 1
        if conn.get('user') and conn['user'] not in group['users']:
            group['users'].append(conn['user'])
        if conn.get('port') is not None and conn['port'] not in group['ports']:
            group['ports'].append(conn['port'])
    clients = sorted(groups.values(), key=lambda g: (g['client'], g['peer_host'] or ''))
    return {'total': len(connections), 'tls': sum(1 for c in connections if c.get('ssl')),
            'plain': sum(1 for c in connections if not c.get('ssl')), 'clients': clients}


def gather_live(cli_env=None, cli_path=None, container=None, engine='auto', timeout=30, node=None, list_connections=True,
                max_connections=10000, module=None):
    """The live node: listeners and (optionally) client connections; ``module`` runs the CLI tools."""
    live = {'status': 'error', 'error': None, 'node': None, 'listeners': [], 'tool': None, 'container': container,
            'connections': {'status': 'skipped', 'error': None, 'items': [], 'summary': None, 'truncated': False, 'columns': []}}
    common = dict(cli_env=cli_env, cli_path=cli_path, container=container, engine=engine, timeout=timeout, node=node, module=module)
    res = run_cli('rabbitmq-diagnostics', ['-q', 'listeners', '--formatter', 'json'], **common)
    live['tool'] = res.argv[0] if res.argv and not container else None
    if not res.ok:
        live['error'] = res.error
        return live
    try:
        doc = _json_output(res.stdout)
    except ValueError as exc:
        live['error'] = {'kind': 'cli_error', 'message': 'rabbitmq-diagnostics listeners printed no valid JSON: %s' % exc}
        return live
    if isinstance(doc, dict):
        items = doc.get('listeners') or []
        live['node'] = doc.get('node')
    else:
        items = doc or []
    for item in items:
        if not isinstance(item, dict):
            continue
        address = item.get('interface')
        address = format_address(address)
        live['listeners'].append({'protocol': item.get('protocol'), 'address': address, 'port': item.get('port'),
                                  'purpose': item.get('purpose'), 'node': item.get('node'), 'loopback': is_loopback(address),
                                  'all_interfaces': is_wildcard(address), 'source': 'live'})
        live['node'] = live['node'] or item.get('node')
    live['status'] = 'ok'
    if not list_connections:
        return live
    conns = live['connections']
    for columns in (CONNECTION_COLUMNS, CONNECTION_COLUMNS_MINIMAL):
        res = run_cli('rabbitmqctl', ['-q', 'list_connections', '--formatter', 'json'] + list(columns), **common)
        conns['columns'] = list(columns)
        if res.ok or (res.error or {}).get('kind') != 'unsupported':
            break
    if not res.ok:
        conns['status'] = 'error'
        conns['error'] = res.error
        return live
    try:
        doc = _json_output(res.stdout) or []
    except ValueError as exc:
        conns['status'] = 'error'
        conns['error'] = {'kind': 'cli_error', 'message': 'rabbitmqctl list_connections printed no valid JSON: %s' % exc}
        return live
    items = [normalize_connection(c) for c in doc if isinstance(c, dict)]
    if len(items) > max_connections:
        conns['truncated'] = True
        conns['summary'] = connection_summary(items)
        items = items[:max_connections]
    else:
        conns['summary'] = connection_summary(items)
    conns['items'] = items
    conns['status'] = 'ok'
    return live


# --------------------------------------------------------------------------- AMQP handshake


class _AmqpError(Exception):
    def __init__(self, kind, message):
        super(_AmqpError, self).__init__(message)
        self.kind, self.message = kind, message


def _recv_exact(sock, count, limit=None):
    data = bytearray()
    while len(data) < count:
        if limit is not None:
            limit.settimeout(sock)
        chunk = sock.recv(count - len(data))
        if not chunk:
            raise _AmqpError('not_amqp', 'the server closed the connection after %d of %d bytes' % (len(data), count))
        data += chunk
    return bytes(data)


def _field(buf, pos, kind):
    simple = {'t': ('>B', 1), 'b': ('>b', 1), 'B': ('>B', 1), 's': ('>h', 2), 'u': ('>H', 2), 'I': ('>i', 4), 'i': ('>I', 4),
              'l': ('>q', 8), 'L': ('>Q', 8), 'f': ('>f', 4), 'd': ('>d', 8), 'T': ('>Q', 8)}
    if kind in simple:
        fmt, size = simple[kind]
        value = struct.unpack(fmt, buf[pos:pos + size])[0]
        return (bool(value) if kind == 't' else value), pos + size
    if kind in ('S', 'x'):
        (length,) = struct.unpack('>I', buf[pos:pos + 4])
        raw = buf[pos + 4:pos + 4 + length]
        return raw.decode('utf-8', 'replace'), pos + 4 + length
    if kind == 'F':
        return _table(buf, pos)
    if kind == 'D':
        return None, pos + 5
    if kind == 'V':
        return None, pos
    if kind == 'A':
        (length,) = struct.unpack('>I', buf[pos:pos + 4])
        end = pos + 4 + length
        pos += 4
        items = []
        while pos < end:
            sub = chr(buf[pos])
            value, pos = _field(buf, pos + 1, sub)
            items.append(value)
        return items, end
    raise _AmqpError('protocol', 'unknown AMQP field type %r' % kind)


def _table(buf, pos):
    (length,) = struct.unpack('>I', buf[pos:pos + 4])
    end = pos + 4 + length
    pos += 4
    out = {}
    while pos < end:
        nlen = buf[pos]
        name = buf[pos + 1:pos + 1 + nlen].decode('utf-8', 'replace')
        pos += 1 + nlen
        kind = chr(buf[pos])
        value, pos = _field(buf, pos + 1, kind)
        out[name] = value
    return out, end


def parse_connection_start(frame_header, payload):
    """Server properties from an AMQP 0-9-1 ``Connection.Start`` frame."""
    ftype, channel, _size = struct.unpack('>BHI', frame_header)
    if ftype != 1 or channel != 0:
        raise _AmqpError('not_amqp', 'expected an AMQP method frame on channel 0, got frame type %d channel %d' % (ftype, channel))
    class_id, method_id = struct.unpack('>HH', payload[:4])
    if (class_id, method_id) == (10, 50):
        code = struct.unpack('>H', payload[4:6])[0]
        text = payload[7:7 + payload[6]].decode('utf-8', 'replace')   # reply-text, a shortstr
        raise _AmqpError('protocol', 'the server closed the AMQP connection instead of starting it: %d %s' % (code, ' '.join(text.split())))
    if (class_id, method_id) != (10, 10):
        raise _AmqpError('not_amqp', 'expected Connection.Start (10,10), got method (%d,%d)' % (class_id, method_id))
    major, minor = payload[4], payload[5]
    props, pos = _table(payload, 6)
    mechanisms, pos = _field(payload, pos, 'S')
    return {'version': '%d-%d' % (major, minor), 'server_properties': props, 'mechanisms': (mechanisms or '').split()}


def _tls_context(ca_file=None, verify=True, cert_file=None, key_file=None, check_hostname=True):
    ctx = ssl.create_default_context(cafile=ca_file) if verify else ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    if not verify:
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
    else:
        ctx.check_hostname = bool(check_hostname)
    if cert_file:
        ctx.load_cert_chain(cert_file, key_file)
    return ctx


def amqp_handshake(host, port, tls=True, ca_file=None, server_name=None, verify=True, check_hostname=True,
                   cert_file=None, key_file=None, timeout=10.0):
    """TLS (optional) + AMQP protocol header; returns the check result (never raises).

    Bounded: the whole check (name resolution, connect, TLS handshake, AMQP header and answer)
    within ``timeout`` seconds overall; every socket operation gets what is left, and the check runs
    in a daemon thread joined with the deadline (the TLS handshake reads with per-operation timeouts)."""
    limit = _deadline.Deadline(timeout, 'the AMQP check of %s:%s' % (host, port))
    try:
        return _deadline.call(_amqp_handshake, limit, host, port, tls, ca_file, server_name, verify, check_hostname,
                              cert_file, key_file, limit)
    except _deadline.DeadlineExceeded:
        return {'status': 'error', 'host': host, 'port': port, 'tls': bool(tls), 'server_name': None, 'verified': None,
                'tls_version': None, 'cipher': None, 'amqp_version': None, 'server': None, 'mechanisms': None,
                'error': {'kind': 'timeout', 'message': '%s (the server answers too slowly or trickles)' % limit.message()}}


def _amqp_handshake(host, port, tls, ca_file, server_name, verify, check_hostname, cert_file, key_file, limit):
    timeout = limit.total
    out = {'status': 'error', 'host': host, 'port': port, 'tls': bool(tls), 'server_name': None, 'verified': None,
           'tls_version': None, 'cipher': None, 'amqp_version': None, 'server': None, 'mechanisms': None, 'error': None}
    sock = None
    try:
        try:
            sock = _deadline.connect(host, port, limit)
        except socket.gaierror as exc:
            raise _AmqpError('dns', 'cannot resolve %s: %s' % (host, exc))
        except socket.timeout:
            raise _AmqpError('timeout', 'no TCP connection to %s:%s within %s s' % (host, port, timeout))
        except ConnectionRefusedError:
            raise _AmqpError('refused', 'connection refused by %s:%s' % (host, port))
        except OSError as exc:
            raise _AmqpError('refused', 'cannot connect to %s:%s: %s' % (host, port, exc.strerror or exc))
        limit.settimeout(sock)
        if tls:
            try:
                ctx = _tls_context(ca_file, verify, cert_file, key_file, check_hostname)
            except (OSError, ssl.SSLError) as exc:
                raise _AmqpError('internal', 'cannot load TLS material (ca_file/cert_file/key_file): %s' % exc)
            sni = server_name or host
            out['server_name'] = sni
            try:
                sock = ctx.wrap_socket(sock, server_hostname=sni)
            except ssl.SSLCertVerificationError as exc:
                raise _AmqpError('certificate', 'TLS handshake with %s:%s failed certificate verification: %s' % (
                    host, port, getattr(exc, 'verify_message', None) or exc))
            except ssl.SSLError as exc:
                reason = getattr(exc, 'reason', None) or str(exc)
                kind = 'not_tls' if reason in ('WRONG_VERSION_NUMBER', 'UNKNOWN_PROTOCOL', 'RECORD_LAYER_FAILURE') else 'tls'
                raise _AmqpError(kind, 'TLS handshake with %s:%s failed: %s%s' % (
                    host, port, reason, ' (the port does not speak TLS)' if kind == 'not_tls' else ''))
            except socket.timeout:
                raise _AmqpError('timeout', 'TLS handshake with %s:%s timed out after %s s' % (host, port, timeout))
            except OSError as exc:
                raise _AmqpError('tls', 'TLS handshake with %s:%s failed: %s' % (host, port, exc.strerror or exc))
            out['verified'] = bool(verify)
            out['tls_version'] = sock.version()
            cipher = sock.cipher()
            out['cipher'] = cipher[0] if cipher else None
        try:
            limit.settimeout(sock)
            sock.sendall(AMQP_0_9_1_HEADER)
            head = _recv_exact(sock, 7, limit)
        except socket.timeout:
            raise _AmqpError('timeout', 'no AMQP answer from %s:%s within %s s' % (host, port, timeout))
        except (OSError, ssl.SSLError) as exc:
            raise _AmqpError('not_amqp', 'the server closed the connection instead of answering the AMQP header: %s' % exc)
        if head.startswith(b'AMQP'):
            rest = head + _recv_exact(sock, 1, limit)
            raise _AmqpError('protocol', 'the server does not speak AMQP 0-9-1 (it answered with protocol header %r)' % rest)
        (_type, _chan, size) = struct.unpack('>BHI', head)
        if size > 1024 * 1024:
            raise _AmqpError('not_amqp', 'implausible AMQP frame size %d: not an AMQP server' % size)
        payload = _recv_exact(sock, size, limit)
        end = _recv_exact(sock, 1, limit)
        if end != b'\xce':
            raise _AmqpError('not_amqp', 'AMQP frame without the frame-end octet: not an AMQP server')
        start = parse_connection_start(head, payload)
        props = start['server_properties']
        out['amqp_version'] = start['version']
        out['server'] = dict((k, props.get(k)) for k in ('product', 'version', 'platform', 'cluster_name') if isinstance(props.get(k), str))
        out['mechanisms'] = start['mechanisms']
        out['status'] = 'ok'
    except _AmqpError as exc:
        out['error'] = {'kind': exc.kind, 'message': exc.message}
    except socket.timeout:
        out['error'] = {'kind': 'timeout', 'message': 'no complete AMQP answer from %s:%s within %s s overall' % (host, port, timeout)}
    except (struct.error, IndexError, ValueError) as exc:
        out['error'] = {'kind': 'not_amqp', 'message': 'cannot decode the server answer as AMQP: %s' % exc}
    finally:
        if sock is not None:
            try:
                sock.close()
            except OSError:
                pass
    return out


def amqp_login(check, user, password, vhost='/', tls=True, ca_file=None, server_name=None, verify=True, check_hostname=True,
               cert_file=None, key_file=None, timeout=10.0):
    """Log in with pika over the same TLS settings; ``{status, error}`` (pika imported by the caller).

    Bounded: pika's socket, stack and blocked-connection timeouts are ``timeout``, and the whole login
    runs in a daemon thread joined with an overall deadline of 3 x ``timeout``."""
    limit = _deadline.Deadline(3 * timeout, 'the AMQP login of %s on %s:%s' % (user, check['host'], check['port']))
    try:
        return _deadline.call(_amqp_login, limit, check, user, password, vhost, tls, ca_file, server_name, verify, check_hostname,
                              cert_file, key_file, timeout)
    except _deadline.DeadlineExceeded:
        return {'status': 'error', 'user': user, 'vhost': vhost, 'error': {'kind': 'timeout', 'message': limit.message()}}


def _amqp_login(check, user, password, vhost, tls, ca_file, server_name, verify, check_hostname, cert_file, key_file, timeout):
    # optional library, checked by the module
    import pika  # pylint: disable=import-outside-toplevel
    from pika import exceptions as pika_exc  # pylint: disable=import-outside-toplevel
    result = {'status': 'error', 'user': user, 'vhost': vhost, 'error': None}
    try:
        ssl_options = None
        if tls:
            ssl_options = pika.SSLOptions(_tls_context(ca_file, verify, cert_file, key_file, check_hostname), server_name or check['host'])
        params = pika.ConnectionParameters(
            host=check['host'], port=check['port'], virtual_host=vhost, credentials=pika.PlainCredentials(user, password),
            ssl_options=ssl_options, socket_timeout=timeout, stack_timeout=timeout, blocked_connection_timeout=timeout,
            connection_attempts=1, retry_delay=0, heartbeat=0,
            client_properties={'connection_name': 'scs-secure-connections-audit:amqp_check', 'product': 'scs.secure_connections audit'})
        conn = pika.BlockingConnection(params)
        conn.close()
        result['status'] = 'ok'
    except (pika_exc.ProbableAuthenticationError, pika_exc.AuthenticationError, pika_exc.ProbableAccessDeniedError) as exc:
        result['error'] = {'kind': 'auth', 'message': 'the broker refused the login of %s on vhost %s: %s' % (user, vhost, type(exc).__name__)}
    except pika_exc.AMQPError as exc:
        result['error'] = {'kind': 'amqp', 'message': 'AMQP login failed: %s: %s' % (type(exc).__name__, _shorten(str(exc), 300))}
    except (OSError, ssl.SSLError, ValueError) as exc:
        result['error'] = {'kind': 'internal', 'message': 'AMQP login failed: %s: %s' % (type(exc).__name__, _shorten(str(exc), 300))}
    return result
