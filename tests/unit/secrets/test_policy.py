# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The rules of _core/secrets.py one by one: names, structures, text; linear time; hypothesis."""

from __future__ import absolute_import, division, print_function

import time

import pytest
from hypothesis import given, settings, strategies as st

from ansible_collections.scs.secure_connections.plugins.module_utils._core.secrets import (
    MASK, SECRET_OPTIONS, URL_SECRET_OPTIONS, is_secret_key, mask_secrets, mask_text, secret_values, split_lines,
)

from planted import ODD_BREAKS, OSLO_SECRET_OPTIONS

S = 'Zt0pS3cretZ'


@pytest.mark.parametrize('project,section,option', [(p, s, o) for p, opts in sorted(OSLO_SECRET_OPTIONS.items()) for s, o in opts])
def test_every_oslo_secret_option_of_the_inventory_is_secret(project, section, option):
    assert is_secret_key(option), '%s [%s] %s' % (project, section, option)


@pytest.mark.parametrize('name', sorted(SECRET_OPTIONS))
def test_every_extra_name_is_secret(name):
    assert is_secret_key(name) and is_secret_key(name.replace('_', '.')) and is_secret_key(name.upper())


@pytest.mark.parametrize('name', [
    'ssl_key', 'key_file', 'ssl_cert', 'ssl_ca', 'cafile', 'keyring', 'ssl.keystore.location', 'ssl.keystore.type', 'password_file',
    'vnc_tls_x509_secret_uuid', 'rbd_secret_uuid', 'token_expiration', 'auth_type', 'user', 'username', 'default_user', 'bypass',
    'ssl_password_file', 'auth_basic_user_file', 'passwd_file', 'key', 'listeners.ssl.default', 'user_dn', 'secret_file',
])
def test_not_secret_names_stay_readable(name):
    assert not is_secret_key(name)


@pytest.mark.parametrize('text,visible', [
    ('https://keystone:5000/v3?token=%s&x=1' % S, 'https://keystone:5000/v3?token=%s&x=1' % MASK),
    ('https://h/?access_token=%s' % S, 'https://h/?access_token=%s' % MASK),
    ('https://h/?region=one', 'https://h/?region=one'),
    ('PlainLoginModule required username="admin" password="%s" user_admin="%s" user_bob=%s;' % (S, S, S),
     'PlainLoginModule required username="admin" password="%s" user_admin="%s" user_bob=%s;' % (MASK, MASK, MASK)),
    ("ScramLoginModule required username='u' password='%s';" % S, "ScramLoginModule required username='u' password='%s';" % MASK),
    ('password="%s' % S, 'password="%s' % MASK),
    ('PlainLoginModule required password="a\\"%s" user_x="b\\\\" y=1' % S, 'PlainLoginModule required password="%s" user_x="%s" y=1' % (MASK, MASK)),
    ('-W w -setcookie %s -noshell' % S, '-W w -setcookie %s -noshell' % MASK),
    ("-setcookie '%s'" % S, "-setcookie '%s'" % MASK),
    ('Authorization: Basic %s' % S, 'Authorization: Basic %s' % MASK),
    ('hdr X-Auth-Token %s' % S, 'hdr X-Auth-Token %s' % MASK),
    ('set-header Authorization "Bearer %s"' % S, 'set-header Authorization "Bearer %s"' % MASK),
    ('proxy_set_header Authorization "%s";' % S, 'proxy_set_header Authorization "%s";' % MASK),
    ('Keystone said: authorization failed for user nova', 'Keystone said: authorization failed for user nova'),
    ('-----BEGIN PRIVATE KEY-----\n%s\n-----END PRIVATE KEY-----' % S, '-----BEGIN PRIVATE KEY-----%s-----END PRIVATE KEY-----' % MASK),
    ('data:-----BEGIN EC PRIVATE KEY-----\\n%s' % S, 'data:-----BEGIN EC PRIVATE KEY-----%s' % MASK),
    ('rabbit://u:%s@h:5671,v:%s@g/' % (S, S), 'rabbit://u:%s@h:5671,v:%s@g/' % (MASK, MASK)),
    ('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----', '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----'),
    ('ssl_ca=/etc/ca.pem key=value', 'ssl_ca=/etc/ca.pem key=value'),
])
def test_text_rules(text, visible):
    assert mask_text(text) == visible
    assert mask_text(visible) == visible, 'idempotent'


def test_structures():
    data = {'dn_lookup_bind': ['cn=admin', S], 'other_bind': 'anon', 'default_user': [['login', 'guest'], ['passcode', S]],
            'args': ['beam.smp', '-setcookie', S, '-noshell'], 'counts': {'pass': 3, 'fail': 1}, 'pass': S, 'RABBITMQ_ERLANG_COOKIE': S}
    out = mask_secrets(data)
    assert S not in repr(out)
    assert out['dn_lookup_bind'] == ['cn=admin', MASK] and out['other_bind'] == 'anon'
    assert out['default_user'][0] == ['login', 'guest'] and out['args'] == ['beam.smp', '-setcookie', MASK, '-noshell']
    assert out['counts'] == {'pass': 3, 'fail': 1}, 'a count under pass is not a password'


@pytest.mark.parametrize('brk', ODD_BREAKS)
def test_split_lines_never_cuts_a_value(brk):
    assert split_lines('a = x%sy\r\nb = 2\n' % brk) == ['a = x%sy' % brk, 'b = 2']
    assert split_lines('') == [] and split_lines('\n\n') == ['', '']


@pytest.mark.parametrize('crafted', [
    'password="' * 40000, 'a=' * 50000, '?token=' * 30000, '-setcookie ' * 30000, 'KEY-----' * 30000, 'Authorization ' * 30000,
    'rabbit://u:p@h' + ',x:y' * 20000 + '@', 'user_a=' * 40000, ('x' * 63 + '=') * 5000,
])
def test_mask_text_is_linear(crafted):
    start = time.process_time()
    mask_text(crafted)
    small = time.process_time() - start
    start = time.process_time()
    mask_text(crafted * 4)
    assert time.process_time() - start < max(8 * small, 0.5), 'super-linear growth'


_names = st.sampled_from(['password', 'user_alice', 'ssl.key.password', 'token', 'secret', 'passwd', 'admin_password'])
_filler = st.text(alphabet=st.characters(blacklist_characters='"\'', blacklist_categories=('Cs',)), max_size=40)


@settings(max_examples=300, deadline=None)
@given(_filler, _names, st.sampled_from(['"', "'"]), _filler)
def test_quoted_assignment_in_any_text_is_masked(prefix, name, quote, suffix):
    text = '%s PlainLoginModule required %s=%s%s%s %s' % (prefix, name, quote, S, quote, suffix)
    assert S not in mask_text(text)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_mask_text_is_total_and_idempotent(text):
    once = mask_text(text)
    assert isinstance(once, str) and mask_text(once) == once


def test_secret_values_of_a_module_option():
    """What a module adds to no_log_values (e.g. rabbitmq_tls_info's cli_env), so -vvv hides it in the invocation."""
    env = {'RABBITMQ_ERLANG_COOKIE': 'c00kie', 'RABBITMQ_CTL_ERL_ARGS': '-setcookie c00kie2', 'HOME': '/var/lib/rabbitmq',
           'RABBITMQ_NODENAME': 'rabbit@n1'}
    assert secret_values(env) == {'c00kie', '-setcookie c00kie2'}
    assert secret_values(None) == set()


@pytest.mark.parametrize('name', sorted(URL_SECRET_OPTIONS))
def test_url_secret_options_keep_the_url_and_hide_the_password(name):
    url = 'mysql+pymysql://user:%s@db.example:3306/x?ssl_ca=/ca.pem' % S
    out = mask_secrets({name: url})[name]
    assert S not in out and out.startswith('mysql+pymysql://user:') and out.endswith('@db.example:3306/x?ssl_ca=/ca.pem')
