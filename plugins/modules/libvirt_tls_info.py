#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: libvirt_tls_info
short_description: Gather how libvirt on a compute node is exposed and secured (TCP, TLS, client certificates, migration TLS, SSH)
version_added: 0.1.0
description:
  - Reads, on a compute node, everything that decides whether the libvirt hypervisor interface and live migration
    are exposed or protected (OSSN-0007, SCS scs-0125 "Hypervisor and Live Migration Connections").
  - Finds every libvirt daemon that can serve the remote protocol, C(libvirtd), C(virtproxyd), kolla's
    C(nova_libvirt) container (C(/etc/kolla/nova-libvirt)), and any daemon running with C(--config FILE).
  - Returns the B(effective) settings of C(libvirtd.conf) / C(virtproxyd.conf) - the file's value where the key is set,
    libvirt's built-in default where it is absent or commented out (C(listen_tls=1), C(listen_tcp=0), C(listen_addr) all
    interfaces, C(tls_port=16514), C(tcp_port=16509), C(auth_tcp=sasl), C(auth_tls=none), C(tls_no_verify_certificate=0),
    C(tls_allowed_dn_list) unset, the C(/etc/pki) certificate paths) - each saying where it came from.
  - Decides whether the daemon listens at all. C(--listen) on the running process (C(/proc/<pid>/cmdline)), in
    C(/etc/default/libvirtd) or C(/etc/sysconfig/libvirtd) (C(LIBVIRTD_ARGS), C(VIRTPROXYD_ARGS)), or in kolla's
    C(config.json) command; or systemd socket activation (C(libvirtd-tcp.socket), C(libvirtd-tls.socket),
    C(virtproxyd-*.socket) enabled), where addresses and ports come from C(ListenStream), not from the config file.
  - Lists the TCP sockets really listening on the daemon's ports (C(/proc/net/tcp), C(/proc/net/tcp6)) with their
    bind addresses, and with O(probe) asks each plain-TCP listener which authentication it demands.
  - Describes the TLS material (server certificate, CA, this node's client certificate, with subjects in the form
    C(tls_allowed_dn_list) uses), C(qemu.conf)'s migration TLS settings (C(default_tls_x509_cert_dir),
    C(default_tls_x509_verify), C(migrate_tls_x509_cert_dir), C(migrate_tls_x509_verify), C(migrate_tls_force)) and the
    files of the effective migration certificate directory; the SASL C(mech_list); and the C(authorized_keys) (with
    their C(command=), C(restrict), C(from=) options) and C(sshd_config) C(ForceCommand) of the users SSH live
    migration may log in as. Private keys are never read, only their presence and permissions.
  - A gatherer only; pass or fail is decided by the C(scs-0125-hv-*) rules of the C(conformance_report) action.
  - A node without libvirt gives RV(present=false) with RV(reason); unreadable files give RV(errors) entries with the reason.
author:
  - scs.secure_connections contributors (@SovereignCloudStack)
options:
  root:
    description:
      - Root of the file system to read configuration from. A configuration snapshot or support bundle of a node
        (with C(etc/...)) can be audited by pointing O(root) at it.
      - Absolute symbolic links inside the tree are resolved against O(root).
    type: path
    default: /
  proc_path:
    description:
      - Where the node's C(/proc) is (processes, C(net/tcp), C(net/tcp6)). A fixture tree with the same layout works.
    type: path
    default: /proc
  probe:
    description:
      - Connect to every observed plain-TCP libvirt listener and ask which authentication it demands
        (libvirt RPC C(REMOTE_PROC_AUTH_LIST), one short connection each, no authentication attempted).
      - Only done when O(proc_path) is this machine's live C(/proc); a wildcard listener is asked on loopback.
    type: bool
    default: true
  timeout:
    description:
      - Seconds each authentication probe may take overall (connect, request and answer; the answer is at most 64 KiB).
    type: float
    default: 3
  ssh_users:
    description:
      - Users whose C(authorized_keys) are read (SSH live migration logs in as the user of C(live_migration_uri),
        else as root because the source C(libvirtd) opens the connection; kolla uses C(nova)).
    type: list
    elements: str
    default: [nova, root]
  client_pki_path:
    description:
      - Directory (below O(root)) holding this node's libvirt client certificate in libvirt's C(pkipath) layout
        (C(cacert.pem), C(clientcert.pem), C(clientkey.pem)), for deployments whose C(live_migration_uri) names a C(pkipath).
      - Default the standard places, C(/etc/pki/CA/cacert.pem), C(/etc/pki/libvirt/clientcert.pem),
        C(/etc/pki/libvirt/private/clientkey.pem) (kolla's C(/etc/kolla/nova-libvirt) files for kolla nodes).
    type: path
  label:
    description: Name of the audited host, used in the labels of RV(tls_probe_targets) (C(libvirt <label> <endpoint>)).
    type: str
    default: ''
  tls_probe_local:
    description:
      - Whether the TLS probes of RV(tls_probe_targets) run on this node. Then listeners on all interfaces are probed
        on C(127.0.0.1) / C(::1); else listeners on loopback are left out and those on all interfaces are probed on O(tls_probe_host).
    type: bool
    default: true
  tls_probe_host:
    description: Address a listener on all interfaces is probed on when the probes run elsewhere (O(tls_probe_local=false)); empty leaves them out.
    type: str
    default: ''
requirements:
  - cryptography (Python library, on the audited node)
extends_documentation_fragment:
  - scs.secure_connections.attributes
attributes:
  check_mode:
    details: Only reads files and C(/proc) (and asks listeners for their auth type); runs the same in check mode.
notes:
  - "Time bound: each authentication probe (one per plain-TCP libvirt listener) ends within O(timeout) overall, a listener
    that trickles bytes included; the module reads files otherwise."
  - Needs read access to the libvirt configuration, the certificates and C(/proc); run with C(become=true) to see
    every process and every file.
  - Service unit overrides of C(ExecStart) (for example C(--listen) added in a C(libvirtd.service.d) drop-in) are not
    read; the running process's command line covers that case while the daemon runs.
seealso:
  - module: scs.secure_connections.openstack_config_info
  - module: scs.secure_connections.tls_endpoint_info
  - name: OSSN-0007 libvirtd should not listen on the network unauthenticated
    description: The OpenStack security note behind the libvirt exposure control.
    link: https://wiki.openstack.org/wiki/OSSN/OSSN-0007
  - name: Nova - secure live migration with QEMU-native TLS
    description: What live_migration_with_native_tls needs on the compute nodes.
    link: https://docs.openstack.org/nova/latest/admin/secure-live-migration-with-qemu-native-tls.html
  - name: libvirt - TLS daemon configuration, restricting access
    description: Client certificates and tls_allowed_dn_list.
    link: https://wiki.libvirt.org/TLSDaemonConfiguration.html
'''

EXAMPLES = r'''
- name: Gather the libvirt channel on every compute node
  scs.secure_connections.libvirt_tls_info:
  become: true
  register: libvirt

- name: Audit a configuration snapshot of a compute node (no probing)
  scs.secure_connections.libvirt_tls_info:
    root: /srv/snapshots/compute1
    proc_path: /srv/snapshots/compute1/proc
    probe: false
  delegate_to: localhost

- name: Probe the node's libvirt TLS listener with the TLS engine (Mozilla check)
  scs.secure_connections.tls_endpoint_info:
    endpoints:
      - host: "{{ ansible_host }}"
        port: 16514
        label: libvirt-tls
  delegate_to: localhost
  when: libvirt.listeners | selectattr('transport', 'equalto', 'tls') | list | length > 0
'''

RETURN = r'''
present:
  description: Whether libvirt is configured or running on the node.
  returned: always
  type: bool
  sample: true
reason:
  description: Why libvirt is considered absent (null when RV(present) is true).
  returned: always
  type: str
  sample: "no libvirt on this node: no /etc/kolla/nova-libvirt/libvirtd.conf, /etc/libvirt/libvirtd.conf, ..."
root:
  description: The root the files were read from.
  returned: always
  type: str
  sample: /
proc_path:
  description: Where C(/proc) was read.
  returned: always
  type: str
  sample: /proc
tls_probe_targets:
  description:
    - TLS probes of the libvirt TLS listeners in the node's network namespace for M(scs.secure_connections.tls_endpoint_info),
      one per host and port (C(host), C(port), C(label), C(source=hv)); only when O(proc_path) is this machine's live C(/proc).
  returned: always
  type: list
  elements: dict
  sample: [{host: 127.0.0.1, port: 16514, label: libvirt compute1 0.0.0.0:16514, source: hv}]
layout:
  description: V(kolla), V(openstack_ansible) or V(distro) (only when RV(present)).
  returned: when present
  type: str
  sample: kolla
binaries:
  description: libvirt daemon binaries found under RV(root).
  returned: always
  type: list
  elements: str
  sample: [/usr/sbin/libvirtd]
daemons:
  description: Every libvirt daemon configured or running.
  returned: always
  type: list
  elements: dict
  contains:
    name:
      description: V(libvirtd) or V(virtproxyd).
      type: str
      sample: libvirtd
    layout:
      description: V(kolla) (C(/etc/kolla/nova-libvirt)), V(distro) (C(/etc/libvirt)) or V(custom) (a running daemon's C(--config)).
      type: str
      sample: kolla
    config_file:
      description: The config file read (on the node, below RV(root)).
      type: str
      sample: /etc/kolla/nova-libvirt/libvirtd.conf
    config_path:
      description: The config file as the daemon sees it (inside the container for kolla).
      type: str
      sample: /etc/libvirt/libvirtd.conf
    config_present:
      description: Whether the config file exists.
      type: bool
      sample: true
    config_error:
      description: Why the config file could not be read (then every setting is shown with its default), or null.
      type: str
      sample: permission denied
    config_errors:
      description: Syntax errors in the config file (C(line), C(message)).
      type: list
      elements: dict
      sample: []
    running:
      description: Whether a process of this daemon runs.
      type: bool
      sample: true
    pids:
      description: Process ids of the daemon.
      type: list
      elements: int
      sample: [2211]
    container:
      description: C(<engine>:<id>) of the container the daemon runs in, or null.
      type: str
      sample: "docker:4f2a9c1b7d3e"
    args:
      description: Command line of the first process, or null.
      type: list
      elements: str
      sample: [/usr/sbin/libvirtd, --listen]
    settings:
      description:
        - Effective settings, each C({value, source, file, line}); C(source) is V(file) when the config file sets the key,
          V(default) when libvirt's built-in default applies (key absent or commented out).
      type: dict
      sample: {listen_tcp: {value: 0, source: default, file: null, line: null},
               auth_tcp: {value: none, source: file, file: /etc/libvirt/libvirtd.conf, line: 12}}
    listen_flag:
      description: Whether C(--listen) is given (C(value)) and where that was found (C(source)).
      type: dict
      sample: {value: true, source: "/proc/2211/cmdline: /usr/sbin/libvirtd --listen"}
    socket_units:
      description:
        - systemd socket units of the daemon (C(unit), C(file), C(dropins), C(enabled), C(enabled_by), C(masked),
          C(listen_stream), C(errors)).
      type: list
      elements: dict
      sample: [{unit: libvirtd-tls.socket, file: /lib/systemd/system/libvirtd-tls.socket, enabled: true, listen_stream: ["16514"]}]
    mode:
      description: V(listen) (C(--listen)), V(socket_activation) (enabled TCP/TLS socket units) or V(off) (UNIX socket only).
      type: str
      sample: listen
    transports:
      description:
        - V(tcp) and V(tls) with C(enabled), C(via), C(binds) (C(address), C(port); all interfaces is C(0.0.0.0) and C(::)),
          C(auth) (C(auth_tcp) / C(auth_tls)), C(auth_setting) and C(reason) (which settings decided it).
      type: list
      elements: dict
      sample: [{transport: tcp, enabled: true, via: listen, binds: [{address: 0.0.0.0, port: 16509}], auth: none}]
    certificates:
      description:
        - C(ca), C(server_cert) (certificate details, C(libvirt_dn), C(issued_by_ca), C(extended_key_usage)) and
          C(server_key) (presence and mode only) from C(ca_file), C(cert_file), C(key_file).
      type: dict
      sample: {server_cert: {path: /etc/pki/libvirt/servercert.pem, present: true, subject: "CN=compute1", expired: false}}
listeners:
  description: Listening TCP sockets of libvirt observed in RV(proc_path).
  returned: always
  type: list
  elements: dict
  contains:
    endpoint:
      description: C(address:port) (IPv6 in brackets).
      type: str
      sample: "0.0.0.0:16509"
    address:
      description: Bind address.
      type: str
      sample: 0.0.0.0
    port:
      description: Port.
      type: int
      sample: 16509
    family:
      description: V(inet) or V(inet6).
      type: str
      sample: inet
    transport:
      description: V(tcp), V(tls) or V(unknown).
      type: str
      sample: tcp
    daemon:
      description: Name of the daemon the socket belongs to, or null.
      type: str
      sample: libvirtd
    daemon_config:
      description: Config file of that daemon.
      type: str
      sample: /etc/libvirt/libvirtd.conf
    pid:
      description: Owning process, when readable.
      type: int
      sample: 2211
    process:
      description: Name of the owning process.
      type: str
      sample: libvirtd
    container:
      description: Container of the owning process, or null.
      type: str
      sample: nova_libvirt
    netns:
      description: Network namespace (V(host) for the node's own).
      type: str
      sample: host
    loopback:
      description: Whether the bind address is a loopback address.
      type: bool
      sample: false
    wildcard:
      description: Whether the socket listens on all interfaces.
      type: bool
      sample: true
    auth_observed:
      description: Authentication the listener demanded when probed (V(none), V(sasl), V(polkit)), or null.
      type: list
      elements: str
      sample: [none]
listeners_observed:
  description: Whether C(net/tcp) of RV(proc_path) could be read (false means RV(listeners) is not evidence of absence).
  returned: always
  type: bool
  sample: true
tcp_auth_probes:
  description: One entry per probed plain-TCP listener (C(endpoint), C(connected_to), C(auth), C(error)).
  returned: always
  type: list
  elements: dict
  sample: [{endpoint: "0.0.0.0:16509", connected_to: "127.0.0.1:16509", auth: [none], error: null}]
client_certificates:
  description:
    - The certificate this node presents as a libvirt client (C(/etc/pki/libvirt/clientcert.pem) or kolla's
      C(clientcert.pem)) - C(cert) (details and C(libvirt_dn)), C(key) (presence and mode), C(ca).
  returned: always
  type: dict
  sample: {cert: {present: true, libvirt_dn: "O=Example,CN=compute1.example", sha256: "9f1c..."}}
qemu:
  description:
    - C(qemu.conf) migration TLS. C(settings) (effective, like RV(daemons[].settings)); C(migration.cert_dir),
      C(migration.verify), C(migration.force) (effective values with their source and the setting they come from);
      C(migration.files) (C(ca-cert.pem), C(server-cert.pem), C(server-key.pem), C(client-cert.pem), C(client-key.pem)).
  returned: always
  type: dict
  sample: {migration: {cert_dir: {value: /etc/pki/qemu, source: default}, verify: {value: true, source: default}}}
sasl:
  description: SASL configuration of libvirt (C(file), C(present), C(mech_list)).
  returned: always
  type: dict
  sample: {file: /etc/sasl2/libvirt.conf, present: true, mech_list: [scram-sha-256]}
ssh:
  description:
    - C(users) (per user C(home), C(shell), C(files) with C(keys) - C(type), C(comment), C(fingerprint), C(options),
      C(command), C(from), C(restrict) - never the key itself), C(sshd) (C(ForceCommand) per config file, global and
      per C(Match User)), C(kolla_nova_ssh) (kolla's nova-ssh keys).
  returned: always
  type: dict
  sample: {users: [{user: nova, files: [{file: /var/lib/nova/.ssh/authorized_keys, keys: [{command: "/usr/local/bin/migrate-only", restrict: true}]}]}]}
errors:
  description: Files that could not be read or parsed (C(file), C(message)).
  returned: always
  type: list
  elements: dict
  sample: [{file: /etc/libvirt/libvirtd.conf, message: permission denied}]
'''

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.scs.secure_connections.plugins.module_utils._core.secrets import mask_secrets
from ansible_collections.scs.secure_connections.plugins.module_utils._core.sanitize import clean
from ansible_collections.scs.secure_connections.plugins.module_utils._gather import libvirt as _libvirt
from ansible_collections.scs.secure_connections.plugins.module_utils._gather.tls_targets import libvirt_probe_targets
from ansible_collections.scs.secure_connections.plugins.module_utils._gather.specs import HV_SPEC as ARGUMENT_SPEC


def main():
    module = AnsibleModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    _libvirt.CRYPTOGRAPHY.fail_json_if_missing(module)
    params = module.params
    result = _libvirt.gather(root=params['root'], proc_path=params['proc_path'], probe=params['probe'],
                             timeout=params['timeout'], ssh_users=params['ssh_users'], client_pki_path=params['client_pki_path'])
    # sockets read from a snapshot's proc tree name other machines' addresses: only live sockets are probed
    live = params['proc_path'].rstrip('/') == '/proc'
    result['tls_probe_targets'] = libvirt_probe_targets(result.get('listeners') if live else [], params['label'],
                                                        local=params['tls_probe_local'], node_address=params['tls_probe_host'])
    module.exit_json(changed=False, **clean(mask_secrets(result)))


if __name__ == '__main__':
    main()
