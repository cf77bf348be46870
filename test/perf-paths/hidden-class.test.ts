// Shapes, strides and the engine's per-step lists keep one hidden class in every V8 tier
// (lib/packed-map.ts): arrays made before and after the function making them is optimised by
// TurboFan have the map of a literal shape. A second class appearing only once a maker is optimised
// deoptimises every optimised function that reads shapes (the small MLP lost ~20 compilations to it).
// Uses V8's natives syntax, switched on for this test process through v8.setFlagsFromString.
import v8 from "node:v8";
import { describe, expect, it } from "vitest";
import { packedMap } from "../../lib/packed-map.js";
import { broadcastShapes, contiguousStrides } from "../../lib/shape.js";
import { expandBack, sumKernel } from "../../lib/ops/kernels.js";
import * as tg from "../../lib/index.js";

v8.setFlagsFromString("--allow-natives-syntax");
type AnyFn = (...args: never[]) => unknown;
const sameMap = new Function("a", "b", "return %HaveSameMap(a, b)") as (a: unknown, b: unknown) => boolean;
const prepare = new Function("f", "%PrepareFunctionForOptimization(f)") as (f: AnyFn) => void;
const optimizeNext = new Function("f", "%OptimizeFunctionOnNextCall(f)") as (f: AnyFn) => void;
const isOptimized = new Function("f", "return (%GetOptimizationStatus(f) & 16) !== 0") as (f: AnyFn) => boolean;

// Runs make() interpreted, then forces TurboFan on `fn` and runs make() again: both results.
function beforeAndAfter<T>(fn: AnyFn, make: () => T): [T, T, boolean] {
  prepare(fn);
  const first = make();
  make();
  optimizeNext(fn);
  const second = make();
  return [first, second, isOptimized(fn)];
}

const LITERAL_SHAPE = [3, 4];

describe("hidden classes of shapes across V8 tiers", () => {
  it("packedMap keeps a literal's map when its caller is optimised", () => {
    const dims = (a: number[]) => packedMap(a, (d) => d + 1);
    const [a, b, optimized] = beforeAndAfter(dims, () => dims([1, 2]));
    expect(optimized).toBe(true);
    expect(a).toEqual([2, 3]);
    expect(b).toEqual([2, 3]);
    expect(sameMap(a, LITERAL_SHAPE)).toBe(true);
    expect(sameMap(b, LITERAL_SHAPE)).toBe(true);
  });

  it("sumKernel's output shape and expandBack's strides keep one map", () => {
    const x = tg.randn([3, 4]);
    const [s1, s2, optimized] = beforeAndAfter(sumKernel, () => sumKernel(x, [true, false]).shape);
    expect(optimized).toBe(true);
    expect(s1).toEqual([1, 4]);
    expect(sameMap(s1, LITERAL_SHAPE)).toBe(true);
    expect(sameMap(s2, LITERAL_SHAPE)).toBe(true);
    const g = tg.randn([4]);
    const [t1, t2] = beforeAndAfter(expandBack, () => expandBack(g, [1, 4], [3, 4]).strides);
    expect(t1).toEqual([0, 1]);
    expect(sameMap(t1, LITERAL_SHAPE)).toBe(true);
    expect(sameMap(t2, LITERAL_SHAPE)).toBe(true);
  });

  it("contiguousStrides and broadcastShapes build packed arrays", () => {
    expect(contiguousStrides([2, 3, 4])).toEqual([12, 4, 1]);
    expect(sameMap(contiguousStrides([3, 4]), LITERAL_SHAPE)).toBe(true);
    expect(broadcastShapes([3, 1], [4], "test")).toEqual([3, 4]);
    expect(sameMap(broadcastShapes([3, 1], [4], "test"), LITERAL_SHAPE)).toBe(true);
  });
});
