// Tensor hooks, as PyTorch's Tensor.register_hook and register_post_accumulate_grad_hook.
import { describe, expect, it } from "vitest";
import * as tg from "../../lib/index.js";

const leaf = (v: number[]) => tg.tensor(v, { dtype: "float64", requiresGrad: true });

describe("registerHook", () => {
  it("on a non-leaf: sees the full gradient once, and its return value replaces it", () => {
    const x = leaf([1, 2]);
    const h = x.mul(3);
    const seen: number[][] = [];
    h.registerHook((g) => {
      seen.push(g.toArray() as number[]);
      return g.mul(10);
    });
    h.add(h).sum().backward();  // two uses: the hook sees their sum
    expect(seen).toEqual([[2, 2]]);
    expect(x.grad!.toArray()).toEqual([60, 60]);
  });
  it("a hook that disposes its gradient, or returns a disposed tensor, is an Error naming the hook's tensor", () => {
    const p = tg.tensor([1, 2], { requiresGrad: true }), q = tg.tensor([3, 4], { requiresGrad: true });
    const y = p.mul(q);
    y.registerHook((g) => void g.dispose());
    expect(() => y.sum().backward()).toThrow(/^backward: a hook on a tensor of shape \[2\] disposed the gradient it was given; .*leave it undisposed/);
    const leaf = tg.tensor([1, 2], { requiresGrad: true });
    leaf.registerHook((g) => {
      const r = g.mul(2);
      r.dispose();
      return r;
    });
    expect(() => leaf.mul(2).sum().backward()).toThrow(/^backward: a hook on a tensor of shape \[2\] returned a disposed tensor/);
  });
  it("on a leaf: runs before .grad is updated; a replacement is what accumulates", () => {
    const x = leaf([1, 2]);
    x.registerHook((g) => {
      expect(x.grad).toBeNull();
      return g.neg();
    });
    x.mul(x).sum().backward();
    expect(x.grad!.toArray()).toEqual([-2, -4]);
  });
  it("hooks run in registration order, each on the previous one's result; remove() unregisters", () => {
    const x = leaf([1]);
    const order: string[] = [];
    const a = x.registerHook((g) => (order.push("a"), g.mul(2)));
    x.registerHook((g) => (order.push(`b${g.item()}`), undefined));
    x.mul(1).sum().backward();
    expect(order).toEqual(["a", "b2"]);
    a.remove();
    x.grad = null;
    x.mul(1).sum().backward();
    expect(x.grad!.item()).toBe(1);
  });
  it("runs under autograd.grad too, and a replacement changes the returned gradient", () => {
    const x = leaf([1, 2]);
    x.registerHook((g) => g.mul(0.5));
    expect(tg.autograd.grad(x.mul(4).sum(), x)[0]!.toArray()).toEqual([2, 2]);
    expect(x.grad).toBeNull();
  });
  it("a hook returning a tensor of another shape, or a non-tensor, is an error naming the shapes", () => {
    const x = leaf([1, 2]);
    x.registerHook(() => tg.zeros([3], { dtype: "float64" }));
    expect(() => x.sum().backward()).toThrow(/hook on a tensor of shape \[2\] returned a tensor of shape \[3\]/);
    const y = leaf([1]);
    y.registerHook((() => 5) as never);
    expect(() => y.sum().backward()).toThrow(/returned 5/);
  });
  it("needs a tensor that requires grad", () => {
    expect(() => tg.tensor([1]).registerHook((g) => g)).toThrow(/does not require grad/);
  });
});

describe("registerPostAccumulateGradHook", () => {
  it("is called with the leaf after its .grad was accumulated, once per backward", () => {
    const w = leaf([1, 2]);
    const calls: number[][] = [];
    const handle = w.registerPostAccumulateGradHook((p) => {
      expect(p).toBe(w);
      calls.push(p.grad!.toArray() as number[]);
    });
    w.mul(w).sum().backward();
    w.mul(3).sum().backward();
    expect(calls).toEqual([[2, 4], [5, 7]]);
    handle.remove();
    w.sum().backward();
    expect(calls.length).toBe(2);
  });
  it("lets a trainer start work per parameter during backward (DDP-style bucketing)", () => {
    const model = new tg.nn.Sequential(new tg.nn.Linear(3, 4), new tg.nn.ReLU(), new tg.nn.Linear(4, 2));
    const ready: string[] = [];
    for (const [name, p] of model.namedParameters()) p.registerPostAccumulateGradHook(() => void ready.push(name));
    model.forward(tg.randn([5, 3])).sum().backward();
    // The last layer's gradients are ready first.
    expect(ready.slice(0, 2).sort()).toEqual(["2.bias", "2.weight"]);
    expect(ready.sort()).toEqual(["0.bias", "0.weight", "2.bias", "2.weight"]);
  });
  it("is for leaves only, and not called by autograd.grad", () => {
    const w = leaf([1]);
    expect(() => w.mul(2).registerPostAccumulateGradHook(() => {})).toThrow(/only leaf tensors/);
    let called = false;
    w.registerPostAccumulateGradHook(() => void (called = true));
    tg.autograd.grad(w.mul(2).sum(), w);
    expect(called).toBe(false);
  });
});
