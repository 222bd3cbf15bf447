#!/usr/bin/env python3
"""Mean optimal (shortest-path) return of MiniGrid's own episodes, to compare with GridExpert.

Rerun (from the package root; needs `pip install minigrid`):

    python3 Scripts/minigrid-optimal-returns.py [episodes]   # default 100; FourRooms ~1 s each

For each env id, resets MiniGrid with seeds 0..episodes-1 and finds a shortest successful action
sequence by breadth-first search on copies of the env (Scripts/make-minigrid-fixtures.py's
search), then prints the mean of 1 - 0.9 * length / max_steps. The Swift expert's means
(`swift test --filter expertMeanReturns`) use our own random layouts, so the two agree only
up to sampling error. Memory is left out: the Swift expert must look at the cue first, which
this blind search does not.
"""
import importlib.util
import os
import sys

import gymnasium as gym

spec = importlib.util.spec_from_file_location(
    "fixtures", os.path.join(os.path.dirname(__file__), "make-minigrid-fixtures.py"))
fixtures = importlib.util.module_from_spec(spec)
spec.loader.exec_module(fixtures)

episodes = int(sys.argv[1]) if len(sys.argv) > 1 else 100
for env_id in ["MiniGrid-Empty-Random-5x5-v0", "MiniGrid-DoorKey-5x5-v0", "MiniGrid-DoorKey-8x8-v0",
               "MiniGrid-FourRooms-v0"]:
    returns, lengths = [], []
    for seed in range(episodes):
        env = gym.make(env_id).unwrapped
        env.reset(seed=seed)
        path = fixtures.bfs_solution(env, max_depth=env.max_steps)
        lengths.append(len(path))
        returns.append(1 - 0.9 * len(path) / env.max_steps)
    print(f"{env_id}: optimal mean return {sum(returns) / episodes:.4f}, mean length "
          f"{sum(lengths) / episodes:.2f} ({episodes} MiniGrid seeds)", flush=True)
