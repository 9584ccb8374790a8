# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Reports that outlive the job: the report role (real ansible-playbook) publishes the report to a directory, to a
real HTTPS upload endpoint on loopback (http.server with TLS from the lab's PKI, checking the bearer token and
refusing oversize bodies) and to an S3-compatible bucket.

There is no S3 here: the S3-compatible endpoint is moto's standalone server (``moto.server.ThreadedMotoServer``)
on loopback, reached by the role's real amazon.aws.s3_object/boto3 code over HTTP. Without boto3/moto the S3 test
skips, except in CI (``CI`` set), where that is a failure.

The evidence is a real recorded TLS probe of the lab (tests/controls/_shared/probes), set as the host's
``audit_evidence`` fact, so only the report role runs."""

from __future__ import absolute_import, division, print_function

import json
import os
import ssl
import sys
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
import yaml

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), 'api'))
from keystone_helpers import run_playbook  # noqa: E402  pylint: disable=wrong-import-position

from lab.paths import REPO  # noqa: E402  pylint: disable=wrong-import-position
from lab.pki import CA  # noqa: E402  pylint: disable=wrong-import-position

TOKEN = 'publish-token-5f2c9e1d7a'
PROBES = os.path.join(REPO, 'tests', 'controls', '_shared', 'probes')
PLAY = """
- name: Evidence of a real probe
  hosts: node-a
  gather_facts: false
  tasks:
    - name: Set the evidence
      ansible.builtin.set_fact:
        audit_evidence: "{{ lookup('ansible.builtin.file', evidence_file) | from_json }}"
- name: Report
  hosts: node-a
  gather_facts: false
  roles:
    - scs.secure_connections.report
"""


def _evidence(tmp_path):
    endpoints = []
    for name, port in (('nginx-rsa', 443), ('nginx-tls10', 8443)):
        with open(os.path.join(PROBES, name + '.yml')) as handle:
            probe = yaml.safe_load(handle)
        probe.update(host='10.0.0.10', port=port, label=name)
        endpoints.append(probe)
    path = tmp_path / 'evidence.json'
    path.write_text(json.dumps({'channels': ['tls'], 'tls': {'endpoints': endpoints}}))
    return str(path)


def _run(tmp_path, **extra):
    inventory = tmp_path / 'inventory.yml'
    # localhost (the controller, where the report is published from) runs this Python, the one with boto3
    hosts = {'node-a': {'ansible_connection': 'local'}, 'localhost': {'ansible_connection': 'local', 'ansible_python_interpreter': sys.executable}}
    inventory.write_text(yaml.safe_dump({'all': {'hosts': hosts}}))
    extra_vars = dict({'evidence_file': _evidence(tmp_path), 'report_output_dir': str(tmp_path / 'out'), 'report_label': 'publish test'}, **extra)
    return run_playbook(tmp_path, PLAY, extra_vars=extra_vars, inventory=str(inventory), timeout=300)


def _stats(log):
    """The published part of the set_stats data, from -vvv output (the set_stats task's result)."""
    marker = '"published": '
    assert marker in log, log[-3000:]
    start = log.rindex(marker) + len(marker)
    return json.JSONDecoder().raw_decode(log[start:])[0]


def test_publish_to_a_directory(tmp_path):
    dest = tmp_path / 'mounted'
    rc, log = _run(tmp_path, report_publish_to='file://%s' % dest, report_publish_formats=['json', 'html', 'scs'])
    assert rc == 0, log[-3000:]
    stamps = sorted(p.name for p in dest.iterdir())
    assert len(stamps) == 2 and 'latest' in stamps, stamps
    stamp = [s for s in stamps if s != 'latest'][0]
    for sub in (stamp, 'latest'):
        assert sorted(p.name for p in (dest / sub).iterdir()) == ['scs-0125-report.html', 'scs-0125-report.json', 'scs-0125-results.txt']
        assert (dest / sub / 'scs-0125-report.json').read_bytes() == (tmp_path / 'out' / 'scs-0125-report.json').read_bytes()
    stats = _stats(log)
    assert stats == {'kind': 'dir', 'location': 'file://%s/%s' % (dest, stamp),
                     'files': ['scs-0125-report.json', 'scs-0125-report.html', 'scs-0125-results.txt']}
    # the bound: a report file over report_publish_max_bytes is not published and fails the play
    rc, log = _run(tmp_path, report_publish_to=str(tmp_path / 'small'), report_publish_max_bytes=1000)
    assert rc != 0 and 'over report_publish_max_bytes 1000: not published' in log, log[-3000:]
    assert not (tmp_path / 'small').exists()


class _Upload(BaseHTTPRequestHandler):
    """PUT <path> with ``Authorization: Bearer <token>``: 201 and kept; 401 without the token, 413 over the limit."""

    limit = 200000
    received = {}

    def do_PUT(self):  # noqa: N802 (http.server's naming)
        if self.headers.get('Authorization') != 'Bearer %s' % TOKEN:
            return self._answer(401)
        length = int(self.headers.get('Content-Length') or 0)
        if length > self.limit:
            while length > 0:  # read what was sent (bounded by the test's files), then refuse it
                length -= len(self.rfile.read(min(length, 65536)) or b'x' * length)
            return self._answer(413)
        self.received[self.path] = (self.headers.get('Content-Type'), self.rfile.read(length))
        return self._answer(201)

    def _answer(self, code):
        self.send_response(code)
        self.send_header('Content-Length', '0')
        self.end_headers()

    def log_message(self, *args):  # pylint: disable=arguments-differ
        pass


@pytest.fixture
def upload_server(tmp_path):
    ca = CA(str(tmp_path / 'pki'))
    leaf = ca.issue('upload', sans=('localhost', '127.0.0.1'))
    _Upload.received = {}
    server = HTTPServer(('127.0.0.1', 0), _Upload)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(leaf.cert, leaf.key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server, ca
    server.shutdown()
    server.server_close()


def test_publish_to_an_https_endpoint_with_a_token(tmp_path, upload_server):
    server, ca = upload_server
    url = 'https://127.0.0.1:%d/reports/cloud-a/' % server.server_address[1]
    rc, log = _run(tmp_path, report_publish_to=url, report_publish_token=TOKEN, report_publish_ca_file=ca.cert)
    assert rc == 0, log[-3000:]
    assert TOKEN not in log
    stats = _stats(log)
    stamp = stats['location'].rsplit('/', 1)[1]
    assert stats['kind'] == 'https' and stats['location'] == url.rstrip('/') + '/' + stamp
    assert sorted(_Upload.received) == ['/reports/cloud-a/%s/scs-0125-report.html' % stamp, '/reports/cloud-a/%s/scs-0125-report.json' % stamp]
    ctype, body = _Upload.received['/reports/cloud-a/%s/scs-0125-report.json' % stamp]
    assert ctype == 'application/json' and body == (tmp_path / 'out' / 'scs-0125-report.json').read_bytes()
    # a wrong token: the endpoint says 401, the play fails and says so, without the token
    rc, log = _run(tmp_path, report_publish_to=url, report_publish_token='wrong-token-0000', report_publish_ca_file=ca.cert)
    assert rc != 0 and 'HTTP Error 401' in log and 'wrong-token-0000' not in log, log[-3000:]
    # the endpoint's own bound: 413 for a body over its limit
    _Upload.limit = 100
    try:
        rc, log = _run(tmp_path, report_publish_to=url, report_publish_token=TOKEN, report_publish_ca_file=ca.cert)
    finally:
        _Upload.limit = 200000
    assert rc != 0 and 'HTTP Error 413' in log and TOKEN not in log, log[-3000:]
    # not the lab's CA: the certificate is not trusted, nothing sent
    _Upload.received = {}
    rc, log = _run(tmp_path, report_publish_to=url, report_publish_token=TOKEN)
    assert rc != 0 and _Upload.received == {} and TOKEN not in log, log[-3000:]
    # plain http would send the token in clear: refused before anything is sent
    rc, log = _run(tmp_path, report_publish_to='http://127.0.0.1:1/x', report_publish_token=TOKEN)
    assert rc != 0 and 'plain http would send the token in clear' in log and TOKEN not in log, log[-3000:]


def _need(name):
    try:
        return __import__(name)
    except ImportError:
        (pytest.fail if os.environ.get('CI') else pytest.skip)('%s is not installed (requirements/test.txt)' % name)
    return None


def test_publish_to_an_s3_compatible_bucket(tmp_path):
    boto3 = _need('boto3')
    _need('moto')
    from moto.server import ThreadedMotoServer  # pylint: disable=import-outside-toplevel
    server = ThreadedMotoServer(ip_address='127.0.0.1', port=0)
    server.start()
    try:
        endpoint = 'http://127.0.0.1:%d' % server.get_host_and_port()[1]
        keys = dict(aws_access_key_id='AKIDPUBLISHTEST', aws_secret_access_key='s3-secret-9b7e4c')
        client = boto3.client('s3', endpoint_url=endpoint, region_name='us-east-1', **keys)
        client.create_bucket(Bucket='scs-reports')
        rc, log = _run(tmp_path, report_publish_to='s3://scs-reports/cloud-a', report_publish_s3_endpoint_url=endpoint,
                       report_publish_s3_region='us-east-1', report_publish_s3_access_key=keys['aws_access_key_id'],
                       report_publish_s3_secret_key=keys['aws_secret_access_key'])
        assert rc == 0, log[-3000:]
        assert keys['aws_secret_access_key'] not in log
        stamp = _stats(log)['location'].rsplit('/', 1)[1]
        listed = sorted(o['Key'] for o in client.list_objects_v2(Bucket='scs-reports')['Contents'])
        assert listed == ['cloud-a/%s/scs-0125-report.html' % stamp, 'cloud-a/%s/scs-0125-report.json' % stamp]
        body = client.get_object(Bucket='scs-reports', Key='cloud-a/%s/scs-0125-report.json' % stamp)['Body'].read()
        assert body == (tmp_path / 'out' / 'scs-0125-report.json').read_bytes()
        # a bucket that does not exist: the play fails and names the destination, not the key
        rc, log = _run(tmp_path, report_publish_to='s3://no-such-bucket/x', report_publish_s3_endpoint_url=endpoint,
                       report_publish_s3_region='us-east-1', report_publish_s3_access_key=keys['aws_access_key_id'],
                       report_publish_s3_secret_key=keys['aws_secret_access_key'])
        assert rc != 0 and 'uploading scs-0125-report.json to s3://no-such-bucket/x' in log, log[-3000:]
        assert keys['aws_secret_access_key'] not in log
    finally:
        server.stop()
