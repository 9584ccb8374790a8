# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""MySQL / MariaDB option files (``my.cnf``, ``galera.cnf``) with ``!include`` and ``!includedir``.

Semantics followed (MariaDB ``mysys/my_default.c``):

* ``[group]`` headers (compared lower-case); ``option``, ``option = value``; ``#`` and ``;``
  start comment lines and ``#`` anywhere outside quotes ends an option line (whitespace before it or not);
  one pair of surrounding quotes is stripped and ``\\n \\t \\\\ \\s`` escapes are decoded;
* option names: lower-case, ``-`` and ``_`` equivalent (returned with ``_``), the ``loose_``
  prefix dropped (``loose-ssl-ca`` is ``ssl_ca``); an option without a value is ``True``;
* ``!include FILE`` reads FILE there; ``!includedir DIR`` reads every ``*.cnf`` in DIR in
  name order; the including file's current group continues after the include; relative
  paths are relative to the including file's directory; include loops, a depth above 10 or
  more than 256 files stop with an ``errors`` entry instead of recursing.

Secret values (``password``, the password half of ``wsrep_sst_auth``) are masked.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import posixpath
import re

from ansible_collections.scs.secure_connections.plugins.module_utils._core.secrets import MASK, is_secret_key, split_lines
from ansible_collections.scs.secure_connections.plugins.module_utils._core.words import MYSQL, parse_bool
from ansible_collections.scs.secure_connections.plugins.module_utils._core.rootfs import (
    DEFAULT_MAX_FILE_SIZE, ReadError, cap_errors, glob_paths, isdir, read_text, resolve,
)

MAX_DEPTH = 10
MAX_FILES = 256

# Option groups the MariaDB server (mariadbd / mysqld, galera) reads, in addition to
# version-suffixed ones (``mysqld-10.11``, ``mariadb-10.11``).
SERVER_GROUPS = ('client-server', 'mysqld', 'server', 'mariadb', 'mariadbd', 'galera')
# ``[mysqld-X.Y]``, ``[mariadb-X.Y]``, ``[mariadbd-X.Y]``: X.Y the server's major.minor version (MariaDB KB "mariadbd
# Configuration Files and Groups"); ``[mariadb-client]``, ``[mariadb-backup]``, ``[mariadb-dump]`` are groups of tools.
SERVER_VERSION_GROUPS = re.compile(r'^(?:mysqld|mariadb|mariadbd)-\d+\.\d+$')
CLIENT_GROUPS = ('client', 'client-server', 'client-mariadb', 'mysql', 'mariadb-client')

_ESCAPES = {'n': '\n', 't': '\t', 'r': '\r', 'b': '\b', 's': ' ', '"': '"', "'": "'", '\\': '\\'}
_MYCNF_ESCAPE = re.compile(r'\\(.)', re.S)


def normalize_option(name):
    """``Loose-SSL-CA`` -> ``ssl_ca``: lower-case, ``-`` as ``_``, ``loose_`` prefix dropped."""
    name = name.strip().lower().replace('-', '_')
    if name.startswith('loose_'):
        name = name[len('loose_'):]
    return name


def _unescape(value):
    """MySQL option-file escapes (``\\n``, ``\\s``, ...); an unknown escape keeps its backslash."""
    return _MYCNF_ESCAPE.sub(lambda m: _ESCAPES.get(m.group(1), '\\' + m.group(1)), value)


def remove_end_comment(line):
    """``line`` up to its first ``#`` outside quotes, as MariaDB's ``remove_end_comment`` (mysys/my_default.c) cuts
    every option line before it is split at ``=``: no whitespace is needed before the ``#``."""
    quote = None
    escape = False
    for index, char in enumerate(line):
        if char in ('"', "'") and not escape:
            if quote is None:
                quote = char
            elif quote == char:
                quote = None
        if quote is None and char == '#':
            return line[:index]
        escape = bool(quote) and char == '\\' and not escape
    return line


def _split_value(raw):
    """Strip an inline comment and the quotes of one option value."""
    raw = raw.strip()
    if raw[:1] in ('"', "'"):
        quote = raw[0]
        end = 1
        while end < len(raw):
            if raw[end] == '\\':
                end += 2
                continue
            if raw[end] == quote:
                break
            end += 1
        if end < len(raw):
            return _unescape(raw[1:end])
        return _unescape(raw[1:])
    match = re.search(r'\s[#;]', raw)
    if match:
        raw = raw[:match.start()]
    elif raw.startswith('#'):
        raw = ''
    return _unescape(raw.strip())


def mask_mycnf_option(name, value, secrets=None):
    """Mask a secret option value (``password``, ``wsrep_sst_auth`` user:password)."""
    if not isinstance(value, str) or value == '':
        return value
    if name == 'wsrep_sst_auth' and ':' in value:
        user, _sep, password = value.partition(':')
        if password and secrets is not None:
            secrets.add(password)
        return '%s:%s' % (user, MASK if password else '')
    if is_secret_key(name) or name in ('ssl_passphrase', 'tls_passphrase'):
        if secrets is not None:
            secrets.add(value)
        return MASK
    return value


def parse_mycnf_text(text, source='<text>', secrets=None):
    """Parse one option file's text (no includes followed).

    Returns ``(entries, includes, errors)``; ``entries`` are ``(section, option, value, line)``
    (section ``None`` before any header), ``includes`` are ``(directive, path, line)``.
    """
    entries = []
    includes = []
    errors = []
    section = None
    for lineno, line in enumerate(split_lines(text), 1):
        stripped = line.strip()
        if not stripped or stripped.startswith(('#', ';')):
            continue
        if stripped.startswith('!'):
            directive, _sep, arg = stripped.partition(' ')
            directive = directive.lower()
            arg = arg.strip()
            if directive in ('!include', '!includedir'):
                if not arg:
                    errors.append({'file': source, 'line': lineno, 'message': '%s without a path' % directive})
                else:
                    includes.append((directive, arg, lineno, len(entries), section))
            else:
                errors.append({'file': source, 'line': lineno, 'message': 'unknown directive %s (ignored)' % directive})
            continue
        if stripped.startswith('['):
            end = stripped.find(']')
            if end < 0:
                errors.append({'file': source, 'line': lineno, 'message': 'invalid group header (no closing ]): %s' % stripped[:80]})
                section = None
                continue
            section = stripped[1:end].strip().lower()
            if not section:
                errors.append({'file': source, 'line': lineno, 'message': 'empty group name'})
                section = None
            continue
        name, sep, raw = remove_end_comment(stripped).strip().partition('=')
        name = normalize_option(name)
        if not name or not re.match(r'^[a-z0-9_.\-]+$', name):
            errors.append({'file': source, 'line': lineno, 'message': 'not an option line (ignored): %s' % _excerpt(stripped)})
            continue
        value = _split_value(raw) if sep else True
        if section is None:
            errors.append({'file': source, 'line': lineno, 'message': 'option %s outside any [group] (ignored, as the server does)' % name})
            continue
        entries.append((section, name, mask_mycnf_option(name, value, secrets), lineno))
    return entries, includes, cap_errors(errors)


def _excerpt(line):
    return line[:60] if not re.search(r'pass|secret|auth|key', line, re.I) else '<line not shown: may hold a secret>'


def parse_mycnf(path, root='/', max_size=DEFAULT_MAX_FILE_SIZE, secrets=None):
    """Parse the option file ``path`` (logical, under ``root``) and everything it includes.

    Returns::

        {'file': path,
         'files': [every file read, in read order],
         'includes': [{'directive', 'path', 'file', 'line'}],
         'sections': {group: {option: value}},          # last value in read order wins
         'origins': {group: {option: 'file:line'}},
         'entries': [[group, option, value, file, line]],  # read order, for effective views
         'server': {option: value},   # effective options of the MariaDB server groups
         'client': {option: value},   # effective options of the client groups
         'wsrep_provider_options': {key: value} or {},
         'errors': [{'file', 'line', 'message'}]}

    Never raises for a bad file: a missing, unreadable, huge, non-UTF-8 or looping file gives
    an ``errors`` entry and whatever could be read.
    """
    result = {'file': path, 'files': [], 'includes': [], 'sections': {}, 'origins': {}, 'entries': [],
              'server': {}, 'client': {}, 'wsrep_provider_options': {}, 'errors': []}
    _read(result, root, path, [], max_size, secrets)
    for section, option, value, fname, line in result['entries']:
        result['sections'].setdefault(section, {})[option] = value
        result['origins'].setdefault(section, {})[option] = '%s:%s' % (fname, line)
    result['server'] = mycnf_effective(result, SERVER_GROUPS, version_groups=SERVER_VERSION_GROUPS)
    result['client'] = mycnf_effective(result, CLIENT_GROUPS)
    wpo = result['server'].get('wsrep_provider_options')
    if isinstance(wpo, str):
        result['wsrep_provider_options'] = parse_wsrep_provider_options(wpo, secrets)
    result['tls'] = server_tls_facts(result['server'], result['wsrep_provider_options'])
    return result


def _read(result, root, path, stack, max_size, secrets):
    if len(result['files']) >= MAX_FILES:
        result['errors'].append({'file': path, 'line': None, 'message': 'more than %d option files included; stopped here' % MAX_FILES})
        return
    try:
        real = resolve(root, path)
    except ReadError as exc:
        result['errors'].append({'file': path, 'line': None, 'message': str(exc)})
        return
    if real in stack:
        chain = ' -> '.join(stack + [real])
        result['errors'].append({'file': path, 'line': None, 'message': 'include loop (%s); not read again' % chain})
        return
    if len(stack) > MAX_DEPTH:
        result['errors'].append({'file': path, 'line': None, 'message': 'includes nested deeper than %d; not read' % MAX_DEPTH})
        return
    try:
        text, warning = read_text(root, path, max_size=max_size)
    except ReadError as exc:
        result['errors'].append({'file': path, 'line': None, 'message': str(exc)})
        return
    if warning:
        result['errors'].append({'file': path, 'line': None, 'message': warning})
    result['files'].append(path)
    entries, includes, errors = parse_mycnf_text(text, source=path, secrets=secrets)
    result['errors'].extend(errors)
    # interleave entries and includes in file order
    pos = 0
    for directive, arg, line, index, _section in includes:
        for section, option, value, eline in entries[pos:index]:
            result['entries'].append([section, option, value, path, eline])
        pos = index
        target = arg if arg.startswith('/') else posixpath.normpath(posixpath.join(posixpath.dirname(path), arg))
        result['includes'].append({'directive': directive, 'path': target, 'file': path, 'line': line})
        if directive == '!include':
            _read(result, root, target, stack + [real], max_size, secrets)
        else:
            if not isdir(root, target):
                result['errors'].append({'file': path, 'line': line, 'message': '!includedir %s: no such directory' % target})
                continue
            for sub in glob_paths(root, target.rstrip('/') + '/*.cnf'):
                _read(result, root, sub, stack + [real], max_size, secrets)
    for section, option, value, eline in entries[pos:]:
        result['entries'].append([section, option, value, path, eline])


def mycnf_effective(parsed, groups, version_groups=None):
    """Options a program reading ``groups`` sees: every entry of those groups in read order,
    the last one winning (this is how the server merges ``[mysqld]``, ``[galera]`` ...).
    ``version_groups``: a pattern of version-suffixed groups also read (the server's version is
    not known here, so every version's group counts)."""
    out = {}
    for section, option, value, _file, _line in parsed.get('entries', []):
        if section in groups or (version_groups is not None and version_groups.match(section)):
            out[option] = value
    return out


def parse_wsrep_provider_options(text, secrets=None):
    """``socket.ssl_key=/k.pem;socket.ssl=yes`` -> ``{'socket.ssl_key': '/k.pem', 'socket.ssl': 'yes'}``."""
    out = {}
    for item in str(text).split(';'):
        item = item.strip()
        if not item:
            continue
        key, sep, value = item.partition('=')
        key = key.strip()
        value = value.strip() if sep else True
        if isinstance(value, str) and (is_secret_key(key.replace('.', '_')) or key.endswith('password')):
            if secrets is not None and value:
                secrets.add(value)
            value = MASK if value else value
        out[key] = value
    return out


# --------------------------------------------------------------------------- what the files say about TLS

OLD_TLS_VERSIONS = ('SSLv3', 'TLSv1', 'TLSv1.0', 'TLSv1.1')


def galera_socket_tls(options):
    """Galera group-communication TLS from parsed provider options.

    Returns ``{'enabled': True|False|None, 'reason': str, 'settings': {socket.ssl*: ...}}``.
    Galera 4 enables TLS when ``socket.ssl_cert`` and ``socket.ssl_key`` are set, unless
    ``socket.ssl = NO``; ``gmcast.listen_addr`` then shows ``ssl://``.
    """
    settings = dict((k, v) for k, v in options.items() if k.startswith('socket.ssl'))
    explicit = parse_bool(options.get('socket.ssl'), MYSQL, invalid=None) if 'socket.ssl' in options else None
    listen = options.get('gmcast.listen_addr', '')
    have_cert = bool(options.get('socket.ssl_cert')) and bool(options.get('socket.ssl_key'))
    if explicit is False:
        return {'enabled': False, 'reason': 'socket.ssl = NO', 'settings': settings}
    if listen.startswith('ssl://'):
        return {'enabled': True, 'reason': 'gmcast.listen_addr is %s' % listen, 'settings': settings}
    if explicit is True and have_cert:
        return {'enabled': True, 'reason': 'socket.ssl = YES with socket.ssl_cert and socket.ssl_key', 'settings': settings}
    if have_cert and explicit is None:
        return {'enabled': True, 'reason': 'socket.ssl_cert and socket.ssl_key are set', 'settings': settings}
    if explicit is True:
        return {'enabled': False, 'reason': 'socket.ssl = YES but socket.ssl_cert / socket.ssl_key are missing', 'settings': settings}
    if listen.startswith('tcp://'):
        return {'enabled': False, 'reason': 'gmcast.listen_addr is %s and no socket.ssl_cert/socket.ssl_key' % listen, 'settings': settings}
    if not options:
        return {'enabled': None, 'reason': 'wsrep_provider_options is empty', 'settings': settings}
    return {'enabled': False, 'reason': 'no socket.ssl_cert / socket.ssl_key in wsrep_provider_options', 'settings': settings}


def _flag(server, name):
    """An option's boolean value (a bare option is True), None when unset, the raw text when not a boolean."""
    if name not in server:
        return None
    value = server[name]
    if value is True:
        return True
    return parse_bool(value, MYSQL, invalid=value)


def _server_tls(server):
    """``{enabled, reason}`` of client-server TLS from the effective server options."""
    ssl = _flag(server, 'ssl')
    for name in ('skip_ssl', 'disable_ssl'):
        if _flag(server, name) is True:
            return {'enabled': False, 'reason': '%s is set' % name}
    if ssl is False:
        return {'enabled': False, 'reason': 'ssl = %s' % server.get('ssl')}
    if server.get('ssl_cert') and server.get('ssl_key'):
        return {'enabled': True, 'reason': 'ssl_cert and ssl_key are set'}
    return {'enabled': None, 'reason': 'no ssl_cert/ssl_key: no TLS before MariaDB 11.4; from 11.4 on TLS with a certificate the server '
                                       'generates at start (self-signed, only in memory: zero-configuration SSL)'}


def server_tls_facts(server, wsrep_options):
    """What the server option files configure for TLS (no defaults assumed, no verdict).

    ``{'tls': {enabled: True | False | None, reason, ssl_cert, ssl_key, ssl_ca, ssl_capath, tls_version, old_versions},
       'require_secure_transport': True | False | None | raw,
       'galera': {wsrep_on, provider, enabled, socket_tls, ssl_mode}}``
    """
    tls = _server_tls(server)
    versions = [v.strip() for v in str(server.get('tls_version') or '').split(',') if v.strip()]
    tls.update(dict((k, server.get(k)) for k in ('ssl_cert', 'ssl_key', 'ssl_ca', 'ssl_capath', 'tls_version')))
    tls['old_versions'] = [v for v in versions if v in OLD_TLS_VERSIONS]
    wsrep_on = _flag(server, 'wsrep_on')
    provider = server.get('wsrep_provider')
    enabled = bool(provider) and str(provider).strip().lower() != 'none' and wsrep_on is True
    galera = {'wsrep_on': wsrep_on, 'provider': provider, 'enabled': enabled, 'ssl_mode': server.get('wsrep_ssl_mode'),
              'socket_tls': galera_socket_tls(wsrep_options or {}) if enabled else None}
    return {'tls': tls, 'require_secure_transport': _flag(server, 'require_secure_transport'), 'galera': galera}
