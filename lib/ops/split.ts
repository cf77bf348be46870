// Splitting a tensor into views along a dim: chunk and split, as PyTorch's. Both are narrows of the
// input (views sharing its storage), so gradients flow through each piece by narrow's own rule.
import type { Tensor } from "../tensor.js";
import { defineOp } from "./define.js";
import { checkTensor, describe, dimArgument, dimOf, type DimOptions } from "./check.js";
import { narrow } from "./views.js";
import { args, vals } from "./samples.js";

export type { DimOptions };

// x.chunk(2, 1) and x.chunk(2, {dim: 1}) alike; checked against x's dims.
function dimArg(x: Tensor, dim: number | DimOptions | undefined, op: string): number {
  const d = dimArgument(op, dim);
  if (d !== undefined && !Number.isInteger(d)) throw new TypeError(`${op}: dim must be an integer, got ${describe(d)}`);
  if (checkTensor(x, op).ndim === 0) throw new RangeError(`${op}: a 0-d tensor cannot be split; reshape it to [1] first`);
  return dimOf(x, d ?? 0, op);
}

// The pieces of the given sizes along dim d, in order.
const pieces = (x: Tensor, d: number, sizes: number[]): Tensor[] => {
  let start = 0;
  return sizes.map((n) => narrow(x, d, (start += n) - n, n));
};

/**
 * torch.chunk: x split along `dim` (default 0) into at most `chunks` views of ceil(size / chunks)
 * elements each, the last smaller (so fewer than `chunks` when the size does not allow them, as
 * PyTorch: 5 elements in 4 chunks give sizes 2, 2, 1); an empty dim gives `chunks` empty views.
 * Any dtype; each piece shares x's storage and passes gradients back to x.
 * @throws RangeError when chunks is not a positive integer, for a dim out of range, or for a 0-d x.
 */
export const chunk = defineOp({
  name: "chunk", doc: "at most `chunks` views along dim (default 0) of ceil(size / chunks) elements, the last smaller", method: true,
  sample: () => args(vals([2, 5]), 2, 1),
  forward(x: Tensor, chunks: number, dim?: number | DimOptions): Tensor[] {
    if (!Number.isInteger(chunks) || chunks < 1) throw new RangeError(`chunk: chunks must be a positive integer, got ${describe(chunks)}`);
    const d = dimArg(x, dim, "chunk"), n = x.shape[d];
    if (n === 0) return pieces(x, d, new Array<number>(chunks).fill(0));
    const size = Math.ceil(n / chunks);
    return pieces(x, d, Array.from({ length: Math.ceil(n / size) }, (_, i) => Math.min(size, n - i * size)));
  },
});

/**
 * torch.split: x split along `dim` (default 0) into views of `splitSize` elements (the last smaller),
 * or of the given sizes when `splitSize` is an array (which must add up to the dim's size). Any dtype;
 * each piece shares x's storage and passes gradients back to x.
 * @throws RangeError for a size that is not a non-negative integer (a zero splitSize on a non-empty dim),
 * sizes that do not add up, a dim out of range, or a 0-d x.
 */
export const split = defineOp({
  name: "split", doc: "views along dim (default 0) of splitSize elements (the last smaller), or of the listed sizes", method: true,
  sample: () => args(vals([3, 4]), [1, 3], { dim: 1 }),
  forward(x: Tensor, splitSize: number | number[], dim?: number | DimOptions): Tensor[] {
    const d = dimArg(x, dim, "split"), n = x.shape[d];
    const bad = (s: unknown) => !Number.isInteger(s) || (s as number) < 0;
    if (Array.isArray(splitSize)) {
      if (splitSize.some(bad) || splitSize.reduce((a, b) => a + b, 0) !== n)
        throw new RangeError(`split: sizes [${splitSize.join(", ")}] must be integers >= 0 adding up to ${n}, the size of dim ${d}`);
      return pieces(x, d, splitSize);
    }
    if (bad(splitSize) || (splitSize === 0 && n > 0))
      throw new RangeError(`split: splitSize must be a positive integer (or an array of sizes), got ${describe(splitSize)}`);
    // An empty dim is one empty piece, as PyTorch (also for a splitSize of 0, where n / splitSize is NaN).
    const count = n === 0 ? 1 : Math.ceil(n / splitSize);
    return pieces(x, d, Array.from({ length: count }, (_, i) => Math.min(splitSize, n - i * splitSize)));
  },
});
