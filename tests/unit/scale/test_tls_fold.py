# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The action of host_evidence_info records a tls channel with nothing to probe itself instead of the audit role
including tasks/channel_tls.yml (docs/scale.md): both must take the targets and "not probed" from one function
(tls_probe_plan), or the fold would record something the channel file does not.
tests/integration/scale/test_one_call.py compares the two records over the real trees."""

from __future__ import absolute_import, division, print_function

import os

import pytest
import yaml

from ansible.errors import AnsibleFilterError

from ansible_collections.scs.secure_connections.plugins.plugin_utils.evidence import record_host, tls_probe_plan
from lab.paths import REPO

TASKS = os.path.join(REPO, 'roles', 'audit', 'tasks')
LIVE = {'root': '/', 'errors': [], 'listeners_source': '/proc',
        'listeners': [{'address': '0.0.0.0', 'port': 443, 'process': 'haproxy'},
                      {'address': '::', 'port': 22, 'process': 'sshd'},
                      {'address': '10.0.0.5', 'port': 5671, 'process': 'beam.smp', 'netns': 'qrouter-1', 'container': None}],
        'configured_listeners': [{'address': '0.0.0.0', 'port': 8443, 'source': 'haproxy'},
                                 {'address': '127.0.0.1', 'port': 9000, 'source': 'haproxy'}]}


def _load(*parts):
    with open(os.path.join(*parts)) as handle:
        return yaml.safe_load(handle)


def test_the_channel_file_and_the_action_share_one_target_function():
    probe, record = _load(TASKS, 'channel_tls.yml')
    assert probe['vars']['_endpoints'] == '{{ __audit_tls_endpoints }}'
    assert probe['when'] == ["'scs-0125-tls-mozilla' not in audit_skip_controls", '_endpoints | length > 0']
    assert list(record['vars']['audit_record_evidence']) == ['endpoints', 'probed_from', 'not_probed']
    internal = _load(REPO, 'roles', 'audit', 'vars', 'main.yml')
    assert sorted(k for k in internal if k.startswith('__audit_tls')) == ['__audit_tls_endpoints', '__audit_tls_not_probed', '__audit_tls_plan']
    assert 'scs.secure_connections.tls_probe_plan(' in internal['__audit_tls_plan']
    gather = [t for t in _load(TASKS, 'main.yml') if 'scs.secure_connections.host_evidence_info' in t][0]
    # the record is one expression (each templated string is compiled per host); its tls part names the same options
    record = gather['scs.secure_connections.host_evidence_info']['record']
    tls = record[record.index("'tls': {"):]
    for option in ('declared=audit_tls_endpoints', 'exclude_ports=audit_tls_exclude_ports', 'discover_listeners=audit_tls_discover_listeners',
                   "probe_from=audit_tls_probe_from | default('', true)", "node_address=audit_tls_node_address | default('', true)"):
        name, value = option.split('=', 1)
        assert value in internal['__audit_tls_plan'] and "'%s': %s" % (name, value) in tls, option


def test_live_listeners_of_the_own_namespace_are_probed_the_others_reported():
    plan = tls_probe_plan(LIVE, 'n1', declared=[{'host': 'api.example', 'port': 443}], exclude_ports=[22])
    assert [(e['host'], e['port'], e['source']) for e in plan['endpoints']] == [('api.example', 443, 'declared'), ('127.0.0.1', 443, 'discovered')]
    assert [(n['port'], n['netns']) for n in plan['not_probed']] == [(5671, 'qrouter-1')]
    assert tls_probe_plan(LIVE, 'n1', discover_listeners=False)['endpoints'] == []
    assert tls_probe_plan(dict(LIVE, listeners_source='/srv/snap/proc'), 'n1')['not_probed'] == [], 'a snapshot names other machines'


def test_probing_from_another_host_takes_the_configured_listeners():
    plan = tls_probe_plan(LIVE, 'n1', probe_from='bastion', node_address='10.0.0.9')
    assert [(e['host'], e['port']) for e in plan['endpoints']] == [('10.0.0.9', 8443)]
    assert tls_probe_plan(LIVE, 'n1', probe_from='n1')['endpoints'][0]['source'] == 'discovered', 'probe_from = the host itself'


def test_bad_listeners_are_a_clear_error():
    with pytest.raises(AnsibleFilterError, match='listeners'):
        tls_probe_plan(dict(LIVE, listeners=['x']), 'n1')
    with pytest.raises(AnsibleFilterError, match='declared'):
        tls_probe_plan(LIVE, 'n1', declared=[{'port': 1}])


@pytest.mark.parametrize('discovery,tls,folded', [
    (dict(LIVE, listeners_source='/srv/snap/proc'), {}, True),          # a snapshot: nothing to probe
    (LIVE, {'skip': True}, True),                                       # the control skipped
    (LIVE, {}, False),                                                  # live listeners: the channel file probes them
    (dict(LIVE, listeners_source='/srv/snap/proc'), {'declared': [{'host': 'a', 'port': 1}]}, False),
])
def test_the_action_folds_the_tls_channel_exactly_when_there_is_nothing_to_probe(discovery, tls, folded):
    evidence = record_host({'evidence': {'channels': [], 'discovery': discovery}, 'delegated_probes': []}, ['tls'], 'n1', None, tls)
    assert ('tls' in evidence['channels']) is folded
    assert evidence['audit_status'].get('pending', []) == ([] if folded else ['tls'])
    if folded:
        assert evidence['tls']['endpoints'] == [] and evidence['tls']['probed_from'] == 'n1'
