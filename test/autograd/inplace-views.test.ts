// In-place writes and views under autograd, against PyTorch 1.13 (test/autograd/gen-inplace-views.py →
// inplace-views-reference.ts), for every view kind × every in-place op:
//   - a write through a view of a tensor with history, or of a plain tensor with an operand that requires
//     grad (PyTorch's CopySlices): values, the base's and the view's grad_fn names, and the gradients of a
//     loss over the base, the written view and a view of the base taken before the write;
//   - a view taken before its base was changed in place (its history regenerated: AsStridedBackward0), and
//     before another view of the base was written;
//   - the refusals PyTorch makes: a view (or the leaf itself) of a leaf that requires grad ("a view of a
//     leaf Variable that requires grad is being used in an in-place operation"), a write into an expanded
//     view ("more than one element of the written-to tensor refers to a single memory location"; fill_ and
//     zero_ are allowed there), a view made under no_grad written or regenerated with grad enabled.
// Each error names the op that was called. gradCheck confirms the gradients of every write.
import { describe, expect, it } from "vitest";
import * as tg from "../../lib/index.js";
import { ref, type WriteCase } from "./inplace-views-reference.js";
import { expectClose, f64 } from "../ops/util.js";

type T = tg.Tensor;
type Nested = number | Nested[];
const W0 = [[0.5, 1.0, 1.5], [2.0, 2.5, 3.0]];

// The generator's views of a [2, 3] tensor, by the same names.
const VIEWS: Record<string, (y: T) => T> = {
  "narrow(0, 0, 1)": (y) => y.narrow(0, 0, 1),
  "narrow(1, 1, 2)": (y) => y.narrow(1, 1, 2),
  "slice(1, 0, 3, 2)": (y) => y.slice(1, 0, 3, 2),
  "select(0, 1)": (y) => y.select(0, 1),
  "select(1, 2)": (y) => y.select(1, 2),
  "transpose(0, 1)": (y) => y.transpose(0, 1),
  "t()": (y) => y.t(),
  "T": (y) => y.T,
  "permute(1, 0)": (y) => y.permute(1, 0),
  "reshape(3, 2)": (y) => y.reshape(3, 2),
  "view(6)": (y) => y.view(6),
  "flatten()": (y) => y.flatten(),
  "unsqueeze(0)": (y) => y.unsqueeze(0),
  "unsqueeze(1).squeeze(1)": (y) => y.unsqueeze(1).squeeze(1),
  "expandAs(y)": (y) => y.expandAs(y),
  "contiguous()": (y) => y.contiguous(),
  "t().narrow(0, 1, 2)": (y) => y.t().narrow(0, 1, 2),
  "narrow(1, 0, 2).select(0, 1)": (y) => y.narrow(1, 0, 2).select(0, 1),
  "select(0, 0).narrow(0, 1, 1)": (y) => y.select(0, 0).narrow(0, 1, 1),
  "select(0, 1).select(0, 2)": (y) => y.select(0, 1).select(0, 2),
  "narrow(1, 1, 0)": (y) => y.narrow(1, 1, 0),
  "narrow(0, 1, 1).expand(3, 3)": (y) => y.narrow(0, 1, 1).expand(3, 3),
};

// The generator's in-place ops: the op, and its operand (none, float64 or float32, requiring grad).
type Op = [(v: T, u: T) => T, false | "float64" | "float32"];
const OPS: Record<string, Op> = {
  "fill_(5)": [(v) => v.fill_(5), false],
  "zero_()": [(v) => v.zero_(), false],
  "copy_(u)": [(v, u) => v.copy_(u), "float64"],
  "copy_(u float32)": [(v, u) => v.copy_(u), "float32"],
  "add_(u)": [(v, u) => v.add_(u), "float64"],
  "add_(u, alpha -2)": [(v, u) => v.add_(u, { alpha: -2 }), "float64"],
  "add_(2)": [(v) => v.add_(2), false],
  "sub_(u)": [(v, u) => v.sub_(u), "float64"],
  "mul_(u)": [(v, u) => v.mul_(u), "float64"],
  "mul_(3)": [(v) => v.mul_(3), false],
  "div_(u)": [(v, u) => v.div_(u), "float64"],
  "div_(4)": [(v) => v.div_(4), false],
  "clamp_(2.5, 4.5)": [(v) => v.clamp_(2.5, 4.5), false],
};
const opName = (op: string) => op.slice(0, op.indexOf("("));

// An operand broadcasting to v (its last dim, or 0-d), nonzero, requiring grad: as the generator's.
function operand(v: T, dtype: "float64" | "float32"): T {
  const data = [0.5, -1.5, 2.0, -0.75, 1.25, 3.0];
  return v.ndim ? tg.tensor(data.slice(0, v.shape[v.ndim - 1]), { dtype, requiresGrad: true }) : tg.tensor(1.25, { dtype, requiresGrad: true });
}
const weights = (t: T, scale = 1) => tg.arange(1, t.numel() + 1, 1, { dtype: "float64" }).reshape(t.shape).mul(scale);
const weighted = (t: T, scale = 1) => t.mul(weights(t, scale)).sum();
// grad_fn names as PyTorch's, up to the overload number (tensorgrad's clamp node is ClampBackward0, PyTorch's ClampBackward1).
const nodes = (...ts: T[]) => ts.map((t) => t.gradFn?.name.replace(/\d$/, ""));
const names = (...ns: (string | undefined)[]) => ns.map((n) => n?.replace(/\d$/, ""));
function expectGrad(t: T | null, want: Nested | undefined): void {
  if (want === undefined) expect(t?.grad ?? null).toBeNull();
  else expectClose(t!.grad!, want, 1e-12);
}

describe("the reference covers exactly these view kinds and ops", () => {
  it("every case generated is run, and every kind and op here was generated", () => {
    const keys = Object.keys(VIEWS).flatMap((k) => Object.keys(OPS).map((o) => `${k}|${o}`));
    expect(Object.keys(ref.stale).sort()).toEqual([...keys].sort());
    expect(Object.keys(ref.write).sort()).toEqual(["history", "plain"].flatMap((b) => keys.map((k) => `${b}|${k}`)).sort());
  });
});

// y = w·2 (history) or a constant (plain); s = y.select(1, 1) taken before; v = kind(y); op on v.
function runWrite(base: string, kind: string, op: string, r: WriteCase): void {
  const w = f64(W0, true);
  const y = base === "history" ? w.mul(2) : f64(W0).mul(2);
  const s = y.select(1, 1);
  const v = VIEWS[kind](y);
  const [f, takes] = OPS[op];
  const u = takes ? operand(v, takes) : null;
  if (r.error) {
    expect(() => f(v, u!)).toThrow(new RegExp(`^${opName(op)}: .*more than one of its elements refers to a single memory location`));
    expectClose(y, [[1, 2, 3], [4, 5, 6]]);
    return;
  }
  expect(f(v, u!)).toBe(v);
  expectClose(y, r.y!, 1e-12);
  expect(y.requiresGrad).toBe(r.requiresGrad);
  if (!r.requiresGrad) return;
  // PyTorch's contiguous() returns y itself, so its nodes are y's; the twin computed PyTorch's values another way.
  if (kind !== "contiguous()" && !r.twin) expect(nodes(y, v)).toEqual(names(r.baseNode, r.viewNode));
  weighted(y).add(weighted(v, 0.5)).add(weighted(s, -1)).backward();
  if (base === "history") expectGrad(w, r.wGrad);
  expectGrad(u, r.uGrad);
}

describe("in-place writes through every view kind (PyTorch's CopySlices)", () => {
  const cases = Object.entries(ref.write).map(([key, r]) => [key, r] as const);
  it.each(cases)("%s", (key, r) => {
    const [base, kind, op] = key.split("|");
    runWrite(base, kind, op, r);
  });
});

describe("a view taken before its base changed in place has its history regenerated", () => {
  it.each(Object.entries(ref.stale))("%s", (key, r) => {
    const [kind, op] = key.split("|");
    const w = f64(W0, true), y = w.mul(2), v = VIEWS[kind](y);
    const [f, takes] = OPS[op];
    const u = takes ? operand(y, takes) : null;
    f(y, u!);
    expectClose(v, r.v, 1e-12);
    if (kind !== "contiguous()") expect(nodes(y, v)).toEqual(names(r.baseNode, r.viewNode));
    weighted(y).add(weighted(v, 0.5)).backward();
    expectGrad(w, r.wGrad);
    expectGrad(u, r.uGrad);
  });
  it.each(Object.entries(ref.sibling))("%s, after another view of the base was written", (kind, r) => {
    const w = f64(W0, true), u = f64([-2], true), y = w.mul(2), v = VIEWS[kind](y);
    y.narrow(1, 1, 1).mul_(u);
    expectClose(v, r.v, 1e-12);
    weighted(v, 0.5).backward();
    expectGrad(w, r.wGrad);
    expectGrad(u, r.uGrad);
  });
  it("several writes through different views, one of them reading another view of the same base", () => {
    const w = f64(W0, true), u = f64([3, -1], true), y = w.mul(2);
    y.narrow(1, 0, 2).select(0, 0).mul_(u);
    y.t().select(0, 2).copy_(u.mul(u));
    y.select(0, 1).clamp_(4.5, 5.5);
    y.narrow(1, 1, 1).add_(y.narrow(1, 0, 1));
    expectClose(y, ref.sequence.y, 1e-12);
    weighted(y).backward();
    expectGrad(w, ref.sequence.wGrad);
    expectGrad(u, ref.sequence.uGrad);
  });
});

describe("gradCheck of a write through each view kind", () => {
  const kinds = Object.keys(VIEWS);
  const ops = Object.keys(OPS).filter((o) => o !== "copy_(u float32)");
  it.each(kinds)("%s: every op", (kind) => {
    for (const op of ops) {
      if (ref.write[`history|${kind}|${op}`].error) continue;
      const [f, takes] = OPS[op];
      const w0 = f64(W0);
      const u0 = takes ? operand(VIEWS[kind](w0), "float64").detach() : f64(1);
      const fn = (w: T, u: T) => {
        const y = w.mul(2), s = y.select(1, 1), v = VIEWS[kind](y);
        f(v, u.mul(1));
        return tg.cat([y.reshape(-1), v.reshape(-1), s.reshape(-1)]);
      };
      expect(tg.gradCheck(fn, [w0, u0]), `${kind} ${op}`).toBe(true);
    }
  });
});

describe("custom Functions, detach() and noGrad around views", () => {
  it("markDirty on a view: the base's history becomes CopySlices, as PyTorch", () => {
    class Double extends tg.autograd.Function {
      static override forward(ctx: tg.autograd.FunctionCtx, x: T): T {
        x.mul_(2);
        ctx.markDirty(x);
        return x;
      }
      static override backward(_ctx: tg.autograd.FunctionCtx, g: T): T {
        return g.mul(2);
      }
    }
    expect(() => Double.apply(f64(W0, true).narrow(1, 1, 2))).toThrow(
      /^Double: forward modified input 0 in place \(markDirty\), but it is a leaf that requires grad or a view of one/);
    const w = f64(W0, true), y = w.mul(2), v = y.narrow(1, 1, 2);
    expect(Double.apply(v)).toBe(v);
    expectClose(y, ref.markDirty.y, 1e-12);
    expect(y.gradFn?.name).toBe(ref.markDirty.baseNode);
    weighted(y).backward();
    expectGrad(w, ref.markDirty.wGrad);
  });
  it("a write through a view of detach() changes the values, not the history", () => {
    const w = f64(W0, true), y = w.mul(2);
    y.detach().narrow(0, 0, 1).fill_(0);
    expectClose(y, ref.detached.y);
    weighted(y).backward();
    expectGrad(w, ref.detached.wGrad);
  });
  it("a write into a view under noGrad changes the values, not the history", () => {
    const w = f64(W0, true), y = w.mul(2);
    tg.noGrad(() => y.narrow(1, 0, 2).mul_(10));
    expectClose(y, ref.noGradWrite.y);
    expect(y.gradFn?.name).toBe(ref.noGradWrite.baseNode);
    weighted(y).backward();
    expectGrad(w, ref.noGradWrite.wGrad);
  });
  it("a base that is itself strided (detach() of a transpose) routes the gradient through its own layout", () => {
    const u = f64([0.5, -1.5], true);
    const d = tg.zeros([3, 2], { dtype: "float64" }).t().detach();
    d.narrow(1, 0, 2).select(0, 1).copy_(u);
    expectClose(d, ref.stridedBase.d);
    expect(d.gradFn?.name).toBe("CopySlices");
    d.mul(tg.arange(1, 7, 1, { dtype: "float64" }).reshape([2, 3])).sum().backward();
    expectGrad(u, ref.stridedBase.uGrad);
  });
  // PyTorch 1.13 raises "more than one element of the written-to tensor refers to a single memory location" here too.
  it("a recorded write through a view of a base whose own elements overlap (detach() of an expand) is refused", () => {
    const e = tg.zeros([1, 3], { dtype: "float64" }).expand([2, 3]).detach();
    expect(() => e.select(0, 0).narrow(0, 0, 2).copy_(f64([0.5, -1.5], true))).toThrow(
      /^copy_: the view \(shape \[2\]\) belongs to a tensor \(shape \[2, 3\], strides \[0, 1\]\) whose elements share memory/);
    expect(e.toArray()).toEqual([[0, 0, 0], [0, 0, 0]]);
  });
  it("a view made under noGrad refuses a recorded write, and regeneration after its base changed (as PyTorch)", () => {
    for (const [op, [f, takes]] of Object.entries(OPS)) {
      const y = f64(W0, true).mul(2);
      const v = tg.noGrad(() => y.narrow(0, 0, 1));
      expect(() => f(v, operand(v, takes || "float64")), op).toThrow(
        new RegExp(`^a view was created in tg.noGrad and is being modified in place \\(${opName(op)}\\) with grad mode enabled`));
      expectClose(y, [[1, 2, 3], [4, 5, 6]]);
      tg.noGrad(() => f(v, operand(v, "float64")));  // both inside noGrad: allowed
    }
    const y = f64(W0, true).mul(2);
    const v = tg.noGrad(() => y.narrow(0, 0, 1)), inner = v.select(1, 0);
    y.mul_(2);
    expect(() => v.sum()).toThrow(/a view was created in tg.noGrad and its base or another view of its base has been modified in place/);
    expect(() => inner.requiresGrad).toThrow(/a view was created in tg.noGrad/);
  });
});

describe("in-place writes on a leaf that requires grad, directly or through any view, are refused", () => {
  const cases = Object.keys(VIEWS).flatMap((k) => Object.keys(OPS).map((o) => [k, o] as const));
  it.each(cases)("%s then %s", (kind, op) => {
    const x = f64(W0, true);
    const [f, takes] = OPS[op];
    const u = operand(VIEWS[kind](x), takes || "float64");
    expect(() => f(VIEWS[kind](x), u)).toThrow(
      new RegExp(`^${opName(op)}: a view of a leaf tensor that requires grad is being used in an in-place operation`));
    expect(() => f(x, operand(x, takes || "float64"))).toThrow(new RegExp(`^${opName(op)}: a leaf tensor that requires grad cannot be changed in place`));
    expectClose(x, W0);
    expect(x.isLeaf && x.grad === null).toBe(true);
  });
  // PyTorch 1.13: B = zeros(4); v = B[:2]; v.requires_grad_(); v.mul_(2) and v.narrow(0, 0, 1).mul_(2) both raise
  // "a view of a leaf Variable that requires grad is being used in an in-place operation."
  it("a view made a leaf by requiresGrad_() is refused as a leaf, and so are views of it", () => {
    const B = tg.zeros([4], { dtype: "float64" }), v = B.narrow(0, 0, 2);
    v.requiresGrad_();
    expect(() => v.mul_(2)).toThrow(/^mul_: a leaf tensor that requires grad cannot be changed in place/);
    expect(() => v.narrow(0, 0, 1).mul_(2)).toThrow(/^mul_: a view of a leaf tensor that requires grad/);
    expect(B.toArray()).toEqual([0, 0, 0, 0]);
  });
  it("under noGrad, and through detach(), the write is allowed (as PyTorch)", () => {
    const x = tg.ones([2], { requiresGrad: true });
    tg.noGrad(() => x.select(0, 0).fill_(5));
    x.detach().select(0, 1).fill_(7);
    expect(Array.from(x.data())).toEqual([5, 7]);
  });
});

// PyTorch 1.13 (same inputs): w = tensor([1., 2.], requires_grad=True); t = zeros(2); t.copy_(w.mul(2));
// t.mul(w).sum().backward() -> w.grad = [4, 8], t.grad_fn = CopyBackwards; t = zeros(2, 2); t.copy_(w * 3);
// (t * t).sum().backward() -> [36, 72]; float32 t.copy_(float64 w * 3), t.sum().backward() -> [3, 3] float64;
// y = w * 2; y.copy_(tensor([5, 5])) -> y.grad_fn CopyBackwards, (y * w).sum().backward() -> w.grad [5, 5];
// y.zero_() -> ZeroBackward0, y.fill_(2) -> FillBackward2: y still requires grad, w.grad = [0, 0] from y alone.
describe("copy_, fill_ and zero_ on a whole tensor", () => {
  it("copy_ makes the written tensor part of the graph", () => {
    const w = tg.tensor([1, 2], { requiresGrad: true });
    const t = tg.zeros([2]);
    t.copy_(w.mul(2));
    expect(String(t)).toMatch(/grad_fn=<CopyBackwards>/);
    t.mul(w).sum().backward();
    expect(Array.from(w.grad!.data())).toEqual([4, 8]);
  });
  it("a broadcast source and a dtype change route the gradient back to the source's shape and dtype", () => {
    const w = tg.tensor([1, 2], { requiresGrad: true });
    const t = tg.zeros([2, 2]);
    t.copy_(w.mul(3));
    t.mul(t).sum().backward();
    expect(Array.from(w.grad!.data())).toEqual([36, 72]);
    const v = tg.tensor([1, 2], { dtype: "float64", requiresGrad: true });
    const f = tg.zeros([2]);
    f.copy_(v.mul(3));
    f.sum().backward();
    expect(v.grad!.dtype).toBe("float64");
    expect(Array.from(v.grad!.data())).toEqual([3, 3]);
  });
  it("a constant written over a tensor with history keeps it in the graph with a zero gradient (as PyTorch)", () => {
    for (const [write, node] of [[(y: T) => y.copy_(tg.tensor([5, 5])), "CopyBackwards"], [(y: T) => y.zero_(), "ZeroBackward0"],
      [(y: T) => y.fill_(2), "FillBackward2"]] as const) {
      const w = tg.tensor([1, 2], { requiresGrad: true });
      const y = w.mul(2);
      write(y);
      expect([y.requiresGrad, y.gradFn?.name]).toEqual([true, node]);
      y.sum().backward();
      expect(w.grad!.toArray()).toEqual([0, 0]);
    }
  });
  it("a tensor that used the old values refuses backward instead of using the new ones", () => {
    const w = tg.tensor([1, 2], { requiresGrad: true });
    const t = w.mul(2);
    const u = t.mul(w);  // saves t for w's gradient (t.mul(3) would save nothing, as in PyTorch)
    t.copy_(w.mul(5));
    expect(() => u.sum().backward()).toThrow(/modified in place/);
  });
  it("a source overlapping the destination in another layout is read before it is overwritten", () => {
    const a = tg.arange(5, undefined, 1, { dtype: "float32" });
    a.narrow(0, 1, 3).copy_(a.narrow(0, 0, 3));
    expect(a.toArray()).toEqual([0, 0, 1, 2, 4]);
    const b = tg.arange(5, undefined, 1, { dtype: "float32" });
    b.narrow(0, 1, 3).add_(b.narrow(0, 0, 3));
    expect(b.toArray()).toEqual([0, 1, 3, 5, 4]);
  });
  it("views of tensors that need no grad stay plain writes, int32 included", () => {
    const a = tg.zeros([2, 2]);
    a.select(0, 1).fill_(3);
    expect(a.toArray()).toEqual([[0, 0], [3, 3]]);
    expect(a.requiresGrad).toBe(false);
    const k = tg.tensor([1, 2, 3], { dtype: "int32" });
    k.narrow(0, 0, 2).mul_(2);
    expect(k.toArray()).toEqual([2, 4, 3]);
  });
});
