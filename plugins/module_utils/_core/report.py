# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Findings in, one report dict out (the canonical form every renderer reads), validated by schema."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime
import fnmatch
import json

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
    TARGET_KEYS,
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
    evidence=dict(type='dict', default={}),
    evidence_hosts=dict(type='list', elements='str', default=[]),
    evidence_bundles=dict(type='list', elements='path', default=[]),
    bundle_dir=dict(type='path'),
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
    waivers=dict(type='list', elements='dict', default=[]),
    waivers_file=dict(type='path'),
    previous_report=dict(type='path'),
    certificate_warning_days=dict(type='int', default=30),
)


class ReportError(ValueError):
    """Input to the report is malformed; the message names the problem."""


# a control row (and the row counts) can also be "waived": every failure of it is covered by an active waiver
ROW_STATUSES = STATUSES + ('waived',)
WAIVER_KEYS = ('control_id', 'target', 'reason', 'owner', 'expires')
REPORT_KIND = 'scs-0125-conformance-report'


def _counts(statuses, keys=STATUSES):
    counts = dict((s, 0) for s in keys)
    for status in statuses:
        counts[status] += 1
    return counts


def _row_status_word(finding):
    """``waived`` for a failure an active waiver covers, else the finding's status."""
    return 'waived' if finding['status'] == 'fail' and (finding.get('waiver') or {}).get('state') == 'active' else finding['status']


# --------------------------------------------------------------------------------------------
# Waivers: accepted risks with an owner and an expiry date

def load_waivers_file(path):
    """The waivers of a YAML file: a list, or a mapping with the list under ``waivers``."""
    try:
        import yaml  # pylint: disable=import-outside-toplevel
    except ImportError:  # pragma: no cover
        raise ReportError('PyYAML is needed to read the waivers file %s' % path)
    try:
        with open(path, 'r') as handle:
            data = yaml.safe_load(handle)
    except (IOError, OSError, yaml.YAMLError) as exc:
        raise ReportError('cannot read the waivers file %s: %s' % (path, exc))
    if isinstance(data, dict) and 'waivers' in data:
        data = data['waivers']
    if data is None:
        return []  # an empty file, or "waivers:" with nothing under it
    if not isinstance(data, list):
        raise ReportError('the waivers file %s must hold a list of waivers (or a mapping with the list under "waivers")' % path)
    return data


def _date(value, where):
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.datetime.strptime(str(value), '%Y-%m-%d').date()
    except ValueError:
        raise ReportError('%s: expires must be a date YYYY-MM-DD, got %r' % (where, value))


def normalise_waivers(waivers, catalog=None):
    """Validated waivers: ``{control_id, target (glob, default *), reason, owner, expires (YYYY-MM-DD)}``."""
    known = set(c['id'] for c in (catalog or load_catalog())['controls'])
    out = []
    for index, item in enumerate(waivers or []):
        where = 'waiver #%d' % (index + 1)
        if not isinstance(item, dict):
            raise ReportError('%s must be a mapping, got %s' % (where, type(item).__name__))
        unknown = sorted(set(item) - set(WAIVER_KEYS))
        if unknown:
            raise ReportError('%s has unknown key(s) %s (allowed: %s)' % (where, ', '.join(unknown), ', '.join(WAIVER_KEYS)))
        if item.get('control_id') not in known:
            raise ReportError('%s names unknown control id %r (known ids: see docs/controls.md)' % (where, item.get('control_id')))
        where = '%s for %s' % (where, item['control_id'])
        for key in ('reason', 'owner'):
            if not isinstance(item.get(key), str) or not item[key].strip():
                raise ReportError('%s needs a %s' % (where, key))
        if item.get('expires') in (None, ''):
            raise ReportError('%s needs an expiry date (expires: YYYY-MM-DD): a waiver without one never comes back for review' % where)
        target = item.get('target', '*')
        if not isinstance(target, str) or not target:
            raise ReportError('%s: target must be a glob pattern (string), got %r' % (where, target))
        out.append({'id': index + 1, 'control_id': item['control_id'], 'target': target, 'reason': item['reason'].strip(),
                    'owner': item['owner'].strip(), 'expires': _date(item['expires'], where).isoformat()})
    return out


def target_values(target):
    """The values of a finding's target in reading order: host, endpoint, service, account, file, setting."""
    return [target[k] for k in ('host', 'endpoint', 'service', 'account', 'file', 'setting') if target.get(k)]


def target_text(target):
    """``host / endpoint / service / account / file / setting`` of a finding, as one line."""
    return ' / '.join(target_values(target)) or '(whole run)'


def waiver_matches(waiver, finding):
    """The glob ``target`` matches the whole target line (``host / endpoint / ...``) or one of its values."""
    target = finding.get('target') or {}
    return any(fnmatch.fnmatchcase(candidate, waiver['target']) for candidate in [target_text(target)] + target_values(target))


def apply_waivers(findings, waivers, today):
    """Mark failures covered by a waiver; return ``(findings, waiver rows)``.

    A failure matched by a waiver that has not expired (``expires`` >= ``today``) gets
    ``waiver: {..., state: active}``: still ``status: fail``, but counted as waived. A matching
    waiver that has expired gets ``state: expired`` and the failure counts as a failure again.
    Every waiver is reported with ``state`` active, expired or unmatched (no failure matched it).
    """
    today = today if isinstance(today, datetime.date) else _date(today, 'report date')
    rows = []
    for waiver in waivers:
        expired = _date(waiver['expires'], 'waiver') < today
        matched = 0
        for finding in findings:
            if finding['control_id'] != waiver['control_id'] or finding['status'] != 'fail' or not waiver_matches(waiver, finding):
                continue
            if (finding.get('waiver') or {}).get('state') == 'active':
                continue  # an earlier active waiver already covers it
            matched += 1
            finding['waiver'] = dict([(k, waiver[k]) for k in ('id', 'reason', 'owner', 'expires', 'target')],
                                     state='expired' if expired else 'active')
        state = 'expired' if expired else ('active' if matched else 'unmatched')
        rows.append(dict(waiver, state=state, matched=matched))
    return findings, rows


# --------------------------------------------------------------------------------------------
# Certificate expiry: the leaf certificates the TLS probes saw, against a warning window

TLS_CONTROL = 'scs-0125-tls-mozilla'
DAY = 86400


def _parse_time(text):
    try:
        return datetime.datetime.strptime(str(text), '%Y-%m-%dT%H:%M:%SZ')
    except ValueError:
        return None


def certificate_expiry(findings, now, window_days=30):
    """The leaf certificate of every probed TLS listener (evidence of ``scs-0125-tls-mozilla``) with its expiry state.

    ``expired`` (``not_after`` before ``now``; the Mozilla check already fails such a listener),
    ``expiring`` (within ``window_days``: a warning on the finding, its status unchanged) or ``valid``.
    """
    if window_days < 0:
        raise ReportError('certificate_warning_days must be 0 or more, got %d' % window_days)
    now = _parse_time(now) if not isinstance(now, datetime.datetime) else now
    rows = []
    for finding in findings:
        cert = (finding.get('evidence') or {}).get('certificate') if finding['control_id'] == TLS_CONTROL else None
        not_after = _parse_time((cert or {}).get('not_after')) if isinstance(cert, dict) else None
        if not_after is None or now is None:
            continue
        seconds = (not_after - now).total_seconds()
        days_left = int(seconds // DAY)
        state = 'expired' if seconds < 0 else ('expiring' if seconds <= window_days * DAY else 'valid')
        rows.append({'target': dict(finding['target']), 'subject': cert.get('subject') or '', 'issuer': cert.get('issuer') or '',
                     'not_after': cert['not_after'], 'days_left': days_left, 'state': state})
        if state == 'expiring':
            finding.setdefault('warnings', []).append(
                'the certificate (%s) expires on %s, in %d day(s): within the %d-day warning window, renew it' % (
                    cert.get('subject') or 'no subject', cert['not_after'], days_left, window_days))
        elif state == 'expired':
            finding.setdefault('warnings', []).append('the certificate (%s) expired on %s' % (cert.get('subject') or 'no subject', cert['not_after']))
    rows.sort(key=lambda r: (r['not_after'], sorted(r['target'].items())))
    return {'window_days': window_days, 'checked_at': now.strftime('%Y-%m-%dT%H:%M:%SZ') if now else None, 'certificates': rows}


# --------------------------------------------------------------------------------------------
# Certificate inventory: the deployment's certificate files joined with the served ones by fingerprint

INVENTORY_CERT_KEYS = ('subject', 'issuer', 'sans', 'not_before', 'not_after', 'is_ca', 'key_type', 'key_size')


def _served_leaves(evidence_by_host):
    """``(host, endpoint result)`` of every probed listener with a leaf certificate, from every channel's probes."""
    for host in sorted(evidence_by_host):
        ev = evidence_by_host[host] or {}
        for key in sorted(ev):
            block = ev[key] if isinstance(ev[key], dict) else {}
            probes = block if key == 'tls' else block.get('tls')
            endpoints = probes.get('endpoints') if isinstance(probes, dict) else None
            for ep in endpoints or []:
                certs = ep.get('certificates') if isinstance(ep, dict) else None
                if certs and isinstance(certs[0], dict) and certs[0].get('sha256'):
                    yield host, key, ep


def _inventory_entry(entries, cert):
    entry = entries.get(cert['sha256'])
    if entry is None:
        entry = dict((k, cert.get(k)) for k in INVENTORY_CERT_KEYS)
        entry.update(sha256=cert['sha256'], sans=list(cert.get('sans') or []), served=[], files=[])
        entries[cert['sha256']] = entry
    return entry


def _inventory_files(evidence_by_host, entries, out):
    for host in sorted(evidence_by_host):
        inv = ((evidence_by_host[host] or {}).get('discovery') or {}).get('certificates')
        if not isinstance(inv, dict):
            continue
        out['hosts'].append(host)
        if inv.get('truncated'):
            out['truncated_hosts'].append(host)
        for item in inv.get('files') or []:
            place = {'host': host, 'path': item.get('path'), 'deployment': item.get('deployment')}
            if item.get('error'):
                out['errors'].append(dict(place, message=item['error']))
            if item.get('private_key'):
                out['key_files'].append(dict(place, **dict((k, item.get(k)) for k in ('mode', 'group_readable', 'world_readable'))))
            for cert in item.get('certificates') or []:
                if isinstance(cert, dict) and cert.get('sha256'):
                    _inventory_entry(entries, cert)['files'].append(place)


def _file_match(entry, by_name):
    """``same`` (a file holds the served certificate), ``differs`` (files hold another certificate for the same
    subject and names: renewed on disk, not reloaded, or the wrong file), ``no_file`` or ``not_served``."""
    if not entry['served']:
        return 'not_served', []
    if entry['files']:
        return 'same', []
    others = [dict(f, sha256=e['sha256']) for e in by_name.get((entry['subject'], tuple(sorted(entry['sans']))), [])
              if e is not entry and e['files'] for f in e['files']]
    return ('differs', others) if others else ('no_file', [])


def certificate_inventory(evidence_by_host, now, window_days=30):
    """Every certificate the probes saw and the deployment's files hold, joined by SHA-256 fingerprint.

    Each certificate: its fields, ``served`` (host, endpoint, label, channel), ``files`` (host, path, deployment),
    ``state`` against the warning window and ``file_match`` (see ``_file_match``); ``key_files`` lists the private
    keys' places and permissions (never their content). Returns None when there is nothing to list."""
    now = _parse_time(now) if not isinstance(now, datetime.datetime) else now
    entries, out = {}, {'hosts': [], 'truncated_hosts': [], 'errors': [], 'key_files': []}
    seen = set()  # (fingerprint, place): one certificate served by every host stays linear ("where not in served" was not)
    for host, channel, ep in _served_leaves(evidence_by_host or {}):
        where = {'host': host, 'endpoint': '%s:%s' % (ep.get('host'), ep.get('port')), 'channel': channel}
        if ep.get('label'):
            where['label'] = str(ep['label'])
        entry = _inventory_entry(entries, ep['certificates'][0])
        key = (entry['sha256'], tuple(sorted(where.items())))
        if key not in seen:
            seen.add(key)
            entry['served'].append(where)
    _inventory_files(evidence_by_host or {}, entries, out)
    if not entries and not out['hosts']:
        return None
    by_name = {}
    for entry in entries.values():
        by_name.setdefault((entry['subject'], tuple(sorted(entry['sans']))), []).append(entry)
    for entry in entries.values():
        entry['file_match'], entry['differs_from'] = _file_match(entry, by_name)
        not_after = _parse_time(entry.get('not_after'))
        seconds = (not_after - now).total_seconds() if not_after and now else None
        entry['days_left'] = int(seconds // DAY) if seconds is not None else None
        entry['state'] = None if seconds is None else 'expired' if seconds < 0 else 'expiring' if seconds <= window_days * DAY else 'valid'
    rows = sorted(entries.values(), key=lambda e: (bool(e['is_ca']), not e['served'], e.get('not_after') or '', e['sha256']))
    out['certificates'] = rows
    out['counts'] = _counts((e['file_match'] for e in rows), ('same', 'differs', 'no_file', 'not_served'))
    out['counts'].update(certificates=len(rows), key_files=len(out['key_files']),
                         world_readable_keys=sum(1 for k in out['key_files'] if k.get('world_readable')))
    return out


# --------------------------------------------------------------------------------------------
# Drift: what changed since a previous report

def load_previous_report(path):
    """A previous JSON report (a file, or a report directory holding scs-0125-report.json), checked."""
    import os  # pylint: disable=import-outside-toplevel
    if os.path.isdir(path):
        path = os.path.join(path, 'scs-0125-report.json')
    try:
        with open(path, 'r') as handle:
            data = json.load(handle)
    except (IOError, OSError, ValueError) as exc:
        raise ReportError('cannot read the previous report %s: %s' % (path, exc))
    if not isinstance(data, dict) or data.get('kind') != REPORT_KIND or not isinstance(data.get('findings'), list) \
            or not isinstance(data.get('controls'), list) or not str(data.get('schema_version', '')).startswith('1.'):
        raise ReportError('the previous report %s is not a complete scs-0125 conformance report (schema 1.x, with controls '
                          'and findings): no drift is computed from a partial file' % path)
    return data


def _target_key(target):
    return tuple((k, target[k]) for k in TARGET_KEYS if target.get(k))


def _finding_key(finding):
    return (finding.get('control_id'), _target_key(finding.get('target') or {}))


def _failing(finding):
    return finding.get('status') == 'fail'


def compute_drift(previous, findings, rows, verdict_now):
    """New failures, fixed ones, new and vanished targets and control status changes since ``previous``."""
    before = dict((_finding_key(f), f) for f in previous['findings'] if isinstance(f, dict))
    now = dict((_finding_key(f), f) for f in findings)

    def item(finding, other=None):
        out = {'control_id': finding['control_id'], 'target': dict(finding.get('target') or {}), 'status': finding['status'],
               'message': finding.get('message', '')}
        if other is not None:
            out['previous_status'] = other['status']
        if finding.get('waiver'):
            out['waiver_state'] = finding['waiver']['state']
        return out

    new_failures = [item(f, before.get(k)) for k, f in now.items() if _failing(f) and not (k in before and _failing(before[k]))]
    fixed = [item(f, before[k]) for k, f in now.items() if k in before and _failing(before[k]) and f['status'] in ('pass', 'not_applicable')]
    still = [k for k, f in now.items() if _failing(f) and k in before and _failing(before[k])]
    targets_before = set(k[1] for k in before if k[1])
    targets_now = set(k[1] for k in now if k[1])
    prev_rows = dict((r.get('id'), r.get('status')) for r in previous['controls'] if isinstance(r, dict))
    changed = [{'id': r['id'], 'from': prev_rows.get(r['id']), 'to': r['status']}
               for r in rows if prev_rows.get(r['id']) != r['status']]
    prev_run = previous.get('run') or {}
    return {
        'previous': dict((k, prev_run[k]) for k in ('started', 'finished', 'label') if prev_run.get(k)),
        'verdict': {'from': previous.get('verdict'), 'to': verdict_now},
        'controls_changed': changed,
        'new_failures': new_failures,
        'fixed': fixed,
        'new_targets': [dict(t) for t in sorted(targets_now - targets_before)],
        'vanished_targets': [dict(t) for t in sorted(targets_before - targets_now)],
        'counts': {'new_failures': len(new_failures), 'fixed': len(fixed), 'still_failing': len(still),
                   'new_targets': len(targets_now - targets_before), 'vanished_targets': len(targets_before - targets_now),
                   'controls_changed': len(changed)},
    }


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


def build_report(findings, run, catalog=None, evidence_by_host=None, waivers=None, previous=None, certificate_warning_days=None):
    """The report dict: run metadata, verdict, per-control rows, per-node summary and every finding (masked).

    ``waivers``: normalised waivers (``normalise_waivers``), applied as of the run's ``finished`` date;
    ``previous``: a previous report dict (``load_previous_report``) to compute the drift against;
    ``certificate_warning_days``: list the probed certificates and warn about those expiring within it."""
    catalog = catalog or load_catalog()
    known = dict((c['id'], c) for c in catalog['controls'])
    for finding in findings:
        if finding.get('control_id') not in known:
            raise ReportError('finding names unknown control id %r' % finding.get('control_id'))
        if finding.get('status') not in STATUSES:
            raise ReportError('finding of %s has unknown status %r' % (finding.get('control_id'), finding.get('status')))
    # waivers and expiry annotate findings: work on copies, never on the caller's dicts
    findings = [dict(f, **({'warnings': list(f['warnings'])} if f.get('warnings') else {})) for f in findings]
    expiry = None
    if certificate_warning_days is not None:
        expiry = certificate_expiry(findings, run.get('finished') or '', certificate_warning_days)
    waiver_rows = None
    if waivers is not None:
        findings, waiver_rows = apply_waivers(findings, waivers, (run.get('finished') or '')[:10] or datetime.date.today())
    rows = []
    for control in catalog['controls']:
        words = [_row_status_word(f) for f in findings if f['control_id'] == control['id']]
        status = aggregate_status([w for w in words if w != 'waived'])
        if 'waived' in words and (status in ('pass', 'not_applicable') or len(words) == words.count('waived')):
            status = 'waived'
        row = {
            'id': control['id'],
            'level': control['level'],
            'channel': control['channel'],
            'title': control['title'],
            'requirement': ' '.join(control['requirement'].split()),
            'section': control['section'],
            'status': status,
            # a waived failure is still a failure of the standard (SCS knows no waivers)
            'scs_result': 'FAIL' if status == 'waived' else scs_result(status),
            'counts': _counts(words, ROW_STATUSES),
            'remediation': remediation_text(control),
            'references': list(control.get('references') or []),
        }
        if control.get('condition'):
            row['condition'] = control['condition']
        rows.append(row)
    # the verdict is about the standard: a waived MUST failure still makes the cloud non-conformant
    result = verdict([dict(r, status='fail' if r['status'] == 'waived' else r['status']) for r in rows])
    must_failed = [r['id'] for r in rows if r['level'] == 'MUST' and r['status'] == 'fail']
    must_waived = [r['id'] for r in rows if r['level'] == 'MUST' and r['status'] == 'waived']
    warnings = [r['id'] for r in rows if r['level'] in WARNING_LEVELS and r['status'] == 'fail']
    words = [_row_status_word(f) for f in findings]
    report = {
        'schema_version': SCHEMA_VERSION,
        'kind': REPORT_KIND,
        'run': dict(run, catalog_version=catalog.get('catalog_version', 1)),
        'verdict': result,
        'verdict_reason': _verdict_reason(result, rows, must_failed, must_waived),
        'summary': {
            'controls_by_status': _counts((r['status'] for r in rows), ROW_STATUSES),
            'findings_by_status': _counts(words, ROW_STATUSES),
            'must_failed': must_failed,
            'must_waived': must_waived,
            'warnings': warnings,
        },
        'controls': rows,
        'nodes': node_rows(evidence_by_host),
        'findings': sorted(findings, key=lambda f: (_order(known, f['control_id']), STATUSES.index(f['status']), sorted(f['target'].items()))),
    }
    if waiver_rows is not None:
        report['waivers'] = waiver_rows
        report['summary']['waivers'] = _counts((w['state'] for w in waiver_rows), ('active', 'expired', 'unmatched'))
    if previous is not None:
        report['drift'] = compute_drift(previous, findings, rows, result)
    inventory = certificate_inventory(evidence_by_host, run.get('finished') or '',
                                      30 if certificate_warning_days is None else certificate_warning_days)
    if inventory is not None:
        report['certificate_inventory'] = inventory
    if expiry is not None:
        report['certificate_expiry'] = expiry
        report['summary']['certificates'] = _counts((c['state'] for c in expiry['certificates']), ('valid', 'expiring', 'expired'))
    return mask_secrets(report)


def _order(known, cid):
    return list(known).index(cid)


def _verdict_reason(result, rows, must_failed, must_waived=()):
    if result == 'non_conformant':
        parts = []
        if must_failed:
            parts.append('MUST control(s) failed: %s' % ', '.join(must_failed))
        if must_waived:
            parts.append('MUST control(s) failed under an active waiver (accepted risk, still a failure): %s' % ', '.join(must_waived))
        return '; '.join(parts)
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


def inline_refs(schema):
    """``schema`` with every ``{"$ref": "#/definitions/<name>"}`` replaced by that definition (itself inlined), which
    validates the same: jsonschema looks each reference up again for every instance it meets there (for the findings
    of a cloud, about 40% of the validation). A reference within its own definition stays a reference."""
    definitions = schema.get('definitions') or {}
    prefix = '#/definitions/'

    def inline(node, seen):
        if isinstance(node, list):
            return [inline(item, seen) for item in node]
        if not isinstance(node, dict):
            return node
        ref = node.get('$ref')
        if len(node) == 1 and isinstance(ref, str) and ref.startswith(prefix) and ref[len(prefix):] in definitions \
                and ref not in seen:
            return inline(definitions[ref[len(prefix):]], seen | frozenset([ref]))
        return dict((key, value if key == 'definitions' else inline(value, seen)) for key, value in node.items())

    return inline(schema, frozenset())


def validate_report(report, schema=None):
    """Return a list of schema violations (empty when the report is valid)."""
    try:
        import jsonschema  # pylint: disable=import-outside-toplevel
    except ImportError:
        raise ReportError('the Python library jsonschema is needed on the controller to validate the report (pip install jsonschema)')
    validator = jsonschema.Draft7Validator(inline_refs(schema or load_schema()))
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
