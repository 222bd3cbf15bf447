#!/usr/bin/env python3
"""Writes the ncps wiring parity fixture for module NeuralCircuits.

Rerun (from the package root; needs numpy and ncps 1.0.1, no torch):
    python3 Scripts/make-wiring-fixtures.py
Output: Tests/NeuralCircuitsTests/Fixtures/wirings.json

For each case: the wiring type and ncps constructor arguments (the `{"type": ..., ...}` JSON the
`ncps wiring` tool accepts), the input size passed to build(), and what ncps produced: units,
output_dim, layers (get_neurons_of_layer), neuron types, synapse counts, get_config (where it
works) and both matrices, each row a string with '+' (+1), '-' (-1) and '.' (0); rows = source.
`errors` lists arguments ncps rejects, with ncps' (or numpy's) message.
"""
import json
import os

import numpy as np
from importlib.metadata import version
from ncps.wirings import NCP, AutoNCP, FullyConnected, Random

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "NeuralCircuitsTests", "Fixtures")
CLASSES = {"FullyConnected": FullyConnected, "Random": Random, "NCP": NCP, "AutoNCP": AutoNCP}

CASES = [
    # (type, constructor arguments, input size)
    ("FullyConnected", {"units": 5}, 3),                                       # Appendix A
    ("FullyConnected", {"units": 8, "output_dim": 2, "erev_init_seed": 0, "self_connections": False}, 4),
    ("FullyConnected", {"units": 16, "output_dim": 4, "erev_init_seed": 42}, 8),
    ("FullyConnected", {"units": 3, "output_dim": 1, "erev_init_seed": 2**40 + 3}, 2),
    ("FullyConnected", {"units": 1, "erev_init_seed": 7}, 1),
    ("FullyConnected", {"units": 30, "erev_init_seed": 12345, "self_connections": False}, 10),
    ("FullyConnected", {"units": 12, "output_dim": 3, "erev_init_seed": 2**64 - 1}, 5),
    ("Random", {"units": 6, "output_dim": 2, "sparsity_level": 0.5}, 3),       # Appendix A
    ("Random", {"units": 8, "sparsity_level": 0.0, "random_seed": 1}, 4),
    ("Random", {"units": 10, "output_dim": 3, "sparsity_level": 0.3, "random_seed": 42}, 5),
    ("Random", {"units": 20, "output_dim": 5, "sparsity_level": 0.75, "random_seed": 2**33}, 7),
    ("Random", {"units": 12, "sparsity_level": 0.25, "random_seed": 0}, 3),
    ("Random", {"units": 5, "output_dim": 1, "sparsity_level": 0.9, "random_seed": 3}, 2),
    # units² > 10000 with many synapses: numpy's tail-shuffle path of choice(replace=False),
    # for the adjacency (110² pairs) and the sensory synapses (100 · 110 pairs).
    ("Random", {"units": 110, "output_dim": 10, "sparsity_level": 0.1, "random_seed": 5}, 100),
    ("NCP", {"inter_neurons": 10, "command_neurons": 10, "motor_neurons": 8, "sensory_fanout": 6,
             "inter_fanout": 6, "recurrent_command_synapses": 4, "motor_fanin": 6}, 8),   # Appendix A
    ("NCP", {"inter_neurons": 4, "command_neurons": 3, "motor_neurons": 2, "sensory_fanout": 2,
             "inter_fanout": 2, "recurrent_command_synapses": 3, "motor_fanin": 2, "seed": 0}, 3),
    ("NCP", {"inter_neurons": 20, "command_neurons": 12, "motor_neurons": 6, "sensory_fanout": 5,
             "inter_fanout": 4, "recurrent_command_synapses": 10, "motor_fanin": 4, "seed": 2**32 - 1}, 16),
    ("NCP", {"inter_neurons": 1, "command_neurons": 1, "motor_neurons": 1, "sensory_fanout": 1,
             "inter_fanout": 1, "recurrent_command_synapses": 1, "motor_fanin": 1, "seed": 1}, 1),
    ("NCP", {"inter_neurons": 5, "command_neurons": 5, "motor_neurons": 5, "sensory_fanout": 0,
             "inter_fanout": 0, "recurrent_command_synapses": 0, "motor_fanin": 0, "seed": 7}, 2),
    ("NCP", {"inter_neurons": 6, "command_neurons": 4, "motor_neurons": 9, "sensory_fanout": 6,
             "inter_fanout": 1, "recurrent_command_synapses": 2, "motor_fanin": 1, "seed": 31337}, 12),
    ("AutoNCP", {"units": 8, "output_size": 2}, 3),                             # Appendix A
    ("AutoNCP", {"units": 16, "output_size": 4}, 8),                            # Appendix A
    ("AutoNCP", {"units": 28, "output_size": 4}, 8),
    ("AutoNCP", {"units": 28, "output_size": 10}, 5),
    ("AutoNCP", {"units": 16, "output_size": 1}, 2),
    ("AutoNCP", {"units": 64, "output_size": 8}, 16),
    ("AutoNCP", {"units": 28, "output_size": 4, "sparsity_level": 0.9}, 4),
    ("AutoNCP", {"units": 20, "output_size": 5, "sparsity_level": 0.1, "seed": 0}, 6),
    ("AutoNCP", {"units": 32, "output_size": 8, "sparsity_level": 1.0, "seed": 123456789}, 3),
    ("AutoNCP", {"units": 100, "output_size": 20, "sparsity_level": 0.5, "seed": 99}, 30),
    ("AutoNCP", {"units": 7, "output_size": 4, "seed": 2**32 - 1}, 1),
    ("AutoNCP", {"units": 19, "output_size": 3, "sparsity_level": 0.7, "seed": 4242}, 9),
]

ERRORS = [
    ("AutoNCP", {"units": 8, "output_size": 6}),
    ("AutoNCP", {"units": 10, "output_size": 8}),
    ("AutoNCP", {"units": 16, "output_size": 4, "sparsity_level": 0.05}),
    ("AutoNCP", {"units": 16, "output_size": 4, "sparsity_level": 1.5}),
    ("AutoNCP", {"units": 16, "output_size": 4, "seed": 2**32}),
    ("NCP", {"inter_neurons": 4, "command_neurons": 3, "motor_neurons": 2, "sensory_fanout": 2,
             "inter_fanout": 2, "recurrent_command_synapses": 3, "motor_fanin": 4}),
    ("NCP", {"inter_neurons": 4, "command_neurons": 3, "motor_neurons": 2, "sensory_fanout": 5,
             "inter_fanout": 2, "recurrent_command_synapses": 3, "motor_fanin": 2}),
    ("NCP", {"inter_neurons": 4, "command_neurons": 3, "motor_neurons": 2, "sensory_fanout": 2,
             "inter_fanout": 4, "recurrent_command_synapses": 3, "motor_fanin": 2}),
    ("NCP", {"inter_neurons": 4, "command_neurons": 3, "motor_neurons": 2, "sensory_fanout": 2,
             "inter_fanout": 2, "recurrent_command_synapses": 3, "motor_fanin": 2, "seed": -1}),
    ("Random", {"units": 8, "sparsity_level": 1.0}),
    ("Random", {"units": 8, "sparsity_level": -0.1}),
]


def rows(matrix):
    return ["".join({1: "+", -1: "-", 0: "."}[int(v)] for v in row) for row in np.asarray(matrix)]


def make(kind, args, input_dim):
    wiring = CLASSES[kind](**args)
    wiring.build(input_dim)   # once: ncps' build() is not idempotent (reference/ncps.md Q6)
    layers = [[int(i) for i in wiring.get_neurons_of_layer(l)] for l in range(wiring.num_layers)]
    case = {
        "type": kind, "args": args, "input_dim": input_dim,
        "units": int(wiring.units), "output_dim": int(wiring.output_dim), "layers": layers,
        "neuron_types": [wiring.get_type_of_neuron(i) for i in range(wiring.units)],
        "synapse_count": int(wiring.synapse_count), "sensory_synapse_count": int(wiring.sensory_synapse_count),
        "adjacency": rows(wiring.adjacency_matrix), "sensory": rows(wiring.sensory_adjacency_matrix),
    }
    if kind != "NCP":   # NCP.get_config is broken in ncps 1.0.1 (Q7)
        case["config"] = wiring.get_config()
    return case


def error_of(kind, args):
    try:
        CLASSES[kind](**args).build(4)
    except ValueError as error:
        return {"type": kind, "args": args, "message": str(error)}
    raise AssertionError(f"{kind}{args} did not fail")


if __name__ == "__main__":
    assert version("ncps") == "1.0.1", version("ncps")
    os.makedirs(OUT, exist_ok=True)
    payload = {"ncps": version("ncps"), "numpy": np.__version__,
               "cases": [make(kind, args, d) for kind, args, d in CASES],
               "errors": [error_of(kind, args) for kind, args in ERRORS]}
    path = os.path.join(OUT, "wirings.json")
    with open(path, "w") as f:
        json.dump(payload, f, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {path} ({os.path.getsize(path)} bytes, {len(payload['cases'])} cases, {len(payload['errors'])} errors)")
