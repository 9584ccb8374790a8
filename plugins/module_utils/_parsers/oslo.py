# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""oslo.config INI files and the URLs inside them, parsed the way OpenStack services read them.

Semantics followed (oslo_config.iniparser and cfg):

* ``[section]`` headers; group names are case-insensitive except ``DEFAULT``;
* ``key = value`` or ``key: value`` (whichever separator comes first); one pair of matching
  surrounding quotes is stripped; lines starting with whitespace continue the previous value
  (joined with a newline); lines starting with ``#`` or ``;`` are comments; a blank line ends a
  multi-line value;
* a key repeated in one file gives several values (a multi-opt sees them all, a single opt the
  last one); several files are read in order (``--config-file`` ..., then each ``--config-dir``'s
  ``*.conf`` sorted by name) and for a single opt the last file that sets it wins; a deprecated
  name (``[DEFAULT] rabbit_use_ssl`` for ``[oslo_messaging_rabbit] ssl``) counts in the file
  where it appears, exactly like oslo.config's lookup;
* no ``$var`` interpolation.

Malformed lines do not stop the parse (oslo.config would refuse to start the service): each
becomes an entry in ``errors`` with file and line, and the rest of the file is still read.

Values are masked by default: options whose name says they hold a secret become ``********``
and every ``user:password@`` inside a URL becomes ``user:********@``. Pass a ``set`` as
``secrets`` to collect the raw secret values for a final :func:`_secrets.mask_secrets` pass.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

try:
    from urllib.parse import unquote, parse_qsl
except ImportError:  # pragma: no cover - Python 2 is not supported, kept for sanity import tests
    from urllib import unquote  # noqa
    from urlparse import parse_qsl  # noqa

from ansible_collections.scs.secure_connections.plugins.module_utils._core.secrets import MASK, is_secret_key, split_lines
from ansible_collections.scs.secure_connections.plugins.module_utils._core.words import INVALID, OSLO, parse_bool
from ansible_collections.scs.secure_connections.plugins.module_utils._core.rootfs import (
    DEFAULT_MAX_FILE_SIZE, ReadError, cap_errors, glob_paths, isdir, read_text,
)

# Option names holding secrets that _secrets.is_secret_key does not know by name.
_EXTRA_SECRET_OPTIONS = frozenset(('fixed_key', 'kek', 'hmac_keys', 'secret_key', 'backend_argument_password'))


_DB_SCHEME = re.compile(r'^(?P<dialect>mysql|mariadb|postgresql|postgres|pgsql|sqlite|oracle|mssql|db2|ibm_db_sa)(?:\+(?P<driver>[\w.]+))?://', re.I)
_TRANSPORT_SCHEME = re.compile(r'^(?P<scheme>rabbit|kombu|amqp|kafka|fake|zmq|pika|qpid)(?:\+[\w]+)?://', re.I)
# SQLAlchemy's URL grammar (sqlalchemy.engine.url._parse_url), except that the password runs to
# the LAST '@' before the query (as SQLAlchemy 2 does): it may hold '/', ':' and '@'.
_SQLA_URL = re.compile(
    r'^(?P<name>[\w\+.\-]+)://'
    r'(?:(?P<username>[^:/@?]*)(?::(?P<password>[^?]*))?@)?'
    r'(?:(?:\[(?P<ipv6host>[^/\?]+)\]|(?P<ipv4host>[^/:\?]+))?(?::(?P<port>[^/\?]*))?)?'
    r'(?:/(?P<database>[^\?]*))?'
    r'(?:\?(?P<query>.*))?$',
    re.S,
)


class OsloConfigError(ValueError):
    """Raised only by helpers given something that is not a parse result."""


def is_secret_option(name):
    """True when an oslo option called ``name`` holds a secret (password, key, token ...)."""
    if not isinstance(name, str):
        return False
    return is_secret_key(name) or name.lower() in _EXTRA_SECRET_OPTIONS


def normalize_section(name):
    """oslo.config group name normalisation: ``DEFAULT`` stays, everything else is lower-cased."""
    return name if name == 'DEFAULT' else name.lower()


# --------------------------------------------------------------------------- masking


# schemes are bounded to 32 characters so that a long run of letters is not rescanned from every position
_USERINFO_AFTER_COMMA = re.compile(r',[^:/@,\s]*:([^@/\s,]*)@')
_USERINFO_AFTER_SCHEME = re.compile(r'[a-zA-Z][a-zA-Z0-9+.\-]{0,31}://[^:/@,\s]*:([^@/\s]*)@')


def url_passwords(value):
    """Raw passwords found in the URL(s) in ``value`` (SQLAlchemy and oslo.messaging grammars)."""
    found = []
    if not isinstance(value, str) or '@' not in value or '://' not in value:
        return found
    for part in re.split(r'\s+', value):
        if '://' not in part or '@' not in part:
            continue
        if _DB_SCHEME.match(part):
            match = _SQLA_URL.match(part)
            if match and match.group('password'):
                found.append(match.group('password'))
                continue
        # oslo.messaging / urlsplit: netloc up to the first / ? #, hosts split on ','
        rest = part.split('://', 1)[1]
        netloc = re.split(r'[/?#]', rest, 1)[0]
        for host in netloc.split(','):
            if '@' in host:
                userinfo = host.rpartition('@')[0]
                if ':' in userinfo:
                    pw = userinfo.partition(':')[2]
                    if pw:
                        found.append(pw)
        # _secrets.mask_url's grammar, in two linear scans: after each ',' the password stops at
        # ',' (else 'u:p@h,x:y,x:y,...' is quadratic), after a scheme it may hold ','.
        for pattern in (_USERINFO_AFTER_COMMA, _USERINFO_AFTER_SCHEME):
            for match in pattern.finditer(part):
                if match.group(1):
                    found.append(match.group(1))
    return [pw for pw in found if pw != MASK]


def mask_value(value, secrets=None):
    """``value`` with every URL password replaced by ``********``; raw ones added to ``secrets``."""
    if not isinstance(value, str):
        return value
    pws = set(url_passwords(value))
    if secrets is not None:
        for pw in pws:
            secrets.add(pw)
            secrets.add(unquote(pw))
    masked = _replace_passwords(value, pws)
    if '://' in masked:
        masked = ' '.join(_mask_cut(word) for word in masked.split(' '))
    # url_passwords() covers _secrets.mask_url's grammar in linear time, so it is not called here
    return masked


def _replace_passwords(value, passwords):
    """``value`` with every ``:pw@`` of ``passwords`` as ``:********@`` (at each ``:`` the longest
    password followed by ``@``), in one pass: a ``replace`` per password is quadratic in a URL
    with thousands of hosts."""
    if not passwords:
        return value
    lengths = sorted(set(len(pw) for pw in passwords), reverse=True)
    out = []
    start = 0
    colon = value.find(':')
    while colon >= 0:
        for length in lengths:
            end = colon + 1 + length
            if value.startswith('@', end) and value[colon + 1:end] in passwords:
                out.append(value[start:colon + 1])
                out.append(MASK)
                start = end
                break
        colon = value.find(':', max(colon + 1, start))
    out.append(value[start:])
    return ''.join(out)


def _mask_cut(word):
    """Hide ``user:rest`` host entries without ``@``: a URL cut inside its password (truncated file).

    ``host:5672`` (a port) stays; anything else after the colon is masked, and with it the rest
    of the word (the cut password may have held ``/``).
    """
    if '://' not in word:
        return word
    scheme, rest = word.split('://', 1)
    match = re.match(r'^([^/?#]*)(.*)$', rest, re.S)
    netloc, tail = match.group(1), match.group(2)
    segments = []
    cut = False
    for seg in netloc.split(','):
        if '@' not in seg and ':' in seg and not seg.startswith('['):
            user, _sep, after = seg.partition(':')
            if after and not after.isdigit() and after != MASK:
                seg = '%s:%s' % (user, MASK)
                cut = True
        segments.append(seg)
    if not cut:
        return word
    return '%s://%s%s' % (scheme, ','.join(segments), '' if '@' not in word else tail)


def mask_option(name, value, secrets=None):
    """The value of option ``name`` as it may leave the module."""
    if value in (None, '') or not isinstance(value, str):
        return value
    if is_secret_option(name):
        if secrets is not None:
            secrets.add(value)
        return MASK
    return mask_value(value, secrets)


# --------------------------------------------------------------------------- INI parsing


def parse_oslo_ini(text, source='<text>'):
    """Parse the text of ONE oslo.config file.

    Returns ``(entries, errors)``: ``entries`` is a list of ``(section, option, value, line)`` in
    file order (section names as written), ``errors`` a list of ``{file, line, message}``.
    """
    entries = []
    errors = []
    section = None
    key = None
    value = []
    key_line = 0

    def flush():
        if key is None:
            return
        if section is None:
            errors.append({'file': source, 'line': key_line, 'message': 'option %r before any [section] header (ignored)' % key})
            return
        entries.append((section, key, '\n'.join(value), key_line))

    for lineno, line in enumerate(split_lines(text), 1):
        line = line.rstrip()
        if not line:
            flush()
            key, value = None, []
            continue
        if line.startswith((' ', '\t')):
            if key is None:
                if line.strip().startswith(('#', ';')):
                    continue
                errors.append({'file': source, 'line': lineno, 'message': 'unexpected continuation line (ignored)'})
            else:
                value.append(line.lstrip())
            continue
        flush()
        key, value = None, []
        if line.startswith('['):
            if not line.endswith(']'):
                errors.append({'file': source, 'line': lineno, 'message': 'invalid section header (must end with ]): %s' % line[:80]})
                section = None
            elif len(line) <= 2:
                errors.append({'file': source, 'line': lineno, 'message': 'empty section name'})
                section = None
            else:
                section = line[1:-1]
            continue
        if line.startswith(('#', ';')):
            continue
        colon = line.find(':')
        equal = line.find('=')
        if colon < 0 and equal < 0:
            errors.append({'file': source, 'line': lineno, 'message': "no ':' or '=' in assignment (ignored): %s" % _safe_excerpt(line)})
            continue
        if colon < 0 or (0 <= equal < colon):
            k, v = line[:equal], line[equal + 1:]
        else:
            k, v = line[:colon], line[colon + 1:]
        v = v.strip()
        if v and v[0] == v[-1] and v.startswith(('"', "'")) and len(v) >= 2:
            v = v[1:-1]
        k = k.strip()
        if not k:
            errors.append({'file': source, 'line': lineno, 'message': 'empty option name (ignored)'})
            continue
        key, value, key_line = k, [v], lineno
    flush()
    return entries, cap_errors(errors)


def _safe_excerpt(line):
    """A short excerpt of a malformed line that cannot carry a secret out."""
    return mask_value(line[:60]) if not re.search(r'pass|secret|key|token', line, re.I) else '<line not shown: may hold a secret>'


def _read_source(root, path, max_size, sources, errors):
    """Append ``(path, text)`` to ``sources``; an unreadable file or a read warning goes to ``errors``."""
    try:
        text, warning = read_text(root, path, max_size=max_size)
    except ReadError as exc:
        errors.append({'file': path, 'line': None, 'message': str(exc)})
        return
    if warning:
        errors.append({'file': path, 'line': None, 'message': warning})
    sources.append((path, text))


def parse_oslo_config(text_or_files, root='/', config_dirs=None, max_size=DEFAULT_MAX_FILE_SIZE, mask=True, secrets=None):
    """Parse one or several oslo.config files as one service would see them.

    ``text_or_files``: the text of one file (a ``str``), or a list whose items are logical
    paths under ``root`` (read in order, like repeated ``--config-file``) or ``(name, text)``
    pairs. ``config_dirs``: logical directories whose ``*.conf`` files are read afterwards,
    sorted by name (``--config-dir``). Missing or unreadable files give an ``errors`` entry.

    Returns::

        {'files': [paths read, in order],
         'sections': {section: {option: value}},        # effective value (last one wins)
         'multi': {section: {option: [every value]}},   # all values, all files, file order
         'origins': {section: {option: file}},          # the file the effective value came from
         'by_file': [{'file': f, 'sections': {section: {option: [values]}}}],
         'errors': [{'file', 'line', 'message'}]}

    Section names are normalised (lower-case except ``DEFAULT``). Values are masked unless
    ``mask=False`` (see module docstring).
    """
    sources = []
    errors = []
    if isinstance(text_or_files, str):
        sources.append(('<text>', text_or_files))
    else:
        for item in text_or_files or []:
            if isinstance(item, (tuple, list)) and len(item) == 2:
                sources.append((item[0], item[1]))
                continue
            _read_source(root, item, max_size, sources, errors)
    for directory in config_dirs or []:
        if not isdir(root, directory):
            errors.append({'file': directory, 'line': None, 'message': 'config-dir does not exist or is not a directory'})
            continue
        for path in glob_paths(root, directory.rstrip('/') + '/*.conf'):
            _read_source(root, path, max_size, sources, errors)

    result = {'files': [], 'sections': {}, 'multi': {}, 'origins': {}, 'by_file': [], 'errors': errors}
    for name, text in sources:
        entries, file_errors = parse_oslo_ini(text, source=name)
        errors.extend(file_errors)
        per_file = {}
        for section, option, value, _line in entries:
            sect = normalize_section(section)
            if mask:
                value = mask_option(option, value, secrets)
            elif secrets is not None:
                mask_option(option, value, secrets)
            per_file.setdefault(sect, {}).setdefault(option, []).append(value)
            result['sections'].setdefault(sect, {})[option] = value
            result['multi'].setdefault(sect, {}).setdefault(option, []).append(value)
            result['origins'].setdefault(sect, {})[option] = name
        result['files'].append(name)
        result['by_file'].append({'file': name, 'sections': per_file})
    return result


def _check(conf):
    if not isinstance(conf, dict) or 'by_file' not in conf:
        raise OsloConfigError('not a parse_oslo_config() result')


def oslo_lookup(conf, section, option, deprecated=()):
    """``(value, (section, option), file)`` for a single-valued option, or ``(None, None, None)``.

    ``deprecated``: ``(section, option)`` pairs also accepted; like oslo.config, files are
    searched from the last to the first and, inside a file, the current name before the
    deprecated ones; the last value in that file wins.
    """
    _check(conf)
    names = [(normalize_section(section), option)] + [(normalize_section(s or 'DEFAULT'), o) for s, o in deprecated]
    for parsed in reversed(conf['by_file']):
        sections = parsed['sections']
        for sect, opt in names:
            if sect in sections and opt in sections[sect]:
                return sections[sect][opt][-1], (sect, opt), parsed['file']
    return None, None, None


def to_bool(value):
    """oslo.config BoolOpt conversion: ``True``/``False``; ``None`` for unset; the raw string if invalid."""
    result = parse_bool(value, OSLO)
    return value if result is INVALID else result


def to_list(value):
    """oslo.config ListOpt conversion: comma-separated, stripped, empty items dropped."""
    if value is None:
        return None
    if isinstance(value, list):
        return value
    return [item.strip() for item in str(value).split(',') if item.strip()]


# --------------------------------------------------------------------------- URLs


def _query_dict(query, secrets=None):
    out = {}
    for key, value in parse_qsl(query or '', keep_blank_values=True):
        value = mask_option(key, value, secrets)
        if key in out:
            if not isinstance(out[key], list):
                out[key] = [out[key]]
            out[key].append(value)
        else:
            out[key] = value
    return out


def _port(text):
    if text in (None, ''):
        return None, None
    try:
        port = int(text)
    except ValueError:
        return None, 'port %r is not a number' % text
    if not 0 < port < 65536:
        return None, 'port %d is out of range' % port
    return port, None


def looks_like_db_url(value):
    """True for an SQLAlchemy database URL (``mysql+pymysql://``, ``postgresql://``, ``sqlite://`` ...)."""
    return isinstance(value, str) and bool(_DB_SCHEME.match(value.strip()))


def looks_like_transport_url(value):
    """True for an oslo.messaging transport URL (``rabbit://``, ``kafka://``, ``amqp://`` ...)."""
    return isinstance(value, str) and bool(_TRANSPORT_SCHEME.match(value.strip()))


def parse_db_url(url, secrets=None):
    """Split an SQLAlchemy database URL (the value of ``[database] connection`` and friends).

    Returns ``{url (password masked), driver, dialect, user, host, port, database, query,
    password_set, error}``: ``dialect`` is ``mysql``/``postgresql``/``sqlite``..., ``driver``
    the DBAPI (``pymysql``) or ``None``, ``query`` the URL parameters (``ssl_ca``, ``ssl_cert``,
    ``ssl_key``, ``ssl_verify_cert``, ``charset`` ...; repeated keys become lists), ``error``
    ``None`` or why the URL could not be understood. The password itself is never returned.
    """
    out = {'url': None, 'driver': None, 'dialect': None, 'user': None, 'host': None, 'port': None,
           'database': None, 'query': {}, 'password_set': False, 'error': None}
    if not isinstance(url, str) or not url.strip():
        out['error'] = 'empty database URL'
        return out
    url = url.strip()
    out['url'] = mask_value(url, secrets)
    match = _SQLA_URL.match(url)
    if not match:
        out['error'] = 'not an SQLAlchemy URL (expected dialect[+driver]://user:password@host:port/database?options)'
        return out
    name = match.group('name')
    dialect, _sep, driver = name.partition('+')
    out['dialect'] = dialect.lower()
    out['driver'] = driver or None
    if match.group('username') is not None:
        out['user'] = unquote(match.group('username'))
    password = match.group('password')
    if password:
        out['password_set'] = True
        if secrets is not None:
            secrets.add(password)
            secrets.add(unquote(password))
    host = match.group('ipv6host') or match.group('ipv4host')
    out['host'] = unquote(host) if host else None
    out['port'], error = _port(match.group('port'))
    if error:
        out['error'] = error
    database = match.group('database')
    out['database'] = unquote(database) if database else None
    out['query'] = _query_dict(match.group('query'), secrets)
    if out['dialect'] == 'sqlite':
        out['host'] = None
    return out


def parse_transport_url(url, secrets=None):
    """Split an oslo.messaging transport URL.

    ``rabbit://user:pw@host1:5671,user:pw@host2:5671/vhost?ssl=1`` gives
    ``{url (masked), scheme, hosts: [{host, port, user, password_set}], virtual_host, query,
    error}``. ``port`` is ``None`` when the URL has none (the rabbit driver then uses 5672,
    kafka 9092). ``virtual_host`` is the path without the leading ``/`` (``''`` = the default
    vhost), ``None`` when the URL has no path.
    """
    out = {'url': None, 'scheme': None, 'hosts': [], 'virtual_host': None, 'query': {}, 'error': None}
    if not isinstance(url, str) or not url.strip():
        out['error'] = 'empty transport URL'
        return out
    url = url.strip()
    out['url'] = mask_value(url, secrets)
    if '://' not in url:
        out['error'] = 'not a transport URL (expected driver://[user:pass@]host:port[,...]/virtual_host)'
        return out
    scheme, rest = url.split('://', 1)
    out['scheme'] = scheme.lower()
    match = re.match(r'^([^/?#]*)(/[^?#]*)?(?:\?([^#]*))?', rest)
    netloc, path, query = match.group(1), match.group(2), match.group(3)
    errors = []
    for item in netloc.split(',') if netloc else []:
        user = None
        password_set = False
        hostport = item
        if '@' in item:
            userinfo, _sep, hostport = item.rpartition('@')
            user, colon, pw = userinfo.partition(':')
            user = unquote(user) if user else None
            if colon and pw:
                password_set = True
                if secrets is not None:
                    secrets.add(pw)
                    secrets.add(unquote(pw))
        host, port_text = hostport, None
        if hostport.startswith('['):
            end = hostport.find(']')
            if end < 0:
                errors.append('unterminated [IPv6] address in %r' % hostport)
                host = hostport[1:]
            else:
                host = hostport[1:end]
                if hostport[end + 1:].startswith(':'):
                    port_text = hostport[end + 2:]
        elif hostport.count(':') == 1:
            host, port_text = hostport.split(':')
        port, error = _port(port_text)
        if error:
            errors.append(error)
        out['hosts'].append({'host': host or None, 'port': port, 'user': user, 'password_set': password_set})
    if path is not None:
        out['virtual_host'] = unquote(path[1:])
    out['query'] = _query_dict(query, secrets)
    if errors:
        out['error'] = '; '.join(errors)
    return out
