# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The demo: start a small lab of real services on loopback, audit it with the collection's
playbook, print the summary and where the reports are, and stop everything it started.

    python -m lab.demo [--output DIR] [--keep-workdir] [--verbose] [--without SERVICE ...]

The lab (lab/demo_config.py describes it): TLS servers (nginx, haproxy, openssl) on three local
nodes, MariaDB, RabbitMQ with pika clients, Keystone with a mixed service catalog, and libvirtd.
Services start in parallel; one that cannot start (binary missing) is reported and its channel
left out of the audit (the report then shows it as not assessed). Every process the lab starts is
stopped by PID at the end, also when the audit fails or the user presses Ctrl-C, and the demo
checks that none is left (nor any process naming the lab's work directory).
"""

from __future__ import absolute_import, division, print_function

import argparse
import json
import os
import shutil
import signal
import ssl
import subprocess
import sys
import tempfile
import threading
import time

import yaml

from lab import demo_config as cfg
from lab.paths import REPO, collections_root
from lab.proc import Stack

REPORT_FILES = ('scs-0125-report.html', 'scs-0125-report.json', 'scs-0125-report.junit.xml', 'scs-0125-report.md',
                'scs-0125-results.txt')
NODES = cfg.NODES   # kept for callers of the earlier demo
STAGES = {'discovery': 'discovery (layouts, services, listeners)', 'tls': 'tls stage (probing the TLS servers)',
          'api': 'api stage (Keystone catalog, endpoint probes)', 'db': 'db stage (MariaDB query, STARTTLS probe)',
          'mq': 'mq stage (RabbitMQ CLI, AMQPS probe)', 'hv': 'hv stage (libvirt sockets, TLS probe)',
          'net': 'net stage (fixture trees)', 'sto': 'sto stage (fixture trees)'}


def log(message):
    sys.stderr.write('\033[1m[demo]\033[0m %s\n' % message)
    sys.stderr.flush()


class Cancelled(Exception):
    """The user interrupted the demo while a service was starting."""


class Service(object):
    """One lab service: started in its own thread, stopped through its own stack."""

    def __init__(self, name, lab):
        self.name, self.lab = name, lab
        self.channel = cfg.SERVICES[name]['channel']
        self.stack = Stack()
        self.status = 'pending'        # pending | starting | ok | failed | skipped
        self.reason = None
        self.seconds = None
        self.leaders = {}              # PID -> start time of the process groups the launchers started
        self.info = {}                 # what the inventory and the manifest need
        self.notes = []

    def add(self, item, *pids):
        self.stack.add(item)
        for pid in pids:
            if pid:
                self.leaders[pid] = _stat(pid)[2]
        return item

    def checkpoint(self):
        if self.lab.cancelled.is_set():
            raise Cancelled()

    def stop(self):
        self.stack.close()


class Lab(object):
    def __init__(self, workdir, without=()):
        self.workdir = workdir
        self.cancelled = threading.Event()
        self.ca = None
        self.threads = []
        self.services = dict((name, Service(name, self)) for name in cfg.SERVICE_ORDER)
        for name in without:
            self.services[name].status = 'skipped'
            self.services[name].reason = 'left out (--without %s)' % name

    def ok(self, name):
        return self.services[name].status == 'ok'

    def leaders(self):
        """{PID: start time} of every process a launcher started (each leads its own session)."""
        out = {}
        for service in self.services.values():
            out.update(service.leaders)
        return out

    # ------------------------------------------------------------------ starting

    def start(self):
        """Start every service in its own thread and wait for all of them (progress every 5 s).
        On Ctrl-C the KeyboardInterrupt goes up at once; ``shutdown()`` waits for the threads."""
        from lab.pki import CA  # pylint: disable=import-outside-toplevel
        self.ca = CA(os.path.join(self.workdir, 'pki'))
        for name in cfg.SERVICE_ORDER:
            service = self.services[name]
            if service.status == 'skipped':
                log('  %-10s skipped: %s' % (name, service.reason))
                continue
            thread = threading.Thread(target=self._run, args=(service,), name='start-%s' % name)
            self.threads.append(thread)
            thread.start()
        began = last = time.monotonic()
        while any(t.is_alive() for t in self.threads):
            for thread in self.threads:
                thread.join(0.2)
            if time.monotonic() - last >= 5:
                last = time.monotonic()
                waiting = [s.name for s in self.services.values() if s.status == 'starting']
                if waiting:
                    log('  ... still starting after %.0f s: %s' % (last - began, ', '.join(waiting)))

    def _run(self, service):
        service.status = 'starting'
        began = time.monotonic()
        log('  %-10s starting: %s' % (service.name, cfg.SERVICES[service.name]['what']))
        try:
            getattr(self, '_start_' + service.name.replace('-', '_'))(service)
        except Cancelled:
            service.status, service.reason = 'failed', 'interrupted'
            return
        except Exception as exc:  # pylint: disable=broad-except
            if self.cancelled.is_set():     # e.g. keystone-manage got the terminal's Ctrl-C too
                service.status, service.reason = 'failed', 'interrupted'
                log('  %-10s interrupted while starting' % service.name)
                return
            service.status = 'failed'
            service.reason = ('%s' % exc).strip().splitlines()[0] if str(exc).strip() else exc.__class__.__name__
            service.seconds = time.monotonic() - began
            log('  %-10s NOT STARTED (%s): %s -- the %s channel is left out of the audit' % (
                service.name, exc.__class__.__name__, service.reason, service.channel))
            return
        service.seconds = time.monotonic() - began
        service.status = 'ok'
        for note in service.notes:
            log('  %-10s note: %s' % (service.name, note))
        log('  %-10s ready in %4.1f s: %s' % (service.name, service.seconds, service.info.get('summary', '')))

    def _start_tls_corpus(self, service):
        from lab.tls_servers import start_corpus  # pylint: disable=import-outside-toplevel
        names = sorted(set(s for node in cfg.NODES.values() for s in node['tls']))
        corpus = start_corpus(os.path.join(self.workdir, 'tls'), names=names)
        service.add(corpus, *[s.pid for s in corpus.servers])
        service.info.update(corpus=corpus, ca_file=corpus.ca_file, servers=dict(
            (s.name, {'host': s.host, 'port': s.port, 'expected': s.expected, 'kind': s.kind}) for s in corpus.servers))
        service.info['summary'] = ', '.join('%s :%d' % (s.name, s.port) for s in corpus.servers)

    def _start_mariadb(self, service):
        from lab import mariadb  # pylint: disable=import-outside-toplevel
        db = mariadb.start_mariadb(os.path.join(self.workdir, 'mariadb'), tls=True, mozilla=True, ca=self.ca)
        service.add(db, db.pid)
        service.checkpoint()
        passwords = mariadb.create_service_accounts(db)
        audit_password = mariadb.create_audit_account(db, user=cfg.DB_AUDIT_USER, privileged=True)
        service.info.update(host=db.host, port=db.port, ca_file=db.ca, label=cfg.DB_LABEL, audit_user=cfg.DB_AUDIT_USER,
                            audit_password=audit_password, accounts=[{'user': user, 'host': '%', 'require': require}
                                                                     for user, require in mariadb.SERVICE_ACCOUNTS if user in passwords])
        service.info['summary'] = '%s:%d, accounts %s' % (db.host, db.port, ', '.join(
            '%s (REQUIRE %s)' % (a['user'], a['require'].split(' ', maxsplit=1)[0] or 'NONE') for a in service.info['accounts']))

    def _start_rabbitmq(self, service):
        from lab import rabbitmq  # pylint: disable=import-outside-toplevel
        node = rabbitmq.start_rabbitmq(os.path.join(self.workdir, 'rabbitmq'), tls=True, plain=True, ca=self.ca,
                                       ciphers=rabbitmq.MOZILLA_INTERMEDIATE_CIPHERS + rabbitmq.TLS13_SUITES,
                                       eccs=rabbitmq.MOZILLA_CURVES)
        service.add(node, node.server.pid, node.epmd.pid)
        service.checkpoint()
        clients = []
        for connection_name, tls in cfg.MQ_CLIENTS:
            try:
                conn = _pika_connect(node, connection_name, tls)
            except Exception as exc:  # pylint: disable=broad-except
                service.notes.append('client %s (%s) could not connect: %s' % (connection_name, 'TLS' if tls else 'plain', exc))
                continue
            service.stack.callback(_closer(conn))
            clients.append({'connection_name': connection_name, 'tls': tls, 'port': node.amqps_port if tls else node.amqp_port})
        plugins = node.cli_env.get('RABBITMQ_ENABLED_PLUGINS_FILE')
        service.info.update(host=node.host, amqps_port=node.amqps_port, amqp_port=node.amqp_port, ca_file=node.ca_file,
                            nodename=node.nodename, cli_env=dict(node.cli_env), user=node.user, password=node.password,
                            config_files=[p for p in (node.conf_file, node.advanced_file, plugins) if p],
                            epmd_port=node.epmd_port, clients=clients)
        service.info['summary'] = 'node %s, AMQPS :%d, AMQP :%d, epmd :%d, %d client(s): %s' % (
            node.nodename, node.amqps_port, node.amqp_port, node.epmd_port, len(clients),
            ', '.join('%s over %s' % (c['connection_name'].split(':')[0], 'TLS' if c['tls'] else 'plain') for c in clients))

    def _start_keystone(self, service):
        from lab import keystone  # pylint: disable=import-outside-toplevel
        _keystone_token_cache(keystone)
        ks = keystone.start_keystone(os.path.join(self.workdir, 'keystone'), ca=self.ca)
        service.add(ks, ks.process.pid)
        service.checkpoint()
        fe = keystone.start_frontends(os.path.join(self.workdir, 'keystone-frontends'), self.ca, upstream=ks)
        service.add(fe, fe.process.pid)
        service.checkpoint()
        rows, ignore = keystone.register_mixed_catalog(ks, fe)
        service.info.update(auth_url=ks.auth_url, ca_file=ks.ca_file, cloud=ks.cloud(), ignore=ignore,
                            catalog=[dict((k, r[k]) for k in ('service_type', 'service_name', 'interface', 'region', 'url',
                                                              'expect', 'why', 'enabled')) for r in rows],
                            frontends={'good': fe.good, 'weak': fe.weak, 'plain': fe.plain})
        service.info['summary'] = 'Keystone %s, nginx frontends good :%d weak :%d plain :%d, %d catalog endpoints' % (
            ks.auth_url, fe.good, fe.weak, fe.plain, len(rows))

    def _start_libvirt(self, service):
        from lab import libvirt  # pylint: disable=import-outside-toplevel
        daemons = {}
        for key, spec in cfg.LIBVIRT_DAEMONS.items():
            spec = dict(spec)
            if spec.pop('mozilla', False):
                spec['extra'] = ('tls_priority = "%s"' % libvirt.MOZILLA_INTERMEDIATE_PRIORITY,)
            if spec.get('netns') and not libvirt.namespaces_available():
                service.notes.append('%s left out: a private network namespace needs unshare/nsenter as root' % key)
                continue
            if spec['mode'].startswith('tls'):
                spec['ca'] = self.ca
            daemon = libvirt.start_libvirtd(os.path.join(self.workdir, key), **spec)
            service.add(daemon, daemon.pid)
            service.checkpoint()
            daemons[key] = {'mode': daemon.mode, 'host': daemon.host, 'port': daemon.port, 'conf': daemon.conf, 'pid': daemon.pid,
                            'netns': bool(daemon.netns), 'pki_path': daemon.pkipath(cfg.LIBVIRT_CLIENT) if daemon.tls else None}
        if not daemons:
            raise RuntimeError('no libvirtd could be started')
        pki = [d['pki_path'] for d in daemons.values() if d['pki_path']]
        service.info.update(daemons=daemons, client_pki_path=pki[0] if pki else '')
        service.info['summary'] = ', '.join('%s %s %s:%d%s' % (k, d['mode'], d['host'], d['port'], ' (private netns)' if d['netns'] else '')
                                            for k, d in daemons.items())

    # ------------------------------------------------------------------ stopping

    def shutdown(self):
        """Wait for services still starting (they see ``cancelled`` between steps), then stop every
        service: in parallel, each in reverse start order. Returns the PIDs the lab had."""
        self.cancelled.set()
        waiting = [t for t in self.threads if t.is_alive()]
        if waiting:
            log('waiting for %s to finish starting (stopped right after)' % ', '.join(t.name[6:] for t in waiting))
            for thread in waiting:
                thread.join()
        pids = _pids_in_sessions(self.leaders())
        threads = [threading.Thread(target=s.stop, name='stop-%s' % s.name) for s in self.services.values()]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return pids


def _keystone_token_cache(keystone):
    """Workaround until lab/keystone.py enables it: Keystone's in-process cache ([cache] enabled with
    dogpile.cache.memory). Without it every authenticated request re-validates the Fernet token and
    re-reads the policy (about 0.7 s each on two busy cores): registering the mixed catalog took 23 s,
    with the cache 3.6 s. It changes no answer the audit gets."""
    old = '[cache]\nenabled = false\n'
    if old in keystone.KEYSTONE_CONF:
        keystone.KEYSTONE_CONF = keystone.KEYSTONE_CONF.replace(old, '[cache]\nenabled = true\nbackend = dogpile.cache.memory\n')


def _pika_connect(node, connection_name, tls):
    import pika  # pylint: disable=import-outside-toplevel
    ssl_options, port = None, node.amqp_port
    if tls:
        ctx = ssl.create_default_context(cafile=node.ca_file)
        ssl_options, port = pika.SSLOptions(ctx, 'localhost'), node.amqps_port
    params = pika.ConnectionParameters(node.host, port, '/', pika.PlainCredentials(node.user, node.password), ssl_options=ssl_options,
                                       heartbeat=0, blocked_connection_timeout=10, socket_timeout=10, connection_attempts=3, retry_delay=1,
                                       client_properties={'connection_name': connection_name, 'product': 'scs-demo-client'})
    return pika.BlockingConnection(params)


def _closer(conn):
    def close():
        try:
            conn.close()
        except Exception:  # pylint: disable=broad-except
            pass
    return close


# ---------------------------------------------------------------------- processes left behind

def _proc_ids():
    return [int(p) for p in os.listdir('/proc') if p.isdigit()]


def _read(path, mode='rb'):
    try:
        with open(path, mode) as handle:
            return handle.read()
    except (IOError, OSError):
        return None


def _stat(pid):
    """(state, session id, start time in clock ticks) of ``pid``, or (None, None, None).
    PIDs are reused (pid_max may be 32768): a process is identified by PID and start time."""
    stat = _read('/proc/%d/stat' % pid)
    if not stat:
        return None, None, None
    fields = stat.decode('utf-8', 'replace').rsplit(')', 1)[-1].split()
    return fields[0], int(fields[3]), int(fields[19])


def same_process(pid, start):
    """True while the process ``pid`` started at ``start`` still runs (not a zombie, PID not reused)."""
    state, dummy, now = _stat(pid)
    return state is not None and state != 'Z' and now == start


def lab_processes(workdir, leaders):
    """{PID: (start, description)} of lab processes still alive: in a session a lab launcher started
    (``leaders``: {PID: start time}), or naming ``workdir`` in their command line, working directory
    or environment (an epmd started by a RabbitMQ CLI call with the node's HOME, workers)."""
    found = {}
    needle = workdir.encode('utf-8')
    me = os.getpid()
    for pid in _proc_ids():
        if pid == me:
            continue
        state, sid, start = _stat(pid)
        if state is None or state == 'Z':
            continue
        cmdline = (_read('/proc/%d/cmdline' % pid) or b'').replace(b'\0', b' ').strip()
        why = None
        # a session leader whose start time differs is a new process with a reused PID, not ours
        if sid in leaders and (pid != sid or start == leaders[sid]):
            why = 'session of lab process %d' % sid
        elif needle in cmdline:
            why = 'command line names the work directory'
        else:
            try:
                cwd = os.readlink('/proc/%d/cwd' % pid)
            except OSError:
                cwd = ''
            if cwd.startswith(workdir):
                why = 'working directory in the work directory'
            elif needle in (_read('/proc/%d/environ' % pid) or b''):
                why = 'environment names the work directory'
        if why:
            found[pid] = (start, '%s [%s]' % (cmdline.decode('utf-8', 'replace')[:120], why))
    return found


def _pids_in_sessions(leaders):
    """{PID: start time} of every process now in the sessions of ``leaders`` (the launchers'
    processes and their children: gunicorn and nginx workers, Erlang helpers, libvirtd helpers)."""
    pids = dict((pid, start) for pid, start in leaders.items() if same_process(pid, start))
    for pid in _proc_ids():
        state, sid, start = _stat(pid)
        if sid in leaders and state not in (None, 'Z') and (pid != sid or start == leaders[sid]):
            pids[pid] = start
    return pids


# ---------------------------------------------------------------------- inventory and audit

def _python():
    python = os.path.join(REPO, '.venv', 'bin', 'python')
    return python if os.path.exists(python) else sys.executable


def channels_for(lab):
    channels = []
    for name in cfg.SERVICE_ORDER:
        service = lab.services[name]
        if service.status == 'ok' and service.channel not in channels:
            channels.append(service.channel)
    return channels + list(cfg.FIXTURE_CHANNELS)


def inventory(lab, workdir):
    """The inventory of the three local nodes, with each real service's audit variables."""
    hosts, groups = {}, {}
    services = lab.services
    ca_files = [lab.ca.cert]
    if lab.ok('tls-corpus'):
        ca_files.insert(0, services['tls-corpus'].info['ca_file'])
    empty_root = os.path.join(workdir, 'roots', 'empty')
    os.makedirs(empty_root, exist_ok=True)
    for name, node in cfg.NODES.items():
        tree = os.path.join(REPO, 'tests', 'fixtures', 'trees', node['tree']) if node['tree'] else '/'
        hostvars = {
            'ansible_connection': 'local',
            'ansible_python_interpreter': _python(),
            'audit_root': tree if os.path.isdir(tree) else '/nonexistent-demo-tree',
            'audit_tls_endpoints': [],
            'audit_tls_ca_files': ca_files,
            'audit_tls_discover_listeners': False,
            'audit_tls_timeout': 3,
        }
        if lab.ok('tls-corpus'):
            corpus = services['tls-corpus'].info['corpus']
            hostvars['audit_tls_endpoints'] = [corpus.server(s).endpoint() for s in node['tls']]
        hosts[name] = hostvars
        for group in node['groups']:
            groups.setdefault(group, {'hosts': {}})['hosts'][name] = None

    control, network, compute = hosts['control-1'], hosts['network-1'], hosts['compute-1']
    # db: control-1 asks the lab's MariaDB over TCP (TLS verified with the lab CA) and probes its
    # port with STARTTLS; the other nodes ask no server (they still check their URLs' CA files)
    network['audit_db_query'] = 'never'
    compute['audit_db_query'] = 'never'
    if lab.ok('mariadb'):
        db = services['mariadb'].info
        control.update({
            'audit_db_servers': [{'login_host': db['host'], 'login_port': db['port'], 'label': db['label']}],
            'audit_db_login_user': db['audit_user'],
            'audit_db_login_password': db['audit_password'],
            'audit_db_ssl_mode': 'verify_identity',
            'audit_db_ca_cert': db['ca_file'],
            'audit_db_connect_timeout': 5,
        })
    else:
        control['audit_db_query'] = 'never'
    # mq: network-1 asks the lab's RabbitMQ node through its CLI (its own HOME, cookie, epmd port)
    # the fixture trees' RabbitMQ configuration is read, but its listeners (10.0.0.11, ...) are not
    # probed: those addresses exist in the trees only, and the lab sends no traffic off loopback
    control['audit_mq_tls_probe'] = False
    compute['audit_mq_tls_probe'] = False
    if lab.ok('rabbitmq'):
        mq = services['rabbitmq'].info
        network.update({
            'audit_mq_gather': 'always',
            'audit_mq_config_files': mq['config_files'],
            'audit_mq_cli_env': mq['cli_env'],
            'audit_mq_node': mq['nodename'],
            'audit_mq_tls_ca_files': [mq['ca_file']],
            'audit_mq_tls_server_name': 'localhost',
            'audit_mq_amqp_check': {'host': mq['host'], 'port': mq['amqps_port'], 'ca_file': mq['ca_file'], 'server_name': 'localhost',
                                    'timeout': 5},
            'audit_mq_amqp_user': mq['user'],
            'audit_mq_amqp_password': mq['password'],
        })
    else:
        network['audit_mq_gather'] = 'never'
    # hv: compute-1 reads libvirt from the live machine (where the lab's libvirtd runs); network-1
    # (this machine as well) reads an empty tree: a network node has no hypervisor
    network.update({'audit_hv_root': empty_root, 'audit_hv_proc_path': os.path.join(empty_root, 'proc')})
    if lab.ok('libvirt'):
        compute.update({'audit_hv_root': '/', 'audit_hv_proc_path': '/proc', 'audit_hv_timeout': 3,
                        'audit_hv_client_pki_path': services['libvirt'].info['client_pki_path']})
    all_vars = {'audit_channels': channels_for(lab), 'audit_net_query_api': False}
    # api: the catalog is read once, on the probe host control-1 (first host of group control)
    if lab.ok('keystone'):
        ks = services['keystone'].info
        all_vars.update({
            'audit_api_cloud': ks['cloud'],
            'audit_api_ca_cert': ks['ca_file'],
            'audit_api_ignore': ks['ignore'],
            'audit_api_probe_host': 'control-1',
            'audit_api_tls_ca_files': ca_files,
            'audit_api_timeout': 20,
            'audit_api_tls_timeout': 3,
        })
    data = {'all': {'hosts': hosts, 'children': groups, 'vars': all_vars}}
    path = os.path.join(workdir, 'inventory.yml')
    with open(path, 'w') as handle:
        os.chmod(path, 0o600)          # it holds the lab's (throw-away) passwords
        yaml.safe_dump(data, handle, sort_keys=False)
    return path


def run_audit(inventory_path, output_dir, verbose=False):
    """ansible-playbook scs.secure_connections.audit; its output goes to <output>/ansible-playbook.log
    (and to the terminal with --verbose; else one line per play and the recap)."""
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=collections_root(), ANSIBLE_CONFIG=os.path.join(REPO, 'ansible.cfg'),
               ANSIBLE_NOCOLOR='1', ANSIBLE_FORCE_COLOR='0')
    playbook = os.path.join(REPO, '.venv', 'bin', 'ansible-playbook')
    argv = [playbook if os.path.exists(playbook) else 'ansible-playbook', '-i', inventory_path, 'scs.secure_connections.audit',
            '-e', json.dumps({'report_output_dir': output_dir, 'report_label': 'scs.secure_connections demo lab'})]
    os.makedirs(output_dir, exist_ok=True)
    log_path = os.path.join(output_dir, 'ansible-playbook.log')
    log('running: %s  (output in %s)' % (' '.join(argv[:4]), log_path))
    proc = subprocess.Popen(argv, env=env, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    recap, stage = False, None
    try:
        with open(log_path, 'wb') as out:
            for raw in iter(proc.stdout.readline, b''):
                out.write(raw)
                out.flush()
                line = raw.decode('utf-8', 'replace').rstrip()
                if verbose:
                    print(line)
                    continue
                if line.startswith('PLAY RECAP'):
                    recap = True
                    log('ansible: %s' % line.rstrip('* '))
                elif line.startswith('PLAY ['):
                    log('ansible: %s' % line.rstrip('* '))
                elif line.startswith('TASK [') and ' | ' in line and not recap:
                    # one line per stage: "TASK [scs.secure_connections.audit : DB | Query ...]"
                    name = line.split(' : ', 1)[-1].split(' | ', 1)[0].strip()
                    if name != stage:
                        stage = name
                        log('ansible:   %s ...' % STAGES.get(name.lower(), name))
                elif recap and line.strip():
                    log('ansible:   %s' % ' '.join(line.split()))
        return proc.wait()
    finally:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


# ---------------------------------------------------------------------- summary

def manifest(lab, output_dir, workdir, pids):
    """<output>/demo-lab.json: what the lab had (ports, accounts, clients, catalog rows; no passwords)."""
    services = {}
    for name, service in lab.services.items():
        info = dict((k, v) for k, v in service.info.items() if k not in ('corpus', 'audit_password', 'password', 'cloud', 'cli_env'))
        services[name] = {'status': service.status, 'reason': service.reason, 'channel': service.channel,
                          'node': cfg.SERVICES[name]['node'], 'seconds': round(service.seconds or 0, 1), 'info': info,
                          'notes': service.notes, 'pids': sorted(service.leaders)}
    data = {'workdir': workdir, 'channels': channels_for(lab), 'nodes': cfg.NODES, 'services': services, 'pids': sorted(pids),
            'processes': [{'pid': pid, 'start': start} for pid, start in sorted(pids.items())]}
    os.makedirs(output_dir, exist_ok=True)
    with open(os.path.join(output_dir, cfg.MANIFEST), 'w') as handle:
        json.dump(data, handle, indent=2, sort_keys=True, default=str)


def summary(output_dir, lab):
    with open(os.path.join(output_dir, 'scs-0125-report.json')) as handle:
        report = json.load(handle)
    print('')
    print('scs-0125-v1 verdict for the demo lab: %s' % report['verdict'].upper())
    print('  %s' % report['verdict_reason'])
    print('')
    print('Lab services:')
    for name in cfg.SERVICE_ORDER:
        service = lab.services[name]
        where = cfg.SERVICES[name]['node'] or 'all nodes'
        state = 'audited from %s (%s channel)' % (where, service.channel) if service.status == 'ok' else \
            '%s: %s -- %s channel not assessed' % (service.status.upper(), service.reason, service.channel)
        print('  %-10s %s' % (name, state))
    print('')
    print('Nodes:')
    for node in report.get('nodes', []):
        layouts = ', '.join(node.get('layouts', [])) or '-'
        services = ', '.join(sorted(set(s.split(' (')[0] for s in node.get('services', [])))) or '-'
        root = cfg.NODES.get(node['host'], {}).get('tree') or 'live /'
        print('  %-10s tree: %-7s layouts: %-18s services: %s' % (node['host'], root, layouts, services))
    print('')
    print('Controls:')
    print('  %-34s %-12s %-14s %s' % ('control', 'level', 'status', 'findings'))
    for row in report['controls']:
        counts = row.get('counts', {})
        text = ', '.join('%d %s' % (n, k) for k, n in counts.items() if n)
        print('  %-34s %-12s %-14s %s' % (row['id'], row['level'], row['status'].upper(), text or '-'))
    print('')
    print('Reports:')
    for name in REPORT_FILES + (cfg.MANIFEST, 'ansible-playbook.log'):
        print('  %s' % os.path.join(output_dir, name))
    return report


# ---------------------------------------------------------------------- main

class _Interrupts(object):
    """SIGINT and SIGTERM raise KeyboardInterrupt once; later ones are only noted, so that nothing
    can break off the shutdown of the lab (a terminal's Ctrl-C, ``timeout`` and ``kill`` may each
    deliver several)."""

    SIGNALS = (signal.SIGINT, signal.SIGTERM)

    def __init__(self):
        self.count = 0
        self.holding = False
        self.previous = []

    def hold(self):
        """From now on no signal interrupts anything (the lab is being stopped)."""
        self.holding = True

    def _handler(self, signum, frame):  # pylint: disable=unused-argument
        self.count += 1
        if self.count == 1 and not self.holding:
            raise KeyboardInterrupt('signal %d' % signum)
        log('signal %d: the lab is being stopped, please wait' % signum)

    def __enter__(self):
        self.previous = [(sig, signal.signal(sig, self._handler)) for sig in self.SIGNALS]
        return self

    def __exit__(self, *exc):
        for sig, handler in self.previous:
            signal.signal(sig, handler)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n', maxsplit=1)[0])
    parser.add_argument('--output', default=os.path.join(os.getcwd(), 'demo-output'), help='report directory (default ./demo-output)')
    parser.add_argument('--keep-workdir', action='store_true', help='keep the lab work directory (configs, logs, PKI)')
    parser.add_argument('--verbose', action='store_true', help='show the whole ansible-playbook output')
    parser.add_argument('--without', action='append', default=[], choices=cfg.OPTIONAL, metavar='SERVICE',
                        help='leave a service out (%s); may be repeated' % ', '.join(cfg.OPTIONAL))
    args = parser.parse_args(argv)
    output = os.path.abspath(args.output)
    workdir = tempfile.mkdtemp(prefix='scs-demo-')
    started = time.time()
    lab = Lab(workdir, without=args.without)
    rc, pids, interrupted = 1, {}, False
    with _Interrupts() as interrupts:
        try:
            try:
                log('starting the lab in %s (services start in parallel; Keystone takes longest)' % workdir)
                lab.start()
                pids = _pids_in_sessions(lab.leaders())
                log('lab up in %.0f s: %d processes (PIDs %s)' % (time.time() - started, len(pids), ' '.join(str(p) for p in sorted(pids))))
                if os.path.isdir(output):
                    shutil.rmtree(output)
                manifest(lab, output, workdir, pids)
                log('channels audited: %s' % ', '.join(channels_for(lab)))
                rc = run_audit(inventory(lab, workdir), output, verbose=args.verbose)
            except KeyboardInterrupt:
                interrupted = True
                log('interrupted')
            finally:
                interrupts.hold()
                log('stopping the lab')
                pids.update(lab.shutdown())
            leftover = _leftovers(workdir, lab.leaders(), pids)
        finally:
            if not args.keep_workdir:
                shutil.rmtree(workdir, ignore_errors=True)
    if interrupted:
        return 130
    report = os.path.exists(os.path.join(output, 'scs-0125-report.json'))
    if report:
        summary(output, lab)
    if rc != 0 or not report:
        log('the audit playbook failed (exit %s); its output is in %s' % (rc, os.path.join(output, 'ansible-playbook.log')))
        return rc or 1
    if leftover:
        return 1
    log('done in %.0f s; nothing left running' % (time.time() - started))
    return 0


def _leftovers(workdir, leaders, pids):
    """Check that the lab is gone (``pids``: {PID: start time} it had); kill (by PID, after checking
    it is still the same process) and name whatever is left. Returns what was left."""
    deadline = time.monotonic() + 5
    while True:
        left = dict((pid, (start, 'started by the lab')) for pid, start in pids.items() if same_process(pid, start))
        left.update(lab_processes(workdir, leaders))
        if not left or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    if left:
        log('WARNING: processes still running after the lab stopped (killing them now):')
        for pid, (start, what) in sorted(left.items()):
            log('  %d %s' % (pid, what))
            if same_process(pid, start):
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass
    else:
        log('checked: none of the %d lab processes is running, and no process names %s' % (len(pids), workdir))
    return left


if __name__ == '__main__':
    sys.exit(main())
