# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Evidence bundles of the conformance_report action: written one per host (masked, schema-versioned), read back and
merged. The whole round trip through AWX-like slices is tests/integration/scale/test_slices.py."""

from __future__ import absolute_import, division, print_function

import json

import pytest

from ansible_collections.scs.secure_connections.plugins.action.conformance_report import _evidence, merge_bundles, write_bundles
from ansible_collections.scs.secure_connections.plugins.module_utils._core.report import ReportError

NOT_AUDITED = {'channels': [], 'audit_status': {'audited': False, 'reason': 'unreachable'}}


def _db(url):
    return {'channels': ['db'], 'discovery': {'services': [{'service': 'nova', 'database_urls': [{'url': url}]}]}, 'db': {'servers': []}}


def test_bundles_are_one_masked_versioned_file_per_host_and_read_back(tmp_path):
    evidence = {'ctl/1': _db('mysql+pymysql://nova:s3cretpw@db/nova'), 'cmp1': NOT_AUDITED}
    paths = write_bundles(evidence, str(tmp_path / 'b'), '1.2.3')
    assert [p.rsplit('/', 1)[1] for p in paths] == ['cmp1.json', 'ctl_1.json']
    text = (tmp_path / 'b' / 'ctl_1.json').read_text()
    assert 's3cretpw' not in text
    bundle = json.loads(text)
    assert (bundle['kind'], bundle['schema_version'], bundle['host'], bundle['collection_version']) == (
        'scs-0125-evidence-bundle', 1, 'ctl/1', '1.2.3')
    assert merge_bundles({}, [str(tmp_path / 'b')]) == {'ctl/1': bundle['evidence'], 'cmp1': NOT_AUDITED}


def test_audited_evidence_wins_and_different_channels_of_one_host_join(tmp_path):
    write_bundles({'ctl1': _db('mysql://nova@db/nova'), 'cmp1': NOT_AUDITED}, str(tmp_path / 'a'), '1')
    api = {'channels': ['api'], 'discovery': {}, 'api': {'catalog': {'status': 'ok'}}}
    write_bundles({'ctl1': api, 'cmp1': {'channels': ['hv'], 'discovery': {}, 'hv': {'libvirt': {}}}}, str(tmp_path / 'b'), '1')
    merged = merge_bundles({'cmp2': NOT_AUDITED}, [str(tmp_path / 'a'), str(tmp_path / 'b' / 'ctl1.json'), str(tmp_path / 'b' / 'cmp1.json')])
    assert sorted(merged) == ['cmp1', 'cmp2', 'ctl1']
    assert merged['cmp1']['channels'] == ['hv'] and merged['cmp2'] == NOT_AUDITED
    assert merged['ctl1']['channels'] == ['db', 'api'] and merged['ctl1']['api'] == api['api'] and merged['ctl1']['db'] == {'servers': []}
    with pytest.raises(ReportError, match='host ctl1 has evidence of channel.*db'):
        merge_bundles({'ctl1': _db('x')}, [str(tmp_path / 'a')])


@pytest.mark.parametrize('content,message', [
    ('{"kind": "something-else"}', 'is not an evidence bundle'),
    ('{"kind": "scs-0125-evidence-bundle", "schema_version": 2, "host": "a", "evidence": {}}', 'schema_version 2'),
    ('{"kind": "scs-0125-evidence-bundle", "schema_version": 1, "evidence": {}}', 'lacks its host'),
    ('{"kind": "scs-0125-', 'cannot read evidence bundle'),
])
def test_a_file_that_is_no_bundle_of_this_version_is_an_error(tmp_path, content, message):
    (tmp_path / 'x.json').write_text(content)
    with pytest.raises(ReportError, match=message):
        merge_bundles({}, [str(tmp_path / 'x.json')])
    with pytest.raises(ReportError, match='does not exist'):
        merge_bundles({}, [str(tmp_path / 'nope.json')])


def test_evidence_option_is_checked_without_a_copy():
    evidence = {'a': {'channels': []}}
    assert _evidence(evidence) is evidence and _evidence(None) == {}
    with pytest.raises(ReportError, match='mapping of host name'):
        _evidence(['a'])
    with pytest.raises(ReportError, match='evidence of host a must be a mapping'):
        _evidence({'a': 'text'})
