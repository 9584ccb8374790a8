# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""OpenStack-Ansible deployments in the distro-node planner (remediate_host): ``user_variables.yml`` settings, no file edits.

OSA renders libvirtd.conf, nova.conf, my.cnf, rabbitmq.conf from its roles and overwrites edits on the next
run, so the fixes are the role variables that render them, written as a managed block of
``/etc/openstack_deploy/user_variables.yml``. The settings are deployment-wide: the plan covers the failing
findings of every OpenStack-Ansible node of the report. Every name was checked in the OSA sources (NAMES_CHECKED,
docs/remediation.md has the table). The same clients-before-servers refusals hold as for distro nodes.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import re

from ansible_collections.scs.secure_connections.plugins.module_utils._remediate.kolla import RemediationError, split_managed_block

BLOCK_NAME = 'scs.secure_connections remediate_host'
BEGIN_MARKER = '# BEGIN %s' % BLOCK_NAME
END_MARKER = '# END %s' % BLOCK_NAME
NAMES_CHECKED = ('openstack/openstack-ansible ff0803744ab5 (inventory/group_vars/all/infra.yml, oslo-messaging.yml, playbooks/), '
                 'openstack-ansible-os_nova e06c7bceef3f, -rabbitmq_server 890b9ba8fa1f, -galera_server 8f4330aacba7, '
                 '-os_glance c48d1b1deb1c, -os_cinder c86a3936db7a, -os_keystone 383a73d3782e, -os_neutron fbbab473993a, '
                 '-os_placement b2cb83ea8967 (defaults/main.yml, templates)')
PLAIN_AND_TLS = {'ssl_listeners': {'0.0.0.0': 5671}, 'tcp_listeners': {'0.0.0.0': 5672}}
TLS_ONLY = {'ssl_listeners': {'0.0.0.0': 5671}}
_LINE = re.compile(r'^([A-Za-z_][A-Za-z0-9_]*):\s*(.+?)\s*#\s*(scs-0125-[a-z0-9, -]+)$')


def split_block(text):
    """``(outside text, {key: {value, controls}})`` of user_variables.yml; a damaged block is an error."""
    outside, block = split_managed_block(text, BEGIN_MARKER, END_MARKER, 'user_variables.yml')
    entries = {}
    for line in block.splitlines():
        if not line.strip() or line.lstrip().startswith('#'):
            continue
        match = _LINE.match(line.strip())
        if not match:
            raise RemediationError('line %r in the managed block of user_variables.yml was not written by this role: move it out' % line)
        try:
            value = json.loads(match.group(2))
        except ValueError:
            raise RemediationError('line %r in the managed block of user_variables.yml has no JSON value: move it out' % line)
        entries[match.group(1)] = {'value': value, 'controls': set(c.strip() for c in match.group(3).split(',') if c.strip())}
    return outside, entries


def render_block(entries):
    lines = ['# Written by the scs.secure_connections remediate_host role from an scs-0125 audit (OpenStack-Ansible).',
             '# Each setting names the controls it fixes. Delete a line to undo it; the role rewrites this block.']
    for key in sorted(entries):
        lines.append('%s: %s  # %s' % (key, json.dumps(entries[key]['value'], sort_keys=True), ', '.join(sorted(entries[key]['controls']))))
    return '\n'.join(lines)


class OsaPlan(object):
    """What the run writes into user_variables.yml, checked against the settings outside the managed block."""

    def __init__(self, outside):
        self.outside = outside or {}
        self.variables = {}
        self.conflicts = []
        self.already_set = []
        self.playbooks = set()

    def setting(self, cid, key, value, playbooks):
        if key in self.outside:
            if self.outside[key] == value:
                self.already_set.append({'control_id': cid, 'key': key, 'message': '%s is already %s in user_variables.yml' % (
                    key, json.dumps(value, sort_keys=True))})
                return
            self.conflicts.append({'control_id': cid, 'key': key, 'message': 'user_variables.yml sets %s: %s, the fix needs %s: not '
                                   'overridden, decide by hand' % (key, json.dumps(self.outside[key], sort_keys=True),
                                                                   json.dumps(value, sort_keys=True))})
            return
        entry = self.variables.setdefault(key, {'value': value, 'controls': set()})
        entry['value'] = value
        entry['controls'].add(cid)
        self.playbooks.update(playbooks)

    def overrides(self, cid, pattern, wanted, what):
        """Per-service overrides outside the block that keep a service off what the global turns on."""
        for key in sorted(k for k in self.outside if re.match(pattern, str(k))):
            if self.outside[key] != wanted:
                self.conflicts.append({'control_id': cid, 'key': key, 'message': 'user_variables.yml sets %s: %s, which keeps that '
                                       'service off %s whatever the global says: decide by hand' % (
                                           key, json.dumps(self.outside[key]), what)})


def _services(findings, cid):
    names = set()
    for finding in findings:
        if finding.get('control_id') == cid and finding.get('status') != 'pass':
            service = str((finding.get('target') or {}).get('service') or '').split(' ', 1)[0].split('-', 1)[0]
            if service:
                names.add(service)
    return names


def _playbooks(findings, cid, first):
    return [first] + ['openstack.osa.%s' % s for s in sorted(_services(findings, cid))]


def osa_db(plan, cid, failing, findings):
    """db-server-tls and db-client-tls: galera_use_ssl turns on the server's TLS and every service's ssl_ca together."""
    del failing
    plan.osa.setting(cid, 'galera_use_ssl', True, _playbooks(findings, 'scs-0125-db-client-tls', 'openstack.osa.galera_server'))
    plan.osa.overrides(cid, r'^[a-z_]+_galera_use_ssl$', True, 'database TLS')


def osa_mq_client(plan, cid, failing, findings):
    del failing
    broker = [f.get('status') for f in findings if f.get('control_id') == 'scs-0125-mq-broker-tls']
    listener = 'rabbitmq_port_bindings' in plan.osa.variables
    if not ('pass' in broker and 'fail' not in broker) and not listener and not plan.options.get('assume_broker_tls'):
        plan.refuse(cid, 'rabbitmq_use_ssl: true would move the services to port 5671, but the audit did not see the broker offer TLS '
                         '(scs-0125-mq-broker-tls is %s). Fix the broker first, or set remediate_host_assume_broker_tls: true after '
                         'checking it' % (', '.join(sorted(set(broker))) or 'not assessed'))
        return
    plan.osa.setting(cid, 'rabbitmq_use_ssl', True, _playbooks(findings, cid, 'openstack.osa.rabbitmq_server'))
    plan.osa.overrides(cid, r'^[a-z_]*oslomsg_(rpc|notify)_use_ssl$', True, 'TLS to RabbitMQ')


def osa_mq_broker(plan, cid, failing, findings):
    settings = set((f.get('target') or {}).get('setting') for f in failing)
    if 'listeners.ssl' in settings:
        plan.osa.setting(cid, 'rabbitmq_port_bindings', PLAIN_AND_TLS, ['openstack.osa.rabbitmq_server'])
    for finding in failing:
        if (finding.get('target') or {}).get('setting') not in ('listeners.tcp', 'listeners.ssl'):
            plan.note_manual(cid, '%s: %s' % (finding.get('message'), finding.get('remediation') or 'change it by hand'))
    if 'listeners.tcp' not in settings:
        return
    clients = [f for f in findings if f.get('control_id') == 'scs-0125-mq-client-tls']
    not_ready = sorted(set('%s %s' % ((f.get('target') or {}).get('service') or '?', (f.get('target') or {}).get('setting') or '')
                           for f in clients if f.get('status') != 'pass'))
    pending = [k for k in ('rabbitmq_use_ssl', 'rabbitmq_port_bindings') if k in plan.osa.variables]
    if not clients or not_ready or pending:
        plan.refuse(cid, 'closing the plain AMQP listener (rabbitmq_port_bindings without tcp_listeners, listeners.tcp = none) would cut '
                         'off clients: %s. Switch them first (rabbitmq_use_ssl), run the playbooks, re-audit, then run this again'
                    % ('; '.join(not_ready) or ('%s change in this same run' % ', '.join(pending) if pending else 'no client was audited')))
        return
    plan.osa.setting(cid, 'rabbitmq_port_bindings', TLS_ONLY, ['openstack.osa.rabbitmq_server'])
    plan.osa.setting(cid, 'rabbitmq_additional_config', {'listeners.tcp': 'none'}, ['openstack.osa.rabbitmq_server'])


def osa_require(plan, cid, failing, findings):
    del failing
    clients = [f for f in findings if f.get('control_id') == 'scs-0125-db-client-tls']
    not_ready = sorted(set('%s %s (%s)' % ((f.get('target') or {}).get('service') or '?',
                                           (f.get('target') or {}).get('setting') or '', f.get('status'))
                           for f in clients if f.get('status') != 'pass'))
    if not clients or not_ready or 'galera_use_ssl' in plan.osa.variables:
        plan.refuse(cid, 'galera_require_secure_transport: true would lock out services that do not use TLS yet: %s. Fix them first '
                         '(galera_use_ssl), run the playbooks, re-audit, then run this again'
                    % ('; '.join(not_ready) or ('galera_use_ssl changes in this same run' if clients else 'no service database URL was audited')))
        return
    plan.osa.setting(cid, 'galera_require_secure_transport', True, ['openstack.osa.galera_server'])


def _hv_manual(plan, cid, finding, why):
    plan.note_manual(cid, '%s: %s (OpenStack-Ansible: %s)' % ((finding.get('target') or {}).get('host'), finding.get('message'), why))


def osa_hv(plan, cid, failing, findings):
    """libvirt and live migration: os_nova's nova_libvirtd_listen_tls renders listen_tls, native TLS and live_migration_scheme = tls."""
    del findings
    for finding in failing:
        target, ev = finding.get('target') or {}, finding.get('evidence') or {}
        setting = target.get('setting')
        if setting in ('tls_no_verify_certificate', 'tls_allowed_dn_list'):
            _hv_manual(plan, cid, finding, 'os_nova\'s libvirtd.conf.j2 has no variable for %s: not fixable in user_variables.yml' % setting)
        elif setting in ('clientcert.pem', 'default_tls_x509_cert_dir', 'authorized_keys'):
            _hv_manual(plan, cid, finding, 'certificates and keys come from os_nova\'s PKI (nova_pki_*) or nova_user_ssl_cert/key/ca_cert; '
                                           'SSH keys by hand')
        elif cid == 'scs-0125-hv-libvirt-ssh-local':
            plan.osa.setting(cid, 'nova_libvirtd_listen_tcp', 0, ['openstack.osa.nova'])
        else:
            plan.osa.setting(cid, 'nova_libvirtd_listen_tls', 1, ['openstack.osa.nova'])
            if ev.get('transport') == 'tcp' or setting in ('listen_tcp', 'auth_tcp'):
                plan.osa.setting(cid, 'nova_libvirtd_listen_tcp', 0, ['openstack.osa.nova'])
            if ev.get('auth_tcp') == 'none':
                plan.osa.setting(cid, 'nova_libvirtd_auth_tcp', 'sasl', ['openstack.osa.nova'])


# OSA's playbooks run the servers first (galera_server, rabbitmq_server, then the services): the broker's TLS listener
# is planned before the clients' rabbitmq_use_ssl; what closes a plain path still waits for every client to pass
ORDER = ('scs-0125-db-server-tls', 'scs-0125-db-client-tls', 'scs-0125-mq-broker-tls', 'scs-0125-mq-client-tls',
         'scs-0125-db-require-ssl', 'scs-0125-hv-migration-encrypted', 'scs-0125-hv-libvirt-client-cert',
         'scs-0125-hv-libvirt-ssh-local', 'scs-0125-hv-libvirt-exposure')
HANDLERS = {
    'scs-0125-db-server-tls': osa_db,
    'scs-0125-db-client-tls': osa_db,
    'scs-0125-mq-client-tls': osa_mq_client,
    'scs-0125-mq-broker-tls': osa_mq_broker,
    'scs-0125-db-require-ssl': osa_require,
    'scs-0125-hv-migration-encrypted': osa_hv,
    'scs-0125-hv-libvirt-exposure': osa_hv,
    'scs-0125-hv-libvirt-ssh-local': osa_hv,
    'scs-0125-hv-libvirt-client-cert': osa_hv,
}


def osa_hosts(findings_source):
    """Hosts whose audited layout is OpenStack-Ansible (the report's node rows)."""
    nodes = findings_source.get('nodes') if isinstance(findings_source, dict) else None
    return sorted(n.get('host') for n in nodes or [] if isinstance(n, dict) and 'openstack_ansible' in (n.get('layouts') or []))


def result(plan, block_entries):
    """The ``osa`` part of the plan: the merged block (earlier runs' keys stay), its text, conflicts, playbooks."""
    merged = dict((k, {'value': v['value'], 'controls': set(v['controls'])}) for k, v in block_entries.items())
    for key, entry in plan.osa.variables.items():
        merged.setdefault(key, {'value': entry['value'], 'controls': set()})
        merged[key]['value'] = entry['value']
        merged[key]['controls'].update(entry['controls'])
    order = ['openstack.osa.galera_server', 'openstack.osa.rabbitmq_server']
    books = sorted(plan.osa.playbooks, key=lambda b: (order.index(b) if b in order else len(order), b))
    return {'variables': [{'key': k, 'value': v['value'], 'controls': sorted(v['controls'])} for k, v in sorted(plan.osa.variables.items())],
            'block': render_block(merged) if merged else '', 'conflicts': plan.osa.conflicts, 'already_set': plan.osa.already_set,
            'commands': ['openstack-ansible %s' % b for b in books], 'names_checked': NAMES_CHECKED}
