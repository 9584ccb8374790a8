# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The shape of a finding, how findings of one control add up, and the report verdict."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.scs.secure_connections.plugins.module_utils._core.secrets import mask_secrets

SCHEMA_VERSION = '1.1'

STATUSES = ('pass', 'fail', 'not_applicable', 'error', 'manual', 'not_assessed')

# How the findings of one control add up to the control's status: the first status in this
# order that any finding has wins. A single failing target fails the control; an error or a
# target nobody assessed keeps the control from passing.
AGGREGATE_ORDER = ('fail', 'error', 'not_assessed', 'manual', 'pass', 'not_applicable')

TARGET_KEYS = ('host', 'endpoint', 'service', 'file', 'account', 'setting')

# The status semantics (docs/report.md "Statuses of a finding"), enforced by the evaluator:
#
# * ``not_applicable`` only on positive evidence that the channel is absent on the target: the finding
#   carries that evidence under ``evidence[ABSENCE_KEY]`` (a non-empty text or list naming what was read
#   and showed the absence, e.g. "discovery read /etc without errors: no rabbitmq.conf, no rabbit:// URL").
#   One without it is turned into ``not_assessed`` (:func:`enforce_semantics`): absence of observation is
#   no evidence of absence.
# * "configured but not observed" is ``not_assessed``, naming what would assess it.
# * an input the control depends on that is unreadable, truncated or undecodable is ``error`` for that
#   target (``_rules/common.input_errors``), never a verdict from the part that could be read.
# * a host that was not audited gives ``error`` for every selected control (the evaluator).
ABSENCE_KEY = 'absence'


class FindingError(ValueError):
    """A finding (or something that claims to be one) is malformed."""


def make_finding(control, status, message, target=None, evidence=None, remediation=None):
    """Build one finding for ``control`` (a catalog entry)."""
    if status not in STATUSES:
        raise FindingError('status %r of %s is not one of %s' % (status, control['id'], ', '.join(STATUSES)))
    if not message or not isinstance(message, str):
        raise FindingError('finding of %s with status %s has no message' % (control['id'], status))
    clean_target = {}
    for key, value in (target or {}).items():
        if key not in TARGET_KEYS:
            raise FindingError('finding of %s has unknown target key %r' % (control['id'], key))
        if value not in (None, ''):
            clean_target[key] = str(value)
    return {
        'control_id': control['id'],
        'level': control['level'],
        'channel': control['channel'],
        'status': status,
        'message': message,
        'target': clean_target,
        'evidence': mask_secrets(evidence or {}),
        'remediation': remediation,
    }


def absence_evidence(finding):
    """The positive evidence of absence a ``not_applicable`` finding carries, or None."""
    evidence = finding.get('evidence') or {}
    value = evidence.get(ABSENCE_KEY) if isinstance(evidence, dict) else None
    if isinstance(value, (list, tuple)):
        value = [str(v) for v in value if v not in (None, '')]
    elif value is not None and not isinstance(value, str):
        value = str(value)
    return value or None


def evidenced(finding):
    """A finding whose status is backed as the semantics ask: anything but ``not_applicable``, or a
    ``not_applicable`` with evidence of absence, or an operator's attestation."""
    return finding.get('status') != 'not_applicable' or finding.get('source') == 'attestation' or bool(absence_evidence(finding))


def enforce_semantics(finding):
    """``finding``, or, for a ``not_applicable`` without evidence of absence, the ``not_assessed`` it
    really is (the original message kept; ``evidence.claimed_status`` says what the rule claimed)."""
    if evidenced(finding):
        return finding
    out = dict(finding)
    out['status'] = 'not_assessed'
    out['message'] = ('not assessed: nothing showed that this is absent (a rule claimed "not applicable" without '
                      'evidence of absence): %s' % finding.get('message'))
    out['evidence'] = dict(finding.get('evidence') or {}, claimed_status='not_applicable')
    return out


def aggregate_status(statuses):
    """The status of a control from the statuses of its findings (``not_assessed`` if none)."""
    present = set(statuses)
    for status in AGGREGATE_ORDER:
        if status in present:
            return status
    return 'not_assessed'


def verdict(control_rows):
    """conformant / non_conformant / incomplete from per-control rows ``{level, status}``.

    - ``non_conformant``: a MUST control fails.
    - ``incomplete``: no MUST fails, but a MUST control was not assessed, needs manual evidence,
      or any control errored.
    - ``conformant``: every MUST control passed or does not apply, and nothing errored.
    """
    must = [r for r in control_rows if r['level'] == 'MUST']
    if any(r['status'] == 'fail' for r in must):
        return 'non_conformant'
    if any(r['status'] == 'error' for r in control_rows):
        return 'incomplete'
    if any(r['status'] not in ('pass', 'not_applicable') for r in must):
        return 'incomplete'
    return 'conformant'


def scs_result(status, findings=None):
    """SCS compliance-check word for a control status: PASS only for ``pass`` and evidenced
    ``not_applicable`` (every one of the control's ``findings``, when given, is :func:`evidenced`)."""
    if status == 'not_applicable' and findings is not None and not all(evidenced(f) for f in findings):
        return 'ABORT'
    if status in ('pass', 'not_applicable'):
        return 'PASS'
    if status == 'fail':
        return 'FAIL'
    return 'ABORT'
