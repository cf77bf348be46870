import { describe, expect, it } from "vitest";
import * as tg from "../../lib/index.js";
import { expectClose, f64, i32, positive, vals } from "./util.js";

describe("binary arithmetic: forward on hand values", () => {
  const a = tg.tensor([[1, 2, 3], [4, 5, 6]]);
  const b = tg.tensor([[2, 4, 8], [-1, 0.5, 3]]);
  it("tensor-tensor", () => {
    expectClose(tg.add(a, b), [[3, 6, 11], [3, 5.5, 9]]);
    expectClose(tg.sub(a, b), [[-1, -2, -5], [5, 4.5, 3]]);
    expectClose(tg.mul(a, b), [[2, 8, 24], [-4, 2.5, 18]]);
    expectClose(tg.div(a, b), [[0.5, 0.5, 0.375], [-4, 10, 2]]);
  });
  it("tensor-scalar and scalar-tensor", () => {
    expectClose(a.add(1), [[2, 3, 4], [5, 6, 7]]);
    expectClose(a.sub(1), [[0, 1, 2], [3, 4, 5]]);
    expectClose(a.mul(-2), [[-2, -4, -6], [-8, -10, -12]]);
    expectClose(a.div(4), [[0.25, 0.5, 0.75], [1, 1.25, 1.5]]);
    expectClose(tg.add(10, a), [[11, 12, 13], [14, 15, 16]]);
    expectClose(tg.sub(10, a), [[9, 8, 7], [6, 5, 4]]);
    expectClose(tg.mul(3, a), [[3, 6, 9], [12, 15, 18]]);
    expectClose(tg.div(12, a), [[12, 6, 4], [3, 2.4, 2]]);
  });
  it("add/sub alpha as PyTorch", () => {
    expectClose(a.add(b, { alpha: 2 }), [[5, 10, 19], [2, 6, 12]]);
    expectClose(a.sub(b, { alpha: 2 }), [[-3, -6, -13], [6, 4, 0]]);
  });
  it("division by zero gives inf/nan as IEEE", () => {
    expectClose(tg.tensor([1, -1, 0]).div(tg.tensor([0, 0, 0])), [Infinity, -Infinity, NaN]);
  });
  it("two scalars are rejected", () => {
    expect(() => tg.add(1 as never, 2 as never)).toThrow(/at least one operand must be a Tensor/);
  });
});

describe("broadcasting", () => {
  it("row + column -> matrix", () => {
    expectClose(tg.add(tg.tensor([[1], [2], [3]]), tg.tensor([10, 20])), [[11, 21], [12, 22], [13, 23]]);
  });
  it("leading dims and size-1 dims on both sides", () => {
    const x = tg.arange(6).float().reshape(2, 1, 3), y = tg.tensor([[1], [-1]]);
    const z = tg.mul(x, y);
    expect(z.shape).toEqual([2, 2, 3]);
    expectClose(z, [[[0, 1, 2], [0, -1, -2]], [[3, 4, 5], [-3, -4, -5]]]);
  });
  it("0-d tensor with a matrix", () => {
    expectClose(tg.sub(tg.tensor([[1, 2]]), tg.tensor(5)), [[-4, -3]]);
  });
  it("broadcast operand over a transposed view", () => {
    const m = tg.tensor([[1, 2, 3], [4, 5, 6]]).t();
    expectClose(m.add(tg.tensor([100, 200])), [[101, 204], [102, 205], [103, 206]]);
  });
  it("broadcast gradients are summed back to each operand's shape", () => {
    const x = tg.tensor([[1, 2, 3], [4, 5, 6]], { requiresGrad: true }), y = tg.tensor([2, 3, 4], { requiresGrad: true });
    x.mul(y).sum().backward();
    expectClose(x.grad!, [[2, 3, 4], [2, 3, 4]]);
    expectClose(y.grad!, [5, 7, 9]);
    expect(tg.gradCheck((p, q) => tg.mul(p, q), [vals([2, 3]), vals([3], 2)])).toBe(true);
    expect(tg.gradCheck((p, q) => tg.div(p, q), [vals([4, 1, 3]), positive([2, 1])])).toBe(true);
    expect(tg.gradCheck((p, q) => tg.sub(p, q), [vals([1, 3]), vals([2, 1], 3)])).toBe(true);
  });
});

describe("binary gradients (gradCheck)", () => {
  const x = vals([2, 3]), y = vals([2, 3], 7), p = positive([2, 3], 3);
  it.each([
    ["add", (a: tg.Tensor, b: tg.Tensor) => tg.add(a, b)],
    ["sub", (a: tg.Tensor, b: tg.Tensor) => tg.sub(a, b)],
    ["mul", (a: tg.Tensor, b: tg.Tensor) => tg.mul(a, b)],
    ["maximum", (a: tg.Tensor, b: tg.Tensor) => tg.maximum(a, b)],
    ["minimum", (a: tg.Tensor, b: tg.Tensor) => tg.minimum(a, b)],
  ])("%s tensor-tensor", (_, f) => expect(tg.gradCheck(f, [x, y])).toBe(true));
  it("div tensor-tensor", () => expect(tg.gradCheck((a, b) => tg.div(a, b), [x, p])).toBe(true));
  it("tensor-scalar forms", () => {
    expect(tg.gradCheck((a) => a.add(2.5), [x])).toBe(true);
    expect(tg.gradCheck((a) => a.sub(2.5), [x])).toBe(true);
    expect(tg.gradCheck((a) => a.mul(-1.5), [x])).toBe(true);
    expect(tg.gradCheck((a) => a.div(3), [x])).toBe(true);
    expect(tg.gradCheck((a) => a.maximum(0.1), [x])).toBe(true);
    expect(tg.gradCheck((a) => a.minimum(0.1), [x])).toBe(true);
  });
  it("scalar-tensor forms", () => {
    expect(tg.gradCheck((a) => tg.add(2.5, a), [x])).toBe(true);
    expect(tg.gradCheck((a) => tg.sub(2.5, a), [x])).toBe(true);
    expect(tg.gradCheck((a) => tg.mul(-1.5, a), [x])).toBe(true);
    expect(tg.gradCheck((a) => tg.div(3, a), [p])).toBe(true);
    expect(tg.gradCheck((a) => tg.maximum(0.1, a), [x])).toBe(true);
  });
  it("hand-computed div gradient", () => {
    const a = f64([6], true), b = f64([3], true);
    a.div(b).sum().backward();
    expectClose(a.grad!, [1 / 3]);
    expectClose(b.grad!, [-6 / 9]);
  });
});

describe("unary ops: forward on hand values", () => {
  const x = tg.tensor([-2, -0.5, 0, 0.5, 2], { dtype: "float64" });
  it("neg, abs, exp", () => {
    expectClose(x.neg(), [2, 0.5, -0, -0.5, -2]);
    expectClose(x.abs(), [2, 0.5, 0, 0.5, 2]);
    expectClose(x.exp(), [Math.exp(-2), Math.exp(-0.5), 1, Math.exp(0.5), Math.exp(2)], 1e-12);
  });
  it("log, sqrt, pow", () => {
    const p = f64([0.25, 1, 4]);
    expectClose(p.log(), [Math.log(0.25), 0, Math.log(4)], 1e-12);
    expectClose(p.sqrt(), [0.5, 1, 2]);
    expectClose(p.pow(2), [0.0625, 1, 16]);
    expectClose(p.pow(-1), [4, 1, 0.25]);
    expectClose(p.pow(0.5), [0.5, 1, 2]);
    expectClose(p.pow(0), [1, 1, 1]);
    expectClose(f64([-1, 0]).log(), [NaN, -Infinity]);
    expectClose(f64([-1]).sqrt(), [NaN]);
  });
  it("sigmoid, tanh", () => {
    const s = (v: number) => 1 / (1 + Math.exp(-v));
    expectClose(x.sigmoid(), [s(-2), s(-0.5), 0.5, s(0.5), s(2)], 1e-12);
    expectClose(x.tanh(), [Math.tanh(-2), Math.tanh(-0.5), 0, Math.tanh(0.5), Math.tanh(2)], 1e-12);
    // saturates without overflow
    expectClose(tg.tensor([-1000, 1000]).sigmoid(), [0, 1]);
    expectClose(tg.tensor([-1000, 1000]).tanh(), [-1, 1]);
  });
  it("relu, leakyRelu, elu", () => {
    expectClose(x.relu(), [0, 0, 0, 0.5, 2]);
    expectClose(x.leakyRelu(), [-0.02, -0.005, 0, 0.5, 2]);
    expectClose(x.leakyRelu(0.2), [-0.4, -0.1, 0, 0.5, 2]);
    expectClose(x.elu(), [Math.expm1(-2), Math.expm1(-0.5), 0, 0.5, 2], 1e-12);
    expectClose(x.elu(0.5), [0.5 * Math.expm1(-2), 0.5 * Math.expm1(-0.5), 0, 0.5, 2], 1e-12);
  });
  it("gelu (exact erf form, as PyTorch's default)", () => {
    // PyTorch 1.13: torch.nn.functional.gelu(torch.tensor([-2, -0.5, 0, 0.5, 2], dtype=torch.float64))
    expectClose(x.gelu(), [-0.0455002638963584, -0.15426876936299344, 0, 0.34573123063700656, 1.9544997361036416], 1e-12);
  });
  it("clamp with min, max, or both", () => {
    expectClose(x.clamp(-1, 1), [-1, -0.5, 0, 0.5, 1]);
    expectClose(x.clamp(0), [0, 0, 0, 0.5, 2]);
    expectClose(x.clamp(null, 0), [-2, -0.5, 0, 0, 0]);
    expect(() => x.clamp()).toThrow(/at least one of min and max/);
  });
  it("sign", () => expectClose(x.sign(), [-1, -1, 0, 1, 1]));
  it("square", () => expectClose(x.square(), [4, 0.25, 0, 0.25, 4]));
});

describe("unary gradients (gradCheck)", () => {
  const x = vals([3, 4]), p = positive([3, 4]);
  it.each([
    ["neg", (t: tg.Tensor) => t.neg()],
    ["exp", (t: tg.Tensor) => t.exp()],
    ["abs", (t: tg.Tensor) => t.abs()],
    ["sigmoid", (t: tg.Tensor) => t.sigmoid()],
    ["tanh", (t: tg.Tensor) => t.tanh()],
    ["relu", (t: tg.Tensor) => t.relu()],
    ["leakyRelu", (t: tg.Tensor) => t.leakyRelu(0.1)],
    ["elu", (t: tg.Tensor) => t.elu(0.7)],
    ["gelu", (t: tg.Tensor) => t.gelu()],
    ["clamp", (t: tg.Tensor) => t.clamp(-0.3, 0.4)],
    ["pow 3", (t: tg.Tensor) => t.pow(3)],
    ["square", (t: tg.Tensor) => t.square()],
    ["sign", (t: tg.Tensor) => t.sign()],
  ])("%s", (_, f) => expect(tg.gradCheck(f, [x])).toBe(true));
  it.each([
    ["log", (t: tg.Tensor) => t.log()],
    ["sqrt", (t: tg.Tensor) => t.sqrt()],
    ["pow -1.5", (t: tg.Tensor) => t.pow(-1.5)],
    ["pow 0.5", (t: tg.Tensor) => t.pow(0.5)],
    ["pow 0", (t: tg.Tensor) => t.pow(0)],
  ])("%s (positive inputs)", (_, f) => expect(tg.gradCheck(f, [p])).toBe(true));
  it("relu/abs/clamp subgradients at the kink follow PyTorch (0 at 0; clamp passes g at the bounds)", () => {
    const z = f64([0, 0, 1], true);
    z.relu().sum().backward();
    expectClose(z.grad!, [0, 0, 1]);
    const w = f64([0, -1, 1, 2], true);
    w.abs().sum().backward();
    expectClose(w.grad!, [0, -1, 1, 1]);
    const c = f64([-1, 0, 1, 2], true);
    c.clamp(0, 1).sum().backward();
    expectClose(c.grad!, [0, 1, 1, 0]);
  });
});

describe("maximum, minimum, where", () => {
  it("forward", () => {
    const a = tg.tensor([1, 5, -3]), b = tg.tensor([2, 4, -3]);
    expectClose(tg.maximum(a, b), [2, 5, -3]);
    expectClose(tg.minimum(a, b), [1, 4, -3]);
    expectClose(tg.maximum(a, tg.tensor([[0], [10]])), [[1, 5, 0], [10, 10, 10]]);
    expectClose(tg.maximum(tg.tensor([NaN, 1]), tg.tensor([1, NaN])), [NaN, NaN]);
  });
  it("where with tensors, scalars and broadcasting", () => {
    const c = i32([1, 0, 1]);
    expectClose(tg.where(c, tg.tensor([1, 2, 3]), tg.tensor([10, 20, 30])), [1, 20, 3]);
    expectClose(tg.where(c, tg.tensor([1, 2, 3]), -1), [1, -1, 3]);
    expectClose(tg.where(c, 7, tg.tensor([10, 20, 30])), [7, 20, 7]);
    expectClose(tg.where(i32([[1], [0]]), tg.tensor([1, 2]), tg.tensor(0)), [[1, 2], [0, 0]]);
    // a comparison mask, and a float condition (nonzero = true)
    const x = tg.tensor([-1, 2, -3]);
    expectClose(tg.where(x.gt(0), x, x.mul(0.1)), [-0.1, 2, -0.3]);
    expectClose(tg.where(tg.tensor([0.5, 0, -2]), x, 9), [-1, 9, -3]);
  });
  it("where gradients go to the chosen side, summed over broadcast", () => {
    const a = tg.tensor([1, 2, 3], { requiresGrad: true }), b = tg.tensor([5], { requiresGrad: true });
    tg.where(i32([1, 0, 0]), a, b).sum().backward();
    expectClose(a.grad!, [1, 0, 0]);
    expectClose(b.grad!, [2]);
    const c = i32([[1, 0, 1], [0, 0, 1]]);
    expect(tg.gradCheck((u, v) => tg.where(c, u, v), [vals([2, 3]), vals([3], 2)])).toBe(true);
  });
});

describe("comparisons return int32 masks", () => {
  const a = tg.tensor([1, 2, 3]), b = tg.tensor([3, 2, 1]);
  it("eq ne gt ge lt le", () => {
    expect(a.eq(b).dtype).toBe("int32");
    expect(a.eq(b).toArray()).toEqual([0, 1, 0]);
    expect(a.ne(b).toArray()).toEqual([1, 0, 1]);
    expect(a.gt(b).toArray()).toEqual([0, 0, 1]);
    expect(a.ge(b).toArray()).toEqual([0, 1, 1]);
    expect(a.lt(b).toArray()).toEqual([1, 0, 0]);
    expect(a.le(b).toArray()).toEqual([1, 1, 0]);
    expect(a.gt(2).toArray()).toEqual([0, 0, 1]);
    expect(tg.lt(2, a).toArray()).toEqual([0, 0, 1]);
    expect(a.eq(tg.tensor([[1], [3]])).toArray()).toEqual([[1, 0, 0], [0, 0, 1]]);
  });
  it("masks carry no gradient", () => {
    const x = tg.tensor([1, 2], { requiresGrad: true });
    const m = x.gt(1);
    expect(m.requiresGrad).toBe(false);
    expect(m.gradFn).toBeNull();
  });
});

describe("int32 and float64 behaviour", () => {
  it("int32 arithmetic stays int32 where PyTorch keeps integers", () => {
    const a = i32([1, 2, -3]);
    const s = a.add(i32([10, 20, 30]));
    expect(s.dtype).toBe("int32");
    expect(s.toArray()).toEqual([11, 22, 27]);
    expect(a.mul(2).dtype).toBe("int32");
    expect(a.mul(2).toArray()).toEqual([2, 4, -6]);
    expect(a.sub(1).toArray()).toEqual([0, 1, -4]);
    expect(tg.sub(1, a).toArray()).toEqual([0, -1, 4]);
    expect(a.neg().toArray()).toEqual([-1, -2, 3]);
    expect(a.abs().toArray()).toEqual([1, 2, 3]);
    expect(a.relu().toArray()).toEqual([1, 2, 0]);
    expect(a.clamp(0, 1).toArray()).toEqual([1, 1, 0]);
    expect(a.clamp(0).toArray()).toEqual([1, 2, 0]);
    expect(tg.maximum(a, i32([0, 5, 0])).toArray()).toEqual([1, 5, 0]);
  });
  it("int32 with a float scalar, true division, and transcendental ops give float32", () => {
    const a = i32([1, 2, 3]);
    expect(a.add(0.5).dtype).toBe("float32");
    expectClose(a.add(0.5), [1.5, 2.5, 3.5]);
    expect(a.div(2).dtype).toBe("float32");
    expectClose(a.div(2), [0.5, 1, 1.5]);
    expectClose(a.div(i32([2, 2, 2])), [0.5, 1, 1.5]);
    expectClose(tg.div(3, a), [3, 1.5, 1]);
    expect(a.exp().dtype).toBe("float32");
    expectClose(a.sqrt(), [1, Math.SQRT2, Math.sqrt(3)]);
  });
  it("float64 keeps double precision", () => {
    const a = f64([1e-10, 1]).add(f64([1, 1e-12]));
    expect(a.dtype).toBe("float64");
    expect(Array.from(a.data())).toEqual([1 + 1e-10, 1 + 1e-12]);
    expect(Array.from(tg.tensor([1]).add(1e-10).data())).toEqual([1]); // float32 rounds it away
  });
  it("promotion: int32+float32 -> float32, float32+float64 -> float64, int32+float64 -> float64", () => {
    expect(tg.add(i32([1]), tg.tensor([1])).dtype).toBe("float32");
    expect(tg.add(tg.tensor([1]), f64([1])).dtype).toBe("float64");
    expect(tg.mul(i32([1]), f64([1])).dtype).toBe("float64");
    expect(tg.maximum(tg.tensor([1]), f64([2])).dtype).toBe("float64");
    expect(tg.where(i32([1]), i32([1]), tg.tensor([2.5])).dtype).toBe("float32");
  });
  it("gradient flows back to the original dtype through promotion", () => {
    const a = tg.tensor([1, 2], { requiresGrad: true }), b = f64([3, 4], true);
    a.mul(b).sum().backward();
    expect(a.grad!.dtype).toBe("float32");
    expect(b.grad!.dtype).toBe("float64");
    expectClose(a.grad!, [3, 4]);
    expectClose(b.grad!, [1, 2]);
  });
});
