# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What to install on which host: the error a gatherer reports when an optional Python library is
missing on the host the module runs on (never mistaken for a credentials or network problem)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import socket
import sys

# library -> (pip name, Debian/Ubuntu package)
PACKAGES = {
    'openstacksdk': ('openstacksdk', 'python3-openstacksdk'),
    'PyMySQL': ('PyMySQL', 'python3-pymysql'),
    'pika': ('pika', 'python3-pika'),
    'cryptography': ('cryptography', 'python3-cryptography'),
}


def missing_library(library, alternative=None):
    """``{kind: missing_library, message}``: install ``library`` on this host (the message names host and Python)."""
    pip_name, deb = PACKAGES.get(library, (library, None))
    host = socket.gethostname()
    python = sys.executable or 'python3'
    message = ('the Python library %s is not installed on host %s (for %s, the Python that runs the module): install it on %s '
               '(%s -m pip install %s%s)' % (library, host, python, host, python, pip_name, ', or the package %s' % deb if deb else ''))
    if alternative:
        message += ', or %s' % alternative
    return {'kind': 'missing_library', 'message': message}
