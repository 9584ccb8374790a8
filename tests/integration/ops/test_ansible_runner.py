# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The audit through ansible-runner, the engine AWX runs jobs with: artifacts (rc, status, job events),
the set_stats data AWX reads from the playbook_on_stats event (``scs_0125_conformance``), the exit status
with report_fail_on_must, and the JUnit file.

ansible-runner comes with the test environment (requirements/test.txt): the test uses
``$ANSIBLE_RUNNER_BIN``, else the one beside the test's Python, else ``ansible-runner`` on PATH; without
one it skips, except in CI, where that is a failure.
ansible-playbook and the collection come from the test's own environment, as in an execution environment."""

from __future__ import absolute_import, division, print_function

import glob
import json
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest
import yaml

from lab.paths import REPO, collections_root

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), 'spine'))
# the TLS server corpus of the audit playbook tests (nginx-rsa, nginx-tls10, haproxy-good, haproxy-weak), reused
from test_audit_playbook import corpus  # noqa: E402,F401  pylint: disable=wrong-import-position,unused-import


def _runner_bin():
    for candidate in (os.environ.get('ANSIBLE_RUNNER_BIN'), os.path.join(os.path.dirname(sys.executable), 'ansible-runner'),
                      shutil.which('ansible-runner')):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    (pytest.fail if os.environ.get('CI') else pytest.skip)('ansible-runner is not installed (requirements/test.txt: scripts/bootstrap.sh)')


def _private_data_dir(tmp_path, corpus, names, extra):
    pdd = tmp_path / 'runner'
    (pdd / 'project').mkdir(parents=True)
    (pdd / 'inventory').mkdir()
    (pdd / 'env').mkdir()
    (pdd / 'project' / 'audit.yml').write_text('- ansible.builtin.import_playbook: scs.secure_connections.audit\n')
    tree = tmp_path / 'tree'
    tree.mkdir()
    hosts = {'node-a': {'ansible_connection': 'local', 'ansible_python_interpreter': sys.executable, 'audit_root': str(tree),
                        'audit_tls_ca_files': [corpus.ca_file], 'audit_tls_discover_listeners': False, 'audit_tls_timeout': 3,
                        'audit_tls_endpoints': [corpus.server(n).endpoint() for n in names]}}
    (pdd / 'inventory' / 'hosts.yml').write_text(yaml.safe_dump({'all': {'hosts': hosts, 'vars': {'audit_channels': ['tls']}}}))
    (pdd / 'env' / 'extravars').write_text(yaml.safe_dump(extra))
    (pdd / 'env' / 'envvars').write_text(yaml.safe_dump({
        'ANSIBLE_COLLECTIONS_PATH': collections_root(), 'ANSIBLE_CONFIG': os.path.join(REPO, 'ansible.cfg'), 'ANSIBLE_NOCOLOR': '1',
        'ANSIBLE_LOCAL_TEMP': str(tmp_path / 'ansible-tmp')}))
    return pdd


def _run(pdd, ident):
    env = dict(os.environ, PATH=os.path.dirname(sys.executable) + os.pathsep + os.environ.get('PATH', ''))
    proc = subprocess.run([_runner_bin(), 'run', str(pdd), '-p', 'audit.yml', '--ident', ident], env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, universal_newlines=True, timeout=600, check=False)
    art = pdd / 'artifacts' / ident
    events = []
    for path in sorted(glob.glob(str(art / 'job_events' / '*.json'))):
        with open(path) as handle:
            events.append(json.load(handle))
    stats = [e for e in events if e.get('event') == 'playbook_on_stats']
    assert len(stats) == 1, proc.stdout[-3000:]
    return proc, art, events, stats[0]['event_data']


def test_audit_through_ansible_runner_as_awx_reads_it(corpus, tmp_path):
    out = tmp_path / 'report'
    pdd = _private_data_dir(tmp_path, corpus, ['nginx-rsa', 'haproxy-good'], {'report_output_dir': str(out), 'report_fail_on_must': True})
    proc, art, events, stats = _run(pdd, 'good')
    assert proc.returncode == 0, proc.stdout[-3000:]
    assert (art / 'rc').read_text().strip() == '0' and (art / 'status').read_text().strip() == 'successful'
    conformance = stats['artifact_data']['scs_0125_conformance']  # what AWX stores as the job's artifacts
    assert conformance['must_failed'] == [] and conformance['verdict'] in ('conformant', 'incomplete')
    assert conformance['controls_by_status']['pass'] >= 1 and conformance['certificates'] == {'valid': 2, 'expiring': 0, 'expired': 0}
    assert conformance['files']['junit'] == str(out / 'scs-0125-report.junit.xml')
    junit = ET.parse(conformance['files']['junit']).getroot()
    assert junit.get('failures') == '0' and int(junit.get('tests')) == 22 + 1  # one TLS target more than controls
    assert stats['ok']['node-a'] > 0 and not stats.get('failures')
    assert 'VERDICT:' in (art / 'stdout').read_text()


def test_failed_must_fails_the_runner_job_with_the_stats_still_published(corpus, tmp_path):
    out = tmp_path / 'report'
    pdd = _private_data_dir(tmp_path, corpus, ['nginx-tls10'], {'report_output_dir': str(out), 'report_fail_on_must': True})
    proc, art, events, stats = _run(pdd, 'weak')
    assert proc.returncode != 0
    assert (art / 'status').read_text().strip() == 'failed' and (art / 'rc').read_text().strip() != '0'
    conformance = stats['artifact_data']['scs_0125_conformance']
    assert conformance['verdict'] == 'non_conformant' and conformance['must_failed'] == ['scs-0125-tls-mozilla']
    failed = [e for e in events if e.get('event') == 'runner_on_failed']
    assert failed and 'scs-0125-v1 non-conformant' in failed[0]['event_data']['res']['msg']
    junit = ET.parse(str(out / 'scs-0125-report.junit.xml')).getroot()
    assert junit.get('failures') == '1'
