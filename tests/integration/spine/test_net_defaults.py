# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The net and hv channels' settings that default to another channel's or to audit_root (roles/audit/defaults/main/
net.yml and hv.yml: null = the audit_sto_* / audit_api_* value, or derived from audit_root and ansible_host), resolved
by the role's internal variables (vars/main.yml), through real Ansible variable precedence: the role's defaults as
group variables (below host variables, as role defaults are), one host per case with the operator's variables as host
variables."""

from __future__ import absolute_import, division, print_function

import glob
import json
import os
import re

import yaml

from lab.paths import REPO

ROLE = os.path.join(REPO, 'roles', 'audit')

CASES = {
    'nothing-set': {},
    'api-credentials': {'audit_api_cloud': 'lab', 'audit_api_timeout': 5, 'audit_api_validate_certs': 'no'},
    'net-own-cloud': {'audit_api_cloud': 'lab', 'audit_net_cloud': 'other', 'audit_net_api_timeout': 7},
    'net-api-off': {'audit_api_auth': {'auth_url': 'https://k:5000/v3'}, 'audit_net_query_api': False},
    'auth-only': {'audit_api_auth': {'auth_url': 'https://k:5000/v3'}},
    'sto-settings': {'audit_sto_netns': 'ns1', 'audit_sto_timeout': 3, 'network_interface': 'eth9', 'storage_interface': 'bond1'},
    'hv-snapshot': {'audit_root': '/srv/snap', 'ansible_host': '10.0.0.7'},
    'hv-own': {'audit_root': '/srv/snap', 'audit_hv_root': '/srv/other', 'audit_hv_proc_path': '/srv/proc', 'audit_hv_tls_probe_host': 'h1'},
    'net-own-node': {'audit_sto_netns': 'ns1', 'audit_net_netns': '', 'audit_net_route_source': 'proc',
                     'audit_net_traffic_interfaces': {'tunnel': 'vxlan0'}},
}

PLAY = '''
- hosts: all
  gather_facts: false
  vars_files: [%s]
  tasks:
    - ansible.builtin.copy:
        dest: "{{ out }}/{{ inventory_hostname }}.json"
        content: "{{ {'api': __audit_net_api, 'query': __audit_net_query_api, 'node': __audit_net_node, 'hv': __audit_hv_node} | to_json }}"
        mode: "0600"
'''


def _defaults():
    merged = {}
    for path in sorted(glob.glob(os.path.join(ROLE, 'defaults', 'main', '*.yml'))):
        with open(path) as handle:
            merged.update(yaml.safe_load(handle) or {})
    return merged


def test_derived_settings_take_their_default_values_unless_set(runner, tmp_path):
    defaults = _defaults()
    assert not any('{{' in str(defaults[k]) for k in defaults if k.startswith(('audit_net_', 'audit_hv_'))), 'plain defaults: nothing to template'
    hosts = dict((name, dict(case, ansible_connection='local')) for name, case in CASES.items())
    inventory = tmp_path / 'inventory.yml'
    inventory.write_text(yaml.safe_dump({'all': {'vars': defaults, 'hosts': hosts}}))
    out = tmp_path / 'out'
    out.mkdir()
    rc, log = runner.playbook(PLAY % json.dumps(os.path.join(ROLE, 'vars', 'main.yml')), inventory=str(inventory),
                              extra_vars={'out': str(out)})
    assert rc == 0, log
    got = dict((name, json.loads((out / ('%s.json' % name)).read_text())) for name in CASES)

    nothing = got['nothing-set']
    assert nothing['query'] is False
    assert nothing['api'] == {'cloud': '', 'auth': {}, 'auth_type': '', 'region_name': '', 'interface': '', 'ca_cert': '',
                              'validate_certs': True, 'api_timeout': 30}
    assert nothing['node'] == {'netns': '', 'route_source': 'auto', 'timeout': 10, 'traffic_interfaces': dict(
        (c, '') for c in ('management', 'api', 'tunnel', 'external', 'migration', 'storage', 'cluster'))}

    api = got['api-credentials']
    assert api['query'] is True and api['api']['cloud'] == 'lab' and api['api']['api_timeout'] == 5
    assert api['api']['validate_certs'] is False, "the API channel's 'no' is a boolean here too"
    own = got['net-own-cloud']
    assert own['api']['cloud'] == 'other' and own['api']['api_timeout'] == 7 and own['query'] is True
    assert got['net-api-off']['query'] is False, 'an explicit false wins over the credentials'
    assert got['auth-only']['query'] is True and got['auth-only']['api']['auth'] == {'auth_url': 'https://k:5000/v3'}

    sto = got['sto-settings']['node']
    assert sto['netns'] == 'ns1' and sto['timeout'] == 3
    assert sto['traffic_interfaces']['management'] == 'eth9' and sto['traffic_interfaces']['storage'] == 'bond1'
    node = got['net-own-node']['node']
    assert node['netns'] == '' and node['route_source'] == 'proc', "the net channel's own values, '' included"
    assert node['traffic_interfaces'] == {'tunnel': 'vxlan0'}
    assert nothing['hv'] == {'root': '/', 'proc_path': '/proc', 'tls_probe_host': 'nothing-set'}
    assert got['hv-snapshot']['hv'] == {'root': '/srv/snap', 'proc_path': '/srv/snap/proc', 'tls_probe_host': '10.0.0.7'}
    assert got['hv-own']['hv'] == {'root': '/srv/other', 'proc_path': '/srv/proc', 'tls_probe_host': 'h1'}
    assert not re.search(r'\[WARNING\]', log), log
