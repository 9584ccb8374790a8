# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The shortcuts that make host_evidence_info cheaper in CPU (docs/scale.md) give the answers of the long way:
the kept answers of is_secret_key and mask_text, the kept normalised roots of rootfs, the fast paths of
sanitize.clean and of the masking walk."""

from __future__ import absolute_import, division, print_function

import importlib.util
import json
import os
import posixpath
import subprocess
import sys

import pytest

from ansible_collections.scs.secure_connections.plugins.module_utils._core import rootfs as _rootfs
from ansible_collections.scs.secure_connections.plugins.module_utils._core import sanitize as _sanitize
from ansible_collections.scs.secure_connections.plugins.module_utils._core import secrets as _secrets
from ansible_collections.scs.secure_connections.plugins.module_utils._core.rootfs import ReadError

NAMES = ['password', 'Password', 'db.password', 'ssl_key', 'key_file', 'transport_url', 'pass', 'loose_password',
         'fixed_key', 'user', 'x-auth-token', 'maximum_password', 'memcache_secret_key', 'host_username']
TEXTS = ['rabbit://u:p@h:5671/', 'plain', 'a=b password=x', '-setcookie abc', 'Authorization: Bearer tok',
         '-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----', 'https://h/?token=t&x=1']


@pytest.fixture
def fresh_memos(monkeypatch):
    monkeypatch.setattr(_secrets, '_SECRET_KEY_MEMO', {})
    monkeypatch.setattr(_secrets, '_MASK_TEXT_MEMO', {})


def test_kept_answers_are_the_computed_ones(fresh_memos):
    for name in NAMES:
        assert _secrets.is_secret_key(name) == _secrets._is_secret_name(name)
        assert _secrets.is_secret_key(name) == _secrets._is_secret_name(name)  # the kept answer
    assert _secrets.is_secret_key('password') and not _secrets.is_secret_key('ssl_key')
    for text in TEXTS:
        first = _secrets.mask_text(text)
        assert first == _secrets._mask_text(text) == _secrets.mask_text(text)
    assert _secrets.mask_text('rabbit://u:p@h:5671/') == 'rabbit://u:%s@h:5671/' % _secrets.MASK


def test_the_memos_are_bounded(fresh_memos, monkeypatch):
    monkeypatch.setattr(_secrets, '_MEMO_MAX_ENTRIES', 5)
    for index in range(50):
        assert _secrets.mask_text('value-%d password=secret%d' % (index, index)) == 'value-%d password=%s' % (index, _secrets.MASK)
        _secrets.is_secret_key('name_%d' % index)
    assert len(_secrets._MASK_TEXT_MEMO) == 5 and len(_secrets._SECRET_KEY_MEMO) == 5
    long_text = 'x' * _secrets._MEMO_MAX_LENGTH + ' password=hunter2'
    monkeypatch.setattr(_secrets, '_MASK_TEXT_MEMO', {})
    assert _secrets.MASK in _secrets.mask_text(long_text)
    assert long_text not in _secrets._MASK_TEXT_MEMO


def test_mask_secrets_walk_keeps_every_rule(fresh_memos):
    data = {'password': 's3cret', 'empty_password': '', 'port': 5671, 'pass': 5, 'pw': 'x', 'token': None,
            'ssl_key': '/etc/key.pem', 'dn_lookup_bind': ['cn=admin', 'pw1'], 'nested': [['password', 'pw2'], ['-setcookie', 'c1']],
            'url': 'mysql+pymysql://nova:dbpw@db/nova', 'flag': True, 'secret_key': 12, 'items': ('a', 'token=t1')}
    masked = _secrets.mask_secrets(data, extra_values=['known-secret'])
    assert masked == {'password': _secrets.MASK, 'empty_password': '', 'port': 5671, 'pass': 5, 'pw': _secrets.MASK, 'token': None,
                      'ssl_key': '/etc/key.pem', 'dn_lookup_bind': ['cn=admin', _secrets.MASK],
                      'nested': [['password', _secrets.MASK], ['-setcookie', _secrets.MASK]],
                      'url': 'mysql+pymysql://nova:%s@db/nova' % _secrets.MASK, 'flag': True, 'secret_key': _secrets.MASK,
                      'items': ['a', 'token=%s' % _secrets.MASK]}
    assert _secrets.mask_secrets(masked) == masked  # masking twice changes nothing
    assert _secrets.mask_secrets({'a': 'x known-secret y'}, extra_values=['known-secret']) == {'a': 'x %s y' % _secrets.MASK}


def test_clean_fast_paths_give_the_long_answers():
    value = {'a': 'text', u'caf\xe9': u'\ud800x', 1: 2.5, 'n': float('nan'), 'b': b'\xff', 's': {3, 1}, 't': (1, None, True)}
    assert _sanitize.clean(value) == {'a': 'text', u'caf\xe9': u'\ufffdx', 1: 2.5, 'n': 'nan', 'b': u'\ufffd', 's': [1, 3],
                                      't': [1, None, True]}
    deep = current = {}
    for _level in range(_sanitize.MAX_DEPTH + 5):
        current['k'] = {}
        current = current['k']
    cleaned = _sanitize.clean(deep)
    for _level in range(_sanitize.MAX_DEPTH // 2):
        cleaned = cleaned['k']
    assert '[nested too deeply; not shown]' in repr(cleaned)


@pytest.mark.parametrize('root', ['/srv/tree', '/srv/tree/', '//srv//tree', '/', '//', '/srv/./x/../tree'])
def test_host_path_is_os_path_join(root):
    for path in ('/etc/nova/nova.conf', 'etc/x', '/', '', '//etc'):
        rel = path.lstrip('/')
        expected = os.path.join(os.path.abspath(root), rel) if rel else os.path.abspath(root)
        assert _rootfs.host_path(root, path) == expected


def test_a_relative_root_follows_the_working_directory(tmp_path, monkeypatch):
    for name in ('one', 'two'):
        os.makedirs(str(tmp_path / name / 'tree' / 'etc'))
    monkeypatch.chdir(str(tmp_path / 'one'))
    assert _rootfs.host_path('tree', '/etc') == str(tmp_path / 'one' / 'tree' / 'etc')
    monkeypatch.chdir(str(tmp_path / 'two'))
    assert _rootfs.host_path('tree', '/etc') == str(tmp_path / 'two' / 'tree' / 'etc')
    assert 'tree' not in _rootfs._NORM_ROOTS


def test_resolution_stays_inside_the_tree(tmp_path):
    root = str(tmp_path / 'tree')
    os.makedirs(os.path.join(root, 'etc'))
    outside = tmp_path / 'outside.conf'
    outside.write_text(u'secret = 1\n')
    os.symlink(str(outside), os.path.join(root, 'etc', 'abs.conf'))
    os.symlink('../../../outside.conf', os.path.join(root, 'etc', 'rel.conf'))
    os.symlink('/etc/abs.conf', os.path.join(root, 'etc', 'chain.conf'))
    for _twice in range(2):  # the second time with the root's normal form kept
        for name in ('abs.conf', 'rel.conf', 'chain.conf'):
            resolved = _rootfs.resolve(root, '/etc/' + name)
            real = _rootfs.real_path(root, '/etc/' + name)
            assert real.startswith(root + '/'), (name, real)
            assert posixpath.normpath(real) == real
            with pytest.raises(ReadError):
                _rootfs.read_bytes(root, '/etc/' + name)
            assert resolved.startswith('/')
        assert _rootfs.resolve(root + '/', '/../../outside.conf') == '/outside.conf'


def _snapshot_modules(root):
    """The module_utils a gather_host run over the snapshot ``root`` imports (the script of spine/test_optional.py)."""
    spec = importlib.util.spec_from_file_location('_scs_test_optional', os.path.join(os.path.dirname(__file__), '..', 'spine', 'test_optional.py'))
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    out = subprocess.run([sys.executable, '-c', script._SNAPSHOT, str(root)], stdout=subprocess.PIPE, check=True,
                         env=dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path)))
    return json.loads(out.stdout.decode())


COMPUTE_NODE = {
    'etc/nova/nova.conf': '[DEFAULT]\ntransport_url = rabbit://nova:novapw@10.0.0.1:5671/\n[libvirt]\nvirt_type = kvm\n',
    'etc/libvirt/libvirtd.conf': 'listen_tls = 1\nlisten_tcp = 0\n',
    'etc/neutron/plugins/ml2/openvswitch_agent.ini': '[ovs]\nlocal_ip = 10.0.1.5\n',
}


def test_a_compute_node_compiles_no_proxy_rabbitmq_or_option_file_parser(tmp_path):
    """Discovery and the mq channel import the haproxy/nginx, RabbitMQ and my.cnf parsers only where their files exist
    (docs/scale.md)."""
    for path, text in COMPUTE_NODE.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text)
    result = _snapshot_modules(tmp_path)
    assert result['channels'] == ['db', 'mq', 'hv', 'net', 'sto'] and result['failed'] == []
    assert '_parsers.libvirt' in result['modules'] and '_parsers.oslo' in result['modules']  # the check can see imports
    assert not {'_parsers.proxy', '_parsers.mycnf', '_parsers.rabbitmq'} & set(result['modules'])
    (tmp_path / 'etc/haproxy').mkdir()
    (tmp_path / 'etc/haproxy/haproxy.cfg').write_text('frontend api\n    bind 10.0.0.5:443 ssl crt /etc/haproxy/api.pem\n')
    (tmp_path / 'etc/my.cnf').write_text('[mysqld]\nssl_cert = /etc/mysql/cert.pem\n')
    (tmp_path / 'etc/rabbitmq').mkdir()
    (tmp_path / 'etc/rabbitmq/rabbitmq.conf').write_text('listeners.ssl.default = 5671\n')
    result = _snapshot_modules(tmp_path)
    assert {'_parsers.proxy', '_parsers.mycnf', '_parsers.rabbitmq'} <= set(result['modules'])
    assert result['failed'] == []
