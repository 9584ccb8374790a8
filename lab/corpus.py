# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The real-world corpus: node trees rendered from real upstream templates and packages, at test time.

Variants are data: ``tests/corpus/<name>.yml`` (kind, release or tree, ``globals``/``settings``/``files``, ``components``
for a node with only some containers, ``breakage``, ``expect``: the expected status per control with why,
``no_findings``: files that must give no finding for a control). Nothing rendered is committed but the OSA trees;
what is downloaded is cached under ``.cache/corpus/`` (git-ignored):

* ``kolla``: kolla-ansible's wheel from PyPI (``pip download``), its role templates rendered with
  ``lab.kolla_render`` (the release's group_vars and role defaults, the variant's ``globals.yml``,
  kolla's ``merge_configs``) into ``/etc/kolla/<component>/`` with each container's ``config.json``,
  as kolla-ansible deploys an all-in-one node; the certificates kolla copies are issued by a lab CA.
* ``debian``: Debian 12's own packages (``apt-get download``, ``dpkg-deb -x``): the configuration files
  they ship, as their maintainer scripts install them, plus the settings the install guides tell the
  operator to add (``transport_url``, ``[database] connection``), with or without TLS.
* ``broken``: another variant's tree, then broken as ``breakage`` says (truncated, non-UTF-8, include
  loop, unreadable, dangling absolute symbolic link).
* ``osa``: OpenStack-Ansible 2025.2, several nodes (``tree``: a directory of tests/fixtures/osa-rendered, ``nodes``:
  some of its nodes, default all): one root per LXC container or host, rendered from OSA's roles with Ansible by
  ``lab.osa_render`` and checked in (the roles are neither on PyPI nor in Debian, so they cannot be fetched at test
  time); the build adds the venv directories, the links the roles make (``/etc/<project>`` into the venv, enabled
  systemd units) and the PKI role's files issued by the lab CA. ``node_roots`` gives the inventory hosts of a tree.
"""

from __future__ import absolute_import, division, print_function

import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile

import yaml

from lab.kolla_render import Release, deployment_space, merge_ini, render_service, render_template, to_bool
from lab.paths import REPO

VARIANTS = os.path.join(REPO, 'tests', 'corpus')
CACHE = os.environ.get('SCS_CORPUS_CACHE') or os.path.join(REPO, '.cache', 'corpus')
HOST = 'kolla1'
ADDRESS = '10.0.0.11'

# (role, template, component, file, how): how = ini (merge_configs) | text (template) | when:<variable>
KOLLA_FILES = [
    ('keystone', 'keystone.conf.j2', 'keystone', 'keystone.conf', 'ini'),
    ('glance', 'glance-api.conf.j2', 'glance-api', 'glance-api.conf', 'ini'),
    ('nova', 'nova.conf.j2', 'nova-api', 'nova.conf', 'ini'),
    ('nova-cell', 'nova.conf.j2', 'nova-compute', 'nova.conf', 'ini'),
    ('nova-cell', 'libvirtd.conf.j2', 'nova-libvirt', 'libvirtd.conf', 'text'),
    ('nova-cell', 'qemu.conf.j2', 'nova-libvirt', 'qemu.conf', 'text'),
    ('neutron', 'neutron.conf.j2', 'neutron-server', 'neutron.conf', 'ini'),
    ('neutron', 'ml2_conf.ini.j2', 'neutron-server', 'ml2_conf.ini', 'ini'),
    ('neutron', 'neutron.conf.j2', 'neutron-openvswitch-agent', 'neutron.conf', 'ini'),
    ('neutron', 'openvswitch_agent.ini.j2', 'neutron-openvswitch-agent', 'openvswitch_agent.ini', 'ini'),
    ('placement', 'placement.conf.j2', 'placement-api', 'placement.conf', 'ini'),
    ('mariadb', 'galera.cnf.j2', 'mariadb', 'galera.cnf', 'ini'),
    ('rabbitmq', 'rabbitmq.conf.j2', 'rabbitmq', 'rabbitmq.conf', 'text'),
    ('rabbitmq', 'advanced.config.j2', 'rabbitmq', 'advanced.config', 'text'),
    ('rabbitmq', 'rabbitmq-env.conf.j2', 'rabbitmq', 'rabbitmq-env.conf', 'text'),
    ('loadbalancer', 'haproxy/haproxy_main.cfg.j2', 'haproxy', 'haproxy.cfg', 'text'),
    ('loadbalancer', 'proxysql/proxysql.yaml.j2', 'proxysql', 'proxysql.yaml', 'when:enable_proxysql'),
]
# component -> (role, config.json template)
KOLLA_JSON = {
    'keystone': ('keystone', 'keystone.json.j2'), 'glance-api': ('glance', 'glance-api.json.j2'),
    'nova-api': ('nova', 'nova-api.json.j2'), 'nova-compute': ('nova-cell', 'nova-compute.json.j2'),
    'nova-libvirt': ('nova-cell', 'nova-libvirt.json.j2'), 'neutron-server': ('neutron', 'neutron-server.json.j2'),
    'neutron-openvswitch-agent': ('neutron', 'neutron-openvswitch-agent.json.j2'),
    'placement-api': ('placement', 'placement-api.json.j2'), 'mariadb': ('mariadb', 'mariadb.json.j2'),
    'rabbitmq': ('rabbitmq', 'rabbitmq.json.j2'), 'haproxy': ('loadbalancer', 'haproxy/haproxy.json.j2'),
    'proxysql': ('loadbalancer', 'proxysql/proxysql.json.j2'),
}
# roles whose <role>_services carry haproxy frontends (haproxy-config writes services.d/<service>.cfg)
HAPROXY_ROLES = ('keystone', 'glance', 'nova', 'neutron', 'placement', 'mariadb', 'rabbitmq')

DEBIAN_PACKAGES = ('nova-common', 'nova-compute', 'keystone', 'glance-common', 'neutron-common', 'cinder-common',
                   'placement-common', 'mariadb-server', 'mariadb-common', 'mysql-common', 'rabbitmq-server',
                   'libvirt-daemon-system')
# service -> (file under /usr/share the maintainer script installs, /etc destination)
DEBIAN_CONFIGS = {
    'nova': ('usr/share/nova-common/nova.conf', 'etc/nova/nova.conf'),
    'keystone': ('usr/share/keystone/keystone.conf', 'etc/keystone/keystone.conf'),
    'glance': ('usr/share/glance-common/glance-api.conf', 'etc/glance/glance-api.conf'),
    'neutron': ('usr/share/neutron-common/neutron.conf', 'etc/neutron/neutron.conf'),
    'cinder': ('usr/share/cinder-common/cinder.conf', 'etc/cinder/cinder.conf'),
    'placement': ('usr/share/placement-common/placement.conf', 'etc/placement/placement.conf'),
}


class CorpusUnavailable(Exception):
    """A download the corpus needs is not possible here (no network, no apt-get)."""


def load_variants(names=None):
    """The variant definitions, sorted by name (``names`` selects some)."""
    out = []
    for path in sorted(glob.glob(os.path.join(VARIANTS, '*.yml'))):
        name = os.path.splitext(os.path.basename(path))[0]
        if names and name not in names:
            continue
        with open(path) as handle:
            variant = yaml.safe_load(handle)
        if not isinstance(variant, dict) or 'kind' not in variant:
            continue  # known-misses.yml
        variant['name'] = name
        out.append(variant)
    return out


def _run(argv, cwd=None, timeout=300):
    try:
        proc = subprocess.run(argv, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=timeout,
                              universal_newlines=True, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise CorpusUnavailable('%s: %s' % (' '.join(argv), exc))
    if proc.returncode != 0:
        raise CorpusUnavailable('%s failed (%d): %s' % (' '.join(argv), proc.returncode, proc.stdout[-2000:]))
    return proc.stdout


_RELEASES = {}


def kolla_release(version):
    """The ``Release`` of kolla-ansible ``version`` (one per process: its parsed YAML is reused)."""
    if version not in _RELEASES:
        _RELEASES[version] = Release(kolla_wheel(version))
    return _RELEASES[version]


def kolla_wheel(version):
    """kolla-ansible ``version``'s wheel, from the cache or downloaded there with pip."""
    cache = os.path.join(CACHE, 'wheels')
    pattern = os.path.join(cache, 'kolla_ansible-%s-*.whl' % version)
    if not glob.glob(pattern):
        os.makedirs(cache, exist_ok=True)
        _run([sys.executable, '-m', 'pip', 'download', '--no-deps', '--only-binary', ':all:', '-d', cache,
              'kolla-ansible==%s' % version])
    found = glob.glob(pattern)
    if not found:
        raise CorpusUnavailable('no kolla-ansible %s wheel in %s' % (version, cache))
    return found[0]


def debian_root():
    """Debian 12's packages of DEBIAN_PACKAGES unpacked into one directory (cached)."""
    unpacked = os.path.join(CACHE, 'debian-unpacked')
    if os.path.isfile(os.path.join(unpacked, '.complete')):
        return unpacked
    debs = os.path.join(CACHE, 'debs')
    os.makedirs(debs, exist_ok=True)
    missing = [p for p in DEBIAN_PACKAGES if not glob.glob(os.path.join(debs, '%s_*.deb' % p))]
    if missing:
        if not shutil.which('apt-get'):
            raise CorpusUnavailable('apt-get is not available to download %s' % ', '.join(missing))
        _run(['apt-get', 'download'] + missing, cwd=debs)
    shutil.rmtree(unpacked, ignore_errors=True)
    os.makedirs(unpacked)
    for deb in sorted(glob.glob(os.path.join(debs, '*.deb'))):
        _run(['dpkg-deb', '-x', deb, unpacked])
    open(os.path.join(unpacked, '.complete'), 'w').close()
    return unpacked


def _write(path, text, mode=None):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'w') as handle:
        handle.write(text)
    if mode is not None:
        os.chmod(path, mode)


def _kolla_dir(release, globals_vars, dest):
    """The deploy host's /etc/kolla: globals.yml (the variant's) and passwords.yml (the release's keys, filled)."""
    etc = os.path.join(dest, 'etc', 'kolla')
    os.makedirs(os.path.join(etc, 'config'), exist_ok=True)
    with release.zip.open([n for n in release.zip.namelist() if n.endswith('etc_examples/kolla/passwords.yml')][0]) as handle:
        keys = yaml.safe_load(handle.read().decode('utf-8')) or {}
    passwords = dict((key, 'FIXTUREPW-%s' % key) for key, value in keys.items() if value is None)
    _write(os.path.join(etc, 'passwords.yml'), yaml.safe_dump(passwords, default_flow_style=False))
    _write(os.path.join(etc, 'globals.yml'), yaml.safe_dump(globals_vars, default_flow_style=False))
    return etc


def _kolla_file(release, etc, workdir, entry):
    role, template, component, name, how = entry
    space = deployment_space(release, etc, [role], component, HOST, ADDRESS)
    if how.startswith('when:') and not to_bool(space.get(how.split(':', 1)[1], False)):
        return None
    if how == 'ini':
        text = render_service(release, etc, role, template, role.split('-')[0], component, workdir, HOST, ADDRESS)
    else:
        text = render_template(release, space, role, template, workdir)
    _write(os.path.join(etc, component, name), text, 0o600)
    return component


def _haproxy_services(release, etc, workdir):
    for role in HAPROXY_ROLES:
        space = deployment_space(release, etc, ['haproxy-config', role], 'haproxy', HOST, ADDRESS)
        services = space.get('%s_services' % role.replace('-', '_')) or {}
        for key, service in sorted(services.items()):
            if not isinstance(service, dict) or 'haproxy' not in service or not to_bool(service.get('enabled', False)):
                continue
            one = deployment_space(release, etc, ['haproxy-config', role], 'haproxy', HOST, ADDRESS, extra={'service': service})
            text = render_template(release, one, 'haproxy-config', 'haproxy_single_service_split.cfg.j2', workdir)
            _write(os.path.join(etc, 'haproxy', 'services.d', '%s.cfg' % key), text, 0o600)


def _config_json(release, etc, workdir, component):
    role, template = KOLLA_JSON[component]
    space = deployment_space(release, etc, [role], component, HOST, ADDRESS)
    text = render_template(release, space, role, template, workdir)
    json.loads(text)  # what kolla writes is JSON: a rendering mistake of the emulation must not pass silently
    _write(os.path.join(etc, component, 'config.json'), text, 0o600)


def _kolla_certificates(etc, globals_vars, ca):
    """The certificates kolla-ansible copies into the containers' config dirs (those rendered), for the TLS settings on."""
    on = dict((k, to_bool(v)) for k, v in globals_vars.items() if isinstance(v, (bool, str)))
    files = {}
    if on.get('libvirt_tls'):
        server = ca.issue('libvirt-server-%s' % HOST, sans=(HOST, ADDRESS), common_name=HOST)
        client = ca.issue('libvirt-client-%s' % HOST, sans=None, server=False, client=True, common_name='%s-client' % HOST)
        files.update({'nova-libvirt/cacert.pem': ca.cert, 'nova-libvirt/servercert.pem': server.cert,
                      'nova-libvirt/serverkey.pem': server.key, 'nova-libvirt/clientcert.pem': client.cert,
                      'nova-libvirt/clientkey.pem': client.key, 'nova-compute/cacert.pem': ca.cert,
                      'nova-compute/clientcert.pem': client.cert, 'nova-compute/clientkey.pem': client.key})
    if on.get('rabbitmq_enable_tls'):
        leaf = ca.issue('rabbitmq-%s' % HOST, sans=(HOST, ADDRESS), common_name=HOST)
        files.update({'rabbitmq/rabbitmq-cert.pem': leaf.cert, 'rabbitmq/rabbitmq-key.pem': leaf.key})
    if on.get('kolla_enable_tls_external') or on.get('kolla_enable_tls_internal'):
        leaf = ca.issue('haproxy-%s' % HOST, sans=('cloud.example', '10.0.0.10'), common_name='cloud.example')
        files.update({'haproxy/haproxy.pem': leaf.bundle, 'haproxy/haproxy-internal.pem': leaf.bundle})
    for rel, source in files.items():
        target = os.path.join(etc, rel)
        if not os.path.isdir(os.path.dirname(target)):
            continue
        shutil.copy(source, target)
        os.chmod(target, 0o600)


def build_kolla(variant, dest, ca):
    """An all-in-one kolla-ansible node rendered from ``variant['release']``'s templates under ``variant['globals']``."""
    release = kolla_release(variant['release'])
    globals_vars = dict(variant.get('globals') or {})
    etc = _kolla_dir(release, globals_vars, dest)
    workdir = tempfile.mkdtemp(prefix='kolla-templates-')
    try:
        components = set()
        only = variant.get('components')  # a node with only these containers (e.g. a compute node), default all
        for entry in KOLLA_FILES:
            if not only or entry[2] in only:
                components.add(_kolla_file(release, etc, workdir, entry))
        if not only or 'haproxy' in only:
            _haproxy_services(release, etc, workdir)
        for component in sorted(c for c in components if c):
            _config_json(release, etc, workdir, component)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    _kolla_certificates(etc, globals_vars, ca)
    return dest


def _ini_set(path, settings):
    """Set ``{section: {option: value}}`` in an oslo INI file as crudini would (the file stays as shipped otherwise)."""
    with open(path) as handle:
        lines = handle.read().splitlines(True)
    for section, options in settings.items():
        for option, value in options.items():
            lines = _ini_set_one(lines, section, option, value)
    with open(path, 'w') as handle:
        handle.writelines(lines)


def _ini_set_one(lines, section, option, value):
    current, insert_at = None, None
    for index, line in enumerate(lines):
        stripped = line.strip()
        if stripped.startswith('[') and stripped.endswith(']'):
            if current == section and insert_at is None:
                insert_at = index
            current = stripped[1:-1]
            continue
        if current == section and stripped.split('=', 1)[0].strip() == option and not stripped.startswith('#'):
            lines[index] = '%s = %s\n' % (option, value)
            return lines
    if current == section and insert_at is None:
        insert_at = len(lines)
    if insert_at is None:
        return lines + ['\n[%s]\n' % section, '%s = %s\n' % (option, value)]
    return lines[:insert_at] + ['%s = %s\n' % (option, value)] + lines[insert_at:]


def build_debian(variant, dest, ca):
    """A Debian 12 controller + compute node from the distribution's packages and the install guides' settings."""
    unpacked = debian_root()
    shutil.copytree(os.path.join(unpacked, 'etc'), os.path.join(dest, 'etc'), symlinks=True)
    os.makedirs(os.path.join(dest, 'lib'), exist_ok=True)
    shutil.copytree(os.path.join(unpacked, 'lib', 'systemd'), os.path.join(dest, 'lib', 'systemd'), symlinks=True)
    # what the maintainer scripts do: install the sample configuration, enable libvirtd's UNIX socket
    for source, target in DEBIAN_CONFIGS.values():
        shutil.copy(os.path.join(unpacked, source), os.path.join(dest, target))
    wants = os.path.join(dest, 'etc', 'systemd', 'system', 'sockets.target.wants')
    os.makedirs(wants, exist_ok=True)
    for unit in ('libvirtd.socket', 'libvirtd-ro.socket', 'libvirtd-admin.socket'):
        os.symlink('/lib/systemd/system/%s' % unit, os.path.join(wants, unit))
    if not os.path.lexists(os.path.join(dest, 'etc', 'mysql', 'my.cnf')):
        os.symlink('mariadb.cnf', os.path.join(dest, 'etc', 'mysql', 'my.cnf'))
    settings = variant.get('settings') or {}
    for service, (_source, target) in DEBIAN_CONFIGS.items():
        if service in settings:
            _ini_set(os.path.join(dest, target), settings[service])
    for rel, text in (variant.get('files') or {}).items():
        _write(os.path.join(dest, rel), text)
    if variant.get('pki'):
        _debian_pki(dest, ca)
    return dest


def _debian_pki(dest, ca):
    leaf = ca.issue('db-%s' % HOST, sans=(HOST, ADDRESS), common_name=HOST)
    for rel, source in (('etc/mysql/ssl/ca.pem', ca.cert), ('etc/mysql/ssl/server-cert.pem', leaf.cert),
                        ('etc/mysql/ssl/server-key.pem', leaf.key), ('etc/rabbitmq/ssl/ca.pem', ca.cert),
                        ('etc/rabbitmq/ssl/cert.pem', leaf.cert), ('etc/rabbitmq/ssl/key.pem', leaf.key),
                        ('etc/ssl/certs/cloud-ca.pem', ca.cert)):
        target = os.path.join(dest, rel)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        shutil.copy(source, target)


def _break(root, breakage):
    """Apply one breakage: {kind: truncate|non_utf8|include_loop|unreadable|dangling_symlink, path, ...}."""
    path = os.path.join(root, breakage['path'].lstrip('/'))
    kind = breakage['kind']
    if kind == 'truncate':
        with open(path, 'rb') as handle:
            data = handle.read()
        cut = data.find(breakage['after'].encode('utf-8')) + len(breakage['after']) if breakage.get('after') else len(data) // 2
        with open(path, 'wb') as handle:
            handle.write(data[:cut])
    elif kind == 'non_utf8':
        with open(path, 'ab') as handle:
            handle.write(b'\n# operator note: caf\xe9 \xff\xfe\n')
    elif kind == 'include_loop':
        with open(path, 'a') as handle:
            handle.write('\n!include %s\n' % breakage.get('target', breakage['path']))
    elif kind == 'unreadable':
        os.chmod(path, 0o000)
    elif kind == 'dangling_symlink':
        if os.path.lexists(path):
            os.unlink(path)
        os.symlink(breakage['target'], path)
    else:
        raise ValueError('unknown breakage %r' % kind)


OSA_RENDERED = os.path.join(REPO, 'tests', 'fixtures', 'osa-rendered')


def _osa_manifest(variant):
    with open(os.path.join(OSA_RENDERED, variant['tree'], 'nodes.json')) as handle:
        return json.load(handle)


def osa_nodes(variant):
    """The OSA nodes (containers and hosts) of ``variant``: its ``nodes`` selection, else every node with a tree."""
    manifest = _osa_manifest(variant)
    names = [n for n in sorted(manifest['nodes']) if os.path.isdir(os.path.join(OSA_RENDERED, variant['tree'], n))]
    return [n for n in names if n in variant['nodes']] if variant.get('nodes') else names


def _osa_pki_kind(item):
    """key, ca (the PKI role's roots) or cert, from the installed file's name and its source."""
    if 'key' in os.path.basename(item['dest']):
        return 'key'
    return 'ca' if '/roots/' in (item.get('src') or '') else 'cert'


def _osa_pki(node_root, node, roles, ca):
    """The files the PKI role installs (nodes.json), issued by the lab CA: leaf certificates for the node, its key, the CA."""
    leaf = ca.issue('osa-%s' % node, sans=(node, '172.29.236.9', '203.0.113.9'), common_name=node, client=True)
    for data in roles.values():
        for item in data.get('pki') or ():
            if not item.get('dest') or item.get('condition') is False:
                continue
            kind = _osa_pki_kind(item)
            source = {'key': leaf.key, 'ca': ca.cert, 'cert': leaf.cert}[kind]
            target = os.path.join(node_root, item['dest'].lstrip('/'))
            os.makedirs(os.path.dirname(target), exist_ok=True)
            shutil.copy(source, target)
            os.chmod(target, 0o600 if kind == 'key' else 0o644)
            if kind == 'cert' and item['dest'].startswith('/etc/haproxy/ssl/') and item['dest'].endswith('.crt'):
                # haproxy_server concatenates certificate and key into the <name>.pem its binds name
                shutil.copy(leaf.bundle, target[:-len('.crt')] + '.pem')


def build_osa(variant, dest, ca):
    """A small OpenStack-Ansible cloud from tests/fixtures/osa-rendered/<tree>/ (lab/osa_render.py): one tree per
    container or host under ``dest/<node>/``, the venv directories the roles install and the PKI role's files."""
    manifest = _osa_manifest(variant)
    for node in osa_nodes(variant):
        node_root = os.path.join(dest, node)
        shutil.copytree(os.path.join(OSA_RENDERED, variant['tree'], node), node_root, symlinks=True)
        roles = manifest['nodes'][node]['roles']
        for data in roles.values():
            if data.get('venv'):
                os.makedirs(os.path.join(node_root, data['venv'].lstrip('/'), 'bin'), exist_ok=True)
            for link, target in data.get('links') or ():   # /etc/<project> -> its venv, systemctl enable's links
                path = os.path.join(node_root, link.lstrip('/'))
                os.makedirs(os.path.dirname(path), exist_ok=True)
                os.symlink(target, path)
        _osa_pki(node_root, node, roles, ca)
    return dest


def node_roots(variant, root, variants=None):
    """{inventory host: node root} of a built variant: one per OSA node, else the variant itself."""
    kind = variant['kind']
    if kind == 'broken':
        base = [v for v in (variants or load_variants([variant['base']])) if v['name'] == variant['base']][0]
        return node_roots(base, root, variants) if base['kind'] == 'osa' else {variant['name']: root}
    if kind == 'osa':
        return dict((node, os.path.join(root, node)) for node in osa_nodes(variant))
    return {variant['name']: root}


BUILDERS = {'kolla': build_kolla, 'debian': build_debian, 'osa': build_osa}


def build(variant, dest, ca, variants=None):
    """Render ``variant`` under ``dest`` (a new directory) and return the node's root."""
    if os.path.exists(dest):
        shutil.rmtree(dest)
    os.makedirs(dest)
    if variant['kind'] == 'broken':
        base = [v for v in (variants or load_variants([variant['base']])) if v['name'] == variant['base']][0]
        BUILDERS[base['kind']](base, dest, ca)
        if needs_unprivileged_reader(variant):
            _readable(dest)  # the audit runs as an unprivileged user: everything readable but what is broken
        for breakage in variant['breakage']:
            _break(dest, breakage)
        return dest
    return BUILDERS[variant['kind']](variant, dest, ca)


def _readable(root):
    for base, dirs, files in os.walk(root):
        os.chmod(base, 0o755)
        for name in files:
            path = os.path.join(base, name)
            if not os.path.islink(path):
                os.chmod(path, 0o644)


def needs_unprivileged_reader(variant):
    """True when the variant breaks a file by its mode, which root reads anyway."""
    return any(b['kind'] == 'unreadable' for b in variant.get('breakage') or ())


__all__ = ['CorpusUnavailable', 'build', 'load_variants', 'node_roots', 'osa_nodes', 'kolla_wheel', 'debian_root', 'merge_ini', 'needs_unprivileged_reader']
