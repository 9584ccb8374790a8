# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Real MariaDB servers for the database channel (lab/mariadb.py), each started once per session.

* ``db_tls``: TLS with a Mozilla-intermediate configuration, require_secure_transport OFF;
* ``db_rst``: TLS with MariaDB's default ciphers/groups (fails Mozilla), require_secure_transport ON;
* ``db_plain``: no TLS at all (have_ssl DISABLED);
* ``db_galera_tls`` / ``db_galera_plain``: one-node Galera clusters with and without socket.ssl.

Every server has the service accounts of ``lab.mariadb.SERVICE_ACCOUNTS`` (REQUIRE NONE / SSL /
X509 / SUBJECT / CIPHER), an audit login with SELECT ON mysql.global_priv and one without.
"""

from __future__ import absolute_import, division, print_function

import os
import socket
import sys
import threading
import time

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
if REPO not in sys.path:
    sys.path.insert(0, REPO)

from lab import mariadb as lab_mariadb  # noqa: E402  pylint: disable=wrong-import-position
from lab.pki import CA  # noqa: E402  pylint: disable=wrong-import-position


class Server(object):
    """A started lab server with its accounts."""

    def __init__(self, db, service_passwords, audit_password, audit_min_password, start_seconds):
        self.db = db
        self.service_passwords = service_passwords
        self.audit_password = audit_password
        self.audit_min_password = audit_min_password
        self.start_seconds = start_seconds

    def secrets(self):
        """Every password of this server (none may appear in any output)."""
        return [self.db.root_password, self.audit_password, self.audit_min_password] + list(self.service_passwords.values())


def _need_mariadb():
    if lab_mariadb.binaries() is None:
        pytest.skip('MariaDB is not installed (Debian packages mariadb-server mariadb-client)')


@pytest.fixture(scope='session')
def db_pki(tmp_path_factory):
    return CA(str(tmp_path_factory.mktemp('db-pki')))


def _start(tmp_path_factory, db_pki, name, **kwargs):
    _need_mariadb()
    if kwargs.get('galera') and not lab_mariadb.galera_provider():
        pytest.skip('the Galera provider is not installed (Debian package galera-4)')
    begin = time.monotonic()
    db = lab_mariadb.start_mariadb(str(tmp_path_factory.mktemp('db-' + name)), ca=db_pki, **kwargs)
    try:
        passwords = lab_mariadb.create_service_accounts(db)
        audit = lab_mariadb.create_audit_account(db, 'scs_audit', privileged=True)
        audit_min = lab_mariadb.create_audit_account(db, 'scs_audit_min', privileged=False)
    except Exception:
        db.stop()
        raise
    return Server(db, passwords, audit, audit_min, round(time.monotonic() - begin, 2))


@pytest.fixture(scope='session')
def db_tls(tmp_path_factory, db_pki):
    server = _start(tmp_path_factory, db_pki, 'tls', tls=True, mozilla=True)
    yield server
    server.db.stop()


@pytest.fixture(scope='session')
def db_rst(tmp_path_factory, db_pki):
    server = _start(tmp_path_factory, db_pki, 'rst', tls=True, require_secure_transport=True)
    yield server
    server.db.stop()


@pytest.fixture(scope='session')
def db_plain(tmp_path_factory, db_pki):
    server = _start(tmp_path_factory, db_pki, 'plain', tls=False)
    yield server
    server.db.stop()


@pytest.fixture(scope='session')
def db_galera_tls(tmp_path_factory, db_pki):
    server = _start(tmp_path_factory, db_pki, 'galera-tls', tls=True, mozilla=True, galera=True, galera_ssl=True)
    yield server
    server.db.stop()


@pytest.fixture(scope='session')
def db_galera_plain(tmp_path_factory, db_pki):
    server = _start(tmp_path_factory, db_pki, 'galera-plain', tls=True, mozilla=True, galera=True, galera_ssl=False)
    yield server
    server.db.stop()


@pytest.fixture(scope='session')
def down_port(db_pki):
    """A loopback port nobody listens on (a stopped server)."""
    from lab.proc import free_port
    return free_port()


class _TcpServer(object):
    """A loopback TCP server that is not MySQL: ``greeting`` bytes sent on connect, or silence."""

    def __init__(self, greeting):
        self.greeting = greeting
        self.sock = socket.socket()
        self.sock.bind(('127.0.0.1', 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.held = []
        self.stopped = False
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while not self.stopped:
            try:
                conn, _addr = self.sock.accept()
            except OSError:
                return
            if self.greeting:
                try:
                    conn.sendall(self.greeting)
                finally:
                    conn.close()
            else:
                self.held.append(conn)   # an HTTP server waits for the request: say nothing

    def stop(self):
        self.stopped = True
        self.sock.close()
        for conn in self.held:
            conn.close()


@pytest.fixture(scope='session')
def http_port():
    """A port answering like a web server that talks first (HTTP 400 on connect)."""
    server = _TcpServer(b'HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\nContent-Length: 11\r\n\r\nBad Request')
    yield server.port
    server.stop()


@pytest.fixture(scope='session')
def silent_port():
    """A port that accepts and never speaks (an HTTP server waiting for the request)."""
    server = _TcpServer(None)
    yield server.port
    server.stop()


@pytest.fixture(scope='session')
def fake_docker(tmp_path_factory):
    """A stand-in ``docker`` (no container engine can run here): ``docker exec [-e VAR] NAME cmd...``
    runs cmd on this machine for NAME ``mariadb`` and logs its argv, so the tests can prove the
    password never is on a command line. Everything after the container name is the real client."""
    bindir = tmp_path_factory.mktemp('fake-docker-bin')
    log = bindir / 'argv.log'
    script = bindir / 'docker'
    script.write_text(
        '#!/bin/sh\n'
        '[ "$1" = exec ] || { echo "fake docker: only exec" >&2; exit 2; }\n'
        'shift\n'
        'printf "%%s\\n" "$*" >> "%s"\n'
        'while [ $# -gt 0 ]; do case "$1" in -e) shift 2;; -i|-t) shift;; *) break;; esac; done\n'
        'container="$1"; shift\n'
        '[ "$container" = mariadb ] || { echo "Error: No such container: $container" >&2; exit 1; }\n'
        'exec "$@"\n' % log)
    script.chmod(0o755)
    return {'bindir': str(bindir), 'docker': str(script), 'log': str(log)}


def pytest_report_header(config):
    return 'database lab: MariaDB %s' % ('found' if lab_mariadb.binaries() else 'NOT installed (db integration tests skip)')
