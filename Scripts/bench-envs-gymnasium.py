#!/usr/bin/env python3
"""Gymnasium side of Scripts/bench-envs.sh: CartPole-v1 env-steps per second.

    python3 Scripts/bench-envs-gymnasium.py [--steps N] [--repeats R]

Prints one line per measurement, `<name> <median steps/s> <all runs>`, like bench-environments.
Single env: `gym.make("CartPole-v1")` (TimeLimit 500 and the passive checker, as users get it),
reset when an episode ends. Vector: `SyncVectorEnv` of 8 such envs (autoreset NEXT_STEP, the
default). Actions are drawn up front so that sampling is not measured. One thread.
"""
import argparse
import time

import gymnasium as gym
import numpy as np

parser = argparse.ArgumentParser()
parser.add_argument("--steps", type=int, default=200_000)
parser.add_argument("--repeats", type=int, default=5)
args = parser.parse_args()

actions = np.random.default_rng(0).integers(0, 2, size=args.steps)


def report(name, rates):
    print(f"{name} {int(np.median(rates))} {','.join(str(int(r)) for r in rates)}", flush=True)


rates = []
for _ in range(args.repeats):
    env = gym.make("CartPole-v1")
    env.reset(seed=0)
    steps = [int(a) for a in actions]
    start = time.perf_counter()
    for a in steps:
        _, _, terminated, truncated, _ = env.step(a)
        if terminated or truncated:
            env.reset()
    rates.append(len(steps) / (time.perf_counter() - start))
report("gymnasium-cartpole-single", rates)

rates = []
batches = args.steps // 8
batch_actions = actions[: batches * 8].reshape(batches, 8)
for _ in range(args.repeats):
    envs = gym.vector.SyncVectorEnv([lambda: gym.make("CartPole-v1") for _ in range(8)])
    envs.reset(seed=0)
    start = time.perf_counter()
    for batch in batch_actions:
        envs.step(batch)
    rates.append(batches * 8 / (time.perf_counter() - start))
    envs.close()
report("gymnasium-cartpole-syncvector8", rates)
