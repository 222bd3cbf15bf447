#!/usr/bin/env bash
# Throughput of the arcade environments, and MinAtar Breakout side by side with the MinAtar
# Python package, on this machine in one run.
#
#   Scripts/bench-arcade.sh [repeats]        (default 5; needs `pip install minatar`)
#
# Swift: Benchmarks/ArcadeBenchmark (`arcade-bench speed`), random actions, envs reset at episode
# ends; 1 thread, and 2 threads with DispatchQueue.concurrentPerform (each worker owns its envs).
# It prints wall-clock steps/s and steps per CPU-second × threads (what otherwise idle cores
# deliver; on a shared machine the wall-clock figure is lower). Medians over the repeats.
# Python: minatar.Environment("breakout") (sticky 0.1, as the Swift env), one process, random
# actions from numpy, 1 s a repeat; median over the repeats.
set -euo pipefail
cd "$(dirname "$0")/.."
repeats="${1:-5}"
swift build -c release --product arcade-bench >/dev/null
load_before=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo "?")
.build/release/arcade-bench speed --repeats "$repeats" | tee /tmp/bench-arcade-swift.txt
python3 - "$repeats" <<'PY' | tee /tmp/bench-arcade-python.txt
import sys, time
import numpy as np
from minatar import Environment
repeats = int(sys.argv[1])
env = Environment("breakout", sticky_action_prob=0.1)
env.seed(0)
env.reset()
rng = np.random.RandomState(0)
rates = []
for _ in range(repeats):
    steps, start = 0, time.perf_counter()
    while time.perf_counter() - start < 1.0:
        for _ in range(1000):
            reward, done = env.act(rng.randint(6))
            env.state()
            if done:
                env.reset()
        steps += 1000
    rates.append(steps / (time.perf_counter() - start))
print("Python MinAtar Breakout 1 process  median %.0f steps/s  (%s)" % (np.median(rates), " ".join("%.0f" % r for r in rates)))
PY
swift_rate=$(grep '^MinAtar/Breakout .*1 thread ' /tmp/bench-arcade-swift.txt | sed -E 's/.*median +([0-9]+) steps\/s wall.*/\1/')
python_rate=$(sed -E 's/.*median ([0-9]+) steps\/s.*/\1/' /tmp/bench-arcade-python.txt)
echo "MinAtar Breakout, 1 thread: Swift / Python = $(python3 -c "print(f'{$swift_rate / $python_rate:.0f}x')")"
echo "load average (1 min) before/after: $load_before / $(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo "?") on $(nproc) cores"
