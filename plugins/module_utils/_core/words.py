# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one boolean-word parser, with the vocabularies of the services the collection reads.

Each service accepts its own words; a word outside the vocabulary is neither true nor false (the
service rejects it or ignores it), so it is never guessed.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

# oslo.config ``types.Boolean``: what every OpenStack service accepts in its INI files.
OSLO = (('true', 'yes', 'on', '1'), ('false', 'no', 'off', '0'))
# MariaDB/MySQL system variables and option files (``ON``/``OFF``/... and ``DISABLED`` for have_ssl).
MYSQL = (('on', 'yes', '1', 'true'), ('off', 'no', '0', 'false', 'disabled'))
# The bare literals: Erlang atoms in rabbitmq.conf / advanced.config, CLI JSON, OVSDB values.
LITERAL = (('true',), ('false',))
# nginx flag directives (``ngx_conf_set_flag_slot``: ``on``/``off``, any case).
NGINX = (('on',), ('off',))

INVALID = object()


def parse_bool(value, vocabulary=OSLO, invalid=INVALID):
    """``True``/``False`` for a word of ``vocabulary`` (case-insensitive, stripped); ``None`` when unset.

    A real ``bool`` is returned as is; any other value gives ``invalid`` (by default the sentinel
    ``INVALID``, so callers can tell "unset" from "set to something the service rejects").
    """
    if value is None or isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in vocabulary[0]:
        return True
    if text in vocabulary[1]:
        return False
    return invalid
