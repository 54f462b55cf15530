#!/usr/bin/python3
"""Plot one summary scalar against another per design from a sweep's sweep.h5.

A design is one combination of axis values; its point is the mean over the
seeds that finished (status ok), with the standard error of that mean as
error bars. Colour follows the first axis, marker shape the second, marker
fill (full, hollow, half) the third, unless --color, --marker and --fill say
otherwise. Any summary column works: the script reads the columns sweep.h5
holds, whatever they are (docs/sweeps.md has the schema).

  /usr/bin/python3 examples/design-sweep/plot.py out/design-sweep/sweep.h5
  ... --x internal_p95_wait --y revenue_total -o delay_p95.png

Needs h5py, numpy and matplotlib (Debian: python3-h5py python3-matplotlib).
"""
import argparse
import os
import sys

import h5py
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

STATUS_OK = 0  # /lookup/status[0] == "ok"
COLOURS = plt.get_cmap("tab10").colors
MARKERS = ["o", "s", "^", "D", "v", "P", "X", "*"]
FILLS = ["full", "none", "left", "bottom", "right", "top"]


def text(value):
    return value.decode() if isinstance(value, bytes) else str(value)


def read_sweep(path):
    """The ok runs as {column: array}, the axis names, their value labels, and the columns' units."""
    with h5py.File(path, "r") as f:
        runs = f["runs"][:]
        status_names = [text(s) for s in f["lookup/status"][:]]
        if status_names[STATUS_OK] != "ok":
            sys.exit(f"{path}: unexpected /lookup/status {status_names}")
        axes = [a for a in text(f.attrs["axes"]).split(", ") if a]
        labels = {}
        for a in axes:
            values = f["axes/" + a][:]
            if values.dtype.kind == "S":  # text axis: the column holds an index into these labels
                labels[a] = [text(v) for v in values]
            else:
                unit = text(f["axes/" + a].attrs.get("unit", b""))
                labels[a] = [f"{v:g}{unit}" for v in values]
        units = {k[5:]: text(v) for k, v in f["runs"].attrs.items() if k.startswith("unit:")}
    ok = runs["status"] == STATUS_OK
    columns = {name: runs[name][ok] for name in runs.dtype.names}
    for a in axes:  # numeric axes: map values to their labels' positions
        if runs.dtype[a].kind == "f":
            with h5py.File(path, "r") as f:
                values = list(f["axes/" + a][:])
            columns[a] = np.array([values.index(v) for v in columns[a]])
    return columns, axes, labels, units, int((~ok).sum())


def scaled(name, values, units):
    """Seconds become hours on the plot; other units stay."""
    unit = units.get(name, "")
    if unit == "s":
        return values / 3600.0, "h"
    return values, unit


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sweep_h5", help="a sweep's sweep.h5")
    parser.add_argument("--x", default="internal_mean_wait", help="summary column on the x axis (default %(default)s)")
    parser.add_argument("--y", default="revenue_total", help="summary column on the y axis (default %(default)s)")
    parser.add_argument("-o", "--output", help="PNG to write (default: revenue_vs_internal_delay.png beside sweep.h5)")
    parser.add_argument("--color", help="axis shown by colour (default: the first)")
    parser.add_argument("--marker", help="axis shown by marker shape (default: the second)")
    parser.add_argument("--fill", help="axis shown by marker fill (default: the third)")
    args = parser.parse_args()

    columns, axes, labels, units, not_ok = read_sweep(args.sweep_h5)
    for name in (args.x, args.y):
        if name not in columns:
            sys.exit(f"{args.sweep_h5}: no column '{name}' in /runs (columns: {', '.join(columns)})")
    if not axes:
        sys.exit(f"{args.sweep_h5}: the sweep has no axes, so a single design")
    x, x_unit = scaled(args.x, columns[args.x], units)
    y, y_unit = scaled(args.y, columns[args.y], units)

    # Which axis each visual channel shows: those named, then the others in order.
    chosen = [args.color, args.marker, args.fill]
    for name in chosen:
        if name is not None and name not in axes:
            sys.exit(f"{args.sweep_h5}: no axis '{name}' (axes: {', '.join(axes)})")
    rest = iter(a for a in axes if a not in chosen)
    channels = [name if name is not None else next(rest, None) for name in chosen]

    designs = sorted(set(zip(*(columns[a] for a in axes))))
    fig, ax = plt.subplots(figsize=(8, 5.5))
    print(f"{'design':<60} {'seeds':>5} {args.x + ' (' + x_unit + ')':>26} {args.y + ' (' + y_unit + ')':>26}")
    for design in designs:
        value = dict(zip(axes, design))
        rows = np.all([columns[a] == v for a, v in value.items()], axis=0)
        n = rows.sum()
        mx, my = x[rows].mean(), y[rows].mean()
        ex = x[rows].std(ddof=1) / np.sqrt(n) if n > 1 else 0.0
        ey = y[rows].std(ddof=1) / np.sqrt(n) if n > 1 else 0.0
        colour = COLOURS[value[channels[0]] % len(COLOURS)] if channels[0] else COLOURS[0]
        marker = MARKERS[value[channels[1]] % len(MARKERS)] if channels[1] else "o"
        fill = FILLS[value[channels[2]] % len(FILLS)] if channels[2] else "full"
        ax.errorbar(mx, my, xerr=ex, yerr=ey, fmt=marker, color=colour, markersize=9, capsize=2, alpha=0.85,
                    fillstyle=fill, markerfacecoloralt="white", markeredgewidth=1.5)
        name = ", ".join(f"{a}={labels[a][v]}" for a, v in value.items())
        print(f"{name:<60} {n:>5} {mx:>26.3f} {my:>26.1f}")

    # One legend entry per axis value, in the encoding that axis uses.
    handles = []
    for channel, a in enumerate(channels):
        if a is None:
            continue
        for v, label in enumerate(labels[a]):
            style = dict(color="grey", marker="o", linestyle="", markersize=8)
            if channel == 0:
                style["color"] = COLOURS[v % len(COLOURS)]
            elif channel == 1:
                style["marker"] = MARKERS[v % len(MARKERS)]
            else:
                style["fillstyle"] = FILLS[v % len(FILLS)]
            handles.append(plt.Line2D([], [], label=f"{a} = {label}", **style))
    ax.legend(handles=handles, fontsize=8, loc="best", framealpha=0.8)
    ax.set_xlabel(f"{args.x} ({x_unit})")
    ax.set_ylabel(f"{args.y} ({y_unit})")
    with h5py.File(args.sweep_h5, "r") as f:
        title = text(f.attrs["sweep_name"])
    seeds = len(set(columns["seed"]))
    ax.set_title(f"{title}: {len(designs)} designs, mean of {seeds} seeds (bars: standard error)"
                 + (f"; {not_ok} runs not ok" if not_ok else ""))
    ax.grid(True, alpha=0.3)
    fig.tight_layout()
    out = args.output or os.path.join(os.path.dirname(os.path.abspath(args.sweep_h5)), "revenue_vs_internal_delay.png")
    fig.savefig(out, dpi=120)
    print(f"plot: {out}")


if __name__ == "__main__":
    main()
