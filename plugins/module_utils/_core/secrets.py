# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The secrets policy as code: what is a secret, and the one masker applied before anything
leaves a module, a log line or a report.

The policy has three parts (docs/security.md has the table):

* **names** (:func:`is_secret_key`): an option, key, variable or property whose name says it
  holds a secret (``password``, ``*_pass``, ``token``, ``*secret*``, ``*_cookie`` ...) or that
  the services' configuration references mark secret although the name does not say so
  (:data:`SECRET_OPTIONS`: oslo.config ``secret=True`` options such as ``fixed_key`` or ``kek``,
  MySQL's abbreviated ``pass``, Kafka's ``delegation.token.master.key`` ...);
* **structures** (:func:`mask_secrets`): the value after a secret-named element of a pair (Erlang
  ``{password, "..."}``), the password half of RabbitMQ's LDAP ``dn_lookup_bind`` /
  ``other_bind`` pairs (:data:`SECRET_PAIR_KEYS`), the argument after a secret command-line
  flag such as ``-setcookie`` (:data:`SECRET_FLAGS`);
* **text** (:func:`mask_text`, applied to every string): passwords in URL userinfo, secret query
  parameters (``?token=``), ``name="value"`` assignments with a secret name (JAAS
  ``password="..."``, ``user_<name>="..."``), ``-setcookie <cookie>``, credentials after an
  ``Authorization`` / ``X-Auth-Token`` header name, and the body of every PEM private key.

Parsers split configuration text with :func:`split_lines` (``\\n`` only, as the services read
it): ``str.splitlines()`` also breaks at ``\\x0b``, ``\\x0c``, ``\\x1c``-``\\x1e``, ``\\x85``,
``\\u2028`` and ``\\u2029``, which would cut a password in two and print its tail elsewhere.
Every function here is linear in its input.
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
    r'(^|[_.\-])(pass|passw|passwo|passwor|password|passwd|passphrase|passcode|pwd|pw|secret|secrets|token|credential|credentials|'
    r'api_key|apikey|private_key|fernet_key|auth_key|encryption_key|encryption_keys|secret_key|secret_keys|secret_access_key|'
    r'access_key|master_key|shared_key|hmac_key|hmac_keys|heartbeat_key|fixed_key|memcache_secret_key|metadata_proxy_shared_secret|'
    r'erlang_cookie|cookie|client_secret|secret_id|token_id|kek)$',
    re.IGNORECASE,
)
_NOT_SECRET_SUFFIX = re.compile(r'(_file|_path|_dir|file|path|_type|_method|_plugin|_mode|_length|_expiration|_uuid)$', re.IGNORECASE)

# Secret settings whose names the patterns above do not recognise, from the services' references:
# {name: where}. Compared case-insensitively, with '.', '-' and ' ' read as '_'.
SECRET_OPTIONS = {
    'backend_argument': 'oslo.cache [cache] backend_argument (oslo.config secret=True)',
    'swift_store_key': 'glance_store [glance_store] swift_store_key (oslo.config secret=True)',
    'backup_swift_key': 'cinder [DEFAULT] backup_swift_key (oslo.config secret=True)',
    'ssl_keystore_key': 'Kafka ssl.keystore.key (a PEM private key)',
    'access_key_id': 'RabbitMQ peer discovery cluster_formation.aws.access_key_id',
    'cluster_formation_aws_access_key_id': 'RabbitMQ peer discovery cluster_formation.aws.access_key_id',
    'aws_access_key': 'RabbitMQ peer discovery (advanced.config) aws_access_key',
    'approle_role_id': 'castellan/barbican [vault] approle_role_id (oslo.config secret=True)',
    'backup_s3_sse_customer_key': 'cinder backup_s3_sse_customer_key (oslo.config secret=True)',
    'replication_device': 'cinder replication_device (oslo.config secret=True: holds san_password)',
    'swift_store_user': 'glance/glance_store swift_store_user (oslo.config secret=True)',
    'swift_store_application_credential_id': 'glance_store swift_store_application_credential_id (oslo.config secret=True)',
    'host_username': 'nova [vmware] host_username (oslo.config secret=True)',
}
# oslo.config secret=True options that hold a file path (netapp_private_key_file, swift_store_config_file ...)
# stay readable: a path is evidence, not a secret.
# Secret settings whose value is a URL: the URL stays (auditors need scheme, host, port and query),
# its password is masked by the URL rule of mask_text.
URL_SECRET_OPTIONS = {
    'connection': 'oslo.db [database]/[api_database]/[placement_database] connection (secret=True)',
    'slave_connection': 'oslo.db [database] slave_connection (secret=True)',
    'transport_url': 'oslo.messaging [DEFAULT]/[oslo_messaging_notifications] transport_url (secret=True)',
    'connection_string': 'osprofiler [profiler] connection_string',
    'asyncio_connection': 'oslo.db [database] asyncio_connection (secret=True)',
    'asyncio_slave_connection': 'oslo.db [database] asyncio_slave_connection (secret=True)',
    'sql_connection': 'older projects [DEFAULT] sql_connection (secret=True)',
    'persistence_connection': 'octavia [task_flow] persistence_connection (secret=True)',
    'backend_url': 'cinder [coordination] backend_url (secret=True)',
    'backup_gcs_proxy_url': 'cinder backup_gcs_proxy_url (secret=True)',
}
# keys whose value is a (user, password) pair: the second element is the secret
SECRET_PAIR_KEYS = frozenset(('dn_lookup_bind', 'other_bind'))
# command-line flags whose next argument is a secret
SECRET_FLAGS = frozenset(('-setcookie', '--setcookie', '--password', '-password', '--erlang-cookie', '--cookie'))

# ?token=... &password=... in URLs; the name is judged by is_secret_key
_QUERY_PARAM = re.compile(r'(?P<pre>[?&;](?P<name>[A-Za-z0-9_.\-]{1,64})=)(?P<value>[^&#;\s"\'<>]*)')
# name=value assignments inside free text (JAAS, command lines, error messages)
_ASSIGNMENT = re.compile(r'(?<![\w.\-])(?P<name>[A-Za-z][\w.\-]{0,63})\s*=\s*(?P<quote>["\']?)')
_FLAG_ARG = re.compile(r'(?P<pre>(?<![\w\-])-{1,2}(?:setcookie|cookie|erlang-cookie|password)(?:\s+|=))(?P<q>["\']?)')
_SCHEME = r'(?:(?i:basic|bearer|token|digest|negotiate)\s+)'
# a credential after a header name: "Authorization: Basic x", "Authorization" "Bearer x", X-Auth-Token x
# (prose such as "authorization failed" is left alone: Authorization needs ':', '=', a quote or a scheme)
_HEADER = re.compile(
    r'(?P<pre>(?:(?i:x-auth-token|x-subject-token|x-vault-token)["\']?(?:\s*[:=]\s*|\s+)["\']?' + _SCHEME + '?'
    r'|(?i:proxy-authorization|authorization)["\']?(?:\s*[:=]\s*["\']?' + _SCHEME + r'?|\s+["\']' + _SCHEME + r'?|\s+' + _SCHEME + r')))'
    r'(?P<value>[^\s"\';,]+)')
_UNQUOTED_END = re.compile(r'[\s;,&]')
_PEM_BODY = 'KEY-----'
_PEM_END = '-----END'


def split_lines(text):
    """The lines of a configuration file as the services read it: broken at ``\\n`` only (a
    ``\\r`` before it dropped). Unlike ``str.splitlines()`` this never breaks inside a value at
    ``\\x0b``, ``\\x0c``, ``\\x1c``-``\\x1e``, ``\\x85``, ``\\u2028`` or ``\\u2029``."""
    lines = text.split('\n')
    if lines and lines[-1] == '':
        lines.pop()
    return [line[:-1] if line.endswith('\r') else line for line in lines]


_CANONICAL_SEPARATORS = re.compile(r'[.\- ]')


def _canonical(name):
    return _CANONICAL_SEPARATORS.sub('_', name.strip().lower())


# is_secret_key and mask_text are pure functions of a string; a host's evidence repeats the same keys and values
# (and the gatherers' results are masked again by the module), so their answers are kept, for short strings, up to
# a bound (a garbage file must not turn the memo into a copy of itself)
_MEMO_MAX_ENTRIES = 8192
_MEMO_MAX_LENGTH = 256
_SECRET_KEY_MEMO = {}
_MASK_TEXT_MEMO = {}


def _remember(memo, key, value):
    if len(key) <= _MEMO_MAX_LENGTH and len(memo) < _MEMO_MAX_ENTRIES:
        memo[key] = value
    return value


def is_secret_key(name):
    """True when an option, key, variable or property name says its value is a secret."""
    if not isinstance(name, str):
        return False
    known = _SECRET_KEY_MEMO.get(name)
    if known is None:
        known = _remember(_SECRET_KEY_MEMO, name, _is_secret_name(name))
    return known


def _is_secret_name(name):
    canonical = _canonical(name)
    for prefix in ('loose_', 'maximum_'):
        if canonical.startswith(prefix):
            canonical = canonical[len(prefix):]
    if canonical in SECRET_OPTIONS:
        return True
    if _NOT_SECRET_SUFFIX.search(canonical):
        return False
    return bool(_SECRET_KEY.search(canonical))


def _jaas_secret(name):
    """In a JAAS configuration, ``user_<name>`` (PlainLoginModule) holds that user's password too."""
    return is_secret_key(name) or bool(re.match(r'^user_[\w.\-]+$', name))


def mask_url(value):
    """Return ``value`` with every ``user:password@`` in it replaced by ``user:********@``."""
    if not isinstance(value, str) or '@' not in value:
        return value
    return _URL_USERINFO.sub(lambda m: '%s%s:%s@' % (m.group('pre'), m.group('user'), MASK if m.group('pw') else ''), value)


def _quoted_end(value, start, quote):
    """End of a value starting at ``start``: the closing (unescaped) ``quote``, or the next separator."""
    while quote:
        end = value.find(quote, start)
        if end < 0:
            return len(value)
        first = end
        while first > 0 and value[first - 1] == '\\':
            first -= 1
        if (end - first) % 2 == 0:  # not escaped (JAAS, shell and Erlang strings know backslash escapes)
            return end
        start = end + 1
    match = _UNQUOTED_END.search(value, start)
    return match.end() - 1 if match else len(value)


def _mask_assignments(value, pattern, secret_name):
    """Mask the value after every match of ``pattern`` whose ``name`` group ``secret_name`` accepts.

    One pass, left to right: every search starts after the previous value, so the work is linear
    even when a quote is never closed (the rest of the string is then the value)."""
    out, pos = [], 0
    while True:
        match = pattern.search(value, pos)
        if match is None:
            break
        name = match.groupdict().get('name')
        if name is not None and not secret_name(name):
            out.append(value[pos:match.end()])
            pos = match.end()
            continue
        quote = match.group('quote') if 'quote' in match.groupdict() else match.groupdict().get('q', '')
        end = _quoted_end(value, match.end(), quote)
        if end > match.end():
            out.append(value[pos:match.end()] + MASK)
        else:
            out.append(value[pos:match.end()])
        pos = end
    out.append(value[pos:])
    return ''.join(out)


def _mask_pem(value):
    """Replace the body of every PEM private key (or what is left of it) by ``MASK``."""
    out, pos = [], 0
    while True:
        start = value.find(_PEM_BODY, pos)
        if start < 0:
            break
        start += len(_PEM_BODY)
        end = value.find(_PEM_END, start)
        end = len(value) if end < 0 else end
        out.append(value[pos:start] + (MASK if end > start else ''))
        pos = end
    out.append(value[pos:])
    return ''.join(out)


def mask_text(value):
    """``value`` with every secret the text rules recognise replaced by ``MASK`` (see the module doc)."""
    if not isinstance(value, str) or not value:
        return value
    known = _MASK_TEXT_MEMO.get(value)
    if known is None:
        known = _remember(_MASK_TEXT_MEMO, value, _mask_text(value))
    return known


def _mask_text(value):
    value = mask_url(value)
    if '=' in value:
        value = _QUERY_PARAM.sub(lambda m: m.group('pre') + (MASK if m.group('value') and is_secret_key(m.group('name')) else m.group('value')), value)
        value = _mask_assignments(value, _ASSIGNMENT, _jaas_secret if 'LoginModule' in value else is_secret_key)
    if 'cookie' in value or 'password' in value:
        value = _mask_assignments(value, _FLAG_ARG, lambda name: True)
    if 'uth' in value or 'oken' in value:
        value = _HEADER.sub(lambda m: m.group('pre') + MASK, value)
    if _PEM_BODY in value:
        value = _mask_pem(value)
    return value


# names that are secrets only when they hold text: MySQL reads any unambiguous prefix of ``password``
# (``pass = ...``), while a report counts findings under ``pass``
_TEXT_ONLY_NAMES = frozenset(('pass', 'passw', 'passwo', 'passwor', 'pw'))


def _secret_element(key, value):
    if key is None or isinstance(value, (dict, list, tuple, bool)) or value in (None, '') or not is_secret_key(key):
        return False
    return isinstance(value, str) or _canonical(key) not in _TEXT_ONLY_NAMES


def _mask_list(items, walk):
    """A list: pairs ``[secret_name, value]`` and the argument after a secret flag masked."""
    out = []
    for index, item in enumerate(items):
        previous = items[index - 1] if index else None
        if isinstance(previous, str) and previous.lower() in SECRET_FLAGS and isinstance(item, str) and item:
            out.append(MASK)
        elif index == 1 and len(items) == 2 and isinstance(items[0], str) and _secret_element(items[0], item):
            out.append(MASK)
        else:
            out.append(walk(item))
    return out


def mask_secrets(obj, extra_values=None):
    """Return a deep copy of ``obj`` with secrets masked.

    - values under secret-named keys become ``MASK`` (empty values stay empty, so "no password
      set" remains visible); the password of a pair under :data:`SECRET_PAIR_KEYS` too;
    - in lists, the value of a ``[secret_name, value]`` pair and the argument after a secret flag;
    - every string goes through :func:`mask_text`;
    - every string containing one of ``extra_values`` (known secrets, e.g. the password the
      module was given) has it replaced by ``MASK``.
    """
    extras = sorted((v for v in (extra_values or []) if isinstance(v, str) and len(v) >= 3), key=len, reverse=True)

    def _str(value):
        value = mask_text(value)
        for secret in extras:
            if secret in value:
                value = value.replace(secret, MASK)
        return value

    def _walk(value, key=None):
        # the checks of _secret_element, by the value's type (the most common first)
        if isinstance(value, str):
            if value and key is not None and is_secret_key(key):
                return MASK
            return _str(value)
        if isinstance(value, dict):
            return {k: _walk(v, k) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            if isinstance(key, str) and len(value) == 2 and key.lower() in SECRET_PAIR_KEYS:
                return [_walk(value[0]), MASK if value[1] not in (None, '') else value[1]]
            return _mask_list(value, _walk)
        if _secret_element(key, value):
            return MASK
        return value

    return _walk(obj)


def secret_values(obj):
    """The values in ``obj`` (a module option such as an environment mapping) that the policy
    would mask: for ``AnsibleModule.no_log_values``, so that they are hidden from the module's
    ``invocation`` too (seen at ``-vvv``)."""
    found = set()

    def _walk(value, key=None):
        if isinstance(value, dict):
            for k, v in value.items():
                _walk(v, k)
        elif isinstance(value, (list, tuple)):
            for v in value:
                _walk(v)
        elif isinstance(value, str) and value and (is_secret_key(key) or mask_text(value) != value):
            found.add(value)

    _walk(obj)
    return found
