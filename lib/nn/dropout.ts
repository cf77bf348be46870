// Dropout layers: drop in training mode, identity in eval mode (model.eval()).
import type { Tensor } from "../tensor.js";
import { options } from "../options.js";
import { dropout, dropout2d, type DropoutOptions } from "../ops/dropout.js";
import { Module } from "./module.js";
import { pyFloat } from "./repr.js";
import { refuseSurplus } from "../arity.js";

// What both dropout layers share: p, checked once, and PyTorch's extra_repr.
abstract class DropoutLayer extends Module {
  readonly p: number;
  constructor(opts: { p?: number }, op: string, private readonly fn: (x: Tensor, o: DropoutOptions) => Tensor) {
    super();
    const p = options(op, opts, ["p"]).p ?? 0.5;
    if (typeof p !== "number" || !(p >= 0 && p <= 1)) throw new RangeError(`${op}: p must be a probability in [0, 1], got ${p}`);
    this.p = p;
  }
  forward(x: Tensor): Tensor {
    return this.fn(x, { p: this.p, training: this.training });
  }
  override extraRepr(): string {
    return `p=${pyFloat(this.p)}, inplace=False`;
  }
}

/** Element dropout with inverted scaling (PyTorch's nn.Dropout): `new Dropout({p})`, p defaulting to 0.5. */
export class Dropout extends DropoutLayer {
  constructor(opts: { p?: number } = {}) {
    refuseSurplus(Dropout, arguments.length, opts);
    super(opts, "Dropout", dropout);
  }
}

/** Channel dropout over `[N, C, H, W]` (PyTorch's nn.Dropout2d): `new Dropout2d({p})`. */
export class Dropout2d extends DropoutLayer {
  constructor(opts: { p?: number } = {}) {
    refuseSurplus(Dropout2d, arguments.length, opts);
    super(opts, "Dropout2d", dropout2d);
  }
}
