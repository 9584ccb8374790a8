# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Property-based fuzzing of every parser entry point: for any text, a parser returns (its
documented exception at most), its result is JSON, and after the module-result cleaning it is
UTF-8-encodable; its error list stays capped. ``scripts/fuzz.sh`` runs the same for minutes."""

from __future__ import absolute_import, division, print_function

import json
import os
import shutil
import tempfile

import pytest
from hypothesis import given, settings, strategies as st

from ansible_collections.scs.secure_connections.plugins.module_utils._core.rootfs import MAX_ERRORS
from ansible_collections.scs.secure_connections.plugins.module_utils._core.sanitize import clean

from ansible_collections.scs.secure_connections.plugins.module_utils._gather import discovery as _discovery

from .entry_points import (
    ENTRY_POINTS, W_CEPH, W_ERLANG, W_HAPROXY, W_INI, W_KAFKA, W_LIBVIRT, W_MYCNF, W_NGINX, W_RMQ_CONF, W_UNIT, fragments,
)


def check_result(result):
    """The result is JSON Ansible can carry, and a parser's error list is capped."""
    text = json.dumps(clean(result), sort_keys=True, allow_nan=False, ensure_ascii=False)
    text.encode('utf-8')
    if isinstance(result, dict) and isinstance(result.get('errors'), list):
        assert len(result['errors']) <= MAX_ERRORS + 1
        for err in result['errors']:
            assert isinstance(err, dict) and isinstance(err.get('message'), str)


@pytest.mark.parametrize('name', sorted(ENTRY_POINTS))
def test_parser_is_total(name):
    parse, strategy, allowed = ENTRY_POINTS[name]

    @given(strategy)
    def run(text):
        try:
            result = parse(text)
        except allowed:
            return
        check_result(result)

    run()


TREE_FILES = {
    '/etc/nova/nova.conf': W_INI,
    '/etc/mysql/my.cnf': W_MYCNF,
    '/etc/rabbitmq/rabbitmq.conf': W_RMQ_CONF,
    '/etc/rabbitmq/advanced.config': W_ERLANG,
    '/etc/rabbitmq/rabbitmq-env.conf': W_UNIT,
    '/etc/libvirt/libvirtd.conf': W_LIBVIRT,
    '/etc/libvirt/qemu.conf': W_LIBVIRT,
    '/lib/systemd/system/libvirtd-tls.socket': W_UNIT,
    '/etc/default/libvirtd': W_UNIT,
    '/etc/ceph/ceph.conf': W_CEPH,
    '/etc/kafka/server.properties': W_KAFKA,
    '/etc/haproxy/haproxy.cfg': W_HAPROXY,
    '/etc/nginx/nginx.conf': W_NGINX,
}


@settings(max_examples=max(10, settings.default.max_examples // 8))
@given(st.fixed_dictionaries(dict((path, fragments(words)) for path, words in TREE_FILES.items())))
def test_discovery_is_total(files):
    """Discovery over a tree of fuzzed files: no exception, no parser failure caught by the
    per-file containment (that would be a parser bug), a result Ansible can carry."""
    root = tempfile.mkdtemp(prefix='fuzz-tree-')
    try:
        for path, text in files.items():
            real = os.path.join(root, path.lstrip('/'))
            if not os.path.isdir(os.path.dirname(real)):
                os.makedirs(os.path.dirname(real))
            with open(real, 'w', encoding='utf-8') as handle:
                handle.write(text)
        result = _discovery.discover(root, gather=['services', 'infrastructure'])
    finally:
        shutil.rmtree(root, ignore_errors=True)
    check_result(result)
    assert 'internal error' not in json.dumps(result)
