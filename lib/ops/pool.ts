// 2-D pooling over [N, C, H, W] inputs, one native call per direction, threaded over N·C planes:
//   maxPool2d / adaptiveMaxPool2d:  y = the window's max (first max wins a tie, NaN wins over numbers);
//                                   dx = g routed to the arg-max index the forward saved
//   avgPool2d / adaptiveAvgPool2d:  y = window sum / divisor;  dx = g / divisor spread over the window
// Window rules, output sizes and errors follow PyTorch 1.13.
import { Tensor } from "../tensor.js";
import { native } from "../native.js";
import { fmt } from "../shape.js";
import { options, pair } from "../options.js";
import { copyOf, dense, nchw, recordLayer } from "./layer-input.js";
import { refuseSurplus } from "../arity.js";

/** A size as PyTorch takes an int or a tuple: `n` or `[h, w]`. */
export type Size2 = number | [number, number];

// Kernel kinds, as native/binding.cc numbers them.
const KIND = { max: 0, avg: 1, adaptiveMax: 2, adaptiveAvg: 3 } as const;
// Graph node names, PyTorch's.
const NODE = ["MaxPool2DWithIndicesBackward0", "AvgPool2DBackward0", "AdaptiveMaxPool2DBackward0", "AdaptiveAvgPool2DBackward0"];
type Kind = (typeof KIND)[keyof typeof KIND];

interface Geometry {
  kernel: [number, number];
  stride: [number, number];
  padding: [number, number];
  dilation: [number, number];
  out: [number, number];
  countIncludePad: boolean;
  divisorOverride: number;
}

// The geometry block native.pool2d reads (see native/binding.cc).
function geometryArgs(x: Tensor, g: Geometry): Int32Array {
  const [N, C, H, W] = x.shape;
  if (N * C > 2 ** 31 - 1) throw new RangeError(`pooling: input of shape ${fmt(x.shape)} has more than 2^31 planes`);
  return Int32Array.of(N * C, H, W, ...g.out, ...g.kernel, ...g.stride, ...g.padding, ...g.dilation, +g.countIncludePad, g.divisorOverride);
}

interface PoolCtx {
  kind: Kind;
  shape: number[];
  args: Int32Array;
  idx: Tensor | null;  // the arg-max positions (max kinds)
}

function poolRule(c: PoolCtx, gy: Tensor): Tensor[] {
  const gx = Tensor.output(c.shape, gy.dtype);
  native.pool2dBackward(c.kind, dense(gy).storage, c.idx && (c.idx.storage as Int32Array), gx.storage, c.args);
  return [gx];
}

// Runs the kernel of `kind`, recording the backward; max kinds also save the arg-max indices.
function pool(kind: Kind, x: Tensor, g: Geometry): Tensor {
  const [N, C] = x.shape;
  const isMax = kind === KIND.max || kind === KIND.adaptiveMax;
  const xd = dense(x), args = geometryArgs(x, g);
  const y = Tensor.output([N, C, ...g.out], x.dtype);
  const idx = isMax ? Tensor.output(y.shape, "int32") : null;
  native.pool2d(kind, xd.storage, y.storage, idx && (idx.storage as Int32Array), args);
  return recordLayer(NODE[kind], y, [x], { kind, shape: x.shape, args, idx }, poolRule, [idx, copyOf(xd, x)]);
}

// PyTorch's pooling_output_shape: with ceilMode the last window must start inside the input or
// its left padding.
function outputSize(input: number, k: number, s: number, p: number, d: number, ceil: boolean): number {
  const out = Math.floor((input + 2 * p - d * (k - 1) - 1 + (ceil ? s - 1 : 0)) / s) + 1;
  return ceil && (out - 1) * s >= input + p ? out - 1 : out;
}

interface WindowSpec {
  kernelSize: Size2;
  stride?: Size2 | null;
  padding?: Size2;
  dilation?: Size2;
  ceilMode?: boolean;
}

function windows(op: string, x: Tensor, o: WindowSpec): Pick<Geometry, "kernel" | "stride" | "padding" | "dilation" | "out"> {
  const kernel = pair(o.kernelSize, "kernelSize", op, 1);
  const stride = o.stride === undefined || o.stride === null ? kernel : pair(o.stride, "stride", op, 1);
  const padding = pair(o.padding ?? 0, "padding", op, 0);
  const dilation = pair(o.dilation ?? 1, "dilation", op, 1);
  if (padding[0] > kernel[0] / 2 || padding[1] > kernel[1] / 2)
    throw new Error(`${op}: padding ${fmt(padding)} must be at most half the kernel size ${fmt(kernel)}`);
  const [H, W] = x.shape.slice(2);
  const out: [number, number] = [
    outputSize(H, kernel[0], stride[0], padding[0], dilation[0], o.ceilMode ?? false),
    outputSize(W, kernel[1], stride[1], padding[1], dilation[1], o.ceilMode ?? false),
  ];
  if (out[0] < 1 || out[1] < 1) {
    const span = kernel.map((k, i) => dilation[i] * (k - 1) + 1);
    throw new Error(`${op}: the kernel ${fmt(kernel)} (dilation ${fmt(dilation)}, spanning ${fmt(span)}) is larger than the ` +
      `padded input ${fmt([H + 2 * padding[0], W + 2 * padding[1]])} of input shape ${fmt(x.shape)}; the output would be ${fmt(out)}`);
  }
  return { kernel, stride, padding, dilation, out };
}

export interface MaxPool2dOptions {
  /** Default: kernelSize. */
  stride?: Size2 | null;
  padding?: Size2;
  dilation?: Size2;
  ceilMode?: boolean;
}

/**
 * 2-D max pooling, as `torch.nn.functional.max_pool2d`.
 * @param x float32/float64 input `[N, C, H, W]`.
 * @param kernelSize window size, `k` or `[kH, kW]`.
 * @param opts `stride` (default kernelSize), `padding` (implicit −inf, at most half the kernel, default 0),
 *   `dilation` (default 1), `ceilMode` (default false).
 * @returns `[N, C, outH, outW]`, outH = ⌊(H + 2·pad − dilation·(k − 1) − 1) / stride⌋ + 1 (⌈⌉ with ceilMode).
 *   The gradient goes to each window's arg-max: the first maximum on ties; a NaN in a window is the
 *   maximum (the output is NaN), as in PyTorch.
 * @throws Error naming the argument and shapes for a non-4-D input, a kernel larger than the padded
 *   input, padding above half the kernel; RangeError for stride/dilation/kernel < 1; TypeError for int32.
 */
export function maxPool2d(x: Tensor, kernelSize: Size2, opts: MaxPool2dOptions = {}): Tensor {
  refuseSurplus(maxPool2d, arguments.length, opts);
  const op = "maxPool2d";
  const o = options(op, opts, ["stride", "padding", "dilation", "ceilMode"]);
  const w = windows(op, nchw(x, op), { kernelSize, ...o });
  return pool(KIND.max, x, { ...w, countIncludePad: false, divisorOverride: 0 });
}

export interface AvgPool2dOptions {
  /** Default: kernelSize. */
  stride?: Size2 | null;
  padding?: Size2;
  ceilMode?: boolean;
  countIncludePad?: boolean;
  divisorOverride?: number | null;
}

/**
 * 2-D average pooling, as `torch.nn.functional.avg_pool2d`.
 * @param x float32/float64 input `[N, C, H, W]`.
 * @param kernelSize window size, `k` or `[kH, kW]`.
 * @param opts `stride` (default kernelSize), `padding` (zeros, at most half the kernel, default 0),
 *   `ceilMode` (default false), `countIncludePad` (divide by the window size including padding, default
 *   true), `divisorOverride` (a nonzero integer divisor for every window, default null).
 * @returns `[N, C, outH, outW]` (sizes as maxPool2d with dilation 1).
 * @throws as maxPool2d; RangeError for a zero or fractional divisorOverride.
 */
export function avgPool2d(x: Tensor, kernelSize: Size2, opts: AvgPool2dOptions = {}): Tensor {
  refuseSurplus(avgPool2d, arguments.length, opts);
  const op = "avgPool2d";
  const o = options(op, opts, ["stride", "padding", "ceilMode", "countIncludePad", "divisorOverride"]);
  const d = o.divisorOverride ?? 0;
  if (o.divisorOverride !== undefined && o.divisorOverride !== null && (!Number.isInteger(d) || d === 0 || Math.abs(d) > 2 ** 31 - 1))
    throw new RangeError(`${op}: divisorOverride must be a nonzero integer, got ${o.divisorOverride}`);
  const w = windows(op, nchw(x, op), { kernelSize, stride: o.stride, padding: o.padding, ceilMode: o.ceilMode });
  return pool(KIND.avg, x, { ...w, countIncludePad: o.countIncludePad ?? true, divisorOverride: d });
}

/** An adaptive output size: `n`, `[h, w]`, with `null` keeping that input size (as PyTorch's None). */
export type AdaptiveSize = number | [number | null, number | null];

function adaptive(op: string, kind: Kind, x: Tensor, outputSize: AdaptiveSize): Tensor {
  nchw(x, op);
  const given = typeof outputSize === "number" ? [outputSize, outputSize] : outputSize;
  if (!Array.isArray(given) || given.length !== 2)
    throw new TypeError(`${op}: outputSize must be an integer or a pair [h, w], got ${String(outputSize)}`);
  const out = given.map((v, i) => (v === null ? x.shape[2 + i] : v)) as [number, number];
  if (!out.every((v) => Number.isInteger(v) && v >= 0))
    throw new RangeError(`${op}: outputSize must be non-negative integers (or null), got [${given.join(", ")}]`);
  const one: [number, number] = [1, 1];
  return pool(kind, x, { kernel: one, stride: one, padding: [0, 0], dilation: one, out, countIncludePad: false, divisorOverride: 0 });
}

/**
 * Adaptive 2-D average pooling, as `torch.nn.functional.adaptive_avg_pool2d`: output cell (i, j) averages
 * input rows [⌊i·H/outH⌋, ⌈(i+1)·H/outH⌉) and the matching columns.
 * @param x float32/float64 input `[N, C, H, W]`.
 * @param outputSize `n` or `[outH, outW]` (`null` keeps that input size).
 * @returns `[N, C, outH, outW]`.
 * @throws Error for a non-4-D input; RangeError for a negative or fractional size.
 */
export function adaptiveAvgPool2d(x: Tensor, outputSize: AdaptiveSize): Tensor {
  refuseSurplus(adaptiveAvgPool2d, arguments.length);
  return adaptive("adaptiveAvgPool2d", KIND.adaptiveAvg, x, outputSize);
}

/**
 * Adaptive 2-D max pooling, as `torch.nn.functional.adaptive_max_pool2d` (windows as
 * adaptiveAvgPool2d; ties and NaN as maxPool2d).
 * @param x float32/float64 input `[N, C, H, W]`.
 * @param outputSize `n` or `[outH, outW]` (`null` keeps that input size).
 * @returns `[N, C, outH, outW]`.
 */
export function adaptiveMaxPool2d(x: Tensor, outputSize: AdaptiveSize): Tensor {
  refuseSurplus(adaptiveMaxPool2d, arguments.length);
  return adaptive("adaptiveMaxPool2d", KIND.adaptiveMax, x, outputSize);
}
