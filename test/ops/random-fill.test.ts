// In-place random fills uniform_ and normal_: the draws' range and moments, reproducibility under
// tg.manualSeed, strided targets, and the in-place rules shared with fill_ (refused on a leaf that
// requires grad, version counter, the zero-gradient node on a tensor with history).
import { describe, expect, it } from "vitest";
import * as tg from "../../lib/index.js";

const stats = (t: tg.Tensor) => {
  const d = Array.from(t.data()), n = d.length;
  const mean = d.reduce((a, b) => a + b, 0) / n;
  return { mean, var: d.reduce((a, b) => a + (b - mean) ** 2, 0) / n, min: Math.min(...d), max: Math.max(...d) };
};

describe("uniform_", () => {
  it("draws from [from, to) with the uniform's mean and variance, and returns x", () => {
    const x = tg.zeros(200, 100);
    expect(x.uniform_(-2, 3)).toBe(x);
    const s = stats(x);
    expect(s.min).toBeGreaterThanOrEqual(-2);
    expect(s.max).toBeLessThan(3);
    expect(Math.abs(s.mean - 0.5)).toBeLessThan(0.05);           // 4.3 standard errors (σ = 5/√12, n = 20000)
    expect(Math.abs(s.var - 25 / 12)).toBeLessThan(0.1);
    const d = tg.zeros(1000, { dtype: "float64" }).uniform_();
    expect(d.dtype).toBe("float64");
    expect(stats(d).min).toBeGreaterThanOrEqual(0), expect(stats(d).max).toBeLessThan(1);
  });
  it("takes PyTorch's keywords as an options object, and from = to gives that value", () => {
    expect(stats(tg.zeros(500).uniform_({ from: 4, to: 5 })).min).toBeGreaterThanOrEqual(4);
    expect(tg.zeros(3).uniform_(2, 2).toArray()).toEqual([2, 2, 2]);
    expect(stats(tg.zeros(500).uniform_({ to: -1, from: -3 })).max).toBeLessThan(-1);
  });
  it("is reproducible under tg.manualSeed, and writes a strided view in place without touching the rest", () => {
    tg.manualSeed(7);
    const a = tg.zeros(4, 3).uniform_();
    tg.manualSeed(7);
    expect(tg.zeros(4, 3).uniform_().toArray()).toEqual(a.toArray());
    const base = tg.full([3, 4], 9);
    base.t().narrow(0, 1, 2).uniform_(0, 1);                      // columns 1 and 2 of base, transposed
    const rows = base.toArray() as number[][];
    for (const r of rows) {
      expect([r[0], r[3]]).toEqual([9, 9]);
      for (const v of [r[1], r[2]]) expect(v >= 0 && v < 1).toBe(true);
    }
  });
  it("empty and 0-d targets", () => {
    expect(tg.zeros(0, 3).uniform_().shape).toEqual([0, 3]);
    const v = tg.zeros([]).uniform_(5, 6).item();
    expect(v >= 5 && v < 6).toBe(true);
  });
});

describe("normal_", () => {
  it("draws with the given mean and std", () => {
    const s = stats(tg.zeros(20000).normal_(3, 0.5));
    expect(Math.abs(s.mean - 3)).toBeLessThan(0.02);            // 5.6 standard errors
    expect(Math.abs(Math.sqrt(s.var) - 0.5)).toBeLessThan(0.02);
    const d = stats(tg.zeros(20000, { dtype: "float64" }).normal_());
    expect(Math.abs(d.mean)).toBeLessThan(0.04), expect(Math.abs(d.var - 1)).toBeLessThan(0.05);
  });
  it("std 0 gives the mean; options object", () => {
    expect(tg.zeros(3).normal_(5, 0).toArray()).toEqual([5, 5, 5]);
    expect(tg.zeros(2).normal_({ mean: -1, std: 0 }).toArray()).toEqual([-1, -1]);
  });
});

describe("the in-place rules, as fill_", () => {
  it("refused on a leaf that requires grad (or a view of one) while grad is enabled; allowed under noGrad", () => {
    const w = tg.zeros([3], { requiresGrad: true });
    expect(() => w.uniform_()).toThrow(/uniform_: a leaf tensor that requires grad cannot be changed in place/);
    expect(() => w.narrow(0, 0, 2).normal_()).toThrow(/normal_: a view of a leaf tensor that requires grad/);
    tg.noGrad(() => w.normal_(0, 0.02));
    expect(w.requiresGrad).toBe(true);
    expect(Math.max(...Array.from(w.data()).map(Math.abs))).toBeGreaterThan(0);
  });
  it("bumps the version: a backward that saved the old values refuses to run", () => {
    const x = tg.tensor([1, 2], { requiresGrad: true });
    const y = x.mul(1);
    const z = y.mul(y);
    y.uniform_();
    expect(() => z.sum().backward()).toThrow(/modified by an inplace operation|in place/);
  });
  it("on a tensor with history records PyTorch's node, giving the old values a zero gradient", () => {
    const x = tg.tensor([1, 2], { requiresGrad: true });
    const y = x.mul(2);
    y.normal_();
    expect(y.gradFn?.name).toBe("NormalBackward0");
    const u = x.mul(2).uniform_();
    expect(u.gradFn?.name).toBe("UniformBackward0");
    u.sum().backward();
    expect(x.grad!.toArray()).toEqual([0, 0]);
  });
  it("refuses an int32 tensor, an expanded view, and bad parameters, naming the op and the value", () => {
    expect(() => tg.zeros([2], { dtype: "int32" }).uniform_()).toThrow(/uniform_: only float tensors .* int32/);
    expect(() => tg.zeros(1).expand([3]).normal_()).toThrow(/normal_: the tensor \(shape \[3\], strides \[0\]\) is an expanded view/);
    expect(() => tg.zeros(2).uniform_(1, 0)).toThrow(/uniform_: expects a \[from, to\) range, but found from=1 > to=0/);
    expect(() => tg.zeros(2).uniform_(0, Infinity)).toThrow(/uniform_: to must be a finite number, got Infinity/);
    expect(() => tg.zeros(2).uniform_(NaN)).toThrow(/uniform_: from must be a finite number, got NaN/);
    expect(() => tg.zeros(2).normal_(0, -1)).toThrow(/normal_: std must be >= 0, got -1/);
    expect(() => tg.zeros(2).normal_("1" as never)).toThrow(/normal_: mean must be a finite number, got string "1"/);
    expect(() => tg.zeros(2).normal_({ sd: 1 } as never)).toThrow(/normal_: unknown option "sd"; did you mean "std"/);
    // nn.init.uniform_'s names {a, b}: no near key to suggest, so the message lists the allowed ones only.
    expect(() => tg.zeros(2).uniform_({ a: 0, b: 1 } as never)).toThrow(/^uniform_: unknown option "a" \(allowed: from, to\)$/);
    expect(() => tg.zeros(2).normal_({ std: 1 }, 2 as never)).toThrow(/normal_: give \(mean, std\) or one options object/);
  });
});
