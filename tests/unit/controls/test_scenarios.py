# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The control scenarios of tests/controls/<control-id>/<scenario>.yml, run through the real evaluator.

Each scenario is evidence by host (the ``audit_evidence`` shape), evaluator options, optional operator
attestations (applied as the report applies them) and the expected status of its control (with a few words of
the message, and optionally per-target statuses); see tests/controls/README.md. Evidence may be built by the
real gatherer code at test time:

* ``{$shared: probes/nginx-rsa}``: a file of tests/controls/_shared (here a real TLS probe result);
* ``{$discover: {files: {/etc/nova/nova.conf: "..."}}}`` or ``{$discover: {tree: kolla}}``: the real
  discovery (``openstack_config_info``) over a tree made of those files (``copy: {/etc/x: <repo path>}`` copies a
  sample file of the repository into it), or over tests/fixtures/trees/<tree>;
* ``{$hv: kolla-compute1}``: one host's evidence from the real ``libvirt_tls_info`` gatherer and discovery
  over the prepared hypervisor fixture tree tests/fixtures/hv/<tree> (lab/hv_trees.py, TLS material from lab/pki.py);
* each of them may carry ``$set: {slash/path: value}`` (a last part ``-`` appends to a list) and ``$del: [slash/path]``
  applied to the result.

The runner plays ``tls_endpoint_info``'s part for the TLS probe results in the evidence: like the
scanner on the node, it adds the node-side ``mozilla`` block computed from the raw fields with the
collection's own Mozilla function; scenario files never carry a ``mozilla`` block themselves.

``python tests/unit/controls/test_scenarios.py tests/controls/<control-id>/<scenario>.yml`` prints
the findings of one scenario (a tool for writing expectations).
"""

from __future__ import absolute_import, division, print_function

import copy
import glob
import json
import os
import re
import shutil
import sys
import tempfile

import pytest
import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
if __name__ == '__main__':  # pragma: no cover - the command line tool (pytest has conftest.py for this)
    sys.path.insert(0, REPO)
    from lab.paths import collections_root
    sys.path.insert(0, collections_root())

from ansible_collections.scs.secure_connections.plugins.module_utils._core.catalog import load_catalog  # noqa: E402
from ansible_collections.scs.secure_connections.plugins.module_utils._core.evaluator import evaluate  # noqa: E402
from ansible_collections.scs.secure_connections.plugins.module_utils._core.findings import (  # noqa: E402
    STATUSES, TARGET_KEYS, aggregate_status)

SCENARIOS = os.path.join(REPO, 'tests', 'controls')
SHARED = os.path.join(SCENARIOS, '_shared')
FIXTURE_TREES = os.path.join(REPO, 'tests', 'fixtures', 'trees')
HV_TREES = os.path.join(REPO, 'tests', 'fixtures', 'hv')

TOP_KEYS = ('description', 'hosts', 'options', 'attestations', 'expect', 'xfail')
EXPECT_KEYS = ('status', 'message', 'message_regex', 'targets')
TARGET_EXPECT_KEYS = TARGET_KEYS + ('status', 'message')
DIRECTIVES = ('$shared', '$discover', '$hv')
MODIFIERS = ('$set', '$del')
DISCOVER_KEYS = ('files', 'copy', 'tree', 'services', 'gather')
# where TLS probe results sit in a host's evidence: tls.endpoints and <channel>.tls.endpoints
PROBE_CHANNELS = ('api', 'db', 'mq', 'hv')
# statuses every control can take from the evaluator itself, whatever its rule does
EVALUATOR_STATUSES = ('error', 'not_assessed')


def catalog_controls():
    return dict((c['id'], c) for c in load_catalog()['controls'])


def scenario_files():
    return sorted(glob.glob(os.path.join(SCENARIOS, 'scs-0125-*', '*.yml')))


def scenario_id(path):
    return '%s/%s' % (os.path.basename(os.path.dirname(path)), os.path.splitext(os.path.basename(path))[0])


def load_yaml(path):
    with open(path) as handle:
        return yaml.safe_load(handle)


# ----------------------------------------------------------------------------------------------
# evidence building

def _split(path):
    return [int(p) if p.isdigit() else p for p in str(path).split('/')]


def set_path(obj, path, value):
    parts = _split(path)
    for part in parts[:-1]:
        if isinstance(obj, list):
            obj = obj[part]
        else:
            if obj.get(part) is None:
                obj[part] = {}
            obj = obj[part]
    if isinstance(obj, list) and parts[-1] == '-':
        obj.append(copy.deepcopy(value))  # "-" appends, as in JSON Patch
    else:
        obj[parts[-1]] = copy.deepcopy(value)


def del_path(obj, path):
    parts = _split(path)
    for part in parts[:-1]:
        obj = obj[part]
    del obj[parts[-1]]


def _write_tree(root, files):
    for path, content in (files or {}).items():
        real = os.path.join(root, str(path).lstrip('/'))
        if not os.path.isdir(os.path.dirname(real)):
            os.makedirs(os.path.dirname(real))
        with open(real, 'w') as handle:
            handle.write(content if isinstance(content, str) else '')


def run_discovery(spec, workdir):
    """The real discovery (openstack_config_info) over a fixture tree or a tree of the given files."""
    from ansible_collections.scs.secure_connections.plugins.module_utils._gather.discovery import discover
    spec = spec if isinstance(spec, dict) else {'tree': spec}
    if spec.get('tree'):
        root = os.path.join(FIXTURE_TREES, spec['tree'])
    else:
        root = tempfile.mkdtemp(prefix='tree-', dir=workdir)
        files = dict(spec.get('files') or {})
        for dest, source in (spec.get('copy') or {}).items():
            with open(os.path.join(REPO, source)) as handle:
                files[dest] = handle.read()
        _write_tree(root, files)
    result = discover(root, gather=spec.get('gather') or ['layout', 'services', 'infrastructure'], services=spec.get('services'))
    result['root'] = '/'
    return result


class HvTrees(object):
    """Prepared hypervisor fixture trees (lab/hv_trees.py), gathered once per test session."""

    def __init__(self, workdir):
        self.workdir = workdir
        self.ca = None
        self.cache = {}

    def host(self, spec):
        from lab.hv_trees import discover_tree, gather_tree, host_evidence, prepare
        from lab.pki import CA
        spec = spec if isinstance(spec, dict) else {'tree': spec}
        key = json.dumps(spec, sort_keys=True)
        if key not in self.cache:
            if self.ca is None:
                self.ca = CA(os.path.join(self.workdir, 'pki'))
            dest = os.path.join(self.workdir, 'hv-%d' % len(self.cache))
            root = prepare(spec['tree'], dest, self.ca, client_name=spec.get('client_name'))
            for rel in spec.get('remove') or []:  # a snapshot that lacks these files
                os.unlink(os.path.join(root, rel))
            self.cache[key] = host_evidence(gather_tree(root), discover_tree(root))
        return copy.deepcopy(self.cache[key])


def resolve(node, ctx):
    """``node`` with every directive replaced by what it builds (in place: objects YAML anchors share stay shared,
    as the scanner's ``certificates`` and ``certificate_deployments[0].certificates`` are one chain)."""
    if isinstance(node, list):
        node[:] = [resolve(item, ctx) for item in node]
        return node
    if not isinstance(node, dict):
        return node
    directive = [k for k in node if k in DIRECTIVES]
    if not directive:
        for key in list(node):
            node[key] = resolve(node[key], ctx)
        return node
    name = directive[0]
    if name == '$shared':
        value = resolve(load_yaml(os.path.join(SHARED, node['$shared'] + '.yml')), ctx)
    elif name == '$discover':
        value = run_discovery(node['$discover'], ctx['workdir'])
    else:
        value = ctx['hv'].host(node['$hv'])
    value = copy.deepcopy(value)
    for path, item in (node.get('$set') or {}).items():
        set_path(value, path, resolve(item, ctx))
    for path in node.get('$del') or []:
        del_path(value, path)
    return value


def probe_results(host_evidence):
    """Every TLS probe result (tls_endpoint_info result) in one host's evidence."""
    blocks = [host_evidence.get('tls')] + [(host_evidence.get(c) or {}).get('tls') if isinstance(host_evidence.get(c), dict) else None
                                           for c in PROBE_CHANNELS]
    for block in blocks:
        if isinstance(block, dict):
            for item in block.get('endpoints') or []:
                if isinstance(item, dict):
                    yield item


def add_node_mozilla(evidence_by_host):
    """Add the node-side ``mozilla`` block as tls_endpoint_info does (from the raw fields, shipped guidelines)."""
    from ansible_collections.scs.secure_connections.plugins.module_utils._core import mozilla
    from ansible_collections.scs.secure_connections.plugins.module_utils._core.mozilla_data import GUIDELINES
    for host_evidence in evidence_by_host.values():
        if isinstance(host_evidence, dict):
            for result in probe_results(host_evidence):
                result.setdefault('mozilla', mozilla.evaluate(result, GUIDELINES, 'intermediate'))


def build_evidence(scenario, ctx):
    evidence = resolve(scenario.get('hosts') or {}, ctx)
    add_node_mozilla(evidence)
    return evidence


# ----------------------------------------------------------------------------------------------
# schema of the scenario files

def _walk(node, path=''):
    yield path, node
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _walk(value, '%s/%s' % (path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _walk(value, '%s/%d' % (path, index))


def schema_problems(scenario, path, controls):
    """Problems of one scenario file (empty list: fine)."""
    problems = []
    control_id = os.path.basename(os.path.dirname(path))
    name = os.path.splitext(os.path.basename(path))[0]
    if control_id not in controls:
        problems.append('directory %s names no control of the catalog' % control_id)
    if not isinstance(scenario, dict):
        return problems + ['the file is not a mapping']
    problems += ['unknown top-level key %r (allowed: %s)' % (k, ', '.join(TOP_KEYS)) for k in scenario if k not in TOP_KEYS]
    for key in ('description', 'hosts', 'expect'):
        if not scenario.get(key):
            problems.append('%r is missing or empty' % key)
    if not isinstance(scenario.get('description', ''), str):
        problems.append('description must be a string')
    if 'xfail' in scenario and not (isinstance(scenario['xfail'], str) and scenario['xfail'].strip()):
        problems.append('xfail must be the reason (a non-empty string)')
    if not isinstance(scenario.get('options') or {}, dict):
        problems.append('options must be a mapping')
    if not isinstance(scenario.get('attestations') or [], list):
        problems.append('attestations must be a list (conformance_report attestations)')
    hosts = scenario.get('hosts')
    if hosts is not None and not isinstance(hosts, dict):
        problems.append('hosts must map host names to evidence')
    expect = scenario.get('expect')
    if isinstance(expect, dict):
        problems += ['unknown key %r in expect (allowed: %s)' % (k, ', '.join(EXPECT_KEYS)) for k in expect if k not in EXPECT_KEYS]
        status = expect.get('status')
        if status not in STATUSES:
            problems.append('expect.status %r is not one of %s' % (status, ', '.join(STATUSES)))
        elif not (name == status or name.startswith(status + '-')):
            problems.append('the file name must be <status>.yml or <status>-<variant>.yml for status %s' % status)
        if not expect.get('message') and not expect.get('message_regex'):
            problems.append('expect needs a message (words that must appear) or a message_regex')
        for key in ('message', 'message_regex'):
            value = expect.get(key)
            if value is not None and not (isinstance(value, str) or (isinstance(value, list) and all(isinstance(v, str) for v in value))):
                problems.append('expect.%s must be a string or a list of strings' % key)
        if expect.get('message_regex'):
            for regex in ([expect['message_regex']] if isinstance(expect['message_regex'], str) else expect['message_regex']):
                try:
                    re.compile(regex)
                except re.error as exc:
                    problems.append('expect.message_regex %r does not compile: %s' % (regex, exc))
        for index, target in enumerate(expect.get('targets') or []):
            if not isinstance(target, dict):
                problems.append('expect.targets[%d] must be a mapping' % index)
                continue
            problems += ['unknown key %r in expect.targets[%d] (allowed: %s)' % (k, index, ', '.join(TARGET_EXPECT_KEYS))
                         for k in target if k not in TARGET_EXPECT_KEYS]
            if target.get('status') not in STATUSES:
                problems.append('expect.targets[%d].status %r is not one of %s' % (index, target.get('status'), ', '.join(STATUSES)))
    elif expect is not None:
        problems.append('expect must be a mapping')
    problems += directive_problems(scenario)
    return problems


def directive_problems(node):
    problems = []
    for where, item in _walk(node):
        if not isinstance(item, dict):
            continue
        if 'mozilla' in item:
            problems.append('%s carries a "mozilla" block: give the raw probe fields, the verdict is computed' % (where or '/'))
        dollars = [k for k in item if isinstance(k, str) and k.startswith('$')]
        unknown = [k for k in dollars if k not in DIRECTIVES + MODIFIERS]
        problems += ['%s: unknown directive %s' % (where, k) for k in unknown]
        used = [k for k in dollars if k in DIRECTIVES]
        if len(used) > 1:
            problems.append('%s: more than one directive (%s)' % (where, ', '.join(used)))
        if not used and any(k in item for k in MODIFIERS):
            problems.append('%s: $set/$del without a directive' % where)
        if used and set(item) - set(DIRECTIVES + MODIFIERS):
            problems.append('%s: keys next to %s: %s' % (where, used[0], ', '.join(sorted(set(item) - set(DIRECTIVES + MODIFIERS)))))
        if '$shared' in item and not os.path.isfile(os.path.join(SHARED, str(item['$shared']) + '.yml')):
            problems.append('%s: no shared file _shared/%s.yml' % (where, item['$shared']))
        if '$discover' in item:
            spec = item['$discover']
            spec = spec if isinstance(spec, dict) else {'tree': spec}
            problems += ['%s: unknown $discover key %r' % (where, k) for k in spec if k not in DISCOVER_KEYS]
            if spec.get('tree') and not os.path.isdir(os.path.join(FIXTURE_TREES, str(spec['tree']))):
                problems.append('%s: no fixture tree tests/fixtures/trees/%s' % (where, spec['tree']))
            if not spec.get('tree') and not isinstance(spec.get('files') or spec.get('copy'), dict):
                problems.append('%s: $discover needs a tree, files or copy' % where)
            for source in (spec.get('copy') or {}).values():
                if not os.path.isfile(os.path.join(REPO, str(source))):
                    problems.append('%s: $discover copy source %s does not exist' % (where, source))
        if '$hv' in item:
            spec = item['$hv'] if isinstance(item['$hv'], dict) else {'tree': item['$hv']}
            if not os.path.isdir(os.path.join(HV_TREES, str(spec.get('tree')))):
                problems.append('%s: no hypervisor fixture tree tests/fixtures/hv/%s' % (where, spec.get('tree')))
    return problems


# ----------------------------------------------------------------------------------------------
# judging a scenario

def _texts(value):
    return [value] if isinstance(value, str) else list(value or [])


def message_matches(message, expect):
    low = message.lower()
    if not all(word.lower() in low for word in _texts(expect.get('message'))):
        return False
    return all(re.search(regex, message) for regex in _texts(expect.get('message_regex')))


def describe(findings):
    lines = []
    for f in findings:
        target = ', '.join('%s=%s' % (k, f['target'][k]) for k in TARGET_KEYS if f['target'].get(k))
        lines.append('  - %s [%s] %s' % (f['status'], target or 'no target', f['message']))
    return '\n'.join(lines) or '  (no finding)'


def check(scenario, findings, control_id):
    """Problems of the findings against the scenario's expectations (empty list: as expected)."""
    expect = scenario['expect']
    mine = [f for f in findings if f['control_id'] == control_id]
    problems = []
    status = aggregate_status([f['status'] for f in mine])
    if status != expect['status']:
        problems.append('control status is %s, expected %s' % (status, expect['status']))
    if not any(f['status'] == expect['status'] and message_matches(f['message'], expect) for f in mine):
        problems.append('no %s finding has a message with %s%s' % (
            expect['status'], ' and '.join(repr(w) for w in _texts(expect.get('message'))) or '',
            ' matching %s' % ' and '.join(repr(r) for r in _texts(expect.get('message_regex'))) if expect.get('message_regex') else ''))
    for wanted in expect.get('targets') or []:
        keys = dict((k, str(v)) for k, v in wanted.items() if k in TARGET_KEYS)
        hits = [f for f in mine if all(f['target'].get(k) == v for k, v in keys.items())]
        if not hits:
            problems.append('no finding for target %s' % keys)
        elif not any(f['status'] == wanted['status'] and (not wanted.get('message') or wanted['message'].lower() in f['message'].lower())
                     for f in hits):
            problems.append('target %s: expected %s%s, got %s' % (
                keys, wanted['status'], ' with %r' % wanted['message'] if wanted.get('message') else '',
                ', '.join(sorted(set(f['status'] for f in hits)))))
    return problems


def run_scenario(path, workdir, hv):
    scenario = load_yaml(path)
    control_id = os.path.basename(os.path.dirname(path))
    evidence = build_evidence(scenario, {'workdir': workdir, 'hv': hv})
    findings = evaluate(evidence, options=scenario.get('options') or {})
    if scenario.get('attestations'):
        # as the report does: operator attestations replace the manual findings they answer
        from ansible_collections.scs.secure_connections.plugins.module_utils._core.report import attestation_findings, merge_attestations
        findings = merge_attestations(findings, attestation_findings(scenario['attestations']))
    return scenario, control_id, findings


# ----------------------------------------------------------------------------------------------
# tests

def _params():
    out = []
    for path in scenario_files():
        try:
            reason = (load_yaml(path) or {}).get('xfail')
        except yaml.YAMLError:
            reason = None
        marks = [pytest.mark.xfail(reason=reason, strict=True)] if isinstance(reason, str) and reason.strip() else []
        out.append(pytest.param(path, id=scenario_id(path), marks=marks))
    return out


@pytest.fixture(scope='module')
def workdir():
    path = tempfile.mkdtemp(prefix='scs-scenarios-')
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture(scope='module')
def hv_trees(workdir):
    return HvTrees(workdir)


@pytest.mark.parametrize('path', _params())
def test_scenario(path, workdir, hv_trees):
    scenario, control_id, findings = run_scenario(path, workdir, hv_trees)
    problems = check(scenario, findings, control_id)
    assert not problems, '%s (%s):\n%s\nfindings of %s:\n%s' % (
        scenario_id(path), scenario.get('description'), '\n'.join('* ' + p for p in problems), control_id,
        describe([f for f in findings if f['control_id'] == control_id]))


@pytest.mark.parametrize('path', [pytest.param(p, id=scenario_id(p)) for p in scenario_files()])
def test_scenario_schema(path):
    try:
        scenario = load_yaml(path)
    except yaml.YAMLError as exc:
        pytest.fail('%s is not valid YAML: %s' % (path, exc))
    problems = schema_problems(scenario, path, catalog_controls())
    assert not problems, '%s:\n%s' % (scenario_id(path), '\n'.join('* ' + p for p in problems))


def test_shared_files_carry_no_verdict():
    problems = []
    for path in sorted(glob.glob(os.path.join(SHARED, '**', '*.yml'), recursive=True)):
        problems += ['%s: %s' % (os.path.relpath(path, SCENARIOS), p) for p in directive_problems(load_yaml(path))]
    assert not problems, '\n'.join(problems)


def test_every_control_has_pass_and_fail_scenarios():
    controls = catalog_controls()
    by_control = {}
    for path in scenario_files():
        scenario = load_yaml(path) or {}
        by_control.setdefault(os.path.basename(os.path.dirname(path)), set()).add((scenario.get('expect') or {}).get('status'))
    missing = ['%s lacks a %s scenario' % (cid, status) for cid in sorted(controls) for status in ('pass', 'fail')
               if status not in by_control.get(cid, set())]
    unknown = ['tests/controls/%s names no control of the catalog' % cid for cid in sorted(by_control) if cid not in controls]
    strays = [d for d in sorted(os.listdir(SCENARIOS)) if os.path.isdir(os.path.join(SCENARIOS, d)) and d not in controls and d != '_shared']
    unknown += ['tests/controls/%s/ is neither a control id nor _shared' % d for d in strays if d not in by_control]
    assert not missing + unknown, '\n'.join(missing + unknown)


def test_every_control_has_evaluator_level_scenarios_somewhere():
    """The statuses the evaluator gives any control (error, not_assessed) are shown by at least one scenario."""
    seen = set()
    for path in scenario_files():
        seen.add(((load_yaml(path) or {}).get('expect') or {}).get('status'))
    assert set(EVALUATOR_STATUSES) <= seen


def test_schema_check_reports_broken_scenarios():
    """The schema check can fail: a scenario with every kind of mistake gets every problem named."""
    broken = {'hosts': {'ctl1': {'tls': {'endpoints': [{'$shared': 'probes/no-such-probe', 'mozilla': {'compliant': True}}]},
                                 'discovery': {'$discover': {'tree': 'no-such-tree'}, 'extra': 1}}},
              'expect': {'status': 'passed', 'targets': [{'status': 'pass', 'port': 443}]}, 'comment': 'x'}
    problems = '\n'.join(schema_problems(broken, os.path.join(SCENARIOS, 'scs-0125-no-such-control', 'pass.yml'), catalog_controls()))
    for words in ('names no control of the catalog', "unknown top-level key 'comment'", "'description' is missing",
                  "expect.status 'passed' is not one of", 'expect needs a message', "unknown key 'port' in expect.targets[0]",
                  'carries a "mozilla" block', 'no shared file _shared/probes/no-such-probe.yml', 'no fixture tree',
                  'keys next to $discover: extra'):
        assert words in problems, (words, problems)
    good = {'description': 'x', 'hosts': {'h': {'channels': []}}, 'expect': {'status': 'fail', 'message': 'x'}}
    assert schema_problems(good, os.path.join(SCENARIOS, 'scs-0125-tls-mozilla', 'pass-x.yml'), catalog_controls()) == [
        'the file name must be <status>.yml or <status>-<variant>.yml for status fail']


def test_checker_catches_a_wrong_expectation(workdir, hv_trees):
    """The runner can fail: the first pass scenario, expected as fail, and with words it lacks, is reported."""
    path = [p for p in scenario_files() if os.path.basename(p) == 'pass.yml'][0]
    scenario, control_id, findings = run_scenario(path, workdir, hv_trees)
    wrong = dict(scenario, expect={'status': 'fail', 'message': 'no such words in any message'})
    problems = check(wrong, findings, control_id)
    assert any('expected fail' in p for p in problems) and any('no fail finding' in p for p in problems), problems


def main(argv):  # pragma: no cover - command line tool
    workdir = tempfile.mkdtemp(prefix='scs-scenarios-')
    try:
        hv = HvTrees(workdir)
        for path in argv:
            try:
                scenario, control_id, findings = run_scenario(path, workdir, hv)
            except Exception as exc:  # pylint: disable=broad-except
                print('%s: cannot run: %s: %s' % (scenario_id(path), type(exc).__name__, exc))
                continue
            mine = [f for f in findings if f['control_id'] == control_id]
            print('%s: %s (expected %s)' % (scenario_id(path), aggregate_status([f['status'] for f in mine]),
                                            (scenario.get('expect') or {}).get('status')))
            print(describe(mine))
            problems = check(scenario, findings, control_id) if scenario.get('expect') else []
            print('\n'.join('  * ' + p for p in problems) or '  as expected')
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == '__main__':  # pragma: no cover
    main(sys.argv[1:])
