# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The last step before a module returns: its result as data Ansible can always carry.

Parsers decode escapes (Erlang ``\\x{D800}``, Java ``\\uD800``) that can give a lone surrogate,
which UTF-8 cannot encode: Ansible then refuses the whole module result and no report is
written at all. Every ``*_info`` module passes its result through :func:`clean` once, just
before ``exit_json``: lone surrogates become U+FFFD, bytes are decoded, tuples and sets become
lists, keys become text, NaN and infinities (not JSON) become text.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import math
import re

_SURROGATE = re.compile(u'[\ud800-\udfff]')
MAX_DEPTH = 200


def clean_text(text):
    """``text`` with every lone surrogate replaced by U+FFFD (UTF-8-encodable)."""
    if text.isascii():
        return text
    return _SURROGATE.sub(u'\ufffd', text)


def _clean_key(key, depth):
    return clean(key if isinstance(key, (str, int, float, bool)) or key is None else str(key), depth + 1)


def clean(value, _depth=0):
    """A copy of ``value`` that JSON and UTF-8 can carry (see the module docstring)."""
    if _depth > MAX_DEPTH:
        return u'[nested too deeply; not shown]'
    kind = type(value)
    if kind is str:
        return clean_text(value)
    if kind is dict and _depth < MAX_DEPTH:  # deeper, the keys themselves are "nested too deeply" (below)
        return dict((k if isinstance(k, str) and k.isascii() else _clean_key(k, _depth), clean(v, _depth + 1)) for k, v in value.items())
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, bytes):
        return value.decode('utf-8', 'replace')
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, dict):
        return dict((_clean_key(k, _depth), clean(v, _depth + 1)) for k, v in value.items())
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value, key=repr) if isinstance(value, (set, frozenset)) else value
        return [clean(v, _depth + 1) for v in items]
    return clean_text(str(value))
