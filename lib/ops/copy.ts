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
import { checkTensor, describe } from "./check.js";
import { convert, copyInto, dense, fill, sumTo } from "./kernels.js";
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
    if (checkTensor(x, "to").dtype === d) return alias(x);
    const out = converting(`to(${d})`, () => convert(x, d));
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

// A leaf being trained must not change in place while grad is recorded, neither directly nor
// through a view of it (PyTorch refuses both): its gradient would belong to values it no longer has.
export function checkInPlace(t: Tensor, op: string): void {
  if (!isGradEnabled()) return;
  const base = t.base ?? t;
  if (!base.requiresGrad || !base.isLeaf) return;
  if (base === t)
    throw new Error(`${op}: a leaf tensor that requires grad cannot be changed in place; wrap the change in tg.noGrad(() => ...)`);
  throw new Error(`${op}: a view of a leaf tensor that requires grad is being used in an in-place operation ` +
    `(the leaf has shape [${base.shape.join(", ")}]); wrap the change in tg.noGrad(() => ...) or change a clone()`);
}

// An in-place write that overwrites every element of x with values carrying no gradient: x's history
// ends (x becomes a constant, as PyTorch's FillBackward gives zero). Into a view, the base's history would
// still send gradient to the overwritten elements (PyTorch's CopySlices), so that is refused loudly.
function dropHistory(x: Tensor, op: string): void {
  if (!isGradEnabled() || !(x.base ?? x).requiresGrad) return;
  if (x.base) throw viewOfHistory(x, op);
  x.gradFn = null;
  x.requiresGrad = false;
  x.historyEpoch++;
}

const viewOfHistory = (x: Tensor, op: string) => new Error(`${op}: writing into a view (shape ${fmt(x.shape)}) of a tensor with ` +
  `autograd history (shape ${fmt(x.base!.shape)}) is not supported: that tensor's gradient would still reach the overwritten ` +
  `elements; build the result out of place (tg.where, tg.cat, maskedFill) or write under tg.noGrad`);

export const fill_ = defineOp({
  name: "fill_", doc: "every element set to value, in place", method: "only", differentiable: false,
  forward(x: Tensor, value: number): Tensor {
    checkInPlace(x, "fill_");
    checkFillValue(value, x.dtype, "fill_");
    dropHistory(x, "fill_");
    fill(x, value);
    bumpVersion(x.storage);
    return x;
  },
});
export const zero_ = defineOp({ name: "zero_", doc: "every element set to 0, in place", method: "only", differentiable: false, forward: (x: Tensor): Tensor => fill_(x, 0) });

interface CopyCtx {
  shape: number[];
  dtype: DType;
}

// copy_ as an autograd op: the destination's old values are all overwritten, so its history is
// replaced by CopyBackwards, whose gradient goes to the source (summed over broadcast dims, in the
// source's dtype); a source that needs no grad leaves the destination without history. A view's base
// would keep a history that no longer describes its data, so that case is refused loudly.
// (differentiable: false only keeps the registry's gradCheck away: an in-place op on a leaf is refused.)
export const copy_ = defineOp({
  name: "copy_", doc: "src (broadcast) copied into x, in place; differentiable with respect to src", method: "only",
  differentiable: false, node: "CopyBackwards",
  forward(dst: Tensor, src: Tensor): Tensor {
    checkInPlace(dst, "copy_");
    checkTensor(src, "copy_", "source");
    const shape = broadcastShapes(src.shape, dst.shape, "copy_");
    if (!sameShape(shape, dst.shape))
      throw new Error(`copy_: source of shape ${fmt(src.shape)} cannot be broadcast to destination ${fmt(dst.shape)}`);
    if (dst.numel > 0 && dst.shape.some((d, i) => d > 1 && dst.strides[i] === 0))
      throw new Error(`copy_: the destination (shape ${fmt(dst.shape)}) is an expanded view whose elements overlap; copy into a contiguous tensor`);
    // Refusals come before the write, so a refused copy_ changes nothing.
    const records = isGradEnabled() && (src.requiresGrad || dst.requiresGrad);
    if (records && dst.base && src.requiresGrad)
      throw new Error(`copy_: copying a tensor that requires grad into a view (shape [${dst.shape.join(", ")}]) is not supported: ` +
        `the view's base would lose the gradient path; build the result with tg.cat / tg.where instead`);
    if (records) dropHistory(dst, "copy_");
    const same = src.storage === dst.storage && src.offset === dst.offset && sameShape(src.strides, dst.strides) && sameShape(src.shape, dst.shape);
    if (!same) converting("copy_", () => copyInto(src, dst));
    bumpVersion(dst.storage);
    if (!records) return dst;
    return this.record(dst, [src], { shape: src.shape, dtype: src.dtype });
  },
  backward: (c: CopyCtx, g) => [convert(sumTo(g, c.shape), c.dtype)],
});

// A fill value must be a number, and one int32 can hold when the tensor is int32 (truncated toward
// zero, as PyTorch converts; NaN, ±inf and values out of range are refused as PyTorch refuses them).
export function checkFillValue(value: unknown, dtype: DType, op: string): number {
  if (typeof value !== "number") throw new TypeError(`${op}: the fill value must be a number, got ${describe(value)}`);
  if (dtype === "int32" && !(value > -2147483649 && value < 2147483648))
    throw new RangeError(`${op}: the value ${value} cannot be converted to int32 without overflow`);
  return value;
}

// Runs a native conversion, naming `op` when a float has no int32 value (NaN, ±inf, out of range).
export function converting<T>(op: string, run: () => T): T {
  try {
    return run();
  } catch (e) {
    if (e instanceof Error && e.message.includes("has no int32 equivalent"))
      throw new RangeError(`${op}: ${e.message.replace(/^tensorgrad\.\w+: /, "")}`);
    throw e;
  }
}
