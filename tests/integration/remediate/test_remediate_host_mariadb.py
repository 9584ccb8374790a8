# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""REQUIRE SSL on a real MariaDB (lab/mariadb.py) through remediate_host and community.mysql.mysql_user.

Server evidence from the real gatherer (module_utils/_gather/mysql.py); the service's database URL
is given in discovery's documented shape (one URL of the nova service). Before: ``'nova'@'%'`` is
REQUIRE NONE (fails db-require-ssl). While the service's URL has no ssl_ca the change is refused and
the account is untouched; once it has ssl_ca (db-client-tls passes) the role sets REQUIRE SSL, the
re-audit passes, and nova still logs in with TLS (and no longer without).
"""

from __future__ import absolute_import, division, print_function

import json

import pymysql
import pytest

from lab import mariadb as lab_mariadb

from kolla_reports import report_for

from ansible_collections.scs.secure_connections.plugins.module_utils._gather import mysql as m

REQ = 'scs-0125-db-require-ssl'
PLAY = """
- hosts: localhost
  gather_facts: false
  roles:
    - role: scs.secure_connections.remediate_host
"""


@pytest.fixture(scope='module')
def server(tmp_path_factory):
    if lab_mariadb.binaries() is None:
        pytest.skip('MariaDB is not installed (Debian packages mariadb-server mariadb-client)')
    db = lab_mariadb.start_mariadb(str(tmp_path_factory.mktemp('db-remediate')), tls=True, mozilla=True)
    try:
        passwords = lab_mariadb.create_service_accounts(db)
        audit = lab_mariadb.create_audit_account(db, 'scs_audit', privileged=True)
    except Exception:
        db.stop()
        raise
    yield db, passwords, audit
    db.stop()


def _evidence(db, audit, ssl_ca):
    params = dict(login_user='scs_audit', login_password=audit, login_host='127.0.0.1', login_port=db.port, login_unix_socket=None,
                  login_config_file=None, connect_timeout=3, ssl_mode='preferred', ca_cert=None, client_cert=None, client_key=None,
                  container=None, container_engine='auto', container_client='mariadb')
    gathered = m.gather(m.make_backend(params), params, label='db1/mariadb')
    query = {'ssl_ca': ssl_ca} if ssl_ca else {}
    url = {'file': '/etc/nova/nova.conf', 'section': 'database', 'option': 'connection', 'driver': 'pymysql', 'dialect': 'mysql',
           'url': 'mysql+pymysql://nova:********@127.0.0.1:%d/nova%s' % (db.port, ('?ssl_ca=' + ssl_ca) if ssl_ca else ''),
           'user': 'nova', 'host': '127.0.0.1', 'port': db.port, 'database': 'nova', 'query': query}
    discovery = {'layouts': [{'name': 'distro', 'evidence': []}], 'listeners': [], 'infrastructure': {'mysql': []},
                 'services': [{'service': 'nova', 'component': None, 'layout': 'distro', 'files': [], 'errors': [], 'database_urls': [url]}]}
    stat = [{'path': ssl_ca, 'container': None, 'where': 'node', 'exists': True, 'is_file': True, 'readable': True, 'error': None}] if ssl_ca else []
    return {'db1': {'channels': ['db'], 'discovery': discovery,
                    'db': {'query': {'enabled': True, 'reason': 'test'}, 'servers': [gathered], 'tls': {'endpoints': [], 'probed': False},
                           'client_ca_files': stat}}}


def _status(report, account="'nova'@'%'"):
    return [f['status'] for f in report['findings'] if f['control_id'] == REQ and f['target'].get('account') == account]


def _ssl_type(db, user='nova'):
    return db.execute("SELECT JSON_VALUE(Priv, '$.ssl_type') FROM mysql.global_priv WHERE User = '%s' AND Host = '%%'" % user)[0][0]


def test_require_ssl_after_the_client_has_tls(runner, server, tmp_path):
    db, passwords, audit = server
    extra = {'remediate_host_name': 'db1', 'remediate_host_controls': [REQ, 'scs-0125-db-client-tls'],
             'remediate_host_mysql_login': {'login_unix_socket': db.socket, 'login_user': 'root', 'login_password': db.root_password}}

    # 1. the service still connects without ssl_ca: refused, account untouched
    report = report_for(_evidence(db, audit, None))
    assert _status(report) == ['fail']
    (tmp_path / 'r1.json').write_text(json.dumps(report))
    rc, log = runner.playbook(PLAY, dict(extra, remediate_host_report_file=str(tmp_path / 'r1.json')))
    assert rc == 0, log
    assert 'REQUIRE SSL would lock out services that do not connect with TLS yet: nova [database] connection (fail)' in log
    assert _ssl_type(db) in (0, '0', None, 'NONE', ''), _ssl_type(db)

    # 2. the service's URL has ssl_ca (db-client-tls passes): REQUIRE SSL is set, once
    report = report_for(_evidence(db, audit, db.ca))
    assert _status(report) == ['fail']
    (tmp_path / 'r2.json').write_text(json.dumps(report))
    rc, log = runner.playbook(PLAY, dict(extra, remediate_host_report_file=str(tmp_path / 'r2.json')), args=['--check'])
    assert rc == 0, log
    assert _status(report_for(_evidence(db, audit, db.ca))) == ['fail'], 'check mode changed the account'
    rc, log = runner.playbook(PLAY, dict(extra, remediate_host_report_file=str(tmp_path / 'r2.json')))
    assert rc == 0, log
    assert db.root_password not in log and passwords['nova'] not in log

    after = report_for(_evidence(db, audit, db.ca))
    assert _status(after) == ['pass'], [f['message'] for f in after['findings'] if f['control_id'] == REQ]
    # the service still serves: nova logs in with TLS, and no longer without
    conn = pymysql.connect(host='127.0.0.1', port=db.port, user='nova', password=passwords['nova'], ssl={'ca': db.ca}, connect_timeout=5)
    conn.close()
    with pytest.raises(pymysql.err.OperationalError):
        pymysql.connect(host='127.0.0.1', port=db.port, user='nova', password=passwords['nova'], connect_timeout=5, ssl_disabled=True)

    rc, log = runner.playbook(PLAY, dict(extra, remediate_host_report_file=str(tmp_path / 'r2.json')))
    assert rc == 0, log
    assert 'changed=0' in log, log
