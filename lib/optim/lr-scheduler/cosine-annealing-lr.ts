// CosineAnnealingLR: lr follows etaMin + (base − etaMin)(1 + cos(π·t/tMax))/2, computed
// recursively from the current lr as PyTorch does (so it chains with other schedulers).
import { options } from "../../options.js";
import { LRScheduler, checkFinite, checkInt, type LrOptimizer } from "./scheduler.js";
import { refuseSurplus } from "../../arity.js";

export interface CosineAnnealingLROptions {
  etaMin?: number;
  lastEpoch?: number;
}

/**
 * Cosine annealing without restarts (torch.optim.lr_scheduler.CosineAnnealingLR); past tMax the
 * rate rises again along the same cosine, as PyTorch's does.
 * @param tMax half-period in epochs (integer >= 1).
 * @throws RangeError for a bad tMax, etaMin or lastEpoch; Error for unknown options.
 */
export class CosineAnnealingLR extends LRScheduler {
  readonly tMax: number;
  readonly etaMin: number;

  constructor(optimizer: LrOptimizer, tMax: number, opts?: CosineAnnealingLROptions) {
    refuseSurplus(CosineAnnealingLR, arguments.length, opts);
    const { etaMin = 0, lastEpoch = -1 } = options("CosineAnnealingLR", opts, ["etaMin", "lastEpoch"]);
    super(optimizer, lastEpoch);
    this.tMax = checkInt("CosineAnnealingLR", "tMax", tMax, 1);
    this.etaMin = checkFinite("CosineAnnealingLR", "etaMin", etaMin);
    this.initialStep();
  }

  protected computeLr(): number[] {
    const t = this.lastEpoch, T = this.tMax, eta = this.etaMin, groups = this.optimizer.paramGroups;
    if (t === 0) return groups.map((g) => g.lr);
    // Constructed with lastEpoch >= 0: the recursion has no previous rate to start from.
    if (this.stepCount === 1 && t > 0) return this.closedFormLr();
    // Python's modulo: at the end of each half-period the recursion would divide by zero.
    if ((((t - 1 - T) % (2 * T)) + 2 * T) % (2 * T) === 0)
      return groups.map((g, i) => g.lr + ((this.baseLrs[i] - eta) * (1 - Math.cos(Math.PI / T))) / 2);
    const ratio = (1 + Math.cos((Math.PI * t) / T)) / (1 + Math.cos((Math.PI * (t - 1)) / T));
    return groups.map((g) => ratio * (g.lr - eta) + eta);
  }

  protected override closedFormLr(): number[] {
    const eta = this.etaMin;
    return this.baseLrs.map((b) => eta + ((b - eta) * (1 + Math.cos((Math.PI * this.lastEpoch) / this.tMax))) / 2);
  }
}
