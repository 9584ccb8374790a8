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
