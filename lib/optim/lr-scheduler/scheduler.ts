// Base of the learning-rate schedulers (torch.optim.lr_scheduler._LRScheduler in PyTorch 1.13):
// each step() advances the epoch counter and writes the new rate into every parameter group's
// `lr`. computeLr() is PyTorch's chainable get_lr() (computed from the group's current lr, so
// schedulers compose); closedFormLr() is its _get_closed_form_lr(), used when a scheduler is
// moved to a given epoch (SequentialLR at a milestone). The same code paths as PyTorch's, in
// the same order, is what makes a resumed scheduler continue on PyTorch's exact curve.
import { Optimizer } from "../optimizer.js";
import { positionalHint } from "../../options.js";
import { refuseSurplus } from "../../arity.js";

export type LrOptimizer = Optimizer<{ lr: number }>;

/** What every scheduler's stateDict() holds: plain numbers and arrays (JSON-safe). */
export interface SchedulerState {
  lastEpoch: number;
  [field: string]: unknown;
}

/** The methods shared by every scheduler, including ReduceLROnPlateau and SequentialLR. */
export interface Scheduler {
  readonly optimizer: LrOptimizer;
  getLastLr(): number[];
  stateDict(): SchedulerState;
  loadStateDict(sd: SchedulerState): void;
}

/** Throws unless `optimizer` is a tensorgrad Optimizer (PyTorch: "X is not an Optimizer"). */
export function checkOptimizer(op: string, optimizer: unknown): asserts optimizer is LrOptimizer {
  if (!(optimizer instanceof Optimizer))
    throw new TypeError(`${op}: the first argument must be an optimizer (tg.optim.SGD, Adam, …), got ${optimizer === null ? "null" : typeof optimizer}`);
}

/** Throws a RangeError naming the scheduler and argument unless `v` is an integer >= min. */
export function checkInt(op: string, name: string, v: unknown, min: number): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < min)
    throw new RangeError(`${op}: invalid ${name} ${describe(v)}; expected an integer >= ${min}${positionalHint(v, name)}`);
  return v;
}

/** Throws a RangeError naming the scheduler and argument unless `v` is a finite number. */
export function checkFinite(op: string, name: string, v: unknown): number {
  if (typeof v !== "number" || !Number.isFinite(v)) throw new RangeError(`${op}: invalid ${name} ${describe(v)}; expected a finite number`);
  return v;
}

const describe = (v: unknown) => (typeof v === "object" && v !== null ? JSON.stringify(v) : String(v));

/**
 * The schedulers' common machinery (PyTorch's `_LRScheduler`).
 *
 * `lastEpoch = -1` starts fresh, recording each group's `initialLr`; a value >= 0 resumes and
 * needs `initialLr` in every group (as an optimizer restored with `loadStateDict` has). The
 * constructor ends with one step, as PyTorch's does, so the optimizer holds the rate of epoch
 * `lastEpoch + 1` afterwards.
 */
export abstract class LRScheduler implements Scheduler {
  readonly baseLrs: number[];
  lastEpoch: number;
  /** PyTorch's `_step_count`: steps taken by this instance (1 right after construction). */
  stepCount = 0;
  protected lastLr: number[] = [];

  /** @throws TypeError if `optimizer` is not an Optimizer; RangeError for a bad lastEpoch; Error when resuming without initialLr. */
  constructor(readonly optimizer: LrOptimizer, lastEpoch = -1) {
    refuseSurplus(LRScheduler, arguments.length);
    const name = this.constructor.name;
    checkOptimizer(name, optimizer);
    checkInt(name, "lastEpoch", lastEpoch, -1);
    for (const [i, g] of optimizer.paramGroups.entries()) {
      if (lastEpoch === -1) g.initialLr ??= g.lr;
      else if (typeof g.initialLr !== "number")
        throw new Error(`${name}: param group ${i} has no initialLr; it is needed when resuming with lastEpoch ${lastEpoch} (load the optimizer's state dict first)`);
    }
    this.baseLrs = optimizer.paramGroups.map((g) => g.initialLr as number);
    this.lastEpoch = lastEpoch;
  }

  /** The rates for epoch `lastEpoch`, one per group (PyTorch's chainable get_lr()). */
  protected abstract computeLr(): number[];
  /** The rates for epoch `lastEpoch` from the base rates alone, where the rule has one. */
  protected closedFormLr?(): number[];

  /** PyTorch's `_initial_step()`: subclass constructors call it last, once their options are set; SequentialLR calls it too. */
  initialStep(): void {
    this.stepCount = 0;
    this.step();
  }

  /**
   * Advances one epoch (or batch) and writes the new rate into every parameter group. Called before
   * any `optimizer.step()`, it warns once, as PyTorch does: the first rate of the schedule is skipped.
   */
  step(): void {
    if (this.stepCount === 1 && this.optimizer.stepCount < 1) warnStepOrder();  // at most once: stepCount moves on
    this.stepCount += 1;
    this.lastEpoch += 1;
    this.setLrs(this.computeLr());
  }

  /**
   * Moves to `epoch` and sets the rates there from the closed form (PyTorch's deprecated
   * `step(epoch)`); SequentialLR uses it to restart a scheduler at its milestone.
   */
  stepTo(epoch: number): void {
    checkInt(this.constructor.name, "epoch", epoch, 0);
    this.stepCount += 1;
    this.lastEpoch = epoch;
    this.setLrs(this.closedFormLr ? this.closedFormLr() : this.computeLr());
  }

  /** The rates the last step set, one per parameter group. */
  getLastLr(): number[] {
    return [...this.lastLr];
  }

  /** Every field but the optimizer (and functions), copied: numbers and arrays, safe to JSON.stringify. */
  stateDict(): SchedulerState {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(this)) if (k !== "optimizer" && typeof v !== "function") out[k] = copy(v);
    return out as SchedulerState;
  }

  /** Restores fields saved by stateDict() (PyTorch's `__dict__.update`). */
  loadStateDict(sd: SchedulerState): void {
    if (sd === null || typeof sd !== "object" || typeof sd.lastEpoch !== "number")
      throw new TypeError(`${this.constructor.name}.loadStateDict: expected an object from stateDict() with a numeric lastEpoch`);
    for (const [k, v] of Object.entries(sd)) (this as Record<string, unknown>)[k] = copy(v);
  }

  private setLrs(lrs: number[]): void {
    this.optimizer.paramGroups.forEach((g, i) => (g.lr = lrs[i]));
    this.lastLr = this.optimizer.paramGroups.map((g) => g.lr);
  }
}

function warnStepOrder(): void {
  process.emitWarning("Detected call of `scheduler.step()` before `optimizer.step()`. Call `optimizer.step()` first, " +
    "then `scheduler.step()`; otherwise the first value of the learning-rate schedule is skipped (as PyTorch warns).", "UserWarning");
}

function copy(v: unknown): unknown {
  return Array.isArray(v) ? v.map(copy) : v;
}

/** One value per parameter group from a number or an array (PyTorch's `_format_param`). */
export function perGroup(op: string, name: string, v: number | number[], groups: number): number[] {
  if (Array.isArray(v)) {
    if (v.length !== groups) throw new RangeError(`${op}: expected ${groups} values for ${name} (one per parameter group), got ${v.length}`);
    return v.map((x) => checkFinite(op, name, x));
  }
  return new Array<number>(groups).fill(checkFinite(op, name, v));
}
