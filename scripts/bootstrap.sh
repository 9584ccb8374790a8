#!/usr/bin/env bash
# Install everything the demo and the tests need on Debian 12, as root. Idempotent: a second run
# only checks. Usage: scripts/bootstrap.sh [--no-apt]
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO"
log() { printf '\033[1m[bootstrap]\033[0m %s\n' "$*" >&2; }

if [[ "${1:-}" != "--no-apt" ]]; then
  mapfile -t PKGS < <(grep -Ev '^\s*(#|$)' requirements/apt.txt)
  missing=()
  for p in "${PKGS[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  if ((${#missing[@]})); then
    [[ $(id -u) -eq 0 ]] || { echo "bootstrap: run as root to install: ${missing[*]}" >&2; exit 1; }
    log "installing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    apt-get install -y -q -o DPkg::Lock::Timeout=600 --no-install-recommends "${missing[@]}"
  fi
fi

PY=/usr/bin/python3
[[ -x $PY ]] || PY="$(command -v python3)"
stamp=".venv/.requirements.sha256"
want="$(cat requirements/runtime.txt requirements/test.txt | sha256sum | cut -d' ' -f1)"
if [[ ! -x .venv/bin/python || "$(cat "$stamp" 2>/dev/null)" != "$want" ]]; then
  log "creating the Python environment .venv"
  [[ -x .venv/bin/python ]] || "$PY" -m venv .venv
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -r requirements/test.txt
  echo "$want" > "$stamp"
fi

# Keystone for the lab lives in its own environment (its dependencies must not mix with ours).
kstamp=".venv-keystone/.requirements.sha256"
kwant="$(sha256sum requirements/keystone.txt 2>/dev/null | cut -d' ' -f1 || true)"
if [[ -f requirements/keystone.txt && ( ! -x .venv-keystone/bin/keystone-manage || "$(cat "$kstamp" 2>/dev/null)" != "$kwant" ) ]]; then
  log "creating the Keystone environment .venv-keystone"
  [[ -x .venv-keystone/bin/python ]] || "$PY" -m venv .venv-keystone
  .venv-keystone/bin/python -m pip install -q --upgrade pip
  .venv-keystone/bin/python -m pip install -q -r requirements/keystone.txt
  echo "$kwant" > "$kstamp"
fi

# ansible-test downloads a pip bootstrap script from a host this machine may not reach; give it
# a stand-in that bootstraps pip with ensurepip and installs the requested packages from PyPI.
pipver="$(sed -n "s/^ *pip='\([0-9.]*\)',*$/\1/p" .venv/lib/python3*/site-packages/ansible_test/_internal/python_requirements.py | head -n1)"
if [[ -n "$pipver" ]]; then
  getpip="$HOME/.ansible/test/cache/get_pip_${pipver//./_}.py"
  if [[ ! -f "$getpip" ]]; then
    mkdir -p "$(dirname "$getpip")"
    cat > "$getpip" <<'PYEOF'
"""Offline stand-in for get-pip.py (written by scs.secure_connections scripts/bootstrap.sh)."""
import subprocess
import sys

args = [a for a in sys.argv[1:] if a not in ('--no-setuptools', '--no-wheel')]
subprocess.check_call([sys.executable, '-m', 'ensurepip', '--upgrade', '--default-pip'])
if args:
    subprocess.check_call([sys.executable, '-m', 'pip', 'install'] + args)
PYEOF
  fi
fi
log "ready: $(.venv/bin/ansible --version | head -n1)"
