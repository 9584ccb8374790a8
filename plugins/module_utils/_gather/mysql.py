# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""MySQL / MariaDB access for the database channel: connection, queries, TLS evidence.

Two ways to reach a server, one interface (``Backend.run(queries)``):

* ``PyMySQLBackend``: PyMySQL over a unix socket or TCP (optional library, imported lazily);
* ``ContainerBackend``: the ``mariadb``/``mysql`` client inside a container
  (``docker exec`` / ``podman exec``, kolla-ansible's ``mariadb`` container), output read in
  ``--batch --raw --skip-column-names`` form. The password travels in ``MYSQL_PWD`` of the exec's
  environment (``-e MYSQL_PWD`` passes the name only), never on a command line.

``gather(backend, ...)`` asks the questions of the database channel and returns the
``mysql_tls_info`` result. Connection problems never raise out of ``gather``: they become
``status: error`` with ``error: {kind, message}`` so an audit keeps going. Anything returned is
passed through ``mask_secrets`` with the login password as a known secret.

Least privilege: everything except the account list needs only a login (``USAGE``).
The account list needs ``SELECT ON mysql.global_priv`` (MariaDB >= 10.4) or
``SELECT ON mysql.user`` (MySQL, older MariaDB); without it the result says so in ``unreadable``.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import re
import socket
import ssl

from ansible_collections.scs.secure_connections.plugins.module_utils._core import command as _command
from ansible_collections.scs.secure_connections.plugins.module_utils._core import deadline as _deadline
from ansible_collections.scs.secure_connections.plugins.module_utils._core.requires import missing_library
from ansible_collections.scs.secure_connections.plugins.module_utils._core.secrets import mask_secrets
from ansible_collections.scs.secure_connections.plugins.module_utils._core.optional import OptionalLibrary
from ansible_collections.scs.secure_connections.plugins.module_utils._core.words import MYSQL, parse_bool
from ansible_collections.scs.secure_connections.plugins.module_utils._parsers.mycnf import galera_socket_tls  # noqa: F401 (re-exported)

PYMYSQL = OptionalLibrary('PyMySQL', 'pymysql')
pymysql, = PYMYSQL.deferred()   # imported on first use
HAS_PYMYSQL = PYMYSQL.flag()

# ssl_type: mysql.global_priv JSON stores a number (verified on MariaDB 10.11: CREATE USER ...
# REQUIRE NONE -> 0, SSL -> 1, X509 -> 2, SUBJECT/ISSUER/CIPHER -> 3; accounts made before any
# REQUIRE, e.g. root by mariadb-install-db, have no key at all); mysql.user shows the enum text.
SSL_TYPE_NAMES = {0: 'NONE', 1: 'ANY', 2: 'X509', 3: 'SPECIFIED'}
SSL_TYPE_TEXT = {'': 'NONE', 'NONE': 'NONE', 'ANY': 'ANY', 'SSL': 'ANY', 'X509': 'X509', 'SPECIFIED': 'SPECIFIED'}

# Server variables read (SHOW GLOBAL VARIABLES needs no privilege). Never wsrep_sst_auth:
# it holds the SST user's password.
TLS_VARIABLES = ('have_ssl', 'have_openssl', 'ssl_ca', 'ssl_capath', 'ssl_cert', 'ssl_key', 'ssl_cipher', 'ssl_crl', 'ssl_crlpath',
                 'tls_version', 'tls_ciphersuites', 'require_secure_transport', 'version_ssl_library')
OTHER_VARIABLES = ('port', 'bind_address', 'skip_networking', 'socket', 'version', 'version_comment')
WSREP_VARIABLES = ('wsrep_on', 'wsrep_provider', 'wsrep_provider_options', 'wsrep_sst_method', 'wsrep_ssl_mode',
                   'wsrep_cluster_name', 'wsrep_cluster_address', 'wsrep_node_address')
VARIABLES = TLS_VARIABLES + OTHER_VARIABLES + WSREP_VARIABLES
WSREP_STATUS = ('wsrep_ready', 'wsrep_cluster_size', 'wsrep_cluster_status', 'wsrep_local_state_comment')

# User names OpenStack deployment tools give service database accounts (kolla-ansible,
# OpenStack-Ansible, the install guides); used only when no service_accounts are passed.
KNOWN_SERVICE_USERS = {
    'aodh': 'aodh', 'barbican': 'barbican', 'blazar': 'blazar', 'ceilometer': 'ceilometer', 'cinder': 'cinder',
    'cloudkitty': 'cloudkitty', 'cyborg': 'cyborg', 'designate': 'designate', 'glance': 'glance', 'gnocchi': 'gnocchi',
    'heat': 'heat', 'horizon': 'horizon', 'ironic': 'ironic', 'ironic_inspector': 'ironic', 'keystone': 'keystone',
    'magnum': 'magnum', 'manila': 'manila', 'masakari': 'masakari', 'mistral': 'mistral', 'neutron': 'neutron',
    'nova': 'nova', 'nova_api': 'nova', 'nova_cell0': 'nova', 'octavia': 'octavia', 'placement': 'placement',
    'tacker': 'tacker', 'trove': 'trove', 'venus': 'venus', 'watcher': 'watcher', 'zun': 'zun',
}

ERROR_KINDS = ('auth', 'refused', 'timeout', 'dns', 'unreachable', 'not_mysql', 'tls', 'tls_required', 'privilege',
               'config', 'container', 'client', 'internal')

# MySQL / MariaDB error codes -> error kinds.
_CODE_KINDS = {
    1045: 'auth', 1044: 'privilege', 1142: 'privilege', 1143: 'privilege', 1227: 'privilege', 1370: 'privilege',
    1698: 'auth', 1251: 'auth', 1129: 'refused', 1130: 'refused', 1040: 'refused', 1203: 'refused',
    3159: 'tls_required', 4151: 'tls_required',
    2002: 'refused', 2003: 'refused', 2005: 'dns', 2006: 'refused', 2013: 'timeout', 2026: 'tls',
}


class MySQLAccessError(Exception):
    """The server could not be reached or asked; ``kind`` is one of ERROR_KINDS."""

    def __init__(self, kind, message):
        super(MySQLAccessError, self).__init__(message)
        self.kind = kind
        self.message = message


class QueryError(Exception):
    """One query failed (typically a missing privilege); the session is still usable."""

    def __init__(self, code, message):
        super(QueryError, self).__init__(message)
        self.code = code
        self.kind = _CODE_KINDS.get(code, 'internal') if code else 'internal'
        self.message = message


# ----------------------------------------------------------------------------------------------
# Small parsers (pure functions, unit-tested)

def parse_version(version, comment=''):
    """``('10.11.19-MariaDB-0+deb12u1', 'Debian 12')`` -> ``{'flavour': 'mariadb', 'number': '10.11.19', 'tuple': [10, 11, 19]}``."""
    text = '%s %s' % (version or '', comment or '')
    if 'mariadb' in text.lower():
        flavour = 'mariadb'
    elif 'percona' in text.lower():
        flavour = 'percona'
    elif version:
        flavour = 'mysql'
    else:
        flavour = None
    match = re.search(r'(\d+)\.(\d+)(?:\.(\d+))?', version or '')
    numbers = [int(g) for g in match.groups() if g is not None] if match else []
    # MariaDB 10.x behind old replication prefix "5.5.5-10.11.2-MariaDB"
    if flavour == 'mariadb' and numbers[:2] == [5, 5]:
        later = re.search(r'5\.5\.5-(\d+)\.(\d+)(?:\.(\d+))?', version or '')
        if later:
            numbers = [int(g) for g in later.groups() if g is not None]
    return {'flavour': flavour, 'number': '.'.join(str(n) for n in numbers) or None, 'tuple': numbers}


def ssl_type_name(value):
    """Normalise ssl_type from mysql.global_priv JSON (number, or absent) or mysql.user (enum text)."""
    if value is None:
        return 'NONE'
    if isinstance(value, bytes):
        value = value.decode('utf-8', 'replace')
    if isinstance(value, bool):
        return 'UNKNOWN'
    if isinstance(value, int):
        return SSL_TYPE_NAMES.get(value, 'UNKNOWN')
    text = str(value).strip()
    if text.upper() == 'NULL':
        return 'NONE'
    if re.match(r'^\d+$', text):
        return SSL_TYPE_NAMES.get(int(text), 'UNKNOWN')
    return SSL_TYPE_TEXT.get(text.upper(), 'UNKNOWN')


def parse_tls_versions(value):
    """``'TLSv1.2,TLSv1.3'`` -> ``['TLSv1.2', 'TLSv1.3']``; empty / None -> []."""
    if not value:
        return []
    return [item.strip() for item in str(value).split(',') if item.strip()]


def parse_wsrep_provider_options(text):
    """``'base_port = 4567; socket.ssl = YES; socket.ssl_cert = /c.pem; '`` -> dict.

    Accepts the server's ``SHOW VARIABLES`` form (``key = value;`` pairs) and my.cnf form
    (``key=value;key=value``). Keys keep their case; values are stripped strings.
    """
    out = {}
    for item in str(text or '').split(';'):
        item = item.strip()
        if not item:
            continue
        key, sep, value = item.partition('=')
        key = key.strip()
        if not key:
            continue
        out[key] = value.strip() if sep else ''
    return out


def account_name(user, host):
    return "'%s'@'%s'" % (str(user).replace("'", "\\'"), str(host).replace("'", "\\'"))


def normalize_service_accounts(items):
    """Validate the ``service_accounts`` option: list of ``{user, host?, service}``."""
    out = []
    for index, item in enumerate(items or []):
        if not isinstance(item, dict) or not item.get('user'):
            raise ValueError('service_accounts[%d] must be a mapping with a non-empty "user"' % index)
        out.append({'user': str(item['user']), 'host': str(item['host']) if item.get('host') not in (None, '') else None,
                    'service': str(item.get('service') or item['user'])})
    return out


def match_service_accounts(accounts, service_accounts, guess=True):
    """Mark ``accounts`` with the OpenStack services using them; return the service_accounts report.

    ``service_accounts``: ``[{user, host (account host pattern or None = any), service}]``. Without
    any, and with ``guess``, accounts whose user name is a known OpenStack service user are marked
    (``service_match: name``).
    """
    report = []
    for account in accounts:
        account.setdefault('services', [])
        account.setdefault('service_match', None)
    if service_accounts:
        for wanted in service_accounts:
            matched = [a for a in accounts if a['user'] == wanted['user'] and (wanted['host'] is None or a['host'] == wanted['host'])]
            for account in matched:
                if wanted['service'] not in account['services']:
                    account['services'].append(wanted['service'])
                account['service_match'] = 'declared'
            report.append({'user': wanted['user'], 'host': wanted['host'], 'service': wanted['service'], 'found': bool(matched),
                           'accounts': [account_name(a['user'], a['host']) for a in matched]})
    elif guess:
        for account in accounts:
            service = KNOWN_SERVICE_USERS.get(account['user'])
            if service and not account.get('role'):
                account['services'] = [service]
                account['service_match'] = 'name'
    return report


# ----------------------------------------------------------------------------------------------
# Error handling

def classify_exception(exc):
    """(kind, message) for an exception raised while connecting or querying."""
    if isinstance(exc, MySQLAccessError):
        return exc.kind, exc.message
    chain = []
    current = exc
    while current is not None and len(chain) < 5:
        chain.append(current)
        current = getattr(current, 'original_exception', None) or current.__cause__ or current.__context__
    args = getattr(exc, 'args', ())
    code = args[0] if args and isinstance(args[0], int) else None
    message = str(args[1]) if len(args) > 1 else str(exc)
    for item in chain:
        if isinstance(item, ssl.SSLError):
            return 'tls', 'TLS handshake failed: %s' % item
    lowered = message.lower()
    if 'certificate verify failed' in lowered or (code == 2026) or (code is None and 'ssl' in lowered):
        return 'tls', message
    if code in (2003, 2002, 2006):
        if 'timed out' in lowered:
            return 'timeout', message
        if 'name or service not known' in lowered or 'nodename nor servname' in lowered or 'temporary failure in name resolution' in lowered:
            return 'dns', message
        if 'no route to host' in lowered or 'network is unreachable' in lowered:
            return 'unreachable', message
        return 'refused', message
    if code in _CODE_KINDS:
        return _CODE_KINDS[code], message
    if code is not None and 'insecure transport' in lowered:
        return 'tls_required', message
    if HAS_PYMYSQL and isinstance(exc, (pymysql.err.InternalError, pymysql.err.ProgrammingError)) and code is None:
        return 'not_mysql', message
    if isinstance(exc, (socket.timeout,)):
        return 'timeout', str(exc) or 'timed out'
    return 'internal', '%s: %s' % (type(exc).__name__, message)


def describe_port(host, port, timeout):
    """What ``host:port`` says right after connecting: MySQL greets first, HTTP and others do not.

    Returns ``(kind, message)`` when the port is clearly not a MySQL server, else None.
    """
    limit = _deadline.Deadline(timeout, 'the look at %s:%s' % (host, port))
    try:
        sock = _deadline.connect(host, port, limit)
    except (OSError, ValueError):
        return None
    try:
        try:
            data = _deadline.recv(sock, limit, 512)
        except socket.timeout:
            return ('timeout', '%s:%s accepted the connection but sent no MySQL greeting within %ss '
                               '(a MySQL server greets at once: is this a MySQL port?)' % (host, port, timeout))
        except OSError:
            return None
    finally:
        sock.close()
    if not data:
        return ('not_mysql', '%s:%s closed the connection without a MySQL greeting' % (host, port))
    if len(data) >= 5 and data[3] == 0 and data[4] in (10, 9, 0xff):
        return None  # a MySQL handshake or error packet: the original error stands
    excerpt = re.sub(r'[^\x20-\x7e]', '.', data[:40].decode('latin-1'))
    return ('not_mysql', '%s:%s is not a MySQL server: it sent %r instead of a MySQL handshake' % (host, port, excerpt))


# ----------------------------------------------------------------------------------------------
# Backends

class PyMySQLBackend(object):
    """PyMySQL connection built from the common argument spec's parameters."""

    method = 'pymysql'

    def __init__(self, params):
        self.params = params
        self.conn = None
        self.secrets = [params.get('login_password')]
        self.transport = 'socket' if params.get('login_unix_socket') else 'tcp'
        self.plain = False
        self.deadline = None

    def _bounded(self, fn, *args):
        """``fn(*args)`` within the overall deadline of the whole PyMySQL conversation (connect, TLS,
        login, queries: 3 x connect_timeout); PyMySQL's connect/read/write timeouts bound each socket
        operation, this bounds a server that trickles its answers."""
        if self.deadline is None:
            timeout = int(self.params.get('connect_timeout') or 10)
            self.deadline = _deadline.Deadline(3 * max(1, timeout), 'the MySQL conversation')
        try:
            return _deadline.call(fn, self.deadline, *args)
        except _deadline.DeadlineExceeded:
            raise MySQLAccessError('timeout', '%s (the server answers too slowly or trickles its answers)' % self.deadline.message())

    def _ssl_context(self, mode):
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        if mode in ('verify_ca', 'verify_identity'):
            if not self.params.get('ca_cert'):
                raise MySQLAccessError('config', 'ssl_mode=%s needs ca_cert' % mode)
            ctx.load_verify_locations(cafile=self.params['ca_cert'])
            ctx.check_hostname = mode == 'verify_identity'
            ctx.verify_mode = ssl.CERT_REQUIRED
        else:
            ctx.check_hostname = False
            ctx.verify_mode = ssl.CERT_NONE
        if self.params.get('client_cert'):
            ctx.load_cert_chain(self.params['client_cert'], self.params.get('client_key'))
        return ctx

    def _config_file_password(self, path):
        """The password in the option file, only to mask it should a message ever echo it."""
        try:
            from configparser import RawConfigParser  # pylint: disable=import-outside-toplevel
            parser = RawConfigParser(allow_no_value=True, strict=False)
            parser.read(path)
            for section in ('client', 'client-server', 'client-mariadb', 'mysql'):
                if parser.has_option(section, 'password'):
                    value = (parser.get(section, 'password') or '').strip().strip('"\'')
                    if value:
                        self.secrets.append(value)
        except Exception:  # pylint: disable=broad-except
            # only a help for masking: an unparsable file is PyMySQL's problem to report
            pass

    def connect(self):
        return self._bounded(self._connect)

    def _connect(self):
        if not HAS_PYMYSQL:
            raise MySQLAccessError('client', missing_library(
                'PyMySQL', alternative='use the database client inside the database container (option container)')['message'])
        params = self.params
        timeout = int(params.get('connect_timeout') or 10)
        if timeout < 1:
            raise MySQLAccessError('config', 'connect_timeout must be at least 1 second')
        kwargs = dict(connect_timeout=timeout, read_timeout=timeout, write_timeout=timeout, autocommit=True, charset='utf8mb4')
        config_file = params.get('login_config_file')
        if config_file:
            if not os.path.isfile(config_file) or not os.access(config_file, os.R_OK):
                raise MySQLAccessError('config', 'login_config_file %s does not exist or is not readable' % config_file)
            self._config_file_password(config_file)
            kwargs.update(read_default_file=config_file, read_default_group='client')
        if params.get('login_user') is not None:
            kwargs['user'] = params['login_user']
        elif not config_file:
            kwargs['user'] = 'root'
        if params.get('login_password') is not None:
            kwargs['password'] = params['login_password']
        if params.get('login_unix_socket'):
            kwargs['unix_socket'] = params['login_unix_socket']
        else:
            kwargs['host'] = params.get('login_host') or 'localhost'
            kwargs['port'] = int(params.get('login_port') or 3306)
        mode = params.get('ssl_mode') or 'preferred'
        try:
            if mode == 'disabled' or self.transport == 'socket':
                kwargs.update(_plain_kwargs())
                self.plain = True
            else:
                kwargs['ssl'] = self._ssl_context(mode)
        except (IOError, OSError, ValueError) as exc:
            raise MySQLAccessError('config', 'cannot load TLS files for the connection: %s' % exc)
        try:
            try:
                self.conn = pymysql.connect(**kwargs)
            except pymysql.err.OperationalError as exc:
                # PREFERRED: the server offers no TLS -> connect in plain text, as mysql --ssl-mode=PREFERRED does.
                if mode == 'preferred' and exc.args and exc.args[0] == 2026 and "doesn't support" in str(exc):
                    kwargs.pop('ssl', None)
                    kwargs.update(_plain_kwargs())
                    self.plain = True
                    self.conn = pymysql.connect(**kwargs)
                else:
                    raise
        except Exception as exc:  # pylint: disable=broad-except
            # every failure becomes an error result
            kind, message = classify_exception(exc)
            if kind in ('timeout', 'not_mysql', 'internal') and 'host' in kwargs:
                described = describe_port(kwargs['host'], kwargs['port'], min(timeout, 5))
                if described:
                    kind, message = described
            where = ('%s:%s' % (kwargs['host'], kwargs['port'])) if 'host' in kwargs else kwargs.get('unix_socket')
            if where and where not in message:
                message = '%s: %s' % (where, message)
            if kind == 'auth' and self.plain and self.transport == 'tcp':
                message += (' (this login was not encrypted: a server with require_secure_transport=ON or an account with '
                            'REQUIRE SSL also refuses a plain-text login this way)')
            raise MySQLAccessError(kind, message)

    def run(self, queries):
        """``[(name, sql)]`` -> ``{name: rows | QueryError}``; rows are tuples of str / None."""
        if self.conn is None:
            self.connect()
        return self._bounded(self._run, queries)

    def _run(self, queries):
        out = {}
        for name, sql in queries:
            try:
                with self.conn.cursor() as cur:
                    cur.execute(sql)
                    out[name] = [tuple(_text(v) for v in row) for row in cur.fetchall()]
            except pymysql.err.MySQLError as exc:
                code = exc.args[0] if exc.args and isinstance(exc.args[0], int) else None
                if code in (2006, 2013, 2014):
                    kind, message = classify_exception(exc)
                    raise MySQLAccessError(kind, message)
                out[name] = QueryError(code, str(exc.args[1]) if len(exc.args) > 1 else str(exc))
        return out

    def close(self):
        if self.conn is not None:
            try:
                self.conn.close()
            except Exception:  # pylint: disable=broad-except
                pass
            self.conn = None


def _plain_kwargs():
    """Connection arguments for a deliberately plain-text connection.

    PyMySQL >= 1.2 uses TLS whenever the server offers it and needs ``ssl_disabled=True`` to
    stay plain; older versions never start TLS without ``ssl`` options (and may lack the argument).
    """
    try:
        import inspect  # pylint: disable=import-outside-toplevel
        if 'ssl_disabled' in inspect.signature(pymysql.connections.Connection.__init__).parameters:
            return {'ssl_disabled': True}
    except (TypeError, ValueError, AttributeError):
        return {'ssl_disabled': True}
    return {}


def _text(value):
    if value is None:
        return None
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).decode('utf-8', 'replace')
    return str(value)


def module_runner(module):
    """A runner for :class:`ContainerBackend`: ``(argv, env_update, timeout) -> (rc, stdout, stderr)``
    through ``_core.command`` (``module.run_command``, ``LC_ALL=C``); rc None on timeout."""
    def runner(argv, env_update=None, timeout=60):
        res = _command.run(module, argv, env=env_update, timeout=timeout)
        if res.timed_out:
            return None, '', 'timed out after %ss' % timeout
        if res.error:
            return 127, '', res.error
        if res.truncated:
            return 1, '', 'the client printed more than %d bytes' % _command.MAX_OUTPUT
        return res.rc, res.stdout, res.stderr
    return runner


_CLIENT_ERROR = re.compile(r'^ERROR (?P<code>\d+) \((?P<state>[0-9A-Z]+)\)(?: at line (?P<line>\d+))?: (?P<message>.*)$', re.MULTILINE)
_CLIENT_ERROR_NOSTATE = re.compile(r'^ERROR (?P<code>\d+)(?: \([0-9A-Z]+\))?(?: at line (?P<line>\d+))?: (?P<message>.*)$', re.MULTILINE)
MARKER = 'scs-mysql-tls-info:'


def build_client_script(queries):
    """One ``-e`` script: a marker row before each query, each on its own line.

    Line 2*i+1 is the marker of query i, line 2*i+2 the query, so the client's
    ``ERROR ... at line N`` names the query that failed.
    """
    lines = []
    for index, (_name, sql) in enumerate(queries):
        lines.append("SELECT '%s%d';" % (MARKER, index))
        lines.append(sql.strip().rstrip(';') + ';')
    return '\n'.join(lines)


def parse_client_output(queries, stdout):
    """Split ``--batch --raw --skip-column-names`` output into ``{name: rows}`` by the marker rows.

    Only queries whose marker was seen get an entry. ``NULL`` becomes None.
    """
    out = {}
    current = None
    for line in stdout.splitlines():
        if line.startswith(MARKER) and line[len(MARKER):].isdigit():
            index = int(line[len(MARKER):])
            if 0 <= index < len(queries):
                current = queries[index][0]
                out[current] = []
                continue
        if current is None:
            continue
        out[current].append(tuple(None if cell == 'NULL' else cell for cell in line.split('\t')))
    return out


def parse_client_error(stderr):
    """``(code, line, message)`` of the first ``ERROR`` line of the mysql client, or None."""
    match = _CLIENT_ERROR.search(stderr or '') or _CLIENT_ERROR_NOSTATE.search(stderr or '')
    if not match:
        return None
    return int(match.group('code')), (int(match.group('line')) if match.group('line') else None), match.group('message').strip()


class ContainerBackend(object):
    """The database client inside a container (kolla's ``mariadb``), via docker/podman exec.

    ``runner(argv, env_update, timeout) -> (rc, stdout, stderr)``; ``which(name) -> path or None``
    (both injectable for tests).
    """

    method = 'container'

    def __init__(self, params, runner=None, which=None, module=None):
        self.params = params
        self.runner = runner or module_runner(module)
        self.which = which or _command.find_executable
        self.secrets = [params.get('login_password')]
        self.engine = None
        self.transport = 'tcp' if params.get('login_host') not in (None, '', 'localhost') and not params.get('login_unix_socket') else 'socket'

    def _engine(self):
        wanted = self.params.get('container_engine') or 'auto'
        for name in (('docker', 'podman') if wanted == 'auto' else (wanted,)):
            path = self.which(name)
            if path:
                self.engine = name
                return path
        raise MySQLAccessError('container', 'no container engine found (%s)' % ('docker or podman' if wanted == 'auto' else wanted))

    def argv(self, engine_path, script):
        params = self.params
        client = params.get('container_client') or 'mariadb'
        argv = [engine_path, 'exec']
        if params.get('login_password') is not None:
            argv += ['-e', 'MYSQL_PWD']
        argv += [params['container'], client]
        if params.get('login_config_file'):
            argv.append('--defaults-file=%s' % params['login_config_file'])
        else:
            argv.append('--no-defaults')
        if params.get('login_user') is not None:
            argv.append('--user=%s' % params['login_user'])
        elif not params.get('login_config_file'):
            argv.append('--user=root')
        if params.get('login_unix_socket'):
            argv += ['--protocol=SOCKET', '--socket=%s' % params['login_unix_socket']]
        elif params.get('login_host') not in (None, '', 'localhost'):
            argv += ['--protocol=TCP', '--host=%s' % params['login_host'], '--port=%d' % int(params.get('login_port') or 3306)]
        argv.append('--connect-timeout=%d' % int(params.get('connect_timeout') or 10))
        argv += self._ssl_args(client)
        argv += ['--batch', '--raw', '--skip-column-names', '-e', script]
        return argv

    def _ssl_args(self, client):
        mode = self.params.get('ssl_mode') or 'preferred'
        args = []
        if client == 'mysql':  # Oracle MySQL client syntax
            args.append('--ssl-mode=%s' % mode.upper())
            if self.params.get('ca_cert'):
                args.append('--ssl-ca=%s' % self.params['ca_cert'])
        else:  # MariaDB client: --ssl / --skip-ssl, --ssl-verify-server-cert checks CA and host name
            if mode == 'disabled':
                args.append('--skip-ssl')
            elif mode == 'required':
                args.append('--ssl')
            elif mode in ('verify_ca', 'verify_identity'):
                args += ['--ssl', '--ssl-verify-server-cert']
                if self.params.get('ca_cert'):
                    args.append('--ssl-ca=%s' % self.params['ca_cert'])
        if mode != 'disabled':
            if self.params.get('client_cert'):
                args.append('--ssl-cert=%s' % self.params['client_cert'])
            if self.params.get('client_key'):
                args.append('--ssl-key=%s' % self.params['client_key'])
        return args

    def _exec(self, engine_path, queries):
        env = {}
        if self.params.get('login_password') is not None:
            env['MYSQL_PWD'] = self.params['login_password']
        timeout = int(self.params.get('connect_timeout') or 10) + 30
        return self.runner(self.argv(engine_path, build_client_script(queries)), env, timeout)

    def run(self, queries):
        engine_path = self._engine()
        out = {}
        pending = list(queries)
        while pending:
            rc, stdout, stderr = self._exec(engine_path, pending)
            results = parse_client_output(pending, stdout)
            out.update(results)
            if rc == 0:
                for name, _sql in pending:
                    out.setdefault(name, [])
                return out
            if rc is None:
                raise MySQLAccessError('timeout', '%s exec into container %s did not finish: %s' % (self.engine, self.params['container'], stderr.strip()))
            parsed = parse_client_error(stderr)
            if parsed is None:
                raise MySQLAccessError('container', _container_message(self.engine, self.params['container'], rc, stderr))
            code, line, message = parsed
            if line is None or not results:
                # the client never ran a query: a connection-level error
                kind = _CODE_KINDS.get(code, 'internal')
                if code in (2002, 2003) and 'timed out' in message.lower():
                    kind = 'timeout'
                if code == 2013 or (code == 2026 and 'handshake' in message.lower()):
                    kind = 'timeout' if 'timed out' in message.lower() or 'system error: 11' in message.lower() else 'not_mysql'
                raise MySQLAccessError(kind, 'ERROR %d: %s' % (code, message))
            index = (line - 2) // 2 if line % 2 == 0 else len(results) - 1
            if index < 0 or index >= len(pending):
                raise MySQLAccessError('internal', 'client error at unexpected line %s: ERROR %d: %s' % (line, code, message))
            failed_name = pending[index][0]
            out[failed_name] = QueryError(code, message)
            pending = pending[index + 1:]
        return out

    def close(self):
        pass


def _container_message(engine, container, rc, stderr):
    text = (stderr or '').strip().splitlines()
    first = text[-1] if text else 'no message'
    lowered = (stderr or '').lower()
    if 'no such container' in lowered or 'no container with name' in lowered:
        return 'container %s does not exist (%s)' % (container, first)
    if 'executable file not found' in lowered or 'not found in $path' in lowered or rc in (126, 127):
        return 'the database client is not available in container %s (%s)' % (container, first)
    if 'is not running' in lowered:
        return 'container %s is not running (%s)' % (container, first)
    return '%s exec into %s failed with exit code %s: %s' % (engine, container, rc, first)


def make_backend(params, runner=None, which=None, module=None):
    if params.get('container'):
        return ContainerBackend(params, runner=runner, which=which, module=module)
    return PyMySQLBackend(params)


# ----------------------------------------------------------------------------------------------
# The gatherer

def _in_list(names):
    return ', '.join("'%s'" % n for n in names)


QUERY_IDENTITY = 'SELECT VERSION(), @@version_comment, CURRENT_USER()'
QUERY_VARIABLES = 'SHOW GLOBAL VARIABLES WHERE Variable_name IN (%s)' % _in_list(VARIABLES)
QUERY_SESSION = "SHOW SESSION STATUS WHERE Variable_name IN ('Ssl_version', 'Ssl_cipher')"
QUERY_WSREP_STATUS = 'SHOW GLOBAL STATUS WHERE Variable_name IN (%s)' % _in_list(WSREP_STATUS)
# Only the columns needed: never the authentication_string (password hash).
QUERY_GLOBAL_PRIV = ("SELECT User, Host, JSON_VALUE(Priv, '$.ssl_type'), JSON_VALUE(Priv, '$.ssl_cipher'), "
                     "JSON_VALUE(Priv, '$.x509_issuer'), JSON_VALUE(Priv, '$.x509_subject'), JSON_VALUE(Priv, '$.plugin'), "
                     "JSON_VALUE(Priv, '$.account_locked'), JSON_VALUE(Priv, '$.is_role') FROM mysql.global_priv ORDER BY User, Host")
QUERY_USER = 'SELECT User, Host, ssl_type, ssl_cipher, x509_issuer, x509_subject, plugin FROM mysql.user ORDER BY User, Host'

GRANT_HINT = {
    'mysql.global_priv': 'GRANT SELECT ON mysql.global_priv TO <audit user>',
    'mysql.user': 'GRANT SELECT ON mysql.user TO <audit user>',
}


def _accounts_from_global_priv(rows):
    accounts = []
    for row in rows:
        row = tuple(_text(v) for v in row) + (None,) * (9 - len(row))
        user, host, ssl_type, cipher, issuer, subject, plugin, locked, is_role = row[:9]
        accounts.append({'user': user, 'host': host, 'ssl_type': ssl_type_name(ssl_type),
                         'ssl_type_raw': ssl_type, 'ssl_cipher': cipher or '', 'x509_issuer': issuer or '',
                         'x509_subject': subject or '', 'plugin': plugin, 'locked': parse_bool(locked, MYSQL, invalid=None) or False,
                         'role': parse_bool(is_role, MYSQL, invalid=None) or False})
    return accounts


def _accounts_from_user(rows):
    accounts = []
    for row in rows:
        row = tuple(_text(v) for v in row) + (None,) * (7 - len(row))
        user, host, ssl_type, cipher, issuer, subject, plugin = row[:7]
        accounts.append({'user': user, 'host': host, 'ssl_type': ssl_type_name(ssl_type), 'ssl_type_raw': ssl_type,
                         'ssl_cipher': cipher or '', 'x509_issuer': issuer or '', 'x509_subject': subject or '',
                         'plugin': plugin, 'locked': False, 'role': False})
    return accounts


def empty_result(backend_params=None, label=None):
    params = backend_params or {}
    return {
        'status': 'ok',
        'error': None,
        'label': label,
        'connection': connection_summary(params),
        'server': None,
        'current_user': None,
        'have_ssl': None,
        'ssl': {},
        'tls_version': None,
        'tls_versions': [],
        'require_secure_transport': None,
        'port': None,
        'bind_address': None,
        'skip_networking': None,
        'session': None,
        'accounts': None,
        'accounts_source': None,
        'service_accounts': [],
        'galera': None,
        'unreadable': [],
        'variables': {},
    }


def connection_summary(params):
    if params.get('container'):
        method = 'container'
    elif params.get('login_unix_socket'):
        method = 'socket'
    else:
        method = 'tcp'
    return {
        'method': method,
        'host': None if params.get('login_unix_socket') else params.get('login_host'),
        'port': None if params.get('login_unix_socket') else params.get('login_port'),
        'unix_socket': params.get('login_unix_socket'),
        'container': params.get('container'),
        'user': params.get('login_user'),
        'config_file': params.get('login_config_file'),
        'ssl_mode': params.get('ssl_mode') or 'preferred',
    }


def gather(backend, params, service_accounts=None, guess_service_accounts=True, label=None):
    """Ask the server everything the database channel needs; never raises for server problems."""
    result = empty_result(params, label)
    secrets = [s for s in getattr(backend, 'secrets', []) if s]
    try:
        service_accounts = normalize_service_accounts(service_accounts)
    except ValueError as exc:
        result.update(status='error', error={'kind': 'config', 'message': str(exc)})
        return mask_secrets(result, extra_values=secrets)
    try:
        _gather(backend, result, service_accounts, guess_service_accounts)
    except MySQLAccessError as exc:
        result.update(status='error', error={'kind': exc.kind, 'message': exc.message})
    except Exception as exc:  # pylint: disable=broad-except
        # never a traceback, never a secret
        kind, message = classify_exception(exc)
        result.update(status='error', error={'kind': kind, 'message': message})
    finally:
        backend.close()
    secrets = [s for s in getattr(backend, 'secrets', []) if s]
    return mask_secrets(result, extra_values=secrets)


def _name_values(rows):
    """``SHOW VARIABLES`` / ``SHOW STATUS`` rows -> ``{lower-case name: value}``."""
    return dict((row[0].lower(), row[1] if len(row) > 1 else None) for row in rows or [] if row)


def _server(first, result):
    """Identity and server variables into ``result``; ``(identity, version, variables)``."""
    for name in ('identity', 'variables'):
        if isinstance(first.get(name), QueryError):
            err = first[name]
            raise MySQLAccessError('not_mysql' if err.code in (1064,) else err.kind,
                                   'the server did not answer %s: ERROR %s: %s' % (name, err.code, err.message))
    identity = (first.get('identity') or [(None, None, None)])[0]
    identity = tuple(identity) + (None,) * (3 - len(identity))
    version = parse_version(identity[0], identity[1])
    result['server'] = {'version': identity[0], 'version_comment': identity[1], 'flavour': version['flavour'],
                        'version_number': version['number']}
    result['current_user'] = identity[2]
    variables = _name_values(first.get('variables'))
    result['variables'] = variables
    result['have_ssl'] = (variables.get('have_ssl') or '').upper() or None
    result['ssl'] = dict((name, variables.get(name)) for name in TLS_VARIABLES if name.startswith('ssl_') or name == 'version_ssl_library')
    result['tls_version'] = variables.get('tls_version')
    result['tls_versions'] = parse_tls_versions(variables.get('tls_version'))
    result['require_secure_transport'] = parse_bool(variables.get('require_secure_transport'), MYSQL, invalid=None)
    if 'require_secure_transport' not in variables:
        result['unreadable'].append({'what': 'require_secure_transport', 'reason': 'the server has no such variable (MariaDB < 10.5 or MySQL < 5.7)'})
    result['port'] = int(variables['port']) if str(variables.get('port') or '').isdigit() else None
    result['bind_address'] = variables.get('bind_address')
    result['skip_networking'] = parse_bool(variables.get('skip_networking'), MYSQL, invalid=None)
    return identity, version, variables


def _session(session, backend, result):
    """TLS of this very connection (``SHOW SESSION STATUS LIKE 'Ssl_%'``)."""
    if isinstance(session, QueryError):
        result['session'] = None
        result['unreadable'].append({'what': 'session TLS status', 'reason': 'ERROR %s: %s' % (session.code, session.message)})
        return
    status = _name_values(session)
    ssl_version = status.get('ssl_version') or None
    result['session'] = {'transport': getattr(backend, 'transport', None), 'tls': bool(ssl_version),
                         'ssl_version': ssl_version, 'ssl_cipher': status.get('ssl_cipher') or None}


def _galera(variables, wsrep_status, result):
    """Galera cluster settings and group-communication TLS, when the server has wsrep."""
    wstatus = {} if isinstance(wsrep_status, QueryError) else _name_values(wsrep_status)
    provider = variables.get('wsrep_provider')
    wsrep_on = parse_bool(variables.get('wsrep_on'), MYSQL, invalid=None)
    if not ('wsrep_on' in variables or provider):
        return
    options = parse_wsrep_provider_options(variables.get('wsrep_provider_options'))
    enabled = bool(wsrep_on) and bool(provider) and provider.lower() != 'none'
    result['galera'] = {
        'wsrep_on': wsrep_on,
        'provider': provider,
        'enabled': enabled,
        'cluster_name': variables.get('wsrep_cluster_name'),
        'cluster_address': variables.get('wsrep_cluster_address'),
        'cluster_size': int(wstatus['wsrep_cluster_size']) if str(wstatus.get('wsrep_cluster_size') or '').isdigit() else None,
        'cluster_status': wstatus.get('wsrep_cluster_status'),
        'provider_options': options,
        'socket_tls': galera_socket_tls(options) if enabled else None,
        'ssl_mode': variables.get('wsrep_ssl_mode'),
        'sst_method': variables.get('wsrep_sst_method'),
        'sst': {'readable': False,
                'reason': 'the SST script reads its TLS options ([sst] ssl-ca/ssl-cert/ssl-key/ssl-mode, tca/tcert/tkey, encrypt) '
                          'from my.cnf; they are not server variables'},
    }
    if enabled:
        result['unreadable'].append({'what': 'Galera SST TLS settings', 'reason': result['galera']['sst']['reason']})


def _gather(backend, result, service_accounts, guess):
    first = backend.run([('identity', QUERY_IDENTITY), ('variables', QUERY_VARIABLES), ('session', QUERY_SESSION),
                         ('wsrep_status', QUERY_WSREP_STATUS)])
    identity, version, variables = _server(first, result)
    _session(first.get('session'), backend, result)
    _galera(variables, first.get('wsrep_status'), result)

    # Accounts
    accounts = None
    numbers = [int(n) for n in (version['number'] or '0').split('.') if n.isdigit()]
    sources = ['mysql.user']
    if version['flavour'] == 'mariadb' and numbers[:2] >= [10, 4]:
        sources = ['mysql.global_priv', 'mysql.user']
    denied = []
    for source in sources:
        sql = QUERY_GLOBAL_PRIV if source == 'mysql.global_priv' else QUERY_USER
        rows = backend.run([(source, sql)]).get(source)
        if isinstance(rows, QueryError):
            denied.append('%s: ERROR %s: %s' % (source, rows.code, rows.message))
            continue
        accounts = _accounts_from_global_priv(rows) if source == 'mysql.global_priv' else _accounts_from_user(rows)
        result['accounts_source'] = source
        break
    if accounts is None:
        hint = ' or '.join(GRANT_HINT[s] for s in sources)
        result['unreadable'].append({'what': 'accounts', 'reason': '%s (as %s; needed: %s)' % ('; '.join(denied), identity[2], hint)})
        result['service_accounts'] = [{'user': s['user'], 'host': s['host'], 'service': s['service'], 'found': None, 'accounts': []}
                                      for s in service_accounts]
    else:
        accounts = [a for a in accounts if not a.get('role')]
        result['service_accounts'] = match_service_accounts(accounts, service_accounts, guess=guess)
        result['accounts'] = accounts
