# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The demo: start a small lab of real services on loopback, audit it with the collection's
playbook, print the summary and where the reports are, and stop everything it started.

    python -m lab.demo [--output DIR] [--keep-workdir]
"""

from __future__ import absolute_import, division, print_function

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

import yaml

from lab.paths import REPO, collections_root
from lab.proc import Stack
from lab.tls_servers import start_corpus

# Which lab node fronts which TLS servers, in kolla-ansible's inventory groups. The expected
# verdict of each server is in lab/tls_servers.py (and docs/tls-corpus.md).
NODES = {
    'control-1': {'groups': ['control'], 'tree': 'kolla',
                  'tls': ['nginx-rsa', 'nginx-ecdsa', 'nginx-tls10']},
    'network-1': {'groups': ['network'], 'tree': 'osa',
                  'tls': ['haproxy-good', 'haproxy-weak']},
    'compute-1': {'groups': ['compute'], 'tree': 'distro',
                  'tls': ['openssl-800days']},
}
CHANNELS = ['tls']


def log(message):
    sys.stderr.write('\033[1m[demo]\033[0m %s\n' % message)
    sys.stderr.flush()


def inventory(corpus, workdir):
    """An inventory of local 'nodes', each with its own config tree and TLS endpoints."""
    hosts, groups = {}, {}
    python = os.path.join(REPO, '.venv', 'bin', 'python')
    for name, node in NODES.items():
        tree = os.path.join(REPO, 'tests', 'fixtures', 'trees', node['tree'])
        hostvars = {
            'ansible_connection': 'local',
            'ansible_python_interpreter': python if os.path.exists(python) else sys.executable,
            'audit_root': tree if os.path.isdir(tree) else '/nonexistent-demo-tree',
            'audit_tls_endpoints': [corpus.server(s).endpoint() for s in node['tls']],
            'audit_tls_ca_files': [corpus.ca_file],
            'audit_tls_discover_listeners': False,
            'audit_tls_timeout': 3,
        }
        hosts[name] = hostvars
        for group in node['groups']:
            groups.setdefault(group, {'hosts': {}})['hosts'][name] = None
    data = {'all': {'hosts': hosts, 'children': groups, 'vars': {'audit_channels': CHANNELS}}}
    path = os.path.join(workdir, 'inventory.yml')
    with open(path, 'w') as handle:
        yaml.safe_dump(data, handle, sort_keys=False)
    return path


def run_audit(inventory_path, output_dir):
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=collections_root(), ANSIBLE_CONFIG=os.path.join(REPO, 'ansible.cfg'),
               ANSIBLE_NOCOLOR='1', ANSIBLE_FORCE_COLOR='0')
    playbook = os.path.join(REPO, '.venv', 'bin', 'ansible-playbook')
    argv = [playbook if os.path.exists(playbook) else 'ansible-playbook', '-i', inventory_path, 'scs.secure_connections.audit',
            '-e', json.dumps({'report_output_dir': output_dir, 'report_label': 'scs.secure_connections demo lab'})]
    log('running: %s' % ' '.join(argv))
    return subprocess.call(argv, env=env, cwd=REPO)


def summary(output_dir):
    with open(os.path.join(output_dir, 'scs-0125-report.json')) as handle:
        report = json.load(handle)
    print('')
    print('scs-0125-v1 verdict for the demo lab: %s' % report['verdict'].upper())
    print('  %s' % report['verdict_reason'])
    print('')
    for node in report.get('nodes', []):
        print('  node %-10s layouts: %-28s services: %s' % (node['host'], ', '.join(node.get('layouts', [])) or '-',
                                                          ', '.join(node.get('services', [])) or '-'))
    print('')
    for finding in report['findings']:
        if finding['control_id'] == 'scs-0125-tls-mozilla':
            target = finding['target']
            print('  %-6s %-10s %-16s %s' % (finding['status'].upper(), target.get('host', ''), target.get('endpoint', ''), finding['message'][:110]))
    print('')
    print('Reports:')
    for name in ('scs-0125-report.html', 'scs-0125-report.json', 'scs-0125-report.junit.xml', 'scs-0125-report.md', 'scs-0125-results.txt'):
        print('  %s' % os.path.join(output_dir, name))
    return report


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--output', default=os.path.join(os.getcwd(), 'demo-output'), help='report directory (default ./demo-output)')
    parser.add_argument('--keep-workdir', action='store_true', help='keep the lab work directory (configs, logs, PKI)')
    args = parser.parse_args(argv)
    output = os.path.abspath(args.output)
    workdir = tempfile.mkdtemp(prefix='scs-demo-')
    started = time.time()
    pids = []
    try:
        with Stack() as stack:
            log('starting the lab in %s' % workdir)
            names = sorted(set(s for node in NODES.values() for s in node['tls']))
            corpus = start_corpus(os.path.join(workdir, 'tls'), names=names)
            stack.callback(corpus.stop)
            pids = [s.pid for s in corpus.servers if s.pid]
            for server in corpus.servers:
                log('  %-16s %s:%-5s expected %-13s (%s)' % (server.name, server.host, server.port, server.member.expected, server.member.kind))
            if os.path.isdir(output):
                shutil.rmtree(output)
            rc = run_audit(inventory(corpus, workdir), output)
            log('stopping the lab')
        leftover = [pid for pid in pids if _alive(pid)]
        if leftover:
            log('WARNING: processes still running: %s' % leftover)
            return 1
        if rc != 0 or not os.path.exists(os.path.join(output, 'scs-0125-report.json')):
            log('the audit playbook failed (exit %s)' % rc)
            return rc or 1
        summary(output)
        log('done in %.0f s; nothing left running' % (time.time() - started))
        return 0
    finally:
        if not args.keep_workdir:
            shutil.rmtree(workdir, ignore_errors=True)


def _alive(pid):
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    try:
        with open('/proc/%d/stat' % pid) as handle:
            return handle.read().split()[2] != 'Z'
    except (IOError, OSError):
        return False


if __name__ == '__main__':
    sys.exit(main())
