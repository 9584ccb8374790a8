# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""No function under plugins/ is longer than MAX_LINES: a longer one is split into named pieces."""

from __future__ import absolute_import, division, print_function

import ast
import os

import pytest

PLUGINS = os.path.join(os.path.dirname(__file__), '..', '..', '..', 'plugins')
MAX_LINES = 80

# Functions allowed over the limit, each with its reason (none today). An entry that is no longer too long
# fails the test: remove it.
KNOWN_LONG = frozenset()


def function_lengths(text, path):
    """``{'<path>:<function>': lines}`` for every (nested) function and method, from ``def`` to its last line."""
    out = {}
    for node in ast.walk(ast.parse(text, path)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            out['%s:%s' % (path, node.name)] = node.end_lineno - node.lineno + 1
    return out


def _all_lengths():
    out = {}
    for folder, _dirs, files in os.walk(PLUGINS):
        for name in files:
            if name.endswith('.py'):
                full = os.path.join(folder, name)
                with open(full) as handle:
                    out.update(function_lengths(handle.read(), os.path.relpath(full, PLUGINS).replace(os.sep, '/')))
    return out


def test_no_function_is_too_long():
    lengths = _all_lengths()
    assert len(lengths) > 500, 'the walk found too few functions: %d' % len(lengths)
    too_long = sorted('%s (%d lines)' % (k, v) for k, v in lengths.items() if v > MAX_LINES and k not in KNOWN_LONG)
    assert not too_long, 'split these functions into named pieces of at most %d lines: %s' % (MAX_LINES, ', '.join(too_long))


def test_known_long_functions_are_still_long():
    lengths = _all_lengths()
    stale = sorted(k for k in KNOWN_LONG if lengths.get(k, 0) <= MAX_LINES)
    assert not stale, 'no longer too long (or gone): remove from KNOWN_LONG: %s' % ', '.join(stale)


@pytest.mark.parametrize('body_lines, too_long', [(MAX_LINES - 1, False), (MAX_LINES, True)])
def test_the_count_runs_from_def_to_the_last_line(body_lines, too_long):
    text = 'def f():\n' + '    x = 1\n' * body_lines + '\n\nclass C(object):\n    def m(self):\n        return 1\n'
    lengths = function_lengths(text, 'x.py')
    assert lengths['x.py:m'] == 2
    assert (lengths['x.py:f'] > MAX_LINES) is too_long
