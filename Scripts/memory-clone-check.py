#!/usr/bin/env python3
"""Cross-check for Experiments/minigrid-memory-cloning: clone a recorded MiniGrid-MemoryS7
dataset with PyTorch (a GRU, or ncps' CfC) to see whether a failure to clone is ours or the
task's.

Rerun (after recording the dataset with bc-train, see the experiment's README):
    python3 Scripts/memory-clone-check.py demos/memory-300 --cell gru --steps 1000
    python3 Scripts/memory-clone-check.py demos/memory-300 --cell cfc --steps 800

Model: one-hot planes of the 7x7x4 view (object 11, colour 6, state 3, direction 4) flattened,
Linear(1176 -> 64) + ReLU, the recurrent cell (32 units; CfC with a 64-unit backbone), Linear
to 7 logits. Whole episodes (at most 7 steps) from a zero state, full batch (every episode in
each step), Adam. Prints the loss and the action accuracy over all steps every 100 steps.
Needs torch, numpy, safetensors and (for CfC) ncps; 1 thread.
"""
import argparse
import json
import os
import time

import numpy as np
import torch
import torch.nn as nn
from safetensors.numpy import load_file


def load(folder):
    with open(os.path.join(folder, "index.json")) as f:
        index = json.load(f)
    episodes = []
    shards = sorted(p for p in os.listdir(folder) if p.endswith(".safetensors"))
    for shard in shards:
        d = load_file(os.path.join(folder, shard))
        o = a = 0
        for n in d["episode_steps"]:
            episodes.append((d["observations"][o:o + n + 1], d["actions"][a:a + n]))
            o += n + 1
            a += n
    return index, episodes


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("demos")
    parser.add_argument("--cell", choices=["gru", "cfc", "cfc-no-gate", "cfc-mixed"], default="gru")
    parser.add_argument("--steps", type=int, default=1000)
    parser.add_argument("--lr", type=float, default=3e-3)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(args.seed)
    index, episodes = load(args.demos)
    shape = index["observation_shape"]
    assert shape == [7, 7, 4], f"expects 7x7x4 grid views, got {shape}"
    T = max(len(a) for _, a in episodes)
    N = len(episodes)
    X = np.zeros((N, T, 7, 7, 4), np.int64)
    Y = np.zeros((N, T), np.int64)
    M = np.zeros((N, T), np.float32)
    for i, (obs, act) in enumerate(episodes):
        n = len(act)
        X[i, :n], Y[i, :n], M[i, :n] = obs[:n], act, 1
    X, Y, M = torch.tensor(X), torch.tensor(Y), torch.tensor(M)
    counts = [11, 6, 3, 4]
    planes = torch.cat([nn.functional.one_hot(X[..., c], counts[c]) for c in range(4)], -1).float()
    planes = planes.reshape(N, T, -1)
    encoder = nn.Sequential(nn.Linear(planes.shape[-1], 64), nn.ReLU())
    if args.cell == "gru":
        cell = nn.GRU(64, 32, batch_first=True)
    else:
        from ncps.torch import CfC
        cell = CfC(64, 32, backbone_units=64, backbone_layers=1,
                   mode="no_gate" if args.cell == "cfc-no-gate" else "default",
                   mixed_memory=args.cell == "cfc-mixed")
    head = nn.Linear(32, 7)
    params = list(encoder.parameters()) + list(cell.parameters()) + list(head.parameters())
    optimizer = torch.optim.Adam(params, args.lr)
    start = time.process_time()
    for step in range(1, args.steps + 1):
        out, _ = cell(encoder(planes))
        logits = head(out)
        losses = nn.functional.cross_entropy(logits.reshape(-1, 7), Y.reshape(-1), reduction="none")
        loss = (losses * M.reshape(-1)).sum() / M.sum()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        if step % 100 == 0:
            accuracy = ((logits.argmax(-1) == Y).float() * M).sum() / M.sum()
            print(f"step {step}: loss {loss.item():.4f}, accuracy {accuracy.item():.3f}", flush=True)
    print(f"{args.cell}: {args.steps} full-batch steps, {time.process_time() - start:.1f} s CPU")


if __name__ == "__main__":
    main()
