# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Effective libvirt settings (file value or libvirt default), qemu.conf migration TLS defaults, and
the small parsers of the hypervisor gatherer and rules (table-driven)."""

from __future__ import absolute_import, division, print_function

import os

import pytest

from ansible_collections.scs.secure_connections.plugins.module_utils._core.settings import describe_setting
from ansible_collections.scs.secure_connections.plugins.module_utils._gather import libvirt as L
from ansible_collections.scs.secure_connections.plugins.module_utils._rules import hv as R
from ansible_collections.scs.secure_connections.plugins.module_utils._parsers.libvirt import parse_libvirt_conf

SHIPPED_COMMENTED = '''
#listen_tls = 0
#listen_tcp = 1
#tls_port = "16514"
#tcp_port = "16509"
#listen_addr = "192.168.0.1"
#auth_tcp = "sasl"
#auth_tls = "none"
#key_file = "/etc/pki/libvirt/private/serverkey.pem"
#cert_file = "/etc/pki/libvirt/servercert.pem"
#ca_file = "/etc/pki/CA/cacert.pem"
#tls_no_verify_certificate = 1
#tls_allowed_dn_list = ["DN1", "DN2"]
'''

# (case, libvirtd.conf text, key, expected value, expected source, expected line)
DAEMON_CASES = [
    ('shipped file: listen_tls default on although "#listen_tls = 0" is shown', SHIPPED_COMMENTED, 'listen_tls', 1, 'default', None),
    ('shipped file: listen_tcp default off although "#listen_tcp = 1" is shown', SHIPPED_COMMENTED, 'listen_tcp', 0, 'default', None),
    ('shipped file: listen_addr default = all interfaces', SHIPPED_COMMENTED, 'listen_addr', None, 'default', None),
    ('shipped file: tls_port default', SHIPPED_COMMENTED, 'tls_port', '16514', 'default', None),
    ('shipped file: tcp_port default', SHIPPED_COMMENTED, 'tcp_port', '16509', 'default', None),
    ('shipped file: auth_tcp default sasl', SHIPPED_COMMENTED, 'auth_tcp', 'sasl', 'default', None),
    ('shipped file: auth_tls default none', SHIPPED_COMMENTED, 'auth_tls', 'none', 'default', None),
    ('shipped file: tls_no_verify_certificate default 0 although "#... = 1" is shown', SHIPPED_COMMENTED,
     'tls_no_verify_certificate', 0, 'default', None),
    ('shipped file: tls_allowed_dn_list unset', SHIPPED_COMMENTED, 'tls_allowed_dn_list', None, 'default', None),
    ('shipped file: key_file default', SHIPPED_COMMENTED, 'key_file', '/etc/pki/libvirt/private/serverkey.pem', 'default', None),
    ('shipped file: cert_file default', SHIPPED_COMMENTED, 'cert_file', '/etc/pki/libvirt/servercert.pem', 'default', None),
    ('shipped file: ca_file default', SHIPPED_COMMENTED, 'ca_file', '/etc/pki/CA/cacert.pem', 'default', None),
    ('set key wins, with its line', '# x\nlisten_tcp = 1\n', 'listen_tcp', 1, 'file', 2),
    ('auth_tcp none from the file', 'auth_tcp = "none"\n', 'auth_tcp', 'none', 'file', 1),
    ('commented and set: the set one counts', '#auth_tcp = "sasl"\nauth_tcp = "none"\n', 'auth_tcp', 'none', 'file', 2),
    ('list value', 'tls_allowed_dn_list = ["O=A,CN=x",\n  "O=A,CN=y"]\n', 'tls_allowed_dn_list', ['O=A,CN=x', 'O=A,CN=y'], 'file', 1),
    ('unknown key kept as file value', 'log_level = 3\n', 'log_level', 3, 'file', 1),
]


@pytest.mark.parametrize('case, text, key, value, source, line', DAEMON_CASES, ids=[c[0] for c in DAEMON_CASES])
def test_effective_daemon_settings(case, text, key, value, source, line):
    settings = L.effective_settings(parse_libvirt_conf(text), L.DAEMON_DEFAULTS, '/etc/libvirt/libvirtd.conf')
    assert settings[key]['value'] == value
    assert settings[key]['source'] == source
    assert settings[key]['line'] == line
    assert settings[key]['file'] == ('/etc/libvirt/libvirtd.conf' if source == 'file' else None)


def test_absent_file_gives_all_defaults():
    settings = L.effective_settings(None, L.DAEMON_DEFAULTS, '/etc/libvirt/libvirtd.conf')
    assert set(settings) == set(L.DAEMON_DEFAULTS)
    assert all(entry['source'] == 'default' for entry in settings.values())


@pytest.mark.parametrize('name, entry, expected', [
    ('listen_tcp', {'value': 1, 'source': 'file', 'file': '/etc/libvirt/libvirtd.conf', 'line': 3},
     'listen_tcp = 1 (/etc/libvirt/libvirtd.conf line 3)'),
    ('auth_tcp', {'value': 'sasl', 'source': 'default'}, 'auth_tcp = "sasl" (libvirt default: not set in the config file)'),
    ('listen_addr', {'value': None, 'source': 'default'}, 'listen_addr = unset (libvirt default: not set in the config file)'),
])
def test_describe_setting(name, entry, expected):
    assert describe_setting(name, entry) == expected
    assert L.describe_setting is describe_setting    # the gatherer's reasons and the rules' messages say it alike


def _write(tmp_path, rel, text):
    path = os.path.join(str(tmp_path), rel.lstrip('/'))
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'w') as handle:
        handle.write(text)


# (case, qemu.conf text or None, extra dirs, expected cert dir, dir source, expected verify, verify setting, force)
QEMU_CASES = [
    ('no qemu.conf: /etc/pki/qemu, verify on by default', None, (), '/etc/pki/qemu', 'default', True, 'migrate_tls_x509_verify', False),
    ('commented defaults', '#default_tls_x509_cert_dir = "/etc/pki/qemu"\n#default_tls_x509_verify = 1\n', (),
     '/etc/pki/qemu', 'default', True, 'migrate_tls_x509_verify', False),
    ('default_tls_x509_verify = 0 turns migration verification off', 'default_tls_x509_verify = 0\n', (),
     '/etc/pki/qemu', 'default', False, 'default_tls_x509_verify', False),
    ('migrate_tls_x509_verify wins over default_tls_x509_verify', 'default_tls_x509_verify = 0\nmigrate_tls_x509_verify = 1\n', (),
     '/etc/pki/qemu', 'default', True, 'migrate_tls_x509_verify', False),
    ('migrate_tls_x509_verify = 0', 'migrate_tls_x509_verify = 0\n', (), '/etc/pki/qemu', 'default', False, 'migrate_tls_x509_verify', False),
    ('default dir moved', 'default_tls_x509_cert_dir = "/etc/ssl/qemu"\n', (), '/etc/ssl/qemu', 'file', True, 'migrate_tls_x509_verify', False),
    ('migrate dir set', 'default_tls_x509_cert_dir = "/etc/ssl/qemu"\nmigrate_tls_x509_cert_dir = "/etc/ssl/mig"\n', (),
     '/etc/ssl/mig', 'file', True, 'migrate_tls_x509_verify', False),
    ('/etc/pki/libvirt-migrate exists: libvirt uses it', '', ('/etc/pki/libvirt-migrate',), '/etc/pki/libvirt-migrate', 'default', True,
     'migrate_tls_x509_verify', False),
    ('migrate_tls_force = 1', 'migrate_tls_force = 1\n', (), '/etc/pki/qemu', 'default', True, 'migrate_tls_x509_verify', True),
]


@pytest.mark.parametrize('case, text, dirs, cert_dir, dir_source, verify, verify_setting, force', QEMU_CASES, ids=[c[0] for c in QEMU_CASES])
def test_qemu_migration_effective(tmp_path, case, text, dirs, cert_dir, dir_source, verify, verify_setting, force):
    if text is not None:
        _write(tmp_path, '/etc/libvirt/qemu.conf', text)
    for directory in dirs:
        os.makedirs(os.path.join(str(tmp_path), directory.lstrip('/')))
    ctx = L.Context(str(tmp_path), str(tmp_path))
    qemu = L.gather_qemu(ctx, None)
    assert qemu['migration']['cert_dir']['value'] == cert_dir
    assert qemu['migration']['cert_dir']['source'] == dir_source
    assert qemu['migration']['verify']['value'] is verify
    assert qemu['migration']['verify']['setting'] == verify_setting
    assert qemu['migration']['force']['value'] is force
    assert sorted(qemu['migration']['files']) == sorted(n for n, _k in L.QEMU_TLS_FILES)
    assert ctx.errors == []


@pytest.mark.parametrize('args, listen', [
    (['--listen'], True), (['-l'], True), (['-d', '-l'], True), (['-dl'], True), (['--timeout', '120'], False),
    (['--config', '/etc/libvirt/libvirtd.conf'], False), ([], False), (['--verbose', '--listen', '--timeout=120'], True),
])
def test_has_listen_flag(args, listen):
    assert L.has_listen_flag(args) is listen


@pytest.mark.parametrize('args, config', [
    (['--config', '/x/l.conf'], '/x/l.conf'), (['--config=/x/l.conf'], '/x/l.conf'), (['-f', '/y.conf', '--listen'], '/y.conf'),
    (['--listen'], None), (['--config'], None),
])
def test_config_flag(args, config):
    assert L.config_flag(args) == config


@pytest.mark.parametrize('address, loopback', [
    ('127.0.0.1', True), ('127.1.2.3', True), ('::1', True), ('::ffff:127.0.0.1', True), ('localhost', True),
    ('0.0.0.0', False), ('::', False), ('10.0.0.11', False), ('compute1.example', False), (None, False), ('[::1]', True),
])
def test_is_loopback(address, loopback):
    assert L.is_loopback(address) is loopback
    assert R.is_loopback(address) is loopback


@pytest.mark.parametrize('address, port, expected', [('0.0.0.0', 16509, '0.0.0.0:16509'), ('::', 16514, '[::]:16514'),
                                                     ('fe80::1', 1, '[fe80::1]:1')])
def test_endpoint(address, port, expected):
    assert L.endpoint(address, port) == expected == R.endpoint(address, port)


@pytest.mark.parametrize('pattern, catch_all', [('*', True), ('*CN=*', False), ('O=SCS Lab,*', False), ('O=SCS Lab,CN=c1', False), ('**', True)])
def test_catch_all(pattern, catch_all):
    assert R.catch_all(pattern) is catch_all


KEY = 'AAAAC3NzaC1lZDI1NTE5AAAAIHkL4i1wVb+7m1H2bK0kq8sQm0d3vGzL0Vp5y2oYk9mE'


@pytest.mark.parametrize('line, expected', [
    ('ssh-ed25519 %s root@c5' % KEY, {'type': 'ssh-ed25519', 'comment': 'root@c5', 'command': None, 'restrict': False, 'from': None}),
    ('restrict,command="/usr/local/sbin/wrap",from="10.0.0.0/24" ssh-ed25519 %s nova@c6' % KEY,
     {'command': '/usr/local/sbin/wrap', 'restrict': True, 'from': '10.0.0.0/24', 'comment': 'nova@c6'}),
    ('command="echo a, b \\"c\\"",no-pty ssh-ed25519 %s' % KEY, {'command': 'echo a, b "c"', 'restrict': False, 'comment': None}),
    ('from="10.0.0.1" ssh-ed25519 %s x y z' % KEY, {'from': '10.0.0.1', 'command': None, 'comment': 'x y z'}),
])
def test_parse_authorized_keys(line, expected):
    keys, errors = L.parse_authorized_keys('# comment\n\n' + line + '\n')
    assert errors == []
    assert len(keys) == 1
    for name, value in expected.items():
        assert keys[0][name] == value, name
    assert keys[0]['fingerprint'].startswith('SHA256:')
    assert KEY not in str(keys[0])        # the key itself is never returned


@pytest.mark.parametrize('text', ['not a key line at all', 'command="x" ', 'ssh-ed25519'])
def test_parse_authorized_keys_errors(text):
    keys, errors = L.parse_authorized_keys(text + '\n')
    assert keys == []
    assert len(errors) == 1 and errors[0]['line'] == 1


@pytest.mark.parametrize('text, global_cmd, per_user', [
    ('ForceCommand /bin/migrate\n', '/bin/migrate', {}),
    ('PermitRootLogin no\nMatch User nova,root\n  ForceCommand /usr/local/bin/wrap\nMatch all\n', None,
     {'nova': '/usr/local/bin/wrap', 'root': '/usr/local/bin/wrap'}),
    ('Match Address 10.0.0.0/8\n  ForceCommand /x\n', None, {}),
    ('# ForceCommand /commented\n', None, {}),
])
def test_parse_sshd_force_commands(text, global_cmd, per_user):
    found_global, found_users, _files, _unevaluated = L.parse_sshd_force_commands(text)
    assert found_global == global_cmd
    assert found_users == per_user


@pytest.mark.parametrize('nova, scheme, user, source_part', [
    ({}, 'tcp', None, 'live_migration_scheme unset'),
    ({'live_migration_scheme': 'tls'}, 'tls', None, 'live_migration_scheme = tls'),
    ({'live_migration_scheme': 'SSH'}, 'ssh', None, 'live_migration_scheme = SSH'),
    ({'live_migration_uri': 'qemu+ssh://nova@%s:8022/system?keyfile=/var/lib/nova/.ssh/id_rsa', 'live_migration_scheme': 'tls'},
     'ssh', 'nova', 'deprecated'),
    ({'live_migration_uri': 'qemu+tls://%s/system'}, 'tls', None, 'live_migration_uri'),
    ({'live_migration_uri': 'qemu://%s/system'}, 'tcp', None, 'live_migration_uri'),
])
def test_migration_transport(nova, scheme, user, source_part):
    transport = R.migration_transport(nova)
    assert transport['scheme'] == scheme
    assert transport['user'] == user
    assert source_part in transport['source']


@pytest.mark.parametrize('value, expected', [(True, True), ('True', True), ('1', True), ('yes', True), (False, False), ('false', False),
                                             ('0', False), (None, None), ('maybe', None), (1, True), (0, False),
                                             ('On', True), ('t', None), ('y', None), ('n', None)])
def test_to_bool(value, expected):
    assert R.to_bool(value) is expected


def test_libvirt_dn_is_certificate_order(tmp_path):
    from cryptography import x509
    from lab.pki import CA
    ca = CA(str(tmp_path))
    leaf = ca.issue('c1', sans=None, server=False, client=True, common_name='compute1.lab.example', org='SCS Lab')
    with open(leaf.cert, 'rb') as handle:
        cert = x509.load_pem_x509_certificate(handle.read())
    assert L.libvirt_dn(cert) == 'O=SCS Lab,CN=compute1.lab.example'      # what virt-pki-query-dn prints
    assert leaf.subject == 'CN=compute1.lab.example,O=SCS Lab'             # RFC 4514 is the reverse


UNIT = '[Unit]\nDescription=Libvirt TLS IP socket\n\n[Socket]\nListenStream=16514\nService=libvirtd.service\n'

# (case, files {path: text or ('link', target)}, enabled, masked, listen_stream)
UNIT_CASES = [
    ('shipped, not enabled', {'/lib/systemd/system/libvirtd-tls.socket': UNIT}, False, False, ['16514']),
    ('enabled by a sockets.target.wants link', {'/lib/systemd/system/libvirtd-tls.socket': UNIT,
                                                '/etc/systemd/system/sockets.target.wants/libvirtd-tls.socket':
                                                ('link', '/lib/systemd/system/libvirtd-tls.socket')}, True, False, ['16514']),
    ('drop-in resets and replaces ListenStream', {'/lib/systemd/system/libvirtd-tls.socket': UNIT,
                                                  '/etc/systemd/system/libvirtd-tls.socket.d/override.conf':
                                                  '[Socket]\nListenStream=\nListenStream=10.0.0.5:16514\nListenStream=[fd00::5]:16514\n'},
     False, False, ['10.0.0.5:16514', '[fd00::5]:16514']),
    ('drop-in adds a ListenStream', {'/usr/lib/systemd/system/libvirtd-tls.socket': UNIT,
                                     '/etc/systemd/system/libvirtd-tls.socket.d/10-more.conf': '[Socket]\nListenStream=127.0.0.1:16515\n'},
     False, False, ['16514', '127.0.0.1:16515']),
    ('masked in /etc', {'/lib/systemd/system/libvirtd-tls.socket': UNIT, '/etc/systemd/system/libvirtd-tls.socket': ('link', '/dev/null'),
                        '/etc/systemd/system/sockets.target.wants/libvirtd-tls.socket': ('link', '/lib/systemd/system/libvirtd-tls.socket')},
     True, True, []),
    ('/etc copy overrides the vendor unit', {'/lib/systemd/system/libvirtd-tls.socket': UNIT,
                                             '/etc/systemd/system/libvirtd-tls.socket': UNIT.replace('16514', '192.0.2.1:16514')},
     False, False, ['192.0.2.1:16514']),
]


@pytest.mark.parametrize('case, files, enabled, masked, listen', UNIT_CASES, ids=[c[0] for c in UNIT_CASES])
def test_socket_unit(tmp_path, case, files, enabled, masked, listen):
    for path, content in files.items():
        full = os.path.join(str(tmp_path), path.lstrip('/'))
        os.makedirs(os.path.dirname(full), exist_ok=True)
        if isinstance(content, tuple):
            os.symlink(content[1], full)
        else:
            with open(full, 'w') as handle:
                handle.write(content)
    info = L.socket_unit(L.Context(str(tmp_path), str(tmp_path)), 'libvirtd-tls.socket')
    assert (info['enabled'], info['masked'], info['listen_stream']) == (enabled, masked, listen)
