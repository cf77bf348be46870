// A hostile user's in-place writes through views and handling of .grad (session 4's CopySlices,
// zeroGrad({ setToNone: false }) in place, gradients freed after accumulation): each case here once gave a silent
// wrong answer or changed a tensor the user held. Expected values are PyTorch 1.13's (worked by hand
// and checked against it).
import { describe, expect, it } from "vitest";
import * as tg from "../../lib/index.js";

const vals = (t: tg.Tensor | null) => Array.from(t!.data());

describe("in-place writes through views: bad and edge input", () => {
  it("an int32 tensor written from a source that requires grad stays out of the graph (as PyTorch)", () => {
    const x = tg.tensor([1.5, 2.5], { requiresGrad: true });
    const whole = tg.zeros([2], { dtype: "int32" });
    whole.copy_(x.mul(1));
    const base = tg.zeros([3], { dtype: "int32" });
    const v = base.narrow(0, 0, 2);
    v.copy_(x.mul(1));
    expect(vals(whole)).toEqual([1, 2]);
    expect(vals(base)).toEqual([1, 2, 0]);
    for (const t of [whole, base, v]) {
      expect(t.requiresGrad).toBe(false);
      expect(t.gradFn).toBeNull();
    }
  });

  it("a view regenerated after its base was disposed still routes the gradient through the write", () => {
    const a = tg.tensor([1, 2, 3], { requiresGrad: true });
    const b = a.mul(2);
    const before = b.narrow(0, 0, 2);  // taken before the write: regenerated from b's new history
    b.narrow(0, 1, 2).mul_(3);
    b.dispose();
    before.sum().backward();
    expect(vals(before)).toEqual([2, 12]);
    expect(vals(a.grad)).toEqual([2, 6, 0]);
  });

  it("a write through a view after its base was disposed is recorded, not refused as a write into a leaf", () => {
    const a = tg.tensor([1, 2, 3], { requiresGrad: true });
    const b = a.mul(2);
    const v = b.narrow(0, 1, 2);
    b.dispose();
    v.mul_(3);
    v.sum().backward();
    expect(vals(v)).toEqual([12, 18]);
    expect(vals(a.grad)).toEqual([0, 6, 6]);
  });
});

describe("a gradient a hook kept is never changed or freed afterwards", () => {
  // Large enough (> the 2 KiB slab) that the engine's early release would dispose it.
  const n = 1000;
  it("a hook on a leaf keeps the gradient of each backward, not the accumulated .grad", () => {
    const p = tg.ones([n], { requiresGrad: true });
    const kept: tg.Tensor[] = [];
    p.registerHook((g) => void kept.push(g));
    p.mul(3).sum().backward();
    p.mul(5).sum().backward();
    expect(kept.map((g) => [g.disposeState, g.data()[0], g.data()[n - 1]])).toEqual([["live", 3, 3], ["live", 5, 5]]);
    expect(p.grad!.data()[0]).toBe(8);
    expect(kept.every((g) => g !== p.grad && g.storage !== p.grad!.storage)).toBe(true);
  });

  it("a hook on a view of a leaf (its rule passes the gradient through) keeps what it saw", () => {
    const p = tg.ones([n], { requiresGrad: true });
    const kept: tg.Tensor[] = [];
    const q = p.view([n / 10, 10]);
    q.registerHook((g) => void kept.push(g));
    q.mul(3).sum().backward();
    p.mul(5).sum().backward();
    expect(kept[0].disposeState).toBe("live");
    expect(new Set(kept[0].data())).toEqual(new Set([3]));
    expect(new Set(p.grad!.data())).toEqual(new Set([8]));
  });

  it("a hook on an intermediate whose gradient is summed from two uses keeps the sum", () => {
    const p = tg.ones([n], { requiresGrad: true });
    const kept: tg.Tensor[] = [];
    const q = p.mul(2);
    q.registerHook((g) => void kept.push(g));
    q.mul(3).add(q.mul(4)).sum().backward();
    p.mul(1).sum().backward();
    expect(kept[0].disposeState).toBe("live");
    expect(new Set(kept[0].data())).toEqual(new Set([7]));
    expect(new Set(p.grad!.data())).toEqual(new Set([15]));
  });
});

describe(".grad: what may be assigned, and a disposed one", () => {
  it("refuses what PyTorch refuses (another shape, not a tensor), naming the shapes", () => {
    const p = tg.tensor([1, 2, 3], { requiresGrad: true });
    expect(() => (p.grad = tg.tensor([1, 2]))).toThrow(/\.grad: assigned a gradient of shape \[2\] to a tensor of shape \[3\]; they must match/);
    expect(() => (p.grad = tg.tensor([[1, 2, 3]]))).toThrow(/shape \[1, 3\] to a tensor of shape \[3\]/);
    expect(() => (p.grad = [1, 2, 3] as never)).toThrow(/\.grad: assigned a plain array; assign a Tensor of shape \[3\] or null/);
    const gone = tg.tensor([1, 2, 3]);
    gone.dispose();
    expect(() => (p.grad = gone)).toThrow(/\.grad: assigned a disposed tensor/);
    expect(p.grad).toBeNull();
    const ok = tg.tensor([5, 5, 5]).expand([3]);
    p.grad = ok;
    expect(p.grad).toBe(ok);
  });

  it("backward into a leaf whose .grad the user disposed names it instead of failing in a kernel", () => {
    const p = tg.tensor([1, 2], { requiresGrad: true });
    p.mul(2).sum().backward();
    p.grad!.dispose();
    expect(() => p.mul(2).sum().backward()).toThrow(/backward: the \.grad of a leaf of shape \[2\] was disposed; set \.grad = null/);
    p.grad = null;
    p.mul(2).sum().backward();
    expect(vals(p.grad)).toEqual([2, 2]);
  });
});
