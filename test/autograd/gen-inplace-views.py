# Generates test/autograd/inplace-views-reference.ts: PyTorch 1.13's values and gradients for in-place
# writes through every view kind (CopySlices) and for views taken before their base changed in place
# (regenerated view histories), as tested in test/autograd/inplace-views.test.ts. The view kinds and
# ops below are mirrored there by name. Run with Debian's python3-torch:
#   /usr/bin/python3 test/autograd/gen-inplace-views.py > test/autograd/inplace-views-reference.ts
import os, sys, torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from js_literal import js  # noqa: E402

torch.set_default_dtype(torch.float64)

# Views of a [2, 3] tensor.
VIEWS = {
    "narrow(0, 0, 1)": lambda y: y.narrow(0, 0, 1),
    "narrow(1, 1, 2)": lambda y: y.narrow(1, 1, 2),
    "slice(1, 0, 3, 2)": lambda y: y[:, 0:3:2],
    "select(0, 1)": lambda y: y.select(0, 1),
    "select(1, 2)": lambda y: y.select(1, 2),
    "transpose(0, 1)": lambda y: y.transpose(0, 1),
    "t()": lambda y: y.t(),
    "T": lambda y: y.T,
    "permute(1, 0)": lambda y: y.permute(1, 0),
    "reshape(3, 2)": lambda y: y.reshape(3, 2),
    "view(6)": lambda y: y.view(6),
    "flatten()": lambda y: y.flatten(),
    "unsqueeze(0)": lambda y: y.unsqueeze(0),
    "unsqueeze(1).squeeze(1)": lambda y: y.unsqueeze(1).squeeze(1),
    "expandAs(y)": lambda y: y.expand_as(y),
    "contiguous()": lambda y: y.contiguous(),
    "t().narrow(0, 1, 2)": lambda y: y.t().narrow(0, 1, 2),
    "narrow(1, 0, 2).select(0, 1)": lambda y: y.narrow(1, 0, 2).select(0, 1),
    "select(0, 0).narrow(0, 1, 1)": lambda y: y.select(0, 0).narrow(0, 1, 1),
    "select(0, 1).select(0, 2)": lambda y: y.select(0, 1).select(0, 2),
    "narrow(1, 1, 0)": lambda y: y.narrow(1, 1, 0),
    "narrow(0, 1, 1).expand(3, 3)": lambda y: y.narrow(0, 1, 1).expand(3, 3),
}

def operand(v, dtype=torch.float64):
    """An operand broadcasting to v: its last dim (or a 0-d tensor), nonzero values."""
    n = v.shape[-1] if v.dim() else None
    data = [0.5, -1.5, 2.0, -0.75, 1.25, 3.0][:n] if n is not None else 1.25
    return torch.tensor(data, dtype=dtype, requires_grad=True)

# In-place ops on a view v; u: the operand (requires grad) or None.
OPS = {
    "fill_(5)": (lambda v, u: v.fill_(5), False),
    "zero_()": (lambda v, u: v.zero_(), False),
    "copy_(u)": (lambda v, u: v.copy_(u), True),
    "copy_(u float32)": (lambda v, u: v.copy_(u), "float32"),
    "add_(u)": (lambda v, u: v.add_(u), True),
    "add_(u, alpha -2)": (lambda v, u: v.add_(u, alpha=-2), True),
    "add_(2)": (lambda v, u: v.add_(2), False),
    "sub_(u)": (lambda v, u: v.sub_(u), True),
    "mul_(u)": (lambda v, u: v.mul_(u), True),
    "mul_(3)": (lambda v, u: v.mul_(3), False),
    "div_(u)": (lambda v, u: v.div_(u), True),
    "div_(4)": (lambda v, u: v.div_(4), False),
    "clamp_(2.5, 4.5)": (lambda v, u: v.clamp_(2.5, 4.5), False),
}

W0 = [[0.5, 1.0, 1.5], [2.0, 2.5, 3.0]]

def weights(t, scale=1.0):
    return torch.arange(1, t.numel() + 1, dtype=torch.float64).reshape(t.shape) * scale

def grad_or_none(t):
    return None if t is None or t.grad is None else t.grad

# fill_/zero_ through an expanded view: PyTorch 1.13 writes, but its CopySlices backward then refuses the
# overlapping region ("more than one element of the written-to tensor refers to a single memory location").
# The answer is well defined (the region's old values all get a zero gradient); tensorgrad gives it, and
# the reference computes it with the same write made through the region without its repeats, the view
# taken afterwards ("twin").
TWINS = {"narrow(0, 1, 1).expand(3, 3)": (lambda y: y.narrow(0, 1, 1), lambda y: y.narrow(0, 1, 1).expand(3, 3))}

def write_case(base, kind, op, twin=False):
    """y = w * 2 (base "history") or a constant (base "plain"); s = y.select(1, 1) taken before; v = kind(y);
    op on v; loss = (y·Wy).sum() + (v·Wv).sum() + (s·Ws).sum(). Returns y, w.grad, u.grad, or the error."""
    w = torch.tensor(W0, requires_grad=True)
    y = w * 2 if base == "history" else torch.tensor(W0) * 2
    s = y.select(1, 1)
    v = TWINS[kind][0](y) if twin else VIEWS[kind](y)
    f, takes = OPS[op]
    u = operand(v, torch.float32 if takes == "float32" else torch.float64) if takes else None
    try:
        f(v, u)
    except RuntimeError as e:
        return {"error": str(e).split(".")[0]}
    if twin:
        v = TWINS[kind][1](y)
    res = {"y": y.detach().clone(), "requiresGrad": y.requires_grad}
    if y.requires_grad:
        res["baseNode"] = type(y.grad_fn).__name__
        res["viewNode"] = type(v.grad_fn).__name__
        loss = (y * weights(y)).sum() + (v * weights(v, 0.5)).sum() + (s * weights(s, -1.0)).sum()
        try:
            loss.backward()
        except RuntimeError:
            assert not twin and kind in TWINS
            return {**write_case(base, kind, op, True), "twin": True}
        res["wGrad"] = grad_or_none(w) if base == "history" else None
        res["uGrad"] = grad_or_none(u)
    return res

def stale_case(kind, op):
    """v = kind(y) taken first, then op on y itself (not a view); loss uses v and y."""
    w = torch.tensor(W0, requires_grad=True)
    y = w * 2
    v = VIEWS[kind](y)
    f, takes = OPS[op]
    u = operand(y, torch.float32 if takes == "float32" else torch.float64) if takes else None
    f(y, u)
    res = {"v": v.detach().clone(), "viewNode": type(v.grad_fn).__name__, "baseNode": type(y.grad_fn).__name__}
    loss = (y * weights(y)).sum() + (v * weights(v, 0.5)).sum()
    loss.backward()
    res["wGrad"] = grad_or_none(w)
    res["uGrad"] = grad_or_none(u)
    return res

def sibling_case(kind):
    """v = kind(y) taken first, then another view of y written: y.narrow(1, 1, 1).mul_(u)."""
    w = torch.tensor(W0, requires_grad=True)
    u = torch.tensor([-2.0], requires_grad=True)
    y = w * 2
    v = VIEWS[kind](y)
    y.narrow(1, 1, 1).mul_(u)
    (v * weights(v, 0.5)).sum().backward()
    return {"v": v.detach().clone(), "wGrad": w.grad, "uGrad": u.grad}

def sequence_case():
    """Several writes through different views, then a view-of-the-result and the base in one loss."""
    w = torch.tensor(W0, requires_grad=True)
    u = torch.tensor([3.0, -1.0], requires_grad=True)
    y = w * 2
    y.narrow(1, 0, 2).select(0, 0).mul_(u)
    y.t().select(0, 2).copy_(u * u)
    y.select(0, 1).clamp_(4.5, 5.5)
    y.narrow(1, 1, 1).add_(y.narrow(1, 0, 1))
    (y * weights(y)).sum().backward()
    return {"y": y.detach().clone(), "wGrad": w.grad, "uGrad": u.grad}

class Double(torch.autograd.Function):
    """Doubles its input in place (mark_dirty); the gradient doubles too."""
    @staticmethod
    def forward(ctx, x):
        x.mul_(2)
        ctx.mark_dirty(x)
        return x

    @staticmethod
    def backward(ctx, g):
        return g * 2

def mark_dirty_case():
    """A custom Function that modifies a view in place: the base's history becomes CopySlices."""
    w = torch.tensor(W0, requires_grad=True)
    y = w * 2
    v = y.narrow(1, 1, 2)
    r = Double.apply(v)
    (y * weights(y)).sum().backward()
    return {"y": y.detach().clone(), "baseNode": type(y.grad_fn).__name__, "wGrad": w.grad, "same": r is v}

def detached_case():
    """A write through a view of y.detach() changes y's values but not its history (MulBackward0 saved nothing)."""
    w = torch.tensor(W0, requires_grad=True)
    y = w * 2
    y.detach().narrow(0, 0, 1).fill_(0)
    (y * weights(y)).sum().backward()
    return {"y": y.detach().clone(), "wGrad": w.grad}

def no_grad_write_case():
    """A write into a view of y under no_grad: values change, the history does not."""
    w = torch.tensor(W0, requires_grad=True)
    y = w * 2
    with torch.no_grad():
        y.narrow(1, 0, 2).mul_(10)
    (y * weights(y)).sum().backward()
    return {"y": y.detach().clone(), "baseNode": type(y.grad_fn).__name__, "wGrad": w.grad}

def strided_base_case():
    """A base that is itself strided (detach() of a transpose), written through a view of it with a grad source."""
    u = torch.tensor([0.5, -1.5], requires_grad=True)
    d = torch.zeros(3, 2).t().detach()
    d.narrow(1, 0, 2).select(0, 1).copy_(u)
    (d * torch.arange(1, 7.0).reshape(2, 3)).sum().backward()
    return {"d": d.detach().clone(), "uGrad": u.grad}

out = {
    "write": {f"{base}|{kind}|{op}": write_case(base, kind, op) for base in ("history", "plain") for kind in VIEWS for op in OPS},
    "stale": {f"{kind}|{op}": stale_case(kind, op) for kind in VIEWS for op in OPS},
    "sibling": {kind: sibling_case(kind) for kind in VIEWS},
    "sequence": sequence_case(),
    "markDirty": mark_dirty_case(),
    "detached": detached_case(),
    "noGradWrite": no_grad_write_case(),
    "stridedBase": strided_base_case(),
}

def clean(v):
    """Drops absent (None) entries: a gradient that did not arrive is left out."""
    return {k: clean(e) for k, e in v.items() if e is not None} if isinstance(v, dict) else v

print("// Generated by test/autograd/gen-inplace-views.py with PyTorch " + torch.__version__ + "; do not edit.")
print("/* eslint-disable */")
print("type Nested = number | Nested[];")
print("export interface WriteCase { error?: string; twin?: boolean; y?: Nested; requiresGrad?: boolean; baseNode?: string; viewNode?: string; wGrad?: Nested; uGrad?: Nested }")
print("export interface StaleCase { v: Nested; viewNode: string; baseNode: string; wGrad?: Nested; uGrad?: Nested }")
print("export const ref: { write: Record<string, WriteCase>; stale: Record<string, StaleCase>; sibling: Record<string, { v: Nested; wGrad: Nested; uGrad: Nested }>; sequence: { y: Nested; wGrad: Nested; uGrad: Nested }; markDirty: { y: Nested; baseNode: string; wGrad: Nested; same: boolean }; detached: { y: Nested; wGrad: Nested }; noGradWrite: { y: Nested; baseNode: string; wGrad: Nested }; stridedBase: { d: Nested; uGrad: Nested } } = " + js(clean(out)) + ";")
