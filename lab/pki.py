# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Throw-away PKI for the lab, made with ``cryptography`` at setup time (no key is ever committed).

    ca = CA('/tmp/x/pki')                       # RSA-2048 root, SHA-256, 10 years
    good = ca.issue('nginx-good')               # RSA-2048 leaf, SAN localhost + 127.0.0.1, 90 days
    ec = ca.issue('ec', key_type='ec', curve='secp256r1')
    weak = ca.issue('weak', key_size=1024, days=800)   # (cryptography >= 45 cannot sign with SHA-1: see lab/tls_servers.py)
    client = ca.issue('compute1', client=True, server=False)
    good.cert, good.key, good.chain (leaf + CA), good.bundle (key + leaf + CA, for haproxy)
"""

from __future__ import absolute_import, division, print_function

import datetime
import ipaddress
import os

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

_CURVES = {'secp256r1': ec.SECP256R1, 'prime256v1': ec.SECP256R1, 'secp384r1': ec.SECP384R1, 'secp521r1': ec.SECP521R1}
_HASHES = {'sha256': hashes.SHA256, 'sha384': hashes.SHA384, 'sha512': hashes.SHA512, 'sha1': hashes.SHA1}


def _key(key_type='rsa', key_size=2048, curve='secp256r1'):
    if key_type == 'rsa':
        return rsa.generate_private_key(public_exponent=65537, key_size=key_size)
    if key_type == 'ec':
        return ec.generate_private_key(_CURVES[curve]())
    raise ValueError('unknown key type %r' % key_type)


def _pem_key(key):
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption())


def _name(common_name, org='SCS Lab'):
    return x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, org), x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _sans(names):
    out = []
    for name in names:
        try:
            out.append(x509.IPAddress(ipaddress.ip_address(name)))
        except ValueError:
            out.append(x509.DNSName(name))
    return out


class Leaf(object):
    """Paths of one issued certificate."""

    def __init__(self, name, cert, key, chain, bundle, subject):
        self.name, self.cert, self.key, self.chain, self.bundle, self.subject = name, cert, key, chain, bundle, subject


class CA(object):
    """A root CA in ``directory`` (created); ``ca.cert`` is the PEM path operators would trust."""

    def __init__(self, directory, name='SCS Lab Root CA', key_type='rsa', key_size=2048, curve='secp384r1'):
        self.directory = directory
        os.makedirs(directory, exist_ok=True)
        self._key = _key(key_type, key_size, curve)
        now = datetime.datetime.now(datetime.timezone.utc)
        self.name = _name(name)
        self._cert = (
            x509.CertificateBuilder()
            .subject_name(self.name).issuer_name(self.name)
            .public_key(self._key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(self._key.public_key()), critical=False)
            .sign(self._key, hashes.SHA256())
        )
        self.cert = os.path.join(directory, 'ca.pem')
        self.key = os.path.join(directory, 'ca.key')
        self._write(self.cert, self._cert.public_bytes(serialization.Encoding.PEM))
        self._write(self.key, _pem_key(self._key), 0o600)

    @staticmethod
    def _write(path, data, mode=0o644):
        with open(path, 'wb') as handle:
            handle.write(data)
        os.chmod(path, mode)

    def issue(self, name, sans=('localhost', '127.0.0.1'), key_type='rsa', key_size=2048, curve='secp256r1',
              days=90, hash_name='sha256', valid_from_days=-1, server=True, client=False, self_signed=False,
              common_name=None, org='SCS Lab'):
        """Issue a leaf; ``valid_from_days`` < 0 means already valid (negative days ago)."""
        key = _key(key_type, key_size, curve)
        now = datetime.datetime.now(datetime.timezone.utc)
        subject = _name(common_name or name, org)
        usages = []
        if server:
            usages.append(ExtendedKeyUsageOID.SERVER_AUTH)
        if client:
            usages.append(ExtendedKeyUsageOID.CLIENT_AUTH)
        not_before = now + datetime.timedelta(days=valid_from_days)
        builder = (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(subject if self_signed else self.name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(not_before)
            .not_valid_after(not_before + datetime.timedelta(days=days))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        )
        builder = builder.add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        if not self_signed:
            # Without an Authority Key Identifier the WebPKI verifier of cryptography (used by sslyze) rejects the chain.
            builder = builder.add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(self._key.public_key()), critical=False)
        if sans:
            builder = builder.add_extension(x509.SubjectAlternativeName(_sans(sans)), critical=False)
        if usages:
            builder = builder.add_extension(x509.ExtendedKeyUsage(usages), critical=False)
        cert = builder.sign(key if self_signed else self._key, _HASHES[hash_name]())
        base = os.path.join(self.directory, name)
        cert_pem = cert.public_bytes(serialization.Encoding.PEM)
        ca_pem = b'' if self_signed else self._cert.public_bytes(serialization.Encoding.PEM)
        paths = dict(cert=base + '.pem', key=base + '.key', chain=base + '.chain.pem', bundle=base + '.bundle.pem')
        self._write(paths['cert'], cert_pem)
        self._write(paths['key'], _pem_key(key), 0o600)
        self._write(paths['chain'], cert_pem + ca_pem)
        self._write(paths['bundle'], _pem_key(key) + cert_pem + ca_pem, 0o600)
        return Leaf(name, subject=subject.rfc4514_string(), **paths)
