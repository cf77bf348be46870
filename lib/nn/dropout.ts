// Dropout layers: drop in training mode, identity in eval mode (model.eval()).
import type { Tensor } from "../tensor.js";
import { options } from "../options.js";
import { dropout, dropout2d } from "../ops/dropout.js";
import { Module } from "./module.js";
import { pyFloat } from "./repr.js";

function probability(p: number, op: string): number {
  if (typeof p !== "number" || !(p >= 0 && p <= 1)) throw new RangeError(`${op}: p must be a probability in [0, 1], got ${p}`);
  return p;
}

/** Element dropout with inverted scaling (PyTorch's nn.Dropout): `new Dropout({p})`, p defaulting to 0.5. */
export class Dropout extends Module {
  readonly p: number;
  constructor(opts: { p?: number } = {}) {
    super();
    this.p = probability(options("Dropout", opts, ["p"]).p ?? 0.5, "Dropout");
  }
  forward(x: Tensor): Tensor {
    return dropout(x, { p: this.p, training: this.training });
  }
  override extraRepr(): string {
    return `p=${pyFloat(this.p)}, inplace=False`;
  }
}

/** Channel dropout over `[N, C, H, W]` (PyTorch's nn.Dropout2d): `new Dropout2d({p})`. */
export class Dropout2d extends Module {
  readonly p: number;
  constructor(opts: { p?: number } = {}) {
    super();
    this.p = probability(options("Dropout2d", opts, ["p"]).p ?? 0.5, "Dropout2d");
  }
  forward(x: Tensor): Tensor {
    return dropout2d(x, { p: this.p, training: this.training });
  }
  override extraRepr(): string {
    return `p=${pyFloat(this.p)}, inplace=False`;
  }
}
