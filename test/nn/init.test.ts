import { describe, expect, it } from "vitest";
import * as tg from "../../lib/index.js";

const { init } = tg.nn;

// Sample variance of a tensor's elements around 0 and their largest magnitude.
function stats(t: tg.Tensor) {
  const d = t.data();
  let ss = 0, mean = 0, maxAbs = 0;
  for (const v of d) (ss += v * v), (mean += v), (maxAbs = Math.max(maxAbs, Math.abs(v)));
  return { variance: ss / d.length, mean: mean / d.length, maxAbs };
}

describe("nn.init", () => {
  it("constant fills, also into a strided view", () => {
    const t = tg.zeros([3, 4]);
    init.ones_(t);
    expect(t.sum().item()).toBe(12);
    init.constant_(t.transpose(0, 1).slice(0, 0, 2), 2.5);
    expect(t.toArray()).toEqual([[2.5, 2.5, 1, 1], [2.5, 2.5, 1, 1], [2.5, 2.5, 1, 1]]);
    init.zeros_(t);
    expect(t.abs().sum().item()).toBe(0);
  });

  it("uniform_ and normal_ have the asked range and moments, and follow manualSeed", () => {
    tg.manualSeed(3);
    const u = init.uniform_(tg.zeros([200, 100]), { a: -2, b: 3 });
    expect(u.min().item()).toBeGreaterThanOrEqual(-2);
    expect(u.max().item()).toBeLessThanOrEqual(3);
    expect(Math.abs(stats(u).mean - 0.5)).toBeLessThan(0.05);
    const n = init.normal_(tg.zeros([200, 100], { dtype: "float64" }), { mean: 1, std: 2 });
    expect(Math.abs(stats(n).mean - 1)).toBeLessThan(0.05);
    expect(Math.abs(stats(n).variance - 5)).toBeLessThan(0.25); // E[x²] = σ² + μ²
    tg.manualSeed(3);
    expect(init.uniform_(tg.zeros([200, 100]), { a: -2, b: 3 }).toArray()).toEqual(u.toArray());
  });

  it("xavier and kaiming use PyTorch's bounds and standard deviations", () => {
    tg.manualSeed(5);
    const [fanOut, fanIn] = [300, 200];
    const xu = init.xavierUniform_(tg.zeros([fanOut, fanIn]), { gain: 2 });
    const a = 2 * Math.sqrt(6 / (fanIn + fanOut));
    expect(stats(xu).maxAbs).toBeLessThanOrEqual(a);
    expect(stats(xu).maxAbs).toBeGreaterThan(0.99 * a);
    const xn = init.xavierNormal_(tg.zeros([fanOut, fanIn]));
    expect(Math.abs(stats(xn).variance / (2 / (fanIn + fanOut)) - 1)).toBeLessThan(0.02);  // 60k draws: SE ≈ 0.006
    const ku = init.kaimingUniform_(tg.zeros([fanOut, fanIn]), { a: Math.sqrt(5) });
    expect(stats(ku).maxAbs).toBeLessThanOrEqual(1 / Math.sqrt(fanIn));
    const kn = init.kaimingNormal_(tg.zeros([fanOut, fanIn]), { mode: "fanOut", nonlinearity: "relu" });
    expect(Math.abs(stats(kn).variance / (2 / fanOut) - 1)).toBeLessThan(0.02);
  });

  it("gains and fans", () => {
    expect(init.calculateGain("relu")).toBeCloseTo(Math.SQRT2, 12);
    expect(init.calculateGain("tanh")).toBeCloseTo(5 / 3, 12);
    expect(init.calculateGain("leaky_relu", { param: 0.2 })).toBeCloseTo(Math.sqrt(2 / 1.04), 12);
    expect(init.calculateFanInAndFanOut(tg.zeros([8, 3, 5, 5]))).toEqual({ fanIn: 75, fanOut: 200 });
    expect(() => init.xavierUniform_(tg.zeros([5]))).toThrow(/at least 2 dims, got shape \[5\]/);
    expect(() => init.uniform_(tg.zeros([2], { dtype: "int32" }))).toThrow(TypeError);
  });

  it("fills a parameter in place without recording on the tape", () => {
    const l = new tg.nn.Linear(3, 2);
    const w = l.weight;
    init.constant_(w, 0.5);
    expect(l.weight).toBe(w);
    expect(w.isLeaf && w.requiresGrad).toBe(true);
    expect(w.sum().item()).toBe(3);
  });

  it("a numeric option that is not a finite number is refused naming the initialiser and the option", () => {
    const w = () => tg.zeros([3, 4]);
    expect(() => init.calculateGain("leaky_relu", { param: true as never })).toThrow(/calculateGain: param \(the negative slope\) must be a finite number, got boolean/);
    expect(() => init.calculateGain("leaky_relu", { param: "x" as never })).toThrow(/calculateGain: param .* must be a finite number, got string "x"/);
    expect(() => init.uniform_(w(), { a: -Infinity })).toThrow(/uniform_: a must be a finite number, got number -Infinity/);
    expect(() => init.uniform_(w(), { b: "1" as never })).toThrow(/uniform_: b must be a finite number, got string "1"/);
    expect(() => init.normal_(w(), { mean: Infinity })).toThrow(/normal_: mean must be a finite number/);
    expect(() => init.normal_(w(), { std: NaN })).toThrow(/normal_: std must be a finite number, got number NaN/);
    expect(() => init.xavierUniform_(w(), { gain: -1 })).toThrow(/xavierUniform_: gain must be non-negative, got -1/);
    expect(() => init.xavierNormal_(w(), { gain: NaN })).toThrow(/xavierNormal_: gain must be a finite number/);
    expect(() => init.kaimingUniform_(w(), { a: "x" as never })).toThrow(/kaimingUniform_: a must be a finite number, got string "x"/);
  });

  it("an expanded view is refused naming the initialiser; a zero-element tensor is left as it is (PyTorch: a no-op)", () => {
    const row = tg.zeros([4]);
    expect(() => init.uniform_(row.expand([3, 4]))).toThrow(/uniform_: the tensor \(shape \[3, 4\], strides \[0, 1\]\) is an expanded view/);
    expect(() => init.kaimingNormal_(row.expand([3, 4]))).toThrow(/normal_: the tensor .* is an expanded view/);
    for (const shape of [[0, 3], [3, 0], [0, 0], [2, 0, 3]])
      for (const f of [init.xavierUniform_, init.xavierNormal_, init.kaimingUniform_, init.kaimingNormal_])
        expect(f(tg.zeros(shape)).shape).toEqual(shape);
  });
});
