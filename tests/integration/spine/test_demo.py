# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The README's demo: its report matches what the lab really has, and nothing is left running.

The expectations come from the lab itself: the TLS corpus catalogue (lab/tls_servers.py), the
MariaDB accounts and their REQUIRE clauses (lab/mariadb.py), the RabbitMQ clients and listeners
and the libvirtd modes (lab/demo_config.py) and Keystone's mixed catalog rows with the verdict
each must get (lab/keystone.py); ports and labels come from the demo's manifest (demo-lab.json).
"""

from __future__ import absolute_import, division, print_function

import json
import os
import re
import shutil
import subprocess
import sys

import pytest

from lab import demo_config as cfg
from lab.paths import REPO

DB_SERVER_TLS = 'scs-0125-db-server-tls'
DB_REQUIRE_SSL = 'scs-0125-db-require-ssl'
DB_X509 = 'scs-0125-db-x509-auth'
MQ_BROKER = 'scs-0125-mq-broker-tls'
MQ_CLIENT = 'scs-0125-mq-client-tls'
API_PUBLIC = 'scs-0125-api-public-tls'
API_INTERNAL = 'scs-0125-api-internal-tls'
HV_EXPOSURE = 'scs-0125-hv-libvirt-exposure'
HV_CLIENT_CERT = 'scs-0125-hv-libvirt-client-cert'
TLS_MOZILLA = 'scs-0125-tls-mozilla'

# The TLS engine cannot yet finish its Heartbleed test against Erlang's TLS (docs/channel-mq.md,
# "Measured on RabbitMQ"): the Mozilla verdict of an AMQPS port is then undetermined, an error
# naming that criterion. Accepted in place of the pass the tuned node deserves, nothing else.


def _missing():
    """Services whose binaries are not installed here (the demo must then report them, not crash)."""
    from lab import keystone, libvirt, mariadb, rabbitmq  # pylint: disable=import-outside-toplevel
    out = {}
    if not mariadb.binaries():
        out['mariadb'] = 'mariadbd / mariadb-install-db not found'
    if rabbitmq.available():
        out['rabbitmq'] = rabbitmq.available()
    if keystone.available():
        out['keystone'] = keystone.available()
    if not libvirt.libvirtd_binary():
        out['libvirt'] = 'libvirtd not found'
    return out


def _lab_leftovers(workdir, manifest):
    """Lab processes still running: any recorded by the demo (PID and start time), any naming its work
    directory in command line, working directory or environment."""
    from lab.demo import lab_processes, same_process  # pylint: disable=import-outside-toplevel
    left = lab_processes(workdir, {})
    left.update((p['pid'], 'recorded by the demo') for p in manifest.get('processes', []) if same_process(p['pid'], p['start']))
    return left


def _epmds(epmd_port=None):
    """Running epmd processes (``-port epmd_port`` when given)."""
    out = []
    for pid in [int(p) for p in os.listdir('/proc') if p.isdigit()]:
        try:
            with open('/proc/%d/cmdline' % pid, 'rb') as handle:
                argv = handle.read().split(b'\0')
        except (IOError, OSError):
            continue
        if argv and os.path.basename(argv[0]) == b'epmd':
            if epmd_port is None or str(epmd_port).encode() in argv:
                out.append(pid)
    return out


@pytest.fixture(scope='module')
def demo_run(tmp_path_factory):
    out = tmp_path_factory.mktemp('demo') / 'out'
    proc = subprocess.run([sys.executable, '-m', 'lab.demo', '--output', str(out)], cwd=REPO, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, universal_newlines=True, timeout=900, check=False)
    manifest_path = out / cfg.MANIFEST
    manifest = json.loads(manifest_path.read_text()) if manifest_path.exists() else {}
    report_path = out / 'scs-0125-report.json'
    report = json.loads(report_path.read_text()) if report_path.exists() else None
    return {'proc': proc, 'out': out, 'manifest': manifest, 'report': report}


def _pick(report, control, **target):
    return [f for f in report['findings'] if f['control_id'] == control and all(f['target'].get(k) == v for k, v in target.items())]


def _statuses(report, control, **target):
    return sorted(f['status'] for f in _pick(report, control, **target))


def _service(demo_run, name):
    """The manifest entry of a lab service; skips the checks of a service whose binary is missing."""
    service = demo_run['manifest']['services'][name]
    missing = _missing()
    if name in missing:
        assert service['status'] == 'failed' and service['reason'], service
        pytest.skip('%s is not installed here (%s): the demo reported it and left its channel out' % (name, missing[name]))
    assert service['status'] == 'ok', '%s did not start: %s' % (name, service['reason'])
    return service['info']


def test_demo_runs_and_stops_everything(demo_run):
    proc = demo_run['proc']
    assert proc.returncode == 0, proc.stdout[-8000:]
    assert 'Reports:' in proc.stdout and 'nothing left running' in proc.stdout
    for name in ('Controls:', 'Nodes:', 'Lab services:'):
        assert name in proc.stdout
    report, manifest = demo_run['report'], demo_run['manifest']
    assert report['verdict'] == 'non_conformant'
    # a newcomer's first screen: no traceback, no [ERROR] line (findings are not printed that way)
    playbook_log = (demo_run['out'] / 'ansible-playbook.log').read_text()
    for text in (proc.stdout, playbook_log):
        assert 'Traceback' not in text and '[ERROR]' not in text, [l for l in text.splitlines() if 'ERROR' in l or 'Traceback' in l][:10]
    # the summary's control table is the report's: one row per control, with its status
    for row in report['controls']:
        assert ('%s ' % row['id']) in proc.stdout and row['status'].upper() in proc.stdout
    for name in ('scs-0125-report.html', 'scs-0125-report.md', 'scs-0125-report.junit.xml', 'scs-0125-results.txt'):
        assert (demo_run['out'] / name).exists(), name
    # every channel of a started service, plus the fixture-only channels, was gathered and reported
    started = [cfg.SERVICES[n]['channel'] for n, s in manifest['services'].items() if s['status'] == 'ok']
    assert sorted(report['run']['channels']) == sorted(set(started + cfg.FIXTURE_CHANNELS))
    assert sorted(manifest['channels']) == sorted(report['run']['channels'])
    # nothing the lab started is left: no recorded PID, no process naming the lab's work directory
    # (command line, working directory or environment: gunicorn/nginx workers, epmd started by a
    # RabbitMQ CLI call with the node's HOME), and not the node's own epmd
    workdir = manifest['workdir']
    assert os.path.basename(workdir).startswith('scs-demo-')
    assert not os.path.exists(workdir), 'the work directory was not removed'
    assert _lab_leftovers(workdir, manifest) == {}
    # every started service's processes were recorded (launcher PIDs and the workers in their sessions)
    for name, service in manifest['services'].items():
        if service['status'] == 'ok':
            assert service['pids'] and set(service['pids']) <= set(manifest['pids']), name
    if manifest['services']['keystone']['status'] == 'ok':      # gunicorn master + worker, nginx master + worker
        assert len(manifest['pids']) >= len([p for s in manifest['services'].values() for p in s['pids']]) + 2
    if manifest['services']['rabbitmq']['status'] == 'ok':
        assert _epmds(manifest['services']['rabbitmq']['info']['epmd_port']) == []
    # the lab's passwords (audit login 'audit-<16 hex>', service accounts 'pw-<user>-<8 hex>') reach
    # neither the summary, the ansible-playbook output, the report nor the manifest
    texts = [proc.stdout] + [(demo_run['out'] / name).read_text() for name in
                             ('ansible-playbook.log', 'scs-0125-report.json', 'scs-0125-report.md', cfg.MANIFEST)]
    for text in texts:
        assert not re.search(r'audit-[0-9a-f]{16}|pw-[a-z_]+-[0-9a-f]{8}', text)
    for name in ('password', 'audit_password', 'cloud', 'cli_env'):
        assert all(name not in s['info'] for s in manifest['services'].values()), name


def test_tls_corpus_targets(demo_run):
    from lab.tls_servers import MEMBERS  # pylint: disable=import-outside-toplevel
    report = demo_run['report']
    expected = dict((m.name, m.expected) for m in MEMBERS)
    statuses = {}
    for finding in _pick(report, TLS_MOZILLA):
        statuses[(finding['target']['host'], finding['evidence'].get('label'))] = finding['status']
    for host, node in cfg.NODES.items():
        for name in node['tls']:
            want = 'pass' if expected[name] == 'compliant' else 'fail'
            assert statuses.get((host, name)) == want, (host, name, statuses)


def test_mariadb_targets(demo_run):
    from lab.mariadb import SERVICE_ACCOUNTS  # pylint: disable=import-outside-toplevel
    db = _service(demo_run, 'mariadb')
    report = demo_run['report']
    label = db['label']
    # TLS configured and tuned to Mozilla intermediate (start_mariadb(mozilla=True)), probed with STARTTLS
    assert _statuses(report, DB_SERVER_TLS, host='control-1', endpoint=label) == ['pass']
    probe = _pick(report, TLS_MOZILLA, host='control-1', endpoint='%s:%d (STARTTLS mysql)' % (db['host'], db['port']))
    assert [(f['status'], f['evidence'].get('label')) for f in probe] == [('pass', label)]
    # REQUIRE NONE fails db-require-ssl, every REQUIRE clause (SSL, X509, SUBJECT, CIPHER) passes it
    for user, require in SERVICE_ACCOUNTS:
        account = "'%s'@'%%'" % user
        want = 'fail' if not require else 'pass'
        assert _statuses(report, DB_REQUIRE_SSL, host='control-1', endpoint=label, account=account) == [want], account
        x509 = _pick(report, DB_X509, host='control-1', endpoint=label, account=account)
        assert len(x509) == 1, account
        if require.split(' ', maxsplit=1)[0] in ('X509', 'SUBJECT', 'ISSUER'):
            # a certificate is required: the verdict then rests on the services' URLs (ssl_cert/ssl_key)
            assert x509[0]['target'].get('setting') != 'ssl_type', x509[0]
        else:
            assert (x509[0]['status'], x509[0]['target'].get('setting')) == ('fail', 'ssl_type'), x509[0]
    # the other nodes asked no server, but both carry a database server's option files (compute-1's distro tree has
    # [mysqld] with ssl_cert, ssl_key and ssl_ca; network-1 reads this machine's /, where the lab's MariaDB is
    # installed): not queried, so judged from the option files where they decide (and the message says so) or
    # not_assessed - never not_applicable (PASS) for a server nobody assessed
    for host in ('network-1', 'compute-1'):
        findings = _pick(report, DB_SERVER_TLS, host=host)
        assert findings and all(f['status'] != 'not_applicable' for f in findings), (host, findings)
        for finding in findings:
            if finding['status'] in ('pass', 'fail'):
                assert 'option files; no live query' in finding['message'], finding
    assert [f['status'] for f in _pick(report, DB_SERVER_TLS, host='compute-1')] == ['pass']


def test_rabbitmq_targets(demo_run):
    mq = _service(demo_run, 'rabbitmq')
    report = demo_run['report']
    amqps = '%s:%d' % (mq['host'], mq['amqps_port'])
    amqp = '%s:%d' % (mq['host'], mq['amqp_port'])
    # an AMQPS listener (seen on the live node, AMQP over TLS proven by the AMQP check) ...
    listener = _pick(report, MQ_BROKER, host='network-1', endpoint=amqps, setting='listeners.ssl')
    assert [f['status'] for f in listener] == ['pass']
    assert 'from the live node' in listener[0]['message'] and 'AMQP over TLS proven' in listener[0]['message']
    # ... whose TLS uses Mozilla's intermediate suites and curves
    probes = [f for f in _pick(report, MQ_BROKER, host='network-1', endpoint=amqps) if not f['target'].get('setting')]
    assert [f['status'] for f in probes] == ['pass'], probes
    mozilla = _pick(report, TLS_MOZILLA, host='network-1', endpoint=amqps)
    assert [f['status'] for f in mozilla] == ['pass'], mozilla
    # the plain listener is bound to 127.0.0.1 only
    assert _statuses(report, MQ_BROKER, host='network-1', endpoint=amqp, setting='listeners.tcp') == ['pass']
    # the live connections: a client over TLS passes, a client over plain AMQP fails
    assert len(mq['clients']) == len(cfg.MQ_CLIENTS)
    for client in mq['clients']:
        component = client['connection_name'].split(':')[0]
        found = _pick(report, MQ_CLIENT, host='network-1', service=component)
        assert [f['status'] for f in found] == ['pass' if client['tls'] else 'fail'], (component, found)
        assert 'live:' in found[0]['message']


def test_keystone_targets(demo_run):
    ks = _service(demo_run, 'keystone')
    report = demo_run['report']
    assert len(ks['catalog']) >= 10
    for row in ks['catalog']:
        control = API_PUBLIC if row['interface'] == 'public' else API_INTERNAL
        where = '%s endpoint (%s)' % (row['interface'], row['region'])
        found = [f for f in _pick(report, control, host='control-1', endpoint=row['url']) if where in f['message']]
        assert [f['status'] for f in found] == [row['expect']], (row, found)
        if row['expect'] != 'pass':
            assert row['why'] in found[0]['message'], (row, found[0]['message'])


def test_libvirt_targets(demo_run):
    hv = _service(demo_run, 'libvirt')
    report = demo_run['report']
    daemons = hv['daemons']
    tls = daemons['libvirt-tls']
    endpoint = '%s:%d' % (tls['host'], tls['port'])
    # TLS on loopback: not exposed; client certificates verified and limited by tls_allowed_dn_list
    assert [(f['status'], f['target']['setting']) for f in _pick(report, HV_EXPOSURE, host='compute-1', endpoint=endpoint)] == \
        [('pass', 'listen_addr')]
    assert [(f['status'], f['target']['setting']) for f in _pick(report, HV_CLIENT_CERT, host='compute-1', endpoint=endpoint)] == \
        [('pass', 'tls_allowed_dn_list')]
    own = [f for f in _pick(report, HV_CLIENT_CERT, host='compute-1') if not f['target'].get('endpoint')]
    assert [f['status'] for f in own] == ['pass'] and own[0]['target']['file'].startswith(tls['pki_path'])
    # its TLS (tls_priority = Mozilla intermediate) probed from compute-1
    assert _statuses(report, TLS_MOZILLA, host='compute-1', endpoint=endpoint) == ['pass']
    # TCP without authentication on 0.0.0.0 (private network namespace): exposed
    if 'libvirt-tcp' in daemons:
        tcp = daemons['libvirt-tcp']
        found = _pick(report, HV_EXPOSURE, host='compute-1', endpoint='0.0.0.0:%d' % tcp['port'])
        assert [(f['status'], f['target']['setting'], f['target']['file']) for f in found] == [('fail', 'auth_tcp', tcp['conf'])]


def test_a_service_that_cannot_start_is_reported_and_its_channel_not_assessed(tmp_path, monkeypatch, capsys):
    """MariaDB 'not installed' (its binaries hidden from the launcher): the demo says so, audits the
    rest and the db controls are not assessed. (Keystone, RabbitMQ and libvirt are left out to keep
    this run short.)"""
    if not shutil.which('nginx') and not os.path.exists('/usr/sbin/nginx'):
        pytest.skip('nginx is not installed (the TLS corpus needs it)')
    from lab import demo, mariadb  # pylint: disable=import-outside-toplevel
    monkeypatch.setattr(mariadb, 'binaries', lambda: None)
    out = tmp_path / 'out'
    rc = demo.main(['--output', str(out), '--without', 'keystone', '--without', 'rabbitmq', '--without', 'libvirt'])
    captured = capsys.readouterr()
    text = captured.out + captured.err
    assert rc == 0, text[-6000:]
    assert 'mariadb    NOT STARTED' in text and 'MariaDB is not installed' in text
    assert 'left out (--without keystone)' in text
    report = json.loads((out / 'scs-0125-report.json').read_text())
    assert 'db' not in report['run']['channels'] and 'tls' in report['run']['channels']
    rows = dict((row['id'], row) for row in report['controls'])
    for control in (DB_SERVER_TLS, DB_REQUIRE_SSL, API_PUBLIC, MQ_BROKER, HV_EXPOSURE):
        assert rows[control]['status'] == 'not_assessed', rows[control]
    assert rows[TLS_MOZILLA]['status'] == 'fail'
    manifest = json.loads((out / cfg.MANIFEST).read_text())
    assert manifest['services']['mariadb']['status'] == 'failed'
    assert _lab_leftovers(manifest['workdir'], manifest) == {}
