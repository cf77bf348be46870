// Elementwise ops. Each forward is one native call over broadcast strides (no expanded copies);
// the local derivatives live in the C++ op tables (native/kernels/elementwise/*.h), so here each
// op names its rule:
//   add: (g, g)   sub: (g, -g)   mul: (g·b, g·a)   div: (g/b, -g·a/b²)
//   maximum/minimum: g to the larger/smaller input, split evenly on ties
//   where(c, a, b): (g where c, g where not c)
// Gradients of broadcast operands are summed back to the operand's shape (sumTo).
import { Tensor } from "../tensor.js";
import { isFloat, promote, type DType } from "../dtype.js";
import { BINARY, COMPARE, UNARY, native } from "../native.js";
import { broadcastShapes } from "../shape.js";
import { record } from "../autograd/node.js";
import { sumTo } from "./reduce.js";
import { toDType } from "./copy.js";

export type Operand = Tensor | number;

export function scalarTensor(v: number, dtype: DType): Tensor {
  const t = Tensor.empty([], dtype);
  t.storage[0] = v;
  return t;
}

// A number beside tensor `like` as a 0-d tensor: a fractional number next to an int32 tensor
// becomes float32, so the op then promotes as PyTorch does (int32 [0, 1] < 0.5 is [1, 0]).
function scalarFor(v: number, like: Tensor): Tensor {
  return scalarTensor(v, like.dtype === "int32" && !Number.isInteger(v) ? "float32" : like.dtype);
}

export function checkTensor(x: unknown, op: string): Tensor {
  if (!(x instanceof Tensor)) throw new TypeError(`${op}: expected a Tensor, got ${typeof x}`);
  return x;
}

// ---- unary ----

// Ops that keep int32 inputs int32 (given integer scalars); all others compute in float32.
const INT_OK = new Set(["neg", "abs", "sign", "relu", "addScalar", "mulScalar", "rsubScalar", "clamp"]);

function unaryForward(name: string, x: Tensor, a: number, b: number): Tensor {
  const out = Tensor.output(x.shape, x.dtype);
  native.unary(x.shape, [x, out], UNARY[name], x.storage, out.storage, a, b);
  return out;
}

export function unaryGrad(name: string, x: Tensor, y: Tensor, g: Tensor, a: number, b: number): Tensor {
  const out = Tensor.output(x.shape, x.dtype);
  native.unaryBackward(x.shape, [x, y, g, out], UNARY[name], x.storage, y.storage, g.storage, out.storage, a, b);
  return out;
}

function unary(name: string, x: Tensor, a = 0, b = 0): Tensor {
  checkTensor(x, name);
  const int32Scalar = (v: number) => Number.isInteger(v) && Math.abs(v) <= 2 ** 31;
  if (x.dtype === "int32" && !(INT_OK.has(name) && int32Scalar(a) && int32Scalar(b))) x = toDType(x, "float32");
  const y = unaryForward(name, x, a, b);
  return record(y, name, [x], (g) => [unaryGrad(name, x, y, g, a, b)]);
}

export const neg = (x: Tensor) => unary("neg", x);
export const exp = (x: Tensor) => unary("exp", x);
export const log = (x: Tensor) => unary("log", x);
export const sqrt = (x: Tensor) => unary("sqrt", x);
export const abs = (x: Tensor) => unary("abs", x);
export const sign = (x: Tensor) => unary("sign", x);
export const sigmoid = (x: Tensor) => unary("sigmoid", x);
export const tanh = (x: Tensor) => unary("tanh", x);
export const relu = (x: Tensor) => unary("relu", x);
export const gelu = (x: Tensor) => unary("gelu", x);
export const leakyRelu = (x: Tensor, negativeSlope = 0.01) => unary("leakyRelu", x, negativeSlope);
export const elu = (x: Tensor, alpha = 1) => unary("elu", x, alpha);

export function pow(x: Tensor, p: number): Tensor {
  if (typeof p !== "number") throw new TypeError("pow: the exponent must be a number");
  return unary("pow", x, p);
}

export function clamp(x: Tensor, min?: number | null, max?: number | null): Tensor {
  if (min == null && max == null) throw new Error("clamp: at least one of min and max must be given");
  let lo = min ?? -Infinity, hi = max ?? Infinity;
  const intBound = (v: number) => Number.isInteger(v) || !Number.isFinite(v);
  if (x.dtype === "int32" && intBound(lo) && intBound(hi)) {
    lo = Math.max(lo, -2147483648);  // int32 kernels cannot hold ±Infinity
    hi = Math.min(hi, 2147483647);
  }
  return unary("clamp", x, lo, hi);
}

// ---- binary ----

function binaryForward(name: string, a: Tensor, b: Tensor, shape: number[]): Tensor {
  const out = Tensor.output(shape, a.dtype);
  native.binary(shape, [a, b, out], BINARY[name], a.storage, b.storage, out.storage);
  return out;
}

// dL/da and dL/db over the broadcast shape, from the native table, then summed to each shape.
function binaryGrads(name: string, a: Tensor, b: Tensor, g: Tensor): Tensor[] {
  const shape = g.shape;
  const ga = Tensor.output(shape, a.dtype), gb = Tensor.output(shape, a.dtype);
  native.binaryBackward(shape, [a, b, g, ga, gb], BINARY[name], a.storage, b.storage, g.storage, ga.storage, gb.storage);
  return [sumTo(ga, a.shape), sumTo(gb, b.shape)];
}

const BINARY_GRAD: Record<string, (a: Tensor, b: Tensor, g: Tensor) => (Tensor | null)[]> = {
  add: (a, b, g) => [a.requiresGrad ? sumTo(g, a.shape) : null, b.requiresGrad ? sumTo(g, b.shape) : null],
  sub: (a, b, g) => [a.requiresGrad ? sumTo(g, a.shape) : null, b.requiresGrad ? sumTo(neg(g), b.shape) : null],
  mul: (a, b, g) => binaryGrads("mul", a, b, g),
  div: (a, b, g) => binaryGrads("div", a, b, g),
  maximum: (a, b, g) => binaryGrads("maximum", a, b, g),
  minimum: (a, b, g) => binaryGrads("minimum", a, b, g),
};

// Tensor-scalar forms as one unary kernel: x op s, and s op x.
const SCALAR_RIGHT: Record<string, (s: number) => [string, number]> = {
  add: (s) => ["addScalar", s],
  sub: (s) => ["addScalar", -s],
  mul: (s) => ["mulScalar", s],
  div: (s) => ["divScalar", s],
};
const SCALAR_LEFT: Record<string, (s: number) => [string, number]> = {
  add: (s) => ["addScalar", s],
  sub: (s) => ["rsubScalar", s],
  mul: (s) => ["mulScalar", s],
  div: (s) => ["rdivScalar", s],
};

// Brings two tensors to a common dtype, as PyTorch promotes (true division gives floats).
function promoted(name: string, a: Tensor, b: Tensor): [Tensor, Tensor] {
  let d = promote(a.dtype, b.dtype);
  if (name === "div" && !isFloat(d)) d = "float32";
  return [toDType(a, d), toDType(b, d)];
}

function binary(name: string, a: Operand, b: Operand): Tensor {
  if (typeof a === "number" && typeof b === "number") throw new TypeError(`${name}: at least one operand must be a Tensor`);
  if (typeof b === "number" && SCALAR_RIGHT[name]) {
    const [op, s] = SCALAR_RIGHT[name](b);
    return unary(op, a as Tensor, s);
  }
  if (typeof a === "number" && SCALAR_LEFT[name]) {
    const [op, s] = SCALAR_LEFT[name](a);
    return unary(op, b as Tensor, s);
  }
  let x = typeof a === "number" ? scalarFor(a, checkTensor(b, name)) : checkTensor(a, name);
  let y = typeof b === "number" ? scalarFor(b, x) : checkTensor(b, name);
  if (x.dtype !== y.dtype || (name === "div" && x.dtype === "int32")) [x, y] = promoted(name, x, y);
  const out = binaryForward(name, x, y, broadcastShapes(x.shape, y.shape, name));
  return record(out, name, [x, y], (g) => BINARY_GRAD[name](x, y, g));
}

export const add = (a: Operand, b: Operand) => binary("add", a, b);
export const sub = (a: Operand, b: Operand) => binary("sub", a, b);
export const mul = (a: Operand, b: Operand) => binary("mul", a, b);
export const div = (a: Operand, b: Operand) => binary("div", a, b);
export const maximum = (a: Operand, b: Operand) => binary("maximum", a, b);
export const minimum = (a: Operand, b: Operand) => binary("minimum", a, b);

// ---- comparisons: int32 masks, never differentiable ----

function compare(name: string, a: Operand, b: Operand): Tensor {
  let x = typeof a === "number" ? scalarFor(a, checkTensor(b, name)) : checkTensor(a, name);
  let y = typeof b === "number" ? scalarFor(b, x) : checkTensor(b, name);
  const d = promote(x.dtype, y.dtype);
  [x, y] = [toDType(x, d), toDType(y, d)];
  const shape = broadcastShapes(x.shape, y.shape, name);
  const out = Tensor.output(shape, "int32");
  native.compare(shape, [x, y, out], COMPARE[name], x.storage, y.storage, out.storage as Int32Array);
  return out;
}

export const eq = (a: Operand, b: Operand) => compare("eq", a, b);
export const ne = (a: Operand, b: Operand) => compare("ne", a, b);
export const gt = (a: Operand, b: Operand) => compare("gt", a, b);
export const ge = (a: Operand, b: Operand) => compare("ge", a, b);
export const lt = (a: Operand, b: Operand) => compare("lt", a, b);
export const le = (a: Operand, b: Operand) => compare("le", a, b);

// ---- where ----

function whereForward(cond: Tensor, a: Tensor, b: Tensor): Tensor {
  const shape = broadcastShapes(broadcastShapes(cond.shape, a.shape, "where"), b.shape, "where");
  const out = Tensor.output(shape, a.dtype);
  native.where(shape, [cond, a, b, out], cond.storage as Int32Array, a.storage, b.storage, out.storage);
  return out;
}

export function where(cond: Tensor, a: Operand, b: Operand): Tensor {
  const c = checkTensor(cond, "where").dtype === "int32" ? cond : ne(cond, 0);
  const like = a instanceof Tensor ? a : checkTensor(b, "where");
  let x = typeof a === "number" ? scalarFor(a, like) : a;
  let y = typeof b === "number" ? scalarFor(b, like) : b;
  const d = promote(x.dtype, y.dtype);
  [x, y] = [toDType(x, d), toDType(y, d)];
  const out = whereForward(c, x, y);
  return record(out, "where", [x, y], (g) => {
    const zero = scalarTensor(0, g.dtype);
    return [
      x.requiresGrad ? sumTo(whereForward(c, g, zero), x.shape) : null,
      y.requiresGrad ? sumTo(whereForward(c, zero, g), y.shape) : null,
    ];
  });
}
