#!/usr/bin/python3
"""The capex-cycle table: per way (never rent, leases, spot, leases + spot) and
calendar year, rental revenue, its share of depreciation and the cash flow;
then NPV, IRR and the payback date of each way. Reads OUT/<way>/run.h5.

    /usr/bin/python3 examples/capex-cycle/table.py OUT [--markdown]
"""
import datetime
import math
import sys

import h5py

WAYS = ["never_rent", "leases", "spot", "leases_spot"]


def main(argv):
    if len(argv) < 2:
        sys.exit(__doc__)
    md = "--markdown" in argv
    runs = {}
    for w in WAYS:
        with h5py.File(f"{argv[1]}/{w}/run.h5", "r") as f:
            years = f["finance/years"][:]
            summary = {k: float(f["summary"][k][()]) for k in f["summary"]}
            runs[w] = (years, summary)
    sep = " | " if md else "  "
    head = ["year", "way", "rental revenue", "share of depreciation", "cash flow"]
    rows = []
    for i, y in enumerate(runs[WAYS[0]][0]["year"]):
        for w in WAYS:
            r = runs[w][0][i]
            rows.append([str(y), w, f"${r['rental_revenue'] / 1e6:,.0f}M",
                         f"{100 * r['rental_share_of_depreciation']:.0f} %", f"${r['cash_flow'] / 1e6:,.0f}M"])
    rows.append(["", "", "", "", ""])
    for w in WAYS:
        s = runs[w][1]
        day = s["finance_payback_day"]
        payback = "never" if math.isnan(day) else str(datetime.date(1970, 1, 1) + datetime.timedelta(days=int(day)))
        irr = "n/a" if math.isnan(s["finance_irr"]) else f"{100 * s['finance_irr']:.1f} %"
        rows.append(["total", w, f"NPV ${s['finance_npv'] / 1e6:,.0f}M", f"IRR {irr}", f"payback {payback}"])
    widths = [max(len(r[c]) for r in rows + [head]) for c in range(len(head))]
    fmt = lambda r: (("| " if md else "") + sep.join(v.ljust(widths[c]) for c, v in enumerate(r)) + (" |" if md else "")).rstrip()
    print(fmt(head))
    if md:
        print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for r in rows:
        if md and not any(r):
            continue
        print(fmt(r))


if __name__ == "__main__":
    main(sys.argv)
