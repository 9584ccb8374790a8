# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Accuracy on the real-world corpus: render every variant of tests/corpus/ (lab/corpus.py), audit each tree
offline through the audit playbook (``audit_root`` = the tree, nothing live), and compare the status of every
control on every tree with the checked-in expectation.  See benchmarks/README.md.

    .venv/bin/python benchmarks/accuracy.py                      # every variant
    .venv/bin/python benchmarks/accuracy.py --variants kolla-2025.1-plain,debian-12-plain --json /tmp/acc.json
    .venv/bin/python benchmarks/accuracy.py --update-known-misses   # drop met misses, refresh `got`; print new ones

Exit status: 0 when every miss is a known miss (tests/corpus/known-misses.yml) and no known miss is met any
more, 1 otherwise, 2 when the corpus cannot be built here (no network for pip/apt-get).
"""

from __future__ import absolute_import, division, print_function

import argparse
import concurrent.futures
import json
import os
import pwd
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
if REPO not in sys.path:
    sys.path.insert(0, REPO)

import yaml  # noqa: E402  pylint: disable=wrong-import-position

from lab import corpus  # noqa: E402  pylint: disable=wrong-import-position
from lab.paths import collections_root  # noqa: E402  pylint: disable=wrong-import-position

KNOWN_MISSES = os.path.join(REPO, 'tests', 'corpus', 'known-misses.yml')
# An offline audit: the tree is a snapshot, nothing on the auditing host or the network is asked or probed.
OFFLINE_VARS = {
    'ansible_connection': 'local',
    'audit_db_query': 'never',
    'audit_db_tls_probe': False,
    'audit_mq_live': False,
    'audit_mq_tls_probe': False,
    'audit_hv_tls_probe': False,
    'audit_hv_probe_auth': False,
    'audit_tls_discover_listeners': False,
}
# aggregate of one control's findings on one host (same order as _core/findings.AGGREGATE_ORDER)
AGGREGATE_ORDER = ('fail', 'error', 'not_assessed', 'manual', 'pass', 'not_applicable')


def aggregate(statuses):
    for status in AGGREGATE_ORDER:
        if status in statuses:
            return status
    return None


def _bin(name):
    candidate = os.path.join(os.path.dirname(sys.executable), name)
    return candidate if os.path.exists(candidate) else name


def build_trees(variants, workdir):
    """Render every variant under ``workdir/trees``; return {variant name: root}."""
    from lab.pki import CA  # pylint: disable=import-outside-toplevel
    ca = CA(os.path.join(workdir, 'pki'))
    os.chmod(workdir, 0o755)
    roots = {}
    for variant in variants:
        roots[variant['name']] = corpus.build(variant, os.path.join(workdir, 'trees', variant['name']), ca,
                                              variants=corpus.load_variants())
    return roots


def run_playbook(name, root, workdir, user=None, timeout=900):
    """The audit playbook on one tree (its own inventory: every tree is its own cloud); return the JSON report.
    ``root`` is a node root, or {inventory host: node root} for a cloud of several nodes (an OSA variant)."""
    base = os.path.join(workdir, 'runs', name)
    os.makedirs(base)
    if user:
        # files broken by their mode: root reads them anyway, so this tree is audited by ``user``
        pw = pwd.getpwnam(user)
        os.chown(base, pw.pw_uid, pw.pw_gid)
    inventory = os.path.join(workdir, 'runs', '%s.yml' % name)
    with open(inventory, 'w') as handle:
        roots = root if isinstance(root, dict) else {name: root}
        yaml.safe_dump({'all': {'hosts': dict((host, dict(OFFLINE_VARS, audit_root=path)) for host, path in roots.items())}}, handle)
    os.chmod(inventory, 0o644)
    out = os.path.join(base, 'report')
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=collections_root(), ANSIBLE_CONFIG=os.path.join(REPO, 'ansible.cfg'),
               ANSIBLE_NOCOLOR='1', ANSIBLE_FORCE_COLOR='0', ANSIBLE_PYTHON_INTERPRETER=sys.executable,
               ANSIBLE_LOCAL_TEMP=os.path.join(base, 'tmp'), ANSIBLE_REMOTE_TEMP=os.path.join(base, 'tmp'),
               ANSIBLE_HOME=os.path.join(base, 'home'), HOME=base)
    argv = [_bin('ansible-playbook'), '-i', inventory, 'scs.secure_connections.audit', '-e', json.dumps({'report_output_dir': out})]
    if user:
        argv = ['setpriv', '--reuid', user, '--regid', str(pwd.getpwnam(user).pw_gid), '--clear-groups', '--'] + argv
    started = time.time()
    proc = subprocess.run(argv, env=env, cwd=base, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=timeout,
                          universal_newlines=True, check=False)
    path = os.path.join(out, 'scs-0125-report.json')
    if not os.path.exists(path):
        raise RuntimeError('the audit playbook wrote no report for %s (rc %d):\n%s' % (name, proc.returncode, proc.stdout[-6000:]))
    with open(path) as handle:
        report = json.load(handle)
    return report, time.time() - started


def observed(report):
    """{control id: aggregate status} and {control id: [messages]} of one tree's report; also under
    ``<control id>@<file>`` for the findings that name a file (the ``no_findings`` expectations)."""
    statuses, messages = {}, {}
    for finding in report['findings']:
        keys = [finding['control_id']]
        if finding['target'].get('file'):
            keys.append('%s@%s' % (finding['control_id'], finding['target']['file']))
        for key in keys:
            statuses.setdefault(key, []).append(finding['status'])
            messages.setdefault(key, []).append('%s: %s' % (finding['status'], finding['message']))
    return dict((c, aggregate(s)) for c, s in statuses.items()), messages


def load_known(path=KNOWN_MISSES):
    if not os.path.exists(path):
        return []
    with open(path) as handle:
        return (yaml.safe_load(handle) or {}).get('misses') or []


def _expectations(variant):
    """(key, {status, why}) of a variant: ``expect`` per control, and ``no_findings``: a file that must give no
    finding for a control (``<control>@<file>``, expected status ``none``), e.g. a neutron agent's neutron.conf
    taken for neutron-server's."""
    out = sorted((variant.get('expect') or {}).items())
    for item in variant.get('no_findings') or ():
        out.append(('%s@%s' % (item['control'], item['file']), {'status': 'none', 'why': item['why']}))
    return out


def compare(variants, got, messages, known):
    """Every expectation with what was observed: a list of rows {variant, control, expected, got, met, known}."""
    known_by = dict(((k['variant'], k['control']), k) for k in known)
    rows = []
    for variant in variants:
        for control, want in _expectations(variant):
            expected = want['status'] if isinstance(want, dict) else want
            status = got.get(variant['name'], {}).get(control, 'none' if '@' in control else None)
            entry = known_by.get((variant['name'], control))
            rows.append({'variant': variant['name'], 'control': control, 'expected': expected, 'got': status,
                         'met': status == expected, 'why': want.get('why') if isinstance(want, dict) else None,
                         'known': entry, 'messages': messages.get(variant['name'], {}).get(control, [])})
    return rows


def summary(rows):
    by_control = {}
    for row in rows:
        control = row['control'].split('@')[0]
        met, total = by_control.get(control, (0, 0))
        by_control[control] = (met + int(row['met']), total + 1)
    return by_control


def problems(rows, known, variants):
    """New misses, known misses that are met now, and known misses naming no expectation."""
    out = []
    names = set(v['name'] for v in variants)
    keys = set((r['variant'], r['control']) for r in rows)
    for row in rows:
        if not row['met'] and not row['known']:
            out.append('new miss: %s %s expected %s, got %s' % (row['variant'], row['control'], row['expected'], row['got']))
        elif row['met'] and row['known']:
            out.append('known miss now met (remove it from known-misses.yml): %s %s' % (row['variant'], row['control']))
        elif row['known'] and row['known'].get('got') not in (None, row['got']):
            out.append('known miss changed: %s %s now gives %s (known-misses.yml says %s)' % (
                row['variant'], row['control'], row['got'], row['known'].get('got')))
    for entry in known:
        if entry['variant'] in names and (entry['variant'], entry['control']) not in keys:
            out.append('known miss without an expectation: %s %s' % (entry['variant'], entry['control']))
    return out


class _KnownDumper(yaml.SafeDumper):
    """The layout of known-misses.yml (list items indented under ``misses:``)."""

    def increase_indent(self, flow=False, indentless=False):
        return super(_KnownDumper, self).increase_indent(flow, False)


def update_known(rows, known, variants, out=sys.stdout):
    """known-misses.yml brought up to date with ``rows`` (the variants of this run only; entries of other variants are
    kept as they are): a met miss is dropped, a changed ``got`` (or ``expected``) is updated, the class and reason of
    every kept miss stay. New misses are printed, not added: their reason is for a human to write. Returns the list."""
    names = set(v['name'] for v in variants)
    by_key = dict(((r['variant'], r['control']), r) for r in rows)
    kept = []
    for entry in known:
        row = by_key.get((entry.get('variant'), entry.get('control')))
        if entry.get('variant') not in names:
            kept.append(entry)
        elif row is None:
            out.write('dropped (no such expectation any more): %s %s\n' % (entry['variant'], entry['control']))
        elif row['met']:
            out.write('dropped (met now): %s %s\n' % (entry['variant'], entry['control']))
        else:
            for key in ('expected', 'got'):
                if entry.get(key) != row[key]:
                    out.write('updated %s: %s %s: %s -> %s\n' % (key, entry['variant'], entry['control'], entry.get(key), row[key]))
                    entry[key] = row[key]
            kept.append(entry)
    new = [r for r in rows if not r['met'] and not r['known']]
    if new:
        out.write('new misses (not added: write their class and reason, then add them to %s):\n' % os.path.relpath(KNOWN_MISSES, REPO))
        out.write(yaml.dump([{'variant': r['variant'], 'control': r['control'], 'expected': r['expected'], 'got': r['got'],
                              'class': 'TODO', 'reason': 'TODO'} for r in new], Dumper=_KnownDumper, sort_keys=False, width=120))
    return kept


def write_known(entries, path=KNOWN_MISSES):
    """Rewrite ``path`` with ``entries`` under ``misses:``, keeping its leading comment."""
    head = ''
    if os.path.exists(path):
        with open(path) as handle:
            for line in handle:
                if not line.startswith('#'):
                    break
                head += line
    # no miss left: a bare ``misses:`` (null, read as none), so entries appended later still make a valid list
    body = yaml.dump({'misses': entries}, Dumper=_KnownDumper, sort_keys=False, width=120, allow_unicode=True,
                     default_flow_style=False) if entries else 'misses:\n'
    with open(path, 'w') as handle:
        handle.write(head + body)


def print_table(rows, seconds, out=sys.stdout):
    by_control = summary(rows)
    out.write('%-36s %s\n' % ('control', 'met'))
    for control in sorted(by_control):
        met, total = by_control[control]
        out.write('%-36s %d of %d\n' % (control, met, total))
    met = sum(1 for r in rows if r['met'])
    out.write('\noverall: met %d of %d expectations (%d trees, audit %.0f s)\n' % (
        met, len(rows), len(set(r['variant'] for r in rows)), seconds))
    misses = [r for r in rows if not r['met']]
    if misses:
        out.write('\nmisses:\n')
    for row in misses:
        label = ('known, %s' % row['known'].get('class')) if row['known'] else 'NEW'
        out.write('  %s %s: expected %s, got %s [%s]\n' % (row['variant'], row['control'], row['expected'], row['got'], label))
        for message in row['messages'][:3]:
            out.write('      %s\n' % message[:220])


def audit(variants, workdir, jobs=3):
    """Build and audit ``variants`` (``jobs`` playbooks at once): {tree: {control: status}}, messages, wall seconds."""
    roots = build_trees(variants, workdir)
    as_root = os.geteuid() == 0
    tasks = []
    for variant in variants:
        user = 'nobody' if as_root and corpus.needs_unprivileged_reader(variant) else None
        if user and not shutil.which('setpriv'):
            raise corpus.CorpusUnavailable('%s needs an unprivileged reader: setpriv (util-linux) is not installed' % variant['name'])
        if user:
            for path in (workdir, os.path.join(workdir, 'trees'), roots[variant['name']]):
                os.chmod(path, 0o755)
        tasks.append((variant['name'], corpus.node_roots(variant, roots[variant['name']], corpus.load_variants()), user))
    os.makedirs(os.path.join(workdir, 'runs'))
    os.chmod(os.path.join(workdir, 'runs'), 0o755)
    got, messages = {}, {}
    started = time.time()
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        futures = dict((pool.submit(run_playbook, name, root, workdir, user), name) for name, root, user in tasks)
        for future in concurrent.futures.as_completed(futures):
            report, _seconds = future.result()
            got[futures[future]], messages[futures[future]] = observed(report)
    return got, messages, time.time() - started


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n', maxsplit=1)[0])
    parser.add_argument('--variants', help='comma-separated variant names (default: all of tests/corpus/)')
    parser.add_argument('--workdir', help='where trees and reports go (default: a new temp dir, removed unless --keep)')
    parser.add_argument('--keep', action='store_true', help='keep the workdir')
    parser.add_argument('--jobs', type=int, default=3, help='playbooks run at once (default 3)')
    parser.add_argument('--json', help='write the rows and the problems as JSON here')
    parser.add_argument('--update-known-misses', action='store_true',
                        help='rewrite tests/corpus/known-misses.yml: drop met misses, update the observed status of changed ones '
                             '(class and reason kept); new misses are printed, not added')
    args = parser.parse_args(argv)
    variants = corpus.load_variants(args.variants.split(',') if args.variants else None)
    if not variants:
        parser.error('no such variant')
    workdir = args.workdir or tempfile.mkdtemp(prefix='scs-accuracy-')
    os.makedirs(workdir, exist_ok=True)
    try:
        got, messages, seconds = audit(variants, workdir, jobs=args.jobs)
    except corpus.CorpusUnavailable as exc:
        sys.stderr.write('the corpus cannot be built here: %s\n' % exc)
        return 2
    finally:
        if not args.keep and not args.workdir:
            shutil.rmtree(workdir, ignore_errors=True)
    known = load_known()
    rows = compare(variants, got, messages, known)
    print_table(rows, seconds)
    if args.update_known_misses:
        known = update_known(rows, known, variants)
        write_known(known)
        rows = compare(variants, got, messages, known)
    found = problems(rows, known, variants)
    for line in found:
        sys.stdout.write('PROBLEM: %s\n' % line)
    if args.json:
        with open(args.json, 'w') as handle:
            json.dump({'rows': [dict(r, known=bool(r['known'])) for r in rows], 'problems': found, 'seconds': seconds,
                       'observed': got}, handle, indent=1, sort_keys=True)
    return 1 if found else 0


if __name__ == '__main__':
    sys.exit(main())
