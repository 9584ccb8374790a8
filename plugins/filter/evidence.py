# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Evidence filters: a registered module result as evidence, every host's evidence for the report.

The implementation is shared with the host_evidence_info action plugin: plugins/plugin_utils/evidence.py."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.scs.secure_connections.plugins.plugin_utils.evidence import (
    audit_failure,
    collect_evidence,
    host_evidence,
    module_evidence,
    tls_probe_plan,
    with_channel,
    with_delegated_probes,
)


class FilterModule(object):
    def filters(self):
        return {'audit_failure': audit_failure, 'collect_evidence': collect_evidence, 'module_evidence': module_evidence,
                'with_channel': with_channel, 'host_evidence': host_evidence, 'with_delegated_probes': with_delegated_probes,
                'tls_probe_plan': tls_probe_plan}
