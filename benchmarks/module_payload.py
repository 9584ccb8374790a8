#!/usr/bin/env python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The gather call's module process against Ansible's ``ping``, as Ansible runs them, in alternating pairs.

For each real fixture tree (tests/fixtures/trees: kolla, osa, distro) the audit playbook runs once on one host
(``ansible_connection=local``, snapshot mode) with ``ANSIBLE_KEEP_REMOTE_FILES=1``, which leaves the AnsiballZ payload
of ``host_evidence_info`` with that host's arguments; a play with ``ansible.builtin.ping`` leaves ping's. Then each
payload runs ``--pairs`` times, alternating (ping, then each tree's payload), every run in its own process
(CPU: user+sys from ``os.wait4``). The same payload also runs "exploded" (``AnsiballZ_*.py explode``, the modules
imported from a directory instead of CPython's zipimport, which compiles every module twice: once to find its file name,
once to run it): the difference is what the zip import costs.

The scale benchmark's floor has one ``ping`` per host where the audit has this call, so "module - ping" is the part
of audit/floor (benchmarks/scale.py) that the module process alone adds per host.

    .venv/bin/python benchmarks/module_payload.py              # 10 pairs
    .venv/bin/python benchmarks/module_payload.py --pairs 20 --json /tmp/payload.json
"""

from __future__ import absolute_import, division, print_function

import argparse
import glob
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
TREES = ('kolla', 'osa', 'distro')
sys.path.insert(0, REPO)

from lab.paths import collections_root  # noqa: E402  pylint: disable=wrong-import-position

PING = [{'name': 'Floor', 'hosts': 'all', 'gather_facts': False, 'tasks': [{'ansible.builtin.ping': {}}]}]


def _keep_payload(base, name, playbook, extra):
    """Run ``playbook`` on one local host keeping the remote files; the path of its AnsiballZ payload."""
    work = os.path.join(base, name)
    os.makedirs(os.path.join(work, 'remote'))
    inventory = os.path.join(work, 'inventory.json')
    with open(inventory, 'w') as handle:
        json.dump({'all': {'hosts': {'node-000': dict({'ansible_connection': 'local', 'ansible_python_interpreter': sys.executable},
                                                      **extra)}}}, handle)
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=collections_root(), ANSIBLE_CONFIG=os.path.join(REPO, 'ansible.cfg'),
               ANSIBLE_NOCOLOR='1', ANSIBLE_KEEP_REMOTE_FILES='1', ANSIBLE_REMOTE_TMP=os.path.join(work, 'remote'),
               ANSIBLE_LOCAL_TEMP=os.path.join(work, 'local'))
    argv = [os.path.join(os.path.dirname(sys.executable), 'ansible-playbook'), '-i', inventory, playbook,
            '-e', json.dumps({'report_output_dir': os.path.join(work, 'report')})]
    with open(os.path.join(work, 'play.log'), 'w') as log:
        rc = subprocess.call(argv, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=work)
    pattern = 'AnsiballZ_ping.py' if name == 'ping' else 'AnsiballZ_host_evidence_info.py'
    found = glob.glob(os.path.join(work, 'remote', '*', pattern))
    if rc != 0 or len(found) != 1:
        raise SystemExit('module_payload: the %s run left %d payload(s), exit status %d (see %s)'
                         % (name, len(found), rc, os.path.join(work, 'play.log')))
    payload = found[0]
    subprocess.check_call([sys.executable, payload, 'explode'], cwd=os.path.dirname(payload), stdout=subprocess.DEVNULL)
    return payload


def _cpu(argv, cwd):
    """CPU seconds (user+sys) of one run, and its stdout."""
    with tempfile.TemporaryFile() as out:
        # no __pycache__ in the exploded directory: every run compiles, as every AnsiballZ run on a node does
        proc = subprocess.Popen(argv, cwd=cwd, stdout=out, stderr=subprocess.DEVNULL, env=dict(os.environ, PYTHONDONTWRITEBYTECODE='1'))
        _pid, status, usage = os.wait4(proc.pid, 0)
        out.seek(0)
        text = out.read()
    if (os.waitstatus_to_exitcode(status) if hasattr(os, 'waitstatus_to_exitcode') else status >> 8) != 0:
        raise SystemExit('module_payload: %s failed: %s' % (' '.join(argv), text[-2000:]))
    return usage.ru_utime + usage.ru_stime, text


def _exploded_argv(payload):
    """The exploded payload run as AnsiballZ runs it: the module as __main__, its arguments from debug_dir/args."""
    debug = os.path.join(os.path.dirname(payload), 'debug_dir')
    module = 'ansible.modules.ping' if payload.endswith('AnsiballZ_ping.py') else \
        'ansible_collections.scs.secure_connections.plugins.modules.host_evidence_info'
    code = ('import runpy, sys; sys.path.insert(0, %r); sys.argv = ["x", %r]; runpy.run_module(%r, run_name="__main__")'
            % (debug, os.path.join(debug, 'args'), module))
    return [sys.executable, '-c', code], debug


def measure(pairs):
    base = tempfile.mkdtemp(prefix='scs-payload-')
    try:
        payloads = {'ping': _keep_payload(base, 'ping', _write(base, PING), {})}
        for tree in TREES:
            payloads[tree] = _keep_payload(base, tree, 'scs.secure_connections.audit',
                                           {'audit_root': os.path.join(REPO, 'tests', 'fixtures', 'trees', tree)})
        runs = dict((name, {'zip': [], 'exploded': []}) for name in payloads)
        size = {}
        for _round in range(pairs):
            for name, payload in payloads.items():
                cpu, text = _cpu([sys.executable, payload], os.path.dirname(payload))
                runs[name]['zip'].append(cpu)
                size[name] = len(text)
                argv, cwd = _exploded_argv(payload)
                runs[name]['exploded'].append(_cpu(argv, cwd)[0])
        return dict((name, {'zip': statistics.median(r['zip']), 'zip_min': min(r['zip']), 'zip_max': max(r['zip']),
                            'exploded': statistics.median(r['exploded']), 'result_bytes': size[name]})
                    for name, r in runs.items())
    finally:
        shutil.rmtree(base, ignore_errors=True)


def _write(base, plays):
    path = os.path.join(base, 'ping.yml')
    with open(path, 'w') as handle:
        json.dump(plays, handle)
    return path


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n', maxsplit=1)[0])
    parser.add_argument('--pairs', type=int, default=10, help='alternating rounds (default 10)')
    parser.add_argument('--json', help='write the measurements here')
    args = parser.parse_args(argv)
    load_before = os.getloadavg()
    rows = measure(args.pairs)
    ping = rows['ping']
    print('machine: %d cores, load average before %.2f, after %.2f; %d alternating rounds, medians of CPU (user+sys)'
          % (os.cpu_count() or 0, load_before[0], os.getloadavg()[0], args.pairs))
    print('payload | as Ansible runs it (zipimport) s | min-max | exploded (imported from a directory) s | '
          'zip import share s | minus ping s | result KB')
    for name, row in rows.items():
        print('%s | %.3f | %.3f-%.3f | %.3f | %.3f | %s | %.1f' % (
            name, row['zip'], row['zip_min'], row['zip_max'], row['exploded'], row['zip'] - row['exploded'],
            '-' if name == 'ping' else '%+.3f' % (row['zip'] - ping['zip']), row['result_bytes'] / 1024.0))
    if args.json:
        with open(args.json, 'w') as handle:
            json.dump({'rows': rows, 'pairs': args.pairs, 'load_before': load_before}, handle, indent=2)
    return 0


if __name__ == '__main__':
    sys.exit(main())
