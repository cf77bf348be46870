// SGD with momentum, dampening, Nesterov, L2 weight decay and maximize (torch.optim.SGD):
//   d = ±g + wd·p;  buf = d (first step) | μ·buf + (1−τ)·d;  d = nesterov ? d + μ·buf : buf;  p −= lr·d
import type { Tensor } from "../tensor.js";
import { native } from "../native.js";
import { Optimizer, type ParamGroup, type ParamState, type ParamsInput } from "./optimizer.js";
import { finite, flag, nonNegative } from "./validate.js";

export interface SGDOptions {
  lr: number;
  momentum?: number;
  dampening?: number;
  nesterov?: boolean;
  weightDecay?: number;
  maximize?: boolean;
}
type SGDHyper = Required<SGDOptions>;

export class SGD extends Optimizer<SGDHyper> {
  constructor(params: ParamsInput<SGDHyper>, opts: SGDOptions) {
    super("SGD", params, { momentum: 0, dampening: 0, nesterov: false, weightDecay: 0, maximize: false, ...opts });
  }

  protected validate(g: ParamGroup<SGDHyper>): void {
    nonNegative("SGD", "learning rate", g.lr);
    nonNegative("SGD", "momentum", g.momentum);
    finite("SGD", "dampening", g.dampening);
    nonNegative("SGD", "weight decay", g.weightDecay);
    flag("SGD", "nesterov", g.nesterov);
    flag("SGD", "maximize", g.maximize);
    if (g.nesterov && (g.momentum <= 0 || g.dampening !== 0))
      throw new Error(`SGD: Nesterov momentum requires a momentum > 0 and zero dampening (got momentum ${g.momentum}, dampening ${g.dampening})`);
  }

  protected update(p: Tensor, grad: Tensor, st: ParamState, g: ParamGroup<SGDHyper>): void {
    const first = st.momentumBuffer === undefined;
    const buf = g.momentum !== 0 ? this.buffer(st, "momentumBuffer", p) : null;
    native.sgdStep(p.storage, grad.storage, buf ? buf.storage : null, g.lr, g.momentum, g.dampening, g.weightDecay,
      g.nesterov, first, g.maximize);
  }
}
