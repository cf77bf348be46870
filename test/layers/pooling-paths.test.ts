// 2×2 stride-2 max pooling on every SIMD path (native/kernels/pool/pairs_avx512.cc runs fp32 forward rows 16
// outputs at a time, masked at a row's end): values, arg-max routing and gradients against a per-window JS loop, for rows
// shorter than, equal to and longer than one 16-output step, odd widths and heights (a column or row no window
// covers), ties, NaN, ±inf and −0, in float32 and float64.
import { describe, expect, it } from "vitest";
import * as tg from "../../lib/index.js";
import { native } from "../../lib/native.js";

const F = tg.nn.functional;
type Isa = "scalar" | "avx2" | "avx512";

const SHAPES = [[2, 3, 10, 10], [1, 2, 28, 28], [1, 1, 4, 32], [1, 2, 5, 33], [2, 1, 7, 70], [1, 1, 2, 2], [1, 1, 3, 3]];

// Values with many ties (integers 0..3), NaN every 11th, ±inf now and then.
function values(n: number): number[] {
  return Array.from({ length: n }, (_, i) =>
    i % 11 === 5 ? NaN : i % 17 === 3 ? Infinity : i % 19 === 7 ? -Infinity : (i * 13) % 4);
}

// The per-window loop: rows, then columns; the first maximum wins a tie, a NaN wins over any number.
function reference(vals: number[], [N, C, H, W]: number[], gy: number[]) {
  const OH = H >> 1, OW = W >> 1, y: number[] = [], gx = new Array<number>(vals.length).fill(0);
  for (let p = 0; p < N * C; ++p)
    for (let oh = 0; oh < OH; ++oh)
      for (let ow = 0; ow < OW; ++ow) {
        let best = -Infinity, at = p * H * W + 2 * oh * W + 2 * ow;
        for (let i = 2 * oh; i < 2 * oh + 2; ++i)
          for (let j = 2 * ow; j < 2 * ow + 2; ++j) {
            const v = vals[p * H * W + i * W + j];
            if (v > best || Number.isNaN(v)) (best = v), (at = p * H * W + i * W + j);
          }
        gx[at] += gy[y.length];
        y.push(best);
      }
  return { y, gx };
}

describe.each(native.isas as Isa[])("maxPool2d 2×2 on the %s path", (isa) => {
  it.each(SHAPES.flatMap((s) => (["float32", "float64"] as const).map((d) => [s, d] as const)))(
    "%j %s: values, arg-max and gradient match a per-window loop", (shape, dtype, ctx) => {
      const before = tg.cpuIsa();
      if (tg.setCpuIsa(isa) !== isa) { tg.setCpuIsa(before); ctx.skip(); }
      try {
        const n = shape.reduce((a, b) => a * b), m = shape[0] * shape[1] * (shape[2] >> 1) * (shape[3] >> 1);
        const vals = values(n);
        // Gradients with −0, NaN and ±inf among ordinary values.
        const gy = Array.from({ length: m }, (_, i) => (i % 6 === 5 ? -2 - i : [-0, 1.5, NaN, Infinity, -Infinity][i % 6]));
        const x = tg.tensor(vals, { shape, dtype }).requiresGrad_();
        const y = F.maxPool2d(x, 2);
        y.backward(tg.tensor(gy, { shape: y.shape, dtype }));
        const want = reference(vals, shape, gy);
        expect(Array.from(y.data())).toEqual(want.y);
        const got = Array.from(x.grad!.data());
        expect(got).toEqual(want.gx);
        // A −0 gradient lands as +0, as PyTorch's scatter into zeros gives.
        got.forEach((v, i) => { if (v === 0 && !Object.is(v, 0)) expect.fail(`−0 at ${i}`); });
      } finally {
        tg.setCpuIsa(before);
      }
    });
});
