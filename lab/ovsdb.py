# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Real OVSDB servers (Open_vSwitch and OVN_Northbound) on unix sockets in a temp dir.

No ``ovs-vswitchd`` and no kernel datapath are needed: the rows an OVS agent or ``ovn-controller``
writes (``external_ids:ovn-encap-ip``, tunnel ports with ``options:remote_ip``) and the OVN
northbound ``NB_Global ipsec`` flag are plain database content that ``ovs-vsctl --no-wait`` and
``ovn-nbctl`` read and write exactly as on a cloud node. Debian packages: ``openvswitch-switch``
(``ovs-vsctl``, ``ovsdb-server``, ``ovsdb-tool``), ``ovn-common`` (``ovn-nbctl``) and ``ovn-central``
(the northbound schema).
"""

from __future__ import absolute_import, division, print_function

import os
import shutil
import subprocess
import tempfile
import time

from lab.proc import LabError, Process

SCHEMAS = {
    'vswitch': ('/usr/share/openvswitch/vswitch.ovsschema', ('ovsdb-server', 'ovsdb-tool', 'ovs-vsctl')),
    'ovn_nb': ('/usr/share/ovn/ovn-nb.ovsschema', ('ovsdb-server', 'ovsdb-tool', 'ovn-nbctl')),
}


def missing(kind):
    """What is missing to run the ``kind`` database here (empty list: nothing)."""
    schema, tools = SCHEMAS[kind]
    out = [t for t in tools if not _which(t)]
    if not os.path.exists(schema):
        out.append(schema)
    return out


def _which(tool):
    for d in os.environ.get('PATH', '').split(os.pathsep) + ['/usr/sbin', '/sbin']:
        if d and os.access(os.path.join(d, tool), os.X_OK):
            return os.path.join(d, tool)
    return None


class OvsDb(object):
    """One ovsdb-server serving ``kind`` on ``unix:<tmp>/db.sock``; ``stop()`` ends it by PID."""

    def __init__(self, kind, tmp=None):
        absent = missing(kind)
        if absent:
            raise LabError('cannot run the %s OVSDB: missing %s' % (kind, ', '.join(absent)))
        self.kind = kind
        self._own_dir = tmp is None
        self.dir = tmp or tempfile.mkdtemp(prefix='scs-ovsdb-%s-' % kind)
        self.db = os.path.join(self.dir, '%s.db' % kind)
        self.sock = os.path.join(self.dir, '%s.sock' % kind)
        self.remote = 'unix:%s' % self.sock
        self.log = os.path.join(self.dir, '%s.log' % kind)
        subprocess.run(['ovsdb-tool', 'create', self.db, SCHEMAS[kind][0]], check=True, timeout=20,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.proc = Process('ovsdb-server %s' % kind, [
            'ovsdb-server', self.db, '--remote=punix:%s' % self.sock, '--unixctl=%s' % os.path.join(self.dir, '%s.ctl' % kind),
            '--pidfile=%s' % os.path.join(self.dir, '%s.pid' % kind), '--log-file=%s' % self.log, '-vconsole:off'], self.log)
        deadline = time.monotonic() + 10
        while not os.path.exists(self.sock):
            if not self.proc.alive() or time.monotonic() > deadline:
                self.stop(keep_log=True)
                raise LabError('ovsdb-server (%s) did not open %s; see %s' % (kind, self.sock, self.log))
            time.sleep(0.05)
        try:
            self.ctl(*(['--no-wait', 'init'] if kind == 'vswitch' else ['init']))
        except LabError:
            self.stop(keep_log=True)
            raise

    def ctl(self, *args):
        tool = 'ovs-vsctl' if self.kind == 'vswitch' else 'ovn-nbctl'
        proc = subprocess.run([tool, '--db=%s' % self.remote, '--timeout=10'] + list(args), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              timeout=30, universal_newlines=True, check=False)
        if proc.returncode != 0:
            raise LabError('%s %s failed: %s' % (tool, ' '.join(args), proc.stderr.strip()))
        return proc.stdout

    def command(self):
        """The command the gatherer's ``ovs_vsctl_command`` option takes for this database."""
        return ['ovs-vsctl', '--db=%s' % self.remote]

    def stop(self, keep_log=False):
        self.proc.stop()
        if self._own_dir and not keep_log:
            shutil.rmtree(self.dir, ignore_errors=True)
