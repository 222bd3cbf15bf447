#!/usr/bin/env bash
# Environment throughput, ours against Gymnasium, on this machine in one run.
#
#   Scripts/bench-envs.sh [repeats]        (default 5; about a minute on an idle 2-core machine)
#
# Builds bench-environments in release, runs Gymnasium's CartPole-v1 (single env and
# SyncVectorEnv(8), one thread) and ours (single env; VectorEnvironment of 4096 envs on 1 and 2
# workers), and prints the medians of `repeats` runs, the ratios, and the CPU load while it ran
# (the numbers are wall-clock rates: a shared machine lowers them).
set -euo pipefail
cd "$(dirname "$0")/.."
repeats="${1:-5}"

swift build -c release --product bench-environments >/dev/null
load_before=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo "?")
python_out=$(python3 Scripts/bench-envs-gymnasium.py --repeats "$repeats" 2>/dev/null)
swift_out=$(.build/release/bench-environments --repeats "$repeats" --steps 4000000 --envs 4096 --workers 2)
load_after=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo "?")

echo "$python_out"
echo "$swift_out"
median() { echo "$1" | awk -v n="$2" '$1 == n { print $2 }'; }
cpu() { echo "$1" | awk -v n="$2" '$1 == n { print $5 }'; }
gym_single=$(median "$python_out" gymnasium-cartpole-single)
gym_vector=$(median "$python_out" gymnasium-cartpole-syncvector8)
ours_single=$(median "$swift_out" swift-cartpole-single)
ours_vector1=$(median "$swift_out" swift-cartpole-vector4096-workers1)
ours_vector2=$(median "$swift_out" swift-cartpole-vector4096-workers2)
cpu_single=$(cpu "$swift_out" swift-cartpole-single)
cpu_vector1=$(cpu "$swift_out" swift-cartpole-vector4096-workers1)
cpu_vector2=$(cpu "$swift_out" swift-cartpole-vector4096-workers2)

echo
echo "| CartPole-v1 env-steps/s (median of $repeats) | Gymnasium | swift-ncps wall-clock | ratio | swift-ncps by CPU time |"
echo "|---|---:|---:|---:|---:|"
awk -v g="$gym_single" -v s="$ours_single" -v c="$cpu_single" 'BEGIN { printf "| single env | %d | %d | %.0f× | %d |\n", g, s, s / g, c }'
awk -v g="$gym_vector" -v s="$ours_vector1" -v c="$cpu_vector1" 'BEGIN { printf "| vector (Gymnasium SyncVectorEnv 8; ours 4096 envs, 1 worker) | %d | %d | %.0f× | %d |\n", g, s, s / g, c }'
awk -v g="$gym_vector" -v s="$ours_vector2" -v c="$cpu_vector2" 'BEGIN { printf "| vector (Gymnasium SyncVectorEnv 8; ours 4096 envs, 2 workers) | %d | %d | %.0f× | %d |\n", g, s, s / g, c }'
echo
echo "load average (1 min) before/after: $load_before / $load_after on $(nproc) cores"
