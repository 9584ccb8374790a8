# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Which deployment layouts a node (or a tree under ``root``) has, and where each OpenStack
service's configuration lives.

Layouts (a node can have several; every one found is reported):

``kolla``
    ``/etc/kolla/<component>/`` directories with a ``config.json`` (what kolla-ansible renders
    for each container: ``nova-compute``, ``neutron-server``, ``mariadb`` ...), the files
    copied into the container listed there; containers under docker
    (``/var/lib/docker/containers``) or podman (``/var/lib/containers/storage``).
``openstack_ansible``
    OpenStack-Ansible: ``/etc/<project>/`` with the project's virtualenv
    ``/openstack/venvs/<project>-<version>``, on metal or inside LXC containers whose root
    file systems are readable at ``/var/lib/lxc/<name>/rootfs``; ``/etc/openstack-release``
    with ``DISTRIB_ID="OSA"``.
``distro``
    distribution packages: ``/etc/<project>/<project>.conf`` without an OSA venv, package
    evidence from ``/var/lib/dpkg/info/*.list`` or ``/usr/lib/python3*/{dist,site}-packages``.

Which files a service reads: kolla's ``config.json`` ``command`` (``--config-file`` /
``--config-dir``) mapped back to the host files, else ``<project>.conf``; for distro and OSA,
``/etc/<project>/<project>.conf``, files named by ``--config-file`` / ``--config-dir`` in the
project's systemd units, and oslo.config's default ``/etc/<project>/<project>.conf.d``.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import posixpath
import re

from ansible_collections.scs.secure_connections.plugins.module_utils._core.rootfs import (
    ReadError, exists, glob_paths, host_path, isdir, isfile, lexists, listdir, read_text,
)
from ansible_collections.scs.secure_connections.plugins.module_utils._parsers.lexing import shell_words

KNOWN_PROJECTS = (
    'nova', 'neutron', 'cinder', 'glance', 'keystone', 'placement', 'heat', 'octavia', 'designate', 'barbican', 'manila',
    'magnum', 'ironic', 'ironic-inspector', 'aodh', 'ceilometer', 'gnocchi', 'panko', 'trove', 'zun', 'cloudkitty',
    'masakari', 'watcher', 'blazar', 'mistral', 'senlin', 'sahara', 'tacker', 'venus', 'cyborg', 'kuryr', 'freezer',
    'monasca', 'murano', 'vitrage', 'zaqar', 'karbor', 'solum', 'qinling', 'searchlight', 'ec2api', 'adjutant',
)
# project -> main config file names to try, in order, when it is not only <project>.conf
MAIN_FILES = {'ironic-inspector': ('inspector.conf',), 'glance': ('glance-api.conf', 'glance.conf'),
              'ec2api': ('ec2api.conf',), 'trove': ('trove.conf', 'trove-conductor.conf')}
# extra files distributions ship for one component (Ubuntu's nova-compute reads nova-compute.conf)
DISTRO_EXTRA_FILES = {'nova': ('nova-compute.conf',)}
# kolla component directories that hold infrastructure, not OpenStack service configuration
KOLLA_INFRA = ('mariadb', 'mariadb-clustercheck', 'proxysql', 'rabbitmq', 'memcached', 'haproxy', 'keepalived', 'cron',
               'fluentd', 'kolla-toolbox', 'openvswitch-db-server', 'openvswitch-vswitchd', 'letsencrypt-lego',
               'letsencrypt-webserver', 'opensearch', 'opensearch-dashboards', 'redis', 'redis-sentinel', 'etcd', 'kafka',
               'zookeeper', 'nova-libvirt', 'nova-ssh', 'keystone-ssh', 'tgtd', 'iscsid', 'multipathd', 'horizon', 'collectd',
               'telegraf', 'grafana', 'influxdb', 'prometheus-server', 'hacluster-corosync', 'hacluster-pacemaker')
KOLLA_SHARE = '/var/lib/kolla/config_files'


def _known(name):
    return name in KNOWN_PROJECTS


def main_files(project):
    """Config file names a project's services read first (``glance-api.conf`` for glance ...)."""
    return MAIN_FILES.get(project, (project + '.conf',))


def _find_main(root, directory, project):
    # lexists: a broken main file (a directory, a dangling link) is reported, not skipped
    for name in main_files(project):
        if lexists(root, directory + '/' + name):
            return directory + '/' + name
    return None


def _looks_oslo(root, path):
    """An unknown project's file is taken for an oslo.config file only if it has oslo sections."""
    try:
        text, _w = read_text(root, path)
    except ReadError:
        return False
    return bool(re.search(r'^\[(keystone_authtoken|database|oslo_[a-z_]+)\]', text, re.M))


def _read_json(root, path, errors):
    try:
        text, _warning = read_text(root, path)
        return json.loads(text)
    except ReadError as exc:
        errors.append({'file': path, 'message': str(exc)})
    except ValueError as exc:
        errors.append({'file': path, 'message': 'invalid JSON: %s' % exc})
    return None


def _config_args(command):
    """``(config_files, config_dirs)`` named by ``--config-file``/``--config-dir`` in a command line."""
    files, dirs = [], []
    try:
        words = shell_words(command or '')
    except ValueError:
        words = (command or '').split()
    i = 0
    while i < len(words):
        word = words[i]
        for flag, target in (('--config-file', files), ('--config-dir', dirs)):
            if word == flag and i + 1 < len(words):
                target.append(words[i + 1])
                i += 1
            elif word.startswith(flag + '='):
                target.append(word.split('=', 1)[1])
        i += 1
    return files, dirs


# --------------------------------------------------------------------------- containers


def lxc_containers(root='/'):
    """LXC containers with a readable directory rootfs: ``[{'name', 'rootfs'}]`` (logical paths)."""
    out = []
    for name in listdir(root, '/var/lib/lxc'):
        rootfs = '/var/lib/lxc/%s/rootfs' % name
        if isdir(root, rootfs + '/etc'):
            out.append({'name': name, 'rootfs': rootfs})
    return out


def container_engines(root='/'):
    """``{'docker': [names], 'podman': [names]}`` from the engines' state files, where readable."""
    out = {}
    errors = []
    docker = []
    for cid in listdir(root, '/var/lib/docker/containers'):
        data = _read_json(root, '/var/lib/docker/containers/%s/config.v2.json' % cid, errors)
        if isinstance(data, dict) and data.get('Name'):
            docker.append(str(data['Name']).lstrip('/'))
    if docker or isdir(root, '/var/lib/docker/containers'):
        out['docker'] = sorted(docker)
    podman = []
    for path in ('/var/lib/containers/storage/overlay-containers/containers.json',):
        if not isfile(root, path):
            continue
        data = _read_json(root, path, errors)
        for item in data if isinstance(data, list) else []:
            if isinstance(item, dict) and item.get('names'):
                podman.append(str(item['names'][0]))
    if podman or isdir(root, '/var/lib/containers/storage'):
        out['podman'] = sorted(podman)
    return out


# --------------------------------------------------------------------------- layouts


def detect_layouts(root='/'):
    """Every layout found: ``[{'name': 'kolla'|'openstack_ansible'|'distro', 'evidence': [...]}]``.

    ``kolla`` entries also carry ``container_engines`` (``{'docker': [names]}``),
    ``openstack_ansible`` entries ``lxc_containers`` (names) and ``venvs`` (paths).
    """
    layouts = []
    # kolla
    evidence = []
    kolla_dirs = [d for d in listdir(root, '/etc/kolla') if isfile(root, '/etc/kolla/%s/config.json' % d)]
    if kolla_dirs:
        evidence.append('/etc/kolla: %d container config directories with config.json (%s)' % (
            len(kolla_dirs), ', '.join(kolla_dirs[:12]) + (' ...' if len(kolla_dirs) > 12 else '')))
    if isfile(root, '/etc/kolla/globals.yml'):
        evidence.append('/etc/kolla/globals.yml (kolla-ansible deploy host)')
    if isdir(root, '/etc/kolla/config'):
        evidence.append('/etc/kolla/config (kolla-ansible custom config overrides)')
    engines = container_engines(root)
    if evidence:
        for engine, names in sorted(engines.items()):
            evidence.append('%s containers: %d%s' % (engine, len(names), (' (%s)' % ', '.join(names[:8])) if names else ''))
        layouts.append({'name': 'kolla', 'evidence': evidence, 'container_engines': engines})
    # openstack-ansible
    evidence = []
    venvs = []
    containers = []
    trees = [('', None)] + [(c['rootfs'], c['name']) for c in lxc_containers(root)]
    for prefix, cname in trees:
        found = [prefix + '/openstack/venvs/' + v for v in listdir(root, prefix + '/openstack/venvs')]
        release = _osa_release(root, prefix + '/etc/openstack-release')
        if found or release:
            venvs.extend(found)
            if cname:
                containers.append(cname)
            if release:
                evidence.append('%s/etc/openstack-release: %s' % (prefix, release))
    if venvs:
        evidence.insert(0, 'OpenStack-Ansible virtualenvs: %s' % ', '.join(venvs[:12]) + (' ...' if len(venvs) > 12 else ''))
    if containers:
        evidence.append('LXC containers deployed by OpenStack-Ansible: %s' % ', '.join(containers))
    if evidence:
        layouts.append({'name': 'openstack_ansible', 'evidence': evidence, 'lxc_containers': containers, 'venvs': venvs})
    # distro
    evidence = []
    for project in KNOWN_PROJECTS:
        main = _find_main(root, '/etc/%s' % project, project)
        if main and not _osa_venvs(root, '', project) and not _osa_release(root, '/etc/openstack-release'):
            pkg = _package_evidence(root, project)
            evidence.append('%s%s' % (main, ' (%s)' % pkg if pkg else ''))
    if evidence:
        layouts.append({'name': 'distro', 'evidence': evidence})
    return layouts


def _osa_release(root, path):
    if not isfile(root, path):
        return None
    try:
        text, _w = read_text(root, path, max_size=65536)
    except ReadError:
        return None
    values = dict(re.findall(r'^\s*(DISTRIB_\w+)\s*=\s*"?([^"\n]*)"?', text, re.M))
    if values.get('DISTRIB_ID', '').upper() != 'OSA':
        return None
    return 'DISTRIB_ID=OSA %s' % ' '.join('%s=%s' % kv for kv in sorted(values.items()) if kv[0] != 'DISTRIB_ID')


def _osa_venvs(root, prefix, project):
    return [prefix + '/openstack/venvs/' + v for v in listdir(root, prefix + '/openstack/venvs')
            if re.match(r'^%s-[0-9]' % re.escape(project), v) or v == project]


def _package_evidence(root, project):
    for pkg in ('%s-common' % project, 'python3-%s' % project, project, 'openstack-%s-common' % project):
        if isfile(root, '/var/lib/dpkg/info/%s.list' % pkg):
            return 'Debian package %s' % pkg
    for path in glob_paths(root, '/usr/lib/python3*/dist-packages/%s' % project.replace('-', '_')) + \
            glob_paths(root, '/usr/lib/python3*/site-packages/%s' % project.replace('-', '_')):
        return 'Python package %s' % path
    return None


# --------------------------------------------------------------------------- services


def discover_services(root='/', only=None):
    """Where each OpenStack service's configuration is; nothing is parsed here.

    Returns ``(services, errors)``; each service is::

        {'service': 'nova', 'component': 'nova-compute' | LXC container | None,
         'layout': 'kolla' | 'openstack_ansible' | 'distro',
         'files': [logical paths, read order], 'config_dirs': [logical dirs],
         'container': LXC container name or None, 'tree': '' or the LXC rootfs prefix,
         'venvs': [...], 'kolla': {'config_json', 'command', 'mounts': {container dest: host path},
                                    'override_files': [...]} or None,
         'units': [{'unit', 'files', 'dirs'}]}

    ``only``: project names to keep (``None`` = all).
    """
    services = []
    errors = []
    services.extend(_kolla_services(root, errors))
    trees = [('', None)] + [(c['rootfs'], c['name']) for c in lxc_containers(root)]
    for prefix, cname in trees:
        services.extend(_etc_services(root, prefix, cname, errors))
    if only:
        wanted = set(only)
        services = [s for s in services if s['service'] in wanted]
    return services, errors


def _kolla_services(root, errors):
    out = []
    for component in listdir(root, '/etc/kolla'):
        base = '/etc/kolla/%s' % component
        if component in ('config',) or not isdir(root, base):
            continue
        names = listdir(root, base)
        conf_files = [n for n in names if n.endswith('.conf')]
        if component in KOLLA_INFRA:
            continue
        projects = {}
        head = component.split('-')[0]
        for name in conf_files:
            stem = name[:-5]
            if _known(stem) or (stem == head and _looks_oslo(root, base + '/' + name)):
                project = stem
            elif _known(stem.split('-')[0]) and stem.split('-')[0] == head:
                project = head  # glance-api.conf in /etc/kolla/glance-api
            else:
                continue
            if project not in projects or name == project + '.conf':
                projects[project] = name
        if component.startswith('ironic-inspector') and 'inspector.conf' in names:
            projects['ironic-inspector'] = 'inspector.conf'
        if not projects:
            continue
        cfg = _read_json(root, base + '/config.json', errors) if 'config.json' in names else None
        command = cfg.get('command') if isinstance(cfg, dict) else None
        mounts = {}
        if isinstance(cfg, dict):
            for item in cfg.get('config_files') or []:
                if not isinstance(item, dict):
                    continue
                src, dest = str(item.get('source', '')), str(item.get('dest', ''))
                if src.startswith(KOLLA_SHARE + '/') and dest:
                    mounts[dest] = base + src[len(KOLLA_SHARE):]
        cmd_files, cmd_dirs = _config_args(command)
        for project in sorted(projects):
            main = base + '/' + projects[project]
            files = []
            for cfile in cmd_files:
                host = mounts.get(cfile)
                if host is None and posixpath.basename(cfile) in names:
                    host = base + '/' + posixpath.basename(cfile)
                if host and host not in files and isfile(root, host):
                    files.append(host)
            if main not in files:
                files.insert(0, main)
            out.append({
                'service': project, 'component': component, 'layout': 'kolla', 'files': files, 'config_dirs': [],
                'container': None, 'tree': '', 'venvs': [],
                'kolla': {'config_json': base + '/config.json' if cfg is not None else None, 'command': _safe_command(command),
                          'mounts': mounts, 'config_dirs_in_container': cmd_dirs,
                          'override_files': _kolla_overrides(root, project, component)},
                'units': [],
            })
    return out


def _safe_command(command):
    if not command:
        return command
    # a command line could carry a password (-p...), keep only the program and config arguments
    files, dirs = _config_args(command)
    try:
        prog = shell_words(command)[0]
    except (ValueError, IndexError):
        prog = command.split()[0] if command.split() else ''
    parts = [prog] + ['--config-file %s' % f for f in files] + ['--config-dir %s' % d for d in dirs]
    return ' '.join(parts)


def _kolla_overrides(root, project, component):
    """kolla-ansible's merge_configs sources for one component, in merge order (deploy host only)."""
    candidates = ['/etc/kolla/config/global.conf', '/etc/kolla/config/%s.conf' % project,
                  '/etc/kolla/config/%s/%s.conf' % (project, component)]
    candidates += glob_paths(root, '/etc/kolla/config/%s/*/%s.conf' % (project, project))
    return [c for c in candidates if isfile(root, c)]


def _units(root, prefix, project):
    units = []
    seen = set()
    for directory in ('/etc/systemd/system', '/lib/systemd/system', '/usr/lib/systemd/system'):
        for path in glob_paths(root, prefix + directory + '/*.service'):
            name = posixpath.basename(path)
            if name in seen:
                continue
            base = name[:-len('.service')]
            if not (base == project or base.startswith(project + '-') or base.startswith('openstack-%s' % project)):
                continue
            seen.add(name)
            try:
                text, _w = read_text(root, path, max_size=1024 * 1024)
            except ReadError:
                continue
            files, dirs = [], []
            for line in text.splitlines():
                line = line.strip()
                if line.startswith('ExecStart='):
                    f, d = _config_args(line.split('=', 1)[1])
                    files += f
                    dirs += d
            if files or dirs:
                units.append({'unit': prefix + path[len(prefix):] if prefix else path, 'files': files, 'dirs': dirs})
    return units


def _etc_services(root, prefix, cname, errors):
    out = []
    for project in KNOWN_PROJECTS:
        main = _find_main(root, '%s/etc/%s' % (prefix, project), project)
        if not main:
            continue
        venvs = _osa_venvs(root, prefix, project)
        layout = 'openstack_ansible' if venvs or _osa_release(root, prefix + '/etc/openstack-release') else 'distro'
        files = [main]
        for extra in DISTRO_EXTRA_FILES.get(project, ()):
            path = '%s/etc/%s/%s' % (prefix, project, extra)
            if isfile(root, path):
                files.append(path)
        dirs = []
        units = _units(root, prefix, project)
        for unit in units:
            for cfile in unit['files']:
                path = prefix + cfile
                if path not in files:
                    files.append(path)
            for cdir in unit['dirs']:
                path = prefix + cdir
                if path not in dirs:
                    dirs.append(path)
        default_dir = '%s/etc/%s/%s.conf.d' % (prefix, project, project)
        if isdir(root, default_dir) and default_dir not in dirs:
            dirs.append(default_dir)
        # a --config-dir pointing at the main file's directory would read *.conf twice; oslo does so too
        out.append({
            'service': project, 'component': cname, 'layout': layout, 'files': files, 'config_dirs': dirs,
            'container': cname, 'tree': prefix, 'venvs': venvs, 'kolla': None, 'units': units,
        })
    return out


NEUTRON_SERVER_PROGRAMS = ('neutron-server', 'neutron-api', 'neutron-rpc-server')   # Debian splits the server in api + rpc
SYSTEMD_UNIT_DIRS = ('/etc/systemd/system', '/lib/systemd/system', '/usr/lib/systemd/system')


def _kolla_command_program(root, component):
    data = _read_json(root, '/etc/kolla/%s/config.json' % component, [])
    command = data.get('command') if isinstance(data, dict) else None
    if isinstance(command, str) and command.split():
        return posixpath.basename(command.split()[0])
    return None


def neutron_role(root, path):
    """``{role: server | agent | None, evidence}`` of the neutron process that reads the file ``path``.

    kolla renders ``[database]`` and ``core_plugin`` into every neutron container's ``neutron.conf``, so the contents
    cannot tell an agent from the server: the kolla container directory (and its config.json command) can; outside
    kolla, the systemd units / init scripts of the tree (``neutron-server``, Debian's ``neutron-api`` and
    ``neutron-rpc-server``, ``neutron-*-agent``). ``None`` when neither says.
    """
    path = str(path or '')
    if '/etc/kolla/' in path:
        component = path.split('/etc/kolla/', 1)[1].split('/', 1)[0]
        program = _kolla_command_program(root, component)
        said = ' (config.json command %s)' % program if program else ''
        if component == 'neutron-server' or program in NEUTRON_SERVER_PROGRAMS:
            return {'role': 'server', 'evidence': 'kolla container directory /etc/kolla/%s%s' % (component, said)}
        if component.startswith('neutron-'):
            return {'role': 'agent', 'evidence': 'kolla container directory /etc/kolla/%s%s: not neutron-server' % (component, said)}
        return {'role': None, 'evidence': 'kolla container directory /etc/kolla/%s' % component}
    prefix = path.split('/etc/neutron/', 1)[0] if '/etc/neutron/' in path else ''
    names = set()
    for directory in SYSTEMD_UNIT_DIRS:
        names.update(posixpath.basename(p)[:-len('.service')] for p in glob_paths(root, prefix + directory + '/neutron*.service'))
    names.update(posixpath.basename(p) for p in glob_paths(root, prefix + '/etc/init.d/neutron*'))
    servers = sorted(n for n in names if n in NEUTRON_SERVER_PROGRAMS)
    agents = sorted(n for n in names if n.endswith('-agent'))
    if servers:
        return {'role': 'server', 'evidence': 'service %s on this node' % ', '.join(servers)}
    if agents:
        return {'role': 'agent', 'evidence': 'only agent services on this node (%s), no neutron-server' % ', '.join(agents)}
    return {'role': None, 'evidence': 'no neutron-server or neutron agent service unit found'}


def _service_names(root, prefix, pattern):
    """Names of the systemd services and init scripts under ``prefix`` matching ``pattern`` (a glob: ``cinder*``, ``*``)."""
    names = set()
    for directory in SYSTEMD_UNIT_DIRS:
        names.update(posixpath.basename(p)[:-len('.service')] for p in glob_paths(root, prefix + directory + '/' + pattern + '.service'))
    names.update(posixpath.basename(p) for p in glob_paths(root, prefix + '/etc/init.d/' + pattern))
    return names


def cinder_volume_role(root, path):
    """``{volume: True | False | None, evidence}``: whether cinder-volume (the process that serves iSCSI/NVMe targets and
    mounts NFS shares for its backends) reads the file ``path``.

    kolla: the container directory (``cinder-volume``, or its config.json command); elsewhere the service units and init
    scripts of the tree: ``False`` only when the tree has services but no cinder-volume among them (the package that runs
    it is not installed), ``None`` when the tree holds no service at all (nothing says).
    """
    path = str(path or '')
    if '/etc/kolla/' in path:
        component = path.split('/etc/kolla/', 1)[1].split('/', 1)[0]
        program = _kolla_command_program(root, component)
        volume = component == 'cinder-volume' or program == 'cinder-volume'
        return {'volume': volume, 'evidence': 'kolla container directory /etc/kolla/%s%s' % (
            component, ' (config.json command %s)' % program if program else '')}
    prefix = path.split('/etc/cinder/', 1)[0] if '/etc/cinder/' in path else ''
    names = _service_names(root, prefix, '*')
    volume = sorted(n for n in names if n in ('cinder-volume', 'openstack-cinder-volume'))
    if volume:
        return {'volume': True, 'evidence': 'service %s on this node' % ', '.join(volume)}
    if names:
        cinder = sorted(n for n in names if 'cinder' in n)
        return {'volume': False, 'evidence': 'no cinder-volume service unit or init script on this node (cinder services: %s)' % (
            ', '.join(cinder) or 'none')}
    return {'volume': None, 'evidence': 'no service unit or init script found'}


def host_path_for(service, path, root='/'):
    """Where a path a service's configuration names (a CA file ...) is, seen from the tree.

    Returns ``(logical_path_or_None, exists_or_None)``: for kolla the container path is mapped
    through ``config.json`` (``None, None`` when the file lives only inside the image); for
    distro/OSA the path is taken inside the service's tree (the LXC rootfs for containers).
    """
    if not isinstance(path, str) or not path.startswith('/'):
        return None, None
    if service.get('layout') == 'kolla':
        mounts = (service.get('kolla') or {}).get('mounts') or {}
        for dest, host in sorted(mounts.items(), key=lambda kv: -len(kv[0])):
            if path == dest:
                return host, exists(root, host)
            if path.startswith(dest.rstrip('/') + '/'):
                candidate = host.rstrip('/') + path[len(dest.rstrip('/')):]
                return candidate, exists(root, candidate)
        return None, None
    tree = service.get('tree') or ''
    # inside an LXC rootfs, absolute links resolve against the container's own /
    return tree + path, exists(host_path(root, tree) if tree else root, path)
