#!/usr/bin/env bash
# Writes Docs/viewer-cartpole.png: the watch window after 60 frames of CartPole-v1 played by a
# small CfC PPO policy (ppo-train, 4096 steps, seed 1; about 2 s), headless with SDL's dummy
# video driver. Rerun from anywhere:  Scripts/make-viewer-screenshot.sh [checkpoint.safetensors]
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p Docs
checkpoint="${1:-}"
if [[ -z "$checkpoint" ]]; then
  run="$(mktemp -d)/run"
  swift run ppo-train --env CartPole-v1 --policy cfc --steps 4096 --seed 1 --run-dir "$run" --quiet
  checkpoint="$run/checkpoint.safetensors"
fi
SDL_VIDEODRIVER=dummy swift run watch --checkpoint "$checkpoint" --seed 1 --frames 60 \
  --screenshot Docs/viewer-cartpole.png
echo "wrote Docs/viewer-cartpole.png"
