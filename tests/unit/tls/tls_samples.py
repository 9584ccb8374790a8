# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Shared test data of tests/unit/tls: an endpoint result that passes Mozilla intermediate, and a path setter."""

from __future__ import absolute_import, division, print_function

import copy

BASE = {
    'host': '127.0.0.1', 'port': 8443, 'server_name': 'localhost', 'starttls': 'none', 'label': 'base', 'status': 'ok', 'error': None,
    'protocols': {'SSLv2': False, 'SSLv3': False, 'TLSv1.0': False, 'TLSv1.1': False, 'TLSv1.2': True, 'TLSv1.3': True},
    'cipher_suites': {
        'TLSv1.2': ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
                    'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256', 'TLS_DHE_RSA_WITH_AES_128_GCM_SHA256'],
        'TLSv1.3': ['TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256'],
    },
    'groups': ['X25519', 'prime256v1', 'secp384r1'],
    'dh_min_bits': 2048, 'ecdh_min_bits': 256, 'server_cipher_order': False,
    'certificates': [{'subject': 'CN=localhost', 'key_type': 'rsa', 'key_size': 2048, 'curve': None,
                      'signature_algorithm': 'sha256WithRSAEncryption', 'not_before': '2026-01-01T00:00:00Z',
                      'not_after': '2026-03-31T00:00:00Z', 'lifespan_days': 89, 'expired': False, 'sans': ['localhost']}],
    'certificate_validation': {'trusted': True, 'hostname_match': True, 'error': None},
    'security': {'compression': False, 'secure_renegotiation': True, 'fallback_scsv': True, 'extended_master_secret': True,
                 'heartbleed': False, 'ccs_injection': False, 'robot': False, 'notes': {}},
    'ocsp_stapling': False,
}


def set_path(obj, path, value):
    parts = path.split('/')
    for part in parts[:-1]:
        obj = obj[int(part)] if isinstance(obj, list) else obj.setdefault(part, {})
    last = parts[-1]
    if isinstance(obj, list):
        obj[int(last)] = value
    else:
        obj[last] = value


def endpoint(**changes):
    """A copy of BASE with ``changes`` applied (keys are slash-separated paths)."""
    result = copy.deepcopy(BASE)
    for path, value in changes.items():
        set_path(result, path, value)
    return result


# Changes of BASE that make one criterion of Mozilla intermediate fail (or stay undetermined), for
# the rule tests of every channel: their probes are judged from this observed data, not from a
# hand-written verdict.
OLD_VERSIONS = {'protocols/TLSv1.0': True, 'protocols/TLSv1.1': True}
RSA_KEY_EXCHANGE = {'cipher_suites/TLSv1.2': BASE['cipher_suites']['TLSv1.2'] + ['TLS_RSA_WITH_AES_128_CBC_SHA']}
LONG_CERTIFICATE = {'certificates/0/lifespan_days': 825}
ROBOT_NOT_TESTED = {'security/robot': 'not_tested', 'security/notes': {'robot': 'not tested: no ServerHelloDone'}}


def probe(host='127.0.0.1', port=8443, label=None, changes=None, **fields):
    """A scanned tls_endpoint_info result for ``host:port`` (BASE with ``changes`` applied, then ``fields``)."""
    result = endpoint(**dict(changes or {}))
    result.update(host=host, port=port, label=label)
    result.update(fields)
    return result


def probe_error(host, port, label, kind, message, **fields):
    """A tls_endpoint_info result of an endpoint that could not be scanned."""
    result = {'host': host, 'port': port, 'server_name': None, 'starttls': 'none', 'label': label, 'status': 'error',
              'error': {'kind': kind, 'message': message}}
    result.update(fields)
    return result
