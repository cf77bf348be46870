// The backward pass. From the roots' nodes it finds the graph, decides which nodes must run (all of
// them for backward(); for grad() only those on a path to a requested input), and runs each once,
// after every node that feeds it, with the gradients that arrived for it summed in one buffer per
// node output (PyTorch's input buffer). A node's saved values are released after it runs unless
// retainGraph is set.
//
// Gradients the engine may sum into in place, or hand to a leaf's .grad, are only those it knows no
// one else holds ("owned"): fresh outputs of built-in rules and its own sums. A gradient the user
// passed in, a hook returned, or a rule passed through to two inputs is copied before it is kept, so
// no .grad ever aliases a user's tensor or another .grad.
import { Tensor } from "../tensor.js";
import { fmt, sameShape } from "../shape.js";
import { noGrad } from "./grad-mode.js";
import { edgeOf, type Edge, type Node } from "./node.js";
import { addInto, binaryKernel, convert, dense } from "../ops/kernels.js";

export interface BackwardOptions {
  retainGraph?: boolean;
}

interface Grad {
  t: Tensor;
  owned: boolean;
}

// What a gradient that must not alias anything becomes: itself if owned and dense, else a copy.
function keepable(g: Grad, dtype = g.t.dtype): Tensor {
  return g.owned && g.t.dtype === dtype ? dense(g.t, dtype) : dense(g.t, dtype, true);
}

function sum(prev: Grad | null, g: Grad): Grad {
  if (!prev) return g;
  if (prev.owned && prev.t.isContiguous() && prev.t.dtype === g.t.dtype) {
    addInto(prev.t, g.t);
    return prev;
  }
  return { t: binaryKernel("add", prev.t, g.t, prev.t.shape), owned: true };
}

// Runs a node's hooks on the gradient of one of its outputs; a hook may return a replacement.
function runHooks(node: Node, output: number, g: Grad): Grad {
  const hooks = node.hooks?.[output];
  if (!hooks) return g;
  for (const hook of hooks.values()) {
    const r = hook(g.t);
    if (r === undefined || r === g.t) continue;
    if (!(r instanceof Tensor) || !sameShape(r.shape, g.t.shape))
      throw new Error(`backward: a hook on a tensor of shape ${fmt(g.t.shape)} returned ${r instanceof Tensor ? `a tensor of shape ${fmt(r.shape)}` : String(r)}; return a gradient of the same shape, or nothing`);
    g = { t: r, owned: false };
  }
  return g;
}

// A leaf's .grad is always a dense tensor of the leaf's own shape and dtype, never shared.
function accumulateLeaf(node: Node, g: Grad): void {
  const leaf = node.leaf!;
  if (!leaf.grad) leaf.grad = keepable(g, leaf.dtype);
  else if (leaf.grad.isContiguous() && sameShape(leaf.grad.shape, leaf.shape)) addInto(leaf.grad, convert(g.t, leaf.grad.dtype));
  else leaf.grad = dense(binaryKernel("add", leaf.grad, convert(g.t, leaf.grad.dtype), leaf.shape), leaf.dtype);
  for (const hook of node.postHooks?.values() ?? []) hook(leaf);
}

// Every node reachable from `starts`, children before parents.
function discover(starts: Node[]): Node[] {
  const order: Node[] = [], seen = new Set<Node>();
  const stack: [Node, number][] = [];
  for (const s of starts) {
    if (seen.has(s)) continue;
    seen.add(s);
    stack.push([s, 0]);
    while (stack.length) {
      const top = stack[stack.length - 1];
      const [node, i] = top;
      if (i < node.next.length) {
        top[1]++;
        const e = node.next[i];
        if (e && !seen.has(e.node)) {
          seen.add(e.node);
          stack.push([e.node, 0]);
        }
      } else {
        stack.pop();
        order.push(node);
      }
    }
  }
  return order;
}

// Runs the backward pass from roots with the given gradients (userGrads: whether each was passed
// by the user). With `targets`, returns the gradient arriving at each of those edges and runs only
// nodes that lead to one (tg.autograd.grad); leaves' .grad are not touched. Without, every node
// runs and leaves accumulate into .grad.
export function runBackward(
  roots: Tensor[], grads: Tensor[], userGrads: boolean[], opts: BackwardOptions, targets?: (Edge | null)[],
): (Tensor | null)[] {
  return noGrad(() => {
    const rootEdges = roots.map((r, i) => {
      if (!sameShape(grads[i].shape, r.shape))
        throw new Error(`backward: the gradient for the root has shape ${fmt(grads[i].shape)} but the root has shape ${fmt(r.shape)}`);
      return edgeOf(r)!;
    });
    const order = discover(rootEdges.map((e) => e.node));
    // Which nodes run: in capture mode, those with an input edge leading to a target.
    const targetNodes = new Set(targets?.filter((e): e is Edge => e !== null).map((e) => e.node));
    const reaches = new Set<Node>(), runs = new Set<Node>();
    for (const n of order) {
      const feeds = n.next.some((e) => e && reaches.has(e.node));
      if (targets ? feeds : true) runs.add(n);
      if (targetNodes.has(n) || (targets ? feeds : true)) reaches.add(n);
    }
    if (targets) for (const n of order) if (n.leaf) runs.delete(n);
    // Dependencies: how many running nodes feed each node.
    const deps = new Map<Node, number>();
    for (const n of runs) for (const e of n.next) if (e && reaches.has(e.node)) deps.set(e.node, (deps.get(e.node) ?? 0) + 1);

    const buffers = new Map<Node, (Grad | null)[]>();
    const deliver = (e: Edge, g: Grad) => {
      let buf = buffers.get(e.node);
      if (!buf) buffers.set(e.node, (buf = new Array<Grad | null>(e.node.numOutputs).fill(null)));
      buf[e.output] = sum(buf[e.output], g);
    };
    rootEdges.forEach((e, i) => deliver(e, { t: grads[i], owned: !userGrads[i] }));

    const captured = (targets ?? []).map(() => null as Tensor | null);
    const ready = [...new Set(rootEdges.map((e) => e.node))].filter((n) => !deps.get(n));
    while (ready.length) {
      const node = ready.pop()!;
      const buf = buffers.get(node) ?? [];
      buffers.delete(node);
      for (let i = 0; i < buf.length; ++i) {
        if (!buf[i]) continue;
        buf[i] = runHooks(node, i, buf[i]!);
        const kept = node.retained?.[i];
        if (kept && !targets) kept.grad = kept.grad ? binaryKernel("add", kept.grad, buf[i]!.t, kept.shape) : keepable(buf[i]!);
      }
      targets?.forEach((e, k) => {
        const g = e && e.node === node ? buf[e.output] : null;
        if (g) captured[k] = keepable(g), buf[e!.output] = { t: captured[k]!, owned: false };
      });
      if (runs.has(node) && buf.some((g) => g)) {
        if (node.leaf) accumulateLeaf(node, buf[0]!);
        else passOn(node, buf, deliver);
      }
      if (!opts.retainGraph) node.release();
      for (const e of node.next) {
        if (!e || !runs.has(node) || !reaches.has(e.node)) continue;
        const left = deps.get(e.node)! - 1;
        deps.set(e.node, left);
        if (left === 0) ready.push(e.node);
      }
    }
    return captured;
  });
}

// Runs node's rule on its buffered gradients and delivers the results along its edges.
function passOn(node: Node, buf: (Grad | null)[], deliver: (e: Edge, g: Grad) => void): void {
  const out = node.apply(buf.map((g) => (g ? g.t : null)));
  if (out.length !== node.next.length)
    throw new Error(`backward: ${node.name} returned ${out.length} gradients for ${node.next.length} inputs`);
  // A returned gradient is owned when the rule is built in, no other returned gradient shares its
  // storage, and it is not a view of a received gradient that was not owned.
  const received = new Map(buf.filter((g): g is Grad => g !== null).map((g) => [g.t.storage, g.owned]));
  const uses = new Map<Tensor["storage"], number>();
  for (const g of out) if (g) uses.set(g.storage, (uses.get(g.storage) ?? 0) + 1);
  out.forEach((g, i) => {
    const e = node.next[i];
    if (!g || !e) return;
    if (!sameShape(g.shape, e.shape))
      throw new Error(`backward: ${node.name} produced a gradient of shape ${fmt(g.shape)} for input ${i} of shape ${fmt(e.shape)}`);
    const owned = node.freshGrads && uses.get(g.storage) === 1 && received.get(g.storage) !== false;
    deliver(e, { t: g, owned });
  });
}
