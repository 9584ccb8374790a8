#!/usr/bin/env bash
# Install everything the demo and the tests need on Debian 12, as root. Idempotent: a second run
# only checks (each Python environment carries a stamp of its requirement files).
# Usage: scripts/bootstrap.sh [--no-apt] [--test]
#   --no-apt  do not install Debian packages
#   --test    also the environments of the test suite's newest end (they need Python 3.12+):
#             .venv-newest (requirements/newest.txt) and .venv-galaxy (requirements/galaxy.txt)
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO"
log() { printf '\033[1m[bootstrap]\033[0m %s\n' "$*" >&2; }

apt=1 test=0
for arg in "$@"; do
  case "$arg" in
    --no-apt) apt=0 ;;
    --test) test=1 ;;
    *) echo "bootstrap: unknown argument $arg (use --no-apt, --test)" >&2; exit 2 ;;
  esac
done

if ((apt)); then
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

# venv DIR PYTHON WHAT REQUIREMENT_FILE...: (re)create DIR when it is missing or its stamp (the
# hash of the requirement files) differs; pip installs the last file (it includes the others).
venv() {
  local dir="$1" python="$2" what="$3" want
  shift 3
  want="$(cat "$@" | sha256sum | cut -d' ' -f1)"
  if [[ ! -x $dir/bin/python || "$(cat "$dir/.requirements.sha256" 2>/dev/null)" != "$want" ]]; then
    log "creating the Python environment $dir ($what)"
    [[ -x $dir/bin/python ]] || "$python" -m venv "$dir"
    "$dir/bin/python" -m pip install -q --upgrade pip
    "$dir/bin/python" -m pip install -q -r "${@: -1}"
    echo "$want" > "$dir/.requirements.sha256"
  fi
}

# A Python 3.12+ for ansible-core 2.20 and newer (Debian 12 ships 3.11): python3.1x on PATH, else pyenv's.
newest_python() {
  local c
  for c in python3.14 python3.13 python3.12 "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.1[2-9]*/bin/python3; do
    c="$(command -v "$c" 2>/dev/null)" || continue
    if "$c" -c 'import sys, venv; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then
      echo "$c"
      return 0
    fi
  done
  return 1
}

venv .venv "$PY" "ansible-core, the libraries, the test tools" requirements/runtime.txt requirements/test.txt

# Keystone for the lab lives in its own environment (its dependencies must not mix with ours).
if [[ -f requirements/keystone.txt ]]; then
  if [[ ! -x .venv-keystone/bin/keystone-manage ]]; then rm -f .venv-keystone/.requirements.sha256; fi
  venv .venv-keystone "$PY" "Keystone for the lab" requirements/keystone.txt
fi

if ((test)); then
  if ! NEWEST_PY="$(newest_python)"; then
    echo "bootstrap: the newest ansible-core needs Python 3.12 or newer; install one (for example" \
         "'pyenv install 3.12') and run again" >&2
    exit 1
  fi
  venv .venv-newest "$NEWEST_PY" "the newest ansible-core, antsibull-docs" requirements/newest.txt
  venv .venv-galaxy "$NEWEST_PY" "galaxy-importer" requirements/galaxy.txt
  # The collection's declared dependencies (galaxy.yml), as Galaxy has them when it imports: the
  # importer's ansible-lint and antsibull-docs' ansible-doc find collections on their Python path.
  # They come from the `ansible` package of .venv (requirements/test.txt); no Galaxy server is
  # reachable from here.
  site="$(.venv/bin/python -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
  read -r -a deps <<< "$(.venv/bin/python -c 'import yaml; print(" ".join(yaml.safe_load(open("galaxy.yml"))["dependencies"]))')"
  for env in .venv-galaxy .venv-newest; do
    esite="$("$env/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
    for dep in "${deps[@]}"; do
      ns="${dep%%.*}" name="${dep#*.}"
      if [[ ! -d "$esite/ansible_collections/$ns/$name" ]]; then
        mkdir -p "$esite/ansible_collections/$ns"
        cp -a "$site/ansible_collections/$ns/$name" "$esite/ansible_collections/$ns/"
      fi
    done
  done
  # awx.awx for the AWX example playbooks (extensions/awx/configure.yml), which Galaxy's lint reads too
  gsite="$(.venv-galaxy/bin/python -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
  if [[ ! -d "$gsite/ansible_collections/awx/awx" && -d "$site/ansible_collections/awx/awx" ]]; then
    mkdir -p "$gsite/ansible_collections/awx"
    cp -a "$site/ansible_collections/awx/awx" "$gsite/ansible_collections/awx/"
  fi
fi

# ansible-test downloads a pip bootstrap script from a host this machine may not reach; give each
# ansible-test (one per ansible-core) a stand-in that bootstraps pip with ensurepip and installs
# the requested packages from PyPI.
for reqs in .venv/lib/python3*/site-packages/ansible_test/_internal/python_requirements.py \
            .venv-newest/lib/python3*/site-packages/ansible_test/_internal/python_requirements.py; do
  [[ -f $reqs ]] || continue
  pipver="$(sed -n "s/^ *pip='\([0-9.]*\)',*$/\1/p;T;q" "$reqs")"
  [[ -n "$pipver" ]] || continue
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
done

# The whole output is read before the first line is kept: "ansible --version | head -n1" let
# ansible write into a closed pipe (an "[ERROR]: Unexpected Exception ... Broken pipe" traceback).
version="$(.venv/bin/ansible --version)"
log "ready: ${version%%$'\n'*}"
if ((test)); then
  version="$(.venv-newest/bin/ansible --version)"
  log "ready: ${version%%$'\n'*} (newest end, .venv-newest)"
fi
