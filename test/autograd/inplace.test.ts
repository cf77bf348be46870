// In-place changes and the tape: modified tensors are caught, shared gradients are never zeroed
// through an alias, and the edge cases a review found give clear errors or PyTorch's answer.
import { describe, expect, it } from "vitest";
import * as tg from "../../lib/index.js";

describe("in-place changes", () => {
  it("backward refuses a tensor modified in place after an op saved it", () => {
    const x = tg.tensor([1, 2], { requiresGrad: true });
    const y = x.exp();
    tg.noGrad(() => y.fill_(0));
    expect(() => y.sum().backward()).toThrow(/modified in place/);
  });
  it("backward refuses a parameter an optimizer stepped after the forward pass", () => {
    const w = tg.tensor([1, 2], { requiresGrad: true });
    const loss = w.mul(w).sum();
    loss.backward({ retainGraph: true });
    new tg.optim.SGD([w], { lr: 0.1 }).step();
    expect(() => loss.backward()).toThrow(/modified in place/);
  });
  it("a leaf that requires grad cannot change in place outside noGrad", () => {
    const w = tg.tensor([1, 2], { requiresGrad: true });
    expect(() => w.fill_(0)).toThrow(/leaf tensor that requires grad/);
    expect(() => w.copy_(tg.tensor([3, 4]))).toThrow(/leaf tensor that requires grad/);
    tg.noGrad(() => w.copy_(tg.tensor([3, 4])));
    expect(w.toArray()).toEqual([3, 4]);
  });
  it("copy_ into an expanded view is refused; copying a tensor onto itself is a no-op", () => {
    const e = tg.zeros([1, 3]).expand([4, 3]);
    expect(() => e.copy_(tg.ones([4, 3]))).toThrow(/expanded view/);
    const m = new tg.nn.Linear(2, 2);
    const before = m.weight.toArray();
    m.loadStateDict(Object.fromEntries(m.namedParameters()));
    expect(m.weight.toArray()).toEqual(before);
  });
});

describe("gradients that share storage", () => {
  it("zeroGrad({ setToNone: false }) leaves the user's gradient and other leaves' grads alone", () => {
    const a = tg.tensor([1, 2], { requiresGrad: true }), b = tg.tensor([3, 4], { requiresGrad: true });
    const gy = tg.tensor([5, 6]);
    a.add(b).backward(gy);
    new tg.optim.SGD([a], { lr: 0.1 }).zeroGrad({ setToNone: false });
    expect(a.grad!.toArray()).toEqual([0, 0]);
    expect(gy.toArray()).toEqual([5, 6]);
    expect(b.grad!.toArray()).toEqual([5, 6]);
  });
  it("a gradient whose shape differs from its tensor's is refused when assigned (as PyTorch)", () => {
    const p = tg.zeros([2, 3], { requiresGrad: true });
    expect(() => (p.grad = tg.zeros([3, 2]))).toThrow(/\.grad: assigned a gradient of shape \[3, 2\] to a tensor of shape \[2, 3\]/);
    expect(p.grad).toBeNull();
  });
});

describe("argument edge cases", () => {
  it("backward({retainGraph}) is accepted as options; retainGrad needs requiresGrad", () => {
    const x = tg.tensor([1, 2], { requiresGrad: true });
    const y = x.mul(x).sum();
    y.backward({ retainGraph: true });
    y.backward();
    expect(x.grad!.toArray()).toEqual([4, 8]);
    expect(() => tg.tensor([1]).retainGrad()).toThrow(/does not require grad/);
    expect(() => tg.autograd.grad(y, x, { gradOutputs: [] })).toThrow(/gradOutputs must be 1 tensor/);
  });
  it("an int32 tensor beside a fractional number promotes, as in PyTorch", () => {
    const t = tg.tensor([0, 1], { dtype: "int32" });
    expect(t.lt(0.5).toArray()).toEqual([1, 0]);
    expect(t.eq(0.5).toArray()).toEqual([0, 0]);
    expect(t.maximum(0.5).toArray()).toEqual([0.5, 1]);
    expect(tg.where(tg.tensor([1, 0], { dtype: "int32" }), 0.5, t).toArray()).toEqual([0.5, 1]);
    expect(t.maximum(1).dtype).toBe("int32");
  });
  it("sum over [] reduces every dim; a repeated dim is an error; cat of 0-d tensors says what to do", () => {
    const x = tg.tensor([[1, 2], [3, 4]]);
    expect(x.sum([]).item()).toBe(10);
    expect(() => x.sum([0, 0])).toThrow(/dim 0 appears more than once/);
    expect(() => tg.cat([tg.tensor(1), tg.tensor(2)])).toThrow(/use tg.stack/);
  });
});
