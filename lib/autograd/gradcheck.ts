// Gradient checking by central differences: compares the tape's gradient of a weighted sum of
// fn's output with (L(x + eps) - L(x - eps)) / 2eps for every element of every float input.
// Runs in float64 by default so tolerances can be tight.
import { Tensor } from "../tensor.js";
import { noGrad } from "./grad-mode.js";
import { grad } from "./grad.js";
import { mul } from "../ops/elementwise.js";
import { sum } from "../ops/reduce.js";
import { dense } from "../ops/kernels.js";
import { fmt } from "../shape.js";
import { options } from "../options.js";
import { checkTensor } from "../ops/check.js";
import { refuseSurplus } from "../arity.js";

export interface GradCheckOptions {
  eps?: number;
  atol?: number;
  rtol?: number;
  dtype?: "float64" | "float32";
}

// Fixed, varied weights so every output element matters and no two get the same weight.
function weightsLike(t: Tensor): Tensor {
  const w = Tensor.empty(t.shape, t.dtype);
  for (let i = 0; i < w.numel(); ++i) w.storage[i] = 0.5 + ((i * 37) % 11) / 10;
  return w;
}

/**
 * Compares the analytic gradient of `fn` (from backward) with central finite differences, for every element
 * of every float input; int32 inputs pass through. The inputs are copied to `dtype` (default float64), so
 * `fn` may be any op or a user's `autograd.Function`. Mirrors `torch.autograd.gradcheck`.
 * @param fn - takes the inputs (as given, in order) and returns a tensor of any shape (it is reduced with fixed
 *   varied weights, so every output element matters).
 * @param opts - `eps` (1e-6), `atol` (1e-5), `rtol` (1e-3), `dtype` (`"float64"` | `"float32"`).
 * @returns true.
 * @throws Error naming the input, the element index and both gradients at the first mismatch.
 */
export function gradCheck(fn: (...xs: Tensor[]) => Tensor, inputs: Tensor[], opts: GradCheckOptions = {}): true {
  refuseSurplus(gradCheck, arguments.length, opts);
  const { eps = 1e-6, atol = 1e-5, rtol = 1e-3, dtype = "float64" } = options("gradCheck", opts, ["eps", "atol", "rtol", "dtype"]);
  inputs.forEach((t, i) => checkTensor(t, "gradCheck", `inputs[${i}]`));
  const xs = inputs.map((t) => (t.dtype === "int32" ? t : dense(t, dtype, true).requiresGrad_(true)));
  const diffable = xs.filter((t) => t.requiresGrad);
  if (diffable.length === 0) throw new Error("gradCheck: no float inputs to check");
  const out0 = fn(...xs);
  if (!(out0 instanceof Tensor)) throw new TypeError("gradCheck: fn must return a Tensor");
  const w = weightsLike(out0.detach());
  const loss = (o: Tensor) => sum(mul(o, w));
  const analytic = grad(loss(out0), diffable, { allowUnused: true });
  const evalLoss = () => noGrad(() => loss(fn(...xs)).item());
  diffable.forEach((x, k) => {
    const a = analytic[k] ? analytic[k]!.data() : new Float64Array(x.numel());
    for (let i = 0; i < x.numel(); ++i) {
      const orig = x.storage[i];
      x.storage[i] = orig + eps;
      const lp = evalLoss();
      x.storage[i] = orig - eps;
      const lm = evalLoss();
      x.storage[i] = orig;
      const numeric = (lp - lm) / (2 * eps);
      if (!(Math.abs(a[i] - numeric) <= atol + rtol * Math.abs(numeric)))
        throw new Error(`gradCheck: input ${xs.indexOf(x)} (shape ${fmt(x.shape)}) element ${i}: analytic ${a[i]} vs numeric ${numeric}`);
    }
  });
  return true;
}
