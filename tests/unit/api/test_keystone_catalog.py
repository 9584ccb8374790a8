# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Catalog normalisation: URL parsing, ignore matching, probe targets, both catalog sources."""

from __future__ import absolute_import, division, print_function

import pytest

from ansible_collections.scs.secure_connections.plugins.module_utils._gather import keystone as ks

PARSE_CASES = [
    # url, scheme, host, port, path, error substring (None = parses)
    ('https://api.example.com:8774/v2.1', 'https', 'api.example.com', 8774, '/v2.1', None),
    ('https://API.Example.com/v3', 'https', 'api.example.com', 443, '/v3', None),
    ('http://10.0.0.10:9696', 'http', '10.0.0.10', 9696, '/', None),
    ('HTTP://10.0.0.10', 'http', '10.0.0.10', 80, '/', None),
    ('https://[2001:db8::1]:8776/v3/$(project_id)s', 'https', '2001:db8::1', 8776, '/v3/$(project_id)s', None),
    ('https://127.0.0.1:70000/v3', 'https', '127.0.0.1', None, '/v3', 'invalid port'),
    ('https://host:abc/', 'https', 'host', None, '/', 'invalid port'),
    ('https://host:0/', 'https', 'host', None, '/', 'invalid port: 0'),
    ('https://[::1/v3', 'https', None, None, None, 'does not parse'),
    ('ftp://files.example.com/', 'ftp', None, None, None, "unsupported scheme 'ftp'"),
    ('https:/api.example.com/v3', 'https', None, None, None, "no '//'"),
    ('https:///v3', 'https', None, None, None, 'no host'),
    ('api.example.com:8774', 'api.example.com', None, None, None, 'unsupported scheme'),
    ('//api.example.com/v3', None, None, None, None, 'no scheme'),
    ('https://api.example.com/v 3', 'https', None, None, None, 'white space'),
    ('', None, None, None, None, 'empty'),
    (None, None, None, None, None, 'empty'),
]


@pytest.mark.parametrize('url,scheme,host,port,path,error', PARSE_CASES)
def test_parse_endpoint_url(url, scheme, host, port, path, error):
    out = ks.parse_endpoint_url(url)
    assert out['scheme'] == scheme
    assert out['host'] == host
    assert out['port'] == port
    if error is None:
        assert out['parse_error'] is None
        assert out['path'] == path
    else:
        assert error in out['parse_error']


IGNORE = [
    {'endpoint': 'legacy.example.com:8080', 'reason': 'decommissioned'},
    {'endpoint': 'https://swift.example.com/swift', 'reason': 'object store audited separately'},
    {'endpoint': '[2001:db8::5]:443', 'reason': 'v6 lab'},
    {'endpoint': 'lab-only.example.com', 'reason': 'lab'},
    {'endpoint': 'no-reason.example.com'},
]

IGNORE_CASES = [
    ('http://legacy.example.com:8080/v1', 'legacy.example.com:8080'),
    ('https://LEGACY.example.com:8080/', 'legacy.example.com:8080'),
    ('https://legacy.example.com:8081/v1', None),
    ('https://swift.example.com/swift', 'https://swift.example.com/swift'),
    ('https://swift.example.com/swift/v1/AUTH_$(project_id)s', 'https://swift.example.com/swift'),
    ('HTTPS://Swift.Example.com/swift/', 'https://swift.example.com/swift'),
    ('https://swift.example.com/swiftly', None),
    ('https://swift.example.com:8443/swift', None),
    ('https://[2001:db8::5]/v3', '[2001:db8::5]:443'),
    ('https://[2001:db8::5]:8443/v3', None),
    ('https://lab-only.example.com:1234/x', 'lab-only.example.com'),
    ('https://no-reason.example.com/', 'no-reason.example.com'),
    ('https://other.example.com/', None),
]


@pytest.mark.parametrize('url,matched', IGNORE_CASES)
def test_match_ignore(url, matched):
    entry = dict(url=url, **ks.parse_endpoint_url(url))
    hit = ks.match_ignore(entry, IGNORE)
    assert (hit['endpoint'] if hit else None) == matched
    if hit:
        assert hit['reason']


def test_normalise_ignore_reason_and_shapes():
    out = ks.normalise_ignore(['a.example.com:443', {'url': 'https://b/'}, {'host_port': 'c:1', 'reason': 'r'}, {'reason': 'x'}, 7])
    assert out == [{'endpoint': 'a.example.com:443', 'reason': 'no reason given in the ignore list'},
                   {'endpoint': 'https://b/', 'reason': 'no reason given in the ignore list'},
                   {'endpoint': 'c:1', 'reason': 'r'}]


TOKEN_CATALOG = [
    {'id': 's-nova', 'name': 'nova', 'type': 'compute', 'endpoints': [
        {'id': 'e1', 'interface': 'public', 'region': 'RegionOne', 'region_id': 'RegionOne', 'url': 'https://api.example.com:8774/v2.1'},
        {'id': 'e2', 'interface': 'internal', 'region': 'RegionOne', 'region_id': 'RegionOne', 'url': 'http://10.0.0.10:8774/v2.1'},
        {'id': 'e3', 'interface': 'admin', 'region': 'RegionOne', 'url': 'https://10.0.0.10:8774/v2.1'},
    ]},
    {'id': 's-ks', 'name': 'keystone', 'type': 'identity', 'endpoints': [
        {'id': 'e4', 'interface': 'public', 'region_id': 'RegionOne', 'url': 'https://api.example.com:5000/v3'},
        {'id': 'e5', 'interface': 'internal', 'region_id': 'RegionOne', 'url': 'https://10.0.0.10:8774/v3'},
        {'id': 'e6', 'interface': 'public', 'region_id': 'RegionTwo', 'url': 'https://api.example.com:5000/v3'},
        {'id': 'e7', 'interface': 'public', 'region_id': 'RegionTwo', 'url': 'https://api.example.com:99999/v3'},
    ]},
]


def test_from_token_catalog_and_probe_targets():
    services, endpoints = ks.from_token_catalog(TOKEN_CATALOG)
    assert [s['type'] for s in services] == ['compute', 'identity']
    assert [e['id'] for e in endpoints] == ['e1', 'e2', 'e3', 'e4', 'e6', 'e7', 'e5']
    e3 = [e for e in endpoints if e['id'] == 'e3'][0]
    assert e3['region'] == 'RegionOne' and e3['enabled'] is True and e3['service_name'] == 'nova'
    assert e3['host'] == '10.0.0.10' and e3['port'] == 8774 and e3['path'] == '/v2.1' and e3['parse_error'] is None
    e7 = [e for e in endpoints if e['id'] == 'e7'][0]
    assert 'invalid port' in e7['parse_error']
    targets = ks.probe_targets(endpoints, [{'endpoint': 'api.example.com:5000', 'reason': 'r'}])
    # public: api 8774 (e1) only: 5000 ignored, e7 unparsable; internal: http e2 not probed;
    # admin e3 and internal e5 share 10.0.0.10:8774 (one target after internal + admin | unique)
    internal = {'host': '10.0.0.10', 'port': 8774, 'server_name': None, 'label': 'api-internal'}
    assert targets == {
        'public': [{'host': 'api.example.com', 'port': 8774, 'server_name': 'api.example.com', 'label': 'api-public'}],
        'internal': [internal],
        'admin': [internal],
    }
    summary = ks.summarise(endpoints)
    assert summary == {'endpoints': 7, 'by_interface': {'public': 4, 'internal': 2, 'admin': 1},
                       'by_scheme': {'https': 6, 'http': 1}, 'parse_errors': 1}


class _Res(object):
    def __init__(self, **kw):
        self.__dict__.update(kw)


def test_from_admin_api_resources_and_dicts():
    services = [_Res(id='s1', name='glance', type='image', is_enabled=False), {'id': 's2', 'name': 'nova', 'type': 'compute', 'enabled': True}]
    endpoints = [_Res(id='e1', service_id='s1', interface='internal', region_id='R1', url='https://g:9292', is_enabled=True),
                 {'id': 'e2', 'service_id': 's2', 'interface': 'public', 'region_id': 'R1', 'url': 'http://n:8774', 'enabled': False},
                 {'id': 'e3', 'service_id': 'gone', 'interface': 'public', 'region_id': 'R1', 'url': 'https://x'}]
    out_services, out_endpoints = ks.from_admin_api(services, endpoints)
    by_id = dict((e['id'], e) for e in out_endpoints)
    assert by_id['e1']['service_type'] == 'image' and by_id['e1']['service_enabled'] is False and by_id['e1']['enabled'] is True
    assert by_id['e2']['enabled'] is False and by_id['e2']['scheme'] == 'http' and by_id['e2']['port'] == 8774
    assert by_id['e3']['service_type'] is None and by_id['e3']['port'] == 443
    assert [s['id'] for s in out_services] == ['s2', 's1']


def test_url_with_password_is_masked():
    services, endpoints = ks.from_token_catalog([{'id': 's', 'name': 'x', 'type': 'x', 'endpoints': [
        {'id': 'e', 'interface': 'public', 'region_id': 'R', 'url': 'https://user:S3cretPw@api.example.com/v1'}]}])
    assert 'S3cretPw' not in repr(endpoints)
    assert endpoints[0]['host'] == 'api.example.com'


class _FakeIdentity(object):
    def __init__(self, fail):
        self.fail = fail

    def services(self):
        if self.fail:
            raise self.fail
        return [{'id': 's-nova', 'name': 'nova', 'type': 'compute', 'enabled': True}]

    def endpoints(self):
        return [{'id': 'a1', 'service_id': 's-nova', 'interface': 'public', 'region_id': 'R', 'url': 'https://api:8774', 'enabled': False}]


class _FakeConfig(object):
    config = {'auth': {'auth_url': 'https://keystone:5000/v3', 'password': 'pw-not-returned'}}

    def get_region_name(self):
        return 'R'

    def get_interface(self):
        return 'public'


class _FakeConn(object):
    """Stands in for an openstacksdk Connection (the real one is exercised by tests/integration/api)."""
    current_user_id = 'u1'
    current_project_id = 'p1'
    config = _FakeConfig()

    def __init__(self, fail=None):
        self.identity = _FakeIdentity(fail)
        self.service_catalog = TOKEN_CATALOG


@pytest.mark.parametrize('source,fail,expect_source,reason_part', [
    ('auto', None, 'admin_api', 'complete catalog'),
    ('auto', RuntimeError('403 forbidden'), 'token_catalog', 'could not be read (kind-x: 403 forbidden)'),
    ('token_catalog', None, 'token_catalog', 'catalog_source is token_catalog'),
    ('admin_api', None, 'admin_api', 'complete catalog'),
])
def test_collect_catalog_sources(source, fail, expect_source, reason_part):
    out = ks.collect_catalog(_FakeConn(fail), source=source, ignore=[{'endpoint': 'api:8774', 'reason': 'r'}],
                             classify=lambda exc: {'kind': 'kind-x', 'message': str(exc)})
    assert out['status'] == 'ok' and out['error'] is None
    assert out['source'] == expect_source
    assert reason_part in out['source_reason']
    assert out['identity'] == {'auth_url': 'https://keystone:5000/v3', 'user_id': 'u1', 'project_id': 'p1',
                               'region_name': 'R', 'interface': 'public'}
    assert 'pw-not-returned' not in repr(out)
    if expect_source == 'admin_api':
        assert [e['id'] for e in out['endpoints']] == ['a1']
        assert out['endpoints'][0]['ignored'] == {'endpoint': 'api:8774', 'reason': 'r'}
        assert out['ignored'] == [{'url': 'https://api:8774', 'interface': 'public', 'match': 'api:8774', 'reason': 'r'}]
        assert out['probe_targets'] == {'public': [], 'internal': [], 'admin': []}
    else:
        assert len(out['endpoints']) == 7


def test_collect_catalog_admin_api_required_raises():
    with pytest.raises(RuntimeError):
        ks.collect_catalog(_FakeConn(RuntimeError('403')), source='admin_api')
    with pytest.raises(ValueError):
        ks.collect_catalog(_FakeConn(), source='bogus')
