# How long does a freshly initialised ncps 1.0.1 LTC remember a cue, next to a CfC?
# Feeds two sequences that differ only in a one-hot cue at step 0, followed by blank steps
# (Δt = 1, LTC ode_unfolds 6, ncps defaults), and prints the distance between their outputs per
# step. Used by Experiments/memory-probe-ppo/README.md to explain why LTC policies need a larger
# learning rate. Rerun: OMP_NUM_THREADS=1 python3 Scripts/ltc-memory-horizon.py (about 2 s; needs
# torch and ncps, not needed by CI).
import torch
import ncps.torch as nt

torch.manual_seed(0)
for name, model in [("LTC(3,32)", nt.LTC(3, 32, batch_first=True)), ("CfC(3,32)", nt.CfC(3, 32, batch_first=True))]:
    x = torch.zeros(2, 5, 3)
    x[0, 0, 0] = 1
    x[1, 0, 1] = 1
    with torch.no_grad():
        y, _ = model(x)
    d = (y[0] - y[1]).norm(dim=-1)
    print(name, "output distance per step:", " ".join(f"{v:.2e}" for v in d.tolist()))
