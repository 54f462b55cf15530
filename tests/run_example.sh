#!/usr/bin/env bash
# Runs one example and compares what it prints with its expected output, as
# SimGrid's tesh does with the .tesh beside each of its examples.
#
#   tests/run_example.sh examples/<name> [--update]
#
# examples/<name>/expected-output.txt holds, after optional leading comment
# lines ("# ..."), commands on lines that start with "$ ", each followed by
# the exact standard output it must print. Each command runs in bash from the
# repository root with `set -euo pipefail`, `gwsim` (and the example
# programs) first on PATH (the directories in $GWSIM_PATH), and $OUT set to
# a fresh empty directory, the same for every command of the file (a later
# command may read what an earlier one wrote); the text of $OUT in the output
# is written back as "$OUT". A command must exit 0. Standard error is shown on failure, never
# compared. Expected files hold simulated quantities only: no command may
# print wall time, host names or dates.
#
# --update rewrites the expected file from what the commands print now (after
# a deliberate change of behaviour, in the same commit:
# scripts/update_expected.sh does it for every example).
set -uo pipefail

example="${1:?usage: tests/run_example.sh examples/<name> [--update]}"
update="${2:-}"
expected="$example/expected-output.txt"
[ -f "$expected" ] || { echo "run_example.sh: no $expected" >&2; exit 1; }
[ -n "${GWSIM_PATH:-}" ] && export PATH="$GWSIM_PATH:$PATH"
command -v gwsim > /dev/null || { echo "run_example.sh: gwsim is not on PATH (set GWSIM_PATH)" >&2; exit 1; }

tmp="$(mktemp -d "${GWSIM_TEST_TMP:-${TMPDIR:-/tmp}}/example.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT

header=()     # leading comment lines
commands=()   # the "$ " lines, without the prefix
while IFS= read -r line || [ -n "$line" ]; do
  if [[ "$line" == '$ '* ]]; then
    commands+=("${line#\$ }")
  elif [ ${#commands[@]} -eq 0 ]; then
    header+=("$line")
  fi
done < "$expected"
[ ${#commands[@]} -gt 0 ] || { echo "run_example.sh: $expected has no '\$ ' command line" >&2; exit 1; }

actual="$tmp/actual.txt"
out="$tmp/out"
mkdir -p "$out"
printf '%s\n' "${header[@]}" > "$actual"
for i in "${!commands[@]}"; do
  printf '$ %s\n' "${commands[$i]}" >> "$actual"
  OUT="$out" bash -c "set -euo pipefail; ${commands[$i]}" > "$tmp/stdout" 2> "$tmp/stderr"
  rc=$?
  # Paths under $OUT print as "$OUT" (the directory differs run to run).
  sed "s|$out|\$OUT|g" "$tmp/stdout" >> "$actual"
  if [ $rc -ne 0 ]; then
    echo "run_example.sh: '${commands[$i]}' exited with $rc; its standard error:" >&2
    cat "$tmp/stderr" >&2
    exit 1
  fi
done

if [ "$update" = "--update" ]; then
  cp "$actual" "$expected"
  echo "updated $expected"
  exit 0
fi
if ! diff -u "$expected" "$actual"; then
  echo "run_example.sh: $example printed something else than $expected (above: - expected, + printed)." >&2
  echo "If the change is deliberate, run scripts/update_expected.sh $(basename "$example") and commit the file with it." >&2
  exit 1
fi
echo "ok: $example (${#commands[@]} command(s))"
