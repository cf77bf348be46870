// tg.nn.utils.clipGradNorm_ / clipGradValue_ against PyTorch 1.13 (clip-reference.ts).
import { describe, expect, it } from "vitest";
import * as tg from "../../lib/index.js";
import { CLIP } from "./clip-reference.js";

// |a − e| <= rel·max(1, |e|) element by element.
function expectClose(actual: number[], expected: readonly number[], rel: number): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((a, i) => expect(Math.abs(a - expected[i])).toBeLessThanOrEqual(rel * Math.max(1, Math.abs(expected[i]))));
}

const { clipGradNorm_, clipGradValue_ } = tg.nn.utils;

function params(dtype: "float32" | "float64" = "float32"): tg.Tensor[] {
  return CLIP.grads.map((g) => {
    const p = tg.zerosLike(tg.tensor(g as never, { dtype })).requiresGrad_();
    p.grad = tg.tensor(g as never, { dtype });
    return p;
  });
}

describe("clipGradNorm_", () => {
  for (const c of CLIP.norm) {
    const normType = c.normType === "inf" ? Infinity : c.normType;
    it(`${c.dtype} normType ${c.normType} maxNorm ${c.maxNorm}: total norm and clipped grads as PyTorch`, () => {
      const ps = params(c.dtype as "float32" | "float64");
      const grads = ps.map((p) => p.grad!);
      const total = clipGradNorm_(ps, c.maxNorm, { normType });
      expect(total.ndim).toBe(0);
      expect(total.dtype).toBe(c.dtype);
      const tol = c.dtype === "float32" ? 2e-6 : 1e-14;
      expectClose([total.item()], [c.total], tol);
      ps.forEach((p, i) => {
        expect(p.grad).toBe(grads[i]);  // in place, as PyTorch's mul_
        expectClose(Array.from(p.grad!.data()), c.grads[i] as number[], tol);
      });
    });
  }
  it("skips parameters without a gradient and returns 0 when none has one", () => {
    const a = tg.zeros([2]).requiresGrad_(), b = tg.zeros([2]).requiresGrad_();
    expect(clipGradNorm_([a, b], 1).item()).toBe(0);
    b.grad = tg.tensor([3, 4]);
    expect(clipGradNorm_([a, b], 1).item()).toBeCloseTo(5, 5);
    expectClose(Array.from(b.grad.data()), [0.6, 0.8], 1e-6);
    expect(a.grad).toBe(null);
    expect(clipGradNorm_(b, 10).item()).toBeCloseTo(1, 5);  // a single tensor works too
  });
  it("a non-finite norm: scales by it (NaN grads, as PyTorch) or throws with errorIfNonfinite", () => {
    const p = tg.zeros([2]).requiresGrad_();
    p.grad = tg.tensor([Infinity, 1]);
    expect(() => clipGradNorm_([p], 1, { errorIfNonfinite: true })).toThrow(/total norm of order 2 .* is non-finite \(Infinity\)/);
    expect(Array.from(p.grad.data())).toEqual([Infinity, 1]);  // untouched when it throws
    expect(clipGradNorm_([p], 1).item()).toBe(Infinity);
    expect(Array.from(p.grad.data()).map(Number.isNaN)).toEqual([true, false]);
  });
  it("an expanded .grad is refused naming the clipping function, not the copy_ it runs", () => {
    const p = tg.zeros([3]).requiresGrad_();
    p.grad = tg.tensor([5]).expand([3]);
    expect(() => clipGradNorm_([p], 1)).toThrow(/^clipGradNorm_: a \.grad \(shape \[3\], strides \[0\]\) is an expanded view.*; clipping writes it in place: assign a contiguous gradient/);
    expect(() => clipGradValue_([p], 1)).toThrow(/^clipGradValue_: a \.grad \(shape \[3\], strides \[0\]\) is an expanded view/);
    expect(Array.from(p.grad.data())).toEqual([5, 5, 5]);
  });

  it("with maxNorm Infinity returns the total norm and leaves the gradients as they are (PyTorch's way to measure it)", () => {
    const p = tg.zeros([2]).requiresGrad_(), q = tg.zeros([1]).requiresGrad_();
    p.grad = tg.tensor([3, -0]);
    q.grad = tg.tensor([4]);
    expect(clipGradNorm_([p, q], Infinity).item()).toBe(5);
    expect(Array.from(p.grad!.data())).toEqual([3, -0]);
    expect(Array.from(q.grad!.data())).toEqual([4]);
  });

  it("checks its arguments", () => {
    const p = tg.zeros([2]).requiresGrad_();
    expect(() => clipGradNorm_([p], -1)).toThrow("clipGradNorm_: maxNorm must be a number >= 0 (Infinity measures the norm without clipping), got -1");
    expect(() => clipGradNorm_([p], NaN)).toThrow(/maxNorm must be a number >= 0 .*, got NaN$/);
    expect(() => clipGradNorm_([p], 1, { normType: 0 })).toThrow("clipGradNorm_: normType must be a number > 0 or Infinity, got 0");
    expect(() => clipGradNorm_([p], 1, { norm_type: 2 } as never)).toThrow(/did you mean "normType"/);
    expect(() => clipGradNorm_([1] as never, 1)).toThrow("clipGradNorm_: parameter 0 is not a Tensor");
    expect(() => clipGradNorm_(null as never, 1)).toThrow("clipGradNorm_: parameters must be a Tensor or an iterable");
  });
});

describe("clipGradValue_", () => {
  for (const c of CLIP.value)
    it(`clip ${c.clip} as PyTorch`, () => {
      const ps = params();
      clipGradValue_(ps, c.clip);
      ps.forEach((p, i) => expectClose(Array.from(p.grad!.data()), c.grads[i] as number[], 1e-7));
    });
  it("checks clipValue", () => {
    expect(() => clipGradValue_(params(), NaN)).toThrow("clipGradValue_: clipValue must be a number >= 0, got NaN");
  });
});
