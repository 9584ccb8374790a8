# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every db control, judged on evidence gathered from real MariaDB servers: scenarios that must pass
and scenarios that must fail.

Server evidence comes from the real gatherer (module_utils/_gather/mysql.py) and the real TLS prober
(module_utils/_tls/scan.py, STARTTLS inside the MySQL protocol); the discovery evidence (service
database URLs) is hand-written in the documented shape, or produced by discovery itself from the
kolla fixture tree; CA file existence is checked on this machine like the channel's stat task does.
"""

from __future__ import absolute_import, division, print_function

import copy
import json
import os

import pymysql
import pytest

from ansible_collections.scs.secure_connections.plugins.module_utils._gather import mysql as m
from ansible_collections.scs.secure_connections.plugins.module_utils._rules import db as rules
from ansible_collections.scs.secure_connections.plugins.module_utils._core.evaluator import RuleContext, evaluate
from ansible_collections.scs.secure_connections.plugins.module_utils._core.mozilla import evaluate as evaluate_mozilla
from ansible_collections.scs.secure_connections.plugins.module_utils._core.mozilla_data import GUIDELINES

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
KOLLA_TREE = os.path.join(REPO, 'tests', 'fixtures', 'trees', 'kolla')


def query(server, label='ctl1/mariadb', service_accounts=None, **over):
    p = dict(login_user='scs_audit', login_password=server.audit_password, login_host='127.0.0.1', login_port=server.db.port,
             login_unix_socket=None, login_config_file=None, connect_timeout=3, ssl_mode='preferred', ca_cert=None, client_cert=None,
             client_key=None, container=None, container_engine='auto', container_client='mariadb')
    p.update(over)
    return m.gather(m.make_backend(p), p, label=label, service_accounts=service_accounts)


def probe(server, label='ctl1/mariadb'):
    scan = pytest.importorskip('ansible_collections.scs.secure_connections.plugins.module_utils._tls.scan')
    return scan.scan_endpoint({'host': '127.0.0.1', 'port': server.db.port, 'starttls': 'mysql', 'label': label},
                              {'timeout': 5, 'ca_files': [server.db.ca] if server.db.ca else [], 'level': 'intermediate'})


def url(user, server, query=None, dialect='mysql', section='database', file='/etc/nova/nova.conf'):
    q = dict(query or {})
    text = '%s+pymysql://%s:********@127.0.0.1:%s/%s' % (dialect, user, server.db.port if server else 3306, user)
    if q:
        text += '?' + '&'.join('%s=%s' % kv for kv in sorted(q.items()))
    return {'file': file, 'section': section, 'option': 'connection', 'url': text, 'driver': 'pymysql', 'dialect': dialect,
            'user': user, 'host': '127.0.0.1', 'port': server.db.port if server else 3306, 'database': user, 'query': q}


def discovery(urls_by_service, infra_mysql=None):
    return {'root': '/', 'layouts': [{'name': 'distro', 'evidence': []}], 'errors': [],
            'services': [{'service': name, 'component': None, 'layout': 'distro', 'files': [], 'errors': [], 'database_urls': urls,
                          'transport_urls': [], 'api_clients': []}
                         for name, urls in urls_by_service.items()],
            'infrastructure': {'mysql': infra_mysql or []}, 'listeners': []}


def stat_records(disc):
    """What the channel's "check on the node" stat task records, done here with os.stat."""
    out = []
    for svc in disc.get('services') or []:
        for entry in svc.get('database_urls') or []:
            path = (entry.get('query') or {}).get('ssl_ca')
            if path and path.startswith('/') and path not in [r['path'] for r in out]:
                exists = os.path.exists(path)
                out.append({'path': path, 'container': None, 'where': 'node', 'exists': exists,
                            'is_file': os.path.isfile(path) if exists else None, 'readable': os.access(path, os.R_OK) if exists else None,
                            'error': None})
    return out


def evidence(servers=(), endpoints=(), disc=None):
    ev = {'channels': ['db'], 'db': {'query': {'enabled': bool(servers), 'reason': 'test'}, 'servers': list(servers),
                                     'tls': {'endpoints': list(endpoints), 'probed': bool(endpoints)},
                                     'client_ca_files': stat_records(disc or {})}}
    if disc is not None:
        ev['discovery'] = disc
    return ev


def run(control, by_host):
    return rules.RULES[control](RuleContext(copy.deepcopy(by_host)))


def one(findings, **target):
    chosen = [f for f in findings if all(f['target'].get(k) == v for k, v in target.items())]
    assert len(chosen) == 1, (target, findings)
    return chosen[0]


def no_secret(findings, *servers):
    text = json.dumps(findings)
    for server in servers:
        for secret in server.secrets():
            assert secret not in text


# ------------------------------------------------------------------------------------------
# scs-0125-db-server-tls

def test_server_tls_passes_with_tls_and_mozilla_compliant_probe(db_tls):
    findings = run(rules.SERVER_TLS, {'ctl1': evidence([query(db_tls)], [probe(db_tls)])})
    assert [f['status'] for f in findings] == ['pass'], findings
    assert 'passes the Mozilla "intermediate" check' in findings[0]['message']
    assert findings[0]['evidence']['session_tls_version'] in ('TLSv1.2', 'TLSv1.3')


def test_server_tls_fails_without_tls(db_plain):
    endpoint = probe(db_plain)
    assert endpoint['status'] == 'error' and endpoint['error']['kind'] == 'plaintext'
    findings = run(rules.SERVER_TLS, {'ctl1': evidence([query(db_plain)], [endpoint])})
    assert [f['status'] for f in findings] == ['fail']
    assert 'have_ssl = DISABLED' in findings[0]['message']


def test_server_tls_fails_on_mariadb_default_ciphers(db_rst):
    endpoint = probe(db_rst)
    assert 'mozilla' not in endpoint    # the prober observes; the rule judges
    assert evaluate_mozilla(endpoint, GUIDELINES)['compliant'] is False
    findings = run(rules.SERVER_TLS, {'ctl1': evidence([query(db_rst)], [endpoint])})
    assert [f['status'] for f in findings] == ['fail']
    assert 'fails the Mozilla "intermediate" check' in findings[0]['message']
    assert findings[0]['remediation']


def test_server_tls_without_probe_passes_on_variables_and_says_so(db_tls):
    findings = run(rules.SERVER_TLS, {'ctl1': evidence([query(db_tls)])})
    assert [f['status'] for f in findings] == ['pass']
    assert 'Mozilla check of the negotiated TLS was not made' in findings[0]['message']


def test_server_tls_errors_on_wrong_password_and_never_passes_on_the_probe_alone(db_tls):
    bad = query(db_tls, login_password='wrong-password-123')
    findings = run(rules.SERVER_TLS, {'ctl1': evidence([bad], [probe(db_tls)])})
    assert [f['status'] for f in findings] == ['error']
    assert 'could not be queried (auth)' in findings[0]['message']
    no_secret(findings, db_tls)


def test_server_tls_probe_only_frontend_is_manual(db_tls):
    findings = run(rules.SERVER_TLS, {'ctl1': evidence([], [probe(db_tls, label='proxysql-vip')])})
    assert [f['status'] for f in findings] == ['manual']


# ------------------------------------------------------------------------------------------
# scs-0125-db-client-tls (URLs hand-written; the ssl_ca that passes really works for a login)

def test_client_tls_passes_with_existing_ssl_ca_that_really_verifies(db_tls):
    entry = url('nova_api', db_tls, {'ssl_ca': db_tls.db.ca})
    findings = run(rules.CLIENT_TLS, {'api1': evidence(disc=discovery({'nova': [entry]}))})
    assert [f['status'] for f in findings] == ['pass'], findings
    # what the service would do with this URL: PyMySQL with ssl_ca verifies the server and gets TLS
    conn = pymysql.connect(host='127.0.0.1', port=db_tls.db.port, user='nova_api', password=db_tls.service_passwords['nova_api'],
                           ssl_ca=entry['query']['ssl_ca'], ssl_verify_identity=True, connect_timeout=3)
    try:
        with conn.cursor() as cur:
            cur.execute("SHOW SESSION STATUS LIKE 'Ssl_version'")
            assert cur.fetchone()[1].startswith('TLSv1.')
    finally:
        conn.close()


@pytest.mark.parametrize('query_params, words', [
    ({}, 'no ssl_ca in the URL'),
    ({'ssl_ca': '/nonexistent/scs-db-ca.pem'}, 'does not exist on the node'),
    ({'ssl_ca': 'CA', 'ssl_verify_cert': 'false'}, 'disables certificate verification'),
    ({'ssl_ca': 'CA', 'ssl_disabled': 'true'}, 'turns TLS off'),
])
def test_client_tls_fails(db_tls, query_params, words):
    params = dict((k, db_tls.db.ca if v == 'CA' else v) for k, v in query_params.items())
    findings = run(rules.CLIENT_TLS, {'api1': evidence(disc=discovery({'nova': [url('nova', db_tls, params)]}))})
    assert [f['status'] for f in findings] == ['fail']
    assert words in findings[0]['message']
    assert findings[0]['target']['setting'] == '[database] connection'


def test_client_tls_without_ssl_ca_really_talks_plain_text(db_tls):
    """Why a URL without ssl_ca fails: PyMySQL then does not verify anything (PREFERRED at best)."""
    conn = pymysql.connect(host='127.0.0.1', port=db_tls.db.port, user='nova', password=db_tls.service_passwords['nova'],
                           ssl_disabled=True, connect_timeout=3)
    try:
        with conn.cursor() as cur:
            cur.execute("SHOW SESSION STATUS LIKE 'Ssl_version'")
            assert cur.fetchone()[1] == ''
    finally:
        conn.close()


def test_client_tls_sqlite_and_postgres(db_tls):
    disc = discovery({'heat': [dict(url('heat', db_tls), dialect='sqlite', url='sqlite:////var/lib/heat/heat.db', host=None)],
                      'aodh': [dict(url('aodh', db_tls), dialect='postgresql', query={'sslmode': 'verify-full'})],
                      'gnocchi': [dict(url('gnocchi', db_tls), dialect='postgresql', query={'sslmode': 'require'})]})
    findings = run(rules.CLIENT_TLS, {'api1': evidence(disc=disc)})
    assert one(findings, service='heat')['status'] == 'not_applicable'
    assert one(findings, service='aodh')['status'] == 'pass'
    assert one(findings, service='gnocchi')['status'] == 'fail'


def test_client_tls_on_the_osa_fixture_tree():
    """OSA: the ssl_ca paths are inside LXC containers; discovery maps them onto the node's tree."""
    tree = os.path.join(REPO, 'tests', 'fixtures', 'trees', 'osa')
    if not os.path.isdir(tree):
        pytest.skip('the OSA fixture tree (tests/fixtures/trees/osa) is not there')
    discover = pytest.importorskip('ansible_collections.scs.secure_connections.plugins.module_utils._gather.discovery').discover
    disc = discover(tree, gather=['layout', 'services', 'infrastructure'])
    findings = run(rules.CLIENT_TLS, {'osa1': {'channels': ['db'], 'discovery': disc, 'db': {'client_ca_files': []}}})
    api = one(findings, service='nova', setting='[api_database] connection')
    assert api['status'] == 'pass' and 'galera-ca.pem' in api['message'] and '/rootfs/' in api['message']
    main = one(findings, service='nova', setting='[database] connection')
    assert main['status'] == 'fail' and 'missing-ca.pem does not exist' in main['message']
    assert 'FIXTUREPW' not in json.dumps(findings)


def test_client_tls_on_the_kolla_fixture_tree():
    """Discovery itself (module_utils/_gather/discovery.py) on the kolla fixture tree, judged by the rule."""
    if not os.path.isdir(KOLLA_TREE):
        pytest.skip('the kolla fixture tree (tests/fixtures/trees/kolla) is not there')
    discover = pytest.importorskip('ansible_collections.scs.secure_connections.plugins.module_utils._gather.discovery').discover
    disc = discover(KOLLA_TREE, gather=['layout', 'services', 'infrastructure'])
    findings = run(rules.CLIENT_TLS, {'kolla1': {'channels': ['db'], 'discovery': disc, 'db': {'client_ca_files': []}}})
    nova = [f for f in findings if f['target'].get('service') == 'nova' and f['target'].get('setting') == '[database] connection']
    assert nova and all(f['status'] == 'fail' and 'no ssl_ca' in f['message'] for f in nova)
    neutron = [f for f in findings if f['target'].get('service') == 'neutron' and 'connection' in f['target'].get('setting', '')]
    assert neutron and all(f['status'] == 'fail' and 'ssl_verify_cert=false' in f['message'] for f in neutron)
    statuses = set(f['status'] for f in findings)
    assert 'pass' not in statuses or all('exists' in f['message'] for f in findings if f['status'] == 'pass')
    assert 'FIXTUREPW' not in json.dumps(findings)


# ------------------------------------------------------------------------------------------
# scs-0125-db-require-ssl

def _accounts_evidence(server, users, **query_over):
    """Like the audit role: the users of the discovered URLs are passed as service_accounts."""
    disc = discovery(dict((u, [url(u, server, {'ssl_ca': server.db.ca} if server.db.ca else {})]) for u in users))
    declared = [{'user': u, 'service': u} for u in users]
    return {'ctl1': evidence([query(server, service_accounts=declared, **query_over)], disc=disc)}


def test_require_ssl_passes_for_require_ssl_accounts(db_tls):
    findings = run(rules.REQUIRE_SSL, _accounts_evidence(db_tls, ['nova_api', 'keystone', 'glance', 'placement']))
    assert sorted(f['status'] for f in findings) == ['pass'] * 4, findings


def test_require_ssl_fails_for_require_none_account(db_tls):
    findings = run(rules.REQUIRE_SSL, _accounts_evidence(db_tls, ['nova', 'nova_api']))
    nova = one(findings, account="'nova'@'%'")
    assert nova['status'] == 'fail'
    assert "ALTER USER 'nova'@'%' REQUIRE SSL;" in nova['remediation']
    assert one(findings, account="'nova_api'@'%'")['status'] == 'pass'
    no_secret(findings, db_tls)


def test_require_ssl_passes_by_require_secure_transport(db_rst):
    findings = run(rules.REQUIRE_SSL, _accounts_evidence(db_rst, ['nova']))
    assert [f['status'] for f in findings] == ['pass']
    assert 'require_secure_transport = ON' in findings[0]['message']


def test_require_ssl_errors_without_the_privilege(db_tls):
    findings = run(rules.REQUIRE_SSL, _accounts_evidence(db_tls, ['nova'], login_user='scs_audit_min',
                                                         login_password=db_tls.audit_min_password))
    assert sorted(f['status'] for f in findings) == ['error', 'not_assessed']
    error = [f for f in findings if f['status'] == 'error'][0]
    assert 'SELECT command denied' in error['message'] and 'mysql.global_priv' in error['remediation']


def test_require_ssl_errors_when_server_down(db_tls, down_port):
    findings = run(rules.REQUIRE_SSL, _accounts_evidence(db_tls, ['nova'], login_port=down_port))
    assert 'error' in [f['status'] for f in findings]
    assert 'refused' in json.dumps(findings)


# ------------------------------------------------------------------------------------------
# scs-0125-db-x509-auth

def test_x509_passes_for_cert_account_with_cert_in_url(db_tls, db_pki):
    client = db_pki.issue('keystone-client', client=True, server=False, sans=None, common_name='keystone')
    entry = url('keystone', db_tls, {'ssl_ca': db_tls.db.ca, 'ssl_cert': client.cert, 'ssl_key': client.key})
    findings = run(rules.X509_AUTH, {'ctl1': evidence([query(db_tls, service_accounts=[{'user': 'keystone'}])],
                                                      disc=discovery({'keystone': [entry]}))})
    assert [f['status'] for f in findings] == ['pass'], findings
    # and the URL's certificate really logs in to the REQUIRE X509 account
    conn = pymysql.connect(host='127.0.0.1', port=db_tls.db.port, user='keystone', password=db_tls.service_passwords['keystone'],
                           ssl_ca=db_tls.db.ca, ssl_cert=client.cert, ssl_key=client.key, connect_timeout=3)
    conn.close()
    with pytest.raises(pymysql.err.OperationalError):
        pymysql.connect(host='127.0.0.1', port=db_tls.db.port, user='keystone', password=db_tls.service_passwords['keystone'],
                        ssl_ca=db_tls.db.ca, connect_timeout=3)


@pytest.mark.parametrize('user, words', [
    ('nova_api', "REQUIRE X509;"),        # REQUIRE SSL only
    ('placement', "REQUIRE X509;"),       # REQUIRE CIPHER: SPECIFIED, but no certificate
    ('nova', "REQUIRE X509;"),
    ('keystone', 'carry no ssl_cert/ssl_key'),   # REQUIRE X509, URL without certificate
])
def test_x509_fails(db_tls, user, words):
    findings = run(rules.X509_AUTH, _accounts_evidence(db_tls, [user]))
    assert [f['status'] for f in findings] == ['fail'], findings
    assert words in (findings[0]['remediation'] or '') + findings[0]['message']


# ------------------------------------------------------------------------------------------
# scs-0125-db-replication-tls

SST_OPTIONS = {'ssl_ca': '/ca.pem', 'ssl_cert': '/c.pem', 'ssl_key': '/k.pem', 'ssl_mode': 'VERIFY_CA'}
SST_TLS = [{'file': '/etc/mysql/my.cnf', 'sections': {'mysqld': {'wsrep_on': 'ON'}, 'sst': SST_OPTIONS}}]
SST_PLAIN = [{'file': '/etc/mysql/my.cnf', 'sections': {'mysqld': {'wsrep_on': 'ON'}, 'sst': {'progress': '1'}}}]


def test_replication_passes_with_galera_socket_ssl_and_sst_tls(db_galera_tls):
    findings = run(rules.REPLICATION_TLS, {'ctl1': evidence([query(db_galera_tls)], disc=discovery({}, SST_TLS))})
    assert sorted(f['status'] for f in findings) == ['pass', 'pass'], findings
    assert one(findings, setting='wsrep_provider_options')['evidence']['gmcast.listen_addr'].startswith('ssl://')


def test_replication_fails_without_galera_socket_ssl(db_galera_plain):
    findings = run(rules.REPLICATION_TLS, {'ctl1': evidence([query(db_galera_plain)], disc=discovery({}, SST_PLAIN))})
    assert one(findings, setting='wsrep_provider_options')['status'] == 'fail'
    assert one(findings, setting='sst')['status'] == 'fail'


def test_replication_not_applicable_without_galera(db_tls):
    findings = run(rules.REPLICATION_TLS, {'ctl1': evidence([query(db_tls)])})
    assert [f['status'] for f in findings] == ['not_applicable']
    assert 'not a Galera cluster node' in findings[0]['message']


# ------------------------------------------------------------------------------------------
# everything through the evaluator, two hosts

def test_evaluator_over_a_db_host_and_a_compute_host(db_tls):
    disc_api = discovery({'nova': [url('nova_api', db_tls, {'ssl_ca': db_tls.db.ca}, section='api_database'),
                                   url('nova', db_tls, {})]})
    declared = [{'user': 'nova_api', 'service': 'nova'}, {'user': 'nova', 'service': 'nova'}]
    by_host = {'ctl1': evidence([query(db_tls, service_accounts=declared)], [probe(db_tls)], disc=discovery({})),
               'api1': evidence(disc=disc_api)}
    for server in by_host['ctl1']['db']['servers']:
        assert server['status'] == 'ok'
    findings = [f for f in evaluate(by_host) if f['channel'] == 'db']
    status = {}
    for f in findings:
        status.setdefault(f['control_id'], set()).add(f['status'])
    assert 'pass' in status[rules.SERVER_TLS] and 'fail' not in status[rules.SERVER_TLS]
    assert status[rules.CLIENT_TLS] >= set(['pass', 'fail'])          # nova_api has ssl_ca, nova not
    assert 'fail' in status[rules.REQUIRE_SSL] and 'pass' in status[rules.REQUIRE_SSL]
    assert status[rules.REPLICATION_TLS] == set(['not_applicable'])
    assert not any('rule could not evaluate' in f['message'] for f in findings)
    no_secret(findings, db_tls)
