#!/usr/bin/env python3
"""Optimizer, gradient-clipping and learning-rate-schedule fixtures from PyTorch.

Rerun (from the package root; about a second):
    pip install torch
    python3 Scripts/make-optimizer-fixtures.py

Writes Tests/NeuralNetworksTests/Fixtures/optimizers/trajectories.json:
  shapes, initial          two parameters (shapes [3, 2] and [4]) and their initial values
  gradients[step][param]   a fixed gradient sequence (12 steps, magnitudes varying by step so
                           that AMSGrad's maximum and clipping both matter)
  cases[name]              optimizer ("SGD" | "Adam" | "AdamW") with its torch keyword args,
                           clip (max_norm for clip_grad_norm_ before each step, or null),
                           trajectory[step][param] (the parameters after each step),
                           norms[step] (clip_grad_norm_'s returned total norm, when clipping),
                           state[slot][param] (torch's optimizer state after the last step)
  schedules[name]          a torch lr_scheduler and the learning rate at steps 0...N
All tensors are flattened row-major float32 values (printed as the exact doubles).
"""
import json
import math
import os

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "Tests", "NeuralNetworksTests", "Fixtures", "optimizers")
STEPS = 12
SHAPES = [[3, 2], [4]]


def flat(t):
    return [float(v) for v in t.detach().reshape(-1).tolist()]


CASES = {
    "sgd": ("SGD", {"lr": 0.1}, None),
    "sgd_momentum": ("SGD", {"lr": 0.05, "momentum": 0.9}, None),
    "sgd_dampening": ("SGD", {"lr": 0.05, "momentum": 0.8, "dampening": 0.3}, None),
    "sgd_nesterov_weight_decay": ("SGD", {"lr": 0.05, "momentum": 0.9, "nesterov": True, "weight_decay": 0.01}, None),
    "sgd_weight_decay": ("SGD", {"lr": 0.1, "weight_decay": 0.1}, None),
    "adam": ("Adam", {"lr": 0.01}, None),
    "adam_betas_eps": ("Adam", {"lr": 0.02, "betas": [0.8, 0.99], "eps": 1e-3}, None),
    "adam_weight_decay": ("Adam", {"lr": 0.01, "weight_decay": 0.1}, None),
    "adam_amsgrad": ("Adam", {"lr": 0.01, "amsgrad": True}, None),
    "adamw": ("AdamW", {"lr": 0.01}, None),
    "adamw_amsgrad_weight_decay": ("AdamW", {"lr": 0.01, "weight_decay": 0.1, "amsgrad": True}, None),
    "adam_clipped": ("Adam", {"lr": 0.01}, 0.5),
    "sgd_momentum_clipped": ("SGD", {"lr": 0.05, "momentum": 0.9}, 1.0),
}

SCHEDULES = {
    "linear": ("LinearLR", {"start_factor": 1.0, "end_factor": 0.0, "total_iters": 10}, 0.1, 10),
    "linear_partial": ("LinearLR", {"start_factor": 0.5, "end_factor": 1.0, "total_iters": 8}, 0.01, 12),
    "cosine": ("CosineAnnealingLR", {"T_max": 10, "eta_min": 0.001}, 0.1, 10),
    "constant": ("ConstantLR", {"factor": 1.0, "total_iters": 0}, 0.003, 5),
}


def main():
    torch.manual_seed(7)
    torch.set_num_threads(1)
    initial = [torch.randn(*s) for s in SHAPES]
    scales = [1.0, 0.1, 2.0, 0.05, 1.0, 3.0, 0.01, 0.5, 1.0, 0.2, 4.0, 0.1]
    gradients = [[torch.randn(*s) * scales[k] for s in SHAPES] for k in range(STEPS)]
    cases = {}
    for name, (kind, args, clip) in CASES.items():
        params = [torch.nn.Parameter(p.clone()) for p in initial]
        optimizer = getattr(torch.optim, kind)(params, **args)
        trajectory, norms = [], []
        for grads in gradients:
            for p, g in zip(params, grads):
                p.grad = g.clone()
            if clip is not None:
                norms.append(float(torch.nn.utils.clip_grad_norm_(params, clip)))
            optimizer.step()
            trajectory.append([flat(p) for p in params])
        state = {}
        for p in params:
            for slot, value in optimizer.state[p].items():
                if slot != "step":
                    state.setdefault(slot, []).append(flat(value))
        cases[name] = {"optimizer": kind, "args": args, "clip": clip, "trajectory": trajectory, "state": state}
        if clip is not None:
            cases[name]["norms"] = norms
    schedules = {}
    for name, (kind, args, base, steps) in SCHEDULES.items():
        p = torch.nn.Parameter(torch.zeros(1))
        optimizer = torch.optim.SGD([p], lr=base)
        scheduler = getattr(torch.optim.lr_scheduler, kind)(optimizer, **args)
        rates = [optimizer.param_groups[0]["lr"]]
        for _ in range(steps):
            optimizer.step()
            scheduler.step()
            rates.append(optimizer.param_groups[0]["lr"])
        schedules[name] = {"scheduler": kind, "args": args, "base_lr": base, "rates": rates}
    fixture = {
        "torch": torch.__version__, "shapes": SHAPES, "initial": [flat(p) for p in initial],
        "gradients": [[flat(g) for g in step] for step in gradients], "cases": cases, "schedules": schedules,
    }
    os.makedirs(OUT, exist_ok=True)
    path = os.path.join(OUT, "trajectories.json")
    with open(path, "w") as f:
        json.dump(fixture, f, sort_keys=True)
        f.write("\n")
    print("wrote %s (%d bytes)" % (os.path.normpath(path), os.path.getsize(path)))


if __name__ == "__main__":
    main()
