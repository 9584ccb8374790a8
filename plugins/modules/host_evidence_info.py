#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: host_evidence_info
short_description: Gather one host's scs-0125-v1 evidence of the selected channels in one process
version_added: 0.1.0
description:
  - Runs discovery (as M(scs.secure_connections.openstack_config_info)) and then the gatherers of the selected node channels
    in one module process - V(db) (as M(scs.secure_connections.mysql_tls_info)
    in channel mode), V(mq) (M(scs.secure_connections.rabbitmq_tls_info)), V(hv) (M(scs.secure_connections.libvirt_tls_info)),
    V(net) and V(sto) (M(scs.secure_connections.storage_network_info)) - with the same logic, options and results as those modules,
    and probes their TLS targets with the engine of M(scs.secure_connections.tls_endpoint_info) when the probes run from this host.
  - Returns RV(evidence), the host's C(audit_evidence) in the shape the audit role records (docs/architecture.md). The audit role
    calls it once per host instead of one module call per channel (docs/scale.md).
  - A channel whose gatherer cannot run is recorded like a failed module call (C(failed), C(msg)); the other channels go on.
  - Read-only. Secrets are masked as by the single modules; passwords given in O(db) and O(mq) never appear in the result.
  - With O(record) (the audit role), the module's action plugin plans the run's channels from the catalog, runs the module and
    returns the host's C(audit_evidence) itself as the task result (register it), recorded on the controller in Python
    instead of a C(set_fact) over the result. A host that cannot be audited is then a result, not a failed task.
author:
  - scs.secure_connections contributors (@SovereignCloudStack)
extends_documentation_fragment:
  - scs.secure_connections.attributes
attributes:
  check_mode:
    details: Only reads; runs the same in check mode.
options:
  root:
    description: Root of the file system configuration is read from (a snapshot works too; then nothing live is asked or probed).
    type: path
    default: /
  channels:
    description:
      - Channels to gather. V(db), V(mq), V(hv), V(net) and V(sto) are gathered here; other names (V(tls) and V(api), which the
        audit role gathers with their own task files) are ignored.
    type: list
    elements: str
    default: [db, mq, hv, net, sto]
  skip_controls:
    description: Control ids not assessed in this run (their gathering steps, such as the CA file checks of V(scs-0125-db-client-tls), do not run).
    type: list
    elements: str
    default: []
  label:
    description: Name of the audited host (the inventory name), as O(scs.secure_connections.mysql_tls_info#module:label).
    type: str
    default: ''
  groups:
    description: Inventory groups of this host (C(group_names)), for O(db) C(server_groups) and O(mq) C(broker_groups).
    type: list
    elements: str
    default: []
  level:
    description: Mozilla level of the C(mozilla) block attached to every probe result (the report judges at its own level).
    type: str
    choices: [old, intermediate, modern]
    default: intermediate
  db:
    description:
      - The V(db) channel - the options of M(scs.secure_connections.mysql_tls_info) in channel mode (C(discovery), C(root),
        C(label) and C(groups) are set here), and C(probe) (bool), C(probe_local) (bool, probe from this host, else hand the
        probe back in RV(delegated_probes)), C(probe_delegate_to), C(probe_ca_files), C(probe_timeout).
    type: dict
    default: {}
  mq:
    description:
      - The V(mq) channel - the options of M(scs.secure_connections.rabbitmq_tls_info) (C(root) is set here, C(live) is off for a snapshot,
        C(container=auto) means C(rabbitmq) on a kolla host), and C(gather) (V(auto), V(always), V(never)), C(broker_groups),
        C(addresses) (this host's addresses, passed through), C(probe), C(probe_local), C(probe_delegate_to), C(probe_ca_files), C(probe_timeout).
    type: dict
    default: {}
  hv:
    description:
      - The V(hv) channel - the options of M(scs.secure_connections.libvirt_tls_info) (C(label) and C(tls_probe_local) are set here),
        and C(probe), C(probe_local), C(probe_delegate_to), C(probe_ca_files), C(probe_client_cert), C(probe_client_key), C(probe_timeout).
    type: dict
    default: {}
  net:
    description:
      - The V(net) channel's node part - the options of M(scs.secure_connections.storage_network_info) and C(use_discovery)
        (add the Neutron files discovery found). The Neutron API extension list is read by the audit role once per run.
    type: dict
    default: {}
  sto:
    description:
      - The V(sto) channel - the options of M(scs.secure_connections.storage_network_info) and C(use_discovery) (add the OpenStack and
        Ceph files and Nova's C(live_migration_inbound_addr) discovery found).
    type: dict
    default: {}
  record:
    description:
      - Return the host's C(audit_evidence) as the result (handled by the action plugin on the controller; the module on the
        host never sees it). O(channels) may then contain V(all) and every channel of the catalog, resolved by the catalog
        and by C(--tags)/C(--skip-tags) (O(record.run_tags), O(record.skip_tags)).
      - The result is then C(channels), C(discovery), one key per gathered channel and C(audit_status) - C(audited) true, or
        false with C(reason) (why the host could not be audited - unreachable, no working Python, discovery failed, no audit root),
        or false with C(pending), the steps that still record on this host (V(tls) the tls channel's probes, V(delegated)
        probes run from other hosts, listed in C(audit_status.delegated_probes)); the filters
        P(scs.secure_connections.with_channel#filter) and P(scs.secure_connections.with_delegated_probes#filter) take them
        off. When V(tls) is selected and has nothing to probe (a configuration snapshot, the control skipped), the tls channel
        is recorded here (P(scs.secure_connections.tls_probe_plan#filter)).
    type: dict
    suboptions:
      host:
        description: The audited host (C(inventory_hostname)).
        type: str
        required: true
      run_tags:
        description: C(ansible_run_tags).
        type: list
        elements: str
        default: []
      skip_tags:
        description: C(ansible_skip_tags).
        type: list
        elements: str
        default: []
      net_extensions:
        description: The registered result of M(scs.secure_connections.neutron_extension_info) (run once), put in C(net.extensions).
        type: raw
      show_evidence:
        description:
          - Pass the gathered evidence to the callbacks too (C(-v) output, AWX job events, ARA). By default the result of a host
            whose evidence was gathered reaches the callbacks censored (as with C(no_log)); the registered result holds all of it,
            and the report and the evidence bundles carry it. A result without evidence (the host could not be audited, a failed
            task) is always shown with its cause.
          - The evidence is 40-90 KB per host; handing it to the callbacks costs the controller a deep copy and a walk of it per
            host, and AWX stores every result as a job event.
        type: bool
        default: false
      tls:
        description:
          - The tls channel's targets, as P(scs.secure_connections.tls_probe_plan#filter) takes them - C(declared), C(exclude_ports),
            C(discover_listeners), C(probe_from), C(node_address).
        type: dict
        default: {}
        suboptions:
          declared:
            description: C(audit_tls_endpoints).
            type: list
            elements: dict
            default: []
          exclude_ports:
            description: C(audit_tls_exclude_ports).
            type: list
            elements: int
            default: []
          discover_listeners:
            description: C(audit_tls_discover_listeners).
            type: bool
            default: true
          probe_from:
            description: C(audit_tls_probe_from).
            type: str
            default: ''
          node_address:
            description: C(audit_tls_node_address).
            type: str
            default: ''
seealso:
  - module: scs.secure_connections.openstack_config_info
  - module: scs.secure_connections.tls_endpoint_info
  - name: docs/scale.md
    description: Why one call per host, evidence bundles, AWX job slicing.
    link: https://github.com/SovereignCloudStack/scs-secure-connections/blob/main/docs/scale.md
'''

EXAMPLES = r'''
- name: Everything a node holds, from a configuration snapshot
  scs.secure_connections.host_evidence_info:
    root: /srv/snapshots/ctl1
    label: ctl1
    channels: [db, mq, hv, net, sto]
  register: host

- name: Only the hypervisor channel of a live compute node
  scs.secure_connections.host_evidence_info:
    channels: [hv]
    label: "{{ inventory_hostname }}"
  become: true

- name: As the audit role records a host (the result is the host's audit_evidence)
  scs.secure_connections.host_evidence_info:
    root: /srv/snapshots/ctl1
    channels: [all]
    label: ctl1
    record:
      host: ctl1
  register: audit_evidence
'''

RETURN = r'''
# Without O(record); with it, the result is the host's audit_evidence (see O(record)).
evidence:
  description:
    - The host's evidence - C(channels) (the channels gathered), C(discovery) and one key per gathered channel, shaped as in
      docs/architecture.md "Evidence per host" (C(net.extensions) is null; the audit role fills it).
  returned: always
  type: dict
  sample: {channels: [hv, sto], discovery: {root: /, layouts: [], services: []}, hv: {libvirt: {}, tls: {endpoints: [], error: null}}, sto: {root: /}}
delegated_probes:
  description:
    - Probes to run from another host (the channel's C(probe_local) false) - C(channel), C(delegate_to), C(endpoints), C(ca_files),
      C(client_cert), C(client_key), C(timeout), C(level); the audit role runs them with M(scs.secure_connections.tls_endpoint_info).
  returned: always
  type: list
  elements: dict
  sample: []
node_channels:
  description: The channels this module gathers (others, such as V(api), are left to the audit role).
  returned: always
  type: list
  elements: str
  sample: [db, mq, hv, net, sto]
'''

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.scs.secure_connections.plugins.module_utils._core.record import RECORD_SPEC
from ansible_collections.scs.secure_connections.plugins.module_utils._core.sanitize import clean
from ansible_collections.scs.secure_connections.plugins.module_utils._core.secrets import mask_secrets, secret_values
from ansible_collections.scs.secure_connections.plugins.module_utils._gather.host import gather_host

ARGUMENT_SPEC = dict(
    root=dict(type='path', default='/'),
    channels=dict(type='list', elements='str', default=['db', 'mq', 'hv', 'net', 'sto']),
    skip_controls=dict(type='list', elements='str', default=[]),
    label=dict(type='str', default=''),
    groups=dict(type='list', elements='str', default=[]),
    level=dict(type='str', choices=['old', 'intermediate', 'modern'], default='intermediate'),
    db=dict(type='dict', default={}),
    mq=dict(type='dict', default={}),
    hv=dict(type='dict', default={}),
    net=dict(type='dict', default={}),
    sto=dict(type='dict', default={}),
    # handled by the action plugin (plugins/action/host_evidence_info.py), never sent to the host
    record=dict(type='dict', options=RECORD_SPEC),
)


def _secrets(params):
    """Passwords inside the channel dicts (not covered by the top-level spec's no_log), and whatever the secrets
    policy would mask in them (e.g. RABBITMQ_ERLANG_COOKIE in the mq channel's cli_env)."""
    db = params['db'] or {}
    values = [db.get('login_password')] + [s.get('login_password') for s in db.get('servers') or [] if isinstance(s, dict)]
    mq = params['mq'] or {}
    values += [mq.get('amqp_password'), (mq.get('amqp_check') or {}).get('password')]
    return [str(v) for v in values if v] + sorted(secret_values([params.get(c) for c in ('db', 'mq', 'hv', 'net', 'sto')]))


def main():
    module = AnsibleModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    module.no_log_values.update(_secrets(module.params))
    # every gatherer masks its own part; the whole result goes through the policy once more (as libvirt_tls_info's
    # does) and is made valid UTF-8 data before it leaves the node
    module.exit_json(changed=False, **clean(mask_secrets(gather_host(module, module.params))))


if __name__ == '__main__':
    main()
