# Fixture for Tests/TrainingTests/NCPSAtariConvParityTests.swift: ncps' Atari conv block (4 convs
# 5x5 stride 2, BatchNorm after conv 2 and 4 in training mode, global mean) in PyTorch, on 3
# frames of 4x84x84 pixels, with weights and inputs given by formulas (PyTorch's init bounds) the Swift test recomputes
# (so no weight file is needed): the features and the gradients of sum(features * r).
# Rerun: python3 Scripts/ncps-atari-conv-parity.py Tests/TrainingTests/Fixtures/ncps-atari-conv-parity.json
import json, sys

import numpy as np
import torch
import torch.nn as nn


def formula(shape, phase, scale):
    """scale * (2 u - 1), u = frac(43758.5453 * sin(12.9898 * i + phase)) over the flat index i
    (uniform-looking in [-scale, scale]), in float32."""
    i = np.arange(int(np.prod(shape)), dtype=np.float64)
    u = 43758.5453 * np.sin(12.9898 * i + phase)
    u = u - np.floor(u)
    return torch.tensor((scale * (2 * u - 1)).astype(np.float32).reshape(shape))


class GlobalMean(nn.Module):
    def forward(self, x):
        return x.mean((-1, -2))


torch.set_num_threads(1)
net = nn.Sequential(
    nn.Conv2d(4, 64, 5, padding=2, stride=2), nn.ReLU(), nn.Conv2d(64, 128, 5, padding=2, stride=2), nn.BatchNorm2d(128),
    nn.ReLU(), nn.Conv2d(128, 128, 5, padding=2, stride=2), nn.ReLU(), nn.Conv2d(128, 256, 5, padding=2, stride=2),
    nn.BatchNorm2d(256), nn.ReLU(), GlobalMean())
names = {0: "conv1", 2: "conv2", 3: "bn2", 5: "conv3", 7: "conv4", 8: "bn4"}
order = ["conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias", "bn2.weight", "bn2.bias", "conv3.weight", "conv3.bias",
         "conv4.weight", "conv4.bias", "bn4.weight", "bn4.bias"]
with torch.no_grad():
    for index, name in names.items():
        module = net[index]
        for p in ["weight", "bias"]:
            full = f"{name}.{p}"
            k = order.index(full)
            t = getattr(module, p)
            if name.startswith("conv"):
                bound = 1 / (t.shape[1] * 25) ** 0.5 if p == "weight" else 1 / (module.weight.shape[1] * 25) ** 0.5
                t.copy_(formula(t.shape, 0.1 * k, bound))
            else:
                t.copy_(formula(t.shape, 0.1 * k, 0.1) + (1 if p == "weight" else 0))
i = np.arange(3 * 4 * 84 * 84)
x = torch.tensor(((i * 37 + (i // 84) * 11) % 256).astype(np.float32).reshape(3, 4, 84, 84))
net.train()
features = net(x / 255)
r = formula([3, 256], 0.5, 1)
(features * r).sum().backward()
probe = list(range(0, 16)) + [97, 1001, 4099, 12345]
out = {"features": features.detach().numpy().reshape(-1).tolist(), "gradients": {}}
for index, name in names.items():
    for p in ["weight", "bias"]:
        g = getattr(net[index], p).grad.reshape(-1)
        out["gradients"][f"{name}.{p}"] = {
            "norm": g.norm().item(), "indices": [j for j in probe if j < g.numel()],
            "values": [g[j].item() for j in probe if j < g.numel()]}
json.dump(out, open(sys.argv[1], "w"))
print({k: round(v["norm"], 6) for k, v in out["gradients"].items()})
