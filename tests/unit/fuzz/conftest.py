# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Hypothesis profiles: ``ci`` (default: bounded, derandomized, no example database in the
repository) and ``long`` (``scripts/fuzz.sh``: many examples, random, for minutes).
``HYPOTHESIS_PROFILE`` selects one; ``FUZZ_EXAMPLES`` overrides the examples per entry point."""

from __future__ import absolute_import, division, print_function

import datetime
import os

from hypothesis import HealthCheck, settings

_COMMON = dict(database=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
               print_blob=True)
settings.register_profile('ci', max_examples=int(os.environ.get('FUZZ_EXAMPLES', '200')), derandomize=True,
                          deadline=datetime.timedelta(seconds=10), **_COMMON)
settings.register_profile('long', max_examples=int(os.environ.get('FUZZ_EXAMPLES', '20000')), derandomize=False,
                          deadline=datetime.timedelta(seconds=10), **_COMMON)
settings.load_profile(os.environ.get('HYPOTHESIS_PROFILE', 'ci'))
