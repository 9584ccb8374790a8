# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""One host's evidence in one process (host_evidence_info): discovery, then the gatherers of the selected node
channels (db, mq, hv, net, sto) with the same logic and options as their own modules
(openstack_config_info, mysql_tls_info, rabbitmq_tls_info, libvirt_tls_info, storage_network_info), and the
TLS probes of their targets (the tls_endpoint_info engine) when they run from this host.

The result is the host's ``audit_evidence`` in the shape the audit role records (docs/architecture.md);
a channel whose gatherer cannot run gets the same evidence a failed module call gives (``failed`` + ``msg``),
which the rules turn into ``error`` findings. Probes to run from another host are handed back as
``delegated_probes``.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.scs.secure_connections.plugins.module_utils._core.optional import OptionalLibrary
from ansible_collections.scs.secure_connections.plugins.module_utils._core.rootfs import DEFAULT_MAX_FILE_SIZE
from ansible_collections.scs.secure_connections.plugins.module_utils._core.secrets import mask_secrets
from ansible_collections.scs.secure_connections.plugins.module_utils._gather import libvirt as _libvirt
from ansible_collections.scs.secure_connections.plugins.module_utils._gather import rabbitmq as _rabbitmq
from ansible_collections.scs.secure_connections.plugins.module_utils._gather import storage as _storage
from ansible_collections.scs.secure_connections.plugins.module_utils._gather.db_channel import channel as db_channel, check_servers
from ansible_collections.scs.secure_connections.plugins.module_utils._gather.discovery import GATHER_CHOICES, discover
from ansible_collections.scs.secure_connections.plugins.module_utils._gather.specs import DB_SPEC, HV_SPEC, MQ_SPEC, STO_SPEC
from ansible_collections.scs.secure_connections.plugins.module_utils._gather.tls_targets import libvirt_probe_targets, rabbitmq_probe_targets

# The channels gathered here, in the order they run. api reads the Keystone catalog once per run; tls probes the
# declared, live and configured listeners with its own task file (roles/audit/tasks/channel_tls.yml): the only other call.
NODE_CHANNELS = ('db', 'mq', 'hv', 'net', 'sto')
# pika (with asyncio, about 40 ms of imports) only for the AMQP login of amqp_check; the TLS engine (_tls.scan and wire,
# about 30 ms to compile) only when a probe runs from this host: never for a snapshot. Both are imported on first use.
_PIKA = []


def pika_library():
    """The OptionalLibrary of pika, imported on the first call."""
    if not _PIKA:
        _PIKA.append(OptionalLibrary('pika', 'pika'))
    return _PIKA[0]


# Keys of a channel's options that steer the channel here and are no option of the channel's module.
PROBE_KEYS = ('probe', 'probe_local', 'probe_delegate_to', 'probe_ca_files', 'probe_client_cert', 'probe_client_key',
              'probe_timeout', 'probe_concurrency')
MQ_KEYS = PROBE_KEYS + ('gather', 'broker_groups', 'addresses')


class ChannelFailure(Exception):
    """A channel's gatherer could not run (as a failed module call: ``msg``)."""


class SubModule(object):
    """What a gatherer needs of an AnsibleModule, with one channel's validated ``params``; fail_json raises."""

    def __init__(self, module, params):
        self.module = module
        self.params = params
        self.no_log_values = module.no_log_values
        self.check_mode = module.check_mode

    def get_bin_path(self, *args, **kwargs):
        return self.module.get_bin_path(*args, **kwargs)

    def run_command(self, *args, **kwargs):
        return self.module.run_command(*args, **kwargs)

    def fail_json(self, msg='failed', **kwargs):
        raise ChannelFailure(msg)


class OnceModule(SubModule):
    """The module for gatherers that run the same read-only commands (net and sto both read the routes, links, OVS and
    Ceph settings): each command line runs once per process, later calls get its first answer."""

    def __init__(self, module):
        super(OnceModule, self).__init__(module, getattr(module, 'params', None))
        self.answers = {}

    def run_command(self, args, *more, **kwargs):
        if kwargs.get('data') is not None or more:
            return self.module.run_command(args, *more, **kwargs)
        # the timeout callback of _core/command.run differs per call; a cached answer starts no process to time
        key = repr((args, sorted((k, v) for k, v in kwargs.items() if not callable(v))))
        if key not in self.answers:
            self.answers[key] = self.module.run_command(args, **kwargs)
        return self.answers[key]


def validated(spec, options, what):
    """``options`` checked and completed against ``spec`` (the channel module's own), else ChannelFailure."""
    result = ArgumentSpecValidator(spec).validate(dict((k, v) for k, v in (options or {}).items() if v is not None))
    if result.error_messages:
        raise ChannelFailure('%s: %s' % (what, '; '.join(result.error_messages)))
    return result.validated_parameters


def probe(endpoints, opts, level):
    """``(endpoint results, error)``: the tls_endpoint_info scan and Mozilla block of ``endpoints``."""
    for option in ('probe_ca_files', 'probe_client_cert', 'probe_client_key'):
        value = opts.get(option) or []
        for path in value if isinstance(value, list) else [value]:
            if not os.path.isfile(path):
                return [], '%s: %s does not exist or is not a file' % (option.replace('probe_', ''), path)
    options = dict(timeout=float(opts.get('probe_timeout') or 5), ca_files=list(opts.get('probe_ca_files') or []),
                   client_cert=opts.get('probe_client_cert') or None, client_key=opts.get('probe_client_key') or None,
                   concurrency=int(opts.get('probe_concurrency') or 16), check_hsts=False)
    # pylint: disable=import-outside-toplevel
    from ansible_collections.scs.secure_connections.plugins.module_utils._core.mozilla import attach
    from ansible_collections.scs.secure_connections.plugins.module_utils._core.mozilla_data import GUIDELINES
    from ansible_collections.scs.secure_connections.plugins.module_utils._tls.scan import scan_endpoints
    try:
        return attach(scan_endpoints(endpoints, options), GUIDELINES, level), None
    except Exception as exc:  # pylint: disable=broad-except
        return [], 'the TLS probe failed: %s' % exc


def probe_or_delegate(host, channel, targets, opts):
    """Probe ``targets`` here, or hand them back as a delegated probe; ``(endpoints, error, probed)``."""
    if not opts.get('probe', True) or not targets:
        return [], None, False
    if opts.get('probe_local', True):
        endpoints, error = probe(targets, opts, host['level'])
        return endpoints, error, True
    host['delegated'].append({'channel': channel, 'delegate_to': opts.get('probe_delegate_to'), 'endpoints': targets,
                              'ca_files': list(opts.get('probe_ca_files') or []), 'client_cert': opts.get('probe_client_cert') or '',
                              'client_key': opts.get('probe_client_key') or '', 'timeout': opts.get('probe_timeout') or 5,
                              'level': host['level']})
    return [], None, True


def _module_options(opts, keys):
    return dict((k, v) for k, v in (opts or {}).items() if k not in keys)


def gather_db(host, opts, discovery):
    """The db channel (mysql_tls_info in channel mode) and the probes of its servers."""
    options = dict(_module_options(opts, PROBE_KEYS), discovery=discovery, root=host['root'], label=host['label'], groups=host['groups'])
    options['check_client_ca'] = bool(options.get('check_client_ca', True)) and 'scs-0125-db-client-tls' not in host['skip_controls']
    try:
        module = SubModule(host['module'], validated(DB_SPEC, options, 'db'))
        check_servers(module)
        result = db_channel(module)
    except ChannelFailure as exc:
        return {'query': {'enabled': True, 'reason': 'mysql_tls_info failed'}, 'client_ca_files': [],
                'servers': [{'status': 'error', 'label': host['label'], 'connection': {}, 'error': {'kind': 'module', 'message': str(exc)}}],
                'tls': {'endpoints': [], 'error': None, 'probed': False}}
    endpoints, error, probed = probe_or_delegate(host, 'db', result['tls_probe_targets'], opts)
    return {'query': result['query'], 'servers': result['servers'], 'client_ca_files': result['client_ca_files'],
            'tls': {'endpoints': endpoints, 'error': error, 'probed': probed}}


def mq_wanted(mode, groups, broker_groups, discovery, root=None):
    """audit_mq_gather: always, never, or auto (a broker group, a RabbitMQ listener or process, RabbitMQ configuration, the
    rabbitmq-server package in a snapshot ``root``)."""
    if mode in ('always', 'never'):
        return mode == 'always'
    listeners = discovery.get('listeners') or []
    return bool(set(groups or []) & set(broker_groups or [])) \
        or any(item.get('port') in (5671, 5672) for item in listeners) \
        or any(item.get('process') in ('beam.smp', 'beam', 'rabbitmq-server') for item in listeners) \
        or bool((discovery.get('infrastructure') or {}).get('rabbitmq')) \
        or (root is not None and _rabbitmq.package_evidence(root) is not None)


def _broker(host, options):
    params = validated(MQ_SPEC, options, 'mq')
    check = params.get('amqp_check') or {}
    login = bool(check.get('user')) and check.get('password') is not None
    if login and not pika_library().found:
        raise ChannelFailure('the pika library is required for the AMQP login of amqp_check')
    if params['cli_timeout'] < 1 or params['max_connections'] < 0:
        raise ChannelFailure('cli_timeout must be at least 1 and max_connections not negative')
    result = _rabbitmq.gather(params, pika_available=pika_library().found if login else True, module=host['module'])
    listeners = result.get('listeners') if (params['root'] or '/').rstrip('/') == '' else []
    result['tls_probe_targets'] = rabbitmq_probe_targets(listeners, params['tls_probe_host'], params['tls_node_address'],
                                                         params['tls_server_name']) + params['tls_endpoints']
    return result


def gather_mq(host, opts, discovery):
    """The mq channel (rabbitmq_tls_info when this host is a broker) and the probes of its listeners."""
    options = _module_options(opts, MQ_KEYS)
    options['root'] = host['root']
    options['live'] = bool(options.get('live', True)) and host['root'] in ('/', '')
    if options.get('container') == 'auto':
        layouts = [item.get('name') for item in discovery.get('layouts') or []]
        options['container'] = 'rabbitmq' if 'kolla' in layouts else ''
    for key in ('container', 'cli_path', 'node'):
        if not options.get(key):
            options.pop(key, None)
    if not options.get('config_files'):
        options.pop('config_files', None)
    brokers, targets = [], list(opts.get('tls_endpoints') or [])
    if mq_wanted(opts.get('gather', 'auto'), host['groups'], opts.get('broker_groups'), discovery, root=host['root']):
        try:
            broker = _broker(host, options)
            targets = broker['tls_probe_targets']
        except ChannelFailure as exc:
            broker = {'failed': True, 'msg': str(exc)}
        brokers.append(broker)
    endpoints, _error, _probed = probe_or_delegate(host, 'mq', targets, opts)
    return {'brokers': brokers, 'tls': {'endpoints': endpoints}, 'addresses': list(opts.get('addresses') or [])}


def gather_hv(host, opts, _discovery):
    """The hv channel (libvirt_tls_info) and the probes of libvirt's TLS listeners."""
    options = dict(_module_options(opts, PROBE_KEYS), root=opts.get('root') or host['root'], label=host['label'],
                   tls_probe_local=bool(opts.get('probe_local', True)))
    if not options.get('client_pki_path'):
        options.pop('client_pki_path', None)
    try:
        params = validated(HV_SPEC, options, 'hv')
        if not _libvirt.CRYPTOGRAPHY.available():
            raise ChannelFailure('the cryptography library is required by libvirt_tls_info')
        result = _libvirt.gather(root=params['root'], proc_path=params['proc_path'], probe=params['probe'], timeout=params['timeout'],
                                 ssh_users=params['ssh_users'], client_pki_path=params['client_pki_path'])
    except ChannelFailure as exc:
        return {'libvirt': {'failed': True, 'msg': str(exc)}, 'tls': {'endpoints': [], 'error': None}}
    live = params['proc_path'].rstrip('/') == '/proc'
    result['tls_probe_targets'] = libvirt_probe_targets(result.get('listeners') if live else [], params['label'],
                                                        local=params['tls_probe_local'], node_address=params['tls_probe_host'])
    endpoints, error, _probed = probe_or_delegate(host, 'hv', result['tls_probe_targets'], opts)
    return {'libvirt': result, 'tls': {'endpoints': endpoints, 'error': error}}


def _unique(items):
    out = []
    for item in items:
        if item not in out:
            out.append(item)
    return out


def _nonempty(mapping):
    return dict((k, v) for k, v in (mapping or {}).items() if v not in (None, '', []))


def _service_files(discovery, services):
    return [f for svc in discovery.get('services') or [] if svc.get('service') in services for f in svc.get('files') or []]


def storage(host, options, what):
    """storage_network_info with ``options``; a failure as a failed module result."""
    try:
        p = validated(STO_SPEC, options, what)
        if p['timeout'] <= 0:
            raise ChannelFailure('timeout must be a positive number of seconds, got %s' % p['timeout'])
        unknown = sorted((set(p['traffic_interfaces']) | set(p['traffic_addresses'])) - set(_storage.TRAFFIC_CLASSES))
        if unknown:
            raise ChannelFailure('unknown traffic class(es) %s: use %s' % (', '.join(unknown), ', '.join(_storage.TRAFFIC_CLASSES)))
        if not p['ovs_vsctl_command'] or not p['ovn_nbctl_command']:
            raise ChannelFailure('ovs_vsctl_command and ovn_nbctl_command must not be empty')
    except ChannelFailure as exc:
        return {'failed': True, 'msg': str(exc)}
    module = host['commands']
    return mask_secrets(_storage.gather(
        root=p['root'], sys_path=p['sys_path'], proc_path=p['proc_path'], netns=p['netns'], which=module.get_bin_path,
        route_source=p['route_source'], traffic_interfaces=p['traffic_interfaces'], traffic_addresses=p['traffic_addresses'],
        config_files=p['config_files'], ceph_conf_files=p['ceph_conf_files'], storage_node=p['storage_node'],
        ovs_vsctl_command=p['ovs_vsctl_command'], ovn_nbctl_command=p['ovn_nbctl_command'], ovn_nb_db=p['ovn_nb_db'],
        timeout=p['timeout'], module=module))


def gather_net(host, opts, discovery):
    """The net channel's node part (storage_network_info over the Neutron files); ``extensions`` is filled by the role."""
    options = dict(opts)
    use_discovery = options.pop('use_discovery', True)
    options.update(root=host['root'], traffic_interfaces=_nonempty(options.get('traffic_interfaces')),
                   config_files=_unique(list(options.get('config_files') or [])
                                        + (_service_files(discovery, ('neutron',)) if use_discovery else [])))
    return {'network': storage(host, options, 'net'), 'extensions': None}


def gather_sto(host, opts, discovery):
    """The sto channel (storage_network_info over the storage configuration discovery found)."""
    options = dict(opts)
    use_discovery = options.pop('use_discovery', True)
    services = discovery.get('services') or []
    migration = _unique([(svc.get('libvirt') or {}).get('live_migration_inbound_addr') for svc in services if svc.get('service') == 'nova'])
    migration = [m for m in migration if m not in (None, '')]
    ceph = [item['file'] for item in (discovery.get('infrastructure') or {}).get('ceph') or [] if 'file' in item]
    addresses = dict({'migration': migration} if migration and use_discovery else {}, **_nonempty(options.get('traffic_addresses')))
    options.update(
        root=host['root'], traffic_interfaces=_nonempty(options.get('traffic_interfaces')), traffic_addresses=addresses,
        config_files=_unique(list(options.get('config_files') or [])
                             + (_service_files(discovery, ('cinder', 'nova', 'glance', 'neutron')) if use_discovery else [])),
        ceph_conf_files=_unique(list(options.get('ceph_conf_files') or []) + (ceph if use_discovery else [])))
    return storage(host, options, 'sto')


GATHERERS = {'db': gather_db, 'mq': gather_mq, 'hv': gather_hv, 'net': gather_net, 'sto': gather_sto}


def gather_host(module, params):
    """``{'evidence': <audit_evidence>, 'delegated_probes': [...], 'node_channels': [...]}`` for the module's ``params``."""
    root = params['root'] or '/'
    host = {'module': module, 'commands': OnceModule(module), 'root': root, 'label': params['label'] or '', 'groups': params['groups'] or [],
            'skip_controls': params['skip_controls'] or [], 'level': params['level'], 'delegated': []}
    discovery = discover(root=root, gather=list(GATHER_CHOICES), services=None, proc_path=None, max_file_size=DEFAULT_MAX_FILE_SIZE)
    evidence = {'channels': [], 'discovery': discovery}
    for name in [c for c in params['channels'] if c in NODE_CHANNELS]:
        try:
            evidence[name] = GATHERERS[name](host, params.get(name) or {}, discovery)
        except Exception as exc:  # pylint: disable=broad-except
            # one channel's bug must not cost the other channels: the rules report it as an error
            evidence[name] = {'failed': True, 'msg': '%s gatherer failed: %s: %s' % (name, type(exc).__name__, exc)}
        evidence['channels'].append(name)
    return {'evidence': evidence, 'delegated_probes': host['delegated'], 'node_channels': list(NODE_CHANNELS)}
