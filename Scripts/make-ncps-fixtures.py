#!/usr/bin/env python3
"""Parity fixtures for NeuralCircuits: CfC and LTC outputs, states and gradients from ncps 1.0.1.

Rerun (from the package root; takes a few seconds on one core):
    pip install ncps torch safetensors
    python3 Scripts/make-ncps-fixtures.py

Writes one small safetensors file per case into Tests/NeuralCircuitsTests/Fixtures/ncps/ and an
index (index.json: case -> description). Each file holds, all float32 unless noted:

  <state_dict keys>      the model's parameters and buffers with torch's exact names
                         (e.g. rnn_cell.ff1.weight, rnn_cell.layer_0.sparsity_mask, lstm.input_map.weight)
  input                  the input as the model receives it: (B, L, C) if batch_first else (L, B, C)
  timespans              (only when used) (B, L) if batch_first else (L, B)
  h0, c0                 (only when an initial state is passed; c0 for mixed memory)
  target                 the regression target, same shape as output
  output                 the readout (full sequence, or last step when return_sequences is False)
  hn, cn                 final states (cn only for mixed memory); state layout as ncps returns it
  grad.<param>           dLoss/dParam for every parameter with requires_grad (not the frozen masks)
  grad.input, grad.h0, grad.c0   dLoss/d(input, h0, c0)
  wiring.adjacency_matrix, wiring.sensory_adjacency_matrix   (I32, rows = source neuron) of the
                         built wiring the model uses (LTC with int units: its FullyConnected)

The loss is mean((output - target)^2) over every element of output (torch.nn.functional.mse_loss).
Models run in eval mode (dropout off) for the outputs and the gradients.

`__metadata__` (all strings, JSON where structured):
  config     ncps constructor arguments: {"model": "CfC"|"LTC", "input_size": ..., "units": int or
             {"type": "AutoNCP"|"NCP"|"FullyConnected"|"Random", <constructor args incl. seed>}, ...}
             (the same format as `ncps run --config`)
  case, description, torch_seed, loss, batch_size, sequence_length
  timespans  "none" | "ncps" (B=1, ncps computes it) | "per-sample" (B>1: each sample was run
             separately through ncps with B=1 and the results concatenated along the batch axis; this
             is the fixed semantics of quirk Q1, which ncps itself cannot compute for B>1)
  wiring     {"units", "input_dim", "output_dim", "layers": [[neuron ids of layer 0], ...]} when a
             wiring exists
  versions   {"ncps", "torch", "numpy"}
"""
import importlib.metadata
import json
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F
from safetensors.torch import save_file

import ncps
from ncps.torch import CfC, LTC
from ncps.wirings import NCP, AutoNCP, FullyConnected, Random

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "Tests", "NeuralCircuitsTests", "Fixtures", "ncps")

B, L = 3, 5  # batch, sequence length

WIRING_TYPES = {"AutoNCP": AutoNCP, "NCP": NCP, "FullyConnected": FullyConnected, "Random": Random}

CFC_DEFAULTS = dict(proj_size=None, return_sequences=True, batch_first=True, mixed_memory=False,
                    mode="default", activation="lecun_tanh", backbone_units=None, backbone_layers=None,
                    backbone_dropout=None)
LTC_DEFAULTS = dict(return_sequences=True, batch_first=True, mixed_memory=False, input_mapping="affine",
                    output_mapping="affine", ode_unfolds=6, epsilon=1e-8, implicit_param_constraints=True)


def make_wiring(spec):
    args = {k: v for k, v in spec.items() if k != "type"}
    return WIRING_TYPES[spec["type"]](**args)


def build(config):
    """A fresh model from a config (a fresh wiring each time: ncps' build() is not idempotent, Q6)."""
    args = {k: v for k, v in config.items() if k not in ("model", "input_size", "units")}
    units = config["units"]
    units = make_wiring(units) if isinstance(units, dict) else units
    cls = CfC if config["model"] == "CfC" else LTC
    return cls(config["input_size"], units, **args)


def cfc(input_size, units, **overrides):
    config = {"model": "CfC", "input_size": input_size, "units": units, **CFC_DEFAULTS}
    if not isinstance(units, dict):  # ncps' int-units defaults, written out
        config.update(backbone_units=128, backbone_layers=1, backbone_dropout=0.0)
    config.update(overrides)
    return config


def ltc(input_size, units, **overrides):
    config = {"model": "LTC", "input_size": input_size, "units": units, **LTC_DEFAULTS}
    config.update(overrides)
    return config


def autoncp(units, output_size, sparsity_level=0.5, seed=22222):
    return {"type": "AutoNCP", "units": units, "output_size": output_size, "sparsity_level": sparsity_level,
            "seed": seed}


NCP_SPEC = {"type": "NCP", "inter_neurons": 5, "command_neurons": 4, "motor_neurons": 2, "sensory_fanout": 3,
            "inter_fanout": 2, "recurrent_command_synapses": 3, "motor_fanin": 2, "seed": 22222}
FC_SPEC = {"type": "FullyConnected", "units": 8, "output_dim": 8, "erev_init_seed": 1111, "self_connections": True}
RANDOM_SPEC = {"type": "Random", "units": 8, "output_dim": 3, "sparsity_level": 0.5, "random_seed": 1111}


def cases():
    """(name, description, config, options) with options: timespans, h0, batch."""
    c = []
    bb = dict(backbone_units=16)
    c.append(("cfc_default", "CfC(5, 8) mode default, lecun_tanh, one backbone layer of 16", cfc(5, 8, **bb), {}))
    c.append(("cfc_pure", "CfC mode pure", cfc(5, 8, mode="pure", **bb), {}))
    c.append(("cfc_no_gate", "CfC mode no_gate", cfc(5, 8, mode="no_gate", **bb), {}))
    for act in ["silu", "relu", "tanh", "gelu"]:
        c.append(("cfc_" + act, "CfC backbone activation " + act, cfc(5, 8, activation=act, **bb), {}))
    c.append(("cfc_backbone0", "CfC without backbone (ff layers read [input, h] directly)",
              cfc(5, 8, backbone_layers=0, **bb), {}))
    c.append(("cfc_pure_backbone0", "CfC pure without backbone", cfc(5, 8, mode="pure", backbone_layers=0, **bb), {}))
    c.append(("cfc_no_gate_backbone0", "CfC no_gate without backbone",
              cfc(5, 8, mode="no_gate", backbone_layers=0, **bb), {}))
    c.append(("cfc_backbone2", "CfC with 2 backbone layers, no dropout (backbone.0, backbone.2)",
              cfc(5, 8, backbone_layers=2, **bb), {}))
    c.append(("cfc_backbone2_dropout", "CfC with 2 backbone layers and dropout 0.3 (eval mode)",
              cfc(5, 8, backbone_layers=2, backbone_dropout=0.3, **bb), {}))
    c.append(("cfc_backbone3_dropout", "CfC with 3 backbone layers and dropout: keys shift to backbone.0/.2/.5",
              cfc(5, 8, backbone_layers=3, backbone_dropout=0.3, activation="silu", **bb), {}))
    c.append(("cfc_proj", "CfC with proj_size 3 (fc Linear(8, 3))", cfc(5, 8, proj_size=3, **bb), {}))
    c.append(("cfc_mixed", "CfC with mixed memory (ncps LSTMCell)", cfc(5, 8, mixed_memory=True, **bb), {}))
    c.append(("cfc_time_major", "CfC batch_first False: input (L, B, C)", cfc(5, 8, batch_first=False, **bb), {}))
    c.append(("cfc_last", "CfC return_sequences False: output is the last step", cfc(5, 8, return_sequences=False, **bb), {}))
    c.append(("cfc_h0", "CfC with an initial state h0", cfc(5, 8, **bb), {"h0": True}))
    c.append(("cfc_mixed_h0c0", "CfC mixed memory with initial (h0, c0), projection",
              cfc(5, 8, mixed_memory=True, proj_size=2, **bb), {"h0": True}))
    c.append(("cfc_timespans_b1", "CfC with timespans, batch 1 (ncps computes it)", cfc(5, 8, **bb),
              {"timespans": True, "batch": 1}))
    c.append(("cfc_timespans", "CfC with timespans, batch 3, per-sample semantics (Q1 fixed)", cfc(5, 8, **bb),
              {"timespans": True}))
    c.append(("cfc_pure_timespans", "CfC pure with timespans, batch 3, per-sample", cfc(5, 8, mode="pure", **bb),
              {"timespans": True}))
    c.append(("cfc_no_gate_timespans_time_major", "CfC no_gate, time-major, timespans (L, B), per-sample",
              cfc(5, 8, mode="no_gate", batch_first=False, **bb), {"timespans": True}))
    c.append(("cfc_mixed_proj_timespans_last", "CfC mixed memory, proj_size 2, timespans, last step only",
              cfc(5, 8, mixed_memory=True, proj_size=2, return_sequences=False, **bb), {"timespans": True}))
    for name, spec in [("autoncp", autoncp(12, 3)), ("ncp", NCP_SPEC), ("fully_connected", FC_SPEC),
                       ("random", RANDOM_SPEC)]:
        for mode in ["default", "pure", "no_gate"]:
            c.append(("cfc_%s_%s" % (name, mode), "wired CfC, %s wiring, mode %s" % (spec["type"], mode),
                      cfc(5, spec, mode=mode), {}))
    c.append(("cfc_autoncp_proj_mixed", "wired CfC AutoNCP(12, 3), proj_size 2, mixed memory",
              cfc(5, autoncp(12, 3), proj_size=2, mixed_memory=True), {}))
    c.append(("cfc_autoncp_timespans_h0", "wired CfC AutoNCP(12, 3), timespans (per-sample) and h0",
              cfc(5, autoncp(12, 3)), {"timespans": True, "h0": True}))
    c.append(("cfc_autoncp_last_time_major", "wired CfC AutoNCP(12, 3) pure, time-major, last step",
              cfc(5, autoncp(12, 3), mode="pure", batch_first=False, return_sequences=False), {}))

    c.append(("ltc_default", "LTC(5, 8): FullyConnected, affine mappings, 6 unfolds, softplus constraints",
              ltc(5, 8), {}))
    c.append(("ltc_autoncp", "LTC with AutoNCP(10, 3)", ltc(5, autoncp(10, 3)), {}))
    c.append(("ltc_ncp", "LTC with an NCP wiring", ltc(5, NCP_SPEC), {}))
    c.append(("ltc_random", "LTC with a Random wiring (8 units, 3 motor)", ltc(5, RANDOM_SPEC), {}))
    c.append(("ltc_linear", "LTC input and output mapping linear", ltc(5, 8, input_mapping="linear",
                                                                        output_mapping="linear"), {}))
    c.append(("ltc_none", "LTC with no input/output mapping", ltc(5, autoncp(10, 3), input_mapping=None,
                                                                   output_mapping=None), {}))
    c.append(("ltc_affine_none", "LTC input affine, output none", ltc(5, 8, output_mapping=None), {}))
    c.append(("ltc_unfolds1", "LTC with ode_unfolds 1", ltc(5, 8, ode_unfolds=1), {}))
    c.append(("ltc_unfolds3_autoncp", "LTC AutoNCP(10, 3) with ode_unfolds 3", ltc(5, autoncp(10, 3), ode_unfolds=3), {}))
    c.append(("ltc_explicit", "LTC implicit_param_constraints False (no softplus)",
              ltc(5, 8, implicit_param_constraints=False), {}))
    c.append(("ltc_explicit_autoncp", "LTC AutoNCP(10, 3), implicit_param_constraints False",
              ltc(5, autoncp(10, 3), implicit_param_constraints=False), {}))
    c.append(("ltc_mixed", "LTC with mixed memory", ltc(5, 8, mixed_memory=True), {}))
    c.append(("ltc_mixed_autoncp_h0c0", "LTC AutoNCP(10, 3), mixed memory, initial (h0, c0)",
              ltc(5, autoncp(10, 3), mixed_memory=True), {"h0": True}))
    c.append(("ltc_time_major", "LTC batch_first False", ltc(5, 8, batch_first=False), {}))
    c.append(("ltc_last", "LTC return_sequences False", ltc(5, autoncp(10, 3), return_sequences=False), {}))
    c.append(("ltc_h0", "LTC with an initial state h0", ltc(5, 8), {"h0": True}))
    c.append(("ltc_timespans_b1", "LTC with timespans, batch 1 (ncps computes it)", ltc(5, 8),
              {"timespans": True, "batch": 1}))
    c.append(("ltc_timespans", "LTC with timespans, batch 3, per-sample semantics (Q1 fixed)", ltc(5, 8),
              {"timespans": True}))
    c.append(("ltc_autoncp_timespans_mixed", "LTC AutoNCP(10, 3), mixed memory, timespans per-sample",
              ltc(5, autoncp(10, 3), mixed_memory=True), {"timespans": True}))
    return c


def sample_axis(config):
    return 0 if config["batch_first"] else 1


def run(model, config, x, ts, h0, c0):
    """Forward; with timespans and batch > 1, each sample separately (the fixed Q1 semantics)."""
    hx = None if h0 is None else ((h0, c0) if config["mixed_memory"] else h0)
    axis = sample_axis(config)
    batch = x.shape[axis]
    if ts is None or batch == 1:
        return model(x, hx=hx, timespans=ts)
    outs, hs, cs = [], [], []
    for b in range(batch):
        xb = x.narrow(axis, b, 1)
        tb = ts.narrow(axis, b, 1)
        hxb = None
        if h0 is not None:
            hxb = (h0[b:b + 1], c0[b:b + 1]) if config["mixed_memory"] else h0[b:b + 1]
        out, state = model(xb, hx=hxb, timespans=tb)
        out_axis = axis if config["return_sequences"] else 0
        outs.append((out, out_axis))
        if config["mixed_memory"]:
            hs.append(state[0]); cs.append(state[1])
        else:
            hs.append(state)
    output = torch.cat([o for o, _ in outs], dim=outs[0][1])
    state = (torch.cat(hs), torch.cat(cs)) if config["mixed_memory"] else torch.cat(hs)
    return output, state


def wiring_of(model, config):
    if config["model"] == "CfC":
        return model.wiring if isinstance(config["units"], dict) else None
    return model._wiring


def make_case(index, name, description, config, options):
    seed = 1000 + index
    torch.manual_seed(seed)
    model = build(config)
    model.eval()
    batch = options.get("batch", B)
    c_in = config["input_size"]
    shape = (batch, L, c_in) if config["batch_first"] else (L, batch, c_in)
    x = torch.randn(*shape)
    ts = None
    if options.get("timespans"):
        ts = 0.5 + torch.rand(*shape[:2])  # in [0.5, 1.5)
    state_size = model.state_size
    h0 = c0 = None
    if options.get("h0"):
        h0 = 0.5 * torch.randn(batch, state_size)
        if config["mixed_memory"]:
            c0 = 0.5 * torch.randn(batch, state_size)

    leaves = {"input": x}
    if h0 is not None:
        leaves["h0"] = h0
    if c0 is not None:
        leaves["c0"] = c0
    for leaf in leaves.values():
        leaf.requires_grad_(True)
    output, state = run(model, config, x, ts, h0, c0)
    target = torch.randn(*output.shape)
    loss = F.mse_loss(output, target)
    params = [(k, p) for k, p in model.named_parameters() if p.requires_grad]
    grads = torch.autograd.grad(loss, [p for _, p in params] + list(leaves.values()), allow_unused=True)

    tensors = {k: v.detach().clone().contiguous() for k, v in model.state_dict().items()}
    tensors["input"] = x.detach()
    if ts is not None:
        tensors["timespans"] = ts
    if h0 is not None:
        tensors["h0"] = h0.detach()
    if c0 is not None:
        tensors["c0"] = c0.detach()
    tensors["target"] = target
    tensors["output"] = output.detach()
    if config["mixed_memory"]:
        tensors["hn"], tensors["cn"] = state[0].detach(), state[1].detach()
    else:
        tensors["hn"] = state.detach()
    names = [k for k, _ in params] + list(leaves.keys())
    for k, g in zip(names, grads):
        ref = dict(params).get(k, leaves.get(k))
        tensors["grad." + k] = (torch.zeros_like(ref) if g is None else g).detach().contiguous()

    metadata = {
        "case": name,
        "description": description,
        "config": json.dumps(config, sort_keys=True),
        "torch_seed": str(seed),
        "loss": "mse_loss(output, target), mean over all elements",
        "batch_size": str(batch),
        "sequence_length": str(L),
        "timespans": "none" if ts is None else ("ncps" if batch == 1 else "per-sample"),
        "versions": json.dumps({"ncps": importlib.metadata.version("ncps"), "torch": torch.__version__,
                                "numpy": np.__version__}),
    }
    wiring = wiring_of(model, config)
    if wiring is not None:
        tensors["wiring.adjacency_matrix"] = torch.from_numpy(np.asarray(wiring.adjacency_matrix, dtype=np.int32))
        tensors["wiring.sensory_adjacency_matrix"] = torch.from_numpy(
            np.asarray(wiring.sensory_adjacency_matrix, dtype=np.int32))
        layers = [[int(i) for i in wiring.get_neurons_of_layer(l)] for l in range(wiring.num_layers)]
        metadata["wiring"] = json.dumps({"units": wiring.units, "input_dim": wiring.input_dim,
                                         "output_dim": wiring.output_dim, "layers": layers})
    tensors = {k: v.detach().clone().contiguous() for k, v in tensors.items()}
    save_file(tensors, os.path.join(OUT, name + ".safetensors"), metadata=metadata)
    return float(loss.detach())


def main():
    torch.set_num_threads(1)
    os.makedirs(OUT, exist_ok=True)
    for f in os.listdir(OUT):
        if f.endswith(".safetensors"):
            os.remove(os.path.join(OUT, f))
    index = {}
    for i, (name, description, config, options) in enumerate(cases()):
        loss = make_case(i, name, description, config, options)
        index[name] = description
        print("%-36s loss %.6f" % (name, loss))
    with open(os.path.join(OUT, "index.json"), "w") as f:
        json.dump(index, f, indent=1, sort_keys=True)
        f.write("\n")
    total = sum(os.path.getsize(os.path.join(OUT, f)) for f in os.listdir(OUT))
    print("%d cases, %d bytes in %s" % (len(index), total, os.path.normpath(OUT)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
