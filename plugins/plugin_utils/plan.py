# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The audit plan: which channels of the catalog run on a host, and which controls are skipped.

The channel list lives in the catalog (``data/controls.yml`` ``channels:``) alone; the audit_plan filter and the
host_evidence_info action read it through here, so a new channel needs no change in the roles' argument specs or tasks.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.scs.secure_connections.plugins.module_utils._core.catalog import (
    load_catalog,
    select_channels,
    select_controls,
)


def _tag_selected(channel, run_tags, skip_tags):
    """Ansible's rule for a task tagged [channel]: selected by --tags, not excluded by --skip-tags."""
    if set(skip_tags) & set(('all', 'tagged', channel)):
        return False
    return not run_tags or bool(set(run_tags) & set(('all', 'tagged', channel)))


def audit_plan(channels, skip_controls=None, run_tags=None, skip_tags=None):
    """``{channels, skip_controls, catalog_channels}`` for one audit run; ``_core.catalog.CatalogError`` for unknown names.

    ``channels``: ``audit_channels`` (names or ``all``); ``skip_controls``: ``audit_skip_controls``;
    ``run_tags`` / ``skip_tags``: ``ansible_run_tags`` / ``ansible_skip_tags``, so that a channel a
    ``--tags`` / ``--skip-tags`` selection leaves out is not even included.
    """
    catalog = load_catalog()
    selected = select_channels(channels, catalog)
    skipped = select_controls(skip_controls, catalog)
    run_tags, skip_tags = list(run_tags or []), list(skip_tags or [])
    return {'channels': [c for c in selected if _tag_selected(c, run_tags, skip_tags)],
            'skip_controls': skipped,
            'catalog_channels': list(catalog.get('channels') or {})}
