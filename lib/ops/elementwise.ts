// Elementwise ops. Each forward is one native call over broadcast strides (no expanded copies). The
// forward values and local derivatives live in the C++ op tables (native/kernels/elementwise/*.h),
// which also say what each rule reads (native.unaryReads / binaryReads): a node saves exactly that,
// so add, sub, neg, addScalar… save nothing, exp/tanh/sigmoid/relu save their output, log its input.
// Gradients of broadcast operands are summed back to the operand's shape (sumTo).
import { Tensor } from "../tensor.js";
import { isFloat, promote, type DType } from "../dtype.js";
import { UNARY, BINARY, native } from "../native.js";
import { broadcastShapes, sameShape } from "../shape.js";
import { record } from "../autograd/node.js";
import { isGradEnabled } from "../autograd/grad-mode.js";
import { options } from "../options.js";
import { defineOp } from "./define.js";
import { checkNumber, checkOperand, checkTensor, describe } from "./check.js";
import {
  binaryGradKernel, binaryKernel, compareKernel, convert, scalarTensor, sumTo, unaryGradKernel, unaryKernel, whereKernel,
} from "./kernels.js";
import { args, ints, positive, vals } from "./samples.js";
import { refuseSurplus } from "../arity.js";

export type Operand = Tensor | number;

const x23 = () => args(vals([2, 3]));

// A number beside tensor `like` as a 0-d tensor: a fractional number next to an int32 tensor
// becomes float32, so the op then promotes as PyTorch does (int32 [0, 1] < 0.5 is [1, 0]).
function scalarFor(v: number, like: Tensor): Tensor {
  return scalarTensor(v, like.dtype === "int32" && !Number.isInteger(v) ? "float32" : like.dtype);
}

// ---- unary (one kernel per row of the C++ unary table) ----

// Ops that keep int32 inputs int32 (given integer scalars); all others compute in float32.
const INT_OK = new Set(["neg", "abs", "sign", "relu", "addScalar", "mulScalar", "rsubScalar", "clamp", "pow", "floor", "ceil", "round"]);
// A number an int32 tensor's kernels take as is; any other (fractional, NaN, beyond 2^31) makes the result float32.
export const int32Scalar = (v: number) => Number.isInteger(v) && Math.abs(v) <= 2 ** 31;

interface UnaryCtx {
  kernel: string;
  x: Tensor | null;
  y: Tensor | null;
  a: number;
  b: number;
}
const unaryRule = (c: UnaryCtx, grads: (Tensor | null)[]) => [unaryGradKernel(c.kernel, c.x, c.y, grads[0]!, c.a, c.b)];

// Runs `kernel` of the unary table on x and records node `node` keeping what the table's rule reads.
function unary(kernel: string, op: string, x: Tensor, a = 0, b = 0): Tensor {
  checkTensor(x, op);
  if (x.dtype === "int32" && !(INT_OK.has(kernel) && int32Scalar(a) && int32Scalar(b))) x = convert(x, "float32");
  const y = unaryKernel(kernel, x, a, b);
  if (!x.requiresGrad || !isGradEnabled()) return y;
  const reads = native.unaryReads[UNARY[kernel]];
  return record(nodeName(op), [y], [x], { kernel, x: reads & 1 ? x : null, y: reads & 2 ? y : null, a, b }, unaryRule);
}

// PyTorch's node name for op (tanh → TanhBackward0), made once per op rather than per call.
const NODE_NAMES = new Map<string, string>();
function nodeName(op: string): string {
  let name = NODE_NAMES.get(op);
  if (name === undefined) NODE_NAMES.set(op, (name = `${op[0].toUpperCase()}${op.slice(1)}Backward0`));
  return name;
}

// An op that is one row of the unary table with no parameters.
function unaryOp(name: string, doc: string, sample = x23) {
  return defineOp({ name, doc, method: true, sample, forward: (x: Tensor): Tensor => unary(name, name, x) });
}

export const neg = unaryOp("neg", "−x");
export const exp = unaryOp("exp", "eˣ");
export const log = unaryOp("log", "natural logarithm", () => [positive([2, 3])]);
export const sqrt = unaryOp("sqrt", "square root", () => [positive([2, 3])]);
export const abs = unaryOp("abs", "|x| (gradient 0 at 0)");
export const sign = unaryOp("sign", "−1, 0 or 1 (gradient 0)");
export const sigmoid = unaryOp("sigmoid", "1 / (1 + e⁻ˣ)");
export const tanh = unaryOp("tanh", "hyperbolic tangent");
export const relu = unaryOp("relu", "max(x, 0)");
export const gelu = unaryOp("gelu", "x·Φ(x), the exact (erf) form");

export const leakyRelu = defineOp({
  name: "leakyRelu", doc: "x where x > 0, else negativeSlope·x (default 0.01)", method: true,
  sample: () => args(vals([2, 3]), 0.2),
  forward(x: Tensor, negativeSlope = 0.01): Tensor {
    checkNumber(negativeSlope, "negativeSlope", "leakyRelu");
    return unary("leakyRelu", "leakyRelu", x, negativeSlope);
  },
});

export const elu = defineOp({
  name: "elu", doc: "x where x > 0, else alpha·(eˣ − 1) (default alpha 1)", method: true, sample: x23,
  forward(x: Tensor, alpha = 1): Tensor {
    checkNumber(alpha, "alpha", "elu");
    return unary("elu", "elu", x, alpha);
  },
});

export const log1p = unaryOp("log1p", "log(1 + x), accurate near 0");
export const expm1 = unaryOp("expm1", "eˣ − 1, accurate near 0");
export const reciprocal = unaryOp("reciprocal", "1 / x", () => [positive([2, 3])]);
export const rsqrt = unaryOp("rsqrt", "1 / √x", () => [positive([2, 3])]);
export const sin = unaryOp("sin", "sine (radians)");
export const cos = unaryOp("cos", "cosine (radians)");
// Rounding: PyTorch's derivative is 0 everywhere; int32 stays int32. round() is half to even.
// Rounding is flat almost everywhere: its sample stays away from the steps.
const offSteps = () => args(vals([2, 3]).mul(0.4).add(0.25));
export const floor = unaryOp("floor", "largest integer <= x (gradient 0)", offSteps);
export const ceil = unaryOp("ceil", "smallest integer >= x (gradient 0)", offSteps);
export const round = unaryOp("round", "nearest integer, half to even (gradient 0)", offSteps);
// Activations that PyTorch has only in torch.nn.functional: plain functions (not registry ops, which
// are on tg), reached as tg.nn.functional.*; their gradients are checked in test/edges.
// One of them: its one argument is the tensor.
function activation(name: "silu" | "mish" | "logSigmoid" | "softsign"): (x: Tensor) => Tensor {
  const f = function (x: Tensor): Tensor {
    refuseSurplus(f, arguments.length);
    return unary(name, name, x);
  };
  return Object.defineProperty(f, "name", { value: name });
}
/** F.silu: x·σ(x). Shapes and dtype of x (int32 computes in float32). @throws TypeError for a non-tensor. */
export const silu = activation("silu");
/** F.mish: x·tanh(softplus(x)). @throws TypeError for a non-tensor. */
export const mish = activation("mish");
/** F.logsigmoid: log σ(x), stable for large |x|. @throws TypeError for a non-tensor. */
export const logSigmoid = activation("logSigmoid");
/** F.softsign: x / (1 + |x|). @throws TypeError for a non-tensor. */
export const softsign = activation("softsign");

/**
 * F.softplus: log(1 + e^(βx))/β, and x itself where βx > threshold (PyTorch's defaults β = 1, threshold = 20).
 * @throws TypeError for a non-tensor or non-number option; Error for an unknown option key.
 */
export function softplus(x: Tensor, opts: { beta?: number; threshold?: number } = {}): Tensor {
  refuseSurplus(softplus, arguments.length, opts);
  const { beta = 1, threshold = 20 } = options("softplus", opts, ["beta", "threshold"]);
  checkNumber(beta, "beta", "softplus"), checkNumber(threshold, "threshold", "softplus");
  return unary("softplus", "softplus", x, beta, threshold);
}

/**
 * F.hardtanh: clamp(x, minVal, maxVal) with gradient 1 strictly inside (PyTorch's defaults −1, 1).
 * @throws TypeError for a non-tensor or non-number option; Error for an unknown option key.
 */
export function hardtanh(x: Tensor, opts: { minVal?: number; maxVal?: number } = {}): Tensor {
  refuseSurplus(hardtanh, arguments.length, opts);
  const { minVal = -1, maxVal = 1 } = options("hardtanh", opts, ["minVal", "maxVal"]);
  checkNumber(minVal, "minVal", "hardtanh"), checkNumber(maxVal, "maxVal", "hardtanh");
  return unary("hardtanh", "hardtanh", x, minVal, maxVal);
}

/**
 * torch.pow: x to the power p, where x and p are tensors (broadcast) or one of them a number.
 * Gradients as PyTorch's: p·xᵖ⁻¹ for x (0 where p is 0) and xᵖ·log(x) for p (0 where x is 0 and p >= 0;
 * NaN for a negative x). Integer operands stay int32, wrapping on overflow; an int32 tensor to a negative
 * integer number is refused (PyTorch's rule), while a negative int32 exponent tensor gives PyTorch's
 * integer answers (1 for base 1, ±1 for base −1, else 0).
 * @throws TypeError when neither is a tensor; RangeError for an int32 tensor to a negative integer number;
 *   Error when the shapes do not broadcast.
 */
export const pow = defineOp({
  name: "pow", doc: "xᵖ, broadcast; x or p may be a number (gradients for both, as PyTorch's)", method: true,
  sample: () => args(positive([2, 3]), vals([3], 3)),
  forward(x: Operand, p: Operand): Tensor {
    if (typeof x === "number") return binary("pow", x, checkTensor(p, "pow", "exponent"), "PowBackward2");
    if (p instanceof Tensor) return binary("pow", checkTensor(x, "pow"), p, "PowBackward1");
    if (typeof p !== "number") throw new TypeError(`pow: the exponent must be a number or a Tensor, got ${describe(p)}`);
    // An int32 tensor to a non-negative integer power stays int32 (wrapping on overflow, as PyTorch's
    // int32 arithmetic); a fractional power gives float32.
    if (checkTensor(x, "pow").dtype === "int32" && Number.isInteger(p) && p < 0)
      throw new RangeError(`pow: integers to negative integer powers are not allowed (int32 tensor to the power ${p}); convert with .float() first`);
    return unary("pow", "pow", x, p);
  },
});

export const square = defineOp({
  name: "square", doc: "x² (as x·x)", method: true, sample: x23,
  forward: (x: Tensor): Tensor => mul(checkTensor(x, "square"), x),
});

export const clamp = defineOp({
  name: "clamp", doc: "x limited to [min, max] (either may be null), or clamp({min, max})", method: true, sample: () => args(vals([2, 3]), -0.5, 0.5),
  forward(x: Tensor, min?: number | null | ClampOptions, max?: number | null): Tensor {
    const [lo, hi] = clampBounds(x, min, max, "clamp");
    return unary("clamp", "clamp", x, lo, hi);
  },
});

/** clamp's bounds as PyTorch's keywords: `x.clamp({min: 0})` as `x.clamp(min=0)`. */
export interface ClampOptions {
  min?: number | null;
  max?: number | null;
}

// clamp's checked bounds as the kernel's [lo, hi] (an absent one is ±inf; int32 kernels cannot hold ±inf).
// The bounds come positionally (x.clamp(0, 1), x.clamp(null, 1)) or as an options object ({min, max}).
export function clampBounds(x: Tensor, min: number | null | undefined | ClampOptions, max: number | null | undefined, op: string): [number, number] {
  checkTensor(x, op);
  if (min !== null && typeof min === "object") {
    if (max !== undefined) throw new TypeError(`${op}: give the bounds as (min, max) or as one options object {min, max}, not both`);
    ({ min, max } = options(op, min, ["min", "max"]));
  }
  checkNumber(min, "min", op, true), checkNumber(max, "max", op, true);
  if (min == null && max == null) throw new Error(`${op}: at least one of min and max must be given`);
  let lo = min ?? -Infinity, hi = max ?? Infinity;
  const intBound = (v: number) => Number.isInteger(v) || !Number.isFinite(v);
  if (x.dtype === "int32" && intBound(lo) && intBound(hi)) {
    lo = Math.max(lo, -2147483648);
    hi = Math.min(hi, 2147483647);
  }
  return [lo, hi];
}

// ---- binary (one kernel per row of the C++ binary table) ----

interface BinaryCtx {
  kernel: string;
  a: Tensor | null;  // the (promoted) operands, where a needed gradient's rule reads them
  b: Tensor | null;
  ga: Meta | null;   // shape and dtype of each input whose gradient is needed
  gb: Meta | null;
}

function binaryRule(c: BinaryCtx, grads: (Tensor | null)[]): (Tensor | null)[] {
  const g = binaryGradKernel(c.kernel, c.a, c.b, grads[0]!);
  return [c.ga && gradFor(g[0], c.ga), c.gb && gradFor(g[1], c.gb)];
}

// Tensor-scalar forms as one unary kernel: x op s (x − s as x + (−s)), and s op x.
const SCALAR_RIGHT: Partial<Record<string, string>> = { add: "addScalar", sub: "addScalar", mul: "mulScalar", div: "divScalar" };
const SCALAR_LEFT: Partial<Record<string, string>> = { add: "addScalar", sub: "rsubScalar", mul: "mulScalar", div: "rdivScalar" };

function binary(name: string, a: Operand, b: Operand, node = nodeName(name)): Tensor {
  if (typeof a === "number" && typeof b === "number") throw new TypeError(`${name}: at least one operand must be a Tensor`);
  const right = typeof b === "number" ? SCALAR_RIGHT[name] : undefined;
  if (right !== undefined) return unary(right, name, checkTensor(a, name), name === "sub" ? -(b as number) : (b as number));
  const left = typeof a === "number" ? SCALAR_LEFT[name] : undefined;
  if (left !== undefined) return unary(left, name, checkTensor(b, name), a as number);
  const x = typeof a === "number" ? scalarFor(a, checkTensor(b, name)) : checkTensor(a, name);
  const y = typeof b === "number" ? scalarFor(b, x) : checkTensor(b, name);
  // PyTorch's promotion; true division gives floats.
  let d = promote(x.dtype, y.dtype);
  if (name === "div" && !isFloat(d)) d = "float32";
  const xc = convert(x, d), yc = convert(y, d);
  const out = binaryKernel(name, xc, yc, broadcastShapes(x.shape, y.shape, name));
  if ((!x.requiresGrad && !y.requiresGrad) || !isGradEnabled()) return out;
  const rule = native.binaryReads[BINARY[name]];
  const reads = (x.requiresGrad ? rule[0] : 0) | (y.requiresGrad ? rule[1] : 0);
  const ctx: BinaryCtx = {
    kernel: name, a: reads & 1 ? xc : null, b: reads & 2 ? yc : null,
    ga: x.requiresGrad ? { shape: x.shape, dtype: x.dtype } : null, gb: y.requiresGrad ? { shape: y.shape, dtype: y.dtype } : null,
  };
  return record(node, [out], [x, y], ctx, binaryRule);
}

// add/sub take PyTorch's `alpha` (the other operand times alpha) in an options object.
function scaled(o: Operand, opts: { alpha?: number } | undefined, op: string): Operand {
  if (opts === undefined) return o;
  const { alpha } = options(op, opts, ["alpha"]);
  if (alpha === undefined || alpha === 1) return o;
  return typeof o === "number" ? o * alpha : binary("mul", checkTensor(o, op), alpha);
}
const twoOperands = () => args(vals([2, 3]), vals([3], 4));

export const add = defineOp({
  name: "add", doc: "a + alpha·b, broadcast; either may be a number", method: true, sample: twoOperands,
  forward: (a: Operand, b: Operand, opts?: { alpha?: number }): Tensor => binary("add", a, scaled(b, opts, "add")),
});
export const sub = defineOp({
  name: "sub", doc: "a − alpha·b, broadcast; either may be a number", method: true,
  sample: () => args(vals([2, 3]), vals([2, 3], 2), { alpha: 2 }),
  forward: (a: Operand, b: Operand, opts?: { alpha?: number }): Tensor => binary("sub", a, scaled(b, opts, "sub")),
});
export const mul = defineOp({
  name: "mul", doc: "a·b, broadcast; either may be a number", method: true, sample: () => args(vals([2, 3]), vals([2, 3], 2)),
  forward: (a: Operand, b: Operand): Tensor => binary("mul", a, b),
});
export const div = defineOp({
  name: "div", doc: "a / b (true division: int32 operands give float32)", method: true,
  sample: () => args(vals([2, 3]), positive([2, 3])),
  forward: (a: Operand, b: Operand): Tensor => binary("div", a, b),
});
export const maximum = defineOp({
  name: "maximum", doc: "elementwise max (NaN wins; the gradient splits on ties)", method: true,
  sample: () => args(vals([2, 3]), vals([2, 3], 2)),
  forward: (a: Operand, b: Operand): Tensor => binary("maximum", a, b),
});
export const minimum = defineOp({
  name: "minimum", doc: "elementwise min (NaN wins; the gradient splits on ties)", method: true,
  sample: () => args(vals([2, 3]), vals([2, 3], 2)),
  forward: (a: Operand, b: Operand): Tensor => binary("minimum", a, b),
});

// ---- comparisons: int32 masks, never differentiable ----

function compare(name: string, a: Operand, b: Operand): Tensor {
  const x = typeof a === "number" ? scalarFor(a, checkTensor(b, name)) : checkTensor(a, name);
  const y = typeof b === "number" ? scalarFor(b, x) : checkTensor(b, name);
  const d = promote(x.dtype, y.dtype);
  return compareKernel(name, convert(x, d), convert(y, d), broadcastShapes(x.shape, y.shape, name));
}
function compareOp(name: string, doc: string) {
  return defineOp({ name, doc: `${doc}, as an int32 mask`, method: true, differentiable: false,
    forward: (a: Operand, b: Operand): Tensor => compare(name, a, b) });
}
export const eq = compareOp("eq", "a == b");
export const ne = compareOp("ne", "a != b");
export const gt = compareOp("gt", "a > b");
export const ge = compareOp("ge", "a >= b");
export const lt = compareOp("lt", "a < b");
export const le = compareOp("le", "a <= b");

// ---- classification (int32 0/1 masks, as the comparisons) ----

function classifyOp(name: string, doc: string, f: (x: Tensor) => Tensor) {
  return defineOp({ name, doc: `${doc}, as an int32 mask`, method: true, differentiable: false,
    forward: (x: Tensor): Tensor => f(checkTensor(x, name)) });
}
export const isnan = classifyOp("isnan", "x is NaN", (x) => ne(x, x));
export const isinf = classifyOp("isinf", "x is ±inf", (x) => eq(abs(x), Infinity));
// Finite: equal to itself (not NaN) and not ±inf.
export const isfinite = classifyOp("isfinite", "x is neither NaN nor ±inf", (x) => mul(eq(x, x), ne(abs(x), Infinity)));

/**
 * torch.allclose: every |a − b| <= atol + rtol·|b| (broadcasting), NaNs equal only with equalNan.
 * Options rtol (1e-5), atol (1e-8), equalNan (false).
 * @throws TypeError for non-tensors; Error when the shapes do not broadcast or an option is unknown.
 */
export const allclose = defineOp({
  name: "allclose", doc: "whether every |a − b| <= atol + rtol·|b| (options rtol 1e-5, atol 1e-8, equalNan false), a boolean",
  method: true, differentiable: false,
  forward(a: Tensor, b: Tensor, opts: { rtol?: number; atol?: number; equalNan?: boolean } = {}): boolean {
    const { rtol = 1e-5, atol = 1e-8, equalNan = false } = options("allclose", opts, ["rtol", "atol", "equalNan"]);
    checkTensor(a, "allclose", "input"), checkTensor(b, "allclose", "other");
    const x = a.to("float64"), y = b.to("float64");
    // As torch.isclose: the error must be finite (inf vs -inf is not close) and within atol + rtol·|b|.
    const err = abs(sub(x, y));
    const close = mul(le(err, add(mul(abs(y), rtol), atol)), isfinite(err));
    // Equal infinities are close (inf − inf is NaN); NaN pairs only when asked.
    const same = eq(x, y);
    const nan = equalNan ? mul(isnan(x), isnan(y)) : null;
    const ok = nan ? maximum(maximum(close, same), nan) : maximum(close, same);
    return ok.numel() === 0 || ok.min().item() === 1;
  },
});

/**
 * torch.equal: whether a and b have the same shape and equal elements (NaN equals nothing; dtypes are
 * promoted, so float 1 equals int32 1), a boolean. Any dtypes; no gradient.
 * @throws TypeError for non-tensors.
 */
export const equal = defineOp({
  name: "equal", doc: "whether a and b have the same shape and equal elements (NaN equals nothing), a boolean",
  method: true, differentiable: false,
  forward(a: Tensor, b: Tensor): boolean {
    checkTensor(a, "equal", "input"), checkTensor(b, "equal", "other");
    return sameShape(a.shape, b.shape) && (a.numel() === 0 || eq(a, b).min().item() === 1);
  },
});

// ---- where ----

interface WhereCtx {
  cond: Tensor;
  a: Meta | null;  // shape and dtype of each input whose gradient is needed
  b: Meta | null;
}
interface Meta {
  shape: number[];
  dtype: DType;
}
// The gradient for an input: g summed to its shape, in its dtype.
const gradFor = (g: Tensor, t: Meta) => convert(sumTo(g, t.shape), t.dtype);

export const where = defineOp({
  name: "where", doc: "input where condition is nonzero, else other (broadcast; input or other may be a number); x.where(condition, other) is where(condition, x, other)",
  method: function (this: Tensor, condition: Tensor, other: Operand): Tensor { return where(condition, this, other); },
  sample: () => args(ints([1, 0, 1, 0, 0, 1], [2, 3]), vals([2, 3]), vals([2, 3], 2)),
  forward(condition: Tensor, input: Operand, other: Operand): Tensor {
    const c = checkTensor(condition, "where", "condition").dtype === "int32" ? condition : compare("ne", condition, 0);
    checkOperand(input, "input", "where"), checkOperand(other, "other", "where");
    const like = input instanceof Tensor ? input : checkTensor(other, "where");
    const x = typeof input === "number" ? scalarFor(input, like) : input, y = typeof other === "number" ? scalarFor(other, like) : other;
    const d = promote(x.dtype, y.dtype);
    const shape = broadcastShapes(broadcastShapes(c.shape, x.shape, "where"), y.shape, "where");
    const out = whereKernel(c, convert(x, d), convert(y, d), shape);
    return this.record(out, [x, y], { cond: c, a: x.requiresGrad ? { shape: x.shape, dtype: x.dtype } : null,
      b: y.requiresGrad ? { shape: y.shape, dtype: y.dtype } : null });
  },
  backward(c: WhereCtx, g): (Tensor | null)[] {
    const zero = scalarTensor(0, g.dtype);
    return [
      c.a && gradFor(whereKernel(c.cond, g, zero, g.shape), c.a),
      c.b && gradFor(whereKernel(c.cond, zero, g, g.shape), c.b),
    ];
  },
});
