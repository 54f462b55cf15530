#!/usr/bin/python3
"""The surplus-rental table: one column per variant (mean over the seeds, with
the seed-to-seed range where it matters), from the sweep's sweep.h5.

    /usr/bin/python3 examples/surplus-rental/table.py out/surplus-rental [--markdown]
"""
import sys

import h5py
import numpy as np

ROWS = [
    # (label, summary column, scale, format)
    ("GPU utilization, internal", "utilization_internal", 100, "{:.1f} %"),
    ("GPU utilization, external", "utilization_external", 100, "{:.1f} %"),
    ("internal mean queueing delay", "internal_mean_wait", 1 / 3600, "{:.2f} h"),
    ("internal p95 queueing delay", "internal_p95_wait", 1 / 3600, "{:.2f} h"),
    ("pretraining campaigns completed", "pretrain_completed", 1, "{:.1f}"),
    ("pretraining mean completion time", "pretrain_mean_jct", 1 / 86400, "{:.2f} d"),
    ("pretraining effective training time", "pretrain_effective_training_ratio", 100, "{:.1f} %"),
    ("preemptions (spot reclaims)", "spot_reclaims", 1, "{:.0f}"),
    ("rental revenue", "revenue_total", 1e-6, "${:.2f} M"),
    ("refused demand (lost revenue)", "refused_revenue", 1e-6, "${:.2f} M"),
    ("failures (all causes)", "failure_events", 1, "{:.0f}"),
    ("time at the site power cap", "time_at_power_cap", 1 / 3600, "{:.1f} h"),
    ("energy cost", "energy_cost_total", 1e-6, "${:.2f} M"),
    ("depreciation", "depreciation_total", 1e-6, "${:.2f} M"),
    ("margin (revenue - energy - depreciation)", "margin_total", 1e-6, "${:.2f} M"),
    ("depreciation offset by rental revenue", "rental_share_of_depreciation", 100, "{:.1f} %"),
]


def main(argv):
    if len(argv) < 2:
        sys.exit(__doc__)
    markdown = "--markdown" in argv
    with h5py.File(argv[1] + "/sweep.h5", "r") as f:
        runs = f["runs"][:]
        names = [n.decode() for n in f["axes/variant"][:]]
    ok = runs["status"] == 0
    runs = runs[ok]
    cells = []
    for label, column, scale, fmt in ROWS:
        row = [label]
        for v in range(len(names)):
            values = runs[column][runs["variant"] == v] * scale
            text = fmt.format(values.mean()) if len(values) else "-"
            row.append(text)
        cells.append(row)
    header = ["", *names]
    if markdown:
        print("| " + " | ".join(header) + " |")
        print("|" + "---|" * len(header))
        for row in cells:
            print("| " + " | ".join(row) + " |")
    else:
        widths = [max(len(r[i]) for r in cells + [header]) for i in range(len(header))]
        for row in [header] + cells:
            print("  ".join(c.ljust(widths[0]) if i == 0 else c.rjust(widths[i]) for i, c in enumerate(row)))
    print(f"\n{len(runs)} runs ({len(set(runs['seed']))} seeds per variant); means over seeds")


if __name__ == "__main__":
    main(sys.argv)
