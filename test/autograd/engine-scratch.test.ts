// What the lean backward pass must keep: a gradient freed as soon as the engine has used it, but
// never one a hook or retainGrad handed to the user; a backward started from a hook inside another
// (the engine keeps its bookkeeping on the nodes); grad mode inside backward, which is turned off
// without an async scope.
import { describe, expect, it } from "vitest";
import * as tg from "../../lib/index.js";

// Big enough (> 2 KiB) that the engine really frees used-up gradients of this size.
const N = 1024;
const leaf = () => tg.ones([N], { requiresGrad: true });

describe("gradients the engine frees", () => {
  it("freeing used-up gradients along a chain leaves the result right", () => {
    const x = leaf();
    x.mul(2).mul(3).exp().log().sum().backward();
    expect(x.grad!.data().every((v) => Math.abs(v - 6) < 1e-5)).toBe(true);
  });
  it("a gradient a hook saw stays usable after backward", () => {
    const x = leaf();
    const h = x.mul(2);
    let seen: tg.Tensor | null = null;
    h.registerHook((g) => void (seen = g));
    h.mul(3).sum().backward();
    expect(seen!.disposeState).toBe("live");
    expect(seen!.data()[0]).toBe(3);
    expect(x.grad!.data()[N - 1]).toBe(6);
  });
  it("a retained gradient stays usable and is not summed into later", () => {
    const x = leaf();
    const h = x.mul(2).retainGrad();
    h.mul(3).sum().backward();
    expect(h.grad!.disposeState).toBe("live");
    expect(h.grad!.data()[0]).toBe(3);
    expect(x.grad!.data()[0]).toBe(6);
  });
});

describe("a backward inside a backward", () => {
  it("a hook that runs backward through part of the same graph leaves the outer pass's gradients right", () => {
    const x = leaf(), y = leaf();
    const shared = x.mul(2);  // on both graphs
    const inner = shared.mul(y).sum();
    let innerRan = false;
    const outerH = shared.mul(5);
    outerH.registerHook((g) => {
      inner.backward({ retainGraph: true });
      innerRan = true;
      return g;
    });
    outerH.add(shared).sum().backward();
    expect(innerRan).toBe(true);
    // outer: d/dx (2x·5 + 2x) = 12; inner adds d/dx (2x·y) = 2y = 2.
    expect(x.grad!.data()[0]).toBe(14);
    expect(y.grad!.data()[0]).toBe(2);
  });
});

describe("grad mode during backward", () => {
  it("is off inside hooks, enableGrad inside a hook records, and setGradEnabled there does not leak", () => {
    const x = leaf(), w = leaf();
    let inside: boolean | null = null, recorded: boolean | null = null;
    const h = x.mul(2);
    h.registerHook((g) => {
      inside = tg.isGradEnabled();
      recorded = tg.enableGrad(() => w.mul(2).requiresGrad);
      tg.setGradEnabled(true);
      return g;
    });
    h.sum().backward();
    expect(inside).toBe(false);
    expect(recorded).toBe(true);
    expect(tg.isGradEnabled()).toBe(true);
    expect(tg.noGrad(() => (x.grad = null, x.mul(2).requiresGrad))).toBe(false);
    expect(tg.isGradEnabled()).toBe(true);
  });
  it("an optimizer step records nothing and leaves the mode as it was", () => {
    const p = leaf();
    const opt = new tg.optim.SGD([p], 0.1);
    p.mul(2).sum().backward();
    opt.step();
    expect(p.data()[0]).toBeCloseTo(0.8, 6);
    expect(p.isLeaf).toBe(true);
    expect(tg.isGradEnabled()).toBe(true);
  });
});
