#!/usr/bin/env python3
"""Cross-check for Experiments/minigrid-memory-cloning: clone a recorded MiniGrid-MemoryS7
dataset with PyTorch (a GRU, or ncps' CfC) to see whether a failure to clone is ours or the
task's.

Rerun (after recording the dataset with bc-train, see the experiment's README):
    python3 Scripts/memory-clone-check.py demos/memory-300 --cell gru --steps 1000
    python3 Scripts/memory-clone-check.py demos/memory-300 --cell cfc --steps 800
    python3 Scripts/memory-clone-check.py demos/memory-300 --cell cfc-mixed --steps 2000 --lr 1e-3

Model: one-hot planes of the 7x7x4 view (object 11, colour 6, state 3, direction 4) flattened,
Linear(1176 -> 64) + ReLU, the recurrent cell (--units 32; CfC with a --backbone-units 64
backbone; ncps' CfC/LTC optionally with mixed_memory=True), Linear to 7 logits. Whole episodes (at most 7 steps) from a zero state, full batch (every episode in
each step), Adam (optional global-norm clipping). Prints the loss, the action accuracy over all
steps and the fraction of episodes with every action right every --every steps.
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
    parser.add_argument("--cell", choices=["gru", "lstm", "cfc", "cfc-no-gate", "cfc-mixed", "ltc", "ltc-mixed"],
                        default="gru")
    parser.add_argument("--units", type=int, default=32)
    parser.add_argument("--backbone-units", type=int, default=64)
    parser.add_argument("--clip", type=float, default=0, help="global gradient-norm clip (0: none)")
    parser.add_argument("--every", type=int, default=100, help="print every this many steps")
    parser.add_argument("--encoder", choices=["linear", "conv"], default="linear",
                        help="conv: bc-train's grid encoder (rl-starter-files' 16-32-64 conv, 2x2 kernels, "
                             "max-pool, Linear 64 + ReLU, orthogonal gain sqrt 2, zero biases)")
    parser.add_argument("--head-gain", type=float, default=0,
                        help="orthogonal head init with this gain and zero bias, as bc-train's actor (0.01); "
                             "0: torch's default Linear init")
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
    if args.encoder == "linear":
        planes = planes.reshape(N, T, -1)
        encoder = nn.Sequential(nn.Linear(planes.shape[-1], 64), nn.ReLU())
    else:
        # [N, T, x, y, planes] -> [N*T, planes, x, y] as GridEncoder's planes; back to [N, T, 64].
        planes = planes.permute(0, 1, 4, 2, 3).reshape(N * T, -1, 7, 7)
        convs = [nn.Conv2d(planes.shape[1], 16, 2), nn.Conv2d(16, 32, 2), nn.Conv2d(32, 64, 2)]
        linear = nn.Linear(64, 64)
        for layer in convs + [linear]:
            nn.init.orthogonal_(layer.weight, 2 ** 0.5)
            nn.init.zeros_(layer.bias)
        trunk = nn.Sequential(convs[0], nn.ReLU(), nn.MaxPool2d(2), convs[1], nn.ReLU(), convs[2], nn.ReLU(),
                              nn.Flatten(), linear, nn.ReLU())

        class Encoder(nn.Module):
            def __init__(self):
                super().__init__()
                self.trunk = trunk

            def forward(self, x):
                return self.trunk(x).reshape(N, T, 64)

        encoder = Encoder()
    if args.cell == "gru":
        cell = nn.GRU(64, args.units, batch_first=True)
    elif args.cell == "lstm":
        cell = nn.LSTM(64, args.units, batch_first=True)
    elif args.cell.startswith("ltc"):
        from ncps.torch import LTC
        cell = LTC(64, args.units, mixed_memory=args.cell == "ltc-mixed")
    else:
        from ncps.torch import CfC
        cell = CfC(64, args.units, backbone_units=args.backbone_units, backbone_layers=1,
                   mode="no_gate" if args.cell == "cfc-no-gate" else "default",
                   mixed_memory=args.cell == "cfc-mixed")
    head = nn.Linear(args.units, 7)
    if args.head_gain > 0:
        nn.init.orthogonal_(head.weight, args.head_gain)
        nn.init.zeros_(head.bias)
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
        if args.clip > 0:
            nn.utils.clip_grad_norm_(params, args.clip)
        optimizer.step()
        if step % args.every == 0:
            right = (logits.argmax(-1) == Y).float() * M
            accuracy = right.sum() / M.sum()
            # every action of the episode right (teacher-forced views: a proxy for closed loop)
            episodes = ((right + (1 - M)) == 1).all(dim=1).float().mean()
            print(f"step {step}: loss {loss.item():.4f}, accuracy {accuracy.item():.3f}, "
                  f"whole episodes right {episodes.item():.3f}", flush=True)
    print(f"{args.cell}: {args.steps} full-batch steps, {time.process_time() - start:.1f} s CPU")


if __name__ == "__main__":
    main()
