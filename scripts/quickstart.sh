#!/usr/bin/env bash
# One command from a fresh Debian machine to a first result: installs what is
# missing, builds, runs the quickstart scenario (printing its summary table)
# and draws its standard plots. Output in out/quickstart/.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
OUT="${1:-out/quickstart}"
build/sim/gwsim run examples/quickstart/scenario.yaml -o "$OUT"
