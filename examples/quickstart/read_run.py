#!/usr/bin/python3
"""Reads a run's run.h5 (docs/hdf5-schema.md) and prints what the tutorial
(docs/tutorial.md) looks at: the jobs per tenant and kind, their waits, the
hourly utilization and a summary value.

    /usr/bin/python3 examples/quickstart/read_run.py out/quickstart

Needs h5py and numpy (Debian: python3-h5py).
"""
import sys

import h5py
import numpy as np


def main(run_dir):
    with h5py.File(run_dir + "/run.h5", "r") as f:
        jobs = f["jobs"][:]
        kinds = f["lookup/kind"].asstr()[:]
        states = f["lookup/state"].asstr()[:]
        util = {t: f[f"timeseries/utilization/{t}/value"][:] for t in ("internal", "external")}
        hours = f["timeseries/utilization/internal/time"][:] / 3600
        revenue = f["summary/revenue_total"][()]
        print(f"scenario {f.attrs['scenario_path'].decode()}, seed {f.attrs['seed']}, {len(jobs)} jobs")

    print(f"\n{'kind':<10} {'jobs':>6} {'GPU-hours':>10} {'started':>8} {'mean wait (h)':>14} {'max wait (h)':>13}")
    for code, name in enumerate(kinds):
        mine = jobs[jobs["kind"] == code]
        if len(mine) == 0:
            continue
        started = mine[mine["start_s"] >= 0]
        wait_h = (started["start_s"] - started["submit_s"]) / 3600
        print(f"{name:<10} {len(mine):>6} {mine['gpu_hours'].sum():>10.0f} {len(started):>8} "
              f"{wait_h.mean():>14.2f} {wait_h.max():>13.2f}")

    print("\nfinal states: " + ", ".join(f"{name} {np.count_nonzero(jobs['state'] == code)}"
                                         for code, name in enumerate(states)
                                         if np.count_nonzero(jobs["state"] == code)))
    total = util["internal"] + util["external"]
    busiest = int(np.argmax(total))
    print(f"hourly utilization: mean {total.mean():.3f}, lowest {total.min():.3f}, "
          f"highest {total[busiest]:.3f} (hour ending at {hours[busiest]:.0f} h)")
    print(f"revenue_total from /summary: {revenue:,.2f} USD")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
