#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: tls_endpoint_info
short_description: Probe TLS listeners and judge them against Mozilla's server side TLS guidelines
version_added: 0.1.0
description:
  - Scans every endpoint in O(endpoints) with hand-built ClientHellos (no dependence on what the local OpenSSL can still
    speak) and returns what the server accepts - protocol versions SSLv2 to TLS 1.3, every cipher suite per version, key
    exchange groups, DH and ECDH sizes, certificates, security properties (compression, secure renegotiation,
    TLS_FALLBACK_SCSV, extended master secret, Heartbleed, CCS injection, ROBOT), OCSP stapling and optionally HSTS.
  - Each endpoint result carries a C(mozilla) block - the verdict against the Mozilla guidelines at O(level), with the
    same criteria as sslyze's Mozilla checker (see C(docs/tls.md) for the few documented differences).
  - STARTTLS for MySQL/MariaDB, PostgreSQL, SMTP, IMAP, POP3, FTP, LDAP and XMPP.
  - Endpoints that cannot be scanned (closed port, timeout, plain HTTP, garbage, DNS failure) give C(status=error) with
    the reason, never a task failure.
  - The gatherer only observes; the conformance verdict of the audit is decided by the collection's evaluator, which
    judges the same observations again at the report's level and never reads the C(mozilla) block.
  - Every probe is a short TCP connection that ends after the server's first flight (no application data). A MySQL
    server counts each one as an aborted connection; see C(docs/tls.md) for C(max_connect_errors).
author:
  - scs.secure_connections contributors (@SovereignCloudStack)
requirements:
  - Python 3.8 or newer on the host running the module.
  - The Python C(cryptography) library is optional; without it certificate details come from a built-in DER reader,
    TLS 1.3 certificates are read with one real handshake (leaf only before Python 3.13), and path validation uses the
    C(ssl) module.
extends_documentation_fragment:
  - scs.secure_connections.attributes
attributes:
  check_mode:
    details: Only reads (network probes); runs the same in check mode.
options:
  endpoints:
    description:
      - The listeners to scan. Each is a dictionary with C(host) (name or IP address, required), C(port) (required),
        C(server_name) (SNI and the name the certificate must cover; default C(host) if it is a name, none for an IP
        address), C(starttls) (V(none) default, V(mysql), V(postgres), V(smtp), V(imap), V(pop3), V(ftp), V(ldap),
        V(xmpp)) and C(label) (free text, returned as given). C(source) is returned as given too; other keys are ignored.
      - A malformed entry (not a dictionary, no host, a bad port) gives a result with C(status=error) for that entry only.
    type: list
    elements: raw
    required: true
  ca_files:
    description:
      - PEM files of CA certificates added to the system trust store for path validation (a cloud's private CA).
    type: list
    elements: path
    default: []
  client_cert:
    description:
      - PEM client certificate for endpoints that require mutual TLS (libvirt). The prober reads what it needs before
        the client authenticates; the certificate is used for the real handshakes (HSTS, fallbacks).
    type: path
  client_key:
    description: PEM private key of O(client_cert) (a path; the key itself is never read into the result).
    type: path
  level:
    description: Mozilla configuration level the endpoints are judged against.
    type: str
    choices: [old, intermediate, modern]
    default: intermediate
  guidelines_file:
    description:
      - Mozilla guidelines JSON on the host running the module (for example a newer version). Default is the embedded
        copy of version 5.7, the one the SCS conformance test pins.
    type: path
  timeout:
    description:
      - Timeout of every network operation, in seconds, name resolution included.
      - "Time bounds: every socket operation and every handshake (ClientHello sent until the answer is read) at most
        O(timeout); every connection (TCP connect, STARTTLS, handshakes, attack follow-ups) at most 2 x O(timeout); a whole
        endpoint at most 8 x O(timeout) (at least 20 s). The module ends within (endpoints / O(concurrency), rounded up) x
        that endpoint bound plus a few seconds."
      - A check that timed out in the middle of a scan is listed in the result's C(undetermined); the verdict of every
        criterion that depends on it is undetermined (C(compliant=null); C(error) in the audit), never a guess.
    type: float
    default: 5.0
  concurrency:
    description: Endpoints scanned in parallel. Each endpoint uses up to 6 connections at a time on top of that.
    type: int
    default: 16
  check_hsts:
    description:
      - Also send one C(GET /) over TLS to each endpoint without STARTTLS and report the C(Strict-Transport-Security)
        header. Informational only (not part of the verdict).
    type: bool
    default: false
notes:
  - Use C(delegate_to) to choose where the probes come from; the endpoints must be reachable from there.
seealso:
  - name: Mozilla server side TLS guidelines
    description: The profiles the endpoints are judged against.
    link: https://wiki.mozilla.org/Security/Server_Side_TLS
  - name: Mozilla guidelines JSON 5.7
    description: The machine-readable profile embedded in the collection.
    link: https://ssl-config.mozilla.org/guidelines/5.7.json
  - module: scs.secure_connections.mysql_tls_info
    description: Reads the TLS settings and account requirements of a MySQL/MariaDB server.
"""

EXAMPLES = r"""
- name: Probe the public API endpoints from the controller
  scs.secure_connections.tls_endpoint_info:
    endpoints:
      - {host: api.example.net, port: 5000, label: keystone-public}
      - {host: 203.0.113.10, port: 8774, server_name: api.example.net, label: nova-public}
  delegate_to: localhost
  register: tls

- name: Show the endpoints that fail Mozilla intermediate
  ansible.builtin.debug:
    msg: "{{ item.host }}:{{ item.port }} {{ item.mozilla.criteria | selectattr('result', 'equalto', 'fail') | map(attribute='message') | list }}"
  loop: "{{ tls.endpoints | selectattr('mozilla.compliant', 'equalto', false) | list }}"
  loop_control:
    label: "{{ item.host }}:{{ item.port }}"

- name: Internal listeners signed by the cloud's own CA, the database with STARTTLS
  scs.secure_connections.tls_endpoint_info:
    endpoints:
      - {host: 10.0.0.10, port: 3306, starttls: mysql, server_name: db.internal}
      - {host: 10.0.0.10, port: 5671, label: rabbitmq}
    ca_files: [/etc/kolla/certificates/ca/root.crt]
    timeout: 3

- name: libvirt TLS (client certificate required), judged against "modern"
  scs.secure_connections.tls_endpoint_info:
    endpoints: [{host: compute1.internal, port: 16514}]
    client_cert: /etc/pki/libvirt/clientcert.pem
    client_key: /etc/pki/libvirt/private/clientkey.pem
    ca_files: [/etc/pki/CA/cacert.pem]
    level: modern
  delegate_to: localhost
"""

RETURN = r"""
endpoints:
  description: One result per entry of O(endpoints), in the same order (the contract is in C(docs/architecture.md)).
  returned: always
  type: list
  elements: dict
  contains:
    host:
      description: C(host) as asked.
      type: str
      sample: 127.0.0.1
    port:
      description: C(port) as asked.
      type: int
      sample: 8443
    server_name:
      description: The SNI sent and the name the certificate must cover; null when none was sent.
      type: str
      sample: localhost
    starttls:
      description: The STARTTLS protocol used (V(none) for plain TLS).
      type: str
      sample: none
    label:
      description: C(label) as given (null if none).
      type: str
      sample: nginx-good
    status:
      description: V(ok) when the endpoint was scanned, V(error) when it could not be (see RV(endpoints[].error)).
      type: str
      sample: ok
    error:
      description: Why the endpoint could not be scanned; null when RV(endpoints[].status=ok).
      type: dict
      sample: {kind: refused, message: connection refused by 127.0.0.1:8443}
      contains:
        kind:
          description: One of V(refused), V(timeout), V(not_tls), V(plaintext), V(dns), V(protocol), V(internal).
          type: str
          sample: plaintext
        message:
          description: What happened.
          type: str
          sample: 'the port answers plain HTTP ("HTTP/1.1 400 Bad Request"), not TLS'
    protocols:
      description: Every protocol version and whether the server accepts it.
      type: dict
      sample: {SSLv2: false, SSLv3: false, TLSv1.0: false, TLSv1.1: false, TLSv1.2: true, TLSv1.3: true}
    cipher_suites:
      description: Accepted cipher suites (IANA names) per accepted version (SSLv2 cipher specs under V(SSLv2)).
      type: dict
      sample: {TLSv1.2: [TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256], TLSv1.3: [TLS_AES_128_GCM_SHA256, TLS_AES_256_GCM_SHA384]}
    groups:
      description: Accepted key exchange groups, names as in the Mozilla guidelines where they have one (V(prime256v1), not V(secp256r1)).
      type: list
      elements: str
      sample: [X25519, prime256v1, secp384r1]
    groups_by_version:
      description: RV(endpoints[].groups) per version (TLS 1.3 through HelloRetryRequest, the highest TLS <= 1.2 through ECDHE).
      type: dict
      sample: {TLSv1.3: [X25519, prime256v1, secp384r1], TLSv1.2: [X25519, prime256v1, secp384r1]}
    dh_min_bits:
      description: Smallest finite-field DH group seen (TLS <= 1.2 DHE ServerKeyExchange, TLS 1.3 FFDHE groups); null if none.
      type: int
      sample: 2048
    ecdh_min_bits:
      description: Smallest ECDH group accepted (X25519 counts as 256); null if none.
      type: int
      sample: 256
    server_cipher_order:
      description: True if the server imposes its own cipher order, false if it follows the client's, null if not observable.
      type: bool
      sample: false
    certificates:
      description: The default certificate chain, leaf first.
      type: list
      elements: dict
      sample:
        - {subject: "CN=api.example.net", issuer: "CN=Example CA", serial: 3a1f, key_type: rsa, key_size: 2048, curve: null,
           signature_algorithm: sha256WithRSAEncryption, not_before: "2026-01-01T00:00:00Z", not_after: "2026-03-31T00:00:00Z",
           lifespan_days: 89, expired: false, sans: [api.example.net], sha256: 9f2c..., analysis: cryptography}
    certificate_deployments:
      description: Every distinct certificate chain the server showed (for example RSA and ECDSA), with its validation and OCSP staple.
      type: list
      elements: dict
      sample: [{source: TLSv1.3 default, certificates: [], validation: {trusted: true, hostname_match: true, error: null},
                ocsp_stapled: false, ocsp_status: null}]
    certificate_validation:
      description: Path validation of the default chain against the system trust store plus O(ca_files).
      type: dict
      sample: {trusted: true, hostname_match: true, error: null}
    client_certificate_requested:
      description: True if the server asked for a client certificate (mutual TLS).
      type: bool
      sample: false
    security:
      description:
        - V(true) / V(false) per property, or V(not_tested) with the reason in C(notes). C(compression), C(heartbleed),
          C(ccs_injection) and C(robot) true means vulnerable; C(secure_renegotiation), C(fallback_scsv) and
          C(extended_master_secret) true means supported.
      type: dict
      sample: {compression: false, secure_renegotiation: true, fallback_scsv: true, extended_master_secret: true, heartbleed: false,
               ccs_injection: false, robot: false, notes: {robot: no RSA key exchange cipher suite is accepted}}
    ocsp_stapling:
      description: True if the server stapled an OCSP response.
      type: bool
      sample: false
    hsts:
      description: With O(check_hsts), the C(Strict-Transport-Security) header seen (or an C(error)).
      returned: when O(check_hsts=true)
      type: dict
      sample: {status_code: 200, header: max-age=63072000, max_age: 63072000, include_subdomains: false, preload: false}
    notes:
      description: Remarks of the prober (for example how server cipher order was observed).
      type: dict
      sample: {server_cipher_order: observed at TLSv1.2 with ...}
    undetermined:
      description:
        - The checks the scan could not complete (C(check) one of V(protocols), V(cipher_suites), V(groups),
          V(certificates), V(fallback_scsv); C(reason) says why, for example a timeout, an answer cut short or a
          HelloRetryRequest that could not be confirmed). Empty when the scan is complete.
      type: list
      elements: dict
      sample: [{check: fallback_scsv, reason: "timeout: no answer within 5.0 s"}]
    connections:
      description: TCP connections made to scan this endpoint.
      type: int
      sample: 31
    duration_ms:
      description: Time spent on this endpoint in milliseconds.
      type: int
      sample: 48
    mozilla:
      description: The verdict against the Mozilla guidelines at O(level).
      type: dict
      sample:
        guidelines_version: 5.7
        level: intermediate
        compliant: false
        criteria:
          - {criterion: tls_versions, expected: [TLSv1.2, TLSv1.3], observed: [TLSv1.0, TLSv1.2], result: fail,
             message: "protocol versions TLSv1.0 accepted; the intermediate profile allows only TLSv1.2, TLSv1.3"}
      contains:
        guidelines_version:
          description: Version of the guidelines used.
          type: float
          sample: 5.7
        level:
          description: O(level).
          type: str
          sample: intermediate
        compliant:
          description: True, false, or null when the endpoint could not be scanned or a criterion could not be determined.
          type: bool
          sample: true
        criteria:
          description:
            - One entry per criterion, C(result) V(pass), V(fail) or V(info) (informational or undetermined).
            - Formerly called C(items), a name Jinja resolves to the dict method C(items()).
          type: list
          elements: dict
          sample: []
engine:
  description: What the probing host had (optional libraries change how certificates are read).
  returned: always
  type: dict
  sample: {cryptography: 46.0.7, x509_verifier: true, python: 3.11.2}
"""

import json
import os
import platform

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.scs.secure_connections.plugins.module_utils._core.sanitize import clean
from ansible_collections.scs.secure_connections.plugins.module_utils._tls import x509 as _x509
from ansible_collections.scs.secure_connections.plugins.module_utils._core.mozilla import GuidelinesError, attach, profile
from ansible_collections.scs.secure_connections.plugins.module_utils._core.mozilla_data import GUIDELINES
from ansible_collections.scs.secure_connections.plugins.module_utils._tls.scan import scan_endpoints


def _cryptography_version():
    try:
        import cryptography  # pylint: disable=import-outside-toplevel
        return cryptography.__version__
    except ImportError:
        return None


def main():
    module = AnsibleModule(
        argument_spec=dict(
            endpoints=dict(type='list', elements='raw', required=True),
            ca_files=dict(type='list', elements='path', default=[]),
            client_cert=dict(type='path'),
            client_key=dict(type='path', no_log=False),
            level=dict(type='str', choices=['old', 'intermediate', 'modern'], default='intermediate'),
            guidelines_file=dict(type='path'),
            timeout=dict(type='float', default=5.0),
            concurrency=dict(type='int', default=16),
            check_hsts=dict(type='bool', default=False),
        ),
        required_by=dict(client_key=['client_cert']),
        supports_check_mode=True,
    )
    p = module.params
    for option in ('ca_files', 'client_cert', 'client_key'):
        paths = p[option] if isinstance(p[option], list) else [p[option]] if p[option] else []
        for path in paths:
            if not os.path.isfile(path):
                module.fail_json(msg='%s: %s does not exist or is not a file' % (option, path))
    if p['timeout'] <= 0 or p['concurrency'] < 1:
        module.fail_json(msg='timeout must be > 0 and concurrency >= 1 (got %s and %s)' % (p['timeout'], p['concurrency']))
    guidelines = GUIDELINES
    if p['guidelines_file']:
        try:
            with open(p['guidelines_file'], 'r') as handle:
                guidelines = json.load(handle)
        except (IOError, OSError, ValueError) as exc:
            module.fail_json(msg='cannot read guidelines_file %s: %s' % (p['guidelines_file'], exc))
    try:
        profile(guidelines, p['level'])
    except GuidelinesError as exc:
        module.fail_json(msg=str(exc))
    options = dict(timeout=p['timeout'], ca_files=p['ca_files'], client_cert=p['client_cert'], client_key=p['client_key'],
                   concurrency=p['concurrency'], check_hsts=p['check_hsts'])
    # The verdict for people who use the module on its own; the audit's rules judge the same
    # observations again at the report's level and never read this block.
    results = attach(scan_endpoints(p['endpoints'], options), guidelines, p['level'])
    engine = dict(cryptography=_cryptography_version(), x509_verifier=bool(_x509.HAS_VERIFIER), python=platform.python_version())
    module.exit_json(changed=False, **clean(dict(endpoints=results, engine=engine)))


if __name__ == '__main__':
    main()
