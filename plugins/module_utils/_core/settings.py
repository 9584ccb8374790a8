# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""How a configuration setting is named in messages: its value and where it comes from.

Shared by the gatherers (reasons they record) and the rules (finding messages), so a setting reads
the same everywhere.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json


def describe_setting(name, entry):
    """``listen_tcp = 1 (/etc/libvirt/libvirtd.conf line 3)`` / ``listen_tls = 1 (libvirt default)``.

    ``entry`` is an effective-setting record ``{value, source: file | default, file, line}``."""
    value = entry.get('value')
    shown = json.dumps(value) if isinstance(value, (str, list)) else ('unset' if value is None else str(value))
    if entry.get('source') == 'file':
        where = entry.get('file') or 'config file'
        if entry.get('line'):
            where = '%s line %s' % (where, entry['line'])
        return '%s = %s (%s)' % (name, shown, where)
    return '%s = %s (libvirt default: not set in the config file)' % (name, shown)
