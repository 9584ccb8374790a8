#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: mysql_tls_info
short_description: Read the TLS configuration, account TLS requirements and Galera encryption of a MySQL / MariaDB server
version_added: 0.1.0
description:
  - Logs in to a MySQL or MariaDB server (PyMySQL over a unix socket or TCP, or the C(mariadb)/C(mysql) client inside a container)
    and returns what the database channel of scs-0125-v1 needs, without judging it.
  - Server TLS (C(have_ssl), C(ssl_*), C(tls_version)), C(require_secure_transport), the TLS version and cipher of the audit's own
    session (C(Ssl_version), C(Ssl_cipher)), every account with its C(ssl_type) and X.509 requirements, which accounts OpenStack
    services use, Galera C(wsrep_provider_options) C(socket.ssl*) and the SST method.
  - "Least privilege: everything except the account list needs only a login (C(USAGE)): C(CREATE USER 'audit'@'localhost' IDENTIFIED BY '...')."
  - "The account list needs C(GRANT SELECT ON mysql.global_priv TO 'audit'@'localhost') on MariaDB 10.4 and later
    (C(SELECT ON mysql.user) on MySQL and older MariaDB). Without it the module returns the rest and lists
    the account list under RV(unreadable) with the reason."
  - A server that cannot be reached or asked (wrong password, server down, not a MySQL server, timeout, TLS failure) is not a
    module failure; the result has RV(status=error) and RV(error) with the kind and message, so an audit carries on.
  - The password never appears in the result or in messages.
author:
  - scs.secure_connections contributors (@SovereignCloudStack)
extends_documentation_fragment:
  - scs.secure_connections.mysql
options:
  service_accounts:
    description:
      - Accounts OpenStack services use, to mark them in RV(accounts) and report them in RV(service_accounts).
      - The audit role passes the users of the database URLs that discovery found on all audited hosts.
      - C(host) is the account's host part (the C(%) in C('nova'@'%')), not the database server; omitted, every account of the user matches.
    type: list
    elements: dict
    default: []
    suboptions:
      user:
        description: Database user name.
        type: str
        required: true
      host:
        description: Host part of the account.
        type: str
      service:
        description: OpenStack service using the account (default the user name).
        type: str
  guess_service_accounts:
    description:
      - When O(service_accounts) is empty, mark accounts whose user name is a known OpenStack service user
        (C(nova), C(nova_api), C(keystone), C(glance) ...) as service accounts.
    type: bool
    default: true
  label:
    description: Free text passed through to RV(label) (the audit role uses it to pair the server with its TLS probe).
    type: str
attributes:
  check_mode:
    description: Can run in check_mode and return changed status prediction without modifying target.
    support: full
    details: Only reads; runs the same in check mode.
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in check_mode), when in diff mode.
    support: none
notes:
  - Over a unix socket PyMySQL does not use TLS, so C(session.tls) is V(false) there; the server's TLS configuration is read all the same.
    The MariaDB client in a container does use TLS over its socket when the server has it.
  - The C([sst]) TLS options of Galera live in my.cnf, not in server variables; C(galera.sst) says so and
    M(scs.secure_connections.openstack_config_info) reads them.
seealso:
  - module: scs.secure_connections.tls_endpoint_info
    description: Probes the database port's TLS (C(starttls=mysql)) against the Mozilla guidelines.
  - module: scs.secure_connections.openstack_config_info
    description: Finds the services' database URLs and the server's option files.
  - name: OpenStack Security Guide, database transport security
    description: The background of the database controls.
    link: https://docs.openstack.org/security-guide/databases/database-transport-security.html
"""

EXAMPLES = r"""
- name: Read TLS settings over the local socket with an audit account
  scs.secure_connections.mysql_tls_info:
    login_unix_socket: /run/mysqld/mysqld.sock
    login_user: audit
    login_password: "{{ audit_db_password }}"
  register: db

- name: Same, credentials from an option file ([client] user= / password=)
  scs.secure_connections.mysql_tls_info:
    login_config_file: /root/.audit.my.cnf
    login_host: 10.0.0.10
    connect_timeout: 5

- name: kolla-ansible - run the client inside the mariadb container
  scs.secure_connections.mysql_tls_info:
    container: mariadb
    login_user: root
    login_password: "{{ database_password }}"
    service_accounts:
      - {user: nova, service: nova}
      - {user: keystone, host: "%", service: keystone}

- name: From the controller, verifying the server certificate
  scs.secure_connections.mysql_tls_info:
    login_host: db.example.net
    login_user: audit
    login_password: "{{ audit_db_password }}"
    ssl_mode: verify_identity
    ca_cert: /etc/ssl/certs/db-ca.pem
  delegate_to: localhost
"""

RETURN = r"""
status:
  description: V(ok) when the server was asked, V(error) when it could not be reached or asked (see RV(error)).
  returned: always
  type: str
  sample: ok
error:
  description: Why the server could not be asked; null when RV(status=ok).
  returned: always
  type: dict
  sample: {kind: auth, message: "Access denied for user 'audit'@'127.0.0.1' (using password: YES)"}
  contains:
    kind:
      description: >-
        One of V(auth), V(refused), V(timeout), V(dns), V(unreachable), V(not_mysql), V(tls), V(tls_required), V(privilege),
        V(config), V(container), V(client), V(internal).
      type: str
      sample: auth
    message:
      description: What happened, without secrets.
      type: str
      sample: "Access denied for user 'audit'@'127.0.0.1' (using password: YES)"
label:
  description: O(label) as given.
  returned: always
  type: str
  sample: mariadb@ctl1
connection:
  description: How the server was reached (no secrets).
  returned: always
  type: dict
  sample: {method: tcp, host: 127.0.0.1, port: 3306, unix_socket: null, container: null, user: audit, config_file: null, ssl_mode: preferred}
server:
  description: Server version and flavour (V(mariadb), V(mysql) or V(percona)).
  returned: when status is ok
  type: dict
  sample: {version: 10.11.19-MariaDB-0+deb12u1, version_comment: Debian 12, flavour: mariadb, version_number: 10.11.19}
current_user:
  description: The account the server authenticated the audit as (C(CURRENT_USER())).
  returned: when status is ok
  type: str
  sample: audit@localhost
have_ssl:
  description: C(have_ssl) (V(YES), V(DISABLED) = compiled in but no certificate configured, V(NO)); null if the server has no such variable.
  returned: always
  type: str
  sample: "YES"
ssl:
  description: The server's C(ssl_*) variables and C(version_ssl_library).
  returned: always
  type: dict
  sample: {ssl_ca: /etc/mysql/ca.pem, ssl_capath: "", ssl_cert: /etc/mysql/server.pem, ssl_key: /etc/mysql/server.key, ssl_cipher: "",
           ssl_crl: "", ssl_crlpath: "", version_ssl_library: OpenSSL 3.0.15 3 Sep 2024}
tls_version:
  description: The server's C(tls_version) variable as set.
  returned: always
  type: str
  sample: TLSv1.2,TLSv1.3
tls_versions:
  description: RV(tls_version) as a list.
  returned: always
  type: list
  elements: str
  sample: [TLSv1.2, TLSv1.3]
require_secure_transport:
  description: C(require_secure_transport); null when the server has no such variable.
  returned: always
  type: bool
  sample: false
port:
  description: The server's C(port) variable.
  returned: always
  type: int
  sample: 3306
bind_address:
  description: The server's C(bind_address) variable.
  returned: always
  type: str
  sample: 10.0.0.10
skip_networking:
  description: C(skip_networking) (true = no TCP listener).
  returned: always
  type: bool
  sample: false
session:
  description: The audit session's own transport; C(ssl_version)/C(ssl_cipher) from C(SHOW SESSION STATUS).
  returned: when status is ok
  type: dict
  sample: {transport: tcp, tls: true, ssl_version: TLSv1.3, ssl_cipher: TLS_AES_256_GCM_SHA384}
accounts:
  description:
    - Every account (roles left out) with its TLS requirement; null when the account list could not be read (see RV(unreadable)).
    - C(ssl_type) is V(NONE), V(ANY) (C(REQUIRE SSL)), V(X509) or V(SPECIFIED) (C(REQUIRE SUBJECT/ISSUER/CIPHER));
      C(ssl_type_raw) as stored (MariaDB C(mysql.global_priv) JSON numbers 0-3, or absent for accounts never given a C(REQUIRE)).
    - C(services) lists the OpenStack services using the account; C(service_match) says why (V(declared) or V(name)).
  returned: always
  type: list
  elements: dict
  sample:
    - {user: nova, host: "%", ssl_type: ANY, ssl_type_raw: "1", ssl_cipher: "", x509_issuer: "", x509_subject: "",
       plugin: mysql_native_password, locked: false, role: false, services: [nova], service_match: declared}
accounts_source:
  description: Where the account list was read (V(mysql.global_priv) or V(mysql.user)).
  returned: always
  type: str
  sample: mysql.global_priv
service_accounts:
  description: O(service_accounts) with C(found) (null when the account list was unreadable) and the matching C(accounts).
  returned: always
  type: list
  elements: dict
  sample: [{user: nova, host: null, service: nova, found: true, accounts: ["'nova'@'%'"]}]
galera:
  description:
    - Galera settings; null for a server without wsrep variables. C(socket_tls) is the group communication (and IST) TLS derived
      from C(provider_options) C(socket.ssl*) and C(gmcast.listen_addr).
    - C(sst) says that the SST TLS options are not server variables.
  returned: always
  type: dict
  sample:
    wsrep_on: true
    provider: /usr/lib/galera/libgalera_smm.so
    enabled: true
    cluster_name: openstack
    cluster_address: gcomm://10.0.0.10,10.0.0.11,10.0.0.12
    cluster_size: 3
    cluster_status: Primary
    provider_options: {socket.ssl: "YES", socket.ssl_cert: /etc/mysql/server.pem, gmcast.listen_addr: "ssl://0.0.0.0:4567"}
    socket_tls: {enabled: true, reason: "gmcast.listen_addr is ssl://0.0.0.0:4567", settings: {socket.ssl: "YES"}}
    ssl_mode: null
    sst_method: mariabackup
    sst: {readable: false, reason: "the SST script reads its TLS options ... from my.cnf; they are not server variables"}
unreadable:
  description: What could not be read, and why (missing privilege, variable unknown to this server version).
  returned: always
  type: list
  elements: dict
  sample: [{what: accounts, reason: "mysql.global_priv: ERROR 1142: SELECT command denied ... (needed: GRANT SELECT ON mysql.global_priv TO <audit user>)"}]
variables:
  description: Every server variable read (never C(wsrep_sst_auth)).
  returned: always
  type: dict
  sample: {have_ssl: "YES", tls_version: "TLSv1.2,TLSv1.3", port: "3306", wsrep_on: "OFF"}
"""

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ansible_collections.scs.secure_connections.plugins.module_utils._gather.mysql import (
    HAS_PYMYSQL,
    PYMYSQL_IMPORT_ERROR,
    gather,
    make_backend,
    mysql_common_argument_spec,
)


def main():
    argument_spec = mysql_common_argument_spec()
    argument_spec.update(
        service_accounts=dict(type='list', elements='dict', default=[],
                              options=dict(user=dict(type='str', required=True), host=dict(type='str'), service=dict(type='str'))),
        guess_service_accounts=dict(type='bool', default=True),
        label=dict(type='str'),
    )
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True)
    params = module.params
    if not params['container'] and not HAS_PYMYSQL:
        module.fail_json(msg=missing_required_lib('PyMySQL'), exception=PYMYSQL_IMPORT_ERROR)
    result = gather(make_backend(params, which=module.get_bin_path, module=module), params, service_accounts=params['service_accounts'],
                    guess_service_accounts=params['guess_service_accounts'], label=params['label'])
    module.exit_json(changed=False, **result)


if __name__ == '__main__':
    main()
