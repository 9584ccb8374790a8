# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The HTML report in a real browser (headless Chromium): the demo-like report (html_demo.py: every control's fail
and pass scenario in one cloud, with a certificate inventory) is laid out by Chromium at 1280 px; the control
details start within four screens of 1000 px (triage, summary and nodes before them, long lists folded), and a
screenshot is taken (kept in SCS_HTML_SHOT_DIR when set, to look at). Without Chromium the test skips, except in
CI (``CI`` set), where that is a failure (Debian package ``chromium``, requirements/apt.txt)."""

from __future__ import absolute_import, division, print_function

import os
import re
import shutil
import subprocess
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import html_demo  # noqa: E402  pylint: disable=wrong-import-position

SCREEN = 1000
MEASURE = ('<script>window.addEventListener("load", function () {'
           'var h = Array.prototype.filter.call(document.querySelectorAll("h2"), function (e) { return e.textContent === "Controls"; })[0];'
           'document.body.setAttribute("data-controls-top", String(Math.round(h.getBoundingClientRect().top + window.scrollY)));'
           'document.body.setAttribute("data-height", String(document.documentElement.scrollHeight)); });</script>')


def _chromium():
    for name in ('chromium', 'chromium-browser', 'google-chrome'):
        if shutil.which(name):
            return shutil.which(name)
    (pytest.fail if os.environ.get('CI') else pytest.skip)('headless Chromium is not installed (requirements/apt.txt: chromium)')
    return None


def _run(argv):
    return subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True, timeout=120, check=False)


def test_demo_report_in_chromium(tmp_path):
    browser = _chromium()
    page, report = html_demo.build(str(tmp_path / 'report'))
    assert report['verdict'] == 'non_conformant' and len(report['findings']) > 100 and report['certificate_inventory']['certificates']
    base = ['--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars', '--window-size=1280,%d' % SCREEN]
    measured = tmp_path / 'measure.html'
    measured.write_text(open(page).read().replace('</body>', MEASURE + '</body>'))
    dom = _run([browser] + base + ['--dump-dom', 'file://%s' % measured]).stdout
    top = re.search(r'data-controls-top="(\d+)"', dom)
    height = re.search(r'data-height="(\d+)"', dom)
    assert top and height, dom[-2000:]
    assert int(top.group(1)) <= 4 * SCREEN, 'the control details start at %s px: more than four screens before them' % top.group(1)
    shot_dir = os.environ.get('SCS_HTML_SHOT_DIR') or str(tmp_path)
    shot = os.path.join(shot_dir, 'scs-0125-report.png')
    proc = _run([browser] + base[:-1] + ['--window-size=1280,%d' % (4 * SCREEN), '--screenshot=%s' % shot, 'file://%s' % page])
    assert os.path.isfile(shot) and os.path.getsize(shot) > 50000, proc.stderr[-2000:]
    with open(shot, 'rb') as handle:
        assert handle.read(8) == b'\x89PNG\r\n\x1a\n'
