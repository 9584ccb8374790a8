#!/usr/bin/env bash
# The demo: install what is needed, start a lab of real services on loopback, audit it with
# the collection's playbook, print the summary and the report paths, stop everything.
# Usage: scripts/demo.sh [--output DIR] [--keep-workdir]
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO"
scripts/bootstrap.sh
exec .venv/bin/python -m lab.demo "$@"
