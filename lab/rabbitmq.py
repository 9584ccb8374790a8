# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Real RabbitMQ nodes on 127.0.0.1 for the demo and the integration tests.

    node = start_rabbitmq('/tmp/x/mq-tls', tls=True, plain=False)   # ~16 s on 2 cores
    node.host, node.amqps_port, node.amqp_port (None without plain), node.ca_file
    node.cli_env      # {HOME, RABBITMQ_NODENAME, ERL_EPMD_PORT, ...}: what the CLIs need
    node.user, node.password                                 # created by default_user/default_pass
    node.stop()       # the node (SIGTERM, clean shutdown), then its own epmd, by PID

Each node gets its own ``HOME`` (``.erlang.cookie`` mode 400), its own ``epmd`` started by us in
the foreground on a free loopback port (so it is stopped by PID, never by name), its own Erlang
distribution port and listeners on free loopback ports. ``start_many`` boots several nodes in
parallel (boot is mostly waiting: three nodes take about as long as one).
"""

from __future__ import absolute_import, division, print_function

import ctypes
import os
import secrets
import shutil
import subprocess
import threading
import time

from lab.pki import CA
from lab.proc import LabError, Process, free_port, wait_port
from lab.tls_servers import _webpki_leaf  # pylint: disable=protected-access

SBIN = '/usr/lib/rabbitmq/bin'
SERVER = os.path.join(SBIN, 'rabbitmq-server')
CTL = os.path.join(SBIN, 'rabbitmqctl')
DIAGNOSTICS = os.path.join(SBIN, 'rabbitmq-diagnostics')

# Mozilla "intermediate" (5.7) TLS 1.2 suites in OpenSSL names, as Erlang's ssl accepts them.
MOZILLA_INTERMEDIATE_CIPHERS = (
    'ECDHE-ECDSA-AES128-GCM-SHA256', 'ECDHE-RSA-AES128-GCM-SHA256', 'ECDHE-ECDSA-AES256-GCM-SHA384',
    'ECDHE-RSA-AES256-GCM-SHA384', 'ECDHE-ECDSA-CHACHA20-POLY1305', 'ECDHE-RSA-CHACHA20-POLY1305',
)
# TLS 1.3 suites are named the same way in Erlang's ssl (IANA names).
TLS13_SUITES = ('TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256')
MOZILLA_CURVES = ('x25519', 'secp256r1', 'secp384r1')


CLONE_NEWNET = 0x40000000
# Erlang distribution and epmd stay on loopback whatever the AMQP listeners' address: the CLI tools
# reach the node as name@localhost.
LOOPBACK = '127.0.0.1'


def in_netns(netns, func, *args, **kwargs):
    """Run ``func`` in a thread that entered network namespace ``netns`` (``ip netns`` name) and
    return its result. Sockets it opens and processes it starts stay in that namespace. ``None``
    runs ``func`` right here."""
    if not netns:
        return func(*args, **kwargs)
    out = {}

    def _target():
        try:
            libc = ctypes.CDLL('libc.so.6', use_errno=True)
            fd = os.open(os.path.join('/var/run/netns', netns), os.O_RDONLY)
            try:
                if libc.setns(fd, CLONE_NEWNET) != 0:
                    err = ctypes.get_errno()
                    raise OSError(err, 'setns(%s): %s' % (netns, os.strerror(err)))
            finally:
                os.close(fd)
            out['value'] = func(*args, **kwargs)
        except BaseException as exc:  # pylint: disable=broad-except
            out['error'] = exc

    thread = threading.Thread(target=_target)
    thread.start()
    thread.join()
    if 'error' in out:
        raise out['error']
    return out.get('value')


def epmd_binary():
    return shutil.which('epmd') or '/usr/bin/epmd'


def available():
    """None when RabbitMQ can run here, else the reason it cannot."""
    for path in (SERVER, CTL, DIAGNOSTICS):
        if not os.access(path, os.X_OK):
            return '%s is not installed (Debian package rabbitmq-server)' % path
    if not os.access(epmd_binary(), os.X_OK):
        return 'epmd is not installed (Debian package erlang-base)'
    return None


class RabbitNode(object):
    """One running node; every attribute a test or the demo needs."""

    def __init__(self, **kwargs):
        self.netns = None
        self.__dict__.update(kwargs)
        self._stopped = False

    def run(self, func, *args, **kwargs):
        """``func(*args, **kwargs)`` in the node's network namespace (here when it has none)."""
        return in_netns(self.netns, func, *args, **kwargs)

    def cli(self, tool, *args, env=None, timeout=60):
        """Run ``rabbitmqctl``/``rabbitmq-diagnostics`` against this node; CompletedProcess."""
        path = {'rabbitmqctl': CTL, 'rabbitmq-diagnostics': DIAGNOSTICS}.get(tool, tool)
        full = dict(os.environ, LC_ALL='C', **(env or self.cli_env))
        return self.run(subprocess.run, [path] + list(args), env=full, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                        timeout=timeout, check=False, universal_newlines=True)

    def stop(self):
        if self._stopped:
            return
        self._stopped = True
        # SIGTERM to the node's process group: RabbitMQ shuts down cleanly on it (exit 0) in about
        # 1 s, half the time of "rabbitmqctl shutdown" (measured with 3.10.8); SIGKILL after 30 s.
        self.server.stop(timeout=30)
        self.epmd.stop()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


def _erl_str(text):
    return '"%s"' % str(text).replace('\\', '\\\\').replace('"', '\\"')


def _ssl_options_erlang(ca, leaf, verify, fail_if_no_peer_cert, versions, ciphers, eccs):
    items = ['{cacertfile, %s}' % _erl_str(ca.cert), '{certfile, %s}' % _erl_str(leaf.cert), '{keyfile, %s}' % _erl_str(leaf.key),
             '{verify, %s}' % ('verify_peer' if verify else 'verify_none'),
             '{fail_if_no_peer_cert, %s}' % ('true' if fail_if_no_peer_cert else 'false')]
    if versions:
        items.append("{versions, [%s]}" % ', '.join("'%s'" % v for v in versions))
    if ciphers:
        items.append('{ciphers, [%s]}' % ', '.join(_erl_str(c) for c in ciphers))
        items.append('{honor_cipher_order, true}')
    if eccs:
        items.append('{eccs, [%s]}' % ', '.join(eccs))
        # TLS 1.3 key exchange groups are a separate option (default adds x448)
        items.append('{supported_groups, [%s]}' % ', '.join(eccs))
    return '[%s]' % ',\n      '.join(items)


def _conf_lines(host, plain_port, tls_port, ca, leaf, verify, fail_if_no_peer_cert, versions, ciphers, eccs,
                mgmt_port, mgmt_tls, user, password, extra):
    """rabbitmq.conf text. With ``eccs`` the whole ``ssl_options`` goes to advanced.config instead:
    rabbitmq.conf has no key for the curves, and an ``ssl_options`` in advanced.config REPLACES the
    one from rabbitmq.conf (measured: the listener then had no certificate)."""
    lines = ['# written by lab/rabbitmq.py', 'loopback_users = none', 'log.file.level = info',
             'default_user = %s' % user, 'default_pass = %s' % password,
             'default_vhost = /', 'default_permissions.configure = .*', 'default_permissions.read = .*',
             'default_permissions.write = .*']
    lines.append('listeners.tcp.default = %s:%d' % (host, plain_port) if plain_port else 'listeners.tcp = none')
    if tls_port:
        lines.append('listeners.ssl.default = %s:%d' % (host, tls_port))
        if not eccs:
            lines += ['ssl_options.cacertfile = %s' % ca.cert, 'ssl_options.certfile = %s' % leaf.cert,
                      'ssl_options.keyfile = %s' % leaf.key,
                      'ssl_options.verify = %s' % ('verify_peer' if verify else 'verify_none'),
                      'ssl_options.fail_if_no_peer_cert = %s' % ('true' if fail_if_no_peer_cert else 'false')]
            for index, version in enumerate(versions or (), 1):
                lines.append('ssl_options.versions.%d = %s' % (index, version))
            for index, cipher in enumerate(ciphers or (), 1):
                lines.append('ssl_options.ciphers.%d = %s' % (index, cipher))
            if ciphers:
                lines.append('ssl_options.honor_cipher_order = true')
    if mgmt_port:
        if tls_port and mgmt_tls and eccs:
            pass  # management ssl_config goes to advanced.config (see _advanced)
        elif tls_port and mgmt_tls:
            lines += ['management.ssl.ip = %s' % host, 'management.ssl.port = %d' % mgmt_port,
                      'management.ssl.cacertfile = %s' % ca.cert, 'management.ssl.certfile = %s' % leaf.cert,
                      'management.ssl.keyfile = %s' % leaf.key]
            for index, version in enumerate(versions or (), 1):
                lines.append('management.ssl.versions.%d = %s' % (index, version))
            for index, cipher in enumerate(ciphers or (), 1):
                lines.append('management.ssl.ciphers.%d = %s' % (index, cipher))
            if ciphers:
                lines.append('management.ssl.honor_cipher_order = true')
        else:
            lines += ['management.tcp.ip = %s' % host, 'management.tcp.port = %d' % mgmt_port]
    lines += list(extra or ())
    return '\n'.join(lines) + '\n'


def _advanced(tls, ca, leaf, verify, fail_if_no_peer_cert, versions, ciphers, eccs, host, mgmt_port, mgmt_tls):
    if not (tls and eccs):
        return '[].\n'
    apps = ['{rabbit, [{ssl_options, %s}]}' % _ssl_options_erlang(ca, leaf, verify, fail_if_no_peer_cert, versions, ciphers, eccs)]
    if mgmt_port and mgmt_tls:
        ssl_config = _ssl_options_erlang(ca, leaf, False, False, versions, ciphers, eccs)
        ssl_config = '[{ip, %s}, {port, %d},\n      %s' % (_erl_str(host), mgmt_port, ssl_config[1:])
        apps.append('{rabbitmq_management, [{ssl_config, %s}]}' % ssl_config)
    return '[\n  %s\n].\n' % ',\n  '.join(apps)


def start_rabbitmq(workdir, netns=None, **kwargs):
    """Start one node (see :func:`_start_rabbitmq` for the options); with ``netns`` (an ``ip netns``
    name, e.g. from ``lab.netns.NetLab``) the node, its epmd and its CLI calls live in that network
    namespace, so that ``host`` can be a non-loopback address there."""
    if netns:
        node = in_netns(netns, _start_rabbitmq, workdir, **kwargs)
        node.netns = netns
        return node
    return _start_rabbitmq(workdir, **kwargs)


def _start_rabbitmq(workdir, tls=True, plain=True, name=None, ca=None, host='127.0.0.1', verify_peer=False,
                    fail_if_no_peer_cert=False, versions=('tlsv1.3', 'tlsv1.2'), ciphers=None, eccs=None,
                    management=False, management_tls=True, user='openstack', password=None, extra_conf=(), timeout=90.0):
    """Start one node in ``workdir`` (created); return a ``RabbitNode`` once its listeners accept.

    ``tls``/``plain``: AMQPS / AMQP listener on a free port of ``host`` (``plain=False`` writes
    ``listeners.tcp = none``). ``ciphers`` (OpenSSL names) and ``eccs`` restrict the TLS offer
    (``mozilla=True`` presets in ``start_many`` specs use the Mozilla intermediate lists).
    ``management``: also enable the management plugin (HTTPS when ``tls`` and ``management_tls``, else
    plain HTTP), slower to boot.
    ``ca``: a ``lab.pki.CA`` to issue the server certificate from (a new one otherwise).
    """
    reason = available()
    if reason:
        raise LabError(reason)
    if not (tls or plain):
        raise LabError('a lab RabbitMQ node needs at least one AMQP listener (tls or plain)')
    name = name or 'scslab%s' % secrets.token_hex(3)
    workdir = os.path.abspath(workdir)
    home = os.path.join(workdir, 'home')
    for sub in ('home', 'mnesia', 'log'):
        os.makedirs(os.path.join(workdir, sub), exist_ok=True)
    ca = ca or CA(os.path.join(workdir, 'pki'))
    sans = ('localhost', '127.0.0.1') + (() if host in ('localhost', '127.0.0.1') else (host,))
    leaf = ca.issue('rabbitmq-%s' % name, sans=sans) if tls else None
    if leaf is not None:
        _webpki_leaf(ca, leaf)  # lab.pki leaves lack AKI/SKI, which WebPKI path validation requires
    password = password or 'lab-%s' % secrets.token_urlsafe(12)
    ports = dict(amqp=free_port(host) if plain else None, amqps=free_port(host) if tls else None,
                 mgmt=free_port(host) if management else None, dist=free_port(LOOPBACK), epmd=free_port(LOOPBACK))
    cookie = os.path.join(home, '.erlang.cookie')
    if os.path.exists(cookie):
        os.chmod(cookie, 0o600)
    with open(cookie, 'w') as handle:
        handle.write(secrets.token_hex(16).upper())
    os.chmod(cookie, 0o400)
    conf = os.path.join(workdir, 'rabbitmq.conf')
    advanced = os.path.join(workdir, 'advanced.config')
    env_file = os.path.join(workdir, 'rabbitmq-env.conf')
    plugins = os.path.join(workdir, 'enabled_plugins')
    with open(conf, 'w') as handle:
        handle.write(_conf_lines(host, ports['amqp'], ports['amqps'], ca, leaf, verify_peer, fail_if_no_peer_cert,
                                 versions, ciphers, eccs, ports['mgmt'], management_tls, user, password, extra_conf))
    with open(advanced, 'w') as handle:
        handle.write(_advanced(tls, ca, leaf, verify_peer, fail_if_no_peer_cert, versions, ciphers, eccs, host, ports['mgmt'], management_tls))
    with open(env_file, 'w') as handle:
        handle.write('')
    with open(plugins, 'w') as handle:
        handle.write('[rabbitmq_management].\n' if management else '[].\n')
    nodename = '%s@localhost' % name
    cli_env = {
        'HOME': home,
        'RABBITMQ_NODENAME': nodename,
        'RABBITMQ_CONF_ENV_FILE': env_file,
        'RABBITMQ_CONFIG_FILE': conf,
        'RABBITMQ_ADVANCED_CONFIG_FILE': advanced,
        'RABBITMQ_ENABLED_PLUGINS_FILE': plugins,
        'ERL_EPMD_ADDRESS': LOOPBACK,
        'ERL_EPMD_PORT': str(ports['epmd']),
    }
    server_env = dict(os.environ, LC_ALL='C', **cli_env)
    server_env.update({
        'RABBITMQ_MNESIA_BASE': os.path.join(workdir, 'mnesia'),
        'RABBITMQ_LOG_BASE': os.path.join(workdir, 'log'),
        'RABBITMQ_PID_FILE': os.path.join(workdir, 'rabbitmq.pid'),
        'RABBITMQ_DIST_PORT': str(ports['dist']),
        'RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS': '-kernel inet_dist_use_interface {127,0,0,1}',
    })
    log = os.path.join(workdir, 'server.log')
    epmd = Process('epmd-%s' % name, [epmd_binary(), '-address', LOOPBACK, '-port', str(ports['epmd'])],
                   os.path.join(workdir, 'epmd.log'), cwd=workdir, env=dict(os.environ, LC_ALL='C'))
    try:
        wait_port(LOOPBACK, ports['epmd'], timeout=10, proc=epmd.popen, name='epmd', log=epmd.log)
        server = Process('rabbitmq-%s' % name, [SERVER], log, cwd=workdir, env=server_env)
    except Exception:
        epmd.stop()
        raise
    node = RabbitNode(name=name, nodename=nodename, host=host, amqp_port=ports['amqp'], amqps_port=ports['amqps'],
                      management_port=ports['mgmt'], dist_port=ports['dist'], epmd_port=ports['epmd'],
                      cli_env=cli_env, ca=ca, ca_file=ca.cert, leaf=leaf, conf_file=conf, advanced_file=advanced,
                      workdir=workdir, home=home, user=user, password=password, log=log, server=server, epmd=epmd,
                      tls=bool(tls), plain=bool(plain), management=bool(management))
    try:
        deadline = time.monotonic() + timeout
        for port in [p for p in (ports['amqps'], ports['amqp'], ports['mgmt']) if p]:
            wait_port(host, port, timeout=max(1.0, deadline - time.monotonic()), proc=server.popen,
                      name='rabbitmq node %s' % nodename, log=log)
    except Exception:
        node.stop()
        raise
    return node


def start_many(base_dir, specs, ca=None):
    """Start one node per ``{name: kwargs}`` in parallel under ``base_dir``; ``{name: RabbitNode}``.

    If any node fails to start, the ones that started are stopped and the first error is raised.
    """
    ca = ca or CA(os.path.join(base_dir, 'pki'))
    nodes, errors = {}, []

    def _one(key, kwargs):
        try:
            kwargs = dict(kwargs)
            kwargs.setdefault('ca', ca)
            nodes[key] = start_rabbitmq(os.path.join(base_dir, key), **kwargs)
        except Exception as exc:  # pylint: disable=broad-except
            errors.append(exc)

    threads = [threading.Thread(target=_one, args=(key, kwargs)) for key, kwargs in specs.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        stop_many(nodes.values())
        raise errors[0]
    return nodes


def stop_many(nodes):
    """Stop nodes in parallel (each shutdown waits for the node: sequential stops add up)."""
    threads = [threading.Thread(target=node.stop) for node in nodes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
