#!/usr/bin/env python3
"""Writes Tests/TensorCoreTests/Fixtures/torch-ops.json: PyTorch forward values and input
gradients for TensorCore ops, the independent reference for TensorCoreTests/TorchParityTests.

Rerun (needs torch and numpy; CI does not):  python3 Scripts/tensorcore-fixtures.py
Each case: inputs (flat values + shapes), the op's output, and the gradients of sum(output * w)
for fixed weights w, all float32.
"""
import json
import pathlib

import numpy as np
import torch
import torch.nn.functional as F

rng = np.random.default_rng(20261129)


def tensor(*shape, low=-2.0, high=2.0):
    return torch.tensor(rng.uniform(low, high, size=shape).astype(np.float32), requires_grad=True)


def case(name, inputs, fn, **params):
    out = fn(*inputs)
    w = torch.tensor(rng.uniform(0.5, 1.5, size=tuple(out.shape)).astype(np.float32))
    grads = torch.autograd.grad((out * w).sum(), inputs)
    return {
        "name": name,
        "params": params,
        "inputs": [{"shape": list(t.shape), "values": t.detach().reshape(-1).tolist()} for t in inputs],
        "output": {"shape": list(out.shape), "values": out.detach().reshape(-1).tolist()},
        "weights": w.reshape(-1).tolist(),
        "gradients": [g.reshape(-1).tolist() for g in grads],
    }


cases = [
    case("conv2d", [tensor(2, 3, 9, 8), tensor(4, 3, 3, 3), tensor(4)],
         lambda x, w, b: F.conv2d(x, w, b, stride=2, padding=1), stride=2, padding=1),
    case("conv2d", [tensor(2, 4, 12, 12), tensor(5, 4, 4, 4), tensor(5)],
         lambda x, w, b: F.conv2d(x, w, b, stride=4, padding=0), stride=4, padding=0),
    case("maxPool2d", [tensor(2, 3, 7, 7)], lambda x: F.max_pool2d(x, 3, 2, 1), kernel=3, stride=2, padding=1),
    case("avgPool2d", [tensor(2, 3, 7, 7)], lambda x: F.avg_pool2d(x, 3, 2, 1), kernel=3, stride=2, padding=1),
    case("softplus", [tensor(3, 8, low=-30, high=30)], lambda x: F.softplus(x)),
    case("erf", [tensor(3, 8)], lambda x: torch.erf(x)),
    case("logSoftmax", [tensor(4, 6, low=-5, high=5)], lambda x: F.log_softmax(x, dim=-1)),
    case("logSumExp", [tensor(4, 6, low=-5, high=5)], lambda x: torch.logsumexp(x, dim=0)),
    case("sigmoid", [tensor(3, 8, low=-10, high=10)], lambda x: torch.sigmoid(x)),
    case("linear", [tensor(5, 7), tensor(3, 7), tensor(3)], lambda x, w, b: F.linear(x, w, b)),
]

path = pathlib.Path(__file__).resolve().parent.parent / "Tests/TensorCoreTests/Fixtures/torch-ops.json"
path.write_text(json.dumps({"torch": torch.__version__, "cases": cases}))
print(f"wrote {path} ({path.stat().st_size} bytes)")
