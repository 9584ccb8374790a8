# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Round trip through kolla-ansible's own templates (19.4.0 = 2024.2 and 20.6.0 = 2025.1, from PyPI).

failing globals.yml -> render the release's real service templates (kolla_render: emulated
merge_configs) -> audit the rendered tree offline (discovery + evaluator + report) -> remediate_kolla
through ansible-playbook -> render again -> audit again: every file-decidable finding the plan
targeted no longer fails. The database CA file itself lives inside the containers: offline it is
``not_assessed`` (the rule says so), which is the most a file audit can give; RabbitMQ client TLS is
decided by the files and must pass.

The wheels are taken from KOLLA_ANSIBLE_WHEEL_<version with _>, the corpus cache .cache/corpus/wheels/ (lab/corpus.py kolla_wheel)
(git-ignored), or downloaded there with ``pip download --no-deps kolla-ansible==<version>``; without
one the test of that release is skipped.
"""

from __future__ import absolute_import, division, print_function

import json
import os
import shutil

import pytest

from lab.corpus import CorpusUnavailable, kolla_wheel
from lab.kolla_render import Release, render_service
from kolla_reports import KOLLA_DIR, evidence_for, kolla_dir_copy, report_for

HERE = os.path.dirname(os.path.abspath(__file__))
RELEASES = {'2024.2': '19.4.0', '2025.1': '20.6.0'}
# (role, template, service, component, rendered file)
SERVICES = [
    ('keystone', 'keystone.conf.j2', 'keystone', 'keystone', 'keystone.conf'),
    ('glance', 'glance-api.conf.j2', 'glance', 'glance-api', 'glance-api.conf'),
    ('neutron', 'neutron.conf.j2', 'neutron', 'neutron-server', 'neutron.conf'),
    ('nova', 'nova.conf.j2', 'nova', 'nova-api', 'nova.conf'),
    ('octavia', 'octavia.conf.j2', 'octavia', 'octavia-worker', 'octavia.conf'),
    ('placement', 'placement.conf.j2', 'placement', 'placement-api', 'placement.conf'),
]
FAILING_GLOBALS_DROP = ('rabbitmq_enable_tls', 'database_enable_tls_internal', 'database_enable_tls_backend',
                        'kolla_copy_ca_into_containers')

PLAY = """
- hosts: localhost
  gather_facts: false
  roles:
    - role: scs.secure_connections.remediate_kolla
"""


def _wheel(version):
    env = os.environ.get('KOLLA_ANSIBLE_WHEEL_%s' % version.replace('.', '_'))
    if env and os.path.isfile(env):
        return env
    try:
        return kolla_wheel(version)  # the corpus's cache (.cache/corpus/wheels), downloaded there with pip
    except CorpusUnavailable as exc:
        pytest.skip('kolla-ansible %s wheel not available (set KOLLA_ANSIBLE_WHEEL_<version> or allow pip download): %s' % (version, exc))


def render_tree(release, kolla, root, workdir):
    """What kolla-ansible reconfigure would write for SERVICES, as a node tree under ``root`` (with globals.yml and config/)."""
    if os.path.exists(root):
        shutil.rmtree(root)
    etc = os.path.join(root, 'etc', 'kolla')
    os.makedirs(etc)
    for name in ('globals.yml', 'passwords.yml'):
        shutil.copy(os.path.join(kolla, name), etc)
    shutil.copytree(os.path.join(kolla, 'config'), os.path.join(etc, 'config'))
    for role, template, service, component, dest in SERVICES:
        os.makedirs(os.path.join(etc, component))
        shutil.copy(os.path.join(KOLLA_DIR, component, 'config.json'), os.path.join(etc, component))
        text = render_service(release, kolla, role, template, service, component, workdir)
        with open(os.path.join(etc, component, dest), 'w') as handle:
            handle.write(text)
    return root


def statuses(report, control_id):
    return dict(((f['target'].get('service'), f['target'].get('file'), f['target'].get('setting')), f['status'])
                for f in report['findings'] if f['control_id'] == control_id and f['target'].get('setting'))


@pytest.mark.parametrize('series', sorted(RELEASES))
def test_round_trip_through_the_release_templates(runner, tmp_path, series):
    release = Release(_wheel(RELEASES[series]))
    kolla = kolla_dir_copy(tmp_path)
    with open(os.path.join(kolla, 'globals.yml')) as handle:
        lines = [l for l in handle.read().replace('openstack_release: "2024.2"', 'openstack_release: "%s"' % series).splitlines(True)
                 if l.split(':')[0] not in FAILING_GLOBALS_DROP]
    with open(os.path.join(kolla, 'globals.yml'), 'w') as handle:
        handle.writelines(lines)
    # the operator's certificates (the role never invents them): present as kolla expects them
    os.makedirs(os.path.join(kolla, 'certificates', 'ca'))
    for rel in ('certificates/rabbitmq-cert.pem', 'certificates/rabbitmq-key.pem', 'certificates/ca/root.crt'):
        with open(os.path.join(kolla, rel), 'w') as handle:
            handle.write('placeholder\n')

    before_root = render_tree(release, kolla, str(tmp_path / 'rendered-before'), str(tmp_path / 'templates'))
    before = report_for(evidence_for(kolla_root=before_root, channels=('db', 'mq')))
    db_before, mq_before = statuses(before, 'scs-0125-db-client-tls'), statuses(before, 'scs-0125-mq-client-tls')
    assert 'fail' in db_before.values() and 'fail' in mq_before.values(), (db_before, mq_before)
    report_file = tmp_path / 'before.json'
    report_file.write_text(json.dumps(before))

    rc, log = runner.playbook(PLAY, {'remediate_kolla_dir': kolla, 'remediate_kolla_report_file': str(report_file)})
    assert rc == 0, log
    assert 'kolla-ansible reconfigure -i <inventory> -t ' in log

    after_root = render_tree(release, kolla, str(tmp_path / 'rendered-after'), str(tmp_path / 'templates'))
    after = report_for(evidence_for(kolla_root=after_root, channels=('db', 'mq')))
    db_after, mq_after = statuses(after, 'scs-0125-db-client-tls'), statuses(after, 'scs-0125-mq-client-tls')

    # RabbitMQ client TLS is decided by the files: every transport now passes
    assert mq_after and set(mq_after.values()) == {'pass'}, mq_after
    # every database URL that failed now carries ssl_ca; the CA file inside the container is not visible offline
    failed = [key for key, status in db_before.items() if status == 'fail']
    assert failed
    for key in failed:
        assert db_after[key] == 'not_assessed', (key, db_after[key])
    messages = [f['message'] for f in after['findings'] if f['control_id'] == 'scs-0125-db-client-tls' and f['status'] == 'not_assessed']
    assert messages and all('names CA file /etc/ssl/certs/ca-certificates.crt' in m for m in messages), messages
    # keystone's URL follows database_enable_tls_internal in 2024.2: fixed by the global, no override written
    assert not os.path.exists(os.path.join(kolla, 'config', 'keystone.conf'))
    assert "fail" not in db_after.values(), db_after
