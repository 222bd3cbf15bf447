#!/usr/bin/env python3
"""One behavior-cloning training step of ncps' Atari model in PyTorch + ncps, timed.

The model is ncps' `examples/atari_torch.py` ConvCfC: conv 4->64->128->128->256 (5x5, stride 2,
padding 2; BatchNorm after the 2nd and 4th conv; ReLU), mean over H and W, then
`ncps.torch.CfC(256, 64, batch_first=True, proj_size=n_actions)`; CrossEntropyLoss, Adam(1e-4).
One step = forward over (batch, length, 4, 84, 84) float frames, loss on every step, backward,
Adam step — the same step bench-cloning times on our side.

Rerun: Scripts/bench-cloning-atari.sh (runs this and ours, medians and ratios), or
  python3 Scripts/bench-cloning-atari.py --threads 1 --repeats 3
Prints `median_seconds=... cpu_seconds=...` last.
"""
import argparse
import resource
import time

import torch
import torch.nn as nn
from ncps.torch import CfC


class ConvBlock(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(4, 64, 5, padding=2, stride=2)
        self.conv2 = nn.Conv2d(64, 128, 5, padding=2, stride=2)
        self.bn2 = nn.BatchNorm2d(128)
        self.conv3 = nn.Conv2d(128, 128, 5, padding=2, stride=2)
        self.conv4 = nn.Conv2d(128, 256, 5, padding=2, stride=2)
        self.bn4 = nn.BatchNorm2d(256)

    def forward(self, x):
        x = torch.relu(self.conv1(x))
        x = torch.relu(self.bn2(self.conv2(x)))
        x = torch.relu(self.conv3(x))
        x = torch.relu(self.bn4(self.conv4(x)))
        return x.mean((-1, -2))


class ConvCfC(nn.Module):
    def __init__(self, n_actions):
        super().__init__()
        self.conv_block = ConvBlock()
        self.rnn = CfC(256, 64, batch_first=True, proj_size=n_actions)

    def forward(self, x, hx=None):
        batch_size, seq_len = x.shape[:2]
        x = x.view(batch_size * seq_len, *x.shape[2:])
        x = self.conv_block(x)
        x = x.view(batch_size, seq_len, *x.shape[1:])
        x, hx = self.rnn(x, hx)
        return x, hx


def cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=0, help="torch threads; 0 keeps torch's default")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--length", type=int, default=32)
    args = parser.parse_args()
    if args.threads > 0:
        torch.set_num_threads(args.threads)
    torch.manual_seed(1)
    model = ConvCfC(4)
    model.train()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)
    criterion = nn.CrossEntropyLoss()
    x = torch.rand(args.batch, args.length, 4, 84, 84)
    y = torch.randint(0, 4, (args.batch, args.length))

    def step():
        optimizer.zero_grad()
        logits, _ = model(x)
        loss = criterion(logits.reshape(-1, 4), y.reshape(-1))
        loss.backward()
        optimizer.step()
        return loss.item()

    parameters = sum(p.numel() for p in model.parameters() if p.requires_grad)
    print(f"torch {torch.__version__} + ncps: batch {args.batch} x {args.length} frames, "
          f"{torch.get_num_threads()} thread(s), {parameters} parameters")
    step()  # warm-up
    wall, cpu = [], []
    for r in range(args.repeats):
        start, cpu_start = time.perf_counter(), cpu_seconds()
        loss = step()
        wall.append(time.perf_counter() - start)
        cpu.append(cpu_seconds() - cpu_start)
        print(f"step {r + 1}: {wall[-1]:.3f} s wall, {cpu[-1]:.3f} s cpu, loss {loss:.4f}")
    median = lambda v: sorted(v)[len(v) // 2] if len(v) % 2 else sum(sorted(v)[len(v) // 2 - 1:len(v) // 2 + 1]) / 2
    print(f"median_seconds={median(wall):.4f} cpu_seconds={median(cpu):.4f} "
          f"frames_per_second={args.batch * args.length / median(wall):.1f}")


if __name__ == "__main__":
    main()
