# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The corpus definitions (tests/corpus/*.yml) and the known misses are well-formed, and the trees are what
they claim: rendered from the release's templates with the containers' config.json, broken as declared."""

from __future__ import absolute_import, division, print_function

import json
import os
import stat

import pytest
import yaml

from lab import corpus
from lab.paths import REPO

from ansible_collections.scs.secure_connections.plugins.module_utils._core.findings import STATUSES

CATALOG = os.path.join(REPO, 'plugins', 'module_utils', 'data', 'controls.yml')


def _control_ids():
    with open(CATALOG) as handle:
        return set(c['id'] for c in yaml.safe_load(handle)['controls'])


def test_every_variant_is_well_formed():
    ids = _control_ids()
    variants = corpus.load_variants()
    names = set(v['name'] for v in variants)
    assert len(variants) >= 10
    for variant in variants:
        assert variant['kind'] in ('kolla', 'debian', 'osa', 'broken'), variant['name']
        if variant['kind'] == 'osa':
            assert os.path.isfile(os.path.join(corpus.OSA_RENDERED, variant['tree'], 'nodes.json')), variant['name']
            assert corpus.osa_nodes(variant) and set(variant.get('nodes') or ()) <= set(corpus.osa_nodes(variant)), variant['name']
        assert variant.get('description'), variant['name']
        if variant['kind'] == 'broken':
            assert variant['base'] in names and variant['breakage'], variant['name']
        assert variant['expect'], variant['name']
        for control, want in variant['expect'].items():
            assert control in ids, (variant['name'], control)
            assert want['status'] in STATUSES and want.get('why'), (variant['name'], control)
        for item in variant.get('no_findings') or ():
            assert item['control'] in ids and item['file'].startswith('/') and item['why'], (variant['name'], item)


def test_every_known_miss_names_an_expectation_a_class_and_a_reason():
    variants = dict((v['name'], v) for v in corpus.load_variants())
    with open(os.path.join(REPO, 'tests', 'corpus', 'known-misses.yml')) as handle:
        misses = (yaml.safe_load(handle) or {}).get('misses') or []   # a bare 'misses:' when none is left
    seen = set()
    for miss in misses:
        key = (miss['variant'], miss['control'])
        assert key not in seen, key
        seen.add(key)
        variant = variants[miss['variant']]
        expected = dict(variant['expect'])
        expected.update(('%s@%s' % (i['control'], i['file']), {'status': 'none'}) for i in variant.get('no_findings') or ())
        assert miss['control'] in expected, key
        assert miss['got'] != expected[miss['control']]['status'] and miss['expected'] == expected[miss['control']]['status'], key
        # a class of issue #14's list (the collection's miss), or a gap of the corpus itself (what the renderer leaves out)
        assert miss['class'].startswith(('#14 class ', '#14 corpus gap: ')) and len(miss['reason']) > 20, key


def _build(name, tmp_path):
    from lab.pki import CA  # pylint: disable=import-outside-toplevel
    try:
        return corpus.build(corpus.load_variants([name])[0], str(tmp_path / name), CA(str(tmp_path / 'pki')))
    except corpus.CorpusUnavailable as exc:
        (pytest.fail if os.environ.get('CI') else pytest.skip)(str(exc))


def test_kolla_tree_is_rendered_from_the_release(tmp_path):
    root = _build('broken-kolla-truncated', tmp_path)
    etc = os.path.join(root, 'etc', 'kolla')
    for component in corpus.KOLLA_JSON:
        if component == 'proxysql' and not os.path.isdir(os.path.join(etc, component)):
            continue
        with open(os.path.join(etc, component, 'config.json')) as handle:
            assert json.load(handle)['command'], component
    with open(os.path.join(etc, 'rabbitmq', 'rabbitmq.conf')) as handle:
        assert 'listeners.ssl.1 = 10.0.0.11:5671' in handle.read()
    with open(os.path.join(etc, 'nova-compute', 'nova.conf')) as handle:
        text = handle.read()
    assert text.endswith('\n[libv') and 'transport_url = rabbit://' in text
    assert 'FIXTUREPW-' in text


def test_debian_tree_and_breakage(tmp_path):
    root = _build('broken-debian-dangling', tmp_path)
    link = os.path.join(root, 'etc', 'mysql', 'my.cnf')
    assert os.readlink(link) == '/etc/alternatives/my.cnf' and not os.path.exists(os.path.join(root, 'etc', 'alternatives', 'my.cnf'))
    with open(os.path.join(root, 'etc', 'nova', 'nova.conf')) as handle:
        text = handle.read()
    assert 'connection = mysql+pymysql://nova:FIXTUREPW-nova@controller/nova?ssl_ca=/etc/ssl/certs/cloud-ca.pem' in text
    assert len(text) > 100000, 'the shipped nova.conf (every option documented), not a hand-typed one'
    unreadable = _build('broken-kolla-unreadable', tmp_path)
    mode = os.stat(os.path.join(unreadable, 'etc', 'kolla', 'rabbitmq', 'rabbitmq.conf')).st_mode
    assert stat.S_IMODE(mode) == 0


def test_osa_tree_is_one_node_per_container_with_the_pki_files(tmp_path):
    """The OSA trees are the checked-in renders of the roles (tests/fixtures/osa-rendered, lab/osa_render.py): one root per
    container or host, /etc/<project> a relative link into the project's venv as the roles make it, and the files the PKI
    role installs issued by the lab CA (no key is checked in)."""
    variant = corpus.load_variants(['osa-2025.2-default'])[0]
    root = _build('osa-2025.2-default', tmp_path)
    nodes = corpus.node_roots(variant, root)
    assert 'compute1' in nodes and 'infra1' in nodes and any('_galera_container-' in n for n in nodes)
    compute = nodes['compute1']
    assert os.readlink(os.path.join(compute, 'etc', 'nova')) == '../openstack/venvs/nova-32.2.0/etc/nova'
    with open(os.path.join(compute, 'etc', 'nova', 'nova.conf')) as handle:
        text = handle.read()
    assert 'live_migration_with_native_tls = true' in text and 'FIXTUREPW-nova_oslomsg_rpc_password' in text
    assert os.path.isdir(os.path.join(compute, 'openstack', 'venvs', 'nova-32.2.0', 'bin'))
    with open(os.path.join(compute, 'etc', 'pki', 'libvirt', 'private', 'serverkey.pem')) as handle:
        assert 'PRIVATE KEY' in handle.read()
    galera = [p for n, p in nodes.items() if '_galera_container-' in n][0]
    with open(os.path.join(galera, 'etc', 'ssl', 'certs', 'galera.pem')) as handle:
        assert 'BEGIN CERTIFICATE' in handle.read()
    with open(os.path.join(nodes['infra1'], 'etc', 'haproxy', 'haproxy.cfg')) as handle:
        cfg = handle.read()
    assert 'crt /etc/haproxy/ssl/haproxy_infra1-203.0.113.9.pem' in cfg
    assert os.path.isfile(os.path.join(nodes['infra1'], 'etc', 'haproxy', 'ssl', 'haproxy_infra1-203.0.113.9.pem'))
    checked_in = os.path.join(corpus.OSA_RENDERED, '2025.2-default')
    for base, _dirs, files in os.walk(checked_in):
        for name in files:
            with open(os.path.join(base, name), errors='replace') as handle:
                assert 'PRIVATE KEY' not in handle.read(), os.path.join(base, name)
    # the systemd_service role's units: the services of the node's groups only (cinder-volume is not in the cinder-api container)
    cinder = [p for n, p in nodes.items() if '_cinder_api_container-' in n][0]
    units = os.listdir(os.path.join(cinder, 'etc', 'systemd', 'system'))
    assert {'cinder-api.service', 'cinder-scheduler.service'} <= set(units) and 'cinder-volume.service' not in units, units
    with open(os.path.join(compute, 'etc', 'systemd', 'system', 'nova-compute.service')) as handle:
        assert 'ExecStart = /openstack/venvs/nova-32.2.0/bin/nova-compute' in handle.read()
    compute_only = corpus.load_variants(['osa-2025.2-compute'])[0]
    assert list(corpus.node_roots(compute_only, str(tmp_path / 'x'))) == ['compute1']
