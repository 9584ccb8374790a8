# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""From findings to file edits on a distro node (remediate_host), ordered so no running client is cut off.

Controller side only (the ``host_remediation_plan`` filter). The edits are INI options
(community.general.ini_file) and in-line URL edits (ansible.builtin.replace) whose patterns never
contain or print the URL's password. A server-side change that would lock out clients that still
connect in the clear (RabbitMQ ``listeners.tcp = none``) is only planned when every client the audit
saw already uses TLS; a client-side change that needs the server's TLS (``ssl_ca`` in a database URL,
``ssl = true`` to the broker) only when the audit saw the server's TLS, or the operator says so.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible_collections.scs.secure_connections.plugins.module_utils._core.catalog import controls_by_id
from ansible_collections.scs.secure_connections.plugins.module_utils._remediate import host_certs as certs
from ansible_collections.scs.secure_connections.plugins.module_utils._remediate import host_hv as hv
from ansible_collections.scs.secure_connections.plugins.module_utils._remediate import host_osa as osa
from ansible_collections.scs.secure_connections.plugins.module_utils._remediate import host_servers as servers
from ansible_collections.scs.secure_connections.plugins.module_utils._remediate.kolla import RemediationError, findings_from

DEFAULT_LEVELS = ('MUST',)


def _target(finding):
    return finding.get('target') or {}


def _setting(finding):
    match = re.match(r'^\[([^\]]+)\]\s*(\S+)$', _target(finding).get('setting') or '')
    return match.groups() if match else (None, None)


def _status_of(findings, cid):
    return [f.get('status') for f in findings if f.get('control_id') == cid]


class _HostPlan(object):
    def __init__(self, host, options):
        self.host = host
        self.options = options
        self.ini = {}
        self.edits = {}
        self.refused = []
        self.manual = []
        self.restart = set()
        self.accounts = {}
        self.units = {}
        self.certs = {}
        self.osa = None
        self.erlang = {}

    def ini_set(self, cid, path, section, option, value, reason, service):
        entry = {'path': path, 'section': section, 'option': option, 'value': value, 'controls': set(), 'reason': reason}
        change = self.ini.setdefault((path, section or '', option), entry)
        change['controls'].add(cid)
        self.restart.add(service)

    def edit(self, cid, path, key, regexp, replace, description, service):
        change = self.edits.setdefault((path, key), {'path': path, 'regexp': regexp, 'replace': replace, 'controls': set(),
                                                     'description': description})
        change['controls'].add(cid)
        self.restart.add(service)

    def material(self, cid, service, files, keys, extra_sans=()):
        """``{cert, key, ca}`` paths (on the node) of ``service``'s server TLS: given, issued from the operator's CA, or None."""
        return certs.server_material(self, cid, service, files, keys, extra_sans)

    def client_cert_planned(self, cid, finding):
        """Issue the node's missing libvirt client certificate from the operator's CA; True when planned."""
        if not certs.has_ca(self) or 'has no libvirt client certificate' not in (finding.get('message') or ''):
            return False
        default = dict(certs.LIBVIRT_CLIENT, cert=_target(finding).get('file') or certs.LIBVIRT_CLIENT['cert'])
        certs.issue(self, cid, 'libvirt', 'client', certs.files_for(self, 'libvirt_client', default))
        return True

    def qemu_certs_planned(self, cid, cert_dir):
        """Issue the node's QEMU migration TLS material from the operator's CA; True when planned."""
        return certs.qemu_material(self, cid, cert_dir)

    def refuse(self, cid, message):
        if {'control_id': cid, 'message': message} not in self.refused:
            self.refused.append({'control_id': cid, 'message': message})

    def note_manual(self, cid, message):
        if {'control_id': cid, 'message': message} not in self.manual:
            self.manual.append({'control_id': cid, 'message': message})


def _db_client(plan, cid, failing, findings):
    ca = plan.options.get('db_ca_file')
    # a pass read from the option files (a snapshot) never saw the server speak TLS
    server = [('%s from the option files' % f.get('status')) if (f.get('evidence') or {}).get('source') == 'option files' else f.get('status')
              for f in findings if f.get('control_id') == 'scs-0125-db-server-tls']
    server_ok = 'pass' in server and 'fail' not in server
    for finding in failing:
        target, message = _target(finding), finding.get('message') or ''
        section, option = _setting(finding)
        path, service = target.get('file'), target.get('service') or '?'
        fixable = 'no ssl_ca in the URL' in message or 'ssl_ca is empty' in message
        if not fixable or not option or not path:
            plan.note_manual(cid, '%s %s: %s (not a missing ssl_ca: change it by hand)' % (path, target.get('setting'), message))
            continue
        if not ca:
            plan.refuse(cid, '%s %s: set remediate_host_db_ca_file to the CA that signed the database server certificate'
                        % (path, target.get('setting')))
            continue
        if not (server_ok or plan.options.get('assume_db_server_tls')):
            plan.refuse(cid, '%s %s: the audit did not see the database server speak TLS (scs-0125-db-server-tls is %s); with '
                             'ssl_ca the service would fail to connect. Fix the server first, or set '
                             'remediate_host_assume_db_server_tls: true after checking it'
                        % (path, target.get('setting'), ', '.join(sorted(set(server))) or 'not assessed'))
            continue
        opt = re.escape(option)
        # the URL's user, password and host are matched, never written into the pattern or a message
        if 'ssl_ca is empty' in message:
            plan.edit(cid, path, (option, 'empty'), r'(?m)^(\s*%s\s*=\s*mysql\S*[?&]ssl_ca=)(?=[&\s]|$)' % opt, r'\g<1>' + ca,
                      '%s: fill the empty ssl_ca of %s with %s' % (path, option, ca), service)
        else:
            plan.edit(cid, path, (option, 'query'), r'(?m)^(\s*%s\s*=\s*mysql[^\s?#]*\?(?![^\s#]*\bssl_ca=)[^\s#]+?)[ \t]*$' % opt,
                      r'\g<1>&ssl_ca=' + ca, '%s: add &ssl_ca=%s to the %s URLs that have a query without it' % (path, ca, option), service)
            plan.edit(cid, path, (option, 'plain'), r'(?m)^(\s*%s\s*=\s*mysql[^\s?#]+?)[ \t]*$' % opt,
                      r'\g<1>?ssl_ca=' + ca, '%s: add ?ssl_ca=%s to the %s URLs without a query' % (path, ca, option), service)


def _mq_client(plan, cid, failing, findings):
    ca, port = plan.options.get('mq_ca_file'), int(plan.options.get('rabbitmq_tls_port') or 5671)
    broker = _status_of(findings, 'scs-0125-mq-broker-tls')
    broker_ok = 'pass' in broker and 'fail' not in broker
    if not (broker_ok or plan.options.get('assume_broker_tls')):
        plan.refuse(cid, 'the audit did not see the RabbitMQ broker offer TLS (scs-0125-mq-broker-tls is %s): clients switched to '
                         'TLS would lose the broker. Enable the broker TLS listener first, or set remediate_host_assume_broker_tls: '
                         'true after checking it' % (', '.join(sorted(set(broker))) or 'not assessed'))
        return
    if not ca:
        plan.refuse(cid, 'set remediate_host_mq_ca_file to the CA that signed the broker certificate')
        return
    for finding in failing:
        target = _target(finding)
        path, service = target.get('file'), target.get('service') or '?'
        if not path or 'kafka' in (finding.get('message') or '').lower():
            continue
        plan.ini_set(cid, path, 'oslo_messaging_rabbit', 'ssl', 'true', 'oslo.messaging uses TLS to RabbitMQ', service)
        plan.ini_set(cid, path, 'oslo_messaging_rabbit', 'ssl_ca_file', ca, 'the CA that signed the broker certificate', service)
        plan.edit(cid, path, ('transport_url', 'port'), r'(?m)^(\s*transport_url\s*=\s*rabbit://[^\n#]*?@[^:/,@\s]+):5672(?=[/,])',
                  r'\g<1>:%d' % port, '%s: transport_url port 5672 -> %d (the broker TLS port)' % (path, port), service)


def _mq_broker(plan, cid, failing, findings):
    clients = [f for f in findings if f.get('control_id') == 'scs-0125-mq-client-tls']
    not_ready = [f for f in clients if f.get('status') != 'pass']
    plain = [f for f in failing if _target(f).get('setting') == 'listeners.tcp']
    ssl = [f for f in failing if _target(f).get('setting') == 'listeners.ssl']
    if ssl:
        servers.mq_listener(plan, cid, ssl)
    for finding in failing:
        if _target(finding).get('setting') not in ('listeners.tcp', 'listeners.ssl'):
            plan.note_manual(cid, '%s: %s' % (finding.get('message'), finding.get('remediation') or 'change it by hand'))
    if not plain:
        return
    planned = [c for c in plan.ini.values() if 'scs-0125-mq-client-tls' in c['controls'] or cid in c['controls']]
    if not clients or not_ready or planned:
        plan.refuse(cid, 'listeners.tcp = none would cut off clients that still use plain AMQP: %s. Switch them first '
                         '(scs-0125-mq-client-tls), restart them, re-audit, then run this again'
                    % ('; '.join(sorted(set('%s %s' % (_target(f).get('service') or '?', _target(f).get('setting') or '')
                                            for f in not_ready))) or ('the TLS listener or the clients change in this same run' if planned
                                                                      else 'no client was audited')))
        return
    for finding in plain:
        path = plan.options.get('rabbitmq_conf') or '/etc/rabbitmq/rabbitmq.conf'
        plan.ini_set(cid, path, None, 'listeners.tcp', 'none', 'no plain AMQP listener (every audited client uses TLS)', 'rabbitmq-server')


_ACCOUNT = re.compile(r"^'((?:[^']|'')*)'@'((?:[^']|'')*)'$")


def _db_require_ssl(plan, cid, failing, findings):
    if plan.options.get('require_secure_transport'):
        servers.require_secure_transport(plan, cid, findings)
    clients = [f for f in findings if f.get('control_id') == 'scs-0125-db-client-tls']
    not_ready = [f for f in clients if f.get('status') != 'pass']
    planned = [e for e in plan.edits.values() if 'scs-0125-db-client-tls' in e['controls']]
    if not clients or not_ready or planned:
        plan.refuse(cid, 'REQUIRE SSL would lock out services that do not connect with TLS yet: %s. Give them ssl_ca first '
                         '(scs-0125-db-client-tls), restart them, re-audit, then run this again'
                    % ('; '.join(sorted(set('%s %s (%s)' % (_target(f).get('service') or '?', _target(f).get('setting') or '', f.get('status'))
                                            for f in not_ready)))
                       or ('their URLs are changed in this same run' if planned else 'no service database URL was audited')))
        return
    for finding in failing:
        match = _ACCOUNT.match(_target(finding).get('account') or '')
        if not match:
            plan.note_manual(cid, 'account %r: not a quoted user@host; ALTER USER ... REQUIRE SSL by hand' % _target(finding).get('account'))
            continue
        user, host = (part.replace("''", "'") for part in match.groups())
        entry = plan.accounts.setdefault((user, host), {'user': user, 'host': host, 'server': _target(finding).get('endpoint'),
                                                        'controls': set()})
        entry['controls'].add(cid)


HANDLERS = {
    servers.DB_SERVER: servers.db_server,
    'scs-0125-db-client-tls': _db_client,
    'scs-0125-mq-client-tls': _mq_client,
    'scs-0125-mq-broker-tls': _mq_broker,
    'scs-0125-db-require-ssl': _db_require_ssl,
    hv.MIGRATION: hv.hv_migration,
    hv.EXPOSURE: hv.hv_exposure,
    hv.CLIENT_CERT: hv.hv_client_cert,
    hv.SSH_LOCAL: hv.hv_ssh_local,
}
# server-side changes are planned after the client-side ones (they check what those planned)
_ORDER = (servers.DB_SERVER, 'scs-0125-db-client-tls', 'scs-0125-mq-client-tls', hv.MIGRATION, hv.CLIENT_CERT, 'scs-0125-mq-broker-tls',
          'scs-0125-db-require-ssl', hv.SSH_LOCAL, hv.EXPOSURE)


def _scope(source, host, layout):
    """``(osa?, hosts whose failing findings this plan fixes)``: the node itself, or every OpenStack-Ansible node of the deployment."""
    osa_hosts = osa.osa_hosts(source)
    if layout == 'osa':
        return True, None
    if layout == 'auto' and host in osa_hosts:
        return True, set(osa_hosts)
    return False, set([host])


def _select(findings, hosts, controls, levels, by_id, order=_ORDER):
    failing, selected, skipped = {}, [], []
    for finding in findings:
        if finding.get('status') == 'fail' and _target(finding).get('host') and (hosts is None or _target(finding).get('host') in hosts):
            failing.setdefault(finding['control_id'], []).append(finding)
    for cid in sorted(failing, key=lambda c: (order.index(c) if c in order else len(order), c)):
        level = (by_id.get(cid) or {}).get('level', '?')
        if not (cid in controls if controls else level in levels):
            skipped.append({'control_id': cid, 'level': level, 'message': '%s control not selected: add it to remediate_controls' % level})
        else:
            selected.append(cid)
    return failing, selected, skipped


def plan_host(source, host, controls=None, levels=None, options=None, catalog=None):
    """The edits ``remediate_host`` makes on ``host`` for the failing findings of the selected controls; for an
    OpenStack-Ansible deployment the ``user_variables.yml`` settings instead (``osa``)."""
    findings = findings_from(source)
    by_id = controls_by_id(catalog)
    unknown = [c for c in (controls or []) if c not in by_id]
    if unknown:
        raise RemediationError('unknown control ids in remediate_controls: %s' % ', '.join(unknown))
    options = options or {}
    if options.get('layout', 'auto') not in ('auto', 'osa', 'distro'):
        raise RemediationError('remediate_host_layout must be auto, osa or distro, not %r' % options.get('layout'))
    is_osa, hosts = _scope(source, host, options.get('layout', 'auto'))
    plan = _HostPlan(host, options)
    if is_osa:
        user_variables = options.get('user_variables') or {}
        plan.osa = osa.OsaPlan(user_variables.get('outside'))
    failing, selected, skipped = _select(findings, hosts, controls, tuple(levels or DEFAULT_LEVELS), by_id, osa.ORDER if is_osa else _ORDER)
    handlers = osa.HANDLERS if is_osa else HANDLERS
    for cid in selected:
        if cid in handlers:
            handlers[cid](plan, cid, failing[cid], findings)
        else:
            hints = ((by_id.get(cid) or {}).get('remediation') or {}).get('openstack_ansible' if is_osa else 'distro') or []
            plan.note_manual(cid, 'not automated by remediate_host%s' % (': ' + '; '.join(hints) if hints else ''))
    return {
        'host': host,
        'layout': 'osa' if is_osa else 'distro',
        'osa': osa.result(plan, (options.get('user_variables') or {}).get('entries') or {}) if is_osa else None,
        'selected_controls': selected,
        'skipped_controls': skipped,
        'ini_changes': [dict(c, controls=sorted(c['controls'])) for c in (plan.ini[k] for k in sorted(plan.ini))],
        'edits': [dict(c, controls=sorted(c['controls'])) for c in (plan.edits[k] for k in sorted(plan.edits, key=str))],
        'accounts': [dict(a, controls=sorted(a['controls'])) for a in (plan.accounts[k] for k in sorted(plan.accounts))],
        'certificates': certs.as_list(plan),
        'rabbitmq_advanced': [dict(e, controls=sorted(e['controls'])) for e in (plan.erlang[k] for k in sorted(plan.erlang))],
        'units': [dict(u, controls=sorted(u['controls'])) for u in (plan.units[k] for k in sorted(plan.units))],
        'refused': plan.refused,
        'manual': plan.manual,
        'restart': sorted(s for s in plan.restart if s),
    }
