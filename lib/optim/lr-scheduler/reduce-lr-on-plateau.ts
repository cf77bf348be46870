// ReduceLROnPlateau: lowers the rate by `factor` when a watched metric (e.g. validation loss)
// stops improving for `patience` epochs. Not an LRScheduler: step(metric) takes the value.
import { Tensor } from "../../tensor.js";
import { options } from "../../options.js";
import { checkFinite, checkInt, checkOptimizer, perGroup, type LrOptimizer, type Scheduler, type SchedulerState } from "./scheduler.js";
import { refuseSurplus } from "../../arity.js";

export interface ReduceLROnPlateauOptions {
  mode?: "min" | "max";
  factor?: number;
  patience?: number;
  threshold?: number;
  thresholdMode?: "rel" | "abs";
  cooldown?: number;
  minLr?: number | number[];
  eps?: number;
}

const KEYS = ["mode", "factor", "patience", "threshold", "thresholdMode", "cooldown", "minLr", "eps"] as const;

/**
 * torch.optim.lr_scheduler.ReduceLROnPlateau with PyTorch's defaults (mode "min", factor 0.1,
 * patience 10, threshold 1e-4 relative, cooldown 0, minLr 0, eps 1e-8).
 * @throws RangeError for factor >= 1 or bad counts; Error for unknown mode/thresholdMode or options.
 */
export class ReduceLROnPlateau implements Scheduler {
  readonly mode: "min" | "max";
  readonly factor: number;
  readonly patience: number;
  readonly threshold: number;
  readonly thresholdMode: "rel" | "abs";
  readonly cooldown: number;
  readonly minLrs: number[];
  readonly eps: number;
  lastEpoch = 0;
  best: number;
  numBadEpochs = 0;
  cooldownCounter = 0;
  protected lastLr: number[];

  constructor(readonly optimizer: LrOptimizer, opts?: ReduceLROnPlateauOptions) {
    refuseSurplus(ReduceLROnPlateau, arguments.length, opts);
    const o = options("ReduceLROnPlateau", opts, KEYS);
    checkOptimizer("ReduceLROnPlateau", optimizer);
    const { mode = "min", factor = 0.1, patience = 10, threshold = 1e-4, thresholdMode = "rel", cooldown = 0, minLr = 0, eps = 1e-8 } = o;
    if (!(checkFinite("ReduceLROnPlateau", "factor", factor) < 1)) throw new RangeError(`ReduceLROnPlateau: factor should be < 1.0, got ${factor}`);
    if (mode !== "min" && mode !== "max") throw new Error(`ReduceLROnPlateau: mode ${JSON.stringify(mode)} is unknown; use "min" or "max"`);
    if (thresholdMode !== "rel" && thresholdMode !== "abs")
      throw new Error(`ReduceLROnPlateau: thresholdMode ${JSON.stringify(thresholdMode)} is unknown; use "rel" or "abs"`);
    this.mode = mode;
    this.factor = factor;
    this.patience = checkInt("ReduceLROnPlateau", "patience", patience, 0);
    this.threshold = checkFinite("ReduceLROnPlateau", "threshold", threshold);
    this.thresholdMode = thresholdMode;
    this.cooldown = checkInt("ReduceLROnPlateau", "cooldown", cooldown, 0);
    this.minLrs = perGroup("ReduceLROnPlateau", "minLr", minLr, optimizer.paramGroups.length);
    this.eps = checkFinite("ReduceLROnPlateau", "eps", eps);
    this.best = this.modeWorse;
    this.lastLr = optimizer.paramGroups.map((g) => g.lr);
  }

  /** Records one epoch's metric (a number or a one-element tensor) and lowers the rates if it has plateaued. */
  step(metric: number | Tensor): void {
    const current = metric instanceof Tensor ? metric.item() : metric;
    if (typeof current !== "number") throw new TypeError(`ReduceLROnPlateau.step: metric must be a number or a one-element Tensor, got ${typeof metric}`);
    this.lastEpoch += 1;
    if (this.isBetter(current, this.best)) {
      this.best = current;
      this.numBadEpochs = 0;
    } else {
      this.numBadEpochs += 1;
    }
    if (this.cooldownCounter > 0) {
      this.cooldownCounter -= 1;
      this.numBadEpochs = 0;  // bad epochs in cooldown don't count
    }
    if (this.numBadEpochs > this.patience) {
      this.reduceLr();
      this.cooldownCounter = this.cooldown;
      this.numBadEpochs = 0;
    }
    this.lastLr = this.optimizer.paramGroups.map((g) => g.lr);
  }

  getLastLr(): number[] {
    return [...this.lastLr];
  }

  /** Counters, best value and options; `best` is ±Infinity before the first step (JSON turns it into null, which loadStateDict accepts). */
  stateDict(): SchedulerState {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(this)) if (k !== "optimizer") out[k] = Array.isArray(v) ? [...v] : v;
    return out as SchedulerState;
  }

  loadStateDict(sd: SchedulerState): void {
    if (sd === null || typeof sd !== "object" || typeof sd.lastEpoch !== "number")
      throw new TypeError("ReduceLROnPlateau.loadStateDict: expected an object from stateDict() with a numeric lastEpoch");
    for (const [k, v] of Object.entries(sd)) (this as Record<string, unknown>)[k] = Array.isArray(v) ? [...v] : v;
    if (this.best === null) this.best = this.modeWorse;
  }

  private get modeWorse(): number {
    return this.mode === "min" ? Infinity : -Infinity;
  }

  private isBetter(a: number, best: number): boolean {
    const t = this.threshold;
    if (this.mode === "min") return this.thresholdMode === "rel" ? a < best * (1 - t) : a < best - t;
    return this.thresholdMode === "rel" ? a > best * (t + 1) : a > best + t;
  }

  private reduceLr(): void {
    this.optimizer.paramGroups.forEach((g, i) => {
      const newLr = Math.max(g.lr * this.factor, this.minLrs[i]);
      if (g.lr - newLr > this.eps) g.lr = newLr;
    });
  }
}
