// bmm, outer, maskedFill, F.oneHot and the ±0 tie of a full max/min: hand values, PyTorch 1.13's
// values and gradients (test/ops/reference.ts), edge inputs and argument errors.
import { describe, expect, it } from "vitest";
import * as tg from "../../lib/index.js";
import * as ref from "./reference.js";
import { expectCase, expectClose, f64, i32 } from "./util.js";

const X = [[1.0, 2.0, 4.0, -0.5], [3.0, -1.0, 0.5, 2.5], [0.25, 0.0, -3.0, 1.5]];
const M = [[1, 0, 1, 0], [0, 0, 1, 1], [1, 1, 0, 0]];

describe("bmm and outer", () => {
  it("match PyTorch: values and gradients", () => {
    const A = [[[0.5, -1.0, 2.0], [1.5, 0.25, -0.75]], [[-2.0, 1.0, 0.5], [0.0, 3.0, -1.0]]];
    const B = [[[1.0, 0.5], [-1.0, 2.0], [0.25, -0.5]], [[2.0, -1.5], [0.5, 1.0], [-1.0, 0.0]]];
    expectCase(ref.bmm, (a, b) => a.bmm(b), [A, B]);
    expectCase(ref.outer, (a, b) => tg.outer(a, b), [[1, -2, 0.5], [3, 0.25]]);
  });
  it("hand values, int32 outer, empty batches", () => {
    expectClose(tg.outer(i32([1, 2]), i32([3, 4])), [[3, 4], [6, 8]]);
    expect(tg.outer(i32([1, 2]), i32([3])).dtype).toBe("int32");
    expect(tg.bmm(tg.zeros([0, 2, 3]), tg.zeros([0, 3, 4])).shape).toEqual([0, 2, 4]);
    expectClose(tg.bmm(tg.ones([1, 2, 0]), tg.ones([1, 0, 2])), [[[0, 0], [0, 0]]]);
  });
  it("refuse shapes PyTorch refuses (bmm does not broadcast)", () => {
    expect(() => tg.bmm(tg.zeros([2, 2, 3]), tg.zeros([3, 2]))).toThrow(/bmm: expected \[B, n, m\] and \[B, m, p\] tensors, got shapes \[2, 2, 3\] and \[3, 2\]/);
    expect(() => tg.bmm(tg.zeros([2, 2, 3]), tg.zeros([1, 3, 2]))).toThrow(/bmm: expected/);
    expect(() => tg.outer(tg.zeros([2, 2]), tg.zeros([2]))).toThrow(/outer: expected two 1-D tensors/);
    expect(() => tg.outer(tg.zeros([2]), 3 as never)).toThrow(/outer: both operands must be Tensors/);
  });
});

describe("maskedFill", () => {
  it("matches PyTorch: a number, a broadcast row mask with inf, a 0-d tensor value (gradients to both)", () => {
    expectCase(ref.maskedFill.scalar, (t) => t.maskedFill(i32(M), -2.5), [X]);
    expectCase(ref.maskedFill["broadcast row"], (t) => t.maskedFill(i32([1, 0, 0, 1]), Infinity), [X]);
    expectCase(ref.maskedFill["tensor value"], (t, v) => tg.maskedFill(t, i32(M), v), [X, 7]);
  });
  it("keeps x's dtype: an int32 x takes the value truncated, as PyTorch", () => {
    const y = i32([[1, 2], [3, 4]]).maskedFill(i32([[1, 0], [0, 1]]), 2.7);
    expect(y.dtype).toBe("int32");
    expectClose(y, ref.maskedFill.int);
    expect(tg.zeros([0, 2]).maskedFill(i32([1, 0]), 1).shape).toEqual([0, 2]);
  });
  it("refuses a float mask, a mask that does not broadcast to x, NaN into int32, a non-0-d value", () => {
    const x = tg.zeros([2, 2]);
    expect(() => x.maskedFill(tg.ones([2, 2]), 1)).toThrow(/maskedFill: mask must be an int32 0\/1 tensor/);
    expect(() => x.maskedFill(i32([[[1]], [[0]]]), 1)).toThrow(/maskedFill: mask of shape \[2, 1, 1\] does not broadcast to the input's shape \[2, 2\]/);
    expect(() => i32([1]).maskedFill(i32([1]), NaN)).toThrow(/maskedFill: the value NaN cannot be converted to int32/);
    expect(() => x.maskedFill(i32([1, 0]), tg.ones([2]))).toThrow(/maskedFill: a tensor value must be 0-d/);
    expect(() => x.maskedFill(i32([1, 0]), "1" as never)).toThrow(/maskedFill: value must be a number or a 0-d Tensor, got string/);
  });
});

describe("F.oneHot", () => {
  it("matches PyTorch (inferred class count, and numClasses 5 on a 2-D input) as int32", () => {
    const a = tg.nn.functional.oneHot(i32([0, 3, 1]));
    expect(a.dtype).toBe("int32");
    expectClose(a, ref.oneHot.inferred);
    expectClose(tg.nn.functional.oneHot(i32([[0, 4], [2, 2]]), 5), ref.oneHot.classes5);
    expect(tg.nn.functional.oneHot(i32([]), 3).shape).toEqual([0, 3]);
  });
  it("refuses what PyTorch refuses: float input, negative or too-large classes, an empty input without numClasses", () => {
    const F = tg.nn.functional;
    expect(() => F.oneHot(tg.tensor([0, 1]))).toThrow(/oneHot: x must be an int32 tensor/);
    expect(() => F.oneHot(i32([0, -1]))).toThrow(/oneHot: class values must be non-negative, got -1/);
    expect(() => F.oneHot(i32([0, 3]), 3)).toThrow(/oneHot: class values must be smaller than numClasses \(3\), got 3/);
    expect(() => F.oneHot(i32([]))).toThrow(/oneHot: cannot infer numClasses from an empty tensor/);
    expect(() => F.oneHot(i32([0]), 1.5)).toThrow(/oneHot: numClasses must be an integer/);
  });
});

describe("a full max()/min() over tied ±0", () => {
  // PyTorch 1.13's full max() returns whichever zero its vector lanes combine last: [0, -0] gives -0
  // but 17 zeros then -0 give 0 (test/ops/reference.ts), so there is no rule to match. tensorgrad returns
  // the first, the element argmax points at, as max(dim) does in PyTorch.
  it("returns the first tied zero, consistent with argmax and max(dim)", () => {
    expect(Object.is(ref.signedZero.max, -0) && Object.is(ref.signedZero.max17, 0)).toBe(true);
    const x = tg.tensor([0, -0]);
    expect(Object.is(x.max().item(), 0)).toBe(true);
    expect(Object.is(x.max(0).values.item(), ref.signedZero.max0)).toBe(true);
    expect(x.argmax().item()).toBe(ref.signedZero.argmax);
    expect(Object.is(tg.tensor([-0, 0]).min().item(), -0)).toBe(true);
  });
});
