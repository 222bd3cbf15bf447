#!/usr/bin/env bash
# Side by side: one behavior-cloning training step of ncps' Atari model (conv 64-128-128-256,
# CfC 64 units, batch 32 sequences of 32 frames of 4x84x84), ours (bench-cloning, release) and
# PyTorch + ncps (Scripts/bench-cloning-atari.py), with 1 thread each and with the default
# threads (all cores), R timed steps after one warm-up step each; prints medians and ratios.
#
# Usage: Scripts/bench-cloning-atari.sh [R=3] [BATCH=32] [LENGTH=32]
# Cost: each step is ~1 TFLOP; with R=3 the whole script takes ~5-15 minutes on 2 cores.
# Needs: swift, python3 with torch and ncps (pip install torch ncps).
set -euo pipefail
cd "$(dirname "$0")/.."
R=${1:-3}; BATCH=${2:-32}; LENGTH=${3:-32}
CORES=$(nproc)
swift build -c release --product bench-cloning >/dev/null
OURS=.build/release/bench-cloning

value() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p" | tail -1; }
declare -A WALL CPU
run() {  # name, command...
  local name=$1; shift
  echo "== $name"
  local out; out=$(mktemp)
  "$@" > "$out"
  cat "$out"
  WALL[$name]=$(value median_seconds < "$out")
  CPU[$name]=$(value cpu_seconds < "$out")
  rm -f "$out"
}
run ours-1 "$OURS" --threads 1 --repeats "$R" --batch "$BATCH" --length "$LENGTH"
run torch-1 python3 Scripts/bench-cloning-atari.py --threads 1 --repeats "$R" --batch "$BATCH" --length "$LENGTH"
run ours-all "$OURS" --threads "$CORES" --repeats "$R" --batch "$BATCH" --length "$LENGTH"
run torch-all python3 Scripts/bench-cloning-atari.py --repeats "$R" --batch "$BATCH" --length "$LENGTH"

echo
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
printf "%-10s %14s %14s\n" threads "ours s/step" "torch s/step"
printf "%-10s %14s %14s   torch/ours wall %.2fx, cpu %.2fx\n" 1 "${WALL[ours-1]}" "${WALL[torch-1]}" \
  "$(echo "${WALL[torch-1]} / ${WALL[ours-1]}" | bc -l)" "$(echo "${CPU[torch-1]} / ${CPU[ours-1]}" | bc -l)"
printf "%-10s %14s %14s   torch/ours wall %.2fx, cpu %.2fx\n" "$CORES" "${WALL[ours-all]}" "${WALL[torch-all]}" \
  "$(echo "${WALL[torch-all]} / ${WALL[ours-all]}" | bc -l)" "$(echo "${CPU[torch-all]} / ${CPU[ours-all]}" | bc -l)"
