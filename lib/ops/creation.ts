// Creating tensors: from JS data (copied), constant fills, ranges, and seeded random draws.
import { Tensor, type NestedArray } from "../tensor.js";
import { checkDType, dtypeOf, type DType } from "../dtype.js";
import { native } from "../native.js";
import { checkShape, fmt, numelOf } from "../shape.js";
import { fillInto } from "./copy.js";
import { options } from "../options.js";
import { Generator } from "../generator.js";

export interface TensorOptions {
  dtype?: DType;
  requiresGrad?: boolean;
}
export interface DataOptions extends TensorOptions {
  shape?: number[];
}

type Data = NestedArray | Float32Array | Float64Array | Int32Array;

function finish(t: Tensor, opts: TensorOptions): Tensor {
  if (opts.requiresGrad) t.requiresGrad_(true);
  return t;
}

// Shape of nested arrays, checking they are rectangular.
function inferShape(data: NestedArray): number[] {
  const shape: number[] = [];
  for (let d: NestedArray = data; Array.isArray(d); d = d[0]) shape.push(d.length);
  const check = (d: NestedArray, dim: number) => {
    if (dim === shape.length) {
      if (typeof d !== "number") throw new TypeError(`tensor: expected a number at depth ${dim}, got ${Array.isArray(d) ? "an array" : typeof d}`);
      return;
    }
    if (!Array.isArray(d) || d.length !== shape[dim])
      throw new Error(`tensor: ragged nested array: expected length ${shape[dim]} at depth ${dim}, got ${Array.isArray(d) ? d.length : typeof d}`);
    for (const e of d) check(e, dim + 1);
  };
  check(data, 0);
  return shape;
}

// tg.tensor(data, {shape?, dtype?, requiresGrad?}): always copies. Plain numbers default to
// float32 (JS cannot tell 2 from 2.0); typed arrays keep their own dtype unless one is given.
export function tensor(data: Data, opts: DataOptions = {}): Tensor {
  const isTyped = ArrayBuffer.isView(data);
  const dtype = opts.dtype ? checkDType(opts.dtype, "tensor") : isTyped ? dtypeOf(data as Float32Array) : "float32";
  const shape = isTyped ? [(data as Float32Array).length] : inferShape(data as NestedArray);
  const flat = isTyped ? (data as Float32Array) : typeof data === "number" ? [data] : (data as unknown[]).flat(Infinity) as number[];
  const finalShape = opts.shape ? checkShape(opts.shape, "tensor") : shape;
  if (numelOf(finalShape) !== flat.length)
    throw new Error(`tensor: ${flat.length} values cannot fill shape ${fmt(finalShape)}`);
  const t = Tensor.empty(finalShape, dtype);
  t.storage.set(flat as ArrayLike<number>);
  return finish(t, opts);
}

export function full(shape: number[], value: number, opts: TensorOptions = {}): Tensor {
  const t = Tensor.empty(checkShape(shape, "full"), checkDType(opts.dtype ?? "float32", "full"));
  if (value !== 0) fillInto(t, t.storage, value);
  return finish(t, opts);
}
export const zeros = (shape: number[], opts: TensorOptions = {}) => full(shape, 0, opts);
export const ones = (shape: number[], opts: TensorOptions = {}) => full(shape, 1, opts);
const likeOpts = (t: Tensor, opts: TensorOptions) => ({ dtype: t.dtype, ...opts });
export const zerosLike = (t: Tensor, opts: TensorOptions = {}) => full(t.shape, 0, likeOpts(t, opts));
export const onesLike = (t: Tensor, opts: TensorOptions = {}) => full(t.shape, 1, likeOpts(t, opts));
export const fullLike = (t: Tensor, value: number, opts: TensorOptions = {}) => full(t.shape, value, likeOpts(t, opts));

// arange(end) or arange(start, end, step?), like torch.arange: [start, end) in steps.
export function arange(start: number, end?: number, step = 1, opts: TensorOptions = {}): Tensor {
  if (end === undefined) [start, end] = [0, start];
  if (step === 0 || !Number.isFinite(start) || !Number.isFinite(end) || !Number.isFinite(step))
    throw new RangeError(`arange: invalid range start=${start} end=${end} step=${step}`);
  const n = Math.max(0, Math.ceil((end - start) / step));
  const allInt = Number.isInteger(start) && Number.isInteger(end) && Number.isInteger(step);
  const t = Tensor.empty([n], checkDType(opts.dtype ?? (allInt ? "int32" : "float32"), "arange"));
  native.arange(t.storage, start, step);
  return finish(t, opts);
}

export function linspace(start: number, end: number, steps: number, opts: TensorOptions = {}): Tensor {
  if (!Number.isInteger(steps) || steps < 0) throw new RangeError(`linspace: steps must be a non-negative integer, got ${steps}`);
  const t = Tensor.empty([steps], checkDType(opts.dtype ?? "float32", "linspace"));
  native.arange(t.storage, start, steps > 1 ? (end - start) / (steps - 1) : 0);
  return finish(t, opts);
}

export function eye(n: number, m = n, opts: TensorOptions = {}): Tensor {
  const t = zeros([n, m], opts);
  fillInto({ shape: [Math.min(n, m)], strides: [m + 1], offset: 0 }, t.storage, 1);
  return t;
}

export function manualSeed(seed: number): void {
  if (!Number.isInteger(seed) || seed < 0) throw new RangeError(`manualSeed: seed must be a non-negative integer, got ${seed}`);
  native.manualSeed(seed);
}

function floatOpts(opts: TensorOptions, op: string): DType {
  const d = checkDType(opts.dtype ?? "float32", op);
  if (d === "int32") throw new TypeError(`${op}: dtype must be float32 or float64`);
  return d;
}

export function rand(shape: number[], opts: TensorOptions = {}): Tensor {
  const t = Tensor.empty(checkShape(shape, "rand"), floatOpts(opts, "rand"));
  native.randUniform(t.storage, 0, 1);
  return finish(t, opts);
}
export function randn(shape: number[], opts: TensorOptions = {}): Tensor {
  const t = Tensor.empty(checkShape(shape, "randn"), floatOpts(opts, "randn"));
  native.randNormal(t.storage, 0, 1);
  return finish(t, opts);
}
// Integers in [low, high), int32.
export function randint(low: number, high: number, shape: number[]): Tensor {
  const t = Tensor.empty(checkShape(shape, "randint"), "int32");
  native.randInt(t.storage as Int32Array, low, high);
  return t;
}
/**
 * A random permutation of 0..n-1, int32 `[n]` (mirrors `torch.randperm(n, generator=g)`): from the
 * global stream (tg.manualSeed), or from `generator` (a tg.Generator) when given.
 */
export function randperm(n: number, opts: { generator?: Generator } = {}): Tensor {
  const { generator } = options("randperm", opts, ["generator"]);
  if (generator !== undefined) {
    if (!(generator instanceof Generator)) throw new TypeError("randperm: generator must be a tg.Generator");
    return tensor(generator.randperm(checkShape([n], "randperm")[0]));
  }
  const t = Tensor.empty(checkShape([n], "randperm"), "int32");
  native.randPerm(t.storage as Int32Array);
  return t;
}
export const randLike = (t: Tensor, opts: TensorOptions = {}) => rand(t.shape, likeOpts(t, opts));
export const randnLike = (t: Tensor, opts: TensorOptions = {}) => randn(t.shape, likeOpts(t, opts));
