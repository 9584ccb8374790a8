# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A real Keystone (HTTPS, private CA) behind real nginx TLS frontends, with a mixed catalog.

Started once per test session (~25 s on 2 cores): Keystone from its own virtualenv
(``python3 -m lab.keystone install``), nginx with a Mozilla-conformant listener, a weak TLS
listener and plain HTTP, all proxying to Keystone; the catalog of ``lab.keystone.mixed_catalog``;
a second user with only the member role (no admin API access).
"""

from __future__ import absolute_import, division, print_function

import pytest

from keystone_helpers import Lab
from lab import keystone as lab_keystone
from lab.proc import free_port


@pytest.fixture(scope='session')
def keystone_lab(tmp_path_factory):
    reason = lab_keystone.available()
    if reason:
        pytest.skip(reason)
    base = tmp_path_factory.mktemp('keystone-lab')
    ks = lab_keystone.start_keystone(str(base / 'keystone'))
    fe = None
    try:
        fe = lab_keystone.start_frontends(str(base / 'frontends'), ks.ca, ks)
        rows, ignore = lab_keystone.register_mixed_catalog(ks, fe)
        member_password = lab_keystone.create_member(ks)
        reader_password = lab_keystone.create_system_reader(ks)
        clouds = ks.write_clouds_yaml(str(base / 'clouds.yaml'), name='lab')
        yield Lab(ks=ks, fe=fe, rows=rows, ignore=ignore, member_password=member_password,
                  reader_password=reader_password, clouds_yaml=clouds,
                  closed_port=free_port(), base=base, wrong_password='Wr0ng-Passw0rd-for-the-test')
    finally:
        if fe is not None:
            fe.stop()
        ks.stop()
