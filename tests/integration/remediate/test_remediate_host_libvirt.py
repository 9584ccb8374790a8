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
