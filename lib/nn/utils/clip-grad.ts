// Gradient clipping (torch.nn.utils.clip_grad_norm_ / clip_grad_value_): rescales or clamps
// the .grad of parameters in place, between backward() and the optimizer step. Same order of
// operations as PyTorch 1.13 (per-tensor norms, the norm of those, coefficient
// maxNorm / (total + 1e-6) clamped to 1, in the gradients' dtype).
import { gradOf, Tensor } from "../../tensor.js";
import { noGrad } from "../../autograd/grad-mode.js";
import { abs, add, clamp, div, mul, pow, sqrt } from "../../ops/elementwise.js";
import { max, sum } from "../../ops/reduce.js";
import { stack } from "../../ops/views.js";
import { tensor } from "../../ops/creation.js";
import { options } from "../../options.js";
import { refuseExpanded } from "../../autograd/view-history.js";
import { disposedGradError } from "../../ops/check.js";
import { refuseSurplus } from "../../arity.js";

export interface ClipGradNormOptions {
  /** p of the p-norm: a number > 0, or Infinity for the max-norm. Default 2. */
  normType?: number;
  /** Throw when the total norm is NaN or ±inf instead of scaling by it. Default false. */
  errorIfNonfinite?: boolean;
}

function gradsOf(op: string, parameters: Tensor | Iterable<Tensor>): Tensor[] {
  if (parameters === null || typeof parameters !== "object" || !(parameters instanceof Tensor || Symbol.iterator in parameters))
    throw new TypeError(`${op}: parameters must be a Tensor or an iterable of Tensors (model.parameters())`);
  const list = parameters instanceof Tensor ? [parameters] : [...parameters];
  list.forEach((p, i) => {
    if (!(p instanceof Tensor)) throw new TypeError(`${op}: parameter ${i} is not a Tensor`);
    if (gradOf(p)?.disposeState === "disposed") throw disposedGradError(op, p);
  });
  const grads = list.map(gradOf).filter((g): g is Tensor => g !== null);
  // Clipping writes each gradient in place: one whose elements share memory (an expanded tensor the
  // user assigned) cannot be written, as in PyTorch.
  grads.forEach((g) => refuseExpanded(g, op, "a .grad", "clipping writes it in place: assign a contiguous gradient (.contiguous())"));
  return grads;
}

// ‖x‖_p over all elements, in x's dtype.
function norm(x: Tensor, p: number): Tensor {
  if (p === Infinity) return max(abs(x));
  if (p === 2) return sqrt(sum(mul(x, x)));
  if (p === 1) return sum(abs(x));
  return pow(sum(pow(abs(x), p)), 1 / p);
}

/**
 * Scales every gradient by min(1, maxNorm / (total + 1e-6)), where total is the p-norm of all
 * gradients together (as if concatenated), in place. Parameters without a gradient are skipped.
 * @param parameters a Tensor or an iterable of them (e.g. `model.parameters()`).
 * @param maxNorm the largest total norm to allow (>= 0; Infinity only measures the norm, as in PyTorch).
 * @returns the total norm before clipping, a 0-d tensor of the gradients' dtype (0 when no gradient).
 * @throws TypeError/RangeError for bad arguments; Error when errorIfNonfinite is set and the total norm is NaN or infinite.
 */
export function clipGradNorm_(parameters: Tensor | Iterable<Tensor>, maxNorm: number, opts?: ClipGradNormOptions): Tensor {
  refuseSurplus(clipGradNorm_, arguments.length, opts);
  const { normType = 2, errorIfNonfinite = false } = options("clipGradNorm_", opts, ["normType", "errorIfNonfinite"]);
  if (typeof maxNorm !== "number" || !(maxNorm >= 0))
    throw new RangeError(`clipGradNorm_: maxNorm must be a number >= 0 (Infinity measures the norm without clipping), got ${maxNorm}`);
  if (typeof normType !== "number" || !(normType > 0))
    throw new RangeError(`clipGradNorm_: normType must be a number > 0 or Infinity, got ${normType}`);
  const grads = gradsOf("clipGradNorm_", parameters);
  if (grads.length === 0) return tensor(0);
  return noGrad(() => {
    const dtype = grads[0].dtype;
    const norms = grads.map((g) => norm(g, normType).to(dtype));
    const total = normType === Infinity && norms.length === 1 ? norms[0] : norm(stack(norms), normType);
    const value = total.item();
    if (errorIfNonfinite && !Number.isFinite(value))
      throw new Error(
        `clipGradNorm_: the total norm of order ${normType} for gradients from parameters is non-finite (${value}), so it cannot be clipped. ` +
          "To scale the gradients by the non-finite norm anyway, pass {errorIfNonfinite: false}.",
      );
    const coef = clamp(div(maxNorm, add(total, 1e-6)), null, 1);
    for (const g of grads) g.copy_(mul(g, coef));
    return total;
  });
}

/**
 * Clamps every gradient element into [−clipValue, clipValue], in place (PyTorch's clip_grad_value_).
 * @throws TypeError for bad parameters; RangeError when clipValue is not a number >= 0.
 */
export function clipGradValue_(parameters: Tensor | Iterable<Tensor>, clipValue: number): void {
  refuseSurplus(clipGradValue_, arguments.length);
  if (typeof clipValue !== "number" || !(clipValue >= 0)) throw new RangeError(`clipGradValue_: clipValue must be a number >= 0, got ${clipValue}`);
  const grads = gradsOf("clipGradValue_", parameters);
  noGrad(() => {
    for (const g of grads) g.copy_(clamp(g, -clipValue, clipValue));
  });
}
