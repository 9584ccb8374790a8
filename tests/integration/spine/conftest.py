# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Helpers to run real ansible-playbook against the collection from this clone."""

from __future__ import absolute_import, division, print_function

import json
import os
import subprocess
import sys

import pytest

from lab.paths import REPO, collections_root


def _bin(name):
    candidate = os.path.join(os.path.dirname(sys.executable), name)
    return candidate if os.path.exists(candidate) else name


class Runner(object):
    """Runs ansible-playbook with the collection importable; returns (rc, stdout+stderr)."""

    def __init__(self, tmp_path):
        self.tmp_path = tmp_path

    def playbook(self, text, extra_vars=None, args=(), inventory='localhost,', timeout=600):
        path = self.tmp_path / 'play.yml'
        path.write_text(text)
        return self.run([str(path)], extra_vars=extra_vars, args=args, inventory=inventory, timeout=timeout)

    def run(self, playbook_args, extra_vars=None, args=(), inventory='localhost,', timeout=600):
        env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=collections_root(), ANSIBLE_CONFIG=os.path.join(REPO, 'ansible.cfg'),
                   ANSIBLE_NOCOLOR='1', ANSIBLE_FORCE_COLOR='0', ANSIBLE_PYTHON_INTERPRETER=sys.executable,
                   ANSIBLE_LOCAL_TEMP=str(self.tmp_path / 'ansible-tmp'))
        argv = [_bin('ansible-playbook'), '-i', inventory, '-c', 'local'] + list(playbook_args) + list(args)
        if extra_vars:
            argv += ['-e', json.dumps(extra_vars)]
        proc = subprocess.run(argv, env=env, cwd=str(self.tmp_path), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              timeout=timeout, universal_newlines=True, check=False)
        return proc.returncode, proc.stdout


@pytest.fixture
def runner(tmp_path):
    return Runner(tmp_path)
