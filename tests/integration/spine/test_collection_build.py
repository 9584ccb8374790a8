# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a user gets: ``ansible-galaxy collection build``, the tarball installed into a fresh venv
with the newest ansible-core (the one in .venv-newest, requirements/newest.txt), ``ansible-doc`` of
every module, filter and role, and the audit playbook run on localhost against a snapshot tree.

The fresh venv holds only ansible-core and the controller libraries of requirements/runtime.txt
that the report needs (jsonschema, PyYAML, cryptography), not openstacksdk or PyMySQL: the audit
must still finish, and the API channel must say what to install on which host.
"""

from __future__ import absolute_import, division, print_function

import glob
import json
import os
import re
import subprocess
import tarfile

import pytest

from lab.paths import REPO

NEWEST = os.path.join(REPO, '.venv-newest', 'bin', 'python')
FIXTURE_TREE = os.path.join(REPO, 'tests', 'fixtures', 'trees', 'kolla')
SHIPPED = ('plugins/module_utils/data/controls.yml', 'plugins/module_utils/data/report.schema.json',
           'plugins/module_utils/data/mozilla-server-side-tls-5.7.json', 'playbooks/audit.yml', 'roles/audit/README.md',
           'roles/report/README.md', 'roles/report/meta/argument_specs.yml', 'meta/runtime.yml', 'meta/execution-environment.yml',
           'LICENSES/GPL-3.0-or-later.txt', 'README.md', 'docs/install.md', 'requirements/runtime.txt', 'changelogs/changelog.yaml')
NOT_SHIPPED = ('.venv', '.ci/', 'lab/', 'tests/', 'benchmarks/', 'scripts/', 'conftest.py', 'changelogs/fragments/',
               'requirements/test.txt', 'requirements/apt.txt')


def _run(argv, env, cwd, timeout=600, with_stderr=False):
    """stdout (and stderr with ``with_stderr``) of a command that must succeed."""
    proc = subprocess.run(argv, env=env, cwd=str(cwd), stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True,
                          timeout=timeout, check=False)
    assert proc.returncode == 0, '%s failed (rc %s):\n%s\n%s' % (' '.join(argv), proc.returncode, proc.stdout[-6000:], proc.stderr[-3000:])
    return proc.stdout + proc.stderr if with_stderr else proc.stdout


def _controller_libraries():
    """The report's controller libraries, with the bounds of requirements/runtime.txt."""
    wanted = ('jsonschema', 'pyyaml', 'cryptography')
    with open(os.path.join(REPO, 'requirements', 'runtime.txt')) as handle:
        lines = [line.strip() for line in handle if line.strip() and not line.startswith('#')]
    return [line for line in lines if re.split(r'[<>=!~ ]', line, 1)[0].lower() in wanted]


def _galaxy_version():
    with open(os.path.join(REPO, 'galaxy.yml')) as handle:
        return re.search(r'^version: *(\S+)', handle.read(), re.M).group(1)


def _newest_core():
    out = subprocess.run([NEWEST, '-c', 'import ansible.release as r; print(r.__version__)'], stdout=subprocess.PIPE,
                         universal_newlines=True, check=True)
    return out.stdout.strip()


def _broken_links(root):
    """Relative Markdown links of the installed collection whose target is not installed."""
    bad = []
    for folder, _dirs, files in os.walk(root):
        for name in files:
            if not name.endswith('.md'):
                continue
            path = os.path.join(folder, name)
            with open(path) as handle:
                text = handle.read()
            for match in re.finditer(r'\]\(([^)\s]+)\)', text):
                target = match.group(1)
                if re.match(r'[a-z][a-z0-9+.-]*:', target) or target.startswith('#'):
                    continue
                if not os.path.exists(os.path.normpath(os.path.join(folder, target.split('#')[0]))):
                    bad.append('%s -> %s' % (os.path.relpath(path, root), target))
    return bad


@pytest.fixture(scope='module')
def installed(tmp_path_factory):
    """(venv bin dir, collections path, installed collection dir, tarball names)."""
    if not os.path.exists(NEWEST):
        pytest.fail('.venv-newest is missing: run scripts/bootstrap.sh --test (it needs Python 3.12+)')
    tmp = tmp_path_factory.mktemp('install')
    core = _newest_core()
    venv = tmp / 'venv'
    base = subprocess.run([NEWEST, '-c', 'import sys; print(getattr(sys, "_base_executable", sys.executable))'],
                          stdout=subprocess.PIPE, universal_newlines=True, check=True).stdout.strip()
    env = dict(os.environ, ANSIBLE_NOCOLOR='1', ANSIBLE_FORCE_COLOR='0', ANSIBLE_LOCAL_TEMP=str(tmp / 'ansible-tmp'),
               ANSIBLE_HOME=str(tmp / 'ansible-home'))
    for name in ('ANSIBLE_COLLECTIONS_PATH', 'ANSIBLE_CONFIG', 'PYTHONPATH', 'VIRTUAL_ENV'):
        env.pop(name, None)
    _run([base, '-m', 'venv', str(venv)], env, tmp)
    _run([str(venv / 'bin' / 'python'), '-m', 'pip', 'install', '-q', 'ansible-core==%s' % core] + _controller_libraries(), env, tmp)
    bindir = str(venv / 'bin')
    _run([os.path.join(bindir, 'ansible-galaxy'), 'collection', 'build', '--output-path', str(tmp), REPO], env, tmp)
    tarball = glob.glob(str(tmp / 'scs-secure_connections-*.tar.gz'))
    assert len(tarball) == 1
    with tarfile.open(tarball[0]) as tar:
        names = tar.getnames()
    dest = tmp / 'collections'
    # --no-deps: the declared dependencies (community.general/mysql, for the remediation roles) would be
    # fetched from Galaxy, which this machine cannot reach; the audit run below needs neither
    _run([os.path.join(bindir, 'ansible-galaxy'), 'collection', 'install', '--no-deps', '-p', str(dest), tarball[0]], env, tmp)
    env['ANSIBLE_COLLECTIONS_PATH'] = str(dest)
    env['PATH'] = bindir + os.pathsep + env.get('PATH', '')
    return {'bin': bindir, 'env': env, 'tmp': tmp, 'names': names, 'core': core,
            'root': str(dest / 'ansible_collections' / 'scs' / 'secure_connections')}


def test_tarball_ships_what_a_user_needs_and_nothing_else(installed):
    names = installed['names']
    for needed in SHIPPED:
        assert needed in names, needed
    extra = [n for n in names if n.startswith(NOT_SHIPPED) or '__pycache__' in n]
    assert not extra, 'build_ignore should keep these out: %s' % extra[:20]
    assert not _broken_links(installed['root'])


def test_ansible_doc_of_every_module_filter_and_role(installed):
    env, bindir, root = installed['env'], installed['bin'], installed['root']
    doc = os.path.join(bindir, 'ansible-doc')
    modules = sorted('scs.secure_connections.' + n[:-3] for n in os.listdir(os.path.join(root, 'plugins', 'modules'))
                     if n.endswith('.py') and not n.startswith('_'))
    assert len(modules) >= 9
    out = json.loads(_run([doc, '-t', 'module', '--json'] + modules, env, installed['tmp']))
    assert sorted(out) == modules
    for name in modules:
        assert out[name]['doc']['short_description'] and out[name]['doc'].get('options') is not None, name
    filters = json.loads(_run([doc, '-t', 'filter', '--list', '--json', 'scs.secure_connections'], env, installed['tmp']))
    for name in filters:
        one = json.loads(_run([doc, '-t', 'filter', '--json', name], env, installed['tmp']))
        assert one[name]['doc']['short_description'], name
    roles = json.loads(_run([doc, '-t', 'role', '--json', 'scs.secure_connections.audit', 'scs.secure_connections.report'],
                            env, installed['tmp']))
    assert roles['scs.secure_connections.audit']['entry_points']['main']['options']['audit_root']
    assert roles['scs.secure_connections.report']['entry_points']['main']['options']['report_output_dir']


def test_audit_playbook_on_localhost_writes_the_report(installed):
    env, bindir, tmp = installed['env'], installed['bin'], installed['tmp']
    out = tmp / 'report'
    log = _run([os.path.join(bindir, 'ansible-playbook'), '-i', 'localhost,', '-c', 'local', 'scs.secure_connections.audit',
                '-e', json.dumps({'ansible_python_interpreter': os.path.join(bindir, 'python'), 'audit_root': FIXTURE_TREE,
                                  'report_output_dir': str(out)})], env, tmp, with_stderr=True)
    assert 'Traceback' not in log and '[ERROR]' not in log, log[-4000:]
    assert '[DEPRECATION WARNING]' not in log, log[-4000:]
    report = json.loads((out / 'scs-0125-report.json').read_text())
    assert report['run']['collection_version'] == _galaxy_version(), 'read from MANIFEST.json of the installed collection'
    for name in ('scs-0125-report.html', 'scs-0125-report.junit.xml', 'scs-0125-report.md', 'scs-0125-results.txt'):
        assert (out / name).stat().st_size > 0, name
    assert report['verdict'] in ('conformant', 'non_conformant', 'incomplete')
    assert {c['id'] for c in report['controls']} >= {'scs-0125-tls-mozilla', 'scs-0125-api-public-tls'}
    # no openstacksdk in this venv: the API channel says what to install where, not a credentials problem
    api = [f for f in report['findings'] if f['control_id'] == 'scs-0125-api-public-tls' and f['status'] == 'error']
    assert api and 'openstacksdk is not installed on host' in api[0]['message'], api
