#!/usr/bin/env python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""scs-0125-v1 check tool for SCS's ``scs-compliance-check.py`` (docs/scs-compliance.md).

Two views of a cloud:

* ``--os-cloud NAME`` (public view, what SCS's compliance monitor can see): reads the Keystone
  catalog with openstacksdk from clouds.yaml, probes every public https endpoint from where this
  runs with the collection's TLS engine and judges them with the collection's evaluator. Only
  ``scs-0125-api-public-tls`` is observable this way (the standard's "Conformance Tests" section);
  other requested testcases get no result line and a ``WARNING:`` saying why.
* ``-i INVENTORY`` (CSP view): runs the collection's audit playbook on the inventory and prints
  the result line of every requested control from the report it writes.

Contract (SCS ``Tests/scs-compliance-check.py``): stdout carries only ``<testcase-id>: PASS|FAIL|ABORT``
lines; stderr carries diagnostics starting with ``INFO:``, ``WARNING:``, ``ERROR:`` (the tool could not
assess something) or ``CRITICAL:`` (the run could not be done). Failed testcases are not repeated as
``ERROR:`` lines (SCS counts FAIL results itself). Exit code 0 when the run completed (whatever the
results), 1 after a ``CRITICAL:`` line, 2 for a usage error.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import argparse
import datetime
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile

# realpath: the script may be symlinked next to SCS's compliance YAML
COLLECTION_DIR = os.path.dirname(os.path.dirname(os.path.dirname(os.path.realpath(__file__))))
# the controls the public view (a cloud user outside the cloud) can judge
PUBLIC_TESTCASES = ('scs-0125-api-public-tls',)
PUBLIC_HOST = 'public-view'
REPORT_JSON = 'scs-0125-report.json'

# testcase tag (SCS module format) of each level of the standard: a target ``main: mandatory`` is
# exactly the MUST controls
LEVEL_TAGS = {'MUST': 'mandatory', 'SHOULD': 'recommended', 'SHOULD NOT': 'recommended', 'RECOMMENDED': 'recommended',
              'MAY': 'optional', 'ADVISORY': 'advisory'}
# where SCS's compliance YAML finds this script (relative to the YAML; see docs/scs-compliance.md)
SCS_EXECUTABLE = './iaas/secure-connections/scs_0125_check.py'
MODULE_FILES = {'tags': 'scs-0125-v1.module.yaml', 'scripts': 'scs-0125-v1.scripts.yaml'}
MODULE_HEADER = ('# Generated from plugins/module_utils/data/controls.yml by\n'
                 '#   extensions/scs/scs_0125_check.py --print-module %s\n'
                 '# do not edit (tests/unit/ops/test_scs_module.py keeps it in sync). Usage: docs/scs-compliance.md\n')


def _testcase(control, url):
    return {'id': control['id'],
            'description': '%s: %s. %s' % (control['level'], control['title'], ' '.join(control['requirement'].split())),
            'url': url}


def module_documents(catalog):
    """SCS compliance-YAML fragments for scs-0125-v1, one testcase per control id, by level.

    ``tags``: a module with ``run`` and tagged ``testcases`` (scs_cert_lib of 2024-2025; targets
    select by tag, ``main: mandatory``). ``scripts``: a script entry with its testcases and a
    module whose targets list testcase ids (scs_cert_lib since 2026-01, standards#1061)."""
    standard = catalog['standard']
    url = standard['url']
    name = '%s v1' % standard['title']
    tagged = {'id': standard['id'], 'name': name, 'url': url,
              'run': [{'executable': SCS_EXECUTABLE, 'args': '--os-cloud {os_cloud}'}],
              'testcases': []}
    targets = {}
    for control in catalog['controls']:
        tag = LEVEL_TAGS[control['level']]
        case = _testcase(control, url)
        tagged['testcases'].append({'id': case['id'], 'tags': [tag], 'description': case['description']})
        targets.setdefault('main' if tag == 'mandatory' else tag, []).append(control['id'])
    scripts = {'scripts': [{'executable': SCS_EXECUTABLE, 'args': '--os-cloud {os_cloud} {testcases}',
                            'testcases': [_testcase(c, url) for c in catalog['controls']]}],
               'modules': [{'id': standard['id'], 'name': name, 'url': url, 'targets': targets}]}
    return {'tags': tagged, 'scripts': scripts}


def module_text(catalog, kind):
    import yaml  # pylint: disable=import-outside-toplevel

    class IndentedDumper(yaml.SafeDumper):  # pylint: disable=too-many-ancestors
        """Block sequences indented under their key, as yamllint (and ansible-lint) expect."""

        def increase_indent(self, flow=False, indentless=False):
            return super(IndentedDumper, self).increase_indent(flow, False)

    body = yaml.dump(module_documents(catalog)[kind], Dumper=IndentedDumper, default_flow_style=False, sort_keys=False, width=110)
    return MODULE_HEADER % kind + '---\n' + body


def collections_root():
    """A directory holding ``ansible_collections/scs/secure_connections`` that is this collection.

    Installed collections already sit at such a path; a plain clone gets a symlink in the temp
    directory (outside the clone, so nothing that walks the tree loops)."""
    parts = COLLECTION_DIR.split(os.sep)
    if parts[-3:] == ['ansible_collections', 'scs', 'secure_connections']:
        return os.sep.join(parts[:-3]) or os.sep
    digest = hashlib.sha1(COLLECTION_DIR.encode('utf-8')).hexdigest()[:10]
    base = os.path.join(tempfile.gettempdir(), 'scs-0125-check-%s' % digest)
    link = os.path.join(base, 'ansible_collections', 'scs', 'secure_connections')
    if os.path.realpath(link) != os.path.realpath(COLLECTION_DIR):
        if not os.path.isdir(os.path.dirname(link)):
            os.makedirs(os.path.dirname(link))
        if os.path.lexists(link):
            os.unlink(link)
        os.symlink(COLLECTION_DIR, link)
    return base


def diag(kind, message):
    """One diagnostic line on stderr in SCS's convention (``INFO``/``WARNING``/``ERROR``/``CRITICAL``)."""
    for number, line in enumerate(str(message).splitlines() or ['']):
        print('%s: %s' % (kind, line) if number == 0 else '  %s' % line, file=sys.stderr)
    sys.stderr.flush()


class Usage(Exception):
    """Bad command line."""


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        raise Usage(message)


class Critical(Exception):
    """The run cannot be done (no cloud configuration, playbook crashed, ...)."""


def parse_args(argv):
    parser = _Parser(
        prog='scs_0125_check.py',
        description='scs-0125-v1 Secure Connections check tool for SCS scs-compliance-check.py '
                    '(stdout: "<testcase-id>: PASS|FAIL|ABORT" lines only).')
    parser.add_argument('-c', '--os-cloud', default=os.environ.get('OS_CLOUD') or None,
                        help='cloud of clouds.yaml for the public view (default: $OS_CLOUD); with -i, the cloud the audit reads the catalog of')
    parser.add_argument('-i', '--inventory', default=os.environ.get('SCS_0125_INVENTORY') or None,
                        help='Ansible inventory: run the full audit playbook (CSP view); default $SCS_0125_INVENTORY')
    parser.add_argument('--testcases', action='append', default=[],
                        help='comma separated testcase ids to run (default: all); testcase ids may also be given as arguments')
    parser.add_argument('ids', nargs='*', help='testcase ids (as scs-compliance-check passes {testcases})')
    parser.add_argument('--report-dir', help='also write the full report (JSON, HTML, ...) to this directory')
    parser.add_argument('--ca-file', action='append', default=[],
                        help='public view: extra CA file the endpoint certificates are verified against (the cacert of clouds.yaml is used too)')
    parser.add_argument('--timeout', type=float, default=5.0, help='public view: TLS probe timeout per connection, seconds')
    parser.add_argument('--mozilla-level', choices=('old', 'intermediate', 'modern'), default='intermediate')
    parser.add_argument('--ignore', action='append', default=[], metavar='ENDPOINT=REASON',
                        help='public view: endpoint (URL, host:port or host) left out on purpose, with the reason')
    parser.add_argument('--playbook', default='scs.secure_connections.audit', help='CSP view: playbook to run')
    parser.add_argument('-e', '--extra-vars', action='append', default=[], help='CSP view: passed to ansible-playbook -e')
    parser.add_argument('--ansible-playbook', default=None, help='CSP view: the ansible-playbook program (default: next to this Python, else PATH)')
    parser.add_argument('-v', '--verbose', action='store_true', help='CSP view: show the playbook output on stderr')
    parser.add_argument('--print-module', choices=sorted(MODULE_FILES),
                        help='print the SCS compliance-YAML entry for scs-0125-v1 (tags: module with tagged testcases; '
                             'scripts: script and module with target lists) and exit')
    args = parser.parse_args(argv)
    if args.print_module:
        return args
    if not args.os_cloud and not args.inventory:
        raise Usage('give --os-cloud NAME (or set OS_CLOUD) for the public view, or -i INVENTORY for the CSP view')
    for item in args.ignore:
        if '=' not in item or not item.split('=', 1)[1].strip():
            raise Usage('--ignore needs ENDPOINT=REASON, got %r' % item)
    return args


def select_testcases(args, catalog):
    """The requested control ids in catalog order (all when none are named); unknown ids are warned about."""
    known = [c['id'] for c in catalog['controls']]
    asked = []
    for chunk in args.testcases + args.ids:
        asked.extend(t for t in chunk.replace(',', ' ').split() if t)
    unknown = [t for t in asked if t not in known]
    if unknown:
        diag('WARNING', 'ignoring unknown testcases: %s' % ', '.join(unknown))
    if not asked:
        return known
    return [cid for cid in known if cid in asked]


def result_lines(report, testcases):
    from ansible_collections.scs.secure_connections.plugins.module_utils._core.render import render_scs
    return render_scs(report, testcases=testcases)


def explain(report, testcases):
    """Diagnostics for the printed results: why a testcase failed or aborted."""
    from ansible_collections.scs.secure_connections.plugins.module_utils._core.render import target_text
    rows = dict((row['id'], row) for row in report['controls'])
    for cid in testcases:
        row = rows[cid]
        findings = [f for f in report['findings'] if f['control_id'] == cid]
        if row['scs_result'] == 'PASS':
            diag('INFO', '%s: %s (%d target(s) checked)' % (cid, row['status'], len(findings)))
            continue
        for finding in findings:
            text = '%s: %s %s: %s' % (cid, finding['status'].upper(), target_text(finding['target']), finding['message'])
            if finding['status'] == 'error':
                diag('ERROR', text)
            elif finding['status'] == 'fail' or row['scs_result'] == 'FAIL':
                diag('INFO', text)
            elif finding['status'] in ('not_assessed', 'manual'):
                diag('WARNING', text)


def write_report(report, out_dir, formats=None):
    from ansible_collections.scs.secure_connections.plugins.module_utils._core.render import FILE_NAMES, RENDERERS
    if not os.path.isdir(out_dir):
        os.makedirs(out_dir)
    for fmt in formats or sorted(RENDERERS):
        with open(os.path.join(out_dir, FILE_NAMES[fmt]), 'w') as handle:
            handle.write(RENDERERS[fmt](report))
    diag('INFO', 'report written to %s' % out_dir)


def _now():
    return datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ')


def public_view(args, catalog, testcases):
    """Catalog via openstacksdk, TLS probe of the public endpoints from here, the collection's evaluator."""
    from ansible_collections.scs.secure_connections.plugins.module_utils._core.catalog import collection_version, load_mozilla_guidelines
    from ansible_collections.scs.secure_connections.plugins.module_utils._core.evaluator import evaluate
    from ansible_collections.scs.secure_connections.plugins.module_utils._core.report import build_report, validate_report
    from ansible_collections.scs.secure_connections.plugins.module_utils._core.secrets import mask_secrets
    from ansible_collections.scs.secure_connections.plugins.module_utils._gather.keystone import collect_catalog
    from ansible_collections.scs.secure_connections.plugins.module_utils._gather.openstack import classify_error, config_secrets
    from ansible_collections.scs.secure_connections.plugins.module_utils._tls.scan import scan_endpoints

    wanted = [t for t in testcases if t in PUBLIC_TESTCASES]
    for cid in testcases:
        if cid not in PUBLIC_TESTCASES:
            diag('WARNING', '%s: not observable from the public view (no result line); run with -i INVENTORY on the CSP side' % cid)
    if not wanted:
        return ''
    try:
        import openstack  # pylint: disable=import-outside-toplevel
    except ImportError as exc:
        raise Critical('the public view needs openstacksdk (pip install openstacksdk): %s' % exc)
    started = _now()
    secrets = set()
    ignore = [{'endpoint': i.split('=', 1)[0].strip(), 'reason': i.split('=', 1)[1].strip()} for i in args.ignore]
    try:
        conn = openstack.connect(cloud=args.os_cloud)
        try:
            secrets |= config_secrets(conn.config.config)
            cacert = conn.config.config.get('cacert')
            catalog_result = collect_catalog(conn, source='auto', ignore=ignore, classify=classify_error)
        finally:
            conn.close()
    except Exception as exc:  # pylint: disable=broad-except
        problem = classify_error(exc)
        message = mask_secrets(problem['message'], sorted(secrets))
        raise Critical('cannot read the Keystone catalog of cloud %r: %s: %s' % (args.os_cloud, problem['kind'], message))
    targets = catalog_result['probe_targets']['public']
    diag('INFO', 'cloud %s: %d catalog endpoints (%s), probing %d public https listener(s) from here' % (
        args.os_cloud, len(catalog_result['endpoints']), catalog_result['source'], len(targets)))
    ca_files = list(args.ca_file) + ([cacert] if isinstance(cacert, str) and cacert else [])
    guidelines = load_mozilla_guidelines()
    results = scan_endpoints(targets, {'ca_files': ca_files, 'timeout': args.timeout, 'level': args.mozilla_level})
    evidence = {PUBLIC_HOST: {'channels': ['api'], 'api': {
        'catalog': catalog_result, 'tls': {'endpoints': results}, 'ignore': ignore,
        'interfaces': ['public'], 'admin_policy': 'internal',
        'probe': {'catalog_from': PUBLIC_HOST, 'public_from': PUBLIC_HOST, 'internal_from': None}}}}
    findings = evaluate(evidence, options={'mozilla_level': args.mozilla_level, 'mozilla_guidelines': guidelines, 'channels': ['api']},
                        catalog=catalog)
    run = {'collection': 'scs.secure_connections', 'collection_version': collection_version(), 'standard': catalog['standard']['id'],
           'mozilla': {'guidelines_version': guidelines.get('version', 'unknown'), 'level': args.mozilla_level, 'source': 'shipped'},
           'hosts': [PUBLIC_HOST], 'channels': ['api'], 'started': started, 'finished': _now(),
           'label': 'public view of cloud %s (scs_0125_check.py --os-cloud)' % args.os_cloud}
    report = mask_secrets(build_report(findings, run, catalog, evidence_by_host=evidence), sorted(secrets, key=len, reverse=True))
    problems = validate_report(report)
    if problems:
        raise Critical('the report does not validate against its schema: %s' % '; '.join(problems[:5]))
    if args.report_dir:
        write_report(report, args.report_dir)
    explain(report, wanted)
    return result_lines(report, wanted)


def _ansible_playbook(args):
    if args.ansible_playbook:
        return args.ansible_playbook
    beside = os.path.join(os.path.dirname(sys.executable), 'ansible-playbook')
    return beside if os.path.exists(beside) else 'ansible-playbook'


def csp_view(args, catalog, testcases, root):
    """The full audit playbook on the inventory; result lines from the report it writes."""
    channels = [c for c in catalog['channels'] if any(ctl['channel'] == c for ctl in catalog['controls'] if ctl['id'] in testcases)]
    out_dir = args.report_dir or tempfile.mkdtemp(prefix='scs-0125-check-')
    extra = {'report_output_dir': os.path.abspath(out_dir), 'report_fail_on_must': False}
    if len(testcases) < len(catalog['controls']):
        extra['audit_channels'] = channels  # gather only what the requested testcases need
    if args.os_cloud:
        extra['audit_api_cloud'] = args.os_cloud
    if not args.report_dir:
        extra['report_formats'] = ['json']
    paths = [root] + [p for p in os.environ.get('ANSIBLE_COLLECTIONS_PATH', '').split(os.pathsep) if p]
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=os.pathsep.join(paths), ANSIBLE_NOCOLOR='1', ANSIBLE_FORCE_COLOR='0')
    argv = [_ansible_playbook(args), '-i', args.inventory, args.playbook, '-e', json.dumps(extra)]
    for item in args.extra_vars:
        argv += ['-e', item]
    diag('INFO', 'running the audit playbook on %s (channels: %s)' % (
        args.inventory, ', '.join(extra['audit_channels']) if 'audit_channels' in extra else 'as the inventory selects'))
    json_path = os.path.join(out_dir, REPORT_JSON)
    if os.path.exists(json_path):
        os.unlink(json_path)  # never read a previous run's report
    try:
        proc = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True)
    except OSError as exc:
        raise Critical('cannot run %s: %s' % (argv[0], exc))
    tail = []
    for line in proc.stdout:
        # prefixed, so SCS never counts ansible's own words ("ERROR!", "fatal:") as this tool's diagnostics
        tail = (tail + [line.rstrip('\n')])[-40:]
        if args.verbose:
            print('ansible| %s' % line.rstrip('\n'), file=sys.stderr)
    rc = proc.wait()
    if not os.path.exists(json_path):
        raise Critical('the audit playbook (exit %d) wrote no report %s; its last lines:\n%s' % (rc, json_path, '\n'.join('ansible| ' + t for t in tail)))
    if rc != 0:
        diag('WARNING', 'the audit playbook exited with %d but wrote a report; a host may have been unreachable (see the report)' % rc)
    with open(json_path, 'r') as handle:
        report = json.load(handle)
    if not args.report_dir:
        shutil.rmtree(out_dir, ignore_errors=True)
    diag('INFO', 'verdict %s: %s' % (report['verdict'], report.get('verdict_reason', '')))
    explain(report, testcases)
    return result_lines(report, testcases)


def main(argv=None):
    try:
        args = parse_args(sys.argv[1:] if argv is None else argv)
    except Usage as exc:
        diag('CRITICAL', 'usage: %s (see --help)' % exc)
        return 2
    root = collections_root()
    if root not in sys.path:
        sys.path.insert(0, root)
    from ansible_collections.scs.secure_connections.plugins.module_utils._core.catalog import load_catalog
    catalog = load_catalog()
    if args.print_module:
        sys.stdout.write(module_text(catalog, args.print_module))
        return 0
    testcases = select_testcases(args, catalog)
    try:
        if args.inventory:
            lines = csp_view(args, catalog, testcases, root)
        else:
            lines = public_view(args, catalog, testcases)
    except Critical as exc:
        diag('CRITICAL', exc)
        shown = testcases if args.inventory else [t for t in testcases if t in PUBLIC_TESTCASES]
        sys.stdout.write(''.join('%s: ABORT\n' % t for t in shown))
        return 1
    sys.stdout.write(lines)
    sys.stdout.flush()
    return 0


if __name__ == '__main__':
    sys.exit(main())
