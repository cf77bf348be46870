"""PyTorch peer of bench/lines.js: the line reductions, sorts and scans, timed like bench/lib/timing.js.

Usage: python3 torch_lines.py THREADS ROWS COLS  -> one JSON line {"info": ..., "results": {key: seconds}}.
"""
import json
import statistics
import sys
import timeit

import torch


def median_seconds(fn, reps=7):
    """Median seconds per call over reps batches, each sized to about 0.2 s by timeit's autorange."""
    timer = timeit.Timer(fn)
    n, _ = timer.autorange()
    return statistics.median(t / n for t in timer.repeat(reps, n))

threads, rows, cols = (int(a) for a in sys.argv[1:4])
torch.set_num_threads(threads)
torch.manual_seed(0)
x = torch.randn(rows, cols)
OPS = {
    "var(1)": lambda: x.var(1),
    "var(0)": lambda: x.var(0),
    "norm(dim 1)": lambda: x.norm(2, 1),
    "logsumexp(1)": lambda: x.logsumexp(1),
    "cumsum(1)": lambda: x.cumsum(1),
    "sort(1)": lambda: x.sort(1),
    "topk(8, dim 1)": lambda: x.topk(8, 1),
}
with torch.no_grad():
    results = {k: median_seconds(f) for k, f in OPS.items()}
print(json.dumps({"info": {"version": torch.__version__}, "results": results}))
