#!/usr/bin/env python3
"""Merge swift-ncps demonstration datasets (index.json + shards) into one folder.

    python3 Scripts/merge-demonstrations.py OUT IN1 IN2 [IN3 ...]

The shards of each input are copied into OUT (renamed shard-00000…, in input order) and OUT's
index.json lists them all: the episodes keep their order, returns and reset seeds; `source`
names each input's source. The inputs must share env id, spaces and frame stack. Only the
standard library is used. E.g. clean + noisy (DART) Breakout demonstrations:

    python3 Scripts/merge-demonstrations.py demos/breakout-mixed demos/breakout-12 demos/breakout-12-noise3

Episode i of OUT is episode i of IN1, then IN2's follow; `bc.validation_episodes` (or the seeded
split) picks held-out episodes by these indices.
"""
import json, os, shutil, sys

KEYS = ("env_id", "format", "action_space", "observation_shape", "observation_element_type", "frame_stack")


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    out, inputs = sys.argv[1], sys.argv[2:]
    if os.path.exists(os.path.join(out, "index.json")):
        sys.exit(f"{out}: already holds a dataset (index.json)")
    indexes = []
    for folder in inputs:
        path = os.path.join(folder, "index.json")
        try:
            with open(path) as f:
                indexes.append(json.load(f))
        except (OSError, ValueError) as error:
            sys.exit(f"{path}: cannot be read ({error})")
    for folder, index in zip(inputs[1:], indexes[1:]):
        for key in KEYS:
            if index.get(key) != indexes[0].get(key):
                sys.exit(f"{folder}/index.json: {key} is {index.get(key)!r}, {inputs[0]} has {indexes[0].get(key)!r}")
    os.makedirs(out, exist_ok=True)
    merged = {key: indexes[0][key] for key in KEYS if key in indexes[0]}
    merged.update(episode_count=0, total_steps=0, returns=[], seeds=[], shards=[])
    sources = []
    for folder, index in zip(inputs, indexes):
        for shard in index["shards"]:
            name = "shard-%05d.safetensors" % len(merged["shards"])
            shutil.copyfile(os.path.join(folder, shard["file"]), os.path.join(out, name + ".part"))
            os.replace(os.path.join(out, name + ".part"), os.path.join(out, name))
            merged["shards"].append(dict(shard, file=name))
        merged["episode_count"] += index["episode_count"]
        merged["total_steps"] += index["total_steps"]
        merged["returns"] += index.get("returns", [])
        merged["seeds"] += index.get("seeds", [])
        sources.append(f"{index['episode_count']} × {index.get('source', '?')}")
    merged["source"] = " + ".join(sources)
    with open(os.path.join(out, "index.json.part"), "w") as f:  # the index last: a folder with one is complete
        json.dump(merged, f, indent=2)
    os.replace(os.path.join(out, "index.json.part"), os.path.join(out, "index.json"))
    print(f"{out}: {merged['episode_count']} episodes, {merged['total_steps']} steps ({merged['source']})")


if __name__ == "__main__":
    main()
