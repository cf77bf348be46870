// Every GEMM kernel path (forced with setCpuIsa; a path the CPU lacks falls back to the best it
// has) against a plain float64 reference: small sizes one by one, sizes around register-tile and
// cache-block edges, transposed and strided views, batched and broadcast-batch products.
import { afterAll, describe, expect, it, onTestFinished } from "vitest";
import * as tg from "../../lib/index.js";
import type { Tensor } from "../../lib/index.js";
import { native, type Isa } from "../../lib/native.js";

const ISAS = native.isas as Isa[];
const SMALL = [...Array.from({ length: 17 }, (_, i) => i + 1), 19, 23, 29, 31, 32, 33, 37, 41, 47, 48, 49, 53, 59, 61, 63, 64, 65, 67];

// Reference product in float64 with numpy-style broadcasting of the batch dims.
function reference(a: Tensor, b: Tensor): { shape: number[]; data: Float64Array } {
  const ad = a.data(), bd = b.data();
  const M = a.shape[a.ndim - 2], K = a.shape[a.ndim - 1], N = b.shape[b.ndim - 1];
  const ab = a.shape.slice(0, -2), bb = b.shape.slice(0, -2);
  const nb = Math.max(ab.length, bb.length);
  const batch = Array.from({ length: nb }, (_, i) => {
    const x = ab[i - nb + ab.length] ?? 1, y = bb[i - nb + bb.length] ?? 1;
    return x === 1 ? y : x;
  });
  const count = batch.reduce((p, d) => p * d, 1);
  const out = new Float64Array(count * M * N);
  const flat = (dims: number[], idx: number[]) => {
    let f = 0;
    dims.forEach((d, i) => (f = f * d + (d === 1 ? 0 : idx[i + nb - dims.length])));
    return f;
  };
  for (let c = 0; c < count; ++c) {
    const idx: number[] = [];
    for (let i = nb - 1, r = c; i >= 0; --i) (idx[i] = r % batch[i]), (r = Math.floor(r / batch[i]));
    const ao = flat(ab, idx) * M * K, bo = flat(bb, idx) * K * N, co = c * M * N;
    for (let i = 0; i < M; ++i)
      for (let j = 0; j < N; ++j) {
        let s = 0;
        for (let k = 0; k < K; ++k) s += ad[ao + i * K + k] * bd[bo + k * N + j];
        out[co + i * N + j] = s;
      }
  }
  return { shape: [...batch, M, N], data: out };
}

function expectProduct(a: Tensor, b: Tensor, label: string): void {
  const got = a.matmul(b), want = reference(a, b);
  expect(got.shape, label).toEqual(want.shape);
  const K = a.shape[a.ndim - 1];
  // Inputs lie in [-1, 1): float32 rounding grows at most ~K ulps; float64 needs far less.
  const tol = (a.dtype === "float32" ? 4e-7 : 1e-15) * (K + 4);
  const g = got.data();
  let worst = 0;
  for (let i = 0; i < g.length; ++i) worst = Math.max(worst, Math.abs(g[i] - want.data[i]));
  expect(worst, `${label}: max error ${worst}`).toBeLessThanOrEqual(tol);
}

// The bytes of a tensor's values (a typed array's own range: data() may share a larger buffer).
const bits = (t: Tensor) => {
  const d = t.contiguous().data();
  return Buffer.from(d.buffer, d.byteOffset, d.byteLength);
};

const rand = (shape: number[], dtype: "float32" | "float64" = "float32") => tg.rand(shape, { dtype }).mul(2).sub(1);

describe.each(ISAS)("GEMM on the %s path", (isa) => {
  const before = tg.cpuIsa();
  afterAll(() => tg.setCpuIsa(before));
  // A path the CPU lacks falls back to a lower one; that test is skipped rather than passed.
  const use = (ctx: { skip: () => void }) => {
    if (tg.setCpuIsa(isa) !== isa) ctx.skip();
  };

  it("matches the reference for sizes 1..17, primes and tile edges up to 67", (ctx) => {
    use(ctx);
    tg.manualSeed(11);
    for (const s of SMALL) {
      expectProduct(rand([s, s]), rand([s, s]), `${s}x${s}x${s}`);
      // Unequal dims, so M, N and K each meet every edge case independently.
      const m = s, n = (s * 7) % 67 + 1, k = (s * 13) % 67 + 1;
      expectProduct(rand([m, k]), rand([k, n]), `${m}x${k}x${n}`);
    }
  });

  it("handles odd shapes around cache blocks (deep K, tall M, wide N)", (ctx) => {
    use(ctx);
    tg.manualSeed(12);
    for (const [m, k, n] of [[3, 511, 5], [7, 513, 33], [129, 1030, 17], [301, 70, 31], [15, 19, 1029], [2, 1, 4100]])
      expectProduct(rand([m, k]), rand([k, n]), `${m}x${k}x${n}`);
  });

  it("reads transposed views without copies, in every combination", (ctx) => {
    use(ctx);
    tg.manualSeed(13);
    for (const [m, k, n] of [[5, 7, 9], [33, 17, 65], [64, 129, 31]]) {
      const at = rand([k, m]), bt = rand([n, k]);
      expectProduct(at.t(), rand([k, n]), `Aᵀ ${m}x${k}x${n}`);
      expectProduct(rand([m, k]), bt.t(), `Bᵀ ${m}x${k}x${n}`);
      expectProduct(at.t(), bt.t(), `AᵀBᵀ ${m}x${k}x${n}`);
    }
  });

  it("reads strided views (narrow with a leading dimension, stepped slices)", (ctx) => {
    use(ctx);
    tg.manualSeed(14);
    const big = rand([40, 50]);
    const a = big.narrow(0, 3, 21).narrow(1, 5, 37);  // rows of 37 with stride 50
    expectProduct(a, rand([37, 19]), "narrowed A");
    expectProduct(rand([13, 21]), a, "narrowed B");
    expectProduct(big.slice(1, 0, 50, 2).narrow(0, 0, 9), rand([25, 6]), "stepped slice");
    expectProduct(rand([4, 9]), big.slice(0, 1, 40, 3).narrow(1, 4, 11).narrow(0, 0, 9), "row-stepped B");
  });

  it("multiplies batches and broadcasts batch dims", (ctx) => {
    use(ctx);
    tg.manualSeed(15);
    expectProduct(rand([3, 17, 9]), rand([3, 9, 33]), "batched");
    expectProduct(rand([4, 6, 65]), rand([65, 7]), "batch x matrix");
    expectProduct(rand([1, 5, 8]), rand([3, 8, 2]), "batch 1 broadcast");
    expectProduct(rand([2, 1, 7, 5]), rand([3, 5, 16]), "two broadcast batch dims");
    expectProduct(rand([3, 6, 4]).transpose(1, 2), rand([3, 6, 5]), "batched transposed A");
  });

  // Small products read their operands in place (no packing); large ones pack. Both must give the same bits,
  // so a block of rows of a large product equals the product of those rows alone, whichever path each takes.
  // In place, a block of up to 64 columns is one panel whose tile width and height follow n (47: three
  // vectors, the last masked, in 8-row tiles; 17: a one-lane second vector), and the rows left over run in
  // shorter tiles: each row block below starts or ends in a different tile.
  it("gives the same bits for a row block as for the whole (in-place and packed paths agree)", (ctx) => {
    use(ctx);
    tg.manualSeed(17);
    // One thread: with two, a tall product splits into row stripes small enough to run in place themselves.
    const threads = tg.getNumThreads();
    tg.setNumThreads(1);
    onTestFinished(() => tg.setNumThreads(threads));
    for (const dtype of ["float32", "float64"] as const) {
      for (const [m, k, n] of [[300, 600, 45], [260, 1100, 70], [64, 64, 64], [63, 129, 65], [61, 90, 47], [57, 33, 17]]) {
        const at = rand([k, m], dtype), b = rand([k, n], dtype), bt = rand([n, k], dtype);
        for (const [label, a, bb] of [["A·B", at.t().contiguous(), b], ["Aᵀ·B", at.t(), b], ["A·Bᵀ", at.t().contiguous(), bt.t()],
          ["Aᵀ·Bᵀ", at.t(), bt.t()]] as const) {
          const whole = a.matmul(bb);
          expectProduct(a, bb, `${dtype} ${label} ${m}x${k}x${n}`);
          for (const [r0, rows] of [[0, 12], [12, 1], [m - 5, 5], [m - 13, 13], [24, 30]]) {
            const part = a.narrow(0, r0, rows).matmul(bb);
            expect(bits(part).equals(bits(whole.narrow(0, r0, rows))), `${dtype} ${label} ${m}x${k}x${n} rows ${r0}+${rows}`).toBe(true);
          }
        }
      }
    }
  });

  // At 2 threads a large product shares one packed op(B) between threads and splits rows; at 1 it does not.
  it("gives the same bits at 1 and 2 threads across the in-place/packed switch", (ctx) => {
    use(ctx);
    tg.manualSeed(18);
    const threads = tg.getNumThreads();
    try {
      for (const [m, k, n] of [[400, 600, 40], [40, 600, 400], [500, 520, 500], [129, 64, 300]]) {
        const a = rand([m, k]), at = rand([k, m]), b = rand([k, n]), bt = rand([n, k]);
        const run = (t: number) => {
          tg.setNumThreads(t);
          return [a.matmul(b), a.matmul(bt.t()), at.t().matmul(b), at.t().matmul(bt.t())].map(bits);
        };
        const one = run(1), two = run(2);
        one.forEach((c, i) => expect(c.equals(two[i]), `${m}x${k}x${n} product ${i}`).toBe(true));
      }
    } finally {
      tg.setNumThreads(threads);
    }
  });

  it("computes float64 products on the same path", (ctx) => {
    use(ctx);
    tg.manualSeed(16);
    for (const [m, k, n] of [[1, 1, 1], [7, 13, 5], [33, 65, 17], [67, 9, 64]]) {
      expectProduct(rand([m, k], "float64"), rand([k, n], "float64"), `f64 ${m}x${k}x${n}`);
      expectProduct(rand([k, m], "float64").t(), rand([n, k], "float64").t(), `f64 AᵀBᵀ ${m}x${k}x${n}`);
    }
  });
});
