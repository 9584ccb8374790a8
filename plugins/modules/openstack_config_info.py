#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
---
module: openstack_config_info
short_description: Discover the OpenStack deployment layout, service settings, infrastructure configs and listeners of a node
version_added: 0.1.0
description:
  - Read-only discovery that every channel of the Secure Connections audit builds on.
  - Detects every deployment layout present (kolla-ansible, OpenStack-Ansible, distribution packages); a node may have several.
  - Finds each OpenStack service's configuration (C(/etc/kolla/<component>/<service>.conf), C(/etc/<service>/<service>.conf),
    C(--config-file)/C(--config-dir) from kolla's C(config.json) or systemd units, C(<service>.conf.d) fragments, LXC container
    root file systems) and reads it with oslo.config semantics (sections, repeated keys, later files win, deprecated names).
  - Extracts database URLs, transport URLs, C([oslo_messaging_rabbit]), C([oslo_messaging_kafka]) and C([oslo_messaging_amqp]) TLS
    options, URLs of other APIs with C(insecure)/C(cafile), and nova's C([libvirt]) migration options.
  - Parses infrastructure configuration (MariaDB/Galera C(my.cnf) with includes, RabbitMQ C(rabbitmq.conf) and Erlang-term configs,
    libvirt daemon configs, socket units and defaults, C(qemu.conf), C(ceph.conf), Kafka C(server.properties), HAProxy and nginx)
    into structured evidence.
  - Lists every listening TCP socket from C(/proc/net/tcp) and C(/proc/net/tcp6) with its process and container where readable.
  - Never decides pass or fail. Passwords inside URLs and values of secret options are masked before anything is returned.
  - A file that cannot be read or parsed gives an entry in the C(errors) list of its service or file, never a failure of the module.
    Every entry is C({file, message, kind}); C(kind) is C(unreadable) (permission, dangling link, size limit), C(undecodable)
    (not UTF-8, NUL bytes), C(parse) (a line the parser could not take, e.g. a truncated file), C(include_loop),
    C(unreadable_dir) (a configuration directory that cannot be listed), C(internal), C(root) (the root does not exist)
    or C(listeners) (the sockets were not read; a note, not an input error). The rules turn an input error of a file a
    verdict depends on into an C(error) finding.
author:
  - scs.secure_connections contributors (@SovereignCloudStack)
options:
  root:
    description:
      - Directory to audit as if it were C(/) (a configuration snapshot, a support bundle, a container's file system, a fixture tree).
      - Symbolic links inside it are resolved inside it.
    type: path
    default: /
  gather:
    description:
      - What to gather.
    type: list
    elements: str
    choices: [layout, services, infrastructure, listeners]
    default: [layout, services, infrastructure, listeners]
  services:
    description:
      - Limit C(services) to these OpenStack project names (for example V(nova), V(neutron)). Default is every service found.
    type: list
    elements: str
  proc_path:
    description:
      - The C(/proc) to read listeners from.
      - Defaults to V(/proc) when O(root) is V(/), to C(<root>/proc) when that holds C(net/tcp); otherwise listeners are not gathered
        (the live sockets of the auditing machine would not describe a snapshot) and C(errors) says so.
    type: path
  max_file_size:
    description:
      - Files larger than this many bytes are not parsed; they give an error entry instead.
    type: int
    default: 4194304
  certificates:
    description:
      - Also list the deployment's certificate files (the certificate inventory of the report) in RV(certificates).
      - Searched are C(/etc/kolla) (C(certificates/), C(config/) overrides, service directories), C(/etc/openstack_deploy/pki),
        C(/etc/ssl/certs) (without the system trust store's links and bundles), C(/etc/ssl/private), C(/etc/haproxy) and
        libvirt's and QEMU's C(/etc/pki) directories, or O(certificate_paths).
      - Private keys are never read into the result; a C(*.key) file is listed with its permissions only.
    type: bool
    default: true
  certificate_paths:
    description:
      - Directories to search for certificate files instead of the defaults (three levels deep).
    type: list
    elements: path
  certificate_max_files:
    description:
      - At most this many certificate and key files are listed (C(truncated) in RV(certificates) says when there were more);
        each is read up to 262144 bytes and up to 20 certificates.
    type: int
    default: 200
extends_documentation_fragment:
  - scs.secure_connections.attributes
attributes:
  check_mode:
    details: Read-only; runs the same in check mode.
notes:
  - Only the Python standard library is needed on the node.
  - Run as root to see every configuration file and every socket owner; as another user unreadable files are reported in C(errors).
seealso:
  - name: Discovery evidence reference
    description: Every key of the result and the parser API for other gatherers.
    link: https://github.com/SovereignCloudStack/scs-secure-connections/blob/main/docs/discovery.md
  - name: oslo.config configuration files
    description: How OpenStack services read their configuration.
    link: https://docs.openstack.org/oslo.config/latest/configuration/format.html
'''

EXAMPLES = r'''
- name: Discover this node
  scs.secure_connections.openstack_config_info:
  register: discovery

- name: Audit a configuration snapshot copied to the controller
  scs.secure_connections.openstack_config_info:
    root: /srv/snapshots/compute1
    gather: [layout, services, infrastructure]
  delegate_to: localhost
  register: snapshot

- name: Only nova and neutron settings
  scs.secure_connections.openstack_config_info:
    gather: [services]
    services: [nova, neutron]
  register: compute_services

- name: Show database URLs without TLS CA
  ansible.builtin.debug:
    msg: "{{ item.service }} {{ item.component }}: {{ item.database_urls | rejectattr('query.ssl_ca', 'defined') | map(attribute='url') }}"
  loop: "{{ discovery.services }}"
'''

RETURN = r'''
root:
  description: The tree that was audited.
  returned: always
  type: str
  sample: /
gathered:
  description: The parts that were gathered (O(gather)).
  returned: always
  type: list
  elements: str
  sample: [layout, services, infrastructure, listeners]
layouts:
  description: Every deployment layout found, with the evidence for it.
  returned: always
  type: list
  elements: dict
  sample:
    - name: kolla
      evidence: ["/etc/kolla: 12 container config directories with config.json (keystone, nova-compute, ...)"]
      container_engines: {docker: [nova_compute, keystone]}
    - name: openstack_ansible
      evidence: ["/openstack/venvs: 2 virtualenvs (nova-28.1.0, neutron-28.1.0)"]
      lxc_containers: []
      venvs: [/openstack/venvs/nova-28.1.0]
services:
  description:
    - One entry per OpenStack service configuration found (per kolla container directory, per LXC container, per node).
    - Every URL has its password masked; C(password_set) says whether there was one.
    - C(rabbit) holds the C([oslo_messaging_rabbit]) options under their current names; C(sources) says where each was
      set, C(deprecated) which ones were set under an obsolete name or section (C(option), C(section), C(file)).
      C(transport_urls[].obsolete_rabbit_options) lists the URL query options named with an obsolete rabbit option
      name (C(option), C(current)), which oslo.messaging rejects.
    - C(unused_database_urls) (only where set) holds the database URLs of a process that positively never uses them (a
      neutron agent, by C(neutron_role) - kolla renders C([database]) into every neutron container), each with C(unused)
      (the reason); they are not in C(database_urls).
  returned: always
  type: list
  elements: dict
  sample:
    - service: nova
      component: nova-compute
      layout: kolla
      container: null
      files: [/etc/kolla/nova-compute/nova.conf]
      config_dirs: []
      venvs: []
      errors: []
      database_urls:
        - {file: /etc/kolla/nova-compute/nova.conf, section: api_database, option: connection,
           url: "mysql+pymysql://nova_api:********@10.0.0.10:3306/nova_api?ssl_ca=/etc/ssl/certs/ca.pem",
           dialect: mysql, driver: pymysql, user: nova_api, host: 10.0.0.10, port: 3306, database: nova_api,
           query: {ssl_ca: /etc/ssl/certs/ca.pem}, password_set: true, error: null}
      transport_urls:
        - {file: /etc/kolla/nova-compute/nova.conf, section: DEFAULT, option: transport_url, purpose: rpc,
           url: "rabbit://openstack:********@10.0.0.10:5671//", scheme: rabbit,
           hosts: [{host: 10.0.0.10, port: 5671, user: openstack, password_set: true}], virtual_host: "/", query: {}, error: null,
           obsolete_rabbit_options: []}
      rabbit: {ssl: true, ssl_ca_file: /etc/kolla/certificates/ca/root.crt, ssl_cert_file: null, ssl_key_file: null,
               ssl_version: null, ssl_enforce_fips_mode: null, sources: {ssl: "[oslo_messaging_rabbit] ssl in /etc/kolla/nova-compute/nova.conf",
               ssl_ca_file: "[DEFAULT] kombu_ssl_ca_certs in /etc/kolla/nova-compute/nova.conf"},
               deprecated: {ssl_ca_file: {option: kombu_ssl_ca_certs, section: DEFAULT, file: /etc/kolla/nova-compute/nova.conf}}}
      kafka: {}
      amqp1: {}
      api_clients:
        - {file: /etc/kolla/nova-compute/nova.conf, section: keystone_authtoken, option: www_authenticate_uri,
           url: "https://cloud.example:5000", scheme: https, insecure: false, cafile: /etc/ssl/certs/ca.pem, interface: null}
      libvirt: {live_migration_with_native_tls: true, live_migration_scheme: null, live_migration_uri: null,
                live_migration_tunnelled: null, live_migration_inbound_addr: 10.0.0.21, connection_uri: null, virt_type: kvm,
                section_present: true}
      notifications: {drivers: [messagingv2], transport_url_set: false, uses_rpc_transport: true}
      referenced_files:
        - {path: /etc/ssl/certs/ca.pem, where: "[api_database] connection ?ssl_ca", host_path: null, exists: null}
      kolla: {config_json: /etc/kolla/nova-compute/config.json, command: nova-compute, override_files: []}
infrastructure:
  description:
    - Parsed infrastructure configuration, one list per kind; every entry has C(file) and C(errors).
    - C(mysql) entries are C(parse_mycnf) results, C(rabbitmq) one entry per broker configuration directory with the merged
      C(rabbit) summary, C(libvirt) entries of C(kind) V(daemon_config), V(socket_unit) or V(defaults), C(qemu) the C(qemu.conf)
      settings, C(ceph), C(kafka), C(haproxy) and C(nginx) their parsers' results. See docs/discovery.md.
  returned: always
  type: dict
  sample:
    mysql: [{file: /etc/mysql/my.cnf, files: [/etc/mysql/my.cnf, /etc/mysql/mariadb.conf.d/50-server.cnf],
             server: {bind_address: 127.0.0.1, ssl_ca: /etc/mysql/ca.pem}, errors: []}]
    rabbitmq: [{file: /etc/rabbitmq/rabbitmq.conf, rabbit: {listeners: {tcp: [], ssl: [{address: null, port: 5671}]}}, errors: []}]
    libvirt: [{kind: daemon_config, daemon: libvirtd, file: /etc/libvirt/libvirtd.conf, settings: {listen_tls: 1}, errors: []}]
    qemu: [{file: /etc/libvirt/qemu.conf, settings: {default_tls_x509_verify: 1}, errors: []}]
    ceph: []
    kafka: []
    haproxy: []
    nginx: []
    proxysql: []
listeners:
  description: Every listening TCP socket, with owner process and container where readable.
  returned: always
  type: list
  elements: dict
  sample:
    - {address: 0.0.0.0, port: 5671, family: inet, ipv4_mapped: null, process: beam.smp, pid: 812, container: rabbitmq,
       container_engine: docker, container_id: 3f2a9c1d0b7e, uid: 0, inode: 40211, netns: host}
listeners_source:
  description: The C(/proc) the listeners were read from, or null when they were not gathered.
  returned: always
  type: str
  sample: /proc
configured_listeners:
  description:
    - The TLS listeners the infrastructure files configure (haproxy/nginx ssl binds, RabbitMQ C(listeners.ssl) and
      management SSL, MariaDB server TLS, ProxySQL's TLS frontend, libvirt's TLS socket), whether or not anything listens.
    - C(address) null means every address. The TLS rule reports each one that was not probed as "configured, not probed".
  returned: always
  type: list
  elements: dict
  sample:
    - {source: haproxy, address: 192.0.2.10, port: 443, starttls: none, file: /etc/kolla/haproxy/haproxy.cfg, line: 31,
       container: null, component: haproxy, what: haproxy frontend horizon_external ssl}
errors:
  description: Problems that are not tied to one service or infrastructure file (for example listeners not readable).
  returned: always
  type: list
  elements: dict
  sample: [{file: /proc/net/tcp6, message: "cannot read: No such file or directory", kind: listeners}]
certificates:
  description:
    - The deployment's certificate and key files (O(certificates)); the report joins them with the certificates the probes saw.
    - Each file with its deployment (V(kolla), V(openstack_ansible), V(ssl), V(haproxy), V(libvirt), V(custom)), permission bits,
      C(private_key) (a key is in the file; never its content) and its certificates (SHA-256 fingerprint, subject, issuer,
      SANs, validity).
  returned: when O(certificates) is true
  type: dict
  sample:
    searched: [/etc/kolla, /etc/openstack_deploy/pki]
    truncated: false
    max_files: 200
    files:
      - {path: /etc/kolla/certificates/haproxy.pem, deployment: kolla, mode: "0600", owner_uid: 0, group_readable: false,
         world_readable: false, private_key: true, error: null,
         certificates: [{sha256: 419b2330a4..., subject: "CN=api.example.com", issuer: "CN=Example CA", sans: [api.example.com],
                         serial: 70633045, not_before: "2026-12-03T22:13:40Z", not_after: "2027-03-03T22:13:40Z", is_ca: false,
                         self_signed: false, key_type: rsa, key_size: 2048}]}
'''

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.scs.secure_connections.plugins.module_utils._core.sanitize import clean
from ansible_collections.scs.secure_connections.plugins.module_utils._gather.discovery import GATHER_CHOICES, discover
from ansible_collections.scs.secure_connections.plugins.module_utils._core.rootfs import DEFAULT_MAX_FILE_SIZE

ARGUMENT_SPEC = dict(
    root=dict(type='path', default='/'),
    gather=dict(type='list', elements='str', choices=list(GATHER_CHOICES), default=list(GATHER_CHOICES)),
    services=dict(type='list', elements='str'),
    proc_path=dict(type='path'),
    max_file_size=dict(type='int', default=DEFAULT_MAX_FILE_SIZE),
    certificates=dict(type='bool', default=True),
    certificate_paths=dict(type='list', elements='path'),
    certificate_max_files=dict(type='int', default=200),
)


def main():
    module = AnsibleModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    if module.params['max_file_size'] <= 0:
        module.fail_json(msg='max_file_size must be a positive number of bytes, got %d' % module.params['max_file_size'])
    result = discover(
        root=module.params['root'],
        gather=module.params['gather'],
        services=module.params['services'],
        proc_path=module.params['proc_path'],
        max_file_size=module.params['max_file_size'],
        certificates=dict(paths=module.params['certificate_paths'], max_files=module.params['certificate_max_files'])
        if module.params['certificates'] else None,
    )
    module.exit_json(changed=False, **clean(result))


if __name__ == '__main__':
    main()
