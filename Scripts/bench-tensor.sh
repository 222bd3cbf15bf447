#!/usr/bin/env bash
# TensorCore vs PyTorch on this machine, one thread each, in one run.
# Builds bench-tensor in release, runs it and Scripts/bench-tensor.py with the same cases, and
# prints the median CPU and wall time per iteration of each and the ratios (PyTorch / TensorCore:
# > 1 means TensorCore is faster).
#
#   Scripts/bench-tensor.sh [repeats]      (default 7 repeats; takes about a minute)
set -euo pipefail
cd "$(dirname "$0")/.."
repeats="${1:-7}"
export OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 MKL_NUM_THREADS=1
swift build -c release --product bench-tensor >&2
ours=$(.build/release/bench-tensor --threads 1 --repeats "$repeats")
theirs=$(python3 Scripts/bench-tensor.py --threads 1 --repeats "$repeats")
python3 - "$ours" "$theirs" <<'PY'
import json, sys
ours = {r["case"]: r for r in map(json.loads, sys.argv[1].splitlines())}
theirs = {r["case"]: r for r in map(json.loads, sys.argv[2].splitlines())}
def us(t):
    return f"{t:.3f}" if t < 10 else f"{t:.2f}" if t < 1000 else f"{t:.0f}"
print("| case | TensorCore CPU µs | PyTorch CPU µs | ratio (CPU) | TensorCore wall µs | PyTorch wall µs | ratio (wall) |")
print("|---|---:|---:|---:|---:|---:|---:|")
for name, o in ours.items():
    if name not in theirs:
        continue
    t = theirs[name]
    print(f"| {name} | {us(o['cpu_us'])} | {us(t['cpu_us'])} | {t['cpu_us'] / o['cpu_us']:.2f}× "
          f"| {us(o['wall_us'])} | {us(t['wall_us'])} | {t['wall_us'] / o['wall_us']:.2f}× |")
kernels = [o for name, o in ours.items() if name not in theirs]
if kernels:
    print("\n| TensorCore only | CPU µs | wall µs |\n|---|---:|---:|")
    for o in kernels:
        print(f"| {o['case']} | {us(o['cpu_us'])} | {us(o['wall_us'])} |")
print("\nratio = PyTorch / TensorCore (> 1: TensorCore is faster). Medians of per-iteration times;")
print("CPU = process CPU time (robust when other processes share the cores), wall = elapsed time.")
PY
