#!/usr/bin/env bash
# The whole test suite under AddressSanitizer and UndefinedBehaviorSanitizer
# (docs/reliability.md#sanitizers): a Debug build with clang into
# build-asan/ (CUDA off; the fuzz targets are built with it, so that
# scripts/fuzz.sh can reuse it), then ctest. When a Release build exists in
# build/ (./scripts/test.sh makes it), the suite also compares the datasets
# the two builds write for the same scenarios, byte for byte.
# Environment: BUILD_DIR (default build-asan), JOBS (default: all cores),
# REFERENCE_BUILD (default build).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/packages.sh
BUILD_DIR="${BUILD_DIR:-build-asan}"
sanitizer_setup
REFERENCE="${REFERENCE_BUILD:-build}/sim/gwsim"

args=(-DCMAKE_BUILD_TYPE=Debug -DGWSIM_SANITIZE=ON -DGWSIM_FUZZ=ON -DGWSIM_CUDA=OFF -DGWSIM_BENCH=OFF)
if command -v ccache > /dev/null; then args+=(-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache); fi
if [ -x "$REFERENCE" ]; then args+=(-DGWSIM_REFERENCE_BINARY="$(realpath "$REFERENCE")"); fi
CC=clang CXX=clang++ cmake -S . -B "$BUILD_DIR" "${args[@]}" > /dev/null
cmake --build "$BUILD_DIR" -j "$JOBS"

# The options every sanitized program of the suite runs with (docs/reliability.md#sanitizers).
source scripts/sanitizer_env.sh
ctest --test-dir "$BUILD_DIR" --output-on-failure -j "$JOBS"
