// A Parameter is a leaf tensor that a Module owns and optimizers update. Being its own class is
// what lets a Module tell its parameters from other tensor-valued properties (inputs, caches).
import { Tensor } from "../tensor.js";
import { checkLive, describe } from "../ops/check.js";
import { options } from "../options.js";
import { refuseSurplus } from "../arity.js";

/**
 * A leaf tensor a Module owns and optimizers update; shares `data`'s storage (no copy) and requires grad
 * unless `requiresGrad` is false: `new Parameter(t, {requiresGrad: false})`, by the calling rule (the
 * positional `new Parameter(t, false)` is taken too). Mirrors `torch.nn.Parameter`.
 * @throws TypeError when data is not a Tensor, requiresGrad is not a boolean, or data is int32 with requiresGrad;
 *   Error for an unknown option.
 */
export class Parameter extends Tensor {
  // Shares `data`'s storage (no copy); requiresGrad is on unless asked otherwise.
  constructor(data: Tensor, opts: boolean | { requiresGrad?: boolean } = {}) {
    refuseSurplus(Parameter, arguments.length);
    const requiresGrad = typeof opts === "boolean" ? opts : options("Parameter", opts, ["requiresGrad"]).requiresGrad ?? true;
    if (typeof requiresGrad !== "boolean") throw new TypeError(`Parameter: requiresGrad must be a boolean, got ${describe(requiresGrad)}`);
    if (!(data instanceof Tensor)) throw new TypeError("Parameter: data must be a Tensor");
    checkLive(data, "Parameter", "data");  // else a handle over the empty storage, failing far from here
    super(data.storage, data.shape, data.strides, data.offset, data.dtype);
    if (requiresGrad && data.dtype === "int32") throw new TypeError("Parameter: only float tensors can require gradients (got int32)");
    this.requiresGrad = requiresGrad;
  }
}
