# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Evidence bundles of the conformance_report action: written one per host (masked, schema-versioned), read back and
merged. The whole round trip through AWX-like slices is tests/integration/scale/test_slices.py."""

from __future__ import absolute_import, division, print_function

import json
import os
import re

import pytest

from ansible_collections.scs.secure_connections.plugins.action.conformance_report import MAX_BUNDLE_BYTES, _evidence, merge_bundles, write_bundles
from ansible_collections.scs.secure_connections.plugins.module_utils._core.report import ReportError

NOT_AUDITED = {'channels': [], 'audit_status': {'audited': False, 'reason': 'unreachable'}}


def _db(url):
    return {'channels': ['db'], 'discovery': {'services': [{'service': 'nova', 'database_urls': [{'url': url}]}]}, 'db': {'servers': []}}


def test_bundles_are_one_masked_versioned_file_per_host_and_read_back(tmp_path):
    evidence = {'ctl/1': _db('mysql+pymysql://nova:s3cretpw@db/nova'), 'cmp1': NOT_AUDITED}
    paths = write_bundles(evidence, str(tmp_path / 'b'), '1.2.3')
    names = [p.rsplit('/', 1)[1] for p in paths]
    assert names[0] == 'cmp1.json' and re.match(r'ctl_1-[0-9a-f]{12}\.json$', names[1]), names
    text = open(paths[1]).read()
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


def _bundle(host, evidence):
    return json.dumps({'kind': 'scs-0125-evidence-bundle', 'schema_version': 1, 'host': host, 'evidence': evidence})


@pytest.mark.parametrize('evidence,reason', [
    ({'channels': 'db'}, '"channels" must be a list of channel names'),
    ({'channels': [['db']]}, '"channels" must be a list of channel names'),
    ({'channels': ['db'], 'audit_status': 'audited'}, '"audit_status" must be a mapping'),
    ({'channels': ['db'], 'audit_status': {'audited': 'yes'}}, '"audit_status" must be a mapping with a boolean'),
    ({'channels': ['db'], 'db': ['servers']}, '"db" must be a mapping'),
    ({'channels': ['db'], 'db': json.loads('{"x":' * 80 + '1' + '}' * 80)}, 'nested deeper than 64 levels'),
])
def test_a_bundle_whose_evidence_cannot_be_read_makes_its_host_not_audited(tmp_path, evidence, reason):
    (tmp_path / 'ctl1.json').write_text(_bundle('ctl1', evidence))
    merged = merge_bundles({}, [str(tmp_path)])
    assert merged['ctl1']['channels'] == [] and merged['ctl1']['audit_status']['audited'] is False
    assert 'evidence bundle ctl1.json is malformed' in merged['ctl1']['audit_status']['reason']
    assert reason in merged['ctl1']['audit_status']['reason']
    # the run's own audited evidence of that host wins over the broken bundle
    assert merge_bundles({'ctl1': _db('x')}, [str(tmp_path)])['ctl1'] == _db('x')


def test_a_bundle_path_that_is_no_regular_file_or_too_big_or_too_deep_is_an_error_not_a_hang(tmp_path):
    fifo = tmp_path / 'fifo'
    fifo.mkdir()
    os.mkfifo(str(fifo / 'x.json'))  # opening a FIFO for reading would wait for a writer forever
    with pytest.raises(ReportError, match='is not a regular file'):
        merge_bundles({}, [str(fifo)])
    (tmp_path / 'zero.json').symlink_to('/dev/zero')  # endless
    with pytest.raises(ReportError, match='is not a regular file'):
        merge_bundles({}, [str(tmp_path / 'zero.json')])
    deep = tmp_path / 'deep.json'
    deep.write_text('[' * 100000 + ']' * 100000)
    with pytest.raises(ReportError, match='cannot read evidence bundle .*recursion'):
        merge_bundles({}, [str(deep)])
    (tmp_path / 'bin.json').write_bytes(b'\xff\xfe\x00garbage')
    with pytest.raises(ReportError, match="cannot read evidence bundle .*codec can't decode"):
        merge_bundles({}, [str(tmp_path / 'bin.json')])
    big = tmp_path / 'big.json'
    with open(str(big), 'wb') as handle:
        handle.truncate(MAX_BUNDLE_BYTES + 1)  # sparse: no disk used
    with pytest.raises(ReportError, match='more than the %d a bundle may have' % MAX_BUNDLE_BYTES):
        merge_bundles({}, [str(big)])


def test_every_host_has_its_own_bundle_file_inside_the_directory(tmp_path):
    hosts = ['ctl1', 'a/b', 'a_b', '..', '.hidden', '../../etc/passwd', 'h\u00f6st']
    evidence = dict((h, {'channels': [], 'audit_status': {'audited': True}, 'mark': {'host': h}}) for h in hosts)
    paths = write_bundles(evidence, str(tmp_path / 'out'), '1.0.0')
    assert len(set(paths)) == len(hosts), 'no two hosts share a file'
    assert all(os.path.dirname(p) == str(tmp_path / 'out') and not os.path.basename(p).startswith('.') for p in paths)
    assert os.path.basename(paths[sorted(hosts).index('ctl1')]) == 'ctl1.json', 'a plain host name is the file name'
    read = merge_bundles({}, [str(tmp_path / 'out')])
    assert dict((h, read[h]['mark']['host']) for h in hosts) == dict((h, h) for h in hosts)
    assert os.path.basename(write_bundles({'': {'channels': []}}, str(tmp_path / 'empty'), '1.0.0')[0]).startswith('host-')
