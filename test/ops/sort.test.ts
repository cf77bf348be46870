// sort, argsort, topk and cumsum: hand values, PyTorch 1.13's values, indices and gradients
// (test/ops/reference.ts), NaN/±inf/-0 order, int32, empty and 0-d inputs, argument errors.
import { describe, expect, it } from "vitest";
import * as tg from "../../lib/index.js";
import * as ref from "./reference.js";
import { expectCase, expectClose, f64, i32 } from "./util.js";

const X = [[1.0, 2.0, 4.0, -0.5], [3.0, -1.0, 0.5, 2.5], [0.25, 0.0, -3.0, 1.5]];
const X3 = [[[0.3, -1.2], [2.5, 0.7]], [[-0.4, 1.1], [0.9, -2.2]], [[1.7, 0.2], [-0.6, 0.8]]];
const S = [3.0, NaN, -1.0, 2.0, -Infinity, 2.0, Infinity, -0.0, 0.0];
const signs = (t: tg.Tensor) => Array.from(t.data(), (v) => Object.is(v, -0));

describe("sort and argsort", () => {
  it("hand values: ascending by default, [values, indices], along the last dim", () => {
    const [v, i] = tg.tensor([[3, 1, 2], [0, 5, 4]]).sort();
    expectClose(v, [[1, 2, 3], [0, 4, 5]]);
    expect(i.dtype).toBe("int32");
    expectClose(i, [[1, 2, 0], [0, 2, 1]]);
    expectClose(tg.tensor([3, 1, 2]).argsort({ descending: true }), [0, 2, 1]);
  });
  it("orders NaN last (first descending), ±inf, stable ties and -0 before 0 as PyTorch", () => {
    for (const [key, descending] of [["asc", false], ["desc", true]] as const) {
      const [v, i] = f64(S).sort({ descending, stable: true });
      expectClose(v, ref.sort[key].values);
      expectClose(i, ref.sort[key].indices);
      expect(signs(v)).toEqual(ref.sort[key].values.map((x: number) => Object.is(x, -0)));
      expectClose(f64(S).argsort({ descending }), ref.sort[key].indices);
    }
    // float32 and a large line (the thread pool splits lines, never one line)
    expectClose(tg.tensor(S).sort()[1], ref.sort.asc.indices);
    const big = tg.randn([3, 5000]);
    const [bv] = big.sort(1, { descending: true });
    const d = bv.narrow(1, 0, 4999).sub(bv.narrow(1, 1, 4999));
    expect(d.min().item()).toBeGreaterThanOrEqual(0);
  });
  it("matches PyTorch along dim 0 (gradient scattered back), on int32, and argsort descending", () => {
    expectCase(ref.sort.dim0, (t) => t.sort(0)[0], [X]);
    const [v, i] = i32([3, -7, 2, 2, 0]).sort({ stable: true });
    expect(v.dtype).toBe("int32");
    expectClose(v, ref.sort.int.values);
    expectClose(i, ref.sort.int.indices);
    expectClose(f64(X).argsort(0, { descending: true }), ref.sort["argsort,desc,dim0"]);
  });
  it("empty and 0-d tensors", () => {
    const [v, i] = tg.zeros([2, 0]).sort(1);
    expect(v.shape).toEqual([2, 0]);
    expect(i.shape).toEqual([2, 0]);
    const [s, si] = tg.tensor(5).sort();
    expect(s.item()).toBe(5);
    expect(si.item()).toBe(0);
  });
  it("errors name the op and the argument", () => {
    expect(() => tg.tensor([1, 2]).sort(1)).toThrow(/sort: dim 1 is out of range/);
    expect(() => tg.tensor([1, 2]).sort({ descending: 1 as never })).toThrow(/sort: descending must be a boolean/);
    expect(() => tg.tensor([1, 2]).argsort({ reverse: true } as never)).toThrow(/argsort: unknown option "reverse"/);
  });
});

describe("topk", () => {
  it("matches PyTorch: the k largest along the last dim, the k smallest along dim 0, values and gradients", () => {
    expectCase(ref.topk.k2, (t) => t.topk(2)[0], [X]);
    expectClose(f64(X).topk(2)[1], ref.topk["k2 indices"]);
    expectCase(ref.topk["k2,smallest,dim0"], (t) => t.topk(2, 0, { largest: false })[0], [X]);
    expectClose(f64(X).topk(2, { dim: 0, largest: false })[1], ref.topk["k2,smallest,dim0 indices"]);
  });
  it("NaN counts as the largest, as PyTorch; int32 and k = 0 work", () => {
    const x = f64([1, NaN, 3, -Infinity]);
    expectClose(x.topk(2)[0], ref.topk.nan.values);
    expectClose(x.topk(2)[1], ref.topk.nan.indices);
    expectClose(x.topk(2, { largest: false })[0], ref.topk["nan,smallest"].values);
    expectClose(x.topk(2, { largest: false })[1], ref.topk["nan,smallest"].indices);
    expectClose(i32([5, 1, 9]).topk(1)[0], [9]);
    expect(tg.tensor([1, 2]).topk(0)[0].shape).toEqual([0]);
  });
  it("a 0-d input gives its element for k 0 and 1 (PyTorch 1.13: topk(0) of tensor(5.) is (5., 0)), never unwritten memory", () => {
    for (const k of [0, 1]) {
      const [v, i] = tg.tensor(-7.5).topk(k);
      expect(v.shape).toEqual([]);
      expect([v.item(), i.item()], `k ${k}`).toEqual([-7.5, 0]);
    }
    expect(() => tg.tensor(5).topk(2)).toThrow(/topk: k must be an integer in \[0, 1\]/);
  });
  it("refuses k out of range, a fractional k, a bad dim", () => {
    expect(() => tg.tensor([1, 2]).topk(3)).toThrow(/topk: k must be an integer in \[0, 2\]/);
    expect(() => tg.tensor([1, 2]).topk(1.5)).toThrow(/topk: k must be an integer/);
    expect(() => tg.tensor([1, 2]).topk(1, 2)).toThrow(/topk: dim 2 is out of range/);
  });
});

describe("cumsum", () => {
  it("hand values and PyTorch's values and gradients (the reversed running sum) along dims 1 and 0", () => {
    expectClose(tg.tensor([1, 2, 3]).cumsum(0), [1, 3, 6]);
    expectCase(ref.cumsum.dim1, (t) => t.cumsum(1), [X]);
    expectCase(ref.cumsum.dim0, (t) => tg.cumsum(t, 0), [X3]);
    expectClose(f64([1, Infinity, -Infinity, 2, NaN, 3]).cumsum(0), ref.cumsum.edges.y);
  });
  it("int32 stays int32 and an overflowing running sum throws instead of wrapping", () => {
    const c = i32([2147483000, 600, -1000]).cumsum(0);
    expect(c.dtype).toBe("int32");
    expectClose(c, [2147483000, 2147483600, 2147482600]);
    expect(() => i32([2147483647, 1]).cumsum(0)).toThrow(/cumsum: the int32 running sum 2147483648 does not fit in int32/);
  });
  it("empty, 0-d and a strided input; a missing dim throws", () => {
    expect(tg.zeros([0, 3]).cumsum(0).shape).toEqual([0, 3]);
    expect(tg.tensor(4).cumsum(0).item()).toBe(4);
    expectClose(tg.tensor([[1, 2], [3, 4]]).t().cumsum(1), [[1, 4], [2, 6]]);
    expect(() => tg.tensor([1]).cumsum(undefined as never)).toThrow(/cumsum: dim must be a number/);
  });
});
