# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A unique secret planted in every secret-bearing setting of a kolla and a distro tree (planted.py)
must not appear anywhere in the results of the gatherers that read files: discovery
(openstack_config_info), rabbitmq_tls_info's configuration reader and libvirt_tls_info.

The mutation tests switch each rule of the policy off in turn and check that this very test
then finds a leak: the test can fail, for every rule.
"""

from __future__ import absolute_import, division, print_function

import json
import os
import sys

import pytest

from ansible_collections.scs.secure_connections.plugins.module_utils._core import secrets as _secrets
from ansible_collections.scs.secure_connections.plugins.module_utils._gather import discovery, libvirt, rabbitmq

from planted import leaks, plant


def gather_all(root):
    """Every file-reading gatherer's result over ``root`` (no live service, no probe)."""
    proc = os.path.join(root, 'proc')
    return {
        'discovery': discovery.discover(root, proc_path=proc),
        'rabbitmq': rabbitmq.gather({'root': root, 'live': False}),
        'libvirt': libvirt.gather(root=root, proc_path=proc, probe=False),
    }


def found(root, tokens):
    return dict((name, leaks(json.dumps(result), tokens)) for name, result in gather_all(root).items() if leaks(json.dumps(result), tokens))


@pytest.fixture(scope='module', params=['kolla', 'distro'])
def tree(request, tmp_path_factory):
    root = str(tmp_path_factory.mktemp('planted-' + request.param))
    return root, plant(root, request.param)


def test_the_tree_plants_every_format(tree):
    root, tokens = tree
    assert len(tokens) > 250
    wheres = ' '.join(tokens.values())
    for fmt in ('nova [', 'keystone [', 'octavia [', 'barbican [', 'my.cnf', 'rabbitmq.conf', 'advanced.config', 'rabbitmq-env',
                'kafka JAAS', 'qemu.conf', 'libvirt auth.conf', 'sasl2', 'ceph', 'haproxy', 'nginx', 'PEM', '/proc cmdline', 'odd line break'):
        assert fmt in wheres, fmt


def test_no_planted_secret_leaves_a_gatherer(tree):
    root, tokens = tree
    assert found(root, tokens) == {}


def test_the_gatherers_still_see_the_settings(tree):
    """Masking hides values, not the facts the rules need."""
    root, _tokens = tree
    result = gather_all(root)['discovery']
    rabbit = result['infrastructure']['rabbitmq'][0]
    assert rabbit['settings']['default_pass'] == _secrets.MASK
    assert rabbit['settings']['listeners.ssl.default'] == '5671'
    urls = [u for s in result['services'] for u in s['database_urls']]
    assert urls and all(u['url'].startswith('mysql') and _secrets.MASK in u['url'] and u['host'] for u in urls)


def _patch_everywhere(monkeypatch, name, replacement):
    """Replace ``_core.secrets.<name>`` and every module's imported reference to it (with empty memos of is_secret_key
    and mask_text: answers kept from an earlier test would hide the mutation; the original memos come back after it)."""
    monkeypatch.setattr(_secrets, '_SECRET_KEY_MEMO', {})
    monkeypatch.setattr(_secrets, '_MASK_TEXT_MEMO', {})
    original = getattr(_secrets, name)
    for module in list(sys.modules.values()):
        if getattr(module, '__name__', '').startswith('ansible_collections.scs.secure_connections') and getattr(module, name, None) is original:
            monkeypatch.setattr(module, name, replacement)


MUTATIONS = {
    'text rules off': ('mask_text', _secrets.mask_url),
    'URL masking off': ('mask_url', lambda value: value),
    'names off': ('is_secret_key', lambda name: False),
    'lines split by str.splitlines': ('split_lines', lambda text: text.splitlines()),
    'LDAP bind pairs off': ('SECRET_PAIR_KEYS', frozenset()),
    'extra names off': ('SECRET_OPTIONS', {}),
    'PEM bodies off': ('_mask_pem', lambda value: value),
    'assignments in text off': ('_mask_assignments', lambda value, pattern, secret_name: value),
}


@pytest.mark.parametrize('mutation', sorted(MUTATIONS))
def test_switching_a_rule_off_leaks(tree, monkeypatch, mutation):
    root, tokens = tree
    name, replacement = MUTATIONS[mutation]
    _patch_everywhere(monkeypatch, name, replacement)
    assert found(root, tokens), '%s: the planted-secrets test would not notice' % mutation
