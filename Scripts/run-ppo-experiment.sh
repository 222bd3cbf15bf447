#!/usr/bin/env bash
# Runs one experiment config for several policies and seeds and prints a Markdown table of the
# greedy evaluations (read from each run's summary.json).
#
#   Scripts/run-ppo-experiment.sh Experiments/memory-probe-ppo/config.json "cfc mlp" "1 2 3"
#
# Runs go to runs/<folder>-<config>-<policy>-s<seed>/ (--policy overrides the config's circuit).
# Cost: see the experiment's README; runs are sequential, niced, release build.
set -euo pipefail
config=${1:?experiment config.json}; policies=${2:-cfc}; seeds=${3:-1}
name=$(basename "$(dirname "$config")")-$(basename "$config" .json)
swift build -c release --product ppo-train >/dev/null
bin=$(swift build -c release --show-bin-path)/ppo-train
echo "| config | policy | seed | greedy eval mean ± std (episodes) | env steps | training s |"
echo "|---|---|---:|---|---:|---:|"
for policy in $policies; do
  for seed in $seeds; do
    run="runs/$name-$policy-s$seed"
    rm -rf "$run"
    nice -n 5 "$bin" --config "$config" --policy "$policy" --seed "$seed" --run-dir "$run" --quiet >/dev/null
    python3 - "$run/summary.json" "$policy" "$seed" "$(basename "$config")" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
print(f"| {sys.argv[4]} | {sys.argv[2]} | {sys.argv[3]} | {s['eval_mean_return']:.3f} ± {s['eval_std_return']:.3f} ({s['eval_episodes']}) "
      f"| {s['env_steps']} | {s['training_seconds']:.1f} |")
PY
  done
done
