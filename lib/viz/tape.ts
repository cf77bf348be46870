// The one place the graph drawings read the autograd tape: which op made a tensor and from
// which inputs. Adapting the drawings to a new tape node means changing only this file.
import type { Tensor } from "../tensor.js";

export interface Producer {
  /** The op's name as recorded (e.g. "MulBackward"). */
  name: string;
  /** The op's input tensors, in argument order. */
  inputs: readonly Tensor[];
}

/**
 * The op that produced `t`, or null for a leaf (an input, a parameter or a constant).
 * @throws Error when backward() already freed the op (its inputs are gone).
 */
export function producerOf(t: Tensor): Producer | null {
  const node = t.gradFn;
  if (!node) return null;
  if (node.freed)
    throw new Error(
      `viz: the graph behind ${node.name} was freed by backward(); draw the graph before calling backward(), or call backward({retainGraph: true})`,
    );
  return { name: node.name, inputs: node.inputs };
}
