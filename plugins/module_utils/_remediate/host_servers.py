# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Server-side TLS of the distro-node planner (remediate_host): MariaDB's ssl_* options and RabbitMQ's TLS listener.

Adding a server's TLS never cuts off a client (the plain port stays); what would - ``require_secure_transport``,
``listeners.tcp = none`` - waits until every audited client passes. The certificate, key and CA come from the
operator (paths on the node) or are issued from the operator's CA (``plan.material``); without either the
change is listed as manual with the exact files it needs.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.scs.secure_connections.plugins.module_utils._core.mozilla_data import GUIDELINES
from ansible_collections.scs.secure_connections.plugins.module_utils._remediate.host_certs import endpoint_host

DB_SERVER = 'scs-0125-db-server-tls'
DB_CLIENT = 'scs-0125-db-client-tls'
DB_REQUIRE = 'scs-0125-db-require-ssl'
MQ_BROKER = 'scs-0125-mq-broker-tls'
MYSQL_CONF = '/etc/mysql/mariadb.conf.d/50-server.cnf'
MYSQL_FILES = {'cert': '/etc/mysql/ssl/server-cert.pem', 'key': '/etc/mysql/ssl/server-key.pem', 'ca': '/etc/mysql/ssl/ca.pem'}
RABBIT_FILES = {'cert': '/etc/rabbitmq/ssl/server-cert.pem', 'key': '/etc/rabbitmq/ssl/server-key.pem', 'ca': '/etc/rabbitmq/ssl/ca.pem'}


def _target(finding):
    return finding.get('target') or {}


def _missing(plan, cid, what, where, files, options):
    plan.note_manual(cid, '%s on %s needs a server certificate (subject alternative names: the names clients connect to), its key and '
                          'the CA that signed it, e.g. %s; set %s (paths on the node), or remediate_host_ca_cert/remediate_host_ca_key to '
                          'issue them, then run this again (written to %s)'
                     % (what, plan.host, ', '.join(files[k] for k in ('cert', 'key', 'ca')), ', '.join(options), where))


def db_server(plan, cid, failing, findings):
    """MariaDB: ``[mysqld] ssl_cert/ssl_key/ssl_ca`` (and ``tls_version``) in the server option file."""
    conf = plan.options.get('mysql_server_conf') or next((_target(f).get('file') for f in failing if _target(f).get('file')), None) \
        or MYSQL_CONF
    if str(conf).startswith('/etc/kolla/'):
        plan.note_manual(cid, '%s is rendered by kolla-ansible: use the remediate_kolla role' % conf)
        return
    section = plan.options.get('mysql_server_section') or 'mysqld'
    messages = ' '.join(f.get('message') or '' for f in failing)
    material = plan.material(cid, 'mariadb', MYSQL_FILES, ('db_server_cert', 'db_server_key', 'db_server_ca'),
                             [endpoint_host(_target(f).get('endpoint')) for f in failing if _target(f).get('endpoint')])
    if material is None:
        _missing(plan, cid, 'MariaDB TLS', '%s [%s] ssl_cert, ssl_key, ssl_ca' % (conf, section), MYSQL_FILES,
                 ('remediate_host_db_server_cert', 'remediate_host_db_server_key', 'remediate_host_db_server_ca'))
    else:
        for option, key in (('ssl_cert', 'cert'), ('ssl_key', 'key'), ('ssl_ca', 'ca')):
            plan.ini_set(cid, conf, section, option, material[key], 'the server speaks TLS with this certificate', 'mariadb')
    if 'tls_version allows' in messages or material is not None:
        plan.ini_set(cid, conf, section, 'tls_version', 'TLSv1.2,TLSv1.3', 'no TLS 1.0/1.1', 'mariadb')
    if material is not None:
        # Mozilla intermediate TLS 1.2 suites; the key exchange groups have no server option (OpenSSL configuration)
        plan.ini_set(cid, conf, section, 'ssl_cipher', ':'.join(GUIDELINES['configurations']['intermediate']['ciphers']['openssl']),
                     'Mozilla intermediate TLS 1.2 suites', 'mariadb')


def require_secure_transport(plan, cid, findings):
    """``require_secure_transport = ON`` once every audited database client passes (opt-in)."""
    clients = [f for f in findings if f.get('control_id') == DB_CLIENT]
    not_ready = [f for f in clients if f.get('status') != 'pass']
    server = [f.get('status') for f in findings if f.get('control_id') == DB_SERVER and _target(f).get('host') == plan.host]
    planned = [e for e in plan.edits.values() if DB_CLIENT in e['controls']] + \
        [c for c in plan.ini.values() if DB_SERVER in c['controls']]
    if not clients or not_ready or planned or 'pass' not in server:
        plan.refuse(cid, 'require_secure_transport = ON would lock out every client that does not use TLS yet: %s. Fix them first, '
                         're-audit, then run this again' % ('; '.join(sorted(set(
                             '%s %s (%s)' % (_target(f).get('service') or '?', _target(f).get('setting') or '', f.get('status'))
                             for f in not_ready))) or ('the server or the clients change in this same run' if planned else
                                                       'the server\'s TLS did not pass on this node' if 'pass' not in server else
                                                       'no service database URL was audited')))
        return
    conf = plan.options.get('mysql_server_conf') or MYSQL_CONF
    plan.ini_set(cid, conf, plan.options.get('mysql_server_section') or 'mysqld', 'require_secure_transport', 'ON',
                 'every TCP login must use TLS (every audited client does)', 'mariadb')


def mq_listener(plan, cid, failing):
    """RabbitMQ: ``listeners.ssl.default`` and ``ssl_options.*`` in rabbitmq.conf; the plain listener stays."""
    conf = plan.options.get('rabbitmq_conf') or '/etc/rabbitmq/rabbitmq.conf'
    if str(conf).startswith('/etc/kolla/'):
        plan.note_manual(cid, '%s is rendered by kolla-ansible: use the remediate_kolla role' % conf)
        return
    material = plan.material(cid, 'rabbitmq', RABBIT_FILES, ('mq_server_cert', 'mq_server_key', 'mq_server_ca'),
                             [endpoint_host(_target(f).get('endpoint')) for f in failing if _target(f).get('endpoint')])
    if material is None:
        _missing(plan, cid, 'the RabbitMQ TLS listener', '%s listeners.ssl.default, ssl_options.cacertfile/certfile/keyfile' % conf,
                 RABBIT_FILES, ('remediate_host_mq_server_cert', 'remediate_host_mq_server_key', 'remediate_host_mq_server_ca'))
        return
    listener = str(plan.options.get('rabbitmq_tls_listener') or plan.options.get('rabbitmq_tls_port') or 5671)
    values = (('listeners.ssl.default', listener), ('ssl_options.cacertfile', material['ca']), ('ssl_options.certfile', material['cert']),
              ('ssl_options.keyfile', material['key']), ('ssl_options.verify', 'verify_peer'),
              ('ssl_options.fail_if_no_peer_cert', 'false'), ('ssl_options.versions.1', 'tlsv1.3'), ('ssl_options.versions.2', 'tlsv1.2'))
    # Mozilla intermediate: TLS 1.3 suites and the TLS 1.2 list (OpenSSL names, as Erlang's ssl takes them), server order
    profile = GUIDELINES['configurations']['intermediate']
    suites = list(profile.get('ciphersuites') or []) + list(profile['ciphers']['openssl'])
    values += tuple(('ssl_options.ciphers.%d' % n, name) for n, name in enumerate(suites, 1))
    values += (('ssl_options.honor_cipher_order', 'true'), ('ssl_options.honor_ecc_order', 'true'))
    for option, value in values:
        plan.ini_set(cid, conf, None, option, value, 'the AMQPS listener (clients are moved to it by scs-0125-mq-client-tls)',
                     'rabbitmq-server')
    advanced = plan.options.get('rabbitmq_advanced_config') or '/etc/rabbitmq/advanced.config'
    entry = plan.erlang.setdefault(advanced, {'path': advanced, 'content': advanced_config(material, suites, profile), 'controls': set()})
    entry['controls'].add(cid)


_ERLANG_CURVES = {'X25519': 'x25519', 'prime256v1': 'secp256r1', 'secp384r1': 'secp384r1', 'X448': 'x448', 'secp521r1': 'secp521r1'}


def _erl(text):
    return '"%s"' % str(text).replace('\\', '\\\\').replace('"', '\\"')


def advanced_config(material, suites, profile):
    """advanced.config with the whole ssl_options (rabbitmq.conf has no key for the key exchange groups, and an ssl_options
    in advanced.config replaces the one of rabbitmq.conf)."""
    curves = ', '.join(_ERLANG_CURVES[c] for c in profile.get('tls_curves') or [] if c in _ERLANG_CURVES)
    versions = ', '.join("'%s'" % v.lower() for v in reversed(profile.get('tls_versions') or []))
    items = ['{cacertfile, %s}' % _erl(material['ca']), '{certfile, %s}' % _erl(material['cert']), '{keyfile, %s}' % _erl(material['key']),
             '{verify, verify_peer}', '{fail_if_no_peer_cert, false}', '{versions, [%s]}' % versions,
             '{ciphers, [%s]}' % ', '.join(_erl(c) for c in suites), '{honor_cipher_order, true}', '{honor_ecc_order, true}',
             '{eccs, [%s]}' % curves, '{supported_groups, [%s]}' % curves]
    return ('%% Written by scs.secure_connections remediate_host (scs-0125-mq-broker-tls): the TLS listener\'s options, Mozilla\n'
            '%% intermediate. rabbitmq.conf has no key for the key exchange groups (eccs), and an ssl_options here replaces the\n'
            '%% one of rabbitmq.conf, so all of it is here (kept in step with rabbitmq.conf ssl_options.*).\n'
            '[{rabbit, [{ssl_options, [\n    %s]}]}].\n' % ',\n    '.join(items))
