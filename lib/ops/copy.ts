// Copies: materialising views (contiguous, clone), dtype conversion, and copy_ into a view.
//   contiguous / clone:  dx = g
//   to(dtype):           dx = g.to(x.dtype)
//   alias:               dx = g
import { Tensor } from "../tensor.js";
import type { DType } from "../dtype.js";
import { native } from "../native.js";
import { fmt, broadcastShapes, sameShape, type Strided } from "../shape.js";
import { record } from "../autograd/node.js";

// dst[...] = src broadcast to dst's shape, converting dtype. Not recorded on the tape.
export function copyInto(src: Tensor, dst: Tensor): void {
  native.copy(dst.shape, [src, dst], src.storage, dst.storage);
}

export function clone(x: Tensor): Tensor {
  const out = Tensor.output(x.shape, x.dtype);
  copyInto(x, out);
  return record(out, "CloneBackward", [x], (g) => [g]);
}

// A new handle over x's storage (same shape, strides and values): what the public to() and
// contiguous() return when no copy is needed, so disposing the result cannot end x.
export function alias(x: Tensor): Tensor {
  const out = new Tensor(x.storage, x.shape, x.strides, x.offset, x.dtype);
  return record(out, "AliasBackward", [x], (g) => [g]);
}

// `dense`: also require the tensor to own its storage from offset 0, as kernels on flat
// buffers (softmax, cross-entropy, indexing, optimizers) do.
export function contiguous(x: Tensor, dense = false): Tensor {
  if (x.isContiguous() && (!dense || (x.offset === 0 && x.storage.length === x.numel))) return x;
  return clone(x);
}

export function toDType(x: Tensor, dtype: DType): Tensor {
  if (x.dtype === dtype) return x;
  const out = Tensor.output(x.shape, dtype);
  copyInto(x, out);
  if (dtype === "int32") return out;
  return record(out, "ToCopyBackward", [x], (g) => [g.to(x.dtype)]);
}

// In-place copy of src (broadcast) into dst, as torch's copy_; not differentiable.
export function copyTo(src: Tensor, dst: Tensor): void {
  const shape = broadcastShapes(src.shape, dst.shape, "copy_");
  if (!sameShape(shape, dst.shape))
    throw new Error(`copy_: source of shape ${fmt(src.shape)} cannot be broadcast to destination ${fmt(dst.shape)}`);
  if (dst.shape.some((d, i) => d > 1 && dst.strides[i] === 0))
    throw new Error(`copy_: the destination (shape ${fmt(dst.shape)}) is an expanded view whose elements overlap; copy into a contiguous tensor`);
  const same = src.storage === dst.storage && src.offset === dst.offset && sameShape(src.strides, dst.strides) && sameShape(src.shape, dst.shape);
  if (!same) copyInto(src, dst);
}

// Sets every element `t` covers (a tensor or any strided view of `storage`) to value.
export function fillInto(t: Strided, storage: Tensor["storage"], value: number): void {
  native.fill(t.shape, [t], storage, value);
}
