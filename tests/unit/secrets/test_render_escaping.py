# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every output format stays well-formed whatever a host name, a section name, a message or a
setting carries: JUnit parses (xml.etree), Markdown and HTML carry no tag from the data, HTML and
Markdown show control characters, SCS lines stay one per control."""

from __future__ import absolute_import, division, print_function

import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from ansible_collections.scs.secure_connections.plugins.module_utils._core.evaluator import evaluate
from ansible_collections.scs.secure_connections.plugins.module_utils._core.render import RENDERERS
from ansible_collections.scs.secure_connections.plugins.module_utils._core.report import build_report

TLS = 'scs-0125-tls-mozilla'
STO = 'scs-0125-sto-frontend-network'
MQ = 'scs-0125-mq-tls'
RUN = {'collection': 'scs.secure_connections', 'collection_version': '0.1.0', 'standard': 'scs-0125-v1',
       'mozilla': {'guidelines_version': 5.7, 'level': 'intermediate'}, 'channels': ['tls'],
       'started': '2026-11-22T10:00:00Z', 'finished': '2026-11-22T10:00:05Z'}
HOSTILE = [
    '<script>alert(1)</script>', 'node\x01\x02\x1b[31m', 'a\nb\rc\x0bd\x0ce\x1cf\x85g\u2028h\u2029i', 'x]]>y&amp;<!--',
    '| pipe | `tick` [link](javascript:alert(1)) ![img](x)', '\ud800lone', '\x00nul\x7fdel\ufffe', '<img src=x onerror=alert(1)>',
    '"quoted" \'single\' &lt;b&gt;', '# heading\n## two', '\\|escaped pipe\\',
]


def _report(name):
    """A report whose host, endpoint, section, service, setting, message and remediation all carry ``name``."""
    def tls_rule(ctx):
        return [ctx.finding(TLS, 'fail', 'accepted %s' % name, host=name, endpoint='%s:443' % name, remediation='fix %s' % name,
                            evidence={'section': name, name: name}),
                ctx.finding(TLS, 'error', 'broken %s' % name, host=name, endpoint='%s:8443' % name, file='/etc/%s.conf' % name)]

    def sto_rule(ctx):
        return [ctx.finding(STO, 'manual', 'ask %s' % name, host=name, service=name, setting='[%s] opt' % name)]

    def mq_rule(ctx):
        return [ctx.finding(MQ, 'not_applicable', 'none on %s' % name, host=name, account=name)]
    evidence = {name: {'channels': ['tls', 'sto', 'mq'], 'discovery': {'layouts': [{'name': name}], 'listeners': [],
                                                                       'services': [{'service': name, 'component': name}]}},
                'other' + name: {'channels': [], 'audit_status': {'audited': False, 'reason': name}}}
    findings = evaluate(evidence, rules={TLS: tls_rule, STO: sto_rule, MQ: mq_rule})
    return build_report(findings, dict(RUN, hosts=[name, 'other' + name]), evidence_by_host=evidence)


class _Tags(HTMLParser):
    def __init__(self):
        HTMLParser.__init__(self)
        self.tags = []
        self.data = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    def handle_data(self, data):
        self.data.append(data)


ALLOWED_TAGS = {'html', 'head', 'meta', 'title', 'style', 'body', 'main', 'h1', 'h2', 'h3', 'div', 'b', 'p', 'table', 'tr', 'th', 'td',
                'a', 'code', 'span', 'section', 'details', 'summary', 'pre', 'ul', 'li', 'br'}
_CONTROL = re.compile('[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]')


def check_all_formats(name):
    report = _report(name)
    out = dict((fmt, render(report)) for fmt, render in RENDERERS.items())
    # JUnit: well-formed, encodable, and the names survive in visible form
    root = ET.fromstring(out['junit'].encode('utf-8'))
    assert root.tag == 'testsuites' and len(root.findall('testsuite')) > 0
    # HTML: no tag but the renderer's own, no script, no event handler, no raw control character
    parser = _Tags()
    parser.feed(out['html'])
    assert set(t for t, _a in parser.tags) <= ALLOWED_TAGS, set(t for t, _a in parser.tags) - ALLOWED_TAGS
    assert not any(k.startswith('on') for _t, attrs in parser.tags for k, _v in attrs)
    assert not _CONTROL.search(out['html']), 'control characters are shown, not passed'
    out['html'].encode('utf-8')
    # Markdown: no raw '<' from the data at all (no HTML), no control character, table rows intact
    assert not re.search(r'<[A-Za-z!/]', out['markdown']), 'Markdown carries no tag'
    assert not _CONTROL.search(out['markdown'])
    for line in out['markdown'].splitlines():
        if line.startswith('|') and '---' not in line:
            cells = re.split(r'(?<!\\)\|', line)
            assert len(cells) >= 3, line
    out['markdown'].encode('utf-8')
    # SCS: one line per control, each '<id>: RESULT'
    lines = out['scs'].split('\n')[:-1]
    assert len(lines) == len(report['controls']) and all(re.match(r'^\S+: (PASS|FAIL|ABORT)$', ln) for ln in lines)
    assert out['scs'].splitlines() == lines
    return out


@pytest.mark.parametrize('name', HOSTILE)
def test_hostile_names_in_every_format(name):
    out = check_all_formats(name)
    if '<script>' in name:
        assert '&lt;script&gt;' in out['html'] and '&lt;script&gt;' in out['markdown']
    if '\x01' in name:
        assert '\\x01' in out['html'] and '\\x01' in out['markdown']


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(min_size=1, max_size=30))
def test_any_text_in_every_format(name):
    check_all_formats(name)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0x3000), min_size=1, max_size=12)
       .map(lambda t: '<%s>' % t))
def test_tag_shaped_text_never_becomes_a_tag(name):
    check_all_formats(name)
