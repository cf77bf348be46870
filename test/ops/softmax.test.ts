import { describe, expect, it } from "vitest";
import * as tg from "../../lib/index.js";
import { expectClose, f64, vals } from "./util.js";

const sm = (row: number[]) => {
  const m = Math.max(...row), e = row.map((v) => Math.exp(v - m)), s = e.reduce((p, q) => p + q, 0);
  return e.map((v) => v / s);
};

describe("softmax / logSoftmax forward", () => {
  const x = [[1, 2, 3], [-1, 0, 4]];
  it("dim -1 and 1 (rows)", () => {
    const want = x.map(sm);
    expectClose(f64(x).softmax(-1), want, 1e-12);
    expectClose(f64(x).softmax(1), want, 1e-12);
    expectClose(f64(x).logSoftmax(1), want.map((r) => r.map(Math.log)), 1e-12);
    expectClose(tg.softmax(tg.tensor(x), 1), want);
  });
  it("dim 0 (columns)", () => {
    const cols = [0, 1, 2].map((j) => sm([x[0][j], x[1][j]]));
    expectClose(f64(x).softmax(0), [cols.map((c) => c[0]), cols.map((c) => c[1])], 1e-12);
    expectClose(tg.logSoftmax(f64(x), 0), [cols.map((c) => Math.log(c[0])), cols.map((c) => Math.log(c[1]))], 1e-12);
  });
  it("a middle dim of a 3-D tensor and a transposed input", () => {
    const t = vals([2, 3, 4]);
    const s = t.softmax(1);
    const a = t.toArray() as number[][][];
    const want = a.map((m) => {
      const cols = [0, 1, 2, 3].map((k) => sm(m.map((row) => row[k])));
      return [0, 1, 2].map((j) => cols.map((c) => c[j]));
    });
    expectClose(s, want, 1e-6);
    expectClose(f64(x).t().softmax(1), [0, 1, 2].map((j) => sm([x[0][j], x[1][j]])), 1e-12);
  });
  it("is numerically stable at logits of ±500", () => {
    const big = tg.tensor([[500, 0, -500], [500, 500, -500], [-500, -500, -500]]);
    expectClose(big.softmax(1), [[1, 0, 0], [0.5, 0.5, 0], [1 / 3, 1 / 3, 1 / 3]]);
    expectClose(big.logSoftmax(1), [[0, -500, -1000], [-Math.LN2, -Math.LN2, -1000 - Math.LN2], [-Math.log(3), -Math.log(3), -Math.log(3)]], 1e-5);
    for (const v of big.softmax(0).data()) expect(Number.isFinite(v)).toBe(true);
    const g = tg.tensor([[500, -500]], { requiresGrad: true });
    g.logSoftmax(1).select(1, 1).sum().backward();
    expectClose(g.grad!, [[-1, 1]]);
  });
});

describe("softmax / logSoftmax gradients", () => {
  const x = vals([3, 4]);
  it.each([0, 1, -1])("dim %d", (d) => {
    expect(tg.gradCheck((t) => t.softmax(d), [x])).toBe(true);
    expect(tg.gradCheck((t) => t.logSoftmax(d), [x])).toBe(true);
  });
  it("3-D middle dim and transposed input", () => {
    expect(tg.gradCheck((t) => t.softmax(1), [vals([2, 3, 2])])).toBe(true);
    expect(tg.gradCheck((t) => t.t().logSoftmax(1), [vals([3, 2])])).toBe(true);
  });
});
