# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The catalog carries every control of scs-0125-v1 with its exact id and level, forever."""

from __future__ import absolute_import, division, print_function

import json

import pytest

from ansible_collections.scs.secure_connections.plugins.module_utils._core import catalog as _catalog
from ansible_collections.scs.secure_connections.plugins.module_utils._core.catalog import CatalogError, load_catalog

# Pinned: changing an id or a level is a breaking change of reports, JUnit names and SCS lines.
PINNED = [
    ('scs-0125-tls-mozilla', 'MUST'),
    ('scs-0125-api-public-tls', 'MUST'),
    ('scs-0125-api-internal-tls', 'MUST'),
    ('scs-0125-api-client-verify', 'ADVISORY'),
    ('scs-0125-db-server-tls', 'MUST'),
    ('scs-0125-db-client-tls', 'MUST'),
    ('scs-0125-db-require-ssl', 'SHOULD'),
    ('scs-0125-db-x509-auth', 'MAY'),
    ('scs-0125-db-replication-tls', 'ADVISORY'),
    ('scs-0125-mq-broker-tls', 'MUST'),
    ('scs-0125-mq-client-tls', 'MUST'),
    ('scs-0125-mq-kafka-listener-tls', 'MUST'),
    ('scs-0125-mq-kafka-client-tls', 'MUST'),
    ('scs-0125-hv-migration-encrypted', 'SHOULD'),
    ('scs-0125-hv-libvirt-exposure', 'SHOULD NOT'),
    ('scs-0125-hv-libvirt-client-cert', 'RECOMMENDED'),
    ('scs-0125-hv-libvirt-ssh-local', 'RECOMMENDED'),
    ('scs-0125-vpn-vpnaas', 'MAY'),
    ('scs-0125-net-tunnel-encryption', 'MAY'),
    ('scs-0125-sto-frontend-network', 'SHOULD'),
    ('scs-0125-sto-replication-network', 'SHOULD'),
    ('scs-0125-sto-encryption', 'MAY'),
]


def test_all_22_controls_pinned_in_order():
    got = [(c['id'], c['level']) for c in load_catalog()['controls']]
    assert got == PINNED
    assert len(got) == 22


@pytest.mark.parametrize('cid', ['scs-0125-mq-kafka-listener-tls', 'scs-0125-mq-kafka-client-tls'])
def test_kafka_controls_are_conditional(cid):
    control = [c for c in load_catalog()['controls'] if c['id'] == cid][0]
    assert 'Kafka' in control['condition']


@pytest.mark.parametrize('control', load_catalog()['controls'], ids=lambda c: c['id'])
def test_every_control_is_complete(control):
    for key in ('title', 'requirement', 'section', 'evidence', 'remediation', 'references'):
        assert control.get(key), '%s lacks %s' % (control['id'], key)
    assert set(control['remediation']) <= {'kolla_ansible', 'openstack_ansible', 'distro'}
    assert control['remediation'].get('distro'), 'every control says how to fix it on plain distro packages'


def test_catalog_returns_copies():
    first = load_catalog()
    first['controls'].pop()
    assert len(load_catalog()['controls']) == 22


@pytest.mark.parametrize('text,problem', [
    ('controls: 3\n', 'no list "controls"'),
    ('channels: {tls: x}\ncontrols:\n  - {id: a, level: MUST, channel: tls, title: t, requirement: r}\n', "lacks 'section'"),
    ('channels: {tls: x}\ncontrols:\n  - {id: a, level: OFTEN, channel: tls, title: t, requirement: r, section: s}\n', "unknown level 'OFTEN'"),
    ('channels: {tls: x}\ncontrols:\n  - {id: a, level: MUST, channel: zz, title: t, requirement: r, section: s}\n', "unknown channel 'zz'"),
    ('channels: {tls: x}\ncontrols:\n  - {id: a, level: MUST, channel: tls, title: t, requirement: r, section: s}\n'
     '  - {id: a, level: MUST, channel: tls, title: t, requirement: r, section: s}\n', 'appears twice'),
    (': : :\n', 'cannot read control catalog'),
])
def test_malformed_catalog_is_a_clear_error(tmp_path, text, problem):
    path = tmp_path / 'controls.yml'
    path.write_text(text)
    with pytest.raises(CatalogError, match=problem.replace('(', r'\(').replace(')', r'\)')):
        load_catalog(str(path))


def test_shipped_mozilla_guidelines_are_5_7_with_intermediate():
    data = _catalog.load_mozilla_guidelines()
    assert data['version'] == 5.7
    assert data['configurations']['intermediate']['tls_versions'] == ['TLSv1.2', 'TLSv1.3']


@pytest.mark.parametrize('content,problem', [('{"version": 5.7}', 'no "configurations"'), ('not json', 'cannot read')])
def test_bad_mozilla_file_is_a_clear_error(tmp_path, content, problem):
    path = tmp_path / 'g.json'
    path.write_text(content)
    with pytest.raises(CatalogError, match=problem):
        _catalog.load_mozilla_guidelines(str(path))


def test_schema_is_valid_draft7():
    jsonschema = pytest.importorskip('jsonschema')
    schema = _catalog.load_schema()
    jsonschema.Draft7Validator.check_schema(schema)
    assert json.loads(json.dumps(schema))['properties']['schema_version']


def test_collection_version_comes_from_galaxy_yml():
    assert _catalog.collection_version() == '0.1.0'


def test_docs_control_table_is_generated_from_the_catalog():
    import os
    from ansible_collections.scs.secure_connections.plugins.module_utils._core.render import render_control_table
    path = os.path.join(os.path.dirname(__file__), '..', '..', '..', 'docs', 'controls.md')
    with open(path) as handle:
        assert handle.read() == render_control_table(load_catalog()), 'docs/controls.md is stale: run .venv/bin/python scripts/gen-docs.py'
