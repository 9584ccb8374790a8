# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Benchmark: our TLS engine (plugins/module_utils/_tls/scan.py) against sslyze's Mozilla checker on the real
TLS corpus (lab/tls_servers.py), in one run.  See benchmarks/README.md.

Every measurement runs in its own child process (``python tls_bench.py _worker ...``); its peak resident memory is
taken from the child's own ``VmHWM``
(``/proc/self/status``; ``ru_maxrss`` from ``os.wait4()`` would include the parent's pre-exec peak).  Wall times are measured inside the worker around
the scan calls (imports and corpus start excluded).
"""

from __future__ import absolute_import, division, print_function

import argparse
import importlib
import json
import math
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
ENGINE = 'ansible_collections.scs.secure_connections.plugins.module_utils._tls.scan'
MOZILLA = 'ansible_collections.scs.secure_connections.plugins.module_utils._core.mozilla'
TARGETS = dict(speedup=10.0, memory=0.5, bulk_seconds=10.0)


def _paths():
    if REPO not in sys.path:
        sys.path.insert(0, REPO)
    from lab.paths import collections_root
    root = collections_root()
    if root not in sys.path:
        sys.path.insert(0, root)


def _engine_problem():
    """None if our engine imports, else a one-line explanation."""
    _paths()
    try:
        engine = importlib.import_module(ENGINE)
    except ModuleNotFoundError as exc:
        if exc.name == ENGINE:
            return 'our TLS engine plugins/module_utils/_tls/scan.py does not exist yet: nothing to benchmark'
        return 'our TLS engine cannot be imported: %s: %s' % (type(exc).__name__, exc)
    except Exception as exc:  # pylint: disable=broad-except
        return 'our TLS engine cannot be imported: %s: %s' % (type(exc).__name__, exc)
    if not hasattr(engine, 'scan_endpoints'):
        return 'our TLS engine has no scan_endpoints()'
    return None


def _sslyze_problem():
    try:
        importlib.import_module('sslyze.mozilla_tls_profile.tls_config_checker')
    except ImportError as exc:
        return 'sslyze 6.2+ is not installed (%s): pip install "sslyze>=6.2"' % exc
    return None


# --- worker (one child process per measurement) -----------------------------------------------------------

def _verdict_ours(result):
    if result.get('status') != 'ok':
        return 'error'
    compliant = (result.get('mozilla') or {}).get('compliant')
    return {True: 'compliant', False: 'non_compliant'}.get(compliant, 'error')


def _scan(tool, endpoints, ca_file, timeout, concurrency):
    """Scan ``endpoints`` in one call; return the verdicts."""
    if tool == 'ours':
        engine = importlib.import_module(ENGINE)
        results = engine.scan_endpoints(endpoints, dict(timeout=timeout, ca_files=[ca_file], level='intermediate',
                                                        concurrency=concurrency))
        # the prober observes, the Mozilla judgement is _core/mozilla (what tls_endpoint_info attaches), timed with the scan
        mozilla = importlib.import_module(MOZILLA)
        data = importlib.import_module(MOZILLA + '_data')
        return [_verdict_ours(r) for r in mozilla.attach(results, data.GUIDELINES, 'intermediate')]
    from lab.tls_servers import sslyze_mozilla
    results = sslyze_mozilla(endpoints, ca_file=ca_file, timeout=timeout, concurrent_scans=concurrency)
    return [r['verdict'] for r in results]


def worker(args):
    _paths()
    with open(args.endpoints) as handle:
        endpoints = json.load(handle)
    begin = time.monotonic()
    if args.tool == 'ours':
        importlib.import_module(ENGINE)
        importlib.import_module(MOZILLA + '_data')
    else:
        importlib.import_module('sslyze.mozilla_tls_profile.tls_config_checker')
        importlib.import_module('lab.tls_servers')
    out = dict(tool=args.tool, mode=args.mode, import_seconds=time.monotonic() - begin, times=[], verdicts=[])
    if args.mode == 'single':
        for dummy in range(args.repeat):
            for endpoint in endpoints:
                begin = time.monotonic()
                verdict = _scan(args.tool, [endpoint], args.ca, args.timeout, args.concurrency)
                out['times'].append(dict(label=endpoint['label'], seconds=time.monotonic() - begin))
                out['verdicts'].append(dict(label=endpoint['label'], verdict=verdict[0] if verdict else 'error'))
    else:
        begin = time.monotonic()
        verdicts = _scan(args.tool, endpoints, args.ca, args.timeout, args.concurrency)
        out['total_seconds'] = time.monotonic() - begin
        out['verdicts'] = [dict(label=e['label'], verdict=v) for e, v in zip(endpoints, verdicts)]
    out['vmhwm_mb'] = _vmhwm_mb()
    with open(args.out, 'w') as handle:
        json.dump(out, handle)


def _vmhwm_mb():
    """Peak resident memory of this process since exec (VmHWM), in MB; None where /proc has no such line."""
    try:
        with open('/proc/self/status') as handle:
            for line in handle:
                if line.startswith('VmHWM:'):
                    return int(line.split()[1]) / 1024.0
    except (IOError, OSError, ValueError):
        pass
    return None


def _run_worker(tool, mode, endpoints, ca_file, opts, workdir):
    """Run one measurement in a child process; return its JSON plus peak RSS (MB) from wait4."""
    tag = '%s-%s-%d' % (tool, mode, len(endpoints))
    ep_file = os.path.join(workdir, tag + '.endpoints.json')
    out_file = os.path.join(workdir, tag + '.out.json')
    log_file = os.path.join(workdir, tag + '.log')
    with open(ep_file, 'w') as handle:
        json.dump(endpoints, handle)
    argv = [sys.executable, '-W', 'ignore', os.path.abspath(__file__), '_worker', '--tool', tool, '--mode', mode,
            '--endpoints', ep_file, '--ca', ca_file, '--timeout', str(opts.timeout), '--concurrency', str(opts.concurrency),
            '--repeat', str(opts.repeat), '--out', out_file]
    with open(log_file, 'wb') as log:
        proc = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, cwd=REPO)
    begin = time.monotonic()
    dummy, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.monotonic() - begin
    if proc.returncode != 0 or not os.path.exists(out_file):
        with open(log_file, 'rb') as handle:
            tail = handle.read().decode('utf-8', 'replace')[-3000:]
        raise RuntimeError('%s worker failed (exit %s):\n%s' % (tag, proc.returncode, tail))
    with open(out_file) as handle:
        data = json.load(handle)
    # VmHWM read by the worker itself: ru_maxrss from wait4 also carries the parent's high-water mark
    # from before exec (Linux), which floors both tools at the size of this driver process.
    data['peak_mb'] = data.get('vmhwm_mb') or usage.ru_maxrss / 1024.0
    data['process_seconds'] = wall
    return data


# --- the benchmark -------------------------------------------------------------------------------------

def _errors(data):
    return sum(1 for v in data['verdicts'] if v['verdict'] == 'error')


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n', maxsplit=1)[0])
    parser.add_argument('--n', type=int, default=50, help='endpoints in the bulk call for both tools (default 50)')
    parser.add_argument('--n-ours', type=int, default=200, help='endpoints in the large bulk call, ours only (default 200)')
    parser.add_argument('--sslyze-large', action='store_true', help='run sslyze on --n-ours endpoints too (minutes)')
    parser.add_argument('--concurrency', type=int, default=10, help='endpoints scanned in parallel (default 10)')
    parser.add_argument('--repeat', type=int, default=1, help='per-endpoint rounds over the corpus (default 1)')
    parser.add_argument('--timeout', type=int, default=5, help='network timeout in seconds (default 5)')
    parser.add_argument('--members', help='comma-separated corpus members (default: every member sslyze can scan)')
    parser.add_argument('--sslyze-only', action='store_true', help='measure sslyze alone (when our engine is missing)')
    parser.add_argument('--json', help='also write all measurements to this file')
    parser.add_argument('--keep', action='store_true', help='keep the work directory (logs, configs)')
    opts = parser.parse_args(argv)

    problem = None if opts.sslyze_only else _engine_problem()
    if problem:
        print('tls_bench: %s.\n(Use --sslyze-only to measure sslyze alone.)' % problem, file=sys.stderr)
        return 2
    problem = _sslyze_problem()
    if problem:
        print('tls_bench: %s.' % problem, file=sys.stderr)
        return 2

    _paths()
    from lab.tls_servers import MEMBERS, sslyze_version, start_corpus
    names = opts.members.split(',') if opts.members else [m.name for m in MEMBERS if m.sslyze_can_scan]
    workdir = tempfile.mkdtemp(prefix='scs-tls-bench-')
    tools = ['sslyze'] if opts.sslyze_only else ['ours', 'sslyze']
    results = dict(tools=tools, sslyze_version=sslyze_version(), cpus=os.cpu_count(), options=vars(opts))
    try:
        begin = time.monotonic()
        corpus = start_corpus(os.path.join(workdir, 'corpus'), names=names)
        results['corpus_start_seconds'] = time.monotonic() - begin
        try:
            endpoints = corpus.endpoints()
            bulk = [endpoints[i % len(endpoints)] for i in range(opts.n)]
            large = [endpoints[i % len(endpoints)] for i in range(opts.n_ours)]
            for tool in tools:
                print('tls_bench: %s, one endpoint per call (%d x %d) ...' % (tool, len(endpoints), opts.repeat), file=sys.stderr)
                results[tool + '_single'] = _run_worker(tool, 'single', endpoints, corpus.ca_file, opts, workdir)
                print('tls_bench: %s, %d endpoints in one call ...' % (tool, len(bulk)), file=sys.stderr)
                results[tool + '_bulk'] = _run_worker(tool, 'bulk', bulk, corpus.ca_file, opts, workdir)
                if tool == 'ours' or opts.sslyze_large:
                    print('tls_bench: %s, %d endpoints in one call ...' % (tool, len(large)), file=sys.stderr)
                    results[tool + '_large'] = _run_worker(tool, 'bulk', large, corpus.ca_file, opts, workdir)
        finally:
            corpus.stop()
    finally:
        if opts.keep:
            print('tls_bench: work directory kept: %s' % workdir, file=sys.stderr)
        else:
            import shutil
            shutil.rmtree(workdir, ignore_errors=True)

    report(results, opts, names)
    if opts.json:
        with open(opts.json, 'w') as handle:
            json.dump(results, handle, indent=2, sort_keys=True)
    return 0


def report(results, opts, names):
    tools = results['tools']
    both = len(tools) == 2

    def ratio(a, b):
        return a / b if a and b else None

    def cell(value, digits=2, suffix=''):
        return '-' if value is None else '%.*f%s' % (digits, value, suffix)

    rows = []                       # (label, {tool: text}, ratio text, target text)
    single = {t: sorted(x['seconds'] for x in results[t + '_single']['times']) for t in tools}
    total = {t: sum(single[t]) for t in tools}
    pairs = paired_ratios(results) if both else []
    rows.append(('wall per endpoint, sum over %d scans (s)' % len(single[tools[0]]), {t: cell(total[t], 2) for t in tools},
                 cell(ratio(total.get('sslyze'), total.get('ours')), 1, 'x faster') if both else '', ''))
    if pairs:
        low, high = pairs[0][0], pairs[-1][0]
        geo = math.exp(sum(math.log(r) for r, _label in pairs) / len(pairs))
        rows.append(('speed-up per endpoint, paired: min .. max', {'ours': '', 'sslyze': ''},
                     '%.1f .. %.1fx' % (low, high),
                     '>= %gx at min %s' % (TARGETS['speedup'], _ok(low >= TARGETS['speedup']))))
        rows.append(('  (geometric mean of the %d pairs; slowest pair)' % len(pairs), {'ours': '', 'sslyze': ''}, '%.1fx' % geo,
                     'min on %s' % pairs[0][1]))
    rows.append(('wall per endpoint, min .. max (s)', {t: '%.2f .. %.2f' % (single[t][0], single[t][-1]) for t in tools}, '', ''))
    bulk = {t: results[t + '_bulk']['total_seconds'] for t in tools}
    rows.append(('%d endpoints in one call (s)' % opts.n, {t: cell(bulk[t]) for t in tools},
                 cell(ratio(bulk.get('sslyze'), bulk.get('ours')) if both else None, 1, 'x faster'), ''))
    mem = {t: results[t + '_bulk']['peak_mb'] for t in tools}
    mem_ratio = ratio(mem.get('ours'), mem.get('sslyze')) if both else None
    rows.append(('peak memory, %d endpoints (MB)' % opts.n, {t: cell(mem[t], 1) for t in tools}, cell(mem_ratio, 2, 'x'),
                 '<= %gx %s' % (TARGETS['memory'], _ok(mem_ratio is not None and mem_ratio <= TARGETS['memory'])) if both else ''))
    mem1 = {t: results[t + '_single']['peak_mb'] for t in tools}
    rows.append(('peak memory, one endpoint per call (MB)', {t: cell(mem1[t], 1) for t in tools},
                 cell(ratio(mem1.get('ours'), mem1.get('sslyze')) if both else None, 2, 'x'), ''))
    large = {t: results[t + '_large']['total_seconds'] if t + '_large' in results else None for t in tools}
    rows.append(('%d endpoints in one call (s)' % opts.n_ours,
                 {t: cell(large[t]) if large[t] is not None else 'skipped (~%.0f)' % (bulk[t] * opts.n_ours / float(opts.n)) for t in tools},
                 cell(ratio(large.get('sslyze'), large.get('ours')) if both else None, 1, 'x faster'),
                 '< %g s %s' % (TARGETS['bulk_seconds'], _ok(large.get('ours') is not None and large['ours'] < TARGETS['bulk_seconds']))
                 if 'ours' in tools else ''))
    rows.append(('import time (s)', {t: cell(results[t + '_single']['import_seconds']) for t in tools}, '', ''))
    rows.append(('scan errors (single / bulk / large)', {t: '%d / %d / %s' % (
        _errors(results[t + '_single']), _errors(results[t + '_bulk']),
        _errors(results[t + '_large']) if t + '_large' in results else '-') for t in tools}, '', ''))
    disagree = []
    if both:
        ours = {v['label']: v['verdict'] for v in results['ours_single']['verdicts']}
        theirs = {v['label']: v['verdict'] for v in results['sslyze_single']['verdicts']}
        disagree = [n for n in names if ours.get(n) != theirs.get(n)]
        rows.append(('verdicts equal to sslyze (per endpoint)', {'ours': '%d/%d' % (len(names) - len(disagree), len(names)), 'sslyze': ''},
                     '', ''))

    label = {'ours': 'ours', 'sslyze': 'sslyze %s' % results['sslyze_version']}
    fmt = '%-42s' + ' %16s' * len(tools) + ' %12s  %s'
    print()
    print('TLS scan benchmark: %d corpus endpoints on 127.0.0.1, %s CPUs, timeout %s s, concurrency %d, %d round(s); '
          'corpus start %.1f s' % (len(names), results['cpus'], opts.timeout, opts.concurrency, opts.repeat, results['corpus_start_seconds']))
    print('members: %s' % ', '.join(names))
    print()
    print(fmt % (('',) + tuple(label[t] for t in tools) + ('ratio', 'target')))
    for name, cells, ratio_text, target in rows:
        print(fmt % ((name,) + tuple(cells[t] for t in tools) + (ratio_text, target)))
    for n in disagree:
        print('    verdict differs on %s: ours %s, sslyze %s' % (n, ours.get(n), theirs.get(n)))
    if 'sslyze' in tools and large.get('sslyze') is None:
        print('\nsslyze was not run on %d endpoints: it would take about %.0f s (estimated from its %d-endpoint time); '
              '--sslyze-large runs it.' % (opts.n_ours, bulk['sslyze'] * opts.n_ours / float(opts.n), opts.n))
    print('Peak memory: VmHWM of each measuring child process (its own peak since exec), interpreter + imports + scan.')


def paired_ratios(results):
    """``[(sslyze seconds / our seconds, label)]`` of the same endpoint in the same round, sorted: the spread of the
    speed-up, not a median over a bimodal set (openssl s_server members answer sslyze in ~0.4 s or ~1.4 s)."""
    ours = results['ours_single']['times']
    theirs = results['sslyze_single']['times']
    out = []
    for mine, other in zip(ours, theirs):
        if mine['label'] == other['label'] and mine['seconds'] > 0:
            out.append((other['seconds'] / mine['seconds'], mine['label']))
    return sorted(out)


def _ok(flag):
    return '(met)' if flag else '(NOT met)'


if __name__ == '__main__':
    if len(sys.argv) > 1 and sys.argv[1] == '_worker':
        parser = argparse.ArgumentParser()
        parser.add_argument('_worker')
        for option in ('--tool', '--mode', '--endpoints', '--ca', '--out'):
            parser.add_argument(option, required=True)
        for option in ('--timeout', '--concurrency', '--repeat'):
            parser.add_argument(option, type=int, required=True)
        worker(parser.parse_args())
    else:
        sys.exit(main())
