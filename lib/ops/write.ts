// What every in-place op (fill_, zero_, copy_, add_, sub_, mul_, div_, clamp_) shares: the checks made
// before anything is written, and how a recorded write enters autograd.
//   - Refused (as PyTorch) while grad is enabled: a leaf that requires grad, or a view of one; a view
//     made under noGrad whose write would be recorded. Always: a target whose elements share memory
//     (an expanded view), except for fill_/zero_, which PyTorch allows there.
//   - Recorded when grad is enabled, the target is a float tensor, and it, its base or the operand
//     requires grad. The op computes its result out of place (with its history), and the result is
//     written into the target:
//       into a tensor that is not a view, the target takes the result's history (add_ → AddBackward0);
//       into a view, its base's history becomes CopySlices (autograd/view-history.ts) and the view's,
//       and every other view's of that base, is regenerated from it.
//   - Otherwise the op's kernel writes the target directly.
// Every write bumps the storage's version, so a rule that saved the old values refuses to run.
import { Tensor } from "../tensor.js";
import { isFloat } from "../dtype.js";
import { fmt, sameShape } from "../shape.js";
import { isGradEnabled } from "../autograd/grad-mode.js";
import { bumpVersion } from "../autograd/version.js";
import { moveRetained } from "../autograd/node.js";
import { checkViewWrite, historyChanged, rebaseView, refuseExpanded } from "../autograd/view-history.js";
import { copyInto, dense } from "./kernels.js";

/**
 * The checks before `op` writes x in place with `operand`; returns whether the write is recorded.
 * @throws Error for a leaf that requires grad or a view of one (while grad is enabled), an overlapping
 *   target (unless `overlapOk`), or a recorded write into a view made under noGrad.
 */
export function beginWrite(x: Tensor, op: string, operand: unknown, overlapOk = false): boolean {
  const base = x.base ?? x;
  const grad = isGradEnabled();
  // (A view made a leaf by requiresGrad_() is a leaf that requires grad itself.)
  if (grad && x.requiresGrad && x.isLeaf)
    throw new Error(`${op}: a leaf tensor that requires grad cannot be changed in place; wrap the change in tg.noGrad(() => ...)`);
  if (grad && base.requiresGrad && base.isLeaf)
    throw new Error(`${op}: a view of a leaf tensor that requires grad is being used in an in-place operation ` +
      `(the leaf has shape ${fmt(base.shape)}); wrap the change in tg.noGrad(() => ...) or change a clone()`);
  if (!overlapOk) refuseExpanded(x, op, "the tensor", "write into a clone() (or a contiguous tensor) instead");
  // An int32 tensor never carries a gradient (as PyTorch: integer outputs are not differentiable).
  const recorded = grad && isFloat(x.dtype) && (base.requiresGrad || x.requiresGrad || (operand instanceof Tensor && operand.requiresGrad));
  if (recorded && x.base) checkViewWrite(x, op);
  return recorded;
}

/** `src` as a tensor x can be written from: a copy when it shares x's memory in another layout (it would be read after being overwritten). */
export function unaliased(src: Tensor, x: Tensor): Tensor {
  const aliased = src.storage === x.storage && !(src.offset === x.offset && sameShape(src.strides, x.strides) && sameShape(src.shape, x.shape));
  return aliased ? dense(src, src.dtype, true) : src;
}

/**
 * The last step of a recorded add_/sub_/mul_/div_/clamp_: `value`, the result computed out of place with its
 * history (x's shape and dtype), is written into x; x takes value's history or, for a view, its base's
 * history becomes CopySlices. value is disposed.
 */
export function writeResult(x: Tensor, value: Tensor, op: string): Tensor {
  writeFrom(value, x, op);
  bumpVersion(x.storage);
  if (x.base) rebaseView(x, value);
  else {
    moveRetained(x, value.gradFn!, value.outputNr);
    x.gradFn = value.gradFn;
    x.outputNr = value.outputNr;
    x.requiresGrad = true;
    historyChanged(x);
  }
  value.dispose();
  return x;
}

/** copyInto naming `op` when a float has no int32 value (NaN, ±inf, out of range). */
export function writeFrom(src: Tensor, x: Tensor, op: string): void {
  converting(op, () => copyInto(unaliased(src, x), x));
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
