// In-place arithmetic: add_, sub_, mul_, div_, clamp_ (PyTorch's x.add_(y) ...). Each writes its
// result into x's storage and returns x. Under autograd they are the existing in-place machinery
// (copy.ts): a leaf that requires grad, or a view of one, is refused; when x or the operand carries a
// gradient, the result is computed out of place (from a clone of x where the rule reads x's old
// values: mul, div, clamp) and written with copy_, which rebases x's history onto it and bumps the
// version counter, so a rule that saved x's old values refuses to run. Otherwise the native kernel
// writes x directly (no allocation) and the version counter is bumped.
import { Tensor } from "../tensor.js";
import { isFloat } from "../dtype.js";
import { BINARY, UNARY, native } from "../native.js";
import { broadcastShapes, fmt, sameShape } from "../shape.js";
import { isGradEnabled } from "../autograd/grad-mode.js";
import { bumpVersion } from "../autograd/version.js";
import { options } from "../options.js";
import { defineOp } from "./define.js";
import { checkOperand, checkTensor } from "./check.js";
import { convert, dense } from "./kernels.js";
import { add, clamp, clampBounds, div, mul, sub, type Operand } from "./elementwise.js";
import { checkInPlace, clone, copy_ } from "./copy.js";

type Arith = "add" | "sub" | "mul" | "div";
const OUT_OF_PLACE = { add, sub, mul, div };
// The scalar forms as rows of the unary table: x op s.
const SCALAR: Record<Arith, (s: number) => [string, number]> = {
  add: (s) => ["addScalar", s],
  sub: (s) => ["addScalar", -s],
  mul: (s) => ["mulScalar", s],
  div: (s) => ["divScalar", s],
};

// x can take the result: its dtype holds the result type (PyTorch refuses int32.add_(0.5), int32.div_(2)),
// its shape is the broadcast shape, and no two of its elements share memory.
function checkTarget(op: string, x: Tensor, y: Tensor | null, floatResult: boolean): void {
  checkInPlace(x, op);
  if (x.dtype === "int32" && floatResult)
    throw new TypeError(`${op}: the result type float can't be cast to the int32 tensor written in place; convert with .float() first`);
  if (y instanceof Tensor && !sameShape(broadcastShapes(x.shape, y.shape, op), x.shape))
    throw new Error(`${op}: the operand of shape ${fmt(y.shape)} does not broadcast to the tensor written in place, shape ${fmt(x.shape)}`);
  if (x.numel > 0 && x.shape.some((d, i) => d > 1 && x.strides[i] === 0))
    throw new Error(`${op}: the tensor (shape ${fmt(x.shape)}) is an expanded view whose elements overlap; write into a contiguous tensor`);
}

// Whether the write must go through autograd (copy_): grad is on and x or the operand carries a gradient.
const recorded = (x: Tensor, y: Operand | null) => isGradEnabled() && (x.requiresGrad || (y instanceof Tensor && y.requiresGrad));

function arithInPlace(op: string, name: Arith, x: Tensor, y: Operand, alpha?: number): Tensor {
  checkTensor(x, op), checkOperand(y, "other", op);
  const floatOperand = (typeof y === "number" ? !Number.isInteger(y) : isFloat(y.dtype)) || (alpha !== undefined && !Number.isInteger(alpha));
  checkTarget(op, x, y instanceof Tensor ? y : null, name === "div" || floatOperand);
  if (alpha !== undefined && alpha !== 1) y = typeof y === "number" ? y * alpha : mul(y, alpha);
  if (recorded(x, y)) return copy_(x, OUT_OF_PLACE[name](name === "mul" || name === "div" ? clone(x) : x, y));
  if (typeof y === "number") {
    const [kernel, s] = SCALAR[name](y);
    native.unary(x.shape, [x, x], UNARY[kernel], x.storage, x.storage, s, 0);
  } else {
    // An operand over x's own memory in another layout would be read after it was overwritten.
    const aliased = y.storage === x.storage && !(y.offset === x.offset && sameShape(y.strides, x.strides) && sameShape(y.shape, x.shape));
    const yc = aliased ? dense(y, x.dtype, true) : convert(y, x.dtype);
    native.binary(x.shape, [x, yc, x], BINARY[name], x.storage, yc.storage, x.storage);
  }
  bumpVersion(x.storage);
  return x;
}

function alphaOf(op: string, opts: { alpha?: number } | undefined): number | undefined {
  const { alpha } = options(op, opts, ["alpha"]);
  if (alpha !== undefined && typeof alpha !== "number") throw new TypeError(`${op}: alpha must be a number`);
  return alpha;
}

const inPlaceDoc = (what: string) => `${what}, in place (autograd as copy_; refused on a leaf that requires grad)`;

/**
 * Tensor.add_ (PyTorch's): x += alpha·other in place (other a tensor broadcasting to x's shape, or a
 * number); returns x. x's dtype is kept: int32 x with a float operand is refused as in PyTorch.
 * @throws Error on a leaf that requires grad (or a view of one) while grad is enabled, for an operand
 *   that does not broadcast to x, or an expanded x; TypeError for a float result into int32.
 */
export const add_ = defineOp({
  name: "add_", doc: inPlaceDoc("x + alpha·other"), method: "only", differentiable: false,
  forward: (x: Tensor, other: Operand, opts?: { alpha?: number }): Tensor => arithInPlace("add_", "add", x, other, alphaOf("add_", opts)),
});
/** Tensor.sub_: x −= alpha·other in place; as add_. */
export const sub_ = defineOp({
  name: "sub_", doc: inPlaceDoc("x − alpha·other"), method: "only", differentiable: false,
  forward: (x: Tensor, other: Operand, opts?: { alpha?: number }): Tensor => arithInPlace("sub_", "sub", x, other, alphaOf("sub_", opts)),
});
/** Tensor.mul_: x *= other in place; as add_. */
export const mul_ = defineOp({
  name: "mul_", doc: inPlaceDoc("x·other"), method: "only", differentiable: false,
  forward: (x: Tensor, other: Operand): Tensor => arithInPlace("mul_", "mul", x, other),
});
/** Tensor.div_: x /= other in place (true division: an int32 x is refused, as PyTorch); as add_. */
export const div_ = defineOp({
  name: "div_", doc: inPlaceDoc("x / other"), method: "only", differentiable: false,
  forward: (x: Tensor, other: Operand): Tensor => arithInPlace("div_", "div", x, other),
});

/**
 * Tensor.clamp_: x limited to [min, max] in place (either may be null; min > max gives max, as clamp).
 * @throws as clamp, and as add_ for the in-place rules.
 */
export const clamp_ = defineOp({
  name: "clamp_", doc: inPlaceDoc("x limited to [min, max]"), method: "only", differentiable: false,
  forward(x: Tensor, min?: number | null, max?: number | null): Tensor {
    const [lo, hi] = clampBounds(x, min, max, "clamp_");
    const fractional = (v: number) => Number.isFinite(v) && !Number.isInteger(v);
    checkTarget("clamp_", x, null, fractional(lo) || fractional(hi));
    if (recorded(x, null)) return copy_(x, clamp(clone(x), min, max));
    native.unary(x.shape, [x, x], UNARY.clamp, x.storage, x.storage, lo, hi);
    bumpVersion(x.storage);
    return x;
  },
});
