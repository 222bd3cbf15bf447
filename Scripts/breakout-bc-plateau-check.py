# Breakout cloning diagnostic (Experiments/breakout-cfc-cloning): can a per-frame CNN in PyTorch
# fit the expert's labels of ONE recorded episode, and how many Adam updates does it take to
# leave the class prior? A plain Nature CNN stays at the prior (train accuracy ~0.38) for the
# first hundreds of updates; the same net with BatchNorm after conv 2 and 3 leaves it after ~250.
#
# Rerun (torch CPU, 1 thread; needs a dataset recorded by bc-train, frame_stack 4 on disk):
#   swift run -c release bc-train --env Arcade/Breakout-v0 --record 12 --seed 0 --demos demos/breakout-12 --summary
#   python3 Scripts/breakout-bc-plateau-check.py demos/breakout-12 [--batch-norm] [--updates 400]
#   python3 Scripts/breakout-bc-plateau-check.py demos/breakout-12 --net ncps [--updates 400]
# --net ncps: ncps' Atari ConvBlock (4 convs 5x5 stride 2, BatchNorm after conv 2 and 4, global
# average pooling) + a linear head, per frame, instead of the Nature CNN.
import argparse, time

import numpy as np
import torch
import torch.nn as nn
from safetensors.numpy import load_file

parser = argparse.ArgumentParser()
parser.add_argument("demos")
parser.add_argument("--batch-norm", action="store_true")
parser.add_argument("--updates", type=int, default=400)
parser.add_argument("--episode", type=int, default=1)
parser.add_argument("--net", choices=["nature", "ncps"], default="nature")
parser.add_argument("--lr", type=float, default=5e-4)
args = parser.parse_args()
torch.set_num_threads(1)
torch.manual_seed(0)

shard = load_file(f"{args.demos}/shard-00000.safetensors")
frames, actions, steps = shard["observations"], shard["actions"], shard["episode_steps"]
k = 4  # frame_stack: each episode holds T + 4 single frames; observation t is frames t..<t+4
frame_start = sum(int(s) + k for s in steps[: args.episode])
step_start = sum(int(s) for s in steps[: args.episode])
length = int(steps[args.episode])
episode = frames[frame_start : frame_start + length + k].astype(np.float32) / 255
X = torch.tensor(np.stack([episode[t : t + k] for t in range(length)]))
Y = torch.tensor(actions[step_start : step_start + length].astype(np.int64))

norm = (lambda c: nn.BatchNorm2d(c)) if args.batch_norm else (lambda c: nn.Identity())

class GlobalMean(nn.Module):
    def forward(self, x):
        return x.mean((-1, -2))


if args.net == "ncps":
    net = nn.Sequential(
        nn.Conv2d(4, 64, 5, padding=2, stride=2), nn.ReLU(), nn.Conv2d(64, 128, 5, padding=2, stride=2), nn.BatchNorm2d(128),
        nn.ReLU(), nn.Conv2d(128, 128, 5, padding=2, stride=2), nn.ReLU(), nn.Conv2d(128, 256, 5, padding=2, stride=2),
        nn.BatchNorm2d(256), nn.ReLU(), GlobalMean(), nn.Linear(256, 4))
else:
    net = nn.Sequential(
        nn.Conv2d(4, 32, 8, 4), nn.ReLU(), nn.Conv2d(32, 64, 4, 2), norm(64), nn.ReLU(),
        nn.Conv2d(64, 64, 3, 1), norm(64), nn.ReLU(), nn.Flatten(), nn.Linear(3136, 512), nn.ReLU(), nn.Linear(512, 4))
optimizer = torch.optim.Adam(net.parameters(), lr=args.lr)
start = time.process_time()
print(f"episode {args.episode}: {length} steps, net {args.net}, batch norm {args.batch_norm or args.net == 'ncps'}, label shares {np.bincount(Y.numpy(), minlength=4) / length}")
for update in range(1, args.updates + 1):
    batch = torch.randint(0, length, (32,))
    loss = nn.functional.cross_entropy(net(X[batch]), Y[batch])
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    if update % 50 == 0:
        net.eval()
        with torch.no_grad():
            accuracy = (net(X).argmax(1) == Y).float().mean().item()
        net.train()
        print(f"update {update}: batch loss {loss.item():.3f}, train accuracy {accuracy:.3f}, {time.process_time() - start:.0f} CPU s", flush=True)
