# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Kafka server.properties: Java properties syntax, listeners and protocol map, masking."""

from __future__ import absolute_import, division, print_function

import pytest

from ansible_collections.scs.secure_connections.plugins.module_utils._parsers import kafka as kc
from ansible_collections.scs.secure_connections.plugins.module_utils._core.secrets import MASK

from .helpers import dumps, fixture_text, truncations

PROP_CASES = [
    ('a=1\nb = 2\nc:3\nd 4\n', {'a': '1', 'b': '2', 'c': '3', 'd': '4'}),
    ('# c\n! c\n   \nkey=value # not a comment\n', {'key': 'value # not a comment'}),
    ('long=a,\\\n    b,\\\n    c\n', {'long': 'a,b,c'}),
    ('escaped\\ key=v\\tw\\u0041\n', {'escaped key': 'v\twA'}),
    ('even=ends with backslash\\\\\nnext=1\n', {'even': 'ends with backslash\\', 'next': '1'}),
    ('dup=1\ndup=2\n', {'dup': '2'}),
    ('trailing=cont\\', {'trailing': 'cont'}),
]


@pytest.mark.parametrize('text, props', PROP_CASES, ids=range(len(PROP_CASES)))
def test_properties_syntax(text, props):
    got, errors = kc.parse_properties(text)
    assert got == props and errors == []


def test_empty_key_is_error():
    _props, errors = kc.parse_properties('=value\n')
    assert errors and errors[0]['line'] == 1


def test_distro_server_properties():
    secrets = set()
    parsed = kc.parse_server_properties(fixture_text('distro', '/etc/kafka/server.properties'), secrets)
    assert [(l['name'], l['host'], l['port'], l['security_protocol'], l['protocol_source']) for l in parsed['listeners']] == [
        ('PLAINTEXT', '10.0.0.41', 9092, 'PLAINTEXT', 'map'), ('SASL_SSL', '10.0.0.41', 9093, 'SASL_SSL', 'map'),
        ('CONTROLLER', '10.0.0.41', 9094, 'PLAINTEXT', 'map')]
    assert parsed['inter_broker_listener_name'] == 'PLAINTEXT'
    assert parsed['security_inter_broker_protocol'] is None
    assert parsed['controller_listener_names'] == ['CONTROLLER']
    assert parsed['ssl']['ssl.keystore.password'] == MASK
    assert parsed['ssl']['ssl.client.auth'] == 'required'
    jaas = parsed['properties']['listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config']
    assert 'password="%s"' % MASK in jaas and 'username="broker"' in jaas
    assert {'FIXTUREPWdistroKafkaKs20', 'FIXTUREPWdistroKafkaKey21', 'FIXTUREPWdistroKafkaTs22', 'FIXTUREPWdistroKafkaJaas23'} <= secrets
    assert 'FIXTUREPW' not in dumps(parsed)


@pytest.mark.parametrize('value, protocol_map, expected', [
    ('PLAINTEXT://:9092,SSL://0.0.0.0:9093', {}, [('PLAINTEXT', None, 9092, 'PLAINTEXT', 'default_map'), ('SSL', '0.0.0.0', 9093, 'SSL', 'default_map')]),
    ('INTERNAL://[fd00::1]:9092', {'INTERNAL': 'SASL_SSL'}, [('INTERNAL', 'fd00::1', 9092, 'SASL_SSL', 'map')]),
    ('EXTERNAL://h:9094', {'INTERNAL': 'SSL'}, [('EXTERNAL', 'h', 9094, None, 'missing_from_map')]),
    ('CUSTOM://h:1', {}, [('CUSTOM', 'h', 1, None, None)]),
    ('', {}, []),
])
def test_listener_list(value, protocol_map, expected):
    got = kc.parse_listener_list(value, protocol_map)
    assert [(l['name'], l['host'], l['port'], l['security_protocol'], l['protocol_source']) for l in got] == expected


def test_bad_listener_and_listener_overrides():
    parsed = kc.parse_server_properties('listeners=garbage\nlistener.name.internal.ssl.keystore.location=/ks\n'
                                        'listener.name.internal.ssl.keystore.password=FIXTUREPWx1\n')
    assert parsed['listeners'][0]['error'] == 'not NAME://host:port'
    assert parsed['listener_ssl'] == {'INTERNAL': {'ssl.keystore.location': '/ks', 'ssl.keystore.password': MASK}}


def test_truncated_never_crash():
    for cut in truncations(fixture_text('distro', '/etc/kafka/server.properties')):
        parsed = kc.parse_server_properties(cut, set())
        # a cut value may end inside a password: no part of it may appear
        assert 'FIXTUREPW' not in dumps(parsed)
