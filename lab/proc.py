# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Start and stop lab processes by PID, find free loopback ports, wait for readiness."""

from __future__ import absolute_import, division, print_function

import os
import signal
import socket
import subprocess
import time


class LabError(RuntimeError):
    """A lab service could not be started; the message names the service and its log."""


def free_port(host='127.0.0.1'):
    """A TCP port that is free on ``host`` right now."""
    sock = socket.socket(socket.AF_INET6 if ':' in host else socket.AF_INET)
    try:
        sock.bind((host, 0))
        return sock.getsockname()[1]
    finally:
        sock.close()


def wait_port(host, port, timeout=20.0, proc=None, name='service', log=None):
    """Wait until ``host:port`` accepts TCP connections; fail early if ``proc`` died."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise LabError('%s exited with %s before listening on %s:%s%s' % (name, proc.returncode, host, port, _tail(log)))
        try:
            socket.create_connection((host, port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.05)
    raise LabError('%s did not listen on %s:%s within %ss%s' % (name, host, port, timeout, _tail(log)))


def _tail(log, lines=15):
    if not log or not os.path.exists(log):
        return ''
    with open(log, 'rb') as handle:
        text = handle.read().decode('utf-8', 'replace').splitlines()[-lines:]
    return '\n--- last lines of %s ---\n%s' % (log, '\n'.join(text))


class Process(object):
    """One child process, its own process group, output to ``log``; ``stop()`` ends the group."""

    def __init__(self, name, argv, log, cwd=None, env=None):
        self.name, self.argv, self.log = name, list(argv), log
        handle = open(log, 'ab')
        try:
            self.popen = subprocess.Popen(self.argv, cwd=cwd, env=env, stdout=handle, stderr=subprocess.STDOUT,
                                          stdin=subprocess.DEVNULL, start_new_session=True)
        except OSError as exc:
            raise LabError('cannot start %s (%s): %s' % (name, self.argv[0], exc))
        finally:
            handle.close()
        self.pid = self.popen.pid

    def alive(self):
        return self.popen.poll() is None

    def stop(self, timeout=10.0):
        if self.popen.poll() is not None:
            return
        for sig, wait in ((signal.SIGTERM, timeout), (signal.SIGKILL, 5.0)):
            try:
                os.killpg(self.pid, sig)
            except OSError:
                return
            try:
                self.popen.wait(wait)
                return
            except subprocess.TimeoutExpired:
                continue


class Stack(object):
    """Processes and clean-up callbacks stopped in reverse order (``with Stack() as s: ...``)."""

    def __init__(self):
        self._items = []

    def add(self, item):
        self._items.append(item)
        return item

    def callback(self, func):
        self._items.append(func)

    def close(self):
        while self._items:
            item = self._items.pop()
            try:
                item.stop() if hasattr(item, 'stop') else item()
            except Exception:  # pylint: disable=broad-except
                pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
