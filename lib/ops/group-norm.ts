// Group and layer normalisation, one native kernel for both (layerNorm is groupNorm with one group
// over the normalized trailing dims, its weight per element):
//   y = (x − mean) / √(var + eps) · w + b, statistics over each (sample, group) block (biased variance)
//   dx = rstd·(g' − mean(g') − x̂·mean(g'·x̂)) with g' = g·w, per block;  dw = Σ g·x̂,  db = Σ g
import { Tensor } from "../tensor.js";
import { native } from "../native.js";
import { fmt, numelOf, sameShape } from "../shape.js";
import { options } from "../options.js";
import { copyOf, dense, floatTensor, optionalParam, recordLayer, storageOf } from "./layer-input.js";
import { refuseSurplus } from "../arity.js";

// x as [N, C, L] normalised over blocks of C/G channels; w and b have C entries (or are null).
function normalize(op: string, x: Tensor, N: number, C: number, L: number, G: number, w: Tensor | null, b: Tensor | null, eps: number): Tensor {
  if (!(eps >= 0)) throw new RangeError(`${op}: eps must be >= 0, got ${eps}`);
  const xd = dense(x);
  const y = Tensor.output(x.shape, x.dtype);
  const mean = Tensor.output([N * G], x.dtype), rstd = Tensor.output([N * G], x.dtype);
  native.groupNorm(xd.storage, y.storage, storageOf(w), storageOf(b), mean.storage, rstd.storage, N, C, L, G, eps);
  const ctx = { x: xd, w, mean, rstd, dims: [N, C, L, G], want: [x.requiresGrad, !!w?.requiresGrad, !!b?.requiresGrad] };
  return recordLayer(op === "layerNorm" ? "NativeLayerNormBackward0" : "NativeGroupNormBackward0", y, [x, w, b], ctx, groupNormRule,
    [mean, rstd, copyOf(xd, x)]);
}

interface GroupNormCtx {
  x: Tensor;
  w: Tensor | null;
  mean: Tensor;
  rstd: Tensor;
  dims: number[];  // N, C, L, G
  want: boolean[];  // which of x, weight, bias need a gradient
}

function groupNormRule(c: GroupNormCtx, g: Tensor): (Tensor | null)[] {
  const [N, C, L, G] = c.dims;
  const [gx, gw, gb] = c.want.map((on, i) => (on ? Tensor.output(i === 0 ? c.x.shape : c.w?.shape ?? [C], g.dtype) : null));
  native.groupNormBackward(c.x.storage, dense(g).storage, storageOf(c.w), c.mean.storage, c.rstd.storage, gx && gx.storage,
    gw && gw.storage, gb && gb.storage, N, C, L, G);
  return [gx, gw, gb];
}

export interface NormOptions {
  /** Added to the variance; default 1e-5. */
  eps?: number;
}

/**
 * Group normalisation, as `torch.nn.functional.group_norm`: each sample's channels are split into
 * `numGroups` groups, each normalised over its channels and spatial positions.
 * @param x float32/float64 input `[N, C, ...]`. @param numGroups a divisor of C.
 * @param weight `[C]` or null (1). @param bias `[C]` or null (0). @param opts `eps` (default 1e-5).
 * @returns x's shape and dtype.
 * @throws Error when numGroups does not divide C, x has fewer than 2 dims, or weight/bias are not `[C]`.
 */
export function groupNorm(x: Tensor, numGroups: number, weight: Tensor | null = null, bias: Tensor | null = null, opts: NormOptions = {}): Tensor {
  refuseSurplus(groupNorm, arguments.length, opts);
  const op = "groupNorm";
  const { eps = 1e-5 } = options(op, opts, ["eps"]);
  floatTensor(x, op);
  if (x.ndim < 2) throw new Error(`${op}: input must be [N, C, ...] with at least 2 dims, got shape ${fmt(x.shape)}`);
  const [N, C] = x.shape;
  if (!Number.isInteger(numGroups) || numGroups < 1 || C % numGroups !== 0)
    throw new Error(`${op}: numGroups ${numGroups} must be a positive divisor of the channel count ${C} of input ${fmt(x.shape)}`);
  const w = optionalParam(weight, [C], x, op, "weight"), b = optionalParam(bias, [C], x, op, "bias");
  return normalize(op, x, N, C, numelOf(x.shape.slice(2)), numGroups, w, b, eps);
}

/**
 * Layer normalisation, as `torch.nn.functional.layer_norm`: normalises over the trailing dims given by
 * `normalizedShape`.
 * @param x float32/float64 input `[..., *normalizedShape]`.
 * @param normalizedShape the trailing sizes, a number or an array (e.g. `[C, H, W]`).
 * @param weight, bias: of shape normalizedShape, or null. @param opts `eps` (default 1e-5).
 * @returns x's shape and dtype.
 * @throws Error when normalizedShape does not match x's last dims, or weight/bias have another shape.
 */
export function layerNorm(x: Tensor, normalizedShape: number | number[], weight: Tensor | null = null, bias: Tensor | null = null,
  opts: NormOptions = {}): Tensor {
  refuseSurplus(layerNorm, arguments.length, opts);
  const op = "layerNorm";
  const { eps = 1e-5 } = options(op, opts, ["eps"]);
  floatTensor(x, op);
  const shape = typeof normalizedShape === "number" ? [normalizedShape] : normalizedShape;
  if (!Array.isArray(shape) || shape.length === 0 || !shape.every((d) => Number.isInteger(d) && d >= 0))
    throw new TypeError(`${op}: normalizedShape must be a size or a non-empty array of sizes, got ${String(normalizedShape)}`);
  const k = shape.length;
  if (k > x.ndim || !sameShape(x.shape.slice(x.ndim - k), shape))
    throw new Error(`${op}: normalizedShape ${fmt(shape)} does not match the last ${k} dims of input ${fmt(x.shape)}`);
  const w = optionalParam(weight, shape, x, op, "weight"), b = optionalParam(bias, shape, x, op, "bias");
  return normalize(op, x, numelOf(x.shape.slice(0, x.ndim - k)), numelOf(shape), 1, 1, w, b, eps);
}
