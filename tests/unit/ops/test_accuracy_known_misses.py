# -*- coding: utf-8 -*-
"""benchmarks/accuracy.py --update-known-misses: known-misses.yml brought up to date from one run - met misses dropped,
changed statuses updated (class and reason kept), entries of variants not in the run kept as they are, new misses printed
and never added (their reason is for a human)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import io
import os
import sys

import yaml

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..', '..'))
sys.path.insert(0, REPO)
from benchmarks import accuracy  # noqa: E402  pylint: disable=wrong-import-position

HEAD = '# Misses of the corpus\n# (comment kept)\n'


def _entry(variant, control, expected, got, reason='why'):
    return {'variant': variant, 'control': control, 'expected': expected, 'got': got, 'class': 'class X', 'reason': reason}


def test_update_drops_met_updates_changed_keeps_others_and_prints_new(tmp_path):
    variants = [{'name': 'a', 'expect': {'c1': {'status': 'fail', 'why': 'w'}, 'c2': {'status': 'pass', 'why': 'w'},
                                         'c3': {'status': 'pass', 'why': 'w'}}}]
    known = [_entry('a', 'c1', 'fail', 'not_assessed', reason='kept reason'), _entry('a', 'c2', 'pass', 'error'),
             _entry('a', 'gone', 'pass', 'fail'), _entry('other', 'c9', 'pass', 'fail', reason='other variant')]
    got = {'a': {'c1': 'error', 'c2': 'pass', 'c3': 'fail'}}
    rows = accuracy.compare(variants, got, {}, known)
    out = io.StringIO()
    kept = accuracy.update_known(rows, known, variants, out=out)
    assert [(k['variant'], k['control'], k['got'], k['reason'], k['class']) for k in kept] == [
        ('a', 'c1', 'error', 'kept reason', 'class X'), ('other', 'c9', 'fail', 'other variant', 'class X')]
    text = out.getvalue()
    assert 'dropped (met now): a c2' in text and 'dropped (no such expectation any more): a gone' in text
    assert 'updated got: a c1: not_assessed -> error' in text
    assert 'new misses (not added' in text and 'control: c3' in text
    rows = accuracy.compare(variants, got, {}, kept)
    assert accuracy.problems(rows, kept, variants) == ['new miss: a c3 expected pass, got fail']


def test_write_keeps_the_comment_and_the_layout(tmp_path):
    path = str(tmp_path / 'known-misses.yml')
    with open(path, 'w') as handle:
        handle.write(HEAD + 'misses: []\n')
    entries = [_entry('a', 'c1', 'fail', 'error', reason='a reason long enough ' * 8)]
    accuracy.write_known(entries, path)
    text = open(path).read()
    assert text.startswith(HEAD) and '\n  - variant: a\n    control: c1\n' in text
    assert accuracy.load_known(path) == entries
    accuracy.write_known([], path)
    assert open(path).read() == HEAD + 'misses:\n' and accuracy.load_known(path) == []
    # an entry appended later (another helper's variants) still makes a valid list
    with open(path, 'a') as handle:
        handle.write(yaml.safe_dump([_entry('osa-x', 'c1', 'pass', 'fail')], indent=2).replace('- ', '  - ', 1).replace('\n', '\n  ')
                     .rstrip(' '))
    assert [e['variant'] for e in accuracy.load_known(path)] == ['osa-x']
