// RMSprop and Adagrad against steps computed by hand (float64, fixed gradient g = [0.5, 1]).
import { describe, expect, it } from "vitest";
import * as tg from "../../lib/index.js";

function run(make: (p: tg.Tensor) => tg.optim.Optimizer<any>, k: number): number[][] {
  const p = tg.tensor([1, -2], { dtype: "float64", requiresGrad: true });
  const opt = make(p);
  const out: number[][] = [];
  for (let i = 0; i < k; ++i) {
    p.grad = tg.tensor([0.5, 1], { dtype: "float64" });
    opt.step();
    out.push(Array.from(p.data()));
  }
  return out;
}
const close = (got: number[], want: number[]) => want.forEach((w, i) => expect(got[i]).toBeCloseTo(w, 12));
const g = [0.5, 1];

describe("RMSprop by hand", () => {
  const lr = 0.01, a = 0.99, eps = 1e-8;
  it("step 1: s = (1−α)g², p −= lr·g/(√s + eps)", () => {
    const [s1] = run((p) => new tg.optim.RMSprop([p]), 1);
    close(s1, [1 - (lr * 0.5) / (Math.sqrt((1 - a) * 0.25) + eps), -2 - lr / (Math.sqrt(1 - a) + eps)]);
  });
  it("centered: divides by √(s − ḡ²)", () => {
    const [s1] = run((p) => new tg.optim.RMSprop([p], { centered: true }), 1);
    const d = (x: number) => Math.sqrt((1 - a) * x * x - ((1 - a) * x) ** 2) + eps;
    close(s1, [1 - (lr * 0.5) / d(0.5), -2 - lr / d(1)]);
  });
  it("momentum: b = μ·b + g/d over two steps", () => {
    const [, s2] = run((p) => new tg.optim.RMSprop([p], { momentum: 0.9 }), 2);
    const want = [1, -2].map((p0, i) => {
      const d1 = Math.sqrt((1 - a) * g[i] ** 2) + eps, d2 = Math.sqrt((a * (1 - a) + (1 - a)) * g[i] ** 2) + eps;
      const b1 = g[i] / d1, b2 = 0.9 * b1 + g[i] / d2;
      return p0 - lr * b1 - lr * b2;
    });
    close(s2, want);
  });
  it("rejects negative alpha and momentum", () => {
    const p = tg.tensor([1], { requiresGrad: true });
    expect(() => new tg.optim.RMSprop([p], { alpha: -0.5 })).toThrow("RMSprop: invalid alpha -0.5");
    expect(() => new tg.optim.RMSprop([p], { momentum: -1 })).toThrow("RMSprop: invalid momentum -1");
  });
});

describe("Adagrad by hand", () => {
  it("sum starts at initialAccumulatorValue; lrDecay divides lr by 1 + (t−1)·decay", () => {
    const lr = 0.1, eps = 1e-10, init = 0.5;
    const [s1, s2] = run((p) => new tg.optim.Adagrad([p], { lr, lrDecay: 0.5, initialAccumulatorValue: init }), 2);
    const step1 = g.map((x) => (lr * x) / (Math.sqrt(init + x * x) + eps));
    const step2 = g.map((x) => ((lr / 1.5) * x) / (Math.sqrt(init + 2 * x * x) + eps));
    close(s1, [1 - step1[0], -2 - step1[1]]);
    close(s2, [1 - step1[0] - step2[0], -2 - step1[1] - step2[1]]);
  });
  it("weight decay and maximize", () => {
    const [s1] = run((p) => new tg.optim.Adagrad([p], { lr: 0.1, weightDecay: 0.2, maximize: true }), 1);
    const ge = [-0.5 + 0.2, -1 - 0.4];
    close(s1, [1 - (0.1 * ge[0]) / (Math.abs(ge[0]) + 1e-10), -2 - (0.1 * ge[1]) / (Math.abs(ge[1]) + 1e-10)]);
  });
  it("rejects negative lrDecay and initialAccumulatorValue", () => {
    const p = tg.tensor([1], { requiresGrad: true });
    expect(() => new tg.optim.Adagrad([p], { lrDecay: -1 })).toThrow("Adagrad: invalid lr decay -1");
    expect(() => new tg.optim.Adagrad([p], { initialAccumulatorValue: -1 })).toThrow("Adagrad: invalid initial accumulator value -1");
  });
});
