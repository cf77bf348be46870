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
import { fmt, sameShape } from "../shape.js";
import { record } from "../autograd/node.js";
import { isGradEnabled, noGrad } from "../autograd/grad-mode.js";
import { abs, clamp, log, maximum, mul, ne, relu, sigmoid, sub, where } from "./elementwise.js";
import { max, min, sum, sumTo } from "./reduce.js";
import { gather, indexSelect } from "./index.js";
import { arange } from "./creation.js";
import { contiguous, toDType } from "./copy.js";

export type Reduction = "mean" | "sum" | "none";
export interface ReductionOptions {
  reduction?: Reduction;
}

// ---- shared checks ----

function checkReduction(r: unknown, op: string): Reduction {
  if (r === "mean" || r === "sum" || r === "none") return r;
  throw new Error(`${op}: reduction must be "mean", "sum" or "none", got ${JSON.stringify(r)}`);
}

function checkFloat(x: unknown, what: string, op: string): Tensor {
  if (!(x instanceof Tensor)) throw new TypeError(`${op}: ${what} must be a Tensor, got ${typeof x}`);
  if (x.dtype === "int32") throw new TypeError(`${op}: ${what} must be float32 or float64, got int32; use .float()`);
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
function checkClassTargets(input: Tensor, targets: unknown, op: string, ignoreIndex: number | null): { N: number; C: number; kept: number } {
  if (!(targets instanceof Tensor)) throw new TypeError(`${op}: targets must be a Tensor of int32 class indices`);
  if (targets.dtype !== "int32")
    throw new TypeError(`${op}: targets must be int32 class indices, got ${targets.dtype}; use .int()`);
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
function reduce(loss: Tensor, reduction: Reduction, count = loss.numel): Tensor {
  if (reduction === "none") return loss;
  const s = sum(loss);
  return reduction === "sum" ? s : mul(s, 1 / count);
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

// Per-row losses [N] from logits [N, C]; saves softmax(x) for the backward only if needed.
function crossEntropyRows(x: Tensor, t: Tensor, N: number, C: number, ignoreIndex: number, eps: number): Tensor {
  const xd = noGrad(() => contiguous(x, true)), td = contiguous(t, true).storage as Int32Array;
  const loss = Tensor.empty([N], x.dtype);
  const probs = x.requiresGrad && isGradEnabled() ? Tensor.empty([N, C], x.dtype) : null;
  native.crossEntropy(xd.storage, td, loss.storage, probs && probs.storage, N, C, ignoreIndex, eps);
  return record(loss, "CrossEntropyBackward", [x], (g) => {
    const gx = Tensor.empty([N, C], x.dtype);
    native.crossEntropyBackward(probs!.storage, td, contiguous(g, true).storage, gx.storage, N, C, ignoreIndex, eps);
    return [gx];
  });
}

export function crossEntropy(logits: Tensor, targets: Tensor, opts: CrossEntropyOptions = {}): Tensor {
  const op = "crossEntropy";
  const { ignoreIndex = -100, labelSmoothing = 0 } = opts;
  const reduction = checkReduction(opts.reduction ?? "mean", op);
  checkFloat(logits, "logits", op);
  if (!Number.isInteger(ignoreIndex)) throw new TypeError(`${op}: ignoreIndex must be an integer, got ${ignoreIndex}`);
  if (!(labelSmoothing >= 0 && labelSmoothing <= 1))
    throw new RangeError(`${op}: labelSmoothing must be in [0, 1], got ${labelSmoothing}`);
  const { N, C, kept } = checkClassTargets(logits, targets, op, ignoreIndex);
  if (C === 0) throw new Error(`${op}: logits of shape ${fmt(logits.shape)} have no classes`);
  const x = logits.ndim === 1 ? logits.reshape([1, C]) : logits;
  const rows = crossEntropyRows(x, targets.reshape([N]), N, C, ignoreIndex, labelSmoothing);
  if (logits.ndim === 1 && reduction === "none") return rows.reshape([]);
  return reduce(rows, reduction, kept);
}

// ---- negative log-likelihood (composed: gather) ----

export interface NllLossOptions extends ReductionOptions {
  ignoreIndex?: number;
}

export function nllLoss(logProbs: Tensor, targets: Tensor, opts: NllLossOptions = {}): Tensor {
  const op = "nllLoss";
  const { ignoreIndex = -100 } = opts;
  const reduction = checkReduction(opts.reduction ?? "mean", op);
  checkFloat(logProbs, "input", op);
  const { N, C, kept } = checkClassTargets(logProbs, targets, op, ignoreIndex);
  const x = logProbs.ndim === 1 ? logProbs.reshape([1, C]) : logProbs;
  const t = targets.reshape([N]);
  // Ignored rows gather class 0 and are then zeroed by the mask.
  const keep = ne(t, ignoreIndex);
  const safe = mul(t, keep).reshape([N, 1]);
  const picked = gather(x, 1, safe).reshape([N]);
  const rows = mul(picked, toDType(keep, x.dtype)).neg();
  if (logProbs.ndim === 1 && reduction === "none") return rows.reshape([]);
  return reduce(rows, reduction, kept);
}

// ---- regression losses (composed) ----

export function mseLoss(input: Tensor, target: Tensor, opts: ReductionOptions = {}): Tensor {
  const reduction = checkPointwise(input, target, opts, "mseLoss");
  const d = sub(input, target);
  return reduce(mul(d, d), reduction);
}

export function l1Loss(input: Tensor, target: Tensor, opts: ReductionOptions = {}): Tensor {
  const reduction = checkPointwise(input, target, opts, "l1Loss");
  return reduce(abs(sub(input, target)), reduction);
}

export interface HuberLossOptions extends ReductionOptions {
  delta?: number;
}

// 0.5·d² where |d| < delta, else delta·(|d| − 0.5·delta): delta times the smooth L1 loss with beta = delta.
export function huberLoss(input: Tensor, target: Tensor, opts: HuberLossOptions = {}): Tensor {
  const { delta = 1 } = opts;
  const reduction = checkPointwise(input, target, opts, "huberLoss");
  if (!(delta > 0)) throw new RangeError(`huberLoss: delta must be positive, got ${delta}`);
  return reduce(mul(smoothL1(input, target, delta), delta), reduction);
}

export interface SmoothL1LossOptions extends ReductionOptions {
  beta?: number;
}

// 0.5·d²/beta where |d| < beta, else |d| − 0.5·beta; beta = 0 is the L1 loss.
function smoothL1(input: Tensor, target: Tensor, beta: number): Tensor {
  const d = sub(input, target), a = abs(d);
  return beta === 0 ? a : where(a.lt(beta), mul(mul(d, d), 0.5 / beta), a.sub(0.5 * beta));
}

export function smoothL1Loss(input: Tensor, target: Tensor, opts: SmoothL1LossOptions = {}): Tensor {
  const { beta = 1 } = opts;
  const reduction = checkPointwise(input, target, opts, "smoothL1Loss");
  if (!(beta >= 0)) throw new RangeError(`smoothL1Loss: beta must be non-negative, got ${beta}`);
  return reduce(smoothL1(input, target, beta), reduction);
}

// ---- binary cross-entropy (fused rules) ----

export interface BceOptions extends ReductionOptions {
  weight?: Tensor;
}

export function binaryCrossEntropy(input: Tensor, target: Tensor, opts: BceOptions = {}): Tensor {
  const op = "binaryCrossEntropy";
  const reduction = checkPointwise(input, target, opts, op);
  const w = checkWeight(opts.weight, input, "weight", op);
  const { p, t, logP, log1mP, rows } = noGrad(() => {
    if (input.numel && (min(input).item() < 0 || max(input).item() > 1))
      throw new RangeError(`${op}: every input element must lie in [0, 1] (probabilities); use binaryCrossEntropyWithLogits for logits`);
    const t = toDType(target, input.dtype);
    // PyTorch clamps each log at -100 so p = 0 or 1 gives a finite loss.
    const logP = clamp(log(input), -100), log1mP = clamp(log(input.neg().add(1)), -100);
    const raw = mul(t, logP).add(mul(t.neg().add(1), log1mP)).neg();
    return { p: input, t, logP, log1mP, rows: w ? mul(raw, w) : raw };
  });
  const inputs = w ? [p, target, w] : [p, target];
  const out = record(rows, "BinaryCrossEntropyBackward", inputs, (g) => {
    const gw = w ? mul(g, w) : g;
    const gp = p.requiresGrad ? mul(gw, sub(p, t)).div(maximum(mul(p, p.neg().add(1)), 1e-12)) : null;
    const gt = target.requiresGrad ? sumTo(mul(gw, sub(log1mP, logP)), target.shape) : null;
    const gwt = w?.requiresGrad ? sumTo(mul(g, mul(t, logP).add(mul(t.neg().add(1), log1mP)).neg()), w.shape) : null;
    return w ? [gp, gt, gwt] : [gp, gt];
  });
  return reduce(out, reduction);
}

export interface BceWithLogitsOptions extends ReductionOptions {
  weight?: Tensor;
  posWeight?: Tensor;
}

// log(1 + e^(−x)) without overflow: max(−x, 0) + log(1 + e^(−|x|)).
function softplusNeg(x: Tensor): Tensor {
  return relu(x.neg()).add(log(abs(x).neg().exp().add(1)));
}

export function binaryCrossEntropyWithLogits(input: Tensor, target: Tensor, opts: BceWithLogitsOptions = {}): Tensor {
  const op = "binaryCrossEntropyWithLogits";
  const reduction = checkPointwise(input, target, opts, op);
  const w = checkWeight(opts.weight, input, "weight", op);
  const pw = checkWeight(opts.posWeight, input, "posWeight", op);
  const x = input;
  const { t, sp, L, rows } = noGrad(() => {
    const t = toDType(target, x.dtype), sp = softplusNeg(x);
    // loss = (1 − t)·x + L·softplus(−x), L = 1 + (pw − 1)·t
    const L = pw ? mul(sub(pw, 1), t).add(1) : null;
    const raw = mul(t.neg().add(1), x).add(L ? mul(L, sp) : sp);
    return { t, sp, L, rows: w ? mul(raw, w) : raw };
  });
  const inputs = [x, target, ...(w ? [w] : []), ...(pw ? [pw] : [])];
  const out = record(rows, "BinaryCrossEntropyWithLogitsBackward", inputs, (g) => {
    const gw = w ? mul(g, w) : g;
    const s = sigmoid(x);
    const gx = !x.requiresGrad ? null : L ? mul(gw, mul(L, s).sub(mul(pw!, t))) : mul(gw, sub(s, t));
    const gt = !target.requiresGrad ? null : sumTo(mul(gw, pw ? mul(sub(pw, 1), sp).sub(x) : x.neg()), target.shape);
    const grads: (Tensor | null)[] = [gx, gt];
    if (w) grads.push(w.requiresGrad ? sumTo(mul(g, mul(t.neg().add(1), x).add(L ? mul(L, sp) : sp)), w.shape) : null);
    if (pw) grads.push(pw.requiresGrad ? sumTo(mul(gw, mul(t, sp)), pw.shape) : null);
    return grads;
  });
  return reduce(out, reduction);
}

// ---- multiclass hinge (composed) ----

export interface MultiMarginLossOptions extends ReductionOptions {
  p?: 1 | 2;
  margin?: number;
  weight?: Tensor;
}

// loss_i = Σ_{j≠y_i} w[y_i]·max(0, margin − x[i, y_i] + x[i, j])^p / C
export function multiMarginLoss(input: Tensor, targets: Tensor, opts: MultiMarginLossOptions = {}): Tensor {
  const op = "multiMarginLoss";
  const { p = 1, margin = 1, weight } = opts;
  const reduction = checkReduction(opts.reduction ?? "mean", op);
  checkFloat(input, "input", op);
  if (p !== 1 && p !== 2) throw new RangeError(`${op}: p must be 1 or 2, got ${p}`);
  const { N, C } = checkClassTargets(input, targets, op, null);
  if (weight !== undefined && (checkFloat(weight, "weight", op).ndim !== 1 || weight.shape[0] !== C))
    throw new Error(`${op}: weight must have shape [${C}], got ${fmt(weight.shape)}`);
  const x = input.ndim === 1 ? input.reshape([1, C]) : input;
  const y = targets.reshape([N, 1]);
  const xy = gather(x, 1, y);
  let h = relu(sub(x, xy).add(margin));
  if (p === 2) h = mul(h, h);
  const others = ne(arange(C).reshape([1, C]), y).to(x.dtype);
  let rows = sum(mul(h, others), 1).mul(1 / C);
  if (weight) rows = mul(rows, indexSelect(weight, 0, y.reshape([N])));
  if (input.ndim === 1 && reduction === "none") return rows.reshape([]);
  return reduce(rows, reduction);
}
