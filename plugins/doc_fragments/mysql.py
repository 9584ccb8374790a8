# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    """Connection options of the MySQL / MariaDB modules (``MYSQL_ARGUMENT_SPEC``)."""

    DOCUMENTATION = r'''
options:
  login_user:
    description:
      - Database user to log in as.
      - Defaults to V(root) unless O(login_config_file) is given, which then supplies the user.
    type: str
  login_password:
    description:
      - Password of O(login_user). Never returned or logged; masked in every message.
      - In container mode it is handed to the client through the environment variable C(MYSQL_PWD) of the exec,
        never on a command line.
    type: str
  login_host:
    description:
      - Host name or address of the server (TCP). Ignored when O(login_unix_socket) is set.
      - In container mode, V(localhost) means the client's default unix socket inside the container.
    type: str
    default: localhost
  login_port:
    description: TCP port of the server.
    type: int
    default: 3306
  login_unix_socket:
    description:
      - Unix socket of the server. Takes precedence over O(login_host). TLS is not used over a socket
        (PyMySQL); the session TLS fields then show the socket session.
    type: path
  login_config_file:
    description:
      - A MySQL option file to read C(user), C(password), C(host), C(port), C(socket) and C(ssl-*) from (group C([client])).
      - The module never reads C(~/.my.cnf) or any other option file unless it is named here.
      - In container mode this is a path inside the container (passed as C(--defaults-file)).
    type: path
  connect_timeout:
    description:
      - Seconds to wait for the connection, and for each answer of the server.
    type: int
    default: 10
  ssl_mode:
    description:
      - TLS for the audit's own connection, with the meaning of the MySQL client's C(--ssl-mode).
      - V(preferred) uses TLS when the server offers it, without verifying the certificate (the audit only reads).
      - V(verify_ca) and V(verify_identity) need O(ca_cert). With the MariaDB client in a container both map to C(--ssl-verify-server-cert).
    type: str
    default: preferred
    choices: [preferred, disabled, required, verify_ca, verify_identity]
  ca_cert:
    description: CA certificate (PEM) to verify the server with.
    type: path
    aliases: [ssl_ca]
  client_cert:
    description: Client certificate (PEM) for servers or accounts that require one.
    type: path
    aliases: [ssl_cert]
  client_key:
    description: Key of O(client_cert).
    type: path
    aliases: [ssl_key]
  container:
    description:
      - Run the database client inside this container (for example V(mariadb) of kolla-ansible) with
        C(docker exec) or C(podman exec) instead of connecting with PyMySQL from the node.
      - The client runs with C(--batch --raw --skip-column-names) and C(--no-defaults) (or C(--defaults-file=)O(login_config_file)).
    type: str
  container_engine:
    description: Container engine for O(container); V(auto) takes C(docker), else C(podman).
    type: str
    default: auto
    choices: [auto, docker, podman]
  container_client:
    description: Client program inside the container.
    type: str
    default: mariadb
    choices: [mariadb, mysql]
requirements:
  - PyMySQL (on the node, unless O(container) is used)
'''
