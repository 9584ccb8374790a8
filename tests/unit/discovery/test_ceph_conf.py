# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ceph.conf: key normalisation, sections, comments and mon_host forms."""

from __future__ import absolute_import, division, print_function

import pytest

from ansible_collections.scs.secure_connections.plugins.module_utils._parsers import ceph as cc
from ansible_collections.scs.secure_connections.plugins.module_utils._core.secrets import MASK

from .helpers import dumps, fixture_text, truncations


@pytest.mark.parametrize('name, key', [
    ('mon host', 'mon_host'), ('mon-host', 'mon_host'), ('Mon__Host', 'mon_host'), ('  ms  cluster-mode ', 'ms_cluster_mode'),
])
def test_normalize_key(name, key):
    assert cc.normalize_key(name) == key


def test_sections_comments_and_effective():
    parsed = cc.parse_ceph_conf(fixture_text('distro', '/etc/ceph/ceph.conf'))
    assert parsed['errors'] == []
    glob = parsed['sections']['global']
    assert glob['public_network'] == '10.0.2.0/24'
    assert glob['cluster_network'] == '10.0.4.0/24'
    assert glob['ms_client_mode'] == 'crc secure'          # '; prefer crc' is a comment
    assert parsed['effective']['osd']['ms_cluster_mode'] == 'secure'
    assert cc.ceph_get(parsed, 'ms cluster mode', 'osd.3') == 'secure'
    assert cc.ceph_get(parsed, 'keyring', 'client.cinder') == '/etc/ceph/ceph.client.cinder.keyring'
    assert cc.ceph_get(parsed, 'keyring', 'client.admin') is None


MON_CASES = [
    ('10.0.0.1,10.0.0.2', [[(None, '10.0.0.1', None)], [(None, '10.0.0.2', None)]]),
    ('10.0.0.1 10.0.0.2;10.0.0.3', [[(None, '10.0.0.1', None)], [(None, '10.0.0.2', None)], [(None, '10.0.0.3', None)]]),
    ('10.0.0.1:6789', [[(None, '10.0.0.1', 6789)]]),
    ('v2:10.0.0.1:3300', [[('v2', '10.0.0.1', 3300)]]),
    ('[v2:10.0.0.1:3300,v1:10.0.0.1:6789],[v2:10.0.0.2:3300/0,v1:10.0.0.2:6789/0]',
     [[('v2', '10.0.0.1', 3300), ('v1', '10.0.0.1', 6789)], [('v2', '10.0.0.2', 3300), ('v1', '10.0.0.2', 6789)]]),
    ('[::1]:6789', [[(None, '::1', 6789)]]),
    ('[v2:[fd00::1]:3300,v1:[fd00::1]:6789]', [[('v2', 'fd00::1', 3300), ('v1', 'fd00::1', 6789)]]),
    ('mon1.example.net,mon2.example.net', [[(None, 'mon1.example.net', None)], [(None, 'mon2.example.net', None)]]),
    ('', []),
]


@pytest.mark.parametrize('value, monitors', MON_CASES, ids=range(len(MON_CASES)))
def test_mon_host(value, monitors):
    got = [[(a['type'], a['host'], a['port']) for a in mon['addrs']] for mon in cc.parse_mon_host(value)]
    assert got == monitors


@pytest.mark.parametrize('text, nerrors', [
    ('mon host = 1.2.3.4\n[global]\n', 1),
    ('[global\nfsid = x\n', 2),
    ('[global]\njust words\n', 1),
    ('[global]\nmon_host = 1.2.3.4 \\\n , 1.2.3.5\n', 0),
])
def test_malformed(text, nerrors):
    parsed = cc.parse_ceph_conf(text)
    assert len(parsed['errors']) == nerrors
    dumps(parsed)


def test_inline_key_masked():
    secrets = set()
    parsed = cc.parse_ceph_conf('[client.admin]\nkey = AQFIXTUREPWcephkey==\n', secrets)
    assert parsed['sections']['client.admin']['key'] == MASK
    assert 'AQFIXTUREPWcephkey==' in secrets


def test_truncated_never_crash():
    for cut in truncations(fixture_text('kolla', '/etc/kolla/nova-compute/ceph.conf')):
        dumps(cc.parse_ceph_conf(cut))
