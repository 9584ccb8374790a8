# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Loopback and wildcard classification shared by the libvirt and RabbitMQ gatherers and rules."""

from __future__ import absolute_import, division, print_function

import pytest

from ansible_collections.scs.secure_connections.plugins.module_utils._core.netaddr import hostport, is_loopback, is_wildcard, probe_host


@pytest.mark.parametrize('address,loopback,wildcard', [
    ('127.0.0.1', True, False), ('127.9.9.9', True, False), ('::1', True, False), ('[::1]', True, False),
    ('::ffff:127.0.0.1', True, False), ('localhost', True, False), ('LOCALHOST', True, False),
    ('0.0.0.0', False, True), ('::', False, True), ('[::]', False, True), ('*', False, True), ('', False, True), (None, False, True),
    ('0:0:0:0:0:0:0:0', False, True), ('10.0.0.5', False, False), ('fe80::1%eth0', False, False), ('controller', False, False),
])
def test_classification(address, loopback, wildcard):
    assert is_loopback(address) is loopback
    assert is_wildcard(address) is wildcard


@pytest.mark.parametrize('address,port,text', [
    ('127.0.0.1', 16514, '127.0.0.1:16514'), ('::', 16514, '[::]:16514'), ('[::1]', 5671, '[::1]:5671'),
    ('fe80::1%eth0', 443, '[fe80::1%eth0]:443'), ('controller', '5000', 'controller:5000'), ('*', 5672, '*:5672'),
])
def test_hostport(address, port, text):
    assert hostport(address, port) == text


@pytest.mark.parametrize('address,wildcard_host,host', [
    ('0.0.0.0', None, '127.0.0.1'), ('*', None, '127.0.0.1'), ('', None, '127.0.0.1'), (None, None, '127.0.0.1'),
    ('::', None, '::1'), ('[::]', None, '::1'), ('0:0:0:0:0:0:0:0', None, '::1'),
    ('::ffff:10.0.0.5', None, '10.0.0.5'), ('::ffff:0.0.0.0', None, '127.0.0.1'), ('::FFFF:10.0.0.5', None, '10.0.0.5'), ('[fd00::5]', None, 'fd00::5'),
    ('10.0.0.5', None, '10.0.0.5'), ('127.0.0.1', 'ctl1', '127.0.0.1'), ('controller', None, 'controller'),
    ('0.0.0.0', 'ctl1.example', 'ctl1.example'), ('::', '192.0.2.7', '192.0.2.7'), ('*', '', '127.0.0.1'),
])
def test_probe_host(address, wildcard_host, host):
    assert probe_host(address, wildcard_host) == host
