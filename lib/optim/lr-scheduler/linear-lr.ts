// LinearLR: scales each group's lr by a factor that moves linearly from startFactor to
// endFactor over totalIters epochs (a warm-up when startFactor < endFactor).
import { options } from "../../options.js";
import { LRScheduler, checkInt, type LrOptimizer } from "./scheduler.js";
import { refuseSurplus } from "../../arity.js";

export interface LinearLROptions {
  startFactor?: number;
  endFactor?: number;
  totalIters?: number;
  lastEpoch?: number;
}

/**
 * lr = baseLr · (start + (end − start)·min(epoch, totalIters)/totalIters)
 * (torch.optim.lr_scheduler.LinearLR; defaults startFactor 1/3, endFactor 1, totalIters 5).
 * @throws RangeError when a factor is outside [0, 1] or totalIters is not an integer >= 1.
 */
export class LinearLR extends LRScheduler {
  readonly startFactor: number;
  readonly endFactor: number;
  readonly totalIters: number;

  constructor(optimizer: LrOptimizer, opts?: LinearLROptions) {
    refuseSurplus(LinearLR, arguments.length, opts);
    const { startFactor = 1 / 3, endFactor = 1, totalIters = 5, lastEpoch = -1 } =
      options("LinearLR", opts, ["startFactor", "endFactor", "totalIters", "lastEpoch"]);
    super(optimizer, lastEpoch);
    for (const [name, f] of [["startFactor", startFactor], ["endFactor", endFactor]] as const)
      if (typeof f !== "number" || !(f >= 0 && f <= 1)) throw new RangeError(`LinearLR: invalid ${name} ${f}; expected a number between 0 and 1`);
    this.startFactor = startFactor;
    this.endFactor = endFactor;
    this.totalIters = checkInt("LinearLR", "totalIters", totalIters, 1);
    this.initialStep();
  }

  protected computeLr(): number[] {
    const t = this.lastEpoch, s = this.startFactor, e = this.endFactor, groups = this.optimizer.paramGroups;
    if (t === 0) return groups.map((g) => g.lr * s);
    if (t > this.totalIters) return groups.map((g) => g.lr);
    return groups.map((g) => g.lr * (1 + (e - s) / (this.totalIters * s + (t - 1) * (e - s))));
  }

  protected override closedFormLr(): number[] {
    const s = this.startFactor, e = this.endFactor;
    return this.baseLrs.map((b) => b * (s + ((e - s) * Math.min(this.totalIters, this.lastEpoch)) / this.totalIters));
  }
}
