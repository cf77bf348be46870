// Variance and standard deviation over dims (torch.var / torch.std), computed in one native pass
// per line (two passes over its elements, accumulated in double). Their rules:
//   var:  dx = g · 2(x − mean) / max(0, N − correction)     (saves x and the mean)
//   std:  dvar = g / (2·std), 0 where std = 0 (as PyTorch), then var's rule
import { Tensor } from "../tensor.js";
import { native } from "../native.js";
import { numelOf } from "../shape.js";
import { defineOp } from "./define.js";
import { checkTensor, describe, dimAndOptions } from "./check.js";
import { binaryKernel, compareKernel, dense, scalarTensor, unaryKernel, viewAs, whereKernel } from "./kernels.js";
import { linesOf } from "./lines.js";
import { outShape, reducedDims } from "./reduce.js";
import { args, vals } from "./samples.js";

/** Options of var and std (PyTorch 2's names; `unbiased` is PyTorch 1's spelling of correction 1 or 0). */
export interface VarOptions {
  /** The dims by keyword, as PyTorch's `dim=` (`x.var({dim: 1})`), when none is given positionally. */
  dim?: number | number[] | null;
  /** Subtracted from the element count in the divisor: 1 (default, Bessel's correction) or 0 (population). */
  correction?: number;
  /** true = correction 1, false = correction 0; give either this or correction, not both. */
  unbiased?: boolean;
  /** Keep the reduced dims as size 1. */
  keepdim?: boolean;
}
type Dims = number | number[] | null | undefined;


function correctionOf(op: string, o: VarOptions): number {
  if (o.correction !== undefined && o.unbiased !== undefined) throw new Error(`${op}: give correction or unbiased, not both`);
  if (o.unbiased !== undefined && typeof o.unbiased !== "boolean") throw new TypeError(`${op}: unbiased must be a boolean, got ${describe(o.unbiased)}`);
  const c = o.unbiased === undefined ? o.correction ?? 1 : Number(o.unbiased);
  if (typeof c !== "number" || !Number.isFinite(c)) throw new TypeError(`${op}: correction must be a finite number, got ${describe(c)}`);
  return c;
}

interface Moments {
  mean: Tensor;   // keepdim shape
  var: Tensor;    // keepdim shape
  out: Tensor;    // var with the reduced dims dropped (or kept)
  divisor: number;
}

function moments(op: string, x: Tensor, dim: Dims | VarOptions, opts: VarOptions | undefined): Moments {
  const a = dimAndOptions<number | number[], VarOptions>(op, dim, opts, ["correction", "unbiased", "keepdim"]);
  if (checkTensor(x, op).dtype === "int32")
    throw new TypeError(`${op}: input dtype must be float32 or float64, got int32 (as PyTorch); call .float() first`);
  const correction = correctionOf(op, a.opts);
  const red = reducedDims(x, a.dim, op);
  const L = linesOf(x, red);
  const mean = Tensor.output(L.kshape, x.dtype), v = Tensor.output(L.kshape, x.dtype);
  native.variance(L.x.storage, mean.storage, v.storage, L.outer, L.D, L.inner, correction);
  const n = numelOf(x.shape.filter((_, i) => red[i]));
  return { mean, var: v, out: viewAs(v, outShape(x, red, a.opts.keepdim ?? false)), divisor: Math.max(0, n - correction) };
}

interface VarCtx {
  x: Tensor;
  mean: Tensor;
  kshape: number[];
  divisor: number;
}

// dL/dx from dL/dvar (gv, any shape with the keepdim shape's elements).
function varGrad(c: VarCtx, gv: Tensor): Tensor {
  const diff = binaryKernel("sub", c.x, c.mean, c.x.shape);
  const gx = binaryKernel("mul", diff, viewAs(dense(gv), c.kshape), c.x.shape);
  return unaryKernel("mulScalar", gx, 2 / c.divisor);
}

/**
 * torch.var: the variance over `dim` (a dim, several, or all when omitted/null), dividing by
 * N − correction (PyTorch's default correction 1; `{correction: 0}` or `{unbiased: false}` for the
 * population variance). Shape: x's with the reduced dims dropped (kept as 1 with keepdim). float32/float64.
 * NaN or ±inf in a line gives NaN; N − correction <= 0 divides by 0 (NaN or inf), as PyTorch.
 * @throws TypeError for int32 input or a bad option; RangeError for a dim out of range; Error for an unknown option.
 */
export const variance = defineOp({
  name: "var", doc: "variance over dims (all when omitted), options correction (1) / unbiased, keepdim", method: true,
  sample: () => args(vals([2, 3]), 1),
  forward(x: Tensor, dim?: Dims | VarOptions, opts?: VarOptions): Tensor {
    const m = moments("var", x, dim, opts);
    return this.record(m.out, [x], { x, mean: m.mean, kshape: m.mean.shape, divisor: m.divisor });
  },
  backward: (c: VarCtx, g) => [varGrad(c, g)],
});

interface StdCtx extends VarCtx {
  y: Tensor;  // the std, keepdim shape
}

/**
 * torch.std: √var with var's dims and options. Its gradient is 0 where the std is 0 (a constant
 * line), as PyTorch. float32/float64.
 * @throws as var.
 */
export const std = defineOp({
  name: "std", doc: "standard deviation over dims, var's options (gradient 0 where std = 0)", method: true,
  sample: () => args(vals([2, 3]), null, { correction: 0 }),
  forward(x: Tensor, dim?: Dims | VarOptions, opts?: VarOptions): Tensor {
    const m = moments("std", x, dim, opts);
    const y = unaryKernel("sqrt", m.var);
    return this.record(viewAs(y, m.out.shape), [x], { x, mean: m.mean, kshape: y.shape, divisor: m.divisor, y });
  },
  backward(c: StdCtx, g) {
    const gy = viewAs(dense(g), c.kshape);
    const half = unaryKernel("mulScalar", binaryKernel("div", gy, c.y, c.kshape), 0.5);
    const gv = whereKernel(compareKernel("eq", c.y, scalarTensor(0, c.y.dtype), c.kshape), scalarTensor(0, c.y.dtype), half, c.kshape);
    return [varGrad(c, gv)];
  },
});

// PyTorch's name, which is a reserved word in JavaScript: tg.var and x.var(...) still work.
export { variance as var };
