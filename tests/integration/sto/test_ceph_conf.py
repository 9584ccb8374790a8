# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Ceph settings read with Ceph's own ``ceph-conf`` (ceph-common) from the sample files in
tests/fixtures/ceph/, and the collection's fallback parser held against it.

No Ceph cluster can run here (no monitors, no OSDs): ``ceph-conf -c FILE --name ENTITY --lookup
OPTION`` parses offline, which is all the gatherer needs.
"""

from __future__ import absolute_import, division, print_function

import os
import subprocess

import pytest

from ansible_collections.scs.secure_connections.plugins.module_utils._gather import runner as _runner, storage as _storage

FIXTURES = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), 'fixtures', 'ceph')

pytestmark = pytest.mark.skipif(not _runner.Runner().which('ceph-conf'), reason='ceph-conf (ceph-common) is not installed')


def lookup(path, entity, option):
    proc = subprocess.run(['ceph-conf', '-c', os.path.join(FIXTURES, path.lstrip('/')), '--name', entity, '--lookup', option],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=10, universal_newlines=True,
                          check=False)
    return proc.stdout.strip() if proc.returncode == 0 else None


class NoCephConf(_runner.Runner):
    def which(self, tool):
        return None if tool == 'ceph-conf' else super(NoCephConf, self).which(tool)


# file, entity, option, what ``ceph-conf --lookup`` prints (None: not set in the file)
LOOKUPS = [
    ('/secure-everywhere.conf', 'osd.0', 'ms_cluster_mode', 'secure'),
    ('/mixed-modes.conf', 'osd.0', 'ms_cluster_mode', 'secure'),
    ('/mixed-modes.conf', 'osd.3', 'ms_cluster_mode', 'crc'),
    ('/mixed-modes.conf', 'client.nova', 'ms_cluster_mode', 'secure crc'),
    ('/mixed-modes.conf', 'client.nova', 'ms_client_mode', 'crc'),
    ('/mixed-modes.conf', 'client.admin', 'ms_client_mode', 'secure'),
    ('/ceph-ansible-client.conf', 'osd.0', 'ms_cluster_mode', None),
    ('/ceph-ansible-client.conf', 'client.libvirt', 'public_network', '10.99.1.0/24'),
    ('/cephadm-minimal.conf', 'osd.0', 'cluster_network', None),
    ('/legacy-v1.conf', 'mon.a', 'ms_bind_msgr2', 'false'),
]


@pytest.mark.parametrize('path,entity,option,expected', LOOKUPS)
def test_ceph_conf_lookup(path, entity, option, expected):
    """The fixture says what we think it says, per Ceph itself."""
    assert lookup(path, entity, option) == expected


@pytest.mark.parametrize('path', ['/ceph-ansible-client.conf', '/cephadm-minimal.conf', '/secure-everywhere.conf', '/legacy-v1.conf',
                                  '/same-networks.conf', '/mixed-modes.conf'])
def test_fallback_parser_matches_ceph_conf(path, ansible_module):
    by_tool = _storage.read_ceph_conf(FIXTURES, path, _runner.Runner(module=ansible_module), daemons={'mon': ['a']})
    by_parser = _storage.read_ceph_conf(FIXTURES, path, NoCephConf(), daemons={'mon': ['a']})
    assert by_tool['parser'] == 'ceph-conf' and by_parser['parser'] == 'parse_ceph_conf'
    assert sorted(by_tool['entities']) == sorted(by_parser['entities'])
    differences = []
    for entity in by_tool['entities']:
        for option in _storage.CEPH_OPTIONS:
            a, b = by_tool['entities'][entity][option], by_parser['entities'][entity][option]
            if a != b:
                differences.append((entity, option, a, b))
    if path == '/mixed-modes.conf':
        # KNOWN DIFFERENCE: Ceph 16.2 ignores option names written with dashes in files ("mon-host",
        # "cluster-network": ceph-conf -D shows them unset), the collection parser reads them like
        # underscores. Reported; this assertion fails the day either side changes.
        assert sorted(set((o, a) for _e, o, a, _b in differences)) == [('cluster_network', ''), ('mon_host', '')]
    else:
        assert differences == []


def test_broken_file_falls_back_and_says_why(ansible_module):
    conf = _storage.read_ceph_conf(FIXTURES, '/broken.conf', _runner.Runner(module=ansible_module))
    assert conf['parser'] == 'parse_ceph_conf'
    assert conf['parser_note'].startswith('ceph-conf refused the file (global_init: error reading config file. parse error')
