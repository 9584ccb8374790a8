# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The hv stage of the audit role through real ansible-playbook: discovery, roles/audit/tasks/channel_hv.yml
(libvirt_tls_info + the TLS probe of libvirt's TLS listener) and the conformance_report action, over
fixture compute nodes and one node with a REAL libvirtd (TLS, client certificates verified)."""

from __future__ import absolute_import, division, print_function

import json
import os

import pytest

from lab.hv_trees import prepare
from lab.pki import CA

from hvint import ansible_playbook  # pylint: disable=wrong-import-order

PLAYBOOK = '''
- name: Gather the hv channel like the audit role does
  hosts: all
  gather_facts: false
  tasks:
    - name: Discovery (nova's [libvirt] options)
      scs.secure_connections.openstack_config_info:
        root: "{{ audit_root }}"
        proc_path: "{{ '/proc' if audit_root == '/' else audit_root ~ '/proc' }}"
        gather: [layout, services]
      register: discovered
      check_mode: false

    - name: Start the evidence with discovery
      ansible.builtin.set_fact:
        audit_evidence: {channels: [], discovery: "{{ discovered | dict2items | rejectattr('key', 'in', ['invocation', 'changed']) | items2dict }}"}

    - name: Run the hv stage of the audit role
      ansible.builtin.include_role:
        name: scs.secure_connections.audit
        tasks_from: channel_hv.yml

    - name: Run the tls stage too where asked (the Mozilla rule judges hv.tls.endpoints of hosts with the tls channel)
      ansible.builtin.include_role:
        name: scs.secure_connections.audit
        tasks_from: channel_tls.yml
      when: with_tls | default(false)

- name: Judge
  hosts: all
  gather_facts: false
  tasks:
    - name: Write the report
      scs.secure_connections.conformance_report:
        evidence: "{{ ansible_play_hosts_all | scs.secure_connections.collect_evidence(hostvars) }}"
        output_dir: "{{ report_dir }}"
        formats: [json]
        channels: [tls, hv]
      run_once: true
      delegate_to: localhost
'''


def test_hv_stage_end_to_end(libvirtd, tmp_path):
    ca = CA(str(tmp_path / 'pki'))
    trees = {
        'compute1': prepare('kolla-compute1', str(tmp_path / 'compute1'), ca),
        'compute2': prepare('kolla-compute2', str(tmp_path / 'compute2'), ca, client_name='compute1'),   # shares compute1's identity
        'osa': prepare('osa-compute', str(tmp_path / 'osa'), ca),
        'ssh-local': prepare('debian-ssh-local', str(tmp_path / 'ssh-local'), ca),
        'controller': prepare('controller', str(tmp_path / 'controller')),
        'broken': prepare('unreadable', str(tmp_path / 'broken')),
    }
    daemon = libvirtd('tls-dn', allowed=('compute1',))
    hosts = dict((name, {'ansible_connection': 'local', 'audit_root': root, 'audit_hv_tls_probe': False}) for name, root in trees.items())
    hosts['lab-node'] = {'ansible_connection': 'local', 'audit_root': '/', 'audit_hv_client_pki_path': daemon.pkipath('compute1'),
                         'audit_tls_ca_files': [daemon.ca.cert], 'audit_tls_timeout': 10, 'with_tls': True, 'audit_tls_discover_listeners': False}
    report_dir = tmp_path / 'report'
    rc, log = ansible_playbook(tmp_path, PLAYBOOK, {'all': {'hosts': hosts, 'vars': {'report_dir': str(report_dir)}}})
    assert rc == 0, log
    assert 'changed=1' not in log
    report = json.loads((report_dir / 'scs-0125-report.json').read_text())
    findings = [f for f in report['findings'] if f['channel'] == 'hv']

    def statuses(host, control, endpoint=None):
        return sorted(f['status'] for f in findings if f['target'].get('host') == host and f['control_id'] == control
                      and (endpoint is None or f['target'].get('endpoint') == endpoint))

    exposure, client, ssh, migration = ('scs-0125-hv-libvirt-exposure', 'scs-0125-hv-libvirt-client-cert',
                                        'scs-0125-hv-libvirt-ssh-local', 'scs-0125-hv-migration-encrypted')
    assert statuses('compute1', exposure) == ['pass']
    assert statuses('compute1', client) == ['fail', 'pass']           # its subject is shared with compute2
    assert statuses('compute2', client) == ['fail', 'pass']
    assert statuses('compute1', migration) == ['pass']
    assert statuses('osa', exposure) == ['fail']
    assert statuses('osa', migration) == ['fail']
    assert statuses('ssh-local', ssh) == ['pass', 'pass']
    assert statuses('ssh-local', exposure) == ['pass']
    for control in (exposure, client, ssh, migration):
        assert statuses('controller', control) == ['not_applicable']
    assert 'error' in statuses('broken', exposure)
    # the real daemon: its TLS socket on 127.0.0.1 passes exposure and the client-cert checks
    socket = '127.0.0.1:%d' % daemon.port
    assert statuses('lab-node', exposure, socket) == ['pass']
    assert statuses('lab-node', client, socket) == ['pass']
    # ... and it was probed with the TLS engine (hv.tls.endpoints) and judged by the Mozilla rule
    mozilla = [f for f in report['findings'] if f['control_id'] == 'scs-0125-tls-mozilla' and str(daemon.port) in (f['target'].get('endpoint') or '')]
    assert len(mozilla) == 1, [f for f in report['findings'] if f['control_id'] == 'scs-0125-tls-mozilla']
    assert mozilla[0]['status'] in ('pass', 'fail'), mozilla[0]      # scanned (not an error): libvirt finishes the handshake
    broken = [f for f in findings if f['target'].get('host') == 'broken' and f['status'] == 'error']
    assert any('is a directory, not a file' in f['message'] for f in broken)
    assert 'PRIVATE KEY' not in (report_dir / 'scs-0125-report.json').read_text()


@pytest.mark.skipif(os.geteuid() != 0, reason='needs root to make a file unreadable for another user')
def test_unreadable_for_the_audit_user_gives_errors_with_reason():
    """Run the module as an unprivileged user (nobody) on a tree whose libvirtd.conf is mode 0600 root."""
    import pwd
    import shutil
    import subprocess
    import sys
    import tempfile
    from lab.paths import collections_root
    try:
        nobody = pwd.getpwnam('nobody')
    except KeyError:
        pytest.skip('no user "nobody"')
    setpriv = shutil.which('setpriv')
    if not setpriv:
        pytest.skip('setpriv (util-linux) is not installed')
    work = tempfile.mkdtemp(prefix='scs-hv-nobody-')     # pytest's tmp_path is private to root
    try:
        os.chmod(work, 0o755)
        root = prepare('debian-ssh-open', os.path.join(work, 'tree'))
        os.chmod(os.path.join(root, 'etc/libvirt/libvirtd.conf'), 0o600)
        module = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..', '..', 'plugins', 'modules', 'libvirt_tls_info.py'))
        args = os.path.join(work, 'args.json')
        with open(args, 'w') as handle:
            json.dump({'ANSIBLE_MODULE_ARGS': {'root': root, 'proc_path': root + '/proc', 'probe': False}}, handle)
        os.chmod(args, 0o644)
        proc = subprocess.run([setpriv, '--reuid=%d' % nobody.pw_uid, '--regid=%d' % nobody.pw_gid, '--clear-groups',
                               sys.executable, module, args],
                              env=dict(os.environ, PYTHONPATH=collections_root(), HOME=work), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              timeout=60, check=False, cwd=work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if proc.returncode != 0 and b'Permission denied' in proc.stderr and b'libvirt_tls_info' not in proc.stderr:
        pytest.skip('the venv or the collection is not readable for nobody here: %s' % proc.stderr.decode()[-300:])
    assert proc.returncode == 0, proc.stderr.decode()
    result = json.loads(proc.stdout.decode())
    assert {'file': '/etc/libvirt/libvirtd.conf', 'message': 'permission denied'} in result['errors']
    daemon = [d for d in result['daemons'] if d['config_file'] == '/etc/libvirt/libvirtd.conf'][0]
    assert daemon['config_error'] == 'permission denied'
    from ansible_collections.scs.secure_connections.plugins.module_utils._core.evaluator import evaluate
    from ansible_collections.scs.secure_connections.plugins.module_utils._rules.hv import EXPOSURE, RULES
    from lab.hv_trees import host_evidence
    findings = [f for f in evaluate({'n': host_evidence(result)}, rules=RULES) if f['control_id'] == EXPOSURE]
    assert findings and all(f['status'] == 'error' for f in findings)
    assert all('permission denied' in f['message'] for f in findings)
