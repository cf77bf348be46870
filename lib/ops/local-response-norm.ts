// Local response normalisation across channels (Caffe's LRN, PyTorch's formula), native:
//   s_c = k + alpha/size · Σ x_j² over the `size` channels around c;  y_c = x_c · s_c^(−beta)
//   dx_c = g_c·s_c^(−beta) − 2·alpha·beta/size · x_c · Σ_j g_j·x_j·s_j^(−beta−1) (j whose window holds c)
import { Tensor } from "../tensor.js";
import { native } from "../native.js";
import { fmt, numelOf } from "../shape.js";
import { options } from "../options.js";
import { copyOf, dense, floatTensor, recordLayer } from "./layer-input.js";
import { refuseSurplus } from "../arity.js";

export interface LocalResponseNormOptions {
  alpha?: number;
  beta?: number;
  k?: number;
}

/**
 * Local response normalisation, as `torch.nn.functional.local_response_norm`.
 * @param x float32/float64 input `[N, C, ...]` with at least 3 dims.
 * @param size the number of neighbouring channels summed (a positive integer).
 * @param opts `alpha` (1e-4), `beta` (0.75), `k` (1).
 * @returns x's shape and dtype.
 * @throws Error for fewer than 3 dims; RangeError for a bad size or non-finite alpha, beta, k.
 */
export function localResponseNorm(x: Tensor, size: number, opts: LocalResponseNormOptions = {}): Tensor {
  refuseSurplus(localResponseNorm, arguments.length, opts);
  const op = "localResponseNorm";
  const { alpha = 1e-4, beta = 0.75, k = 1 } = options(op, opts, ["alpha", "beta", "k"]);
  floatTensor(x, op);
  if (x.ndim < 3) throw new Error(`${op}: input must have at least 3 dims [N, C, ...], got shape ${fmt(x.shape)}`);
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`${op}: size must be a positive integer, got ${size}`);
  for (const [name, v] of [["alpha", alpha], ["beta", beta], ["k", k]] as const)
    if (!Number.isFinite(v)) throw new RangeError(`${op}: ${name} must be a finite number, got ${v}`);
  const [N, C] = x.shape, L = numelOf(x.shape.slice(2));
  const xd = dense(x);
  const y = Tensor.output(x.shape, x.dtype), scale = Tensor.output(x.shape, x.dtype);
  native.localResponseNorm(xd.storage, y.storage, scale.storage, N, C, L, size, alpha, beta, k);
  return recordLayer("LocalResponseNormBackward0", y, [x], { x: xd, scale, args: [N, C, L, size, alpha, beta, k] }, lrnRule,
    [scale, copyOf(xd, x)]);
}

function lrnRule(c: { x: Tensor; scale: Tensor; args: number[] }, g: Tensor): Tensor[] {
  const gx = Tensor.output(c.x.shape, g.dtype);
  const [N, C, L, size, alpha, beta, k] = c.args;
  native.localResponseNormBackward(c.x.storage, dense(g).storage, c.scale.storage, gx.storage, N, C, L, size, alpha, beta, k);
  return [gx];
}
