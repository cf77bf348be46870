// A node of the autograd graph: one recorded op (or, for a leaf tensor, the accumulation into its
// .grad). A node holds only what its backward rule needs:
//   - `next`: an edge per input — the node that made that input and which of its outputs it was —
//     never the input tensor itself, so intermediate results are freed as soon as user code drops them;
//   - `ctx`: the values the rule reads. Tensor-valued fields of ctx are the saved tensors: their
//     storage versions are recorded here and checked before the rule runs (PyTorch's version
//     counter), so only what a rule reads can make it refuse to run.
// Built-in ops (lib/ops/define.ts) and user-defined Functions create nodes through record().
import { Tensor } from "../tensor.js";
import { isGradEnabled } from "./grad-mode.js";
import { versionOf } from "./version.js";

// Gradients of a node's outputs -> gradients of its inputs, one per edge (null where none flows).
export type BackwardRule<C> = (ctx: C, grads: (Tensor | null)[]) => (Tensor | null)[];

// A hook on a tensor's gradient (Tensor.registerHook): may return a replacement.
export type GradHook = (grad: Tensor) => Tensor | void | undefined;

export interface Edge {
  readonly node: Node;
  readonly output: number;
  // The input's shape, to check the gradient a rule returns for it.
  readonly shape: readonly number[];
}

let sequence = 0;

export class Node {
  // Fields are assigned in the constructor rather than by class-field initialisers, which run as a
  // separate function of define-property stores (slow until V8 optimises it; see lib/tensor.ts).
  // Creation order: the engine runs later nodes first when several are ready (as PyTorch does).
  declare readonly seq: number;
  declare readonly name: string;
  declare next: (Edge | null)[];
  declare ctx: object | null;
  private declare readonly rule: BackwardRule<object> | null;
  declare readonly numOutputs: number;
  // Per output: hooks on that output's gradient (Tensor.registerHook), and the tensor whose .grad
  // should keep it (retainGrad). Created on first use.
  declare hooks: Map<number, GradHook>[] | null;
  declare retained: (Tensor | null)[] | null;
  // The saved tensors (ctx's Tensor fields; a user Function's ctx holds its saveForBackward list) with their storage
  // versions at record time; null once released.
  private declare saved: { t: Tensor; version: number; as: string }[] | null;
  declare readonly savesTensors: boolean;
  // Whether the rule may keep the gradients it returns without copying them: true for built-in
  // rules, which return fresh tensors or views of what they were given; false for user Functions.
  declare readonly freshGrads: boolean;
  // On an AccumulateGrad node: the leaf it accumulates into, and the hooks to call after it did
  // (Tensor.registerPostAccumulateGradHook).
  declare leaf: Tensor | null;
  declare postHooks: Map<number, (leaf: Tensor) => void> | null;
  // Scratch state of the backward pass now visiting this node (engine.ts keeps it here rather than
  // in Maps, which cost a cold training step more than the rules): the pass's id (0: none), its
  // flags, how many running nodes have yet to deliver a gradient here, and the gradients delivered.
  declare pass: number;
  declare flags: number;
  declare pending: number;
  declare buffer: unknown[] | null;

  constructor(
    name: string,
    next: (Edge | null)[],
    ctx: object | null,
    rule: BackwardRule<object> | null,
    numOutputs = 1,
    freshGrads = true,
  ) {
    this.seq = ++sequence;
    this.name = name;
    this.next = next;
    this.ctx = ctx;
    this.rule = rule;
    this.numOutputs = numOutputs;
    this.hooks = null;
    this.retained = null;
    let saved: { t: Tensor; version: number; as: string }[] | null = null;
    if (ctx)
      for (const key in ctx) {
        const t = (ctx as Record<string, unknown>)[key];
        if (!(t instanceof Tensor)) continue;
        (saved ??= []).push({ t, version: versionOf(t.storage), as: key });
        // Ownership (lib/storage.ts): a saved tensor's dispose() waits until this node has let it go.
        t.graphUses++;
      }
    this.saved = saved;
    this.savesTensors = saved !== null;
    this.freshGrads = freshGrads;
    this.leaf = null;
    this.postHooks = null;
    this.pass = 0;
    this.flags = 0;
    this.pending = 0;
    this.buffer = null;
  }

  // Whether apply() can no longer run: a backward without retainGraph released what it saved.
  get released(): boolean {
    return this.savesTensors && this.saved === null;
  }

  // Throws if a saved tensor was modified in place after the op recorded it: the rule would read
  // changed values and give a silently wrong gradient.
  checkVersions(): void {
    const saved = this.saved ?? [];
    for (let i = 0; i < saved.length; ++i) {
      const { t, version, as } = saved[i];
      if (versionOf(t.storage) !== version)
        throw new Error(
          `backward: a tensor of shape [${t.shape.join(", ")}] saved by ${this.name} (as ${as}) was modified in place after it ` +
            `was saved (an in-place op such as mul_, add_, fill_ or copy_, or an optimizer step); clone() it before changing it, or change it after backward().`,
        );
    }
  }

  apply(grads: (Tensor | null)[]): (Tensor | null)[] {
    if (this.released)
      throw new Error(
        `backward: trying to backward through the graph a second time (at ${this.name}); its saved tensors were ` +
          `freed after the first backward. Pass {retainGraph: true} to the first backward() if you need to run it twice.`,
      );
    this.checkVersions();
    return this.rule ? this.rule(this.ctx!, grads) : [];
  }

  // Drops what the rule saved (after a backward without retainGraph). A rule that saved no tensor
  // can run again, as in PyTorch. Saved tensors disposed while this node waited are released now.
  release(): void {
    const saved = this.saved;
    if (!saved) return;
    this.saved = this.ctx = null;
    for (let i = 0; i < saved.length; ++i) saved[i].t.releaseGraphUse();
  }

  addHook(output: number, hook: GradHook): RemovableHandle {
    this.hooks ??= Array.from({ length: this.numOutputs }, () => new Map());
    return addTo(this.hooks[output], hook);
  }

  addPostHook(hook: (leaf: Tensor) => void): RemovableHandle {
    return addTo((this.postHooks ??= new Map()), hook);
  }
}

// What registering a hook returns (PyTorch's RemovableHandle).
export interface RemovableHandle {
  remove(): void;
}

let hookId = 0;
function addTo<H>(map: Map<number, H>, hook: H): RemovableHandle {
  const key = ++hookId;
  map.set(key, hook);
  return { remove: () => void map.delete(key) };
}

// The edge a gradient for `t` travels along: to the node that made it, or to its leaf accumulator.
// Null when t needs no gradient. (Reading requiresGrad first regenerates a stale view's history.)
export function edgeOf(t: Tensor): Edge | null {
  if (!t.requiresGrad) return null;
  const fn = t.gradFn;
  if (fn) return { node: fn, output: t.outputNr, shape: t.shape };
  return { node: accumulatorOf(t), output: 0, shape: t.shape };
}

// A leaf's accumulation node (PyTorch's AccumulateGrad): made on first use and kept on the leaf,
// so every op that reads the leaf, and every hook on it, shares one.
export function accumulatorOf(leaf: Tensor): Node {
  if (!leaf.accumulator) leaf.accumulator = new Node("AccumulateGrad", [], null, null);
  leaf.accumulator.leaf = leaf;
  return leaf.accumulator;
}

// Whether an op on these inputs must be recorded: grad mode is on and some input requires grad.
export function needsGrad(inputs: readonly (Tensor | null | undefined)[]): boolean {
  if (!isGradEnabled()) return false;
  for (let i = 0; i < inputs.length; ++i) if (inputs[i] && inputs[i]!.requiresGrad) return true;
  return false;
}

// Records `outs` as made by one op from `inputs` (null entries for absent optional inputs), with
// `ctx` what its rule reads. Does nothing unless needsGrad(inputs). Returns outs[0].
export function record<C extends object>(
  name: string,
  outs: Tensor[],
  inputs: readonly (Tensor | null | undefined)[],
  ctx: C,
  rule: BackwardRule<C>,
  freshGrads = true,
): Tensor {
  if (needsGrad(inputs)) {
    const next = new Array<Edge | null>(inputs.length);
    for (let i = 0; i < inputs.length; ++i) next[i] = inputs[i] ? edgeOf(inputs[i]!) : null;
    const node = new Node(name, next, ctx, rule as BackwardRule<object>, outs.length, freshGrads);
    for (let i = 0; i < outs.length; ++i) {
      const o = outs[i];
      moveRetained(o, node, i);
      o.requiresGrad = true;
      o.gradFn = node;
      o.outputNr = i;
    }
  }
  return outs[0];
}

// retainGrad() follows the tensor, as PyTorch's does: an in-place op that gives `o` a new node moves the mark there,
// so that o.grad is the gradient of o's new value (PyTorch's test_retain_grad_inplace).
export function moveRetained(o: Tensor, node: Node, output: number): void {
  const prev = o.gradFn;
  if (prev === null || prev.retained === null || prev.retained[o.outputNr] !== o) return;
  prev.retained[o.outputNr] = null;
  (node.retained ??= new Array<Tensor | null>(node.numOutputs).fill(null))[output] = o;
}
