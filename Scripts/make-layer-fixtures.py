#!/usr/bin/env python3
"""Reference outputs and gradients of NeuralNetworks' layers, from PyTorch.

Rerun (needs torch; CI does not):
    python3 Scripts/make-layer-fixtures.py
writes Tests/NeuralNetworksTests/Fixtures/torch-layers.json and torch-losses.json.

Each case holds a torch module's state_dict (in order, by name), its inputs, its outputs, the
fixed weights w_k of the scalar L = sum_k sum(w_k * output_k), and dL/d(input) and
dL/d(parameter) for every trainable parameter. The Swift test loads the state dict into the
matching layer by name, so the names are checked too.
"""
import json
import math
import pathlib

import torch
from torch import nn

torch.manual_seed(20261129)
OUT = pathlib.Path(__file__).resolve().parent.parent / "Tests/NeuralNetworksTests/Fixtures/torch-layers.json"


def values(t):
    t = t.detach().to(torch.float32)
    return {"shape": list(t.shape), "values": [float(v) for v in t.reshape(-1).tolist()]}


class LecunTanh(nn.Module):
    def forward(self, x):
        return 1.7159 * torch.tanh(0.666 * x)


def randomize(module):
    """Replace every float tensor of the state dict (not only defaults) so ones/zeros init cannot hide bugs."""
    with torch.no_grad():
        for name, t in module.state_dict().items():
            if name.endswith("num_batches_tracked"):
                t.fill_(3)
            elif name.endswith("running_var"):
                t.copy_(torch.rand_like(t) + 0.5)
            else:
                t.copy_(torch.randn_like(t) * 0.5)


def case(name, module, inputs, forward=None, train=False, randomize_state=True, extra=None):
    if randomize_state:
        randomize(module)
    module.train(train)
    state = [{"name": k, **values(v)} for k, v in module.state_dict().items()]
    leaves = [x.clone().requires_grad_(True) for x in inputs]
    outputs = forward(module, *leaves) if forward else module(*leaves)
    if isinstance(outputs, torch.Tensor):
        outputs = (outputs,)
    seeds = [torch.rand_like(o) + 0.5 for o in outputs]
    loss = sum((o * s).sum() for o, s in zip(outputs, seeds))
    params = [(k, p) for k, p in module.named_parameters() if p.requires_grad]
    grads = torch.autograd.grad(loss, leaves + [p for _, p in params], allow_unused=True)
    grads = [g if g is not None else torch.zeros_like(x) for g, x in zip(grads, leaves + [p for _, p in params])]
    result = {
        "name": name,
        "training": train,
        "state": state,
        "inputs": [values(x) for x in inputs],
        "outputs": [values(o) for o in outputs],
        "seeds": [values(s) for s in seeds],
        "inputGradients": [values(g) for g in grads[: len(leaves)]],
        "parameterGradients": [{"name": k, **values(g)} for (k, _), g in zip(params, grads[len(leaves):])],
        "stateAfter": [{"name": k, **values(v)} for k, v in module.state_dict().items()],
    }
    if extra:
        result.update(extra)
    return result


cases = []
cases.append(case("linear", nn.Linear(5, 3), [torch.randn(4, 5)]))
cases.append(case("linearNoBias", nn.Linear(5, 3, bias=False), [torch.randn(2, 5)]))
cases.append(case("conv2d", nn.Conv2d(3, 4, 3, stride=2, padding=1), [torch.randn(2, 3, 7, 7)]))
cnn = nn.Sequential(
    nn.Conv2d(2, 4, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(4, 3, 3, padding=1), nn.Tanh(),
    nn.AvgPool2d(2), nn.Flatten(), nn.Linear(12, 5), nn.SiLU())
cases.append(case("sequentialCNN", cnn, [torch.randn(2, 2, 10, 10)]))
mlp = nn.Sequential(nn.Linear(4, 8), LecunTanh(), nn.Dropout(0.3), nn.Linear(8, 6), nn.GELU(), nn.Linear(6, 2), nn.Softplus())
cases.append(case("sequentialMLP", mlp, [torch.randn(5, 4) * 2]))
cases.append(case("layerNorm", nn.LayerNorm(6), [torch.randn(3, 6) * 2 + 1]))
cases.append(case("layerNorm2d", nn.LayerNorm([2, 3]), [torch.randn(4, 2, 3)]))
cases.append(case("batchNorm1dTrain", nn.BatchNorm1d(4), [torch.randn(6, 4) * 2 + 1], train=True))
cases.append(case("batchNorm1dEval", nn.BatchNorm1d(4), [torch.randn(6, 4) * 2 + 1], train=False))
cases.append(case("batchNorm2dTrain", nn.BatchNorm2d(3), [torch.randn(2, 3, 4, 5) + 0.5], train=True))
cases.append(case("batchNorm2dEval", nn.BatchNorm2d(3), [torch.randn(2, 3, 4, 5) + 0.5], train=False))
cases.append(case(
    "lstmCell", nn.LSTMCell(3, 5), [torch.randn(2, 3), torch.randn(2, 5), torch.randn(2, 5)],
    forward=lambda m, x, h, c: m(x, (h, c))))

x = torch.linspace(-6, 6, 25)
x = torch.cat([x, torch.tensor([-25.0, 19.5, 20.5, 30.0])])
activations = {
    "relu": torch.relu, "tanh": torch.tanh, "sigmoid": torch.sigmoid,
    "lecunTanh": lambda v: 1.7159 * torch.tanh(0.666 * v),
    "silu": nn.functional.silu, "gelu": nn.functional.gelu, "softplus": nn.functional.softplus,
}
for name, f in activations.items():
    cases.append(case("activation." + name, nn.Identity(), [x], forward=lambda m, v, f=f: f(v)))
# Appended last, with the random state restored after it, so every other case (and the losses
# below) keeps its random draws.
rng_state = torch.get_rng_state()
cases.append(case(
    "conv2dPerAxis", nn.Conv2d(3, 4, (3, 2), stride=(2, 1), padding=(1, 2)), [torch.randn(2, 3, 7, 6)]))
torch.set_rng_state(rng_state)

OUT.write_text(json.dumps({"cases": cases}, separators=(",", ":")))
print(f"wrote {len(cases)} cases to {OUT} ({OUT.stat().st_size} bytes)")


# Losses and distributions: value and gradient with respect to every float input.
def scalar_case(name, f, inputs, labels=None):
    leaves = [x.clone().requires_grad_(True) for x in inputs]
    out = f(*leaves)
    seed = torch.rand_like(out) + 0.5
    grads = torch.autograd.grad((out * seed).sum(), leaves, allow_unused=True)
    grads = [g if g is not None else torch.zeros_like(x) for g, x in zip(grads, leaves)]
    return {
        "name": name,
        "inputs": [values(x) for x in inputs],
        "labels": labels or [],
        "output": values(out),
        "seed": values(seed),
        "gradients": [values(g) for g in grads],
    }


F = nn.functional
D = torch.distributions
pred, target = torch.randn(4, 3) * 2, torch.randn(4, 3)
logits = torch.randn(5, 4) * 2
labels = [0, 3, 1, 1, 2]
lab = torch.tensor(labels)
mu, log_std = torch.randn(3, 2), torch.randn(2) * 0.5
act = torch.randn(3, 2)
loss_cases = [
    scalar_case("mse", F.mse_loss, [pred, target]),
    scalar_case("huber", lambda a, b: F.huber_loss(a, b, delta=0.7), [pred, target]),
    scalar_case("smoothL1", lambda a, b: F.smooth_l1_loss(a, b, beta=0.5), [pred, target]),
    scalar_case("crossEntropy", lambda z: F.cross_entropy(z, lab), [logits], labels),
    scalar_case("crossEntropySmoothed", lambda z: F.cross_entropy(z, lab, label_smoothing=0.2), [logits], labels),
    scalar_case("nll", lambda z: F.nll_loss(F.log_softmax(z, dim=1), lab), [logits], labels),
    scalar_case("categoricalLogProb", lambda z: D.Categorical(logits=z).log_prob(lab), [logits], labels),
    scalar_case("categoricalEntropy", lambda z: D.Categorical(logits=z).entropy(), [logits]),
    scalar_case("gaussianLogProb", lambda m, s, a: D.Independent(D.Normal(m, s.exp()), 1).log_prob(a), [mu, log_std, act]),
    scalar_case("gaussianEntropy", lambda m, s: D.Independent(D.Normal(m, s.exp().expand_as(m)), 1).entropy(), [mu, log_std]),
]
LOSSES = OUT.with_name("torch-losses.json")
LOSSES.write_text(json.dumps({"cases": loss_cases}, separators=(",", ":")))
print(f"wrote {len(loss_cases)} cases to {LOSSES} ({LOSSES.stat().st_size} bytes)")
