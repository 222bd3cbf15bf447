#!/usr/bin/env python3
"""Records Gymnasium trajectories that the Environments tests replay step for step.

Rerun from the package root (needs gymnasium and numpy; pygame-ce for the render summaries):

    python3 Scripts/make-gym-fixtures.py

Writes Tests/EnvironmentsTests/Fixtures/{cartpole,pendulum}-trajectories.json,
cartpole-wrappers.json (NormalizeObservation + NormalizeReward) and cartpole-render.json. Each episode records the seed passed to reset (null = continue the stream,
as after an autoreset), the float64 internal state right after reset, the float32 reset
observation, and per step the action, observation, reward, terminated and truncated, exactly as
`gym.make(id)` (with its registration TimeLimit) returns them. Float32 values are written as the
shortest decimal of the double holding them, so they parse back to the same float32 bits.
"""
import json
import os

import gymnasium as gym
import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Tests", "EnvironmentsTests", "Fixtures")


def floats(array):
    return [float(v) for v in np.asarray(array).reshape(-1)]


def record(env_id, episodes, choose_action, encode_action):
    env = gym.make(env_id)
    records = []
    for seed, policy_seed, random_fraction in episodes:
        obs, _ = env.reset(seed=seed)
        rng = np.random.default_rng(policy_seed)
        episode = {
            "seed": seed,
            "initial_state": floats(env.unwrapped.state),
            "reset_obs": floats(obs),
            "steps": [],
        }
        while True:
            action = choose_action(env.unwrapped.state, rng, random_fraction)
            obs, reward, terminated, truncated, _ = env.step(action)
            episode["steps"].append({
                "action": encode_action(action),
                "obs": floats(obs),
                "reward": float(reward),
                "terminated": bool(terminated),
                "truncated": bool(truncated),
            })
            if terminated or truncated:
                break
        records.append(episode)
    env.close()
    return {
        "env": env_id,
        "gymnasium": gym.__version__,
        "numpy": np.__version__,
        "episodes": records,
    }


def cartpole_action(state, rng, random_fraction):
    # A balancing controller mixed with random pushes: episodes that vary in length.
    x, x_dot, theta, theta_dot = state
    if rng.random() < random_fraction:
        return int(rng.integers(2))
    return int(theta + 0.5 * theta_dot + 0.01 * x + 0.1 * x_dot > 0)


def pendulum_action(state, rng, _):
    # Torques across and beyond the bounds [-2, 2] (the env clips), plus exact bounds and zero.
    kind = rng.integers(4)
    if kind == 0:
        torque = rng.uniform(-3.0, 3.0)
    elif kind == 1:
        torque = float(rng.choice([-2.0, 2.0, 0.0]))
    else:
        torque = np.clip(-8.0 * np.sin(state[0]) - 1.5 * state[1], -2.5, 2.5)
    return np.array([torque], dtype=np.float32)


def write(name, data):
    path = os.path.join(OUT, name)
    with open(path, "w") as f:
        json.dump(data, f, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {path} ({os.path.getsize(path)} bytes)")


def wrapper_trajectories():
    """NormalizeObservation and NormalizeReward on CartPole-v1 over three episodes."""
    env = gym.wrappers.NormalizeReward(gym.wrappers.NormalizeObservation(gym.make("CartPole-v1")), gamma=0.99)
    rng = np.random.default_rng(99)
    episodes = []
    for seed in [3, None, None]:
        obs, _ = env.reset(seed=seed)
        episode = {"seed": seed, "reset_obs": floats(obs), "steps": []}
        while True:
            action = int(rng.integers(2))
            obs, reward, terminated, truncated, _ = env.step(action)
            episode["steps"].append({"action": action, "obs": floats(obs), "reward": float(reward),
                                     "terminated": bool(terminated), "truncated": bool(truncated)})
            if terminated or truncated:
                break
        episodes.append(episode)
    obs_rms = env.env.obs_rms
    return {"env": "NormalizeReward(NormalizeObservation(CartPole-v1))", "gymnasium": gym.__version__,
            "episodes": episodes,
            "observation_statistics": {"mean": floats(obs_rms.mean), "var": floats(obs_rms.var), "count": obs_rms.count},
            "return_statistics": {"mean": floats(env.return_rms.mean), "var": floats(env.return_rms.var),
                                  "count": env.return_rms.count}}


def render_summary(env_id, seeds, steps):
    """Per colour: pixel count and bounding box of Gymnasium's rgb_array render."""
    env = gym.make(env_id, render_mode="rgb_array")
    summaries = []
    for seed in seeds:
        env.reset(seed=seed)
        for t in range(steps):
            env.step(t % 2)
        frame = env.render()
        state = floats(env.unwrapped.state)
        colours = {}
        flat = frame.reshape(-1, 3)
        values, counts = np.unique(flat, axis=0, return_counts=True)
        for value, count in zip(values, counts):
            ys, xs = np.nonzero(np.all(frame == value, axis=2))
            colours[",".join(str(int(c)) for c in value)] = {
                "count": int(count),
                "box": [int(xs.min()), int(ys.min()), int(xs.max()), int(ys.max())],
            }
        summaries.append({"state": state, "width": frame.shape[1], "height": frame.shape[0], "colours": colours})
    env.close()
    return {"env": env_id, "gymnasium": gym.__version__, "frames": summaries}


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    # (reset seed, policy seed, fraction of random actions); a None seed continues the env's
    # stream as an autoreset would. The first episode runs into the 500-step time limit.
    cartpole_episodes = [(0, 1, 0.3), (1, 2, 0.7), (42, 3, 0.7), (None, 4, 0.8), (123456789, 5, 1.0),
                         (2**40 + 3, 6, 0.7), (7, 7, 1.0), (None, 8, 0.6)]
    write("cartpole-trajectories.json", record("CartPole-v1", cartpole_episodes, cartpole_action, int))
    pendulum_episodes = [(0, 11, 0), (5, 12, 0), (None, 13, 0), (2**33 + 1, 14, 0)]
    write("pendulum-trajectories.json",
          record("Pendulum-v1", pendulum_episodes, pendulum_action, lambda a: float(a[0])))
    write("cartpole-wrappers.json", wrapper_trajectories())
    try:
        write("cartpole-render.json", render_summary("CartPole-v1", [0, 3, 9], 9))
    except gym.error.DependencyNotInstalled as error:
        print(f"skipped render summary: {error}")
