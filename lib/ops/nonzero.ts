// torch.nonzero: where a tensor's nonzero elements are, as int32 indices. One native pass counts them,
// a second writes their indices in row-major order (the order PyTorch gives).
import { Tensor } from "../tensor.js";
import { native } from "../native.js";
import { options } from "../options.js";
import { defineOp, type Op } from "./define.js";
import { checkTensor } from "./check.js";
import { dense } from "./kernels.js";
import { select } from "./views.js";

/** nonzero's options, as PyTorch's keyword: `asTuple` (default false). */
export interface NonzeroOptions {
  asTuple?: boolean;
}

/** The forms of torch.nonzero. */
export interface NonzeroFn {
  /** int32 `[k, x.ndim]`: the index of each of x's k nonzero elements, in row-major order. */
  (x: Tensor, opts?: { asTuple?: false }): Tensor;
  /** One int32 `[k]` tensor per dim of x (one for a 0-d x): the columns of the form above. */
  (x: Tensor, opts: { asTuple: true }): Tensor[];
  (x: Tensor, opts?: NonzeroOptions): Tensor | Tensor[];
}
/** x.nonzero(...): the forms of {@link NonzeroFn} with x as `this`. */
export interface NonzeroMethod {
  (this: Tensor, opts?: { asTuple?: false }): Tensor;
  (this: Tensor, opts: { asTuple: true }): Tensor[];
  (this: Tensor, opts?: NonzeroOptions): Tensor | Tensor[];
}

// The [k, ndim] indices of x's nonzero elements.
function indices(x: Tensor): Tensor {
  const xd = dense(x), dims = Int32Array.from(x.shape);
  const k = native.nonzero(xd.storage, null, dims) as number;
  const out = Tensor.output([k, x.ndim], "int32");
  if (out.numel() > 0) native.nonzero(xd.storage, out.storage as Int32Array, dims);
  if (xd !== x) xd.dispose();
  return out;
}

/**
 * torch.nonzero: int32 `[k, ndim]`, the index of every element of x that is not 0, in row-major order
 * (NaN counts as nonzero, −0 as zero; a 0-d x gives `[k, 0]`, an empty x `[0, ndim]`). With
 * `{asTuple: true}` one int32 `[k]` tensor per dim (a 0-d x counts as 1-d), PyTorch's `as_tuple=True`,
 * usable as indices. Any dtype; no gradient. PyTorch gives int64 indices; these are int32.
 * @throws TypeError for a non-tensor; Error for an unknown option.
 */
export const nonzero = defineOp({
  name: "nonzero", doc: "int32 [k, ndim] indices of the nonzero elements (row-major), or one [k] tensor per dim with asTuple",
  method: function (this: Tensor, opts?: NonzeroOptions) { return nonzero(this, opts); },
  differentiable: false,
  forward(x: Tensor, opts: NonzeroOptions = {}): Tensor | Tensor[] {
    checkTensor(x, "nonzero");
    const { asTuple = false } = options("nonzero", opts, ["asTuple"]);
    if (typeof asTuple !== "boolean") throw new TypeError(`nonzero: asTuple must be a boolean, got ${typeof asTuple}`);
    if (!asTuple) return indices(x);
    const idx = indices(x.ndim === 0 ? x.reshape([1]) : x);
    return Array.from({ length: idx.shape[1] }, (_, d) => select(idx, 1, d));
  },
}) as unknown as Op<NonzeroFn, NonzeroMethod>;
