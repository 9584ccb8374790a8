# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Record the TLS probe results of ``probes/*.yml`` from real servers (a developer tool, not run by the tests).

    .venv/bin/python tests/controls/_shared/record_probes.py

Starts members of the lab TLS corpus (lab/tls_servers.py: nginx, haproxy, openssl s_server, hostile
endpoints), scans each with the collection's own scanner (``_tls.scan.scan_endpoint``, what
``tls_endpoint_info`` runs) and writes the raw result, without the ``mozilla`` block (the evaluator
judges the raw fields), without the timing fields and with the port replaced by the member's
usual port, to ``probes/<member>.yml``. Scenarios reference them with ``$shared: probes/<member>``
and set host, port, label and starttls to what their channel probes.
"""

from __future__ import absolute_import, division, print_function

import os
import sys
import tempfile
import textwrap

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, '..', '..', '..'))
sys.path.insert(0, REPO)
from lab.paths import collections_root  # noqa: E402
sys.path.insert(0, collections_root())
from lab.tls_servers import start_corpus  # noqa: E402
from ansible_collections.scs.secure_connections.plugins.module_utils._tls.scan import scan_endpoint  # noqa: E402

MEMBERS = ('nginx-rsa', 'nginx-ecdsa', 'nginx-tls10', 'haproxy-weak', 'openssl-rsa1024', 'openssl-selfsigned', 'closed-port', 'plain-http')
DROP = ('mozilla', 'duration_ms', 'connections')


class _Dumper(yaml.SafeDumper):
    """Lists indented under their key (yamllint's default "indentation" rule)."""

    def increase_indent(self, flow=False, indentless=False):
        return super(_Dumper, self).increase_indent(flow, False)


def write(path, head, data):
    """``data`` as YAML under the comment ``head`` (wrapped), in lines ansible-lint's yamllint accepts."""
    with open(path, 'w') as handle:
        handle.write(''.join('# %s\n' % line for line in textwrap.wrap(head, 116)))
        yaml.dump(data, handle, Dumper=_Dumper, default_flow_style=False, sort_keys=False, width=116)


def main():
    out_dir = os.path.join(HERE, 'probes')
    work = tempfile.mkdtemp(prefix='scs-probes-')
    with start_corpus(work, names=list(MEMBERS)) as corpus:
        for server in corpus.servers:
            result = scan_endpoint({'host': '127.0.0.1', 'port': server.port, 'server_name': 'localhost', 'label': server.name},
                                   {'ca_files': [corpus.ca_file]})
            for key in DROP:
                result.pop(key, None)
            result['port'] = 443
            for deployment in result.get('certificate_deployments') or []:
                validation = deployment.get('validation') or {}
                validation['trust_sources'] = [('<lab CA>' if src == corpus.ca_file else src) for src in validation.get('trust_sources') or []]
            if result.get('error') and isinstance(result['error'].get('message'), str):
                result['error']['message'] = result['error']['message'].replace(str(server.port), '443')
            head = 'Real scan of lab member %s (%s; expected %s: %s), recorded by record_probes.py.' % (
                server.name, server.kind, server.expected, server.reason)
            write(os.path.join(out_dir, server.name + '.yml'), head, result)
            print(server.name, result['status'])


if __name__ == '__main__':
    main()
