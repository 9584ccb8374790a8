# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The first screens a newcomer sees: scripts/bootstrap.sh (run by the demo and the tests) prints no
traceback and no [ERROR] line, and scripts/test.sh never claims "all stages passed" for a skipped stage."""

from __future__ import absolute_import, division, print_function

import hashlib
import os
import re
import subprocess

import pytest

from lab.paths import REPO


def _stamp_matches(venv, files):
    digest = hashlib.sha256()
    for name in files:
        with open(os.path.join(REPO, name), 'rb') as handle:
            digest.update(handle.read())
    try:
        with open(os.path.join(REPO, venv, '.requirements.sha256')) as handle:
            return handle.read().strip() == digest.hexdigest()
    except (IOError, OSError):
        return False


def test_bootstrap_is_quiet_when_everything_is_installed():
    if not (_stamp_matches('.venv', ['requirements/runtime.txt', 'requirements/test.txt'])
            and _stamp_matches('.venv-keystone', ['requirements/keystone.txt'])):
        pytest.skip('the environments were not built from these requirement files by scripts/bootstrap.sh: running it would rebuild them')
    proc = subprocess.run(['bash', os.path.join(REPO, 'scripts', 'bootstrap.sh'), '--no-apt'], cwd=REPO, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, universal_newlines=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stdout
    assert 'creating the Python environment' not in proc.stdout, 'a second run only checks'
    assert not re.search(r'Traceback|\[ERROR\]|Broken pipe', proc.stdout), proc.stdout
    assert re.search(r'ready: ansible \[core 2\.\d+\.\d+\]$', proc.stdout, re.M), proc.stdout


def test_test_sh_never_says_all_passed_for_a_skipped_stage():
    with open(os.path.join(REPO, 'scripts', 'test.sh')) as handle:
        script = handle.read()
    # the stage bookkeeping of test.sh, run with a passing, a failing and a skipped stage
    functions = re.search(r'^passed=\(\).*?\n(stage\(\).*?)^# A copy', script, re.M | re.S).group(1)
    summary = script[script.index('stage "summary"'):]
    for stages, code, expected in (
            ('run_stage one true; skip_stage two SCS_SKIP_X=1', 0, 'NOT RUN: two (SCS_SKIP_X=1)'),
            ('run_stage one true; run_stage two false', 1, 'FAILED stages: two'),
            ('run_stage one true; run_stage two true', 0, 'all stages passed: one two')):
        text = 'passed=() failed=() skipped=() timings=()\n%s\n%s\n%s' % (functions, stages, summary)
        proc = subprocess.run(['bash', '-c', text], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True,
                              timeout=60, check=False)
        assert proc.returncode == code and expected in proc.stdout, (stages, proc.stdout)
        if code or 'skip_stage' in stages:
            assert 'all stages passed' not in proc.stdout
