# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Scanning a configuration line the way ceph.conf and Java properties readers do."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

MAX_DIGITS = 1000
_DECIMAL = re.compile(r'[0-9]{1,%d}\Z' % MAX_DIGITS)


def decimal(text):
    """``int`` of ``text`` when it is ASCII digits only (at most 1000 of them), else ``None``.

    ``str.isdigit()`` accepts ``'\u00b2'`` and other digits ``int()`` refuses, and ``int()`` refuses
    more than 4300 digits: a port field must not crash a parser with either.
    """
    if not isinstance(text, str) or not _DECIMAL.match(text):
        return None
    return int(text)


def find_unescaped(line, stops, quote=None):
    """Index of the first character of ``stops`` in ``line``, or ``len(line)``.

    A backslash and the character after it are skipped as a pair; with ``quote``, so is everything
    between two ``quote`` characters (an unclosed quote runs to the end of the line).
    """
    quoted = False
    i = 0
    while i < len(line):
        char = line[i]
        if char == '\\' and i + 1 < len(line):
            i += 2
            continue
        if char == quote:
            quoted = not quoted
        elif char in stops and not quoted:
            return i
        i += 1
    return len(line)


_SHELL_PART = re.compile(r"""'([^']*)'|"((?:[^"\\]|\\.)*)"|\\(.)|(\#)|([ \t\r\n]+)|([^ \t\r\n'"\\\#]+)|(['"\\])""", re.S)
_DQ_ESCAPE = re.compile(r'\\(["\\])')


def shell_words(text, comments=False):
    """The words of a shell-like line, as ``shlex.split(text, comments)`` gives them (POSIX mode:
    quotes removed, backslash escapes, ``#`` starts a comment when ``comments``), in linear time
    (``shlex`` grows each token a character at a time: quadratic in a long quoted word).
    ``ValueError`` on an unterminated quote, like ``shlex``."""
    words = []
    parts = None
    pos = 0
    while pos < len(text):
        match = _SHELL_PART.match(text, pos)
        single, double, escaped, hash_, space, bare, unclosed = match.groups()
        pos = match.end()
        if unclosed is not None:
            raise ValueError('No escaped character' if unclosed == '\\' else 'No closing quotation')
        if space is not None:
            if parts is not None:
                words.append(''.join(parts))
            parts = None
            continue
        if hash_ is not None and comments:
            newline = text.find('\n', pos)
            pos = len(text) if newline < 0 else newline
            continue
        if parts is None:
            parts = []
        if single is not None:
            parts.append(single)
        elif double is not None:
            parts.append(_DQ_ESCAPE.sub(r'\1', double))
        elif escaped is not None:
            parts.append(escaped)
        else:
            parts.append(bare if bare is not None else hash_)
    if parts is not None:
        words.append(''.join(parts))
    return words
