# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""From findings to the changes a kolla-ansible deployment needs, in kolla's own terms.

Controller side only (the ``kolla_remediation_plan`` filter uses it). Pure functions over data the
role has read: the findings, the text of ``globals.yml`` split at the managed block, the override
files under ``config/`` and the list of files present. Nothing here reads or writes a file, so what
``--check --diff`` shows and what the unit tests pin is exactly what the role would write.

Every variable name below was checked against the release's own defaults (see ``RELEASES``); a
release that is not in the table is refused rather than guessed.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import re

try:
    import configparser
except ImportError:  # pragma: no cover - Python 2 is not supported on the controller
    configparser = None

from ansible_collections.scs.secure_connections.plugins.module_utils._core.catalog import controls_by_id
from ansible_collections.scs.secure_connections.plugins.module_utils._core.findings import SCHEMA_VERSION
from ansible_collections.scs.secure_connections.plugins.module_utils._core.words import OSLO, parse_bool

REPORT_KIND = 'scs-0125-conformance-report'
BLOCK_NAME = 'scs.secure_connections remediate_kolla'
BEGIN_MARKER = '# BEGIN %s' % BLOCK_NAME
END_MARKER = '# END %s' % BLOCK_NAME
DEFAULT_LEVELS = ('MUST',)
INVENTORY_PLACEHOLDER = '<inventory>'

# Order of the keys inside the managed block (then alphabetical): stable text, idempotent runs.
KEY_ORDER = ('kolla_enable_tls_internal', 'kolla_enable_tls_external', 'kolla_enable_tls_backend',
             'kolla_copy_ca_into_containers', 'openstack_cacert', 'kolla_haproxy_ssl_settings',
             'database_enable_tls_internal', 'database_enable_tls_backend', 'rabbitmq_enable_tls',
             'libvirt_tls', 'enable_neutron_vpnaas')

_LIBVIRT_TLS_FILES = ('cacert.pem', 'servercert.pem', 'serverkey.pem', 'clientcert.pem', 'clientkey.pem')
_QEMU_TLS_FILES = ('ca-cert.pem', 'server-cert.pem', 'server-key.pem', 'client-cert.pem', 'client-key.pem')

# What one kolla-ansible release calls things. Verified against the release's wheel from PyPI
# (ansible/group_vars/all.yml, roles/*/defaults/main.yml, roles/*/templates, roles/*/tasks/config.yml).
_DB_URL = 'mysql+pymysql://{{ %(p)s_user }}:{{ %(p)s_password }}@{{ %(p)s_address }}/{{ %(p)s_name }}?ssl_ca={{ openstack_cacert }}'
_DB_URL_PORT = ('mysql+pymysql://{{ %(p)s_user }}:{{ %(p)s_password }}@{{ %(p)s_address | put_address_in_context(\'url\') }}'
                ':{{ %(p)s_port }}/{{ %(p)s_name }}?ssl_ca={{ openstack_cacert }}')

RELEASES = {
    '2024.2': {
        'kolla_ansible': '19.4.0',
        # the defaults of the release (group_vars/all.yml; libvirt_* from roles/nova-cell/defaults)
        'defaults': {
            'kolla_enable_tls_internal': 'no',
            'kolla_enable_tls_external': None,   # follows kolla_enable_tls_internal when the VIPs are the same, else "no"
            'kolla_enable_tls_backend': 'no',
            'kolla_copy_ca_into_containers': 'no',
            'openstack_cacert': '',
            'kolla_haproxy_ssl_settings': 'modern',
            'enable_proxysql': 'yes',
            'database_enable_tls_internal': None,  # "yes" if kolla_enable_tls_backend and enable_proxysql
            'database_enable_tls_backend': None,   # same
            'rabbitmq_enable_tls': 'no',
            'om_enable_rabbitmq_tls': None,        # follows rabbitmq_enable_tls
            'libvirt_tls': 'no',
            'libvirt_tls_manage_certs': 'yes',
            'libvirt_enable_sasl': 'yes',
            'enable_neutron_vpnaas': 'no',
        },
        'db_tls_globals': ('database_enable_tls_internal', 'database_enable_tls_backend'),
        # database_enable_tls_* default to "yes" when this global and enable_proxysql are on
        'db_tls_follow': {'database_enable_tls_internal': 'kolla_enable_tls_backend', 'database_enable_tls_backend': 'kolla_enable_tls_backend'},
        # services whose template appends ?ssl_ca={{ openstack_cacert }} when database_enable_tls_internal
        'db_url_follows_global': ('keystone',),
        # (service, setting, component or None) -> (override file under the config dir, variable prefix, with port)
        'db_urls': {
            ('glance', '[database] connection', None): ('config/glance.conf', 'glance_database', False),
            ('neutron', '[database] connection', None): ('config/neutron.conf', 'neutron_database', False),
            ('placement', '[placement_database] connection', None): ('config/placement.conf', 'placement_database', False),
            ('cinder', '[database] connection', None): ('config/cinder.conf', 'cinder_database', False),
            ('octavia', '[database] connection', None): ('config/octavia.conf', 'octavia_database', False),
            ('octavia', '[task_flow] persistence_connection', None): ('config/octavia.conf', 'octavia_persistence_database', False),
            ('nova', '[api_database] connection', None): ('config/nova.conf', 'nova_api_database', False),
            ('nova', '[database] connection', 'nova-api'): ('config/nova/nova-api.conf', 'nova_cell0_database', False),
            ('nova', '[database] connection', 'nova-scheduler'): ('config/nova/nova-scheduler.conf', 'nova_cell0_database', False),
            ('nova', '[database] connection', 'nova-super-conductor'): ('config/nova/nova-super-conductor.conf', 'nova_cell0_database', False),
            ('nova', '[database] connection', 'nova-conductor'): ('config/nova/nova-conductor.conf', 'nova_cell_database', True),
        },
        'nova_compute_override': 'config/nova/nova-compute.conf',
        'galera_override': 'config/galera.cnf',
        # roles/nova-cell/templates/qemu.conf.j2 has no TLS options and is not merged with config/
        'qemu_tls_override': None,
        'certificates': {
            'external': 'certificates/haproxy.pem',
            'internal': 'certificates/haproxy-internal.pem',
            'ca_dir': 'certificates/ca/',
            'rabbitmq': ('certificates/rabbitmq-cert.pem', 'certificates/rabbitmq-key.pem'),
            'libvirt_dir': 'config/nova/nova-libvirt/',
        },
    },
}

# 2025.1 (kolla-ansible 20.6.0): the same names, templates and override paths as 2024.2 (checked one by one), except that
# database_enable_tls_internal now defaults to "yes" with kolla_enable_tls_internal (group_vars/all.yml).
RELEASES['2025.1'] = dict(RELEASES['2024.2'], kolla_ansible='20.6.0',
                          db_tls_follow={'database_enable_tls_internal': 'kolla_enable_tls_internal',
                                         'database_enable_tls_backend': 'kolla_enable_tls_backend'})

_CA_BUNDLE = {'debian': '/etc/ssl/certs/ca-certificates.crt', 'ubuntu': '/etc/ssl/certs/ca-certificates.crt'}
_CA_BUNDLE_OTHER = '/etc/pki/tls/certs/ca-bundle.crt'


class RemediationError(ValueError):
    """The input cannot be planned from (wrong report version, unparsable file, unknown release)."""


# --------------------------------------------------------------------------- input


def findings_from(source):
    """The findings of a report (checked kind and schema version) or of a plain findings list."""
    if isinstance(source, dict):
        if source.get('kind') != REPORT_KIND:
            raise RemediationError('the input is not an scs-0125 conformance report (kind %r, expected %r)' % (source.get('kind'), REPORT_KIND))
        version = source.get('schema_version')
        major = SCHEMA_VERSION.split('.', 1)[0]
        if not isinstance(version, str) or not re.match(r'^%s\.[0-9]+$' % re.escape(major), version):
            raise RemediationError('report schema_version %r is not supported: this collection reads version %s.x reports '
                                   '(written by the report role of the same major version); re-run the audit with this collection'
                                   % (version, major))
        findings = source.get('findings')
    elif isinstance(source, list):
        findings = source
    else:
        raise RemediationError('expected a conformance report (mapping) or a list of findings, got %s' % type(source).__name__)
    if not isinstance(findings, list):
        raise RemediationError('the report has no findings list')
    for item in findings:
        if not isinstance(item, dict) or not item.get('control_id') or not item.get('status'):
            raise RemediationError('malformed finding (needs control_id and status): %r' % (item,))
    return findings


def report_services(source):
    """Service names the report's node rows name (``nova (nova-api)`` -> ``nova``)."""
    names = set()
    if isinstance(source, dict):
        for node in source.get('nodes') or []:
            for svc in node.get('services') or []:
                names.add(_tag(svc))
    return names


def split_managed_block(text, begin=BEGIN_MARKER, end=END_MARKER, what='globals.yml'):
    """``(outside, block)`` texts of ``what`` (``globals.yml``; remediate_host's user_variables.yml passes its own markers):
    the managed block between the ``begin`` and ``end`` marker lines and the rest; a damaged block is an error."""
    lines = (text or '').splitlines()
    begins = [i for i, line in enumerate(lines) if line.strip() == begin]
    ends = [i for i, line in enumerate(lines) if line.strip() == end]
    if not begins and not ends:
        return '\n'.join(lines), ''
    if len(begins) != 1 or len(ends) != 1 or ends[0] < begins[0]:
        raise RemediationError('%s has %d "%s" and %d "%s" lines: the managed block is damaged, repair it by hand'
                               % (what, len(begins), begin, len(ends), end))
    outside = lines[:begins[0]] + lines[ends[0] + 1:]
    return '\n'.join(outside), '\n'.join(lines[begins[0] + 1:ends[0]])


_BLOCK_LINE = re.compile(r'^([A-Za-z_][A-Za-z0-9_]*):\s*("(?:[^"\\]|\\.)*")\s*(?:#\s*(.*))?$')


def parse_block(block):
    """``{key: {'value', 'controls'}}`` of a block this module wrote (comment lines ignored)."""
    entries = {}
    for line in (block or '').splitlines():
        if not line.strip() or line.lstrip().startswith('#'):
            continue
        match = _BLOCK_LINE.match(line.strip())
        if not match:
            raise RemediationError('line %r in the managed block of globals.yml was not written by this role: '
                                   'move it out of the block' % line)
        controls = [c.strip() for c in (match.group(3) or '').split(',') if c.strip()]
        entries[match.group(1)] = {'value': json.loads(match.group(2)), 'controls': controls}
    return entries


def render_block(entries):
    """The managed block's text: one ``key: "value"  # control ids`` line per entry, in KEY_ORDER."""
    lines = ['# Written by the scs.secure_connections remediate_kolla role from an scs-0125 audit.',
             '# Each setting names the controls it fixes. Delete a line to undo it; the role rewrites this block.']
    for key in sorted(entries, key=_key_rank):
        entry = entries[key]
        lines.append('%s: %s  # %s' % (key, json.dumps(str(entry['value'])), ', '.join(sorted(entry['controls']))))
    return '\n'.join(lines)


def _key_rank(key):
    return (KEY_ORDER.index(key) if key in KEY_ORDER else len(KEY_ORDER), key)


def _tag(name):
    """The kolla-ansible tag of a service or component name (``glance-api``, ``nova (nova-api)`` -> glance, nova)."""
    return re.split(r'[\s(-]', str(name).strip(), 1)[0].lower()


def _component(finding):
    path = (finding.get('target') or {}).get('file') or ''
    match = re.match(r'^/etc/kolla/([^/]+)/', path)
    return match.group(1) if match else None


def _same(a, b):
    if a is None or b is None:
        return a is b
    ba, bb = parse_bool(a, OSLO, None), parse_bool(b, OSLO, None)
    if ba is not None and bb is not None:
        return ba == bb
    return str(a).strip() == str(b).strip()


def _templated(value):
    return isinstance(value, str) and ('{{' in value or '{%' in value)


def effective_globals(release, outside, block_entries):
    """What the deployment asks for: release defaults, then globals.yml outside the block, then the block.

    A value that is itself a Jinja expression cannot be judged here: it becomes ``None`` (unknown).
    """
    values = dict(release['defaults'])
    for key, entry in block_entries.items():
        values[key] = entry['value']
    for key, value in (outside or {}).items():
        values[key] = value
    values = dict((k, None if _templated(v) else v) for k, v in values.items())

    def on(key, value):
        return parse_bool(value, OSLO, None) if value is not None else None

    if values.get('kolla_enable_tls_external') is None and 'kolla_enable_tls_external' not in (outside or {}) \
            and 'kolla_enable_tls_external' not in block_entries:
        ext, internal = (outside or {}).get('kolla_external_vip_address'), (outside or {}).get('kolla_internal_vip_address')
        values['kolla_enable_tls_external'] = values.get('kolla_enable_tls_internal') if (not ext or ext == internal) else 'no'
    for key, follows in sorted(release['db_tls_follow'].items()):
        if values.get(key) is None and key not in (outside or {}) and key not in block_entries:
            values[key] = 'yes' if on(None, values.get(follows)) and on(None, values.get('enable_proxysql')) else 'no'
    if values.get('om_enable_rabbitmq_tls') is None and 'om_enable_rabbitmq_tls' not in (outside or {}):
        values['om_enable_rabbitmq_tls'] = values.get('rabbitmq_enable_tls')
    return values


def _is_on(values, key):
    value = values.get(key)
    return None if value is None else parse_bool(value, OSLO, None)


# --------------------------------------------------------------------------- planner


class _Plan(object):
    def __init__(self, release_name, release, outside, block_entries, config_files, present_files, options):
        self.release_name = release_name
        self.release = release
        self.outside = outside or {}
        self.block = block_entries
        self.config_files = config_files or {}
        self.present = set(present_files or [])
        self.options = options or {}
        self.values = effective_globals(release, self.outside, block_entries)
        self.globals = {}        # key -> {'value', 'controls', 'reason'}
        self.ini = {}            # (path, section, option) -> change
        self.tags = set()
        self.manual = []
        self.refused = []
        self.conflicts = []
        self.already = []
        self._parsed = {}

    # -- collecting -------------------------------------------------------------------------

    def want(self, cid, key, value, reason, tags):
        """Ask for ``key: value`` in globals.yml on behalf of control ``cid``."""
        if key in self.outside:
            current = self.outside[key]
            if _same(current, value):
                self.already.append({'control_id': cid, 'key': key, 'value': value,
                                     'message': '%s is already %r in globals.yml (outside the managed block)' % (key, current)})
                return True
            self.conflicts.append({'control_id': cid, 'key': key, 'current': current, 'wanted': value,
                                   'message': 'globals.yml sets %s: %r outside the managed block; %s needs %r (%s). '
                                              'Not overridden: change or remove that line yourself' % (key, current, cid, value, reason)})
            return False
        entry = self.globals.setdefault(key, {'value': value, 'controls': set(), 'reason': reason})
        if not _same(entry['value'], value):
            self.conflicts.append({'control_id': cid, 'key': key, 'current': entry['value'], 'wanted': value,
                                   'message': 'controls disagree on %s (%r vs %r): left unchanged' % (key, entry['value'], value)})
            return False
        entry['controls'].add(cid)
        if not (key in self.block and _same(self.block[key]['value'], value)):
            self.tags.update(tags)
        return True

    def want_ini(self, cid, path, section, option, value, reason, tags):
        """Ask for ``[section] option = value`` in the override file ``path`` (relative to the kolla dir)."""
        for other, parsed in self._related(path):
            current = _ini_get(parsed, section, option)
            if current is None:
                continue
            if other == path and _same(current, value):
                self.already.append({'control_id': cid, 'key': '%s [%s] %s' % (path, section, option), 'value': value,
                                     'message': '%s already sets [%s] %s = %s' % (path, section, option, current)})
                return True
            if not _same(current, value):
                self.conflicts.append({'control_id': cid, 'key': '%s [%s] %s' % (other, section, option), 'current': current,
                                       'wanted': value,
                                       'message': '%s sets [%s] %s = %s; %s needs %s (%s). Not overridden: change it yourself'
                                                  % (other, section, option, current, cid, value, reason)})
                return False
        change = self.ini.setdefault((path, section, option), {'path': path, 'section': section, 'option': option, 'value': value,
                                                               'controls': set(), 'reason': reason, 'tags': set()})
        change['controls'].add(cid)
        change['tags'].update(tags)
        self.tags.update(tags)
        return True

    def note_manual(self, cid, message, files=None):
        self.manual.append({'control_id': cid, 'message': message, 'files': list(files or [])})

    def refuse(self, cid, message):
        self.refused.append({'control_id': cid, 'message': message})

    def _related(self, path):
        """Override files kolla merges into the same rendered file as ``path`` (same service), parsed."""
        parts = path.split('/')
        if len(parts) < 2:
            return []
        service = parts[1].split('.')[0] if len(parts) == 2 else parts[1]
        base = parts[-1]
        related = []
        for other in sorted(self.config_files):
            oparts = other.split('/')
            if other == path or other == 'config/global.conf' or other == 'config/%s.conf' % service or \
                    (len(oparts) > 2 and oparts[1] == service and oparts[-1] in (base, '%s.conf' % service)):
                related.append((other, self._parse(other)))
        return related

    def _parse(self, path):
        if path not in self._parsed:
            self._parsed[path] = parse_ini(self.config_files[path], path)
        return self._parsed[path]

    def has(self, path):
        return path in self.present

    def cacert_value(self):
        distro = str(self.outside.get('kolla_base_distro') or 'rocky').lower()
        return _CA_BUNDLE.get(distro, _CA_BUNDLE_OTHER)


def parse_ini(text, path):
    """An override file as ``{section: {option: value}}`` (kolla's merge_configs reads them the same way)."""
    parser = configparser.RawConfigParser(strict=False, interpolation=None, default_section='__no_default__')
    parser.optionxform = str
    try:
        parser.read_string(text or '', source=path)
    except configparser.Error as exc:
        raise RemediationError('override file %s cannot be parsed: %s' % (path, str(exc).splitlines()[0]))
    return dict((section, dict(parser.items(section))) for section in parser.sections())


def _ini_get(parsed, section, option):
    return (parsed.get(section) or {}).get(option)


# --------------------------------------------------------------------------- per control

def _services_of(findings):
    return set(_tag((f.get('target') or {}).get('service')) for f in findings if (f.get('target') or {}).get('service'))


def _ca_trust(plan, cid, tags):
    plan.want(cid, 'kolla_copy_ca_into_containers', 'yes', 'containers trust the CA that signed the internal certificates', tags)
    if not plan.values.get('openstack_cacert'):
        plan.want(cid, 'openstack_cacert', plan.cacert_value(), 'CA bundle path inside the containers for the service clients', tags)
    if not any(p.startswith(plan.release['certificates']['ca_dir']) and p.endswith('.crt') for p in plan.present):
        plan.note_manual(cid, 'kolla_copy_ca_into_containers copies %s*.crt into the containers: put the CA certificate '
                              '(PEM, .crt) that signed the internal certificate there' % plan.release['certificates']['ca_dir'],
                         [plan.release['certificates']['ca_dir'] + '<ca>.crt'])


def _api_tls(plan, cid, findings, ctx, which):
    key = 'kolla_enable_tls_%s' % which
    tags = set(['loadbalancer']) | ctx['services'] | _services_of(findings)
    if _is_on(plan.values, key):
        return
    plan.want(cid, key, 'yes', 'haproxy terminates TLS for the %s endpoints and kolla registers them as https' % which, tags)
    cert = plan.release['certificates'][which]
    if not plan.has(cert):
        plan.note_manual(cid, 'kolla_%s_fqdn_cert (default %s) must hold the %s VIP certificate, key and chain (PEM) before '
                              'reconfigure; kolla-ansible does not create it (`kolla-ansible certificates` is for tests only)'
                         % (which, cert, which), [cert])
    if which == 'internal':
        _ca_trust(plan, cid, tags)


def control_tls_mozilla(plan, cid, findings, ctx):
    level = str(plan.values.get('kolla_haproxy_ssl_settings') or '')
    if level not in ('intermediate', 'modern'):
        plan.want(cid, 'kolla_haproxy_ssl_settings', 'intermediate', 'haproxy offers only Mozilla intermediate protocols and ciphers',
                  ['loadbalancer'])
    endpoints = sorted(set((f.get('target') or {}).get('endpoint') or '' for f in findings) - set(['']))
    plan.note_manual(cid, 'certificate type, size and lifespan and the TLS settings of non-haproxy listeners are not globals: '
                          'check %s against the findings (RSA >= 2048 or ECDSA P-256/P-384, lifespan <= 366 days)'
                     % (', '.join(endpoints) or 'the failing listeners'))


def control_api_public(plan, cid, findings, ctx):
    _api_tls(plan, cid, findings, ctx, 'external')


def control_api_internal(plan, cid, findings, ctx):
    _api_tls(plan, cid, findings, ctx, 'internal')


def control_api_client_verify(plan, cid, findings, ctx):
    _api_tls(plan, cid, findings, ctx, 'internal')
    if _is_on(plan.values, 'kolla_enable_tls_internal'):
        _ca_trust(plan, cid, set(['loadbalancer']) | _services_of(findings))
    insecure = [f for f in findings if 'insecure' in (f.get('message') or '')]
    if insecure:
        plan.note_manual(cid, 'insecure = true is not a kolla default: find the override under config/ that sets it (%s)'
                         % ', '.join(sorted(set((f.get('target') or {}).get('file') or '?' for f in insecure))))


def _db_globals(plan, cid, tags):
    if not _is_on(plan.values, 'enable_proxysql'):
        plan.refuse(cid, 'kolla-ansible %s only enables database TLS through ProxySQL (database_enable_tls_* need '
                         'enable_proxysql: "yes"); switching the database frontend is a migration, not a remediation'
                    % plan.release_name)
        return False
    for key in plan.release['db_tls_globals']:
        plan.want(cid, key, 'yes', 'MariaDB and its ProxySQL frontend serve TLS', tags)
    return True


def control_db_server(plan, cid, findings, ctx):
    if _db_globals(plan, cid, ['mariadb', 'loadbalancer']):
        plan.note_manual(cid, 'database TLS uses the backend certificate kolla_tls_backend_cert / kolla_tls_backend_key '
                              '(default certificates/backend-cert.pem, backend-key.pem): provide them before reconfigure',
                         ['certificates/backend-cert.pem', 'certificates/backend-key.pem'])


def control_db_client(plan, cid, findings, ctx):
    failing = [f for f in findings if f.get('status') == 'fail']
    if not _db_globals(plan, cid, ['loadbalancer']):
        return
    _ca_trust(plan, cid, set(['loadbalancer']))
    follows = plan.release['db_url_follows_global']
    for finding in failing:
        target = finding.get('target') or {}
        service, setting, component = _tag(target.get('service') or ''), target.get('setting') or '', _component(finding)
        if service in follows:
            plan.tags.add(service)
            continue
        where = plan.release['db_urls'].get((service, setting, component)) or plan.release['db_urls'].get((service, setting, None))
        if not where:
            plan.note_manual(cid, '%s %s (%s): kolla-ansible %s has no global for its ssl_ca and this role knows no override '
                                  'for it; add ?ssl_ca={{ openstack_cacert }} to that URL in the service\'s config/ override'
                             % (service, setting, target.get('file') or '?', plan.release_name))
            continue
        path, prefix, with_port = where
        section, option = re.match(r'^\[([^\]]+)\]\s*(\S+)$', setting).groups()
        url = (_DB_URL_PORT if with_port else _DB_URL) % {'p': prefix}
        plan.want_ini(cid, path, section, option, url,
                      'kolla-ansible %s renders %s without ssl_ca; kolla templates this override with the passwords.yml values'
                      % (plan.release_name, setting), [service])


def control_db_require_ssl(plan, cid, findings, ctx):
    clients = [f for f in ctx['all'] if f.get('control_id') == 'scs-0125-db-client-tls']
    not_ready = [f for f in clients if f.get('status') != 'pass']
    planned = [c for c in plan.ini.values() if 'scs-0125-db-client-tls' in c['controls']] or \
        [k for k, e in plan.globals.items() if 'scs-0125-db-client-tls' in e['controls']]
    if not clients or not_ready or planned:
        plan.refuse(cid, 'require_secure_transport = ON would cut off the services that still connect without TLS: %s. '
                         'Fix scs-0125-db-client-tls first, reconfigure, re-audit, then run this again'
                    % ('; '.join(sorted(set('%s %s' % ((f.get('target') or {}).get('service') or '?', (f.get('target') or {}).get('setting') or '')
                                            for f in not_ready))) or 'the database clients were not audited'))
        return
    plan.want_ini(cid, plan.release['galera_override'], 'mysqld', 'require_secure_transport', 'ON',
                  'MariaDB refuses connections without TLS', ['mariadb'])


def control_mq(plan, cid, findings, ctx):
    clients = _services_of([f for f in ctx['all'] if f.get('control_id') == 'scs-0125-mq-client-tls'])
    tags = set(['rabbitmq']) | clients | _services_of(findings)
    if _is_on(plan.values, 'rabbitmq_enable_tls'):
        if _is_on(plan.values, 'om_enable_rabbitmq_tls') is False:
            plan.conflicts.append({'control_id': cid, 'key': 'om_enable_rabbitmq_tls', 'current': plan.outside.get('om_enable_rabbitmq_tls'),
                                   'wanted': 'yes', 'message': 'om_enable_rabbitmq_tls is off while rabbitmq_enable_tls is on: '
                                                               'services keep plain AMQP; remove the om_enable_rabbitmq_tls line'})
        return
    cert, key = plan.release['certificates']['rabbitmq']
    if not (plan.has(cert) and plan.has(key)):
        plan.refuse(cid, 'rabbitmq_enable_tls needs %s and %s (or per-host copies under certificates/<host>/): kolla\'s '
                         'precheck fails without them and the broker would have no TLS listener' % (cert, key))
        plan.note_manual(cid, 'provide the RabbitMQ certificate and key', [cert, key])
        return
    plan.want(cid, 'rabbitmq_enable_tls', 'yes', 'RabbitMQ listens with TLS only (listeners.tcp = none) and om_enable_rabbitmq_tls '
                                                 'follows, so the services switch with it', tags)
    plan.note_manual(cid, 'kolla renders listeners.tcp = none with TLS: run the printed reconfigure with rabbitmq and every '
                          'client service in one run; RPC pauses until each client is reconfigured')


def _libvirt_certs_ready(plan):
    base = plan.release['certificates']['libvirt_dir']
    if not _is_on(plan.values, 'libvirt_tls_manage_certs'):
        return True, []
    missing = [base + name for name in _LIBVIRT_TLS_FILES
               if not plan.has(base + name) and not any(p.startswith(base) and p.endswith('/' + name) for p in plan.present)]
    return not missing, missing


def _libvirt_tls(plan, cid, tags):
    if _is_on(plan.values, 'libvirt_tls'):
        return True
    ready, missing = _libvirt_certs_ready(plan)
    if not ready:
        plan.refuse(cid, 'libvirt_tls would make kolla copy libvirt TLS files that are not there (%s); reconfigure would fail '
                         'on every compute node. Provide them (shared or per host in %s<host>/), then run again'
                    % (', '.join(missing), plan.release['certificates']['libvirt_dir']))
        plan.note_manual(cid, 'libvirt TLS certificates: one client/server identity per compute node', missing)
        return False
    return plan.want(cid, 'libvirt_tls', 'yes', 'libvirtd listens with TLS (16514) instead of TCP, nova uses qemu+tls', tags)


def control_hv_migration(plan, cid, findings, ctx):
    if not _libvirt_tls(plan, cid, ['nova']):
        return
    if plan.release['qemu_tls_override'] is None and not plan.options.get('qemu_tls_ready'):
        plan.refuse(cid, '[libvirt] live_migration_with_native_tls = true needs QEMU TLS material (%s in /etc/pki/qemu of the '
                         'nova_libvirt container); kolla-ansible %s renders qemu.conf from a fixed template with no '
                         'default_tls_x509_* options and no config/ override, so live migration would fail. Provide it '
                         '(custom image or config.json), then set remediate_kolla_qemu_tls_ready: true'
                    % (', '.join(_QEMU_TLS_FILES), plan.release_name))
        plan.note_manual(cid, 'QEMU native TLS certificates in the nova_libvirt container', ['/etc/pki/qemu/' + n for n in _QEMU_TLS_FILES])
        return
    plan.want_ini(cid, plan.release['nova_compute_override'], 'libvirt', 'live_migration_with_native_tls', 'true',
                  'libvirt_tls sets the scheme, not native TLS: guest memory would still travel in clear', ['nova'])


def control_hv_exposure(plan, cid, findings, ctx):
    if _is_on(plan.values, 'libvirt_tls'):
        return
    _libvirt_tls(plan, cid, ['nova'])


def control_hv_client_cert(plan, cid, findings, ctx):
    base = plan.release['certificates']['libvirt_dir']
    hosts = sorted(set((f.get('target') or {}).get('host') for f in findings if (f.get('target') or {}).get('host')))
    plan.note_manual(cid, 'one client identity per compute node: kolla copies %s<host>/clientcert.pem and clientkey.pem before '
                          'the shared ones; issue them from your CA (this role never invents a PKI)' % base,
                     ['%s%s/%s' % (base, h, n) for h in hosts or ['<host>'] for n in ('clientcert.pem', 'clientkey.pem')])


def control_vpnaas(plan, cid, findings, ctx):
    plan.want(cid, 'enable_neutron_vpnaas', 'yes', 'Neutron offers VPNaaS', ['neutron'])


HANDLERS = {
    'scs-0125-tls-mozilla': control_tls_mozilla,
    'scs-0125-api-public-tls': control_api_public,
    'scs-0125-api-internal-tls': control_api_internal,
    'scs-0125-api-client-verify': control_api_client_verify,
    'scs-0125-db-server-tls': control_db_server,
    'scs-0125-db-client-tls': control_db_client,
    'scs-0125-db-require-ssl': control_db_require_ssl,
    'scs-0125-mq-broker-tls': control_mq,
    'scs-0125-mq-client-tls': control_mq,
    'scs-0125-hv-migration-encrypted': control_hv_migration,
    'scs-0125-hv-libvirt-exposure': control_hv_exposure,
    'scs-0125-hv-libvirt-client-cert': control_hv_client_cert,
    'scs-0125-vpn-vpnaas': control_vpnaas,
}

# handled after the others: they depend on what the client-side controls planned
_LATE = ('scs-0125-db-require-ssl',)


# --------------------------------------------------------------------------- intent vs reality


def intent_vs_reality(values, findings, release_name):
    """Sentences comparing what globals.yml asks for with what the audit observed."""
    out = []

    def failing(cid, pred=None):
        return [f for f in findings if f.get('control_id') == cid and f.get('status') == 'fail' and (pred is None or pred(f))]

    def where(items):
        names = sorted(set('%s %s' % ((f.get('target') or {}).get('service') or (f.get('target') or {}).get('host') or '?',
                                      (f.get('target') or {}).get('setting') or (f.get('target') or {}).get('endpoint') or '')
                           for f in items))
        return '; '.join(n.strip() for n in names[:5]) + ('; ...' if len(names) > 5 else '')

    def http(f):
        return str((f.get('target') or {}).get('endpoint') or '').startswith('http://')

    def add(key, cid, items, text, tags):
        out.append({'key': key, 'control_id': cid, 'message': text % where(items),
                    'reconfigure_tags': sorted(tags), 'observed': len(items)})

    follows = RELEASES[release_name]['db_url_follows_global']

    def db_service(f):
        return _tag((f.get('target') or {}).get('service') or '') in follows

    # (global, control, the failing findings that contradict it, sentence, kolla-ansible tags to reconfigure)
    checks = [
        ('kolla_enable_tls_internal', 'scs-0125-api-internal-tls',
         lambda: failing('scs-0125-api-internal-tls') + failing('scs-0125-api-client-verify', http),
         'globals ask for internal TLS (kolla_enable_tls_internal) but internal endpoints are http (%s): '
         'reconfigure was not run or failed', lambda items: _services_of(items) | set(['loadbalancer'])),
        ('kolla_enable_tls_external', 'scs-0125-api-public-tls', lambda: failing('scs-0125-api-public-tls'),
         'globals ask for external TLS (kolla_enable_tls_external) but public endpoints fail (%s): '
         'reconfigure was not run or failed, or a certificate is wrong', lambda items: _services_of(items) | set(['loadbalancer'])),
        ('rabbitmq_enable_tls', 'scs-0125-mq-client-tls', lambda: failing('scs-0125-mq-client-tls'),
         'globals ask for RabbitMQ TLS (rabbitmq_enable_tls) but services use plain AMQP (%s): '
         'reconfigure was not run or failed for them', _services_of),
        ('rabbitmq_enable_tls', 'scs-0125-mq-broker-tls', lambda: failing('scs-0125-mq-broker-tls'),
         'globals ask for RabbitMQ TLS (rabbitmq_enable_tls) but the broker fails the TLS check (%s): '
         'reconfigure of rabbitmq was not run or failed', lambda items: set(['rabbitmq'])),
        ('database_enable_tls_internal', 'scs-0125-db-client-tls', lambda: failing('scs-0125-db-client-tls', db_service),
         'globals ask for database TLS (database_enable_tls_internal) but these URLs have no ssl_ca (%s): '
         'reconfigure was not run or failed', _services_of),
        ('database_enable_tls_internal', 'scs-0125-db-client-tls',
         lambda: failing('scs-0125-db-client-tls', lambda f: not db_service(f)),
         'globals ask for database TLS (database_enable_tls_internal), but in kolla-ansible ' + release_name +
         ' that global only adds ssl_ca for ' + ', '.join(follows) + ' and ProxySQL: these URLs need a config/ '
         'override (%s)', _services_of),
        ('libvirt_tls', 'scs-0125-hv-libvirt-exposure', lambda: failing('scs-0125-hv-libvirt-exposure'),
         'globals ask for libvirt TLS (libvirt_tls) but libvirt still listens unprotected (%s): '
         'reconfigure of nova was not run or failed', lambda items: set(['nova'])),
    ]
    for key, cid, contradicting, text, tags in checks:
        items = contradicting() if _is_on(values, key) else []
        if items:
            add(key, cid, items, text, tags(items))
    return out


# --------------------------------------------------------------------------- entry point


def _merged_block_entries(plan, block_entries, globals_outside):
    """The managed block's entries after this plan (earlier runs' keys kept); keys also set outside it are conflicts."""
    entries = dict((k, {'value': v['value'], 'controls': list(v['controls'])}) for k, v in block_entries.items())
    for key, entry in plan.globals.items():
        old = entries.get(key)
        controls_of = set(entry['controls']) | set(old['controls'] if old and _same(old['value'], entry['value']) else [])
        entries[key] = {'value': entry['value'], 'controls': sorted(controls_of)}
    for key in entries:
        if key in globals_outside:
            plan.conflicts.append({'control_id': ', '.join(entries[key]['controls']), 'key': key, 'current': globals_outside[key],
                                   'wanted': entries[key]['value'],
                                   'message': '%s is set both outside the managed block (%r) and inside it (%r): '
                                              'keep one of them' % (key, globals_outside[key], entries[key]['value'])})
    return entries


def plan_remediation(source, globals_outside, globals_block, release, controls=None, levels=None, config_files=None,
                     present_files=None, options=None, catalog=None):
    """Everything ``remediate_kolla`` would change, refuse, leave manual and say, for these findings.

    ``globals_outside``: globals.yml without the managed block, parsed (mapping).
    ``globals_block``: the text between the markers (may be empty).
    ``config_files``: ``{relpath: text}`` of the override files under ``config/`` (relpaths start with ``config/``).
    ``present_files``: relpaths (``certificates/...``, ``config/...``) that exist in the kolla dir.
    """
    findings = findings_from(source)
    if release not in RELEASES:
        raise RemediationError('kolla-ansible release %r is not one this role was verified against (%s): '
                               'set remediate_kolla_release to one of them or extend RELEASES after checking the names'
                               % (release, ', '.join(sorted(RELEASES))))
    if globals_outside is None:
        globals_outside = {}
    if not isinstance(globals_outside, dict):
        raise RemediationError('globals.yml is not a YAML mapping (got %s)' % type(globals_outside).__name__)
    by_id = controls_by_id(catalog)
    levels = tuple(levels or DEFAULT_LEVELS)
    block_entries = parse_block(globals_block)
    plan = _Plan(release, RELEASES[release], globals_outside, block_entries, config_files, present_files, options)
    unknown = [c for c in (controls or []) if c not in by_id]
    if unknown:
        raise RemediationError('unknown control ids in remediate_controls: %s' % ', '.join(unknown))

    failing = {}
    for finding in findings:
        if finding.get('status') == 'fail':
            failing.setdefault(finding['control_id'], []).append(finding)
    selected, skipped = [], []
    for cid in sorted(failing, key=lambda c: (c in _LATE, list(by_id).index(c) if c in by_id else 999)):
        level = (by_id.get(cid) or {}).get('level', '?')
        if controls is not None:
            chosen = cid in controls
        else:
            chosen = level in levels
        if not chosen:
            skipped.append({'control_id': cid, 'level': level, 'message': '%s control not selected: add it to remediate_controls' % level})
            continue
        selected.append(cid)
        handler = HANDLERS.get(cid)
        if handler is None:
            hints = ((by_id.get(cid) or {}).get('remediation') or {}).get('kolla_ansible') or []
            plan.note_manual(cid, 'no kolla-ansible change is automated for this control%s'
                             % (': ' + '; '.join(hints) if hints else ''))
            continue
        handler(plan, cid, failing[cid], {'all': findings, 'services': report_services(source)})

    entries = _merged_block_entries(plan, block_entries, globals_outside)
    block = render_block(entries) if entries else ''
    tags = sorted(t for t in plan.tags if t)
    ini = [dict(c, controls=sorted(c['controls']), tags=sorted(c['tags'])) for c in (plan.ini[key] for key in sorted(plan.ini))]
    changes = [{'kind': 'globals', 'key': k, 'value': e['value'], 'controls': sorted(e['controls']), 'reason': e['reason']}
               for k, e in sorted(plan.globals.items(), key=lambda i: _key_rank(i[0]))
               if not (k in block_entries and _same(block_entries[k]['value'], e['value']))]
    return {
        'release': release,
        'kolla_ansible_version': RELEASES[release]['kolla_ansible'],
        'selected_controls': selected,
        'skipped_controls': skipped,
        'globals_block': block,
        'globals_changes': changes,
        'ini_changes': ini,
        'conflicts': plan.conflicts,
        'already_set': plan.already,
        'refused': plan.refused,
        'manual': plan.manual,
        'intent': intent_vs_reality(plan.values, findings, release),
        'reconfigure_tags': tags,
        'commands': (['kolla-ansible reconfigure -i %s -t %s' % (INVENTORY_PLACEHOLDER, ','.join(tags))] if tags else []),
    }
