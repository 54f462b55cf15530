#!/usr/bin/env bash
# Replays the whole Microsoft Philly trace (82,247 jobs, 2017) on quick
# clusters of 512 and 768 GPUs under two policies, and prints the table of
# README.md. Usage: examples/philly-replay/compare.sh [gwsim] [philly.csv] [out] ["GPU counts"]
# (the test runs it on the 400-job slice in tests/data/philly on 16 and 24 GPUs).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
gwsim="${1:-$here/../../build/sim/gwsim}"
trace="${2:-$here/../../data/traces/philly/philly.csv.xz}"
out="${3:-out/philly-replay}"
sizes="${4:-512 768}"
[ -f "$trace" ] || { echo "compare.sh: no Philly trace at $trace (see data/traces/README.md)" >&2; exit 1; }
printf '| GPUs | policy | jobs completed | mean wait (h) | p95 wait (h) | utilization |\n|---|---|---|---|---|---|\n'
for gpus in $sizes; do
  for policy in fifo easy_backfill; do
    "$gwsim" replay --trace "$trace" --format philly --gpus "$gpus" --gpus-per-node 8 --policy "$policy" \
      -q -o "$out/$gpus-$policy"
    /usr/bin/python3 - "$out/$gpus-$policy/summary.json" "$gpus" "$policy" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))["summary"]
v = lambda k: s[k]["value"]
print(f"| {sys.argv[2]} | {sys.argv[3]} | {int(v('jobs_completed')):,} of {int(v('jobs')):,} | "
      f"{v('internal_mean_wait') / 3600:.2f} | {v('internal_p95_wait') / 3600:.2f} | {v('utilization_total'):.3f} |")
PY
  done
done
