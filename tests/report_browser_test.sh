#!/usr/bin/env bash
# report.html in a real browser (docs/results.md#report): Debian's headless
# Chromium loads a run's report from disk, with no network, and the test
# checks from the DOM it built that every chart rendered (its <svg> there,
# with non-empty data paths or bars), then that a screenshot of the page is
# a real picture (a PNG of the window's size, mostly not blank).
#   tests/report_browser_test.sh GWSIM TMPDIR
# Exit 77 (skipped) when chromium is not installed (scripts/setup.sh installs it).
set -euo pipefail
GWSIM="$1"
TMP="$2/report-browser"
CHROMIUM="$(command -v chromium || command -v chromium-browser || true)"
if [ -z "$CHROMIUM" ]; then
  echo "report_browser_test: chromium not installed (scripts/setup.sh installs Debian's chromium); skipped"
  exit 77
fi
cd "$(dirname "$0")/.."
rm -rf "$TMP"
mkdir -p "$TMP/home"
# The quickstart over two days on two pods, with failures and a site budget,
# so that every chart has data to draw.
"$GWSIM" run examples/quickstart/scenario.yaml -q -o "$TMP/run" --set horizon=2d --set cluster.pods_per_hall=2 \
  --set failures.enabled=true --set failures.rate_scale=50 --set cluster.power.site_budget=400kW
REPORT="file://$(realpath "$TMP/run/report.html")"
browser() {
  HOME="$TMP/home" timeout 120 "$CHROMIUM" --headless --disable-gpu --no-sandbox --no-first-run \
    --user-data-dir="$TMP/home/profile" --hide-scrollbars "$@" 2>"$TMP/chromium.log"
}
browser --dump-dom "$REPORT" >"$TMP/dom.html"
browser --window-size=1400,2000 --screenshot="$TMP/report.png" "$REPORT" >/dev/null

# The chart ids of results/report_html.cpp (run_report_chart_ids; report_html_test checks that list).
/usr/bin/python3 - "$TMP/dom.html" "$TMP/report.png" money utilization pools queue wait jct power failures <<'EOF'
import sys
from html.parser import HTMLParser

import matplotlib.image
import numpy as np

dom_path, png_path, ids = sys.argv[1], sys.argv[2], sys.argv[3:]


class Charts(HTMLParser):
    def __init__(self):
        super().__init__()
        self.charts, self.current = {}, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "svg" and a.get("id", "").startswith("chart-"):
            self.current = a["id"][6:]
            self.charts[self.current] = {"paths": 0, "bars": 0, "no_data": 0}
        elif self.current:
            cls = a.get("class", "")
            if tag == "path" and cls == "series" and len(a.get("d", "")) > 10:
                self.charts[self.current]["paths"] += 1
            if tag == "rect" and cls == "bar" and float(a.get("height", 0)) > 0:
                self.charts[self.current]["bars"] += 1
            if cls == "no-data":
                self.charts[self.current]["no_data"] += 1

    def handle_endtag(self, tag):
        if tag == "svg":
            self.current = None


dom = open(dom_path, encoding="utf-8").read()
if "<svg" not in dom or "</html>" not in dom:
    sys.exit(f"report_browser_test: chromium's DOM holds no page ({len(dom)} bytes)")
parser = Charts()
parser.feed(dom)
failed = []
for cid in ids:
    c = parser.charts.get(cid)
    if c is None:
        failed.append(f"chart-{cid}: missing")
    elif c["no_data"] or c["paths"] + c["bars"] == 0:
        failed.append(f"chart-{cid}: nothing drawn ({c})")
    else:
        print(f"chart-{cid}: {c['paths']} paths, {c['bars']} bars")
extra = sorted(set(parser.charts) - set(ids))
if extra:
    failed.append(f"charts not in the expected list: {extra}")

with open(png_path, "rb") as f:
    if f.read(8) != b"\x89PNG\r\n\x1a\n":
        failed.append("the screenshot is not a PNG")
img = matplotlib.image.imread(png_path)
h, w = img.shape[:2]
rgb = img[:, :, :3]
background = np.all(np.abs(rgb - rgb[-1, -1]) < 0.02, axis=2).mean()
colours = len(np.unique((rgb * 255).astype(np.uint8).reshape(-1, 3), axis=0))
print(f"screenshot {w}x{h}, {100 * (1 - background):.0f}% not page background, {colours} colours")
if (w, h) != (1400, 2000):
    failed.append(f"screenshot is {w}x{h}, not the 1400x2000 window")
if background > 0.95 or colours < 50:
    failed.append("the screenshot is (nearly) blank")
if failed:
    sys.exit("report_browser_test:\n  " + "\n  ".join(failed))
print("report_browser_test: every chart rendered")
EOF
