# Generates test/ops/reference.ts: PyTorch 1.13's values and gradients for the reductions (max/min with
# a dim: the (values, indices) pair), sorts,
# scans and in-place ops tested in test/ops/{stats,sort,compose,inplace-arith}.test.ts (var, std,
# norm, logsumexp, sort, argsort, topk, cumsum, bmm, outer, masked_fill, one_hot, normalize,
# add_/sub_/mul_/div_/clamp_; pow with a tensor exponent, nonzero). Run with Debian's python3-torch:
#   /usr/bin/python3 test/ops/gen-reference.py > test/ops/reference.ts
import os, sys, torch
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from js_literal import js  # noqa: E402

torch.set_default_dtype(torch.float64)
NAN, INF = float("nan"), float("inf")

def case(f, *xs):
    """f's output and the gradient of (output · w).sum() for each input, w = 1, 2, 3, ... (so a wrong
    routing of the gradient shows)."""
    ts = [torch.tensor(x, requires_grad=True) for x in xs]
    y = f(*ts)
    w = torch.arange(1, y.numel() + 1, dtype=y.dtype).reshape(y.shape)
    (y * w).sum().backward()
    return {"y": y, "grads": [t.grad if t.grad is not None else torch.zeros_like(t) for t in ts]}

X = [[1.0, 2.0, 4.0, -0.5], [3.0, -1.0, 0.5, 2.5], [0.25, 0.0, -3.0, 1.5]]
X3 = [[[0.3, -1.2], [2.5, 0.7]], [[-0.4, 1.1], [0.9, -2.2]], [[1.7, 0.2], [-0.6, 0.8]]]
out = {}

out["variance"] = {
    "all": case(lambda t: t.var(), X),
    "dim1": case(lambda t: t.var(1), X),
    "dim0,c0": case(lambda t: t.var(0, unbiased=False), X),
    "dims02,keepdim": case(lambda t: t.var((0, 2), keepdim=True), X3),
    "dim-1,c2": case(lambda t: torch.var(t, -1, correction=2), X),
    "one,c1": {"y": torch.tensor([2.0]).var()},
}
out["std"] = {
    "all": case(lambda t: t.std(), X),
    "dim1": case(lambda t: t.std(1), X),
    "dims01,c0": case(lambda t: t.std((0, 1), unbiased=False), X3),
    "constant": case(lambda t: t.std(1), [[2.0, 2.0, 2.0], [1.0, 2.0, 3.0]]),
}
out["norm"] = {
    "fro": case(lambda t: t.norm(), X),
    "p2,dim1": case(lambda t: t.norm(2, 1), X),
    "p1,dim0": case(lambda t: t.norm(1, 0), X),
    "inf,dim1": case(lambda t: t.norm(INF, 1), [[3.0, -3.0, 1.0], [0.5, -2.0, 1.0]]),
    "-inf,dim1": case(lambda t: t.norm(-INF, 1), [[3.0, -0.5, 1.0], [0.5, -2.0, 1.0]]),
    "p3,dims02,keepdim": case(lambda t: t.norm(3, (0, 2), keepdim=True), X3),
    "p0": case(lambda t: t.norm(0), [[1.0, 0.0, -2.0], [0.0, 0.0, 3.0]]),
    "p0.5,dim1": case(lambda t: t.norm(0.5, 1), [[1.0, 4.0], [9.0, 0.25]]),
    "zero row p2": case(lambda t: t.norm(2, 1), [[0.0, 0.0], [3.0, 4.0]]),
    "nan,inf": {"y": torch.tensor([[NAN, 1.0], [INF, 1.0], [-INF, 2.0]]).norm(2, 1)},
}
EDGE = torch.tensor([[NAN, 1.0, 2.0], [INF, 1.0, -0.0], [-INF, 2.0, 0.0], [-0.0, 0.0, -0.0]])
out["normEdges"] = {str(p): EDGE.norm(p, 1) for p in (1, INF, -INF, 0, 3)}
# 0-d inputs (dim 0 or all dims)
Z = torch.tensor(-3.0)
out["zeroDim"] = {"var": Z.var(), "var0,c0": Z.var(0, unbiased=False), "std": Z.std(), "norm": Z.norm(), "norm1,dim0": Z.norm(1, 0),
                  "logsumexp": Z.logsumexp(0), "topk": Z.topk(1)[0], "cumsum": Z.cumsum(0), "sort": Z.sort()[0]}
LSE_EDGE = [[-INF, -INF], [INF, 1.0], [NAN, 1.0], [1e38, 1e38], [-INF, 0.0]]
out["logsumexp"] = {
    "dim1": case(lambda t: t.logsumexp(1), X),
    "dims02": case(lambda t: t.logsumexp((0, 2)), X3),
    "dim0,keepdim": case(lambda t: t.logsumexp(0, keepdim=True), X),
    "edges": {"y": torch.tensor(LSE_EDGE).logsumexp(1)},
    "edges32": {"y": torch.tensor(LSE_EDGE, dtype=torch.float32).logsumexp(1)},
}
S = [3.0, NAN, -1.0, 2.0, -INF, 2.0, INF, -0.0, 0.0]
srt = lambda **kw: dict(zip(("values", "indices"), torch.tensor(S).sort(**kw)))
out["sort"] = {
    "asc": srt(stable=True),
    "desc": srt(descending=True, stable=True),
    "dim0": case(lambda t: t.sort(0)[0], X),
    "int": dict(zip(("values", "indices"), torch.tensor([3, -7, 2, 2, 0], dtype=torch.int32).sort(stable=True))),
    "argsort,desc,dim0": torch.tensor(X).argsort(0, descending=True),
}
out["topk"] = {
    "k2": case(lambda t: t.topk(2)[0], X),
    "k2 indices": torch.tensor(X).topk(2)[1],
    "k2,smallest,dim0": case(lambda t: t.topk(2, 0, largest=False)[0], X),
    "k2,smallest,dim0 indices": torch.tensor(X).topk(2, 0, largest=False)[1],
    "nan": dict(zip(("values", "indices"), torch.tensor([1.0, NAN, 3.0, -INF]).topk(2))),
    "nan,smallest": dict(zip(("values", "indices"), torch.tensor([1.0, NAN, 3.0, -INF]).topk(2, largest=False))),
}
out["cumsum"] = {
    "dim1": case(lambda t: t.cumsum(1), X),
    "dim0": case(lambda t: t.cumsum(0), X3),
    "edges": {"y": torch.tensor([1.0, INF, -INF, 2.0, NAN, 3.0]).cumsum(0)},
}
A = [[[0.5, -1.0, 2.0], [1.5, 0.25, -0.75]], [[-2.0, 1.0, 0.5], [0.0, 3.0, -1.0]]]
B = [[[1.0, 0.5], [-1.0, 2.0], [0.25, -0.5]], [[2.0, -1.5], [0.5, 1.0], [-1.0, 0.0]]]
out["bmm"] = case(torch.bmm, A, B)
out["outer"] = case(torch.outer, [1.0, -2.0, 0.5], [3.0, 0.25])
M = [[1, 0, 1, 0], [0, 0, 1, 1], [1, 1, 0, 0]]
out["maskedFill"] = {
    "scalar": case(lambda t: t.masked_fill(torch.tensor(M, dtype=torch.bool), -2.5), X),
    "broadcast row": case(lambda t: t.masked_fill(torch.tensor([1, 0, 0, 1], dtype=torch.bool), INF), X),
    "tensor value": case(lambda t, v: t.masked_fill(torch.tensor(M, dtype=torch.bool), v), X, 7.0),
    "int": torch.tensor([[1, 2], [3, 4]], dtype=torch.int32).masked_fill(torch.tensor([[True, False], [False, True]]), 2.7),
}
out["oneHot"] = {"inferred": F.one_hot(torch.tensor([0, 3, 1])), "classes5": F.one_hot(torch.tensor([[0, 4], [2, 2]]), 5)}
out["normalize"] = {
    "default": case(lambda t: F.normalize(t), X),
    "p1,dim0": case(lambda t: F.normalize(t, p=1.0, dim=0), X),
    "zero row": case(lambda t: F.normalize(t, dim=1), [[0.0, 0.0], [3.0, 4.0]]),
}

def inplace(op):
    """x = a * 1 (non-leaf), then x.op_(b) and x.op_(2); gradients of (x · w).sum() for a and b."""
    a = torch.tensor([[1.5, -2.0, 0.5], [3.0, 0.25, -1.0]], requires_grad=True)
    b = torch.tensor([2.0, -0.5, 4.0], requires_grad=True)
    x = a * 1
    getattr(x, op + "_")(b)
    getattr(x, op + "_")(2.0)
    w = torch.arange(1, 7, dtype=x.dtype).reshape(x.shape)
    (x * w).sum().backward()
    return {"y": x, "grads": [a.grad, b.grad]}

out["inplace"] = {op: inplace(op) for op in ("add", "sub", "mul", "div")}
out["inplace"]["add alpha"] = {"y": torch.tensor([1.0, 2.0]).add_(torch.tensor([3.0, 4.0]), alpha=-2)}
cl = torch.tensor([0.5, -2.0, 3.0], requires_grad=True)
c = cl * 2
c.clamp_(-1, 2)
(c * torch.tensor([1.0, 2.0, 3.0])).sum().backward()
out["inplace"]["clamp"] = {"y": c, "grads": [cl.grad]}
out["inplace"]["int clamp"] = {"y": torch.tensor([0, 3, -5], dtype=torch.int32).clamp_(-1, 2)}

# max()/min() of tied ±0: PyTorch's full reduction returns whichever zero its vector lanes combine
# last (no fixed rule), while max(dim)/argmax take the first.
Z = [0.0, -0.0]
out["signedZero"] = {"max": torch.tensor(Z).max(), "max0": torch.tensor(Z).max(0)[0], "argmax": torch.tensor(Z).argmax(),
                     "max17": torch.tensor([0.0] * 17 + [-0.0]).max()}

# max/min with a dim return the named tuple (values, indices); the gradient flows through values.
def pair_case(f, x, dtype=torch.float64):
    t = torch.tensor(x, dtype=dtype, requires_grad=dtype.is_floating_point)
    v, i = f(t)
    if dtype.is_floating_point:
        (v * torch.arange(1, v.numel() + 1, dtype=v.dtype).reshape(v.shape)).sum().backward()
    return {"values": v, "indices": i, "shape": list(v.shape), "grad": t.grad if t.grad is not None else []}
TIES = [[1.0, 5.0, 5.0, -2.0], [7.0, 2.0, 7.0, 7.0], [-1.0, -1.0, -3.0, -1.0]]
out["extremePairs"] = {
    "max(1)": pair_case(lambda t: t.max(1), X),
    "min(0,keepdim)": pair_case(lambda t: torch.min(t, 0, keepdim=True), X),
    "max(-1) 3-d": pair_case(lambda t: t.max(-1), X3),
    "min(1) 3-d,keepdim": pair_case(lambda t: t.min(1, keepdim=True), X3),
    "max(1) ties": pair_case(lambda t: t.max(1), TIES),
    "min(0) ties": pair_case(lambda t: t.min(0), TIES),
    "max(0) int": pair_case(lambda t: t.max(0), [[3, -7, 2], [3, 9, -2]], torch.int32),
    "max(0) 0-d": pair_case(lambda t: t.max(0), 2.5),
}
A2, B2 = [[1.0, -2.0, 3.0], [0.5, 4.0, -1.0]], [[2.0, -3.0, 3.0]]
out["extremeBinary"] = {"max": case(torch.max, A2, B2), "min": case(torch.min, A2, B2)}

# PyTorch names a first-hour user reaches for: chunk, split, any, all, equal, mm, Tensor.where.
def pieces_case(f, x):
    t = torch.tensor(x, requires_grad=True)
    ps = f(t)
    sum((p * (i + 1)).sum() for i, p in enumerate(ps)).backward()  # piece i weighted i + 1
    return {"shapes": [list(p.shape) for p in ps], "values": [p for p in ps], "grad": t.grad}
R = [[1.0, 2.0, 3.0, 4.0, 5.0], [6.0, 7.0, 8.0, 9.0, 10.0]]
out["pieces"] = {
    "chunk(2)": pieces_case(lambda t: t.chunk(2), R),
    "chunk(4,1)": pieces_case(lambda t: t.chunk(4, 1), R),
    "chunk(3,-1)": pieces_case(lambda t: torch.chunk(t, 3, dim=-1), R),
    "chunk(9,1)": pieces_case(lambda t: t.chunk(9, 1), R),
    "split(2,1)": pieces_case(lambda t: t.split(2, 1), R),
    "split([1,4],1)": pieces_case(lambda t: t.split([1, 4], dim=1), R),
    "split(1)": pieces_case(lambda t: torch.split(t, 1), R),
    "split(7,1)": pieces_case(lambda t: t.split(7, 1), R),
}
out["emptyPieces"] = {"chunk(3) of [0]": [list(p.shape) for p in torch.zeros(0).chunk(3)],
                      "split(2) of [0]": [list(p.shape) for p in torch.zeros(0).split(2)],
                      "split([0,2,0])": [list(p.shape) for p in torch.zeros(2).split([0, 2, 0])]}
T = [[0.0, NAN, 0.0], [1.0, -0.0, 2.0]]
out["truth"] = {
    "any": torch.tensor(T).any().int(), "all": torch.tensor(T).all().int(),
    "any(1)": torch.tensor(T).any(1).int(), "all(0)": torch.tensor(T).all(0).int(),
    "any(0,keepdim)": torch.tensor(T).any(0, keepdim=True).int(), "all(-1,keepdim)": torch.tensor(T).all(-1, keepdim=True).int(),
    "int any(1)": torch.tensor([[0, 0], [0, 3]]).any(1).int(), "int all": torch.tensor([[1, 2], [3, 4]]).all().int(),
    "empty any": torch.zeros(0).any().int(), "empty all": torch.zeros(0).all().int(),
    "empty all(1)": torch.zeros(2, 0).all(1).int(),
}
out["equal"] = [torch.equal(torch.tensor(a), torch.tensor(b)) for a, b in [
    ([1.0, 2.0], [1.0, 2.0]), ([1.0, 2.0], [1.0, 2.5]), ([1.0, 2.0], [[1.0, 2.0]]), ([NAN], [NAN]), ([-0.0], [0.0]), ([], []),
    ([1.0, 2.0], [1, 2])]]
M1, M2 = [[1.0, -2.0, 0.5], [3.0, 0.25, -1.0]], [[2.0, 1.0], [-1.0, 0.5], [4.0, -3.0]]
out["mm"] = case(torch.mm, M1, M2)
C = [[1, 0, 1], [0, 1, 0]]
out["whereMethod"] = case(lambda a, b: a.where(torch.tensor(C).bool(), b), M1, [[10.0, 20.0, 30.0]])

out["repeat"] = {"(2,3)": case(lambda t: t.repeat(2, 3), M1), "(2,1,2)": case(lambda t: t.repeat(2, 1, 2), M1),
                 "(3) of 1-d": case(lambda t: t.repeat(3), [1.0, -2.0]), "(0,2)": {"y": torch.tensor(M1).repeat(0, 2)},
                 "() of 0-d": case(lambda t: t.repeat(()), 2.5), "(2) of 0-d": case(lambda t: t.repeat(2), 2.5)}

# pow with a tensor exponent (PowBackward1) and with a number base (PowBackward2): values and both gradients,
# PyTorch's edge rules (base 0, negative bases, −0, ±inf, NaN) and integer pow (wrapping, negative exponents).
XP = [[1.5, 0.5, 2.0, 3.0], [0.25, 1.0, 4.0, 0.75], [2.5, 1.25, 0.1, 1.75]]
POW_BASE = [0.0, 0.0, 0.0, -2.0, -2.0, 2.0, NAN, INF, -0.0, -0.0, -INF, 1.0]
POW_EXP = [2.0, 0.0, -1.0, 2.0, 0.5, 0.5, 1.0, -1.0, 3.0, -1.0, 3.0, NAN]
out["powTensor"] = {
    "broadcast": case(torch.pow, XP, [0.5, -1.5, 2.0, 3.0]),
    "column": case(torch.pow, XP, [[2.0], [-0.5], [1.0]]),
    "edges": case(torch.pow, POW_BASE, POW_EXP),
    "0-d base": case(torch.pow, 1.5, [1.0, -2.0, 0.5]),
    "0-d both": case(torch.pow, 2.0, 3.0),
    "number base 2": case(lambda e: torch.pow(2.0, e), [[1.0, -2.0], [0.5, 0.0]]),
    "number base 0": case(lambda e: torch.pow(0.0, e), [0.5, 0.0, -1.0, 2.0]),
    "number base -2": case(lambda e: torch.pow(-2.0, e), [1.0, 2.0, 0.5]),
    "int": torch.pow(torch.tensor([2, -1, 1, 0, 3, -3, 7, 0], dtype=torch.int32),
                     torch.tensor([-1, -3, -2, -1, 2, 3, 12, 0], dtype=torch.int32)),
    "int wraps": torch.pow(torch.tensor([3, -5], dtype=torch.int32), torch.tensor([40, 21], dtype=torch.int32)),
    "number base int": torch.pow(2, torch.tensor([0, 1, 10, 30], dtype=torch.int32)),
    "int base float exponent": torch.pow(torch.tensor([2, 3, 4], dtype=torch.int32), torch.tensor([0.5, 2.0, -1.0])),
    "float32": torch.pow(torch.tensor([1.5, 2.0, 0.3], dtype=torch.float32), torch.tensor([2.5, -1.0, 0.7], dtype=torch.float32)),
}

# nonzero: [k, ndim] indices in row-major order (int64 in PyTorch; shapes kept for the empty ones).
def nz(t):
    i = t.nonzero()
    return {"y": i, "shape": list(i.shape), "tuple": [c for c in t.nonzero(as_tuple=True)]}
out["nonzero"] = {
    "2-d": nz(torch.tensor([[0.0, 1.0, 0.0], [2.0, 0.0, NAN]])),
    "edges": nz(torch.tensor([NAN, -0.0, 0.0, INF, -INF, 1e-300, -1.0])),
    "3-d int": nz(torch.tensor([[[0, 3], [0, 0]], [[-1, 0], [0, 5]], [[0, 0], [7, 0]]], dtype=torch.int32)),
    "transposed": nz(torch.tensor([[0.0, 1.0, 2.0], [3.0, 0.0, 4.0]]).t()),
    "0-d": nz(torch.tensor(5.0)),
    "0-d zero": nz(torch.tensor(0.0)),
    "empty": nz(torch.zeros(0, 3)),
    "all zero": nz(torch.zeros(2, 3)),
}

# cat/stack of mixed dtypes promote (int32 < float32 < float64); each float piece's gradient comes back in
# its own dtype. 1.1 in float32 shows the float32 value carried exactly into float64.
def mixed(f, pieces):
    ts = [torch.tensor(v, dtype=getattr(torch, d), requires_grad=d != "int32") for v, d in pieces]
    y = f(ts)
    (y * torch.arange(1, y.numel() + 1, dtype=y.dtype).reshape(y.shape)).sum().backward()
    return {"y": y, "dtype": str(y.dtype)[6:], "grads": [t.grad if t.requires_grad else [] for t in ts],
            "gradDtypes": [str(t.grad.dtype)[6:] if t.requires_grad else "none" for t in ts]}
MIXED = [([1.1, 2.5], "float32"), ([3.3], "float64"), ([4], "int32")]
out["mixedDtypes"] = {
    "cat(float32, float64, int32)": mixed(lambda ts: torch.cat(ts), MIXED),
    "cat(int32, float32)": mixed(lambda ts: torch.cat(ts), [MIXED[2], ([1.1], "float32")]),
    "stack(float32, float64, int32)": mixed(lambda ts: torch.stack(ts, 1), [([1.1], "float32"), ([3.3], "float64"), ([4], "int32")]),
}

print("// Generated by test/ops/gen-reference.py from PyTorch %s (float64 unless noted); do not edit." % torch.__version__)
print("/* eslint-disable */")
for k, v in out.items():
    print("export const %s = %s;" % (k, js(v)))
