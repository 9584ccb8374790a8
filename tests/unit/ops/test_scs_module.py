# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The shipped SCS module entries (extensions/scs/*.yaml) against the catalog, and the SCS-contract
harness (tests/integration/ops/scs_harness.py) on lines written here."""

from __future__ import absolute_import, division, print_function

import importlib.util
import os
import sys

import pytest
import yaml

from lab.paths import REPO

from ansible_collections.scs.secure_connections.plugins.module_utils._core.catalog import load_catalog

EXT = os.path.join(REPO, 'extensions', 'scs')
sys.path.insert(0, os.path.join(REPO, 'tests', 'integration', 'ops'))
import scs_harness  # noqa: E402  pylint: disable=wrong-import-position


def _script():
    spec = importlib.util.spec_from_file_location('scs_0125_check', os.path.join(EXT, 'scs_0125_check.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


CHECK = _script()


def _load(name):
    with open(os.path.join(EXT, name)) as handle:
        return yaml.safe_load(handle)


@pytest.mark.parametrize('kind', sorted(CHECK.MODULE_FILES))
def test_shipped_files_are_generated_from_the_catalog(kind):
    with open(os.path.join(EXT, CHECK.MODULE_FILES[kind])) as handle:
        assert handle.read() == CHECK.module_text(load_catalog(), kind), (
            'regenerate: python3 extensions/scs/scs_0125_check.py --print-module %s > extensions/scs/%s' % (kind, CHECK.MODULE_FILES[kind]))


def test_tag_entry_one_testcase_per_control_tagged_by_level():
    catalog = load_catalog()
    module = _load(CHECK.MODULE_FILES['tags'])
    assert not scs_harness.check_keywords('modules', module)
    assert [t['id'] for t in module['testcases']] == [c['id'] for c in catalog['controls']]
    expected = {'MUST': 'mandatory', 'SHOULD': 'recommended', 'SHOULD NOT': 'recommended', 'RECOMMENDED': 'recommended',
                'MAY': 'optional', 'ADVISORY': 'advisory'}
    for case, control in zip(module['testcases'], catalog['controls']):
        assert case['tags'] == [expected[control['level']]], case['id']
        assert case['description'].startswith(control['level'] + ': ')
    # "main: mandatory" selects exactly the MUST controls; MAY and ADVISORY are told apart
    main = [t['id'] for t in module['testcases'] if scs_harness.matches([scs_harness.parse_selector('mandatory')], t['tags'])]
    assert main == [c['id'] for c in catalog['controls'] if c['level'] == 'MUST'] and len(main) == 9
    sel = [scs_harness.parse_selector(s) for s in 'optional,advisory'.split(',')]
    assert sorted(t['id'] for t in module['testcases'] if scs_harness.matches(sel, t['tags'])) == sorted(
        c['id'] for c in catalog['controls'] if c['level'] in ('MAY', 'ADVISORY'))
    assert module['run'] == [{'executable': './iaas/secure-connections/scs_0125_check.py', 'args': '--os-cloud {os_cloud}'}]


def test_script_entry_targets_list_the_ids_by_level():
    catalog = load_catalog()
    doc = _load(CHECK.MODULE_FILES['scripts'])
    assert not scs_harness.check_keywords('spec', dict(doc, name='x', uuid='u', url='u', versions=[], timeline=[]))
    assert [t['id'] for t in doc['scripts'][0]['testcases']] == [c['id'] for c in catalog['controls']]
    targets = doc['modules'][0]['targets']
    assert targets['main'] == [c['id'] for c in catalog['controls'] if c['level'] == 'MUST']
    assert sorted(i for ids in targets.values() for i in ids) == sorted(c['id'] for c in catalog['controls'])
    assert '{testcases}' in doc['scripts'][0]['args']


def test_harness_reads_stdout_results_and_counts_signals(tmp_path):
    """The harness itself: a fake tool written here prints results and diagnostics; every rule of the contract shows."""
    tool = tmp_path / 'tool.py'
    tool.write_text('import sys\n'
                    'print("a-1: PASS"); print("a-2: fail"); print("x-9: PASS"); print("noise: maybe")\n'
                    'print("ERROR: on stdout counts too")\n'
                    'sys.stderr.write("a-3: PASS\\nerror something\\nCRITICAL: boom\\nWarning: w\\nINFO: i\\n")\n')
    spec = {'name': 'n', 'uuid': 'u', 'url': 'u', 'variables': ['os_cloud'],
            'modules': [{'id': 'm', 'run': [{'executable': 'tool.py', 'args': '-c {os_cloud}'}],
                         'testcases': [{'id': 'a-1', 'tags': ['mandatory']}, {'id': 'a-2', 'tags': ['recommended']},
                                       {'id': 'a-3', 'tags': ['mandatory']}]}],
            'timeline': [], 'versions': [{'version': 'v1', 'include': ['m'], 'targets': {'main': 'mandatory', 'all': 'mandatory/recommended'}}]}
    run = scs_harness.compliance_check(spec, str(tmp_path), 'v1', {'os_cloud': 'c'})
    assert run.results == {'a-1': 1, 'a-2': -1}  # stderr results and ids outside the suite do not count
    assert run.ignored == ['x-9']
    assert run.signals == {'info': 1, 'warning': 1, 'error': 2, 'critical': 1}
    assert run.targets['main']['verdict'] == 'TENTATIVE pass' and run.targets['main']['missing'] == ['a-3']
    assert run.targets['all']['verdict'] == 'FAIL'
    assert run.rc == 1 + 2 + 1
    with pytest.raises(scs_harness.SpecError):
        scs_harness.compliance_check(dict(spec, bogus=1), str(tmp_path), 'v1', {'os_cloud': 'c'})
    with pytest.raises(scs_harness.SpecError):
        scs_harness.compliance_check(spec, str(tmp_path), 'v1', {})


def test_testcase_selection_and_usage_errors(capsys, monkeypatch):
    monkeypatch.delenv('OS_CLOUD', raising=False)
    monkeypatch.delenv('SCS_0125_INVENTORY', raising=False)
    catalog = load_catalog()
    args = CHECK.parse_args(['-c', 'x', '--testcases', 'scs-0125-sto-encryption,bogus', 'scs-0125-tls-mozilla'])
    assert CHECK.select_testcases(args, catalog) == ['scs-0125-tls-mozilla', 'scs-0125-sto-encryption']
    assert 'WARNING: ignoring unknown testcases: bogus' in capsys.readouterr().err
    assert len(CHECK.select_testcases(CHECK.parse_args(['-c', 'x']), catalog)) == 22
    assert CHECK.main(['--ignore', 'no-reason', '-c', 'x']) == 2
    assert CHECK.main([]) == 2
    err = capsys.readouterr().err
    assert err.startswith('CRITICAL: usage:')


def test_public_view_with_only_unobservable_testcases_prints_nothing(capsys, monkeypatch):
    """No public testcase asked: no cloud contacted, no result line, a warning each, exit 0."""
    monkeypatch.setenv('OS_CLIENT_CONFIG_FILE', '/nonexistent/clouds.yaml')
    assert CHECK.main(['-c', 'nowhere', '--testcases', 'scs-0125-db-server-tls,scs-0125-mq-broker-tls']) == 0
    out, err = capsys.readouterr()
    assert out == ''
    assert [line.split(':')[1].strip() for line in err.splitlines()] == ['scs-0125-db-server-tls', 'scs-0125-mq-broker-tls']
    assert all(line.startswith('WARNING: ') for line in err.splitlines())
