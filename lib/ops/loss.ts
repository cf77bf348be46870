// Losses with PyTorch's formulas, defaults and reductions ("mean" | "sum" | "none"). Fused ones
// record their backward rule next to the forward; composed ones get it from autograd:
//   crossEntropy (native, fused softmax + NLL):  dx = g · (softmax(x) − (1−ε)·onehot(t) − ε/C)
//   binaryCrossEntropy:                          dp = g·w·(p − t) / max(p(1−p), 1e-12)
//                                                dt = g·w·(log(1−p) − log p)   (logs clamped at −100)
//   binaryCrossEntropyWithLogits (L = 1 + (pw−1)·t):
//                                                dx = g·w·(L·σ(x) − pw·t)      (σ(x) − t when pw = 1)
//                                                dt = g·w·((pw−1)·softplus(−x) − x)
//   nllLoss, mseLoss, l1Loss, huberLoss, smoothL1Loss, multiMarginLoss: composed.
import { Tensor } from "../tensor.js";
import { native } from "../native.js";
import { oneOf, options } from "../options.js";
import { checkLive } from "./check.js";
import { fmt, sameShape } from "../shape.js";
import { record } from "../autograd/node.js";
import { isGradEnabled, noGrad } from "../autograd/grad-mode.js";
import { abs, clamp, div, log, maximum, minimum, mul, ne, relu, sigmoid, sub, where } from "./elementwise.js";
import { max, min, sum } from "./reduce.js";
import { gather, indexSelect } from "./indexing.js";
import { arange } from "./creation.js";
import { convert, dense, sumTo } from "./kernels.js";
import { copyOf, disposeTemporaries } from "./layer-input.js";
import { reshape } from "./views.js";
import { refuseSurplus } from "../arity.js";

export type Reduction = "mean" | "sum" | "none";
export interface ReductionOptions {
  reduction?: Reduction;
}

// The option keys each loss accepts (its functional form and its module): anything else throws.
export const LOSS_OPTIONS = {
  crossEntropy: ["reduction", "ignoreIndex", "labelSmoothing"],
  nllLoss: ["reduction", "ignoreIndex"],
  mseLoss: ["reduction"],
  l1Loss: ["reduction"],
  huberLoss: ["reduction", "delta"],
  smoothL1Loss: ["reduction", "beta"],
  binaryCrossEntropy: ["reduction", "weight"],
  binaryCrossEntropyWithLogits: ["reduction", "weight", "posWeight"],
  multiMarginLoss: ["reduction", "p", "margin", "weight"],
} as const;

// ---- shared checks ----

export function checkReduction(r: unknown, op: string): Reduction {
  return oneOf(op, "reduction", r, ["mean", "sum", "none"]);
}

export function checkFloat(x: unknown, what: string, op: string): Tensor {
  if (!(x instanceof Tensor)) throw new TypeError(`${op}: ${what} must be a Tensor, got ${typeof x}`);
  if (x.dtype === "int32") throw new TypeError(`${op}: ${what} must be float32 or float64, got int32; use .float()`);
  checkLive(x, op, what);
  return x;
}

function checkSameShape(input: Tensor, target: Tensor, op: string): void {
  if (!sameShape(input.shape, target.shape))
    throw new Error(`${op}: input shape ${fmt(input.shape)} and target shape ${fmt(target.shape)} must be equal`);
}

// The checks every loss between an input and a float target of the same shape starts with;
// returns the reduction.
function checkPointwise(input: Tensor, target: Tensor, opts: ReductionOptions, op: string): Reduction {
  const reduction = checkReduction(opts.reduction ?? "mean", op);
  checkFloat(input, "input", op), checkFloat(target, "target", op);
  checkSameShape(input, target, op);
  return reduction;
}

// Class-index targets of a [N, C] (or [C]) input: int32, shape [N] (or []), each in [0, C) or
// equal to ignoreIndex. Returns N, C and the number of rows not ignored (the divisor of "mean").
export function checkClassTargets(input: Tensor, targets: unknown, op: string, ignoreIndex: number | null): { N: number; C: number; kept: number } {
  if (!(targets instanceof Tensor)) throw new TypeError(`${op}: targets must be a Tensor of int32 class indices`);
  if (targets.dtype !== "int32")
    throw new TypeError(`${op}: targets must be int32 class indices, got ${targets.dtype}; use .int()`);
  checkLive(targets, op, "targets");
  if (input.ndim !== 1 && input.ndim !== 2)
    throw new Error(`${op}: input must be [N, C] or [C], got shape ${fmt(input.shape)}`);
  const N = input.ndim === 2 ? input.shape[0] : 1, C = input.shape[input.ndim - 1];
  const want = input.ndim === 2 ? [N] : [];
  if (!sameShape(targets.shape, want))
    throw new Error(`${op}: input of shape ${fmt(input.shape)} needs targets of shape ${fmt(want)}, got ${fmt(targets.shape)}`);
  const t = targets.data();
  let kept = 0;
  for (let i = 0; i < t.length; ++i) {
    if (t[i] === ignoreIndex) continue;
    if (t[i] < 0 || t[i] >= C)
      throw new RangeError(`${op}: target ${t[i]} at position ${i} is out of range for ${C} classes (expected 0..${C - 1})`);
    ++kept;
  }
  return { N, C, kept };
}

// Applies the reduction; `count` is the divisor of "mean" (PyTorch divides by the number of
// non-ignored rows for class losses).
export function reduce(loss: Tensor, reduction: Reduction, count = loss.numel()): Tensor {
  if (reduction === "none") return loss;
  const s = sum(loss);
  return reduction === "sum" ? s : div(s, count);  // divided, as PyTorch: s · (1/count) can differ in the last bit
}

// Whether `from` broadcasts to exactly `to` (right-aligned sizes equal or 1).
function broadcastsTo(from: readonly number[], to: readonly number[]): boolean {
  const lead = to.length - from.length;
  return lead >= 0 && from.every((d, i) => d === 1 || d === to[lead + i]);
}

// The second operand broadcast to the first's shape, as a weight must be.
function checkWeight(w: Tensor | undefined, x: Tensor, what: string, op: string): Tensor | undefined {
  if (w === undefined) return undefined;
  checkFloat(w, what, op);
  if (!broadcastsTo(w.shape, x.shape))
    throw new Error(`${op}: ${what} of shape ${fmt(w.shape)} cannot be broadcast to the input shape ${fmt(x.shape)}`);
  return w;
}

// ---- cross-entropy (fused) ----

export interface CrossEntropyOptions extends ReductionOptions {
  ignoreIndex?: number;
  labelSmoothing?: number;
}

interface CrossEntropyCtx {
  probs: Tensor;    // softmax(x), made by the forward kernel
  targets: Tensor;  // dense int32
  N: number;
  C: number;
  ignoreIndex: number;
  eps: number;
}

function crossEntropyRule(c: CrossEntropyCtx, [g]: (Tensor | null)[]): Tensor[] {
  const gx = Tensor.empty([c.N, c.C], c.probs.dtype);
  native.crossEntropyBackward(c.probs.storage, c.targets.storage as Int32Array, dense(g!).storage, gx.storage, c.N, c.C, c.ignoreIndex, c.eps);
  return [gx];
}

// Per-row losses [N] from logits [N, C]; saves softmax(x) for the backward only if needed.
function crossEntropyRows(x: Tensor, t: Tensor, N: number, C: number, ignoreIndex: number, eps: number): Tensor {
  const targets = dense(t);
  const loss = Tensor.empty([N], x.dtype);
  const probs = x.requiresGrad && isGradEnabled() ? Tensor.empty([N, C], x.dtype) : null;
  native.crossEntropy(dense(x).storage, targets.storage as Int32Array, loss.storage, probs && probs.storage, N, C, ignoreIndex, eps);
  if (!probs) return loss;
  const out = record("CrossEntropyLossBackward0", [loss], [x], { probs, targets, N, C, ignoreIndex, eps }, crossEntropyRule);
  disposeTemporaries([probs, copyOf(targets, t)]);
  return out;
}

/**
 * Cross-entropy between logits and class indices: log-softmax and negative log-likelihood fused in one
 * native kernel (stable at ±inf logits). Mirrors `torch.nn.functional.cross_entropy`.
 *
 * @param logits - `[N, C]` or `[C]`, float32 or float64 (unnormalised scores).
 * @param targets - `[N]` or `[]`, int32 class indices in `[0, C)`, or `ignoreIndex`.
 * @param opts - `reduction` (`"mean"` | `"sum"` | `"none"`, default `"mean"`; mean divides by the rows not
 *   ignored), `ignoreIndex` (default -100: rows with this target add nothing to the loss or gradient),
 *   `labelSmoothing` (ε in [0, 1], default 0: the target becomes (1−ε)·onehot + ε/C).
 * @returns a 0-d tensor, or `[N]` with `reduction: "none"`; the logits' dtype.
 * @throws TypeError when logits are int32 or targets are not int32; Error when shapes disagree or C = 0;
 *   RangeError for a target outside `[0, C)` (naming its position) or ε outside [0, 1].
 */
export function crossEntropy(logits: Tensor, targets: Tensor, opts: CrossEntropyOptions = {}): Tensor {
  refuseSurplus(crossEntropy, arguments.length, opts);
  opts = options("crossEntropy", opts, LOSS_OPTIONS.crossEntropy) as CrossEntropyOptions;
  const op = "crossEntropy";
  const { ignoreIndex = -100, labelSmoothing = 0 } = opts;
  const reduction = checkReduction(opts.reduction ?? "mean", op);
  checkFloat(logits, "logits", op);
  if (!Number.isInteger(ignoreIndex)) throw new TypeError(`${op}: ignoreIndex must be an integer, got ${ignoreIndex}`);
  if (!(labelSmoothing >= 0 && labelSmoothing <= 1))
    throw new RangeError(`${op}: labelSmoothing must be in [0, 1], got ${labelSmoothing}`);
  const { N, C, kept } = checkClassTargets(logits, targets, op, ignoreIndex);
  if (C === 0) throw new Error(`${op}: logits of shape ${fmt(logits.shape)} have no classes`);
  const x = logits.ndim === 1 ? reshape(logits, [1, C]) : logits;
  const rows = crossEntropyRows(x, reshape(targets, [N]), N, C, ignoreIndex, labelSmoothing);
  if (logits.ndim === 1 && reduction === "none") return reshape(rows, []);
  return reduce(rows, reduction, kept);
}

// ---- negative log-likelihood (composed: gather) ----

export interface NllLossOptions extends ReductionOptions {
  ignoreIndex?: number;
}

/**
 * Negative log-likelihood of class indices given log-probabilities (the output of `logSoftmax`).
 * Mirrors `torch.nn.functional.nll_loss`.
 *
 * @param logProbs - `[N, C]` or `[C]`, float32 or float64.
 * @param targets - `[N]` or `[]`, int32 class indices in `[0, C)`, or `ignoreIndex`.
 * @param opts - `reduction` (default `"mean"`, over the rows not ignored), `ignoreIndex` (default -100).
 * @returns a 0-d tensor, or `[N]` with `reduction: "none"`.
 * @throws TypeError for int32 input or non-int32 targets; Error for mismatched shapes; RangeError for a
 *   target out of range.
 */
export function nllLoss(logProbs: Tensor, targets: Tensor, opts: NllLossOptions = {}): Tensor {
  refuseSurplus(nllLoss, arguments.length, opts);
  opts = options("nllLoss", opts, LOSS_OPTIONS.nllLoss) as NllLossOptions;
  const op = "nllLoss";
  const { ignoreIndex = -100 } = opts;
  const reduction = checkReduction(opts.reduction ?? "mean", op);
  checkFloat(logProbs, "input", op);
  const { N, C, kept } = checkClassTargets(logProbs, targets, op, ignoreIndex);
  const x = logProbs.ndim === 1 ? reshape(logProbs, [1, C]) : logProbs;
  const t = reshape(targets, [N]);
  // Ignored rows gather class 0 and are then replaced by 0 — selected away, never multiplied by a
  // zero mask: their log-probability may be -inf, and 0 × -inf would be NaN in the loss and grad.
  const keep = ne(t, ignoreIndex);
  const safe = mul(t, keep).reshape([N, 1]);
  const picked = gather(x, 1, safe).reshape([N]);
  const rows = where(keep, picked, 0).neg();
  if (logProbs.ndim === 1 && reduction === "none") return reshape(rows, []);
  return reduce(rows, reduction, kept);
}

// ---- regression losses (composed) ----

/**
 * Mean squared error (x − y)². Mirrors `torch.nn.functional.mse_loss`.
 *
 * @param input - any shape, float32 or float64.
 * @param target - the input's shape, float32 or float64.
 * @param opts - `reduction` (`"mean"` | `"sum"` | `"none"`, default `"mean"`).
 * @returns a 0-d tensor, or the input's shape with `reduction: "none"`.
 * @throws TypeError for int32 operands; Error when the shapes differ or the reduction is unknown.
 */
export function mseLoss(input: Tensor, target: Tensor, opts: ReductionOptions = {}): Tensor {
  refuseSurplus(mseLoss, arguments.length, opts);
  opts = options("mseLoss", opts, LOSS_OPTIONS.mseLoss) as ReductionOptions;
  const reduction = checkPointwise(input, target, opts, "mseLoss");
  const d = sub(input, target);
  return reduce(mul(d, d), reduction);
}

/**
 * Mean absolute error |x − y| (gradient 0 where x = y). Mirrors `torch.nn.functional.l1_loss`.
 *
 * @param input - any shape, float32 or float64.
 * @param target - the input's shape, float32 or float64.
 * @param opts - `reduction` (default `"mean"`).
 * @returns a 0-d tensor, or the input's shape with `reduction: "none"`.
 * @throws TypeError for int32 operands; Error when the shapes differ.
 */
export function l1Loss(input: Tensor, target: Tensor, opts: ReductionOptions = {}): Tensor {
  refuseSurplus(l1Loss, arguments.length, opts);
  opts = options("l1Loss", opts, LOSS_OPTIONS.l1Loss) as ReductionOptions;
  const reduction = checkPointwise(input, target, opts, "l1Loss");
  return reduce(abs(sub(input, target)), reduction);
}

export interface HuberLossOptions extends ReductionOptions {
  delta?: number;
}

/**
 * Huber loss: 0.5·d² where |d| < delta, else delta·(|d| − 0.5·delta). Mirrors
 * `torch.nn.functional.huber_loss`.
 *
 * @param input - any shape, float32 or float64.
 * @param target - the input's shape.
 * @param opts - `reduction` (default `"mean"`), `delta` (> 0, default 1).
 * @returns a 0-d tensor, or the input's shape with `reduction: "none"`.
 * @throws TypeError for int32 operands; Error when the shapes differ; RangeError for delta ≤ 0.
 *
 * 0.5·d² where |d| < delta, else delta·(|d| − 0.5·delta): delta times the smooth L1 loss with beta = delta.
 */
export function huberLoss(input: Tensor, target: Tensor, opts: HuberLossOptions = {}): Tensor {
  refuseSurplus(huberLoss, arguments.length, opts);
  opts = options("huberLoss", opts, LOSS_OPTIONS.huberLoss) as HuberLossOptions;
  const { delta = 1 } = opts;
  const reduction = checkPointwise(input, target, opts, "huberLoss");
  if (!(delta > 0)) throw new RangeError(`huberLoss: delta must be positive, got ${delta}`);
  return reduce(mul(smoothL1(input, target, delta), delta), reduction);
}

export interface SmoothL1LossOptions extends ReductionOptions {
  beta?: number;
}

// 0.5·d²/beta where |d| < beta, else |d| − 0.5·beta; beta = 0 is the L1 loss. Written as
// 0.5·z²/beta + (|d| − z) with z = min(|d|, beta): the same values and gradients without a
// where() whose unused branch (d² at |d| = inf) would send 0 × inf = NaN into the gradient.
function smoothL1(input: Tensor, target: Tensor, beta: number): Tensor {
  const a = abs(sub(input, target));
  if (beta === 0) return a;
  const z = minimum(a, beta);
  return mul(mul(z, z), 0.5 / beta).add(sub(a, z));
}

/**
 * Smooth L1 loss: 0.5·d²/beta where |d| < beta, else |d| − 0.5·beta (beta = 0 is the L1 loss).
 * Mirrors `torch.nn.functional.smooth_l1_loss`.
 *
 * @param input - any shape, float32 or float64.
 * @param target - the input's shape.
 * @param opts - `reduction` (default `"mean"`), `beta` (≥ 0, default 1).
 * @returns a 0-d tensor, or the input's shape with `reduction: "none"`.
 * @throws TypeError for int32 operands; Error when the shapes differ; RangeError for beta < 0.
 */
export function smoothL1Loss(input: Tensor, target: Tensor, opts: SmoothL1LossOptions = {}): Tensor {
  refuseSurplus(smoothL1Loss, arguments.length, opts);
  opts = options("smoothL1Loss", opts, LOSS_OPTIONS.smoothL1Loss) as SmoothL1LossOptions;
  const { beta = 1 } = opts;
  const reduction = checkPointwise(input, target, opts, "smoothL1Loss");
  if (!(beta >= 0)) throw new RangeError(`smoothL1Loss: beta must be non-negative, got ${beta}`);
  return reduce(smoothL1(input, target, beta), reduction);
}

// ---- binary cross-entropy (fused rules) ----

export interface BceOptions extends ReductionOptions {
  weight?: Tensor;
}

interface BceCtx {
  p: Tensor | null;        // the input, where its gradient is needed
  t: Tensor;               // the target in the input's dtype
  logP: Tensor;            // log p and log(1 − p), clamped at −100
  log1mP: Tensor;
  w: Tensor | null;
  tShape: number[] | null; // target and weight shapes, where their gradients are needed
  wShape: number[] | null;
}

function bceRule(c: BceCtx, [g]: (Tensor | null)[]): (Tensor | null)[] {
  const gw = c.w ? mul(g!, c.w) : g!;
  const gp = c.p ? mul(gw, sub(c.p, c.t)).div(maximum(mul(c.p, c.p.neg().add(1)), 1e-12)) : null;
  const gt = c.tShape ? sumTo(mul(gw, sub(c.log1mP, c.logP)), c.tShape) : null;
  const gwt = c.wShape ? sumTo(mul(g!, mul(c.t, c.logP).add(mul(c.t.neg().add(1), c.log1mP)).neg()), c.wShape) : null;
  return [gp, gt, gwt];
}

/**
 * Binary cross-entropy between probabilities and targets, −w·(t·log p + (1 − t)·log(1 − p)), each log
 * clamped at −100 as PyTorch does. Mirrors `torch.nn.functional.binary_cross_entropy`.
 *
 * @param input - probabilities in [0, 1], any shape, float32 or float64.
 * @param target - the input's shape, values in [0, 1] (differentiable).
 * @param opts - `reduction` (default `"mean"`), `weight` (a tensor broadcastable to the input).
 * @returns a 0-d tensor, or the input's shape with `reduction: "none"`.
 * @throws RangeError when an input element lies outside [0, 1] (use binaryCrossEntropyWithLogits for
 *   logits); TypeError for int32 operands; Error for mismatched shapes.
 */
export function binaryCrossEntropy(input: Tensor, target: Tensor, opts: BceOptions = {}): Tensor {
  refuseSurplus(binaryCrossEntropy, arguments.length, opts);
  opts = options("binaryCrossEntropy", opts, LOSS_OPTIONS.binaryCrossEntropy) as BceOptions;
  const op = "binaryCrossEntropy";
  const reduction = checkPointwise(input, target, opts, op);
  const w = checkWeight(opts.weight, input, "weight", op);
  const { t, logP, log1mP, rows } = noGrad(() => {
    if (input.numel() && (min(input).item() < 0 || max(input).item() > 1))
      throw new RangeError(`${op}: every input element must lie in [0, 1] (probabilities); use binaryCrossEntropyWithLogits for logits`);
    const t = convert(target, input.dtype);
    // PyTorch clamps each log at -100 so p = 0 or 1 gives a finite loss.
    const logP = clamp(log(input), -100), log1mP = clamp(log(input.neg().add(1)), -100);
    const raw = mul(t, logP).add(mul(t.neg().add(1), log1mP)).neg();
    return { t, logP, log1mP, rows: w ? mul(raw, w) : raw };
  });
  const ctx: BceCtx = {
    p: input.requiresGrad ? input : null, t, logP, log1mP, w: w ?? null,
    tShape: target.requiresGrad ? target.shape : null, wShape: w?.requiresGrad ? w.shape : null,
  };
  return reduce(record("BinaryCrossEntropyBackward0", [rows], [input, target, w], ctx, bceRule), reduction);
}

export interface BceWithLogitsOptions extends ReductionOptions {
  weight?: Tensor;
  posWeight?: Tensor;
}

// log(1 + e^(−x)) without overflow: max(−x, 0) + log(1 + e^(−|x|)).
function softplusNeg(x: Tensor): Tensor {
  return relu(x.neg()).add(log(abs(x).neg().exp().add(1)));
}

interface BceLogitsCtx {
  x: Tensor;
  t: Tensor;           // the target in the input's dtype
  sp: Tensor;          // softplus(−x)
  L: Tensor | null;    // 1 + (pw − 1)·t, with posWeight
  w: Tensor | null;
  pw: Tensor | null;
  needs: boolean[];    // [input, target, weight, posWeight]
  shapes: number[][];
}

function bceLogitsRule(c: BceLogitsCtx, [g]: (Tensor | null)[]): (Tensor | null)[] {
  const { x, t, sp, L, w, pw, needs, shapes } = c;
  const gw = w ? mul(g!, w) : g!;
  const gx = !needs[0] ? null : L ? mul(gw, mul(L, sigmoid(x)).sub(mul(pw!, t))) : mul(gw, sub(sigmoid(x), t));
  const gt = !needs[1] ? null : sumTo(mul(gw, pw ? mul(sub(pw, 1), sp).sub(x) : x.neg()), shapes[1]);
  const gwt = !needs[2] ? null : sumTo(mul(g!, mul(t.neg().add(1), x).add(L ? mul(L, sp) : sp)), shapes[2]);
  const gpw = !needs[3] ? null : sumTo(mul(gw, mul(t, sp)), shapes[3]);
  return [gx, gt, gwt, gpw];
}

/**
 * Binary cross-entropy on logits, computed without overflow as (1 − t)·x + L·softplus(−x) with
 * L = 1 + (posWeight − 1)·t. Mirrors `torch.nn.functional.binary_cross_entropy_with_logits`.
 *
 * @param input - logits, any shape, float32 or float64.
 * @param target - the input's shape, values in [0, 1] (differentiable).
 * @param opts - `reduction` (default `"mean"`), `weight` and `posWeight` (tensors broadcastable to the
 *   input; posWeight weighs the positive term, e.g. `[C]` for multi-label data).
 * @returns a 0-d tensor, or the input's shape with `reduction: "none"`.
 * @throws TypeError for int32 operands; Error for mismatched or non-broadcastable shapes.
 */
export function binaryCrossEntropyWithLogits(input: Tensor, target: Tensor, opts: BceWithLogitsOptions = {}): Tensor {
  refuseSurplus(binaryCrossEntropyWithLogits, arguments.length, opts);
  opts = options("binaryCrossEntropyWithLogits", opts, LOSS_OPTIONS.binaryCrossEntropyWithLogits) as BceWithLogitsOptions;
  const op = "binaryCrossEntropyWithLogits";
  const reduction = checkPointwise(input, target, opts, op);
  const w = checkWeight(opts.weight, input, "weight", op) ?? null;
  const pw = checkWeight(opts.posWeight, input, "posWeight", op) ?? null;
  const x = input;
  const { t, sp, L, rows } = noGrad(() => {
    const t = convert(target, x.dtype), sp = softplusNeg(x);
    // loss = (1 − t)·x + L·softplus(−x), L = 1 + (pw − 1)·t
    const L = pw ? mul(sub(pw, 1), t).add(1) : null;
    const raw = mul(t.neg().add(1), x).add(L ? mul(L, sp) : sp);
    return { t, sp, L, rows: w ? mul(raw, w) : raw };
  });
  const inputs = [x, target, w, pw];
  const ctx: BceLogitsCtx = {
    x, t, sp, L, w, pw, needs: inputs.map((i) => !!i?.requiresGrad), shapes: inputs.map((i) => i?.shape ?? []),
  };
  return reduce(record("BinaryCrossEntropyWithLogitsBackward0", [rows], inputs, ctx, bceLogitsRule), reduction);
}

// ---- multiclass hinge (composed) ----

export interface MultiMarginLossOptions extends ReductionOptions {
  p?: 1 | 2;
  margin?: number;
  weight?: Tensor;
}

/**
 * Multi-class hinge loss: Σ_{j≠y} w[y]·max(0, margin − x[y] + x[j])^p / C per row. Mirrors
 * `torch.nn.functional.multi_margin_loss`.
 *
 * @param input - `[N, C]` or `[C]`, float32 or float64.
 * @param targets - `[N]` or `[]`, int32 class indices in `[0, C)`.
 * @param opts - `reduction` (default `"mean"`), `p` (1 or 2, default 1), `margin` (default 1), `weight`
 *   (`[C]` per-class weights).
 * @returns a 0-d tensor, or `[N]` with `reduction: "none"`.
 * @throws RangeError for p other than 1 or 2 or a target out of range; Error for a weight not of shape `[C]`.
 *
 * loss_i = Σ_{j≠y_i} w[y_i]·max(0, margin − x[i, y_i] + x[i, j])^p / C
 */
export function multiMarginLoss(input: Tensor, targets: Tensor, opts: MultiMarginLossOptions = {}): Tensor {
  refuseSurplus(multiMarginLoss, arguments.length, opts);
  opts = options("multiMarginLoss", opts, LOSS_OPTIONS.multiMarginLoss) as MultiMarginLossOptions;
  const op = "multiMarginLoss";
  const { p = 1, margin = 1, weight } = opts;
  const reduction = checkReduction(opts.reduction ?? "mean", op);
  checkFloat(input, "input", op);
  if (p !== 1 && p !== 2) throw new RangeError(`${op}: p must be 1 or 2, got ${p}`);
  const { N, C } = checkClassTargets(input, targets, op, null);
  if (weight !== undefined && (checkFloat(weight, "weight", op).ndim !== 1 || weight.shape[0] !== C))
    throw new Error(`${op}: weight must have shape [${C}], got ${fmt(weight.shape)}`);
  const x = input.ndim === 1 ? reshape(input, [1, C]) : input;
  const y = reshape(targets, [N, 1]);
  const xy = gather(x, 1, y);
  let h = relu(sub(x, xy).add(margin));
  if (p === 2) h = mul(h, h);
  // The target's own column is selected away (not multiplied by 0: it is NaN when x[i, y_i] is ±inf).
  const others = ne(reshape(arange(C), [1, C]), y);
  let rows = sum(where(others, h, 0), 1).mul(1 / C);
  if (weight) rows = mul(rows, indexSelect(weight, 0, reshape(y, [N])));
  if (input.ndim === 1 && reduction === "none") return reshape(rows, []);
  return reduce(rows, reduction);
}
