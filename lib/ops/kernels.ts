// Tensor-level wrappers of the native kernels, without autograd: each makes its output and runs one
// native call over strided operands. Op forwards and backward rules are written with these, so a rule
// never depends on another op's definition (and no op module imports another in a cycle).
import { Tensor } from "../tensor.js";
import type { DType } from "../dtype.js";
import { BINARY, COMPARE, UNARY, native } from "../native.js";
import { contiguousStrides, sameShape } from "../shape.js";
import { packedMap } from "../packed-map.js";

export function scalarTensor(v: number, dtype: DType): Tensor {
  const t = Tensor.empty([], dtype);
  t.storage[0] = v;
  return t;
}

// out = op(x; a, b) elementwise (the C++ unary table).
export function unaryKernel(name: string, x: Tensor, a = 0, b = 0): Tensor {
  const out = Tensor.output(x.shape, x.dtype);
  native.unary(x.shape, [x, out], UNARY[name], x.storage, out.storage, a, b);
  return out;
}

// dL/dx of a unary op from the table's rule, given what it reads: x and/or the forward output y.
// An operand the rule does not read may be passed as null (g stands in for it).
export function unaryGradKernel(name: string, x: Tensor | null, y: Tensor | null, g: Tensor, a = 0, b = 0): Tensor {
  const xs = x ?? g, ys = y ?? g;
  const out = Tensor.output(g.shape, g.dtype);
  native.unaryBackward(g.shape, [xs, ys, g, out], UNARY[name], xs.storage, ys.storage, g.storage, out.storage, a, b);
  return out;
}

// out = a op b over the broadcast shape (same dtypes).
export function binaryKernel(name: string, a: Tensor, b: Tensor, shape: readonly number[]): Tensor {
  const out = Tensor.output(shape, a.dtype);
  native.binary(shape, [a, b, out], BINARY[name], a.storage, b.storage, out.storage);
  return out;
}

// dst += src in place (src broadcast to dst's shape); dst must not be a view other code reads.
export function addInto(dst: Tensor, src: Tensor): void {
  native.binary(dst.shape, [dst, src, dst], BINARY.add, dst.storage, src.storage, dst.storage);
}

// [dL/da, dL/db] over the broadcast shape of g, from the table's rule. An operand the rule does not
// read may be null.
export function binaryGradKernel(name: string, a: Tensor | null, b: Tensor | null, g: Tensor): [Tensor, Tensor] {
  const as = a ?? g, bs = b ?? g;
  const ga = Tensor.output(g.shape, g.dtype), gb = Tensor.output(g.shape, g.dtype);
  native.binaryBackward(g.shape, [as, bs, g, ga, gb], BINARY[name], as.storage, bs.storage, g.storage, ga.storage, gb.storage);
  return [ga, gb];
}

export function compareKernel(name: string, a: Tensor, b: Tensor, shape: readonly number[]): Tensor {
  const out = Tensor.output(shape, "int32");
  native.compare(shape, [a, b, out], COMPARE[name], a.storage, b.storage, out.storage as Int32Array);
  return out;
}

export function whereKernel(cond: Tensor, a: Tensor, b: Tensor, shape: readonly number[]): Tensor {
  const out = Tensor.output(shape, a.dtype);
  native.where(shape, [cond, a, b, out], cond.storage as Int32Array, a.storage, b.storage, out.storage);
  return out;
}

// dst[...] = src broadcast to dst's shape, converting dtype.
export function copyInto(src: Tensor, dst: Tensor): void {
  native.copy(dst.shape, [src, dst], src.storage, dst.storage);
}

// A dense copy of x in `dtype` (x itself when it already is one and `always` is false).
export function dense(x: Tensor, dtype: DType = x.dtype, always = false): Tensor {
  if (!always && x.dtype === dtype && x.isContiguous() && x.offset === 0 && x.storage.length === x.numel()) return x;
  const out = Tensor.output(x.shape, dtype);
  copyInto(x, out);
  return out;
}

export function convert(x: Tensor, dtype: DType): Tensor {
  return x.dtype === dtype ? x : dense(x, dtype);
}

// A view of t with another shape over the same elements (t must be contiguous).
export function viewAs(t: Tensor, shape: readonly number[]): Tensor {
  const c = t.isContiguous() ? t : dense(t);
  return new Tensor(c.storage, shape.slice(), contiguousStrides(shape), c.offset, c.dtype);
}

// Sum of x over the dims marked in `red`, times scale, in the keepdim shape.
export function sumKernel(x: Tensor, red: readonly boolean[], scale = 1): Tensor {
  const kshape = packedMap(x.shape, (d, i) => (red[i] ? 1 : d));
  const out = Tensor.output(kshape, x.dtype);
  native.sum(x.shape, [x, out], x.storage, out.storage, out.numel(), scale);
  return out;
}

// Sum over the rows of a matrix x [M, N]: [N] (a linear layer's bias gradient). The output, right-aligned
// to x's shape, has stride 0 over the rows, which is what the native sum reduces over.
export function sumRows(x: Tensor): Tensor {
  const out = Tensor.output([x.shape[1]], x.dtype);
  native.sum(x.shape, [x, out], x.storage, out.storage, out.numel(), 1);
  return out;
}

// Gradients summed back to `shape`: undoes broadcasting in elementwise rules.
export function sumTo(g: Tensor, shape: readonly number[]): Tensor {
  if (sameShape(g.shape, shape)) return g;
  const lead = g.ndim - shape.length;
  const red = packedMap(g.shape, (d, i) => i < lead || (shape[i - lead] === 1 && d !== 1));
  return viewAs(sumKernel(g, red), shape);
}

// g (of a reduced shape) broadcast back over `shape` as a stride-0 view; kshape is g's keepdim shape.
export function expandBack(g: Tensor, kshape: readonly number[], shape: readonly number[]): Tensor {
  const gk = viewAs(g, kshape);
  return new Tensor(gk.storage, shape.slice(), packedMap(gk.strides, (s, i) => (kshape[i] === 1 ? 0 : s)), gk.offset, gk.dtype);
}

// A zero-filled tensor with g written into the part `pick` selects (the rule of every view that
// selects part of its input: slice, select, narrow).
export function scatterView(shape: readonly number[], g: Tensor, pick: (t: Tensor) => Tensor): Tensor {
  const gx = Tensor.empty(shape, g.dtype);
  copyInto(g, pick(gx));
  return gx;
}

export function fill(t: Tensor, value: number): Tensor {
  native.fill(t.shape, [t], t.storage, value);
  return t;
}
