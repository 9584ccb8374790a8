# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The control catalog (``data/controls.yml``): loaded once, read-only, controller side."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import json
import os

DATA_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), 'data')
CATALOG_FILE = os.path.join(DATA_DIR, 'controls.yml')
MOZILLA_FILE = os.path.join(DATA_DIR, 'mozilla-server-side-tls-5.7.json')
SCHEMA_FILE = os.path.join(DATA_DIR, 'report.schema.json')

LEVELS = ('MUST', 'SHOULD', 'SHOULD NOT', 'RECOMMENDED', 'MAY', 'ADVISORY')
# Levels whose failure is a warning; MUST failures break conformance; MAY/ADVISORY inform.
WARNING_LEVELS = ('SHOULD', 'SHOULD NOT', 'RECOMMENDED')
INFO_LEVELS = ('MAY', 'ADVISORY')

_CACHE = {}


class CatalogError(Exception):
    """The catalog file is missing or malformed."""


def _load_yaml(path):
    try:
        # Controller only; ansible-core depends on PyYAML.
        import yaml  # pylint: disable=import-outside-toplevel
    except ImportError as exc:  # pragma: no cover
        raise CatalogError('PyYAML is needed to read the control catalog: %s' % exc)
    try:
        with open(path, 'r') as handle:
            # libyaml's parser when PyYAML has it (10x faster; the audit role's plan reads the catalog on every host)
            return yaml.load(handle, Loader=getattr(yaml, 'CSafeLoader', yaml.SafeLoader))  # nosec B506 - a safe loader
    except (IOError, OSError, yaml.YAMLError) as exc:
        raise CatalogError('cannot read control catalog %s: %s' % (path, exc))


def load_catalog(path=None):
    """Return the catalog dict (a deep copy, so callers cannot change the cached one)."""
    path = path or CATALOG_FILE
    if path not in _CACHE:
        data = _load_yaml(path)
        if not isinstance(data, dict) or not isinstance(data.get('controls'), list):
            raise CatalogError('control catalog %s has no list "controls"' % path)
        seen = set()
        for control in data['controls']:
            for key in ('id', 'level', 'channel', 'title', 'requirement', 'section'):
                if not control.get(key):
                    raise CatalogError('control %r in %s lacks %r' % (control.get('id'), path, key))
            if control['level'] not in LEVELS:
                raise CatalogError('control %s has unknown level %r' % (control['id'], control['level']))
            if control['channel'] not in data.get('channels', {}):
                raise CatalogError('control %s has unknown channel %r' % (control['id'], control['channel']))
            if control['id'] in seen:
                raise CatalogError('control id %s appears twice' % control['id'])
            seen.add(control['id'])
        _CACHE[path] = data
    return copy.deepcopy(_CACHE[path])


def controls_by_id(catalog=None):
    """``{control id: control}`` of the catalog (the remediation planners look controls up by id)."""
    catalog = catalog or load_catalog()
    return dict((c['id'], c) for c in catalog['controls'])


def remediation_text(control):
    """All remediation hints of a control as one list of 'layout: hint' strings."""
    labels = (('kolla_ansible', 'kolla-ansible'), ('openstack_ansible', 'OpenStack-Ansible'), ('distro', 'distribution packages'))
    out = []
    for key, label in labels:
        for hint in (control.get('remediation') or {}).get(key, []):
            out.append('%s: %s' % (label, hint))
    return out


def load_mozilla_guidelines(path=None):
    """The Mozilla server side TLS guidelines (the shipped 5.7 copy unless ``path`` is given)."""
    path = path or MOZILLA_FILE
    try:
        with open(path, 'r') as handle:
            data = json.load(handle)
    except (IOError, OSError, ValueError) as exc:
        raise CatalogError('cannot read Mozilla guidelines %s: %s' % (path, exc))
    if not isinstance(data, dict) or not isinstance(data.get('configurations'), dict):
        raise CatalogError('%s is not a Mozilla server side TLS guidelines file (no "configurations")' % path)
    return data


def load_schema(path=None):
    path = path or SCHEMA_FILE
    try:
        with open(path, 'r') as handle:
            return json.load(handle)
    except (IOError, OSError, ValueError) as exc:
        raise CatalogError('cannot read report schema %s: %s' % (path, exc))


def collection_version():
    """Version of this collection: MANIFEST.json when installed, galaxy.yml in a source checkout."""
    top = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
    try:
        with open(os.path.join(top, 'MANIFEST.json'), 'r') as handle:
            return json.load(handle)['collection_info']['version']
    except (IOError, OSError, ValueError, KeyError):
        pass
    try:
        data = _load_yaml(os.path.join(top, 'galaxy.yml'))
        return str(data.get('version', 'unknown'))
    except CatalogError:
        return 'unknown'


def _names(value, what):
    if value is None:
        return []
    if isinstance(value, str):
        value = [v.strip() for v in value.split(',') if v.strip()]
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
        raise CatalogError('%s must be a list of names, got %r' % (what, value))
    return list(value)


def select_channels(requested, catalog=None, what='audit_channels'):
    """``requested`` channel names (``all`` = every channel) as the catalog's channels, in catalog order.

    The channel list lives in the catalog alone; an unknown name raises CatalogError naming the valid ones.
    """
    channels = list((catalog or load_catalog()).get('channels') or {})
    names = _names(requested, what)
    unknown = [n for n in names if n != 'all' and n not in channels]
    if unknown:
        raise CatalogError('%s: unknown channel(s) %s; the catalog has %s (or "all")' % (what, ', '.join(unknown), ', '.join(channels)))
    return list(channels) if 'all' in names else [c for c in channels if c in names]


def select_controls(requested, catalog=None, what='audit_skip_controls'):
    """``requested`` control ids in catalog order; an unknown id raises CatalogError naming the valid ones."""
    known = [c['id'] for c in (catalog or load_catalog())['controls']]
    names = _names(requested, what)
    unknown = [n for n in names if n not in known]
    if unknown:
        raise CatalogError('%s: unknown control id(s) %s; the catalog has %s' % (what, ', '.join(unknown), ', '.join(known)))
    return [c for c in known if c in names]
