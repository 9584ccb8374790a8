# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Helpers of the API channel integration tests: run the module and ansible-playbook, look for secrets."""

from __future__ import absolute_import, division, print_function

import json
import os
import re
import subprocess
import sys

from lab.paths import REPO, collections_root

# every Fernet token starts with "gAAAAA" (version byte 0x80, base64url); the regex finds any token
FERNET_TOKEN = re.compile(r'gAAAAA[A-Za-z0-9_\-]{40,}')


class Lab(object):
    def __init__(self, **kwargs):
        self.__dict__.update(kwargs)

    def secrets(self):
        """Every secret the tests know: they must never appear in any output."""
        return [self.ks.admin_password, self.member_password, self.reader_password, self.wrong_password]

    def assert_no_secret(self, text, what):
        for secret in self.secrets():
            assert secret not in text, '%s contains a password' % what
        match = FERNET_TOKEN.search(text)
        assert match is None, '%s contains a Keystone token: %s...' % (what, match.group(0)[:12])


def run_module(module_args, env=None, timeout=180):
    """Run keystone_catalog_info as Ansible runs it (a child Python with ANSIBLE_MODULE_ARGS); (result, raw output)."""
    full_env = dict(os.environ, PYTHONPATH=collections_root(), LC_ALL='C')
    full_env.pop('OS_CLOUD', None)
    full_env.update(env or {})
    proc = subprocess.run([sys.executable, '-m', 'ansible_collections.scs.secure_connections.plugins.modules.keystone_catalog_info'],
                          input=json.dumps({'ANSIBLE_MODULE_ARGS': module_args}), env=full_env, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, universal_newlines=True, timeout=timeout, check=False)
    assert proc.returncode == 0, 'module failed (%s): %s %s' % (proc.returncode, proc.stdout[-2000:], proc.stderr[-2000:])
    return json.loads(proc.stdout), proc.stdout + proc.stderr


def run_playbook(tmp_path, text, extra_vars=None, env=None, timeout=600, inventory='localhost,'):
    """ansible-playbook against localhost with the collection from this clone; (rc, output)."""
    play = tmp_path / 'play.yml'
    play.write_text(text)
    full_env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=collections_root(), ANSIBLE_CONFIG=os.path.join(REPO, 'ansible.cfg'),
                    ANSIBLE_NOCOLOR='1', ANSIBLE_FORCE_COLOR='0', ANSIBLE_PYTHON_INTERPRETER=sys.executable,
                    ANSIBLE_LOCAL_TEMP=str(tmp_path / 'ansible-tmp'), LC_ALL='C.UTF-8')
    full_env.pop('OS_CLOUD', None)
    full_env.update(env or {})
    bindir = os.path.dirname(sys.executable)
    playbook = os.path.join(bindir, 'ansible-playbook') if os.path.exists(os.path.join(bindir, 'ansible-playbook')) else 'ansible-playbook'
    argv = [playbook, '-i', inventory, '-c', 'local', '-vvv', str(play)]
    if extra_vars:
        argv += ['-e', json.dumps(extra_vars)]
    proc = subprocess.run(argv, env=full_env, cwd=str(tmp_path), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          universal_newlines=True, timeout=timeout, check=False)
    return proc.returncode, proc.stdout
