# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""rabbitmq_tls_info and the mq rules against REAL RabbitMQ nodes (see conftest.py).

Every control has a scenario that must pass and one that must fail on real brokers; the client
side's service configuration is written by hand in discovery's shape (docs/architecture.md) and
points at the real ports, while the live connections are real pika clients. Broker down, CLI
refused and malformed configuration are produced for real too.
"""

from __future__ import absolute_import, division, print_function

import html
import json
import os
import re
import shutil
import subprocess
import sys

import pytest

from ansible_collections.scs.secure_connections.plugins.module_utils._gather import rabbitmq as rmq
from ansible_collections.scs.secure_connections.plugins.module_utils._core.evaluator import RuleContext, evaluate
from ansible_collections.scs.secure_connections.plugins.module_utils._core.render import render_html
from ansible_collections.scs.secure_connections.plugins.module_utils._core.report import build_report
from ansible_collections.scs.secure_connections.plugins.module_utils._rules.mq import BROKER, CLIENT, KAFKA_CLIENT, KAFKA_LISTENER, RULES
from ansible_collections.scs.secure_connections.plugins.module_utils._tls.scan import scan_endpoints
from lab import rabbitmq as labmq
from lab.proc import LabError, free_port

from mqint import NET_BROKER, NET_CLIENT, node_params

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))


def _probe_list(result, host):
    """What the audit role probes: every AMQPS and management HTTPS listener of the node."""
    return [{'host': host, 'port': l['port'], 'server_name': 'localhost', 'label': 'rabbitmq %s' % l['protocol']}
            for l in result['listeners'] if l['protocol'] in ('amqp/ssl', 'https')]


def _service(component, port, tls, ca_file, purpose='rpc', address='127.0.0.1'):
    section = 'DEFAULT' if purpose == 'rpc' else 'oslo_messaging_notifications'
    return {'service': component.split('-')[0], 'component': component, 'layout': 'kolla', 'files': ['/etc/kolla/%s/x.conf' % component],
            'errors': [], 'transport_urls': [{
                'file': '/etc/kolla/%s/x.conf' % component, 'section': section, 'option': 'transport_url', 'purpose': purpose,
                'url': 'rabbit://openstack:********@%s:%d//' % (address, port), 'scheme': 'rabbit',
                'hosts': [{'host': address, 'port': port, 'user': 'openstack'}], 'virtual_host': '/', 'query': {}}],
            'rabbit': {'ssl': True, 'ssl_ca_file': ca_file} if tls else {}, 'kafka': {}, 'database_urls': [], 'api_clients': []}


@pytest.fixture(scope='session')
def gathered(mq_lab, ansible_module):
    """rabbitmq_tls_info result and TLS probes of every lab node."""
    out = {}
    for key, node in mq_lab.nodes.items():
        params = node_params(node)
        if node.tls:
            params['amqp_check'] = {'host': node.host, 'port': node.amqps_port, 'ca_file': node.ca_file, 'server_name': 'localhost',
                                    'user': node.user, 'password': node.password, 'vhost': '/', 'timeout': 10, 'tls': True,
                                    'verify': True, 'check_hostname': True}
        result = node.run(rmq.gather, params, module=ansible_module)   # in the node's network namespace, if it has one
        probes = node.run(scan_endpoints, _probe_list(result, node.host), {'ca_files': [node.ca_file], 'timeout': 5})
        out[key] = (result, probes)
    return out


@pytest.fixture(scope='session')
def evidence(mq_lab, gathered):
    nodes = mq_lab.nodes
    ca = mq_lab.ca.cert
    services = {
        'tls': [_service('nova-conductor', nodes['tls'].amqps_port, True, ca)],
        # nova-compute's configuration says TLS, but its live connection is plain: live evidence wins
        'mixed': [_service('nova-conductor', nodes['mixed'].amqps_port, True, ca), _service('nova-compute', nodes['mixed'].amqps_port, True, ca)],
        'plain': [_service('nova-compute', nodes['plain'].amqp_port, False, ca)],
    }
    if 'net' in nodes:
        # the broker host "mq-net" has no service; the compute "cmp-net" connects from 10.99.0.21
        services['net'] = []
    ev = {}
    for key, (result, probes) in gathered.items():
        ev['mq-%s' % key] = {'channels': ['mq'],
                             'mq': {'brokers': [result], 'tls': {'endpoints': probes}, 'addresses': [nodes[key].host]},
                             'discovery': {'root': '/', 'services': services[key], 'infrastructure': {'rabbitmq': [], 'kafka': []},
                                           'listeners': [], 'errors': []}}
    if 'net' in nodes:
        net = nodes['net']
        ev['cmp-net'] = {'channels': ['mq'], 'mq': {'brokers': [], 'tls': {'endpoints': []}, 'addresses': [NET_CLIENT]},
                         'discovery': {'services': [_service('nova-compute', net.amqp_port, False, ca, address=NET_BROKER),
                                                    _service('neutron-openvswitch-agent', net.amqps_port, True, ca, address=NET_BROKER)],
                                       'infrastructure': {'rabbitmq': [], 'kafka': []}, 'listeners': [], 'root': '/', 'errors': []}}
    return ev


def _rule(control, evidence, hosts=None):
    ev = dict((h, e) for h, e in evidence.items() if hosts is None or h in hosts)
    return RULES[control](RuleContext(ev))


def _by_host(findings):
    out = {}
    for f in findings:
        out.setdefault(f['target'].get('host'), []).append(f)
    return out


# ----------------------------------------------------------------------------- the gatherer on real nodes

def test_gather_tls_node_contract(mq_lab, gathered):
    node = mq_lab.nodes['tls']
    result, probes = gathered['tls']
    assert result['present'] is True and result['listeners_source'] == 'live'
    assert result['live']['status'] == 'ok' and result['live']['node'] == node.nodename
    protos = sorted((l['protocol'], l['port']) for l in result['listeners'] if l['protocol'] != 'clustering')
    assert protos == sorted([('amqp/ssl', node.amqps_port), ('https', node.management_port)])
    mgmt = [l for l in result['listeners'] if l['protocol'] == 'https'][0]
    assert mgmt['address'] == '127.0.0.1' and mgmt['address_reported'] == '[::]'   # the CLI's [::] quirk corrected from the config
    assert result['config']['tcp_listeners_disabled'] is True
    assert result['config']['ssl_options']['eccs'] == ['x25519', 'secp256r1', 'secp384r1']   # advanced.config's ssl_options
    check = result['amqp_check']
    assert check['status'] == 'ok' and check['verified'] is True and check['server']['product'] == 'RabbitMQ'
    assert check['login']['status'] == 'ok'
    assert len(probes) == 2 and all(p['status'] == 'ok' for p in probes)
    for key in ('present', 'root', 'node', 'config', 'live', 'listeners', 'listeners_source', 'amqp_check', 'cli_env_keys'):
        assert key in result


def test_connections_show_which_services_are_plain(gathered):
    result, _probes = gathered['mixed']
    conns = result['live']['connections']
    assert conns['status'] == 'ok'
    by = dict((c['client'], c) for c in conns['summary']['clients'])
    assert by['nova-compute']['plain'] == 1 and by['nova-compute']['tls'] == 0
    assert by['cinder-volume']['plain'] == 1
    assert by['nova-conductor']['tls'] == 1 and by['nova-conductor']['plain'] == 0
    conductor = [c for c in conns['items'] if c['component'] == 'nova-conductor'][0]
    assert conductor['ssl'] is True and conductor['ssl_protocol'] in ('tlsv1.2', 'tlsv1.3') and conductor['service'] == 'nova'


# ----------------------------------------------------------------------------- scs-0125-mq-broker-tls

def test_broker_tls_passes_on_tls_only_mozilla_node(evidence):
    findings = _rule(BROKER, evidence, ['mq-tls'])
    assert len(findings) == 3, [(f['status'], f['message']) for f in findings]   # TLS enabled + AMQPS probe + HTTPS probe
    assert any('AMQP over TLS proven' in f['message'] for f in findings)
    # Erlang/OTP aborts a handshake that carries an early heartbeat; the TLS engine reads that as
    # "does not process early heartbeats" (not vulnerable), so every finding must pass.
    assert all(f['status'] == 'pass' for f in findings), [(f['status'], f['message']) for f in findings]


def test_broker_tls_fails_on_default_erlang_tls(evidence):
    findings = _rule(BROKER, evidence, ['mq-mixed'])
    fails = [f for f in findings if f['status'] == 'fail']
    assert len(fails) == 1 and 'fails the Mozilla intermediate check' in fails[0]['message'], [(f['status'], f['message']) for f in findings]
    # the plain listener is on loopback: reported, not failed
    assert any(f['status'] == 'pass' and 'loopback only' in f['message'] for f in findings)


def test_broker_tls_fails_without_ssl_listener(evidence):
    findings = _rule(BROKER, evidence, ['mq-plain'])
    assert [f['status'] for f in findings if 'no AMQPS' in f['message']] == ['fail']
    assert 'fail' in [f['status'] for f in findings]


# ----------------------------------------------------------------------------- scs-0125-mq-client-tls

def test_client_tls_live_overrides_config(evidence):
    findings = _by_host(_rule(CLIENT, evidence, ['mq-mixed']))['mq-mixed']
    by = dict((f['target'].get('service'), f) for f in findings)
    assert by['nova-conductor']['status'] == 'pass'
    assert by['nova-compute']['status'] == 'fail'
    assert 'live evidence overrides the configuration' in by['nova-compute']['message']
    assert by['cinder-volume']['status'] == 'fail' and 'no matching service configuration' in by['cinder-volume']['message']


def test_client_tls_pass_and_fail_nodes(evidence):
    # Other tests of the session may hold further TLS clients on this node (one finding per service
    # and peer): every one of them must pass, and there is at least one.
    statuses = [f['status'] for f in _rule(CLIENT, evidence, ['mq-tls'])]
    assert statuses and set(statuses) == {'pass'}, statuses
    plain = _rule(CLIENT, evidence, ['mq-plain'])
    assert [f['status'] for f in plain] == ['fail'] and 'TLS is off' in plain[0]['message']


def _need_net(mq_lab):
    if 'net' not in mq_lab.nodes:
        pytest.skip('no network namespace for the non-loopback scenario: %s' % mq_lab.netns_reason)


def test_plain_listener_on_the_network_and_used_fails(mq_lab, evidence):
    _need_net(mq_lab)
    node = mq_lab.nodes['net']
    findings = _rule(BROKER, evidence, ['mq-net', 'cmp-net'])
    plain = [f for f in findings if f['target'].get('endpoint') == '%s:%s' % (NET_BROKER, node.amqp_port)]
    assert [f['status'] for f in plain] == ['fail'], [(f['status'], f['message']) for f in findings]
    assert 'enabled and used' in plain[0]['message'] and 'nova-compute from %s' % NET_CLIENT in plain[0]['message']
    assert any(f['status'] == 'pass' and 'has TLS enabled' in f['message'] for f in findings)


def test_plain_http_management_on_the_network_fails(mq_lab, gathered, evidence):
    _need_net(mq_lab)
    node = mq_lab.nodes['net']
    result, _probes = gathered['net']
    where = '%s:%s' % (NET_BROKER, node.management_port)
    assert ('http', NET_BROKER, node.management_port) in [(l['protocol'], l['address'], l['port']) for l in result['listeners']]
    findings = [f for f in _rule(BROKER, evidence, ['mq-net', 'cmp-net']) if f['target'].get('endpoint') == where]
    assert [f['status'] for f in findings] == ['fail'] and 'in clear' in findings[0]['message']
    # the operator may decide otherwise, and the report says so
    ctx = RuleContext(dict((h, e) for h, e in evidence.items() if h in ('mq-net', 'cmp-net')), options={'mq_plain_management': 'manual'})
    assert [f['status'] for f in RULES[BROKER](ctx) if f['target'].get('endpoint') == where] == ['manual']


def test_client_tls_attributed_to_the_remote_host(mq_lab, evidence):
    _need_net(mq_lab)
    findings = _rule(CLIENT, evidence, ['mq-net', 'cmp-net'])
    by = dict((f['target'].get('service'), f) for f in findings)
    assert set(by) == {'nova-compute', 'neutron-openvswitch-agent'}, [(f['status'], f['message']) for f in findings]
    assert by['nova-compute']['status'] == 'fail' and by['nova-compute']['target']['host'] == 'cmp-net'
    assert by['nova-compute']['evidence']['live_connections'][0]['peer_host'] == NET_CLIENT
    assert by['neutron-openvswitch-agent']['status'] == 'pass' and 'use TLS' in by['neutron-openvswitch-agent']['message']


def test_kafka_controls_not_applicable_with_rabbitmq_only(evidence):
    for control in (KAFKA_LISTENER, KAFKA_CLIENT):
        assert [f['status'] for f in _rule(control, evidence)] == ['not_applicable']


def test_whole_evaluation_and_no_password_anywhere(mq_lab, gathered, evidence):
    findings = evaluate(evidence)
    mq = [f for f in findings if f['channel'] == 'mq']
    assert set(f['control_id'] for f in mq) == {BROKER, CLIENT, KAFKA_LISTENER, KAFKA_CLIENT}
    text = json.dumps([gathered, evidence, findings], default=str)
    for node in mq_lab.nodes.values():
        assert node.password not in text
    # the passwords are in the real rabbitmq.conf files the gatherer read
    with open(mq_lab.nodes['tls'].conf_file) as handle:
        assert mq_lab.nodes['tls'].password in handle.read()


def test_html_report_shows_which_services_connections_are_plain(mq_lab, evidence):
    hosts = ['mq-tls', 'mq-mixed', 'mq-plain']
    ev = dict((h, evidence[h]) for h in hosts)
    run = {'collection': 'scs.secure_connections', 'collection_version': '0.1.0', 'standard': 'scs-0125-v1',
           'mozilla': {'guidelines_version': 5.7, 'level': 'intermediate'}, 'hosts': hosts, 'channels': ['mq'],
           'started': '2026-11-22T10:00:00Z', 'finished': '2026-11-22T10:00:05Z'}
    report = build_report(evaluate(ev, options={'channels': ['mq']}), run, evidence_by_host=ev)
    page = html.unescape(re.sub(r'<[^>]+>', ' ', render_html(report)))
    mixed = mq_lab.nodes['mixed']
    # the mixed node: nova-conductor over TLS; nova-compute (configured for TLS) and cinder-volume over plain AMQP
    assert 'nova-compute: live connections are plain (1 plain, 0 TLS: nova-compute from 127.0.0.1 (1))' in page
    assert 'live evidence overrides the configuration' in page
    assert 'plain AMQP connection(s) of cinder-volume from 127.0.0.1' in page
    assert 'nova-conductor: all 1 live connection(s) use TLS' in page
    assert '127.0.0.1:%s' % mixed.amqp_port in page
    for node in mq_lab.nodes.values():
        assert node.password not in page


# ----------------------------------------------------------------------------- clear errors

def test_broker_down_gives_node_down_and_an_error_finding(mq_lab, tmp_path, ansible_module):
    node = mq_lab.nodes['mixed']
    env = dict(node.cli_env, ERL_EPMD_PORT=str(free_port()), RABBITMQ_NODENAME='gone@localhost')   # no epmd, no node there
    result = rmq.gather(node_params(node, cli_env=env), module=ansible_module)
    assert result['live']['status'] == 'error' and result['live']['error']['kind'] == 'node_down', result['live']['error']
    assert result['listeners_source'] == 'config'
    findings = _rule(BROKER, {'down': {'channels': ['mq'], 'mq': {'brokers': [result], 'tls': {'endpoints': []}}}})
    errors = [f for f in findings if f['status'] == 'error']
    assert errors and 'node_down' in errors[0]['message'] and 'judged from the configuration' in errors[0]['message']
    assert not [p for p in os.listdir('/proc') if p.isdigit() and _is_stray_epmd(p, env['ERL_EPMD_PORT'])]


def _is_stray_epmd(pid, port):
    try:
        with open('/proc/%s/cmdline' % pid, 'rb') as handle:
            if b'epmd' not in handle.read():
                return False
        with open('/proc/%s/environ' % pid, 'rb') as handle:
            return ('ERL_EPMD_PORT=%s' % port).encode() in handle.read().split(b'\0')
    except OSError:
        return False


def test_wrong_node_name_is_node_down(mq_lab, ansible_module):
    node = mq_lab.nodes['tls']
    result = rmq.gather(node_params(node, cli_env=dict(node.cli_env, RABBITMQ_NODENAME='nosuch@localhost')), module=ansible_module)
    assert result['live']['error']['kind'] == 'node_down'
    assert 'not running at all' in result['live']['error']['message']


def test_wrong_cookie_is_permission(mq_lab, tmp_path, ansible_module):
    node = mq_lab.nodes['tls']
    cookie = tmp_path / '.erlang.cookie'
    cookie.write_text('NOTTHENODESCOOKIE')
    cookie.chmod(0o400)
    result = rmq.gather(node_params(node, cli_env=dict(node.cli_env, HOME=str(tmp_path))), module=ansible_module)
    err = result['live']['error']
    assert err['kind'] == 'permission' and 'Erlang cookie mismatch' in err['message'], err
    assert result['present'] is True      # a node that refuses us is still a broker
    findings = _rule(BROKER, {'h': {'channels': ['mq'], 'mq': {'brokers': [result], 'tls': {'endpoints': []}}}})
    assert any(f['status'] == 'error' and 'permission' in f['message'] for f in findings)


def test_cli_as_non_root_is_permission(mq_lab):
    """The Debian wrappers refuse anyone but root and rabbitmq: run the gatherer as nobody."""
    runuser = shutil.which('runuser')
    if os.geteuid() != 0 or not runuser:
        pytest.skip('needs root and runuser to act as an unprivileged user')
    code = ('import json, sys; sys.path.insert(0, %r); import conftest; '
            'from ansible_collections.scs.secure_connections.plugins.module_utils._gather.rabbitmq import gather; '
            'from lab.module import ansible_module; '
            'print(json.dumps(gather({"root": "/", "live": True, "cli_path": "/usr/sbin", "cli_timeout": 30}, '
            'module=ansible_module())["live"]))' % REPO)
    proc = subprocess.run([runuser, '-u', 'nobody', '--', sys.executable, '-c', code], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          timeout=120, cwd='/', check=False)
    assert proc.returncode == 0, proc.stderr.decode()[-2000:]
    live = json.loads(proc.stdout.decode().strip().splitlines()[-1])
    assert live['status'] == 'error' and live['error']['kind'] == 'permission', live
    assert 'root or as the rabbitmq user' in live['error']['message']


def test_malformed_rabbitmq_conf(mq_lab, tmp_path):
    node = mq_lab.nodes['tls']
    bad = tmp_path / 'rabbitmq.conf'
    with open(node.conf_file) as handle:
        text = handle.read()
    bad.write_text(text.replace('listeners.tcp = none', 'listeners.tcp none'))
    result = rmq.gather(node_params(node, config_files=[str(bad)], live=False))
    errors = result['config']['errors']
    assert errors and errors[0]['file'] == str(bad) and errors[0]['line'] == text.splitlines().index('listeners.tcp = none') + 1
    findings = _rule(BROKER, {'h': {'channels': ['mq'], 'mq': {'brokers': [result], 'tls': {'endpoints': []}}}})
    assert any(f['status'] == 'error' and 'malformed' in f['message'] and f['target'].get('file') == str(bad) for f in findings)
    assert node.password not in json.dumps([result, findings])


def test_real_rabbitmq_refuses_the_malformed_conf(mq_lab, tmp_path):
    """The claim behind the error finding: RabbitMQ does not start with such a file."""
    with pytest.raises(LabError):
        labmq.start_rabbitmq(str(tmp_path / 'bad'), tls=False, plain=True, ca=mq_lab.ca, extra_conf=['listeners.ssl none'], timeout=40)
