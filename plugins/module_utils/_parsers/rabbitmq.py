# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""RabbitMQ configuration: ``rabbitmq.conf`` (sysctl / cuttlefish format) and the classic
Erlang-term files ``rabbitmq.config`` / ``advanced.config``.

Both give the same ``rabbit`` summary (listeners, ``ssl_options``, management listeners), so a
rule does not care which format a node uses. No RabbitMQ defaults are applied: a listener kind
that is not configured is ``None`` (RabbitMQ then listens on 5672 on all interfaces for AMQP
and has no TLS listener), an explicitly disabled one (``listeners.tcp = none``,
``{tcp_listeners, []}``) is ``[]``.

The Erlang reader is a small tokenizer and recursive-descent parser for the subset config
files use: lists, tuples, maps, atoms (bare and quoted), strings (adjacent ones concatenate),
binaries ``<<"...">>``, integers (incl. ``16#FF`` and ``$c``), floats, ``%`` comments, and the
terminating ``.``. Strings become ``str``, atoms :class:`Atom` (a ``str`` subclass), tuples
Python tuples, binaries :class:`Binary`.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible_collections.scs.secure_connections.plugins.module_utils._core.secrets import MASK, is_secret_key, split_lines
from ansible_collections.scs.secure_connections.plugins.module_utils._core.rootfs import cap_errors
from ansible_collections.scs.secure_connections.plugins.module_utils._core.words import INVALID, LITERAL, parse_bool
from ansible_collections.scs.secure_connections.plugins.module_utils._parsers.lexing import decimal

MAX_NESTING = 200
MAX_DIGITS = 1000


class ErlangParseError(ValueError):
    """A syntax error in an Erlang term file; ``line`` and ``column`` say where."""

    def __init__(self, message, line=None, column=None):
        super(ErlangParseError, self).__init__(message)
        self.message = message
        self.line = line
        self.column = column

    def __str__(self):
        if self.line is None:
            return self.message
        return 'line %s, column %s: %s' % (self.line, self.column, self.message)


class Atom(str):
    """An Erlang atom (``verify_peer``, ``'tlsv1.2'``)."""


class Binary(str):
    """An Erlang binary (``<<"guest">>``) holding text."""


# --------------------------------------------------------------------------- tokenizer

_TOKEN_RE = re.compile(r'''
    (?P<ws>\s+)
  | (?P<comment>%[^\n]*)
  | (?P<float>-?\d+\.\d+(?:[eE][+-]?\d+)?)
  | (?P<based>-?\d{1,2}\#[0-9a-zA-Z]+)
  | (?P<int>-?\d+)
  | (?P<char>\$(?:\\.|.))
  | (?P<atom>[a-z][A-Za-z0-9_@]*)
  | (?P<var>[A-Z_][A-Za-z0-9_@]*)
  | (?P<punct><<|>>|=>|:=|\#\{|[{}\[\](),|.=:])
''', re.X | re.S)

_ESC = {'n': '\n', 't': '\t', 'r': '\r', 's': ' ', 'b': '\b', 'f': '\f', 'e': '\x1b', 'v': '\v', 'd': '\x7f',
        '\\': '\\', '"': '"', "'": "'"}


_HEX_ESC = re.compile(r'x\{([0-9a-fA-F]{1,8})\}|x([0-9a-fA-F]{2})')
_OCT_ESC = re.compile(r'[0-7]{1,3}')


def _read_quoted(text, pos, quote, line, col):
    out = []
    i = pos + 1
    while i < len(text):
        char = text[i]
        if char == quote:
            return ''.join(out), i + 1
        if char == '\\' and i + 1 < len(text):
            nxt = text[i + 1]
            if nxt in _ESC:
                out.append(_ESC[nxt])
                i += 2
                continue
            if nxt == 'x':
                match = _HEX_ESC.match(text, i + 1)
                if match:
                    out.append(_chr(int(match.group(1) or match.group(2), 16)))
                    i += 1 + len(match.group(0))
                    continue
            match = _OCT_ESC.match(text, i + 1)
            if match:
                out.append(_chr(int(match.group(0), 8)))
                i += 1 + len(match.group(0))
                continue
            out.append(nxt)
            i += 2
            continue
        out.append(char)
        i += 1
    raise ErlangParseError('unterminated %s' % ('string' if quote == '"' else 'quoted atom'), line, col)


def _chr(code):
    try:
        return chr(code)
    except (ValueError, OverflowError):
        return u'\ufffd'


def _number(digits, base, value, line, col):
    """``int(digits, base)``, or :class:`ErlangParseError` for a bad base or digit, or a number
    too long for ``int()`` (Python refuses more than 4300 digits; no setting needs 1000)."""
    if len(digits) > MAX_DIGITS:
        raise ErlangParseError('number with %d digits is too long' % len(digits), line, col)
    try:
        return int(digits, base)
    except ValueError:
        raise ErlangParseError('bad number %s' % value[:40], line, col)


def tokenize_erlang(text):
    """List of ``(kind, value, line, column)``; kinds: str atom int float punct end."""
    tokens = []
    pos = 0
    line = 1
    line_start = 0
    length = len(text)
    while pos < length:
        col = pos - line_start + 1
        char = text[pos]
        if char == '"':
            value, end = _read_quoted(text, pos, '"', line, col)
            tokens.append(('str', value, line, col))
        elif char == "'":
            value, end = _read_quoted(text, pos, "'", line, col)
            tokens.append(('atom', value, line, col))
        else:
            match = _TOKEN_RE.match(text, pos)
            if not match:
                raise ErlangParseError('unexpected character %r' % char, line, col)
            kind = match.lastgroup
            value = match.group(0)
            end = match.end()
            if kind == 'float':
                tokens.append(('float', float(value), line, col))
            elif kind == 'based':
                base, _sep, digits = value.lstrip('-').partition('#')
                number = _number(digits, int(base), value, line, col)
                tokens.append(('int', -number if value.startswith('-') else number, line, col))
            elif kind == 'int':
                tokens.append(('int', _number(value, 10, value, line, col), line, col))
            elif kind == 'char':
                body = value[1:]
                if body == '\\':
                    raise ErlangParseError('character escape at end of file', line, col)
                tokens.append(('int', ord(_ESC.get(body[1], body[1]) if body.startswith('\\') else body), line, col))
            elif kind == 'atom':
                tokens.append(('atom', value, line, col))
            elif kind == 'var':
                raise ErlangParseError('a variable (an unquoted word starting with a capital letter or _; not shown, it may be a '
                                       'secret) is not allowed in a config file', line, col)
            elif kind == 'punct':
                tokens.append(('punct', value, line, col))
        newlines = text.count('\n', pos, end)
        if newlines:
            line += newlines
            line_start = text.rfind('\n', pos, end) + 1
        pos = end
    tokens.append(('end', None, line, pos - line_start + 1))
    return tokens


class _Parser(object):
    def __init__(self, tokens):
        self.tokens = tokens
        self.pos = 0

    def peek(self):
        return self.tokens[self.pos]

    def take(self):
        tok = self.tokens[self.pos]
        if tok[0] != 'end':
            self.pos += 1
        return tok

    def expect(self, value):
        tok = self.take()
        if tok[0] != 'punct' or tok[1] != value:
            raise ErlangParseError('expected %r, found %s' % (value, _describe(tok)), tok[2], tok[3])
        return tok

    def term(self, depth=0):
        if depth > MAX_NESTING:
            tok = self.peek()
            raise ErlangParseError('terms nested deeper than %d' % MAX_NESTING, tok[2], tok[3])
        tok = self.take()
        kind, value = tok[0], tok[1]
        if kind == 'str':
            parts = [value]
            while self.peek()[0] == 'str':
                parts.append(self.take()[1])
            return ''.join(parts)
        if kind == 'atom':
            return Atom(value)
        if kind in ('int', 'float'):
            return value
        if kind == 'punct':
            if value == '[':
                return self.sequence(']', depth, as_list=True)
            if value == '{':
                return tuple(self.sequence('}', depth))
            if value == '#{':
                return self.map(depth)
            if value == '<<':
                return self.binary()
        raise ErlangParseError('unexpected %s' % _describe(tok), tok[2], tok[3])

    def sequence(self, close, depth, as_list=False):
        items = []
        if self.peek()[0] == 'punct' and self.peek()[1] == close:
            self.take()
            return items
        while True:
            items.append(self.term(depth + 1))
            tok = self.take()
            if tok[0] == 'punct' and tok[1] == ',':
                continue
            if tok[0] == 'punct' and tok[1] == close:
                return items
            if as_list and tok[0] == 'punct' and tok[1] == '|':
                items.append(self.term(depth + 1))
                self.expect(close)
                return items
            raise ErlangParseError('expected "," or %r, found %s' % (close, _describe(tok)), tok[2], tok[3])

    def map(self, depth):
        out = {}
        if self.peek()[0] == 'punct' and self.peek()[1] == '}':
            self.take()
            return out
        while True:
            key = self.term(depth + 1)
            tok = self.take()
            if tok[0] != 'punct' or tok[1] not in ('=>', ':='):
                raise ErlangParseError('expected "=>" in map, found %s' % _describe(tok), tok[2], tok[3])
            out[_hashable(key)] = self.term(depth + 1)
            tok = self.take()
            if tok[0] == 'punct' and tok[1] == ',':
                continue
            if tok[0] == 'punct' and tok[1] == '}':
                return out
            raise ErlangParseError('expected "," or "}" in map, found %s' % _describe(tok), tok[2], tok[3])

    def binary(self):
        parts = []
        if self.peek()[0] == 'punct' and self.peek()[1] == '>>':
            self.take()
            return Binary('')
        while True:
            tok = self.take()
            if tok[0] == 'str':
                parts.append(tok[1])
            elif tok[0] == 'int':
                parts.append(_chr(tok[1] & 0xff))
            else:
                raise ErlangParseError('unexpected %s in binary' % _describe(tok), tok[2], tok[3])
            # optional /utf8 or :size qualifiers are not supported; a comma or >> must follow
            tok = self.take()
            if tok[0] == 'punct' and tok[1] == ',':
                continue
            if tok[0] == 'punct' and tok[1] == '>>':
                return Binary(''.join(parts))
            raise ErlangParseError('expected "," or ">>" in binary, found %s' % _describe(tok), tok[2], tok[3])


def _hashable(value):
    if isinstance(value, list):
        return tuple(_hashable(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((str(k), str(v)) for k, v in value.items()))
    return value


def _describe(tok):
    if tok[0] == 'end':
        return 'end of file'
    # a token's text is shown only for punctuation: a misplaced word or string may be a secret (line and column say where)
    return '%s %r' % (tok[0], tok[1]) if tok[0] == 'punct' else 'an unexpected %s' % tok[0]


def parse_erlang_terms(text):
    """All ``Term.`` forms in ``text`` as a list; :class:`ErlangParseError` on a syntax error."""
    parser = _Parser(tokenize_erlang(text))
    terms = []
    while parser.peek()[0] != 'end':
        terms.append(parser.term())
        tok = parser.take()
        if tok[0] != 'punct' or tok[1] != '.':
            raise ErlangParseError('expected "." after a term, found %s' % _describe(tok), tok[2], tok[3])
    return terms


def erlang_to_json(term, key=None, secrets=None):
    """A JSON-friendly copy: tuples -> lists, ``true``/``false`` atoms -> booleans, other atoms
    and binaries -> strings, map keys -> strings; values of ``{secret_key, Value}`` pairs masked."""
    if isinstance(term, tuple):
        if len(term) == 2 and isinstance(term[0], Atom) and _secret_name(term[0]):
            value = term[1]
            if isinstance(value, str) and value:
                if secrets is not None:
                    secrets.add(str(value))
                value = MASK
            return [str(term[0]), erlang_to_json(value, secrets=secrets)]
        return [erlang_to_json(t, secrets=secrets) for t in term]
    if isinstance(term, list):
        return [erlang_to_json(t, secrets=secrets) for t in term]
    if isinstance(term, dict):
        return dict((str(k), erlang_to_json(v, secrets=secrets)) for k, v in term.items())
    if isinstance(term, Atom):
        if term == 'true':
            return True
        if term == 'false':
            return False
        return str(term)
    if isinstance(term, str):
        return str(term)
    return term


def _secret_name(name):
    return is_secret_key(str(name)) or str(name) in ('default_pass', 'erlang_cookie')


def _proplist(value):
    """An Erlang proplist (``[{k, v}, flag]``) or map as an ordered dict-like list of pairs."""
    if isinstance(value, dict):
        return [(str(k), v) for k, v in value.items()]
    pairs = []
    if isinstance(value, list):
        for item in value:
            if isinstance(item, tuple) and len(item) >= 2 and isinstance(item[0], (Atom, str)):
                pairs.append((str(item[0]), item[1] if len(item) == 2 else tuple(item[1:])))
            elif isinstance(item, Atom):
                pairs.append((str(item), Atom('true')))
    return pairs


def _pget(value, key, default=None):
    for k, v in _proplist(value):
        if k == key:
            return v
    return default


# --------------------------------------------------------------------------- common summary


def _empty_summary():
    return {
        'listeners': {'tcp': None, 'ssl': None},
        'ssl_options': {},
        'management': {'tcp': None, 'ssl': None},
        'default_user': None,
        'loopback_users': None,
    }


def _listener(value):
    """``5671`` / ``{"127.0.0.1", 5671}`` / ``"::1:5671"`` / ``"[::1]:5671"`` -> ``{address, port}``."""
    if isinstance(value, tuple) and len(value) == 2:
        address, port = value
        if isinstance(address, tuple):
            address = '.'.join(str(p) for p in address) if len(address) == 4 else ':'.join('%x' % p for p in address if isinstance(p, int))
        return {'address': str(address), 'port': _int(port)}
    if isinstance(value, int):
        return {'address': None, 'port': value}
    text = str(value).strip()
    if decimal(text) is not None:
        return {'address': None, 'port': decimal(text)}
    if text.startswith('[') and ']:' in text:
        address, _sep, port = text[1:].partition(']:')
        return {'address': address, 'port': _int(port)}
    address, _sep, port = text.rpartition(':')
    if not _sep:
        return {'address': text, 'port': None}
    return {'address': address, 'port': _int(port)}


def _int(value):
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    try:
        return int(str(value).strip())
    except ValueError:
        return str(value)


def _scalar(value, key=None, secrets=None):
    """A config value as JSON: atoms true/false -> bool, digits -> int, lists recursively."""
    if key is not None and _secret_name(key) and isinstance(value, str) and value not in ('', MASK):
        if secrets is not None:
            secrets.add(str(value))
        return MASK
    if isinstance(value, (list, tuple, dict)):
        return erlang_to_json(value, secrets=secrets)
    if isinstance(value, Atom):
        return erlang_to_json(value)
    if isinstance(value, str):
        flag = parse_bool(value, LITERAL)
        if flag is not INVALID:
            return flag
        if decimal(value.strip()) is not None:
            return decimal(value.strip())
        return value
    return value


def _ssl_options_from_proplist(value, secrets=None):
    out = {}
    for key, val in _proplist(value):
        out[key] = _scalar(val, key, secrets)
    return out


def merge_rabbit_summaries(base, override, replace_ssl_options=True):
    """``override`` (advanced.config / the classic file) over ``base`` (rabbitmq.conf).

    Listener and management entries merge key by key. ``ssl_options`` is one application
    environment key to RabbitMQ: a non-empty override REPLACES the base's whole (measured with
    RabbitMQ 3.10: an advanced.config holding only ``{ssl_options, [{versions, ...}]}`` leaves the
    listener without certfile/keyfile); an override without ssl_options keeps the base's.
    Fragments of one format (several rabbitmq.conf files) merge key by key:
    ``replace_ssl_options=False``.
    """
    out = _empty_summary()
    for part in (base or {}, override or {}):
        for key, value in part.items():
            if key in ('listeners', 'management') and isinstance(value, dict):
                for sub, subval in value.items():
                    if subval is not None:
                        out[key][sub] = subval
            elif key == 'ssl_options':
                if value:
                    out['ssl_options'] = dict(value) if replace_ssl_options else dict(out['ssl_options'], **value)
            elif value is not None:
                out[key] = value
    return out


# --------------------------------------------------------------------------- rabbitmq.conf


def parse_rabbitmq_conf(text, secrets=None):
    """Parse ``rabbitmq.conf`` (new style, ``key = value``, ``#`` comments, also after a value).

    Returns ``{'settings': {key: value}, 'rabbit': summary, 'errors': [{line, message}]}``;
    ``settings`` keeps every key as written (secret values masked), ``rabbit`` is::

        {'listeners': {'tcp': [{address, port}] | [] | None, 'ssl': ... },
         'ssl_options': {cacertfile, certfile, keyfile, verify, fail_if_no_peer_cert,
                         versions: [...], ciphers: [...], ...},
         'management': {'tcp': {port, ip, ...} | None, 'ssl': {port, ip, cacertfile, ...} | None},
         'default_user': ..., 'loopback_users': ...}
    """
    settings = {}
    errors = []
    for lineno, line in enumerate(split_lines(text), 1):
        stripped = line.strip()
        if not stripped or stripped.startswith('#'):
            continue
        key, sep, value = stripped.partition('=')
        key = key.strip()
        if not sep or not key or not re.match(r'^[A-Za-z0-9_.\-$@]+$', key):
            errors.append({'line': lineno, 'message': 'not a "key = value" line (ignored): %s' % (
                stripped[:60] if not re.search(r'pass|secret|cookie', stripped, re.I) else '<line not shown: may hold a secret>')})
            continue
        value, bad = _conf_value(value)
        if bad:
            errors.append({'line': lineno, 'message': 'text after the closing quote of a value (RabbitMQ refuses the file): %s' % (
                key if _secret_name(key.split('.')[-1]) or _secret_name(key) else stripped[:60])})
            continue
        if _secret_name(key.split('.')[-1]) or _secret_name(key):
            if value and secrets is not None:
                secrets.add(value)
            value = MASK if value else value
        settings[key] = value
    return {'settings': settings, 'rabbit': _summary_from_settings(settings), 'errors': cap_errors(errors)}


def _conf_value(raw):
    """``(value, bad)`` of the text after ``=`` as cuttlefish's conf_parse.peg reads it: a value in single quotes is
    the text between them; any other value ends at the first ``#`` (a comment, whitespace before it or not) and
    loses its surrounding whitespace. ``bad``: text other than a comment after a closing quote."""
    raw = raw.strip()
    if raw.startswith("'") and raw.find("'", 1) > 0:
        end = raw.find("'", 1)
        rest = raw[end + 1:].strip()
        return raw[1:end], bool(rest) and not rest.startswith('#')
    return raw.split('#', 1)[0].strip(), False


def _collect_indexed(settings, prefix):
    """Values of ``prefix.<n>`` keys in index order (``versions.1``, ``versions.2`` ...)."""
    items = []
    for key, value in settings.items():
        if key.startswith(prefix + '.'):
            index = key[len(prefix) + 1:]
            if '.' not in index:
                number = decimal(index)
                items.append((index if number is None else number, value))
    items.sort(key=lambda kv: (not isinstance(kv[0], int), kv[0] if isinstance(kv[0], int) else 0, str(kv[0])))
    return [v for _k, v in items]


def _ssl_block(settings, prefix):
    out = {}
    for key, value in settings.items():
        if not key.startswith(prefix + '.'):
            continue
        rest = key[len(prefix) + 1:]
        head = rest.split('.')[0]
        if head in ('versions', 'ciphers', 'eccs'):
            if head not in out:  # once per list: once per item would be quadratic
                out[head] = _collect_indexed(settings, prefix + '.' + head)
        elif '.' not in rest:
            out[rest] = _scalar(value, rest)
        else:
            out[rest] = value
    return out


def _summary_from_settings(settings):
    summary = _empty_summary()
    for kind in ('tcp', 'ssl'):
        key = 'listeners.%s' % kind
        if settings.get(key, '').strip().lower() == 'none':
            summary['listeners'][kind] = []
        items = []
        for skey, value in settings.items():
            if skey.startswith(key + '.') and skey.count('.') == 2:
                items.append(_listener(value))
        if items:
            summary['listeners'][kind] = items
    summary['ssl_options'] = _ssl_block(settings, 'ssl_options')
    mgmt_tcp = _ssl_block(settings, 'management.tcp')
    mgmt_ssl = _ssl_block(settings, 'management.ssl')
    legacy = _ssl_block(settings, 'management.listener')
    if legacy:
        legacy_ssl = legacy.pop('ssl', False)
        ssl_opts = _ssl_block(settings, 'management.listener.ssl_opts')
        for key in list(legacy):
            if key.startswith('ssl_opts.'):
                legacy.pop(key)
        if legacy_ssl is True:
            block = dict(legacy)
            block.update(ssl_opts)
            mgmt_ssl = dict(block, **mgmt_ssl)
        else:
            mgmt_tcp = dict(legacy, **mgmt_tcp)
    summary['management']['tcp'] = _port_int(mgmt_tcp) or None
    summary['management']['ssl'] = _port_int(mgmt_ssl) or None
    summary['default_user'] = settings.get('default_user')
    loopback = dict((k.split('.', 1)[1], _scalar(v)) for k, v in settings.items() if k.startswith('loopback_users.'))
    if settings.get('loopback_users', '').strip().lower() == 'none':
        loopback = {}
    summary['loopback_users'] = loopback if ('loopback_users' in settings or loopback) else None
    return summary


def _port_int(block):
    if block and 'port' in block:
        block['port'] = _int(block['port'])
    return block


# --------------------------------------------------------------------------- classic Erlang config


def parse_erlang_config(text, secrets=None):
    """Parse a classic ``rabbitmq.config`` or an ``advanced.config`` (one Erlang term, ``[...].``).

    Returns ``{'config': JSON-friendly term or None, 'apps': {app: {key: value}}, 'rabbit': summary
    (see :func:`parse_rabbitmq_conf`), 'errors': [{line, column, message}]}``. A syntax error
    gives an ``errors`` entry, ``config`` ``None`` and an empty summary.
    """
    out = {'config': None, 'apps': {}, 'rabbit': _empty_summary(), 'errors': []}
    try:
        terms = parse_erlang_terms(text)
    except ErlangParseError as exc:
        out['errors'].append({'line': exc.line, 'column': exc.column, 'message': 'Erlang syntax error: %s' % exc.message})
        return out
    except RecursionError:
        out['errors'].append({'line': None, 'column': None, 'message': 'Erlang terms nested too deeply'})
        return out
    if not terms:
        out['errors'].append({'line': None, 'column': None, 'message': 'no Erlang term in the file (empty config)'})
        return out
    if len(terms) > 1:
        out['errors'].append({'line': None, 'column': None, 'message': '%d terms in the file; RabbitMQ reads only one' % len(terms)})
    term = terms[0]
    out['config'] = erlang_to_json(term, secrets=secrets)
    if not isinstance(term, list):
        out['errors'].append({'line': None, 'column': None, 'message': 'top-level term is not a list of {Application, Settings}'})
        return out
    for app, env in _proplist(term):
        out['apps'][app] = dict((k, _scalar(v, k, secrets)) for k, v in _proplist(env))
    rabbit_env = _pget(term, 'rabbit', [])
    summary = out['rabbit']
    tcp = _pget(rabbit_env, 'tcp_listeners')
    if tcp is not None:
        summary['listeners']['tcp'] = [_listener(item) for item in tcp] if isinstance(tcp, list) else []
    ssl = _pget(rabbit_env, 'ssl_listeners')
    if ssl is not None:
        summary['listeners']['ssl'] = [_listener(item) for item in ssl] if isinstance(ssl, list) else []
    ssl_options = _pget(rabbit_env, 'ssl_options')
    if ssl_options is not None:
        summary['ssl_options'] = _ssl_options_from_proplist(ssl_options, secrets)
    user = _pget(rabbit_env, 'default_user')
    summary['default_user'] = str(user) if user is not None else None
    loopback = _pget(rabbit_env, 'loopback_users')
    summary['loopback_users'] = erlang_to_json(loopback) if loopback is not None else None
    mgmt = _pget(term, 'rabbitmq_management', [])
    listener = _pget(mgmt, 'listener')
    if listener is not None:
        block = _ssl_options_from_proplist(listener, secrets)
        ssl_flag = block.pop('ssl', False)
        ssl_opts = block.pop('ssl_opts', None)
        if ssl_flag is True:
            if isinstance(ssl_opts, list):
                ssl_block = dict(block)
                ssl_block.update(_ssl_options_from_proplist(_pget(listener, 'ssl_opts'), secrets))
                block = ssl_block
            summary['management']['ssl'] = block
        else:
            summary['management']['tcp'] = block
    for kind, key in (('tcp', 'tcp_config'), ('ssl', 'ssl_config')):
        cfg = _pget(mgmt, key)
        if cfg is not None:
            summary['management'][kind] = _ssl_options_from_proplist(cfg, secrets)
    return out
