# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Rules of the database channel, table-driven over hand-written evidence (shapes of docs/architecture.md)."""

from __future__ import absolute_import, division, print_function

import copy
import json

import pytest

from ansible_collections.scs.secure_connections.plugins.module_utils._rules import db as r
from ansible_collections.scs.secure_connections.plugins.module_utils._core.evaluator import RuleContext, evaluate
from ansible_collections.scs.secure_connections.tests.unit.tls import tls_samples

SERVER, CLIENT, REQUIRE, X509, REPL = r.SERVER_TLS, r.CLIENT_TLS, r.REQUIRE_SSL, r.X509_AUTH, r.REPLICATION_TLS


# ------------------------------------------------------------------------------------------
# evidence builders

def account(user, ssl_type='NONE', host='%', subject='', issuer='', cipher='', services=None):
    return {'user': user, 'host': host, 'ssl_type': ssl_type, 'ssl_type_raw': None, 'x509_subject': subject, 'x509_issuer': issuer,
            'ssl_cipher': cipher, 'services': services or [], 'service_match': 'declared' if services else None, 'role': False}


def server(label='ctl1/mariadb', **over):
    base = {
        'status': 'ok', 'error': None, 'label': label,
        'connection': {'method': 'container', 'host': 'localhost', 'port': 3306, 'container': 'mariadb'},
        'server': {'version': '10.11.6-MariaDB', 'flavour': 'mariadb'},
        'have_ssl': 'YES',
        'ssl': {'ssl_ca': '/etc/mysql/ca.pem', 'ssl_capath': '', 'ssl_cert': '/etc/mysql/server.pem', 'ssl_key': '/etc/mysql/server.key'},
        'tls_version': 'TLSv1.2,TLSv1.3', 'tls_versions': ['TLSv1.2', 'TLSv1.3'],
        'require_secure_transport': False, 'port': 3306, 'bind_address': '10.0.0.10',
        'session': {'transport': 'socket', 'tls': True, 'ssl_version': 'TLSv1.3', 'ssl_cipher': 'TLS_AES_256_GCM_SHA384'},
        'accounts': [account('nova', 'ANY'), account('keystone', 'NONE'), account('root', 'NONE', host='localhost')],
        'accounts_source': 'mysql.global_priv', 'service_accounts': [],
        'galera': {'wsrep_on': False, 'provider': 'none', 'enabled': False},
        'unreadable': [],
    }
    base.update(over)
    return base


def error_server(kind='auth', message="Access denied for user 'root'@'localhost' (using password: YES)"):
    return {'status': 'error', 'error': {'kind': kind, 'message': message}, 'label': 'ctl1/mariadb',
            'connection': {'method': 'tcp', 'host': '10.0.0.10', 'port': 3306}, 'accounts': None, 'galera': None}


def db_url(user='nova', query=None, dialect='mysql', driver='pymysql', host='10.0.0.10', section='database', option='connection',
           file='/etc/kolla/nova-api/nova.conf'):
    return {'file': file, 'section': section, 'option': option, 'url': '%s+%s://%s:********@%s/x' % (dialect, driver, user, host),
            'driver': driver, 'dialect': dialect, 'user': user, 'host': host, 'port': None, 'database': 'x', 'query': query or {}}


def service(name='nova', urls=(), layout='distro', component=None, errors=(), refs=()):
    return {'service': name, 'component': component, 'layout': layout, 'files': [], 'errors': list(errors), 'database_urls': list(urls),
            'referenced_files': list(refs)}


def discovery(*services, infra_mysql=None):
    return {'layouts': [{'name': 'distro', 'evidence': []}], 'services': list(services), 'infrastructure': {'mysql': infra_mysql or []},
            'listeners': []}


def host(servers=(), endpoints=(), ca_files=(), disc=None, channels=('db',), query_reason='member of group control', tls_extra=None):
    evidence = {'channels': list(channels),
                'db': {'query': {'enabled': bool(servers), 'reason': query_reason}, 'servers': list(servers),
                       'tls': dict({'endpoints': list(endpoints)}, **(tls_extra or {})), 'client_ca_files': list(ca_files)}}
    if disc is not None:
        evidence['discovery'] = disc
    return evidence


def ca(path, exists=True, container=None, is_file=True, readable=True, error=None):
    return {'path': path, 'container': container, 'where': 'container' if container else 'node', 'exists': exists,
            'is_file': is_file if exists else None, 'readable': readable if exists else None, 'error': error}


def probe(label='ctl1/mariadb', port=3306, compliant=True, status='ok', error=None):
    """A STARTTLS probe result: observed data that passes Mozilla intermediate, accepts TLS 1.0/1.1
    (``compliant=False``), leaves ROBOT untested (``compliant=None``), or could not be scanned."""
    if status != 'ok':
        return tls_samples.probe_error('10.0.0.10', port, label, error['kind'], error['message'], starttls='mysql')
    changes = {True: {}, False: tls_samples.OLD_VERSIONS, None: tls_samples.ROBOT_NOT_TESTED}[compliant]
    return tls_samples.probe('10.0.0.10', port, label, changes, starttls='mysql')


def run(control, evidence_by_host):
    ctx = RuleContext(copy.deepcopy(evidence_by_host))
    return r.RULES[control](ctx)


def statuses(findings):
    return sorted(f['status'] for f in findings)


# ------------------------------------------------------------------------------------------
# helpers

@pytest.mark.parametrize('query, problems, notes', [
    ({'ssl_ca': '/etc/ssl/ca.pem'}, [], []),
    ({'ssl_ca': ['/a.pem', '/etc/ssl/ca.pem']}, [], []),
    ({}, ['no ssl_ca in the URL'], []),
    ({'ssl_ca': ''}, ['ssl_ca is empty'], []),
    ({'ssl_ca': '/ca.pem', 'ssl_verify_cert': 'false'}, ['ssl_verify_cert=false disables certificate verification'], []),
    ({'ssl_ca': '/ca.pem', 'ssl_verify_cert': '0'}, ['ssl_verify_cert=0 disables certificate verification'], []),
    ({'ssl_ca': '/ca.pem', 'ssl_verify_cert': 'true'}, [], []),
    ({'ssl_ca': '/ca.pem', 'ssl_disabled': 'True'}, ['ssl_disabled=True turns TLS off'], []),
    ({'ssl_ca': '/ca.pem', 'ssl_mode': 'DISABLED'}, ['ssl_mode=DISABLED turns TLS off'], []),
    ({'ssl_ca': '/ca.pem', 'ssl_mode': 'disabled'}, ['ssl_mode=disabled turns TLS off'], []),
    ({'ssl_ca': '/ca.pem', 'ssl': '0'}, ['ssl=0 turns TLS off'], []),
    ({'ssl_ca': '/ca.pem', 'ssl_mode': 'PREFERRED'}, [], ['ssl_mode=PREFERRED falls back to plain text if the server offers no TLS']),
    ({'ssl_ca': '/ca.pem', 'ssl_check_hostname': 'false'}, [], ['ssl_check_hostname=false: the server name is not checked against its certificate']),
    ({'SSL_CA': '/ca.pem'}, [], []),
])
def test_mysql_url_tls(query, problems, notes):
    info = r.mysql_url_tls({'query': query})
    assert info['problems'] == problems
    assert info['notes'] == notes


@pytest.mark.parametrize('query, problem', [
    # PyMySQL 1.1.1 and 1.2.4 behind SQLAlchemy 2.1 (see pymysql_url_problems): what each URL gives on a real Connection
    ({'ssl_ca': '/ca.pem', 'ssl_disabled': 'false'}, 'ssl_disabled=false turns TLS off'),     # connection.ssl False
    ({'ssl_ca': '/ca.pem', 'ssl_disabled': '0'}, 'ssl_disabled=0 turns TLS off'),
    ({'ssl_ca': '/ca.pem', 'ssl_disabled': ''}, None),                                           # dropped by SQLAlchemy
    ({'ssl_ca': '/ca.pem', 'ssl_verify_cert': 'on'}, 'ssl_verify_cert=on disables'),             # CERT_NONE
    ({'ssl_ca': '/ca.pem', 'ssl_verify_cert': 'none'}, 'ssl_verify_cert=none disables'),
    ({'ssl_verify_cert': 'enabled'}, 'ssl_verify_cert=enabled disables'),
    ({'ssl_ca': '/ca.pem', 'ssl_verify_cert': 'false'}, 'ssl_verify_cert=false disables'),
    ({'ssl_ca': '/ca.pem', 'ssl_verify_cert': 'True'}, None),                                    # CERT_REQUIRED
    ({'ssl_ca': '/ca.pem', 'ssl_verify_cert': 'optional'}, None),                                # CERT_OPTIONAL
    ({'ssl_ca': '/ca.pem', 'ssl_verify_identity': 'true'}, 'PyMySQL before 1.2'),                # 1.1.1: CERT_NONE
    ({'ssl_ca': '/ca.pem', 'ssl_verify_identity': 'true', 'ssl_verify_cert': 'true'}, None),
    ({'ssl_ca': '/ca.pem', 'ssl_check_hostname': 'false'}, None),
])
def test_mysql_url_tls_pymysql(query, problem):
    info = r.mysql_url_tls({'query': query, 'driver': 'pymysql'})
    if problem is None:
        assert info['problems'] == []
    else:
        assert any(problem in text for text in info['problems'])
    assert info['system_ca'] is ('ssl_ca' not in query and not info['problems'])
    # ssl_ca next to ssl_verify_cert/ssl_verify_identity: verified, but against the system trust store
    assert any('not ssl_ca' in n for n in info['notes']) is bool(query.get('ssl_ca') and not info['problems'] and (
        query.get('ssl_verify_cert') or query.get('ssl_verify_identity')))


@pytest.mark.parametrize('entry, dialect', [
    ({'dialect': 'mysql'}, 'mysql'), ({'dialect': 'mariadb'}, 'mysql'), ({'dialect': 'postgresql'}, 'postgresql'),
    ({'dialect': 'sqlite'}, 'sqlite'), ({'url': 'mysql+pymysql://u:p@h/d'}, 'mysql'), ({'url': 'sqlite:////var/lib/x.db'}, 'sqlite'),
    ({'url': 'oracle://h/d'}, 'oracle'), ({}, 'unknown'),
])
def test_url_dialect(entry, dialect):
    assert r.url_dialect(entry) == dialect


@pytest.mark.parametrize('query, ok', [
    ({'sslmode': 'verify-full', 'sslrootcert': '/ca.pem'}, True), ({'sslmode': 'verify-ca'}, True),
    ({'sslmode': 'require'}, False), ({'sslmode': 'prefer'}, False), ({}, False),
])
def test_postgres_url_tls(query, ok):
    assert (not r.postgres_url_tls({'query': query})['problems']) is ok


@pytest.mark.parametrize('sections, enabled', [
    ({'tca': '/ca', 'tcert': '/c', 'tkey': '/k'}, True),
    ({'ssl-ca': '/ca', 'ssl-cert': '/c', 'ssl-key': '/k'}, True),
    ({'ssl_mode': 'VERIFY_CA'}, True),
    ({'encrypt': '3', 'tca': '/ca'}, True),
    ({'ssl_mode': 'DISABLED', 'ssl_cert': ''}, False),
    ({'progress': '1'}, False),
    ({}, False),
    (None, None),
])
def test_sst_tls(sections, enabled):
    assert r.sst_tls(sections)[0] is enabled


@pytest.mark.parametrize('over, ok, words', [
    ({}, True, []),
    ({'have_ssl': 'DISABLED'}, False, ['have_ssl = DISABLED']),
    ({'have_ssl': 'NO'}, False, ['not compiled in']),
    ({'ssl': {'ssl_ca': '/ca', 'ssl_cert': '', 'ssl_key': ''}}, False, ['ssl_cert / ssl_key not set']),
    ({'ssl': {'ssl_ca': '', 'ssl_capath': '', 'ssl_cert': '/c', 'ssl_key': '/k'}}, False, ['neither ssl_ca nor ssl_capath']),
    ({'ssl': {'ssl_ca': '', 'ssl_capath': '/etc/ssl/certs', 'ssl_cert': '/c', 'ssl_key': '/k'}}, True, []),
    ({'tls_versions': ['TLSv1.1', 'TLSv1.2']}, False, ['tls_version allows TLSv1.1']),
    ({'have_ssl': None}, True, []),     # MySQL 8.4: no have_ssl, but the session is TLS
    ({'have_ssl': None, 'session': {'tls': False}}, False, ['have_ssl = None']),
])
def test_server_tls_config(over, ok, words):
    got_ok, problems, _facts = r.server_tls_config(server(**over))
    assert got_ok is ok
    for word in words:
        assert any(word in p for p in problems), problems


@pytest.mark.parametrize('endpoint, status', [
    (probe(compliant=True), 'pass'),
    (probe(compliant=False), 'fail'),
    (probe(status='error', error={'kind': 'plaintext', 'message': 'server offers no TLS'}), 'fail'),
    (probe(status='error', error={'kind': 'refused', 'message': 'refused'}), 'error'),
    (probe(compliant=None), 'error'),
    # the node's own verdict is never read: the observed data is judged again
    (dict(probe(compliant=False), mozilla={'compliant': True, 'criteria': []}), 'fail'),
    (dict(probe(), mozilla={'compliant': False, 'criteria': [{'criterion': 'tls_versions', 'result': 'fail'}]}), 'pass'),
])
def test_probe_verdict(endpoint, status):
    assert r.probe_verdict(RuleContext({}), endpoint)[0] == status


def test_match_endpoints_by_label_then_port():
    servers = [server(label='a', port=3306), server(label='b', port=3307)]
    matched, rest = r.match_endpoints(servers, [probe(label='b', port=9999), probe(label='x', port=3306), probe(label='y', port=6033)])
    assert [e['label'] for e in matched[0]] == ['x']
    assert [e['label'] for e in matched[1]] == ['b']
    assert [e['label'] for e in rest] == ['y']


def test_find_ca_record_prefers_container_then_discovery_then_node():
    kolla = service(layout='kolla', component='nova-api', refs=[{'path': '/ca.pem', 'host_path': '/etc/kolla/nova-api/ca.pem', 'exists': True}])
    files = [ca('/ca.pem', exists=False), ca('/ca.pem', exists=True, container='nova_api')]
    assert r.find_ca_record(files, kolla, '/ca.pem')['container'] == 'nova_api'
    assert r.find_ca_record([ca('/ca.pem', exists=False)], kolla, '/ca.pem')['where'] == 'discovery'
    bare_kolla = service(layout='kolla', component='nova-api')
    assert r.find_ca_record([ca('/ca.pem', exists=True)], bare_kolla, '/ca.pem') is None   # a node path says nothing of the container
    distro = service()
    assert r.find_ca_record([ca('/ca.pem', exists=False)], distro, '/ca.pem')['exists'] is False
    assert r.find_ca_record({'/ca.pem': {'exists': True}}, distro, '/ca.pem')['exists'] is True


# ------------------------------------------------------------------------------------------
# scs-0125-db-server-tls

GOOD_URLS = discovery(service('nova', [db_url('nova', {'ssl_ca': '/etc/ssl/db-ca.pem'})]))


@pytest.mark.parametrize('name, evidence, expected, words', [
    ('tls and compliant probe', {'ctl1': host([server()], [probe()])}, ['pass'], ['passes the Mozilla']),
    ('tls without probe passes but says so', {'ctl1': host([server()])}, ['pass'], ['no TLS probe']),
    ('probe failed to run', {'ctl1': host([server()], tls_extra={'error': 'module missing'})}, ['pass'], ['probe of the database ports failed']),
    ('tls but probe fails mozilla', {'ctl1': host([server()], [probe(compliant=False)])}, ['fail'],
     ['tls_versions (protocol versions TLSv1.0, TLSv1.1 accepted']),
    ('tls but probe finds plaintext', {'ctl1': host([server()], [probe(status='error', error={'kind': 'plaintext', 'message': 'no TLS'})])},
     ['fail'], ['found no TLS']),
    ('tls but probe unreachable', {'ctl1': host([server()], [probe(status='error', error={'kind': 'timeout', 'message': 't'})])},
     ['error'], ['could not scan']),
    ('no tls', {'ctl1': host([server(have_ssl='DISABLED')], [probe(compliant=True)])}, ['fail'], ['have_ssl = DISABLED']),
    ('probe alone never passes', {'ctl1': host([], [probe(label='proxysql', port=6033)])}, ['manual'], ['was not asked']),
    ('probe alone can fail', {'ctl1': host([], [probe(label='proxysql', port=6033, compliant=False)])}, ['fail'], []),
    ('server error', {'ctl1': host([error_server()])}, ['error'], ['could not be queried (auth)']),
    ('not a db host', {'cmp1': host(disc=GOOD_URLS, query_reason='not in group control')}, ['not_applicable', 'not_assessed'],
     ['not in group control']),
    ('db host and compute', {'ctl1': host([server()], [probe()]), 'cmp1': host(disc=GOOD_URLS)}, ['not_applicable', 'pass'], []),
])
def test_server_tls(name, evidence, expected, words):
    findings = run(SERVER, evidence)
    assert statuses(findings) == expected, (name, findings)
    text = json.dumps(findings)
    for word in words:
        assert word in text, (name, word)


# ------------------------------------------------------------------------------------------
# scs-0125-db-client-tls

def client_case(urls, ca_files=(), layout='distro', component=None, refs=()):
    return {'cmp1': host(disc=discovery(service('nova', urls, layout=layout, component=component, refs=refs)), ca_files=ca_files)}


@pytest.mark.parametrize('name, evidence, expected, words', [
    ('ssl_ca present and exists', client_case([db_url(query={'ssl_ca': '/etc/ssl/db.pem'})], [ca('/etc/ssl/db.pem')]), ['pass'], []),
    ('ssl_ca missing', client_case([db_url(query={})]), ['fail'], ['no ssl_ca', 'ssl_ca=<CA file']),
    ('ssl_ca empty', client_case([db_url(query={'ssl_ca': ''})]), ['fail'], ['ssl_ca is empty']),
    ('ssl_ca file absent', client_case([db_url(query={'ssl_ca': '/etc/ssl/db.pem'})], [ca('/etc/ssl/db.pem', exists=False)]), ['fail'],
     ['does not exist on the node']),
    ('ssl_ca is a directory', client_case([db_url(query={'ssl_ca': '/etc/ssl'})], [ca('/etc/ssl', is_file=False)]), ['fail'],
     ['not a regular file']),
    ('ssl_ca unreadable in container', client_case([db_url(query={'ssl_ca': '/ca.pem'})], [ca('/ca.pem', container='nova_api', readable=False)],
                                                   layout='kolla', component='nova-api'), ['fail'], ['cannot be read']),
    ('ssl_ca not checked', client_case([db_url(query={'ssl_ca': '/etc/ssl/db.pem'})]), ['not_assessed'], ['did not check']),
    ('ssl_ca check errored', client_case([db_url(query={'ssl_ca': '/x.pem'})], [ca('/x.pem', exists=None, error='permission denied')]),
     ['error'], ['permission denied']),
    ('verify off', client_case([db_url(query={'ssl_ca': '/ca.pem', 'ssl_verify_cert': 'false'})], [ca('/ca.pem')]), ['fail'],
     ['disables certificate verification']),
    ('ssl disabled', client_case([db_url(query={'ssl_ca': '/ca.pem', 'ssl_disabled': 'true'})], [ca('/ca.pem')]), ['fail'], ['turns TLS off']),
    ('kolla, checked in container', client_case([db_url(query={'ssl_ca': '/etc/ssl/certs/ca-certificates.crt'})],
                                                [ca('/etc/ssl/certs/ca-certificates.crt', container='nova_api')], layout='kolla',
                                                component='nova-api'), ['pass'], ['in container nova_api']),
    ('kolla, discovery mapped', client_case([db_url(query={'ssl_ca': '/etc/nova/ca.pem'})], [], layout='kolla', component='nova-api',
                                            refs=[{'path': '/etc/nova/ca.pem', 'host_path': '/etc/kolla/nova-api/ca.pem', 'exists': False}]),
     ['fail'], ['/etc/kolla/nova-api/ca.pem']),
    ('sqlite', client_case([db_url(dialect='sqlite', driver=None, query={})]), ['not_applicable'], ['SQLite']),
    ('postgres verify-full', client_case([db_url(dialect='postgresql', driver='psycopg2', query={'sslmode': 'verify-full'})]), ['pass'], []),
    ('postgres require', client_case([db_url(dialect='postgresql', driver='psycopg2', query={'sslmode': 'require'})]), ['fail'], ['sslmode=require']),
    ('unknown dialect', client_case([db_url(dialect='oracle', driver=None)]), ['manual'], ['oracle']),
    ('unix socket', client_case([db_url(host=None, query={'unix_socket': '/run/mysqld/mysqld.sock'})]), ['not_applicable'], ['unix socket']),
    ('two urls one bad', client_case([db_url(query={'ssl_ca': '/ca.pem'}), db_url(section='api_database', query={})], [ca('/ca.pem')]),
     ['fail', 'pass'], ['[api_database] connection']),
    ('no urls on host', {'cmp1': host(disc=discovery(service('horizon')))}, ['not_applicable'], ['no OpenStack service database URL']),
    ('no discovery', {'cmp1': host()}, ['error'], ['no discovery evidence']),
    ('unreadable config', {'cmp1': host(disc=discovery(service('nova', errors=[{'file': '/etc/nova/nova.conf', 'message': 'permission denied'}])))},
     ['error'], ['could not be read whole']),
])
def test_client_tls(name, evidence, expected, words):
    findings = run(CLIENT, evidence)
    assert statuses(findings) == expected, (name, findings)
    text = json.dumps(findings)
    for word in words:
        assert word in text, (name, word)


def test_client_tls_targets_name_service_file_and_setting():
    finding = run(CLIENT, client_case([db_url(query={})]))[0]
    assert finding['target'] == {'host': 'cmp1', 'service': 'nova', 'file': '/etc/kolla/nova-api/nova.conf', 'setting': '[database] connection'}
    assert 'distribution packages' in finding['remediation'] or 'connection = mysql+pymysql' in finding['remediation']


# ------------------------------------------------------------------------------------------
# scs-0125-db-require-ssl and scs-0125-db-x509-auth

def accounts_case(accounts, rst=False, urls=None, extra_hosts=None):
    disc = discovery(service('nova', urls if urls is not None else [db_url('nova', {'ssl_ca': '/ca.pem'})]))
    evidence = {'ctl1': host([server(accounts=accounts, require_secure_transport=rst)], disc=disc)}
    evidence.update(extra_hosts or {})
    return evidence


@pytest.mark.parametrize('name, evidence, expected, words', [
    ('nova requires ssl', accounts_case([account('nova', 'ANY')]), ['pass'], ['requires TLS (ssl_type ANY)']),
    ('nova requires x509', accounts_case([account('nova', 'X509')]), ['pass'], []),
    ('nova requires nothing', accounts_case([account('nova', 'NONE')]), ['fail'], ["ALTER USER 'nova'@'%' REQUIRE SSL;"]),
    ('two host patterns', accounts_case([account('nova', 'ANY'), account('nova', 'NONE', host='10.0.0.%')]), ['fail', 'pass'],
     ["'nova'@'10.0.0.%'"]),
    ('rst on overrides', accounts_case([account('nova', 'NONE')], rst=True), ['pass'], ['require_secure_transport = ON']),
    ('rst on without service accounts', accounts_case([account('app', 'NONE')], rst=True, urls=[]), ['pass'], ['enforces']),
    ('no service account on server', accounts_case([account('app', 'NONE')], urls=[]), ['not_applicable'], ['no account used']),
    ('declared service account', accounts_case([account('svc_x', 'NONE', services=['octavia'])], urls=[]), ['fail'], ['octavia']),
    ('url user missing on server', accounts_case([account('keystone', 'ANY', services=['keystone'])]), ['not_assessed', 'pass'],
     ['database user nova']),
    ('accounts unreadable', {'ctl1': host([server(accounts=None, unreadable=[{'what': 'accounts', 'reason': 'SELECT denied'}])], disc=GOOD_URLS)},
     ['error', 'not_assessed'], ['SELECT denied']),
    ('accounts unreadable but rst on', {'ctl1': host([server(accounts=None, require_secure_transport=True)], disc=GOOD_URLS)},
     ['not_assessed', 'pass'], []),
    ('server error', {'ctl1': host([error_server()], disc=GOOD_URLS)}, ['error', 'not_assessed'], ['Access denied']),
    ('urls on another host', accounts_case([account('nova', 'NONE')], urls=[], extra_hosts={'cmp1': host(disc=GOOD_URLS)}),
     ['fail', 'not_applicable'], ["'nova'@'%'"]),
])
def test_require_ssl(name, evidence, expected, words):
    findings = run(REQUIRE, evidence)
    assert statuses(findings) == expected, (name, findings)
    text = json.dumps(findings)
    for word in words:
        assert word in text, (name, word)


def guessed(user, ssl_type='NONE'):
    item = account(user, ssl_type)
    item.update(services=[user], service_match='name')
    return item


@pytest.mark.parametrize('name, evidence, expected', [
    # the module marks known service user names when no service_accounts are declared; the rules count that
    # mark only while no host's discovery found a MySQL database URL (then the URLs say which accounts are used)
    ('guessed, unused while urls exist', accounts_case([account('nova', 'ANY'), guessed('glance')]), ['pass']),
    ('guessed and used by a url', accounts_case([guessed('nova', 'ANY')]), ['pass']),
    ('guessed without any url', accounts_case([guessed('glance')], urls=[]), ['fail']),
])
def test_require_ssl_name_guess_only_without_urls(name, evidence, expected):
    assert statuses(run(REQUIRE, evidence)) == expected, name


CERT_URL = [db_url('nova', {'ssl_ca': '/ca.pem', 'ssl_cert': '/nova.pem', 'ssl_key': '/nova.key'})]


@pytest.mark.parametrize('name, evidence, expected, words', [
    ('x509 and cert in url', accounts_case([account('nova', 'X509')], urls=CERT_URL), ['pass'], ['carries ssl_cert and ssl_key']),
    ('subject and cert in url', accounts_case([account('nova', 'SPECIFIED', subject='/CN=nova')], urls=CERT_URL), ['pass'], []),
    ('cipher only is no cert', accounts_case([account('nova', 'SPECIFIED', cipher='AES')], urls=CERT_URL), ['fail'], ['REQUIRE X509']),
    ('x509 but url lacks cert', accounts_case([account('nova', 'X509')]), ['fail'], ['carry no ssl_cert/ssl_key']),
    ('ssl only', accounts_case([account('nova', 'ANY')], urls=CERT_URL), ['fail'], ["ALTER USER 'nova'@'%' REQUIRE X509;"]),
    ('accounts unreadable', {'ctl1': host([server(accounts=None)], disc=GOOD_URLS)}, ['error', 'fail'], []),
    ('url user missing, url has cert', accounts_case([], urls=CERT_URL), ['not_applicable', 'not_assessed'], []),
    # URLs without ssl_cert/ssl_key fail whether or not a server was queried (no account can demand a certificate from them)
    ('no server host', {'cmp1': host(disc=GOOD_URLS)}, ['fail', 'not_applicable'], ['no database server was queried']),
])
def test_x509_auth(name, evidence, expected, words):
    findings = run(X509, evidence)
    assert statuses(findings) == expected, (name, findings)
    text = json.dumps(findings)
    for word in words:
        assert word in text, (name, word)


# ------------------------------------------------------------------------------------------
# scs-0125-db-replication-tls

def galera(enabled=True, socket_tls=True, sst_method='mariabackup', ssl_mode=None):
    return {'wsrep_on': enabled, 'provider': '/usr/lib/galera/libgalera_smm.so' if enabled else 'none', 'enabled': enabled,
            'provider_options': {'gmcast.listen_addr': 'ssl://0.0.0.0:4567' if socket_tls else 'tcp://0.0.0.0:4567'},
            'socket_tls': {'enabled': socket_tls, 'reason': 'x', 'settings': {}} if enabled else None,
            'ssl_mode': ssl_mode, 'sst_method': sst_method, 'cluster_size': 3}


def repl_case(gal, sst=None, have_ssl='YES'):
    infra = [{'file': '/etc/mysql/my.cnf', 'sections': dict({'mysqld': {'datadir': '/var/lib/mysql'}}, **({'sst': sst} if sst is not None else {}))}]
    return {'ctl1': host([server(galera=gal, have_ssl=have_ssl)], disc=discovery(infra_mysql=infra))}


@pytest.mark.parametrize('name, evidence, expected, words', [
    ('galera tls and sst tls', repl_case(galera(), {'ssl-ca': '/ca', 'ssl-cert': '/c', 'ssl-key': '/k', 'ssl-mode': 'VERIFY_CA'}),
     ['pass', 'pass'], []),
    ('galera tls, sst plain', repl_case(galera(), {'progress': '1'}), ['fail', 'pass'], ['not encrypted']),
    ('galera tls, no [sst] read', {'ctl1': host([server(galera=galera())], disc=discovery())}, ['manual', 'pass'], ['[sst]']),
    ('galera plain', repl_case(galera(socket_tls=False), {'tcert': '/c', 'tkey': '/k'}), ['fail', 'pass'], ['socket.ssl_cert']),
    ('wsrep_ssl_mode server', repl_case(galera(socket_tls=False, ssl_mode='SERVER'), {'tcert': '/c', 'tkey': '/k'}), ['pass', 'pass'],
     ['wsrep_ssl_mode']),
    ('mysqldump sst', repl_case(galera(sst_method='mysqldump')), ['manual', 'pass'], []),
    ('not galera', repl_case(galera(enabled=False)), ['not_applicable'], ['not a Galera cluster node']),
    ('mysql without wsrep', {'ctl1': host([server(galera=None)])}, ['not_applicable'], ['no wsrep variables']),
    ('server error', {'ctl1': host([error_server()])}, ['error'], []),
    ('no server', {'cmp1': host(disc=GOOD_URLS)}, ['not_applicable'], []),
    ('undetermined', repl_case(dict(galera(), socket_tls={'enabled': None, 'reason': 'wsrep_provider_options is empty'})), ['error', 'fail'], []),
])
def test_replication_tls(name, evidence, expected, words):
    findings = run(REPL, evidence)
    assert statuses(findings) == expected, (name, findings)
    text = json.dumps(findings)
    for word in words:
        assert word in text, (name, word)


# ------------------------------------------------------------------------------------------
# through the evaluator

def test_every_control_has_a_rule_and_evaluates_without_errors():
    evidence = {'ctl1': host([server()], [probe()], disc=GOOD_URLS, ca_files=[ca('/etc/ssl/db-ca.pem')])}
    findings = [f for f in evaluate(evidence) if f['channel'] == 'db']
    assert set(r.RULES) == set([SERVER, CLIENT, REQUIRE, X509, REPL])
    by = {}
    for f in findings:
        by.setdefault(f['control_id'], []).append(f['status'])
    assert by[SERVER] == ['pass'] and by[CLIENT] == ['pass']
    assert sorted(by[REQUIRE]) == ['pass']             # nova ANY (keystone is not a URL user nor declared)
    assert by[REPL] == ['not_applicable']
    assert not any('rule could not evaluate' in f['message'] for f in findings)


def test_db_channel_not_gathered_is_not_assessed():
    findings = [f for f in evaluate({'ctl1': {'channels': []}}) if f['channel'] == 'db']
    assert set(f['status'] for f in findings) == set(['not_assessed'])


@pytest.mark.parametrize('entry,plain', [
    ({'url': 'mysql+pymysql://nova:x@db/nova', 'driver': 'pymysql', 'query': {}}, True),
    # the driver read from the scheme when discovery gave none, in any case (one accessor: _url_driver)
    ({'url': 'mysql+PyMySQL://nova:x@db/nova', 'query': {}}, True),
    ({'url': 'mysql+pymysql://nova:x@db/nova', 'driver': 'pymysql', 'query': {'ssl_ca': '/etc/ca.pem'}}, False),
    ({'url': 'mysql+pymysql://nova:x@db/nova', 'driver': 'pymysql', 'query': {'ssl_ca': '/ca', 'ssl_disabled': 'true'}}, True),
    ({'url': 'mysql+pymysql://nova:x@/nova', 'driver': 'pymysql', 'query': {'unix_socket': '/run/mysqld.sock'}}, False),
    ({'url': 'mysql+mysqldb://nova:x@db/nova', 'driver': 'mysqldb', 'query': {}}, False),
])
def test_plain_url_reads_the_driver_as_the_tls_facts_do(entry, plain):
    assert r._plain_url(entry) is plain  # pylint: disable=protected-access
