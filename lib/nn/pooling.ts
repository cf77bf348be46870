// Pooling layers: hold the options of the matching tg.nn.functional op; no parameters.
import type { Tensor } from "../tensor.js";
import { options, pair } from "../options.js";
import * as P from "../ops/pool.js";
import { Module } from "./module.js";
import { pyBool } from "./repr.js";
import { refuseSurplus } from "../arity.js";

// A size as PyTorch prints it: an int stays an int, a pair is a tuple.
const pySize = (v: P.Size2 | P.AdaptiveSize): string =>
  typeof v === "number" ? String(v) : `(${v.map((x) => (x === null ? "None" : String(x))).join(", ")})`;

/**
 * 2-D max pooling over `[N, C, H, W]` (PyTorch's nn.MaxPool2d); see `tg.nn.functional.maxPool2d`.
 * `new MaxPool2d(kernelSize, {stride, padding, dilation, ceilMode})`, stride defaulting to kernelSize.
 */
export class MaxPool2d extends Module {
  readonly stride: P.Size2;
  readonly padding: P.Size2;
  readonly dilation: P.Size2;
  readonly ceilMode: boolean;
  constructor(readonly kernelSize: P.Size2, opts: P.MaxPool2dOptions = {}) {
    refuseSurplus(MaxPool2d, arguments.length, opts);
    super();
    const o = options("MaxPool2d", opts, ["stride", "padding", "dilation", "ceilMode"]);
    pair(kernelSize, "kernelSize", "MaxPool2d", 1);
    this.stride = o.stride ?? kernelSize;
    this.padding = o.padding ?? 0;
    this.dilation = o.dilation ?? 1;
    this.ceilMode = o.ceilMode ?? false;
  }
  forward(x: Tensor): Tensor {
    return P.maxPool2d(x, this.kernelSize, { stride: this.stride, padding: this.padding, dilation: this.dilation, ceilMode: this.ceilMode });
  }
  override extraRepr(): string {
    return `kernel_size=${pySize(this.kernelSize)}, stride=${pySize(this.stride)}, padding=${pySize(this.padding)}, ` +
      `dilation=${pySize(this.dilation)}, ceil_mode=${pyBool(this.ceilMode)}`;
  }
}

/**
 * 2-D average pooling over `[N, C, H, W]` (PyTorch's nn.AvgPool2d); see `tg.nn.functional.avgPool2d`.
 * `new AvgPool2d(kernelSize, {stride, padding, ceilMode, countIncludePad, divisorOverride})`.
 */
export class AvgPool2d extends Module {
  readonly stride: P.Size2;
  readonly padding: P.Size2;
  readonly ceilMode: boolean;
  readonly countIncludePad: boolean;
  readonly divisorOverride: number | null;
  constructor(readonly kernelSize: P.Size2, opts: P.AvgPool2dOptions = {}) {
    refuseSurplus(AvgPool2d, arguments.length, opts);
    super();
    const o = options("AvgPool2d", opts, ["stride", "padding", "ceilMode", "countIncludePad", "divisorOverride"]);
    pair(kernelSize, "kernelSize", "AvgPool2d", 1);
    this.stride = o.stride ?? kernelSize;
    this.padding = o.padding ?? 0;
    this.ceilMode = o.ceilMode ?? false;
    this.countIncludePad = o.countIncludePad ?? true;
    this.divisorOverride = o.divisorOverride ?? null;
  }
  forward(x: Tensor): Tensor {
    return P.avgPool2d(x, this.kernelSize, {
      stride: this.stride, padding: this.padding, ceilMode: this.ceilMode, countIncludePad: this.countIncludePad,
      divisorOverride: this.divisorOverride,
    });
  }
  override extraRepr(): string {
    return `kernel_size=${pySize(this.kernelSize)}, stride=${pySize(this.stride)}, padding=${pySize(this.padding)}`;
  }
}

/** Adaptive average pooling to `outputSize` (PyTorch's nn.AdaptiveAvgPool2d); `null` keeps an input size. */
export class AdaptiveAvgPool2d extends Module {
  constructor(readonly outputSize: P.AdaptiveSize) {
    refuseSurplus(AdaptiveAvgPool2d, arguments.length);
    super();
  }
  forward(x: Tensor): Tensor { return P.adaptiveAvgPool2d(x, this.outputSize); }
  override extraRepr(): string { return `output_size=${pySize(this.outputSize)}`; }
}

/** Adaptive max pooling to `outputSize` (PyTorch's nn.AdaptiveMaxPool2d); `null` keeps an input size. */
export class AdaptiveMaxPool2d extends Module {
  constructor(readonly outputSize: P.AdaptiveSize) {
    refuseSurplus(AdaptiveMaxPool2d, arguments.length);
    super();
  }
  forward(x: Tensor): Tensor { return P.adaptiveMaxPool2d(x, this.outputSize); }
  override extraRepr(): string { return `output_size=${pySize(this.outputSize)}`; }
}

