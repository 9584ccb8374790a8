# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one boolean-word parser: each service's own words, nothing guessed outside them."""

from __future__ import absolute_import, division, print_function

import pytest

from ansible_collections.scs.secure_connections.plugins.module_utils._core.words import (
    INVALID, LITERAL, MYSQL, NGINX, OSLO, parse_bool,
)


@pytest.mark.parametrize('vocabulary, value, expected', [
    (OSLO, 'Yes', True), (OSLO, ' off ', False), (OSLO, '1', True), (OSLO, 'y', INVALID), (OSLO, 'disabled', INVALID),
    (MYSQL, 'DISABLED', False), (MYSQL, 'ON', True), (MYSQL, 'maybe', INVALID),
    (LITERAL, 'true', True), (LITERAL, 'FALSE', False), (LITERAL, 'yes', INVALID), (LITERAL, '1', INVALID),
    (NGINX, 'on', True), (NGINX, 'OFF', False), (NGINX, 'true', INVALID), (NGINX, '1', INVALID),
    (NGINX, None, None), (LITERAL, True, True), (OSLO, False, False),
])
def test_vocabularies(vocabulary, value, expected):
    assert parse_bool(value, vocabulary) is expected


def test_invalid_value_is_the_callers_choice():
    assert parse_bool('maybe', MYSQL, invalid=None) is None
    assert parse_bool('maybe', OSLO, invalid='maybe') == 'maybe'
