#!/usr/bin/env python3
"""ncps (PyTorch) side of Scripts/bench-ncps.sh: the same cases as Benchmarks/NCPSBenchmark,
one thread, one JSON object per line ({"case", "median_ms", ...}).

Rerun alone: python3 Scripts/bench-ncps.py [--repeats N] [--memory]
(needs: pip install ncps torch). --only SUBSTRING runs the matching cases. Each case reports the
median wall time and the median CPU time (process user + sys, "cpu_ms"). --memory trains LTC(32, AutoNCP(128,16)) at B256xL32 once and
reports max RSS (ncps materialises (B, N, N) tensors per unfold: expect many GiB).
"""
import json
import resource
import sys
import time

import torch
from ncps.torch import CfC, LTC
from ncps.wirings import AutoNCP

torch.set_num_threads(1)
repeats = int(sys.argv[sys.argv.index("--repeats") + 1]) if "--repeats" in sys.argv else 7
only = sys.argv[sys.argv.index("--only") + 1] if "--only" in sys.argv else None


def selected(name):
    return only is None or only in name


def report(name, ms, **extra):
    print(json.dumps({"case": name, "median_ms": ms, **extra}), flush=True)


def median(xs):
    return sorted(xs)[len(xs) // 2]


def models():
    return [
        ("CfC(16->64)", CfC(16, 64), 64),
        ("CfC(16,AutoNCP(64,8))", CfC(16, AutoNCP(64, 8)), 8),
        ("LTC(16,AutoNCP(32,8))", LTC(16, AutoNCP(32, 8)), 8),
    ]


def train_step(model, opt, x, y):
    opt.zero_grad()
    out, _ = model(x)
    loss = torch.nn.functional.mse_loss(out, y)
    loss.backward()
    opt.step()


def time_training(name, model, batch, length, outputs, input_size):
    torch.manual_seed(1)
    x = torch.randn(batch, length, input_size)
    y = torch.randn(batch, length, outputs)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    if not selected(name):
        return
    train_step(model, opt, x, y)
    times, cpu = [], []
    for _ in range(repeats):
        start, cpu_start = time.perf_counter(), time.process_time()
        train_step(model, opt, x, y)
        times.append((time.perf_counter() - start) * 1e3)
        cpu.append((time.process_time() - cpu_start) * 1e3)
    report(name, median(times), cpu_ms=median(cpu))


if "--memory" in sys.argv:
    model = LTC(32, AutoNCP(128, 16))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    x, y = torch.randn(256, 32, 32), torch.randn(256, 32, 16)
    start = time.perf_counter()
    train_step(model, opt, x, y)
    ms = (time.perf_counter() - start) * 1e3
    report("train LTC(32,AutoNCP(128,16)) B256xL32", ms, max_rss_mib=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    sys.exit(0)

with torch.no_grad():
    for name, model, _ in models():
        if not selected(f"act {name} B1"):
            continue
        model.eval()
        x = torch.randn(1, 1, 16)
        hx = None
        steps = 200
        for _ in range(20):
            _, hx = model(x, hx)
        times, cpu = [], []
        for _ in range(repeats):
            start, cpu_start = time.perf_counter(), time.process_time()
            for _ in range(steps):
                _, hx = model(x, hx)
            times.append((time.perf_counter() - start) * 1e3 / steps)
            cpu.append((time.process_time() - cpu_start) * 1e3 / steps)
        report(f"act {name} B1", median(times), cpu_ms=median(cpu))
for name, model, outputs in models():
    model.train()
    time_training(f"train {name} B32xL64", model, 32, 64, outputs, 16)
time_training("train CfC(256->128) B256xL32", CfC(256, 128), 256, 32, 128, 256)
