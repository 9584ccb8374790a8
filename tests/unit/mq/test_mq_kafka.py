# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Kafka rules on real-world configuration samples.

No Kafka broker can run on this machine (no registry we can reach ships one, see
docs/channel-mq.md), so the listener rule is tested on server.properties files modelled on the ones
people actually run: the two files Apache Kafka ships (KRaft and ZooKeeper quick-start), the SSL
example of the Kafka documentation, a production-style all-TLS KRaft broker, and two broken ones.
Each file is parsed with the discovery parser (``_kafka_conf.parse_server_properties``) exactly as
discovery stores it in ``discovery.infrastructure.kafka``.
"""

from __future__ import absolute_import, division, print_function

import json
import os

import pytest

from ansible_collections.scs.secure_connections.plugins.module_utils._rules import mq as R
from ansible_collections.scs.secure_connections.plugins.module_utils._parsers.kafka import parse_server_properties

from mqev import host, run, service, statuses, url

SAMPLES = os.path.join(os.path.dirname(__file__), 'kafka_samples')


def _infra(name):
    with open(os.path.join(SAMPLES, name)) as handle:
        parsed = parse_server_properties(handle.read())
    return dict(parsed, file='/etc/kafka/%s' % name)


@pytest.mark.parametrize('sample, expected, texts', [
    ('kraft-default.properties', ['fail', 'fail', 'fail'],
     ['PLAINTEXT (unencrypted) on every interface', '(controller listener)', 'inter-broker traffic uses listener PLAINTEXT']),
    ('zookeeper-default.properties', ['fail', 'fail'], ['PLAINTEXT://:9092 (Kafka default)', 'inter-broker protocol PLAINTEXT (Kafka default)']),
    ('docs-ssl-example.properties', ['fail', 'pass', 'pass'], ['on host.name', 'ssl.enabled.protocols allows', 'inter-broker protocol SSL']),
    ('kraft-all-tls.properties', ['pass', 'pass', 'pass', 'pass'], ['uses SASL_SSL', 'ssl.client.auth = none', 'uses listener INTERNAL (SSL)']),
    ('map-missing-listener.properties', ['error', 'pass', 'pass'], ['missing from listener.security.protocol.map']),
    ('ssl-without-keystore.properties', ['fail', 'fail', 'pass'], ['has no key material', 'bound to loopback only']),
])
def test_kafka_listener_rule_on_samples(sample, expected, texts):
    evidence = {'kafka1': host(kafka=[_infra(sample)])}
    findings = run(R.KAFKA_LISTENER, evidence)
    messages = [f['message'] for f in findings]
    assert statuses(findings) == sorted(expected), messages
    for text in texts:
        assert any(text in m for m in messages), (text, messages)
    for f in findings:
        assert f['target']['file'] == '/etc/kafka/%s' % sample and f['target']['host'] == 'kafka1'


def test_kafka_findings_hold_no_password():
    findings = run(R.KAFKA_LISTENER, {'kafka1': host(kafka=[_infra('kraft-all-tls.properties'), _infra('docs-ssl-example.properties')])})
    text = json.dumps(findings)
    for secret in ('KafkaAdminSecret', 'KeystoreSecret', 'TruststoreSecret', 'test1234'):
        assert secret not in text


def test_kafka_listener_rule_unreadable_file():
    evidence = {'kafka1': host(kafka=[{'file': '/etc/kafka/server.properties', 'errors': [{'line': None, 'message': 'permission denied'}]}])}
    findings = run(R.KAFKA_LISTENER, evidence)
    assert statuses(findings) == ['error'] and 'permission denied' in findings[0]['message']


@pytest.mark.parametrize('evidence, expected', [
    ({'h': host()}, 'not_applicable'),
    ({'h': host(services=[service('ceilometer-notification', [url(scheme='kafka', host='kafka.example', port=9093, purpose='notifications')])])},
     'not_assessed'),
])
def test_kafka_listener_applicability(evidence, expected):
    assert statuses(run(R.KAFKA_LISTENER, evidence)) == [expected]


# [oslo_messaging_kafka] as discovery normalises it; the URL query overrides it like oslo.messaging's ConfigOptsProxy
KAFKA_URL = url(scheme='kafka', host='kafka.example', port=9093, purpose='notifications', section='oslo_messaging_notifications')


@pytest.mark.parametrize('group, query, expected, text', [
    ({'security_protocol': 'SSL', 'ssl_cafile': '/etc/pki/ca.pem'}, {}, 'pass', 'uses SSL with CA /etc/pki/ca.pem'),
    ({'security_protocol': 'SASL_SSL', 'sasl_mechanism': 'SCRAM-SHA-512', 'ssl_cafile': '/ca'}, {}, 'pass', 'SASL_SSL'),
    ({'security_protocol': 'ssl', 'ssl_cafile': '/ca'}, {}, 'pass', 'uses SSL'),
    ({}, {}, 'fail', 'PLAINTEXT (from default (PLAINTEXT))'),
    ({'security_protocol': 'SASL_PLAINTEXT'}, {}, 'fail', 'SASL_PLAINTEXT'),
    ({'security_protocol': 'SSL'}, {}, 'fail', 'no ssl_cafile'),
    ({'security_protocol': 'PLAINTEXT'}, {'security_protocol': 'SSL', 'ssl_cafile': '/url-ca.pem'}, 'pass', 'CA /url-ca.pem (from transport_url'),
    ({'security_protocol': 'SSL', 'ssl_cafile': '/ca'}, {'security_protocol': 'PLAINTEXT'}, 'fail', 'from transport_url ?security_protocol='),
])
def test_kafka_client_rule(group, query, expected, text):
    svc = service('ceilometer-notification', [dict(KAFKA_URL, query=query)], kafka=group)
    findings = run(R.KAFKA_CLIENT, {'ctl1': host(services=[svc])})
    assert statuses(findings) == [expected]
    assert text in findings[0]['message'], findings[0]['message']
    assert findings[0]['target']['service'] == 'ceilometer-notification'


def test_kafka_client_rule_ignores_rabbit_and_reports_absence():
    svc = service('nova-compute', [url(port=5671)], rabbit={'ssl': True})
    assert statuses(run(R.KAFKA_CLIENT, {'ctl1': host(services=[svc])})) == ['not_applicable']
    findings = run(R.KAFKA_CLIENT, {'k1': host(kafka=[_infra('kraft-all-tls.properties')])})
    assert statuses(findings) == ['not_applicable'] and 'no OpenStack service uses' in findings[0]['message']
