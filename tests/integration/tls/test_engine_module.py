# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""tls_endpoint_info as Ansible runs it, with and without python cryptography, and the scs-0125-tls-mozilla rule
on what it returns: a compliant server must pass, a non-compliant one fail, a closed port give an error."""

from __future__ import absolute_import, division, print_function

import json
import os
import subprocess
import sys

import pytest

from test_engine_lab import INTERMEDIATE_ARGS, Lab, which  # noqa: F401

from lab.paths import collections_root
from lab.proc import free_port

from ansible_collections.scs.secure_connections.plugins.module_utils._core import evaluator as _evaluator
from ansible_collections.scs.secure_connections.plugins.module_utils._rules.tls import CONTROL

pytest.importorskip('cryptography')

MODULE = 'ansible_collections.scs.secure_connections.plugins.modules.tls_endpoint_info'
BLOCK_CRYPTOGRAPHY = '''import sys
class _Block(object):
    def find_spec(self, name, path=None, target=None):
        if name == 'cryptography' or name.startswith('cryptography.'):
            raise ImportError('python cryptography is not installed on this node (blocked by the test)')
sys.meta_path.insert(0, _Block())
'''


@pytest.fixture(scope='module')
def lab(tmp_path_factory):
    if not which('openssl'):
        pytest.skip('needs the openssl binary (Debian package openssl)')
    lab = Lab(str(tmp_path_factory.mktemp('engine-module')))
    try:
        rsa = lab.pki.issue('rsa')
        lab.ports = {
            'good': lab.s_server('good', rsa, INTERMEDIATE_ARGS),
            'bad': lab.s_server('bad', rsa, ['-min_protocol', 'TLSv1.2']),     # s_server defaults: CBC, static RSA, X448/P-521/FFDHE
            'closed': free_port('127.0.0.1'),
        }
        lab.blocker = os.path.join(lab.workdir, 'nocrypto')
        os.makedirs(lab.blocker)
        with open(os.path.join(lab.blocker, 'sitecustomize.py'), 'w') as handle:
            handle.write(BLOCK_CRYPTOGRAPHY)
        yield lab
    finally:
        lab.stop()


def run_module(lab, args, cryptography=True):
    """The module in its own Python process, as Ansible's module runner starts it (JSON args file)."""
    path = os.path.join(lab.workdir, 'args.json')
    with open(path, 'w') as handle:
        json.dump({'ANSIBLE_MODULE_ARGS': args}, handle)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(([] if cryptography else [lab.blocker]) + [collections_root()]))
    proc = subprocess.run([sys.executable, '-m', MODULE, path], capture_output=True, text=True, timeout=120, env=env, check=False)
    return json.loads(proc.stdout)


def endpoints(lab):
    return [{'host': '127.0.0.1', 'port': lab.ports[n], 'server_name': 'localhost', 'label': n} for n in ('good', 'bad', 'closed')]


@pytest.fixture(scope='module')
def with_crypto(lab):
    return run_module(lab, {'endpoints': endpoints(lab), 'ca_files': [lab.pki.cert], 'timeout': 3})


@pytest.fixture(scope='module')
def without_crypto(lab):
    return run_module(lab, {'endpoints': endpoints(lab), 'ca_files': [lab.pki.cert], 'timeout': 3}, cryptography=False)


def test_module_result(with_crypto):
    out = with_crypto
    assert out['changed'] is False and 'failed' not in out, out.get('msg')
    assert out['engine']['cryptography'] and out['engine']['x509_verifier'] is True
    good, bad, closed = out['endpoints']
    assert [e['label'] for e in out['endpoints']] == ['good', 'bad', 'closed']
    for key in ('host', 'port', 'server_name', 'starttls', 'label', 'status', 'error', 'protocols', 'cipher_suites', 'groups', 'dh_min_bits',
                'ecdh_min_bits', 'server_cipher_order', 'certificates', 'certificate_validation', 'security', 'ocsp_stapling', 'duration_ms',
                'mozilla'):
        assert key in good, key
    assert good['mozilla']['compliant'] is True and bad['mozilla']['compliant'] is False
    assert closed['status'] == 'error' and closed['error']['kind'] == 'refused' and closed['mozilla']['compliant'] is None


def test_module_without_cryptography(with_crypto, without_crypto):
    """A node with only Python: same verdicts; certificate details from the built-in reader, validation by handshake."""
    out = without_crypto
    assert 'failed' not in out, out.get('msg')
    assert out['engine']['cryptography'] is None and out['engine']['x509_verifier'] is False
    for ours, full in zip(out['endpoints'], with_crypto['endpoints']):
        assert ours['mozilla']['compliant'] == full['mozilla']['compliant'], ours['label']
        assert ours['protocols'] == full['protocols'] and ours['cipher_suites'] == full['cipher_suites'] and ours['groups'] == full['groups']
    good = out['endpoints'][0]
    assert 'builtin DER reader' in good['certificates'][0]['analysis']
    assert good['certificate_validation'] == dict(good['certificate_validation'], trusted=True, hostname_match=True, method='ssl module handshake')
    for field in ('key_type', 'key_size', 'signature_algorithm', 'lifespan_days', 'sans', 'subject'):
        assert good['certificates'][0][field] == with_crypto['endpoints'][0]['certificates'][0][field], field


@pytest.mark.parametrize('args,words', [
    ({'ca_files': ['/nonexistent/ca.pem']}, 'ca_files: /nonexistent/ca.pem does not exist'),
    ({'level': 'paranoid'}, 'value of level must be one of'),
    ({'guidelines_file': '/nonexistent/g.json'}, 'cannot read guidelines_file /nonexistent/g.json'),
    ({'client_key': '/etc/hostname'}, 'missing parameter(s) required by \'client_key\': client_cert'),
    ({'timeout': 0}, 'timeout must be > 0'),
])
def test_module_input_errors(lab, args, words):
    out = run_module(lab, dict({'endpoints': [{'host': '127.0.0.1', 'port': lab.ports['closed']}]}, **args))
    assert out.get('failed') is True and words in out['msg'], out


def test_module_guidelines_file_and_level(lab, tmp_path):
    guidelines = json.load(open(os.path.join(collections_root(), 'ansible_collections', 'scs', 'secure_connections', 'plugins',
                                             'module_utils', 'data', 'mozilla-server-side-tls-5.7.json')))
    guidelines['version'] = 5.8
    path = tmp_path / 'g.json'
    path.write_text(json.dumps(guidelines))
    out = run_module(lab, {'endpoints': endpoints(lab)[:1], 'ca_files': [lab.pki.cert], 'guidelines_file': str(path), 'level': 'modern'})
    mozilla = out['endpoints'][0]['mozilla']
    assert (mozilla['guidelines_version'], mozilla['level'], mozilla['compliant']) == (5.8, 'modern', False)


def test_rule_on_module_results(with_crypto):
    """scs-0125-tls-mozilla on real probe results: pass, fail (naming the criteria) and error, one finding each."""
    evidence = {'ctl1': {'channels': ['tls'], 'tls': {'endpoints': with_crypto['endpoints']}}, 'ctl2': {'channels': ['tls'], 'tls': {'endpoints': []}}}
    findings = [f for f in _evaluator.evaluate(evidence) if f['control_id'] == CONTROL]
    by_label = dict(((f['evidence'] or {}).get('label') or f['target'].get('host'), f) for f in findings)
    assert by_label['good']['status'] == 'pass'
    assert by_label['bad']['status'] == 'fail' and 'TLS_RSA_WITH_AES_128_CBC_SHA' in by_label['bad']['message']
    assert 'ssl_ecdh_curve' in by_label['bad']['remediation']
    assert by_label['closed']['status'] == 'error' and 'connection refused' in by_label['closed']['message']
    assert by_label['ctl2']['status'] == 'not_assessed', 'nothing probed on ctl2 shows nothing (its sockets were not read)'


def test_through_ansible(lab, tmp_path):
    """The module through ansible-playbook (argument spec, documentation and module_utils packaging)."""
    playbook = tmp_path / 'probe.yml'
    playbook.write_text('- hosts: localhost\n  gather_facts: false\n  tasks:\n'
                        '    - scs.secure_connections.tls_endpoint_info:\n        endpoints: [{host: 127.0.0.1, port: %d, server_name: localhost}]\n'
                        '        ca_files: [%s]\n        timeout: 3\n      register: tls\n'
                        '    - ansible.builtin.assert:\n        that:\n          - tls.endpoints[0].mozilla.compliant\n          - not tls.changed\n'
                        % (lab.ports['good'], lab.pki.cert))
    ansible = os.path.join(os.path.dirname(sys.executable), 'ansible-playbook')
    if not os.path.exists(ansible):
        pytest.skip('ansible-playbook is not installed next to %s' % sys.executable)
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=collections_root(), ANSIBLE_LOCALHOST_WARNING='false', ANSIBLE_NOCOLOR='1',
               ANSIBLE_PYTHON_INTERPRETER=sys.executable)
    proc = subprocess.run([ansible, '-i', 'localhost,', '-c', 'local', str(playbook)], capture_output=True, text=True, timeout=300, env=env, check=False)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
