# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The scs-0125-hv-* rules, table-driven: fixture trees gathered with the real gatherer and
discovery, then variations of that evidence for the cases no tree shows."""

from __future__ import absolute_import, division, print_function

import copy

import pytest

from ansible_collections.scs.secure_connections.plugins.module_utils._core.evaluator import evaluate
from ansible_collections.scs.secure_connections.plugins.module_utils._rules.hv import CLIENT_CERT, EXPOSURE, MIGRATION, RULES, SSH_LOCAL
from lab.hv_trees import host_evidence

CLOUDS = {
    'kolla-good': {'compute1': 'kolla-compute1', 'compute2': 'kolla-compute2'},
    'kolla-shared': {'compute1': 'kolla-compute1', 'compute2': 'kolla-compute2-shared'},
}
for _tree in ('kolla-sasl', 'osa-compute', 'debian-ssh-local', 'debian-ssh-open', 'rhel-defaults', 'virtproxyd-tcp', 'controller', 'unreadable'):
    CLOUDS[_tree] = {_tree: _tree}


def _evidence(hv_trees, cloud):
    return dict((host, host_evidence(hv_trees.libvirt(tree), hv_trees.discovery(tree))) for host, tree in CLOUDS[cloud].items())


def _findings(evidence, control):
    return [f for f in evaluate(evidence, rules=RULES) if f['control_id'] == control]


def _key(item):
    return tuple('' if v is None else v for v in item)


def _summary(findings, host):
    return sorted(((f['status'], f['target'].get('setting'), f['target'].get('endpoint')) for f in findings if f['target'].get('host') == host),
                  key=_key)


# (cloud, host, control, expected sorted [(status, setting, endpoint)], fragment of a message)
CASES = [
    # exposure
    ('kolla-good', 'compute1', EXPOSURE, [('pass', 'tls_no_verify_certificate', '10.0.0.11:16514')], 'verifies client certificates'),
    ('kolla-sasl', 'kolla-sasl', EXPOSURE, [('fail', 'listen_tcp', '10.0.0.13:16509')], 'SASL authenticates, but it is not a secure channel'),
    ('osa-compute', 'osa-compute', EXPOSURE, [('fail', 'tls_no_verify_certificate', '10.0.0.21:16514')], 'authenticates nobody'),
    ('debian-ssh-local', 'debian-ssh-local', EXPOSURE, [('pass', 'listen_addr', '127.0.0.1:16509')], 'loopback only'),
    ('debian-ssh-open', 'debian-ssh-open', EXPOSURE, [('fail', 'listen_tcp', '0.0.0.0:16509'), ('fail', 'listen_tcp', '[::]:16509')],
     'auth_tcp = "sasl" (libvirt default'),
    ('rhel-defaults', 'rhel-defaults', EXPOSURE, [('pass', 'tls_no_verify_certificate', '0.0.0.0:16514'),
                                                  ('pass', 'tls_no_verify_certificate', '[::]:16514')], 'it will listen when started'),
    ('virtproxyd-tcp', 'virtproxyd-tcp', EXPOSURE, [('fail', 'auth_tcp', '[::]:16509')], 'without authentication and without encryption'),
    ('controller', 'controller', EXPOSURE, [('not_applicable', None, None)], 'controller: no libvirt on this node'),
    ('unreadable', 'unreadable', EXPOSURE, [('error', 'auth_tcp', '0.0.0.0:16509'), ('error', 'tls_no_verify_certificate', '0.0.0.0:16514'),
                                            ('error', 'tls_no_verify_certificate', '[::]:16514')], 'is a directory, not a file'),
    # client certificates
    ('kolla-good', 'compute1', CLIENT_CERT, [('pass', None, None), ('pass', 'tls_allowed_dn_list', '10.0.0.11:16514')],
     'unique among the 2 compute node(s)'),
    ('kolla-good', 'compute2', CLIENT_CERT, [('pass', None, None), ('pass', 'tls_allowed_dn_list', '10.0.0.12:16514')],
     'O=SCS Lab,CN=compute2.lab.example'),
    ('kolla-shared', 'compute1', CLIENT_CERT, [('fail', 'clientcert.pem', None), ('pass', 'tls_allowed_dn_list', '10.0.0.11:16514')],
     'which compute2 also presents'),
    ('kolla-shared', 'compute2', CLIENT_CERT, [('fail', 'clientcert.pem', None), ('pass', 'tls_allowed_dn_list', '10.0.0.12:16514')],
     'which compute1 also presents'),
    ('osa-compute', 'osa-compute', CLIENT_CERT, [('fail', 'tls_allowed_dn_list', '10.0.0.21:16514'),
                                                 ('fail', 'tls_no_verify_certificate', '10.0.0.21:16514'), ('pass', None, None)],
     'does not verify client certificates at all'),
    ('rhel-defaults', 'rhel-defaults', CLIENT_CERT, [('fail', 'clientcert.pem', None), ('fail', 'tls_allowed_dn_list', '0.0.0.0:16514')],
     'no libvirt client certificate'),
    ('debian-ssh-local', 'debian-ssh-local', CLIENT_CERT, [('not_applicable', None, None)], 'serves no TLS socket'),
    ('kolla-sasl', 'kolla-sasl', CLIENT_CERT, [('not_applicable', None, None)], 'serves no TLS socket'),
    ('controller', 'controller', CLIENT_CERT, [('not_applicable', None, None)], 'no libvirt'),
    ('unreadable', 'unreadable', CLIENT_CERT, [('error', None, '0.0.0.0:16514')], 'cannot be read'),
    # SSH-local
    ('debian-ssh-local', 'debian-ssh-local', SSH_LOCAL, [('pass', 'authorized_keys', None), ('pass', 'listen_addr', None)],
     'forced command (/usr/local/sbin/nova-migration-wrapper)'),
    ('debian-ssh-open', 'debian-ssh-open', SSH_LOCAL, [('fail', 'authorized_keys', None), ('fail', 'listen_addr', '0.0.0.0:16509'),
                                                       ('fail', 'listen_addr', '[::]:16509')], 'unrestricted shell as root'),
    ('kolla-good', 'compute1', SSH_LOCAL, [('not_applicable', 'live_migration_scheme', None)], 'does not use SSH'),
    ('osa-compute', 'osa-compute', SSH_LOCAL, [('not_applicable', 'live_migration_scheme', None)], 'live_migration_scheme = tls'),
    ('controller', 'controller', SSH_LOCAL, [('not_applicable', None, None)], 'no libvirt'),
    # migration encrypted
    ('kolla-good', 'compute1', MIGRATION, [('pass', 'live_migration_with_native_tls', None)], 'QEMU-native TLS'),
    ('debian-ssh-local', 'debian-ssh-local', MIGRATION, [('pass', 'live_migration_with_native_tls', None)],
     'the libvirt control connection itself uses ssh'),
    ('debian-ssh-open', 'debian-ssh-open', MIGRATION, [('fail', 'live_migration_with_native_tls', None)],
     'SSH carries only the libvirt control connection'),
    ('osa-compute', 'osa-compute', MIGRATION, [('fail', 'live_migration_with_native_tls', None)],
     'TLS protects only the libvirt control connection'),
    ('kolla-sasl', 'kolla-sasl', MIGRATION, [('fail', 'live_migration_with_native_tls', None)], 'plain TCP'),
    ('virtproxyd-tcp', 'virtproxyd-tcp', MIGRATION, [('fail', 'live_migration_with_native_tls', None)], 'live_migration_uri = qemu+tcp'),
    ('rhel-defaults', 'rhel-defaults', MIGRATION, [('fail', 'default_tls_x509_cert_dir', None)], 'ca-cert.pem is missing'),
    ('unreadable', 'unreadable', MIGRATION, [('error', None, None)], 'cannot read /etc/libvirt/qemu.conf'),
    ('controller', 'controller', MIGRATION, [('not_applicable', None, None)], 'no libvirt'),
]


@pytest.mark.parametrize('cloud, host, control, expected, fragment', CASES, ids=['%s-%s-%s' % (c[0], c[1], c[2][9:]) for c in CASES])
def test_rules_on_trees(hv_trees, cloud, host, control, expected, fragment):
    findings = _findings(_evidence(hv_trees, cloud), control)
    assert _summary(findings, host) == sorted(expected, key=_key), [f['message'] for f in findings]
    mine = [f for f in findings if f['target'].get('host') == host]
    assert any(fragment in f['message'] for f in mine), [f['message'] for f in mine]
    for finding in mine:
        if finding['status'] == 'fail':
            assert finding['remediation'], finding['message']
            assert finding['target'].get('setting') and finding['target'].get('file'), finding


def test_fail_names_host_socket_and_setting(hv_trees):
    finding = _findings(_evidence(hv_trees, 'virtproxyd-tcp'), EXPOSURE)[0]
    assert finding['target'] == {'host': 'virtproxyd-tcp', 'endpoint': '[::]:16509', 'file': '/etc/libvirt/virtproxyd.conf', 'setting': 'auth_tcp'}
    assert 'auth_tcp = "none" (/etc/libvirt/virtproxyd.conf line 3)' in finding['message']
    assert 'systemctl disable --now virtproxyd-tcp.socket' in finding['remediation']


# ----------------------------------------------------------------------------------------------
# variations of the tree evidence

def _one(hv_trees, tree, host=None):
    host = host or tree
    return host, {host: copy.deepcopy(host_evidence(hv_trees.libvirt(tree), hv_trees.discovery(tree)))}


def _nova(evidence, host):
    return [s for s in evidence[host]['discovery']['services'] if s['service'] == 'nova'][0]['libvirt']


def _only(findings, host):
    return [f for f in findings if f['target'].get('host') == host]


# (case, tree, nova overrides, qemu migration overrides, expected status, setting, fragment)
MIGRATION_VARIATIONS = [
    ('native TLS and tunnelled', 'kolla-compute1', {'live_migration_tunnelled': True}, {}, 'fail', 'live_migration_tunnelled',
     'mutually exclusive'),
    ('tunnelled over SSH', 'debian-ssh-open', {'live_migration_tunnelled': True}, {}, 'pass', 'live_migration_tunnelled', 'deprecated'),
    ('tunnelled over TLS', 'osa-compute', {'live_migration_tunnelled': 'True'}, {}, 'pass', 'live_migration_tunnelled', 'encrypted by TLS'),
    ('tunnelled over plain TCP', 'kolla-sasl', {'live_migration_tunnelled': True}, {}, 'fail', 'live_migration_with_native_tls',
     'guest memory crosses the network unencrypted'),
    ('native TLS with migration verification off', 'kolla-compute1', {}, {'verify': {'value': False, 'setting': 'default_tls_x509_verify',
                                                                                     'source': 'file', 'line': 2}},
     'fail', 'default_tls_x509_verify', 'without checking its certificate'),
    ('native TLS false explicitly', 'kolla-compute1', {'live_migration_with_native_tls': False}, {}, 'fail', 'live_migration_with_native_tls',
     'live_migration_with_native_tls is false'),
    ('migrate_tls_force without native TLS', 'kolla-sasl', {}, {'force': {'value': True, 'source': 'file'}}, 'fail',
     'live_migration_with_native_tls', 'live migration fails instead of leaking memory'),
]


@pytest.mark.parametrize('case, tree, nova, migration, status, setting, fragment', MIGRATION_VARIATIONS, ids=[c[0] for c in MIGRATION_VARIATIONS])
def test_migration_variations(hv_trees, case, tree, nova, migration, status, setting, fragment):
    host, evidence = _one(hv_trees, tree)
    _nova(evidence, host).update(nova)
    evidence[host]['hv']['libvirt']['qemu']['migration'].update(migration)
    findings = _only(_findings(evidence, MIGRATION), host)
    assert [(f['status'], f['target'].get('setting')) for f in findings] == [(status, setting)], findings
    assert fragment in findings[0]['message']


def test_migration_expired_qemu_certificate(hv_trees):
    host, evidence = _one(hv_trees, 'kolla-compute1')
    evidence[host]['hv']['libvirt']['qemu']['migration']['files']['server-cert.pem'].update(expired=True, not_after='2020-01-01T00:00:00Z')
    finding = _only(_findings(evidence, MIGRATION), host)[0]
    assert finding['status'] == 'fail' and 'expired on 2020-01-01' in finding['message']


def test_no_nova_configuration_is_manual(hv_trees):
    host, evidence = _one(hv_trees, 'debian-ssh-local')
    evidence[host]['discovery']['services'] = []
    for control in (MIGRATION, SSH_LOCAL):
        findings = _only(_findings(evidence, control), host)
        assert [f['status'] for f in findings] == ['manual']
        assert '?' in findings[0]['message']


@pytest.mark.parametrize('libvirt, fragment', [
    ({'failed': False, 'msg': 'Failed to import the required Python library (cryptography)'}, 'cryptography'),
    (None, 'holds no libvirt_tls_info result'),
])
def test_gatherer_failure_is_an_error_for_every_control(libvirt, fragment):
    evidence = {'c1': {'channels': ['hv'], 'hv': {'libvirt': libvirt} if libvirt is not None else {}}}
    for control in RULES:
        findings = _findings(evidence, control)
        assert [f['status'] for f in findings] == ['error'], control
        assert fragment in findings[0]['message']


def test_observed_auth_wins_over_the_file(hv_trees):
    host, evidence = _one(hv_trees, 'kolla-sasl')
    evidence[host]['hv']['libvirt']['listeners'][0]['auth_observed'] = ['none']
    finding = _only(_findings(evidence, EXPOSURE), host)[0]
    assert finding['status'] == 'fail' and finding['target']['setting'] == 'auth_tcp'
    assert 'the listener itself answered that it demands none' in finding['message']


def test_tls_without_verification_but_sasl(hv_trees):
    host, evidence = _one(hv_trees, 'osa-compute')
    daemon = [d for d in evidence[host]['hv']['libvirt']['daemons'] if d['mode'] != 'off'][0]
    daemon['settings']['auth_tls'] = {'value': 'sasl', 'source': 'file', 'file': '/etc/libvirt/libvirtd.conf', 'line': 10}
    exposure = _only(_findings(evidence, EXPOSURE), host)
    assert [f['status'] for f in exposure] == ['pass'] and 'authenticated by SASL' in exposure[0]['message']
    client = _only(_findings(evidence, CLIENT_CERT), host)
    assert 'fail' in [f['status'] for f in client]


@pytest.mark.parametrize('allowed, status', [(['*'], 'fail'), (['O=SCS Lab,CN=*'], 'pass'), ([], 'fail'), ('O=SCS Lab,CN=compute1.lab.example', 'pass')])
def test_allowed_dn_list_variants(hv_trees, allowed, status):
    host, evidence = _one(hv_trees, 'kolla-compute1')
    daemon = evidence[host]['hv']['libvirt']['daemons'][0]
    daemon['settings']['tls_allowed_dn_list'] = {'value': allowed, 'source': 'file', 'file': daemon['config_file'], 'line': 8}
    server_side = [f for f in _only(_findings(evidence, CLIENT_CERT), host) if f['target'].get('endpoint')]
    assert [f['status'] for f in server_side] == [status]


def test_peer_not_admitted_is_noted(hv_trees):
    evidence = _evidence(hv_trees, 'kolla-good')
    evidence = copy.deepcopy(evidence)
    daemon = evidence['compute1']['hv']['libvirt']['daemons'][0]
    daemon['settings']['tls_allowed_dn_list']['value'] = ['O=SCS Lab,CN=compute1.lab.example']
    findings = [f for f in _only(_findings(evidence, CLIENT_CERT), 'compute1') if f['target'].get('endpoint')]
    assert findings[0]['status'] == 'pass'
    assert 'the client certificates of compute2 are not in this list' in findings[0]['message']


# (case, mutate(libvirt evidence), expected key finding status, fragment)
def _force_command(lv):
    lv['ssh']['sshd'] = [{'file': '/etc/ssh/sshd_config', 'force_command': None, 'force_command_users': {'root': '/usr/local/bin/migrate'},
                          'authorized_keys_file': None, 'match_not_evaluated': []}]


def _unreadable_keys(lv):
    entry = [u for u in lv['ssh']['users'] if u['user'] == 'root'][0]
    entry['files'] = [{'file': '/root/.ssh/authorized_keys', 'present': True, 'readable': False, 'error': 'permission denied', 'keys': []}]


def _no_keys(lv):
    entry = [u for u in lv['ssh']['users'] if u['user'] == 'root'][0]
    entry['files'] = [{'file': '/root/.ssh/authorized_keys', 'present': False, 'readable': False, 'error': 'no such file', 'keys': []}]


SSH_VARIATIONS = [
    ('ForceCommand for the user', _force_command, 'pass', 'ForceCommand /usr/local/bin/migrate'),
    ('authorized_keys unreadable', _unreadable_keys, 'error', 'permission denied'),
    ('no authorized_keys: the auditor must answer', _no_keys, 'manual', 'Which SSH user does live migration log in as'),
]


@pytest.mark.parametrize('case, mutate, status, fragment', SSH_VARIATIONS, ids=[c[0] for c in SSH_VARIATIONS])
def test_ssh_key_variations(hv_trees, case, mutate, status, fragment):
    host, evidence = _one(hv_trees, 'debian-ssh-open')
    mutate(evidence[host]['hv']['libvirt'])
    keys = [f for f in _only(_findings(evidence, SSH_LOCAL), host) if f['target'].get('account')]
    assert [f['status'] for f in keys] == [status]
    assert fragment in keys[0]['message']


def test_ssh_user_from_live_migration_uri(hv_trees):
    host, evidence = _one(hv_trees, 'debian-ssh-local')
    _nova(evidence, host).update(live_migration_uri='qemu+ssh://nova@%s/system', live_migration_scheme=None)
    keys = [f for f in _only(_findings(evidence, SSH_LOCAL), host) if f['target'].get('account')]
    assert keys[0]['target']['account'] == 'nova'
    assert keys[0]['status'] == 'manual'      # nova has no authorized_keys in the tree


def test_host_without_hv_channel_is_not_judged(hv_trees):
    evidence = _evidence(hv_trees, 'kolla-good')
    evidence['controller'] = {'channels': ['tls']}
    findings = evaluate(evidence, rules=RULES)
    assert not [f for f in findings if f['target'].get('host') == 'controller' and f['channel'] == 'hv']
