// Shapes, strides and broadcasting.
import { native } from "./native.js";
import { describe, positionalHint } from "./options.js";

export type Shape = readonly number[];
export type { Strided } from "./native.js";

// Indexed loops here and in the other per-tensor helpers: until V8 optimises a function (hundreds of
// steps into a training run), `for…of` runs the iterator protocol and allocates a result per element.
export function numelOf(shape: Shape): number {
  let n = 1;
  for (let i = 0; i < shape.length; ++i) n *= shape[i];
  return n;
}

// Shapes and strides are PACKED arrays (literals, slice, spread, push, packedMap), never HOLEY ones
// (new Array(n)): one hidden class for every shape keeps the functions that read them monomorphic.
export function contiguousStrides(shape: Shape): number[] {
  const s: number[] = [];
  for (let i = 0; i < shape.length; ++i) s.push(0);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; --i) {
    s[i] = acc;
    acc *= shape[i];
  }
  return s;
}

export function isContiguous(shape: Shape, strides: Shape): boolean {
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; --i) {
    if (shape[i] !== 1 && strides[i] !== acc) return false;
    acc *= shape[i];
  }
  return true;
}

export function sameShape(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; ++i) if (a[i] !== b[i]) return false;
  return true;
}

export function fmt(shape: Shape): string {
  return `[${shape.join(", ")}]`;
}

// numpy broadcasting: align right; each pair of sizes must match or one of them be 1.
export function broadcastShapes(a: Shape, b: Shape, op: string): number[] {
  if (sameShape(a, b)) return a as number[];
  const n = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < n; ++i) {
    const da = i - n + a.length >= 0 ? a[i - n + a.length] : 1;
    const db = i - n + b.length >= 0 ? b[i - n + b.length] : 1;
    if (da !== db && da !== 1 && db !== 1)
      throw new Error(`${op}: shapes ${fmt(a)} and ${fmt(b)} cannot be broadcast together (dim ${i}: ${da} vs ${db})`);
    out.push(da === 1 ? db : da);
  }
  return out;
}

export function normalizeDim(dim: number, ndim: number, op: string, newDimOf?: number): number {
  const lo = ndim === 0 ? -1 : -ndim, hi = ndim === 0 ? 0 : ndim - 1;
  // A string "0" is a wrong type, not a dim out of range (whose message would print it as 0).
  // So is a fractional or NaN number (PyTorch: TypeError).
  if (typeof dim !== "number" || !Number.isInteger(dim))
    throw new TypeError(`${op}: dim must be an integer, got ${describe(dim)}${positionalHint(dim, "dim")}`);
  if (dim < lo || dim > hi) {
    // A dim to insert (unsqueeze, stack; newDimOf = the tensor's dims) ranges over ndim + 1 places.
    const of = newDimOf === undefined ? `a tensor with ${ndim} dims` : `a new dim of a tensor with ${newDimOf} dims`;
    throw new RangeError(`${op}: dim ${dim} is out of range for ${of} (expected ${lo}..${hi})`);
  }
  return dim < 0 ? dim + Math.max(ndim, 1) : dim;
}

export function checkShape(shape: unknown, op: string): number[] {
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0))
    throw new TypeError(`${op}: shape must be an array of non-negative integers, got ${Array.isArray(shape) ? fmt(shape) : String(shape)}`);
  if (shape.length > native.maxDims) throw new RangeError(`${op}: at most ${native.maxDims} dims are supported`);
  return shape as number[];
}

// Beyond 2^50 elements no dtype fits in memory (or in a JS typed array's index range).
export const MAX_NUMEL = 2 ** 50;

// A shape to allocate: checkShape, and not beyond what memory can hold.
export function checkAllocShape(shape: unknown, op: string): number[] {
  return checkNumel(checkShape(shape, op), op);
}

function checkNumel(shape: number[], op: string): number[] {
  const n = numelOf(shape);
  if (n > MAX_NUMEL)
    throw new RangeError(`${op}: a tensor of shape ${fmt(shape)} would have ${n.toExponential(3)} elements ` +
      `(${(n * 4).toExponential(3)} bytes as float32), too large to allocate`);
  return shape;
}
