# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""scs-0125-api-client-verify on real configuration files: the real discovery (openstack_config_info's
module_utils) reads a service configuration tree written here, the rule judges what it found.
No service is needed: the evidence of this control is files."""

from __future__ import absolute_import, division, print_function

import os

import pytest

from ansible_collections.scs.secure_connections.plugins.module_utils._gather.discovery import discover
from ansible_collections.scs.secure_connections.plugins.module_utils._core.evaluator import RuleContext
from ansible_collections.scs.secure_connections.plugins.module_utils._rules.api import CLIENT, RULES

NOVA_CONF = '''\
[DEFAULT]
transport_url = rabbit://openstack:RabbitSecret1@10.0.0.10:5671/

[keystone_authtoken]
www_authenticate_uri = https://api.example.com:5000
auth_url = https://10.0.0.10:5000
cafile = /etc/ssl/certs/cloud-ca.pem
password = KeystoneSecret1

[glance]
api_servers = http://10.0.0.10:9292

[neutron]
auth_url = https://10.0.0.10:5000
insecure = true
password = NeutronSecret1

[placement]
valid_interfaces = internal
cafile = /etc/ssl/certs/cloud-ca.pem
'''

CINDER_CONF = '''\
[DEFAULT]
glance_api_servers = https://10.0.0.10:9292

[keystone_authtoken]
www_authenticate_uri = https://api.example.com:5000
auth_url = https://10.0.0.10:5000
'''

EXPECTED = {
    # (service, setting): (status, part of the message)
    ('nova', '[keystone_authtoken] www_authenticate_uri'): ('pass', 'cafile /etc/ssl/certs/cloud-ca.pem'),
    ('nova', '[keystone_authtoken] auth_url'): ('pass', 'uses https://'),
    ('nova', '[glance] api_servers'): ('fail', 'uses http:// instead of https://'),
    ('nova', '[neutron] auth_url'): ('fail', '[neutron] insecure = true disables certificate verification'),
    ('nova', '[placement]'): ('pass', 'Keystone catalog (interface internal)'),
    ('cinder', '[DEFAULT] glance_api_servers'): ('pass', 'system CA bundle'),
    ('cinder', '[keystone_authtoken] www_authenticate_uri'): ('pass', 'uses https://'),
    ('cinder', '[keystone_authtoken] auth_url'): ('pass', 'uses https://'),
}


@pytest.fixture
def config_root(tmp_path):
    for path, text in (('etc/nova/nova.conf', NOVA_CONF), ('etc/cinder/cinder.conf', CINDER_CONF)):
        full = tmp_path / path
        full.parent.mkdir(parents=True, exist_ok=True)
        full.write_text(text)
    return str(tmp_path)


def test_client_verify_on_real_config_files(config_root):
    discovery = discover(config_root, gather=['layout', 'services'])
    assert sorted(s['service'] for s in discovery['services']) == ['cinder', 'nova']
    ctx = RuleContext({'compute1': {'channels': ['discovery', 'api'], 'discovery': discovery}})
    findings = RULES[CLIENT](ctx)
    got = dict(((f['target']['service'], f['target']['setting']), f) for f in findings)
    assert sorted(got) == sorted(EXPECTED), 'findings: %s' % sorted(got)
    for key, (status, part) in EXPECTED.items():
        finding = got[key]
        assert finding['status'] == status, finding['message']
        assert part in finding['message'], finding['message']
        assert finding['target']['host'] == 'compute1'
        assert finding['target']['file'] == os.path.join('/etc', key[0], '%s.conf' % key[0])
    text = repr(findings)
    for secret in ('RabbitSecret1', 'KeystoneSecret1', 'NeutronSecret1'):
        assert secret not in text
