# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action plugin: evaluate all hosts' evidence once on the controller and write the report."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime
import glob
import hashlib
import json
import os
import re
import stat

from ansible.errors import AnsibleFilterError
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.plugins.action import ActionBase

from ansible_collections.scs.secure_connections.plugins.module_utils._core.catalog import (
    CatalogError,
    collection_version,
    load_catalog,
    load_mozilla_guidelines,
    select_channels,
    select_controls,
)
from ansible_collections.scs.secure_connections.plugins.module_utils._core.evaluator import EvidenceError, evaluate, load_rules, validate_evidence
from ansible_collections.scs.secure_connections.plugins.module_utils._core.findings import FindingError, make_finding
from ansible_collections.scs.secure_connections.plugins.module_utils._core.secrets import mask_secrets
from ansible_collections.scs.secure_connections.plugins.module_utils._core.render import FILE_NAMES, RENDERERS, render_summary_lines
from ansible_collections.scs.secure_connections.plugins.plugin_utils.evidence import collect_evidence, not_audited
from ansible_collections.scs.secure_connections.plugins.module_utils._core.report import (
    ARGUMENT_SPEC,
    ReportError,
    attestation_findings,
    build_report,
    load_previous_report,
    load_waivers_file,
    merge_attestations,
    normalise_waivers,
    validate_report,
)


SKIPPED_MESSAGE = 'skipped by audit_skip_controls'
BUNDLE_KIND = 'scs-0125-evidence-bundle'
BUNDLE_SCHEMA_VERSION = 1
# a host's evidence is 40-90 KB: a bundle of more is no bundle this collection wrote (read bound); nesting bound likewise
MAX_BUNDLE_BYTES = 64 * 1024 * 1024
MAX_BUNDLE_DEPTH = 64
# the evidence is checked by _evidence (a mapping of mappings) and never copied: the validator deep-copies what it validates
OPTIONS_SPEC = dict((k, v) for k, v in ARGUMENT_SPEC.items() if k != 'evidence')


def _evidence(value):
    """The ``evidence`` option: host name -> evidence mapping, else ReportError."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ReportError('evidence must be a mapping of host name to evidence, got %s' % type(value).__name__)
    for host, evidence in value.items():
        if not isinstance(evidence, dict):
            raise ReportError('evidence of host %s must be a mapping, got %s' % (host, type(evidence).__name__))
    return value


class _RecordedHostvars(object):
    """``hostvars`` whose ``[host].get(fact)`` is the fact as the audit recorded it (``HostVars.raw_get``), not templated
    again: templating a host's 40-60 KB evidence makes Ansible walk and copy all of it (about 20 ms per host). A value that
    is no mapping (a template an inventory set, say) is templated as ``hostvars[host][fact]`` would be."""

    def __init__(self, hostvars):
        self._hostvars = hostvars

    def __getitem__(self, host):
        if host not in self._hostvars:
            raise KeyError(host)
        return _RecordedVars(self._hostvars, host)


class _RecordedVars(object):
    def __init__(self, hostvars, host):
        self._hostvars, self._host = hostvars, host

    def get(self, fact):
        raw_get = getattr(self._hostvars, 'raw_get', None)
        value = raw_get(self._host).get(fact) if raw_get is not None else None
        return value if value is None or isinstance(value, dict) else self._hostvars[self._host].get(fact)


def hosts_evidence(hosts, task_vars):
    """``{host: evidence}`` of the ``audit_evidence`` fact of ``hosts`` (``collect_evidence`` over the recorded facts)."""
    if not hosts:
        return {}
    hostvars = (task_vars or {}).get('hostvars')
    if hostvars is None:
        raise ReportError('evidence_hosts: no hostvars in this task\'s variables')
    try:
        return collect_evidence(hosts, _RecordedHostvars(hostvars))
    except AnsibleFilterError as exc:
        raise ReportError('evidence_hosts: %s' % exc)


def _audited(evidence):
    return (evidence.get('audit_status') or {}).get('audited', True) is not False


def _bundle_files(paths):
    files = []
    for path in paths:
        if os.path.isdir(path):
            files.extend(sorted(glob.glob(os.path.join(path, '*.json'))))
        elif os.path.lexists(path):
            files.append(path)
        else:
            raise ReportError('evidence bundle %s does not exist' % path)
    return files


def _bundle_text(path):
    """The bytes of one bundle: a regular file (a FIFO or device named *.json would block or never end) of at most
    MAX_BUNDLE_BYTES, read without following it anywhere else."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, 'O_NONBLOCK', 0))
    except (IOError, OSError) as exc:
        raise ReportError('cannot read evidence bundle %s: %s' % (path, exc.strerror or exc))
    with os.fdopen(fd, 'rb') as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise ReportError('evidence bundle %s is not a regular file' % path)
        if info.st_size > MAX_BUNDLE_BYTES:
            raise ReportError('evidence bundle %s is %d bytes, more than the %d a bundle may have'
                              % (path, info.st_size, MAX_BUNDLE_BYTES))
        text = handle.read(MAX_BUNDLE_BYTES + 1)
    if len(text) > MAX_BUNDLE_BYTES:
        raise ReportError('evidence bundle %s grew beyond %d bytes while it was read' % (path, MAX_BUNDLE_BYTES))
    return text


def _too_deep(value, limit=MAX_BUNDLE_DEPTH):
    """True when ``value`` nests deeper than ``limit`` (iterative: a hostile file cannot exhaust the stack here)."""
    stack = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if depth > limit:
            return True
        if isinstance(item, dict):
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item)
    return False


def _read_bundle(path):
    """``(host, evidence)`` of one bundle. A file that is no bundle of this version is a ReportError (it names no host
    the report could list); a bundle whose evidence the report cannot read makes its host "not audited" with the reason,
    as a malformed answer of a node does in a run."""
    try:
        bundle = json.loads(_bundle_text(path).decode('utf-8'))
    except (ValueError, RecursionError) as exc:  # UnicodeDecodeError is a ValueError; RecursionError: nested too deeply
        raise ReportError('cannot read evidence bundle %s: %s' % (path, str(exc)[:200]))
    if not isinstance(bundle, dict) or bundle.get('kind') != BUNDLE_KIND:
        raise ReportError('%s is not an evidence bundle (kind %s expected)' % (path, BUNDLE_KIND))
    if bundle.get('schema_version') != BUNDLE_SCHEMA_VERSION:
        raise ReportError('evidence bundle %s has schema_version %r; this collection reads %d'
                          % (path, bundle.get('schema_version'), BUNDLE_SCHEMA_VERSION))
    host = bundle.get('host')
    if not isinstance(host, str) or not host or not isinstance(bundle.get('evidence'), dict):
        raise ReportError('evidence bundle %s lacks its host name or its evidence' % path)
    evidence = bundle['evidence']
    try:
        if _too_deep(evidence):
            raise EvidenceError('nested deeper than %d levels' % MAX_BUNDLE_DEPTH)
        validate_evidence({host: evidence})
    except EvidenceError as exc:
        return host, not_audited('evidence bundle %s is malformed: %s' % (os.path.basename(path), str(exc)[:300]))
    return host, evidence


def _merge_host(host, ours, theirs, where):
    """Two audited evidences of one host (say the api job and a slice): their channels must not overlap."""
    both = set(ours.get('channels') or []) & set(theirs.get('channels') or [])
    if both:
        raise ReportError('host %s has evidence of channel(s) %s in %s and in %s: one host, one audit per channel'
                          % (host, ', '.join(sorted(both)), where[0], where[1]))
    merged = dict(theirs, **ours)
    merged['channels'] = list(ours.get('channels') or []) + list(theirs.get('channels') or [])
    return merged


def merge_bundles(evidence, paths):
    """``evidence`` with every bundle of ``paths`` added. Audited evidence wins over a "not audited" entry of the same
    host; two audited evidences of one host are joined when their channels differ, else an error."""
    if not paths:
        return evidence
    merged = dict(evidence)
    source = dict((host, 'the evidence option') for host in evidence)
    for path in _bundle_files(paths):
        host, host_evidence = _read_bundle(path)
        if host in merged and _audited(merged[host]) and _audited(host_evidence):
            merged[host] = _merge_host(host, merged[host], host_evidence, (source[host], path))
        elif host not in merged or not _audited(merged[host]):
            merged[host], source[host] = host_evidence, path
    return merged


def bundle_file_name(host):
    """The bundle file of ``host``: its name where that is a plain file name, else the name made safe plus a digest of
    the host name, so two hosts never share a file (``a/b`` and ``a_b``) and no name leaves the directory."""
    safe = re.sub(r'[^A-Za-z0-9_.@-]', '_', host)
    if safe != host or not safe or safe.startswith('.'):
        safe = '%s-%s' % (safe.lstrip('.') or 'host', hashlib.sha256(host.encode('utf-8', 'surrogatepass')).hexdigest()[:12])
    return '%s.json' % safe


def write_bundles(evidence, bundle_dir, version):
    """One JSON file per host (secrets masked); their paths."""
    if not os.path.isdir(bundle_dir):
        os.makedirs(bundle_dir)
    written, paths = _now(), []
    for host in sorted(evidence):
        path = os.path.join(bundle_dir, bundle_file_name(host))
        bundle = {'kind': BUNDLE_KIND, 'schema_version': BUNDLE_SCHEMA_VERSION, 'host': host, 'collection_version': version,
                  'written': written, 'evidence': mask_secrets(evidence[host])}
        with open(path, 'w') as handle:
            # dumps, not dump: json.dump encodes in pure Python (chunks), dumps with the C encoder (3x faster), same text
            handle.write(json.dumps(bundle, sort_keys=True, separators=(',', ':')))
        paths.append(path)
    return paths


def _skip(findings, skip_controls, catalog):
    """One ``not_assessed`` finding, "skipped by audit_skip_controls", for each skipped control instead of its findings."""
    if not skip_controls:
        return findings
    out = [f for f in findings if f.get('control_id') not in skip_controls]
    for control in catalog['controls']:
        if control['id'] in skip_controls:
            out.append(make_finding(control, 'not_assessed', SKIPPED_MESSAGE))
    return out


def _now():
    return datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ')


class ActionModule(ActionBase):
    """Evaluate, build, validate and render the conformance report."""

    TRANSFERS_FILES = False
    _requires_connection = False

    def run(self, tmp=None, task_vars=None):
        result = super(ActionModule, self).run(tmp, task_vars)
        result['changed'] = False
        options = dict(self._task.args)
        evidence = options.pop('evidence', None)
        validation = ArgumentSpecValidator(OPTIONS_SPEC).validate(options)
        if validation.error_messages:
            result.update(failed=True, msg='conformance_report: %s' % '; '.join(validation.error_messages))
            return result
        args = validation.validated_parameters
        try:
            evidence = _evidence(evidence)
            if args['evidence_hosts']:
                evidence = dict(hosts_evidence(args['evidence_hosts'], task_vars), **evidence)
            args['evidence'] = merge_bundles(evidence, args['evidence_bundles'])
            if args.get('bundle_dir'):
                result['bundles'] = write_bundles(args['evidence'], args['bundle_dir'], collection_version())
            result.update(self._report(args))
        except (CatalogError, EvidenceError, FindingError, ReportError) as exc:
            result.update(failed=True, msg='conformance_report: %s' % exc)
        except (IOError, OSError) as exc:
            result.update(failed=True, msg='conformance_report: cannot write the report to %s: %s' % (args['output_dir'], exc))
        return result

    @staticmethod
    def _report(args):
        evidence = args['evidence']
        if not evidence:
            raise ReportError('no evidence: no host was audited (did the audit role run on any reachable host?)')
        catalog = load_catalog()
        channels = select_channels(args['channels'], catalog, what='channels')
        skip_controls = select_controls(args['skip_controls'], catalog, what='skip_controls')
        guidelines = load_mozilla_guidelines(args['mozilla_guidelines_file'])
        options = dict(args['rule_options'], mozilla_level=args['mozilla_level'], mozilla_guidelines=guidelines, channels=channels)
        # skipped controls' rules do not run at all
        rules = dict((cid, rule) for cid, rule in load_rules(catalog).items() if cid not in skip_controls)
        findings = evaluate(evidence, options=options, catalog=catalog, rules=rules)
        findings = merge_attestations(findings, attestation_findings(args['attestations'], catalog))
        findings = _skip(findings, skip_controls, catalog)
        gathered = sorted(set(ch for ev in evidence.values() for ch in (ev.get('channels') or []) if ch in catalog['channels']))
        run = {
            'collection': 'scs.secure_connections',
            'collection_version': collection_version(),
            'standard': catalog['standard']['id'],
            'mozilla': {'guidelines_version': guidelines.get('version', 'unknown'), 'level': args['mozilla_level'],
                        'source': args['mozilla_guidelines_file'] or 'shipped'},
            'hosts': sorted(evidence),
            'channels': gathered,
            'started': args['started'] or _now(),
            'finished': _now(),
        }
        if args['label']:
            run['label'] = args['label']
        # .get: callers that build the validated options by hand (tests) may leave the newer ones out
        waivers = None
        if args.get('waivers') or args.get('waivers_file'):
            waivers = normalise_waivers(list(args.get('waivers') or []) + (load_waivers_file(args['waivers_file']) if args.get('waivers_file') else []),
                                        catalog)
        previous = load_previous_report(args['previous_report']) if args.get('previous_report') else None
        report = build_report(findings, run, catalog, evidence_by_host=evidence, waivers=waivers, previous=previous,
                              certificate_warning_days=args.get('certificate_warning_days'))
        problems = validate_report(report)
        if problems:
            raise ReportError('the report does not validate against its schema: %s' % '; '.join(problems[:10]))
        out_dir = args['output_dir']
        if not os.path.isdir(out_dir):
            os.makedirs(out_dir)
        files = {}
        for fmt in args['formats']:
            path = os.path.join(out_dir, FILE_NAMES[fmt])
            with open(path, 'w') as handle:
                handle.write(RENDERERS[fmt](report))
            files[fmt] = path
        out = {
            'verdict': report['verdict'],
            'verdict_reason': report['verdict_reason'],
            'summary': report['summary'],
            'controls': [dict((k, row[k]) for k in ('id', 'level', 'channel', 'status', 'scs_result', 'counts')) for row in report['controls']],
            'files': files,
            'summary_lines': render_summary_lines(report),
            'run': report['run'],
        }
        if 'certificate_expiry' in report:
            out['certificates'] = report['summary']['certificates']
        if 'waivers' in report:
            out['waivers'] = report['waivers']
        if 'drift' in report:
            out['drift'] = dict((k, report['drift'][k]) for k in ('previous', 'verdict', 'counts', 'controls_changed'))
        return out
