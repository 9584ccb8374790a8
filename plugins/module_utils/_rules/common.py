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
