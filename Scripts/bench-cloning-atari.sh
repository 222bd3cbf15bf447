#!/usr/bin/env bash
# Side by side: one behavior-cloning training step of ncps' Atari model (conv 64-128-128-256,
# CfC 64 units, batch 32 sequences of 32 frames of 4x84x84), ours (bench-cloning, release) and
# PyTorch + ncps (Scripts/bench-cloning-atari.py), 1 thread each, R timed steps after one warm-up
# step each; ROUNDS rounds of (ours, torch) back to back, then (unless ALL_THREADS=0) one round
# with the default threads (all cores). Prints each round's medians and CPU-time ratio, and the
# median over the rounds. On a shared machine read the CPU-time (user+sys) ratios.
#
# Usage: [ROUNDS=1] [ALL_THREADS=1] Scripts/bench-cloning-atari.sh [R=3] [BATCH=32] [LENGTH=32]
#   e.g. ROUNDS=3 ALL_THREADS=0 Scripts/bench-cloning-atari.sh 3 32 32
# Cost: each step is ~1 TFLOP (~7 CPU-s ours, ~16 torch at 32 x 32); one round with R=3 is
# ~100 CPU-s.
# Needs: swift, python3 with torch and ncps (pip install torch ncps).
set -euo pipefail
cd "$(dirname "$0")/.."
R=${1:-3}; BATCH=${2:-32}; LENGTH=${3:-32}
ROUNDS=${ROUNDS:-1}; ALL_THREADS=${ALL_THREADS:-1}
CORES=$(nproc)
swift build -c release --product bench-cloning >/dev/null
OURS=.build/release/bench-cloning

value() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p" | tail -1; }
median() { sort -g | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
declare -A WALL CPU
run() {  # name, command...
  local name=$1; shift
  echo "== $name (load average $(cut -d' ' -f1-3 /proc/loadavg))"
  local out; out=$(mktemp)
  "$@" > "$out"
  cat "$out"
  WALL[$name]=$(value median_seconds < "$out")
  CPU[$name]=$(value cpu_seconds < "$out")
  rm -f "$out"
}
ratio() { echo "$1 / $2" | bc -l; }

SUMMARY=()
for round in $(seq 1 "$ROUNDS"); do
  run "ours-1-$round" "$OURS" --threads 1 --repeats "$R" --batch "$BATCH" --length "$LENGTH"
  run "torch-1-$round" python3 Scripts/bench-cloning-atari.py --threads 1 --repeats "$R" --batch "$BATCH" --length "$LENGTH"
  SUMMARY+=("$(printf "%-8s %12s %12s %12s %12s   wall %.2fx, cpu %.2fx" "1/$round" \
    "${WALL[ours-1-$round]}" "${CPU[ours-1-$round]}" "${WALL[torch-1-$round]}" "${CPU[torch-1-$round]}" \
    "$(ratio "${WALL[torch-1-$round]}" "${WALL[ours-1-$round]}")" "$(ratio "${CPU[torch-1-$round]}" "${CPU[ours-1-$round]}")")")
done
if [ "$ALL_THREADS" != 0 ]; then
  run ours-all "$OURS" --threads "$CORES" --repeats "$R" --batch "$BATCH" --length "$LENGTH"
  run torch-all python3 Scripts/bench-cloning-atari.py --repeats "$R" --batch "$BATCH" --length "$LENGTH"
fi

echo
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "batch $BATCH x length $LENGTH, medians of $R timed steps (seconds per step); torch/ours ratios"
printf "%-8s %12s %12s %12s %12s\n" "thr/rnd" "ours wall" "ours cpu" "torch wall" "torch cpu"
printf "%s\n" "${SUMMARY[@]}"
if [ "$ROUNDS" -gt 1 ]; then
  ours=$(for i in $(seq 1 "$ROUNDS"); do echo "${CPU[ours-1-$i]}"; done | median)
  torch=$(for i in $(seq 1 "$ROUNDS"); do echo "${CPU[torch-1-$i]}"; done | median)
  cpu_ratio=$(for i in $(seq 1 "$ROUNDS"); do ratio "${CPU[torch-1-$i]}" "${CPU[ours-1-$i]}"; done | median)
  printf "median over %d rounds, 1 thread: ours %.3f s cpu, torch %.3f s cpu, torch/ours cpu %.2fx (median of the rounds' ratios)\n" \
    "$ROUNDS" "$ours" "$torch" "$cpu_ratio"
fi
if [ "$ALL_THREADS" != 0 ]; then
  printf "%-8s %12s %12s %12s %12s   wall %.2fx, cpu %.2fx\n" "$CORES/1" "${WALL[ours-all]}" "${CPU[ours-all]}" \
    "${WALL[torch-all]}" "${CPU[torch-all]}" "$(ratio "${WALL[torch-all]}" "${WALL[ours-all]}")" \
    "$(ratio "${CPU[torch-all]}" "${CPU[ours-all]}")"
fi
