// A node on the tape: the op that made a tensor, its inputs, and its local backward rule.
// The rule closes over what it saved from the forward pass; dropping the rule after backward
// frees those saved tensors.
import type { Tensor } from "../tensor.js";
import { isGradEnabled } from "./grad-mode.js";

// Given dL/d(output), returns dL/d(input) for each input (null where an input needs none).
export type BackwardFn = (grad: Tensor) => (Tensor | null)[];

export class Node {
  // Set by retainGrad(): the non-leaf output whose .grad should be kept.
  retained: Tensor | null = null;

  constructor(
    readonly name: string,
    public inputs: Tensor[],
    public backward: BackwardFn | null,
  ) {}

  get freed(): boolean {
    return this.backward === null;
  }

  free(): void {
    this.backward = null;
    this.inputs = [];
  }
}

// Records `out` as produced by `name` from `inputs` when grad mode is on and any input requires
// grad. Returns `out` so ops can end with `return record(...)`.
export function record(out: Tensor, name: string, inputs: Tensor[], backward: BackwardFn): Tensor {
  if (!isGradEnabled()) return out;
  let needs = false;
  for (const t of inputs) needs ||= t.requiresGrad;
  if (!needs) return out;
  out.requiresGrad = true;
  out.gradFn = new Node(name, inputs, backward);
  return out;
}
