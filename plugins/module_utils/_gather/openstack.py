# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Base of the collection's OpenStack API modules (keystone_catalog_info, later neutron ones).

Authentication options are the ones openstack.cloud users already write (``cloud``, ``auth``,
``auth_type``, ``region_name``, ``interface``, ``ca_cert``, ``validate_certs``, ``client_cert``,
``client_key``, ``api_timeout``; doc fragment ``scs.secure_connections.openstack``).

A module declares ``ARGUMENT_SPEC = dict(OPENSTACK_ARGUMENT_SPEC, <its own options>)``, hands it to
its subclass, which implements ``run()`` returning the result dict. ``__call__`` (``main()`` in the module) connects lazily through
``self.conn``, turns every SDK / keystoneauth / configuration error into a clean
``status: error`` result with ``error: {kind, message}`` (an audit must go on when one cloud
cannot be read), and masks every secret it knows of (passwords, tokens, application credential
secrets from ``auth``, the ``cloud`` dict and the resolved clouds.yaml entry) in the result.

Ansible masks every string value of a ``no_log`` option anywhere in the output. With
``auth: {username: admin, auth_url: https://keystone...}`` that would blank out the word "admin"
(an endpoint interface) and Keystone's own URL in the catalog. The base therefore keeps only the
secret values of ``auth`` in Ansible's no-log set and masks them itself as well.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.scs.secure_connections.plugins.module_utils._core import deadline as _deadline
from ansible_collections.scs.secure_connections.plugins.module_utils._core.sanitize import clean
from ansible_collections.scs.secure_connections.plugins.module_utils._core.optional import OptionalLibrary
from ansible_collections.scs.secure_connections.plugins.module_utils._core.requires import missing_library
from ansible_collections.scs.secure_connections.plugins.module_utils._core.secrets import MASK, is_secret_key, mask_secrets, mask_url

OPENSTACKSDK = OptionalLibrary('openstacksdk', 'openstack', 'openstack.exceptions', 'keystoneauth1.exceptions')
openstack, sdk_exceptions, ksa_exceptions = OPENSTACKSDK.modules
HAS_OPENSTACKSDK = OPENSTACKSDK.found

INTERFACES = ('public', 'internal', 'admin')

OPENSTACK_ARGUMENT_SPEC = dict(
    cloud=dict(type='raw'),
    auth_type=dict(type='str'),
    auth=dict(type='dict', no_log=True),
    region_name=dict(type='str'),
    interface=dict(type='str', choices=list(INTERFACES), aliases=['endpoint_type']),
    validate_certs=dict(type='bool', aliases=['verify']),
    ca_cert=dict(type='path', aliases=['cacert']),
    client_cert=dict(type='path', aliases=['cert']),
    client_key=dict(type='path', aliases=['key'], no_log=False),
    api_timeout=dict(type='int', default=30),
)

# Keys of an ``auth`` dict that never hold a secret: their values stay readable in the output.
# Anything else in ``auth`` (password, token, application_credential_secret, passcode,
# client_secret, ...) is treated as a secret.
AUTH_PUBLIC_KEYS = frozenset((
    'auth_url', 'username', 'user_id', 'user_domain_name', 'user_domain_id', 'project_name', 'project_id',
    'project_domain_name', 'project_domain_id', 'domain_name', 'domain_id', 'default_domain_name',
    'default_domain_id', 'system_scope', 'trust_id', 'application_credential_id', 'application_credential_name',
    'identity_provider', 'protocol', 'discovery_endpoint', 'openid_scope', 'client_id', 'access_token_type',
    'endpoint', 'region_name', 'interface', 'tenant_name', 'tenant_id',
))


def _leaves(value):
    """Every non-empty string / number leaf of a nested structure, as strings."""
    if isinstance(value, dict):
        for item in value.values():
            yield from _leaves(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _leaves(item)
    elif isinstance(value, bool) or value is None:
        return
    elif isinstance(value, (str, int, float)):
        text = str(value)
        if text:
            yield text


def auth_secrets(auth):
    """Secret values of an ``auth`` dict (every value not under a known public key)."""
    secrets = set()
    for key, value in (auth or {}).items():
        if key in AUTH_PUBLIC_KEYS and not is_secret_key(key):
            continue
        secrets.update(_leaves(value))
    return secrets


def config_secrets(config):
    """Secret values of a clouds.yaml-style cloud dict (``auth`` entries and secret-named keys)."""
    secrets = set()
    if not isinstance(config, dict):
        return secrets
    for key, value in config.items():
        if key == 'auth' and isinstance(value, dict):
            secrets |= auth_secrets(value)
        elif isinstance(value, dict):
            secrets |= config_secrets(value)
        elif is_secret_key(key) or key in ('passcode',):
            secrets.update(_leaves(value))
    return secrets


def connect_kwargs(params):
    """``openstack.connect()`` keyword arguments from the module parameters.

    A ``cloud`` dict is a complete cloud configuration (like an entry of clouds.yaml); options
    given next to it override its keys. A ``cloud`` string names an entry of clouds.yaml.
    """
    cloud = params.get('cloud')
    kwargs = {}
    if isinstance(cloud, dict):
        kwargs.update(cloud)
        # an inline configuration must not be mixed with the caller's OS_* environment or clouds.yaml
        kwargs.setdefault('load_yaml_config', False)
        kwargs.setdefault('load_envvars', False)
    elif cloud not in (None, ''):
        kwargs['cloud'] = str(cloud)
    mapping = (('auth_type', 'auth_type'), ('auth', 'auth'), ('region_name', 'region_name'), ('ca_cert', 'cacert'),
               ('client_cert', 'cert'), ('client_key', 'key'), ('api_timeout', 'api_timeout'))
    for param, key in mapping:
        if params.get(param) not in (None, '', {}):
            kwargs[key] = params[param]
    if params.get('validate_certs') is not None:
        kwargs['verify'] = params['validate_certs']
    if params.get('interface'):
        kwargs['interface'] = params['interface']
    return kwargs


def _chain(exc):
    seen = []
    while exc is not None and exc not in seen:
        seen.append(exc)
        exc = exc.__cause__ or exc.__context__
    return seen


def _status_code(exc):
    for name in ('status_code', 'http_status'):
        code = getattr(exc, name, None)
        if isinstance(code, int):
            return code
    response = getattr(exc, 'response', None)
    code = getattr(response, 'status_code', None)
    return code if isinstance(code, int) else None


def _message(exc):
    text = str(exc).strip() or type(exc).__name__
    return ' '.join(text.split())


class _Never(Exception):
    """Stand-in for an exception class a library version does not have."""


def _classes(module, *names):
    return tuple(getattr(module, name, _Never) for name in names)


def classify_error(exc):
    """``{kind, message}`` for an exception raised while talking to an OpenStack cloud.

    kinds: ``config`` (cloud not found, options missing), ``auth`` (credentials refused, 401),
    ``forbidden`` (403), ``tls`` (certificate verification / handshake failed), ``timeout``,
    ``unreachable`` (refused, DNS, no route), ``discovery`` (no Identity API at auth_url),
    ``not_found``, ``http`` (other HTTP status), ``sdk`` (other SDK error), ``internal``.
    """
    try:
        return _classify(exc)
    # classifying must never hide the error itself
    except Exception as inner:  # pylint: disable=broad-except
        return {'kind': 'internal', 'message': '%s: %s (classification failed: %s)' % (type(exc).__name__, _message(exc), inner)}


def _classify(exc):
    chain = _chain(exc)
    kind = None
    hint = ''
    if HAS_OPENSTACKSDK:
        ksa = ksa_exceptions
        for item in chain:
            if isinstance(item, _classes(ksa, 'SSLError')):
                kind, hint = 'tls', ('; check ca_cert (the CA that signed the Keystone certificate) '
                                     'or the server certificate name')
            elif isinstance(item, _classes(ksa, 'ConnectTimeout', 'RequestTimeout')):
                kind = 'timeout'
            elif isinstance(item, _classes(ksa, 'ConnectFailure', 'UnknownConnectionError')):
                kind = 'unreachable'
            elif isinstance(item, _classes(ksa, 'DiscoveryFailure')):
                kind = 'discovery'
            elif isinstance(item, _classes(ksa, 'MissingRequiredOptions', 'MissingAuthPlugin', 'NoMatchingPlugin',
                                           'OptionError') + _classes(sdk_exceptions, 'ConfigException')):
                kind = 'config'
            elif isinstance(item, _classes(ksa, 'Unauthorized')):
                kind = 'auth'
            elif isinstance(item, _classes(sdk_exceptions, 'ForbiddenException') + _classes(ksa, 'Forbidden')):
                kind = 'forbidden'
            elif isinstance(item, _classes(ksa, 'EndpointNotFound', 'NotFound') + _classes(sdk_exceptions, 'NotFoundException')):
                kind = 'not_found'
            if kind:
                break
        if kind is None:
            code = next((c for c in (_status_code(item) for item in chain) if c), None)
            if code == 401:
                kind = 'auth'
            elif code == 403:
                kind = 'forbidden'
            elif code == 404:
                kind = 'not_found'
            elif code is not None:
                kind = 'http'
            elif any(isinstance(item, _classes(sdk_exceptions, 'SDKException') + _classes(ksa, 'ClientException')) for item in chain):
                kind = 'sdk'
    if kind is None:
        if isinstance(exc, ValueError) and 'cloud' in str(exc).lower():
            kind = 'config'
        else:
            kind = 'internal'
    message = _message(exc)
    if kind == 'internal':
        message = '%s: %s' % (type(exc).__name__, message)
    if kind == 'auth':
        hint = '; check the user name, domain, project and password (or the application credential)'
    return {'kind': kind, 'message': message + hint}


def overall_deadline(params):
    """The overall bound of a module's whole conversation with the cloud: 4 x api_timeout (discovery,
    authentication and the API calls each get api_timeout), at least 5 s."""
    api_timeout = params.get('api_timeout') or 30
    return _deadline.Deadline(max(5.0, 4.0 * float(api_timeout)), 'the conversation with the cloud')


class OpenStackInfoModule(object):
    """Built with the module's ``ARGUMENT_SPEC`` (``OPENSTACK_ARGUMENT_SPEC`` and its own options); ``run()`` returns the result dict."""

    # keys every result has, with the value they take when the module ends in an error
    empty_result = {}

    def __init__(self, argument_spec):
        self.module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True)
        self.params = self.module.params
        self.secrets = auth_secrets(self.params.get('auth')) | config_secrets(
            self.params.get('cloud') if isinstance(self.params.get('cloud'), dict) else {})
        self._narrow_no_log()
        self._conn = None

    def _narrow_no_log(self):
        """Keep only real secrets of ``auth`` (and of an inline ``cloud`` dict) in Ansible's no-log set."""
        public = set(_leaves(dict((k, v) for k, v in (self.params.get('auth') or {}).items() if k in AUTH_PUBLIC_KEYS)))
        for value in public - self.secrets:
            self.module.no_log_values.discard(value)
        self.module.no_log_values.update(s for s in self.secrets if len(s) >= 3)

    @property
    def conn(self):
        """The openstacksdk connection (authenticates on first API use)."""
        if self._conn is None:
            self._conn = openstack.connect(**connect_kwargs(self.params))
            try:
                self.secrets |= config_secrets(self._conn.config.config)
            # best effort: extra masking only
            except Exception:  # pylint: disable=broad-except
                pass
        return self._conn

    def remember_token(self):
        """Add the current token to the masked values (never returned; defence in depth)."""
        try:
            # the cached token only: asking the plugin for one could re-authenticate over the network
            auth_ref = getattr(self._conn.session.auth, 'auth_ref', None) if self._conn is not None else None
            token = getattr(auth_ref, 'auth_token', None)
        except Exception:  # pylint: disable=broad-except
            token = None
        if token:
            self.secrets.add(token)

    def run(self):
        raise NotImplementedError

    def known_auth_url(self):
        """The Keystone URL the module was pointed at, as far as it is known (for error results)."""
        candidates = [(self.params.get('auth') or {}).get('auth_url')]
        cloud = self.params.get('cloud')
        if isinstance(cloud, dict):
            candidates.append((cloud.get('auth') or {}).get('auth_url'))
        if self._conn is not None:
            try:
                candidates.append((self._conn.config.config.get('auth') or {}).get('auth_url'))
            except Exception:  # pylint: disable=broad-except
                pass
        return next((c for c in candidates if c), None)

    def error_result(self, exc):
        result = dict(self.empty_result)
        result.update(status='error', error=classify_error(exc))
        auth_url = self.known_auth_url()
        if auth_url and 'identity' in result:
            result['identity'] = dict(result.get('identity') or {}, auth_url=mask_url(auth_url))
        return result

    def __call__(self):
        if not HAS_OPENSTACKSDK:
            # an error result, as for an unreachable Keystone: the audit goes on, the report says what to install where
            result = dict(self.empty_result)
            result.update(status='error', error=missing_library('openstacksdk', alternative='run the module on a host that has it'))
            self.module.exit_json(changed=False, **clean(result))
        limit = overall_deadline(self.params)
        try:
            # keystoneauth bounds every socket operation by api_timeout (connect and read), not a
            # request: a peer trickling bytes would hold it for ever. The whole run (discovery,
            # authentication, every API call) runs in a daemon thread joined with the deadline.
            result = _deadline.call(self.run, limit)
        except _deadline.DeadlineExceeded:
            result = dict(self.empty_result)
            result.update(status='error', error={'kind': 'timeout', 'message': limit.message() + (
                ' (api_timeout %ss per request; a peer that answers too slowly or trickles its answer)' % self.params.get('api_timeout'))})
        # one unreadable cloud must not stop the audit
        except Exception as exc:  # pylint: disable=broad-except
            result = self.error_result(exc)
        finally:
            self.remember_token()
            if self._conn is not None:
                try:
                    self._conn.close()
                except Exception:  # pylint: disable=broad-except
                    pass
        result = mask_secrets(result, extra_values=sorted(self.secrets, key=len, reverse=True))
        self.module.exit_json(changed=False, **clean(result))


__all__ = ['OpenStackInfoModule', 'OPENSTACK_ARGUMENT_SPEC', 'classify_error', 'connect_kwargs', 'auth_secrets',
           'config_secrets', 'HAS_OPENSTACKSDK', 'MASK']
