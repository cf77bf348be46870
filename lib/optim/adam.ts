// Adam and AdamW (torch.optim.Adam / AdamW), one native pass per parameter:
//   g = ±g (+ wd·p for Adam);  p *= 1 − lr·wd (AdamW);  m = β1·m + (1−β1)·g;  v = β2·v + (1−β2)·g²
//   v̂ = amsgrad ? max(v̂, v) : v;  p −= lr/(1−β1ᵗ) · m / (√v̂/√(1−β2ᵗ) + eps)
import type { Tensor } from "../tensor.js";
import { native } from "../native.js";
import { Optimizer, type ParamGroup, type ParamState, type ParamsInput } from "./optimizer.js";
import { flag, nonNegative, unitInterval } from "./validate.js";
import { refuseSurplus } from "../arity.js";

export interface AdamOptions {
  lr?: number;
  betas?: [number, number];
  eps?: number;
  weightDecay?: number;
  amsgrad?: boolean;
  maximize?: boolean;
}
type AdamHyper = Required<AdamOptions>;

// Shared by Adam and AdamW, which differ only in how weight decay is applied.
abstract class AdamBase extends Optimizer<AdamHyper> {
  protected abstract readonly decoupled: boolean;

  protected validate(g: ParamGroup<AdamHyper>): void {
    nonNegative(this.name, "learning rate", g.lr);
    nonNegative(this.name, "epsilon", g.eps);
    if (!Array.isArray(g.betas) || g.betas.length !== 2)
      throw new TypeError(`${this.name}: betas must be a pair [beta1, beta2], got ${String(g.betas)}`);
    unitInterval(this.name, "beta1", g.betas[0]);
    unitInterval(this.name, "beta2", g.betas[1]);
    nonNegative(this.name, "weight decay", g.weightDecay);
    flag(this.name, "amsgrad", g.amsgrad);
    flag(this.name, "maximize", g.maximize);
  }

  protected override update(p: Tensor, grad: Tensor, st: ParamState, g: ParamGroup<AdamHyper>): void {
    const step = this.nextStep(st);
    const m = this.buffer(st, "expAvg", p), v = this.buffer(st, "expAvgSq", p);
    const vmax = g.amsgrad ? this.buffer(st, "maxExpAvgSq", p) : null;
    native.adamStep(p.storage, grad.storage, m.storage, v.storage, vmax ? vmax.storage : null, g.lr, g.betas[0],
      g.betas[1], g.eps, g.weightDecay, step, this.decoupled, g.amsgrad, g.maximize);
  }
}

const ADAM_DEFAULTS: AdamHyper = { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false, maximize: false };

/**
 * Adam (Kingma & Ba) with L2 weight decay added to the gradient, one native pass per parameter
 * (float32/float64 parameters of any shape). Options: `lr` (1e-3), `betas` ([0.9, 0.999]), `eps` (1e-8),
 * `weightDecay` (0), `amsgrad`, `maximize`; per-group overrides. State keys `step`, `exp_avg`, `exp_avg_sq`
 * (`max_exp_avg_sq`) as PyTorch's. Mirrors `torch.optim.Adam`.
 * @throws Error for an unknown option key (with the likely spelling) or a value out of range (negative lr,
 *   betas outside [0, 1), …), naming the option.
 */
export class Adam extends AdamBase {
  protected readonly decoupled = false;
  constructor(params: ParamsInput<AdamHyper>, opts: AdamOptions = {}) {
    refuseSurplus(Adam, arguments.length, opts);
    super("Adam", params, ADAM_DEFAULTS, opts);
  }
}

/**
 * Adam with decoupled weight decay (p ← p·(1 − lr·wd) before the Adam update); options as {@link Adam}
 * with `weightDecay` defaulting to 1e-2. Mirrors `torch.optim.AdamW`.
 * @throws Error for an unknown option key or a value out of range.
 *
 * Decoupled weight decay (Loshchilov & Hutter); weightDecay defaults to 1e-2 as in PyTorch.
 */
export class AdamW extends AdamBase {
  protected readonly decoupled = true;
  constructor(params: ParamsInput<AdamHyper>, opts: AdamOptions = {}) {
    refuseSurplus(AdamW, arguments.length, opts);
    super("AdamW", params, { ...ADAM_DEFAULTS, weightDecay: 1e-2 }, opts);
  }
}
