# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ansible-galaxy collection build and install of the tarball work, and the installed copy runs."""

from __future__ import absolute_import, division, print_function

import glob
import json
import os
import subprocess
import sys
import tarfile

from lab.paths import REPO


def _bin(name):
    return os.path.join(os.path.dirname(sys.executable), name)


def test_build_install_and_run_the_installed_collection(tmp_path):
    env = dict(os.environ, ANSIBLE_NOCOLOR='1', ANSIBLE_LOCAL_TEMP=str(tmp_path / 'tmp'))
    env.pop('ANSIBLE_COLLECTIONS_PATH', None)
    subprocess.run([_bin('ansible-galaxy'), 'collection', 'build', '--output-path', str(tmp_path), REPO],
                   check=True, env=env, cwd=str(tmp_path), stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    tarball = glob.glob(str(tmp_path / 'scs-secure_connections-*.tar.gz'))
    assert len(tarball) == 1
    with tarfile.open(tarball[0]) as tar:
        names = tar.getnames()
    for needed in ('plugins/module_utils/data/controls.yml', 'plugins/module_utils/data/report.schema.json',
                   'plugins/module_utils/data/mozilla-server-side-tls-5.7.json', 'playbooks/audit.yml',
                   'roles/report/meta/argument_specs.yml', 'meta/runtime.yml', 'meta/execution-environment.yml'):
        assert needed in names, needed
    assert not [n for n in names if n.startswith(('.venv', 'lab/', 'tests/output'))], 'build_ignore keeps dev files out'

    dest = tmp_path / 'installed'
    subprocess.run([_bin('ansible-galaxy'), 'collection', 'install', '-p', str(dest), tarball[0]],
                   check=True, env=env, cwd=str(tmp_path), stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    env['ANSIBLE_COLLECTIONS_PATH'] = str(dest)
    doc = subprocess.run([_bin('ansible-doc'), '--json', 'scs.secure_connections.conformance_report'], env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True, check=False)
    assert doc.returncode == 0, doc.stdout
    assert 'evidence' in json.loads(doc.stdout)['scs.secure_connections.conformance_report']['doc']['options']

    play = tmp_path / 'play.yml'
    play.write_text("""
- hosts: localhost
  gather_facts: false
  tasks:
    - ansible.builtin.set_fact:
        audit_evidence: {channels: [tls], tls: {endpoints: []}}
    - ansible.builtin.import_role:
        name: scs.secure_connections.report
      vars:
        report_output_dir: %s
        report_formats: [json]
""" % (tmp_path / 'out'))
    run = subprocess.run([_bin('ansible-playbook'), '-i', 'localhost,', '-c', 'local', str(play)], env=env, cwd=str(tmp_path),
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True, check=False)
    assert run.returncode == 0, run.stdout
    report = json.loads((tmp_path / 'out' / 'scs-0125-report.json').read_text())
    assert report['run']['collection_version'] == '0.1.0', 'read from MANIFEST.json of the installed collection'
