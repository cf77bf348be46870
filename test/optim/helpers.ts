// Shared set-up for the optimizer tests: the quadratic problem the PyTorch references use.
import { expect } from "vitest";
import * as tg from "../../lib/index.js";
import { C, P0, W } from "./reference.js";

type Dtype = "float32" | "float64";

export function startParam(dtype: Dtype = "float32"): tg.Tensor {
  return tg.tensor(P0, { dtype, requiresGrad: true });
}

// loss = sum(c·p·p) + sum(w·p), so grad = 2c·p + w.
export function lossBackward(p: tg.Tensor): void {
  const c = tg.tensor(C, { dtype: p.dtype as Dtype }), w = tg.tensor(W, { dtype: p.dtype as Dtype });
  p.mul(p).mul(c).sum().add(p.mul(w).sum()).backward();
}

// k steps of zeroGrad / backward / step, as the PyTorch script does; returns the flat weights.
export function train(opt: tg.optim.Optimizer<any>, p: tg.Tensor, k = 5): number[] {
  for (let i = 0; i < k; ++i) {
    opt.zeroGrad();
    lossBackward(p);
    opt.step();
  }
  return Array.from(p.data());
}

// Element-wise |a − e| <= rel·max(|e|, floor): float32 precision for values near 1 and
// a matching absolute bound near 0.
export function expectClose(actual: ArrayLike<number>, expected: readonly number[], rel = 1e-6, floor = 0.1): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; ++i) {
    const tol = rel * Math.max(Math.abs(expected[i]), floor);
    if (!(Math.abs(actual[i] - expected[i]) <= tol))
      expect.fail(`element ${i}: got ${actual[i]}, expected ${expected[i]} (tolerance ${tol})`);
  }
}
