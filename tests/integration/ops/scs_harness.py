# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A minimal stand-in for SCS's ``Tests/scs-compliance-check.py`` (SovereignCloudStack/standards).

The real script cannot be fetched at test time, so this reproduces its documented contract, written
from scratch after reading ``scs-compliance-check.py`` and ``scs_cert_lib.py``:

* spec keywords are checked (unknown keywords are a syntax error, as ``load_spec`` bails out);
* every ``run`` entry of an included module (tag format) or every ``scripts`` entry (script format,
  ``{testcases}`` = the selected ids) runs once with ``args`` formatted from the ``-a`` assignment and
  module parameters, ``shlex``-split, relative to the spec's directory, a ``.py`` executable with the
  harness's own Python;
* result lines ``<id>: PASS|FAIL|ABORT`` are read from **stdout** only (``rsplit(':', 1)``), ids
  outside the suite are ignored with a warning;
* lines of stdout and stderr starting (case-insensitively) with ``info``, ``warning``, ``error``,
  ``critical`` are counted; the exit code is ``critical + error + failed results`` (capped at 127);
* targets select testcases by tag selectors (``main: mandatory``; ``a/b`` = or, space = and,
  ``!x`` = not, ``,`` separates alternatives) or, in the script format, list ids; a target is
  ``FAIL`` with a failed or aborted testcase, ``TENTATIVE pass`` with a missing one, else ``PASS``.
"""

from __future__ import absolute_import, division, print_function

import os
import shlex
import subprocess
import sys

VERDICTS = {'PASS': 1, 'ABORT': 0, 'FAIL': -1}
KEYWORDS = {
    'spec': ('uuid', 'name', 'url', 'versions', 'prerequisite', 'variables', 'modules', 'timeline', 'scripts'),
    'versions': ('version', 'include', 'targets', 'stabilized_at'),
    'modules': ('id', 'run', 'testcases', 'url', 'name', 'parameters', 'targets'),
    'run': ('executable', 'env', 'args', 'section'),
    'scripts': ('executable', 'env', 'args', 'testcases'),
    'testcases': ('lifetime', 'id', 'description', 'tags', 'url', 'section'),
    'include': ('ref', 'parameters'),
}


class SpecError(ValueError):
    pass


def check_keywords(ctx, value):
    """Names of unknown keywords (recursively), like scs_cert_lib._check_keywords."""
    valid = KEYWORDS.get(ctx)
    if valid is None:
        return []
    if isinstance(value, (list, tuple)):
        return [bad for item in value for bad in check_keywords(ctx, item)]
    if not isinstance(value, dict):
        return []
    bad = ['%s.%s' % (ctx, k) for k in value if k not in valid]
    return bad + [b for k, v in value.items() for b in check_keywords(k, v)]


def parse_selector(text):
    return [term.strip().split('/') for term in text.split()]


def matches(selectors, tags):
    def atom(a):
        return a[1:] not in tags if a.startswith('!') else a in tags
    return any(all(any(atom(a) for a in term) for term in sel) for sel in selectors)


def parse_results(stdout_lines, permissible):
    results, ignored = {}, []
    for line in stdout_lines:
        parts = line.rsplit(':', 1)
        if len(parts) != 2:
            continue
        value = VERDICTS.get(parts[1].strip().upper())
        if value is None:
            continue
        tc_id = parts[0].strip()
        if tc_id not in permissible:
            ignored.append(tc_id)
            continue
        results[tc_id] = min(value, results.get(tc_id, value))  # worst value wins
    return results, ignored


def count_signals(lines):
    return dict((s, len([line for line in lines if line.lower().startswith(s)])) for s in ('info', 'warning', 'error', 'critical'))


class Run(object):
    def __init__(self, **kwargs):
        self.__dict__.update(kwargs)


def run_tool(spec_dir, executable, args, env, timeout):
    exe = [os.path.abspath(os.path.join(spec_dir, executable))] + shlex.split(args)
    if exe[0].endswith('.py'):
        exe.insert(0, sys.executable)
    try:
        proc = subprocess.run(exe, stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True,
                              env=dict(os.environ, **env), cwd=spec_dir, timeout=timeout, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return Run(cmd=exe, rc=127, stdout=[], stderr=['CRITICAL: %s' % exc])
    return Run(cmd=exe, rc=proc.returncode, stdout=proc.stdout.splitlines(), stderr=proc.stderr.splitlines())


def compliance_check(spec, spec_dir, version, assignment, tests=None, timeout=900):
    """Run one version of ``spec`` (a parsed compliance YAML); returns a Run with per-target verdicts."""
    bad = check_keywords('spec', spec)
    if bad:
        raise SpecError('unknown keywords: %s' % ', '.join(bad))
    missing = [v for v in spec.get('variables', ()) if isinstance(v, str) and v not in assignment]
    if missing:
        raise SpecError('missing variable assignments (-a) for: %s' % ', '.join(missing))
    modules = dict((m['id'], m) for m in spec['modules'])
    vd = [v for v in spec['versions'] if v['version'] == version][0]
    includes = [{'module': modules[i], 'parameters': {}} if isinstance(i, str) else
                {'module': modules[i['ref']], 'parameters': i.get('parameters', {})} for i in vd['include']]
    testcases, invocations = {}, []
    if 'scripts' in spec:  # script format: modules carry target lists, scripts carry testcases
        script_of = {}
        for script in spec['scripts']:
            for tc in script['testcases']:
                testcases[tc['id']] = tc
                script_of[tc['id']] = script
        targets = {}
        for inc in includes:
            for name, ids in (inc['module'].get('targets') or {}).items():
                targets.setdefault(name, []).extend(ids)
        wanted = sorted(set(i for ids in targets.values() for i in ids if tests is None or i in tests))
        for script in spec['scripts']:
            ids = [i for i in wanted if script_of[i] is script]
            if ids:
                fmt = dict(assignment, testcases=' '.join(ids))
                invocations.append(run_tool(spec_dir, script['executable'], script.get('args', '').format(**fmt),
                                            dict((k, v.format(**fmt)) for k, v in (script.get('env') or {}).items()), timeout))
        selected = dict((name, ids) for name, ids in targets.items())
    else:  # tag format: modules carry run entries and tagged testcases, targets are tag selectors
        for inc in includes:
            for tc in inc['module'].get('testcases', ()):
                testcases[tc['id']] = tc
            if tests is None or any(tc['id'] in tests for tc in inc['module'].get('testcases', ())):
                fmt = dict(assignment, **inc['parameters'])
                for check in inc['module'].get('run', ()):
                    invocations.append(run_tool(spec_dir, check['executable'], check.get('args', '').format(**fmt),
                                                dict((k, v.format(**fmt)) for k, v in (check.get('env') or {}).items()), timeout))
        selected = {}
        for name, selector in vd['targets'].items():
            sels = [parse_selector(s) for s in selector.split(',')]
            selected[name] = [i for i, tc in testcases.items() if matches(sels, tc.get('tags') or [])]
    results, signals, ignored = {}, dict(info=0, warning=0, error=0, critical=0), []
    for inv in invocations:
        got, bad_ids = parse_results(inv.stdout, testcases)
        ignored.extend(bad_ids)
        for tc_id, value in got.items():
            results[tc_id] = min(value, results.get(tc_id, value))
        for key, value in count_signals(inv.stderr + inv.stdout).items():
            signals[key] += value
    verdicts = {}
    for name, ids in selected.items():
        buckets = dict(missing=[i for i in ids if i not in results], failed=[i for i in ids if results.get(i) == -1],
                       aborted=[i for i in ids if results.get(i) == 0], passed=[i for i in ids if results.get(i) == 1])
        verdict = 'FAIL' if buckets['failed'] or buckets['aborted'] else 'TENTATIVE pass' if buckets['missing'] else 'PASS'
        verdicts[name] = dict(buckets, verdict=verdict)
    failed = len([v for v in results.values() if v < 0])
    rc = min(127, signals['critical'] + signals['error'] + failed)
    return Run(invocations=invocations, results=results, signals=signals, targets=verdicts, ignored=ignored, rc=rc,
               testcases=testcases)
