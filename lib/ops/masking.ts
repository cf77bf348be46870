// maskedFill: x with value where an int32 mask is nonzero (PyTorch's masked_fill, whose bool mask is
// an int32 0/1 mask here, as the comparisons return). Built on `where`, whose rule sends g to x
// where the mask is 0 (and, for a 0-d tensor value, the rest to the value).
import { Tensor } from "../tensor.js";
import { broadcastShapes, fmt, sameShape } from "../shape.js";
import { defineOp } from "./define.js";
import { checkTensor, describe } from "./check.js";
import { checkFillValue } from "./copy.js";
import { where } from "./elementwise.js";
import { args, ints, vals } from "./samples.js";

/**
 * torch.Tensor.masked_fill: x (any shape, any dtype) with `value` where `mask` is nonzero. mask: an int32
 * tensor broadcasting to x's shape (a comparison's result). value: a number (truncated toward zero for an
 * int32 x, as PyTorch converts) or a 0-d tensor (differentiable). The result has x's shape and dtype.
 * @throws TypeError for a non-int32 mask or a bad value; Error when the mask does not broadcast to x;
 *   RangeError for NaN/±inf/out-of-range values into int32.
 */
export const maskedFill = defineOp({
  name: "maskedFill", doc: "value where the int32 mask (broadcast to x) is nonzero, else x", method: true,
  sample: () => args(vals([2, 3]), ints([1, 0, 1], [3]), -0.5),
  forward(x: Tensor, mask: Tensor, value: number | Tensor): Tensor {
    checkTensor(x, "maskedFill", "input");
    if (checkTensor(mask, "maskedFill", "mask").dtype !== "int32")
      throw new TypeError(`maskedFill: mask must be an int32 0/1 tensor (as x.gt(0) returns), got ${mask.dtype}`);
    if (!sameShape(broadcastShapes(mask.shape, x.shape, "maskedFill"), x.shape))
      throw new Error(`maskedFill: mask of shape ${fmt(mask.shape)} does not broadcast to the input's shape ${fmt(x.shape)}`);
    if (value instanceof Tensor) {
      if (value.ndim !== 0) throw new Error(`maskedFill: a tensor value must be 0-d, got shape ${fmt(value.shape)}`);
      return where(mask, value.to(x.dtype), x);
    }
    if (typeof value !== "number") throw new TypeError(`maskedFill: value must be a number or a 0-d Tensor, got ${describe(value)}`);
    const v = x.dtype === "int32" ? Math.trunc(checkFillValue(value, "int32", "maskedFill")) : value;
    return where(mask, v, x);
  },
});
