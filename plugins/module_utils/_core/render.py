# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one renderer: every output format is written from the same report dict."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import html
import json
import re
import xml.etree.ElementTree as ET

from ansible_collections.scs.secure_connections.plugins.module_utils._core.findings import scs_result
from ansible_collections.scs.secure_connections.plugins.module_utils._core.report import level_class, target_text
FILE_NAMES = {
    'json': 'scs-0125-report.json',
    'junit': 'scs-0125-report.junit.xml',
    'markdown': 'scs-0125-report.md',
    'html': 'scs-0125-report.html',
    'scs': 'scs-0125-results.txt',
}
STATUS_LABEL = {
    'pass': 'PASS', 'fail': 'FAIL', 'not_applicable': 'N/A', 'error': 'ERROR', 'manual': 'MANUAL', 'not_assessed': 'NOT ASSESSED',
    'waived': 'WAIVED',
}
COUNT_KEYS = ('pass', 'fail', 'waived', 'error', 'not_applicable', 'manual', 'not_assessed')

# Escaping for each format. Data (host names, section names, messages, settings) may carry any
# character: control characters, line breaks of every kind, lone surrogates, markup.
# C0/C1 controls, DEL, line/paragraph separators, surrogates and the XML non-characters: shown as \xNN / \uNNNN
_INVISIBLE = re.compile('[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]')
_LINE_BREAKS = re.compile('\r\n|[\r\n\t]')
_MD_SPECIAL = re.compile(r'([\\`*_\[\]|!#~])')


def visible(text):
    """``text`` with every control or invisible character written out (``\\x01``, ``\\u2028``)."""
    return _INVISIBLE.sub(lambda m: '\\x%02x' % ord(m.group()) if ord(m.group()) < 0x100 else '\\u%04x' % ord(m.group()), str(text))


def one_line(text):
    """``text`` on one line: control characters visible, ``\\r``, ``\\n`` and tabs as spaces."""
    return _LINE_BREAKS.sub(' ', visible(text))


def _xml_safe(obj):
    """A copy of ``obj`` whose strings hold only characters XML 1.0 allows (the others made visible)."""
    if isinstance(obj, dict):
        return dict((k, _xml_safe(v)) for k, v in obj.items())
    if isinstance(obj, (list, tuple)):
        return [_xml_safe(v) for v in obj]
    return visible(obj) if isinstance(obj, str) else obj


def shown_status(finding):
    """``waived`` for a failure an active waiver covers (its status stays ``fail``), else the finding's status."""
    return 'waived' if finding['status'] == 'fail' and (finding.get('waiver') or {}).get('state') == 'active' else finding['status']


def waiver_text(finding):
    waiver = finding.get('waiver')
    if not waiver:
        return ''
    return 'waiver #%d (%s, owner %s, %s %s): %s' % (
        waiver['id'], waiver['target'], waiver['owner'], 'expires' if waiver['state'] == 'active' else 'EXPIRED on',
        waiver['expires'], waiver['reason'])


def findings_of(report, control_id):
    return [f for f in report['findings'] if f['control_id'] == control_id]


# what a person reads first within a control: what to act on, then what is open, then what is fine
READING_ORDER = ('fail', 'error', 'waived', 'not_assessed', 'manual', 'pass', 'not_applicable')


def findings_to_read(report, control_id):
    """The findings of a control, failures first (stable within a status)."""
    return sorted(findings_of(report, control_id), key=lambda f: READING_ORDER.index(shown_status(f)))


def triage(report):
    """Failures of MUST, SHOULD and RECOMMENDED controls grouped by the change that fixes them, most targets first.

    Rows ``(control id, level, fix, [target lines])``; the fix is the finding's own remediation, else the
    control's first hint."""
    rows = dict((r['id'], r) for r in report['controls'])
    groups = {}
    for f in report['findings']:
        row = rows[f['control_id']]
        if shown_status(f) != 'fail' or level_class(row['level']) == 'info':
            continue
        fix = f.get('remediation') or (row['remediation'][0] if row['remediation'] else 'see the control')
        groups.setdefault((f['control_id'], row['level'], fix), []).append(target_text(f['target']))
    return sorted(((cid, level, fix, targets) for (cid, level, fix), targets in groups.items()),
                  key=lambda g: (level_class(g[1]) != 'must', -len(g[3]), g[0], g[2]))


def render_json(report):
    return json.dumps(report, indent=2, sort_keys=False) + '\n'


def render_scs(report, testcases=None):
    """SCS compliance-check lines, one per control: ``<control-id>: PASS|FAIL|ABORT``.

    ``testcases``: only these control ids (in catalog order); all when None. ``scs_result`` is PASS only
    for ``pass`` and (evidenced) ``not_applicable``; a waived failure stays FAIL (SCS knows no waivers)."""
    by_control = {}
    for finding in report.get('findings') or []:
        by_control.setdefault(finding.get('control_id'), []).append(finding)
    return ''.join('%s: %s\n' % (one_line(row['id']).replace(' ', '_'), _scs_word(row, by_control.get(row['id'], []))) for row in report['controls']
                   if testcases is None or row['id'] in testcases)


def _scs_word(row, findings):
    """The row's ``scs_result``, but never PASS for a ``not_applicable`` that is not evidenced (a report built
    by hand or by an older version): each of its findings must carry evidence of absence (findings.evidenced)."""
    if row['scs_result'] == 'PASS' and row.get('status') == 'not_applicable':
        return scs_result('not_applicable', findings)
    return row['scs_result']


def render_junit(report):
    """JUnit XML: one testsuite per control, one testcase per control and target.

    MUST, SHOULD (NOT) and RECOMMENDED failures are failures; failures of MAY/ADVISORY controls
    are informational and pass with a note; errors are errors; not_applicable, manual and
    not_assessed are skipped with the reason.
    """
    # only what the JUnit file shows is made XML-safe (copied): not the nodes, the certificate inventory or the evidence of
    # findings that show none (only failures and errors do)
    report = {'controls': _xml_safe(report['controls']),
              'findings': [dict((k, v if k == 'evidence' else _xml_safe(v)) for k, v in f.items()) for f in report['findings']]}
    totals = dict(tests=0, failures=0, errors=0, skipped=0)
    root = ET.Element('testsuites', name='scs-0125-v1 Secure Connections')
    for row in report['controls']:
        suite = ET.SubElement(root, 'testsuite', name=row['id'])
        counts = dict(tests=0, failures=0, errors=0, skipped=0)
        for finding in findings_of(report, row['id']):
            counts['tests'] += 1
            case = ET.SubElement(suite, 'testcase', name='%s | %s' % (row['id'], target_text(finding['target'])),
                                 classname='scs-0125.%s.%s' % (row['channel'], row['id']))
            props = ET.SubElement(case, 'properties')
            for key, value in (('level', row['level']), ('status', shown_status(finding))):
                ET.SubElement(props, 'property', name=key, value=value)
            status, message = shown_status(finding), finding['message']
            if status == 'waived':
                counts['skipped'] += 1
                ET.SubElement(case, 'skipped', message='WAIVED: %s | %s' % (message, waiver_text(finding)))
            elif status == 'fail' and level_class(row['level']) != 'info':
                counts['failures'] += 1
                node = ET.SubElement(case, 'failure', message=message, type=row['level'])
                node.text = _failure_text(finding)
            elif status == 'fail':
                ET.SubElement(case, 'system-out').text = 'informational (%s): %s' % (row['level'], message)
            elif status == 'error':
                counts['errors'] += 1
                ET.SubElement(case, 'error', message=message, type='error').text = _failure_text(finding)
            elif status in ('not_applicable', 'manual', 'not_assessed'):
                counts['skipped'] += 1
                ET.SubElement(case, 'skipped', message='%s: %s' % (STATUS_LABEL[status], message))
            else:
                ET.SubElement(case, 'system-out').text = message
        for key, value in counts.items():
            suite.set(key, str(value))
            totals[key] += value
    for key, value in totals.items():
        root.set(key, str(value))
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding='unicode') + '\n'


def _failure_text(finding):
    lines = [finding['message']]
    if finding.get('remediation'):
        lines.append('How to fix: %s' % finding['remediation'])
    if finding.get('evidence'):
        lines.append('Evidence: %s' % json.dumps(_xml_safe(finding['evidence']), sort_keys=True))
    return '\n'.join(lines)


def _md(text):
    """Data in a Markdown table cell: one line, no HTML (``<``, ``>``, ``&`` as entities), no
    Markdown syntax (backslash-escaped), control characters visible."""
    return html.escape(_MD_SPECIAL.sub(r'\\\1', one_line(text)), quote=False)


def _cell(text):
    """Catalog text (trusted Markdown) in a table cell of docs/controls.md."""
    return str(text).replace('|', '\\|').replace('\n', ' ')


def _drift_lines(report):
    """(title, rows) of the drift section: rows of (what, control id, target line, detail)."""
    drift = report.get('drift')
    if not drift:
        return None, []
    prev = drift['previous']
    title = 'Changes since the previous report (%s%s): verdict %s -> %s' % (
        prev.get('finished', 'unknown time'), ', %s' % prev['label'] if prev.get('label') else '',
        (drift['verdict']['from'] or 'unknown').upper(), drift['verdict']['to'].upper())
    rows = []
    for item in drift['new_failures']:
        rows.append(('new failure', item['control_id'], target_text(item['target']), '%s%s' % (
            item.get('message', ''), ' (waiver %s)' % item['waiver_state'] if item.get('waiver_state') else '')))
    for item in drift['fixed']:
        rows.append(('fixed', item['control_id'], target_text(item['target']), 'now %s: %s' % (item['status'], item.get('message', ''))))
    for change in drift['controls_changed']:
        rows.append(('control status', change['id'], '', '%s -> %s' % (change['from'] or 'absent', change['to'])))
    rows += [('new target', '', target_text(t), '') for t in drift['new_targets']]
    rows += [('vanished target', '', target_text(t), '') for t in drift['vanished_targets']]
    return title, rows


def _markdown_drift(report):
    title, rows = _drift_lines(report)
    if title is None:
        return []
    out = ['', '## %s' % _md(title), '']
    if not rows:
        return out + ['No change.']
    out += ['| change | control | target | detail |', '|---|---|---|---|']
    return out + ['| %s | %s | %s | %s |' % tuple(_md(v) for v in row) for row in rows]


def _markdown_triage(report):
    groups = triage(report)
    if not groups:
        return []
    out = ['', '## What to fix first', '', '| control | level | change | targets |', '|---|---|---|---|']
    return out + ['| `%s` | %s | %s | %d: %s |' % (_md_code(cid), _md(level), _md(fix), len(targets),
                                                   _md(', '.join(targets[:5]) + (' …' if len(targets) > 5 else '')))
                  for cid, level, fix, targets in groups]


def _markdown_waivers(report):
    if 'waivers' not in report:
        return []
    out = ['', '## Waivers', '', '| # | control | target | state | matched | owner | expires | reason |', '|---|---|---|---|---|---|---|---|']
    for w in report['waivers']:
        out.append('| %d | `%s` | %s | %s | %d | %s | %s | %s |' % (
            w['id'], _md_code(w['control_id']), _md(w['target']), _md(w['state'].upper()), w['matched'], _md(w['owner']), _md(w['expires']),
            _md(w['reason'])))
    return out


def _expiry_rows(report):
    expiry = report.get('certificate_expiry')
    if not expiry:
        return None, []
    rows = [(target_text(c['target']), c.get('subject', ''), c['not_after'], c['days_left'], c['state'])
            for c in expiry['certificates'] if c['state'] != 'valid']
    title = 'Certificates expiring within %d days or expired (%d of %d probed)' % (expiry['window_days'], len(rows), len(expiry['certificates']))
    return title, rows


def _markdown_certificates(report):
    title, rows = _expiry_rows(report)
    if title is None:
        return []
    out = ['', '## %s' % title, '']
    if not rows:
        return out + ['None.']
    out += ['| target | subject | not after | days left | state |', '|---|---|---|---|---|']
    return out + ['| %s | %s | %s | %d | %s |' % (_md(t), _md(s), _md(n), d, _md(st.upper())) for t, s, n, d, st in rows]


def render_markdown(report):
    run = report['run']
    out = ['# scs-0125-v1 Secure Connections: conformance report', '',
           '**Verdict: %s** — %s' % (_md(report['verdict'].upper().replace('_', ' ')), _md(report['verdict_reason'])), '',
           '| run | |', '|---|---|',
           '| hosts | %s |' % _md(', '.join(run['hosts']) or '-'),
           '| channels gathered | %s |' % _md(', '.join(run['channels']) or '-'),
           '| Mozilla guidelines | %s, level %s |' % (_md(run['mozilla']['guidelines_version']), _md(run['mozilla']['level'])),
           '| collection | %s %s |' % (_md(run['collection']), _md(run['collection_version'])),
           '| started / finished | %s / %s |' % (_md(run['started']), _md(run['finished'])), '',
           '## Summary', '', '| control | level | status | pass | fail | waived | error | n/a | manual | not assessed |',
           '|---|---|---|---|---|---|---|---|---|---|']
    for row in report['controls']:
        c = row['counts']
        out.append('| `%s` %s | %s | %s | %s |' % (
            row['id'], _md(row['title']), row['level'], STATUS_LABEL[row['status']], ' | '.join('%d' % c.get(k, 0) for k in COUNT_KEYS)))
    out += _markdown_drift(report) + _markdown_waivers(report) + _markdown_certificates(report) + _markdown_triage(report)
    out += ['', '## Nodes', '', '| host | audited | layouts | services | channels | listeners | TLS endpoints probed |', '|---|---|---|---|---|---|---|']
    for node in report.get('nodes', []):
        out.append('| %s | %s | %s | %s | %s | %d | %d |' % (
            _md(node['host']), 'yes' if node['audited'] else 'NO: %s' % _md(node.get('reason', '')), _md(', '.join(node.get('layouts', [])) or '-'),
            _md(', '.join(node.get('services', [])) or '-'), _md(', '.join(node['channels']) or '-'), node.get('listeners', 0), node.get('tls_endpoints', 0)))
    out += ['', '## Controls', '']
    for row in report['controls']:
        out += ['### `%s` — %s (%s): %s' % (row['id'], row['title'], row['level'], STATUS_LABEL[row['status']]), '',
                row['requirement'], '']
        findings = findings_to_read(report, row['id'])
        out += ['| target | status | finding | how to fix |', '|---|---|---|---|']
        for f in findings:
            note = ''.join(' — %s' % t for t in ([waiver_text(f)] if f.get('waiver') else []) + ['WARNING: %s' % w for w in f.get('warnings') or []])
            out.append('| %s | %s | %s%s | %s |' % (
                _md(target_text(f['target'])), STATUS_LABEL[shown_status(f)], _md(f['message']), _md(note), _md(f.get('remediation') or '')))
        if row['status'] in ('fail', 'error') and row['remediation']:
            out += ['', 'Remediation hints:', ''] + ['- %s' % _md(h) for h in row['remediation']]
        out.append('')
    return '\n'.join(out) + '\n'


_CSS = """
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:0;color:#1d2330;background:#f6f7f9}
main{max-width:1180px;margin:0 auto;padding:24px}
h1{font-size:1.5em;margin:0 0 12px} h2{margin-top:32px;font-size:1.2em} h3{margin:0;font-size:1.05em}
.verdict{border-radius:8px;padding:16px 20px;color:#fff;margin-bottom:16px}
.verdict b{font-size:1.4em;display:block}
.v-conformant{background:#1b7f3b}.v-non_conformant{background:#b3261e}.v-incomplete{background:#a15c00}
table{border-collapse:collapse;width:100%;background:#fff;font-size:.92em}
th,td{border:1px solid #dfe3e8;padding:6px 8px;text-align:left;vertical-align:top}
th{background:#eef1f5} td.num{text-align:right}
.s{display:inline-block;border-radius:4px;padding:1px 7px;font-weight:600;font-size:.85em;white-space:nowrap}
.s-pass{background:#d8f0df;color:#135c2a}.s-fail{background:#f9d9d6;color:#8c1d16}.s-error{background:#fde2c4;color:#7a4100}
.s-manual{background:#e4dcf7;color:#46307d}.s-not_assessed{background:#e6e8eb;color:#4a5160}.s-not_applicable{background:#eef1f5;color:#5f6775}
.info .s-fail{background:#fff1c2;color:#6b5200}
.s-waived{background:#dde7f7;color:#1f3f75} .s-expired{background:#f9d9d6;color:#8c1d16} .s-unmatched{background:#fff1c2;color:#6b5200}
.s-active{background:#dde7f7;color:#1f3f75} .warn{color:#6b5200;background:#fff1c2;padding:2px 6px;margin-top:4px;border-radius:4px}
.s-valid{background:#d8f0df;color:#135c2a} .s-expiring{background:#fff1c2;color:#6b5200}
section.control{background:#fff;border:1px solid #dfe3e8;border-radius:8px;margin:14px 0;padding:14px 16px}
.meta{color:#5f6775;font-size:.9em;margin:4px 0 10px}
details{margin-top:4px} summary{cursor:pointer;color:#2f5fb3}
pre{background:#f3f5f8;padding:8px;overflow:auto;font-size:.85em;max-height:360px}
ul.fix{margin:6px 0 0 18px;padding:0} .muted{color:#5f6775}
code.id{white-space:nowrap} details.inline{display:inline} details.inline[open]{display:block}
"""


def _e(text):
    """Data in HTML: markup escaped, control characters shown as ``\\xNN``."""
    return html.escape(visible(text), quote=True)


def _md_code(text):
    """Data inside a Markdown code span of a table: no backtick, no pipe, one line."""
    return one_line(text).replace('`', "'").replace('|', '\\|')


def _badge(status):
    return '<span class="s s-%s">%s</span>' % (status, STATUS_LABEL[status])


def render_html(report):
    """One self-contained page: verdict and summary first, then each control with its targets."""
    run = report['run']
    rows_html = []
    for row in report['controls']:
        c = row['counts']
        rows_html.append('<tr class="%s"><td><a href="#%s"><code>%s</code></a><br>%s</td><td>%s</td><td>%s</td>%s</tr>' % (
            level_class(row['level']), _e(row['id']), _e(row['id']), _e(row['title']), _e(row['level']), _badge(row['status']),
            ''.join('<td class="num">%d</td>' % c.get(k, 0) for k in COUNT_KEYS)))
    sections = []
    for row in report['controls']:
        body = _html_findings(findings_to_read(report, row['id']))
        hints = ''
        if row['remediation']:
            hints = '<details%s><summary>how to fix (by deployment tool)</summary><ul class="fix">%s</ul></details>' % (
                ' open' if row['status'] == 'fail' else '', ''.join('<li>%s</li>' % _e(h) for h in row['remediation']))
        refs = ' '.join('<a href="%s">%s</a>' % (_e(u), _e(u)) for u in row.get('references', []))
        sections.append(
            '<section class="control %s" id="%s"><h3>%s <code>%s</code> %s</h3>'
            '<div class="meta">%s · channel %s · %s%s</div><p>%s</p>'
            '<table><tr><th>target</th><th>status</th><th>finding</th><th>how to fix</th></tr>%s</table>%s<div class="meta">%s</div></section>' % (
                level_class(row['level']), _e(row['id']), _badge(row['status']), _e(row['id']), _e(row['title']),
                _e(row['level']), _e(row['channel']), _e(row['section']),
                (' · applies if: %s' % _e(row['condition'])) if row.get('condition') else '',
                _e(row['requirement']), ''.join(body), hints, refs))
    summary = report['summary']
    return ('<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">'
            '<title>scs-0125 conformance: %(verdict)s</title><style>%(css)s</style></head><body><main>'
            '<h1>scs-0125-v1 Secure Connections — conformance report</h1>'
            '<div class="verdict v-%(vclass)s"><b>%(verdict)s</b>%(reason)s</div>'
            '<p class="muted">Hosts: %(hosts)s · channels gathered: %(channels)s · Mozilla guidelines %(mozv)s, level %(mozl)s · '
            '%(coll)s %(collv)s · %(started)s → %(finished)s</p>'
            '<p>Controls: %(ccounts)s. Findings: %(fcounts)s.</p>'
            '%(drift)s'
            '<h2>Summary</h2><table><tr><th>control</th><th>level</th><th>status</th><th>pass</th><th>fail</th><th>waived</th><th>error</th>'
            '<th>n/a</th><th>manual</th><th>not assessed</th></tr>%(rows)s</table>%(waivers)s'
            '%(nodes)s%(inventory)s'
            '<h2>Controls</h2>%(sections)s'
            '<p class="muted">Failures of MAY and ADVISORY controls are informational; SHOULD, SHOULD NOT and RECOMMENDED failures are warnings; '
            'only MUST failures break conformance. Schema version %(schema)s.</p></main></body></html>\n') % dict(
        verdict=_e(report['verdict'].replace('_', ' ').upper()), vclass=_e(report['verdict']), reason=_e(report['verdict_reason']),
        css=_CSS, hosts=_e(', '.join(run['hosts']) or '-'), channels=_e(', '.join(run['channels']) or '-'),
        mozv=_e(run['mozilla']['guidelines_version']), mozl=_e(run['mozilla']['level']), coll=_e(run['collection']),
        collv=_e(run['collection_version']), started=_e(run['started']), finished=_e(run['finished']),
        ccounts=_e(_count_text(summary['controls_by_status'])), fcounts=_e(_count_text(summary['findings_by_status'])),
        rows=''.join(rows_html), sections=''.join(sections), nodes=_html_nodes(report), schema=_e(report['schema_version']),
        drift=_html_triage(report) + _html_drift(report) + _html_certificates(report), waivers=_html_waivers(report),
        inventory=_html_inventory(report))


def _html_finding_row(f):
    evidence = ''
    if f.get('evidence'):
        evidence = '<details><summary>evidence</summary><pre>%s</pre></details>' % _e(json.dumps(f['evidence'], indent=2, sort_keys=True))
    note = '<div class="meta">%s</div>' % _e(waiver_text(f)) if f.get('waiver') else ''
    note += ''.join('<div class="warn">&#9888; %s</div>' % _e(w) for w in f.get('warnings') or [])
    return '<tr><td>%s</td><td>%s</td><td>%s%s%s</td><td>%s</td></tr>' % (
        _e(target_text(f['target'])), _badge(shown_status(f)), _folded_text(f['message'], 400), note, evidence,
        _folded_text(f.get('remediation') or ''))


FINDINGS_SHOWN = 5


def _html_findings(findings):
    """Rows of a control's findings (failures first): every one that needs attention; of the passing and not
    applicable ones the first few, the rest folded into one row."""
    is_quiet = [shown_status(f) in ('pass', 'not_applicable') and not f.get('warnings') for f in findings]
    quiet = [f for f, q in zip(findings, is_quiet) if q]
    loud = [f for f, q in zip(findings, is_quiet) if not q]  # one pass: "f not in quiet" compared every pair (quadratic)
    rows = [_html_finding_row(f) for f in loud + quiet[:FINDINGS_SHOWN]]
    if len(quiet) > FINDINGS_SHOWN:
        rows.append('<tr><td colspan="4"><details><summary>%d more passing or not applicable targets</summary><table>%s</table>'
                    '</details></td></tr>' % (len(quiet) - FINDINGS_SHOWN, ''.join(_html_finding_row(f) for f in quiet[FINDINGS_SHOWN:])))
    return rows


NODES_SHOWN = 8


def _html_nodes(report):
    """The node table; with many nodes the audited ones are folded, those not audited stay in view."""
    nodes = report.get('nodes', [])
    head = ('<table><tr><th>host</th><th>audited</th><th>layouts</th><th>services</th><th>channels</th>'
            '<th>listeners</th><th>TLS endpoints probed</th></tr>%s</table>')
    rows = dict((n['host'], '<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td class="num">%d</td><td class="num">%d</td></tr>' % (
        _e(n['host']), 'yes' if n['audited'] else '<span class="s s-error">NO</span> %s' % _e(n.get('reason', '')),
        _e(', '.join(n.get('layouts', [])) or '-'), _folded_text(', '.join(n.get('services', [])) or '-', 120),
        _e(', '.join(n['channels']) or '-'), n.get('listeners', 0), n.get('tls_endpoints', 0))) for n in nodes)
    if len(nodes) <= NODES_SHOWN:
        return '<h2>Nodes</h2>' + head % ''.join(rows[n['host']] for n in nodes)
    missing = [n for n in nodes if not n['audited']]
    out = '<h2>Nodes</h2>'
    if missing:
        out += head % ''.join(rows[n['host']] for n in missing)
    return out + '<details><summary>%d nodes audited: %s</summary>%s</details>' % (
        len(nodes) - len(missing), _e(', '.join(n['host'] for n in nodes if n['audited'])),
        head % ''.join(rows[n['host']] for n in nodes if n['audited']))


def _html_drift(report):
    title, rows = _drift_lines(report)
    if title is None:
        return ''
    body = ''.join('<tr><td>%s</td><td><code>%s</code></td><td>%s</td><td>%s</td></tr>' % tuple(_e(v) for v in row) for row in rows)
    table = '<table><tr><th>change</th><th>control</th><th>target</th><th>detail</th></tr>%s</table>' % body if rows else '<p>No change.</p>'
    return '<h2 id="drift">%s</h2>%s' % (_e(title), table)


def _folded_text(text, limit=220):
    """Escaped ``text``; beyond ``limit`` characters the rest is folded (long cipher suite lists, URLs)."""
    text = str(text)
    if len(text) <= limit:
        return _e(text)
    cut = text.rfind(' ', 0, limit)
    cut = cut if cut > limit // 2 else limit
    return '%s <details class="inline"><summary>more</summary>%s</details>' % (_e(text[:cut]), _e(text[cut:]))


def _triage_row(group):
    cid, level, fix, targets = group
    where = _e(targets[0]) if len(targets) == 1 else '<details><summary>%s and %d more</summary>%s</details>' % (
        _e(targets[0]), len(targets) - 1, '<br>'.join(_e(t) for t in targets[1:]))
    return '<tr class="%s"><td><a href="#%s"><code class="id">%s</code></a></td><td>%s</td><td>%s</td><td class="num">%d</td><td>%s</td></tr>' % (
        level_class(level), _e(cid), _e(cid), _e(level), _folded_text(fix), len(targets), where)


def _html_triage(report):
    """The MUST changes in a table; the SHOULD and RECOMMENDED ones folded below it."""
    groups = triage(report)
    if not groups:
        return ''
    head = '<table><tr><th>control</th><th>level</th><th>change</th><th>targets</th><th>where</th></tr>%s</table>'
    must = [g for g in groups if level_class(g[1]) == 'must']
    rest = [g for g in groups if level_class(g[1]) != 'must']
    out = '<h2 id="triage">What to fix first</h2>' + (head % ''.join(_triage_row(g) for g in must) if must else '')
    if rest:
        out += '<details%s><summary>%d more changes for SHOULD and RECOMMENDED controls (warnings)</summary>%s</details>' % (
            '' if must else ' open', len(rest), head % ''.join(_triage_row(g) for g in rest))
    return out


def _html_certificates(report):
    title, rows = _expiry_rows(report)
    if title is None or not rows:
        return ''
    body = ''.join('<tr><td>%s</td><td>%s</td><td>%s</td><td class="num">%d</td><td><span class="s s-%s">%s</span></td></tr>' % (
        _e(t), _e(s), _e(n), d, _e(st), _e(st.upper())) for t, s, n, d, st in rows)
    return ('<h2 id="certificates">%s</h2><table><tr><th>target</th><th>subject</th><th>not after</th><th>days left</th><th>state</th></tr>%s</table>'
            % (_e(title), body))


MATCH_LABEL = {'same': ('pass', 'SAME'), 'differs': ('fail', 'DIFFERS'), 'no_file': ('not_assessed', 'NO FILE'),
               'not_served': ('not_applicable', 'NOT SERVED')}


def _folded(items, shown=3):
    """Escaped ``items`` joined by line breaks, those after the first ``shown`` folded."""
    items = [_e(i) for i in items]
    if len(items) <= shown:
        return '<br>'.join(items)
    return '%s<details><summary>%d more</summary>%s</details>' % ('<br>'.join(items[:shown]), len(items) - shown, '<br>'.join(items[shown:]))


def _inventory_row(cert):
    css, label = MATCH_LABEL[cert['file_match']]
    differs = ''
    if cert.get('differs_from'):
        differs = '<div class="warn">&#9888; the file holds another certificate for these names: %s</div>' % _folded(
            ['%s:%s (%s...)' % (d['host'], d['path'], d['sha256'][:12]) for d in cert['differs_from']])
    state = '<span class="s s-%s">%s</span>' % (_e(cert['state']), _e(cert['state'].upper())) if cert.get('state') else ''
    return ('<tr><td>%s<div class="meta">issuer %s<br>SHA-256 %s...</div></td><td>%s</td><td>%s<br>%s</td><td>%s</td><td>%s</td>'
            '<td><span class="s s-%s">%s</span>%s</td></tr>' % (
                _e(cert.get('subject') or '-'), _e(cert.get('issuer') or '-'), _e(cert['sha256'][:16]), _folded(cert.get('sans') or []),
                _e(cert.get('not_after') or '-'), state, _folded(['%s %s' % (w['host'], w['endpoint']) for w in cert['served']]),
                _folded(['%s:%s' % (f['host'], f['path']) for f in cert['files']]), css, label, differs))


def _html_inventory(report):
    """The certificate inventory: served and file certificates joined by fingerprint; CA certificates, keys and
    unreadable files folded."""
    inv = report.get('certificate_inventory')
    if not inv:
        return ''
    head = '<tr><th>certificate</th><th>names</th><th>not after</th><th>served by</th><th>files</th><th>file = served?</th></tr>'
    leaves = [c for c in inv['certificates'] if not c.get('is_ca')]
    cas = [c for c in inv['certificates'] if c.get('is_ca')]
    counts = inv['counts']
    out = ['<h2 id="certificate-inventory">Certificate inventory</h2><p class="muted">%d certificates on %s: %d served and found in a file, '
           '%d served while the file holds another certificate, %d served without a file found, %d only in files; %d private key files '
           '(%d readable by everyone).</p>' % (
               counts['certificates'], _e(', '.join(inv['hosts']) or 'the probed listeners'), counts['same'], counts['differs'],
               counts['no_file'], counts['not_served'], counts['key_files'], counts['world_readable_keys'])]
    body = ''.join(_inventory_row(c) for c in leaves)
    table = '<table>%s%s</table>' % (head, body) if leaves else '<p>No server certificate.</p>'
    out.append(table if len(leaves) <= 5 else '<details><summary>%d server certificates</summary>%s</details>' % (len(leaves), table))
    if cas:
        out.append('<details><summary>%d CA certificates</summary><table>%s%s</table></details>' % (
            len(cas), head, ''.join(_inventory_row(c) for c in cas)))
    if inv['key_files']:
        out.append('<details><summary>%d private key files (place and permissions only)</summary><table><tr><th>host</th><th>file</th>'
                   '<th>mode</th></tr>%s</table></details>' % (len(inv['key_files']), ''.join(
                       '<tr><td>%s</td><td>%s</td><td>%s%s</td></tr>' % (
                           _e(k['host']), _e(k['path']), _e(k.get('mode') or '-'),
                           ' <span class="s s-fail">READABLE BY EVERYONE</span>' if k.get('world_readable') else '')
                       for k in inv['key_files'])))
    if inv['errors'] or inv['truncated_hosts']:
        out.append('<details><summary>%d files not read%s</summary><ul>%s</ul></details>' % (
            len(inv['errors']), ' (file limit reached on %s)' % _e(', '.join(inv['truncated_hosts'])) if inv['truncated_hosts'] else '',
            ''.join('<li>%s:%s: %s</li>' % (_e(x['host']), _e(x['path']), _e(x['message'])) for x in inv['errors'])))
    return ''.join(out)


def _html_waivers(report):
    if 'waivers' not in report:
        return ''
    body = ''.join('<tr><td>%d</td><td><code>%s</code></td><td>%s</td><td><span class="s s-%s">%s</span></td><td class="num">%d</td>'
                   '<td>%s</td><td>%s</td><td>%s</td></tr>' % (
                       w['id'], _e(w['control_id']), _e(w['target']), _e(w['state']), _e(w['state'].upper()), w['matched'],
                       _e(w['owner']), _e(w['expires']), _e(w['reason'])) for w in report['waivers'])
    return ('<h2 id="waivers">Waivers</h2><table><tr><th>#</th><th>control</th><th>target</th><th>state</th><th>matched</th><th>owner</th>'
            '<th>expires</th><th>reason</th></tr>%s</table>' % body)


def _count_text(counts):
    return ', '.join('%d %s' % (n, STATUS_LABEL[s].lower()) for s, n in counts.items() if n) or 'none'


def render_summary_lines(report):
    """A short plain-text table for the end of the play."""
    width = max(len(r['id']) for r in report['controls'])
    lines = ['%s  %-11s  %-12s  %s' % ('control'.ljust(width), 'level', 'status', 'targets (pass/fail/waived/error/n.a./manual/not assessed)')]
    for row in report['controls']:
        c = row['counts']
        counts = '/'.join('%d' % c.get(k, 0) for k in COUNT_KEYS)
        lines.append('%s  %-11s  %-12s  %s' % (row['id'].ljust(width), row['level'], STATUS_LABEL[row['status']], counts))
    lines.append('TARGETS: %s' % ', '.join('%d %s' % (n, STATUS_LABEL[s].lower()) for s, n in report['summary']['findings_by_status'].items()))
    lines.append('VERDICT: %s — %s' % (report['verdict'].upper(), report['verdict_reason']))
    waivers = report['summary'].get('waivers')
    if waivers:
        lines.append('WAIVERS: %d active, %d expired, %d unmatched' % (waivers['active'], waivers['expired'], waivers['unmatched']))
    certificates = report['summary'].get('certificates')
    if certificates and (certificates['expiring'] or certificates['expired']):
        lines.append('CERTIFICATES: %d expiring within %d days, %d expired (of %d probed)' % (
            certificates['expiring'], report['certificate_expiry']['window_days'], certificates['expired'], sum(certificates.values())))
    inventory = (report.get('certificate_inventory') or {}).get('counts')
    if inventory and (inventory['differs'] or inventory['world_readable_keys']):
        lines.append('CERTIFICATE FILES: %d served certificate(s) differ from the file for the same names, %d private key file(s) '
                     'readable by everyone (certificate inventory)' % (inventory['differs'], inventory['world_readable_keys']))
    if report.get('drift'):
        c = report['drift']['counts']
        lines.append('CHANGES since the previous report: %d new failure(s), %d fixed, %d new target(s), %d vanished' % (
            c['new_failures'], c['fixed'], c['new_targets'], c['vanished_targets']))
    return lines


RENDERERS = {
    'json': render_json,
    'junit': render_junit,
    'markdown': render_markdown,
    'html': render_html,
    'scs': render_scs,
}


def render_control_table(catalog):
    """docs/controls.md: the control table generated from the catalog (never edited by hand)."""
    out = ['# scs-0125-v1 controls', '',
           '<!-- generated by scripts/gen-docs.py from plugins/module_utils/data/controls.yml: do not edit -->', '',
           'Standard: %s (%s). Each control is one requirement of the standard, with a fixed id used in the'
           ' report, the JUnit test names and the SCS compliance-check lines.' % (catalog['standard']['id'], catalog['standard']['title']), '',
           '| id | level | channel | requirement | standard section |', '|---|---|---|---|---|']
    for c in catalog['controls']:
        level = c['level'] + (' (if %s)' % c['condition'] if c.get('condition') else '')
        requirement = _cell(' '.join(c['requirement'].split()))
        channel = _cell(catalog['channels'][c['channel']])
        out.append('| `%s` | %s | %s | **%s.** %s | %s |' % (c['id'], level, channel, _cell(c['title']), requirement, _cell(c['section'])))
    out += ['', '## How to fix, by deployment tool', '']
    for c in catalog['controls']:
        out += ['### `%s`' % c['id'], '', '%s' % ' '.join(c['evidence'].split()), '']
        labels = (('kolla_ansible', 'kolla-ansible'), ('openstack_ansible', 'OpenStack-Ansible'), ('distro', 'Distribution packages'))
        for key, label in labels:
            for hint in (c.get('remediation') or {}).get(key, []):
                out.append('- %s: %s' % (label, hint))
        out += [''] + ['- <%s>' % ref for ref in c.get('references', [])] + ['']
    return '\n'.join(out).rstrip('\n') + '\n'
