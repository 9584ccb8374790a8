# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""libvirt daemon configuration: ``libvirtd.conf``, ``virtproxyd.conf``, ``qemu.conf`` (libvirt's
``virconf`` syntax), systemd socket units (``libvirtd-tls.socket`` ...) and
``/etc/default/libvirtd`` / ``/etc/sysconfig/libvirtd``.

Only what the files say is returned: NO libvirt default is applied here (``listen_tls`` absent
stays absent). The hypervisor rules apply libvirt's defaults.

virconf grammar: ``name = value`` where value is an integer, a string in double or single
quotes (or triple double quotes), or a list ``[ value, ... ]`` that may span lines and hold
comments; ``#`` starts a comment; a statement may end with ``;``.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible_collections.scs.secure_connections.plugins.module_utils._core.secrets import MASK, is_secret_key, split_lines
from ansible_collections.scs.secure_connections.plugins.module_utils._core.rootfs import cap_errors
from ansible_collections.scs.secure_connections.plugins.module_utils._parsers.lexing import decimal, shell_words

_NAME = re.compile(r'[A-Za-z_][A-Za-z0-9_.\-]*')
_INT = re.compile(r'[+-]?[0-9]+')


class _ConfError(Exception):
    def __init__(self, message, line):
        super(_ConfError, self).__init__(message)
        self.message = message
        self.line = line


class _Scanner(object):
    def __init__(self, text):
        self.text = text
        self.pos = 0
        self.line = 1

    def eof(self):
        return self.pos >= len(self.text)

    def peek(self):
        return self.text[self.pos] if self.pos < len(self.text) else ''

    def advance(self, count=1):
        chunk = self.text[self.pos:self.pos + count]
        self.line += chunk.count('\n')
        self.pos += count
        return chunk

    def skip_blanks(self, newlines=False, comments=False):
        while not self.eof():
            char = self.peek()
            if char in ' \t\r' or (newlines and char == '\n'):
                self.advance()
            elif comments and char == '#':
                self.skip_line_rest()
            else:
                break

    def skip_line_rest(self):
        end = self.text.find('\n', self.pos)
        if end < 0:
            end = len(self.text)
        self.advance(end - self.pos)

    def value(self, depth=0):
        if depth > 20:
            raise _ConfError('lists nested too deeply', self.line)
        char = self.peek()
        if self.text.startswith('"""', self.pos):
            end = self.text.find('"""', self.pos + 3)
            if end < 0:
                raise _ConfError('unterminated triple-quoted string', self.line)
            value = self.text[self.pos + 3:end]
            self.advance(end + 3 - self.pos)
            return value
        if char in ('"', "'"):
            end = self.pos + 1
            while end < len(self.text) and self.text[end] != char and self.text[end] != '\n':
                end += 1
            if end >= len(self.text) or self.text[end] != char:
                raise _ConfError('unterminated string', self.line)
            value = self.text[self.pos + 1:end]
            self.advance(end + 1 - self.pos)
            return value
        if char == '[':
            self.advance()
            items = []
            while True:
                self.skip_blanks(newlines=True, comments=True)
                if self.eof():
                    raise _ConfError('unterminated list (missing ])', self.line)
                if self.peek() == ']':
                    self.advance()
                    return items
                items.append(self.value(depth + 1))
                self.skip_blanks(newlines=True, comments=True)
                if self.peek() == ',':
                    self.advance()
                    continue
                if self.peek() == ']':
                    self.advance()
                    return items
                raise _ConfError('expected "," or "]" in list, found %r' % (self.peek() or 'end of file'), self.line)
        match = _INT.match(self.text, self.pos)
        if match:
            self.advance(match.end() - self.pos)
            if len(match.group(0)) > 1000:  # int() refuses more than 4300 digits; no setting has 1000
                raise _ConfError('integer with %d digits is too long' % len(match.group(0)), self.line)
            return int(match.group(0))
        raise _ConfError('expected a value (integer, "string" or [list]), found %r' % (char or 'end of file'), self.line)


def parse_libvirt_conf(text, secrets=None):
    """Parse a libvirt daemon config (``libvirtd.conf``, ``virtproxyd.conf``, ``qemu.conf`` ...).

    Returns ``{'settings': {name: value}, 'lines': {name: line}, 'errors': [{line, message}]}``;
    values are ``int``, ``str`` or lists; a name set twice keeps the last value (as libvirt). A
    malformed statement gives an ``errors`` entry and parsing resumes on the next line.
    """
    settings = {}
    lines = {}
    errors = []
    scan = _Scanner(text)
    while True:
        scan.skip_blanks(newlines=True, comments=True)
        if scan.eof():
            break
        start_line = scan.line
        match = _NAME.match(scan.text, scan.pos)
        try:
            if not match:
                raise _ConfError('expected a setting name, found %r' % scan.peek(), start_line)
            name = match.group(0)
            scan.advance(match.end() - scan.pos)
            scan.skip_blanks()
            if scan.peek() != '=':
                raise _ConfError('expected "=" after %s' % name, start_line)
            scan.advance()
            scan.skip_blanks()
            value = scan.value()
            scan.skip_blanks()
            if scan.peek() == ';':
                scan.advance()
                scan.skip_blanks()
            if scan.peek() == '#':
                scan.skip_line_rest()
            if not scan.eof() and scan.peek() != '\n':
                raise _ConfError('unexpected text after the value of %s' % name, scan.line)
        except _ConfError as exc:
            errors.append({'line': exc.line, 'message': exc.message})
            if len(errors) > 1000:
                errors.append({'line': exc.line, 'message': 'stopped reading: more than 1000 malformed statements'})
                break
            if scan.line == exc.line:
                scan.skip_line_rest()
            continue
        if isinstance(value, str) and value and is_secret_key(name):
            if secrets is not None:
                secrets.add(value)
            value = MASK
        settings[name] = value
        lines[name] = start_line
    return {'settings': settings, 'lines': lines, 'errors': cap_errors(errors)}


def parse_systemd_unit(text):
    """Parse a systemd unit file (e.g. ``libvirtd-tls.socket`` or a drop-in).

    Returns ``{'sections': {section: {key: [values]}}, 'listen_stream': [...], 'errors': [...]}``
    where ``listen_stream`` is the effective ``[Socket] ListenStream`` list (an empty
    assignment resets it, as systemd does). Continuation lines ending in ``\\`` are joined.
    """
    sections = {}
    errors = []
    section = None
    logical = []
    buffer = []  # the parts of one logical line: joined once (joining per line is quadratic)
    start = None
    for lineno, line in enumerate(split_lines(text), 1):
        part = line.strip()
        if not buffer:
            start = lineno
        if part.endswith('\\'):
            buffer.append(part[:-1].rstrip())
            continue
        buffer.append(part)
        logical.append((start, ' '.join(p for p in buffer if p) if len(buffer) > 1 else part))
        buffer = []
    if buffer:
        logical.append((start, ' '.join(p for p in buffer if p)))
    for lineno, line in logical:
        if not line or line.startswith(('#', ';')):
            continue
        if line.startswith('['):
            if not line.endswith(']'):
                errors.append({'line': lineno, 'message': 'invalid section header: %s' % line[:60]})
                section = None
                continue
            section = line[1:-1]
            sections.setdefault(section, {})
            continue
        key, sep, value = line.partition('=')
        if not sep or section is None:
            errors.append({'line': lineno, 'message': 'not a "Key=Value" line inside a section (ignored)'})
            continue
        key = key.strip()
        value = value.strip()
        values = sections[section].setdefault(key, [])
        if value == '':
            del values[:]
        else:
            values.append(value)
    listen = []
    for value in sections.get('Socket', {}).get('ListenStream', []):
        listen.extend(value.split())
    return {'sections': sections, 'listen_stream': listen, 'errors': cap_errors(errors)}


def parse_socket_listen(value):
    """``16514`` / ``0.0.0.0:16514`` / ``[::]:16514`` / ``/run/libvirt/sock`` -> ``{address, port, path}``."""
    value = value.strip()
    if value.startswith('/') or value.startswith('@'):
        return {'address': None, 'port': None, 'path': value}
    if decimal(value) is not None:
        return {'address': None, 'port': decimal(value), 'path': None}
    if value.startswith('[') and ']:' in value:
        address, _sep, port = value[1:].partition(']:')
    else:
        address, _sep, port = value.rpartition(':')
    if decimal(port.strip()) is None:
        return {'address': value, 'port': None, 'path': None}
    return {'address': address or None, 'port': decimal(port.strip()), 'path': None}


def parse_default_libvirtd(text):
    """Parse ``/etc/default/libvirtd`` or ``/etc/sysconfig/libvirtd`` (shell assignments).

    Returns ``{'variables': {NAME: value}, 'args': [...], 'listen': bool, 'errors': [...]}``:
    ``args`` are the words of ``LIBVIRTD_ARGS`` (or the old Debian ``libvirtd_opts``), ``listen``
    is true when they hold ``--listen`` or ``-l``.
    """
    variables = {}
    errors = []
    for lineno, line in enumerate(split_lines(text), 1):
        stripped = line.strip()
        if not stripped or stripped.startswith('#'):
            continue
        if stripped.startswith('export '):
            stripped = stripped[len('export '):].strip()
        match = re.match(r'^([A-Za-z_][A-Za-z0-9_]*)=(.*)$', stripped)
        if not match:
            errors.append({'line': lineno, 'message': 'not a shell variable assignment (ignored)'})
            continue
        name, raw = match.group(1), match.group(2)
        try:
            words = shell_words(raw, comments=True)
        except ValueError as exc:
            errors.append({'line': lineno, 'message': 'cannot parse value of %s: %s' % (name, exc)})
            continue
        variables[name] = ' '.join(words)
    raw_args = variables.get('LIBVIRTD_ARGS', variables.get('libvirtd_opts', ''))
    try:
        args = shell_words(raw_args)
    except ValueError:
        args = raw_args.split()
    listen = any(a == '--listen' or a == '-l' or (a.startswith('-') and not a.startswith('--') and 'l' in a[1:]) for a in args)
    return {'variables': variables, 'args': args, 'listen': listen, 'errors': cap_errors(errors)}
