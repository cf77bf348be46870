// SequentialLR: hands the optimizer from one scheduler to the next at milestone epochs (e.g. a
// LinearLR warm-up, then CosineAnnealingLR). At a milestone the next scheduler restarts at
// epoch 0 from its closed form, as PyTorch's does.
import { options } from "../../options.js";
import { LRScheduler, checkInt, checkOptimizer, type LrOptimizer, type Scheduler, type SchedulerState } from "./scheduler.js";
import { refuseSurplus } from "../../arity.js";

export interface SequentialLROptions {
  lastEpoch?: number;
}

/**
 * torch.optim.lr_scheduler.SequentialLR.
 * @param schedulers schedulers of this same optimizer, in order.
 * @param milestones epochs at which the next scheduler takes over; one fewer than schedulers.
 * @throws Error when a scheduler belongs to another optimizer or the counts do not match.
 */
export class SequentialLR implements Scheduler {
  readonly schedulers: LRScheduler[];
  readonly milestones: number[];
  lastEpoch: number;
  protected lastLr: number[];

  constructor(readonly optimizer: LrOptimizer, schedulers: LRScheduler[], milestones: number[], opts?: SequentialLROptions) {
    refuseSurplus(SequentialLR, arguments.length, opts);
    const { lastEpoch = -1 } = options("SequentialLR", opts, ["lastEpoch"]);
    checkOptimizer("SequentialLR", optimizer);
    if (!Array.isArray(schedulers) || schedulers.length === 0 || schedulers.some((s) => !(s instanceof LRScheduler)))
      throw new TypeError("SequentialLR: schedulers must be a non-empty array of LR schedulers (StepLR, LinearLR, …)");
    schedulers.forEach((s, i) => {
      if (s.optimizer !== optimizer)
        throw new Error(`SequentialLR: all schedulers must belong to the optimizer passed in, but the scheduler at index ${i} has another one`);
    });
    if (!Array.isArray(milestones) || milestones.length !== schedulers.length - 1)
      throw new Error(`SequentialLR: expects one milestone fewer than schedulers, got ${schedulers.length} schedulers and ${Array.isArray(milestones) ? milestones.length : "no"} milestones`);
    this.schedulers = schedulers;
    this.milestones = milestones.map((m) => checkInt("SequentialLR", "milestone", m, 0));
    this.lastEpoch = checkInt("SequentialLR", "lastEpoch", lastEpoch, -1) + 1;
    // Back to the initial rates, undo the step each scheduler's constructor took, then start the first.
    for (const g of optimizer.paramGroups) g.lr = g.initialLr as number;
    for (const s of schedulers) s.lastEpoch -= 1;
    schedulers[0].initialStep();
    this.lastLr = schedulers[0].getLastLr();
  }

  step(): void {
    this.lastEpoch += 1;
    const idx = this.milestones.filter((m) => m <= this.lastEpoch).length;  // bisect_right
    const s = this.schedulers[idx];
    if (idx > 0 && this.milestones[idx - 1] === this.lastEpoch) s.stepTo(0);
    else s.step();
    this.lastLr = s.getLastLr();
  }

  getLastLr(): number[] {
    return [...this.lastLr];
  }

  /** Its counters plus every scheduler's own state dict, under `schedulers`. */
  stateDict(): SchedulerState {
    return { lastEpoch: this.lastEpoch, milestones: [...this.milestones], lastLr: [...this.lastLr], schedulers: this.schedulers.map((s) => s.stateDict()) };
  }

  loadStateDict(sd: SchedulerState): void {
    const subs = sd?.schedulers;
    if (typeof sd?.lastEpoch !== "number" || !Array.isArray(subs) || subs.length !== this.schedulers.length)
      throw new TypeError(`SequentialLR.loadStateDict: expected an object from stateDict() with ${this.schedulers.length} scheduler states`);
    this.lastEpoch = sd.lastEpoch;
    this.lastLr = [...(sd.lastLr as number[])];
    subs.forEach((s, i) => this.schedulers[i].loadStateDict(s as SchedulerState));
  }
}
