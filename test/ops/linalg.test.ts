import { describe, expect, it } from "vitest";
import * as tg from "../../lib/index.js";
import { expectClose, f64, vals } from "./util.js";

// Reference product in plain JS over nested arrays.
function mm(a: number[][], b: number[][]): number[][] {
  return a.map((row) => b[0].map((_, j) => row.reduce((s, v, k) => s + v * b[k][j], 0)));
}

describe("matmul forward", () => {
  const A = [[1, 2, 3], [4, 5, 6]], B = [[7, 8], [9, 10], [11, 12]];
  it("2-D", () => {
    expectClose(tg.matmul(tg.tensor(A), tg.tensor(B)), [[58, 64], [139, 154]]);
    expectClose(tg.tensor(A).matmul(tg.tensor(B)), mm(A, B));
  });
  it("1-D cases: vector·vector, matrix·vector, vector·matrix", () => {
    expectClose(tg.matmul(tg.tensor([1, 2, 3]), tg.tensor([4, 5, 6])), 32);
    expectClose(tg.matmul(tg.tensor(A), tg.tensor([1, 0, -1])), [-2, -2]);
    expectClose(tg.matmul(tg.tensor([1, -1]), tg.tensor(A)), [-3, -3, -3]);
    expectClose(tg.matmul(tg.tensor([1, -1]), tg.stack([tg.tensor(A), tg.tensor(A).mul(2)])), [[-3, -3, -3], [-6, -6, -6]]);
  });
  it("transposed views as inputs: a.t().matmul(b), a.matmul(b.t()), both", () => {
    const a = tg.tensor(B), b = tg.tensor(B);
    expectClose(a.t().matmul(b), mm([[7, 9, 11], [8, 10, 12]], B));
    expectClose(tg.tensor(A).matmul(tg.tensor(A).t()), [[14, 32], [32, 77]]);
    expectClose(tg.tensor(A).t().matmul(tg.tensor(B).t()), mm([[1, 4], [2, 5], [3, 6]], [[7, 9, 11], [8, 10, 12]]));
    // a sliced (offset, strided) view
    const big = tg.arange(20).float().reshape(4, 5);
    expectClose(big.slice(1, 1, 4).matmul(tg.ones([3, 1])), [[6], [21], [36], [51]]);
  });
  it("batched 3-D and broadcast batch", () => {
    const a = tg.arange(12).float().reshape(2, 2, 3), b = tg.arange(6).float().reshape(3, 2);
    const want0 = mm([[0, 1, 2], [3, 4, 5]], [[0, 1], [2, 3], [4, 5]]);
    const want1 = mm([[6, 7, 8], [9, 10, 11]], [[0, 1], [2, 3], [4, 5]]);
    expectClose(a.matmul(b), [want0, want1]);
    expectClose(a.matmul(b.unsqueeze(0).expand(2, 3, 2)), [want0, want1]);
    const c = tg.ones([3, 1, 2, 4]), d = tg.ones([2, 4, 5]);
    const r = c.matmul(d);
    expect(r.shape).toEqual([3, 2, 2, 5]);
    expectClose(r.sum(), 3 * 2 * 2 * 5 * 4);
    expect(tg.ones([2, 3]).matmul(tg.ones([4, 3, 2])).shape).toEqual([4, 2, 2]);
  });
  it("larger sizes agree with a naive product (float64 and float32)", () => {
    const a = vals([37, 29]), b = vals([29, 41], 2);
    const want = mm(a.toArray() as number[][], b.toArray() as number[][]);
    expectClose(a.matmul(b), want, 1e-12);
    expectClose(a.float().matmul(b.float()), want, 1e-5);
  });
  it("float64 dtype is kept", () => {
    expect(f64([[1]]).matmul(f64([[2]])).dtype).toBe("float64");
  });
});

describe("matmul gradients", () => {
  it("hand-computed: dA = g·Bᵀ, dB = Aᵀ·g", () => {
    const a = f64([[1, 2], [3, 4]], true), b = f64([[5, 6], [7, 8]], true);
    a.matmul(b).sum().backward();
    expectClose(a.grad!, [[11, 15], [11, 15]]);
    expectClose(b.grad!, [[4, 4], [6, 6]]);
  });
  it("gradCheck over 2-D, 1-D, batched, broadcast batch and transposed inputs", () => {
    const mmf = (p: tg.Tensor, q: tg.Tensor) => p.matmul(q);
    expect(tg.gradCheck(mmf, [vals([3, 4]), vals([4, 2], 2)])).toBe(true);
    expect(tg.gradCheck(mmf, [vals([4]), vals([4], 2)])).toBe(true);
    expect(tg.gradCheck(mmf, [vals([3, 4]), vals([4], 2)])).toBe(true);
    expect(tg.gradCheck(mmf, [vals([4]), vals([4, 2], 2)])).toBe(true);
    expect(tg.gradCheck(mmf, [vals([2, 3, 4]), vals([2, 4, 2], 2)])).toBe(true);
    expect(tg.gradCheck(mmf, [vals([2, 3, 4]), vals([4, 2], 2)])).toBe(true);
    expect(tg.gradCheck(mmf, [vals([3, 4]), vals([2, 4, 5], 2)])).toBe(true);
    expect(tg.gradCheck(mmf, [vals([2, 1, 3, 4]), vals([3, 4, 2], 2)])).toBe(true);
    expect(tg.gradCheck((p, q) => p.t().matmul(q), [vals([4, 3]), vals([4, 2], 2)])).toBe(true);
    expect(tg.gradCheck((p, q) => p.matmul(q.t()), [vals([3, 4]), vals([2, 4], 2)])).toBe(true);
    expect(tg.gradCheck((p, q) => p.transpose(1, 2).matmul(q.transpose(1, 2)), [vals([2, 4, 3]), vals([2, 5, 4], 2)])).toBe(true);
  });
  it("only the inputs that require grad get one", () => {
    const a = tg.tensor([[1, 2]], { requiresGrad: true }), b = tg.tensor([[3], [4]]);
    a.matmul(b).sum().backward();
    expectClose(a.grad!, [[3, 4]]);
    expect(b.grad).toBeNull();
  });
});
