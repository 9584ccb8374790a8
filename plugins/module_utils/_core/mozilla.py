# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Mozilla server side TLS profile evaluation of one endpoint result.

``evaluate(endpoint_result, guidelines, level)`` returns the ``mozilla`` block of the endpoint
result. The criteria and their semantics are those of sslyze 6.3.1's
``mozilla_tls_profile/tls_config_checker.py``: every "what the server accepts" criterion passes
when *accepted minus allowed* is empty (a server offering a subset of the profile passes), the
certificate criteria look at every leaf the server showed, and the vulnerability checks sslyze
adds (path validation, compression, renegotiation, fallback SCSV, EMS, Heartbleed, CCS
injection, ROBOT) fail the same way. Differences, all documented in docs/tls.md:

* curves: every group the server accepts counts, also TLS 1.3 FFDHE and hybrid groups (sslyze
  cannot see them), and the smallest ECDH size is taken over all accepted curves;
* path validation, hostname and expiry are three items (sslyze reports one);
* HSTS, OCSP stapling, server cipher order and the recommended lifespan are ``info`` items that
  never change the verdict (sslyze does not check them; HSTS is disabled in sslyze too).

``compliant`` is False if any item fails, None if the endpoint could not be scanned or a
criterion could not be determined, True otherwise.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

VERSION_ORDER = ('SSLv2', 'SSLv3', 'TLSv1.0', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3')
# Mozilla writes TLS 1.0 as "TLSv1"; results use "TLSv1.0".
_VERSION_ALIASES = {'TLSv1': 'TLSv1.0', 'TLSv1.0': 'TLSv1.0', 'SSLv2': 'SSLv2', 'SSLv3': 'SSLv3', 'TLSv1.1': 'TLSv1.1',
                    'TLSv1.2': 'TLSv1.2', 'TLSv1.3': 'TLSv1.3'}
# Curve / group names: ANSI X9.62 and SECG names of the same curve are one curve.
_GROUP_ALIASES = {'secp256r1': 'prime256v1', 'p-256': 'prime256v1', 'secp192r1': 'prime192v1', 'p-384': 'secp384r1',
                  'p-521': 'secp521r1', 'x25519': 'X25519', 'x448': 'X448'}

VULNERABILITY_CRITERIA = (
    # key, criterion, bad value, message when bad, message when good
    ('compression', 'tls_vulnerability_compression', True, 'TLS compression is enabled (CRIME)', 'TLS compression is disabled'),
    ('secure_renegotiation', 'tls_vulnerability_renegotiation', False, 'secure renegotiation (RFC 5746) is not supported',
     'secure renegotiation is supported'),
    ('fallback_scsv', 'tls_vulnerability_fallback_scsv', False, 'TLS_FALLBACK_SCSV is not honoured: protocol downgrades are possible',
     'downgrades with TLS_FALLBACK_SCSV are refused'),
    ('extended_master_secret', 'tls_vulnerability_extended_master_secret', False, 'the extended master secret extension is not supported',
     'extended master secret is supported'),
    ('heartbleed', 'tls_vulnerability_heartbleed', True, 'the server is vulnerable to Heartbleed', 'not vulnerable to Heartbleed'),
    ('ccs_injection', 'tls_vulnerability_ccs_injection', True, 'the server is vulnerable to OpenSSL CCS injection', 'not vulnerable to CCS injection'),
    ('robot', 'tls_vulnerability_robot', True, 'the server is vulnerable to ROBOT (strong Bleichenbacher oracle)', 'not vulnerable to ROBOT'),
)


class GuidelinesError(ValueError):
    """The guidelines document or level cannot be used."""


def canonical_version(name):
    return _VERSION_ALIASES.get(name, name)


def canonical_group(name):
    if not isinstance(name, str):
        return name
    return _GROUP_ALIASES.get(name.lower(), name)


def profile(guidelines, level):
    """The configuration dict of ``level``; raises GuidelinesError with a clear message."""
    if not isinstance(guidelines, dict) or not isinstance(guidelines.get('configurations'), dict):
        raise GuidelinesError('the Mozilla guidelines document has no "configurations"')
    conf = guidelines['configurations'].get(level)
    if not isinstance(conf, dict):
        raise GuidelinesError('the Mozilla guidelines %s have no level %r (levels: %s)' % (
            guidelines.get('version'), level, ', '.join(sorted(guidelines['configurations']))))
    return conf


def _fmt(values):
    values = list(values)
    return ', '.join(str(v) for v in values) if values else 'none'


def _item(criterion, expected, observed, result, message):
    return {'criterion': criterion, 'expected': expected, 'observed': observed, 'result': result, 'message': message}


def _subset_item(criterion, what, observed, allowed, level, display_allowed=None):
    bad = [o for o in observed if o not in allowed]
    expected = list(display_allowed if display_allowed is not None else allowed)
    if bad:
        return _item(criterion, expected, list(observed), 'fail', '%s %s accepted; the %s profile allows only %s' % (
            what, _fmt(bad), level, _fmt(expected)))
    return _item(criterion, expected, list(observed), 'pass', 'all accepted %s (%s) are allowed by the %s profile' % (
        what, _fmt(observed), level))


def _leaves(result):
    deployments = result.get('certificate_deployments') or []
    if deployments:
        out = []
        for dep in deployments:
            certs = dep.get('certificates') or []
            if certs:
                out.append((certs[0], dep.get('validation') or {}, dep.get('source')))
        return out
    certs = result.get('certificates') or []
    if certs:
        return [(certs[0], result.get('certificate_validation') or {}, 'default')]
    return []


def _certificate_items(result, conf, level):
    items = []
    leaves = _leaves(result)
    if not leaves:
        for criterion in ('certificate_types', 'certificate_signatures', 'certificate_path_validation'):
            items.append(_item(criterion, None, None, 'fail', 'the server sent no certificate'))
        return items
    return _certificate_profile_items(leaves, conf, level) + _certificate_validity_items(result, leaves, conf)


def _certificate_profile_items(leaves, conf, level):
    """The profile's certificate criteria: key type, curve, RSA size, lifespan, signature."""
    items = []
    unknown = [leaf for leaf, _v, _s in leaves if not leaf.get('key_type')]
    types = [leaf.get('key_type') for leaf, _v, _s in leaves]
    allowed_types = list(conf.get('certificate_types') or [])
    if any(t in allowed_types for t in types):
        items.append(_item('certificate_types', allowed_types, types, 'pass', 'certificate key type %s is allowed' % _fmt(types)))
    elif unknown:
        items.append(_item('certificate_types', allowed_types, types, 'info', 'certificate key type could not be determined'))
    else:
        items.append(_item('certificate_types', allowed_types, types, 'fail', 'certificate key type %s; the %s profile needs one of %s' % (
            _fmt(types), level, _fmt(allowed_types))))

    curves = [leaf.get('curve') for leaf, _v, _s in leaves if leaf.get('key_type') == 'ecdsa']
    allowed_curves = [canonical_group(c) for c in conf.get('certificate_curves') or []]
    bad = [c for c in curves if canonical_group(c) not in allowed_curves]
    if bad:
        items.append(_item('certificate_curves', allowed_curves, curves, 'fail', 'certificate curve %s; the %s profile allows %s' % (
            _fmt(bad), level, _fmt(allowed_curves))))
    else:
        items.append(_item('certificate_curves', allowed_curves, curves, 'pass',
                           'certificate curve %s is allowed' % _fmt(curves) if curves else 'no ECDSA certificate'))

    minimum = conf.get('rsa_key_size')
    sizes = [leaf.get('key_size') for leaf, _v, _s in leaves if leaf.get('key_type') == 'rsa']
    small = [s for s in sizes if minimum and (s or 0) < minimum]
    if small:
        items.append(_item('rsa_key_size', minimum, sizes, 'fail', 'RSA key of %s bits; the %s profile needs at least %s bits' % (
            _fmt(small), level, minimum)))
    else:
        items.append(_item('rsa_key_size', minimum, sizes, 'pass',
                           'RSA key size %s bits is sufficient' % _fmt(sizes) if sizes else 'no RSA certificate'))

    maximum = conf.get('maximum_certificate_lifespan')
    spans = [leaf.get('lifespan_days') for leaf, _v, _s in leaves]
    long_ = [s for s in spans if maximum and s is not None and s > maximum]
    if long_:
        items.append(_item('maximum_certificate_lifespan', maximum, spans, 'fail',
                           'certificate lifespan of %s days; the %s profile allows at most %s days' % (_fmt(long_), level, maximum)))
    elif any(s is None for s in spans):
        items.append(_item('maximum_certificate_lifespan', maximum, spans, 'info', 'certificate lifespan could not be determined'))
    else:
        items.append(_item('maximum_certificate_lifespan', maximum, spans, 'pass', 'certificate lifespan of %s days is within %s days' % (
            _fmt(spans), maximum)))

    sigs = [leaf.get('signature_algorithm') for leaf, _v, _s in leaves]
    allowed_sigs = list(conf.get('certificate_signatures') or [])
    if any(s in allowed_sigs for s in sigs):
        items.append(_item('certificate_signatures', allowed_sigs, sigs, 'pass', 'certificate signature %s is allowed' % _fmt(sigs)))
    elif any(s is None for s in sigs):
        items.append(_item('certificate_signatures', allowed_sigs, sigs, 'info', 'certificate signature algorithm could not be determined'))
    else:
        items.append(_item('certificate_signatures', allowed_sigs, sigs, 'fail', 'certificate signed with %s; the %s profile needs one of %s' % (
            _fmt(sigs), level, _fmt(allowed_sigs))))
    return items


def _certificate_validity_items(result, leaves, conf):
    """Beyond the profile, like sslyze: path validation, hostname, validity now, the recommended lifespan."""
    items = []
    spans = [leaf.get('lifespan_days') for leaf, _v, _s in leaves]
    # Beyond the profile, like sslyze: the chain must validate for the name we connected to.
    trusted = [v.get('trusted') for _l, v, _s in leaves]
    errors = [v.get('error') for _l, v, _s in leaves if v.get('error')]
    if all(t is True for t in trusted):
        items.append(_item('certificate_path_validation', True, trusted, 'pass', 'the certificate chain validates against the trust store'))
    elif any(t is False for t in trusted):
        items.append(_item('certificate_path_validation', True, trusted, 'fail', 'certificate path validation failed: %s' % (
            '; '.join(errors) or 'untrusted')))
    else:
        items.append(_item('certificate_path_validation', True, trusted, 'info', 'path validation could not be done: %s' % (
            '; '.join(errors) or 'unknown')))

    names = [v.get('hostname_match') for _l, v, _s in leaves]
    subject = result.get('server_name') or result.get('host')
    if all(n is True for n in names):
        items.append(_item('certificate_hostname', subject, names, 'pass', 'the certificate covers %s' % subject))
    elif any(n is False for n in names):
        sans = [leaf.get('sans') for leaf, _v, _s in leaves]
        items.append(_item('certificate_hostname', subject, names, 'fail', 'the certificate does not cover %s (subjectAltName: %s)' % (
            subject, '; '.join(_fmt(s or []) for s in sans))))
    else:
        items.append(_item('certificate_hostname', subject, names, 'info', 'hostname match could not be determined'))

    expired = [leaf.get('not_after') for leaf, _v, _s in leaves if leaf.get('expired')]
    early = [leaf.get('not_before') for leaf, _v, _s in leaves if leaf.get('not_yet_valid')]
    if expired or early:
        items.append(_item('certificate_expiry', 'valid now', [leaf.get('not_after') for leaf, _v, _s in leaves], 'fail',
                           'the certificate is %s' % ('expired since %s' % _fmt(expired) if expired else 'not valid before %s' % _fmt(early))))
    elif any(leaf.get('expired') is None for leaf, _v, _s in leaves):
        items.append(_item('certificate_expiry', 'valid now', None, 'info', 'certificate validity could not be determined'))
    else:
        items.append(_item('certificate_expiry', 'valid now', [leaf.get('not_after') for leaf, _v, _s in leaves], 'pass',
                           'the certificate is valid until %s' % _fmt(leaf.get('not_after') for leaf, _v, _s in leaves)))

    recommended = conf.get('recommended_certificate_lifespan')
    if recommended:
        over = [s for s in spans if s is not None and s > recommended]
        items.append(_item('recommended_certificate_lifespan', recommended, spans, 'info',
                           'lifespan %s days is above the recommended %s days' % (_fmt(over), recommended) if over else
                           'lifespan within the recommended %s days' % recommended))
    return items


def evaluate(endpoint_result, guidelines, level='intermediate'):
    """The ``mozilla`` block for one endpoint result.

    The one judge of a TLS probe: the rules of every channel call it at the report's level (through
    ``_rules/common.judge_probe``), ``tls_endpoint_info`` at its ``level`` option for standalone users."""
    conf = profile(guidelines, level)
    out = {'guidelines_version': guidelines.get('version'), 'level': level, 'compliant': None, 'criteria': []}
    result = endpoint_result or {}
    if result.get('status') != 'ok':
        error = result.get('error') or {}
        out['criteria'].append(_item('scan', 'scanned', error.get('kind'), 'info', 'the endpoint could not be scanned: %s' % (
            error.get('message') or 'unknown error')))
        return out

    items = out['criteria']
    items.extend(_protocol_items(result, conf, level))
    items.extend(_certificate_items(result, conf, level))
    items.extend(_security_items(result))
    items.extend(_recommendation_items(result, conf, level))

    _mark_undetermined(result, items)
    if failures(out):
        out['compliant'] = False
    else:
        out['compliant'] = None if undetermined(out) else True
    return out


def _protocol_items(result, conf, level):
    """Protocol versions, cipher suites, key exchange groups, ECDH and DH sizes against the profile."""
    items = []
    protocols = result.get('protocols') or {}
    suites = result.get('cipher_suites') or {}

    observed_versions = [v for v in VERSION_ORDER if protocols.get(v)]
    allowed_versions = [canonical_version(v) for v in conf.get('tls_versions') or []]
    items.append(_subset_item('tls_versions', 'protocol versions', observed_versions, allowed_versions, level))

    tls13 = list(suites.get('TLSv1.3') or [])
    items.append(_subset_item('ciphersuites', 'TLS 1.3 cipher suites', tls13, list(conf.get('ciphersuites') or []), level))

    legacy = []
    for version in VERSION_ORDER[:-1]:
        for name in suites.get(version) or []:
            if name not in legacy:
                legacy.append(name)
    allowed_ciphers = list((conf.get('ciphers') or {}).get('iana') or [])
    items.append(_subset_item('ciphers', 'TLS <= 1.2 cipher suites', legacy, allowed_ciphers, level))

    groups = [canonical_group(g) for g in result.get('groups') or []]
    allowed_groups = [canonical_group(g) for g in conf.get('tls_curves') or []]
    items.append(_subset_item('tls_curves', 'key exchange groups', groups, allowed_groups, level))

    ecdh_min, ecdh_req = result.get('ecdh_min_bits'), conf.get('ecdh_param_size')
    if ecdh_req and ecdh_min is not None and ecdh_min < ecdh_req:
        items.append(_item('ecdh_param_size', ecdh_req, ecdh_min, 'fail', 'smallest ECDH key is %s bits; the %s profile needs %s bits' % (
            ecdh_min, level, ecdh_req)))
    else:
        items.append(_item('ecdh_param_size', ecdh_req, ecdh_min, 'pass', 'smallest ECDH key is %s bits' % ecdh_min
                           if ecdh_min is not None else 'no ECDH key exchange'))

    dh_min, dh_req = result.get('dh_min_bits'), conf.get('dh_param_size')
    if dh_req and dh_min is not None and dh_min < dh_req:
        items.append(_item('dh_param_size', dh_req, dh_min, 'fail', 'smallest DH group is %s bits; the %s profile needs %s bits' % (
            dh_min, level, dh_req)))
    elif not dh_req:
        items.append(_item('dh_param_size', dh_req, dh_min, 'info', 'the %s profile sets no DH size (DHE suites are judged by "ciphers")' % level))
    else:
        items.append(_item('dh_param_size', dh_req, dh_min, 'pass', 'smallest DH group is %s bits' % dh_min
                           if dh_min is not None else 'no finite-field DH key exchange'))
    return items


def _security_items(result):
    """The vulnerability criteria (VULNERABILITY_CRITERIA) from the scan's security checks."""
    items = []
    security = result.get('security') or {}
    notes = security.get('notes') or {}
    for key, criterion, bad, bad_msg, good_msg in VULNERABILITY_CRITERIA:
        value = security.get(key, 'not_tested')
        expected = not bad
        if value is bad:
            items.append(_item(criterion, expected, value, 'fail', bad_msg))
        elif value is (not bad):
            items.append(_item(criterion, expected, value, 'pass', good_msg + (' (%s)' % notes[key] if notes.get(key) else '')))
        else:
            items.append(_item(criterion, expected, value, 'info', 'not tested: %s' % (notes.get(key) or 'no reason recorded')))
    return items


def _recommendation_items(result, conf, level):
    """Informational: the profile's recommendations sslyze does not enforce either (HSTS, OCSP stapling, cipher order)."""
    items = []
    if 'hsts' in result:
        hsts = result.get('hsts') or {}
        minimum = conf.get('hsts_min_age')
        age = hsts.get('max_age')
        if hsts.get('error'):
            msg = 'HSTS not checked: %s' % hsts['error']
        elif not hsts.get('header'):
            msg = 'no Strict-Transport-Security header (the profile recommends max-age >= %s)' % minimum
        elif age is None or (minimum and age < minimum):
            msg = 'HSTS max-age %s is below the recommended %s' % (age, minimum)
        else:
            msg = 'HSTS max-age %s meets the recommended %s' % (age, minimum)
        items.append(_item('hsts_min_age', minimum, age, 'info', msg))
    stapling = result.get('ocsp_stapling')
    items.append(_item('ocsp_staple', conf.get('ocsp_staple'), stapling, 'info',
                       'OCSP response stapled' if stapling else 'no stapled OCSP response (recommended by the profile, not enforced)'))
    order = result.get('server_cipher_order')
    wanted = conf.get('server_preferred_order')
    items.append(_item('server_preferred_order', wanted, order, 'info',
                       'server cipher order could not be observed' if order is None else
                       'the server %s (the %s profile recommends %s)' % (
                           'enforces its own cipher order' if order else "follows the client's cipher order", level,
                           'server order' if wanted else 'client order')))
    return items


_CERTIFICATE_CRITERIA = ('certificate_types', 'certificate_curves', 'rsa_key_size', 'maximum_certificate_lifespan',
                         'certificate_signatures', 'certificate_path_validation', 'certificate_hostname', 'certificate_expiry')
# checks the prober may leave undetermined (the result's ``undetermined`` list) -> criteria that depend on them
CHECK_CRITERIA = {
    'protocols': ('tls_versions', 'ciphers', 'ciphersuites', 'tls_curves', 'ecdh_param_size', 'dh_param_size'),
    'cipher_suites': ('ciphers', 'ciphersuites', 'ecdh_param_size', 'dh_param_size'),
    'groups': ('tls_curves', 'ecdh_param_size', 'dh_param_size'),
    'certificates': _CERTIFICATE_CRITERIA,
}


def _mark_undetermined(result, items):
    """A criterion that passed on an incomplete observation is not a pass: ``info`` (= undetermined)
    for every criterion depending on a check in the result's ``undetermined`` list; fails stay fails."""
    for entry in result.get('undetermined') or []:
        check = entry.get('check') if isinstance(entry, dict) else entry
        reason = entry.get('reason') if isinstance(entry, dict) else None
        criteria = CHECK_CRITERIA.get(check, ('tls_vulnerability_' + str(check),))
        for item in items:
            if item['criterion'] in criteria and item['result'] == 'pass':
                item['result'] = 'info'
                item['message'] = 'could not be determined: the %s check did not complete (%s); seen so far: %s' % (
                    check, reason or 'no reason recorded', item['message'])


def attach(results, guidelines, level='intermediate'):
    """Add its ``mozilla`` block to every endpoint result, as ``tls_endpoint_info`` returns them; returns ``results``."""
    for result in results:
        result['mozilla'] = evaluate(result, guidelines, level)
    return results


# Items that are informational by design; any other ``info`` item means "could not be determined".
_INFO_ONLY = ('hsts_min_age', 'ocsp_staple', 'server_preferred_order', 'recommended_certificate_lifespan', 'dh_param_size')


def failures(mozilla_block):
    """The failing items of a ``mozilla`` block."""
    return [i for i in (mozilla_block or {}).get('criteria') or [] if i.get('result') == 'fail']


def undetermined(mozilla_block):
    """The items that should have decided something but could not be determined (``info`` outside _INFO_ONLY)."""
    return [i for i in (mozilla_block or {}).get('criteria') or [] if i.get('result') == 'info' and i.get('criterion') not in _INFO_ONLY]
