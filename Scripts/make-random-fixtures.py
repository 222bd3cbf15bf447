#!/usr/bin/env python3
"""Writes the numpy parity fixtures for module Randomness.

Rerun (from the package root; needs only numpy, pinned by the fixtures' "numpy" field):
    python3 Scripts/make-random-fixtures.py
Outputs Tests/RandomnessTests/Fixtures/{seed-sequence,pcg64-generator,mt19937-random-state}.json.

Each generator case is a seed and a script of calls ("ops") executed in order on one generator,
with numpy's results; the Swift tests replay the same script and compare bit for bit. 64-bit
and 128-bit integers are written as decimal strings, doubles as Python's round-trip repr.
"""
import json
import os

import numpy as np

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "RandomnessTests", "Fixtures")
SEEDS = [0, 1, 2, 42, 1111, 12345, 22222, 2**31 - 1, 2**32 - 1, 2**32, 2**32 + 1, 987654321987654321, 2**63 + 5, 2**64 - 1]
LEGACY_SEEDS = [0, 1, 2, 42, 1111, 12345, 22222, 5489, 2**31, 2**32 - 1]


def words32(n):
    """The little-endian 32-bit words numpy's SeedSequence makes of a non-negative int."""
    out = []
    while True:
        out.append(n & 0xFFFFFFFF)
        n >>= 32
        if n == 0:
            return out


def seed_sequences():
    cases = []
    entropies = [words32(s) for s in SEEDS] + [words32(2**100 + 7), words32(2**200 - 3), [1, 2, 3, 4, 5, 6], [7, 0, 9]]
    for entropy in entropies:
        for spawn_key in ([], [1], [3, 4]):
            # An array of uint32 is taken word for word, like the int it encodes.
            ss = np.random.SeedSequence(np.array(entropy, dtype=np.uint32), spawn_key=tuple(spawn_key))
            cases.append({
                "entropy": entropy, "spawn_key": spawn_key,
                "pool": [int(x) for x in ss.pool],
                "state32": [int(x) for x in ss.generate_state(9, np.uint32)],
                "state64": [str(int(x)) for x in ss.generate_state(5, np.uint64)],
            })
    # An int seed and its word array must agree (the Swift init(_ seed: UInt64) relies on it).
    for s in SEEDS:
        a = np.random.SeedSequence(s).generate_state(4, np.uint32)
        b = np.random.SeedSequence(np.array(words32(s), dtype=np.uint32)).generate_state(4, np.uint32)
        assert (a == b).all(), s
    return cases


def u32(bg):
    return int(bg.ctypes.next_uint32(bg.ctypes.state))


def u64(bg):
    return int(bg.ctypes.next_uint64(bg.ctypes.state))


INTEGER_RANGES = [(0, 2), (0, 3), (0, 7), (-5, 5), (10, 11), (0, 1000), (0, 2**31), (0, 2**32 - 1),
                  (0, 2**32), (0, 2**32 + 1), (-2**33, 2**33), (0, 2**40), (-2**62, 2**62), (0, 2**63 - 1)]


def generator_ops(rng):
    bg = rng.bit_generator
    ops = []
    def add(op, result, **args):
        ops.append({"op": op, **args, "result": result})
    add("next_u64", str(u64(bg)))
    add("next_u32", u32(bg))
    add("next_u64", str(u64(bg)))          # the cached half survives a 64-bit draw
    add("next_u32", u32(bg))
    add("next_u32", u32(bg))
    add("random", float(rng.random()))
    add("uniform", float(rng.uniform(-0.05, 0.05)), low=-0.05, high=0.05)
    add("uniform_n", [float(x) for x in rng.uniform(low=-0.05, high=0.05, size=(4,))], low=-0.05, high=0.05, count=4)
    add("uniform", float(rng.uniform(-np.pi, np.pi)), low=-np.pi, high=np.pi)
    add("next_u32", u32(bg))
    for low, high in INTEGER_RANGES:
        add("integers", int(rng.integers(low, high)), low=str(low), high=str(high), endpoint=False)
    add("integers", int(rng.integers(0, 2**32 - 1, endpoint=True)), low="0", high=str(2**32 - 1), endpoint=True)
    add("integers", int(rng.integers(-2**63, 2**63 - 1, endpoint=True)), low=str(-2**63), high=str(2**63 - 1), endpoint=True)
    add("integers", int(rng.integers(3, 3, endpoint=True)), low="3", high="3", endpoint=True)
    add("integers_n", [int(x) for x in rng.integers(0, 5, size=7)], low="0", high="5", count=7)
    add("integers_n", [int(x) for x in rng.integers(-3, 2**35, size=5)], low="-3", high=str(2**35), count=5)
    add("choice", int(rng.choice(7)), n=7)
    add("choice_list", int(rng.choice([-1, 1, 1])), elements=[-1, 1, 1])
    add("choice_n", [int(x) for x in rng.choice(10, size=6, replace=True)], n=10, count=6, replace=True)
    for n, k in [(1, 1), (5, 5), (10, 3), (36, 18), (100, 100), (20000, 300), (20000, 401), (12000, 12000), (10001, 1)]:
        got = [int(x) for x in rng.choice(n, size=k, replace=False)]
        if k > 60:   # keep the file small: a checksum of the rest
            add("choice_n_digest", {"head": got[:20], "sum": sum(got), "weighted": sum(i * v for i, v in enumerate(got)) % (2**61 - 1)}, n=n, count=k, replace=False)
        else:
            add("choice_n", got, n=n, count=k, replace=False)
    add("random", float(rng.random()))
    add("next_u64", str(u64(bg)))
    return ops


def pcg64_cases():
    cases = []
    for seed in SEEDS:
        rng = np.random.default_rng(seed)
        st = rng.bit_generator.state["state"]
        cases.append({"seed": str(seed), "state": str(st["state"]), "increment": str(st["inc"]),
                      "ops": generator_ops(rng)})
    return cases


def random_state_ops(rs):
    bg = rs._bit_generator
    ops = []
    def add(op, result, **args):
        ops.append({"op": op, **args, "result": result})
    add("next_u32_n", [u32(bg) for _ in range(8)], count=8)
    add("random_sample", float(rs.random_sample()))
    add("uniform", float(rs.uniform(-0.05, 0.05)), low=-0.05, high=0.05)
    add("uniform_n", [float(x) for x in rs.uniform(-1.0, 3.0, size=3)], low=-1.0, high=3.0, count=3)
    for low, high in INTEGER_RANGES:
        add("randint", int(rs.randint(low, high)), low=str(low), high=str(high))
    add("randint_n", [int(x) for x in rs.randint(0, 6, size=9)], low="0", high="6", count=9)
    for n in [1, 2, 3, 5, 10, 28, 100]:
        add("permutation", [int(x) for x in rs.permutation(n)], n=n)
    add("choice", int(rs.choice(9)), n=9)
    add("choice_list", int(rs.choice([-1, 1])), elements=[-1, 1])
    add("choice_n", [int(x) for x in rs.choice(11, size=5, replace=True)], n=11, count=5, replace=True)
    add("choice_n", [int(x) for x in rs.choice(15, size=7, replace=False)], n=15, count=7, replace=False)
    add("standard_normal_n", [float(rs.standard_normal()) for _ in range(5)], count=5)
    add("random_sample", float(rs.random_sample()))
    # Run the state past one regeneration (624 words) and check the stream continues.
    add("next_u32_skip", u32_after_skip(bg, 1000), skip=1000)
    return ops


def u32_after_skip(bg, skip):
    for _ in range(skip):
        u32(bg)
    return u32(bg)


def random_state_cases():
    return [{"seed": seed, "ops": random_state_ops(np.random.RandomState(seed))} for seed in LEGACY_SEEDS]


def write(name, payload):
    path = os.path.join(OUT, name)
    with open(path, "w") as f:
        json.dump({"numpy": np.__version__, **payload}, f, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {path} ({os.path.getsize(path)} bytes)")


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    write("seed-sequence.json", {"cases": seed_sequences()})
    write("pcg64-generator.json", {"cases": pcg64_cases()})
    write("mt19937-random-state.json", {"cases": random_state_cases()})
