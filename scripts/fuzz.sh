#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan + coverage) into
# build-fuzz/ and runs each one over its seed corpus, then prints a table
# (docs/reliability.md#fuzzing). A crash, leak, timeout or sanitizer report
# stops the script with a non-zero status; the input is kept in
# build-fuzz/artifacts/<target>/ (add it to tests/data/fuzz/<target>/ with
# the fix).
#
# Environment:
#   FUZZ_SECONDS  seconds per target (default 20)
#   FUZZ_RUNS     executions per target instead of a time (e.g. 1000000)
#   FUZZ_SEED     libFuzzer's seed (default 1: with FUZZ_RUNS a run is repeatable)
#   FUZZ_TARGETS  space-separated targets (default: all; names as in fuzz/corpus/)
#   BUILD_DIR     default build-fuzz;  JOBS  parallel build jobs (default: all cores)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/packages.sh
BUILD_DIR="${BUILD_DIR:-build-fuzz}"
sanitizer_setup
SECONDS_PER_TARGET="${FUZZ_SECONDS:-20}"
TARGETS="${FUZZ_TARGETS:-$(ls fuzz/corpus)}"

launcher=()
if command -v ccache > /dev/null; then launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache); fi
if [ ! -f "$BUILD_DIR/CMakeCache.txt" ]; then
  CC=clang CXX=clang++ cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DGWSIM_FUZZ=ON \
    -DGWSIM_CUDA=OFF -DGWSIM_MPI=OFF -DGWSIM_TESTS=OFF -DGWSIM_BENCH=OFF "${launcher[@]}" > /dev/null
fi
build_targets=()
for t in $TARGETS; do build_targets+=(--target "${t}_fuzzer"); done
cmake --build "$BUILD_DIR" -j "$JOBS" "${build_targets[@]}"

# SimGrid is not entered by any target; nothing is leaked on purpose, so
# leak detection stays on. Abort on the first UBSan report.
export ASAN_OPTIONS="${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

limit=(-max_total_time="$SECONDS_PER_TARGET")
if [ -n "${FUZZ_RUNS:-}" ]; then limit=(-runs="$FUZZ_RUNS"); fi

status=0
rows=()
for t in $TARGETS; do
  work="$BUILD_DIR/corpus/$t"      # inputs the fuzzer finds go here; fuzz/corpus/ stays as committed
  artifacts="$BUILD_DIR/artifacts/$t"
  log="$BUILD_DIR/logs/$t.log"
  mkdir -p "$work" "$artifacts" "$(dirname "$log")"
  dict=fuzz/trace.dict
  [ "$t" = scenario ] && dict=fuzz/scenario.dict
  start=$(date +%s)
  rc=0
  "$BUILD_DIR/fuzz/${t}_fuzzer" "${limit[@]}" -seed="${FUZZ_SEED:-1}" -timeout=10 -rss_limit_mb=2048 -max_len=8192 \
    -dict="$dict" -artifact_prefix="$artifacts/" -print_final_stats=1 \
    "$work" "fuzz/corpus/$t" > "$log" 2>&1 || rc=$?
  seconds=$(( $(date +%s) - start ))
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  crashes=$(find "$artifacts" -type f -newermt "@$start" | wc -l)
  result=ok
  if [ "$rc" -ne 0 ] || [ "$crashes" -ne 0 ]; then
    result="FAILED (exit $rc; see $log)"
    status=1
    tail -n 40 "$log"
  fi
  rows+=("$(printf '%-20s %12s %8s %8s  %s' "$t" "${runs:-?}" "$seconds" "$crashes" "$result")")
done

printf '%-20s %12s %8s %8s  %s\n' target executions seconds crashes result
printf '%s\n' "${rows[@]}"
exit "$status"
