# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one command runner of the gatherers: every external tool a module starts goes through here.

* It runs through ``AnsibleModule.run_command`` (what ansible-test's pylint rule
  ``ansible-bad-function`` asks of modules and module_utils since ansible-core 2.21), so a
  module hands its ``AnsibleModule`` down to the gatherer that runs tools.
* ``LC_ALL=C`` and ``LANG=C``: tools print untranslated messages the parsers understand.
* A timeout: when it expires the tool and every process it started are killed (SIGKILL) and the
  result says ``timed_out``; a hung tool never hangs the module.
* Bounded output: at most ``max_output`` bytes of stdout and of stderr are kept; a longer output
  marks the result ``truncated`` (callers treat it as an error, never parse a partial output).
* Optionally inside a container: ``container_argv`` builds ``docker exec`` / ``podman exec``.
* No shell, no ``~`` or ``$VAR`` expansion, arguments passed as they are.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import shutil
import signal
import threading

DEFAULT_TIMEOUT = 60
MAX_OUTPUT = 32 * 1024 * 1024
CONTAINER_ENGINES = ('docker', 'podman')
SEARCH_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'


class CommandResult(object):
    """What a command did: ``rc`` (None when it could not start or was killed), ``stdout``/``stderr``
    (text, undecodable bytes replaced), ``timed_out``, ``truncated`` and ``error`` (why it did not start)."""

    def __init__(self, argv, rc=None, stdout='', stderr='', timed_out=False, truncated=False, error=None):
        self.argv = list(argv)
        self.rc = rc
        self.stdout = stdout
        self.stderr = stderr
        self.timed_out = timed_out
        self.truncated = truncated
        self.error = error

    @property
    def ok(self):
        return self.rc == 0 and not self.timed_out and not self.truncated and self.error is None

    def __repr__(self):
        return 'CommandResult(rc=%r, timed_out=%r, truncated=%r, error=%r)' % (self.rc, self.timed_out, self.truncated, self.error)


def container_engine(requested='auto', which=None):
    """Path of the container engine: ``requested`` (docker/podman), or for ``auto`` docker, then podman."""
    which = which or find_executable
    for name in (CONTAINER_ENGINES if requested in (None, '', 'auto') else (requested,)):
        path = which(name)
        if path:
            return path
    return None


def container_argv(engine_path, container, argv, env=None, pass_env=()):
    """``<engine> exec -e LC_ALL=C -e LANG=C [-e K=V ...] [-e NAME ...] <container> <argv>``.

    ``env`` values are written into the command line (never put a secret there); ``pass_env`` names
    are passed by name only, the engine takes their values from the runner's environment.
    """
    out = [engine_path, 'exec', '-e', 'LC_ALL=C', '-e', 'LANG=C']
    for key, value in sorted((env or {}).items()):
        out += ['-e', '%s=%s' % (key, value)]
    for name in pass_env:
        out += ['-e', name]
    return out + [container] + list(argv)


def find_executable(name):
    """``name`` in PATH, then in the usual system directories (sbin included); None when absent."""
    return shutil.which(name) or shutil.which(name, path=SEARCH_PATH)


def _children():
    """``{ppid: [pid, ...]}`` of the processes visible in /proc."""
    tree = {}
    try:
        pids = [p for p in os.listdir('/proc') if p.isdigit()]
    except OSError:
        return tree
    for pid in pids:
        try:
            with open('/proc/%s/stat' % pid, 'rb') as handle:
                stat = handle.read().decode('ascii', 'replace')
            ppid = int(stat.rsplit(')', 1)[1].split()[1])
        except (OSError, IOError, ValueError, IndexError):
            continue
        tree.setdefault(ppid, []).append(int(pid))
    return tree


def _kill_tree(pid):
    """SIGKILL ``pid`` and every process below it (a shell wrapper's children hold the pipes open)."""
    tree = _children()
    todo, seen = [pid], []
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.append(current)
        todo.extend(tree.get(current, ()))
    for target in reversed(seen):
        try:
            os.kill(target, signal.SIGKILL)
        except OSError:
            pass


def _text(data, limit):
    data = data or b''
    if not isinstance(data, bytes):
        data = str(data).encode('utf-8', 'surrogateescape')
    truncated = len(data) > limit
    return data[:limit].decode('utf-8', 'replace'), truncated


def run(module, argv, env=None, timeout=DEFAULT_TIMEOUT, max_output=MAX_OUTPUT, cwd=None):
    """Run ``argv`` (a list, no shell) with ``module.run_command``; a :class:`CommandResult`.

    ``env`` is added to the module's environment after ``LC_ALL=C``/``LANG=C`` (so a caller may
    set other variables, for example ``HOME`` or a password variable the tool reads).
    """
    if module is None or not hasattr(module, 'run_command'):
        raise ValueError('command.run needs the AnsibleModule that runs the tool (got %r)' % (module,))
    environ = {'LC_ALL': 'C', 'LANG': 'C'}
    environ.update(dict((str(k), str(v)) for k, v in (env or {}).items()))
    state = {'timed_out': False, 'timer': None}

    def _expire(proc):
        if proc.poll() is None:
            state['timed_out'] = True
            _kill_tree(proc.pid)

    def _arm(proc):
        timer = threading.Timer(timeout, _expire, (proc,))
        timer.daemon = True
        state['timer'] = timer
        timer.start()

    try:
        rc, out, err = module.run_command(list(argv), environ_update=environ, cwd=cwd, encoding=None, expand_user_and_vars=False,
                                          before_communicate_callback=_arm, handle_exceptions=False)
    except (OSError, IOError) as exc:
        return CommandResult(argv, error='cannot run %s: %s' % (argv[0], getattr(exc, 'strerror', None) or exc))
    finally:
        if state['timer'] is not None:
            state['timer'].cancel()
    stdout, cut_out = _text(out, max_output)
    stderr, cut_err = _text(err, max_output)
    if state['timed_out']:
        return CommandResult(argv, None, stdout, stderr, timed_out=True)
    return CommandResult(argv, rc, stdout, stderr, truncated=cut_out or cut_err)
