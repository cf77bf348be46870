"""PyTorch side of bench/process/rows.js: the same process-level measurements as tg-child.js.

Usage: python3 torch_child.py TASK [ARG] [THREADS] -> one JSON line. Tasks: matmul-loop kept THREADS,
mlp-small-cold, mlp-rss, kept-scalars tensor|item.
"""
import gc
import json
import sys
import time

import torch


def small_model():
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(2, 16), torch.nn.Tanh(), torch.nn.Linear(16, 16), torch.nn.Tanh(),
                                torch.nn.Linear(16, 1))
    opt = torch.optim.SGD(model.parameters(), lr=0.01)
    x, y = torch.randn(32, 2), torch.randn(32, 1)

    def step():
        opt.zero_grad()
        loss = torch.nn.functional.mse_loss(model(x), y)
        loss.backward()
        opt.step()
        return loss
    return step


def rss_bytes():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4096


def main():
    task = sys.argv[1]
    arg = sys.argv[2] if len(sys.argv) > 2 else ""
    torch.set_num_threads(int(sys.argv[3]) if len(sys.argv) > 3 else 1)
    if task == "matmul-loop":
        a, b = torch.randn(1024, 1024), torch.randn(1024, 1024)
        t0 = time.perf_counter()
        for _ in range(21):
            c = a @ b
        print(json.dumps({"gflops": 2 * 1024 ** 3 * 21 / (time.perf_counter() - t0) / 1e9}))
    elif task == "mlp-small-cold":
        step = small_model()
        t = []
        for _ in range(500):
            s = time.perf_counter()
            step()
            t.append(time.perf_counter() - s)
        for _ in range(2500):
            step()
        s = time.perf_counter()
        for _ in range(500):
            step()
        steady = (time.perf_counter() - s) / 500 * 1e6
        print(json.dumps({"first100": sum(t[:100]) / 100 * 1e6, "from100": sum(t[100:]) / 400 * 1e6, "steady": steady}))
    elif task == "mlp-rss":
        torch.manual_seed(0)
        sizes = [784, 512, 256, 10]
        layers = []
        for i in range(3):
            layers.append(torch.nn.Linear(sizes[i], sizes[i + 1]))
            if i < 2:
                layers.append(torch.nn.ReLU())
        model = torch.nn.Sequential(*layers)
        opt = torch.optim.SGD(model.parameters(), lr=0.01)
        x, y = torch.randn(128, 784), torch.randint(0, 10, (128,))
        for _ in range(200):
            opt.zero_grad()
            torch.nn.functional.cross_entropy(model(x), y).backward()
            opt.step()
        print(json.dumps({"steps": 200}))
    elif task == "kept-scalars":
        step = small_model()
        for _ in range(100):
            step()
        gc.collect()
        before = rss_bytes()
        kept = []
        for _ in range(20000):
            loss = step()
            kept.append(loss.item() if arg == "item" else loss)
        gc.collect()
        print(json.dumps({"rss": rss_bytes() - before, "kept": len(kept)}))


main()
