# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Round trips of remediate_host on REAL services: failing server -> role -> restart -> re-audit with the real gatherer.

What is real: the servers (RabbitMQ from lab/rabbitmq.py, libvirtd from lab/libvirt.py, MariaDB from lab/mariadb.py,
in temp dirs on loopback), their configuration files the role edits, the certificates (issued by the role with
community.crypto from a CA made here, standing in for the operator's CA), the gatherers (rabbitmq_tls_info,
libvirt_tls_info, the MariaDB server query), the TLS probes, the evaluator, the clients (pika, virsh, PyMySQL).
What is not: the service side of discovery (which service uses which URL) is written in discovery's documented
shape, as in the other integration tests; the restarts are done by the test (the role names them, it never
restarts a service).
"""

from __future__ import absolute_import, division, print_function

import json
import os
import ssl

import pytest

from ansible_collections.scs.secure_connections.plugins.module_utils._gather import rabbitmq as rmq
from ansible_collections.scs.secure_connections.plugins.module_utils._tls.scan import scan_endpoints
from kolla_reports import report_for
from lab import rabbitmq as labmq
from lab.pki import CA
from lab.proc import Process, free_port, wait_port

PLAY = """
- hosts: localhost
  gather_facts: false
  roles:
    - role: scs.secure_connections.remediate_host
"""
BROKER, CLIENT = 'scs-0125-mq-broker-tls', 'scs-0125-mq-client-tls'


def _restart_rabbitmq(node):
    """Stop the node and start it again on its (edited) configuration files, as the operator would after the role."""
    node.stop()
    workdir = node.workdir
    env = dict(os.environ, LC_ALL='C', **node.cli_env)
    env.update({'RABBITMQ_MNESIA_BASE': os.path.join(workdir, 'mnesia'), 'RABBITMQ_LOG_BASE': os.path.join(workdir, 'log'),
                'RABBITMQ_PID_FILE': os.path.join(workdir, 'rabbitmq.pid'), 'RABBITMQ_DIST_PORT': str(node.dist_port),
                'RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS': '-kernel inet_dist_use_interface {127,0,0,1}'})
    node.epmd = Process('epmd-%s' % node.name, [labmq.epmd_binary(), '-address', '127.0.0.1', '-port', str(node.epmd_port)],
                        os.path.join(workdir, 'epmd.log'), cwd=workdir, env=dict(os.environ, LC_ALL='C'))
    wait_port('127.0.0.1', node.epmd_port, timeout=10, proc=node.epmd.popen, name='epmd')
    node.server = Process('rabbitmq-%s' % node.name, [labmq.SERVER], node.log, cwd=workdir, env=env)
    node._stopped = False  # pylint: disable=protected-access
    for port in (node.amqp_port, node.amqps_port):
        wait_port(node.host, port, timeout=90, proc=node.server.popen, name='rabbitmq', log=node.log)


def _mq_evidence(node, ansible_module, ca_file, client_tls):
    params = {'root': '/', 'config_files': [node.conf_file, node.advanced_file, node.cli_env['RABBITMQ_ENABLED_PLUGINS_FILE']],
              'live': True, 'list_connections': True, 'cli_env': dict(node.cli_env), 'cli_timeout': 30, 'max_connections': 1000}
    if node.amqps_port and os.path.exists(ca_file):
        params['amqp_check'] = {'host': node.host, 'port': node.amqps_port, 'ca_file': ca_file, 'server_name': 'localhost',
                                'user': node.user, 'password': node.password, 'vhost': '/', 'timeout': 10, 'tls': True,
                                'verify': True, 'check_hostname': True}
    result = rmq.gather(params, module=ansible_module)
    probes = scan_endpoints([{'host': node.host, 'port': l['port'], 'server_name': 'localhost', 'label': 'rabbitmq amqp/ssl'}
                             for l in result['listeners'] if l['protocol'] == 'amqp/ssl'], {'ca_files': [ca_file], 'timeout': 5})
    port = node.amqps_port if client_tls else node.amqp_port
    service = {'service': 'nova', 'component': 'nova-conductor', 'layout': 'distro', 'files': ['/etc/nova/nova.conf'], 'errors': [],
               'transport_urls': [{'file': '/etc/nova/nova.conf', 'section': 'DEFAULT', 'option': 'transport_url', 'purpose': 'rpc',
                                   'url': 'rabbit://%s:********@127.0.0.1:%d//' % (node.user, port), 'scheme': 'rabbit',
                                   'hosts': [{'host': '127.0.0.1', 'port': port, 'user': node.user}], 'virtual_host': '/', 'query': {}}],
               'rabbit': {'ssl': True, 'ssl_ca_file': ca_file} if client_tls else {}, 'kafka': {}, 'database_urls': [], 'api_clients': []}
    return {'mq1': {'channels': ['mq'], 'mq': {'brokers': [result], 'tls': {'endpoints': probes}, 'addresses': [node.host]},
                    'discovery': {'root': '/', 'services': [service], 'infrastructure': {'rabbitmq': [], 'kafka': []}, 'listeners': [],
                                  'errors': []}}}


def _remediate(runner, extra, second_run=False):
    """One run of the remediation play, which must succeed; the second run of a round trip must change nothing."""
    rc, log = runner.playbook(PLAY, extra)
    assert rc == 0, log
    if second_run:
        assert 'changed=0' in log, log
    return log


def _statuses(report, cid):
    return [(f['status'], f['target'].get('setting'), f['message'][:160]) for f in report['findings'] if f['control_id'] == cid]


def _amqps_connects(node, ca_file):
    import pika  # pylint: disable=import-outside-toplevel
    ctx = ssl.create_default_context(cafile=ca_file)
    params = pika.ConnectionParameters(node.host, node.amqps_port, '/', pika.PlainCredentials(node.user, node.password),
                                       ssl_options=pika.SSLOptions(ctx, 'localhost'), heartbeat=0, socket_timeout=10,
                                       connection_attempts=2, retry_delay=1)
    conn = pika.BlockingConnection(params)
    conn.close()


def test_rabbitmq_tls_listener_round_trip(runner, tmp_path, ansible_module):
    reason = labmq.available()
    if reason:
        pytest.skip('RabbitMQ cannot run here: %s' % reason)
    ca = CA(str(tmp_path / 'operator-ca'), name='Operator CA')   # stands in for the operator's CA
    node = labmq.start_rabbitmq(str(tmp_path / 'mq'), tls=False, plain=True, ca=ca)
    try:
        ssl_dir = tmp_path / 'rabbitmq-ssl'
        files = {'cert': str(ssl_dir / 'server-cert.pem'), 'key': str(ssl_dir / 'server-key.pem'), 'ca': str(ssl_dir / 'ca.pem')}
        before = report_for(_mq_evidence(node, ansible_module, files['ca'], client_tls=False))
        assert ('fail', 'listeners.ssl') in [s[:2] for s in _statuses(before, BROKER)], _statuses(before, BROKER)
        (tmp_path / 'before.json').write_text(json.dumps(before))
        tls_port = free_port()
        extra = {'remediate_host_name': 'mq1', 'remediate_host_report_file': str(tmp_path / 'before.json'),
                 'remediate_host_controls': [BROKER], 'remediate_host_rabbitmq_conf': node.conf_file,
                 'remediate_host_rabbitmq_tls_listener': '127.0.0.1:%d' % tls_port, 'remediate_host_ca_cert': ca.cert,
                 'remediate_host_ca_key': ca.key, 'remediate_host_cert_sans': ['localhost', '127.0.0.1'], 'remediate_host_key_groups': {},
                 'remediate_host_cert_files': {'rabbitmq': files}, 'remediate_host_rabbitmq_advanced_config': node.advanced_file}
        log = _remediate(runner, extra)
        assert 'Restart for the changes to take effect: rabbitmq-server' in log
        with open(node.conf_file) as handle:
            conf = handle.read()
        assert 'listeners.ssl.default = 127.0.0.1:%d' % tls_port in conf
        assert 'listeners.tcp.default = 127.0.0.1:%d' % node.amqp_port in conf, 'the plain listener stays (nova still uses it)'

        node.amqps_port = tls_port
        _restart_rabbitmq(node)
        after = report_for(_mq_evidence(node, ansible_module, files['ca'], client_tls=True))
        broker = _statuses(after, BROKER)
        assert 'has no AMQPS' not in json.dumps(broker) and all(s[0] == 'pass' for s in broker), broker
        assert any('passes the Mozilla intermediate check' in s[2] for s in broker) and any('has TLS enabled' in s[2] for s in broker), broker
        assert [s[0] for s in _statuses(after, CLIENT)] == ['pass'], _statuses(after, CLIENT)
        _amqps_connects(node, files['ca'])   # a client over TLS, verifying the issued certificate against the CA

        _remediate(runner, extra, second_run=True)
    finally:
        node.stop()


def _lv_report(daemon, pki):
    from ansible_collections.scs.secure_connections.plugins.module_utils._gather import libvirt as _libvirt  # pylint: disable=import-outside-toplevel
    from lab.hv_trees import host_evidence  # pylint: disable=import-outside-toplevel
    gathered = _libvirt.gather(root='/', proc_path='/proc', probe=True, timeout=3, client_pki_path=pki)
    mine = [item for item in gathered['listeners'] if item['pid'] == daemon.pid]
    assert mine, 'the gatherer did not see the lab daemon %s: %s' % (daemon.pid, gathered['listeners'])
    # nova's [libvirt] options in discovery's shape: it migrates over qemu+tls
    nova = {'services': [{'service': 'nova', 'component': None, 'layout': 'distro', 'files': ['/etc/nova/nova.conf'],
                          'libvirt': {'live_migration_scheme': 'tls', 'live_migration_with_native_tls': None, 'live_migration_uri': None,
                                      'live_migration_tunnelled': None, 'live_migration_inbound_addr': None}}]}
    evidence = {'cmp1': host_evidence(gathered, nova)}
    return report_for(evidence), mine


def test_libvirtd_tcp_to_tls_round_trip(runner, tmp_path):
    """A libvirtd exposed on plain TCP (SASL) on all interfaces of its own network namespace -> remediate_host closes TCP,
    turns TLS on with a server and a client certificate issued from the CA -> restart -> re-audit: exposure passes, and
    the real virsh connects over TLS with the issued client certificate (and not without one)."""
    from lab import libvirt as lab_libvirt  # pylint: disable=import-outside-toplevel
    if not (lab_libvirt.libvirtd_binary() and lab_libvirt.virsh_binary()):
        pytest.skip('libvirtd and virsh are not installed (libvirt-daemon libvirt-clients libvirt-daemon-system-sysv)')
    if not lab_libvirt.namespaces_available():
        pytest.skip('an exposed lab libvirtd needs a private network namespace (unshare/nsenter as root)')
    exposure = 'scs-0125-hv-libvirt-exposure'
    ca = CA(str(tmp_path / 'operator-ca'), name='Operator CA')
    daemon = lab_libvirt.start_libvirtd(str(tmp_path / 'lv'), mode='tcp-sasl', netns=True)
    try:
        before, _socks = _lv_report(daemon, None)
        assert [(f['status'], f['target'].get('setting')) for f in before['findings'] if f['control_id'] == exposure] == [('fail', 'listen_tcp')]
        (tmp_path / 'before.json').write_text(json.dumps(before))
        pki = tmp_path / 'client-pki'   # libvirt's client layout, for virsh ?pkipath=
        server = tmp_path / 'server-pki'
        extra = {'remediate_host_name': 'cmp1', 'remediate_host_report_file': str(tmp_path / 'before.json'),
                 'remediate_host_controls': [exposure], 'remediate_host_ca_cert': ca.cert, 'remediate_host_ca_key': ca.key,
                 'remediate_host_cert_sans': ['localhost', '127.0.0.1'], 'remediate_host_cert_organization': 'SCS Lab',
                 'remediate_host_key_groups': {},
                 'remediate_host_cert_files': {
                     'libvirt_server': {'cert': str(server / 'servercert.pem'), 'key': str(server / 'serverkey.pem'), 'ca': str(server / 'cacert.pem')},
                     'libvirt_client': {'cert': str(pki / 'clientcert.pem'), 'key': str(pki / 'clientkey.pem'), 'ca': str(pki / 'cacert.pem')}}}
        log = _remediate(runner, extra)
        with open(daemon.conf) as handle:
            lines = handle.read().splitlines()
        assert 'listen_tcp = 0' in lines and 'listen_tls = 1' in lines and 'cert_file = "%s"' % (server / 'servercert.pem') in lines
        assert 'Restart for the changes to take effect: libvirtd' in log

        daemon.restart(16514, 'tls-verify')   # libvirt's default tls_port, free inside the daemon's own namespace
        after, socks = _lv_report(daemon, str(pki))
        assert [s['transport'] for s in socks] == ['tls'], socks
        assert [(f['status'], f['target'].get('setting')) for f in after['findings'] if f['control_id'] == exposure] == \
            [('pass', 'tls_no_verify_certificate')]
        own = [f for f in after['findings'] if f['control_id'] == 'scs-0125-hv-libvirt-client-cert' and not f['target'].get('endpoint')]
        assert [f['status'] for f in own] == ['pass'] and 'O=SCS Lab,CN=cmp1' in own[0]['message'], own
        # the real client: virsh over TLS with the issued client certificate works; without one libvirt hangs up
        cmd = ['nsenter', '-t', str(daemon.pid), '-n', lab_libvirt.virsh_binary(), '-c',
               'qemu+tls://localhost:16514/system?pkipath=%s' % pki, 'list']
        import subprocess  # pylint: disable=import-outside-toplevel
        done = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=30, check=False, universal_newlines=True,
                              env=dict(os.environ, LC_ALL='C', HOME=str(tmp_path)))
        assert done.returncode == 0, done.stderr
        daemon.ca = ca   # the handshake checks the server against the operator's CA
        assert daemon.tls_session(None) == 'closed'

        _remediate(runner, extra, second_run=True)
    finally:
        daemon.stop()


def test_mariadb_server_tls_round_trip(runner, tmp_path):
    """A MariaDB without TLS (have_ssl DISABLED) -> remediate_host writes ssl_cert/ssl_key/ssl_ca (certificate issued from the
    CA) into its option file -> restart -> the real server query: db-server-tls passes, a client connects with verified TLS.
    The TLS probe of the port (Mozilla check) is not part of this round trip: the key exchange groups have no server option."""
    import subprocess  # pylint: disable=import-outside-toplevel
    import time  # pylint: disable=import-outside-toplevel
    import pymysql  # pylint: disable=import-outside-toplevel
    from lab import mariadb as lab_mariadb  # pylint: disable=import-outside-toplevel
    from test_remediate_host_mariadb import _evidence  # pylint: disable=import-outside-toplevel
    bins = lab_mariadb.binaries()
    if bins is None:
        pytest.skip('MariaDB is not installed (Debian packages mariadb-server mariadb-client)')
    server_tls = 'scs-0125-db-server-tls'
    ca = CA(str(tmp_path / 'operator-ca'), name='Operator CA')
    db = lab_mariadb.start_mariadb(str(tmp_path / 'db'), tls=False)
    try:
        audit = lab_mariadb.create_audit_account(db, 'scs_audit', privileged=True)
        before = report_for(_evidence(db, audit, None))
        assert [f['status'] for f in before['findings'] if f['control_id'] == server_tls] == ['fail']
        (tmp_path / 'before.json').write_text(json.dumps(before))
        ssl_dir = tmp_path / 'mysql-ssl'
        files = {'cert': str(ssl_dir / 'server-cert.pem'), 'key': str(ssl_dir / 'server-key.pem'), 'ca': str(ssl_dir / 'ca.pem')}
        extra = {'remediate_host_name': 'db1', 'remediate_host_report_file': str(tmp_path / 'before.json'),
                 'remediate_host_controls': [server_tls], 'remediate_host_mysql_server_conf': db.cnf,
                 'remediate_host_mysql_server_section': 'mariadbd', 'remediate_host_ca_cert': ca.cert, 'remediate_host_ca_key': ca.key,
                 'remediate_host_cert_sans': ['localhost', '127.0.0.1'], 'remediate_host_key_groups': {},
                 'remediate_host_cert_files': {'mariadb': files}}
        log = _remediate(runner, extra)
        assert 'Restart for the changes to take effect: mariadb' in log

        db.stop()   # restart on the edited option file, as the operator would
        db.process = Process('mariadb', [bins[0], '--defaults-file=%s' % db.cnf], os.path.join(db.workdir, 'mariadbd.out'), cwd=db.workdir)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            ping = subprocess.run([bins[2], '--no-defaults', '--socket=%s' % db.socket, '--user=root', '--password=%s' % db.root_password,
                                   '--connect-timeout=2', 'ping'], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=30, check=False)
            if ping.returncode == 0:
                break
            assert db.process.alive(), open(db.log).read()[-2000:]
            time.sleep(0.2)
        after = report_for(_evidence(db, audit, None))
        status = [(f['status'], f['message']) for f in after['findings'] if f['control_id'] == server_tls]
        assert [s[0] for s in status] == ['pass'] and 'have_ssl = YES' in status[0][1], status
        conn = pymysql.connect(host='127.0.0.1', port=db.port, user='scs_audit', password=audit, connect_timeout=5,
                               ssl_ca=files['ca'], ssl_verify_identity=True)   # verified against the CA, name 127.0.0.1 in the SAN
        with conn.cursor() as cur:
            cur.execute("SHOW STATUS LIKE 'Ssl_version'")
            assert cur.fetchone()[1] in ('TLSv1.2', 'TLSv1.3')
        conn.close()

        _remediate(runner, extra, second_run=True)
    finally:
        db.stop()
