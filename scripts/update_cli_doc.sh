#!/usr/bin/env bash
# Rewrites the help blocks of docs/cli.md from the binary: each fenced block
# whose first line is "$ gwsim ... --help" gets what that command prints now.
# tests/cli_reference_test.cpp fails until the page and the binary agree.
#
#   scripts/update_cli_doc.sh [path/to/gwsim]     (default build/sim/gwsim)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bin="$(cd "$(dirname "${1:-$root/build/sim/gwsim}")" && pwd)"
PATH="$bin:$PATH" python3 - "$root/docs/cli.md" <<'PY'
import re, subprocess, sys
path = sys.argv[1]
lines = open(path).read().split("\n")
out, i = [], 0
while i < len(lines):
    out.append(lines[i])
    m = re.match(r"^\$ (gwsim( .*)? --help)$", lines[i])
    if m and i > 0 and lines[i - 1].startswith("```"):
        text = subprocess.run(m.group(1), shell=True, capture_output=True, text=True)
        out.extend((text.stdout + text.stderr).rstrip("\n").split("\n"))
        i += 1
        while lines[i] != "```":
            i += 1
        continue
    i += 1
open(path, "w").write("\n".join(out))
PY
echo "updated docs/cli.md"
