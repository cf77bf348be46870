// Flatten and Unflatten: reshapes between a conv stack and a linear head (views when contiguous).
import { Tensor } from "../tensor.js";
import { fmt, normalizeDim } from "../shape.js";
import { options } from "../options.js";
import { flatten, reshape } from "../ops/views.js";
import { Module } from "./module.js";
import { pyTuple } from "./repr.js";
import { refuseSurplus } from "../arity.js";

/** Flattens dims startDim..endDim into one (PyTorch's nn.Flatten): `new Flatten({startDim: 1, endDim: -1})`. */
export class Flatten extends Module {
  readonly startDim: number;
  readonly endDim: number;
  constructor(opts: { startDim?: number; endDim?: number } = {}) {
    refuseSurplus(Flatten, arguments.length, opts);
    super();
    const o = options("Flatten", opts, ["startDim", "endDim"]);
    this.startDim = o.startDim ?? 1;
    this.endDim = o.endDim ?? -1;
  }
  forward(x: Tensor): Tensor {
    return flatten(x, this.startDim, this.endDim);
  }
  override extraRepr(): string {
    return `start_dim=${this.startDim}, end_dim=${this.endDim}`;
  }
}

/**
 * Splits dim `dim` into `unflattenedSize` (PyTorch's nn.Unflatten): `new Unflatten(1, [16, 5, 5])`; one
 * size may be −1.
 * @throws Error naming the shapes when the sizes do not multiply to that dim's size.
 */
export class Unflatten extends Module {
  readonly unflattenedSize: number[];
  constructor(readonly dim: number, unflattenedSize: number[]) {
    refuseSurplus(Unflatten, arguments.length);
    super();
    if (!Number.isInteger(dim)) throw new TypeError(`Unflatten: dim must be an integer, got ${dim}`);
    if (!Array.isArray(unflattenedSize) || unflattenedSize.length === 0 || !unflattenedSize.every((d) => Number.isInteger(d) && d >= -1))
      throw new TypeError(`Unflatten: unflattenedSize must be a non-empty array of sizes, got ${String(unflattenedSize)}`);
    this.unflattenedSize = [...unflattenedSize];
  }
  forward(x: Tensor): Tensor {
    if (!(x instanceof Tensor)) throw new TypeError(`Unflatten: expected a Tensor, got ${typeof x}`);
    const d = normalizeDim(this.dim, x.ndim, "Unflatten");
    const known = this.unflattenedSize.filter((s) => s !== -1).reduce((a, b) => a * b, 1);
    const free = this.unflattenedSize.filter((s) => s === -1).length;
    if (free > 1 || (free === 0 ? known !== x.shape[d] : known === 0 || x.shape[d] % known !== 0))
      throw new Error(`Unflatten: sizes ${fmt(this.unflattenedSize)} do not split dim ${this.dim} of size ${x.shape[d]} (input ${fmt(x.shape)})`);
    return reshape(x, [...x.shape.slice(0, d), ...this.unflattenedSize, ...x.shape.slice(d + 1)]);
  }
  override extraRepr(): string {
    return `dim=${this.dim}, unflattened_size=${pyTuple(this.unflattenedSize)}`;
  }
}
