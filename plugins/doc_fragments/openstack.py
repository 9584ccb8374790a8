# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    """Authentication options of the collection's OpenStack API modules (same names as openstack.cloud)."""

    DOCUMENTATION = r'''
options:
  cloud:
    description:
      - Name of a cloud in C(clouds.yaml) (searched where openstacksdk searches it, for example
        C(./clouds.yaml), C(~/.config/openstack/clouds.yaml), C(/etc/openstack/clouds.yaml), or the file named
        by E(OS_CLIENT_CONFIG_FILE)), or a dictionary holding a complete cloud configuration in
        C(clouds.yaml) format (with an C(auth) dictionary).
      - With a dictionary, the other options given next to it override its keys, and neither C(clouds.yaml)
        nor E(OS_*) environment variables are read.
      - Without O(cloud) and O(auth), openstacksdk reads E(OS_CLOUD) or the E(OS_*) environment variables.
      - Secret values inside a dictionary (under C(auth), or keys named like C(password)) are masked in the output.
    type: raw
  auth:
    description:
      - Authentication dictionary as in C(clouds.yaml), for example C(auth_url), C(username), C(password),
        C(project_name), C(user_domain_name), C(project_domain_name), or C(application_credential_id) and
        C(application_credential_secret).
      - Every value except well-known public keys (C(auth_url), user, project and domain names and IDs,
        C(application_credential_id)/C(_name), C(system_scope) ...) is treated as a secret and never appears in
        the output.
    type: dict
  auth_type:
    description:
      - Name of the keystoneauth plugin, for example C(password), C(v3applicationcredential), C(token).
      - Defaults to what the cloud configuration says, else C(password).
    type: str
  region_name:
    description:
      - Region to use for region-specific API calls. The catalog itself always lists every region.
    type: str
  interface:
    description:
      - Endpoint interface used to reach the Identity API after authentication (the admin endpoint list is
        read through it).
      - Defaults to the cloud configuration's C(interface), else C(public).
    type: str
    choices: [public, internal, admin]
    aliases: [endpoint_type]
  validate_certs:
    description:
      - Whether to verify the Keystone TLS certificate. Defaults to the cloud configuration (C(verify)), else V(true).
      - Setting V(false) is never needed for a private CA; name the CA with O(ca_cert) instead.
    type: bool
    aliases: [verify]
  ca_cert:
    description:
      - CA bundle (PEM) to verify the Keystone and API certificates with, for a cloud signed by its own CA.
    type: path
    aliases: [cacert]
  client_cert:
    description:
      - Client certificate (PEM) for TLS client authentication to the APIs.
    type: path
    aliases: [cert]
  client_key:
    description:
      - Private key (PEM) of O(client_cert). This is a path, not the key itself.
    type: path
    aliases: [key]
  api_timeout:
    description:
      - Timeout in seconds of every HTTP request to the cloud (authentication included).
      - Overrides C(api_timeout) of the cloud configuration.
    type: int
    default: 30
requirements:
  - openstacksdk >= 1.0 (on the host that runs the module)
notes:
  - Authentication options follow the P(openstack.cloud.project_info#module) family of modules, so existing
    C(clouds.yaml) files and C(module_defaults) work unchanged.
'''
