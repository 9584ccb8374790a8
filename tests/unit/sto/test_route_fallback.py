# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The no-``ip`` fallback: /proc/net/route and /proc/net/ipv6_route, longest-prefix match."""

from __future__ import absolute_import, division, print_function

import pytest

from ansible_collections.scs.secure_connections.plugins.module_utils._gather import netinfo as ni

# A real /proc/net/route of a node: default via eth0, storage /24 on eth2, a more specific /26 to
# a remote storage site via eth3, a cheaper and a more expensive route to 10.99.7.0/24, a reject route.
ROUTE = """Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT
eth0\t00000000\t0100630A\t0003\t0\t0\t0\t00000000\t0\t0\t0
eth0\t0000630A\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0
eth2\t0001630A\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0
eth3\t4001630A\t0102630A\t0003\t0\t0\t0\tC0FFFFFF\t0\t0\t0
eth4\t0007630A\t00000000\t0001\t0\t0\t200\t00FFFFFF\t0\t0\t0
eth5\t0007630A\t00000000\t0001\t0\t0\t100\t00FFFFFF\t0\t0\t0
*\t0009630A\t00000000\t0201\t0\t0\t0\t00FFFFFF\t0\t0\t0
eth6\t0008630A\t00000000\t0000\t0\t0\t0\t00FFFFFF\t0\t0\t0
garbage line
"""

IPV6_ROUTE = """\
fd990001000000000000000000000000 40 00000000000000000000000000000000 00 00000000000000000000000000000000 00000100 00000002 00000000 00000001     eth2
fd990001000000010000000000000000 50 00000000000000000000000000000000 00 fd990001000000000000000000000001 00000400 00000001 00000000 00000003     eth3
00000000000000000000000000000000 00 00000000000000000000000000000000 00 fd990000000000000000000000000001 00000400 00000001 00000000 00000003     eth0
fd990002000000000000000000000000 40 00000000000000000000000000000000 00 00000000000000000000000000000000 ffffffff 00000001 00000000 00200200       lo
fd990001000000000000000000000005 80 00000000000000000000000000000000 00 00000000000000000000000000000000 00000000 00000002 00000000 80200001       lo
fd990001000000000000000000000009 80 00000000000000000000000000000000 00 00000000000000000000000000000000 00000000 00000002 00000000 01000001     eth9
"""

ROUTES = ni.parse_proc_route(ROUTE) + ni.parse_proc_ipv6_route(IPV6_ROUTE)


@pytest.mark.parametrize('address,expected', [
    ('10.99.1.20', {'interface': 'eth2', 'gateway': None, 'prefix': '10.99.1.0/24'}),           # connected storage net
    ('10.99.1.70', {'interface': 'eth3', 'gateway': '10.99.2.1', 'prefix': '10.99.1.64/26'}),   # longer prefix wins
    ('10.99.0.5', {'interface': 'eth0', 'gateway': None, 'prefix': '10.99.0.0/24'}),
    ('192.0.2.1', {'interface': 'eth0', 'gateway': '10.99.0.1', 'prefix': '0.0.0.0/0'}),        # default route
    ('10.99.7.1', {'interface': 'eth5', 'gateway': None, 'prefix': '10.99.7.0/24'}),            # lower metric wins
    ('10.99.8.1', {'interface': 'eth0', 'gateway': '10.99.0.1', 'prefix': '0.0.0.0/0'}),        # route not UP is ignored
    ('fd99:1::20', {'interface': 'eth2', 'gateway': None, 'prefix': 'fd99:1::/64'}),
    ('fd99:1:0:1::7', {'interface': 'eth3', 'gateway': 'fd99:1::1', 'prefix': 'fd99:1:0:1::/80'}),
    ('2001:db8::1', {'interface': 'eth0', 'gateway': 'fd99::1', 'prefix': '::/0'}),
    ('fd99:1::9', {'interface': 'eth2', 'gateway': None, 'prefix': 'fd99:1::/64'}),              # cache entry skipped
])
def test_longest_prefix_match(address, expected):
    assert ni.lookup_routes(ROUTES, address) == expected


@pytest.mark.parametrize('address,fragment', [
    ('10.99.9.3', 'unreachable (reject route 10.99.9.0/24)'),
    ('fd99:2::1', 'unreachable (reject route fd99:2::/64)'),
])
def test_reject_routes(address, fragment):
    assert fragment in ni.lookup_routes(ROUTES, address)['error']


@pytest.mark.parametrize('text,address', [
    ('Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n', '10.0.0.1'),
    ('', 'fd00::1'),
])
def test_no_route(text, address):
    routes = ni.parse_proc_route(text) + ni.parse_proc_ipv6_route(text)
    assert ni.lookup_routes(routes, address) == {'error': 'no route to %s in the main routing table' % address}


def test_local_entries_skipped():
    nets = [str(r['network']) for r in ni.parse_proc_ipv6_route(IPV6_ROUTE)]
    assert 'fd99:1::5/128' not in nets   # RTF_LOCAL entry on lo
    assert 'fd99:1::9/128' not in nets   # RTF_CACHE entry


@pytest.mark.parametrize('text,expected', [
    ('fd990000000000000000000000000001 04 40 00 c0      br0\nfe80000000000000289c73fffeab6588 04 40 20 c0      br0\n'
     '00000000000000000000000000000001 01 80 10 80       lo\n',
     {'br0': ['fd99::1/64', 'fe80::289c:73ff:feab:6588/64'], 'lo': ['::1/128']}),
    ('zz 01 80 10 80 lo\nshort\n', {}),
])
def test_if_inet6(text, expected):
    assert ni.parse_if_inet6(text) == expected
