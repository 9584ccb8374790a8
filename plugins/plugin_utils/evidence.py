# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A host's evidence on the controller: a module result as evidence, the record of ``host_evidence_info``, the steps
that still have to record on a host, every host's evidence for the report.

Used by the evidence filters (plugins/filter/evidence.py, endpoints.py) and by the ``host_evidence_info`` action plugin,
so the audit role's tasks and the one-call record share one implementation (docs/scale.md).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.errors import AnsibleFilterError

from ansible_collections.scs.secure_connections.plugins.module_utils._core.evaluator import EvidenceError, validate_evidence
from ansible_collections.scs.secure_connections.plugins.module_utils._gather import tls_targets

# Keys Ansible adds to a registered result (task outcome, loop and conditional bookkeeping); none is evidence.
BOOKKEEPING_KEYS = frozenset(('invocation', 'changed', 'warnings', 'deprecations', 'exception', 'skipped', 'skip_reason',
                              'false_condition', 'item', 'ansible_loop_var', 'ansible_index_var', 'ansible_loop', 'attempts'))

# audit_status of a host while steps that record on it are pending (the tls probes, probes delegated to other hosts):
# each step's record takes itself off ``pending``; the last one marks the host audited. A host that stopped on the way
# (a task failed, the host became unreachable) keeps this status and is reported as not audited.
UNFINISHED = 'the audit did not finish on this host: a task failed or the host became unreachable (see the play output)'

NODE_CHANNELS = ('db', 'mq', 'hv', 'net', 'sto')
# channels whose probes may run from another host (audit_db/mq/hv_probe_delegate_to), the endpoint keys a probe takes
# (tls_endpoint_info), and how many endpoints one delegated probe may carry
PROBE_CHANNELS = ('db', 'mq', 'hv')
ENDPOINT_KEYS = ('host', 'port', 'server_name', 'starttls', 'label', 'source')
MAX_DELEGATED_ENDPOINTS = 512


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


def settle(evidence, step):
    """``evidence`` (a copy) with ``step`` taken off ``audit_status.pending``; the last pending step marks the host
    audited. Evidence without pending steps is returned as it is."""
    status = evidence.get('audit_status')
    if not isinstance(status, dict) or step not in (status.get('pending') or []):
        return evidence
    pending = [s for s in status['pending'] if s != step]
    out = dict(evidence)
    out['audit_status'] = dict(status, pending=pending) if pending else {'audited': True}
    if step == 'delegated' and pending:
        out['audit_status'].pop('delegated_probes', None)
    return out


def with_channel(evidence, channel, channel_evidence):
    """``evidence`` (a host's ``audit_evidence``) with ``channel``'s evidence set, the channel marked gathered and, when
    the channel was a pending step of the host, taken off ``audit_status.pending``.

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
    return settle(out, channel)


def _first_lines(text, limit=300):
    text = ' '.join(str(text or '').split())
    return text if len(text) <= limit else text[:limit] + '...'


def audit_failure(result):
    """Why a host could not be audited, from its discovery result (``host_evidence_info`` or ``openstack_config_info``,
    run so that a failure is a result, not a failed task), or ``''`` when discovery worked.

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


def not_audited(reason):
    """The evidence of a host that was not audited, with ``reason``."""
    return {'channels': [], 'audit_status': {'audited': False, 'reason': reason}}


def host_record(value):
    """A host's ``audit_evidence`` as the report reads it. The audit role registers it from the gather task, so Ansible's
    bookkeeping keys (``changed``, ...) are dropped; a gather task that failed, was skipped or found the host unreachable
    makes the host not audited with the task's message."""
    if not isinstance(value, dict):
        return value
    if value.get('failed') or value.get('unreachable') or value.get('skipped'):
        what = 'unreachable' if value.get('unreachable') else 'skipped' if value.get('skipped') else 'failed'
        detail = _first_lines(value.get('msg') or value.get('skip_reason') or 'no message')
        return not_audited('the audit task %s on this host: %s' % (what, detail))
    drop = BOOKKEEPING_KEYS | frozenset(('failed', 'changed_when_result', 'failed_when_result'))
    return dict((k, v) for k, v in value.items() if k not in drop and not str(k).startswith('_ansible'))


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
            out[host] = not_audited('no evidence: the host was unreachable, failed, or skipped by a limit')
        else:
            out[host] = host_record(evidence)
    return out


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


def trusted_delegated_probes(probes, options, level):
    """The probes a node hands back to run from other hosts, rebuilt from the task's own channel ``options``: only the
    channel and its endpoints (their ``ENDPOINT_KEYS``) come from the node, never the host a probe runs from, the CA or
    client files or the timeout. ``(probes, warnings)``: a probe for a channel the task did not set up to delegate is
    dropped, one with more than ``MAX_DELEGATED_ENDPOINTS`` endpoints is cut there, each with a warning."""
    out, warnings = [], []
    for probe in probes if isinstance(probes, list) else []:
        channel = probe.get('channel') if isinstance(probe, dict) else None
        opts = (options or {}).get(channel) if channel in PROBE_CHANNELS else None
        if not isinstance(opts, dict) or not opts.get('probe_delegate_to') or opts.get('probe_local', True):
            warnings.append('the node handed back a probe the task did not ask for (channel %r): ignored' % (channel,))
            continue
        endpoints = [dict((k, item[k]) for k in ENDPOINT_KEYS if k in item)
                     for item in probe.get('endpoints') if isinstance(item, dict)] if isinstance(probe.get('endpoints'), list) else []
        if len(endpoints) > MAX_DELEGATED_ENDPOINTS:
            warnings.append('%s: the node handed back %d endpoints to probe from %s; the first %d are probed'
                            % (channel, len(endpoints), opts['probe_delegate_to'], MAX_DELEGATED_ENDPOINTS))
            endpoints = endpoints[:MAX_DELEGATED_ENDPOINTS]
        out.append({'channel': channel, 'delegate_to': opts['probe_delegate_to'], 'endpoints': endpoints,
                    'ca_files': list(opts.get('probe_ca_files') or []), 'client_cert': opts.get('probe_client_cert') or '',
                    'client_key': opts.get('probe_client_key') or '', 'timeout': opts.get('probe_timeout') or 5, 'level': level})
    return out, warnings


def with_delegated_probes(evidence, probes):
    """``evidence`` with the results of the looped delegated probe task in their channels' ``tls`` evidence, and the
    ``delegated`` step taken off ``audit_status.pending``."""
    if not isinstance(evidence, dict):
        raise AnsibleFilterError('with_delegated_probes expects the evidence mapping, got %r' % (evidence,))
    out = dict(evidence)
    _delegated(out, probes)
    return settle(out, 'delegated')


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


def other_netns_listeners(listeners):
    """The discovered listeners in other network namespaces, as ``{address, port, netns, process, container, reason}``:
    reported as not probed, never probed in the host's namespace."""
    return [{'address': item.get('address'), 'port': item.get('port'), 'netns': item.get('netns'), 'process': item.get('process'),
             'container': item.get('container'), 'reason': 'in network namespace %s: not probed' % item.get('netns')}
            for item in tls_targets.listener_probe_split(listeners)[1]]


def mappings(items, what, keys):
    """``items`` as a list, each a mapping with ``keys``; AnsibleFilterError naming ``what`` and the first bad item."""
    items = list(items or [])
    for item in items:
        if not isinstance(item, dict) or any(k not in item for k in keys):
            raise AnsibleFilterError('%s expects mappings with %s, got %r' % (what, ' and '.join('"%s"' % k for k in keys), item))
    return items


def tls_probe_plan(discovery, host, declared=None, exclude_ports=None, discover_listeners=True, probe_from='', node_address=''):
    """The tls channel's probe targets on ``host`` and the listeners it cannot probe: ``{endpoints, not_probed}``.

    ``endpoints``: the declared endpoints, the listeners of the host's own network namespace discovery read from a live
    ``/proc`` (when the probe runs on the host), or the configured listeners on ``node_address`` (when ``probe_from``
    names another host); repeated ``host:port:starttls`` dropped. ``not_probed``: live listeners of other namespaces.
    Ports in ``exclude_ports`` are neither probed nor reported."""
    discovery = discovery if isinstance(discovery, dict) else {}
    exclude = list(exclude_ports or [])
    live = bool(discover_listeners) and discovery.get('listeners_source') in ('/proc', '/proc/')
    here = (probe_from or '') in ('', host)
    listeners = [item for item in mappings(discovery.get('listeners'), 'tls_probe_plan listeners', ('port',))
                 if item.get('port') not in exclude] if live else []
    endpoints = [dict(item, source='declared') for item in mappings(declared, 'tls_probe_plan declared endpoints', ('host', 'port'))]
    if here:
        endpoints += [tls_targets.listener_endpoint(item) for item in tls_targets.listener_probe_split(listeners)[0]]
    else:
        configured = mappings(discovery.get('configured_listeners'), 'tls_probe_plan configured listeners', ('port',))
        endpoints += tls_targets.configured_endpoints(configured, node_address or None)
    return {'endpoints': tls_targets.unique_endpoints(endpoints), 'not_probed': other_netns_listeners(listeners)}


def _malformed(result, host):
    """Why a gather result that ran is no evidence the report can read (a broken or hostile node can answer anything),
    or ''. Checked here so one such node is a host not audited, not a report that cannot be written."""
    try:
        validate_evidence({host: result.get('evidence') or {}})
    except EvidenceError as exc:
        return 'the gather call returned malformed evidence: %s' % exc
    listed = result.get('node_channels')
    if listed is not None and not (isinstance(listed, list) and all(isinstance(c, str) for c in listed)):
        return 'the gather call returned malformed evidence: "node_channels" must be a list of channel names'
    if not isinstance(result.get('delegated_probes', []), list):
        return 'the gather call returned malformed evidence: "delegated_probes" must be a list'
    return ''


def record_host(result, channels, host, net_extensions=None, tls=None):
    """A host's ``audit_evidence`` from its ``host_evidence_info`` result: not audited with the cause when it could not
    be audited; else the evidence, the run's Neutron extension list in ``net``, the tls channel recorded when it has
    nothing to probe, and ``audit_status`` audited, or pending the steps that still record on the host (``delegated``:
    probes run from other hosts, ``result['delegated_probes']``; ``tls``: the tls channel's probes; any other planned
    channel the module does not gather, by its task file). The api channel is recorded once per run, never pending."""
    failure = audit_failure(result) or _malformed(result, host)
    if failure:
        return not_audited(failure)
    evidence = host_evidence(result, channels, None, net_extensions)
    delegated = list(result.get('delegated_probes') or [])
    pending = ['delegated'] if delegated else []
    if 'tls' in (channels or []):
        tls = dict(tls or {})
        skip = tls.pop('skip', False)
        try:
            plan = tls_probe_plan(evidence.get('discovery'), host, **tls)
        except AnsibleFilterError as exc:
            return not_audited('the gather call returned malformed evidence: %s' % _first_lines(exc))
        if skip or not plan['endpoints']:
            record = {'endpoints': [], 'probed_from': tls.get('probe_from') or host, 'not_probed': plan['not_probed']}
            evidence = with_channel(evidence, 'tls', record)
    gathered = set(result.get('node_channels') or NODE_CHANNELS) | set(evidence.get('channels') or [])
    pending += [c for c in channels or [] if c not in gathered and c != 'api']
    evidence['audit_status'] = {'audited': True}
    if pending:
        evidence['audit_status'] = {'audited': False, 'reason': UNFINISHED, 'pending': pending}
    if delegated:
        evidence['audit_status']['delegated_probes'] = delegated
    return evidence
