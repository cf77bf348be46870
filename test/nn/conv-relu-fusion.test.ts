// Conv2d owns its fused Conv2d→ReLU path (Module.fuseWith, as Linear's): inside a Sequential the bias and ReLU run
// inside the convolution kernel and the backward masks the gradient and sums the bias gradient in one native pass
// (convReluBiasBackward). Values and gradients must equal the two modules run apart, on every kernel path (direct
// loops, implicit GEMM, depthwise) and SIMD path, bit-identical at 1 and 2 threads.
import { afterEach, describe, expect, it } from "vitest";
import * as tg from "../../lib/index.js";
import { native } from "../../lib/native.js";
import { conv2dRelu } from "../../lib/ops/conv.js";

const { Conv2d, ReLU, Sequential } = tg.nn;
const threads = tg.getNumThreads(), isa = tg.cpuIsa();
afterEach(() => {
  tg.setNumThreads(threads);
  tg.setCpuIsa(isa);
});

// [name, input shape, Conv2d arguments]: one layer per kernel path.
const LAYERS: [string, number[], [number, number, number, Record<string, unknown>]][] = [
  ["direct loops (LeNet conv1: 1 channel, 5×5, pad 2)", [3, 1, 12, 12], [1, 6, 5, { padding: 2 }]],
  ["direct loops (LeNet conv2: 6 channels, 16 outputs)", [2, 6, 9, 9], [6, 16, 5, {}]],
  ["implicit GEMM (3×3, 24 outputs, pad 1, stride 2)", [2, 8, 9, 11], [8, 24, 3, { padding: 1, stride: 2 }]],
  ["depthwise (groups = channels)", [2, 4, 7, 7], [4, 8, 3, { groups: 4, padding: 1 }]],
  ["no bias", [2, 3, 8, 8], [3, 5, 3, { bias: false }]],
];

function run(shape: number[], args: (typeof LAYERS)[number][2], fuse: boolean, dtype: tg.DType = "float32") {
  tg.manualSeed(3);
  const conv = new Conv2d(args[0], args[1], args[2], { ...args[3], dtype }), relu = new ReLU();
  const x = tg.randn(shape, { dtype, requiresGrad: true });
  const y = fuse ? new Sequential(conv, relu).forward(x) : relu.forward(conv.forward(x));
  const w2 = tg.randn(y.shape, { dtype });
  y.mul(w2).sum().backward();
  const grads = [x, conv.weight, ...(conv.bias ? [conv.bias] : [])].map((t) => Array.from(t.grad!.data()));
  return { y: Array.from(y.data()), name: y.gradFn!.name, grads };
}

function close(got: number[], want: number[], tol: number, what: string) {
  expect(got.length, what).toBe(want.length);
  for (let i = 0; i < want.length; ++i)
    if (!(Math.abs(got[i] - want[i]) <= tol * (1 + Math.abs(want[i])))) expect.fail(`${what}[${i}]: ${got[i]} vs ${want[i]}`);
}

describe("Sequential fuses Conv2d followed by ReLU", () => {
  for (const path of native.isas as string[])
    it.each(LAYERS)(`%s on the ${path} path: same values and gradients as the modules run apart`, (_, shape, args, ctx) => {
      if (tg.setCpuIsa(path as never) !== path) ctx.skip();
      const fused = run(shape, args, true), apart = run(shape, args, false);
      expect(fused.name).toBe("ConvolutionReluBackward0");
      expect(apart.name).toBe("ReluBackward0");
      expect(fused.y).toEqual(apart.y);  // the same kernel adds the bias in the same order; ReLU is exact
      close(fused.grads[0], apart.grads[0], 1e-6, "dx");
      close(fused.grads[1], apart.grads[1], 1e-5, "dW");
      if (fused.grads[2]) close(fused.grads[2], apart.grads[2], 1e-5, "db");  // summed in double by the fused pass
    });

  it.each(LAYERS)("%s: bit-identical at 1 and 2 threads", (_, shape, args) => {
    tg.setNumThreads(1);
    const one = run(shape, args, true);
    tg.setNumThreads(2);
    expect(run(shape, args, true)).toEqual(one);
  });

  it("passes gradCheck in float64 (input, weight and bias)", () => {
    tg.manualSeed(11);
    const conv = new Conv2d(2, 3, 3, { padding: 1, dtype: "float64" });
    const model = new Sequential(conv, new ReLU());
    expect(tg.gradCheck((x) => model.forward(x), [tg.randn([2, 2, 5, 5], { dtype: "float64" })])).toBe(true);
    // The fused op itself (what Conv2d.fuseWith runs) with weight and bias as checked inputs too.
    const f = (x: tg.Tensor, w: tg.Tensor, b: tg.Tensor) => conv2dRelu(x, w, b, { padding: 1, stride: [1, 2] });
    const args = [tg.randn([2, 2, 5, 6], { dtype: "float64" }), conv.weight.detach().clone(), conv.bias!.detach().clone()];
    expect(tg.gradCheck(f, args)).toBe(true);
  });

  it("ReLU as the relu op: NaN stays NaN and passes its gradient, negatives become +0", () => {
    const conv = new Conv2d(1, 3, 1, { bias: false });
    tg.noGrad(() => conv.weight.copy_(tg.tensor([NaN, -2, 3]).reshape([3, 1, 1, 1])));
    const x = tg.ones([1, 1, 1, 2], { requiresGrad: true });
    const y = new Sequential(conv, new ReLU()).forward(x);
    expect(Array.from(y.data())).toEqual([NaN, NaN, 0, 0, 3, 3]);
    expect(Object.is(y.data()[2], 0)).toBe(true);
    y.sum().backward();
    expect(Array.from(conv.weight.grad!.data())).toEqual([2, 0, 2]);  // the NaN channel's gradient passes
  });

  it("the fused form is Conv2d's: a subclass that changes forward, or another activation, is not fused", () => {
    class Shifted extends Conv2d {
      override forward(x: tg.Tensor): tg.Tensor {
        return super.forward(x).sub(1);
      }
    }
    const shifted = new Shifted(1, 2, 3), act = new ReLU();
    expect(shifted.fuseWith(act)).toBeNull();
    expect(new Conv2d(1, 2, 3).fuseWith(new tg.nn.Sigmoid())).toBeNull();
    expect(new Conv2d(1, 2, 3).fuseWith(undefined)).toBeNull();
    const x = tg.randn([1, 1, 5, 5]);
    expect(new Sequential(shifted, act).forward(x).toArray()).toEqual(act.forward(shifted.forward(x)).toArray());
  });

  it("bad input to the fused layer throws conv2d's errors", () => {
    const model = new Sequential(new Conv2d(3, 4, 3), new ReLU());
    expect(() => model.forward(tg.randn([1, 2, 5, 5]))).toThrow(/conv2d: input \[1, 2, 5, 5\] has 2 channels but weight \[4, 3, 3, 3\]/);
    expect(() => model.forward(tg.randn([1, 3, 2, 2]))).toThrow(/conv2d: the kernel .* is larger than the padded input/);
  });
});

describe("convReluBiasBackward", () => {
  it("masks g where y <= 0 (keeping +0), passes it where y is NaN, sums the bias gradient per channel", () => {
    // y, g [N=2, C=2, P=3]
    const y = new Float32Array([1, 0, -0, -2, NaN, 3, 4, -1, 5, 0, 2, Infinity]);
    const g = new Float32Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, -Infinity]);
    const gp = new Float32Array(12), db = new Float32Array(2);
    native.convReluBiasBackward(y, g, gp, db, 2, 2, 3);
    expect(Array.from(gp)).toEqual([1, 0, 0, 0, 5, 6, 7, 0, 9, 0, 11, -Infinity]);
    expect(Array.from(db)).toEqual([1 + 7 + 9, 5 + 6 + 11 - Infinity]);
    const gp2 = new Float32Array(12);
    native.convReluBiasBackward(y, g, gp2, null, 2, 2, 3);
    expect(Array.from(gp2)).toEqual(Array.from(gp));
  });

  it("rejects short arrays, mixed dtypes, int32 and overlapping outputs, naming the op", () => {
    const f = (n: number) => new Float32Array(n);
    expect(() => native.convReluBiasBackward(f(5), f(6), f(6), null, 1, 2, 3)).toThrow(/convReluBiasBackward: output has 5 elements/);
    expect(() => native.convReluBiasBackward(f(6), new Float64Array(6), f(6), null, 1, 2, 3)).toThrow(/convReluBiasBackward: dtypes differ/);
    expect(() => native.convReluBiasBackward(f(6), f(6), f(6), f(1), 1, 2, 3)).toThrow(/convReluBiasBackward: bias gradient/);
    expect(() => native.convReluBiasBackward(new Int32Array(6), new Int32Array(6), new Int32Array(6), null, 1, 2, 3)).toThrow(/int32/);
    const shared = f(12);
    expect(() => native.convReluBiasBackward(shared.subarray(0, 6), f(6), shared.subarray(3, 9), null, 1, 2, 3)).toThrow(/convReluBiasBackward/);
  });
});
