// add_, sub_, mul_, div_, clamp_: values and gradients against PyTorch 1.13 (test/ops/reference.ts)
// on a non-leaf, the in-place rules shared with copy_/fill_ (lib/ops/write.ts: leaf refused, view of a leaf
// refused, history rebased, version counter bumped), dtypes, broadcasting and aliasing. Writes through
// views: test/autograd/inplace-views.test.ts.
import { describe, expect, it } from "vitest";
import * as tg from "../../lib/index.js";
import * as ref from "./reference.js";
import { expectClose, f64, i32 } from "./util.js";

type Op = "add" | "sub" | "mul" | "div";
const A = [[1.5, -2.0, 0.5], [3.0, 0.25, -1.0]];
const B = [2.0, -0.5, 4.0];

describe("in-place arithmetic", () => {
  it.each(["add", "sub", "mul", "div"] as Op[])("%s_ matches PyTorch on a non-leaf: tensor then scalar operand, gradients to both", (op) => {
    const a = f64(A, true), b = f64(B, true);
    const x = a.mul(1);
    const m = `${op}_` as "add_";
    expect(x[m](b)).toBe(x);
    x[m](2);
    expectClose(x, ref.inplace[op].y, 1e-12);
    expect(x.gradFn?.name).toBe(`${op[0].toUpperCase()}${op.slice(1)}Backward0`);  // PyTorch's: x takes the op's node
    x.mul(tg.arange(1, 7, 1, { dtype: "float64" }).reshape([2, 3])).sum().backward();
    expectClose(a.grad!, ref.inplace[op].grads[0], 1e-12);
    expectClose(b.grad!, ref.inplace[op].grads[1], 1e-12);
  });
  it("add_ with alpha, clamp_ with gradients, int32 clamp_, as PyTorch", () => {
    const y = tg.tensor([1, 2]);
    y.add_(tg.tensor([3, 4]), { alpha: -2 });
    expectClose(y, ref.inplace["add alpha"].y);
    const c0 = f64([0.5, -2, 3], true);
    const c = c0.mul(2);
    c.clamp_(-1, 2);
    expectClose(c, ref.inplace.clamp.y);
    c.mul(f64([1, 2, 3])).sum().backward();
    expectClose(c0.grad!, ref.inplace.clamp.grads[0]);
    const k = i32([0, 3, -5]);
    k.clamp_(-1, 2);
    expect(k.dtype).toBe("int32");
    expectClose(k, ref.inplace["int clamp"].y);
  });
  it("without grad the kernel writes x's own storage (no copy) and bumps the version", () => {
    const x = tg.tensor([1, 2, 3]);
    const storage = x.storage;
    x.mul_(2).add_(1).sub_(tg.tensor([1, 1, 1])).div_(2).clamp_(null, 2.5);
    expect(x.storage).toBe(storage);
    expectClose(x, [1, 2, 2.5]);
    // a rule that saved x refuses to run after x changed
    const w = tg.tensor([1, 2], { requiresGrad: true });
    const h = w.mul(1);
    const z = h.mul(w);
    tg.noGrad(() => h.add_(1));
    expect(() => z.sum().backward()).toThrow(/modified in place/);
  });
  it("refuses a leaf that requires grad and a view of one, as copy_ and fill_; noGrad allows it", () => {
    const w = tg.tensor([1, 2], { requiresGrad: true });
    expect(() => w.add_(1)).toThrow(/add_: a leaf tensor that requires grad cannot be changed in place/);
    expect(() => w.narrow(0, 0, 1).mul_(2)).toThrow(/mul_: a view of a leaf tensor that requires grad/);
    expect(() => w.clamp_(0, 1)).toThrow(/clamp_: a leaf tensor/);
    tg.noGrad(() => w.sub_(tg.tensor([1, 1])));
    expectClose(w, [0, 1]);
    expect(w.isLeaf).toBe(true);
  });
  it("keeps x's dtype: int32 takes integer operands, refuses float results as PyTorch; float x takes int32 operands", () => {
    const k = i32([1, 2]);
    k.add_(3).mul_(i32([2, 3]));
    expect(k.dtype).toBe("int32");
    expectClose(k, [8, 15]);
    expect(() => i32([1]).add_(0.5)).toThrow(/add_: the result type float can't be cast to the int32 tensor/);
    expect(() => i32([1]).mul_(tg.tensor([2]))).toThrow(/mul_: the result type float/);
    expect(() => i32([4]).div_(2)).toThrow(/div_: the result type float/);
    expect(() => i32([4]).add_(i32([1]), { alpha: 0.5 })).toThrow(/add_: the result type float/);
    expect(() => i32([4]).clamp_(0.5, 2)).toThrow(/clamp_: the result type float/);
    const f = tg.tensor([1.5, 2]);
    f.add_(i32([1, 1]));
    expectClose(f, [2.5, 3]);
  });
  it("broadcasts the operand to x but never x to the operand; an aliased operand reads the old values", () => {
    expect(() => tg.zeros([3]).add_(tg.ones([2, 3]))).toThrow(/add_: the operand of shape \[2, 3\] does not broadcast to the tensor written in place, shape \[3\]/);
    expect(() => tg.zeros([1, 3]).expand([2, 3]).add_(1)).toThrow(/add_: the tensor \(shape \[2, 3\], strides \[0, 1\]\) is an expanded view.*; write into a clone\(\)/);
    const x = tg.tensor([[1, 2], [3, 4]]);
    x.add_(x.t());
    expectClose(x, [[2, 5], [5, 8]]);
    const y = tg.tensor([1, 2]);
    y.mul_(y);
    expectClose(y, [1, 4]);
    expect(() => y.add_("1" as never)).toThrow(/add_: other must be a Tensor or a number, got string/);
    expect(() => y.add_(1, { beta: 2 } as never)).toThrow(/add_: unknown option "beta"/);
  });
  it("an operand that requires grad makes a plain tensor part of the graph (as copy_)", () => {
    const w = tg.tensor([1, 2], { requiresGrad: true });
    const t = tg.zeros([2]);
    t.add_(w.mul(2));
    t.mul(w).sum().backward();
    expectClose(w.grad!, [4, 8]);  // PyTorch: d/dw (2w·w) = 4w
  });
});
