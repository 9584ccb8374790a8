# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The TLS server corpus (lab/tls_servers.py), started once per test session."""

from __future__ import absolute_import, division, print_function

import os
import shutil
import sys
import time

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
if REPO not in sys.path:
    sys.path.insert(0, REPO)

BINARIES = {'nginx': 'nginx-light', 'haproxy': 'haproxy', 'openssl': 'openssl'}


def missing_binaries():
    return ['%s (Debian package %s)' % (b, p) for b, p in sorted(BINARIES.items())
            if not (shutil.which(b) or os.path.exists('/usr/sbin/' + b))]


@pytest.fixture(scope='session')
def tls_corpus(tmp_path_factory):
    """Every corpus member running on 127.0.0.1, PKI made at setup; stopped (by PID) at the end of the session."""
    missing = missing_binaries()
    if missing:
        pytest.skip('TLS corpus needs %s' % ', '.join(missing))
    from lab.tls_servers import start_corpus
    begin = time.monotonic()
    corpus = start_corpus(str(tmp_path_factory.mktemp('tls-corpus')))
    corpus.start_seconds = round(time.monotonic() - begin, 2)
    try:
        yield corpus
    finally:
        corpus.stop()


def pytest_report_header(config):
    from lab.tls_servers import sslyze_version
    return 'TLS corpus reference: sslyze %s' % (sslyze_version() or 'not installed')
