// Shared test helpers: element-wise closeness against nested arrays, and float64 inputs.
import { expect } from "vitest";
import * as tg from "../../lib/index.js";

type Nested = number | Nested[];

const flat = (v: Nested): number[] => (Array.isArray(v) ? v.flatMap(flat) : [v]);
const shapeOf = (v: Nested): number[] => (Array.isArray(v) ? [v.length, ...shapeOf(v[0])] : []);

// Checks shape and values (to `tol`, NaN equal to NaN) of a tensor against nested arrays.
export function expectClose(t: tg.Tensor, expected: Nested, tol = 1e-5): void {
  expect(t).toBeInstanceOf(tg.Tensor);
  expect(t.shape).toEqual(shapeOf(expected));
  const got = Array.from(t.data()), want = flat(expected);
  got.forEach((g, i) => {
    const w = want[i];
    if (Number.isNaN(w)) expect(g).toBeNaN();
    else if (!Number.isFinite(w)) expect(g).toBe(w);
    else if (Math.abs(g - w) > tol * (1 + Math.abs(w))) expect.fail(`element ${i}: got ${g}, want ${w} (tol ${tol}); all: [${got.join(", ")}]`);
  });
}

// A float64 tensor, the dtype gradCheck works in.
export const f64 = (data: Nested, requiresGrad = false) =>
  tg.tensor(data as number[], { dtype: "float64", requiresGrad });

export const i32 = (data: Nested) => tg.tensor(data as number[], { dtype: "int32" });

// Deterministic float64 values in (-1, 1) away from 0, for gradient checks of smooth ops.
export function vals(shape: number[], seed = 1): tg.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const d = new Float64Array(n);
  for (let i = 0; i < n; ++i) d[i] = Math.sin(seed * 12.9898 + i * 78.233) * 0.9 + (i % 2 ? 0.05 : -0.05);
  return tg.tensor(d, { shape });
}

// Positive float64 values in [0.5, 2], for log/sqrt/div denominators.
export const positive = (shape: number[], seed = 1) => vals(shape, seed).abs().mul(1.5).add(0.5);

type Case = { y: Nested; grads?: Nested[] };

// Runs f on float64 leaves made from `inputs` and checks, against a case from test/ops/reference.ts
// (made by gen-reference.py the same way), the output and the gradient of (output · w).sum() for
// w = 1, 2, 3, ... (weights that differ per element, so a misrouted gradient shows).
export function expectCase(ref: Case, f: (...xs: tg.Tensor[]) => tg.Tensor, inputs: Nested[], tol = 1e-10): void {
  const xs = inputs.map((v) => f64(v, true));
  const y = f(...xs);
  expectClose(y, ref.y, tol);
  if (!ref.grads) return;
  const w = tg.arange(1, y.numel() + 1, 1, { dtype: "float64" }).reshape(y.shape);
  y.mul(w).sum().backward();
  ref.grads.forEach((g, i) => expectClose(xs[i].grad ?? tg.zerosLike(xs[i]), g, tol));
}
