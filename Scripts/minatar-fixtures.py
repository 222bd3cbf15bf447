#!/usr/bin/env python3
"""MinAtar trajectories for the Swift MinAtar ports (Tests/EnvironmentsTests/MinAtarParityTests.swift).

Rerun: python3 Scripts/minatar-fixtures.py   (needs `pip install minatar`; writes
Tests/EnvironmentsTests/Fixtures/minatar-trajectories.json)

For Breakout, Space Invaders and Freeway: no sticky actions, seeded uniformly random actions over
MinAtar's full action set (Breakout: 90% chasing the ball), and after each step the reward, terminal flag and the indices of the
set cells of the flattened [10, 10, C] state. The reset's random draws are recorded as the
initial state (Breakout's ball, Freeway's car speeds) so Swift can start from the same state;
Freeway trajectories stop before the first crossing (which draws new speeds).
"""
import json
import os

import numpy as np
from minatar import Environment

out = {}
for game, steps in [("breakout", 400), ("space_invaders", 400), ("freeway", 400)]:
    episodes = []
    for seed in range(3):
        env = Environment(game, sticky_action_prob=0.0)
        env.seed(seed)
        env.reset()
        inner = env.env
        init = {}
        if game == "breakout":
            init = {"ball_x": int(inner.ball_x), "ball_dir": int(inner.ball_dir)}
        if game == "freeway":
            init = {"speeds": [int(c[3]) for c in inner.cars]}
        rng = np.random.RandomState(100 + seed)
        records = [{"state": np.flatnonzero(env.state()).tolist()}]
        for _ in range(steps):
            action = int(rng.randint(6))
            if game == "breakout" and rng.rand() < 0.9:  # mostly chase the ball: longer episodes
                target = inner.ball_x + (1 if inner.ball_dir in (1, 2) else -1) * (9 - inner.ball_y)
                action = 1 if target < inner.pos else 3 if target > inner.pos else 0
            reward, terminal = env.act(action)
            if game == "freeway" and reward > 0:
                break
            records.append({"action": action, "reward": float(reward), "terminal": bool(terminal),
                            "state": np.flatnonzero(env.state()).tolist()})
            if terminal:
                break
        episodes.append({"init": init, "steps": records})
    out[game] = episodes

path = os.path.join(os.path.dirname(__file__), "..", "Tests", "EnvironmentsTests", "Fixtures",
                    "minatar-trajectories.json")
with open(path, "w") as f:
    json.dump(out, f, separators=(",", ":"))
print("wrote", path, os.path.getsize(path), "bytes")
for game, episodes in out.items():
    print(game, [len(e["steps"]) - 1 for e in episodes], "steps,",
          [sum(s.get("reward", 0) for s in e["steps"]) for e in episodes], "return")
