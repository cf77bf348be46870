// The fused Linear→ReLU backward computes g' (g where y > 0) and the bias gradient in one native pass
// (reluBiasBackward). It must equal the relu rule followed by a row sum bit for bit, for every value
// kind, both dtypes, any thread count and shapes that span several column blocks and threads.
import { afterEach, describe, expect, it } from "vitest";
import * as tg from "../../lib/index.js";
import { native, type Isa } from "../../lib/native.js";
import { sumKernel, unaryGradKernel } from "../../lib/ops/kernels.js";

const threads = tg.getNumThreads(), isa = tg.cpuIsa();
afterEach(() => {
  tg.setNumThreads(threads);
  tg.setCpuIsa(isa);
});

// y with zeros, -0, NaN, ±inf and negatives beside positives; g with NaN, ±inf and -0 too.
function operands(M: number, N: number, dtype: "float32" | "float64"): [tg.Tensor, tg.Tensor] {
  const special = [0, -0, NaN, Infinity, -Infinity, -1.5, 2.5];
  const y = tg.randn([M, N], { dtype }), g = tg.randn([M, N], { dtype });
  const ys = y.storage, gs = g.storage;
  for (let i = 0; i < ys.length; i += 7) ys[i] = special[(i / 7) % special.length];
  for (let i = 3; i < gs.length; i += 11) gs[i] = special[(i >> 2) % special.length];
  return [y, g];
}

function fused(y: tg.Tensor, g: tg.Tensor, withBias = true): [Float32Array | Float64Array, Float32Array | Float64Array | null] {
  const [M, N] = y.shape;
  const gp = tg.Tensor.empty([M, N], y.dtype), db = withBias ? tg.Tensor.empty([N], y.dtype) : null;
  native.reluBiasBackward(y.storage, g.storage, gp.storage, db && db.storage, M, N);
  return [gp.storage as Float32Array, db && (db.storage as Float32Array)];
}

function unfused(y: tg.Tensor, g: tg.Tensor): [Float32Array | Float64Array, Float32Array | Float64Array] {
  const gp = unaryGradKernel("relu", null, y, g);
  return [gp.storage as Float32Array, sumKernel(gp, [true, false]).storage as Float32Array];
}

describe("reluBiasBackward", () => {
  for (const dtype of ["float32", "float64"] as const)
    for (const [M, N] of [[4, 5], [128, 512], [37, 1300], [600, 300], [1, 1], [0, 7], [7, 0]])
      it(`equals relu backward then a row sum bit for bit: ${dtype} [${M}, ${N}], 1 and 2 threads, every ISA path`, () => {
        tg.manualSeed(M * 1000 + N);
        const [y, g] = operands(M, N, dtype);
        const [gpRef, dbRef] = unfused(y, g);
        // The SIMD paths work on blocks of 2 vectors of columns and finish the rest one column at a time.
        for (const path of native.isas as Isa[]) {
          if (tg.setCpuIsa(path) !== path) continue;
          for (const t of [1, 2]) {
            tg.setNumThreads(t);
            const [gp, db] = fused(y, g);
            expect(Object.is(gp.length, gpRef.length) && gp.every((v, i) => Object.is(v, gpRef[i]))).toBe(true);
            expect(Array.from(db!)).toEqual(Array.from(dbRef));
          }
        }
      });

  it("keeps +0 where y <= 0 and passes g where y is NaN (PyTorch's relu rule), hand values", () => {
    const y = tg.tensor([[1, 0, -0, -2, NaN, Infinity]]), g = tg.tensor([[3, 4, 5, -0, 7, -Infinity]]);
    const [gp, db] = fused(y, g);
    expect(Array.from(gp)).toEqual([3, 0, 0, 0, 7, -Infinity]);
    expect(Object.is(gp[2], 0)).toBe(true);
    expect(Array.from(db!)).toEqual([3, 0, 0, 0, 7, -Infinity]);
    const [gp2, none] = fused(y, g, false);
    expect(Array.from(gp2)).toEqual(Array.from(gp));
    expect(none).toBeNull();
  });

  it("rejects mismatched dtypes, short arrays and overlapping outputs with the op's name", () => {
    const f = (n: number) => new Float32Array(n);
    expect(() => native.reluBiasBackward(f(4), new Float64Array(4), f(4), null, 2, 2)).toThrow(/reluBiasBackward: dtypes differ/);
    expect(() => native.reluBiasBackward(f(4), f(3), f(4), null, 2, 2)).toThrow(/reluBiasBackward: gradient has 3 elements, needs 2x2/);
    expect(() => native.reluBiasBackward(f(4), f(4), f(4), f(1), 2, 2)).toThrow(/reluBiasBackward/);
    const shared = f(8);
    expect(() => native.reluBiasBackward(shared.subarray(0, 4), f(4), shared.subarray(2, 6), null, 2, 2)).toThrow(/overlaps an input/);
    expect(() => native.reluBiasBackward(new Int32Array(4), new Int32Array(4), new Int32Array(4), null, 2, 2)).toThrow(/int32/);
  });

  it("a wide fused layer's gradients equal the module-by-module ones (dx, dw, db)", () => {
    tg.manualSeed(21);
    const lin = new tg.nn.Linear(40, 700), relu = new tg.nn.ReLU();
    const x = tg.randn([33, 40], { requiresGrad: true }), w2 = tg.randn([700, 3]);
    const run = (fuse: boolean) => {
      for (const t of [x, lin.weight, lin.bias!]) t.grad = null;
      const h = fuse ? new tg.nn.Sequential(lin, relu).forward(x) : relu.forward(lin.forward(x));
      h.matmul(w2).sum().backward();
      return [x, lin.weight, lin.bias!].map((t) => t.grad!.toArray());
    };
    expect(run(true)).toEqual(run(false));
  });
});
