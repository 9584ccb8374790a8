# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""oslo.config parsing, lookup semantics and the database / transport URL parsers."""

from __future__ import absolute_import, division, print_function

import pytest

from ansible_collections.scs.secure_connections.plugins.module_utils._parsers import oslo as oc
from ansible_collections.scs.secure_connections.plugins.module_utils._core.secrets import MASK

from .helpers import build, dumps, fixture_text, truncations

# --------------------------------------------------------------------------- INI semantics

INI_CASES = [
    # (name, text, {section: {option: effective}}, number of errors)
    ('sections and DEFAULT', '[DEFAULT]\ndebug = true\n[Database]\nconnection = sqlite://\n',
     {'DEFAULT': {'debug': 'true'}, 'database': {'connection': 'sqlite://'}}, 0),
    ('colon separator and first separator wins', '[a]\nk: v=1\nj = x:y\n', {'a': {'k': 'v=1', 'j': 'x:y'}}, 0),
    ('quotes stripped once', '[a]\nk = "quoted"\nj = \'single\'\nm = "unbalanced\'\n',
     {'a': {'k': 'quoted', 'j': 'single', 'm': '"unbalanced\''}}, 0),
    ('continuation lines', '[a]\nk = one\n  two\n\tthree\n', {'a': {'k': 'one\ntwo\nthree'}}, 0),
    ('blank line ends a value', '[a]\nk = one\n\n  orphan\n', {'a': {'k': 'one'}}, 1),
    ('comments', '# c\n; c\n[a]\n#k = no\nk = yes\n', {'a': {'k': 'yes'}}, 0),
    ('repeated key: last wins', '[a]\nk = 1\nk = 2\n', {'a': {'k': '2'}}, 0),
    ('empty value', '[a]\nk =\n', {'a': {'k': ''}}, 0),
    ('option before section', 'k = 1\n[a]\nj = 2\n', {'a': {'j': '2'}}, 1),
    ('no separator', '[a]\njunk line\nk = 1\n', {'a': {'k': '1'}}, 1),
    ('bad header', '[a\nk = 1\n[b]\nj = 2\n', {'b': {'j': '2'}}, 2),
    ('empty header', '[]\nk = 1\n', {}, 2),
    ('empty key', '[a]\n = 1\n', {'a': {}}, 1),
    ('CRLF line ends', '[a]\r\nk = v\r\n', {'a': {'k': 'v'}}, 0),
]


@pytest.mark.parametrize('name, text, expected, nerrors', INI_CASES, ids=[c[0] for c in INI_CASES])
def test_ini_semantics(name, text, expected, nerrors):
    conf = oc.parse_oslo_config(text)
    got = dict((s, o) for s, o in conf['sections'].items())
    for section, options in expected.items():
        assert got.get(section, {}) == options
    assert len(conf['errors']) == nerrors, conf['errors']
    for err in conf['errors']:
        assert err['file'] == '<text>' and err['message']


def test_multi_values_across_files():
    conf = oc.parse_oslo_config([('/etc/nova/nova.conf', '[pci]\nalias = a\nalias = b\n[x]\nk = 1\n'),
                                 ('/etc/nova/nova.conf.d/10.conf', '[PCI]\nalias = c\n[x]\nk = 2\n')])
    assert conf['multi']['pci']['alias'] == ['a', 'b', 'c']
    assert conf['sections']['x']['k'] == '2'
    assert conf['origins']['x']['k'] == '/etc/nova/nova.conf.d/10.conf'
    assert conf['files'] == ['/etc/nova/nova.conf', '/etc/nova/nova.conf.d/10.conf']


LOOKUP_CASES = [
    # deprecated [DEFAULT] rabbit_use_ssl in the only file
    ([('/a', '[DEFAULT]\nrabbit_use_ssl = true\n')], 'true', ('DEFAULT', 'rabbit_use_ssl')),
    # current name beats deprecated name in the same file
    ([('/a', '[DEFAULT]\nrabbit_use_ssl = true\n[oslo_messaging_rabbit]\nssl = false\n')], 'false', ('oslo_messaging_rabbit', 'ssl')),
    # a deprecated name in a LATER file beats the current name in an earlier file (oslo.config order)
    ([('/a', '[oslo_messaging_rabbit]\nssl = false\n'), ('/b', '[DEFAULT]\nrabbit_use_ssl = true\n')], 'true', ('DEFAULT', 'rabbit_use_ssl')),
    # unset
    ([('/a', '[DEFAULT]\ndebug = true\n')], None, None),
]


@pytest.mark.parametrize('sources, value, where', LOOKUP_CASES)
def test_lookup_order(sources, value, where):
    conf = oc.parse_oslo_config(sources)
    got, found, _file = oc.oslo_lookup(conf, 'oslo_messaging_rabbit', 'ssl',
                                       [('oslo_messaging_rabbit', 'rabbit_use_ssl'), ('DEFAULT', 'rabbit_use_ssl')])
    assert got == value
    assert found == where


def test_files_and_config_dirs(tmp_path):
    root = build(tmp_path, {
        '/etc/nova/nova.conf': '[libvirt]\nlive_migration_with_native_tls = false\nvirt_type = qemu\n',
        '/etc/nova/nova.conf.d/50-b.conf': '[libvirt]\nlive_migration_with_native_tls = true\n',
        '/etc/nova/nova.conf.d/10-a.conf': '[libvirt]\nvirt_type = kvm\nlive_migration_with_native_tls = maybe\n',
        '/etc/nova/nova.conf.d/README': '[libvirt]\nvirt_type = lxc\n',
        '/etc/nova/broken.conf': ('dir',),
    })
    conf = oc.parse_oslo_config(['/etc/nova/nova.conf', '/etc/nova/missing.conf', '/etc/nova/broken.conf'], root=root,
                                config_dirs=['/etc/nova/nova.conf.d', '/etc/nova/no-such.d'])
    assert conf['files'] == ['/etc/nova/nova.conf', '/etc/nova/nova.conf.d/10-a.conf', '/etc/nova/nova.conf.d/50-b.conf']
    assert conf['sections']['libvirt'] == {'live_migration_with_native_tls': 'true', 'virt_type': 'kvm'}
    messages = dict((e['file'], e['message']) for e in conf['errors'])
    assert messages['/etc/nova/missing.conf'] == 'no such file'
    assert messages['/etc/nova/broken.conf'] == 'is a directory, not a file'
    assert 'config-dir does not exist' in messages['/etc/nova/no-such.d']


@pytest.mark.parametrize('raw, value', [
    ('true', True), ('True', True), ('YES', True), ('on', True), ('1', True),
    ('false', False), ('No', False), ('off', False), ('0', False),
    (None, None), ('maybe', 'maybe'), ('', ''),
])
def test_to_bool(raw, value):
    assert oc.to_bool(raw) == value


def test_masking_and_secret_collection():
    secrets = set()
    conf = oc.parse_oslo_config(
        '[keystone_authtoken]\npassword = FIXTUREPWks1\nmemcache_secret_key = FIXTUREPWmc2\ncafile = /etc/ca.pem\n'
        '[key_manager]\nfixed_key = FIXTUREPWfixed3\n'
        '[DEFAULT]\ntransport_url = rabbit://u:FIXTUREPWmq4@h1:5671,u:FIXTUREPWmq4@h2:5671/\n'
        '[database]\nconnection = mysql+pymysql://u:FIXTUREPW/db@5:x@db/nova\n', secrets=secrets)
    text = dumps(conf)
    assert 'FIXTUREPW' not in text
    assert conf['sections']['keystone_authtoken'] == {'password': MASK, 'memcache_secret_key': MASK, 'cafile': '/etc/ca.pem'}
    assert conf['sections']['database']['connection'] == 'mysql+pymysql://u:%s@db/nova' % MASK
    assert {'FIXTUREPWks1', 'FIXTUREPWmc2', 'FIXTUREPWfixed3', 'FIXTUREPWmq4', 'FIXTUREPW/db@5:x'} <= secrets
    raw = oc.parse_oslo_config('[a]\npassword = x1\n', mask=False)
    assert raw['sections']['a']['password'] == 'x1'


@pytest.mark.parametrize('value, masked', [
    ('rabbit://cinder:FIXTUREPWcut', 'rabbit://cinder:' + MASK),          # file cut inside the password
    ('mysql+pymysql://nova:FIXTUREPWab/cd', 'mysql+pymysql://nova:' + MASK),
    ('rabbit://h1:5672,h2:5672/', 'rabbit://h1:5672,h2:5672/'),          # ports stay
    ('https://keystone.example:5000/v3', 'https://keystone.example:5000/v3'),
    ('rabbit://u:p,wFIXTUREPW@h:5671/', 'rabbit://u:%s@h:5671/' % MASK),        # ',' inside the password
    ('redis://:FIXTUREPWredis@10.0.0.1:6379', 'redis://:%s@10.0.0.1:6379' % MASK),
    ('http://[fd00::1]:5000', 'http://[fd00::1]:5000'),
])
def test_mask_value_cut_urls(value, masked):
    assert oc.mask_value(value) == masked


def test_malformed_line_excerpt_hides_secrets():
    conf = oc.parse_oslo_config('[a]\npassword FIXTUREPWnoequals\n')
    assert 'FIXTUREPW' not in dumps(conf)
    assert conf['errors'][0]['line'] == 2


@pytest.mark.parametrize('layout, path', [
    ('kolla', '/etc/kolla/nova-compute/nova.conf'),
    ('osa', '/etc/nova/nova.conf'),
    ('distro', '/etc/cinder/cinder.conf'),
])
def test_truncated_real_files_never_crash(layout, path):
    text = fixture_text(layout, path)
    for cut in truncations(text):
        conf = oc.parse_oslo_config(cut)
        dumps(conf)
        assert 'FIXTUREPW' not in dumps(conf['sections'])


def test_huge_text_is_linear():
    text = '[DEFAULT]\n' + ''.join('opt%d = value%d\n' % (i, i) for i in range(50000))
    conf = oc.parse_oslo_config(text)
    assert len(conf['sections']['DEFAULT']) == 50000


# --------------------------------------------------------------------------- database URLs

DB_CASES = [
    ('mysql+pymysql://nova:FIXTUREPWa@10.0.0.10:3306/nova?ssl_ca=/etc/ca.pem&charset=utf8',
     dict(dialect='mysql', driver='pymysql', user='nova', host='10.0.0.10', port=3306, database='nova',
          query={'ssl_ca': '/etc/ca.pem', 'charset': 'utf8'}, password_set=True, error=None)),
    ('mysql+pymysql://nova:FIXTUREPW/b:c@d@db.example/nova',      # SQLAlchemy 2: last @ ends the password
     dict(user='nova', host='db.example', port=None, database='nova', password_set=True)),
    ('mysql+pymysql://nova:FIXTUREPWe@[fd00::10]:3306/nova', dict(host='fd00::10', port=3306)),
    ('mysql://nova@localhost/nova?unix_socket=/run/mysqld/mysqld.sock',
     dict(driver=None, password_set=False, query={'unix_socket': '/run/mysqld/mysqld.sock'})),
    ('mysql+pymysql://u:p%40ss@h/db?ssl_ca=&ssl_verify_cert=false', dict(query={'ssl_ca': '', 'ssl_verify_cert': 'false'})),
    ('mysql+pymysql://u:FIXTUREPWf@h/db?ssl_ca=/a&ssl_ca=/b', dict(query={'ssl_ca': ['/a', '/b']})),
    ('postgresql+psycopg2://keystone:FIXTUREPWg@pg:5432/keystone?sslmode=verify-full&sslrootcert=/ca.pem',
     dict(dialect='postgresql', driver='psycopg2', port=5432, query={'sslmode': 'verify-full', 'sslrootcert': '/ca.pem'})),
    ('sqlite:////var/lib/nova/nova.sqlite', dict(dialect='sqlite', host=None, database='/var/lib/nova/nova.sqlite')),
    ('mysql+pymysql://u:FIXTUREPWh@h:notaport/db', dict(port=None, error="port 'notaport' is not a number")),
    ('mysql+pymysql://u:FIXTUREPWi@h:99999/db', dict(port=None, error='port 99999 is out of range')),
    ('', dict(error='empty database URL')),
    ('not a url', dict(error='not an SQLAlchemy URL (expected dialect[+driver]://user:password@host:port/database?options)')),
]


@pytest.mark.parametrize('url, expected', DB_CASES, ids=range(len(DB_CASES)))
def test_parse_db_url(url, expected):
    secrets = set()
    got = oc.parse_db_url(url, secrets)
    for key, value in expected.items():
        assert got[key] == value, key
    assert 'FIXTUREPW' not in dumps(got)
    if got['password_set']:
        assert MASK in got['url']
        assert any(s.startswith('FIXTUREPW') or s == 'p%40ss' for s in secrets)


# --------------------------------------------------------------------------- transport URLs

TRANSPORT_CASES = [
    ('rabbit://openstack:FIXTUREPWa@10.0.0.11:5672//',
     dict(scheme='rabbit', virtual_host='/', query={}, hosts=[{'host': '10.0.0.11', 'port': 5672, 'user': 'openstack', 'password_set': True}])),
    ('rabbit://nova:FIXTUREPWb@h1:5671,nova:FIXTUREPWb@h2:5671,nova:FIXTUREPWb@h3:5671//nova?ssl=1',
     dict(virtual_host='/nova', query={'ssl': '1'}, hosts=[{'host': h, 'port': 5671, 'user': 'nova', 'password_set': True} for h in ('h1', 'h2', 'h3')])),
    ('rabbit://u:FIXTUREPWc@[fd00::11]:5671/?ssl=1&ssl_ca_file=/ca.pem',
     dict(virtual_host='', query={'ssl': '1', 'ssl_ca_file': '/ca.pem'}, hosts=[{'host': 'fd00::11', 'port': 5671, 'user': 'u', 'password_set': True}])),
    ('kafka://10.0.0.41:9093', dict(scheme='kafka', virtual_host=None, hosts=[{'host': '10.0.0.41', 'port': 9093, 'user': None, 'password_set': False}])),
    ('amqp://guest@qpid', dict(scheme='amqp', hosts=[{'host': 'qpid', 'port': None, 'user': 'guest', 'password_set': False}])),
    ('rabbit://u:FIXTUREPWd@h:port/', dict(error="port 'port' is not a number")),
    ('rabbit://u:FIXTUREPWe@[fd00::1/', dict(error="unterminated [IPv6] address in '[fd00::1'")),
    ('', dict(error='empty transport URL')),
    ('h1:5672', dict(error='not a transport URL (expected driver://[user:pass@]host:port[,...]/virtual_host)')),
]


@pytest.mark.parametrize('url, expected', TRANSPORT_CASES, ids=range(len(TRANSPORT_CASES)))
def test_parse_transport_url(url, expected):
    got = oc.parse_transport_url(url, set())
    for key, value in expected.items():
        assert got[key] == value, key
    assert 'FIXTUREPW' not in dumps(got)


@pytest.mark.parametrize('value, db, transport', [
    ('mysql+pymysql://a@b/c', True, False), ('postgresql://h/d', True, False), ('sqlite://', True, False),
    ('rabbit://h', False, True), ('kafka://h:9092', False, True), ('https://keystone:5000', False, False), (None, False, False),
])
def test_url_kinds(value, db, transport):
    assert oc.looks_like_db_url(value) is db
    assert oc.looks_like_transport_url(value) is transport
