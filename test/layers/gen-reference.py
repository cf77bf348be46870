# Generates test/layers/reference.ts: forward values and gradients of the layer ops (pooling,
# normalisation, dropout-free layers, padding, embedding, contrastive losses) computed by PyTorch in
# float64. Each case lists its inputs, the camelCase options tensorgrad takes, the output, and the
# gradient of sum(out * W) for every float input, W[i] = 0.5 + ((i * 37) % 11) / 10 (as gradCheck).
# Run with Debian's python3-torch 1.13:
#   /usr/bin/python3 test/layers/gen-reference.py > test/layers/reference.ts
import json, math, torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)

def vals(shape, seed=1):
    n = math.prod(shape)
    d = [math.sin(seed * 12.9898 + i * 78.233) * 0.9 + (0.05 if i % 2 else -0.05) for i in range(n)]
    return torch.tensor(d).reshape(shape)

def weights(n):
    return torch.tensor([0.5 + ((i * 37) % 11) / 10 for i in range(n)])

def flat(t):
    return [float(v) for v in t.detach().flatten().tolist()] if t.dtype != torch.int32 and t.dtype != torch.int64 else [int(v) for v in t.flatten().tolist()]

CASES = []

def case(name, op, inputs, opts, fn, extra=None):
    """inputs: ordered dict name -> tensor (float ones get gradients); fn(**tensors) -> output (or (output, extras))."""
    ts = {k: (v.clone().requires_grad_(True) if v.is_floating_point() and k not in ("runningMean", "runningVar", "target") else v.clone())
          for k, v in inputs.items()}
    res = fn(**ts)
    out, extras = (res if isinstance(res, tuple) else (res, {}))
    entry = {"name": name, "op": op, "opts": opts,
             "inputs": {k: {"shape": list(v.shape), "dtype": "int32" if not v.is_floating_point() else "float64", "data": flat(v)} for k, v in inputs.items()},
             "out": {"shape": list(out.shape), "data": flat(out)}, "grads": {}, "extras": {k: flat(v) for k, v in extras.items()}}
    if out.requires_grad:
        (out * weights(out.numel()).reshape(out.shape)).sum().backward()
        for k, v in ts.items():
            if v.requires_grad:
                entry["grads"][k] = flat(v.grad) if v.grad is not None else [0.0] * v.numel()
    CASES.append(entry)

x = vals([2, 3, 5, 6])
# ---- pooling ----
for k, o in [(2, {}), (3, {"stride": 2, "padding": 1}), ([3, 2], {"stride": [2, 1], "padding": [1, 0], "dilation": [1, 2]}),
             (3, {"stride": 2, "ceilMode": True}), (2, {"stride": 1, "dilation": 2, "padding": 1, "ceilMode": True})]:
    case(f"maxPool2d k={k} {o}", "maxPool2d", {"x": x}, {"kernelSize": k, **o},
         lambda x, k=k, o=o: F.max_pool2d(x, k, o.get("stride"), o.get("padding", 0), o.get("dilation", 1), o.get("ceilMode", False)))
special = torch.tensor([[[[1.0, float("nan"), 3.0, 2.0], [float("-inf"), float("-inf"), 5.0, 5.0],
                          [-0.0, 0.0, float("inf"), 1.0], [2.0, 2.0, float("nan"), float("nan")]]]])
case("maxPool2d NaN, ±inf, -0, ties", "maxPool2d", {"x": special}, {"kernelSize": 2}, lambda x: F.max_pool2d(x, 2))
case("maxPool2d overlapping ties", "maxPool2d", {"x": torch.tensor([[[[1.0, 1.0, 1.0], [1.0, 1.0, 1.0], [0.0, 1.0, 1.0]]]])},
     {"kernelSize": 2, "stride": 1}, lambda x: F.max_pool2d(x, 2, 1))
for k, o in [(2, {}), (3, {"stride": 2, "padding": 1}), (3, {"stride": 2, "padding": 1, "countIncludePad": False}),
             (3, {"stride": 2, "padding": 1, "ceilMode": True}), (3, {"stride": 2, "padding": 1, "ceilMode": True, "countIncludePad": False}),
             ([2, 3], {"stride": [1, 2], "divisorOverride": 5})]:
    case(f"avgPool2d k={k} {o}", "avgPool2d", {"x": x}, {"kernelSize": k, **o},
         lambda x, k=k, o=o: F.avg_pool2d(x, k, o.get("stride"), o.get("padding", 0), o.get("ceilMode", False),
                                         o.get("countIncludePad", True), o.get("divisorOverride")))
for s in [1, 3, [2, 4], [4, 5], [7, 9], [None, 2]]:
    case(f"adaptiveAvgPool2d {s}", "adaptiveAvgPool2d", {"x": x}, {"outputSize": s}, lambda x, s=s: F.adaptive_avg_pool2d(x, s))
    case(f"adaptiveMaxPool2d {s}", "adaptiveMaxPool2d", {"x": x}, {"outputSize": s}, lambda x, s=s: F.adaptive_max_pool2d(x, s))

# ---- normalisation ----
xb = vals([4, 3, 2, 3], 3) * 2 + 0.5
C3 = lambda seed: vals([3], seed)
def bn(x, runningMean=None, runningVar=None, weight=None, bias=None, **o):
    y = F.batch_norm(x, runningMean, runningVar, weight, bias, o.get("training", False), o.get("momentum", 0.1), o.get("eps", 1e-5))
    extras = {} if runningMean is None or not o.get("training") else {"runningMean": runningMean, "runningVar": runningVar}
    return y, extras
rm0, rv0 = vals([3], 5) * 0.1, vals([3], 6).abs() + 0.5
for label, ins, o in [
    ("training, running stats, affine", {"x": xb, "runningMean": rm0, "runningVar": rv0, "weight": C3(7), "bias": C3(8)}, {"training": True, "momentum": 0.3}),
    ("training, no running stats, no affine", {"x": xb}, {"training": True}),
    ("eval, running stats, affine, eps", {"x": xb, "runningMean": rm0, "runningVar": rv0, "weight": C3(7), "bias": C3(8)}, {"eps": 1e-3}),
    ("training [N, C]", {"x": vals([5, 3], 9), "runningMean": rm0, "runningVar": rv0, "weight": C3(7), "bias": C3(8)}, {"training": True}),
    ("training [N, C, L], weight only", {"x": vals([2, 3, 4], 10), "weight": C3(7)}, {"training": True}),
    # A constant channel (a dead ReLU's zeros) with eps 0: PyTorch's invstd is 0 there, so y = bias, not NaN.
    ("training, eps 0, a constant channel", {"x": torch.cat([vals([4, 2, 3], 14), torch.zeros(4, 1, 3)], 1), "weight": C3(7), "bias": C3(8)},
     {"training": True, "eps": 0.0}),
]:
    case(f"batchNorm {label}", "batchNorm", ins, o, lambda o=o, **t: bn(**t, **o))
xl = vals([2, 3, 5, 6], 11)
for label, shape, affine, o in [("last dim", [6], True, {}), ("last two dims", [5, 6], True, {"eps": 1e-3}), ("no affine", [3, 5, 6], False, {})]:
    ins = {"x": xl, **({"weight": vals(shape, 12) + 1, "bias": vals(shape, 13)} if affine else {})}
    case(f"layerNorm {label}", "layerNorm", ins, {"normalizedShape": shape, **o},
         lambda shape=shape, o=o, x=None, weight=None, bias=None: F.layer_norm(x, shape, weight, bias, o.get("eps", 1e-5)))
xg = vals([2, 6, 3, 2], 14)
for G, affine in [(1, True), (2, True), (3, False), (6, True)]:
    ins = {"x": xg, **({"weight": vals([6], 15) + 1, "bias": vals([6], 16)} if affine else {})}
    case(f"groupNorm G={G} affine={affine}", "groupNorm", ins, {"numGroups": G},
         lambda G=G, x=None, weight=None, bias=None: F.group_norm(x, G, weight, bias))
case("groupNorm [N, C] eps", "groupNorm", {"x": vals([3, 4], 17)}, {"numGroups": 2, "eps": 0.1}, lambda x: F.group_norm(x, 2, eps=0.1))
xr = vals([2, 5, 3, 2], 18) * 3
for size, o in [(1, {}), (2, {}), (3, {"alpha": 0.5, "beta": 0.6, "k": 2.0}), (5, {"alpha": 1.0, "beta": 1.5}), (8, {"alpha": 0.1})]:
    case(f"localResponseNorm size={size} {o}", "localResponseNorm", {"x": xr}, {"size": size, **o},
         lambda x, size=size, o=o: F.local_response_norm(x, size, o.get("alpha", 1e-4), o.get("beta", 0.75), o.get("k", 1.0)))
case("localResponseNorm 3-D", "localResponseNorm", {"x": vals([2, 4, 3], 19)}, {"size": 3}, lambda x: F.local_response_norm(x, 3))

# ---- padding ----
xp = vals([2, 3, 4, 5], 20)
for p, o in [([1, 2], {}), ([1, 0, 2, 1], {"value": 1.5}), ([-1, 2, 0, -2], {}), ([1, 1, 1, 1, 1, 0], {}), ([0, 0, 0, 0, 0, 0, 1, 1], {"value": -2.0}),
             ([2, 3], {"mode": "reflect", "3d": True}), ([3, 1, 2, 3], {"mode": "reflect"}), ([2, 3], {"mode": "replicate", "3d": True}),
             ([3, 1, 2, 4], {"mode": "replicate"}), ([1, 1, 2, 0, 1, 1], {"mode": "replicate", "5d": True}),
             ([1, 2, 1, 1, 1, 1], {"mode": "reflect", "5d": True}), ([-1, 2, 1, -1], {"mode": "replicate"})]:
    five, three = o.pop("5d", False), o.pop("3d", False)
    xin = vals([2, 2, 3, 4, 3], 29) if five else vals([2, 3, 5], 30) if three else xp
    case(f"pad {p} {o} {list(xin.shape)}", "pad", {"x": xin}, {"pad": p, **o},
         lambda x, p=p, o=o: F.pad(x, p, o.get("mode", "constant"), o.get("value")) if o.get("mode", "constant") == "constant" else F.pad(x, p, o["mode"]))

# ---- embedding ----
table = vals([6, 4], 21)
idx = torch.tensor([[0, 2, 5], [2, 2, 1]], dtype=torch.int32)
case("embedding", "embedding", {"indices": idx, "weight": table}, {}, lambda indices, weight: F.embedding(indices.long(), weight))
case("embedding paddingIdx", "embedding", {"indices": idx, "weight": table}, {"paddingIdx": 2},
     lambda indices, weight: F.embedding(indices.long(), weight, padding_idx=2))
case("embedding negative paddingIdx", "embedding", {"indices": idx, "weight": table}, {"paddingIdx": -1},
     lambda indices, weight: F.embedding(indices.long(), weight, padding_idx=-1))

# ---- contrastive losses ----
a, b = vals([5, 4], 22), vals([5, 4], 23)
yc = torch.tensor([1.0, -1.0, -1.0, 1.0, -1.0])
for o in [{}, {"margin": 0.2}, {"margin": -0.3, "reduction": "sum"}, {"reduction": "none"}]:
    case(f"cosineEmbeddingLoss {o}", "cosineEmbeddingLoss", {"input1": a, "input2": b, "target": yc}, o,
         lambda input1, input2, target, o=o: F.cosine_embedding_loss(input1, input2, target, o.get("margin", 0.0), reduction=o.get("reduction", "mean")))
case("cosineEmbeddingLoss 1-D", "cosineEmbeddingLoss", {"input1": vals([4], 24), "input2": vals([4], 25), "target": torch.tensor(-1.0)}, {"margin": -0.5},
     lambda input1, input2, target: F.cosine_embedding_loss(input1, input2, target, -0.5))
r1, r2 = vals([6], 26), vals([6], 27)
yr = torch.tensor([1.0, -1.0, 1.0, 1.0, -1.0, -1.0])
for o in [{}, {"margin": 0.5}, {"margin": 0.1, "reduction": "none"}, {"margin": 0.3, "reduction": "sum"}]:
    case(f"marginRankingLoss {o}", "marginRankingLoss", {"input1": r1, "input2": r2, "target": yr}, o,
         lambda input1, input2, target, o=o: F.margin_ranking_loss(input1, input2, target, o.get("margin", 0.0), reduction=o.get("reduction", "mean")))
h = vals([2, 5], 28) * 2
yh = torch.tensor([[1.0, -1.0, -1.0, 1.0, -1.0], [-1.0, -1.0, 1.0, 1.0, -1.0]])
for o in [{}, {"margin": 0.5}, {"margin": 2.0, "reduction": "none"}, {"reduction": "sum"}]:
    case(f"hingeEmbeddingLoss {o}", "hingeEmbeddingLoss", {"input": h, "target": yh}, o,
         lambda input, target, o=o: F.hinge_embedding_loss(input, target, o.get("margin", 1.0), reduction=o.get("reduction", "mean")))

# ---- how the modules print (extra_repr) ----
import torch.nn as nn
MODEL = nn.Sequential(nn.BatchNorm2d(6), nn.MaxPool2d(2), nn.MaxPool2d((3, 2), stride=1, padding=(1, 0), ceil_mode=True),
                      nn.AvgPool2d(3, stride=2, padding=1), nn.AdaptiveAvgPool2d((5, 7)), nn.AdaptiveMaxPool2d(1),
                      nn.BatchNorm1d(4, momentum=None, affine=False), nn.LayerNorm([4, 5]), nn.GroupNorm(2, 6, eps=1e-3),
                      nn.LocalResponseNorm(2), nn.Dropout(0.25), nn.Dropout2d(), nn.Flatten(), nn.Unflatten(1, (2, 5)),
                      nn.Embedding(10, 3, padding_idx=0), nn.CosineEmbeddingLoss(), nn.MarginRankingLoss(), nn.HingeEmbeddingLoss())

print("// Generated by test/layers/gen-reference.py with PyTorch %s (Debian python3-torch 1.13). Do not edit." % torch.__version__)
print("/* eslint-disable */")
print("export const CASES: RefCase[] = %s;" % json.dumps(CASES, allow_nan=True))
print("export const MODEL_REPR = %s;" % json.dumps(repr(MODEL)))
print("""export interface RefTensor { shape: number[]; dtype: "float64" | "int32"; data: number[] }
export interface RefCase {
  name: string;
  op: string;
  opts: Record<string, unknown>;
  inputs: Record<string, RefTensor>;
  out: { shape: number[]; data: number[] };
  grads: Record<string, number[]>;
  extras: Record<string, number[]>;
}""")
