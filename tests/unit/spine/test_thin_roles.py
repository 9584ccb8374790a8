# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The roles stay thin: no Jinja statement blocks in task files, nothing reads every host's hostvars
per host (a task that reads one host's hostvars runs once per run), and task names carry their channel."""

from __future__ import absolute_import, division, print_function

import json
import os

import yaml

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
PREFIXES = {'channel_tls.yml': 'TLS | ', 'channel_api.yml': 'API | ', 'channel_db.yml': 'DB | ', 'channel_mq.yml': 'MQ | ',
            'channel_hv.yml': 'HV | ', 'channel_net.yml': 'NET | ', 'channel_sto.yml': 'STO | '}


def _task_files():
    for role in ('audit', 'report'):
        base = os.path.join(REPO, 'roles', role, 'tasks')
        for name in sorted(os.listdir(base)):
            if name.endswith(('.yml', '.yaml')):
                yield name, os.path.join(base, name)
    yield 'audit.yml', os.path.join(REPO, 'playbooks', 'audit.yml')


def test_no_task_file_holds_a_jinja_statement_block():
    offenders = []
    for _name, path in _task_files():
        with open(path) as handle:
            for number, line in enumerate(handle, 1):
                if '{%' in line:
                    offenders.append('%s:%d' % (os.path.relpath(path, REPO), number))
    assert not offenders, 'Jinja statement blocks belong in a module or plugin, not in tasks: %s' % ', '.join(offenders)


def test_no_audit_task_reads_other_hosts_hostvars():
    for name, path in _task_files():
        if name in ('audit.yml',) or '/report/' in path:
            continue          # the report runs once and collects every host's evidence by design
        with open(path) as handle:
            tasks = yaml.safe_load(handle)
        for task in tasks:
            # once per run (the api channel's record on its evidence host): not per host, so never quadratic
            assert 'hostvars[' not in json.dumps(task) or task.get('run_once') is True, \
                '%s: task "%s" reads other hosts\' hostvars on every host' % (path, task.get('name'))


def test_channel_task_names_carry_the_channel():
    for name, path in _task_files():
        if name not in PREFIXES:
            continue
        with open(path) as handle:
            tasks = yaml.safe_load(handle)
        for task in tasks:
            assert task['name'].startswith(PREFIXES[name]), '%s: task "%s" does not start with "%s"' % (name, task['name'], PREFIXES[name])
