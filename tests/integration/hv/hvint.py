# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ansible-playbook runner for the hv integration tests (a module of its own: several test
directories have a conftest.py, so ``from conftest import`` would depend on collection order)."""

from __future__ import absolute_import, division, print_function

import json
import os
import shutil
import subprocess
import sys

from lab.paths import REPO, collections_root


def _bin(name):
    candidate = os.path.join(os.path.dirname(sys.executable), name)
    return candidate if os.path.exists(candidate) else shutil.which(name) or name


def ansible_playbook(tmp_path, playbook, inventory, timeout=600):
    """Run ansible-playbook with the collection from this clone; returns (rc, output)."""
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=collections_root(), ANSIBLE_NOCOLOR='1', ANSIBLE_FORCE_COLOR='0',
               ANSIBLE_PYTHON_INTERPRETER=sys.executable, ANSIBLE_LOCAL_TEMP=str(tmp_path / 'ansible-tmp'),
               ANSIBLE_HOST_KEY_CHECKING='False', ANSIBLE_RETRY_FILES_ENABLED='False')
    if os.path.exists(os.path.join(REPO, 'ansible.cfg')):
        env['ANSIBLE_CONFIG'] = os.path.join(REPO, 'ansible.cfg')
    play = tmp_path / 'play.yml'
    play.write_text(playbook)
    inv = tmp_path / 'inventory.json'
    inv.write_text(json.dumps(inventory))
    proc = subprocess.run([_bin('ansible-playbook'), '-i', str(inv), str(play)], env=env, cwd=str(tmp_path),
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=timeout, universal_newlines=True, check=False)
    return proc.returncode, proc.stdout
