// The convolution family (conv2d, conv1d, convTranspose2d, unfold, fold): values and gradients against
// PyTorch 1.13 (reference.json, from gen-reference.py), bad input, empty batches, and bit-identical results
// at any thread count or SIMD path. gradCheck for every option: test/nn/grad-cases/conv.ts (the registry).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import * as tg from "../../../lib/index.js";

const F = tg.nn.functional;

interface Arr { shape: number[]; data: number[] }
interface Case {
  name: string; op: "conv2d" | "conv1d" | "convTranspose2d" | "unfold" | "fold";
  args: unknown[]; opts: Record<string, unknown>;
  x: Arr; w: Arr | null; b: Arr | null; y: Arr; dx: number[]; dw: number[] | null; db: number[] | null;
}
const ref = JSON.parse(readFileSync(new URL("./reference.json", import.meta.url), "utf8")) as { cases: Case[] };

// The reference's loss weights: m[i] = 0.5 + (i·37 mod 11)/10.
function lossWeights(shape: number[], dtype: tg.DType): tg.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return tg.tensor(Array.from({ length: n }, (_, i) => 0.5 + ((i * 37) % 11) / 10), { shape, dtype });
}

function run(c: Case, dtype: tg.DType) {
  const t = (a: Arr) => tg.tensor(a.data, { shape: a.shape, dtype, requiresGrad: true });
  const x = t(c.x), w = c.w ? t(c.w) : null, b = c.b ? t(c.b) : null;
  const call: Record<Case["op"], () => tg.Tensor> = {
    conv2d: () => F.conv2d(x, w!, b, c.opts),
    conv1d: () => F.conv1d(x, w!, b, c.opts),
    convTranspose2d: () => F.convTranspose2d(x, w!, b, c.opts),
    unfold: () => F.unfold(x, c.args[0] as number, c.opts),
    fold: () => F.fold(x, c.args[0] as [number, number], c.args[1] as number, c.opts),
  };
  const y = call[c.op]();
  y.mul(lossWeights(y.shape, dtype)).sum().backward();
  return { y, x, w, b };
}

function expectNear(got: ArrayLike<number>, want: number[], tol: number, what: string) {
  expect(got.length, what).toBe(want.length);
  for (let i = 0; i < want.length; ++i)
    if (!(Math.abs(got[i] - want[i]) <= tol * (1 + Math.abs(want[i]))))
      expect.fail(`${what}[${i}]: got ${got[i]}, PyTorch ${want[i]} (tol ${tol})`);
}

describe("convolutions agree with PyTorch 1.13", () => {
  for (const [dtype, tol] of [["float64", 1e-10], ["float32", 2e-5]] as const)
    it.each(ref.cases.map((c) => [`${c.op} ${c.name}`, c] as const))(`%s (${dtype})`, (_, c) => {
      const { y, x, w, b } = run(c, dtype);
      expect(y.shape).toEqual(c.y.shape);
      expect(y.dtype).toBe(dtype);
      expectNear(y.data(), c.y.data, tol, "y");
      expectNear(x.grad!.data(), c.dx, tol, "dx");
      if (c.dw) expectNear(w!.grad!.data(), c.dw, tol, "dw");
      if (c.db) expectNear(b!.grad!.data(), c.db, tol, "db");
    });
});

describe("bad input names the op, the shapes and the argument", () => {
  const x = tg.randn([2, 3, 8, 8]), w = tg.randn([4, 3, 3, 3]);
  it.each([
    ["wrong channel count", () => F.conv2d(tg.randn([2, 5, 8, 8]), w), /conv2d: input \[2, 5, 8, 8\] has 5 channels but weight \[4, 3, 3, 3\].*expects 3/],
    ["one channel", () => F.conv2d(tg.randn([2, 1, 8, 8]), w), /conv2d: input \[2, 1, 8, 8\] has 1 channel but weight/],
    ["kernel larger than the padded input", () => F.conv2d(tg.randn([1, 3, 2, 2]), w), /conv2d: the kernel \(3 .*larger than the padded input along height \(2 \+ padding 0 = 2\)/],
    ["zero stride", () => F.conv2d(x, w, null, { stride: 0 }), /conv2d: stride must be an integer >= 1, got 0/],
    ["negative stride", () => F.conv2d(x, w, null, { stride: [1, -2] }), /conv2d: stride must be integers >= 1, got \[1, -2\]/],
    ["negative padding", () => F.conv2d(x, w, null, { padding: -1 }), /conv2d: padding must be an integer >= 0/],
    ["zero dilation", () => F.conv2d(x, w, null, { dilation: 0 }), /conv2d: dilation must be an integer >= 1/],
    ["3-D input", () => F.conv2d(tg.randn([3, 8, 8]), w), /conv2d: expected a 4-D input \[N, C, H, W\], got shape \[3, 8, 8\]; for a single image \[C, H, W\] use x\.unsqueeze\(0\)/],
    ["2-D input", () => F.conv2d(tg.randn([8, 8]), w), /conv2d: expected a 4-D input \[N, C, H, W\], got shape \[8, 8\]; for a single one-channel image \[H, W\] use x\.reshape\(\[1, 1, H, W\]\)/],
    ["5-D input", () => F.conv2d(tg.randn([1, 2, 3, 8, 8]), w), /conv2d: expected a 4-D input .* got shape \[1, 2, 3, 8, 8\]/],
    ["2-D weight", () => F.conv2d(x, tg.randn([4, 27])), /conv2d: expected a 4-D weight .* got shape \[4, 27\]/],
    ["groups not dividing channels", () => F.conv2d(x, tg.randn([4, 1, 3, 3]), null, { groups: 2 }), /conv2d: groups=2 must divide both the input channels \(3\) and the output channels \(4\)/],
    ["zero groups", () => F.conv2d(x, w, null, { groups: 0 }), /conv2d: groups must be a positive integer, got 0/],
    ["int32 input", () => F.conv2d(tg.zeros([2, 3, 8, 8], { dtype: "int32" }), w), /conv2d: expected float32 or float64 tensors of one dtype, got input int32, weight float32/],
    ["mixed dtypes", () => F.conv2d(x.double(), w), /conv2d: .*input float64, weight float32/],
    ["bias shape", () => F.conv2d(x, w, tg.randn([3])), /conv2d: bias must have shape \[4\].*got \[3\]/],
    ["same with stride", () => F.conv2d(x, w, null, { padding: "same", stride: 2 }), /conv2d: padding "same" needs stride 1/],
    ["unknown option", () => F.conv2d(x, w, null, { strides: 2 } as never), /conv2d: unknown option "strides"; did you mean "stride"\?/],
    ["conv1d 4-D input", () => F.conv1d(x, tg.randn([4, 3, 3])), /conv1d: expected a 3-D input \[N, C, L\], got shape \[2, 3, 8, 8\]/],
    ["convTranspose2d channels", () => F.convTranspose2d(x, tg.randn([4, 2, 3, 3])), /convTranspose2d: input \[2, 3, 8, 8\] has 3 channels but weight \[4, 2, 3, 3\] expects 4/],
    ["convTranspose2d outputPadding", () => F.convTranspose2d(x, tg.randn([3, 2, 3, 3]), null, { stride: 2, outputPadding: 2 }), /convTranspose2d: outputPadding \[2, 2\] must be smaller than stride \[2, 2\] or dilation \[1, 1\]/],
    ["convTranspose2d int32", () => F.convTranspose2d(x.int(), tg.randn([3, 2, 3, 3])), /convTranspose2d: .*input int32/],
    ["fold block count", () => F.fold(tg.randn([1, 12, 11]), [4, 5], 2), /fold: input \[1, 12, 11\] has 11 blocks but .* give 3 × 4 = 12/],
    ["unfold kernel too large", () => F.unfold(tg.randn([1, 1, 2, 2]), 3), /unfold: the kernel .* larger than the padded input/],
  ] as [string, () => unknown, RegExp][])("%s", (_, fn, msg) => {
    expect(fn).toThrow(msg);
  });
});

describe("edge cases", () => {
  it("an empty batch gives an empty output and zero weight gradients", () => {
    const x = tg.zeros([0, 3, 8, 8], { requiresGrad: true }), w = tg.randn([4, 3, 3, 3]).requiresGrad_(), b = tg.randn([4]).requiresGrad_();
    const y = F.conv2d(x, w, b, { padding: 1 });
    expect(y.shape).toEqual([0, 4, 8, 8]);
    y.sum().backward();
    expect(x.grad!.shape).toEqual([0, 3, 8, 8]);
    expect(Array.from(w.grad!.data()).every((v) => v === 0)).toBe(true);
    expect(Array.from(b.grad!.data()).every((v) => v === 0)).toBe(true);
    expect(F.convTranspose2d(tg.zeros([0, 3, 4, 4]), tg.randn([3, 2, 3, 3])).shape).toEqual([0, 2, 6, 6]);
  });
  it("NaN and ±inf propagate only to the outputs that read them", () => {
    const x = tg.zeros([1, 1, 5, 5]);
    x.storage[12] = NaN;  // centre
    x.storage[0] = Infinity;
    const y = F.conv2d(x, tg.ones([1, 1, 3, 3]), null).data();  // 3×3 output, every window covers the centre
    expect(Array.from(y).every(Number.isNaN)).toBe(true);
    const z = F.conv2d(x, tg.ones([1, 1, 1, 1]), null).data();
    expect(z[0]).toBe(Infinity);
    expect(z[1]).toBe(0);
  });
  it("a non-contiguous input (a transposed view) gives the same result as its copy", () => {
    const x = tg.randn([2, 3, 6, 7]), w = tg.randn([4, 3, 3, 3]);
    const view = x.transpose(2, 3).contiguous().transpose(2, 3);
    expect(Array.from(F.conv2d(view, w, null, { padding: 1 }).data())).toEqual(Array.from(F.conv2d(x, w, null, { padding: 1 }).data()));
  });
});

describe("determinism", () => {
  // Large enough that forward, dX and dW split over threads (both over images and within one image).
  function all(x: tg.Tensor, w: tg.Tensor, b: tg.Tensor, opts: Record<string, unknown>) {
    const xs = x.detach().requiresGrad_(), ws = w.detach().requiresGrad_(), bs = b.detach().requiresGrad_();
    const y = F.conv2d(xs, ws, bs, opts);
    y.mul(y).sum().backward();
    return [y, xs.grad!, ws.grad!, bs.grad!].map((t) => Array.from(t.data()));
  }
  it.each([
    ["batch 4, 3x3 pad 1", [4, 16, 20, 20], [24, 16, 3, 3], { padding: 1 }],
    ["batch 1 (split inside the image), stride 2", [1, 8, 40, 40], [64, 8, 3, 3], { padding: 1, stride: 2 }],
    ["batch 1, 1x1", [1, 32, 30, 30], [48, 32, 1, 1], {}],
    ["depthwise (direct loops)", [2, 32, 20, 20], [64, 1, 3, 3], { padding: 1, groups: 32 }],
  ] as [string, number[], number[], Record<string, unknown>][])("%s: bit-identical at 1 and 2 threads", (_, xs, ws, opts) => {
    tg.manualSeed(3);
    const x = tg.randn(xs), w = tg.randn(ws), b = tg.randn([ws[0]]);
    const before = tg.getNumThreads();
    try {
      tg.setNumThreads(1);
      const one = all(x, w, b, opts);
      tg.setNumThreads(2);
      const two = all(x, w, b, opts);
      for (let i = 0; i < one.length; ++i) expect(two[i], `output ${i}`).toEqual(one[i]);
    } finally {
      tg.setNumThreads(before);
    }
  });
  it.skipIf(tg.cpuIsa() !== "avx512")("the AVX-512 patch packing and the portable one agree", () => {
    tg.manualSeed(4);
    const x = tg.randn([2, 5, 11, 13]), w = tg.randn([7, 5, 3, 3]);
    const fast = Array.from(F.conv2d(x, w, null, { padding: [2, 1], dilation: [1, 2] }).data());
    try {
      tg.setCpuIsa("scalar");
      const slow = Array.from(F.conv2d(x, w, null, { padding: [2, 1], dilation: [1, 2] }).data());
      expectNear(fast, slow, 1e-5, "conv2d");
    } finally {
      tg.setCpuIsa("avx512");
    }
  });
});

describe("autograd saves only what backward reads", () => {
  const x0 = () => tg.randn([1, 2, 5, 5]), w0 = () => tg.randn([3, 2, 3, 3]);
  it("dW reads x, not W: changing W in place after the forward leaves dW right", () => {
    tg.manualSeed(1);
    const x = x0(), w = w0().requiresGrad_(true);
    tg.nn.functional.conv2d(x, w, null, { padding: 1 }).sum().backward();
    const expected = Array.from(w.grad!.data());
    w.grad = null;
    const y = tg.nn.functional.conv2d(x, w, null, { padding: 1 });
    tg.noGrad(() => w.fill_(7));
    y.sum().backward();
    expect(Array.from(w.grad!.data())).toEqual(expected);
  });
  it("dx reads W: changing W in place after the forward makes backward refuse", () => {
    const x = x0().requiresGrad_(true), w = w0();
    const y = tg.nn.functional.conv2d(x, w);
    tg.noGrad(() => w.fill_(7));
    expect(() => y.sum().backward()).toThrow(/modified in place/);
  });
  it("convTranspose2d: dW reads x only, dx reads W only", () => {
    const x = tg.randn([1, 3, 4, 4]), w = tg.randn([3, 2, 3, 3]).requiresGrad_(true);
    const y = tg.nn.functional.convTranspose2d(x, w, null, { stride: 2 });
    tg.noGrad(() => w.fill_(7));
    expect(() => y.sum().backward()).not.toThrow();
    const x2 = tg.randn([1, 3, 4, 4]).requiresGrad_(true), w2 = tg.randn([3, 2, 3, 3]);
    const y2 = tg.nn.functional.convTranspose2d(x2, w2);
    tg.noGrad(() => w2.fill_(7));
    expect(() => y2.sum().backward()).toThrow(/modified in place/);
  });
});
