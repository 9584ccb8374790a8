# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The audit role's one call per host (host_evidence_info) records the same evidence as the channels' own task files
(discovery, then tasks/channel_<name>.yml: one module call and one set_fact per channel), host by host, over the
real kolla, OSA and distro trees, through real ansible-playbook."""

from __future__ import absolute_import, division, print_function

import json

from scale_helpers import node_hosts, write_inventory

PLAY = """
- hosts: all
  gather_facts: false
  tasks:
    - name: Discovery as the single module
      scs.secure_connections.openstack_config_info:
        root: "{{ audit_root }}"
      register: discovered
    - ansible.builtin.set_fact:
        audit_evidence: "{{ {'channels': []} | scs.secure_connections.with_channel('discovery', discovered | scs.secure_connections.module_evidence) }}"
    - ansible.builtin.include_role:
        name: scs.secure_connections.audit
        tasks_from: "channel_{{ channel }}.yml"
      loop: [db, mq, hv, net, sto, tls]
      loop_control:
        loop_var: channel
    - ansible.builtin.set_fact:
        per_channel: "{{ audit_evidence }}"
    - name: The role as it runs now
      ansible.builtin.include_role:
        name: scs.secure_connections.audit
      vars:
        audit_channels: [tls, db, mq, hv, net, sto]
    - ansible.builtin.copy:
        # as the report reads it (the one call's evidence is the registered result of the gather task)
        content: >-
          {{ {'per_channel': per_channel,
              'one_call': ([inventory_hostname] | scs.secure_connections.collect_evidence(hostvars))[inventory_hostname]} | to_json }}
        dest: "{{ out }}/{{ inventory_hostname }}.json"
      delegate_to: localhost
"""

BOOKKEEPING = ('failed_when_result',)


def _clean(value):
    if isinstance(value, dict):
        return dict((k, _clean(v)) for k, v in value.items() if k not in BOOKKEEPING)
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


def test_one_call_per_host_records_what_the_channel_files_record(runner, tmp_path):
    out = tmp_path / 'out'
    out.mkdir()
    inventory = write_inventory(tmp_path / 'hosts.yml', node_hosts(3))
    rc, log = runner.playbook(PLAY, extra_vars={'out': str(out)}, inventory=inventory)
    assert rc == 0, log[-3000:]
    for name in ('node-00', 'node-01', 'node-02'):
        data = json.loads((out / ('%s.json' % name)).read_text())
        old, new = _clean(data['per_channel']), _clean(data['one_call'])
        # the role marks a host audited after its last channel; the per-channel reference play has no such step
        assert new.pop('audit_status', None) == {'audited': True}
        old.pop('audit_status', None)
        assert sorted(old.pop('channels')) == sorted(new.pop('channels')) == ['db', 'hv', 'mq', 'net', 'sto', 'tls']
        assert old == new, name
        # the trees are real: something was found on each
        assert new['discovery']['layouts'] and new['discovery']['services']
