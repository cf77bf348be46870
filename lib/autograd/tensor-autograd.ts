// tg.autograd.backward and the autograd methods of Tensor: backward(), retainGrad() and gradient
// hooks. The methods are attached here rather than written in tensor.ts so that tensor.ts imports
// nothing from the engine.
import { Tensor } from "../tensor.js";
import { accumulatorOf, type GradHook, type RemovableHandle, type Node } from "./node.js";
import { runBackward, type BackwardOptions } from "./engine.js";
import { fill } from "../ops/kernels.js";
import { describe, disposedError } from "../ops/check.js";
import { options } from "../options.js";
import { sameShape } from "../shape.js";
import { refuseSurplus } from "../arity.js";

declare module "../tensor.js" {
  interface Tensor {
    /**
     * Computes the gradient of this tensor with respect to every leaf that requires grad and adds it
     * into their `.grad` (PyTorch's `Tensor.backward`). `grad` (dL/dthis, of this tensor's shape) may be
     * omitted for a one-element tensor. The graph's saved values are freed unless `{retainGraph: true}`.
     * Forms: backward(), backward(grad), backward(grad, {retainGraph}), backward({retainGraph}).
     * @throws Error when this tensor does not require grad, a gradient is missing or of the wrong shape,
     *   a saved tensor was modified in place, or the graph was already freed.
     */
    backward(gradOrOpts?: Tensor | null | BackwardOptions, opts?: BackwardOptions): void;
    /**
     * Keeps this non-leaf tensor's gradient in `.grad` during backward (PyTorch's `retain_grad`). A tensor
     * disposed after this call gets no gradient kept.
     * @throws Error when this tensor does not require grad, or was disposed.
     */
    retainGrad(): Tensor;
    /**
     * Calls `hook(grad)` with this tensor's gradient each time one is computed, before it is used; a
     * returned tensor (same shape) replaces the gradient. Works on leaves (before `.grad` is updated) and
     * on intermediate results. Returns a handle whose `remove()` unregisters it (PyTorch's `register_hook`).
     * @throws Error when this tensor does not require grad.
     */
    registerHook(hook: GradHook): RemovableHandle;
    /**
     * For a leaf: calls `hook(leaf)` after backward has accumulated into `leaf.grad` (PyTorch 2.1's
     * `register_post_accumulate_grad_hook`; e.g. to start a gradient all-reduce as soon as it is ready).
     * @throws Error on a non-leaf or a tensor that does not require grad.
     */
    registerPostAccumulateGradHook(hook: (leaf: Tensor) => void): RemovableHandle;
  }
}

/**
 * Adds the gradients of `tensors` (weighted by `grads`, dL/dtensor, one per tensor; null or omitted for
 * a one-element tensor) into the `.grad` of every leaf they depend on (PyTorch's `torch.autograd.backward`).
 * @throws Error as Tensor.backward.
 */
export function backward(tensors: Tensor | Tensor[], grads?: Tensor | (Tensor | null)[] | null, opts: BackwardOptions = {}): void {
  refuseSurplus(backward, arguments.length, opts);
  const ts = Array.isArray(tensors) ? tensors : [tensors];
  const gs: (Tensor | null)[] = grads == null ? [] : Array.isArray(grads) ? grads : [grads];
  if (grads == null) for (let i = 0; i < ts.length; ++i) gs.push(null);
  if (gs.length !== ts.length) throw new Error(`backward: ${gs.length} gradients for ${ts.length} tensors`);
  // Indexed loops: this runs once per training step, unoptimised for its first thousand or so.
  const full: Tensor[] = [], given: boolean[] = [];
  for (let i = 0; i < ts.length; ++i) full.push(rootGrad(ts[i], gs[i])), given.push(gs[i] !== null);
  runBackward(ts, full, given, opts);
}

// The gradient backward starts from at root t: the given one, or 1 for a one-element t.
function rootGrad(t: Tensor, g: Tensor | null): Tensor {
  if (!(t instanceof Tensor) || !t.requiresGrad)
    throw new Error("backward: this tensor does not require grad and has no grad_fn; create inputs with {requiresGrad: true}");
  if (t.disposeState !== "live") throw disposedError(t, "backward");
  if (g) return g;
  if (t.numel() !== 1)
    throw new Error(`backward: grad can be implicitly created only for a tensor with one element, this one has shape [${t.shape.join(", ")}]; pass a gradient of that shape`);
  return fill(Tensor.empty(t.shape, t.dtype), 1);
}

// `null` for the gradient means "none" (PyTorch's gradient=None).
Tensor.prototype.backward = function (this: Tensor, gradOrOpts?: Tensor | null | BackwardOptions, opts: BackwardOptions = {}): void {
  const given = gradOrOpts instanceof Tensor ? gradOrOpts : null;
  if (gradOrOpts != null && !given) {
    if (typeof gradOrOpts !== "object" || Array.isArray(gradOrOpts))
      throw new TypeError(`backward: gradient must be a Tensor (or null), got ${describe(gradOrOpts)}; for a scalar seed use tg.tensor(${String(gradOrOpts)})`);
    opts = gradOrOpts as BackwardOptions;
  }
  opts = options("backward", opts, ["retainGraph"]);
  if (given && !sameShape(given.shape, this.shape))
    throw new Error(`backward: gradient of shape [${given.shape.join(", ")}] does not match the tensor's shape [${this.shape.join(", ")}]`);
  backward(this, given, opts);
};

Tensor.prototype.retainGrad = function (this: Tensor): Tensor {
  if (!this.requiresGrad) throw new Error("retainGrad: this tensor does not require grad, so it never gets one");
  if (this.disposeState !== "live") throw disposedError(this, "retainGrad");
  const node = this.gradFn;
  if (node) (node.retained ??= new Array<Tensor | null>(node.numOutputs).fill(null))[this.outputNr] = this;
  return this;
};

// The node whose hooks see this tensor's gradient: its maker, or a leaf's accumulator.
function hookNode(t: Tensor, what: string): Node {
  if (!t.requiresGrad) throw new Error(`${what}: cannot register a hook on a tensor that does not require grad`);
  return t.gradFn ?? accumulatorOf(t);
}

Tensor.prototype.registerHook = function (this: Tensor, hook: GradHook): RemovableHandle {
  if (typeof hook !== "function") throw new TypeError("registerHook: the hook must be a function (grad) => Tensor | undefined");
  return hookNode(this, "registerHook").addHook(this.gradFn ? this.outputNr : 0, hook);
};

Tensor.prototype.registerPostAccumulateGradHook = function (this: Tensor, hook: (leaf: Tensor) => void): RemovableHandle {
  if (typeof hook !== "function") throw new TypeError("registerPostAccumulateGradHook: the hook must be a function (leaf) => void");
  if (this.gradFn) throw new Error("registerPostAccumulateGradHook: only leaf tensors accumulate a .grad; use registerHook on a non-leaf");
  return hookNode(this, "registerPostAccumulateGradHook").addPostHook(hook);
};
