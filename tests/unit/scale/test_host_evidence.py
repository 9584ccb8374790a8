# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""host_evidence_info (one process per host) against the single modules it stands for, and the host_evidence filter.

The evidence equality of the two paths over the real fixture trees is tests/integration/scale/test_one_call.py."""

from __future__ import absolute_import, division, print_function

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.scs.secure_connections.plugins.filter.evidence import host_evidence
from ansible_collections.scs.secure_connections.plugins.module_utils._gather import host
from ansible_collections.scs.secure_connections.plugins.modules import libvirt_tls_info, mysql_tls_info, rabbitmq_tls_info, storage_network_info


@pytest.mark.parametrize('spec,module', [
    (host.HV_SPEC, libvirt_tls_info), (host.STO_SPEC, storage_network_info), (host.MQ_SPEC, rabbitmq_tls_info),
    (host.DB_SPEC, mysql_tls_info)])
def test_channel_specs_are_the_modules_own(spec, module):
    # one spec per gatherer (_gather/specs.py): a new option of a single module reaches host_evidence_info too
    assert spec is module.ARGUMENT_SPEC


def test_validated_completes_defaults_and_refuses_wrong_options():
    params = host.validated(host.HV_SPEC, {'root': '/srv/x', 'client_pki_path': None}, 'hv')
    assert params['proc_path'] == '/proc' and params['ssh_users'] == ['nova', 'root'] and params['root'] == '/srv/x'
    with pytest.raises(host.ChannelFailure, match='hv: .*timeout'):
        host.validated(host.HV_SPEC, {'timeout': 'soon'}, 'hv')
    with pytest.raises(host.ChannelFailure, match='sto: .*nonsense'):
        host.validated(host.STO_SPEC, {'nonsense': 1}, 'sto')


@pytest.mark.parametrize('mode,groups,discovery,wanted', [
    ('always', [], {}, True),
    ('never', ['rabbitmq'], {'infrastructure': {'rabbitmq': [{'file': 'x'}]}}, False),
    ('auto', ['control'], {}, True),
    ('auto', [], {'listeners': [{'port': 5671}]}, True),
    ('auto', [], {'listeners': [{'port': 80, 'process': 'beam.smp'}]}, True),
    ('auto', [], {'infrastructure': {'rabbitmq': [{'file': '/etc/rabbitmq/rabbitmq.conf'}]}}, True),
    ('auto', ['compute'], {'listeners': [{'port': 22, 'process': 'sshd'}], 'infrastructure': {'rabbitmq': []}}, False),
])
def test_mq_gather_decision_is_the_roles(mode, groups, discovery, wanted):
    assert host.mq_wanted(mode, groups, ['rabbitmq', 'control'], discovery) is wanted


def test_probe_of_a_missing_ca_file_is_an_error_not_a_scan():
    assert host.probe([{'host': '127.0.0.1', 'port': 1}], {'probe_ca_files': ['/nonexistent/ca.pem']}, 'intermediate') == (
        [], 'ca_files: /nonexistent/ca.pem does not exist or is not a file')


def test_delegated_probe_is_handed_back_not_run():
    state = {'level': 'modern', 'delegated': []}
    targets = [{'host': '10.0.0.5', 'port': 3306, 'starttls': 'mysql'}]
    assert host.probe_or_delegate(state, 'db', targets, {'probe_local': False, 'probe_delegate_to': 'bastion'}) == ([], None, True)
    assert state['delegated'] == [{'channel': 'db', 'delegate_to': 'bastion', 'endpoints': targets, 'ca_files': [], 'client_cert': '',
                                   'client_key': '', 'timeout': 5, 'level': 'modern'}]
    assert host.probe_or_delegate(state, 'hv', [], {'probe_local': False}) == ([], None, False)
    assert host.probe_or_delegate(state, 'hv', targets, {'probe': False}) == ([], None, False)


def _registered(evidence):
    return {'changed': False, 'evidence': evidence, 'delegated_probes': [], 'node_channels': list(host.NODE_CHANNELS)}


def test_host_evidence_puts_delegated_probes_and_the_extension_list_in_their_channels():
    evidence = {'channels': ['db', 'hv', 'mq', 'net'], 'discovery': {},
                'db': {'query': {}, 'servers': [], 'client_ca_files': [], 'tls': {'endpoints': [], 'error': None, 'probed': True}},
                'hv': {'libvirt': {}, 'tls': {'endpoints': [], 'error': None}}, 'mq': {'brokers': [], 'tls': {'endpoints': []}, 'addresses': []},
                'net': {'network': {}, 'extensions': None}}
    probes = {'results': [
        {'item': {'channel': 'db'}, 'endpoints': [{'host': 'db', 'port': 3306, 'status': 'ok'}], 'changed': False},
        {'item': {'channel': 'hv'}, 'failed': True, 'msg': 'unreachable bastion'},
        {'item': {'channel': 'mq'}, 'endpoints': [{'host': 'mq', 'port': 5671, 'status': 'ok'}]}]}
    out = host_evidence(_registered(evidence), ['db', 'hv', 'mq', 'net'], probes, {'changed': False, 'extensions': ['vpnaas'], 'failed': False})
    assert out['db']['tls'] == {'endpoints': [{'host': 'db', 'port': 3306, 'status': 'ok'}], 'error': None, 'probed': True}
    assert out['hv']['tls'] == {'endpoints': [], 'error': 'unreachable bastion'}
    assert out['mq']['tls'] == {'endpoints': [{'host': 'mq', 'port': 5671, 'status': 'ok'}]}
    assert out['net']['extensions'] == {'extensions': ['vpnaas']}
    assert evidence['db']['tls']['endpoints'] == [] and evidence['net']['extensions'] is None  # the registered result is not changed
    skipped = host_evidence(_registered(evidence), ['net'], {'skipped': True, 'results': []}, {'skipped': True, 'changed': False})
    assert skipped['net']['extensions'] is None


def test_a_module_that_could_not_run_is_an_error_in_every_node_channel_never_an_empty_one():
    out = host_evidence({'failed': True, 'msg': 'MODULE FAILURE: /usr/bin/python3: not found'}, ['tls', 'api', 'db', 'sto'], None, None)
    assert out['channels'] == ['db', 'sto']  # tls and api have their own task files
    for key in ('discovery', 'db', 'sto'):
        assert out[key]['failed'] is True and 'python3: not found' in out[key]['msg']
    with pytest.raises(AnsibleFilterError, match='registered result'):
        host_evidence(None)


def test_mq_wanted_by_the_installed_package(tmp_path):
    """No listener, no configuration, no broker group: the rabbitmq-server package's unit alone makes the node a broker."""
    assert host.mq_wanted('auto', [], ['rabbitmq'], {}, root=str(tmp_path)) is False
    unit = tmp_path / 'lib' / 'systemd' / 'system' / 'rabbitmq-server.service'
    unit.parent.mkdir(parents=True)
    unit.write_text('[Service]\n')
    assert host.mq_wanted('auto', [], ['rabbitmq'], {}, root=str(tmp_path)) is True
    assert host.mq_wanted('never', [], ['rabbitmq'], {}, root=str(tmp_path)) is False
