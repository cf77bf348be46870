import { describe, expect, it } from "vitest";
import * as tg from "../../lib/index.js";
import { expectClose } from "../ops/util.js";

describe("tg.tensor", () => {
  it("from a number (0-d), nested arrays and with a shape option", () => {
    const s = tg.tensor(2.5);
    expect(s.shape).toEqual([]);
    expect(s.ndim).toBe(0);
    expect(s.numel()).toBe(1);
    expect(s.item()).toBe(2.5);
    const m = tg.tensor([[1, 2, 3], [4, 5, 6]]);
    expect(m.shape).toEqual([2, 3]);
    expect(m.dtype).toBe("float32");
    expect(m.toArray()).toEqual([[1, 2, 3], [4, 5, 6]]);
    expect(tg.tensor([1, 2, 3, 4, 5, 6], { shape: [3, 2] }).toArray()).toEqual([[1, 2], [3, 4], [5, 6]]);
    expect(tg.tensor([[]]).shape).toEqual([1, 0]);
  });
  it("from typed arrays, keeping their dtype unless one is given; always copies", () => {
    const f = new Float32Array([1, 2]), d = new Float64Array([0.1, 0.2]), i = new Int32Array([7, 8, 9, 10]);
    expect(tg.tensor(f).dtype).toBe("float32");
    expect(tg.tensor(d).dtype).toBe("float64");
    expect(Array.from(tg.tensor(d).data())).toEqual([0.1, 0.2]);
    const ti = tg.tensor(i, { shape: [2, 2] });
    expect(ti.dtype).toBe("int32");
    expect(ti.toArray()).toEqual([[7, 8], [9, 10]]);
    expect(tg.tensor(i, { dtype: "float64" }).dtype).toBe("float64");
    const t = tg.tensor(f);
    f[0] = 100;
    expect(t.toArray()).toEqual([1, 2]);
  });
  it("dtype and requiresGrad options", () => {
    const t = tg.tensor([1, 2], { dtype: "float64", requiresGrad: true });
    expect(t.dtype).toBe("float64");
    expect(t.requiresGrad).toBe(true);
    expect(t.isLeaf).toBe(true);
    expect(tg.tensor([1.9, -1.9], { dtype: "int32" }).toArray()).toEqual([1, -1]);
  });
  it("rejects ragged arrays, non-numbers, a mismatched shape and unknown dtypes", () => {
    expect(() => tg.tensor([[1, 2], [3]])).toThrow(/ragged nested array: expected length 2 at depth 1, got 1/);
    expect(() => tg.tensor([[1, 2], 3] as never)).toThrow(/ragged/);
    expect(() => tg.tensor(["a"] as never)).toThrow(/expected a number at depth 1, got string/);
    // PyTorch habits get what to do instead (was: "got object", "got boolean" alone).
    expect(() => tg.tensor(tg.randn([2]) as never)).toThrow(/^tensor: expected a number at depth 0, got a Tensor \(copy a tensor with t\.clone\(\)/);
    expect(() => tg.tensor([tg.tensor(1), tg.tensor(2)] as never)).toThrow(/got a Tensor .*stack a list of them with tg\.stack/);
    expect(() => tg.tensor([true, false] as never)).toThrow(/got boolean \(no bool dtype: pass 0 and 1/);
    expect(() => tg.tensor([1, 2, 3], { shape: [2, 2] })).toThrow(/3 values cannot fill shape \[2, 2\]/);
    expect(() => tg.tensor([1], { dtype: "float16" as never })).toThrow(/unknown dtype float16/);
  });
});

describe("constant fills, ranges, eye", () => {
  it("zeros, ones, full and their *Like forms", () => {
    expect(tg.zeros([2, 3]).toArray()).toEqual([[0, 0, 0], [0, 0, 0]]);
    expect(tg.ones([2], { dtype: "int32" }).toArray()).toEqual([1, 1]);
    expectClose(tg.full([2, 2], -1.5), [[-1.5, -1.5], [-1.5, -1.5]]);
    const d = tg.tensor([[1, 2]], { dtype: "float64" });
    expect(tg.zerosLike(d).dtype).toBe("float64");
    expect(tg.onesLike(d).toArray()).toEqual([[1, 1]]);
    expect(tg.fullLike(d, 7).toArray()).toEqual([[7, 7]]);
    expect(tg.zerosLike(d, { dtype: "int32" }).dtype).toBe("int32");
    expect(tg.ones([2], { requiresGrad: true }).requiresGrad).toBe(true);
    expect(tg.zeros([0]).numel()).toBe(0);
  });
  it("arange like torch.arange (int32 for integer arguments)", () => {
    expect(tg.arange(5).toArray()).toEqual([0, 1, 2, 3, 4]);
    expect(tg.arange(5).dtype).toBe("int32");
    expect(tg.arange(2, 8, 3).toArray()).toEqual([2, 5]);
    expect(tg.arange(5, 0, -2).toArray()).toEqual([5, 3, 1]);
    expectClose(tg.arange(0, 1, 0.25), [0, 0.25, 0.5, 0.75]);
    expect(tg.arange(3, undefined, 1, { dtype: "float64" }).dtype).toBe("float64");
    expect(tg.arange(3, 3).numel()).toBe(0);
    expect(() => tg.arange(0, 5, 0)).toThrow(/arange: invalid range/);
  });
  it("arange with end on the wrong side of start for the step throws, as PyTorch (it returned an empty range)", () => {
    expect(() => tg.arange(10, 0)).toThrow(/^arange: end 0 lies on the wrong side of start 10 for step 1 .*pass a negative step, arange\(10, 0, -1\)/);
    expect(() => tg.arange(-3)).toThrow(/^arange: end -3 lies on the wrong side of start 0 for step 1/);
    expect(() => tg.arange(0, 5, -1)).toThrow(/^arange: end 5 lies on the wrong side of start 0 for step -1 .*pass a positive step/);
    expect([tg.arange(0).numel(), tg.arange(2, 2, -1).numel()]).toEqual([0, 0]);
  });
  it("linspace includes both ends", () => {
    expectClose(tg.linspace(0, 1, 5), [0, 0.25, 0.5, 0.75, 1]);
    expectClose(tg.linspace(-1, 1, 1), [-1]);
    expect(tg.linspace(0, 1, 0).numel()).toBe(0);
    expect(tg.linspace(0, 1, 3, { dtype: "float64" }).dtype).toBe("float64");
  });
  it("eye, square and rectangular", () => {
    expect(tg.eye(3).toArray()).toEqual([[1, 0, 0], [0, 1, 0], [0, 0, 1]]);
    expect(tg.eye(2, 3).toArray()).toEqual([[1, 0, 0], [0, 1, 0]]);
    expect(tg.eye(3, 2).toArray()).toEqual([[1, 0], [0, 1], [0, 0]]);
  });
  it("the options may follow any number of the optional numbers, as torch.arange(5, dtype=...) and torch.eye(3, dtype=...)", () => {
    // Before: arange(5, {dtype}) threw "invalid range start=5 end=[object Object]" and eye(3, {dtype}) "got [3, [object Object]]".
    const a = tg.arange(5, { dtype: "float64", requiresGrad: true });
    expect([a.dtype, a.requiresGrad, a.toArray()]).toEqual(["float64", true, [0, 1, 2, 3, 4]]);
    expect([tg.arange(1, 4, { dtype: "float64" }).dtype, tg.arange(1, 4, { dtype: "float64" }).toArray()]).toEqual(["float64", [1, 2, 3]]);
    expect(tg.arange(4, undefined).toArray()).toEqual([0, 1, 2, 3]);
    const e = tg.eye(2, { dtype: "int32" });
    expect([e.dtype, e.toArray()]).toEqual(["int32", [[1, 0], [0, 1]]]);
    expect(() => tg.arange(0, 1, 2, 3)).toThrow(/^arange: takes at most 3 numbers \(start, end, step\) then an options object, got 4 arguments/);
    expect(() => tg.arange("5" as never)).toThrow(/^arange: start must be a number, got string "5"/);
    expect(() => tg.eye(2, "3" as never)).toThrow(/^eye: m must be a number, got string "3"/);
    expect(() => tg.linspace(0, 1, { dtype: "float64" } as never)).toThrow(/^linspace: missing steps \(linspace needs start, end, steps\)/);
  });
});

describe("random creation", () => {
  it("rand in [0, 1), randn ~ N(0, 1), randint in [low, high)", () => {
    tg.manualSeed(1);
    const u = tg.rand([10000]), n = tg.randn([10000]), r = tg.randint(-3, 4, [10000]);
    expect(u.min().item()).toBeGreaterThanOrEqual(0);
    expect(u.max().item()).toBeLessThan(1);
    // Seeded draws of 10,000: the standard errors are 0.003 (uniform mean) and 0.01 (normal mean, RMS).
    expect(Math.abs(u.mean().item() - 0.5)).toBeLessThan(0.01);
    expect(Math.abs(n.mean().item())).toBeLessThan(0.03);
    expect(Math.abs(n.pow(2).mean().sqrt().item() - 1)).toBeLessThan(0.02);
    expect(r.dtype).toBe("int32");
    expect(r.min().item()).toBe(-3);
    expect(r.max().item()).toBe(3);
    expect(tg.randn([2, 3], { dtype: "float64" }).dtype).toBe("float64");
    expect(tg.rand([2], { requiresGrad: true }).requiresGrad).toBe(true);
    tg.manualSeed(3);
    const ints = tg.randint(0, 10, [50]).toArray() as number[];
    tg.manualSeed(3);
    const asFloat = tg.randint(0, 10, [50], { dtype: "float64" });
    expect(asFloat.dtype).toBe("float64");
    expect(asFloat.toArray()).toEqual(ints);
  });
  it("*Like forms take shape and dtype", () => {
    const d = tg.zeros([2, 3], { dtype: "float64" });
    expect(tg.randLike(d).shape).toEqual([2, 3]);
    expect(tg.randnLike(d).dtype).toBe("float64");
  });
  it("manualSeed makes every random op reproducible", () => {
    const draw = () => [tg.rand([5]).toArray(), tg.randn([3, 2]).toArray(), tg.randint(0, 100, [6]).toArray(), tg.randperm(6).toArray()];
    tg.manualSeed(42);
    const a = draw();
    tg.manualSeed(42);
    const b = draw();
    expect(b).toEqual(a);
    tg.manualSeed(43);
    expect(draw()).not.toEqual(a);
    expect([...(a[3] as number[])].sort()).toEqual([0, 1, 2, 3, 4, 5]);
  });
  it("rejects bad arguments", () => {
    expect(() => tg.rand([2], { dtype: "int32" })).toThrow(/rand: dtype must be float32 or float64/);
    expect(() => tg.randint(5, 5, [2])).toThrow(/randint: low must be less than high/);
    expect(() => tg.manualSeed(-1)).toThrow(/manualSeed: seed must be a non-negative integer/);
  });
});
