// Integer dtypes at their limits and every float→int32 conversion: defined (PyTorch's value) or a
// clear RangeError, never C++'s undefined behaviour (the UBSan CI step runs these).
import { describe, expect, it } from "vitest";
import * as tg from "../../lib/index.js";
import { REF } from "./reference.js";

const i32 = (d: number[]) => tg.tensor(d, { dtype: "int32" });

describe("int32 arithmetic", () => {
  it("an int32 sum that leaves int32 throws (PyTorch returns int64 2147483648); one that fits is exact", () => {
    expect(REF.intSumOverflow).toBe(2147483648);
    expect(() => i32([2147483647, 1]).sum()).toThrow(RangeError);
    expect(() => i32([2147483647, 1]).sum()).toThrow(/sum 2147483648 does not fit in int32.*\.double\(\)/);
    expect(() => i32([-2147483648, -1]).sum()).toThrow(/-2147483649/);
    expect(() => tg.full([3, 2], 2 ** 30, { dtype: "int32" }).sum(0)).toThrow(/3221225472/);
    expect(i32([2147483647, -1]).sum().item()).toBe(2147483646);
    expect(i32([2147483647, 1]).double().sum().item()).toBe(REF.intSumOverflow);
    // A large sum takes the threaded path and still checks.
    expect(() => tg.full([1 << 18], 2 ** 14, { dtype: "int32" }).sum()).toThrow(/4294967296/);
  });
  it("int32 pow(2) stays int32 and wraps as PyTorch; pow(-1) throws; pow(0.5) is float32", () => {
    const y = i32([3, -4, 46341]).pow(2);
    expect(y.dtype).toBe("int32");
    expect(REF.intPow2Dtype).toBe("torch.int32");
    expect(Array.from(y.data())).toEqual(REF.intPow2);
    expect(() => i32([2]).pow(-1)).toThrow(/pow: integers to negative integer powers are not allowed/);
    expect(i32([4]).pow(0.5).dtype).toBe("float32");
    expect(i32([4]).pow(0).item()).toBe(1);
  });
  it("int32 clamp with min > max gives max everywhere", () => {
    expect(Array.from(i32([0, 3]).clamp(2, 1).data())).toEqual(REF.intClamp21);
    expect(i32([0, 3]).clamp(2, 1).dtype).toBe("int32");
    expect(Array.from(tg.tensor([0, 1, 0.5, 2, 3]).clamp(2, 1).data())).toEqual([1, 1, 1, 1, 1]);
  });
  it("int32 neg and abs of -2^31 wrap to -2^31 as in PyTorch (no UB)", () => {
    expect(i32([-2147483648]).neg().item()).toBe(-2147483648);
    expect(i32([-2147483648]).abs().item()).toBe(-2147483648);
  });
});

describe("float → int32 conversions", () => {
  it(".int() truncates toward zero and refuses NaN, ±inf and values out of int32", () => {
    expect(Array.from(tg.tensor([1.9, -1.9, 2147483647, -2147483648], { dtype: "float64" }).int().data())).toEqual([1, -1, 2147483647, -2147483648]);
    for (const v of [NaN, Infinity, -Infinity, 2147483648, -2147483649, 1e10])
      expect(() => tg.tensor([0, v], { dtype: "float64" }).int(), String(v)).toThrow(`int: the value ${v} has no int32 equivalent`);
    // The function called is named (was "to(int32)" for .int() and .long()), the value spelled as JS prints it (was "nan").
    expect(() => tg.tensor([-Infinity]).long()).toThrow(/^long: the value -Infinity has no int32 equivalent/);
    expect(() => tg.tensor([NaN]).to("int32")).toThrow(/^to\(int32\): the value NaN has no int32 equivalent/);
    // The threaded copy path reports it too.
    const big = tg.zeros([1 << 17]);
    big.fill_(NaN);
    expect(() => big.int()).toThrow(/^int: the value NaN/);
  });
  it("copy_ of floats into an int32 tensor follows the same rule", () => {
    const t = tg.zeros([2], { dtype: "int32" });
    t.copy_(tg.tensor([2.7, -3.2]));
    expect(Array.from(t.data())).toEqual([2, -3]);
    expect(() => t.copy_(tg.tensor([NaN, 1]))).toThrow(/copy_: the value NaN has no int32 equivalent/);
  });
  it("int32 full and fill_ refuse NaN/inf/out-of-range values as PyTorch ('cannot be converted to int32 without overflow')", () => {
    for (const v of [NaN, Infinity, -Infinity, 2 ** 31])
      expect(() => tg.full([2], v, { dtype: "int32" }), String(v)).toThrow(/full: the value .* cannot be converted to int32 without overflow/);
    expect(() => tg.zeros([2], { dtype: "int32" }).fill_(NaN)).toThrow(/fill_: the value NaN cannot be converted to int32/);
    expect(Array.from(tg.full([2], 2.7, { dtype: "int32" }).data())).toEqual([2, 2]);
    expect(Array.from(tg.full([1], -2147483648, { dtype: "int32" }).data())).toEqual([-2147483648]);
  });
  it("arange and linspace past int32 throw instead of wrapping; float64 holds them", () => {
    expect(() => tg.arange(0, 4e9, 1e9)).toThrow(/arange: the value 3000000000 does not fit in int32/);
    expect(() => tg.arange(2147483640, 2147483650)).toThrow(/arange: the value 2147483649 does not fit in int32/);
    expect(Array.from(tg.arange(0, 3e9, 1e9, { dtype: "float64" }).data())).toEqual([0, 1e9, 2e9]);
    expect(() => tg.linspace(0, 3e9, 3, { dtype: "int32" })).toThrow(/linspace: the value 3000000000 does not fit/);
    expect(Array.from(tg.arange(2147483645, 2147483648).data())).toEqual([2147483645, 2147483646, 2147483647]);
  });
});

describe("in-place writes into int32", () => {
  it("a number an int32 kernel does not take (3e9, NaN, 0.5) is refused in place, as its out-of-place result is float32", () => {
    expect(i32([1, 2]).add(3e9).dtype).toBe("float32");
    for (const f of [(x: tg.Tensor) => x.add_(3e9), (x: tg.Tensor) => x.sub_(-3e9), (x: tg.Tensor) => x.mul_(NaN),
      (x: tg.Tensor) => x.add_(1, { alpha: 1e10 }), (x: tg.Tensor) => x.clamp_(NaN, 2)]) {
      const x = i32([1, 2, 3]);
      expect(() => f(x)).toThrow(/the result type float can't be cast to the int32 tensor written in place/);
      expect(x.toArray()).toEqual([1, 2, 3]);
    }
    expect(i32([1, 2, 3]).add_(2).toArray()).toEqual([3, 4, 5]);
    expect(i32([1, 2, 3]).clamp_(-Infinity, 2).toArray()).toEqual([1, 2, 2]);
  });
  it("float32 → int32 takes -2^31 itself (in float, -2^31 - 1 rounds to -2^31, which the bound once refused)", () => {
    expect(tg.tensor([-(2 ** 31)]).int().toArray()).toEqual([-2147483648]);
    expect(i32([0]).copy_(tg.tensor([-(2 ** 31)])).toArray()).toEqual([-2147483648]);
    expect(() => tg.tensor([2 ** 31]).int()).toThrow(/^int: the value 2147483648 has no int32 equivalent/);
    expect(tg.tensor([-2147483648.9], { dtype: "float64" }).int().toArray()).toEqual([-2147483648]);
    expect(() => tg.tensor([-2147483649], { dtype: "float64" }).int()).toThrow(/-2147483649 has no int32 equivalent/);
  });
  it("a copy_ that refuses a value writes nothing, so indices saved for backward keep their values", () => {
    const x = tg.tensor([10, 20, 30], { requiresGrad: true }), idx = i32([0, 0, 0]);
    const y = x.gather(0, idx);
    expect(() => idx.copy_(tg.tensor([2, 2, NaN]))).toThrow(/^copy_: the value NaN has no int32 equivalent/);
    expect(() => idx.copy_(tg.tensor([1, 1e10], { dtype: "float64" }).expand([3, 2]).select(1, 1))).toThrow(/10000000000 has no int32/);
    expect(idx.toArray()).toEqual([0, 0, 0]);
    y.sum().backward();
    expect(x.grad!.toArray()).toEqual([3, 0, 0]);
  });
});
