# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A real MariaDB server on 127.0.0.1 in a temp dir, for the demo and the integration tests.

    db = start_mariadb('/tmp/x/db', tls=True)             # throw-away CA + server cert made here
    db.create_account('nova', 'pw', require='SSL')        # '' | 'SSL' | 'X509' | "SUBJECT '/CN=x'"
    db.host, db.port, db.socket, db.root_password, db.ca  # ca: path of the CA PEM (None without TLS)
    db.stop()

``galera=True`` bootstraps a one-node Galera cluster (wsrep provider from the ``galera-4``
package); ``galera_ssl=True`` adds ``socket.ssl_*`` to ``wsrep_provider_options``.
A data directory made by ``mariadb-install-db`` is cached per process and copied for each
server (install takes ~2 s, a copy ~0.05 s).
"""

from __future__ import absolute_import, division, print_function

import atexit
import os
import secrets
import shutil
import subprocess
import tempfile
import time

from lab.pki import CA
from lab.proc import LabError, Process, free_port
from lab.tls_servers import _webpki_leaf  # lab.pki leaves lack the AKI a WebPKI verifier needs

# Mozilla "intermediate" (guidelines 5.7) TLS <= 1.2 suites in OpenSSL names; TLS 1.3 keeps OpenSSL's defaults (all allowed).
INTERMEDIATE_CIPHERS = ('ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:'
                        'ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:'
                        'DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384:DHE-RSA-CHACHA20-POLY1305')
# MariaDB has no setting for key exchange groups: an OpenSSL configuration for the server process limits them.
OPENSSL_GROUPS_CNF = """openssl_conf = openssl_init
[openssl_init]
ssl_conf = ssl_sect
[ssl_sect]
system_default = system_default_sect
[system_default_sect]
Groups = X25519:P-256:P-384
"""

GALERA_PROVIDERS = ('/usr/lib/galera/libgalera_smm.so', '/usr/lib/libgalera_smm.so', '/usr/lib64/galera-4/libgalera_smm.so')

_TEMPLATE = {}


def binaries():
    """Paths of (server, install-db, admin) or None when MariaDB is not installed."""
    names = (('mariadbd', 'mysqld'), ('mariadb-install-db', 'mysql_install_db'), ('mariadb-admin', 'mysqladmin'))
    found = []
    for candidates in names:
        path = None
        for name in candidates:
            path = shutil.which(name) or shutil.which(name, path='/usr/sbin:/usr/bin:/usr/local/sbin:/usr/local/bin')
            if path:
                break
        if not path:
            return None
        found.append(path)
    return tuple(found)


def client_binary():
    return shutil.which('mariadb') or shutil.which('mysql')


def galera_provider():
    for path in GALERA_PROVIDERS:
        if os.path.exists(path):
            return path
    return None


def _base_options(datadir, socket_path, pid_file, log_error, port):
    return [
        ('datadir', datadir),
        ('socket', socket_path),
        ('pid-file', pid_file),
        ('port', str(port)),
        ('bind-address', '127.0.0.1'),
        ('log-error', log_error),
        ('user', 'root'),
        ('skip-name-resolve', None),
        ('innodb_buffer_pool_size', '16M'),
        ('innodb_log_file_size', '8M'),
        ('performance_schema', 'OFF'),
        ('skip-log-bin', None),
    ]


def _write_cnf(path, options):
    lines = ['[mariadbd]']
    for key, value in options:
        lines.append(key if value is None else '%s = %s' % (key, value))
    with open(path, 'w') as handle:
        handle.write('\n'.join(lines) + '\n')


def _template_datadir():
    """A pristine data directory (root@localhost without password), made once per process."""
    if 'dir' in _TEMPLATE and os.path.isdir(_TEMPLATE['dir']):
        return _TEMPLATE['dir']
    bins = binaries()
    if not bins:
        raise LabError('MariaDB is not installed (mariadbd / mariadb-install-db not found)')
    base = tempfile.mkdtemp(prefix='scs-mariadb-template-')
    atexit.register(shutil.rmtree, base, True)
    datadir = os.path.join(base, 'data')
    cnf = os.path.join(base, 'my.cnf')
    _write_cnf(cnf, _base_options(datadir, os.path.join(base, 'sock'), os.path.join(base, 'pid'), os.path.join(base, 'err.log'), 3306))
    cmd = [bins[1], '--defaults-file=%s' % cnf, '--auth-root-authentication-method=normal', '--skip-test-db']
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, timeout=300, check=False)
    if proc.returncode != 0:
        raise LabError('mariadb-install-db failed (%s):\n%s' % (proc.returncode, proc.stdout.decode('utf-8', 'replace')[-3000:]))
    _TEMPLATE['dir'] = datadir
    return datadir


class MariaDB(object):
    """One running server; ``stop()`` ends it by PID."""

    def __init__(self, workdir, host, port, socket, root_password, ca, ca_obj, server_cert, process, cnf, log, galera_port=None):
        self.workdir, self.host, self.port, self.socket = workdir, host, port, socket
        self.root_password, self.ca, self.pki, self.server_cert = root_password, ca, ca_obj, server_cert
        self.process, self.cnf, self.log, self.galera_port = process, cnf, log, galera_port

    @property
    def pid(self):
        return self.process.pid

    def connect(self, user='root', password=None, **kwargs):
        """A PyMySQL connection (root over the unix socket unless told otherwise)."""
        import pymysql  # pylint: disable=import-outside-toplevel
        if 'host' not in kwargs and 'unix_socket' not in kwargs:
            kwargs['unix_socket'] = self.socket
        return pymysql.connect(user=user, password=self.root_password if password is None and user == 'root' else (password or ''),
                               connect_timeout=5, autocommit=True, **kwargs)

    def execute(self, *statements):
        """Run statements as root; returns the rows of the last one."""
        conn = self.connect()
        try:
            rows = ()
            with conn.cursor() as cur:
                for statement in statements:
                    cur.execute(statement)
                    rows = cur.fetchall()
            return rows
        finally:
            conn.close()

    def create_account(self, user, password, host='%', require='', grants=(), database=None):
        """Create ``user@host`` with ``REQUIRE <require>`` ('' = NONE, 'SSL', 'X509', "SUBJECT '...'").

        ``grants``: extra GRANT privilege lists, e.g. ``('SELECT ON mysql.global_priv',)``.
        ``database``: a database made for the account with ALL privileges (like an OpenStack service).
        """
        account = "'%s'@'%s'" % (user, host)
        statements = ["DROP USER IF EXISTS %s" % account,
                      "CREATE USER %s IDENTIFIED BY '%s' REQUIRE %s" % (account, password.replace("'", "''"), require or 'NONE')]
        if database:
            statements.append('CREATE DATABASE IF NOT EXISTS `%s`' % database)
            statements.append('GRANT ALL PRIVILEGES ON `%s`.* TO %s' % (database, account))
        for grant in grants:
            statements.append('GRANT %s TO %s' % (grant, account))
        self.execute(*statements)
        return account

    def set_global(self, name, value):
        self.execute('SET GLOBAL %s = %s' % (name, value))

    def stop(self):
        self.process.stop()


def start_mariadb(workdir, tls=True, require_secure_transport=False, port=None, ca=None, tls_version=None, mozilla=False,
                  galera=False, galera_ssl=False, extra_options=(), timeout=60.0):
    """Start MariaDB in ``workdir`` (created) on 127.0.0.1; return a ``MariaDB`` handle.

    ``tls``: server certificate from ``ca`` (a ``lab.pki.CA``; a new one in ``workdir/pki`` if None).
    ``tls_version``: value of the server's ``tls_version`` (e.g. 'TLSv1.2,TLSv1.3'), default untouched.
    ``mozilla``: make the TLS pass Mozilla "intermediate": ``ssl_cipher`` limited to its suites and the
    key exchange groups to X25519/P-256/P-384 (``OPENSSL_CONF`` of the server process). MariaDB's
    defaults fail it (CBC and static-RSA suites, X448/P-521/FFDHE groups).
    ``extra_options``: more ``(key, value)`` pairs for ``[mariadbd]``.
    """
    bins = binaries()
    if not bins:
        raise LabError('MariaDB is not installed (mariadbd / mariadb-install-db not found)')
    os.makedirs(workdir, exist_ok=True)
    port = port or free_port()
    datadir = os.path.join(workdir, 'data')
    socket_path = os.path.join(workdir, 'mysqld.sock')
    log = os.path.join(workdir, 'mariadb.log')
    cnf = os.path.join(workdir, 'my.cnf')
    if os.path.exists(datadir):
        shutil.rmtree(datadir)
    shutil.copytree(_template_datadir(), datadir, symlinks=True)
    options = _base_options(datadir, socket_path, os.path.join(workdir, 'mariadb.pid'), log, port)
    ca_path = server_cert = None
    env = None
    if tls or galera_ssl:
        ca = ca or CA(os.path.join(workdir, 'pki'))
        server_cert = ca.issue('mariadb-server-%d' % port)
        _webpki_leaf(ca, server_cert)
        ca_path = ca.cert
    if tls:
        options += [('ssl_ca', ca.cert), ('ssl_cert', server_cert.cert), ('ssl_key', server_cert.key)]
        if tls_version:
            options.append(('tls_version', tls_version))
        if mozilla:
            options.append(('ssl_cipher', INTERMEDIATE_CIPHERS))
            openssl_cnf = os.path.join(workdir, 'openssl.cnf')
            with open(openssl_cnf, 'w') as handle:
                handle.write(OPENSSL_GROUPS_CNF)
            env = dict(os.environ, OPENSSL_CONF=openssl_cnf)
    if require_secure_transport:
        options.append(('require_secure_transport', 'ON'))
    galera_port = None
    if galera:
        provider = galera_provider()
        if not provider:
            raise LabError('the Galera provider (galera-4 package) is not installed')
        galera_port = free_port()
        provider_options = ['base_host=127.0.0.1', 'base_port=%d' % galera_port, 'gmcast.listen_addr=tcp://127.0.0.1:%d' % galera_port,
                            'gcache.size=8M', 'ist.recv_addr=127.0.0.1:%d' % free_port()]
        if galera_ssl:
            provider_options += ['socket.ssl_cert=%s' % server_cert.cert, 'socket.ssl_key=%s' % server_cert.key, 'socket.ssl_ca=%s' % ca.cert]
        options += [('wsrep_on', 'ON'), ('wsrep_provider', provider), ('wsrep_cluster_address', 'gcomm://'),
                    ('wsrep_cluster_name', 'scs-lab'), ('wsrep_node_address', '127.0.0.1:%d' % galera_port),
                    ('wsrep_provider_options', '"%s"' % ';'.join(provider_options)), ('wsrep_sst_method', 'rsync'),
                    ('binlog_format', 'ROW'), ('default_storage_engine', 'InnoDB'), ('innodb_autoinc_lock_mode', '2')]
    options += list(extra_options)
    _write_cnf(cnf, options)
    argv = [bins[0], '--defaults-file=%s' % cnf]
    if galera:
        argv.append('--wsrep-new-cluster')
    process = Process('mariadb', argv, os.path.join(workdir, 'mariadbd.out'), cwd=workdir, env=env)
    deadline = time.monotonic() + timeout
    ready = False
    while time.monotonic() < deadline:
        if not process.alive():
            break
        if os.path.exists(socket_path):
            ping = subprocess.run([bins[2], '--no-defaults', '--socket=%s' % socket_path, '--user=root', '--connect-timeout=2', 'ping'],
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, timeout=30, check=False)
            if ping.returncode == 0:
                ready = True
                break
        time.sleep(0.1)
    if not ready:
        process.stop()
        tail = ''
        for path in (log, process.log):
            if os.path.exists(path):
                with open(path, 'rb') as handle:
                    tail += '\n--- %s ---\n%s' % (path, handle.read().decode('utf-8', 'replace')[-3000:])
        raise LabError('MariaDB did not answer ping on %s within %ss%s' % (socket_path, timeout, tail))
    root_password = 'root-' + secrets.token_hex(8)
    handle = MariaDB(workdir, '127.0.0.1', port, socket_path, '', ca_path, ca, server_cert, process, cnf, log, galera_port)
    try:
        # mariadb-install-db also makes password-less root@127.0.0.1, root@::1 and root@<hostname>:
        # keep one TCP root (same password) so TLS sessions can be tested, drop the others.
        others = handle.execute("SELECT CONCAT(QUOTE(user), '@', QUOTE(host)) FROM mysql.global_priv "
                                "WHERE user = 'root' AND host NOT IN ('localhost', '127.0.0.1')")
        statements = ["ALTER USER 'root'@'localhost' IDENTIFIED BY '%s'" % root_password,
                      "ALTER USER 'root'@'127.0.0.1' IDENTIFIED BY '%s'" % root_password]
        statements += ['DROP USER %s' % row[0] for row in others]
        handle.execute(*statements)
    except Exception:
        process.stop()
        raise
    handle.root_password = root_password
    return handle


# Service accounts the integration tests and the demo create: (user, REQUIRE clause).
SERVICE_ACCOUNTS = (
    ('nova', ''),                                             # REQUIRE NONE: fails db-require-ssl
    ('nova_api', 'SSL'),                                      # REQUIRE SSL
    ('keystone', 'X509'),                                     # REQUIRE X509
    ('glance', "SUBJECT '/O=SCS Lab/CN=glance'"),             # REQUIRE SUBJECT (ssl_type SPECIFIED)
    ('placement', "CIPHER 'ECDHE-RSA-AES256-GCM-SHA384'"),    # SPECIFIED by cipher only: TLS, but no certificate
)


def create_service_accounts(db, accounts=SERVICE_ACCOUNTS, host='%', password_prefix='pw-'):
    """Create OpenStack-like service accounts (each with its own database); returns ``{user: password}``."""
    passwords = {}
    for user, require in accounts:
        password = password_prefix + user + '-' + secrets.token_hex(4)
        db.create_account(user, password, host=host, require=require, database=user)
        passwords[user] = password
    return passwords


def create_audit_account(db, user='scs_audit', privileged=True, host='%'):
    """The audit's own login: USAGE only, plus ``SELECT ON mysql.global_priv`` when ``privileged``."""
    password = 'audit-' + secrets.token_hex(8)
    db.create_account(user, password, host=host, grants=('SELECT ON mysql.global_priv',) if privileged else ())
    return password
