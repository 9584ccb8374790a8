# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one optional-import helper: modules when the library is there, None and the traceback when not."""

from __future__ import absolute_import, division, print_function

import json
import os
import subprocess
import sys

import pytest

from ansible.module_utils.basic import missing_required_lib

from ansible_collections.scs.secure_connections.plugins.module_utils._core.optional import OptionalLibrary


class _Failed(Exception):
    pass


class _Module(object):
    """Stands in for AnsibleModule.fail_json, whose exit would end the test process."""

    def fail_json(self, **kwargs):
        raise _Failed(kwargs)


def test_found_library_gives_its_modules():
    lib = OptionalLibrary('json', 'json', 'json.decoder')
    assert lib.found and lib.error is None
    assert lib.modules[0] is json and lib.modules[1].JSONDecodeError is json.JSONDecodeError
    lib.fail_json_if_missing(_Module())  # nothing to say


def test_missing_library_gives_none_for_every_module_and_the_traceback():
    lib = OptionalLibrary('PyNoSuch', 'json', 'scs_no_such_library_here')
    assert not lib.found and lib.modules == (None, None)
    assert 'ModuleNotFoundError' in lib.error and 'scs_no_such_library_here' in lib.error
    with pytest.raises(_Failed) as failed:
        lib.fail_json_if_missing(_Module(), reason='for the live check')
    assert failed.value.args[0] == {'msg': missing_required_lib('PyNoSuch', reason='for the live check'), 'exception': lib.error}
    assert 'PyNoSuch' in failed.value.args[0]['msg']


def test_library_is_imported_on_first_use_not_at_construction():
    sys.modules.pop('colorsys', None)
    lib = OptionalLibrary('colorsys', 'colorsys')
    deferred, = lib.deferred()
    flag = lib.flag()
    assert 'colorsys' not in sys.modules
    assert lib.available() and 'colorsys' not in sys.modules     # installed, still not imported
    assert deferred.rgb_to_hsv(0, 0, 0) == (0.0, 0.0, 0.0) and 'colorsys' in sys.modules
    assert flag and lib.found and repr(flag) == 'True'


def test_missing_library_is_unavailable_false_and_its_stand_ins_refuse():
    lib = OptionalLibrary('PyNoSuch', 'scs_no_such_library_here')
    assert not lib.available() and not lib.flag()
    with pytest.raises(AttributeError) as info:
        lib.deferred()[0].anything
    assert 'PyNoSuch is not installed' in str(info.value)
    assert lib.modules == (None,) and not lib.available()


def test_gatherer_modules_do_not_import_cryptography_or_pymysql():
    """A configuration snapshot needs neither: the audit's gatherers import them on first use (docs/scale.md)."""
    code = ('import sys\n'
            'from ansible_collections.scs.secure_connections.plugins.modules import host_evidence_info, tls_endpoint_info\n'
            'from ansible_collections.scs.secure_connections.plugins.module_utils._gather import libvirt, mysql\n'
            'print(sorted(m for m in sys.modules if m.split(".")[0] in ("cryptography", "pymysql")))\n')
    out = subprocess.run([sys.executable, '-c', code], stdout=subprocess.PIPE, check=True, env=dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path)))
    assert out.stdout.decode().strip() == '[]'


# What a configuration snapshot never needs (docs/scale.md, imports on first use): the MySQL client, the node's network
# view and what needs it, the RabbitMQ CLI and AMQP check, the libvirt authentication probe, the command runner and
# deadlines, the TLS engine; and the parsers of what the kolla, OSA and distro trees do not hold (no certificate PEM,
# no ProxySQL; these trees have no sys/ and proc/ of their own, so their network is not observable).
SNAPSHOT_NEVER = ('_gather.mysql', '_gather.netinfo', '_gather.storage_observed', '_gather.rabbitmq_live', '_gather.libvirt_probe',
                  '_core.command', '_core.deadline', '_core.requires', '_tls.scan', '_tls.wire', '_tls.x509', '_parsers.proxysql')
_SNAPSHOT = '''
import json, sys
from ansible_collections.scs.secure_connections.plugins.module_utils._gather.host import gather_host

class Module(object):
    """A snapshot runs no command: any attempt fails the run."""
    no_log_values, check_mode = set(), False

    def get_bin_path(self, *args, **kwargs):
        return None

    def run_command(self, *args, **kwargs):
        raise AssertionError('a snapshot ran a command: %r' % (args,))

params = {'root': sys.argv[1], 'label': 'n1', 'groups': ['ungrouped'], 'skip_controls': [], 'level': 'intermediate',
          'channels': ['tls', 'api', 'db', 'mq', 'hv', 'net', 'sto']}
evidence = gather_host(Module(), params)['evidence']
prefix = 'ansible_collections.scs.secure_connections.plugins.module_utils.'
parts = {'db': [s.get('error') or {} for s in evidence['db']['servers']], 'mq': evidence['mq']['brokers'],
         'hv': [evidence['hv']['libvirt']], 'net': [evidence['net']['network']], 'sto': [evidence['sto']]}
failed = sorted(c for c, items in parts.items() if any(i.get('failed') or i.get('kind') == 'module' for i in items))
print(json.dumps({'channels': evidence['channels'], 'failed': failed,
                  'modules': sorted(m[len(prefix):] for m in sys.modules if m.startswith(prefix))}))
'''


@pytest.mark.parametrize('tree,kafka', [('kolla', False), ('osa', False), ('distro', True)])
def test_a_snapshot_imports_no_live_code(tree, kafka):
    """host_evidence_info over a snapshot tree compiles none of SNAPSHOT_NEVER (AnsiballZ compiles every imported
    module_util from source on every run) and still gathers every node channel."""
    root = os.path.join(os.path.dirname(__file__), '..', '..', 'fixtures', 'trees', tree)
    out = subprocess.run([sys.executable, '-c', _SNAPSHOT, os.path.abspath(root)], stdout=subprocess.PIPE, check=True,
                         env=dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path)))
    result = json.loads(out.stdout.decode())
    assert result['channels'] == ['db', 'mq', 'hv', 'net', 'sto'] and result['failed'] == []
    assert '_gather.storage' in result['modules'] and '_gather.rabbitmq' in result['modules']   # the check can see imports
    assert sorted(set(SNAPSHOT_NEVER) & set(result['modules'])) == []
    assert ('_parsers.kafka' in result['modules']) is kafka   # the Kafka parser only where server.properties exists
