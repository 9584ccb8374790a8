# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What several rule modules share. Rules import only ``_core`` and this module.

The Mozilla verdict of a TLS probe is judged here, once, for every channel: :func:`judge_probe`
turns a ``tls_endpoint_info`` endpoint result (the observation) into pass / fail / error with
``_core/mozilla.evaluate`` at the report's guidelines and level (``ctx.options['mozilla_guidelines']``,
``ctx.options['mozilla_level']``). The ``mozilla`` block a node may have attached to the result
(``tls_endpoint_info`` computes one for standalone users) is never read, so one probe gets the same
verdict in the TLS channel and in the API, DB, MQ and HV channels.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.scs.secure_connections.plugins.module_utils._core.mozilla import evaluate, failures, undetermined
from ansible_collections.scs.secure_connections.plugins.module_utils._core.mozilla_data import GUIDELINES

DEFAULT_LEVEL = 'intermediate'
# error kinds of tls_endpoint_info meaning "the peer speaks something other than TLS" (not: unreachable
# or broken TLS): an observation about the listener, not a failed probe.
NOT_TLS_KINDS = ('not_tls', 'plaintext')


def mozilla_profile(ctx):
    """``(guidelines, level)`` the report judges at (default: the shipped 5.7 guidelines, ``intermediate``)."""
    return ctx.options.get('mozilla_guidelines') or GUIDELINES, ctx.options.get('mozilla_level') or DEFAULT_LEVEL


def judge_probe(ctx, result):
    """The Mozilla verdict of one TLS probe result at the report's level.

    Returns a dict:

    * ``status``: ``pass`` (every criterion passes), ``fail`` (``failed`` names the failing criteria),
      ``error`` (not scanned: see ``error`` / ``not_tls``; or scanned but a criterion could not be
      determined: see ``undetermined``);
    * ``scanned``: the probe completed (``status: ok`` in the result);
    * ``error``: the probe's ``{kind, message}`` when not scanned; ``not_tls``: the peer answered but
      not with TLS (plaintext, another protocol);
    * ``level``, ``version``: the profile judged against; ``mozilla``: the full block (criteria);
    * ``failed``, ``undetermined``: the criteria items concerned.
    """
    guidelines, level = mozilla_profile(ctx)
    result = result if isinstance(result, dict) else {}
    mozilla = evaluate(result, guidelines, level)
    scanned = result.get('status') == 'ok'
    error = None if scanned else (result.get('error') or {})
    failed = failures(mozilla)
    open_items = undetermined(mozilla) if scanned else []
    if scanned and mozilla.get('compliant') is True:
        status = 'pass'
    elif scanned and failed:
        status = 'fail'
    else:
        status = 'error'
    return {'status': status, 'scanned': scanned, 'error': error, 'not_tls': bool(error) and error.get('kind') in NOT_TLS_KINDS,
            'level': level, 'version': mozilla.get('guidelines_version'), 'mozilla': mozilla, 'failed': failed,
            'undetermined': open_items}


# ----------------------------------------------------------------------------------------------
# broken input and evidence of absence (docs/report.md "Statuses of a finding")

# kinds of discovery errors (``_gather/discovery.py``) that mean "this input could not be read whole";
# an error without a kind (older evidence) counts as one too.
INPUT_ERROR_KINDS = ('unreadable', 'undecodable', 'parse', 'include_loop', 'unreadable_dir', 'internal', 'root')


def input_errors(*entries):
    """The read/parse errors (``{file, message, kind}``) of discovery entries (a service, an infrastructure
    entry, or the discovery result itself): those of the kinds in INPUT_ERROR_KINDS (or without a kind)."""
    out = []
    for entry in entries:
        for error in (entry.get('errors') if isinstance(entry, dict) else None) or []:
            if isinstance(error, dict) and error.get('kind', 'unreadable') in INPUT_ERROR_KINDS:
                out.append(error)
    return out


def broken_input(ctx, control_id, host, entries, depends, **target):
    """The ``error`` finding for ``control_id`` on ``host`` when an input its verdict depends on (the discovery
    ``entries``) could not be read whole (unreadable, truncated, undecodable, include loop), else None.

    Every rule that judges settings read from files calls this first for the entries the verdict depends on:
    never a verdict from the part of a file that could be read. ``depends``: what the verdict needed (words)."""
    errors = input_errors(*entries)
    if not errors:
        return None
    text = '; '.join('%s: %s' % (e.get('file') or '?', e.get('message')) for e in errors[:5])
    target.setdefault('file', errors[0].get('file'))
    return ctx.finding(control_id, 'error', 'not judged: %s could not be read whole (%s%s); a verdict from the rest would be a '
                       'guess' % (depends, text, '; %d more' % (len(errors) - 5) if len(errors) > 5 else ''),
                       host=host, evidence={'input_errors': errors[:20]},
                       remediation='make the files readable by the audit (audit_become, permissions) and repair them, then audit again',
                       **target)


# keys every openstack_config_info result has: a result without one of them is incomplete, not a clean read
DISCOVERY_KEYS = ('root', 'services', 'infrastructure', 'errors')
# keys every service entry of it has
SERVICE_KEYS = ('service', 'files', 'errors', 'database_urls', 'transport_urls', 'api_clients')


def discovery_absence(ctx, host, what, needs=()):
    """Evidence of absence from discovery, or None: ``what`` (e.g. "no rabbitmq.conf and no rabbit:// URL")
    counts only when discovery ran on ``host`` and read its tree without an input error anywhere (an unreadable
    directory or file could hide exactly what was not found)."""
    discovery = ctx.evidence(host, 'discovery')
    if not isinstance(discovery, dict) or discovery.get('failed') or any(k not in discovery for k in DISCOVERY_KEYS):
        return None
    if any(not isinstance((discovery.get('infrastructure') or {}).get(kind), list) for kind in needs):
        return None  # the infrastructure kinds the absence rests on were not gathered
    entries = [discovery] + [s for s in discovery.get('services') or [] if isinstance(s, dict)]
    if any(k not in s for s in entries[1:] for k in SERVICE_KEYS):
        return None
    for items in (discovery.get('infrastructure') or {}).values():
        entries.extend(i for i in items or [] if isinstance(i, dict))
    if input_errors(*entries):
        return None
    return 'discovery read %s without read errors: %s' % (discovery.get('root') or '/', what)


def not_observable(ev):
    """True when the only reason the network could not be read is that it is not observable (a snapshot without its
    node's sys/ and proc/): "configured, not observed" - not_assessed, never an error and never a verdict."""
    errors = [e for e in (ev or {}).get('errors') or [] if isinstance(e, dict) and e.get('component') == 'network']
    return bool(errors) and all(e.get('kind') == 'not_observable' for e in errors)
