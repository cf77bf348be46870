// Adagrad (torch.optim.Adagrad):
//   g = ±g + wd·p;  clr = lr / (1 + (t−1)·lrDecay);  s += g²;  p −= clr · g / (√s + eps)
import type { Tensor } from "../tensor.js";
import { native } from "../native.js";
import { Optimizer, type ParamGroup, type ParamState, type ParamsInput } from "./optimizer.js";
import { flag, nonNegative } from "./validate.js";
import { refuseSurplus } from "../arity.js";

export interface AdagradOptions {
  lr?: number;
  lrDecay?: number;
  weightDecay?: number;
  initialAccumulatorValue?: number;
  eps?: number;
  maximize?: boolean;
}
type AdagradHyper = Required<AdagradOptions>;

/**
 * Adagrad: per-element learning rates from the running sum of squared gradients; options `lr` (1e-2),
 * `lrDecay`, `weightDecay`, `initialAccumulatorValue`, `eps` (1e-10), `maximize`. Mirrors `torch.optim.Adagrad`.
 * @throws Error for an unknown option key or a value out of range.
 */
export class Adagrad extends Optimizer<AdagradHyper> {
  constructor(params: ParamsInput<AdagradHyper>, opts: AdagradOptions = {}) {
    refuseSurplus(Adagrad, arguments.length, opts);
    super("Adagrad", params, { lr: 1e-2, lrDecay: 0, weightDecay: 0, initialAccumulatorValue: 0, eps: 1e-10, maximize: false }, opts);
  }

  protected validate(g: ParamGroup<AdagradHyper>): void {
    nonNegative("Adagrad", "learning rate", g.lr);
    nonNegative("Adagrad", "lr decay", g.lrDecay);
    nonNegative("Adagrad", "weight decay", g.weightDecay);
    nonNegative("Adagrad", "initial accumulator value", g.initialAccumulatorValue);
    nonNegative("Adagrad", "epsilon", g.eps);
    flag("Adagrad", "maximize", g.maximize);
  }

  protected override update(p: Tensor, grad: Tensor, st: ParamState, g: ParamGroup<AdagradHyper>): void {
    const step = this.nextStep(st);
    // Created at the first update (PyTorch creates it in the constructor; the values agree).
    const sum = this.buffer(st, "sum", p, g.initialAccumulatorValue);
    native.adagradStep(p.storage, grad.storage, sum.storage, g.lr, g.lrDecay, g.weightDecay, g.eps, step, g.maximize);
  }
}
