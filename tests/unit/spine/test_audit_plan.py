# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The audit plan: the channel list comes from the catalog alone; names and control ids are checked."""

from __future__ import absolute_import, division, print_function

import json
import os
import re

import pytest
import yaml

from ansible.errors import AnsibleFilterError

from ansible_collections.scs.secure_connections.plugins.filter.audit_plan import audit_plan
from ansible_collections.scs.secure_connections.plugins.module_utils._core.catalog import (
    CatalogError,
    load_catalog,
    select_channels,
    select_controls,
)

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
CHANNELS = list(load_catalog()['channels'])


def test_all_is_every_channel_of_the_catalog_in_catalog_order():
    assert audit_plan(['all'])['channels'] == CHANNELS
    assert audit_plan(['sto', 'tls'])['channels'] == ['tls', 'sto']
    assert audit_plan('db,tls')['channels'] == ['tls', 'db']
    assert audit_plan([])['channels'] == []


@pytest.mark.parametrize('run_tags,skip_tags,expected', [
    (['all'], [], CHANNELS), ([], [], CHANNELS), (['tls', 'db'], [], ['tls', 'db']), (['always'], [], []),
    (['tagged'], [], CHANNELS), (['all'], ['db', 'mq'], [c for c in CHANNELS if c not in ('db', 'mq')]),
    (['tls', 'db'], ['db'], ['tls']),
])
def test_tags_select_channels_as_ansible_selects_tagged_tasks(run_tags, skip_tags, expected):
    assert audit_plan(['all'], [], run_tags, skip_tags)['channels'] == expected


def test_unknown_channel_fails_with_the_valid_names():
    with pytest.raises(AnsibleFilterError, match=r'unknown channel\(s\) dbx; the catalog has tls, api, db'):
        audit_plan(['tls', 'dbx'])
    with pytest.raises(CatalogError, match='channels must be a list of names'):
        select_channels([1], what='channels')


def test_skip_controls_are_checked_against_the_catalog():
    plan = audit_plan(['all'], ['scs-0125-db-x509-auth', 'scs-0125-tls-mozilla'])
    assert plan['skip_controls'] == ['scs-0125-tls-mozilla', 'scs-0125-db-x509-auth']
    with pytest.raises(AnsibleFilterError, match=r'unknown control id\(s\) scs-0125-db-nope'):
        audit_plan(['all'], ['scs-0125-db-nope'])
    assert select_controls(None) == []


def test_every_catalog_channel_has_a_task_file_and_no_channel_list_is_written_elsewhere():
    tasks = os.path.join(REPO, 'roles', 'audit', 'tasks')
    assert sorted(CHANNELS) == sorted(f[len('channel_'):-len('.yml')] for f in os.listdir(tasks) if f.startswith('channel_'))
    listed = re.compile(r'\b(tls|api|db|mq|hv|net|sto)\b\W+(tls|api|db|mq|hv|net|sto)\b\W+(tls|api|db|mq|hv|net|sto)\b')
    for path in ('roles/audit/meta/argument_specs.yml', 'roles/audit/defaults/main/common.yml', 'roles/report/meta/argument_specs.yml',
                 'roles/report/defaults/main.yml', 'roles/audit/tasks/main.yml', 'playbooks/audit.yml'):
        with open(os.path.join(REPO, path)) as handle:
            text = handle.read()
        yaml.safe_load(text)
        assert not listed.search(text.replace('C(tls), C(api), C(db), C(mq), C(hv), C(net), C(sto)', '')), \
            '%s writes down a channel list; it belongs to the catalog alone' % path


def _report(tmp_path, **args):
    from ansible_collections.scs.secure_connections.plugins.action.conformance_report import ActionModule
    base = dict(evidence={'n1': {'channels': ['sto'], 'sto': {'failed': True, 'msg': 'storage_network_info could not run'}}},
                output_dir=str(tmp_path), formats=['json'], channels=['all'], skip_controls=[], mozilla_level='intermediate',
                mozilla_guidelines_file=None, rule_options={}, attestations=[], started=None, label=None)
    base.update(args)
    return ActionModule._report(base)  # pylint: disable=protected-access


def test_skipped_controls_are_not_assessed_in_the_report(tmp_path):
    plain = dict((c['id'], c['status']) for c in _report(tmp_path)['controls'])
    assert plain['scs-0125-sto-encryption'] == 'error'
    attested = [{'control_id': 'scs-0125-sto-encryption', 'status': 'pass', 'message': 'checked by hand'}]
    out = _report(tmp_path, skip_controls=['scs-0125-sto-encryption'], attestations=attested)
    controls = dict((c['id'], c['status']) for c in out['controls'])
    assert controls['scs-0125-sto-encryption'] == 'not_assessed'
    assert controls['scs-0125-sto-frontend-network'] == plain['scs-0125-sto-frontend-network']
    with open(out['files']['json']) as handle:
        findings = [f for f in json.load(handle)['findings'] if f['control_id'] == 'scs-0125-sto-encryption']
    assert [(f['status'], f['message']) for f in findings] == [('not_assessed', 'skipped by audit_skip_controls')]
    with pytest.raises(CatalogError, match='skip_controls: unknown control id'):
        _report(tmp_path, skip_controls=['scs-0125-nope'])
    with pytest.raises(CatalogError, match='channels: unknown channel'):
        _report(tmp_path, channels=['tls', 'xx'])
