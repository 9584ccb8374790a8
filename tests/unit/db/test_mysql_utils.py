# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""module_utils/_gather/mysql.py: parsers, ssl_type mapping, wsrep options, the container client path, masking.

The container path is tested here with a fake runner (no container engine can run on the test
machines); tests/integration/db runs it against a real MariaDB through a stand-in ``docker``.
"""

from __future__ import absolute_import, division, print_function

import json

import pymysql
import pytest

from ansible_collections.scs.secure_connections.plugins.module_utils._gather import mysql as m, specs
from ansible_collections.scs.secure_connections.plugins.module_utils._core.words import MYSQL, parse_bool


@pytest.mark.parametrize('version, comment, flavour, number', [
    ('10.11.19-MariaDB-0+deb12u1', 'Debian 12', 'mariadb', '10.11.19'),
    ('5.5.5-10.6.12-MariaDB-log', 'MariaDB Server', 'mariadb', '10.6.12'),
    ('11.4.2-MariaDB', None, 'mariadb', '11.4.2'),
    ('8.0.36', 'MySQL Community Server - GPL', 'mysql', '8.0.36'),
    ('8.0.35-27', 'Percona Server (GPL), Release 27', 'percona', '8.0.35'),
    ('5.7.44-log', 'MySQL Community Server (GPL)', 'mysql', '5.7.44'),
    (None, None, None, None),
])
def test_parse_version(version, comment, flavour, number):
    parsed = m.parse_version(version, comment)
    assert (parsed['flavour'], parsed['number']) == (flavour, number)


@pytest.mark.parametrize('raw, expected', [
    # mysql.global_priv JSON numbers, as verified on MariaDB 10.11 (see tests/integration/db)
    (0, 'NONE'), (1, 'ANY'), (2, 'X509'), (3, 'SPECIFIED'),
    ('0', 'NONE'), ('1', 'ANY'), ('2', 'X509'), ('3', 'SPECIFIED'),
    (None, 'NONE'),            # key absent: accounts never given a REQUIRE clause (root from install-db)
    ('NULL', 'NONE'),          # the mysql client prints SQL NULL like this
    # mysql.user enum text
    ('', 'NONE'), ('ANY', 'ANY'), ('X509', 'X509'), ('SPECIFIED', 'SPECIFIED'), ('any', 'ANY'), (b'X509', 'X509'),
    (7, 'UNKNOWN'), ('bogus', 'UNKNOWN'), (True, 'UNKNOWN'),
])
def test_ssl_type_name(raw, expected):
    assert m.ssl_type_name(raw) == expected


@pytest.mark.parametrize('raw, expected', [
    ('ON', True), ('on', True), ('YES', True), ('1', True), ('OFF', False), ('NO', False), ('0', False),
    ('DISABLED', False), (None, None), ('maybe', None),
])
def test_parse_bool_variable(raw, expected):
    assert parse_bool(raw, MYSQL, invalid=None) == expected


@pytest.mark.parametrize('raw, expected', [
    ('TLSv1.2,TLSv1.3', ['TLSv1.2', 'TLSv1.3']),
    ('TLSv1.1, TLSv1.2', ['TLSv1.1', 'TLSv1.2']),
    ('', []), (None, []),
])
def test_parse_tls_versions(raw, expected):
    assert m.parse_tls_versions(raw) == expected


@pytest.mark.parametrize('text, expected', [
    ('base_port = 4567; socket.ssl = YES; socket.ssl_cert = /c.pem; gcomm.thread_prio = ; ',
     {'base_port': '4567', 'socket.ssl': 'YES', 'socket.ssl_cert': '/c.pem', 'gcomm.thread_prio': ''}),
    ('socket.ssl_key=/k.pem;socket.ssl_cert=/c.pem;socket.ssl_ca=/ca.pem',
     {'socket.ssl_key': '/k.pem', 'socket.ssl_cert': '/c.pem', 'socket.ssl_ca': '/ca.pem'}),
    ('', {}), (None, {}), (';;', {}),
    ('gmcast.listen_addr = ssl://127.0.0.1:4567', {'gmcast.listen_addr': 'ssl://127.0.0.1:4567'}),
])
def test_parse_wsrep_provider_options(text, expected):
    assert m.parse_wsrep_provider_options(text) == expected


@pytest.mark.parametrize('options, enabled', [
    ({'socket.ssl': 'YES', 'socket.ssl_cert': '/c', 'socket.ssl_key': '/k', 'gmcast.listen_addr': 'ssl://0.0.0.0:4567'}, True),
    ({'socket.ssl_cert': '/c', 'socket.ssl_key': '/k'}, True),
    ({'gmcast.listen_addr': 'ssl://0.0.0.0:4567'}, True),
    ({'socket.ssl': 'NO', 'socket.ssl_cert': '/c', 'socket.ssl_key': '/k'}, False),
    ({'socket.ssl': 'YES'}, False),
    ({'gmcast.listen_addr': 'tcp://0.0.0.0:4567'}, False),
    ({'base_port': '4567'}, False),
    ({}, None),
])
def test_galera_socket_tls(options, enabled):
    result = m.galera_socket_tls(options)
    assert result['enabled'] is enabled
    assert result['reason']


def test_service_accounts_validation_and_matching():
    with pytest.raises(ValueError):
        m.normalize_service_accounts([{'service': 'nova'}])
    with pytest.raises(ValueError):
        m.normalize_service_accounts(['nova'])
    wanted = m.normalize_service_accounts([{'user': 'nova', 'service': 'nova'}, {'user': 'glance', 'host': '10.%', 'service': 'glance'},
                                           {'user': 'cinder'}])
    accounts = [{'user': 'nova', 'host': '%'}, {'user': 'nova', 'host': 'localhost'}, {'user': 'glance', 'host': '%'},
                {'user': 'glance', 'host': '10.%'}, {'user': 'root', 'host': 'localhost'}]
    report = m.match_service_accounts(accounts, wanted)
    assert [(r['user'], r['found'], r['accounts']) for r in report] == [
        ('nova', True, ["'nova'@'%'", "'nova'@'localhost'"]), ('glance', True, ["'glance'@'10.%'"]), ('cinder', False, [])]
    assert [a['services'] for a in accounts] == [['nova'], ['nova'], [], ['glance'], []]
    assert report[2]['service'] == 'cinder'


def test_service_accounts_guessed_by_name_only_without_declared_ones():
    accounts = [{'user': 'nova_api', 'host': '%'}, {'user': 'keystone', 'host': '%'}, {'user': 'app', 'host': '%'},
                {'user': 'nova', 'host': '%', 'role': True}]
    assert m.match_service_accounts(accounts, [], guess=True) == []
    assert [(a['services'], a['service_match']) for a in accounts] == [
        (['nova'], 'name'), (['keystone'], 'name'), ([], None), ([], None)]
    accounts = [{'user': 'nova', 'host': '%'}]
    m.match_service_accounts(accounts, [], guess=False)
    assert accounts[0]['services'] == []


def test_argument_spec_marks_the_password_no_log_and_types_everything():
    spec = specs.MYSQL_ARGUMENT_SPEC
    assert spec['login_password']['no_log'] is True
    assert all('type' in option for option in spec.values())
    assert spec['login_config_file']['type'] == 'path'
    assert spec['ssl_mode']['choices'] == list(specs.SSL_MODES)


# ------------------------------------------------------------------------------------------
# container client path

def test_client_script_puts_each_query_on_a_known_line():
    script = m.build_client_script([('a', 'SELECT 1'), ('b', 'SELECT 2;')])
    assert script.splitlines() == ["SELECT 'scs-mysql-tls-info:0';", 'SELECT 1;', "SELECT 'scs-mysql-tls-info:1';", 'SELECT 2;']


@pytest.mark.parametrize('stdout, expected', [
    ('scs-mysql-tls-info:0\n10.11\tDebian\nscs-mysql-tls-info:1\nhave_ssl\tYES\nport\t3306\n',
     {'a': [('10.11', 'Debian')], 'b': [('have_ssl', 'YES'), ('port', '3306')]}),
    ('scs-mysql-tls-info:0\nx\tNULL\nscs-mysql-tls-info:1\n', {'a': [('x', None)], 'b': []}),
    ('scs-mysql-tls-info:0\n', {'a': []}),
    ('garbage before\nscs-mysql-tls-info:1\nv\n', {'b': [('v',)]}),
    ('', {}),
])
def test_parse_client_output(stdout, expected):
    assert m.parse_client_output([('a', ''), ('b', '')], stdout) == expected


@pytest.mark.parametrize('stderr, expected', [
    ("ERROR 1045 (28000): Access denied for user 'root'@'localhost' (using password: YES)",
     (1045, None, "Access denied for user 'root'@'localhost' (using password: YES)")),
    ('--------------\nSELECT x\n--------------\n\nERROR 1142 (42000) at line 4: SELECT command denied to user',
     (1142, 4, 'SELECT command denied to user')),
    ("ERROR 2002 (HY000): Can't connect to local server through socket '/x' (2)", (2002, None, "Can't connect to local server through socket '/x' (2)")),
    ('Error: No such container: mariadb', None),
    ('', None),
])
def test_parse_client_error(stderr, expected):
    assert m.parse_client_error(stderr) == expected


class FakeRunner(object):
    """Records every call; answers from a list of (rc, stdout, stderr)."""

    def __init__(self, answers):
        self.answers = list(answers)
        self.calls = []

    def __call__(self, argv, env, timeout):
        self.calls.append((list(argv), dict(env), timeout))
        return self.answers.pop(0)


def _container_params(**extra):
    params = dict(login_user='root', login_password='S3cret-pw!', login_host='localhost', login_port=3306, login_unix_socket=None,
                  login_config_file=None, connect_timeout=5, ssl_mode='preferred', ca_cert=None, client_cert=None, client_key=None,
                  container='mariadb', container_engine='auto', container_client='mariadb')
    params.update(extra)
    return params


def _which(name):
    return '/usr/bin/%s' % name if name == 'podman' else None


def test_container_argv_never_carries_the_password_and_reads_no_default_files():
    runner = FakeRunner([(0, "scs-mysql-tls-info:0\n1\n", '')])
    backend = m.ContainerBackend(_container_params(), runner=runner, which=_which)
    assert backend.run([('one', 'SELECT 1')]) == {'one': [('1',)]}
    argv, env, timeout = runner.calls[0]
    assert argv[:6] == ['/usr/bin/podman', 'exec', '-e', 'MYSQL_PWD', 'mariadb', 'mariadb']
    assert argv[6] == '--no-defaults'
    assert '--batch' in argv and '--raw' in argv and '--skip-column-names' in argv and '-e' in argv
    assert not any('S3cret' in a for a in argv)
    assert env == {'MYSQL_PWD': 'S3cret-pw!'}
    assert timeout == 35


@pytest.mark.parametrize('extra, expected, absent', [
    (dict(login_config_file='/etc/mysql/audit.cnf', login_user=None), ['--defaults-file=/etc/mysql/audit.cnf'], ['--no-defaults', '--user=root']),
    (dict(login_host='10.0.0.5', login_port=3307), ['--protocol=TCP', '--host=10.0.0.5', '--port=3307'], []),
    (dict(login_unix_socket='/var/lib/mysql/mysql.sock'), ['--protocol=SOCKET', '--socket=/var/lib/mysql/mysql.sock'], []),
    (dict(ssl_mode='disabled'), ['--skip-ssl'], ['--ssl']),
    (dict(ssl_mode='verify_ca', ca_cert='/ca.pem'), ['--ssl', '--ssl-verify-server-cert', '--ssl-ca=/ca.pem'], []),
    (dict(container_client='mysql', ssl_mode='verify_identity', ca_cert='/ca.pem'), ['--ssl-mode=VERIFY_IDENTITY', '--ssl-ca=/ca.pem'], []),
    (dict(login_password=None), [], ['-e MYSQL_PWD']),
])
def test_container_argv_options(extra, expected, absent):
    backend = m.ContainerBackend(_container_params(**extra), runner=FakeRunner([]), which=_which)
    argv = backend.argv('/usr/bin/podman', 'SELECT 1')
    for item in expected:
        assert item in argv
    joined = ' '.join(argv)
    for item in absent:
        assert item not in argv and item not in joined


def test_container_query_error_is_isolated_and_the_rest_still_runs():
    queries = [('a', 'SELECT 1'), ('b', 'SELECT * FROM mysql.global_priv'), ('c', 'SELECT 3')]
    runner = FakeRunner([
        (1, 'scs-mysql-tls-info:0\n1\nscs-mysql-tls-info:1\n', 'ERROR 1142 (42000) at line 4: SELECT command denied to user'),
        (0, 'scs-mysql-tls-info:0\n3\n', ''),
    ])
    out = m.ContainerBackend(_container_params(), runner=runner, which=_which).run(queries)
    assert out['a'] == [('1',)]
    assert isinstance(out['b'], m.QueryError) and out['b'].code == 1142 and out['b'].kind == 'privilege'
    assert out['c'] == [('3',)]
    assert runner.calls[1][0][-1] == "SELECT 'scs-mysql-tls-info:0';\nSELECT 3;"


@pytest.mark.parametrize('answer, kind, words', [
    ((1, '', "ERROR 1045 (28000): Access denied for user 'root'@'localhost' (using password: YES)"), 'auth', 'Access denied'),
    ((1, '', "ERROR 2002 (HY000): Can't connect to local server through socket '/run/mysqld/mysqld.sock' (2)"), 'refused', "Can't connect"),
    ((1, '', "ERROR 2013 (HY000): Lost connection to server at 'handshake: reading initial communication packet', system error: 11"),
     'timeout', 'Lost connection'),
    ((1, '', 'Error: No such container: mariadb'), 'container', 'does not exist'),
    ((127, '', 'OCI runtime exec failed: exec: "mariadb": executable file not found in $PATH'), 'container', 'not available'),
    ((None, '', 'timed out after 35s'), 'timeout', 'did not finish'),
])
def test_container_connection_errors(answer, kind, words):
    with pytest.raises(m.MySQLAccessError) as info:
        m.ContainerBackend(_container_params(), runner=FakeRunner([answer]), which=_which).run([('a', 'SELECT 1')])
    assert info.value.kind == kind
    assert words in info.value.message


def test_container_without_engine():
    with pytest.raises(m.MySQLAccessError) as info:
        m.ContainerBackend(_container_params(), runner=FakeRunner([]), which=lambda name: None).run([('a', 'SELECT 1')])
    assert info.value.kind == 'container' and 'docker or podman' in info.value.message


# ------------------------------------------------------------------------------------------
# error classification

@pytest.mark.parametrize('exc, kind', [
    (pymysql.err.OperationalError(1045, "Access denied for user 'x'@'h' (using password: YES)"), 'auth'),
    (pymysql.err.OperationalError(2003, "Can't connect to MySQL server on '127.0.0.1' ([Errno 111] Connection refused)"), 'refused'),
    (pymysql.err.OperationalError(2003, "Can't connect to MySQL server on '10.9.9.9' (timed out)"), 'timeout'),
    (pymysql.err.OperationalError(2003, "Can't connect to MySQL server on 'nohost' ([Errno -2] Name or service not known)"), 'dns'),
    (pymysql.err.OperationalError(2003, "Can't connect to MySQL server on '10.0.0.1' ([Errno 113] No route to host)"), 'unreachable'),
    (pymysql.err.OperationalError(2013, 'Lost connection to MySQL server during query (timed out)'), 'timeout'),
    (pymysql.err.OperationalError(2026, "SSL is required but the server doesn't support it"), 'tls'),
    (pymysql.err.OperationalError(4151, 'Connections using insecure transport are prohibited while --require_secure_transport=ON.'), 'tls_required'),
    (pymysql.err.OperationalError(1142, 'SELECT command denied'), 'privilege'),
    (pymysql.err.InternalError('Packet sequence number wrong - got 80 expected 0'), 'not_mysql'),
    (m.MySQLAccessError('config', 'x'), 'config'),
    (RuntimeError('boom'), 'internal'),
])
def test_classify_exception(exc, kind):
    assert m.classify_exception(exc)[0] == kind


# ------------------------------------------------------------------------------------------
# gather() with a scripted backend: result shape, least privilege, errors, masking

class ScriptedBackend(object):
    transport = 'tcp'

    def __init__(self, answers, secrets=('S3cret-pw!',), fail=None):
        self.answers = answers
        self.secrets = list(secrets)
        self.fail = fail
        self.closed = False

    def run(self, queries):
        if self.fail:
            raise self.fail
        return dict((name, self.answers.get(name, [])) for name, _sql in queries)

    def close(self):
        self.closed = True


VARS = [('have_ssl', 'YES'), ('ssl_ca', '/etc/mysql/ca.pem'), ('ssl_cert', '/etc/mysql/server.pem'), ('ssl_key', '/etc/mysql/server.key'),
        ('tls_version', 'TLSv1.2,TLSv1.3'), ('require_secure_transport', 'OFF'), ('port', '3306'), ('bind_address', '10.0.0.10'),
        ('wsrep_on', 'ON'), ('wsrep_provider', '/usr/lib/galera/libgalera_smm.so'), ('wsrep_sst_method', 'mariabackup'),
        ('wsrep_provider_options', 'gmcast.listen_addr = ssl://10.0.0.10:4567; socket.ssl = YES; socket.ssl_cert = /c.pem; socket.ssl_key = /k.pem')]
ANSWERS = {
    'identity': [('10.11.6-MariaDB-log', 'MariaDB Server', 'audit@localhost')],
    'variables': VARS,
    'session': [('Ssl_cipher', 'TLS_AES_256_GCM_SHA384'), ('Ssl_version', 'TLSv1.3')],
    'wsrep_status': [('wsrep_cluster_size', '3'), ('wsrep_cluster_status', 'Primary')],
    'mysql.global_priv': [('nova', '%', '1', '', '', '', 'mysql_native_password', None, None),
                          ('keystone', '%', '0', '', '', '', 'mysql_native_password', None, None),
                          ('cinder', '%', '2', '', '', '', 'mysql_native_password', None, None),
                          ('admin_role', '', None, None, None, None, None, None, 'true'),
                          ('root', 'localhost', None, None, None, None, 'mysql_native_password', None, None)],
}


def test_gather_full_result():
    backend = ScriptedBackend(dict(ANSWERS))
    result = m.gather(backend, _container_params(container=None), service_accounts=[{'user': 'nova', 'service': 'nova'}], label='db1')
    assert backend.closed
    assert result['status'] == 'ok' and result['error'] is None and result['label'] == 'db1'
    assert result['server']['flavour'] == 'mariadb' and result['current_user'] == 'audit@localhost'
    assert result['have_ssl'] == 'YES' and result['tls_versions'] == ['TLSv1.2', 'TLSv1.3']
    assert result['require_secure_transport'] is False
    assert result['session'] == {'transport': 'tcp', 'tls': True, 'ssl_version': 'TLSv1.3', 'ssl_cipher': 'TLS_AES_256_GCM_SHA384'}
    assert result['accounts_source'] == 'mysql.global_priv'
    assert [(a['user'], a['ssl_type'], a['services']) for a in result['accounts']] == [
        ('nova', 'ANY', ['nova']), ('keystone', 'NONE', []), ('cinder', 'X509', []), ('root', 'NONE', [])]
    assert result['service_accounts'] == [{'user': 'nova', 'host': None, 'service': 'nova', 'found': True, 'accounts': ["'nova'@'%'"]}]
    assert result['galera']['enabled'] is True and result['galera']['socket_tls']['enabled'] is True
    assert result['galera']['cluster_size'] == 3 and result['galera']['sst_method'] == 'mariabackup'
    assert result['port'] == 3306
    assert [u['what'] for u in result['unreadable']] == ['Galera SST TLS settings']


def test_gather_without_account_privilege_reports_unreadable():
    answers = dict(ANSWERS)
    answers['mysql.global_priv'] = m.QueryError(1142, "SELECT command denied to user 'audit'@'localhost' for table `mysql`.`global_priv`")
    answers['mysql.user'] = m.QueryError(1142, "SELECT command denied to user 'audit'@'localhost' for table `mysql`.`user`")
    result = m.gather(ScriptedBackend(answers), _container_params(container=None), service_accounts=[{'user': 'nova'}])
    assert result['status'] == 'ok' and result['have_ssl'] == 'YES'
    assert result['accounts'] is None
    unreadable = dict((u['what'], u['reason']) for u in result['unreadable'])
    assert 'GRANT SELECT ON mysql.global_priv' in unreadable['accounts']
    assert result['service_accounts'][0]['found'] is None


def test_gather_falls_back_to_mysql_user():
    answers = dict(ANSWERS)
    answers['mysql.global_priv'] = m.QueryError(1142, 'denied')
    answers['mysql.user'] = [('nova', '%', 'ANY', b'', b'', b'', 'mysql_native_password')]
    result = m.gather(ScriptedBackend(answers), _container_params(container=None))
    assert result['accounts_source'] == 'mysql.user'
    assert result['accounts'][0]['ssl_type'] == 'ANY' and result['accounts'][0]['services'] == ['nova']


def test_gather_mysql_reads_mysql_user():
    answers = dict(ANSWERS)
    answers['identity'] = [('8.0.36', 'MySQL Community Server - GPL', 'audit@%')]
    answers['mysql.user'] = [('glance', '%', 'SPECIFIED', b'', b'/CN=ca', b'/CN=glance', 'caching_sha2_password')]
    result = m.gather(ScriptedBackend(answers), _container_params(container=None))
    assert result['accounts_source'] == 'mysql.user'
    assert result['accounts'][0]['x509_subject'] == '/CN=glance'


@pytest.mark.parametrize('error, kind', [
    (m.MySQLAccessError('auth', "Access denied for user 'root'@'localhost' (password S3cret-pw! rejected)"), 'auth'),
    (pymysql.err.OperationalError(2003, "Can't connect to MySQL server on 'db' (S3cret-pw!)"), 'refused'),
    (RuntimeError('mysql+pymysql://nova:S3cret-pw!@db/nova exploded'), 'internal'),
])
def test_gather_errors_are_results_and_never_show_the_password(error, kind):
    result = m.gather(ScriptedBackend({}, fail=error), _container_params(container=None))
    assert result['status'] == 'error' and result['error']['kind'] == kind
    assert 'S3cret-pw!' not in json.dumps(result)
    assert '********' in result['error']['message']


def test_gather_rejects_bad_service_accounts_as_config_error():
    result = m.gather(ScriptedBackend(dict(ANSWERS)), _container_params(container=None), service_accounts=[{'service': 'x'}])
    assert result['status'] == 'error' and result['error']['kind'] == 'config'


def test_gather_server_without_wsrep_and_without_rst_variable():
    answers = dict(ANSWERS)
    answers['variables'] = [('have_ssl', 'DISABLED'), ('port', '3306')]
    result = m.gather(ScriptedBackend(answers), _container_params(container=None))
    assert result['galera'] is None
    assert result['require_secure_transport'] is None
    assert any(u['what'] == 'require_secure_transport' for u in result['unreadable'])


def test_pymysql_backend_rejects_missing_option_file(tmp_path):
    params = _container_params(container=None, login_config_file=str(tmp_path / 'nope.cnf'))
    result = m.gather(m.make_backend(params), params)
    assert result['status'] == 'error' and result['error']['kind'] == 'config'


def test_pymysql_backend_verify_needs_ca():
    params = _container_params(container=None, login_host='127.0.0.1', ssl_mode='verify_ca', ca_cert=None)
    result = m.gather(m.make_backend(params), params)
    assert result['error'] == {'kind': 'config', 'message': 'ssl_mode=verify_ca needs ca_cert'}


def test_option_file_password_is_masked_too(tmp_path):
    cnf = tmp_path / 'audit.cnf'
    cnf.write_text('[client]\nuser = audit\npassword = "FromFile-pw9"\n')
    backend = m.PyMySQLBackend(_container_params(container=None, login_password=None, login_config_file=str(cnf)))
    backend._config_file_password(str(cnf))  # pylint: disable=protected-access
    assert 'FromFile-pw9' in backend.secrets
