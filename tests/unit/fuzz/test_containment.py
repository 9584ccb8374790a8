# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Containment: every read under a root goes through ``_core/rootfs`` (no escape by link or
``..``, no FIFO/device/socket, bounded size); one file's parser failure stays that file's; a
module result is always UTF-8 JSON. A FIFO that was opened would block: each such test runs
under an alarm so it fails instead of hanging."""

from __future__ import absolute_import, division, print_function

import json
import os
import signal
import socket

import pytest

from ansible_collections.scs.secure_connections.plugins.module_utils._core import rootfs
from ansible_collections.scs.secure_connections.plugins.module_utils._core.sanitize import clean
from ansible_collections.scs.secure_connections.plugins.module_utils._gather import discovery as _discovery
from ansible_collections.scs.secure_connections.plugins.module_utils._gather import listeners as li

from tests.unit.discovery.helpers import build

SECRET = 'HOSTSECRET-must-not-appear'
ROW = '   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 4242 1\n'


@pytest.fixture
def alarm():
    """Fail a test after 10 s instead of letting a blocking open() hang the suite."""
    def fire(_signum, _frame):
        raise AssertionError('blocked: a FIFO or device was opened')
    old = signal.signal(signal.SIGALRM, fire)
    signal.alarm(10)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, old)


@pytest.fixture
def host_secret(tmp_path):
    """A file outside every root the tests audit, holding a secret (stands for /etc/shadow)."""
    path = tmp_path / 'outside' / 'shadow'
    path.parent.mkdir()
    path.write_text(SECRET + '\n')
    return str(path)


def test_links_never_leave_the_root(tmp_path, host_secret):
    root = build(tmp_path / 'root', {
        '/etc/abs.conf': ('symlink', host_secret),
        '/etc/rel.conf': ('symlink', os.path.relpath(host_secret, str(tmp_path / 'root' / 'etc'))),
        '/etc/dots.conf': ('symlink', '../../../../../../../../..' + host_secret),
        '/etc/dir': ('symlink', os.path.dirname(host_secret)),
    })
    for path in ('/etc/abs.conf', '/etc/rel.conf', '/etc/dots.conf', '/etc/dir/shadow', '/../outside/shadow',
                 '/etc/../../outside/shadow'):
        with pytest.raises(rootfs.ReadError):
            rootfs.read_text(root, path)
    assert rootfs.listdir(root, '/etc/dir') == []
    assert rootfs.glob_paths(root, '/etc/dir/*') == []
    assert rootfs.readlink(root, '/etc/abs.conf') == host_secret   # the link's text, never the file


def test_special_files_are_not_opened(tmp_path, alarm):
    root = build(tmp_path / 'root', {'/etc/x': 'x'})
    os.mkfifo(os.path.join(root, 'etc', 'fifo'))
    sock = socket.socket(socket.AF_UNIX)
    try:
        sock.bind(os.path.join(root, 'etc', 'sock'))
        for path in ('/etc/fifo', '/etc/sock'):
            with pytest.raises(rootfs.ReadError) as exc:
                rootfs.read_text(root, path)
            assert 'not a regular file' in str(exc.value)
    finally:
        sock.close()
    # a device (this machine's /dev/null; creating one needs privileges)
    with pytest.raises(rootfs.ReadError) as exc:
        rootfs.read_text('/', '/dev/null')
    assert 'not a regular file' in str(exc.value)


def test_fifo_swapped_in_after_the_stat_does_not_block(tmp_path, alarm):
    """The open itself never blocks and fstat decides (a FIFO put in place between stat and open)."""
    fifo = str(tmp_path / 'fifo')
    os.mkfifo(fifo)
    with pytest.raises(rootfs.ReadError) as exc:
        rootfs._read_regular(fifo, '/fifo', 1024)  # pylint: disable=protected-access
    assert 'not a regular file' in str(exc.value)
    link = str(tmp_path / 'link')
    os.symlink('/dev/null', link)
    with pytest.raises(OSError):   # a link swapped in after resolving is not followed
        rootfs._read_regular(link, '/link', 1024)  # pylint: disable=protected-access


def test_size_is_bounded_and_unreadable_files_are_reported(tmp_path):
    root = build(tmp_path / 'root', {'/etc/big': 'x' * 5000, '/etc/secret': 'x'})
    with pytest.raises(rootfs.ReadError) as exc:
        rootfs.read_bytes(root, '/etc/big', max_size=100)
    assert 'larger than the limit' in str(exc.value)
    with pytest.raises(rootfs.ReadError):
        rootfs.read_bytes(root, '/etc/big', max_size=4999)
    assert len(rootfs.read_bytes(root, '/etc/big', max_size=None)) == 5000   # None is the default limit, not "unbounded"
    if os.geteuid() == 0:
        pytest.skip('root reads every file: permission denied cannot be shown')
    os.chmod(os.path.join(root, 'etc', 'secret'), 0)
    with pytest.raises(rootfs.ReadError) as exc:
        rootfs.read_text(root, '/etc/secret')
    assert 'permission denied' in str(exc.value)


def _proc(tmp_path, host_secret, special):
    proc = build(tmp_path / 'proc', {
        '/net/tcp6': ('symlink', host_secret),
        '/7/fd/3': ('symlink', 'socket:[4242]'),
        '/7/comm': ('symlink', host_secret),
        '/7/cgroup': ('symlink', '../../../outside/shadow'),
    })
    path = os.path.join(proc, 'net', 'tcp')
    if special == 'fifo':
        os.mkfifo(path)
    else:
        with open(path, 'w') as handle:
            handle.write(ROW)
    return proc


def test_listeners_fifo_in_proc_does_not_hang(tmp_path, host_secret, alarm):
    got = li.read_listeners(_proc(tmp_path, host_secret, 'fifo'), root=str(tmp_path / 'root'))
    assert got['listeners'] == []
    assert [e['message'] for e in got['errors']] == ['cannot read: not a regular file (FIFO, socket or device); not read']


def test_listeners_links_out_of_proc_are_not_followed(tmp_path, host_secret, alarm):
    root = build(tmp_path / 'root', {'/var/lib/docker/containers/%s' % ('ab' * 32): ('symlink', os.path.dirname(host_secret))})
    got = li.read_listeners(_proc(tmp_path, host_secret, 'file'), root=root)
    assert [(l['port'], l['pid'], l['process'], l['container']) for l in got['listeners']] == [(8080, 7, None, None)]
    assert SECRET not in json.dumps(got)


def test_one_broken_parser_costs_only_its_file(tmp_path, monkeypatch):
    root = build(tmp_path / 'root', {
        '/etc/ceph/a.conf': '[global]\nmon host = 10.0.0.1\n',
        '/etc/ceph/b.conf': '[global]\nmon host = 10.0.0.2 FAILHERE-secret\n',
        '/etc/kafka/server.properties': 'listeners=SSL://:9093\n',
    })
    real = _discovery.parse_ceph_conf

    def broken(text, secrets=None):
        if 'FAILHERE' in text:
            raise ValueError('parser bug quoting the file: %s' % text)
        return real(text, secrets)
    monkeypatch.setattr(_discovery, 'parse_ceph_conf', broken)
    result = _discovery.discover(root, gather=['infrastructure'])
    ceph = dict((e['file'], e) for e in result['infrastructure']['ceph'])
    assert ceph['/etc/ceph/a.conf']['errors'] == [] and ceph['/etc/ceph/a.conf']['mon_host']
    assert ceph['/etc/ceph/b.conf']['errors'] == [{'file': '/etc/ceph/b.conf', 'kind': 'internal', 'message':
                                                   'internal error parsing this file (ValueError); its settings are not in the evidence'}]
    assert ceph['/etc/ceph/b.conf']['mon_host'] == [] and ceph['/etc/ceph/b.conf']['sections'] == {}
    assert result['infrastructure']['kafka'][0]['listeners']
    assert 'FAILHERE' not in json.dumps(result)


def test_module_results_are_always_utf8_json():
    dirty = {'a': u'x\ud800y', u'\udfff': (1, float('nan'), float('inf')), 'b': {b'raw\xff', 2}, 'c': [None, True, 1.5]}
    out = clean(dirty)
    assert json.loads(json.dumps(out, allow_nan=False, ensure_ascii=False).encode('utf-8').decode('utf-8')) == {
        'a': u'x\ufffdy', u'\ufffd': [1, 'nan', 'inf'], 'b': [2, u'raw\ufffd'], 'c': [None, True, 1.5]}


def test_discovery_of_surrogate_escapes_reaches_the_report(tmp_path, capsys):
    """An Erlang escape decoding to a lone surrogate: the module still returns (Ansible refuses
    a result UTF-8 cannot encode, and then no report is written at all)."""
    from ansible.module_utils.testing import patch_module_args
    from ansible_collections.scs.secure_connections.plugins.modules import openstack_config_info
    root = build(tmp_path / 'root', {'/etc/rabbitmq/advanced.config': '[{rabbit, [{cluster_name, "a\\x{D800}b"}]}].\n'})
    assert u'\ud800' in json.dumps(_discovery.discover(root, gather=['infrastructure']), ensure_ascii=False)
    with patch_module_args({'root': root, 'gather': ['infrastructure']}):
        with pytest.raises(SystemExit):
            openstack_config_info.main()
    out = json.loads(capsys.readouterr().out)
    assert out['infrastructure']['rabbitmq'][0]['classic']['advanced.config']['apps']['rabbit']['cluster_name'] == u'a\ufffdb'
