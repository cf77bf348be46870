// pow with a tensor exponent and with a number base: values and both gradients against PyTorch 1.13
// (test/ops/gen-reference.py), gradCheck, PyTorch's edge rules, integer pow and bad arguments.
import { describe, expect, it } from "vitest";
import * as tg from "../../lib/index.js";
import { expectCase, expectClose, f64, i32, positive, vals } from "./util.js";
import * as ref from "./reference.js";

const P = ref.powTensor;
const XP = [[1.5, 0.5, 2.0, 3.0], [0.25, 1.0, 4.0, 0.75], [2.5, 1.25, 0.1, 1.75]];
const POW_BASE = [0, 0, 0, -2, -2, 2, NaN, Infinity, -0, -0, -Infinity, 1];
const POW_EXP = [2, 0, -1, 2, 0.5, 0.5, 1, -1, 3, -1, 3, NaN];

describe("pow(tensor, tensor) and pow(number, tensor) match PyTorch", () => {
  it("broadcast exponents: values and the gradients of base and exponent", () => {
    expectCase(P.broadcast, (x, e) => x.pow(e), [XP, [0.5, -1.5, 2, 3]]);
    expectCase(P.column, (x, e) => tg.pow(x, e), [XP, [[2], [-0.5], [1]]]);
    expectCase(P["0-d base"], (x, e) => tg.pow(x, e), [1.5, [1, -2, 0.5]]);
    expectCase(P["0-d both"], (x, e) => tg.pow(x, e), [2, 3]);
  });
  it("PyTorch's edge rules: base 0 (exponent gradient 0 where the exponent is >= 0), negative bases (NaN), ±inf, NaN", () => {
    expectCase(P.edges, (x, e) => tg.pow(x, e), [POW_BASE, POW_EXP]);
  });
  it("keeps the sign of −0 as PyTorch: (−0)³ = −0, (−0)⁻¹ = −inf", () => {
    const y = tg.pow(f64([-0, -0, 0]), f64([3, -1, 3])).toArray() as number[];
    expect(Object.is(y[0], -0)).toBe(true);
    expect(y[1]).toBe(-Infinity);
    expect(Object.is(y[2], 0)).toBe(true);
    expect(P.edges.y[8]).toBe(-0);
  });
  it("a number base: tg.pow(2, e), and the base-0 and negative-base rules for the exponent's gradient", () => {
    expectCase(P["number base 2"], (e) => tg.pow(2, e), [[[1, -2], [0.5, 0]]]);
    expectCase(P["number base 0"], (e) => tg.pow(0, e), [[0.5, 0, -1, 2]]);
    expectCase(P["number base -2"], (e) => tg.pow(-2, e), [[1, 2, 0.5]]);
  });
  it("names the nodes as PyTorch: PowBackward0 (number exponent), PowBackward1 (tensor), PowBackward2 (number base)", () => {
    const x = tg.tensor([1.5, 2], { requiresGrad: true });
    expect(x.pow(2).gradFn?.name).toBe("PowBackward0");
    expect(x.pow(x).gradFn?.name).toBe("PowBackward1");
    expect(tg.pow(3, x).gradFn?.name).toBe("PowBackward2");
  });
  it("gradCheck on both inputs, broadcast either way, and a number base", () => {
    expect(tg.gradCheck((x, e) => tg.pow(x, e), [positive([2, 3]), vals([3], 2)])).toBe(true);
    expect(tg.gradCheck((x, e) => tg.pow(x, e), [positive([3, 1]), vals([1, 4], 3)])).toBe(true);
    expect(tg.gradCheck((e) => tg.pow(1.7, e), [vals([2, 2])])).toBe(true);
    // only the exponent requires grad, then only the base
    const e = vals([3]).requiresGrad_();
    tg.pow(positive([3]), e).sum().backward();
    expect(e.grad).not.toBeNull();
    const b = positive([3]).requiresGrad_();
    tg.pow(b, vals([3])).sum().backward();
    expect(b.grad).not.toBeNull();
  });
});

describe("integer and mixed dtypes", () => {
  it("int32 ** int32 stays int32: PyTorch's answers for negative exponents (1, ±1, else 0) and int32 wrapping", () => {
    const y = tg.pow(i32([2, -1, 1, 0, 3, -3, 7, 0]), i32([-1, -3, -2, -1, 2, 3, 12, 0]));
    expect(y.dtype).toBe("int32");
    expect(y.toArray()).toEqual(P.int);
    expect(tg.pow(i32([3, -5]), i32([40, 21])).toArray()).toEqual(P["int wraps"]);
  });
  it("an integer number base with an int32 exponent gives int32; a float operand promotes", () => {
    const y = tg.pow(2, i32([0, 1, 10, 30]));
    expect(y.dtype).toBe("int32");
    expect(y.toArray()).toEqual(P["number base int"]);
    const z = tg.pow(i32([2, 3, 4]), tg.tensor([0.5, 2, -1]));
    expect(z.dtype).toBe("float32");
    expectClose(z, P["int base float exponent"], 1e-6);
    expect(tg.pow(2.5, i32([1, 2])).dtype).toBe("float32");
  });
  it("float32 operands stay float32", () => {
    const y = tg.pow(tg.tensor([1.5, 2, 0.3]), tg.tensor([2.5, -1, 0.7]));
    expect(y.dtype).toBe("float32");
    expectClose(y, P.float32, 1e-6);
  });
  it("empty and broadcast-to-empty operands give empty results", () => {
    expect(tg.pow(tg.zeros(0), tg.zeros(0)).shape).toEqual([0]);
    expect(tg.pow(tg.zeros(2, 0), tg.ones(1)).shape).toEqual([2, 0]);
    expect(tg.pow(3, tg.zeros(0, 2)).shape).toEqual([0, 2]);
  });
});

describe("bad arguments", () => {
  it("name the op, the argument and the shapes", () => {
    expect(() => tg.pow(tg.ones(2, 3), tg.ones(4))).toThrow(/pow: .*\[2, 3\].*\[4\]/);
    expect(() => tg.pow(2, 3 as never)).toThrow(/pow: exponent must be a Tensor, got number 3/);
    expect(() => tg.pow(2, "x" as never)).toThrow(/pow: exponent must be a Tensor, got string "x"/);
    expect(() => tg.ones(2).pow([2] as never)).toThrow(/pow: the exponent must be a number or a Tensor, got/);
    expect(() => tg.pow(null as never, tg.ones(2))).toThrow(/pow: expected a Tensor, got null/);
    expect(() => i32([2]).pow(-1)).toThrow(/pow: integers to negative integer powers are not allowed/);
  });
});
