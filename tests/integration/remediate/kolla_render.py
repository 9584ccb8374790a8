# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Render a kolla-ansible release's real service templates offline, as kolla-ansible would.

An emulation, and said so: kolla-ansible itself needs an inventory, facts and containers. Here the
release's own ``group_vars/all.yml`` and role defaults, the deployment's ``globals.yml`` and
``passwords.yml`` are one lazily-templated variable space (like Ansible's); the filters the
templates use that matter for TLS (``bool``, ``put_address_in_context``, ``kolla_address``) are
implemented, any other filter passes its input through, and unknown variables are empty. Then
``merge_configs`` is emulated: the rendered template, then ``config/global.conf``,
``config/<service>.conf``, ``config/<service>/<component>.conf`` (each rendered through the same
Jinja space, as kolla's action plugin does) merged option by option, later sources winning.
"""

from __future__ import absolute_import, division, print_function

import configparser
import io
import os
import zipfile

import jinja2
import yaml

_TRUE = ('yes', 'true', '1', 'on', 'y', 't')


def to_bool(value):
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in _TRUE


class _Filters(dict):
    """Known filters, and identity for the rest (compile-time lookups succeed)."""

    def __contains__(self, name):
        return True

    def __getitem__(self, name):
        if dict.__contains__(self, name):
            return dict.__getitem__(self, name)
        return lambda value, *a, **kw: value

    def get(self, name, default=None):
        return self[name]


class _Tests(_Filters):
    def __getitem__(self, name):
        if dict.__contains__(self, name):
            return dict.__getitem__(self, name)
        return lambda value, *a, **kw: False


class _Silent(jinja2.ChainableUndefined):
    def __str__(self):
        return ''

    def __iter__(self):
        return iter(())

    def __bool__(self):
        return False


class Space(dict):
    """Variables whose string values are templates, rendered on first use (recursion-safe)."""

    def __init__(self, env, layers, facts):
        dict.__init__(self)
        self.env = env
        self.raw = {}
        for layer in layers:
            self.raw.update(layer or {})
        self.raw.update(facts)
        self._busy = set()
        self._done = {}

    def __contains__(self, key):
        return key in self.raw or key in ('hostvars', 'groups')

    def __getitem__(self, key):
        if key == 'hostvars':
            return _HostVars(self)
        if key == 'groups':
            return _Groups(self.raw.get('inventory_hostname'))
        if key in self._done:
            return self._done[key]
        if key not in self.raw or key in self._busy:
            raise KeyError(key)
        self._busy.add(key)
        try:
            value = self.render_value(self.raw[key])
        except Exception:  # pylint: disable=broad-except
            # a default that needs facts or inventory this emulation does not have: empty, like an unset variable
            value = ''
        finally:
            self._busy.discard(key)
        self._done[key] = value
        return value

    def get(self, key, default=None):
        try:
            return self[key]
        except KeyError:
            return default

    def render_value(self, value):
        if isinstance(value, str) and ('{{' in value or '{%' in value):
            text = self.render(value)
            if text.strip() in ('True', 'False'):
                return text.strip() == 'True'
            return text
        if isinstance(value, list):
            return [self.render_value(v) for v in value]
        if isinstance(value, dict):
            return dict((k, self.render_value(v)) for k, v in value.items())
        return value

    def render(self, source, searchpath=None):
        if searchpath:
            self.env.loader = jinja2.FileSystemLoader(searchpath)
        template = self.env.from_string(source)
        return jinja2.utils.concat(template.root_render_func(template.new_context(self, shared=True)))


class _HostVars(object):
    def __init__(self, space):
        self.space = space

    def __getitem__(self, host):
        return self.space

    def __contains__(self, host):
        return True


class _Groups(dict):
    def __init__(self, host):
        dict.__init__(self)
        self.host = host

    def __getitem__(self, name):
        return [self.host]

    def __contains__(self, name):
        return True

    def get(self, name, default=None):
        return [self.host]


def environment(address):
    env = jinja2.Environment(undefined=_Silent, extensions=['jinja2.ext.do', 'jinja2.ext.loopcontrols'],
                             keep_trailing_newline=True, trim_blocks=True)
    env.filters = _Filters(env.filters)
    env.filters.update({'bool': to_bool, 'put_address_in_context': lambda addr, ctx='url': addr,
                        'kolla_address': lambda network, host=None: address, 'ternary': lambda v, a, b=None: a if v else b,
                        'default': lambda v, d='', boolean=False: d if (isinstance(v, jinja2.Undefined) or (boolean and not v)) else v})
    env.tests = _Tests(env.tests)
    env.tests.update({'defined': lambda v: not isinstance(v, jinja2.Undefined), 'undefined': lambda v: isinstance(v, jinja2.Undefined)})
    env.globals.update({'lookup': lambda *a, **kw: '', 'query': lambda *a, **kw: []})
    return env


class Release(object):
    """The ansible/ tree of a kolla-ansible wheel, read from the zip."""

    PREFIX = 'share/kolla-ansible/ansible/'

    def __init__(self, wheel):
        self.zip = zipfile.ZipFile(wheel)
        self.names = dict((n.split(self.PREFIX, 1)[1], n) for n in self.zip.namelist() if self.PREFIX in n)

    def read(self, rel):
        return self.zip.read(self.names[rel]).decode('utf-8')

    def yaml(self, rel):
        return yaml.safe_load(self.read(rel)) or {}

    def extract_templates(self, role, dest):
        """Write roles/<role>/templates/ to ``dest`` (the loader's search path for includes); return it."""
        base = 'roles/%s/templates/' % role
        for rel in self.names:
            if rel.startswith(base):
                target = os.path.join(dest, role, rel[len(base):])
                os.makedirs(os.path.dirname(target), exist_ok=True)
                with open(target, 'w') as handle:
                    handle.write(self.read(rel))
        return os.path.join(dest, role)


def merge_ini(texts):
    """kolla's merge_configs: later sources override options of earlier ones, section by section."""
    merged = configparser.RawConfigParser(strict=False, interpolation=None, default_section='__none__')
    merged.optionxform = str
    for text in texts:
        part = configparser.RawConfigParser(strict=False, interpolation=None, default_section='__none__')
        part.optionxform = str
        part.read_string(text)
        for section in part.sections():
            if not merged.has_section(section):
                merged.add_section(section)
            for option, value in part.items(section):
                merged.set(section, option, value)
    out = io.StringIO()
    merged.write(out)
    return out.getvalue()


def render_service(release, kolla_dir, role, template, service, component, workdir, host='kolla1', address='10.0.0.11'):
    """The file kolla-ansible would write to /etc/kolla/<component>/, from the release and the deployment's kolla dir."""
    with open(os.path.join(kolla_dir, 'globals.yml')) as handle:
        globals_vars = yaml.safe_load(handle) or {}
    with open(os.path.join(kolla_dir, 'passwords.yml')) as handle:
        passwords = yaml.safe_load(handle) or {}
    layers = [release.yaml('group_vars/all.yml'), release.yaml('roles/%s/defaults/main.yml' % role), passwords, globals_vars]
    facts = {'inventory_hostname': host, 'api_interface_address': address, 'migration_interface_address': address,
             'node_config': kolla_dir, 'node_custom_config': os.path.join(kolla_dir, 'config'), 'project_name': role,
             'service_name': component, 'ansible_facts': {}, 'role_path': '', 'play_hosts': [host]}
    env = environment(address)
    space = Space(env, layers, facts)
    searchpath = release.extract_templates(role, workdir)
    sources = [space.render(release.read('roles/%s/templates/%s' % (role, template)), searchpath=searchpath)]
    custom = os.path.join(kolla_dir, 'config')
    base = os.path.splitext(template)[0]
    for rel in ('global.conf', '%s.conf' % service, '%s/%s.conf' % (service, component), '%s/%s/%s.conf' % (service, host, base),
                '%s/%s/%s.conf' % (service, host, component)):
        path = os.path.join(custom, rel)
        if os.path.isfile(path):
            with open(path) as handle:
                sources.append(space.render(handle.read()))
    return merge_ini(sources)
