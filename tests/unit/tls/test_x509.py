# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""_x509: certificate fields (cryptography and the built-in DER reader), hostname matching, path validation.

Every certificate is generated here at test time (no key is committed).
"""

from __future__ import absolute_import, division, print_function

import datetime
import ipaddress

import pytest

cryptography = pytest.importorskip('cryptography')

from cryptography import x509  # noqa: E402
from cryptography.hazmat.primitives import hashes, serialization  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa  # noqa: E402
from cryptography.x509 import ocsp  # noqa: E402
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID  # noqa: E402

from ansible_collections.scs.secure_connections.plugins.module_utils._tls import x509 as _x509  # noqa: E402

NOW = datetime.datetime.now(datetime.timezone.utc)


def _name(cn):
    return x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, 'Unit'), x509.NameAttribute(NameOID.COMMON_NAME, cn)])


class _Pki(object):
    def __init__(self, tmp):
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.name = _name('Unit Root')
        self.cert = (x509.CertificateBuilder().subject_name(self.name).issuer_name(self.name).public_key(self.key.public_key())
                     .serial_number(1).not_valid_before(NOW - datetime.timedelta(days=1)).not_valid_after(NOW + datetime.timedelta(days=3650))
                     .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
                     .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
                     .add_extension(x509.SubjectKeyIdentifier.from_public_key(self.key.public_key()), critical=False)
                     .sign(self.key, hashes.SHA256()))
        self.ca_file = str(tmp / 'ca.pem')
        with open(self.ca_file, 'wb') as handle:
            handle.write(self.cert.public_bytes(serialization.Encoding.PEM))

    def issue(self, key='rsa2048', sans=('localhost', '127.0.0.1'), days=90, start=-1, hash_cls=hashes.SHA256, self_signed=False):
        if key == 'rsa2048':
            priv = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        elif key == 'rsa1024':
            priv = rsa.generate_private_key(public_exponent=65537, key_size=1024)
        elif key in ('p256', 'p384', 'p521'):
            priv = ec.generate_private_key({'p256': ec.SECP256R1, 'p384': ec.SECP384R1, 'p521': ec.SECP521R1}[key]())
        elif key == 'ed25519':
            priv = ed25519.Ed25519PrivateKey.generate()
        not_before = NOW + datetime.timedelta(days=start)
        subject = _name('leaf-%s' % key)
        builder = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject if self_signed else self.name)
                   .public_key(priv.public_key()).serial_number(x509.random_serial_number())
                   .not_valid_before(not_before).not_valid_after(not_before + datetime.timedelta(days=days))
                   .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
                   .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
                   .add_extension(x509.SubjectKeyIdentifier.from_public_key(priv.public_key()), critical=False))
        if not self_signed:
            builder = builder.add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(self.key.public_key()), critical=False)
        if sans:
            entries = []
            for san in sans:
                try:
                    entries.append(x509.IPAddress(ipaddress.ip_address(san)))
                except ValueError:
                    entries.append(x509.DNSName(san))
            builder = builder.add_extension(x509.SubjectAlternativeName(entries), critical=False)
        signer = priv if self_signed else self.key
        cert = builder.sign(signer, None if isinstance(signer, ed25519.Ed25519PrivateKey) else hash_cls())
        return cert.public_bytes(serialization.Encoding.DER), cert, priv


@pytest.fixture(scope='module')
def pki(tmp_path_factory):
    return _Pki(tmp_path_factory.mktemp('pki'))


@pytest.mark.parametrize('key,kwargs,expect', [
    ('rsa2048', {}, dict(key_type='rsa', key_size=2048, curve=None, signature_algorithm='sha256WithRSAEncryption', lifespan_days=90,
                         expired=False, sans=['localhost', '127.0.0.1'])),
    ('rsa1024', dict(days=800), dict(key_type='rsa', key_size=1024, lifespan_days=800)),
    ('p256', dict(hash_cls=hashes.SHA384), dict(key_type='ecdsa', key_size=256, curve='prime256v1', signature_algorithm='sha384WithRSAEncryption')),
    ('p384', dict(self_signed=True, hash_cls=hashes.SHA384),
     dict(key_type='ecdsa', curve='secp384r1', signature_algorithm='ecdsa-with-SHA384', self_signed=True)),
    ('p521', dict(self_signed=True, hash_cls=hashes.SHA512),
     dict(key_type='ecdsa', curve='secp521r1', key_size=521, signature_algorithm='ecdsa-with-SHA512')),
    ('ed25519', dict(self_signed=True), dict(key_type='ed25519', key_size=256, signature_algorithm='ed25519')),
    ('rsa2048', dict(start=-400), dict(expired=True, not_yet_valid=False)),
    ('rsa2048', dict(start=10), dict(expired=False, not_yet_valid=True)),
    ('rsa2048', dict(sans=('*.example.net', '2001:db8::1')), dict(sans=['*.example.net', '2001:db8::1'])),
])
def test_describe(pki, key, kwargs, expect):
    der, cert, _priv = pki.issue(key, **kwargs)
    info = _x509.describe(der)
    for field, value in expect.items():
        assert info[field] == value, field
    assert info['serial'] == format(cert.serial_number, 'x')
    assert info['subject'] == cert.subject.rfc4514_string() and info['analysis'] == 'cryptography'


@pytest.mark.parametrize('key,kwargs', [('rsa2048', {}), ('rsa1024', dict(days=800)), ('p256', {}), ('p384', dict(self_signed=True)),
                                        ('ed25519', dict(self_signed=True)), ('rsa2048', dict(sans=('*.example.net', '2001:db8::1')))])
def test_builtin_der_reader_agrees_with_cryptography(pki, key, kwargs, monkeypatch):
    """What a node without python cryptography reports must be the same for the fields the Mozilla check uses."""
    der, _cert, _priv = pki.issue(key, **kwargs)
    full = _x509.describe(der)
    monkeypatch.setattr(_x509, 'HAS_CRYPTOGRAPHY', False)
    limited = _x509.describe(der)
    assert 'builtin DER reader' in limited['analysis']
    for field in ('subject', 'issuer', 'serial', 'key_type', 'key_size', 'curve', 'signature_algorithm', 'not_before', 'not_after',
                  'lifespan_days', 'expired', 'sans', 'is_ca', 'self_signed', 'sha256'):
        assert limited[field] == full[field], field
    assert _x509.rsa_public_numbers(der) == (full['key_type'] == 'rsa' and _priv_numbers(_priv) or None)


def _priv_numbers(priv):
    nums = priv.public_key().public_numbers()
    return nums.n, nums.e


def test_rsa_public_numbers(pki):
    der, _cert, priv = pki.issue('rsa2048')
    assert _x509.rsa_public_numbers(der) == _priv_numbers(priv)
    der, _cert, _priv = pki.issue('p256')
    assert _x509.rsa_public_numbers(der) is None
    assert _x509.rsa_public_numbers(b'\x30\x00') is None


def test_garbage_certificate_is_described_not_raised():
    info = _x509.describe(b'\x30\x03\x02\x01\x00')
    assert info['key_type'] is None and 'could not be parsed' in info['analysis']


@pytest.mark.parametrize('sans,name,match', [
    (['localhost', '127.0.0.1'], 'localhost', True),
    (['localhost', '127.0.0.1'], 'LOCALHOST.', True),
    (['localhost', '127.0.0.1'], '127.0.0.1', True),
    (['localhost'], '127.0.0.1', False),
    (['127.0.0.1'], '127.0.0.2', False),
    (['*.example.net'], 'api.example.net', True),
    (['*.example.net'], 'a.b.example.net', False),
    (['*.example.net'], 'example.net', False),
    (['*.net'], 'example.net', False),
    (['2001:db8::1'], '2001:DB8:0::1', True),
    (['api.example.net'], 'api.example.org', False),
    ([], 'localhost', False),
    (['localhost'], None, False),
])
def test_match_hostname(sans, name, match):
    assert _x509.match_hostname(sans, name) is match


@pytest.mark.parametrize('key,kwargs,name,use_ca,expect', [
    ('rsa2048', {}, 'localhost', True, dict(trusted=True, hostname_match=True, error=None)),
    ('rsa2048', {}, '127.0.0.1', True, dict(trusted=True, hostname_match=True, error=None)),
    ('p256', {}, 'localhost', True, dict(trusted=True, hostname_match=True)),
    ('rsa2048', {}, 'api.example.net', True, dict(trusted=True, hostname_match=False, error='does not cover api.example.net')),
    ('rsa2048', {}, 'localhost', False, dict(trusted=False, hostname_match=True, error='path validation failed')),
    ('rsa2048', dict(start=-400), 'localhost', True, dict(trusted=False, error='path validation failed')),
    ('rsa2048', dict(self_signed=True), 'localhost', True, dict(trusted=False, hostname_match=True)),
    ('rsa2048', dict(hash_cls=hashes.SHA384), 'localhost', True, dict(trusted=True)),
    ('rsa2048', dict(sans=()), 'localhost', True, dict(trusted=False, hostname_match=False, error='no subjectAltName')),
])
def test_validate(pki, key, kwargs, name, use_ca, expect):
    if not _x509.HAS_VERIFIER:
        pytest.skip('cryptography < 42 has no x509 verifier')
    der, _cert, _priv = pki.issue(key, **kwargs)
    out = _x509.validate([der], name, (pki.ca_file,) if use_ca else ())
    for field, value in expect.items():
        if field == 'error' and value:
            assert value in (out['error'] or ''), out
        else:
            assert out[field] == value, out


def test_validate_with_intermediate_and_empty_chain(pki, tmp_path):
    if not _x509.HAS_VERIFIER:
        pytest.skip('cryptography < 42 has no x509 verifier')
    assert _x509.validate([], 'localhost')['error'] == 'the server sent no certificate'
    out = _x509.validate([pki.issue('rsa2048')[0]], 'localhost', (str(tmp_path / 'missing.pem'),))
    assert 'cannot read CA file' in out['error']


def test_ocsp_summary(pki):
    der, cert, _priv = pki.issue('rsa2048')
    builder = ocsp.OCSPResponseBuilder().add_response(
        cert=cert, issuer=pki.cert, algorithm=hashes.SHA256(), cert_status=ocsp.OCSPCertStatus.GOOD, this_update=NOW,
        next_update=NOW + datetime.timedelta(days=1), revocation_time=None, revocation_reason=None,
    ).responder_id(ocsp.OCSPResponderEncoding.HASH, pki.cert)
    response = builder.sign(pki.key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)
    assert _x509.ocsp_summary(response) == 'successful/good'
    assert _x509.ocsp_summary(None) is None
    assert _x509.ocsp_summary(b'\x30\x03\x0a\x01\x01') == 'malformed_request'
    assert _x509.ocsp_summary(b'junk').startswith('unreadable OCSP response')
