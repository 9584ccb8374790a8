# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The TLS engine as ``tls_endpoint_info`` returns its results: the prober's observations
(``_tls/scan.py``, which does not judge) with the ``mozilla`` block of ``_core/mozilla.attach`` at
``options['level']`` / ``options['guidelines']`` (default ``intermediate``, the shipped 5.7)."""

from __future__ import absolute_import, division, print_function

from ansible_collections.scs.secure_connections.plugins.module_utils._core.mozilla import attach
from ansible_collections.scs.secure_connections.plugins.module_utils._core.mozilla_data import GUIDELINES
from ansible_collections.scs.secure_connections.plugins.module_utils._tls import scan


def _judge(results, options):
    options = options or {}
    return attach(results, options.get('guidelines') or GUIDELINES, options.get('level') or 'intermediate')


def scan_endpoint(endpoint, options=None):
    return _judge([scan.scan_endpoint(endpoint, options)], options)[0]


def scan_endpoints(endpoints, options=None):
    return _judge(scan.scan_endpoints(endpoints, options), options)
