#!/usr/bin/env bash
# Mean return of every catalog environment's scripted expert and of a uniformly random policy,
# through the `evaluate` tool, for the table in Environments/README.md.
#
#   Scripts/measure-expert-returns.sh [episodes] [arcade-episodes] [id-regex]
#                                     (defaults 100, 10 and every id)
#
# Runs `evaluate --env ID --policy expert|random --episodes N --seed 0 --json` for every id and
# prints a Markdown table (mean ± standard deviation of the return, mean length). Arcade ids play
# whole Atari-length games, so they get fewer episodes. MinAtar Breakout has no time limit and
# its expert can keep a game going for ever: its rows come from
# `arcade-bench returns` (capped at 27 000 steps) instead and are skipped here.
set -euo pipefail
cd "$(dirname "$0")/.."
episodes="${1:-100}"
arcade_episodes="${2:-10}"
only="${3:-.}"
swift build -c release --product evaluate >/dev/null
# Every catalog id, from the error message that lists the valid ones.
ids=$( (.build/release/evaluate --env '?' --policy random 2>&1 || true) | sed -n 's/.*valid ids: //p' | tr -d ',')
echo "| id | expert return | random return | episodes | mean length expert / random |"
echo "|---|---|---|---|---|"
for id in $ids; do
  case "$id" in MinAtar/Breakout-*) continue ;; esac
  echo "$id" | grep -Eq "$only" || continue
  n="$episodes"
  case "$id" in Arcade/*) n="$arcade_episodes" ;; esac
  row=""
  for policy in expert random; do
    row="$row $(.build/release/evaluate --env "$id" --policy "$policy" --episodes "$n" --seed 0 --json)"
  done
  python3 - "$id" "$n" $row <<'PY'
import json, sys
id, n = sys.argv[1], sys.argv[2]
text = " ".join(sys.argv[3:])
decoder, lines, i = json.JSONDecoder(), [], 0
while i < len(text):
    if text[i].isspace(): i += 1; continue
    obj, i = decoder.raw_decode(text, i); lines.append(obj)
expert, random = lines
def fmt(s): return f"{s['mean']:.4g} ± {s['std'] if abs(s['std']) > 1e-9 else 0:.3g}"
print(f"| `{id}` | {fmt(expert['return'])} | {fmt(random['return'])} | {n} | {expert['length']['mean']:.1f} / {random['length']['mean']:.1f} |")
PY
done
