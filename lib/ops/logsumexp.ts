// logsumexp along dims, stable in native code: m + log Σ e^(x − m) with m the line's max (0 when m
// is ±inf). Its rule, native too:  dx = g · e^(x − y), and 0 on lines whose result is −inf (every
// element −inf: nothing contributes, where e^(−inf − (−inf)) would give NaN).
import { Tensor } from "../tensor.js";
import { native } from "../native.js";
import { defineOp } from "./define.js";
import { checkTensor, describe, dimKeepdim, type DimKeepdimOptions, type KeepdimOptions } from "./check.js";
import { convert, dense, viewAs } from "./kernels.js";
import { linesOf, type Lines } from "./lines.js";
import { outShape, reducedDims } from "./reduce.js";
import { args, vals } from "./samples.js";

interface LogsumexpCtx {
  x: Tensor;  // the input in line order (saved, so version-checked)
  y: Tensor;  // one result per line
  L: Lines;
}

/**
 * torch.logsumexp: log Σ exp(x) over `dim` (one dim or several; required, as in PyTorch), computed
 * stably: exact for logits of 1e38, −inf for a line of −inf (gradient 0 there), +inf when any element
 * is +inf, NaN when any is NaN. Shape: x's with the reduced dims dropped (kept as 1 with keepdim).
 * float32/float64 (int32 input is computed in float32).
 * keepdim: a boolean, or `{keepdim}` as PyTorch's keyword.
 * @throws TypeError for a missing dim or a keepdim that is not a boolean; RangeError for a dim out of range.
 */
export const logsumexp = defineOp({
  name: "logsumexp", doc: "log Σ exp(x) over dim(s), stable (a line of −inf gives −inf, gradient 0)", method: true,
  sample: () => args(vals([2, 3]), 1),
  forward(x: Tensor, dimOrOptions: number | number[] | DimKeepdimOptions<number | number[]>, keepdim?: boolean | KeepdimOptions): Tensor {
    if (checkTensor(x, "logsumexp").dtype === "int32") x = convert(x, "float32");
    const [dim, kd] = dimKeepdim("logsumexp", dimOrOptions, keepdim);
    if (typeof dim !== "number" && !Array.isArray(dim)) throw new TypeError(`logsumexp: dim must be a number or an array of numbers, got ${describe(dim)}`);
    const red = reducedDims(x, dim, "logsumexp");
    const L = linesOf(x, red);
    const y = Tensor.output(L.kshape, x.dtype);
    native.logsumexp(L.x.storage, y.storage, L.outer, L.D, L.inner);
    return this.record(viewAs(y, outShape(x, red, kd)), [x], { x: L.x, y, L });
  },
  backward(c: LogsumexpCtx, g) {
    const gx = Tensor.output(c.x.shape, c.x.dtype);
    native.logsumexpBackward(c.x.storage, c.y.storage, dense(g).storage, gx.storage, c.L.outer, c.L.D, c.L.inner);
    return [c.L.back(gx)];
  },
});
