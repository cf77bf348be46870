// In-place arithmetic: add_, sub_, mul_, div_, clamp_ (PyTorch's x.add_(y) ...). Each writes its
// result into x's storage and returns x, under the rules every in-place op shares (write.ts): a leaf
// that requires grad, or a view of one, is refused while grad is enabled; when x's base or the operand
// carries a gradient, the result is computed out of place (from a clone of x where the rule reads x's
// old values: mul, div, clamp) and written into x, which takes its history (AddBackward0, …), or whose
// base's history becomes CopySlices when x is a view. Otherwise the native kernel writes x directly
// (no allocation). Either way the version counter is bumped.
import { Tensor } from "../tensor.js";
import { isFloat } from "../dtype.js";
import { BINARY, UNARY, native } from "../native.js";
import { broadcastShapes, fmt, sameShape } from "../shape.js";
import { bumpVersion } from "../autograd/version.js";
import { options } from "../options.js";
import { defineOp } from "./define.js";
import { checkOperand, checkTensor } from "./check.js";
import { convert } from "./kernels.js";
import { add, clamp, clampBounds, div, int32Scalar, mul, sub, type ClampOptions, type Operand } from "./elementwise.js";
import { clone, to } from "./copy.js";
import { beginWrite, unaliased, writeResult } from "./write.js";

type Arith = "add" | "sub" | "mul" | "div";
const OUT_OF_PLACE = { add, sub, mul, div };
// The scalar forms as rows of the unary table: x op s.
const SCALAR: Record<Arith, (s: number) => [string, number]> = {
  add: (s) => ["addScalar", s],
  sub: (s) => ["addScalar", -s],
  mul: (s) => ["mulScalar", s],
  div: (s) => ["divScalar", s],
};

// The checks before writing: x's dtype holds the result type (PyTorch refuses int32.add_(0.5),
// int32.div_(2)), the operand broadcasts to x's shape, and the shared in-place rules (write.ts).
// Returns whether the write is recorded.
function checkTarget(op: string, x: Tensor, y: Tensor | null, floatResult: boolean): boolean {
  if (x.dtype === "int32" && floatResult)
    throw new TypeError(`${op}: the result type float can't be cast to the int32 tensor written in place; convert with .float() first`);
  if (y instanceof Tensor && !sameShape(broadcastShapes(x.shape, y.shape, op), x.shape))
    throw new Error(`${op}: the operand of shape ${fmt(y.shape)} does not broadcast to the tensor written in place, shape ${fmt(x.shape)}`);
  return beginWrite(x, op, y);
}

// A recorded write: the result out of place, in x's dtype, written into x (write.ts).
const recordResult = (x: Tensor, value: Tensor, op: string) => writeResult(x, value.dtype === x.dtype ? value : to(value, x.dtype), op);

function arithInPlace(op: string, name: Arith, x: Tensor, y: Operand, alpha?: number): Tensor {
  checkTensor(x, op), checkOperand(y, "other", op);
  // As out of place: a number an int32 kernel does not take (0.5, NaN, 3e9) gives a float result, which int32 x refuses.
  const floatOperand = (typeof y === "number" ? !int32Scalar(y) : isFloat(y.dtype)) || (alpha !== undefined && !int32Scalar(alpha));
  const recorded = checkTarget(op, x, y instanceof Tensor ? y : null, name === "div" || floatOperand);
  if (alpha !== undefined && alpha !== 1) y = typeof y === "number" ? y * alpha : mul(y, alpha);
  if (recorded) return recordResult(x, OUT_OF_PLACE[name](name === "mul" || name === "div" ? clone(x) : x, y), op);
  if (typeof y === "number") {
    const [kernel, s] = SCALAR[name](y);
    native.unary(x.shape, [x, x], UNARY[kernel], x.storage, x.storage, s, 0);
  } else {
    const yc = convert(unaliased(y, x), x.dtype);
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

const inPlaceDoc = (what: string) => `${what} (recorded by autograd, through views too; refused on a leaf that requires grad)`;

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
  forward(x: Tensor, min?: number | null | ClampOptions, max?: number | null): Tensor {
    const [lo, hi] = clampBounds(x, min, max, "clamp_");
    // A fractional or NaN bound gives clamp a float result (as PyTorch's promotion), which int32 x refuses.
    const fractional = (v: number) => Number.isNaN(v) || (Number.isFinite(v) && !Number.isInteger(v));
    if (checkTarget("clamp_", x, null, fractional(lo) || fractional(hi))) return recordResult(x, clamp(clone(x), min, max), "clamp_");
    native.unary(x.shape, [x, x], UNARY.clamp, x.storage, x.storage, lo, hi);
    bumpVersion(x.storage);
    return x;
  },
});
