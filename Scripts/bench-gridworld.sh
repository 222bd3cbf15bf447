#!/usr/bin/env bash
# Throughput of the Swift grid worlds next to MiniGrid (Python) on this machine, in one run.
#
#   Scripts/bench-gridworld.sh [repeats]        (default 5; needs `pip install minigrid`)
#
# Both: one thread, one environment, uniformly random actions, reset at episode ends, about one
# second a repeat; medians over the repeats, then the ratio Swift / MiniGrid per env id.
# MiniGrid is `gym.make(id).unwrapped` (no wrapper overhead), observations as MiniGrid makes them.
set -euo pipefail
cd "$(dirname "$0")/.."
repeats="${1:-5}"
swift build -c release --product gridworld-bench >/dev/null
.build/release/gridworld-bench "$repeats" | tee /tmp/bench-gridworld-swift.txt
python3 - "$repeats" <<'PY' | tee /tmp/bench-gridworld-python.txt
import sys, time
import gymnasium as gym
import minigrid  # noqa: F401
import numpy as np
repeats = int(sys.argv[1])
for env_id in ["MiniGrid-Empty-8x8-v0", "MiniGrid-DoorKey-8x8-v0", "MiniGrid-FourRooms-v0", "MiniGrid-MemoryS7-v0"]:
    env = gym.make(env_id).unwrapped
    env.reset(seed=0)
    rng = np.random.RandomState(1)
    rates = []
    for _ in range(repeats):
        steps, start = 0, time.perf_counter()
        while time.perf_counter() - start < 1.0:
            for a in rng.randint(0, 7, size=100):
                _, _, terminated, truncated, _ = env.step(int(a))
                if terminated or truncated:
                    env.reset()
            steps += 100
        rates.append(steps / (time.perf_counter() - start))
    print(f"python {env_id}: {int(sorted(rates)[len(rates) // 2])} steps/s (median of {repeats})")
PY
python3 - <<'PY'
swift = {l.split()[1].rstrip(":"): float(l.split()[2]) for l in open("/tmp/bench-gridworld-swift.txt")}
python = {l.split()[1].rstrip(":"): float(l.split()[2]) for l in open("/tmp/bench-gridworld-python.txt")}
for env_id in swift:
    print(f"{env_id}: Swift / MiniGrid = {swift[env_id] / python[env_id]:.0f}x")
PY
