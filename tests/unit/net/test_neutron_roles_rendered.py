# -*- coding: utf-8 -*-
"""Agents are not neutron-server: kolla-ansible 20.6.0 renders [database] connection and core_plugin into every neutron
container's neutron.conf (tests/fixtures/kolla-rendered, rendered from the wheel); the container directory and its
config.json command tell them apart; outside kolla the service units do."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import shutil

import pytest

from ansible_collections.scs.secure_connections.plugins.module_utils._gather import storage as st
from ansible_collections.scs.secure_connections.plugins.module_utils._gather.layout import neutron_role
from ansible_collections.scs.secure_connections.plugins.module_utils._parsers.oslo import parse_oslo_config

RENDERED = os.path.join(os.path.dirname(__file__), '..', '..', 'fixtures', 'kolla-rendered', '20.6.0-tls', 'etc', 'kolla')


def kolla_tree(tmp_path, components):
    for component in components:
        shutil.copytree(os.path.join(RENDERED, component), str(tmp_path / 'etc' / 'kolla' / component))
    return str(tmp_path)


@pytest.mark.parametrize('component, role', [('neutron-server', 'server'), ('neutron-openvswitch-agent', 'agent'),
                                             ('neutron-l3-agent', 'agent')])
def test_kolla_components(tmp_path, component, role):
    root = kolla_tree(tmp_path, [component])
    path = '/etc/kolla/%s/neutron.conf' % component
    conf = parse_oslo_config([path], root=root)
    assert conf['sections']['DEFAULT']['core_plugin'] == 'ml2' and conf['sections']['database']['connection']
    assert neutron_role(root, path)['role'] == role
    scan = st.scan_openstack_configs(root, [path])
    assert [e['server'] for e in scan['neutron']['service_plugins']] == [role == 'server']


def test_compute_node_agents_only_is_not_a_server(tmp_path):
    root = kolla_tree(tmp_path, ['neutron-openvswitch-agent', 'neutron-l3-agent'])
    scan = st.scan_openstack_configs(root, ['/etc/kolla/neutron-openvswitch-agent/neutron.conf', '/etc/kolla/neutron-l3-agent/neutron.conf'])
    assert [e['server'] for e in scan['neutron']['service_plugins']] == [False, False]
    assert all('not neutron-server' in e['server_evidence'] for e in scan['neutron']['service_plugins'])


def write(root, path, text=''):
    full = os.path.join(str(root), path.lstrip('/'))
    os.makedirs(os.path.dirname(full), exist_ok=True)
    with open(full, 'w') as handle:
        handle.write(text)


@pytest.mark.parametrize('units, role', [(['neutron-openvswitch-agent.service'], 'agent'),
                                         (['neutron-api.service', 'neutron-rpc-server.service'], 'server'),
                                         (['neutron-server.service', 'neutron-l3-agent.service'], 'server'),
                                         ([], None)])
def test_distro_units(tmp_path, units, role):
    write(tmp_path, '/etc/neutron/neutron.conf', '[DEFAULT]\ncore_plugin = ml2\n[database]\nconnection = mysql+pymysql://n:p@db/neutron\n')
    for unit in units:
        write(tmp_path, '/lib/systemd/system/' + unit, '[Service]\nExecStart=/usr/bin/true\n')
    assert neutron_role(str(tmp_path), '/etc/neutron/neutron.conf')['role'] == role
    scan = st.scan_openstack_configs(str(tmp_path), ['/etc/neutron/neutron.conf'])
    # without any unit the server settings decide, as before
    assert [e['server'] for e in scan['neutron']['service_plugins']] == ([] if role == 'agent' else [True])


def test_discovery_sets_aside_the_agents_database_urls(tmp_path):
    """The rendered [database] connection of an agent is moved to unused_database_urls (with the reason); the server's
    stays in database_urls, where the database rules judge it."""
    from ansible_collections.scs.secure_connections.plugins.module_utils._gather import discovery
    root = kolla_tree(tmp_path, ['neutron-server', 'neutron-openvswitch-agent'])
    result = discovery.discover(root=root)
    by_component = dict((s['component'], s) for s in result['services'] if s['service'] == 'neutron')
    agent, server = by_component['neutron-openvswitch-agent'], by_component['neutron-server']
    assert agent['database_urls'] == [] and len(agent['unused_database_urls']) == 1
    assert 'never uses a database connection' in agent['unused_database_urls'][0]['unused']
    assert [u['section'] for u in server['database_urls']] == ['database'] and 'unused_database_urls' not in server
