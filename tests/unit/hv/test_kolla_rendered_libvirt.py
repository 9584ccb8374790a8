# -*- coding: utf-8 -*-
"""kolla-ansible 20.6.0's real nova_libvirt files (tests/fixtures/kolla-rendered, rendered from the wheel by render.py):
config.json's command is kolla's start script, which execs ``libvirtd --listen``; the TLS socket is configured."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import shutil

import pytest

from ansible_collections.scs.secure_connections.plugins.module_utils._gather import libvirt as lv
from ansible_collections.scs.secure_connections.plugins.module_utils._gather import discovery as di

RENDERED = os.path.join(os.path.dirname(__file__), '..', '..', 'fixtures', 'kolla-rendered')


def tree(tmp_path, variant):
    root = tmp_path / variant
    shutil.copytree(os.path.join(RENDERED, '20.6.0-%s' % variant, 'etc', 'kolla', 'nova-libvirt'), str(root / 'etc/kolla/nova-libvirt'))
    return str(root)


@pytest.mark.parametrize('variant, tls', [('tls', True), ('plain', False)])
def test_kolla_start_script_means_listen(tmp_path, variant, tls):
    result = lv.gather(root=tree(tmp_path, variant), probe=False)
    daemon = result['daemons'][0]
    assert daemon['listen_flag']['value'] is True
    assert 'kolla_nova_libvirt_start' in daemon['listen_flag']['source'] and 'libvirtd --listen' in daemon['listen_flag']['source']
    assert daemon['mode'] == 'listen'
    transports = dict((t['transport'], t) for t in daemon['transports'])
    assert transports['tls']['enabled'] is tls and transports['tcp']['enabled'] is not tls
    if tls:
        assert transports['tls']['binds'] == [{'address': '10.0.0.11', 'port': 16514}]


@pytest.mark.parametrize('variant, expected', [('tls', [('libvirt', '10.0.0.11', 16514)]), ('plain', [])])
def test_configured_libvirt_tls_listener(tmp_path, variant, expected):
    result = di.discover(tree(tmp_path, variant), gather=['infrastructure'])
    got = [(c['source'], c['address'], c['port']) for c in result['configured_listeners'] if c['source'] == 'libvirt']
    assert got == expected


def test_unknown_command_keeps_its_own_arguments():
    assert lv._kolla_command_listen('/usr/sbin/libvirtd', 'c.json')[0] is False
    assert lv._kolla_command_listen('/usr/sbin/libvirtd --listen', 'c.json')[0] is True
