# Breakout cloning diagnostic (Experiments/breakout-cfc-cloning): how well can the expert's labels
# be predicted from what the 4 stacked 84x84 frames show, when the pixels are first reduced to the
# objects' positions by hand? This bounds from below what a clone can reach (the hand-made
# features lose a little; a CNN could read more), so it tells whether >= 92% is reachable.
#
# Features per frame of the stack (max-pooled over the last two emulator frames of a step):
# the paddle's left/right edge and coverage read at subpixel precision from its row (area
# resampling keeps partial coverage as intensity), and the ball's mass, centroid and bounding box
# after subtracting the stack's per-pixel minimum (the static bricks and walls). A small MLP
# (torch, 1 thread) is fitted on the training episodes and scored on held-out whole episodes.
#
# Rerun (needs a dataset recorded by bc-train, frame_stack 4 on disk):
#   swift run -c release bc-train --env Arcade/Breakout-v0 --record 12 --seed 0 --demos demos/breakout-12 --summary
#   python3 Scripts/breakout-label-ceiling.py demos/breakout-12 [--validation 2] [--epochs 60]
#   ... --shift -1 / --shift 1: pair observation t with label t - 1 / t + 1 instead (alignment check)
import argparse, time

import numpy as np
import torch
import torch.nn as nn
from safetensors.numpy import load_file

parser = argparse.ArgumentParser()
parser.add_argument("demos")
parser.add_argument("--validation", type=int, default=2, help="last N episodes held out")
parser.add_argument("--epochs", type=int, default=60)
parser.add_argument("--hidden", type=int, default=256)
parser.add_argument("--shift", type=int, default=0, help="alignment check: pair observation t with label t + shift")
args = parser.parse_args()
torch.set_num_threads(1)
torch.manual_seed(0)
start = time.process_time()

shard = load_file(f"{args.demos}/shard-00000.safetensors")
frames, actions, steps = shard["observations"], shard["actions"], shard["episode_steps"]
k = 4
PADDLE_ROW, PADDLE_GRAY = 76, 110.0


def frame_features(frame, background):
    """Shape: [84, 84] float -> 10 features (84-pixel units)."""
    profile = frame[PADDLE_ROW, 5:79] / PADDLE_GRAY
    on = np.nonzero(profile > 0.01)[0]
    if len(on):
        left = on[0] + 1 - profile[on[0]] + 5
        right = on[-1] + profile[on[-1]] + 5
    else:
        left = right = 0.0
    ball = np.clip(frame[8:75, 5:79] - background[8:75, 5:79], 0, None)
    mass = ball.sum()
    if mass > 20:
        ys, xs = np.nonzero(ball > 10)
        w = ball / mass
        cy = (w.sum(1) * np.arange(ball.shape[0])).sum() + 8
        cx = (w.sum(0) * np.arange(ball.shape[1])).sum() + 5
        box = [xs.min() + 5, xs.max() + 5, ys.min() + 8, ys.max() + 8] if len(xs) else [cx, cx, cy, cy]
        present = 1.0
    else:
        cx = cy = 0.0
        box = [0, 0, 0, 0]
        present = 0.0
    return [left, right, profile.sum(), present, mass / 1000, cx, cy, *box]


features, labels, episode_of = [], [], []
frame_start = 0
for episode, length in enumerate(steps):
    length = int(length)
    episode_frames = frames[frame_start : frame_start + length + k].astype(np.float32)
    frame_start += length + k
    step_start = int(steps[:episode].sum())
    for t in range(max(0, -args.shift), min(length, length - args.shift)):
        stack = episode_frames[t : t + k]
        background = stack.min(0)
        features.append(np.concatenate([frame_features(f, background) for f in stack]))
        labels.append(actions[step_start + t + args.shift])
        episode_of.append(episode)
X = np.asarray(features, dtype=np.float32)
Y = np.asarray(labels, dtype=np.int64)
E = np.asarray(episode_of)
print(f"{len(Y)} steps, features {X.shape[1]}, extraction {time.process_time() - start:.0f} CPU s", flush=True)

held_out = E >= len(steps) - args.validation
mean, std = X[~held_out].mean(0), X[~held_out].std(0) + 1e-6
X = (X - mean) / std
Xt, Yt, Xv, Yv = map(torch.tensor, (X[~held_out], Y[~held_out], X[held_out], Y[held_out]))
net = nn.Sequential(nn.Linear(X.shape[1], args.hidden), nn.ReLU(), nn.Linear(args.hidden, args.hidden), nn.ReLU(),
                    nn.Linear(args.hidden, args.hidden), nn.ReLU(), nn.Linear(args.hidden, 4))
optimizer = torch.optim.Adam(net.parameters(), lr=1e-3)
schedule = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, args.epochs)
names = ["NOOP", "FIRE", "RIGHT", "LEFT"]


def score(x, y):
    with torch.no_grad():
        predicted = net(x).argmax(1)
    recall = [((predicted == a) & (y == a)).sum().item() / max((y == a).sum().item(), 1) for a in range(4)]
    return (predicted == y).float().mean().item(), recall


for epoch in range(1, args.epochs + 1):
    order = torch.randperm(len(Yt))
    for batch in order.split(64):
        loss = nn.functional.cross_entropy(net(Xt[batch]), Yt[batch])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    schedule.step()
    if epoch % 10 == 0 or epoch == args.epochs:
        train, _ = score(Xt, Yt)
        validation, recall = score(Xv, Yv)
        print(f"epoch {epoch}: train acc {train:.3f}, validation acc {validation:.3f} (recall "
              + " ".join(f"{n} {r:.2f}" for n, r in zip(names, recall)) + f"), {time.process_time() - start:.0f} CPU s",
              flush=True)
changes = (Y[1:] != Y[:-1]).mean()
print(f"labels: shares {np.bincount(Y, minlength=4) / len(Y)}, label changes on {changes:.3f} of steps")
