# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every parser entry point, with the exceptions its documentation allows and a text strategy
that knows the format's punctuation and tricky characters (shared by the fuzz tests, the
size-scaling tests and ``scripts/fuzz.sh``)."""

from __future__ import absolute_import, division, print_function

import os
import tempfile

from hypothesis import strategies as st

from ansible_collections.scs.secure_connections.plugins.module_utils._parsers import (
    ceph, kafka, lexing, libvirt, mycnf, oslo, proxy, rabbitmq,
)
from ansible_collections.scs.secure_connections.plugins.module_utils._gather import listeners

# characters that broke parsers before: digits int() refuses, line ends str.splitlines() knows,
# escapes, quotes, brackets, NUL, non-BMP
TRICKY = [u'\u00b2', u'\u0663', u'\u0663\u0664', u'\u2028', u'\x85', u'\x0b', u'\x0c', u'\x1c', u'\r', u'\t', u'\x00',
          u'\\', u'\\x{D800}', u'\\x{110000}', u'\\x{', u'\\\n', u'"', u"'", u'$', u'$\\', u'#', u';', u'%', u'=', u':',
          u',', u'.', u'[', u']', u'{', u'}', u'(', u')', u'<<', u'>>', u'#{', u'=>', u'@', u'/', u'?', u'&', u'*',
          u'16#', u'36#zz', u'-', u'+', u'e', u'\U0001F600', u'\ufeff', u'\ufffd', u'::', u'[::1]:',
          u'0x', u'nan', u'inf', u' ', u'\n', u'\n\n']
# numbers int() refuses or that are too long for it, next to ordinary ones
NUMBERS = [u'9' * 5000, u'1' * 4301, u'\u00b2', u'\u0663', u'\u0663\u0664', u'\u00b9\u00b2', u'-1', u'0', u'65536', u'5671',
           u'99999999999999999999', u'1e9999', u'1.5', u'0x1F', u'16#' + u'f' * 5000, u'1_000', u' 12 ']

_NOSURROGATE = st.characters(blacklist_categories=('Cs',))


def fragments(words):
    """Text made of the format's words, tricky characters and random short strings."""
    piece = st.one_of(st.sampled_from(words), st.sampled_from(TRICKY), st.sampled_from(NUMBERS), st.text(_NOSURROGATE, max_size=6))
    return st.lists(piece, max_size=60).map(u''.join)


W_INI = [u'[DEFAULT]\n', u'[database]\n', u'[oslo_messaging_rabbit]\n', u'connection = ', u'transport_url = ',
         u'mysql+pymysql://u:p@h:3306/db?ssl_ca=/x', u'rabbit://a:b@h1:5671,c:d@h2:5672/vh?ssl=1', u'password = ',
         u'ssl = true\n', u'port = ', u'\n  continued', u'include = ']
W_MYCNF = [u'[mysqld]\n', u'[client]\n', u'!include ', u'!includedir ', u'ssl-ca = ', u'loose-', u'port = ',
           u'wsrep_provider_options = "socket.ssl_key=/k;socket.ssl=yes"\n', u'password = ', u'wsrep_sst_auth = u:p\n']
W_RMQ_CONF = [u'listeners.ssl.default = ', u'listeners.tcp.1 = ', u'ssl_options.versions.1 = tlsv1.2\n',
              u'ssl_options.versions.', u'ssl_options.ciphers.', u'management.ssl.port = ', u'default_pass = ',
              u'listeners.tcp = none\n', u'ssl_options.verify = verify_peer\n', u'loopback_users.guest = false\n',
              u'0.0.0.0:5671', u'[::]:5671']
W_ERLANG = [u'[{rabbit, [{ssl_listeners, [5671]}, {ssl_options, [{versions, [\'tlsv1.2\']}]}]}].', u'{', u'}',
            u'[', u']', u'#{', u'=>', u'<<"', u'">>', u'"', u"'", u'$', u'16#ff', u'\\x{', u'\\x{D800}', u'\\x{DFFF}',
            u'\\', u'ssl_options', u'tcp_listeners', u'{"0.0.0.0", 5672}', u'password', u'%', u'.', u'|']
W_LIBVIRT = [u'listen_tls = 1\n', u'listen_tcp = ', u'auth_tcp = "none"\n', u'tcp_port = "', u'tls_allowed_dn_list = [',
             u'"a", ', u']', u'#', u'\\', u'"', u'=', u'\n']
W_UNIT = [u'[Socket]\n', u'[Unit]\n', u'ListenStream=', u'0.0.0.0:16514', u'[::]:16509', u'/run/libvirt/sock',
          u'Environment=', u'\\\n', u'LIBVIRTD_ARGS="--listen"\n', u'libvirtd_opts="-l"\n', u'"', u"'", u'$']
W_CEPH = [u'[global]\n', u'[client.admin]\n', u'mon host = ', u'[v2:10.0.0.1:3300/0,v1:10.0.0.1:6789/0]',
          u'ms cluster mode = secure\n', u'key = ', u'\\\n', u'#', u';', u'"', u'10.0.0.1:6789', u'[::1]:3300']
W_KAFKA = [u'listeners=', u'SSL://:9093', u'PLAINTEXT://[::1]:9092', u'listener.security.protocol.map=',
           u'A:SSL,B:SASL_SSL', u'sasl.jaas.config=', u'password="x";', u'ssl.keystore.password=', u'\\\n',
           u'\\u00', u'\\u0041', u'\\uD800', u'listener.name.a.ssl.', u':', u'=']
W_HAPROXY = [u'global\n', u'defaults\n', u'frontend f\n', u'listen l\n', u'backend b\n', u'  bind ', u':443 ssl crt /c',
             u' ssl-min-ver TLSv1.2', u'  server s ', u'1.2.3.4:443 ssl verify required', u'stats auth a:b\n',
             u'ipv6@[::]:443', u'unix@/x', u'*:80-90', u'"', u"'", u'\\', u'#', u'ssl-default-bind-options ']
W_NGINX = [u'http {', u'stream {', u'server {', u'}', u';', u'listen ', u'443 ssl', u'[::]:443', u'unix:/x',
           u'ssl_protocols TLSv1.2;', u'include ', u'"', u"'", u'\\', u'#', u'$', u'{', u'return 301 https://$host;']
W_PROC = [u'  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n',
          u'   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 12345 1\n',
          u'00000000000000000000000001000000:0050', u'0A', u' ', u'\n', u':']


def _tree_file(name, text, parse):
    """Write ``text`` as ``name`` under a fresh root and parse it through the path-taking entry point."""
    root = tempfile.mkdtemp(prefix='fuzz-')
    try:
        path = os.path.join(root, 'etc', name)
        os.makedirs(os.path.dirname(path))
        with open(path, 'w', encoding='utf-8') as handle:
            handle.write(text)
        return parse('/etc/' + name, root)
    finally:
        import shutil
        shutil.rmtree(root, ignore_errors=True)


# name -> (function of one text, text strategy, exceptions the documentation allows)
ENTRY_POINTS = {
    'ceph.parse_ceph_conf': (ceph.parse_ceph_conf, fragments(W_CEPH), ()),
    'ceph.parse_mon_host': (ceph.parse_mon_host, fragments(W_CEPH), ()),
    'ceph.normalize_key': (ceph.normalize_key, fragments(W_CEPH), ()),
    'kafka.parse_properties': (kafka.parse_properties, fragments(W_KAFKA), ()),
    'kafka.parse_server_properties': (kafka.parse_server_properties, fragments(W_KAFKA), ()),
    'kafka.parse_listener_list': (lambda t: kafka.parse_listener_list(t, kafka.parse_protocol_map(t)), fragments(W_KAFKA), ()),
    'kafka.parse_protocol_map': (kafka.parse_protocol_map, fragments(W_KAFKA), ()),
    'kafka.mask_property': (lambda t: kafka.mask_property(t.partition('=')[0], t.partition('=')[2], set()), fragments(W_KAFKA), ()),
    'lexing.find_unescaped': (lambda t: lexing.find_unescaped(t, '#;'), fragments(W_INI), ()),
    'libvirt.parse_libvirt_conf': (libvirt.parse_libvirt_conf, fragments(W_LIBVIRT), ()),
    'libvirt.parse_systemd_unit': (libvirt.parse_systemd_unit, fragments(W_UNIT), ()),
    'libvirt.parse_socket_listen': (libvirt.parse_socket_listen, fragments(W_UNIT), ()),
    'libvirt.parse_default_libvirtd': (libvirt.parse_default_libvirtd, fragments(W_UNIT), ()),
    'mycnf.parse_mycnf_text': (mycnf.parse_mycnf_text, fragments(W_MYCNF), ()),
    'mycnf.parse_wsrep_provider_options': (mycnf.parse_wsrep_provider_options, fragments(W_MYCNF), ()),
    'mycnf.normalize_option': (mycnf.normalize_option, fragments(W_MYCNF), ()),
    'mycnf.mask_mycnf_option': (lambda t: mycnf.mask_mycnf_option(t[:8], t[8:], set()), fragments(W_MYCNF), ()),
    'mycnf.parse_mycnf': (lambda t: _tree_file('my.cnf', t, lambda p, r: mycnf.parse_mycnf(p, root=r)), fragments(W_MYCNF), ()),
    'oslo.parse_oslo_config': (oslo.parse_oslo_config, fragments(W_INI), ()),
    'oslo.parse_oslo_ini': (oslo.parse_oslo_ini, fragments(W_INI), ()),
    'oslo.parse_db_url': (oslo.parse_db_url, fragments(W_INI), ()),
    'oslo.parse_transport_url': (oslo.parse_transport_url, fragments(W_INI), ()),
    'oslo.mask_value': (lambda t: oslo.mask_value(t, set()), fragments(W_INI), ()),
    'oslo.url_passwords': (oslo.url_passwords, fragments(W_INI), ()),
    'oslo.to_bool': (oslo.to_bool, fragments(W_INI), ()),
    'oslo.to_list': (oslo.to_list, fragments(W_INI), ()),
    'proxy.parse_haproxy_cfg': (proxy.parse_haproxy_cfg, fragments(W_HAPROXY), ()),
    'proxy.split_haproxy_words': (proxy.split_haproxy_words, fragments(W_HAPROXY), ()),
    'proxy.parse_haproxy_address': (proxy.parse_haproxy_address, fragments(W_HAPROXY), ()),
    'proxy.parse_nginx_text': (proxy.parse_nginx_text, fragments(W_NGINX), ()),
    'proxy.tokenize_nginx': (proxy.tokenize_nginx, fragments(W_NGINX), (proxy._NginxSyntaxError,)),
    'proxy.parse_nginx_listen': (lambda t: proxy.parse_nginx_listen(t.split()), fragments(W_NGINX), ()),
    'proxy.parse_nginx_conf': (lambda t: _tree_file('nginx.conf', t, lambda p, r: proxy.parse_nginx_conf(p, root=r)), fragments(W_NGINX), ()),
    'rabbitmq.parse_rabbitmq_conf': (rabbitmq.parse_rabbitmq_conf, fragments(W_RMQ_CONF), ()),
    'rabbitmq.parse_erlang_config': (rabbitmq.parse_erlang_config, fragments(W_ERLANG), ()),
    'rabbitmq.parse_erlang_terms': (rabbitmq.parse_erlang_terms, fragments(W_ERLANG), (rabbitmq.ErlangParseError,)),
    'rabbitmq.tokenize_erlang': (rabbitmq.tokenize_erlang, fragments(W_ERLANG), (rabbitmq.ErlangParseError,)),
    'listeners.parse_proc_net_tcp': (listeners.parse_proc_net_tcp, fragments(W_PROC), ()),
    'listeners.decode_address': (listeners.decode_address, fragments(W_PROC), (ValueError,)),
    'listeners.container_from_cgroup': (listeners.container_from_cgroup, fragments(W_PROC), ()),
}
