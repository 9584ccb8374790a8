# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ``record`` option of host_evidence_info: its spec, shared by the module (documented in its argument spec) and by
its action plugin, which handles the option on the controller (plugins/action/host_evidence_info.py)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

RECORD_SPEC = dict(
    host=dict(type='str', required=True),
    run_tags=dict(type='list', elements='str', default=[]),
    skip_tags=dict(type='list', elements='str', default=[]),
    net_extensions=dict(type='raw'),
    show_evidence=dict(type='bool', default=False),
    tls=dict(type='dict', default={}, options=dict(
        declared=dict(type='list', elements='dict', default=[]),
        exclude_ports=dict(type='list', elements='int', default=[]),
        discover_listeners=dict(type='bool', default=True),
        probe_from=dict(type='str', default=''),
        node_address=dict(type='str', default=''),
    )),
)
