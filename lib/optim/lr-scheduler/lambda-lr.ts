// LambdaLR: lr = baseLr · lrLambda(epoch), one function for all groups or one per group.
import { options } from "../../options.js";
import { LRScheduler, type LrOptimizer, type SchedulerState } from "./scheduler.js";
import { refuseSurplus } from "../../arity.js";

export interface LambdaLROptions {
  lastEpoch?: number;
}

export type LrLambda = (epoch: number) => number;

/**
 * lr = baseLr · lrLambda(epoch) (torch.optim.lr_scheduler.LambdaLR). The functions are not part
 * of stateDict() (PyTorch saves plain functions as None too): construct the scheduler with the
 * same functions before loadStateDict().
 * @throws TypeError when lrLambda is not a function or an array of one function per group.
 */
export class LambdaLR extends LRScheduler {
  readonly lrLambdas: LrLambda[];

  constructor(optimizer: LrOptimizer, lrLambda: LrLambda | LrLambda[], opts?: LambdaLROptions) {
    refuseSurplus(LambdaLR, arguments.length, opts);
    const { lastEpoch = -1 } = options("LambdaLR", opts, ["lastEpoch"]);
    super(optimizer, lastEpoch);
    const n = optimizer.paramGroups.length;
    const fns = Array.isArray(lrLambda) ? lrLambda : new Array<LrLambda>(n).fill(lrLambda);
    if (fns.length !== n) throw new RangeError(`LambdaLR: expected ${n} lrLambdas (one per parameter group), got ${fns.length}`);
    if (fns.some((f) => typeof f !== "function")) throw new TypeError("LambdaLR: lrLambda must be a function (epoch) => factor, or an array of them");
    this.lrLambdas = fns;
    this.initialStep();
  }

  protected computeLr(): number[] {
    return this.baseLrs.map((b, i) => b * this.lrLambdas[i](this.lastEpoch));
  }

  override stateDict(): SchedulerState {
    const { lrLambdas: _, ...rest } = super.stateDict();
    return rest as SchedulerState;
  }
}
