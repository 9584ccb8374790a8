# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Certificates the distro-node planner (remediate_host) issues from the operator's CA.

Only with a CA given (``ca_cert`` and ``ca_key``, paths on the controller): the role never invents a
CA. Each certificate is one identity of this node (CN = the node's name), for the place the service
reads it from; an existing certificate file is never replaced (the role issues only missing ones).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

LIBVIRT_CA = '/etc/pki/CA/cacert.pem'
LIBVIRT_SERVER = {'cert': '/etc/pki/libvirt/servercert.pem', 'key': '/etc/pki/libvirt/private/serverkey.pem', 'ca': LIBVIRT_CA}
LIBVIRT_CLIENT = {'cert': '/etc/pki/libvirt/clientcert.pem', 'key': '/etc/pki/libvirt/private/clientkey.pem', 'ca': LIBVIRT_CA}
WILDCARD = ('0.0.0.0', '::', '[::]', '*', '')


def has_ca(plan):
    return bool(plan.options.get('ca_cert') and plan.options.get('ca_key'))


def _is_ip(name):
    parts = name.split('.')
    return (len(parts) == 4 and all(p.isdigit() for p in parts)) or ':' in name


def _sans(plan, extra=()):
    names = []
    for name in [plan.options.get('cert_name') or plan.host] + list(plan.options.get('cert_sans') or []) + list(extra):
        name = str(name or '').strip('[]')
        if name and name not in WILDCARD and name not in names:
            names.append(name)
    return ['%s:%s' % ('IP' if _is_ip(n) else 'DNS', n) for n in names]


def endpoint_host(endpoint):
    """``10.0.0.5`` of ``10.0.0.5:3306`` / ``[fd00::5]:5671``; None for what is not an address (``db1/mariadb``)."""
    text = str(endpoint or '')
    if text.startswith('['):
        text = text[1:].split(']', 1)[0]
    elif text.count(':') == 1:
        text = text.rsplit(':', 1)[0]
    return text if re.match(r'^[A-Za-z0-9.:-]+$', text) else None


def files_for(plan, name, default):
    """Where the certificate ``name`` (mariadb, rabbitmq, libvirt_server, libvirt_client) goes: ``cert_files[name]`` over the default."""
    given = (plan.options.get('cert_files') or {}).get(name) or {}
    return dict(default, **dict((k, v) for k, v in given.items() if k in ('cert', 'key', 'ca') and v))


def issue(plan, cid, service, purpose, files, extra_sans=()):
    """Plan one certificate of this node (``purpose`` server or client) at ``files`` (cert, key, ca); its entry."""
    key = (service, purpose, files['cert'])
    entry = plan.certs.setdefault(key, {
        'service': service, 'purpose': purpose, 'common_name': plan.options.get('cert_name') or plan.host,
        'organization': plan.options.get('cert_organization') or None,
        'subject_alt_name': _sans(plan, extra_sans) if purpose == 'server' else [],
        'extended_key_usage': ['serverAuth'] if purpose == 'server' else ['clientAuth'],
        'cert': files['cert'], 'key': files['key'], 'ca': files['ca'],
        'key_group': (plan.options.get('key_groups') or {}).get(service), 'controls': set()})
    entry['controls'].add(cid)
    return entry


def server_material(plan, cid, service, files, keys, extra_sans=()):
    """``{cert, key, ca}`` for ``service``'s server TLS: the operator's paths, else issued from the CA, else None."""
    given = [plan.options.get(k) for k in keys]
    if all(given):
        return dict(zip(('cert', 'key', 'ca'), given))
    if any(given) or not has_ca(plan):
        return None
    files = files_for(plan, service, files)
    issue(plan, cid, service, 'server', files, extra_sans)
    return dict(files)


def qemu_material(plan, cid, cert_dir):
    """QEMU's migration TLS material in ``cert_dir`` (server and client certificate of this node), when a CA is given."""
    if not has_ca(plan):
        return False
    cert_dir = (cert_dir or '/etc/pki/qemu').rstrip('/')
    ca = cert_dir + '/ca-cert.pem'
    issue(plan, cid, 'qemu', 'server', {'cert': cert_dir + '/server-cert.pem', 'key': cert_dir + '/server-key.pem', 'ca': ca},
          plan.options.get('live_migration_inbound_addr') and [plan.options['live_migration_inbound_addr']] or ())
    issue(plan, cid, 'qemu', 'client', {'cert': cert_dir + '/client-cert.pem', 'key': cert_dir + '/client-key.pem', 'ca': ca})
    return True


def as_list(plan):
    return [dict(c, controls=sorted(c['controls'])) for c in (plan.certs[k] for k in sorted(plan.certs))]
