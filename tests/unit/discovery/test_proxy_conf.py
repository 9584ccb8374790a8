# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""HAProxy and nginx TLS frontends."""

from __future__ import absolute_import, division, print_function

import pytest

from ansible_collections.scs.secure_connections.plugins.module_utils._parsers import proxy as pc

from .helpers import build, dumps, fixture_text, tree, truncations

# --------------------------------------------------------------------------- HAProxy


@pytest.mark.parametrize('line, words', [
    ('bind :443 ssl crt /a.pem', ['bind', ':443', 'ssl', 'crt', '/a.pem']),
    ('stats realm Haproxy\\ Stats', ['stats', 'realm', 'Haproxy Stats']),
    ('http-request set-header X "a b" # comment', ['http-request', 'set-header', 'X', 'a b']),
    ("ssl-default-bind-ciphers 'A:B'", ['ssl-default-bind-ciphers', 'A:B']),
    ('  # only a comment', []),
])
def test_haproxy_words(line, words):
    assert pc.split_haproxy_words(line)[0] == words


@pytest.mark.parametrize('text, expected', [
    ('10.0.0.1:443', (None, '10.0.0.1', 443, None, None)),
    (':443', (None, None, 443, None, None)),
    ('*:8000-8010', (None, None, 8000, 8010, None)),
    (':::443', ('ipv6', '::', 443, None, None)),
    ('ipv6@:443', ('ipv6', None, 443, None, None)),
    ('[fd00::1]:443', ('ipv6', 'fd00::1', 443, None, None)),
    ('unix@/run/haproxy.sock', ('unix', None, None, None, '/run/haproxy.sock')),
    ('/var/run/admin.sock', ('unix', None, None, None, '/var/run/admin.sock')),
    ('cloud.example.org:5000', (None, 'cloud.example.org', 5000, None, None)),
])
def test_haproxy_address(text, expected):
    got = pc.parse_haproxy_address(text)
    assert (got['family'], got['address'], got['port'], got['port_end'], got['path']) == expected


def test_kolla_haproxy_frontends():
    secrets = set()
    parsed = pc.parse_haproxy_cfg(fixture_text('kolla', '/etc/kolla/haproxy/haproxy.cfg'), secrets=secrets)
    glob = parsed['global']
    assert glob['ssl-default-bind-options'] == ['prefer-client-ciphers', 'no-sslv3', 'no-tlsv10', 'no-tlsv11', 'no-tls-tickets']
    assert glob['ssl-default-bind-ciphersuites'].startswith('TLS_AES_128_GCM_SHA256')
    assert glob['tune.ssl.default-dh-param'] == '4096'
    assert 'FIXTUREPWkollaHaproxyStats23' in secrets
    assert 'FIXTUREPW' not in dumps(parsed)
    services = pc.parse_haproxy_cfg(fixture_text('kolla', '/etc/kolla/haproxy/services.d/nova.cfg'))
    front = dict((f['name'], f) for f in services['frontends'])
    bind = front['nova_api_external_front']['binds'][0]
    assert bind['ssl'] is True and bind['ssl_min_ver'] == 'TLSv1.0' and bind['ciphers'] == 'ALL:@SECLEVEL=0'
    assert bind['crt'] == ['/etc/haproxy/certificates/haproxy.pem']
    assert front['nova_metadata']['type'] == 'listen' and front['nova_metadata']['binds'][0]['ssl'] is False
    back = dict((b['name'], b) for b in services['backends'])
    server = back['nova_api_external_back']['servers'][0]
    assert server['ssl'] is True and server['verify'] == 'required' and server['ca_file'] == ['/etc/ssl/certs/ca-certificates.crt']
    assert back['nova_metadata']['servers'][0]['ssl'] is False


def test_haproxy_redirect_userlist_and_errors():
    secrets = set()
    parsed = pc.parse_haproxy_cfg(fixture_text('osa', '/etc/haproxy/haproxy.cfg'), secrets=secrets)
    front = dict((f['name'], f) for f in parsed['frontends'])
    assert front['horizon-redirect-front-1']['redirects_to_https'] is True
    assert front['keystone_service-front-1']['binds'][0]['ssl'] is True
    assert parsed['global']['ssl-default-bind-options'] == ['force-tlsv12']
    assert 'FIXTUREPWosaHaproxyUser06' in secrets and 'FIXTUREPW' not in dumps(parsed)
    broken = pc.parse_haproxy_cfg('bind :80\nfrontend f\n  bind\n  bind "unterminated :443\nbackend b\n  server x\n')
    assert [e['line'] for e in broken['errors']] == [1, 3, 4, 6]


# --------------------------------------------------------------------------- nginx


@pytest.mark.parametrize('args, expected', [
    (['443', 'ssl'], (None, 443, None, True, False)),
    (['[::]:443', 'ssl', 'http2', 'ipv6only=on'], ('::', 443, None, True, True)),
    (['10.0.0.1:8443', 'ssl', 'default_server'], ('10.0.0.1', 8443, None, True, False)),
    (['*:80'], (None, 80, None, False, False)),
    (['localhost'], ('localhost', None, None, False, False)),
    (['unix:/run/nginx.sock'], (None, None, '/run/nginx.sock', False, False)),
])
def test_nginx_listen(args, expected):
    got = pc.parse_nginx_listen(args)
    assert (got['address'], got['port'], got['path'], got['ssl'], got['http2']) == expected


def test_distro_nginx_with_includes_and_inheritance():
    parsed = pc.parse_nginx_conf('/etc/nginx/nginx.conf', root=tree('distro'))
    assert parsed['errors'] == []
    assert '/etc/nginx/snippets/openstack-tls.conf' in parsed['files']
    servers = parsed['servers']
    keystone = servers[0]
    assert [(l['address'], l['port'], l['ssl']) for l in keystone['listen']] == [('10.0.0.31', 5000, True), ('fd00::31', 5000, True)]
    assert keystone['ssl']['ssl_protocols'] == ['TLSv1.2', 'TLSv1.3']
    assert keystone['ssl']['ssl_ecdh_curve'] == 'X25519:prime256v1:secp384r1'
    assert keystone['ssl_source']['ssl_protocols'] == 'server'
    assert keystone['hsts'] == 'max-age=63072000 always'
    nova = servers[1]
    assert nova['ssl']['ssl_protocols'] == ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3']   # inherited from http{}
    assert nova['ssl_source']['ssl_protocols'] == 'http'
    assert nova['ssl']['ssl_ciphers'] == 'HIGH:!aNULL:!MD5'
    assert servers[2]['redirects_to_https'] is True
    stream = servers[3]
    assert stream['context'] == 'stream' and stream['listen'][0]['port'] == 5681 and stream['ssl']['ssl_protocols'] == ['TLSv1.2', 'TLSv1.3']


@pytest.mark.parametrize('files, message', [
    ({'/etc/nginx/nginx.conf': 'http { include /etc/nginx/nginx.conf; }\n'}, 'include loop'),
    ({'/etc/nginx/nginx.conf': 'http { include a.conf; }\n', '/etc/nginx/a.conf': 'include b.conf;\n',
      '/etc/nginx/b.conf': 'include a.conf;\n'}, 'include loop'),
    ({'/etc/nginx/nginx.conf': 'http { include missing.conf; }\n'}, 'no such file'),
    ({'/etc/nginx/nginx.conf': 'http { server { listen 443 ssl }\n'}, 'is not terminated by ";"'),
    ({'/etc/nginx/nginx.conf': 'http { server { listen 443 ssl; }\n'}, 'unexpected end of file, expecting "}"'),
    ({'/etc/nginx/nginx.conf': 'http { }\n}\n'}, 'unexpected "}"'),
    ({'/etc/nginx/nginx.conf': 'http { add_header X "unterminated; }\n'}, 'unterminated quoted string'),
    ({'/etc/nginx/nginx.conf': 'http { include a b; }\n'}, 'include needs exactly one argument'),
    ({'/etc/nginx/nginx.conf': ('dir',)}, 'is a directory, not a file'),
    ({'/etc/nginx/nginx.conf': b'http { server { listen 443 ssl; server_name \xff; } }\n'}, 'not valid UTF-8'),
])
def test_nginx_errors(tmp_path, files, message):
    root = build(tmp_path, files)
    parsed = pc.parse_nginx_conf('/etc/nginx/nginx.conf', root=root)
    assert any(message in e['message'] for e in parsed['errors']), parsed['errors']
    dumps(parsed)


def test_nginx_glob_include_is_sorted_and_legacy_ssl_on(tmp_path):
    root = build(tmp_path, {
        '/etc/nginx/nginx.conf': 'http {\n ssl_protocols TLSv1.2;\n include conf.d/*.conf;\n}\n',
        '/etc/nginx/conf.d/b.conf': 'server { listen 8443; ssl on; ssl_certificate_key data:$key; }\n',
        '/etc/nginx/conf.d/a.conf': 'server { listen 443 ssl; ssl_protocols TLSv1.3; }\n',
    })
    parsed = pc.parse_nginx_conf('/etc/nginx/nginx.conf', root=root)
    assert parsed['files'] == ['/etc/nginx/nginx.conf', '/etc/nginx/conf.d/a.conf', '/etc/nginx/conf.d/b.conf']
    assert parsed['servers'][0]['ssl']['ssl_protocols'] == ['TLSv1.3']
    assert parsed['servers'][1]['listen'][0]['ssl'] is True          # 'ssl on;' (old syntax)
    assert parsed['servers'][1]['ssl']['ssl_certificate_key'] == ['********']


def test_nginx_truncated_never_crash():
    text = fixture_text('distro', '/etc/nginx/sites-available/openstack-api')
    for cut in truncations(text):
        dumps(pc.parse_nginx_text('http {\n' + cut))


def test_haproxy_truncated_never_crash():
    for cut in truncations(fixture_text('kolla', '/etc/kolla/haproxy/haproxy.cfg')):
        parsed = pc.parse_haproxy_cfg(cut, secrets=set())
        assert 'FIXTUREPW' not in dumps(parsed)
