// F.oneHot: int32 class indices to one-hot rows, as one native comparison of x against 0..C−1.
import { Tensor } from "../tensor.js";
import { compareKernel } from "./kernels.js";
import { arange } from "./creation.js";
import { checkTensor, describe } from "./check.js";
import { refuseSurplus } from "../arity.js";

/**
 * F.one_hot: for int32 class indices x of any shape, an int32 tensor of shape [...x.shape, numClasses]
 * with 1 at each index (PyTorch returns int64). numClasses −1 (default) is max(x) + 1.
 * @throws TypeError for a non-int32 tensor or a non-integer numClasses; Error for a negative index, an
 *   index >= numClasses, or numClasses −1 with an empty x (nothing to infer it from), as PyTorch.
 */
export function oneHot(x: Tensor, numClasses = -1): Tensor {
  refuseSurplus(oneHot, arguments.length);
  if (checkTensor(x, "oneHot").dtype !== "int32")
    throw new TypeError(`oneHot: x must be an int32 tensor of class indices, got ${x.dtype}; convert with .int()`);
  if (!Number.isInteger(numClasses) || numClasses < -1)
    throw new TypeError(`oneHot: numClasses must be an integer >= 0 (or -1 to infer it), got ${describe(numClasses)}`);
  if (x.numel() === 0 && numClasses === -1) throw new Error("oneHot: cannot infer numClasses from an empty tensor; pass it");
  if (x.numel() > 0) {
    const lo = x.min().item(), hi = x.max().item();
    if (lo < 0) throw new Error(`oneHot: class values must be non-negative, got ${lo}`);
    if (numClasses === -1) numClasses = hi + 1;
    else if (hi >= numClasses) throw new Error(`oneHot: class values must be smaller than numClasses (${numClasses}), got ${hi}`);
  }
  const classes = arange(numClasses, undefined, 1, { dtype: "int32" });
  return compareKernel("eq", x.unsqueeze(-1), classes, [...x.shape, numClasses]);
}
