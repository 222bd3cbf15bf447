#!/usr/bin/env bash
# Draws the pictures of Environments/README.md's gallery into Docs/: one render per environment,
# each from a fixed seed and action list through `evaluate --render-png` (the catalog env's own
# pure-Swift render), plus the arcade and MinAtar pictures of `arcade-bench render`.
#
#   Scripts/make-env-pictures.sh        (release build of evaluate and arcade-bench; ~1 min)
#
# The grid-world pictures of Environments/GridWorld/README.md come from
# `WRITE_DOCS_IMAGES=1 swift test --filter writeGridWorldPictures`.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product evaluate >/dev/null
swift build -c release --product arcade-bench >/dev/null
repeat() { python3 -c "import sys; print(','.join(sys.argv[1].split(',') * int(sys.argv[2])))" "$1" "$2"; }
picture() {  # id seed actions file
  .build/release/evaluate --env "$1" --seed "$2" --actions="$3" --render-png "Docs/$4" >/dev/null
  echo "wrote Docs/$4"
}
picture CartPole-v1 3 "$(repeat 1,1,0 6)" cartpole.png
picture Pendulum-v1 0 "$(repeat 2,2,2,-2 3)" pendulum.png
picture MiniGrid-Empty-8x8-v0 0 2,2,1,2 minigrid-empty-8x8.png
picture MiniGrid-DoorKey-5x5-v0 1 1,2 minigrid-doorkey-5x5.png
picture Probe-Bandit-v0 0 1 probe-bandit.png
picture Probe-Memory-v0 0 0,0,0 probe-memory.png
picture Probe-Timing-v0 0 0,0,0,1 probe-timing.png
.build/release/arcade-bench render Docs
