// The backward pass. From the roots' nodes it finds the graph, decides which nodes must run (all of
// them for backward(); for grad() only those on a path to a requested input), and runs each once,
// after every node that feeds it, with the gradients that arrived for it summed in one buffer per
// node output (PyTorch's input buffer). A node's saved values are released after it runs unless
// retainGraph is set.
//
// Bookkeeping lives on the nodes (Node.pass/flags/pending/buffer) rather than in Maps and Sets: a
// small model's backward is mostly bookkeeping, and hashing it cost more than its kernels. For the
// same reason the loops here are indexed, with no callbacks: this code runs once or a few times per
// step, so for the first few hundred steps of a program V8 runs it unoptimised, where `for…of`
// allocates an iterator result per element and each callback is a call. A pass
// nested in another (a hook that calls backward) saves and restores the scratch state of the nodes
// the two share.
//
// Gradients the engine may sum into in place, or hand to a leaf's .grad, are only those it knows no
// one else holds ("owned"): fresh outputs of built-in rules and its own sums. A gradient the user
// passed in, a hook returned, or a rule passed through to two inputs is copied before it is kept, so
// no .grad ever aliases a user's tensor or another .grad. An owned gradient that a node has used up
// (summed into another, or read by the node's rule and not passed on) is disposed at once, so its
// memory is reused by the next gradient instead of waiting for the garbage collector.
import { gradOf, setGradUnseen, Tensor } from "../tensor.js";
import { fmt, sameShape } from "../shape.js";
import { withoutGrad } from "./grad-mode.js";
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
  let out: Grad;
  if (prev.owned && prev.t.isContiguous() && prev.t.dtype === g.t.dtype) {
    addInto(prev.t, g.t);
    out = prev;
  } else {
    out = { t: binaryKernel("add", prev.t, g.t, prev.t.shape), owned: true };
    release(prev, out.t);
  }
  release(g, out.t);
  return out;
}

// Disposes an owned gradient the engine has used up, unless `kept` shares its storage or a node
// saved it (no built-in rule saves a gradient, but a user Function's forward may have been given one).
function release(g: Grad, kept: Tensor | null): void {
  const t = g.t;
  if (g.owned && t.storage !== kept?.storage && t.graphUses === 0) t.dispose();
}

// Runs a node's hooks on the gradient of one of its outputs; a hook may return a replacement. A
// gradient a hook has seen is no longer owned: the hook may have kept it, so it must not be summed
// into, adopted as a .grad (later accumulated into in place) or disposed.
function runHooks(node: Node, output: number, g: Grad): Grad {
  const hooks = node.hooks?.[output];
  if (!hooks?.size) return g;
  g = { t: g.t, owned: false };
  for (const hook of hooks.values()) {
    const r = hook(g.t), replaced = r !== undefined && r !== g.t;
    if (replaced) {
      if (!(r instanceof Tensor) || !sameShape(r.shape, g.t.shape))
        throw new Error(`backward: a hook on a tensor of shape ${fmt(g.t.shape)} returned ${r instanceof Tensor ? `a tensor of shape ${fmt(r.shape)}` : String(r)}; return a gradient of the same shape, or nothing`);
      g = { t: r, owned: false };
    }
    if (g.t.disposeState === "disposed")
      throw new Error(`backward: a hook on a tensor of shape ${fmt(g.t.shape)} ${replaced ? "returned a disposed tensor" : "disposed the gradient it was given"}; ` +
        "a hook may read, keep or replace the gradient, but backward still needs it: leave it undisposed");
  }
  return g;
}

// A leaf's .grad is always a dense tensor of the leaf's own shape and dtype, never shared. An existing
// dense .grad (kept by zeroGrad({setToNone: false}), or a second backward) is added to in place, and the gradient
// added, used up, goes back to the cache at once (unless a hook saw it: then it is not owned).
function accumulateLeaf(node: Node, g: Grad): void {
  const leaf = node.leaf!;
  if (leaf.isDisposed) return release(g, null);  // its handle has ended: a disposed tensor's .grad reads null
  let grad = gradOf(leaf);
  if (grad?.disposeState === "disposed")
    throw new Error(`backward: the .grad of a leaf of shape ${fmt(leaf.shape)} was disposed; set .grad = null (or zeroGrad()) instead of disposing it`);
  if (!grad) setGradUnseen(leaf, keepable(g, leaf.dtype));
  else {
    const add = convert(g.t, grad.dtype);
    if (grad.isContiguous() && sameShape(grad.shape, leaf.shape)) addInto(grad, add);
    else setGradUnseen(leaf, (grad = dense(binaryKernel("add", grad, add, leaf.shape), leaf.dtype)));
    if (add !== g.t) add.dispose();
    release(g, grad);
  }
  if (node.postHooks !== null) for (const hook of node.postHooks.values()) hook(leaf);
}

// Flags of Node.flags during a pass.
const RUNS = 1, REACHES = 2, QUEUED = 4;
let passes = 0;

// Every node reachable from `starts`, children before parents, each marked as visited by `pass`
// (its scratch state reset). A node an enclosing pass is visiting has its state pushed to `saved`.
function discover(starts: Node[], pass: number, saved: unknown[]): Node[] {
  const order: Node[] = [], nodes: Node[] = [], edge: number[] = [];
  for (let k = 0; k < starts.length; ++k) {
    const s = starts[k];
    if (s.pass === pass) continue;
    visit(s, pass, saved, nodes, edge);
    while (nodes.length) {
      const top = nodes.length - 1, node = nodes[top];
      if (edge[top] < node.next.length) {
        const e = node.next[edge[top]++];
        if (e && e.node.pass !== pass) visit(e.node, pass, saved, nodes, edge);
      } else {
        nodes.pop(), edge.pop();
        order.push(node);
      }
    }
  }
  return order;
}

// Marks n as visited by `pass` (saving an enclosing pass's state of it) and pushes it on the DFS stack.
function visit(n: Node, pass: number, saved: unknown[], nodes: Node[], edge: number[]): void {
  if (n.pass !== 0) saved.push(n, n.pass, n.flags, n.pending, n.buffer);
  n.pass = pass, n.flags = 0, n.pending = 0, n.buffer = null;
  nodes.push(n), edge.push(0);
}

// Clears the scratch state of a finished pass's nodes, and gives back what an enclosing pass had there.
function endPass(order: Node[], saved: unknown[]): void {
  for (let k = 0; k < order.length; ++k) order[k].pass = 0, order[k].buffer = null;
  for (let i = saved.length - 5; i >= 0; i -= 5) {
    const n = saved[i] as Node;
    n.pass = saved[i + 1] as number, n.flags = saved[i + 2] as number, n.pending = saved[i + 3] as number;
    n.buffer = saved[i + 4] as (Grad | null)[] | null;
  }
}

// Adds g into the buffer of the node e leads to, at e's output.
function deliver(e: Edge, g: Grad): void {
  const node = e.node;
  let buf = node.buffer as (Grad | null)[] | null;
  if (buf === null) {
    buf = [];
    for (let i = 0; i < node.numOutputs; ++i) buf.push(null);
    node.buffer = buf;
  }
  buf[e.output] = sum(buf[e.output], g);
}

// Runs the backward pass from roots with the given gradients (userGrads: whether each was passed
// by the user). With `targets`, returns the gradient arriving at each of those edges and runs only
// nodes that lead to one (tg.autograd.grad); leaves' .grad are not touched. Without, every node
// runs and leaves accumulate into .grad.
export function runBackward(
  roots: Tensor[], grads: Tensor[], userGrads: boolean[], opts: BackwardOptions, targets?: (Edge | null)[],
): (Tensor | null)[] {
  const rootEdges: Edge[] = [], starts: Node[] = [];
  for (let i = 0; i < roots.length; ++i) {
    const r = roots[i];
    if (!sameShape(grads[i].shape, r.shape))
      throw new Error(`backward: the gradient for the root has shape ${fmt(grads[i].shape)} but the root has shape ${fmt(r.shape)}`);
    const e = edgeOf(r)!;
    rootEdges.push(e), starts.push(e.node);
  }
  const pass = ++passes, saved: unknown[] = [];
  const order = discover(starts, pass, saved);
  try {
    return withoutGrad(() => runPass(order, rootEdges, grads, userGrads, !!opts.retainGraph, targets));
  } finally {
    endPass(order, saved);
  }
}

// Which nodes run and which lead somewhere: for backward() all of them; in capture mode
// (tg.autograd.grad) a node reaches a target if it is one or feeds one that does, and runs if it
// feeds one (leaves never run). `order` lists children before parents.
function markNodes(order: Node[], targets: (Edge | null)[] | undefined): void {
  if (!targets) {
    for (let k = 0; k < order.length; ++k) order[k].flags |= RUNS | REACHES;
    return;
  }
  const targetNodes = targets.filter((e): e is Edge => e !== null).map((e) => e.node);
  for (const n of order) {
    let feeds = false;
    for (const e of n.next) if (e && e.node.flags & REACHES) feeds = true;
    n.flags |= (feeds && !n.leaf ? RUNS : 0) | (feeds || targetNodes.includes(n) ? REACHES : 0);
  }
}

function runPass(
  order: Node[], rootEdges: Edge[], grads: Tensor[], userGrads: boolean[], retainGraph: boolean, targets?: (Edge | null)[],
): (Tensor | null)[] {
  markNodes(order, targets);
  // Dependencies: how many running nodes feed each node.
  for (let k = 0; k < order.length; ++k) {
    const n = order[k];
    if (!(n.flags & RUNS)) continue;
    for (let j = 0; j < n.next.length; ++j) {
      const e = n.next[j];
      if (e && e.node.flags & REACHES) e.node.pending++;
    }
  }
  for (let i = 0; i < rootEdges.length; ++i) deliver(rootEdges[i], { t: grads[i], owned: !userGrads[i] });

  const captured: (Tensor | null)[] = [];
  if (targets) for (let k = 0; k < targets.length; ++k) captured.push(null);
  const ready: Node[] = [];
  for (let i = 0; i < rootEdges.length; ++i) {
    const n = rootEdges[i].node;
    if (!(n.flags & QUEUED) && n.pending === 0) n.flags |= QUEUED, ready.push(n);
  }
  while (ready.length) {
    const node = ready.pop()!;
    const buf = node.buffer as (Grad | null)[] | null;
    node.buffer = null;
    const any = buf !== null && prepareGrads(node, buf, targets === undefined);
    if (targets) capture(node, buf, targets, captured);
    const runs = (node.flags & RUNS) !== 0;
    if (runs && any) {
      if (node.leaf) accumulateLeaf(node, buf![0]!);
      else passOn(node, buf!);
    }
    if (!retainGraph) node.release();
    if (!runs) continue;
    for (let j = 0; j < node.next.length; ++j) {
      const e = node.next[j];
      if (!e || !(e.node.flags & REACHES)) continue;
      if (--e.node.pending === 0) e.node.flags |= QUEUED, ready.push(e.node);
    }
  }
  return captured;
}

// Runs the hooks on each gradient that arrived at node and keeps it where retainGrad() asked
// (`keep`: false in capture mode); returns whether any gradient arrived.
function prepareGrads(node: Node, buf: (Grad | null)[], keep: boolean): boolean {
  let any = false;
  for (let i = 0; i < buf.length; ++i) {
    if (!buf[i]) continue;
    any = true;
    if (node.hooks !== null) buf[i] = runHooks(node, i, buf[i]!);
    const kept = node.retained === null ? undefined : node.retained[i];
    if (!kept || kept.disposeState !== "live") continue;  // disposed since retainGrad(): no handle to keep it on
    if (keep) kept.grad = kept.grad ? binaryKernel("add", kept.grad, buf[i]!.t, kept.shape) : keepable(buf[i]!);
    if (kept.grad === buf[i]!.t) buf[i] = { t: kept.grad, owned: false };
  }
  return any;
}

// Capture mode: the gradient arriving at each target edge that leads to node (a copy, which the
// rest of the pass may not sum into).
function capture(node: Node, buf: (Grad | null)[] | null, targets: (Edge | null)[], captured: (Tensor | null)[]): void {
  for (let k = 0; k < targets.length; ++k) {
    const e = targets[k];
    const g = buf && e && e.node === node ? buf[e.output] : null;
    if (g) captured[k] = keepable(g), buf![e!.output] = { t: captured[k]!, owned: false };
  }
}

// Runs node's rule on its buffered gradients and delivers the results along its edges; then
// disposes the owned gradients it read and did not pass on.
function passOn(node: Node, buf: (Grad | null)[]): void {
  const grads: (Tensor | null)[] = [];
  for (let k = 0; k < buf.length; ++k) grads.push(buf[k] ? buf[k]!.t : null);
  const out = node.apply(grads);
  if (out.length !== node.next.length)
    throw new Error(`backward: ${node.name} returned ${out.length} gradients for ${node.next.length} inputs`);
  // A returned gradient is owned when the rule is built in, no other returned gradient shares its
  // storage, and it is not a view of a received gradient that was not owned.
  for (let i = 0; i < out.length; ++i) {
    const g = out[i], e = node.next[i];
    if (!g || !e) continue;
    if (!sameShape(g.shape, e.shape))
      throw new Error(`backward: ${node.name} produced a gradient of shape ${fmt(g.shape)} for input ${i} of shape ${fmt(e.shape)}`);
    let owned = node.freshGrads;
    for (let j = 0; owned && j < out.length; ++j) if (j !== i && out[j] && out[j]!.storage === g.storage) owned = false;
    for (let k = 0; owned && k < buf.length; ++k) {
      const r = buf[k];
      if (r && !r.owned && r.t.storage === g.storage) owned = false;
    }
    if (e.node.flags & REACHES) deliver(e, { t: g, owned });
  }
  // A user Function's backward may keep what it was given; built-in rules never do.
  if (!node.freshGrads) return;
  for (let k = 0; k < buf.length; ++k) {
    const r = buf[k];
    if (r && !sharesStorage(out, r.t)) release(r, null);
  }
}

// Whether one of `grads` is over t's storage.
function sharesStorage(grads: (Tensor | null)[], t: Tensor): boolean {
  for (let j = 0; j < grads.length; ++j) if (grads[j] && grads[j]!.storage === t.storage) return true;
  return false;
}
