// Grad mode follows the async context: noGrad with sync and async bodies, and two interleaved
// async requests, one in noGrad and one not, each recording exactly as its own mode says.
import { describe, expect, it } from "vitest";
import * as tg from "../../lib/index.js";

const tick = (ms = 0) => new Promise<void>((r) => setTimeout(r, ms));

describe("noGrad and await", () => {
  it("a sync body records nothing and returns its value; the mode is restored, also after a throw", () => {
    const w = tg.ones([2], { requiresGrad: true });
    const y = tg.noGrad(() => w.mul(2));
    expect(y.requiresGrad).toBe(false);
    expect(tg.isGradEnabled()).toBe(true);
    expect(() => tg.noGrad(() => { throw new Error("boom"); })).toThrow("boom");
    expect(tg.isGradEnabled()).toBe(true);
    expect(w.mul(2).requiresGrad).toBe(true);
  });
  it("an async body records nothing after its awaits either", async () => {
    const w = tg.ones([2], { requiresGrad: true });
    const out = await tg.noGrad(async () => {
      const before = w.mul(2);
      await tick(1);
      await Promise.resolve();
      return [before, w.mul(3), tg.isGradEnabled()] as const;
    });
    expect(out[0].requiresGrad).toBe(false);
    expect(out[1].requiresGrad).toBe(false);
    expect(out[2]).toBe(false);
    expect(tg.isGradEnabled()).toBe(true);
  });
  it("two interleaved requests, one in noGrad and one not, each keep their own mode", async () => {
    const w = tg.ones([2], { requiresGrad: true });
    const order: string[] = [];
    const inference = tg.noGrad(async () => {
      const ys: boolean[] = [];
      for (let i = 0; i < 3; ++i) {
        await tick(2);
        order.push("infer");
        ys.push(w.mul(i).requiresGrad, tg.isGradEnabled());
      }
      return ys;
    });
    const training = (async () => {
      const ys: boolean[] = [];
      for (let i = 0; i < 3; ++i) {
        await tick(1);
        order.push("train");
        ys.push(w.mul(i).requiresGrad, tg.isGradEnabled());
      }
      return ys;
    })();
    const [a, b] = await Promise.all([inference, training]);
    expect(a.every((v) => v === false)).toBe(true);
    expect(b.every((v) => v === true)).toBe(true);
    // They really did interleave.
    expect(new Set(order.slice(0, 4)).size).toBe(2);
  });
  it("enableGrad inside noGrad, and setGradEnabled inside a block, stay in that block", async () => {
    const w = tg.ones([1], { requiresGrad: true });
    await tg.noGrad(async () => {
      const inner = await tg.enableGrad(async () => { await tick(); return w.mul(2); });
      expect(inner.requiresGrad).toBe(true);
      expect(w.mul(2).requiresGrad).toBe(false);
      tg.setGradEnabled(true);
      await tick();
      expect(w.mul(2).requiresGrad).toBe(true);
    });
    expect(tg.isGradEnabled()).toBe(true);
    tg.setGradEnabled(false);
    expect(w.mul(2).requiresGrad).toBe(false);
    tg.setGradEnabled(true);
    expect(() => tg.noGrad(5 as never)).toThrow(/noGrad: expected a function to run, got number/);
  });
  it("backward and optimizer steps inside an async noGrad-free handler still work", async () => {
    const w = tg.ones([2], { requiresGrad: true });
    const opt = new tg.optim.SGD([w], 0.5);
    await tick();
    w.mul(w).sum().backward();
    opt.step();
    expect(Array.from(w.data())).toEqual([0, 0]);
  });
});
