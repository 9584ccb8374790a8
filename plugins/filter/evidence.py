# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Collect every audited host's ``audit_evidence`` fact into one mapping for the report."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.errors import AnsibleFilterError


def collect_evidence(hosts, hostvars, fact='audit_evidence'):
    """``{host: evidence}``; a host without the fact is marked as not audited (never silently dropped)."""
    if isinstance(hosts, str):
        hosts = [hosts]
    out = {}
    for host in hosts or []:
        try:
            host_vars = hostvars[host]
        except KeyError:
            raise AnsibleFilterError('collect_evidence: host %s is not in the inventory' % host)
        evidence = host_vars.get(fact) if hasattr(host_vars, 'get') else None
        if evidence is None:
            out[host] = {'channels': [], 'audit_status': {'audited': False,
                                                          'reason': 'no evidence: the host was unreachable, failed, or skipped by a limit'}}
        else:
            out[host] = evidence
    return out


class FilterModule(object):
    def filters(self):
        return {'collect_evidence': collect_evidence}
