# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The audit role records a tls channel with nothing to probe in its record task instead of including
tasks/channel_tls.yml (docs/scale.md): both places must judge "nothing to probe" and "not probed" from the same
expressions (roles/audit/vars/main.yml), or the fold would record something the channel file does not.
tests/integration/scale/test_one_call.py compares the two records over the real trees."""

from __future__ import absolute_import, division, print_function

import os

import yaml

from lab.paths import REPO

TASKS = os.path.join(REPO, 'roles', 'audit', 'tasks')


def _load(*parts):
    with open(os.path.join(*parts)) as handle:
        return yaml.safe_load(handle)


def test_the_fold_and_the_channel_file_share_the_targets_and_the_record():
    probe, record = _load(TASKS, 'channel_tls.yml')
    assert probe['vars']['_endpoints'] == '{{ __audit_tls_endpoints }}'
    assert probe['when'] == ["'scs-0125-tls-mozilla' not in audit_skip_controls", '_endpoints | length > 0']
    main = [t for t in _load(TASKS, 'main.yml') if t.get('name') == "Record this host's evidence"][0]
    folded = main['vars']['_tls']
    recorded = record['vars']['audit_record_evidence']
    assert list(folded) == list(recorded) == ['endpoints', 'probed_from', 'not_probed']
    assert folded['endpoints'] == [] and recorded['endpoints'] == '{{ audit_tls_result.endpoints | default([]) }}'
    assert folded['probed_from'] == recorded['probed_from'] and folded['not_probed'] == recorded['not_probed']
    # folded exactly when the channel file's probe would be skipped
    assert "'scs-0125-tls-mozilla' in audit_skip_controls or __audit_tls_endpoints | length == 0" in main['vars']['_tls_here']
    internal = _load(REPO, 'roles', 'audit', 'vars', 'main.yml')
    assert sorted(internal) == ['__audit_tls_discovery', '__audit_tls_endpoints', '__audit_tls_not_probed']
