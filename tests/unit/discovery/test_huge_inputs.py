# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Huge and hostile inputs (about 0.5 MB each): every parser finishes quickly (no quadratic
behaviour, no recursion error) and caps its error list."""

from __future__ import absolute_import, division, print_function

import time

import pytest

from ansible_collections.scs.secure_connections.plugins.module_utils._parsers import (
    ceph as _ceph_conf, kafka as _kafka_conf, libvirt as _libvirt_conf, mycnf as _mycnf, oslo as _oslo_config,
    proxy as _proxy_conf, rabbitmq as _rabbitmq_conf,
)
from ansible_collections.scs.secure_connections.plugins.module_utils._core.rootfs import MAX_ERRORS

from .helpers import dumps

MB = 512 * 1024  # large enough that a quadratic parser would take minutes

CASES = [
    ('oslo: garbage lines', lambda: _oslo_config.parse_oslo_config('[a]\n' + 'junk\n' * (MB // 5))),
    ('oslo: endless continuation', lambda: _oslo_config.parse_oslo_config('[a]\nk = v\n' + ' c\n' * (MB // 3))),
    ('oslo: URL with many hosts', lambda: _oslo_config.parse_oslo_config('[a]\nt = rabbit://u:p@h' + ',x:y' * (MB // 4) + '\n')),
    ('oslo: long word after a URL', lambda: _oslo_config.parse_oslo_config('[a]\nk = x://a@' + 'a' * MB + '\n')),
    ('mycnf: garbage lines', lambda: _mycnf.parse_mycnf_text('[mysqld]\n' + '%%%\n' * (MB // 4))[2]),
    ('rabbitmq.conf: garbage', lambda: _rabbitmq_conf.parse_rabbitmq_conf('no equals here\n' * (MB // 15))),
    ('erlang: escapes', lambda: _rabbitmq_conf.parse_erlang_config('["' + '\\7' * (MB // 2) + '"].')),
    ('erlang: nesting', lambda: _rabbitmq_conf.parse_erlang_config('[' * (MB // 2) + ']' * (MB // 2) + '.')),
    ('libvirt: garbage', lambda: _libvirt_conf.parse_libvirt_conf('x\n' * (MB // 2))),
    ('libvirt: endless list', lambda: _libvirt_conf.parse_libvirt_conf('x = [' + '"a",' * (MB // 4))),
    ('unit: garbage', lambda: _libvirt_conf.parse_systemd_unit('junk\n' * (MB // 5))),
    ('ceph: continuation', lambda: _ceph_conf.parse_ceph_conf('[global]\nk = ' + 'a\\\n' * (MB // 3))),
    ('ceph: garbage', lambda: _ceph_conf.parse_ceph_conf('[global]\n' + 'junk\n' * (MB // 5))),
    ('kafka: continuation', lambda: _kafka_conf.parse_server_properties('k=' + 'a\\\n' * (MB // 3))),
    ('kafka: jaas', lambda: _kafka_conf.parse_server_properties('a.sasl.jaas.config=' + 'a.' * (MB // 2) + '\n')),
    ('haproxy: garbage', lambda: _proxy_conf.parse_haproxy_cfg('bind x\n' * (MB // 7))),
    ('nginx: nesting', lambda: _proxy_conf.parse_nginx_text('a {' * (MB // 3) + '}' * (MB // 3))),
    ('nginx: long directive', lambda: _proxy_conf.parse_nginx_text('http { server { listen ' + '1 ' * (MB // 2) + '; } }')),
]


@pytest.mark.parametrize('name, run', CASES, ids=[c[0] for c in CASES])
def test_huge_input(name, run):
    start = time.monotonic()
    result = run()
    elapsed = time.monotonic() - start
    # linear parsers take well under a second here; a quadratic one would take minutes
    assert elapsed < 30, '%s took %.1fs' % (name, elapsed)
    errors = result.get('errors', []) if isinstance(result, dict) else result
    assert len(errors) <= MAX_ERRORS + 2
    dumps(result)


def test_discover_clips_huge_values(tmp_path):
    from ansible_collections.scs.secure_connections.plugins.module_utils._gather import discovery as _discovery
    from .helpers import build
    root = build(tmp_path, {'/etc/nova/nova.conf': '[DEFAULT]\ntransport_url = rabbit://u:FIXTUREPWclip@h' + ',x:y' * (MB // 4) + '\n'})
    start = time.monotonic()
    result = _discovery.discover(root, gather=['services'])
    assert time.monotonic() - start < 60
    url = result['services'][0]['transport_urls'][0]['url']
    assert url.endswith('more characters not shown]') and len(url) < 9000
    assert 'FIXTUREPW' not in dumps(result)
