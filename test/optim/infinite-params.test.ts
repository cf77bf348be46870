// A parameter at ±inf stays at ±inf under every optimizer without weight decay, as in PyTorch, which
// adds the decay term only when weight_decay != 0 (0 · inf would make it NaN). Expected values are
// PyTorch 1.13's for p = [inf, -inf, 1, -0], grad = [1, 1, 1, -0], lr = 0.1, one step.
import { describe, expect, it } from "vitest";
import * as tg from "../../lib/index.js";

const cases: [string, (p: tg.Tensor) => { step(): void }, number[]][] = [
  ["SGD", (p) => new tg.optim.SGD([p], 0.1), [Infinity, -Infinity, 0.8999999761581421, 0]],
  ["SGD with momentum", (p) => new tg.optim.SGD([p], 0.1, { momentum: 0.9 }), [Infinity, -Infinity, 0.8999999761581421, 0]],
  ["Adam", (p) => new tg.optim.Adam([p], { lr: 0.1 }), [Infinity, -Infinity, 0.9000000357627869, -0]],
  ["RMSprop", (p) => new tg.optim.RMSprop([p], { lr: 0.1 }), [Infinity, -Infinity, 5.960464477539063e-8, 0]],
  ["Adagrad", (p) => new tg.optim.Adagrad([p], { lr: 0.1 }), [Infinity, -Infinity, 0.8999999761581421, 0]],
];

describe("optimizers keep infinite parameters infinite without weight decay (PyTorch 1.13's values)", () => {
  for (const [name, make, want] of cases)
    it(name, () => {
      const p = tg.tensor([Infinity, -Infinity, 1, -0], { requiresGrad: true });
      const opt = make(p);
      p.grad = tg.tensor([1, 1, 1, -0]);
      opt.step();
      const got = Array.from(p.data());
      expect(got.map((v, i) => Object.is(v, want[i]))).toEqual(want.map(() => true));
    });

  it("with weight decay the decay term still applies (inf · wd makes the step infinite: PyTorch gives NaN)", () => {
    const p = tg.tensor([Infinity, 2], { requiresGrad: true });
    const opt = new tg.optim.SGD([p], 0.1, { weightDecay: 0.5 });
    p.grad = tg.tensor([1, 1]);
    opt.step();
    const [a, b] = Array.from(p.data());
    expect(Number.isNaN(a)).toBe(true);  // inf - 0.1 · (1 + 0.5 · inf) = inf - inf
    expect(b).toBeCloseTo(2 - 0.1 * (1 + 0.5 * 2), 6);
  });
});
