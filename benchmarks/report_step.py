#!/usr/bin/env python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Report-step benchmark: this tree's report (evaluate every host, write every format) against a peer's, paired.

The evidence is real: the scale benchmark's cloud (benchmarks/scale.py: nodes made of the fixture trees kolla, OSA
and distro, snapshot mode) is audited once with six nodes, writing every host's evidence bundle; the bundles are
then repeated to each size (node-NNN, a kolla, OSA or distro node in turn, the node's name put into its paths). For
each size, ``--runs`` alternating pairs run the conformance_report action's report step over the same evidence, each
run in a fresh process, once with this tree and once with the peer (a git revision, exported to a temporary
directory): CPU seconds of the step (evaluate, build, validate, render, write), medians, new/old per pair, CPU per
host, and whether the files are byte-identical (the clock is fixed, so they must be).

    .venv/bin/python benchmarks/report_step.py --against main               # sizes 50 200, 5 pairs
    .venv/bin/python benchmarks/report_step.py --against HEAD~3 --sizes 50 --runs 3 --bundles /tmp/bundles

``--bundles DIR``: use (and keep) bundles written before (``report_bundle_dir``); without it a six-node audit writes them.
"""

from __future__ import absolute_import, division, print_function

import argparse
import filecmp
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
sys.path.insert(0, REPO)
sys.path.insert(0, HERE)

from lab.paths import collections_root  # noqa: E402  pylint: disable=wrong-import-position
import scale  # noqa: E402  pylint: disable=wrong-import-position

FORMATS = ['json', 'junit', 'markdown', 'html', 'scs']
# one run: the report step of the action over the bundles of a directory, with a fixed clock; prints its CPU seconds
CHILD = r'''
import glob, os, sys, time
sys.path.insert(0, sys.argv[1])
from ansible_collections.scs.secure_connections.plugins.action import conformance_report as action
action._now = lambda: '2026-01-01T00:00:00Z'
evidence = {}
for path in sorted(glob.glob(os.path.join(sys.argv[2], '*.json'))):
    host, host_evidence = action._read_bundle(path)
    evidence[host] = host_evidence
args = dict(evidence=evidence, evidence_bundles=[], output_dir=sys.argv[3], formats=%r, channels=['all'], skip_controls=[],
            mozilla_level='intermediate', mozilla_guidelines_file=None, rule_options={}, attestations=[],
            started='2026-01-01T00:00:00Z', label=None, waivers=[], waivers_file=None, previous_report=None,
            certificate_warning_days=30)
start = time.process_time()
action.ActionModule._report(args)
print('%%.4f' %% (time.process_time() - start))
''' % FORMATS


def write_bundles(base):
    """A six-node audit of the scale cloud writing every host's bundle; the bundle directory."""
    os.makedirs(os.path.join(base, 'tmp'), exist_ok=True)
    bundles = os.path.join(base, 'bundles')
    playbook = os.path.join(os.path.dirname(sys.executable), 'ansible-playbook')
    out = scale._run([playbook, '-i', scale._inventory(base, 6), 'scs.secure_connections.audit', '-e',
                      json.dumps({'report_output_dir': os.path.join(base, 'report'), 'report_bundle_dir': bundles})],
                     scale._env(base, os.path.join(base, 'count.json'), False), os.path.join(base, 'audit.log'))
    if out['rc'] != 0:
        raise SystemExit('the six-node audit failed (exit %d): see %s' % (out['rc'], os.path.join(base, 'audit.log')))
    return bundles


def repeat_bundles(source, target, n):
    """``n`` hosts: node-000 to node-005 as written (node-000 also holds the cloud's api channel), then copies of
    node-003 to node-005 (kolla, OSA, distro) under the new name."""
    os.makedirs(target)
    for i in range(n):
        src = i if i < 6 else 3 + i % 3
        with open(os.path.join(source, 'node-%03d.json' % src)) as handle:
            text = handle.read().replace('node-%03d' % src, 'node-%03d' % i)
        with open(os.path.join(target, 'node-%03d.json' % i), 'w') as handle:
            handle.write(text)


def peer_tree(base, revision):
    """The collection at ``revision`` (git archive) under ``base``; its collections root."""
    root = os.path.join(base, 'peer')
    dest = os.path.join(root, 'ansible_collections', 'scs')
    os.makedirs(dest)
    archive = subprocess.run(['git', '-C', REPO, 'archive', '--format=tar', '--prefix=secure_connections/', revision],
                             stdout=subprocess.PIPE, check=True).stdout
    subprocess.run(['tar', '-x', '-C', dest], input=archive, check=True)
    return root


def one_run(root, bundles, out_dir):
    shutil.rmtree(out_dir, ignore_errors=True)
    proc = subprocess.run([sys.executable, '-c', CHILD, root, bundles, out_dir], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          universal_newlines=True, check=False)
    if proc.returncode != 0:
        raise SystemExit('the report step failed with %s:\n%s' % (root, proc.stderr[-3000:]))
    return float(proc.stdout.strip().splitlines()[-1])


def identical(a, b):
    names = sorted(os.listdir(a))
    return names == sorted(os.listdir(b)) and all(filecmp.cmp(os.path.join(a, n), os.path.join(b, n), shallow=False) for n in names)


def measure(base, roots, bundles, n, runs):
    """Alternating pairs (this tree first in odd pairs, the peer first in even ones); CPU seconds per side."""
    times = {'new': [], 'old': []}
    same = True
    for i in range(runs):
        order = ('new', 'old') if i % 2 == 0 else ('old', 'new')
        for side in order:
            times[side].append(one_run(roots[side], bundles, os.path.join(base, 'out-%s' % side)))
        same = same and identical(os.path.join(base, 'out-new'), os.path.join(base, 'out-old'))
    ratios = [new / old for new, old in zip(times['new'], times['old'])]
    return {'hosts': n, 'new': times['new'], 'old': times['old'], 'ratios': ratios, 'identical': same}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n', maxsplit=1)[0])
    parser.add_argument('--against', required=True, help='git revision of the peer (e.g. main, HEAD~2)')
    parser.add_argument('--sizes', type=int, nargs='+', default=[50, 200])
    parser.add_argument('--runs', type=int, default=5, help='alternating pairs per size')
    parser.add_argument('--bundles', help='bundles of a six-node (or larger) scale cloud written before (report_bundle_dir)')
    parser.add_argument('--json', help='write the measurements here')
    args = parser.parse_args(argv)
    base = tempfile.mkdtemp(prefix='scs-report-step-')
    try:
        roots = {'new': collections_root(), 'old': peer_tree(base, args.against)}
        source = args.bundles or write_bundles(base)
        rows = []
        for n in args.sizes:
            bundles = os.path.join(base, 'bundles-%d' % n)
            repeat_bundles(source, bundles, n)
            rows.append(measure(base, roots, bundles, n, args.runs))
            shutil.rmtree(bundles)
        print('report step CPU seconds, this tree (new) against %s (old), %d alternating pairs per size, machine load %.2f' % (
            args.against, args.runs, os.getloadavg()[0]))
        print('hosts | old median s | new median s | new/old median (min-max of pairs) | old ms/host | new ms/host | files identical')
        for row in rows:
            ratios = row['ratios']
            print('%d | %.3f | %.3f | %.2f (%.2f-%.2f) | %.1f | %.1f | %s' % (
                row['hosts'], statistics.median(row['old']), statistics.median(row['new']), statistics.median(ratios), min(ratios),
                max(ratios), 1000 * statistics.median(row['old']) / row['hosts'], 1000 * statistics.median(row['new']) / row['hosts'],
                'yes' if row['identical'] else 'NO'))
        if args.json:
            with open(args.json, 'w') as handle:
                json.dump(rows, handle, indent=2)
        return 0 if all(row['identical'] for row in rows) else 1
    finally:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == '__main__':
    sys.exit(main())
