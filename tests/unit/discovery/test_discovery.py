# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""discover(): the module's logic on broken trees, option handling, secrets, and the documented shape."""

from __future__ import absolute_import, division, print_function

import os
import re

import pytest
import yaml

from ansible_collections.scs.secure_connections.plugins.module_utils._gather import discovery as di
from ansible_collections.scs.secure_connections.plugins.modules import openstack_config_info

from .helpers import REPO, build, dumps, tree

BROKEN = {
    # kolla service config that is a directory
    '/etc/kolla/nova-compute/config.json': '{"command": "nova-compute"}',
    '/etc/kolla/nova-compute/nova.conf': ('dir',),
    # distro service config that is not UTF-8 and has a malformed line
    '/etc/cinder/cinder.conf': b'[DEFAULT]\n# \xe9t\xe9\ntransport_url = rabbit://c:FIXTUREPWbroken1@h:5671/\nnot an option\n',
    # a conf.d fragment that is a dangling link
    '/etc/cinder/cinder.conf.d/10-tls.conf': ('symlink', '/nowhere/10-tls.conf'),
    # infrastructure files broken in every way
    '/etc/libvirt/libvirtd.conf': 'listen_tls = 1\n' + '# padding\n' * 2000,           # too big for max_file_size below
    '/etc/libvirt/qemu.conf': ('symlink', '/etc/libvirt/qemu.conf'),                     # link loop
    '/etc/mysql/my.cnf': '[mysqld]\n!include /etc/mysql/loop.cnf\n',
    '/etc/mysql/loop.cnf': '!include /etc/mysql/my.cnf\n[mysqld]\nssl_ca = /ca.pem\n',
    '/etc/rabbitmq/rabbitmq.config': '[{rabbit, [{ssl_listeners, [5671]}',                # truncated
    '/etc/ceph/ceph.conf': ('dir',),
    '/etc/kafka/server.properties': b'listeners=SSL://:9093\nssl.key.password=\xffFIXTUREPWbroken2\n',
    '/etc/haproxy/haproxy.cfg': ('symlink', '/etc/haproxy/missing.cfg'),
    '/etc/nginx/nginx.conf': 'http { include /etc/nginx/nginx.conf; server { listen 443 ssl; }\n',
}


@pytest.fixture(scope='module')
def broken(tmp_path_factory):
    root = build(tmp_path_factory.mktemp('broken'), BROKEN)
    return di.discover(root, max_file_size=8192, proc_path=os.path.join(root, 'no-proc'))


def _errors(entries):
    return [e['message'] for entry in entries for e in entry['errors']]


def test_broken_tree_gives_errors_not_crashes(broken):
    dumps(broken)
    assert 'FIXTUREPW' not in dumps(broken)
    services = dict(((s['service'], s['component']), s) for s in broken['services'])
    assert services[('nova', 'nova-compute')]['errors'] == [{'file': '/etc/kolla/nova-compute/nova.conf', 'message': 'is a directory, not a file',
                                                             'kind': 'unreadable'}]
    cinder = _errors([services[('cinder', None)]])
    assert any('not valid UTF-8' in m for m in cinder)
    assert any('line 4: no \':\' or \'=\' in assignment' in m for m in cinder)
    assert any('dangling symbolic link' in m for m in cinder)
    assert services[('cinder', None)]['transport_urls'][0]['hosts'][0]['port'] == 5671     # the rest is still read
    infra = broken['infrastructure']
    assert any('larger than the limit of 8192 bytes' in m for m in _errors(infra['libvirt']))
    assert any('too many levels of symbolic links' in m for m in _errors(infra['qemu']))
    assert any('include loop' in m for m in _errors(infra['mysql']))
    assert infra['mysql'][0]['server']['ssl_ca'] == '/ca.pem'
    assert any('Erlang syntax error' in m for m in _errors(infra['rabbitmq']))
    assert any('is a directory' in m for m in _errors(infra['ceph']))
    assert any('not valid UTF-8' in m for m in _errors(infra['kafka']))
    assert any('dangling symbolic link' in m for m in _errors(infra['haproxy']))
    assert any('include loop' in m or 'syntax error' in m for m in _errors(infra['nginx']))
    assert any('cannot read' in e['message'] for e in broken['errors'])          # proc_path without net/tcp


def test_root_missing(tmp_path):
    result = di.discover(str(tmp_path / 'nope'))
    assert result['errors'][0]['message'].endswith('does not exist or is not a directory')
    assert result['services'] == [] and result['layouts'] == []


def test_gather_subset_and_service_filter():
    result = di.discover(tree('distro'), gather=['services'], services=['cinder'])
    assert result['gathered'] == ['services']
    assert [s['service'] for s in result['services']] == ['cinder']
    assert result['layouts'] == [] and all(v == [] for v in result['infrastructure'].values())
    assert result['listeners'] == [] and result['listeners_source'] is None


def test_listeners_not_gathered_for_snapshot_without_proc():
    result = di.discover(tree('osa'), gather=['listeners'])
    assert result['listeners_source'] is None
    assert 'listeners not gathered' in result['errors'][0]['message']


def test_safety_net_masks_secret_repeated_elsewhere(tmp_path):
    root = build(tmp_path, {'/etc/nova/nova.conf': '[DEFAULT]\ntransport_url = rabbit://u:FIXTUREPWnet1@h:5671/\n'
                                                   '[workarounds]\nnote = copied FIXTUREPWnet1 here\n'})
    result = di.discover(root, gather=['services'])
    assert 'FIXTUREPW' not in dumps(result)
    assert result['services'][0]['transport_urls'][0]['hosts'][0]['password_set'] is True


@pytest.mark.parametrize('layout', ['kolla', 'osa', 'distro'])
def test_fixture_trees_leak_no_secret(layout):
    result = di.discover(tree(layout))
    text = dumps(result)
    assert 'FIXTUREPW' not in text
    assert result['services'] and result['layouts']
    for svc in result['services']:
        assert svc['errors'] == [], svc['errors']


def test_result_keys_match_architecture_and_return_docs():
    result = di.discover(tree('kolla'), proc_path=os.path.join(REPO, 'nonexistent-proc'))
    documented = set(yaml.safe_load(openstack_config_info.RETURN))
    assert set(result) == documented
    architecture = open(os.path.join(REPO, 'docs', 'architecture.md')).read()
    block = architecture.split('### `openstack_config_info` (discovery) result', 1)[1].split('```yaml', 1)[1].split('```', 1)[0]
    top = set(re.findall(r'^([a-z_]+):', block, re.M))
    assert top <= set(result)
    service_keys = set(re.findall(r'^    ([a-z_]+):', block, re.M))
    for svc in result['services']:
        assert service_keys <= set(svc), service_keys - set(svc)
    for db in [d for s in result['services'] for d in s['database_urls']]:
        assert set(['file', 'section', 'option', 'url', 'driver', 'dialect', 'user', 'host', 'port', 'database', 'query']) <= set(db)
    for mq in [d for s in result['services'] for d in s['transport_urls']]:
        assert set(['file', 'section', 'option', 'purpose', 'url', 'scheme', 'hosts', 'virtual_host', 'query']) <= set(mq)
    assert set(result['infrastructure']) == set(['mysql', 'rabbitmq', 'libvirt', 'qemu', 'ceph', 'kafka', 'haproxy', 'nginx', 'proxysql'])
    for kind, entries in result['infrastructure'].items():
        for entry in entries:
            assert 'file' in entry and isinstance(entry['errors'], list), kind


def test_rabbit_group_names_the_deprecated_options_used(tmp_path):
    text = ('[DEFAULT]\nrabbit_use_ssl = true\nkombu_ssl_ca_certs = /etc/old-ca.pem\n'
            'transport_url = rabbit://u:FIXTUREPWrabbit@mq:5671/?ssl_ca_file=/ca.pem&kombu_ssl_keyfile=/k.pem&rabbit_use_ssl=1\n'
            '[oslo_messaging_rabbit]\nssl_cert_file = /etc/cert.pem\nkombu_ssl_version = TLSv1_2\n')
    root = build(tmp_path, {'/etc/nova/nova.conf': text})
    svc = di.discover(root, gather=['services'])['services'][0]
    rabbit = svc['rabbit']
    expected = (True, '/etc/old-ca.pem', '/etc/cert.pem', 'TLSv1_2')
    assert (rabbit['ssl'], rabbit['ssl_ca_file'], rabbit['ssl_cert_file'], rabbit['ssl_version']) == expected
    assert rabbit['deprecated'] == {
        'ssl': {'option': 'rabbit_use_ssl', 'section': 'DEFAULT', 'file': '/etc/nova/nova.conf'},
        'ssl_ca_file': {'option': 'kombu_ssl_ca_certs', 'section': 'DEFAULT', 'file': '/etc/nova/nova.conf'},
        'ssl_version': {'option': 'kombu_ssl_version', 'section': 'oslo_messaging_rabbit', 'file': '/etc/nova/nova.conf'},
    }
    assert rabbit['sources']['ssl'] == '[DEFAULT] rabbit_use_ssl in /etc/nova/nova.conf'
    assert rabbit['sources']['ssl_cert_file'] == '[oslo_messaging_rabbit] ssl_cert_file in /etc/nova/nova.conf'
    assert svc['transport_urls'][0]['obsolete_rabbit_options'] == [{'option': 'kombu_ssl_keyfile', 'current': 'ssl_key_file'},
                                                                   {'option': 'rabbit_use_ssl', 'current': 'ssl'}]
    assert 'FIXTUREPW' not in dumps(svc)


@pytest.mark.parametrize('text, expected', [
    ('[oslo_messaging_amqp]\nssl = true\nssl_ca_file = /etc/pki/ca.pem\n',
     {'ssl': True, 'ssl_ca_file': '/etc/pki/ca.pem',
      'sources': {'ssl': '[oslo_messaging_amqp] ssl in /etc/nova/nova.conf',
                  'ssl_ca_file': '[oslo_messaging_amqp] ssl_ca_file in /etc/nova/nova.conf'}}),
    # the deprecated group name, and a value oslo.config rejects kept raw
    ('[amqp1]\nssl = y\n', {'ssl': 'y', 'sources': {'ssl': '[amqp1] ssl in /etc/nova/nova.conf'}}),
    ('[oslo_messaging_amqp]\nssl_key_password = FIXTUREPWamqp1\ncontainer_name = x\n', {}),
    ('[DEFAULT]\n', {}),
])
def test_amqp1_group(tmp_path, text, expected):
    root = build(tmp_path, {'/etc/nova/nova.conf': text + '[DEFAULT]\ntransport_url = amqp://u:FIXTUREPWamqp2@qdr:5671/\n'})
    result = di.discover(root, gather=['services'])
    svc = result['services'][0]
    assert svc['amqp1'] == expected
    assert svc['transport_urls'][0]['scheme'] == 'amqp'
    assert 'FIXTUREPW' not in dumps(result)
