# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""my.cnf / galera.cnf: groups, option names, includes, loops and broken files."""

from __future__ import absolute_import, division, print_function

import pytest

from ansible_collections.scs.secure_connections.plugins.module_utils._parsers import mycnf as _mycnf
from ansible_collections.scs.secure_connections.plugins.module_utils._core.secrets import MASK

from .helpers import build, dumps, fixture_text, tree, truncations

TEXT_CASES = [
    # (name, text, {group: {option: value}}, errors)
    ('names normalised', '[MYSQLD]\nSSL-CA = /ca.pem\nloose-require-secure-transport = ON\nLoose_ssl_cert=/c.pem\n',
     {'mysqld': {'ssl_ca': '/ca.pem', 'require_secure_transport': 'ON', 'ssl_cert': '/c.pem'}}, 0),
    ('bare option is True', '[mysqld]\nskip-name-resolve\nssl\n', {'mysqld': {'skip_name_resolve': True, 'ssl': True}}, 0),
    ('quotes and escapes', '[mysqld]\ninit-connect=\'SET NAMES utf8\'\nwsrep_cluster_name="open # stack"\npath = a\\\\b\\sc\n',
     {'mysqld': {'init_connect': 'SET NAMES utf8', 'wsrep_cluster_name': 'open # stack', 'path': 'a\\b c'}}, 0),
    # mysys/my_default.c remove_end_comment: the first '#' outside quotes ends the line, whitespace before it or not
    ('inline comments', '[mysqld]\nport = 3306 # default\ntmpdir = /var/lib/mysql/#tmp\nbind = 1 ; note\nssl=0#off\n'
     'name = "a # b" # c\nskip-ssl# here\n',
     {'mysqld': {'port': '3306', 'tmpdir': '/var/lib/mysql/', 'bind': '1', 'ssl': '0', 'name': 'a # b', 'skip_ssl': True}}, 0),
    ('last value wins', '[mysqld]\nport=1\nport=2\n', {'mysqld': {'port': '2'}}, 0),
    ('option outside group', 'port=1\n[mysqld]\nport=2\n', {'mysqld': {'port': '2'}}, 1),
    ('unterminated header', '[mysqld\nport=1\n[client]\nuser=a\n', {'client': {'user': 'a'}}, 2),
    ('unknown directive', '!includefoo /x\n[mysqld]\n', {}, 1),
    ('include without path', '!include\n', {}, 1),
    ('garbage line', '[mysqld]\n%%% ???\nport=1\n', {'mysqld': {'port': '1'}}, 1),
    ('unterminated quote kept', '[mysqld]\nname = "open\n', {'mysqld': {'name': 'open'}}, 0),
]


def test_server_groups_are_the_servers_only(tmp_path):
    # [mysqld-X.Y] / [mariadb-X.Y] / [mariadbd-X.Y] are version groups of the server; [mariadb-client] and
    # [mariadb-backup] are groups of tools (MariaDB KB "mariadbd Configuration Files and Groups")
    text = ('[mysqld]\nport = 3306\n[mariadb-client]\nssl-cert = /c.pem\n[mariadb-backup]\nssl-key = /k.pem\n'
            '[mariadb-10.11]\nssl-ca = /ca.pem\n[mysqld-8.0]\ntls_version = TLSv1.2\n[mariadbd-11.4]\nssl = ON\n')
    parsed = _mycnf.parse_mycnf('/etc/my.cnf', root=build(tmp_path, {'/etc/my.cnf': text}))
    assert parsed['server'] == {'port': '3306', 'ssl_ca': '/ca.pem', 'tls_version': 'TLSv1.2', 'ssl': 'ON'}
    assert parsed['client'] == {'ssl_cert': '/c.pem'}


@pytest.mark.parametrize('name, text, expected, nerrors', TEXT_CASES, ids=[c[0] for c in TEXT_CASES])
def test_parse_text(tmp_path, name, text, expected, nerrors):
    root = build(tmp_path, {'/etc/my.cnf': text})
    parsed = _mycnf.parse_mycnf('/etc/my.cnf', root=root)
    for group, options in expected.items():
        assert parsed['sections'][group] == options
    assert len(parsed['errors']) == nerrors, parsed['errors']
    dumps(parsed)


def test_debian_layout_with_alternatives_symlink():
    parsed = _mycnf.parse_mycnf('/etc/mysql/my.cnf', root=tree('distro'))
    assert parsed['files'] == ['/etc/mysql/my.cnf', '/etc/mysql/conf.d/mysql.cnf', '/etc/mysql/mariadb.conf.d/50-server.cnf',
                               '/etc/mysql/mariadb.conf.d/99-openstack.cnf']
    assert [i['directive'] for i in parsed['includes']] == ['!includedir', '!includedir']
    server = parsed['server']
    assert server['ssl_ca'] == '/etc/mysql/ssl/ca.pem'
    assert server['bind_address'] == '0.0.0.0'
    assert server['tls_version'] == 'TLSv1.2,TLSv1.3'
    assert server['require_secure_transport'] == 'OFF'      # loose- prefix, later file wins
    assert server['socket'] == '/run/mysqld/mysqld.sock'   # [client-server] is read by the server too
    assert parsed['origins']['mysqld']['ssl_ca'] == '/etc/mysql/mariadb.conf.d/50-server.cnf:35'
    assert parsed['errors'] == []


def test_galera_options_and_secret_masking():
    secrets = set()
    parsed = _mycnf.parse_mycnf('/etc/kolla/mariadb/galera.cnf', root=tree('kolla'), secrets=secrets)
    assert parsed['server']['wsrep_sst_auth'] == 'root:' + MASK
    assert parsed['wsrep_provider_options']['gmcast.listen_addr'] == 'tcp://10.0.0.11:4567'
    assert 'FIXTUREPWkollaDbRoot01' in secrets
    assert 'FIXTUREPW' not in dumps(parsed)


def test_include_order_and_current_group_continues(tmp_path):
    root = build(tmp_path, {
        '/etc/my.cnf': '[mysqld]\nport=1\n!include /etc/inc.cnf\nbind=after\n!includedir /etc/my.cnf.d\n',
        '/etc/inc.cnf': '[mysqld]\nport=2\n[client]\nuser=x\n',
        '/etc/my.cnf.d/b.cnf': '[mysqld]\nport=4\n',
        '/etc/my.cnf.d/a.cnf': '[mysqld]\nport=3\n',
        '/etc/my.cnf.d/z.conf': '[mysqld]\nport=99\n',        # only *.cnf are read
        '/etc/my.cnf.d/relative.cnf': '!include ../rel.cnf\n',
        '/etc/rel.cnf': '[mysqld]\nrelative=yes\n',
    })
    parsed = _mycnf.parse_mycnf('/etc/my.cnf', root=root)
    assert parsed['files'] == ['/etc/my.cnf', '/etc/inc.cnf', '/etc/my.cnf.d/a.cnf', '/etc/my.cnf.d/b.cnf',
                               '/etc/my.cnf.d/relative.cnf', '/etc/rel.cnf']
    assert parsed['sections']['mysqld'] == {'port': '4', 'bind': 'after', 'relative': 'yes'}
    # 'bind' comes after the include in [mysqld] of my.cnf, not in [client] of inc.cnf
    assert 'bind' not in parsed['sections']['client']


@pytest.mark.parametrize('files, message', [
    ({'/etc/my.cnf': '[mysqld]\n!include /etc/my.cnf\n'}, 'include loop (/etc/my.cnf -> /etc/my.cnf)'),
    ({'/etc/my.cnf': '!include /etc/a.cnf\n', '/etc/a.cnf': '!include /etc/b.cnf\n', '/etc/b.cnf': '!include /etc/my.cnf\n'},
     'include loop (/etc/my.cnf -> /etc/a.cnf -> /etc/b.cnf -> /etc/my.cnf)'),
    ({'/etc/my.cnf': '!includedir /etc/d\n', '/etc/d/x.cnf': '!includedir /etc/d\n'}, 'include loop'),
    ({'/etc/my.cnf': '!include /etc/link.cnf\n', '/etc/link.cnf': ('symlink', '/etc/my.cnf')}, 'include loop'),
    ({'/etc/my.cnf': '!include /etc/missing.cnf\n'}, 'no such file'),
    ({'/etc/my.cnf': '!includedir /etc/missing.d\n'}, '!includedir /etc/missing.d: no such directory'),
    ({'/etc/my.cnf': '!include /etc/dir.cnf\n', '/etc/dir.cnf': ('dir',)}, 'is a directory, not a file'),
    ({'/etc/my.cnf': '!include /etc/dangling.cnf\n', '/etc/dangling.cnf': ('symlink', '/nowhere')}, 'dangling symbolic link'),
    ({'/etc/my.cnf': b'[mysqld]\n# \xff\xfe broken\nport=1\n'}, 'not valid UTF-8'),
    ({'/etc/my.cnf': '[mysqld]\n' + 'x=1\n' * 400}, 'larger than the limit of 1000 bytes'),
])
def test_broken_includes_give_errors(tmp_path, files, message):
    root = build(tmp_path, files)
    parsed = _mycnf.parse_mycnf('/etc/my.cnf', root=root, max_size=1000)
    assert any(message in e['message'] for e in parsed['errors']), parsed['errors']
    dumps(parsed)


def test_deep_include_chain_stops(tmp_path):
    files = dict(('/etc/c%d.cnf' % i, '!include /etc/c%d.cnf\n[mysqld]\nlevel=%d\n' % (i + 1, i)) for i in range(30))
    files['/etc/my.cnf'] = '!include /etc/c0.cnf\n'
    parsed = _mycnf.parse_mycnf('/etc/my.cnf', root=build(tmp_path, files))
    assert any('nested deeper than 10' in e['message'] for e in parsed['errors'])


def test_missing_top_file(tmp_path):
    parsed = _mycnf.parse_mycnf('/etc/my.cnf', root=str(tmp_path))
    assert parsed['files'] == [] and parsed['errors'][0]['message'] == 'no such file'


def test_truncated_real_files_never_crash():
    text = fixture_text('osa', '/var/lib/lxc/aio1_galera_container-5e6f7a8b/rootfs/etc/mysql/conf.d/cluster.cnf')
    for cut in truncations(text):
        entries, _includes, _errors = _mycnf.parse_mycnf_text(cut, secrets=set())
        assert 'FIXTUREPW' not in dumps(entries)


def test_wsrep_provider_options():
    assert _mycnf.parse_wsrep_provider_options(' socket.ssl=yes; socket.ssl_key=/k ;;pc.ignore_sb') == {
        'socket.ssl': 'yes', 'socket.ssl_key': '/k', 'pc.ignore_sb': True}


def test_absolute_alternatives_links_resolve_inside_the_tree(tmp_path):
    """Debian really ships absolute links (/etc/mysql/my.cnf -> /etc/alternatives/my.cnf ->
    /etc/mysql/mariadb.cnf); the fixture uses relative ones (repository sanity rules), so
    rebuild the absolute chain here: it must resolve inside root, not on this machine."""
    import os
    import shutil
    root = str(tmp_path / 'distro')
    shutil.copytree(tree('distro'), root, symlinks=True)
    os.unlink(root + '/etc/mysql/my.cnf')
    os.unlink(root + '/etc/alternatives/my.cnf')
    os.symlink('/etc/alternatives/my.cnf', root + '/etc/mysql/my.cnf')
    os.symlink('/etc/mysql/mariadb.cnf', root + '/etc/alternatives/my.cnf')
    parsed = _mycnf.parse_mycnf('/etc/mysql/my.cnf', root=root)
    assert parsed['errors'] == []
    assert parsed['server']['ssl_cert'] == '/etc/mysql/ssl/server-cert.pem'
