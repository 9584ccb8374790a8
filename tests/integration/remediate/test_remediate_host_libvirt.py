# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""remediate_host's libvirt changes through ansible-playbook on copies of the hv fixture trees (files only).

The report is made by the real libvirt gatherer + discovery + evaluator from the copies. The trees'
``/proc`` is a fixture, so a re-audit still sees the old sockets listening: these tests check the files,
check mode, backups and idempotence; the round trip on a running libvirtd is in test_round_trip_services.py.
"""

from __future__ import absolute_import, division, print_function

import glob
import json
import os

from kolla_reports import hv_report

from test_remediate_kolla import recap_changed, tree_digest

PLAY = """
- hosts: localhost
  gather_facts: false
  roles:
    - role: scs.secure_connections.remediate_host
"""
HV = ['scs-0125-hv-libvirt-exposure', 'scs-0125-hv-libvirt-ssh-local']


def test_ssh_node_closes_libvirt_tcp(runner, tmp_path):
    report, roots = hv_report(tmp_path, trees=('debian-ssh-open',))
    root = roots['debian-ssh-open']
    (tmp_path / 'r.json').write_text(json.dumps(report))
    extra = {'remediate_host_root': root, 'remediate_host_name': 'debian-ssh-open', 'remediate_host_report_file': str(tmp_path / 'r.json'),
             'remediate_host_controls': HV}
    digest = tree_digest(os.path.join(root, 'etc'))  # proc/ holds dangling socket links
    rc, log = runner.playbook(PLAY, extra, args=['--check', '--diff'])
    assert rc == 0, log
    assert tree_digest(os.path.join(root, 'etc')) == digest, 'check mode wrote something'
    assert '-listen_tcp = 1' in log and '+listen_tcp = 0' in log, log

    rc, log = runner.playbook(PLAY, extra, args=['--diff'])
    assert rc == 0, log
    conf = os.path.join(root, 'etc', 'libvirt', 'libvirtd.conf')
    with open(conf) as handle:
        lines = handle.read().splitlines()
    assert 'listen_tcp = 0' in lines and 'listen_tcp = 1' not in lines
    assert glob.glob(conf + '.*~'), 'no backup'
    assert 'Restart for the changes to take effect: libvirtd' in log
    assert 'authorized_keys' in log, 'the SSH key restriction is listed as manual'

    rc, log = runner.playbook(PLAY, extra, args=['--diff'])
    assert rc == 0, log
    assert recap_changed(log) == 0, log


def _status(report, cid, setting=None):
    return sorted(f['status'] for f in report['findings'] if f['control_id'] == cid and (setting is None or f['target'].get('setting') == setting))


def test_certificates_issued_from_the_operator_ca(runner, tmp_path):
    """rhel-defaults: no libvirt client certificate, no QEMU migration material. With a CA (made here, standing in for the
    operator's) the role issues them with community.crypto; the re-audit by the real gatherer reads them."""
    from lab.hv_trees import discover_tree, gather_tree, host_evidence  # pylint: disable=import-outside-toplevel
    from lab.pki import CA  # pylint: disable=import-outside-toplevel
    from kolla_reports import report_for  # pylint: disable=import-outside-toplevel
    report, roots = hv_report(tmp_path, trees=('rhel-defaults',))
    root = roots['rhel-defaults']
    assert _status(report, 'scs-0125-hv-libvirt-client-cert', 'clientcert.pem') == ['fail']
    assert _status(report, 'scs-0125-hv-migration-encrypted') == ['fail']
    (tmp_path / 'r.json').write_text(json.dumps(report))
    ca = CA(str(tmp_path / 'operator-ca'), name='Operator CA')
    extra = {'remediate_host_root': root, 'remediate_host_name': 'rhel-defaults', 'remediate_host_report_file': str(tmp_path / 'r.json'),
             'remediate_host_controls': ['scs-0125-hv-libvirt-client-cert', 'scs-0125-hv-migration-encrypted'],
             'remediate_host_ca_cert': ca.cert, 'remediate_host_ca_key': ca.key, 'remediate_host_cert_organization': 'SCS Lab'}

    rc, log = runner.playbook(PLAY, dict(extra, remediate_host_ca_cert=''))
    assert rc == 0, log
    assert 'set remediate_host_ca_cert/remediate_host_ca_key to issue it' in log
    assert not os.path.exists(os.path.join(root, 'etc', 'pki', 'libvirt', 'clientcert.pem')), 'a certificate without a CA'

    digest = tree_digest(os.path.join(root, 'etc'))
    rc, log = runner.playbook(PLAY, extra, args=['--check'])
    assert rc == 0, log
    assert tree_digest(os.path.join(root, 'etc')) == digest, 'check mode wrote something'

    rc, log = runner.playbook(PLAY, extra)
    assert rc == 0, log
    assert 'PRIVATE KEY' not in log, 'a private key reached the output'
    key = os.path.join(root, 'etc', 'pki', 'libvirt', 'private', 'clientkey.pem')
    assert oct(os.stat(key).st_mode & 0o777) == '0o640'
    after = report_for({'rhel-defaults': host_evidence(gather_tree(root), discover_tree(root))})
    client = [f for f in after['findings'] if f['control_id'] == 'scs-0125-hv-libvirt-client-cert' and f['target'].get('file', '').endswith(
        'clientcert.pem')]
    assert [f['status'] for f in client] == ['pass'], [f['message'] for f in client]
    assert 'O=SCS Lab,CN=rhel-defaults' in client[0]['message']
    migration = [f for f in after['findings'] if f['control_id'] == 'scs-0125-hv-migration-encrypted']
    assert [f['status'] for f in migration] == ['pass'], [f['message'] for f in migration]

    rc, log = runner.playbook(PLAY, extra)
    assert rc == 0, log
    assert recap_changed(log) == 0, log


def test_openstack_ansible_node_gets_user_variables(runner, tmp_path):
    """osa-compute (the audit saw the openstack_ansible layout): user_variables.yml on the deploy host (here the same tree) gets
    the managed block; OSA's rendered files stay untouched; the operator's own lines are kept."""
    report, roots = hv_report(tmp_path, trees=('osa-compute',))
    root = roots['osa-compute']
    uv = os.path.join(root, 'etc', 'openstack_deploy', 'user_variables.yml')
    os.makedirs(os.path.dirname(uv))
    with open(uv, 'w') as handle:
        handle.write('---\n# operator settings\ninstall_method: source\n')
    (tmp_path / 'r.json').write_text(json.dumps(report))
    extra = {'remediate_host_root': root, 'remediate_host_name': 'osa-compute', 'remediate_host_report_file': str(tmp_path / 'r.json'),
             'remediate_host_controls': HV + ['scs-0125-hv-migration-encrypted', 'scs-0125-hv-libvirt-client-cert']}
    digest = tree_digest(os.path.join(root, 'etc'))
    rc, log = runner.playbook(PLAY, extra, args=['--check', '--diff'])
    assert rc == 0, log
    assert tree_digest(os.path.join(root, 'etc')) == digest, 'check mode wrote something'
    assert '+nova_libvirtd_listen_tls: 1  # scs-0125-hv-migration-encrypted' in log, log

    rc, log = runner.playbook(PLAY, extra, args=['--diff'])
    assert rc == 0, log
    assert 'On localhost, in this order: openstack-ansible openstack.osa.nova' in log
    assert 'has no variable for tls_no_verify_certificate' in log
    with open(uv) as handle:
        text = handle.read()
    assert text.startswith('---\n# operator settings\ninstall_method: source\n')
    assert '# BEGIN scs.secure_connections remediate_host' in text and 'nova_libvirtd_listen_tls: 1' in text
    assert glob.glob(uv + '.*~'), 'no backup'
    now = tree_digest(os.path.join(root, 'etc'))
    changed = [p for p in now if now[p] != digest.get(p)]
    assert sorted(p.split('.yml')[0] for p in changed) == ['openstack_deploy/user_variables'] * 2, changed  # the file and its backup

    rc, log = runner.playbook(PLAY, extra, args=['--diff'])
    assert rc == 0, log
    assert recap_changed(log) == 0, log

    os.remove(uv)
    rc, log = runner.playbook(PLAY, extra)
    assert rc != 0 and 'is an OpenStack-Ansible node' in log and 'Nothing was changed' in log, log
