// tg.autograd.Function: the user's own gate (PyTorch's torch.autograd.Function). A subclass gives
// `static forward(ctx, ...inputs)` and `static backward(ctx, ...gradOutputs)`; `apply()` runs forward
// with grad mode off and records ONE engine node (node.ts record(), the same machinery as built-in
// ops) whose rule calls the user's backward and checks what it returns. User rules are recorded
// with freshGrads = false, so the engine copies any gradient it keeps: a gradient the user's
// backward passes through (identity, straight-through) never aliases another tensor.
//
// What the node keeps is the Holder below: the tensors given to ctx.saveForBackward as top-level
// fields (so the engine version-checks them and frees them after backward, like built-in saves),
// the user's ctx, and the outputs' shapes and dtypes (to materialize missing gradients as zeros).
import { Tensor } from "../tensor.js";
import type { DType } from "../dtype.js";
import { fmt, sameShape } from "../shape.js";
import { noGrad } from "./grad-mode.js";
import { needsGrad, record, type Node } from "./node.js";
import { bumpVersion } from "./version.js";
import { checkViewWrite, historyChanged, rebaseView } from "./view-history.js";
import { refuseSurplus } from "../arity.js";

/**
 * The `ctx` object a Function's forward and backward receive (PyTorch's `FunctionCtx`). Besides the
 * methods below it takes any field the user sets in forward (`ctx.alpha = 0.5`) and reads in backward.
 */
export class FunctionCtx {
  /** One flag per forward input: whether backward must return a gradient for it (false for non-tensors). */
  readonly needsInputGrad: readonly boolean[];
  #saved: (Tensor | null)[] = [];
  #savedLocked = false;
  #node: Node | null = null;
  /** @internal */ nonDifferentiable = new Set<Tensor>();
  /** @internal */ dirty = new Set<Tensor>();
  /** @internal */ materializeGrads = true;
  // Arbitrary user fields (ctx.k = 3).
  [field: string]: unknown;

  /**
   * apply() makes the ctx. Make one yourself only to call a Function's forward and backward by hand,
   * outside the tape (as the lecture's graph object in examples/gates.js does).
   */
  constructor(needsInputGrad: boolean[] = []) {
    refuseSurplus(FunctionCtx, arguments.length);
    this.needsInputGrad = needsInputGrad;
  }

  /**
   * Keeps tensors (inputs or outputs of forward; null allowed) for backward. They are checked for
   * in-place changes before backward runs, and freed after it (unless `retainGraph`). Call it once,
   * in forward (PyTorch's `save_for_backward`).
   * @throws TypeError when an argument is neither a Tensor nor null; Error when called in backward.
   */
  saveForBackward(...tensors: (Tensor | null | undefined)[]): void {
    if (this.#savedLocked) throw new Error("saveForBackward: call it in forward, not in backward");
    tensors.forEach((t, i) => {
      if (t != null && !(t instanceof Tensor))
        throw new TypeError(`saveForBackward: argument ${i} is ${typeof t}, not a Tensor; store non-tensors as ctx fields (ctx.k = ...)`);
    });
    this.#saved = tensors.map((t) => t ?? null);
  }

  /**
   * The tensors given to saveForBackward, in order (PyTorch's `saved_tensors`).
   * @throws Error once a backward without retainGraph freed them.
   */
  get savedTensors(): (Tensor | null)[] {
    if (this.#node?.released)
      throw new Error("savedTensors: the saved tensors were freed by backward(); pass {retainGraph: true} to the first backward to keep them");
    return this.#saved;
  }

  /**
   * Declares outputs that carry no gradient (indices, masks): they get `requiresGrad = false`, and
   * backward receives zeros (or null without materialized grads) for them.
   */
  markNonDifferentiable(...outputs: Tensor[]): void {
    for (const t of outputs) this.nonDifferentiable.add(t);
  }

  /**
   * Declares inputs that forward modified in place and returns as outputs (PyTorch's `mark_dirty`):
   * the tensor object itself becomes the output (its history is rewritten to this Function) and its
   * version is bumped, so other ops that saved it refuse to run backward on the changed values.
   */
  markDirty(...inputs: Tensor[]): void {
    for (const t of inputs) this.dirty.add(t);
  }

  /**
   * With false, backward receives null (not zeros) for outputs whose gradient was never computed
   * (PyTorch's `set_materialize_grads`). Default true.
   */
  setMaterializeGrads(on: boolean): void {
    this.materializeGrads = on;
  }

  /** @internal Called when forward returns: the saved list is final. */
  lockSaved(): void {
    this.#savedLocked = true;
  }

  /** @internal The node that holds the saved tensors (savedTensors refuses once it freed them). */
  bind(node: Node | null): void {
    this.#node = node;
  }
}

// What the engine node keeps as its ctx (see the header comment).
interface Holder {
  ctx: FunctionCtx;
  outputs: { shape: number[]; dtype: DType }[];
  [saved: string]: unknown;
}

/**
 * Base class of user-defined differentiable operations (PyTorch's `torch.autograd.Function`).
 *
 * ```js
 * class MultiplyGate extends tg.autograd.Function {
 *   static forward(ctx, x, y) { ctx.saveForBackward(x, y); return x.mul(y); }
 *   static backward(ctx, dz) { const [x, y] = ctx.savedTensors; return [y.mul(dz), x.mul(dz)]; }
 * }
 * const z = MultiplyGate.apply(a, b);
 * ```
 * `forward(ctx, ...inputs)` runs with grad mode off and returns a Tensor or an array of Tensors; inputs
 * may be tensors, null or any other value (passed through). `backward(ctx, ...gradOutputs)` gets one
 * gradient per output (same shape) and returns one gradient per input (an array, or a Tensor when
 * forward has one input): a tensor of the input's shape and dtype, or null (always null for non-tensors).
 * @throws Error (from apply or backward) naming the Function and the input when backward returns the
 *   wrong number of gradients, or a gradient of the wrong shape or dtype; when forward returns a non-tensor;
 *   when a dirty input is not returned or is a leaf that requires grad.
 */
export class Function {
  /** Takes nothing (a Function is used through its static `apply`). @throws TypeError when given any argument. */
  constructor() {
    refuseSurplus(Function, arguments.length, undefined, new.target.name);
  }

  /** The forward computation. Override in a subclass. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  static forward(_ctx: FunctionCtx, ..._inputs: any[]): Tensor | Tensor[] {
    throw new Error(`${this.name}.forward is not implemented: define static forward(ctx, ...inputs) in the subclass`);
  }

  /** The gradient rule. Override in a subclass. */
  static backward(_ctx: FunctionCtx, ..._gradOutputs: (Tensor | null)[]): Tensor | null | (Tensor | null)[] {
    throw new Error(`${this.name}.backward is not implemented: define static backward(ctx, ...gradOutputs) in the subclass`);
  }

  /** Runs forward on `inputs` and records the node whose backward is this class's backward. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  static apply<F extends { forward(ctx: FunctionCtx, ...a: any[]): unknown }>(
    this: F,
    ...inputs: Parameters<F["forward"]> extends [unknown, ...infer A] ? A : []
  ): ReturnType<F["forward"]> {
    return applyFunction(this as unknown as typeof Function, inputs) as ReturnType<F["forward"]>;
  }
}

function applyFunction(cls: typeof Function, args: unknown[]): Tensor | Tensor[] {
  const name = cls.name || "Function";
  const tensors = args.map((a) => (a instanceof Tensor ? a : null));
  const recording = needsGrad(tensors);
  const ctx = new FunctionCtx(tensors.map((t) => recording && t !== null && t.requiresGrad));
  const result = noGrad(() => cls.forward(ctx, ...args));
  ctx.lockSaved();
  const many = Array.isArray(result);
  const outs: unknown[] = many ? result : [result];
  outs.forEach((o, i) => {
    if (!(o instanceof Tensor))
      throw new TypeError(`${name}.forward returned ${typeof o}${many ? ` at output ${i}` : ""}; return a Tensor or an array of Tensors`);
  });
  for (const t of ctx.dirty) {
    if (!tensors.includes(t) || !outs.includes(t))
      throw new Error(`${name}: markDirty() got a tensor that forward did not both take as input and return; mark only inputs modified in place and return them`);
    const base = t.base ?? t;
    if (recording && base.isLeaf && base.requiresGrad)
      throw new Error(`${name}: forward modified input ${tensors.indexOf(t)} in place (markDirty), but it is a leaf that requires grad` +
        `${base === t ? "" : " or a view of one"}; clone() it first`);
    if (recording && t.base) checkViewWrite(t, `${name} (markDirty)`);
    bumpVersion(t.storage);
  }
  if (!recording) return result;

  const outputs = (outs as Tensor[]).map((o, i) => {
    if (ctx.dirty.has(o)) return o;
    // An input returned as is, or an output returned twice, gets its own handle: the node's history
    // must not be written onto the user's input (PyTorch returns a view there too).
    const reused = tensors.includes(o) || outs.indexOf(o) !== i || o.requiresGrad;
    return reused ? o.detach() : o;
  });
  const holder: Holder = { ctx, outputs: outputs.map((o) => ({ shape: o.shape, dtype: o.dtype })) };
  ctx.savedTensors.forEach((t, i) => {
    if (t) holder[`savedTensors[${i}]`] = t;
  });
  record(`${name}Backward`, outputs, tensors, holder, (h, grads) => runUserBackward(cls, name, h, grads, tensors.map(describeInput)), false);
  ctx.bind(outputs[0]?.gradFn ?? null);
  outputs.forEach((o, i) => {
    if (o.dtype === "int32" || ctx.nonDifferentiable.has(outs[i] as Tensor)) {
      o.requiresGrad = false;
      o.gradFn = null;
      o.outputNr = 0;
    }
  });
  // An input modified in place now holds the node's output: its views (or, for a view, its base)
  // change history too (view-history.ts).
  for (const t of ctx.dirty) {
    if (t.base) rebaseView(t, t);
    else historyChanged(t);
  }
  return many ? outputs : outputs[0];
}

interface InputInfo {
  shape: number[] | null;
  dtype: DType | null;
}
const describeInput = (t: Tensor | null): InputInfo => ({ shape: t && t.shape, dtype: t && t.dtype });

// The node's rule: materializes missing gradients, calls the user's backward, checks its answer.
function runUserBackward(cls: typeof Function, name: string, h: Holder, grads: (Tensor | null)[], inputs: InputInfo[]): (Tensor | null)[] {
  const gouts = grads.map((g, i) =>
    g ?? (h.ctx.materializeGrads ? Tensor.empty(h.outputs[i].shape, h.outputs[i].dtype) : null));
  const ret = cls.backward(h.ctx, ...gouts);
  const list = Array.isArray(ret) ? ret : [ret];
  const names = inputNames(cls);
  const label = (i: number) => `input ${i}${names[i] ? ` (${names[i]})` : ""}`;
  if (list.length !== inputs.length)
    throw new Error(
      `${name}.backward returned ${list.length} gradient${list.length === 1 ? "" : "s"} but forward took ${inputs.length} input${inputs.length === 1 ? "" : "s"}; ` +
        `return one per input, null for inputs without a gradient`,
    );
  return list.map((g, i) => {
    const want = inputs[i];
    if (g === null || g === undefined) return null;
    if (!(g instanceof Tensor))
      throw new TypeError(`${name}.backward returned ${typeof g} as the gradient for ${label(i)}; return a Tensor or null`);
    if (!want.shape)
      throw new Error(`${name}.backward returned a gradient for ${label(i)}, which is not a Tensor; return null for it`);
    if (!sameShape(g.shape, want.shape))
      throw new Error(`${name}.backward returned a gradient of shape ${fmt(g.shape)} for ${label(i)} of shape ${fmt(want.shape)}; it must have the input's shape`);
    if (g.dtype !== want.dtype)
      throw new Error(`${name}.backward returned a ${g.dtype} gradient for ${label(i)}, which is ${want.dtype}; convert it with .to("${want.dtype}")`);
    return g;
  });
}

// forward's parameter names after ctx, for error messages (empty where the source does not show them).
const nameCache = new WeakMap<object, string[]>();
function inputNames(cls: typeof Function): string[] {
  let names = nameCache.get(cls);
  if (!names) {
    const m = /^[^(]*\(([^)]*)\)/.exec(String(cls.forward));
    const params = m ? m[1].split(",").map((p) => p.trim().replace(/[=\s].*$/, "")) : [];
    names = params.slice(1).map((p) => (/^[A-Za-z_$][\w$]*$/.test(p) ? p : ""));
    nameCache.set(cls, names);
  }
  return names;
}
