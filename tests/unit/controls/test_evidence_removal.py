# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""No PASS without evidence: remove each piece of evidence a PASS rests on, and the PASS must go.

For every ``pass*.yml`` scenario of tests/controls (built from the real gatherers, as test_scenarios.py builds it),
every key of every host's evidence down to ``DEPTH`` levels (a leaf or a whole sub-tree; list items are walked into,
never removed: a list with one item fewer is another valid observation, a missing key is missing evidence) is
removed in turn and the control is evaluated again. The criterion:

* the control never becomes ``not_applicable`` (missing evidence is no evidence of absence);
* if it stays ``pass``, either its findings (status, message, target) are exactly the baseline's (the key is
  provably irrelevant to the verdict and to what the report says), or the key is listed in ``KNOWN`` below with the
  reason the pass still stands (it names the target, or a second independent observation carries the pass).

Everything else (``error``, ``not_assessed``, ``fail``, ``manual``) is a right answer to missing evidence. Scenarios
with operator attestations are left out (the attestation is their evidence). The runner adds the node-side
``mozilla`` block to probe results; rules never read it (test_judge_once), so it is not walked.
"""

from __future__ import absolute_import, division, print_function

import copy
import os
import re

import pytest

import test_scenarios as ts
# the scenario runner's fixtures, used by name
from test_scenarios import hv_trees, workdir  # noqa: F401 pylint: disable=unused-import
from ansible_collections.scs.secure_connections.plugins.module_utils._core.evaluator import evaluate, load_rules
from ansible_collections.scs.secure_connections.plugins.module_utils._core.findings import aggregate_status

DEPTH = 5

NAMES = 'names or locates the target (the report shows it differently), the verdict does not rest on it'
REDUNDANT = 'a second, independent observation carries the same pass'
LESS_TARGETS = ('the item stops being a target of this control (or of this host); the remaining targets pass on '
                'their own evidence')
CROSS_HOST = 'another host\'s evidence: only the wording of a comparison across the audited hosts changes'
DEFAULTED = 'an optional setting: without it the documented default applies, and the pass is right for the default too'

# (control id without the scs-0125- prefix, evidence path with * for list indexes) -> why a pass may stand without it
KNOWN = {
    ('api-client-verify', 'discovery/services/*/service'): NAMES,
    ('api-internal-tls', 'api/catalog/endpoints/*/interface'): LESS_TARGETS,
    ('api-internal-tls', 'api/catalog/endpoints/*/region'): NAMES,
    ('api-internal-tls', 'api/catalog/endpoints/*/service_name'): NAMES,
    ('api-internal-tls', 'api/catalog/endpoints/*/service_type'): NAMES,
    ('api-internal-tls', 'api/catalog/endpoints/*/url'): NAMES,
    ('api-public-tls', 'api/catalog/endpoints/*/interface'): LESS_TARGETS,
    ('api-public-tls', 'api/catalog/endpoints/*/region'): NAMES,
    ('api-public-tls', 'api/catalog/endpoints/*/service_name'): NAMES,
    ('api-public-tls', 'api/catalog/endpoints/*/service_type'): NAMES,
    ('api-public-tls', 'api/catalog/endpoints/*/url'): NAMES,
    ('db-client-tls', 'discovery/services/*/database_urls'): LESS_TARGETS,
    ('db-client-tls', 'discovery/services/*/service'): NAMES,
    ('db-replication-tls', 'db'): REDUNDANT + ' (the option files decide when no server was queried; the db channel only says why)',
    ('db-replication-tls', 'db/query'): REDUNDANT + ' (the option files decide when no server was queried; the db channel only says why)',
    ('db-replication-tls', 'db/query/reason'): NAMES,
    ('db-replication-tls', 'discovery/infrastructure/mysql/*/file'): NAMES,
    ('db-require-ssl', 'db'): REDUNDANT + ' (the option files decide when no server was queried; the db channel only says why)',
    ('db-require-ssl', 'db/query'): REDUNDANT + ' (the option files decide when no server was queried; the db channel only says why)',
    ('db-require-ssl', 'db/query/reason'): NAMES,
    ('db-require-ssl', 'discovery/infrastructure/mysql/*/file'): NAMES,
    ('db-server-tls', 'db'): REDUNDANT + ' (the option files decide when no server was queried; the db channel only says why)',
    ('db-server-tls', 'db/query'): REDUNDANT + ' (the option files decide when no server was queried; the db channel only says why)',
    ('db-server-tls', 'db/query/reason'): NAMES,
    ('db-server-tls', 'discovery/infrastructure/mysql/*/file'): NAMES,
    ('db-replication-tls', 'db/servers/*/galera/sst_method'): REDUNDANT + ' (the SST TLS settings are judged whatever the method)',
    ('db-replication-tls', 'db/servers/*/label'): NAMES,
    ('db-require-ssl', 'db/servers/*/label'): NAMES,
    ('db-require-ssl', 'discovery/services/*/database_urls'): REDUNDANT + ' (service accounts are also known by their user names)',
    ('db-server-tls', 'db/servers/*/label'): NAMES,
    ('db-server-tls', 'db/tls'): REDUNDANT + ' (have_ssl = YES queried live; the probe adds the Mozilla judgement of tls-mozilla)',
    ('db-server-tls', 'db/tls/endpoints'): REDUNDANT + ' (have_ssl = YES queried live)',
    ('db-server-tls', 'db/tls/endpoints/*/host'): NAMES,
    ('db-server-tls', 'db/tls/endpoints/*/port'): NAMES,
    ('db-x509-auth', 'db/servers/*/label'): NAMES,
    ('db-x509-auth', 'discovery'): REDUNDANT + ' (the account requires X509 on the server, queried live)',
    ('db-x509-auth', 'discovery/services'): REDUNDANT + ' (the account requires X509 on the server, queried live)',
    ('db-x509-auth', 'discovery/services/*/database_urls'): REDUNDANT + ' (the account requires X509 on the server, queried live)',
    ('hv-libvirt-client-cert', 'channels'): LESS_TARGETS,
    ('hv-libvirt-client-cert', 'hv/libvirt/client_certificates/cert/file'): NAMES,
    ('hv-libvirt-client-cert', 'hv/libvirt/listeners/*/port'): NAMES,
    ('hv-libvirt-exposure', 'hv/libvirt/listeners'): REDUNDANT + ' (the daemon configuration says where it listens)',
    ('hv-libvirt-exposure', 'hv/libvirt/listeners/*/container'): NAMES,
    ('hv-libvirt-exposure', 'hv/libvirt/listeners/*/pid'): NAMES,
    ('hv-libvirt-exposure', 'hv/libvirt/listeners/*/port'): NAMES,
    ('hv-libvirt-ssh-local', 'hv/libvirt/daemons/*/config_file'): NAMES,
    ('hv-libvirt-ssh-local', 'hv/libvirt/daemons/*/name'): NAMES,
    ('hv-libvirt-ssh-local', 'hv/libvirt/listeners/*/daemon'): NAMES,
    ('hv-libvirt-ssh-local', 'hv/libvirt/listeners/*/daemon_config'): NAMES,
    ('hv-libvirt-ssh-local', 'hv/libvirt/listeners/*/port'): NAMES,
    ('hv-libvirt-ssh-local', 'hv/libvirt/listeners/*/transport'): NAMES + ' (a loopback socket passes whatever it speaks)',
    ('hv-migration-encrypted', 'discovery/services/*/files'): NAMES,
    ('hv-migration-encrypted', 'discovery/services/*/libvirt/live_migration_uri'): DEFAULTED,
    ('hv-migration-encrypted', 'hv/libvirt/qemu/migration/cert_dir'): DEFAULTED + ' (QEMU\'s default_tls_x509_cert_dir)',
    ('mq-broker-tls', 'mq/brokers/*/amqp_check'): REDUNDANT + ' (the TLS probe of the listener)',
    ('mq-broker-tls', 'mq/brokers/*/amqp_check/host'): NAMES,
    ('mq-broker-tls', 'mq/brokers/*/amqp_check/port'): NAMES,
    ('mq-broker-tls', 'mq/brokers/*/amqp_check/server'): NAMES,
    ('mq-broker-tls', 'mq/brokers/*/amqp_check/status'): REDUNDANT + ' (the TLS probe of the listener)',
    ('mq-broker-tls', 'mq/brokers/*/amqp_check/tls_version'): NAMES,
    ('mq-broker-tls', 'mq/brokers/*/config'): REDUNDANT + ' (the live listener list and the TLS probe)',
    ('mq-broker-tls', 'mq/brokers/*/config/ssl_options'): REDUNDANT + ' (the TLS probe)',
    ('mq-broker-tls', 'mq/brokers/*/listeners_source'): NAMES,
    ('mq-broker-tls', 'mq/brokers/*/node'): NAMES,
    ('mq-broker-tls', 'mq/tls/endpoints/*/host'): NAMES,
    ('mq-broker-tls', 'mq/tls/endpoints/*/label'): NAMES,
    ('mq-client-tls', 'channels'): REDUNDANT + ' (the client\'s configuration: ssl = true with a CA file)',
    ('mq-client-tls', 'discovery'): REDUNDANT + ' (the live connections at the broker use TLS)',
    ('mq-client-tls', 'discovery/services'): REDUNDANT + ' (the live connections at the broker use TLS)',
    ('mq-client-tls', 'discovery/services/*/component'): NAMES,
    ('mq-client-tls', 'discovery/services/*/rabbit'): REDUNDANT + ' (the live connections at the broker use TLS)',
    ('mq-client-tls', 'discovery/services/*/rabbit/sources'): NAMES,
    ('mq-client-tls', 'discovery/services/*/rabbit/ssl_ca_file'): DEFAULTED + ' (py-amqp >= 5 checks the system trust store)',
    ('mq-client-tls', 'discovery/services/*/service'): NAMES,
    ('mq-client-tls', 'discovery/services/*/rabbit/ssl'): REDUNDANT + ' (the live connections at the broker use TLS)',
    ('mq-client-tls', 'discovery/services/*/transport_urls'): REDUNDANT + ' (the live connections at the broker use TLS)',
    ('mq-client-tls', 'mq'): REDUNDANT + ' (the client\'s configuration: ssl = true with a CA file)',
    ('mq-client-tls', 'mq/brokers'): REDUNDANT + ' (the client\'s configuration: ssl = true with a CA file)',
    ('mq-client-tls', 'mq/brokers/*/live'): REDUNDANT + ' (the client\'s configuration: ssl = true with a CA file)',
    ('mq-client-tls', 'mq/brokers/*/live/connections'): REDUNDANT + ' (the client\'s configuration: ssl = true with a CA file)',
    ('mq-client-tls', 'mq/brokers/*/live/status'): REDUNDANT + ' (the client\'s configuration: ssl = true with a CA file)',
    ('mq-client-tls', 'mq/brokers/*/present'): REDUNDANT + ' (the client\'s configuration: ssl = true with a CA file)',
    ('mq-kafka-client-tls', 'discovery/services/*/service'): NAMES,
    ('mq-kafka-listener-tls', 'discovery/infrastructure/kafka/*/controller_listener_names'): DEFAULTED,
    ('mq-kafka-listener-tls', 'discovery/infrastructure/kafka/*/file'): NAMES,
    ('mq-kafka-listener-tls', 'discovery/infrastructure/kafka/*/listener_ssl'): DEFAULTED + ' (the broker-wide ssl.* settings apply)',
    ('sto-encryption', 'sto/storage_targets/*/host'): NAMES,
    ('sto-encryption', 'sto/storage_targets/*/kind'): NAMES,
    ('sto-encryption', 'sto/storage_targets/*/port'): NAMES,
    ('tls-mozilla', 'channels'): LESS_TARGETS + ' (a listener probed from two hosts is judged once)',
    ('tls-mozilla', 'db/tls/endpoints/*/host'): NAMES,
    ('tls-mozilla', 'db/tls/endpoints/*/label'): NAMES,
    ('tls-mozilla', 'db/tls/endpoints/*/port'): NAMES,
    ('tls-mozilla', 'db/tls/endpoints/*/starttls'): NAMES,
    ('tls-mozilla', 'db/tls/endpoints/*/status'): REDUNDANT + ' (the same listener probed from the other host)',
    ('tls-mozilla', 'tls/endpoints/*/host'): NAMES,
    ('tls-mozilla', 'tls/endpoints/*/label'): NAMES,
    ('tls-mozilla', 'tls/endpoints/*/port'): NAMES,
    ('tls-mozilla', 'tls/endpoints/*/starttls'): NAMES,
    ('vpn-vpnaas', 'net/extensions'): REDUNDANT + ' (neutron-server\'s service_plugins)',
    ('vpn-vpnaas', 'net/extensions/endpoint'): REDUNDANT + ' (neutron-server\'s service_plugins)',
    ('vpn-vpnaas', 'net/extensions/status'): REDUNDANT + ' (neutron-server\'s service_plugins)',
    ('vpn-vpnaas', 'net/extensions/vpnaas_aliases'): REDUNDANT + ' (neutron-server\'s service_plugins)',
    ('vpn-vpnaas', 'net/network'): REDUNDANT + ' (the Neutron API lists the VPNaaS extension)',
    ('vpn-vpnaas', 'net/network/neutron'): REDUNDANT + ' (the Neutron API lists the VPNaaS extension)',
    ('vpn-vpnaas', 'net/network/neutron/service_plugins'): REDUNDANT + ' (the Neutron API lists the VPNaaS extension)',
}
RULES = load_rules()


def key_paths(node, prefix=(), depth=0):
    """Every path to a key of ``node`` down to DEPTH levels (list indexes are walked into, not yielded)."""
    if depth >= DEPTH:
        return
    if isinstance(node, dict):
        for key, value in node.items():
            if key == 'mozilla':
                continue
            yield prefix + (key,)
            yield from key_paths(value, prefix + (key,), depth + 1)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from key_paths(value, prefix + (index,), depth + 1)


def without(evidence, path):
    evidence = copy.deepcopy(evidence)
    node = evidence
    for part in path[:-1]:
        node = node[part]
    del node[path[-1]]
    return evidence


def pattern(path):
    return '/'.join('*' if isinstance(p, int) else p for p in path)


def _view(findings):
    return sorted((f['status'], f['message'], sorted(f['target'].items())) for f in findings)


def removal_problems(scenario, control_id, evidence, used):
    """The removals after which the control is not_applicable, or still pass on changed findings without a KNOWN reason."""
    rules = {control_id: RULES[control_id]}

    def run(ev):
        return [f for f in evaluate(ev, options=scenario.get('options') or {}, rules=rules) if f['control_id'] == control_id]
    base = run(evidence)
    assert aggregate_status([f['status'] for f in base]) == 'pass'
    problems = []
    for host in sorted(evidence):
        for path in key_paths(evidence[host]):
            findings = run(dict(evidence, **{host: without(evidence[host], path)}))
            status = aggregate_status([f['status'] for f in findings])
            where = '%s/%s' % (host, '/'.join(str(p) for p in path))
            known = (control_id[len('scs-0125-'):], pattern(path))
            if status == 'not_applicable':
                problems.append('%s removed: not_applicable (%s)' % (where, findings[0]['message']))
            elif status == 'pass' and _view(findings) != _view(base):
                if known in KNOWN:
                    used.add(known)
                else:
                    problems.append('%s removed: still pass, findings changed: %s' % (where, '; '.join(f['message'] for f in findings)[:300]))
    return problems


def pass_scenarios():
    out = []
    for path in ts.scenario_files():
        if re.match(r'pass(-|\.yml$)', os.path.basename(path)) and not (ts.load_yaml(path) or {}).get('attestations'):
            out.append(pytest.param(path, id=ts.scenario_id(path)))
    return out


USED = set()


@pytest.mark.parametrize('path', pass_scenarios())
def test_removing_evidence_never_leaves_a_pass_or_not_applicable(path, workdir, hv_trees):
    scenario = ts.load_yaml(path)
    control_id = os.path.basename(os.path.dirname(path))
    evidence = ts.build_evidence(scenario, {'workdir': workdir, 'hv': hv_trees})
    problems = removal_problems(scenario, control_id, evidence, USED)
    assert not problems, '%s:\n%s' % (ts.scenario_id(path), '\n'.join('* ' + p for p in problems))


def test_every_known_entry_is_still_needed():
    """A KNOWN entry no removal needs any more (a rule now answers not_assessed/error there) must go."""
    if not USED:
        pytest.skip('run together with the removal tests')
    assert sorted(set(KNOWN) - USED) == []


def test_the_check_catches_a_pass_without_evidence():
    """A rule that passes whatever the evidence says is caught (the check can fail)."""
    def blind(ctx):
        return [ctx.finding('scs-0125-tls-mozilla', 'pass', 'fine: %d endpoints' % len((ctx.evidence(h, 'tls') or {}).get('endpoints') or []),
                            host=h) for h in ctx.channel_hosts('tls')]
    saved = RULES['scs-0125-tls-mozilla']
    RULES['scs-0125-tls-mozilla'] = blind
    try:
        problems = removal_problems({}, 'scs-0125-tls-mozilla', {'n1': {'channels': ['tls'], 'tls': {'endpoints': [{'port': 1}]}}}, set())
    finally:
        RULES['scs-0125-tls-mozilla'] = saved
    assert problems and 'still pass, findings changed' in problems[0]
