// tg.autograd.Function: a user-defined op with its own forward and backward (PyTorch's
// torch.autograd.Function). It records the same graph node as every built-in op (node.ts): edges to
// its inputs' nodes, and only the tensors ctx.saveForBackward() was given, version-checked.
import { Tensor } from "../tensor.js";
import { fmt, sameShape } from "../shape.js";
import { isGradEnabled, noGrad } from "./grad-mode.js";
import { bumpVersion } from "./version.js";
import { Node, edgeOf } from "./node.js";

/** What forward and backward of a Function share: saved tensors, flags, and any fields you set. */
export class FunctionCtx {
  /** One flag per forward argument: whether a gradient is needed for it (false for non-tensors). */
  readonly needsInputGrad: boolean[];
  #saved: (Tensor | null)[] = [];
  #node: Node | null = null;
  readonly nonDifferentiable = new Set<Tensor>();
  readonly dirty = new Set<Tensor>();
  materializeGrads = true;
  [field: string]: unknown;

  constructor(needsInputGrad: boolean[]) {
    this.needsInputGrad = needsInputGrad;
  }

  /** Keeps tensors for backward (read them back as `savedTensors`); call it at most once, in forward. */
  saveForBackward(...tensors: (Tensor | null)[]): void {
    tensors.forEach((t, i) => {
      if (t !== null && !(t instanceof Tensor)) throw new TypeError(`saveForBackward: argument ${i} is not a Tensor or null; keep other values as ctx fields`);
    });
    this.#saved = tensors;
  }

  /** The tensors saveForBackward() kept. @throws Error after the graph was freed by a backward without retainGraph. */
  get savedTensors(): (Tensor | null)[] {
    if (this.#node?.released) throw new Error("savedTensors: the saved tensors were freed after backward; pass {retainGraph: true} to keep them");
    return this.#saved;
  }

  /** Marks outputs that have no gradient (indices, masks): they never require grad. */
  markNonDifferentiable(...outputs: Tensor[]): void {
    for (const t of outputs) this.nonDifferentiable.add(t);
  }

  /** Marks inputs forward modified in place (and returns as outputs), as PyTorch's mark_dirty. */
  markDirty(...inputs: Tensor[]): void {
    for (const t of inputs) this.dirty.add(t);
  }

  /** With false, backward receives null (not zeros) for outputs that got no gradient. */
  setMaterializeGrads(value: boolean): void {
    this.materializeGrads = value;
  }

  /** @internal: binds the node that keeps the saved tensors (savedTensors then fails once it released them). */
  bind(node: Node): void {
    this.#node = node;
  }
}

type Grads = Tensor | null | undefined | (Tensor | null | undefined)[];
interface FunctionClass {
  name: string;
  forward(ctx: FunctionCtx, ...args: never[]): Tensor | Tensor[];
  backward(ctx: FunctionCtx, ...grads: (Tensor | null)[]): Grads;
}

// The arguments of apply: forward's, after ctx.
type ForwardArgs<C extends FunctionClass> = Parameters<C["forward"]> extends [FunctionCtx, ...infer A] ? A : never;

// Shape and dtype of each output, for zero gradients where none arrived.
interface FunctionNodeCtx {
  fn: FunctionClass;
  user: FunctionCtx;
  args: unknown[];
  outputs: { shape: number[]; dtype: Tensor["dtype"] }[];
}

function functionRule(c: FunctionNodeCtx, grads: (Tensor | null)[]): (Tensor | null)[] {
  const { fn, user, args } = c;
  const gs = grads.map((g, i) => g ?? (user.materializeGrads ? Tensor.empty(c.outputs[i].shape, c.outputs[i].dtype) : null));
  const r = fn.backward(user, ...gs);
  const list = Array.isArray(r) ? r : [r];
  if (list.length < args.length || list.slice(args.length).some((g) => g != null))
    throw new Error(`${fn.name}.backward returned ${list.length} gradient(s); expected ${args.length}, one per forward argument (null where none)`);
  const out: (Tensor | null)[] = [];
  args.forEach((a, i) => {
    const g = list[i] ?? null;
    if (!(a instanceof Tensor)) {
      if (g !== null) throw new Error(`${fn.name}.backward returned a gradient for argument ${i}, which is not a tensor; return null for it`);
      return;
    }
    if (g !== null && !(g instanceof Tensor)) throw new TypeError(`${fn.name}.backward: the gradient for input ${i} is not a Tensor`);
    if (g && user.needsInputGrad[i] && (!sameShape(g.shape, a.shape) || g.dtype !== a.dtype))
      throw new Error(`${fn.name}.backward: the gradient for input ${i} has shape ${fmt(g.shape)} and dtype ${g.dtype}, but the input has shape ${fmt(a.shape)} and dtype ${a.dtype}`);
    out.push(user.needsInputGrad[i] ? g : null);
  });
  return out;
}

/**
 * A differentiable op written by the user, as PyTorch's `torch.autograd.Function`: subclass it with
 * `static forward(ctx, ...args)` (runs with grad mode off; returns a tensor or an array of tensors) and
 * `static backward(ctx, ...gradOutputs)` (returns one gradient per forward argument, null where none),
 * then call `MyFn.apply(...args)`. Tensors anywhere in args' top level are inputs; other values pass through.
 * @throws Error naming the Function and the input when backward returns the wrong number of gradients, or
 *   one of the wrong shape or dtype; when a leaf that requires grad is marked dirty.
 */
export class Function {
  static forward(ctx: FunctionCtx, ...args: unknown[]): Tensor | Tensor[] {
    throw new Error(`${this.name}: define static forward(ctx, ...inputs)`);
  }

  static backward(ctx: FunctionCtx, ...grads: (Tensor | null)[]): Grads {
    throw new Error(`${this.name}: define static backward(ctx, ...gradOutputs) to differentiate it`);
  }

  static apply<C extends FunctionClass>(this: C, ...args: ForwardArgs<C>): ReturnType<C["forward"]> {
    const grad = isGradEnabled();
    const ctx = new FunctionCtx(args.map((a) => grad && a instanceof Tensor && a.requiresGrad));
    // Edges first: a dirty input's own node is what its gradient flows on to.
    const edges = args.filter((a): a is Tensor => a instanceof Tensor).map((t) => (t.requiresGrad && grad ? edgeOf(t) : null));
    const result = noGrad(() => this.forward(ctx, ...(args as unknown as never[])));
    const outs = Array.isArray(result) ? result : [result];
    outs.forEach((o, i) => {
      if (!(o instanceof Tensor)) throw new TypeError(`${this.name}.forward must return a Tensor or an array of Tensors; output ${i} is ${typeof o}`);
    });
    for (const t of ctx.dirty) {
      if (!args.includes(t) || !outs.includes(t)) throw new Error(`${this.name}: markDirty() takes inputs that forward modified in place and returns`);
      if (grad && t.requiresGrad && t.isLeaf) throw new Error(`${this.name}: a leaf tensor that requires grad cannot be modified in place (markDirty)`);
      bumpVersion(t.storage);
    }
    // An input returned unchanged becomes a new tensor sharing its storage, so recording it does not
    // change the input's own history.
    const final = outs.map((o) => (args.includes(o) && !ctx.dirty.has(o) ? new Tensor(o.storage, o.shape, o.strides, o.offset, o.dtype) : o));
    if (ctx.needsInputGrad.some((n) => n)) {
      const fnCtx: FunctionNodeCtx = { fn: this, user: ctx, args, outputs: final.map((o) => ({ shape: o.shape, dtype: o.dtype })) };
      const node = new Node(`${this.name}Backward`, edges, fnCtx, functionRule as never, final.length, false, ctx.savedTensors);
      ctx.bind(node);
      final.forEach((o, i) => {
        if (ctx.nonDifferentiable.has(outs[i]) || o.dtype === "int32") return;
        o.requiresGrad = true;
        o.gradFn = node;
        o.outputNr = i;
      });
    }
    return (Array.isArray(result) ? final : final[0]) as ReturnType<C["forward"]>;
  }
}
