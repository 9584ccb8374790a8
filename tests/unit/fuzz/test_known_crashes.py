# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Inputs that once crashed a parser (found by fuzzing): each now gives a result, with the
parse error where the text is not valid, and the result is JSON Ansible can carry."""

from __future__ import absolute_import, division, print_function

import pytest

from .entry_points import ENTRY_POINTS
from .test_fuzz_parsers import check_result

BIG = '9' * 5000

CRASHES = [
    # (entry point, input, a word the error must hold or None when the input is valid enough)
    ('rabbitmq.parse_erlang_config', '[$\\', 'end of file'),
    ('rabbitmq.parse_erlang_config', '[%s].' % BIG, 'too long'),
    ('rabbitmq.parse_erlang_config', '[16#%s].' % ('f' * 5000), 'too long'),
    ('rabbitmq.parse_erlang_config', '[{rabbit, #{[a, [b]] => 1, #{c => [d]} => 2}}].', None),
    ('rabbitmq.parse_erlang_config', '[{rabbit, [{cluster_name, "\\x{D800}"}]}].', None),
    ('rabbitmq.parse_rabbitmq_conf', 'listeners.ssl.default = \u00b2\n', None),
    ('rabbitmq.parse_rabbitmq_conf', 'ssl_options.versions.\u00b2 = tlsv1.2\nmanagement.tcp.port = %s\n' % BIG, None),
    ('libvirt.parse_libvirt_conf', 'tcp_port = %s\n' % BIG, 'too long'),
    ('libvirt.parse_socket_listen', '\u00b2\u00b2', None),
    ('libvirt.parse_socket_listen', '[::]:' + BIG, None),
    ('ceph.parse_mon_host', '[::1]:\u00b2,10.0.0.1:\u0663', None),
    ('kafka.parse_server_properties', 'listeners=SSL://[::1]:\u00b2,SSL://h:%s\n' % BIG, None),
    ('kafka.parse_server_properties', 'a=\\uD800\n', None),
    ('proxy.parse_haproxy_address', '10.0.0.1:\u00b2-%s' % BIG, None),
    ('proxy.parse_nginx_listen', '\u00b2 ssl', None),
    ('proxy.parse_nginx_text', 'http { server { listen [::]:\u00b2; listen %s; } }' % BIG, None),
    ('oslo.parse_transport_url', 'rabbit://u:p@h:\u00b2,u:p@h:%s/' % BIG, 'port'),
]


@pytest.mark.parametrize('name, text, error', CRASHES, ids=['%s-%d' % (c[0], i) for i, c in enumerate(CRASHES)])
def test_known_crash(name, text, error):
    parse, _strategy, _allowed = ENTRY_POINTS[name]
    result = parse(text)
    check_result(result)
    if error:
        messages = result.get('error') or ' '.join(e['message'] for e in result.get('errors', []))
        assert error in messages


def test_nginx_nesting_across_includes_is_bounded(tmp_path):
    """16 files, each 63 blocks deep, each including the next: within each file's nesting limit,
    but together deep enough to exhaust Python's recursion."""
    from ansible_collections.scs.secure_connections.plugins.module_utils._parsers.proxy import parse_nginx_conf
    conf = tmp_path / 'etc' / 'nginx'
    conf.mkdir(parents=True)
    for i in range(16):
        (conf / ('f%d.conf' % i)).write_text('a {' * 63 + 'include f%d.conf;' % (i + 1) + '}' * 63)
    (conf / 'nginx.conf').write_text('include f0.conf;')
    result = parse_nginx_conf('/etc/nginx/nginx.conf', root=str(tmp_path))
    check_result(result)
    assert any('nested deeper than 64 across included files' in e['message'] for e in result['errors'])
