# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""mysql_tls_info's gatherer (module_utils/_gather/mysql.py) against real MariaDB servers."""

from __future__ import absolute_import, division, print_function

import json
import os

import pymysql
import pytest

from ansible_collections.scs.secure_connections.plugins.module_utils._gather import mysql as m
from lab.module import ansible_module


def params(server, **over):
    out = dict(login_user='scs_audit', login_password=server.audit_password, login_host='127.0.0.1', login_port=server.db.port,
               login_unix_socket=None, login_config_file=None, connect_timeout=3, ssl_mode='preferred', ca_cert=None,
               client_cert=None, client_key=None, container=None, container_engine='auto', container_client='mariadb')
    out.update(over)
    return out


def gather(server, service_accounts=None, runner=None, which=None, **over):
    p = params(server, **over)
    result = m.gather(m.make_backend(p, runner=runner, which=which, module=ansible_module()), p, service_accounts=service_accounts, label='lab')
    text = json.dumps(result)
    for secret in server.secrets():
        assert secret not in text, 'a password leaked into the result'
    return result


def by_user(result):
    return dict((a['user'], a) for a in result['accounts'] if a['host'] == '%')


def test_tls_server_full_result(db_tls):
    result = gather(db_tls, service_accounts=[{'user': 'nova', 'service': 'nova'}, {'user': 'nova_api', 'service': 'nova'},
                                              {'user': 'heat', 'service': 'heat'}])
    assert result['status'] == 'ok', result['error']
    assert result['have_ssl'] == 'YES'
    assert result['ssl']['ssl_cert'] and result['ssl']['ssl_key'] and result['ssl']['ssl_ca'] == db_tls.db.ca
    assert result['require_secure_transport'] is False
    assert result['session']['tls'] is True and result['session']['ssl_version'] in ('TLSv1.2', 'TLSv1.3')
    assert result['session']['ssl_cipher']
    assert result['server']['flavour'] == 'mariadb' and result['current_user'] == 'scs_audit@%'
    assert result['port'] == db_tls.db.port and result['accounts_source'] == 'mysql.global_priv'
    accounts = by_user(result)
    assert [accounts[u]['ssl_type'] for u in ('nova', 'nova_api', 'keystone', 'glance', 'placement')] == [
        'NONE', 'ANY', 'X509', 'SPECIFIED', 'SPECIFIED']
    assert accounts['glance']['x509_subject'] == '/O=SCS Lab/CN=glance'
    assert accounts['placement']['ssl_cipher'] == 'ECDHE-RSA-AES256-GCM-SHA384'
    assert accounts['nova']['services'] == ['nova'] and accounts['nova_api']['services'] == ['nova']
    assert [(s['user'], s['found']) for s in result['service_accounts']] == [('nova', True), ('nova_api', True), ('heat', False)]
    assert result['galera']['enabled'] is False and result['unreadable'] == []
    assert 'authentication_string' not in json.dumps(result)


def test_global_priv_ssl_type_numbers_are_what_the_module_maps(db_tls):
    """The numeric ssl_type in mysql.global_priv JSON, read raw from the real server (0 NONE, 1 ANY, 2 X509, 3 SPECIFIED)."""
    rows = dict(db_tls.db.execute("SELECT User, JSON_VALUE(Priv, '$.ssl_type') FROM mysql.global_priv WHERE Host = '%'"))
    assert rows['nova'] == '0' and rows['nova_api'] == '1' and rows['keystone'] == '2' and rows['glance'] == '3'
    assert [m.ssl_type_name(rows[u]) for u in ('nova', 'nova_api', 'keystone', 'glance')] == ['NONE', 'ANY', 'X509', 'SPECIFIED']
    enum = dict(db_tls.db.execute("SELECT User, ssl_type FROM mysql.user WHERE Host = '%'"))
    assert [enum[u] for u in ('nova', 'nova_api', 'keystone', 'glance')] == ['', 'ANY', 'X509', 'SPECIFIED']


def test_plain_server(db_plain):
    result = gather(db_plain)
    assert result['status'] == 'ok'
    assert result['have_ssl'] == 'DISABLED'
    assert result['session'] == {'transport': 'tcp', 'tls': False, 'ssl_version': None, 'ssl_cipher': None}
    assert by_user(result)['nova']['services'] == ['nova']      # guessed by name without service_accounts


def test_require_secure_transport_server(db_rst):
    result = gather(db_rst)
    assert result['status'] == 'ok' and result['require_secure_transport'] is True and result['session']['tls'] is True
    refused = gather(db_rst, ssl_mode='disabled')
    assert refused['status'] == 'error' and refused['error']['kind'] == 'auth'


def test_unix_socket_and_root(db_tls):
    result = gather(db_tls, login_user='root', login_password=db_tls.db.root_password, login_unix_socket=db_tls.db.socket)
    assert result['status'] == 'ok' and result['connection']['method'] == 'socket'
    assert result['session']['transport'] == 'socket' and result['session']['tls'] is False
    assert result['have_ssl'] == 'YES'


def test_verified_connection_and_wrong_ca(db_tls, tmp_path):
    ok = gather(db_tls, ssl_mode='verify_identity', ca_cert=db_tls.db.ca)
    assert ok['status'] == 'ok' and ok['session']['tls'] is True
    from lab.pki import CA
    other = CA(str(tmp_path / 'other-ca'))
    bad = gather(db_tls, ssl_mode='verify_ca', ca_cert=other.cert)
    assert bad['status'] == 'error' and bad['error']['kind'] == 'tls'
    assert 'certificate verify failed' in bad['error']['message'].lower()


def test_option_file_login(db_tls, tmp_path):
    cnf = tmp_path / 'audit.cnf'
    cnf.write_text('[client]\nuser = scs_audit\npassword = %s\n' % db_tls.audit_password)
    result = gather(db_tls, login_user=None, login_password=None, login_config_file=str(cnf))
    assert result['status'] == 'ok' and result['current_user'] == 'scs_audit@%'
    cnf.write_text('[client]\nuser = scs_audit\npassword = wrong-%s\n' % db_tls.audit_password)
    denied = gather(db_tls, login_user=None, login_password=None, login_config_file=str(cnf))
    assert denied['status'] == 'error' and denied['error']['kind'] == 'auth'


def test_never_reads_the_users_my_cnf(db_tls, tmp_path, monkeypatch):
    """A ~/.my.cnf with working credentials must not be used unless named in login_config_file."""
    home = tmp_path / 'home'
    home.mkdir()
    (home / '.my.cnf').write_text('[client]\nuser = scs_audit\npassword = %s\n' % db_tls.audit_password)
    monkeypatch.setenv('HOME', str(home))
    result = gather(db_tls, login_user=None, login_password=None)
    assert result['status'] == 'error' and result['error']['kind'] == 'auth'
    assert "'root'" in result['error']['message']


# ------------------------------------------------------------------------------------------
# failures are results, with clear kinds and no password

def test_wrong_password(db_tls):
    result = gather(db_tls, login_password='not-' + db_tls.audit_password)
    assert result['status'] == 'error'
    assert result['error']['kind'] == 'auth' and 'Access denied' in result['error']['message']
    assert result['have_ssl'] is None and result['accounts'] is None


def test_missing_privilege_gives_the_rest_and_says_what_is_unreadable(db_tls):
    result = gather(db_tls, login_user='scs_audit_min', login_password=db_tls.audit_min_password, service_accounts=[{'user': 'nova'}])
    assert result['status'] == 'ok'
    assert result['have_ssl'] == 'YES' and result['session']['tls'] is True
    assert result['accounts'] is None and result['service_accounts'][0]['found'] is None
    unreadable = result['unreadable'][0]
    assert unreadable['what'] == 'accounts'
    assert 'SELECT command denied' in unreadable['reason'] and 'GRANT SELECT ON mysql.global_priv' in unreadable['reason']


def test_server_down(db_tls, down_port):
    result = gather(db_tls, login_port=down_port)
    assert result['status'] == 'error' and result['error']['kind'] == 'refused'


def test_port_that_speaks_http(db_tls, http_port):
    result = gather(db_tls, login_port=http_port)
    assert result['status'] == 'error' and result['error']['kind'] == 'not_mysql'
    assert 'HTTP/1.1 400' in result['error']['message']


def test_silent_port_times_out_with_a_hint(db_tls, silent_port):
    result = gather(db_tls, login_port=silent_port, connect_timeout=1)
    assert result['status'] == 'error' and result['error']['kind'] == 'timeout'
    assert 'no MySQL greeting' in result['error']['message']


def test_socket_missing(db_tls, tmp_path):
    result = gather(db_tls, login_unix_socket=str(tmp_path / 'nope.sock'))
    assert result['status'] == 'error' and result['error']['kind'] == 'refused'


# ------------------------------------------------------------------------------------------
# the container path (docker exec) with the real mariadb client; docker itself is a stand-in

def test_container_path_with_real_client(db_tls, fake_docker, monkeypatch):
    if not __import__('lab.mariadb', fromlist=['client_binary']).client_binary():
        pytest.skip('the mariadb client is not installed (Debian package mariadb-client)')
    monkeypatch.setenv('PATH', fake_docker['bindir'] + os.pathsep + os.environ['PATH'])
    result = gather(db_tls, container='mariadb', login_user='root', login_password=db_tls.db.root_password,
                    login_unix_socket=db_tls.db.socket, service_accounts=[{'user': 'nova', 'service': 'nova'}])
    assert result['status'] == 'ok', result['error']
    assert result['connection']['method'] == 'container' and result['have_ssl'] == 'YES'
    assert result['session']['tls'] is True          # the MariaDB client uses TLS even over the socket
    assert by_user(result)['keystone']['ssl_type'] == 'X509'
    assert result['service_accounts'][0]['found'] is True
    minimal = gather(db_tls, container='mariadb', login_user='scs_audit_min', login_password=db_tls.audit_min_password,
                     login_host='127.0.0.1', login_port=db_tls.db.port)
    assert minimal['status'] == 'ok' and minimal['accounts'] is None and minimal['unreadable'][0]['what'] == 'accounts'
    wrong = gather(db_tls, container='mariadb', login_user='root', login_password='wrong', login_unix_socket=db_tls.db.socket)
    assert wrong['status'] == 'error' and wrong['error']['kind'] == 'auth'
    missing = gather(db_tls, container='galera', login_user='root', login_password=db_tls.db.root_password)
    assert missing['status'] == 'error' and missing['error']['kind'] == 'container'
    with open(fake_docker['log']) as handle:
        argv_log = handle.read()
    assert 'MYSQL_PWD' in argv_log
    for secret in db_tls.secrets():
        assert secret not in argv_log, 'a password was put on a command line'


# ------------------------------------------------------------------------------------------
# Galera

def test_galera_with_socket_ssl(db_galera_tls):
    result = gather(db_galera_tls)
    galera = result['galera']
    assert galera['enabled'] is True and galera['wsrep_on'] is True and galera['cluster_size'] == 1
    assert galera['socket_tls']['enabled'] is True
    assert galera['provider_options']['socket.ssl'] == 'YES'
    assert galera['provider_options']['gmcast.listen_addr'].startswith('ssl://')
    assert galera['sst_method'] == 'rsync' and galera['sst']['readable'] is False


def test_galera_without_socket_ssl(db_galera_plain):
    galera = gather(db_galera_plain)['galera']
    assert galera['enabled'] is True and galera['socket_tls']['enabled'] is False
    assert galera['provider_options']['gmcast.listen_addr'].startswith('tcp://')


# ------------------------------------------------------------------------------------------
# what the accounts' REQUIRE clauses mean for a real client (the reason for db-require-ssl)

def test_require_ssl_account_refuses_plain_and_accepts_verified_tls(db_tls):
    password = db_tls.service_passwords['nova_api']
    base = dict(host='127.0.0.1', port=db_tls.db.port, user='nova_api', password=password, connect_timeout=3)
    with pytest.raises(pymysql.err.OperationalError) as info:
        pymysql.connect(ssl_disabled=True, **base)
    assert info.value.args[0] == 1045
    conn = pymysql.connect(ssl_ca=db_tls.db.ca, ssl_verify_identity=True, **base)
    try:
        with conn.cursor() as cur:
            cur.execute("SHOW SESSION STATUS LIKE 'Ssl_version'")
            assert cur.fetchone()[1] in ('TLSv1.2', 'TLSv1.3')
    finally:
        conn.close()
    nova = pymysql.connect(ssl_disabled=True, **dict(base, user='nova', password=db_tls.service_passwords['nova']))
    nova.close()   # REQUIRE NONE: a plain-text login works, which is what db-require-ssl flags
