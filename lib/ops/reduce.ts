// Reductions and their gradients:
//   sum:   dx = g broadcast back over the reduced dims (a stride-0 view, no copy); saves nothing
//   mean:  dx = g / count, broadcast back; saves nothing
//   max/min over all elements: g shared evenly among the elements equal to the result (saves x, y)
//   max/min(dim): g routed to the index the forward returned (saves the indices)
import { Tensor } from "../tensor.js";
import { native } from "../native.js";
import { normalizeDim, numelOf } from "../shape.js";
import { defineOp, type Op } from "./define.js";
import { maximum, minimum } from "./elementwise.js";
import { valuesIndices, type ValuesIndices } from "./values-indices.js";
import { checkTensor, dimKeepdim, type DimKeepdimOptions, type KeepdimOptions } from "./check.js";
import { binaryKernel, compareKernel, convert, dense, expandBack, sumKernel, unaryKernel, viewAs } from "./kernels.js";
import { args, vals } from "./samples.js";
import { packedMap } from "../packed-map.js";

// Which dims a reduction covers: all when dim is undefined or [] (as torch.sum(x, dim=[])).
export function reducedDims(x: Tensor, dim: number | number[] | null | undefined, op: string): boolean[] {
  checkTensor(x, op);
  const dims = dim == null ? [] : Array.isArray(dim) ? dim : [dim];
  const red = new Array<boolean>(x.ndim).fill(dims.length === 0);
  for (const d of dims) {
    const k = normalizeDim(d, x.ndim, op);
    if (x.ndim > 0 && red[k]) throw new Error(`${op}: dim ${d} appears more than once in [${dims.join(", ")}]`);
    if (x.ndim > 0) red[k] = true;
  }
  return red;
}

// The output shape: reduced dims kept as 1 (keepdim) or dropped.
export const outShape = (x: Tensor, red: boolean[], keepdim: boolean) =>
  keepdim ? packedMap(x.shape, (d, i) => (red[i] ? 1 : d)) : x.shape.filter((_, i) => !red[i]);

interface SumCtx {
  kshape: number[];  // the output's keepdim shape
  shape: number[];   // the input's shape
  scale: number;
}

function sumRule(c: SumCtx, g: Tensor): Tensor[] {
  return [expandBack(c.scale === 1 ? g : unaryKernel("mulScalar", g, c.scale), c.kshape, c.shape)];
}

export const sum = defineOp({
  name: "sum", doc: "sum over dims (all when omitted); keepdim keeps them as size 1", method: true,
  sample: () => args(vals([2, 3]), 1),
  forward(x: Tensor, dim?: number | number[] | null | DimKeepdimOptions, keepdim?: boolean | KeepdimOptions): Tensor {
    const [dims, kd] = dimKeepdim("sum", dim, keepdim);
    const red = reducedDims(x, dims, "sum");
    const out = sumKernel(x, red);
    return this.record(viewAs(out, outShape(x, red, kd)), [x], { kshape: out.shape, shape: x.shape, scale: 1 });
  },
  backward: sumRule,
});

export const mean = defineOp({
  name: "mean", doc: "mean over dims (all when omitted); float inputs only", method: true,
  sample: () => args(vals([2, 3]), 0, true),
  node: "MeanBackward0",
  forward(x: Tensor, dim?: number | number[] | null | DimKeepdimOptions, keepdim?: boolean | KeepdimOptions): Tensor {
    if (checkTensor(x, "mean").dtype === "int32") throw new TypeError("mean: input dtype must be float32 or float64, got int32; call .float() first");
    const [dims, kd] = dimKeepdim("mean", dim, keepdim);
    const red = reducedDims(x, dims, "mean");
    const scale = 1 / numelOf(x.shape.filter((_, i) => red[i]));
    const out = sumKernel(x, red, scale);
    return this.record(viewAs(out, outShape(x, red, kd)), [x], { kshape: out.shape, shape: x.shape, scale });
  },
  backward: sumRule,
});

// ---- max / min / argmax / argmin ----

// Runs the native extreme kernel over `dim` (or all elements); outputs have the keepdim shape.
function extremeForward(x: Tensor, isMax: boolean, dim: number | undefined, wantValues: boolean, op: string) {
  checkTensor(x, op);
  const d = dim === undefined ? -1 : normalizeDim(dim, x.ndim, op);
  // Only the reduced extent must be non-empty: zeros([3, 0, 2]).max(2) is an empty [3, 0], as in PyTorch.
  if (d < 0 ? x.numel() === 0 : x.ndim > 0 && x.shape[d] === 0)
    throw new Error(`${op}: cannot reduce over an empty ${d < 0 ? "tensor" : `dim ${dim}`} (shape [${x.shape.join(", ")}]); PyTorch has no identity for ${op}`);
  const all = d < 0 || x.ndim === 0;
  const kshape = packedMap(x.shape, (s, i) => (all || i === d ? 1 : s));
  // Kept dims first, the reduced dim(s) last.
  const order = all ? packedMap(x.shape, (_, i) => i) : [...x.shape.keys()].filter((i) => i !== d).concat([d]);
  const shape = packedMap(order, (i) => x.shape[i]);
  const view = (t: Tensor) => ({ shape: packedMap(order, (i) => t.shape[i]), strides: packedMap(order, (i) => t.strides[i]), offset: t.offset });
  const values = wantValues ? Tensor.output(kshape, x.dtype) : null;
  const indices = Tensor.output(kshape, "int32");
  if (x.numel() > 0) native.extreme(shape, [view(x), values && view(values), view(indices)], isMax, all ? 0 : x.ndim - 1, x.storage,
    values ? values.storage : null, indices.storage as Int32Array);
  return { values, indices, kshape, dim: d };
}

function dropDim(t: Tensor, x: Tensor, dim: number | undefined, keepdim: boolean): Tensor {
  if (keepdim && dim !== undefined) return t;
  return viewAs(t, dim === undefined ? [] : x.shape.filter((_, i) => i !== normalizeDim(dim, x.ndim, "reduce")));
}

interface ExtremeCtx {
  x: Tensor | null;        // over all elements: the input and the result (ties share g)
  y: Tensor | null;
  indices: Tensor | null;  // along a dim: where each result came from
  kshape: number[];
  shape: number[];
  dim: number;
}

function extremeRule(c: ExtremeCtx, g: Tensor): Tensor[] {
  if (c.indices) {
    const gx = Tensor.empty(c.shape, g.dtype);
    const outer = numelOf(c.shape.slice(0, c.dim)), inner = numelOf(c.shape.slice(c.dim + 1));
    // A 0-d input reduced over its dim 0 (allowed, as PyTorch) is one line of one element.
    native.scatterAdd(dense(g).storage, c.indices.storage as Int32Array, gx.storage, outer, c.shape.length ? c.shape[c.dim] : 1, inner, 1);
    return [gx];
  }
  // Shared evenly among the elements equal to the result; a NaN result is its NaNs' (x ≠ x).
  const nan = Number.isNaN(c.y!.item());
  const mask = convert(compareKernel(nan ? "ne" : "eq", c.x!, nan ? c.x! : c.y!, c.shape), g.dtype);
  const share = binaryKernel("div", g, viewAs(sumKernel(mask, mask.shape.map(() => true)), []), []);
  return [binaryKernel("mul", mask, share, c.shape)];
}

/** torch.max / torch.min: over all elements, along a dim with indices, or elementwise against another tensor. */
export interface ExtremeFn {
  /** The largest (smallest) element of x, a 0-d tensor of x's dtype. */
  (x: Tensor): Tensor;
  /**
   * `[values, indices]` along `dim`, as PyTorch's named tuple (also `.values`, `.indices`): values of x's
   * dtype and int32 indices, both x's shape without dim (kept as size 1 with keepdim).
   */
  (x: Tensor, dim: number, keepdim?: boolean | KeepdimOptions): ValuesIndices;
  /** The same by keyword: `max(x, {dim: 1, keepdim: true})`. */
  (x: Tensor, opts: DimKeepdimOptions<number> & { dim: number }): ValuesIndices;
  /** Elementwise against another tensor (broadcast), as `maximum` / `minimum`. */
  (x: Tensor, other: Tensor): Tensor;
}
/** x.max(...) / x.min(...): the forms of {@link ExtremeFn} with x as `this`. */
export interface ExtremeMethod {
  (this: Tensor): Tensor;
  (this: Tensor, dim: number, keepdim?: boolean | KeepdimOptions): ValuesIndices;
  (this: Tensor, opts: DimKeepdimOptions<number> & { dim: number }): ValuesIndices;
  (this: Tensor, other: Tensor): Tensor;
}

function extremeOp(name: "max" | "min") {
  const isMax = name === "max";
  const op = defineOp({
    name, doc: `${isMax ? "largest" : "smallest"} element; [values, indices] along dim (the gradient goes to the index); ${isMax ? "maximum" : "minimum"} with a tensor`,
    method: function (this: Tensor, dim?: number | Tensor | DimKeepdimOptions<number>, keepdim?: boolean | KeepdimOptions) { return op(this, dim, keepdim); },
    sample: () => args(vals([2, 3]), ...(isMax ? [1] : [])),
    forward(x: Tensor, dimOrOptions?: number | Tensor | DimKeepdimOptions<number>, keepdim?: boolean | KeepdimOptions): Tensor | ValuesIndices {
      if (dimOrOptions instanceof Tensor) return (isMax ? maximum : minimum)(x, dimOrOptions);
      const [dim, kd] = dimKeepdim(name, dimOrOptions, keepdim);
      const r = extremeForward(x, isMax, dim, true, name);
      const all = dim === undefined;
      const out = dropDim(r.values!, x, dim, kd);
      this.record(out, [x], { x: all ? x : null, y: all ? out : null, indices: all ? null : r.indices, kshape: r.kshape, shape: x.shape, dim: r.dim });
      return all ? out : valuesIndices(out, dropDim(r.indices, x, dim, kd), name);
    },
    backward: extremeRule,
  });
  return op as unknown as Op<ExtremeFn, ExtremeMethod>;
}
/**
 * torch.max: `max(x)` the largest element (NaN if any; the gradient is shared evenly among tied elements);
 * `max(x, dim, keepdim?)` `[values, indices]` along dim (first index among ties; NaN wins; the gradient goes
 * to the returned index); `max(x, other)` elementwise `maximum`. float32, float64, int32.
 * @throws RangeError for a dim out of range; Error for an empty tensor or dim (PyTorch has no identity).
 */
export const max = extremeOp("max");
/** torch.min: as {@link max} with the smallest element. */
export const min = extremeOp("min");

// Index of the largest (smallest) element along dim, or the flat index over all elements.
function argOp(name: "argmax" | "argmin") {
  return defineOp({
    name, doc: `index of the ${name === "argmax" ? "largest" : "smallest"} element (along dim, or flat), int32`,
    method: true, differentiable: false,
    forward(x: Tensor, dimOrOptions?: number | DimKeepdimOptions<number>, keepdim?: boolean | KeepdimOptions): Tensor {
      const [dim, kd] = dimKeepdim(name, dimOrOptions, keepdim);
      return dropDim(extremeForward(x, name === "argmax", dim, false, name).indices, x, dim, kd);
    },
  });
}
export const argmax = argOp("argmax");
export const argmin = argOp("argmin");
