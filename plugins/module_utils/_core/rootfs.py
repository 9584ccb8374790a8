# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Read files of a tree that may not be ``/`` (a config snapshot, a support bundle, a fixture).

Paths handed to and returned by these helpers are *logical* paths, as seen from inside the
tree (``/etc/nova/nova.conf``); ``root`` says where that tree is. Symbolic links are followed
inside the tree: an absolute link target (``/etc/alternatives/my.cnf``) is resolved against
``root``, never against the auditing machine's ``/``. Every failure is a :class:`ReadError` with
a message a human can act on; nothing here raises anything else for a bad file, and nothing
blocks on a FIFO or a device.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import errno
import fnmatch
import glob
import os
import posixpath
import stat

DEFAULT_MAX_FILE_SIZE = 4 * 1024 * 1024
MAX_SYMLINKS = 40


class ReadError(Exception):
    """A file could not be read; ``str(exc)`` is the reason, ``exc.path`` the logical path."""

    def __init__(self, path, message):
        super(ReadError, self).__init__(message)
        self.path = path
        self.message = message

    def __str__(self):
        return self.message


MAX_ERRORS = 50


def cap_errors(errors, limit=MAX_ERRORS):
    """At most ``limit`` error entries, then one saying how many more there were (a garbage
    file must not turn into hundreds of thousands of entries)."""
    if len(errors) <= limit:
        return errors
    rest = len(errors) - limit
    last = dict(errors[limit])
    last['message'] = '%d more problems not shown (the file is probably not this format)' % rest
    return errors[:limit] + [last]


# norm_root of absolute roots (a pure function of the string; a relative root depends on the working directory and is
# not kept): a run asks for the same root thousands of times
_NORM_ROOTS = {}
_MAX_NORM_ROOTS = 64


def norm_root(root):
    """``root`` as an absolute path without a trailing slash (``/`` stays ``/``)."""
    known = _NORM_ROOTS.get(root)
    if known is not None:
        return known
    normal = os.path.abspath(root or '/')
    if root and root.startswith('/') and len(_NORM_ROOTS) < _MAX_NORM_ROOTS:
        _NORM_ROOTS[root] = normal
    return normal


def _join(base, rel):
    """``os.path.join(base, rel)`` for a normalised ``base`` and a relative, non-empty ``rel``."""
    return base + rel if base.endswith('/') else base + '/' + rel


def is_snapshot_root(root):
    """True for a ``root`` that is not this machine's ``/`` (a configuration snapshot, a fixture tree): nothing of the
    auditing host (its processes, sockets, tools) may be taken for the tree's. An unresolvable root counts as one."""
    try:
        return os.path.realpath(root or '/') != '/'
    except (OSError, ValueError):
        return True


def host_path(root, path):
    """Where the logical ``path`` of the tree at ``root`` is on this machine (no link resolution)."""
    root = norm_root(root)
    rel = path.lstrip('/')
    return _join(root, rel) if rel else root


def resolve(root, path):
    """Resolve symbolic links in logical ``path`` inside the tree at ``root``.

    Returns the resolved logical path (which may not exist). Raises :class:`ReadError` on a
    symbolic link loop. ``..`` never leaves the tree.
    """
    pending = [p for p in path.split('/') if p not in ('', '.')]
    pending.reverse()  # a stack: the next component is the last item
    resolved = []
    links = 0
    base = norm_root(root)
    here = base  # the host path of ``resolved``
    while pending:
        comp = pending.pop()
        if comp == '..':
            if resolved:
                resolved.pop()
                here = _join(base, '/'.join(resolved)) if resolved else base
            continue
        real = _join(here, comp)
        try:
            is_link = os.path.islink(real)
        except (OSError, ValueError):
            is_link = False
        if is_link:
            links += 1
            if links > MAX_SYMLINKS:
                raise ReadError(path, 'too many levels of symbolic links (a link loop) while resolving %s' % path)
            try:
                target = os.readlink(real)
            except OSError as exc:
                raise ReadError(path, 'cannot read symbolic link %s: %s' % ('/' + '/'.join(resolved + [comp]), exc.strerror or exc))
            tparts = [p for p in target.split('/') if p not in ('', '.')]
            if target.startswith('/'):
                resolved = []
                here = base
            tparts.reverse()
            pending.extend(tparts)
            continue
        resolved.append(comp)
        here = real
    return '/' + '/'.join(resolved)


def real_path(root, path):
    """The host path of logical ``path`` with links resolved inside the tree."""
    return host_path(root, resolve(root, path))


def lexists(root, path):
    """True when ``path`` is there at all: a file, a directory, or a symbolic link (even a
    dangling or looping one). Used to report a broken file instead of silently skipping it."""
    parent, name = posixpath.split(path)
    try:
        real_parent = real_path(root, parent or '/')
    except ReadError:
        return False
    return os.path.lexists(os.path.join(real_parent, name))


def exists(root, path):
    try:
        return os.path.exists(real_path(root, path))
    except ReadError:
        return False


def isdir(root, path):
    try:
        return os.path.isdir(real_path(root, path))
    except ReadError:
        return False


def isfile(root, path):
    try:
        return os.path.isfile(real_path(root, path))
    except ReadError:
        return False


def listdir(root, path):
    """Sorted names in logical directory ``path``; ``[]`` when it is missing or unreadable."""
    try:
        return sorted(os.listdir(real_path(root, path)))
    except (OSError, ReadError, ValueError):
        return []


def glob_paths(root, pattern):
    """Sorted logical paths matching the logical glob ``pattern`` (links inside the pattern's
    directory part are resolved in the tree first)."""
    directory, base = os.path.split(pattern)
    try:
        real_dir = real_path(root, directory or '/')
    except ReadError:
        return []
    logical_dir = directory or '/'
    if glob.has_magic(directory):
        # magic in the directory part: expand it level by level
        out = []
        for sub in glob_paths(root, directory):
            out.extend(glob_paths(root, os.path.join(sub, base)))
        return sorted(set(out))
    try:
        if glob.has_magic(base):
            names = [n for n in fnmatch.filter(os.listdir(real_dir), base) if base.startswith('.') or not n.startswith('.')]
        else:
            names = [base] if os.path.lexists(os.path.join(real_dir, base)) else []
    except (OSError, ValueError):
        return []
    return sorted(os.path.join(logical_dir, name) for name in names)


def read_bytes(root, path, max_size=DEFAULT_MAX_FILE_SIZE):
    """Bytes of the logical file ``path``; :class:`ReadError` with the reason otherwise.
    Never more than ``max_size`` bytes (``None``: the default limit): nothing is read unbounded."""
    if max_size is None:
        max_size = DEFAULT_MAX_FILE_SIZE
    try:
        resolved = resolve(root, path)
    except ReadError:
        raise
    real = host_path(root, resolved)
    try:
        st = os.stat(real)
    except OSError as exc:
        if exc.errno == errno.ENOENT:
            if os.path.lexists(host_path(root, path)) and os.path.islink(host_path(root, path)):
                try:
                    target = os.readlink(host_path(root, path))
                except OSError:
                    target = '?'
                raise ReadError(path, 'dangling symbolic link (points to %s, which does not exist)' % target)
            raise ReadError(path, 'no such file')
        if exc.errno == errno.EACCES:
            raise ReadError(path, 'permission denied')
        raise ReadError(path, 'cannot stat: %s' % (exc.strerror or exc))
    except ValueError as exc:
        raise ReadError(path, 'invalid path: %s' % exc)
    if stat.S_ISDIR(st.st_mode):
        raise ReadError(path, 'is a directory, not a file')
    if not stat.S_ISREG(st.st_mode):
        raise ReadError(path, 'not a regular file (FIFO, socket or device); not read')
    if max_size is not None and st.st_size > max_size:
        raise ReadError(path, 'file is %d bytes, larger than the limit of %d bytes (max_file_size); not parsed' % (st.st_size, max_size))
    try:
        data = _read_regular(real, path, max_size)
    except OSError as exc:
        if exc.errno == errno.EACCES:
            raise ReadError(path, 'permission denied')
        if exc.errno == errno.EISDIR:
            raise ReadError(path, 'is a directory, not a file')
        if exc.errno == errno.ELOOP:
            raise ReadError(path, 'became a symbolic link while being read; not read')
        raise ReadError(path, 'cannot read: %s' % (exc.strerror or exc))
    if max_size is not None and len(data) > max_size:
        raise ReadError(path, 'file is larger than the limit of %d bytes (max_file_size); not parsed' % max_size)
    return data


def _read_regular(real, path, max_size):
    """Bytes of the host file ``real``, opened without following a link (``resolve`` already
    did, inside the tree) and without blocking (a FIFO swapped in after the ``stat`` above must
    not hang the audit); ``fstat`` of the open file decides, and reading stops at ``max_size``.
    ``/proc`` files say size 0 and are read up to the limit like any other."""
    flags = os.O_RDONLY | getattr(os, 'O_NONBLOCK', 0) | getattr(os, 'O_NOFOLLOW', 0) | getattr(os, 'O_NOCTTY', 0)
    fd = os.open(real, flags)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise ReadError(path, 'not a regular file (FIFO, socket or device); not read')
        limit = max_size + 1
        chunks = []
        total = 0
        while total < limit:
            chunk = os.read(fd, min(65536, limit - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        return b''.join(chunks)
    finally:
        os.close(fd)


def readlink(root, path):
    """The target of the symbolic link at logical ``path`` (the link itself is not followed; its
    directory is resolved inside the tree): ``/proc/<pid>/fd/3`` -> ``socket:[1234]``.
    :class:`ReadError` when it is not a link or cannot be read."""
    parent, name = posixpath.split(path)
    try:
        real = os.path.join(real_path(root, parent or '/'), name)
        return os.readlink(real)
    except (OSError, ValueError) as exc:
        raise ReadError(path, 'cannot read symbolic link: %s' % (getattr(exc, 'strerror', None) or exc))


def decode(data, path=None):
    """``(text, warning)``: UTF-8 text of ``data``; undecodable bytes become U+FFFD and
    ``warning`` says where the first one was (``None`` for clean UTF-8)."""
    warning = None
    try:
        text = data.decode('utf-8')
    except UnicodeDecodeError as exc:
        text = data.decode('utf-8', 'replace')
        warning = 'not valid UTF-8 (first bad byte 0x%02x at offset %d); undecodable bytes replaced' % (data[exc.start], exc.start)
    if text.startswith(u'\ufeff'):
        text = text[1:]
    if '\x00' in text:
        text = text.replace('\x00', '')
        warning = (warning + '; ' if warning else '') + 'contains NUL bytes (binary or corrupt file); NUL bytes removed'
    return text, warning


def read_text(root, path, max_size=DEFAULT_MAX_FILE_SIZE):
    """``(text, warning)`` of the logical file ``path`` (see :func:`decode`); raises :class:`ReadError`."""
    return decode(read_bytes(root, path, max_size=max_size), path)
