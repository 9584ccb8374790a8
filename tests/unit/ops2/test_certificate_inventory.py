# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The certificate inventory: the file gatherer (_gather/certificates) over trees with real certificates of the lab's
PKI, and the report's join of files and served certificates by fingerprint (served = what the TLS prober returns:
``_tls/x509.describe`` of the DER the server sent, here of the same certificate)."""

from __future__ import absolute_import, division, print_function

import base64
import json
import os
import shutil

import pytest

from lab.pki import CA

from ansible_collections.scs.secure_connections.plugins.module_utils._core.catalog import load_catalog
from ansible_collections.scs.secure_connections.plugins.module_utils._core.render import render_html
from ansible_collections.scs.secure_connections.plugins.module_utils._core.report import build_report, certificate_inventory, validate_report
from ansible_collections.scs.secure_connections.plugins.module_utils._gather.certificates import gather_certificates
from ansible_collections.scs.secure_connections.plugins.module_utils._gather.discovery import discover
from ansible_collections.scs.secure_connections.plugins.module_utils._tls.x509 import describe


def _der(pem_path):
    text = open(pem_path).read()
    body = text.split('-----BEGIN CERTIFICATE-----')[1].split('-----END CERTIFICATE-----')[0]
    return base64.b64decode(''.join(body.split()))


def _put(root, path, source, mode=0o644):
    full = os.path.join(str(root), path.lstrip('/'))
    os.makedirs(os.path.dirname(full), exist_ok=True)
    shutil.copyfile(source, full)
    os.chmod(full, mode)
    return full


@pytest.fixture(scope='module')
def pki(tmp_path_factory):
    ca = CA(str(tmp_path_factory.mktemp('pki')))
    return ca, ca.issue('api.cloud.test', sans=('api.cloud.test',)), ca.issue('api-renewed', sans=('api.cloud.test',), common_name='api.cloud.test')


def test_gatherer_lists_certificates_and_keys_never_their_content(tmp_path, pki):
    ca, leaf, _renewed = pki
    root = tmp_path / 'tree'
    _put(root, '/etc/kolla/certificates/haproxy.pem', leaf.bundle, 0o600)        # key + certificate + CA, as kolla wants it
    _put(root, '/etc/kolla/certificates/ca/root.crt', ca.cert)
    _put(root, '/etc/kolla/config/nova/nova-libvirt/client.key', leaf.key, 0o644)
    _put(root, '/etc/pki/libvirt/servercert.pem', leaf.cert)
    _put(root, '/etc/ssl/certs/keystone.pem', leaf.cert)
    _put(root, '/etc/ssl/certs/ca-certificates.crt', ca.cert)                     # the system trust store: left out
    os.symlink('/usr/share/ca-certificates/x.crt', str(root / 'etc/ssl/certs/x.pem'))
    (root / 'etc/openstack_deploy/pki').mkdir(parents=True)
    (root / 'etc/openstack_deploy/pki/broken.crt').write_text('not a certificate')
    result = gather_certificates(str(root))
    files = dict((f['path'], f) for f in result['files'])
    assert sorted(files) == ['/etc/kolla/certificates/ca/root.crt', '/etc/kolla/certificates/haproxy.pem', '/etc/kolla/config/nova/nova-libvirt/client.key',
                             '/etc/openstack_deploy/pki/broken.crt', '/etc/pki/libvirt/servercert.pem', '/etc/ssl/certs/keystone.pem']
    bundle = files['/etc/kolla/certificates/haproxy.pem']
    assert bundle['private_key'] is True and bundle['mode'] == '0600' and bundle['world_readable'] is False
    assert [c['subject'] for c in bundle['certificates']] == ['CN=api.cloud.test,O=SCS Lab', 'CN=SCS Lab Root CA,O=SCS Lab']
    assert bundle['certificates'][0]['sha256'] == describe(_der(leaf.cert))['sha256'] and bundle['certificates'][0]['sans'] == ['api.cloud.test']
    key = files['/etc/kolla/config/nova/nova-libvirt/client.key']
    assert key['private_key'] is True and key['certificates'] == [] and key['world_readable'] is True
    assert files['/etc/openstack_deploy/pki/broken.crt']['error'] == 'no certificate found in the file'
    assert files['/etc/kolla/certificates/haproxy.pem']['deployment'] == 'kolla' and files['/etc/pki/libvirt/servercert.pem']['deployment'] == 'libvirt'
    # not one line of a private key in the result
    key_lines = [line for line in open(leaf.key).read().splitlines() if line and not line.startswith('-----')]
    text = json.dumps(result)
    assert key_lines and not any(line in text for line in key_lines) and 'PRIVATE KEY' not in text
    # bounded: file count and file size
    small = gather_certificates(str(root), max_files=2)
    assert small['truncated'] is True and len(small['files']) == 2
    tiny = gather_certificates(str(root), max_file_size=100)
    assert 'larger than the limit' in dict((f['path'], f) for f in tiny['files'])['/etc/ssl/certs/keystone.pem']['error']
    # discovery: on by default, off on request, other paths on request
    assert discover(str(root), gather=['layout'])['certificates']['files'] == result['files']
    assert 'certificates' not in discover(str(root), gather=['layout'], certificates=None)
    custom = discover(str(root), gather=['layout'], certificates={'paths': ['/etc/pki']})['certificates']
    assert [f['path'] for f in custom['files']] == ['/etc/pki/libvirt/servercert.pem'] and custom['files'][0]['deployment'] == 'custom'


def _endpoint(host, port, cert_path, label):
    return {'host': host, 'port': port, 'label': label, 'status': 'ok', 'certificates': [describe(_der(cert_path))]}


def test_join_by_fingerprint(tmp_path, pki):
    ca, leaf, renewed = pki
    root = tmp_path / 'tree'
    _put(root, '/etc/kolla/certificates/haproxy.pem', leaf.bundle, 0o600)
    _put(root, '/etc/pki/libvirt/servercert.pem', renewed.cert)       # renewed on disk, libvirtd still serves the old one
    files = discover(str(root), gather=['layout'])['certificates']
    other = tmp_path / 'other'
    other.mkdir()
    selfsigned = CA(str(other)).issue('mq.cloud.test', sans=('mq.cloud.test',))
    evidence = {
        'ctl1': {'channels': ['tls'], 'discovery': {'certificates': files},
                 'tls': {'endpoints': [_endpoint('10.0.0.10', 443, leaf.cert, 'haproxy'),
                                       {'host': '10.0.0.10', 'port': 9999, 'status': 'error', 'certificates': []}]}},
        'cmp1': {'channels': ['hv', 'mq'], 'hv': {'libvirt': {}},
                 'mq': {'tls': {'endpoints': [_endpoint('10.0.0.20', 5671, selfsigned.cert, 'rabbitmq')]}}},
    }
    inv = certificate_inventory(evidence, '2026-12-04T00:00:00Z', 30)
    by = dict((c['sha256'], c) for c in inv['certificates'])
    served = by[describe(_der(leaf.cert))['sha256']]
    assert served['file_match'] == 'same' and served['served'] == [{'host': 'ctl1', 'endpoint': '10.0.0.10:443', 'channel': 'tls', 'label': 'haproxy'}]
    assert served['files'] == [{'host': 'ctl1', 'path': '/etc/kolla/certificates/haproxy.pem', 'deployment': 'kolla'}]
    assert served['state'] == 'valid' and served['days_left'] > 30
    mq = by[describe(_der(selfsigned.cert))['sha256']]
    assert mq['file_match'] == 'no_file' and mq['served'][0]['channel'] == 'mq'
    disk = by[describe(_der(renewed.cert))['sha256']]
    assert disk['file_match'] == 'not_served' and disk['files'][0]['path'] == '/etc/pki/libvirt/servercert.pem'
    assert by[describe(_der(ca.cert))['sha256']]['is_ca'] is True
    assert inv['counts'] == {'same': 1, 'differs': 0, 'no_file': 1, 'not_served': 2, 'certificates': 4, 'key_files': 1, 'world_readable_keys': 0}
    assert inv['key_files'] == [{'host': 'ctl1', 'path': '/etc/kolla/certificates/haproxy.pem', 'deployment': 'kolla', 'mode': '0600',
                                 'group_readable': False, 'world_readable': False}]
    # the same names served from one certificate and held on disk in another: differs, and which file
    evidence['cmp1']['hv'] = {'libvirt': {}, 'tls': {'endpoints': [_endpoint('10.0.0.20', 16514, leaf.cert, 'libvirtd')]}}
    evidence['cmp1']['discovery'] = {'certificates': {'files': [{'path': '/etc/pki/libvirt/servercert.pem', 'deployment': 'libvirt',
                                                                 'certificates': [describe(_der(renewed.cert))]}]}}
    evidence['ctl1']['discovery']['certificates'] = {'files': []}
    inv = certificate_inventory(evidence, '2026-12-04T00:00:00Z', 30)
    served = dict((c['sha256'], c) for c in inv['certificates'])[describe(_der(leaf.cert))['sha256']]
    assert served['file_match'] == 'differs' and [(d['host'], d['path']) for d in served['differs_from']] == [('cmp1', '/etc/pki/libvirt/servercert.pem')]
    # expiry state against the window
    assert certificate_inventory(evidence, '2027-03-01T00:00:00Z', 30)['certificates'][0]['state'] == 'expiring'
    assert certificate_inventory({'x': {'channels': []}}, '2026-12-04T00:00:00Z') is None


def test_inventory_in_the_report_validates_and_renders(tmp_path, pki):
    ca, leaf, _renewed = pki
    root = tmp_path / 'tree'
    _put(root, '/etc/kolla/certificates/haproxy.pem', leaf.bundle, 0o644)
    evidence = {'ctl1': {'channels': ['tls'], 'discovery': discover(str(root), gather=['layout']),
                         'tls': {'endpoints': [_endpoint('10.0.0.10', 443, leaf.cert, 'haproxy<script>')]}}}
    run = {'collection': 'scs.secure_connections', 'collection_version': '1.0.0', 'standard': 'scs-0125-v1', 'hosts': ['ctl1'],
           'channels': ['tls'], 'started': '2026-12-04T00:00:00Z', 'finished': '2026-12-04T00:01:00Z',
           'mozilla': {'guidelines_version': '5.7', 'level': 'intermediate', 'source': 'shipped'}}
    report = build_report([], run, load_catalog(), evidence_by_host=evidence, certificate_warning_days=30)
    assert validate_report(report) == []
    inv = report['certificate_inventory']
    assert inv['counts']['same'] == 1 and inv['counts']['world_readable_keys'] == 1
    page = render_html(report)
    assert 'id="certificate-inventory"' in page and 'READABLE BY EVERYONE' in page and 'CN=api.cloud.test' in page
    assert '1 CA certificates' in page and 'haproxy<script>' not in page


def test_one_certificate_served_everywhere_lists_each_place_once_in_order(pki):
    # a cloud's wildcard or internal certificate served by every host: each (host, endpoint, channel, label) once, in the
    # order the probes are read (hosts sorted), a place probed twice (tls channel and db channel) kept apart by channel
    _ca, leaf, _renewed = pki
    cert = describe(_der(leaf.cert))
    hosts = {}
    for i in range(300):
        api = {'host': '10.0.%d.%d' % (i // 250, i % 250), 'port': 443, 'label': 'api', 'certificates': [cert]}
        hosts['ctl%03d' % i] = {'tls': {'endpoints': [api, dict(api)]},
                                'db': {'tls': {'endpoints': [{'host': 'db', 'port': 3306, 'certificates': [cert]}]}}}
    served = certificate_inventory(hosts, '2026-01-01T00:00:00Z')['certificates'][0]['served']
    assert len(served) == 600
    assert served[:3] == [{'host': 'ctl000', 'endpoint': 'db:3306', 'channel': 'db'},
                          {'host': 'ctl000', 'endpoint': '10.0.0.0:443', 'channel': 'tls', 'label': 'api'},
                          {'host': 'ctl001', 'endpoint': 'db:3306', 'channel': 'db'}]
