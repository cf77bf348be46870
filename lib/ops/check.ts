// Argument checks shared by the op definitions.
import { Tensor } from "../tensor.js";
import { fmt, normalizeDim } from "../shape.js";
import { describe, options } from "../options.js";

export { describe };

export function checkTensor(x: unknown, op: string, name?: string): Tensor {
  if (!(x instanceof Tensor)) throw new TypeError(`${op}: ${name ? `${name} must be a Tensor` : "expected a Tensor"}, got ${describe(x)}`);
  checkLive(x, op, name);
  return x;
}

// A disposed tensor has no memory left: say so with the op's name rather than let a kernel's bounds check
// report it. Every check that a tensor argument is a Tensor ends with this one.
export function checkLive(x: Tensor, op: string, name?: string): void {
  if (x.disposeState === "disposed") throw disposedError(x, op, name ?? "the input");
}

// The Error for a disposed tensor `t` reaching `op` as `what` (an argument's name; "the tensor" for a
// method's own tensor, lib/disposed-guard.ts).
export function disposedError(t: Tensor, op: string, what = "the tensor"): Error {
  return new Error(`${op}: ${what} (shape ${fmt(t.shape)}, ${t.dtype}) was disposed; use it before calling dispose()`);
}

// The Error for a parameter whose .grad was disposed, when `op` (an optimizer's step, gradient clipping)
// would read or write it.
export function disposedGradError(op: string, param: Tensor): Error {
  return new Error(`${op}: the gradient of a parameter of shape ${fmt(param.shape)} was disposed; set .grad = null (or zeroGrad()) instead of disposing it`);
}

// A tensor-or-number operand.
export function checkOperand(v: unknown, name: string, op: string): void {
  if (!(v instanceof Tensor) && typeof v !== "number") throw new TypeError(`${op}: ${name} must be a Tensor or a number, got ${describe(v)}`);
  if (v instanceof Tensor) checkLive(v, op, name);
}

// A scalar argument: a number, or (where `optional`) null/undefined for "absent".
export function checkNumber(v: unknown, name: string, op: string, optional = false): void {
  if (typeof v === "number" || (optional && v == null)) return;
  throw new TypeError(`${op}: ${name} must be a number${optional ? " or null" : ""}, got ${describe(v)}`);
}

// dim of x, negative counting from the end, checked against x's dims.
export function dimOf(x: Tensor, dim: number, op: string): number {
  return normalizeDim(dim, checkTensor(x, op).ndim, op);
}

// Accepts f(2, 3), f([2, 3]) and f(...[2, 3]) alike.
export function shapeArgs(args: (number | number[])[]): number[] {
  return args.length === 1 && Array.isArray(args[0]) ? args[0] : (args as number[]);
}

// keepdim, positional as a boolean (x.sum(1, true)) or PyTorch's keyword as an options object
// (x.sum(1, {keepdim: true})); anything else throws rather than counting as truthy.
export interface KeepdimOptions {
  keepdim?: boolean;
}
export function keepdimOf(v: unknown, op: string): boolean {
  const k = v !== null && typeof v === "object" ? options(op, v as KeepdimOptions, ["keepdim"]).keepdim : v;
  if (k === undefined || typeof k === "boolean") return k ?? false;
  throw new TypeError(`${op}: keepdim must be a boolean (or an options object {keepdim}), got ${describe(k)}`);
}

/** A dim as PyTorch code passes it by keyword (`dim=1`): the options object `{dim}` where the dim goes. */
export interface DimOptions {
  dim?: number;
}
/** A reduction's dim and keepdim by keyword, in one options object where the dim goes: `x.sum({dim: 1, keepdim: true})`. */
export interface DimKeepdimOptions<D = number | number[] | null> {
  dim?: D;
  keepdim?: boolean;
}

// An object literal (not an array, a Tensor or another class's instance): where a dim goes, its options.
const isOptionsObject = (v: unknown): v is object =>
  v !== null && typeof v === "object" && !Array.isArray(v) && [Object.prototype, null].includes(Object.getPrototypeOf(v));

// A dim that PyTorch code passes positionally or by keyword, beside the op's other options (`keys`): given as is
// (`x.sort(1, {descending: true})`, `x.var([0, 1], {correction: 0})`) or inside the options object where the dim goes
// (`x.sort({dim: 1, descending: true})`, `F.softmax(x, {dim: 1})`). Returns the dim (undefined when absent; null
// counts as absent) and the checked options.
export function dimAndOptions<D, O extends object>(op: string, dim: D | (O & { dim?: D | null }) | null | undefined, opts: O | undefined,
  keys: readonly (keyof O & string)[]): { dim: D | undefined; opts: Partial<O> } {
  if (!isOptionsObject(dim)) return { dim: (dim ?? undefined) as D | undefined, opts: options(op, opts, keys) };
  if (opts !== undefined) throw new TypeError(`${op}: give dim positionally or inside the options object, not both (got an object where the dim goes, then options)`);
  const o = options(op, dim as O & { dim?: D | null }, ["dim", ...keys] as (keyof O & string)[]) as Partial<O> & { dim?: D | null };
  return { dim: o.dim ?? undefined, opts: o };
}

// An op whose only option is its dim: `F.softmax(x, 1)` or `F.softmax(x, {dim: 1})`.
export const dimArgument = <D>(op: string, dim: D | DimOptions | undefined): D | undefined =>
  dimAndOptions<D, object>(op, dim as D | undefined, undefined, []).dim;

// A reduction's dim and keepdim: positional (`x.sum(1, true)`, `x.sum(1, {keepdim: true})`) or both by keyword in one
// options object where the dim goes (`x.sum({dim: 1, keepdim: true})`).
export function dimKeepdim<D>(op: string, dim: D | DimKeepdimOptions<D> | undefined, keepdim: boolean | KeepdimOptions | undefined): [D | undefined, boolean] {
  if (!isOptionsObject(dim)) return [dim as D | undefined, keepdimOf(keepdim, op)];
  if (keepdim !== undefined && keepdim !== false)
    throw new TypeError(`${op}: give dim and keepdim together, positionally or in one options object {dim, keepdim}, not split between the two`);
  const o = dimAndOptions<D, KeepdimOptions>(op, dim, undefined, ["keepdim"]);
  return [o.dim, keepdimOf(o.opts.keepdim, op)];
}
