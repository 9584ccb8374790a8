# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""TLS frontends of HAProxy (``haproxy.cfg``) and nginx (``nginx.conf`` with its includes).

HAProxy: sections ``global``/``defaults``/``frontend``/``backend``/``listen`` (others are
skipped); words split like HAProxy 2.x does (``'…'``/``"…"`` quotes, ``\\`` escapes, ``#``
comments); ``bind`` lines with their TLS parameters (``ssl``, ``crt``, ``ciphers``,
``ciphersuites``, ``ssl-min-ver``, ``curves``, ``no-tlsv1x`` ...), ``server`` lines with
theirs, and the global ``ssl-default-bind-*`` / ``ssl-default-server-*`` settings. Secrets
(``stats auth``, userlist passwords) are never returned.

nginx: directives, blocks and quoting as nginx reads them, ``include`` (globs, relative to
the main file's directory) with loop protection; every ``server`` block of ``http`` and
``stream`` with its ``listen`` lines and the ``ssl_*`` settings in effect (inherited from
``http``/``stream`` when the server does not set them).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import posixpath
import re

from ansible_collections.scs.secure_connections.plugins.module_utils._core.secrets import MASK, split_lines
from ansible_collections.scs.secure_connections.plugins.module_utils._core.words import NGINX, parse_bool
from ansible_collections.scs.secure_connections.plugins.module_utils._core.rootfs import (
    DEFAULT_MAX_FILE_SIZE, ReadError, cap_errors, glob_paths, read_text, resolve,
)
from ansible_collections.scs.secure_connections.plugins.module_utils._parsers.lexing import decimal

# --------------------------------------------------------------------------- HAProxy

_HAPROXY_SECTIONS = ('global', 'defaults', 'frontend', 'backend', 'listen', 'userlist', 'peers', 'resolvers', 'mailers',
                     'program', 'http-errors', 'ring', 'cache', 'fcgi-app', 'crt-store', 'traces', 'log-forward')
# bind / server keywords that take one argument; others are flags
_BIND_ARG = frozenset((
    'crt', 'crt-list', 'ca-file', 'ca-verify-file', 'ca-sign-file', 'ca-sign-pass', 'crl-file', 'verify', 'ciphers',
    'ciphersuites', 'ssl-min-ver', 'ssl-max-ver', 'curves', 'ecdhe', 'alpn', 'npn', 'sigalgs', 'client-sigalgs', 'name',
    'id', 'process', 'interface', 'mss', 'maxconn', 'backlog', 'nice', 'mode', 'user', 'group', 'uid', 'gid', 'level',
    'severity-output', 'thread', 'namespace', 'tls-ticket-keys', 'tcp-ut', 'ocsp-update', 'quic-cc-algo', 'label',
    'accept-netscaler-cip', 'guid-prefix', 'proto', 'idle-ping', 'ssl-default', 'sni', 'check-sni', 'check-alpn', 'weight',
    'inter', 'fastinter', 'downinter', 'rise', 'fall', 'port', 'addr', 'cookie', 'maxqueue', 'minconn', 'slowstart',
    'source', 'resolvers', 'resolve-prefer', 'init-addr', 'on-error', 'on-marked-down', 'on-marked-up', 'error-limit',
    'agent-check', 'agent-port', 'agent-inter', 'agent-addr', 'agent-send', 'observe', 'pool-max-conn', 'pool-low-conn',
    'pool-purge-delay', 'max-reuse', 'redir', 'track', 'usesrc', 'socks4', 'log-proto', 'proxy-v2-options', 'set-proxy-v2-tlv-fmt',
    'check-proto', 'ws', 'shard', 'default-crt', 'ktls', 'hash-key', 'log-bufsize', 'tcp-md5sig',
))
_TLS_VERSION_FLAGS = ('no-sslv3', 'no-tlsv10', 'no-tlsv11', 'no-tlsv12', 'no-tlsv13', 'force-sslv3', 'force-tlsv10',
                      'force-tlsv11', 'force-tlsv12', 'force-tlsv13')


def split_haproxy_words(line):
    """HAProxy 2.x word splitting: quotes, backslash escapes, ``#`` comment outside quotes."""
    words = []
    current = []
    has_word = False
    quote = None
    i = 0
    while i < len(line):
        char = line[i]
        if quote:
            if char == quote:
                quote = None
            elif char == '\\' and quote == '"' and i + 1 < len(line):
                current.append(line[i + 1])
                i += 1
            else:
                current.append(char)
            i += 1
            continue
        if char in ('"', "'"):
            quote = char
            has_word = True
        elif char == '\\' and i + 1 < len(line):
            current.append(line[i + 1])
            has_word = True
            i += 1
        elif char == '#':
            break
        elif char in ' \t':
            if has_word:
                words.append(''.join(current))
                current = []
                has_word = False
        else:
            current.append(char)
            has_word = True
        i += 1
    if has_word:
        words.append(''.join(current))
    return words, quote is not None


def parse_haproxy_address(text):
    """``10.0.0.1:443`` / ``:443`` / ``*:443`` / ``:::443`` / ``ipv6@:443`` / ``unix@/s`` -> dict."""
    out = {'raw': text, 'family': None, 'address': None, 'port': None, 'port_end': None, 'path': None}
    match = re.match(r'^(ipv4|ipv6|tcp|tcp4|tcp6|udp|udp4|udp6|quic4|quic6|unix|abns|abnsz|fd|sockpair|uxst|uxdg|rhttp)@(.*)$', text)
    rest = text
    if match:
        out['family'] = match.group(1)
        rest = match.group(2)
    if out['family'] in ('unix', 'abns', 'abnsz', 'fd', 'sockpair', 'uxst', 'uxdg', 'rhttp') or rest.startswith('/'):
        out['path'] = rest
        out['family'] = out['family'] or 'unix'
        return out
    host, sep, port = rest.rpartition(':')
    if not sep:
        out['address'] = rest or None
        return out
    if host.startswith('[') and host.endswith(']'):
        host = host[1:-1]
    out['address'] = host if host not in ('', '*') else None
    if '-' in port:
        start, _s, end = port.partition('-')
        out['port'] = decimal(start)
        out['port_end'] = decimal(end)
    else:
        out['port'] = decimal(port)
    if out['family'] is None and out['address'] and ':' in out['address']:
        out['family'] = 'ipv6'
    return out


def _params(words):
    params = {}
    flags = []
    i = 0
    while i < len(words):
        word = words[i]
        if word in _BIND_ARG and i + 1 < len(words):
            if word in ('crt', 'crt-list', 'ca-file', 'crl-file'):
                params.setdefault(word, []).append(words[i + 1])
            elif word in ('ca-sign-pass',):
                params[word] = MASK
            else:
                params[word] = words[i + 1]
            i += 2
            continue
        flags.append(word)
        i += 1
    return params, flags


def _tls_block(params, flags):
    return {
        'ssl': 'ssl' in flags,
        'crt': params.get('crt', []),
        'crt_list': params.get('crt-list', []),
        'ca_file': params.get('ca-file', []),
        'verify': params.get('verify'),
        'ciphers': params.get('ciphers'),
        'ciphersuites': params.get('ciphersuites'),
        'ssl_min_ver': params.get('ssl-min-ver'),
        'ssl_max_ver': params.get('ssl-max-ver'),
        'curves': params.get('curves'),
        'ecdhe': params.get('ecdhe'),
        'alpn': params.get('alpn'),
        'version_flags': [f for f in flags if f in _TLS_VERSION_FLAGS],
        'params': params,
        'flags': flags,
    }


def _haproxy_section(kind, name, source, lineno, result):
    """Open a section: what later lines of it fill (``None`` for sections whose lines are not kept)."""
    current = None
    if kind in ('frontend', 'listen'):
        current = {'name': name, 'type': kind, 'mode': None, 'file': source, 'line': lineno, 'binds': [],
                   'redirects_to_https': False, 'default_backend': None}
        result['frontends'].append(current)
    if kind in ('backend', 'listen'):
        backend = {'name': name, 'type': kind, 'mode': None, 'file': source, 'line': lineno, 'servers': [], 'default_server': None}
        result['backends'].append(backend)
        if kind == 'listen':
            current['_backend'] = backend
        else:
            current = {'_backend': backend}
    if kind == 'defaults':
        current = {'name': name, 'mode': None, 'line': lineno}
        result['defaults'].append(current)
    return current


def _haproxy_server(keyword, words, backend, lineno, error):
    """A ``server`` or ``default-server`` line of a backend."""
    if keyword == 'server':
        if len(words) < 3:
            error('server without an address')
            return
        params, flags = _params(words[3:])
        server = _tls_block(params, flags)
        server.update({'name': words[1], 'address': parse_haproxy_address(words[2]), 'sni': params.get('sni'),
                       'check_ssl': 'check-ssl' in flags, 'line': lineno})
        backend['servers'].append(server)
    else:
        params, flags = _params(words[1:])
        backend['default_server'] = _tls_block(params, flags)


def _haproxy_proxy_line(kind, current, words, lineno, secrets, error):
    """One line inside a defaults, frontend, listen or backend section."""
    keyword = words[0]
    if keyword == 'mode' and len(words) > 1:
        current['mode'] = words[1]
        if '_backend' in current:
            current['_backend']['mode'] = words[1]
    elif keyword == 'stats' and len(words) > 2 and words[1] == 'auth':
        if secrets is not None and ':' in words[2]:
            secrets.add(words[2].split(':', 1)[1])
    elif keyword == 'bind' and kind in ('frontend', 'listen'):
        if len(words) < 2:
            error('bind without an address')
            return
        params, flags = _params(words[2:])
        bind = _tls_block(params, flags)
        bind['addresses'] = [parse_haproxy_address(a) for a in words[1].split(',') if a]
        bind['line'] = lineno
        current['binds'].append(bind)
    elif keyword in ('redirect', 'http-request') and 'scheme' in words and 'https' in words:
        if kind in ('frontend', 'listen'):
            current['redirects_to_https'] = True
    elif keyword in ('default_backend', 'use_backend') and len(words) > 1 and kind in ('frontend', 'listen'):
        if keyword == 'default_backend':
            current['default_backend'] = words[1]
    elif keyword in ('server', 'default-server') and kind in ('backend', 'listen'):
        if current.get('_backend') is not None:
            _haproxy_server(keyword, words, current['_backend'], lineno, error)


class _LineErrors(object):
    """``error(message)`` records a parse error of the line being read (``line``, set by the reader)."""

    def __init__(self, errors, source):
        self.errors = errors
        self.source = source
        self.line = None

    def __call__(self, message):
        self.errors.append({'file': self.source, 'line': self.line, 'message': message})


def parse_haproxy_cfg(text, source='<text>', secrets=None):
    """Parse a ``haproxy.cfg`` (or one ``conf.d`` / kolla ``services.d`` fragment).

    Returns::

        {'global': {'ssl-default-bind-ciphers': ..., 'ssl-default-bind-ciphersuites': ...,
                    'ssl-default-bind-options': [...], 'ssl-default-bind-curves': ...,
                    'ssl-default-server-*': ..., 'tune.ssl.default-dh-param': ..., ...},
         'defaults': [{'name', 'mode', 'line'}],
         'frontends': [{'name', 'type': 'frontend'|'listen', 'mode', 'file', 'line',
                        'binds': [{'addresses': [{address, port, port_end, family, path, raw}],
                                   'ssl', 'crt', 'ciphers', 'ciphersuites', 'ssl_min_ver',
                                   'ssl_max_ver', 'curves', 'verify', 'ca_file', 'alpn',
                                   'version_flags', 'params', 'flags', 'line'}],
                        'redirects_to_https': bool, 'default_backend'}],
         'backends': [{'name', 'type': 'backend'|'listen', 'mode', 'servers': [{'name',
                       'address': {...}, 'ssl', 'verify', 'ca_file', 'sni', ...}],
                       'default_server': {...} or None}],
         'errors': [{'file', 'line', 'message'}]}
    """
    result = {'global': {}, 'defaults': [], 'frontends': [], 'backends': [], 'errors': []}
    error = _LineErrors(result['errors'], source)
    kind = None
    current = None
    for lineno, raw in enumerate(split_lines(text), 1):
        error.line = lineno
        words, unterminated = split_haproxy_words(raw)
        if unterminated:
            error('unterminated quote')
        if not words:
            continue
        keyword = words[0]
        if keyword in _HAPROXY_SECTIONS:
            kind = keyword
            current = _haproxy_section(kind, words[1] if len(words) > 1 else None, source, lineno, result)
        elif kind is None:
            error('keyword %s outside any section (ignored)' % keyword)
        elif kind == 'global':
            if keyword.startswith('ssl-') or keyword.startswith('tune.ssl'):
                value = words[1:]
                result['global'][keyword] = value if keyword.endswith('-options') else ' '.join(value)
        elif kind == 'userlist':
            # user <name> password|insecure-password <secret>: never returned
            if secrets is not None:
                for i, word in enumerate(words[:-1]):
                    if word in ('password', 'insecure-password'):
                        secrets.add(words[i + 1])
        elif current is not None:
            _haproxy_proxy_line(kind, current, words, lineno, secrets, error)
    for front in result['frontends']:
        front.pop('_backend', None)
    result['errors'] = cap_errors(result['errors'])
    return result


# --------------------------------------------------------------------------- nginx

MAX_NGINX_FILES = 256
MAX_NGINX_DEPTH = 16
MAX_NGINX_NESTING = 64


class _NginxSyntaxError(Exception):
    def __init__(self, message, line):
        super(_NginxSyntaxError, self).__init__(message)
        self.message = message
        self.line = line


def tokenize_nginx(text):
    """``[(token, line, quoted)]``; ``;``, ``{`` and ``}`` are tokens of their own."""
    tokens = []
    i = 0
    line = 1
    length = len(text)
    while i < length:
        char = text[i]
        if char == '\n':
            line += 1
            i += 1
            continue
        if char in ' \t\r':
            i += 1
            continue
        if char == '#':
            end = text.find('\n', i)
            i = length if end < 0 else end
            continue
        if char in ';{}':
            tokens.append((char, line, False))
            i += 1
            continue
        if char in ('"', "'"):
            start_line = line
            j = i + 1
            buf = []
            while j < length and text[j] != char:
                if text[j] == '\\' and j + 1 < length:
                    buf.append(text[j + 1] if text[j + 1] in (char, '\\') else text[j:j + 2])
                    j += 2
                    continue
                if text[j] == '\n':
                    line += 1
                buf.append(text[j])
                j += 1
            if j >= length:
                raise _NginxSyntaxError('unterminated quoted string', start_line)
            tokens.append((''.join(buf), start_line, True))
            i = j + 1
            continue
        j = i
        buf = []
        while j < length and text[j] not in ' \t\r\n;{}' and not (text[j] in '"\'' and not buf):
            if text[j] == '\\' and j + 1 < length:
                buf.append(text[j:j + 2])
                j += 2
                continue
            if text[j] == '$' and j + 1 < length and text[j + 1] == '{':
                end = text.find('}', j)
                if end > 0:
                    buf.append(text[j:end + 1])
                    j = end + 1
                    continue
            buf.append(text[j])
            j += 1
        tokens.append((''.join(buf), line, False))
        i = j
    return tokens


def _build_tree(tokens, source):
    """Directives ``{'name', 'args', 'block', 'file', 'line'}`` (block ``None`` or a list)."""
    root = []
    stack = [root]
    current = []
    start_line = None
    for token, line, quoted in tokens:
        if not quoted and token == ';':
            if not current:
                continue
            stack[-1].append({'name': current[0], 'args': current[1:], 'block': None, 'file': source, 'line': start_line})
            current = []
        elif not quoted and token == '{':
            if not current:
                raise _NginxSyntaxError('block without a directive name', line)
            node = {'name': current[0], 'args': current[1:], 'block': [], 'file': source, 'line': start_line}
            if len(stack) > MAX_NGINX_NESTING:
                raise _NginxSyntaxError('blocks nested deeper than %d' % MAX_NGINX_NESTING, line)
            stack[-1].append(node)
            stack.append(node['block'])
            current = []
        elif not quoted and token == '}':
            if current:
                raise _NginxSyntaxError('directive "%s" is not terminated by ";"' % current[0], start_line)
            if len(stack) == 1:
                raise _NginxSyntaxError('unexpected "}"', line)
            stack.pop()
        else:
            if not current:
                start_line = line
            current.append(token)
    if current:
        raise _NginxSyntaxError('unexpected end of file, expecting ";" or "}" after "%s"' % current[0], start_line)
    if len(stack) > 1:
        raise _NginxSyntaxError('unexpected end of file, expecting "}"', tokens[-1][1] if tokens else 1)
    return root


def _load_nginx(root, path, prefix, state, stack, level=0):
    """Read ``path`` and splice its includes; returns a directive list (errors into ``state``)."""
    if len(state['files']) >= MAX_NGINX_FILES:
        state['errors'].append({'file': path, 'line': None, 'message': 'more than %d files included; stopped here' % MAX_NGINX_FILES})
        return []
    try:
        real = resolve(root, path)
    except ReadError as exc:
        state['errors'].append({'file': path, 'line': None, 'message': str(exc)})
        return []
    if real in stack:
        state['errors'].append({'file': path, 'line': None, 'message': 'include loop (%s); not read again' % ' -> '.join(stack + [real])})
        return []
    if len(stack) >= MAX_NGINX_DEPTH:
        state['errors'].append({'file': path, 'line': None, 'message': 'includes nested deeper than %d; not read' % MAX_NGINX_DEPTH})
        return []
    try:
        text, warning = read_text(root, path, max_size=state['max_size'])
    except ReadError as exc:
        state['errors'].append({'file': path, 'line': None, 'message': str(exc)})
        return []
    if warning:
        state['errors'].append({'file': path, 'line': None, 'message': warning})
    state['files'].append(path)
    try:
        tree = _build_tree(tokenize_nginx(text), path)
    except _NginxSyntaxError as exc:
        state['errors'].append({'file': path, 'line': exc.line, 'message': 'nginx syntax error: %s' % exc.message})
        return []
    return _expand(root, tree, prefix, state, stack + [real], level)


def _expand(root, nodes, prefix, state, stack, level=0):
    """Splice includes into ``nodes``; ``level`` is the block nesting across included files (each
    file checks its own, but 16 files of 64 levels each would exhaust Python's recursion)."""
    out = []
    for node in nodes:
        if node['name'] == 'include' and node['block'] is None:
            if len(node['args']) != 1:
                state['errors'].append({'file': node['file'], 'line': node['line'], 'message': 'include needs exactly one argument'})
                continue
            pattern = node['args'][0]
            if not pattern.startswith('/'):
                pattern = posixpath.join(prefix, pattern)
            paths = glob_paths(root, pattern) if any(c in pattern for c in '*?[') else [pattern]
            for sub in paths:
                out.extend(_load_nginx(root, sub, prefix, state, stack, level))
            continue
        if node['block'] is not None:
            if level >= MAX_NGINX_NESTING:
                state['errors'].append({'file': node['file'], 'line': node['line'],
                                        'message': 'blocks nested deeper than %d across included files; not read' % MAX_NGINX_NESTING})
                continue
            node = dict(node, block=_expand(root, node['block'], prefix, state, stack, level + 1))
        out.append(node)
    return out


def _ssl_settings(nodes):
    out = {}
    for node in nodes:
        name = node['name']
        if not name.startswith('ssl') and name not in ('http2', 'add_header'):
            continue
        if name == 'add_header':
            if node['args'] and node['args'][0].lower() == 'strict-transport-security':
                out['hsts'] = ' '.join(node['args'][1:])
            continue
        args = node['args']
        if name == 'ssl_certificate_key':
            args = [MASK if a.startswith('data:') else a for a in args]
        if name in ('ssl_certificate', 'ssl_certificate_key'):
            out.setdefault(name, []).extend(args)
        elif name == 'ssl_conf_command':
            out.setdefault(name, []).append(args)
        elif name == 'ssl_protocols':
            out[name] = list(args)
        elif name == 'ssl_password_file':
            out[name] = ' '.join(args)
        else:
            out[name] = ' '.join(args)
    return out


def parse_nginx_listen(args):
    """``listen`` arguments -> ``{address, port, path, ssl, http2, quic, default_server, ipv6only, proxy_protocol, raw}``."""
    out = {'address': None, 'port': None, 'path': None, 'ssl': False, 'http2': False, 'quic': False, 'default_server': False,
           'ipv6only': None, 'proxy_protocol': False, 'raw': ' '.join(args)}
    if not args:
        return out
    first = args[0]
    if first.startswith('unix:'):
        out['path'] = first[5:]
    elif decimal(first) is not None:
        out['port'] = decimal(first)
    elif first.startswith('['):
        host, _s, rest = first[1:].partition(']')
        out['address'] = host
        if rest.startswith(':'):
            out['port'] = decimal(rest[1:])
    elif ':' in first:
        host, _s, port = first.rpartition(':')
        out['address'] = None if host == '*' else host
        out['port'] = decimal(port)
    else:
        out['address'] = None if first == '*' else first
    for flag in args[1:]:
        if flag in ('ssl', 'http2', 'quic', 'proxy_protocol'):
            out[flag] = True
        elif flag in ('default_server', 'default'):
            out['default_server'] = True
        elif flag.startswith('ipv6only='):
            out['ipv6only'] = flag.split('=', 1)[1] == 'on'
    return out


def _servers(context, nodes, inherited, out):
    for node in nodes:
        if node['name'] != 'server' or node['block'] is None:
            continue
        own = _ssl_settings(node['block'])
        effective = dict(inherited)
        effective.update(own)
        source = dict((k, context) for k in inherited)
        source.update((k, 'server') for k in own)
        legacy_ssl_on = parse_bool(effective.get('ssl'), NGINX) is True
        listens = [parse_nginx_listen(n['args']) for n in node['block'] if n['name'] == 'listen']
        if legacy_ssl_on:
            for listen in listens:
                listen['ssl'] = True
        names = []
        redirect = False
        for sub in node['block']:
            if sub['name'] == 'server_name':
                names.extend(sub['args'])
            if sub['name'] == 'return' and any(a.startswith('https://') for a in sub['args']):
                redirect = True
            if sub['name'] == 'rewrite' and any(a.startswith('https://') for a in sub['args']):
                redirect = True
        hsts = effective.pop('hsts', None)
        source.pop('hsts', None)
        out.append({'context': context, 'file': node['file'], 'line': node['line'], 'server_name': names, 'listen': listens,
                    'ssl': effective, 'ssl_source': source, 'hsts': hsts, 'redirects_to_https': redirect})


def parse_nginx_conf(path='/etc/nginx/nginx.conf', root='/', max_size=DEFAULT_MAX_FILE_SIZE, secrets=None):
    """Parse nginx's main file ``path`` (logical, under ``root``) and every file it includes.

    Returns::

        {'file': path, 'files': [every file read],
         'http_ssl': {ssl_* set in http{}}, 'stream_ssl': {ssl_* set in stream{}},
         'servers': [{'context': 'http'|'stream', 'file', 'line', 'server_name': [...],
                      'listen': [{address, port, path, ssl, http2, quic, default_server, ipv6only, proxy_protocol, raw}],
                      'ssl': {ssl_protocols: [...], ssl_ciphers: str, ssl_ecdh_curve: str,
                              ssl_certificate: [...], ssl_prefer_server_ciphers: str, ...},
                      'ssl_source': {directive: 'server'|'http'|'stream'},
                      'hsts': str or None, 'redirects_to_https': bool}],
         'errors': [{'file', 'line', 'message'}]}

    Relative ``include`` paths are relative to the directory of ``path`` (nginx's conf prefix).
    """
    state = {'files': [], 'errors': [], 'max_size': max_size}
    prefix = posixpath.dirname(path) or '/'
    tree = _load_nginx(root, path, prefix, state, [])
    result = {'file': path, 'files': state['files'], 'http_ssl': {}, 'stream_ssl': {}, 'servers': [], 'errors': state['errors']}
    _collect_servers(tree, result)
    return result


def _collect_servers(tree, result):
    """Fill ``result``'s ``http_ssl`` / ``stream_ssl`` and ``servers`` from a parsed nginx tree."""
    for node in tree:
        if node['name'] in ('http', 'stream') and node['block'] is not None:
            inherited = _ssl_settings(node['block'])
            result['%s_ssl' % node['name']].update(inherited)
            _servers(node['name'], node['block'], inherited, result['servers'])


def parse_nginx_text(text, source='<text>'):
    """Parse one nginx text without includes (for tests and snippets); same shape as :func:`parse_nginx_conf`."""
    result = {'file': source, 'files': [source], 'http_ssl': {}, 'stream_ssl': {}, 'servers': [], 'errors': []}
    try:
        tree = _build_tree(tokenize_nginx(text), source)
    except _NginxSyntaxError as exc:
        result['errors'].append({'file': source, 'line': exc.line, 'message': 'nginx syntax error: %s' % exc.message})
        return result
    _collect_servers(tree, result)
    return result
