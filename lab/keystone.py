# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A real Keystone (HTTPS, private CA) on 127.0.0.1, and a mixed service catalog to audit.

Keystone runs from its own virtualenv (Keystone needs Python >= 3.11 and pulls ~200 MB of
dependencies the collection must not depend on). Install it once, idempotently (a no-op taking
well under a second when already done)::

    .venv/bin/python -m lab.keystone install          # or: python3 -m lab.keystone install

The virtualenv lives in ``$SCS_KEYSTONE_VENV`` or ``<repo>/.venv-keystone`` (ignored by git, so
ansible-test and the linters never walk it); ``scripts/bootstrap.sh`` builds the same environment
from ``requirements/keystone.txt`` with the same stamp file.

    ks = start_keystone('/tmp/x/keystone')     # sqlite, fernet, bootstrap, gunicorn over HTTPS (~15 s)
    ks.auth_url, ks.ca_file, ks.admin_password, ks.cloud()   # openstacksdk connect() kwargs
    fe = start_frontends('/tmp/x/fe', ks.ca, upstream=ks)    # nginx: good TLS / weak TLS / plain HTTP
    expected = register_mixed_catalog(ks, fe)                 # endpoints + the verdict each must get
    fe.stop(); ks.stop()
"""

from __future__ import absolute_import, division, print_function

import hashlib
import json
import os
import secrets
import shutil
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.request

from lab.pki import CA
from lab.proc import LabError, Process, free_port, wait_port

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PACKAGES = ('keystone', 'gunicorn')
REQUIREMENTS = os.path.join(REPO, 'requirements', 'keystone.txt')
STAMP = '.requirements.sha256'  # same stamp as scripts/bootstrap.sh writes


def venv_dir():
    """Where Keystone's own virtualenv lives: ``$SCS_KEYSTONE_VENV`` or ``<repo>/.venv-keystone``."""
    return os.environ.get('SCS_KEYSTONE_VENV') or os.path.join(REPO, '.venv-keystone')


def _bin(name):
    return os.path.join(venv_dir(), 'bin', name)


def _requirements():
    """(pip arguments, sha256 of the requirement text) from requirements/keystone.txt, else PACKAGES."""
    if os.path.exists(REQUIREMENTS):
        with open(REQUIREMENTS, 'rb') as handle:
            return ['-r', REQUIREMENTS], hashlib.sha256(handle.read()).hexdigest()
    return list(PACKAGES), hashlib.sha256(('\n'.join(PACKAGES) + '\n').encode('ascii')).hexdigest()


def _base_python():
    """A Python >= 3.11 to build the virtualenv with (Keystone's own requirement)."""
    candidates = [os.environ.get('SCS_KEYSTONE_PYTHON'), '/usr/bin/python3', shutil.which('python3.13'),
                  shutil.which('python3.12'), shutil.which('python3.11'), shutil.which('python3')]
    for path in candidates:
        if not path or not os.access(path, os.X_OK):
            continue
        out = subprocess.run([path, '-c', 'import sys, venv; print("%d.%d" % sys.version_info[:2])'],
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, universal_newlines=True, check=False)
        if out.returncode == 0 and tuple(int(x) for x in out.stdout.strip().split('.')) >= (3, 11):
            return path
    raise LabError('no Python >= 3.11 with the venv module found for Keystone (set SCS_KEYSTONE_PYTHON)')


def available():
    """None when Keystone can be started here, else the reason it cannot (and how to fix it)."""
    for name in ('keystone-manage', 'gunicorn', 'python'):
        if not os.access(_bin(name), os.X_OK):
            return ('Keystone is not installed in %s (missing bin/%s): run `python3 -m lab.keystone install` '
                    '(or scripts/bootstrap.sh) from the repository root' % (venv_dir(), name))
    if not shutil.which('nginx') and not os.access('/usr/sbin/nginx', os.X_OK):
        return 'nginx is not installed (Debian package nginx-light)'
    return None


def install(force=False, quiet=True):
    """Create the virtualenv and install Keystone and gunicorn; a no-op (~0.1 s) when already done."""
    args, digest = _requirements()
    stamp = os.path.join(venv_dir(), STAMP)
    if not force and available() is None and os.path.exists(stamp):
        with open(stamp) as handle:
            if handle.read().strip() == digest:
                return False
    python = _base_python()
    if force and os.path.isdir(venv_dir()):
        shutil.rmtree(venv_dir())
    if not os.access(_bin('python'), os.X_OK):
        os.makedirs(os.path.dirname(venv_dir()), exist_ok=True)
        subprocess.run([python, '-m', 'venv', venv_dir()], check=True)
    cmd = [_bin('python'), '-m', 'pip', 'install', '--disable-pip-version-check'] + (['-q'] if quiet else []) + args
    subprocess.run(cmd, check=True)
    with open(stamp, 'w') as handle:
        handle.write(digest + '\n')
    return True


WSGI_WRAPPER = '''\
import sys; sys.argv = sys.argv[:1]  # oslo.config parses sys.argv: hide gunicorn's flags from it
from keystone.wsgi.api import application  # noqa: E402,F401
'''

KEYSTONE_CONF = '''\
[DEFAULT]
log_file = {workdir}/keystone.log
debug = false

[database]
connection = sqlite:///{workdir}/keystone.db

[token]
provider = fernet

[fernet_tokens]
key_repository = {workdir}/fernet-keys

[fernet_receipts]
key_repository = {workdir}/fernet-keys

[credential]
key_repository = {workdir}/credential-keys

[cache]
enabled = false

[oslo_policy]
enforce_new_defaults = true
enforce_scope = false
'''


class Keystone(object):
    """A running Keystone; ``cloud()`` gives openstacksdk ``connect()`` keyword arguments."""

    def __init__(self, **kwargs):
        self.__dict__.update(kwargs)
        self._stopped = False

    def cloud(self, password=None, username=None, project_name=None, auth_url=None, cacert=True, **extra):
        """A clouds.yaml-style cloud dict (also accepted by ``openstack.connect(**cloud)``)."""
        cloud = {
            'auth': {
                'auth_url': auth_url or self.auth_url,
                'username': username or self.admin_user,
                'password': self.admin_password if password is None else password,
                'project_name': project_name or self.admin_project,
                'user_domain_name': 'Default',
                'project_domain_name': 'Default',
            },
            'region_name': self.region,
            'identity_api_version': '3',
            'interface': 'public',
            'api_timeout': 20,
        }
        if cacert:
            cloud['cacert'] = self.ca_file
        cloud.update(extra)
        return cloud

    def connect(self, **kwargs):
        """An openstacksdk connection (from the caller's Python) as the admin, or as ``kwargs`` say."""
        import openstack  # the test/demo Python has openstacksdk; Keystone's venv is separate
        return openstack.connect(load_yaml_config=False, load_envvars=False, **self.cloud(**kwargs))

    def write_clouds_yaml(self, path, name='lab', **kwargs):
        """Write a clouds.yaml (JSON is valid YAML) holding this Keystone as cloud ``name``."""
        with open(path, 'w') as handle:
            json.dump({'clouds': {name: self.cloud(**kwargs)}}, handle, indent=2)
        os.chmod(path, 0o600)
        return path

    def stop(self):
        if not self._stopped:
            self._stopped = True
            self.process.stop()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


def _issue(ca, name, host):
    """A server leaf for localhost + ``host`` that WebPKI verifiers accept (with AKI/SKI; ``lab.pki`` leaves lack
    them, and the TLS probe's path validation -- like sslyze's -- rejects a leaf without AKI)."""
    leaf = ca.issue(name, sans=('localhost', host))
    from lab.tls_servers import _webpki_leaf  # pylint: disable=import-outside-toplevel
    _webpki_leaf(ca, leaf)
    return leaf


def _manage(conf, workdir, *args, env=None):
    cmd = [_bin('keystone-manage'), '--config-file', conf] + list(args)
    out = subprocess.run(cmd, cwd=workdir, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         universal_newlines=True, timeout=300, check=False)
    if out.returncode != 0:
        # keystone-manage bootstrap echoes nothing secret; the password comes from the environment
        raise LabError('keystone-manage %s failed (%s):\n%s' % (args[0], out.returncode, out.stdout[-3000:]))
    return out.stdout


def _wait_http(url, ca_file, timeout, proc, log):
    ctx = ssl.create_default_context(cafile=ca_file)
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        if proc is not None and not proc.alive():
            raise LabError('keystone exited before answering %s (log %s)' % (url, log))
        try:
            with urllib.request.urlopen(url, context=ctx, timeout=5) as resp:
                if resp.status in (200, 300):
                    return
        except urllib.error.HTTPError as exc:
            if exc.code in (200, 300):
                return
            last = exc
        except (OSError, ssl.SSLError) as exc:
            last = exc
        time.sleep(0.2)
    raise LabError('keystone did not answer %s within %ss: %s (log %s)' % (url, timeout, last, log))


def start_keystone(workdir, ca=None, port=None, host='127.0.0.1', region='RegionOne',
                   public_url=None, internal_url=None, admin_url=None, admin_password=None, timeout=60):
    """Start Keystone over HTTPS in ``workdir``; the identity endpoints default to its own URL."""
    reason = available()
    if reason:
        raise LabError(reason)
    workdir = os.path.abspath(workdir)
    os.makedirs(workdir, exist_ok=True)
    ca = ca or CA(os.path.join(workdir, 'pki'))
    leaf = _issue(ca, 'keystone', host)
    port = port or free_port(host)
    url = 'https://%s:%d/v3' % (host, port)
    password = admin_password or secrets.token_urlsafe(18)
    conf = os.path.join(workdir, 'keystone.conf')
    for sub in ('fernet-keys', 'credential-keys'):
        os.makedirs(os.path.join(workdir, sub), mode=0o700, exist_ok=True)
    with open(conf, 'w') as handle:
        handle.write(KEYSTONE_CONF.format(workdir=workdir))
    with open(os.path.join(workdir, 'scs_keystone_wsgi.py'), 'w') as handle:
        handle.write(WSGI_WRAPPER)
    env = dict(os.environ, LC_ALL='C', OS_KEYSTONE_CONFIG_FILES=conf, OS_BOOTSTRAP_PASSWORD=password)
    env.pop('PYTHONPATH', None)
    _manage(conf, workdir, 'db_sync', env=env)
    _manage(conf, workdir, 'fernet_setup', '--keystone-user', 'root', '--keystone-group', 'root', env=env)
    _manage(conf, workdir, 'credential_setup', '--keystone-user', 'root', '--keystone-group', 'root', env=env)
    _manage(conf, workdir, 'bootstrap', '--bootstrap-username', 'admin', '--bootstrap-project-name', 'admin',
            '--bootstrap-role-name', 'admin', '--bootstrap-region-id', region,
            '--bootstrap-public-url', public_url or url, '--bootstrap-internal-url', internal_url or url,
            '--bootstrap-admin-url', admin_url or url, env=env)
    env.pop('OS_BOOTSTRAP_PASSWORD')
    log = os.path.join(workdir, 'gunicorn.log')
    proc = Process('keystone', [_bin('gunicorn'), '--no-control-socket', '-b', '%s:%d' % (host, port), '-w', '1',
                                '--timeout', '120', '--graceful-timeout', '3', '--certfile', leaf.chain, '--keyfile', leaf.key,
                                '--chdir', workdir, 'scs_keystone_wsgi:application'], log, cwd=workdir, env=env)
    try:
        wait_port(host, port, timeout=timeout, proc=proc.popen, name='keystone (gunicorn)', log=log)
        _wait_http(url, ca.cert, timeout, proc, log)
    except Exception:
        proc.stop()
        raise
    return Keystone(workdir=workdir, host=host, port=port, url=url, auth_url=url, ca=ca, ca_file=ca.cert,
                    region=region, admin_user='admin', admin_project='admin', admin_password=password,
                    conf=conf, log=log, process=proc)


# --------------------------------------------------------------------------------------------
# TLS frontends in front of Keystone (one nginx, three listeners)

# Mozilla "intermediate" 5.7 TLS 1.2 suites nginx can serve without DH parameters, and the
# groups Mozilla lists (nginx's OpenSSL default would add X448/P-521/FFDHE and fail the check).
GOOD_CIPHERS = ('ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:'
                'ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305')
GOOD_CURVES = 'X25519:prime256v1:secp384r1'

NGINX_CONF = '''\
daemon off;
{user}worker_processes 1;
pid {d}/nginx.pid;
error_log {d}/error.log warn;
events {{ worker_connections 256; }}
http {{
  access_log {d}/access.log;
  client_body_temp_path {d}/tmp-body;
  proxy_temp_path {d}/tmp-proxy;
  fastcgi_temp_path {d}/tmp-fastcgi;
  uwsgi_temp_path {d}/tmp-uwsgi;
  scgi_temp_path {d}/tmp-scgi;
  proxy_set_header Host $http_host;
  proxy_ssl_trusted_certificate {ca};
  proxy_ssl_verify on;
  proxy_ssl_name localhost;
  proxy_read_timeout 120s;

  # conformant: Mozilla intermediate (TLS 1.2 + 1.3, AEAD suites, X25519/P-256/P-384)
  server {{
    listen {host}:{good} ssl;
    server_name localhost;
    ssl_certificate {cert};
    ssl_certificate_key {key};
    ssl_protocols TLSv1.2 TLSv1.3;
    ssl_ciphers {good_ciphers};
    ssl_ecdh_curve {good_curves};
    ssl_prefer_server_ciphers off;
    ssl_session_timeout 1d;
    ssl_session_cache shared:good:1m;
    ssl_session_tickets off;
    add_header Strict-Transport-Security "max-age=63072000" always;
    location / {{ proxy_pass {upstream}; }}
  }}

  # non-conformant: TLS 1.0/1.1 and every cipher OpenSSL still has
  server {{
    listen {host}:{weak} ssl;
    server_name localhost;
    ssl_certificate {cert};
    ssl_certificate_key {key};
    ssl_protocols TLSv1 TLSv1.1 TLSv1.2;
    ssl_ciphers ALL:@SECLEVEL=0;
    location / {{ proxy_pass {upstream}; }}
  }}

  # plain HTTP
  server {{
    listen {host}:{plain};
    server_name localhost;
    location / {{ proxy_pass {upstream}; }}
  }}
}}
'''


class Frontends(object):
    """Ports of the three listeners; ``stop()`` ends nginx."""

    def __init__(self, **kwargs):
        self.__dict__.update(kwargs)

    def stop(self):
        self.process.stop()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


def start_frontends(workdir, ca, upstream, host='127.0.0.1'):
    """nginx with a Mozilla-conformant TLS listener, a weak TLS one and plain HTTP, all proxying to
    ``upstream`` (a Keystone handle or a URL like ``https://127.0.0.1:5000``)."""
    nginx = shutil.which('nginx') or '/usr/sbin/nginx'
    workdir = os.path.abspath(workdir)
    os.makedirs(workdir, exist_ok=True)
    leaf = _issue(ca, 'api-frontend', host)
    if isinstance(upstream, Keystone):
        upstream = 'https://%s:%d' % (upstream.host, upstream.port)
    ports = dict(good=free_port(host), weak=free_port(host), plain=free_port(host))
    while len(set(ports.values())) < 3:
        ports = dict(good=free_port(host), weak=free_port(host), plain=free_port(host))
    conf = os.path.join(workdir, 'nginx.conf')
    with open(conf, 'w') as handle:
        # as root the worker would run as "nobody" and could not write proxy buffers into the temp dir
        user = 'user root;\n' if os.geteuid() == 0 else ''
        handle.write(NGINX_CONF.format(d=workdir, host=host, cert=leaf.chain, key=leaf.key, ca=ca.cert, user=user,
                                       upstream=upstream, good_ciphers=GOOD_CIPHERS, good_curves=GOOD_CURVES, **ports))
    log = os.path.join(workdir, 'nginx.log')
    proc = Process('nginx', [nginx, '-e', os.path.join(workdir, 'error.log'), '-p', workdir, '-c', conf], log, cwd=workdir)
    try:
        for port in ports.values():
            wait_port(host, port, timeout=15, proc=proc.popen, name='nginx', log=os.path.join(workdir, 'error.log'))
    except Exception:
        proc.stop()
        raise
    return Frontends(host=host, ca_file=ca.cert, process=proc, workdir=workdir, **ports)


# --------------------------------------------------------------------------------------------
# The mixed catalog

def mixed_catalog(ks, fe, closed_port, ignored_port):
    """The endpoints ``register_mixed_catalog`` creates, each with the finding it must get.

    ``expect`` is the status of the api-public-tls (public) or api-internal-tls (internal, admin)
    finding; ``why`` names the reason the finding's message must carry.
    """
    good = 'https://localhost:%d' % fe.good
    weak = 'https://localhost:%d' % fe.weak
    plain = 'http://127.0.0.1:%d' % fe.plain
    refused = 'https://localhost:%d' % closed_port
    region = ks.region
    rows = [
        # (service type, name, interface, region, url, expect, why, enabled)
        ('identity', 'keystone', 'public', region, good + '/v3', 'pass', 'passes Mozilla', True),
        ('identity', 'keystone', 'internal', region, good + '/v3', 'pass', 'passes Mozilla', True),
        ('identity', 'keystone', 'admin', region, good + '/v3', 'pass', 'passes Mozilla', True),
        ('compute', 'nova', 'public', region, weak + '/v2.1', 'fail', 'tls_versions', True),
        ('compute', 'nova', 'internal', region, plain + '/v2.1', 'fail', 'http://', True),
        ('compute', 'nova', 'admin', region, plain + '/v2.1', 'fail', 'http://', True),
        ('image', 'glance', 'public', region, good + '/image', 'pass', 'passes Mozilla', True),
        ('image', 'glance', 'internal', region, refused + '/image', 'error', 'refused', True),
        ('network', 'neutron', 'public', region, plain + '/network', 'fail', 'http://', True),
        ('network', 'neutron', 'internal', region, weak + '/network', 'fail', 'tls_versions', True),
        ('volumev3', 'cinderv3', 'public', region, 'https://127.0.0.1:70000/volume/v3/$(project_id)s', 'error',
         'port', True),
        ('volumev3', 'cinderv3', 'internal', region, good + '/volume/v3/$(project_id)s', 'pass', 'passes Mozilla', True),
        ('placement', 'placement', 'public', 'RegionTwo', good + '/placement', 'pass', 'passes Mozilla', True),
        ('placement', 'placement', 'internal', 'RegionTwo', weak + '/placement', 'fail', 'tls_versions', False),
        ('object-store', 'swift', 'public', region, 'https://127.0.0.2:%d/swift/v1' % ignored_port, 'not_applicable',
         'decommissioned', True),
    ]
    keys = ('service_type', 'service_name', 'interface', 'region', 'url', 'expect', 'why', 'enabled')
    return [dict(zip(keys, row)) for row in rows]


def register_mixed_catalog(ks, fe, closed_port=None, ignored_port=None):
    """Replace the identity endpoints and add services so the catalog mixes good TLS, weak TLS,
    plain HTTP, a closed port, a malformed URL, a disabled endpoint and an ignored one.

    Returns ``(rows, ignore)``: ``mixed_catalog()`` rows (with the endpoint ``id``) and the
    ``audit_api_ignore`` list the expectations assume.
    """
    closed_port = closed_port or free_port()
    ignored_port = ignored_port or free_port()
    rows = mixed_catalog(ks, fe, closed_port, ignored_port)
    conn = ks.connect()
    try:
        regions = set(r.id for r in conn.identity.regions())
        services = dict((s.type, s) for s in conn.identity.services())
        for row in rows:
            if row['region'] not in regions:
                conn.identity.create_region(id=row['region'])
                regions.add(row['region'])
            if row['service_type'] not in services:
                services[row['service_type']] = conn.identity.create_service(
                    name=row['service_name'], type=row['service_type'], is_enabled=True)
        # the bootstrap identity endpoints point at Keystone itself: replace them
        for endpoint in list(conn.identity.endpoints(service_id=services['identity'].id)):
            conn.identity.delete_endpoint(endpoint)
        for row in rows:
            endpoint = conn.identity.create_endpoint(service_id=services[row['service_type']].id, interface=row['interface'],
                                                     region_id=row['region'], url=row['url'], is_enabled=row['enabled'])
            row['id'] = endpoint.id
    finally:
        conn.close()
    ignore = [{'endpoint': '127.0.0.2:%d' % ignored_port, 'reason': 'decommissioned, DNS entry pending removal'}]
    return rows, ignore


def create_member(ks, name='auditor', project='audit'):
    """A user with only the ``member`` role on its own project (no admin API access); returns its password."""
    password = secrets.token_urlsafe(18)
    conn = ks.connect()
    try:
        proj = conn.identity.create_project(name=project, domain_id='default')
        user = conn.identity.create_user(name=name, password=password, domain_id='default', default_project_id=proj.id)
        role = conn.identity.find_role('member', ignore_missing=False)
        conn.identity.assign_project_role_to_user(proj, user, role)
    finally:
        conn.close()
    return password


def create_system_reader(ks, name='catalog-reader'):
    """A user with the ``reader`` role on the system scope: may list every endpoint, may change nothing.

    Returns its password; authenticate with ``auth: {..., system_scope: all}`` (no project).
    """
    password = secrets.token_urlsafe(18)
    conn = ks.connect()
    try:
        user = conn.identity.create_user(name=name, password=password, domain_id='default')
        conn.identity.assign_system_role_to_user(user=user, role=conn.identity.find_role('reader', ignore_missing=False), system='all')
    finally:
        conn.close()
    return password


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ['install']:
        changed = install(force='--force' in argv, quiet='--verbose' not in argv)
        print('keystone venv %s: %s' % (venv_dir(), 'installed' if changed else 'already installed'))
        return 0
    if argv[:1] == ['available']:
        reason = available()
        print(reason or 'ok')
        return 1 if reason else 0
    print('usage: python -m lab.keystone install [--force] [--verbose] | available', file=sys.stderr)
    return 2


if __name__ == '__main__':
    sys.exit(main())
