# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The walls between the layers of plugins/, checked on the import statements (``ast``) of every file.

* a rule (``module_utils/_rules/``) imports of the collection only ``_core.*`` and ``_rules.common``;
* gatherers, parsers, the TLS prober and the modules (``_gather/``, ``_parsers/``, ``_tls/``,
  ``plugins/modules/``) never import a rule (``_rules``) or the judge (``_core.evaluator``);
* parsers never import gatherers;
* the remediation planners (``_remediate/``) import only ``_core`` and ``_remediate``;
* ``_core`` imports nothing of the collection outside ``_core`` (the evaluator finds the rule
  modules by name at run time, from the catalog's channels: that is not an import statement).

Imports are read wherever they are (top level, functions, ``try`` blocks), absolute or relative,
and ``from <package> import <module>`` counts as an import of that module.
"""

from __future__ import absolute_import, division, print_function

import ast
import os

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
PLUGINS = os.path.join(REPO, 'plugins')
PREFIX = 'ansible_collections.scs.secure_connections.'
UTILS = 'plugins.module_utils.'


def _module_name(relpath):
    """``plugins/module_utils/_rules/api.py`` -> ``plugins.module_utils._rules.api`` (packages: their __init__)."""
    parts = relpath[:-len('.py')].split('/')
    if parts[-1] == '__init__':
        parts = parts[:-1]
    return '.'.join(parts)


def imported_modules(source, package):
    """The collection modules (``plugins.…``, without the collection prefix) that ``source`` imports.

    ``package`` is the dotted name of the file's package (for relative imports)."""
    package = package.split('.')
    out = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[:len(package) - (node.level - 1)] if node.level > 1 else package
                head = '.'.join(base + ([node.module] if node.module else []))
            else:
                head = node.module or ''
            names = [head] + ['%s.%s' % (head, alias.name) for alias in node.names]
        else:
            continue
        for name in names:
            if name.startswith(PREFIX):
                name = name[len(PREFIX):]
            if name.startswith('plugins.'):
                out.add(name)
    return out


def _is(name, target):
    return name == target or name.startswith(target + '.')


def violations(relpath, source):
    """Why the file at ``relpath`` (relative to the repository) breaks a wall; [] when it does not."""
    module = _module_name(relpath)
    package = module if relpath.endswith('/__init__.py') else module.rpartition('.')[0]
    out = []
    for name in sorted(imported_modules(source, package)):
        layer = name[len(UTILS):].split('.')[0] if name.startswith(UTILS) else None
        if _is(module, UTILS + '_rules'):
            # only modules (and packages) of _core and _rules.common; the package path of an import
            # ("plugins.module_utils._core") is itself allowed
            allowed = (_is(name, UTILS + '_core') or _is(name, UTILS + '_rules.common')
                       or name in ('plugins', 'plugins.module_utils', UTILS + '_rules'))
            if not allowed:
                out.append('%s: a rule imports %s (rules import only _core and _rules.common)' % (relpath, name))
        if (any(_is(module, UTILS + p) for p in ('_gather', '_parsers', '_tls')) or _is(module, 'plugins.modules')) and (
                _is(name, UTILS + '_rules') or _is(name, UTILS + '_core.evaluator')):
            out.append('%s imports %s (gatherers, parsers, the prober and modules never import rules or the judge)' % (relpath, name))
        if _is(module, UTILS + '_parsers') and _is(name, UTILS + '_gather'):
            out.append('%s imports %s (parsers never import gatherers)' % (relpath, name))
        if _is(module, UTILS + '_remediate') and name.startswith(UTILS) and layer not in (None, '_core', '_remediate'):
            out.append('%s imports %s (the remediation planners read reports: they import only _core and _remediate)' % (relpath, name))
        if _is(module, UTILS + '_core') and name.startswith(UTILS) and layer not in (None, '_core') and name != UTILS.rstrip('.'):
            out.append('%s imports %s (_core imports only _core)' % (relpath, name))
    return out


def _plugin_files():
    for dirpath, _dirs, files in os.walk(PLUGINS):
        for name in sorted(files):
            if name.endswith('.py'):
                yield os.path.relpath(os.path.join(dirpath, name), REPO).replace(os.sep, '/')


def test_the_tree_has_python_files_in_every_layer():
    files = list(_plugin_files())
    for layer in ('_core', '_rules', '_gather', '_parsers', '_tls'):
        assert any(f.startswith('plugins/module_utils/%s/' % layer) for f in files), layer
    assert any(f.startswith('plugins/modules/') for f in files)


def test_no_file_of_plugins_breaks_a_wall():
    problems = []
    for relpath in _plugin_files():
        with open(os.path.join(REPO, relpath)) as handle:
            problems.extend(violations(relpath, handle.read()))
    assert problems == []


P = 'from ansible_collections.scs.secure_connections.plugins.module_utils.'

BAD = [
    ('plugins/module_utils/_rules/api.py', P + '_gather.keystone import parse_endpoint_url\n', 'a rule imports'),
    ('plugins/module_utils/_rules/hv.py', P + '_parsers.oslo import to_bool\n', 'a rule imports'),
    ('plugins/module_utils/_rules/x.py', P + '_tls import scan\n', 'a rule imports plugins.module_utils._tls'),
    ('plugins/module_utils/_rules/x.py', 'from .._gather import discovery\n', 'a rule imports plugins.module_utils._gather'),
    ('plugins/module_utils/_rules/x.py', 'def f():\n    from .._gather.libvirt import describe_setting\n',
     'a rule imports plugins.module_utils._gather.libvirt'),
    ('plugins/module_utils/_rules/__init__.py', 'from .._parsers import oslo\n', 'a rule imports plugins.module_utils._parsers'),
    ('plugins/module_utils/_rules/x.py', 'import ansible_collections.scs.secure_connections.plugins.module_utils._gather.mysql\n',
     'a rule imports'),
    ('plugins/module_utils/_gather/x.py', P + '_rules.common import judge_probe\n', 'never import rules'),
    ('plugins/module_utils/_tls/scan.py', P + '_core import evaluator\n', 'never import rules or the judge'),
    ('plugins/modules/x.py', 'try:\n    ' + P + '_core.evaluator import evaluate\nexcept ImportError:\n    pass\n', 'the judge'),
    ('plugins/module_utils/_parsers/x.py', P + '_gather.listeners import read_listeners\n', 'parsers never import gatherers'),
    ('plugins/module_utils/_core/x.py', P + '_tls.x509 import describe\n', '_core imports only _core'),
    ('plugins/module_utils/_core/x.py', 'from .._rules import tls\n', '_core imports only _core'),
    ('plugins/module_utils/_remediate/x.py', P + '_gather.discovery import discover\n', 'import only _core and _remediate'),
    ('plugins/module_utils/_remediate/x.py', P + '_rules.db import RULES\n', 'import only _core and _remediate'),
]

GOOD = [
    ('plugins/module_utils/_rules/x.py', P + '_core.mozilla import evaluate\n' + P + '_rules.common import judge_probe\n'),
    ('plugins/module_utils/_rules/x.py', 'from .common import judge_probe\nfrom .._core import words\nimport ipaddress\n'),
    ('plugins/module_utils/_gather/x.py', P + '_parsers.oslo import oslo_lookup\n' + P + '_core.mozilla import evaluate\n'),
    ('plugins/modules/x.py', P + '_core.mozilla import attach\n' + P + '_tls.scan import scan_endpoints\n'),
    ('plugins/module_utils/_core/x.py', 'from . import words\n' + P + '_core.catalog import load_catalog\nimport importlib\n'),
]


@pytest.mark.parametrize('relpath, source, words', BAD)
def test_a_synthetic_bad_import_is_caught(relpath, source, words):
    found = violations(relpath, source)
    assert len(found) >= 1 and all(words in f for f in found), found


@pytest.mark.parametrize('relpath, source', GOOD)
def test_a_synthetic_good_import_passes(relpath, source):
    assert violations(relpath, source) == []
