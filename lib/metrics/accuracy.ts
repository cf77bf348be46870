// Classification accuracy (Caffe's Accuracy layer, top-k too), computed by native comparisons and
// sums: a sample is correct at k when fewer than k classes rank above its target class, ranking as a
// stable descending sort does — higher score first, NaN above every number (as argmax), ties by class
// index (so k = 1 agrees with argmax).
import { Tensor } from "../tensor.js";
import { fmt } from "../shape.js";
import { noGrad } from "../autograd/grad-mode.js";
import { options } from "../options.js";
import { add, eq, lt, mul, ne, sub, gt } from "../ops/elementwise.js";
import { sum } from "../ops/reduce.js";
import { gather } from "../ops/indexing.js";
import { arange } from "../ops/creation.js";
import { checkClassTargets, checkFloat } from "../ops/loss.js";
import { refuseSurplus } from "../arity.js";

export interface AccuracyOptions {
  /** k, or several k (then an array of accuracies comes back); default 1. */
  topk?: number | number[];
}

// For each row, how many classes rank above the target class.
function rankOfTarget(logits: Tensor, targets: Tensor): Tensor {
  const [N, C] = logits.shape;
  const t = targets.reshape([N, 1]);
  const score = gather(logits, 1, t);
  const nanL = ne(logits, logits), nanT = ne(score, score);
  const tie = add(eq(logits, score), mul(nanL, nanT));
  const before = lt(arange(C).reshape([1, C]), t);
  const above = add(add(gt(logits, score), mul(nanL, sub(1, nanT))), mul(tie, before));
  return sum(above, 1);
}

/**
 * The fraction of samples whose target class is among the top k scores.
 * @param logits float `[N, C]` scores (logits or probabilities). @param targets int32 `[N]` class indices.
 * @param opts `topk`: k in [1, C] (default 1) or an array of them.
 * @returns a number in [0, 1] (an array for an array of k); NaN when N = 0.
 * @throws Error naming the shapes when logits are not `[N, C]` or targets not `[N]`; RangeError for a target
 *   outside [0, C) or k outside [1, C].
 */
export function accuracy(logits: Tensor, targets: Tensor, opts?: { topk?: number }): number;
export function accuracy(logits: Tensor, targets: Tensor, opts: { topk: number[] }): number[];
export function accuracy(logits: Tensor, targets: Tensor, opts: AccuracyOptions = {}): number | number[] {
  refuseSurplus(accuracy, arguments.length, opts);
  const op = "accuracy";
  const { topk = 1 } = options(op, opts, ["topk"]);
  checkFloat(logits, "logits", op);
  if (logits.ndim !== 2) throw new Error(`${op}: logits must be [N, C], got shape ${fmt(logits.shape)}`);
  const { N, C } = checkClassTargets(logits, targets, op, null);
  const ks = Array.isArray(topk) ? topk : [topk];
  for (const k of ks) if (!Number.isInteger(k) || k < 1 || k > C) throw new RangeError(`${op}: topk must be integers in [1, ${C}], got ${k}`);
  const result = noGrad(() => {
    if (N === 0) return ks.map(() => NaN);
    const rank = rankOfTarget(logits, targets);
    return ks.map((k) => sum(lt(rank, k)).item() / N);
  });
  return Array.isArray(topk) ? result : result[0];
}
