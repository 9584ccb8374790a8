# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The execution environment definition (extensions/ee/) with the real ansible-builder: ``ansible-builder create``
writes the build context, and the context's own introspection script (the step the image build runs after
installing the collections) finds the collection's requirements (meta/execution-environment.yml) in this clone.
No container is built here (no podman/docker in the suite): that is the documented manual step. Without
ansible-builder the test skips, except in CI (``CI`` set), where that is a failure."""

from __future__ import absolute_import, division, print_function

import os
import re
import shutil
import subprocess
import sys

import pytest
import yaml

from lab.paths import REPO, collections_root

EE = os.path.join(REPO, 'extensions', 'ee', 'execution-environment.yml')


def _builder():
    found = os.path.join(os.path.dirname(sys.executable), 'ansible-builder')
    found = found if os.path.exists(found) else shutil.which('ansible-builder')
    if not found:
        (pytest.fail if os.environ.get('CI') else pytest.skip)('ansible-builder is not installed (requirements/test.txt)')
    return found


def _requirements(path):
    with open(path) as handle:
        return [re.split(r'[<>=\[ ;#]', line.strip())[0].lower() for line in handle if line.strip() and not line.startswith('#')]


def test_ansible_builder_create_and_introspect(tmp_path):
    context = tmp_path / 'context'
    proc = subprocess.run([_builder(), 'create', '-f', EE, '-c', str(context), '--output-filename', 'Containerfile'],
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stdout
    with open(EE) as handle:
        base = yaml.safe_load(handle)['images']['base_image']['name']
    containerfile = (context / 'Containerfile').read_text()
    assert 'ARG EE_BASE_IMAGE="%s"' % base in containerfile
    assert 'ansible-galaxy collection install' in containerfile and 'introspect' in containerfile
    build = context / '_build'
    galaxy = yaml.safe_load((build / 'requirements.yml').read_text())
    assert [c['name'] for c in galaxy['collections']] == ['scs.secure_connections', 'amazon.aws']
    assert {'boto3', 'botocore'} <= set(_requirements(str(build / 'requirements.txt')))
    # the build's introspection over the collection as installed (this clone, as a collections root)
    pip, bindep = tmp_path / 'pip.txt', tmp_path / 'bindep.txt'
    proc = subprocess.run([sys.executable, str(build / 'scripts' / 'introspect.py'), 'introspect',
                           '--user-pip', str(build / 'requirements.txt'), '--user-bindep', str(build / 'bindep.txt'),
                           '--write-pip', str(pip), '--write-bindep', str(bindep), collections_root()],
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stdout
    wanted = set(_requirements(os.path.join(REPO, 'meta', 'ee-requirements.txt'))) - {'pyyaml'}  # the builder leaves PyYAML to the base
    assert wanted and wanted | {'boto3'} <= set(_requirements(str(pip))), pip.read_text()
    assert 'from collection scs.secure_connections' in pip.read_text()
    assert {'iproute2', 'openssl'} <= set(_requirements(str(bindep))), bindep.read_text()
