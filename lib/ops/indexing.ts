// Indexing by int32 tensors along one dim (the index is saved: the rule scatters through it):
//   indexSelect(x, dim, idx):  dx = zeros, then dx[..., idx[j], ...] += g[..., j, ...]
//   gather(x, dim, idx):       dx = zeros, then dx[o, idx[o, j, i], i] += g[o, j, i]
import { Tensor } from "../tensor.js";
import { fmt, normalizeDim, numelOf } from "../shape.js";
import { native } from "../native.js";
import { defineOp } from "./define.js";
import { checkTensor } from "./check.js";
import { dense } from "./kernels.js";
import { reshape } from "./views.js";
import { args, ints, vals } from "./samples.js";

function checkIndex(index: unknown, op: string): Tensor {
  if (!(index instanceof Tensor) || index.dtype !== "int32")
    throw new TypeError(`${op}: the index must be an int32 tensor (create it with {dtype: "int32"} or call .int())`);
  return checkTensor(index, op, "index");
}

// [outer, D, inner] of a shape around dim, and n: the indexed dim's length in the result.
interface IndexCtx {
  index: Tensor;
  shape: number[];
  outer: number;
  D: number;
  inner: number;
  n: number;
}
function around(shape: number[], d: number, index: Tensor, n: number): IndexCtx {
  return { index, shape, outer: numelOf(shape.slice(0, d)), D: shape[d], inner: numelOf(shape.slice(d + 1)), n };
}

// dx = zeros of x's shape with g added at the indices (indexAdd or scatterAdd).
function scatterRule(kernel: "indexAdd" | "scatterAdd") {
  return (c: IndexCtx, g: Tensor) => {
    const gx = Tensor.empty(c.shape, g.dtype);
    native[kernel](dense(g).storage, c.index.storage as Int32Array, gx.storage, c.outer, c.D, c.inner, c.n);
    return [gx];
  };
}

export const indexSelect = defineOp({
  name: "indexSelect", doc: "the slices of dim at the given int32 indices", method: true,
  sample: () => args(vals([2, 3]), 1, ints([2, 0, 2])),
  forward(x: Tensor, dim: number, index: Tensor): Tensor {
    const idx = checkIndex(index, "indexSelect");
    // A 0-d tensor acts as one element along dim 0, and the result stays 0-d (as PyTorch).
    if (checkTensor(x, "indexSelect").ndim === 0) {
      normalizeDim(dim, 0, "indexSelect");
      if (idx.numel() !== 1) throw new Error(`indexSelect: the index into a 0-d tensor must have one element, got shape ${fmt(idx.shape)}`);
      return reshape(indexSelect(reshape(x, [1]), 0, reshape(idx, [1])), []);
    }
    if (idx.ndim > 1) throw new Error(`indexSelect: the index must be 0-d or 1-d, got shape ${fmt(idx.shape)}`);
    const d = normalizeDim(dim, checkTensor(x, "indexSelect").ndim, "indexSelect");
    const c = around(x.shape, d, dense(idx), idx.numel());
    const shape = x.shape.slice();
    shape[d] = c.n;
    const out = Tensor.output(shape, x.dtype);
    native.indexSelect(dense(x).storage, c.index.storage as Int32Array, out.storage, c.outer, c.D, c.inner, c.n);
    return this.record(out, [x], c);
  },
  backward: scatterRule("indexAdd"),
});

export const gather = defineOp({
  name: "gather", doc: "out[…, j, …] = x[…, index[…, j, …], …] along dim (PyTorch's gather)", method: true,
  sample: () => args(vals([2, 3]), 1, ints([2, 0, 1, 1], [2, 2])),
  forward(x: Tensor, dim: number, index: Tensor): Tensor {
    const idx = checkIndex(index, "gather");
    if (checkTensor(x, "gather").ndim === 0) {
      normalizeDim(dim, 0, "gather");
      if (idx.ndim !== 0) throw new Error(`gather: the index into a 0-d tensor must be 0-d, got shape ${fmt(idx.shape)}`);
      return reshape(gather(reshape(x, [1]), 0, reshape(idx, [1])), []);
    }
    const d = normalizeDim(dim, checkTensor(x, "gather").ndim, "gather");
    if (idx.ndim !== x.ndim || idx.shape.some((s, i) => i !== d && s !== x.shape[i]))
      throw new Error(`gather: the index shape ${fmt(idx.shape)} must match the input shape ${fmt(x.shape)} in every dim but ${dim}`);
    const c = around(x.shape, d, dense(idx), idx.shape[d]);
    const out = Tensor.output(idx.shape, x.dtype);
    native.gather(dense(x).storage, c.index.storage as Int32Array, out.storage, c.outer, c.D, c.inner, c.n);
    return this.record(out, [x], c);
  },
  backward: scatterRule("scatterAdd"),
});
