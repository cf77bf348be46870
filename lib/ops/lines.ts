// A reduction's (or scan's, or sort's) dims as the [outer, D, inner] lines the native line kernels
// walk (native/runtime/lines.h): one result per line, lines numbered o·inner + i, which is the
// row-major order of the kept dims. Reduced dims that form one consecutive run (a single dim, all
// dims) need no copy; any other set is permuted to the end first (kept dims, then reduced) and
// copied dense.
import { Tensor } from "../tensor.js";
import { contiguousStrides, numelOf } from "../shape.js";
import { dense } from "./kernels.js";
import { packedMap } from "../packed-map.js";

export interface Lines {
  x: Tensor;        // the input as a dense block in line order
  outer: number;
  D: number;
  inner: number;
  kshape: number[]; // the result's keepdim shape (1 at the reduced dims)
  // A tensor laid out like `x` (a dense block in line order), viewed in the input's dim order.
  back(t: Tensor): Tensor;
}

export function linesOf(x: Tensor, red: readonly boolean[]): Lines {
  const kshape = packedMap(x.shape, (d, i) => (red[i] ? 1 : d));
  const first = red.indexOf(true), last = red.lastIndexOf(true);
  const run = first < 0 || red.slice(first, last + 1).every(Boolean);
  if (run) {
    const lo = first < 0 ? x.ndim : first, hi = first < 0 ? x.ndim : last + 1;
    return { x: dense(x), outer: numelOf(x.shape.slice(0, lo)), D: numelOf(x.shape.slice(lo, hi)),
      inner: numelOf(x.shape.slice(hi)), kshape, back: (t) => t };
  }
  const order = [...x.shape.keys()].sort((a, b) => Number(red[a]) - Number(red[b]) || a - b);
  const pshape = packedMap(order, (i) => x.shape[i]);
  const permuted = new Tensor(x.storage, pshape, packedMap(order, (i) => x.strides[i]), x.offset, x.dtype);
  const kept = order.filter((i) => !red[i]).length;
  // Undo the permutation: dim order[j] of the input has the dense block's stride j.
  const back = (t: Tensor) => {
    const ps = contiguousStrides(pshape), strides = new Array<number>(x.ndim);
    order.forEach((dim, j) => (strides[dim] = ps[j]));
    return new Tensor(t.storage, x.shape.slice(), strides, t.offset, t.dtype);
  };
  return { x: dense(permuted), outer: numelOf(pshape.slice(0, kept)), D: numelOf(pshape.slice(kept)), inner: 1, kshape, back };
}
