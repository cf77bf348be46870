// tg.autograd.grad: gradients of outputs with respect to chosen inputs, returned rather than
// accumulated into .grad. Only nodes on a path from the outputs to the inputs run.
import { Tensor } from "../tensor.js";
import { fmt, sameShape } from "../shape.js";
import { runBackward } from "./engine.js";
import { edgeOf } from "./node.js";
import { fill } from "../ops/kernels.js";
import { options } from "../options.js";
import { checkTensor, disposedError } from "../ops/check.js";
import { refuseSurplus } from "../arity.js";

export interface GradOptions {
  gradOutputs?: Tensor | Tensor[];
  retainGraph?: boolean;
  allowUnused?: boolean;
}

const list = (t: Tensor | Tensor[]) => (Array.isArray(t) ? t : [t]);

/**
 * The gradients of `outputs` with respect to `inputs` (PyTorch's `torch.autograd.grad`), one per input,
 * without touching any `.grad`. `gradOutputs` (dL/doutput, one per output, same shapes) may be omitted for
 * one-element outputs. `allowUnused` gives null for an input the outputs do not depend on.
 * @throws TypeError when an output, input or gradOutput is not a Tensor; Error when one was disposed (an output
 *   even if a recorded node still holds it, as for backward()), when an output or input does not require grad, a
 *   gradOutput is missing or misshapen, or an input is unused and allowUnused is not set.
 */
export function grad(outputs: Tensor | Tensor[], inputs: Tensor | Tensor[], opts: GradOptions = {}): (Tensor | null)[] {
  refuseSurplus(grad, arguments.length, opts);
  const op = "autograd.grad";
  opts = options(op, opts, ["gradOutputs", "retainGraph", "allowUnused"]);
  const outs = list(outputs), ins = list(inputs);
  outs.forEach((o, i) => {
    checkTensor(o, op, `outputs[${i}]`);
    if (o.disposeState !== "live") throw disposedError(o, op, `outputs[${i}]`);
  });
  ins.forEach((t, i) => checkTensor(t, op, `inputs[${i}]`));
  const given = opts.gradOutputs !== undefined;
  const gouts = given ? list(opts.gradOutputs!).map((g, i) => checkTensor(g, op, `gradOutputs[${i}]`)) : outs.map((o) => {
    if (o.numel() !== 1) throw new Error(`autograd.grad: output of shape ${fmt(o.shape)} is not a scalar; pass gradOutputs`);
    return fill(Tensor.empty(o.shape, o.dtype), 1);
  });
  if (gouts.length !== outs.length)
    throw new Error(`autograd.grad: gradOutputs must be ${outs.length} tensor(s), one per output`);
  outs.forEach((o, i) => {
    if (!o.requiresGrad) throw new Error(`autograd.grad: output ${i} does not require grad and has no grad_fn`);
    if (!sameShape(o.shape, gouts[i].shape)) throw new Error(`autograd.grad: gradOutputs[${i}] has shape ${fmt(gouts[i].shape)}, expected ${fmt(o.shape)}`);
  });
  ins.forEach((t, i) => {
    if (!t.requiresGrad) throw new Error(`autograd.grad: input ${i} does not require grad`);
  });
  const grads = runBackward(outs, gouts, outs.map(() => given), { retainGraph: opts.retainGraph }, ins.map(edgeOf));
  return grads.map((g, i) => {
    if (!g && !opts.allowUnused)
      throw new Error(`autograd.grad: input ${i} was not used to compute the outputs; pass {allowUnused: true} to get null for it`);
    return g;
  });
}
