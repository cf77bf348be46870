// tg.autograd.grad: gradients of outputs with respect to chosen inputs, returned rather than
// accumulated into .grad.
import { Tensor } from "../tensor.js";
import { fmt, sameShape } from "../shape.js";
import { runBackward } from "./backward.js";
import { fillInto } from "../ops/copy.js";
import { options } from "../options.js";

export interface GradOptions {
  gradOutputs?: Tensor | Tensor[];
  retainGraph?: boolean;
  allowUnused?: boolean;
}

const list = (t: Tensor | Tensor[]) => (Array.isArray(t) ? t : [t]);

export function grad(outputs: Tensor | Tensor[], inputs: Tensor | Tensor[], opts: GradOptions = {}): (Tensor | null)[] {
  opts = options("autograd.grad", opts, ["gradOutputs", "retainGraph", "allowUnused"]);
  const outs = list(outputs), ins = list(inputs);
  const gouts = opts.gradOutputs ? list(opts.gradOutputs) : outs.map((o) => {
    if (o.numel !== 1) throw new Error(`autograd.grad: output of shape ${fmt(o.shape)} is not a scalar; pass gradOutputs`);
    const g = Tensor.empty(o.shape, o.dtype);
    fillInto(g, g.storage, 1);
    return g;
  });
  if (gouts.length !== outs.length || !gouts.every((g) => g instanceof Tensor))
    throw new Error(`autograd.grad: gradOutputs must be ${outs.length} tensor(s), one per output`);
  outs.forEach((o, i) => {
    if (!o.requiresGrad) throw new Error(`autograd.grad: output ${i} does not require grad and has no grad_fn`);
    if (!sameShape(o.shape, gouts[i].shape)) throw new Error(`autograd.grad: gradOutputs[${i}] has shape ${fmt(gouts[i].shape)}, expected ${fmt(o.shape)}`);
  });
  ins.forEach((t, i) => {
    if (!t.requiresGrad) throw new Error(`autograd.grad: input ${i} does not require grad`);
  });
  const capture = new Map<Tensor, Tensor | null>(ins.map((t) => [t, null]));
  runBackward(outs, gouts, { retainGraph: opts.retainGraph }, capture);
  return ins.map((t, i) => {
    const g = capture.get(t) ?? null;
    if (!g && !opts.allowUnused)
      throw new Error(`autograd.grad: input ${i} was not used to compute the outputs; pass {allowUnused: true} to get null for it`);
    return g;
  });
}
