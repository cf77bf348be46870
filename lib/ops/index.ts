// Indexing by int32 tensors along one dim:
//   indexSelect(x, dim, idx):  dx = zeros, then dx[..., idx[j], ...] += g[..., j, ...]
//   gather(x, dim, idx):       dx = zeros, then dx[o, idx[o, j, i], i] += g[o, j, i]
import { Tensor } from "../tensor.js";
import { fmt, normalizeDim, numelOf } from "../shape.js";
import { native } from "../native.js";
import { record } from "../autograd/node.js";
import { checkTensor } from "./elementwise.js";

function checkIndex(index: unknown, op: string): Tensor {
  if (!(index instanceof Tensor) || index.dtype !== "int32")
    throw new TypeError(`${op}: the index must be an int32 tensor (create it with {dtype: "int32"} or call .int())`);
  return index;
}

// [outer, D, inner] of x around dim.
function around(x: Tensor, d: number) {
  return { outer: numelOf(x.shape.slice(0, d)), D: x.shape[d], inner: numelOf(x.shape.slice(d + 1)) };
}

export function indexSelect(x: Tensor, dim: number, index: Tensor): Tensor {
  const idx = checkIndex(index, "indexSelect");
  // A 0-d tensor acts as one element along dim 0, and the result stays 0-d (as PyTorch).
  if (checkTensor(x, "indexSelect").ndim === 0) {
    normalizeDim(dim, 0, "indexSelect");
    if (idx.numel !== 1) throw new Error(`indexSelect: the index into a 0-d tensor must have one element, got shape ${fmt(idx.shape)}`);
    return indexSelect(x.reshape([1]), 0, idx.reshape([1])).reshape([]);
  }
  if (idx.ndim > 1) throw new Error(`indexSelect: the index must be 0-d or 1-d, got shape ${fmt(idx.shape)}`);
  const d = normalizeDim(dim, checkTensor(x, "indexSelect").ndim, "indexSelect");
  const xd = x.contiguous(true), id = idx.contiguous(true).storage as Int32Array;
  const { outer, D, inner } = around(xd, d), n = idx.numel;
  const shape = x.shape.slice();
  shape[d] = n;
  const out = Tensor.output(shape, x.dtype);
  native.indexSelect(xd.storage, id, out.storage, outer, D, inner, n);
  return record(out, "IndexSelectBackward", [xd], (g) => {
    const gx = Tensor.empty(x.shape, g.dtype);
    native.indexAdd(g.contiguous(true).storage, id, gx.storage, outer, D, inner, n);
    return [gx];
  });
}

export function gather(x: Tensor, dim: number, index: Tensor): Tensor {
  const idx = checkIndex(index, "gather");
  if (checkTensor(x, "gather").ndim === 0) {
    normalizeDim(dim, 0, "gather");
    if (idx.ndim !== 0) throw new Error(`gather: the index into a 0-d tensor must be 0-d, got shape ${fmt(idx.shape)}`);
    return gather(x.reshape([1]), 0, idx.reshape([1])).reshape([]);
  }
  const d = normalizeDim(dim, checkTensor(x, "gather").ndim, "gather");
  if (idx.ndim !== x.ndim || idx.shape.some((s, i) => i !== d && s !== x.shape[i]))
    throw new Error(`gather: the index shape ${fmt(idx.shape)} must match the input shape ${fmt(x.shape)} in every dim but ${dim}`);
  const xd = x.contiguous(true), id = idx.contiguous(true).storage as Int32Array;
  const { outer, D, inner } = around(xd, d), n = idx.shape[d];
  const out = Tensor.output(idx.shape, x.dtype);
  native.gather(xd.storage, id, out.storage, outer, D, inner, n);
  return record(out, "GatherBackward", [xd], (g) => {
    const gx = Tensor.empty(x.shape, g.dtype);
    native.scatterAdd(g.contiguous(true).storage, id, gx.storage, outer, D, inner, n);
    return [gx];
  });
}
