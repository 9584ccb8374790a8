# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Secrets never leave: URL passwords and secret-named options are masked."""

from __future__ import absolute_import, division, print_function

import pytest

from ansible_collections.scs.secure_connections.plugins.module_utils._core.secrets import MASK, is_secret_key, mask_secrets, mask_url


@pytest.mark.parametrize('url,expected', [
    ('mysql+pymysql://nova:s3cr3t@db.example:3306/nova?ssl_ca=/etc/ca.pem', 'mysql+pymysql://nova:%s@db.example:3306/nova?ssl_ca=/etc/ca.pem' % MASK),
    ('rabbit://openstack:pw1@mq1:5671,openstack:pw2@mq2:5671//?ssl=1', 'rabbit://openstack:%s@mq1:5671,openstack:%s@mq2:5671//?ssl=1' % (MASK, MASK)),
    ('rabbit://guest@mq:5672/', 'rabbit://guest@mq:5672/'),
    ('rabbit://:onlypw@mq:5672/', 'rabbit://:%s@mq:5672/' % MASK),
    ('https://keystone.example:5000/v3', 'https://keystone.example:5000/v3'),
    ('postgresql://u:p%40ss@pg/db', 'postgresql://u:%s@pg/db' % MASK),
    ('no url here', 'no url here'),
])
def test_mask_url(url, expected):
    assert mask_url(url) == expected


@pytest.mark.parametrize('key,secret', [
    ('password', True), ('admin_password', True), ('memcache_secret_key', True), ('metadata_proxy_shared_secret', True),
    ('login_password', True), ('db_pass', True), ('pass', True), ('fail', False), ('bypass', False), ('auth_token', True), ('ssl.keystore.password', True),
    ('ssl_key', False), ('key_file', False), ('ssl_key_file', False), ('cafile', False), ('password_file', False),
    ('auth_type', False), ('user', False), ('insecure', False), ('token_expiration', False),
])
def test_is_secret_key(key, secret):
    assert is_secret_key(key) is secret


def test_mask_secrets_deep():
    data = {'a': [{'password': 'p4ssw0rd', 'cafile': '/etc/ca'}], 'connection': 'mysql://u:topsecret@h/d',
            'empty_password': '', 'note': 'the admin password is hunter22', 'enabled': True}
    out = mask_secrets(data, extra_values=['hunter22'])
    text = str(out)
    for secret in ('p4ssw0rd', 'topsecret', 'hunter22'):
        assert secret not in text
    assert out['a'][0]['cafile'] == '/etc/ca'
    assert out['empty_password'] == ''
    assert out['enabled'] is True
    assert data['a'][0]['password'] == 'p4ssw0rd', 'the input is not changed'


def test_mask_url_stays_linear_on_crafted_input():
    import time
    crafted = ['rabbit://u:p@h' + ',x:y' * 20000, 'a' * 100000 + '://', 'rabbit://' + 'u:' * 30000]
    start = time.process_time()
    for value in crafted:
        mask_url(value + '@')
    assert time.process_time() - start < 2.0
