#!/usr/bin/env bash
# The whole Philly trace (82,247 jobs) replayed end to end with `gwsim replay`
# on quick clusters of three sizes, FIFO: wall time and what the run measured.
#   bench/philly_replay.sh [path/to/gwsim] [path/to/philly.csv]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
gwsim="${1:-$here/../build/sim/gwsim}"
trace="${2:-$here/../data/traces/philly/philly.csv.xz}"
[ -f "$trace" ] || { echo "philly_replay: no trace at $trace" >&2; exit 1; }
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
printf '%-6s %-8s %9s %10s %14s %12s %14s\n' GPUs jobs completed wall_s mean_wait_s utilization sim_days
for gpus in 512 1024 2048; do
  start=$(date +%s.%N)
  "$gwsim" replay --trace "$trace" --format philly --gpus "$gpus" --gpus-per-node 8 -q -o "$out/$gpus" > /dev/null
  end=$(date +%s.%N)
  s="$out/$gpus/summary.json"
  printf '%-6s %-8s %9s %10.1f %14.0f %12.3f %14.1f\n' "$gpus" \
    "$(jq '.summary.jobs.value' "$s")" "$(jq '.summary.jobs_completed.value' "$s")" \
    "$(echo "$end - $start" | bc)" "$(jq '.summary.internal_mean_wait.value' "$s")" \
    "$(jq '.summary.utilization_total.value' "$s")" "$(jq '.summary.simulated_time.value / 86400' "$s")"
done
