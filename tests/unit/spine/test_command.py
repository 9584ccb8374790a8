# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""_core.command: the one command runner (real processes, run by a real AnsibleModule)."""

from __future__ import absolute_import, division, print_function

import os
import time

import pytest

from ansible_collections.scs.secure_connections.plugins.module_utils._core import command


def _script(tmp_path, name, body):
    path = tmp_path / name
    path.write_text('#!/bin/sh\n' + body)
    path.chmod(0o755)
    return str(path)


def test_c_locale_extra_env_and_no_expansion(tmp_path, ansible_module):
    tool = _script(tmp_path, 'show', 'echo "$LC_ALL $LANG $EXTRA"; echo "$1"\n')
    res = command.run(ansible_module, [tool, '$HOME ~'], env={'EXTRA': 'x', 'LANG': 'C'})
    assert res.ok and res.rc == 0
    assert res.stdout.splitlines() == ['C C x', '$HOME ~']


def test_exit_code_and_stderr(tmp_path, ansible_module):
    res = command.run(ansible_module, [_script(tmp_path, 'fail', 'echo oops >&2; exit 3\n')])
    assert not res.ok and res.rc == 3 and res.stderr == 'oops\n' and not res.timed_out


def test_missing_tool_is_an_error_not_an_exception(tmp_path, ansible_module):
    res = command.run(ansible_module, [str(tmp_path / 'nothing-here')])
    assert res.rc is None and 'cannot run' in res.error and not res.ok


def test_timeout_kills_the_tool_and_its_children(tmp_path, ansible_module):
    pidfile = tmp_path / 'child.pid'
    tool = _script(tmp_path, 'hang', 'sleep 60 & echo $! > %s; wait\n' % pidfile)
    started = time.time()
    res = command.run(ansible_module, [tool], timeout=1)
    assert res.timed_out and res.rc is None and not res.ok
    assert time.time() - started < 10
    child = int(pidfile.read_text())
    for _attempt in range(50):
        if not os.path.exists('/proc/%d' % child) or open('/proc/%d/stat' % child).read().split(') ')[1].startswith('Z'):
            break
        time.sleep(0.1)
    else:
        pytest.fail('the child sleep %d survived the timeout' % child)


def test_output_is_bounded(tmp_path, ansible_module):
    res = command.run(ansible_module, [_script(tmp_path, 'loud', 'head -c 5000 /dev/zero\n')], max_output=1000)
    assert res.truncated and not res.ok and len(res.stdout) == 1000


def test_needs_a_module():
    with pytest.raises(ValueError):
        command.run(None, ['true'])


def test_container_argv_and_engine_choice():
    argv = command.container_argv('/usr/bin/docker', 'rabbitmq', ['rabbitmqctl', 'status'], env={'HOME': '/var/lib/rabbitmq'},
                                  pass_env=['SECRET'])
    assert argv == ['/usr/bin/docker', 'exec', '-e', 'LC_ALL=C', '-e', 'LANG=C', '-e', 'HOME=/var/lib/rabbitmq', '-e', 'SECRET',
                    'rabbitmq', 'rabbitmqctl', 'status']
    found = {'podman': '/usr/bin/podman'}
    assert command.container_engine('auto', which=found.get) == '/usr/bin/podman'
    assert command.container_engine('docker', which=found.get) is None
    found['docker'] = '/usr/bin/docker'
    assert command.container_engine('auto', which=found.get) == '/usr/bin/docker'
