# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Snapshot mode through the playbook: a snapshot's haproxy.cfg configures two TLS binds on every address; without
``audit_tls_probe_from`` they are "configured, not probed" (not_assessed), with it they are probed from the named host
on ``audit_tls_node_address`` and judged against the real lab servers listening there."""

from __future__ import absolute_import, division, print_function

import json
import os
import shutil

import pytest
import yaml

SERVERS = ['haproxy-good', 'haproxy-weak']


@pytest.fixture(scope='module')
def corpus(tmp_path_factory):
    tls_servers = pytest.importorskip('lab.tls_servers')
    if not shutil.which('haproxy') and not os.path.exists('/usr/sbin/haproxy'):
        pytest.skip('haproxy is not installed (scripts/bootstrap.sh installs it)')
    with tls_servers.start_corpus(str(tmp_path_factory.mktemp('tls')), names=SERVERS) as running:
        yield running


def _snapshot(tmp_path, corpus):
    """A node's /etc with a haproxy.cfg binding the lab servers' ports with ssl on every address (a wildcard bind)."""
    root = tmp_path / 'snapshot'
    (root / 'etc' / 'haproxy').mkdir(parents=True)
    lines = ['global', '    log /dev/log local0']
    for name in SERVERS:
        lines += ['frontend %s' % name, '    mode tcp', '    bind :%d ssl crt /etc/haproxy/certs/%s.pem' % (corpus.server(name).port, name),
                  '    default_backend b_%s' % name, 'backend b_%s' % name, '    server s1 10.0.0.11:5000']
    (root / 'etc' / 'haproxy' / 'haproxy.cfg').write_text('\n'.join(lines) + '\n')
    return str(root)


def _run(runner, tmp_path, corpus, extra):
    hosts = {'snap1': dict(ansible_connection='local', audit_root=_snapshot(tmp_path, corpus), audit_tls_ca_files=[corpus.ca_file],
                           audit_tls_timeout=3, **extra),
             'prober': {'ansible_connection': 'local', 'audit_tls_discover_listeners': False}}
    inventory = tmp_path / 'inventory.yml'
    inventory.write_text(yaml.safe_dump({'all': {'hosts': hosts, 'vars': {'audit_channels': ['tls']}}}))
    out = tmp_path / 'out'
    rc, log = runner.run(['scs.secure_connections.audit'], extra_vars={'report_output_dir': str(out)}, inventory=str(inventory),
                         args=('--limit', 'snap1,prober'))
    assert rc == 0, log
    report = json.loads((out / 'scs-0125-report.json').read_text())
    return [f for f in report['findings'] if f['control_id'] == 'scs-0125-tls-mozilla' and f['target'].get('host') == 'snap1']


def test_configured_not_probed(runner, corpus, tmp_path):
    findings = _run(runner, tmp_path, corpus, {})
    ports = dict((f['target']['endpoint'].rsplit(':', 1)[-1], f['status']) for f in findings)
    assert ports == dict((str(corpus.server(n).port), 'not_assessed') for n in SERVERS), findings
    assert all('configured, not probed' in f['message'] and 'haproxy frontend' in f['message'] for f in findings)


def test_probe_from_a_named_host(runner, corpus, tmp_path):
    findings = _run(runner, tmp_path, corpus, {'audit_tls_probe_from': 'prober', 'audit_tls_node_address': '127.0.0.1'})
    ports = dict((f['target']['endpoint'].rsplit(':', 1)[-1], f['status']) for f in findings)
    expected = dict((str(corpus.server(n).port), 'pass' if corpus.server(n).expected == 'compliant' else 'fail') for n in SERVERS)
    assert ports == expected, findings
