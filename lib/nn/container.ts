// Sequential: runs its children in order; they are named "0", "1", … so stateDict keys read
// "0.weight", "2.bias" as in PyTorch.
import type { Tensor } from "../tensor.js";
import { Module } from "./module.js";

export class Sequential extends Module {
  constructor(...modules: Module[]) {
    super();
    for (const m of modules) this.append(m);
  }

  get length(): number {
    let n = 0;
    while (this.#get(n) !== undefined) ++n;
    return n;
  }

  append(m: Module): this {
    if (!(m instanceof Module)) throw new TypeError(`Sequential: expected a Module, got ${m === null ? "null" : typeof m}`);
    this.registerModule(String(this.length), m);
    return this;
  }

  // The i-th child; negative i counts from the end.
  at(i: number): Module {
    const n = this.length, k = i < 0 ? i + n : i;
    if (!Number.isInteger(i) || k < 0 || k >= n) throw new RangeError(`Sequential.at: index ${i} is out of range for ${n} modules`);
    return this.#get(k)!;
  }

  *[Symbol.iterator](): Generator<Module> {
    yield* this.children();
  }

  // Runs the children in order; where a child offers a fused form with the next one (Module.fuseWith,
  // e.g. Linear then ReLU), that runs instead of the two.
  forward(x: Tensor): Tensor {
    const mods = [...this.children()];
    for (let i = 0; i < mods.length; ++i) {
      const fused = mods[i].fuseWith(mods[i + 1]);
      x = fused ? fused(x) : mods[i].forward(x);
      if (fused) ++i;
    }
    return x;
  }

  #get(i: number): Module | undefined {
    const v = (this as Record<string, unknown>)[String(i)];
    return v instanceof Module ? v : undefined;
  }
}
