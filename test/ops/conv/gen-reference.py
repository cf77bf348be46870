# Generates test/ops/conv/reference.json: forward values and gradients of the convolution family from
# PyTorch (Debian python3-torch 1.13), in float64. Run from the repository root:
#   /usr/bin/python3 test/ops/conv/gen-reference.py > test/ops/conv/reference.json
# Each case: the op, its inputs (x, weight, bias or null), options (camelCase, as tensorgrad takes them), the
# output y, and the gradients of L = sum(y * m) with m[i] = 0.5 + (i*37 % 11)/10 (nonuniform, so every
# element's gradient is checked).
import json
import math
import torch
import torch.nn.functional as F

torch.manual_seed(0)

def vals(shape, seed):
    n = math.prod(shape)
    return torch.tensor([math.sin(seed * 12.9898 + i * 78.233) * 0.9 for i in range(n)], dtype=torch.float64).reshape(shape)

def mask(shape):
    n = math.prod(shape)
    return torch.tensor([0.5 + (i * 37 % 11) / 10 for i in range(n)], dtype=torch.float64).reshape(shape)

SNAKE = {"outputPadding": "output_padding"}

def case(name, op, fn, x_shape, w_shape=None, bias=None, args=(), opts=None):
    opts = opts or {}
    x = vals(x_shape, 1).requires_grad_()
    w = vals(w_shape, 2).requires_grad_() if w_shape else None
    b = vals([bias], 3).requires_grad_() if bias else None
    kw = {SNAKE.get(k, k): (tuple(v) if isinstance(v, list) else v) for k, v in opts.items()}
    tensors = [t for t in (x, w) if t is not None]
    y = fn(*tensors, b, *args, **kw) if w_shape else fn(x, *args, **kw)
    (y * mask(list(y.shape))).sum().backward()
    flat = lambda t: t.detach().flatten().tolist()
    return {
        "name": name, "op": op, "args": list(args), "opts": opts,
        "x": {"shape": x_shape, "data": flat(x)},
        "w": {"shape": w_shape, "data": flat(w)} if w is not None else None,
        "b": {"shape": [bias], "data": flat(b)} if b is not None else None,
        "y": {"shape": list(y.shape), "data": flat(y)},
        "dx": flat(x.grad), "dw": flat(w.grad) if w is not None else None, "db": flat(b.grad) if b is not None else None,
    }

cases = [
    case("3x3 pad 1", "conv2d", F.conv2d, [2, 3, 6, 5], [4, 3, 3, 3], 4, opts={"padding": 1}),
    case("stride 2, padding [1, 0]", "conv2d", F.conv2d, [2, 3, 7, 6], [4, 3, 3, 2], 4, opts={"stride": 2, "padding": [1, 0]}),
    case("stride [2, 3], dilation [2, 1]", "conv2d", F.conv2d, [1, 2, 9, 10], [3, 2, 3, 3], 3, opts={"stride": [2, 3], "dilation": [2, 1], "padding": 2}),
    case("groups 2", "conv2d", F.conv2d, [2, 4, 5, 5], [6, 2, 3, 3], 6, opts={"groups": 2, "padding": 1}),
    case("depthwise, stride 2", "conv2d", F.conv2d, [2, 3, 6, 6], [3, 1, 3, 3], 3, opts={"groups": 3, "stride": 2, "padding": 1}),
    case("depthwise multiplier 2, dilation 2", "conv2d", F.conv2d, [1, 2, 7, 7], [4, 1, 3, 3], None, opts={"groups": 2, "dilation": 2}),
    case("same, even kernel (asymmetric padding)", "conv2d", F.conv2d, [1, 2, 5, 6], [3, 2, 4, 2], 3, opts={"padding": "same"}),
    case("same with dilation", "conv2d", F.conv2d, [1, 2, 6, 6], [2, 2, 3, 3], 2, opts={"padding": "same", "dilation": 2}),
    case("valid, no bias", "conv2d", F.conv2d, [2, 2, 5, 5], [3, 2, 2, 3], None, opts={"padding": "valid"}),
    case("1x1", "conv2d", F.conv2d, [2, 5, 3, 4], [3, 5, 1, 1], 3),
    case("1x1 stride 2", "conv2d", F.conv2d, [1, 3, 5, 5], [2, 3, 1, 1], 2, opts={"stride": 2}),
    case("LeNet conv1 shape", "conv2d", F.conv2d, [2, 1, 12, 12], [6, 1, 5, 5], 6, opts={"padding": 2}),
    case("conv1d basic", "conv1d", F.conv1d, [2, 3, 10], [4, 3, 3], 4, opts={"padding": 1}),
    case("conv1d stride 2 dilation 2 groups 3", "conv1d", F.conv1d, [2, 3, 11], [6, 1, 3], 6, opts={"stride": 2, "dilation": 2, "groups": 3}),
    case("conv1d same", "conv1d", F.conv1d, [1, 2, 7], [2, 2, 4], None, opts={"padding": "same"}),
    case("transpose basic", "convTranspose2d", F.conv_transpose2d, [2, 3, 4, 4], [3, 2, 3, 3], 2),
    case("transpose stride 2, outputPadding 1", "convTranspose2d", F.conv_transpose2d, [2, 3, 3, 4], [3, 4, 3, 3], 4, opts={"stride": 2, "padding": 1, "outputPadding": 1}),
    case("transpose stride [2, 3], groups 2, dilation 2", "convTranspose2d", F.conv_transpose2d, [1, 4, 3, 3], [4, 1, 2, 3], 2, opts={"stride": [2, 3], "groups": 2, "dilation": 2, "padding": [1, 0]}),
    case("transpose outputPadding < dilation, no bias", "convTranspose2d", F.conv_transpose2d, [1, 2, 3, 3], [2, 2, 3, 3], None, opts={"dilation": 3, "outputPadding": 2}),
    case("unfold 2x2", "unfold", F.unfold, [2, 3, 4, 5], args=[2]),
    case("unfold [2, 3] pad 1 stride 2 dilation [1, 2]", "unfold", F.unfold, [1, 2, 6, 7], args=[[2, 3]], opts={"padding": 1, "stride": 2, "dilation": [1, 2]}),
    case("fold 2x2", "fold", F.fold, [2, 12, 12], args=[[4, 5], 2]),
    case("fold [2, 3] pad 1 stride 2", "fold", F.fold, [1, 12, 16], args=[[6, 7], [2, 3]], opts={"padding": 1, "stride": 2}),
]
print(json.dumps({"version": torch.__version__, "cases": cases}))
