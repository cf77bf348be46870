// Vector norms over dims (torch.norm / torch.linalg.vector_norm), one native pass per line
// accumulated in double, and F.normalize built on them. The rule, with y the norm:
//   p = 2 (and "fro"):  dx = g · x / y             (0 where y = 0, as PyTorch)
//   p = 1:              dx = g · sign(x)
//   p = ±inf:           dx = g · sign(x) / count, shared evenly among the elements with |x| = y
//   p = 0:              dx = 0 (a count of nonzeros)
//   other p:            dx = g · x·|x|^(p−2) / y^(p−1)   (0 where y = 0, and for p < 2 where x = 0)
import { Tensor } from "../tensor.js";
import { native } from "../native.js";
import { fmt, normalizeDim } from "../shape.js";
import { options } from "../options.js";
import { defineOp } from "./define.js";
import { checkNumber, checkTensor, describe } from "./check.js";
import { binaryKernel, compareKernel, convert, dense, scalarTensor, sumKernel, unaryKernel, viewAs, whereKernel } from "./kernels.js";
import { linesOf } from "./lines.js";
import { outShape, reducedDims } from "./reduce.js";
import { clamp, div } from "./elementwise.js";
import { args, vals } from "./samples.js";
import { refuseSurplus } from "../arity.js";

/** Options of norm: the dims to reduce (all when omitted) and whether to keep them as size 1. */
export interface NormOptions {
  dim?: number | number[] | null;
  keepdim?: boolean;
}
export type NormOrder = number | "fro";

function orderOf(p: unknown, op: string): number {
  if (p === "fro" || p === undefined || p === null) return 2;
  if (typeof p !== "number" || Number.isNaN(p))
    throw new TypeError(`${op}: p must be a number (2, 1, Infinity, -Infinity, 0, ...) or "fro", got ${describe(p)}${p === "nuc" ? " (the nuclear norm is not supported)" : ""}`);
  return p;
}

interface NormCtx {
  x: Tensor;
  y: Tensor;       // keepdim shape
  p: number;
  red: boolean[];
}

// g · x·|x|^(p−2) / y^(p−1), 0 where y = 0 (p = 2 is g · x / y).
function powerRule(c: NormCtx, gy: Tensor): Tensor {
  const zero = scalarTensor(0, c.y.dtype);
  const scale = binaryKernel("div", gy, c.p === 2 ? c.y : unaryKernel("pow", c.y, c.p - 1), c.y.shape);
  const safe = whereKernel(compareKernel("eq", c.y, zero, c.y.shape), zero, scale, c.y.shape);
  const xp = c.p === 2 ? c.x : binaryKernel("mul", c.x, unaryKernel("pow", unaryKernel("abs", c.x), c.p - 2), c.x.shape);
  // For p < 2, |x|^(p−2) is inf at x = 0, and 0·inf NaN; the limit (and PyTorch's value) is 0.
  const xs = c.p < 2 ? whereKernel(compareKernel("eq", c.x, zero, c.x.shape), zero, xp, c.x.shape) : xp;
  return binaryKernel("mul", xs, safe, c.x.shape);
}

function normRule(c: NormCtx, g: Tensor): Tensor {
  const gy = viewAs(dense(g), c.y.shape), shape = c.x.shape;
  if (c.p === 0) return Tensor.empty(shape, c.x.dtype);
  if (c.p === 1) return binaryKernel("mul", unaryKernel("sign", c.x), gy, shape);
  if (Number.isFinite(c.p)) return powerRule(c, gy);
  // ±inf: the elements at the extreme share g evenly.
  const mask = convert(compareKernel("eq", unaryKernel("abs", c.x), c.y, shape), c.x.dtype);
  const share = binaryKernel("div", gy, sumKernel(mask, c.red), c.y.shape);
  return binaryKernel("mul", binaryKernel("mul", unaryKernel("sign", c.x), mask, shape), share, shape);
}

/**
 * torch.norm / torch.linalg.vector_norm: the p-norm of x's elements over `dim` (all when omitted),
 * p = 2 (default, also "fro"), 1, Infinity (max |x|), -Infinity (min |x|), 0 (count of nonzeros) or any
 * other number ((Σ|x|ᵖ)^(1/p)). Shape: x's with the reduced dims dropped (kept as 1 with keepdim).
 * float32/float64. `x.norm({dim: 1})` leaves p at its default.
 * @throws TypeError for int32 input or a p that is not a number or "fro" ("nuc" is not supported); RangeError for a dim
 *   out of range or a ±inf norm over an empty dim; Error for an unknown option.
 */
export const norm = defineOp({
  name: "norm", doc: "p-norm over dims (p = 2/\"fro\" default, 1, ±Infinity, 0, any p), options dim, keepdim", method: true,
  sample: () => args(vals([2, 3]), 3, { dim: 1 }),
  forward(x: Tensor, p?: NormOrder | NormOptions | null, opts?: NormOptions): Tensor {
    const pIsOpts = p !== null && typeof p === "object";
    const o = options("norm", pIsOpts ? (p as NormOptions) : opts, ["dim", "keepdim"]);
    const order = orderOf(pIsOpts ? undefined : p, "norm");
    if (checkTensor(x, "norm").dtype === "int32")
      throw new TypeError("norm: input dtype must be float32 or float64, got int32 (as PyTorch); call .float() first");
    const red = reducedDims(x, o.dim ?? undefined, "norm");
    const L = linesOf(x, red);
    if (!Number.isFinite(order) && L.D === 0 && L.outer * L.inner > 0)
      throw new RangeError(`norm: the ${order}-norm over an empty dim is undefined (no max or min); shape ${fmt(x.shape)}`);
    const y = Tensor.output(L.kshape, x.dtype);
    native.vectorNorm(L.x.storage, y.storage, L.outer, L.D, L.inner, order);
    return this.record(viewAs(y, outShape(x, red, o.keepdim ?? false)), [x], { x, y, p: order, red });
  },
  backward: (c: NormCtx, g) => [normRule(c, g)],
});

/**
 * F.normalize: x / max(‖x‖ₚ, eps) along `dim`, with PyTorch's defaults p = 2, dim = 1, eps = 1e-12.
 * Shape and dtype of x (float32/float64).
 * @throws TypeError for int32 input, a bad p or a non-number eps or dim; RangeError for a dim out of range (each naming normalize).
 */
export function normalize(x: Tensor, opts: { p?: number; dim?: number; eps?: number } = {}): Tensor {
  refuseSurplus(normalize, arguments.length, opts);
  const { p = 2, dim = 1, eps = 1e-12 } = options("normalize", opts, ["p", "dim", "eps"]);
  checkNumber(eps, "eps", "normalize"), checkNumber(dim, "dim", "normalize");
  // Checked here so that the errors name normalize, not the norm it calls.
  if (checkTensor(x, "normalize").dtype === "int32")
    throw new TypeError("normalize: input dtype must be float32 or float64, got int32 (as PyTorch); call .float() first");
  normalizeDim(dim, x.ndim, "normalize"), orderOf(p, "normalize");
  return div(x, clamp(norm(x, p, { dim, keepdim: true }), eps, null));
}
