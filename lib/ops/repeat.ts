// Tiling: x.repeat(...), as PyTorch's. A composite of views: x with a size-1 dim inserted before each
// of its dims, expanded to the repeat counts (stride 0, no copy yet), then reshaped, which makes the
// one copy. The gradient sums each tile back into x through expand's rule.
import type { Tensor } from "../tensor.js";
import { defineOp } from "./define.js";
import { checkTensor, describe, shapeArgs } from "./check.js";
import { expand, reshape } from "./views.js";
import { args, vals } from "./samples.js";

type Sizes = (number | number[])[];

/**
 * torch.Tensor.repeat: x tiled `repeats[i]` times along each dim, as a new contiguous tensor of shape
 * `[shape[i] · repeats[i]]`. `repeats` may have more entries than x has dims (x gains leading dims of size
 * 1, as in PyTorch); a repeat of 0 gives an empty dim. `x.repeat(2, 1)` or `x.repeat([2, 1])`; any dtype;
 * the gradient is the sum over the tiles.
 * @throws RangeError when there are fewer repeats than dims or one is not a non-negative integer.
 */
export const repeat = defineOp({
  name: "repeat", doc: "x tiled repeats[i] times along each dim (a copy; extra repeats add leading dims)",
  method(this: Tensor, ...repeats: Sizes): Tensor { return repeat(this, shapeArgs(repeats)); },
  sample: () => args(vals([2, 3]), [2, 1, 2]),
  forward(x: Tensor, repeats: readonly number[]): Tensor {
    const lead = repeats.length - checkTensor(x, "repeat").ndim;
    if (lead < 0)
      throw new RangeError(`repeat: [${repeats.join(", ")}] has fewer repeats than the tensor's ${x.ndim} dims (shape [${x.shape.join(", ")}])`);
    if (repeats.some((r) => !Number.isInteger(r) || r < 0))
      throw new RangeError(`repeat: repeats must be integers >= 0, got [${repeats.map(describe).join(", ")}]`);
    const shape = [...new Array<number>(lead).fill(1), ...x.shape];
    // [1, s0, 1, s1, …] expanded to [r0, s0, r1, s1, …], then merged pairwise to [r0·s0, r1·s1, …].
    const interleaved = reshape(x, shape.flatMap((s) => [1, s]));
    const tiled = expand(interleaved, shape.flatMap((s, i) => [repeats[i], s]));
    return reshape(tiled, shape.map((s, i) => s * repeats[i]));
  },
});
