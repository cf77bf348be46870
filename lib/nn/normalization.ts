// Normalisation layers with PyTorch's parameters, buffers, defaults and train/eval behaviour.
//   BatchNorm1d/2d: weight (ones) and bias (zeros) when affine; buffers running_mean (zeros),
//     running_var (ones), num_batches_tracked (int32 0-d, PyTorch's is int64) when trackRunningStats.
//     Training mode normalises with batch statistics and updates the buffers; eval mode uses them.
//   LayerNorm, GroupNorm: weight and bias when affine; no buffers, same in both modes.
//   LocalResponseNorm: no parameters.
import { Tensor } from "../tensor.js";
import type { DType } from "../dtype.js";
import { noGrad } from "../autograd/grad-mode.js";
import { fmt } from "../shape.js";
import { options } from "../options.js";
import { full } from "../ops/creation.js";
import { batchNorm } from "../ops/batch-norm.js";
import { groupNorm, layerNorm } from "../ops/group-norm.js";
import { localResponseNorm } from "../ops/local-response-norm.js";
import { Module } from "./module.js";
import { Parameter } from "./parameter.js";
import { pyBool, pyFloat, pyTuple } from "./repr.js";
import { refuseSurplus } from "../arity.js";

function floatDType(d: DType | undefined, op: string): DType {
  if (d === undefined) return "float32";
  if (d !== "float32" && d !== "float64") throw new TypeError(`${op}: dtype must be "float32" or "float64", got ${String(d)}`);
  return d;
}

function positiveInt(v: unknown, name: string, op: string): number {
  if (!Number.isInteger(v) || (v as number) < 1) throw new RangeError(`${op}: ${name} must be a positive integer, got ${String(v)}`);
  return v as number;
}

const ones = (shape: number[], dtype: DType) => new Parameter(full(shape, 1, { dtype }));
const zeros = (shape: number[], dtype: DType) => new Parameter(full(shape, 0, { dtype }));

export interface BatchNormModuleOptions {
  eps?: number;
  /** Weight of each batch in the running averages; null: a cumulative average (1/numBatchesTracked). Default 0.1. */
  momentum?: number | null;
  /** Learnable weight and bias; default true. */
  affine?: boolean;
  /** Keep running statistics for eval mode; default true. Without them eval mode uses batch statistics. */
  trackRunningStats?: boolean;
  dtype?: DType;
}

// PyTorch's _BatchNorm; subclasses only say which input ranks they take.
abstract class BatchNorm extends Module {
  readonly eps: number;
  readonly momentum: number | null;
  readonly affine: boolean;
  readonly trackRunningStats: boolean;
  weight: Parameter | null;
  bias: Parameter | null;
  declare runningMean: Tensor | null;
  declare runningVar: Tensor | null;
  declare numBatchesTracked: Tensor | null;

  constructor(readonly numFeatures: number, opts: BatchNormModuleOptions, op: string) {
    super();
    const o = options(op, opts, ["eps", "momentum", "affine", "trackRunningStats", "dtype"]);
    positiveInt(numFeatures, "numFeatures", op);
    const dtype = floatDType(o.dtype, op);
    this.eps = o.eps ?? 1e-5;
    this.momentum = o.momentum === undefined ? 0.1 : o.momentum;
    this.affine = o.affine ?? true;
    this.trackRunningStats = o.trackRunningStats ?? true;
    this.weight = this.affine ? ones([numFeatures], dtype) : null;
    this.bias = this.affine ? zeros([numFeatures], dtype) : null;
    const track = this.trackRunningStats;
    this.registerBuffer("running_mean", track ? full([numFeatures], 0, { dtype }) : null);
    this.registerBuffer("running_var", track ? full([numFeatures], 1, { dtype }) : null);
    this.registerBuffer("num_batches_tracked", track ? full([], 0, { dtype: "int32" }) : null);
  }

  protected abstract checkInput(x: Tensor): void;

  /** Running statistics back to mean 0, variance 1, no batches seen. */
  resetRunningStats(): void {
    noGrad(() => {
      this.runningMean?.fill_(0);
      this.runningVar?.fill_(1);
      this.numBatchesTracked?.fill_(0);
    });
  }

  forward(x: Tensor): Tensor {
    this.checkInput(x);
    let factor = this.momentum ?? 0;
    if (this.training && this.numBatchesTracked) {
      const n = this.numBatchesTracked.item() + 1;
      noGrad(() => this.numBatchesTracked!.fill_(n));
      if (this.momentum === null) factor = 1 / n;
    }
    // Batch statistics in training mode, and in eval mode when no running statistics are kept.
    const useBatch = this.training || (this.runningMean === null && this.runningVar === null);
    const track = !this.training || this.trackRunningStats;
    return batchNorm(x, track ? this.runningMean : null, track ? this.runningVar : null, this.weight, this.bias,
      { training: useBatch, momentum: factor, eps: this.eps });
  }

  override extraRepr(): string {
    return `${this.numFeatures}, eps=${pyFloat(this.eps)}, momentum=${this.momentum === null ? "None" : pyFloat(this.momentum)}, ` +
      `affine=${pyBool(this.affine)}, track_running_stats=${pyBool(this.trackRunningStats)}`;
  }
}

/**
 * Batch normalisation over `[N, C]` or `[N, C, L]` (PyTorch's nn.BatchNorm1d), statistics per channel C.
 * `new BatchNorm1d(numFeatures, {eps, momentum, affine, trackRunningStats, dtype})`.
 */
export class BatchNorm1d extends BatchNorm {
  constructor(numFeatures: number, opts: BatchNormModuleOptions = {}) {
    refuseSurplus(BatchNorm1d, arguments.length, opts);
    super(numFeatures, opts, "BatchNorm1d");
  }
  protected checkInput(x: Tensor): void {
    if (!(x instanceof Tensor) || (x.ndim !== 2 && x.ndim !== 3))
      throw new Error(`BatchNorm1d: expected 2-D [N, C] or 3-D [N, C, L] input, got ${x instanceof Tensor ? `shape ${fmt(x.shape)}` : typeof x}`);
    if (x.shape[1] !== this.numFeatures)
      throw new Error(`BatchNorm1d: input of shape ${fmt(x.shape)} has ${x.shape[1]} channel${x.shape[1] === 1 ? "" : "s"}, the layer has ${this.numFeatures}`);
  }
}

/**
 * Batch normalisation over `[N, C, H, W]` (PyTorch's nn.BatchNorm2d), statistics per channel C.
 * `new BatchNorm2d(numFeatures, {eps, momentum, affine, trackRunningStats, dtype})`.
 */
export class BatchNorm2d extends BatchNorm {
  constructor(numFeatures: number, opts: BatchNormModuleOptions = {}) {
    refuseSurplus(BatchNorm2d, arguments.length, opts);
    super(numFeatures, opts, "BatchNorm2d");
  }
  protected checkInput(x: Tensor): void {
    if (!(x instanceof Tensor) || x.ndim !== 4)
      throw new Error(`BatchNorm2d: expected 4-D [N, C, H, W] input, got ${x instanceof Tensor ? `shape ${fmt(x.shape)}` : typeof x}`);
    if (x.shape[1] !== this.numFeatures)
      throw new Error(`BatchNorm2d: input of shape ${fmt(x.shape)} has ${x.shape[1]} channel${x.shape[1] === 1 ? "" : "s"}, the layer has ${this.numFeatures}`);
  }
}

export interface LayerNormModuleOptions {
  eps?: number;
  /** Learnable per-element weight (ones) and bias (zeros); default true. */
  elementwiseAffine?: boolean;
  dtype?: DType;
}

/**
 * Layer normalisation over the trailing `normalizedShape` dims (PyTorch's nn.LayerNorm).
 * `new LayerNorm(normalizedShape, {eps, elementwiseAffine, dtype})`; weight and bias have normalizedShape.
 */
export class LayerNorm extends Module {
  readonly normalizedShape: number[];
  readonly eps: number;
  readonly elementwiseAffine: boolean;
  weight: Parameter | null;
  bias: Parameter | null;
  constructor(normalizedShape: number | number[], opts: LayerNormModuleOptions = {}) {
    refuseSurplus(LayerNorm, arguments.length, opts);
    super();
    const o = options("LayerNorm", opts, ["eps", "elementwiseAffine", "dtype"]);
    const shape = typeof normalizedShape === "number" ? [normalizedShape] : normalizedShape;
    if (!Array.isArray(shape) || shape.length === 0) throw new TypeError(`LayerNorm: normalizedShape must be a size or a non-empty array of sizes`);
    shape.forEach((d) => positiveInt(d, "normalizedShape", "LayerNorm"));
    const dtype = floatDType(o.dtype, "LayerNorm");
    this.normalizedShape = [...shape];
    this.eps = o.eps ?? 1e-5;
    this.elementwiseAffine = o.elementwiseAffine ?? true;
    this.weight = this.elementwiseAffine ? ones(this.normalizedShape, dtype) : null;
    this.bias = this.elementwiseAffine ? zeros(this.normalizedShape, dtype) : null;
  }
  forward(x: Tensor): Tensor {
    return layerNorm(x, this.normalizedShape, this.weight, this.bias, { eps: this.eps });
  }
  override extraRepr(): string {
    return `${pyTuple(this.normalizedShape)}, eps=${pyFloat(this.eps)}, elementwise_affine=${pyBool(this.elementwiseAffine)}`;
  }
}

export interface GroupNormModuleOptions {
  eps?: number;
  /** Learnable per-channel weight (ones) and bias (zeros); default true. */
  affine?: boolean;
  dtype?: DType;
}

/**
 * Group normalisation (PyTorch's nn.GroupNorm): `new GroupNorm(numGroups, numChannels, {eps, affine, dtype})`,
 * numGroups dividing numChannels; weight and bias are `[numChannels]`.
 */
export class GroupNorm extends Module {
  readonly eps: number;
  readonly affine: boolean;
  weight: Parameter | null;
  bias: Parameter | null;
  constructor(readonly numGroups: number, readonly numChannels: number, opts: GroupNormModuleOptions = {}) {
    refuseSurplus(GroupNorm, arguments.length, opts);
    super();
    const o = options("GroupNorm", opts, ["eps", "affine", "dtype"]);
    positiveInt(numGroups, "numGroups", "GroupNorm"), positiveInt(numChannels, "numChannels", "GroupNorm");
    if (numChannels % numGroups !== 0) throw new Error(`GroupNorm: numChannels ${numChannels} must be divisible by numGroups ${numGroups}`);
    const dtype = floatDType(o.dtype, "GroupNorm");
    this.eps = o.eps ?? 1e-5;
    this.affine = o.affine ?? true;
    this.weight = this.affine ? ones([numChannels], dtype) : null;
    this.bias = this.affine ? zeros([numChannels], dtype) : null;
  }
  forward(x: Tensor): Tensor {
    return groupNorm(x, this.numGroups, this.weight, this.bias, { eps: this.eps });
  }
  override extraRepr(): string {
    return `${this.numGroups}, ${this.numChannels}, eps=${pyFloat(this.eps)}, affine=${pyBool(this.affine)}`;
  }
}

/** Local response normalisation across channels (PyTorch's nn.LocalResponseNorm): `new LocalResponseNorm(size, {alpha, beta, k})`. */
export class LocalResponseNorm extends Module {
  readonly alpha: number;
  readonly beta: number;
  readonly k: number;
  constructor(readonly size: number, opts: { alpha?: number; beta?: number; k?: number } = {}) {
    refuseSurplus(LocalResponseNorm, arguments.length, opts);
    super();
    const o = options("LocalResponseNorm", opts, ["alpha", "beta", "k"]);
    positiveInt(size, "size", "LocalResponseNorm");
    this.alpha = o.alpha ?? 1e-4;
    this.beta = o.beta ?? 0.75;
    this.k = o.k ?? 1;
  }
  forward(x: Tensor): Tensor {
    return localResponseNorm(x, this.size, { alpha: this.alpha, beta: this.beta, k: this.k });
  }
  override extraRepr(): string {
    return `${this.size}, alpha=${pyFloat(this.alpha)}, beta=${pyFloat(this.beta)}, k=${pyFloat(this.k)}`;
  }
}
