#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: keystone_catalog_info
short_description: Read every service and endpoint of the Keystone service catalog
version_added: 0.1.0
description:
  - Authenticates to Keystone and returns every service and every endpoint (interfaces C(public), C(internal)
    and C(admin), every region) with its URL parsed into scheme, host, port and path.
  - Reads the complete catalog through the Identity API (C(GET /v3/services), C(GET /v3/endpoints)) when the
    credentials allow it, else the catalog in the token; RV(source) and RV(source_reason) say which and why.
  - Also returns the TLS probe targets (https endpoints, deduplicated by host and port) for
    M(scs.secure_connections.tls_endpoint_info), public ones separate from internal and admin ones.
  - A gatherer only; pass or fail is decided by the C(scs-0125-api-*) rules of the C(conformance_report) action.
  - Wrong credentials, an unreachable Keystone or a TLS verification failure do not fail the task; the module
    returns RV(status=error) with RV(error) naming the problem, so an audit of the other channels goes on.
  - "Time bound: every HTTP request has O(api_timeout) for connecting and for each read; the whole conversation
    (version discovery, authentication, catalog) ends within 4 x O(api_timeout) (at least 5 s): it runs in a daemon
    thread joined with that deadline, so a Keystone that trickles its answer gives RV(error.kind=timeout) in time."
author:
  - scs.secure_connections contributors (@SovereignCloudStack)
extends_documentation_fragment:
  - scs.secure_connections.attributes
  - scs.secure_connections.openstack
options:
  catalog_source:
    description:
      - Where to read the catalog from.
      - V(auto) uses the Identity API endpoint list when the credentials may read it, else the token's catalog.
      - V(admin_api) requires the Identity API endpoint list (an error result when it cannot be read).
      - V(token_catalog) uses the token's catalog only (what any user of the project sees).
    type: str
    choices: [auto, admin_api, token_catalog]
    default: auto
  ignore:
    description:
      - Endpoints the audit deliberately leaves out (like C(--ignore) of the SCS C(tls-checker.py)).
      - Each entry has C(endpoint) (a URL, which matches that URL and every URL below it; C(host:port), which
        matches every URL on that listener; or a bare C(host)) and C(reason).
      - Matching endpoints carry RV(endpoints[].ignored) and are not returned as probe targets.
    type: list
    elements: dict
    default: []
attributes:
  check_mode:
    details: Only reads; runs the same in check mode.
seealso:
  - module: scs.secure_connections.tls_endpoint_info
  - module: openstack.cloud.catalog_service_info
  - name: SCS standard scs-0125 Secure Connections
    description: The standard whose API controls this module gathers evidence for.
    link: https://docs.scs.community/standards/scs-0125-v1-secure-connections
'''

EXAMPLES = r'''
- name: Read the catalog with a clouds.yaml entry (admin credentials give the complete catalog)
  scs.secure_connections.keystone_catalog_info:
    cloud: mycloud-admin
  delegate_to: localhost
  run_once: true
  register: catalog

- name: Read the catalog with inline credentials and a private CA
  scs.secure_connections.keystone_catalog_info:
    auth:
      auth_url: https://keystone.example.com:5000/v3
      username: auditor
      password: "{{ vault_auditor_password }}"
      project_name: audit
      user_domain_name: Default
      project_domain_name: Default
    ca_cert: /etc/ssl/certs/cloud-ca.pem
    ignore:
      - endpoint: legacy.example.com:8080
        reason: decommissioned, removal tracked in CHG-1234
  delegate_to: localhost
  register: catalog

- name: Probe the public https endpoints
  scs.secure_connections.tls_endpoint_info:
    endpoints: "{{ catalog.probe_targets.public }}"
  delegate_to: localhost
  when: catalog.status == 'ok'
'''

RETURN = r'''
status:
  description: V(ok) when the catalog was read, V(error) when it could not be (see RV(error)).
  returned: always
  type: str
  sample: ok
error:
  description: Why the catalog could not be read, or null.
  returned: always
  type: dict
  sample: {kind: auth, message: "The request you have made requires authentication. (HTTP 401)"}
  contains:
    kind:
      description:
        - V(config) (cloud not found, options missing), V(auth) (credentials refused), V(forbidden), V(tls)
          (certificate verification or handshake failed), V(timeout), V(unreachable), V(discovery) (no Identity
          API at the URL), V(not_found), V(http), V(sdk), V(missing_library) (openstacksdk is not installed on the
          host the module runs on; the message names the host and what to install), V(internal).
      type: str
      sample: tls
    message:
      description: The error as the client library reported it, with a hint where one helps. No secret.
      type: str
      sample: "SSL exception connecting to https://keystone.example.com:5000/v3/auth/tokens: ... certificate verify failed"
source:
  description: V(admin_api) or V(token_catalog); null on error.
  returned: always
  type: str
  sample: admin_api
source_reason:
  description: Why this source was used (for example the HTTP 403 that ruled out the admin endpoint list).
  returned: always
  type: str
  sample: "the Identity API endpoint list could not be read (forbidden: ...); the catalog in the token is used instead ..."
identity:
  description: Who read the catalog, through which URL (no secret).
  returned: always
  type: dict
  sample: {auth_url: "https://keystone.example.com:5000/v3", user_id: 8e6c..., project_id: 1f0a...,
           region_name: RegionOne, interface: public}
services:
  description: Every service of the catalog.
  returned: always
  type: list
  elements: dict
  sample: [{id: 0d4f..., name: nova, type: compute, enabled: true}]
endpoints:
  description: Every endpoint of the catalog, sorted by service type, interface and region.
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: Endpoint ID.
      type: str
      sample: 5b1c2d...
    service_id:
      description: ID of the service the endpoint belongs to.
      type: str
      sample: 0d4f...
    service_name:
      description: Name of the service.
      type: str
      sample: nova
    service_type:
      description: Type of the service.
      type: str
      sample: compute
    service_enabled:
      description: Whether the service is enabled (always true in a token catalog).
      type: bool
      sample: true
    interface:
      description: V(public), V(internal) or V(admin).
      type: str
      sample: public
    region:
      description: Region ID.
      type: str
      sample: RegionOne
    url:
      description: The URL as registered (passwords in it, if any, masked).
      type: str
      sample: https://api.example.com:8774/v2.1
    enabled:
      description: Whether the endpoint is enabled (always true in a token catalog).
      type: bool
      sample: true
    scheme:
      description: Lower-case URL scheme, or null when there is none.
      type: str
      sample: https
    host:
      description: Lower-case host name or IP address (IPv6 without brackets), or null.
      type: str
      sample: api.example.com
    port:
      description: Port, the scheme's default when the URL has none; null when it does not parse.
      type: int
      sample: 8774
    path:
      description: URL path (templates like C($(project_id\)s) kept).
      type: str
      sample: /v2.1
    parse_error:
      description: Why the URL does not parse, or null.
      type: str
      sample: "invalid port: Port out of range 0-65535"
    ignored:
      description: The O(ignore) entry matching this endpoint (C(endpoint), C(reason)), or null.
      type: dict
      sample: null
    probe_position:
      description:
        - Where the TLS probe of this endpoint runs, V(public) (from outside the cloud) for public endpoints and
          V(internal) (from a host inside the cloud network) for internal and admin ones; null for another interface.
      type: str
      sample: public
    probe_label:
      description: The C(label) of this endpoint's target in RV(probe_targets) (V(api-public) or V(api-internal)), or null.
      type: str
      sample: api-public
  sample:
    - {id: 5b1c..., service_id: 0d4f..., service_name: nova, service_type: compute, service_enabled: true,
       interface: public, region: RegionOne, url: "https://api.example.com:8774/v2.1", enabled: true,
       scheme: https, host: api.example.com, port: 8774, path: /v2.1, parse_error: null, ignored: null,
       probe_position: public, probe_label: api-public}
probe_targets:
  description:
    - TLS probe targets for M(scs.secure_connections.tls_endpoint_info), deduplicated by host and port.
    - One list per interface, each deduplicated by host and port. Only https URLs that parse and are not ignored.
    - C(label) is V(api-public) for public targets (probe from outside the cloud) and V(api-internal) for
      internal and admin ones (probe from a host inside the cloud network); a listener shared by internal and
      admin endpoints becomes one target with C((internal + admin\) | unique).
  returned: always
  type: dict
  sample:
    public: [{host: api.example.com, port: 8774, server_name: api.example.com, label: api-public}]
    internal: [{host: 10.0.0.10, port: 8774, server_name: null, label: api-internal}]
    admin: [{host: 10.0.0.10, port: 8774, server_name: null, label: api-internal}]
ignored:
  description: Endpoints matched by O(ignore), with the matching entry and its reason.
  returned: always
  type: list
  elements: dict
  sample: [{url: "https://legacy.example.com:8080/v1", interface: public, match: "legacy.example.com:8080",
            reason: decommissioned}]
summary:
  description: Counts of endpoints per interface and per scheme, and of URLs that do not parse.
  returned: always
  type: dict
  sample: {endpoints: 14, by_interface: {public: 6, internal: 6, admin: 2}, by_scheme: {https: 11, http: 3}, parse_errors: 1}
'''

from ansible_collections.scs.secure_connections.plugins.module_utils._gather.keystone import (  # noqa: E402
    EMPTY_RESULT,
    SOURCES,
    collect_catalog,
)
from ansible_collections.scs.secure_connections.plugins.module_utils._gather.openstack import (  # noqa: E402
    OPENSTACK_ARGUMENT_SPEC,
    OpenStackInfoModule,
    classify_error,
)

ARGUMENT_SPEC = dict(
    OPENSTACK_ARGUMENT_SPEC,
    catalog_source=dict(type='str', default='auto', choices=list(SOURCES)),
    ignore=dict(type='list', elements='dict', default=[]),
)


class KeystoneCatalogInfo(OpenStackInfoModule):
    empty_result = EMPTY_RESULT

    def run(self):
        return collect_catalog(self.conn, source=self.params['catalog_source'], ignore=self.params['ignore'],
                               classify=classify_error)


def main():
    KeystoneCatalogInfo(ARGUMENT_SPEC)()


if __name__ == '__main__':
    main()
