# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Judge once: the same probe data gets the same Mozilla verdict in every channel, at the report's level.

The TLS channel (scs-0125-tls-mozilla) and the API, DB and MQ channels judge a TLS probe with
``_rules/common.judge_probe`` at ``options['mozilla_level']`` / ``options['mozilla_guidelines']``.
Each probe below also carries a stale ``mozilla`` block (what a node computed at another level)
saying the opposite of the truth: no rule may read it.

Probes that could not be scanned because the peer does not speak TLS are left out on purpose: what
that means is the channel's own decision (an https:// catalog URL without TLS fails; a discovered
plaintext listener is not a TLS listener for scs-0125-tls-mozilla).
"""

from __future__ import absolute_import, division, print_function

import copy

import pytest

from ansible_collections.scs.secure_connections.plugins.module_utils._core.evaluator import RuleContext
from ansible_collections.scs.secure_connections.plugins.module_utils._core.mozilla_data import GUIDELINES
from ansible_collections.scs.secure_connections.plugins.module_utils._rules import api, db, mq, tls
from ansible_collections.scs.secure_connections.tests.unit.tls import tls_samples as samples

HOST, PORT = '10.0.0.10', 8443

# another guidelines document: a future version whose intermediate profile allows TLS 1.3 only
STRICT = copy.deepcopy(GUIDELINES)
STRICT['version'] = 9.0
STRICT['configurations']['intermediate']['tls_versions'] = ['TLSv1.3']

PROFILES = {
    'old': {'mozilla_level': 'old'},
    'intermediate': {},
    'modern': {'mozilla_level': 'modern'},
    'other-guidelines': {'mozilla_guidelines': STRICT, 'mozilla_level': 'intermediate'},
}

PROBES = {
    'base': {},
    'tls1.0-1.1': samples.OLD_VERSIONS,
    'rsa-key-exchange': samples.RSA_KEY_EXCHANGE,
    'long-certificate': samples.LONG_CERTIFICATE,
    'robot-not-tested': samples.ROBOT_NOT_TESTED,
    'tls1.3-only': {'protocols/TLSv1.2': False, 'cipher_suites/TLSv1.2': []},
    'refused': None,
}


def _probe(name):
    if PROBES[name] is None:
        result = samples.probe_error(HOST, PORT, 'x', 'refused', 'connection refused by %s:%s' % (HOST, PORT))
    else:
        result = samples.probe(HOST, PORT, 'x', PROBES[name])
    # a node's verdict, stale and wrong on purpose
    result['mozilla'] = {'guidelines_version': 5.7, 'level': 'intermediate', 'compliant': result['status'] != 'ok',
                         'criteria': [{'criterion': 'tls_versions', 'result': 'fail', 'message': 'stale'}]}
    return result


def _one(findings, pick=lambda f: True):
    found = [f for f in findings if pick(f)]
    assert len(found) == 1, [(f['status'], f['message']) for f in findings]
    return found[0]


def tls_status(probe, options):
    ctx = RuleContext({'h': {'channels': ['tls'], 'tls': {'endpoints': [probe]}}}, options=options)
    return _one(tls.RULES[tls.CONTROL](ctx))['status']


def api_status(probe, options):
    probe = dict(probe, label='api-public')
    catalog = {'status': 'ok', 'error': None, 'source': 'admin_api', 'endpoints': [
        {'id': 'e1', 'service_type': 'identity', 'service_name': 'keystone', 'interface': 'public', 'region': 'R1',
         'url': 'https://%s:%s/v3' % (HOST, PORT), 'enabled': True, 'scheme': 'https', 'host': HOST, 'port': PORT,
         'path': '/v3', 'parse_error': None, 'ignored': None, 'probe_position': 'public', 'probe_label': 'api-public'}]}
    evidence = {'channels': ['api'], 'api': {'catalog': catalog, 'tls': {'endpoints': [probe]}, 'probe': {'public_from': 'localhost'}}}
    return _one(api.RULES[api.PUBLIC](RuleContext({'h': evidence}, options=options)))['status']


def db_status(probe, options):
    probe = dict(probe, label='db1', starttls='mysql')
    server = {'status': 'ok', 'label': 'db1', 'port': PORT, 'have_ssl': 'YES', 'tls_versions': ['TLSv1.2', 'TLSv1.3'],
              'ssl': {'ssl_ca': '/ca.pem', 'ssl_cert': '/server.pem', 'ssl_key': '/server.key'}}
    evidence = {'channels': ['db'], 'db': {'servers': [server], 'tls': {'endpoints': [probe]}}}
    return _one(db.RULES[db.SERVER_TLS](RuleContext({'h': evidence}, options=options)))['status']


def mq_status(probe, options):
    listener = {'protocol': 'amqp/ssl', 'address': HOST, 'port': PORT, 'loopback': False, 'all_interfaces': False, 'source': 'live'}
    broker = {'present': True, 'node': 'rabbit@h', 'listeners': [listener], 'listeners_source': 'live',
              'config': {'found': True, 'errors': [], 'ssl_options': {'verify': 'verify_none'}, 'listeners': [listener]},
              'live': {'status': 'ok', 'error': None, 'listeners': [listener],
                       'connections': {'status': 'ok', 'error': None, 'items': [], 'truncated': False}},
              'amqp_check': {'status': 'skipped', 'error': None}}
    evidence = {'channels': ['mq'], 'mq': {'brokers': [broker], 'tls': {'endpoints': [probe]}, 'addresses': [HOST]}}
    findings = mq.RULES[mq.BROKER](RuleContext({'h': evidence}, options=options))
    return _one(findings, lambda f: 'mozilla' in (f.get('evidence') or {}))['status']


CHANNELS = {'api': api_status, 'db': db_status, 'mq': mq_status}


@pytest.mark.parametrize('profile', sorted(PROFILES))
@pytest.mark.parametrize('probe', sorted(PROBES))
def test_every_channel_judges_a_probe_as_the_tls_channel(probe, profile):
    options = PROFILES[profile]
    expected = tls_status(_probe(probe), options)
    got = dict((name, judge(_probe(probe), options)) for name, judge in CHANNELS.items())
    assert got == dict((name, expected) for name in CHANNELS), 'tls channel: %s' % expected


def test_the_level_changes_the_verdict():
    """The matrix above is not trivially equal: levels and guidelines change the statuses."""
    table = dict(((probe, profile), tls_status(_probe(probe), PROFILES[profile])) for probe in PROBES for profile in PROFILES)
    assert table[('base', 'intermediate')] == 'pass' and table[('base', 'modern')] == 'fail'
    assert table[('base', 'other-guidelines')] == 'fail' and table[('tls1.3-only', 'other-guidelines')] == 'pass'
    assert table[('tls1.0-1.1', 'intermediate')] == 'fail' and table[('tls1.0-1.1', 'old')] == 'pass'
    assert table[('robot-not-tested', 'intermediate')] == 'error' and table[('refused', 'intermediate')] == 'error'
