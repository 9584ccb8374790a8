# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests of module_utils/_gather/rabbitmq.py: configuration reading, CLI error classification,
connection attribution and the AMQP Connection.Start decoder (pure Python, no broker)."""

from __future__ import absolute_import, division, print_function

import json
import os
import struct

import pytest

from ansible_collections.scs.secure_connections.plugins.module_utils._gather import rabbitmq as rmq, rabbitmq_live as rmq_live

FIXTURES = os.path.join(os.path.dirname(__file__), 'fixtures')

# Real stderr of rabbitmq-diagnostics 3.10.8 (captured on this machine against a lab node).
WRONG_NODE = """Error: unable to perform an operation on node 'nosuch@localhost'. Please see diagnostics information and suggestions below.

Most common reasons for this are:

 * Target node is unreachable (e.g. due to hostname resolution, TCP connection or firewall issues)
 * CLI tool fails to authenticate with the server (e.g. due to CLI tool's Erlang cookie not matching that of the server)
 * Target node is not running

DIAGNOSTICS
===========

attempted to contact: [nosuch@localhost]

nosuch@localhost:
  * connected to epmd (port 33243) on localhost
  * epmd reports: node 'nosuch' not running at all
                  other nodes on localhost: [scslab0debe7]
  * suggestion: start the node

Current node details:
 * node name: 'rabbitmqcli-451-nosuch@localhost'
 * effective user's home directory: /tmp/mqexp/a/home
 * Erlang cookie hash: vevt1fZMz8HsUXp0wmZteQ==
"""

WRONG_COOKIE = """Error: unable to perform an operation on node 'scslab0debe7@localhost'. Please see diagnostics information and suggestions below.

Most common reasons for this are:

 * Target node is unreachable (e.g. due to hostname resolution, TCP connection or firewall issues)
 * CLI tool fails to authenticate with the server (e.g. due to CLI tool's Erlang cookie not matching that of the server)
 * Target node is not running

DIAGNOSTICS
===========

attempted to contact: [scslab0debe7@localhost]

scslab0debe7@localhost:
  * connected to epmd (port 33243) on localhost
  * epmd reports node 'scslab0debe7' uses port 43439 for inter-node and CLI tool traffic
  * TCP connection succeeded but Erlang distribution failed
  * suggestion: check if the Erlang cookie is identical for all server nodes and CLI tools

Current node details:
 * node name: 'rabbitmqcli-1-scslab0debe7@localhost'
 * Erlang cookie hash: vevt1fZMz8HsUXp0wmZteQ==
"""

NO_EPMD = ("Distribution failed: {{:shutdown, {:failed_to_start_child, :net_kernel, {:EXIT, :nodistribution}}}, "
           "{:child, :undefined, :net_sup_dynamic, {:erl_distribution, :start_link, []}}}")

NOT_ROOT = """
Only root or rabbitmq can run rabbitmq-diagnostics
"""

BAD_COLUMN = "Error (argument validation): Info key(s) nosuchcol are not supported\nArguments given:\n\t-q list_connections"


@pytest.mark.parametrize('rc, stderr, kind, must_contain, must_not_contain', [
    (69, WRONG_NODE, 'node_down', "not running at all", 'cookie hash'),
    (69, WRONG_COOKIE, 'permission', 'Erlang cookie mismatch', 'vevt1fZMz8'),
    (78, NO_EPMD, 'node_down', 'epmd', 'net_sup_dynamic'),
    (1, NOT_ROOT, 'permission', 'root or as the rabbitmq user', None),
    (64, BAD_COLUMN, 'unsupported', 'not supported', None),
    (75, 'Error: operation list_connections on node x timed out', 'timeout', 'timed out', None),
    (70, 'Error: something else broke', 'cli_error', 'exit code 70', None),
    (69, 'Error: unavailable', 'node_down', 'unavailable', None),
])
def test_classify_cli_failure(rc, stderr, kind, must_contain, must_not_contain):
    err = rmq_live.classify_cli_failure(rc, '', stderr, node='n@h', epmd_port='4369')
    assert err['kind'] == kind
    assert must_contain in err['message']
    if must_not_contain:
        assert must_not_contain not in err['message']
    assert len(err['message']) <= 600


@pytest.mark.parametrize('name, expected', [
    ('nova-compute:7:0f4b0d5a-1c1e-4f5e-8a4e-5f0a2c1d7e11', {'process': 'nova-compute', 'pid': 7, 'component': 'nova-compute', 'service': 'nova'}),
    ('/var/lib/kolla/venv/bin/neutron-openvswitch-agent:21:abc',
     {'process': 'neutron-openvswitch-agent', 'pid': 21, 'component': 'neutron-openvswitch-agent', 'service': 'neutron'}),
    ('apache2:44:uuid', {'process': 'apache2', 'pid': 44, 'component': None, 'service': None}),
    ('uwsgi:1:uuid', {'process': 'uwsgi', 'pid': 1, 'component': None, 'service': None}),
    ('heat-engine.py:5:x', {'process': 'heat-engine', 'pid': 5, 'component': 'heat-engine', 'service': 'heat'}),
    ('My App', {'process': 'My App', 'pid': None, 'component': None, 'service': None}),
    (None, {'process': None, 'pid': None, 'component': None, 'service': None}),
    ('', {'process': None, 'pid': None, 'component': None, 'service': None}),
])
def test_attribute_connection(name, expected):
    assert rmq_live.attribute_connection(name) == expected


@pytest.mark.parametrize('value, expected', [
    ([127, 0, 0, 1], '127.0.0.1'),
    ([0, 0, 0, 0, 0, 0, 0, 1], '::1'),
    ([8193, 3512, 0, 0, 0, 0, 0, 17], '2001:db8::11'),
    ('10.0.0.5', '10.0.0.5'),
    (None, None),
])
def test_format_address(value, expected):
    assert rmq_live.format_address(value) == expected


@pytest.mark.parametrize('address, loopback, wildcard', [
    ('127.0.0.1', True, False), ('127.1.2.3', True, False), ('::1', True, False), ('[::1]', True, False), ('localhost', True, False),
    ('0.0.0.0', False, True), ('::', False, True), ('[::]', False, True), (None, False, True), ('10.0.0.1', False, False),
])
def test_loopback_and_wildcard(address, loopback, wildcard):
    assert rmq.is_loopback(address) is loopback
    assert rmq.is_wildcard(address) is wildcard


def test_normalize_connection_from_real_cli_json():
    # one item of `rabbitmqctl -q list_connections --formatter json ...` from RabbitMQ 3.10.8
    raw = json.loads('{"name":"127.0.0.1:47850 -> 127.0.0.1:35897","user":"openstack","peer_host":[127,0,0,1],"peer_port":47850,'
                     '"host":[127,0,0,1],"port":35897,"ssl":true,"ssl_protocol":"tlsv1.3","ssl_cipher":"aes_256_gcm",'
                     '"protocol":[0,9,1],"client_properties":[["product","longstr","oslo-test"],["capabilities","table",'
                     '[["basic.nack","bool",true]]],["connection_name","longstr","nova-conductor:1234:abc"]],'
                     '"peer_cert_subject":"","auth_mechanism":"PLAIN","vhost":"/","state":"running"}')
    conn = rmq_live.normalize_connection(raw)
    assert conn['peer_host'] == '127.0.0.1' and conn['peer_loopback'] is True
    assert conn['ssl'] is True and conn['ssl_protocol'] == 'tlsv1.3'
    assert conn['protocol'] == '0.9.1'
    assert conn['component'] == 'nova-conductor' and conn['service'] == 'nova' and conn['pid'] == 1234
    assert conn['client_product'] == 'oslo-test'
    assert conn['peer_cert_subject'] is None


def test_connection_summary_groups_by_client_and_peer():
    conns = [dict(component='nova-compute', peer_host='10.0.0.21', ssl=False, user='nova', port=5672),
             dict(component='nova-compute', peer_host='10.0.0.21', ssl=False, user='nova', port=5672),
             dict(component='nova-conductor', peer_host='10.0.0.11', ssl=True, user='nova', port=5671),
             dict(process='apache2', peer_host='10.0.0.11', ssl=True, user='keystone', port=5671)]
    summary = rmq_live.connection_summary(conns)
    assert (summary['total'], summary['tls'], summary['plain']) == (4, 2, 2)
    by = dict((c['client'], c) for c in summary['clients'])
    assert by['nova-compute']['plain'] == 2 and by['nova-compute']['tls'] == 0
    assert by['apache2']['tls'] == 1


@pytest.mark.parametrize('text, expected', [
    ('[\n{"a":1}\n,{"a":2}\n]\n', [{'a': 1}, {'a': 2}]),
    ('{"listeners":[],"result":"ok"}', {'listeners': [], 'result': 'ok'}),
    ('', None),
    ('{"a":1}\n{"a":2}\n', [{'a': 1}, {'a': 2}]),
])
def test_json_output(text, expected):
    assert rmq_live._json_output(text) == expected


def _start_frame(props, mechanisms=b'PLAIN AMQPLAIN'):
    def shortstr(s):
        return struct.pack('>B', len(s)) + s

    table = b''
    for key, value in props.items():
        if isinstance(value, bool):
            table += shortstr(key.encode()) + b't' + struct.pack('>B', int(value))
        elif isinstance(value, dict):
            inner = b''.join(shortstr(k.encode()) + b't' + struct.pack('>B', int(v)) for k, v in value.items())
            table += shortstr(key.encode()) + b'F' + struct.pack('>I', len(inner)) + inner
        else:
            data = value.encode()
            table += shortstr(key.encode()) + b'S' + struct.pack('>I', len(data)) + data
    payload = struct.pack('>HHBB', 10, 10, 0, 9) + struct.pack('>I', len(table)) + table
    payload += struct.pack('>I', len(mechanisms)) + mechanisms + struct.pack('>I', 5) + b'en_US'
    return struct.pack('>BHI', 1, 0, len(payload)), payload


def test_parse_connection_start():
    head, payload = _start_frame({'product': 'RabbitMQ', 'version': '3.10.8', 'capabilities': {'publisher_confirms': True}})
    start = rmq_live.parse_connection_start(head, payload)
    assert start['version'] == '0-9'
    assert start['server_properties']['product'] == 'RabbitMQ'
    assert start['server_properties']['capabilities'] == {'publisher_confirms': True}
    assert start['mechanisms'] == ['PLAIN', 'AMQPLAIN']


def test_parse_connection_start_rejects_other_methods():
    head, payload = _start_frame({'product': 'x'})
    payload = struct.pack('>HH', 10, 30) + payload[4:]
    with pytest.raises(rmq_live._AmqpError) as info:
        rmq_live.parse_connection_start(head, payload)
    assert info.value.kind == 'not_amqp'


# ----------------------------------------------------------------------------- configuration

def _read(tree, files=None):
    secrets = set()
    return rmq.read_config(os.path.join(FIXTURES, tree), files, secrets=secrets), secrets


def _listeners(config):
    return sorted((l['protocol'], l['address'], l['port'], l['source']) for l in config['listeners'])


@pytest.mark.parametrize('tree, listeners, disabled, plugins_mgmt', [
    # kolla with TLS: tcp off, ssl on the API address; management (legacy keys) plain HTTP on the API address
    ('kolla', [('amqp/ssl', '10.0.0.11', 5671, 'config'), ('http', '10.0.0.11', 15672, 'config')], True, True),
    # no listeners key: RabbitMQ's default AMQP listener on every interface, no TLS
    ('distro', [('amqp', None, 5672, 'default')], False, None),
    # classic Erlang config (OSA style): plain on loopback, TLS on the address, HTTPS management
    ('classic', [('amqp', '127.0.0.1', 5672, 'config'), ('amqp/ssl', '10.0.0.12', 5671, 'config'), ('https', '10.0.0.12', 15671, 'config')],
     False, None),
])
def test_read_config_listeners(tree, listeners, disabled, plugins_mgmt):
    config, _secrets = _read(tree)
    assert config['found'] is True
    assert config['errors'] == []
    assert _listeners(config) == sorted(listeners)
    assert config['tcp_listeners_disabled'] is disabled
    assert config['management'].get('plugin_enabled') is plugins_mgmt


def test_read_config_kolla_env_and_ssl_options():
    config, _secrets = _read('kolla')
    assert config['env']['NODENAME'] == 'rabbit@ctl1'
    assert config['env']['ERL_EPMD_PORT'] == '4369'
    assert config['ssl_options']['versions'] == ['tlsv1.2', 'tlsv1.3']
    assert 'cacertfile' not in config['ssl_options']
    assert config['plugins'] == ['rabbitmq_federation_management', 'rabbitmq_management', 'rabbitmq_prometheus']


def test_read_config_classic_masks_secrets():
    config, secrets = _read('classic')
    text = json.dumps(config)
    assert 'KeyfilePassw0rd' in secrets and 'ClassicSecretPw' in secrets
    assert 'KeyfilePassw0rd' not in text and 'ClassicSecretPw' not in text
    assert config['ssl_options']['verify'] == 'verify_peer'
    assert config['ssl_options']['fail_if_no_peer_cert'] is True


def test_read_config_malformed_files_give_errors_with_lines():
    config, _secrets = _read('malformed')
    by_file = dict((e['file'], e) for e in config['errors'])
    assert by_file['/etc/rabbitmq/rabbitmq.conf']['line'] == 2
    assert 'key = value' in by_file['/etc/rabbitmq/rabbitmq.conf']['message']
    assert 'Erlang syntax error' in by_file['/etc/rabbitmq/advanced.config']['message']


def test_read_config_first_directory_wins_and_others_are_reported():
    config, _secrets = _read('both')
    assert [f['file'] for f in config['files']] == ['/etc/rabbitmq/rabbitmq.conf']
    assert config['other_config_dirs'] == ['/etc/kolla/rabbitmq']


def test_read_config_nothing_found():
    config, _secrets = _read('distro', ['/etc/rabbitmq/missing.conf'])
    assert config['found'] is False
    assert config['errors'][0]['message'] == 'no such file'
    assert config['listeners'] == []


def test_gather_without_live_masks_and_reports(tmp_path):
    result = rmq.gather({'root': os.path.join(FIXTURES, 'distro'), 'live': False})
    text = json.dumps(result)
    assert result['present'] is True
    assert result['live']['status'] == 'skipped'
    assert result['listeners_source'] == 'config'
    assert 'Sup3rSecretBrokerPw' not in text


def test_gather_cli_missing(tmp_path):
    result = rmq.gather({'root': '/', 'config_files': [str(tmp_path / 'rabbitmq.conf')], 'live': True, 'cli_path': str(tmp_path),
                         'cli_timeout': 5})
    assert result['present'] is False
    assert result['live']['status'] == 'error'
    assert result['live']['error']['kind'] == 'cli_missing'


def test_gather_snapshot_never_runs_the_cli(tmp_path):
    """A snapshot root: the auditing host's rabbitmq-diagnostics would describe another broker; it is not run."""
    tool = tmp_path / 'bin' / 'rabbitmq-diagnostics'
    tool.parent.mkdir()
    tool.write_text('#!/bin/sh\ntouch %s\n' % (tmp_path / 'ran'))
    tool.chmod(0o755)
    result = rmq.gather({'root': str(tmp_path), 'live': True, 'cli_path': str(tool.parent), 'cli_timeout': 5})
    assert result['live']['status'] == 'skipped' and 'is a snapshot' in result['live']['reason']
    assert result['live']['snapshot'] is True   # the rule leaves its unprobed TLS listeners to tls-mozilla
    assert not (tmp_path / 'ran').exists()
    assert rmq.gather({'root': '/', 'live': False})['live']['snapshot'] is False


def test_run_cli_timeout_kills_the_tool(tmp_path, ansible_module):
    tool = tmp_path / 'rabbitmq-diagnostics'
    tool.write_text('#!/bin/sh\nsleep 30\n')
    tool.chmod(0o755)
    res = rmq_live.run_cli('rabbitmq-diagnostics', ['-q', 'listeners'], cli_path=str(tmp_path), timeout=1, module=ansible_module)
    assert res.ok is False and res.error['kind'] == 'timeout'


def test_run_cli_passes_env_and_no_epmd_start(tmp_path, ansible_module):
    tool = tmp_path / 'rabbitmqctl'
    tool.write_text('#!/bin/sh\necho "{\\"home\\": \\"$HOME\\", \\"flags\\": \\"$ERL_FLAGS\\", \\"lc\\": \\"$LC_ALL\\"}"\n')
    tool.chmod(0o755)
    res = rmq_live.run_cli('rabbitmqctl', [], cli_env={'HOME': '/srv/x'}, cli_path=str(tmp_path), timeout=5, module=ansible_module)
    assert res.ok
    assert json.loads(res.stdout) == {'home': '/srv/x', 'flags': '-start_epmd false', 'lc': 'C'}


def test_run_cli_container_engine_missing(monkeypatch):
    monkeypatch.setattr(rmq_live, 'container_engine', lambda requested='auto': None)
    res = rmq_live.run_cli('rabbitmqctl', ['status'], container='rabbitmq')
    assert res.error['kind'] == 'cli_missing' and 'rabbitmq' in res.error['message']


def test_amqp_handshake_refused():
    import socket
    sock = socket.socket()
    sock.bind(('127.0.0.1', 0))
    port = sock.getsockname()[1]
    sock.close()
    check = rmq_live.amqp_handshake('127.0.0.1', port, tls=True, timeout=2)
    assert check['status'] == 'error' and check['error']['kind'] == 'refused'


def test_effective_listeners_prefers_configured_management_address():
    config = {'found': True, 'listeners': [{'protocol': 'https', 'address': '10.0.0.1', 'port': 15671, 'loopback': False, 'all_interfaces': False}]}
    live = {'status': 'ok', 'listeners': [{'protocol': 'https', 'address': '[::]', 'port': 15671, 'loopback': False, 'all_interfaces': True},
                                          {'protocol': 'amqp', 'address': '[::]', 'port': 5672, 'loopback': False, 'all_interfaces': True}]}
    listeners, source = rmq.effective_listeners(config, live)
    assert source == 'live'
    assert listeners[0]['address'] == '10.0.0.1' and listeners[0]['address_reported'] == '[::]'
    assert listeners[1]['address'] == '[::]'


@pytest.mark.parametrize('advanced, expected', [
    ('[].', {'certfile': '/c.pem', 'verify': 'verify_peer'}),                                       # nothing set: rabbitmq.conf's stay
    ("[{rabbit, [{ssl_options, [{eccs, [x25519]}]}]}].", {'eccs': ['x25519']}),                     # replaced whole, as RabbitMQ does
    ("[{rabbit, [{tcp_listeners, []}]}].", {'certfile': '/c.pem', 'verify': 'verify_peer'}),
])
def test_advanced_config_replaces_ssl_options(tmp_path, advanced, expected):
    (tmp_path / 'rabbitmq.conf').write_text('listeners.ssl.default = 5671\nssl_options.certfile = /c.pem\nssl_options.verify = verify_peer\n')
    (tmp_path / 'advanced.config').write_text(advanced)
    config = rmq.read_config(str(tmp_path), ['/rabbitmq.conf', '/advanced.config'])
    assert config['ssl_options'] == expected


def _tree(tmp_path, files):
    for path, text in files.items():
        full = tmp_path / path.lstrip('/')
        full.parent.mkdir(parents=True, exist_ok=True)
        full.write_text(text)
    return str(tmp_path)


def test_package_without_configuration_runs_on_defaults(tmp_path):
    """Debian's rabbitmq-server ships no rabbitmq.conf: the installed package (its unit) is a broker on RabbitMQ's defaults,
    plain AMQP on 5672 on every interface and no TLS listener; its rabbitmq-env.conf is still read."""
    root = _tree(tmp_path, {'/lib/systemd/system/rabbitmq-server.service': '[Service]\n',
                            '/etc/rabbitmq/rabbitmq-env.conf': 'NODENAME=rabbit@ctl1\n'})
    config = rmq.read_config(root)
    assert config['found'] is True and 'rabbitmq-server is installed' in config['defaults']
    assert [(l['protocol'], l['port'], l['all_interfaces'], l['source']) for l in config['listeners']] == [('amqp', 5672, True, 'default')]
    assert config['env'] == {'NODENAME': 'rabbit@ctl1'}
    result = rmq.gather({'root': root, 'live': False})
    assert result['present'] is True and result['listeners_source'] == 'config'


def test_no_package_no_configuration_is_no_broker(tmp_path):
    root = _tree(tmp_path, {'/etc/nova/nova.conf': '[DEFAULT]\n'})
    config = rmq.read_config(root)
    assert config['found'] is False and config['defaults'] is None and config['listeners'] == []


def test_dangling_configuration_is_never_the_defaults(tmp_path):
    root = _tree(tmp_path, {'/etc/init.d/rabbitmq-server': '#!/bin/sh\n'})
    (tmp_path / 'etc' / 'rabbitmq').mkdir(parents=True, exist_ok=True)
    (tmp_path / 'etc' / 'rabbitmq' / 'rabbitmq.conf').symlink_to('/etc/alternatives/no-such-rabbitmq.conf')
    config = rmq.read_config(root)
    assert config['found'] is False and config['listeners'] == []
    assert [e['file'] for e in config['errors']] == ['/etc/rabbitmq/rabbitmq.conf']


def test_live_root_is_asked_not_assumed_on_defaults(monkeypatch):
    """On this machine's / the package is never taken for a broker on defaults: the running node is asked instead."""
    monkeypatch.setattr(rmq, 'exists', lambda root, path: True)
    assert rmq.package_evidence('/') is None
