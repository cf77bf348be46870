// copy_ as part of autograd, and in-place writes through views of leaves, with PyTorch 1.13's
// values and messages (computed with the same inputs):
//   w = tensor([1., 2.], requires_grad=True); t = zeros(2); t.copy_(w.mul(2)); t.mul(w).sum().backward()
//     -> w.grad = [4., 8.], t.grad_fn = CopyBackwards
//   t = zeros(2, 2); t.copy_(w * 3); (t * t).sum().backward()  -> w.grad = [36., 72.]
//   t = zeros(2) (float32); t.copy_(w * 3) with float64 w; t.sum().backward() -> w.grad = [3., 3.] float64
//   x.select(0, 0).fill_(0), x.narrow(0, 0, 1).copy_(ones(1)), x.reshape([2]).zero_() on a leaf x that requires grad
//     -> "a view of a leaf Variable that requires grad is being used in an in-place operation."
import { describe, expect, it } from "vitest";
import * as tg from "../../lib/index.js";

describe("copy_ is differentiable", () => {
  it("the issue's case: the written tensor joins the graph", () => {
    const w = tg.tensor([1, 2], { requiresGrad: true });
    const t = tg.zeros([2]);
    t.copy_(w.mul(2));
    expect(String(t)).toMatch(/grad_fn=<CopyBackwards>/);
    t.mul(w).sum().backward();
    expect(Array.from(w.grad!.data())).toEqual([4, 8]);
  });
  it("broadcast source and a dtype change route the gradient back to the source's shape and dtype", () => {
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
  it("copying a constant over a non-leaf drops its history (its old values are gone)", () => {
    const w = tg.tensor([1, 2], { requiresGrad: true });
    const t = w.mul(2);
    t.copy_(tg.tensor([5, 5]));
    expect(t.requiresGrad).toBe(false);
    const y = t.mul(w).sum();
    y.backward();
    expect(Array.from(w.grad!.data())).toEqual([5, 5]);
  });
  it("a tensor that used the old values refuses backward instead of using the new ones", () => {
    const w = tg.tensor([1, 2], { requiresGrad: true });
    const t = w.mul(2);
    const u = t.mul(w);  // saves t for w's gradient (t.mul(3) would save nothing, as in PyTorch)
    t.copy_(w.mul(5));
    expect(() => u.sum().backward()).toThrow(/modified in place/);
  });
  it("copying a tensor that requires grad into a view is refused loudly, never a dropped path", () => {
    const w = tg.tensor([1, 2], { requiresGrad: true });
    const buf = tg.zeros([4]);
    expect(() => buf.narrow(0, 0, 2).copy_(w.mul(2))).toThrow(/copy_: copying a tensor that requires grad into a view .* not supported/);
    // Under noGrad it is a plain write.
    tg.noGrad(() => buf.narrow(0, 0, 2).copy_(w.mul(2)));
    expect(Array.from(buf.data())).toEqual([2, 4, 0, 0]);
  });
});

describe("in-place writes through a view of a leaf that requires grad", () => {
  const cases: [string, (x: tg.Tensor) => unknown][] = [
    ["select(0, 0).fill_(0)", (x) => x.select(0, 0).fill_(0)],
    ["narrow(0, 0, 1).copy_(ones([1]))", (x) => x.narrow(0, 0, 1).copy_(tg.ones([1]))],
    ["reshape([2]).zero_()", (x) => x.reshape([2]).zero_()],
    ["t().fill_(1) of a 2-D leaf", (x) => x.reshape([1, 2]).t().fill_(1)],
    ["view(-1).unsqueeze(0).zero_()", (x) => x.view(-1).unsqueeze(0).zero_()],
  ];
  it.each(cases)("%s throws as PyTorch, and the leaf is unchanged", (_, f) => {
    const x = tg.ones([2], { requiresGrad: true });
    expect(() => f(x)).toThrow(/a view of a leaf tensor that requires grad is being used in an in-place operation/);
    expect(Array.from(x.data())).toEqual([1, 1]);
  });
  it("under noGrad, and through detach(), the write is allowed (as PyTorch)", () => {
    const x = tg.ones([2], { requiresGrad: true });
    tg.noGrad(() => x.select(0, 0).fill_(5));
    x.detach().select(0, 1).fill_(7);
    expect(Array.from(x.data())).toEqual([5, 7]);
  });
  it("views of tensors that do not require grad stay writable", () => {
    const a = tg.zeros([2, 2]);
    a.select(0, 1).fill_(3);
    expect(a.toArray()).toEqual([[0, 0], [3, 3]]);
  });
});

// PyTorch 1.13 on the same inputs (w = tensor([1., 2., 3.], requires_grad=True)):
//   y = w * 1; y.zero_(); (y * w).sum().backward()                      -> w.grad = [0, 0, 0]
//   y = w * 1; v = y.narrow(0, 1, 2); y.mul_(2); v.sum().backward()    -> w.grad = [0, 2, 2] (v's history rebuilt)
//   y = w * 1; y.narrow(0, 0, 1).fill_(5); y.sum().backward()          -> w.grad = [0, 1, 1] (CopySlices)
// tensorgrad gives the first and refuses the other two loudly (it has no CopySlices / view-history rebuild):
// before, they silently gave [0, 1, 1] and [1, 1, 1].
describe("in-place writes and the history of non-leaves and their views", () => {
  const w = () => tg.tensor([1, 2, 3], { requiresGrad: true });
  it("fill_/zero_ over a non-leaf ends its history: no gradient through the old values", () => {
    const a = w(), y = a.mul(1);
    y.zero_();
    expect(y.requiresGrad).toBe(false);
    y.mul(a).sum().backward();
    expect(a.grad!.toArray()).toEqual([0, 0, 0]);
  });
  it("a view taken before its base's history changed is refused, naming both shapes", () => {
    for (const change of [(y: tg.Tensor) => y.mul_(2), (y: tg.Tensor) => y.fill_(1), (y: tg.Tensor) => y.copy_(tg.ones([3]))]) {
      const a = w(), y = a.mul(1), v = y.narrow(0, 1, 2);
      change(y);
      expect(() => v.sum().backward()).toThrow(/autograd: a view \(shape \[2\]\) of a tensor \(shape \[3\]\) is used after an in-place op changed that tensor's autograd history/);
    }
  });
  it("a view taken after the in-place op works", () => {
    const a = w(), y = a.mul(1);
    y.mul_(2);
    y.narrow(0, 1, 2).sum().backward();
    expect(a.grad!.toArray()).toEqual([0, 2, 2]);
  });
  it("writing a constant into a view of a non-leaf is refused before anything is written", () => {
    const a = w(), y = a.mul(1);
    expect(() => y.narrow(0, 0, 1).fill_(5)).toThrow(/fill_: writing into a view \(shape \[1\]\) of a tensor with autograd history \(shape \[3\]\)/);
    expect(() => y.narrow(0, 0, 1).copy_(tg.tensor([5]))).toThrow(/copy_: writing into a view/);
    expect(y.toArray()).toEqual([1, 2, 3]);
    tg.noGrad(() => y.narrow(0, 0, 1).fill_(5));
    expect(y.toArray()).toEqual([5, 2, 3]);
  });
});
