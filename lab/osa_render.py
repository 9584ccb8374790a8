# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Render OpenStack-Ansible's real role templates for a small OSA cloud, with Ansible itself.

    .venv/bin/python lab/osa_render.py --mirror /work/.mirror --unit-dir <libvirt units> --out tests/fixtures/osa-rendered/2025.2-default
    .venv/bin/python lab/osa_render.py --out tests/fixtures/osa-rendered/2025.2-plain --set rabbitmq_use_ssl=false ...

The sources are bare git repositories (``<mirror>/openstack+<repo>/repo``, or ``$SCS_OSA_MIRROR``) of
openstack-ansible (inventory/group_vars, env.d, user_secrets.yml), the roles (os_keystone, os_glance, os_nova,
os_neutron, os_cinder, os_placement, galera_server, rabbitmq_server, haproxy_server), openstack-ansible-plugins
(the ``openstack.osa`` collection: filters the defaults use) and ansible-config_template (the
``openstack.config_template`` action plugin), at ``--ref`` (default stable/2025.2; config_template at master).

What runs is ``ansible-playbook`` on a static inventory shaped like OSA's dynamic inventory for one infra host
(LXC containers for galera, rabbitmq, keystone, glance, nova-api, neutron-server, cinder-api, placement, haproxy
on the host) and one compute host: OSA's ``inventory/group_vars`` load as inventory group_vars, the role
defaults and vars as role variables, ``user_variables.yml`` (the variant's settings) and ``user_secrets.yml``
(every secret ``FIXTUREPW-<name>``) as extra vars, as ``openstack-ansible`` passes them. Each role gets one added
task file (``tasks/scs_render.yml``) holding the role's own configuration tasks (its distribution vars, then the
``config_template``/``template`` tasks of its ``*_post_install.yml`` with the same ``src``, overrides and
``config_type``) whose ``dest`` is put under ``<out>/<inventory host>/``; haproxy's ``conf.d`` fragments are
assembled into ``haproxy.cfg`` as the role's handler does. ``<out>/nodes.json`` records the commits and, per node and
role, what the roles would also install: the venv, the links (``/etc/<project>`` into the venv, ``systemctl enable``),
the files of the PKI role (issued by the lab CA when the corpus is built) and nova's/neutron's services. The roles' calls
of ansible-role-systemd_service for their service lists and of ansible-role-uwsgi for their API services run too, through
one added task file of each (systemd_service's task writing ``/etc/systemd/system/<service>.service``). Left out: package
installs, running services, databases, the uWSGI .ini files, the timers, policies, rootwrap and paste files
(tests/fixtures/osa-rendered/README.md has the whole list).
"""

from __future__ import absolute_import, division, print_function

import argparse
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile

import yaml

MIRROR = os.environ.get('SCS_OSA_MIRROR') or '/work/.mirror'
REF = 'stable/2025.2'
OSA_VERSION = '32.2.0'   # `git describe` of openstack-ansible stable/2025.2 (the venvs are named <service>-<version>)
ROLES = ('os_keystone', 'os_glance', 'os_nova', 'os_neutron', 'os_cinder', 'os_placement', 'galera_server',
         'rabbitmq_server', 'haproxy_server')
SUFFIX = '-5c2a1e'   # OSA's dynamic inventory names containers <host>_<name>-<random>

MGMT = '172.29.236.'
INTERNAL_VIP = MGMT + '9'
EXTERNAL_VIP = '203.0.113.9'
TUNNEL_ADDRESS = '172.29.240.21'

# node -> (address, is_metal, OSA groups (components and their *_all parents), roles whose files it gets)
NODES = {
    'infra1': (MGMT + '11', True, ['haproxy', 'haproxy_all', 'hosts', 'shared-infra_hosts'], ['haproxy_server']),
    'infra1_galera_container' + SUFFIX: (MGMT + '101', False, ['galera', 'galera_all'], ['galera_server']),
    'infra1_rabbit_mq_container' + SUFFIX: (MGMT + '102', False, ['rabbitmq', 'rabbitmq_all'], ['rabbitmq_server']),
    'infra1_keystone_container' + SUFFIX: (MGMT + '103', False, ['keystone', 'keystone_all'], ['os_keystone']),
    'infra1_glance_container' + SUFFIX: (MGMT + '104', False, ['glance_api', 'glance_all'], ['os_glance']),
    'infra1_nova_api_container' + SUFFIX: (MGMT + '105', False, [
        'nova_api_metadata', 'nova_api_os_compute', 'nova_conductor', 'nova_scheduler', 'nova_console', 'nova_all'], ['os_nova']),
    'infra1_neutron_server_container' + SUFFIX: (MGMT + '106', False, [
        'neutron_server', 'neutron_ovn_northd', 'neutron_all'], ['os_neutron']),
    'infra1_cinder_api_container' + SUFFIX: (MGMT + '107', False, ['cinder_api', 'cinder_scheduler', 'cinder_all'], ['os_cinder']),
    'infra1_placement_container' + SUFFIX: (MGMT + '108', False, ['placement_api', 'placement_all'], ['os_placement']),
    'infra1_memcached_container' + SUFFIX: (MGMT + '109', False, ['memcached', 'memcached_all'], []),
    'infra1_utility_container' + SUFFIX: (MGMT + '110', False, ['utility', 'utility_all'], []),
    'compute1': (MGMT + '21', True, ['nova_compute', 'neutron_ovn_controller', 'nova_all', 'neutron_all', 'hosts',
                                     'compute_hosts', 'kvm-compute_hosts'], ['os_nova', 'os_neutron']),
}
FACTS = {'os_family': 'Debian', 'distribution': 'Ubuntu', 'distribution_version': '24.04', 'distribution_major_version': '24',
         'distribution_release': 'noble', 'pkg_mgr': 'apt', 'architecture': 'x86_64', 'machine': 'x86_64',
         'processor_vcpus': 8, 'processor_count': 8, 'processor_cores': 4, 'processor_threads_per_core': 2,
         'memtotal_mb': 32768, 'service_mgr': 'systemd', 'python': {'version': {'major': 3, 'minor': 12}}, 'virtualization_role': 'host',
         'virtualization_type': 'kvm', 'kernel': '6.8.0-50-generic', 'selinux': {'status': 'disabled'}, 'local': {}}

# role -> the configuration tasks of its *_post_install.yml (src, dest, overrides variable, config_type or 'template')
TASKS = {
    'os_keystone': [('keystone.conf.j2', '/etc/keystone/keystone.conf', 'keystone_keystone_conf_overrides', 'ini', None)],
    'os_glance': [('glance-api.conf.j2', '{{ glance_etc_dir }}/glance-api.conf', 'glance_glance_api_conf_overrides', 'ini', None)],
    'os_nova': [('nova.conf.j2', '{{ nova_conf_version_dir }}/nova.conf', 'nova_nova_conf_overrides', 'ini', None),
                ('libvirtd.conf.j2', '/etc/libvirt/libvirtd.conf', None, 'template', "'nova_compute' in group_names"),
                ('qemu.conf.j2', '/etc/libvirt/qemu.conf', None, 'template', "'nova_compute' in group_names")],
    'os_neutron': [('neutron.conf.j2', '{{ neutron_conf_version_dir }}/neutron.conf', 'neutron_neutron_conf_overrides', 'ini', None),
                   ('{{ neutron_plugins[neutron_plugin_type].plugin_ini }}.j2',
                    '{{ neutron_conf_version_dir }}/{{ neutron_plugins[neutron_plugin_type].plugin_ini }}',
                    '{{ neutron_plugins[neutron_plugin_type].plugin_conf_ini_overrides }}', 'ini', None),
                   ('{{ neutron_plugins[item].plugin_ini }}.j2', '{{ neutron_conf_version_dir }}/{{ neutron_plugins[item].plugin_ini }}',
                    '{{ neutron_plugins[item].plugin_conf_ini_overrides }}', 'ini', 'loop:neutron_plugin_types'),
                   ('{{ item.service_conf }}.j2', '{{ item.service_conf_path }}/{{ item.service_conf }}', '{{ item.config_overrides }}',
                    '{{ item.config_type }}', 'loop:filtered_neutron_services')],
    'os_cinder': [('cinder.conf.j2', '/etc/cinder/cinder.conf', 'cinder_cinder_conf_overrides', 'ini', None)],
    'os_placement': [('placement.conf.j2', '/etc/placement/placement.conf', 'placement_placement_conf_overrides', 'ini', None)],
    'galera_server': [('my.cnf.j2', '{{ galera_etc_conf_file }}', 'galera_my_cnf_overrides', 'ini', None),
                      ('cluster.cnf.j2', '{{ galera_etc_include_dir }}/cluster.cnf', 'galera_cluster_cnf_overrides', 'ini', None)],
    'rabbitmq_server': [('rabbitmq.conf.j2', '/etc/rabbitmq/rabbitmq.conf', None, 'template', None),
                        ('advanced.config.j2', '/etc/rabbitmq/advanced.config', None, 'template', None),
                        ('rabbitmq-env.j2', '/etc/rabbitmq/rabbitmq-env.conf', None, 'template', None),
                        ('rabbitmq-server.j2', '/etc/default/rabbitmq-server', None, 'template', None)],
    'haproxy_server': [('haproxy.cfg.j2', '/etc/haproxy/conf.d/00-haproxy', None, 'template', None)],
}
# role -> the prefix of its variables (<prefix>_bin, <prefix>_conf_dir)
INSTALL_VARS = {'os_keystone': 'keystone', 'os_glance': 'glance', 'os_nova': 'nova', 'os_neutron': 'neutron', 'os_cinder': 'cinder',
                'os_placement': 'placement'}
# haproxy_service_config.yml's service groups and the variables of their hosts listing the frontends (the playbooks' pairs)
HAPROXY_SERVICES = (('keystone_all', 'keystone_haproxy_services'), ('glance_api', 'glance_haproxy_services'),
                    ('nova_all', 'nova_haproxy_services'), ('neutron_server', 'neutron_haproxy_services'),
                    ('cinder_api', 'cinder_haproxy_services'), ('placement_api', 'placement_haproxy_services'),
                    ('galera_all', 'galera_haproxy_services'), ('rabbitmq_all', 'rabbitmq_haproxy_services'))
# role -> the variable listing its services (execstarts), for units.json
SERVICES = {'os_nova': 'filtered_nova_services', 'os_neutron': 'filtered_neutron_services'}
SYSTEMD_ROLE = ('ansible-role-systemd_service', 'systemd_service')   # the repository and role name OSA's roles call
SYSTEMD_TASK = 'Place the systemd service'   # the task of systemd_service's tasks/main.yml that writes <name>.service
UWSGI_ROLE = ('ansible-role-uwsgi', 'uwsgi')   # the role running the API services (WSGI apps), its units by systemd_service


def git_tree(mirror, repo, ref, dest):
    """``git archive`` of ``ref`` in the bare mirror of openstack/<repo> extracted to ``dest``; return the commit."""
    gitdir = os.path.join(mirror, 'openstack+%s' % repo, 'repo')
    commit = subprocess.run(['git', '--git-dir', gitdir, 'rev-parse', ref], stdout=subprocess.PIPE, check=True,
                            universal_newlines=True).stdout.strip()
    data = subprocess.run(['git', '--git-dir', gitdir, 'archive', commit], stdout=subprocess.PIPE, check=True).stdout
    os.makedirs(dest)
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        if hasattr(tarfile, 'data_filter'):
            tar.extractall(dest, filter='data')  # pylint: disable=unexpected-keyword-arg
        else:
            tar.extractall(dest)  # nosec: our own git archive
    return commit


def _task(role, src, dest, overrides, how, when):
    out_dest = '{{ scs_out }}/{{ inventory_hostname }}' + dest
    if how == 'template':
        task = {'name': 'render %s' % src, 'ansible.builtin.template': {'src': src, 'dest': out_dest, 'mode': '0640'}}
    else:
        args = {'src': src, 'dest': out_dest, 'mode': '0640', 'config_type': how,
                'config_overrides': overrides if overrides.startswith('{{') else '{{ %s }}' % overrides}
        if role == 'galera_server':
            args['ignore_none_type'] = False
        task = {'name': 'render %s' % src, 'openstack.config_template.config_template': args}
    expression = '("%s")' % out_dest.replace('{{ ', '" ~ (').replace(' }}', ') ~ "')
    pre = {'name': 'directory of %s' % src, 'ansible.builtin.file': {'path': '{{ %s | dirname }}' % expression, 'state': 'directory'}}
    for item in (task, pre):
        if when and when.startswith('loop:'):
            item['loop'] = '{{ %s }}' % when[5:]
        elif when:
            item['when'] = when
    if when == 'loop:filtered_neutron_services':
        for item in (task, pre):
            item['when'] = "'service_conf' in item and 'service_conf_path' in item"
    return [pre, task]


VARIABLE_ACTIONS = ('ansible.builtin.include_vars', 'ansible.builtin.set_fact')
# and neutron's provider network fact (a module of openstack.osa that only computes)


def main_variable_tasks(role_dir):
    """The tasks of the role's tasks/main.yml that only set variables (distribution and install-method vars, facts)."""
    with open(os.path.join(role_dir, 'tasks', 'main.yml')) as handle:
        tasks = yaml.safe_load(handle) or []
    out = []
    for task in tasks:
        if any(action in task for action in VARIABLE_ACTIONS + ('openstack.osa.provider_networks',)):
            out.append(dict((k, v) for k, v in task.items() if k != 'tags'))
    return out


def _walk_tasks(tasks):
    """Every task of a task list, blocks opened (block, rescue, always)."""
    out = []
    for task in tasks or ():
        if isinstance(task, dict):
            out.append(task)
            for key in ('block', 'rescue', 'always'):
                out += _walk_tasks(task.get(key))
    return out


def pki_installs(role_dir):
    """Jinja expressions of the files the role's ``openstack.osa.pki`` includes install (``pki_install_certificates`` and
    ``pki_install_ca``, each under the include's ``when``), read from the role's task files."""
    out = []
    paths = []
    for base, _dirs, files in os.walk(os.path.join(role_dir, 'tasks')):
        paths += [os.path.join(base, name) for name in files if name.endswith('.yml')]
    for path in sorted(paths):
        with open(path) as handle:
            tasks = yaml.safe_load(handle) or []
        for task in _walk_tasks(tasks):
            include = task.get('ansible.builtin.include_role') or task.get('ansible.builtin.import_role') or {}
            if not isinstance(include, dict) or include.get('name') not in ('pki', 'openstack.osa.pki'):
                continue
            params = task.get('vars') or {}
            when = task.get('when') or []
            when = [when] if isinstance(when, str) else when
            lists = [params[k].strip()[2:-2].strip() for k in ('pki_install_certificates', 'pki_install_ca')
                     if isinstance(params.get(k), str) and params[k].strip().startswith('{{')]
            if lists:
                out.append('((%s) if (%s) else [])' % (' + '.join('(%s)' % x for x in lists),
                                                       ' and '.join('(%s)' % w for w in when) or 'true'))
    return out


def service_unit_calls(role_dir, role=None, match='filtered_'):
    """The role's calls of the systemd_service role for its service list (``systemd_services`` built from
    ``filtered_<project>_services``: the services of the node's groups, without the uWSGI apps; ``match`` ``None``: every
    call) and of the uwsgi role (its apps, ``role`` ``None``), as tasks calling the added task file of that role instead:
    same variables, loop and ``when``."""
    if role is None:
        return service_unit_calls(role_dir, SYSTEMD_ROLE[1]) + service_unit_calls(role_dir, UWSGI_ROLE[1], None)
    out = []
    for base, _dirs, files in sorted(os.walk(os.path.join(role_dir, 'tasks'))):
        for name in sorted(files):
            if not name.endswith('.yml') or name == 'scs_render.yml':
                continue
            with open(os.path.join(base, name)) as handle:
                tasks = yaml.safe_load(handle) or []
            for task in _walk_tasks(tasks):
                key = next((k for k in ('ansible.builtin.import_role', 'ansible.builtin.include_role') if k in task), None)
                if not key or (task[key] or {}).get('name') != role:
                    continue
                if match and match not in str((task.get('vars') or {}).get('systemd_services')) + str(task.get('with_items')):
                    continue
                call = dict((k, v) for k, v in task.items() if k not in (key, 'tags'))
                call['ansible.builtin.include_role'] = {'name': role, 'tasks_from': 'scs_render.yml'}
                out.append(call)
    return out


def systemd_tasks(role_dir):
    """The added tasks/scs_render.yml of systemd_service: its task writing the .service files, ``dest`` under the node's tree."""
    with open(os.path.join(role_dir, 'tasks', 'main.yml')) as handle:
        task = dict(next(t for t in yaml.safe_load(handle) if t.get('name') == SYSTEMD_TASK))
    for key in ('notify', 'register', 'tags'):
        task.pop(key, None)
    action = dict(task['openstack.config_template.config_template'])
    action['dest'] = '{{ scs_out }}/{{ inventory_hostname }}' + action['dest']
    task['openstack.config_template.config_template'] = action
    # rejectattr('systemd_overrides_only', 'true') fails under ansible-core 2.19 on the services without that key (an
    # undefined attribute given to a test): the same services, those without the key first
    if task.get('loop') == "{{ systemd_services | rejectattr('systemd_overrides_only', 'true') }}":
        task['loop'] = ("{{ (systemd_services | rejectattr('systemd_overrides_only', 'defined') | list) + (systemd_services | "
                        "selectattr('systemd_overrides_only', 'defined') | rejectattr('systemd_overrides_only', 'true') | list) }}")
    else:
        raise RuntimeError('systemd_service: unexpected loop of %r: %r' % (SYSTEMD_TASK, task.get('loop')))
    pre = {'name': 'directory of the units', 'ansible.builtin.file': {
        'path': '{{ scs_out }}/{{ inventory_hostname }}/etc/systemd/system', 'state': 'directory'}}
    return [pre, task]


def uwsgi_tasks(role_dir):
    """The added tasks/scs_render.yml of uwsgi: its variable tasks and its call of systemd_service for the apps, under the
    ``when`` of its main.yml's include (the apps' .ini files are not rendered)."""
    tasks = main_variable_tasks(role_dir)
    for call in service_unit_calls(role_dir, SYSTEMD_ROLE[1], None):
        call['when'] = 'uwsgi_services | length > 0'
        tasks.append(call)
    return tasks


def role_tasks(role, role_dir):
    """The added tasks/scs_render.yml of ``role``: its variable tasks, its configuration tasks, its PKI paths and units."""
    tasks = main_variable_tasks(role_dir)
    if role == 'os_nova':   # tasks/nova_virt_detect.yml on a host with VT-x: kvm
        tasks.append({'name': 'virt type', 'ansible.builtin.set_fact': {'nova_virt_type': 'kvm'}, 'when': 'nova_virt_type is not defined'})
        tasks.append({'name': 'nova config facts (nova_post_install.yml)', 'ansible.builtin.set_fact': {'{{ item.key }}': '{{ item.value }}'},
                      'with_dict': '{{ nova_virt_types[nova_virt_type] }}',
                      'when': ['item.key not in hostvars[inventory_hostname] or item.key is undefined']})
    for src, dest, overrides, how, when in TASKS[role]:
        tasks += _task(role, src, dest, overrides, how, when)
    if role == 'haproxy_server':
        tasks += haproxy_tasks()
    tasks += service_unit_calls(role_dir)
    facts = {'scs_role': role}
    pki = pki_installs(role_dir)
    if pki:
        facts['pki'] = '{{ %s }}' % ' + '.join(pki)
    if role in INSTALL_VARS:
        facts['venv'] = '{{ %s_bin | dirname }}' % INSTALL_VARS[role]
        facts['conf_link'] = '{{ [%s_conf_dir | default(""), %s_conf_version_dir | default("")] }}' % (INSTALL_VARS[role], INSTALL_VARS[role])
    if role == 'os_nova':   # handlers/main.yml "Enable sockets when needed" (and libvirt_service_name) on compute hosts
        facts['enabled_units'] = ("{{ (libvirt_service_name + ['libvirtd-tls.socket'] * (nova_libvirtd_listen_tls | int) + "
                                  "['libvirtd-tcp.socket'] * (nova_libvirtd_listen_tcp | int)) if 'nova_compute' in group_names else [] }}")
    if role in SERVICES:
        facts['services'] = ("{{ (%s | dict2items | map(attribute='value') | list) if (%s is mapping) else %s }}"
                             % (SERVICES[role], SERVICES[role], SERVICES[role]))
    expression = ', '.join('"%s": %s' % (k, v[3:-3] if v.startswith('{{') else '"%s"' % v) for k, v in sorted(facts.items()))
    tasks.append({'name': 'what the role would also install', 'ansible.builtin.copy': {
        'content': '{{ {%s} | to_nice_json }}' % expression,
        'dest': '{{ scs_out }}/{{ inventory_hostname }}.%s.json' % role}})
    return tasks


def haproxy_tasks():
    """haproxy_service_config.yml for every service group's ``*_haproxy_services``, then the handler's assemble."""
    confd = '{{ scs_out }}/{{ inventory_hostname }}/etc/haproxy/conf.d'
    return [
        {'name': 'conf.d', 'ansible.builtin.file': {'path': confd, 'state': 'directory'}},
        {'name': 'services', 'ansible.builtin.set_fact': {'_haproxy_service_configs_simplified': (
            "{{ _haproxy_service_configs_simplified | default([]) + "
            "(groups[item.0] | map('extract', hostvars, ['scs_haproxy', item.1]) | flatten | unique) }}")},
         'loop': [list(pair) for pair in HAPROXY_SERVICES]},
        {'name': 'render service.j2', 'ansible.builtin.template': {
            'src': 'service.j2', 'dest': confd + '/{{ service.haproxy_service_name }}', 'mode': '0640'},
         'loop': '{{ _haproxy_service_configs_simplified }}', 'loop_control': {'loop_var': 'service'},
         'when': ['(service.haproxy_backend_nodes is defined and service.haproxy_backend_nodes | length > 0) or '
                  '(service.haproxy_frontend_only | default(False))', 'service.haproxy_service_enabled | default(True) | bool']},
        {'name': 'assemble haproxy.cfg', 'ansible.builtin.assemble': {
            'src': confd, 'dest': '{{ scs_out }}/{{ inventory_hostname }}/etc/haproxy/haproxy.cfg', 'mode': '0640'}},
    ]


def osa_groups(osa):
    """Every group OSA's env.d defines (components, containers, physical groups): empty unless a node is in it."""
    names = set()
    envd = os.path.join(osa, 'inventory', 'env.d')
    for name in sorted(os.listdir(envd)):
        with open(os.path.join(envd, name)) as handle:
            data = yaml.safe_load(handle) or {}
        for skel in ('component_skel', 'container_skel', 'physical_skel'):
            for key, value in (data.get(skel) or {}).items():
                names.add(key)
                names.update((value or {}).get('belongs_to') or ())
    return names


def inventory(osa):
    """A static inventory shaped like OSA's dynamic inventory output for NODES."""
    hosts, groups = {}, dict((name, {'hosts': {}}) for name in osa_groups(osa))
    for name, (address, metal, member_of, roles) in NODES.items():
        physical = name.split('_', 1)[0]
        hosts[name] = {
            'ansible_connection': 'local', 'ansible_host': address, 'management_address': address, 'container_address': address,
            'container_name': name, 'physical_host': physical, 'is_metal': metal, 'scs_roles': roles,
            'container_networks': {'management_address': {'address': address, 'bridge': 'br-mgmt', 'netmask': '255.255.252.0',
                                                          'type': 'veth', 'interface': 'eth1'}},
            'physical_host_group': '%s_hosts' % ('compute' if physical.startswith('compute') else 'shared-infra'),
        }
        for group in member_of + ['all_containers' if not metal else 'hosts']:
            groups.setdefault(group, {'hosts': {}})['hosts'][name] = None
    tunnel = {'address': TUNNEL_ADDRESS, 'bridge': 'br-vxlan', 'interface': 'eth10', 'netmask': '255.255.252.0', 'type': 'veth'}
    hosts['compute1']['container_networks']['tunnel_address'] = tunnel
    groups['lxc_hosts'] = {'hosts': {'infra1': None}}
    with open(os.path.join(osa, 'etc', 'openstack_deploy', 'openstack_user_config.yml.prod.example')) as handle:
        overrides = (yaml.safe_load(handle) or {}).get('global_overrides') or {}
    # the dynamic inventory puts openstack_user_config's global_overrides into every host's variables
    return {'all': {'hosts': hosts, 'children': groups, 'vars': {'provider_networks': overrides.get('provider_networks') or []}}}


def playbook(params):
    return [{'name': 'render the OSA role templates of every node', 'hosts': 'all', 'gather_facts': False, 'tasks': [
        {'name': 'facts of an Ubuntu 24.04 node', 'ansible.builtin.set_fact': dict(FACTS, cacheable=True)},
        {'name': 'host facts', 'ansible.builtin.set_fact': {
            'hostname': '{{ inventory_hostname }}', 'nodename': '{{ inventory_hostname }}', 'fqdn': '{{ inventory_hostname }}.openstack.local',
            'default_ipv4': {'address': '{{ management_address }}'}, 'cacheable': True}},
        # each service host resolves its own *_haproxy_services (ansible-core 2.19 cannot template a variable of another
        # host that itself uses hostvars: ansible/ansible#87359); the haproxy host then reads the resolved lists
        {'name': 'haproxy frontends of this host', 'ansible.builtin.set_fact': {
            'scs_haproxy': "{{ scs_haproxy | default({}) | combine({item.1: lookup('vars', item.1)}) }}"},
         'loop': [list(pair) for pair in HAPROXY_SERVICES], 'when': 'inventory_hostname in groups[item.0]'},
    ] + [{'name': 'the files of %s' % role, 'ansible.builtin.include_role': {'name': role, 'tasks_from': 'scs_render.yml'},
          'vars': params.get(role, {}), 'when': "'%s' in scs_roles" % role} for role in ROLES]}]


def role_params(plugins):
    """{role: parameters} the openstack.osa playbooks pass to each role (``nova_management_address`` and the like)."""
    out = {}
    base = os.path.join(plugins, 'playbooks')
    for name in sorted(os.listdir(base)):
        if not name.endswith(('.yml', '.yaml')):
            continue
        with open(os.path.join(base, name)) as handle:
            plays = yaml.safe_load(handle) or []
        for play in plays if isinstance(plays, list) else ():
            for entry in (play.get('roles') or []) if isinstance(play, dict) else ():
                if isinstance(entry, dict) and entry.get('role') in ROLES:
                    params = dict((k, v) for k, v in entry.items() if k not in ('role', 'tags', 'when', 'vars'))
                    params.update(entry.get('vars') or {})
                    out.setdefault(entry['role'], {}).update(params)
    return out


def secrets(osa):
    with open(os.path.join(osa, 'etc', 'openstack_deploy', 'user_secrets.yml')) as handle:
        keys = yaml.safe_load(handle) or {}
    return dict((key, 'FIXTUREPW-%s' % key) for key in keys)


def prepare(mirror, ref, work):
    """Sources, collections, roles with their added task file, inventory with OSA's group_vars; {repo: commit}."""
    commits = {}
    commits['openstack-ansible'] = git_tree(mirror, 'openstack-ansible', ref, os.path.join(work, 'osa'))
    coll = os.path.join(work, 'collections', 'ansible_collections', 'openstack')
    commits['ansible-config_template'] = git_tree(mirror, 'ansible-config_template', 'master', os.path.join(coll, 'config_template'))
    commits['openstack-ansible-plugins'] = git_tree(mirror, 'openstack-ansible-plugins', ref, os.path.join(coll, 'osa'))
    for role in ROLES:
        repo = 'openstack-ansible-%s' % role
        commits[repo] = git_tree(mirror, repo, ref, os.path.join(work, 'roles', role))
        with open(os.path.join(work, 'roles', role, 'meta', 'main.yml'), 'w') as handle:
            handle.write('dependencies: []\n')   # apt_package_pinning and the like install packages: not run here
        with open(os.path.join(work, 'roles', role, 'tasks', 'scs_render.yml'), 'w') as handle:
            yaml.safe_dump(role_tasks(role, os.path.join(work, 'roles', role)), handle, default_flow_style=False, sort_keys=False)
    systemd = os.path.join(work, 'roles', SYSTEMD_ROLE[1])
    commits[SYSTEMD_ROLE[0]] = git_tree(mirror, SYSTEMD_ROLE[0], ref, systemd)
    with open(os.path.join(systemd, 'tasks', 'scs_render.yml'), 'w') as handle:
        yaml.safe_dump(systemd_tasks(systemd), handle, default_flow_style=False, sort_keys=False)
    uwsgi = os.path.join(work, 'roles', UWSGI_ROLE[1])
    commits[UWSGI_ROLE[0]] = git_tree(mirror, UWSGI_ROLE[0], ref, uwsgi)
    with open(os.path.join(uwsgi, 'tasks', 'scs_render.yml'), 'w') as handle:
        yaml.safe_dump(uwsgi_tasks(uwsgi), handle, default_flow_style=False, sort_keys=False)
    inv = os.path.join(work, 'inventory')
    os.makedirs(inv)
    shutil.copytree(os.path.join(work, 'osa', 'inventory', 'group_vars'), os.path.join(inv, 'group_vars'))
    with open(os.path.join(inv, 'hosts.yml'), 'w') as handle:
        yaml.safe_dump(inventory(os.path.join(work, 'osa')), handle, default_flow_style=False)
    with open(os.path.join(work, 'render.yml'), 'w') as handle:
        yaml.safe_dump(playbook(role_params(os.path.join(coll, 'osa'))), handle, default_flow_style=False, sort_keys=False)
    return commits


def run(work, out, settings):
    """ansible-playbook over the prepared workspace; the node trees land in ``out``."""
    extra = dict(secrets(os.path.join(work, 'osa')))
    with open(os.path.join(work, 'osa', 'etc', 'openstack_deploy', 'user_variables.yml')) as handle:
        extra.update(yaml.safe_load(handle) or {})
    extra.update({'internal_lb_vip_address': INTERNAL_VIP, 'external_lb_vip_address': EXTERNAL_VIP,
                  'haproxy_keepalived_internal_vip_cidr': INTERNAL_VIP + '/32',
                  'haproxy_keepalived_external_vip_cidr': EXTERNAL_VIP + '/32', 'scs_out': out})
    extra.update(settings)
    with open(os.path.join(work, 'user_variables.yml'), 'w') as handle:
        yaml.safe_dump(extra, handle, default_flow_style=False)
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=os.path.join(work, 'collections'), ANSIBLE_ROLES_PATH=os.path.join(work, 'roles'),
               ANSIBLE_NOCOLOR='1', ANSIBLE_HOST_KEY_CHECKING='0', ANSIBLE_LOCAL_TEMP=os.path.join(work, 'tmp'),
               ANSIBLE_HOME=os.path.join(work, 'home'), OSA_VERSION=OSA_VERSION, ANSIBLE_FORKS='4',
               ANSIBLE_PYTHON_INTERPRETER=sys.executable, ANSIBLE_CONFIG=os.path.join(work, 'none.cfg'))
    playbook_bin = os.path.join(os.path.dirname(sys.executable), 'ansible-playbook')
    proc = subprocess.run([playbook_bin, '-i', os.path.join(work, 'inventory'), os.path.join(work, 'render.yml'),
                           '-e', '@' + os.path.join(work, 'user_variables.yml')], env=env, cwd=work, check=False,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True)
    if proc.returncode != 0:
        failed = [line for line in proc.stdout.splitlines() if line.startswith(('fatal:', 'failed:', '[ERROR]'))]
        raise RuntimeError('ansible-playbook failed (%d):\n%s' % (proc.returncode, '\n'.join(failed)[-8000:] or proc.stdout[-8000:]))
    return proc.stdout


def finish(raw, out, commits, settings, ref, unit_dir=None):
    """Move the node trees to ``out`` and write nodes.json (per node and role: the venv, the links the roles make, the PKI files)."""
    if os.path.exists(out):
        shutil.rmtree(out)
    os.makedirs(out)
    nodes = {}
    for name in sorted(NODES):
        info = {'roles': {}}
        for role in NODES[name][3]:
            with open(os.path.join(raw, '%s.%s.json' % (name, role))) as handle:
                data = json.load(handle)
            # links are not checked in (ansible-test sanity allows no directory or dangling symlinks): nodes.json lists
            # them and lab/corpus.py makes them when it builds the tree
            link, target = (data.pop('conf_link', None) or ['', ''])[:2]
            if link and target and link != target:
                # the role's handler "Symlink <project> config directory": /etc/<project> -> ../<venv>/etc/<project>
                data['links'] = [[link, re.sub('^/', '../', target)]]
            for unit in data.get('enabled_units') or ():
                # systemctl enable; the unit files belong to the distribution's libvirt package (copied from unit_dir)
                if unit_dir and os.path.isfile(os.path.join(unit_dir, unit)):
                    target = os.path.join(raw, name, 'usr', 'lib', 'systemd', 'system', unit)
                    os.makedirs(os.path.dirname(target), exist_ok=True)
                    shutil.copy(os.path.join(unit_dir, unit), target)
                wants = 'sockets.target.wants' if unit.endswith('.socket') else 'multi-user.target.wants'
                data.setdefault('links', []).append(['/etc/systemd/system/%s/%s' % (wants, unit), '/usr/lib/systemd/system/%s' % unit])
            info['roles'][role] = data
        nodes[name] = info
        if os.path.isdir(os.path.join(raw, name)):
            shutil.move(os.path.join(raw, name), os.path.join(out, name))
    with open(os.path.join(out, 'nodes.json'), 'w') as handle:
        json.dump({'ref': ref, 'osa_version': OSA_VERSION, 'commits': commits, 'settings': settings, 'nodes': nodes},
                  handle, indent=1, sort_keys=True)
        handle.write('\n')


def parse_settings(pairs):
    out = {}
    for pair in pairs or ():
        key, _sep, value = pair.partition('=')
        out[key] = yaml.safe_load(value)
    return out


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n', maxsplit=1)[0])
    parser.add_argument('--mirror', default=MIRROR, help='directory of the bare mirrors (default $SCS_OSA_MIRROR or /work/.mirror)')
    parser.add_argument('--ref', default=REF, help='branch or commit of openstack-ansible and its roles (default %(default)s)')
    parser.add_argument('--out', required=True, help='the variant directory: one tree per node is written under it')
    parser.add_argument('--set', action='append', metavar='VAR=YAML', help='a user_variables.yml setting of the variant')
    parser.add_argument('--unit-dir', help='the systemd unit directory of the distribution\'s libvirt package (e.g. lib/systemd/system '
                        'of libvirt-daemon-system unpacked): the units os_nova enables are copied from it')
    parser.add_argument('--keep', action='store_true', help='keep the workspace (printed)')
    args = parser.parse_args(argv)
    work = tempfile.mkdtemp(prefix='osa-render-')
    try:
        commits = prepare(args.mirror, args.ref, work)
        raw = os.path.join(work, 'out')
        os.makedirs(raw)
        run(work, raw, parse_settings(args.set))
        finish(raw, args.out, commits, parse_settings(args.set), args.ref, args.unit_dir)
    finally:
        if args.keep:
            sys.stderr.write('workspace kept: %s\n' % work)
        else:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == '__main__':
    sys.exit(main())
