#!/usr/bin/env python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Scale benchmark: the audit playbook on synthetic clouds of N nodes against Ansible's own floor, in one run.

Each node is an inventory host with ansible_connection=local whose audit_root is one of the real fixture
trees (tests/fixtures/trees/kolla, osa, distro; symlinked, round robin), so every node runs the real
gatherers over a real configuration snapshot (snapshot mode: nothing live is probed). For every size the
audit (playbooks/audit.yml, report included) runs first, then the floor: the same inventory and forks, a
play of as many no-op tasks (set_fact of a constant) and module dispatches (ansible.builtin.ping) per host
as the audit had (counted by benchmarks/callback_plugins/scale_count.py). The ratio audit/floor is what
the collection adds to Ansible's own cost of running that many tasks.

    .venv/bin/python benchmarks/scale.py                 # 10 and 50 nodes, forks 10
    .venv/bin/python benchmarks/scale.py --large         # 10, 50 and 200 nodes
    .venv/bin/python benchmarks/scale.py --sizes 10 --forks 20 --profile --json /tmp/scale.json

Controller peak memory: VmHWM of the ansible-playbook process (sampled from /proc while it runs);
"tree max" is ru_maxrss from wait4 (the largest process of the tree: controller, its forks, the modules).
"""

from __future__ import absolute_import, division, print_function

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
TREES = ('kolla', 'osa', 'distro')
sys.path.insert(0, REPO)

from lab.paths import collections_root  # noqa: E402  pylint: disable=wrong-import-position


def _inventory(base, n):
    nodes = os.path.join(base, 'nodes')
    os.makedirs(nodes, exist_ok=True)
    hosts = {}
    for i in range(n):
        name = 'node-%03d' % i
        root = os.path.join(nodes, name)
        if not os.path.lexists(root):
            os.symlink(os.path.join(REPO, 'tests', 'fixtures', 'trees', TREES[i % len(TREES)]), root)
        hosts[name] = {'audit_root': root}
    groups = {'all': {'vars': {'ansible_connection': 'local', 'ansible_python_interpreter': sys.executable},
                      'hosts': hosts, 'children': {'control': {'hosts': {'node-000': {}}}}}}
    path = os.path.join(base, 'inventory-%d.json' % n)
    with open(path, 'w') as handle:
        json.dump(groups, handle)
    return path


def _floor_playbook(base, noops, modules):
    tasks = [{'name': 'no-op %d' % i, 'ansible.builtin.set_fact': {'scs_floor_%d' % i: i}} for i in range(noops)]
    tasks += [{'name': 'dispatch %d' % i, 'ansible.builtin.ping': {}} for i in range(modules)]
    path = os.path.join(base, 'floor-%d-%d.yml' % (noops, modules))
    with open(path, 'w') as handle:
        json.dump([{'name': 'Floor', 'hosts': 'all', 'gather_facts': False, 'tasks': tasks}], handle)
    return path


def _watch_hwm(pid, box, stop):
    while not stop.is_set():
        try:
            with open('/proc/%d/status' % pid) as handle:
                for line in handle:
                    if line.startswith('VmHWM:'):
                        box['hwm_kib'] = max(box.get('hwm_kib', 0), int(line.split()[1]))
        except (IOError, OSError, ValueError):
            pass
        stop.wait(0.2)


def _run(argv, env, log):
    """Wall seconds, CPU seconds (user+sys of the whole process tree: wait4 counts every waited-for descendant, so
    the controller, its forks and the module processes), controller VmHWM and the tree's ru_maxrss (MiB), exit status."""
    start = time.time()
    with open(log, 'w') as out:
        proc = subprocess.Popen(argv, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=os.path.dirname(log))
        box, stop = {}, threading.Event()
        watcher = threading.Thread(target=_watch_hwm, args=(proc.pid, box, stop))
        watcher.daemon = True
        watcher.start()
        _pid, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status) if hasattr(os, 'waitstatus_to_exitcode') else status >> 8
        stop.set()
        watcher.join()
    return {'wall': time.time() - start, 'cpu': usage.ru_utime + usage.ru_stime, 'controller_mib': box.get('hwm_kib', 0) / 1024.0,
            'tree_max_mib': usage.ru_maxrss / 1024.0, 'rc': proc.returncode}


def _env(base, count_file, profile):
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=collections_root(), ANSIBLE_CONFIG=os.path.join(REPO, 'ansible.cfg'),
               ANSIBLE_NOCOLOR='1', ANSIBLE_CALLBACK_PLUGINS=os.path.join(HERE, 'callback_plugins'),
               ANSIBLE_CALLBACKS_ENABLED='scale_count' + (',ansible.posix.profile_tasks' if profile else ''),
               ANSIBLE_LOCAL_TEMP=os.path.join(base, 'tmp'), SCS_SCALE_COUNT_FILE=count_file,
               PATH=os.path.dirname(sys.executable) + os.pathsep + os.environ.get('PATH', ''))
    if profile:
        env['PROFILE_TASKS_TASK_OUTPUT_LIMIT'] = '25'
    return env


def _counts(path, n):
    with open(path) as handle:
        data = json.load(handle)
    tasks = sum(data['tasks'].get('node-%03d' % i, 0) for i in range(n)) / float(n)
    modules = sum(data['modules'].get('node-%03d' % i, 0) for i in range(n)) / float(n)
    return tasks, modules


def _report_seconds(log):
    """Seconds of the report step (evaluate all hosts, write every format) from profile_tasks' recap, or None."""
    with open(log) as handle:
        for line in handle:
            if "Evaluate all hosts' evidence and write the conformance report" in line and line.rstrip().endswith('s'):
                try:
                    return float(line.rstrip()[:-1].rsplit(' ', 1)[-1])
                except ValueError:
                    pass
    return None


def measure(base, n, forks, profile, extra, reference=None):
    playbook_bin = os.path.join(os.path.dirname(sys.executable), 'ansible-playbook')
    inventory = _inventory(base, n)
    report_dir = os.path.join(base, 'report-%d' % n)
    count_file = os.path.join(base, 'count-%d.json' % n)
    audit = _run([playbook_bin, '-i', inventory, '-f', str(forks), 'scs.secure_connections.audit', '-e',
                  json.dumps(dict({'report_output_dir': report_dir}, **extra))],
                 _env(base, count_file, profile), os.path.join(base, 'audit-%d.log' % n))
    tasks, modules = _counts(count_file, n)
    noops = int(round(tasks - modules))
    floor_count = os.path.join(base, 'floor-count-%d.json' % n)
    floor = _run([playbook_bin, '-i', inventory, '-f', str(forks), _floor_playbook(base, noops, int(round(modules)))],
                 _env(base, floor_count, profile), os.path.join(base, 'floor-%d.log' % n))
    ref = None
    if reference:
        ref = _run([playbook_bin, '-i', inventory, '-f', str(forks), _floor_playbook(base, reference[0], reference[1])],
                   _env(base, floor_count, profile), os.path.join(base, 'reference-%d.log' % n))
    with open(os.path.join(report_dir, 'scs-0125-report.json')) as handle:
        report = json.load(handle)
    return {'reference': ref, 'nodes': n, 'forks': forks, 'audit': audit, 'floor': floor, 'tasks_per_host': tasks, 'modules_per_host': modules,
            'floor_noops': noops, 'verdict': report['verdict'], 'findings': len(report['findings']),
            'report_seconds': _report_seconds(os.path.join(base, 'audit-%d.log' % n)) if profile else None,
            'log': os.path.join(base, 'audit-%d.log' % n)}


def _print(rows, load_before, load_after):
    print('machine: %d cores, load average before %.2f %.2f %.2f, after %.2f %.2f %.2f'
          % ((os.cpu_count() or 0,) + tuple(load_before) + tuple(load_after)))
    head = ('nodes', 'wall s', 's/node', 'vs first', 'cpu s', 'cpu s/node', 'cpu vs first', 'ctrl MiB', 'tree MiB', 'tasks/host',
            'modules/host', 'floor s', 'floor cpu s', 'audit/floor', 'cpu audit/floor', 'rc')
    if rows[0].get('reference'):
        head = head + ('ref floor s', 'audit/ref')
    print(' | '.join(head))
    first = rows[0]['audit']['wall'] / rows[0]['nodes']
    first_cpu = rows[0]['audit']['cpu'] / rows[0]['nodes']
    for row in rows:
        a, f, n = row['audit'], row['floor'], row['nodes']
        print(' | '.join((
            '%d' % n, '%.1f' % a['wall'], '%.3f' % (a['wall'] / n), '%.2f' % ((a['wall'] / n) / first), '%.1f' % a['cpu'],
            '%.3f' % (a['cpu'] / n), '%.2f' % ((a['cpu'] / n) / first_cpu), '%.0f' % a['controller_mib'], '%.0f' % a['tree_max_mib'],
            '%.1f' % row['tasks_per_host'], '%.1f' % row['modules_per_host'], '%.1f' % f['wall'], '%.1f' % f['cpu'],
            '%.2f' % (a['wall'] / f['wall']), '%.2f' % (a['cpu'] / f['cpu']), '%d/%d' % (a['rc'], f['rc']))
            + (('%.1f' % row['reference']['wall'], '%.2f' % (a['wall'] / row['reference']['wall'])) if row.get('reference') else ())))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n', maxsplit=1)[0])
    parser.add_argument('--sizes', type=int, nargs='+', help='cloud sizes (default 10 50, with --large 10 50 200)')
    parser.add_argument('--large', action='store_true', help='add the 200-node cloud')
    parser.add_argument('--forks', type=int, default=10)
    parser.add_argument('--profile', action='store_true',
                        help='also enable ansible.posix.profile_tasks (see the logs; in the floor runs too, so the ratio stays fair)')
    parser.add_argument('--keep', action='store_true', help='keep the work directory (logs, reports)')
    parser.add_argument('--json', help='write the measurements here')
    parser.add_argument('-e', '--extra', default='{}', help='extra vars for the audit run (JSON)')
    parser.add_argument('--reference-floor', metavar='NOOPS,MODULES',
                        help='also run a floor of this many no-ops and module dispatches per host, e.g. 25,6 (the task structure '
                             'before host_evidence_info: 31 tasks, 6 module dispatches per host)')
    args = parser.parse_args(argv)
    sizes = args.sizes or ([10, 50, 200] if args.large else [10, 50])
    base = tempfile.mkdtemp(prefix='scs-scale-')
    os.makedirs(os.path.join(base, 'tmp'))
    load_before = os.getloadavg()
    rows = []
    try:
        for n in sizes:
            reference = [int(x) for x in args.reference_floor.split(',')] if args.reference_floor else None
            rows.append(measure(base, n, args.forks, args.profile, json.loads(args.extra), reference))
            sys.stderr.write('%d nodes: audit %.1f s (cpu %.1f s), floor %.1f s (cpu %.1f s)%s\n' % (
                n, rows[-1]['audit']['wall'], rows[-1]['audit']['cpu'], rows[-1]['floor']['wall'], rows[-1]['floor']['cpu'],
                ', report step %.2f s' % rows[-1]['report_seconds'] if rows[-1]['report_seconds'] is not None else ''))
        _print(rows, load_before, os.getloadavg())
        if args.json:
            with open(args.json, 'w') as handle:
                json.dump({'rows': rows, 'load_before': load_before, 'load_after': os.getloadavg()}, handle, indent=2)
    finally:
        if args.keep:
            print('work directory: %s' % base)
        else:
            shutil.rmtree(base, ignore_errors=True)
    return 0 if all(r['audit']['rc'] == 0 and r['floor']['rc'] == 0 for r in rows) else 1


if __name__ == '__main__':
    sys.exit(main())
