// Leaf gradients kept between steps: zeroGrad({ setToNone: false }) zeroes each .grad in place (PyTorch's grad.zero_()),
// the next backward adds into that same memory, and the gradient it added is given back at once;
// a .grad sharing storage with another tensor is never zeroed through.
import { describe, expect, it } from "vitest";
import * as tg from "../../lib/index.js";
import { outputReusesFreed } from "./released.js";


function model() {
  tg.manualSeed(7);
  const m = new tg.nn.Sequential(new tg.nn.Linear(64, 32), new tg.nn.Tanh(), new tg.nn.Linear(32, 4));
  const x = tg.randn([16, 64]), y = tg.randn([16, 4]);
  return { m, loss: () => tg.nn.functional.mseLoss(m.forward(x), y) };
}

describe("zeroGrad({ setToNone: false })", () => {
  it("keeps each .grad's storage and zeroes it; the next backward fills it with that step's gradient", () => {
    const { m, loss } = model();
    const opt = new tg.optim.SGD(m.parameters(), 0.1);
    loss().backward();
    // The first layer's weight gradient ([32, 64], 8 KiB) has storage of its own; gradients of 2 KiB
    // or less live in shared slabs, where tensorgrad cannot count handles, and get fresh zeros.
    const w = m.parameters()[0], g = w.grad!, storage = g.storage;
    opt.zeroGrad({ setToNone: false });
    expect(w.grad).toBe(g);
    expect(g.sum().item()).toBe(0);
    expect(Math.max(...g.abs().data())).toBe(0);
    for (const p of m.parameters()) expect(p.grad!.abs().sum().item()).toBe(0);
    loss().backward();
    expect(w.grad!.storage).toBe(storage);
    // The same values as a fresh gradient of this step (zeroGrad() then backward).
    const kept = m.parameters().map((p) => p.grad!.toArray());
    m.zeroGrad();
    loss().backward();
    m.parameters().forEach((p, i) => expect(p.grad!.toArray()).toEqual(kept[i]));
  });

  it("gives the added gradient's memory back during backward", () => {
    const w = tg.randn([256, 64], { requiresGrad: true }), x = tg.randn([64, 16]);
    const step = () => w.matmul(x).tanh().sum();
    step().backward();
    w.grad!.fill_(0);
    const loss = step();
    tg.emptyCache();
    loss.backward();
    expect(outputReusesFreed([256, 64])).toBe(true);  // the new [256, 64] gradient, added into w.grad and freed
    expect(w.grad!.storage.length).toBe(256 * 64);
  });

  it("a gradient a hook on the leaf saw is left alone", () => {
    const w = tg.ones([1024], { requiresGrad: true });
    const seen: tg.Tensor[] = [];
    w.registerHook((g) => void seen.push(g));
    w.mul(2).sum().backward();
    w.mul(3).sum().backward();
    expect(w.grad!.toArray().slice(0, 2)).toEqual([5, 5]);
    expect(seen[1].toArray().slice(0, 2)).toEqual([3, 3]);
  });

  it("a .grad that shares storage with another tensor gets fresh zeros, leaving the other intact", () => {
    const a = tg.ones([1024], { requiresGrad: true }), b = tg.ones([1024], { requiresGrad: true });
    const other = tg.full([1024], 5);
    a.grad = other;
    b.grad = other.reshape([1024]);
    new tg.optim.SGD([a, b], 0.1).zeroGrad({ setToNone: false });
    expect(a.grad).not.toBe(other);
    expect(a.grad!.storage).not.toBe(other.storage);
    expect(b.grad!.storage).not.toBe(other.storage);
    expect(other.toArray().slice(0, 3)).toEqual([5, 5, 5]);
    expect(a.grad!.toArray().slice(0, 3)).toEqual([0, 0, 0]);
  });

  it("counts as an in-place change: a graph that saved the .grad refuses backward, as in PyTorch", () => {
    const p = tg.ones([1024], { requiresGrad: true }), w = tg.ones([1024], { requiresGrad: true });
    p.mul(2).sum().backward();
    const y = w.mul(p.grad!);  // saves p.grad for w's gradient
    new tg.optim.SGD([p], 0.1).zeroGrad({ setToNone: false });
    expect(() => y.sum().backward()).toThrow(/modified in place/);
  });
});
