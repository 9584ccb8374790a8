# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Targets of the database channel, derived on the node from discovery's findings.

Which server a host asks (declared servers, the kolla container, the local socket, the discovered
listener), the TLS probe of each asked server (paired with it by one label made here), and the
``ssl_ca`` files the services' database URLs name. Observation only: nothing here judges.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import errno
import os
import stat

from ansible_collections.scs.secure_connections.plugins.module_utils._core.netaddr import hostport, probe_host

SERVER_PROCESSES = ('mariadbd', 'mysqld')
SERVER_SECTIONS = ('mysqld', 'mariadbd', 'mariadb', 'server', 'galera')
DEFAULT_SOCKETS = ('/run/mysqld/mysqld.sock', '/var/run/mysqld/mysqld.sock', '/var/lib/mysql/mysql.sock', '/tmp/mysql.sock')
# The options of mysql_tls_info a declared server inherits from the module's own when it does not set them.
INHERITED = ('login_user', 'login_password', 'login_config_file', 'connect_timeout', 'ssl_mode', 'ca_cert', 'container_engine')
CONNECTION = ('login_user', 'login_password', 'login_host', 'login_port', 'login_unix_socket', 'login_config_file', 'connect_timeout',
              'ssl_mode', 'ca_cert', 'client_cert', 'client_key', 'container', 'container_engine', 'container_client')
CA_CHECK_SCRIPT = 'if [ ! -e "$1" ]; then echo missing; elif [ ! -f "$1" ]; then echo notfile; elif [ ! -r "$1" ]; then echo unreadable; else echo ok; fi'
CA_WORDS = {'ok': (True, True, True), 'missing': (False, None, None), 'notfile': (True, False, None), 'unreadable': (True, True, False)}


def is_live_root(root):
    return (root or '/') in ('/', '')


def server_listeners(discovery):
    """Discovered listeners of a MariaDB/MySQL server process."""
    return [item for item in (discovery or {}).get('listeners') or [] if isinstance(item, dict) and item.get('process') in SERVER_PROCESSES]


def has_server_option_file(discovery):
    """True when discovery parsed a MariaDB/MySQL option file with a non-empty server group."""
    for parsed in ((discovery or {}).get('infrastructure') or {}).get('mysql') or []:
        sections = (parsed or {}).get('sections') or {}
        if isinstance(sections, dict) and any(sections.get(name) for name in SERVER_SECTIONS):
            return True
    return False


def query_decision(discovery, query, servers, member_of, server_groups, root):
    """``{enabled, reason}``: whether this host asks a database server, and why (or why not)."""
    listeners = server_listeners(discovery)
    if query == 'never':
        return {'enabled': False, 'reason': 'audit_db_query is never'}
    if servers:
        return {'enabled': True, 'reason': 'audit_db_servers is set'}
    if not is_live_root(root):
        return {'enabled': False, 'reason': 'audit_root is %s: a file system snapshot has no server to ask' % root}
    if query == 'always':
        return {'enabled': True, 'reason': 'audit_db_query is always'}
    if member_of:
        return {'enabled': True, 'reason': 'member of group %s' % ', '.join(member_of)}
    if listeners:
        ports = []
        for item in listeners:
            if str(item.get('port')) not in ports:
                ports.append(str(item.get('port')))
        return {'enabled': True, 'reason': 'MariaDB/MySQL listener on port %s' % ', '.join(ports)}
    if has_server_option_file(discovery):
        return {'enabled': True, 'reason': 'a MariaDB/MySQL server option file was discovered'}
    return {'enabled': False, 'reason': 'not in group %s and no MariaDB/MySQL listener or server option file was discovered'
                                        % '/'.join(server_groups or [])}


def auto_container(discovery, container):
    """The container to run the client in: ``auto`` = kolla layout with a server listener -> its container or ``mariadb``."""
    if container != 'auto':
        return container or ''
    layouts = [item.get('name') for item in (discovery or {}).get('layouts') or [] if isinstance(item, dict)]
    listeners = server_listeners(discovery)
    if 'kolla' not in layouts or not listeners:
        return ''
    return next((item['container'] for item in listeners if item.get('container')), 'mariadb')


def socket_candidates(discovery):
    """Server sockets named by discovered option files, then the distributions' defaults."""
    named = []
    for parsed in ((discovery or {}).get('infrastructure') or {}).get('mysql') or []:
        path = ((parsed or {}).get('server') or {}).get('socket')
        if isinstance(path, str) and path and path not in named:
            named.append(path)
    return named + [p for p in DEFAULT_SOCKETS if p not in named]


def first_socket(paths, lstat=os.stat):
    """The first of ``paths`` that is a unix socket on this node, or None."""
    for path in paths:
        try:
            if stat.S_ISSOCK(lstat(path).st_mode):
                return path
        except (IOError, OSError):
            continue
    return None


def declared_targets(servers, defaults, host_label):
    """``audit_db_servers`` as connection parameters, each with its label; unset options come from ``defaults``."""
    out = []
    for server in servers or []:
        params = dict((k, server.get(k)) for k in CONNECTION)
        for key in INHERITED:
            if params.get(key) in (None, ''):
                params[key] = defaults.get(key)
        tcp = hostport(server.get('login_host') or 'localhost', server.get('login_port') or 3306)
        where = server.get('container') or server.get('login_unix_socket') or tcp
        params['login_host'] = params['login_host'] or 'localhost'
        params['login_port'] = int(params['login_port'] or 3306)
        if params.get('connect_timeout') not in (None, ''):
            params['connect_timeout'] = int(params['connect_timeout'])
        params['label'] = server.get('label') or '%s/%s' % (host_label, where)
        out.append(params)
    return out


def automatic_target(discovery, container, socket, defaults, host_label):
    """The one server a host asks without ``audit_db_servers``: container, else socket, else listener, else localhost:3306."""
    params = dict((k, defaults.get(k)) for k in INHERITED)
    params.update(login_host='localhost', login_port=3306)
    listeners = server_listeners(discovery)
    if container:
        params.update(container=container, label='%s/%s' % (host_label, container))
    elif socket:
        params.update(login_unix_socket=socket, label='%s/%s' % (host_label, socket))
    elif listeners:
        host, port = probe_host(listeners[0].get('address')), int(listeners[0]['port'])
        params.update(login_host=host, login_port=port, label='%s/%s' % (host_label, hostport(host, port)))
    else:
        params['label'] = '%s/localhost:3306' % host_label
    return params


def probe_targets(server_results, declared=None):
    """TLS probes (STARTTLS in the MySQL protocol) of the asked servers, each carrying its server's label, then ``declared``."""
    out = []
    for result in server_results:
        conn = result.get('connection') or {}
        tcp = conn.get('method') == 'tcp' and (conn.get('host') or 'localhost') != 'localhost'
        port = result.get('port') or (conn.get('port') if tcp else None)
        if not port or result.get('skip_networking'):
            continue
        bind = str(result.get('bind_address') or '').split(',', 1)[0].strip()
        host = conn['host'] if tcp else probe_host(bind)
        out.append({'host': host, 'port': int(port), 'starttls': 'mysql', 'label': result.get('label'), 'source': 'db'})
    for endpoint in declared or []:
        item = {'starttls': 'mysql', 'source': 'declared'}
        item.update(endpoint)
        out.append(item)
    return out


def client_ca_checks(discovery):
    """``[{path, container}]``: the ``ssl_ca`` / ``sslrootcert`` files of this host's service database URLs."""
    out = []
    for service in (discovery or {}).get('services') or []:
        kolla = service.get('layout') == 'kolla'
        container = str(service.get('container') or str(service.get('component') or '').replace('-', '_')) if kolla else ''
        for url in service.get('database_urls') or []:
            query = url.get('query') or {}
            path = query.get('ssl_ca') or query.get('sslrootcert') or ''
            if isinstance(path, list):
                path = path[-1] if path else ''
            entry = {'path': str(path), 'container': container}
            if entry['path'] and entry not in out:
                out.append(entry)
    return out


def _node_record(path, root):
    record = {'path': path, 'container': None, 'where': 'node', 'exists': None, 'is_file': None, 'readable': None, 'error': None}
    full = (root or '/').rstrip('/') + path
    try:
        mode = os.stat(full).st_mode
    except (IOError, OSError) as exc:
        if exc.errno in (errno.ENOENT, errno.ENOTDIR):
            record['exists'] = False
        else:
            record['error'] = 'cannot stat %s: %s' % (full, exc.strerror or exc)
        return record
    record.update(exists=True, is_file=stat.S_ISREG(mode), readable=os.access(full, os.R_OK))
    return record


def _container_record(check, engine, run):
    record = {'path': check['path'], 'container': check['container'], 'where': 'container'}
    rc, out, err = run([engine, 'exec', check['container'], 'sh', '-c', CA_CHECK_SCRIPT, 'sh', check['path']])
    word = (out or '').strip()
    if word in CA_WORDS:
        exists, is_file, readable = CA_WORDS[word]
        record.update(exists=exists, is_file=is_file, readable=readable, error=None)
    else:
        record.update(exists=None, is_file=None, readable=None,
                      error=(err or '').strip() or ('%s exec exited with %s' % (engine, rc)) or 'container check failed')
    return record


def check_client_ca_files(checks, root='/', engine=None, run=None):
    """Records ``{path, container, where, exists, is_file, readable, error}`` for ``checks``.

    Files of services outside containers are looked at below ``root``; those of kolla services
    inside their container, as the container's user, when ``engine`` (path of docker/podman) and
    ``run(argv) -> (rc, stdout, stderr)`` are given (else not at all); relative paths are not
    looked up (they depend on the service's working directory).
    """
    records, seen = [], set()
    for check in checks:
        if not check['container'] and check['path'].startswith('/') and check['path'] not in seen:
            seen.add(check['path'])
            records.append(_node_record(check['path'], root))
    if engine and run:
        records.extend(_container_record(c, engine, run) for c in checks if c['container'] and c['path'].startswith('/'))
    for check in checks:
        if not check['path'].startswith('/'):
            records.append({'path': check['path'], 'container': check['container'] or None, 'where': 'node', 'exists': None,
                            'is_file': None, 'readable': None,
                            'error': 'relative path: it depends on the working directory of the service'})
    return records
