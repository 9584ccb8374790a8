# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""rabbitmq.conf (sysctl format) and classic rabbitmq.config / advanced.config (Erlang terms)."""

from __future__ import absolute_import, division, print_function

import pytest

from ansible_collections.scs.secure_connections.plugins.module_utils._parsers import rabbitmq as rc
from ansible_collections.scs.secure_connections.plugins.module_utils._core.secrets import MASK

from .helpers import dumps, fixture_text, truncations

# --------------------------------------------------------------------------- Erlang terms

TERM_CASES = [
    ('[].', [[]]),
    ('{a, b}.', [(rc.Atom('a'), rc.Atom('b'))]),
    ("['tlsv1.2', 'it''s'].", None),     # '' inside a quoted atom is not Erlang; must be an error
    ("[{versions, ['tlsv1.2', 'tlsv1.3']}].", [[(rc.Atom('versions'), [rc.Atom('tlsv1.2'), rc.Atom('tlsv1.3')])]]),
    ('"a" "b".', ['ab']),
    ('"tab\\there \\"q\\" \\x41\\101".', ['tab\there "q" AA']),
    ('<<"guest">>.', [rc.Binary('guest')]),
    ('<<>>.', [rc.Binary('')]),
    ('<<104,105>>.', [rc.Binary('hi')]),
    ('[1, -2, 3.5, 1.0e3, 16#FF, 2#101, $a, $\\n].', [[1, -2, 3.5, 1000.0, 255, 5, 97, 10]]),
    ('#{a => 1, "b" => [x]}.', [{rc.Atom('a'): 1, 'b': [rc.Atom('x')]}]),
    ('[a | b].', [[rc.Atom('a'), rc.Atom('b')]]),
    ('%% comment\n[x]. % trailing\n', [[rc.Atom('x')]]),
    ('{node@host, \'rabbit@my-host\'}.', [(rc.Atom('node@host'), rc.Atom('rabbit@my-host'))]),
]


@pytest.mark.parametrize('text, expected', TERM_CASES, ids=range(len(TERM_CASES)))
def test_erlang_terms(text, expected):
    if expected is None:
        with pytest.raises(rc.ErlangParseError):
            rc.parse_erlang_terms(text)
        return
    got = rc.parse_erlang_terms(text)
    assert got == expected
    assert [type(t) for t in got] == [type(t) for t in expected]


ERROR_CASES = [
    ('[{rabbit, []}]', 'expected "." after a term, found end of file'),
    ('[{rabbit, "unterminated}].', 'unterminated string'),
    ("['unterminated].", 'unterminated quoted atom'),
    ('[{rabbit, [}].', "unexpected punct '}'"),
    ('[X].', 'variable (an unquoted word'),
    ('[a b].', 'expected "," or \']\''),
    ('[a] [b].', 'expected "." after a term'),
    ('{a, }.', "unexpected punct '}'"),
    ('[~].', "unexpected character '~'"),
    ('<<a>>.', 'in binary'),
    ('#{a 1}.', 'expected "=>" in map'),
    ('[' * 5000 + ']' * 5000 + '.', 'nested deeper than 200'),
    ('', 'no Erlang term'),
]


@pytest.mark.parametrize('text, message', ERROR_CASES, ids=range(len(ERROR_CASES)))
def test_erlang_errors_are_reported(text, message):
    parsed = rc.parse_erlang_config(text)
    assert parsed['errors'], parsed
    assert message in parsed['errors'][0]['message']
    dumps(parsed)


def test_classic_config_summary_osa():
    secrets = set()
    text = fixture_text('osa', '/var/lib/lxc/aio1_rabbit_mq_container-9c0d1e2f/rootfs/etc/rabbitmq/rabbitmq.config')
    parsed = rc.parse_erlang_config(text, secrets)
    assert parsed['errors'] == []
    summary = parsed['rabbit']
    assert summary['listeners'] == {'tcp': [{'address': '172.29.238.211', 'port': 5672}],
                                    'ssl': [{'address': '172.29.238.211', 'port': 5671}]}
    assert summary['ssl_options']['versions'] == ['tlsv1.2', 'tlsv1.1']
    assert summary['ssl_options']['verify'] == 'verify_none'
    assert summary['ssl_options']['fail_if_no_peer_cert'] is False
    assert summary['ssl_options']['password'] == MASK
    assert summary['management'] == {'tcp': {'ip': '172.29.238.211', 'port': 15672}, 'ssl': None}
    assert summary['default_user'] == 'admin'
    assert parsed['apps']['rabbit']['default_pass'] == MASK
    assert {'FIXTUREPWosaRabbitKeyPass10', 'FIXTUREPWosaRabbitAdmin11'} <= secrets
    assert 'FIXTUREPW' not in dumps(parsed)


MGMT_CASES = [
    ('[{rabbitmq_management, [{listener, [{port, 15671}, {ssl, true}, {ssl_opts, [{cacertfile, "/ca"}, {versions, [\'tlsv1.2\']}]}]}]}].',
     {'tcp': None, 'ssl': {'port': 15671, 'cacertfile': '/ca', 'versions': ['tlsv1.2']}}),
    ('[{rabbitmq_management, [{ssl_config, [{port, 15671}, {certfile, "/c"}]}, {tcp_config, [{port, 15672}]}]}].',
     {'tcp': {'port': 15672}, 'ssl': {'port': 15671, 'certfile': '/c'}}),
    ('[{rabbit, [{tcp_listeners, [5672, {"::1", 5672}, {{127,0,0,1}, 5673}]}]}].', None),
]


@pytest.mark.parametrize('text, management', MGMT_CASES, ids=range(len(MGMT_CASES)))
def test_classic_management_and_listener_forms(text, management):
    parsed = rc.parse_erlang_config(text)
    assert parsed['errors'] == []
    if management is not None:
        assert parsed['rabbit']['management'] == management
    else:
        assert parsed['rabbit']['listeners']['tcp'] == [{'address': None, 'port': 5672}, {'address': '::1', 'port': 5672},
                                                        {'address': '127.0.0.1', 'port': 5673}]
        assert parsed['rabbit']['listeners']['ssl'] is None      # not configured, no default applied


def test_not_a_list_and_several_terms():
    assert 'top-level term is not a list' in rc.parse_erlang_config('{rabbit, []}.')['errors'][0]['message']
    assert 'RabbitMQ reads only one' in rc.parse_erlang_config('[]. [].')['errors'][0]['message']


# --------------------------------------------------------------------------- rabbitmq.conf

SYSCTL_CASES = [
    ('listeners.tcp.default = 5672\nlisteners.ssl.default = 5671\n',
     {'tcp': [{'address': None, 'port': 5672}], 'ssl': [{'address': None, 'port': 5671}]}),
    ('listeners.tcp = none\nlisteners.ssl.1 = 10.0.0.11:5672\nlisteners.ssl.2 = ::1:5671\nlisteners.ssl.3 = [fd00::1]:5671\n',
     {'tcp': [], 'ssl': [{'address': '10.0.0.11', 'port': 5672}, {'address': '::1', 'port': 5671}, {'address': 'fd00::1', 'port': 5671}]}),
    ('# nothing\n', {'tcp': None, 'ssl': None}),
    # cuttlefish conf_parse.peg: an unquoted value ends at '#', whitespace before it or not; a quoted one keeps it
    ('listeners.tcp = none # plain AMQP off\nlisteners.ssl.default = 5671#TLS only\n',
     {'tcp': [], 'ssl': [{'address': None, 'port': 5671}]}),
    ("listeners.tcp.default = 5672 # legacy clients\nlisteners.ssl.default = '5671' # quoted\n",
     {'tcp': [{'address': None, 'port': 5672}], 'ssl': [{'address': None, 'port': 5671}]}),
]


@pytest.mark.parametrize('text, listeners', SYSCTL_CASES, ids=range(len(SYSCTL_CASES)))
def test_sysctl_listeners(text, listeners):
    assert rc.parse_rabbitmq_conf(text)['rabbit']['listeners'] == listeners


def test_sysctl_ssl_options_and_management():
    text = fixture_text('distro', '/etc/rabbitmq/rabbitmq.conf')
    secrets = set()
    parsed = rc.parse_rabbitmq_conf(text, secrets)
    summary = parsed['rabbit']
    assert summary['ssl_options'] == {'cacertfile': '/etc/rabbitmq/ssl/ca.pem', 'certfile': '/etc/rabbitmq/ssl/server.pem',
                                      'keyfile': '/etc/rabbitmq/ssl/server.key', 'verify': 'verify_peer',
                                      'fail_if_no_peer_cert': False, 'versions': ['tlsv1.3', 'tlsv1.2']}
    assert summary['management']['ssl']['port'] == 15671
    assert summary['management']['tcp'] == {'port': 15672}
    assert parsed['settings']['default_pass'] == MASK
    assert 'FIXTUREPWdistroRabbitAdmin18' in secrets
    assert summary['loopback_users'] == {'guest': True}


def test_sysctl_legacy_management_listener():
    text = ('management.listener.port = 15671\nmanagement.listener.ssl = true\nmanagement.listener.ip = 10.0.0.1\n'
            'management.listener.ssl_opts.cacertfile = /ca\nmanagement.listener.ssl_opts.versions.1 = tlsv1.2\n')
    summary = rc.parse_rabbitmq_conf(text)['rabbit']
    assert summary['management'] == {'tcp': None, 'ssl': {'port': 15671, 'ip': '10.0.0.1', 'cacertfile': '/ca', 'versions': ['tlsv1.2']}}


def test_sysctl_quoted_values_and_comments():
    parsed = rc.parse_rabbitmq_conf("ssl_options.certfile = '/etc/rabbitmq/a#b.pem'\nssl_options.keyfile = '/k.pem' x\n"
                                    "default_pass = 'FIXTUREPW#quoted' junk\n")
    assert parsed['settings'] == {'ssl_options.certfile': '/etc/rabbitmq/a#b.pem'}
    assert [e['line'] for e in parsed['errors']] == [2, 3]
    assert 'FIXTUREPW' not in dumps(parsed)


def test_sysctl_errors_and_secret_lines():
    parsed = rc.parse_rabbitmq_conf('this is wrong\ndefault_pass FIXTUREPWnoequals\nlisteners.tcp.default = 5672\n')
    assert [e['line'] for e in parsed['errors']] == [1, 2]
    assert 'FIXTUREPW' not in dumps(parsed)


def test_merge_advanced_over_conf():
    conf = rc.parse_rabbitmq_conf(fixture_text('kolla', '/etc/kolla/rabbitmq/rabbitmq.conf'))['rabbit']
    adv = rc.parse_erlang_config(fixture_text('kolla', '/etc/kolla/rabbitmq/advanced.config'))
    assert adv['errors'] == []
    merged = rc.merge_rabbit_summaries(conf, adv['rabbit'])
    assert merged['listeners'] == {'tcp': [], 'ssl': [{'address': '10.0.0.11', 'port': 5672}]}
    # advanced.config's ssl_options replaces rabbitmq.conf's whole, as RabbitMQ does: this kolla
    # override drops certfile/keyfile/cacertfile (a real misconfiguration the audit must show).
    assert merged['ssl_options']['versions'] == ['tlsv1.3', 'tlsv1.2']
    assert merged['ssl_options']['honor_cipher_order'] is True
    assert 'cacertfile' not in merged['ssl_options'] and 'certfile' not in merged['ssl_options']


def test_merge_keeps_base_ssl_options_when_override_sets_none():
    conf = rc.parse_rabbitmq_conf('ssl_options.certfile = /c.pem\nssl_options.keyfile = /k.pem\n')['rabbit']
    merged = rc.merge_rabbit_summaries(conf, rc.parse_erlang_config('[].')['rabbit'])
    assert merged['ssl_options'] == {'certfile': '/c.pem', 'keyfile': '/k.pem'}


@pytest.mark.parametrize('layout, path, parser', [
    ('osa', '/var/lib/lxc/aio1_rabbit_mq_container-9c0d1e2f/rootfs/etc/rabbitmq/rabbitmq.config', rc.parse_erlang_config),
    ('kolla', '/etc/kolla/rabbitmq/advanced.config', rc.parse_erlang_config),
    ('distro', '/etc/rabbitmq/rabbitmq.conf', rc.parse_rabbitmq_conf),
])
def test_truncated_real_files_never_crash(layout, path, parser):
    for cut in truncations(fixture_text(layout, path)):
        parsed = parser(cut, set())
        assert 'FIXTUREPW' not in dumps(parsed)


def test_conf_fragments_merge_ssl_options_key_by_key():
    first = rc.parse_rabbitmq_conf('ssl_options.certfile = /c.pem\n')['rabbit']
    second = rc.parse_rabbitmq_conf('ssl_options.verify = verify_peer\n')['rabbit']
    merged = rc.merge_rabbit_summaries(first, second, replace_ssl_options=False)
    assert merged['ssl_options'] == {'certfile': '/c.pem', 'verify': 'verify_peer'}
