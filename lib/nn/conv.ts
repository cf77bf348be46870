// Convolution layers: Conv1d, Conv2d, ConvTranspose2d with PyTorch's parameters (`weight`, `bias`), default
// initialisation (kaiming_uniform with a = √5 on the weight, i.e. U(±1/√fanIn), and bias U(±1/√fanIn) with
// fanIn = weight.shape[1] · kernel area) and extra_repr text.
import { Tensor } from "../tensor.js";
import type { DType } from "../dtype.js";
import { options, pair } from "../options.js";
import { Module } from "./module.js";
import { Parameter } from "./parameter.js";
import { calculateFanInAndFanOut, kaimingUniform_, uniform_ } from "./init.js";
import { conv1d, conv2d, conv2dRelu, convTranspose2d, type Conv2dOptions, type Padding } from "../ops/conv.js";
import { ReLU } from "./activation.js";
import { refuseSurplus } from "../arity.js";

type Size = number | [number, number];

/** Options of {@link Conv2d} (PyTorch's defaults: stride 1, padding 0, dilation 1, groups 1, bias true). */
export interface Conv2dModuleOptions {
  stride?: Size;
  padding?: Padding;
  dilation?: Size;
  groups?: number;
  bias?: boolean;
  /** Only "zeros" (PyTorch's default) is supported. */
  paddingMode?: "zeros";
  dtype?: DType;
}

/** Options of {@link Conv1d}: as Conv2d with single numbers. */
export interface Conv1dModuleOptions {
  stride?: number;
  padding?: number | "same" | "valid";
  dilation?: number;
  groups?: number;
  bias?: boolean;
  paddingMode?: "zeros";
  dtype?: DType;
}

/** Options of {@link ConvTranspose2d} (PyTorch's defaults: stride 1, padding 0, outputPadding 0, groups 1, bias true, dilation 1). */
export interface ConvTranspose2dModuleOptions {
  stride?: Size;
  padding?: Size;
  outputPadding?: Size;
  groups?: number;
  bias?: boolean;
  dilation?: Size;
  paddingMode?: "zeros";
  dtype?: DType;
}

const tuple = (v: readonly number[]) => `(${v.join(", ")}${v.length === 1 ? "," : ""})`;

// What the conv modules share: channel checks, parameters, init and PyTorch's extra_repr.
abstract class ConvNd extends Module {
  weight: Parameter;
  bias: Parameter | null;

  protected constructor(
    op: string,
    readonly inChannels: number,
    readonly outChannels: number,
    readonly kernelSize: number[],
    readonly stride: number[],
    readonly padding: number[] | "same" | "valid",
    readonly dilation: number[],
    readonly outputPadding: number[],
    readonly groups: number,
    bias: boolean,
    paddingMode: string,
    dtype: DType,
    transposed: boolean,
  ) {
    super();
    for (const [name, v] of [["inChannels", inChannels], ["outChannels", outChannels], ["groups", groups]] as const)
      if (!Number.isInteger(v) || v < (name === "groups" ? 1 : 0)) throw new RangeError(`${op}: ${name} must be a ${name === "groups" ? "positive" : "non-negative"} integer, got ${v}`);
    if (inChannels % groups !== 0) throw new Error(`${op}: inChannels (${inChannels}) must be divisible by groups (${groups})`);
    if (outChannels % groups !== 0) throw new Error(`${op}: outChannels (${outChannels}) must be divisible by groups (${groups})`);
    if (paddingMode !== "zeros") throw new Error(`${op}: paddingMode "${paddingMode}" is not supported; only "zeros" is (pad the input with nn.functional.pad for other modes)`);
    if (dtype === "int32") throw new TypeError(`${op}: dtype must be float32 or float64`);
    const shape = transposed ? [inChannels, outChannels / groups, ...kernelSize] : [outChannels, inChannels / groups, ...kernelSize];
    this.weight = new Parameter(Tensor.empty(shape, dtype));
    this.bias = bias ? new Parameter(Tensor.empty([outChannels], dtype)) : null;
    this.resetParameters();
  }

  /** PyTorch's reset_parameters: kaiming_uniform(a = √5) on the weight, U(±1/√fanIn) on the bias. */
  resetParameters(): void {
    const { fanIn } = calculateFanInAndFanOut(this.weight);
    if (fanIn === 0) return;
    kaimingUniform_(this.weight, { a: Math.sqrt(5) });
    if (this.bias) uniform_(this.bias, { a: -1 / Math.sqrt(fanIn), b: 1 / Math.sqrt(fanIn) });
  }

  /** PyTorch's extra_repr, e.g. `1, 6, kernel_size=(5, 5), stride=(1, 1), padding=(2, 2)`. */
  override extraRepr(): string {
    const zeros = (v: number[]) => v.every((x) => x === 0), ones = (v: number[]) => v.every((x) => x === 1);
    let s = `${this.inChannels}, ${this.outChannels}, kernel_size=${tuple(this.kernelSize)}, stride=${tuple(this.stride)}`;
    if (typeof this.padding === "string") s += `, padding=${this.padding}`;
    else if (!zeros(this.padding)) s += `, padding=${tuple(this.padding)}`;
    if (!ones(this.dilation)) s += `, dilation=${tuple(this.dilation)}`;
    if (!zeros(this.outputPadding)) s += `, output_padding=${tuple(this.outputPadding)}`;
    if (this.groups !== 1) s += `, groups=${this.groups}`;
    if (this.bias === null) s += ", bias=False";
    return s;
  }
}

const padding2d = (p: Padding | undefined, op: string): [number, number] | "same" | "valid" =>
  p === "same" || p === "valid" ? p : pair(p ?? 0, "padding", op, 0);

/**
 * 2-D convolution layer, as `torch.nn.Conv2d`: input `[N, inChannels, H, W]` → `[N, outChannels, OH, OW]`
 * (see nn.functional.conv2d). weight `[outChannels, inChannels / groups, kH, kW]`, bias `[outChannels]`.
 * Followed by a `ReLU` inside a `Sequential`, the pair runs as one fused native call (bias and ReLU applied in the
 * convolution kernel), with the same values and gradients.
 * @throws RangeError/Error for channel counts groups does not divide, bad sizes, unknown options, paddingMode other
 *   than "zeros"; forward throws as conv2d.
 */
export class Conv2d extends ConvNd {
  constructor(inChannels: number, outChannels: number, kernelSize: Size, opts: Conv2dModuleOptions = {}) {
    refuseSurplus(Conv2d, arguments.length, opts);
    const op = "Conv2d";
    const o = options(op, opts, ["stride", "padding", "dilation", "groups", "bias", "paddingMode", "dtype"]);
    super(op, inChannels, outChannels, pair(kernelSize, "kernelSize", op, 1), pair(o.stride ?? 1, "stride", op, 1),
      padding2d(o.padding, op), pair(o.dilation ?? 1, "dilation", op, 1), [0, 0], o.groups ?? 1, o.bias ?? true,
      o.paddingMode ?? "zeros", o.dtype ?? "float32", false);
  }

  forward(x: Tensor): Tensor {
    return conv2d(x, this.weight, this.bias, this.convOptions());
  }

  // Conv2d then ReLU as one native op (bias and ReLU applied inside the convolution kernel; the ReLU mask and the
  // bias gradient in one backward pass) when this layer and the ReLU both run their own forward (a subclass or a
  // hooked module may have replaced it); otherwise null and the two run apart.
  override fuseWith(next: Module | undefined): ((x: Tensor) => Tensor) | null {
    if (!(next instanceof ReLU) || next.forward !== ReLU.prototype.forward || this.forward !== Conv2d.prototype.forward) return null;
    return (x) => conv2dRelu(x, this.weight, this.bias, this.convOptions());
  }

  private convOptions(): Conv2dOptions {
    const [sh, sw] = this.stride, [dh, dw] = this.dilation;
    const padding = typeof this.padding === "string" ? this.padding : [this.padding[0], this.padding[1]] as [number, number];
    return { stride: [sh, sw], padding, dilation: [dh, dw], groups: this.groups };
  }
}

/**
 * 1-D convolution layer, as `torch.nn.Conv1d`: input `[N, inChannels, L]` → `[N, outChannels, L_out]`.
 * weight `[outChannels, inChannels / groups, k]`, bias `[outChannels]`.
 * @throws as {@link Conv2d}.
 */
export class Conv1d extends ConvNd {
  constructor(inChannels: number, outChannels: number, kernelSize: number, opts: Conv1dModuleOptions = {}) {
    refuseSurplus(Conv1d, arguments.length, opts);
    const op = "Conv1d";
    const o = options(op, opts, ["stride", "padding", "dilation", "groups", "bias", "paddingMode", "dtype"]);
    const one = (v: unknown, name: string, min: number) => [pair(v, name, op, min)[0]];
    if (Array.isArray(kernelSize)) throw new TypeError(`${op}: kernelSize must be a number, got an array`);
    const p = o.padding ?? 0;
    super(op, inChannels, outChannels, one(kernelSize, "kernelSize", 1), one(o.stride ?? 1, "stride", 1),
      p === "same" || p === "valid" ? p : one(p, "padding", 0), one(o.dilation ?? 1, "dilation", 1), [0], o.groups ?? 1,
      o.bias ?? true, o.paddingMode ?? "zeros", o.dtype ?? "float32", false);
  }

  forward(x: Tensor): Tensor {
    const padding = typeof this.padding === "string" ? this.padding : this.padding[0];
    return conv1d(x, this.weight, this.bias, { stride: this.stride[0], padding, dilation: this.dilation[0], groups: this.groups });
  }
}

/**
 * 2-D transposed convolution layer, as `torch.nn.ConvTranspose2d`: `[N, inChannels, H, W]` →
 * `[N, outChannels, (H − 1)·stride − 2·padding + dilation·(k − 1) + outputPadding + 1, …]`.
 * weight `[inChannels, outChannels / groups, kH, kW]`, bias `[outChannels]`.
 * @throws as {@link Conv2d}; forward throws as convTranspose2d.
 */
export class ConvTranspose2d extends ConvNd {
  constructor(inChannels: number, outChannels: number, kernelSize: Size, opts: ConvTranspose2dModuleOptions = {}) {
    refuseSurplus(ConvTranspose2d, arguments.length, opts);
    const op = "ConvTranspose2d";
    const o = options(op, opts, ["stride", "padding", "outputPadding", "groups", "bias", "dilation", "paddingMode", "dtype"]);
    super(op, inChannels, outChannels, pair(kernelSize, "kernelSize", op, 1), pair(o.stride ?? 1, "stride", op, 1),
      pair(o.padding ?? 0, "padding", op, 0), pair(o.dilation ?? 1, "dilation", op, 1),
      pair(o.outputPadding ?? 0, "outputPadding", op, 0), o.groups ?? 1, o.bias ?? true, o.paddingMode ?? "zeros",
      o.dtype ?? "float32", true);
  }

  forward(x: Tensor): Tensor {
    const p = this.padding as number[];
    return convTranspose2d(x, this.weight, this.bias, {
      stride: [this.stride[0], this.stride[1]], padding: [p[0], p[1]], outputPadding: [this.outputPadding[0], this.outputPadding[1]],
      groups: this.groups, dilation: [this.dilation[0], this.dilation[1]],
    });
  }
}
