import { describe, expect, it } from "vitest";
import * as tg from "../../lib/index.js";
import { expectClose, f64, i32, vals } from "./util.js";
import * as ref from "./reference.js";

const m = () => tg.tensor([[1, 2, 3], [4, 5, 6]]);

describe("sum and mean", () => {
  it("over all elements", () => {
    expectClose(m().sum(), 21);
    expectClose(m().mean(), 3.5);
    expect(m().sum().shape).toEqual([]);
  });
  it("over one dim, negative dims, keepdim", () => {
    expectClose(m().sum(0), [5, 7, 9]);
    expectClose(m().sum(1), [6, 15]);
    expectClose(m().sum(-1), [6, 15]);
    expectClose(m().sum(1, true), [[6], [15]]);
    expectClose(m().mean(0), [2.5, 3.5, 4.5]);
    expectClose(m().mean(1, true), [[2], [5]]);
  });
  it("over several dims", () => {
    const x = tg.arange(24).float().reshape(2, 3, 4);
    expectClose(x.sum([0, 2]), [60, 92, 124]);
    expectClose(x.sum([0, 2], true), [[[60], [92], [124]]]);
    expectClose(x.mean([-1, 0]), [7.5, 11.5, 15.5]);
    expectClose(x.sum([0, 1, 2]), 276);
  });
  it("over a transposed view and an empty dim", () => {
    expectClose(m().t().sum(1), [5, 7, 9]);
    expectClose(m().t().sum(0), [6, 15]);
    expectClose(tg.zeros([0, 3]).sum(0), [0, 0, 0]);
  });
  it("int32 sum stays int32; int32 mean is refused as in PyTorch", () => {
    const s = i32([[1, 2], [3, 4]]).sum(0);
    expect(s.dtype).toBe("int32");
    expect(s.toArray()).toEqual([4, 6]);
    expect(() => i32([1, 2]).mean()).toThrow(/mean: input dtype must be float32 or float64/);
  });
  it("float32 sums accumulate in double", () => {
    const x = tg.full([1_000_000], 0.1);
    // Float32 accumulation drifts (to 99910 with 8 lanes); double then rounding gives exactly 100000.
    expect(x.sum().item()).toBe(100000);
  });
  it("gradients", () => {
    const x = vals([2, 3, 4]);
    expect(tg.gradCheck((t) => t.sum(), [x])).toBe(true);
    expect(tg.gradCheck((t) => t.sum(1), [x])).toBe(true);
    expect(tg.gradCheck((t) => t.sum([0, 2], true), [x])).toBe(true);
    expect(tg.gradCheck((t) => t.mean(), [x])).toBe(true);
    expect(tg.gradCheck((t) => t.mean(-1), [x])).toBe(true);
    expect(tg.gradCheck((t) => t.mean([0, 1], true), [x])).toBe(true);
    const y = f64([[1, 2], [3, 4]], true);
    y.mean(0).sum().backward();
    expectClose(y.grad!, [[0.5, 0.5], [0.5, 0.5]]);
  });
});

describe("max / min / argmax / argmin", () => {
  const x = () => tg.tensor([[1, 9, 3], [7, -2, 8]]);
  it("full reductions", () => {
    expectClose(x().max(), 9);
    expectClose(x().min(), -2);
    expect(x().argmax().toArray()).toBe(1);
    expect(x().argmin().toArray()).toBe(4);
    expect(x().argmax().dtype).toBe("int32");
  });
  it("along a dim, with keepdim and negative dims", () => {
    expectClose(x().max(1).values, [9, 8]);
    expectClose(x().min(0).values, [1, -2, 3]);
    expectClose(x().max(-1, true).values, [[9], [8]]);
    expect(x().argmax(1).toArray()).toEqual([1, 2]);
    expect(x().argmin(0).toArray()).toEqual([0, 1, 0]);
    expect(x().argmax(0, true).toArray()).toEqual([[1, 0, 1]]);
    expectClose(x().t().max(0).values, [9, 8]);
  });
  it("int32 and float64 keep their dtype", () => {
    expect(i32([3, 1, 2]).max().dtype).toBe("int32");
    expect(i32([3, 1, 2]).max().item()).toBe(3);
    expect(f64([1e-300, 2e-300]).max().item()).toBe(2e-300);
  });
  it("argmax picks the first of tied maxima, as PyTorch", () => {
    expect(tg.tensor([[1, 5, 5], [7, 2, 7]]).argmax(1).toArray()).toEqual([1, 0]);
    expect(tg.tensor([3, 1, 3]).argmax().item()).toBe(0);
  });
  it("gradients without ties", () => {
    const v = vals([3, 4]);
    expect(tg.gradCheck((t) => t.max(), [v])).toBe(true);
    expect(tg.gradCheck((t) => t.min(), [v])).toBe(true);
    expect(tg.gradCheck((t) => t.max(0).values, [v])).toBe(true);
    expect(tg.gradCheck((t) => t.max(1, true)[0], [v])).toBe(true);
    expect(tg.gradCheck((t) => t.min(-1).values, [v])).toBe(true);
    expect(tg.gradCheck((t) => t.min(0, { keepdim: true }).values, [vals([2, 3, 2])])).toBe(true);
    expect(tg.gradCheck((a, b) => tg.max(a, b), [v, vals([4], 2)])).toBe(true);
  });
  it("max(dim) routes the gradient to the arg-max", () => {
    const t = f64([[1, 9, 3], [7, -2, 8]], true);
    t.max(1).values.mul(f64([10, 20])).sum().backward();
    expectClose(t.grad!, [[0, 10, 0], [0, 0, 20]]);
  });
});

// PyTorch 1.13 semantics for gradients at ties:
//   torch.maximum/minimum: each of two equal inputs gets g/2
//   x.max() (all elements): g is shared evenly among the tied maxima
//   x.max(dim): g goes only to the index returned (the first maximum)
describe("gradient at ties (PyTorch semantics)", () => {
  it("maximum/minimum split the gradient evenly between equal inputs", () => {
    const a = f64([1, 2, 3], true), b = f64([1, 5, 3], true);
    tg.maximum(a, b).sum().backward();
    expectClose(a.grad!, [0.5, 0, 0.5]);
    expectClose(b.grad!, [0.5, 1, 0.5]);
    const c = f64([2, 2], true), d = f64([2, 0], true);
    tg.minimum(c, d).mul(f64([4, 6])).sum().backward();
    expectClose(c.grad!, [2, 0]);
    expectClose(d.grad!, [2, 6]);
  });
  it("maximum with a scalar at a tie gives the tensor half the gradient", () => {
    const a = f64([0, 1], true);
    a.maximum(0).sum().backward();
    expectClose(a.grad!, [0.5, 1]);
  });
  it("full max() shares the gradient among all tied maxima", () => {
    const t = f64([[3, 1, 3], [0, 3, 2]], true);
    t.max().mul(6).backward();
    expectClose(t.grad!, [[2, 0, 2], [0, 2, 0]]);
    const u = f64([-1, -1, 4], true);
    u.min().backward();
    expectClose(u.grad!, [0.5, 0.5, 0]);
  });
  it("max(dim) sends the gradient to the returned index only", () => {
    const t = f64([[3, 1, 3], [5, 5, 5]], true);
    const [values, idx] = t.max(1);
    expect(idx.toArray()).toEqual([0, 0]);
    values.sum().backward();
    expectClose(t.grad!, [[1, 0, 0], [1, 0, 0]]);
    const u = f64([[2, 2], [1, 1]], true);
    u.min(0).values.sum().backward();
    expectClose(u.grad!, [[0, 0], [1, 1]]);
  });
});

describe("max/min with a dim return PyTorch's (values, indices) named tuple", () => {
  const X = [[1, 2, 4, -0.5], [3, -1, 0.5, 2.5], [0.25, 0, -3, 1.5]];
  const X3 = [[[0.3, -1.2], [2.5, 0.7]], [[-0.4, 1.1], [0.9, -2.2]], [[1.7, 0.2], [-0.6, 0.8]]];
  const TIES = [[1, 5, 5, -2], [7, 2, 7, 7], [-1, -1, -3, -1]];
  const cases: [keyof typeof ref.extremePairs, unknown, (t: tg.Tensor) => tg.ValuesIndices][] = [
    ["max(1)", X, (t) => t.max(1)],
    ["min(0,keepdim)", X, (t) => tg.min(t, 0, { keepdim: true })],
    ["max(-1) 3-d", X3, (t) => t.max(-1)],
    ["min(1) 3-d,keepdim", X3, (t) => t.min(1, true)],
    ["max(1) ties", TIES, (t) => t.max(1)],
    ["min(0) ties", TIES, (t) => tg.min(t, 0)],
    ["max(0) 0-d", 2.5, (t) => t.max(0)],
  ];
  it.each(cases)("%s: values, int32 indices, shapes and the gradient match PyTorch", (key, data, f) => {
    const want = ref.extremePairs[key];
    const x = f64(data as number[], true);
    const r = f(x);
    const [values, indices] = r;
    expect(r.values).toBe(values);
    expect(r.indices).toBe(indices);
    expect(r[0]).toBe(values);
    expect(r[1]).toBe(indices);
    expect(r.length).toBe(2);
    expect(Array.isArray(r)).toBe(true);
    expect(values.shape).toEqual(want.shape);
    expect(indices.shape).toEqual(want.shape);
    expect(indices.dtype).toBe("int32");
    expect(values.dtype).toBe("float64");
    expectClose(values, want.values as number[]);
    expect(indices.toArray()).toEqual(want.indices);
    // PyTorch's generator weights the values 1, 2, 3, … so a gradient sent to the wrong index shows.
    const w = tg.arange(1, values.numel() + 1).to("float64").reshape(values.shape);
    values.mul(w).sum().backward();
    expectClose(x.grad!, want.grad as number[]);
  });
  it("int32 input: int32 values and indices, as PyTorch", () => {
    const [v, i] = i32([[3, -7, 2], [3, 9, -2]]).max(0);
    expect(v.dtype).toBe("int32");
    expect(v.toArray()).toEqual(ref.extremePairs["max(0) int"].values);
    expect(i.toArray()).toEqual(ref.extremePairs["max(0) int"].indices);
  });
  it.each(["max", "min"] as const)("tg.%s(a, b) and a.%s(b) are the elementwise maximum/minimum, with PyTorch's gradient", (op) => {
    const a = f64([[1, -2, 3], [0.5, 4, -1]], true), b = f64([[2, -3, 3]], true);
    const y = tg[op](a, b);
    expectClose(y, ref.extremeBinary[op].y as number[][]);
    expectClose(a[op](b), ref.extremeBinary[op].y as number[][]);
    y.mul(tg.arange(1, 7).to("float64").reshape(2, 3)).sum().backward();
    expectClose(a.grad!, ref.extremeBinary[op].grads[0] as number[][]);
    expectClose(b.grad!, ref.extremeBinary[op].grads[1] as number[][]);
  });
  it("without a dim it is one tensor; array methods give plain arrays; it prints as PyTorch's named tuple", () => {
    const x = tg.tensor([[1, 9, 3], [7, -2, 8]]);
    expect(x.max()).toBeInstanceOf(tg.Tensor);
    const r = x.max(1);
    expect(r.map((t) => t.shape)).toEqual([[2], [2]]);
    expect(r.slice(1)).toEqual([r.indices]);
    expect(String(r)).toBe("torch.return_types.max(\nvalues=tensor([9., 8.]),\nindices=tensor([1, 2], dtype=int32))");
    expect(String(x.sort()).startsWith("torch.return_types.sort(\nvalues=")).toBe(true);
  });
  it("using the pair as a tensor (code written for a values-only max(dim)) throws saying what to do", () => {
    const r = tg.tensor([[1, 9, 3], [7, -2, 8]]).max(1) as unknown as tg.Tensor;
    expect(() => r.sum()).toThrow(/^max\(\.\.\.\)\.sum: max returns PyTorch's \(values, indices\) pair, not a tensor; use \.values\.sum/);
    expect(() => r.shape).toThrow(/use \.values\.shape or \.indices\.shape/);
    expect(() => (tg.tensor([2, 1]).sort() as unknown as tg.Tensor).toArray()).toThrow(/^sort\(\.\.\.\)\.toArray: sort returns/);
    expect(JSON.stringify(tg.tensor([[1, 2]]).max(1))).toBe(JSON.stringify([tg.tensor([2]), tg.tensor([1], { dtype: "int32" })]));
  });
  it("sort and topk return the same pair", () => {
    const x = tg.tensor([3, 1, 2]);
    for (const r of [x.sort(), x.topk(2)]) {
      const [v, i] = r;
      expect(r.values).toBe(v);
      expect(r.indices).toBe(i);
      expect(i.dtype).toBe("int32");
    }
    expect(x.topk(2).values.toArray()).toEqual([3, 2]);
    expect(x.sort({ descending: true }).indices.toArray()).toEqual([0, 2, 1]);
  });
  it("bad arguments still name the op", () => {
    expect(() => tg.ones([2]).max(1)).toThrow(/max: dim 1 is out of range/);
    expect(() => tg.zeros([2, 0]).min(1)).toThrow(/min: cannot reduce over an empty dim 1/);
    expect(() => tg.ones([2]).max(0, { keepDim: true } as never)).toThrow(/keepDim/);
  });
});
