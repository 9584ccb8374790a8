# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""_mozilla.evaluate: table-driven cases (data/mozilla_cases.yml) on a passing intermediate endpoint result."""

from __future__ import absolute_import, division, print_function

import copy
import json
import os

import pytest
import yaml

from ansible_collections.scs.secure_connections.plugins.module_utils._core import mozilla as _mozilla
from ansible_collections.scs.secure_connections.plugins.module_utils._core.catalog import load_mozilla_guidelines

from tls_samples import BASE, set_path as _set

HERE = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(HERE, 'data', 'mozilla_cases.yml')) as _handle:
    CASES = yaml.safe_load(_handle)
GUIDELINES = load_mozilla_guidelines()


def _result(case):
    result = copy.deepcopy(BASE)
    for path, value in (case.get('set') or {}).items():
        _set(result, path, value)
    return result


@pytest.mark.parametrize('case', CASES, ids=[c['name'] for c in CASES])
def test_evaluate(case):
    level = case.get('level', 'intermediate')
    out = _mozilla.evaluate(_result(case), GUIDELINES, level)
    failed = sorted(i['criterion'] for i in out['criteria'] if i['result'] == 'fail')
    assert failed == sorted(case['fails']), [(i['criterion'], i['message']) for i in out['criteria'] if i['result'] == 'fail']
    assert out['compliant'] is case['compliant']
    assert out['guidelines_version'] == 5.7 and out['level'] == level
    for item in out['criteria']:
        assert set(item) == {'criterion', 'expected', 'observed', 'result', 'message'}
        assert item['result'] in ('pass', 'fail', 'info') and item['message']
    json.dumps(out)   # serialisable as it is


SSLYZE_CRITERIA = ('tls_versions', 'ciphersuites', 'ciphers', 'tls_curves', 'ecdh_param_size', 'dh_param_size', 'certificate_types',
                   'certificate_curves', 'rsa_key_size', 'maximum_certificate_lifespan', 'certificate_signatures',
                   'certificate_path_validation', 'tls_vulnerability_compression', 'tls_vulnerability_renegotiation',
                   'tls_vulnerability_fallback_scsv', 'tls_vulnerability_extended_master_secret', 'tls_vulnerability_heartbleed',
                   'tls_vulnerability_ccs_injection', 'tls_vulnerability_robot')


def test_every_sslyze_criterion_is_an_item():
    out = _mozilla.evaluate(copy.deepcopy(BASE), GUIDELINES, 'intermediate')
    names = [i['criterion'] for i in out['criteria']]
    for criterion in SSLYZE_CRITERIA + ('certificate_hostname', 'certificate_expiry', 'ocsp_staple', 'server_preferred_order'):
        assert names.count(criterion) == 1, criterion


def test_failure_messages_name_what_is_wrong():
    result = copy.deepcopy(BASE)
    result['protocols']['TLSv1.1'] = True
    result['cipher_suites']['TLSv1.2'].append('TLS_RSA_WITH_AES_128_CBC_SHA')
    result['groups'].append('secp521r1')
    out = _mozilla.evaluate(result, GUIDELINES, 'intermediate')
    messages = dict((i['criterion'], i['message']) for i in _mozilla.failures(out))
    assert 'TLSv1.1' in messages['tls_versions'] and 'TLSv1.2, TLSv1.3' in messages['tls_versions']
    assert 'TLS_RSA_WITH_AES_128_CBC_SHA' in messages['ciphers'] and 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256' not in messages['ciphers'].split(';')[0]
    assert 'secp521r1' in messages['tls_curves']


def test_hsts_item_only_when_asked():
    out = _mozilla.evaluate(copy.deepcopy(BASE), GUIDELINES, 'intermediate')
    assert 'hsts_min_age' not in [i['criterion'] for i in out['criteria']]
    result = copy.deepcopy(BASE)
    result['hsts'] = {'status_code': 200, 'header': 'max-age=63072000', 'max_age': 63072000}
    item = [i for i in _mozilla.evaluate(result, GUIDELINES, 'intermediate')['criteria'] if i['criterion'] == 'hsts_min_age'][0]
    assert item['result'] == 'info' and 'meets' in item['message']


@pytest.mark.parametrize('guidelines,level,error', [
    (GUIDELINES, 'paranoid', "no level 'paranoid'"),
    ({'version': 9}, 'intermediate', 'no "configurations"'),
    (None, 'intermediate', 'no "configurations"'),
])
def test_bad_guidelines(guidelines, level, error):
    with pytest.raises(_mozilla.GuidelinesError, match=error):
        _mozilla.evaluate(copy.deepcopy(BASE), guidelines, level)


def test_other_guidelines_version_is_reported():
    other = copy.deepcopy(GUIDELINES)
    other['version'] = 6.0
    other['configurations']['intermediate']['tls_curves'].append('X25519MLKEM768')
    result = copy.deepcopy(BASE)
    result['groups'].append('X25519MLKEM768')
    assert _mozilla.evaluate(result, GUIDELINES, 'intermediate')['compliant'] is False
    out = _mozilla.evaluate(result, other, 'intermediate')
    assert out['compliant'] is True and out['guidelines_version'] == 6.0
