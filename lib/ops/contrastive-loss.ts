// The contrastive family (Caffe's contrastive loss, PyTorch's embedding and ranking losses), composed
// from native elementwise ops and reductions; autograd gives the backward (clamp passes the gradient
// at the boundary, as PyTorch's clamp_min):
//   cosineEmbeddingLoss: 1 − cos(x1, x2) where y = 1, max(0, cos − margin) where y = −1
//   marginRankingLoss:   max(0, −y·(x1 − x2) + margin)
//   hingeEmbeddingLoss:  x where y = 1, max(0, margin − x) where y = −1
import { Tensor } from "../tensor.js";
import { fmt } from "../shape.js";
import { options } from "../options.js";
import { checkLive } from "./check.js";
import { add, clamp, eq, mul, ne, sqrt, sub, where } from "./elementwise.js";
import { sum } from "./reduce.js";
import { checkFloat, checkReduction, reduce, type Reduction } from "./loss.js";
import { refuseSurplus } from "../arity.js";

export interface MarginLossOptions {
  margin?: number;
  reduction?: Reduction;
}

// Targets of ±1 may come as int32 or float; the masks compare in the input's dtype.
function checkTarget(t: unknown, op: string): Tensor {
  if (!(t instanceof Tensor)) throw new TypeError(`${op}: target must be a Tensor of 1 and -1, got ${typeof t}`);
  checkLive(t, op, "target");
  return t;
}

function marginOptions(op: string, opts: MarginLossOptions | undefined, defaultMargin: number) {
  const o = options(op, opts, ["margin", "reduction"]);
  const margin = o.margin ?? defaultMargin;
  if (!Number.isFinite(margin)) throw new RangeError(`${op}: margin must be a finite number, got ${margin}`);
  return { margin, reduction: checkReduction(o.reduction ?? "mean", op) };
}

const EPSILON = 1e-12;  // PyTorch's, added to each squared norm

/**
 * Cosine embedding loss, as `torch.nn.functional.cosine_embedding_loss`.
 * @param x1, x2 float `[N, D]` (or `[D]`) of the same shape. @param target `[N]` (or `[]`) of 1 (similar) and −1
 *   (dissimilar); other values contribute 0. @param opts `margin` (default 0), `reduction` ("mean").
 * @returns the reduced loss, or `[N]` with reduction "none".
 * @throws Error naming the shapes when x1 and x2 differ or target is not `[N]`.
 */
export function cosineEmbeddingLoss(x1: Tensor, x2: Tensor, target: Tensor, opts: MarginLossOptions = {}): Tensor {
  refuseSurplus(cosineEmbeddingLoss, arguments.length, opts);
  const op = "cosineEmbeddingLoss";
  const { margin, reduction } = marginOptions(op, opts, 0);
  checkFloat(x1, "input1", op), checkFloat(x2, "input2", op);
  const y = checkTarget(target, op);
  if (x1.ndim < 1 || x1.ndim > 2 || x1.shape.join() !== x2.shape.join())
    throw new Error(`${op}: input1 and input2 must both be [N, D] or [D] of one shape, got ${fmt(x1.shape)} and ${fmt(x2.shape)}`);
  if (y.shape.join() !== x1.shape.slice(0, -1).join())
    throw new Error(`${op}: target must have shape ${fmt(x1.shape.slice(0, -1))} for inputs ${fmt(x1.shape)}, got ${fmt(y.shape)}`);
  const d = x1.ndim - 1;
  const dot = sum(mul(x1, x2), d);
  const norms = mul(add(sum(mul(x1, x1), d), EPSILON), add(sum(mul(x2, x2), d), EPSILON));
  const cos = dot.div(sqrt(norms));
  const pos = where(eq(y, 1), sub(1, cos), 0);
  const neg = where(eq(y, -1), clamp(sub(cos, margin), 0), 0);
  return reduce(add(pos, neg), reduction);
}

/**
 * Margin ranking loss, as `torch.nn.functional.margin_ranking_loss`: max(0, −y·(x1 − x2) + margin).
 * @param x1, x2 float scores, @param target 1 (x1 should rank higher) or −1; all of one number of dims, broadcast.
 * @param opts `margin` (default 0), `reduction` ("mean").
 * @throws Error when the three differ in number of dims or cannot broadcast.
 */
export function marginRankingLoss(x1: Tensor, x2: Tensor, target: Tensor, opts: MarginLossOptions = {}): Tensor {
  refuseSurplus(marginRankingLoss, arguments.length, opts);
  const op = "marginRankingLoss";
  const { margin, reduction } = marginOptions(op, opts, 0);
  checkFloat(x1, "input1", op), checkFloat(x2, "input2", op);
  const y = checkTarget(target, op);
  if (x1.ndim !== x2.ndim || x1.ndim !== y.ndim)
    throw new Error(`${op}: input1, input2 and target must have the same number of dims, got ${fmt(x1.shape)}, ${fmt(x2.shape)} and ${fmt(y.shape)}`);
  const loss = clamp(add(mul(y.to(x1.dtype).neg(), sub(x1, x2)), margin), 0);
  return reduce(loss, reduction);
}

/**
 * Hinge embedding loss, as `torch.nn.functional.hinge_embedding_loss`: x where y = 1, max(0, margin − x)
 * where y = −1 (x is usually a distance).
 * @param x float input, @param target 1 or −1 of a shape broadcastable with x. @param opts `margin` (default 1),
 *   `reduction` ("mean").
 */
export function hingeEmbeddingLoss(x: Tensor, target: Tensor, opts: MarginLossOptions = {}): Tensor {
  refuseSurplus(hingeEmbeddingLoss, arguments.length, opts);
  const op = "hingeEmbeddingLoss";
  const { margin, reduction } = marginOptions(op, opts, 1);
  checkFloat(x, "input", op);
  const y = checkTarget(target, op);
  const marginPart = where(ne(y, 1), clamp(sub(margin, x), 0), 0);
  const selfPart = where(ne(y, -1), x, 0);
  return reduce(add(marginPart, selfPart), reduction);
}
