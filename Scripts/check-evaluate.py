#!/usr/bin/env python3
"""Checks `evaluate --json` against Gymnasium: same seed, same actions, same lines.

    python3 Scripts/check-evaluate.py [--episodes 20] [--binary .build/release/evaluate]

Plays random action lists (long enough to reach termination or the time limit) for CartPole-v1
and Pendulum-v1 through both, and compares observations as float32, rewards, terminated and
truncated exactly. Needs gymnasium and numpy; build first with `swift build -c release`.
"""
import argparse
import json
import subprocess

import gymnasium as gym
import numpy as np

parser = argparse.ArgumentParser()
parser.add_argument("--episodes", type=int, default=20)
parser.add_argument("--binary", default=".build/release/evaluate")
args = parser.parse_args()

rng = np.random.default_rng(2024)
failures = 0
for env_id in ["CartPole-v1", "Pendulum-v1"]:
    env = gym.make(env_id)
    for episode in range(args.episodes):
        seed = int(rng.integers(0, 2**63))
        if env_id == "CartPole-v1":
            actions = [int(a) for a in rng.integers(0, 2, size=int(rng.integers(1, 600)))]
            text = ",".join(str(a) for a in actions)
        else:
            actions = [np.float32(a) for a in rng.uniform(-2.5, 2.5, size=int(rng.integers(1, 250)))]
            text = ",".join(repr(float(a)) for a in actions)
        out = subprocess.run([args.binary, "--env", env_id, "--seed", str(seed), "--actions=" + text, "--json"],
                             capture_output=True, text=True, check=True).stdout.splitlines()
        expected = []
        obs, _ = env.reset(seed=seed)
        expected.append({"obs": obs})
        for a in actions:
            obs, reward, terminated, truncated, _ = env.step(a if env_id == "CartPole-v1" else np.array([a]))
            expected.append({"obs": obs, "reward": float(reward), "terminated": terminated, "truncated": truncated})
            if terminated or truncated:
                break
        got = [json.loads(line) for line in out]
        ok = len(got) == len(expected) and all(
            np.array_equal(np.float32(g["obs"]), e["obs"]) and all(g.get(k) == e.get(k) for k in ("reward", "terminated", "truncated"))
            for g, e in zip(got, expected))
        if not ok:
            failures += 1
            print(f"MISMATCH {env_id} seed {seed}")
    print(f"{env_id}: {args.episodes} episodes compared")
print("all equal" if failures == 0 else f"{failures} mismatches")
raise SystemExit(1 if failures else 0)
