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

import ast
import configparser
import copy
import io
import ipaddress
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
            if text.strip()[:1] in ('{', '[') and value.strip().startswith('{{') and value.strip().endswith('}}'):
                try:  # like Ansible: a single expression that renders a dict or list stays one
                    return ast.literal_eval(text.strip())
                except (ValueError, SyntaxError):
                    return text
            return text
        if isinstance(value, list):
            return [self.render_value(v) for v in value]
        if isinstance(value, dict):
            return dict((k, self.render_value(v)) for k, v in value.items())
        return value

    def render(self, source, searchpath=None):
        if searchpath:
            self.env.loader = jinja2.FileSystemLoader(searchpath)
        self.env.lstrip_blocks, self.env.trim_blocks = False, True
        if source.startswith('#jinja2:'):
            # Ansible's template header: options for this template, the line itself is not output
            header, _sep, source = source.partition('\n')
            for option in header[len('#jinja2:'):].split(','):
                key, _colon, value = option.partition(':')
                if key.strip() in ('lstrip_blocks', 'trim_blocks'):
                    setattr(self.env, key.strip(), value.strip() == 'True')
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


def put_address_in_context(address, context='url'):
    """kolla_ansible/put_address_in_context.py's behaviour: IPv6 in brackets for URLs, Erlang tuples for RabbitMQ."""
    address = str(address)
    if context == 'rabbitmq':
        if ':' in address:
            return ','.join('16#%x' % int(x, 16) for x in ipaddress.ip_address(address).exploded.split(':'))
        return address.replace('.', ',')
    if ':' not in address:
        return address
    return '[%s]' % address if context == 'url' else 'inet6:[%s]' % address


def environment(address):
    env = jinja2.Environment(undefined=_Silent, extensions=['jinja2.ext.do', 'jinja2.ext.loopcontrols'],
                             keep_trailing_newline=True, trim_blocks=True)
    env.filters = _Filters(env.filters)
    env.filters.update({'bool': to_bool, 'put_address_in_context': put_address_in_context,
                        'kolla_address': lambda network, host=None: address,
                        'database_shards_info': lambda hosts: {'shards': {'0': {'hosts': list(hosts)}}, 'users': []},
                        'ternary': lambda v, a, b=None: a if v else b,
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
        self._yaml, self._play_vars, self._extracted = {}, {}, {}

    def read(self, rel):
        return self.zip.read(self.names[rel]).decode('utf-8')

    def yaml(self, rel):
        if rel not in self._yaml:
            self._yaml[rel] = yaml.safe_load(self.read(rel)) or {}
        return copy.deepcopy(self._yaml[rel])

    def group_vars(self):
        """group_vars/all.yml, or (2026.1 on) the files of group_vars/all/ merged in name order, as Ansible loads them."""
        if 'group_vars/all.yml' in self.names:
            return self.yaml('group_vars/all.yml')
        merged = {}
        for rel in sorted(n for n in self.names if n.startswith('group_vars/all/') and n.endswith(('.yml', '.yaml'))):
            merged.update(self.yaml(rel))
        return merged

    def play_vars(self, role):
        """The ``vars`` the release's playbooks pass to ``role`` (``role_rabbitmq_port`` and the like)."""
        if role in self._play_vars:
            return dict(self._play_vars[role])
        found = self._play_vars[role] = {}

        def walk(node):
            if isinstance(node, list):
                for item in node:
                    walk(item)
            elif isinstance(node, dict):
                task_role = [v for k, v in node.items() if k.split('.')[-1] in ('import_role', 'include_role')]
                task_role = task_role[0] if task_role else None
                target = task_role.get('name') if isinstance(task_role, dict) else node.get('role') or node.get('name')
                if target == role and isinstance(node.get('vars'), dict):
                    for key, value in node['vars'].items():
                        if value is not None:
                            found.setdefault(key, value)
                for value in node.values():
                    walk(value)
        for rel in sorted(n for n in self.names if '/' not in n and n.endswith('.yml')):
            try:
                walk(yaml.safe_load(self.read(rel)))
            except yaml.YAMLError:
                continue
        return dict(found)

    def extract_templates(self, role, dest):
        """Write roles/<role>/templates/ to ``dest`` (the loader's search path for includes); return it."""
        if (role, dest) in self._extracted:
            return self._extracted[(role, dest)]
        base = 'roles/%s/templates/' % role
        for rel in self.names:
            if rel.startswith(base):
                target = os.path.join(dest, role, rel[len(base):])
                os.makedirs(os.path.dirname(target), exist_ok=True)
                with open(target, 'w') as handle:
                    handle.write(self.read(rel))
        self._extracted[(role, dest)] = os.path.join(dest, role)
        return self._extracted[(role, dest)]


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


def _read_yaml(path):
    if not os.path.isfile(path):
        return {}
    with open(path) as handle:
        return yaml.safe_load(handle) or {}


def deployment_space(release, kolla_dir, roles, component, host='kolla1', address='10.0.0.11', extra=None):
    """The variable space of one task of ``roles`` (the last one is the task's own role): the release's
    group_vars, the roles' defaults, passwords.yml, globals.yml (extra vars win over everything)."""
    layers = [release.group_vars()]
    for role in roles:
        rel = 'roles/%s/defaults/main.yml' % role
        layers.append(release.yaml(rel) if rel in release.names else {})
    # kolla-ansible passes globals.yml and passwords.yml as extra vars: they win over the playbooks' role vars
    layers += [release.play_vars(roles[-1]), _read_yaml(os.path.join(kolla_dir, 'passwords.yml')),
               _read_yaml(os.path.join(kolla_dir, 'globals.yml'))]
    facts = {'inventory_hostname': host, 'api_interface_address': address, 'migration_interface_address': address,
             'node_config': kolla_dir, 'node_custom_config': os.path.join(kolla_dir, 'config'), 'project_name': roles[-1],
             'node_config_directory': '/etc/kolla', 'service_name': component, 'role_path': '', 'play_hosts': [host],
             'ansible_facts': {'hostname': host, 'nodename': host, 'fqdn': host, 'os_family': 'Debian',
                               'distribution': 'Ubuntu', 'processor_vcpus': 4, 'memtotal_mb': 8192},
             'ansible_hostname': host}
    facts.update(extra or {})
    return Space(environment(address), layers, facts)


def render_template(release, space, role, template, workdir):
    """One template of ``role`` rendered in ``space`` (includes resolved in the role's templates/)."""
    searchpath = release.extract_templates(role, workdir)
    return space.render(release.read('roles/%s/templates/%s' % (role, template)), searchpath=searchpath)


def render_service(release, kolla_dir, role, template, service, component, workdir, host='kolla1', address='10.0.0.11', extra_roles=()):
    """The file kolla-ansible would write to /etc/kolla/<component>/, from the release and the deployment's kolla dir."""
    space = deployment_space(release, kolla_dir, list(extra_roles) + [role], component, host, address)
    sources = [render_template(release, space, role, template, workdir)]
    custom = os.path.join(kolla_dir, 'config')
    base = os.path.splitext(os.path.basename(template))[0]
    for rel in ('global.conf', '%s.conf' % service, '%s/%s.conf' % (service, component), '%s/%s/%s.conf' % (service, host, base),
                '%s/%s/%s.conf' % (service, host, component)):
        path = os.path.join(custom, rel)
        if os.path.isfile(path):
            with open(path) as handle:
                sources.append(space.render(handle.read()))
    return merge_ini(sources)
