// PyTorch's two ways of giving a creation function its shape, tg.zeros(2, 3) and tg.zeros([2, 3]),
// each with the trailing options object, and tg.empty / tg.emptyLike (uninitialised memory).
import { describe, expect, it } from "vitest";
import * as tg from "../../lib/index.js";

const BY_SIZES = { zeros: tg.zeros, ones: tg.ones, rand: tg.rand, randn: tg.randn, empty: tg.empty };

describe("sizes as varargs or one array", () => {
  it.each(Object.entries(BY_SIZES))("%s(2, 3) is %s([2, 3]), options after either", (name, f) => {
    expect(f(2, 3).shape).toEqual([2, 3]);
    expect(f([2, 3]).shape).toEqual([2, 3]);
    expect(f(4).shape).toEqual([4]);
    expect(f(2, 3, { dtype: "float64" }).dtype).toBe("float64");
    expect(f([2, 3], { dtype: "float64" }).dtype).toBe("float64");
    const g = f(2, { requiresGrad: true });
    expect([g.shape, g.requiresGrad, g.isLeaf]).toEqual([[2], true, true]);
    expect(f([]).shape).toEqual([]);                      // 0-d, as torch.zeros(())
    expect(f(0, 3).shape).toEqual([0, 3]);
    expect(f(1, 1, 1, 1, 1, 2).shape).toEqual([1, 1, 1, 1, 1, 2]);
  });
  it("the values: zeros 0, ones 1, in every dtype", () => {
    expect(tg.zeros(2, 2).toArray()).toEqual([[0, 0], [0, 0]]);
    expect(tg.ones(2, 1, { dtype: "int32" }).toArray()).toEqual([[1], [1]]);
    expect(tg.ones(3, { dtype: "float64" }).toArray()).toEqual([1, 1, 1]);
  });
  it("the random ones draw the same numbers either way under one seed", () => {
    tg.manualSeed(3);
    const a = tg.randn(2, 3).toArray();
    tg.manualSeed(3);
    expect(tg.randn([2, 3]).toArray()).toEqual(a);
  });
  it("bad sizes name the op, the size and its value", () => {
    expect(() => tg.zeros(2, -1)).toThrow(/zeros: .*-1/);
    expect(() => tg.ones(2, 1.5)).toThrow(/ones: .*1\.5/);
    expect(() => tg.randn(2, NaN)).toThrow(/randn: .*NaN/);
    expect(() => tg.rand(2, "3" as never)).toThrow(/rand: size 1 must be a number \(or pass one shape array\), got string "3"/);
    expect(() => tg.empty([2], 3 as never)).toThrow(/empty: after the shape array \[2\] only an options object may follow/);
    expect(() => (tg.zeros as (...a: unknown[]) => unknown)({ dtype: "float64" })).toThrow(/zeros: missing the shape/);
    expect(() => tg.zeros(2, { dtyp: "float64" } as never)).toThrow(/zeros: unknown option "dtyp"; did you mean "dtype"/);
    expect(() => tg.rand(2, { dtype: "int32" })).toThrow(/rand: dtype must be float32 or float64/);
  });
});

// full and randint take the size as one array (torch.full(size, fill_value), torch.randint(low, high, size)):
// a call in another form names the op, shows the call as given and the call it meant.
describe("full and randint: a size not given as one array", () => {
  const call = (f: unknown, ...args: unknown[]) => () => (f as (...a: unknown[]) => unknown)(...args);
  const FULL = "full: takes the size as one array, then the fill value (as torch.full(size, fill_value)): got ";
  it.each([
    [[2, 2, 7], "tg.full(2, 2, 7); call tg.full([2, 2], 7)"],
    [[2, 7], "tg.full(2, 7); call tg.full([2], 7)"],
    [[7], "tg.full(7); call tg.full([n], 7)"],
    [[[2, 2]], "tg.full([2, 2]); call tg.full([2, 2], fillValue)"],
    [[2, 2, 7, { dtype: "float64" }], 'tg.full(2, 2, 7, {dtype: "float64"}); call tg.full([2, 2], 7, {dtype: "float64"})'],
    [[{ size: [3] }, 1], "tg.full({size: [3]}, 1); call tg.full([3], 1)"],
    [[[2], 7, {}, 1], "tg.full([2], 7, {}, 1); call tg.full([2], 7)"],
  ])("full(%j)", (args, message) => {
    expect(call(tg.full, ...args)).toThrow(new TypeError(FULL + message));
  });
  it("full's right calls still work, and a bad value keeps its own message", () => {
    expect(tg.full([2, 2], 7).toArray()).toEqual([[7, 7], [7, 7]]);
    expect(tg.full([2], 7, { dtype: "int32" }).toArray()).toEqual([7, 7]);
    expect(tg.full([], -1).toArray()).toEqual(-1);
    expect(call(tg.full, [2], [7])).toThrow(/^full: the fill value must be a number, got an array$/);
  });

  const RANDINT = "randint: takes low, high, then the size as one array (as torch.randint(low, high, size)), " +
    "or high and the size (low 0): got ";
  it.each([
    [[0, 10, 5], "tg.randint(0, 10, 5); call tg.randint(0, 10, [5])"],
    [[0, 10, 2, 3], "tg.randint(0, 10, 2, 3); call tg.randint(0, 10, [2, 3])"],
    [[0, 10], "tg.randint(0, 10); call tg.randint(0, 10, [n]) for n integers in [0, 10)"],
    [[10, 5], "tg.randint(10, 5); call tg.randint(10, [5]) for 5 integers in [0, 10)"],
    [[3, 10], "tg.randint(3, 10); call tg.randint(3, 10, [n]) for n integers in [3, 10), or tg.randint(3, [10]) for 10 integers in [0, 3)"],
    [[-3, -5], "tg.randint(-3, -5); call tg.randint(low, high, [n])"],
    [[10], "tg.randint(10); call tg.randint(10, [n]) for n integers in [0, 10)"],
    [[], "tg.randint(); call tg.randint(high, [n]) for n integers in [0, high)"],
    [[[2], 0, 10], "tg.randint([2], 0, 10); call tg.randint(0, 10, [2])"],
    [[[2]], "tg.randint([2]); call tg.randint(high, [2])"],
    [[0, 10, { size: [2], dtype: "float64" }], 'tg.randint(0, 10, {size: [2], dtype: "float64"}); call tg.randint(0, 10, [2], {dtype: "float64"})'],
  ])("randint(%j)", (args, message) => {
    expect(call(tg.randint, ...args)).toThrow(new TypeError(RANDINT + message));
  });
  it("randint's right calls still work", () => {
    expect(tg.randint(0, 10, [2, 3]).shape).toEqual([2, 3]);
    expect(tg.randint(10, [4], { dtype: "float64" }).dtype).toBe("float64");
    expect(tg.randint(1, [3]).toArray()).toEqual([0, 0, 0]);
  });
});

describe("tg.empty and tg.emptyLike", () => {
  it("give the shape and dtype asked for, every element writable", () => {
    const e = tg.empty(2, 3, { dtype: "int32" });
    expect([e.shape, e.dtype]).toEqual([[2, 3], "int32"]);
    e.fill_(4);
    expect(e.toArray()).toEqual([[4, 4, 4], [4, 4, 4]]);
    const l = tg.emptyLike(tg.zeros([4, 1], { dtype: "float64" }));
    expect([l.shape, l.dtype]).toEqual([[4, 1], "float64"]);
    expect(tg.emptyLike(tg.zeros(3), { dtype: "int32" }).dtype).toBe("int32");
    expect(tg.empty(0).numel()).toBe(0);
  });
  it("may hold old values (recycled memory is not cleared), as PyTorch's uninitialised memory", () => {
    // A freed tensor's memory goes to the next tensor of its size: empty() then shows the old values,
    // where zeros() clears them. (So empty() is only for tensors every element of which is written.)
    const n = 1000;
    const old = tg.full([n], 7);
    old.dispose();
    const e = tg.empty(n);
    expect(e.numel()).toBe(n);
    expect(Array.from(e.data()).some((v) => v === 7)).toBe(true);
    e.dispose();
    expect(Array.from(tg.zeros(n).data()).every((v) => v === 0)).toBe(true);
  });
  it("refuse bad options and sizes", () => {
    expect(() => tg.empty(2, { requires_grad: true } as never)).toThrow(/empty: unknown option "requires_grad"; did you mean "requiresGrad"/);
    expect(() => tg.emptyLike([1, 2] as never)).toThrow(/emptyLike: expected a Tensor, got/);
    expect(() => tg.zerosLike(null as never)).toThrow(/zerosLike: expected a Tensor, got null/);
    expect(() => tg.empty(-2)).toThrow(/empty: .*-2/);
  });
});

describe("tg.tensor into int32", () => {
  it("truncates fractions toward zero as PyTorch, and refuses values int32 cannot hold instead of wrapping", () => {
    expect(tg.tensor([2.7, -2.7, 2147483647, -2147483648], { dtype: "int32" }).toArray()).toEqual([2, -2, 2147483647, -2147483648]);
    expect(() => tg.tensor([3e9], { dtype: "int32" })).toThrow(/^tensor: .*int32/);
    expect(() => tg.tensor([1, NaN], { dtype: "int32" })).toThrow(/^tensor: the value NaN has no int32 equivalent/);
    expect(() => tg.tensor(new Float64Array([-Infinity]), { dtype: "int32" })).toThrow(/^tensor: .*int32/);
    expect(tg.tensor(new Int32Array([5, -1])).dtype).toBe("int32");
  });
});
