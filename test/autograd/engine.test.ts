import { describe, expect, it } from "vitest";
import * as tg from "../../lib/index.js";
import { expectClose, f64 } from "../ops/util.js";

describe("branches and accumulation", () => {
  it("gradients add where a tensor is used twice", () => {
    const x = f64([3], true);
    x.mul(x).add(x).sum().backward(); // d(x² + x) = 2x + 1
    expectClose(x.grad!, [7]);
    const y = f64([2], true);
    const h = y.mul(3);
    h.mul(h).add(h.exp()).sum().backward(); // d(9y² + e^{3y}) = 18y + 3e^{3y}
    expectClose(y.grad!, [36 + 3 * Math.exp(6)], 1e-12);
  });
  it("diamond graph: a -> (b, c) -> d", () => {
    const a = f64([1.5], true);
    const b = a.sigmoid(), c = a.tanh();
    b.mul(c).sum().backward();
    const s = 1 / (1 + Math.exp(-1.5)), t = Math.tanh(1.5);
    expectClose(a.grad!, [s * (1 - s) * t + s * (1 - t * t)], 1e-12);
  });
  it(".grad accumulates across backward calls until zeroed", () => {
    const x = f64([1, 2], true);
    x.mul(3).sum().backward();
    x.mul(3).sum().backward();
    expectClose(x.grad!, [6, 6]);
    x.grad!.zero_();
    x.mul(x).sum().backward();
    expectClose(x.grad!, [2, 4]);
    x.grad = null;
    x.sum().backward();
    expectClose(x.grad!, [1, 1]);
  });
  it("backward with an explicit gradient for a non-scalar output", () => {
    const x = f64([1, 2, 3], true);
    x.mul(x).backward(f64([1, 0, -1]));
    expectClose(x.grad!, [2, 0, -6]);
  });
});

describe("graph lifetime and errors", () => {
  it("the graph is freed after backward: a second backward throws a clear error", () => {
    const x = f64([2], true);
    const y = x.exp().mul(3).sum();
    y.backward();
    expect(() => y.backward()).toThrow(/backward through the graph a second time.*retainGraph: true/s);
  });
  it("retainGraph keeps it for a second pass (gradients add)", () => {
    const x = f64([2], true);
    const y = x.mul(x).sum();
    y.backward(undefined, { retainGraph: true });
    y.backward();
    expectClose(x.grad!, [8]);
    expect(() => y.backward()).toThrow(/second time/);
  });
  it("backward of a non-scalar without a gradient names the shape", () => {
    const x = f64([1, 2], true);
    expect(() => x.mul(2).backward()).toThrow(/only for a tensor with one element.*shape \[2\]/);
  });
  it("backward of a tensor that does not require grad", () => {
    expect(() => tg.tensor([1]).sum().backward()).toThrow(/does not require grad/);
  });
  it("a gradient of the wrong shape is refused", () => {
    const x = f64([1, 2], true);
    expect(() => x.mul(2).backward(f64([1, 2, 3]))).toThrow(/shape \[3\].*shape \[2\]/);
  });
  it("int32 tensors cannot require grad", () => {
    expect(() => tg.tensor([1, 2], { dtype: "int32", requiresGrad: true })).toThrow(/only float tensors can require gradients \(this one is int32\)/);
    expect(() => tg.arange(3).requiresGrad_()).toThrow(/int32/);
  });
});

describe("grad mode, detach, requiresGrad_", () => {
  it("noGrad records nothing and restores the mode, even on throw", () => {
    const x = f64([1], true);
    const y = tg.noGrad(() => x.mul(2));
    expect(y.requiresGrad).toBe(false);
    expect(y.gradFn).toBeNull();
    expect(tg.isGradEnabled()).toBe(true);
    expect(() => tg.noGrad(() => { throw new Error("boom"); })).toThrow("boom");
    expect(tg.isGradEnabled()).toBe(true);
    expect(tg.noGrad(() => tg.enableGrad(() => x.mul(2))).requiresGrad).toBe(true);
    tg.setGradEnabled(false);
    expect(x.add(1).requiresGrad).toBe(false);
    tg.setGradEnabled(true);
    expect(x.add(1).requiresGrad).toBe(true);
  });
  it("detach shares storage and cuts the graph", () => {
    const x = f64([1, 2], true);
    const d = x.mul(2).detach();
    expect(d.requiresGrad).toBe(false);
    expect(d.gradFn).toBeNull();
    const e = x.detach();
    expect(e.storage).toBe(x.storage);
    const z = x.mul(d).sum();
    z.backward();
    expectClose(x.grad!, [2, 4]); // d treated as a constant
  });
  it("requiresGrad_ on leaves only", () => {
    const x = f64([1]);
    expect(x.requiresGrad_()).toBe(x);
    expect(x.requiresGrad).toBe(true);
    x.requiresGrad_(false);
    expect(x.requiresGrad).toBe(false);
    const y = f64([1], true).mul(2);
    expect(() => y.requiresGrad_(false)).toThrow(/only leaf tensors/);
  });
});

describe("leaf and non-leaf .grad", () => {
  it("non-leaf .grad stays null unless retainGrad() was called", () => {
    const x = f64([1, 2], true);
    const h = x.mul(3), k = x.mul(4).retainGrad();
    expect(x.isLeaf).toBe(true);
    expect(h.isLeaf).toBe(false);
    h.add(k).mul(2).sum().backward();
    expect(h.grad).toBeNull();
    expectClose(k.grad!, [2, 2]);
    expectClose(x.grad!, [14, 14]);
  });
  it("retainGrad() follows the tensor through an in-place op: .grad is the gradient of its new value (PyTorch's test_retain_grad_inplace)", () => {
    const x = tg.tensor([1, 2, 3, 4], { requiresGrad: true });
    const a = x.mul(1).retainGrad();
    a.mul_(2);
    a.sum().backward();
    expect([a.grad!.toArray(), x.grad!.toArray()]).toEqual([[1, 1, 1, 1], [2, 2, 2, 2]]);
    const y = tg.tensor([1, 2], { requiresGrad: true });
    const b = y.mul(1).retainGrad(), c = b.mul(3);
    b.add_(1);
    c.add(b).sum().backward();
    expect([b.grad!.toArray(), y.grad!.toArray()]).toEqual([[1, 1], [4, 4]]);
    const z = tg.tensor([1, 2], { requiresGrad: true });
    const d = z.mul(1).retainGrad();
    d.copy_(z.mul(5));
    d.mul(2).sum().backward();
    expect([d.grad!.toArray(), z.grad!.toArray()]).toEqual([[2, 2], [10, 10]]);
  });
  it("through views as PyTorch 1.13: a view written in place gets its new value's gradient; a base written through a view keeps its old one's", () => {
    // torch: b = y*1; w = b[1:3]; w.retain_grad(); w.mul_(3); (w*w).sum().backward() → w.grad [12, 18], y.grad [0, 36, 54, 0]
    const y = tg.tensor([1, 2, 3, 4], { requiresGrad: true });
    const w = y.mul(1).narrow(0, 1, 2).retainGrad();
    w.mul_(3);
    w.mul(w).sum().backward();
    expect([w.grad!.toArray(), y.grad!.toArray()]).toEqual([[12, 18], [0, 36, 54, 0]]);
    // torch: a = x*1; a.retain_grad(); a[0:2].mul_(10); (a*a).sum().backward() → a.grad [200, 400, 6, 8] (1.13's value)
    const x = tg.tensor([1, 2, 3, 4], { requiresGrad: true });
    const a = x.mul(1).retainGrad();
    a.narrow(0, 0, 2).mul_(10);
    a.mul(a).sum().backward();
    expect([a.grad!.toArray(), x.grad!.toArray()]).toEqual([[200, 400, 6, 8], [200, 400, 6, 8]]);
  });
  it("retainGrad() refuses a disposed tensor, and one disposed after it gets no gradient kept", () => {
    const x = f64([1, 2], true);
    const y = x.mul(3), z = x.exp();
    y.dispose();
    expect(() => y.retainGrad()).toThrow("retainGrad: the tensor (shape [2], float64) was disposed; use it before calling dispose()");
    z.dispose();  // exp saves its output: z is only marked until backward
    expect(() => z.retainGrad()).toThrow("retainGrad: the tensor (shape [2], float64) was disposed; use it before calling dispose()");
    const w = x.mul(4).retainGrad(), v = x.mul(5).retainGrad();
    const loss = w.add(v).sum();
    w.dispose();
    loss.backward();
    expect(w.grad).toBeNull();
    expectClose(v.grad!, [1, 1]);
    expectClose(x.grad!, [9, 9]);
  });
  it("a leaf that does not require grad gets no .grad", () => {
    const c = f64([5]), x = f64([1], true);
    x.mul(c).sum().backward();
    expect(c.grad).toBeNull();
    expectClose(x.grad!, [5]);
  });
  it("leaf .grad is dense with the leaf's shape and dtype (even from a broadcast gradient)", () => {
    const x = tg.tensor([[1, 2]], { requiresGrad: true });
    x.expand(3, 2).sum().backward();
    expect(x.grad!.shape).toEqual([1, 2]);
    expect(x.grad!.dtype).toBe("float32");
    expect(x.grad!.isContiguous()).toBe(true);
    expectClose(x.grad!, [[3, 3]]);
  });
});

describe("tg.autograd.grad", () => {
  it("returns gradients without touching .grad", () => {
    const x = f64([1, 2], true), y = f64([3], true);
    const out = x.mul(x).sum().mul(y);
    const [gx, gy] = tg.autograd.grad(out, [x, y]);
    expectClose(gx!, [6, 12]);
    expectClose(gy!, [5]);
    expect(x.grad).toBeNull();
    expect(y.grad).toBeNull();
  });
  it("gradients with respect to an intermediate tensor", () => {
    const x = f64([2], true);
    const h = x.mul(3);
    const [gh] = tg.autograd.grad(h.mul(h).sum(), h);
    expectClose(gh!, [12]);
  });
  it("unused inputs: error unless allowUnused", () => {
    const x = f64([1], true), u = f64([1], true);
    expect(() => tg.autograd.grad(x.mul(2).sum(), [x, u])).toThrow(/input 1 was not used/);
    const [gx, gu] = tg.autograd.grad(x.mul(2).sum(), [x, u], { allowUnused: true });
    expectClose(gx!, [2]);
    expect(gu).toBeNull();
  });
  it("non-scalar outputs need gradOutputs; retainGraph allows a second call", () => {
    const x = f64([1, 2], true);
    const y = x.mul(x);
    expect(() => tg.autograd.grad(y, x)).toThrow(/not a scalar; pass gradOutputs/);
    const [g1] = tg.autograd.grad(y, x, { gradOutputs: f64([1, 1]), retainGraph: true });
    const [g2] = tg.autograd.grad(y, x, { gradOutputs: f64([1, 0]) });
    expectClose(g1!, [2, 4]);
    expectClose(g2!, [2, 0]);
  });
  it("a disposed output or gradOutput, or a non-tensor, is refused naming the argument, as backward() refuses", () => {
    const x = f64([1, 2], true);
    const y = x.mul(2).sum();
    y.dispose();  // sum's node saves nothing: y ends at once, and backward() from it throws too
    expect(() => tg.autograd.grad(y, x)).toThrow(/^autograd\.grad: outputs\[0\] \(shape \[\], float64\) was disposed/);
    expect(() => y.backward()).toThrow(/was disposed/);
    const z = x.mul(x), g = f64([1, 1]);
    g.dispose();
    expect(() => tg.autograd.grad(z, x, { gradOutputs: g })).toThrow(/^autograd\.grad: gradOutputs\[0\] \(shape \[2\], float64\) was disposed/);
    expect(() => tg.autograd.grad(z, [x, 5 as never], { gradOutputs: f64([1, 1]) })).toThrow(/^autograd\.grad: inputs\[1\] must be a Tensor, got number 5/);
    expect(() => tg.autograd.grad(["z" as never], x)).toThrow(/^autograd\.grad: outputs\[0\] must be a Tensor/);
  });
});

describe("gradCheck itself", () => {
  it("catches a wrong gradient", () => {
    // detach() inside fn hides half of d(x²)/dx from the tape (gradCheck weights element 0 by 0.5)
    expect(() => tg.gradCheck((t) => t.mul(t.detach()), [f64([1, 2])])).toThrow(/gradCheck: input 0 \(shape \[2\]\) element 0: analytic 0\.5 vs numeric (1|0\.99)/);
  });
  it("skips int32 inputs and requires some float input", () => {
    expect(tg.gradCheck((t, i) => t.indexSelect(0, i), [f64([1, 2]), tg.tensor([1], { dtype: "int32" })])).toBe(true);
    expect(() => tg.gradCheck((i) => i.float(), [tg.tensor([1], { dtype: "int32" })])).toThrow(/no float inputs/);
  });
});
