#!/usr/bin/env bash
# Issue 9's benchmarks (docs/performance.md), each run as its own process
# under /usr/bin/time, printed as Markdown tables:
#   1. gw-1: the 1 GW reference design, 30 days, fleet fidelity, everything on
#      (goal <= 8 s, <= 4 GiB), and for 365 days (goal <= 100 s); pai-20k:
#      20,000 jobs on 6,528 GPUs under fifo and easy_backfill (issue 17);
#   2. fabric-100k: 102,400 GPUs, 7 days, fabric fidelity (goal <= 60 s);
#   3. philly-replay: the whole Philly trace under easy_backfill on 2,048
#      GPUs (goal <= 2 s; reads data/traces);
#   4. scaling: 1k, 10k, 100k, 1M GPUs at 10k jobs, and 10k, 100k, 1M jobs
#      at 100k GPUs (bench/scenarios/scaling.yaml.in);
#   5. events per wall second of each run next to a bare binary-heap event
#      loop (bench/event_loop_baseline.cpp) at the run's peak number of
#      pending events (goal: within 10x).
# Usage: bench/run_benchmarks.sh [--quick] [BUILD_DIR]   (default build/; it
# needs the Release build with -DGWSIM_BENCH=ON). --quick leaves out the two
# largest scaling points. Simulated results are printed too: they must not
# change when an optimisation lands (tests/run_output_test.cpp checks bytes).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
quick=0
if [ "${1:-}" = "--quick" ]; then quick=1; shift; fi
build="$(cd "${1:-$root/build}" && pwd)"
gwsim="$build/sim/gwsim"
baseline="$build/bench/event_loop_baseline"
philly="$root/data/traces/philly/philly.csv.xz"
for f in "$gwsim" "$baseline" /usr/bin/time; do
  [ -x "$f" ] || { echo "run_benchmarks: $f is missing (cmake -DGWSIM_BENCH=ON, then build)" >&2; exit 1; }
done
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

rows=()      # the benchmark table
event_rows=()
# measure NAME GOAL_S GOAL_GIB -- gwsim args...: one timed run, one row.
measure() {
  local name="$1" goal_s="$2" goal_gib="$3"
  shift 4
  /usr/bin/time -f "%e %M" -o "$out/$name.time" "$gwsim" "$@" -q --stats -o "$out/$name" 2> "$out/$name.err" || {
    cat "$out/$name.err" >&2
    echo "run_benchmarks: $name failed" >&2
    exit 1
  }
  local wall rss_kib stats summary
  read -r wall rss_kib < "$out/$name.time"
  stats="$(grep '^gwsim stats:' "$out/$name.err")"
  summary="$out/$name/summary.json"
  local events per_s pending setup gpus jobs days gib met
  events=$(sed -E 's/.*, ([0-9]+) events,.*/\1/' <<< "$stats")
  per_s=$(sed -E 's/.* ([0-9]+) events\/s.*/\1/' <<< "$stats")
  pending=$(sed -E 's/.*peak ([0-9]+) pending.*/\1/' <<< "$stats")
  setup=$(sed -E 's/.*\(setup ([0-9.]+) s.*/\1/' <<< "$stats")
  gpus=$(jq '.summary.gpus.value' "$summary")
  jobs=$(jq '.summary.jobs.value' "$summary")
  days=$(jq '.summary.simulated_time.value / 86400' "$summary")
  gib=$(echo "scale=2; $rss_kib / 1048576" | bc)
  met="-"
  if [ "$goal_s" != "-" ]; then
    met=yes
    (($(echo "$wall > $goal_s" | bc))) && met=no
    if [ "$goal_gib" != "-" ] && (($(echo "$gib > $goal_gib" | bc))); then met=no; fi
  fi
  rows+=("$(printf '| %s | %s | %s | %.0f | %s | %s | %s | %s | %s |' "$name" "$gpus" "$jobs" "$days" "$wall" "$setup" "$gib" \
    "$( [ "$goal_s" = "-" ] && echo "-" || echo "<= ${goal_s} s$( [ "$goal_gib" != "-" ] && echo ", <= ${goal_gib} GiB")")" "$met")")
  local heap ratio
  heap=$("$baseline" "$((pending > 0 ? pending : 1))" | tail -1 | awk '{print $2}')
  ratio=$(echo "scale=1; $heap / ($per_s + 0.000001)" | bc)
  event_rows+=("$(printf '| %s | %s | %s | %s | %s | %sx |' "$name" "$events" "$pending" "$per_s" "$heap" "$ratio")")
}

# count 10k -> 10000 (k and M suffixes).
count() { sed -e 's/k$/000/' -e 's/M$/000000/' <<< "$1"; }

# scaling_scenario GPUS JOBS: writes the scaling scenario for that point.
scaling_scenario() {
  local gpus="$1" jobs="$2" racks pods halls
  case "$gpus" in
    1k) racks=32; pods=1; halls=1 ;;      # 1,024 GPUs
    10k) racks=80; pods=4; halls=1 ;;     # 10,240
    100k) racks=160; pods=20; halls=1 ;;  # 102,400
    1M) racks=160; pods=25; halls=8 ;;    # 1,024,000
  esac
  local file="$out/scaling-$gpus-$jobs.yaml"
  sed -e "s/@GPUS@/$gpus/g" -e "s/@JOBS@/$jobs/g" -e "s/@RACKS_PER_POD@/$racks/" -e "s/@PODS_PER_HALL@/$pods/" \
    -e "s/@HALLS@/$halls/" -e "s/@PER_HOUR@/$(echo "scale=4; $(count "$jobs") / 720" | bc)/" \
    "$here/scenarios/scaling.yaml.in" > "$file"
  echo "$file"
}

measure gw-1 8 4 -- run "$here/scenarios/gw-1.yaml"
# Issue 17's engine goals: the gigawatt-year, and the 20k-job queueing replay
# (events/s goal >= 1M: see the events table; memory goal 100 MiB).
measure gw-1-year 100 4 -- run "$here/scenarios/gw-1.yaml" --set horizon=365d
for policy in fifo easy_backfill; do
  measure "pai-20k-$policy" - - -- run "$here/scenarios/pai-20k.yaml" --set "scheduler.policy=[$policy]"
done
measure fabric-100k 60 - -- run "$here/scenarios/fabric-100k.yaml"
if [ -f "$philly" ]; then
  measure philly-replay 2 - -- replay --trace "$philly" --format philly --gpus 2048 --gpus-per-node 8 --policy easy_backfill
else
  echo "run_benchmarks: no Philly trace at $philly: philly-replay left out" >&2
fi
gpu_points=(1k 10k 100k 1M)
job_points=(10k 100k 1M)
if ((quick)); then gpu_points=(1k 10k 100k); job_points=(10k 100k); fi
for g in "${gpu_points[@]}"; do measure "scaling-$g-gpus" - - -- run "$(scaling_scenario "$g" 10k)"; done
for j in "${job_points[@]}"; do
  [ "$j" = 10k ] && continue  # the 100k-GPU, 10k-job point is in the GPU series
  measure "scaling-$j-jobs" - - -- run "$(scaling_scenario 100k "$j")"
done

echo "gwsim $("$gwsim" --version | awk '{print $2, $3}') on $(nproc) cores, $(date -u +%Y-%m-%d)"
echo
echo "| benchmark | GPUs | jobs | sim days | wall s | setup s | peak RSS GiB | goal | met |"
echo "|---|---|---|---|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
echo
echo "| run | events | peak pending | gwsim events/s | binary heap events/s | heap / gwsim |"
echo "|---|---|---|---|---|---|"
printf '%s\n' "${event_rows[@]}"
