#!/usr/bin/env python3
"""Plots one metrics.csv column of several ppo-train / bc-train run directories in one PNG
(for Experiments/ READMEs whose runs were compared side by side or stopped by hand, which
leaves no curve.png of their own).

Rerun:
    python3 Scripts/plot-runs.py OUT.png --column eval/mean_return --x epoch \
        "MLP, 6 views=runs/a" "CfC=runs/b"
--x epoch numbers the rows 1, 2, ...; --x step uses the csv's `step` column. --smooth N
averages N consecutive rows. Needs matplotlib.
"""
import argparse
import csv
import os

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("output")
    parser.add_argument("runs", nargs="+", help="LABEL=RUN_DIR")
    parser.add_argument("--column", default="eval/mean_return")
    parser.add_argument("--x", choices=["epoch", "step"], default="step")
    parser.add_argument("--smooth", type=int, default=1)
    parser.add_argument("--title", default="")
    args = parser.parse_args()
    plt.figure(figsize=(7, 4))
    for run in args.runs:
        label, _, folder = run.partition("=")
        with open(os.path.join(folder, "metrics.csv")) as f:
            rows = [r for r in csv.DictReader(f) if r.get(args.column)]
        ys = [float(r[args.column]) for r in rows]
        xs = [float(r["step"]) for r in rows] if args.x == "step" else list(range(1, len(ys) + 1))
        k = max(1, args.smooth)
        ys = [sum(ys[i:i + k]) / len(ys[i:i + k]) for i in range(0, len(ys), k)]
        xs = xs[k - 1::k] + ([xs[-1]] if len(xs) % k else [])
        plt.plot(xs[:len(ys)], ys, label=label)
    plt.xlabel("epoch" if args.x == "epoch" else "environment steps")
    plt.ylabel(args.column)
    plt.title(args.title)
    plt.grid(alpha=0.3)
    plt.legend()
    plt.tight_layout()
    plt.savefig(args.output, dpi=100)


if __name__ == "__main__":
    main()
