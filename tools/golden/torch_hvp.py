"""Golden Hessian-vector products for worker/src/test/java/dptrain/worker/model/HessianVectorTest.java.

torch.autograd.functional.hvp of the summed loss, float64, for two small MLPs in dptrain's flat
layout (layer by layer: weight [in, out] row-major, then bias). Parameters are
0.5 sin(1.3 i + 0.2), the direction cos(0.7 i), inputs 0.8 sin(0.9 i + 0.1) and mse targets
0.5 + 0.4 cos(1.1 i), the inputs and targets rounded to float32 as dptrain's datasets hold them.

Usage (Debian: apt-get install -y python3-torch libopenblas0-pthread):
    /usr/bin/python3 tools/golden/torch_hvp.py
Prints each case's loss and H v, which the test holds.
"""
import math, torch, numpy as np
torch.set_default_dtype(torch.float64)
def f32(a): return torch.tensor(np.array(a, dtype=np.float32).astype(np.float64))
def case(widths, act, loss, n, labels=None):
    P = sum(widths[l]*widths[l+1] + widths[l+1] for l in range(len(widths)-1))
    theta = torch.tensor([0.5*math.sin(1.3*i+0.2) for i in range(P)])
    v = torch.tensor([math.cos(0.7*i) for i in range(P)])
    x = f32([0.8*math.sin(0.9*i+0.1) for i in range(n*widths[0])]).reshape(n, widths[0])
    k = widths[-1]
    if loss == 'mse':
        y = f32([0.5+0.4*math.cos(1.1*i) for i in range(n*k)]).reshape(n, k)
    def f(t):
        off = 0; h = x
        L = len(widths)-1
        for l in range(L):
            i, o = widths[l], widths[l+1]
            W = t[off:off+i*o].reshape(i, o); off += i*o
            b = t[off:off+o]; off += o
            h = h @ W + b
            if l < L-1:
                h = {'tanh': torch.tanh, 'softplus': torch.nn.functional.softplus, 'sigmoid': torch.sigmoid}[act](h)
        if loss == 'ce':
            return torch.nn.functional.cross_entropy(h, torch.tensor(labels), reduction='sum')
        return ((h - y)**2).mean(dim=1).sum()
    val, hv = torch.autograd.functional.hvp(f, theta, v)
    print(widths, act, loss, 'loss', repr(val.item()))
    print(', '.join(repr(x) for x in hv.tolist()))
case([3,4,3], 'tanh', 'ce', 5, [0,2,1,1,0])
case([2,5,2], 'softplus', 'mse', 4)
