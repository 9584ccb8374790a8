# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action plugin of host_evidence_info: run the module and, with ``record``, return the host's ``audit_evidence``.

Without ``record`` the module runs as any module. With ``record`` (the audit role) the action plans the run's
channels from the catalog, runs the module once, and returns the evidence as the task result, shaped in Python
(plugins/plugin_utils/evidence.record_host): the audit role registers it as ``audit_evidence``. That replaces the
plan, record and "mark audited" tasks the role ran per host before (docs/scale.md): each was a forked worker that
templated the 40-60 KB evidence. A host that cannot be audited (unreachable, no Python, a failed discovery) is a
result too: ``audit_status.audited`` false with the cause, never a failed task.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.errors import AnsibleActionFail, AnsibleConnectionFailure
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.plugins.action import ActionBase

from ansible_collections.scs.secure_connections.plugins.module_utils._core.catalog import CatalogError
from ansible_collections.scs.secure_connections.plugins.module_utils._core.record import RECORD_SPEC
from ansible_collections.scs.secure_connections.plugins.plugin_utils.evidence import record_host, trusted_delegated_probes
from ansible_collections.scs.secure_connections.plugins.plugin_utils.plan import audit_plan

MODULE = 'scs.secure_connections.host_evidence_info'


class ActionModule(ActionBase):
    _supports_check_mode = True

    def _module(self, args, task_vars):
        """The module's result; a connection failure is a result (``unreachable``) so the host is recorded with it."""
        try:
            result = self._execute_module(module_name=MODULE, module_args=args, task_vars=task_vars)
        except AnsibleConnectionFailure as exc:
            return {'unreachable': True, 'msg': str(exc)}
        self._remove_tmp_path(self._connection._shell.tmpdir)
        return result

    def run(self, tmp=None, task_vars=None):
        result = super(ActionModule, self).run(tmp, task_vars)
        del tmp
        args = dict(self._task.args)
        record = args.pop('record', None)
        if record is None:
            result.update(self._module(args, task_vars))
            return result
        validation = ArgumentSpecValidator(RECORD_SPEC).validate(record)
        if validation.error_messages:
            raise AnsibleActionFail('host_evidence_info record: %s' % '; '.join(validation.error_messages))
        record = validation.validated_parameters
        try:
            channels = args['channels'] if args.get('channels') is not None else ['all']
            plan = audit_plan(channels, args.get('skip_controls') or [], record['run_tags'], record['skip_tags'])
        except CatalogError as exc:
            raise AnsibleActionFail('host_evidence_info: %s' % exc)
        args.update(channels=plan['channels'], skip_controls=plan['skip_controls'])
        gathered = self._module(args, task_vars)
        # where a probe runs and with which files is the task's choice, never the node's
        probes, warnings = trusted_delegated_probes(gathered.get('delegated_probes'), args, args.get('level') or 'intermediate')
        if 'delegated_probes' in gathered:
            gathered['delegated_probes'] = probes
        tls = dict(record['tls'], skip='scs-0125-tls-mozilla' in plan['skip_controls'])
        result.update(record_host(gathered, plan['channels'], record['host'], record['net_extensions'], tls))
        # the module's own warnings are shown as for any module (the report drops these keys from the evidence)
        result.update((k, gathered[k]) for k in ('warnings', 'deprecations') if gathered.get(k))
        if warnings:
            result['warnings'] = list(result.get('warnings') or []) + warnings
        result['changed'] = False
        if not record['show_evidence'] and (result['audit_status'].get('audited') or 'pending' in result['audit_status']):
            # the evidence reaches the callbacks censored (record.show_evidence): each callback event would deep-copy and
            # walk its 40-90 KB again on the controller, and AWX stores it as a job event per host; the registered result
            # keeps it whole. _ansible_no_log is the result's own no_log flag (ORed with the task's by the executor).
            result['_ansible_no_log'] = True
        return result
