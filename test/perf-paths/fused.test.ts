// fused.linear: forward against hand values and the unfused ops, backward by gradCheck (with and without
// bias and ReLU), on every kernel path this CPU has.
import { afterAll, describe, expect, it } from "vitest";
import * as tg from "../../lib/index.js";
import { native, type Isa } from "../../lib/native.js";
import { linear } from "../../lib/ops/fused.js";

const initial = tg.cpuIsa();
afterAll(() => {
  tg.setCpuIsa(initial);
});

describe("fused linear: forward", () => {
  it("x·wᵀ + b on hand values, then ReLU", () => {
    const x = tg.tensor([[1, 2], [3, -4]]);
    const w = tg.tensor([[1, 0], [0.5, 1], [-1, -1]]);
    const b = tg.tensor([0.5, -1, 2]);
    // rows: [1, 2]·wᵀ = [1, 2.5, -3], [3, -4]·wᵀ = [3, -2.5, 1]
    expect(linear(x, w, b).toArray()).toEqual([[1.5, 1.5, -1], [3.5, -3.5, 3]]);
    expect(linear(x, w).toArray()).toEqual([[1, 2.5, -3], [3, -2.5, 1]]);
    expect(linear(x, w, b, { relu: true }).toArray()).toEqual([[1.5, 1.5, 0], [3.5, 0, 3]]);
  });

  // The GEMM's epilogue adds the bias and applies ReLU to each block once its sums are final, so the fused
  // layer equals the three ops bit for bit, special values included (NaN, ±inf, -0 in the bias; ReLU keeps
  // -0 and NaN). The cases reach every GEMM path that runs an epilogue: a direct one ([5, 3, 300] is tiny,
  // K = 0 sums nothing), operands read in place, packed blocks ([700, 96, 300]), at 1 and 2 threads.
  it.each(native.isas as Isa[])("equals matmul, then add, then relu bit for bit on the %s path", (isa, ctx) => {
    if (tg.setCpuIsa(isa) !== isa) ctx.skip();
    tg.manualSeed(21);
    const cases = [[37, 70, 29], [128, 512, 40], [5, 3, 300], [16, 20, 784], [700, 96, 300], [2, 3, 1], [4, 6, 0]];
    const threads = tg.getNumThreads();
    for (const t of [1, 2]) for (const dtype of ["float32", "float64"] as const) for (const [M, N, K] of cases) {
      tg.setNumThreads(t);
      const x = tg.randn([M, K], { dtype }), w = tg.randn([N, K], { dtype });
      const b = tg.randn([N], { dtype }).mul(100);  // a bias as large as the sums: rounding order shows
      const bs = b.storage;
      [NaN, Infinity, -Infinity, -0].forEach((v, i) => i < N && (bs[i * 2] = v));
      const product = tg.matmul(x, w.t());
      for (const [bias, relu] of [[b, true], [b, false], [undefined, true]] as const) {
        const sum = bias ? tg.add(product, bias) : product;
        const want = (relu ? tg.relu(sum) : sum).data();
        const got = linear(x, w, bias, { relu }).data();
        expect(got.every((v, i) => Object.is(v, want[i]))).toBe(true);
      }
    }
    tg.setNumThreads(threads);
  });

  it("takes strided views (transposed weight, offset input)", () => {
    tg.manualSeed(22);
    const x = tg.randn([5, 4]).narrow(0, 1, 3), w = tg.randn([4, 6]).t();
    expect(linear(x, w).data()).toEqual(tg.matmul(x, w.t()).data());
  });

  it("rejects bad shapes and dtypes", () => {
    const x = tg.randn([2, 3]), w = tg.randn([4, 3]);
    expect(() => linear(x, tg.randn([4, 2]))).toThrow(/linear: expected x \[M, K\], weight \[N, K\]/);
    expect(() => linear(x, w, tg.randn([3]))).toThrow(/bias \[N\]/);
    expect(() => linear(x, w.double())).toThrow(TypeError);
  });
});

describe("fused linear: gradCheck", () => {
  tg.manualSeed(23);
  const x = tg.randn([3, 4]), w = tg.randn([5, 4]), b = tg.randn([5]);
  it("with bias", () => {
    expect(tg.gradCheck((a, c, d) => linear(a, c, d), [x, w, b])).toBe(true);
  });
  it("without bias", () => {
    expect(tg.gradCheck((a, c) => linear(a, c), [x, w])).toBe(true);
  });
  it("with bias and ReLU (no pre-activation near 0)", () => {
    // Keep pre-activations away from the kink, where finite differences are meaningless.
    const xs = tg.tensor([[1, -2, 0.5, 3], [-1, 0.25, 2, -0.5], [0.75, 1.5, -1, 1]]);
    const ws = tg.tensor([[0.5, -1, 1, 0.25], [-0.5, 0.5, -1, 1], [1, 1, 0.5, -0.5], [0.2, -0.3, 0.4, 0.5], [-1, 0.1, 0.2, 0.3]]);
    const bs = tg.tensor([0.1, -0.2, 0.3, -0.4, 0.6]);
    const pre = tg.add(tg.matmul(xs, ws.t()), bs).data();
    for (const v of pre) expect(Math.abs(v)).toBeGreaterThan(0.05);
    expect(pre.some((v) => v < 0) && pre.some((v) => v > 0)).toBe(true);
    expect(tg.gradCheck((a, c, d) => linear(a, c, d, { relu: true }), [xs, ws, bs])).toBe(true);
  });
});

// The weight gradient reads g transposed in place (matmulKernel's transA): check the layouts where
// its leading dimension degenerates (one row, one output) and a strided input.
describe("fused linear: gradCheck on edge layouts", () => {
  tg.manualSeed(29);
  const cases: [string, tg.Tensor, tg.Tensor][] = [
    ["one row", tg.randn([1, 4]), tg.randn([5, 4])],
    ["one output", tg.randn([3, 4]), tg.randn([1, 4])],
    ["one row and one output", tg.randn([1, 4]), tg.randn([1, 4])],
    ["a transposed input", tg.randn([4, 3]).t(), tg.randn([5, 4])],
  ];
  for (const [what, x, w] of cases)
    it(what, () => {
      const b = tg.randn([w.shape[0]]);
      expect(tg.gradCheck((a, c, d) => linear(a, c, d), [x, w, b])).toBe(true);
      expect(tg.gradCheck((a, c, d) => tg.nn.functional.linear(a, c, d), [x, w, b])).toBe(true);
    });
});
