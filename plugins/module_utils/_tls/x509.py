# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Certificate analysis for the TLS prober.

``describe(der)`` turns one DER certificate into the fields the endpoint result carries (names as
in the Mozilla guidelines: curves ``prime256v1`` / ``secp384r1``, signatures
``sha256WithRSAEncryption`` / ``ecdsa-with-SHA256``). With ``cryptography`` it uses that library;
without it a small DER reader extracts the same core fields (say so in ``analysis``).

``validate(chain, subject, ca_files)`` does path validation the way sslyze 6 does it: the
``cryptography.x509.verification`` server verifier (WebPKI rules: SHA-1 and short keys rejected,
SAN required, EKU serverAuth, validity period) against the system trust store plus ``ca_files``,
with the server name or IP as the subject. Trust and hostname are reported separately. Where the
verifier is not available it returns None and the caller falls back to a verifying handshake.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime
import hashlib
import ipaddress
import os
import threading
import warnings

from ansible_collections.scs.secure_connections.plugins.module_utils._core.optional import OptionalLibrary

_ASYMMETRIC = tuple('cryptography.hazmat.primitives.asymmetric.' + name for name in ('dsa', 'ec', 'ed448', 'ed25519', 'rsa'))
CRYPTOGRAPHY = OptionalLibrary('cryptography', 'cryptography.x509', *_ASYMMETRIC)
_cx509, _dsa, _ec, _ed448, _ed25519, _rsa = CRYPTOGRAPHY.deferred()   # imported on first use
HAS_CRYPTOGRAPHY = CRYPTOGRAPHY.flag()

VERIFIER = OptionalLibrary('cryptography>=42', 'cryptography.x509.verification')
_verification, = VERIFIER.deferred()
HAS_VERIFIER = VERIFIER.flag()

# Curve names: Mozilla guidelines use the ANSI X9.62 names for the two prime curves.
CURVE_ALIASES = {'secp256r1': 'prime256v1', 'secp192r1': 'prime192v1'}

SIGNATURE_OIDS = {
    '1.2.840.113549.1.1.2': 'md2WithRSAEncryption',
    '1.2.840.113549.1.1.4': 'md5WithRSAEncryption',
    '1.2.840.113549.1.1.5': 'sha1WithRSAEncryption',
    '1.2.840.113549.1.1.14': 'sha224WithRSAEncryption',
    '1.2.840.113549.1.1.11': 'sha256WithRSAEncryption',
    '1.2.840.113549.1.1.12': 'sha384WithRSAEncryption',
    '1.2.840.113549.1.1.13': 'sha512WithRSAEncryption',
    '1.2.840.113549.1.1.10': 'RSASSA-PSS',
    '1.2.840.10045.4.1': 'ecdsa-with-SHA1',
    '1.2.840.10045.4.3.1': 'ecdsa-with-SHA224',
    '1.2.840.10045.4.3.2': 'ecdsa-with-SHA256',
    '1.2.840.10045.4.3.3': 'ecdsa-with-SHA384',
    '1.2.840.10045.4.3.4': 'ecdsa-with-SHA512',
    '1.3.101.112': 'ed25519',
    '1.3.101.113': 'ed448',
    '1.2.840.10040.4.3': 'dsa-with-sha1',
    '2.16.840.1.101.3.4.3.1': 'dsa-with-sha224',
    '2.16.840.1.101.3.4.3.2': 'dsa-with-sha256',
}

CURVE_OIDS = {
    '1.2.840.10045.3.1.7': 'prime256v1', '1.3.132.0.34': 'secp384r1', '1.3.132.0.35': 'secp521r1',
    '1.3.132.0.33': 'secp224r1', '1.2.840.10045.3.1.1': 'prime192v1', '1.3.132.0.10': 'secp256k1',
    '1.3.36.3.3.2.8.1.1.7': 'brainpoolP256r1', '1.3.36.3.3.2.8.1.1.11': 'brainpoolP384r1',
    '1.3.36.3.3.2.8.1.1.13': 'brainpoolP512r1',
}
CURVE_BITS = {'prime256v1': 256, 'secp384r1': 384, 'secp521r1': 521, 'secp224r1': 224, 'prime192v1': 192, 'secp256k1': 256,
              'brainpoolP256r1': 256, 'brainpoolP384r1': 384, 'brainpoolP512r1': 512}

KEY_OIDS = {
    '1.2.840.113549.1.1.1': 'rsa', '1.2.840.113549.1.1.10': 'rsa', '1.2.840.10045.2.1': 'ecdsa', '1.3.101.112': 'ed25519',
    '1.3.101.113': 'ed448', '1.2.840.10040.4.1': 'dsa',
}

NAME_OIDS = {
    '2.5.4.3': 'CN', '2.5.4.6': 'C', '2.5.4.7': 'L', '2.5.4.8': 'ST', '2.5.4.9': 'STREET', '2.5.4.10': 'O', '2.5.4.11': 'OU',
    '0.9.2342.19200300.100.1.25': 'DC', '0.9.2342.19200300.100.1.1': 'UID',
}


def _iso(dt):
    return dt.strftime('%Y-%m-%dT%H:%M:%SZ')


def _utcnow():
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)


def _finish(info, now):
    """Derived fields common to both parsers (``not_before``/``not_after`` are naive UTC datetimes here)."""
    nb, na = info.pop('_nb'), info.pop('_na')
    now = now or _utcnow()
    info['not_before'] = _iso(nb)
    info['not_after'] = _iso(na)
    info['lifespan_days'] = (na - nb).days
    info['expired'] = now > na
    info['not_yet_valid'] = now < nb
    info['days_left'] = (na - now).days
    return info


# --------------------------------------------------------------------------------------------
# With cryptography
# --------------------------------------------------------------------------------------------

def _oid_name(oid):
    return SIGNATURE_OIDS.get(oid.dotted_string) or getattr(oid, '_name', None) or oid.dotted_string


def _describe_cryptography(der, now):
    cert = _cx509.load_der_x509_certificate(der)
    key = cert.public_key()
    info = {'key_type': 'unknown', 'key_size': None, 'curve': None}
    if isinstance(key, _rsa.RSAPublicKey):
        info.update(key_type='rsa', key_size=key.key_size)
    elif isinstance(key, _ec.EllipticCurvePublicKey):
        info.update(key_type='ecdsa', key_size=key.curve.key_size, curve=CURVE_ALIASES.get(key.curve.name, key.curve.name))
    elif isinstance(key, _ed25519.Ed25519PublicKey):
        info.update(key_type='ed25519', key_size=256)
    elif isinstance(key, _ed448.Ed448PublicKey):
        info.update(key_type='ed448', key_size=456)
    elif isinstance(key, _dsa.DSAPublicKey):
        info.update(key_type='dsa', key_size=key.key_size)
    else:
        info['key_type'] = type(key).__name__
    sans, must_staple, is_ca = [], False, False
    try:
        ext = cert.extensions.get_extension_for_class(_cx509.SubjectAlternativeName).value
        sans = [str(v) for v in ext.get_values_for_type(_cx509.DNSName)] + [str(v) for v in ext.get_values_for_type(_cx509.IPAddress)]
    except _cx509.ExtensionNotFound:
        pass
    except ValueError:
        sans = []
    try:
        is_ca = bool(cert.extensions.get_extension_for_class(_cx509.BasicConstraints).value.ca)
    except (_cx509.ExtensionNotFound, ValueError):
        pass
    try:
        feature = cert.extensions.get_extension_for_class(_cx509.TLSFeature).value
        must_staple = any(f == _cx509.TLSFeatureType.status_request for f in feature)
    except (_cx509.ExtensionNotFound, ValueError):
        pass
    try:
        subject, issuer = cert.subject.rfc4514_string(), cert.issuer.rfc4514_string()
    except ValueError as exc:
        subject = issuer = 'unparsable name: %s' % exc
    nb = getattr(cert, 'not_valid_before_utc', None)
    na = getattr(cert, 'not_valid_after_utc', None)
    nb = nb.replace(tzinfo=None) if nb is not None else cert.not_valid_before
    na = na.replace(tzinfo=None) if na is not None else cert.not_valid_after
    info.update({
        'subject': subject, 'issuer': issuer, 'serial': format(cert.serial_number, 'x'),
        'signature_algorithm': _oid_name(cert.signature_algorithm_oid), 'sans': sans, 'is_ca': is_ca,
        'self_signed': cert.subject == cert.issuer, 'ocsp_must_staple': must_staple, '_nb': nb, '_na': na,
    })
    return _finish(info, now)


# --------------------------------------------------------------------------------------------
# Without cryptography: a small DER reader for the fields above
# --------------------------------------------------------------------------------------------

def _der_item(data, pos):
    """(tag, content start, content end) of the DER item at ``pos``."""
    if pos + 2 > len(data):
        raise ValueError('truncated DER')
    tag = data[pos]
    length = data[pos + 1]
    pos += 2
    if length & 0x80:
        count = length & 0x7F
        if count == 0 or count > 4 or pos + count > len(data):
            raise ValueError('bad DER length')
        length = int.from_bytes(data[pos:pos + count], 'big')
        pos += count
    if pos + length > len(data):
        raise ValueError('truncated DER content')
    return tag, pos, pos + length


def _der_children(data, start, end):
    out = []
    pos = start
    while pos < end:
        tag, cstart, cend = _der_item(data, pos)
        out.append((tag, cstart, cend))
        pos = cend
    return out


def _der_oid(raw):
    first = raw[0]
    parts = [first // 40 if first < 80 else 2, first % 40 if first < 80 else first - 80]
    value = 0
    for byte in raw[1:]:
        value = (value << 7) | (byte & 0x7F)
        if not byte & 0x80:
            parts.append(value)
            value = 0
    return '.'.join(str(p) for p in parts)


def _der_time(tag, raw):
    text = raw.decode('ascii')
    if tag == 0x17:  # UTCTime YYMMDDHHMMSSZ
        year = int(text[:2])
        text = ('19' if year >= 50 else '20') + text
    return datetime.datetime.strptime(text[:14], '%Y%m%d%H%M%S')


def _der_name(data, start, end):
    parts = []
    for _tag, s, e in _der_children(data, start, end):  # RDN sets
        for _t2, s2, e2 in _der_children(data, s, e):  # AttributeTypeAndValue
            kids = _der_children(data, s2, e2)
            oid = _der_oid(data[kids[0][1]:kids[0][2]])
            value = data[kids[1][1]:kids[1][2]]
            try:
                text = value.decode('utf-16-be') if kids[1][0] == 0x1E else value.decode('utf-8')
            except UnicodeDecodeError:
                text = value.hex()
            parts.append('%s=%s' % (NAME_OIDS.get(oid, oid), text.replace(',', '\\,')))
    return ','.join(reversed(parts))


def _describe_der(der, now):
    _tag, s, e = _der_item(der, 0)
    cert_parts = _der_children(der, s, e)
    tbs = _der_children(der, cert_parts[0][1], cert_parts[0][2])
    idx = 1 if tbs[0][0] == 0xA0 else 0
    serial = int.from_bytes(der[tbs[idx][1]:tbs[idx][2]], 'big')
    sig_alg = _der_children(der, cert_parts[1][1], cert_parts[1][2])
    sig_oid = _der_oid(der[sig_alg[0][1]:sig_alg[0][2]])
    issuer = _der_name(der, tbs[idx + 2][1], tbs[idx + 2][2])
    validity = _der_children(der, tbs[idx + 3][1], tbs[idx + 3][2])
    nb = _der_time(validity[0][0], der[validity[0][1]:validity[0][2]])
    na = _der_time(validity[1][0], der[validity[1][1]:validity[1][2]])
    subject = _der_name(der, tbs[idx + 4][1], tbs[idx + 4][2])
    spki = _der_children(der, tbs[idx + 5][1], tbs[idx + 5][2])
    alg = _der_children(der, spki[0][1], spki[0][2])
    key_oid = _der_oid(der[alg[0][1]:alg[0][2]])
    info = {'key_type': KEY_OIDS.get(key_oid, key_oid), 'key_size': None, 'curve': None}
    bits = der[spki[1][1] + 1:spki[1][2]]
    if info['key_type'] == 'rsa':
        _t, ks, ke = _der_item(bits, 0)
        mod = _der_children(bits, ks, ke)[0]
        info['key_size'] = int.from_bytes(bits[mod[1]:mod[2]], 'big').bit_length()
    elif info['key_type'] == 'ecdsa' and len(alg) > 1 and alg[1][0] == 0x06:
        curve = _der_oid(der[alg[1][1]:alg[1][2]])
        info['curve'] = CURVE_OIDS.get(curve, curve)
        info['key_size'] = CURVE_BITS.get(info['curve'])
    elif info['key_type'] == 'ed25519':
        info['key_size'] = 256
    elif info['key_type'] == 'ed448':
        info['key_size'] = 456
    sans, is_ca = [], False
    for tag, xs, xe in tbs[idx + 6:]:
        if tag != 0xA3:
            continue
        exts = _der_children(der, xs, xe)
        for _t, es, ee in _der_children(der, exts[0][1], exts[0][2]):
            kids = _der_children(der, es, ee)
            oid = _der_oid(der[kids[0][1]:kids[0][2]])
            value = kids[-1]
            if oid == '2.5.29.17':
                _t, vs, ve = _der_item(der, value[1])
                for ntag, ns, ne in _der_children(der, vs, ve):
                    if ntag == 0x82:
                        sans.append(der[ns:ne].decode('ascii', 'replace'))
                    elif ntag == 0x87:
                        try:
                            sans.append(str(ipaddress.ip_address(der[ns:ne])))
                        except ValueError:
                            pass
            elif oid == '2.5.29.19':
                _t, vs, ve = _der_item(der, value[1])
                is_ca = any(t == 0x01 and der[s2:e2] != b'\x00' for t, s2, e2 in _der_children(der, vs, ve))
    info.update({
        'subject': subject, 'issuer': issuer, 'serial': format(serial, 'x'), 'signature_algorithm': SIGNATURE_OIDS.get(sig_oid, sig_oid),
        'sans': sans, 'is_ca': is_ca, 'self_signed': subject == issuer, 'ocsp_must_staple': None, '_nb': nb, '_na': na,
    })
    return _finish(info, now)


def describe(der, now=None):
    """Fields of one DER certificate for the endpoint result (never raises: errors go to ``analysis``)."""
    base = {'sha256': hashlib.sha256(der).hexdigest()}
    try:
        if HAS_CRYPTOGRAPHY:
            base.update(_describe_cryptography(der, now))
            base['analysis'] = 'cryptography'
        else:
            base.update(_describe_der(der, now))
            base['analysis'] = 'builtin DER reader (python cryptography not installed: names and extensions are limited)'
    # a malformed certificate is evidence, not a crash
    except Exception as exc:  # pylint: disable=broad-except
        base.update({'subject': None, 'issuer': None, 'serial': None, 'key_type': None, 'key_size': None, 'curve': None,
                     'signature_algorithm': None, 'not_before': None, 'not_after': None, 'lifespan_days': None,
                     'expired': None, 'sans': [], 'analysis': 'certificate could not be parsed: %s' % exc})
    return base


def rsa_public_numbers(der):
    """(modulus, exponent) of an RSA certificate key, or None (used by the ROBOT check)."""
    try:
        if HAS_CRYPTOGRAPHY:
            key = _cx509.load_der_x509_certificate(der).public_key()
            if isinstance(key, _rsa.RSAPublicKey):
                nums = key.public_numbers()
                return nums.n, nums.e
            return None
        _tag, s, e = _der_item(der, 0)
        cert_parts = _der_children(der, s, e)
        tbs = _der_children(der, cert_parts[0][1], cert_parts[0][2])
        idx = 1 if tbs[0][0] == 0xA0 else 0
        spki = _der_children(der, tbs[idx + 5][1], tbs[idx + 5][2])
        alg = _der_children(der, spki[0][1], spki[0][2])
        if KEY_OIDS.get(_der_oid(der[alg[0][1]:alg[0][2]])) != 'rsa':
            return None
        bits = der[spki[1][1] + 1:spki[1][2]]
        _t, ks, ke = _der_item(bits, 0)
        mod, exp = _der_children(bits, ks, ke)[:2]
        return int.from_bytes(bits[mod[1]:mod[2]], 'big'), int.from_bytes(bits[exp[1]:exp[2]], 'big')
    except Exception:  # pylint: disable=broad-except
        return None


# --------------------------------------------------------------------------------------------
# Hostname matching (RFC 6125 as browsers do it: SAN only, wildcard in the leftmost label only)
# --------------------------------------------------------------------------------------------

def _is_ip(name):
    try:
        ipaddress.ip_address(name)
        return True
    except ValueError:
        return False


def match_hostname(sans, name):
    """True if ``name`` (DNS name or IP address) is covered by the SAN list ``sans``."""
    if not name:
        return False
    if _is_ip(name):
        target = ipaddress.ip_address(name)
        for san in sans:
            try:
                if ipaddress.ip_address(san) == target:
                    return True
            except ValueError:
                continue
        return False
    name = name.rstrip('.').lower()
    for san in sans:
        if _is_ip(san):
            continue
        pattern = san.rstrip('.').lower()
        if pattern == name:
            return True
        if pattern.startswith('*.') and '.' in name:
            head, tail = name.split('.', 1)
            if head and tail == pattern[2:] and pattern.count('.') >= 2:
                return True
    return False


# --------------------------------------------------------------------------------------------
# Trust stores and path validation
# --------------------------------------------------------------------------------------------

_STORE_LOCK = threading.Lock()
_STORE_CACHE = {}

_SYSTEM_BUNDLES = ('/etc/ssl/certs/ca-certificates.crt', '/etc/pki/tls/certs/ca-bundle.crt', '/etc/ssl/ca-bundle.pem',
                   '/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem', '/etc/ssl/cert.pem')


def system_bundle():
    """Path of the system CA bundle (what OpenSSL uses by default), or None."""
    for candidate in (os.environ.get('SSL_CERT_FILE'),) + _SYSTEM_BUNDLES:
        if candidate and os.path.isfile(candidate):
            return candidate
    # imported only here: the ssl module costs memory that most scans need not pay
    import ssl  # pylint: disable=import-outside-toplevel
    paths = ssl.get_default_verify_paths()
    for candidate in (paths.cafile, paths.openssl_cafile):
        if candidate and os.path.isfile(candidate):
            return candidate
    return None


def _load_pems(path):
    with open(path, 'rb') as handle:
        data = handle.read()
    with warnings.catch_warnings():
        # system bundles hold a few old roots cryptography warns about (e.g. non-positive serials)
        warnings.simplefilter('ignore')
        return _parse_pems(data)


def _parse_pems(data):
    if hasattr(_cx509, 'load_pem_x509_certificates'):
        try:
            return list(_cx509.load_pem_x509_certificates(data))
        except ValueError:
            pass
    out = []
    marker = b'-----END CERTIFICATE-----'
    for block in data.split(marker):
        if b'-----BEGIN CERTIFICATE-----' in block:
            try:
                out.append(_cx509.load_pem_x509_certificate(block[block.index(b'-----BEGIN'):] + marker))
            except ValueError:
                continue
    return out


def trust_store(ca_files=()):
    """(cryptography Store, description, errors) for the system bundle plus ``ca_files``; cached."""
    key = []
    for path in ca_files or ():
        try:
            stat = os.stat(path)
            key.append((path, stat.st_mtime, stat.st_size))
        except OSError:
            key.append((path, None, None))
    key = tuple(key)
    with _STORE_LOCK:
        if key in _STORE_CACHE:
            return _STORE_CACHE[key]
        anchors, errors, sources = [], [], []
        bundle = system_bundle()
        if bundle:
            try:
                anchors.extend(_load_pems(bundle))
                sources.append(bundle)
            except (IOError, OSError) as exc:
                errors.append('cannot read system CA bundle %s: %s' % (bundle, exc))
        for path, _mtime, _size in key:
            try:
                loaded = _load_pems(path)
            except (IOError, OSError) as exc:
                errors.append('cannot read CA file %s: %s' % (path, exc))
                continue
            if not loaded:
                errors.append('CA file %s holds no PEM certificate' % path)
            anchors.extend(loaded)
            sources.append(path)
        store = _verification.Store(anchors) if anchors else None
        _STORE_CACHE[key] = (store, sources, errors)
        return _STORE_CACHE[key]


def _subject(name):
    if _is_ip(name):
        return _cx509.IPAddress(ipaddress.ip_address(name))
    return _cx509.DNSName(name)


def _verify(store, subject_name, leaf, intermediates, now):
    builder = _verification.PolicyBuilder().store(store).time(now)
    verifier = builder.build_server_verifier(_subject(subject_name))
    return verifier.verify(leaf, intermediates)


def validate(chain, subject_name, ca_files=(), now=None):
    """Path validation of ``chain`` (DER list, leaf first) for ``subject_name``.

    Returns ``{trusted, hostname_match, error, trust_sources}`` or None when this cryptography has
    no verifier (the caller then validates with a verifying handshake).
    """
    if not chain:
        return {'trusted': False, 'hostname_match': False, 'error': 'the server sent no certificate', 'trust_sources': []}
    if not (HAS_CRYPTOGRAPHY and HAS_VERIFIER):
        return None
    now = now or datetime.datetime.now(datetime.timezone.utc)
    store, sources, errors = trust_store(ca_files)
    try:
        leaf = _cx509.load_der_x509_certificate(chain[0])
        intermediates = [_cx509.load_der_x509_certificate(d) for d in chain[1:]]
    except ValueError as exc:
        return {'trusted': False, 'hostname_match': None, 'error': 'certificate could not be parsed: %s' % exc, 'trust_sources': sources}
    sans = describe(chain[0]).get('sans') or []
    hostname_ok = match_hostname(sans, subject_name) if subject_name else None
    result = {'trusted': False, 'hostname_match': hostname_ok, 'error': None, 'trust_sources': sources}
    if store is None:
        result['error'] = 'no trust anchors available (%s)' % ('; '.join(errors) or 'no system CA bundle and no ca_files')
        return result
    # The verifier checks trust and name together; to tell them apart, verify for the asked name
    # and, if the name does not match, for a name the certificate does carry.
    candidates = [subject_name] if hostname_ok else []
    candidates += [s for s in sans if s != subject_name][:1]
    if not candidates:
        result['error'] = 'the certificate has no subjectAltName (required for path validation)'
        return result
    last_error = None
    for name in candidates:
        try:
            _verify(store, name, leaf, intermediates, now)
            result['trusted'] = True
            break
        except _verification.VerificationError as exc:
            last_error = str(exc.args[0] if exc.args else exc)
        except ValueError as exc:
            last_error = str(exc)
    if not result['trusted']:
        result['error'] = 'path validation failed: %s' % last_error
    elif hostname_ok is False:
        result['error'] = 'the certificate does not cover %s (subjectAltName: %s)' % (subject_name, ', '.join(sans) or 'none')
    if errors:
        result['error'] = '; '.join(([result['error']] if result['error'] else []) + errors)
    return result


def ocsp_summary(der):
    """Status of a stapled OCSP response ('successful/good', ...) or None if it cannot be read."""
    if not der:
        return None
    if not HAS_CRYPTOGRAPHY:
        return 'stapled (not analysed: python cryptography not installed)'
    try:
        from cryptography.x509 import ocsp  # pylint: disable=import-outside-toplevel
        resp = ocsp.load_der_ocsp_response(der)
        status = resp.response_status.name.lower()
        if status == 'successful':
            return '%s/%s' % (status, resp.certificate_status.name.lower())
        return status
    except Exception as exc:  # pylint: disable=broad-except
        return 'unreadable OCSP response: %s' % exc
