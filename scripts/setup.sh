#!/usr/bin/env bash
# Installs the Debian packages gwsim needs (only those missing), then
# configures and builds into build/. Safe to run again: it does only what is
# left to do. Environment: BUILD_DIR (default build), GWSIM_CMAKE_ARGS (extra
# -D flags), JOBS (parallel build jobs, default: all cores).
set -euo pipefail
cd "$(dirname "$0")/.."

source scripts/packages.sh
install_packages "${PACKAGES[@]}"

BUILD_DIR="${BUILD_DIR:-build}"
JOBS="${JOBS:-$(nproc)}"
# shellcheck disable=SC2086
cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE="${CMAKE_BUILD_TYPE:-Release}" ${GWSIM_CMAKE_ARGS:-}
cmake --build "$BUILD_DIR" -j "$JOBS"
