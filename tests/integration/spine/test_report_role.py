# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The report role through real ansible-playbook: formats, facts, stats, the fail switch and bad input."""

from __future__ import absolute_import, division, print_function

import json
import xml.etree.ElementTree as ET

import pytest

PLAY = """
- hosts: all
  gather_facts: false
  tasks:
    - ansible.builtin.set_fact:
        audit_evidence: {{ evidence | to_json }}
    - ansible.builtin.import_role:
        name: scs.secure_connections.report
"""

EVIDENCE_TLS_ONLY = {'channels': ['tls'], 'tls': {'endpoints': []}}


def _play(evidence):
    return PLAY.replace('{{ evidence | to_json }}', json.dumps(evidence))


def test_report_role_writes_every_format(runner, tmp_path):
    out = tmp_path / 'report'
    rc, log = runner.playbook(_play(EVIDENCE_TLS_ONLY), extra_vars={'report_output_dir': str(out), 'report_channels': ['tls']})
    assert rc == 0, log
    report = json.loads((out / 'scs-0125-report.json').read_text())
    assert report['schema_version'] == '1.1'
    assert report['run']['hosts'] == ['localhost']
    assert report['verdict'] in ('non_conformant', 'incomplete', 'conformant')
    ET.parse(str(out / 'scs-0125-report.junit.xml'))
    assert (out / 'scs-0125-report.html').read_text().startswith('<!DOCTYPE html>')
    assert len((out / 'scs-0125-results.txt').read_text().splitlines()) == 22
    assert 'VERDICT:' in log and 'changed=0' in log


def test_fail_on_must_fails_the_play_only_when_a_must_fails(runner, tmp_path):
    # A host that was not audited (no evidence) makes the report incomplete, not non-conformant.
    out = tmp_path / 'report'
    extra = {'report_output_dir': str(out), 'report_fail_on_must': True, 'report_channels': ['tls']}
    rc, log = runner.playbook(_play(EVIDENCE_TLS_ONLY), extra_vars=extra)
    report = json.loads((out / 'scs-0125-report.json').read_text())
    assert (rc != 0) == (report['verdict'] == 'non_conformant'), log


@pytest.mark.parametrize('extra,message', [
    ({'report_attestations': [{'control_id': 'scs-0125-nope', 'status': 'pass', 'message': 'x'}]}, "unknown control id 'scs-0125-nope'"),
    ({'report_formats': ['pdf']}, 'value of report_formats must be one or more of'),
    ({'report_mozilla_level': 'paranoid'}, 'value of report_mozilla_level must be one of'),
])
def test_bad_report_input_is_a_clear_error(runner, tmp_path, extra, message):
    extra = dict(extra, report_output_dir=str(tmp_path / 'r'))
    rc, log = runner.playbook(_play(EVIDENCE_TLS_ONLY), extra_vars=extra)
    assert rc != 0
    assert message in log, log
    assert 'Traceback' not in log


@pytest.mark.parametrize('evidence,message', [
    ({'channels': 'tls'}, 'must be a list of channel names'),
    ({'channels': ['tls'], 'tls': ['not', 'a', 'mapping']}, '"tls" must be a mapping'),
])
def test_malformed_evidence_is_named(runner, tmp_path, evidence, message):
    rc, log = runner.playbook(_play(evidence), extra_vars={'report_output_dir': str(tmp_path / 'r')})
    assert rc != 0
    assert message in log and 'localhost' in log, log
    assert 'Traceback' not in log


def test_no_evidence_at_all_is_named(runner, tmp_path):
    play = """
- hosts: all
  gather_facts: false
  tasks:
    - ansible.builtin.import_role:
        name: scs.secure_connections.report
      vars:
        report_hosts: []
"""
    rc, log = runner.playbook(play, extra_vars={'report_output_dir': str(tmp_path / 'r')})
    assert rc != 0
    assert 'no evidence: no host was audited' in log
    assert 'Traceback' not in log


def test_host_without_evidence_is_reported_not_dropped(runner, tmp_path):
    play = """
- hosts: all
  gather_facts: false
  tasks:
    - ansible.builtin.set_fact:
        audit_evidence: {"channels": ["tls"], "tls": {"endpoints": []}}
      when: inventory_hostname == 'a'
    - ansible.builtin.import_role:
        name: scs.secure_connections.report
"""
    out = tmp_path / 'r'
    rc, log = runner.playbook(play, extra_vars={'report_output_dir': str(out), 'report_channels': ['tls']}, inventory='a,b')
    assert rc == 0, log
    report = json.loads((out / 'scs-0125-report.json').read_text())
    assert [n['audited'] for n in report['nodes']] == [True, False]
    assert any(f['status'] == 'error' and f['target'].get('host') == 'b' for f in report['findings'])
    assert report['verdict'] != 'conformant'
