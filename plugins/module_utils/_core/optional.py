# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one way to import an optional third-party library (cryptography, PyMySQL, openstacksdk, pika).

``OptionalLibrary('PyMySQL', 'pymysql')`` imports the named modules now; when one is missing the
library is not ``found``, every module is ``None`` and ``error`` holds the import traceback, which
:meth:`OptionalLibrary.fail_json_if_missing` hands to ``missing_required_lib``.

Only for third-party libraries: the collection's own module_utils are imported with plain ``from
ansible_collections... import`` lines, because AnsiballZ ships only the module_utils it sees imported.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import importlib
import traceback

from ansible.module_utils.basic import missing_required_lib


class OptionalLibrary(object):
    """The modules of one optional library, or ``None`` for each and the traceback when it is missing.

    ``requirement`` is the name a user installs (as ``missing_required_lib`` prints it); ``modules`` the
    dotted module names to import, in the order of :attr:`modules`.
    """

    def __init__(self, requirement, *modules):
        self.requirement = requirement
        self.error = None
        loaded = []
        try:
            for name in modules:
                loaded.append(importlib.import_module(name))
        except ImportError:
            self.error = traceback.format_exc()
            loaded = [None] * len(modules)
        self.modules = tuple(loaded)

    @property
    def found(self):
        return self.error is None

    def fail_json_if_missing(self, module, reason=None):
        """``module.fail_json`` with ``missing_required_lib``'s message when the library is missing."""
        if not self.found:
            module.fail_json(msg=missing_required_lib(self.requirement, reason=reason), exception=self.error)
