# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fixtures shared by the unit and the integration tests."""

from __future__ import absolute_import, division, print_function

import pytest

from lab.module import ansible_module as _ansible_module


@pytest.fixture(scope='session')
def ansible_module():
    """A real ``AnsibleModule``: gatherers called directly run their tools with its ``run_command``."""
    return _ansible_module()


# openstacksdk announces API removals with RemovedInSDK50Warning / RemovedInSDK60Warning: one raised
# by a call of ours (or of the lab) fails the test. openstacksdk 4.x also emits three of them from its
# own internals on every connection, request and resource, whatever the caller does; those are
# ignored by their exact message.
SDK_INTERNAL_DEPRECATIONS = (
    r'Support for InfluxDB requires the influxdb library',            # every openstack.connect()
    r"The 'service_type' parameter is unnecesary",                    # every proxy request
    r'The _compute_attributes method is deprecated for removal',      # every Resource object
)


def pytest_configure(config):
    try:
        import openstack.warnings  # noqa: F401  pylint: disable=import-outside-toplevel,unused-import
    except ImportError:
        return
    config.addinivalue_line('filterwarnings', 'error::openstack.warnings._RemovedInSDKWarning')
    for message in SDK_INTERNAL_DEPRECATIONS:
        config.addinivalue_line('filterwarnings', 'ignore:%s:openstack.warnings._RemovedInSDKWarning' % message)
