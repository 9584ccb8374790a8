# -*- coding: utf-8 -*-
"""ProxySQL: the parser (libconfig proxysql.cnf, kolla's proxysql.yaml rendered from the kolla-ansible 20.6.0 wheel),
its discovery in kolla's layout, and the db-server-tls / db-client-tls / tls-mozilla verdicts on it."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import shutil

import pytest
import yaml

from ansible_collections.scs.secure_connections.plugins.module_utils._parsers import proxysql as px
from ansible_collections.scs.secure_connections.plugins.module_utils._gather import discovery as di
from ansible_collections.scs.secure_connections.plugins.module_utils._core.evaluator import evaluate

RENDERED = os.path.join(os.path.dirname(__file__), '..', '..', 'fixtures', 'kolla-rendered')

# libconfig grammar as ProxySQL documents it: '=' or ':', groups, lists, comments of three kinds, ';'/',' separators
CNF = '''# proxysql.cnf
datadir="/var/lib/proxysql"
admin_variables=
{
    admin_credentials="admin:SECRETadminPW"   // inline comment
    mysql_ifaces="127.0.0.1:6032;/tmp/proxysql_admin.sock"
}
mysql_variables=
{
    threads=4
    interfaces="0.0.0.0:6033;/tmp/proxysql.sock"
    have_ssl=true
    ssl_p2s_ca="/etc/proxysql/ca.pem"
    monitor_password="SECRETmonitorPW"
}
/* the database servers */
mysql_servers :
(
    { address="10.0.0.11" , port=3306 , hostgroup=0, use_ssl=1 },
    { address="10.0.0.12" , port=3306 , hostgroup=0 };
)
mysql_users:
(
    { username = "nova" ; password = "SECRETnovaPW" ; default_hostgroup = 0 }
)
'''


def test_cnf():
    secrets = set()
    result = px.parse_proxysql(CNF, secrets=secrets)
    assert result['errors'] == []
    assert result['frontend']['ssl'] is True and result['frontend']['listeners'] == [{'address': '0.0.0.0', 'port': 6033}]
    assert [(s['address'], s['use_ssl'], s['use_ssl_source']) for s in result['backend']['servers']] == [
        ('10.0.0.11', True, 'use_ssl'), ('10.0.0.12', False, 'default (0)')]
    assert result['backend']['ssl_p2s_ca'] == '/etc/proxysql/ca.pem'
    text = json.dumps(result)
    assert 'SECRET' not in text and {'SECRETadminPW', 'SECRETmonitorPW', 'SECRETnovaPW'} <= secrets


@pytest.mark.parametrize('text, words', [
    ('a = "unterminated\n', 'unterminated string'),
    ('g = { a = 1\n', 'missing "}"'),
    ('= 3', 'expected a setting name'),
    ('a 3', 'expected "=" or ":"'),
])
def test_cnf_errors(text, words):
    result = px.parse_proxysql(text)
    assert words in result['errors'][0]['message']


def test_cnf_linear_on_hostile_input():
    result = px.parse_proxysql('a = (' * 20000)
    assert result['errors']


@pytest.mark.parametrize('variant, ssl, use_ssl', [('tls', True, True), ('plain', False, False)])
def test_kolla_yaml(variant, ssl, use_ssl):
    with open(os.path.join(RENDERED, '20.6.0-%s' % variant, 'etc/kolla/proxysql/proxysql.yaml')) as handle:
        result = px.parse_proxysql(handle.read(), fmt='yaml', yaml_module=yaml)
    assert result['errors'] == []
    assert result['frontend']['ssl'] is ssl and result['frontend']['listeners'] == [{'address': '10.0.0.250', 'port': 3306}]
    assert [s['use_ssl'] for s in result['backend']['servers']] == [use_ssl] * 3


def test_yaml_without_pyyaml():
    assert 'PyYAML is not installed' in px.parse_proxysql('a: 1', fmt='yaml', yaml_module=None)['errors'][0]['message']


def kolla_evidence(tmp_path, variant):
    root = tmp_path / variant
    shutil.copytree(os.path.join(RENDERED, '20.6.0-%s' % variant, 'etc/kolla/proxysql'), str(root / 'etc/kolla/proxysql'))
    discovery = di.discover(str(root))
    return {'ctl1': {'channels': ['db', 'tls'], 'discovery': discovery, 'tls': {'endpoints': []},
                     'db': {'query': {'enabled': False, 'reason': 'snapshot'}, 'servers': [], 'tls': {'endpoints': [], 'probed': False},
                            'client_ca_files': []}}}


def findings_of(findings, control):
    return [f for f in findings if f['control_id'] == control]


@pytest.mark.parametrize('variant, server_tls, client_tls', [('tls', 'pass', 'pass'), ('plain', 'fail', 'fail')])
def test_kolla_proxysql_verdicts(tmp_path, variant, server_tls, client_tls):
    report = evaluate(kolla_evidence(tmp_path, variant))
    server = findings_of(report, 'scs-0125-db-server-tls')
    assert [f['status'] for f in server] == [server_tls] and 'ProxySQL frontend 10.0.0.250:3306' in server[0]['message']
    client = findings_of(report, 'scs-0125-db-client-tls')
    assert [f['status'] for f in client] == [client_tls] * 3 and 'ProxySQL -> 10.0.0.11:3306' in client[0]['message']
    mozilla = findings_of(report, 'scs-0125-tls-mozilla')
    if variant == 'tls':
        assert [f['status'] for f in mozilla] == ['not_assessed'] and 'configured, not probed' in mozilla[0]['message']
    else:
        # nothing configured for TLS, nothing probed, no live sockets of a snapshot: no evidence either way
        assert [f['status'] for f in mozilla] == ['not_assessed'] and 'was probed' in mozilla[0]['message']
