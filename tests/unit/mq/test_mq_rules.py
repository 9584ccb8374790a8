# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Table-driven tests of the RabbitMQ rules and of oslo.messaging's option precedence, on
hand-written evidence in the shapes of docs/architecture.md (the real-broker scenarios are in
tests/integration/mq)."""

from __future__ import absolute_import, division, print_function

import json

import pytest

from ansible_collections.scs.secure_connections.plugins.module_utils._rules import mq as R

from ansible_collections.scs.secure_connections.tests.unit.tls import tls_samples
from mqev import broker, conn, endpoint, host, listener, run, service, statuses, url

BROKER, CLIENT = R.BROKER, R.CLIENT


# ----------------------------------------------------------------------------- option precedence

OLD_SSL = {'option': 'rabbit_use_ssl', 'section': 'DEFAULT', 'file': '/etc/nova/nova.conf'}
OLD_CA = {'option': 'kombu_ssl_ca_certs', 'section': 'DEFAULT', 'file': '/etc/nova/nova.conf'}


@pytest.mark.parametrize('group, query, ssl, source, ca, relies, invalid', [
    ({'ssl': True}, {}, True, '[oslo_messaging_rabbit] ssl', None, False, 0),
    ({'ssl': 'true', 'ssl_ca_file': '/ca.pem'}, {}, True, '[oslo_messaging_rabbit] ssl', '/ca.pem', False, 0),
    ({'ssl': True}, {'ssl': '0'}, False, 'transport_url ?ssl=', None, False, 0),          # URL query overrides the group
    ({}, {'ssl': '1'}, True, 'transport_url ?ssl=', None, False, 0),
    ({'ssl': False}, {'ssl': 'yes'}, True, 'transport_url ?ssl=', None, False, 0),
    # TransportURL.parse: repeated values joined with ',' (oslo.config's Boolean rejects '0,1'), blank ones dropped
    ({}, {'ssl': ['0', '1']}, False, 'transport_url ?ssl=', None, False, 1),
    ({'ssl': True}, {'ssl': ''}, True, '[oslo_messaging_rabbit] ssl', None, False, 0),
    ({'ssl': True}, {'ssl': ['', '0']}, False, 'transport_url ?ssl=', None, False, 0),
    ({'ssl_ca_file': '/group.pem', 'ssl': True}, {'ssl_ca_file': '/url.pem'}, True, '[oslo_messaging_rabbit] ssl', '/url.pem', False, 0),
    # discovery's shape: deprecated names resolved into the current one, named in ``deprecated``
    ({'ssl': 'True', 'deprecated': {'ssl': OLD_SSL}}, {}, True, 'obsolete option rabbit_use_ssl', None, True, 0),
    ({'ssl': True, 'ssl_ca_file': '/old.pem', 'deprecated': {'ssl': OLD_SSL, 'ssl_ca_file': OLD_CA}}, {}, True,
     'obsolete option rabbit_use_ssl', '/old.pem', True, 0),
    ({'ssl': True, 'rabbit_use_ssl': False}, {}, True, '[oslo_messaging_rabbit] ssl', None, False, 0),  # current name wins
    ({}, {}, False, 'default (off)', None, False, 0),
    ({}, {'ssl': 'maybe'}, False, 'transport_url ?ssl=', None, False, 1),
    ({}, {'rabbit_use_ssl': '1'}, False, 'default (off)', None, False, 1),                 # obsolete names are not URL options
    ({'ssl': True, 'sources': {'ssl': '[DEFAULT] rabbit_use_ssl in /etc/nova/nova.conf'}, 'deprecated': {'ssl': OLD_SSL}}, {}, True,
     'obsolete option rabbit_use_ssl ([DEFAULT] rabbit_use_ssl in /etc/nova/nova.conf)', None, True, 0),
    ({'ssl': True, 'sources': {'ssl': '[oslo_messaging_rabbit] ssl in /etc/nova/nova.conf'}}, {}, True,
     '[oslo_messaging_rabbit] ssl in /etc/nova/nova.conf', None, False, 0),
])
def test_effective_rabbit_precedence(group, query, ssl, source, ca, relies, invalid):
    eff = R.effective_rabbit(url(query=query), group)
    assert eff['ssl'] is ssl
    assert eff['ssl_source'] == source
    assert eff['ca_file'] == ca
    assert eff['relies_on_obsolete'] is relies
    assert len(eff['invalid']) == invalid


@pytest.mark.parametrize('port, expected', [(5671, [5671]), (None, [5672]), (15671, [15671])])
def test_effective_rabbit_default_port(port, expected):
    assert R.effective_rabbit(url(port=port), {})['ports'] == expected


@pytest.mark.parametrize('value, expected', [
    (True, True), (False, False), (None, None), ('1', True), ('On', True), ('YES', True), ('no', False), ('Off', False), ('2', 'invalid'),
    # oslo.config's Boolean rejects the short words: the service would not start
    ('y', 'invalid'), ('t', 'invalid'), ('F', 'invalid'), ('n', 'invalid'), ('', 'invalid'),
])
def test_oslo_bool(value, expected):
    assert R.oslo_bool(value) == expected


# ----------------------------------------------------------------------------- broker rule

TLS_ONLY = [listener('amqp/ssl', 5671), listener('https', 15671)]
TLS_AND_PLAIN = [listener('amqp/ssl', 5671), listener('amqp', 5672)]
PLAIN_ONLY = [listener('amqp', 5672, address='[::]')]
GOOD_PROBES = [endpoint(5671), endpoint(15671)]


def _broker_case(listeners, probes=None, conns=None, services=None, **kw):
    ev = {'ctl1': host(brokers=[broker(listeners, conns=conns, **kw)], endpoints=probes if probes is not None else GOOD_PROBES,
                       services=services)}
    return ev


BROKER_CASES = [
    # id, evidence, options, expected statuses, text that must appear in some message
    ('tls-only-compliant', _broker_case(TLS_ONLY), {}, ['pass', 'pass', 'pass'], 'has TLS enabled'),
    ('no-ssl-listener', _broker_case(PLAIN_ONLY, probes=[], conns=[]), {}, ['fail', 'pass'], 'no AMQPS'),
    ('mozilla-fail', _broker_case(TLS_ONLY, probes=[endpoint(5671, changes=tls_samples.RSA_KEY_EXCHANGE),
                                                    endpoint(15671)]), {}, ['fail', 'pass', 'pass'], 'fails the Mozilla'),
    ('not-probed', _broker_case(TLS_ONLY, probes=[]), {}, ['not_assessed', 'not_assessed', 'pass'], 'was not probed'),
    ('probe-refused', _broker_case(TLS_ONLY, probes=[endpoint(5671, status='error', error={'kind': 'refused', 'message': 'refused'}),
                                                     endpoint(15671)]), {}, ['error', 'pass', 'pass'], 'could not be scanned'),
    ('probe-plaintext', _broker_case(TLS_ONLY, probes=[endpoint(5671, status='error', error={'kind': 'plaintext', 'message': 'HTTP answer'}),
                                                       endpoint(15671)]), {}, ['fail', 'pass', 'pass'], 'does not speak TLS'),
    ('plain-used-remote', _broker_case(TLS_AND_PLAIN, probes=[endpoint(5671)], conns=[conn('nova-compute', '10.0.0.21', 5672, False)]), {},
     ['fail', 'pass', 'pass'], 'enabled and used'),
    ('plain-unused', _broker_case(TLS_AND_PLAIN, probes=[endpoint(5671)], conns=[conn('nova-compute', '10.0.0.21', 5671, True)]), {},
     ['pass', 'pass', 'pass'], 'no client uses it'),
    ('plain-unused-policy-fail', _broker_case(TLS_AND_PLAIN, probes=[endpoint(5671)], conns=[]), {'mq_plain_listener': 'fail'},
     ['fail', 'pass', 'pass'], 'no client uses it'),
    ('plain-loopback-only', _broker_case([listener('amqp/ssl', 5671), listener('amqp', 5672, address='127.0.0.1')], probes=[endpoint(5671)]), {},
     ['pass', 'pass', 'pass'], 'loopback only'),
    ('plain-used-over-loopback', _broker_case(TLS_AND_PLAIN, probes=[endpoint(5671)], conns=[conn('nova-compute', '127.0.0.1', 5672, False)]), {},
     ['pass', 'pass', 'pass'], 'only used over loopback'),
    ('plain-config-says-used', _broker_case(TLS_AND_PLAIN, probes=[endpoint(5671)], conn_status='skipped',
                                            services=[service('nova-compute', [url(port=5672)])]), {}, ['fail', 'pass', 'pass'],
     'by configuration, used'),
    ('plain-config-says-unused', _broker_case(TLS_AND_PLAIN, probes=[endpoint(5671)], conn_status='skipped',
                                              services=[service('nova-compute', [url(port=5671)], rabbit={'ssl': True})]), {},
     ['pass', 'pass', 'pass'], 'points to it being unused'),
    ('plain-no-evidence', _broker_case(TLS_AND_PLAIN, probes=[endpoint(5671)], conn_status='skipped'), {}, ['manual', 'pass', 'pass'],
     'cannot be told'),
    ('node-down-config-only', _broker_case(TLS_ONLY, live_status='error', live_error={'kind': 'node_down', 'message': 'not running'}), {},
     ['error', 'pass', 'pass', 'pass'], 'judged from the configuration'),
    ('config-error', _broker_case(TLS_ONLY, config={'errors': [{'file': '/etc/rabbitmq/rabbitmq.conf', 'line': 3, 'message': 'not a "key = value" line'}]}),
     {}, ['error', 'pass', 'pass', 'pass'], 'malformed'),
    ('amqp-check-ok', _broker_case(TLS_ONLY, check={'status': 'ok', 'host': '10.0.0.11', 'port': 5671, 'tls_version': 'TLSv1.3',
                                                    'server': {'product': 'RabbitMQ', 'version': '3.10.8'}}), {}, ['pass', 'pass', 'pass'],
     'AMQP over TLS proven'),
    ('amqp-check-login-refused', _broker_case(TLS_ONLY, check={'status': 'ok', 'host': '10.0.0.11', 'port': 5671, 'tls_version': 'TLSv1.3',
                                                               'server': {'product': 'RabbitMQ'},
                                                               'login': {'status': 'error', 'user': 'audit',
                                                                         'error': {'kind': 'auth', 'message': 'refused'}}}), {},
     ['error', 'pass', 'pass', 'pass'], 'login as audit failed'),
    ('amqp-check-not-tls', _broker_case(TLS_ONLY, check={'status': 'error', 'host': '10.0.0.11', 'port': 5671,
                                                         'error': {'kind': 'not_tls', 'message': 'WRONG_VERSION_NUMBER'}}), {},
     ['fail', 'pass', 'pass', 'pass'], 'AMQP check'),
]


@pytest.mark.parametrize('case_id, evidence, options, expected, text', BROKER_CASES, ids=[c[0] for c in BROKER_CASES])
def test_broker_rule(case_id, evidence, options, expected, text):
    findings = run(BROKER, evidence, options)
    assert statuses(findings) == sorted(expected), [f['message'] for f in findings]
    assert any(text in f['message'] for f in findings), [f['message'] for f in findings]
    for f in findings:
        assert f['target'].get('host') == 'ctl1'


def test_broker_rule_snapshot_listeners_not_probed_say_why():
    findings = run(BROKER, _broker_case(TLS_ONLY, probes=[], live_status='skipped'))
    assert statuses(findings) == ['not_assessed', 'not_assessed', 'pass']
    for f in findings:
        if f['status'] == 'not_assessed':
            assert 'never probed' in f['message'] and 'audit_mq_tls_endpoints' in f['remediation']


def test_broker_rule_undetermined_mozilla_verdict_is_an_error():
    # Heartbleed could not be tested; no OCSP staple is informational only (BASE staples none)
    probe = endpoint(5671, changes={'security/heartbleed': 'not_tested', 'security/notes': {'heartbleed': 'no ServerHelloDone'}})
    assert probe['ocsp_stapling'] is False
    findings = run(BROKER, _broker_case([listener('amqp/ssl', 5671)], probes=[probe]))
    errors = [f for f in findings if f['status'] == 'error']
    assert len(errors) == 1 and 'undetermined: not tested: no ServerHelloDone' in errors[0]['message']
    assert 'OCSP' not in errors[0]['message']


def test_broker_rule_not_applicable_without_rabbitmq():
    findings = run(BROKER, {'c1': host(brokers=[broker([], present=False)])})
    assert statuses(findings) == ['not_applicable']


def test_broker_rule_not_assessed_when_services_use_an_unaudited_broker():
    evidence = {'cmp1': host(services=[service('nova-compute', [url(host='mq.example')])])}
    findings = run(BROKER, evidence)
    assert statuses(findings) == ['not_assessed'] and 'mq.example' in findings[0]['message']


def test_broker_rule_gatherer_failure_is_an_error():
    findings = run(BROKER, {'ctl1': host(brokers=[broker([], failed=True)])})
    assert statuses(findings) == ['error'] and 'boom' in findings[0]['message']


def test_broker_rule_reports_peer_verification():
    ev = _broker_case(TLS_ONLY, config={'ssl_options': {'verify': 'verify_peer', 'fail_if_no_peer_cert': True}})
    findings = run(BROKER, ev)
    assert any('client certificates required' in f['message'] for f in findings)


# ----------------------------------------------------------------------------- client rule

def _cmp_case(cmp_services, conns=None, conn_status='ok', listeners=None):
    listeners = TLS_AND_PLAIN if listeners is None else listeners
    return {'ctl1': host(brokers=[broker(listeners, conns=conns, conn_status=conn_status)], endpoints=[endpoint(5671)], addresses=['10.0.0.11']),
            'cmp1': host(services=cmp_services, addresses=['10.0.0.21'])}


NOVA_TLS = service('nova-compute', [url(port=5671)], rabbit={'ssl': True, 'ssl_ca_file': '/etc/kolla/certificates/ca/root.crt'})
NOVA_PLAIN = service('nova-compute', [url(port=5672)])
CLIENT_CASES = [
    ('config-tls-no-live', _cmp_case([NOVA_TLS], conn_status='skipped'), {}, ['pass'], 'TLS configured'),
    ('config-plain-no-live', _cmp_case([NOVA_PLAIN], conn_status='skipped'), {}, ['fail'], 'TLS is off'),
    ('config-tls-live-plain', _cmp_case([NOVA_TLS], conns=[conn('nova-compute', '10.0.0.21', 5672, False)]), {}, ['fail'],
     'live evidence overrides the configuration'),
    ('config-plain-live-tls', _cmp_case([NOVA_PLAIN], conns=[conn('nova-compute', '10.0.0.21', 5671, True)]), {}, ['pass'],
     'live evidence overrides it'),
    ('config-tls-live-tls', _cmp_case([NOVA_TLS], conns=[conn('nova-compute', '10.0.0.21', 5671, True)]), {}, ['pass'], 'use TLS'),
    ('notifications-plain', _cmp_case([service('nova-compute', [url(port=5671, query={'ssl': '1'}), url(port=5672, purpose='notifications')])],
                                      conn_status='skipped'), {}, ['fail', 'pass'], 'notifications transport'),
    ('notifications-live-by-port', _cmp_case([service('nova-compute', [url(port=5671, query={'ssl': '1'}), url(port=5672, purpose='notifications')])],
                                             conns=[conn('nova-compute', '10.0.0.21', 5671, True), conn('nova-compute', '10.0.0.21', 5672, False)]),
     {}, ['fail', 'pass'], 'live connections are plain'),
    ('ssl-on-plain-port', _cmp_case([service('nova-compute', [url(port=5672)], rabbit={'ssl': True, 'ssl_ca_file': '/ca'})], conn_status='skipped'),
     {}, ['fail'], 'inconsistent'),
    ('ssl-default-port', _cmp_case([service('nova-compute', [url(port=None)], rabbit={'ssl': True, 'ssl_ca_file': '/ca'})], conn_status='skipped'),
     {}, ['fail'], 'port 5672'),
    ('obsolete-only', _cmp_case([service('nova-compute', [url(port=5671)],
                                         rabbit={'ssl': True, 'ssl_ca_file': '/ca', 'deprecated': {'ssl': OLD_SSL, 'ssl_ca_file': OLD_CA}})],
                                conn_status='skipped'), {}, ['fail'], 'obsolete option rabbit_use_ssl'),
    ('no-ca-file', _cmp_case([service('nova-compute', [url(port=5671)], rabbit={'ssl': True})], conn_status='skipped'), {}, ['pass'],
     'no ssl_ca_file'),
    ('no-ca-file-required', _cmp_case([service('nova-compute', [url(port=5671)], rabbit={'ssl': True})], conn_status='skipped'),
     {'mq_require_ca_file': True}, ['fail'], 'no ssl_ca_file'),
    ('weak-ssl-version', _cmp_case([service('nova-compute', [url(port=5671)], rabbit={'ssl': True, 'ssl_ca_file': '/ca', 'ssl_version': 'TLSv1'})],
                                   conn_status='skipped'), {}, ['fail'], 'obsolete protocol'),
    ('unmatched-live', _cmp_case([NOVA_TLS], conns=[conn('nova-compute', '10.0.0.21', 5671, True), conn('cinder-volume', '10.0.0.31', 5672, False),
                                                    conn(None, '10.0.0.32', 5671, True, name='celery@worker')]), {},
     ['fail', 'pass', 'pass'], 'no matching service configuration'),
    ('live-without-any-config', {'ctl1': host(brokers=[broker(TLS_AND_PLAIN, conns=[conn('neutron-server', '10.0.0.11', 5672, False)])],
                                              endpoints=[endpoint(5671)], addresses=['10.0.0.11'])}, {}, ['fail'], 'plain AMQP connection'),
]


@pytest.mark.parametrize('case_id, evidence, options, expected, text', CLIENT_CASES, ids=[c[0] for c in CLIENT_CASES])
def test_client_rule(case_id, evidence, options, expected, text):
    findings = run(CLIENT, evidence, options)
    assert statuses(findings) == sorted(expected), [f['message'] for f in findings]
    assert any(text in f['message'] for f in findings), [f['message'] for f in findings]


def test_client_findings_are_per_service_and_host():
    evidence = _cmp_case([NOVA_TLS, service('neutron-openvswitch-agent', [url(port=5672)])],
                         conns=[conn('nova-compute', '10.0.0.21', 5671, True), conn('neutron-openvswitch-agent', '10.0.0.21', 5672, False)])
    findings = run(CLIENT, evidence)
    by = dict((f['target']['service'], f) for f in findings)
    assert by['nova-compute']['status'] == 'pass' and by['nova-compute']['target']['host'] == 'cmp1'
    assert by['neutron-openvswitch-agent']['status'] == 'fail'
    assert by['neutron-openvswitch-agent']['evidence']['live_connections'][0]['peer_host'] == '10.0.0.21'


def test_client_live_connections_of_another_host_are_not_borrowed():
    # nova-compute runs on two computes; only cmp2's connection is plain: cmp1 must not fail for it
    conns = [conn('nova-compute', '10.0.0.21', 5671, True), conn('nova-compute', '10.0.0.22', 5672, False)]
    evidence = {'ctl1': host(brokers=[broker(TLS_AND_PLAIN, conns=conns)], endpoints=[endpoint(5671)], addresses=['10.0.0.11']),
                'cmp1': host(services=[NOVA_TLS], addresses=['10.0.0.21']),
                'cmp2': host(services=[NOVA_TLS], addresses=['10.0.0.22'])}
    findings = run(CLIENT, evidence)
    by = dict((f['target']['host'], f['status']) for f in findings)
    assert by == {'cmp1': 'pass', 'cmp2': 'fail'}


def test_client_live_matching_falls_back_to_the_project():
    # OpenStack-Ansible: discovery's component is the LXC container name; the connection names the process
    osa = service('aio1_nova_api_container-1a2b3c4d', [url(port=5671)], rabbit={'ssl': True, 'ssl_ca_file': '/ca'}, name='nova')
    evidence = _cmp_case([osa], conns=[conn('nova-api', '10.0.0.21', 5671, False)])
    findings = run(CLIENT, evidence)
    assert statuses(findings) == ['fail'] and 'live evidence overrides the configuration' in findings[0]['message']


def test_broker_rule_names_discovered_but_ungathered_brokers():
    evidence = {'ctl1': host(channels=('mq',), rabbitmq=[{'file': '/etc/kolla/rabbitmq/rabbitmq.conf'}])}
    findings = run(BROKER, evidence)
    assert statuses(findings) == ['not_assessed'] and 'rabbitmq_tls_info did not run' in findings[0]['message']


@pytest.mark.parametrize('evidence, expected', [
    ({'c1': host()}, 'not_applicable'),
    ({'ctl1': host(brokers=[broker(TLS_ONLY, conns=[])], endpoints=GOOD_PROBES)}, 'not_assessed'),
])
def test_client_rule_applicability(evidence, expected):
    assert statuses(run(CLIENT, evidence)) == [expected]


def test_client_rule_ignores_kafka_urls():
    evidence = {'c1': host(services=[service('nova-compute', [url(scheme='kafka', port=9093, purpose='notifications')])])}
    assert statuses(run(CLIENT, evidence)) == ['not_applicable']


def test_no_password_in_findings():
    svc = service('nova-compute', [dict(url(port=5672), url='rabbit://openstack:Sup3rSecret@10.0.0.11:5672/')])
    findings = run(CLIENT, _cmp_case([svc], conn_status='skipped'))
    assert 'Sup3rSecret' not in json.dumps(findings)


# ----------------------------------------------------------------------------- which broker a URL names

def _two_brokers(services, plain_on_second=True):
    """ctl1 (10.0.0.11) with AMQPS 5671 + plain 5672; ctl2 (10.0.0.12) with AMQPS on 5672 (kolla style) or plain too."""
    second = [listener('amqp/ssl', 5672, address='10.0.0.12')] + ([listener('amqp', 5673, address='10.0.0.12')] if plain_on_second else [])
    return {'ctl1': host(brokers=[broker(TLS_AND_PLAIN, conn_status='skipped')], endpoints=[endpoint(5671)]),
            'ctl2': host(brokers=[broker(second, conn_status='skipped', node='rabbit@ctl2')], endpoints=[endpoint(5672, host='10.0.0.12')]),
            'cmp1': host(services=services)}


ATTRIBUTION_CASES = [
    # id, services on cmp1, expected status of ctl1's plain 5672 listener, text, text that must not appear
    ('other-broker-address-not-counted', [service('glance-api', [url(host='10.0.0.12', port=5672)])], 'pass', 'points to it being unused',
     'glance-api'),
    ('own-address-counted', [service('glance-api', [url(host='10.0.0.11', port=5672)])], 'fail', 'glance-api on cmp1 (rpc)', None),
    ('node-name-counted', [service('glance-api', [url(host='CTL1', port=5672)])], 'fail', 'glance-api on cmp1 (rpc)', None),
    ('rpc-and-notifications-named-once', [service('glance-api', [url(host='10.0.0.11', port=5672),
                                                                 url(host='10.0.0.11', port=5672, purpose='notifications')])],
     'fail', 'glance-api on cmp1 (notifications, rpc)', 'glance-api on cmp1 (rpc)'),
    ('unknown-address-sole-plain-broker', [service('glance-api', [url(host='mq-vip.example', port=5672)])], 'fail',
     'only audited broker with a plain listener on port 5672', None),
    ('tls-url-to-plain-port-not-counted', [service('glance-api', [url(host='10.0.0.11', port=5672, query={'ssl': '1'})])], 'pass',
     'points to it being unused', None),
]


@pytest.mark.parametrize('case_id, services, expected, text, absent', ATTRIBUTION_CASES, ids=[c[0] for c in ATTRIBUTION_CASES])
def test_plain_listener_users_are_attributed_by_address(case_id, services, expected, text, absent):
    findings = [f for f in run(BROKER, _two_brokers(services)) if f['target'].get('setting') == 'listeners.tcp' and f['target']['host'] == 'ctl1']
    assert len(findings) == 1, findings
    assert findings[0]['status'] == expected, findings[0]['message']
    assert text in findings[0]['message']
    if absent:
        assert absent not in findings[0]['message'].replace(text, '')


def test_plain_listener_unknown_address_with_several_plain_brokers_is_manual():
    evidence = _two_brokers([service('glance-api', [url(host='mq-vip.example', port=5672)])])
    evidence['ctl2']['mq']['brokers'][0]['listeners'].append(listener('amqp', 5672, address='10.0.0.12'))
    findings = [f for f in run(BROKER, evidence) if f['target'].get('setting') == 'listeners.tcp' and f['target']['endpoint'].endswith(':5672')]
    assert sorted(f['status'] for f in findings) == ['manual', 'manual']
    assert all('may be used: glance-api on cmp1 (rpc)' in f['message'] for f in findings)


def test_client_port_check_uses_the_named_broker():
    # TLS to 10.0.0.12:5672 is right (ctl2 serves AMQPS there) although ctl1's 5672 is plain
    ok = run(CLIENT, _two_brokers([service('nova-compute', [url(host='10.0.0.12', port=5672)], rabbit={'ssl': True, 'ssl_ca_file': '/ca'})],
                                  plain_on_second=False))
    assert statuses(ok) == ['pass'], [f['message'] for f in ok]
    bad = run(CLIENT, _two_brokers([service('nova-compute', [url(host='10.0.0.11', port=5672)], rabbit={'ssl': True, 'ssl_ca_file': '/ca'})]))
    assert statuses(bad) == ['fail'] and 'inconsistent' in bad[0]['message']


def test_host_identities():
    ev = _two_brokers([])
    ev['cmp1']['mq'] = {'brokers': [], 'tls': {'endpoints': []}, 'addresses': ['10.0.0.21', '127.0.0.1', 'fe80::1']}
    ev['cmp1']['discovery']['listeners'] = [{'address': '0.0.0.0', 'port': 22}, {'address': '10.0.0.22', 'port': 8774}]
    ids = R.host_identities(R_ctx(ev))
    assert ids['10.0.0.11'] == {'ctl1'} and ids['ctl2'] == {'ctl2'} and ids['10.0.0.12'] == {'ctl2'}
    assert ids['10.0.0.21'] == {'cmp1'} and ids['10.0.0.22'] == {'cmp1'} and ids['fe80::1'] == {'cmp1'}
    assert '127.0.0.1' not in ids and '0.0.0.0' not in ids


def R_ctx(evidence):
    from ansible_collections.scs.secure_connections.plugins.module_utils._core.evaluator import RuleContext
    return RuleContext(evidence, options={})


# ----------------------------------------------------------------------------- management over plain HTTP

MGMT_PLAIN = [listener('amqp/ssl', 5671), listener('http', 15672)]


@pytest.mark.parametrize('options, expected, text', [
    ({}, 'fail', 'passwords (HTTP basic auth'),
    ({'mq_plain_management': 'manual'}, 'manual', "operator's decision"),
    ({'mq_plain_management': 'report'}, 'pass', 'reported: plain HTTP management listener'),
    ({'mq_plain_management': 'maybe'}, 'error', 'is not one of'),
])
def test_plain_http_management_listener(options, expected, text):
    findings = [f for f in run(BROKER, _broker_case(MGMT_PLAIN, probes=[endpoint(5671)]), options) if f['target'].get('endpoint') == '10.0.0.11:15672']
    assert [f['status'] for f in findings] == [expected]
    assert text in findings[0]['message']


def test_plain_http_management_on_loopback_passes():
    findings = run(BROKER, _broker_case([listener('amqp/ssl', 5671), listener('http', 15672, address='127.0.0.1')], probes=[endpoint(5671)]))
    assert statuses(findings) == ['pass', 'pass', 'pass']


# ----------------------------------------------------------------------------- AMQP 1.0 and ZeroMQ

def amqp1_service(query=None, group=None, component='nova-compute'):
    svc = service(component, [url(host='qdr.example', port=5671, scheme='amqp', query=query)])
    svc['amqp1'] = group or {}
    return svc


@pytest.mark.parametrize('group, query, tls, source, vhost, invalid', [
    ({}, {}, False, 'default (off)', False, 0),
    ({'ssl': True}, {}, True, '[oslo_messaging_amqp] ssl', False, 0),
    ({'ssl': True, 'sources': {'ssl': '[amqp1] ssl in /etc/nova/nova.conf'}}, {}, True, '[amqp1] ssl in /etc/nova/nova.conf', False, 0),
    ({'ssl_ca_file': '/ca.pem'}, {}, True, '[oslo_messaging_amqp] ssl_ca_file', False, 0),     # a CA alone switches TLS on
    ({'ssl_cert_file': '/c.pem'}, {}, True, '[oslo_messaging_amqp] ssl_cert_file', False, 0),
    ({'ssl': True}, {'ssl': 'false'}, False, 'transport_url ?ssl=', False, 0),                 # URL over group
    ({}, {'ssl': 'yes', 'ssl_verify_vhost': 'true'}, True, 'transport_url ?ssl=', True, 0),
    ({'ssl': 'y'}, {}, False, '[oslo_messaging_amqp] ssl', False, 1),                          # oslo.config rejects "y"
])
def test_effective_amqp1(group, query, tls, source, vhost, invalid):
    eff = R.effective_amqp1(url(host='qdr.example', scheme='amqp', query=query), group)
    assert (eff['tls'], eff['tls_source'], eff['verify_vhost'], len(eff['invalid'])) == (tls, source, vhost, invalid)


@pytest.mark.parametrize('svc, expected, text', [
    (amqp1_service(group={'ssl': True, 'ssl_ca_file': '/ca.pem'}), 'pass', 'checked against CA /ca.pem and the broker host name'),
    (amqp1_service(group={'ssl': True}), 'pass', 'the system CA bundle'),
    (amqp1_service(), 'fail', 'TLS is off'),
    (amqp1_service(query={'ssl': 'maybe'}), 'fail', 'not a boolean'),
])
def test_amqp1_clients(svc, expected, text):
    findings = run(CLIENT, {'cmp1': host(services=[svc])})
    assert statuses(findings) == [expected], [f['message'] for f in findings]
    assert text in findings[0]['message'] and 'AMQP 1.0' in findings[0]['message']


def test_amqp1_broker_is_not_assessed_and_rabbit_not_applicable_is_dropped():
    findings = run(BROKER, {'cmp1': host(services=[amqp1_service(group={'ssl': True})])})
    assert statuses(findings) == ['not_assessed']
    assert 'qdr.example:5671' in findings[0]['message'] and 'nova-compute on cmp1' in findings[0]['message']


def test_amqp1_beside_rabbitmq_keeps_both():
    evidence = _broker_case(TLS_ONLY)
    evidence['cmp1'] = host(services=[amqp1_service(group={'ssl': True})])
    assert statuses(run(BROKER, evidence)) == ['not_assessed', 'pass', 'pass', 'pass']


def test_zmq_client_is_manual():
    svc = service('nova-compute', [url(host='10.0.0.11', port=9501, scheme='zmq')])
    findings = run(CLIENT, {'cmp1': host(services=[svc])})
    assert statuses(findings) == ['manual'] and 'WireGuard or CIPSO' in findings[0]['message']


def test_the_broker_rule_reads_each_transport_url_once_not_once_per_broker(monkeypatch):
    # every broker's plain listener asks which services target it: the URLs are read once per evaluation (linear in the
    # hosts), not again for each broker (quadratic: 200 kolla nodes took 1.2 s in this rule alone)
    evidence = _two_brokers([service('glance-api', [url(host='10.0.0.11', port=5672), url(host='10.0.0.12', port=5673)]),
                             service('nova-api', [url(host='mq-vip.example', port=5672)])])
    calls = []
    real = R.effective_rabbit
    monkeypatch.setattr(R, 'effective_rabbit', lambda *a: calls.append(a) or real(*a))
    findings = [f for f in run(BROKER, evidence) if f['target'].get('setting') == 'listeners.tcp']
    assert sorted((f['target']['host'], f['status']) for f in findings) == [('ctl1', 'fail'), ('ctl2', 'fail')]
    assert len(calls) == 3
