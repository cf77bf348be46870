// Dropout with inverted scaling, native: in training each unit is kept with probability 1 − p and
// scaled by 1/(1 − p), drawn from the seeded generator (tg.manualSeed); dx = g · mask.
//   dropout:   one unit per element
//   dropout2d: one unit per channel of [N, C, ...] (whole feature maps)
import { Tensor } from "../tensor.js";
import { native } from "../native.js";
import { fmt, numelOf } from "../shape.js";
import { options } from "../options.js";
import { copyOf, dense, floatTensor, recordLayer } from "./layer-input.js";
import { refuseSurplus } from "../arity.js";

export interface DropoutOptions {
  /** Probability of zeroing a unit, in [0, 1]; default 0.5. */
  p?: number;
  /** Drop only when true (default true, as torch.nn.functional.dropout); otherwise x is returned. */
  training?: boolean;
}

function drop(op: string, x: Tensor, opts: DropoutOptions, units: number): Tensor {
  const { p = 0.5, training = true } = options(op, opts, ["p", "training"]);
  if (typeof p !== "number" || !(p >= 0 && p <= 1)) throw new RangeError(`${op}: p must be a probability in [0, 1], got ${p}`);
  if (!training || p === 0 || x.numel() === 0) return x;
  const inner = x.numel() / units;
  const xd = dense(x);
  const y = Tensor.output(x.shape, x.dtype), mask = Tensor.output([units], x.dtype);
  native.dropout(xd.storage, y.storage, mask.storage, units, inner, p, true);
  return recordLayer(op === "dropout" ? "NativeDropoutBackward0" : "FeatureDropoutBackward0", y, [x], { mask, inner, p }, dropoutRule,
    [mask, copyOf(xd, x)]);
}

function dropoutRule(c: { mask: Tensor; inner: number; p: number }, g: Tensor): Tensor[] {
  const gx = Tensor.output(g.shape, g.dtype);
  native.dropout(dense(g).storage, gx.storage, c.mask.storage, c.mask.numel(), c.inner, c.p, false);
  return [gx];
}

/**
 * Dropout, as `torch.nn.functional.dropout`: zeroes each element with probability p and scales the
 * rest by 1/(1 − p). Seeded by `tg.manualSeed`.
 * @param x float32/float64 tensor of any shape. @param opts `p` (0.5), `training` (true).
 * @returns x itself when not training or p = 0, else a new tensor of x's shape.
 * @throws RangeError for p outside [0, 1]; TypeError for int32.
 */
export function dropout(x: Tensor, opts: DropoutOptions = {}): Tensor {
  refuseSurplus(dropout, arguments.length, opts);
  return drop("dropout", floatTensor(x, "dropout"), opts, x.numel());
}

/**
 * Channel dropout, as `torch.nn.functional.dropout2d`: zeroes whole channels of `[N, C, H, W]`
 * (any `[N, C, ...]`) with probability p, scaling the rest by 1/(1 − p).
 * @param x float32/float64 input with at least 2 dims. @param opts `p` (0.5), `training` (true).
 * @throws Error for fewer than 2 dims; RangeError for p outside [0, 1].
 */
export function dropout2d(x: Tensor, opts: DropoutOptions = {}): Tensor {
  refuseSurplus(dropout2d, arguments.length, opts);
  floatTensor(x, "dropout2d");
  if (x.ndim < 2) throw new Error(`dropout2d: input must be [N, C, ...] with at least 2 dims, got shape ${fmt(x.shape)}`);
  return drop("dropout2d", x, opts, numelOf(x.shape.slice(0, 2)));
}
