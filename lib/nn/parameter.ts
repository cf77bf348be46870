// A Parameter is a leaf tensor that a Module owns and optimizers update. Being its own class is
// what lets a Module tell its parameters from other tensor-valued properties (inputs, caches).
import { Tensor } from "../tensor.js";
import { checkLive } from "../ops/check.js";
import { refuseSurplus } from "../arity.js";

/**
 * A leaf tensor a Module owns and optimizers update; shares `data`'s storage (no copy) and requires grad
 * unless `requiresGrad` is false. Mirrors `torch.nn.Parameter`.
 * @throws TypeError when data is not a Tensor, or is int32 with requiresGrad.
 */
export class Parameter extends Tensor {
  // Shares `data`'s storage (no copy); requiresGrad is on unless asked otherwise.
  constructor(data: Tensor, requiresGrad = true) {
    refuseSurplus(Parameter, arguments.length);
    if (!(data instanceof Tensor)) throw new TypeError("Parameter: data must be a Tensor");
    checkLive(data, "Parameter", "data");  // else a handle over the empty storage, failing far from here
    super(data.storage, data.shape, data.strides, data.offset, data.dtype);
    if (requiresGrad && data.dtype === "int32") throw new TypeError("Parameter: only float tensors can require gradients (got int32)");
    this.requiresGrad = requiresGrad;
  }
}
