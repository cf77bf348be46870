// OneCycleLR: the 1cycle policy (Smith & Topor, "Super-Convergence"): the rate rises from
// maxLr/divFactor to maxLr over pctStart of the steps, then falls to initialLr/finalDivFactor;
// momentum (or Adam's beta1) moves inversely between maxMomentum and baseMomentum. Stepped once
// per batch. Like PyTorch's, it keeps its per-group bounds in the parameter groups (initialLr,
// maxLr, minLr, maxMomentum, baseMomentum), so an optimizer's state dict carries them.
import { options } from "../../options.js";
import type { ParamGroup } from "../optimizer.js";
import { LRScheduler, checkInt, perGroup, type LrOptimizer } from "./scheduler.js";
import { refuseSurplus } from "../../arity.js";

export interface OneCycleLROptions {
  totalSteps?: number;
  epochs?: number;
  stepsPerEpoch?: number;
  pctStart?: number;
  annealStrategy?: "cos" | "linear";
  cycleMomentum?: boolean;
  baseMomentum?: number | number[];
  maxMomentum?: number | number[];
  divFactor?: number;
  finalDivFactor?: number;
  threePhase?: boolean;
  lastEpoch?: number;
}

const KEYS = ["totalSteps", "epochs", "stepsPerEpoch", "pctStart", "annealStrategy", "cycleMomentum", "baseMomentum",
  "maxMomentum", "divFactor", "finalDivFactor", "threePhase", "lastEpoch"] as const;

type Bound = "initialLr" | "maxLr" | "minLr" | "maxMomentum" | "baseMomentum";
interface Phase { endStep: number; startLr: Bound; endLr: Bound; startMomentum: Bound; endMomentum: Bound }
type Group = ParamGroup<{ lr: number }> & { momentum?: number; betas?: number[] };

/**
 * torch.optim.lr_scheduler.OneCycleLR with PyTorch's defaults (pctStart 0.3, cos annealing,
 * momentum 0.85–0.95, divFactor 25, finalDivFactor 1e4, two phases).
 * @param maxLr peak rate, one number or one per parameter group.
 * @throws Error when neither totalSteps nor epochs and stepsPerEpoch are given, when cycleMomentum
 *   is on and the optimizer has neither momentum nor betas, or when stepped past totalSteps;
 *   RangeError for out-of-range options.
 */
export class OneCycleLR extends LRScheduler {
  readonly totalSteps: number;
  readonly annealStrategy: "cos" | "linear";
  readonly cycleMomentum: boolean;
  readonly useBeta1: boolean;
  readonly phases: Phase[];

  constructor(optimizer: LrOptimizer, maxLr: number | number[], opts?: OneCycleLROptions) {
    refuseSurplus(OneCycleLR, arguments.length, opts);
    // maxLr is required, so positional (PyTorch's max_lr): an options object in its place is named.
    if (maxLr !== null && typeof maxLr === "object" && !Array.isArray(maxLr))
      throw new TypeError("OneCycleLR: maxLr is a required argument, so it comes before the options: new OneCycleLR(opt, 0.1, {totalSteps: 1000}); got an object");
    const o = options("OneCycleLR", opts, KEYS);
    const { pctStart = 0.3, annealStrategy = "cos", cycleMomentum = true, divFactor = 25, finalDivFactor = 1e4,
      threePhase = false, lastEpoch = -1 } = o;
    const total = totalStepsOf(o);
    if (typeof pctStart !== "number" || !(pctStart >= 0 && pctStart <= 1))
      throw new RangeError(`OneCycleLR: invalid pctStart ${pctStart}; expected a number between 0 and 1`);
    if (annealStrategy !== "cos" && annealStrategy !== "linear")
      throw new RangeError(`OneCycleLR: annealStrategy must be "cos" or "linear", got ${JSON.stringify(annealStrategy)}`);
    const groups = optimizer?.paramGroups as Group[] | undefined;
    if (groups && lastEpoch === -1) {
      const maxLrs = perGroup("OneCycleLR", "maxLr", maxLr, groups.length);
      groups.forEach((g, i) => {
        g.initialLr = maxLrs[i] / divFactor;
        g.maxLr = maxLrs[i];
        g.minLr = maxLrs[i] / divFactor / finalDivFactor;
      });
    }
    let useBeta1 = false;
    if (cycleMomentum && groups) {
      const d = optimizer.defaults as Record<string, unknown>;
      if (!("momentum" in d) && !("betas" in d)) throw new Error("OneCycleLR: optimizer must support momentum (SGD, RMSprop) or betas (Adam) when cycleMomentum is true");
      useBeta1 = "betas" in d;
      const maxM = perGroup("OneCycleLR", "maxMomentum", o.maxMomentum ?? 0.95, groups.length);
      const baseM = perGroup("OneCycleLR", "baseMomentum", o.baseMomentum ?? 0.85, groups.length);
      if (lastEpoch === -1)
        groups.forEach((g, i) => {
          setMomentum(g, useBeta1, maxM[i]);
          g.maxMomentum = maxM[i];
          g.baseMomentum = baseM[i];
        });
    }
    if (groups && lastEpoch !== -1) {
      const need = ["initialLr", "maxLr", "minLr", ...(cycleMomentum ? ["maxMomentum", "baseMomentum"] : [])];
      groups.forEach((g, i) => {
        const gone = need.filter((k) => typeof g[k] !== "number");
        if (gone.length)
          throw new Error(`OneCycleLR: param group ${i} has no ${gone.join(", ")}; resuming with lastEpoch ${lastEpoch} needs the optimizer's state dict from the original run loaded first`);
      });
    }
    super(optimizer, lastEpoch);
    this.totalSteps = total;
    this.annealStrategy = annealStrategy;
    this.cycleMomentum = cycleMomentum;
    this.useBeta1 = useBeta1;
    this.phases = threePhase
      ? [
          { endStep: pctStart * total - 1, startLr: "initialLr", endLr: "maxLr", startMomentum: "maxMomentum", endMomentum: "baseMomentum" },
          { endStep: 2 * pctStart * total - 2, startLr: "maxLr", endLr: "initialLr", startMomentum: "baseMomentum", endMomentum: "maxMomentum" },
          { endStep: total - 1, startLr: "initialLr", endLr: "minLr", startMomentum: "maxMomentum", endMomentum: "maxMomentum" },
        ]
      : [
          { endStep: pctStart * total - 1, startLr: "initialLr", endLr: "maxLr", startMomentum: "maxMomentum", endMomentum: "baseMomentum" },
          { endStep: total - 1, startLr: "maxLr", endLr: "minLr", startMomentum: "baseMomentum", endMomentum: "maxMomentum" },
        ];
    this.initialStep();
  }

  protected computeLr(): number[] {
    const t = this.lastEpoch;
    if (t > this.totalSteps)
      throw new Error(`OneCycleLR: tried to step ${t + 1} times; the specified number of total steps is ${this.totalSteps}`);
    const anneal = this.annealStrategy === "cos" ? annealCos : annealLinear;
    return (this.optimizer.paramGroups as Group[]).map((g) => {
      let start = 0;
      for (const [i, ph] of this.phases.entries()) {
        if (t <= ph.endStep || i === this.phases.length - 1) {
          const pct = (t - start) / (ph.endStep - start);
          if (this.cycleMomentum) setMomentum(g, this.useBeta1, anneal(g[ph.startMomentum] as number, g[ph.endMomentum] as number, pct));
          return anneal(g[ph.startLr] as number, g[ph.endLr] as number, pct);
        }
        start = ph.endStep;
      }
      throw new Error("OneCycleLR: no phase");  // unreachable: the last phase always matches
    });
  }
}

function totalStepsOf(o: OneCycleLROptions): number {
  if (o.totalSteps !== undefined) return checkInt("OneCycleLR", "totalSteps", o.totalSteps, 1);
  if (o.epochs === undefined || o.stepsPerEpoch === undefined)
    throw new Error("OneCycleLR: give either totalSteps or both epochs and stepsPerEpoch");
  return checkInt("OneCycleLR", "epochs", o.epochs, 1) * checkInt("OneCycleLR", "stepsPerEpoch", o.stepsPerEpoch, 1);
}

function setMomentum(g: Group, useBeta1: boolean, m: number): void {
  if (useBeta1) g.betas = [m, ...(g.betas as number[]).slice(1)];
  else g.momentum = m;
}

// Cosine from start to end as pct goes from 0 to 1.
const annealCos = (start: number, end: number, pct: number) => end + ((start - end) / 2) * (Math.cos(Math.PI * pct) + 1);
const annealLinear = (start: number, end: number, pct: number) => (end - start) * pct + start;
