// One definition per op. defineOp() takes an op's name, its public function (`forward`: checks,
// then native kernel calls), its backward rule, whether it is also a Tensor method, and a small
// sample for the gradient registry test, and from that:
//   - registers the op in OPS, which the registry test (gradCheck coverage, tg exports, methods)
//     and the README's op list are checked against;
//   - attaches the method to Tensor.prototype (so tensor.ts imports no op and load order never matters).
// A differentiable op ends its forward with `return this.record(out, inputs, ctx)`: `inputs` are the
// tensors gradients flow to (null for an absent optional one), `ctx` is everything the backward
// rule reads. Tensor fields of ctx are the saved tensors (version-checked); nothing else is kept.
// The rule runs as backward(ctx, g) and returns one gradient per input (null where none).
// An op without `backward` is composite: it is built from other ops, which record themselves.
import { Tensor } from "../tensor.js";
import { record } from "../autograd/node.js";
import { disposedError } from "./check.js";
import { parameterNames, surplusArguments } from "../arity.js";
import type { GradCheckOptions } from "../autograd/gradcheck.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Fn = (...args: any[]) => any;
// A custom method: `this` is the tensor.
type MethodFn = (this: Tensor, ...args: never[]) => unknown;

export interface Recorder<C> {
  // Records out (or several outputs) as made from inputs, keeping ctx for the rule; returns out.
  record(out: Tensor | Tensor[], inputs: readonly (Tensor | null | undefined)[], ctx: C): Tensor;
}

export interface OpDef<F extends Fn, C extends object, M> {
  // Name on `tg` and on Tensor.prototype, as PyTorch's (camelCase).
  name: string;
  // One line for the README's op list: what it computes.
  doc: string;
  forward: F;
  backward?: (ctx: C, g: Tensor) => (Tensor | null)[];
  // Name of the graph node, PyTorch's style: default `${Name}Backward0` (e.g. MulBackward0).
  node?: string;
  // true: also x.name(...rest) = name(x, ...rest); "only": a Tensor method and not on tg; or the
  // method itself when its arguments differ (x.view(2, 3) vs tg.view(x, [2, 3])).
  method?: M;
  // false for ops whose outputs carry no gradient (comparisons, indices, int casts, in-place writes).
  differentiable?: boolean;
  // Arguments for the registry's gradCheck (float tensors inside are the checked inputs).
  sample?: () => unknown[];
  check?: GradCheckOptions;
}

export interface OpInfo {
  readonly name: string;
  readonly doc: string;
  readonly fn: Fn;
  readonly method: boolean;
  readonly exported: boolean;
  readonly differentiable: boolean;
  readonly sample?: () => unknown[];
  readonly check?: GradCheckOptions;
}

// Every defined op, by name.
export const OPS = new Map<string, OpInfo>();

// What defineOp returns: the public function, tagged (in its type only) with how it appears on
// Tensor, from which ops/methods.ts derives the method types.
declare const methodKind: unique symbol;
export type Op<F extends Fn, M> = F & { readonly [methodKind]: M };

// The type of x.op(...) for an op defined with a method: a custom method's own type (all its
// overloads, e.g. x.max() / x.max(dim)), else the function's without its first parameter.
export type MethodOf<O> = O extends Op<(self: Tensor, ...rest: infer R) => infer Out, infer M>
  ? M extends MethodFn ? M : (...rest: R) => Out
  : never;

const pascal = (s: string) => s[0].toUpperCase() + s.slice(1);

export function defineOp<F extends Fn, C extends object = object, M extends true | "only" | MethodFn | undefined = undefined>(
  def: OpDef<F, C, M> & ThisType<Recorder<C>>,
): Op<F, M> {
  if (OPS.has(def.name)) throw new Error(`defineOp: ${def.name} is defined twice`);
  const nodeName = def.node ?? `${pascal(def.name)}Backward0`;
  const backward = def.backward;
  const rule = backward && ((ctx: C, grads: (Tensor | null)[]) => backward(ctx, grads[0]!));
  const recorder: Recorder<C> = {
    record(out, inputs, ctx) {
      if (!rule) throw new Error(`defineOp: ${def.name} records a node but has no backward rule`);
      return record(nodeName, Array.isArray(out) ? out : [out], inputs, ctx, rule);
    },
  };
  const names = parameterNames(def.forward);
  const bound = def.forward.bind(recorder);
  const fn = (names ? withArity(def.forward, recorder, def.name, names) : bound) as F;
  const m = def.method as unknown;
  const custom = typeof m === "function" ? m as Fn : undefined;
  const methodNames = custom ? parameterNames(custom) ?? undefined : names?.slice(1);
  if (m !== undefined) Object.defineProperty(Tensor.prototype, def.name, {
    value: !custom ? methodOf(bound, def.name, methodNames, false) : methodNames ? methodOf(custom, def.name, methodNames, true) : custom,
    writable: true, configurable: true, enumerable: false,
  });
  OPS.set(def.name, {
    name: def.name, doc: def.doc, fn, method: m !== undefined, exported: m !== "only",
    differentiable: def.differentiable ?? true, sample: def.sample, check: def.check,
  });
  return fn as Op<F, M>;
}

// Methods that refuse a disposed tensor themselves; lib/disposed-guard.ts wraps every other one.
export const CHECKS_DISPOSED = new WeakSet<object>();

// The public function: the forward, refusing surplus arguments. Fixed arity, so no rest-array per call (an
// absent argument arrives as undefined, which default parameters treat as absent); reading
// arguments.length allocates nothing.
function withArity(forward: Fn, recorder: object, name: string, names: string[]): Fn {
  const max = names.length;
  if (max > 5) throw new Error(`defineOp: ${name} takes ${max} arguments; withArity passes 5`);
  return function (a?: unknown, b?: unknown, c?: unknown, d?: unknown, e?: unknown) {
    if (arguments.length > max) throw surplusArguments(name, names, arguments.length);
    return forward.call(recorder, a, b, c, d, e);
  };
}

// x.op(a, b, c, d) = op(x, a, b, c, d), or a method of its own (`own`: x.where(condition, other) runs with x
// as `this`), with `names` the parameters after x (undefined: any number). It checks x itself, so the hottest
// methods need no guard wrapped around them: the message names the method (x.square() says "square", not
// the "mul" it is built from).
function methodOf(fn: Fn, name: string, names: string[] | undefined, own: boolean) {
  const max = names?.length ?? Infinity;
  if (names && max > 4) throw new Error(`defineOp: x.${name} takes ${max} arguments; methodOf passes 4`);
  const method = function (this: Tensor, a?: unknown, b?: unknown, c?: unknown, d?: unknown) {
    if (this.disposeState === "disposed") throw disposedError(this, name);
    if (arguments.length > max) throw surplusArguments(`x.${name}`, names!, arguments.length);
    return own ? fn.call(this, a, b, c, d) : fn(this, a, b, c, d);
  };
  CHECKS_DISPOSED.add(method);
  return method;
}
