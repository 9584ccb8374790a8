# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""AWX job slicing, as ansible-runner (AWX's engine) runs it: the audit of a 6-node cloud over the real fixture trees
in one run, and in two slices (each a run on half of the inventory, writing evidence bundles to one directory) plus a
merge run (playbooks/merge.yml, the workflow's last node) give the same report: findings, control statuses, verdict.

ansible-runner comes with the test environment (requirements/test.txt); without it the test skips, except in CI."""

from __future__ import absolute_import, division, print_function

import importlib.util
import json
import os
import subprocess
import sys

import yaml

from lab.paths import REPO, collections_root
from scale_helpers import node_hosts

# cloud-wide channels (api: the Keystone catalog) run once per workflow, not per slice: docs/scale.md
CHANNELS = ['tls', 'db', 'mq', 'hv', 'net', 'sto']


def _runner_bin():
    """The ops tests' ansible-runner lookup (their module, loaded by path; it skips without ansible-runner, fails in CI)."""
    spec = importlib.util.spec_from_file_location('scs_ops_runner', os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                                                                 'ops', 'test_ansible_runner.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module._runner_bin()  # pylint: disable=protected-access


def _run(tmp_path, ident, playbook, hosts, extra):
    pdd = tmp_path / ident
    for sub in ('project', 'inventory', 'env'):
        (pdd / sub).mkdir(parents=True)
    (pdd / 'project' / 'play.yml').write_text('- ansible.builtin.import_playbook: scs.secure_connections.%s\n' % playbook)
    inventory = {'all': {'hosts': hosts, 'children': {'control': {'hosts': dict((h, {}) for h in hosts if h == 'node-00')}}}}
    (pdd / 'inventory' / 'hosts.yml').write_text(yaml.safe_dump(inventory))
    (pdd / 'env' / 'extravars').write_text(yaml.safe_dump(extra))
    (pdd / 'env' / 'envvars').write_text(yaml.safe_dump({
        'ANSIBLE_COLLECTIONS_PATH': collections_root(), 'ANSIBLE_CONFIG': os.path.join(REPO, 'ansible.cfg'), 'ANSIBLE_NOCOLOR': '1',
        'ANSIBLE_LOCAL_TEMP': str(tmp_path / 'ansible-tmp')}))
    env = dict(os.environ, PATH=os.path.dirname(sys.executable) + os.pathsep + os.environ.get('PATH', ''))
    proc = subprocess.run([_runner_bin(), 'run', str(pdd), '-p', 'play.yml', '--ident', ident], env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, universal_newlines=True, timeout=900, check=False)
    assert proc.returncode == 0 and (pdd / 'artifacts' / ident / 'status').read_text().strip() == 'successful', proc.stdout[-3000:]
    with open(str(extra['report_output_dir'] + '/scs-0125-report.json')) as handle:
        return json.load(handle)


def _comparable(report):
    findings = sorted(json.dumps(f, sort_keys=True) for f in report['findings'])
    controls = [(row['id'], row['status'], row['counts']) for row in report['controls']]
    return findings, controls, report['verdict'], report['summary']['controls_by_status'], report['run']['hosts'], report['run']['channels']


def test_two_slices_and_a_merge_give_the_report_of_one_run(tmp_path):
    hosts = node_hosts(6)
    names = sorted(hosts)
    common = {'audit_channels': CHANNELS}
    whole = _run(tmp_path, 'whole', 'audit', hosts, dict(common, report_output_dir=str(tmp_path / 'report-whole')))
    bundles = tmp_path / 'bundles'
    for index, part in enumerate((names[:3], names[3:])):
        sliced = _run(tmp_path, 'slice%d' % index, 'audit', dict((h, hosts[h]) for h in part),
                      dict(common, report_output_dir=str(tmp_path / ('report-slice%d' % index)), report_bundle_dir=str(bundles)))
        assert sliced['run']['hosts'] == part
    written = sorted(os.listdir(str(bundles)))
    assert written == ['%s.json' % h for h in names]
    bundle = json.loads((bundles / 'node-01.json').read_text())
    assert (bundle['kind'], bundle['schema_version'], bundle['host']) == ('scs-0125-evidence-bundle', 1, 'node-01')
    assert sorted(bundle['evidence']['channels']) == sorted(CHANNELS) and bundle['evidence']['discovery']['services']
    merged = _run(tmp_path, 'merge', 'merge', {}, dict(common, report_output_dir=str(tmp_path / 'report-merged'),
                                                       report_evidence_bundles=[str(bundles)]))
    assert _comparable(merged) == _comparable(whole)
    assert whole['findings'] and merged['run']['hosts'] == names
