#!/usr/bin/env bash
# The whole test suite: shellcheck, ansible-lint over the repository, antsibull-docs lint,
# ansible-test sanity on both ends of the support matrix, galaxy-importer on the built
# collection, then unit and integration tests (pytest, real services on loopback; among them the
# built collection installed with the newest ansible-core). Installs what it needs first
# (scripts/bootstrap.sh --test) and prints how long each stage took.
# Usage: scripts/test.sh [pytest args...]   e.g. scripts/test.sh -k tls
# Environment, while developing: SCS_SKIP_SANITY=1 skips both sanity stages, SCS_SKIP_LINT=1 the
# ShellCheck, ansible-lint, antsibull-docs and galaxy-importer stages. Skipped stages are listed
# at the end, and the run never reports "all stages passed" then.
set -uo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO" || exit 1
scripts/bootstrap.sh --test || exit 1
export PATH="$REPO/.venv/bin:$PATH"
ANSIBLE_COLLECTIONS_PATH="$(.venv/bin/python lab/paths.py)" || exit 1
export ANSIBLE_COLLECTIONS_PATH
export ANSIBLE_NOCOLOR=1 ANSIBLE_FORCE_COLOR=0 PY_COLORS=0 NO_COLOR=1
NEWEST="$REPO/.venv-newest/bin"
GALAXY="$REPO/.venv-galaxy/bin"
passed=() failed=() skipped=() timings=()

stage() { printf '\n\033[1m==== %s ====\033[0m\n' "$*"; }

# run_stage NAME COMMAND...: run it, record pass/fail and its duration
run_stage() {
  local name="$1" start rc
  shift
  stage "$name"
  start=$SECONDS
  "$@"
  rc=$?
  timings+=("$(printf '%-28s %5ss  %s' "$name" "$((SECONDS - start))" "$([[ $rc -eq 0 ]] && echo ok || echo FAILED)")")
  if [[ $rc -eq 0 ]]; then passed+=("$name"); else failed+=("$name"); fi
}

skip_stage() { skipped+=("$1 ($2)"); timings+=("$(printf '%-28s %5s   skipped: %s' "$1" '-' "$2")"); }

# A copy of the tracked and new (not ignored) files at ansible_collections/scs/secure_connections,
# as ansible-test needs it.
collection_copy() {
  local dest="$1/ansible_collections/scs/secure_connections"
  mkdir -p "$dest"
  if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    git ls-files -co --exclude-standard -z | rsync -a --from0 --files-from=- ./ "$dest/"
  else
    rsync -a --exclude '.venv*' --exclude tests/output --exclude demo-output ./ "$dest/"
  fi
  echo "$dest"
}

# sanity VENV_BIN PYTHON: ansible-test sanity of that ansible-core, no ignore file
sanity() {
  local bin="$1" python="$2" work dest rc
  work="$(mktemp -d)"
  dest="$(collection_copy "$work")"
  echo "ansible-core $("$bin/python" -c 'import ansible.release as r; print(r.__version__)'), Python $python"
  (cd "$dest" && PATH="$bin:$PATH" ansible-test sanity --venv --python "$python" --color no)
  rc=$?
  rm -rf "$work"
  return $rc
}

shellcheck_all() {
  local scripts=()
  mapfile -t scripts < <(git ls-files -co --exclude-standard | while read -r f; do
    [[ -f $f ]] && head -n1 "$f" | grep -Eq '^#!.*(ba|da|)sh\b' && echo "$f"; done)
  echo "${#scripts[@]} scripts: ${scripts[*]}"
  shellcheck "${scripts[@]}"
}

antsibull_lint() {
  PATH="$NEWEST:$PATH" antsibull-docs lint-collection-docs --plugin-docs .
}

galaxy_import() {
  local work tarball rc
  work="$(mktemp -d)"
  "$NEWEST/ansible-galaxy" collection build --output-path "$work" . >/dev/null || { rm -rf "$work"; return 1; }
  tarball="$(ls "$work"/scs-secure_connections-*.tar.gz)"
  # the collection installed where Ansible finds it on the Python path, as it is on a user's machine: the AWX
  # project playbook imports scs.secure_connections.audit, which the importer's ansible-lint resolves
  "$NEWEST/ansible-galaxy" collection install --force --no-deps -p "$work/installed" "$tarball" >/dev/null 2>&1 || { rm -rf "$work"; return 1; }
  (cd "$work" && PATH="$GALAXY:$PATH" PYTHONPATH="$work/installed" "$GALAXY/python" -m galaxy_importer.main "$tarball") \
    > "$work/importer.log" 2>&1
  rc=$?
  grep -E 'WARNING|ERROR|Importer processing' "$work/importer.log"
  if [[ $rc -ne 0 ]] || grep -Eq 'WARNING|ERROR' "$work/importer.log"; then
    tail -n 40 "$work/importer.log"
    rc=1
  fi
  rm -rf "$work"
  return $rc
}

if [[ "${SCS_SKIP_LINT:-0}" != 1 ]]; then
  run_stage "shellcheck" shellcheck_all
  run_stage "ansible-lint (repository)" ansible-lint --offline -q
  run_stage "antsibull-docs lint" antsibull_lint
else
  for s in shellcheck "ansible-lint (repository)" "antsibull-docs lint"; do skip_stage "$s" SCS_SKIP_LINT=1; done
fi

if [[ "${SCS_SKIP_SANITY:-0}" != 1 ]]; then
  pyver() { "$1/python" -c 'import sys; print("%d.%d" % sys.version_info[:2])'; }
  run_stage "sanity, oldest ansible-core" sanity "$REPO/.venv/bin" "$(pyver "$REPO/.venv/bin")"
  run_stage "sanity, newest ansible-core" sanity "$NEWEST" "$(pyver "$NEWEST")"
else
  for s in "sanity, oldest ansible-core" "sanity, newest ansible-core"; do skip_stage "$s" SCS_SKIP_SANITY=1; done
fi

if [[ "${SCS_SKIP_LINT:-0}" != 1 ]]; then
  run_stage "galaxy-importer" galaxy_import
else
  skip_stage "galaxy-importer" SCS_SKIP_LINT=1
fi

run_stage "pytest" python -m pytest tests/unit tests/integration -p no:cacheprovider -o console_output_style=classic -q "$@"

stage "summary"
printf '%s\n' "${timings[@]}"
if ((${#failed[@]})); then
  echo "FAILED stages: ${failed[*]}"
  exit 1
fi
if ((${#skipped[@]})); then
  echo "passed: ${passed[*]}"
  echo "NOT RUN: ${skipped[*]}"
  exit 0
fi
echo "all stages passed: ${passed[*]}"
