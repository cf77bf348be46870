// Reverse-mode differentiation over the tape: visit nodes in reverse topological order, apply
// each node's local rule to the gradient flowing into it, and add gradients where the graph
// branches. After a pass the nodes' saved tensors are freed unless retainGraph is set.
import type { Tensor } from "../tensor.js";
import { noGrad } from "./grad-mode.js";
import type { Node } from "./node.js";
import { fmt, sameShape } from "../shape.js";
import { add } from "../ops/elementwise.js";
import { contiguous, toDType } from "../ops/copy.js";

export interface BackwardOptions {
  retainGraph?: boolean;
}

// Nodes reachable from the roots, each after every node that consumes its output.
function topoOrder(roots: Tensor[]): Node[] {
  const order: Node[] = [];
  const seen = new Set<Node>();
  const stack: [Node, number][] = [];
  for (const r of roots) {
    if (!r.gradFn || seen.has(r.gradFn)) continue;
    seen.add(r.gradFn);
    stack.push([r.gradFn, 0]);
    while (stack.length) {
      const top = stack[stack.length - 1];
      const [node, i] = top;
      if (node.freed)
        throw new Error(
          `backward: trying to backward through the graph a second time (at ${node.name}); its saved tensors were ` +
            `freed after the first backward. Pass {retainGraph: true} to the first backward() if you need to run it twice.`,
        );
      if (i < node.inputs.length) {
        top[1]++;
        const next = node.inputs[i].gradFn;
        if (next && !seen.has(next)) {
          seen.add(next);
          stack.push([next, 0]);
        }
      } else {
        stack.pop();
        order.push(node);
      }
    }
  }
  return order.reverse();
}

function accumulate(prev: Tensor | null | undefined, g: Tensor): Tensor {
  return prev ? add(prev, g) : g;
}

// A leaf's .grad is always a dense tensor of the leaf's own shape and dtype.
function asLeafGrad(g: Tensor, leaf: Tensor): Tensor {
  const d = g.dtype === leaf.dtype ? g : toDType(g, leaf.dtype);
  return d.isContiguous() && d.offset === 0 && d.storage.length === d.numel ? d : contiguous(d, true);
}

// Runs the backward pass. With `capture`, gradients for those tensors are returned in it and
// no .grad is touched (tg.autograd.grad); otherwise leaves accumulate into .grad.
export function runBackward(roots: Tensor[], grads: Tensor[], opts: BackwardOptions, capture?: Map<Tensor, Tensor | null>): void {
  noGrad(() => {
    const order = topoOrder(roots);
    const pending = new Map<Node, Tensor>();
    const byNode = new Map<Node, Tensor>();
    if (capture) for (const t of capture.keys()) if (t.gradFn) byNode.set(t.gradFn, t);

    const deliver = (t: Tensor, g: Tensor, where: string) => {
      if (!sameShape(g.shape, t.shape))
        throw new Error(`backward: ${where} produced a gradient of shape ${fmt(g.shape)} for an input of shape ${fmt(t.shape)}`);
      if (t.gradFn) pending.set(t.gradFn, accumulate(pending.get(t.gradFn), g));
      else if (capture) {
        if (capture.has(t)) capture.set(t, accumulate(capture.get(t), g));
      } else if (t.requiresGrad) t.grad = asLeafGrad(accumulate(t.grad, g), t);
    };
    roots.forEach((r, i) => deliver(r, grads[i], "the root"));

    for (const node of order) {
      const g = pending.get(node);
      pending.delete(node);
      if (!g) {
        if (!opts.retainGraph) node.free();
        continue;
      }
      const target = byNode.get(node);
      if (target) capture!.set(target, g);
      if (node.retained && !capture) node.retained.grad = accumulate(node.retained.grad, g);
      node.checkVersions();
      const gin = node.backward!(g);
      node.inputs.forEach((inp, i) => {
        const gi = gin[i];
        if (gi && inp.requiresGrad) deliver(inp, gi, node.name);
      });
      if (!opts.retainGraph) node.free();
    }
  });
}
