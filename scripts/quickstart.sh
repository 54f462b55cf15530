#!/usr/bin/env bash
# One command from a fresh Debian machine to a first result: installs what is
# missing, builds, runs the quickstart scenario (printing its summary table)
# and draws its standard plots. Output in out/quickstart/: run.h5,
# summary.json, timeline.json (open in ui.perfetto.dev) and plots/*.png
# (docs/results.md).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
OUT="${1:-out/quickstart}"
build/sim/gwsim run examples/quickstart/scenario.yaml -o "$OUT" --timeline "$OUT/timeline.json"
# Debian's python3 (with python3-h5py and python3-matplotlib), whatever python3 comes first on PATH.
/usr/bin/python3 scripts/plot_run.py "$OUT" -o "$OUT/plots"
