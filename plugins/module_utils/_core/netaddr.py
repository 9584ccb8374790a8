# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Address classification shared by gatherers and rules: loopback or wildcard bind."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress

_LOCAL_NAMES = ('localhost', 'localhost.localdomain', 'ip6-localhost')


def is_loopback(address):
    """True for 127.0.0.0/8, ::1, ::ffff:127.x and ``localhost``; False for wildcards and everything else."""
    if address in (None, ''):
        return False
    text = str(address).strip().strip('[]')
    if text.lower() in _LOCAL_NAMES:
        return True
    try:
        ip = ipaddress.ip_address(text.split('%', 1)[0])
    except ValueError:
        return False
    if ip.version == 6 and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_loopback


def hostport(address, port):
    """``127.0.0.1:16514`` / ``[::]:16514``: IPv6 addresses in brackets, as in URLs."""
    text = str(address)
    if ':' in text and not text.startswith('['):
        text = '[%s]' % text
    return '%s:%s' % (text, port)


def is_wildcard(address):
    """True for an all-interfaces bind: empty, ``*``, ``0.0.0.0``, ``::`` (with or without brackets)."""
    if address in (None, '', '*'):
        return True
    text = str(address).strip().strip('[]')
    if text in ('', '*'):
        return True
    try:
        return ipaddress.ip_address(text.split('%', 1)[0]).is_unspecified
    except ValueError:
        return False


def probe_host(address, wildcard_host=None):
    """The host to probe a listener bound to ``address`` on, from the listener's own node.

    A wildcard bind (empty, ``*``, ``0.0.0.0``, ``::``) is probed on ``wildcard_host`` when one is
    given, else on loopback of the same family (``::`` -> ``::1``, everything else ->
    ``127.0.0.1``); an IPv4-mapped address (``::ffff:10.0.0.5``) on its IPv4 form; any other
    address as it is, without brackets.
    """
    text = '' if address is None else str(address).strip()
    if text.startswith('[') and text.endswith(']'):
        text = text[1:-1]
    if text.lower().startswith('::ffff:') and '.' in text:
        text = text[len('::ffff:'):]
    if is_wildcard(text):
        if wildcard_host:
            return str(wildcard_host)
        return '::1' if ':' in text else '127.0.0.1'
    return text
