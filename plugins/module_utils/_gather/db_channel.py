# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The database channel of one host (mysql_tls_info in channel mode, host_evidence_info): which servers it
asks, their results, their TLS probe targets and the services' CA files.

``module`` is an AnsibleModule, or any object with ``params`` (the options of mysql_tls_info),
``get_bin_path``, ``run_command``, ``fail_json`` and ``no_log_values``."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.scs.secure_connections.plugins.module_utils._gather.db_targets import (
    CONNECTION,
    auto_container,
    automatic_target,
    check_client_ca_files,
    client_ca_checks,
    declared_targets,
    first_socket,
    is_live_root,
    probe_targets,
    query_decision,
    socket_candidates,
)


def check_servers(module):
    """``servers`` items: known keys only; their passwords join the module's no_log values."""
    for index, server in enumerate(module.params['servers']):
        unknown = sorted(set(server) - set(CONNECTION) - set(['label']))
        if unknown:
            module.fail_json(msg='servers[%d]: unknown option(s) %s; known: %s' % (index, ', '.join(unknown), ', '.join(CONNECTION + ('label',))))
        if server.get('login_password'):
            module.no_log_values.add(str(server['login_password']))


def _ask(module, params):
    """One server's result; a server that cannot be asked at all (PyMySQL missing) is an error result."""
    # the MySQL client code (about 45 KB of source) only when a server is asked: a snapshot asks none (docs/scale.md)
    # pylint: disable=import-outside-toplevel
    from ansible_collections.scs.secure_connections.plugins.module_utils._core.requires import missing_library
    from ansible_collections.scs.secure_connections.plugins.module_utils._gather.mysql import HAS_PYMYSQL, empty_result, gather, make_backend
    label = params.pop('label', None)
    if not params.get('container') and not HAS_PYMYSQL:
        result = empty_result(params, label)
        result.update(status='error', error={'kind': 'client', 'message': missing_library(
            'PyMySQL', alternative='use the database client inside the database container (option container)')['message']})
        return result
    return gather(make_backend(params, which=module.get_bin_path, module=module), params, service_accounts=module.params['service_accounts'],
                  guess_service_accounts=module.params['guess_service_accounts'], label=label)


def _targets(module, discovery):
    p = module.params
    host = p['label'] or 'localhost'
    if p['servers']:
        return declared_targets(p['servers'], p, host)
    container = auto_container(discovery, p['container'] or '')
    socket = None if container else first_socket(socket_candidates(discovery))
    return [automatic_target(discovery, container, socket, p, host)]


def _ca_files(module, discovery):
    p = module.params
    if not p['check_client_ca']:
        return []
    checks = client_ca_checks(discovery)
    engine = None
    if p['check_ca_in_containers'] and is_live_root(p['root']) and any(c['container'] for c in checks):
        # _core/command only where a container is asked: a snapshot runs no command
        from ansible_collections.scs.secure_connections.plugins.module_utils._core.command import container_engine  # pylint: disable=import-outside-toplevel
        engine = container_engine(p['container_engine'] or 'auto', which=module.get_bin_path)
    return check_client_ca_files(checks, p['root'], engine, lambda argv: module.run_command(argv, check_rc=False))


def channel(module):
    """The database channel of one host: which servers it asks, their results, their TLS probes, the CA files."""
    p = module.params
    discovery = p['discovery'] or {}
    member_of = [g for g in p['server_groups'] if g in p['groups']]
    query = query_decision(discovery, p['query'], p['servers'], member_of, p['server_groups'], p['root'])
    servers = [_ask(module, target) for target in _targets(module, discovery)] if query['enabled'] else []
    return {'query': query, 'servers': servers, 'tls_probe_targets': probe_targets(servers, p['tls_endpoints']),
            'client_ca_files': _ca_files(module, discovery)}
