# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Hosts that cannot be audited, end to end through the audit playbook (real ansible-playbook, real connections):
an unreachable host (ssh to a closed loopback port), a host without a Python (a non-existent interpreter), and a
host whose discovery fails (audit_root does not exist), and a host whose audit stops half-way (its gather call
worked, its tls probes run from the unreachable host) are listed as not audited with the cause, give an ``error``
finding naming the host and the cause for every selected control, and the verdict is ``incomplete``; the good
hosts are judged as usual and the report is still written."""

from __future__ import absolute_import, division, print_function

import json
import re
import socket

import yaml

CHANNELS = ['tls', 'sto']


def _closed_port():
    # a port nobody listens on: bind, read the number, close (nothing listens on it afterwards)
    sock = socket.socket()
    sock.bind(('127.0.0.1', 0))
    port = sock.getsockname()[1]
    sock.close()
    return port


def _inventory(tmp_path):
    tree = tmp_path / 'tree'
    tree.mkdir()
    good = {'ansible_connection': 'local', 'audit_root': str(tree), 'audit_tls_discover_listeners': False}
    hosts = {
        'good-1': dict(good),
        'good-2': dict(good),
        'unreachable': {'ansible_connection': 'ssh', 'ansible_host': '127.0.0.1', 'ansible_port': _closed_port(),
                        'ansible_user': 'nobody', 'ansible_ssh_common_args': '-o ConnectTimeout=3 -o BatchMode=yes',
                        'audit_root': str(tree)},
        'no-python': dict(good, ansible_python_interpreter='/nonexistent/python'),
        'broken-root': dict(good, audit_root=str(tmp_path / 'no-such-tree')),
        # gathered, then the tls probe (pending on the host) runs from the unreachable host: the host stops half-way
        'half-way': dict(good, audit_tls_endpoints=[{'host': '127.0.0.1', 'port': _closed_port()}], audit_tls_probe_from='unreachable'),
    }
    path = tmp_path / 'inventory.yml'
    path.write_text(yaml.safe_dump({'all': {'hosts': hosts, 'vars': {'audit_channels': CHANNELS}}}))
    return str(path)


def test_hosts_that_cannot_be_audited(runner, tmp_path):
    out = tmp_path / 'report'
    rc, log = runner.run(['scs.secure_connections.audit'], inventory=_inventory(tmp_path), extra_vars={'report_output_dir': str(out)})
    # 4: Ansible's status for a host that became unreachable (half-way's probe); the hosts the gather call could not
    # audit are results, not failures
    assert rc == 4, log
    assert re.search(r'half-way\s+: ok=\d+\s+changed=0\s+unreachable=1\s+failed=0', log), log
    report = json.loads((out / 'scs-0125-report.json').read_text())
    nodes = dict((n['host'], n) for n in report['nodes'])
    assert sorted(nodes) == ['broken-root', 'good-1', 'good-2', 'half-way', 'no-python', 'unreachable']
    assert nodes['good-1']['audited'] and nodes['good-2']['audited']
    causes = {'unreachable': 'unreachable:', 'no-python': '/nonexistent/python', 'broken-root': 'does not exist',
              'half-way': 'did not finish'}
    for host, cause in causes.items():
        assert nodes[host]['audited'] is False, host
        assert cause in nodes[host]['reason'], (host, nodes[host]['reason'])
    selected = [c['id'] for c in report['controls'] if c['channel'] in CHANNELS]
    for control_id in selected:
        errors = dict((f['target'].get('host'), f['message']) for f in report['findings']
                      if f['control_id'] == control_id and f['status'] == 'error')
        for host, cause in causes.items():
            assert host in errors, (control_id, host)
            assert 'host %s was not audited' % host in errors[host] and cause in errors[host], (control_id, errors[host])
        assert 'good-1' not in errors and 'good-2' not in errors
    rows = dict((c['id'], c) for c in report['controls'])
    assert all(rows[c]['status'] == 'error' and rows[c]['scs_result'] == 'ABORT' for c in selected)
    assert report['verdict'] == 'incomplete'
    assert 'PASS' not in (out / 'scs-0125-results.txt').read_text()
