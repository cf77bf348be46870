// Sequential: runs its children in order; they are named "0", "1", … so stateDict keys read
// "0.weight", "2.bias" as in PyTorch.
import type { Tensor } from "../tensor.js";
import { Module } from "./module.js";
import { Linear } from "./linear.js";
import { ReLU } from "./activation.js";
import { linear as fusedLinear } from "../ops/fused.js";
import { hasForwardHooks } from "./hooks.js";
import { checkModule, indexedAt, indexedLength } from "./module-list.js";

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

  // A Linear followed by a ReLU runs as one fused native op (bias and ReLU applied around one
  // GEMM); values and gradients are those of the two modules. Subclasses are left alone, since
  // they may override forward, and so are modules with hooks, which must see their own call.
  forward(x: Tensor): Tensor {
    const mods = [...this.children()];
    for (let i = 0; i < mods.length; ++i) {
      const m = mods[i];
      const fuse = m.constructor === Linear && mods[i + 1]?.constructor === ReLU && !hasForwardHooks(m) && !hasForwardHooks(mods[i + 1]);
      if (fuse && x.ndim === 2 && x.dtype === (m as Linear).weight.dtype) {
        const lin = m as Linear;
        x = fusedLinear(x, lin.weight, lin.bias ?? undefined, { relu: true });
        ++i;
      } else {
        x = m.forward(x);
      }
    }
    return x;
  }
}
