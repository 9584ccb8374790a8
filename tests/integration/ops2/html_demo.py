# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A demo-like report without the demo's services: the evidence of every control's ``fail`` and ``pass`` scenario
(tests/controls: recorded probes of the lab's servers, discovery over fixture trees, the hv gatherer) merged into
one cloud (a host's channel evidence from the first scenario that has it), evaluated and rendered as the report
role does, plus a certificate inventory over a tree with the lab PKI's files.

    python tests/integration/ops2/html_demo.py OUT_DIR      # writes OUT_DIR/scs-0125-report.html (+ .json)
"""

from __future__ import absolute_import, division, print_function

import glob
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))


def _imports():
    if REPO not in sys.path:
        sys.path.insert(0, REPO)
    from lab.paths import collections_root
    if collections_root() not in sys.path:
        sys.path.insert(0, collections_root())
    sys.path.insert(0, os.path.join(REPO, 'tests', 'unit', 'controls'))
    import test_scenarios  # pylint: disable=import-outside-toplevel
    return test_scenarios


def demo_evidence(workdir):
    ts = _imports()
    ctx = {'workdir': workdir, 'hv': ts.HvTrees(workdir)}
    evidence = {}
    for path in sorted(glob.glob(os.path.join(ts.SCENARIOS, 'scs-0125-*', 'fail.yml')) + glob.glob(os.path.join(ts.SCENARIOS, 'scs-0125-*', 'pass.yml'))):
        scenario = ts.load_yaml(path)
        for host, ev in ts.build_evidence(scenario, ctx).items():
            mine = evidence.setdefault(host, {'channels': []})
            for key, value in (ev or {}).items():
                if key == 'channels':
                    mine['channels'] = sorted(set(mine['channels']) | set(value or []))
                elif key not in mine:
                    mine[key] = value
    return evidence


def build(out_dir):
    _imports()
    from ansible_collections.scs.secure_connections.plugins.module_utils._core.catalog import load_catalog
    from ansible_collections.scs.secure_connections.plugins.module_utils._core.evaluator import evaluate
    from ansible_collections.scs.secure_connections.plugins.module_utils._core.render import render_html, render_json
    from ansible_collections.scs.secure_connections.plugins.module_utils._core.report import build_report, validate_report
    from ansible_collections.scs.secure_connections.plugins.module_utils._core.mozilla_data import GUIDELINES
    os.makedirs(out_dir, exist_ok=True)
    workdir = os.path.join(out_dir, 'work')
    os.makedirs(workdir, exist_ok=True)
    catalog = load_catalog()
    evidence = demo_evidence(workdir)
    findings = evaluate(evidence, options={'mozilla_level': 'intermediate', 'mozilla_guidelines': GUIDELINES}, catalog=catalog)
    run = {'collection': 'scs.secure_connections', 'collection_version': '1.0.0', 'standard': 'scs-0125-v1', 'hosts': sorted(evidence),
           'channels': sorted(catalog['channels']), 'started': '2026-12-04T02:30:00Z', 'finished': '2026-12-04T02:41:00Z',
           'mozilla': {'guidelines_version': GUIDELINES.get('version'), 'level': 'intermediate', 'source': 'shipped'}, 'label': 'demo-like'}
    report = build_report(findings, run, catalog, evidence_by_host=evidence, certificate_warning_days=30)
    problems = validate_report(report)
    assert not problems, problems
    path = os.path.join(out_dir, 'scs-0125-report.html')
    with open(path, 'w') as handle:
        handle.write(render_html(report))
    with open(os.path.join(out_dir, 'scs-0125-report.json'), 'w') as handle:
        handle.write(render_json(report))
    return path, report


if __name__ == '__main__':
    print(build(sys.argv[1])[0])
