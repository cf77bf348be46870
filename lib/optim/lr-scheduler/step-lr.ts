// StepLR: multiplies each group's lr by gamma every stepSize epochs.
import { options } from "../../options.js";
import { LRScheduler, checkFinite, checkInt, type LrOptimizer } from "./scheduler.js";
import { refuseSurplus } from "../../arity.js";

export interface StepLROptions {
  gamma?: number;
  lastEpoch?: number;
}

/**
 * lr = baseLr · gamma^⌊epoch / stepSize⌋ (torch.optim.lr_scheduler.StepLR).
 * @param stepSize period of the decay, in epochs (integer >= 1).
 * @throws RangeError for a bad stepSize, gamma or lastEpoch; Error for unknown options.
 */
export class StepLR extends LRScheduler {
  readonly stepSize: number;
  readonly gamma: number;

  constructor(optimizer: LrOptimizer, stepSize: number, opts?: StepLROptions) {
    refuseSurplus(StepLR, arguments.length, opts);
    const { gamma = 0.1, lastEpoch = -1 } = options("StepLR", opts, ["gamma", "lastEpoch"]);
    super(optimizer, lastEpoch);
    this.stepSize = checkInt("StepLR", "stepSize", stepSize, 1);
    this.gamma = checkFinite("StepLR", "gamma", gamma);
    this.initialStep();
  }

  protected computeLr(): number[] {
    const decay = this.lastEpoch !== 0 && this.lastEpoch % this.stepSize === 0;
    return this.optimizer.paramGroups.map((g) => (decay ? g.lr * this.gamma : g.lr));
  }

  protected override closedFormLr(): number[] {
    return this.baseLrs.map((b) => b * this.gamma ** Math.floor(this.lastEpoch / this.stepSize));
  }
}
