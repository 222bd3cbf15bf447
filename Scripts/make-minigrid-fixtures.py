#!/usr/bin/env python3
"""Records MiniGrid episodes so the Swift grid worlds can be checked against the real thing.

Rerun (from the package root; needs `pip install minigrid`, tested with minigrid 3.2.0):

    python3 Scripts/make-minigrid-fixtures.py

Writes Tests/EnvironmentsTests/Fixtures/minigrid-episodes.json. For every case it stores the
episode's layout (the random choices MiniGrid made: wall and door positions, agent start, object
kinds), the full grid encoding (`env.grid.encode()`, indexed [x][y][channel]), and for the reset
and every step the egocentric image (`obs["image"]`, 7x7x3 indexed [x][y][channel], as a hex
string of its row-major bytes), the direction, reward, terminated and truncated.

Also writes a few full renders (`env.get_frame()`: 32-pixel tiles, view highlighted), raw RGB
bytes Shape [height, width, 3], as Fixtures/minigrid-render-case<C>-step<T>.rgb: case C of the
episode file after its first T actions. The Swift test
rebuilds each layout, checks the grid, replays the actions and compares every value.

Action sequences: uniformly random actions (numpy RandomState(case index), at most 110) and, for the tasks
with doors and cues, a breadth-first-search solution found here on copies of the MiniGrid env,
so key pickup, unlocking, carrying and success all appear.
"""
import copy
import json
import os
from collections import deque

import gymnasium as gym
import minigrid  # noqa: F401  (registers the MiniGrid-* ids)
import numpy as np

OUT = os.path.join(os.path.dirname(__file__), "..", "Tests", "EnvironmentsTests", "Fixtures",
                   "minigrid-episodes.json")


def hexbytes(array):
    return bytes(np.asarray(array, dtype=np.uint8).reshape(-1)).hex()


def layout_of(env_id, env):
    g = env.grid
    if env_id.startswith("MiniGrid-Empty"):
        return {}
    if env_id.startswith("MiniGrid-DoorKey"):
        door = next((i, j) for i in range(g.width) for j in range(g.height)
                    if g.get(i, j) is not None and g.get(i, j).type == "door")
        key = next((i, j) for i in range(g.width) for j in range(g.height)
                   if g.get(i, j) is not None and g.get(i, j).type == "key")
        return {"wallColumn": int(door[0]), "doorRow": int(door[1]), "keyX": int(key[0]), "keyY": int(key[1])}
    if env_id.startswith("MiniGrid-FourRooms"):
        half = g.width // 2
        rows = [j for j in range(1, g.height - 1) if g.get(half, j) is None]
        cols = [i for i in range(1, g.width - 1) if g.get(i, half) is None]
        goal = next((i, j) for i in range(g.width) for j in range(g.height)
                    if g.get(i, j) is not None and g.get(i, j).type == "goal")
        return {"upperGap": rows[0], "lowerGap": rows[1], "leftGap": cols[0], "rightGap": cols[1],
                "goalX": int(goal[0]), "goalY": int(goal[1])}
    if env_id.startswith("MiniGrid-Memory"):
        mid = g.height // 2
        hallway_end = next(i for i in range(g.width) if g.get(i, 0) is not None and g.get(i, mid) is None
                           and i > 3 and g.get(i, mid - 1) is not None and g.get(i, mid - 1).type == "wall"
                           and g.get(i, 1) is not None)
        return {"hallwayEnd": hallway_end, "cue": g.get(1, mid - 1).type,
                "upperObject": g.get(hallway_end + 1, mid - 2).type}
    raise ValueError(env_id)


def state_key(env):
    carrying = env.carrying.encode() if env.carrying is not None else None
    return (env.grid.encode().tobytes(), tuple(int(v) for v in env.agent_pos), int(env.agent_dir), carrying)


def bfs_solution(env, max_depth=200):
    """Shortest action sequence (left, right, forward, pickup, toggle) that ends with reward > 0."""
    start = copy.deepcopy(env)
    frontier = deque([(start, [])])
    seen = {state_key(start)}
    while frontier:
        state, path = frontier.popleft()
        if len(path) >= max_depth:
            continue
        for action in (0, 1, 2, 3, 5):
            nxt = copy.deepcopy(state)
            _, reward, terminated, truncated, _ = nxt.step(action)
            if terminated and reward > 0:
                return path + [action]
            if terminated or truncated:
                continue
            key = state_key(nxt)
            if key in seen:
                continue
            seen.add(key)
            frontier.append((nxt, path + [action]))
    return None


def record(env_id, seed, actions_kind, case_index, **kwargs):
    env = gym.make(env_id, **kwargs).unwrapped
    obs, _ = env.reset(seed=seed)
    if actions_kind == "random":
        rng = np.random.RandomState(case_index)
        actions = [int(a) for a in rng.randint(0, 7, size=min(env.max_steps + 5, 110))]
    else:
        actions = bfs_solution(env)
        assert actions is not None, (env_id, seed)
    case = {
        "id": env_id, "seed": seed, "actionsKind": actions_kind,
        "width": env.width, "height": env.height, "maxSteps": env.max_steps,
        "agentX": int(env.agent_pos[0]), "agentY": int(env.agent_pos[1]), "agentDirection": int(env.agent_dir),
        "layout": layout_of(env_id, env),
        "grid": hexbytes(env.grid.encode()),
        "resetImage": hexbytes(obs["image"]), "resetDirection": int(obs["direction"]),
        "steps": [],
    }
    if kwargs:
        case["options"] = {k: (list(v) if isinstance(v, tuple) else v) for k, v in kwargs.items()}
    for action in actions:
        obs, reward, terminated, truncated, _ = env.step(action)
        case["steps"].append({"action": action, "image": hexbytes(obs["image"]), "direction": int(obs["direction"]),
                              "reward": float(reward), "terminated": bool(terminated), "truncated": bool(truncated)})
        if terminated or truncated:
            break
    return case


# (case index, actions applied) of the renders: DoorKey-5x5 at the start and with the door open
# and the key carried; MemoryS7 with its ball and key.
RENDERS = [(5, 0), (5, 6), (11, 0)]


def main():
    plan = [
        ("MiniGrid-Empty-5x5-v0", 0, "random", {}),
        ("MiniGrid-Empty-5x5-v0", 0, "bfs", {}),
        ("MiniGrid-Empty-8x8-v0", 0, "random", {}),
        ("MiniGrid-Empty-8x8-v0", 0, "bfs", {}),
        ("MiniGrid-Empty-8x8-v0", 0, "random", {"agent_start_pos": (3, 5), "agent_start_dir": 2}),
        ("MiniGrid-DoorKey-5x5-v0", 1, "bfs", {}),
        ("MiniGrid-DoorKey-5x5-v0", 2, "random", {}),
        ("MiniGrid-DoorKey-8x8-v0", 3, "bfs", {}),
        ("MiniGrid-DoorKey-8x8-v0", 4, "random", {}),
        ("MiniGrid-FourRooms-v0", 5, "bfs", {}),
        ("MiniGrid-FourRooms-v0", 6, "random", {}),
        ("MiniGrid-MemoryS7-v0", 7, "bfs", {}),
        ("MiniGrid-MemoryS7-v0", 8, "random", {}),
        ("MiniGrid-MemoryS7-v0", 9, "random", {}),
        ("MiniGrid-MemoryS7-v0", 10, "bfs", {}),
        ("MiniGrid-MemoryS7-v0", 12, "bfs", {}),
        ("MiniGrid-MemoryS11-v0", 13, "bfs", {}),
        ("MiniGrid-MemoryS11-v0", 14, "random", {}),
        ("MiniGrid-MemoryS13-v0", 15, "bfs", {}),
    ]
    cases = [record(env_id, seed, kind, index, **kw) for index, (env_id, seed, kind, kw) in enumerate(plan)]
    with open(OUT, "w") as f:
        json.dump({"generator": "Scripts/make-minigrid-fixtures.py", "minigrid": minigrid.__version__,
                   "cases": cases}, f, separators=(",", ":"))
    for index, steps in RENDERS:
        case = cases[index]
        env = gym.make(case["id"]).unwrapped
        env.reset(seed=case["seed"])
        for step in case["steps"][:steps]:
            env.step(step["action"])
        frame = env.get_frame()
        name = os.path.join(os.path.dirname(OUT), f"minigrid-render-case{index}-step{steps}.rgb")
        with open(name, "wb") as f:
            f.write(np.ascontiguousarray(frame, dtype=np.uint8).tobytes())
    for c in cases:
        print(c["id"], c["seed"], c["actionsKind"], len(c["steps"]), "steps, final reward",
              c["steps"][-1]["reward"] if c["steps"] else None)


if __name__ == "__main__":
    main()
