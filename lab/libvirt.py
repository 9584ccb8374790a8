# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A real ``libvirtd --listen`` on 127.0.0.1 in a temp dir, for the demo and the integration tests.

    d = start_libvirtd('/tmp/x/lv', mode='tls-verify')     # throw-away CA, server + client certs made here
    d.port, d.conf, d.pid, d.mode, d.ca.cert
    d.clients['compute1'].cert / .key / .subject          # client certificates issued by the same CA
    d.tls_session(client='compute1')   -> 'accepted'      # server answers an RPC call after the handshake
    d.tls_session(client=None)         -> 'closed'        # libvirt verifies the client and hangs up
    d.auth_list()                      -> ['none'] / ['sasl']   # REMOTE_PROC_AUTH_LIST on the TCP port
    d.virsh('list', client='compute1')  -> CompletedProcess   # the real client, qemu+tls://localhost:PORT/system?pkipath=...
    d.stop()

Modes (the libvirtd.conf written to ``<workdir>/libvirtd.conf``):

==================  ==============================================================================
``tcp-none``        listen_tcp = 1, auth_tcp = "none"      (OSSN-0007: anyone can drive the hypervisor)
``tcp-sasl``        listen_tcp = 1, auth_tcp = "sasl"      (authenticated, but not a secure channel)
``tls-verify``      listen_tls = 1, client certificates verified (libvirt's default)
``tls-noverify``    listen_tls = 1, tls_no_verify_certificate = 1
``tls-dn``          listen_tls = 1, verified and tls_allowed_dn_list = [subject of ``allowed`` clients]
==================  ==============================================================================

``netns=True`` runs the daemon in a private network namespace of its own (``unshare -n``, only
``lo`` up) and binds it to ``0.0.0.0`` there: a wildcard listener that is "exposed" as far as any
audit can tell, yet reachable from nothing outside that namespace. The client checks then run inside
the namespace (``nsenter -t PID -n``); the namespace disappears with the daemon.

Several instances on one machine: libvirtd run as root also writes ``/run/libvirt`` (driver pid
files it locks: a second daemon fails with "Failed to acquire pid file
'/run/libvirt/network/driver.pid'"), ``/var/lib/libvirt``, ``/var/cache/libvirt`` and
``/var/log/libvirt``. Each instance therefore runs in its own mount namespace
(``unshare -m``) where those four directories are bind mounts of directories in its workdir, so
instances run side by side and leave nothing behind. Where ``unshare`` is not permitted the
instances take a machine-wide lock (``/tmp/scs-lab-libvirtd.lock``) and run one at a time.
The harmless start-up errors (D-Bus, dmidecode, udev) are expected on a machine without systemd.
"""

from __future__ import absolute_import, division, print_function

import fcntl
import json
import os
import shutil
import socket
import ssl
import struct
import subprocess
import sys
import time

from lab.pki import CA
from lab.proc import LabError, Process, _tail, free_port, wait_port

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MODES = ('tcp-none', 'tcp-sasl', 'tls-verify', 'tls-noverify', 'tls-dn')
STATE_DIRS = ('/run/libvirt', '/var/lib/libvirt', '/var/cache/libvirt', '/var/log/libvirt')
LOCK_FILE = '/tmp/scs-lab-libvirtd.lock'
# libvirtd.conf tls_priority (a GnuTLS priority string) that makes libvirt's TLS listener offer only
# what Mozilla's "intermediate" profile (5.7) allows: TLS 1.2/1.3, AEAD suites with ECDHE (and DHE),
# groups X25519, P-256, P-384. libvirt's built-in default ("NORMAL") also offers TLS 1.0/1.1, CBC and
# static-RSA suites. Used by the tests and recommended in docs/channel-hv.md.
MOZILLA_INTERMEDIATE_PRIORITY = ('NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2:-CIPHER-ALL:+AES-128-GCM:+AES-256-GCM:+CHACHA20-POLY1305:'
                                 '-KX-ALL:+ECDHE-RSA:+ECDHE-ECDSA:+DHE-RSA:-GROUP-ALL:+GROUP-X25519:+GROUP-SECP256R1:+GROUP-SECP384R1')

# libvirt remote protocol (src/remote/remote_protocol.x, src/rpc/virnetprotocol.x)
REMOTE_PROGRAM = 0x20008086
REMOTE_PROTOCOL_VERSION = 1
REMOTE_PROC_AUTH_LIST = 66
AUTH_TYPES = {0: 'none', 1: 'sasl', 2: 'polkit'}

_NAMESPACE_OK = {}


def libvirtd_binary():
    """Path of libvirtd, or None when libvirt is not installed."""
    return shutil.which('libvirtd') or shutil.which('libvirtd', path='/usr/sbin:/usr/local/sbin:/sbin')


def virsh_binary():
    return shutil.which('virsh')


def namespaces_available():
    """True when ``unshare -m`` with bind mounts works here (root with CAP_SYS_ADMIN)."""
    if 'ok' not in _NAMESPACE_OK:
        unshare = shutil.which('unshare')
        ok = False
        if unshare and os.geteuid() == 0:
            try:
                proc = subprocess.run([unshare, '-m', '--propagation', 'private', 'sh', '-c', 'mount -t tmpfs none /mnt'],
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL, timeout=10, check=False)
                ok = proc.returncode == 0
            except (OSError, subprocess.SubprocessError):
                ok = False
        _NAMESPACE_OK['ok'] = ok
    return _NAMESPACE_OK['ok']


def rpc_packet(procedure, serial=1, program=REMOTE_PROGRAM, version=REMOTE_PROTOCOL_VERSION, body=b''):
    """One libvirt RPC call: length, program, version, procedure, type=CALL, serial, status=OK."""
    header = struct.pack('>IIiiIi', program, version, procedure, 0, serial, 0)
    return struct.pack('>I', 4 + len(header) + len(body)) + header + body


def _recv_exact(sock, count):
    data = b''
    while len(data) < count:
        chunk = sock.recv(count - len(data))
        if not chunk:
            return None
        data += chunk
    return data


def read_reply(sock):
    """``(status, body)`` of one reply, or None when the server closed the connection."""
    head = _recv_exact(sock, 4)
    if head is None:
        return None
    length = struct.unpack('>I', head)[0]
    if length < 28 or length > 4 * 1024 * 1024:
        raise LabError('libvirt reply with impossible length %d' % length)
    rest = _recv_exact(sock, length - 4)
    if rest is None:
        return None
    _prog, _vers, _proc, _type, _serial, status = struct.unpack('>IIiiIi', rest[:24])
    return status, rest[24:]


def parse_auth_list(body):
    """XDR ``remote_auth_list_ret``: a variable array of int32 auth types -> names."""
    count = struct.unpack('>I', body[:4])[0]
    values = struct.unpack('>%di' % count, body[4:4 + 4 * count])
    return [AUTH_TYPES.get(v, str(v)) for v in values]


def _client_connect(host, port, tls, ca_file=None, cert=None, key=None, timeout=5.0):
    sock = socket.create_connection((host, port), timeout=timeout)
    if not tls:
        return sock
    ctx = ssl.create_default_context(cafile=ca_file)
    ctx.check_hostname = False
    if cert:
        ctx.load_cert_chain(cert, key)
    try:
        conn = ctx.wrap_socket(sock)
    except (ssl.SSLError, OSError):
        sock.close()
        raise
    # after checking the client certificate the server sends one confirmation byte (1);
    # a rejected client gets the connection closed instead
    try:
        confirmation = conn.recv(1)
    except (ssl.SSLError, OSError):
        confirmation = b''
    if confirmation != b'\x01':
        conn.close()
        raise _Rejected('no TLS confirmation byte from libvirtd (client rejected)')
    return conn


def tls_session(host, port, ca_file, cert=None, key=None, timeout=5.0):
    """'accepted' (the server answers an RPC call after the handshake), 'closed' (it hangs up:
    libvirt checks the client certificate right after the handshake) or 'handshake_failed'."""
    try:
        conn = _client_connect(host, port, True, ca_file, cert, key, timeout)
    except _Rejected:
        return 'closed'
    except (ssl.SSLError, OSError):
        return 'handshake_failed'
    try:
        conn.sendall(rpc_packet(REMOTE_PROC_AUTH_LIST))
        reply = read_reply(conn)
    except (ssl.SSLError, OSError):
        reply = None
    finally:
        conn.close()
    return 'closed' if reply is None else 'accepted'


def auth_list(host, port, tls=False, ca_file=None, cert=None, key=None, timeout=5.0):
    """The authentication types the server demands on this port (REMOTE_PROC_AUTH_LIST), or None."""
    conn = _client_connect(host, port, tls, ca_file, cert, key, timeout)
    try:
        conn.sendall(rpc_packet(REMOTE_PROC_AUTH_LIST))
        reply = read_reply(conn)
    finally:
        conn.close()
    if reply is None or reply[0] != 0:
        return None
    return parse_auth_list(reply[1])


def _listening(pid, port):
    """True when the network namespace of ``pid`` has a TCP socket listening on ``port``."""
    for name in ('tcp', 'tcp6'):
        try:
            with open('/proc/%d/net/%s' % (pid, name)) as handle:
                rows = handle.read().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            fields = row.split()
            if len(fields) > 3 and fields[3] == '0A' and fields[1].rsplit(':', 1)[-1] == '%04X' % port:
                return True
    return False


class _Rejected(LabError):
    """libvirtd closed a TLS connection after the handshake (client certificate not accepted)."""


class _Lock(object):
    """The machine-wide lock used when instances cannot be isolated in mount namespaces."""

    def __init__(self, timeout):
        self.handle = open(LOCK_FILE, 'a+')
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(self.handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return
            except OSError:
                if time.monotonic() > deadline:
                    self.handle.close()
                    raise LabError('another lab libvirtd holds %s for more than %ss' % (LOCK_FILE, timeout))
                time.sleep(0.2)

    def stop(self):
        if self.handle:
            fcntl.flock(self.handle, fcntl.LOCK_UN)
            self.handle.close()
            self.handle = None


class Libvirtd(object):
    """One running libvirtd; ``stop()`` ends it by PID (and releases its lock, if any)."""

    def __init__(self, workdir, mode, host, port, conf, process, log, ca, server_cert, clients, allowed, lock, netns=False):
        self.workdir, self.mode, self.host, self.port, self.conf = workdir, mode, host, port, conf
        self.process, self.log, self.ca, self.server_cert = process, log, ca, server_cert
        self.clients, self.allowed, self._lock, self.netns = clients, allowed, lock, netns
        # where a client connects: the bind address, or loopback for a wildcard
        self.connect_host = '127.0.0.1' if host in ('0.0.0.0', '::', '') else host

    @property
    def pid(self):
        return self.process.pid

    @property
    def tls(self):
        return self.mode.startswith('tls')

    def pkipath(self, client):
        """A directory in libvirt's client layout (cacert.pem, clientcert.pem, clientkey.pem) for ``client``."""
        path = os.path.join(self.workdir, 'pkipath-%s' % (client or 'none'))
        os.makedirs(path, exist_ok=True)
        shutil.copy(self.ca.cert, os.path.join(path, 'cacert.pem'))
        if client:
            shutil.copy(self.clients[client].cert, os.path.join(path, 'clientcert.pem'))
            shutil.copy(self.clients[client].key, os.path.join(path, 'clientkey.pem'))
            os.chmod(os.path.join(path, 'clientkey.pem'), 0o600)
        return path

    def uri(self, client=None):
        if self.tls:
            return 'qemu+tls://localhost:%d/system?pkipath=%s' % (self.port, self.pkipath(client))
        return 'qemu+tcp://%s:%d/system' % (self.connect_host, self.port)

    def _client_files(self, client):
        if client:
            return self.clients[client].cert, self.clients[client].key
        return None, None

    def _in_netns(self, func, **kwargs):
        """Run ``func`` of this module inside the daemon's network namespace; returns its JSON result."""
        code = 'import json, sys; from lab import libvirt as L; print(json.dumps(getattr(L, sys.argv[1])(**json.loads(sys.argv[2]))))'
        env = dict(os.environ, PYTHONPATH=REPO)
        proc = subprocess.run(['nsenter', '-t', str(self.pid), '-n', sys.executable, '-c', code, func, json.dumps(kwargs)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, timeout=30, check=False,
                              env=env, cwd=REPO, universal_newlines=True)
        if proc.returncode != 0:
            raise LabError('%s inside the network namespace of libvirtd %s failed: %s' % (func, self.pid, proc.stderr[-2000:]))
        return json.loads(proc.stdout)

    def tls_session(self, client=None, timeout=5.0):
        """What the server does with a TLS client presenting ``client``'s certificate (None: none):
        'accepted', 'closed' (libvirt hung up after checking the certificate) or 'handshake_failed'."""
        cert, key = self._client_files(client)
        kwargs = dict(host=self.connect_host, port=self.port, ca_file=self.ca.cert, cert=cert, key=key, timeout=timeout)
        return self._in_netns('tls_session', **kwargs) if self.netns else tls_session(**kwargs)

    def auth_list(self, client=None, timeout=5.0):
        """The authentication types the server demands on this port (REMOTE_PROC_AUTH_LIST), or None."""
        cert, key = self._client_files(client)
        kwargs = dict(host=self.connect_host, port=self.port, tls=self.tls, ca_file=self.ca.cert if self.ca else None,
                      cert=cert, key=key, timeout=timeout)
        return self._in_netns('auth_list', **kwargs) if self.netns else auth_list(**kwargs)

    def virsh(self, *args, **kwargs):
        """Run the real ``virsh -c <uri>`` (``client=`` picks the client certificate); 20 s timeout."""
        virsh = virsh_binary()
        if not virsh:
            raise LabError('virsh is not installed (libvirt-clients)')
        cmd = [virsh, '-c', self.uri(kwargs.get('client'))] + list(args)
        if self.netns:
            cmd = ['nsenter', '-t', str(self.pid), '-n'] + cmd
        env = dict(os.environ, LC_ALL='C', HOME=self.workdir)
        return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                              timeout=kwargs.get('timeout', 20), check=False, env=env, universal_newlines=True)

    def restart(self, port, mode):
        """Stop the daemon and start it again, same command line, on its (edited) configuration file, now serving ``port``
        in ``mode`` (what the edit made of it): what an operator does after changing libvirtd.conf."""
        self.process.stop()
        self.port, self.mode = port, mode
        self.process = Process('libvirtd', self.argv, self.log, cwd=self.workdir, env=self.env)
        if self.netns:
            _wait_listening(self.process, port, 30.0, mode, self.log)
        else:
            wait_port(self.connect_host, port, timeout=30.0, proc=self.process.popen, name='libvirtd (%s)' % mode, log=self.log)

    def stop(self):
        try:
            self.process.stop()
        finally:
            if self._lock:
                self._lock.stop()
                self._lock = None


def _conf_text(mode, host, port, sock_dir, ca, server_cert, allowed_subjects, extra):
    lines = ['# written by lab/libvirt.py, mode %s' % mode,
             'listen_addr = "%s"' % host,
             'unix_sock_dir = "%s"' % sock_dir,
             'unix_sock_group = "root"',
             'log_outputs = "3:stderr"']
    if mode.startswith('tcp'):
        lines += ['listen_tls = 0', 'listen_tcp = 1', 'tcp_port = "%d"' % port,
                  'auth_tcp = "%s"' % ('none' if mode == 'tcp-none' else 'sasl')]
    else:
        lines += ['listen_tls = 1', 'listen_tcp = 0', 'tls_port = "%d"' % port, 'auth_tls = "none"',
                  'key_file = "%s"' % server_cert.key, 'cert_file = "%s"' % server_cert.cert, 'ca_file = "%s"' % ca.cert]
        if mode == 'tls-noverify':
            lines.append('tls_no_verify_certificate = 1')
        if mode == 'tls-dn':
            lines.append('tls_allowed_dn_list = [%s]' % ', '.join('"%s"' % s for s in allowed_subjects))
    lines += list(extra)
    return '\n'.join(lines) + '\n'


def libvirt_dn(leaf):
    """The subject as libvirt (GnuTLS) compares it with tls_allowed_dn_list, like ``virt-pki-query-dn``.

    The RDNs in certificate order (``O=SCS Lab,CN=compute1``): the reverse of RFC 4514's string
    (``CN=compute1,O=SCS Lab``), which libvirt does not match.
    """
    from cryptography import x509  # pylint: disable=import-outside-toplevel
    with open(leaf.cert, 'rb') as handle:
        cert = x509.load_pem_x509_certificate(handle.read())
    return ','.join(rdn.rfc4514_string() for rdn in cert.subject.rdns)


def start_libvirtd(workdir, mode='tls-verify', ca=None, host=None, port=None, clients=('compute1', 'compute2'),
                   allowed=('compute1',), extra=(), timeout=30.0, netns=False):
    """Start ``libvirtd --listen`` in ``workdir`` (created) in ``mode``; return a ``Libvirtd`` handle.

    ``host``: listen_addr (default 127.0.0.1, or 0.0.0.0 with ``netns=True``: a private network
    namespace, see the module documentation).
    ``ca``: a ``lab.pki.CA`` (a new one in ``workdir/pki`` if None); ``clients``: client
    certificates issued for these names (TLS modes); ``allowed``: clients whose subjects go into
    ``tls_allowed_dn_list`` (mode ``tls-dn``); ``extra``: more libvirtd.conf lines.
    """
    if mode not in MODES:
        raise LabError('unknown libvirtd lab mode %r (one of %s)' % (mode, ', '.join(MODES)))
    binary = libvirtd_binary()
    if not binary:
        raise LabError('libvirtd is not installed (Debian: libvirt-daemon libvirt-daemon-system-sysv)')
    if netns and not namespaces_available():
        raise LabError('a private network namespace needs unshare/nsenter as root with CAP_SYS_ADMIN')
    host = host or ('0.0.0.0' if netns else '127.0.0.1')
    workdir = os.path.abspath(workdir)
    os.makedirs(workdir, exist_ok=True)
    port = port or free_port('127.0.0.1' if netns else host)
    sock_dir = os.path.join(workdir, 'sock')
    os.makedirs(sock_dir, exist_ok=True)
    log = os.path.join(workdir, 'libvirtd.log')
    conf = os.path.join(workdir, 'libvirtd.conf')
    pid_file = os.path.join(workdir, 'libvirtd.pid')
    server_cert = None
    issued = {}
    if mode.startswith('tls'):
        ca = ca or CA(os.path.join(workdir, 'pki'))
        server_cert = ca.issue('libvirt-server-%d' % port, sans=('localhost', host))
        for name in clients:
            issued[name] = ca.issue('libvirt-client-%s-%d' % (name, port), sans=None, server=False, client=True,
                                    common_name='%s.lab.example' % name)
    allowed_subjects = [libvirt_dn(issued[name]) for name in allowed if name in issued]
    with open(conf, 'w') as handle:
        handle.write(_conf_text(mode, host, port, sock_dir, ca, server_cert, allowed_subjects, extra))
    daemon = [binary, '--listen', '--config', conf, '--pid-file', pid_file]
    lock = None
    if namespaces_available():
        mounts = []
        for target in STATE_DIRS:
            source = os.path.join(workdir, 'state', target.strip('/').replace('/', '_'))
            os.makedirs(source, exist_ok=True)
            mounts.append('mkdir -p %s && mount --bind %s %s' % (target, source, target))
        if netns:
            mounts.insert(0, 'ip link set lo up')
        script = ' && '.join(mounts) + ' && exec "$@"'
        argv = ['unshare', '-m'] + (['-n'] if netns else []) + ['--propagation', 'private', 'sh', '-c', script, 'lab-libvirtd'] + daemon
    else:
        lock = _Lock(timeout=300)
        argv = daemon
    env = dict(os.environ, LC_ALL='C')
    try:
        process = Process('libvirtd', argv, log, cwd=workdir, env=env)
        if netns:
            _wait_listening(process, port, timeout, mode, log)
        else:
            wait_port(host, port, timeout=timeout, proc=process.popen, name='libvirtd (%s)' % mode, log=log)
    except Exception:
        if 'process' in locals():
            process.stop()
        if lock:
            lock.stop()
        raise
    handle = Libvirtd(workdir, mode, host, port, conf, process, log, ca, server_cert, issued, list(allowed), lock, netns=netns)
    handle.argv, handle.env = argv, env
    return handle


def _wait_listening(process, port, timeout, mode, log):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.popen.poll() is not None:
            raise LabError('libvirtd (%s) exited with %s before listening on port %s%s' % (mode, process.popen.returncode, port, _tail(log)))
        if _listening(process.pid, port):
            return
        time.sleep(0.05)
    raise LabError('libvirtd (%s) did not listen on port %s within %ss%s' % (mode, port, timeout, _tail(log)))
