// Reductions and their gradients:
//   sum:   dx = g broadcast back over the reduced dims (a stride-0 view, no copy)
//   mean:  dx = g / count, broadcast back
//   max/min over all elements: g shared evenly among the elements equal to the result
//   max/min(dim): g routed to the index the forward returned
import { Tensor } from "../tensor.js";
import { native } from "../native.js";
import { contiguousStrides, normalizeDim, numelOf, sameShape } from "../shape.js";
import { record } from "../autograd/node.js";
import { checkTensor, div, eq, mul } from "./elementwise.js";
import { contiguous } from "./copy.js";

// Which dims a reduction covers: all when dim is undefined or [] (as torch.sum(x, dim=[])).
function reducedDims(x: Tensor, dim: number | number[] | undefined, op: string): boolean[] {
  checkTensor(x, op);
  const dims = dim === undefined ? [] : Array.isArray(dim) ? dim : [dim];
  const red = new Array<boolean>(x.ndim).fill(dims.length === 0);
  for (const d of dims) {
    const k = normalizeDim(d, x.ndim, op);
    if (x.ndim > 0 && red[k]) throw new Error(`${op}: dim ${d} appears more than once in [${dims.join(", ")}]`);
    if (x.ndim > 0) red[k] = true;
  }
  return red;
}

function shapes(x: Tensor, red: boolean[], keepdim: boolean) {
  const kshape = x.shape.map((d, i) => (red[i] ? 1 : d));
  const outShape = keepdim ? kshape : x.shape.filter((_, i) => !red[i]);
  return { kshape, outShape };
}

// Broadcasts a gradient of the reduced shape back over x's shape, as a view.
function expandBack(g: Tensor, kshape: number[], x: Tensor): Tensor {
  const gk = g.reshape(kshape);
  return new Tensor(gk.storage, x.shape.slice(), gk.strides.map((s, i) => (kshape[i] === 1 ? 0 : s)), gk.offset, gk.dtype);
}

function sumForward(x: Tensor, red: boolean[], keepdim: boolean, scale: number): Tensor {
  const { kshape, outShape } = shapes(x, red, keepdim);
  const out = Tensor.output(kshape, x.dtype);
  native.sum(x.shape, [x, out], x.storage, out.storage, out.numel, scale);
  return new Tensor(out.storage, outShape, contiguousStrides(outShape), 0, x.dtype);
}

export function sum(x: Tensor, dim?: number | number[], keepdim = false): Tensor {
  const red = reducedDims(x, dim, "sum");
  const { kshape } = shapes(x, red, keepdim);
  const out = sumForward(x, red, keepdim, 1);
  return record(out, "SumBackward", [x], (g) => [expandBack(g, kshape, x)]);
}

export function mean(x: Tensor, dim?: number | number[], keepdim = false): Tensor {
  if (checkTensor(x, "mean").dtype === "int32") throw new TypeError("mean: input dtype must be float32 or float64, got int32; call .float() first");
  const red = reducedDims(x, dim, "mean");
  const { kshape } = shapes(x, red, keepdim);
  const count = numelOf(x.shape.filter((_, i) => red[i]));
  const out = sumForward(x, red, keepdim, 1 / count);
  return record(out, "MeanBackward", [x], (g) => [expandBack(mul(g, 1 / count), kshape, x)]);
}

// Gradients summed back to `shape`: undoes broadcasting in elementwise backward rules.
export function sumTo(g: Tensor, shape: readonly number[]): Tensor {
  if (sameShape(g.shape, shape)) return g;
  const lead = g.ndim - shape.length;
  const dims: number[] = [];
  for (let i = 0; i < g.ndim; ++i) if (i < lead || (shape[i - lead] === 1 && g.shape[i] !== 1)) dims.push(i);
  const s = dims.length ? sum(g, dims, true) : g;
  return s.reshape(shape as number[]);
}

// ---- max / min / argmax / argmin ----

interface Extreme {
  values: Tensor | null;
  indices: Tensor | null;
}

// Runs the native extreme kernel over `dim` (or all elements); outputs have the keepdim shape.
function extremeForward(x: Tensor, isMax: boolean, dim: number | undefined, wantValues: boolean, op: string): Extreme & { kshape: number[] } {
  if (checkTensor(x, op).numel === 0) throw new Error(`${op}: cannot reduce an empty tensor (shape [${x.shape.join(", ")}])`);
  const d = dim === undefined ? -1 : normalizeDim(dim, x.ndim, op);
  const kshape = d < 0 || x.ndim === 0 ? x.shape.map(() => 1) : x.shape.map((s, i) => (i === d ? 1 : s));
  // Kept dims first, the reduced dim(s) last.
  const order = d < 0 || x.ndim === 0 ? x.shape.map((_, i) => i) : [...x.shape.keys()].filter((i) => i !== d).concat([d]);
  const nkeep = d < 0 || x.ndim === 0 ? 0 : x.ndim - 1;
  const shape = order.map((i) => x.shape[i]);
  const view = (t: Tensor) => ({ shape: order.map((i) => t.shape[i]), strides: order.map((i) => t.strides[i]), offset: t.offset });
  const values = wantValues ? Tensor.output(kshape, x.dtype) : null;
  const indices = Tensor.output(kshape, "int32");
  native.extreme(shape, [view(x), values && view(values), view(indices)], isMax, nkeep, x.storage, values ? values.storage : null, indices.storage as Int32Array);
  return { values, indices, kshape };
}

function dropDim(t: Tensor, x: Tensor, dim: number | undefined, keepdim: boolean): Tensor {
  if (keepdim && dim !== undefined) return t;
  const shape = dim === undefined ? [] : x.shape.filter((_, i) => i !== normalizeDim(dim, x.ndim, "reduce"));
  return new Tensor(t.storage, shape, contiguousStrides(shape), 0, t.dtype);
}

function extreme(x: Tensor, isMax: boolean, dim: number | undefined, keepdim: boolean): Tensor {
  const op = isMax ? "max" : "min";
  const r = extremeForward(x, isMax, dim, true, op);
  const out = dropDim(r.values!, x, dim, keepdim);
  if (dim === undefined)
    return record(out, `${op}Backward`, [x], (g) => {
      const mask = eq(x, out).to(g.dtype);
      return [mul(mask, div(g, sum(mask)))];
    });
  const d = normalizeDim(dim, x.ndim, op);
  return record(out, `${op}Backward`, [x], (g) => [routeToIndex(g.reshape(r.kshape), r.indices!, x, d)]);
}

// dx = zeros with g placed at the forward's indices along `dim`.
function routeToIndex(g: Tensor, idx: Tensor, x: Tensor, dim: number): Tensor {
  const gx = Tensor.empty(x.shape, g.dtype);
  const outer = numelOf(x.shape.slice(0, dim)), inner = numelOf(x.shape.slice(dim + 1));
  native.scatterAdd(contiguous(g, true).storage, idx.storage as Int32Array, gx.storage, outer, x.shape[dim], inner, 1);
  return gx;
}

export const max = (x: Tensor, dim?: number, keepdim = false) => extreme(x, true, dim, keepdim);
export const min = (x: Tensor, dim?: number, keepdim = false) => extreme(x, false, dim, keepdim);

// Index of the largest (smallest) element along dim, or the flat index over all elements.
export function argmax(x: Tensor, dim?: number, keepdim = false): Tensor {
  return dropDim(extremeForward(x, true, dim, false, "argmax").indices!, x, dim, keepdim);
}
export function argmin(x: Tensor, dim?: number, keepdim = false): Tensor {
  return dropDim(extremeForward(x, false, dim, false, "argmin").indices!, x, dim, keepdim);
}
