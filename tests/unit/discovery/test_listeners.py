# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Listening sockets from /proc/net/tcp{,6}: decoding, owners, containers; and this machine's real /proc."""

from __future__ import absolute_import, division, print_function

import json
import os
import socket

import pytest

from ansible_collections.scs.secure_connections.plugins.module_utils._gather import listeners as li

from .helpers import build

HEADER4 = '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n'
HEADER6 = ('  sl  local_address                         remote_address                        st tx_queue rx_queue tr '
           'tm->when retrnsmt   uid  timeout inode\n')


def row4(n, addr, port, state, inode, uid=0):
    return '%4d: %s:%04X 00000000:0000 %s 00000000:00000000 00:00000000 00000000 %5d        0 %d 1 0000000000000000 100 0 0 10 0\n' % (
        n, addr, port, state, uid, inode)


def row6(n, addr, port, state, inode, uid=0):
    return '%4d: %s:%04X 00000000000000000000000000000000:0000 %s 00000000:00000000 00:00000000 00000000 %5d        0 %d 1 0 100 0 0 10 0\n' % (
        n, addr, port, state, uid, inode)


@pytest.mark.parametrize('hex_addr, byteorder, address', [
    ('0100007F', 'little', '127.0.0.1'),
    ('00000000', 'little', '0.0.0.0'),
    ('0B00000A', 'little', '10.0.0.11'),
    ('7F000001', 'big', '127.0.0.1'),
    ('00000000000000000000000001000000', 'little', '::1'),
    ('00000000000000000000000000000000', 'little', '::'),
    ('0000000000000000FFFF00000100007F', 'little', '::ffff:127.0.0.1'),
    ('000000FD000000000000000001000000', 'little', 'fd00::1'),
])
def test_decode_address(hex_addr, byteorder, address):
    assert li.decode_address(hex_addr, byteorder) == address


@pytest.mark.parametrize('bad', ['', 'XYZ', '0100007', '01000070FF'])
def test_decode_address_rejects(bad):
    with pytest.raises(ValueError):
        li.decode_address(bad)


def test_parse_rows_listen_only_and_malformed():
    text = (HEADER4 + row4(0, '0100007F', 5671, '0A', 111) + row4(1, '0B00000A', 22, '01', 112)
            + '   2: garbage\n' + row4(3, 'ZZZZZZZZ', 80, '0A', 113))
    rows, errors = li.parse_proc_net_tcp(text, 'inet', byteorder='little')
    assert [(r['address'], r['port'], r['inode']) for r in rows] == [('127.0.0.1', 5671, 111)]
    assert [e['line'] for e in errors] == [4, 5]   # line 1 is the header


@pytest.mark.parametrize('cgroup, expected', [
    ('0::/system.slice/docker-%s.scope\n' % ('ab' * 32), {'engine': 'docker', 'id': 'ab' * 32}),
    ('12:memory:/docker/%s\n' % ('cd' * 32), {'engine': 'docker', 'id': 'cd' * 32}),
    ('0::/machine.slice/libpod-%s.scope/container\n' % ('ef' * 32), {'engine': 'podman', 'id': 'ef' * 32}),
    ('0::/lxc.payload.aio1_galera_container-5e6f7a8b/system.slice/mariadb.service\n', {'engine': 'lxc', 'id': 'aio1_galera_container-5e6f7a8b'}),
    ('4:cpu:/lxc/aio1_rabbit_mq_container-9c0d1e2f\n', {'engine': 'lxc', 'id': 'aio1_rabbit_mq_container-9c0d1e2f'}),
    ('0::/system.slice/nova-compute.service\n', None),
    ('', None),
])
def test_container_from_cgroup(cgroup, expected):
    assert li.container_from_cgroup(cgroup) == expected


def _fake_proc(tmp_path):
    """A /proc fixture: host namespace with a docker rabbitmq and a host sshd; no other namespaces."""
    docker_id = '5a' * 32
    proc = build(tmp_path / 'proc', {
        '/net/tcp': HEADER4 + row4(0, '0B00000A', 5672, '0A', 1001) + row4(1, '00000000', 22, '0A', 1002)
        + row4(2, '0100007F', 9999, '0A', 0),
        '/net/tcp6': HEADER6 + row6(0, '00000000000000000000000000000000', 22, '0A', 1003)
        + row6(1, '0000000000000000FFFF00000B00000A', 15672, '0A', 1004),
        '/812/comm': 'beam.smp\n',
        '/812/cgroup': '0::/system.slice/docker-%s.scope\n' % docker_id,
        '/812/fd/3': ('symlink', 'socket:[1001]'),
        '/812/fd/4': ('symlink', 'socket:[1004]'),
        '/812/fd/5': ('symlink', '/dev/null'),
        '/90/comm': 'sshd\n',
        '/90/cgroup': '0::/system.slice/ssh.service\n',
        '/90/fd/3': ('symlink', 'socket:[1002]'),
        '/90/fd/4': ('symlink', 'socket:[1003]'),
        '/91/comm': 'gone\n',
    })
    root = build(tmp_path / 'root', {
        '/var/lib/docker/containers/%s/config.v2.json' % docker_id: json.dumps({'Name': '/rabbitmq'}),
    })
    return proc, root


def test_fake_proc_owners_and_containers(tmp_path):
    proc, root = _fake_proc(tmp_path)
    got = li.read_listeners(proc, root=root)
    assert got['errors'] == []
    table = [(l['address'], l['port'], l['family'], l['process'], l['pid'], l['container'], l['ipv4_mapped']) for l in got['listeners']]
    assert table == [
        ('0.0.0.0', 22, 'inet', 'sshd', 90, None, None),
        ('::', 22, 'inet6', 'sshd', 90, None, None),
        ('10.0.0.11', 5672, 'inet', 'beam.smp', 812, 'rabbitmq', None),
        ('127.0.0.1', 9999, 'inet', None, None, None, None),
        ('::ffff:10.0.0.11', 15672, 'inet6', 'beam.smp', 812, 'rabbitmq', '10.0.0.11'),
    ]
    assert all(l['netns'] == 'host' for l in got['listeners'])


def test_container_name_unknown_gives_engine_and_id(tmp_path):
    proc, _root = _fake_proc(tmp_path)
    got = li.read_listeners(proc, root=str(tmp_path / 'empty'))
    rabbit = [l for l in got['listeners'] if l['port'] == 5672][0]
    assert rabbit['container'] == 'docker:' + '5a' * 6 and rabbit['container_engine'] == 'docker'


def test_missing_proc_gives_error(tmp_path):
    got = li.read_listeners(str(tmp_path / 'nothing'))
    assert got['listeners'] == [] and 'cannot read' in got['errors'][0]['message']


@pytest.mark.parametrize('family, host', [(socket.AF_INET, '127.0.0.1'), (socket.AF_INET6, '::1')])
def test_real_proc_finds_our_own_listener(family, host):
    """A socket this test opens on loopback must be found, owned by this process."""
    if family == socket.AF_INET6 and not socket.has_ipv6:
        pytest.skip('no IPv6 on this machine')
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        try:
            sock.bind((host, 0))
        except OSError as exc:
            pytest.skip('cannot bind %s: %s' % (host, exc))
        sock.listen(1)
        port = sock.getsockname()[1]
        got = li.read_listeners('/proc')
        mine = [l for l in got['listeners'] if l['port'] == port and l['address'] == host]
        assert len(mine) == 1, got['listeners']
        assert mine[0]['pid'] == os.getpid()
        assert mine[0]['family'] == ('inet' if family == socket.AF_INET else 'inet6')
        assert mine[0]['netns'] == 'host'
    finally:
        sock.close()
    # and once closed it is gone
    assert not [l for l in li.read_listeners('/proc')['listeners'] if l['port'] == port and l['address'] == host]
