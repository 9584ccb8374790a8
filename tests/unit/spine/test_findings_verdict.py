# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""How findings add up per control, and the verdict: table-driven."""

from __future__ import absolute_import, division, print_function

import pytest

from ansible_collections.scs.secure_connections.plugins.module_utils._core.findings import (
    FindingError,
    aggregate_status,
    make_finding,
    scs_result,
    verdict,
)

CONTROL = {'id': 'scs-0125-tls-mozilla', 'level': 'MUST', 'channel': 'tls'}


@pytest.mark.parametrize('statuses,expected', [
    ([], 'not_assessed'),
    (['pass'], 'pass'),
    (['pass', 'pass', 'not_applicable'], 'pass'),
    (['not_applicable', 'not_applicable'], 'not_applicable'),
    (['pass', 'fail'], 'fail'),
    (['pass', 'error'], 'error'),
    (['fail', 'error'], 'fail'),
    (['pass', 'manual'], 'manual'),
    (['pass', 'not_assessed'], 'not_assessed'),
    (['manual', 'not_assessed'], 'not_assessed'),
    (['not_applicable', 'manual'], 'manual'),
])
def test_aggregate(statuses, expected):
    assert aggregate_status(statuses) == expected


def _rows(*pairs):
    return [{'level': level, 'status': status} for level, status in pairs]


@pytest.mark.parametrize('rows,expected', [
    (_rows(('MUST', 'pass'), ('SHOULD', 'fail'), ('MAY', 'fail')), 'conformant'),
    (_rows(('MUST', 'pass'), ('MUST', 'not_applicable')), 'conformant'),
    (_rows(('MUST', 'fail'), ('MUST', 'error')), 'non_conformant'),
    (_rows(('MUST', 'pass'), ('MUST', 'fail')), 'non_conformant'),
    (_rows(('MUST', 'pass'), ('MUST', 'not_assessed')), 'incomplete'),
    (_rows(('MUST', 'pass'), ('MUST', 'error')), 'incomplete'),
    (_rows(('MUST', 'pass'), ('SHOULD', 'error')), 'incomplete'),
    (_rows(('MUST', 'manual')), 'incomplete'),
    (_rows(('SHOULD', 'fail'), ('RECOMMENDED', 'fail'), ('MUST', 'pass')), 'conformant'),
])
def test_verdict(rows, expected):
    assert verdict(rows) == expected


@pytest.mark.parametrize('status,word', [
    ('pass', 'PASS'), ('not_applicable', 'PASS'), ('fail', 'FAIL'), ('error', 'ABORT'), ('manual', 'ABORT'), ('not_assessed', 'ABORT'),
])
def test_scs_result(status, word):
    assert scs_result(status) == word


def test_make_finding_masks_evidence_and_drops_empty_targets():
    finding = make_finding(CONTROL, 'fail', 'bad', target={'host': 'n1', 'endpoint': None, 'file': ''},
                           evidence={'url': 'mysql+pymysql://nova:s3cret@db/nova', 'password': 'x1y2z3'})
    assert finding['target'] == {'host': 'n1'}
    assert 's3cret' not in str(finding) and 'x1y2z3' not in str(finding)
    assert finding['level'] == 'MUST' and finding['channel'] == 'tls'


@pytest.mark.parametrize('status,message,target,problem', [
    ('great', 'm', None, 'not one of'),
    ('pass', '', None, 'no message'),
    ('pass', 'm', {'colour': 'x'}, 'unknown target key'),
])
def test_make_finding_rejects_bad_input(status, message, target, problem):
    with pytest.raises(FindingError, match=problem):
        make_finding(CONTROL, status, message, target=target)
