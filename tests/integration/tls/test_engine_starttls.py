# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""STARTTLS: a real MariaDB (lab/mariadb.py), and small Python servers that run the real clear-text exchange of
SMTP, IMAP, POP3, FTP, XMPP, LDAP and PostgreSQL and then real TLS with the ``ssl`` module (test_engine_lab.py)."""

from __future__ import absolute_import, division, print_function

import hashlib
import os

import pytest

from test_engine_lab import Lab

pytest.importorskip('ansible_collections.scs.secure_connections.plugins.module_utils._tls.scan')
ENGINE = pytest.importorskip('judged')   # the engine's results as tls_endpoint_info returns them (with the mozilla block)
pytest.importorskip('cryptography')

KINDS = ['smtp', 'imap', 'pop3', 'ftp', 'xmpp', 'ldap', 'postgres']


@pytest.fixture(scope='module')
def lab(tmp_path_factory):
    lab = Lab(str(tmp_path_factory.mktemp('starttls')))
    try:
        leaf = lab.pki.issue('mail')
        lab.leaf = leaf
        lab.ports = dict((kind, lab.python(kind, kind, leaf.chain, leaf.key)) for kind in KINDS + ['smtp-nostarttls', 'postgres-nostarttls'])
        yield lab
    finally:
        lab.stop()


def _scan(lab, port, starttls, **extra):
    ep = {'host': '127.0.0.1', 'port': port, 'server_name': 'localhost', 'starttls': starttls}
    return ENGINE.scan_endpoint(ep, dict(dict(timeout=3, ca_files=[lab.pki.cert]), **extra))


@pytest.mark.parametrize('kind', KINDS)
def test_starttls_protocols(lab, kind):
    r = _scan(lab, lab.ports[kind], kind)
    assert r['status'] == 'ok', r['error']
    assert r['starttls'] == kind and r['protocols']['TLSv1.2'] is True and r['protocols']['TLSv1.3'] is True
    assert r['certificates'][0]['sha256'] == hashlib.sha256(lab.leaf.der).hexdigest()
    assert r['certificate_validation']['trusted'] is True
    # Python's ssl server with OpenSSL's defaults: CBC/static-RSA suites and the default groups (X448, P-521, FFDHE)
    failed = sorted(i['criterion'] for i in r['mozilla']['criteria'] if i['result'] == 'fail')
    assert failed == ['ciphers', 'tls_curves'] and r['mozilla']['compliant'] is False


@pytest.mark.parametrize('kind,starttls,words', [
    ('smtp-nostarttls', 'smtp', 'SMTP server 127.0.0.1:%d does not offer STARTTLS'),
    ('postgres-nostarttls', 'postgres', 'PostgreSQL server 127.0.0.1:%d does not accept TLS (answered N to SSLRequest)'),
])
def test_servers_without_starttls(lab, kind, starttls, words):
    r = _scan(lab, lab.ports[kind], starttls)
    assert r['status'] == 'error' and r['error']['kind'] == 'plaintext'
    assert r['error']['message'] == words % lab.ports[kind] and r['connections'] == 1


def test_plain_tls_on_a_starttls_port(lab):
    r = _scan(lab, lab.ports['smtp'], 'none')
    assert r['status'] == 'error' and r['error']['kind'] == 'plaintext' and 'SMTP/FTP in clear text ("220 mail.test ESMTP")' in r['error']['message']


@pytest.fixture(scope='module')
def mariadb(tmp_path_factory):
    from lab.mariadb import binaries, start_mariadb
    if binaries() is None:
        pytest.skip('needs mariadbd (Debian package mariadb-server)')
    base = str(tmp_path_factory.mktemp('mariadb'))
    servers = []
    try:
        servers.append(start_mariadb(os.path.join(base, 'tls'), tls=True))
        servers.append(start_mariadb(os.path.join(base, 'plain'), tls=False))
        yield servers
    finally:
        for server in servers:
            server.stop()


def test_mariadb_starttls(mariadb):
    db = mariadb[0]
    r = ENGINE.scan_endpoint({'host': db.host, 'port': db.port, 'starttls': 'mysql', 'server_name': 'localhost', 'label': 'galera'},
                             dict(timeout=3, ca_files=[db.ca]))
    assert r['status'] == 'ok', r['error']
    assert [v for v, on in r['protocols'].items() if on] == ['TLSv1.2', 'TLSv1.3']
    assert 'TLS_RSA_WITH_AES_128_GCM_SHA256' in r['cipher_suites']['TLSv1.2']     # MariaDB's default cipher list
    assert r['client_certificate_requested'] is True                            # MariaDB asks (optionally) for a client certificate
    assert r['certificates'][0]['subject'].startswith('CN=mariadb')
    failed = sorted(i['criterion'] for i in r['mozilla']['criteria'] if i['result'] == 'fail')
    assert 'ciphers' in failed and 'tls_curves' in failed and r['mozilla']['compliant'] is False
    # the ROBOT probe ran with an empty client certificate (optional client authentication)
    assert r['security']['robot'] is False and 'no oracle' in r['security']['notes']['robot']


def test_mariadb_without_starttls_and_without_tls(mariadb):
    tls, plain = mariadb
    r = ENGINE.scan_endpoint({'host': tls.host, 'port': tls.port}, dict(timeout=3))
    assert r['status'] == 'error' and r['error']['kind'] == 'plaintext' and 'use starttls: mysql' in r['error']['message']
    r = ENGINE.scan_endpoint({'host': plain.host, 'port': plain.port, 'starttls': 'mysql'}, dict(timeout=3))
    assert r['status'] == 'error' and r['error']['kind'] == 'plaintext' and 'does not offer TLS (no CLIENT_SSL capability)' in r['error']['message']
