// A node on the tape: the op that made a tensor, its inputs, and its local backward rule.
// The rule closes over what it saved from the forward pass; dropping the rule after backward
// frees those saved tensors.
import type { Tensor } from "../tensor.js";
import { isGradEnabled } from "./grad-mode.js";
import { versionOf } from "./version.js";

// Given dL/d(output), returns dL/d(input) for each input (null where an input needs none).
export type BackwardFn = (grad: Tensor) => (Tensor | null)[];

export class Node {
  // Set by retainGrad(): the non-leaf output whose .grad should be kept.
  retained: Tensor | null = null;

  // Storage versions of the inputs and the output when the op ran (see version.ts).
  private readonly versions: number[];

  constructor(
    readonly name: string,
    public inputs: Tensor[],
    public backward: BackwardFn | null,
    private readonly output: Tensor,
  ) {
    this.versions = inputs.map((t) => versionOf(t.storage));
    this.versions.push(versionOf(output.storage));
    for (const t of inputs) t.graphUses++;
    output.graphUses++;
  }

  // Throws if an input or the output was modified in place after this op recorded it: the
  // backward rule would read changed values and give a silently wrong gradient.
  checkVersions(): void {
    const all = [...this.inputs, this.output];
    all.forEach((t, i) => {
      if (versionOf(t.storage) !== this.versions[i])
        throw new Error(
          `backward: a tensor of shape [${t.shape.join(", ")}] needed by ${this.name} was modified in place after it was ` +
            `used (fill_/zero_/copy_ or an optimizer step); clone() it before changing it, or change it after backward().`,
        );
    });
  }

  get freed(): boolean {
    return this.backward === null;
  }

  // Drops the rule and what it saved; inputs disposed while this op waited for backward are
  // released now. `cascade` (the output was disposed, not backward run): the ops behind such an
  // input are unreachable too and are freed in turn.
  free(cascade = false): void {
    if (this.backward === null) return;
    const inputs = this.inputs;
    this.backward = null;
    this.inputs = [];
    for (const t of inputs) t.releaseGraphUse(cascade);
    this.output.releaseGraphUse(cascade);
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
  out.gradFn = new Node(name, inputs, backward, out);
  return out;
}
