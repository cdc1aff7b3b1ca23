"""Reference trajectories from torch.optim, for dptrain's golden tests.

Trains a small MLP (4-5-3, tanh, cross-entropy, full batch, no shuffling) on fixed data with
each optimizer setting below and saves the parameters after STEPS steps in dptrain's flat
layout (layer by layer: weight [in, out] row-major, then bias).

Usage (Debian: apt-get install -y python3-torch libopenblas0-pthread):
    /usr/bin/python3 tools/golden/torch_optim_trajectories.py deploy/src/test/resources/golden/torch
Writes data.csv, init.npy and one <name>.npy per setting into that folder.
"""
import os, sys
import numpy as np
import torch

STEPS = 100
SETTINGS = {
    "sgd": ("sgd", dict(lr=0.1)),
    "sgd-momentum-dampening-wd": ("sgd", dict(lr=0.05, momentum=0.9, dampening=0.3, weight_decay=0.01)),
    "sgd-nesterov": ("sgd", dict(lr=0.05, momentum=0.8, nesterov=True)),
    "adam": ("adam", dict(lr=0.01)),
    "adam-wd-betas": ("adam", dict(lr=0.003, betas=(0.5, 0.9), eps=1e-3, weight_decay=0.1)),
}


def flat(model):
    parts = []
    for layer in (model[0], model[2]):
        parts.append(layer.weight.detach().numpy().T.reshape(-1))  # torch keeps [out, in]
        parts.append(layer.bias.detach().numpy())
    return np.concatenate(parts).astype(np.float32)


def main(out):
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(42)
    x = rng.uniform(-1, 1, size=(32, 4)).astype(np.float32)
    y = rng.integers(0, 3, size=32)
    np.savetxt(os.path.join(out, "data.csv"), np.column_stack([x, y]), delimiter=",",
               fmt=["%.9g"] * 4 + ["%d"], header="x0,x1,x2,x3,label", comments="")
    torch.manual_seed(0)
    init = torch.nn.Sequential(torch.nn.Linear(4, 5), torch.nn.Tanh(), torch.nn.Linear(5, 3))
    np.save(os.path.join(out, "init.npy"), flat(init))
    xs, ys = torch.from_numpy(x), torch.from_numpy(y)
    for name, (kind, options) in SETTINGS.items():
        model = torch.nn.Sequential(torch.nn.Linear(4, 5), torch.nn.Tanh(), torch.nn.Linear(5, 3))
        model.load_state_dict(init.state_dict())
        optimizer = (torch.optim.SGD if kind == "sgd" else torch.optim.Adam)(model.parameters(), **options)
        for _ in range(STEPS):
            optimizer.zero_grad()
            torch.nn.functional.cross_entropy(model(xs), ys).backward()
            optimizer.step()
        np.save(os.path.join(out, name + ".npy"), flat(model))
        print(name, "done")


if __name__ == "__main__":
    main(sys.argv[1])
