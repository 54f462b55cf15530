#!/usr/bin/python3
"""Standard figures of one gwsim run, or of several overlaid.

Usage:
    scripts/plot_run.py RUN [RUN ...] -o DIR [--label NAME ...]

RUN is a run.h5 file or the output directory that holds one. Writes PNGs
into DIR and prints their paths:

    utilization.png         GPU utilization by tenant over time (interval means)
    queueing_delay_cdf.png  CDF of the wait before a job's first start, by tenant
    jct_cdf.png             CDF of job completion time (submit to end) of completed jobs
    power.png               the run's power/* time series (when the run has them)
    revenue.png             cumulative revenue (when any job earned some)
    gantt.png               a Gantt view of each job (runs of at most --gantt-max-jobs
                            jobs; gantt-<label>.png per run when there are several)

Needs Debian's python3-h5py, python3-numpy and python3-matplotlib
(scripts/setup.sh installs them). The file layout is docs/hdf5-schema.md.
"""
import argparse
import os
import sys

import h5py
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.collections import LineCollection  # noqa: E402

TENANT_COLORS = {"internal": "tab:blue", "external": "tab:orange"}
RUN_STYLES = ["-", "--", ":", "-."]
DPI = 120


class Run:
    """What the figures need from one run.h5, read once."""

    def __init__(self, path, label):
        self.path = path
        self.label = label
        with h5py.File(path, "r") as f:
            self.lookup = {name: [s.decode() for s in f["lookup"][name][:]] for name in f["lookup"]}
            self.jobs = f["jobs"][:]
            self.segments = f["segments"][:] if "segments" in f else None
            self.complete = bool(f.attrs.get("complete", 1))
            self.series = {}
            f["timeseries"].visititems(lambda name, obj: self._add_series(name, obj))
            summary = f["summary"]
            self.horizon_s = float(summary["simulated_time"][()]) if "simulated_time" in summary else None

    def _add_series(self, name, obj):
        if isinstance(obj, h5py.Group) and "value" in obj and "time" in obj:
            self.series[name] = {
                "time": obj["time"][:],
                "value": obj["value"][:],
                "unit": _text(obj["value"].attrs.get("unit", "")),
                "interval_mean": _text(obj.attrs.get("sampling", "")) == "interval_mean",
            }

    def names(self, field, codes):
        table = self.lookup.get(field, [])
        return [table[c] if c < len(table) else str(c) for c in codes]


def _text(value):
    return value.decode() if isinstance(value, bytes) else str(value)


def resolve(path):
    return os.path.join(path, "run.h5") if os.path.isdir(path) else path


def time_axis(runs):
    """Unit for the time axes: days for long runs, hours otherwise."""
    horizon = max((r.horizon_s or 0) for r in runs)
    return (86400.0, "days") if horizon > 2 * 86400 else (3600.0, "hours")


def draw_series(ax, s, scale, **style):
    t = s["time"] / scale
    if s["interval_mean"]:
        # each value is the mean over the interval that ends at its time
        ax.step(np.concatenate([[0.0], t]), np.concatenate([s["value"][:1], s["value"]]), where="pre", **style)
    else:
        ax.plot(t, s["value"], **style)


def plot_utilization(runs, out):
    scale, unit = time_axis(runs)
    fig, ax = plt.subplots(figsize=(10, 4.5))
    for k, run in enumerate(runs):
        style = RUN_STYLES[k % len(RUN_STYLES)]
        total = None
        for name, s in sorted(run.series.items()):
            if not name.startswith("utilization/"):
                continue
            tenant = name.split("/", 1)[1]
            label = tenant if len(runs) == 1 else f"{run.label}: {tenant}"
            draw_series(ax, s, scale, color=TENANT_COLORS.get(tenant), linestyle=style, label=label)
            total = s if total is None else dict(total, value=total["value"] + s["value"])
        if total is not None:
            label = "total" if len(runs) == 1 else f"{run.label}: total"
            draw_series(ax, total, scale, color="black", linestyle=style, linewidth=0.8, label=label)
    ax.set_xlabel(f"simulated time ({unit})")
    ax.set_ylabel("GPU utilization (fraction of GPUs)")
    ax.set_ylim(0, 1.02)
    ax.set_title("Utilization by tenant (interval means)")
    ax.legend(loc="upper right", fontsize="small")
    ax.grid(alpha=0.3)
    return save(fig, out, "utilization.png")


def cdf(ax, values, **style):
    x = np.sort(values)
    y = np.arange(1, len(x) + 1) / len(x)
    ax.step(np.concatenate([[x[0]], x]), np.concatenate([[0.0], y]), where="post", **style)


def plot_cdf_by_tenant(runs, out, filename, title, xlabel, pick, log):
    fig, ax = plt.subplots(figsize=(7, 4.5))
    drawn = False
    largest = 0.0
    for k, run in enumerate(runs):
        tenants = np.array(run.names("tenant", run.jobs["tenant"]))
        values, mask = pick(run.jobs)
        for tenant in sorted(set(tenants[mask])):
            v = values[mask & (tenants == tenant)] / 3600.0
            label = f"{tenant} (n={len(v)})" if len(runs) == 1 else f"{run.label}: {tenant} (n={len(v)})"
            cdf(ax, v, color=TENANT_COLORS.get(tenant), linestyle=RUN_STYLES[k % len(RUN_STYLES)], label=label)
            drawn = True
            largest = max(largest, float(v.max()))
    if log:
        ax.set_xscale("log")
    else:
        ax.set_xscale("symlog", linthresh=1 / 60)  # linear below one minute: zero waits stay visible
        ax.set_xlim(0, max(1.0, 2 * largest))
    ax.set_xlabel(xlabel)
    ax.set_ylabel("fraction of jobs")
    ax.set_ylim(0, 1.02)
    ax.set_title(title)
    if drawn:
        ax.legend(loc="lower right", fontsize="small")
    ax.grid(alpha=0.3, which="both")
    return save(fig, out, filename)


def started(jobs):
    mask = jobs["start_s"] >= 0
    return jobs["start_s"] - jobs["submit_s"], mask


def completed(run_jobs_state_code):
    def pick(jobs):
        return jobs["end_s"] - jobs["submit_s"], (jobs["state"] == run_jobs_state_code) & (jobs["end_s"] > jobs["submit_s"])

    return pick


def plot_power(runs, out):
    scale, unit = time_axis(runs)
    fig, ax = plt.subplots(figsize=(10, 4.5))
    units = set()
    for k, run in enumerate(runs):
        for name, s in sorted(run.series.items()):
            if name.split("/")[0] != "power":
                continue
            value = s["value"] / 1e6 if s["unit"] == "W" else s["value"]
            units.add("MW" if s["unit"] == "W" else s["unit"])
            label = name if len(runs) == 1 else f"{run.label}: {name}"
            draw_series(ax, dict(s, value=value), scale, linestyle=RUN_STYLES[k % len(RUN_STYLES)], label=label)
    ax.set_xlabel(f"simulated time ({unit})")
    ax.set_ylabel(f"power ({', '.join(sorted(units))})")
    ax.set_xlim(left=0)
    ax.set_title("Site power")
    ax.legend(loc="upper right", fontsize="small")
    ax.grid(alpha=0.3)
    return save(fig, out, "power.png")


def cumulative_revenue(segments):
    """Revenue accrues linearly over each segment: returns (times, cumulative USD)."""
    seg = segments[segments["revenue_usd"] > 0]
    if len(seg) == 0:
        return None
    times = np.unique(np.concatenate([seg["start_s"], seg["end_s"]]))
    duration = seg["end_s"] - seg["start_s"]
    rate = np.where(duration > 0, seg["revenue_usd"] / np.where(duration > 0, duration, 1), 0.0)
    # rate in force on each interval [times[i], times[i+1]) and instantaneous (zero-length) earnings
    delta = np.zeros(len(times))
    np.add.at(delta, np.searchsorted(times, seg["start_s"]), rate)
    np.add.at(delta, np.searchsorted(times, seg["end_s"]), -rate)
    rate_on = np.cumsum(delta)[:-1]
    earned = np.concatenate([[0.0], np.cumsum(rate_on * np.diff(times))])
    jumps = np.zeros(len(times))
    np.add.at(jumps, np.searchsorted(times, seg["end_s"]), np.where(duration > 0, 0.0, seg["revenue_usd"]))
    return times, earned + np.cumsum(jumps)


def plot_revenue(runs, out):
    scale, unit = time_axis(runs)
    fig, ax = plt.subplots(figsize=(10, 4.5))
    for k, run in enumerate(runs):
        curve = cumulative_revenue(run.segments) if run.segments is not None else None
        if curve is not None:
            ax.plot(curve[0] / scale, curve[1] / 1e3, linestyle=RUN_STYLES[k % len(RUN_STYLES)],
                    label="cumulative revenue" if len(runs) == 1 else run.label)
    ax.set_xlabel(f"simulated time ({unit})")
    ax.set_xlim(left=0)
    ax.set_ylim(bottom=0)
    ax.set_ylabel("cumulative revenue (thousand USD)")
    ax.set_title("Revenue earned (accrued over each job segment)")
    ax.legend(loc="upper left", fontsize="small")
    ax.grid(alpha=0.3)
    return save(fig, out, "revenue.png")


def plot_gantt(run, out, filename):
    scale, unit = time_axis([run])
    jobs = np.sort(run.jobs, order=["submit_s", "id"])
    row = {int(j): i for i, j in enumerate(jobs["id"])}
    tenants = run.names("tenant", jobs["tenant"])
    fig, ax = plt.subplots(figsize=(11, max(4.0, min(14.0, 0.012 * len(jobs) + 3))))
    # thin grey: waiting from submission to first start (or to the end when never started)
    wait_end = np.where(jobs["start_s"] >= 0, jobs["start_s"], jobs["end_s"])
    waits = [[(s / scale, i), (e / scale, i)] for i, (s, e) in enumerate(zip(jobs["submit_s"], wait_end)) if e > s]
    ax.add_collection(LineCollection(waits, colors="0.75", linewidths=0.5))
    # thick, by tenant: the segments during which the job held GPUs
    lines, colors = [], []
    seg_tenants = run.names("tenant", run.segments["tenant"])
    for seg, tenant in zip(run.segments, seg_tenants):
        y = row.get(int(seg["job"]))
        if y is not None:
            lines.append([(seg["start_s"] / scale, y), (seg["end_s"] / scale, y)])
            colors.append(TENANT_COLORS.get(tenant, "tab:gray"))
    linewidth = max(0.6, min(6.0, 400.0 / max(1, len(jobs))))
    ax.add_collection(LineCollection(lines, colors=colors, linewidths=linewidth))
    end = max([run.horizon_s or 0.0] + [float(jobs["end_s"].max()) if len(jobs) else 0.0])
    ax.set_xlim(0, end / scale)
    ax.set_ylim(len(jobs), -1)
    ax.set_xlabel(f"simulated time ({unit})")
    ax.set_ylabel("job (by submission)")
    ax.set_title(f"Jobs over time: {run.label} (grey: queued; colour: running, by tenant)")
    for tenant in sorted(set(tenants)):
        ax.plot([], [], color=TENANT_COLORS.get(tenant, "tab:gray"), linewidth=4, label=tenant)
    ax.legend(loc="lower right", fontsize="small")
    return save(fig, out, filename)


def save(fig, out, name):
    path = os.path.join(out, name)
    fig.tight_layout()
    fig.savefig(path, dpi=DPI)
    plt.close(fig)
    return path


def main(argv=None):
    parser = argparse.ArgumentParser(description="Standard figures of gwsim runs (one, or several overlaid).")
    parser.add_argument("runs", nargs="+", help="run.h5 files or output directories holding one")
    parser.add_argument("-o", "--output", required=True, help="directory for the PNGs (created if missing)")
    parser.add_argument("--label", action="append", default=[], help="legend label per run, in order")
    parser.add_argument("--gantt-max-jobs", type=int, default=2000, help="draw a Gantt view for runs with at most this many jobs")
    args = parser.parse_args(argv)

    paths = [resolve(p) for p in args.runs]
    for p in paths:
        if not os.path.isfile(p):
            parser.error(f"{p}: no such run file")
    labels = args.label + [os.path.basename(os.path.dirname(os.path.abspath(p))) for p in paths[len(args.label):]]
    runs = [Run(p, label) for p, label in zip(paths, labels)]
    for run in runs:
        if not run.complete:
            print(f"plot_run: {run.path} is marked incomplete (interrupted run)", file=sys.stderr)
    os.makedirs(args.output, exist_ok=True)

    written = [plot_utilization(runs, args.output)]
    states = runs[0].lookup.get("state", [])
    completed_code = states.index("completed") if "completed" in states else 0
    written.append(plot_cdf_by_tenant(runs, args.output, "queueing_delay_cdf.png", "Queueing delay before first start",
                                      "wait (hours, linear below 1 minute)", started, log=False))
    written.append(plot_cdf_by_tenant(runs, args.output, "jct_cdf.png", "Job completion time (completed jobs)",
                                      "submission to completion (hours)", completed(completed_code), log=True))
    if any(name.split("/")[0] == "power" for run in runs for name in run.series):
        written.append(plot_power(runs, args.output))
    if any(run.segments is not None and (run.segments["revenue_usd"] > 0).any() for run in runs):
        written.append(plot_revenue(runs, args.output))
    for run in runs:
        if run.segments is not None and 0 < len(run.jobs) <= args.gantt_max_jobs:
            name = "gantt.png" if len(runs) == 1 else f"gantt-{run.label}.png"
            written.append(plot_gantt(run, args.output, name))
    for path in written:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
