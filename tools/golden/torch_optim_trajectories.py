"""Reference trajectories for dptrain's golden tests.

Trains a small MLP (4-5-3, tanh, cross-entropy, full batch, no shuffling) on fixed data with
every optimizer setting below, in float64 and in float32, and saves the parameters after the
run in dptrain's flat layout (layer by layer: weight [in, out] row-major, then bias).

Methods torch.optim has are run with torch.optim itself (and torch.optim.lr_scheduler,
torch.nn.utils.clip_grad_*_ for schedules and clipping). Methods it lacks (the textbook
momentum and look-ahead Nesterov methods, RMSProp with Nesterov momentum) are run by the short
reference implementations of the lecture's algorithms below, written for this script alone;
their gradients still come from torch.autograd.

Usage (Debian: apt-get install -y python3-torch libopenblas0-pthread):
    /usr/bin/python3 tools/golden/torch_optim_trajectories.py deploy/src/test/resources/golden/torch
Writes data.csv, init.npy, cases.tsv (name and dptrain flags per case) and
<name>-float64.npy / <name>-float32.npy into that folder.
"""
import math
import os
import sys

import numpy as np
import torch

STEPS = 100


def torch_opt(cls, **options):
    return lambda params: cls(params, **options)


# name -> (dptrain flags, how to build the torch run). A run is a dict with:
#   "optimizer": params -> torch optimizer, or "reference": the name of a lecture algorithm below
#   "scheduler": optimizer -> torch lr scheduler (stepped once per step)
#   "l1"/"l2": penalties on the weights (not the biases) added to the loss; "decoupled": decay
#   "clip_value" / "clip_norm": torch.nn.utils.clip_grad_value_ / clip_grad_norm_
CASES = {
    "sgd": ("optimizer=sgd lr=0.1", dict(optimizer=torch_opt(torch.optim.SGD, lr=0.1))),
    "sgd-momentum-dampening-wd": ("optimizer=sgd lr=0.05 momentum=0.9 dampening=0.3 weight-decay=0.01",
                                  dict(optimizer=torch_opt(torch.optim.SGD, lr=0.05, momentum=0.9, dampening=0.3,
                                                           weight_decay=0.01))),
    "sgd-nesterov": ("optimizer=sgd lr=0.05 momentum=0.8 nesterov=true",
                     dict(optimizer=torch_opt(torch.optim.SGD, lr=0.05, momentum=0.8, nesterov=True))),
    "adagrad": ("optimizer=adagrad lr=0.1 lr-decay=0.01 weight-decay=0.01 initial-accumulator-value=0.1",
                dict(optimizer=torch_opt(torch.optim.Adagrad, lr=0.1, lr_decay=0.01, weight_decay=0.01,
                                         initial_accumulator_value=0.1))),
    "rmsprop": ("optimizer=rmsprop lr=0.01", dict(optimizer=torch_opt(torch.optim.RMSprop, lr=0.01))),
    # Full batch makes the centered variance r - m^2 nearly 0, so with a tiny eps the run is
    # ill-conditioned: torch's own float32 and float64 runs differ by 3e-3. eps 0.01 keeps it
    # well-conditioned (2.5e-7), so the comparison tests the method, not the rounding.
    "rmsprop-centered-momentum-wd": ("optimizer=rmsprop lr=0.005 alpha=0.9 momentum=0.5 centered=true weight-decay=0.01 eps=0.01",
                                     dict(optimizer=torch_opt(torch.optim.RMSprop, lr=0.005, alpha=0.9, momentum=0.5,
                                                              centered=True, weight_decay=0.01, eps=0.01))),
    "adam": ("optimizer=adam lr=0.01", dict(optimizer=torch_opt(torch.optim.Adam, lr=0.01))),
    "adam-wd-betas": ("optimizer=adam lr=0.003 betas=0.5,0.9 eps=0.001 weight-decay=0.1",
                      dict(optimizer=torch_opt(torch.optim.Adam, lr=0.003, betas=(0.5, 0.9), eps=1e-3,
                                               weight_decay=0.1))),
    "adam-amsgrad": ("optimizer=adam lr=0.01 amsgrad=true",
                     dict(optimizer=torch_opt(torch.optim.Adam, lr=0.01, amsgrad=True))),
    "adamw": ("optimizer=adamw lr=0.01 weight-decay=0.1",
              dict(optimizer=torch_opt(torch.optim.AdamW, lr=0.01, weight_decay=0.1))),
    "adamw-amsgrad": ("optimizer=adamw lr=0.01 amsgrad=true",
                      dict(optimizer=torch_opt(torch.optim.AdamW, lr=0.01, amsgrad=True))),
    "adamax": ("optimizer=adamax lr=0.01 weight-decay=0.01",
               dict(optimizer=torch_opt(torch.optim.Adamax, lr=0.01, weight_decay=0.01))),
    "nadam": ("optimizer=nadam lr=0.01", dict(optimizer=torch_opt(torch.optim.NAdam, lr=0.01))),
    "nadam-decay-wd": ("optimizer=nadam lr=0.005 momentum-decay=0.01 weight-decay=0.01 betas=0.8,0.99",
                       dict(optimizer=torch_opt(torch.optim.NAdam, lr=0.005, momentum_decay=0.01, weight_decay=0.01,
                                                betas=(0.8, 0.99)))),
    "adadelta": ("optimizer=adadelta", dict(optimizer=torch_opt(torch.optim.Adadelta))),
    "adadelta-rho-eps-wd": ("optimizer=adadelta lr=0.5 rho=0.8 eps=0.00001 weight-decay=0.01",
                            dict(optimizer=torch_opt(torch.optim.Adadelta, lr=0.5, rho=0.8, eps=1e-5,
                                                     weight_decay=0.01))),
    # Methods torch.optim lacks: the lecture's algorithms, implemented below.
    "momentum": ("optimizer=momentum lr=0.05 momentum=0.6", dict(reference="momentum", lr=0.05, momentum=0.6)),
    "nesterov": ("optimizer=nesterov lr=0.05 momentum=0.8", dict(reference="nesterov", lr=0.05, momentum=0.8)),
    # With delta = 1e-6, a 1e-15 change of the start moves the reference itself by 2.5e-8 after
    # 100 steps (g / sqrt(delta + r) amplifies tiny gradients); delta = 1e-3 is well-conditioned.
    "rmsprop-nesterov": ("optimizer=rmsprop-nesterov lr=0.005 alpha=0.9 momentum=0.5 eps=0.001",
                         dict(reference="rmsprop-nesterov", lr=0.005, alpha=0.9, momentum=0.5, eps=1e-3)),
    # Penalties and gradient handling.
    "l1-l2-weights-only": ("optimizer=sgd lr=0.1 l1=0.001 l2=0.01",
                           dict(optimizer=torch_opt(torch.optim.SGD, lr=0.1), l1=[0.001, 0.001], l2=[0.01, 0.01])),
    "l2-per-layer": ("optimizer=sgd lr=0.1 l2=0.05,0", dict(optimizer=torch_opt(torch.optim.SGD, lr=0.1), l2=[0.05, 0])),
    "decoupled-decay": ("optimizer=sgd lr=0.1 momentum=0.5 decoupled-decay=0.2",
                        dict(optimizer=torch_opt(torch.optim.SGD, lr=0.1, momentum=0.5), decoupled=0.2)),
    "clip-value": ("optimizer=sgd lr=0.5 clip-value=0.05",
                   dict(optimizer=torch_opt(torch.optim.SGD, lr=0.5), clip_value=0.05)),
    "clip-norm": ("optimizer=adam lr=0.02 clip-norm=0.1",
                  dict(optimizer=torch_opt(torch.optim.Adam, lr=0.02), clip_norm=0.1)),
    # Learning-rate schedules, one step of the scheduler per training step.
    "schedule-step": ("optimizer=sgd lr=0.2 schedule=step:every=30,gamma=0.5",
                      dict(optimizer=torch_opt(torch.optim.SGD, lr=0.2),
                           scheduler=lambda o: torch.optim.lr_scheduler.StepLR(o, step_size=30, gamma=0.5))),
    "schedule-exponential": ("optimizer=sgd lr=0.2 schedule=exponential:gamma=0.98",
                             dict(optimizer=torch_opt(torch.optim.SGD, lr=0.2),
                                  scheduler=lambda o: torch.optim.lr_scheduler.ExponentialLR(o, gamma=0.98))),
    "schedule-cosine": ("optimizer=adam lr=0.02 schedule=cosine:period=100,min=0.001",
                        dict(optimizer=torch_opt(torch.optim.Adam, lr=0.02),
                             scheduler=lambda o: torch.optim.lr_scheduler.CosineAnnealingLR(o, T_max=100, eta_min=0.001))),
    "schedule-one-cycle": ("optimizer=sgd lr=0.3 momentum=0.5 schedule=one-cycle",
                           dict(optimizer=torch_opt(torch.optim.SGD, lr=0.3, momentum=0.5),
                                scheduler=lambda o: torch.optim.lr_scheduler.OneCycleLR(
                                    o, max_lr=0.3, total_steps=STEPS, cycle_momentum=False))),
    "schedule-sgdr": ("optimizer=sgd lr=0.2 schedule=sgdr:period=20,mult=2,min=0.001",
                      dict(optimizer=torch_opt(torch.optim.SGD, lr=0.2),
                           scheduler=lambda o: torch.optim.lr_scheduler.CosineAnnealingWarmRestarts(
                               o, T_0=20, T_mult=2, eta_min=0.001))),
    "schedule-linear": ("optimizer=sgd lr=0.2 schedule=linear:tau=50,final=0.02",
                        dict(optimizer=torch_opt(torch.optim.SGD, lr=0.2),
                             scheduler=lambda o: torch.optim.lr_scheduler.LambdaLR(
                                 o, lambda k: (1 - k / 50) + (k / 50) * 0.1 if k < 50 else 0.1))),
    "schedule-warmup-cosine": ("optimizer=adam lr=0.02 warmup=10 schedule=cosine",
                               dict(optimizer=torch_opt(torch.optim.Adam, lr=0.02),
                                    scheduler=lambda o: torch.optim.lr_scheduler.LambdaLR(
                                        o, lambda k: (k + 1) / 10 if k < 10
                                        else (1 + math.cos(math.pi * (k - 10) / 90)) / 2))),
    # Full-batch methods: torch.optim.LBFGS with the strong-Wolfe line search (one step() call
    # of 40 iterations), and nonlinear CG (Polak-Ribiere+, restarts), which torch lacks: the
    # reference below, using torch's own strong-Wolfe line search.
    "lbfgs": ("optimizer=lbfgs steps=40", dict(full_batch="lbfgs", lr=1.0, history_size=100, iterations=40)),
    "lbfgs-history-5": ("optimizer=lbfgs lr=0.5 history-size=5 steps=40",
                        dict(full_batch="lbfgs", lr=0.5, history_size=5, iterations=40)),
    "cg": ("optimizer=cg steps=40", dict(full_batch="cg", lr=1.0, iterations=40)),
    "lr-scaling-rule": ("optimizer=sgd lr=0.4 lr-scaling-base=128",
                        dict(optimizer=torch_opt(torch.optim.SGD, lr=0.4 * 32 / 128))),
}


def flat(model):
    parts = []
    for layer in (model[0], model[2]):
        parts.append(layer.weight.detach().numpy().T.reshape(-1))  # torch keeps [out, in]
        parts.append(layer.bias.detach().numpy())
    return np.concatenate(parts)


def network(init, dtype):
    model = torch.nn.Sequential(torch.nn.Linear(4, 5), torch.nn.Tanh(), torch.nn.Linear(5, 3))
    model.load_state_dict(init.state_dict())
    return model.to(dtype)


def loss_of(model, xs, ys, run):
    loss = torch.nn.functional.cross_entropy(model(xs), ys)
    for layer, l1, l2 in zip((model[0], model[2]), run.get("l1", [0, 0]), run.get("l2", [0, 0])):
        loss = loss + 0.5 * l2 * (layer.weight ** 2).sum() + l1 * layer.weight.abs().sum()
    return loss


def train_torch(model, xs, ys, run):
    optimizer = run["optimizer"](model.parameters())
    scheduler = run["scheduler"](optimizer) if "scheduler" in run else None
    for _ in range(STEPS):
        optimizer.zero_grad()
        loss_of(model, xs, ys, run).backward()
        if "clip_value" in run:
            torch.nn.utils.clip_grad_value_(model.parameters(), run["clip_value"])
        if "clip_norm" in run:
            torch.nn.utils.clip_grad_norm_(model.parameters(), run["clip_norm"])
        if "decoupled" in run:
            with torch.no_grad():
                lr = optimizer.param_groups[0]["lr"]
                for layer in (model[0], model[2]):
                    layer.weight.mul_(1 - lr * run["decoupled"])
        optimizer.step()
        if scheduler is not None:
            scheduler.step()


def train_reference(model, xs, ys, run):
    """The lecture's algorithms (Goodfellow et al. 8.2, 8.3, 8.6), one parameter tensor at a time."""
    params = list(model.parameters())
    lr, a = run["lr"], run["momentum"]
    v = [torch.zeros_like(p) for p in params]
    r = [torch.zeros_like(p) for p in params]
    for _ in range(STEPS):
        looks_ahead = run["reference"] in ("nesterov", "rmsprop-nesterov")
        with torch.no_grad():
            theta = [p.clone() for p in params]
            if looks_ahead:  # evaluate the gradient at the interim point theta + a v
                for p, vi in zip(params, v):
                    p.add_(a * vi)
        model.zero_grad()
        loss_of(model, xs, ys, run).backward()
        with torch.no_grad():
            for i, p in enumerate(params):
                g = p.grad.clone()
                if run["reference"] == "rmsprop-nesterov":
                    r[i] = run["alpha"] * r[i] + (1 - run["alpha"]) * g * g
                    v[i] = a * v[i] - lr * g / torch.sqrt(run["eps"] + r[i])
                else:
                    v[i] = a * v[i] - lr * g
                p.copy_(theta[i] + v[i])


def train_full_batch(model, xs, ys, run):
    params = list(model.parameters())

    def closure():
        model.zero_grad()
        loss = loss_of(model, xs, ys, run)
        loss.backward()
        return loss

    if run["full_batch"] == "lbfgs":
        optimizer = torch.optim.LBFGS(params, lr=run["lr"], max_iter=run["iterations"],
                                      history_size=run["history_size"], line_search_fn="strong_wolfe")
        optimizer.step(closure)
    else:
        conjugate_gradient(params, closure, run["lr"], run["iterations"])


def conjugate_gradient(params, closure, lr, iterations, tolerance_grad=1e-7, tolerance_change=1e-9):
    """Polak-Ribiere+ nonlinear CG (Nocedal and Wright 5.2) with torch's strong-Wolfe line search, c2 = 0.1."""
    from torch.optim.lbfgs import _strong_wolfe
    vec = torch.nn.utils.parameters_to_vector

    def evaluate(x, t, d):
        torch.nn.utils.vector_to_parameters(x + t * d, params)
        loss = float(closure())
        return loss, vec([p.grad for p in params]).clone()

    x = vec(params).detach().clone()
    loss, g = evaluate(x, 0.0, torch.zeros_like(x))
    if g.abs().max() <= tolerance_grad:
        return
    d = -g
    t = min(1.0, 1.0 / float(g.abs().sum())) * lr
    previous_gtd = 0.0
    for n in range(1, iterations + 1):
        gtd = float(g.dot(d))
        if gtd >= 0:
            d = -g
            gtd = float(g.dot(d))
        if gtd > -tolerance_change:
            break
        if n > 1:
            t = t * previous_gtd / gtd
        previous_loss = loss
        loss, g_new, t, _ = _strong_wolfe(evaluate, x, t, d, loss, g, torch.tensor(gtd, dtype=x.dtype), c2=0.1)
        loss = float(loss)
        x = x + t * d
        previous_g, g = g, g_new
        previous_gtd = gtd
        if (n == iterations or g.abs().max() <= tolerance_grad or abs(t) * d.abs().max() <= tolerance_change
                or abs(loss - previous_loss) < tolerance_change):
            break
        beta = 0.0 if n % x.numel() == 0 else max(0.0, float((g.dot(g) - g.dot(previous_g)) / previous_g.dot(previous_g)))
        d = -g + beta * d
    torch.nn.utils.vector_to_parameters(x, params)


def main(out):
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(42)
    x = rng.uniform(-1, 1, size=(32, 4)).astype(np.float32)
    y = rng.integers(0, 3, size=32)
    # Each float32 value as the shortest decimal that is exactly it as a double: a float32 run
    # reads the float32, a float64 run (dptrain keeps a CSV at the job's precision) the same
    # value widened, as torch's float64 run below uses it.
    with open(os.path.join(out, "data.csv"), "w") as f:
        f.write("x0,x1,x2,x3,label\n")
        for row, label in zip(x, y):
            f.write(",".join(repr(float(v)) for v in row) + ",%d\n" % label)
    torch.manual_seed(0)
    init = torch.nn.Sequential(torch.nn.Linear(4, 5), torch.nn.Tanh(), torch.nn.Linear(5, 3))
    np.save(os.path.join(out, "init.npy"), flat(init).astype(np.float32))
    with open(os.path.join(out, "cases.tsv"), "w") as cases:
        for name, (flags, run) in CASES.items():
            cases.write(name + "\t" + flags + "\n")
            # The full-batch methods are compared in float64 only: dptrain runs their direction and
            # line search in double whatever --dtype says, torch in the tensors' precision, and in
            # float32 the line search's knife-edge tests (Armijo, loss changes of 1e-9) branch apart.
            dtypes = ((torch.float64, "float64"),) if "full_batch" in run else (
                (torch.float64, "float64"), (torch.float32, "float32"))
            for dtype, suffix in dtypes:
                model = network(init, dtype)
                xs, ys = torch.from_numpy(x).to(dtype), torch.from_numpy(y)
                if "full_batch" in run:
                    train_full_batch(model, xs, ys, run)
                elif "reference" in run:
                    train_reference(model, xs, ys, run)
                else:
                    train_torch(model, xs, ys, run)
                np.save(os.path.join(out, name + "-" + suffix + ".npy"), flat(model))
            print(name, "done")


if __name__ == "__main__":
    main(sys.argv[1])
