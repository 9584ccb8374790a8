# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The audit playbook end to end against real TLS servers: the verdicts match the lab, the
audit is read-only (no changed task, no file below audit_root touched, same result under
--check), and channel selection by tags and by variable works."""

from __future__ import absolute_import, division, print_function

import hashlib
import json
import os
import shutil

import pytest
import yaml

from lab.paths import REPO

FIXTURES = os.path.join(REPO, 'tests', 'fixtures', 'trees')
SERVERS = ['nginx-rsa', 'nginx-tls10', 'haproxy-good', 'haproxy-weak']


@pytest.fixture(scope='module')
def corpus(tmp_path_factory):
    tls_servers = pytest.importorskip('lab.tls_servers')
    for binary in ('nginx', 'haproxy'):
        if not shutil.which(binary) and not os.path.exists('/usr/sbin/%s' % binary):
            pytest.skip('%s is not installed (scripts/bootstrap.sh installs it)' % binary)
    with tls_servers.start_corpus(str(tmp_path_factory.mktemp('tls')), names=SERVERS) as running:
        yield running


def _tree_digest(root):
    digest = hashlib.sha256()
    for base, dirs, files in sorted(os.walk(root)):
        dirs.sort()
        for name in sorted(files):
            path = os.path.join(base, name)
            stat = os.lstat(path)
            digest.update(('%s %o %d %d\n' % (os.path.relpath(path, root), stat.st_mode, stat.st_size, stat.st_mtime_ns)).encode())
            if os.path.isfile(path) and not os.path.islink(path):
                with open(path, 'rb') as handle:
                    digest.update(handle.read())
    return digest.hexdigest()


def _inventory(tmp_path, corpus, tree):
    hosts = {
        'node-a': {'audit_tls_endpoints': [corpus.server(n).endpoint() for n in ('nginx-rsa', 'nginx-tls10')]},
        'node-b': {'audit_tls_endpoints': [corpus.server(n).endpoint() for n in ('haproxy-good', 'haproxy-weak')]},
    }
    for hostvars in hosts.values():
        hostvars.update(ansible_connection='local', audit_root=str(tree), audit_tls_ca_files=[corpus.ca_file],
                        audit_tls_discover_listeners=False, audit_tls_timeout=3)
    path = tmp_path / 'inventory.yml'
    path.write_text(yaml.safe_dump({'all': {'hosts': hosts, 'vars': {'audit_channels': ['tls']}}}))
    return str(path)


def _tls_findings(report, configured=False):
    """Probed endpoints' statuses by port; with ``configured`` those of the listeners the snapshot's files configure
    (haproxy, RabbitMQ, MariaDB, libvirt of the kolla fixture tree: "configured, not probed")."""
    return dict((f['target'].get('endpoint', '').split(':')[-1], f['status'])
                for f in report['findings'] if f['control_id'] == 'scs-0125-tls-mozilla'
                and ('configured, not probed' in f['message']) == configured)


def test_audit_is_read_only_and_matches_the_lab(runner, corpus, tmp_path):
    tree = tmp_path / 'tree'
    source = os.path.join(FIXTURES, 'kolla')
    if os.path.isdir(source):
        shutil.copytree(source, str(tree), symlinks=True)
    else:
        tree.mkdir()
    before = _tree_digest(str(tree))
    inventory = _inventory(tmp_path, corpus, tree)
    results = {}
    for mode, args in (('run', ()), ('check', ('--check',))):
        out = tmp_path / mode
        rc, log = runner.run(['scs.secure_connections.audit'], extra_vars={'report_output_dir': str(out)}, args=args, inventory=inventory)
        assert rc == 0, log
        assert 'changed=0' in log and 'changed=1' not in log, 'the audit reports no change on any host'
        assert _tree_digest(str(tree)) == before, 'no file below audit_root was created, changed or touched'
        results[mode] = json.loads((out / 'scs-0125-report.json').read_text())
    report = results['run']
    expected = dict((str(corpus.server(n).port), 'pass' if corpus.server(n).expected == 'compliant' else 'fail') for n in SERVERS)
    assert _tls_findings(report) == expected
    configured = _tls_findings(report, configured=True)
    assert configured and set(configured.values()) == {'not_assessed'}, configured
    assert report['verdict'] == 'non_conformant'
    assert report['summary']['must_failed'] == ['scs-0125-tls-mozilla']
    assert _tls_findings(results['check']) == expected, 'check mode gives the same result'
    assert sorted(n['host'] for n in report['nodes']) == ['node-a', 'node-b']


def test_channel_selection_by_tags(runner, corpus, tmp_path):
    tree = tmp_path / 'tree'
    tree.mkdir()
    inventory = _inventory(tmp_path, corpus, tree)
    out = tmp_path / 'tags'
    rc, log = runner.run(['scs.secure_connections.audit'], extra_vars={'report_output_dir': str(out), 'audit_channels': ['tls', 'db']},
                         args=('--tags', 'db'), inventory=inventory)
    assert rc == 0, log
    report = json.loads((out / 'scs-0125-report.json').read_text())
    tls = [f for f in report['findings'] if f['control_id'] == 'scs-0125-tls-mozilla']
    assert [f['status'] for f in tls] == ['not_assessed'], 'tls was not selected by the tags'


def _plain_inventory(tmp_path):
    tree = tmp_path / 'empty-tree'
    tree.mkdir()
    path = tmp_path / 'plain-inventory.yml'
    host = {'ansible_connection': 'local', 'audit_root': str(tree), 'audit_tls_discover_listeners': False}
    path.write_text(yaml.safe_dump({'all': {'hosts': {'node-a': host}}}))
    return str(path)


def test_channels_from_the_catalog_and_skipped_controls(runner, tmp_path):
    """The default runs every channel of the catalog minus what --skip-tags leaves out; audit_skip_controls
    reports a control as not_assessed; a wrong channel name or control id fails the play with the valid names."""
    inventory = _plain_inventory(tmp_path)
    out = tmp_path / 'skip'
    rc, log = runner.run(['scs.secure_connections.audit'], inventory=inventory, args=('--skip-tags', 'api,db,mq,hv,net'),
                         extra_vars={'report_output_dir': str(out), 'audit_skip_controls': ['scs-0125-sto-encryption']})
    assert rc == 0, log
    report = json.loads((out / 'scs-0125-report.json').read_text())
    assert report['run']['channels'] == ['sto', 'tls']
    skipped = [(f['status'], f['message']) for f in report['findings'] if f['control_id'] == 'scs-0125-sto-encryption']
    assert skipped == [('not_assessed', 'skipped by audit_skip_controls')]
    others = [f['status'] for f in report['findings'] if f['control_id'] == 'scs-0125-sto-frontend-network']
    assert others and 'skipped by audit_skip_controls' not in json.dumps(others)
    for extra, words in (({'audit_channels': ['tls', 'dbx']}, 'unknown channel(s) dbx; the catalog has tls, api, db, mq, hv, net, sto'),
                         ({'audit_skip_controls': ['scs-0125-nope']}, 'unknown control id(s) scs-0125-nope')):
        rc, log = runner.run(['scs.secure_connections.audit'], inventory=inventory, extra_vars=dict(extra, report_output_dir=str(out)))
        assert rc != 0 and words in log, log[-3000:]
