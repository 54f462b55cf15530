#!/usr/bin/env bash
# One command from a fresh Debian machine to a passing test suite: installs
# what is missing, builds, and runs every test (ctest).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
ctest --test-dir "${BUILD_DIR:-build}" --output-on-failure -j "${JOBS:-$(nproc)}"
