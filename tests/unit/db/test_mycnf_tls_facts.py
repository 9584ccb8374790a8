# -*- coding: utf-8 -*-
"""What the server option files say about TLS (_parsers/mycnf.server_tls_facts), on real rendered files and edge cases."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

import pytest

from ansible_collections.scs.secure_connections.plugins.module_utils._parsers.mycnf import parse_mycnf, server_tls_facts

RENDERED = os.path.join(os.path.dirname(__file__), '..', '..', 'fixtures', 'kolla-rendered')


@pytest.mark.parametrize('variant, enabled', [('tls', True), ('plain', None)])
def test_kolla_rendered_galera_cnf(variant, enabled):
    root = os.path.join(RENDERED, '20.6.0-%s' % variant)
    facts = parse_mycnf('/etc/kolla/mariadb/galera.cnf', root=root)['tls']
    assert facts['tls']['enabled'] is enabled
    assert facts['galera']['enabled'] is True
    # kolla renders gmcast.listen_addr=tcp:// and no socket.ssl_*: Galera replication is plain even with database TLS
    assert facts['galera']['socket_tls']['enabled'] is False
    assert facts['require_secure_transport'] is None


@pytest.mark.parametrize('server, enabled, words', [
    ({'ssl_cert': '/c', 'ssl_key': '/k'}, True, 'ssl_cert and ssl_key'),
    ({'ssl_cert': '/c', 'ssl_key': '/k', 'skip_ssl': True}, False, 'skip_ssl'),
    ({'ssl_cert': '/c', 'ssl_key': '/k', 'ssl': '0'}, False, 'ssl = 0'),
    ({'ssl_cert': '/c'}, None, 'zero-configuration SSL'),
    ({}, None, 'MariaDB 11.4'),
])
def test_server_tls(server, enabled, words):
    tls = server_tls_facts(server, {})['tls']
    assert tls['enabled'] is enabled and words in tls['reason']


def test_old_versions_and_rst():
    facts = server_tls_facts({'ssl_cert': '/c', 'ssl_key': '/k', 'tls_version': 'TLSv1.1,TLSv1.2', 'require_secure_transport': 'ON'}, {})
    assert facts['tls']['old_versions'] == ['TLSv1.1'] and facts['require_secure_transport'] is True


def test_galera_needs_wsrep_on_and_a_provider():
    assert server_tls_facts({'wsrep_provider': '/usr/lib/galera/libgalera_smm.so'}, {})['galera']['enabled'] is False
    assert server_tls_facts({'wsrep_provider': 'none', 'wsrep_on': 'ON'}, {})['galera']['enabled'] is False
    galera = server_tls_facts({'wsrep_provider': '/g.so', 'wsrep_on': 'ON'}, {'socket.ssl_cert': '/c', 'socket.ssl_key': '/k'})['galera']
    assert galera['enabled'] is True and galera['socket_tls']['enabled'] is True
