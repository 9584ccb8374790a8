# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Rules of the API channel, table-driven over hand-written evidence (the evidence contract of
docs/architecture.md and docs/channel-api.md; the integration test feeds them real evidence)."""

from __future__ import absolute_import, division, print_function

import copy

import pytest

from ansible_collections.scs.secure_connections.plugins.module_utils._rules import api as rules
from ansible_collections.scs.secure_connections.plugins.module_utils._core.evaluator import RuleContext, evaluate
from ansible_collections.scs.secure_connections.plugins.module_utils._gather.keystone import from_token_catalog, mark_ignored, normalise_ignore
from ansible_collections.scs.secure_connections.tests.unit.tls.tls_samples import (
    LONG_CERTIFICATE,
    OLD_VERSIONS,
    RSA_KEY_EXCHANGE,
    probe,
    probe_error,
)

PUBLIC, INTERNAL, CLIENT = rules.PUBLIC, rules.INTERNAL, rules.CLIENT


def tls_ok(host, port, label, *changes):
    """A scanned probe result (passes Mozilla intermediate unless ``changes`` make criteria fail)."""
    merged = {}
    for change in changes:
        merged.update(change)
    return probe(host, port, label, merged)


tls_err = probe_error


IGNORE = [{'endpoint': 'https://swift.example.com/swift', 'reason': 'audited with the storage team'}]


def catalog_of(rows, source='admin_api', ignore=None):
    """A keystone_catalog_info result from (service type, interface, region, url[, enabled]) rows, ``ignore`` matched
    as the module does (default: IGNORE, the audit_api_ignore of api_evidence)."""
    services = {}
    for row in rows:
        stype, interface, region, url = row[:4]
        svc = services.setdefault(stype, {'id': 's-' + stype, 'name': stype + '-svc', 'type': stype, 'endpoints': []})
        svc['endpoints'].append({'id': 'e%d' % len(svc['endpoints']) + stype, 'interface': interface, 'region_id': region, 'url': url})
    _services, endpoints = from_token_catalog(list(services.values()))
    enabled = dict((tuple(row[:4]), row[4] if len(row) > 4 else True) for row in rows)
    for entry in endpoints:
        entry['enabled'] = enabled.get((entry['service_type'], entry['interface'], entry['region'], entry['url']), True)
    mark_ignored(endpoints, normalise_ignore(IGNORE if ignore is None else ignore))
    return {'status': 'ok', 'error': None, 'source': source, 'source_reason': 'test', 'endpoints': endpoints,
            'identity': {'auth_url': 'https://keystone.example.com:5000/v3'}}


ROWS = [
    ('identity', 'public', 'R1', 'https://api.example.com:5000/v3'),
    ('identity', 'internal', 'R1', 'https://10.0.0.10:5000/v3'),
    ('identity', 'admin', 'R1', 'https://10.0.0.10:5000/v3'),
    ('compute', 'public', 'R1', 'https://api.example.com:8774/v2.1'),
    ('compute', 'internal', 'R1', 'http://10.0.0.10:8774/v2.1'),
    ('compute', 'admin', 'R1', 'http://10.0.0.10:8774/v2.1'),
    ('image', 'public', 'R1', 'https://api.example.com:9292'),
    ('image', 'internal', 'R1', 'https://10.0.0.11:9292'),
    ('network', 'public', 'R1', 'https://api.example.com:9696'),
    ('network', 'internal', 'R1', 'https://10.0.0.12:9696'),
    ('volumev3', 'public', 'R1', 'https://api.example.com:70000/v3'),
    ('volumev3', 'internal', 'R1', 'https://10.0.0.13:8776/v3', False),
    ('object-store', 'public', 'R1', 'https://swift.example.com/swift/v1'),
    ('placement', 'public', 'R2', 'ftp://api.example.com/placement'),
    ('dns', 'internal', 'R1', 'https://10.0.0.14:9001'),
]

TLS = [
    tls_ok('api.example.com', 5000, 'api-public'),
    tls_ok('10.0.0.10', 5000, 'api-internal'),
    tls_ok('api.example.com', 8774, 'api-public', OLD_VERSIONS, RSA_KEY_EXCHANGE),
    tls_err('api.example.com', 9292, 'api-public', 'refused', 'connection refused by api.example.com:9292'),
    tls_err('10.0.0.11', 9292, 'api-internal', 'timeout', 'no answer within 5 s'),
    tls_ok('api.example.com', 9696, 'api-public'),
    tls_err('10.0.0.12', 9696, 'api-internal', 'plaintext', 'the server answered in plain HTTP'),
    tls_ok('10.0.0.13', 8776, 'api-internal', LONG_CERTIFICATE),
    # 10.0.0.14:9001 has no result at all
]

EXPECTED = {
    # (service type, interface): (control, status, substrings of the message)
    ('identity', 'public'): (PUBLIC, 'pass', ['passes Mozilla intermediate (guidelines 5.7)', 'api.example.com:5000']),
    ('identity', 'internal'): (INTERNAL, 'pass', ['10.0.0.10:5000']),
    ('identity', 'admin'): (INTERNAL, 'pass', ['admin endpoint']),
    ('compute', 'public'): (PUBLIC, 'fail', ['fails Mozilla intermediate (guidelines 5.7)',
                                             'tls_versions (protocol versions TLSv1.0, TLSv1.1 accepted',
                                             'ciphers (TLS <= 1.2 cipher suites TLS_RSA_WITH_AES_128_CBC_SHA accepted']),
    ('compute', 'internal'): (INTERNAL, 'fail', ['registered as http:// instead of https://']),
    ('compute', 'admin'): (INTERNAL, 'fail', ['registered as http://']),
    ('image', 'public'): (PUBLIC, 'error', ['could not be scanned', 'refused: connection refused']),
    ('image', 'internal'): (INTERNAL, 'error', ['timeout: no answer']),
    ('network', 'public'): (PUBLIC, 'pass', []),
    ('network', 'internal'): (INTERNAL, 'fail', ['does not speak TLS', 'plaintext']),
    ('volumev3', 'public'): (PUBLIC, 'error', ['does not parse', 'invalid port']),
    ('volumev3', 'internal'): (INTERNAL, 'fail', ['maximum_certificate_lifespan (certificate lifespan of 825 days',
                                                  'endpoint disabled in Keystone']),
    ('object-store', 'public'): (PUBLIC, 'not_applicable', ['ignored by audit_api_ignore entry "https://swift.example.com/swift"',
                                                            'audited with the storage team']),
    ('placement', 'public'): (PUBLIC, 'fail', ['registered as ftp://']),
    ('dns', 'internal'): (INTERNAL, 'error', ['no TLS probe result for 10.0.0.14:9001', 'from ctl1']),
}


def api_evidence(**over):
    api = {'catalog': catalog_of(ROWS), 'tls': {'endpoints': copy.deepcopy(TLS)},
           'ignore': IGNORE,
           'interfaces': ['public', 'internal', 'admin'], 'admin_policy': 'internal',
           'probe': {'public_from': 'localhost', 'internal_from': 'ctl1'}}
    api.update(over)
    return {'ctl1': {'channels': ['api'], 'api': api}}


def run(evidence, control):
    ctx = RuleContext(evidence)
    return rules.RULES[control](ctx)


def by_target(findings):
    out = {}
    for f in findings:
        key = (f['evidence'].get('service_type'), f['evidence'].get('interface'))
        assert key not in out, 'two findings for %s' % (key,)
        out[key] = f
    return out


@pytest.mark.parametrize('key', sorted(EXPECTED))
def test_one_finding_per_endpoint(key):
    control, status, parts = EXPECTED[key]
    findings = by_target(run(api_evidence(), control))
    finding = findings[key]
    assert finding['status'] == status, finding['message']
    for part in parts:
        assert part in finding['message'], finding['message']
    assert finding['target']['host'] == 'ctl1'
    assert finding['target']['endpoint'].startswith(('https://', 'http://', 'ftp://'))
    if status in ('fail', 'error'):
        assert finding['remediation']


def test_every_endpoint_has_exactly_one_finding():
    public = run(api_evidence(), PUBLIC)
    internal = run(api_evidence(), INTERNAL)
    assert len(public) == len([r for r in ROWS if r[1] == 'public'])
    assert len(internal) == len([r for r in ROWS if r[1] != 'public'])
    assert all(f['control_id'] == PUBLIC for f in public) and all(f['control_id'] == INTERNAL for f in internal)


def test_admin_informational_policy():
    findings = by_target(run(api_evidence(admin_policy='informational'), INTERNAL))
    admin = findings[('compute', 'admin')]
    assert admin['status'] == 'not_applicable'
    assert 'it would be fail' in admin['message'] and 'registered as http://' in admin['message']
    assert admin['evidence']['status_as_internal'] == 'fail'
    assert findings[('compute', 'internal')]['status'] == 'fail'


def test_interfaces_not_audited():
    findings = by_target(run(api_evidence(interfaces=['public']), INTERNAL))
    assert set(f['status'] for f in findings.values()) == {'not_assessed'}
    assert 'not audited' in findings[('compute', 'internal')]['message']
    assert by_target(run(api_evidence(interfaces=['public']), PUBLIC))[('compute', 'public')]['status'] == 'fail'


def test_label_selects_the_probe_position():
    # the same listener seen differently from outside and inside: each interface uses its own probe
    tls = [tls_ok('api.example.com', 5000, 'api-public'),
           tls_ok('api.example.com', 5000, 'api-internal', OLD_VERSIONS)]
    catalog = catalog_of([('identity', 'public', 'R1', 'https://api.example.com:5000/v3'),
                          ('identity', 'internal', 'R1', 'https://api.example.com:5000/v3')])
    ev = api_evidence(catalog=catalog, tls={'endpoints': tls})
    assert run(ev, PUBLIC)[0]['status'] == 'pass'
    assert run(ev, INTERNAL)[0]['status'] == 'fail'
    # without labels, a result for the listener is used by both
    ev = api_evidence(catalog=catalog, tls={'endpoints': [dict(tls[0], label=None)]})
    assert run(ev, INTERNAL)[0]['status'] == 'pass'


@pytest.mark.parametrize('catalog,part', [
    ({'status': 'error', 'error': {'kind': 'auth', 'message': 'The request you have made requires authentication. (HTTP 401)'},
      'identity': {'auth_url': 'https://keystone.example.com:5000/v3'}, 'endpoints': []},
     'could not be read at https://keystone.example.com:5000/v3 (auth): The request you have made requires authentication'),
    ({'status': 'error', 'error': {'kind': 'unreachable', 'message': 'Unable to establish connection to https://k:5000'}},
     '(unreachable): Unable to establish connection'),
    ({'status': 'error', 'error': {'kind': 'tls', 'message': 'certificate verify failed'}}, '(tls): certificate verify failed'),
    (None, 'no Keystone catalog was gathered'),
])
def test_catalog_unreadable_gives_one_error_per_must_control(catalog, part):
    ev = api_evidence(catalog=catalog)
    for control in (PUBLIC, INTERNAL):
        findings = run(ev, control)
        assert len(findings) == 1
        assert findings[0]['status'] == 'error'
        assert part in findings[0]['message']


def test_catalog_without_endpoints_of_an_interface():
    ev = api_evidence(catalog=catalog_of([('identity', 'public', 'R1', 'https://api.example.com:5000/v3')]))
    findings = run(ev, INTERNAL)
    assert [f['status'] for f in findings] == ['not_applicable']
    assert 'lists no internal or admin endpoint' in findings[0]['message']


def test_evidence_without_parsed_fields_is_an_error_not_parsed_by_the_rule():
    # the gatherer parses the URLs; a rule that re-parsed them would judge what nobody observed
    catalog = {'status': 'ok', 'source': 'token_catalog', 'endpoints': [
        {'interface': 'public', 'url': 'https://api.example.com:5000/v3', 'service_type': 'identity'},
        {'interface': 'public', 'url': 'http://api.example.com:8774/', 'service_type': 'compute', 'scheme': 'http',
         'host': 'api.example.com', 'port': 8774, 'parse_error': None, 'ignored': None}]}
    findings = by_target(run(api_evidence(catalog=catalog), PUBLIC))
    for key, missing in ((('identity', 'public'), 'scheme, host, port, parse_error, ignored, probe_position, probe_label'),
                         (('compute', 'public'), 'probe_position, probe_label')):
        assert findings[key]['status'] == 'error'
        assert 'the catalog entry lacks %s' % missing in findings[key]['message'], findings[key]['message']
        assert 'keystone_catalog_info' in findings[key]['remediation']


def test_no_secret_in_findings():
    # evidence written by hand (or by an older gatherer) with the password still in the URL
    catalog = catalog_of([('identity', 'public', 'R1', 'http://api.example.com:5000/v3')])
    catalog['endpoints'][0]['url'] = 'http://user:TopSecretPw@api.example.com:5000/v3'
    findings = run(api_evidence(catalog=catalog), PUBLIC)
    assert 'TopSecretPw' not in repr(findings)


# ---------------------------------------------------------------- api-client-verify

def client(section, option, url, insecure=None, cafile=None, scheme='auto', file='/etc/kolla/nova-api/nova.conf'):
    if scheme == 'auto':
        scheme = url.split('://')[0] if url and '://' in url else None
    return {'file': file, 'section': section, 'option': option, 'url': url, 'scheme': scheme, 'insecure': insecure, 'cafile': cafile}


CLIENT_CASES = [
    (client('keystone_authtoken', 'www_authenticate_uri', 'https://api.example.com:5000', cafile='/etc/ssl/ca.pem'),
     'pass', ['verifies certificates with cafile /etc/ssl/ca.pem']),
    (client('keystone_authtoken', 'auth_url', 'https://10.0.0.10:5000', insecure=False), 'pass', ['system CA bundle']),
    (client('glance', 'api_servers', 'http://10.0.0.11:9292'), 'fail', ['uses http:// instead of https://']),
    (client('neutron', 'auth_url', 'https://10.0.0.10:5000', insecure=True), 'fail', ['[neutron] insecure = true']),
    (client('placement', 'endpoint_override', 'http://10.0.0.12:8780', insecure='True'), 'fail', ['http://', 'insecure = true']),
    (client('cinder', 'endpoint_override', '10.0.0.13:8776', scheme=None), 'error', ['scheme cannot be determined']),
    # sections without URL take the endpoint from the catalog: only their verification is judged here
    (dict(client('glance', None, None, cafile='/etc/ssl/ca.pem'), interface='internal'), 'pass',
     ['[glance] takes its endpoint from the Keystone catalog (interface internal)', 'cafile /etc/ssl/ca.pem']),
    (client('placement', None, None, insecure=True), 'fail', ['[placement] takes its endpoint', 'insecure = true']),
]


@pytest.mark.parametrize('entry,status,parts', CLIENT_CASES)
def test_client_verify(entry, status, parts):
    ev = api_evidence()
    ev['ctl1']['discovery'] = {'services': [{'service': 'nova', 'component': 'nova-api', 'api_clients': [entry]}]}
    findings = run(ev, CLIENT)
    assert len(findings) == 1
    f = findings[0]
    assert f['status'] == status, f['message']
    for part in parts:
        assert part in f['message'], f['message']
    assert f['target']['service'] == 'nova (nova-api)'
    assert f['target']['file'] == entry['file']
    assert f['target']['setting'] == ('[%s] %s' % (entry['section'], entry['option']) if entry['option'] else '[%s]' % entry['section'])


def test_client_verify_hosts_without_clients_and_without_discovery():
    ev = api_evidence()
    ev['compute1'] = {'channels': ['discovery'], 'discovery': {'services': [
        {'service': 'nova', 'api_clients': [client('glance', 'api_servers', 'https://g:9292'),
                                            client('neutron', 'url', 'https://n:9696')]}]}}
    ev['storage1'] = {'channels': ['discovery'], 'discovery': {'services': []}}
    ev['db1'] = {'channels': ['discovery'], 'discovery': {'services': [{'service': 'keystone', 'api_clients': []}]}}
    findings = run(ev, CLIENT)
    statuses = sorted((f['target']['host'], f['status']) for f in findings)
    assert statuses == [('compute1', 'pass'), ('compute1', 'pass'), ('db1', 'not_applicable'), ('storage1', 'not_applicable')]
    assert [f['status'] for f in run(api_evidence(), CLIENT)] == ['not_assessed']


def test_through_the_evaluator():
    ev = api_evidence()
    ev['ctl1']['discovery'] = {'services': [{'service': 'nova', 'api_clients': [client('glance', 'api_servers', 'http://g:9292')]}]}
    findings = [f for f in evaluate(ev) if f['channel'] == 'api']
    statuses = {}
    for f in findings:
        statuses.setdefault(f['control_id'], set()).add(f['status'])
    assert statuses[PUBLIC] == {'pass', 'fail', 'error', 'not_applicable'}
    assert statuses[INTERNAL] == {'pass', 'fail', 'error'}
    assert statuses[CLIENT] == {'fail'}
