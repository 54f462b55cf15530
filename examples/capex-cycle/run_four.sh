#!/usr/bin/env bash
# The capex cycle four ways (examples/capex-cycle/README.md), each a gwsim run
# of scenario.yaml with the rental sources turned on or off:
#   never_rent    the fleet runs only its own work
#   leases        the H100 slack is leased in blocks (30 days to a year)
#   spot          the H100 slack is sold as spot capacity
#   leases_spot   both
#   examples/capex-cycle/run_four.sh OUT_DIR   (then: table.py OUT_DIR)
set -euo pipefail
out="${1:?usage: run_four.sh OUT_DIR}"
here="$(dirname "$0")"
run() { gwsim run "$here/scenario.yaml" -q -o "$out/$1" --set "workload[2].leases_per_week=$2" \
          --set "workload[3].arrivals.per_hour=$3"; }
run never_rent 0 0
run leases 3 0
run spot 0 100
run leases_spot 3 100
