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
  - scs.secure_connections.attributes
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
    description:
      - Free text passed through to RV(label) (the audit role uses it to pair the server with its TLS probe).
      - In channel mode (O(discovery) or O(servers) given) the name of the audited host; a server without its own
        C(label) is labelled C(<label>/<container, socket or host:port>).
    type: str
  discovery:
    description:
      - Channel mode, as the audit role's database channel uses it - the result of M(scs.secure_connections.openstack_config_info)
        on this host. The module then chooses the servers to ask itself (O(servers), else with O(container=auto) the kolla
        container C(mariadb) when discovery found a kolla layout and a server listener, else the local server socket, else the
        discovered MariaDB/MySQL listener, wildcard binds on loopback, else C(localhost:3306)) when O(query) says so, and checks
        the C(ssl_ca) files of the discovered database URLs.
      - In channel mode the result holds RV(query), RV(servers), RV(tls_probe_targets) and RV(client_ca_files) instead of one server's fields.
    type: dict
  servers:
    description:
      - Channel mode - the servers to ask, each with the connection options of this module (O(login_host), O(login_port),
        O(login_unix_socket), O(container), O(login_user), O(login_password), ...) and a C(label). O(login_user),
        O(login_password), O(login_config_file), O(connect_timeout), O(ssl_mode), O(ca_cert) and O(container_engine) not set
        in an item come from the module's own options. Their passwords are kept out of the result and the logs like O(login_password).
    type: list
    elements: dict
    default: []
  query:
    description:
      - Channel mode - whether this host asks a server. V(auto) when it is in one of O(server_groups), or discovery found a
        MariaDB/MySQL listener or server option file; V(always); V(never). O(servers) given means always; a O(root) other
        than C(/) (a snapshot) means never.
    type: str
    choices: [auto, always, never]
    default: auto
  groups:
    description: Channel mode - the inventory groups of this host (C(group_names)).
    type: list
    elements: str
    default: []
  server_groups:
    description: Channel mode - inventory groups whose hosts ask their database server (O(query=auto)).
    type: list
    elements: str
    default: [control, mariadb]
  root:
    description: Channel mode - root of the file system discovery read (the C(ssl_ca) files are looked up below it).
    type: path
    default: /
  check_client_ca:
    description: Channel mode - check that the C(ssl_ca) / C(sslrootcert) files of the discovered database URLs exist.
    type: bool
    default: true
  check_ca_in_containers:
    description: Channel mode - for kolla services check those files inside the service's container, as its user (live root only).
    type: bool
    default: true
  tls_endpoints:
    description: Channel mode - more database endpoints to probe, appended to RV(tls_probe_targets) (C(starttls=mysql), C(source=declared)).
    type: list
    elements: dict
    default: []
attributes:
  check_mode:
    details: Only reads; runs the same in check mode.
notes:
  - "Time bound: PyMySQL connects, reads and writes with O(connect_timeout) per socket operation, and the whole
    conversation of one server (connect, TLS, login, queries) ends within 3 x O(connect_timeout) (a daemon thread
    joined with that deadline), so a server that trickles its answers gives RV(error.kind=timeout) in time. The
    database client in a container (O(container)) is killed after O(connect_timeout) + 30 s."
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
query:
  description: Channel mode - whether this host asked a server, and why.
  returned: in channel mode
  type: dict
  sample: {enabled: true, reason: member of group control}
servers:
  description:
    - Channel mode - one result per server asked, each with the fields this module returns for one server (RV(status),
      RV(label), RV(connection), RV(accounts), ...); a server the module could not ask at all has C(error.kind=module).
  returned: in channel mode
  type: list
  elements: dict
tls_probe_targets:
  description:
    - Channel mode - TLS probes for M(scs.secure_connections.tls_endpoint_info), one per asked server with a TCP port (C(starttls=mysql),
      the server's C(label), wildcard binds on loopback), then O(tls_endpoints).
  returned: in channel mode
  type: list
  elements: dict
  sample: [{host: 127.0.0.1, port: 3306, starttls: mysql, label: ctl1/mariadb, source: db}]
client_ca_files:
  description:
    - Channel mode - the C(ssl_ca) files of the discovered database URLs, each C({path, container, where, exists, is_file, readable, error}).
  returned: in channel mode
  type: list
  elements: dict
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

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.scs.secure_connections.plugins.module_utils._core.sanitize import clean
from ansible_collections.scs.secure_connections.plugins.module_utils._gather.db_channel import channel, check_servers
from ansible_collections.scs.secure_connections.plugins.module_utils._gather.mysql import (
    PYMYSQL,
    gather,
    make_backend,
)
from ansible_collections.scs.secure_connections.plugins.module_utils._gather.specs import DB_SPEC as ARGUMENT_SPEC


def main():
    module = AnsibleModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    params = module.params
    check_servers(module)
    if params['discovery'] is not None or params['servers']:
        module.exit_json(changed=False, **clean(channel(module)))
    if not params['container']:
        PYMYSQL.fail_json_if_missing(module)
    result = gather(make_backend(params, which=module.get_bin_path, module=module), params, service_accounts=params['service_accounts'],
                    guess_service_accounts=params['guess_service_accounts'], label=params['label'])
    module.exit_json(changed=False, **clean(result))


if __name__ == '__main__':
    main()
