# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Masking of secrets before anything leaves a module, a log line or a report.

One place for the rule, used by every gatherer and again by the report renderer as a last
line of defence: passwords inside URLs (``mysql+pymysql://nova:SECRET@db/nova``,
``rabbit://openstack:SECRET@mq:5671/``) and the values of options whose name says they hold a
secret (``password``, ``admin_password``, ``transport_url`` credentials, ``token`` ...).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

MASK = '********'

# user:password@ inside any scheme://authority, including several comma-separated hosts
# (oslo.messaging: rabbit://u1:p1@h1:5671,u2:p2@h2:5671/).
# Scheme bounded and password stopped at ',' so crafted values cannot make matching quadratic.
_URL_USERINFO = re.compile(r'(?P<pre>(?:[a-zA-Z][a-zA-Z0-9+.\-]{0,31}://|,))(?P<user>[^:/@,\s]*):(?P<pw>[^@/\s,]*)@')

# Option or key names whose value is a secret. File paths (ssl_key, key_file, keyfile, cafile)
# are not secrets and stay readable: auditors need them.
_SECRET_KEY = re.compile(
    r'([_.\-]pass$)|(^|[_.\-])(password|passwd|passphrase|secret|token|credential|credentials|api_key|apikey|'
    r'private_key|fernet_key|auth_key|encryption_key|memcache_secret_key|metadata_proxy_shared_secret|'
    r'erlang_cookie|cookie)$',
    re.IGNORECASE,
)
_NOT_SECRET_SUFFIX = re.compile(r'(_file|_path|_dir|file|path|_type|_method|_plugin|_mode|_length|_expiration)$', re.IGNORECASE)


def mask_url(value):
    """Return ``value`` with every ``user:password@`` in it replaced by ``user:********@``."""
    if not isinstance(value, str) or '@' not in value:
        return value
    return _URL_USERINFO.sub(lambda m: '%s%s:%s@' % (m.group('pre'), m.group('user'), MASK if m.group('pw') else ''), value)


def is_secret_key(name):
    """True when an option or dictionary key name says its value is a secret."""
    if not isinstance(name, str):
        return False
    if _NOT_SECRET_SUFFIX.search(name):
        return False
    return bool(_SECRET_KEY.search(name))


def mask_secrets(obj, extra_values=None):
    """Return a deep copy of ``obj`` with secrets masked.

    - values under secret-named keys become ``MASK`` (empty values stay empty, so "no password
      set" remains visible);
    - every string has URL passwords masked;
    - every string containing one of ``extra_values`` (known secrets, e.g. the password the
      module was given) has it replaced by ``MASK``.
    """
    extras = [v for v in (extra_values or []) if isinstance(v, str) and len(v) >= 3]

    def _str(value):
        value = mask_url(value)
        for secret in extras:
            if secret in value:
                value = value.replace(secret, MASK)
        return value

    def _walk(value, key=None):
        if key is not None and is_secret_key(key) and not isinstance(value, (dict, list, tuple, bool)) and value not in (None, ''):
            return MASK
        if isinstance(value, dict):
            return dict((k, _walk(v, k)) for k, v in value.items())
        if isinstance(value, (list, tuple)):
            return [_walk(v) for v in value]
        if isinstance(value, str):
            return _str(value)
        return value

    return _walk(obj)
