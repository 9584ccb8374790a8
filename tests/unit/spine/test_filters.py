# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The filters that turn discovered listeners into probe endpoints and collect evidence."""

from __future__ import absolute_import, division, print_function

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.scs.secure_connections.plugins.filter.endpoints import listener_endpoint, unique_endpoints
from ansible_collections.scs.secure_connections.plugins.filter.evidence import collect_evidence, module_evidence, with_channel


@pytest.mark.parametrize('listener,host,label', [
    ({'address': '0.0.0.0', 'port': 443, 'process': 'nginx'}, '127.0.0.1', 'nginx:443'),
    ({'address': '::', 'port': '5671', 'process': 'beam.smp'}, '::1', 'beam.smp:5671'),
    ({'address': '::ffff:10.0.0.5', 'port': 3306, 'container': 'mariadb'}, '10.0.0.5', 'mariadb:3306'),
    ({'address': '10.0.0.5', 'port': 16514}, '10.0.0.5', 'listener:16514'),
])
def test_listener_endpoint(listener, host, label):
    ep = listener_endpoint(listener)
    assert (ep['host'], ep['label'], ep['source'], ep['starttls']) == (host, label, 'discovered', 'none')
    assert ep['port'] == int(listener['port']) and ep['bind_address'] == listener['address']


@pytest.mark.parametrize('bad', [None, 'x', {'address': '127.0.0.1'}])
def test_listener_endpoint_rejects_bad_input(bad):
    with pytest.raises(AnsibleFilterError, match='listener mapping'):
        listener_endpoint(bad)


def test_unique_endpoints_keeps_the_first():
    declared = {'host': 'LOCALHOST', 'port': 443, 'source': 'declared'}
    found = {'host': 'localhost', 'port': '443', 'source': 'discovered'}
    mysql = {'host': 'localhost', 'port': 443, 'starttls': 'mysql'}
    assert unique_endpoints([declared, found, mysql]) == [declared, mysql]
    with pytest.raises(AnsibleFilterError, match='"host" and "port"'):
        unique_endpoints([{'host': 'x'}])


def test_collect_evidence_marks_hosts_without_evidence():
    hostvars = {'a': {'audit_evidence': {'channels': ['tls']}}, 'b': {}}
    out = collect_evidence(['a', 'b'], hostvars)
    assert out['a'] == {'channels': ['tls']}
    assert out['b']['audit_status']['audited'] is False and out['b']['channels'] == []
    with pytest.raises(AnsibleFilterError, match='not in the inventory'):
        collect_evidence(['c'], hostvars)


def test_module_evidence_drops_bookkeeping():
    ok = {'status': 'ok', 'changed': False, 'failed': False, 'invocation': {'module_args': {}}, 'warnings': ['w'],
          '_ansible_no_log': False, 'item': {'label': 'x'}, 'ansible_loop_var': 'item', 'skipped': False, 'endpoints': []}
    assert module_evidence(ok) == {'status': 'ok', 'endpoints': []}
    failed = {'failed': True, 'msg': 'no openstacksdk', 'changed': False, 'exception': 'Traceback ...'}
    assert module_evidence(failed) == {'failed': True, 'msg': 'no openstacksdk'}
    assert module_evidence(None) == {}
    with pytest.raises(AnsibleFilterError, match='registered module result'):
        module_evidence(['x'])


def test_with_channel_marks_the_channel_once_and_keeps_discovery_out():
    start = {'channels': []}
    ev = with_channel(with_channel(start, 'discovery', {'root': '/'}), 'db', {'servers': []})
    ev = with_channel(ev, 'db', {'servers': [1]})
    assert ev == {'channels': ['db'], 'discovery': {'root': '/'}, 'db': {'servers': [1]}} and start == {'channels': []}
    assert with_channel(None, 'tls', {})['channels'] == ['tls']
    with pytest.raises(AnsibleFilterError, match='channel name'):
        with_channel({}, '', {})
