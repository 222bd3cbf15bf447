#!/usr/bin/env bash
# Runs one experiment config for several policies and seeds and prints a Markdown table of the
# greedy evaluations (read from each run's summary.json), then how many seeds reached TARGET.
#
#   Scripts/run-ppo-experiment.sh Experiments/memory-probe-ppo/config.json "cfc mlp" "1 2 3"
#   JOBS=2 TARGET=0.95 Scripts/run-ppo-experiment.sh Experiments/doorkey-cfc-ppo/config.json cfc "1 2 3 4 5"
#
# Every run: `nice -n 10 ppo-train --workers 1` (one thread), release build.
# Environment: JOBS    runs at the same time (default 1; the shared machine allows 2)
#              TARGET  count the seeds whose greedy mean is at least this (optional)
#              SKIP_BUILD=1  use the existing release build
#              EXTRA   more ppo-train arguments, e.g. EXTRA="--steps 300000"
# Runs go to runs/<folder>-<config>-<policy>-s<seed>/ (--policy overrides the config's circuit);
# "training CPU s" is the run's user + system time of training (summary.json), without the
# final evaluation. Cost: see the experiment's README.
set -euo pipefail
config=${1:?experiment config.json}; policies=${2:-cfc}; seeds=${3:-1}
jobs=${JOBS:-1}
name=$(basename "$(dirname "$config")")-$(basename "$config" .json)
[ -n "${SKIP_BUILD:-}" ] || swift build -c release --product ppo-train >/dev/null
bin=$(swift build -c release --show-bin-path)/ppo-train
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
runs=()
for policy in $policies; do
  for seed in $seeds; do
    run="runs/$name-$policy-s$seed"
    runs+=("$run")
    rm -rf "$run"
    while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n; done
    # shellcheck disable=SC2086
    nice -n 10 "$bin" --config "$config" --policy "$policy" --seed "$seed" --run-dir "$run" --workers 1 --quiet \
      ${EXTRA:-} >"$run.log" 2>&1 &
  done
done
wait
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
python3 - "$(basename "$config")" "${TARGET:-}" "${runs[@]}" <<'PY'
import json, os, sys
config, target, runs = sys.argv[1], sys.argv[2], sys.argv[3:]
print("| config | policy | seed | greedy eval mean ± std (episodes) | min / max | env steps | training CPU s |")
print("|---|---|---:|---|---|---:|---:|")
reached = 0
for run in runs:
    path = os.path.join(run, "summary.json")
    if not os.path.exists(path):
        print(f"| {config} | {run} | failed: see {run}.log | | | | |")
        continue
    s = json.load(open(path))
    ok = target != "" and s["eval_mean_return"] >= float(target)
    reached += ok
    mean = f"{s['eval_mean_return']:.3f} ± {s['eval_std_return']:.3f} ({s['eval_episodes']})"
    print(f"| {config} | {s['circuit']} | {s['seed']} | {'**' + mean + '**' if ok else mean} "
          f"| {s['eval_min_return']:g} / {s['eval_max_return']:g} | {s['env_steps']} | {s['training_cpu_seconds']:.1f} |")
if target:
    print(f"\n{reached} of {len(runs)} runs reach a greedy mean of at least {target}.")
PY
