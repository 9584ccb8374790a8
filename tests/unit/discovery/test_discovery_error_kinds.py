# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Discovery reports every input it could not read whole, structured ({file, message, kind}) on the entry it concerns:
unreadable and undecodable files, parse errors of truncated files, include loops, unreadable directories."""

from __future__ import absolute_import, division, print_function

import errno
import os

from ansible_collections.scs.secure_connections.plugins.module_utils._gather.discovery import discover


def _tree(tmp_path, files):
    for path, text in files.items():
        full = tmp_path / path.lstrip('/')
        full.parent.mkdir(parents=True, exist_ok=True)
        if text is None:
            full.mkdir()
        else:
            full.write_bytes(text if isinstance(text, bytes) else text.encode())
    return str(tmp_path)


def _service(result, name):
    return [s for s in result['services'] if s['service'] == name][0]


def test_truncated_and_undecodable_service_files(tmp_path):
    root = _tree(tmp_path, {'/etc/nova/nova.conf': '[DEFAULT]\ntransport_url = rabbit://n:p@h:5671/\n[oslo_messaging_rab',
                            '/etc/glance/glance-api.conf': b'[DEFAULT]\nbind_port = 9292\n\xff\xfe\n'})
    result = discover(root, gather=['services'])
    assert [e['kind'] for e in _service(result, 'nova')['errors']] == ['parse']
    assert 'invalid section header' in _service(result, 'nova')['errors'][0]['message']
    glance = _service(result, 'glance')['errors']
    assert [e['kind'] for e in glance][0] == 'undecodable' and 'not valid UTF-8' in glance[0]['message']


def test_unreadable_config_directory_is_reported(tmp_path, monkeypatch):
    """The audit runs as root here, so a mode-000 directory would be readable: os.listdir is made to fail for that
    one directory as it does for a non-root audit (the only mock of this test)."""
    root = _tree(tmp_path, {'/etc/nova/nova.conf': '[DEFAULT]\n', '/etc/nova/nova.conf.d/10-tls.conf': '[oslo_messaging_rabbit]\nssl = true\n'})
    locked = os.path.join(root, 'etc', 'nova', 'nova.conf.d')
    real_listdir = os.listdir

    def listdir(path='.'):
        if os.path.abspath(str(path)) == locked:
            raise OSError(errno.EACCES, 'Permission denied', path)
        return real_listdir(path)
    monkeypatch.setattr(os, 'listdir', listdir)
    nova = _service(discover(root, gather=['services']), 'nova')
    assert nova['errors'] == [{'file': '/etc/nova/nova.conf.d', 'kind': 'unreadable_dir',
                               'message': 'directory cannot be listed (Permission denied): files in it were not read'}]
    assert nova['files'] == ['/etc/nova/nova.conf'], 'the readable file is still read'


def test_include_loop_is_an_error_of_the_option_file(tmp_path):
    root = _tree(tmp_path, {'/etc/mysql/my.cnf': '[mysqld]\n!include /etc/mysql/a.cnf\n',
                            '/etc/mysql/a.cnf': '!include /etc/mysql/my.cnf\n'})
    mysql = discover(root, gather=['infrastructure'])['infrastructure']['mysql']
    kinds = [e['kind'] for entry in mysql for e in entry['errors']]
    assert 'include_loop' in kinds


def test_root_and_listener_notes_have_their_own_kinds(tmp_path):
    missing = discover(str(tmp_path / 'nope'))
    assert [e['kind'] for e in missing['errors']] == ['root']
    snapshot = discover(_tree(tmp_path, {'/etc/hostname': 'n1\n'}), gather=['listeners'])
    assert [e['kind'] for e in snapshot['errors']] == ['listeners']
