// Copies: materialising views (contiguous, clone), dtype conversion, and the in-place writes
// fill_/zero_/copy_ (not recorded; refused on a leaf that requires grad, and counted by the
// version counter so a rule that saved the tensor refuses to run).
//   contiguous / clone:  dx = g
//   to(dtype):           dx = g converted back to x's dtype
//   alias:               dx = g
import { Tensor } from "../tensor.js";
import { checkDType, type DType } from "../dtype.js";
import { fmt, broadcastShapes, sameShape } from "../shape.js";
import { isGradEnabled } from "../autograd/grad-mode.js";
import { bumpVersion } from "../autograd/version.js";
import { defineOp } from "./define.js";
import { record } from "../autograd/node.js";
import { checkTensor } from "./check.js";
import { convert, copyInto, dense, fill } from "./kernels.js";
import { args, vals } from "./samples.js";

const x23 = () => args(vals([2, 3]));

export const clone = defineOp({
  name: "clone", doc: "a copy with its own storage", method: true, sample: x23,
  forward(x: Tensor): Tensor {
    return this.record(dense(checkTensor(x, "clone"), x.dtype, true), [x], {});
  },
  backward: (_c: object, g) => [g],
});

// A new handle over x's storage (same shape, strides and values): what to() and contiguous()
// return when no copy is needed, so disposing the result cannot end x (lib/storage.ts).
function alias(x: Tensor): Tensor {
  const out = new Tensor(x.storage, x.shape, x.strides, x.offset, x.dtype);
  return record("AliasBackward0", [out], [x], {}, (_c: object, g) => [g[0]]);
}

// `dense`: also require the tensor to own its storage from offset 0, as kernels on flat
// buffers (softmax, cross-entropy, indexing, optimizers) do.
export const contiguous = defineOp({
  name: "contiguous", doc: "a new handle sharing x's storage if contiguous, else a contiguous copy", method: "only", sample: () => args(vals([2, 3]).t()),
  forward(x: Tensor, dense = false): Tensor {
    if (x.isContiguous() && (!dense || (x.offset === 0 && x.storage.length === x.numel))) return alias(x);
    return clone(x);
  },
});

interface ToCtx {
  dtype: DType;
}

export const to = defineOp({
  name: "to", doc: "x converted to dtype (a new handle sharing x's storage if it already has it)", method: "only", node: "ToCopyBackward0",
  sample: () => args(vals([2, 3]), "float64"),
  forward(x: Tensor, dtype: DType): Tensor {
    const d = checkDType(dtype, "to");
    if (x.dtype === d) return alias(x);
    const out = convert(x, d);
    return d === "int32" ? out : this.record(out, [x], { dtype: x.dtype });
  },
  backward: (c: ToCtx, g) => [convert(g, c.dtype)],
});

export const float = defineOp({
  name: "float", doc: "x.to(\"float32\")", method: "only", sample: x23, check: { eps: 1e-3, atol: 1e-4, rtol: 1e-2 },
  forward: (x: Tensor): Tensor => to(x, "float32"),
});
export const double = defineOp({ name: "double", doc: "x.to(\"float64\")", method: "only", sample: x23, forward: (x: Tensor): Tensor => to(x, "float64") });
export const int = defineOp({ name: "int", doc: "x.to(\"int32\") (truncates)", method: "only", differentiable: false, forward: (x: Tensor): Tensor => to(x, "int32") });

// In-place ops are not recorded on the tape, so a leaf being trained must not change that way.
function checkInPlace(t: Tensor, op: string): void {
  if (t.requiresGrad && t.isLeaf && isGradEnabled())
    throw new Error(`${op}: a leaf tensor that requires grad cannot be changed in place; wrap the change in tg.noGrad(() => ...)`);
}

export const fill_ = defineOp({
  name: "fill_", doc: "every element set to value, in place", method: "only", differentiable: false,
  forward(x: Tensor, value: number): Tensor {
    checkInPlace(x, "fill_");
    fill(x, value);
    bumpVersion(x.storage);
    return x;
  },
});
export const zero_ = defineOp({ name: "zero_", doc: "every element set to 0, in place", method: "only", differentiable: false, forward: (x: Tensor): Tensor => fill_(x, 0) });

export const copy_ = defineOp({
  name: "copy_", doc: "src (broadcast) copied into x, in place", method: "only", differentiable: false,
  forward(dst: Tensor, src: Tensor): Tensor {
    checkInPlace(dst, "copy_");
    checkTensor(src, "copy_", "source");
    const shape = broadcastShapes(src.shape, dst.shape, "copy_");
    if (!sameShape(shape, dst.shape))
      throw new Error(`copy_: source of shape ${fmt(src.shape)} cannot be broadcast to destination ${fmt(dst.shape)}`);
    if (dst.shape.some((d, i) => d > 1 && dst.strides[i] === 0))
      throw new Error(`copy_: the destination (shape ${fmt(dst.shape)}) is an expanded view whose elements overlap; copy into a contiguous tensor`);
    const same = src.storage === dst.storage && src.offset === dst.offset && sameShape(src.strides, dst.strides) && sameShape(src.shape, dst.shape);
    if (!same) copyInto(src, dst);
    bumpVersion(dst.storage);
    return dst;
  },
});
