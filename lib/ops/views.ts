// View and shape ops. Most are views: they share storage and only change shape/strides/offset.
// Their rules save no tensor, only shapes:
//   view/reshape/squeeze/unsqueeze/flatten:  dx = g viewed as x's shape
//   permute/transpose:                        dx = g permuted back
//   expand:                                   dx = g summed over the expanded dims
//   slice/select/narrow:                      dx = zeros(x.shape) with g written into the same view
//   cat/stack:                                dx_i = the slice of g that x_i filled
import { Tensor } from "../tensor.js";
import { contiguousStrides, fmt, normalizeDim, numelOf, checkShape, sameShape } from "../shape.js";
import { isGradEnabled } from "../autograd/grad-mode.js";
import { defineOp } from "./define.js";
import { checkTensor, dimArgument, dimOf, shapeArgs, type DimOptions } from "./check.js";
import { convert, copyInto, scatterView, sumTo, viewAs } from "./kernels.js";
import { isFloat, promote, type DType } from "../dtype.js";
import { args, vals } from "./samples.js";

type Sizes = (number | number[])[];
const x23 = () => args(vals([2, 3]));

// A dim that an op indexes into: a 0-d tensor has none (PyTorch: "select() cannot be applied to a 0-dim tensor").
function indexedDim(x: Tensor, dim: number, op: string): number {
  if (checkTensor(x, op).ndim === 0)
    throw new RangeError(`${op}: cannot be applied to a 0-d tensor (dimension specified as ${dim} but the tensor has no dimensions); reshape it to [1] first`);
  return dimOf(x, dim, op);
}

// A view of x's memory: its base is x's base (or x), whose history epoch it copies (view-history.ts).
export function viewOf(x: Tensor, shape: number[], strides: number[], offset = x.offset): Tensor {
  const v = new Tensor(x.storage, shape, strides, offset, x.dtype);
  const base = (v.base = x.base ?? x);
  v.historyEpoch = base.historyEpoch;
  if (x.viewWithoutGrad || (base.requiresGrad && !isGradEnabled())) v.viewWithoutGrad = true;
  return v;
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
    if (known === 0 || x.numel() % known !== 0)
      throw new Error(`${op}: shape ${fmt(shape)} is invalid for input of size ${x.numel()}`);
    out[free] = x.numel() / known;
  }
  if (numelOf(out) !== x.numel()) throw new Error(`${op}: shape ${fmt(shape)} is invalid for input of size ${x.numel()} (shape ${fmt(x.shape)})`);
  return checkShape(out, op);
}

// The rule of every op that only regroups x's elements: g viewed as x's shape.
interface ShapeCtx {
  shape: number[];
}
const unview = (c: ShapeCtx, g: Tensor) => [viewAs(g, c.shape)];

export const view = defineOp({
  name: "view", doc: "the same elements as a new shape (one size may be -1); contiguous inputs only",
  method(this: Tensor, ...shape: Sizes): Tensor { return view(this, shapeArgs(shape)); },
  sample: () => args(vals([2, 3]), [-1]),
  forward(x: Tensor, shape: number[]): Tensor {
    const s = inferShape(x, shape, "view");
    if (!x.isContiguous())
      throw new Error(`view: the tensor (shape ${fmt(x.shape)}, strides ${fmt(x.strides)}) is not contiguous; use .reshape(...) or .contiguous().view(...)`);
    return this.record(viewOf(x, s, contiguousStrides(s)), [x], { shape: x.shape });
  },
  backward: unview,
});

export const reshape = defineOp({
  name: "reshape", doc: "the same elements as a new shape: a view when the data is contiguous, else a copy",
  method(this: Tensor, ...shape: Sizes): Tensor { return reshape(this, shapeArgs(shape)); },
  sample: () => args(vals([2, 3]), [3, 2]),
  forward(x: Tensor, shape: number[]): Tensor {
    const s = inferShape(x, shape, "reshape");
    return this.record(x.isContiguous() ? viewOf(x, s, contiguousStrides(s)) : viewAs(x, s), [x], { shape: x.shape });
  },
  backward: unview,
});

interface PermuteCtx {
  inverse: number[];
}

export const permute = defineOp({
  name: "permute", doc: "the dims reordered (a view)",
  method(this: Tensor, ...dims: Sizes): Tensor { return permute(this, shapeArgs(dims)); },
  sample: () => args(vals([2, 3]), [1, 0]),
  forward(x: Tensor, dims: number[]): Tensor {
    checkTensor(x, "permute");
    if (!Array.isArray(dims) || dims.length !== x.ndim) throw new Error(`permute: expected ${x.ndim} dims for shape ${fmt(x.shape)}, got ${Array.isArray(dims) ? fmt(dims) : String(dims)}`);
    const d = dims.map((k) => normalizeDim(k, x.ndim, "permute"));
    if (new Set(d).size !== d.length) throw new Error(`permute: repeated dim in ${fmt(dims)}`);
    const inverse = new Array<number>(d.length);
    d.forEach((k, i) => (inverse[k] = i));
    return this.record(viewOf(x, d.map((k) => x.shape[k]), d.map((k) => x.strides[k])), [x], { inverse });
  },
  backward: ({ inverse }: PermuteCtx, g) => [viewOf(g, inverse.map((k) => g.shape[k]), inverse.map((k) => g.strides[k]))],
});

export const transpose = defineOp({
  name: "transpose", doc: "dims dim0 and dim1 swapped (a view)", method: true, sample: () => args(vals([2, 3]), 0, 1),
  forward(x: Tensor, dim0: number, dim1: number): Tensor {
    const dims = [...checkTensor(x, "transpose").shape.keys()];
    const a = normalizeDim(dim0, x.ndim, "transpose"), b = normalizeDim(dim1, x.ndim, "transpose");
    // A 0-d tensor's one valid dim (0 or -1, as PyTorch) names no axis: nothing to swap.
    if (x.ndim > 0) [dims[a], dims[b]] = [dims[b], dims[a]];
    return permute(x, dims);
  },
});

export const t = defineOp({
  name: "t", doc: "a matrix transposed (tensors of up to 2 dims)", method: "only", sample: x23,
  forward(x: Tensor): Tensor {
    if (checkTensor(x, "t").ndim > 2) throw new Error(`t: expects a tensor with <= 2 dims, got ${x.ndim}; use transpose(d0, d1)`);
    return x.ndim < 2 ? x : transpose(x, 0, 1);
  },
});

export const squeeze = defineOp({
  name: "squeeze", doc: "size-1 dims removed (all, or only dim)", method: true, sample: () => args(vals([2, 1, 3])),
  forward(x: Tensor, dimOrOptions?: number | DimOptions): Tensor {
    checkTensor(x, "squeeze");
    const dim = dimArgument("squeeze", dimOrOptions);
    const d = dim === undefined ? -1 : dimOf(x, dim, "squeeze");
    const keep = x.shape.map((s, i) => !(s === 1 && (d < 0 || i === d)));
    return this.record(viewOf(x, x.shape.filter((_, i) => keep[i]), x.strides.filter((_, i) => keep[i])), [x], { shape: x.shape });
  },
  backward: unview,
});

export const unsqueeze = defineOp({
  name: "unsqueeze", doc: "a size-1 dim inserted at dim", method: true, sample: () => args(vals([2, 3]), 1),
  forward(x: Tensor, dim: number | DimOptions): Tensor {
    const d = normalizeDim(dimArgument("unsqueeze", dim)!, checkTensor(x, "unsqueeze").ndim + 1, "unsqueeze", x.ndim);
    const shape = x.shape.slice(), strides = x.strides.slice();
    shape.splice(d, 0, 1);
    strides.splice(d, 0, d < x.ndim ? x.strides[d] * x.shape[d] : 1);
    return this.record(viewOf(x, shape, strides), [x], { shape: x.shape });
  },
  backward: unview,
});

export const flatten = defineOp({
  name: "flatten", doc: "dims startDim..endDim merged into one", method: true, sample: x23,
  forward(x: Tensor, startDim = 0, endDim = -1): Tensor {
    if (checkTensor(x, "flatten").ndim === 0) return reshape(x, [1]);
    const s = normalizeDim(startDim, x.ndim, "flatten"), e = normalizeDim(endDim, x.ndim, "flatten");
    if (s > e) throw new Error(`flatten: startDim ${startDim} comes after endDim ${endDim}`);
    return reshape(x, [...x.shape.slice(0, s), numelOf(x.shape.slice(s, e + 1)), ...x.shape.slice(e + 1)]);
  },
});

export const expand = defineOp({
  name: "expand", doc: "broadcast to a larger shape as a stride-0 view (-1 keeps a size)",
  method(this: Tensor, ...shape: Sizes): Tensor { return expand(this, shapeArgs(shape)); },
  sample: () => args(vals([2, 3]), [4, 2, 3]),
  forward(x: Tensor, shape: readonly number[]): Tensor {
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
    return this.record(viewOf(x, outShape, strides), [x], { shape: x.shape });
  },
  backward: (c: ShapeCtx, g) => [sumTo(g, c.shape)],
});

export const expandAs = defineOp({
  name: "expandAs", doc: "expand to another tensor's shape", method: "only",
  sample: () => args(vals([2, 3]), Tensor.empty([2, 2, 3])),
  forward: (x: Tensor, other: Tensor): Tensor => expand(x, checkTensor(other, "expandAs", "other").shape),
});

// A view selecting part of x: `pick` maps any tensor of x's shape to that part.
interface PickCtx {
  shape: number[];
  pick: (t: Tensor) => Tensor;
}
const unpick = (c: PickCtx, g: Tensor) => [scatterView(c.shape, g, c.pick)];

export const slice = defineOp({
  name: "slice", doc: "x[start:end:step] along dim (a view; Python's clamping of start/end)", method: true,
  sample: () => args(vals([2, 3]), 1, 0, 3, 2),
  forward(x: Tensor, dim: number, start = 0, end?: number, step = 1): Tensor {
    const d = indexedDim(x, dim, "slice"), n = x.shape[d];
    if (!Number.isInteger(step) || step < 1) throw new RangeError(`slice: step must be a positive integer, got ${step}`);
    if (!Number.isInteger(start) || !(end === undefined || Number.isInteger(end)))
      throw new RangeError(`slice: start and end must be integers, got ${start} and ${end}`);
    const clampIdx = (i: number) => Math.min(Math.max(i < 0 ? i + n : i, 0), n);
    const s = clampIdx(start), e = Math.max(clampIdx(end ?? n), s);
    const len = Math.ceil((e - s) / step);
    const pick = (t: Tensor) => {
      const shape = t.shape.slice(), strides = t.strides.slice();
      shape[d] = len;
      strides[d] = t.strides[d] * step;
      return viewOf(t, shape, strides, t.offset + s * t.strides[d]);
    };
    return this.record(pick(x), [x], { shape: x.shape, pick });
  },
  backward: unpick,
});

export const narrow = defineOp({
  name: "narrow", doc: "length elements of dim from start (a view)", method: true, sample: () => args(vals([2, 3]), 1, 1, 2),
  forward(x: Tensor, dim: number, start: number, length: number): Tensor {
    const d = indexedDim(x, dim, "narrow"), n = x.shape[d];
    const s = start < 0 ? start + n : start;
    if (!Number.isInteger(s) || !Number.isInteger(length) || s < 0 || length < 0 || s + length > n)
      throw new RangeError(`narrow: start ${start} and length ${length} do not fit dim ${dim} of size ${n}`);
    return slice(x, d, s, s + length);
  },
});

export const select = defineOp({
  name: "select", doc: "the slice at index along dim, without that dim (a view)", method: true, sample: () => args(vals([2, 3]), 0, 1),
  forward(x: Tensor, dim: number, index: number): Tensor {
    const d = indexedDim(x, dim, "select"), n = x.shape[d];
    const i = index < 0 ? index + n : index;
    if (!Number.isInteger(i) || i < 0 || i >= n) throw new RangeError(`select: index ${index} is out of range for dim ${dim} of size ${n}`);
    const pick = (t: Tensor) => viewOf(t, t.shape.filter((_, k) => k !== d), t.strides.filter((_, k) => k !== d), t.offset + i * t.strides[d]);
    return this.record(pick(x), [x], { shape: x.shape, pick });
  },
  backward: unpick,
});

interface CatCtx {
  dim: number;
  sizes: number[];
  dtypes: DType[];
}

export const cat = defineOp({
  name: "cat", doc: "tensors joined along an existing dim (mixed dtypes promote, as PyTorch)", sample: () => args([vals([2, 3]), vals([2, 3], 2)], 1),
  forward(tensors: Tensor[], dimOrOptions?: number | DimOptions): Tensor {
    if (!Array.isArray(tensors) || tensors.length === 0) throw new Error("cat: expected a non-empty array of tensors");
    const dim = dimArgument("cat", dimOrOptions) ?? 0;
    tensors.forEach((t) => checkTensor(t, "cat"));
    const first = tensors[0];
    if (first.ndim === 0) throw new Error("cat: zero-dimensional tensors cannot be concatenated; use tg.stack, or unsqueeze(0) first");
    const d = normalizeDim(dim, first.ndim, "cat");
    for (const t of tensors)
      if (t.ndim !== first.ndim || t.shape.some((s, i) => i !== d && s !== first.shape[i]))
        throw new Error(`cat: tensors must have the same shape except in dim ${dim}; got ${tensors.map((t) => fmt(t.shape)).join(", ")}`);
    const shape = first.shape.slice();
    shape[d] = tensors.reduce((n, t) => n + t.shape[d], 0);
    // The result type of all the pieces (int32 < float32 < float64); the copy converts each piece.
    const out = Tensor.output(shape, tensors.reduce((dt: DType, t) => promote(dt, t.dtype), first.dtype));
    let at = 0;
    for (const t of tensors) {
      copyInto(t, part(out, d, at, t.shape[d]));
      at += t.shape[d];
    }
    return this.record(out, tensors, { dim: d, sizes: tensors.map((t) => t.shape[d]), dtypes: tensors.map((t) => t.dtype) });
  },
  backward({ dim, sizes, dtypes }: CatCtx, g) {
    let at = 0;
    return sizes.map((n, i) => {
      const p = part(g, dim, at, n);
      at += n;
      // A promoted piece gets its gradient in its own dtype (an int32 piece has none).
      return isFloat(dtypes[i]) ? convert(p, dtypes[i]) : null;
    });
  },
});

// Elements [start, start + n) of t along dim, as a view.
function part(t: Tensor, dim: number, start: number, n: number): Tensor {
  const shape = t.shape.slice();
  shape[dim] = n;
  return viewOf(t, shape, t.strides, t.offset + start * t.strides[dim]);
}

export const stack = defineOp({
  name: "stack", doc: "tensors of one shape joined along a new dim", sample: () => args([vals([2, 3]), vals([2, 3], 2)], 2),
  forward(tensors: Tensor[], dim?: number | DimOptions): Tensor {
    if (!Array.isArray(tensors) || tensors.length === 0) throw new Error("stack: expected a non-empty array of tensors");
    tensors.forEach((t) => checkTensor(t, "stack"));
    const d = normalizeDim(dimArgument("stack", dim) ?? 0, tensors[0].ndim + 1, "stack", tensors[0].ndim);
    tensors.forEach((t, i) => {
      if (!sameShape(t.shape, tensors[0].shape))
        throw new Error(`stack: expects each tensor to be equal size, but got ${fmt(tensors[0].shape)} at entry 0 and ${fmt(t.shape)} at entry ${i}`);
    });
    return cat(tensors.map((t) => unsqueeze(t, d)), d);
  },
});


// x.T and x.mT, PyTorch's transpose properties (getters, so not registry ops).
declare module "../tensor.js" {
  interface Tensor {
    /** All dims reversed (x.T, as torch.Tensor.T); for a 2-D tensor the transpose. A view. */
    readonly T: Tensor;
    /** The last two dims swapped (x.mT), a batched matrix transpose view. @throws Error for fewer than 2 dims. */
    readonly mT: Tensor;
  }
}
Object.defineProperties(Tensor.prototype, {
  T: {
    get(this: Tensor): Tensor { return permute(this, [...this.shape.keys()].reverse()); },
    configurable: true,
  },
  mT: {
    get(this: Tensor): Tensor {
      if (this.ndim < 2) throw new Error(`mT: the tensor needs at least 2 dims, got shape [${this.shape.join(", ")}]`);
      return transpose(this, -2, -1);
    },
    configurable: true,
  },
});
