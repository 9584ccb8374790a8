# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The AWX workflow's gate (extensions/awx/project/verdict_gate.yml) run by real ansible-playbook with the
artifact AWX hands on from the audit node (``scs_0125_conformance`` as an extra variable): success only for an
accepted verdict, so the workflow's success and failure edges branch on it."""

from __future__ import absolute_import, division, print_function

import os
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), 'api'))
from keystone_helpers import run_playbook  # noqa: E402  pylint: disable=wrong-import-position

from lab.paths import REPO  # noqa: E402  pylint: disable=wrong-import-position

GATE = os.path.join(REPO, 'extensions', 'awx', 'project', 'verdict_gate.yml')


@pytest.mark.parametrize('extra,ok,says', [
    ({'scs_0125_conformance': {'verdict': 'conformant', 'must_failed': []}}, True, 'verdict conformant'),
    ({'scs_0125_conformance': {'verdict': 'non_conformant', 'must_failed': ['scs-0125-tls-mozilla'],
                               'published': {'location': 's3://r/x/20270101T023000Z'}}},
     False, 'MUST failed: scs-0125-tls-mozilla; report: s3://r/x/20270101T023000Z'),
    ({'scs_0125_conformance': {'verdict': 'incomplete'}}, False, 'verdict incomplete (accepted: conformant)'),
    ({'scs_0125_conformance': {'verdict': 'incomplete'}, 'scs_gate_accept': ['conformant', 'incomplete']}, True, 'verdict incomplete'),
    ({}, False, 'no scs_0125_conformance artifact'),
])
def test_gate(tmp_path, extra, ok, says):
    with open(GATE) as handle:
        rc, log = run_playbook(tmp_path, handle.read(), extra_vars=extra, timeout=120)
    assert (rc == 0) is ok and says in log, log[-2000:]
