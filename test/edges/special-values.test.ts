// NaN, ±inf and -0 through every comparison-based op, forward and derivative, against PyTorch
// 1.13 (test/edges/reference.ts, from gen-reference.py): a table of ops × special inputs, in
// float64 (the scalar kernels) and float32 (the SIMD paths too). Zeros must match in sign.
import { describe, expect, it } from "vitest";
import * as tg from "../../lib/index.js";
import { REF } from "./reference.js";

import { expectSame, type Nested } from "./util.js";

const UNARY: Record<keyof typeof REF.unary, (x: tg.Tensor) => tg.Tensor> = {
  relu: (x) => x.relu(),
  leakyRelu: (x) => x.leakyRelu(0.1),
  elu: (x) => x.elu(),
  "elu(0.5)": (x) => x.elu(0.5),
  gelu: (x) => x.gelu(),
  abs: (x) => x.abs(),
  sign: (x) => x.sign(),
  sigmoid: (x) => x.sigmoid(),
  tanh: (x) => x.tanh(),
  "clamp(-1, 1)": (x) => x.clamp(-1, 1),
  "clamp(0, null)": (x) => x.clamp(0, null),
  "clamp(null, 0)": (x) => x.clamp(null, 0),
  "clamp(2, 1)": (x) => x.clamp(2, 1),
  "clamp(NaN, 2)": (x) => x.clamp(NaN, 2),
};

// Value and gradient of f's sum for each input, like value_and_grad in the generator.
function valueAndGrad(f: (...xs: tg.Tensor[]) => tg.Tensor, dtype: "float32" | "float64", ...data: Nested[]) {
  const xs = data.map((d) => tg.tensor(d as number[], { dtype, requiresGrad: true }));
  const y = f(...xs);
  y.sum().backward();
  return { y, grads: xs.map((x) => x.grad!) };
}

describe.each(["float64", "float32"] as const)("special values in %s match PyTorch", (dtype) => {
  const rtol = dtype === "float64" ? 1e-12 : 1e-6;
  it.each(Object.keys(UNARY) as (keyof typeof REF.unary)[])("%s: value and derivative", (name) => {
    const r = valueAndGrad(UNARY[name], dtype, REF.unaryInputs);
    expectSame(r.y, REF.unary[name].y, `${name} value`, rtol);
    expectSame(r.grads[0], REF.unary[name].grads[0], `${name} gradient`, rtol);
  });
  it.each(["maximum", "minimum"] as const)("%s over every pair of NaN, ±inf, ±0, 1: value and both derivatives", (name) => {
    const r = valueAndGrad((a, b) => (name === "maximum" ? a.maximum(b) : a.minimum(b)), dtype, REF.binaryInputs.a, REF.binaryInputs.b);
    expectSame(r.y, REF.binary[name].y, `${name} value`);
    expectSame(r.grads[0], REF.binary[name].grads[0], `${name} d/da`);
    expectSame(r.grads[1], REF.binary[name].grads[1], `${name} d/db`);
  });
  it.each(REF.fullReduce.map((c, i) => [i, c] as const))("full max/min/argmax/argmin, case %i", (_, c) => {
    for (const op of ["max", "min"] as const) {
      const r = valueAndGrad((x) => x[op](), dtype, c.x);
      // Among tied ±0, PyTorch's vectorised full reduction returns the one it meets last (its
      // argmax and max(dim) pick the first, as we do): the value is compared, not its sign.
      expectSame(r.y, c[op].y, `${op}(${c.x})`, 1e-12, false);
      expectSame(r.grads[0], c[op].grad, `${op}(${c.x}) gradient`);
    }
    expect(tg.tensor(c.x as number[], { dtype }).argmax().item()).toBe(c.argmax);
    expect(tg.tensor(c.x as number[], { dtype }).argmin().item()).toBe(c.argmin);
  });
  it.each(["max(0)", "max(1)", "min(0)", "min(1)"] as const)("%s over a dim: values, indices, gradient", (key) => {
    const op = key.startsWith("max") ? "max" : "min", dim = Number(key[4]);
    const ref = REF.dimReduce[key];
    const r = valueAndGrad((x) => x[op](dim), dtype, REF.dimReduce.x);
    expectSame(r.y, ref.values, `${key} values`);
    expectSame(r.grads[0], ref.grad, `${key} gradient`);
    const x = tg.tensor(REF.dimReduce.x as unknown as number[][], { dtype });
    expect(Array.from((op === "max" ? x.argmax(dim) : x.argmin(dim)).data())).toEqual(ref.indices);
  });
  it("relu in nn.ReLU and in Sequential's fused Linear→ReLU path propagates NaN, with relu's gradient", () => {
    const lin = new tg.nn.Linear(1, REF.unaryInputs.length, { dtype });
    tg.noGrad(() => {
      lin.weight.copy_(tg.tensor(REF.unaryInputs as unknown as number[], { dtype }).reshape([-1, 1]));
      lin.bias!.zero_();
    });
    const x = tg.ones([1, 1], { dtype });
    const fused = new tg.nn.Sequential(lin, new tg.nn.ReLU());
    const y = fused.forward(x);
    expect(y.gradFn!.name).toBe("LinearReluBackward");
    // -0 · 1 + 0 is +0 in the GEMM (as in PyTorch's addmm), so relu sees +0 there.
    expectSame(y, [REF.unary.relu.y], "fused Linear→ReLU value", 1e-6, false);
    y.sum().backward();
    // dL/dW[j] = relu'(W[j]·1) · 1, the relu gradient row of the table.
    expectSame(lin.weight.grad!.reshape([-1]), REF.unary.relu.grads[0], "fused Linear→ReLU weight gradient");
    expectSame(new tg.nn.ReLU().forward(tg.tensor(REF.unaryInputs as unknown as number[], { dtype })), REF.unary.relu.y, "nn.ReLU");
  });
});
