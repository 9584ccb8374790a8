# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Layout detection and where each service's configuration is."""

from __future__ import absolute_import, division, print_function

import shutil

import pytest

from ansible_collections.scs.secure_connections.plugins.module_utils._gather import layout as la

from .helpers import build, tree


@pytest.mark.parametrize('layout, names', [
    ('kolla', ['kolla']),
    ('osa', ['openstack_ansible']),
    ('distro', ['distro']),
])
def test_detect_layouts_fixture_trees(layout, names):
    layouts = la.detect_layouts(tree(layout))
    assert [l['name'] for l in layouts] == names
    assert all(l['evidence'] for l in layouts)


def test_detect_layouts_empty(tmp_path):
    assert la.detect_layouts(str(tmp_path)) == []
    assert la.discover_services(str(tmp_path)) == ([], [])


def test_mixed_node_reports_every_layout(tmp_path):
    root = str(tmp_path / 'mixed')
    shutil.copytree(tree('kolla'), root, symlinks=True)
    for sub in ('etc/nova', 'etc/keystone', 'var/lib/dpkg'):
        shutil.copytree(tree('distro') + '/' + sub, root + '/' + sub, symlinks=True)
    assert [l['name'] for l in la.detect_layouts(root)] == ['kolla', 'distro']
    services, errors = la.discover_services(root)
    assert errors == []
    got = sorted(((s['service'], s['component'], s['layout']) for s in services if s['service'] in ('nova', 'keystone')), key=str)
    assert got == [('keystone', 'keystone', 'kolla'), ('keystone', None, 'distro'),
                   ('nova', 'nova-api', 'kolla'), ('nova', 'nova-compute', 'kolla'), ('nova', None, 'distro')]


def test_kolla_services_files_from_config_json():
    services, errors = la.discover_services(tree('kolla'))
    assert errors == []
    by = dict(((s['service'], s['component']), s) for s in services)
    assert sorted(by) == [('glance', 'glance-api'), ('keystone', 'keystone'), ('neutron', 'neutron-server'), ('nova', 'nova-api'),
                          ('nova', 'nova-compute'), ('octavia', 'octavia-worker'), ('placement', 'placement-api')]
    neutron = by[('neutron', 'neutron-server')]
    # command line order: --config-file neutron.conf, ml2_conf.ini, neutron_vpnaas.conf
    assert neutron['files'] == ['/etc/kolla/neutron-server/neutron.conf', '/etc/kolla/neutron-server/ml2_conf.ini',
                                '/etc/kolla/neutron-server/neutron_vpnaas.conf']
    assert by[('glance', 'glance-api')]['files'] == ['/etc/kolla/glance-api/glance-api.conf']
    compute = by[('nova', 'nova-compute')]
    assert compute['kolla']['override_files'] == ['/etc/kolla/config/global.conf', '/etc/kolla/config/nova/nova-compute.conf']
    assert compute['kolla']['mounts']['/etc/nova/nova.conf'] == '/etc/kolla/nova-compute/nova.conf'
    assert la.host_path_for(compute, '/var/lib/kolla/share/ca-certificates/root.crt', tree('kolla')) == (
        '/etc/kolla/nova-compute/ca-certificates/root.crt', True)
    assert la.host_path_for(compute, '/etc/ssl/certs/ca-certificates.crt', tree('kolla')) == (None, None)
    assert la.host_path_for(compute, 'relative/path', tree('kolla')) == (None, None)


def test_kolla_unknown_project_needs_oslo_sections(tmp_path):
    root = build(tmp_path, {
        '/etc/kolla/acme-api/config.json': '{"command": "acme-api"}',
        '/etc/kolla/acme-api/acme.conf': '[DEFAULT]\n[database]\nconnection = mysql://v@h/v\n',
        '/etc/kolla/collectd/config.json': '{}',
        '/etc/kolla/collectd/collectd.conf': 'LoadPlugin cpu\n',
        '/etc/kolla/widget-server/config.json': '{}',
        '/etc/kolla/widget-server/widget.conf': 'Listen 9998\n',
        '/etc/kolla/broken/config.json': '{not json',
        '/etc/kolla/broken/nova.conf': '[DEFAULT]\n',
    })
    services, errors = la.discover_services(root)
    assert sorted((s['service'], s['component']) for s in services) == [('acme', 'acme-api'), ('nova', 'broken')]
    assert errors[0]['file'] == '/etc/kolla/broken/config.json' and 'invalid JSON' in errors[0]['message']


def test_osa_metal_and_lxc_services():
    services, errors = la.discover_services(tree('osa'))
    assert errors == []
    got = sorted((s['service'], s['component'] or '', s['layout'], tuple(s['files'])) for s in services)
    assert got == [
        ('nova', '', 'openstack_ansible', ('/etc/nova/nova.conf',)),
        ('nova', 'aio1_nova_api_container-1a2b3c4d', 'openstack_ansible',
         ('/var/lib/lxc/aio1_nova_api_container-1a2b3c4d/rootfs/etc/nova/nova.conf',)),
    ]
    metal = [s for s in services if not s['container']][0]
    assert metal['venvs'] == ['/openstack/venvs/nova-30.0.1']
    assert metal['units'] == [{'unit': '/etc/systemd/system/nova-compute.service', 'files': ['/etc/nova/nova.conf'], 'dirs': []}]
    lxc = [s for s in services if s['container']][0]
    assert la.host_path_for(lxc, '/etc/ssl/certs/galera-ca.pem', tree('osa')) == (
        '/var/lib/lxc/aio1_nova_api_container-1a2b3c4d/rootfs/etc/ssl/certs/galera-ca.pem', True)


def test_distro_services_and_only_filter():
    services, _errors = la.discover_services(tree('distro'))
    by = dict((s['service'], s) for s in services)
    assert sorted(by) == ['cinder', 'glance', 'keystone', 'neutron', 'nova']
    assert by['nova']['files'] == ['/etc/nova/nova.conf', '/etc/nova/nova-compute.conf']
    assert by['nova']['config_dirs'] == ['/etc/nova/nova.conf.d']
    assert by['glance']['files'] == ['/etc/glance/glance-api.conf']
    only, _errors = la.discover_services(tree('distro'), only=['nova', 'nonexistent'])
    assert [s['service'] for s in only] == ['nova']


def test_units_add_config_files(tmp_path):
    root = build(tmp_path, {
        '/etc/neutron/neutron.conf': '[DEFAULT]\n',
        '/etc/neutron/plugins/ml2/ml2_conf.ini': '[ml2]\n',
        '/usr/lib/systemd/system/neutron-server.service':
            '[Service]\nExecStart=/usr/bin/neutron-server --config-file=/etc/neutron/neutron.conf '
            '--config-file /etc/neutron/plugins/ml2/ml2_conf.ini --config-dir /etc/neutron/conf.d/neutron-server\n',
    })
    services, _errors = la.discover_services(root)
    assert services[0]['files'] == ['/etc/neutron/neutron.conf', '/etc/neutron/plugins/ml2/ml2_conf.ini']
    assert services[0]['config_dirs'] == ['/etc/neutron/conf.d/neutron-server']


def test_podman_engine_evidence(tmp_path):
    root = build(tmp_path, {
        '/etc/kolla/keystone/config.json': '{"command": "/usr/sbin/httpd -DFOREGROUND"}',
        '/etc/kolla/keystone/keystone.conf': '[DEFAULT]\n',
        '/var/lib/containers/storage/overlay-containers/containers.json':
            '[{"id": "%s", "names": ["keystone"]}, {"id": "%s", "names": ["kolla_toolbox"]}]' % ('a1' * 32, 'b2' * 32),
    })
    layouts = la.detect_layouts(root)
    assert layouts[0]['name'] == 'kolla'
    assert layouts[0]['container_engines'] == {'podman': ['keystone', 'kolla_toolbox']}
    assert 'podman containers: 2 (keystone, kolla_toolbox)' in layouts[0]['evidence']
