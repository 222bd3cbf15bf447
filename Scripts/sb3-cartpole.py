#!/usr/bin/env python3
"""Stable-Baselines3 PPO on CartPole-v1 with rl-zoo3's tuned settings: the wall-clock reference
for swift-ncps' `ppo-train` (Scripts/bench-ppo-cartpole.sh runs both side by side).

rl-zoo3 hyperparams/ppo.yml, CartPole-v1: 8 envs, n_steps 32, batch 256, 20 epochs, gamma 0.98,
gae_lambda 0.8, learning rate lin_1e-3, clip lin_0.2, ent_coef 0, 1e5 timesteps, MlpPolicy.

Prints one JSON line: wall seconds for the whole run (environment and model construction plus
`learn`), the process CPU seconds (user + system, all threads) over the same span, seconds until
the mean return of the last 20 finished training episodes first reached 475 (null if never), and
a final greedy evaluation over 100 episodes. `--threads` sets torch's intra-op threads (1 by
default; the machine has 2 cores).

Needs: pip install stable-baselines3 gymnasium torch
Usage: python3 Scripts/sb3-cartpole.py [--seed N] [--steps N] [--threads N]
"""
import argparse
import json
import time

import numpy as np
import torch
from stable_baselines3 import PPO
from stable_baselines3.common.callbacks import BaseCallback
from stable_baselines3.common.env_util import make_vec_env
from stable_baselines3.common.evaluation import evaluate_policy


def linear(start):
    return lambda progress: progress * start


class FirstSolved(BaseCallback):
    """Records the wall time when the mean of the last 20 episode returns first reaches 475."""

    def __init__(self, start):
        super().__init__()
        self.start = start
        self.returns = []
        self.solved_at = None

    def _on_step(self):
        for info in self.locals["infos"]:
            if "episode" in info:
                self.returns.append(info["episode"]["r"])
        if self.solved_at is None and len(self.returns) >= 20 and np.mean(self.returns[-20:]) >= 475:
            self.solved_at = time.perf_counter() - self.start
        return True


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--steps", type=int, default=100_000)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)

    start = time.perf_counter()
    cpu_start = time.process_time()
    env = make_vec_env("CartPole-v1", n_envs=8, seed=args.seed)
    model = PPO(
        "MlpPolicy", env, n_steps=32, batch_size=256, n_epochs=20, gamma=0.98, gae_lambda=0.8,
        learning_rate=linear(1e-3), clip_range=linear(0.2), ent_coef=0.0, seed=args.seed, device="cpu",
        verbose=0)
    callback = FirstSolved(start)
    model.learn(total_timesteps=args.steps, callback=callback)
    wall = time.perf_counter() - start
    cpu = time.process_time() - cpu_start
    eval_env = make_vec_env("CartPole-v1", n_envs=1, seed=args.seed + 1000)
    mean, std = evaluate_policy(model, eval_env, n_eval_episodes=100, deterministic=True)
    print(json.dumps({
        "implementation": "stable-baselines3", "threads": args.threads, "seed": args.seed,
        "env_steps": args.steps, "wall_seconds": round(wall, 3), "cpu_seconds": round(cpu, 3),
        "seconds_to_475": None if callback.solved_at is None else round(callback.solved_at, 3),
        "eval_mean_return": float(mean), "eval_std_return": float(std), "eval_episodes": 100,
    }))


if __name__ == "__main__":
    main()
