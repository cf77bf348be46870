// PyTorch's out= for matmul: the product written into a given tensor (no allocation), with
// PyTorch's checks (dtype, autograd) and tensorgrad's stricter ones (exact shape, no memory shared with
// an operand, where PyTorch 1.13 resizes or writes a wrong product). Values are compared bit for bit
// with the allocating call, which the PyTorch-reference tests check against PyTorch.
import { describe, expect, it } from "vitest";
import * as tg from "../../lib/index.js";
import type { Tensor } from "../../lib/index.js";

const bits = (t: Tensor) => Array.from(t.contiguous().data(), (v) => Object.is(v, -0) ? "-0" : String(v));

function expectInto(a: Tensor, b: Tensor, out: Tensor, label: string): void {
  const want = tg.matmul(a, b);
  const got = tg.matmul(a, b, { out });
  expect(got, `${label}: returns out itself`).toBe(out);
  expect(out.shape, label).toEqual(want.shape);
  expect(bits(out), label).toEqual(bits(want));
}

describe("matmul with {out}", () => {
  it("writes the product into out for every operand rank, as the allocating call computes it", () => {
    tg.manualSeed(1);
    const m = tg.randn([5, 7]), n = tg.randn([7, 3]), v = tg.randn([7]), w = tg.randn([5]);
    expectInto(m, n, tg.full([5, 3], 9), "2-D · 2-D");
    expectInto(v, tg.randn([7]), tg.full([], 9), "1-D · 1-D → 0-d");
    expectInto(v, n, tg.full([3], 9), "1-D · 2-D");
    expectInto(m, v, tg.full([5], 9), "2-D · 1-D");
    expectInto(w, tg.randn([2, 5, 3]), tg.full([2, 3], 9), "1-D · batched");
    expectInto(tg.randn([2, 1, 5, 7]), tg.randn([3, 7, 3]), tg.full([2, 3, 5, 3], 9), "broadcast batch dims");
    expectInto(tg.randn([7, 5]).t(), tg.randn([3, 7]).t(), tg.full([5, 3], 9), "transposed operands");
    expectInto(tg.randn([4, 0]), tg.randn([0, 3]), tg.full([4, 3], 9), "K = 0: zeros");
    expectInto(tg.randn([0, 2]), tg.randn([2, 3]), tg.full([0, 3], 9), "an empty product");
    for (const dtype of ["float32", "float64"] as const) {
      const a = tg.randn([65, 33], { dtype }), b = tg.randn([33, 70], { dtype });
      expectInto(a, b, tg.zeros([65, 70], { dtype }), `${dtype} 65x33x70`);
    }
  });

  it("writes strided outs: a column-major view, a stepped slice, rows of a wider tensor", () => {
    tg.manualSeed(2);
    const a = tg.randn([6, 4]), b = tg.randn([4, 5]);
    const colMajor = tg.zeros([5, 6]).t();
    expectInto(a, b, colMajor, "column-major out (the transposed product)");
    const wide = tg.full([6, 9], 7);
    expectInto(a, b, wide.narrow(1, 2, 5), "rows of a wider tensor");
    expect(Array.from(wide.narrow(1, 0, 2).data()).every((x) => x === 7), "columns outside out untouched").toBe(true);
    const stepped = tg.full([12, 10], 7);
    expectInto(a, b, stepped.slice(0, 0, 12, 2).slice(1, 0, 10, 2), "every other row and column");
    expect(stepped.select(0, 1).data().every((x) => x === 7), "rows between untouched").toBe(true);
  });

  it("takes an out in an operand's storage when their elements are disjoint", () => {
    tg.manualSeed(3);
    const big = tg.randn([2, 4, 4]);
    const a = big.select(0, 0), b = tg.randn([4, 4]);
    const want = tg.matmul(a, b);
    tg.matmul(a, b, { out: big.select(0, 1) });
    expect(bits(big.select(0, 1))).toEqual(bits(want));
    expect(bits(big.select(0, 0))).toEqual(bits(a));
  });

  it("is the same through the method", () => {
    tg.manualSeed(4);
    const a = tg.randn([3, 4]), b = tg.randn([4, 2]), out = tg.zeros([3, 2]);
    expect(a.matmul(b, { out })).toBe(out);
    expect(bits(out)).toEqual(bits(a.matmul(b)));
  });

  it("bumps out's version: a graph that saved out refuses to run backward after the write", () => {
    const w = tg.randn([2, 2], { requiresGrad: true });
    const out = tg.ones([2, 2]);
    const loss = w.mul(out).sum();  // saves out for w's gradient
    tg.noGrad(() => tg.matmul(tg.randn([2, 3]), tg.randn([3, 2]), { out }));
    expect(() => loss.backward()).toThrow(/modified|in-place|inplace|version/i);
  });

  it("refuses what PyTorch refuses: another dtype, autograd through out", () => {
    const a = tg.randn([3, 4]), b = tg.randn([4, 2]);
    expect(() => tg.matmul(a, b, { out: tg.zeros([3, 2], { dtype: "float64" }) })).toThrow(/matmul: expected out to have dtype float32, but got float64; pass an out of dtype float32/);
    expect(() => tg.matmul(a, b, { out: tg.zeros([3, 2], { dtype: "int32" }) })).toThrow(TypeError);
    const ag = tg.randn([3, 4], { requiresGrad: true });
    expect(() => tg.matmul(ag, b, { out: tg.zeros([3, 2]) })).toThrow(/matmul: functions with out= don't support automatic differentiation.*tg\.noGrad/);
    const og = tg.zeros([3, 2], { requiresGrad: true });
    expect(() => a.matmul(b, { out: og })).toThrow(/matmul: functions with out= don't support automatic differentiation/);
    // Under noGrad, as PyTorch, both are fine.
    tg.noGrad(() => {
      expect(bits(tg.matmul(ag, b, { out: tg.zeros([3, 2]) }))).toEqual(bits(ag.detach().matmul(b)));
      expect(tg.matmul(a, b, { out: og })).toBe(og);
    });
  });

  it("refuses where PyTorch resizes or silently writes a wrong product: another shape, shared memory, expanded out", () => {
    const a = tg.randn([3, 3]), b = tg.randn([3, 3]);
    expect(() => tg.matmul(a, b, { out: tg.zeros([2, 2]) })).toThrow(/matmul: out has shape \[2, 2\] but the product has shape \[3, 3\]/);
    expect(() => tg.matmul(a, b, { out: tg.zeros([0]) })).toThrow(/out has shape \[0\]/);
    expect(() => tg.matmul(a, b, { out: a })).toThrow(/matmul: out \(shape \[3, 3\]\) shares memory with an input/);
    expect(() => tg.matmul(a, b, { out: b.t() })).toThrow(/shares memory with an input/);
    const big = tg.randn([6, 3]);
    expect(() => tg.matmul(big.narrow(0, 0, 3), b, { out: big.narrow(0, 2, 3) })).toThrow(/shares memory/);
    expect(() => tg.matmul(a, b, { out: tg.zeros([1, 3]).expand([3, 3]) })).toThrow(/^matmul: out \(shape \[3, 3\], strides \[0, 1\]\) is an expanded view.*; pass an out with memory for every element/);
    const gone = tg.zeros([3, 3]);
    gone.dispose();
    expect(() => tg.matmul(a, b, { out: gone })).toThrow(/matmul: out .* was disposed/);
    expect(() => tg.matmul(a, b, { out: [1, 2] as unknown as Tensor })).toThrow(/matmul: out must be a Tensor, got an array/);
    expect(() => tg.matmul(a, b, { outt: tg.zeros([3, 3]) } as never)).toThrow(/unknown option "outt"; did you mean "out"/);
  });
});

describe("mm with {out}", () => {
  it("writes the 2-D product into out, bit for bit the allocating call, through the function and the method", () => {
    const a = tg.randn([5, 7]), b = tg.randn([7, 3]);
    const want = tg.mm(a, b), out = tg.zeros([5, 3]);
    expect(tg.mm(a, b, { out })).toBe(out);
    expect(bits(out)).toEqual(bits(want));
    const out2 = tg.zeros([5, 3]);
    expect(a.mm(b, { out: out2 })).toBe(out2);
    expect(bits(out2)).toEqual(bits(want));
  });

  it("names mm in its refusals: a misspelt option, another shape, mixed dtypes, a non-2-D operand", () => {
    const a = tg.randn([2, 3]), b = tg.randn([3, 4]);
    expect(() => tg.mm(a, b, { outt: tg.zeros([2, 4]) } as never)).toThrow(/mm: unknown option "outt"; did you mean "out"/);
    expect(() => tg.mm(a, b, { out: tg.zeros([4, 2]) })).toThrow(/^mm: out has shape \[4, 2\] but the product has shape \[2, 4\]/);
    expect(() => tg.mm(a, b.double(), { out: tg.zeros([2, 4]) })).toThrow(/^mm: expected two float tensors of the same dtype, got float32 and float64/);
    expect(() => tg.mm(a, tg.randn([3]), { out: tg.zeros([2]) })).toThrow(/^mm: both operands must be 2-D/);
  });
});
