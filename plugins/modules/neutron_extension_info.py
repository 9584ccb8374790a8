#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: neutron_extension_info
short_description: List the API extensions of the Neutron (network) service
version_added: 0.1.0
description:
  - Authenticates to Keystone and reads the Neutron API extension list (C(GET /v2.0/extensions),
    openstacksdk C(network.extensions())), the evidence of the C(scs-0125-vpn-vpnaas) control.
  - Says whether the VPNaaS extension (alias C(vpnaas)) is offered.
  - A gatherer only; the C(conformance_report) action decides.
  - Wrong credentials, an unreachable API or a TLS verification failure do not fail the task; the
    module returns RV(status=error) with RV(error) naming the problem.
  - "Time bound: every HTTP request has O(api_timeout) for connecting and for each read; the whole conversation
    (authentication, extension list) ends within 4 x O(api_timeout) (at least 5 s): it runs in a daemon thread
    joined with that deadline, so an API that trickles its answer gives an RV(error) of kind C(timeout) in time."
author:
  - scs.secure_connections contributors (@SovereignCloudStack)
extends_documentation_fragment:
  - scs.secure_connections.attributes
  - scs.secure_connections.openstack
options: {}
seealso:
  - module: scs.secure_connections.keystone_catalog_info
  - module: scs.secure_connections.storage_network_info
  - name: Neutron VPNaaS
    description: The VPN as a service extension of Neutron.
    link: https://docs.openstack.org/neutron-vpnaas/latest/
'''

EXAMPLES = r'''
- name: Neutron API extensions (is VPNaaS offered?)
  scs.secure_connections.neutron_extension_info:
    cloud: mycloud
  delegate_to: localhost
  run_once: true
  register: neutron_extensions
'''

RETURN = r'''
status:
  description: V(ok) when the list was read, V(error) when it could not be (see RV(error)).
  returned: always
  type: str
  sample: ok
error:
  description: Why the list could not be read (C(kind), C(message)), or null.
  returned: always
  type: dict
  sample: {kind: not_found, message: "No endpoint of the network service found in the catalog"}
endpoint:
  description: The network API endpoint used, or null.
  returned: always
  type: str
  sample: https://api.example.com:9696
auth_url:
  description: Keystone URL authenticated against, or null.
  returned: always
  type: str
  sample: https://api.example.com:5000/v3
region_name:
  description: Region used, or null.
  returned: always
  type: str
  sample: RegionOne
extensions:
  description: Every extension with C(alias), C(name) and C(updated_at), sorted by alias.
  returned: always
  type: list
  elements: dict
  sample: [{alias: vpnaas, name: VPN service, updated_at: "2012-05-29T10:00:00-00:00"}]
aliases:
  description: The extension aliases.
  returned: always
  type: list
  elements: str
  sample: [agent, router, vpnaas]
vpnaas:
  description: Whether the VPNaaS extension (alias C(vpnaas)) is listed; null on error.
  returned: always
  type: bool
  sample: true
vpnaas_aliases:
  description: VPNaaS-related aliases listed (C(vpnaas), C(vpn-endpoint-groups), C(vpn-flavors)).
  returned: always
  type: list
  elements: str
  sample: [vpn-endpoint-groups, vpnaas]
'''

from ansible_collections.scs.secure_connections.plugins.module_utils._gather.neutron import (  # noqa: E402
    EMPTY_RESULT,
    collect_extensions,
)
from ansible_collections.scs.secure_connections.plugins.module_utils._gather.openstack import (  # noqa: E402
    OPENSTACK_ARGUMENT_SPEC,
    OpenStackInfoModule,
)

ARGUMENT_SPEC = dict(OPENSTACK_ARGUMENT_SPEC)


class NeutronExtensionInfo(OpenStackInfoModule):
    empty_result = EMPTY_RESULT

    def run(self):
        return collect_extensions(self.conn)


def main():
    NeutronExtensionInfo(ARGUMENT_SPEC)()


if __name__ == '__main__':
    main()
