# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A configuration tree with a unique secret planted in every secret-bearing setting.

``plant(root, layout)`` writes a kolla or a distro tree (the formats of docs/security.md's policy
table) and returns ``{token: where}``: every token is a secret that must never appear in any
module result, log line or report. Tokens look like ``PLNT042x...`` so that one grep finds them;
secrets cut by the characters ``str.splitlines()`` treats as line ends are planted as two tokens
(the head and the tail), both of which must stay hidden.
"""

from __future__ import absolute_import, division, print_function

import os
import random
import string

# characters str.splitlines() breaks on that the services' own readers do not
ODD_BREAKS = ('\x0b', '\x0c', '\x1c', '\x1d', '\x1e', '\x85', '\u2028', '\u2029')


class Planter(object):
    def __init__(self, seed=0):
        self.tokens = {}
        self.rand = random.Random(seed)
        self.count = 0

    def secret(self, where):
        self.count += 1
        tail = ''.join(self.rand.choice(string.ascii_letters + string.digits) for _i in range(8))
        token = 'PLNT%03dx%s' % (self.count, tail)
        self.tokens[token] = where
        return token

    def split_secret(self, where, index=0):
        """A secret with an odd line break in the middle: head and tail are both tokens."""
        head, tail = self.secret(where + ' (head)'), self.secret(where + ' (tail)')
        return head + ODD_BREAKS[index % len(ODD_BREAKS)] + tail


def _write(root, path, text):
    real = os.path.join(root, path.lstrip('/'))
    if not os.path.isdir(os.path.dirname(real)):
        os.makedirs(os.path.dirname(real))
    with open(real, 'wb') as handle:
        handle.write(text.encode('utf-8') if isinstance(text, str) else text)


def _pem(p, where):
    body = '\n'.join([p.secret(where + ' PEM body line'), p.secret(where + ' PEM body line'), p.secret(where + ' PEM body line')])
    return '-----BEGIN PRIVATE KEY-----\n%s\n-----END PRIVATE KEY-----' % body


# --------------------------------------------------------------------------- oslo.config

# (file, [(section, option)]) of oslo.config options marked secret=True (see docs/security.md)
OSLO_SECRET_OPTIONS = {
    'nova': [('keystone_authtoken', 'password'), ('keystone_authtoken', 'memcache_secret_key'), ('keystone_authtoken', 'admin_password'),
             ('keystone_authtoken', 'admin_token'), ('neutron', 'password'), ('neutron', 'metadata_proxy_shared_secret'),
             ('placement', 'password'), ('service_user', 'password'), ('cinder', 'password'), ('glance', 'password'),
             ('ironic', 'password'), ('barbican', 'password'), ('vendordata_dynamic_auth', 'password'), ('key_manager', 'fixed_key'),
             ('vault', 'root_token_id'), ('vault', 'approle_secret_id'), ('cache', 'memcache_password'),
             ('vmware', 'host_password'), ('vmware', 'host_username'), ('xenserver', 'connection_password'), ('profiler', 'hmac_keys'),
             ('oslo_messaging_amqp', 'password'), ('oslo_messaging_amqp', 'ssl_key_password'),
             ('oslo_messaging_kafka', 'ssl_client_key_password'), ('oslo_messaging_kafka', 'sasl_password'),
             ('oslo_messaging_rabbit', 'rabbit_password'), ('oslo_messaging_rabbit', 'ssl_key_password'),
             ('keystone_authtoken', 'application_credential_secret'), ('keystone_authtoken', 'client_secret'),
             ('keystone_authtoken', 'passcode'), ('keystone_authtoken', 'token'), ('spice', 'password'),
             ('DEFAULT', 'metadata_proxy_shared_secret'), ('service_user', 'application_credential_secret')],
    'neutron': [('keystone_authtoken', 'password'), ('nova', 'password'), ('designate', 'admin_password'), ('placement', 'password'),
                ('ironic', 'password'), ('DEFAULT', 'metadata_proxy_shared_secret'), ('ml2_odl', 'password'), ('ovn', 'ovn_sb_private_key_password')],
    'cinder': [('keystone_authtoken', 'password'), ('lvm-1', 'san_password'), ('lvm-1', 'chap_password'), ('netapp-1', 'netapp_password'),
               ('3par', 'hpe3par_password'), ('DEFAULT', 'backup_swift_key'), ('key_manager', 'fixed_key'), ('vmware', 'vmware_host_password'),
               ('DEFAULT', 'backup_swift_auth_password'), ('nova', 'password'), ('powerflex', 'san_password'),
               ('DEFAULT', 'backup_s3_sse_customer_key'), ('lvm-1', 'replication_device'), ('DEFAULT', 'backup_s3_secret_key')],
    'glance': [('keystone_authtoken', 'password'), ('glance_store', 'swift_store_key'), ('glance_store', 's3_store_secret_key'),
               ('glance_store', 'vmware_server_password'), ('glance_store', 's3_store_access_key'), ('DEFAULT', 'metadata_encryption_key'),
               ('glance_store', 'swift_store_user'), ('glance_store', 'swift_store_application_credential_id')],
    'keystone': [('DEFAULT', 'admin_token'), ('ldap', 'password'), ('keystone_authtoken', 'password'), ('oauth1', 'client_secret'),
                 ('credential', 'auth_secret'), ('identity', 'password_hash_secret')],
    'placement': [('keystone_authtoken', 'password')],
    'octavia': [('certificates', 'ca_private_key_passphrase'), ('certificates', 'server_certs_key_passphrase'),
                ('health_manager', 'heartbeat_key'), ('service_auth', 'password'), ('keystone_authtoken', 'password')],
    'barbican': [('simple_crypto_plugin', 'kek'), ('p11_crypto_plugin', 'seed_file_password'),
                 ('kmip_plugin', 'password'), ('vault_plugin', 'root_token_id'), ('vault_plugin', 'approle_secret_id'),
                 ('keystone_authtoken', 'password'), ('dogtag_plugin', 'pem_password'), ('vault_plugin', 'approle_role_id')],
    'heat': [('DEFAULT', 'auth_encryption_key'), ('DEFAULT', 'stack_domain_admin_password'), ('trustee', 'password'),
             ('clients_keystone', 'password'), ('keystone_authtoken', 'password')],
}
MAIN_FILE = {'glance': 'glance-api.conf'}
KOLLA_COMPONENT = {'nova': 'nova-api', 'neutron': 'neutron-server', 'cinder': 'cinder-volume', 'glance': 'glance-api',
                   'keystone': 'keystone', 'placement': 'placement-api', 'octavia': 'octavia-worker',
                   'barbican': 'barbican-api', 'heat': 'heat-engine'}


def oslo_conf(p, project):
    sections = {}
    for section, option in OSLO_SECRET_OPTIONS[project]:
        sections.setdefault(section, []).append('%s = %s' % (option, p.secret('%s [%s] %s' % (project, section, option))))
    db = p.secret(project + ' [database] connection password')
    sections.setdefault('database', []).append('connection = mysql+pymysql://%s:%s@db.example:3306/%s?ssl_ca=/etc/ca.pem' % (project, db, project))
    sections['database'].append('slave_connection = mysql+pymysql://%s:%s@db2/%s' % (project, p.secret(project + ' slave_connection'), project))
    sections.setdefault('api_database', []).append('connection = mysql://u:%s@db/api' % p.secret(project + ' [api_database] connection'))
    sections.setdefault('DEFAULT', []).append('transport_url = rabbit://openstack:%s@mq1:5671,openstack:%s@mq2:5671/?ssl=1' % (
        p.secret(project + ' transport_url host 1'), p.secret(project + ' transport_url host 2')))
    sections.setdefault('oslo_messaging_notifications', []).append('transport_url = kafka://u:%s@kafka:9093' % p.secret(project + ' notifications'))
    sections.setdefault('cache', []).append('backend_argument = password:%s' % p.secret(project + ' [cache] backend_argument'))
    sections.setdefault('profiler', []).append('connection_string = redis://:%s@redis:6379' % p.secret(project + ' [profiler] connection_string'))
    sections.setdefault('keystone_authtoken', []).append('www_authenticate_uri = https://keystone:5000/v3?token=%s' % p.secret(project + ' token in URL query'))
    sections['keystone_authtoken'].append('auth_url = https://admin:%s@keystone:5000' % p.secret(project + ' userinfo in auth_url'))
    # a password cut by an odd line break, and one in a quoted value
    sections.setdefault('service_user', []).append('password = %s' % p.split_secret(project + ' password with an odd line break', len(project)))
    sections['keystone_authtoken'].append('password = "%s"' % p.secret(project + ' quoted password (last one wins)'))
    out = []
    for section, lines in sections.items():
        out.append('[%s]' % section)
        out.extend(lines)
        out.append('')
    return '\n'.join(out)


# --------------------------------------------------------------------------- infrastructure


def my_cnf(p):
    return '\n'.join([
        '[client]', 'user = root', 'password = %s' % p.secret('my.cnf [client] password'),
        '[mysqldump]', 'password="%s"' % p.secret('my.cnf [mysqldump] quoted password'),
        '[mysql]', 'pass = %s' % p.secret('my.cnf abbreviated pass (option prefix)'),
        '[mariabackup]', 'password = %s' % p.split_secret('my.cnf password with an odd line break', 3),
        '[mysqld]', 'bind-address = 0.0.0.0', 'ssl_cert = /etc/mysql/server.pem', 'ssl_key = /etc/mysql/server.key',
        'wsrep_sst_auth = sst:%s' % p.secret('my.cnf wsrep_sst_auth'),
        'wsrep_provider_options = "socket.ssl_key=/k.pem;socket.ssl_cert=/c.pem;gcache.size=1G"',
        'ssl_passphrase = %s' % p.secret('my.cnf ssl_passphrase'),
        'loose-server-audit-password = %s' % p.secret('my.cnf loose- prefixed password'),
        '[client-server]', 'password = %s' % p.secret('my.cnf [client-server] password'), '',
    ])


def rabbitmq_conf(p):
    keys = ['default_pass', 'management.oauth_client_secret', 'ssl_options.password', 'auth_ldap.dn_lookup_bind.password',
            'auth_ldap.other_bind.password', 'management.ssl.password', 'web_stomp.ssl.password', 'stomp.default_pass',
            'mqtt.default_pass', 'cluster_formation.consul.acl_token', 'cluster_formation.etcd.password',
            'cluster_formation.aws.secret_key', 'default_users.alice.password', 'prometheus.ssl.password',
            'auth_oauth2.client_secret', 'cluster_formation.aws.access_key_id', 'web_mqtt.ssl.password', 'stream.ssl_options.password']
    lines = ['listeners.ssl.default = 5671', 'ssl_options.certfile = /etc/rabbitmq/cert.pem', 'default_user = openstack']
    lines += ['%s = %s' % (k, p.secret('rabbitmq.conf ' + k)) for k in keys]
    lines.append('auth_ldap.dn_lookup_bind.user_dn = cn=admin,dc=example')
    lines.append('cluster_formation.etcd.endpoints.1 = https://u:%s@etcd:2379' % p.secret('rabbitmq.conf URL userinfo'))
    lines.append('default_pass = %s' % p.split_secret('rabbitmq.conf default_pass with an odd line break', 5))
    return '\n'.join(lines) + '\n'


def advanced_config(p):
    s = p.secret
    return '''[
 {rabbit, [{default_pass, <<"%s">>}, {ssl_options, [{certfile, "/c.pem"}, {password, "%s"}]}, {loopback_users, []}]},
 {rabbitmq_auth_backend_ldap, [{servers, ["ldap.example"]},
    {dn_lookup_bind, {"cn=admin,dc=example", "%s"}},
    {other_bind, {"cn=other,dc=example", <<"%s">>}}]},
 {rabbitmq_management, [{oauth_client_secret, "%s"}, {ssl_config, [{port, 15671}, {password, "%s"}]}]},
 {rabbitmq_shovel, [{shovels, [{s1, [{source, [{uris, ["amqps://u:%s@src:5671"]}]}]}]}]},
 {rabbitmq_stomp, [{default_user, [{login, "guest"}, {passcode, "%s"}]}]},
 {rabbitmq_mqtt, [{default_pass, <<"%s">>}]},
 {kernel, [{net_ticktime, 60}]}
].
''' % (s('advanced.config rabbit default_pass'), s('advanced.config ssl_options password'), s('advanced.config LDAP dn_lookup_bind'),
       s('advanced.config LDAP other_bind'), s('advanced.config management oauth_client_secret'),
       s('advanced.config management ssl_config password'), s('advanced.config shovel URI'),
       s('advanced.config stomp passcode'), s('advanced.config mqtt default_pass'))


def rabbitmq_env(p):
    return '\n'.join([
        'NODENAME=rabbit@node1',
        'RABBITMQ_ERLANG_COOKIE=%s' % p.secret('rabbitmq-env RABBITMQ_ERLANG_COOKIE'),
        'ERLANG_COOKIE=%s' % p.secret('rabbitmq-env ERLANG_COOKIE'),
        'SERVER_ADDITIONAL_ERL_ARGS="-setcookie %s +K true"' % p.secret('rabbitmq-env -setcookie (server args)'),
        'RABBITMQ_CTL_ERL_ARGS="-setcookie \'%s\'"' % p.secret('rabbitmq-env -setcookie (ctl args)'),
        'RABBITMQ_DEFAULT_PASS=%s' % p.secret('rabbitmq-env RABBITMQ_DEFAULT_PASS'), '',
    ])


def kafka_properties(p):
    s = p.secret
    return '\n'.join([
        'listeners=SASL_SSL://0.0.0.0:9093', 'security.inter.broker.protocol=SASL_SSL',
        'ssl.keystore.password=%s' % s('kafka ssl.keystore.password'),
        'ssl.key.password=%s' % s('kafka ssl.key.password'),
        'ssl.truststore.password=%s' % s('kafka ssl.truststore.password'),
        'password.encoder.secret=%s' % s('kafka password.encoder.secret'),
        'password.encoder.old.secret=%s' % s('kafka password.encoder.old.secret'),
        'delegation.token.secret.key=%s' % s('kafka delegation.token.secret.key'),
        'delegation.token.master.key=%s' % s('kafka delegation.token.master.key'),
        'sasl.login.callback.handler.class=x',
        'listener.name.sasl_ssl.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required \\',
        '    username="admin" password="%s" \\' % s('kafka JAAS password (continued line)'),
        '    user_admin="%s" user_alice="%s" user_carol="%s\\\\\\"%s";' % (
            s('kafka JAAS user_admin'), s('kafka JAAS user_alice'), s('kafka JAAS user_carol (head)'),
            s('kafka JAAS user_carol after an escaped quote')),
        'listener.name.sasl_ssl.scram-sha-256.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required '
        'username="broker" password=\'%s\';' % s('kafka JAAS scram password (single quotes)'),
        'sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username=u password=%s user_bob=%s;' % (
            s('kafka JAAS unquoted password'), s('kafka JAAS unquoted user_bob')),
        # a JAAS backslash-escaped quote, written as a .properties file must (\\\\ and \\" are properties escapes)
        'listener.name.x.plain.sasl.jaas.config=a.PlainLoginModule required password="%s\\\\\\"%s";' % (
            s('kafka JAAS password (head)'), s('kafka JAAS password after an escaped quote')),
        'sasl.oauthbearer.client.secret=%s' % s('kafka sasl oauthbearer client secret'),
        'ssl.keystore.key=%s' % _pem(p, 'kafka ssl.keystore.key').replace('\n', '\\n\\\n'),
        'ssl.key.password=%s' % p.split_secret('kafka ssl.key.password with an odd line break', 6), '',
    ])


def qemu_conf(p):
    return '\n'.join([
        'vnc_tls = 1', 'vnc_password = "%s"' % p.secret('qemu.conf vnc_password'),
        'spice_password = "%s"' % p.secret('qemu.conf spice_password'),
        'vnc_tls_x509_secret_uuid = "00000000-0000-0000-0000-000000000000"',
        'vnc_password = "%s"' % p.split_secret('qemu.conf vnc_password with an odd line break', 7), '',
    ])


def libvirtd_conf(p):
    return '\n'.join(['listen_tls = 1', 'auth_tls = "none"', 'tls_priority = "@SYSTEM"',
                      'sasl_allowed_username_list = ["admin@EXAMPLE"]',
                      'admin_password = "%s"' % p.secret('libvirtd.conf unknown password-named setting'), ''])


def libvirt_auth_conf(p):
    return '\n'.join(['[credentials-mig]', 'authname = nova', 'password = %s' % p.secret('libvirt auth.conf password'),
                      '[auth-libvirt-default]', 'credentials = mig', ''])


def sasl_conf(p):
    return '\n'.join(['mech_list: gssapi', 'keytab: /etc/libvirt/krb5.tab', 'sasldb_path: /etc/libvirt/passwd.db',
                      'ldapdb_pw: %s' % p.secret('sasl2 ldapdb_pw'), 'sql_passwd: %s' % p.secret('sasl2 sql_passwd'),
                      'ldapdb_id: admin', ''])


def ceph_conf(p):
    return '\n'.join([
        '[global]', 'fsid = 00000000-0000-0000-0000-000000000000', 'mon_host = 10.0.0.1', 'ms_client_mode = secure',
        'key = %s' % p.secret('ceph.conf key'),
        '[client.glance]', 'keyring = /etc/ceph/ceph.client.glance.keyring', 'key = %s' % p.secret('ceph.conf [client] key'),
        '[client.rgw]', 'rgw_keystone_admin_password = %s' % p.secret('ceph rgw_keystone_admin_password'),
        'rgw keystone admin token = %s' % p.secret('ceph rgw keystone admin token (spaces)'),
        'rgw_crypt_default_encryption_key = %s' % p.secret('ceph rgw_crypt_default_encryption_key'),
        'rgw_keystone_barbican_password = %s' % p.secret('ceph rgw_keystone_barbican_password'),
        'rgw_crypt_s3_kms_encryption_keys = testkey-1=%s' % p.secret('ceph rgw_crypt_s3_kms_encryption_keys'),
        'key = %s' % p.split_secret('ceph.conf key with an odd line break', 1), '',
    ])


def ceph_keyring(p):
    return '[client.admin]\n\tkey = %s\n\tcaps mon = "allow *"\n' % p.secret('ceph keyring key')


def haproxy_cfg(p):
    return '\n'.join([
        'global', '    log /dev/log local0', '    ssl-default-bind-options ssl-min-ver TLSv1.2',
        'userlist admins', '    user alice insecure-password %s' % p.secret('haproxy userlist insecure-password'),
        '    user bob password $6$salt$%s' % p.secret('haproxy userlist password hash'),
        'frontend stats', '    bind *:8404 ssl crt /etc/haproxy/c.pem', '    stats enable',
        '    stats auth admin:%s' % p.secret('haproxy stats auth'),
        '    http-request set-header Authorization "Basic %s"' % p.secret('haproxy Authorization header'),
        'backend be', '    server s1 10.0.0.2:443 ssl verify required ca-file /etc/ca.pem',
        '    http-check send meth GET uri /?token=%s hdr X-Auth-Token %s' % (p.secret('haproxy check URL token'), p.secret('haproxy check X-Auth-Token')),
        '    stats auth admin:%s' % p.split_secret('haproxy stats auth with an odd line break', 2), '',
    ])


def nginx_conf(p, password_file):
    return '\n'.join([
        'events {}', 'http {', '  server {', '    listen 443 ssl;', '    ssl_certificate /etc/nginx/c.pem;',
        '    ssl_certificate_key data:%s;' % _pem(p, 'nginx ssl_certificate_key data:').replace('\n', '\\n'),
        '    ssl_password_file %s;' % password_file,
        '    auth_basic "x";', '    auth_basic_user_file /etc/nginx/htpasswd;',
        '    proxy_set_header Authorization "Basic %s";' % p.secret('nginx Authorization header'),
        '    location / { proxy_pass https://u:%s@backend:8443/?access_token=%s; }' % (
            p.secret('nginx proxy_pass userinfo'), p.secret('nginx proxy_pass access_token')),
        '  }', '}', '',
    ])


def proc_entries(p):
    """``/proc/<pid>/{cmdline,comm}`` of a beam.smp with -setcookie and a libvirtd with a URL password."""
    beam = ['/usr/lib/erlang/erts/bin/beam.smp', '-W', 'w', '--', '-root', '/usr/lib/erlang', '-setcookie',
            p.secret('/proc cmdline -setcookie'), '-noshell']
    libvirtd = ['/usr/sbin/libvirtd', '--listen', '--config', '/etc/libvirt/libvirtd.conf',
                'qemu+tls://u:%s@peer/system' % p.secret('/proc cmdline URL password')]
    return {'/proc/4242/cmdline': '\0'.join(beam) + '\0', '/proc/4242/comm': 'beam.smp\n',
            '/proc/4343/cmdline': '\0'.join(libvirtd) + '\0', '/proc/4343/comm': 'libvirtd\n'}


def plant(root, layout='kolla', seed=0):
    """Write the tree under ``root``; return ``{token: where}``."""
    p = Planter(seed)
    root = str(root)
    files = {}
    for project in sorted(OSLO_SECRET_OPTIONS):
        name = MAIN_FILE.get(project, project + '.conf')
        if layout == 'kolla':
            files['/etc/kolla/%s/%s' % (KOLLA_COMPONENT[project], name)] = oslo_conf(p, project)
        else:
            files['/etc/%s/%s' % (project, name)] = oslo_conf(p, project)
    etc = '/etc/kolla/%s' if layout == 'kolla' else '/etc/%s'
    files[(etc % 'mariadb') + ('/galera.cnf' if layout == 'kolla' else '/my.cnf')] = my_cnf(p)
    if layout != 'kolla':
        files['/etc/mysql/my.cnf'] = files.pop('/etc/mariadb/my.cnf')
    files[(etc % 'rabbitmq') + '/rabbitmq.conf'] = rabbitmq_conf(p)
    files[(etc % 'rabbitmq') + '/advanced.config'] = advanced_config(p)
    files[(etc % 'rabbitmq') + '/rabbitmq-env.conf'] = rabbitmq_env(p)
    # an operator's mistake: an unquoted password is an Erlang variable, a syntax error that must not quote it
    files[(etc % 'rabbitmq') + '/rabbitmq.config'] = '[{rabbit, [{default_pass, %s}]}].\n' % p.secret('rabbitmq.config unquoted password')
    libvirt = '/etc/kolla/nova-libvirt' if layout == 'kolla' else '/etc/libvirt'
    files[libvirt + '/libvirtd.conf'] = libvirtd_conf(p)
    files[libvirt + '/qemu.conf'] = qemu_conf(p)
    files['/etc/libvirt/auth.conf'] = libvirt_auth_conf(p)
    files['/etc/sasl2/libvirt.conf'] = sasl_conf(p)
    files[(libvirt if layout == 'kolla' else '/etc/sasl2') + ('/sasl.conf' if layout == 'kolla' else '/qemu.conf')] = sasl_conf(p)
    files['/etc/kolla/kafka/kafka.server.properties' if layout == 'kolla' else '/etc/kafka/server.properties'] = kafka_properties(p)
    files['/etc/kolla/glance-api/ceph.conf' if layout == 'kolla' else '/etc/ceph/ceph.conf'] = ceph_conf(p)
    files['/etc/kolla/glance-api/ceph.client.admin.keyring' if layout == 'kolla' else '/etc/ceph/ceph.client.admin.keyring'] = ceph_keyring(p)
    files[(etc % 'haproxy') + '/haproxy.cfg'] = haproxy_cfg(p)
    files['/etc/nginx/ssl_passwords'] = '%s\n%s\n' % (p.secret('nginx ssl_password_file line 1'), p.secret('nginx ssl_password_file line 2'))
    files['/etc/nginx/htpasswd'] = 'alice:{PLAIN}%s\n' % p.secret('nginx htpasswd')
    files['/etc/kolla/nginx/nginx.conf' if layout == 'kolla' else '/etc/nginx/nginx.conf'] = nginx_conf(p, '/etc/nginx/ssl_passwords')
    files['/etc/pki/libvirt/private/serverkey.pem'] = _pem(p, 'libvirt server key file') + '\n'
    files.update(proc_entries(p))
    for path, text in files.items():
        _write(root, path, text)
    return p.tokens


def leaks(text, tokens):
    """``[(token, where)]`` of the planted tokens found in ``text``."""
    return sorted((t, w) for t, w in tokens.items() if t in text)
