#!/usr/bin/env bash
# Installs the Debian packages gwsim needs (only those missing), then
# configures and builds into build/. Safe to run again: it does only what is
# left to do. Environment: BUILD_DIR (default build), GWSIM_CMAKE_ARGS (extra
# -D flags), JOBS (parallel build jobs, default: all cores).
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(
  build-essential cmake pkg-config git
  libsimgrid-dev                        # SimGrid 3.32: the discrete-event engine
  libboost-graph-dev                    # Boost.Graph: the physical topology
  libprotobuf-dev protobuf-compiler     # the gwsim trace format, Chakra traces
  libhdf5-dev hdf5-tools                # run output (h5ls, h5dump for inspection)
  libyaml-cpp-dev libcli11-dev libfmt-dev nlohmann-json3-dev
  libgtest-dev libgmock-dev googletest  # the test suite
  libbenchmark-dev                      # bench/
  jq bc                                 # bench/philly_replay.sh reads summary.json
  python3 python3-h5py python3-matplotlib python3-numpy python3-pandas  # plots and the docs' snippets
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "gwsim setup: installing ${missing[*]}"
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends "${missing[@]}"
fi

BUILD_DIR="${BUILD_DIR:-build}"
JOBS="${JOBS:-$(nproc)}"
# shellcheck disable=SC2086
cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE="${CMAKE_BUILD_TYPE:-Release}" ${GWSIM_CMAKE_ARGS:-}
cmake --build "$BUILD_DIR" -j "$JOBS"
