# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The README's demo: its report matches what the lab really has, and nothing is left running."""

from __future__ import absolute_import, division, print_function

import json
import os
import subprocess
import sys

from lab.paths import REPO


def test_demo_report_matches_the_lab(tmp_path):
    from lab import demo  # pylint: disable=import-outside-toplevel
    from lab.tls_servers import MEMBERS  # pylint: disable=import-outside-toplevel
    out = tmp_path / 'out'
    proc = subprocess.run([sys.executable, '-m', 'lab.demo', '--output', str(out)], cwd=REPO, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, universal_newlines=True, timeout=900)
    assert proc.returncode == 0, proc.stdout
    assert 'Reports:' in proc.stdout and 'nothing left running' in proc.stdout
    report = json.loads((out / 'scs-0125-report.json').read_text())
    expected = dict((m.name, m.expected) for m in MEMBERS)
    statuses = {}
    for finding in report['findings']:
        if finding['control_id'] == 'scs-0125-tls-mozilla':
            statuses[(finding['target']['host'], finding['evidence'].get('label'))] = finding['status']
    for host, node in demo.NODES.items():
        for name in node['tls']:
            want = 'pass' if expected[name] == 'compliant' else 'fail'
            assert statuses.get((host, name)) == want, (host, name, statuses)
    assert report['verdict'] == 'non_conformant'
    assert os.path.exists(str(out / 'scs-0125-report.html'))
    stray = subprocess.run(['pgrep', '-f', 'scs-demo-'], stdout=subprocess.PIPE, universal_newlines=True)
    assert stray.stdout.strip() == '', 'lab processes left running: %s' % stray.stdout
