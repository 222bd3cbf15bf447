#!/usr/bin/env bash
# Runs one Experiments/<name>/config.json for several policies and seeds and prints a Markdown
# table of the greedy evaluations (read from each run's summary.json).
#
#   Scripts/run-ppo-experiment.sh Experiments/memory-probe-ppo "cfc ltc mlp" "1 2 3"
#
# Runs go to runs/<name>-<policy>-s<seed>/ (the config's own policy is overridden by --policy).
# Cost: see the experiment's README; runs are sequential, niced, release build.
set -euo pipefail
dir=${1:?experiment folder}; policies=${2:-cfc}; seeds=${3:-1}
name=$(basename "$dir")
swift build -c release --product ppo-train >/dev/null
bin=$(swift build -c release --show-bin-path)/ppo-train
echo "| policy | seed | greedy eval mean ± std (episodes) | env steps | training s |"
echo "|---|---:|---|---:|---:|"
for policy in $policies; do
  for seed in $seeds; do
    run="runs/$name-$policy-s$seed"
    rm -rf "$run"
    nice -n 5 "$bin" --config "$dir/config.json" --policy "$policy" --seed "$seed" --run-dir "$run" --quiet >/dev/null
    python3 - "$run/summary.json" "$policy" "$seed" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
print(f"| {sys.argv[2]} | {sys.argv[3]} | {s['eval_mean_return']:.3f} ± {s['eval_std_return']:.3f} ({s['eval_episodes']}) "
      f"| {s['env_steps']} | {s['training_seconds']:.1f} |")
PY
  done
done
