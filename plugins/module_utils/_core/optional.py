# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one way to import an optional third-party library (cryptography, PyMySQL, openstacksdk, pika).

``OptionalLibrary('PyMySQL', 'pymysql')`` imports the named modules on first use; when one is missing the
library is not ``found``, every module is ``None`` and ``error`` holds the import traceback, which
:meth:`OptionalLibrary.fail_json_if_missing` hands to ``missing_required_lib``.

Only for third-party libraries: the collection's own module_utils are imported with plain ``from
ansible_collections... import`` lines, because AnsiballZ ships only the module_utils it sees imported.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import importlib
import importlib.util
import traceback

from ansible.module_utils.basic import missing_required_lib


class OptionalLibrary(object):
    """The modules of one optional library, or ``None`` for each and the traceback when it is missing.

    ``requirement`` is the name a user installs (as ``missing_required_lib`` prints it); ``modules`` the
    dotted module names to import, in the order of :attr:`modules`. The import runs on first use (any of
    :attr:`modules`, :attr:`found`, :attr:`error`, a :meth:`deferred` module's attribute, a :meth:`flag`'s
    truth), not at construction: a module process that never needs the library does not pay for importing it.
    """

    def __init__(self, requirement, *modules):
        self.requirement = requirement
        self._names = modules
        self._modules = None
        self._error = None

    def _load(self):
        if self._modules is None:
            loaded = []
            try:
                for name in self._names:
                    loaded.append(importlib.import_module(name))
            except ImportError:
                self._error = traceback.format_exc()
                loaded = [None] * len(self._names)
            self._modules = tuple(loaded)
        return self._modules

    @property
    def modules(self):
        return self._load()

    @property
    def error(self):
        self._load()
        return self._error

    @property
    def found(self):
        return self.error is None

    def available(self):
        """``found`` without importing the library when it was not imported yet: whether its top-level packages are
        installed (``importlib.util.find_spec``; a finder that refuses the name counts as missing). For a check up
        front whose library may never be used; the import itself still happens on first use."""
        if self._modules is not None:
            return self.found
        for top in sorted(set(name.split('.')[0] for name in self._names)):
            try:
                if importlib.util.find_spec(top) is None:
                    return False
            except (ImportError, ValueError):
                return False
        return True

    def deferred(self):
        """One stand-in per module (in the order of :attr:`modules`) that imports the library on its first attribute
        read; reading an attribute of a missing library's stand-in raises ``AttributeError``."""
        return tuple(_Deferred(self, index) for index in range(len(self._names)))

    def flag(self):
        """A stand-in for ``found`` whose truth imports the library on first use (``if HAS_X:``)."""
        return _Found(self)

    def fail_json_if_missing(self, module, reason=None):
        """``module.fail_json`` with ``missing_required_lib``'s message when the library is missing."""
        if not self.found:
            module.fail_json(msg=missing_required_lib(self.requirement, reason=reason), exception=self.error)


class _Deferred(object):
    """One module of an :class:`OptionalLibrary`, imported on the first attribute read."""

    __slots__ = ('_library', '_index')

    def __init__(self, library, index):
        self._library = library
        self._index = index

    def __getattr__(self, name):
        module = self._library.modules[self._index]
        if module is None:
            raise AttributeError('%s is not installed: no %s' % (self._library.requirement, name))
        return getattr(module, name)


class _Found(object):
    """``OptionalLibrary.found``, evaluated on first use."""

    __slots__ = ('_library',)

    def __init__(self, library):
        self._library = library

    def __bool__(self):
        return self._library.found

    __nonzero__ = __bool__

    def __repr__(self):
        return repr(self._library.found)
