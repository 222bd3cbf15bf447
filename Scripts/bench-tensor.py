#!/usr/bin/env python3
"""PyTorch side of Scripts/bench-tensor.sh: the same cases as Benchmarks/bench-tensor/main.swift.
Prints one JSON line per case: {"case", "cpu_us", "wall_us"} (medians per iteration). One thread (torch.set_num_threads(1)).

    OPENBLAS_NUM_THREADS=1 python3 Scripts/bench-tensor.py --repeats 7
"""
import argparse
import json
import time

import torch
import torch.nn.functional as F

parser = argparse.ArgumentParser()
parser.add_argument("--repeats", type=int, default=7)
parser.add_argument("--threads", type=int, default=1)
args = parser.parse_args()
torch.set_num_threads(args.threads)
torch.manual_seed(1)


def measure(name, iterations, body):
    for _ in range(max(1, iterations // 10)):
        body()
    cpu, wall = [], []
    for _ in range(args.repeats):
        start_wall, start_cpu = time.perf_counter_ns(), time.process_time_ns()
        for _ in range(iterations):
            body()
        cpu.append((time.process_time_ns() - start_cpu) / 1000 / iterations)
        wall.append((time.perf_counter_ns() - start_wall) / 1000 / iterations)
    cpu.sort()
    wall.sort()
    print(json.dumps({"case": name, "cpu_us": cpu[len(cpu) // 2], "wall_us": wall[len(wall) // 2]}), flush=True)


def random(*shape):
    return torch.rand(*shape) * 2 - 1


# Per-op overhead on 1x64 tensors (inference: no tensor requires grad)
a, b = random(1, 64), random(1, 64)
measure("add 1x64", 50_000, lambda: a + b)
measure("tanh 1x64", 50_000, lambda: torch.tanh(a))
measure("concat 2x(1x64)", 50_000, lambda: torch.cat([a, b], dim=1))
x80, w80, b128 = random(1, 80), random(128, 80), random(128)
measure("linear 80->128 (1 row)", 50_000, lambda: F.linear(x80, w80, b128))

# Linear(256->256) forward + backward at batch 256
x256 = random(256, 256)
w256 = (random(256, 256) * 0.06).requires_grad_()
bias256 = random(256).requires_grad_()


def linear_step():
    loss = F.linear(x256, w256, bias256).sum()
    return torch.autograd.grad(loss, [w256, bias256])


measure("linear 256->256 fwd+bwd b256", 50, linear_step)

# Nature-CNN conv stack forward + backward, batch 32, 4x84x84
frames = torch.rand(32, 4, 84, 84)
params = [
    (random(32, 4, 8, 8) * 0.06), (random(32) * 0.06),
    (random(64, 32, 4, 4) * 0.04), (random(64) * 0.04),
    (random(64, 64, 3, 3) * 0.04), (random(64) * 0.04),
]
params = [p.requires_grad_() for p in params]


def cnn_forward(p):
    h = F.relu(F.conv2d(frames, p[0], p[1], stride=4))
    h = F.relu(F.conv2d(h, p[2], p[3], stride=2))
    return F.relu(F.conv2d(h, p[4], p[5], stride=1))


def cnn_step():
    return torch.autograd.grad(cnn_forward(params).sum(), params)


def cnn_inference():
    with torch.no_grad():
        return cnn_forward(params)


measure("nature-cnn fwd+bwd b32", 3, cnn_step)
measure("nature-cnn fwd b32", 3, cnn_inference)
