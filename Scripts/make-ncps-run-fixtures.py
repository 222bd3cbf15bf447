#!/usr/bin/env python3
"""End-to-end fixtures for `ncps run` (Tests/NCPSToolTests/RunCommandTests.swift), made with ncps 1.0.1.

Rerun (from the package root; a few seconds):
    pip install ncps torch safetensors numpy
    python3 Scripts/make-ncps-run-fixtures.py

For each case, Tests/NCPSToolTests/Fixtures/run/<case>/ gets exactly the files a user hands to the
tool and what ncps computes from them:
  model.json          ncps constructor arguments (the `ncps run --config` format; absent keys = defaults)
  model.safetensors   safetensors.torch.save_file(model.state_dict())
  x.npy               input (B, L, C) float32, batch-first
  t.npy, h0.npy, c0.npy   optional timespans (B, L) and initial states (B, N)
  y.npy, hn.npy, cn.npy   ncps' output sequence and final states (cn: mixed memory only)
Cases: a wired CfC with mixed memory, a projection, timespans and initial states (batch 1: ncps
computes timespans only for batch 1, quirk Q1), and a fully connected LTC at batch 2 with h0.
"""
import json
import os

import numpy as np
import torch
from ncps.torch import CfC, LTC
from ncps.wirings import AutoNCP
from safetensors.torch import save_file

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "NCPSToolTests", "Fixtures", "run")


def save(directory, name, array):
    np.save(os.path.join(directory, name), np.ascontiguousarray(array.detach().numpy().astype(np.float32)))


def write_case(name, config, model, x, ts=None, h0=None, c0=None):
    directory = os.path.join(ROOT, name)
    os.makedirs(directory, exist_ok=True)
    with open(os.path.join(directory, "model.json"), "w") as f:
        json.dump(config, f, indent=2)
        f.write("\n")
    save_file({k: v.contiguous() for k, v in model.state_dict().items()}, os.path.join(directory, "model.safetensors"))
    model.eval()
    with torch.no_grad():
        hx = None if h0 is None else ((h0, c0) if c0 is not None else h0)
        y, state = model(x, hx=hx, timespans=ts)
    save(directory, "x.npy", x)
    if ts is not None:
        save(directory, "t.npy", ts)
    if h0 is not None:
        save(directory, "h0.npy", h0)
    if c0 is not None:
        save(directory, "c0.npy", c0)
    save(directory, "y.npy", y)
    if isinstance(state, tuple):
        save(directory, "hn.npy", state[0])
        save(directory, "cn.npy", state[1])
    else:
        save(directory, "hn.npy", state)


def main():
    torch.manual_seed(3)
    config = {"model": "CfC", "input_size": 5, "units": {"type": "AutoNCP", "units": 10, "output_size": 3, "seed": 7},
              "mixed_memory": True, "proj_size": 2}
    model = CfC(5, AutoNCP(10, 3, seed=7), mixed_memory=True, proj_size=2)
    x = torch.randn(1, 6, 5)
    ts = torch.rand(1, 6) + 0.5
    write_case("cfc_wired_mixed", config, model, x, ts=ts, h0=torch.randn(1, 10) * 0.5, c0=torch.randn(1, 10) * 0.5)

    torch.manual_seed(4)
    config = {"model": "LTC", "input_size": 4, "units": 6, "ode_unfolds": 3}
    model = LTC(4, 6, ode_unfolds=3)
    write_case("ltc_dense", config, model, torch.randn(2, 5, 4), h0=torch.randn(2, 6) * 0.5)


if __name__ == "__main__":
    main()
