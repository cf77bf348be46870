// CosineAnnealingLR: lr follows eta_min + (base − eta_min)(1 + cos(π·t/tMax))/2, computed
// recursively from the current lr as PyTorch does (so it chains with other schedulers).
import { LRScheduler, type LrOptimizer } from "./scheduler.js";

export interface CosineAnnealingLROptions {
  tMax: number;
  etaMin?: number;
  lastEpoch?: number;
}

export class CosineAnnealingLR extends LRScheduler {
  readonly tMax: number;
  readonly etaMin: number;

  constructor(optimizer: LrOptimizer, { tMax, etaMin = 0, lastEpoch = -1 }: CosineAnnealingLROptions) {
    super(optimizer, lastEpoch);
    if (!Number.isInteger(tMax) || tMax < 1) throw new RangeError(`CosineAnnealingLR: invalid tMax ${tMax}; expected an integer >= 1`);
    if (!Number.isFinite(etaMin)) throw new RangeError(`CosineAnnealingLR: invalid etaMin ${etaMin}; expected a finite number`);
    this.tMax = tMax;
    this.etaMin = etaMin;
    this.initialStep();
  }

  protected computeLr(): number[] {
    const t = this.lastEpoch, T = this.tMax, eta = this.etaMin, groups = this.optimizer.paramGroups;
    if (t === 0) return groups.map((g) => g.lr);
    // Python's modulo: at the end of each half-period the recursion would divide by zero.
    if ((((t - 1 - T) % (2 * T)) + 2 * T) % (2 * T) === 0)
      return groups.map((g, i) => g.lr + ((this.baseLrs[i] - eta) * (1 - Math.cos(Math.PI / T))) / 2);
    const ratio = (1 + Math.cos((Math.PI * t) / T)) / (1 + Math.cos((Math.PI * (t - 1)) / T));
    return groups.map((g) => ratio * (g.lr - eta) + eta);
  }
}
