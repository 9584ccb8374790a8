# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Reports for the remediation tests, made by the collection's own discovery, evaluator and report code.

The evidence is gathered offline from the fixture trees: tests/fixtures/trees/kolla (a kolla
deploy host + all-in-one node) and the kolla-sasl compute node of tests/fixtures/hv. No finding is
typed by hand.
"""

from __future__ import absolute_import, division, print_function

import os
import shutil

from lab.hv_trees import discover_tree, gather_tree, host_evidence, prepare
from lab.paths import REPO

from ansible_collections.scs.secure_connections.plugins.module_utils._core.evaluator import evaluate
from ansible_collections.scs.secure_connections.plugins.module_utils._core.report import build_report, validate_report
from ansible_collections.scs.secure_connections.plugins.module_utils._gather.discovery import discover

KOLLA_TREE = os.path.join(REPO, 'tests', 'fixtures', 'trees', 'kolla')
KOLLA_DIR = os.path.join(KOLLA_TREE, 'etc', 'kolla')
RUN = {'collection': 'scs.secure_connections', 'collection_version': '0.1.0', 'standard': 'scs-0125-v1',
       'mozilla': {'guidelines_version': 5.7, 'level': 'intermediate'}, 'started': '2026-12-04T22:00:00Z',
       'finished': '2026-12-04T22:00:05Z'}


def evidence_for(kolla_root=KOLLA_TREE, compute_root=None, channels=('api', 'db', 'mq')):
    """Evidence by host: the kolla node's discovery (api, db, mq) and optionally a compute node's hv evidence."""
    evidence = {'kolla1': {'channels': list(channels), 'discovery': discover(kolla_root, proc_path=os.path.join(kolla_root, 'no-proc'))}}
    if compute_root:
        evidence['compute3'] = host_evidence(gather_tree(compute_root), discover_tree(compute_root))
    return evidence


def report_for(evidence):
    channels = sorted(set(c for e in evidence.values() for c in e.get('channels', [])))
    run = dict(RUN, hosts=sorted(evidence), channels=channels)
    report = build_report(evaluate(evidence), run, evidence_by_host=evidence)
    problems = validate_report(report)
    assert not problems, problems
    return report


def sasl_compute(dest):
    """The kolla-sasl compute node (libvirt on TCP with SASL, no native TLS) prepared under ``dest``."""
    return prepare('kolla-sasl', os.path.join(str(dest), 'kolla-sasl'))


def kolla_dir_copy(dest):
    """A writable copy of the fixture's /etc/kolla (globals.yml, passwords.yml, config/, rendered dirs)."""
    target = os.path.join(str(dest), 'kolla')
    shutil.copytree(KOLLA_DIR, target, symlinks=True)
    return target


DISTRO_TREE = os.path.join(REPO, 'tests', 'fixtures', 'trees', 'distro')


def distro_report(root=DISTRO_TREE, host='ctl1'):
    """Report of one distro node (db and mq channels), gathered offline from ``root``."""
    evidence = {host: {'channels': ['db', 'mq'], 'discovery': discover(root, proc_path=os.path.join(root, 'no-proc'))}}
    return report_for(evidence)


def distro_copy(dest):
    target = os.path.join(str(dest), 'distro')
    shutil.copytree(DISTRO_TREE, target, symlinks=True)
    return target


def hv_report(dest, trees=('debian-ssh-open', 'osa-compute', 'virtproxyd-tcp', 'kolla-sasl', 'rhel-defaults')):
    """Report of the hv fixture compute nodes (tests/fixtures/hv), each host named after its tree; TLS material from a
    throwaway lab CA. Returns ``(report, {tree: root})``."""
    from lab.pki import CA  # pylint: disable=import-outside-toplevel
    ca = CA(os.path.join(str(dest), 'pki'))
    roots = dict((name, prepare(name, os.path.join(str(dest), name), ca)) for name in trees)
    evidence = dict((name, host_evidence(gather_tree(root), discover_tree(root))) for name, root in roots.items())
    return report_for(evidence), roots
