// SGD with momentum, dampening, Nesterov, L2 weight decay and maximize (torch.optim.SGD):
//   d = ±g + wd·p;  buf = d (first step) | μ·buf + (1−τ)·d;  d = nesterov ? d + μ·buf : buf;  p −= lr·d
import type { Tensor } from "../tensor.js";
import { native, type Storage } from "../native.js";
import { Optimizer, type ParamGroup, type ParamState, type ParamsInput } from "./optimizer.js";
import { finite, flag, nonNegative } from "./validate.js";
import { options } from "../options.js";
import { refuseSurplus } from "../arity.js";

export interface SGDOptions {
  lr: number;
  momentum?: number;
  dampening?: number;
  nesterov?: boolean;
  weightDecay?: number;
  maximize?: boolean;
}
type SGDHyper = Required<SGDOptions>;

/**
 * Stochastic gradient descent with momentum, dampening, Nesterov momentum, L2 weight decay and maximize,
 * one native call per parameter group. `lr` is required: `new SGD(params, 0.1, {momentum: 0.9})` (or
 * `new SGD(params, {lr: 0.1, momentum: 0.9})`, or per parameter group). Mirrors `torch.optim.SGD`.
 * @throws Error for an unknown option key, lr given twice, a negative lr/momentum/weightDecay, or Nesterov
 *   without momentum or with dampening.
 *
 * lr is required (as in PyTorch), so by the calling rule it may come positionally:
 * new SGD(params, 0.1, {momentum: 0.9}); the options-only form new SGD(params, {lr: 0.1, momentum: 0.9})
 * works too. lr may also be left to every parameter group.
 */
export class SGD extends Optimizer<SGDHyper> {
  constructor(params: ParamsInput<SGDHyper>, lr: number | SGDOptions, opts?: Omit<SGDOptions, "lr">) {
    refuseSurplus(SGD, arguments.length, opts);
    const defaults = { lr: undefined as unknown as number, momentum: 0, dampening: 0, nesterov: false, weightDecay: 0, maximize: false };
    if (typeof lr === "number") {
      if (opts && typeof opts === "object" && "lr" in opts) throw new Error("SGD: lr is given twice (positionally and in the options)");
      super("SGD", params, defaults, { ...options("SGD", opts, Object.keys(defaults).filter((k) => k !== "lr") as (keyof Omit<SGDOptions, "lr">)[]), lr });
    } else {
      if (opts !== undefined) throw new TypeError("SGD: expected new SGD(params, lr, {options}) or new SGD(params, {lr, ...options})");
      super("SGD", params, defaults, lr);
    }
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

  // The whole group in one native call (the same per-parameter update, bit for bit).
  protected override updateGroup(params: Tensor[], grads: Tensor[], states: ParamState[], g: ParamGroup<SGDHyper>): void {
    const first = new Int32Array(params.length);
    const ps: Storage[] = [], gs: Storage[] = [], bufs: (Storage | null)[] = [];
    for (let i = 0; i < params.length; ++i) {
      ps.push(params[i].storage), gs.push(grads[i].storage);
      if (g.momentum === 0) {
        bufs.push(null);
        continue;
      }
      first[i] = states[i].momentumBuffer === undefined ? 1 : 0;
      bufs.push(this.buffer(states[i], "momentumBuffer", params[i]).storage);
    }
    native.sgdSteps(ps, gs, bufs, first, g.lr, g.momentum, g.dampening, g.weightDecay, g.nesterov, g.maximize);
  }
}
