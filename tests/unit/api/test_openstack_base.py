# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The OpenStack module base: connect() arguments, secret collection, error classification."""

from __future__ import absolute_import, division, print_function

import pytest
from keystoneauth1 import exceptions as ksa
from openstack import exceptions as sdk

from ansible_collections.scs.secure_connections.plugins.module_utils._gather import openstack as base

BASE_PARAMS = dict(cloud=None, auth_type=None, auth=None, region_name=None, interface=None, validate_certs=None,
                   ca_cert=None, client_cert=None, client_key=None, api_timeout=30)


def _params(**kw):
    out = dict(BASE_PARAMS)
    out.update(kw)
    return out


CONNECT_CASES = [
    (_params(cloud='prod'), {'cloud': 'prod', 'api_timeout': 30}),
    (_params(cloud='prod', validate_certs=False, interface='internal', region_name='R2'),
     {'cloud': 'prod', 'api_timeout': 30, 'verify': False, 'interface': 'internal', 'region_name': 'R2'}),
    (_params(auth={'auth_url': 'https://k/v3', 'password': 'x'}, auth_type='password', ca_cert='/ca.pem',
             client_cert='/c.pem', client_key='/c.key', api_timeout=5),
     {'auth': {'auth_url': 'https://k/v3', 'password': 'x'}, 'auth_type': 'password', 'cacert': '/ca.pem',
      'cert': '/c.pem', 'key': '/c.key', 'api_timeout': 5}),
    (_params(cloud={'auth': {'auth_url': 'https://k/v3'}, 'cacert': '/a.pem'}, ca_cert='/b.pem'),
     {'auth': {'auth_url': 'https://k/v3'}, 'cacert': '/b.pem', 'load_yaml_config': False, 'load_envvars': False,
      'api_timeout': 30}),
    (_params(cloud={'auth': {'auth_url': 'https://k/v3'}, 'load_envvars': True}),
     {'auth': {'auth_url': 'https://k/v3'}, 'load_yaml_config': False, 'load_envvars': True, 'api_timeout': 30}),
    (_params(), {'api_timeout': 30}),
]


@pytest.mark.parametrize('params,expected', CONNECT_CASES)
def test_connect_kwargs(params, expected):
    assert base.connect_kwargs(params) == expected


SECRET_CASES = [
    ({'auth_url': 'https://k/v3', 'username': 'admin', 'password': 'pw1', 'project_name': 'admin'}, {'pw1'}),
    ({'application_credential_id': 'ac-id', 'application_credential_secret': 'acs'}, {'acs'}),
    ({'token': 'gAAAA-token'}, {'gAAAA-token'}),
    ({'username': 'u', 'passcode': '123456', 'unknown_key': 'treated-as-secret'}, {'123456', 'treated-as-secret'}),
    ({'client_id': 'cid', 'client_secret': 'cs', 'access_token': 'at'}, {'cs', 'at'}),
    (None, set()),
]


@pytest.mark.parametrize('auth,secrets', SECRET_CASES)
def test_auth_secrets(auth, secrets):
    assert base.auth_secrets(auth) == secrets


def test_config_secrets_walks_auth_and_secret_keys():
    cloud = {'auth': {'username': 'admin', 'password': 'pw1'}, 'region_name': 'R', 'interface': 'public',
             'profile': {'api_key': 'k1'}, 'password': 'pw2', 'cacert': '/etc/ca.pem'}
    assert base.config_secrets(cloud) == {'pw1', 'k1', 'pw2'}


def _with_status(exc, code):
    exc.status_code = code
    return exc


def _chained(outer, inner):
    try:
        try:
            raise inner
        except Exception as exc:
            raise outer from exc
    except Exception as exc:  # noqa: B902
        return exc


CLASSIFY_CASES = [
    (ksa.SSLError('certificate verify failed'), 'tls', 'ca_cert'),
    (ksa.ConnectFailure('Unable to establish connection: refused'), 'unreachable', 'refused'),
    (ksa.ConnectTimeout('timed out'), 'timeout', 'timed out'),
    (ksa.DiscoveryFailure('Could not find versioned identity endpoints'), 'discovery', 'versioned'),
    (ksa.MissingRequiredOptions([]), 'config', ''),
    (sdk.ConfigException('Cloud prod was not found.'), 'config', 'prod was not found'),
    (ksa.Unauthorized('The request you have made requires authentication.'), 'auth', 'check the user name'),
    (sdk.ForbiddenException(message='You are not authorized'), 'forbidden', 'not authorized'),
    (sdk.NotFoundException(message='nope'), 'not_found', 'nope'),
    (_with_status(sdk.HttpException(message='boom'), 500), 'http', 'boom'),
    (_with_status(sdk.HttpException(message='denied'), 401), 'auth', 'denied'),
    (sdk.SDKException('odd'), 'sdk', 'odd'),
    (_chained(sdk.SDKException('wrapped'), ksa.SSLError('bad cert')), 'tls', 'wrapped'),
    (KeyError('x'), 'internal', 'KeyError'),
]


@pytest.mark.parametrize('exc,kind,text', CLASSIFY_CASES)
def test_classify_error(exc, kind, text):
    out = base.classify_error(exc)
    assert out['kind'] == kind
    assert text in out['message']
    assert '\n' not in out['message']
