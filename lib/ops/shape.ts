// Shape ops. Most are views: they share storage and only change shape/strides/offset.
//   reshape/view/squeeze/unsqueeze/flatten:  dx = g.reshape(x.shape)
//   transpose/permute:                        dx = g permuted back
//   expand:                                   dx = g summed over the expanded dims
//   narrow/slice/select:                      dx = zeros(x.shape) with g written into the same view
//   cat/stack:                                dx_i = the slice of g that x_i filled
import { Tensor } from "../tensor.js";
import { contiguousStrides, fmt, normalizeDim, numelOf, checkShape } from "../shape.js";
import { record } from "../autograd/node.js";
import { copyInto, contiguous } from "./copy.js";
import { sumTo } from "./reduce.js";
import { checkTensor } from "./elementwise.js";

export function dimOf(x: Tensor, dim: number, op: string): number {
  return normalizeDim(dim, checkTensor(x, op).ndim, op);
}

// Accepts f(2, 3), f([2, 3]) and f(...[2, 3]) alike.
export function shapeArgs(args: (number | number[])[]): number[] {
  return args.length === 1 && Array.isArray(args[0]) ? args[0] : (args as number[]);
}

function viewOf(x: Tensor, shape: number[], strides: number[], offset = x.offset): Tensor {
  return new Tensor(x.storage, shape, strides, offset, x.dtype);
}

function inferShape(x: Tensor, shape: number[], op: string): number[] {
  checkTensor(x, op);
  if (!Array.isArray(shape)) throw new TypeError(`${op}: the shape must be an array or separate sizes, got ${typeof shape}`);
  const free = shape.indexOf(-1);
  if (shape.some((d, i) => !Number.isInteger(d) || (d < 0 && !(d === -1 && i === free))) || shape.lastIndexOf(-1) !== free)
    throw new TypeError(`${op}: invalid shape ${fmt(shape)} (sizes are non-negative integers, at most one -1)`);
  const known = numelOf(shape.filter((_, i) => i !== free));
  const out = shape.slice();
  if (free >= 0) {
    if (known === 0 || x.numel % known !== 0)
      throw new Error(`${op}: shape ${fmt(shape)} is invalid for input of size ${x.numel}`);
    out[free] = x.numel / known;
  }
  if (numelOf(out) !== x.numel) throw new Error(`${op}: shape ${fmt(shape)} is invalid for input of size ${x.numel} (shape ${fmt(x.shape)})`);
  return checkShape(out, op);
}

function reshapeGrad(x: Tensor) {
  return (g: Tensor) => [reshape(g, x.shape)];
}

export function view(x: Tensor, shape: number[]): Tensor {
  const s = inferShape(x, shape, "view");
  if (!x.isContiguous())
    throw new Error(`view: the tensor (shape ${fmt(x.shape)}, strides ${fmt(x.strides)}) is not contiguous; use .reshape(...) or .contiguous().view(...)`);
  return record(viewOf(x, s, contiguousStrides(s)), "ViewBackward", [x], reshapeGrad(x));
}

// A view when the data is contiguous, otherwise a copy.
export function reshape(x: Tensor, shape: number[]): Tensor {
  const s = inferShape(x, shape, "reshape");
  const c = contiguous(x);
  return record(viewOf(c, s, contiguousStrides(s)), "ReshapeBackward", [c], reshapeGrad(c));
}

export function permute(x: Tensor, dims: number[]): Tensor {
  checkTensor(x, "permute");
  if (dims.length !== x.ndim) throw new Error(`permute: expected ${x.ndim} dims for shape ${fmt(x.shape)}, got ${fmt(dims)}`);
  const d = dims.map((k) => normalizeDim(k, x.ndim, "permute"));
  if (new Set(d).size !== d.length) throw new Error(`permute: repeated dim in ${fmt(dims)}`);
  const inv = new Array<number>(d.length);
  d.forEach((k, i) => (inv[k] = i));
  const out = viewOf(x, d.map((k) => x.shape[k]), d.map((k) => x.strides[k]));
  return record(out, "PermuteBackward", [x], (g) => [permute(g, inv)]);
}

export function transpose(x: Tensor, d0: number, d1: number): Tensor {
  const dims = [...checkTensor(x, "transpose").shape.keys()];
  const a = normalizeDim(d0, x.ndim, "transpose"), b = normalizeDim(d1, x.ndim, "transpose");
  [dims[a], dims[b]] = [dims[b], dims[a]];
  return permute(x, dims);
}

export function squeeze(x: Tensor, dim?: number): Tensor {
  checkTensor(x, "squeeze");
  const d = dim === undefined ? -1 : dimOf(x, dim, "squeeze");
  const keep = x.shape.map((s, i) => !(s === 1 && (d < 0 || i === d)));
  const out = viewOf(x, x.shape.filter((_, i) => keep[i]), x.strides.filter((_, i) => keep[i]));
  return record(out, "SqueezeBackward", [x], reshapeGrad(x));
}

export function unsqueeze(x: Tensor, dim: number): Tensor {
  const d = normalizeDim(dim, checkTensor(x, "unsqueeze").ndim + 1, "unsqueeze");
  const shape = x.shape.slice(), strides = x.strides.slice();
  shape.splice(d, 0, 1);
  strides.splice(d, 0, d < x.ndim ? x.strides[d] * x.shape[d] : 1);
  return record(viewOf(x, shape, strides), "UnsqueezeBackward", [x], reshapeGrad(x));
}

export function flatten(x: Tensor, startDim = 0, endDim = -1): Tensor {
  if (checkTensor(x, "flatten").ndim === 0) return reshape(x, [1]);
  const s = normalizeDim(startDim, x.ndim, "flatten"), e = normalizeDim(endDim, x.ndim, "flatten");
  if (s > e) throw new Error(`flatten: startDim ${startDim} comes after endDim ${endDim}`);
  return reshape(x, [...x.shape.slice(0, s), numelOf(x.shape.slice(s, e + 1)), ...x.shape.slice(e + 1)]);
}

// Broadcast to a larger shape as a view with stride 0 on the expanded dims (-1 keeps a size).
export function expand(x: Tensor, shape: readonly number[]): Tensor {
  const lead = shape.length - checkTensor(x, "expand").ndim;
  if (lead < 0) throw new Error(`expand: the target shape ${fmt(shape)} has fewer dims than the tensor ${fmt(x.shape)}`);
  const outShape = shape.map((s, i) => (s === -1 && i >= lead ? x.shape[i - lead] : s));
  const strides = outShape.map((s, i) => {
    const j = i - lead;
    if (j >= 0 && x.shape[j] === s) return x.strides[j];
    if (j < 0 || x.shape[j] === 1) return 0;
    throw new Error(`expand: the size ${x.shape[j]} at dim ${j} of ${fmt(x.shape)} must be 1 to expand to ${fmt(shape)}`);
  });
  checkShape(outShape, "expand");
  return record(viewOf(x, outShape, strides), "ExpandBackward", [x], (g) => [sumTo(g, x.shape)]);
}

// A view op that selects part of x: its gradient writes g into the same view of zeros.
function subview(x: Tensor, name: string, pick: (t: Tensor) => Tensor): Tensor {
  return record(pick(x), name, [x], (g) => {
    const gx = Tensor.empty(x.shape, g.dtype);
    copyInto(g, pick(gx));
    return [gx];
  });
}

export function slice(x: Tensor, dim: number, start = 0, end?: number, step = 1): Tensor {
  const d = dimOf(x, dim, "slice"), n = x.shape[d];
  if (!Number.isInteger(step) || step < 1) throw new RangeError(`slice: step must be a positive integer, got ${step}`);
  if (!Number.isInteger(start) || !(end === undefined || Number.isInteger(end)))
    throw new RangeError(`slice: start and end must be integers, got ${start} and ${end}`);
  const clampIdx = (i: number) => Math.min(Math.max(i < 0 ? i + n : i, 0), n);
  const s = clampIdx(start), e = Math.max(clampIdx(end ?? n), s);
  const len = Math.ceil((e - s) / step);
  return subview(x, "SliceBackward", (t) => {
    const shape = t.shape.slice(), strides = t.strides.slice();
    shape[d] = len;
    strides[d] = t.strides[d] * step;
    return viewOf(t, shape, strides, t.offset + s * t.strides[d]);
  });
}

export function narrow(x: Tensor, dim: number, start: number, length: number): Tensor {
  const d = dimOf(x, dim, "narrow"), n = x.shape[d];
  const s = start < 0 ? start + n : start;
  if (!Number.isInteger(s) || !Number.isInteger(length) || s < 0 || length < 0 || s + length > n)
    throw new RangeError(`narrow: start ${start} and length ${length} do not fit dim ${dim} of size ${n}`);
  return slice(x, d, s, s + length);
}

export function select(x: Tensor, dim: number, index: number): Tensor {
  const d = dimOf(x, dim, "select"), n = x.shape[d];
  const i = index < 0 ? index + n : index;
  if (!Number.isInteger(i) || i < 0 || i >= n) throw new RangeError(`select: index ${index} is out of range for dim ${dim} of size ${n}`);
  return subview(x, "SelectBackward", (t) =>
    viewOf(t, t.shape.filter((_, k) => k !== d), t.strides.filter((_, k) => k !== d), t.offset + i * t.strides[d]),
  );
}

export function cat(tensors: Tensor[], dim = 0): Tensor {
  if (!Array.isArray(tensors) || tensors.length === 0) throw new Error("cat: expected a non-empty array of tensors");
  tensors.forEach((t) => checkTensor(t, "cat"));
  const first = tensors[0];
  if (first.ndim === 0) throw new Error("cat: zero-dimensional tensors cannot be concatenated; use tg.stack, or unsqueeze(0) first");
  const d = normalizeDim(dim, first.ndim, "cat");
  for (const t of tensors)
    if (t.ndim !== first.ndim || t.dtype !== first.dtype || t.shape.some((s, i) => i !== d && s !== first.shape[i]))
      throw new Error(`cat: tensors must have the same dtype and shape except in dim ${dim}; got ${tensors.map((t) => `${fmt(t.shape)} ${t.dtype}`).join(", ")}`);
  const shape = first.shape.slice();
  shape[d] = tensors.reduce((n, t) => n + t.shape[d], 0);
  const out = Tensor.output(shape, first.dtype);
  const starts: number[] = [];
  let at = 0;
  for (const t of tensors) {
    starts.push(at);
    copyInto(t, slice(out, d, at, at + t.shape[d]));
    at += t.shape[d];
  }
  return record(out, "CatBackward", tensors, (g) => tensors.map((t, i) => slice(g, d, starts[i], starts[i] + t.shape[d])));
}

export function stack(tensors: Tensor[], dim = 0): Tensor {
  if (!Array.isArray(tensors) || tensors.length === 0) throw new Error("stack: expected a non-empty array of tensors");
  const d = normalizeDim(dim, checkTensor(tensors[0], "stack").ndim + 1, "stack");
  return cat(tensors.map((t) => unsqueeze(t, d)), d);
}
