// Batch normalisation over [N, C, *] inputs, per channel, native forward and backward:
//   y = (x − mean_c) / √(var_c + eps) · w_c + b_c
//   training: batch statistics (biased variance); running stats move by momentum with the unbiased one
//   eval:     the running statistics
//   dx (training) = w·invstd·(g − mean(g) − x̂·mean(g·x̂)),  dx (eval) = g·w·invstd
//   dw = Σ g·x̂,  db = Σ g  (over N and the spatial dims)
import { Tensor } from "../tensor.js";
import { native } from "../native.js";
import { fmt, numelOf } from "../shape.js";
import { bumpVersion } from "../autograd/version.js";
import { options } from "../options.js";
import { zeros } from "./creation.js";
import { copyOf, dense, floatTensor, optionalParam, recordLayer, storageOf } from "./layer-input.js";
import { refuseSurplus } from "../arity.js";

export interface BatchNormOptions {
  /** Use (and update) batch statistics; default false, as torch.nn.functional.batch_norm. */
  training?: boolean;
  /** Weight of the new batch statistic in the running average; default 0.1. */
  momentum?: number;
  eps?: number;
}

// The running statistics are updated in place by the kernel, so they must be dense.
function runningStat(t: Tensor | null, what: string): Tensor | null {
  if (t && !(t.isContiguous() && t.offset === 0 && t.storage.length === t.numel()))
    throw new Error(`batchNorm: ${what} must be a dense tensor (it is updated in place); pass a contiguous tensor`);
  return t;
}

/**
 * Batch normalisation, as `torch.nn.functional.batch_norm`.
 * @param x float32/float64 input `[N, C]`, `[N, C, L]` or `[N, C, H, W]` (any `[N, C, ...]`).
 * @param runningMean `[C]` or null; in training mode updated in place to (1 − momentum)·r + momentum·mean.
 * @param runningVar `[C]` or null; updated likewise with the unbiased batch variance.
 * @param weight `[C]` scale γ or null (1). @param bias `[C]` shift β or null (0).
 * @param opts `training` (default false: use the running statistics), `momentum` (0.1), `eps` (1e-5).
 * @returns a tensor of x's shape and dtype. Gradients flow to x, weight and bias (not to the running stats).
 * @throws Error when x has fewer than 2 dims, a per-channel tensor is not `[C]`, training sees one value per
 *   channel, or eval mode has no running statistics; TypeError for int32 or mixed dtypes.
 */
export function batchNorm(x: Tensor, runningMean: Tensor | null, runningVar: Tensor | null, weight: Tensor | null = null,
  bias: Tensor | null = null, opts: BatchNormOptions = {}): Tensor {
  refuseSurplus(batchNorm, arguments.length, opts);
  const op = "batchNorm";
  const { training = false, momentum = 0.1, eps = 1e-5 } = options(op, opts, ["training", "momentum", "eps"]);
  floatTensor(x, op);
  if (x.ndim < 2) throw new Error(`${op}: input must be [N, C, ...] with at least 2 dims, got shape ${fmt(x.shape)}`);
  const [N, C] = x.shape, L = numelOf(x.shape.slice(2));
  const rm = runningStat(optionalParam(runningMean, [C], x, op, "runningMean"), "runningMean");
  const rv = runningStat(optionalParam(runningVar, [C], x, op, "runningVar"), "runningVar");
  const w = optionalParam(weight, [C], x, op, "weight"), b = optionalParam(bias, [C], x, op, "bias");
  if (!Number.isFinite(momentum)) throw new RangeError(`${op}: momentum must be a finite number, got ${momentum}`);
  if (!(eps >= 0)) throw new RangeError(`${op}: eps must be >= 0, got ${eps}`);
  if (!training && (!rm || !rv)) throw new Error(`${op}: eval mode (training: false) needs runningMean and runningVar; pass them or set training: true`);
  if (training && N * L === 1)
    throw new Error(`${op}: expected more than 1 value per channel when training, got input of shape ${fmt(x.shape)}`);
  // An empty batch has no statistics: as PyTorch, the output is empty, the running stats stay, and weight
  // and bias get zero gradients (not none: an optimizer still steps them, as PyTorch's would).
  if (x.numel() === 0)
    return recordLayer("NativeBatchNormBackward0", Tensor.output(x.shape, x.dtype), [x, w, b],
      [x, w, b].map((t) => t && t.shape), emptyBatchRule);
  const xd = dense(x);
  const y = Tensor.output(x.shape, x.dtype);
  const mean = Tensor.output([C], x.dtype), invstd = Tensor.output([C], x.dtype);
  native.batchNorm(xd.storage, y.storage, storageOf(w), storageOf(b), training ? rm?.storage ?? null : rm!.storage,
    training ? rv?.storage ?? null : rv!.storage, mean.storage, invstd.storage, N, C, L, training, momentum, eps);
  if (training) for (const r of [rm, rv]) if (r) bumpVersion(r.storage);
  const ctx = { x: xd, w, mean, invstd, dims: [N, C, L], training, want: [x.requiresGrad, !!w?.requiresGrad, !!b?.requiresGrad] };
  return recordLayer("NativeBatchNormBackward0", y, [x, w, b], ctx, batchNormRule, [mean, invstd, copyOf(xd, x)]);
}

// Each input's gradient from an empty batch: x's is empty, weight's and bias's are zero.
function emptyBatchRule(shapes: (number[] | null)[], g: Tensor): (Tensor | null)[] {
  return shapes.map((shape) => shape && zeros(shape, { dtype: g.dtype }));
}

interface BatchNormCtx {
  x: Tensor;
  w: Tensor | null;
  mean: Tensor;
  invstd: Tensor;
  dims: number[];  // N, C, L
  training: boolean;
  want: boolean[];  // which of x, weight, bias need a gradient
}

function batchNormRule(c: BatchNormCtx, g: Tensor): (Tensor | null)[] {
  const [N, C, L] = c.dims;
  const [gx, gw, gb] = c.want.map((on, i) => (on ? Tensor.output(i === 0 ? c.x.shape : [C], g.dtype) : null));
  native.batchNormBackward(c.x.storage, dense(g).storage, storageOf(c.w), c.mean.storage, c.invstd.storage, gx && gx.storage,
    gw && gw.storage, gb && gb.storage, N, C, L, c.training);
  return [gx, gw, gb];
}
