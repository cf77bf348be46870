// Creating tensors: from JS data (copied), constant fills, ranges, and seeded random draws.
import { Tensor, type NestedArray } from "../tensor.js";
import { checkDType, dtypeOf, type DType } from "../dtype.js";
import { native } from "../native.js";
import { checkAllocShape, checkShape, fmt, numelOf } from "../shape.js";
import { convert, fill } from "./kernels.js";
import { checkFillValue } from "./copy.js";
import { converting } from "./write.js";
import { options } from "../options.js";
import { checkTensor, describe } from "./check.js";
import { fullArgs, randintArgs } from "./creation-calls.js";
// Type only: generator.ts imports randint from here, so a value import would make a cycle.
import type { Generator } from "../generator.js";
import { refuseSurplus } from "../arity.js";

export interface TensorOptions {
  dtype?: DType;
  requiresGrad?: boolean;
  /** PyTorch's `device=`: only "cpu" (every tensor's `device`), which changes nothing; another device throws. */
  device?: "cpu";
}
export interface DataOptions extends TensorOptions {
  shape?: number[];
}

type Data = NestedArray | Float32Array | Float64Array | Int32Array;

const TENSOR_OPTIONS = ["dtype", "requiresGrad"] as const;
// The options of a creation op, checked (unknown keys throw with the likely spelling).
function checkOpts<T extends TensorOptions>(op: string, o: T | undefined, extra: readonly (keyof T & string)[] = []): T {
  if (typeof o === "number") throw new TypeError(`${op}: got the number ${o} where the options object {dtype, requiresGrad} goes`);
  return options(op, o, [...TENSOR_OPTIONS, ...extra] as (keyof T & string)[]) as T;
}

/**
 * A shape as PyTorch's creation functions take it: one array (`zeros([2, 3])`) or the sizes themselves
 * (`zeros(2, 3)`), either followed by an options object (`zeros(2, 3, {dtype: "float64"})`).
 */
export type SizeArgs = [shape: number[], opts?: TensorOptions] | [...sizes: number[]] | [...sizes: number[], opts: TensorOptions];

// Splits SizeArgs into the shape (unchecked: checkAllocShape names the bad size) and the options.
function sizeArgs(op: string, args: unknown[]): [number[], TensorOptions | undefined] {
  if (Array.isArray(args[0])) {
    if (args.length > 2 || typeof args[1] === "number") throw new TypeError(`${op}: after the shape array ${fmt(args[0])} only an options object may follow, got ${args.length - 1} more arguments`);
    return [args[0], args[1] as TensorOptions | undefined];
  }
  const last = args[args.length - 1];
  const hasOpts = typeof last === "object" && last !== null;
  const sizes = hasOpts ? args.slice(0, -1) : args;
  if (sizes.length === 0) throw new TypeError(`${op}: missing the shape: ${op}(2, 3) or ${op}([2, 3]) (${op}([]) is 0-d)`);
  sizes.forEach((v, i) => {
    if (typeof v !== "number") throw new TypeError(`${op}: size ${i} must be a number (or pass one shape array), got ${describe(v)}`);
  });
  return [sizes as number[], hasOpts ? (last as TensorOptions) : undefined];
}

function finish(t: Tensor, opts: TensorOptions): Tensor {
  if (opts.requiresGrad) t.requiresGrad_(true);
  return t;
}

// What to pass instead of a value tensor() cannot take (PyTorch's torch.tensor copies a tensor, with a warning).
function dataHint(d: unknown): string {
  if (d instanceof Tensor) return " (copy a tensor with t.clone(), or t.detach().clone() for a copy outside the graph; stack a list of them with tg.stack)";
  if (typeof d === "boolean") return " (no bool dtype: pass 0 and 1, e.g. with {dtype: \"int32\"})";
  return "";
}

// Shape of nested arrays, checking they are rectangular.
function inferShape(data: NestedArray): number[] {
  const shape: number[] = [];
  for (let d: NestedArray = data; Array.isArray(d); d = d[0]) shape.push(d.length);
  const check = (d: NestedArray, dim: number) => {
    if (dim === shape.length) {
      if (typeof d !== "number") throw new TypeError(`tensor: expected a number at depth ${dim}, got ${Array.isArray(d) ? "an array" : (d as unknown) instanceof Tensor ? "a Tensor" : typeof d}${dataHint(d)}`);
      return;
    }
    if (!Array.isArray(d) || d.length !== shape[dim])
      throw new Error(`tensor: ragged nested array: expected length ${shape[dim]} at depth ${dim}, got ${Array.isArray(d) ? d.length : typeof d}`);
    for (const e of d) check(e, dim + 1);
  };
  check(data, 0);
  return shape;
}

/**
 * A tensor from nested arrays, a number (0-d) or a typed array; always copies. Plain numbers default to
 * float32 (JS cannot tell 2 from 2.0); typed arrays keep their dtype unless `dtype` is given. Mirrors `torch.tensor`.
 * @param options - `shape` (reshape the flat data), `dtype`, `requiresGrad`.
 * @throws TypeError for a non-number element; Error for ragged arrays or data that cannot fill `shape`.
 */
export function tensor(data: Data, options: DataOptions = {}): Tensor {
  refuseSurplus(tensor, arguments.length, options);
  const opts = checkOpts("tensor", options, ["shape"]);
  const isTyped = ArrayBuffer.isView(data);
  const dtype = opts.dtype ? checkDType(opts.dtype, "tensor") : isTyped ? dtypeOf(data as Float32Array) : "float32";
  const shape = isTyped ? [(data as Float32Array).length] : inferShape(data as NestedArray);
  const flat = isTyped ? (data as Float32Array) : typeof data === "number" ? [data] : (data as unknown[]).flat(Infinity) as number[];
  const finalShape = opts.shape ? checkAllocShape(opts.shape, "tensor") : shape;
  if (numelOf(finalShape) !== flat.length)
    throw new Error(`tensor: ${flat.length} values cannot fill shape ${fmt(finalShape)}`);
  // Numbers into int32 go through the checked conversion: a value int32 cannot hold throws rather than wraps.
  const direct = dtype !== "int32" || data instanceof Int32Array;
  const t = Tensor.empty(finalShape, direct ? dtype : "float64");
  t.storage.set(flat as ArrayLike<number>);
  if (direct) return finish(t, opts);
  try {
    return finish(converting("tensor", () => convert(t, "int32")), opts);
  } finally {
    t.dispose();
  }
}

/**
 * A tensor of `shape` filled with `value`: `full([2, 3], 7)`. Options `dtype` (default float32), `requiresGrad`.
 * Mirrors `torch.full(size, fill_value)`: the size is one array, never the sizes themselves as in `zeros(2, 3)`.
 * @throws TypeError when the size is not one array or the fill value is missing (the message shows the call meant:
 *   `full(2, 2, 7)` → `full([2, 2], 7)`), or the value is not a number; RangeError for a negative or non-integer
 *   size, or a value int32 cannot hold; Error for an unknown option.
 */
export function full(shape: number[], value: number, o?: TensorOptions): Tensor;
export function full(...args: unknown[]): Tensor {
  const [shape, value, o] = fullArgs(args);
  return filled("full", shape, o, value);
}

function filled(op: string, shape: number[], o: TensorOptions | undefined, value: number): Tensor {
  const opts = checkOpts(op, o);
  const dtype = checkDType(opts.dtype ?? "float32", op);
  checkFillValue(value, dtype, op);
  const t = Tensor.empty(checkAllocShape(shape, op), dtype);
  if (value !== 0) fill(t, value);
  return finish(t, opts);
}
/**
 * A tensor of the given shape filled with 0: `zeros(2, 3)` or `zeros([2, 3])`, then options as {@link full}.
 * Mirrors `torch.zeros`.
 * @throws RangeError for a negative or non-integer size; TypeError for a non-number size or no shape.
 */
export function zeros(...args: SizeArgs): Tensor {
  return filled("zeros", ...sizeArgs("zeros", args), 0);
}
/**
 * A tensor of the given shape filled with 1: `ones(2, 3)` or `ones([2, 3])`, then options as {@link full}.
 * Mirrors `torch.ones`.
 * @throws RangeError for a negative or non-integer size; TypeError for a non-number size or no shape.
 */
export function ones(...args: SizeArgs): Tensor {
  return filled("ones", ...sizeArgs("ones", args), 1);
}
/**
 * A tensor of the given shape (`empty(2, 3)` or `empty([2, 3])`, options `dtype`, `requiresGrad`) whose
 * contents are unspecified, as PyTorch's uninitialised memory: tensorgrad reuses freed tensor memory
 * without clearing it, so the values may be anything (fresh memory from the OS happens to be 0).
 * Write every element before reading one. Mirrors `torch.empty`.
 * @throws RangeError for a negative or non-integer size; TypeError for a non-number size or no shape.
 */
export function empty(...args: SizeArgs): Tensor {
  const [shape, o] = sizeArgs("empty", args);
  const opts = checkOpts("empty", o);
  return finish(Tensor.output(checkAllocShape(shape, "empty"), checkDType(opts.dtype ?? "float32", "empty")), opts);
}
// t's shape for op(t) (checked first, so a non-tensor is named), and the options with t's dtype as default.
const likeShape = (t: Tensor, op: string) => checkTensor(t, op).shape;
const likeOpts = (t: Tensor, opts: TensorOptions, op: string) => ({ dtype: t.dtype, ...checkOpts(op, opts) });
/**
 * Zeros of `t`'s shape and dtype (options override). Mirrors `torch.zeros_like`.
 */
export function zerosLike(t: Tensor, opts: TensorOptions = {}): Tensor {
  refuseSurplus(zerosLike, arguments.length, opts);
  return full(likeShape(t, "zerosLike"), 0, likeOpts(t, opts, "zerosLike"));
}
/**
 * Ones of `t`'s shape and dtype (options override). Mirrors `torch.ones_like`.
 */
export function onesLike(t: Tensor, opts: TensorOptions = {}): Tensor {
  refuseSurplus(onesLike, arguments.length, opts);
  return full(likeShape(t, "onesLike"), 1, likeOpts(t, opts, "onesLike"));
}
/**
 * `value` in `t`'s shape and dtype (options override). Mirrors `torch.full_like`.
 */
export function fullLike(t: Tensor, value: number, opts: TensorOptions = {}): Tensor {
  refuseSurplus(fullLike, arguments.length, opts);
  return full(likeShape(t, "fullLike"), value, likeOpts(t, opts, "fullLike"));
}
/**
 * An uninitialised tensor of `t`'s shape and dtype (options override; contents as {@link empty}). Mirrors `torch.empty_like`.
 */
export function emptyLike(t: Tensor, opts: TensorOptions = {}): Tensor {
  refuseSurplus(emptyLike, arguments.length, opts);
  return empty(likeShape(t, "emptyLike"), likeOpts(t, opts, "emptyLike"));
}

// An int32 range whose ends (and so every value between) int32 holds.
function checkIntRange(first: number, last: number, op: string): void {
  for (const v of [first, last])
    if (!(v > -2147483649 && v < 2147483648))
      throw new RangeError(`${op}: the value ${v} does not fit in int32 (PyTorch would use int64); pass {dtype: "float64"}`);
}

// The leading numbers of a call whose optional numbers may be left out before its options object, as
// PyTorch's keywords allow (`torch.arange(5, dtype=...)` is `tg.arange(5, {dtype})`): the numbers given
// (undefined keeps a default) and the options, or a TypeError naming the argument in the wrong place.
function numbersThenOptions(op: string, given: unknown[], names: readonly string[], required: number): [(number | undefined)[], TensorOptions] {
  let end = given.length;
  while (end > 0 && given[end - 1] === undefined) end--;
  const args = given.slice(0, end), last = args[args.length - 1];
  const hasOpts = last !== null && typeof last === "object" && !Array.isArray(last);
  const nums = hasOpts ? args.slice(0, -1) : args;
  if (nums.length > names.length)
    throw new TypeError(`${op}: takes at most ${names.length} numbers (${names.join(", ")}) then an options object, got ${args.length} arguments`);
  nums.forEach((v, i) => {
    if (!(typeof v === "number" || (v === undefined && i >= required)))
      throw new TypeError(`${op}: ${names[i]} must be a number, got ${describe(v)}` +
        (i < required ? ` (${op} needs ${names.slice(0, required).join(", ")} before the options object)` : ""));
  });
  if (nums.length < required)
    throw new TypeError(`${op}: missing ${names.slice(nums.length, required).join(", ")} (${op} needs ${names.slice(0, required).join(", ")})`);
  return [nums as (number | undefined)[], checkOpts(op, hasOpts ? (last as TensorOptions) : undefined)];
}

/**
 * `arange(end)`, `arange(start, end)` or `arange(start, end, step)`, each optionally followed by the options
 * (`arange(5, {dtype: "float64"})`): the values [start, end) in steps, `[⌈(end − start)/step⌉]`;
 * int32 when all arguments are integers, else float32 (or `dtype`). Mirrors `torch.arange`.
 * @throws RangeError for step 0, a non-finite bound, end on the wrong side of start for the step's sign, or
 *   integer values int32 cannot hold; TypeError for a non-number bound.
 */
export function arange(end: number, opts?: TensorOptions): Tensor;
export function arange(start: number, end: number, opts?: TensorOptions): Tensor;
export function arange(start: number, end?: number, step?: number, opts?: TensorOptions): Tensor;
export function arange(...args: unknown[]): Tensor {
  const [[first, second, step = 1], opts] = numbersThenOptions("arange", args, ["start", "end", "step"], 1);
  const [start, end] = second === undefined ? [0, first!] : [first!, second];
  if (step === 0 || !Number.isFinite(start) || !Number.isFinite(end) || !Number.isFinite(step))
    throw new RangeError(`arange: invalid range start=${start} end=${end} step=${step}`);
  // As PyTorch: a step away from end is a mistake (arange(10, 0) meant step -1), not an empty range.
  if ((end - start) * step < 0)
    throw new RangeError(`arange: end ${end} lies on the wrong side of start ${start} for step ${step} (PyTorch: "upper bound and ` +
      `larger bound inconsistent with step sign"); ${step > 0 ? `pass a negative step, arange(${start}, ${end}, -1)` : "pass a positive step"}`);
  const n = Math.max(0, Math.ceil((end - start) / step));  // max: +0, not the -0 of ceil(0 / -1)
  const allInt = Number.isInteger(start) && Number.isInteger(end) && Number.isInteger(step);
  const t = Tensor.empty([n], checkDType(opts.dtype ?? (allInt ? "int32" : "float32"), "arange"));
  if (t.dtype === "int32") checkIntRange(start, start + (n - 1) * step, "arange");
  native.arange(t.storage, start, step);
  return finish(t, opts);
}

/**
 * `steps` evenly spaced values from start to end, both included, `[steps]` (float32 unless `dtype`).
 * Mirrors `torch.linspace`.
 * @throws RangeError for a negative or non-integer steps.
 */
export function linspace(start: number, end: number, steps: number, options?: TensorOptions): Tensor {
  refuseSurplus(linspace, arguments.length, options);
  const [, opts] = numbersThenOptions("linspace", [start, end, steps, options], ["start", "end", "steps"], 3);
  if (!Number.isInteger(steps) || steps < 0) throw new RangeError(`linspace: steps must be a non-negative integer, got ${steps}`);
  const t = Tensor.empty([steps], checkDType(opts.dtype ?? "float32", "linspace"));
  if (t.dtype === "int32") checkIntRange(start, end, "linspace");
  native.arange(t.storage, start, steps > 1 ? (end - start) / (steps - 1) : 0);
  return finish(t, opts);
}

/**
 * The identity matrix `[n, m]` (m defaults to n): `eye(n)`, `eye(n, m)`, each optionally followed by the
 * options (`eye(3, {dtype: "float64"})`). Mirrors `torch.eye`.
 * @throws RangeError for a negative or non-integer size; TypeError for a non-number size.
 */
export function eye(n: number, opts?: TensorOptions): Tensor;
export function eye(n: number, m?: number, opts?: TensorOptions): Tensor;
export function eye(...args: unknown[]): Tensor {
  const [[n, m = n], opts] = numbersThenOptions("eye", args, ["n", "m"], 1);
  const t = zeros(checkAllocShape([n!, m!], "eye"), opts);
  fill(new Tensor(t.storage, [Math.min(n!, m!)], [m! + 1], 0, t.dtype), 1);
  return t;
}

/**
 * Seeds the global generator every random op draws from (rand, randn, randint, randperm, dropout,
 * nn.init, DataLoader shuffling), so a run is reproducible. Mirrors `torch.manual_seed`.
 * @throws RangeError for a negative or non-integer seed.
 */
export function manualSeed(seed: number): void {
  refuseSurplus(manualSeed, arguments.length);
  if (!Number.isInteger(seed) || seed < 0) throw new RangeError(`manualSeed: seed must be a non-negative integer, got ${seed}`);
  native.manualSeed(seed);
}

function floatOpts(opts: TensorOptions, op: string): DType {
  const d = checkDType(opts.dtype ?? "float32", op);
  if (d === "int32") throw new TypeError(`${op}: dtype must be float32 or float64`);
  return d;
}

/**
 * Uniform draws from [0, 1), float32 or float64, of the given shape: `rand(2, 3)` or `rand([2, 3])`,
 * then options `dtype`, `requiresGrad`. Mirrors `torch.rand`.
 * @throws TypeError for an int32 dtype, a non-number size or no shape; RangeError for a bad size.
 */
export function rand(...args: SizeArgs): Tensor {
  const [shape, o] = sizeArgs("rand", args);
  const opts = checkOpts("rand", o);
  const t = Tensor.empty(checkAllocShape(shape, "rand"), floatOpts(opts, "rand"));
  native.randUniform(t.storage, 0, 1);
  return finish(t, opts);
}
/**
 * Standard normal draws, float32 or float64, of the given shape: `randn(2, 3)` or `randn([2, 3])`,
 * then options `dtype`, `requiresGrad`. Mirrors `torch.randn`.
 * @throws TypeError for an int32 dtype, a non-number size or no shape; RangeError for a bad size.
 */
export function randn(...args: SizeArgs): Tensor {
  const [shape, o] = sizeArgs("randn", args);
  const opts = checkOpts("randn", o);
  const t = Tensor.empty(checkAllocShape(shape, "randn"), floatOpts(opts, "randn"));
  native.randNormal(t.storage, 0, 1);
  return finish(t, opts);
}
/**
 * Uniform random integers in `[low, high)` from the seeded generator (`tg.manualSeed`). Mirrors
 * `torch.randint(low, high, size)` and `torch.randint(high, size)` (low 0); the default dtype is int32 (tensorgrad has no int64).
 * @param shape - the output shape, one array: `randint(0, 10, [2, 3])`.
 * @param o - `dtype` (default `"int32"`; a float dtype holds the same integers), `requiresGrad` (floats only).
 * @throws TypeError when the size is not one array after low and high (or after high alone); the message shows the
 *   call meant: `randint(0, 10, 5)` → `randint(0, 10, [5])`. RangeError when low or high is not an integer within
 *   int32 or low ≥ high; Error for an unknown option.
 */
export function randint(low: number, high: number, shape: number[], o?: TensorOptions): Tensor;
/** `torch.randint(high, size)`: low is 0. */
export function randint(high: number, shape: number[], o?: TensorOptions): Tensor;
export function randint(...args: unknown[]): Tensor {
  const [low, high, shape, o] = randintArgs(args);
  const opts = checkOpts("randint", o);
  for (const [name, v] of [["low", low], ["high", high]] as const)
    if (!Number.isInteger(v) || v < -(2 ** 31) || v > 2 ** 31)
      throw new RangeError(`randint: ${name} must be an integer within int32, got ${typeof v === "number" ? v : describe(v)}`);
  if (!(low < high)) throw new RangeError(`randint: low must be less than high, got low=${low} high=${high}`);
  const t = Tensor.empty(checkAllocShape(shape as number[], "randint"), "int32");
  native.randInt(t.storage as Int32Array, low, high);
  const dtype = checkDType(opts.dtype ?? "int32", "randint");
  return finish(dtype === "int32" ? t : convert(t, dtype), opts);
}
/**
 * A random permutation of 0..n-1, int32 `[n]` (mirrors `torch.randperm(n, generator=g)`): from the
 * global stream (tg.manualSeed), or from `generator` (a tg.Generator) when given.
 */
export function randperm(n: number, opts: { generator?: Generator; device?: "cpu" } = {}): Tensor {
  refuseSurplus(randperm, arguments.length, opts);
  const { generator } = options("randperm", opts, ["generator", "device"]);
  if (generator !== undefined) {
    if (typeof (generator as Generator | null)?.randperm !== "function") throw new TypeError("randperm: generator must be a tg.Generator");
    return tensor(generator.randperm(checkShape([n], "randperm")[0]));
  }
  const t = Tensor.empty(checkAllocShape([n], "randperm"), "int32");
  native.randPerm(t.storage as Int32Array);
  return t;
}
/**
 * Uniform [0, 1) draws of `t`'s shape and dtype. Mirrors `torch.rand_like`.
 */
export function randLike(t: Tensor, opts: TensorOptions = {}): Tensor {
  refuseSurplus(randLike, arguments.length, opts);
  return rand(likeShape(t, "randLike"), likeOpts(t, opts, "randLike"));
}
/**
 * Standard normal draws of `t`'s shape and dtype. Mirrors `torch.randn_like`.
 */
export function randnLike(t: Tensor, opts: TensorOptions = {}): Tensor {
  refuseSurplus(randnLike, arguments.length, opts);
  return randn(likeShape(t, "randnLike"), likeOpts(t, opts, "randnLike"));
}
