"""PyTorch peer: the bench's workloads in PyTorch, timed like bench/lib/timing.js, served a batch at a time.

Usage: python3 torch_bench.py THREADS SHAPES_JSON  -> one JSON line {"version", "threads"}, then answers lines
read from stdin until it closes (bench/lib/server.js): "prepare WORKLOAD" (sgemm/KEY, add4, mlp-small, mlp,
conv-fwd, conv-fwdbwd, lenet: set up and warm up; answers "ready") and "batch" (times one batch of calls of
the prepared workload; answers the seconds per call). SHAPES_JSON is the list of sgemm shapes
from bench/workloads/sgemm.js ({key, M, N, K, ta, tb, out?}; out: into a given tensor).
"""
import json
import sys
import time

import torch


class Timer:
    """A warmed-up fn whose batches are timed one at a time (bench/lib/timing.js's prepare)."""

    def __init__(self, fn, warmup_s=0.15, batch_s=0.06):
        calls, t0 = 0, time.perf_counter()
        while calls < 2 or time.perf_counter() - t0 < warmup_s:
            fn()
            calls += 1
        self.fn, self.per_call = fn, (time.perf_counter() - t0) / calls
        self.size = max(1, int(batch_s / self.per_call + 0.999))

    def batch(self):
        """Seconds per call over one batch."""
        s = time.perf_counter()
        for _ in range(self.size):
            self.fn()
        return (time.perf_counter() - s) / self.size


def sgemm(s):
    a = torch.randn(s["K"], s["M"]).t() if s["ta"] else torch.randn(s["M"], s["K"])
    b = torch.randn(s["N"], s["K"]).t() if s["tb"] else torch.randn(s["K"], s["N"])
    if s.get("out"):
        out = torch.empty(s["M"], s["N"])
        return Timer(lambda: torch.matmul(a, b, out=out))
    return Timer(lambda: torch.matmul(a, b))


def tiny_add():
    a, b = torch.tensor([1.0, 2, 3, 4]), torch.tensor([5.0, 6, 7, 8])
    return Timer(lambda: torch.add(a, b), batch_s=0.1)


def module_step(sizes, act, loss_fn, x, target, lr=0.01):
    """nn.Module + optim.SGD: the idiomatic PyTorch training step."""
    layers = []
    for i in range(len(sizes) - 1):
        layers.append(torch.nn.Linear(sizes[i], sizes[i + 1]))
        if i + 2 < len(sizes):
            layers.append(act())
    model = torch.nn.Sequential(*layers)
    opt = torch.optim.SGD(model.parameters(), lr=lr)

    def step():
        opt.zero_grad()
        loss_fn(model(x), target).backward()
        opt.step()
    return step


def raw_step(sizes, act, loss_fn, x, target, lr=0.01):
    """Raw tensors: x @ W.t() + b, manual in-place SGD update (PyTorch's fastest style for tiny models)."""
    params = []
    for i in range(len(sizes) - 1):
        bound = 1 / sizes[i] ** 0.5
        params += [(torch.rand(sizes[i + 1], sizes[i]) * 2 - 1).mul_(bound).requires_grad_(),
                   (torch.rand(sizes[i + 1]) * 2 - 1).mul_(bound).requires_grad_()]

    def step():
        h = x
        for i in range(0, len(params), 2):
            h = h @ params[i].t() + params[i + 1]
            if i + 2 < len(params):
                h = act()(h)
        for p in params:
            p.grad = None
        loss_fn(h, target).backward()
        with torch.no_grad():
            for p in params:
                p.sub_(p.grad, alpha=lr)
    return step


def small_mlp():
    """PyTorch's faster style for this model: nn.Module or raw tensors, judged by the warm-up."""
    x, y = torch.randn(32, 2), torch.randn(32, 1)
    mse = torch.nn.functional.mse_loss
    return min((Timer(make([2, 16, 16, 1], torch.nn.Tanh, mse, x, y), batch_s=0.1) for make in (module_step, raw_step)),
               key=lambda t: t.per_call)


def mlp():
    x, y = torch.randn(128, 784), torch.randint(0, 10, (128,))
    return Timer(module_step([784, 512, 256, 10], torch.nn.ReLU, torch.nn.functional.cross_entropy, x, y),
                 batch_s=0.1)


def conv(backward):
    """3x3 conv 64->64, 32x32, pad 1, batch 32: forward (no grad), or forward+backward (input and weight grads)."""
    layer = torch.nn.Conv2d(64, 64, 3, padding=1)
    x = torch.randn(32, 64, 32, 32)
    xg = x.clone().requires_grad_()
    g = torch.randn(32, 64, 32, 32)

    def forward():
        with torch.no_grad():
            layer(x)

    def forward_backward():
        layer.zero_grad()
        xg.grad = None
        layer(xg).backward(g)
    return Timer(forward_backward if backward else forward, batch_s=0.1)


def lenet():
    """LeNet-5, batch 64, cross-entropy, SGD: the idiomatic nn.Module step."""
    nn = torch.nn
    model = nn.Sequential(nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
                          nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                          nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10))
    opt = torch.optim.SGD(model.parameters(), lr=0.01)
    x, y = torch.rand(64, 1, 28, 28), torch.randint(0, 10, (64,))

    def step():
        opt.zero_grad()
        torch.nn.functional.cross_entropy(model(x), y).backward()
        opt.step()
    return Timer(step, batch_s=0.1)


def main():
    threads, shapes = int(sys.argv[1]), json.loads(sys.argv[2])
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    jobs = {f"sgemm/{s['key']}": (lambda s=s: sgemm(s)) for s in shapes}
    jobs.update({"add4": tiny_add, "mlp-small": small_mlp, "mlp": mlp, "conv-fwd": lambda: conv(False),
                 "conv-fwdbwd": lambda: conv(True), "lenet": lenet})
    print(json.dumps({"version": torch.__version__, "threads": torch.get_num_threads()}), flush=True)
    timer = None
    for line in sys.stdin:
        request = line.split()
        if request[:1] == ["prepare"] and len(request) == 2 and request[1] in jobs:
            timer = jobs[request[1]]()
            print("ready", flush=True)
        elif request == ["batch"] and timer:
            print(f"{timer.batch():.9g}", flush=True)
        else:
            print(f"error: expected 'prepare <workload>' or 'batch' after it, got {line.strip()!r}", flush=True)


if __name__ == "__main__":
    main()
