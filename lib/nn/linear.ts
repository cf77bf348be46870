// Linear: y = x·Wᵀ + b with weight [out, in] and PyTorch's default init (kaiming_uniform with
// a = √5, i.e. U(−1/√in, 1/√in), for both weight and bias).
import { Tensor } from "../tensor.js";
import type { DType } from "../dtype.js";
import { Module } from "./module.js";
import { Parameter } from "./parameter.js";
import { kaimingUniform_, uniform_ } from "./init.js";
import { linear } from "./functional.js";
import { pyBool } from "./repr.js";

export interface LinearOptions {
  bias?: boolean;
  dtype?: DType;
}

export class Linear extends Module {
  readonly inFeatures: number;
  readonly outFeatures: number;
  weight: Parameter;
  bias: Parameter | null;

  constructor(inFeatures: number, outFeatures: number, opts: LinearOptions = {}) {
    super();
    const { bias = true, dtype = "float32" } = opts;
    for (const [name, v] of [["inFeatures", inFeatures], ["outFeatures", outFeatures]] as const)
      if (!Number.isInteger(v) || v < 0) throw new RangeError(`Linear: ${name} must be a non-negative integer, got ${v}`);
    if (dtype === "int32") throw new TypeError("Linear: dtype must be float32 or float64");
    this.inFeatures = inFeatures;
    this.outFeatures = outFeatures;
    this.weight = new Parameter(Tensor.empty([outFeatures, inFeatures], dtype));
    this.bias = bias ? new Parameter(Tensor.empty([outFeatures], dtype)) : null;
    this.resetParameters();
  }

  resetParameters(): void {
    if (this.inFeatures > 0) kaimingUniform_(this.weight, { a: Math.sqrt(5) });
    if (this.bias && this.inFeatures > 0) {
      const bound = 1 / Math.sqrt(this.inFeatures);
      uniform_(this.bias, -bound, bound);
    }
  }

  forward(x: Tensor): Tensor {
    return linear(x, this.weight, this.bias ?? undefined);
  }

  override extraRepr(): string {
    return `in_features=${this.inFeatures}, out_features=${this.outFeatures}, bias=${pyBool(this.bias !== null)}`;
  }
}
