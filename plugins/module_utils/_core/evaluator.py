# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one evaluator: gatherer evidence in, findings out, one rule per control id.

Runs on the controller over the evidence of all audited hosts at once (some rules compare
hosts, e.g. libvirt client certificate subjects). Gatherer modules never judge; rules live in
``_rules/<channel>.py`` modules, each exporting ``RULES = {control_id: function(ctx)}``.

Evidence layout, per host (built by the ``audit`` role as the host fact ``audit_evidence``)::

    {'channels': ['tls', 'db', ...],   # channels gathered on this host in this run
     'discovery': {...},               # openstack_config_info result
     'tls': {'endpoints': [...]},      # tls_endpoint_info result
     'api': {...}, 'db': {...}, 'mq': {...}, 'hv': {...}, 'net': {...}, 'sto': {...}}
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import importlib

from ansible_collections.scs.secure_connections.plugins.module_utils._core.catalog import load_catalog
from ansible_collections.scs.secure_connections.plugins.module_utils._core.findings import (
    FindingError,
    ABSENCE_KEY,
    STATUSES,
    enforce_semantics,
    make_finding,
)

RULES_PACKAGE = 'ansible_collections.scs.secure_connections.plugins.module_utils._rules'


class EvidenceError(ValueError):
    """The evidence handed to the evaluator is malformed."""


def load_rules(catalog=None):
    """``{control_id: rule}`` from the rule module of every channel of the catalog (``_rules/<channel>.py``).

    The channel list lives in the catalog alone; a channel without a rule module yet is skipped (its
    controls become ``not_assessed``)."""
    rules = {}
    for channel in sorted((catalog or load_catalog()).get('channels') or {}):
        full = '%s.%s' % (RULES_PACKAGE, channel)
        try:
            module = importlib.import_module(full)
        except ImportError as exc:
            if getattr(exc, 'name', None) == full:
                continue
            raise
        rules.update(getattr(module, 'RULES', {}))
    return rules


class RuleContext(object):
    """What a rule sees: all hosts' evidence, evaluation options, and a finding factory."""

    def __init__(self, evidence_by_host, options=None, catalog=None):
        self.catalog = catalog or load_catalog()
        self.controls = dict((c['id'], c) for c in self.catalog['controls'])
        self.options = options or {}
        self._evidence = evidence_by_host
        self.hosts = sorted(evidence_by_host)
        self._memo = {}

    def memo(self, key, build):
        """``build()``, computed once for this evaluation under ``key``: what a rule derives from all hosts' evidence and
        needs again for each host or target (so that a rule stays linear in the hosts). Rules read it, never change it."""
        if key not in self._memo:
            self._memo[key] = build()
        return self._memo[key]

    def channel_hosts(self, channel):
        """Hosts on which ``channel`` was gathered in this run."""
        return [h for h in self.hosts if channel in (self._evidence[h].get('channels') or [])]

    def evidence(self, host, key, default=None):
        value = self._evidence.get(host, {}).get(key)
        return default if value is None else value

    def finding(self, control_id, status, message, host=None, evidence=None, remediation=None, absence=None, **target):
        """A finding for ``control_id``; ``target`` keys: endpoint, service, file, account, setting.

        ``absence``: for ``not_applicable``, the positive evidence that the channel is absent (what was
        read and showed it); a ``not_applicable`` without it becomes ``not_assessed`` (findings.enforce_semantics)."""
        target['host'] = host
        if absence:
            evidence = dict(evidence or {})
            evidence[ABSENCE_KEY] = absence
        return make_finding(self.controls[control_id], status, message, target=target, evidence=evidence, remediation=remediation)


def validate_evidence(evidence_by_host):
    """Raise EvidenceError naming the first problem in the evidence structure."""
    if not isinstance(evidence_by_host, dict):
        raise EvidenceError('evidence must be a mapping of host name to evidence, got %s' % type(evidence_by_host).__name__)
    for host, evidence in evidence_by_host.items():
        if not isinstance(evidence, dict):
            raise EvidenceError('evidence of host %s must be a mapping, got %s' % (host, type(evidence).__name__))
        channels = evidence.get('channels', [])
        if not isinstance(channels, list) or not all(isinstance(c, str) for c in channels):
            raise EvidenceError('evidence of host %s: "channels" must be a list of channel names' % host)
        status = evidence.get('audit_status')
        if status is not None and not (isinstance(status, dict) and isinstance(status.get('audited', True), bool)):
            raise EvidenceError('evidence of host %s: "audit_status" must be a mapping with a boolean "audited"' % host)
        for key, value in evidence.items():
            if key not in ('channels', 'audit_status') and value is not None and not isinstance(value, dict):
                raise EvidenceError('evidence of host %s: "%s" must be a mapping, got %s' % (host, key, type(value).__name__))


def evaluate(evidence_by_host, options=None, catalog=None, rules=None):
    """Return the list of findings for every control of the catalog."""
    validate_evidence(evidence_by_host)
    ctx = RuleContext(evidence_by_host, options=options, catalog=catalog)
    rules = load_rules(ctx.catalog) if rules is None else rules
    findings = []
    missing = dict((h, (evidence_by_host[h].get('audit_status') or {}).get('reason', 'no evidence'))
                   for h in ctx.hosts if (evidence_by_host[h].get('audit_status') or {}).get('audited') is False)
    selected = set((options or {}).get('channels') or [])
    for control in ctx.catalog['controls']:
        cid = control['id']
        if control['channel'] in selected or ctx.channel_hosts(control['channel']):
            for host, reason in sorted(missing.items()):
                findings.append(make_finding(control, 'error', 'host %s was not audited: %s' % (host, reason), target={'host': host}))
        if not ctx.channel_hosts(control['channel']):
            findings.append(make_finding(control, 'not_assessed', 'channel "%s" was not gathered on any host in this run' % control['channel']))
            continue
        rule = rules.get(cid)
        if rule is None:
            findings.append(make_finding(control, 'not_assessed', 'this version of the collection has no rule for this control yet'))
            continue
        try:
            produced = list(rule(ctx) or [])
            for item in produced:
                if not isinstance(item, dict) or item.get('control_id') != cid or item.get('status') not in STATUSES:
                    raise FindingError('rule for %s returned a malformed finding: %r' % (cid, item))
        # One broken rule must not hide the others: it becomes an error finding.
        except Exception as exc:  # pylint: disable=broad-except
            findings.append(make_finding(control, 'error', 'the rule could not evaluate the evidence: %s: %s' % (type(exc).__name__, exc)))
            continue
        if not produced:
            produced = [make_finding(control, 'not_assessed', 'the rule found nothing to assess in the gathered evidence')]
        findings.extend(enforce_semantics(f) for f in produced)
    return findings
