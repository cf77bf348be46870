// StepLR: multiplies each group's lr by gamma every stepSize epochs.
import { LRScheduler, type LrOptimizer } from "./scheduler.js";

export interface StepLROptions {
  stepSize: number;
  gamma?: number;
  lastEpoch?: number;
}

export class StepLR extends LRScheduler {
  readonly stepSize: number;
  readonly gamma: number;

  constructor(optimizer: LrOptimizer, { stepSize, gamma = 0.1, lastEpoch = -1 }: StepLROptions) {
    super(optimizer, lastEpoch);
    if (!Number.isInteger(stepSize) || stepSize < 1) throw new RangeError(`StepLR: invalid stepSize ${stepSize}; expected an integer >= 1`);
    if (!Number.isFinite(gamma)) throw new RangeError(`StepLR: invalid gamma ${gamma}; expected a finite number`);
    this.stepSize = stepSize;
    this.gamma = gamma;
    this.initialStep();
  }

  protected computeLr(): number[] {
    const decay = this.lastEpoch !== 0 && this.lastEpoch % this.stepSize === 0;
    return this.optimizer.paramGroups.map((g) => (decay ? g.lr * this.gamma : g.lr));
  }
}
