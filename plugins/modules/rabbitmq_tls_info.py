#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: rabbitmq_tls_info
short_description: Gather the TLS configuration and live TLS state of a RabbitMQ node
version_added: 0.1.0
description:
  - Reads the RabbitMQ configuration under O(root) (C(rabbitmq.conf), C(conf.d/*.conf), the classic
    C(rabbitmq.config), C(advanced.config), C(rabbitmq-env.conf), C(enabled_plugins)) and reports the
    AMQP, AMQPS and management listeners and the C(ssl_options) the node runs with, RabbitMQ's defaults
    applied (no C(listeners.tcp) setting means AMQP on port 5672 on every interface).
  - Asks the running node, where it lets us, for its listeners (C(rabbitmq-diagnostics -q listeners
    --formatter json)) and its client connections (C(rabbitmqctl -q list_connections --formatter json)
    with the peer, user, TLS flag, protocol, cipher and the client properties). oslo.messaging names its
    connections C(<process>:<pid>:<uuid>), so each connection is attributed to an OpenStack service
    (C(nova-compute) -> C(nova)) where possible.
  - The CLI tools run with C(LC_ALL=C), a timeout and the environment given in O(cli_env), on the host
    or inside a container (O(container), as with kolla-ansible). A node that is down, a CLI that is
    refused (Erlang cookie, not root) or missing gives RV(live.status=error) with a classified
    error kind in RV(live.error); the module itself does not fail.
  - Optionally proves that a TLS port serves AMQP (O(amqp_check)). The TLS handshake is verified against
    the operator's CA, then the AMQP 0-9-1 protocol header is sent, answered by the broker's C(Connection.Start).
    No credentials are needed for this; with O(amqp_check.user) and O(amqp_check.password) the module
    also logs in over the same TLS settings (needs the C(pika) library).
  - Only observes; never decides pass or fail (the C(conformance_report) evaluator does). No password
    (C(default_pass), the key file password, the AMQP check password) appears in the result.
author:
  - scs.secure_connections contributors (@SovereignCloudStack)
options:
  root:
    description:
      - Directory the configuration files are read from, as if it were C(/) (a config snapshot or a
        fixture tree). Live checks always talk to the running node, whatever O(root) is.
    type: path
    default: /
  config_files:
    description:
      - Configuration files to read (paths inside O(root)); their format is taken from the name
        (C(*.conf) new style, C(advanced.config), other C(*.config) classic, C(rabbitmq-env.conf),
        C(enabled_plugins)).
      - Default the files found in the first of C(/etc/rabbitmq) and C(/etc/kolla/rabbitmq) that holds
        any, plus the files C(rabbitmq-env.conf) points at (C(CONFIG_FILE), C(ADVANCED_CONFIG_FILE)).
    type: list
    elements: path
  live:
    description: Ask the running node (CLI tools). V(false) reports the configuration only.
    type: bool
    default: true
  list_connections:
    description: Also list the client connections (needs O(live)).
    type: bool
    default: true
  max_connections:
    description: At most this many connections are returned (the summary counts all of them).
    type: int
    default: 10000
  container:
    description:
      - Name of the container the node runs in (kolla-ansible C(rabbitmq)); the CLI tools are then run
        with C(docker exec) or C(podman exec), O(cli_env) passed as C(-e) variables.
    type: str
  container_engine:
    description: Container engine for O(container); V(auto) takes C(docker), then C(podman).
    type: str
    choices: [auto, docker, podman]
    default: auto
  cli_path:
    description:
      - Directory holding C(rabbitmqctl) and C(rabbitmq-diagnostics). Default C(/usr/lib/rabbitmq/bin) when
        O(cli_env) sets C(HOME) (the C(/usr/sbin) wrappers reset C(HOME)), else C(PATH), C(/usr/sbin),
        C(/usr/lib/rabbitmq/bin), C(/usr/local/sbin), C(/opt/rabbitmq/sbin).
    type: path
  cli_env:
    description:
      - Environment variables for the CLI tools, for nodes with a non-default setup, for example
        C(HOME) (the directory holding the C(.erlang.cookie) the node uses), C(RABBITMQ_NODENAME),
        C(ERL_EPMD_PORT), C(RABBITMQ_CONF_ENV_FILE). Only the variable names are returned.
      - Do not put the Erlang cookie itself here; point C(HOME) at its directory instead.
    type: dict
    default: {}
  node:
    description: Node name passed to the CLI tools with C(-n) (default their own, usually C(rabbit@<hostname>)).
    type: str
  cli_timeout:
    description: Seconds each CLI call may take before it is killed (reported as RV(live.error) kind C(timeout)).
    type: int
    default: 30
  amqp_check:
    description: Prove that an AMQP port serves AMQP over TLS (see the description). Omit to skip.
    type: dict
    suboptions:
      host:
        description: Address to connect to.
        type: str
        required: true
      port:
        description: Port to connect to (the AMQPS listener, usually 5671).
        type: int
        required: true
      tls:
        description: Speak TLS first (V(false) checks a plain AMQP port).
        type: bool
        default: true
      ca_file:
        description: CA bundle the broker certificate must chain to (default the system trust store).
        type: path
      server_name:
        description: Name sent as SNI and checked against the certificate (default O(amqp_check.host)).
        type: str
      verify:
        description: Verify the broker certificate. V(false) still proves TLS + AMQP but not the identity.
        type: bool
        default: true
      check_hostname:
        description: Check the certificate against O(amqp_check.server_name).
        type: bool
        default: true
      cert_file:
        description: Client certificate, for brokers with C(fail_if_no_peer_cert = true).
        type: path
      key_file:
        description: Key of O(amqp_check.cert_file).
        type: path
      user:
        description: With O(amqp_check.password), also log in as this user (needs C(pika)).
        type: str
      password:
        description: Password of O(amqp_check.user). Never returned.
        type: str
      vhost:
        description: Virtual host for the login.
        type: str
        default: /
      timeout:
        description:
          - Overall bound of the AMQP check in seconds (name resolution, connect, TLS handshake, protocol header and
            answer, each socket operation gets what is left); the login check (pika, with socket, stack and
            blocked-connection timeouts of this value) ends within 3 times this.
        type: int
        default: 10
  tls_probe_host:
    description: Host every AMQPS and management HTTPS listener of RV(tls_probe_targets) is probed on, instead of its address.
    type: str
    default: ''
  tls_node_address:
    description:
      - Address a listener on all interfaces is probed on (the probe may run on another host); empty probes it on loopback.
    type: str
    default: ''
  tls_server_name:
    description: SNI name sent by the probes of RV(tls_probe_targets).
    type: str
    default: ''
  tls_endpoints:
    description: More endpoints to probe, appended to RV(tls_probe_targets) as given.
    type: list
    elements: dict
    default: []
requirements:
  - The RabbitMQ CLI tools on the host or in O(container), for the live part.
  - pika (Python library), only for the login of O(amqp_check).
extends_documentation_fragment:
  - scs.secure_connections.attributes
attributes:
  check_mode:
    details: Read-only; runs the same way in check mode.
notes:
  - "Time bound: each CLI call at most O(cli_timeout); the AMQP check at most O(amqp_check.timeout) overall and its
    login at most 3 x O(amqp_check.timeout), so a broker that hangs or trickles mid-handshake gives a C(timeout) error in time."
  - The CLI tools must run as root or as the C(rabbitmq) user (they read the node's Erlang cookie).
  - C(rabbitmq-diagnostics listeners) prints the management listener's interface as C([::]) even when it
    is bound to one address; the configuration (RV(config.listeners)) has the configured address.
seealso:
  - module: scs.secure_connections.tls_endpoint_info
    description: Probes the AMQPS and management TLS ports against Mozilla's guidelines.
  - name: RabbitMQ TLS support
    description: Listeners, ssl_options and peer verification.
    link: https://www.rabbitmq.com/docs/ssl
  - name: oslo.messaging RabbitMQ driver options
    description: The client side ([oslo_messaging_rabbit] ssl, ssl_ca_file).
    link: https://docs.openstack.org/oslo.messaging/latest/configuration/opts.html
"""

EXAMPLES = r"""
- name: RabbitMQ TLS evidence of a distro installation (CLI tools via the /usr/sbin wrappers)
  scs.secure_connections.rabbitmq_tls_info:
  become: true
  register: mq

- name: kolla-ansible node (CLI tools inside the rabbitmq container, host-side config)
  scs.secure_connections.rabbitmq_tls_info:
    container: rabbitmq
    config_files:
      - /etc/kolla/rabbitmq/rabbitmq.conf
      - /etc/kolla/rabbitmq/advanced.config
      - /etc/kolla/rabbitmq/enabled_plugins
  become: true
  register: mq

- name: A node with its own HOME, node name and epmd port; prove AMQPS with the operator CA
  scs.secure_connections.rabbitmq_tls_info:
    cli_env:
      HOME: /srv/mq/home
      RABBITMQ_NODENAME: mq1@localhost
      ERL_EPMD_PORT: "4370"
    amqp_check:
      host: mq1.example.net
      port: 5671
      ca_file: /etc/ssl/private-ca.pem
  register: mq

- name: Configuration snapshot only (no live node), delegated to the controller
  scs.secure_connections.rabbitmq_tls_info:
    root: /srv/snapshots/ctl1
    live: false
  delegate_to: localhost
"""

RETURN = r"""
tls_probe_targets:
  description:
    - TLS probes for M(scs.secure_connections.tls_endpoint_info) - the AMQPS (C(amqp/ssl)) and management HTTPS listeners of
      RV(listeners) (C(label) V(rabbitmq amqps) or V(rabbitmq management https)), only when O(root) is C(/) (the addresses of a
      snapshot name production hosts), then O(tls_endpoints).
  returned: always
  type: list
  elements: dict
  sample: [{host: 10.0.0.5, port: 5671, label: rabbitmq amqps}]
present:
  description: A RabbitMQ broker was found (configuration files, or a node answering or refusing the CLI).
  returned: always
  type: bool
  sample: true
root:
  description: The O(root) the configuration was read from.
  returned: always
  type: str
  sample: /
node:
  description: Node name (from the live node, O(node), O(cli_env) or C(rabbitmq-env.conf)).
  returned: always
  type: str
  sample: rabbit@ctl1
listeners:
  description:
    - The listeners to judge, from the live node when it answered, else from the configuration.
    - C(protocol) is C(amqp), C(amqp/ssl), C(http), C(https), C(clustering), C(mqtt) ...; C(address) C(null)
      means every interface.
  returned: always
  type: list
  elements: dict
  sample: [{protocol: amqp/ssl, address: 10.0.0.11, port: 5671, loopback: false, all_interfaces: false, source: live}]
listeners_source:
  description: Where RV(listeners) came from, V(live), V(config) or V(null) (neither).
  returned: always
  type: str
  sample: live
config:
  description: The configuration as read and merged.
  returned: always
  type: dict
  contains:
    found:
      description: At least one configuration file was read.
      type: bool
      sample: true
    files:
      description: Each file read, with its format and its own parse errors.
      type: list
      elements: dict
      sample: [{file: /etc/rabbitmq/rabbitmq.conf, format: conf, errors: []}]
    errors:
      description: Unreadable files and parse errors (C(file), C(line), C(message)); a malformed file stops RabbitMQ from starting.
      type: list
      elements: dict
      sample: [{file: /etc/rabbitmq/rabbitmq.conf, line: 7, message: 'not a "key = value" line (ignored): listeners.ssl'}]
    notes:
      description: Remarks (for example an env file pointing at a path inside a container).
      type: list
      elements: str
      sample: []
    other_config_dirs:
      description: Other directories that also hold RabbitMQ configuration (not merged).
      type: list
      elements: str
      sample: []
    defaults:
      description:
        - C(null), or why the node of a snapshot O(root) runs on RabbitMQ's defaults - the rabbitmq-server package is installed
          (its unit or init script under O(root)) and there is no C(rabbitmq.conf), C(rabbitmq.config) or C(advanced.config)
          (Debian's package ships none). A live node is asked instead. C(found) is then true and C(listeners) hold the
          default plain AMQP listener (5672, every interface).
      type: str
      sample: "rabbitmq-server is installed (/lib/systemd/system/rabbitmq-server.service) with no rabbitmq.conf, ..."
    env:
      description: Selected settings of C(rabbitmq-env.conf) (node name, ports, config paths).
      type: dict
      sample: {NODENAME: rabbit@ctl1, ERL_EPMD_PORT: "4369"}
    plugins:
      description: Enabled plugins from C(enabled_plugins), C(null) when that file was not read.
      type: list
      elements: str
      sample: [rabbitmq_management]
    listeners:
      description: Listeners as configured, RabbitMQ defaults applied (C(source) V(config) or V(default)).
      type: list
      elements: dict
      sample: [{protocol: amqp, address: null, port: 5672, loopback: false, all_interfaces: true, source: default}]
    ssl_options:
      description: The C(ssl_options) (C(cacertfile), C(certfile), C(keyfile), C(verify), C(fail_if_no_peer_cert), C(versions), C(ciphers) ...).
      type: dict
      sample: {cacertfile: /etc/rabbitmq/ca.pem, verify: verify_peer, fail_if_no_peer_cert: true, versions: [tlsv1.3, tlsv1.2]}
    management:
      description: Management listener settings (C(tcp), C(ssl)) and whether the plugin is enabled (C(plugin_enabled), C(null) = unknown).
      type: dict
      sample: {ssl: {port: 15671, ip: 10.0.0.11}, plugin_enabled: true}
    tcp_listeners_disabled:
      description: The plain AMQP listener is switched off (C(listeners.tcp = none)); C(null) without configuration.
      type: bool
      sample: true
live:
  description: What the running node said.
  returned: always
  type: dict
  contains:
    status:
      description:
        - V(ok), V(error) or V(skipped) (O(live=false), or O(root) other than C(/) - a snapshot, whose broker is not the
          auditing host's; C(reason) says which).
      type: str
      sample: ok
    snapshot:
      description:
        - True when the status is V(skipped) because O(root) is a snapshot (its configured TLS listeners are then targets
          of scs-0125-tls-mozilla, "configured, not probed"); only returned with V(skipped).
      type: bool
      sample: true
    error:
      description:
        - C(null) or C({kind, message}); C(kind) is V(node_down), V(permission) (Erlang cookie mismatch, not
          root/rabbitmq), V(cli_missing), V(timeout), V(unsupported) or V(cli_error).
      type: dict
      sample: {kind: node_down, message: "the RabbitMQ node rabbit@ctl1 is not running or not reachable: epmd reports: node 'rabbit' not running at all"}
    node:
      description: Node name the CLI reached.
      type: str
      sample: rabbit@ctl1
    tool:
      description: Path of the CLI tool used (C(null) inside a container).
      type: str
      sample: /usr/sbin/rabbitmq-diagnostics
    container:
      description: O(container), if any.
      type: str
      sample: rabbitmq
    listeners:
      description: Listeners of the node (C(protocol), C(address), C(port), C(purpose), C(node), C(loopback), C(all_interfaces)).
      type: list
      elements: dict
      sample: [{protocol: amqp/ssl, address: 10.0.0.11, port: 5671, purpose: AMQP 0-9-1 and AMQP 1.0 over TLS, loopback: false}]
    connections:
      description:
        - C(status) (V(ok), V(error), V(skipped)), C(error), C(columns) asked for, C(truncated), C(items) and
          C(summary) (C(total), C(tls), C(plain), C(clients) grouped by client and peer host).
        - Each item has C(name), C(user), C(vhost), C(peer_host), C(peer_port), C(host), C(port), C(ssl),
          C(ssl_protocol), C(ssl_cipher), C(protocol), C(auth_mechanism), C(peer_cert_subject), C(state),
          C(connection_name), C(client_product), C(process), C(pid), C(component), C(service), C(peer_loopback).
      type: dict
      sample:
        status: ok
        summary: {total: 2, tls: 1, plain: 1, clients: [{client: nova-compute, service: nova, peer_host: 10.0.0.21, tls: 0, plain: 1}]}
        items: [{name: '10.0.0.21:41122 -> 10.0.0.11:5672', user: openstack, ssl: false, connection_name: 'nova-compute:7:2b1e', service: nova}]
amqp_check:
  description:
    - C(status) V(ok) / V(error) / V(skipped); C(host), C(port), C(tls), C(server_name), C(verified),
      C(tls_version), C(cipher), C(amqp_version) (C(0-9)), C(server) (C(product), C(version), C(cluster_name)),
      C(mechanisms), C(error) (C(kind) V(refused), V(timeout), V(dns), V(certificate), V(tls), V(not_tls),
      V(not_amqp), V(protocol), V(internal)) and C(login) (C(status), C(user), C(vhost), C(error)) when credentials were given.
  returned: always
  type: dict
  sample: {status: ok, host: mq1.example.net, port: 5671, tls: true, verified: true, tls_version: TLSv1.3, server: {product: RabbitMQ, version: 3.10.8}}
cli_env_keys:
  description: Names of the O(cli_env) variables used (values are not returned).
  returned: always
  type: list
  elements: str
  sample: [ERL_EPMD_PORT, HOME, RABBITMQ_NODENAME]
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.scs.secure_connections.plugins.module_utils._core.sanitize import clean
from ansible_collections.scs.secure_connections.plugins.module_utils._core.optional import OptionalLibrary
from ansible_collections.scs.secure_connections.plugins.module_utils._core.secrets import secret_values
from ansible_collections.scs.secure_connections.plugins.module_utils._gather.rabbitmq import gather
from ansible_collections.scs.secure_connections.plugins.module_utils._gather.tls_targets import rabbitmq_probe_targets
from ansible_collections.scs.secure_connections.plugins.module_utils._gather.specs import MQ_SPEC as ARGUMENT_SPEC

PIKA = OptionalLibrary('pika', 'pika')


def main():
    module = AnsibleModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    module.no_log_values.update(secret_values(module.params.get('cli_env')))  # e.g. RABBITMQ_ERLANG_COOKIE, -setcookie
    check = module.params.get('amqp_check') or {}
    if check.get('user') and check.get('password') is not None:
        PIKA.fail_json_if_missing(module)
    if module.params['cli_timeout'] < 1 or module.params['max_connections'] < 0:
        module.fail_json(msg='cli_timeout must be at least 1 and max_connections not negative')
    params = module.params
    result = gather(params, pika_available=PIKA.found, module=module)
    # listener addresses of a configuration snapshot name production hosts: never probe them
    listeners = result.get('listeners') if (params['root'] or '/').rstrip('/') == '' else []
    result['tls_probe_targets'] = rabbitmq_probe_targets(listeners, params['tls_probe_host'], params['tls_node_address'],
                                                         params['tls_server_name']) + params['tls_endpoints']
    module.exit_json(changed=False, **clean(result))


if __name__ == '__main__':
    main()
