// Sorting along a dim in native code (native/kernels/sort): sort, argsort and topk. NaN counts as
// larger than every number (last ascending, first descending; topk's largest), as in PyTorch, and
// equal elements keep their order (every sort is stable). The rule of sort and topk:
//   dx = g scattered back to the positions the values came from (saves the indices)
import { Tensor } from "../tensor.js";
import { native } from "../native.js";
import { normalizeDim, numelOf } from "../shape.js";
import { defineOp } from "./define.js";
import { checkTensor, describe, dimAndOptions } from "./check.js";
import { dense } from "./kernels.js";
import { args, vals } from "./samples.js";
import { valuesIndices, type ValuesIndices } from "./values-indices.js";

/** Options of sort and argsort (PyTorch's defaults: dim −1, ascending; sorts are always stable). */
export interface SortOptions {
  dim?: number;
  descending?: boolean;
  stable?: boolean;
}
/** Options of topk (PyTorch's defaults: dim −1, largest true, sorted true). */
export interface TopkOptions {
  dim?: number;
  largest?: boolean;
  sorted?: boolean;
}

function flag(v: unknown, name: string, op: string, dflt: boolean): boolean {
  if (v === undefined) return dflt;
  if (typeof v !== "boolean") throw new TypeError(`${op}: ${name} must be a boolean, got ${describe(v)}`);
  return v;
}

interface SortCtx {
  indices: Tensor;
  shape: number[];
  outer: number;
  D: number;
  inner: number;
  k: number;
}

// The first k of each line along dim, in order: [values, indices] (values null when not wanted).
function sortLines(op: string, x: Tensor, dim: number, k: number, descending: boolean, wantValues: boolean) {
  const d = normalizeDim(dim, checkTensor(x, op).ndim, op);
  const D = x.ndim ? x.shape[d] : 1;
  const outer = numelOf(x.shape.slice(0, d)), inner = numelOf(x.shape.slice(d + 1));
  const shape = x.ndim ? x.shape.map((s, i) => (i === d ? k : s)) : [];
  const values = wantValues ? Tensor.output(shape, x.dtype) : null;
  const indices = Tensor.output(shape, "int32");
  // A 0-d result holds one element whatever k (PyTorch's topk(0) of a 0-d tensor returns it too):
  // the kernel must write it, not leave the fresh memory as the answer.
  if (x.ndim === 0) k = 1;
  native.sortLines(dense(x).storage, values ? values.storage : null, indices.storage as Int32Array, outer, D, inner, k, descending);
  return { values, indices, ctx: { indices, shape: x.shape, outer, D, inner, k } };
}

function sortRule(c: SortCtx, g: Tensor): Tensor[] {
  const gx = Tensor.empty(c.shape, g.dtype);
  native.scatterAdd(dense(g).storage, c.indices.storage as Int32Array, gx.storage, c.outer, c.D, c.inner, c.k);
  return [gx];
}

/**
 * torch.sort: x's elements sorted along `dim` (default −1), as `[values, indices]` of x's shape (int32
 * indices into dim; `const [v, i] = x.sort()` as Python's `v, i = x.sort()`, or `.values`/`.indices`). Ascending unless `descending`; NaN
 * sorts as the largest value; equal elements keep their order (PyTorch's `stable: true`; the option is
 * accepted and every sort is stable). float32, float64, int32. The gradient flows through the values.
 * @throws RangeError for a dim out of range; TypeError for a bad option; Error for an unknown option.
 */
export const sort = defineOp({
  name: "sort", doc: "[values, indices] sorted along dim (options dim −1, descending, stable; NaN largest; stable)", method: true,
  sample: () => args(vals([2, 3]), 1),
  forward(x: Tensor, dim?: number | SortOptions, opts?: SortOptions): ValuesIndices {
    const { dim: d = -1, opts: o } = dimAndOptions("sort", dim, opts, ["descending", "stable"]);
    flag(o.stable, "stable", "sort", false);
    const n = checkTensor(x, "sort").ndim ? x.shape[normalizeDim(d, x.ndim, "sort")] : 1;
    const r = sortLines("sort", x, d, n, flag(o.descending, "descending", "sort", false), true);
    return valuesIndices(this.record(r.values!, [x], r.ctx), r.indices, "sort");
  },
  backward: sortRule,
});

/**
 * torch.argsort: the int32 indices that sort x along `dim` (default −1), with sort's options and order.
 * @throws as sort.
 */
export const argsort = defineOp({
  name: "argsort", doc: "int32 indices that sort x along dim (sort's options)", method: true, differentiable: false,
  forward(x: Tensor, dim?: number | SortOptions, opts?: SortOptions): Tensor {
    const { dim: d = -1, opts: o } = dimAndOptions("argsort", dim, opts, ["descending", "stable"]);
    flag(o.stable, "stable", "argsort", false);
    const n = checkTensor(x, "argsort").ndim ? x.shape[normalizeDim(d, x.ndim, "argsort")] : 1;
    return sortLines("argsort", x, d, n, flag(o.descending, "descending", "argsort", false), false).indices;
  },
});

/**
 * torch.topk: the k largest (or, with `largest: false`, smallest) elements along `dim` (default −1),
 * as `[values, indices]` (also `.values`/`.indices`) of x's shape with dim of size k; int32 indices. NaN counts as the largest.
 * Always sorted (largest first, or smallest first), ties in their original order; `sorted: false` is
 * accepted (PyTorch then allows any order). float32, float64, int32. The gradient flows through the values.
 * @throws RangeError when k is not an integer in [0, size of dim] or dim is out of range; Error for an unknown option.
 */
export const topk = defineOp({
  name: "topk", doc: "[values, indices] of the k largest along dim (options dim −1, largest, sorted; NaN largest)", method: true,
  sample: () => args(vals([3, 4]), 2, { dim: 0 }),
  forward(x: Tensor, k: number, dim?: number | TopkOptions, opts?: TopkOptions): ValuesIndices {
    const { dim: d = -1, opts: o } = dimAndOptions("topk", dim, opts, ["largest", "sorted"]);
    flag(o.sorted, "sorted", "topk", true);
    const n = checkTensor(x, "topk").ndim ? x.shape[normalizeDim(d, x.ndim, "topk")] : 1;
    if (!Number.isInteger(k) || k < 0 || k > n)
      throw new RangeError(`topk: k must be an integer in [0, ${n}] (the size of dim ${d}), got ${describe(k)}`);
    const r = sortLines("topk", x, d, k, flag(o.largest, "largest", "topk", true), true);
    return valuesIndices(this.record(r.values!, [x], r.ctx), r.indices, "topk");
  },
  backward: sortRule,
});
