# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run the remediation roles through real ansible-playbook on temp copies of a kolla config dir.

The roles use community.general (ini_file). It is looked up in ANSIBLE_COLLECTIONS_PATH, then in
``collections/`` next to this file (``ansible-galaxy collection install community.general -p
tests/integration/remediate/collections``, git-ignored); without it the tests are skipped and say why.
"""

from __future__ import absolute_import, division, print_function

import json
import os
import sysconfig
import subprocess
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
for path in (REPO, os.path.join(REPO, 'tests', 'unit', 'remediate')):
    if path not in sys.path:
        sys.path.insert(0, path)

from lab.paths import collections_root  # noqa: E402  pylint: disable=wrong-import-position


def _collections_path():
    paths = [collections_root()] + [p for p in os.environ.get('ANSIBLE_COLLECTIONS_PATH', '').split(os.pathsep) if p]
    paths.append(os.path.join(HERE, 'collections'))
    # the `ansible` package (requirements/test.txt) installs community.* into site-packages/ansible_collections
    paths.append(sysconfig.get_paths()['purelib'])
    return paths


def _has_community_general(paths):
    return any(os.path.isdir(os.path.join(p, 'ansible_collections', 'community', 'general', 'plugins')) for p in paths)


def _bin(name):
    candidate = os.path.join(os.path.dirname(sys.executable), name)
    return candidate if os.path.exists(candidate) else name


class Runner(object):
    """ansible-playbook on localhost with the collection and community.general importable."""

    def __init__(self, tmp_path, paths):
        self.tmp_path = tmp_path
        self.paths = paths

    def playbook(self, text, extra_vars=None, args=()):
        path = self.tmp_path / 'play.yml'
        path.write_text(text)
        env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=os.pathsep.join(self.paths), ANSIBLE_CONFIG=os.path.join(REPO, 'ansible.cfg'),
                   ANSIBLE_NOCOLOR='1', ANSIBLE_FORCE_COLOR='0', ANSIBLE_PYTHON_INTERPRETER=sys.executable,
                   ANSIBLE_LOCAL_TEMP=str(self.tmp_path / 'ansible-tmp'))
        argv = [_bin('ansible-playbook'), '-i', 'localhost,', '-c', 'local', str(path)] + list(args)
        if extra_vars:
            argv += ['-e', json.dumps(extra_vars)]
        proc = subprocess.run(argv, env=env, cwd=str(self.tmp_path), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              timeout=300, universal_newlines=True, check=False)
        return proc.returncode, proc.stdout


@pytest.fixture
def runner(tmp_path):
    paths = _collections_path()
    if not _has_community_general(paths):
        # CI installs them (requirements/test.txt): there a missing collection is a failure, not a skip
        missing = pytest.fail if os.environ.get('CI') else pytest.skip
        missing('community.general is not installed (the role needs community.general.ini_file): '
                'ansible-galaxy collection install community.general -p %s' % os.path.join(HERE, 'collections'))
    return Runner(tmp_path, paths)
