#!/usr/bin/env bash
# swift-ncps ppo-train (CfC policy, defaults) against Stable-Baselines3 PPO with rl-zoo3's tuned
# CartPole settings (Scripts/sb3-cartpole.py), side by side on this machine, seed by seed: for
# every seed ours runs once, then SB3 once per torch thread setting (THREADS, default "1 2").
# Prints each run's training wall time, CPU time (user + system, all threads), seconds until the
# mean of the last 20 training episodes first reached 475, and greedy evaluation (100 episodes);
# then the medians and the ratios against SB3's faster thread setting, and the load average.
#
# Needs: pip install stable-baselines3 gymnasium torch
# Usage: Scripts/bench-ppo-cartpole.sh                     (seeds 1..5, SB3 with 1 and 2 threads)
#        SEEDS="1 2" THREADS=1 Scripts/bench-ppo-cartpole.sh
#        OURS_ARGS="--workers 1" Scripts/bench-ppo-cartpole.sh   (extra ppo-train arguments)
#        SKIP_BUILD=1 ...                                         (use the existing release build)
set -euo pipefail
cd "$(dirname "$0")/.."
[ -n "${SKIP_BUILD:-}" ] || swift build -c release --product ppo-train >/dev/null
out=$(mktemp -d)
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$out/load.txt"
for seed in ${SEEDS:-1 2 3 4 5}; do
  # shellcheck disable=SC2086
  .build/release/ppo-train --seed "$seed" --run-dir "$out/cfc-$seed" --quiet ${OURS_ARGS:-} >/dev/null
  python3 -c "import json,sys; s=json.load(open(sys.argv[1])); s['implementation']='swift-ncps cfc'; print(json.dumps(s))" \
    "$out/cfc-$seed/summary.json" | tee -a "$out/results.jsonl"
  for threads in ${THREADS:-1 2}; do
    python3 Scripts/sb3-cartpole.py --seed "$seed" --threads "$threads" | tee -a "$out/results.jsonl"
  done
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/load.txt"
python3 - "$out/results.jsonl" <<'PY'
import json, statistics, sys
rows = [json.loads(line) for line in open(sys.argv[1])]
median = statistics.median
def fmt(values):
    values = [v for v in values if v is not None]
    return f"{median(values):6.2f}" if values else "   n/a"
ours = [r for r in rows if r["implementation"].startswith("swift-ncps")]
print(f"{'':24} {'wall s':>7} {'CPU s':>7} {'s to 475':>8}  greedy eval means")
print(f"{'swift-ncps CfC':24} {fmt(r['training_seconds'] for r in ours)} {fmt(r.get('training_cpu_seconds') for r in ours)}"
      f" {fmt(r.get('seconds_to_target') for r in ours):>8}  {[r['eval_mean_return'] for r in ours]}")
sb3 = {}
for r in rows:
    if r["implementation"] == "stable-baselines3":
        sb3.setdefault(r["threads"], []).append(r)
for threads, runs in sorted(sb3.items()):
    print(f"{'SB3, ' + str(threads) + ' torch thread(s)':24} {fmt(r['wall_seconds'] for r in runs)} {fmt(r['cpu_seconds'] for r in runs)}"
          f" {fmt(r['seconds_to_475'] for r in runs):>8}  {[r['eval_mean_return'] for r in runs]}")
best = min(sb3.values(), key=lambda runs: median(r["wall_seconds"] for r in runs))
ours_wall = median(r["training_seconds"] for r in ours)
print(f"wall-clock ratio (SB3's faster setting, {best[0]['threads']} thread(s), / ours): "
      f"{median(r['wall_seconds'] for r in best) / ours_wall:.1f}x")
cpu = [r.get("training_cpu_seconds") for r in ours]
if all(c is not None for c in cpu):
    print(f"CPU-time ratio (same SB3 setting / ours): {median(r['cpu_seconds'] for r in best) / median(cpu):.1f}x")
solved = [r.get("seconds_to_target") for r in ours]
sb3_solved = [r["seconds_to_475"] for r in best]
if all(s is not None for s in solved) and all(s is not None for s in sb3_solved):
    print(f"time-to-475 ratio (same SB3 setting / ours): {median(sb3_solved) / median(solved):.1f}x")
PY
cat "$out/load.txt"
