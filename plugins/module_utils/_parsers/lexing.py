# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Scanning a configuration line the way ceph.conf and Java properties readers do."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type


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
