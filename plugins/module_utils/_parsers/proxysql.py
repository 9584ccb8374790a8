# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ProxySQL configuration: ``proxysql.cnf`` (libconfig syntax) and kolla-ansible's ``proxysql.yaml``.

ProxySQL reads ``/etc/proxysql.cnf`` (libconfig: ``name = value`` or ``name : value``, groups ``{ ... }``,
lists ``( ... )``, arrays ``[ ... ]``, ``;``/``,`` separators, ``#``, ``//`` and ``/* */`` comments).
kolla-ansible (2023.2+, ``enable_proxysql``) renders ``/etc/kolla/proxysql/proxysql.yaml`` with the same
sections, which the kolla image turns into the ``.cnf`` at start; read here with PyYAML where installed.

What matters for TLS:

* frontend (clients -> ProxySQL): ``mysql_variables.have_ssl`` (``mysql-have_ssl``) on the
  ``mysql_variables.interfaces`` listeners; the certificate is ``proxysql-cert.pem`` /
  ``proxysql-key.pem`` / ``proxysql-ca.pem`` in ``datadir`` (ProxySQL generates a self-signed one at
  first start when absent);
* backend (ProxySQL -> MariaDB): ``use_ssl`` per ``mysql_servers`` entry, with
  ``mysql_variables.ssl_p2s_ca`` / ``ssl_p2s_cert`` / ``ssl_p2s_key``.

No defaults are applied except ProxySQL's documented ones where a value is absent (``have_ssl`` false,
``use_ssl`` 0, ``datadir`` ``/var/lib/proxysql``), and those are marked with ``*_source: default``.
Credentials (``admin_credentials``, ``stats_credentials``, ``monitor_password``, server/user passwords)
are masked.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible_collections.scs.secure_connections.plugins.module_utils._core.secrets import MASK, is_secret_key
from ansible_collections.scs.secure_connections.plugins.module_utils._core.rootfs import cap_errors
from ansible_collections.scs.secure_connections.plugins.module_utils._core.words import MYSQL, parse_bool

DEFAULT_DATADIR = '/var/lib/proxysql'
SECRET_KEYS = ('admin_credentials', 'stats_credentials', 'monitor_password', 'password', 'cluster_password')

_TOKEN = re.compile(r'''
    (?P<ws>\s+)
  | (?P<comment>\#[^\n]*|//[^\n]*|/\*.*?(?:\*/|\Z))
  | (?P<string>"(?:[^"\\]|\\.)*")
  | (?P<unterminated>")
  | (?P<punct>[{}()\[\]=:;,])
  | (?P<word>[^\s{}()\[\]=:;,"\#]+)
''', re.X | re.S)


class _Error(Exception):
    def __init__(self, message, line):
        Exception.__init__(self, message)
        self.line = line


def _tokens(text):
    """``[(kind, value, line)]``; linear in the text."""
    out, pos, line = [], 0, 1
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        kind = match.lastgroup
        value = match.group(kind)
        if kind == 'unterminated':
            raise _Error('unterminated string', line)
        if kind == 'string':
            out.append(('string', re.sub(r'\\(.)', r'\1', value[1:-1]), line))
        elif kind in ('punct', 'word'):
            out.append((kind, value, line))
        line += value.count('\n')
        pos = match.end()
    return out


class _Parser(object):
    def __init__(self, tokens):
        self.tokens = tokens
        self.pos = 0

    def peek(self):
        return self.tokens[self.pos] if self.pos < len(self.tokens) else (None, None, self.tokens[-1][2] if self.tokens else 1)

    def take(self):
        token = self.peek()
        self.pos += 1
        return token

    def settings(self, closing=None):
        """``name = value`` entries until ``closing`` (or the end): a dict."""
        out = {}
        while True:
            kind, value, line = self.peek()
            if kind is None or (kind == 'punct' and value == closing):
                if kind is None and closing:
                    raise _Error('missing "%s"' % closing, line)
                self.take()
                return out
            if kind == 'punct' and value in ';,':
                self.take()
                continue
            if kind != 'word':
                raise _Error('expected a setting name, found %r' % value, line)
            self.take()
            sep = self.take()
            if sep[0] != 'punct' or sep[1] not in '=:':
                raise _Error('expected "=" or ":" after %s' % value, line)
            out[value.lower()] = self.value()

    def value(self):
        kind, value, line = self.take()
        if kind == 'string':
            return value
        if kind == 'word':
            low = value.lower()
            if low in ('true', 'false'):
                return low == 'true'
            try:
                return int(value.rstrip('Ll'), 0)
            except ValueError:
                try:
                    return float(value)
                except ValueError:
                    return value
        if kind == 'punct' and value == '{':
            return self.settings('}')
        if kind == 'punct' and value in '([':
            closing = ')' if value == '(' else ']'
            items = []
            while True:
                nkind, nvalue, _nline = self.peek()
                if nkind is None:
                    raise _Error('missing "%s"' % closing, line)
                if nkind == 'punct' and nvalue == closing:
                    self.take()
                    return items
                if nkind == 'punct' and nvalue in ',;':
                    self.take()
                    continue
                items.append(self.value())
        raise _Error('expected a value, found %r' % value, line)


def parse_proxysql_cnf_text(text):
    """``(config dict, errors)`` of a libconfig ``proxysql.cnf`` text."""
    try:
        return _Parser(_tokens(text)).settings(), []
    except _Error as exc:
        return {}, [{'line': exc.line, 'message': str(exc)}]
    except RecursionError:
        return {}, [{'line': None, 'message': 'groups nested too deeply'}]


def parse_proxysql_yaml_text(text, yaml_module):
    """``(config dict, errors)`` of kolla's ``proxysql.yaml`` (``yaml_module``: PyYAML, or None when not installed)."""
    if yaml_module is None:
        return {}, [{'line': None, 'message': 'PyYAML is not installed on this node: kolla\'s proxysql.yaml cannot be read'}]
    try:
        data = yaml_module.safe_load(text)
    except yaml_module.YAMLError as exc:
        mark = getattr(exc, 'problem_mark', None)
        return {}, [{'line': mark.line + 1 if mark else None, 'message': 'not valid YAML: %s' % getattr(exc, 'problem', exc)}]
    if not isinstance(data, dict):
        return {}, [{'line': None, 'message': 'not a mapping at the top level'}]
    return data, []


def _mask(obj, secrets):
    if isinstance(obj, dict):
        out = {}
        for key, value in obj.items():
            key = str(key).lower()
            if (key in SECRET_KEYS or is_secret_key(key)) and value not in (None, ''):
                if secrets is not None and isinstance(value, str):
                    secrets.add(value)
                    secrets.update(part for part in value.split(':')[1:] if part)
                out[key] = MASK
            else:
                out[key] = _mask(value, secrets)
        return out
    if isinstance(obj, list):
        return [_mask(v, secrets) for v in obj]
    return obj


def split_interfaces(value):
    """``"10.0.0.250:3306;/tmp/proxysql.sock"`` -> ``[{address, port}]`` (unix sockets dropped)."""
    out = []
    for item in str(value or '').split(';'):
        item = item.strip()
        if not item or item.startswith('/'):
            continue
        host, _sep, port = item.rpartition(':')
        try:
            out.append({'address': host.strip('[]') or None, 'port': int(port)})
        except ValueError:
            continue
    return out


def _truth(value):
    if isinstance(value, bool) or value is None:
        return value
    return parse_bool(str(value), MYSQL, invalid=None)


def summarize(config):
    """The TLS facts of a parsed ProxySQL configuration (either format)."""
    variables = config.get('mysql_variables') if isinstance(config.get('mysql_variables'), dict) else {}
    variables = dict((str(k).lower().replace('mysql-', '', 1), v) for k, v in variables.items())
    have_ssl = _truth(variables.get('have_ssl')) if 'have_ssl' in variables else None
    datadir = config.get('datadir') or DEFAULT_DATADIR
    frontend = {'ssl': bool(have_ssl), 'ssl_source': 'mysql_variables.have_ssl' if have_ssl is not None else 'default (false)',
                'listeners': split_interfaces(variables.get('interfaces') or '0.0.0.0:6033'),
                'interfaces_source': 'mysql_variables.interfaces' if variables.get('interfaces') else 'default (0.0.0.0:6033)',
                'certificate': dict((k, '%s/proxysql-%s.pem' % (str(datadir).rstrip('/'), k)) for k in ('cert', 'key', 'ca'))}
    servers = []
    for item in config.get('mysql_servers') or []:
        if not isinstance(item, dict):
            continue
        item = dict((str(k).lower(), v) for k, v in item.items())
        use_ssl = _truth(item.get('use_ssl')) if 'use_ssl' in item else False
        servers.append({'address': item.get('address') or item.get('hostname'), 'port': item.get('port', 3306),
                        'hostgroup': item.get('hostgroup', item.get('hostgroup_id')), 'use_ssl': bool(use_ssl),
                        'use_ssl_source': 'use_ssl' if 'use_ssl' in item else 'default (0)', 'comment': item.get('comment')})
    backend = {'servers': servers}
    for key in ('ssl_p2s_ca', 'ssl_p2s_cert', 'ssl_p2s_key', 'ssl_p2s_capath', 'ssl_p2s_cipher'):
        backend[key] = variables.get(key) or None
    return {'datadir': datadir, 'frontend': frontend, 'backend': backend}


def parse_proxysql(text, fmt='cnf', yaml_module=None, secrets=None):
    """``{format, config (masked), frontend, backend, datadir, errors}`` of one ProxySQL configuration text.

    ``fmt``: ``cnf`` (libconfig ``proxysql.cnf``) or ``yaml`` (kolla's ``proxysql.yaml``). With errors the
    summary is still returned from what could be read, and ``errors`` says the file was not read completely.
    """
    if fmt == 'yaml':
        config, errors = parse_proxysql_yaml_text(text, yaml_module)
    else:
        config, errors = parse_proxysql_cnf_text(text)
    result = {'format': fmt, 'config': _mask(config, secrets), 'errors': cap_errors(errors)}
    result.update(summarize(config))
    return result
