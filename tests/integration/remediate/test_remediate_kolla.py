# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""remediate_kolla through real ansible-playbook: check/diff truth, apply, idempotence, backups, bad input.

The report is made by the collection's own discovery + evaluator + report code from the fixture
kolla tree (tests/unit/remediate/kolla_reports.py); the role works on a temp copy of its /etc/kolla.
"""

from __future__ import absolute_import, division, print_function

import configparser
import hashlib
import json
import os
import re
import shutil
import sys

import pytest
import yaml

from kolla_reports import evidence_for, kolla_dir_copy, report_for

PLAY = """
- hosts: localhost
  gather_facts: false
  roles:
    - role: scs.secure_connections.remediate_kolla
"""

BEGIN = '# BEGIN scs.secure_connections remediate_kolla'


def tree_digest(root):
    """Path -> sha256 of every file under ``root`` (what "nothing written" is checked against)."""
    out = {}
    for base, dummy, files in os.walk(root):
        for name in files:
            path = os.path.join(base, name)
            with open(path, 'rb') as handle:
                out[os.path.relpath(path, root)] = hashlib.sha256(handle.read()).hexdigest()
    return out


def recap_changed(log):
    match = re.search(r'localhost\s*:\s*ok=\d+\s+changed=(\d+)', log)
    assert match, log
    return int(match.group(1))


@pytest.fixture(scope='module')
def report_file(tmp_path_factory):
    path = tmp_path_factory.mktemp('report') / 'scs-0125-report.json'
    path.write_text(json.dumps(report_for(evidence_for())))
    return str(path)


@pytest.fixture
def kolla(tmp_path):
    return kolla_dir_copy(tmp_path)


def test_check_diff_shows_every_change_and_writes_nothing(runner, kolla, report_file):
    before = tree_digest(kolla)
    rc, log = runner.playbook(PLAY, {'remediate_kolla_dir': kolla, 'remediate_kolla_report_file': report_file}, args=['--check', '--diff'])
    assert rc == 0, log
    assert tree_digest(kolla) == before, 'check mode wrote something'
    # the globals block and each of the three URL overrides appear in the diff
    assert '+openstack_cacert: "/etc/ssl/certs/ca-certificates.crt"  # scs-0125-db-client-tls' in log
    for path in ('config/neutron.conf', 'config/nova/nova-api.conf', 'config/octavia.conf'):
        assert path in log, path
    assert '+connection = mysql+pymysql://{{ neutron_database_user }}' in log
    assert '?ssl_ca={{ openstack_cacert }}' in log
    assert 'globals ask for RabbitMQ TLS (rabbitmq_enable_tls) but services use plain AMQP' in log
    assert 'kolla-ansible reconfigure -i <inventory> -t loadbalancer,neutron,nova,octavia' in log
    assert recap_changed(log) == 2, 'the globals block and the override loop'
    assert log.count('changed: [localhost] => (item=config/') == 3


def test_apply_is_idempotent_keeps_other_keys_and_backs_up(runner, kolla, report_file):
    globals_path = os.path.join(kolla, 'globals.yml')
    with open(globals_path) as handle:
        original = handle.read()
    rendered_before = dict((p, d) for p, d in tree_digest(kolla).items() if not p.startswith(('config/', 'globals.yml')))
    extra = {'remediate_kolla_dir': kolla, 'remediate_kolla_report_file': report_file, 'remediate_kolla_inventory': '/etc/kolla/multinode'}
    rc, log = runner.playbook(PLAY, extra, args=['--diff'])
    assert rc == 0, log
    assert recap_changed(log) == 2
    assert 'kolla-ansible reconfigure -i /etc/kolla/multinode -t loadbalancer,neutron,nova,octavia' in log

    with open(globals_path) as handle:
        text = handle.read()
    assert text.startswith(original), 'the lines before the managed block are untouched'
    assert BEGIN in text
    parsed = yaml.safe_load(text)
    assert parsed['openstack_cacert'] == '/etc/ssl/certs/ca-certificates.crt'
    assert dict((k, v) for k, v in parsed.items() if k != 'openstack_cacert') == yaml.safe_load(original)

    ini = configparser.RawConfigParser(interpolation=None)
    ini.read(os.path.join(kolla, 'config', 'nova', 'nova-api.conf'))
    assert ini.get('database', 'connection').endswith('/{{ nova_cell0_database_name }}?ssl_ca={{ openstack_cacert }}')
    # the rendered /etc/kolla/<service>/ files are never touched
    assert dict((p, d) for p, d in tree_digest(kolla).items()
                if not p.startswith(('config/', 'globals.yml')) and '.20' not in p) == rendered_before
    backups = [n for n in os.listdir(kolla) if n.startswith('globals.yml.') and n != 'globals.yml']
    assert len(backups) == 1, os.listdir(kolla)

    rc, log = runner.playbook(PLAY, extra, args=['--diff'])
    assert rc == 0, log
    assert recap_changed(log) == 0, log
    assert 'kolla-ansible reconfigure -i' not in log, 'nothing new written, nothing to reconfigure'


def test_a_conflicting_key_is_reported_and_left_alone(runner, kolla, report_file):
    globals_path = os.path.join(kolla, 'globals.yml')
    with open(globals_path) as handle:
        text = handle.read().replace('kolla_copy_ca_into_containers: "yes"', 'kolla_copy_ca_into_containers: "no"')
    with open(globals_path, 'w') as handle:
        handle.write(text)
    rc, log = runner.playbook(PLAY, {'remediate_kolla_dir': kolla, 'remediate_kolla_report_file': report_file})
    assert rc == 0, log
    assert "globals.yml sets kolla_copy_ca_into_containers: 'no' outside the managed block" in log
    with open(globals_path) as handle:
        assert handle.read().count('kolla_copy_ca_into_containers') == 1
    before = tree_digest(kolla)
    rc, log = runner.playbook(PLAY, {'remediate_kolla_dir': kolla, 'remediate_kolla_report_file': report_file,
                                     'remediate_kolla_fail_on_conflict': True})
    assert rc != 0 and 'Conflicting settings, nothing was changed' in log
    assert tree_digest(kolla) == before


def test_controls_by_tag_and_levels(runner, kolla, report_file):
    rc, log = runner.playbook(PLAY, {'remediate_kolla_dir': kolla, 'remediate_kolla_report_file': report_file},
                              args=['--check', '--tags', 'scs-0125-mq-client-tls'])
    assert rc == 0, log
    assert recap_changed(log) == 0, 'mq-client-tls needs no file change here (globals already ask for TLS): only the intent message'
    assert 'services use plain AMQP' in log


@pytest.mark.parametrize('case,message', [
    ('schema', "report schema_version '2.0' is not supported"),
    ('nodir', 'globals.yml does not exist: remediate_kolla_dir must be the kolla-ansible config dir'),
    ('yaml', 'globals.yml is not valid YAML'),
    ('noreport', 'Give the audit result'),
])
def test_bad_input_fails_before_any_change(runner, kolla, report_file, tmp_path, case, message):
    extra = {'remediate_kolla_dir': kolla, 'remediate_kolla_report_file': report_file}
    if case == 'schema':
        with open(report_file) as handle:
            report = json.load(handle)
        report['schema_version'] = '2.0'
        bad = tmp_path / 'v2.json'
        bad.write_text(json.dumps(report))
        extra['remediate_kolla_report_file'] = str(bad)
    elif case == 'nodir':
        extra['remediate_kolla_dir'] = str(tmp_path / 'no-such-kolla')
    elif case == 'yaml':
        with open(os.path.join(kolla, 'globals.yml'), 'a') as handle:
            handle.write('kolla_enable_tls_internal: "yes\n  broken: [\n')
    else:
        extra['remediate_kolla_report_file'] = ''
    before = tree_digest(kolla)
    rc, log = runner.playbook(PLAY, extra)
    assert rc != 0, log
    assert message in log, log
    assert tree_digest(kolla) == before


def test_reconfigure_runs_only_when_asked_and_never_in_check_mode(runner, kolla, report_file, tmp_path):
    # a stand-in for the kolla-ansible executable (no deployment here): it records its arguments
    record = tmp_path / 'argv.json'
    fake = tmp_path / 'kolla-ansible'
    fake.write_text('#!%s\nimport json, sys\nopen(%r, "a").write(json.dumps(sys.argv[1:]) + "\\n")\n' % (sys.executable, str(record)))
    fake.chmod(0o755)
    extra = {'remediate_kolla_dir': kolla, 'remediate_kolla_report_file': report_file, 'remediate_kolla_run_reconfigure': True,
             'remediate_kolla_inventory': '/etc/kolla/multinode', 'remediate_kolla_command': str(fake)}
    rc, log = runner.playbook(PLAY, extra, args=['--check'])
    assert rc == 0, log
    assert not record.exists(), 'check mode ran kolla-ansible'
    rc, log = runner.playbook(PLAY, extra)
    assert rc == 0, log
    assert [json.loads(line) for line in record.read_text().splitlines()] == \
        [['reconfigure', '-i', '/etc/kolla/multinode', '-t', 'loadbalancer,neutron,nova,octavia']]
    rc, log = runner.playbook(PLAY, extra)
    assert rc == 0, log
    assert len(record.read_text().splitlines()) == 1, 'nothing new written, nothing reconfigured'


def test_a_deployment_without_config_dir_gets_one(runner, kolla, report_file):
    shutil.rmtree(os.path.join(kolla, 'config'))
    rc, log = runner.playbook(PLAY, {'remediate_kolla_dir': kolla, 'remediate_kolla_report_file': report_file})
    assert rc == 0, log
    assert os.path.isfile(os.path.join(kolla, 'config', 'nova', 'nova-api.conf'))
    assert oct(os.stat(os.path.join(kolla, 'config', 'neutron.conf')).st_mode & 0o777) == '0o640'
