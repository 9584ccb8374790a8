# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The runner of a node's network tools (``ip``, ``wg``, ``ceph-conf``, ``ovs-vsctl``, ``ovn-nbctl``): ``Runner`` runs
them on this machine (optionally in a network namespace), ``SnapshotRunner`` runs none for a configuration snapshot.

Apart from :mod:`_gather.netinfo` (the interfaces, routes and NICs, about 33 KB of source) so that a snapshot whose
node's network cannot be observed compiles none of that: storage_network_info reads its configuration with the
snapshot runner alone (docs/scale.md, imports on first use).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

COMMAND_TIMEOUT = 10


class NetInfoError(Exception):
    """A required tool or file is missing, or a command failed in a way that stops the lookup."""


class Runner(object):
    """Runs the node's tools (``ip``, ``wg``, ``ovs-vsctl`` ...), optionally inside a network namespace.

    ``which`` maps a tool name to its path or None (the module passes ``module.get_bin_path``);
    commands run through ``_core.command`` (the module's ``run_command``, ``LC_ALL=C``, a timeout).
    """

    def __init__(self, which=None, netns=None, timeout=COMMAND_TIMEOUT, module=None):
        self._which = which or _default_which
        self.module = module
        self.netns = netns or None
        self.timeout = timeout
        self._paths = {}

    def which(self, tool):
        if tool not in self._paths:
            self._paths[tool] = self._which(tool)
        return self._paths[tool]

    def argv(self, tool, args, in_netns=True):
        path = self.which(tool)
        if path is None:
            raise NetInfoError('%s is not installed (not found in PATH)' % tool)
        if self.netns and in_netns:
            ip = self.which('ip')
            if ip is None:
                raise NetInfoError('ip (iproute2) is not installed: it is needed to enter network namespace %s' % self.netns)
            if tool == 'ip':
                return [ip, '-n', self.netns] + list(args)
            return [ip, 'netns', 'exec', self.netns, path] + list(args)
        return [path] + list(args)

    def run(self, tool, args, in_netns=True, env=None):
        """``(rc, stdout, stderr)``; raises NetInfoError when the tool is missing or hangs."""
        argv = self.argv(tool, args, in_netns=in_netns)
        return self.run_argv(argv, env=env)

    def run_argv(self, argv, env=None):
        # _core.command only when a command runs: a snapshot runs none
        from ansible_collections.scs.secure_connections.plugins.module_utils._core import command as _command  # pylint: disable=import-outside-toplevel
        res = _command.run(self.module, argv, env=env, timeout=self.timeout)
        if res.error:
            raise NetInfoError(res.error)
        if res.timed_out:
            raise NetInfoError('%s did not finish within %ss' % (' '.join(argv[:6]), self.timeout))
        if res.truncated:
            raise NetInfoError('%s printed more than %d bytes' % (' '.join(argv[:6]), _command.MAX_OUTPUT))
        return res.rc, res.stdout, res.stderr


class SnapshotRunner(Runner):
    """The runner of a snapshot (a ``root`` other than ``/``): no tool runs on the auditing host on its behalf.

    ``ip``, ``wg``, ``ovs-vsctl``, ``ovn-nbctl``, ``ceph-conf`` would describe the auditing machine (or read its
    databases and sockets), not the machine the snapshot was taken of; every tool is absent here, and ``why``
    says so in the messages that would otherwise say "not installed".
    """

    snapshot = True

    def __init__(self, root, timeout=COMMAND_TIMEOUT, module=None):
        super(SnapshotRunner, self).__init__(which=lambda tool: None, netns=None, timeout=timeout, module=module)
        self.root = root

    def why(self, tool):
        return 'root %s is a snapshot: %s is not run (it would describe the auditing host, not the snapshot\'s node)' % (self.root, tool)

    def argv(self, tool, args, in_netns=True):
        raise NetInfoError(self.why(tool))

    def run_argv(self, argv, env=None):
        raise NetInfoError(self.why(argv[0] if argv else 'the command'))


def _default_which(tool):
    path = os.environ.get('PATH', '') + os.pathsep + os.pathsep.join(('/sbin', '/usr/sbin', '/usr/local/sbin'))
    for directory in path.split(os.pathsep):
        if not directory:
            continue
        candidate = os.path.join(directory, tool)
        if os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    return None
