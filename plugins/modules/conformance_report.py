#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: conformance_report
short_description: Evaluate audit evidence against scs-0125-v1 and write the conformance report
version_added: 0.1.0
description:
  - Runs on the controller only (action plugin). Takes the evidence gathered on all audited hosts,
    evaluates every control of the scs-0125-v1 catalog once with the collection's single evaluator,
    validates the report against the shipped JSON Schema and writes it in the requested formats.
  - Channels that were not gathered give C(not_assessed) findings, never C(pass).
  - Secrets in evidence are masked before anything is written.
  - Writing the report is the output of a read-only audit, not a change of any audited host, so the
    task always reports C(changed=false); it also writes the report in check mode.
author:
  - scs.secure_connections contributors (@SovereignCloudStack)
options:
  evidence:
    description:
      - Mapping of inventory host name to that host's evidence (the C(audit_evidence) host fact set
        by the P(scs.secure_connections.audit#role) role). See C(docs/architecture.md) for the layout.
      - Required unless O(evidence_bundles) names some. It is checked (a mapping of mappings) without being copied.
    type: dict
    default: {}
  evidence_hosts:
    description:
      - Inventory hosts whose C(audit_evidence) fact the action reads itself, from C(hostvars) as the audit recorded it
        (the evidence is data and is not templated again), the way the C(scs.secure_connections.collect_evidence) filter
        does; a host without the fact is reported as not audited. Added to O(evidence) (an entry there wins).
      - Cheaper than O(evidence) with that filter, whose templated result Ansible walks and copies whole (about half of
        the report task's CPU over a cloud's evidence, see docs/scale.md).
    type: list
    elements: str
    default: []
  evidence_bundles:
    description:
      - Evidence bundles to add to O(evidence) - files written by O(bundle_dir) or directories holding them (every C(*.json) in
        them). One report is built from all of them, for example from the slices of an AWX sliced job (docs/scale.md).
      - A host's audited evidence wins over a "not audited" entry of the same host; two audited entries of one host (the API job's
        and a slice's) are joined when their channels differ, and are an error when both hold one channel.
      - A file that is not a bundle of this schema version is an error naming it - not a regular file (a FIFO or device is never
        opened for long), more than 64 MiB, not UTF-8 JSON, nested too deeply to parse, another kind or schema version, no host name.
      - A bundle whose evidence the report cannot read (C(channels) not a list of names, a channel's evidence not a mapping,
        C(audit_status) not a mapping with a boolean C(audited), nested deeper than 64 levels) makes its host "not audited" with
        that reason, as a malformed answer of a node does in a run.
    type: list
    elements: path
    default: []
  bundle_dir:
    description:
      - Also write the evidence of every host of O(evidence) to this directory, one JSON file per host, C(<host>.json) (a host name that
        is no plain file name - other characters than letters, digits and C(_.@-), or a leading dot - is made one and gets 12 hex
        digits of its SHA-256, so no two hosts share a file and none lands outside the directory), with
        C(kind=scs-0125-evidence-bundle), C(schema_version), C(host), C(collection_version), C(written) and C(evidence),
        secrets masked. Another run reads them with O(evidence_bundles).
    type: path
  output_dir:
    description: Directory on the controller the report files are written to (created if missing).
    type: path
    required: true
  formats:
    description:
      - "Output formats. C(json) is the canonical report, C(junit) JUnit XML (one testcase per control
        and target), C(markdown), C(html) (one self-contained page), C(scs) the SCS compliance-check
        lines C(<control-id>: PASS|FAIL|ABORT)."
    type: list
    elements: str
    choices: [json, junit, markdown, html, scs]
    default: [json, junit, markdown, html, scs]
  channels:
    description:
      - Channels selected for this run (informational; the gathered channels come from the evidence), by the names of the
        control catalog's C(channels), or C(all) for every one. A name not in the catalog fails the task.
    type: list
    elements: str
    default: []
  skip_controls:
    description:
      - Control ids not assessed in this run (the audit role's C(audit_skip_controls)). Their rules do not run; each appears
        in the report with one C(not_assessed) finding "skipped by audit_skip_controls" (attestations for it are ignored).
        An id not in the catalog fails the task.
    type: list
    elements: str
    default: []
  mozilla_level:
    description: Mozilla server side TLS configuration level the TLS listeners are judged against.
    type: str
    choices: [old, intermediate, modern]
    default: intermediate
  mozilla_guidelines_file:
    description: Mozilla guidelines JSON on the controller; default the shipped copy of version 5.7 (the one the SCS test pins).
    type: path
  rule_options:
    description: Extra options for the rules (for example the API endpoint ignore list).
    type: dict
    default: {}
  attestations:
    description:
      - Operator answers for what no machine can see (for example switch-level separation of the
        storage network). Each item has C(control_id), C(status) (C(pass), C(fail) or C(not_applicable)),
        C(message) and optionally C(host) and C(by). An attestation replaces the C(manual) findings of
        its control (on its host, if given). An unknown control id is an error.
    type: list
    elements: dict
    default: []
  started:
    description: ISO 8601 time the audit started (shown in the report).
    type: str
  label:
    description: Free text naming this run (cloud, region, ticket).
    type: str
  waivers:
    description:
      - Accepted risks. Each item has C(control_id), C(target) (a glob matched against the finding's
        target line C(host / endpoint / service / account / file / setting) or any one of those values;
        default C(*), every target of the control), C(reason), C(owner) and C(expires) (C(YYYY-MM-DD)).
      - A failure a waiver matches on or before its expiry date is reported as waived (status stays
        C(fail), the control row and the counts say C(waived)); the verdict still counts it as failed
        and the SCS line stays C(FAIL). After the expiry date it is a failure again. Every waiver is
        reported with its state C(active), C(expired) or C(unmatched). See C(docs/report.md).
    type: list
    elements: dict
    default: []
  waivers_file:
    description: YAML file on the controller with more waivers (a list, or a mapping with the list under C(waivers)).
    type: path
  previous_report:
    description:
      - A previous JSON report on the controller (the file, or the report directory holding
        C(scs-0125-report.json)). The report then has a C(drift) section (new failures, fixed ones, new and
        vanished targets, control status changes), shown in every format. A file that is not a complete
        1.x report is an error.
    type: path
  certificate_warning_days:
    description:
      - Warning window for certificate expiry. The report lists the leaf certificate of every probed TLS
        listener (C(certificate_expiry)) as C(valid), C(expiring) (within this many days of the end of the
        run, a warning on the listener's C(scs-0125-tls-mozilla) finding, its status unchanged) or
        C(expired) (the Mozilla check fails such a listener).
    type: int
    default: 30
extends_documentation_fragment:
  - scs.secure_connections.attributes
attributes:
  check_mode:
    details: Writes the report in check mode too; audited hosts are never changed.
  action:
    description: Indicates this has a corresponding action plugin so some parts of the options can be executed on the controller.
    support: full
notes:
  - Needs the Python library C(jsonschema) on the controller.
seealso:
  - name: Architecture and evidence contracts
    description: How gatherers, the evaluator and the renderer fit together.
    link: https://github.com/SovereignCloudStack/standards/blob/main/Standards/scs-0125-v1-secure-connections.md
"""

EXAMPLES = r"""
- name: Write the conformance report for all audited hosts
  scs.secure_connections.conformance_report:
    evidence: "{{ dict(ansible_play_hosts_all | map('extract', hostvars, 'audit_evidence') | zip(ansible_play_hosts_all) | map('reverse')) }}"
    output_dir: /var/tmp/scs-0125
    formats: [json, html, scs]
  run_once: true
  delegate_to: localhost
  register: report
"""

RETURN = r"""
bundles:
  description: The evidence bundles written (O(bundle_dir)), one per host.
  returned: when bundle_dir is set
  type: list
  elements: str
  sample: [/srv/bundles/ctl1.json]
verdict:
  description: C(conformant), C(non_conformant) or C(incomplete).
  returned: success
  type: str
  sample: non_conformant
verdict_reason:
  description: Why the verdict is what it is.
  returned: success
  type: str
  sample: "MUST control(s) failed: scs-0125-tls-mozilla"
summary:
  description:
    - Counts of controls and findings per status (C(waived) counted apart from C(fail)), failed MUST controls
      (C(must_failed), without the waived ones), MUST controls failed under an active waiver (C(must_waived)),
      warnings, and with waivers the number of waivers per state.
  returned: success
  type: dict
  sample: {"controls_by_status": {"pass": 1, "fail": 1}, "findings_by_status": {"pass": 3, "fail": 2}, "must_failed": ["scs-0125-tls-mozilla"], "warnings": []}
controls:
  description: One row per control with its aggregated status and SCS result.
  returned: success
  type: list
  elements: dict
  sample: [{"id": "scs-0125-tls-mozilla", "level": "MUST", "channel": "tls", "status": "fail", "scs_result": "FAIL",
            "counts": {"pass": 2, "fail": 2, "error": 0, "not_applicable": 0, "manual": 0, "not_assessed": 0}}]
files:
  description: Path of each written report file by format.
  returned: success
  type: dict
  sample: {"json": "/var/tmp/scs-0125/scs-0125-report.json", "html": "/var/tmp/scs-0125/scs-0125-report.html"}
waivers:
  description: Every waiver with its C(state) (active, expired, unmatched) and how many failures it C(matched).
  returned: when waivers or waivers_file were given
  type: list
  elements: dict
  sample: [{"id": 1, "control_id": "scs-0125-tls-mozilla", "target": "ctl-1 / *:8443", "reason": "legacy client", "owner": "ops",
            "expires": "2027-03-31", "state": "active", "matched": 1}]
drift:
  description: The previous run, the verdict before and now, counts of changes and the controls whose status changed.
  returned: when previous_report was given
  type: dict
  sample: {"previous": {"finished": "2026-11-01T10:00:00Z"}, "verdict": {"from": "non_conformant", "to": "conformant"},
           "counts": {"new_failures": 0, "fixed": 2, "still_failing": 0, "new_targets": 1, "vanished_targets": 0, "controls_changed": 1},
           "controls_changed": [{"id": "scs-0125-tls-mozilla", "from": "fail", "to": "pass"}]}
certificates:
  description: Number of probed leaf certificates per expiry state (valid, expiring, expired).
  returned: success
  type: dict
  sample: {"valid": 4, "expiring": 1, "expired": 0}
summary_lines:
  description: A short plain-text summary table, one line per control and the verdict.
  returned: success
  type: list
  elements: str
  sample: ["scs-0125-tls-mozilla  MUST  FAIL  2/2/0/0/0", "VERDICT: NON_CONFORMANT — MUST control(s) failed: scs-0125-tls-mozilla"]
run:
  description: Run metadata as written to the report.
  returned: success
  type: dict
  sample: {"collection": "scs.secure_connections", "collection_version": "0.1.0", "standard": "scs-0125-v1",
           "mozilla": {"guidelines_version": 5.7, "level": "intermediate", "source": "shipped"}, "hosts": ["lab"], "channels": ["tls"],
           "started": "2026-11-22T10:00:00+00:00", "finished": "2026-11-22T10:00:05+00:00"}
"""

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.scs.secure_connections.plugins.module_utils._core.report import ARGUMENT_SPEC


def main():
    module = AnsibleModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    module.fail_json(msg='scs.secure_connections.conformance_report runs on the controller as an action plugin; it cannot run as a module.')


if __name__ == '__main__':
    main()
