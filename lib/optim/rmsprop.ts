// RMSprop (torch.optim.RMSprop):
//   g = ±g + wd·p;  s = α·s + (1−α)·g²;  centered: ḡ = α·ḡ + (1−α)·g, d = √(s − ḡ²) + eps, else d = √s + eps
//   momentum: b = μ·b + g/d, p −= lr·b;  otherwise p −= lr·g/d
import type { Tensor } from "../tensor.js";
import { native } from "../native.js";
import { Optimizer, type ParamGroup, type ParamState, type ParamsInput } from "./optimizer.js";
import { flag, nonNegative } from "./validate.js";
import { refuseSurplus } from "../arity.js";

export interface RMSpropOptions {
  lr?: number;
  alpha?: number;
  eps?: number;
  weightDecay?: number;
  momentum?: number;
  centered?: boolean;
  maximize?: boolean;
}
type RMSpropHyper = Required<RMSpropOptions>;

/**
 * RMSprop: divides the gradient by a running root-mean-square; options `lr` (1e-2), `alpha` (0.99), `eps`
 * (1e-8), `weightDecay`, `momentum`, `centered`, `maximize`. Mirrors `torch.optim.RMSprop`.
 * @throws Error for an unknown option key or a value out of range.
 */
export class RMSprop extends Optimizer<RMSpropHyper> {
  constructor(params: ParamsInput<RMSpropHyper>, opts: RMSpropOptions = {}) {
    refuseSurplus(RMSprop, arguments.length, opts);
    super("RMSprop", params, { lr: 1e-2, alpha: 0.99, eps: 1e-8, weightDecay: 0, momentum: 0, centered: false, maximize: false }, opts);
  }

  protected validate(g: ParamGroup<RMSpropHyper>): void {
    nonNegative("RMSprop", "learning rate", g.lr);
    nonNegative("RMSprop", "epsilon", g.eps);
    nonNegative("RMSprop", "momentum", g.momentum);
    nonNegative("RMSprop", "weight decay", g.weightDecay);
    nonNegative("RMSprop", "alpha", g.alpha);
    flag("RMSprop", "centered", g.centered);
    flag("RMSprop", "maximize", g.maximize);
  }

  protected override update(p: Tensor, grad: Tensor, st: ParamState, g: ParamGroup<RMSpropHyper>): void {
    this.nextStep(st);
    const sq = this.buffer(st, "squareAvg", p);
    const buf = g.momentum > 0 ? this.buffer(st, "momentumBuffer", p) : null;
    const gavg = g.centered ? this.buffer(st, "gradAvg", p) : null;
    native.rmspropStep(p.storage, grad.storage, sq.storage, buf ? buf.storage : null, gavg ? gavg.storage : null, g.lr,
      g.alpha, g.eps, g.weightDecay, g.momentum, g.centered, g.maximize);
  }
}
