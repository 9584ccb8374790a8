# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The conformance_report action reads the hosts' ``audit_evidence`` itself (``evidence_hosts``), as recorded, instead of
the report role templating it through the collect_evidence filter: same evidence, over Ansible's real HostVars."""

from __future__ import absolute_import, division, print_function

import pytest

from ansible.inventory.manager import InventoryManager
from ansible.parsing.dataloader import DataLoader
from ansible.template import trust_as_template
from ansible.vars.hostvars import HostVars
from ansible.vars.manager import VariableManager

from ansible_collections.scs.secure_connections.plugins.action.conformance_report import hosts_evidence
from ansible_collections.scs.secure_connections.plugins.module_utils._core.report import ReportError
from ansible_collections.scs.secure_connections.plugins.plugin_utils.evidence import collect_evidence

RECORD = {'channels': ['db'], 'changed': False, 'audit_status': {'audited': True},
          'discovery': {'services': [{'service': 'nova', 'note': '{{ not a template: evidence is data }}'}]}, 'db': {'servers': []}}


def _hostvars():
    loader = DataLoader()
    inventory = InventoryManager(loader=loader, sources='ctl1,cmp1,cmp2,cmp3,')
    manager = VariableManager(loader=loader, inventory=inventory)
    manager.set_nonpersistent_facts('ctl1', {'audit_evidence': RECORD})  # what register does
    manager.set_nonpersistent_facts('cmp1', {'audit_evidence': {'failed': True, 'msg': 'no python'}})
    manager.set_host_variable('cmp3', 'other', RECORD)
    manager.set_host_variable('cmp3', 'audit_evidence', trust_as_template('{{ other }}'))  # an inventory's template
    return HostVars(inventory=inventory, variable_manager=manager, loader=loader)


def test_the_recorded_evidence_is_what_the_templated_filter_gives():
    hostvars = _hostvars()
    hosts = ['ctl1', 'cmp1', 'cmp2', 'cmp3']
    out = hosts_evidence(hosts, {'hostvars': hostvars})
    assert out == collect_evidence(hosts, hostvars)
    assert list(out) == hosts
    assert out['ctl1']['discovery'] == RECORD['discovery'] and 'changed' not in out['ctl1']
    assert out['cmp1']['audit_status']['audited'] is False and 'no python' in out['cmp1']['audit_status']['reason']
    assert out['cmp2']['audit_status'] == {'audited': False, 'reason': 'no evidence: the host was unreachable, failed, or skipped by a limit'}
    assert out['cmp3']['channels'] == ['db']  # a template that is no mapping yet is templated as hostvars[host][fact] would be


def test_an_unknown_host_or_no_hostvars_is_an_error_and_no_hosts_is_no_evidence():
    with pytest.raises(ReportError, match='evidence_hosts: .*host nope is not in the inventory'):
        hosts_evidence(['nope'], {'hostvars': _hostvars()})
    with pytest.raises(ReportError, match='no hostvars'):
        hosts_evidence(['ctl1'], {})
    assert hosts_evidence([], {}) == {}
