// The one place the graph drawings read the autograd tape: which op made a tensor and from
// which inputs. Adapting the drawings to a new tape node means changing only this file.
import { Tensor } from "../tensor.js";
import type { Edge, Node } from "../autograd/node.js";

export interface Producer {
  /** The op's name as recorded (e.g. "MulBackward0"). */
  name: string;
  /**
   * The op's inputs that need a gradient, in argument order: a parameter (leaf) itself, or a stand-in
   * for an intermediate result (its shape and producer; no data). The graph keeps nothing else, so
   * data that needs no gradient is not part of it (as in PyTorch's graph, which torchviz draws).
   */
  inputs: readonly Tensor[];
}

// One stand-in per intermediate output, so an intermediate used twice is one node.
const standIns = new WeakMap<Node, Tensor[]>();
function tensorFor(e: Edge): Tensor {
  if (e.node.leaf) return e.node.leaf;
  const list = standIns.get(e.node) ?? [];
  standIns.set(e.node, list);
  if (!list[e.output]) {
    const t = new Tensor(new Float32Array(0), e.shape.slice(), e.shape.map(() => 0), 0, "float32");
    t.requiresGrad = true;
    t.gradFn = e.node;
    t.outputNr = e.output;
    list[e.output] = t;
  }
  return list[e.output];
}

/**
 * The op that produced `t`, or null for a leaf (an input, a parameter or a constant).
 * @throws Error when backward() already freed the op.
 */
export function producerOf(t: Tensor): Producer | null {
  const node = t.gradFn;
  if (!node) return null;
  if (node.released)
    throw new Error(
      `viz: the graph behind ${node.name} was freed by backward(); draw the graph before calling backward(), or call backward({retainGraph: true})`,
    );
  return { name: node.name, inputs: node.next.filter((e): e is Edge => e !== null).map(tensorFor) };
}
