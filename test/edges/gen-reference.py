# Generates test/edges/reference.ts: PyTorch 1.13's values at the edges (NaN, ±inf, -0, huge
# logits, ignored rows, empty operands, integer dtypes) for the tests in test/edges/. Run with
# Debian's python3-torch:
#   /usr/bin/python3 test/edges/gen-reference.py > test/edges/reference.ts
import math, os, re, sys, torch
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from js_literal import js  # noqa: E402

torch.set_default_dtype(torch.float64)
NAN, INF = float("nan"), float("inf")

def value_and_grad(f, *xs, dtype=torch.float64):
    """f's output and the gradient of its sum for each input (gradient of ones)."""
    ts = [torch.tensor(x, dtype=dtype, requires_grad=True) for x in xs]
    y = f(*ts)
    y.sum().backward() if y.numel() else None
    return {"y": y, "grads": [t.grad if t.grad is not None else torch.zeros_like(t) for t in ts]}

out = {}

# ---- NaN / ±inf / -0 through every comparison-based op (forward and derivative) ----
X = [NAN, INF, -INF, -0.0, 0.0, -1.5, 2.0, 0.5]
UNARY = {
    "relu": F.relu,
    "leakyRelu": lambda t: F.leaky_relu(t, 0.1),
    "elu": F.elu,
    "elu(0.5)": lambda t: F.elu(t, 0.5),
    "gelu": F.gelu,
    "abs": torch.abs,
    "sign": torch.sign,
    "sigmoid": torch.sigmoid,
    "tanh": torch.tanh,
    "clamp(-1, 1)": lambda t: t.clamp(-1, 1),
    "clamp(0, null)": lambda t: t.clamp(min=0),
    "clamp(null, 0)": lambda t: t.clamp(max=0),
    "clamp(2, 1)": lambda t: t.clamp(2, 1),
    "clamp(NaN, 2)": lambda t: t.clamp(NAN, 2),
    "log1p": torch.log1p, "expm1": torch.expm1, "reciprocal": torch.reciprocal, "rsqrt": torch.rsqrt,
    "sin": torch.sin, "cos": torch.cos, "floor": torch.floor, "ceil": torch.ceil, "round": torch.round,
    "square": torch.square, "silu": F.silu, "mish": F.mish, "softplus": F.softplus,
    "softplus(beta 2, threshold 1)": lambda t: F.softplus(t, beta=2, threshold=1),
    "hardtanh": F.hardtanh, "hardtanh(-0.5, 1.5)": lambda t: F.hardtanh(t, -0.5, 1.5),
    "logSigmoid": F.logsigmoid, "softsign": F.softsign,
    # Signed-zero and negative parameters: the sign of 0·alpha (ELU, leaky_relu) and of bounds at ±0.
    "elu(-0)": lambda t: F.elu(t, -0.0), "elu(0)": lambda t: F.elu(t, 0.0), "elu(-1)": lambda t: F.elu(t, -1.0),
    "leakyRelu(-0)": lambda t: F.leaky_relu(t, -0.0), "leakyRelu(0)": lambda t: F.leaky_relu(t, 0.0),
    "leakyRelu(-0.5)": lambda t: F.leaky_relu(t, -0.5),
    "hardtanh(-0, 0)": lambda t: F.hardtanh(t, -0.0, 0.0), "hardtanh(0, 1)": lambda t: F.hardtanh(t, 0.0, 1.0),
    "clamp(-0, 0)": lambda t: t.clamp(-0.0, 0.0), "clamp(0, -0)": lambda t: t.clamp(0.0, -0.0),
    "softplus(beta -1)": lambda t: F.softplus(t, beta=-1), "softplus(beta 1, threshold 0)": lambda t: F.softplus(t, threshold=0),
}
out["classify"] = {"isnan": torch.isnan(torch.tensor(X)).int(), "isinf": torch.isinf(torch.tensor(X)).int(),
                   "isfinite": torch.isfinite(torch.tensor(X)).int()}
out["allclose"] = [torch.allclose(torch.tensor(a), torch.tensor(b), **kw) for a, b, kw in [
    ([1.0, INF], [1.0 + 1e-9, INF], {}), ([1.0, NAN], [1.0, NAN], {}), ([1.0, NAN], [1.0, NAN], {"equal_nan": True}),
    ([1.0, 2.0], [1.0, 2.1], {}), ([1.0, 2.0], [1.0, 2.1], {"atol": 0.2}), ([INF], [-INF], {})]]
out["unaryInputs"] = X
out["unary"] = {k: value_and_grad(f, X) for k, f in UNARY.items()}

P = [NAN, INF, -INF, -0.0, 0.0, 1.0]
A = [a for a in P for b in P]
B = [b for a in P for b in P]
out["binaryInputs"] = {"a": A, "b": B}
out["binary"] = {"maximum": value_and_grad(torch.maximum, A, B), "minimum": value_and_grad(torch.minimum, A, B)}

VECS = [[1, NAN, 3], [NAN, NAN, 1], [-INF, -INF, -5], [-0.0, 0.0], [0.0, -0.0], [INF, 1, INF], [2, 2, 1]]
def full_red(f, v):
    r = value_and_grad(f, v)
    return {"y": r["y"], "grad": r["grads"][0]}
out["fullReduce"] = [{"x": v, "max": full_red(torch.max, v), "min": full_red(torch.min, v),
                      "argmax": torch.tensor(v).argmax().item(), "argmin": torch.tensor(v).argmin().item()} for v in VECS]
M2 = [[1, NAN, 3], [NAN, 2, NAN], [-INF, -0.0, -INF], [0.0, -0.0, INF]]
def dim_red(f, d):
    t = torch.tensor(M2, requires_grad=True)
    v, i = f(t, d)
    v.sum().backward()
    return {"values": v, "indices": i, "grad": t.grad}
out["dimReduce"] = {"x": M2, **{"%s(%d)" % (n, d): dim_red(f, d) for n, f in [("max", torch.max), ("min", torch.min)] for d in (0, 1)}}

# ---- 0 × inf in losses ----
def loss_case(f, x, t, **kw):
    xt = torch.tensor(x, requires_grad=True)
    tt = torch.tensor(t) if isinstance(t[0], float) or isinstance(t[0], list) and isinstance(t[0][0], float) else torch.tensor(t, dtype=torch.long)
    y = f(xt, tt, **kw)
    if y.numel():
        y.sum().backward()
    return {"y": y, "grad": xt.grad if xt.grad is not None else torch.zeros_like(xt)}

NLL_X = [[-INF, -0.1, -2.5], [-0.5, -1.0, -2.0]]
ALL_IGN = [[-0.5, -1.2, -2.3], [-0.1, -3.0, -2.6]]
out["nll"] = {r: loss_case(F.nll_loss, NLL_X, [-100, 1], reduction=r) for r in ("mean", "sum", "none")}
out["nllAllIgnored"] = loss_case(F.nll_loss, ALL_IGN, [-100, -100])
CE_X = [[-INF, 0.5, 1.0], [0.2, -INF, 3.0], [1.0, 2.0, -1.0]]
out["ce"] = {
    "%s eps=%s" % (r, e): loss_case(F.cross_entropy, CE_X, [-100, 2, 0], reduction=r, label_smoothing=e)
    for r in ("mean", "sum", "none") for e in (0.0, 0.1)
}
out["ceAllIgnored"] = loss_case(F.cross_entropy, ALL_IGN, [-100, -100])
BCE_P = [0.0, 1.0, 0.0, 1.0, 0.5, 1e-30]
BCE_T = [0.0, 1.0, 1.0, 0.0, 1.0, 0.0]
out["bce"] = {r: loss_case(F.binary_cross_entropy, BCE_P, BCE_T, reduction=r) for r in ("mean", "none")}
BCEL_X = [INF, -INF, INF, -INF, 0.0, 40.0, -800.0]
BCEL_T = [1.0, 0.0, 0.0, 1.0, 1.0, 0.5, 0.0]
out["bceWithLogits"] = {r: loss_case(F.binary_cross_entropy_with_logits, BCEL_X, BCEL_T, reduction=r) for r in ("mean", "none")}
out["bceWithLogitsPosWeight"] = loss_case(F.binary_cross_entropy_with_logits, BCEL_X, BCEL_T, reduction="none",
                                          pos_weight=torch.tensor([2.0] * 7))
PW_X = [INF, -INF, 0.5, -2.0, 3.0]
PW_T = [0.0, 0.0, 0.0, 0.0, INF]
out["pointwise"] = {
    "mseLoss": loss_case(F.mse_loss, PW_X, PW_T, reduction="none"),
    "l1Loss": loss_case(F.l1_loss, PW_X, PW_T, reduction="none"),
    "smoothL1Loss": loss_case(F.smooth_l1_loss, PW_X, PW_T, reduction="none"),
    "smoothL1Loss beta=0.5": loss_case(F.smooth_l1_loss, PW_X, PW_T, reduction="none", beta=0.5),
    "huberLoss delta=2": loss_case(F.huber_loss, PW_X, PW_T, reduction="none", delta=2.0),
}
out["multiMargin"] = loss_case(F.multi_margin_loss, [[-INF, 0.5, 1.0], [0.2, 0.1, 3.0]], [1, 2], reduction="none")

# ---- precision of the stable softmax paths at large logits (float32) ----
BASE = [1.0, 2.0, 0.5]
def big(off):
    x = torch.tensor([[b + off for b in BASE]], dtype=torch.float32, requires_grad=True)
    ce = F.cross_entropy(x, torch.tensor([0]))
    ce.backward()
    xs = torch.tensor([[b + off for b in BASE]], dtype=torch.float32)
    return {"offset": off, "logSoftmax": F.log_softmax(xs, 1), "softmax": F.softmax(xs, 1), "ce": ce, "ceGrad": x.grad}
out["largeLogits"] = [big(o) for o in (1e3, 1e6, 2.0 ** 31)]
x = torch.full([1, 3], 1e38, dtype=torch.float32, requires_grad=True)
ce = F.cross_entropy(x, torch.tensor([0])); ce.backward()
out["logits1e38"] = {"ce": ce, "grad": x.grad, "logSoftmax": F.log_softmax(torch.full([1, 3], 1e38, dtype=torch.float32), 1)}

# ---- integers ----
out["intClamp21"] = torch.tensor([0, 3], dtype=torch.int32).clamp(2, 1)
out["intPow2"] = torch.tensor([3, -4, 46341], dtype=torch.int32).pow(2)
out["intPow2Dtype"] = str(torch.tensor([3], dtype=torch.int32).pow(2).dtype)
out["intSumOverflow"] = torch.tensor([2147483647, 1], dtype=torch.int32).sum().item()

# ---- empty operands ----
def mm_case(sa, sb):
    a = torch.ones(sa, requires_grad=True); b = torch.ones(sb, requires_grad=True)
    c = a @ b
    c.sum().backward()
    return {"a": sa, "b": sb, "shape": list(c.shape), "sum": c.sum().item(), "ga": a.grad.sum().item(), "gb": b.grad.sum().item()}
out["emptyMatmul"] = [mm_case(a, b) for a, b in [([2, 3], [3, 0]), ([0, 3], [3, 4]), ([2, 0], [0, 3]), ([4, 2, 0], [0, 3]),
                                                 ([0, 2, 3], [3, 4]), ([3], [3, 0]), ([0], [0])]]
z = torch.zeros([3, 0, 2])
out["emptyReduce"] = {"max(2)": list(z.max(2).values.shape), "min(0)": list(z.min(0).values.shape),
                      "argmax(2)": list(z.argmax(2).shape), "sum(1)": z.sum(1).tolist(), "mean(1)": z.mean(1).tolist()}
# Splitting an empty dim with a split size of 0 (one empty piece), and transposing a 0-d tensor (its one dim, 0 or -1).
out["emptySplit"] = {"zeros([0, 2]).split(0)": [list(p.shape) for p in torch.zeros([0, 2]).split(0)],
                     "zeros([2, 0]).split(0, 1)": [list(p.shape) for p in torch.zeros([2, 0]).split(0, 1)]}
s0 = torch.tensor(5.0, requires_grad=True)
(s0.transpose(0, -1) * 3).backward()
out["transpose0d"] = {"shape": list(s0.transpose(-1, 0).shape), "value": s0.transpose(0, 0).item(), "grad": s0.grad.item()}

# ---- printing (float32 tensors, as tg's default dtype) ----
# tg prints dtypes without "torch." and sizes as JS arrays: size=[2, 0] for PyTorch's size=(2, 0).
torch.set_default_dtype(torch.float32)
def as_tg(r):
    r = r.replace("dtype=torch.", "dtype=")
    return re.sub(r"size=\(([^)]*)\)", lambda m: "size=[%s]" % m.group(1).rstrip(","), r)
def wave(n, scale=1.0):
    return [math.sin(i * 1.7 + 0.3) * scale for i in range(n)]
f32 = lambda d: torch.tensor(d, dtype=torch.float32)
PRINTS = {
    "arange(1001)": repr(torch.arange(1001).float()),
    "zeros([1000, 1000])": repr(torch.zeros([1000, 1000], dtype=torch.float32)),
    "[-0, 1]": repr(f32([-0.0, 1.0])),
    "[-0, 1.5]": repr(f32([-0.0, 1.5])),
    "[-0, 1e-5]": repr(f32([-0.0, 1e-5])),
    "[]": repr(f32([])),
    "zeros([2, 0])": repr(torch.zeros([2, 0])),
    "arange(30) * 1.5": repr(torch.arange(30).float() * 1.5),
    "wave(200)": repr(f32(wave(200))),
    "wave(20x30)": repr(f32(wave(600)).reshape(20, 30)),
    "wave(40x40) * 1e3": repr(f32(wave(1600, 1e3)).reshape(40, 40)),
    "arange(6000).reshape(2, 1000, 3)": repr(torch.arange(6000).float().reshape(2, 1000, 3)),
    "int32 arange(2000)": repr(torch.arange(2000, dtype=torch.int32)),
    "int32 arange(100) * 1000": repr(torch.arange(100, dtype=torch.int32) * 1000),
    "wave(40) requires_grad": repr(f32(wave(40)).requires_grad_()),
}
x = f32([[1.5, -2.0], [0.25, 3.0]]).requires_grad_()
GRAD_FNS = {"mul": x * 2, "add": x + 1, "sub": x - x, "div": x / 3, "sum": x.sum(), "mean": x.mean(), "exp": x.exp(),
            "relu": x.relu(), "sigmoid": x.sigmoid(), "tanh": x.tanh(), "neg": -x, "matmul": x @ x, "view": x.view(-1),
            "softmax": x.softmax(1), "logSoftmax": x.log_softmax(1), "abs": x.abs(), "pow": x.pow(3),
            "maximum": torch.maximum(x, x), "clamp": x.clamp(0, 1), "sqrt": x.abs().sqrt()}
out["grad_fn"] = {k: type(v.grad_fn).__name__ for k, v in GRAD_FNS.items()}
torch.set_printoptions(precision=2, linewidth=40)
PRINTS["precision 2, linewidth 40: wave(12)"] = repr(f32(wave(12)))
torch.set_printoptions(sci_mode=True)
PRINTS["+ sciMode true: wave(4)"] = repr(f32(wave(4)))
torch.set_printoptions(precision=4, linewidth=80, sci_mode=False, threshold=5, edgeitems=1)
PRINTS["precision 4, sciMode false, threshold 5, edgeitems 1: [1e-5, 1e9, 2, 3, 4, 5]"] = repr(torch.tensor([1e-5, 1e9, 2, 3, 4, 5], dtype=torch.float32))
PRINTS["... threshold 5, edgeitems 1: arange(16).reshape(4, 4)"] = repr(torch.arange(16).float().reshape(4, 4))
torch.set_printoptions(profile="default")
out["prints"] = {k: as_tg(v) for k, v in PRINTS.items()}

print("// Generated by test/edges/gen-reference.py with PyTorch %s (Debian python3-torch). Do not edit." % torch.__version__)
print("/* eslint-disable */")
print("export const REF = %s as const;" % js(out))
