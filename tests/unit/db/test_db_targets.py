# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Targets of the database channel: which server a host asks, the probe of each, the CA files to check."""

from __future__ import absolute_import, division, print_function

import os
import socket

import pytest

from ansible_collections.scs.secure_connections.plugins.module_utils._gather import db_targets as t

KOLLA = {'layouts': [{'name': 'kolla'}], 'listeners': [{'address': '10.0.0.5', 'port': 3306, 'process': 'mariadbd', 'container': 'mariadb_1'}]}
DEFAULTS = {'login_user': 'audit', 'login_password': 's3cret', 'connect_timeout': 3, 'ssl_mode': 'preferred', 'container_engine': 'auto'}


@pytest.mark.parametrize('disc, query, servers, member_of, root, enabled, reason', [
    ({}, 'never', [{'login_host': 'db'}], ['control'], '/', False, 'audit_db_query is never'),
    ({}, 'auto', [{'login_host': 'db'}], [], '/snap', True, 'audit_db_servers is set'),
    (KOLLA, 'auto', [], ['control'], '/snap', False, 'audit_root is /snap: a file system snapshot has no server to ask'),
    ({}, 'always', [], [], '/', True, 'audit_db_query is always'),
    ({}, 'auto', [], ['control', 'mariadb'], '/', True, 'member of group control, mariadb'),
    ({'listeners': KOLLA['listeners'] * 2}, 'auto', [], [], '/', True, 'MariaDB/MySQL listener on port 3306'),
    ({'infrastructure': {'mysql': [{'sections': {'client': {'x': 1}, 'galera': {'wsrep_on': 'ON'}}}]}}, 'auto', [], [], '/', True,
     'a MariaDB/MySQL server option file was discovered'),
    ({'infrastructure': {'mysql': [{'sections': {'client': {'x': 1}, 'mysqld': {}}}]}}, 'auto', [], [], '', False,
     'not in group control/mariadb and no MariaDB/MySQL listener or server option file was discovered'),
])
def test_query_decision(disc, query, servers, member_of, root, enabled, reason):
    assert t.query_decision(disc, query, servers, member_of, ['control', 'mariadb'], root) == {'enabled': enabled, 'reason': reason}


def test_auto_container():
    assert t.auto_container(KOLLA, 'auto') == 'mariadb_1'
    assert t.auto_container(dict(KOLLA, listeners=[dict(KOLLA['listeners'][0], container=None)]), 'auto') == 'mariadb'
    assert t.auto_container(dict(KOLLA, layouts=[{'name': 'distro'}]), 'auto') == ''
    assert t.auto_container(KOLLA, 'galera') == 'galera' and t.auto_container(KOLLA, '') == ''


def test_sockets_named_by_option_files_come_first_and_only_sockets_count(tmp_path):
    disc = {'infrastructure': {'mysql': [{'server': {'socket': '/srv/my.sock'}}, {'server': {}}, {'server': {'socket': '/tmp/mysql.sock'}}]}}
    candidates = t.socket_candidates(disc)
    assert candidates[:2] == ['/srv/my.sock', '/tmp/mysql.sock'] and candidates.count('/tmp/mysql.sock') == 1
    plain = tmp_path / 'plain.sock'
    plain.write_text('not a socket')
    path = str(tmp_path / 'real.sock')
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(path)
        assert t.first_socket([str(tmp_path / 'missing'), str(plain), path]) == path
    finally:
        server.close()
    assert t.first_socket([str(plain)]) is None


@pytest.mark.parametrize('listener, login_host, label', [
    ({'address': '0.0.0.0', 'port': 3307}, '127.0.0.1', 'ctl1/127.0.0.1:3307'),
    ({'address': '::', 'port': 3307}, '::1', 'ctl1/[::1]:3307'),
    ({'address': '*', 'port': 3307}, '127.0.0.1', 'ctl1/127.0.0.1:3307'),
    ({'address': '', 'port': '3307'}, '127.0.0.1', 'ctl1/127.0.0.1:3307'),
    ({'address': '10.0.0.5', 'port': 3307}, '10.0.0.5', 'ctl1/10.0.0.5:3307'),
])
def test_automatic_target_from_the_listener_probes_wildcards_on_loopback(listener, login_host, label):
    disc = {'listeners': [dict(listener, process='mysqld')]}
    target = t.automatic_target(disc, '', None, DEFAULTS, 'ctl1')
    assert (target['login_host'], target['login_port'], target['label']) == (login_host, 3307, label)
    assert target['login_user'] == 'audit' and target['login_password'] == 's3cret'


def test_automatic_target_prefers_container_then_socket_then_default():
    assert t.automatic_target(KOLLA, 'mariadb', '/run/mysqld/mysqld.sock', DEFAULTS, 'h')['label'] == 'h/mariadb'
    sock = t.automatic_target(KOLLA, '', '/run/mysqld/mysqld.sock', DEFAULTS, 'h')
    assert (sock['login_unix_socket'], sock['label']) == ('/run/mysqld/mysqld.sock', 'h//run/mysqld/mysqld.sock')
    assert t.automatic_target({}, '', None, DEFAULTS, 'h')['label'] == 'h/localhost:3306'


def test_declared_targets_inherit_unset_options_and_get_a_label():
    out = t.declared_targets([{'login_host': 'db1', 'login_port': 3307, 'login_password': 'own'},
                              {'container': 'mariadb', 'label': 'mine', 'login_user': 'root'},
                              {'login_host': 'fd00::5', 'login_port': '3306', 'connect_timeout': '7'}], DEFAULTS, 'ctl1')
    assert [o['label'] for o in out] == ['ctl1/db1:3307', 'mine', 'ctl1/[fd00::5]:3306']
    assert (out[0]['login_password'], out[0]['login_user'], out[1]['login_user'], out[1]['login_password']) == ('own', 'audit', 'root', 's3cret')
    assert out[2]['login_port'] == 3306 and out[2]['connect_timeout'] == 7 and out[0]['connect_timeout'] == 3
    assert out[1]['container'] == 'mariadb' and out[0]['container'] is None


@pytest.mark.parametrize('result, probe', [
    ({'connection': {'method': 'container'}, 'port': '3306', 'bind_address': '0.0.0.0', 'label': 'a'}, ('127.0.0.1', 3306)),
    ({'connection': {'method': 'socket'}, 'port': 3306, 'bind_address': '::', 'label': 'a'}, ('::1', 3306)),
    ({'connection': {'method': 'socket'}, 'port': 3306, 'bind_address': '::ffff:0.0.0.0', 'label': 'a'}, ('127.0.0.1', 3306)),
    ({'connection': {'method': 'socket'}, 'port': 3306, 'bind_address': '*', 'label': 'a'}, ('127.0.0.1', 3306)),
    ({'connection': {'method': 'socket'}, 'port': 3306, 'bind_address': '10.0.0.5,127.0.0.1', 'label': 'a'}, ('10.0.0.5', 3306)),
    ({'connection': {'method': 'tcp', 'host': 'db1', 'port': 3307}, 'port': None, 'label': 'a'}, ('db1', 3307)),
    ({'connection': {'method': 'tcp', 'host': 'localhost', 'port': 3307}, 'port': None, 'label': 'a'}, None),
    ({'connection': {'method': 'socket'}, 'port': 3306, 'skip_networking': True, 'label': 'a'}, None),
])
def test_probe_targets_carry_the_server_label(result, probe):
    out = t.probe_targets([result])
    assert [(e['host'], e['port']) for e in out] == ([probe] if probe else [])
    assert all(e['label'] == 'a' and e['starttls'] == 'mysql' and e['source'] == 'db' for e in out)
    declared = t.probe_targets([], [{'host': 'vip', 'port': 3306, 'starttls': 'none'}])
    assert declared == [{'host': 'vip', 'port': 3306, 'starttls': 'none', 'source': 'declared'}]


def test_client_ca_files_on_the_node_in_containers_and_relative(tmp_path):
    (tmp_path / 'etc').mkdir()
    (tmp_path / 'etc' / 'ca.pem').write_text('x')
    disc = {'services': [
        {'service': 'nova', 'layout': 'distro', 'database_urls': [{'query': {'ssl_ca': '/etc/ca.pem'}}, {'query': {'ssl_ca': ['/a', '/etc']}},
                                                                  {'query': {'sslrootcert': 'rel.pem'}}, {'query': {}}]},
        {'service': 'glance', 'layout': 'kolla', 'component': 'glance-api', 'database_urls': [{'query': {'ssl_ca': '/etc/ca.pem'}}]}]}
    checks = t.client_ca_checks(disc)
    assert checks == [{'path': '/etc/ca.pem', 'container': ''}, {'path': '/etc', 'container': ''}, {'path': 'rel.pem', 'container': ''},
                      {'path': '/etc/ca.pem', 'container': 'glance_api'}]
    calls = []

    def run(argv):
        calls.append(argv)
        return 0, 'unreadable\n', ''
    records = t.check_client_ca_files(checks, str(tmp_path), '/usr/bin/docker', run)
    by = dict(((r['path'], r['where']), r) for r in records)
    assert (by[('/etc/ca.pem', 'node')]['exists'], by[('/etc/ca.pem', 'node')]['is_file']) == (True, True)
    assert (by[('/etc', 'node')]['exists'], by[('/etc', 'node')]['is_file']) == (True, False)
    assert by[('/etc/ca.pem', 'container')]['readable'] is False and calls[0][:3] == ['/usr/bin/docker', 'exec', 'glance_api']
    assert 'relative path' in by[('rel.pem', 'node')]['error']
    missing = t.check_client_ca_files([{'path': '/nope.pem', 'container': ''}], str(tmp_path))
    assert (missing[0]['exists'], missing[0]['error']) == (False, None)
    # without an engine the container checks are left out, as the role left them out
    assert [r['where'] for r in t.check_client_ca_files(checks, str(tmp_path))] == ['node', 'node', 'node']
    failing = t.check_client_ca_files(checks[3:], '/', '/usr/bin/podman', lambda argv: (125, '', 'Error: no container glance_api\n'))
    assert failing[0]['error'] == 'Error: no container glance_api' and failing[0]['exists'] is None
    assert os.path.exists(str(tmp_path / 'etc' / 'ca.pem'))
