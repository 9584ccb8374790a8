# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""mysql_tls_info, rabbitmq_tls_info, keystone_catalog_info, neutron_extension_info and libvirt_tls_info's
authentication probe against the zoo's fake servers: well-formed but unhelpful answers of the real protocols
(error packets, Connection.Close, HTTP error statuses, libvirt RPC errors), hangs and trickles."""

from __future__ import absolute_import, division, print_function

import time

import pytest

from conftest import MARGIN
from lab import peers

from ansible_collections.scs.secure_connections.plugins.module_utils._gather.libvirt_probe import rpc_auth_list

# --------------------------------------------------------------------------------------------- MySQL

MYSQL_CASES = [
    # peer, error kind, words; documented bound: 3 x connect_timeout overall
    ('mysql-error-greeting', None, 'Too many connections'),
    ('mysql-hang', 'timeout', ''),
    ('mysql-trickle', 'timeout', 'overall deadline of 3.0 s'),
]


@pytest.mark.parametrize('kind,error_kind,words', MYSQL_CASES, ids=[c[0] for c in MYSQL_CASES])
def test_mysql_peer(module, kind, error_kind, words):
    pytest.importorskip('pymysql')
    with peers.start(kind, interval=0.3) as peer:
        run = module('mysql_tls_info', {'login_host': peer.host, 'login_port': peer.port, 'login_user': 'audit',
                                        'login_password': 'zoo-secret', 'connect_timeout': 1, 'check_client_ca': False})
    result = run.result
    assert result.get('status') == 'error', result
    if error_kind:
        assert result['error']['kind'] == error_kind, result['error']
    assert words in result['error']['message'], result['error']
    assert 'zoo-secret' not in str(result)
    assert run.elapsed < 3 * 1 + MARGIN, run.elapsed


# --------------------------------------------------------------------------------------------- AMQP

AMQP_CASES = [
    # peer, error kind, words; documented bound: amqp_check.timeout overall
    ('amqp-close', 'protocol', 'closed the AMQP connection instead of starting it: 530 NOT_ALLOWED'),
    ('amqp-hang', 'timeout', ''),
    ('amqp-trickle', 'timeout', ''),
]


@pytest.mark.parametrize('kind,error_kind,words', AMQP_CASES, ids=[c[0] for c in AMQP_CASES])
def test_amqp_peer(module, tmp_path, kind, error_kind, words):
    with peers.start(kind, interval=0.2) as peer:
        run = module('rabbitmq_tls_info', {'root': str(tmp_path), 'live': False,
                                           'amqp_check': {'host': peer.host, 'port': peer.port, 'tls': False, 'timeout': 2}})
    check = run.result['amqp_check']
    assert check['status'] == 'error' and check['error']['kind'] == error_kind, check
    assert words in check['error']['message']
    assert run.elapsed < 2 + MARGIN, run.elapsed


# --------------------------------------------------------------------------------------------- HTTP


def _auth(peer):
    return {'auth_url': 'http://%s:%s/v3' % (peer.host, peer.port), 'username': 'admin', 'password': 'zoo-secret',
            'project_name': 'admin', 'user_domain_name': 'Default', 'project_domain_name': 'Default'}


KEYSTONE_CASES = [
    # fail mode, error kinds accepted (None: keystoneauth recovers), words; bound: 4 x api_timeout overall (at least 5 s)
    # version discovery failing is not fatal: keystoneauth falls back to the /v3 URL it was given and authenticates
    ('discovery-500', None, ''),
    ('discovery-404', None, ''),
    ('auth-401', ('auth',), 'check the user name'),
    ('auth-500', ('http', 'sdk', 'discovery'), ''),
    ('headers-trickle', ('timeout',), 'overall deadline'),
    ('body-endless', ('timeout',), 'overall deadline'),
]


@pytest.mark.parametrize('fail,kinds,words', KEYSTONE_CASES, ids=[c[0] for c in KEYSTONE_CASES])
def test_keystone_peer(module, fail, kinds, words):
    pytest.importorskip('openstack')
    with peers.start('keystone', interval=0.2, fail=fail) as peer:
        run = module('keystone_catalog_info', {'auth': _auth(peer), 'api_timeout': 2})
    result = run.result
    if kinds is None:
        assert result.get('status') == 'ok' and result['source'] == 'token_catalog', result
        assert 'GET /v3' in peer.requests and 'POST /v3/auth/tokens' in peer.requests
    else:
        assert result.get('status') == 'error', result
        assert result['error']['kind'] in kinds and words in result['error']['message'], result['error']
    assert 'zoo-secret' not in str(result)
    assert run.elapsed < max(5, 4 * 2) + MARGIN, run.elapsed


@pytest.mark.parametrize('fail,kinds', [('network-500', ('http', 'sdk')), ('network-trickle', ('timeout',))])
def test_neutron_peer(module, fail, kinds):
    pytest.importorskip('openstack')
    with peers.start('neutron', interval=0.2, fail=fail) as api:
        with peers.start('keystone', network='http://%s:%s' % (api.host, api.port)) as keystone:
            run = module('neutron_extension_info', {'auth': _auth(keystone), 'api_timeout': 2})
        assert api.requests, 'the fake Neutron was never asked'
    result = run.result
    assert result.get('status') == 'error' and result['error']['kind'] in kinds, result
    assert run.elapsed < max(5, 4 * 2) + MARGIN, run.elapsed


# --------------------------------------------------------------------------------------------- libvirt

LIBVIRT_CASES = [
    # peer, words; documented bound: timeout overall per probe
    ('libvirt-error', 'libvirt RPC error from 127.0.0.1:PORT: authentication unavailable: peer zoo (code 1)'),
    ('libvirt-hang', 'no complete answer from 127.0.0.1:PORT within 1.0 s overall (the peer is silent or trickles)'),
    ('libvirt-trickle', 'no complete answer from 127.0.0.1:PORT within 1.0 s overall (the peer is silent or trickles)'),
]


@pytest.mark.parametrize('kind,words', LIBVIRT_CASES, ids=[c[0] for c in LIBVIRT_CASES])
def test_libvirt_auth_probe_peer(kind, words):
    """The authentication probe of libvirt_tls_info (rpc_auth_list, called for each plain-TCP libvirt listener the
    module finds in /proc: a fake listener cannot be attributed to a libvirt daemon, so the probe is called directly)."""
    with peers.start(kind, interval=0.05) as peer:
        begin = time.monotonic()
        auth, error = rpc_auth_list(peer.host, peer.port, timeout=1.0)
        elapsed = time.monotonic() - begin
    assert auth is None and error == words.replace('PORT', str(peer.port)), error
    assert elapsed < 1.0 + 1.0, elapsed
