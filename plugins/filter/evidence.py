# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Evidence filters: a registered module result as evidence, every host's evidence for the report."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.errors import AnsibleFilterError

# Keys Ansible adds to a registered result (task outcome, loop and conditional bookkeeping); none is evidence.
BOOKKEEPING_KEYS = frozenset(('invocation', 'changed', 'warnings', 'deprecations', 'exception', 'skipped', 'skip_reason',
                              'false_condition', 'item', 'ansible_loop_var', 'ansible_index_var', 'ansible_loop', 'attempts'))


def module_evidence(result):
    """A registered module result without Ansible's bookkeeping keys.

    ``failed`` and ``msg`` stay when the module failed (the rules turn them into an ``error``
    finding) and go when it succeeded; keys starting with ``_ansible`` always go.
    """
    if result is None:
        return {}
    if not isinstance(result, dict):
        raise AnsibleFilterError('module_evidence expects a registered module result (a mapping), got %r' % (result,))
    failed = bool(result.get('failed'))
    drop = BOOKKEEPING_KEYS if failed else BOOKKEEPING_KEYS | frozenset(('failed', 'msg'))
    return dict((k, v) for k, v in result.items() if k not in drop and not str(k).startswith('_ansible'))


def with_channel(evidence, channel, channel_evidence):
    """``evidence`` (a host's ``audit_evidence``) with ``channel``'s evidence set and the channel marked gathered.

    ``discovery`` is recorded but not listed in ``channels`` (it is no channel of the catalog).
    """
    if evidence is None:
        evidence = {}
    if not isinstance(evidence, dict) or not isinstance(channel, str) or not channel:
        raise AnsibleFilterError('with_channel expects the evidence mapping and a channel name, got %r and %r' % (evidence, channel))
    out = dict(evidence)
    out[channel] = channel_evidence
    channels = list(out.get('channels') or [])
    if channel != 'discovery' and channel not in channels:
        channels.append(channel)
    out['channels'] = channels
    return out


# audit_status of a host while its audit runs: the audit role replaces it with {audited: true} after the last channel,
# so a host that stopped on the way (a task failed, the host became unreachable) is reported as not audited.
UNFINISHED = 'the audit did not finish on this host: a task failed or the host became unreachable (see the play output)'


def _first_lines(text, limit=300):
    text = ' '.join(str(text or '').split())
    return text if len(text) <= limit else text[:limit] + '...'


def audit_failure(result):
    """Why a host could not be audited, from its registered discovery result (``openstack_config_info`` run with
    ``ignore_unreachable`` and ``failed_when: false``), or ``''`` when discovery worked.

    Unreachable; the module could not run (no Python, a broken interpreter: its stderr is quoted); discovery
    failed; or the audit root does not exist (nothing under it could be read, so every verdict would be empty)."""
    if not isinstance(result, dict):
        return 'discovery did not run on this host'
    if result.get('unreachable'):
        return 'unreachable: %s' % _first_lines(result.get('msg') or 'no reason given')
    # host_evidence_info carries discovery inside its evidence; openstack_config_info is discovery itself
    one_call = isinstance(result.get('evidence'), dict)
    discovery = result['evidence'].get('discovery') if one_call else result
    if result.get('failed') or not isinstance(discovery, dict) or 'root' not in discovery:
        detail = [_first_lines(result.get(k)) for k in ('msg', 'module_stderr', 'module_stdout') if result.get(k)]
        return 'discovery failed: %s' % ('; '.join(detail) or 'no reason given')
    for error in discovery.get('errors') or []:
        if isinstance(error, dict) and error.get('kind') == 'root':
            return 'audit_root cannot be audited: %s' % error.get('message')
    return ''


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


NODE_CHANNELS = ('db', 'mq', 'hv', 'net', 'sto')


def _delegated(evidence, probes):
    """The results of the looped delegated probe task put into their channels' ``tls`` evidence."""
    for res in (probes or {}).get('results') or []:
        item = res.get('item') or {}
        channel = item.get('channel')
        if channel not in evidence or not isinstance(evidence[channel], dict):
            continue
        failed = res.get('endpoints') is None
        tls = {'endpoints': res.get('endpoints') or []}
        if channel in ('db', 'hv'):
            tls['error'] = (res.get('msg') or 'tls_endpoint_info failed without a message') if failed else None
        if channel == 'db':
            tls['probed'] = True
        evidence[channel] = dict(evidence[channel], tls=tls)


def host_evidence(result, channels=None, delegated_probes=None, net_extensions=None):
    """A host's ``audit_evidence`` from a registered ``host_evidence_info`` result, the looped delegated probes and the
    run's Neutron extension list. A module that could not run gives every selected node channel ``failed`` + ``msg``
    (error findings), never an empty channel."""
    if not isinstance(result, dict):
        raise AnsibleFilterError('host_evidence expects the registered result of host_evidence_info, got %r' % (result,))
    if not isinstance(result.get('evidence'), dict):
        failure = {'failed': True, 'msg': 'host_evidence_info failed: %s' % (result.get('msg') or 'no message')}
        gathered = [c for c in channels or [] if c in NODE_CHANNELS]
        evidence = dict(((c, dict(failure)) for c in gathered), channels=gathered, discovery=dict(failure))
        return evidence
    evidence = dict(result['evidence'])
    _delegated(evidence, delegated_probes)
    if isinstance(evidence.get('net'), dict) and isinstance(net_extensions, dict) and not net_extensions.get('skipped'):
        evidence['net'] = dict(evidence['net'], extensions=module_evidence(net_extensions))
    return evidence


class FilterModule(object):
    def filters(self):
        return {'audit_failure': audit_failure, 'collect_evidence': collect_evidence, 'module_evidence': module_evidence,
                'with_channel': with_channel, 'host_evidence': host_evidence}
