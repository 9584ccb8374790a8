# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Compute-node fixture trees (tests/fixtures/hv) completed with TLS material made once per session."""

from __future__ import absolute_import, division, print_function

import os

import pytest

from lab.hv_trees import TREES, discover_tree, gather_tree, prepare
from lab.pki import CA


class Trees(object):
    """Prepared trees by name, with their gathered and discovered evidence (computed once)."""

    def __init__(self, base):
        self.base = base
        self.ca = CA(os.path.join(base, 'pki'))
        self.roots = {}
        self._libvirt = {}
        self._discovery = {}
        for name in TREES:
            self.roots[name] = prepare(name, os.path.join(base, name), self.ca)
        # two compute nodes sharing one client certificate identity (compute2 got compute1's subject)
        self.roots['kolla-compute2-shared'] = prepare('kolla-compute2', os.path.join(base, 'kolla-compute2-shared'), self.ca,
                                                      client_name='compute1')

    def libvirt(self, name):
        if name not in self._libvirt:
            self._libvirt[name] = gather_tree(self.roots[name])
        return self._libvirt[name]

    def discovery(self, name):
        if name not in self._discovery:
            self._discovery[name] = discover_tree(self.roots[name])
        return self._discovery[name]


@pytest.fixture(scope='session')
def hv_trees(tmp_path_factory):
    return Trees(str(tmp_path_factory.mktemp('hv-trees')))
