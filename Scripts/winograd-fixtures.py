#!/usr/bin/env python3
"""Writes Tests/TensorCoreTests/Fixtures/torch-winograd.json: PyTorch conv2d outputs and
gradients for the shapes TensorCore's Winograd path handles (5x5 stride 2 as in ncps' Atari
model, 6x6 stride 2, 3x3 stride 1), the independent reference of TensorCoreTests/WinogradTests.

Rerun (needs torch and numpy; CI does not):  python3 Scripts/winograd-fixtures.py
Each case: x, w, b (flat values + shapes), stride, padding, the output, and the gradients of
sum(output * weights) for fixed weights, all float32 (the reference computed in float64).
"""
import json
import pathlib

import numpy as np
import torch
import torch.nn.functional as F

rng = np.random.default_rng(20261129_6)


def case(x_shape, out_channels, kernel, stride, padding):
    x = torch.tensor(rng.uniform(-1, 1, size=x_shape).astype(np.float32))
    fan_in = x_shape[1] * kernel * kernel
    w = torch.tensor(rng.uniform(-1, 1, size=(out_channels, x_shape[1], kernel, kernel)).astype(np.float32) / fan_in**0.5)
    b = torch.tensor(rng.uniform(-1, 1, size=(out_channels,)).astype(np.float32))
    inputs = [t.double().requires_grad_() for t in (x, w, b)]
    out = F.conv2d(*inputs, stride=stride, padding=padding)
    weights = torch.tensor(rng.uniform(0.5, 1.5, size=tuple(out.shape)).astype(np.float32))
    grads = torch.autograd.grad((out * weights.double()).sum(), inputs)
    flat = lambda t: [float("%.9g" % v) for v in t.detach().float().reshape(-1).tolist()]
    return {
        "stride": stride,
        "padding": padding,
        "inputs": [{"shape": list(t.shape), "values": flat(t)} for t in (x, w, b)],
        "output": {"shape": list(out.shape), "values": flat(out)},
        "weights": flat(weights),
        "gradients": [flat(g) for g in grads],
    }


cases = [
    case((2, 4, 13, 11), 6, 5, 2, 2),   # the Atari model's first layer (4 channels), odd sizes
    case((2, 16, 10, 9), 8, 5, 2, 2),   # a later layer
    case((3, 8, 9, 10), 5, 5, 2, 1),
    case((2, 6, 11, 9), 4, 6, 2, 2),
    case((2, 16, 6, 7), 5, 3, 1, 1),
]

path = pathlib.Path(__file__).resolve().parent.parent / "Tests/TensorCoreTests/Fixtures/torch-winograd.json"
path.write_text(json.dumps({"torch": torch.__version__, "cases": cases}))
print(f"wrote {path} ({path.stat().st_size} bytes)")
