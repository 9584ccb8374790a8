# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Findings in, one report dict out (the canonical form every renderer reads), validated by schema."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.scs.secure_connections.plugins.module_utils._core.catalog import (
    INFO_LEVELS,
    WARNING_LEVELS,
    load_catalog,
    load_schema,
    remediation_text,
)
from ansible_collections.scs.secure_connections.plugins.module_utils._core.findings import (
    SCHEMA_VERSION,
    STATUSES,
    FindingError,
    aggregate_status,
    make_finding,
    scs_result,
    verdict,
)
from ansible_collections.scs.secure_connections.plugins.module_utils._core.secrets import mask_secrets

ATTESTATION_STATUSES = ('pass', 'fail', 'not_applicable')
FORMATS = ('json', 'junit', 'markdown', 'html', 'scs')

# Options of the conformance_report action (also its documentation module's argument spec).
ARGUMENT_SPEC = dict(
    evidence=dict(type='dict', required=True),
    output_dir=dict(type='path', required=True),
    formats=dict(type='list', elements='str', choices=list(FORMATS), default=list(FORMATS)),
    channels=dict(type='list', elements='str', default=[]),
    skip_controls=dict(type='list', elements='str', default=[]),
    mozilla_level=dict(type='str', choices=['old', 'intermediate', 'modern'], default='intermediate'),
    mozilla_guidelines_file=dict(type='path'),
    rule_options=dict(type='dict', default={}),
    attestations=dict(type='list', elements='dict', default=[]),
    started=dict(type='str'),
    label=dict(type='str'),
)


class ReportError(ValueError):
    """Input to the report is malformed; the message names the problem."""


def _counts(statuses):
    counts = dict((s, 0) for s in STATUSES)
    for status in statuses:
        counts[status] += 1
    return counts


def attestation_findings(attestations, catalog=None):
    """Findings from operator attestations (answers to ``manual`` questions, e.g. switch cabling).

    Each attestation: ``{control_id, status: pass|fail|not_applicable, message, host?, by?}``.
    """
    controls = dict((c['id'], c) for c in (catalog or load_catalog())['controls'])
    out = []
    for index, item in enumerate(attestations or []):
        where = 'attestation #%d' % (index + 1)
        if not isinstance(item, dict):
            raise ReportError('%s must be a mapping, got %s' % (where, type(item).__name__))
        cid = item.get('control_id')
        if cid not in controls:
            raise ReportError('%s names unknown control id %r (known ids: see docs/controls.md)' % (where, cid))
        if item.get('status') not in ATTESTATION_STATUSES:
            raise ReportError('%s for %s: status must be one of %s, got %r' % (where, cid, ', '.join(ATTESTATION_STATUSES), item.get('status')))
        if not item.get('message'):
            raise ReportError('%s for %s needs a message saying what was checked' % (where, cid))
        message = 'attested by %s: %s' % (item.get('by') or 'the operator', item['message'])
        finding = make_finding(controls[cid], item['status'], message, target={'host': item.get('host')},
                               evidence={'attestation': dict((k, v) for k, v in item.items() if k != 'control_id')})
        finding['source'] = 'attestation'
        out.append(finding)
    return out


def merge_attestations(findings, attested):
    """Attestations replace the ``manual`` findings of the same control (and host, if given)."""
    if not attested:
        return findings
    covered = set((f['control_id'], f['target'].get('host')) for f in attested)
    covered_all_hosts = set(f['control_id'] for f in attested if not f['target'].get('host'))
    kept = [f for f in findings
            if not (f['status'] == 'manual' and (f['control_id'] in covered_all_hosts or (f['control_id'], f['target'].get('host')) in covered))]
    return kept + attested


def node_rows(evidence_by_host):
    """Per host: audited or not, channels gathered, layouts and services discovery found."""
    rows = []
    for host in sorted(evidence_by_host or {}):
        evidence = evidence_by_host[host] or {}
        status = evidence.get('audit_status') or {}
        discovery = evidence.get('discovery') or {}
        services = sorted(set('%s%s' % (s.get('service', '?'), ' (%s)' % s['component'] if s.get('component') else '')
                              for s in discovery.get('services') or [] if isinstance(s, dict)))
        row = {
            'host': host,
            'audited': status.get('audited', True) is not False,
            'channels': list(evidence.get('channels') or []),
            'layouts': [layout.get('name', '?') if isinstance(layout, dict) else str(layout) for layout in discovery.get('layouts') or []],
            'services': services,
            'listeners': len(discovery.get('listeners') or []),
            'tls_endpoints': len((evidence.get('tls') or {}).get('endpoints') or []),
        }
        if status.get('reason'):
            row['reason'] = status['reason']
        rows.append(row)
    return rows


def build_report(findings, run, catalog=None, evidence_by_host=None):
    """The report dict: run metadata, verdict, per-control rows, per-node summary and every finding (masked)."""
    catalog = catalog or load_catalog()
    known = dict((c['id'], c) for c in catalog['controls'])
    for finding in findings:
        if finding.get('control_id') not in known:
            raise ReportError('finding names unknown control id %r' % finding.get('control_id'))
        if finding.get('status') not in STATUSES:
            raise ReportError('finding of %s has unknown status %r' % (finding.get('control_id'), finding.get('status')))
    rows = []
    for control in catalog['controls']:
        statuses = [f['status'] for f in findings if f['control_id'] == control['id']]
        status = aggregate_status(statuses)
        row = {
            'id': control['id'],
            'level': control['level'],
            'channel': control['channel'],
            'title': control['title'],
            'requirement': ' '.join(control['requirement'].split()),
            'section': control['section'],
            'status': status,
            'scs_result': scs_result(status),
            'counts': _counts(statuses),
            'remediation': remediation_text(control),
            'references': list(control.get('references') or []),
        }
        if control.get('condition'):
            row['condition'] = control['condition']
        rows.append(row)
    result = verdict(rows)
    must_failed = [r['id'] for r in rows if r['level'] == 'MUST' and r['status'] == 'fail']
    warnings = [r['id'] for r in rows if r['level'] in WARNING_LEVELS and r['status'] == 'fail']
    report = {
        'schema_version': SCHEMA_VERSION,
        'kind': 'scs-0125-conformance-report',
        'run': dict(run, catalog_version=catalog.get('catalog_version', 1)),
        'verdict': result,
        'verdict_reason': _verdict_reason(result, rows, must_failed),
        'summary': {
            'controls_by_status': _counts(r['status'] for r in rows),
            'findings_by_status': _counts(f['status'] for f in findings),
            'must_failed': must_failed,
            'warnings': warnings,
        },
        'controls': rows,
        'nodes': node_rows(evidence_by_host),
        'findings': sorted(findings, key=lambda f: (_order(known, f['control_id']), STATUSES.index(f['status']), sorted(f['target'].items()))),
    }
    return mask_secrets(report)


def _order(known, cid):
    return list(known).index(cid)


def _verdict_reason(result, rows, must_failed):
    if result == 'non_conformant':
        return 'MUST control(s) failed: %s' % ', '.join(must_failed)
    if result == 'incomplete':
        errored = [r['id'] for r in rows if r['status'] == 'error']
        open_must = [r['id'] for r in rows if r['level'] == 'MUST' and r['status'] not in ('pass', 'not_applicable', 'error')]
        parts = []
        if errored:
            parts.append('could not be assessed because of errors: %s' % ', '.join(errored))
        if open_must:
            parts.append('MUST control(s) not assessed: %s' % ', '.join(open_must))
        return 'no MUST control failed, but ' + '; '.join(parts)
    return 'every MUST control passed or does not apply, and nothing errored'


def validate_report(report, schema=None):
    """Return a list of schema violations (empty when the report is valid)."""
    try:
        import jsonschema  # pylint: disable=import-outside-toplevel
    except ImportError:
        raise ReportError('the Python library jsonschema is needed on the controller to validate the report (pip install jsonschema)')
    validator = jsonschema.Draft7Validator(schema or load_schema())
    return ['%s: %s' % ('/'.join(str(p) for p in err.absolute_path) or '(root)', err.message)
            for err in sorted(validator.iter_errors(report), key=lambda e: list(e.absolute_path))]


def level_class(level):
    """'must', 'warning' or 'info': how a failure at this level counts."""
    if level == 'MUST':
        return 'must'
    if level in WARNING_LEVELS:
        return 'warning'
    if level in INFO_LEVELS:
        return 'info'
    raise FindingError('unknown level %r' % level)
