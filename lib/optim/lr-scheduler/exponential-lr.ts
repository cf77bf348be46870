// ExponentialLR: multiplies each group's lr by gamma every epoch.
import { options } from "../../options.js";
import { LRScheduler, checkFinite, type LrOptimizer } from "./scheduler.js";
import { refuseSurplus } from "../../arity.js";

export interface ExponentialLROptions {
  lastEpoch?: number;
}

/**
 * lr = baseLr · gamma^epoch (torch.optim.lr_scheduler.ExponentialLR).
 * @param gamma multiplicative decay per epoch.
 * @throws RangeError for a non-finite gamma or a bad lastEpoch; Error for unknown options.
 */
export class ExponentialLR extends LRScheduler {
  readonly gamma: number;

  constructor(optimizer: LrOptimizer, gamma: number, opts?: ExponentialLROptions) {
    refuseSurplus(ExponentialLR, arguments.length, opts);
    const { lastEpoch = -1 } = options("ExponentialLR", opts, ["lastEpoch"]);
    super(optimizer, lastEpoch);
    this.gamma = checkFinite("ExponentialLR", "gamma", gamma);
    this.initialStep();
  }

  protected computeLr(): number[] {
    return this.optimizer.paramGroups.map((g) => (this.lastEpoch === 0 ? g.lr : g.lr * this.gamma));
  }

  protected override closedFormLr(): number[] {
    return this.baseLrs.map((b) => b * this.gamma ** this.lastEpoch);
  }
}
