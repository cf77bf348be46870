// Copies: materialising views (contiguous, clone), dtype conversion, and the in-place writes
// fill_/zero_/copy_ (their checks and autograd shared with the other in-place ops: write.ts).
//   contiguous / clone:  dx = g
//   to(dtype):           dx = g converted back to x's dtype
//   alias:               dx = g
import { Tensor } from "../tensor.js";
import { checkDType, isCpuDevice, noDevice, type DType } from "../dtype.js";
import { toArguments } from "../options.js";
import { fmt, broadcastShapes, sameShape } from "../shape.js";
import { bumpVersion } from "../autograd/version.js";
import { historyChanged, rebaseView } from "../autograd/view-history.js";
import { defineOp } from "./define.js";
import { record } from "../autograd/node.js";
import { checkTensor, describe } from "./check.js";
import { convert, dense, fill, sumTo } from "./kernels.js";
import { viewOf } from "./views.js";
import { beginWrite, converting, writeFrom } from "./write.js";
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
// It is a view: a write through it changes x (PyTorch returns x itself).
function alias(x: Tensor): Tensor {
  return record("AliasBackward0", [viewOf(x, x.shape, x.strides)], [x], {}, (_c: object, g) => [g[0]]);
}

// `dense`: also require the tensor to own its storage from offset 0, as kernels on flat
// buffers (softmax, cross-entropy, indexing, optimizers) do.
export const contiguous = defineOp({
  name: "contiguous",
  doc: "a new handle sharing x's storage if contiguous, else a contiguous copy; contiguous(true) also copies a view that does not span its whole storage",
  method: "only", sample: () => args(vals([2, 3]).t()),
  forward(x: Tensor, ownStorage = false): Tensor {
    if (typeof ownStorage !== "boolean")
      throw new TypeError(`contiguous: ownStorage must be a boolean (true: a tensor spanning a storage of its own), got ${describe(ownStorage)}; PyTorch's memory_format has no counterpart (tensors are row-major)`);
    if (x.isContiguous() && (!ownStorage || (x.offset === 0 && x.storage.length === x.numel()))) return alias(x);
    return clone(x);
  },
});

// x as int32 (truncating toward zero; not recorded: no gradient flows to integers). A value int32 cannot hold
// (NaN, ±inf, beyond ±2^31) is a RangeError that names `op`, the function the user called.
function asInt32(x: Tensor, op: string): Tensor {
  return checkTensor(x, op).dtype === "int32" ? alias(x) : converting(op, () => convert(x, "int32"));
}

interface ToCtx {
  dtype: DType;
}

/** PyTorch's keyword form of `to`: `x.to({device: "cpu", dtype: "float64"})`. */
export interface ToOptions {
  device?: "cpu";
  dtype?: DType;
}

/**
 * PyTorch's `x.to(dtype)`, `x.to("cpu")`, `x.to("cpu", dtype)` and `x.to({device, dtype})`: x converted to dtype, or a new handle over x's own
 * storage when it already has it (the CPU is the only device, so "cpu" changes nothing). The gradient flows back
 * converted to x's dtype; int32 gets none.
 * @throws Error for another device ("cuda", …); TypeError for an unknown dtype; RangeError for a value int32 cannot hold.
 */
export const to = defineOp({
  name: "to", doc: "x converted to dtype (a new handle sharing x's storage if it already has it; \"cpu\" changes nothing)", method: "only", node: "ToCopyBackward0",
  sample: () => args(vals([2, 3]), "float64"),
  forward(x: Tensor, dtypeArg: DType | "cpu" | ToOptions, dtypeAfter?: DType): Tensor {
    const [dtype, thenDtype] = toArguments("to", dtypeArg, dtypeAfter);
    if (isCpuDevice(dtype, "to")) return thenDtype === undefined ? alias(checkTensor(x, "to")) : to(x, thenDtype);
    const d = checkDType(dtype, "to");
    if (d === "int32") return asInt32(x, "to(int32)");
    if (checkTensor(x, "to").dtype === d) return alias(x);
    return this.record(convert(x, d), [x], { dtype: x.dtype });
  },
  backward: (c: ToCtx, g) => [convert(g, c.dtype)],
});

export const float = defineOp({
  name: "float", doc: "x.to(\"float32\")", method: "only", sample: x23, check: { eps: 1e-3, atol: 1e-4, rtol: 1e-2 },
  forward: (x: Tensor): Tensor => to(x, "float32"),
});
export const double = defineOp({ name: "double", doc: "x.to(\"float64\")", method: "only", sample: x23, forward: (x: Tensor): Tensor => to(x, "float64") });
export const int = defineOp({ name: "int", doc: "x.to(\"int32\") (truncates)", method: "only", differentiable: false, forward: (x: Tensor): Tensor => asInt32(x, "int") });
/** PyTorch's `x.cpu()`: x itself in a new handle (tensorgrad runs on the CPU only), as `x.to("cpu")`. */
export const cpu = defineOp({ name: "cpu", doc: "x.to(\"cpu\"): x in a new handle (the CPU is the only device)", method: "only", sample: x23, forward: (x: Tensor): Tensor => to(x, "cpu") });
/**
 * PyTorch's `x.cuda()`, refused: tensorgrad runs on the CPU only, so code ported from PyTorch learns to drop the call.
 * @throws Error always (naming the device and the call to drop).
 */
export const cuda = defineOp({
  name: "cuda", doc: "refused: tensorgrad runs on the CPU only (drop the .cuda())", method: "only", differentiable: false,
  forward(x: Tensor): Tensor {
    checkTensor(x, "cuda");
    throw noDevice("cuda", "cuda", ".cuda()");
  },
});
/** PyTorch's `x.long()` for labels and indices: x.to("int32"), tensorgrad's integer dtype (it has no int64). */
export const long = defineOp({ name: "long", doc: "x.to(\"int32\"): tensorgrad's integer dtype stands in for int64", method: "only", differentiable: false, forward: (x: Tensor): Tensor => asInt32(x, "long") });

// fill_ and zero_: every element of x set to one value. Over a tensor with history, the node (PyTorch's
// FillBackward2 / ZeroBackward0) gives its old values a zero gradient; into a view, the base's history
// becomes CopySlices with nothing behind the region (write.ts).
function fillInPlace(x: Tensor, value: number, op: string, node: string): Tensor {
  checkTensor(x, op);
  checkFillValue(value, x.dtype, op);
  return overwrite(x, op, node, true, () => fill(x, value));
}

/**
 * An in-place op that overwrites every element of x with values that do not depend on x (fill_, zero_,
 * uniform_, normal_): the shared in-place checks (write.ts), `write()`, the version bump, and, when
 * recorded, a `node` giving the old values a zero gradient (into a view: CopySlices on its base).
 * @param overlapOk - whether an expanded x (elements sharing memory) may be written.
 */
export function overwrite(x: Tensor, op: string, node: string, overlapOk: boolean, write: () => void): Tensor {
  const recorded = beginWrite(x, op, null, overlapOk);
  write();
  bumpVersion(x.storage);
  if (recorded && x.base) rebaseView(x, null);
  else if (recorded) {
    record(node, [x], [x], { shape: x.shape }, zeroGrad);
    historyChanged(x);
  }
  return x;
}
const zeroGrad = (c: { shape: number[] }, g: (Tensor | null)[]) => [Tensor.empty(c.shape, g[0]!.dtype)];

export const fill_ = defineOp({
  name: "fill_", doc: "every element set to value (recorded by autograd, through views too)", method: "only", differentiable: false,
  forward: (x: Tensor, value: number): Tensor => fillInPlace(x, value, "fill_", "FillBackward2"),
});
export const zero_ = defineOp({
  name: "zero_", doc: "every element set to 0 (as fill_)", method: "only", differentiable: false,
  forward: (x: Tensor): Tensor => fillInPlace(x, 0, "zero_", "ZeroBackward0"),
});

interface CopyCtx {
  shape: number[];
  dtype: DType;
  // Whether the destination had a history (its old values get a zero gradient).
  dstGrad: boolean;
}

// copy_ as an autograd op (PyTorch's CopyBackwards): the destination's old values are all overwritten, so
// they get a zero gradient, and the source gets the gradient (summed over broadcast dims, in its dtype).
// Into a view, the base's history becomes CopySlices instead (write.ts).
// (differentiable: false only keeps the registry's gradCheck away: an in-place op on a leaf is refused.)
export const copy_ = defineOp({
  name: "copy_", doc: "src (broadcast, converted) copied into x; gradients flow to src (through views too)", method: "only",
  differentiable: false, node: "CopyBackwards",
  forward(dst: Tensor, src: Tensor): Tensor {
    checkTensor(dst, "copy_");
    checkTensor(src, "copy_", "source");
    const shape = broadcastShapes(src.shape, dst.shape, "copy_");
    if (!sameShape(shape, dst.shape))
      throw new Error(`copy_: source of shape ${fmt(src.shape)} cannot be broadcast to destination ${fmt(dst.shape)}`);
    const recorded = beginWrite(dst, "copy_", src);
    const dstGrad = dst.requiresGrad;
    const same = src.storage === dst.storage && src.offset === dst.offset && sameShape(src.strides, dst.strides) && sameShape(src.shape, dst.shape);
    if (!same) writeFrom(src, dst, "copy_");
    bumpVersion(dst.storage);
    if (!recorded) return dst;
    if (dst.base) {
      rebaseView(dst, src);
      return dst;
    }
    this.record(dst, [dst, src], { shape: src.shape, dtype: src.dtype, dstGrad });
    historyChanged(dst);
    return dst;
  },
  backward: (c: CopyCtx, g): (Tensor | null)[] => [c.dstGrad ? Tensor.empty(g.shape, g.dtype) : null, convert(sumTo(g, c.shape), c.dtype)],
});

// A fill value must be a number, and one int32 can hold when the tensor is int32 (truncated toward
// zero, as PyTorch converts; NaN, ±inf and values out of range are refused as PyTorch refuses them).
export function checkFillValue(value: unknown, dtype: DType, op: string): number {
  if (typeof value !== "number") throw new TypeError(`${op}: the fill value must be a number, got ${describe(value)}`);
  if (dtype === "int32" && !(value > -2147483649 && value < 2147483648))
    throw new RangeError(`${op}: the value ${value} cannot be converted to int32 without overflow`);
  return value;
}
