// Activation layers: parameter-free wrappers over the elementwise ops and softmax.
import type { Tensor } from "../tensor.js";
import { elu, gelu, leakyRelu, relu, sigmoid, tanh } from "../ops/elementwise.js";
import { logSoftmax, softmax } from "../ops/softmax.js";
import { Module } from "./module.js";
import { pyFloat, pyStr } from "./repr.js";

export class ReLU extends Module {
  forward(x: Tensor): Tensor { return relu(x); }
}
export class Sigmoid extends Module {
  forward(x: Tensor): Tensor { return sigmoid(x); }
}
export class Tanh extends Module {
  forward(x: Tensor): Tensor { return tanh(x); }
}
export class GELU extends Module {
  forward(x: Tensor): Tensor { return gelu(x); }
  override extraRepr(): string { return `approximate=${pyStr("none")}`; }
}
export class Identity extends Module {
  forward(x: Tensor): Tensor { return x; }
}

export class LeakyReLU extends Module {
  constructor(readonly negativeSlope = 0.01) { super(); }
  forward(x: Tensor): Tensor { return leakyRelu(x, this.negativeSlope); }
  override extraRepr(): string { return `negative_slope=${pyFloat(this.negativeSlope)}`; }
}

export class ELU extends Module {
  constructor(readonly alpha = 1) { super(); }
  forward(x: Tensor): Tensor { return elu(x, this.alpha); }
  override extraRepr(): string { return `alpha=${pyFloat(this.alpha)}`; }
}

// dim is required: PyTorch's implicit-dim softmax is deprecated.
export class Softmax extends Module {
  constructor(readonly dim: number) { super(); }
  forward(x: Tensor): Tensor { return softmax(x, this.dim); }
  override extraRepr(): string { return `dim=${this.dim}`; }
}

export class LogSoftmax extends Module {
  constructor(readonly dim: number) { super(); }
  forward(x: Tensor): Tensor { return logSoftmax(x, this.dim); }
  override extraRepr(): string { return `dim=${this.dim}`; }
}
