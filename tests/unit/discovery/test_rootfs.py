# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Reading files of a tree that is not /: every bad file gives a ReadError with a clear reason."""

from __future__ import absolute_import, division, print_function

import os

import pytest

from ansible_collections.scs.secure_connections.plugins.module_utils._core import rootfs as _rootfs
from ansible_collections.scs.secure_connections.plugins.module_utils._core.rootfs import ReadError

from .helpers import build


@pytest.fixture
def root(tmp_path):
    return build(tmp_path, {
        '/etc/good.conf': 'a = 1\n',
        '/etc/dir.conf': ('dir',),
        '/etc/dangling.conf': ('symlink', '/etc/does-not-exist.conf'),
        '/etc/loop1': ('symlink', '/etc/loop2'),
        '/etc/loop2': ('symlink', '/etc/loop1'),
        '/etc/alternatives/my.cnf': ('symlink', '/etc/mysql/mariadb.cnf'),
        '/etc/mysql/my.cnf': ('symlink', '/etc/alternatives/my.cnf'),
        '/etc/mysql/mariadb.cnf': '[mysqld]\n',
        '/etc/relative.conf': ('symlink', 'good.conf'),
        '/etc/escape.conf': ('symlink', '../../../../../../../../etc/good.conf'),
        '/etc/latin1.conf': b'# caf\xe9\nkey = value\n',
        '/etc/nul.conf': b'a = 1\x00\x00\n',
        '/etc/bom.conf': b'\xef\xbb\xbf[DEFAULT]\n',
        '/etc/big.conf': 'x' * 5000,
    })


@pytest.mark.parametrize('path, message', [
    ('/etc/missing.conf', 'no such file'),
    ('/etc/dir.conf', 'is a directory, not a file'),
    ('/etc/dangling.conf', 'dangling symbolic link (points to /etc/does-not-exist.conf'),
    ('/etc/loop1', 'too many levels of symbolic links'),
    ('/etc/big.conf', 'larger than the limit of 1000 bytes'),
])
def test_read_errors(root, path, message):
    with pytest.raises(ReadError) as exc:
        _rootfs.read_text(root, path, max_size=1000)
    assert message in str(exc.value)
    assert exc.value.path == path


def test_fifo_is_not_opened(root):
    os.mkfifo(os.path.join(root, 'etc', 'fifo.conf'))
    with pytest.raises(ReadError) as exc:
        _rootfs.read_text(root, '/etc/fifo.conf')
    assert 'not a regular file' in str(exc.value)


@pytest.mark.parametrize('path, text, warning', [
    ('/etc/good.conf', 'a = 1\n', None),
    ('/etc/mysql/my.cnf', '[mysqld]\n', None),            # absolute links resolved inside the tree
    ('/etc/relative.conf', 'a = 1\n', None),
    ('/etc/escape.conf', 'a = 1\n', None),                # '..' never leaves the tree
    ('/etc/latin1.conf', u'# caf\ufffd\nkey = value\n', 'not valid UTF-8 (first bad byte 0xe9 at offset 5)'),
    ('/etc/nul.conf', 'a = 1\n', 'contains NUL bytes'),
    ('/etc/bom.conf', '[DEFAULT]\n', None),
])
def test_read_text(root, path, text, warning):
    got, warn = _rootfs.read_text(root, path)
    assert got == text
    if warning is None:
        assert warn is None
    else:
        assert warning in warn


def test_resolve_and_helpers(root):
    assert _rootfs.resolve(root, '/etc/mysql/my.cnf') == '/etc/mysql/mariadb.cnf'
    assert _rootfs.isfile(root, '/etc/mysql/my.cnf')
    assert not _rootfs.isfile(root, '/etc/dangling.conf')
    assert _rootfs.isdir(root, '/etc/dir.conf')
    assert not _rootfs.exists(root, '/etc/loop1')
    assert '/etc/good.conf' in _rootfs.glob_paths(root, '/etc/*.conf')
    assert _rootfs.glob_paths(root, '/nonexistent/*.conf') == []
    assert _rootfs.listdir(root, '/nonexistent') == []
    assert _rootfs.host_path('/', '/etc/x') == '/etc/x'
