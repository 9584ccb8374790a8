# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Where the collection can be imported from when the repository is a plain clone."""

from __future__ import absolute_import, division, print_function

import hashlib
import os
import tempfile

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def collections_root():
    """A directory holding ``ansible_collections/scs/secure_connections`` pointing at this clone.

    If the clone already sits at such a path (ansible-test copies it there) that is used;
    otherwise a symlink is made once in the temp directory (outside the repository, so tools that
    walk the tree never loop).
    """
    parts = REPO.split(os.sep)
    if parts[-3:-2] == ['ansible_collections'] and parts[-2:] == ['scs', 'secure_connections']:
        return os.sep.join(parts[:-3]) or os.sep
    base = os.environ.get('SCS_COLLECTIONS_ROOT') or os.path.join(
        tempfile.gettempdir(), 'scs-sc-collections-%s' % hashlib.sha1(REPO.encode('utf-8')).hexdigest()[:10])
    link = os.path.join(base, 'ansible_collections', 'scs', 'secure_connections')
    if os.path.realpath(link) != REPO:
        os.makedirs(os.path.dirname(link), exist_ok=True)
        if os.path.lexists(link):
            os.unlink(link)
        os.symlink(REPO, link)
    return base


if __name__ == '__main__':
    print(collections_root())
