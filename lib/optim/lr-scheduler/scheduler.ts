// Base of the learning-rate schedulers (torch.optim.lr_scheduler): each step() advances the epoch
// counter and writes the new rate into every parameter group's `lr`. Rules are chainable (computed
// from the group's current lr), as PyTorch's get_lr() are.
import type { Optimizer } from "../optimizer.js";

export type LrOptimizer = Optimizer<{ lr: number }>;

export interface SchedulerState {
  lastEpoch: number;
  baseLrs: number[];
  lastLr: number[];
  [option: string]: unknown;
}

export abstract class LRScheduler {
  readonly baseLrs: number[];
  lastEpoch: number;
  protected lastLr: number[] = [];

  // lastEpoch = -1 starts fresh (recording each group's initialLr); otherwise resumes, which
  // needs initialLr in every group, as PyTorch does.
  constructor(readonly optimizer: LrOptimizer, lastEpoch = -1) {
    if (!Number.isInteger(lastEpoch) || lastEpoch < -1)
      throw new RangeError(`${this.constructor.name}: invalid lastEpoch ${lastEpoch}; expected an integer >= -1`);
    for (const [i, g] of optimizer.paramGroups.entries()) {
      if (lastEpoch === -1) g.initialLr ??= g.lr;
      else if (typeof g.initialLr !== "number")
        throw new Error(`${this.constructor.name}: param group ${i} has no initialLr; it is needed when resuming with lastEpoch ${lastEpoch}`);
    }
    this.baseLrs = optimizer.paramGroups.map((g) => g.initialLr as number);
    this.lastEpoch = lastEpoch;
  }

  // The rates for epoch `lastEpoch`, one per group, from the groups' current rates.
  protected abstract computeLr(): number[];

  // Subclass constructors call this last, once their own options are set (PyTorch's initial step).
  protected initialStep(): void {
    this.step();
  }

  step(): void {
    this.lastEpoch += 1;
    const lrs = this.computeLr();
    this.optimizer.paramGroups.forEach((g, i) => (g.lr = lrs[i]));
    this.lastLr = lrs;
  }

  getLastLr(): number[] {
    return [...this.lastLr];
  }

  stateDict(): SchedulerState {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(this)) if (k !== "optimizer") out[k] = Array.isArray(v) ? [...v] : v;
    return out as SchedulerState;
  }

  loadStateDict(sd: SchedulerState): void {
    for (const [k, v] of Object.entries(sd)) (this as Record<string, unknown>)[k] = Array.isArray(v) ? [...v] : v;
  }
}
