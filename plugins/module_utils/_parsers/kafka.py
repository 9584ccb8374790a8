# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Apache Kafka broker ``server.properties`` (Java properties format).

Java properties rules: ``#`` / ``!`` comment lines; the key ends at the first unescaped
``=``, ``:`` or whitespace; a line ending in an odd number of backslashes continues on the
next line (leading whitespace dropped); ``\\t \\n \\r \\f \\uXXXX`` escapes; a repeated key keeps
the last value.

Passwords (``*.password``), inline private keys (``ssl.keystore.key``) and the password
inside ``sasl.jaas.config`` values are masked.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible_collections.scs.secure_connections.plugins.module_utils._core.secrets import MASK, is_secret_key, split_lines
from ansible_collections.scs.secure_connections.plugins.module_utils._core.rootfs import cap_errors
from ansible_collections.scs.secure_connections.plugins.module_utils._parsers.lexing import decimal, find_unescaped

STANDARD_PROTOCOLS = ('PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL')
_ESC = {'t': '\t', 'n': '\n', 'r': '\r', 'f': '\f'}
_JAVA_ESCAPE = re.compile(r'\\(u[0-9a-fA-F]{4}|.)', re.S)


def _unescape(text):
    """Java properties escapes: ``\\uXXXX``, ``\\t`` and the like; any other escaped character stands for itself."""
    return _JAVA_ESCAPE.sub(lambda m: chr(int(m.group(1)[1:], 16)) if len(m.group(1)) == 5 else _ESC.get(m.group(1), m.group(1)), text)


def _logical_lines(text):
    lines = split_lines(text)
    index = 0
    while index < len(lines):
        start = index + 1
        line = lines[index].lstrip()
        index += 1
        if not line or line[0] in '#!':
            continue
        parts = []
        while True:
            trailing = len(line) - len(line.rstrip('\\'))
            if trailing % 2 == 1:
                parts.append(line[:-1])
                if index >= len(lines):
                    break
                line = lines[index].lstrip()
                index += 1
            else:
                parts.append(line)
                break
        yield start, ''.join(parts)


def parse_properties(text, secrets=None):
    """``(properties, errors)`` of a Java properties text; secret values masked."""
    props = {}
    errors = []
    for lineno, line in _logical_lines(text):
        i = find_unescaped(line, '=: \t\f')
        key = _unescape(line[:i])
        rest = line[i:].lstrip(' \t\f')
        if rest[:1] in ('=', ':'):
            rest = rest[1:].lstrip(' \t\f')
        if not key:
            errors.append({'line': lineno, 'message': 'property line without a key (ignored)'})
            continue
        props[key] = mask_property(key, _unescape(rest), secrets)
    return props, cap_errors(errors)


def mask_property(key, value, secrets=None):
    """Mask ``*.password``, ``ssl.keystore.key`` and the passwords inside a JAAS config."""
    if not value:
        return value
    low = key.lower()
    if is_secret_key(low) or low.endswith(('.password', 'ssl.keystore.key', '.secret')):
        if secrets is not None:
            secrets.add(value)
        return MASK
    if low.endswith('sasl.jaas.config'):
        def _mask(match):
            raw = match.group(2)
            quote = raw[:1] if raw[:1] in ('"', "'") else ''
            inner = raw[len(quote):]
            if quote and inner.endswith(quote):
                inner = inner[:-1]
            if secrets is not None and inner:
                secrets.add(inner)
            return '%s%s%s%s' % (match.group(1), quote, MASK, quote)
        # password="...", password='...' or password=bare; an unterminated quote (a cut file) masks to the end
        return re.sub(r'(password\s*=\s*)("(?:[^"\\]|\\.)*"?|\'(?:[^\'\\]|\\.)*\'?|[^;\s]*)', _mask, value, flags=re.I | re.S)
    return value


def parse_listener_list(value, protocol_map=None):
    """``SSL://0.0.0.0:9093,PLAINTEXT://:9092`` -> ``[{name, host, port, security_protocol}]``.

    ``security_protocol`` comes from ``protocol_map`` (listener.security.protocol.map) or, when
    no map is set, Kafka's default map (the standard names map to themselves);
    ``protocol_source`` is ``map``, ``default_map`` or ``missing_from_map`` (protocol ``None``:
    the broker would refuse to start).
    """
    out = []
    for item in (value or '').split(','):
        item = item.strip()
        if not item:
            continue
        name, sep, rest = item.partition('://')
        if not sep:
            out.append({'name': None, 'host': None, 'port': None, 'security_protocol': None, 'raw': item,
                        'error': 'not NAME://host:port'})
            continue
        host, port = rest, None
        if rest.startswith('['):
            host, _s, tail = rest[1:].partition(']')
            if tail.startswith(':'):
                port = decimal(tail[1:])
        elif ':' in rest:
            host, _s, port_text = rest.rpartition(':')
            port = decimal(port_text)
        name_up = name.upper()
        protocol = None
        source = None
        if protocol_map:
            # an explicit map replaces Kafka's default one: a name missing from it is a broker error
            if name_up in protocol_map:
                protocol, source = protocol_map[name_up], 'map'
            else:
                source = 'missing_from_map'
        elif name_up in STANDARD_PROTOCOLS:
            protocol, source = name_up, 'default_map'
        out.append({'name': name_up, 'host': host or None, 'port': port, 'security_protocol': protocol,
                    'protocol_source': source, 'raw': item})
    return out


def parse_protocol_map(value):
    """``CONTROLLER:PLAINTEXT,INTERNAL:SSL`` -> ``{'CONTROLLER': 'PLAINTEXT', 'INTERNAL': 'SSL'}``."""
    out = {}
    for item in (value or '').split(','):
        name, sep, protocol = item.strip().partition(':')
        if sep and name.strip():
            out[name.strip().upper()] = protocol.strip().upper()
    return out


def parse_server_properties(text, secrets=None):
    """Parse a Kafka broker ``server.properties``.

    Returns::

        {'properties': {key: value},                 # every property, secrets masked
         'listeners': [{name, host, port, security_protocol, protocol_source, raw}],
         'advertised_listeners': [...],
         'listener_security_protocol_map': {NAME: PROTOCOL} or {},
         'security_inter_broker_protocol': str or None,
         'inter_broker_listener_name': str or None,
         'controller_listener_names': [..],
         'sasl_enabled_mechanisms': [..],
         'ssl': {'ssl.keystore.location': ..., ...},      # broker-wide ssl.* (masked)
         'listener_ssl': {NAME: {'ssl.keystore.location': ...}},  # listener.name.<name>.ssl.*
         'errors': [{'line', 'message'}]}
    """
    props, errors = parse_properties(text, secrets)
    protocol_map = parse_protocol_map(props.get('listener.security.protocol.map'))
    listener_ssl = {}
    for key, value in props.items():
        match = re.match(r'^listener\.name\.([^.]+)\.(ssl\..+)$', key)
        if match:
            listener_ssl.setdefault(match.group(1).upper(), {})[match.group(2)] = value
    return {
        'properties': props,
        'listeners': parse_listener_list(props.get('listeners'), protocol_map),
        'advertised_listeners': parse_listener_list(props.get('advertised.listeners'), protocol_map),
        'listener_security_protocol_map': protocol_map,
        'security_inter_broker_protocol': props.get('security.inter.broker.protocol'),
        'inter_broker_listener_name': props.get('inter.broker.listener.name'),
        'controller_listener_names': [n.strip() for n in props.get('controller.listener.names', '').split(',') if n.strip()],
        'sasl_enabled_mechanisms': [n.strip() for n in props.get('sasl.enabled.mechanisms', '').split(',') if n.strip()],
        'ssl': dict((k, v) for k, v in props.items() if k.startswith('ssl.')),
        'listener_ssl': listener_ssl,
        'errors': errors,
    }
