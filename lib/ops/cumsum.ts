// Running sums along a dim in native code (native/kernels/reduce/lines.cc). The rule:
//   dx = the running sum of g from the end of each line (the same kernel, reversed)
import { Tensor } from "../tensor.js";
import { native } from "../native.js";
import { normalizeDim, numelOf } from "../shape.js";
import { defineOp } from "./define.js";
import { checkTensor, describe, dimArgument, type DimOptions } from "./check.js";
import { dense } from "./kernels.js";
import { args, vals } from "./samples.js";

interface CumsumCtx {
  outer: number;
  D: number;
  inner: number;
}

function cumsumKernel(x: Tensor, c: CumsumCtx, reverse: boolean): Tensor {
  const out = Tensor.output(x.shape, x.dtype);
  native.cumsum(dense(x).storage, out.storage, c.outer, c.D, c.inner, reverse);
  return out;
}

/**
 * torch.cumsum: out[…, k, …] = Σ_{j<=k} x[…, j, …] along `dim` (required). Shape and dtype of x:
 * float32/float64 accumulate in double; int32 stays int32 (PyTorch returns int64) and a running sum
 * that leaves int32's range throws rather than wrapping. NaN and ±inf propagate along the line.
 * @throws TypeError for a missing dim; RangeError for a dim out of range; Error (tensorgrad.cumsum: …) for an int32 overflow.
 */
export const cumsum = defineOp({
  name: "cumsum", doc: "running sum along dim (int32 stays int32; overflow throws)", method: true,
  sample: () => args(vals([2, 3]), 1),
  forward(x: Tensor, dimOrOptions: number | DimOptions): Tensor {
    checkTensor(x, "cumsum");
    const dim = dimArgument("cumsum", dimOrOptions);
    if (typeof dim !== "number") throw new TypeError(`cumsum: dim must be a number, got ${describe(dim)}`);
    const d = normalizeDim(dim, x.ndim, "cumsum");
    const c = { outer: numelOf(x.shape.slice(0, d)), D: x.ndim ? x.shape[d] : 1, inner: numelOf(x.shape.slice(d + 1)) };
    const out = cumsumKernel(x, c, false);
    return x.dtype === "int32" ? out : this.record(out, [x], c);
  },
  backward: (c: CumsumCtx, g) => [cumsumKernel(g, c, true)],
});
