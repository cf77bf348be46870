// Sequential: runs its children in order; they are named "0", "1", … so stateDict keys read
// "0.weight", "2.bias" as in PyTorch.
import type { Tensor } from "../tensor.js";
import { Module } from "./module.js";
import { keepsNoTensors } from "./stateless.js";
import { checkModule, indexedAt, indexedLength } from "./module-list.js";

/**
 * Runs its children in order, each output feeding the next; children are named "0", "1", … so
 * `stateDict()` keys read `0.weight`, `2.bias` as in PyTorch. A `Linear` or a `Conv2d` followed by a `ReLU` runs as
 * one fused native call (`Linear.fuseWith`, `Conv2d.fuseWith`). An intermediate output passed between two of
 * tensorgrad's own stateless layers is disposed once consumed (its memory returns after backward has used it;
 * see the README's Memory section). Indexing: `seq.at(i)`, `seq.length`. Mirrors `torch.nn.Sequential`.
 * @throws TypeError when a child is not a Module.
 */
export class Sequential extends Module {
  constructor(...modules: Module[]) {
    super();
    for (const m of modules) this.append(m);
  }

  get length(): number {
    return indexedLength(this);
  }

  append(m: Module): this {
    checkModule("Sequential", m);
    this.registerModule(String(this.length), m);
    return this;
  }

  // The i-th child; negative i counts from the end.
  at(i: number): Module {
    return indexedAt(this, i, "Sequential.at");
  }

  *[Symbol.iterator](): Generator<Module> {
    yield* this.children();
  }

  // Runs the children in order; where a child offers a fused form with the next one (Module.fuseWith,
  // e.g. Linear then ReLU), that runs instead of the two.
  forward(x: Tensor, ...extra: unknown[]): Tensor {
    if (extra.length > 0 || arguments.length === 0)
      throw new TypeError(`Sequential.forward: takes one input (each child gets the previous child's output), got ${arguments.length} arguments`);
    // The children() order without its generators (this runs every step).
    const values = Object.values(this), mods: Module[] = [];
    for (let i = 0; i < values.length; ++i) if (values[i] instanceof Module) mods.push(values[i]);
    // `made`: x is an output the previous child made (not this call's input, nor the tensor that child was
    // given) and that child keeps nothing; once a child that keeps nothing has consumed it and returned
    // another tensor, x is disposed (stateless.ts): its memory is free for the next step's activations.
    let made = false;
    for (let i = 0; i < mods.length; ++i) {
      const fused = mods[i].fuseWith(mods[i + 1]);
      const keeps = !keepsNoTensors(mods[i]) || (fused !== null && !keepsNoTensors(mods[i + 1]));
      const y = fused ? fused(x) : mods[i].forward(x);
      if (fused) ++i;
      if (made && !keeps && y !== x) x.dispose();
      made = !keeps && y !== x;
      x = y;
    }
    return x;
  }
}
