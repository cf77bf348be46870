// Linear: y = x·Wᵀ + b with weight [out, in] and PyTorch's default init (kaiming_uniform with
// a = √5, i.e. U(−1/√in, 1/√in), for both weight and bias).
import { Tensor } from "../tensor.js";
import type { DType } from "../dtype.js";
import { Module } from "./module.js";
import { options } from "../options.js";
import { Parameter } from "./parameter.js";
import { kaimingUniform_, uniform_ } from "./init.js";
import { linear } from "./functional.js";
import { ReLU } from "./activation.js";
import { linear as fusedLinear } from "../ops/fused.js";
import { relu } from "../ops/elementwise.js";
import { pyBool } from "./repr.js";
import { refuseSurplus } from "../arity.js";

export interface LinearOptions {
  bias?: boolean;
  dtype?: DType;
}

/**
 * Fully connected layer y = x·Wᵀ + b with `weight` `[outFeatures, inFeatures]` and `bias` `[outFeatures]`,
 * initialised as PyTorch does (Kaiming uniform with a = √5; bias U(±1/√in)). Input `[..., inFeatures]`,
 * output `[..., outFeatures]`. Options `bias` (default true), `dtype` (float32 | float64). Mirrors `torch.nn.Linear`.
 * @throws RangeError for a negative or non-integer size; TypeError for a non-boolean bias or an int32 dtype;
 *   Error for an unknown option.
 */
export class Linear extends Module {
  readonly inFeatures: number;
  readonly outFeatures: number;
  weight: Parameter;
  bias: Parameter | null;

  constructor(inFeatures: number, outFeatures: number, opts: LinearOptions = {}) {
    refuseSurplus(Linear, arguments.length, opts);
    super();
    const { bias = true, dtype = "float32" } = options("Linear", opts, ["bias", "dtype"]);
    if (typeof bias !== "boolean") throw new TypeError(`Linear: bias must be true or false, got ${String(bias)}`);
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
      uniform_(this.bias, { a: -bound, b: bound });
    }
  }

  forward(x: Tensor): Tensor {
    return linear(x, this.weight, this.bias ?? undefined);
  }

  // Linear then ReLU as one native op (bias and ReLU applied around one GEMM) when this layer and the
  // ReLU both run their own forward (a subclass or a hooked module may have replaced it) and the input
  // is a 2-D batch the fused kernel takes; otherwise the two steps.
  override fuseWith(next: Module | undefined): ((x: Tensor) => Tensor) | null {
    if (!(next instanceof ReLU) || next.forward !== ReLU.prototype.forward || this.forward !== Linear.prototype.forward) return null;
    return (x) => {
      const fusible = x.ndim === 2 && x.dtype === this.weight.dtype && x.shape[1] === this.inFeatures;
      return fusible ? fusedLinear(x, this.weight, this.bias ?? undefined, { relu: true }) : relu(this.forward(x));
    };
  }

  override extraRepr(): string {
    return `in_features=${this.inFeatures}, out_features=${this.outFeatures}, bias=${pyBool(this.bias !== null)}`;
  }
}
