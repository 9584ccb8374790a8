# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""``ceph.conf`` parsed with Ceph's own rules (src/common/ConfUtils.cc).

* ``[section]`` headers: ``global``, a daemon type (``mon``, ``osd``, ``mds``, ``mgr``,
  ``client``) or one daemon (``osd.0``, ``client.admin``);
* ``key = value``; option names are normalised: spaces, underscores and dashes are the same
  (``mon host`` = ``mon-host`` = ``mon_host``), returned with ``_``, lower-case;
* ``#`` and ``;`` start a comment anywhere outside double quotes; a trailing ``\\``
  continues the line; one pair of double quotes around a value is stripped;
* a key set twice in one section keeps the last value.

``mon_host`` is parsed into monitors and their address vectors
(``[v2:10.0.0.1:3300,v1:10.0.0.1:6789]``, ``v2:10.0.0.1:3300``, ``10.0.0.1:6789``,
``[::1]:6789``, plain hosts). Ceph defaults are not applied. ``key`` (an inline keyring
secret) and password-like options are masked.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible_collections.scs.secure_connections.plugins.module_utils._core.secrets import MASK, is_secret_key, split_lines
from ansible_collections.scs.secure_connections.plugins.module_utils._core.rootfs import cap_errors
from ansible_collections.scs.secure_connections.plugins.module_utils._parsers.lexing import decimal, find_unescaped

DAEMON_TYPES = ('mon', 'osd', 'mds', 'mgr', 'client')
_SECRET_OPTIONS = ('key',)


def normalize_key(name):
    """``Mon Host`` / ``mon-host`` / ``mon__host`` -> ``mon_host``."""
    return re.sub(r'[\s_\-]+', '_', name.strip().lower()).strip('_')


def _strip_comment(line):
    return line[:find_unescaped(line, '#;', quote='"')]


def parse_ceph_conf(text, secrets=None):
    """Parse the text of a ``ceph.conf``.

    Returns::

        {'sections': {section: {option: value}},
         'mon_host': [{'raw': item, 'addrs': [{'type': 'v1'|'v2'|'any'|None, 'host', 'port'}]}],
         'effective': {'mon'|'osd'|'mds'|'mgr'|'client': {option: value}},  # [global] + [type]
         'errors': [{'line', 'message'}]}
    """
    sections = {}
    errors = []
    section = None
    lines = split_lines(text)
    index = 0
    while index < len(lines):
        lineno = index + 1
        line = lines[index]
        index += 1
        if line.rstrip().endswith('\\'):
            parts = []
            while line.rstrip().endswith('\\') and index < len(lines):
                parts.append(line.rstrip()[:-1])
                line = lines[index]
                index += 1
            parts.append(line)
            line = ''.join(parts)
        stripped = _strip_comment(line).strip()
        if not stripped:
            continue
        if stripped.startswith('['):
            if not stripped.endswith(']') or len(stripped) <= 2:
                errors.append({'line': lineno, 'message': 'invalid section header: %s' % stripped[:60]})
                section = None
                continue
            section = stripped[1:-1].strip().lower()
            sections.setdefault(section, {})
            continue
        key, sep, value = stripped.partition('=')
        if not sep or not key.strip():
            errors.append({'line': lineno, 'message': 'not a "key = value" line (ignored)'})
            continue
        if section is None:
            errors.append({'line': lineno, 'message': 'option %s outside any [section] (ignored)' % normalize_key(key)})
            continue
        name = normalize_key(key)
        value = value.strip()
        if len(value) >= 2 and value[0] == '"' and value[-1] == '"':
            value = value[1:-1]
        if value and (name in _SECRET_OPTIONS or is_secret_key(name)):
            if secrets is not None:
                secrets.add(value)
            value = MASK
        sections[section][name] = value
    effective = {}
    for daemon in DAEMON_TYPES:
        merged = dict(sections.get('global', {}))
        merged.update(sections.get(daemon, {}))
        effective[daemon] = merged
    mon_host = ceph_get({'sections': sections}, 'mon_host', 'client')
    return {
        'sections': sections,
        'mon_host': parse_mon_host(mon_host) if mon_host else [],
        'effective': effective,
        'errors': cap_errors(errors),
    }


def ceph_get(parsed, option, entity='client'):
    """Value of ``option`` for ``entity`` (``osd.0``, ``osd``, ``client.admin``): the entity's
    section, then its type's section, then ``[global]``; ``None`` if unset."""
    option = normalize_key(option)
    sections = parsed.get('sections', {})
    order = [entity.lower()]
    if '.' in entity:
        order.append(entity.split('.', 1)[0].lower())
    order.append('global')
    for name in order:
        if option in sections.get(name, {}):
            return sections[name][option]
    return None


def _addr(item):
    """``v2:10.0.0.1:3300`` / ``10.0.0.1`` / ``[::1]:6789`` / ``host:6789`` -> ``{type, host, port}``."""
    item = item.strip()
    kind = None
    match = re.match(r'^(v1|v2|any):(.*)$', item)
    if match:
        kind, item = match.group(1), match.group(2)
    item = item.split('/', 1)[0]  # v2:1.2.3.4:3300/0 (nonce)
    port = None
    if item.startswith('['):
        host, _sep, rest = item[1:].partition(']')
        if rest.startswith(':'):
            port = decimal(rest[1:])
    elif item.count(':') == 1:
        host, port_text = item.split(':')
        port = decimal(port_text)
    else:
        host = item
    return {'type': kind, 'host': host or None, 'port': port}


def parse_mon_host(value):
    """Split a ``mon_host`` value into monitors, each with its address vector."""
    monitors = []
    items = []
    depth = 0
    current = []
    for char in value:
        if char == '[':
            depth += 1
        elif char == ']':
            depth = max(0, depth - 1)
        if depth == 0 and char in ',; \t':
            if current:
                items.append(''.join(current))
            current = []
            continue
        current.append(char)
    if current:
        items.append(''.join(current))
    for item in items:
        item = item.strip()
        if not item:
            continue
        inner = item[1:-1] if item.startswith('[') and item.endswith(']') else None
        if inner is not None and re.match(r'^\s*(v1|v2|any):', inner):
            addrs = [_addr(part) for part in inner.split(',') if part.strip()]
        else:
            addrs = [_addr(item)]
        monitors.append({'raw': item, 'addrs': addrs})
    return monitors
