# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every module that talks to the network states its time bound; the zoo's tests hold each one to it
(the bounds asserted there are the documented ones: see the comments of each case table)."""

from __future__ import absolute_import, division, print_function

import importlib

import pytest
import yaml

NETWORK_MODULES = {
    # module: what its documentation must state (the numbers the zoo tests assert)
    'tls_endpoint_info': ['at most O(timeout)', '2 x O(timeout)', '8 x O(timeout)'],
    'keystone_catalog_info': ['4 x O(api_timeout)'],
    'neutron_extension_info': ['4 x O(api_timeout)'],
    'mysql_tls_info': ['3 x O(connect_timeout)'],
    'rabbitmq_tls_info': ['O(amqp_check.timeout) overall', '3 x O(amqp_check.timeout)'],
    'libvirt_tls_info': ['within O(timeout) overall'],
}


@pytest.mark.parametrize('name', sorted(NETWORK_MODULES))
def test_module_documents_its_time_bound(name):
    module = importlib.import_module('ansible_collections.scs.secure_connections.plugins.modules.%s' % name)
    doc = yaml.safe_load(module.DOCUMENTATION)
    text = ' '.join(str(v) for v in (doc.get('notes') or []) + (doc.get('description') or []))
    text += ' ' + ' '.join(str(o.get('description')) for o in (doc.get('options') or {}).values())
    text = ' '.join(text.split())
    assert 'Time bound' in text or 'Time bounds' in text, name
    for words in NETWORK_MODULES[name]:
        assert words in text, (name, words)
