# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""remediate_host through ansible-playbook on a copy of the distro fixture node, audited before and after.

The node's files are a copy of tests/fixtures/trees/distro (remediate_host_root points at it); the
report is made by discovery + evaluator + report from that copy. No live service is involved: the
round trip on running MariaDB/RabbitMQ/libvirtd is not part of these tests.
"""

from __future__ import absolute_import, division, print_function

import glob
import json
import os

from kolla_reports import distro_copy, distro_report

from test_remediate_kolla import recap_changed, tree_digest

PLAY = """
- hosts: localhost
  gather_facts: false
  roles:
    - role: scs.secure_connections.remediate_host
"""


def statuses(report):
    return dict(((f['control_id'], f['target'].get('service'), f['target'].get('file'), f['target'].get('setting'), f['target'].get('endpoint')),
                 f['status']) for f in report['findings'])


def test_round_trip_on_the_distro_node(runner, tmp_path):
    root = distro_copy(tmp_path)
    before = distro_report(root)
    report_file = tmp_path / 'before.json'
    report_file.write_text(json.dumps(before))
    extra = {'remediate_host_root': root, 'remediate_host_name': 'ctl1', 'remediate_host_report_file': str(report_file),
             'remediate_host_db_ca_file': '/etc/mysql/ssl/ca.pem', 'remediate_host_mq_ca_file': '/etc/ssl/certs/cloud-ca.pem',
             'remediate_host_assume_db_server_tls': True, 'remediate_host_assume_broker_tls': True}

    digest = tree_digest(root)
    rc, log = runner.playbook(PLAY, extra, args=['--check', '--diff'])
    assert rc == 0, log
    assert tree_digest(root) == digest, 'check mode wrote something'
    assert '+ssl = true' in log and '/etc/neutron/neutron.conf: fill the empty ssl_ca of connection with /etc/mysql/ssl/ca.pem' in log

    rc, log = runner.playbook(PLAY, extra, args=['--diff'])
    assert rc == 0, log
    assert 'FIXTUREPW' not in log, 'a password from a URL line reached the output'
    assert 'Restart for the changes to take effect: cinder, neutron, nova' in log
    assert glob.glob(os.path.join(root, 'etc', 'neutron', 'neutron.conf.*~')), 'no backup'

    after = distro_report(root)
    was, now = statuses(before), statuses(after)
    failing = [k for k in was if was[k] == 'fail' and k[0] in ('scs-0125-db-client-tls', 'scs-0125-mq-client-tls')]
    # keystone's URL has its ssl_ca but ssl_verify_identity without ssl_verify_cert (PyMySQL 1.1 then verifies nothing):
    # not a missing ssl_ca, so the plan names it for a change by hand and leaves the file alone
    manual = ('scs-0125-db-client-tls', 'keystone', '/etc/keystone/keystone.conf', '[database] connection', None)
    assert manual in failing and len(failing) == 5, failing
    assert 'ssl_verify_identity=true without ssl_verify_cert' in log and 'change it by hand' in log
    fixed = [k for k in failing if k != manual]
    for key in fixed:
        assert now[key] == 'pass', (key, now[key])
    assert dict((k, v) for k, v in now.items() if k not in fixed) == dict((k, v) for k, v in was.items() if k not in fixed), \
        'everything else is unchanged'

    rc, log = runner.playbook(PLAY, extra, args=['--diff'])
    assert rc == 0, log
    assert recap_changed(log) == 0, log


def test_refuses_without_the_servers_tls(runner, tmp_path):
    root = distro_copy(tmp_path)
    report_file = tmp_path / 'before.json'
    report_file.write_text(json.dumps(distro_report(root)))
    digest = tree_digest(root)
    rc, log = runner.playbook(PLAY, {'remediate_host_root': root, 'remediate_host_name': 'ctl1', 'remediate_host_report_file': str(report_file),
                                     'remediate_host_db_ca_file': '/etc/mysql/ssl/ca.pem', 'remediate_host_mq_ca_file': '/etc/ssl/certs/cloud-ca.pem'})
    assert rc == 0, log
    assert 'the audit did not see the database server speak TLS' in log and 'the audit did not see the RabbitMQ broker offer TLS' in log
    assert tree_digest(root) == digest
