# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The audit plan filter: which channels of the catalog run on a host, and which controls are skipped
(plugins/plugin_utils/plan.py, shared with the host_evidence_info action)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.errors import AnsibleFilterError

from ansible_collections.scs.secure_connections.plugins.module_utils._core.catalog import CatalogError
from ansible_collections.scs.secure_connections.plugins.plugin_utils import plan


def audit_plan(channels, skip_controls=None, run_tags=None, skip_tags=None):
    """``{channels, skip_controls, catalog_channels}`` for one audit run (see plugin_utils/plan.audit_plan)."""
    try:
        return plan.audit_plan(channels, skip_controls, run_tags, skip_tags)
    except CatalogError as exc:
        raise AnsibleFilterError('audit_plan: %s' % exc)


class FilterModule(object):
    def filters(self):
        return {'audit_plan': audit_plan}
