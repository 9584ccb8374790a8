# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every parser is linear in its input: the CPU time at 8 n is compared with the time at n.

Linear code gives a ratio near 8, quadratic code near 64; the test fails above 32. CPU time of
this process (``time.process_time``), best of three, the garbage collector paused, with n grown
until the small run takes 5 ms, keeps it stable on a loaded machine; a failing ratio is
measured twice more before the test fails."""

from __future__ import absolute_import, division, print_function

import gc
import time

import pytest

from .scaling_cases import CASES

FACTOR = 8
LIMIT = 32
MIN_TIME = 0.005


def _best(run, n, repeat=3):
    best = None
    for _round in range(repeat):
        gc.collect()
        gc.disable()
        try:
            start = time.process_time()
            run(n)
            spent = time.process_time() - start
        finally:
            gc.enable()
        best = spent if best is None else min(best, spent)
    return best


def _ratio(run, n):
    small = _best(run, n)
    big = _best(run, FACTOR * n)
    return big / max(small, 1e-6), small, big


@pytest.mark.parametrize('name', sorted(CASES))
def test_linear(name):
    run, n = CASES[name]
    for _grow in range(6):
        if _best(run, n, 1) >= MIN_TIME:
            break
        n *= 2
    ratio, small, big = _ratio(run, n)
    for _again in range(2):
        if ratio <= LIMIT:
            break
        ratio, small, big = _ratio(run, n)
    assert ratio <= LIMIT, '%s: %.3fs at n=%d, %.3fs at n=%d (ratio %.1f; linear is about %d)' % (
        name, small, n, big, FACTOR * n, ratio, FACTOR)


def test_the_check_catches_quadratic_code():
    """The measurement itself: a quadratic function fails it (a test that cannot fail is a defect)."""
    def quadratic(n):
        return sum(1 for i in range(n) for _j in range(i))
    ratio, _small, _big = _ratio(quadratic, 400)
    assert ratio > LIMIT
