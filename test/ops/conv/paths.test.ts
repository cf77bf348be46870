// The convolution kernel paths against an independent formulation, unfold + matmul (+ bias), in forward and
// gradients, on every SIMD path, and bit-identical at 1 and 2 threads: the direct loops (native/kernels/conv/
// direct.*: stride 1, groups 1; forward and weight gradient for a patch of at most 32 channels × taps or at most
// 16 outputs; the input gradient as the forward's adjoint for at most 16 input and 16 output channels) and the
// implicit GEMM with the 8×48 AVX-512 tile for 8·k output channels (forward, and the weight gradient).
import { describe, expect, it } from "vitest";
import * as tg from "../../../lib/index.js";
import { native } from "../../../lib/native.js";

const F = tg.nn.functional;
type Isa = "scalar" | "avx2" | "avx512";

interface Geo { x: number[]; w: number[]; bias: boolean; pad: [number, number, number, number]; opts: Record<string, unknown> }
// pad: the left, right, top, bottom padding the options imply (for the reference).
const CASES: [string, Geo][] = [
  ["LeNet conv1: 1 channel, 5×5, pad 2, 28 columns", { x: [3, 1, 28, 28], w: [6, 5, 5], bias: true, pad: [2, 2, 2, 2], opts: { padding: 2 } }],
  ["3 channels, 3×3, dilation 2, odd sizes, no bias", { x: [2, 3, 13, 17], w: [11, 3, 3], bias: false, pad: [1, 1, 1, 1], opts: { padding: 1, dilation: 2 } }],
  ["padding \"same\" with an even kernel (asymmetric), 9 outputs", { x: [2, 2, 9, 35], w: [9, 2, 4], bias: true, pad: [1, 2, 0, 1], opts: { padding: "same" } }],
  ["LeNet conv2: 6 channels, 5×5, 16 outputs (deep patch, all three direct)", { x: [2, 6, 14, 14], w: [16, 5, 5], bias: true, pad: [0, 0, 0, 0], opts: {} }],
  ["64 outputs, 3×3, pad 1 (implicit GEMM on the 8×48 tile; dx direct)", { x: [2, 8, 9, 11], w: [64, 3, 3], bias: true, pad: [1, 1, 1, 1], opts: { padding: 1 } }],
  // Padding wider than the kernel's reach: the forward packs from zero-bordered planes with rows and columns of
  // padding only, and the input gradient's stride-1 re-expression over dY has padding (KH−1)·dil − 3 = −1 (its
  // planes are cropped copies).
  ["implicit GEMM, padding 3 around a 3×3 kernel (cropped planes in the input gradient)", { x: [2, 8, 6, 7], w: [24, 3, 3], bias: true, pad: [3, 3, 3, 3], opts: { padding: 3 } }],
  ["implicit GEMM without padding (patches read in place), dilation 2", { x: [2, 4, 12, 13], w: [24, 3, 3], bias: false, pad: [0, 0, 0, 0], opts: { dilation: 2 } }],
  ["a kernel as wide as the input, one output column", { x: [1, 1, 6, 5], w: [5, 5, 5], bias: true, pad: [0, 0, 0, 0], opts: {} }],
];

function direct(g: Geo, x: tg.Tensor, w: tg.Tensor, b: tg.Tensor | null) {
  const y = F.conv2d(x, w, b, g.opts);
  y.mul(y.detach().cos()).sum().backward();
  return y;
}

// y = W·unfold(pad(x)) + b, differentiated by the tape through fold and the GEMM.
function reference(g: Geo, x: tg.Tensor, w: tg.Tensor, b: tg.Tensor | null) {
  const [N, , H, W] = x.shape, [O, , KH, KW] = w.shape, dil = (g.opts.dilation as number | undefined) ?? 1;
  const [l, r, t, bt] = g.pad;
  const oh = H + t + bt - dil * (KH - 1), ow = W + l + r - dil * (KW - 1);
  const cols = F.unfold(F.pad(x, [l, r, t, bt]), [KH, KW], { dilation: dil });
  let y = w.reshape([1, O, -1]).matmul(cols).reshape([N, O, oh, ow]);
  if (b) y = y.add(b.reshape([1, O, 1, 1]));
  y.mul(y.detach().cos()).sum().backward();
  return y;
}

function operands(g: Geo, dtype: tg.DType) {
  tg.manualSeed(7);
  const kernel = [g.w[0], g.x[1], g.w[1], g.w[2]];
  const mk = (shape: number[]) => tg.randn(shape, { dtype }).requiresGrad_();
  return { x: mk(g.x), w: mk(kernel), b: g.bias ? mk([g.w[0]]) : null };
}

function close(got: tg.Tensor, want: tg.Tensor, tol: number, what: string) {
  expect(got.shape, what).toEqual(want.shape);
  const a = got.data(), e = want.data();
  for (let i = 0; i < e.length; ++i)
    if (!(Math.abs(a[i] - e[i]) <= tol * (1 + Math.abs(e[i])))) expect.fail(`${what}[${i}]: ${a[i]} vs reference ${e[i]}`);
}

describe.each(native.isas as Isa[])("convolution kernels on the %s path", (isa) => {
  for (const [dtype, tol] of [["float64", 1e-12], ["float32", 2e-4]] as const)  // float32: sums of ~2,000 terms
    it.each(CASES)(`%s (${dtype}) matches unfold + matmul`, (_, g, ctx) => {
      const before = tg.cpuIsa();
      if (tg.setCpuIsa(isa) !== isa) { tg.setCpuIsa(before); ctx.skip(); }
      try {
        const d = operands(g, dtype), r = operands(g, dtype);
        close(direct(g, d.x, d.w, d.b), reference(g, r.x, r.w, r.b), tol, "y");
        close(d.w.grad!, r.w.grad!, tol, "dW");
        close(d.x.grad!, r.x.grad!, tol, "dx");
        if (d.b) close(d.b.grad!, r.b!.grad!, tol, "db");
      } finally {
        tg.setCpuIsa(before);
      }
    });
});

describe("convolution kernels: determinism", () => {
  it.each(CASES)("%s: bit-identical at 1 and 2 threads", (_, g) => {
    const before = tg.getNumThreads();
    const once = () => {
      const { x, w, b } = operands(g, "float32");
      const y = direct(g, x, w, b);
      return [y, x.grad!, w.grad!].map((t) => Array.from(t.data()));
    };
    try {
      tg.setNumThreads(1);
      const one = once();
      tg.setNumThreads(2);
      expect(once()).toEqual(one);
    } finally {
      tg.setNumThreads(before);
    }
  });
});
