// Embedding: a [numEmbeddings, embeddingDim] table looked up by int32 indices, initialised N(0, 1)
// with the padding row zeroed, as PyTorch.
import { Tensor } from "../tensor.js";
import type { DType } from "../dtype.js";
import { fmt } from "../shape.js";
import { noGrad } from "../autograd/grad-mode.js";
import { options } from "../options.js";
import { embedding, paddingRow } from "../ops/embedding.js";
import { Module } from "./module.js";
import { Parameter } from "./parameter.js";
import { normal_ } from "./init.js";
import { refuseSurplus } from "../arity.js";

export interface EmbeddingModuleOptions {
  /** This row starts at zero and never gets a gradient; negative counts from the end. */
  paddingIdx?: number | null;
  dtype?: DType;
}

/**
 * A lookup table (PyTorch's nn.Embedding): `new Embedding(numEmbeddings, embeddingDim, {paddingIdx, dtype})`;
 * `forward(indices)` maps int32 indices of any shape to `[...shape, embeddingDim]`.
 */
export class Embedding extends Module {
  readonly paddingIdx: number | null;
  weight: Parameter;
  constructor(readonly numEmbeddings: number, readonly embeddingDim: number, opts: EmbeddingModuleOptions = {}) {
    refuseSurplus(Embedding, arguments.length, opts);
    super();
    const o = options("Embedding", opts, ["paddingIdx", "dtype"]);
    for (const [name, v] of [["numEmbeddings", numEmbeddings], ["embeddingDim", embeddingDim]] as const)
      if (!Number.isInteger(v) || v < 0) throw new RangeError(`Embedding: ${name} must be a non-negative integer, got ${v}`);
    const dtype = o.dtype ?? "float32";
    if (dtype !== "float32" && dtype !== "float64") throw new TypeError(`Embedding: dtype must be "float32" or "float64", got ${String(dtype)}`);
    const pad = paddingRow(o.paddingIdx, numEmbeddings, "Embedding");
    this.paddingIdx = pad < 0 ? null : pad;
    this.weight = new Parameter(Tensor.empty([numEmbeddings, embeddingDim], dtype));
    this.resetParameters();
  }

  /**
   * An Embedding holding `weights` `[num, dim]` (copied), frozen unless `freeze: false` (PyTorch's
   * Embedding.from_pretrained).
   */
  static fromPretrained(weights: Tensor, opts: { freeze?: boolean; paddingIdx?: number | null } = {}): Embedding {
    const o = options("Embedding.fromPretrained", opts, ["freeze", "paddingIdx"]);
    if (!(weights instanceof Tensor) || weights.ndim !== 2 || weights.dtype === "int32")
      throw new Error(`Embedding.fromPretrained: weights must be a float [num, dim] tensor, got ${weights instanceof Tensor ? `${weights.dtype} ${fmt(weights.shape)}` : typeof weights}`);
    const [num, dim] = weights.shape;
    const e = new Embedding(num, dim, { paddingIdx: o.paddingIdx, dtype: weights.dtype });
    noGrad(() => e.weight.copy_(weights));
    e.weight.requiresGrad = !(o.freeze ?? true);
    return e;
  }

  resetParameters(): void {
    normal_(this.weight);
    if (this.paddingIdx !== null) noGrad(() => this.weight.select(0, this.paddingIdx!).fill_(0));
  }

  forward(indices: Tensor): Tensor {
    return embedding(indices, this.weight, { paddingIdx: this.paddingIdx });
  }

  override extraRepr(): string {
    return `${this.numEmbeddings}, ${this.embeddingDim}` + (this.paddingIdx === null ? "" : `, padding_idx=${this.paddingIdx}`);
  }
}
