#!/usr/bin/env bash
# swift-ncps ppo-train (CfC policy, defaults) against Stable-Baselines3 PPO with rl-zoo3's tuned
# CartPole settings (Scripts/sb3-cartpole.py), side by side on this machine, seed by seed.
# Prints each run's wall time and greedy evaluation, then the medians and the speed ratio.
#
# Needs: pip install stable-baselines3 gymnasium torch
# Usage: Scripts/bench-ppo-cartpole.sh            (seeds 1..5)
#        SEEDS="1 2" Scripts/bench-ppo-cartpole.sh
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product ppo-train >/dev/null
out=$(mktemp -d)
for seed in ${SEEDS:-1 2 3 4 5}; do
  .build/release/ppo-train --seed "$seed" --run-dir "$out/cfc-$seed" --quiet >/dev/null
  python3 -c "import json,sys; s=json.load(open(sys.argv[1])); s['implementation']='swift-ncps cfc'; print(json.dumps(s))" \
    "$out/cfc-$seed/summary.json" | tee -a "$out/results.jsonl"
  python3 Scripts/sb3-cartpole.py --seed "$seed" | tee -a "$out/results.jsonl"
done
python3 - "$out/results.jsonl" <<'PY'
import json, statistics, sys
rows = [json.loads(line) for line in open(sys.argv[1])]
ours = [r for r in rows if r["implementation"].startswith("swift-ncps")]
sb3 = [r for r in rows if r["implementation"] == "stable-baselines3"]
ours_time = statistics.median(r["training_seconds"] for r in ours)
sb3_time = statistics.median(r["wall_seconds"] for r in sb3)
print(f"swift-ncps CfC: median training {ours_time:.1f} s; eval means {[r['eval_mean_return'] for r in ours]}")
print(f"SB3 MLP:        median training {sb3_time:.1f} s; eval means {[r['eval_mean_return'] for r in sb3]}")
print(f"speed ratio (SB3 / swift-ncps): {sb3_time / ours_time:.2f}x")
PY
