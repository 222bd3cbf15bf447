#!/usr/bin/env bash
# Writes the viewer screenshots in Docs/, headless with SDL's dummy video driver:
#
#   Docs/viewer-cartpole.png          CartPole-v1 played by a small CfC PPO policy (ppo-train,
#                                     20000 steps, seed 1; a few seconds), after 60 frames.
#   Docs/viewer-minatar-<game>.png    MinAtar/<Game>-v1 (MINATAR_GAME, default SpaceInvaders)
#                                     played by an NCP-wired CfC policy (ncp-cfc: 24 neurons, 6
#                                     motor, grid encoder to 32 sensory features) trained by
#                                     ppo-train for MINATAR_STEPS steps (default 100000; nice -n 5;
#                                     about 6 minutes on a shared 2-core machine), evaluated
#                                     greedily over 20 episodes, then watched for 300 frames.
#
# Rerun from anywhere:  Scripts/make-viewer-screenshot.sh [cartpole|minatar|all]
# The training runs are kept in runs/viewer-screenshot-*/ (gitignored); the commands below are
# the whole recipe. Uses the debug build: library targets are optimized in debug.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p Docs runs
which="${1:-all}"
steps="${MINATAR_STEPS:-100000}"
game="${MINATAR_GAME:-SpaceInvaders}"
name="$(echo "$game" | sed -E 's/([a-z])([A-Z])/\1-\2/g' | tr A-Z a-z)"
swift build --product ppo-train
swift build --product watch
swift build --product evaluate
bin=.build/debug

if [[ "$which" == cartpole || "$which" == all ]]; then
  run=runs/viewer-screenshot-cartpole
  rm -rf "$run"
  nice -n 5 "$bin/ppo-train" --env CartPole-v1 --policy cfc --steps 20000 --seed 1 --run-dir "$run" --quiet
  SDL_VIDEODRIVER=dummy "$bin/watch" --checkpoint "$run/checkpoint.safetensors" --seed 1 --frames 60 \
    --screenshot Docs/viewer-cartpole.png
  echo "wrote Docs/viewer-cartpole.png"
fi

if [[ "$which" == minatar || "$which" == all ]]; then
  run=runs/viewer-screenshot-$name
  rm -rf "$run"
  cat > "$run.json" <<EOF
{
  "env": "MinAtar/$game-v1",
  "seed": 1,
  "checkpoint_interval": 0,
  "policy": {"circuit": "ncp-cfc", "units": 24, "motor_neurons": 6, "encoder": "grid", "encoder_features": 32,
             "critic": "mlp", "critic_units": [64, 64]},
  "ppo": {"total_steps": $steps, "environment_count": 8, "steps_per_rollout": 128, "epochs": 4,
          "minibatch_count": 4, "learning_rate": 0.001, "discount": 0.99, "gae_lambda": 0.95,
          "entropy_coefficient": 0.01, "evaluation_episodes": 20}
}
EOF
  nice -n 5 "$bin/ppo-train" --config "$run.json" --run-dir "$run" --quiet
  "$bin/evaluate" --checkpoint "$run/checkpoint.safetensors" --episodes 20 --seed 0
  SDL_VIDEODRIVER=dummy "$bin/watch" --checkpoint "$run/checkpoint.safetensors" --seed 2 --frames 300 \
    --screenshot Docs/viewer-minatar-$name.png
  echo "wrote Docs/viewer-minatar-$name.png"
fi
