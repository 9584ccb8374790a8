# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run the REAL module through ansible-playbook on the three fixture trees and on this machine.

One playbook run (about 10 s) gathers everything; the tests then check that the output matches
what the trees contain, that it matches this machine's files and sockets, and that no fixture
password (they all start with FIXTUREPW) appears anywhere: not in the results, not in Ansible's
own verbose output.
"""

from __future__ import absolute_import, division, print_function

import json
import os
import socket
import subprocess
import sys

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
TREES = os.path.join(REPO, 'tests', 'fixtures', 'trees')
VENV_BIN = os.path.dirname(sys.executable)

PLAYBOOK = """
- name: discovery integration
  hosts: localhost
  gather_facts: false
  tasks:
    - name: discover fixture trees
      scs.secure_connections.openstack_config_info:
        root: "{{{{ trees }}}}/{{{{ item }}}}"
      loop: [kolla, osa, distro]
      register: trees_result

    - name: discover this machine
      scs.secure_connections.openstack_config_info:
      register: local_result

    - name: discover this machine in check mode, services only
      scs.secure_connections.openstack_config_info:
        gather: [services]
      check_mode: true
      register: check_result

    - name: write results
      ansible.builtin.copy:
        content: "{{{{ {{'kolla': trees_result.results[0], 'osa': trees_result.results[1], 'distro': trees_result.results[2],
                      'local': local_result, 'check': check_result}} | to_json }}}}"
        dest: "{out}"
        mode: "0600"
"""


def _collections_path():
    sys.path.insert(0, REPO)
    from lab.paths import collections_root
    return collections_root()


@pytest.fixture(scope='module')
def run(tmp_path_factory):
    ansible = os.path.join(VENV_BIN, 'ansible-playbook')
    if not os.path.exists(ansible):
        pytest.skip('ansible-playbook not found next to %s' % sys.executable)
    tmp = tmp_path_factory.mktemp('discovery')
    out = tmp / 'results.json'
    playbook = tmp / 'playbook.yml'
    playbook.write_text(PLAYBOOK.format(out=out))
    # a listener of our own, on loopback, that the module must find with our pid
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(('127.0.0.1', 0))
    sock.listen(1)
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=_collections_path(), ANSIBLE_LOCALHOST_WARNING='0',
               ANSIBLE_INVENTORY_UNPARSED_WARNING='0', ANSIBLE_NOCOLOR='1', ANSIBLE_RETRY_FILES_ENABLED='0',
               ANSIBLE_PYTHON_INTERPRETER=sys.executable, LC_ALL='C.UTF-8')
    try:
        proc = subprocess.run([ansible, '-v', '-i', 'localhost,', '-c', 'local', str(playbook), '-e', 'trees=%s' % TREES],
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=300, cwd=str(tmp), check=False)
        port = sock.getsockname()[1]
    finally:
        sock.close()
    output = proc.stdout.decode('utf-8', 'replace') + proc.stderr.decode('utf-8', 'replace')
    assert proc.returncode == 0, output[-4000:]
    with open(str(out)) as handle:
        results = json.load(handle)
    return {'results': results, 'output': output, 'raw': out.read_text(), 'port': port, 'pid': os.getpid()}


def _svc(result, service, component=None):
    found = [s for s in result['services'] if s['service'] == service and s['component'] == component]
    assert len(found) == 1, [(s['service'], s['component']) for s in result['services']]
    return found[0]


def _db(svc, section, option='connection'):
    return [d for d in svc['database_urls'] if d['section'] == section and d['option'] == option][0]


def _api(svc, section, option):
    return [a for a in svc['api_clients'] if a['section'] == section and a['option'] == option][0]


# --------------------------------------------------------------------------- secrets


def test_no_fixture_password_anywhere(run):
    assert 'FIXTUREPW' not in run['raw']
    assert 'FIXTUREPW' not in run['output']
    for name in ('kolla', 'osa', 'distro', 'local'):
        assert run['results'][name]['changed'] is False


def test_passwords_were_there_and_are_masked(run):
    kolla = run['results']['kolla']
    url = _db(_svc(kolla, 'nova', 'nova-api'), 'database')
    assert url['url'] == 'mysql+pymysql://nova:********@10.0.0.10:3306/nova' and url['password_set'] is True
    galera = kolla['infrastructure']['mysql'][0]
    assert galera['server']['wsrep_sst_auth'] == 'root:********'


# --------------------------------------------------------------------------- kolla


def test_kolla_layout_and_services(run):
    result = run['results']['kolla']
    assert [l['name'] for l in result['layouts']] == ['kolla']
    assert 'nova_compute' in result['layouts'][0]['container_engines']['docker']
    assert sorted((s['service'], s['component']) for s in result['services']) == [
        ('glance', 'glance-api'), ('keystone', 'keystone'), ('neutron', 'neutron-server'), ('nova', 'nova-api'),
        ('nova', 'nova-compute'), ('octavia', 'octavia-worker'), ('placement', 'placement-api')]
    assert all(s['layout'] == 'kolla' and s['errors'] == [] for s in result['services'])


def test_kolla_database_urls(run):
    result = run['results']['kolla']
    nova_api = _svc(result, 'nova', 'nova-api')
    assert 'ssl_ca' not in _db(nova_api, 'database')['query']                               # wrong
    assert _db(nova_api, 'api_database')['query'] == {'ssl_ca': '/etc/ssl/certs/ca-certificates.crt', 'ssl_verify_cert': 'true'}
    assert _db(_svc(result, 'neutron', 'neutron-server'), 'database')['query']['ssl_verify_cert'] == 'false'   # wrong
    octavia = _svc(result, 'octavia', 'octavia-worker')
    assert _db(octavia, 'task_flow', 'persistence_connection')['query'] == {}               # wrong
    assert _db(_svc(result, 'placement', 'placement-api'), 'placement_database')['host'] == '10.0.0.10'


def test_kolla_messaging_and_clients(run):
    result = run['results']['kolla']
    assert _svc(result, 'glance', 'glance-api')['rabbit']['ssl'] is False                    # wrong
    assert _svc(result, 'keystone', 'keystone')['rabbit']['ssl'] is True
    assert _svc(result, 'placement', 'placement-api')['rabbit'] == {}
    urls = _svc(result, 'neutron', 'neutron-server')['transport_urls']
    assert [(u['purpose'], u['hosts'][0]['port'], u['virtual_host']) for u in urls] == [('rpc', 5672, '/'), ('notifications', 5672, '/')]
    compute = _svc(result, 'nova', 'nova-compute')
    assert _api(compute, 'keystone_authtoken', 'auth_url')['insecure'] is True               # wrong
    assert _api(compute, 'keystone_authtoken', 'www_authenticate_uri')['scheme'] == 'https'
    assert _api(compute, 'glance', 'api_servers')['url'] == 'http://10.0.0.10:9292'
    assert compute['libvirt']['connection_uri'] == 'qemu+tcp://10.0.0.11/system'
    assert compute['libvirt']['live_migration_with_native_tls'] is None
    assert compute['kolla']['override_files'] == ['/etc/kolla/config/global.conf', '/etc/kolla/config/nova/nova-compute.conf']
    assert _svc(result, 'nova', 'nova-api')['libvirt']['section_present'] is False


def test_kolla_infrastructure(run):
    infra = run['results']['kolla']['infrastructure']
    assert [m['file'] for m in infra['mysql']] == ['/etc/kolla/mariadb/galera.cnf']
    assert infra['mysql'][0]['server']['ssl_cert'] == '/etc/mysql/certs/mariadb-cert.pem'
    rabbit = infra['rabbitmq'][0]
    assert rabbit['component'] == 'rabbitmq'
    assert rabbit['rabbit']['listeners'] == {'tcp': [], 'ssl': [{'address': '10.0.0.11', 'port': 5672}]}
    assert rabbit['rabbit']['ssl_options']['versions'] == ['tlsv1.3', 'tlsv1.2']          # from advanced.config
    assert rabbit['env']['RABBITMQ_NODENAME'] == 'rabbit@kolla1'
    libvirtd = [l for l in infra['libvirt'] if l['kind'] == 'daemon_config'][0]
    assert libvirtd['component'] == 'nova-libvirt' and libvirtd['settings']['listen_tcp'] == 1 and 'listen_tls' not in libvirtd['settings']
    assert infra['qemu'][0]['settings']['user'] == 'nova'
    assert sorted(c['component'] for c in infra['ceph']) == ['glance-api', 'nova-compute']
    assert len(infra['ceph'][0]['mon_host']) == 3
    fronts = dict((f['name'], f) for f in infra['haproxy'][0]['frontends'])
    assert fronts['nova_api_external_front']['binds'][0]['ssl_min_ver'] == 'TLSv1.0'
    assert fronts['keystone_internal_front']['binds'][0]['ssl'] is False
    assert infra['kafka'] == [] and infra['nginx'] == []


# --------------------------------------------------------------------------- OpenStack-Ansible


def test_osa(run):
    result = run['results']['osa']
    assert [l['name'] for l in result['layouts']] == ['openstack_ansible']
    assert sorted(result['layouts'][0]['lxc_containers']) == [
        'aio1_galera_container-5e6f7a8b', 'aio1_nova_api_container-1a2b3c4d', 'aio1_rabbit_mq_container-9c0d1e2f']
    metal = _svc(result, 'nova', None)
    assert metal['venvs'] == ['/openstack/venvs/nova-30.0.1']
    rpc, notif = metal['transport_urls']
    assert [h['host'] for h in rpc['hosts']] == ['172.29.238.211', '172.29.238.212', '172.29.238.213']
    assert rpc['query'] == {'ssl': '1'} and rpc['virtual_host'] == '/nova'
    assert notif['purpose'] == 'notifications' and notif['query'] == {'ssl': '0'} and notif['hosts'][0]['port'] == 5672
    assert metal['libvirt']['live_migration_uri'].startswith('qemu+ssh://') and metal['libvirt']['live_migration_tunnelled'] is True
    assert _api(metal, 'service_user', 'auth_url')['insecure'] is True
    api = _svc(result, 'nova', 'aio1_nova_api_container-1a2b3c4d')
    refs = dict((r['where'], r) for r in api['referenced_files'])
    assert refs['[api_database] connection ?ssl_ca']['exists'] is True
    assert refs['[database] connection ?ssl_ca']['exists'] is False
    infra = result['infrastructure']
    galera = infra['mysql'][0]
    assert galera['container'] == 'aio1_galera_container-5e6f7a8b'
    assert galera['wsrep_provider_options']['socket.ssl_cipher'] == 'AES128-SHA256'
    assert galera['sections']['client']['password'] == '********'
    assert galera['sections']['sst']['encrypt'] == '3'
    rabbit = infra['rabbitmq'][0]['rabbit']
    assert rabbit['listeners']['tcp'] == [{'address': '172.29.238.211', 'port': 5672}]
    assert rabbit['ssl_options']['versions'] == ['tlsv1.2', 'tlsv1.1'] and rabbit['ssl_options']['verify'] == 'verify_none'
    kinds = dict((l['kind'], l) for l in infra['libvirt'])
    assert kinds['daemon_config']['settings']['auth_tcp'] == 'none'
    assert kinds['socket_unit']['unit'] == 'libvirtd-tcp.socket' and kinds['socket_unit']['enabled'] is True
    assert kinds['defaults']['listen'] is True
    fronts = dict((f['name'], f) for f in infra['haproxy'][0]['frontends'])
    assert fronts['horizon-redirect-front-1']['redirects_to_https'] is True
    assert fronts['galera-front-1']['binds'][0]['ssl'] is False


# --------------------------------------------------------------------------- distro


def test_distro_services(run):
    result = run['results']['distro']
    assert [l['name'] for l in result['layouts']] == ['distro']
    nova = _svc(result, 'nova')
    assert nova['files'] == ['/etc/nova/nova.conf', '/etc/nova/nova-compute.conf', '/etc/nova/nova.conf.d/50-live-migration.conf']
    assert nova['libvirt']['live_migration_with_native_tls'] is True                     # conf.d fragment wins
    assert nova['libvirt']['file'] == '/etc/nova/nova.conf.d/50-live-migration.conf'
    assert nova['libvirt']['virt_type'] == 'kvm'                                           # Ubuntu nova-compute.conf
    assert nova['kafka']['security_protocol'] == 'SASL_SSL' and nova['kafka']['ssl_client_key_password'] == '********'
    assert sorted(_db(nova, 'api_database')['query']) == ['ssl_ca', 'ssl_cert', 'ssl_key']
    assert _db(nova, 'database')['query'] == {}
    neutron = _svc(result, 'neutron')
    assert _db(neutron, 'database')['query'] == {'ssl_ca': ''}
    assert neutron['kafka']['security_protocol'] == 'PLAINTEXT'
    assert _api(neutron, 'keystone_authtoken', 'auth_url')['insecure'] is True
    cinder = _svc(result, 'cinder')
    assert cinder['rabbit']['ssl'] is True and cinder['rabbit']['ssl_version'] == 'TLSv1_2'
    assert cinder['rabbit']['sources']['ssl'] == '[DEFAULT] rabbit_use_ssl in /etc/cinder/cinder.conf'
    assert _api(cinder, 'DEFAULT', 'glance_api_servers')['scheme'] == 'https'


def test_distro_infrastructure(run):
    infra = run['results']['distro']['infrastructure']
    mysql = infra['mysql'][0]
    assert mysql['file'] == '/etc/mysql/my.cnf' and '/etc/mysql/mariadb.conf.d/50-server.cnf' in mysql['files']
    assert mysql['server']['require_secure_transport'] == 'OFF'
    rabbit = infra['rabbitmq'][0]['rabbit']
    assert rabbit['listeners'] == {'tcp': [{'address': None, 'port': 5672}], 'ssl': [{'address': None, 'port': 5671}]}
    assert rabbit['loopback_users'] == {'guest': False}                                    # conf.d overrides rabbitmq.conf
    sockets = dict((l['unit'], l) for l in infra['libvirt'] if l['kind'] == 'socket_unit')
    assert sockets['libvirtd-tls.socket']['enabled'] is True
    assert sockets['libvirtd-tcp.socket']['listen'] == [{'address': '127.0.0.1', 'port': 16509, 'path': None}]
    daemon = [l for l in infra['libvirt'] if l['kind'] == 'daemon_config'][0]
    assert daemon['settings']['tls_no_verify_certificate'] == 1
    assert infra['qemu'][0]['settings']['migrate_tls_force'] == 1
    ceph = infra['ceph'][0]
    assert ceph['effective']['osd']['ms_cluster_mode'] == 'secure' and ceph['sections']['global']['cluster_network'] == '10.0.4.0/24'
    kafka = infra['kafka'][0]
    assert [(l['name'], l['security_protocol']) for l in kafka['listeners']] == [('PLAINTEXT', 'PLAINTEXT'), ('SASL_SSL', 'SASL_SSL'),
                                                                                 ('CONTROLLER', 'PLAINTEXT')]
    servers = infra['nginx'][0]['servers']
    assert [s['ssl'].get('ssl_protocols') for s in servers if s['context'] == 'http'][:2] == [
        ['TLSv1.2', 'TLSv1.3'], ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3']]


# --------------------------------------------------------------------------- this machine


def test_this_machine_matches_its_files_and_sockets(run):
    result = run['results']['local']
    assert result['root'] == '/' and result['listeners_source'] == '/proc'
    mine = [l for l in result['listeners'] if l['port'] == run['port'] and l['address'] == '127.0.0.1']
    assert len(mine) == 1 and mine[0]['pid'] == run['pid']
    infra = result['infrastructure']
    expect = {
        'mysql': any(os.path.lexists(p) for p in ('/etc/mysql/my.cnf', '/etc/my.cnf', '/etc/mysql/mariadb.cnf')),
        'nginx': os.path.lexists('/etc/nginx/nginx.conf'),
        'haproxy': os.path.lexists('/etc/haproxy/haproxy.cfg'),
        'qemu': os.path.lexists('/etc/libvirt/qemu.conf'),
        'ceph': any(n.endswith('.conf') for n in (os.listdir('/etc/ceph') if os.path.isdir('/etc/ceph') else [])),
    }
    for kind, present in expect.items():
        assert bool(infra[kind]) is present, kind
    has_openstack = any(os.path.exists('/etc/%s/%s.conf' % (p, p)) for p in ('nova', 'neutron', 'keystone', 'cinder', 'glance'))
    assert bool(result['services']) is (has_openstack or os.path.isdir('/etc/kolla'))
    # whatever this machine holds, the output is a fixed point of the masking rules
    sys.path.insert(0, REPO)
    import conftest  # noqa: F401  pylint: disable=unused-import,import-outside-toplevel
    from ansible_collections.scs.secure_connections.plugins.module_utils._core.secrets import mask_secrets
    assert mask_secrets(result) == result


def test_check_mode(run):
    check = run['results']['check']
    assert check['changed'] is False and check['gathered'] == ['services']


def test_verbose_output_really_holds_the_results(run):
    """Guard for test_no_fixture_password_anywhere: the grep must look at the printed results."""
    assert '"database_urls"' in run['output'] and '********' in run['output']
