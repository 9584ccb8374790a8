# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The option specs of the node gatherer modules, shared by each module (its ARGUMENT_SPEC) and by host_evidence_info
(the options of each channel): libvirt_tls_info (HV_SPEC), storage_network_info (STO_SPEC), rabbitmq_tls_info (MQ_SPEC),
mysql_tls_info (DB_SPEC)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

SSL_MODES = ('preferred', 'disabled', 'required', 'verify_ca', 'verify_identity')
CONTAINER_ENGINES = ('auto', 'docker', 'podman')
CONTAINER_CLIENTS = ('mariadb', 'mysql')

# The connection options every MySQL-speaking module of this collection takes (the
# ``scs.secure_connections.mysql`` doc fragment); a module's ARGUMENT_SPEC is dict(MYSQL_ARGUMENT_SPEC, ...).
MYSQL_ARGUMENT_SPEC = dict(
    login_user=dict(type='str'),
    login_password=dict(type='str', no_log=True),
    login_host=dict(type='str', default='localhost'),
    login_port=dict(type='int', default=3306),
    login_unix_socket=dict(type='path'),
    login_config_file=dict(type='path'),
    connect_timeout=dict(type='int', default=10),
    ssl_mode=dict(type='str', default='preferred', choices=list(SSL_MODES)),
    ca_cert=dict(type='path', aliases=['ssl_ca']),
    client_cert=dict(type='path', aliases=['ssl_cert']),
    client_key=dict(type='path', aliases=['ssl_key'], no_log=False),
    container=dict(type='str'),
    container_engine=dict(type='str', default='auto', choices=list(CONTAINER_ENGINES)),
    container_client=dict(type='str', default='mariadb', choices=list(CONTAINER_CLIENTS)),
)

HV_SPEC = dict(
    root=dict(type='path', default='/'),
    proc_path=dict(type='path', default='/proc'),
    probe=dict(type='bool', default=True),
    timeout=dict(type='float', default=3.0),
    ssh_users=dict(type='list', elements='str', default=['nova', 'root']),
    client_pki_path=dict(type='path'),
    label=dict(type='str', default=''),
    tls_probe_local=dict(type='bool', default=True),
    tls_probe_host=dict(type='str', default=''),
)

STO_SPEC = dict(
    root=dict(type='path', default='/'),
    sys_path=dict(type='path', default='/sys'),
    proc_path=dict(type='path', default='/proc'),
    netns=dict(type='str'),
    route_source=dict(type='str', default='auto', choices=['auto', 'ip', 'proc']),
    traffic_interfaces=dict(type='dict', default={}),
    traffic_addresses=dict(type='dict', default={}),
    config_files=dict(type='list', elements='path', default=[]),
    ceph_conf_files=dict(type='list', elements='path', default=[]),
    storage_node=dict(type='bool'),
    ovs_vsctl_command=dict(type='list', elements='str', default=['ovs-vsctl']),
    ovn_nbctl_command=dict(type='list', elements='str', default=['ovn-nbctl']),
    ovn_nb_db=dict(type='str'),
    timeout=dict(type='int', default=10),
)

MQ_SPEC = dict(
    root=dict(type='path', default='/'),
    config_files=dict(type='list', elements='path'),
    live=dict(type='bool', default=True),
    list_connections=dict(type='bool', default=True),
    max_connections=dict(type='int', default=10000),
    container=dict(type='str'),
    container_engine=dict(type='str', choices=['auto', 'docker', 'podman'], default='auto'),
    cli_path=dict(type='path'),
    cli_env=dict(type='dict', default={}),
    node=dict(type='str'),
    cli_timeout=dict(type='int', default=30),
    amqp_check=dict(type='dict', options=dict(
        host=dict(type='str', required=True),
        port=dict(type='int', required=True),
        tls=dict(type='bool', default=True),
        ca_file=dict(type='path'),
        server_name=dict(type='str'),
        verify=dict(type='bool', default=True),
        check_hostname=dict(type='bool', default=True),
        cert_file=dict(type='path'),
        key_file=dict(type='path'),
        user=dict(type='str'),
        password=dict(type='str', no_log=True),
        vhost=dict(type='str', default='/'),
        timeout=dict(type='int', default=10),
    )),
    tls_probe_host=dict(type='str', default=''),
    tls_node_address=dict(type='str', default=''),
    tls_server_name=dict(type='str', default=''),
    tls_endpoints=dict(type='list', elements='dict', default=[]),
)

DB_SPEC = dict(
    MYSQL_ARGUMENT_SPEC,
    service_accounts=dict(type='list', elements='dict', default=[],
                          options=dict(user=dict(type='str', required=True), host=dict(type='str'), service=dict(type='str'))),
    guess_service_accounts=dict(type='bool', default=True),
    label=dict(type='str'),
    discovery=dict(type='dict'),
    servers=dict(type='list', elements='dict', default=[]),
    query=dict(type='str', choices=['auto', 'always', 'never'], default='auto'),
    groups=dict(type='list', elements='str', default=[]),
    server_groups=dict(type='list', elements='str', default=['control', 'mariadb']),
    root=dict(type='path', default='/'),
    check_client_ca=dict(type='bool', default=True),
    check_ca_in_containers=dict(type='bool', default=True),
    tls_endpoints=dict(type='list', elements='dict', default=[]),
)
