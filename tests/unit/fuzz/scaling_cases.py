# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Inputs that grow with ``n`` for every parser, shaped the way a crafted or garbage file
would be (many keys, many hosts, long lists, long continuations); used by the size-scaling
tests, which compare the parse time at ``n`` and ``8n``."""

from __future__ import absolute_import, division, print_function

from ansible_collections.scs.secure_connections.plugins.module_utils._parsers import (
    ceph, kafka, libvirt, mycnf, oslo, proxy, rabbitmq,
)
from ansible_collections.scs.secure_connections.plugins.module_utils._gather import listeners
from ansible_collections.scs.secure_connections.plugins.module_utils._core.sanitize import clean


def _rows(n):
    row = '%4d: 0100007F:%04X 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 %d 1 0 100 0 0 10 0\n'
    return ''.join(row % (i, i % 65536, i + 1) for i in range(n))


# name -> (function of n doing the work, n for the small run); the big run uses 8 n
CASES = {
    'rabbitmq.conf indexed versions': (lambda n: rabbitmq.parse_rabbitmq_conf(
        ''.join('ssl_options.versions.%d = tlsv1.2\n' % i for i in range(n))), 2000),
    'rabbitmq.conf indexed ciphers of every block': (lambda n: rabbitmq.parse_rabbitmq_conf(''.join(
        '%s.ciphers.%d = ECDHE-RSA-AES128-GCM-SHA256\n' % (p, i) for i in range(n)
        for p in ('ssl_options', 'management.ssl', 'management.listener.ssl_opts'))), 700),
    'rabbitmq.conf listeners': (lambda n: rabbitmq.parse_rabbitmq_conf(
        ''.join('listeners.ssl.l%d = 10.0.0.1:%d\n' % (i, i) for i in range(n))), 2000),
    'rabbitmq.conf loopback users': (lambda n: rabbitmq.parse_rabbitmq_conf(
        ''.join('loopback_users.u%d = false\n' % i for i in range(n))), 2000),
    'rabbitmq.conf garbage': (lambda n: rabbitmq.parse_rabbitmq_conf('password junk\n' * n), 4000),
    'erlang long proplist': (lambda n: rabbitmq.parse_erlang_config(
        '[{rabbit, [%s]}].' % ', '.join('{k%d, "v"}' % i for i in range(n))), 2000),
    'erlang ssl listeners': (lambda n: rabbitmq.parse_erlang_config(
        '[{rabbit, [{ssl_listeners, [%s]}]}].' % ', '.join('{"10.0.0.1", %d}' % i for i in range(n))), 2000),
    'erlang adjacent strings': (lambda n: rabbitmq.parse_erlang_config('["a" ' + '"\\x{41}b" ' * n + '].'), 3000),
    'erlang binary': (lambda n: rabbitmq.parse_erlang_config('[<<' + '1, ' * n + '"x">>].'), 3000),
    'erlang map': (lambda n: rabbitmq.parse_erlang_config(
        '[{rabbit, #{%s}}].' % ', '.join('[k%d] => "v"' % i for i in range(n))), 2000),
    'erlang many lines': (lambda n: rabbitmq.parse_erlang_config('[\n' + '1,\n' * n + '1].'), 4000),
    'oslo transport_url hosts': (lambda n: oslo.parse_transport_url(
        'rabbit://' + ','.join('user%d:secretpw%d@host%d:5671' % (i, i, i) for i in range(n)) + '/vh?ssl=1', set()), 1000),
    'oslo mask_value of a long url': (lambda n: oslo.mask_value(
        'rabbit://' + ','.join('u:pw%d@h%d' % (i, i) for i in range(n)), set()), 1000),
    'oslo url_passwords': (lambda n: oslo.url_passwords('x://' + 'a:b@' * n), 2000),
    'oslo db url long query': (lambda n: oslo.parse_db_url(
        'mysql+pymysql://u:p@h/db?' + '&'.join('ssl_ca%d=/x' % i for i in range(n)), set()), 2000),
    'oslo many options': (lambda n: oslo.parse_oslo_config(
        '[DEFAULT]\n' + ''.join('opt%d = value\n' % i for i in range(n))), 2000),
    'oslo many sections': (lambda n: oslo.parse_oslo_config(''.join('[s%d]\nk = v\n' % i for i in range(n))), 2000),
    'oslo repeated option': (lambda n: oslo.parse_oslo_config('[DEFAULT]\n' + 'k = v\n' * n), 3000),
    'oslo continuation': (lambda n: oslo.parse_oslo_config('[DEFAULT]\nk = v\n' + '  more\n' * n), 3000),
    'oslo to_list': (lambda n: oslo.to_list(','.join(['a'] * n)), 3000),
    'mycnf many options': (lambda n: mycnf.parse_mycnf_text('[mysqld]\n' + ''.join('ssl-opt%d = x\n' % i for i in range(n)))[0], 2000),
    'mycnf wsrep options': (lambda n: mycnf.parse_wsrep_provider_options(';'.join('socket.k%d=v' % i for i in range(n))), 2000),
    'libvirt long list': (lambda n: libvirt.parse_libvirt_conf('tls_allowed_dn_list = [' + '"CN=a",\n' * n + ']\n'), 2000),
    'libvirt many settings': (lambda n: libvirt.parse_libvirt_conf(''.join('k%d = 1\n' % i for i in range(n))), 2000),
    'systemd unit listens': (lambda n: libvirt.parse_systemd_unit('[Socket]\n' + 'ListenStream=0.0.0.0:16514\n' * n), 2000),
    'systemd unit continuation': (lambda n: libvirt.parse_systemd_unit('[Socket]\nListenStream=a \\\n' + ' b \\\n' * n + 'c\n'), 2000),
    'default libvirtd args': (lambda n: libvirt.parse_default_libvirtd('LIBVIRTD_ARGS="' + '--listen ' * n + '"\n'), 2000),
    'ceph mon host': (lambda n: ceph.parse_ceph_conf(
        '[global]\nmon host = ' + ','.join('[v2:10.0.0.%d:3300/0,v1:10.0.0.%d:6789/0]' % (i % 250, i % 250) for i in range(n)) + '\n'), 1000),
    'ceph continuation': (lambda n: ceph.parse_ceph_conf('[global]\nk = ' + 'a \\\n' * n + 'b\n'), 3000),
    'ceph many sections': (lambda n: ceph.parse_ceph_conf(''.join('[client.u%d]\nkey = AQ%d\n' % (i, i) for i in range(n))), 2000),
    'kafka listeners': (lambda n: kafka.parse_server_properties(
        'listeners=' + ','.join('L%d://h:%d' % (i, i) for i in range(n)) + '\nlistener.security.protocol.map=' +
        ','.join('L%d:SSL' % i for i in range(n)) + '\n'), 1000),
    'kafka listener ssl': (lambda n: kafka.parse_server_properties(
        ''.join('listener.name.l%d.ssl.keystore.location=/k\n' % i for i in range(n))), 2000),
    'kafka continuation': (lambda n: kafka.parse_server_properties('k=' + 'a\\\n' * n + 'b\n'), 3000),
    'kafka jaas': (lambda n: kafka.parse_server_properties(
        'sasl.jaas.config=x required ' + ' '.join('user_u%d="pw%d"' % (i, i) for i in range(n)) + ';\n'), 1000),
    'haproxy frontends': (lambda n: proxy.parse_haproxy_cfg(''.join(
        'frontend f%d\n  bind 10.0.0.1:%d ssl crt /c ssl-min-ver TLSv1.2\n  default_backend b\n' % (i, i) for i in range(n))), 1000),
    'haproxy one long bind': (lambda n: proxy.parse_haproxy_cfg(
        'frontend f\n  bind ' + ','.join('10.0.0.1:%d' % i for i in range(n)) + ' ssl crt /c\n'), 1000),
    'haproxy servers': (lambda n: proxy.parse_haproxy_cfg(
        'backend b\n' + ''.join('  server s%d 10.0.0.1:%d ssl verify required\n' % (i, i) for i in range(n))), 1000),
    'haproxy words': (lambda n: proxy.split_haproxy_words('"a\\ b" ' * n), 2000),
    'nginx servers': (lambda n: proxy.parse_nginx_text('http {\n' + ''.join(
        'server { listen %d ssl; server_name a; ssl_protocols TLSv1.2; }\n' % i for i in range(n)) + '}\n'), 1000),
    'nginx long directive': (lambda n: proxy.parse_nginx_text('http { server { server_name ' + 'a ' * n + '; } }'), 3000),
    'nginx flat directives': (lambda n: proxy.parse_nginx_text('http {\n' + 'ssl_ciphers x;\n' * n + '}\n'), 3000),
    'proc net tcp rows': (lambda n: listeners.parse_proc_net_tcp(_rows(n), 'inet', 'little'), 1000),
    'cgroup lines': (lambda n: listeners.container_from_cgroup('0::/user.slice\n' * n), 3000),
    'clean a wide result': (lambda n: clean({'a': [{'k%d' % i: u'\ud800x'} for i in range(n)]}), 3000),
}
