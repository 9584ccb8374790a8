# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The AWX files of extensions/awx: their keys are options of the awx.awx modules that take them (read from the
modules' own DOCUMENTATION), the survey asks for role variables with valid answers, the schedule and the workflow
name templates that exist, and the workflow's gate reads the stats key the report role really publishes."""

from __future__ import absolute_import, division, print_function

import ast
import glob
import json
import os
import re
import sys

import pytest
import yaml

from lab.paths import REPO

from ansible_collections.scs.secure_connections.plugins.module_utils._core.catalog import load_catalog

AWX = os.path.join(REPO, 'extensions', 'awx')
SURVEY_TYPES = ('text', 'textarea', 'password', 'integer', 'float', 'multiplechoice', 'multiselect')


def _yaml(*parts):
    with open(os.path.join(AWX, *parts)) as handle:
        return yaml.safe_load(handle)


def _role_options():
    """{variable: spec} of the audit and report roles' argument specs."""
    out = {}
    for role in ('audit', 'report'):
        with open(os.path.join(REPO, 'roles', role, 'meta', 'argument_specs.yml')) as handle:
            out.update(yaml.safe_load(handle)['argument_specs']['main']['options'])
    return out


def _awx_doc(module):
    """DOCUMENTATION options of awx.awx's ``module`` (the collection of the ``ansible`` package)."""
    for base in sys.path:
        path = os.path.join(base, 'ansible_collections', 'awx', 'awx', 'plugins', 'modules', module + '.py')
        if os.path.isfile(path):
            with open(path) as handle:
                tree = ast.parse(handle.read())
            for node in tree.body:
                if isinstance(node, ast.Assign) and getattr(node.targets[0], 'id', None) == 'DOCUMENTATION':
                    return yaml.safe_load(node.value.value)['options']
    (pytest.fail if os.environ.get('CI') else pytest.skip)('the awx.awx collection (ansible package) is not installed')
    return None


def _helpers():
    """Names of the job templates configure.yml creates."""
    play = _yaml('configure.yml')[0]
    return [_yaml('job_template.yml')['name']] + [h['name'] for h in play['vars']['scs_awx_helpers']]


@pytest.mark.parametrize('name,module', [('job_template.yml', 'job_template'), ('schedule.yml', 'schedule'),
                                         ('workflow.yml', 'workflow_job_template')])
def test_keys_are_module_options(name, module):
    options = _awx_doc(module)
    data = _yaml(name)
    assert set(data) - set(options) == set()
    assert data['name'] and data['organization']
    if module == 'workflow_job_template':
        sub = options['workflow_nodes']['suboptions']
        for node in data['workflow_nodes']:
            assert set(node) - set(sub) == set(), node['identifier']
            assert set(node.get('related', {})) - set(sub['related']['suboptions']) == set()
            assert set(node['unified_job_template']) - set(sub['unified_job_template']['suboptions']) == set()


def test_survey_asks_for_role_variables():
    with open(os.path.join(AWX, 'survey_spec.json')) as handle:
        survey = json.load(handle)
    options = _role_options()
    channels = sorted(load_catalog()['channels'])
    variables = [q['variable'] for q in survey['spec']]
    assert len(variables) == len(set(variables))
    for question in survey['spec']:
        spec = options.get(question['variable'])
        assert spec is not None, '%s is not a variable of the audit or report role' % question['variable']
        assert question['type'] in SURVEY_TYPES and question['question_name']
        if question['type'] in ('multiplechoice', 'multiselect'):
            assert str(question['default']) in question['choices']
        if 'choices' in spec:
            assert set(question['choices']) <= set(spec['choices']), question['variable']
        if question['type'] == 'multiplechoice' and spec['type'] == 'bool':
            assert sorted(question['choices']) == ['false', 'true']
        if question['type'] == 'integer':
            assert spec['type'] == 'int' and question['min'] <= spec['default'] <= question['max']
    channel_question = [q for q in survey['spec'] if q['variable'] == 'audit_channels'][0]
    assert channel_question['choices'][0] == 'all' and sorted(channel_question['choices'][1:]) == channels
    assert 'report_publish_token' not in variables, 'the token belongs in a credential, not in a survey'


def test_job_template_and_schedule_use_role_variables():
    options = _role_options()
    template, schedule = _yaml('job_template.yml'), _yaml('schedule.yml')
    assert set(template['extra_vars']) <= set(options) and set(schedule['extra_data']) <= set(options)
    assert template['playbook'] == 'audit.yml' and os.path.isfile(os.path.join(AWX, 'project', 'audit.yml'))
    assert template['survey_enabled'] is True
    assert schedule['unified_job_template'] == template['name']
    assert re.match(r'^DTSTART;TZID=[A-Za-z_/]+:\d{8}T\d{6} RRULE:FREQ=(DAILY|WEEKLY|MONTHLY|HOURLY)(;[A-Z]+=[A-Z0-9,]+)*$', schedule['rrule'])


def _published_stats():
    """The keys of scs_0125_conformance the report role publishes with set_stats (every task file)."""
    keys = set()
    for path in glob.glob(os.path.join(REPO, 'roles', 'report', 'tasks', '*.yml')):
        with open(path) as handle:
            for task in yaml.safe_load(handle) or []:
                data = (task.get('ansible.builtin.set_stats') or {}).get('data') or {}
                keys.update(data.get('scs_0125_conformance') or {})
    return keys


def test_workflow_branches_on_the_published_verdict():
    workflow = _yaml('workflow.yml')
    nodes = dict((n['identifier'], n) for n in workflow['workflow_nodes'])
    assert len(nodes) == len(workflow['workflow_nodes'])
    helpers = _helpers()
    for node in nodes.values():
        assert node['unified_job_template']['name'] in helpers
        for edge in node.get('related', {}).values():
            assert all(e['identifier'] in nodes for e in edge)
    audit = nodes['audit']
    assert audit['unified_job_template']['name'] == _yaml('job_template.yml')['name']
    gate = nodes[audit['related']['success_nodes'][0]['identifier']]
    assert gate['unified_job_template']['name'] == 'SCS 0125 verdict gate'
    assert set(gate['related']) == {'success_nodes', 'failure_nodes'}
    # the gate playbook reads scs_0125_conformance.verdict, which the report role publishes
    with open(os.path.join(AWX, 'project', 'verdict_gate.yml')) as handle:
        gate_play = handle.read()
    assert 'scs_0125_conformance.verdict' in gate_play
    assert {'verdict', 'must_failed', 'published'} <= _published_stats()
    assert gate['extra_data']['scs_gate_accept'] == ['conformant']


def test_collection_requirements_of_the_project():
    names = [c['name'] for c in _yaml('project', 'collections', 'requirements.yml')['collections']]
    assert names[0] == 'scs.secure_connections' and 'amazon.aws' in names
