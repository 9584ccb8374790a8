#!/usr/bin/env bash
# The whole test suite: ansible-test sanity, ansible-lint, then unit and integration tests
# (pytest, real services on loopback). Installs what it needs first (scripts/bootstrap.sh).
# Usage: scripts/test.sh [pytest args...]   e.g. scripts/test.sh -k tls
# Environment: SCS_SKIP_SANITY=1 / SCS_SKIP_LINT=1 to skip those stages while developing.
set -uo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO"
scripts/bootstrap.sh || exit 1
export PATH="$REPO/.venv/bin:$PATH"
export ANSIBLE_COLLECTIONS_PATH="$(.venv/bin/python lab/paths.py)"
export ANSIBLE_NOCOLOR=1 ANSIBLE_FORCE_COLOR=0 PY_COLORS=0
failed=()
stage() { printf '\n\033[1m==== %s ====\033[0m\n' "$*"; }

if [[ "${SCS_SKIP_SANITY:-0}" != 1 ]]; then
  stage "ansible-test sanity"
  work="$(mktemp -d)"
  dest="$work/ansible_collections/scs/secure_connections"
  mkdir -p "$dest"
  if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    git ls-files -co --exclude-standard -z | rsync -a --from0 --files-from=- ./ "$dest/"
  else
    rsync -a --exclude .venv --exclude '.venv-*' --exclude tests/output ./ "$dest/"
  fi
  ( cd "$dest" && \
    ansible-test sanity --venv --python 3.11 --color no ) || failed+=("sanity")
  rm -rf "$work"
fi

if [[ "${SCS_SKIP_LINT:-0}" != 1 ]]; then
  stage "ansible-lint"
  ansible-lint --offline -q roles playbooks || failed+=("ansible-lint")
fi

stage "pytest: unit and integration tests"
python -m pytest tests/unit tests/integration -p no:cacheprovider -o console_output_style=classic -q "$@"
rc=$?
if [[ $rc -ne 0 ]]; then failed+=("pytest"); fi
if ((${#failed[@]})); then
  echo "FAILED stages: ${failed[*]}"
  exit 1
fi
echo "all stages passed: sanity, ansible-lint, pytest"
