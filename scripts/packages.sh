# Sourced by the set-up scripts: install_packages PKG... installs from Debian
# those of the packages that are missing (apt-get update first), with sudo
# when not root.
install_packages() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if ((${#missing[@]})); then
    echo "gwsim setup: installing ${missing[*]}"
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
    $sudo apt-get update
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends "${missing[@]}"
  fi
}

# What gwsim needs to build, test and plot (scripts/setup.sh).
PACKAGES=(
  build-essential cmake pkg-config git
  libsimgrid-dev                        # SimGrid 3.32: the discrete-event engine
  libboost-graph-dev                    # Boost.Graph: the physical topology
  libprotobuf-dev protobuf-compiler     # the gwsim trace format, Chakra traces
  libhdf5-dev hdf5-tools                # run output (h5ls, h5dump for inspection)
  libyaml-cpp-dev libcli11-dev libfmt-dev nlohmann-json3-dev
  zlib1g-dev liblzma-dev                # traces read compressed (.gz, .xz)
  libgtest-dev libgmock-dev googletest  # the test suite
  libbenchmark-dev                      # bench/
  jq bc                                 # bench/philly_replay.sh reads summary.json
  libopenmpi-dev openmpi-bin            # `gwsim sweep` across machines (mpirun), and its test
  openssh-client                        # mpirun starts remote ranks over ssh (and wants an agent even locally)
  python3 python3-h5py python3-matplotlib python3-numpy python3-pandas  # plots and the docs' snippets
  chromium fonts-dejavu-core            # tests/report_browser_test.sh renders report.html headless
)

# What scripts/sanitize.sh and scripts/fuzz.sh need beyond scripts/setup.sh:
# clang 14 with its sanitizer and libFuzzer runtimes.
SANITIZER_PACKAGES=(clang libclang-rt-14-dev)

# What scripts/sanitize.sh and scripts/fuzz.sh do first: install gwsim's
# packages and clang's, and default JOBS to all cores.
sanitizer_setup() {
  install_packages "${PACKAGES[@]}" "${SANITIZER_PACKAGES[@]}"
  JOBS="${JOBS:-$(nproc)}"
}
