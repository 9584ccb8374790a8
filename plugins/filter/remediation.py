# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filters of the remediation roles: findings -> the changes kolla-ansible needs (see docs/remediation.md)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import os

from ansible.errors import AnsibleFilterError

from ansible_collections.scs.secure_connections.plugins.module_utils._core.secrets import mask_secrets
from ansible_collections.scs.secure_connections.plugins.module_utils._remediate import host as host_plan
from ansible_collections.scs.secure_connections.plugins.module_utils._remediate import host_osa
from ansible_collections.scs.secure_connections.plugins.module_utils._remediate import kolla

try:
    import yaml
except ImportError:  # pragma: no cover - PyYAML comes with ansible-core
    yaml = None


def _text(item):
    if isinstance(item, dict) and 'content' in item:
        raw = item['content']
        if item.get('encoding', 'base64') == 'base64':
            return base64.b64decode(raw).decode('utf-8', 'replace')
        return raw
    return item


def _relative(files, kolla_dir):
    """``{relpath: text}`` from a mapping or a list of slurp results (``source`` + base64 ``content``)."""
    if isinstance(files, dict):
        return dict((str(k), _text(v)) for k, v in files.items())
    out = {}
    for item in files or []:
        if not isinstance(item, dict) or 'source' not in item:
            raise AnsibleFilterError('config files must be slurp results with "source" and "content", got %r' % (item,))
        out[os.path.relpath(item['source'], kolla_dir)] = _text(item)
    return out


def _present(paths, kolla_dir):
    out = []
    for path in paths or []:
        path = path.get('path') if isinstance(path, dict) else path
        out.append(os.path.relpath(path, kolla_dir) if os.path.isabs(path) else path)
    return out


def _split_yaml(text, splitter, name):
    """``(settings outside the managed block, the block)`` of a YAML variables file; fails clearly if it is not a YAML mapping."""
    try:
        outside, block = splitter(text)
    except kolla.RemediationError as exc:
        raise AnsibleFilterError(str(exc))
    try:
        parsed = yaml.safe_load(outside) if outside.strip() else {}
    except yaml.YAMLError as exc:
        raise AnsibleFilterError('%s is not valid YAML: %s' % (name, str(exc).replace('\n', ' ')))
    if parsed is None:
        parsed = {}
    if not isinstance(parsed, dict):
        raise AnsibleFilterError('%s is not a YAML mapping (got %s)' % (name, type(parsed).__name__))
    return parsed, block


def kolla_globals_split(globals_text):
    """``{'outside': mapping, 'block': text}`` of globals.yml; fails clearly if it is not YAML."""
    parsed, block = _split_yaml(globals_text, kolla.split_managed_block, 'globals.yml')
    return {'outside': parsed, 'block': block}


def kolla_remediation_plan(source, globals_text, kolla_dir='/etc/kolla', release=None, controls=None, levels=None,
                           config_files=None, present_files=None, qemu_tls_ready=False):
    """The plan of ``remediate_kolla``: globals block, config/ overrides, refusals, manual steps, intent vs reality, commands."""
    split = kolla_globals_split(globals_text)
    release = release or split['outside'].get('openstack_release')
    if not release:
        raise AnsibleFilterError('the kolla-ansible release is unknown: globals.yml has no openstack_release; set remediate_kolla_release')
    try:
        plan = kolla.plan_remediation(
            source, split['outside'], split['block'], str(release), controls=controls or None, levels=levels,
            config_files=_relative(config_files, kolla_dir), present_files=_present(present_files, kolla_dir),
            options={'qemu_tls_ready': bool(qemu_tls_ready)})
    except kolla.RemediationError as exc:
        raise AnsibleFilterError(str(exc))
    for key in ('conflicts', 'already_set', 'intent', 'manual', 'refused'):
        plan[key] = mask_secrets(plan[key])
    return plan


def _user_variables(text):
    """``{'outside': mapping, 'entries': managed block}`` of OpenStack-Ansible's user_variables.yml."""
    parsed, entries = _split_yaml(text, host_osa.split_block, 'user_variables.yml')
    return {'outside': parsed, 'entries': entries}


def host_remediation_plan(source, host, controls=None, levels=None, options=None, user_variables=None):
    """The plan of ``remediate_host`` for one node: INI options, URL edits, refusals, manual steps, services to restart;
    for an OpenStack-Ansible node the user_variables.yml block (``user_variables`` is that file's text)."""
    options = dict(options or {})
    if user_variables is not None:
        options['user_variables'] = _user_variables(user_variables)
    try:
        plan = host_plan.plan_host(source, host, controls=controls or None, levels=levels, options=options)
    except kolla.RemediationError as exc:
        raise AnsibleFilterError(str(exc))
    for key in ('refused', 'manual'):
        plan[key] = mask_secrets(plan[key])
    if plan.get('osa'):
        for key in ('conflicts', 'already_set'):
            plan['osa'][key] = mask_secrets(plan['osa'][key])
    return plan


class FilterModule(object):
    def filters(self):
        return {'kolla_remediation_plan': kolla_remediation_plan, 'kolla_globals_split': kolla_globals_split,
                'host_remediation_plan': host_remediation_plan}
