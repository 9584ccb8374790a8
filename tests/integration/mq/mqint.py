# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Helpers of the mq integration tests."""

from __future__ import absolute_import, division, print_function

# addresses of the network-namespace scenario (inside the namespaces only)
NET_BROKER, NET_CLIENT = '10.99.0.11', '10.99.0.21'


def node_params(node, **overrides):
    """rabbitmq_tls_info options for a lab node (its own config files, HOME, node name and epmd port)."""
    params = {
        'root': '/',
        'config_files': [node.conf_file, node.advanced_file, node.cli_env['RABBITMQ_ENABLED_PLUGINS_FILE']],
        'live': True,
        'list_connections': True,
        'cli_env': dict(node.cli_env),
        'cli_timeout': 30,
        'max_connections': 10000,
    }
    params.update(overrides)
    return params
