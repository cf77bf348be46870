// MultiStepLR: multiplies each group's lr by gamma at every milestone epoch (a milestone listed
// twice decays twice, as PyTorch's Counter does).
import { options } from "../../options.js";
import { LRScheduler, checkFinite, checkInt, type LrOptimizer } from "./scheduler.js";
import { refuseSurplus } from "../../arity.js";

export interface MultiStepLROptions {
  gamma?: number;
  lastEpoch?: number;
}

/**
 * lr = baseLr · gamma^(milestones passed) (torch.optim.lr_scheduler.MultiStepLR).
 * @param milestones epoch indices (integers >= 0), in any order, repeats allowed.
 * @throws TypeError when milestones is not an array; RangeError for a bad milestone, gamma or lastEpoch.
 */
export class MultiStepLR extends LRScheduler {
  /** Sorted, with repeats (JSON-safe form of PyTorch's Counter). */
  readonly milestones: number[];
  readonly gamma: number;

  constructor(optimizer: LrOptimizer, milestones: number[], opts?: MultiStepLROptions) {
    refuseSurplus(MultiStepLR, arguments.length, opts);
    const { gamma = 0.1, lastEpoch = -1 } = options("MultiStepLR", opts, ["gamma", "lastEpoch"]);
    super(optimizer, lastEpoch);
    if (!Array.isArray(milestones)) throw new TypeError(`MultiStepLR: milestones must be an array of epoch indices, got ${typeof milestones}`);
    this.milestones = milestones.map((m) => checkInt("MultiStepLR", "milestone", m, 0)).sort((a, b) => a - b);
    this.gamma = checkFinite("MultiStepLR", "gamma", gamma);
    this.initialStep();
  }

  protected computeLr(): number[] {
    const hits = this.milestones.filter((m) => m === this.lastEpoch).length;
    return this.optimizer.paramGroups.map((g) => (hits === 0 ? g.lr : g.lr * this.gamma ** hits));
  }

  protected override closedFormLr(): number[] {
    const passed = this.milestones.filter((m) => m <= this.lastEpoch).length;
    return this.baseLrs.map((b) => b * this.gamma ** passed);
  }
}
