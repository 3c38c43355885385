#!/usr/bin/python3
"""PyTorch's figures for the same measurements as `wiggle bench`, as JSON.

  torch_baseline.py gemm THREADS          sgemm 1024^3 GFLOP/s (median of five 0.2 s windows)
  torch_baseline.py act                   forward/backward ns per element, 1M floats, 1 thread
  torch_baseline.py scaling THREADS       784-h-h-10 training at h = 256…4096, batch 32…512
  torch_baseline.py mlp MNIST_DIR [THREADS]
                                          784-256-256-10 on MNIST, batch 128, SGD momentum,
                                          one epoch: samples/s and test accuracy, with
                                          THREADS intra-op threads (default 1)

Run with Debian's /usr/bin/python3 (python3-torch). For the MLP on two cores,
PyTorch's two good settings are OPENBLAS_NUM_THREADS=2 with one intra-op
thread and OPENBLAS_NUM_THREADS=1 with two (both at once oversubscribe the
cores); bench/compare.sh runs both and keeps the faster.
"""
import gzip
import json
import statistics
import struct
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F


def timed(f, reps):
    f()
    times = []
    for _ in range(reps):
        start = time.perf_counter()
        f()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def windowed(f, windows=5, seconds=0.2):
    """The median over windows of at least seconds each of f's time per
    call: the estimator of wiggle bench's GEMM (perf.median), so that a
    burst of load weighs the same on both sides."""
    f()
    per = []
    for _ in range(windows):
        start, calls = time.perf_counter(), 0
        while calls == 0 or time.perf_counter() - start < seconds:
            f()
            calls += 1
        per.append((time.perf_counter() - start) / calls)
    return statistics.median(per)


def gemm(threads):
    torch.set_num_threads(threads)
    a, b = torch.randn(1024, 1024), torch.randn(1024, 1024)
    t = windowed(lambda: torch.mm(a, b.t()))
    return {"threads": threads, "gflops": 2 * 1024 ** 3 / t / 1e9}


# PyTorch's form of each activation of wiggle's catalogue, at its default
# parameters. identity has none that computes: nn.Identity returns its
# input. step is torch.heaviside, which has no backward pass; prelu's
# backward pass also sums the weight's gradient, which wiggle's act.Func
# leaves to nn.PReLU: both are timed forward only ("backward_ns": null).
PRELU_WEIGHT, STEP_AT_ZERO = torch.tensor([0.25]), torch.tensor(1.0)
ACTS = {"relu": F.relu, "leaky_relu": F.leaky_relu, "sigmoid": torch.sigmoid, "tanh": torch.tanh,
        "elu": F.elu, "gelu": F.gelu, "silu": F.silu, "softplus": F.softplus, "mish": F.mish,
        "selu": F.selu, "celu": F.celu, "gelu_tanh": lambda x: F.gelu(x, approximate="tanh"),
        "hardtanh": F.hardtanh, "relu6": F.relu6, "hardsigmoid": F.hardsigmoid, "hardswish": F.hardswish,
        "softsign": F.softsign, "logsigmoid": F.logsigmoid,
        "step": lambda x: torch.heaviside(x, STEP_AT_ZERO), "prelu": lambda x: F.prelu(x, PRELU_WEIGHT)}
FORWARD_ONLY = {"step", "prelu"}


def act():
    torch.set_num_threads(1)
    n = 1 << 20
    x = torch.rand(n) * 16 - 8
    g = torch.ones(n)
    out = []
    for name, f in ACTS.items():
        fwd = timed(lambda: f(x), 25)
        bwd = None
        if name not in FORWARD_ONLY:
            xr = x.clone().requires_grad_(True)
            y = f(xr)
            bwd = timed(lambda: torch.autograd.grad(y, xr, g, retain_graph=True), 25) / n * 1e9
        out.append({"name": name, "forward_ns": fwd / n * 1e9, "backward_ns": bwd})
    return out


def idx(path):
    with gzip.open(path, "rb") as f:
        raw = f.read()
    dims = struct.unpack(">" + "I" * raw[3], raw[4:4 + 4 * raw[3]])
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * raw[3]).reshape(dims)


def mlp(mnist, threads):
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    xtr = torch.tensor(idx(f"{mnist}/train-images-idx3-ubyte.gz").reshape(-1, 784), dtype=torch.float32) / 255
    ytr = torch.tensor(idx(f"{mnist}/train-labels-idx1-ubyte.gz"), dtype=torch.long)
    xte = torch.tensor(idx(f"{mnist}/t10k-images-idx3-ubyte.gz").reshape(-1, 784), dtype=torch.float32) / 255
    yte = torch.tensor(idx(f"{mnist}/t10k-labels-idx1-ubyte.gz"), dtype=torch.long)
    model = torch.nn.Sequential(torch.nn.Linear(784, 256), torch.nn.ReLU(), torch.nn.Linear(256, 256),
                                torch.nn.ReLU(), torch.nn.Linear(256, 10))
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    loss = torch.nn.CrossEntropyLoss()
    start = time.perf_counter()
    perm = torch.randperm(60000)
    for i in range(0, 60000, 128):
        rows = perm[i:i + 128]
        opt.zero_grad(set_to_none=True)
        loss(model(xtr[rows]), ytr[rows]).backward()
        opt.step()
    seconds = time.perf_counter() - start
    with torch.no_grad():
        acc = (model(xte).argmax(1) == yte).float().mean().item()
    return {"samples_per_second": 60000 / seconds, "test_accuracy": acc, "threads": threads}


HIDDEN = (256, 1024, 2048, 4096)
BATCHES = (32, 128, 512)


def scaling(threads):
    """Training steps of 784-h-h-10 (relu, SGD momentum) on random
    MNIST-shaped data at each size of wiggle bench --scaling: samples/s,
    the median of three windows of at least 0.4 s."""
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    out = []
    for h in HIDDEN:
        for b in BATCHES:
            model = torch.nn.Sequential(torch.nn.Linear(784, h), torch.nn.ReLU(), torch.nn.Linear(h, h),
                                        torch.nn.ReLU(), torch.nn.Linear(h, 10))
            opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
            loss = torch.nn.CrossEntropyLoss()
            x, y = torch.rand(2 * b, 784), torch.randint(0, 10, (2 * b,))

            def step(i):
                rows = slice((i % 2) * b, (i % 2 + 1) * b)
                opt.zero_grad(set_to_none=True)
                loss(model(x[rows]), y[rows]).backward()
                opt.step()

            step(0)
            windows = []
            for _ in range(3):
                start, steps = time.perf_counter(), 0
                while steps == 0 or time.perf_counter() - start < 0.4:
                    step(steps)
                    steps += 1
                windows.append(steps * b / (time.perf_counter() - start))
            out.append({"hidden": h, "batch": b, "threads": threads, "samples_per_second": statistics.median(windows)})
    return out


if __name__ == "__main__":
    what = sys.argv[1] if len(sys.argv) > 1 else ""
    if what == "gemm":
        print(json.dumps(gemm(int(sys.argv[2]))))
    elif what == "act":
        print(json.dumps(act()))
    elif what == "scaling":
        print(json.dumps(scaling(int(sys.argv[2]))))
    elif what == "mlp":
        print(json.dumps(mlp(sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 1)))
    else:
        sys.exit(__doc__)
