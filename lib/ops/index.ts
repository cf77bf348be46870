// Indexing by int32 tensors along one dim:
//   indexSelect(x, dim, idx):  dx = zeros, then dx[..., idx[j], ...] += g[..., j, ...]
//   gather(x, dim, idx):       dx = zeros, then dx[o, idx[o, j, i], i] += g[o, j, i]
import { Tensor } from "../tensor.js";
import { fmt, normalizeDim, numelOf } from "../shape.js";
import { native } from "../native.js";
import { record } from "../autograd/node.js";
import { checkTensor } from "./elementwise.js";
import { contiguous } from "./copy.js";

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
  if (idx.ndim > 1) throw new Error(`indexSelect: the index must be 0-d or 1-d, got shape ${fmt(idx.shape)}`);
  const d = normalizeDim(dim, checkTensor(x, "indexSelect").ndim, "indexSelect");
  const xd = contiguous(x, true), id = contiguous(idx, true).storage as Int32Array;
  const { outer, D, inner } = around(xd, d), n = idx.numel;
  const shape = x.shape.slice();
  shape[d] = n;
  const out = Tensor.output(shape, x.dtype);
  native.indexSelect(xd.storage, id, out.storage, outer, D, inner, n);
  return record(out, "IndexSelectBackward", [xd], (g) => {
    const gx = Tensor.empty(x.shape, g.dtype);
    native.indexAdd(contiguous(g, true).storage, id, gx.storage, outer, D, inner, n);
    return [gx];
  });
}

export function gather(x: Tensor, dim: number, index: Tensor): Tensor {
  const idx = checkIndex(index, "gather");
  const d = normalizeDim(dim, checkTensor(x, "gather").ndim, "gather");
  if (idx.ndim !== x.ndim || idx.shape.some((s, i) => i !== d && s !== x.shape[i]))
    throw new Error(`gather: the index shape ${fmt(idx.shape)} must match the input shape ${fmt(x.shape)} in every dim but ${dim}`);
  const xd = contiguous(x, true), id = contiguous(idx, true).storage as Int32Array;
  const { outer, D, inner } = around(xd, d), n = idx.shape[d];
  const out = Tensor.output(idx.shape, x.dtype);
  native.gather(xd.storage, id, out.storage, outer, D, inner, n);
  return record(out, "GatherBackward", [xd], (g) => {
    const gx = Tensor.empty(x.shape, g.dtype);
    native.scatterAdd(contiguous(g, true).storage, id, gx.storage, outer, D, inner, n);
    return [gx];
  });
}
