# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Rules of the database channel (scs-0125-db-*).

Evidence used, per host:

* ``db.servers``: ``mysql_tls_info`` results (one per server queried from this host);
* ``db.tls.endpoints``: ``tls_endpoint_info`` results for the database ports (``starttls: mysql``),
  matched to a server by ``label`` (the audit role gives probe and query the same label), else by port;
* ``db.client_ca_files``: ``[{path, container, exists, is_file, readable, where, error}]``, the
  ``ssl_ca`` / ``sslrootcert`` files named by this host's service database URLs, checked on the node
  (or inside the service's container);
* ``db.query``: ``{enabled, reason}``: whether this host was chosen to query a server, and why;
* ``discovery.services[*].database_urls`` and ``discovery.infrastructure.mysql`` (``[sst]`` options).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.scs.secure_connections.plugins.module_utils._core.catalog import remediation_text
from ansible_collections.scs.secure_connections.plugins.module_utils._core.words import parse_bool
from ansible_collections.scs.secure_connections.plugins.module_utils._rules.common import broken_input, discovery_absence, input_errors, judge_probe

SERVER_TLS = 'scs-0125-db-server-tls'
CLIENT_TLS = 'scs-0125-db-client-tls'
REQUIRE_SSL = 'scs-0125-db-require-ssl'
X509_AUTH = 'scs-0125-db-x509-auth'
REPLICATION_TLS = 'scs-0125-db-replication-tls'

# Boolean words of database URL query values (``ssl_disabled``, ``ssl``, ``ssl_verify_cert``, ...), for
# ``_core/words.parse_bool``: the words SQLAlchemy's ``asbool`` (true/yes/on/y/t/1) and PyMySQL's
# ``ssl_verify_cert`` strings (required/none ...) use, and their neighbours. Kept as it was: what each
# driver does with every other word was not verified.
URL_WORDS = (('1', 'true', 'yes', 'on', 'y', 't', 'enabled', 'enable', 'required', 'require'),
             ('0', 'false', 'no', 'off', 'n', 'f', 'disabled', 'disable'))
# PyMySQL's _create_ssl_ctx: the ssl_verify_cert words that verify the server (optional is CERT_OPTIONAL, which a
# client treats as CERT_REQUIRED); every other word gives CERT_NONE once the CA was dropped (see pymysql_url_problems).
PYMYSQL_VERIFY = ('required', '1', 'true', 'yes', 'optional')
MYSQL_DIALECTS = ('mysql', 'mariadb')
POSTGRES_DIALECTS = ('postgresql', 'postgres', 'pgsql')
OLD_TLS = ('SSLv2', 'SSLv3', 'TLSv1', 'TLSv1.0', 'TLSv1.1')
CERT_SSL_TYPES = ('X509',)
REQUIRE_SSL_TYPES = ('ANY', 'X509', 'SPECIFIED')


# ----------------------------------------------------------------------------------------------
# helpers (pure, unit-tested)

def _word(value):
    """Last value of a query parameter (lists from parse_qs), as a lower-case stripped string or None."""
    if isinstance(value, (list, tuple)):
        value = value[-1] if value else None
    if value is None:
        return None
    if isinstance(value, bool):
        return 'true' if value else 'false'
    return str(value).strip()


def _url_bool(value):
    """True / False for a word of URL_WORDS, None when unset or another word."""
    return parse_bool(value, URL_WORDS, invalid=None)


def url_dialect(entry):
    """``mysql`` / ``postgresql`` / ``sqlite`` / other scheme of a discovery database URL entry."""
    dialect = entry.get('dialect')
    if not dialect:
        scheme = str(entry.get('url') or '').split('://', 1)[0] if '://' in str(entry.get('url') or '') else ''
        dialect = scheme.split('+', 1)[0]
    dialect = str(dialect or '').lower()
    if dialect in MYSQL_DIALECTS:
        return 'mysql'
    if dialect in POSTGRES_DIALECTS:
        return 'postgresql'
    if dialect.startswith('sqlite'):
        return 'sqlite'
    return dialect or 'unknown'


def url_query(entry):
    return dict((str(k).lower(), _word(v)) for k, v in (entry.get('query') or {}).items())


def mysql_url_tls(entry):
    """TLS settings of one MySQL database URL, judged without the file-existence check.

    Returns ``{kind, problems: [str], notes: [str], ssl_ca, ssl_cert, ssl_key, unix_socket}``.
    ``problems`` empty means TLS with a CA is configured (the CA file still has to exist).
    """
    query = url_query(entry)
    problems, notes = [], []
    ssl_ca = query.get('ssl_ca') or None
    unix_socket = query.get('unix_socket') or None
    for key in ('ssl_disabled',):
        if _url_bool(query.get(key)) is True:
            problems.append('%s=%s turns TLS off' % (key, query[key]))
    if _url_bool(query.get('ssl')) is False:
        problems.append('ssl=%s turns TLS off' % query['ssl'])
    mode = query.get('ssl_mode')
    if mode is not None and mode.upper() == 'DISABLED':
        problems.append('ssl_mode=%s turns TLS off' % mode)
    elif mode is not None and mode.upper() == 'PREFERRED':
        notes.append('ssl_mode=PREFERRED falls back to plain text if the server offers no TLS')
    pymysql = _url_driver(entry) == 'pymysql'
    if pymysql:
        problems.extend(pymysql_url_problems(query))
        if ssl_ca and not problems and (query.get('ssl_verify_cert') or query.get('ssl_verify_identity')):
            notes.append('PyMySQL verifies the server against the system trust store, not ssl_ca, and without its host name: given ssl_verify_cert or '
                         'ssl_verify_identity it replaces the ssl settings SQLAlchemy built from ssl_ca')
    elif _url_bool(query.get('ssl_verify_cert')) is False:
        problems.append('ssl_verify_cert=%s disables certificate verification' % query['ssl_verify_cert'])
    for key in ('ssl_check_hostname', 'ssl_verify_identity'):
        if _url_bool(query.get(key)) is False:
            notes.append('%s=%s: the server name is not checked against its certificate' % (key, query[key]))
    # PyMySQL turns TLS on for ssl_verify_cert alone and then verifies the server against the system trust store
    # (OpenStack-Ansible's URLs: ?ssl_verify_cert=true, its CA installed into the store); mysqlclient has no such option
    system_ca = not ssl_ca and 'ssl_ca' not in query and pymysql and (query.get('ssl_verify_cert') or '').lower() in PYMYSQL_VERIFY
    if 'ssl_ca' in query and not ssl_ca:
        problems.append('ssl_ca is empty')
    elif not ssl_ca and not system_ca:
        problems.append('no ssl_ca in the URL')
    return {'kind': 'mysql', 'problems': problems, 'notes': notes, 'ssl_ca': ssl_ca, 'ssl_cert': query.get('ssl_cert') or None,
            'ssl_key': query.get('ssl_key') or None, 'unix_socket': unix_socket, 'system_ca': system_ca}


def pymysql_url_problems(query):
    """What PyMySQL makes of the URL's ``ssl_disabled``, ``ssl_verify_cert`` and ``ssl_verify_identity``.

    SQLAlchemy (``dialects/mysql/mysqldb.py`` ``create_connect_args``) moves ``ssl_ca``, ``ssl_cert``, ``ssl_key``,
    ``ssl_capath``, ``ssl_cipher`` and ``ssl_check_hostname`` into the ``ssl`` dict and hands every other query value
    to PyMySQL as the raw string (empty values are dropped). PyMySQL's ``Connection`` then switches TLS off for any
    non-empty ``ssl_disabled`` (``if not ssl_disabled``: the string "false" is true), and, given ``ssl_verify_cert``
    or ``ssl_verify_identity``, replaces the ``ssl`` dict by one built from its own arguments, without the CA;
    ``_create_ssl_ctx`` verifies for required/1/true/yes (and optional) and gives ``CERT_NONE`` for every other
    word. Before PyMySQL 1.2, ``ssl_verify_identity`` without ``ssl_verify_cert`` means ``verify_mode`` False.
    Checked with SQLAlchemy 2.1 and PyMySQL 1.1.1 and 1.2.4.
    """
    problems = []
    disabled = query.get('ssl_disabled')
    if disabled:
        problems.append('ssl_disabled=%s turns TLS off (PyMySQL takes any non-empty ssl_disabled as true)' % disabled)
    verify = query.get('ssl_verify_cert')
    if verify and verify.lower() not in PYMYSQL_VERIFY:
        problems.append('ssl_verify_cert=%s disables certificate verification (PyMySQL does not verify the server for any word but '
                        'required/1/true/yes/optional)' % verify)
    elif query.get('ssl_verify_identity') and not verify:
        problems.append('ssl_verify_identity=%s without ssl_verify_cert: PyMySQL before 1.2 then drops ssl_ca and verifies nothing '
                        '(verify_mode False); remove ssl_verify_identity (with ssl_ca alone PyMySQL verifies the certificate against it and '
                        'the host name)' % query['ssl_verify_identity'])
    return problems


def _url_driver(entry):
    """The driver of a database URL entry (``pymysql`` of ``mysql+pymysql://``), lower case, or ''."""
    driver = entry.get('driver')
    if not driver:
        scheme = str(entry.get('url') or '').split('://', 1)[0]
        driver = scheme.split('+', 1)[1] if '+' in scheme else ''
    return str(driver).lower()


def postgres_url_tls(entry):
    query = url_query(entry)
    mode = (query.get('sslmode') or '').lower()
    problems = []
    if mode not in ('verify-full', 'verify-ca'):
        problems.append('sslmode=%s (verify-full or verify-ca needed)' % (mode or '<unset, libpq default prefer>'))
    return {'kind': 'postgresql', 'problems': problems, 'notes': [], 'ssl_ca': query.get('sslrootcert') or None,
            'ssl_cert': query.get('sslcert') or None, 'ssl_key': query.get('sslkey') or None, 'unix_socket': None,
            'sslmode': mode or None}


def ca_file_record(ca_files, path, container=None):
    """The existence record of ``path`` from ``db.client_ca_files`` (container-specific first)."""
    records = ca_files or []
    if isinstance(records, dict):  # tolerate {path: record}
        records = [dict(v, path=k) if isinstance(v, dict) else {'path': k, 'exists': v} for k, v in records.items()]
    fallback = None
    for record in records:
        if not isinstance(record, dict) or record.get('path') != path:
            continue
        if container and record.get('container') == container:
            return record
        if not record.get('container'):
            fallback = record
    return fallback


def service_container(service):
    """Container name of a kolla service entry (discovery's ``container``, else component dir ``nova-api`` -> ``nova_api``)."""
    if service.get('layout') != 'kolla':
        return None
    if service.get('container'):
        return str(service['container'])
    if service.get('component'):
        return str(service['component']).replace('-', '_')
    return None


def discovered_file_record(service, path):
    """Discovery's own existence check of ``path`` (``referenced_files``), as a CA record, or None."""
    for ref in service.get('referenced_files') or []:
        if isinstance(ref, dict) and ref.get('path') == path and ref.get('exists') is not None:
            where = 'on the node at %s' % ref['host_path'] if ref.get('host_path') and ref.get('host_path') != path else 'on the node'
            return {'path': path, 'container': None, 'where': 'discovery', 'where_text': where, 'exists': bool(ref['exists']),
                    'is_file': None, 'readable': None, 'error': None, 'host_path': ref.get('host_path')}
    return None


def find_ca_record(ca_files, service, path):
    """Existence evidence of a service's CA file: the check inside its container, else discovery's
    mapping of the path onto the node (kolla mounts, LXC rootfs), else the db channel's stat on the node
    (not used for kolla services: their paths are paths inside the container)."""
    container = service_container(service)
    if container:
        record = ca_file_record(ca_files, path, container)
        if record is not None and record.get('container') == container:
            return record
    record = discovered_file_record(service, path)
    if record is not None:
        return record
    if container:
        return None
    return ca_file_record(ca_files, path, None)


def iter_database_urls(ctx, host):
    """``(service_entry, url_entry)`` for every database URL discovery found on ``host``."""
    discovery = ctx.evidence(host, 'discovery', {})
    for service in discovery.get('services') or []:
        if not isinstance(service, dict):
            continue
        for entry in service.get('database_urls') or []:
            if isinstance(entry, dict):
                yield service, entry


def all_url_users(ctx):
    """``{user: [{host, service, entry, service_entry}]}`` over every host's MySQL database URLs."""
    users = {}
    for host in ctx.hosts:
        for service, entry in iter_database_urls(ctx, host):
            if url_dialect(entry) != 'mysql' or not entry.get('user'):
                continue
            users.setdefault(str(entry['user']), []).append({'host': host, 'service': service.get('service'), 'entry': entry,
                                                             'service_entry': service})
    return users


def account_requires_cert(account):
    ssl_type = account.get('ssl_type')
    return ssl_type == 'X509' or (ssl_type == 'SPECIFIED' and bool(account.get('x509_subject') or account.get('x509_issuer')))


def quote_account(user, host):
    return "'%s'@'%s'" % (str(user).replace("'", "\\'"), str(host).replace("'", "\\'"))


def server_name(server):
    """A readable name of a queried server: its label, else how it was reached."""
    if server.get('label'):
        return str(server['label'])
    conn = server.get('connection') or {}
    if conn.get('method') == 'container':
        return 'container %s' % conn.get('container')
    if conn.get('unix_socket'):
        return 'socket %s' % conn['unix_socket']
    port = server.get('port') or conn.get('port')
    return '%s:%s' % (conn.get('host') or 'localhost', port)


def _layout_hint(ctx, control_id, layout):
    control = ctx.controls[control_id]
    key = {'kolla': 'kolla_ansible', 'openstack_ansible': 'openstack_ansible', 'distro': 'distro'}.get(layout or '', None)
    hints = (control.get('remediation') or {}).get(key) if key else None
    if hints:
        return '; '.join(hints)
    return ' | '.join(remediation_text(control))


def _host_layout(ctx, host):
    layouts = ctx.evidence(host, 'discovery', {}).get('layouts') or []
    for layout in layouts:
        if isinstance(layout, dict) and layout.get('name'):
            return layout['name']
    return None


def _db(ctx, host):
    return ctx.evidence(host, 'db', {})


def _servers(ctx, host):
    return [s for s in (_db(ctx, host).get('servers') or []) if isinstance(s, dict)]


def _endpoints(ctx, host):
    return [e for e in ((_db(ctx, host).get('tls') or {}).get('endpoints') or []) if isinstance(e, dict)]


def _no_server_reason(ctx, host):
    query = _db(ctx, host).get('query') or {}
    reason = query.get('reason')
    return 'no database server was queried on this host%s' % (' (%s)' % reason if reason else '')


def _no_server_absence(ctx, host):
    """Evidence that no database server runs on ``host``, or None: discovery read the tree whole and found no
    MySQL/MariaDB option file with server options ([mysqld], [server], [galera], ...; a client-only file is no
    server) and (when it read the sockets) no listener on 3306/4567. Server option files that were not queried live
    are "configured, not observed": not_assessed, never not_applicable."""
    discovery = ctx.evidence(host, 'discovery') or {}
    option_files = (discovery.get('infrastructure') or {}).get('mysql') or []
    if not isinstance(_db(ctx, host).get('servers'), list) or any(isinstance(f, dict) and f.get('server') for f in option_files):
        return None
    if any(not isinstance(f, dict) or 'server' not in f for f in option_files):
        return None  # an option file parsed without its server part: what it configures is unknown
    ports = sorted(set(str(l.get('port')) for l in discovery.get('listeners') or [] if isinstance(l, dict)) & set(('3306', '4567')))
    if ports:
        return None
    sockets = ('no listener on 3306/4567 among %d sockets' % len(discovery.get('listeners') or [])
               if discovery.get('listeners_source') else 'sockets not read')
    return discovery_absence(ctx, host, 'no MySQL/MariaDB server options in any option file (%d read); %s' % (len(option_files), sockets),
                             needs=('mysql',))


def _no_server(ctx, control_id, host, more='', from_files=None, absent=True):
    """The findings of a host where no database server was queried, most certain first: an ``error`` when the server
    option files there could not be read whole (an include loop, an unreadable file: never a verdict from what
    survived); else the verdicts the option files decide (``from_files``); else, when ``absent``, ``not_applicable``
    with its evidence of absence (:func:`_no_server_absence`; without it the evaluator makes it ``not_assessed``)."""
    option_files = ((ctx.evidence(host, 'discovery') or {}).get('infrastructure') or {}).get('mysql') or []
    broken = broken_input(ctx, control_id, host, [f for f in option_files if isinstance(f, dict)], 'the database server option files')
    if broken:
        return [broken]
    if from_files or not absent:
        return list(from_files or [])
    return [ctx.finding(control_id, 'not_applicable', _no_server_reason(ctx, host) + more, host=host,
                        absence=_no_server_absence(ctx, host))]


def match_endpoints(servers, endpoints):
    """``({server index: [endpoints]}, [unmatched endpoints])``: by label first, then by port."""
    matched = dict((i, []) for i in range(len(servers)))
    rest = []
    for endpoint in endpoints:
        target = None
        for i, server in enumerate(servers):
            if server.get('label') and endpoint.get('label') == server.get('label'):
                target = i
                break
        if target is None:
            for i, server in enumerate(servers):
                port = server.get('port') or (server.get('connection') or {}).get('port')
                if port and endpoint.get('port') and int(endpoint['port']) == int(port):
                    target = i
                    break
        if target is None:
            rest.append(endpoint)
        else:
            matched[target].append(endpoint)
    return matched, rest


def endpoint_name(endpoint):
    return '%s:%s' % (endpoint.get('host'), endpoint.get('port'))


def probe_verdict(ctx, endpoint):
    """``(status, message)`` of one TLS probe result: pass / fail / error (judged by ``_rules/common.judge_probe``)."""
    name = endpoint_name(endpoint)
    verdict = judge_probe(ctx, endpoint)
    if not verdict['scanned']:
        error = verdict['error']
        kind = error.get('kind')
        if verdict['not_tls']:
            return 'fail', 'the TLS probe of %s found no TLS (%s: %s)' % (name, kind, error.get('message'))
        return 'error', 'the TLS probe of %s could not scan it (%s: %s)' % (name, kind, error.get('message'))
    level = verdict['level']
    if verdict['status'] == 'pass':
        return 'pass', 'the TLS probe of %s passes the Mozilla "%s" check' % (name, level)
    if verdict['status'] == 'fail':
        failed = ['%s (%s)' % (i.get('criterion'), i.get('message')) for i in verdict['failed']]
        return 'fail', 'the TLS probe of %s fails the Mozilla "%s" check: %s' % (name, level, '; '.join(failed))
    return 'error', 'the TLS probe of %s has no Mozilla verdict' % name


def server_tls_config(server):
    """``(ok, problems, facts)`` from the server variables alone."""
    problems = []
    have_ssl = server.get('have_ssl')
    ssl = server.get('ssl') or {}
    session = server.get('session') or {}
    if have_ssl == 'YES':
        pass
    elif have_ssl in ('DISABLED', 'NO'):
        why = 'not configured: no ssl_cert/ssl_key' if have_ssl == 'DISABLED' else 'not compiled in'
        problems.append('have_ssl = %s (TLS is %s)' % (have_ssl, why))
    elif have_ssl is None and session.get('tls'):
        pass  # MySQL >= 8.4 has no have_ssl; a TLS session proves TLS is on
    else:
        problems.append('have_ssl = %s' % have_ssl)
    if have_ssl == 'YES' or (have_ssl is None and session.get('tls')):
        if not ssl.get('ssl_cert') or not ssl.get('ssl_key'):
            problems.append('ssl_cert / ssl_key not set (a generated or built-in certificate is in use)')
        if not ssl.get('ssl_ca') and not ssl.get('ssl_capath'):
            problems.append('neither ssl_ca nor ssl_capath is set')
        old = [v for v in server.get('tls_versions') or [] if v in OLD_TLS]
        if old:
            problems.append('tls_version allows %s' % ', '.join(old))
    facts = {'have_ssl': have_ssl, 'ssl_cert': ssl.get('ssl_cert'), 'ssl_key': ssl.get('ssl_key'), 'ssl_ca': ssl.get('ssl_ca'),
             'ssl_capath': ssl.get('ssl_capath'), 'tls_version': server.get('tls_version'),
             'require_secure_transport': server.get('require_secure_transport'),
             'session_tls_version': session.get('ssl_version'), 'session_cipher': session.get('ssl_cipher'),
             'server_version': (server.get('server') or {}).get('version')}
    return not problems, problems, facts


def _error_message(server):
    error = server.get('error') or {}
    return '%s could not be queried (%s): %s' % (server_name(server), error.get('kind') or 'error', error.get('message') or 'no message')


def sst_tls(sections):
    """``(enabled True/False/None, reason)`` from the ``[sst]`` group of my.cnf (dict of options)."""
    if sections is None:
        return None, 'no [sst] options were read'
    sst = dict((str(k).lower().replace('-', '_'), v) for k, v in sections.items())
    if str(sst.get('encrypt') or '') in ('2', '3', '4'):
        return True, 'encrypt = %s' % sst['encrypt']
    if sst.get('tcert') and sst.get('tkey'):
        return True, 'tcert/tkey are set'
    if sst.get('ssl_cert') and sst.get('ssl_key'):
        return True, 'ssl_cert/ssl_key are set'
    mode = str(sst.get('ssl_mode') or '').upper()
    if mode in ('REQUIRED', 'VERIFY_CA', 'VERIFY_IDENTITY'):
        return True, 'ssl_mode = %s (uses the server certificate)' % mode
    if mode == 'DISABLED':
        return False, 'ssl_mode = DISABLED'
    return False, 'the [sst] group has no encrypt, tcert/tkey, ssl_cert/ssl_key or ssl_mode'


def discovered_sst_sections(ctx, host):
    """Effective ``[sst]`` options over the option files discovery parsed on ``host``, or None."""
    infra = ctx.evidence(host, 'discovery', {}).get('infrastructure') or {}
    found = None
    for parsed in infra.get('mysql') or []:
        if not isinstance(parsed, dict):
            continue
        sections = parsed.get('sections') or {}
        if isinstance(sections, dict) and isinstance(sections.get('sst'), dict):
            found = dict(found or {})
            found.update(sections['sst'])
        elif found is None and isinstance(sections, dict) and sections:
            found = {}
    return found


# ----------------------------------------------------------------------------------------------
# the server option files: the evidence when no server was queried on the host (a live query beats them)

def file_servers(ctx, host):
    """The option files discovery parsed on ``host`` that configure a server (server groups with options), each with the
    ``tls`` facts of the parser."""
    infra = (ctx.evidence(host, 'discovery', {}) or {}).get('infrastructure') or {}
    return [p for p in infra.get('mysql') or [] if isinstance(p, dict) and p.get('server') and isinstance(p.get('tls'), dict)]


def file_server_name(ctx, host, parsed):
    """``<file> (option files; <why no live query>)``: every finding from the files says so."""
    return '%s (option files; no live query: %s)' % (parsed.get('file'), (_db(ctx, host).get('query') or {}).get('reason')
                                                     or 'no database server was queried on this host')


def _file_errors(ctx, control_id, host, parsed, name):
    """An ``error`` finding when an option file could not be read completely: no verdict from a partial file."""
    errors = [e for e in parsed.get('errors') or [] if isinstance(e, dict)]
    if not errors:
        return None
    return ctx.finding(control_id, 'error', '%s: could not be read completely, no verdict from the part that was: %s' % (
        name, '; '.join('%s%s: %s' % (e.get('file'), ':%s' % e['line'] if e.get('line') else '', e.get('message')) for e in errors[:5])),
        host=host, file=parsed.get('file'), evidence={'errors': errors[:20]})


def _readable_file_servers(ctx, control_id, host, findings):
    """``(parsed, name)`` of each server option file on ``host`` read completely; an ``error`` finding into ``findings``
    for each one that was not."""
    for parsed in file_servers(ctx, host):
        name = file_server_name(ctx, host, parsed)
        error = _file_errors(ctx, control_id, host, parsed, name)
        if error:
            findings.append(error)
        else:
            yield parsed, name


def _file_server_tls_findings(ctx, host):
    findings = []
    for parsed, name in _readable_file_servers(ctx, SERVER_TLS, host, findings):
        tls = parsed['tls'].get('tls') or {}
        evidence = dict(tls, source='option files', files=parsed.get('files'))
        problems = []
        if tls.get('enabled') is not True:
            problems.append('TLS is %s (%s)' % ('off' if tls.get('enabled') is False else 'not configured with a certificate', tls.get('reason')))
        else:
            if not tls.get('ssl_ca') and not tls.get('ssl_capath'):
                problems.append('neither ssl_ca nor ssl_capath is set')
            if tls.get('old_versions'):
                problems.append('tls_version allows %s' % ', '.join(tls['old_versions']))
        if problems:
            findings.append(ctx.finding(SERVER_TLS, 'fail', '%s: %s' % (name, '; '.join(problems)), host=host, file=parsed.get('file'),
                                        setting='ssl_cert', evidence=evidence, remediation=_layout_hint(ctx, SERVER_TLS, _host_layout(ctx, host))))
        else:
            findings.append(ctx.finding(SERVER_TLS, 'pass', '%s: ssl_cert, ssl_key and %s are set (tls_version %s); the server was not '
                                        'asked and the Mozilla check of the negotiated TLS was not made' % (
                                            name, 'ssl_ca' if tls.get('ssl_ca') else 'ssl_capath', tls.get('tls_version') or 'default'),
                                        host=host, file=parsed.get('file'), setting='ssl_cert', evidence=evidence))
    return findings


def _file_accounts_findings(ctx, control_id, host):
    """db-require-ssl / db-x509-auth on a host with server option files but no live query: the accounts' REQUIRE clauses
    live in the database (``not_assessed``), except what the files decide for db-require-ssl: ``require_secure_transport =
    ON`` (pass), and :func:`_require_ssl_from_files` (fail)."""
    findings = []
    for parsed, name in _readable_file_servers(ctx, control_id, host, findings):
        rst = parsed['tls'].get('require_secure_transport')
        if control_id == REQUIRE_SSL and rst is True:
            findings.append(ctx.finding(REQUIRE_SSL, 'pass', '%s: require_secure_transport = ON, every TCP login must use TLS' % name,
                                        host=host, file=parsed.get('file'), setting='require_secure_transport',
                                        evidence={'require_secure_transport': True, 'source': 'option files'}))
            continue
        decided = _require_ssl_from_files(ctx, host, parsed, name) if control_id == REQUIRE_SSL else None
        if decided:
            findings.append(decided)
            continue
        what = 'REQUIRE SSL' if control_id == REQUIRE_SSL else 'REQUIRE X509'
        findings.append(ctx.finding(control_id, 'not_assessed', '%s: the service accounts\' %s is stored in the database, which was not '
                                    'queried%s' % (name, what, ' (require_secure_transport is not ON in the files)' if control_id == REQUIRE_SSL else ''),
                                    host=host, file=parsed.get('file'), evidence={'require_secure_transport': rst, 'source': 'option files'},
                                    remediation='run the db channel on this host live (audit_root /) with a login for the audit'))
    return findings


def _plain_url(entry):
    """True for a MySQL URL whose client never uses TLS: PyMySQL (OpenStack's driver) with no ``ssl*`` option, or with TLS
    turned off, over TCP."""
    query = url_query(entry)
    if url_dialect(entry) != 'mysql' or _url_driver(entry) != 'pymysql' or query.get('unix_socket'):
        return False
    if _url_bool(query.get('ssl_disabled')) is True or _url_bool(query.get('ssl')) is False:
        return True
    return not any(key.startswith('ssl') for key in query)


def _plain_path(ctx):
    """``(urls, None)`` when the services' every database connection is plain end to end: at least one service MySQL URL
    on the audited hosts, every one of them plain (:func:`_plain_url`), and no ProxySQL re-encrypting towards the
    servers (``use_ssl``); else ``(urls, why not)``. The same for every host: computed once per evaluation."""
    return ctx.memo('db plain path', lambda: _cloud_plain_path(ctx))


def _cloud_plain_path(ctx):
    urls = [(host, service, entry) for host in ctx.hosts for service, entry in iter_database_urls(ctx, host) if url_dialect(entry) == 'mysql']
    broken = [s for host in ctx.hosts for s in (ctx.evidence(host, 'discovery', {}) or {}).get('services') or []
              if isinstance(s, dict) and input_errors(s)]
    if broken:
        return urls, 'the configuration of %s could not be read whole' % broken[0].get('service')
    if not urls:
        return urls, 'no service database URL on the audited hosts'
    tls = [entry for _h, _s, entry in urls if not _plain_url(entry)]
    if tls:
        return urls, '%d service URL(s) may use TLS (e.g. [%s] %s in %s)' % (len(tls), tls[0].get('section'), tls[0].get('option'), tls[0].get('file'))
    for host in ctx.hosts:
        for proxy in proxysql_entries(ctx, host):
            if proxy.get('errors') or any(s.get('use_ssl') for s in (proxy.get('backend') or {}).get('servers') or [] if isinstance(s, dict)):
                return urls, 'ProxySQL %s may connect to the servers with TLS' % proxy.get('file')
    return urls, None


def _require_ssl_from_files(ctx, host, parsed, name):
    """db-require-ssl decided from the files where they decide it (require_secure_transport is not ON): the server has TLS
    off, or every service connection is plain end to end - either way an account that REQUIRE SSL could not serve these
    services. None where only the live account table can tell."""
    tls = parsed['tls'].get('tls') or {}
    rst = parsed['tls'].get('require_secure_transport')
    urls, not_plain = _plain_path(ctx)
    if tls.get('enabled') is False:
        why = 'TLS is off on this server (%s)' % (tls.get('reason') or 'no ssl_cert/ssl_key')
    elif not not_plain:
        why = ('every service database URL on the audited hosts (%d, e.g. [%s] %s in %s) connects with PyMySQL without any ssl option and '
               'no ProxySQL re-encrypts towards the server: these services connect in plain text' % (
                   len(urls), urls[0][2].get('section'), urls[0][2].get('option'), urls[0][2].get('file')))
    else:
        return None
    return ctx.finding(REQUIRE_SSL, 'fail', '%s: %s and require_secure_transport is not ON: an account that REQUIRE SSL could not serve '
                       'the OpenStack services, so their accounts do not require TLS' % (name, why),
                       host=host, file=parsed.get('file'), setting='require_secure_transport',
                       evidence={'require_secure_transport': rst, 'tls': tls, 'plain_urls': len(urls) if not not_plain else 0,
                                 'source': 'option files and service URLs'},
                       remediation='configure TLS on the server and ssl_ca in every service URL, then ALTER USER ... REQUIRE SSL for the '
                                   'service accounts (or require_secure_transport = ON). %s' % _layout_hint(ctx, REQUIRE_SSL, _host_layout(ctx, host)))


def _file_replication_findings(ctx, host):
    findings = []
    for parsed, name in _readable_file_servers(ctx, REPLICATION_TLS, host, findings):
        galera = parsed['tls'].get('galera') or {}
        if not galera.get('enabled'):
            # wsrep_on without a provider in these files: the provider may come from elsewhere (another file, the
            # command line), so only "wsrep_on not ON and no provider" is evidence of no Galera node
            absent = not galera.get('wsrep_on') and not galera.get('provider')
            findings.append(ctx.finding(REPLICATION_TLS, 'not_applicable' if absent else 'not_assessed',
                                        '%s configures no Galera node (wsrep_on = %s, wsrep_provider = %s)%s' % (
                                            name, galera.get('wsrep_on'), galera.get('provider'),
                                            '' if absent else ': wsrep_on without a provider here; query the server live to assess it'),
                                        host=host, file=parsed.get('file'), evidence={'galera': galera},
                                        absence='the server option file %s was read whole: no wsrep provider, wsrep_on not ON'
                                        % parsed.get('file') if absent else None))
            continue
        server = {'have_ssl': 'YES' if (parsed['tls'].get('tls') or {}).get('enabled') is True else None}
        live_like = {'socket_tls': galera.get('socket_tls'), 'ssl_mode': galera.get('ssl_mode'),
                     'provider_options': parsed.get('wsrep_provider_options'), 'sst_method': (parsed.get('server') or {}).get('wsrep_sst_method')}
        findings.append(_galera_group_finding(ctx, host, server, name, live_like))
        findings.append(_galera_sst_finding(ctx, host, server, name, live_like))
    return findings


# ----------------------------------------------------------------------------------------------
# ProxySQL (kolla's database frontend since 2023.2): frontend TLS and backend TLS towards MariaDB, from its files

def proxysql_entries(ctx, host):
    infra = (ctx.evidence(host, 'discovery', {}) or {}).get('infrastructure') or {}
    return [p for p in infra.get('proxysql') or [] if isinstance(p, dict)]


def _proxysql_broken(ctx, control_id, host, entry):
    errors = [e for e in entry.get('errors') or [] if isinstance(e, dict)]
    if not errors:
        return None
    return ctx.finding(control_id, 'error', 'ProxySQL configuration %s could not be read completely, no verdict from it: %s' % (
        entry.get('file'), '; '.join(str(e.get('message')) for e in errors[:5])), host=host, file=entry.get('file'),
        evidence={'errors': errors[:20]})


def _readable_proxysql(ctx, control_id, host, findings):
    """The ProxySQL entries of ``host`` read completely; an ``error`` finding into ``findings`` for each one that was not."""
    for entry in proxysql_entries(ctx, host):
        broken = _proxysql_broken(ctx, control_id, host, entry)
        if broken:
            findings.append(broken)
        else:
            yield entry


def _proxysql_frontend_findings(ctx, host, endpoints):
    """db-server-tls of each ProxySQL frontend listener the files configure (not probed ones: a probe is judged as such)."""
    findings = []
    probed_ports = set(str(e.get('port')) for e in endpoints)
    for entry in _readable_proxysql(ctx, SERVER_TLS, host, findings):
        frontend = entry.get('frontend') or {}
        for listener in frontend.get('listeners') or []:
            if str(listener.get('port')) in probed_ports:
                continue
            name = 'ProxySQL frontend %s:%s (%s)' % (listener.get('address') or '*', listener.get('port'), entry.get('file'))
            evidence = {'frontend': frontend, 'source': 'option files'}
            if not frontend.get('ssl'):
                findings.append(ctx.finding(SERVER_TLS, 'fail', '%s accepts clients without TLS (mysql-have_ssl is false: %s)' % (
                    name, frontend.get('ssl_source')), host=host, endpoint=name, file=entry.get('file'), setting='mysql-have_ssl',
                    evidence=evidence, remediation='mysql_variables have_ssl = true with a certificate in ProxySQL\'s datadir '
                                                   '(kolla-ansible: database_enable_tls_internal / database_enable_tls_backend)'))
            elif frontend.get('certificate_provided') is False:
                findings.append(ctx.finding(SERVER_TLS, 'fail', '%s has TLS on, but no certificate is provided: ProxySQL generates a '
                                            'self-signed one at first start (%s)' % (name, frontend.get('certificate_source')), host=host,
                                            endpoint=name, file=entry.get('file'), setting='mysql-have_ssl', evidence=evidence,
                                            remediation='place proxysql-cert.pem / proxysql-key.pem / proxysql-ca.pem in the datadir '
                                                        '(kolla-ansible: database_enable_tls_internal: "yes")'))
            elif frontend.get('certificate_provided'):
                findings.append(ctx.finding(SERVER_TLS, 'pass', '%s has TLS on with a provided certificate (%s); from the files, the '
                                            'Mozilla check of the negotiated TLS was not made' % (name, frontend.get('certificate_source')),
                                            host=host, endpoint=name, file=entry.get('file'), setting='mysql-have_ssl', evidence=evidence))
            else:
                findings.append(ctx.finding(SERVER_TLS, 'not_assessed', '%s has TLS on; whether its certificate is provided or generated '
                                            'by ProxySQL is not in the files read (%s)' % (name, frontend.get('certificate_source')),
                                            host=host, endpoint=name, file=entry.get('file'), evidence=evidence,
                                            remediation='probe it (audit_db_tls_endpoints) or audit the live node'))
    return findings


def _proxysql_backend_findings(ctx, host):
    """db-client-tls of ProxySQL's connections to each MariaDB backend (``use_ssl`` per server, ``ssl_p2s_*``)."""
    findings = []
    for entry in _readable_proxysql(ctx, CLIENT_TLS, host, findings):
        backend = entry.get('backend') or {}
        for server in backend.get('servers') or []:
            name = 'ProxySQL -> %s:%s (hostgroup %s, %s)' % (
                server.get('address'), server.get('port'), server.get('hostgroup'), server.get('comment') or entry.get('file'))
            target = dict(host=host, service='proxysql', file=entry.get('file'), setting='mysql_servers use_ssl', endpoint=name)
            evidence = {'server': server, 'ssl_p2s_ca': backend.get('ssl_p2s_ca'), 'ssl_p2s_cert': backend.get('ssl_p2s_cert')}
            if not server.get('use_ssl'):
                findings.append(ctx.finding(CLIENT_TLS, 'fail', '%s: use_ssl is off (%s): ProxySQL talks to the database in plain text'
                                            % (name, server.get('use_ssl_source')), evidence=evidence,
                                            remediation='use_ssl = 1 for every mysql_servers entry and ssl_p2s_ca = <CA of the database '
                                                        'servers> (kolla-ansible: database_enable_tls_backend: "yes")', **target))
            elif not backend.get('ssl_p2s_ca') and not backend.get('ssl_p2s_capath'):
                findings.append(ctx.finding(CLIENT_TLS, 'fail', '%s: use_ssl = 1 but no ssl_p2s_ca: the database server certificate is not '
                                            'verified' % name, evidence=evidence, remediation='set mysql_variables ssl_p2s_ca', **target))
            else:
                findings.append(ctx.finding(CLIENT_TLS, 'pass', '%s: use_ssl = 1, server certificate checked against ssl_p2s_ca %s' % (
                    name, backend.get('ssl_p2s_ca') or backend.get('ssl_p2s_capath')), evidence=evidence, **target))
    return findings


# ----------------------------------------------------------------------------------------------
# rules

def rule_server_tls(ctx):
    findings = []
    any_server = False
    for host in ctx.channel_hosts('db'):
        servers = _servers(ctx, host)
        endpoints = _endpoints(ctx, host)
        frontends = _proxysql_frontend_findings(ctx, host, endpoints)
        findings.extend(frontends)
        if not servers and not endpoints:
            file_findings = _file_server_tls_findings(ctx, host)
            findings.extend(_no_server(ctx, SERVER_TLS, host, ' and no database port was probed',
                                       from_files=file_findings, absent=not frontends))
            any_server = any_server or bool(file_findings) or bool(frontends)
            continue
        any_server = True
        layout = _host_layout(ctx, host)
        matched, rest = match_endpoints(servers, endpoints)
        for index, server in enumerate(servers):
            name = server_name(server)
            probes = matched.get(index) or []
            evidence = {'server': name, 'connection': server.get('connection'), 'probes': [_probe_summary(ctx, e) for e in probes]}
            if server.get('status') != 'ok':
                findings.append(ctx.finding(SERVER_TLS, 'error', _error_message(server), host=host, endpoint=name,
                                            evidence=dict(evidence, error=server.get('error')),
                                            remediation='Give the audit a working login (audit_db_login_user / audit_db_login_password or '
                                                        'audit_db_login_config_file) and make the server reachable from the audited node.'))
                continue
            ok, problems, facts = server_tls_config(server)
            evidence.update(facts)
            if not ok:
                findings.append(ctx.finding(SERVER_TLS, 'fail', '%s: %s' % (name, '; '.join(problems)), host=host, endpoint=name,
                                            setting='have_ssl', evidence=evidence, remediation=_layout_hint(ctx, SERVER_TLS, layout)))
                continue
            if not probes:
                findings.append(ctx.finding(
                    SERVER_TLS, 'pass',
                    '%s: have_ssl = YES with certificate, key and CA (tls_version %s); %s, so the Mozilla check of the negotiated TLS '
                    'was not made' % (name, server.get('tls_version') or 'default', _no_probe_reason(ctx, host)),
                    host=host, endpoint=name, setting='have_ssl', evidence=evidence))
                continue
            verdicts = [probe_verdict(ctx, e) for e in probes]
            worst = _worst([v[0] for v in verdicts])
            message = '%s: have_ssl = YES with certificate, key and CA; %s' % (name, '; '.join(v[1] for v in verdicts))
            findings.append(ctx.finding(SERVER_TLS, worst, message, host=host, endpoint=name, setting='have_ssl', evidence=evidence,
                                        remediation=_layout_hint(ctx, SERVER_TLS, layout) if worst == 'fail' else None))
        for endpoint in rest:
            status, message = probe_verdict(ctx, endpoint)
            if status == 'pass':
                status = 'manual'
                message += ('; the server behind it (a frontend such as ProxySQL or HAProxy, or a server not queried) was not '
                            'asked for its TLS configuration: confirm it has TLS certificate, key and CA configured')
            findings.append(ctx.finding(SERVER_TLS, status, message, host=host, endpoint=endpoint_name(endpoint),
                                        evidence=_probe_summary(ctx, endpoint),
                                        remediation=_layout_hint(ctx, SERVER_TLS, layout) if status == 'fail' else None))
    if not any_server:
        targets = sorted(set('%s:%s' % (u['entry'].get('host'), u['entry'].get('port') or 3306)
                             for items in all_url_users(ctx).values() for u in items if u['entry'].get('host')))
        if targets:
            findings.append(ctx.finding(SERVER_TLS, 'not_assessed',
                                        'OpenStack services connect to database servers (%s) but no database server was queried or probed '
                                        'in this run' % ', '.join(targets),
                                        evidence={'database_servers_in_urls': targets},
                                        remediation='Run the db channel on the database hosts (inventory group "control" or "mariadb", '
                                                    'or set audit_db_servers) with a login for the audit.'))
    return findings


def _no_probe_reason(ctx, host):
    tls = _db(ctx, host).get('tls') or {}
    if tls.get('error'):
        return 'the TLS probe of the database ports failed (%s)' % tls['error']
    if tls.get('probed') is False:
        return 'its port was not probed (audit_db_tls_probe off, or no TCP port known)'
    return 'no TLS probe of its port is in the evidence'


def _worst(statuses):
    for status in ('fail', 'error', 'not_assessed', 'manual', 'pass'):
        if status in statuses:
            return status
    return 'not_applicable'


def _probe_summary(ctx, endpoint):
    verdict = judge_probe(ctx, endpoint)
    return {'endpoint': endpoint_name(endpoint), 'label': endpoint.get('label'), 'starttls': endpoint.get('starttls'),
            'status': endpoint.get('status'), 'error': endpoint.get('error'), 'protocols': endpoint.get('protocols'),
            'mozilla_compliant': verdict['mozilla'].get('compliant'), 'mozilla_level': verdict['level'],
            'mozilla_failed': verdict['failed']}


def rule_client_tls(ctx):
    findings = []
    for host in ctx.channel_hosts('db'):
        discovery = ctx.evidence(host, 'discovery')
        if discovery is None:
            findings.append(ctx.finding(CLIENT_TLS, 'error', 'no discovery evidence on this host: the service database URLs were not read',
                                        host=host))
            continue
        ca_files = _db(ctx, host).get('client_ca_files')
        seen = False
        for service in discovery.get('services') or []:
            if not isinstance(service, dict):
                continue
            broken = broken_input(ctx, CLIENT_TLS, host, [service], 'the configuration of %s (its database URLs)' % service.get('service'),
                                  service=service.get('service'))
            if broken:
                seen = True
                findings.append(broken)
                continue
            for entry in service.get('database_urls') or []:
                if isinstance(entry, dict):
                    seen = True
                    findings.append(_client_url_finding(ctx, host, service, entry, ca_files))
        backends = _proxysql_backend_findings(ctx, host)
        findings.extend(backends)
        if not seen and not backends:
            unused = ['%s (%s: %s)' % (u.get('file'), s.get('component') or s.get('service'), u.get('unused'))
                      for s in discovery.get('services') or [] if isinstance(s, dict)
                      for u in s.get('unused_database_urls') or [] if isinstance(u, dict)]
            findings.append(ctx.finding(CLIENT_TLS, 'not_applicable', 'no OpenStack service database URL was found on this host%s' % (
                '; not judged, database connections of processes that never use them: %s' % '; '.join(unused[:5]) if unused else ''),
                host=host, absence=discovery_absence(ctx, host, 'no OpenStack service database URL in use')))
    return findings


def _client_url_finding(ctx, host, service, entry, ca_files):
    setting = '[%s] %s' % (entry.get('section'), entry.get('option'))
    target = dict(host=host, service=service.get('service'), file=entry.get('file'), setting=setting)
    dialect = url_dialect(entry)
    base_evidence = {'url': entry.get('url'), 'dialect': dialect, 'driver': entry.get('driver'), 'db_host': entry.get('host'),
                     'db_port': entry.get('port'), 'database': entry.get('database'), 'query': entry.get('query') or {},
                     'component': service.get('component'), 'layout': service.get('layout')}
    if dialect == 'sqlite':
        return ctx.finding(CLIENT_TLS, 'not_applicable', '%s uses SQLite (a local file): no network connection to protect' % setting,
                           evidence=base_evidence, absence='%s is a sqlite:// URL' % setting, **target)
    if dialect == 'postgresql':
        info = postgres_url_tls(entry)
    elif dialect == 'mysql':
        info = mysql_url_tls(entry)
    else:
        return ctx.finding(CLIENT_TLS, 'manual', '%s uses database dialect "%s", which this audit does not know how to judge: check its TLS '
                                                 'settings by hand' % (setting, dialect), evidence=base_evidence, **target)
    evidence = dict(base_evidence, ssl_ca=info['ssl_ca'], problems=info['problems'], notes=info['notes'])
    if info.get('unix_socket') and not entry.get('host'):
        return ctx.finding(CLIENT_TLS, 'not_applicable', '%s connects over the local unix socket %s: no network connection to protect'
                           % (setting, info['unix_socket']), evidence=evidence,
                           absence='%s names the unix socket %s and no host' % (setting, info['unix_socket']), **target)
    fix = _client_fix(ctx, host, service, entry, dialect)
    if info['problems']:
        return ctx.finding(CLIENT_TLS, 'fail', '%s of %s: %s' % (setting, service.get('service'), '; '.join(info['problems'] + info['notes'])),
                           evidence=evidence, remediation=fix, **target)
    if info.get('system_ca'):
        message = ('%s of %s uses TLS: PyMySQL with ssl_verify_cert=%s and no ssl_ca verifies the server certificate against the '
                   'system trust store' % (setting, service.get('service'), url_query(entry).get('ssl_verify_cert')))
        return ctx.finding(CLIENT_TLS, 'pass', message, evidence=evidence, **target)
    if dialect == 'postgresql' and not info['ssl_ca']:
        message = '%s of %s: sslmode=%s (CA from the libpq default root.crt)' % (setting, service.get('service'), info['sslmode'])
        return ctx.finding(CLIENT_TLS, 'pass', message, evidence=evidence, **target)
    record = find_ca_record(ca_files, service, info['ssl_ca'])
    evidence['ssl_ca_check'] = record
    if record is None:
        container = service_container(service)
        return ctx.finding(CLIENT_TLS, 'not_assessed', '%s of %s names CA file %s, but the audit did not check %s that it exists'
                           % (setting, service.get('service'), info['ssl_ca'],
                              'inside container %s' % container if container else 'on the node'), evidence=evidence,
                           remediation='Run the db channel on this host (it checks the ssl_ca files%s).'
                                       % (', inside containers with docker/podman exec' if container else ''), **target)
    if record.get('where_text'):
        where = record['where_text']
    elif record.get('container'):
        where = 'in container %s' % record['container']
    else:
        where = 'on the node'
    if record.get('error') and record.get('exists') is None:
        return ctx.finding(CLIENT_TLS, 'error', '%s of %s: could not check CA file %s %s: %s' % (setting, service.get('service'), info['ssl_ca'],
                                                                                                 where, record['error']),
                           evidence=evidence, **target)
    if not record.get('exists'):
        return ctx.finding(CLIENT_TLS, 'fail', '%s of %s: ssl_ca %s does not exist %s' % (setting, service.get('service'), info['ssl_ca'], where),
                           evidence=evidence, remediation='Install the database CA certificate at %s %s (or point ssl_ca at it). %s'
                                                          % (info['ssl_ca'], where, _layout_hint(ctx, CLIENT_TLS, service.get('layout'))),
                           **target)
    if record.get('readable') is False:
        return ctx.finding(CLIENT_TLS, 'fail', '%s of %s: ssl_ca %s exists %s but cannot be read%s' % (
                           setting, service.get('service'), info['ssl_ca'], where,
                           ' by the container\'s user' if record.get('container') else ''),
                           evidence=evidence, remediation='Make %s readable for the service (e.g. mode 0644).' % info['ssl_ca'], **target)
    if record.get('is_file') is False:
        return ctx.finding(CLIENT_TLS, 'fail', '%s of %s: ssl_ca %s is not a regular file %s' % (setting, service.get('service'), info['ssl_ca'],
                                                                                                 where),
                           evidence=evidence, remediation=fix, **target)
    note = (' (%s)' % '; '.join(info['notes'])) if info['notes'] else ''
    message = '%s of %s uses TLS with ssl_ca %s, which exists %s%s' % (setting, service.get('service'), info['ssl_ca'], where, note)
    return ctx.finding(CLIENT_TLS, 'pass', message, evidence=evidence, **target)


def _client_fix(ctx, host, service, entry, dialect):
    setting = '[%s] %s' % (entry.get('section'), entry.get('option'))
    if dialect == 'postgresql':
        specific = 'Add ?sslmode=verify-full&sslrootcert=<CA file> to %s in %s.' % (setting, entry.get('file'))
    else:
        specific = ('In %s set %s to a URL with ?ssl_ca=<CA file of the database server> and without ssl_verify_cert=false, '
                    'ssl_disabled or ssl_mode=DISABLED.' % (entry.get('file'), setting))
    return '%s %s' % (specific, _layout_hint(ctx, CLIENT_TLS, service.get('layout') or _host_layout(ctx, host)))


def _service_accounts(ctx):
    """Every (host, server, account, services, urls) an OpenStack service uses, over all hosts' servers.

    An account is a service account when the module marked it (declared service_accounts or a
    known service user name) or when a discovered MySQL database URL logs in with its user. A mark
    by user name alone (``service_match: name``) counts only when no host's discovery found any
    MySQL database URL: the URLs, when there are some, say which accounts the services use.
    """
    url_users = all_url_users(ctx)
    out = []
    for host in ctx.channel_hosts('db'):
        for server in _servers(ctx, host):
            if server.get('status') != 'ok' or server.get('accounts') is None:
                continue
            for account in server.get('accounts') or []:
                guessed = url_users and account.get('service_match') == 'name'
                services = [] if guessed else list(account.get('services') or [])
                urls = url_users.get(account.get('user'), [])
                for item in urls:
                    if item['service'] and item['service'] not in services:
                        services.append(item['service'])
                if services:
                    out.append({'host': host, 'server': server, 'account': account, 'services': services, 'urls': urls})
    return out


def _users_not_found(ctx, found_users):
    """URL users that no readable server account list contains (their servers were not queried)."""
    missing = {}
    for user, items in all_url_users(ctx).items():
        if user not in found_users:
            missing[user] = items
    return missing


def _queried_servers(ctx, control_id, findings, state):
    """``(host, server, name, items)`` of every database server asked without error, with the service accounts found
    on it (``items``); hosts where no server was asked and servers that could not be asked get their findings into
    ``findings``. ``state['any_server']`` becomes True once any server was asked."""
    items_by_server = {}
    for item in _service_accounts(ctx):
        items_by_server.setdefault(id(item['server']), []).append(item)
    for host in ctx.channel_hosts('db'):
        servers = _servers(ctx, host)
        if not servers:
            findings.extend(_no_server(ctx, control_id, host, from_files=_file_accounts_findings(ctx, control_id, host)))
            continue
        for server in servers:
            state['any_server'] = True
            name = server_name(server)
            if server.get('status') != 'ok':
                findings.append(ctx.finding(control_id, 'error', _error_message(server), host=host, endpoint=name,
                                            evidence={'error': server.get('error')}))
                continue
            yield host, server, name, items_by_server.get(id(server), [])


def rule_require_ssl(ctx):
    findings = []
    found_users = set()
    state = {'any_server': False}
    for host, server, name, items in _queried_servers(ctx, REQUIRE_SSL, findings, state):
        rst = server.get('require_secure_transport')
        for item in items:
            found_users.add(item['account']['user'])
        if rst is True:
            if not items:
                findings.append(ctx.finding(REQUIRE_SSL, 'pass', '%s enforces require_secure_transport = ON: every TCP login must use TLS'
                                            % name, host=host, endpoint=name, setting='require_secure_transport',
                                            evidence={'require_secure_transport': True}))
            for item in items:
                account = item['account']
                message = '%s (%s) on %s: the server enforces require_secure_transport = ON (account ssl_type %s)' % (
                    quote_account(account['user'], account['host']), ', '.join(item['services']), name, account.get('ssl_type'))
                findings.append(ctx.finding(REQUIRE_SSL, 'pass', message,
                                            host=host, endpoint=name, account=quote_account(account['user'], account['host']),
                                            service=', '.join(item['services']), setting='require_secure_transport',
                                            evidence=_account_evidence(server, item)))
            continue
        if server.get('accounts') is None:
            reason = '; '.join(u.get('reason', '') for u in server.get('unreadable') or [] if u.get('what') == 'accounts')
            findings.append(ctx.finding(REQUIRE_SSL, 'error', '%s: require_secure_transport is %s and the account list could not be read: %s'
                                        % (name, 'OFF' if rst is False else 'unknown', reason or 'no reason given'),
                                        host=host, endpoint=name, evidence={'require_secure_transport': rst, 'unreadable': server.get('unreadable')},
                                        remediation='GRANT SELECT ON mysql.global_priv (MariaDB >= 10.4) or SELECT ON mysql.user to the audit '
                                                    'account, or set require_secure_transport = ON.'))
            continue
        if not items:
            findings.append(ctx.finding(REQUIRE_SSL, 'not_applicable', '%s has no account used by an OpenStack service (none declared, '
                                                                       'none with a service user name, none in a discovered database URL)'
                                        % name, host=host, endpoint=name, evidence={'accounts': len(server.get('accounts') or [])},
                                        absence='the account list of %s was read (%d accounts): none is used by an OpenStack service'
                                        % (name, len(server.get('accounts') or []))))
            continue
        for item in items:
            account = item['account']
            quoted = quote_account(account['user'], account['host'])
            evidence = _account_evidence(server, item)
            if account.get('ssl_type') in REQUIRE_SSL_TYPES:
                findings.append(ctx.finding(REQUIRE_SSL, 'pass', '%s (%s) on %s requires TLS (ssl_type %s)'
                                            % (quoted, ', '.join(item['services']), name, account['ssl_type']),
                                            host=host, endpoint=name, account=quoted, service=', '.join(item['services']),
                                            setting='ssl_type', evidence=evidence))
            else:
                message = '%s (%s) on %s does not require TLS (ssl_type %s) and the server does not enforce require_secure_transport' % (
                    quoted, ', '.join(item['services']), name, account.get('ssl_type'))
                findings.append(ctx.finding(REQUIRE_SSL, 'fail', message,
                                            host=host, endpoint=name, account=quoted, service=', '.join(item['services']),
                                            setting='ssl_type', evidence=evidence,
                                            remediation='ALTER USER %s REQUIRE SSL; (or require_secure_transport = ON on the server). %s'
                                                        % (quoted, _layout_hint(ctx, REQUIRE_SSL, _host_layout(ctx, host)))))
    if state['any_server']:
        for user, items in sorted(_users_not_found(ctx, found_users).items()):
            services = sorted(set(i['service'] for i in items if i['service']))
            servers = sorted(set('%s:%s' % (i['entry'].get('host'), i['entry'].get('port') or 3306) for i in items))
            findings.append(ctx.finding(REQUIRE_SSL, 'not_assessed', 'database user %s (%s, connecting to %s) was not found in the account list '
                                        'of any queried server' % (user, ', '.join(services), ', '.join(servers)),
                                        account=user, service=', '.join(services), evidence={'servers_in_urls': servers}))
    return findings


def _account_evidence(server, item):
    account = item['account']
    return {'server': server_name(server), 'user': account.get('user'), 'account_host': account.get('host'),
            'ssl_type': account.get('ssl_type'), 'ssl_type_raw': account.get('ssl_type_raw'), 'x509_subject': account.get('x509_subject'),
            'x509_issuer': account.get('x509_issuer'), 'ssl_cipher': account.get('ssl_cipher'),
            'require_secure_transport': server.get('require_secure_transport'), 'accounts_source': server.get('accounts_source'),
            'services': item['services'], 'service_match': account.get('service_match') or ('url' if item['urls'] else None),
            'urls': ['%s: %s [%s] %s' % (u['host'], u['entry'].get('file'), u['entry'].get('section'), u['entry'].get('option'))
                     for u in item['urls']]}


def _urls_with_client_cert(urls):
    """``(with, without)`` lists of URL descriptions by whether they carry ssl_cert and ssl_key."""
    have, lack = [], []
    for item in urls:
        query = url_query(item['entry'])
        text = '%s:%s [%s] %s' % (item['host'], item['entry'].get('file'), item['entry'].get('section'), item['entry'].get('option'))
        (have if query.get('ssl_cert') and query.get('ssl_key') else lack).append(text)
    return have, lack


def rule_x509_auth(ctx):
    findings = []
    found_users = set()
    state = {'any_server': False}
    for host, server, name, items in _queried_servers(ctx, X509_AUTH, findings, state):
        if server.get('accounts') is None:
            reason = '; '.join(u.get('reason', '') for u in server.get('unreadable') or [] if u.get('what') == 'accounts')
            findings.append(ctx.finding(X509_AUTH, 'error', '%s: the account list could not be read: %s' % (name, reason or 'no reason given'),
                                        host=host, endpoint=name, evidence={'unreadable': server.get('unreadable')}))
            continue
        if not items:
            findings.append(ctx.finding(X509_AUTH, 'not_applicable', '%s has no account used by an OpenStack service' % name,
                                        host=host, endpoint=name,
                                        absence='the account list of %s was read (%d accounts): none is used by an OpenStack service'
                                        % (name, len(server.get('accounts') or []))))
            continue
        for item in items:
            account = item['account']
            found_users.add(account['user'])
            quoted = quote_account(account['user'], account['host'])
            have, lack = _urls_with_client_cert(item['urls'])
            evidence = dict(_account_evidence(server, item), urls_with_client_cert=have, urls_without_client_cert=lack)
            services = ', '.join(item['services'])
            if account_requires_cert(account) and not lack:
                findings.append(ctx.finding(X509_AUTH, 'pass', '%s (%s) on %s requires a client certificate (ssl_type %s)%s'
                                            % (quoted, services, name, account['ssl_type'],
                                               ' and every service URL of it carries ssl_cert and ssl_key' if have else
                                               '; no service URL of it was discovered'),
                                            host=host, endpoint=name, account=quoted, service=services, setting='ssl_type', evidence=evidence))
            elif account_requires_cert(account):
                findings.append(ctx.finding(X509_AUTH, 'fail', '%s (%s) on %s requires a client certificate, but these URLs carry no '
                                            'ssl_cert/ssl_key: %s' % (quoted, services, name, ', '.join(lack)),
                                            host=host, endpoint=name, account=quoted, service=services, setting='ssl_cert', evidence=evidence,
                                            remediation='Add ?ssl_cert=<client cert>&ssl_key=<client key> (next to ssl_ca) to: %s' % ', '.join(lack)))
            else:
                findings.append(ctx.finding(X509_AUTH, 'fail', '%s (%s) on %s does not require a client certificate (ssl_type %s)'
                                            % (quoted, services, name, account.get('ssl_type')),
                                            host=host, endpoint=name, account=quoted, service=services, setting='ssl_type', evidence=evidence,
                                            remediation='ALTER USER %s REQUIRE X509; (or REQUIRE SUBJECT \'<client cert subject>\') and add '
                                                        '?ssl_cert=<client cert>&ssl_key=<client key> to the service database URL%s'
                                                        % (quoted, ' (%s)' % ', '.join(lack) if lack else '')))
    # URLs without a client certificate fail whether or not a server was queried: no account can demand one from them
    where = 'the account was not found on any queried server' if state['any_server'] else 'no database server was queried'
    for user, items in sorted(_users_not_found(ctx, found_users).items()):
        services = ', '.join(sorted(set(i['service'] for i in items if i['service'])))
        have, lack = _urls_with_client_cert(items)
        if lack:
            findings.append(ctx.finding(X509_AUTH, 'fail', 'database user %s (%s): these URLs carry no ssl_cert/ssl_key, so no client '
                                        'certificate is used: %s (%s)' % (user, services, ', '.join(lack), where), account=user, service=services,
                                        evidence={'urls_without_client_cert': lack, 'urls_with_client_cert': have},
                                        remediation='Create a client certificate for %s, add ?ssl_cert=...&ssl_key=... to its URLs and '
                                                    'ALTER USER ... REQUIRE X509 on the database server.' % user))
        elif state['any_server']:
            findings.append(ctx.finding(X509_AUTH, 'not_assessed', 'database user %s (%s) uses a client certificate in every URL, but its '
                                        'account was not found on any queried server' % (user, services), account=user, service=services,
                                        evidence={'urls_with_client_cert': have}))
    return findings


def rule_replication_tls(ctx):
    findings = []
    for host in ctx.channel_hosts('db'):
        servers = _servers(ctx, host)
        if not servers:
            findings.extend(_no_server(ctx, REPLICATION_TLS, host, from_files=_file_replication_findings(ctx, host)))
            continue
        for server in servers:
            name = server_name(server)
            if server.get('status') != 'ok':
                findings.append(ctx.finding(REPLICATION_TLS, 'error', _error_message(server), host=host, endpoint=name,
                                            evidence={'error': server.get('error')}))
                continue
            galera = server.get('galera')
            if not galera or not galera.get('enabled'):
                why = 'wsrep_on = %s, wsrep_provider = %s' % (('ON' if galera.get('wsrep_on') else 'OFF'), galera.get('provider')) if galera \
                    else 'the server has no wsrep variables'
                findings.append(ctx.finding(REPLICATION_TLS, 'not_applicable', '%s is not a Galera cluster node (%s)' % (name, why),
                                            host=host, endpoint=name, evidence={'galera': galera},
                                            absence=('%s was queried live: %s' % (name, why))
                                            if 'galera' in server and (not galera or 'enabled' in galera) else None))
                continue
            findings.append(_galera_group_finding(ctx, host, server, name, galera))
            findings.append(_galera_sst_finding(ctx, host, server, name, galera))
    return findings


def _galera_group_finding(ctx, host, server, name, galera):
    socket_tls = galera.get('socket_tls') or {}
    ssl_mode = str(galera.get('ssl_mode') or '').upper()
    evidence = {'socket_tls': socket_tls, 'wsrep_ssl_mode': galera.get('ssl_mode'), 'cluster_size': galera.get('cluster_size'),
                'gmcast.listen_addr': (galera.get('provider_options') or {}).get('gmcast.listen_addr'), 'have_ssl': server.get('have_ssl')}
    if ssl_mode in ('SERVER', 'SERVER_X509') and server.get('have_ssl') == 'YES':
        return ctx.finding(REPLICATION_TLS, 'pass', '%s: Galera replication uses the server certificate (wsrep_ssl_mode = %s)' % (name, ssl_mode),
                           host=host, endpoint=name, setting='wsrep_ssl_mode', evidence=evidence)
    if socket_tls.get('enabled') is True:
        return ctx.finding(REPLICATION_TLS, 'pass', '%s: Galera group communication and IST use TLS (%s)' % (name, socket_tls.get('reason')),
                           host=host, endpoint=name, setting='wsrep_provider_options', evidence=evidence)
    if socket_tls.get('enabled') is False:
        return ctx.finding(REPLICATION_TLS, 'fail', '%s: Galera group communication and IST are not encrypted (%s)' % (name, socket_tls.get('reason')),
                           host=host, endpoint=name, setting='wsrep_provider_options', evidence=evidence,
                           remediation='wsrep_provider_options = "socket.ssl_cert=<cert>;socket.ssl_key=<key>;socket.ssl_ca=<ca>" on every node '
                                       '(rolling restart). %s' % _layout_hint(ctx, REPLICATION_TLS, _host_layout(ctx, host)))
    return ctx.finding(REPLICATION_TLS, 'error', '%s: Galera TLS could not be determined: %s' % (name, socket_tls.get('reason') or 'no provider options'),
                       host=host, endpoint=name, setting='wsrep_provider_options', evidence=evidence)


def _galera_sst_finding(ctx, host, server, name, galera):
    method = galera.get('sst_method') or 'unknown'
    sections = discovered_sst_sections(ctx, host)
    evidence = {'sst_method': method, 'sst_options': sections}
    if method == 'mysqldump':
        return ctx.finding(REPLICATION_TLS, 'manual', '%s: state snapshot transfer uses mysqldump over a client connection: its TLS depends on the '
                                                      'SST account and client options' % name,
                           host=host, endpoint=name, setting='wsrep_sst_method', evidence=evidence)
    enabled, reason = sst_tls(sections)
    if sections is None:
        return ctx.finding(REPLICATION_TLS, 'manual', '%s: state snapshot transfer (%s) TLS is set in the [sst] group of my.cnf, which discovery did not '
                                                      'read on this host: check ssl-ca/ssl-cert/ssl-key/ssl-mode or tca/tcert/tkey there'
                           % (name, method), host=host, endpoint=name, setting='sst', evidence=evidence)
    if enabled:
        return ctx.finding(REPLICATION_TLS, 'pass', '%s: state snapshot transfer (%s) is encrypted (%s)' % (name, method, reason),
                           host=host, endpoint=name, setting='sst', evidence=evidence)
    return ctx.finding(REPLICATION_TLS, 'fail', '%s: state snapshot transfer (%s) is not encrypted: %s' % (name, method, reason),
                       host=host, endpoint=name, setting='sst', evidence=evidence,
                       remediation='[sst] ssl-ca = <ca>, ssl-cert = <cert>, ssl-key = <key>, ssl-mode = VERIFY_CA in the Galera configuration '
                                   '(for rsync/mariabackup SST).')


RULES = {
    SERVER_TLS: rule_server_tls,
    CLIENT_TLS: rule_client_tls,
    REQUIRE_SSL: rule_require_ssl,
    X509_AUTH: rule_x509_auth,
    REPLICATION_TLS: rule_replication_tls,
}
