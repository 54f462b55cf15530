#!/usr/bin/env bash
# Rewrites examples/<name>/expected-output.txt from what each example's
# commands print now (tests/run_example.sh --update). Run it after a
# deliberate change of behaviour and commit the expected files with the
# change; `git diff examples/` then shows what the change did to each example.
#
#   scripts/update_expected.sh            # every example
#   scripts/update_expected.sh quickstart inference-api
#
# Uses the build in build/ (set GWSIM_PATH to use another).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
export GWSIM_PATH="${GWSIM_PATH:-$root/build/sim:$root/build/examples/custom-policy}"
names=("$@")
if [ ${#names[@]} -eq 0 ]; then
  for f in examples/*/expected-output.txt; do names+=("$(basename "$(dirname "$f")")"); done
fi
for name in "${names[@]}"; do
  bash tests/run_example.sh "examples/$name" --update
done
