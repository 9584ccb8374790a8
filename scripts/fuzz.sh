#!/usr/bin/env bash
# Longer property-based fuzzing than the suite's bounded run (tests/unit/fuzz): every parser entry
# point, discovery over fuzzed trees and the record of a node's answer on the controller, random examples
# (hypothesis profile "long"), round after
# round until FUZZ_MINUTES (default 10) have passed. Stops at the first input that crashes a
# parser or breaks a result, and prints it with hypothesis' reproduction blob.
# Usage: scripts/fuzz.sh        e.g. FUZZ_MINUTES=30 FUZZ_EXAMPLES=5000 scripts/fuzz.sh
set -uo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO" || exit 1
export PATH="$REPO/.venv/bin:$PATH"
ANSIBLE_COLLECTIONS_PATH="$(python lab/paths.py)" || exit 1
export ANSIBLE_COLLECTIONS_PATH HYPOTHESIS_PROFILE=long
# examples per entry point and round: small rounds, so every entry point is fuzzed in each one
export FUZZ_EXAMPLES="${FUZZ_EXAMPLES:-500}"
end=$((SECONDS + ${FUZZ_MINUTES:-10} * 60))
round=0
while ((SECONDS < end)); do
  round=$((round + 1))
  echo "== fuzz round ${round}: ${FUZZ_EXAMPLES} examples per entry point, $(((end - SECONDS) / 60)) min left"
  timeout --foreground "$((end - SECONDS))" python -m pytest -x -q -p no:cacheprovider \
    tests/unit/fuzz/test_fuzz_parsers.py tests/unit/fuzz/test_fuzz_record.py tests/unit/fuzz/test_known_crashes.py
  rc=$?
  if ((rc == 124)); then
    echo "fuzz.sh: time is up during round ${round}; what ran of it passed"
    round=$((round - 1))
    break
  elif ((rc != 0)); then
    echo "fuzz.sh: round ${round} found a problem (above)" >&2
    exit "$rc"
  fi
done
echo "fuzz.sh: nothing found in ${round} complete round(s), $((SECONDS / 60)) min"
