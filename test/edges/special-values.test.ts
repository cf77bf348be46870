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
  log1p: (x) => x.log1p(), expm1: (x) => x.expm1(), reciprocal: (x) => x.reciprocal(), rsqrt: (x) => x.rsqrt(),
  sin: (x) => x.sin(), cos: (x) => x.cos(), floor: (x) => x.floor(), ceil: (x) => x.ceil(), round: (x) => x.round(),
  square: (x) => x.square(), silu: (x) => F.silu(x), mish: (x) => F.mish(x), softplus: (x) => F.softplus(x),
  "softplus(beta 2, threshold 1)": (x) => F.softplus(x, { beta: 2, threshold: 1 }),
  hardtanh: (x) => F.hardtanh(x), "hardtanh(-0.5, 1.5)": (x) => F.hardtanh(x, { minVal: -0.5, maxVal: 1.5 }),
  logSigmoid: (x) => F.logSigmoid(x), softsign: (x) => F.softsign(x),
  "elu(-0)": (x) => x.elu(-0), "elu(0)": (x) => x.elu(0), "elu(-1)": (x) => new tg.nn.ELU({ alpha: -1 }).forward(x),
  "leakyRelu(-0)": (x) => x.leakyRelu(-0), "leakyRelu(0)": (x) => x.leakyRelu(0),
  "leakyRelu(-0.5)": (x) => new tg.nn.LeakyReLU({ negativeSlope: -0.5 }).forward(x),
  "hardtanh(-0, 0)": (x) => F.hardtanh(x, { minVal: -0, maxVal: 0 }), "hardtanh(0, 1)": (x) => F.hardtanh(x, { minVal: 0, maxVal: 1 }),
  "clamp(-0, 0)": (x) => x.clamp(-0, 0), "clamp(0, -0)": (x) => x.clamp(0, -0),
  "softplus(beta -1)": (x) => F.softplus(x, { beta: -1 }), "softplus(beta 1, threshold 0)": (x) => F.softplus(x, { threshold: 0 }),
};
const F = tg.nn.functional;

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
  it("isnan, isinf, isfinite and allclose", () => {
    const x = tg.tensor(REF.unaryInputs as unknown as number[], { dtype });
    for (const k of ["isnan", "isinf", "isfinite"] as const) expect(Array.from(x[k]().data()), k).toEqual(REF.classify[k]);
    const cases: [number[], number[], object][] = [[[1, Infinity], [1 + 1e-9, Infinity], {}], [[1, NaN], [1, NaN], {}],
      [[1, NaN], [1, NaN], { equalNan: true }], [[1, 2], [1, 2.1], {}], [[1, 2], [1, 2.1], { atol: 0.2 }], [[Infinity], [-Infinity], {}]];
    cases.forEach(([a, b, o], i) => expect(tg.allclose(tg.tensor(a, { dtype }), tg.tensor(b, { dtype }), o), String(i)).toBe(REF.allclose[i]));
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
    let indices: tg.Tensor | null = null;
    const r = valueAndGrad((x) => { const [v, i] = x[op](dim); indices = i; return v; }, dtype, REF.dimReduce.x);
    expectSame(r.y, ref.values, `${key} values`);
    expectSame(r.grads[0], ref.grad, `${key} gradient`);
    expect(Array.from(indices!.data())).toEqual(ref.indices);
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
    expect(y.gradFn!.name).toBe("LinearReluBackward0");
    // -0 · 1 + 0 is +0 in the GEMM (as in PyTorch's addmm), so relu sees +0 there.
    expectSame(y, [REF.unary.relu.y], "fused Linear→ReLU value", 1e-6, false);
    y.sum().backward();
    // dL/dW[j] = relu'(W[j]·1) · 1, the relu gradient row of the table.
    expectSame(lin.weight.grad!.reshape([-1]), REF.unary.relu.grads[0], "fused Linear→ReLU weight gradient");
    expectSame(new tg.nn.ReLU().forward(tg.tensor(REF.unaryInputs as unknown as number[], { dtype })), REF.unary.relu.y, "nn.ReLU");
  });
});

describe("the new activations pass gradCheck away from their kinks", () => {
  const F = tg.nn.functional;
  const x = () => tg.tensor([[-2.3, -0.7, 0.4], [1.1, 2.9, -0.2]], { dtype: "float64" });
  const cases: [string, (t: tg.Tensor) => tg.Tensor][] = [
    ["silu", (t) => F.silu(t)], ["mish", (t) => F.mish(t)], ["softplus", (t) => F.softplus(t)],
    ["softplus beta 2 threshold 1", (t) => F.softplus(t, { beta: 2, threshold: 1 })], ["hardtanh", (t) => F.hardtanh(t)],
    ["hardtanh(-0.5, 1.5)", (t) => F.hardtanh(t, { minVal: -0.5, maxVal: 1.5 })], ["logSigmoid", (t) => F.logSigmoid(t)],
    ["softsign", (t) => F.softsign(t)],
  ];
  it.each(cases)("%s", (_, f) => expect(tg.gradCheck(f, [x()])).toBe(true));
  it("x.T reverses the dims and x.mT swaps the last two, as views", () => {
    const a = tg.arange(24).float().reshape(2, 3, 4);
    expect(a.T.shape).toEqual([4, 3, 2]);
    expect(a.mT.shape).toEqual([2, 4, 3]);
    expect(a.mT.storage).toBe(a.storage);
    expect(a.T.contiguous().toArray()).toEqual(a.permute(2, 1, 0).contiguous().toArray());
    expect(() => tg.ones([3]).mT).toThrow(/mT: the tensor needs at least 2 dims/);
    expect(tg.gradCheck((t) => t.mT.mul(t.mT), [tg.tensor([[1, 2], [3, 4]], { dtype: "float64" })])).toBe(true);
  });
});
