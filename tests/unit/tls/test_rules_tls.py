# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Rule scs-0125-tls-mozilla on hand-made evidence (the endpoint results follow the tls_endpoint_info contract)."""

from __future__ import absolute_import, division, print_function

import copy

import pytest

from ansible_collections.scs.secure_connections.plugins.module_utils._core import evaluator as _evaluator
from ansible_collections.scs.secure_connections.plugins.module_utils._core.catalog import load_mozilla_guidelines
from ansible_collections.scs.secure_connections.plugins.module_utils._rules.tls import CONTROL, RULES

from tls_samples import endpoint

GOOD = endpoint(**{'port': 443, 'label': 'good'})
TLS10 = endpoint(**{'port': 8443, 'label': 'old', 'protocols/TLSv1.0': True,
                    'cipher_suites/TLSv1.0': ['TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA']})
WEAKCERT = endpoint(**{'port': 9443, 'certificates/0/key_size': 1024, 'certificates/0/lifespan_days': 800})
REFUSED = {'host': '127.0.0.1', 'port': 5000, 'starttls': 'none', 'status': 'error', 'label': 'keystone',
           'error': {'kind': 'refused', 'message': 'connection refused by 127.0.0.1:5000'}}
PLAIN_FOUND = {'host': '127.0.0.1', 'port': 11211, 'starttls': 'none', 'status': 'error', 'label': 'memcached:11211', 'source': 'discovered',
               'error': {'kind': 'not_tls', 'message': 'the server answered with something that is not TLS'}}
DB_OK = endpoint(**{'port': 3306, 'starttls': 'mysql'})
UNDETERMINED = endpoint(**{'port': 16514, 'security/robot': 'not_tested', 'security/notes': {'robot': 'client certificate required'}})


def _run(evidence, options=None):
    ctx = _evaluator.RuleContext(evidence, options=options or {})
    return RULES[CONTROL](ctx)


def _summary(findings):
    return sorted((f['target'].get('host'), f['target'].get('endpoint'), f['status']) for f in findings)


@pytest.mark.parametrize('evidence,expected', [
    ({'ctl1': {'channels': ['tls'], 'tls': {'endpoints': [GOOD]}}},
     [('ctl1', '127.0.0.1:443', 'pass')]),
    ({'ctl1': {'channels': ['tls'], 'tls': {'endpoints': [GOOD, TLS10, WEAKCERT, REFUSED]}}},
     [('ctl1', '127.0.0.1:443', 'pass'), ('ctl1', '127.0.0.1:5000', 'error'), ('ctl1', '127.0.0.1:8443', 'fail'),
      ('ctl1', '127.0.0.1:9443', 'fail')]),
    # nothing probed shows nothing: not_assessed, unless the host's live sockets were read and it listens on none
    ({'ctl1': {'channels': ['tls'], 'tls': {'endpoints': []}}},
     [('ctl1', None, 'not_assessed')]),
    ({'ctl1': {'channels': ['tls']}},
     [('ctl1', None, 'not_assessed')]),
    ({'ctl1': {'channels': ['tls'], 'tls': {'endpoints': []}, 'discovery': {'listeners_source': '/proc', 'listeners': [
        {'address': '0.0.0.0', 'port': 443, 'family': 'inet'}]}}},
     [('ctl1', None, 'not_assessed')]),
    ({'ctl1': {'channels': ['tls'], 'tls': {'endpoints': []}, 'discovery': {'listeners_source': '/proc', 'listeners': []}}},
     [('ctl1', None, 'not_applicable')]),
    # other channels' probes on a tls host are judged too, deduplicated by host:port:starttls
    ({'ctl1': {'channels': ['tls', 'db', 'api'], 'tls': {'endpoints': [GOOD]}, 'db': {'tls': {'endpoints': [DB_OK, DB_OK]}},
               'api': {'tls': {'endpoints': [GOOD]}}}},
     [('ctl1', '127.0.0.1:3306 (STARTTLS mysql)', 'pass'), ('ctl1', '127.0.0.1:443', 'pass')]),
    # a host with only other channels' probes: still not "no listener"
    ({'ctl1': {'channels': ['tls', 'hv'], 'tls': {'endpoints': []}, 'hv': {'tls': {'endpoints': [UNDETERMINED]}}}},
     [('ctl1', '127.0.0.1:16514', 'error')]),
    # the same endpoint from two hosts: one finding, on the first host (name order)
    ({'b': {'channels': ['tls'], 'tls': {'endpoints': [GOOD]}}, 'a': {'channels': ['tls'], 'tls': {'endpoints': [GOOD]}}},
     [('a', '127.0.0.1:443', 'pass')]),
    # ...but a scanned result wins over an error for the same endpoint
    ({'a': {'channels': ['tls'], 'tls': {'endpoints': [dict(REFUSED, port=443)]}}, 'b': {'channels': ['tls'], 'tls': {'endpoints': [GOOD]}}},
     [('b', '127.0.0.1:443', 'pass')]),
    # a discovered listener that speaks no TLS is out of scope; the same answer from a declared endpoint is an error,
    # and a discovered listener that refuses stays an error
    ({'ctl1': {'channels': ['tls'], 'tls': {'endpoints': [
        PLAIN_FOUND, dict(PLAIN_FOUND, port=8080, source='declared'), dict(REFUSED, source='discovered')]}}},
     [('ctl1', '127.0.0.1:11211', 'not_applicable'), ('ctl1', '127.0.0.1:5000', 'error'), ('ctl1', '127.0.0.1:8080', 'error')]),
    # hosts where tls was not gathered are not walked (their channel rules judge them)
    ({'ctl1': {'channels': ['db'], 'db': {'tls': {'endpoints': [DB_OK]}}}, 'ctl2': {'channels': ['tls'], 'tls': {'endpoints': [GOOD]}}},
     [('ctl2', '127.0.0.1:443', 'pass')]),
])
def test_rule(evidence, expected):
    assert _summary(_run(evidence)) == expected


def test_fail_message_and_remediation_name_the_problem():
    findings = _run({'ctl1': {'channels': ['tls'], 'tls': {'endpoints': [TLS10, WEAKCERT]}}})
    by_port = dict((f['target']['endpoint'], f) for f in findings)
    old = by_port['127.0.0.1:8443']
    assert 'TLSv1.0 accepted' in old['message'] and 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA' in old['message'] and '[old]' in old['message']
    assert 'ssl_protocols TLSv1.2 TLSv1.3' in old['remediation'] and 'ECDHE-ECDSA-AES128-GCM-SHA256' in old['remediation']
    assert [i['criterion'] for i in old['evidence']['failed']] == ['tls_versions', 'ciphers']
    weak = by_port['127.0.0.1:9443']
    assert 'RSA key of 1024 bits' in weak['message'] and '800 days' in weak['message']
    assert 'at least 2048 bits' in weak['remediation'] and 'at most 366 days' in weak['remediation']


def test_error_finding_names_the_reason():
    finding = _run({'ctl1': {'channels': ['tls'], 'tls': {'endpoints': [REFUSED]}}})[0]
    assert finding['status'] == 'error' and 'connection refused by 127.0.0.1:5000' in finding['message'] and '(refused)' in finding['message']
    undetermined = _run({'ctl1': {'channels': ['tls'], 'tls': {'endpoints': [UNDETERMINED]}}})[0]
    assert undetermined['status'] == 'error' and 'robot' in undetermined['message'] and 'client certificate required' in undetermined['message']


def test_not_applicable_reason():
    finding = _run({'ctl1': {'channels': ['tls'], 'tls': {'endpoints': []}, 'discovery': {'listeners_source': '/proc', 'listeners': []}}})[0]
    assert 'listens on no TCP port' in finding['message']
    assert 'were read from /proc: none' in finding['evidence']['absence']


def test_nothing_probed_names_what_would_assess_it():
    finding = _run({'ctl1': {'channels': ['tls'], 'tls': {'endpoints': []}}})[0]
    assert finding['status'] == 'not_assessed'
    assert 'audit_tls_discover_listeners' in finding['message'] and 'not read' in finding['message']


def test_level_and_guidelines_options_recompute_the_verdict():
    evidence = {'ctl1': {'channels': ['tls'], 'tls': {'endpoints': [TLS10]}}}
    assert _run(evidence)[0]['status'] == 'fail'
    assert _run(evidence, {'mozilla_level': 'old'})[0]['status'] == 'pass'
    # the mozilla block already in the evidence is not trusted: the rule evaluates again
    stale = copy.deepcopy(TLS10)
    stale['mozilla'] = {'compliant': True, 'criteria': []}
    assert _run({'ctl1': {'channels': ['tls'], 'tls': {'endpoints': [stale]}}})[0]['status'] == 'fail'
    relaxed = copy.deepcopy(load_mozilla_guidelines())
    relaxed['version'] = 99
    relaxed['configurations']['intermediate']['tls_versions'].insert(0, 'TLSv1')
    relaxed['configurations']['intermediate']['ciphers']['iana'].append('TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA')
    finding = _run(evidence, {'mozilla_guidelines': relaxed})[0]
    assert finding['status'] == 'pass' and 'guidelines 99' in finding['message']


def test_through_the_evaluator():
    evidence = {'ctl1': {'channels': ['tls'], 'tls': {'endpoints': [GOOD, TLS10]}}}
    findings = [f for f in _evaluator.evaluate(evidence) if f['control_id'] == CONTROL]
    assert sorted(f['status'] for f in findings) == ['fail', 'pass']
    assert all(f['level'] == 'MUST' and f['channel'] == 'tls' for f in findings)
    none = [f for f in _evaluator.evaluate({'ctl1': {'channels': ['db']}}) if f['control_id'] == CONTROL]
    assert [f['status'] for f in none] == ['not_assessed']


def test_bad_level_becomes_an_error_finding():
    evidence = {'ctl1': {'channels': ['tls'], 'tls': {'endpoints': [GOOD]}}}
    findings = [f for f in _evaluator.evaluate(evidence, options={'mozilla_level': 'paranoid'}) if f['control_id'] == CONTROL]
    assert [f['status'] for f in findings] == ['error'] and "no level 'paranoid'" in findings[0]['message']
