# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Benchmark callback (benchmarks/scale.py): tasks per host and module dispatches per host, written as JSON
to $SCS_SCALE_COUNT_FILE when the playbook ends. Not shipped in the collection."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os

from ansible.plugins.callback import CallbackBase

DOCUMENTATION = r"""
name: scale_count
type: aggregate
short_description: Count tasks and module dispatches per host (benchmark only)
description: Writes the counts to the file named by SCS_SCALE_COUNT_FILE.
"""

# actions that never start a module process on the node (controller-side)
CONTROLLER_ACTIONS = frozenset((
    'set_fact', 'include_tasks', 'import_tasks', 'include_role', 'import_role', 'assert', 'debug', 'meta', 'fail',
    'set_stats', 'include_vars', 'validate_argument_spec', 'conformance_report', 'write_evidence_bundle'))


def _short(action):
    return (action or '').rsplit('.', 1)[-1]


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = 'aggregate'
    CALLBACK_NAME = 'scale_count'
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self, *args, **kwargs):
        super(CallbackModule, self).__init__(*args, **kwargs)
        self.tasks = {}
        self.modules = {}

    def _count(self, result, skipped=False):
        # meta tasks (end_host, the audit role's loading of its filter plugins) run inside the controller process and
        # fork no worker: a no-op set_fact of the floor would cost more than they do, so they are not counted
        if _short(result._task.action) == 'meta':
            return
        host = result._host.get_name()
        self.tasks[host] = self.tasks.get(host, 0) + 1
        if not skipped and _short(result._task.action) not in CONTROLLER_ACTIONS:
            self.modules[host] = self.modules.get(host, 0) + 1

    def v2_runner_on_ok(self, result):
        self._count(result)

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._count(result)

    def v2_runner_on_skipped(self, result):
        self._count(result, skipped=True)

    def v2_runner_on_unreachable(self, result):
        self._count(result, skipped=True)

    def v2_playbook_on_include(self, included_file):
        for host in included_file._hosts:
            name = host.get_name()
            self.tasks[name] = self.tasks.get(name, 0) + 1

    def v2_playbook_on_stats(self, stats):
        path = os.environ.get('SCS_SCALE_COUNT_FILE')
        if path:
            with open(path, 'w') as handle:
                json.dump({'tasks': self.tasks, 'modules': self.modules}, handle)
