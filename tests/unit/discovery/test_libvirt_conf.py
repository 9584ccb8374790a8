# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""libvirtd.conf / qemu.conf (virconf), socket units and /etc/default/libvirtd."""

from __future__ import absolute_import, division, print_function

import pytest

from ansible_collections.scs.secure_connections.plugins.module_utils._parsers import libvirt as lc

from .helpers import dumps, fixture_text, truncations

CONF_CASES = [
    ('ints and strings', 'listen_tls = 0\nlisten_tcp=1\nlisten_addr = "0.0.0.0"\nauth_tcp = \'none\'\n',
     {'listen_tls': 0, 'listen_tcp': 1, 'listen_addr': '0.0.0.0', 'auth_tcp': 'none'}, []),
    ('commented defaults are not settings', '#listen_tls = 0\n  # tls_port = "16514"\n', {}, []),
    ('multi-line list with comments', 'tls_allowed_dn_list = [ "C=DE,CN=a", # first\n  "CN=b",\n]\n',
     {'tls_allowed_dn_list': ['C=DE,CN=a', 'CN=b']}, []),
    ('empty list and negative int', 'x = []\ny = -1\n', {'x': [], 'y': -1}, []),
    ('trailing comment and semicolon', 'log_level = 3 # info\nmax_clients = 5000;\n', {'log_level': 3, 'max_clients': 5000}, []),
    ('triple quoted', 'z = """a "quoted" b"""\n', {'z': 'a "quoted" b'}, []),
    ('last value wins', 'listen_tls = 0\nlisten_tls = 1\n', {'listen_tls': 1}, []),
    ('garbage then valid', 'this is not valid\nlisten_tcp = 1\n', {'listen_tcp': 1}, [1]),
    ('missing value', 'listen_tls =\nlisten_tcp = 1\n', {'listen_tcp': 1}, [1]),
    ('bare word value', 'listen_tls = yes\n', {}, [1]),
    ('unterminated string', 'listen_addr = "10.0.0.1\nlisten_tcp = 1\n', {'listen_tcp': 1}, [1]),
    ('unterminated list', 'tls_allowed_dn_list = ["a",\n', {}, [2]),
    ('text after value', 'listen_tls = 1 2\nauth_tls = "none"\n', {'auth_tls': 'none'}, [1]),
    ('bad list separator', 'x = ["a" "b"]\ny = 2\n', {'y': 2}, [1]),
]


@pytest.mark.parametrize('name, text, settings, error_lines', CONF_CASES, ids=[c[0] for c in CONF_CASES])
def test_parse_libvirt_conf(name, text, settings, error_lines):
    parsed = lc.parse_libvirt_conf(text)
    assert parsed['settings'] == settings
    assert [e['line'] for e in parsed['errors']] == error_lines
    dumps(parsed)


def test_real_files_and_no_defaults():
    kolla = lc.parse_libvirt_conf(fixture_text('kolla', '/etc/kolla/nova-libvirt/libvirtd.conf'))
    assert kolla['settings'] == {'listen_tcp': 1, 'auth_tcp': 'sasl', 'ca_file': '', 'log_level': 3,
                                 'log_outputs': '3:file:/var/log/kolla/libvirt/libvirtd.log', 'listen_addr': '10.0.0.11'}
    assert 'listen_tls' not in kolla['settings']          # absent stays absent: no defaults here
    distro = lc.parse_libvirt_conf(fixture_text('distro', '/etc/libvirt/libvirtd.conf'))
    assert distro['settings']['tls_no_verify_certificate'] == 1
    assert distro['lines']['tls_allowed_dn_list'] == 43
    qemu = lc.parse_libvirt_conf(fixture_text('distro', '/etc/libvirt/qemu.conf'))
    assert qemu['settings'] == {'default_tls_x509_cert_dir': '/etc/pki/qemu', 'default_tls_x509_verify': 1,
                                'migrate_tls_x509_verify': 1, 'migrate_tls_force': 1}


@pytest.mark.parametrize('layout, path', [('distro', '/etc/libvirt/libvirtd.conf'), ('kolla', '/etc/kolla/nova-libvirt/qemu.conf')])
def test_truncated_never_crash(layout, path):
    for cut in truncations(fixture_text(layout, path)):
        dumps(lc.parse_libvirt_conf(cut))


UNIT_CASES = [
    ('[Socket]\nListenStream=16514\nService=libvirtd.service\n', ['16514']),
    ('[Socket]\nListenStream=16509\n[Socket]\nListenStream=\nListenStream=127.0.0.1:16509\n', ['127.0.0.1:16509']),
    ('[Socket]\nListenStream=[::1]:16514 \\\n  0.0.0.0:16514\n', ['[::1]:16514', '0.0.0.0:16514']),
    ('# no socket section\n[Unit]\nDescription=x\n', []),
    ('ListenStream=1\n[Socket\n', []),
]


@pytest.mark.parametrize('text, listen', UNIT_CASES, ids=range(len(UNIT_CASES)))
def test_socket_units(text, listen):
    assert lc.parse_systemd_unit(text)['listen_stream'] == listen


@pytest.mark.parametrize('value, parsed', [
    ('16514', {'address': None, 'port': 16514, 'path': None}),
    ('0.0.0.0:16509', {'address': '0.0.0.0', 'port': 16509, 'path': None}),
    ('[::]:16514', {'address': '::', 'port': 16514, 'path': None}),
    ('/run/libvirt/libvirt-sock', {'address': None, 'port': None, 'path': '/run/libvirt/libvirt-sock'}),
    ('host:notaport', {'address': 'host:notaport', 'port': None, 'path': None}),
])
def test_socket_listen(value, parsed):
    assert lc.parse_socket_listen(value) == parsed


@pytest.mark.parametrize('text, args, listen, nerrors', [
    ('LIBVIRTD_ARGS="--listen"\n', ['--listen'], True, 0),
    ('# Ubuntu < 16.04\nlibvirtd_opts="-d -l"\n', ['-d', '-l'], True, 0),
    ('export LIBVIRTD_ARGS="--timeout 120"\n', ['--timeout', '120'], False, 0),
    ('LIBVIRTD_ARGS="--listen # not closed\n', [], False, 1),
    ('garbage\n', [], False, 1),
    ('', [], False, 0),
])
def test_default_libvirtd(text, args, listen, nerrors):
    parsed = lc.parse_default_libvirtd(text)
    assert parsed['args'] == args
    assert parsed['listen'] is listen
    assert len(parsed['errors']) == nerrors
