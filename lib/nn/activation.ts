// Activation layers: parameter-free wrappers over the elementwise ops and softmax.
import type { Tensor } from "../tensor.js";
import { elu, gelu, leakyRelu, relu, sigmoid, tanh } from "../ops/elementwise.js";
import { logSoftmax, softmax } from "../ops/softmax.js";
import { Module } from "./module.js";
import { pyFloat, pyStr } from "./repr.js";
import { options } from "../options.js";
import { checkNumber, describe, dimArgument, type DimOptions } from "../ops/check.js";
import { refuseSurplus } from "../arity.js";

// The dim of Softmax/LogSoftmax, positional or by keyword as PyTorch's `nn.Softmax(dim=1)`: `{dim: 1}`.
function checkDim(dim: number | DimOptions, op: string): number {
  const d = dimArgument(op, dim);
  if (!Number.isInteger(d)) throw new TypeError(`${op}: dim must be an integer (PyTorch's implicit dim is deprecated), got ${describe(d)}`);
  return d!;
}

/**
 * max(x, 0) elementwise on any shape and float dtype (NaN stays NaN). Mirrors `torch.nn.ReLU`.
 * Inside a `Sequential` right after a `Linear` or a `Conv2d`, the pair runs as one fused native call.
 */
export class ReLU extends Module {
  forward(x: Tensor): Tensor { return relu(x); }
}
/**
 * 1 / (1 + e⁻ˣ) elementwise on any shape, float32 or float64. Mirrors `torch.nn.Sigmoid`.
 */
export class Sigmoid extends Module {
  forward(x: Tensor): Tensor { return sigmoid(x); }
}
/**
 * tanh(x) elementwise on any shape, float32 or float64. Mirrors `torch.nn.Tanh`.
 */
export class Tanh extends Module {
  forward(x: Tensor): Tensor { return tanh(x); }
}
/**
 * x·Φ(x) elementwise (the exact erf form, PyTorch's `approximate="none"`). Mirrors `torch.nn.GELU`.
 */
export class GELU extends Module {
  forward(x: Tensor): Tensor { return gelu(x); }
  override extraRepr(): string { return `approximate=${pyStr("none")}`; }
}
/**
 * Returns its input unchanged (the same tensor). Mirrors `torch.nn.Identity`.
 */
export class Identity extends Module {
  forward(x: Tensor): Tensor { return x; }
}

/**
 * x where x > 0, else negativeSlope·x, elementwise on any shape. Mirrors `torch.nn.LeakyReLU`:
 * `new LeakyReLU({negativeSlope: 0.2})` (default 0.01).
 * @throws TypeError for a bad options object or a negativeSlope that is not a number.
 */
export class LeakyReLU extends Module {
  readonly negativeSlope: number;
  constructor(opts: { negativeSlope?: number } = {}) {
    refuseSurplus(LeakyReLU, arguments.length, opts);
    super();
    this.negativeSlope = options("LeakyReLU", opts, ["negativeSlope"]).negativeSlope ?? 0.01;
    checkNumber(this.negativeSlope, "negativeSlope", "LeakyReLU");
  }
  forward(x: Tensor): Tensor { return leakyRelu(x, this.negativeSlope); }
  override extraRepr(): string { return `negative_slope=${pyFloat(this.negativeSlope)}`; }
}

/**
 * x where x > 0, else alpha·(eˣ − 1), elementwise on any shape. Mirrors `torch.nn.ELU`:
 * `new ELU({alpha: 0.5})` (default 1).
 * @throws TypeError for a bad options object or an alpha that is not a number.
 */
export class ELU extends Module {
  readonly alpha: number;
  constructor(opts: { alpha?: number } = {}) {
    refuseSurplus(ELU, arguments.length, opts);
    super();
    this.alpha = options("ELU", opts, ["alpha"]).alpha ?? 1;
    checkNumber(this.alpha, "alpha", "ELU");
  }
  forward(x: Tensor): Tensor { return elu(x, this.alpha); }
  override extraRepr(): string { return `alpha=${pyFloat(this.alpha)}`; }
}

/**
 * Softmax along `dim` (exp(x − max) / Σ, stable at ±inf); output has the input's shape and dtype.
 * Mirrors `torch.nn.Softmax`.
 * @param dim - the dimension to normalise (negative counts from the end), or `{dim}`; required.
 * @throws TypeError when dim is not an integer.
 *
 * dim is required: PyTorch's implicit-dim softmax is deprecated.
 */
export class Softmax extends Module {
  readonly dim: number;
  constructor(dim: number | DimOptions) {
    refuseSurplus(Softmax, arguments.length);
    super();
    this.dim = checkDim(dim, "Softmax");
  }
  forward(x: Tensor): Tensor { return softmax(x, this.dim); }
  override extraRepr(): string { return `dim=${this.dim}`; }
}

/**
 * log(softmax(x)) along `dim`, computed as (x − m) − log Σ e^(x − m). Mirrors `torch.nn.LogSoftmax`.
 * @param dim - the dimension to normalise (negative counts from the end), or `{dim}`; required.
 * @throws TypeError when dim is not an integer.
 */
export class LogSoftmax extends Module {
  readonly dim: number;
  constructor(dim: number | DimOptions) {
    refuseSurplus(LogSoftmax, arguments.length);
    super();
    this.dim = checkDim(dim, "LogSoftmax");
  }
  forward(x: Tensor): Tensor { return logSoftmax(x, this.dim); }
  override extraRepr(): string { return `dim=${this.dim}`; }
}
